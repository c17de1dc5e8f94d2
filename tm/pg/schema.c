/*
** tm/pg/schema.c: the tables of a PostgreSQL TM and their migrations: the
** one place that says what the PostgreSQL schema is.
**
** A PostgreSQL TM lives in the schema "ieum" of a database (other
** applications may share the database), with the tables, columns and
** version numbers of the SQLite TM (tm/schema.c): meta, documents, units,
** document_meta, unit_props, lexicon.  The search index is pg_trgm's: GIN
** trigram indexes on units.src and units.tgt (candidates for fuzzy search
** and concordance), plus a hash index on units.src (exact lookups: merging
** duplicates) and a B-tree on char_length(src) (search texts too short for
** trigrams).  meta holds 'schema_version'.  A new database gets
** schema_v5 and then every later step of migrations[]; an older one gets
** the steps above its version, all in one transaction under an advisory
** lock, so two processes opening a new TM at once make one schema.
** Adding schema version N: append { N, "ALTER TABLE ..." } to migrations[]
** (the SQLite side: tm/schema.c) and set IEUM_TM__SCHEMA_VERSION; nothing
** else here changes.
** pg_trgm must be able to take Hangul for letters: the database's
** LC_CTYPE must be a UTF-8 locale (C.UTF-8, ko_KR.UTF-8, ...); the check
** runs at every open for writing and says so when it fails.
** Cost: a few catalog queries per open; creation is a handful of DDL.
** Not here: reading and writing rows (store.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

/* pg_advisory_xact_lock key of schema creation and migration: 'IEUM' in ASCII, as the SQLite application_id. */
#define PG_SCHEMA_LOCK "1229276493"

/* Schema version 5 (the SQLite TM's tm/schema.c), the first one a PostgreSQL TM has. */
static const char schema_v5[] =
  "CREATE SCHEMA IF NOT EXISTS ieum;"
  "CREATE TABLE ieum.meta("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE ieum.documents("
  "  id BIGSERIAL PRIMARY KEY,"
  "  kind TEXT NOT NULL,"           /* 'pair' or 'tmx' */
  "  src_path TEXT,"                /* valid UTF-8: stray bytes written \\xHH */
  "  tgt_path TEXT,"
  "  src_lang TEXT,"
  "  tgt_lang TEXT,"
  "  hash TEXT NOT NULL,"           /* ieum_tm_hash(): 32 hex digits */
  "  added BIGINT NOT NULL,"        /* seconds since the Unix epoch */
  "  src_path_raw BYTEA,"           /* the name's bytes when they are not valid UTF-8 */
  "  tgt_path_raw BYTEA,"
  "  UNIQUE(kind, hash));"
  "CREATE TABLE ieum.units("
  "  id BIGSERIAL PRIMARY KEY,"
  "  doc_id BIGINT NOT NULL REFERENCES ieum.documents(id) ON DELETE CASCADE,"
  "  position BIGINT NOT NULL,"
  "  src TEXT NOT NULL,"
  "  tgt TEXT NOT NULL,"
  "  src_lang TEXT NOT NULL,"
  "  tgt_lang TEXT NOT NULL,"
  "  score DOUBLE PRECISION,"
  "  bead TEXT,"
  "  origin TEXT,"
  "  note TEXT,"
  "  created BIGINT NOT NULL,"
  "  role TEXT);"
  "CREATE UNIQUE INDEX units_place ON ieum.units(doc_id, COALESCE(origin, ''), position);"
  "CREATE INDEX units_langs ON ieum.units(src_lang, tgt_lang);"
  "CREATE INDEX units_src_trgm ON ieum.units USING gin (src gin_trgm_ops);"
  "CREATE INDEX units_tgt_trgm ON ieum.units USING gin (tgt gin_trgm_ops);"
  "CREATE INDEX units_src_hash ON ieum.units USING hash (src);"
  "CREATE INDEX units_src_length ON ieum.units(char_length(src));"
  "CREATE TABLE ieum.document_meta("
  "  doc_id BIGINT NOT NULL REFERENCES ieum.documents(id) ON DELETE CASCADE,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY(doc_id, key));"
  "CREATE TABLE ieum.unit_props("
  "  unit_id BIGINT NOT NULL REFERENCES ieum.units(id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"           /* 'prop', 'note' or 'attr' */
  "  type TEXT,"
  "  lang TEXT,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY(unit_id, seq));"
  "CREATE TABLE ieum.lexicon("
  "  src TEXT NOT NULL,"
  "  tgt TEXT NOT NULL,"
  "  origin TEXT NOT NULL,"
  "  weight DOUBLE PRECISION NOT NULL,"
  "  count BIGINT NOT NULL,"
  "  PRIMARY KEY(src, tgt, origin));"
  "INSERT INTO ieum.meta(key, value) VALUES('schema_version', '5'), ('created_by', 'ieum " IEUM_VERSION_STRING "'),"
  " ('tm.lang_tags', 'region');";

/* The steps after version 5: each brings the schema from version - 1 to version. */
static const struct {
  int version;
  const char *sql;
} migrations[] = {
  /* 6: the side of a unit's metadata ('src'/'tgt': of a <tuv>; NULL: of the <tu>), who made a unit */
  { 6, "ALTER TABLE ieum.unit_props ADD COLUMN IF NOT EXISTS side TEXT;"
       "ALTER TABLE ieum.units ADD COLUMN IF NOT EXISTS created_by TEXT;" },
  /* 7: the review step's unit columns (the review itself runs on SQLite TMs: include/ieum/review.h) */
  { 7, "ALTER TABLE ieum.units ADD COLUMN IF NOT EXISTS review_status TEXT,"
       " ADD COLUMN IF NOT EXISTS reviewer TEXT, ADD COLUMN IF NOT EXISTS reviewed BIGINT,"
       " ADD COLUMN IF NOT EXISTS src_segs TEXT, ADD COLUMN IF NOT EXISTS tgt_segs TEXT;" },
};

static int query_text(char *out, size_t size, ieum_tm *tm, const char *sql, const char *what)
{
  PGresult *res = PQexec(tm->pg->conn, sql);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, what);
  out[0] = '\0';
  if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
    snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
  PQclear(res);
  return IEUM_OK;
}

/* The schema's version into *out: 0 when the database has no schema "ieum" (a new TM). */
static int read_version(int *out, ieum_tm *tm)
{
  char v[32];
  int rc;
  *out = 0;
  /* One statement, one snapshot: another process may be creating the schema right now. */
  if ((rc = query_text(v, sizeof v, tm,
                       "SELECT CASE WHEN to_regclass('ieum.meta') IS NOT NULL THEN 'tm'"
                       " WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'ieum') THEN 'other' ELSE 'none' END",
                       "cannot read the TM")) != 0)
    return rc;
  if (!strcmp(v, "other"))
    return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (a schema 'ieum' without its meta table)",
                           tm->path);
  if (!strcmp(v, "none"))
    return IEUM_OK;
  if ((rc = query_text(v, sizeof v, tm, "SELECT value FROM ieum.meta WHERE key = 'schema_version'",
                       "cannot read the TM's version")) != 0)
    return rc;
  *out = atoi(v);
  if (*out < 5)
    return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (schema version '%s')", tm->path, v);
  return IEUM_OK;
}

/* pg_trgm must see Hangul as letters, which needs a UTF-8 LC_CTYPE. */
static int check_trigrams(ieum_tm *tm)
{
  char v[64], ctype[128];
  int rc = query_text(v, sizeof v, tm, "SELECT array_length(show_trgm('한국어'), 1)", "cannot use pg_trgm");
  if (rc == 0 && !*v) {
    query_text(ctype, sizeof ctype, tm, "SELECT datctype FROM pg_database WHERE datname = current_database()",
               "cannot read the database's locale");
    return ieum__error_set(IEUM_EDB, "%s: the database's LC_CTYPE '%s' does not take Hangul for letters, so the "
                           "trigram index would miss Korean: create the database with a UTF-8 locale "
                           "(createdb --locale=C.UTF-8 --template=template0)", tm->path, ctype);
  }
  return rc;
}

/* Creates or migrates the schema in one transaction under the advisory lock. */
static int upgrade(ieum_tm *tm)
{
  int version = 0, rc;
  if ((rc = ieum_tm_pg__exec(tm, "BEGIN", "cannot begin the schema transaction")) != 0)
    return rc;
  if ((rc = ieum_tm_pg__exec(tm, "SELECT pg_advisory_xact_lock(" PG_SCHEMA_LOCK ")", "cannot lock the schema")) != 0 ||
      (rc = read_version(&version, tm)) != 0)
    goto done;
  if (version == 0) {
    PGresult *res = PQexec(tm->pg->conn, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      rc = ieum_tm_pg__error(tm, res, "cannot create the pg_trgm extension (a database owner may: CREATE EXTENSION pg_trgm)");
      goto done;
    }
    PQclear(res);
    if ((rc = check_trigrams(tm)) != 0 || (rc = ieum_tm_pg__exec(tm, schema_v5, "cannot create the TM tables")) != 0)
      goto done;
    version = 5;
  }
  for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
    char sql[96];
    if (!migrations[i].sql || migrations[i].version <= version)
      continue;
    snprintf(sql, sizeof sql, "UPDATE ieum.meta SET value = '%d' WHERE key = 'schema_version'", migrations[i].version);
    if ((rc = ieum_tm_pg__exec(tm, migrations[i].sql, "cannot migrate the TM")) != 0 ||
        (rc = ieum_tm_pg__exec(tm, sql, "cannot set the schema version")) != 0)
      goto done;
    version = migrations[i].version;
  }
done:
  if (rc == 0)
    return ieum_tm_pg__exec(tm, "COMMIT", "cannot commit the schema");
  PQclear(PQexec(tm->pg->conn, "ROLLBACK"));
  return rc;
}

int ieum_tm_pg__schema_open(ieum_tm *tm)
{
  int version = 0, rc;
  if ((rc = read_version(&version, tm)) != 0)
    return rc;
  if (version > IEUM_TM__SCHEMA_VERSION)
    return ieum__error_set(IEUM_EDB, "%s: TM schema version %d is newer than this ieum reads (%d)", tm->path, version,
                           IEUM_TM__SCHEMA_VERSION);
  if (version == 0 && !tm->writable)
    return ieum__error_set(IEUM_ENOTFOUND, "%s: no ieum TM in this database", tm->path);
  if (tm->writable && version < IEUM_TM__SCHEMA_VERSION && (rc = upgrade(tm)) != 0)
    return rc;
  if (tm->writable && version > 0 && (rc = check_trigrams(tm)) != 0)
    return rc;
  tm->index_version = IEUM_TM__SCHEMA_VERSION;
  return IEUM_OK;
}
