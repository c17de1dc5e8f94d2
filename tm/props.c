/*
** tm/props.c: a unit's TMX metadata in the TM (table unit_props), and the
** importer that adds units with their metadata.
**
** A TMX <tu> may carry <prop>s, <note>s and attributes (tuid, changedate,
** creationid ...) that have no column in units; they are kept as rows of
** unit_props (kind 'prop', 'note' or 'attr'; seq gives their order; side
** 'src' or 'tgt' for those of a <tuv>, whose API kinds are "src-prop",
** "tgt-attr" ...), so an export writes them back and a TMX survives an
** import/export unchanged.  Reading adds, for a unit ieum made whose
** created_by is known, the creationid, changeid and changedate it lacks
** (not for one imported from TMX, whose importer is in units.created_by).
** ieum_tm_set_unit_props() finds its unit by place (document row, origin,
** position) with the units_place index; the importer instead takes the id
** of the row its own INSERT just made (sqlite3_last_insert_rowid, which
** triggers do not disturb) and keeps its statements prepared for the whole
** import.  Duplicate merging: the importer fills a TEMP table with a 64-bit
** FNV-1a key of (languages as exports write them, ko and ko-KR as one:
** ieum_lang_export_tag(); source; target) per unit, from one scan of the
** TM and then from each unit it adds; a key hit is confirmed against the
** units row, so a key collision never drops a unit.  A unit with a
** position (x-position: it records a place in a document, and an article
** may hold the same sentence pair twice) is a duplicate only of a unit with
** the same pair at the same position: an ieum export imported back into
** its TM adds nothing, the repeated sentence of an article stays twice.
** The table lives in SQLite's temp store (a file by default), so memory
** stays flat however many units are imported; a Bloom filter of 8 MiB in
** front of it spares the probe of most new units.
** Cost: per unit one INSERT, plus one key INSERT (and a key probe only
** when the Bloom filter holds the key) when merging, plus one INSERT per
** prop; the initial scan reads every unit once.
** Not here: the table's definition (schema.c), units and documents
** (store.c), reading and writing TMX (formats/).
*/
#include <stdio.h>
#include <string.h>

#include "pg/pg_int.h"
#include "tm_int.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL  /* FNV-1a 64-bit offset basis */
#define FNV_PRIME 0x100000001b3ULL        /* FNV-1a 64-bit prime */

/* The last language tag normalized, and what it gave (units come in runs of one pair: ICU rarely). */
typedef struct {
  char raw[IEUM_LANG_MAX];
  char norm[IEUM_LANG_MAX];
} lang_memo;

struct ieum_tm_importer {
  ieum_tm *tm;
  lang_memo memo[2];         /* source and target tags of units added */
  int64_t doc_id;
  int merge;                 /* merge duplicates */
  char *doc_src_lang;        /* the document's languages: a unit without its own takes them */
  char *doc_tgt_lang;
  sqlite3_stmt *prop_insert; /* INSERT one prop */
  sqlite3_stmt *key_find;    /* units with a key and the same texts */
  sqlite3_stmt *key_insert;  /* INSERT a key */
  uint64_t *bloom;           /* BLOOM_BITS bits: the keys in the table */
};

/*
** A Bloom filter of the keys in the key table, in front of it: most units
** are new, and a key whose two bits are not both set is surely not in the
** table, so it costs no probe of the table (which was 8% of an import of a
** million units).  Two bits per key, taken from the key's two halves; 8 MiB,
** whatever the import's size (calloc'd: pages are touched as bits are set).
** A false hit is only a probe: at a million keys about 1 in 1,000, at ten
** million 1 in 50.
*/
#define BLOOM_BITS ((uint64_t)1 << 26)

static void bloom_add(uint64_t *b, int64_t key)
{
  uint64_t k = (uint64_t)key, i = k & (BLOOM_BITS - 1), j = (k >> 31) & (BLOOM_BITS - 1);
  b[i >> 6] |= (uint64_t)1 << (i & 63);
  b[j >> 6] |= (uint64_t)1 << (j & 63);
}

static int bloom_has(const uint64_t *b, int64_t key)
{
  uint64_t k = (uint64_t)key, i = k & (BLOOM_BITS - 1), j = (k >> 31) & (BLOOM_BITS - 1);
  return (b[i >> 6] >> (i & 63) & 1) && (b[j >> 6] >> (j & 63) & 1);
}

static const char sql_prop_delete[] = "DELETE FROM unit_props WHERE unit_id = ?1";
static const char sql_prop_insert[] =
  "INSERT INTO unit_props(unit_id, seq, kind, type, lang, value, side) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_key_table[] =
  "CREATE TEMP TABLE IF NOT EXISTS ieum_import_keys("
  "  k INTEGER NOT NULL, unit_id INTEGER NOT NULL, PRIMARY KEY(k, unit_id)) WITHOUT ROWID;"
  "DELETE FROM temp.ieum_import_keys;";
/* CROSS JOIN keeps the key table as the outer loop: SQLite must not scan units for the texts.  The
   languages are compared as exports write them, in C. */
static const char sql_key_find[] =
  "SELECT u.src_lang, u.tgt_lang, u.position FROM temp.ieum_import_keys AS k"
  " CROSS JOIN main.units AS u ON u.id = k.unit_id WHERE k.k = ?1 AND u.src = ?2 AND u.tgt = ?3";
static const char sql_key_insert[] = "INSERT OR IGNORE INTO temp.ieum_import_keys(k, unit_id) VALUES(?1, ?2)";
static const char sql_key_scan[] = "SELECT id, src_lang, tgt_lang, src, tgt FROM main.units";

/* ---- keys ------------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= FNV_PRIME;
  }
  /* Ends the field with byte 0xFF, which never occurs in UTF-8: ("ab","c") and ("a","bc") differ. */
  h ^= 0xff;
  return h * FNV_PRIME;
}

static int64_t pair_key(const char *sl, const char *tl, const char *s, size_t sn, const char *t, size_t tn)
{
  uint64_t h = FNV_OFFSET;
  h = fnv(h, sl, strlen(sl));
  h = fnv(h, tl, strlen(tl));
  h = fnv(h, s, sn);
  h = fnv(h, t, tn);
  return (int64_t)(h >> 1); /* non-negative: any int64 would do, this reads better in a dump */
}

/* `tag` as exports write it (region-coded, case-normalized), through `m`; a tag ICU cannot read stays as it is. */
static const char *norm_lang(lang_memo *m, const char *tag)
{
  if (!tag)
    return "";
  if (!strcmp(m->raw, tag) && m->raw[0])
    return m->norm;
  if (strlen(tag) >= IEUM_LANG_MAX || ieum_lang_export_tag(m->norm, sizeof m->norm, tag, 0) != 0) {
    ieum__error_clear();
    m->raw[0] = '\0';
    return tag;
  }
  strcpy(m->raw, tag);
  return m->norm;
}

/* ---- props ----------------------------------------------------------------- */

/* The API kinds of metadata: [side][kind], side 0 the <tu>, 1 the source <tuv>, 2 the target <tuv>. */
static const char *const kinds[3][3] = { { "prop", "note", "attr" },
                                         { "src-prop", "src-note", "src-attr" },
                                         { "tgt-prop", "tgt-note", "tgt-attr" } };
static const char *const side_names[3] = { NULL, "src", "tgt" };

/* Splits an API kind into its side (0-2) and its kind (0-2: prop, note, attr); -1 when unknown. */
static int split_kind(int *side, const char *kind)
{
  for (int s = 0; s < 3; s++)
    for (int k = 0; k < 3; k++)
      if (kind && !strcmp(kind, kinds[s][k])) {
        *side = s;
        return k;
      }
  return -1;
}

static int check_props(ieum_tm *tm, const ieum_unit_prop *props, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const ieum_unit_prop *p = &props[i];
    int side, k = split_kind(&side, p->kind);
    if (k < 0)
      return ieum__error_set(IEUM_EINVAL,
                             "%s: unit metadata of kind \"%s\" (prop, note or attr, or src-/tgt- one, expected)",
                             tm->path, p->kind ? p->kind : "(null)");
    if (k != 1 && (!p->type || !*p->type))
      return ieum__error_set(IEUM_EINVAL, "%s: a unit %s without a type", tm->path, p->kind);
  }
  return IEUM_OK;
}

static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
  return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Runs a prepared statement with no result rows and resets it. */
static int step_done(ieum_tm *tm, sqlite3_stmt *st, const char *what)
{
  int src = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (src != SQLITE_DONE)
    return ieum_tm__db_error(tm, src, what);
  return IEUM_OK;
}

/*
** Replaces the props of unit `id` with `props` through the two statements;
** `del` NULL: the unit was just added and has none (the importer: SQLite
** runs that DELETE through a temporary B-tree, a third of a prop's cost).
*/
static int write_props(ieum_tm *tm, sqlite3_stmt *del, sqlite3_stmt *ins, int64_t id, const ieum_unit_prop *props,
                       size_t n)
{
  char idtext[24];
  int rc, seq = 0, src;
  snprintf(idtext, sizeof idtext, "%lld", (long long)id);
  if (del) {
    if ((src = sqlite3_bind_int64(del, 1, id)) != SQLITE_OK)
      return ieum_tm__db_error(tm, src, "cannot remove unit metadata");
    if ((rc = step_done(tm, del, "cannot remove unit metadata")) != 0)
      return rc;
  }
  for (size_t i = 0; i < n; i++) {
    const ieum_unit_prop *p = &props[i];
    if (!strcmp(p->kind, "attr") && !strcmp(p->type, "tuid") && p->value && !strcmp(p->value, idtext))
      continue; /* the export writes the unit's id as tuid anyway */
    int side = 0, k = split_kind(&side, p->kind);
    src = sqlite3_bind_int64(ins, 1, id);
    if (src == SQLITE_OK)
      src = sqlite3_bind_int(ins, 2, seq++);
    if (src == SQLITE_OK)
      src = sqlite3_bind_text(ins, 3, kinds[0][k], -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
      src = bind_opt(ins, 4, k != 1 ? p->type : NULL);
    if (src == SQLITE_OK)
      src = bind_opt(ins, 7, side_names[side]);
    if (src == SQLITE_OK)
      src = bind_opt(ins, 5, p->lang && *p->lang ? p->lang : NULL);
    if (src == SQLITE_OK)
      src = sqlite3_bind_text(ins, 6, p->value ? p->value : "", -1, SQLITE_STATIC);
    if (src != SQLITE_OK) {
      sqlite3_reset(ins);
      return ieum_tm__db_error(tm, src, "cannot store unit metadata");
    }
    if ((rc = step_done(tm, ins, "cannot store unit metadata")) != 0)
      return rc;
  }
  return IEUM_OK;
}

static int prepare(ieum_tm *tm, sqlite3_stmt **st, const char *sql)
{
  int src = sqlite3_prepare_v2(tm->db, sql, -1, st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot prepare a statement");
  return IEUM_OK;
}

int ieum_tm_set_unit_props(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit, const ieum_unit_prop *props,
                           size_t n_props)
{
  if (tm->pg)
    return ieum_tm_pg__set_unit_props(tm, doc_id, unit, props, n_props);
  sqlite3_stmt *find = NULL, *del = NULL, *ins = NULL;
  int rc, src;
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: unit metadata written outside a transaction", tm->path);
  if ((rc = check_props(tm, props, n_props)) != 0)
    return rc;
  rc = prepare(tm, &find,
               unit->position >= 0
                 ? "SELECT id FROM units WHERE doc_id = ?1 AND COALESCE(origin, '') = COALESCE(?2, '')"
                   " AND position = ?3"
                 : "SELECT id FROM units WHERE doc_id = ?1 AND COALESCE(origin, '') = COALESCE(?2, '')"
                   " ORDER BY position DESC LIMIT 1");
  if (rc)
    goto done;
  src = sqlite3_bind_int64(find, 1, doc_id);
  if (src == SQLITE_OK)
    src = bind_opt(find, 2, unit->document);
  if (src == SQLITE_OK && unit->position >= 0)
    src = sqlite3_bind_int64(find, 3, unit->position);
  if (src == SQLITE_OK)
    src = sqlite3_step(find);
  if (src == SQLITE_DONE) {
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no unit at position %lld of \"%s\" in document %lld", tm->path,
                         (long long)unit->position, unit->document ? unit->document : "",
                         (long long)doc_id);
    goto done;
  }
  if (src != SQLITE_ROW) {
    rc = ieum_tm__db_error(tm, src, "cannot find the unit");
    goto done;
  }
  int64_t id = sqlite3_column_int64(find, 0);
  if ((rc = prepare(tm, &del, sql_prop_delete)) != 0 || (rc = prepare(tm, &ins, sql_prop_insert)) != 0)
    goto done;
  rc = write_props(tm, del, ins, id, props, n_props);
done:
  sqlite3_finalize(find);
  sqlite3_finalize(del);
  sqlite3_finalize(ins);
  return rc;
}

/* ---- the importer ------------------------------------------------------------ */

/* Fills the key table from every unit of the TM. */
static int scan_keys(ieum_tm_importer *im)
{
  ieum_tm *tm = im->tm;
  sqlite3_stmt *scan = NULL;
  lang_memo ms = { "", "" }, mt = { "", "" };
  int rc = prepare(tm, &scan, sql_key_scan), src;
  if (rc)
    return rc;
  while ((src = sqlite3_step(scan)) == SQLITE_ROW) {
    const char *sl = (const char *)sqlite3_column_text(scan, 1);
    const char *tl = (const char *)sqlite3_column_text(scan, 2);
    const char *s = (const char *)sqlite3_column_text(scan, 3);
    size_t sn = (size_t)sqlite3_column_bytes(scan, 3);
    const char *t = (const char *)sqlite3_column_text(scan, 4);
    size_t tn = (size_t)sqlite3_column_bytes(scan, 4);
    if (!sl || !tl || !s || !t) {
      rc = ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a unit");
      goto done;
    }
    int64_t key = pair_key(norm_lang(&ms, sl), norm_lang(&mt, tl), s, sn, t, tn);
    bloom_add(im->bloom, key);
    src = sqlite3_bind_int64(im->key_insert, 1, key);
    if (src == SQLITE_OK)
      src = sqlite3_bind_int64(im->key_insert, 2, sqlite3_column_int64(scan, 0));
    if (src != SQLITE_OK) {
      rc = ieum_tm__db_error(tm, src, "cannot index the units");
      goto done;
    }
    if ((rc = step_done(tm, im->key_insert, "cannot index the units")) != 0)
      goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
done:
  sqlite3_finalize(scan);
  return rc;
}

static char *column_dup(sqlite3_stmt *st, int i, int *oom)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  if (!s)
    return NULL;
  char *d = ieum__strdup(s);
  if (!d)
    *oom = 1;
  return d;
}

int ieum_tm_importer_new(ieum_tm_importer **out, ieum_tm *tm, int64_t doc_id, int merge_duplicates)
{
  ieum_tm_importer *im = NULL;
  sqlite3_stmt *doc = NULL;
  int rc = IEUM_OK, src, oom = 0;
  *out = NULL;
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: import outside a transaction", tm->path);
  if (!(im = ieum__calloc(1, sizeof *im)))
    return ieum__error_oom();
  im->tm = tm;
  im->doc_id = doc_id;
  im->merge = merge_duplicates != 0;
  if (tm->pg) {
    rc = ieum_tm_pg__document_langs(&im->doc_src_lang, &im->doc_tgt_lang, tm, doc_id);
    goto done;
  }
  if ((rc = prepare(tm, &doc, "SELECT src_lang, tgt_lang FROM documents WHERE id = ?1")) != 0)
    goto done;
  src = sqlite3_bind_int64(doc, 1, doc_id);
  if (src == SQLITE_OK)
    src = sqlite3_step(doc);
  if (src == SQLITE_DONE) {
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no document %lld", tm->path, (long long)doc_id);
    goto done;
  }
  if (src != SQLITE_ROW) {
    rc = ieum_tm__db_error(tm, src, "cannot find the document");
    goto done;
  }
  im->doc_src_lang = column_dup(doc, 0, &oom);
  im->doc_tgt_lang = column_dup(doc, 1, &oom);
  if (oom) {
    rc = ieum__error_oom();
    goto done;
  }
  /* A bulk write: a page cache that holds the indexes' working set, so pages are written once at
     the commit instead of spilled into the log again at every change (memory: at most 64 MiB), and
     one for the duplicate keys of the temp schema (at most 32 MiB). */
  src = sqlite3_exec(tm->db, "PRAGMA main.cache_size=-65536; PRAGMA temp.cache_size=-32768", NULL, NULL, NULL);
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot size the page cache");
    goto done;
  }
  if ((rc = prepare(tm, &im->prop_insert, sql_prop_insert)) != 0)
    goto done;
  if (im->merge) {
    src = sqlite3_exec(tm->db, sql_key_table, NULL, NULL, NULL);
    if (src != SQLITE_OK) {
      rc = ieum_tm__db_error(tm, src, "cannot create the duplicate index");
      goto done;
    }
    if (!(im->bloom = ieum__calloc(BLOOM_BITS / 64, sizeof *im->bloom))) {
      rc = ieum__error_oom();
      goto done;
    }
    if ((rc = prepare(tm, &im->key_find, sql_key_find)) != 0 ||
        (rc = prepare(tm, &im->key_insert, sql_key_insert)) != 0 || (rc = scan_keys(im)) != 0)
      goto done;
  }
done:
  sqlite3_finalize(doc);
  if (rc) {
    ieum_tm_importer_free(im);
    return rc;
  }
  *out = im;
  return IEUM_OK;
}

/*
** Is the pair already in the TM (its languages as exports write them: a
** ko/en unit is a ko-KR/en-US one), at the unit's position when it has
** one?  `*dup` = 1 when so; `*key` receives its key.  `sl`, `tl`: the
** unit's tags normalized.
*/
static int find_duplicate(int *dup, int64_t *key, ieum_tm_importer *im, const ieum_unit *u, const char *sl,
                          const char *tl)
{
  sqlite3_stmt *st = im->key_find;
  const char *s = u->src ? u->src : "", *t = u->tgt ? u->tgt : "";
  lang_memo ms = { "", "" }, mt = { "", "" };
  *dup = 0;
  *key = pair_key(sl, tl, s, u->src_len, t, u->tgt_len);
  if (!bloom_has(im->bloom, *key))
    return IEUM_OK;
  int src = sqlite3_bind_int64(st, 1, *key);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text64(st, 2, s, u->src_len, SQLITE_STATIC, SQLITE_UTF8);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text64(st, 3, t, u->tgt_len, SQLITE_STATIC, SQLITE_UTF8);
  while (src == SQLITE_OK && !*dup && (src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    *dup = a && b && !strcmp(norm_lang(&ms, a), sl) && !strcmp(norm_lang(&mt, b), tl) &&
           (u->position < 0 || sqlite3_column_int64(st, 2) == u->position);
    src = SQLITE_OK;
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (src != SQLITE_OK && src != SQLITE_DONE)
    return ieum_tm__db_error(im->tm, src, "cannot look for a duplicate unit");
  return IEUM_OK;
}

int ieum_tm_importer_add(int *out, ieum_tm_importer *im, const ieum_unit *unit, const ieum_unit_prop *props,
                         size_t n_props)
{
  if (im->tm->pg) {
    ieum_unit canon = *unit; /* duplicates are looked for under the tags the unit is stored with */
    ieum_tm__lang_pair(im->tm, &canon.src_lang, &canon.tgt_lang);
    return ieum_tm_pg__import_add(out, im->tm, im->doc_id, im->merge, im->doc_src_lang, im->doc_tgt_lang, &canon,
                                  props, n_props);
  }
  ieum_tm *tm = im->tm;
  int rc, dup = 0;
  int64_t key = 0;
  const char *sl = unit->src_lang ? unit->src_lang : im->doc_src_lang;
  const char *tl = unit->tgt_lang ? unit->tgt_lang : im->doc_tgt_lang;
  if (out)
    *out = 0;
  if (sl && tl) {
    sl = norm_lang(&im->memo[0], sl);
    tl = norm_lang(&im->memo[1], tl);
  }
  if ((rc = check_props(tm, props, n_props)) != 0)
    return rc;
  /* A unit with a position records a place in a document (the same sentence
     pair may occur twice in an article): it is a duplicate of a unit at the
     same position only, as the units of an ieum export are when it comes back. */
  if (im->merge && sl && tl && (rc = find_duplicate(&dup, &key, im, unit, sl, tl)) != 0)
    return rc;
  if (dup)
    return IEUM_OK;
  if ((rc = ieum_tm_add_unit(tm, im->doc_id, unit)) != 0)
    return rc;
  if (sqlite3_changes(tm->db) == 0)
    return IEUM_OK; /* a unit was already at that place */
  int64_t id = sqlite3_last_insert_rowid(tm->db);
  if (im->merge && sl && tl) {
    bloom_add(im->bloom, key);
    int src = sqlite3_bind_int64(im->key_insert, 1, key);
    if (src == SQLITE_OK)
      src = sqlite3_bind_int64(im->key_insert, 2, id);
    if (src != SQLITE_OK)
      return ieum_tm__db_error(tm, src, "cannot index a unit");
    if ((rc = step_done(tm, im->key_insert, "cannot index a unit")) != 0)
      return rc;
  }
  if (n_props && (rc = write_props(tm, NULL, im->prop_insert, id, props, n_props)) != 0)
    return rc;
  if (out)
    *out = 1;
  return IEUM_OK;
}

void ieum_tm_importer_free(ieum_tm_importer *im)
{
  if (!im)
    return;
  sqlite3_finalize(im->prop_insert);
  sqlite3_finalize(im->key_find);
  sqlite3_finalize(im->key_insert);
  if (im->merge && !im->tm->pg)
    sqlite3_exec(im->tm->db, "DELETE FROM temp.ieum_import_keys", NULL, NULL, NULL); /* best effort */
  ieum__free(im->bloom);
  ieum__free(im->doc_src_lang);
  ieum__free(im->doc_tgt_lang);
  ieum__free(im);
}

/* ---- reading ------------------------------------------------------------------ */

/*
** Columns 12-13: who made the unit (NULL for a unit imported from TMX: who
** imported it stays in units.created_by, its file's metadata is written
** back as the file had it), its document; 14-16: its review (schema 7,
** tm/review.c).
*/
static const char sql_foreach_by[] =
  "SELECT " IEUM_TM__UNIT_COLUMNS ", CASE d.kind WHEN 'tmx' THEN NULL ELSE u.created_by END, u.doc_id,"
  " u.review_status, u.reviewer, u.reviewed"
  " FROM units AS u JOIN documents AS d ON d.id = u.doc_id ORDER BY u.id";
/* The URLs of a document's pages (HTML input), when known: read once per document, not per unit. */
static const char sql_doc_urls[] =
  "SELECT (SELECT value FROM document_meta WHERE doc_id = ?1 AND key = 'src.url'),"
  " (SELECT value FROM document_meta WHERE doc_id = ?1 AND key = 'tgt.url')";
/* Props a unit's review columns add to its metadata. */
#define REVIEW_PROPS 3
/*
** Every prop, in the order of the primary key (unit, then seq: no sort),
** read beside the units in id order as a merge: one pass over the table
** instead of one lookup per unit (a fifth of an export's time).
*/
static const char sql_props[] = "SELECT unit_id, kind, type, lang, value, side FROM unit_props ORDER BY unit_id, seq";

/* The props of one unit: strings copied into `text`, offsets in `offs` (4 per prop, -1 = NULL). */
typedef struct {
  ieum_buf text;
  ieum_buf offs;     /* ptrdiff_t[4] per prop, then the side (0-2) as a fifth */
  ieum_unit_prop *list;
  size_t cap;
} props_buf;

/*
** The props of unit `id` from `st` (sql_props), which *at says the state
** of: PROPS_STEP (step it first), PROPS_ROW (its current row is the first
** not yet taken), PROPS_END.  Units come in increasing id order; props of
** ids passed over (none, with foreign keys on) are skipped.
*/
enum { PROPS_STEP, PROPS_ROW, PROPS_END };

static int load_props(size_t *n, props_buf *pb, ieum_tm *tm, sqlite3_stmt *st, int *at, int64_t id)
{
  int rc, src = SQLITE_ROW;
  *n = 0;
  ieum__buf_clear(&pb->text);
  ieum__buf_clear(&pb->offs);
  for (;;) {
    if (*at == PROPS_END)
      break;
    if (*at == PROPS_STEP) {
      src = sqlite3_step(st);
      if (src != SQLITE_ROW)
        break;
      *at = PROPS_ROW;
    }
    int64_t owner = sqlite3_column_int64(st, 0);
    if (owner > id)
      break;
    *at = PROPS_STEP;
    if (owner < id)
      continue;
    ptrdiff_t o[5];
    const char *sd = (const char *)sqlite3_column_text(st, 5);
    o[4] = !sd ? 0 : !strcmp(sd, "src") ? 1 : !strcmp(sd, "tgt") ? 2 : 0;
    for (int c = 0; c < 4; c++) {
      const char *s = (const char *)sqlite3_column_text(st, c + 1);
      o[c] = -1;
      if (!s)
        continue;
      o[c] = (ptrdiff_t)pb->text.size;
      if ((rc = ieum__buf_put(&pb->text, s, (size_t)sqlite3_column_bytes(st, c + 1) + 1)) != 0)
        return rc;
    }
    if ((rc = ieum__buf_put(&pb->offs, (const char *)o, sizeof o)) != 0)
      return rc;
    (*n)++;
  }
  if (src == SQLITE_DONE)
    *at = PROPS_END;
  else if (src != SQLITE_ROW)
    return ieum_tm__db_error(tm, src, "cannot read unit metadata");
  /* room for the creationid, changeid, changedate and x-url foreach may add, and the review's props */
  if (*n + 4 + REVIEW_PROPS > pb->cap) {
    ieum_unit_prop *l = ieum__realloc(pb->list, (*n + 4 + REVIEW_PROPS) * sizeof *l);
    if (!l)
      return ieum__error_oom();
    pb->list = l;
    pb->cap = *n + 4 + REVIEW_PROPS;
  }
  for (size_t i = 0; i < *n; i++) {
    const ptrdiff_t *o = (const ptrdiff_t *)(const void *)(pb->offs.ptr + i * 5 * sizeof(ptrdiff_t));
    const char *f[4];
    for (int c = 0; c < 4; c++)
      f[c] = o[c] < 0 ? NULL : pb->text.ptr + o[c];
    int side = (int)o[4], k = f[0] && !strcmp(f[0], "note") ? 1 : f[0] && !strcmp(f[0], "attr") ? 2 : 0;
    pb->list[i].kind = kinds[side][k];
    pb->list[i].type = f[1];
    pb->list[i].lang = f[2];
    pb->list[i].value = f[3] ? f[3] : "";
  }
  return IEUM_OK;
}

static const char *col(sqlite3_stmt *st, int i, size_t *len)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  if (len)
    *len = s ? (size_t)sqlite3_column_bytes(st, i) : 0;
  return s;
}

/* Whether the <tu> metadata of props[0..n) has an "attr" `name`. */
static int has_attr(const ieum_unit_prop *props, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(props[i].kind, "attr") && props[i].type && !strcmp(props[i].type, name))
      return 1;
  return 0;
}

/*
** Appends the review of the current row of st (sql_foreach_by: columns 14-16)
** as props x-review-status ("confirmed", "edited"), x-reviewer and
** x-reviewed (TMX date, into `date`) to the n props of pb; returns the new
** count.  A unit already carrying an x-review-status prop (imported from an
** ieum export) keeps its own.
*/
static size_t add_review_props(props_buf *pb, size_t n, sqlite3_stmt *st, char date[17])
{
  const char *status = (const char *)sqlite3_column_text(st, 14);
  if (!status)
    return n;
  for (size_t i = 0; i < n; i++)
    if (pb->list[i].type && !strcmp(pb->list[i].type, "x-review-status"))
      return n;
  ieum_unit_prop p = { "prop", "x-review-status", NULL, status };
  pb->list[n++] = p;
  const char *who = (const char *)sqlite3_column_text(st, 15);
  if (who) {
    ieum_unit_prop w = { "prop", "x-reviewer", NULL, who };
    pb->list[n++] = w;
  }
  int64_t t = sqlite3_column_int64(st, 16);
  if (t > 0 && ieum__tmx_date(date, t) == 0) {
    ieum_unit_prop d = { "prop", "x-reviewed", NULL, date };
    pb->list[n++] = d;
  }
  return n;
}

/*
** The addresses of document `doc`'s pages into `urls` as "SRC_URL|TGT_URL"
** (one may be empty), what an export shows of the document; empty when it
** has neither.
*/
static int doc_urls(ieum_buf *urls, ieum_tm *tm, sqlite3_stmt *du, int64_t doc)
{
  int rc = IEUM_OK, src = sqlite3_bind_int64(du, 1, doc);
  ieum__buf_clear(urls);
  if (src == SQLITE_OK && (src = sqlite3_step(du)) == SQLITE_ROW) {
    const char *su = col(du, 0, NULL), *tu = col(du, 1, NULL);
    if (((su && *su) || (tu && *tu)) &&
        ((rc = ieum__buf_puts(urls, su ? su : "")) != 0 || (rc = ieum__buf_putc(urls, '|')) != 0 ||
         (rc = ieum__buf_puts(urls, tu ? tu : "")) != 0))
      ieum__buf_clear(urls);
  } else if (src != SQLITE_DONE) {
    rc = ieum_tm__db_error(tm, src, "cannot read a document's addresses");
  }
  sqlite3_reset(du);
  sqlite3_clear_bindings(du);
  return rc;
}

int ieum_tm_foreach_with_props(ieum_tm *tm, ieum_unit_props_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__foreach_with_props(tm, cb, payload);
  char reviewed[17];
  sqlite3_stmt *st = NULL, *ps = NULL, *du = NULL;
  props_buf pb = { IEUM_BUF_INIT, IEUM_BUF_INIT, NULL, 0 };
  ieum_buf urls = IEUM_BUF_INIT;
  char date[17];
  int rc, src, props_at = PROPS_STEP;
  int64_t urls_doc = -1; /* the document `urls` is of ("" when it has none) */
  if ((rc = prepare(tm, &st, sql_foreach_by)) != 0 || (rc = prepare(tm, &ps, sql_props)) != 0 ||
      (rc = prepare(tm, &du, sql_doc_urls)) != 0)
    goto done;
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_unit u = IEUM_UNIT_INIT;
    size_t n = 0;
    u.id = sqlite3_column_int64(st, 0);
    u.src = col(st, 1, &u.src_len);
    u.tgt = col(st, 2, &u.tgt_len);
    u.src_lang = col(st, 3, NULL);
    u.tgt_lang = col(st, 4, NULL);
    u.score = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 5);
    u.bead = col(st, 6, NULL);
    u.document = col(st, 7, NULL);
    u.position = sqlite3_column_int64(st, 8);
    u.created = sqlite3_column_int64(st, 9);
    u.note = col(st, 10, NULL);
    u.role = col(st, 11, NULL);
    if (!u.src || !u.tgt) {
      rc = ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a unit");
      goto done;
    }
    if ((rc = load_props(&n, &pb, tm, ps, &props_at, u.id)) != 0)
      goto done;
    const char *by = col(st, 12, NULL);
    if (by && *by) {
      /* Who made the unit, where its own metadata does not say. */
      if (!has_attr(pb.list, n, "creationid"))
        pb.list[n++] = (ieum_unit_prop){ "attr", "creationid", NULL, by };
      if (!has_attr(pb.list, n, "changeid"))
        pb.list[n++] = (ieum_unit_prop){ "attr", "changeid", NULL, by };
      ieum__tmx_date(date, u.created);
      if (date[0] && !has_attr(pb.list, n, "changedate"))
        pb.list[n++] = (ieum_unit_prop){ "attr", "changedate", NULL, date };
    }
    int64_t doc = sqlite3_column_int64(st, 13);
    if (doc != urls_doc && (rc = doc_urls(&urls, tm, du, doc)) != 0)
      goto done;
    urls_doc = doc;
    if (urls.size)
      pb.list[n++] = (ieum_unit_prop){ "prop", "x-url", NULL, urls.ptr };
    n = add_review_props(&pb, n, st, reviewed);
    if ((rc = cb(&u, n ? pb.list : NULL, n, payload)) != 0)
      goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
done:
  sqlite3_finalize(st);
  sqlite3_finalize(ps);
  sqlite3_finalize(du);
  ieum_buf_dispose(&pb.text);
  ieum_buf_dispose(&pb.offs);
  ieum_buf_dispose(&urls);
  ieum__free(pb.list);
  return rc;
}
