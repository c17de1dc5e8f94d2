/*
** tm/lookup.c: finding a document of the TM by its content hash
** (ieum_tm_find_document() of include/ieum/tm.h).
**
** A batch that resumes asks, for every pair it is about to align, whether
** the TM already holds it; the answer is one probe of the UNIQUE(kind, hash)
** index of documents.  The statement is prepared per call rather than kept
** in the handle's cache (tm_int.h): preparing it costs microseconds, far
** below the segmentation and alignment a hit saves.  Works on a read-only
** handle, so each worker thread of a batch can open its own and read while
** the writer commits (WAL).
** Not here: adding documents (store.c).
*/
#include "pg/pg_int.h"
#include "tm_int.h"

static const char find_sql[] = "SELECT id FROM documents WHERE kind = ?1 AND hash = ?2";

int ieum_tm_find_document(int64_t *out, ieum_tm *tm, const char *kind, const char *hash)
{
  if (tm->pg)
    return ieum_tm_pg__find_document(out, tm, kind, hash);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  *out = 0;
  if (!kind || !hash)
    return ieum__error_set(IEUM_EINVAL, "%s: a document lookup needs a kind and a hash", tm->path);
  int src = sqlite3_prepare_v2(tm->db, find_sql, -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
  if (src == SQLITE_OK)
    src = sqlite3_step(st);
  if (src == SQLITE_ROW)
    *out = sqlite3_column_int64(st, 0);
  else if (src == SQLITE_DONE)
    rc = IEUM_ENOTFOUND; /* an answer, not a failure: no message */
  else
    rc = ieum_tm__db_error(tm, src, "cannot look up a document");
  sqlite3_finalize(st);
  return rc;
}
