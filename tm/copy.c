/*
** tm/copy.c: copying documents from one TM into another, whatever their
** backends (ieum_tm_copy(): include/ieum/tm.h).
**
** The documents of the source are listed first (ieum_tm__document_list():
** the list is small next to the units, and a PostgreSQL connection cannot
** read two result sets at once); each one the target lacks (by kind and
** hash) is then added in a transaction of its own with its names (their
** bytes as given: ieum_tm_get_document_path()), metadata and units, which
** go through an importer (no duplicate merging: the document is new, its
** units are its places) with their props.  The lexicon (learned and
** dictionary word pairs) follows in one last transaction, each row unless
** the target has one of the same source, target and origin.  Only the public
** API moves the data, plus three readers and a lexicon writer per backend:
** the SQLite ones here, the PostgreSQL ones in tm/pg/store.c.
** Cost: one pass over the source's units; one transaction per document, one
** for the lexicon.
** Not here: merging SQLite files with ATTACH (maint.c).
*/
#include <string.h>
#include <time.h>

#include "pg/pg_int.h"
#include "tm_int.h"

void ieum_tm__doc_rows_free(ieum_tm__doc_row *rows, size_t n)
{
  for (size_t i = 0; rows && i < n; i++) {
    ieum__free(rows[i].kind);
    ieum__free(rows[i].src_lang);
    ieum__free(rows[i].tgt_lang);
    ieum__free(rows[i].hash);
  }
  ieum__free(rows);
}

static char *dup_col(sqlite3_stmt *st, int i, int *oom)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  char *d = s ? ieum__strdup(s) : NULL;
  *oom |= s && !d;
  return d;
}

int ieum_tm__document_list(ieum_tm__doc_row **out, size_t *n, ieum_tm *tm)
{
  if (tm->pg)
    return ieum_tm_pg__document_list(out, n, tm);
  sqlite3_stmt *st = NULL;
  ieum_tm__doc_row *v = NULL;
  size_t cap = 0, k = 0;
  int rc = IEUM_OK, src, oom = 0;
  *out = NULL;
  *n = 0;
  src = sqlite3_prepare_v2(tm->db, "SELECT id, kind, src_lang, tgt_lang, hash FROM documents ORDER BY id", -1, &st,
                           NULL);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    if (k == cap) {
      ieum_tm__doc_row *w = ieum__reallocarray(v, cap = cap ? 2 * cap : 64, sizeof *w);
      if (!w) {
        rc = ieum__error_oom();
        goto done;
      }
      v = w;
    }
    v[k].id = sqlite3_column_int64(st, 0);
    v[k].kind = dup_col(st, 1, &oom);
    v[k].src_lang = dup_col(st, 2, &oom);
    v[k].tgt_lang = dup_col(st, 3, &oom);
    v[k].hash = dup_col(st, 4, &oom);
    k++;
    if (oom) {
      rc = ieum__error_oom();
      goto done;
    }
    src = SQLITE_OK;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot list the documents");
done:
  sqlite3_finalize(st);
  if (rc) {
    ieum_tm__doc_rows_free(v, k);
    return rc;
  }
  *out = v;
  *n = k;
  return IEUM_OK;
}

/* Whether props[0..n) hold one of kind `kind` and type `type`. */
static int has_prop(const ieum_unit_prop *props, size_t n, const char *kind, const char *type)
{
  for (size_t i = 0; i < n; i++)
    if (props[i].kind && !strcmp(props[i].kind, kind) && props[i].type && !strcmp(props[i].type, type))
      return 1;
  return 0;
}

/*
** Appends to the n props (their strings in strs, 4 per prop) what columns
** 12-15 of the unit row `st` hold: created_by as the attributes creationid,
** changeid and changedate (the unit's time, column 9), the review as x-review-status, x-reviewer and x-reviewed,
** each unless already there.  Errors: IEUM_ENOMEM.
*/
static int extra_props(ieum_unit_prop **props, char ***strs, size_t *n, size_t *cap, sqlite3_stmt *st)
{
  char date[32] = "", changed[32] = "";
  const char *add[6][3];
  size_t k = 0;
  const char *by = (const char *)sqlite3_column_text(st, 12);
  const char *status = (const char *)sqlite3_column_text(st, 13);
  const char *reviewer = (const char *)sqlite3_column_text(st, 14);
  if (by && *by && !has_prop(*props, *n, "attr", "creationid"))
    add[k][0] = "attr", add[k][1] = "creationid", add[k++][2] = by;
  if (by && *by && !has_prop(*props, *n, "attr", "changeid"))
    add[k][0] = "attr", add[k][1] = "changeid", add[k++][2] = by;
  if (by && *by && !has_prop(*props, *n, "attr", "changedate")) {
    time_t c = (time_t)sqlite3_column_int64(st, 9);
    struct tm cv;
    if (gmtime_r(&c, &cv) && strftime(changed, sizeof changed, "%Y%m%dT%H%M%SZ", &cv) == 16)
      add[k][0] = "attr", add[k][1] = "changedate", add[k++][2] = changed;
  }
  if (status && !has_prop(*props, *n, "prop", "x-review-status")) {
    add[k][0] = "prop", add[k][1] = "x-review-status", add[k++][2] = status;
    if (reviewer)
      add[k][0] = "prop", add[k][1] = "x-reviewer", add[k++][2] = reviewer;
    time_t t = (time_t)sqlite3_column_int64(st, 15);
    struct tm tmv;
    if (t > 0 && gmtime_r(&t, &tmv) && strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tmv) == 16)
      add[k][0] = "prop", add[k][1] = "x-reviewed", add[k++][2] = date;
  }
  for (size_t i = 0; i < k; i++) {
    if (*n == *cap) {
      size_t c2 = *cap ? 2 * *cap : 16;
      ieum_unit_prop *p = ieum__reallocarray(*props, c2, sizeof *p);
      if (p)
        *props = p;
      char **q = p ? ieum__reallocarray(*strs, 4 * c2, sizeof *q) : NULL;
      if (!q)
        return ieum__error_oom();
      *strs = q;
      *cap = c2;
    }
    char **s4 = *strs + 4 * *n;
    s4[0] = ieum__strdup(add[i][0]);
    s4[1] = ieum__strdup(add[i][1]);
    s4[2] = NULL;
    s4[3] = ieum__strdup(add[i][2]);
    (*props)[*n] = (ieum_unit_prop){ s4[0], s4[1], NULL, s4[3] ? s4[3] : "" };
    (*n)++;
    if (!s4[0] || !s4[1] || !s4[3])
      return ieum__error_oom();
  }
  return IEUM_OK;
}

int ieum_tm__each_document_unit(ieum_tm *tm, int64_t doc_id, ieum_unit_props_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__each_document_unit(tm, doc_id, cb, payload);
  sqlite3_stmt *st = NULL, *ps = NULL;
  ieum_unit_prop *props = NULL;
  char **strs = NULL;  /* copies of the props' strings: a row's text lives only until the next step */
  size_t cap = 0, n = 0;
  int rc = IEUM_OK, oom = 0;
  int src = sqlite3_prepare_v2(tm->db,
                               "SELECT id, src, tgt, src_lang, tgt_lang, score, bead, origin, position, created, note,"
                               /* who made a unit, as exports show it: not the importer of a TMX */
                               " role, CASE (SELECT kind FROM documents WHERE id = doc_id) WHEN 'tmx' THEN NULL"
                               " ELSE created_by END, review_status, reviewer, reviewed"
                               " FROM units WHERE doc_id = ?1 ORDER BY COALESCE(origin, ''), position",
                               -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_prepare_v2(tm->db,
                             "SELECT CASE side WHEN 'src' THEN 'src-' || kind WHEN 'tgt' THEN 'tgt-' || kind"
                             " ELSE kind END, type, lang, value FROM unit_props WHERE unit_id = ?1 ORDER BY seq",
                             -1, &ps, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 1, doc_id);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_unit u = IEUM_UNIT_INIT;
    u.id = sqlite3_column_int64(st, 0);
    u.src = (const char *)sqlite3_column_text(st, 1);
    u.src_len = (size_t)sqlite3_column_bytes(st, 1);
    u.tgt = (const char *)sqlite3_column_text(st, 2);
    u.tgt_len = (size_t)sqlite3_column_bytes(st, 2);
    u.src_lang = (const char *)sqlite3_column_text(st, 3);
    u.tgt_lang = (const char *)sqlite3_column_text(st, 4);
    u.score = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 5);
    u.bead = (const char *)sqlite3_column_text(st, 6);
    u.document = (const char *)sqlite3_column_text(st, 7);
    u.position = sqlite3_column_int64(st, 8);
    u.created = sqlite3_column_int64(st, 9);
    u.note = (const char *)sqlite3_column_text(st, 10);
    u.role = (const char *)sqlite3_column_text(st, 11);
    sqlite3_reset(ps);
    src = sqlite3_bind_int64(ps, 1, u.id);
    while (src == SQLITE_OK && (src = sqlite3_step(ps)) == SQLITE_ROW) {
      if (n == cap) {
        size_t c2 = cap ? 2 * cap : 16;
        ieum_unit_prop *p = ieum__reallocarray(props, c2, sizeof *p);
        if (p)
          props = p;
        char **q = p ? ieum__reallocarray(strs, 4 * c2, sizeof *q) : NULL;
        if (!q) {
          rc = ieum__error_oom();
          goto done;
        }
        strs = q;
        cap = c2;
      }
      for (int k = 0; k < 4; k++) {
        const char *t = (const char *)sqlite3_column_text(ps, k);
        strs[4 * n + k] = t ? ieum__strdup(t) : NULL;
        oom |= t && !strs[4 * n + k];
      }
      props[n] = (ieum_unit_prop){ strs[4 * n], strs[4 * n + 1], strs[4 * n + 2], strs[4 * n + 3] ? strs[4 * n + 3] : "" };
      n++;
      if (oom) {
        rc = ieum__error_oom();
        goto done;
      }
      src = SQLITE_OK;
    }
    if (src != SQLITE_DONE)
      break;
    /* What has a column of its own in this TM but not in the unit: who made it (as the TMX attributes
    ** an export writes for it) and its review (as the props an export writes), where the unit's own
    ** metadata does not say already.  The review app's undo history stays behind. */
    if ((rc = extra_props(&props, &strs, &n, &cap, st)) != 0)
      goto done;
    rc = cb(&u, props, n, payload);
    for (size_t k = 0; k < 4 * n; k++)
      ieum__free(strs[k]);
    n = 0;
    if (rc)
      goto done;
    src = SQLITE_OK;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read a document's units");
done:
  for (size_t k = 0; k < 4 * n; k++)
    ieum__free(strs[k]);
  sqlite3_finalize(st);
  sqlite3_finalize(ps);
  ieum__free(props);
  ieum__free(strs);
  return rc;
}

int ieum_tm__each_lexicon(ieum_tm *tm, ieum_tm__lexicon_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__each_lexicon(tm, cb, payload);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db, "SELECT src, tgt, origin, weight, count FROM lexicon ORDER BY origin, src, tgt",
                               -1, &st, NULL);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    if ((rc = cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 2), sqlite3_column_double(st, 3), sqlite3_column_int64(st, 4),
                 payload)) != 0)
      break;
    src = SQLITE_OK;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the lexicon");
  sqlite3_finalize(st);
  return rc;
}

int ieum_tm__lexicon_add(int *added, ieum_tm *tm, const char *src_text, const char *tgt_text, const char *origin,
                         double weight, int64_t count)
{
  *added = 0;
  if (tm->pg)
    return ieum_tm_pg__lexicon_add(added, tm, src_text, tgt_text, origin, weight, count);
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v2(tm->db,
                               "INSERT INTO lexicon(src, tgt, origin, weight, count) VALUES(?1, ?2, ?3, ?4, ?5)"
                               " ON CONFLICT(src, tgt, origin) DO NOTHING",
                               -1, &st, NULL);
  if (src == SQLITE_OK) {
    sqlite3_bind_text(st, 1, src_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tgt_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, weight);
    sqlite3_bind_int64(st, 5, count);
    src = sqlite3_step(st);
  }
  sqlite3_finalize(st);
  if (src != SQLITE_DONE)
    return ieum_tm__db_error(tm, src, "cannot write the lexicon");
  *added = sqlite3_changes(tm->db) > 0;
  return IEUM_OK;
}

typedef struct {
  ieum_tm *to;
  int64_t added;
} lexicon_sink;

static int copy_lexicon_row(const char *src, const char *tgt, const char *origin, double weight, int64_t count,
                            void *payload)
{
  lexicon_sink *s = payload;
  int added = 0;
  int rc = ieum_tm__lexicon_add(&added, s->to, src, tgt, origin, weight, count);
  s->added += added;
  return rc;
}

/* Copies the lexicon rows `to` lacks, in one transaction of `to`. */
static int copy_lexicon(ieum_tm *to, ieum_tm *from)
{
  lexicon_sink s = { to, 0 };
  int rc = ieum_tm_begin(to);
  if (rc)
    return rc;
  if ((rc = ieum_tm__each_lexicon(from, copy_lexicon_row, &s)) == 0)
    rc = ieum_tm_commit(to);
  if (rc) {
    ieum_tm_rollback(to);
    return rc;
  }
  return IEUM_OK;
}

typedef struct {
  ieum_tm_importer *im;
  int64_t added;
} copy_sink;

static int copy_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  copy_sink *s = payload;
  int added = 0;
  int rc = ieum_tm_importer_add(&added, s->im, u, props, n);
  s->added += added;
  return rc;
}

typedef struct {
  ieum_tm *to;
  int64_t doc_id;
} meta_sink;

static int copy_meta(const char *key, const char *value, void *payload)
{
  meta_sink *m = payload;
  return ieum_tm_set_document_meta(m->to, m->doc_id, key, value);
}

/* Copies one document (in a transaction of `to`); *added gets 1 and *units its units, or 0 when `to` has it. */
static int copy_document(int *added, int64_t *units, ieum_tm *to, ieum_tm *from, const ieum_tm__doc_row *d)
{
  ieum_buf src = IEUM_BUF_INIT, tgt = IEUM_BUF_INIT;
  copy_sink sink = { NULL, 0 };
  int64_t id = 0;
  int rc, has_src, has_tgt;
  *added = 0;
  *units = 0;
  rc = ieum_tm_find_document(&id, to, d->kind, d->hash);
  if (rc != IEUM_ENOTFOUND)
    return rc;
  ieum__error_clear();
  if ((rc = ieum_tm_get_document_path(&src, from, d->id, 0)) != 0 && rc != IEUM_ENOTFOUND)
    goto done;
  has_src = rc == 0;
  if ((rc = ieum_tm_get_document_path(&tgt, from, d->id, 1)) != 0 && rc != IEUM_ENOTFOUND)
    goto done;
  has_tgt = rc == 0;
  ieum__error_clear();
  if ((rc = ieum__buf_puts(&src, "")) != 0 || (rc = ieum__buf_puts(&tgt, "")) != 0 || (rc = ieum_tm_begin(to)) != 0)
    goto done;
  ieum_tm_document doc = { d->kind, has_src ? src.ptr : NULL, has_tgt ? tgt.ptr : NULL, d->src_lang, d->tgt_lang,
                           d->hash };
  rc = ieum_tm_add_document(&id, to, &doc);
  if (rc == IEUM_EEXISTS) { /* another writer copied it meanwhile */
    ieum__error_clear();
    rc = ieum_tm_rollback(to);
    goto done;
  }
  meta_sink m = { to, id };
  if (rc == 0)
    rc = ieum_tm_foreach_document_meta(from, d->id, copy_meta, &m);
  if (rc == 0)
    rc = ieum_tm_importer_new(&sink.im, to, id, 0);
  if (rc == 0)
    rc = ieum_tm__each_document_unit(from, d->id, copy_unit, &sink);
  ieum_tm_importer_free(sink.im);
  if (rc == 0)
    rc = ieum_tm_commit(to);
  if (rc) {
    ieum_tm_rollback(to);
    goto done;
  }
  *added = 1;
  *units = sink.added;
done:
  ieum_buf_dispose(&src);
  ieum_buf_dispose(&tgt);
  return rc;
}

int ieum_tm_copy(ieum_tm_merge_stats *out, ieum_tm *to, ieum_tm *from)
{
  ieum_tm__doc_row *rows = NULL;
  size_t n = 0;
  int rc;
  if (out)
    memset(out, 0, sizeof *out);
  if (to->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: copy needs no transaction open", to->path);
  if (!to->writable)
    return ieum__error_set(IEUM_EINVAL, "%s: the TM is open read-only", to->path);
  if ((rc = ieum_tm__document_list(&rows, &n, from)) != 0)
    return rc;
  for (size_t i = 0; i < n; i++) {
    int added = 0;
    int64_t units = 0;
    if ((rc = copy_document(&added, &units, to, from, &rows[i])) != 0)
      break;
    if (out) {
      out->documents += added;
      out->units += units;
    }
  }
  ieum_tm__doc_rows_free(rows, n);
  if (rc == 0)
    rc = copy_lexicon(to, from);
  return rc;
}
