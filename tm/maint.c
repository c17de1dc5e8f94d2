/*
** tm/maint.c: keeping a TM tidy: merging another TM into it, removing
** units of the same source, and deleting a document with its units
** (ieum_tm_merge(), ieum_tm_dedupe(), ieum_tm_delete_document() and the
** previews of the last two).
**
** Merge attaches the other TM's file to our connection and copies, in one
** BEGIN IMMEDIATE transaction of its own, its documents (a document is the
** same when kind and content hash are: then only the units we lack are
** added), units (same document, own document name and position: the same
** unit), their props and notes, document metadata and lexicon rows; a
** failure rolls it all back.  SQLite cannot attach inside a transaction,
** which is why merge, unlike the other writes, manages its own.
** Dedupe is one DELETE ranking the units of each (languages, source) group
** with a window function; delete removes a documents row and lets the
** foreign keys remove its units, props and metadata.  Their previews (what
** --dry-run lists) run the same selection as a SELECT of the units instead,
** on any handle, changing nothing.  The search index
** follows through its triggers (schema.c); merged units are put into it
** before the merge commits, in one flush.
** Cost: merge is a few INSERT ... SELECT over the other TM's rows joined on
** (kind, hash) and the units' unique index; dedupe sorts all units once;
** delete walks one document's units.
** Not here: opening, transactions and the plain writes (store.c).
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pg/pg_int.h"
#include "tm_int.h"

/* Name of the other TM's schema during a merge. */
#define MERGE_SCHEMA "ieum_merged"

static int exec(ieum_tm *tm, const char *sql, const char *what)
{
  int src = sqlite3_exec(tm->db, sql, NULL, NULL, NULL);
  return src == SQLITE_OK ? IEUM_OK : ieum_tm__db_error(tm, src, what);
}

/* Runs `sql` with at most one text parameter; `*changes` (optional) gets the rows it changed. */
static int run(int64_t *changes, ieum_tm *tm, const char *sql, const char *param, const char *what)
{
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL);
  if (src == SQLITE_OK && param)
    src = sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_DONE)
    src = SQLITE_OK;
  int rc = src == SQLITE_OK ? IEUM_OK : ieum_tm__db_error(tm, src, what);
  if (rc == IEUM_OK && changes)
    *changes = sqlite3_changes64(tm->db);
  sqlite3_finalize(st);
  return rc;
}

/*
** A pair of language columns of the other TM, as this TM spells the pair (ieum_tm__lang_pair(): the other
** TM may hold "ko"/"en" where this one keeps "ko-KR"/"en-US"), through the SQL function ieum_lang_pair()
** that ieum_tm_merge() registers for its run.
*/
#define LANGS(SRC, TGT) "ieum_lang_pair(" SRC ", " TGT ", 0), ieum_lang_pair(" SRC ", " TGT ", 1)"

/* ieum_lang_pair(src, tgt, which): the source (which 0) or target tag of the pair in the TM's form. */
static void sql_lang_pair(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
  (void)argc;
  ieum_tm *tm = sqlite3_user_data(cx);
  const char *src = (const char *)sqlite3_value_text(argv[0]);
  const char *tgt = (const char *)sqlite3_value_text(argv[1]);
  int which = sqlite3_value_int(argv[2]);
  const char *tag = which ? tgt : src;
  if (!tag) {
    sqlite3_result_null(cx);
    return;
  }
  ieum_tm__lang_pair(tm, &src, &tgt);
  sqlite3_result_text(cx, which ? tgt : src, -1, SQLITE_TRANSIENT);
}

/* Copies of the other TM's rows, in dependency order; "WHERE true" keeps ON CONFLICT from reading as a join. */
static const char merge_documents[] =
  "INSERT INTO main.documents(kind, src_path, tgt_path, src_lang, tgt_lang, hash, added, src_path_raw, tgt_path_raw)"
  " SELECT kind, src_path, tgt_path, " LANGS("src_lang", "tgt_lang") ", hash, added, src_path_raw, tgt_path_raw"
  " FROM " MERGE_SCHEMA ".documents"
  " WHERE true ORDER BY id ON CONFLICT(kind, hash) DO NOTHING";
/* From a TM older than version 4 (read as it is): raw names are escaped here, their bytes kept. */
static const char merge_documents_v3[] =
  "INSERT INTO main.documents(kind, src_path, tgt_path, src_lang, tgt_lang, hash, added, src_path_raw, tgt_path_raw)"
  " SELECT kind, ieum_name(src_path), ieum_name(tgt_path), " LANGS("src_lang", "tgt_lang") ", hash, added,"
  "   CASE WHEN src_path IS NOT ieum_name(src_path) THEN CAST(src_path AS BLOB) END,"
  "   CASE WHEN tgt_path IS NOT ieum_name(tgt_path) THEN CAST(tgt_path AS BLOB) END"
  " FROM " MERGE_SCHEMA ".documents"
  " WHERE true ORDER BY id ON CONFLICT(kind, hash) DO NOTHING";
/*
** The units; ROLE is the other TM's role column (NULL from a TM older than version 5), BY its
** created_by (NULL before version 6), REVIEW its review columns (version 7: status, reviewer, time,
** sentence lengths), or NULLs.
*/
#define MERGE_UNITS(ROLE, BY, REVIEW)                                                                        \
  "INSERT INTO main.units(doc_id, position, src, tgt, src_lang, tgt_lang, score, bead, origin, note, created," \
  " role, created_by, review_status, reviewer, reviewed, src_segs, tgt_segs)"                                \
  " SELECT md.id, ou.position, ou.src, ou.tgt, " LANGS("ou.src_lang", "ou.tgt_lang") ", ou.score, ou.bead, ieum_name(ou.origin)," \
  "   ou.note, ou.created, " ROLE ", " BY ", " REVIEW                                                        \
  " FROM " MERGE_SCHEMA ".units AS ou JOIN " MERGE_SCHEMA ".documents AS od ON od.id = ou.doc_id"            \
  " JOIN main.documents AS md ON md.kind = od.kind AND md.hash = od.hash"                                    \
  " WHERE true ORDER BY ou.id ON CONFLICT(doc_id, COALESCE(origin, ''), position) DO NOTHING"
#define REVIEW_COLUMNS "ou.review_status, ou.reviewer, ou.reviewed, ou.src_segs, ou.tgt_segs"
#define NO_REVIEW "NULL, NULL, NULL, NULL, NULL"
static const char merge_units[] = MERGE_UNITS("ou.role", "ou.created_by", REVIEW_COLUMNS);
static const char merge_units_v6[] = MERGE_UNITS("ou.role", "ou.created_by", NO_REVIEW);
static const char merge_units_v5[] = MERGE_UNITS("ou.role", "NULL", NO_REVIEW);
static const char merge_units_v4[] = MERGE_UNITS("NULL", "NULL", NO_REVIEW);
/*
** The unaligned sentences (version 7) of the documents this merge added (id above ?1, the largest
** before it): a document both TMs had keeps its own rows.  The review log (undo history) stays behind.
*/
static const char merge_unaligned[] =
  "INSERT INTO main.unaligned(doc_id, position, side, text, role, no_counterpart, reviewer, reviewed)"
  " SELECT md.id, oa.position, oa.side, oa.text, oa.role, oa.no_counterpart, oa.reviewer, oa.reviewed"
  " FROM " MERGE_SCHEMA ".unaligned AS oa JOIN " MERGE_SCHEMA ".documents AS od ON od.id = oa.doc_id"
  " JOIN main.documents AS md ON md.kind = od.kind AND md.hash = od.hash"
  " WHERE md.id > ?1 ORDER BY oa.id";
/* SIDE: the other TM's unit_props.side, NULL from a TM older than version 6. */
#define MERGE_PROPS(SIDE)                                                                                    \
  "INSERT INTO main.unit_props(unit_id, seq, kind, type, lang, value, side)"                                 \
  " SELECT mu.id, p.seq, p.kind, p.type, p.lang, p.value, " SIDE                                             \
  " FROM " MERGE_SCHEMA ".unit_props AS p JOIN " MERGE_SCHEMA ".units AS ou ON ou.id = p.unit_id"         \
  " JOIN " MERGE_SCHEMA ".documents AS od ON od.id = ou.doc_id"                                              \
  " JOIN main.documents AS md ON md.kind = od.kind AND md.hash = od.hash"                                    \
  " JOIN main.units AS mu ON mu.doc_id = md.id AND COALESCE(mu.origin, '') = COALESCE(ieum_name(ou.origin), '')" \
  "   AND mu.position = ou.position"                                                                         \
  " WHERE true ON CONFLICT(unit_id, seq) DO NOTHING"
static const char merge_props[] = MERGE_PROPS("p.side");
static const char merge_props_v5[] = MERGE_PROPS("NULL");
static const char merge_meta[] =
  "INSERT INTO main.document_meta(doc_id, key, value)"
  " SELECT md.id, m.key, m.value FROM " MERGE_SCHEMA ".document_meta AS m"
  " JOIN " MERGE_SCHEMA ".documents AS od ON od.id = m.doc_id"
  " JOIN main.documents AS md ON md.kind = od.kind AND md.hash = od.hash"
  " WHERE true ON CONFLICT(doc_id, key) DO NOTHING";
static const char merge_lexicon[] =
  "INSERT INTO main.lexicon(src, tgt, origin, weight, count)"
  " SELECT src, tgt, origin, weight, count FROM " MERGE_SCHEMA ".lexicon"
  " WHERE true ON CONFLICT(src, tgt, origin) DO NOTHING";

int ieum_tm_merge(ieum_tm_merge_stats *out, ieum_tm *tm, const char *other_path)
{
  if (tm->pg)
    return ieum_tm_pg__unsupported(tm, "tm merge");
  ieum_tm *other = NULL;
  char *name = NULL;
  int rc, attached = 0, open = 0;
  memset(out, 0, sizeof *out);
  if (!other_path || !*other_path)
    return ieum__error_set(IEUM_EINVAL, "%s: no TM to merge given", tm->path);
  if (!tm->writable)
    return ieum__error_set(IEUM_EDB, "%s: the TM is open read-only", tm->path);
  if (tm->in_tx && !sqlite3_get_autocommit(tm->db))
    return ieum__error_set(IEUM_EINVAL, "%s: merge runs its own transaction; commit the open one first", tm->path);
  /* Is it a TM of a version we read?  (Also refuses a missing file, which ATTACH would create.) */
  if ((rc = ieum_tm_open(&other, other_path, IEUM_TM_READ)) != 0)
    return rc;
  int other_version = other->index_version, other_immutable = other->immutable;
  ieum_tm_free(other);
  struct stat ours, theirs;
  if (stat(tm->path, &ours) == 0 && stat(other_path, &theirs) == 0 && ours.st_dev == theirs.st_dev &&
      ours.st_ino == theirs.st_ino)
    return IEUM_OK; /* a TM merged into itself: nothing to add */
  /* A TM in a folder we may not write is attached as ieum_tm_open() read it: immutable. */
  if ((rc = (other_immutable ? ieum_tm__immutable_uri : ieum_tm__sqlite_path)(&name, other_path)) != 0 ||
      (rc = run(NULL, tm, "ATTACH ?1 AS " MERGE_SCHEMA, name, "cannot attach the TM to merge")) != 0)
    goto done;
  attached = 1;
  int fsrc = sqlite3_create_function_v2(tm->db, "ieum_lang_pair", 3, SQLITE_UTF8, tm, sql_lang_pair, NULL, NULL, NULL);
  if (fsrc != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, fsrc, "cannot configure the merge");
    goto done;
  }
  if ((rc = exec(tm, "BEGIN IMMEDIATE", "cannot begin the merge")) != 0)
    goto done;
  open = 1;
  int64_t ignored;
  /* The largest document id before the merge: the documents above it are the ones it adds. */
  char before[32] = "0";
  sqlite3_stmt *mx = NULL;
  if (sqlite3_prepare_v2(tm->db, "SELECT COALESCE(max(id), 0) FROM main.documents", -1, &mx, NULL) == SQLITE_OK &&
      sqlite3_step(mx) == SQLITE_ROW)
    snprintf(before, sizeof before, "%lld", (long long)sqlite3_column_int64(mx, 0));
  sqlite3_finalize(mx);
  if ((rc = run(&out->documents, tm, other_version >= 4 ? merge_documents : merge_documents_v3, NULL, "cannot merge the documents")) != 0 ||
      (rc = run(&out->units, tm,
                 other_version >= 7   ? merge_units
                 : other_version >= 6 ? merge_units_v6
                 : other_version >= 5 ? merge_units_v5
                                      : merge_units_v4,
                 NULL, "cannot merge the units")) != 0 ||
      (other_version >= 7 &&
       (rc = run(&ignored, tm, merge_unaligned, before, "cannot merge the unaligned sentences")) != 0) ||
      (rc = run(&ignored, tm, other_version >= 6 ? merge_props : merge_props_v5, NULL, "cannot merge the unit props")) != 0 ||
      (rc = run(&ignored, tm, merge_meta, NULL, "cannot merge the document metadata")) != 0 ||
      (rc = run(&ignored, tm, merge_lexicon, NULL, "cannot merge the lexicon")) != 0 ||
      (rc = ieum_tm__index_flush(tm, 1)) != 0)
    goto done;
  if ((rc = exec(tm, "COMMIT", "cannot commit the merge")) != 0)
    goto done;
  open = 0;
done:
  if (open && !sqlite3_get_autocommit(tm->db))
    sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL); /* the error is already recorded */
  if (attached)
    sqlite3_exec(tm->db, "DETACH " MERGE_SCHEMA, NULL, NULL, NULL); /* only fails while in use: it is not */
  if (rc)
    memset(out, 0, sizeof *out);
  ieum__free(name);
  return rc;
}

/*
** Per group of units with the same languages and source (and, for
** IEUM_TM_KEEP_ALL, the same target), the rank of a unit; the ids of all
** but rank 1 go.  Ties fall to the newer unit, then to the later one added.
*/
static const char *const dedupe_ids[3] = {
  [IEUM_TM_KEEP_ALL] =
    "SELECT id FROM (SELECT id, row_number() OVER"
    " (PARTITION BY src_lang, tgt_lang, src, tgt ORDER BY created DESC, id DESC) AS r FROM units) AS ranked"
    " WHERE r > 1",
  [IEUM_TM_KEEP_NEWEST] =
    "SELECT id FROM (SELECT id, row_number() OVER"
    " (PARTITION BY src_lang, tgt_lang, src ORDER BY created DESC, id DESC) AS r FROM units) AS ranked WHERE r > 1",
  [IEUM_TM_KEEP_BEST] =
    "SELECT id FROM (SELECT id, row_number() OVER"
    " (PARTITION BY src_lang, tgt_lang, src ORDER BY score IS NULL, score DESC, created DESC, id DESC) AS r"
    " FROM units) AS ranked WHERE r > 1",
};

const char *ieum_tm__dedupe_ids(int keep)
{
  return keep >= IEUM_TM_KEEP_ALL && keep <= IEUM_TM_KEEP_BEST ? dedupe_ids[keep] : NULL;
}

/* The units (with their document names) that `where` picks, in document and position order. */
#define SELECT_UNITS "SELECT " IEUM_TM__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
#define UNITS_ORDER " ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position"

/*
** Calls `cb` for each row of `sql` (selecting IEUM_TM__UNIT_COLUMNS), whose
** ?1 is `param` (a text, or when NULL the integer `id`, when > 0).
*/
static int list_units(ieum_tm *tm, const char *sql, const char *param, int64_t id, ieum_unit_cb cb, void *payload)
{
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL);
  if (src == SQLITE_OK && param)
    src = sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
  else if (src == SQLITE_OK && id > 0)
    src = sqlite3_bind_int64(st, 1, id);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_unit u;
    if ((rc = ieum_tm__row_unit(&u, tm, st)) != 0 || (rc = cb(&u, payload)) != 0)
      goto done;
    src = SQLITE_OK;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
done:
  sqlite3_finalize(st);
  return rc;
}

/* IEUM_EINVAL unless a write transaction is open on `tm` (either backend). */
static int need_tx(ieum_tm *tm)
{
  if (!tm->in_tx || (!tm->pg && sqlite3_get_autocommit(tm->db)))
    return ieum__error_set(IEUM_EINVAL, "%s: TM write outside a transaction", tm->path);
  return IEUM_OK;
}

static int check_rule(ieum_tm *tm, int keep)
{
  if (keep < IEUM_TM_KEEP_ALL || keep > IEUM_TM_KEEP_BEST)
    return ieum__error_set(IEUM_EINVAL, "%s: unknown dedupe rule %d", tm->path, keep);
  return IEUM_OK;
}

int ieum_tm_dedupe(int64_t *out, ieum_tm *tm, int keep)
{
  char sql[512];
  int rc;
  *out = 0;
  if ((rc = check_rule(tm, keep)) != 0 || (rc = need_tx(tm)) != 0)
    return rc;
  if (tm->pg)
    return ieum_tm_pg__dedupe(out, tm, keep);
  snprintf(sql, sizeof sql, "DELETE FROM units WHERE id IN (%s)", dedupe_ids[keep]);
  return run(out, tm, sql, NULL, "cannot remove duplicate units");
}

int ieum_tm_dedupe_preview(ieum_tm *tm, int keep, ieum_unit_cb cb, void *payload)
{
  char sql[1024];
  int rc = check_rule(tm, keep);
  if (rc)
    return rc;
  if (tm->pg)
    return ieum_tm_pg__dedupe_preview(tm, keep, cb, payload);
  snprintf(sql, sizeof sql, SELECT_UNITS " WHERE u.id IN (%s)" UNITS_ORDER, dedupe_ids[keep]);
  return list_units(tm, sql, NULL, 0, cb, payload);
}

int ieum_tm__is_doc_id(const char *s)
{
  if (!*s || strlen(s) > 18)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* Documents named `name`: by id, by either file name, or as "SRC|TGT" (the name search gives). */
static const char sql_find_id[] = "SELECT id FROM documents WHERE id = CAST(?1 AS INTEGER)";
static const char sql_find_name[] =
  "SELECT id FROM documents WHERE src_path = ?1 OR tgt_path = ?1"
  " OR (kind <> 'tmx' AND COALESCE(src_path, '') || '|' || COALESCE(tgt_path, '') = ?1) ORDER BY id LIMIT 3";

/*
** What `document` names: the documents row *id, or (*id 0) the units of
** that document name inside imported TMX files, of which *units gets the
** count; *units is the document's units otherwise.  Errors: IEUM_EINVAL,
** IEUM_ENOTFOUND, IEUM_EDB.
*/
static int resolve(int64_t *id, int64_t *units, ieum_tm *tm, const char *document)
{
  sqlite3_stmt *st = NULL;
  int64_t ids[3], n = 0;
  int rc = IEUM_OK, src;
  *id = *units = 0;
  if (!document || !*document)
    return ieum__error_set(IEUM_EINVAL, "%s: no document given", tm->path);
  src = sqlite3_prepare_v2(tm->db, ieum_tm__is_doc_id(document) ? sql_find_id : sql_find_name, -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 1, document, -1, SQLITE_STATIC);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    ids[n++] = sqlite3_column_int64(st, 0);
    src = SQLITE_OK;
  }
  if (src != SQLITE_DONE) {
    rc = ieum_tm__db_error(tm, src, "cannot find the document");
    goto done;
  }
  if (n > 1) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: '%s' names several documents (ids %lld, %lld%s); give an id", tm->path,
                         document, (long long)ids[0], (long long)ids[1], n > 2 ? ", ..." : "");
    goto done;
  }
  sqlite3_finalize(st);
  st = NULL;
  /* Not a documents row: the units of that name inside an imported TMX, if any. */
  if (n == 0 && ieum_tm__is_doc_id(document)) {
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no document '%s'", tm->path, document);
    goto done;
  }
  src = sqlite3_prepare_v2(tm->db, n ? "SELECT count(*) FROM units WHERE doc_id = ?1"
                                     : "SELECT count(*) FROM units WHERE origin = ?1", -1, &st, NULL);
  if (src == SQLITE_OK)
    src = n ? sqlite3_bind_int64(st, 1, ids[0]) : sqlite3_bind_text(st, 1, document, -1, SQLITE_STATIC);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
    src = SQLITE_OK;
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot count the document's units");
    goto done;
  }
  *units = sqlite3_column_int64(st, 0);
  *id = n ? ids[0] : 0;
  if (n == 0 && *units == 0)
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no document '%s'", tm->path, document);
done:
  sqlite3_finalize(st);
  return rc;
}

/* `out` := `document` as the TM stores names: escaped when it is not valid UTF-8 (store.c). */
static int stored_name(ieum_buf *out, const char *document)
{
  size_t len = document ? strlen(document) : 0;
  int rc = ieum_tm__name_escape(out, NULL, document ? document : "", len);
  return rc ? rc : ieum__buf_puts(out, "");
}

int ieum_tm_delete_document(int64_t *out, ieum_tm *tm, const char *document)
{
  ieum_buf name = IEUM_BUF_INIT;
  int64_t id = 0, units = 0;
  int rc;
  *out = 0;
  if ((rc = need_tx(tm)) != 0)
    return rc;
  if ((rc = stored_name(&name, document)) != 0)
    goto done;
  if (tm->pg) {
    rc = ieum_tm_pg__delete_document(out, tm, name.ptr);
    goto done;
  }
  if ((rc = resolve(&id, &units, tm, name.ptr)) != 0)
    goto done;
  if (id == 0) {
    rc = run(out, tm, "DELETE FROM units WHERE origin = ?1", name.ptr, "cannot delete the units");
  } else {
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    if ((rc = run(NULL, tm, "DELETE FROM documents WHERE id = CAST(?1 AS INTEGER)", idtext,
                  "cannot delete the document")) == 0)
      *out = units;
  }
done:
  ieum_buf_dispose(&name);
  return rc;
}

int ieum_tm_delete_document_preview(ieum_tm *tm, const char *document, ieum_unit_cb cb, void *payload)
{
  ieum_buf name = IEUM_BUF_INIT;
  int64_t id = 0, units = 0;
  int rc;
  if ((rc = stored_name(&name, document)) != 0)
    goto done;
  if (tm->pg) {
    rc = ieum_tm_pg__delete_document_preview(tm, name.ptr, cb, payload);
    goto done;
  }
  if ((rc = resolve(&id, &units, tm, name.ptr)) != 0)
    goto done;
  if (id == 0)
    rc = list_units(tm, SELECT_UNITS " WHERE u.origin = ?1" UNITS_ORDER, name.ptr, 0, cb, payload);
  else
    rc = list_units(tm, SELECT_UNITS " WHERE u.doc_id = ?1" UNITS_ORDER, NULL, id, cb, payload);
done:
  ieum_buf_dispose(&name);
  return rc;
}
