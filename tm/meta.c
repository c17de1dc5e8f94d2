/*
** tm/meta.c: document metadata in the TM (table document_meta).
**
** A document row may carry key/value metadata: the headline, byline, date
** and URL of the article pages it was aligned from ("src.headline",
** "tgt.url", ...).  Setting a key replaces its value (INSERT ... ON
** CONFLICT DO UPDATE on the (doc_id, key) primary key) inside the caller's
** transaction, so metadata is stored or not together with the document's
** units.  Reading needs no transaction.  All values go through bound
** parameters; statements are prepared per call (metadata is a handful of
** rows per document, never a hot path).
** Cost: one B-tree write per key; reading is one index range scan.
** Not here: the table's definition (schema.c), documents and units (store.c).
*/
#include <string.h>

#include "pg/pg_int.h"
#include "tm_int.h"

int ieum_tm_set_document_meta(ieum_tm *tm, int64_t doc_id, const char *key, const char *value)
{
  if (tm->pg)
    return ieum_tm_pg__set_document_meta(tm, doc_id, key, value);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK, src;
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: document metadata written outside a transaction", tm->path);
  if (!key || !*key)
    return ieum__error_set(IEUM_EINVAL, "%s: document metadata needs a key", tm->path);
  src = sqlite3_prepare_v2(tm->db, "SELECT 1 FROM documents WHERE id = ?1", -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 1, doc_id);
  if (src == SQLITE_OK)
    src = sqlite3_step(st);
  if (src == SQLITE_DONE) {
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no document %lld", tm->path, (long long)doc_id);
    goto done;
  }
  if (src != SQLITE_ROW) {
    rc = ieum_tm__db_error(tm, src, "cannot find the document");
    goto done;
  }
  sqlite3_finalize(st);
  st = NULL;
  src = sqlite3_prepare_v2(tm->db,
                           "INSERT INTO document_meta(doc_id, key, value) VALUES(?1, ?2, ?3)"
                           " ON CONFLICT(doc_id, key) DO UPDATE SET value = excluded.value",
                           -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 1, doc_id);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 3, value ? value : "", -1, SQLITE_STATIC);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_DONE)
    src = SQLITE_OK;
  if (src != SQLITE_OK)
    rc = ieum_tm__db_error(tm, src, "cannot write document metadata");
done:
  sqlite3_finalize(st);
  return rc;
}

int ieum_tm_foreach_document_meta(ieum_tm *tm, int64_t doc_id, ieum_tm_meta_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__foreach_document_meta(tm, doc_id, cb, payload);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db, "SELECT key, value FROM document_meta WHERE doc_id = ?1 ORDER BY key",
                               -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 1, doc_id);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(st, 0);
    const char *v = (const char *)sqlite3_column_text(st, 1);
    if (!k || !v) {
      src = sqlite3_errcode(tm->db) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_OK;
      if (src == SQLITE_NOMEM)
        break;
      continue;
    }
    if ((rc = cb(k, v, payload)) != 0)
      goto done;
    src = SQLITE_OK;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read document metadata");
done:
  sqlite3_finalize(st);
  return rc;
}

int ieum_tm_get_document_meta(ieum_buf *out, ieum_tm *tm, int64_t doc_id, const char *key)
{
  if (tm->pg)
    return ieum_tm_pg__get_document_meta(out, tm, doc_id, key);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db, "SELECT value FROM document_meta WHERE doc_id = ?1 AND key = ?2",
                               -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 1, doc_id);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 2, key ? key : "", -1, SQLITE_STATIC);
  if (src == SQLITE_OK)
    src = sqlite3_step(st);
  if (src == SQLITE_DONE) {
    rc = IEUM_ENOTFOUND;
  } else if (src != SQLITE_ROW) {
    rc = ieum_tm__db_error(tm, src, "cannot read document metadata");
  } else {
    const char *v = (const char *)sqlite3_column_text(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    if (!v && n == 0 && sqlite3_errcode(tm->db) == SQLITE_NOMEM)
      rc = ieum__error_oom();
    else
      rc = ieum__buf_put(out, v ? v : "", n);
  }
  sqlite3_finalize(st);
  return rc;
}
