/*
** tm/pg/maint.c: tm dedupe and tm delete on a PostgreSQL TM
** (ieum_tm_dedupe(), ieum_tm_delete_document() and their previews).
**
** The same rules as the SQLite TM (tm/maint.c), in the same SQL where the
** two dialects agree: dedupe deletes the ids that tm/maint.c's ranking
** (ieum_tm__dedupe_ids(): row_number() per group of languages and source,
** ties to the newer unit, then the later one) leaves out, in one DELETE; a
** document is named by its id, by a file name, by "SRC|TGT", or as a
** document name inside imported TMX files (the units of that origin).
** Deleting a document removes its units, their props and their review
** rows through the schema's ON DELETE CASCADE; the trigram indexes follow
** the rows, so there is no index to flush as on SQLite.  tm/maint.c checks
** the rule and the caller's transaction, and gives the name as the TM
** stores names; writes go inside that transaction.
** Cost: dedupe sorts the units once (the window), a delete is one
** statement; a preview reads the units it names.
** Not here: merge and the review step (not supported on PostgreSQL).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

int ieum_tm_pg__dedupe(int64_t *out, ieum_tm *tm, int keep)
{
  char sql[640];
  snprintf(sql, sizeof sql, "DELETE FROM units WHERE id IN (%s)", ieum_tm__dedupe_ids(keep));
  return ieum_tm_pg__command(out, tm, sql, 0, NULL, "cannot remove duplicate units");
}

int ieum_tm_pg__dedupe_preview(ieum_tm *tm, int keep, ieum_unit_cb cb, void *payload)
{
  char where[640];
  snprintf(where, sizeof where, "u.id IN (%s)", ieum_tm__dedupe_ids(keep));
  return ieum_tm_pg__list_units(tm, where, 0, NULL, cb, payload);
}

/*
** What `document` (as the TM stores names) names: the documents row *id,
** or (*id 0) the units of that document name inside imported TMX files;
** *units the units either way.  Errors: IEUM_EINVAL (no name, several
** documents), IEUM_ENOTFOUND, IEUM_EDB.
*/
static int resolve(int64_t *id, int64_t *units, ieum_tm *tm, const char *document)
{
  *id = *units = 0;
  if (!document || !*document)
    return ieum__error_set(IEUM_EINVAL, "%s: no document given", tm->path);
  const char *p[1] = { document };
  const char *sql = ieum_tm__is_doc_id(document)
                      ? "SELECT id FROM documents WHERE id = $1::bigint"
                      : "SELECT id FROM documents WHERE src_path = $1 OR tgt_path = $1"
                        " OR (kind <> 'tmx' AND COALESCE(src_path, '') || '|' || COALESCE(tgt_path, '') = $1)"
                        " ORDER BY id LIMIT 3";
  PGresult *res = PQexecParams(tm->pg->conn, sql, 1, NULL, p, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, "cannot find the document");
  int n = PQntuples(res);
  int64_t first = n ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
  int64_t second = n > 1 ? strtoll(PQgetvalue(res, 1, 0), NULL, 10) : 0;
  PQclear(res);
  if (n > 1)
    return ieum__error_set(IEUM_EINVAL, "%s: '%s' names several documents (ids %lld, %lld%s); give an id", tm->path,
                           document, (long long)first, (long long)second, n > 2 ? ", ..." : "");
  if (n == 0 && ieum_tm__is_doc_id(document))
    return ieum__error_set(IEUM_ENOTFOUND, "%s: no document '%s'", tm->path, document);
  char idtext[24];
  snprintf(idtext, sizeof idtext, "%lld", (long long)first);
  const char *q[1] = { n ? idtext : document };
  res = PQexecParams(tm->pg->conn,
                     n ? "SELECT count(*) FROM units WHERE doc_id = $1::bigint"
                       : "SELECT count(*) FROM units WHERE origin = $1",
                     1, NULL, q, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, "cannot count the document's units");
  *units = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  PQclear(res);
  *id = first;
  if (n == 0 && *units == 0)
    return ieum__error_set(IEUM_ENOTFOUND, "%s: no document '%s'", tm->path, document);
  return IEUM_OK;
}

int ieum_tm_pg__delete_document(int64_t *out, ieum_tm *tm, const char *name)
{
  int64_t id = 0, units = 0;
  int rc = resolve(&id, &units, tm, name);
  if (rc)
    return rc;
  if (id == 0) {
    const char *p[1] = { name };
    return ieum_tm_pg__command(out, tm, "DELETE FROM units WHERE origin = $1", 1, p, "cannot delete the units");
  }
  char idtext[24];
  snprintf(idtext, sizeof idtext, "%lld", (long long)id);
  const char *p[1] = { idtext };
  if ((rc = ieum_tm_pg__command(NULL, tm, "DELETE FROM documents WHERE id = $1::bigint", 1, p,
                                "cannot delete the document")) == 0)
    *out = units;
  return rc;
}

int ieum_tm_pg__delete_document_preview(ieum_tm *tm, const char *name, ieum_unit_cb cb, void *payload)
{
  int64_t id = 0, units = 0;
  char idtext[24];
  int rc = resolve(&id, &units, tm, name);
  if (rc)
    return rc;
  snprintf(idtext, sizeof idtext, "%lld", (long long)id);
  const char *p[1] = { id ? idtext : name };
  return ieum_tm_pg__list_units(tm, id ? "u.doc_id = $1::bigint" : "u.origin = $1", 1, p, cb, payload);
}
