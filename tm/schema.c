/*
** tm/schema.c: the tables of a TM, and the check that a file is one.
**
** A TM is a SQLite database whose header carries PRAGMA application_id
** 'IEUM' and PRAGMA user_version = the schema version.  Opening reads both:
** a database with neither and no table at all is new and gets the schema
** (when opened for writing), in one BEGIN IMMEDIATE transaction that first
** checks again that the database is still empty, so two processes creating
** the same TM at once end up with one schema.  Anything else that is not
** ours (another application's database, a newer schema, a file that is not
** SQLite) is refused with IEUM_EDB before anything is written to it.
** Tables: meta (key/value, e.g. who created the TM), documents (one row per
** aligned pair or imported TMX, unique by kind and content hash), units
** (one row per translation unit, unique by document row, own document name
** and position, removed with their document), document_meta (headline,
** byline, URL ... of a document), unit_props (a unit's TMX props and notes)
** and lexicon (word pairs the aligner uses).  Version 3 (the search index)
** adds units_src_fts and units_tgt_fts, FTS5 indexes of the units' sources
** and targets with the trigram tokenizer (case-folded; any substring of 3 or
** more characters is a query, so they serve Korean, which has no spaces
** inside words, as well as English).  They are external-content tables over
** units with detail=none: doclists only, no positions (a third of the size
** of detail=full, and what candidate generation by trigrams needs; LIKE
** still uses them).  Units are not indexed row by row: a trigger records a
** new unit's id in units_unindexed (one B-tree insert), and
** ieum_tm__index_flush() moves the recorded units into both indexes in one
** statement each, when a commit finds INDEX_FLUSH_UNITS of them waiting,
** when a writing handle is closed, and at the end of a merge; a flush of
** OPTIMIZE_FLUSH_UNITS or more (an import) then merges the index segments.
** FTS5 writes one segment per flush instead of one per transaction, which
** is what made a trigger-maintained index dear.  units_unindexed is written
** in the same transaction as the units, so a process killed at any moment
** leaves every stored unit either indexed or recorded: search (search.c)
** scores the recorded ones directly, so results never miss a unit.  Deleting
** or changing a unit takes it out of the index (or out of units_unindexed).
** Version 4 adds documents.src_path_raw and tgt_path_raw (a file name's
** bytes as given when they are not valid UTF-8: the name columns then hold
** it escaped, \xHH per stray byte) and units_src_length, an index on the
** sources' lengths in characters (the candidates of a search text of one
** or two characters, which has no trigram).
** Version 5 adds units.role, what part of an article a unit is
** (ieum_segment_role_name(): "headline", "body", ...; NULL when not known:
** units stored before, or imported without an x-role prop), which exports
** filter on.
** Version 6 adds unit_props.side ('src' or 'tgt': the metadata of a
** <tuv>, its attributes, props and notes; NULL: of the <tu>) and
** units.created_by (who made the unit: the user name ieum_tm_set_user()
** gave the handle that added it; NULL when not known), which TMX exports
** write as creationid and changeid.
** Version 7 adds the review step's columns and tables (schema_v7_* below).
** Version 2 had one detail=full index of both columns, kept by per-row
** triggers (units_fts); version 1 had none.  An older TM opened for writing
** is migrated in one BEGIN IMMEDIATE transaction (from version 1 or 2: drop
** the old index, create and fill the new ones; then add the version-4
** columns and index, escape raw names, add the version-5 column, then the
** version-6 columns, set user_version 6); opened read-only it stays as it is and works (a TEMP
** view named units, which shadows the table on that connection only, adds
** the role column as NULL to a TM older than version 5): a version-2 TM is searched
** through units_fts, a version-1 TM cannot be searched (search.c says so),
** names are escaped as they are read, and a short search text reads every
** unit instead of units_src_length.
** Cost: three PRAGMA reads per open; the creation is a handful of DDL; the
** migration from version 1 or 2 reads every unit once (about 10 s per
** million units), from 3 builds the length index (one pass over the
** units); a flush tokenizes the waiting units once.
** Not here: the statements that read and write rows (store.c).
*/
#include <stdio.h>
#include <string.h>

#include "tm_int.h"

/* Version 1 of the schema; executed as one script inside the creating transaction. */
static const char schema_v1[] =
  "CREATE TABLE meta("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE documents("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"          /* 'pair' or 'tmx' */
  "  src_path TEXT,"
  "  tgt_path TEXT,"
  "  src_lang TEXT,"
  "  tgt_lang TEXT,"
  "  hash TEXT NOT NULL,"          /* ieum_tm_hash(): 32 hex digits */
  "  added INTEGER NOT NULL,"      /* seconds since the Unix epoch */
  "  UNIQUE(kind, hash)"
  ");"
  "CREATE TABLE units("
  "  id INTEGER PRIMARY KEY,"
  "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"   /* index within the document, from 0 */
  "  src TEXT NOT NULL,"
  "  tgt TEXT NOT NULL,"
  "  src_lang TEXT NOT NULL,"
  "  tgt_lang TEXT NOT NULL,"
  "  score REAL,"                  /* [0,1]; NULL when unknown */
  "  bead TEXT,"                   /* '1-1', '2-1', ... */
  "  origin TEXT,"                 /* the unit's own document name, when it has one */
  "  note TEXT,"
  "  created INTEGER NOT NULL"     /* seconds since the Unix epoch */
  ");"
  /* A unit's place: its document row, its own document name (an imported TMX
     holds units of many documents, each numbered from 0) and its position. */
  "CREATE UNIQUE INDEX units_place ON units(doc_id, COALESCE(origin, ''), position);"
  "CREATE INDEX units_langs ON units(src_lang, tgt_lang);"
  /* Document metadata: headline, byline, date, URL of an article page, ... */
  "CREATE TABLE document_meta("
  "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY(doc_id, key)"
  ") WITHOUT ROWID;"
  /* A unit's TMX <prop>s and <note>s, in document order (seq from 0). */
  "CREATE TABLE unit_props("
  "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"          /* 'prop' or 'note' */
  "  type TEXT,"                   /* a prop's type attribute */
  "  lang TEXT,"                   /* xml:lang, when given */
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY(unit_id, seq)"
  ") WITHOUT ROWID;"
  /* Word pairs for the aligner: learned from the TM or loaded from a dictionary. */
  "CREATE TABLE lexicon("
  "  src TEXT NOT NULL,"
  "  tgt TEXT NOT NULL,"
  "  origin TEXT NOT NULL,"        /* 'learned', or a dictionary's name */
  "  weight REAL NOT NULL,"        /* association strength in [0,1] */
  "  count INTEGER NOT NULL,"      /* units the pair was seen in */
  "  PRIMARY KEY(src, tgt, origin)"
  ") WITHOUT ROWID;";

/*
** Version 3: the search indexes and the list of units not yet in them.  The
** delete and update triggers take a unit out of the indexes only when it is
** in them (an FTS5 'delete' of a row that was never inserted would corrupt
** an external-content index), then out of (or into) units_unindexed.
*/
static const char schema_v3[] =
  "CREATE VIRTUAL TABLE units_src_fts USING fts5("
  "  src, content='units', content_rowid='id', tokenize='trigram case_sensitive 0', detail=none"
  ");"
  "CREATE VIRTUAL TABLE units_tgt_fts USING fts5("
  "  tgt, content='units', content_rowid='id', tokenize='trigram case_sensitive 0', detail=none"
  ");"
  "CREATE TABLE units_unindexed(id INTEGER PRIMARY KEY);"
  "CREATE TRIGGER units_index_insert AFTER INSERT ON units BEGIN"
  "  INSERT OR IGNORE INTO units_unindexed(id) VALUES(new.id);"
  "END;"
  "CREATE TRIGGER units_index_delete AFTER DELETE ON units BEGIN"
  "  INSERT INTO units_src_fts(units_src_fts, rowid, src) SELECT 'delete', old.id, old.src"
  "    WHERE NOT EXISTS (SELECT 1 FROM units_unindexed WHERE id = old.id);"
  "  INSERT INTO units_tgt_fts(units_tgt_fts, rowid, tgt) SELECT 'delete', old.id, old.tgt"
  "    WHERE NOT EXISTS (SELECT 1 FROM units_unindexed WHERE id = old.id);"
  "  DELETE FROM units_unindexed WHERE id = old.id;"
  "END;"
  "CREATE TRIGGER units_index_update AFTER UPDATE OF id, src, tgt ON units BEGIN"
  "  INSERT INTO units_src_fts(units_src_fts, rowid, src) SELECT 'delete', old.id, old.src"
  "    WHERE NOT EXISTS (SELECT 1 FROM units_unindexed WHERE id = old.id);"
  "  INSERT INTO units_tgt_fts(units_tgt_fts, rowid, tgt) SELECT 'delete', old.id, old.tgt"
  "    WHERE NOT EXISTS (SELECT 1 FROM units_unindexed WHERE id = old.id);"
  "  DELETE FROM units_unindexed WHERE id = old.id;"
  "  INSERT OR IGNORE INTO units_unindexed(id) VALUES(new.id);"
  "END;";

/*
** Version 4: a document's file names as given when they are not valid
** UTF-8 (src_path and tgt_path then hold them with the stray bytes escaped
** as \xHH, so every reader and export gets valid UTF-8; NULL otherwise),
** and an index of the sources' lengths in characters, which finds the
** candidates of a search text too short for trigrams (search.c).
*/
static const char schema_v4_columns[] =
  "ALTER TABLE documents ADD COLUMN src_path_raw BLOB;"
  "ALTER TABLE documents ADD COLUMN tgt_path_raw BLOB;";
static const char schema_v4_index[] = "CREATE INDEX IF NOT EXISTS units_src_length ON units(length(src));";

/* Version 5: a unit's role. */
static const char schema_v5[] = "ALTER TABLE units ADD COLUMN role TEXT;";

/* Version 6: the side of a unit's metadata, and who made a unit. */
static const char schema_v6_side[] = "ALTER TABLE unit_props ADD COLUMN side TEXT;";
static const char schema_v6_created_by[] = "ALTER TABLE units ADD COLUMN created_by TEXT;";

/*
** Version 7: the review step (include/ieum/review.h, tm/review.c).  Units
** get review_status ('confirmed', 'edited'; NULL = not reviewed), reviewer
** and reviewed (seconds since the epoch), and src_segs/tgt_segs: the byte
** lengths of a multi-sentence side's sentences, comma-separated (the text
** is them joined by one space; NULL = one sentence).  unaligned holds the
** sentences of 1-0 and 0-1 beads where they fall in the document (position
** shared with the units of the document), and review_log one row per
** review operation: the document's rows before and after it (JSON), so
** that it can be undone and redone.
*/
static const char schema_v7_columns[] =
  "ALTER TABLE units ADD COLUMN review_status TEXT;"
  "ALTER TABLE units ADD COLUMN reviewer TEXT;"
  "ALTER TABLE units ADD COLUMN reviewed INTEGER;"
  "ALTER TABLE units ADD COLUMN src_segs TEXT;"
  "ALTER TABLE units ADD COLUMN tgt_segs TEXT;";
static const char schema_v7_tables[] =
  "CREATE TABLE IF NOT EXISTS unaligned("
  "  id INTEGER PRIMARY KEY,"
  "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"   /* among the document's units and unaligned sentences */
  "  side INTEGER NOT NULL,"       /* 0 source, 1 target */
  "  text TEXT NOT NULL,"
  "  role TEXT,"
  "  no_counterpart INTEGER NOT NULL DEFAULT 0,"  /* 1: a reviewer said it has none */
  "  reviewer TEXT,"
  "  reviewed INTEGER"
  ");"
  "CREATE INDEX IF NOT EXISTS unaligned_doc ON unaligned(doc_id, position);"
  "CREATE TABLE IF NOT EXISTS review_log("
  "  id INTEGER PRIMARY KEY,"
  "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
  "  op TEXT NOT NULL,"
  "  reviewer TEXT,"
  "  at INTEGER NOT NULL,"
  "  before TEXT NOT NULL,"        /* the document's rows before the operation (JSON) */
  "  after TEXT NOT NULL,"         /* and after it */
  "  undone INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX IF NOT EXISTS review_log_doc ON review_log(doc_id, id);";

/*
** A read-only handle on a TM older than this version reads units through one
** of these views, which every unqualified "units" (and "unit_props") of the
** readers' SQL resolves to (the temp schema is searched first): the columns
** of this version, those the TM lacks read as NULL (role before version 5,
** created_by and unit_props.side before 6, the review columns before 7).
*/
static const char view_v5[] =
  "CREATE TEMP VIEW IF NOT EXISTS units AS SELECT *, NULL AS role, NULL AS created_by,"
  " NULL AS review_status, NULL AS reviewer, NULL AS reviewed, NULL AS src_segs, NULL AS tgt_segs FROM main.units;";
static const char view_v6[] =
  "CREATE TEMP VIEW IF NOT EXISTS units AS SELECT *, NULL AS created_by,"
  " NULL AS review_status, NULL AS reviewer, NULL AS reviewed, NULL AS src_segs, NULL AS tgt_segs FROM main.units;";
static const char view_v7[] =
  "CREATE TEMP VIEW IF NOT EXISTS units AS SELECT *, NULL AS review_status, NULL AS reviewer, NULL AS reviewed, NULL AS src_segs, NULL AS tgt_segs FROM main.units;";
static const char view_v6_props[] =
  "CREATE TEMP VIEW IF NOT EXISTS unit_props AS SELECT *, NULL AS side FROM main.unit_props;";

/*
** The migration to version 4 also escapes the names an older version
** stored as raw bytes (ieum_name(): store.c), keeping those bytes; a
** unit's own name whose escaped form is taken already stays (OR IGNORE):
** readers escape it anyway.
*/
static const char fill_v4[] =
  "UPDATE documents SET src_path_raw = CAST(src_path AS BLOB), src_path = ieum_name(src_path)"
  "  WHERE src_path IS NOT ieum_name(src_path);"
  "UPDATE documents SET tgt_path_raw = CAST(tgt_path AS BLOB), tgt_path = ieum_name(tgt_path)"
  "  WHERE tgt_path IS NOT ieum_name(tgt_path);"
  "UPDATE OR IGNORE units SET origin = ieum_name(origin) WHERE origin IS NOT ieum_name(origin);";

/* What the version-2 schema added, dropped by the migration 2 -> 3. */
static const char drop_v2[] =
  "DROP TRIGGER IF EXISTS units_fts_insert;"
  "DROP TRIGGER IF EXISTS units_fts_delete;"
  "DROP TRIGGER IF EXISTS units_fts_update;"
  "DROP TABLE IF EXISTS units_fts;";

/* Fills the new indexes from every unit (the migrations 1 -> 3 and 2 -> 3). */
static const char fill_v3[] =
  "INSERT INTO units_src_fts(units_src_fts) VALUES('rebuild');"
  "INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('rebuild');";

/*
** Units waiting for the index that make a commit flush them.  Each flush
** writes one FTS5 segment per index (plus its share of merging): flushing
** every few thousand units instead of every transaction (a batch commits
** one article pair, ~30 units, at a time) makes indexing ~20 times cheaper,
** while a search scores at most this many waiting units one by one (about
** 2 ms of work, only while a writer is mid-way or after a crash).
*/
#define INDEX_FLUSH_UNITS 1000

/*
** A flush of at least this many units (an import, a merge) ends with an
** FTS5 'optimize': its segments merged into one, so a term is one lookup
** instead of one per segment (search p50 -20% at a million units).  It
** rewrites the index: about 6 s per million units, paid only after a bulk
** write of comparable cost.
*/
#define OPTIMIZE_FLUSH_UNITS 50000

/*
** A flush of OPTIMIZE_FLUSH_UNITS or more gathers FTS5's pending terms in a
** hash table of up to BULK_HASH_BYTES (instead of FTS5's 1 MiB) before it
** writes a segment: a million units become one segment instead of hundreds
** that its automerge merges again and again (the flush of a million units
** 11.7 + 2.6 s of optimize before, 8.3 s and no merge left after; memory: at
** most this much more while it runs).  The setting is stored in the
** indexes' config tables, so it is set back to FTS5's default afterwards.
*/
#define BULK_HASH_SQL(bytes)                                                                                    \
  "INSERT INTO units_src_fts(units_src_fts, rank) VALUES('hashsize', " #bytes ");"                             \
  "INSERT INTO units_tgt_fts(units_tgt_fts, rank) VALUES('hashsize', " #bytes ");"
static const char bulk_hash_sql[] = BULK_HASH_SQL(67108864);
static const char default_hash_sql[] = BULK_HASH_SQL(1048576);

static const char optimize_sql[] =
  "INSERT INTO units_src_fts(units_src_fts) VALUES('optimize');"
  "INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('optimize');";

/* Moves every waiting unit into both indexes (inside the caller's transaction). */
static const char flush_sql[] =
  "INSERT INTO units_src_fts(rowid, src)"
  "  SELECT u.id, u.src FROM units_unindexed AS w JOIN units AS u ON u.id = w.id ORDER BY w.id;"
  "INSERT INTO units_tgt_fts(rowid, tgt)"
  "  SELECT u.id, u.tgt FROM units_unindexed AS w JOIN units AS u ON u.id = w.id ORDER BY w.id;"
  "DELETE FROM units_unindexed;";

/* Runs a statement that yields one integer row (a PRAGMA or a count). */
static int query_int(int64_t *out, ieum_tm *tm, const char *sql)
{
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
    src = SQLITE_OK;
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot read the TM header");
    goto done;
  }
  *out = sqlite3_column_int64(st, 0);
done:
  sqlite3_finalize(st);
  return rc;
}

/* Runs SQL without parameters (DDL, PRAGMA settings); `what` names it in messages. */
static int exec(ieum_tm *tm, const char *sql, const char *what)
{
  int src = sqlite3_exec(tm->db, sql, NULL, NULL, NULL);
  return src == SQLITE_OK ? IEUM_OK : ieum_tm__db_error(tm, src, what);
}

/* Adds what version 4 adds, where it is missing (a TM some tool half changed keeps what it has). */
static int add_v4(ieum_tm *tm)
{
  int64_t have = 0;
  int rc = query_int(&have, tm, "SELECT count(*) FROM pragma_table_info('documents') WHERE name = 'src_path_raw'");
  if (rc == 0 && !have)
    rc = exec(tm, schema_v4_columns, "cannot add the file name columns");
  return rc ? rc : exec(tm, schema_v4_index, "cannot create the length index");
}

/* Adds the role column of version 5 where it is missing. */
static int add_v5(ieum_tm *tm)
{
  int64_t have = 0;
  int rc = query_int(&have, tm, "SELECT count(*) FROM pragma_table_info('units') WHERE name = 'role'");
  if (rc == 0 && !have)
    rc = exec(tm, schema_v5, "cannot add the role column");
  return rc;
}

/* Adds what version 6 adds (unit_props.side, units.created_by) where it is missing. */
static int add_v6(ieum_tm *tm)
{
  int64_t have = 0;
  int rc = query_int(&have, tm, "SELECT count(*) FROM pragma_table_info('unit_props') WHERE name = 'side'");
  if (rc == 0 && !have)
    rc = exec(tm, schema_v6_side, "cannot add the metadata side column");
  if (rc == 0)
    rc = query_int(&have, tm, "SELECT count(*) FROM pragma_table_info('units') WHERE name = 'created_by'");
  if (rc == 0 && !have)
    rc = exec(tm, schema_v6_created_by, "cannot add the created_by column");
  return rc;
}

/* Adds the review columns and tables of version 7 where they are missing. */
static int add_v7(ieum_tm *tm)
{
  int64_t have = 0;
  int rc = query_int(&have, tm, "SELECT count(*) FROM pragma_table_info('units') WHERE name = 'review_status'");
  if (rc == 0 && !have)
    rc = exec(tm, schema_v7_columns, "cannot add the review columns");
  return rc ? rc : exec(tm, schema_v7_tables, "cannot create the review tables");
}

static int count_objects(int64_t *out, ieum_tm *tm)
{
  return query_int(out, tm, "SELECT count(*) FROM sqlite_master");
}

/*
** Creates the schema in a database that is still empty.  *created is 0 when
** another process created it first (the caller then checks what it made).
*/
static int create(int *created, ieum_tm *tm)
{
  char pragmas[128];
  sqlite3_stmt *st = NULL;
  int64_t objects = 0;
  int rc, open = 0;
  *created = 0;
  /* The journal mode is persistent and cannot change inside a transaction. */
  if ((rc = exec(tm, "PRAGMA journal_mode=WAL", "cannot switch to WAL mode")) != 0)
    goto done;
  if ((rc = exec(tm, "BEGIN IMMEDIATE", "cannot begin the schema transaction")) != 0)
    goto done;
  open = 1;
  if ((rc = count_objects(&objects, tm)) != 0 || objects > 0)
    goto done;
  snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
           IEUM_TM__APPLICATION_ID, IEUM_TM__SCHEMA_VERSION);
  if ((rc = exec(tm, schema_v1, "cannot create the TM tables")) != 0 ||
      (rc = exec(tm, schema_v3, "cannot create the search index")) != 0 ||
      (rc = add_v4(tm)) != 0 || (rc = add_v5(tm)) != 0 || (rc = add_v6(tm)) != 0 || (rc = add_v7(tm)) != 0 ||
      (rc = exec(tm, pragmas, "cannot mark the database as a TM")) != 0)
    goto done;
  /* Who made the TM, and its form of language tags (the default, region codes: ieum_tm_set_lang_tags()). */
  int src = sqlite3_prepare_v2(tm->db, "INSERT INTO meta(key, value) VALUES(?1, ?2), ('" IEUM_TM__LANG_TAGS_KEY
                                       "', 'region')", -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 1, "created_by", -1, SQLITE_STATIC);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 2, "ieum " IEUM_VERSION_STRING, -1, SQLITE_STATIC);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_DONE)
    src = SQLITE_OK;
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot write the TM metadata");
    goto done;
  }
  *created = 1;
done:
  sqlite3_finalize(st);
  if (open) {
    if (rc == IEUM_OK) {
      rc = exec(tm, "COMMIT", "cannot commit the schema");
      open = rc != IEUM_OK && !sqlite3_get_autocommit(tm->db);
    }
    if (open)
      sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL); /* the error is already recorded */
  }
  return rc;
}

/*
** Brings a TM of an older schema version up to this one, in one
** transaction that first reads the version again: when another process
** migrated it meanwhile, nothing is done.  A failure rolls everything back.
*/
static int migrate(ieum_tm *tm)
{
  int64_t version = 0;
  int rc, open = 0;
  if ((rc = exec(tm, "BEGIN IMMEDIATE", "cannot begin the migration")) != 0)
    goto done;
  open = 1;
  if ((rc = query_int(&version, tm, "PRAGMA user_version")) != 0)
    goto done;
  if (version >= 1 && version < IEUM_TM__SCHEMA_VERSION) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", IEUM_TM__SCHEMA_VERSION);
    if (version < 3 && ((rc = exec(tm, drop_v2, "cannot drop the old search index")) != 0 ||
                        (rc = exec(tm, schema_v3, "cannot create the search index")) != 0 ||
                        (rc = exec(tm, fill_v3, "cannot fill the search index")) != 0))
      goto done;
    if ((rc = add_v4(tm)) != 0 ||
        (rc = exec(tm, fill_v4, "cannot escape the file names")) != 0 || (rc = add_v5(tm)) != 0 ||
        (rc = add_v6(tm)) != 0 || (rc = add_v7(tm)) != 0 ||
        (rc = exec(tm, pragma, "cannot set the schema version")) != 0)
      goto done;
  }
done:
  if (open) {
    if (rc == IEUM_OK) {
      rc = exec(tm, "COMMIT", "cannot commit the migration");
      open = rc != IEUM_OK && !sqlite3_get_autocommit(tm->db);
    }
    if (open)
      sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL); /* the error is already recorded */
  }
  return rc;
}

int ieum_tm__schema_open(ieum_tm *tm)
{
  int64_t app = 0, version = 0, objects = 0;
  int rc, tries = 0;
again:
  if ((rc = query_int(&app, tm, "PRAGMA application_id")) != 0 ||
      (rc = query_int(&version, tm, "PRAGMA user_version")) != 0)
    return rc;
  if (app == 0 && version == 0) {
    if ((rc = count_objects(&objects, tm)) != 0)
      return rc;
    if (objects == 0) {
      int created = 0;
      if (!tm->writable)
        return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (empty database)", tm->path);
      if ((rc = create(&created, tm)) != 0)
        return rc;
      if (!created && tries++ == 0)
        goto again; /* someone else created it meanwhile: check what they made */
      tm->index_version = IEUM_TM__SCHEMA_VERSION;
      return IEUM_OK;
    }
  }
  if (app != IEUM_TM__APPLICATION_ID)
    return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (SQLite application_id 0x%08llx)",
                           tm->path, (unsigned long long)(uint32_t)app);
  if (version > IEUM_TM__SCHEMA_VERSION)
    return ieum__error_set(IEUM_EDB, "%s: TM schema version %lld is newer than this ieum reads (%d)",
                           tm->path, (long long)version, IEUM_TM__SCHEMA_VERSION);
  if (version < 1)
    return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (schema version %lld)", tm->path,
                           (long long)version);
  /* Read-only handles use an older schema as it is (search then says what is missing). */
  tm->index_version = (int)version;
  if (version < IEUM_TM__SCHEMA_VERSION && tm->writable) {
    if ((rc = migrate(tm)) != 0)
      return rc;
    tm->index_version = IEUM_TM__SCHEMA_VERSION;
  } else if (version < IEUM_TM__SCHEMA_VERSION &&
             ((rc = exec(tm, version < 5 ? view_v5 : version < 6 ? view_v6 : view_v7,
                         "cannot read the units of an older TM")) != 0 ||
              (version < 6 && (rc = exec(tm, view_v6_props, "cannot read the unit metadata of an older TM")) != 0))) {
    return rc;
  }
  return IEUM_OK;
}

/* Units waiting for the index (0 when the TM has no units_unindexed: an older schema). */
static int count_unindexed(int64_t *out, ieum_tm *tm)
{
  *out = 0;
  if (tm->index_version == 0)
    return IEUM_OK;
  return query_int(out, tm, "SELECT count(*) FROM units_unindexed");
}

int ieum_tm__index_flush(ieum_tm *tm, int force)
{
  int64_t waiting = 0;
  int rc;
  if (!tm->writable || tm->index_version != IEUM_TM__SCHEMA_VERSION)
    return IEUM_OK;
  if ((rc = count_unindexed(&waiting, tm)) != 0)
    return rc;
  if (waiting == 0 || (!force && waiting < INDEX_FLUSH_UNITS))
    return IEUM_OK;
  if (waiting < OPTIMIZE_FLUSH_UNITS)
    return exec(tm, flush_sql, "cannot update the search index");
  if ((rc = exec(tm, bulk_hash_sql, "cannot size the search index's buffer")) != 0 ||
      (rc = exec(tm, flush_sql, "cannot update the search index")) != 0 ||
      (rc = exec(tm, default_hash_sql, "cannot size the search index's buffer")) != 0)
    return rc;
  return exec(tm, optimize_sql, "cannot optimize the search index");
}

void ieum_tm__index_flush_on_close(ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  int waiting = 0;
  if (!tm->db || !tm->writable || tm->index_version != IEUM_TM__SCHEMA_VERSION || !sqlite3_get_autocommit(tm->db))
    return;
  /* Raw SQLite calls only: nothing here may replace the caller's last error. */
  if (sqlite3_prepare_v2(tm->db, "SELECT EXISTS (SELECT 1 FROM units_unindexed)", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    waiting = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (!waiting)
    return;
  /* Another writer holds the TM: leave the units recorded (search still sees them). */
  sqlite3_busy_timeout(tm->db, 0);
  if (sqlite3_exec(tm->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
    if (sqlite3_exec(tm->db, flush_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(tm->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
      sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL);
  }
}
