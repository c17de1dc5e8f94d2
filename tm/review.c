/*
** tm/review.c: the review operations on a TM (include/ieum/review.h).
**
** Every operation is one BEGIN IMMEDIATE transaction in four steps: load
** the document's rows (units and unaligned sentences, by position) twice,
** apply the operation to one copy in memory, normalize it (a row with an
** empty side becomes one unaligned sentence per sentence left, a row with
** nothing is dropped, units get their bead type), and write back against
** the other copy: rows gone are deleted, rows changed are updated (their
** texts only when they changed, so the search index is touched only
** then), new rows inserted, and every row's position renumbered 0..n-1
** (first negated, so the unique place index never sees two rows at one
** place).  The rows before and after (as JSON, ids included) go into
** review_log; undo writes the "before" rows back after checking that the
** document still holds the "after" rows exactly (else someone else
** changed it: IEUM_EEXISTS), redo the reverse.  A row an undo brings back
** keeps its id unless another row took it meanwhile.
** Cost: a document's rows are read three times and written once per
** operation: O(rows), about a millisecond for a news article.
** Not here: the HTTP API and the page (review/), storing what the aligner
** made (pipeline/pair.c calls ieum_review_add_unaligned() and
** ieum_review_set_segments()).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "pg/pg_int.h"
#include "tm_int.h"

/* Texts are joined by this between the sentences of one side of a unit (as ieum_bead_text() does). */
#define SEG_JOINER ' '

/* Longest sentence list a review edit takes for one side. */
#define REVIEW_MAX_TEXTS 64

static const char *const status_names[] = { NULL, "confirmed", "edited" };
static const char *const op_names[] = { "confirm", "merge", "split", "no-counterpart", "move", "edit", "delete" };
#define N_OPS (sizeof op_names / sizeof op_names[0])

const char *ieum_review_status_name(int status)
{
  return status > 0 && status < 3 ? status_names[status] : NULL;
}

static int status_from_name(const char *s)
{
  if (!s)
    return IEUM_REVIEW_NONE;
  if (!strcmp(s, "confirmed"))
    return IEUM_REVIEW_CONFIRMED;
  return IEUM_REVIEW_EDITED; /* any other non-NULL status a tool wrote is a review too */
}

const char *ieum_review_op_name(int op)
{
  return op >= 0 && (size_t)op < N_OPS ? op_names[op] : NULL;
}

int ieum_review_op_from_name(int *out, const char *name)
{
  for (size_t i = 0; name && i < N_OPS; i++)
    if (!strcmp(name, op_names[i])) {
      *out = (int)i;
      return IEUM_OK;
    }
  return ieum__error_set(IEUM_EINVAL, "unknown review operation '%s' (confirm, merge, split, no-counterpart, "
                         "move, edit, delete)", name ? name : "");
}

/* ---- rows in memory ------------------------------------------------------------- */

static void row_dispose(ieum_review_row *r)
{
  for (int s = 0; s < 2; s++) {
    for (size_t i = 0; i < r->n_seg[s]; i++)
      ieum__free(r->seg[s][i]);
    ieum__free(r->seg[s]);
  }
  ieum__free(r->role);
  ieum__free(r->reviewer);
  memset(r, 0, sizeof *r);
}

void ieum_review_doc_free(ieum_review_doc *d)
{
  if (!d)
    return;
  for (size_t i = 0; i < d->n_rows; i++)
    row_dispose(&d->rows[i]);
  ieum__free(d->rows);
  ieum__free(d->src_path);
  ieum__free(d->tgt_path);
  ieum__free(d->src_lang);
  ieum__free(d->tgt_lang);
  ieum__free(d);
}

/* Appends a copy of s[0..len) to side `side` of r. */
static int seg_push(ieum_review_row *r, int side, const char *s, size_t len)
{
  char **v = ieum__reallocarray(r->seg[side], r->n_seg[side] + 1, sizeof *v);
  if (!v)
    return ieum__error_oom();
  r->seg[side] = v;
  if (!(v[r->n_seg[side]] = ieum__strndup(s, len)))
    return ieum__error_oom();
  r->n_seg[side]++;
  return IEUM_OK;
}

/* Inserts a zeroed row at index i of d (the caller fills it). */
static int row_insert(ieum_review_doc *d, size_t i)
{
  ieum_review_row *v = ieum__reallocarray(d->rows, d->n_rows + 1, sizeof *v);
  if (!v)
    return ieum__error_oom();
  d->rows = v;
  memmove(v + i + 1, v + i, (d->n_rows - i) * sizeof *v);
  memset(v + i, 0, sizeof *v);
  v[i].score = -1.0;
  d->n_rows++;
  return IEUM_OK;
}

static void row_remove(ieum_review_doc *d, size_t i)
{
  row_dispose(&d->rows[i]);
  memmove(d->rows + i, d->rows + i + 1, (d->n_rows - i - 1) * sizeof *d->rows);
  d->n_rows--;
}

/* Splits a unit side's text into its sentences by the lengths in `segs` ("12,30"); one sentence when they do not fit. */
static int split_side(ieum_review_row *r, int side, const char *text, size_t len, const char *segs)
{
  size_t at = 0;
  int ok = segs != NULL;
  for (const char *p = segs; ok && *p;) {
    char *end;
    unsigned long long n = strtoull(p, &end, 10);
    if (end == p || n == 0 || at + n > len)
      ok = 0;
    at += n;
    if (*end == ',') {
      if (at >= len || text[at] != SEG_JOINER)
        ok = 0;
      at++;
      end++;
    } else if (*end) {
      ok = 0;
    }
    p = end;
  }
  if (!ok || at != len)
    return seg_push(r, side, text, len);
  at = 0;
  for (const char *p = segs; *p;) {
    char *end;
    size_t n = (size_t)strtoull(p, &end, 10);
    int rc = seg_push(r, side, text + at, n);
    if (rc)
      return rc;
    at += n + 1;
    p = *end == ',' ? end + 1 : end;
  }
  return IEUM_OK;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? ieum__strdup(s) : NULL;
}

static int prepare(sqlite3_stmt **st, ieum_tm *tm, const char *sql)
{
  int src = sqlite3_prepare_v2(tm->db, sql, -1, st, NULL);
  return src == SQLITE_OK ? IEUM_OK : ieum_tm__db_error(tm, src, "cannot read the review tables");
}

static void set_bead(ieum_review_row *r)
{
  snprintf(r->bead, sizeof r->bead, "%zu-%zu", r->n_seg[0] > 9 ? 9 : r->n_seg[0], r->n_seg[1] > 9 ? 9 : r->n_seg[1]);
}

static const char sql_doc[] = "SELECT kind, src_path, tgt_path, src_lang, tgt_lang FROM documents WHERE id = ?1";
static const char sql_units[] =
  "SELECT id, position, src, tgt, score, bead, role, review_status, reviewer, reviewed, src_segs, tgt_segs, created"
  " FROM main.units WHERE doc_id = ?1 ORDER BY position";
static const char sql_unaligned[] =
  "SELECT id, position, side, text, role, no_counterpart, reviewer, reviewed FROM unaligned"
  " WHERE doc_id = ?1 ORDER BY position";
static const char sql_can[] =
  "SELECT EXISTS (SELECT 1 FROM review_log WHERE doc_id = ?1 AND undone = 0),"
  " EXISTS (SELECT 1 FROM review_log WHERE doc_id = ?1 AND undone = 1)";

/* Reads one unit row of st (sql_units) into r. */
static int read_unit(ieum_review_row *r, sqlite3_stmt *st)
{
  int rc;
  r->kind = IEUM_REVIEW_ROW_UNIT;
  r->id = sqlite3_column_int64(st, 0);
  r->position = sqlite3_column_int64(st, 1);
  for (int s = 0; s < 2; s++) {
    const char *t = (const char *)sqlite3_column_text(st, 2 + s);
    if (!t)
      return ieum__error_oom();
    if ((rc = split_side(r, s, t, (size_t)sqlite3_column_bytes(st, 2 + s),
                         (const char *)sqlite3_column_text(st, 10 + s))) != 0)
      return rc;
  }
  r->score = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 4);
  const char *bead = (const char *)sqlite3_column_text(st, 5);
  if (bead)
    snprintf(r->bead, sizeof r->bead, "%s", bead);
  else
    set_bead(r);
  r->role = dup_col(st, 6);
  r->status = status_from_name((const char *)sqlite3_column_text(st, 7));
  r->reviewer = dup_col(st, 8);
  r->reviewed = sqlite3_column_int64(st, 9);
  r->created = sqlite3_column_int64(st, 12);
  return IEUM_OK;
}

static int read_unaligned(ieum_review_row *r, sqlite3_stmt *st)
{
  r->kind = IEUM_REVIEW_ROW_UNALIGNED;
  r->id = sqlite3_column_int64(st, 0);
  r->position = sqlite3_column_int64(st, 1);
  int side = sqlite3_column_int(st, 2) ? 1 : 0;
  const char *t = (const char *)sqlite3_column_text(st, 3);
  if (!t)
    return ieum__error_oom();
  int rc = seg_push(r, side, t, (size_t)sqlite3_column_bytes(st, 3));
  if (rc)
    return rc;
  r->score = -1.0;
  snprintf(r->bead, sizeof r->bead, side ? "0-1" : "1-0");
  r->role = dup_col(st, 4);
  r->no_counterpart = sqlite3_column_int(st, 5) != 0;
  r->status = r->no_counterpart ? IEUM_REVIEW_CONFIRMED : IEUM_REVIEW_NONE;
  r->reviewer = dup_col(st, 6);
  r->reviewed = sqlite3_column_int64(st, 7);
  return IEUM_OK;
}

int ieum_review_doc_load(ieum_review_doc **out, ieum_tm *tm, int64_t doc_id)
{
  if (tm->pg)
    return ieum_tm_pg__unsupported(tm, "the review step");
  sqlite3_stmt *st = NULL, *su = NULL, *sa = NULL;
  ieum_review_doc *d = NULL;
  int rc, src;
  *out = NULL;
  if ((rc = prepare(&st, tm, sql_doc)) != 0)
    goto done;
  sqlite3_bind_int64(st, 1, doc_id);
  if ((src = sqlite3_step(st)) != SQLITE_ROW) {
    rc = src == SQLITE_DONE ? ieum__error_set(IEUM_ENOTFOUND, "%s: no document %lld", tm->path, (long long)doc_id)
                            : ieum_tm__db_error(tm, src, "cannot read the document");
    goto done;
  }
  if (strcmp((const char *)sqlite3_column_text(st, 0), "pair") != 0) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: document %lld is an imported TMX file: only aligned pairs are reviewed",
                         tm->path, (long long)doc_id);
    goto done;
  }
  if (!(d = ieum__calloc(1, sizeof *d))) {
    rc = ieum__error_oom();
    goto done;
  }
  d->doc_id = doc_id;
  d->src_path = dup_col(st, 1);
  d->tgt_path = dup_col(st, 2);
  d->src_lang = dup_col(st, 3);
  d->tgt_lang = dup_col(st, 4);
  if ((rc = prepare(&su, tm, sql_units)) != 0 || (rc = prepare(&sa, tm, sql_unaligned)) != 0)
    goto done;
  sqlite3_bind_int64(su, 1, doc_id);
  sqlite3_bind_int64(sa, 1, doc_id);
  int ru = sqlite3_step(su), ra = sqlite3_step(sa);
  while (ru == SQLITE_ROW || ra == SQLITE_ROW) {
    int take_unit = ru == SQLITE_ROW &&
                    (ra != SQLITE_ROW || sqlite3_column_int64(su, 1) <= sqlite3_column_int64(sa, 1));
    if ((rc = row_insert(d, d->n_rows)) != 0)
      goto done;
    if (take_unit) {
      if ((rc = read_unit(&d->rows[d->n_rows - 1], su)) != 0)
        goto done;
      ru = sqlite3_step(su);
    } else {
      if ((rc = read_unaligned(&d->rows[d->n_rows - 1], sa)) != 0)
        goto done;
      ra = sqlite3_step(sa);
    }
  }
  if (ru != SQLITE_DONE || ra != SQLITE_DONE) {
    rc = ieum_tm__db_error(tm, ru != SQLITE_DONE ? ru : ra, "cannot read the document's rows");
    goto done;
  }
  sqlite3_finalize(st);
  if ((rc = prepare(&st, tm, sql_can)) != 0)
    goto done;
  sqlite3_bind_int64(st, 1, doc_id);
  if ((src = sqlite3_step(st)) != SQLITE_ROW) {
    rc = ieum_tm__db_error(tm, src, "cannot read the review log");
    goto done;
  }
  d->can_undo = sqlite3_column_int(st, 0);
  d->can_redo = sqlite3_column_int(st, 1);
  *out = d;
  d = NULL;
done:
  sqlite3_finalize(st);
  sqlite3_finalize(su);
  sqlite3_finalize(sa);
  ieum_review_doc_free(d);
  return rc;
}

/* ---- the documents page ----------------------------------------------------------- */

static const char sql_documents[] =
  "SELECT id, src_path, tgt_path, src_lang, tgt_lang, added, units, doubtful, reviewed, unaligned, min_score FROM ("
  " SELECT d.id, ieum_name(d.src_path) AS src_path, ieum_name(d.tgt_path) AS tgt_path, d.src_lang, d.tgt_lang,"
  "  d.added,"
  "  (SELECT count(*) FROM main.units WHERE doc_id = d.id) AS units,"
  "  (SELECT count(*) FROM main.units WHERE doc_id = d.id AND review_status IS NULL AND score < ?1) AS doubtful,"
  "  (SELECT count(*) FROM main.units WHERE doc_id = d.id AND review_status IS NOT NULL) AS reviewed,"
  "  (SELECT count(*) FROM unaligned WHERE doc_id = d.id AND no_counterpart = 0) AS unaligned,"
  "  (SELECT min(score) FROM main.units WHERE doc_id = d.id) AS min_score"
  " FROM documents AS d WHERE d.kind = 'pair' AND (?2 IS NULL"
  "  OR instr(lower(d.src_path), ?2) OR instr(lower(d.tgt_path), ?2)"
  "  OR EXISTS (SELECT 1 FROM main.units AS u WHERE u.doc_id = d.id AND (instr(lower(u.src), ?2) OR instr(lower(u.tgt), ?2)))"
  "  OR EXISTS (SELECT 1 FROM unaligned AS a WHERE a.doc_id = d.id AND instr(lower(a.text), ?2)))"
  ") ORDER BY (doubtful + unaligned) * 1.0 / max(units + unaligned, 1) DESC, doubtful + unaligned DESC, id";

int ieum_review_documents(ieum_tm *tm, double threshold, const char *query, ieum_review_summary_cb cb,
                          void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__unsupported(tm, "the review step");
  sqlite3_stmt *st = NULL;
  int rc, src;
  if ((rc = prepare(&st, tm, sql_documents)) != 0)
    return rc;
  sqlite3_bind_double(st, 1, threshold);
  if (query && *query) {
    /* lower() folds ASCII only: fold the query the same way. */
    char *q = ieum__strdup(query);
    if (!q) {
      sqlite3_finalize(st);
      return ieum__error_oom();
    }
    for (char *p = q; *p; p++)
      if (*p >= 'A' && *p <= 'Z')
        *p = (char)(*p - 'A' + 'a');
    sqlite3_bind_text(st, 2, q, -1, ieum__free);
  }
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_review_summary s;
    s.doc_id = sqlite3_column_int64(st, 0);
    s.src_path = (const char *)sqlite3_column_text(st, 1);
    s.tgt_path = (const char *)sqlite3_column_text(st, 2);
    s.src_lang = (const char *)sqlite3_column_text(st, 3);
    s.tgt_lang = (const char *)sqlite3_column_text(st, 4);
    s.added = sqlite3_column_int64(st, 5);
    s.units = sqlite3_column_int64(st, 6);
    s.doubtful = sqlite3_column_int64(st, 7);
    s.reviewed = sqlite3_column_int64(st, 8);
    s.unaligned = sqlite3_column_int64(st, 9);
    s.min_score = sqlite3_column_type(st, 10) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 10);
    if ((rc = cb(&s, payload)) != 0)
      goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot list the documents");
done:
  sqlite3_finalize(st);
  return rc;
}

/* ---- snapshots (JSON) ------------------------------------------------------------- */

static json_object *str_or_null(const char *s)
{
  return s ? json_object_new_string(s) : NULL;
}

/* The rows of d as a JSON text into *out (the caller frees it with ieum__free()). */
static int snapshot(char **out, const ieum_review_doc *d)
{
  json_object *arr = json_object_new_array();
  int rc = IEUM_OK;
  *out = NULL;
  if (!arr)
    return ieum__error_oom();
  for (size_t i = 0; i < d->n_rows; i++) {
    const ieum_review_row *r = &d->rows[i];
    json_object *o = json_object_new_object(), *sides = json_object_new_array();
    if (!o || !sides) {
      json_object_put(o);
      json_object_put(sides);
      rc = ieum__error_oom();
      goto done;
    }
    for (int s = 0; s < 2; s++) {
      json_object *v = json_object_new_array();
      for (size_t k = 0; v && k < r->n_seg[s]; k++)
        json_object_array_add(v, json_object_new_string(r->seg[s][k]));
      json_object_array_add(sides, v);
    }
    json_object_object_add(o, "k", json_object_new_int(r->kind));
    json_object_object_add(o, "id", json_object_new_int64(r->id));
    json_object_object_add(o, "seg", sides);
    json_object_object_add(o, "score", r->score >= 0 ? json_object_new_double(r->score) : NULL);
    json_object_object_add(o, "role", str_or_null(r->role));
    json_object_object_add(o, "st", json_object_new_int(r->status));
    json_object_object_add(o, "rv", str_or_null(r->reviewer));
    json_object_object_add(o, "at", json_object_new_int64(r->reviewed));
    json_object_object_add(o, "nc", json_object_new_int(r->no_counterpart));
    json_object_object_add(o, "cr", json_object_new_int64(r->created));
    json_object_array_add(arr, o);
  }
  const char *s = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN);
  if (!s || !(*out = ieum__strdup(s)))
    rc = ieum__error_oom();
done:
  json_object_put(arr);
  return rc;
}

static const char *jstr(json_object *o, const char *key)
{
  json_object *v;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                                                           : NULL;
}

static int64_t jint(json_object *o, const char *key)
{
  json_object *v;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

/* Replaces the rows of d by those of snapshot `text`. */
static int restore(ieum_review_doc *d, const char *text)
{
  json_object *arr = json_tokener_parse(text);
  int rc = IEUM_OK;
  if (!arr || !json_object_is_type(arr, json_type_array)) {
    json_object_put(arr);
    return ieum__error_set(IEUM_EDB, "the review log holds a damaged entry");
  }
  while (d->n_rows)
    row_remove(d, d->n_rows - 1);
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    json_object *o = json_object_array_get_idx(arr, i), *sides, *v;
    if ((rc = row_insert(d, d->n_rows)) != 0)
      goto done;
    ieum_review_row *r = &d->rows[d->n_rows - 1];
    r->kind = (int)jint(o, "k");
    r->id = jint(o, "id");
    if (json_object_object_get_ex(o, "seg", &sides))
      for (int s = 0; s < 2; s++) {
        json_object *side = json_object_array_get_idx(sides, (size_t)s);
        for (size_t k = 0; side && k < json_object_array_length(side); k++) {
          const char *t = json_object_get_string(json_object_array_get_idx(side, k));
          if (t && (rc = seg_push(r, s, t, strlen(t))) != 0)
            goto done;
        }
      }
    r->score = json_object_object_get_ex(o, "score", &v) && v ? json_object_get_double(v) : -1.0;
    const char *role = jstr(o, "role"), *rv = jstr(o, "rv");
    if ((role && !(r->role = ieum__strdup(role))) || (rv && !(r->reviewer = ieum__strdup(rv)))) {
      rc = ieum__error_oom();
      goto done;
    }
    r->status = (int)jint(o, "st");
    r->reviewed = jint(o, "at");
    r->no_counterpart = (int)jint(o, "nc");
    r->created = jint(o, "cr");
    if (r->kind == IEUM_REVIEW_ROW_UNIT)
      set_bead(r);
    else
      snprintf(r->bead, sizeof r->bead, r->n_seg[1] ? "0-1" : "1-0");
  }
done:
  json_object_put(arr);
  return rc;
}

/* ---- writing rows back ------------------------------------------------------------ */

/* Joins the sentences of side s of r with SEG_JOINER into `text` and their lengths into `segs` (empty: one). */
static int join_side(ieum_buf *text, ieum_buf *segs, const ieum_review_row *r, int s)
{
  int rc = IEUM_OK;
  ieum__buf_clear(text);
  ieum__buf_clear(segs);
  for (size_t k = 0; rc == 0 && k < r->n_seg[s]; k++) {
    if (k && (rc = ieum__buf_putc(text, SEG_JOINER)) != 0)
      break;
    rc = ieum__buf_puts(text, r->seg[s][k]);
    if (rc == 0 && r->n_seg[s] > 1)
      rc = ieum__buf_printf(segs, "%s%zu", k ? "," : "", strlen(r->seg[s][k]));
  }
  if (rc == 0 && !text->ptr)
    rc = ieum__buf_puts(text, "");
  return rc;
}

static const ieum_review_row *find_row(const ieum_review_doc *d, int kind, int64_t id, size_t *at)
{
  for (size_t i = 0; id > 0 && i < d->n_rows; i++)
    if (d->rows[i].kind == kind && d->rows[i].id == id) {
      if (at)
        *at = i;
      return &d->rows[i];
    }
  return NULL;
}

static int same_side(const ieum_review_row *a, const ieum_review_row *b, int s)
{
  if (a->n_seg[s] != b->n_seg[s])
    return 0;
  for (size_t k = 0; k < a->n_seg[s]; k++)
    if (strcmp(a->seg[s][k], b->seg[s][k]) != 0)
      return 0;
  return 1;
}

/* Runs st (bound by the caller) to its end, then resets it. */
static int step_done(ieum_tm *tm, sqlite3_stmt *st, const char *what)
{
  int src = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return src == SQLITE_DONE ? IEUM_OK : ieum_tm__db_error(tm, src, what);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s, size_t n)
{
  if (s && n)
    sqlite3_bind_text(st, i, s, (int)n, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

enum { W_DEL_UNIT, W_DEL_UNAL, W_NEG_UNIT, W_NEG_UNAL, W_UPD_UNIT, W_UPD_UNIT_TEXT, W_INS_UNIT, W_UPD_UNAL,
       W_INS_UNAL, W_TAKEN_UNIT, W_TAKEN_UNAL, W_COUNT };
static const char *const write_sql[W_COUNT] = {
  [W_DEL_UNIT] = "DELETE FROM units WHERE id = ?1",
  [W_DEL_UNAL] = "DELETE FROM unaligned WHERE id = ?1",
  [W_NEG_UNIT] = "UPDATE units SET position = -1 - position WHERE doc_id = ?1 AND position >= 0",
  [W_NEG_UNAL] = "UPDATE unaligned SET position = -1 - position WHERE doc_id = ?1 AND position >= 0",
  [W_UPD_UNIT] = "UPDATE units SET position = ?2, score = ?3, bead = ?4, role = ?5, review_status = ?6,"
                 " reviewer = ?7, reviewed = ?8 WHERE id = ?1",
  [W_UPD_UNIT_TEXT] = "UPDATE units SET src = ?2, tgt = ?3, src_segs = ?4, tgt_segs = ?5 WHERE id = ?1",
  [W_INS_UNIT] = "INSERT INTO units(id, doc_id, position, src, tgt, src_lang, tgt_lang, score, bead, created, role,"
                 " review_status, reviewer, reviewed, src_segs, tgt_segs)"
                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
  [W_UPD_UNAL] = "UPDATE unaligned SET position = ?2, side = ?3, text = ?4, role = ?5, no_counterpart = ?6,"
                 " reviewer = ?7, reviewed = ?8 WHERE id = ?1",
  [W_INS_UNAL] = "INSERT INTO unaligned(id, doc_id, position, side, text, role, no_counterpart, reviewer, reviewed)"
                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  [W_TAKEN_UNIT] = "SELECT EXISTS (SELECT 1 FROM units WHERE id = ?1)",
  [W_TAKEN_UNAL] = "SELECT EXISTS (SELECT 1 FROM unaligned WHERE id = ?1)",
};

static int taken(int *out, ieum_tm *tm, sqlite3_stmt *st, int64_t id)
{
  *out = 0;
  if (id <= 0)
    return IEUM_OK;
  sqlite3_bind_int64(st, 1, id);
  int src = sqlite3_step(st);
  if (src == SQLITE_ROW)
    *out = sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return src == SQLITE_ROW ? IEUM_OK : ieum_tm__db_error(tm, src, "cannot read the review rows");
}

/*
** Makes the TM hold the rows of `want` for its document, which holds those
** of `cur` now; the ids of rows inserted are written into want.
*/
static int write_back(ieum_tm *tm, const ieum_review_doc *cur, ieum_review_doc *want)
{
  sqlite3_stmt *st[W_COUNT] = { 0 };
  ieum_buf text[2] = { IEUM_BUF_INIT, IEUM_BUF_INIT }, segs[2] = { IEUM_BUF_INIT, IEUM_BUF_INIT };
  int rc = IEUM_OK;
  int64_t now = ieum__now();
  for (int i = 0; i < W_COUNT; i++) {
    int src = sqlite3_prepare_v2(tm->db, write_sql[i], -1, &st[i], NULL);
    if (src != SQLITE_OK) {
      rc = ieum_tm__db_error(tm, src, "cannot write the review");
      goto done;
    }
  }
  /* Rows gone. */
  for (size_t i = 0; i < cur->n_rows; i++) {
    const ieum_review_row *r = &cur->rows[i];
    if (find_row(want, r->kind, r->id, NULL))
      continue;
    sqlite3_bind_int64(st[r->kind == IEUM_REVIEW_ROW_UNIT ? W_DEL_UNIT : W_DEL_UNAL], 1, r->id);
    if ((rc = step_done(tm, st[r->kind == IEUM_REVIEW_ROW_UNIT ? W_DEL_UNIT : W_DEL_UNAL], "cannot delete a row")) != 0)
      goto done;
  }
  for (int k = W_NEG_UNIT; k <= W_NEG_UNAL; k++) {
    sqlite3_bind_int64(st[k], 1, want->doc_id);
    if ((rc = step_done(tm, st[k], "cannot renumber the rows")) != 0)
      goto done;
  }
  for (size_t i = 0; i < want->n_rows; i++) {
    ieum_review_row *r = &want->rows[i];
    const ieum_review_row *old = find_row(cur, r->kind, r->id, NULL);
    const char *status = ieum_review_status_name(r->status);
    r->position = (int64_t)i;
    if (!r->created)
      r->created = now;
    if (r->kind == IEUM_REVIEW_ROW_UNIT) {
      for (int s = 0; s < 2; s++)
        if ((rc = join_side(&text[s], &segs[s], r, s)) != 0)
          goto done;
      if (old) {
        sqlite3_stmt *u = st[W_UPD_UNIT];
        sqlite3_bind_int64(u, 1, r->id);
        sqlite3_bind_int64(u, 2, r->position);
        if (r->score >= 0)
          sqlite3_bind_double(u, 3, r->score);
        sqlite3_bind_text(u, 4, r->bead, -1, SQLITE_TRANSIENT);
        bind_text_or_null(u, 5, r->role, r->role ? strlen(r->role) : 0);
        bind_text_or_null(u, 6, status, status ? strlen(status) : 0);
        bind_text_or_null(u, 7, r->reviewer, r->reviewer ? strlen(r->reviewer) : 0);
        if (r->reviewed)
          sqlite3_bind_int64(u, 8, r->reviewed);
        if ((rc = step_done(tm, u, "cannot update a unit")) != 0)
          goto done;
        if (same_side(old, r, 0) && same_side(old, r, 1))
          continue;
        u = st[W_UPD_UNIT_TEXT];
        sqlite3_bind_int64(u, 1, r->id);
        sqlite3_bind_text(u, 2, text[0].ptr, (int)text[0].size, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 3, text[1].ptr, (int)text[1].size, SQLITE_TRANSIENT);
        bind_text_or_null(u, 4, segs[0].ptr, segs[0].size);
        bind_text_or_null(u, 5, segs[1].ptr, segs[1].size);
        if ((rc = step_done(tm, u, "cannot update a unit's texts")) != 0)
          goto done;
        continue;
      }
      int busy = 0;
      if ((rc = taken(&busy, tm, st[W_TAKEN_UNIT], r->id)) != 0)
        goto done;
      sqlite3_stmt *u = st[W_INS_UNIT];
      if (r->id > 0 && !busy)
        sqlite3_bind_int64(u, 1, r->id);
      sqlite3_bind_int64(u, 2, want->doc_id);
      sqlite3_bind_int64(u, 3, r->position);
      sqlite3_bind_text(u, 4, text[0].ptr, (int)text[0].size, SQLITE_TRANSIENT);
      sqlite3_bind_text(u, 5, text[1].ptr, (int)text[1].size, SQLITE_TRANSIENT);
      sqlite3_bind_text(u, 6, want->src_lang ? want->src_lang : "ko", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(u, 7, want->tgt_lang ? want->tgt_lang : "en", -1, SQLITE_TRANSIENT);
      if (r->score >= 0)
        sqlite3_bind_double(u, 8, r->score);
      sqlite3_bind_text(u, 9, r->bead, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(u, 10, r->created);
      bind_text_or_null(u, 11, r->role, r->role ? strlen(r->role) : 0);
      bind_text_or_null(u, 12, status, status ? strlen(status) : 0);
      bind_text_or_null(u, 13, r->reviewer, r->reviewer ? strlen(r->reviewer) : 0);
      if (r->reviewed)
        sqlite3_bind_int64(u, 14, r->reviewed);
      bind_text_or_null(u, 15, segs[0].ptr, segs[0].size);
      bind_text_or_null(u, 16, segs[1].ptr, segs[1].size);
      if ((rc = step_done(tm, u, "cannot add a unit")) != 0)
        goto done;
      r->id = sqlite3_last_insert_rowid(tm->db);
    } else {
      int side = r->n_seg[1] ? 1 : 0;
      sqlite3_stmt *u = st[old ? W_UPD_UNAL : W_INS_UNAL];
      int busy = 0;
      if (!old && (rc = taken(&busy, tm, st[W_TAKEN_UNAL], r->id)) != 0)
        goto done;
      int o = old ? 0 : 1; /* the insert has doc_id as ?2: the update's parameters from ?2 move by one */
      if (old || (r->id > 0 && !busy))
        sqlite3_bind_int64(u, 1, r->id);
      if (!old)
        sqlite3_bind_int64(u, 2, want->doc_id);
      sqlite3_bind_int64(u, 2 + o, r->position);
      sqlite3_bind_int(u, 3 + o, side);
      sqlite3_bind_text(u, 4 + o, r->seg[side][0], -1, SQLITE_TRANSIENT);
      bind_text_or_null(u, 5 + o, r->role, r->role ? strlen(r->role) : 0);
      sqlite3_bind_int(u, 6 + o, r->no_counterpart);
      bind_text_or_null(u, 7 + o, r->reviewer, r->reviewer ? strlen(r->reviewer) : 0);
      if (r->reviewed)
        sqlite3_bind_int64(u, 8 + o, r->reviewed);
      if ((rc = step_done(tm, u, "cannot write an unaligned sentence")) != 0)
        goto done;
      if (!old)
        r->id = sqlite3_last_insert_rowid(tm->db);
    }
  }
done:
  for (int i = 0; i < W_COUNT; i++)
    sqlite3_finalize(st[i]);
  for (int s = 0; s < 2; s++) {
    ieum_buf_dispose(&text[s]);
    ieum_buf_dispose(&segs[s]);
  }
  return rc;
}

/* ---- the operations ------------------------------------------------------------- */

/* Marks row r as changed by the reviewer. */
static int touch(ieum_review_row *r, const char *reviewer, int64_t now, int status)
{
  ieum__free(r->reviewer);
  r->reviewer = NULL;
  if (reviewer && !(r->reviewer = ieum__strdup(reviewer)))
    return ieum__error_oom();
  r->reviewed = now;
  r->status = status;
  return IEUM_OK;
}

/*
** Brings the rows into shape: a row with an empty side becomes an unaligned
** sentence per sentence it holds (the first keeps the id when it was
** unaligned already), a row with nothing goes; units get their bead type.
*/
static int normalize(ieum_review_doc *d)
{
  for (size_t i = 0; i < d->n_rows;) {
    ieum_review_row *r = &d->rows[i];
    if (r->n_seg[0] && r->n_seg[1]) {
      if (r->kind != IEUM_REVIEW_ROW_UNIT) {
        r->kind = IEUM_REVIEW_ROW_UNIT;
        r->id = 0;
        r->no_counterpart = 0;
        r->created = 0;
      }
      set_bead(r);
      i++;
      continue;
    }
    if (!r->n_seg[0] && !r->n_seg[1]) {
      row_remove(d, i);
      continue;
    }
    int side = r->n_seg[1] ? 1 : 0;
    if (r->kind != IEUM_REVIEW_ROW_UNALIGNED) {
      r->kind = IEUM_REVIEW_ROW_UNALIGNED;
      r->id = 0;
      r->created = 0;
      r->score = -1.0;
      if (r->status == IEUM_REVIEW_CONFIRMED || r->status == IEUM_REVIEW_EDITED)
        r->status = r->no_counterpart ? IEUM_REVIEW_CONFIRMED : IEUM_REVIEW_NONE;
    }
    snprintf(r->bead, sizeof r->bead, side ? "0-1" : "1-0");
    /* More than one sentence: the ones after the first become rows of their own, below it. */
    while (d->rows[i].n_seg[side] > 1) {
      int rc = row_insert(d, i + 1);
      if (rc)
        return rc;
      r = &d->rows[i];
      ieum_review_row *n = &d->rows[i + 1];
      n->kind = IEUM_REVIEW_ROW_UNALIGNED;
      n->seg[side] = ieum__malloc(sizeof *n->seg[side]);
      if (!n->seg[side] || (r->role && !(n->role = ieum__strdup(r->role))))
        return ieum__error_oom();
      n->seg[side][0] = r->seg[side][r->n_seg[side] - 1];
      n->n_seg[side] = 1;
      r->n_seg[side]--;
      snprintf(n->bead, sizeof n->bead, side ? "0-1" : "1-0");
    }
    i++;
  }
  return IEUM_OK;
}

/* Moves every sentence of `from` onto the end (at_end) or the start of `to`, side by side. */
static int join_rows(ieum_review_row *to, ieum_review_row *from, int at_end)
{
  for (int s = 0; s < 2; s++) {
    size_t n = to->n_seg[s] + from->n_seg[s];
    if (!from->n_seg[s])
      continue;
    char **v = ieum__reallocarray(to->seg[s], n, sizeof *v);
    if (!v)
      return ieum__error_oom();
    if (at_end) {
      memcpy(v + to->n_seg[s], from->seg[s], from->n_seg[s] * sizeof *v);
    } else {
      memmove(v + from->n_seg[s], v, to->n_seg[s] * sizeof *v);
      memcpy(v, from->seg[s], from->n_seg[s] * sizeof *v);
    }
    to->seg[s] = v;
    to->n_seg[s] = n;
    from->n_seg[s] = 0;
  }
  return IEUM_OK;
}

static int is_blank(const char *s)
{
  return ieum__utf8_is_blank(s, strlen(s));
}

/* Applies e to the rows of d (in memory). */
static int apply(ieum_review_doc *d, const ieum_review_edit *e, const char *path)
{
  size_t i = 0;
  int64_t now = ieum__now();
  int rc;
  const char *what = e->row_kind == IEUM_REVIEW_ROW_UNIT ? "unit" : "unaligned sentence";
  if (!find_row(d, e->row_kind, e->row_id, &i))
    return ieum__error_set(IEUM_ENOTFOUND, "%s: %s %lld is not in document %lld (deleted or changed meanwhile?)",
                           path, what, (long long)e->row_id, (long long)d->doc_id);
  ieum_review_row *r = &d->rows[i];
  int side = e->side ? 1 : 0;
  switch (e->op) {
  case IEUM_REVIEW_CONFIRM:
    if (r->kind == IEUM_REVIEW_ROW_UNALIGNED)
      r->no_counterpart = 1;
    return touch(r, e->reviewer, now, IEUM_REVIEW_CONFIRMED);
  case IEUM_REVIEW_MERGE: {
    if (e->direction != -1 && e->direction != 1)
      return ieum__error_set(IEUM_EINVAL, "merge: direction must be -1 (above) or 1 (below)");
    if ((e->direction < 0 && i == 0) || (e->direction > 0 && i + 1 >= d->n_rows))
      return ieum__error_set(IEUM_EINVAL, "merge: there is no row %s %s %lld", e->direction < 0 ? "above" : "below",
                             what, (long long)e->row_id);
    size_t up = e->direction < 0 ? i - 1 : i, down = up + 1;
    ieum_review_row *a = &d->rows[up], *b = &d->rows[down];
    if ((!a->n_seg[0] && !b->n_seg[0]) || (!a->n_seg[1] && !b->n_seg[1]))
      return ieum__error_set(IEUM_EINVAL, "merge: both rows hold sentences of one side only: nothing to pair");
    /* The unit that stays: the upper one when it is a unit, else the lower one. */
    ieum_review_row *keep = a->kind == IEUM_REVIEW_ROW_UNIT || b->kind != IEUM_REVIEW_ROW_UNIT ? a : b;
    ieum_review_row *gone = keep == a ? b : a;
    if ((rc = join_rows(keep, gone, keep == a)) != 0)
      return rc;
    if (!keep->role && gone->role) {
      keep->role = gone->role;
      gone->role = NULL;
    }
    keep->score = -1.0;
    if ((rc = touch(keep, e->reviewer, now, IEUM_REVIEW_EDITED)) != 0)
      return rc;
    return IEUM_OK; /* normalize() drops the emptied row and makes `keep` a unit */
  }
  case IEUM_REVIEW_SPLIT: {
    if (r->kind != IEUM_REVIEW_ROW_UNIT)
      return ieum__error_set(IEUM_EINVAL, "split: only a unit can be split");
    if (r->n_seg[0] + r->n_seg[1] < 3)
      return ieum__error_set(IEUM_EINVAL, "split: unit %lld has one sentence a side", (long long)r->id);
    size_t a = e->src_at, b = e->tgt_at;
    if (a > r->n_seg[0] || b > r->n_seg[1] || a + b == 0 || a + b == r->n_seg[0] + r->n_seg[1])
      return ieum__error_set(IEUM_EINVAL, "split: unit %lld (%s) cannot be split after %zu and %zu sentences",
                             (long long)r->id, r->bead, a, b);
    if ((rc = row_insert(d, i + 1)) != 0)
      return rc;
    r = &d->rows[i];
    ieum_review_row *n = &d->rows[i + 1];
    n->kind = IEUM_REVIEW_ROW_UNIT;
    if (r->role && !(n->role = ieum__strdup(r->role)))
      return ieum__error_oom();
    size_t at[2] = { a, b };
    for (int s = 0; s < 2; s++) {
      size_t k = r->n_seg[s] - at[s];
      if (!k)
        continue;
      if (!(n->seg[s] = ieum__malloc(k * sizeof *n->seg[s])))
        return ieum__error_oom();
      memcpy(n->seg[s], r->seg[s] + at[s], k * sizeof *n->seg[s]);
      n->n_seg[s] = k;
      r->n_seg[s] = at[s];
    }
    r->score = -1.0;
    if ((rc = touch(r, e->reviewer, now, IEUM_REVIEW_EDITED)) != 0 ||
        (rc = touch(n, e->reviewer, now, IEUM_REVIEW_EDITED)) != 0)
      return rc;
    return IEUM_OK;
  }
  case IEUM_REVIEW_NO_COUNTERPART: {
    if (r->kind == IEUM_REVIEW_ROW_UNALIGNED) {
      r->no_counterpart = 1;
      return touch(r, e->reviewer, now, IEUM_REVIEW_CONFIRMED);
    }
    if (e->segment >= r->n_seg[side])
      return ieum__error_set(IEUM_EINVAL, "no-counterpart: unit %lld has no %s sentence %zu", (long long)r->id,
                             side ? "target" : "source", e->segment);
    size_t at = e->segment == 0 && r->n_seg[side] > 1 ? i : i + 1; /* the first sentence goes above, others below */
    if ((rc = row_insert(d, at)) != 0)
      return rc;
    r = &d->rows[at == i ? i + 1 : i];
    ieum_review_row *n = &d->rows[at];
    n->kind = IEUM_REVIEW_ROW_UNALIGNED;
    n->no_counterpart = 1;
    if (!(n->seg[side] = ieum__malloc(sizeof *n->seg[side])) || (r->role && !(n->role = ieum__strdup(r->role))))
      return ieum__error_oom();
    n->seg[side][0] = r->seg[side][e->segment];
    n->n_seg[side] = 1;
    memmove(r->seg[side] + e->segment, r->seg[side] + e->segment + 1,
            (r->n_seg[side] - e->segment - 1) * sizeof *r->seg[side]);
    r->n_seg[side]--;
    r->score = -1.0;
    if ((rc = touch(n, e->reviewer, now, IEUM_REVIEW_CONFIRMED)) != 0 ||
        (rc = touch(r, e->reviewer, now, IEUM_REVIEW_EDITED)) != 0)
      return rc;
    return IEUM_OK;
  }
  case IEUM_REVIEW_MOVE: {
    if (e->direction != -1 && e->direction != 1)
      return ieum__error_set(IEUM_EINVAL, "move: direction must be -1 (above) or 1 (below)");
    if (!r->n_seg[side])
      return ieum__error_set(IEUM_EINVAL, "move: %s %lld has no %s sentence", what, (long long)r->id,
                             side ? "target" : "source");
    if ((e->direction < 0 && i == 0) || (e->direction > 0 && i + 1 >= d->n_rows))
      return ieum__error_set(IEUM_EINVAL, "move: there is no row %s %s %lld", e->direction < 0 ? "above" : "below",
                             what, (long long)e->row_id);
    ieum_review_row *to = &d->rows[e->direction < 0 ? i - 1 : i + 1];
    char **v = ieum__reallocarray(to->seg[side], to->n_seg[side] + 1, sizeof *v);
    if (!v)
      return ieum__error_oom();
    to->seg[side] = v;
    if (e->direction < 0) { /* the first sentence goes to the end of the row above */
      v[to->n_seg[side]] = r->seg[side][0];
      memmove(r->seg[side], r->seg[side] + 1, (r->n_seg[side] - 1) * sizeof *r->seg[side]);
    } else {                /* the last one to the start of the row below */
      memmove(v + 1, v, to->n_seg[side] * sizeof *v);
      v[0] = r->seg[side][r->n_seg[side] - 1];
    }
    to->n_seg[side]++;
    r->n_seg[side]--;
    to->score = r->score = -1.0;
    if ((rc = touch(to, e->reviewer, now, IEUM_REVIEW_EDITED)) != 0 ||
        (rc = touch(r, e->reviewer, now, IEUM_REVIEW_EDITED)) != 0)
      return rc;
    return IEUM_OK;
  }
  case IEUM_REVIEW_EDIT: {
    if (!e->n_texts || e->n_texts > REVIEW_MAX_TEXTS || !e->texts)
      return ieum__error_set(IEUM_EINVAL, "edit: give 1 to %d sentences", REVIEW_MAX_TEXTS);
    if (!r->n_seg[side])
      return ieum__error_set(IEUM_EINVAL, "edit: %s %lld has no %s side", what, (long long)r->id,
                             side ? "target" : "source");
    for (size_t k = 0; k < e->n_texts; k++) {
      size_t len = e->texts[k] ? strlen(e->texts[k]) : 0;
      if (!e->texts[k] || is_blank(e->texts[k]))
        return ieum__error_set(IEUM_EINVAL, "edit: sentence %zu is blank", k + 1);
      if (ieum__utf8_invalid_at(e->texts[k], len) != len)
        return ieum__error_set(IEUM_EINVAL, "edit: sentence %zu is not valid UTF-8", k + 1);
    }
    for (size_t k = 0; k < r->n_seg[side]; k++)
      ieum__free(r->seg[side][k]);
    r->n_seg[side] = 0;
    for (size_t k = 0; k < e->n_texts; k++) {
      ieum_buf nfc = IEUM_BUF_INIT;
      if ((rc = ieum__icu_nfc(&nfc, e->texts[k], strlen(e->texts[k]))) == 0)
        rc = seg_push(r, side, nfc.ptr ? nfc.ptr : "", nfc.size);
      ieum_buf_dispose(&nfc);
      if (rc)
        return rc;
    }
    if (r->kind == IEUM_REVIEW_ROW_UNALIGNED)
      return touch(r, e->reviewer, now, r->status);
    return touch(r, e->reviewer, now, IEUM_REVIEW_EDITED);
  }
  case IEUM_REVIEW_DELETE:
    row_remove(d, i);
    return IEUM_OK;
  default:
    return ieum__error_set(IEUM_EINVAL, "unknown review operation %d", e->op);
  }
}

/* ---- transactions and the log -------------------------------------------------------- */

static int log_entry(int64_t *out, ieum_tm *tm, const ieum_review_edit *e, const char *before, const char *after)
{
  sqlite3_stmt *st = NULL;
  int rc = prepare(&st, tm, "DELETE FROM review_log WHERE doc_id = ?1 AND undone = 1");
  if (rc)
    return rc;
  sqlite3_bind_int64(st, 1, e->doc_id);
  rc = step_done(tm, st, "cannot write the review log");
  sqlite3_finalize(st);
  if (rc || (rc = prepare(&st, tm, "INSERT INTO review_log(doc_id, op, reviewer, at, before, after)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)")) != 0)
    return rc;
  sqlite3_bind_int64(st, 1, e->doc_id);
  sqlite3_bind_text(st, 2, ieum_review_op_name(e->op), -1, SQLITE_STATIC);
  bind_text_or_null(st, 3, e->reviewer, e->reviewer ? strlen(e->reviewer) : 0);
  sqlite3_bind_int64(st, 4, ieum__now());
  sqlite3_bind_text(st, 5, before, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, after, -1, SQLITE_STATIC);
  rc = step_done(tm, st, "cannot write the review log");
  sqlite3_finalize(st);
  if (rc == 0 && out)
    *out = sqlite3_last_insert_rowid(tm->db);
  return rc;
}

static int check_writable(ieum_tm *tm)
{
  if (!tm->writable)
    return ieum__error_set(IEUM_EDB, "%s: the TM is open read-only", tm->path);
  if (tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: a review operation runs its own transaction; commit the open one first",
                           tm->path);
  return IEUM_OK;
}

int ieum_review_apply(int64_t *out, ieum_tm *tm, const ieum_review_edit *e)
{
  if (tm->pg)
    return ieum_tm_pg__unsupported(tm, "the review step");
  ieum_review_doc *cur = NULL, *want = NULL, *now = NULL;
  char *before = NULL, *after = NULL;
  int rc;
  if (out)
    *out = 0;
  if (!e || e->version < 1 || e->version > IEUM_REVIEW_EDIT_VERSION)
    return ieum__error_set(IEUM_EINVAL, "review: bad edit options");
  if ((rc = check_writable(tm)) != 0 || (rc = ieum_tm_begin(tm)) != 0)
    return rc;
  if ((rc = ieum_review_doc_load(&cur, tm, e->doc_id)) != 0 || (rc = ieum_review_doc_load(&want, tm, e->doc_id)) != 0 ||
      (rc = snapshot(&before, cur)) != 0 || (rc = apply(want, e, tm->path)) != 0 || (rc = normalize(want)) != 0 ||
      (rc = write_back(tm, cur, want)) != 0 || (rc = ieum_review_doc_load(&now, tm, e->doc_id)) != 0 ||
      (rc = snapshot(&after, now)) != 0 || (rc = log_entry(out, tm, e, before, after)) != 0 ||
      (rc = ieum_tm__index_flush(tm, 0)) != 0 || (rc = ieum_tm_commit(tm)) != 0)
    ieum_tm_rollback(tm);
  ieum_review_doc_free(cur);
  ieum_review_doc_free(want);
  ieum_review_doc_free(now);
  ieum__free(before);
  ieum__free(after);
  return rc;
}

/* Undo (redo 0) or redo (1) of the next log entry of doc_id. */
static int replay(ieum_tm *tm, int64_t doc_id, int redo)
{
  sqlite3_stmt *st = NULL;
  ieum_review_doc *cur = NULL, *want = NULL;
  char *state = NULL, *target = NULL, *written = NULL;
  int rc, src;
  int64_t entry = 0;
  if ((rc = check_writable(tm)) != 0 || (rc = ieum_tm_begin(tm)) != 0)
    return rc;
  if ((rc = prepare(&st, tm, redo ? "SELECT id, before, after FROM review_log WHERE doc_id = ?1 AND undone = 1 ORDER BY id LIMIT 1"
                                  : "SELECT id, after, before FROM review_log WHERE doc_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1")) != 0)
    goto done;
  sqlite3_bind_int64(st, 1, doc_id);
  if ((src = sqlite3_step(st)) != SQLITE_ROW) {
    rc = src == SQLITE_DONE ? ieum__error_set(IEUM_ENOTFOUND, "%s: document %lld has nothing to %s", tm->path,
                                              (long long)doc_id, redo ? "redo" : "undo")
                            : ieum_tm__db_error(tm, src, "cannot read the review log");
    goto done;
  }
  entry = sqlite3_column_int64(st, 0);
  const char *expect = (const char *)sqlite3_column_text(st, 1);
  if (!expect || !(target = ieum__strdup((const char *)sqlite3_column_text(st, 2)))) {
    rc = ieum__error_oom();
    goto done;
  }
  if ((rc = ieum_review_doc_load(&cur, tm, doc_id)) != 0 || (rc = snapshot(&state, cur)) != 0)
    goto done;
  if (strcmp(state, expect) != 0) {
    rc = ieum__error_set(IEUM_EEXISTS, "%s: document %lld was changed since (another tab or program): reload it",
                         tm->path, (long long)doc_id);
    goto done;
  }
  sqlite3_finalize(st);
  st = NULL;
  if ((rc = ieum_review_doc_load(&want, tm, doc_id)) != 0 || (rc = restore(want, target)) != 0 ||
      (rc = write_back(tm, cur, want)) != 0)
    goto done;
  ieum_review_doc_free(cur);
  cur = NULL;
  if ((rc = ieum_review_doc_load(&cur, tm, doc_id)) != 0 || (rc = snapshot(&written, cur)) != 0)
    goto done;
  /* The rows as written (an id taken meanwhile changes) are what the other direction expects. */
  if ((rc = prepare(&st, tm, redo ? "UPDATE review_log SET undone = 0, after = ?2 WHERE id = ?1"
                                  : "UPDATE review_log SET undone = 1, before = ?2 WHERE id = ?1")) != 0)
    goto done;
  sqlite3_bind_int64(st, 1, entry);
  sqlite3_bind_text(st, 2, written, -1, SQLITE_STATIC);
  if ((rc = step_done(tm, st, "cannot write the review log")) != 0 || (rc = ieum_tm__index_flush(tm, 0)) != 0)
    goto done;
  rc = ieum_tm_commit(tm);
done:
  sqlite3_finalize(st);
  if (rc)
    ieum_tm_rollback(tm);
  ieum_review_doc_free(cur);
  ieum_review_doc_free(want);
  ieum__free(state);
  ieum__free(target);
  ieum__free(written);
  return rc;
}

int ieum_review_undo(ieum_tm *tm, int64_t doc_id)
{
  if (tm->pg)
    return ieum_tm_pg__unsupported(tm, "the review step");
  return replay(tm, doc_id, 0);
}

int ieum_review_redo(ieum_tm *tm, int64_t doc_id)
{
  if (tm->pg)
    return ieum_tm_pg__unsupported(tm, "the review step");
  return replay(tm, doc_id, 1);
}

/* ---- what the aligner stores -------------------------------------------------------------- */

int ieum_review_add_unaligned(ieum_tm *tm, int64_t doc_id, int64_t position, int side, const char *text, size_t len,
                              const char *role)
{
  if (tm->pg) /* a PostgreSQL TM keeps the units only: the review step runs on SQLite TMs */
    return IEUM_OK;
  sqlite3_stmt *st = NULL;
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: adding a sentence needs a transaction", tm->path);
  if (!text || !len)
    return ieum__error_set(IEUM_EINVAL, "%s: an unaligned sentence must not be empty", tm->path);
  int rc = prepare(&st, tm, "INSERT INTO unaligned(doc_id, position, side, text, role) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (rc)
    return rc;
  sqlite3_bind_int64(st, 1, doc_id);
  sqlite3_bind_int64(st, 2, position);
  sqlite3_bind_int(st, 3, side ? 1 : 0);
  sqlite3_bind_text(st, 4, text, (int)len, SQLITE_STATIC);
  bind_text_or_null(st, 5, role, role ? strlen(role) : 0);
  rc = step_done(tm, st, "cannot add an unaligned sentence");
  sqlite3_finalize(st);
  return rc;
}

int ieum_review_set_segments(ieum_tm *tm, int64_t doc_id, int64_t position, const size_t *const lens[2],
                             const size_t n[2])
{
  if (tm->pg) /* a PostgreSQL TM keeps the units only: the review step runs on SQLite TMs */
    return IEUM_OK;
  sqlite3_stmt *st = NULL;
  ieum_buf segs[2] = { IEUM_BUF_INIT, IEUM_BUF_INIT };
  int rc = IEUM_OK;
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: recording sentences needs a transaction", tm->path);
  if (n[0] < 2 && n[1] < 2)
    return IEUM_OK; /* one sentence a side: nothing to record */
  if ((rc = prepare(&st, tm, "UPDATE units SET src_segs = ?3, tgt_segs = ?4 WHERE doc_id = ?1 AND position = ?2"
                             " AND origin IS NULL AND length(CAST(src AS BLOB)) = ?5 AND length(CAST(tgt AS BLOB)) = ?6")) != 0)
    return rc;
  size_t total[2] = { 0, 0 };
  for (int s = 0; s < 2 && rc == 0; s++)
    for (size_t k = 0; k < n[s] && rc == 0; k++) {
      total[s] += lens[s][k] + (k ? 1 : 0);
      if (n[s] > 1)
        rc = ieum__buf_printf(&segs[s], "%s%zu", k ? "," : "", lens[s][k]);
    }
  if (rc)
    goto done;
  sqlite3_bind_int64(st, 1, doc_id);
  sqlite3_bind_int64(st, 2, position);
  bind_text_or_null(st, 3, segs[0].ptr, segs[0].size);
  bind_text_or_null(st, 4, segs[1].ptr, segs[1].size);
  sqlite3_bind_int64(st, 5, (int64_t)total[0]);
  sqlite3_bind_int64(st, 6, (int64_t)total[1]);
  if ((rc = step_done(tm, st, "cannot record a unit's sentences")) != 0)
    goto done;
  if (sqlite3_changes(tm->db) != 1)
    rc = ieum__error_set(IEUM_EINVAL, "%s: document %lld has no unit at %lld of those lengths", tm->path,
                         (long long)doc_id, (long long)position);
done:
  sqlite3_finalize(st);
  ieum_buf_dispose(&segs[0]);
  ieum_buf_dispose(&segs[1]);
  return rc;
}
