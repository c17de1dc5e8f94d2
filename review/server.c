/*
** review/server.c: the routes of the review app (server.h, docs/review-api.md).
**
** GET / serves the page with the server's token written into it (the page
** sends it back with every API call), GET /app.js and /app.css its code and
** style; /api/info, /api/documents (?q= filters), /api/documents/ID (the
** rows), POST /api/documents/ID/ops (one operation: body {"op": ..., "row":
** "u12" | "s3", ...}), /undo and /redo, each answering the document as it is
** afterwards, so the page redraws from what the TM holds.  Library errors
** map to HTTP statuses: IEUM_EINVAL 400, IEUM_ENOTFOUND 404 (a row deleted
** meanwhile), IEUM_EEXISTS 409 (changed meanwhile), a locked TM 503, others
** 500; every error body is {"error": {"status", "message"}}.
** Cost: each request reads the document once or twice (tm/review.c).
** Not here: the HTTP server itself (util/http.c), the operations (tm/review.c).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static json_object *str_or_null(const char *s)
{
  return s ? json_object_new_string(s) : NULL;
}

static json_object *strings(char *const *v, size_t n)
{
  json_object *a = json_object_new_array();
  for (size_t i = 0; a && i < n; i++)
    json_object_array_add(a, json_object_new_string(v[i]));
  return a;
}

static int row_doubtful(const ieum_review_row *r, double threshold)
{
  if (r->kind == IEUM_REVIEW_ROW_UNALIGNED)
    return !r->no_counterpart;
  return r->status == IEUM_REVIEW_NONE && r->score >= 0 && r->score < threshold;
}

int ieum_review__doc_json(json_object **out, ieum_tm *tm, int64_t doc_id, double threshold)
{
  ieum_review_doc *d = NULL;
  *out = NULL;
  int rc = ieum_review_doc_load(&d, tm, doc_id);
  if (rc)
    return rc;
  json_object *top = json_object_new_object(), *doc = json_object_new_object(), *rows = json_object_new_array();
  if (!top || !doc || !rows) {
    json_object_put(top);
    json_object_put(doc);
    json_object_put(rows);
    ieum_review_doc_free(d);
    return IEUM_ENOMEM;
  }
  size_t doubtful = 0, reviewed = 0, units = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    const ieum_review_row *r = &d->rows[i];
    json_object *o = json_object_new_object();
    char key[32];
    if (!o)
      break;
    snprintf(key, sizeof key, "%c%lld", r->kind == IEUM_REVIEW_ROW_UNIT ? 'u' : 's', (long long)r->id);
    int dbt = row_doubtful(r, threshold);
    doubtful += dbt;
    units += r->kind == IEUM_REVIEW_ROW_UNIT;
    reviewed += r->kind == IEUM_REVIEW_ROW_UNIT && r->status != IEUM_REVIEW_NONE;
    json_object_object_add(o, "key", json_object_new_string(key));
    json_object_object_add(o, "kind", json_object_new_string(r->kind == IEUM_REVIEW_ROW_UNIT ? "unit" : "unaligned"));
    json_object_object_add(o, "id", json_object_new_int64(r->id));
    json_object_object_add(o, "position", json_object_new_int64(r->position));
    json_object_object_add(o, "src", strings(r->seg[0], r->n_seg[0]));
    json_object_object_add(o, "tgt", strings(r->seg[1], r->n_seg[1]));
    json_object_object_add(o, "score", r->score >= 0 ? json_object_new_double(r->score) : NULL);
    json_object_object_add(o, "bead", json_object_new_string(r->bead));
    json_object_object_add(o, "role", str_or_null(r->role));
    json_object_object_add(o, "status", str_or_null(ieum_review_status_name(r->status)));
    json_object_object_add(o, "reviewer", str_or_null(r->reviewer));
    json_object_object_add(o, "reviewed", r->reviewed ? json_object_new_int64(r->reviewed) : NULL);
    json_object_object_add(o, "no_counterpart", json_object_new_boolean(r->no_counterpart));
    json_object_object_add(o, "doubtful", json_object_new_boolean(dbt));
    json_object_array_add(rows, o);
  }
  json_object_object_add(doc, "id", json_object_new_int64(d->doc_id));
  json_object_object_add(doc, "src_path", str_or_null(d->src_path));
  json_object_object_add(doc, "tgt_path", str_or_null(d->tgt_path));
  json_object_object_add(doc, "src_lang", str_or_null(d->src_lang));
  json_object_object_add(doc, "tgt_lang", str_or_null(d->tgt_lang));
  json_object_object_add(doc, "units", json_object_new_int64((int64_t)units));
  json_object_object_add(doc, "doubtful", json_object_new_int64((int64_t)doubtful));
  json_object_object_add(doc, "reviewed", json_object_new_int64((int64_t)reviewed));
  json_object_object_add(top, "document", doc);
  json_object_object_add(top, "rows", rows);
  json_object_object_add(top, "can_undo", json_object_new_boolean(d->can_undo));
  json_object_object_add(top, "can_redo", json_object_new_boolean(d->can_redo));
  json_object_object_add(top, "threshold", json_object_new_double(threshold));
  ieum_review_doc_free(d);
  *out = top;
  return IEUM_OK;
}

/* res := the library's last error with the status its code maps to. */
static void lib_error(ieum_http_response *res, int rc)
{
  const ieum_error *e = ieum_error_last();
  const char *msg = e && e->message && *e->message ? e->message : ieum_strerror(rc);
  int status = 500;
  switch (rc) {
  case IEUM_EINVAL: status = 400; break;
  case IEUM_ENOTFOUND: status = 404; break;
  case IEUM_EEXISTS: status = 409; break;
  case IEUM_EDB: status = strstr(msg, "locked") ? 503 : 500; break;
  default: break;
  }
  ieum_http__error(res, status, "%s", msg);
}

static void answer_doc(ieum_http_response *res, ieum_review_server *s, int64_t doc_id, int64_t log_id)
{
  json_object *o = NULL;
  int rc = ieum_review__doc_json(&o, s->tm, doc_id, s->threshold);
  if (rc) {
    lib_error(res, rc);
    return;
  }
  if (log_id)
    json_object_object_add(o, "log_id", json_object_new_int64(log_id));
  ieum_http__json(res, 200, o);
}

static int list_cb(const ieum_review_summary *m, void *payload)
{
  json_object *o = json_object_new_object();
  if (!o)
    return IEUM_ENOMEM;
  json_object_object_add(o, "id", json_object_new_int64(m->doc_id));
  json_object_object_add(o, "src_path", str_or_null(m->src_path));
  json_object_object_add(o, "tgt_path", str_or_null(m->tgt_path));
  json_object_object_add(o, "src_lang", str_or_null(m->src_lang));
  json_object_object_add(o, "tgt_lang", str_or_null(m->tgt_lang));
  json_object_object_add(o, "added", json_object_new_int64(m->added));
  json_object_object_add(o, "units", json_object_new_int64(m->units));
  json_object_object_add(o, "doubtful", json_object_new_int64(m->doubtful));
  json_object_object_add(o, "reviewed", json_object_new_int64(m->reviewed));
  json_object_object_add(o, "unaligned", json_object_new_int64(m->unaligned));
  json_object_object_add(o, "min_score", m->min_score >= 0 ? json_object_new_double(m->min_score) : NULL);
  json_object_array_add(payload, o);
  return 0;
}

static void documents(ieum_http_response *res, ieum_review_server *s, const ieum_http_request *req)
{
  json_object *list = json_object_new_array(), *top = json_object_new_object();
  if (!list || !top) {
    json_object_put(list);
    json_object_put(top);
    ieum_http__error(res, 500, "out of memory");
    return;
  }
  int rc = ieum_review_documents(s->tm, s->threshold, ieum_http__query(req, "q"), list_cb, list);
  if (rc) {
    json_object_put(list);
    json_object_put(top);
    lib_error(res, rc);
    return;
  }
  json_object_object_add(top, "documents", list);
  json_object_object_add(top, "threshold", json_object_new_double(s->threshold));
  ieum_http__json(res, 200, top);
}

/* Reads member `key` of `o` as an integer into *out; 0 when absent, -1 (with res set) when not an integer. */
static int get_int(int64_t *out, json_object *o, const char *key, ieum_http_response *res)
{
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return 0;
  if (!json_object_is_type(v, json_type_int)) {
    ieum_http__error(res, 400, "\"%s\": an integer is expected", key);
    return -1;
  }
  *out = json_object_get_int64(v);
  return 0;
}

/* Parses the body of POST .../ops into *e (texts into the caller's array, borrowed from `body`). */
static int parse_op(ieum_review_edit *e, const char **texts, size_t max_texts, json_object *body,
                    ieum_http_response *res)
{
  json_object *v;
  const char *name = json_object_object_get_ex(body, "op", &v) && json_object_is_type(v, json_type_string)
                       ? json_object_get_string(v) : NULL;
  if (!name) {
    ieum_http__error(res, 400, "\"op\": missing (confirm, merge, split, no-counterpart, move, edit, delete)");
    return -1;
  }
  if (ieum_review_op_from_name(&e->op, name) != 0) {
    ieum_http__error(res, 400, "\"op\": %s", ieum_error_last()->message);
    return -1;
  }
  const char *row = json_object_object_get_ex(body, "row", &v) && json_object_is_type(v, json_type_string)
                      ? json_object_get_string(v) : NULL;
  char *end = NULL;
  errno = 0;
  long long id = row && (row[0] == 'u' || row[0] == 's') && row[1] >= '0' && row[1] <= '9' ? strtoll(row + 1, &end, 10) : 0;
  if (!row || !end || *end || errno || id <= 0) {
    ieum_http__error(res, 400, "\"row\": a row key such as \"u12\" (a unit) or \"s3\" (an unaligned sentence) is expected");
    return -1;
  }
  e->row_kind = row[0] == 'u' ? IEUM_REVIEW_ROW_UNIT : IEUM_REVIEW_ROW_UNALIGNED;
  e->row_id = id;
  if (json_object_object_get_ex(body, "side", &v) && v) {
    const char *side = json_object_get_string(v);
    if (!json_object_is_type(v, json_type_string) || (strcmp(side, "src") && strcmp(side, "tgt"))) {
      ieum_http__error(res, 400, "\"side\": \"src\" or \"tgt\" is expected");
      return -1;
    }
    e->side = !strcmp(side, "tgt");
  }
  int64_t dir = 0, seg = 0, a = 0, b = 0;
  if (get_int(&dir, body, "direction", res) || get_int(&seg, body, "segment", res) ||
      get_int(&a, body, "src_at", res) || get_int(&b, body, "tgt_at", res))
    return -1;
  if ((e->op == IEUM_REVIEW_MERGE || e->op == IEUM_REVIEW_MOVE) && dir != -1 && dir != 1) {
    ieum_http__error(res, 400, "\"direction\": -1 (the row above) or 1 (the row below) is expected");
    return -1;
  }
  if (seg < 0 || a < 0 || b < 0) {
    ieum_http__error(res, 400, "\"segment\", \"src_at\", \"tgt_at\": not negative");
    return -1;
  }
  e->direction = (int)dir;
  e->segment = (size_t)seg;
  e->src_at = (size_t)a;
  e->tgt_at = (size_t)b;
  if (e->op == IEUM_REVIEW_EDIT) {
    if (!json_object_object_get_ex(body, "texts", &v) || !json_object_is_type(v, json_type_array) ||
        json_object_array_length(v) == 0 || json_object_array_length(v) > max_texts) {
      ieum_http__error(res, 400, "\"texts\": an array of 1 to %zu sentences is expected", max_texts);
      return -1;
    }
    for (size_t i = 0; i < json_object_array_length(v); i++) {
      json_object *t = json_object_array_get_idx(v, i);
      if (!json_object_is_type(t, json_type_string)) {
        ieum_http__error(res, 400, "\"texts\": item %zu is not a string", i + 1);
        return -1;
      }
      texts[i] = json_object_get_string(t);
    }
    e->texts = texts;
    e->n_texts = json_object_array_length(v);
  }
  return 0;
}

/* Longest sentence list an edit may send (tm/review.c refuses more too). */
#define SERVER_MAX_TEXTS 64

static void doc_route(ieum_http_response *res, ieum_review_server *s, const ieum_http_request *req, const char *rest)
{
  char *end = NULL;
  errno = 0;
  long long id = *rest >= '0' && *rest <= '9' ? strtoll(rest, &end, 10) : 0;
  if (!end || errno || id <= 0 || (*end && *end != '/')) {
    ieum_http__error(res, 404, "no such API path: %s", req->path);
    return;
  }
  const char *action = *end ? end + 1 : "";
  int post = !strcmp(req->method, "POST");
  if (!*action) {
    if (strcmp(req->method, "GET") != 0) {
      ieum_http__error(res, 405, "%s: use GET", req->path);
      return;
    }
    answer_doc(res, s, id, 0);
    return;
  }
  if (strcmp(action, "ops") && strcmp(action, "undo") && strcmp(action, "redo")) {
    ieum_http__error(res, 404, "no such API path: %s", req->path);
    return;
  }
  if (!post) {
    ieum_http__error(res, 405, "%s: use POST", req->path);
    return;
  }
  int rc;
  int64_t log_id = 0;
  if (!strcmp(action, "ops")) {
    json_object *body = NULL;
    const char *texts[SERVER_MAX_TEXTS];
    ieum_review_edit e = IEUM_REVIEW_EDIT_INIT;
    if (ieum_http__body_object(&body, res, req) != 0)
      return;
    if (parse_op(&e, texts, SERVER_MAX_TEXTS, body, res) != 0) {
      json_object_put(body);
      return;
    }
    e.doc_id = id;
    e.reviewer = s->reviewer;
    rc = ieum_review_apply(&log_id, s->tm, &e);
    json_object_put(body);
  } else {
    rc = !strcmp(action, "undo") ? ieum_review_undo(s->tm, id) : ieum_review_redo(s->tm, id);
  }
  if (rc) {
    lib_error(res, rc);
    return;
  }
  answer_doc(res, s, id, log_id);
}

/* The page, its token written in place of every "%TOKEN%". */
static void page(ieum_http_response *res, ieum_review_server *s, const ieum_review_asset *a)
{
  static const char mark[] = "%TOKEN%";
  size_t tl = strlen(s->token), n = 0;
  const char *p = (const char *)a->data, *end = p + a->len;
  for (const char *q = p; (q = memmem(q, (size_t)(end - q), mark, sizeof mark - 1)) != NULL; q += sizeof mark - 1)
    n++;
  size_t len = a->len + n * tl - n * (sizeof mark - 1);
  char *out = malloc(len + 1), *w = out;
  if (!out) {
    ieum_http__error(res, 500, "out of memory");
    return;
  }
  while (p < end) {
    const char *q = memmem(p, (size_t)(end - p), mark, sizeof mark - 1);
    size_t k = q ? (size_t)(q - p) : (size_t)(end - p);
    memcpy(w, p, k);
    w += k;
    p += k;
    if (q) {
      memcpy(w, s->token, tl);
      w += tl;
      p += sizeof mark - 1;
    }
  }
  ieum_http__bytes(res, 200, a->content_type, out, len);
  free(out);
}

void ieum_review__handle(ieum_http_response *res, const ieum_http_request *req, void *payload)
{
  ieum_review_server *s = payload;
  const char *path = req->path;
  int get = !strcmp(req->method, "GET");
  if (!strncmp(path, "/api/", 5)) {
    path += 5;
    if (!strcmp(path, "info")) {
      if (!get) {
        ieum_http__error(res, 405, "%s: use GET", req->path);
        return;
      }
      json_object *o = json_object_new_object();
      json_object_object_add(o, "tm", str_or_null(s->tm_path));
      json_object_object_add(o, "reviewer", str_or_null(s->reviewer));
      json_object_object_add(o, "threshold", json_object_new_double(s->threshold));
      json_object_object_add(o, "version", json_object_new_string(ieum_version()));
      ieum_http__json(res, 200, o);
      return;
    }
    if (!strcmp(path, "documents")) {
      if (!get) {
        ieum_http__error(res, 405, "%s: use GET", req->path);
        return;
      }
      documents(res, s, req);
      return;
    }
    if (!strncmp(path, "documents/", 10)) {
      doc_route(res, s, req, path + 10);
      return;
    }
    ieum_http__error(res, 404, "no such API path: %s", req->path);
    return;
  }
  const ieum_review_asset *a = ieum_review__asset(!strcmp(path, "/") ? "index.html" : path + 1);
  if (!a) {
    ieum_http__error(res, 404, "no such page: %s", req->path);
    return;
  }
  if (!get) {
    ieum_http__error(res, 405, "%s: use GET", req->path);
    return;
  }
  if (!strcmp(a->name, "index.html"))
    page(res, s, a);
  else
    ieum_http__bytes(res, 200, a->content_type, (const char *)a->data, a->len);
}
