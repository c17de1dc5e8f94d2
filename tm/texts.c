/*
** tm/texts.c: the unit texts and learned word pairs the TM hands the
** pipeline (tm/texts_int.h).
**
** Plain reads of the units and lexicon tables, each one SQL statement with
** bound parameters walked row by row into a callback, and the writes of
** the learned pairs (origin 'learned') in a transaction the caller ends.
** Cost: one pass over the rows read; the length-model read is capped by
** its `limit` (an index on units serves it).  The length model's units
** are those of the pair in any spelling of its tags ("ko", "ko-KR").
** Not here: learning the pairs and counting lengths (align/learn.c and
** align/score.c, driven by pipeline/learn.c): the TM knows no alignment.
*/
#include <stdio.h>
#include <string.h>

#include "texts_int.h"
#include "pg/pg_int.h"
#include "tm_int.h"

const char *ieum_tm__path(const ieum_tm *tm)
{
  return tm->path;
}

/* Steps `st` to its end, handing every row's first two columns to `fn`; finalizes it. */
static int walk(ieum_tm *tm, sqlite3_stmt *st, ieum_tm__texts_cb fn, void *payload, const char *what)
{
  int rc = IEUM_OK, src;
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    if (!a || !b)
      continue;
    if ((rc = fn(a, (size_t)sqlite3_column_bytes(st, 0), b, (size_t)sqlite3_column_bytes(st, 1), payload)) != 0)
      break;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, what);
  sqlite3_finalize(st);
  return rc;
}

/*
** How many times a reviewed unit is handed to the learner: a reviewer's
** confirmation or correction is worth more than the aligner's score, so its
** co-occurrences count double (and it is read whatever its score).
*/
#define REVIEWED_WEIGHT 2

int ieum_tm__each_unit_text(ieum_tm *tm, double min_score, ieum_tm__texts_cb fn, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__each_unit_text(tm, min_score, fn, payload);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK, src = sqlite3_prepare_v2(tm->db,
                                             "SELECT src, tgt, review_status IS NOT NULL FROM units"
                                             " WHERE score >= ?1 OR review_status IS NOT NULL",
                                             -1, &st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot read the units");
  sqlite3_bind_double(st, 1, min_score);
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    int times = sqlite3_column_int(st, 2) ? REVIEWED_WEIGHT : 1;
    for (int k = 0; a && b && k < times && rc == 0; k++)
      rc = fn(a, (size_t)sqlite3_column_bytes(st, 0), b, (size_t)sqlite3_column_bytes(st, 1), payload);
    if (rc)
      break;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
  sqlite3_finalize(st);
  return rc;
}

/*
** The spellings of `tag` a TM may hold units of: as given, with its likely
** region and without any ("ko", "ko-KR", "ko"): TMs store one canonical
** form (tm.lang_tags), older ones the tags as they came.
*/
static void spellings(char out[3][IEUM_LANG_MAX], const char *tag)
{
  snprintf(out[0], IEUM_LANG_MAX, "%s", tag ? tag : "");
  for (int k = 1; k < 3; k++)
    if (ieum_lang_export_tag(out[k], IEUM_LANG_MAX, out[0], k == 2) != IEUM_OK) {
      ieum__error_clear();
      memcpy(out[k], out[0], IEUM_LANG_MAX);
    }
}

int ieum_tm__each_pair_text(ieum_tm *tm, const char *src_lang, const char *tgt_lang, double min_score, int limit,
                            ieum_tm__texts_cb fn, void *payload)
{
  char sl[3][IEUM_LANG_MAX], tl[3][IEUM_LANG_MAX];
  spellings(sl, src_lang);
  spellings(tl, tgt_lang);
  if (tm->pg)
    return ieum_tm_pg__each_pair_text(tm, sl, tl, min_score, limit, fn, payload);
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v2(tm->db,
                               "SELECT src, tgt FROM units WHERE bead = '1-1' AND (score >= ?1 OR review_status IS NOT NULL)"
                               " AND src_lang COLLATE NOCASE IN (?2, ?5, ?6) AND tgt_lang COLLATE NOCASE IN (?3, ?7, ?8)"
                               " ORDER BY id DESC LIMIT ?4",
                               -1, &st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot read the units");
  sqlite3_bind_double(st, 1, min_score);
  sqlite3_bind_text(st, 2, sl[0], -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, tl[0], -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 4, limit);
  for (int k = 1; k < 3; k++) {
    sqlite3_bind_text(st, 4 + k, sl[k], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6 + k, tl[k], -1, SQLITE_TRANSIENT);
  }
  return walk(tm, st, fn, payload, "cannot read the units");
}

int ieum_tm__each_learned(ieum_tm *tm, ieum_tm__texts_cb fn, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__each_learned(tm, fn, payload);
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v2(tm->db, "SELECT src, tgt FROM lexicon WHERE origin = 'learned' ORDER BY src, tgt", -1,
                               &st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot read the lexicon");
  return walk(tm, st, fn, payload, "cannot read the lexicon");
}

int ieum_tm__learned_begin(ieum_tm *tm, const char *what)
{
  if (tm->pg)
    return ieum_tm_pg__learned_begin(tm, what);
  int rc;
  if (!tm->writable)
    return ieum__error_set(IEUM_EINVAL, "%s: %s: the TM is open read-only", tm->path, what);
  if (tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: %s: a transaction is already open", tm->path, what);
  if ((rc = ieum_tm_begin(tm)) != 0)
    return rc;
  int src = sqlite3_exec(tm->db, "DELETE FROM lexicon WHERE origin = 'learned'", NULL, NULL, NULL);
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot clear the learned lexicon");
    ieum_tm_rollback(tm);
    return rc;
  }
  return IEUM_OK;
}

int ieum_tm__learned_put(ieum_tm *tm, const char *src_text, const char *tgt_text, double weight, int64_t count)
{
  if (tm->pg)
    return ieum_tm_pg__learned_put(tm, src_text, tgt_text, weight, count);
  sqlite3_stmt *st = NULL;
  int rc = ieum_tm__cached(&st, tm, TM_STMT_LEARNED_PUT);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, src_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, tgt_text, -1, SQLITE_STATIC);
  sqlite3_bind_double(st, 3, weight);
  sqlite3_bind_int64(st, 4, count);
  int src = sqlite3_step(st);
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot write the lexicon");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}
