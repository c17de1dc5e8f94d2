/*
** server/api.c: the routes of `ieum serve` (docs/server.md describes them).
**
**   GET  /api/search?q=TEXT[&min=70][&n=10][&src_lang=ko][&tgt_lang=en]
**                                   fuzzy matches with CAT match percentages
**   GET  /api/concordance?q=WORD[&q=WORD...][&n=50]   units holding every word
**   POST /api/units                 {"units": [{"source", "target", "src_lang", "tgt_lang", ...}]}
**   POST /api/import[?name=F.tmx][&src_lang=][&tgt_lang=][&tags=keep]   a TMX file, streamed
**   GET  /api/export[?src_lang=ko&tgt_lang=en][&format=tmx|tsv|jsonl|xliff][&roles=body,headline]
**   GET  /api/stats                 counts, language pairs, beads, scores
**   GET  /tmserver/SRC/TGT/unit/TEXT   translate-toolkit tmserver / amaGama: a JSON list of
**                                   {"source", "target", "context", "quality", "rank"}
** Every answer is JSON (export: the file), errors {"error": {"status", "message"}}.
** Each route is the library call the CLI makes for the same job: search and
** concordance as `ieum tm search|concordance`, units through
** ieum_tm_add_unit() in one transaction, import as `ieum tm import` (one
** transaction: a server killed mid-import leaves no unit of it), export
** through include/ieum/export.h into an unlinked temporary file sent from
** its descriptor.  Reads use the thread's own handle, writes the shared
** writer (serve.c).  Cost: what the library call costs; export also its file.
** Not here: authorization (serve.c), HTTP (util/http.c).
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server_int.h"

/* At most this many results a request, whatever it asks. */
#define API_MAX_RESULTS 1000
/* Concordance results when n is not given. */
#define API_CONCORDANCE_DEFAULT 50
/* Units in one POST /api/units. */
#define API_MAX_UNITS 1000
/* Words in one concordance. */
#define API_MAX_WORDS 16
/* With a language filter, search asks the library for this many times n candidates. */
#define API_LANG_OVERFETCH 8
/* tmserver defaults (translate-toolkit's tmdb: max_candidates 3, min_similarity 75). */
#define TMSERVER_MAX 3
#define TMSERVER_MIN 75

/* An error of the library as an HTTP answer: the message it recorded, the status its code means. */
static void lib_error(ieum_http_response *res, int rc, const char *from, const char *to)
{
  const ieum_error *e = ieum_error_last();
  const char *msg = e && e->message ? e->message : ieum_strerror(rc);
  char fixed[512];
  /* An upload is read as /proc/self/fd/N: say the name the client gave instead. */
  const char *at = from ? strstr(msg, from) : NULL;
  if (at) {
    snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)(at - msg), msg, to, at + strlen(from));
    msg = fixed;
  }
  int status = rc == IEUM_EINVAL || rc == IEUM_EENCODING || rc == IEUM_EPARSE ? 400
             : rc == IEUM_ELIMIT ? 413 : rc == IEUM_ENOTFOUND ? 404 : rc == IEUM_EEXISTS ? 409
             : rc == IEUM_ENOMEM ? 503 : rc == IEUM_ENOTSUP ? 501 : 500;
  ieum_http__error(res, status, "%s", msg);
}

/* Query argument `name` as an integer in [lo,hi], or `def` when absent; -1 (res set to 400) when bad. */
static int int_arg(long *out, ieum_http_response *res, const ieum_http_request *req, const char *name, long lo,
                   long hi, long def)
{
  const char *v = ieum_http__query(req, name);
  *out = def;
  if (!v)
    return 0;
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (!*v || *end || errno || n < lo || n > hi) {
    ieum_http__error(res, 400, "%s: a whole number %ld-%ld, not '%s'", name, lo, hi, v);
    return -1;
  }
  *out = n;
  return 0;
}

/* A language tag argument checked and canonicalized into buf; NULL when absent; -1 (400) when bad. */
static int lang_arg(const char **out, char buf[IEUM_LANG_MAX], ieum_http_response *res, const char *name,
                    const char *tag)
{
  *out = NULL;
  if (!tag || !*tag)
    return 0;
  if (ieum_lang_canonicalize(buf, IEUM_LANG_MAX, tag) != 0) {
    ieum_http__error(res, 400, "%s: '%s' is not a language tag", name, tag);
    return -1;
  }
  *out = buf;
  return 0;
}

static json_object *str_or_null(const char *s, size_t len)
{
  return s ? json_object_new_string_len(s, (int)len) : NULL;
}

static json_object *unit_json(const ieum_unit *u)
{
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  json_object_object_add(o, "source", str_or_null(u->src, u->src_len));
  json_object_object_add(o, "target", str_or_null(u->tgt, u->tgt_len));
  json_object_object_add(o, "src_lang", u->src_lang ? json_object_new_string(u->src_lang) : NULL);
  json_object_object_add(o, "tgt_lang", u->tgt_lang ? json_object_new_string(u->tgt_lang) : NULL);
  json_object_object_add(o, "document", u->document ? json_object_new_string(u->document) : NULL);
  json_object_object_add(o, "position", u->position >= 0 ? json_object_new_int64(u->position) : NULL);
  json_object_object_add(o, "id", json_object_new_int64(u->id));
  json_object_object_add(o, "score", u->score >= 0 ? json_object_new_double(u->score) : NULL);
  json_object_object_add(o, "bead", u->bead ? json_object_new_string(u->bead) : NULL);
  json_object_object_add(o, "role", u->role ? json_object_new_string(u->role) : NULL);
  json_object_object_add(o, "created", json_object_new_int64(u->created));
  return o;
}

/* ---- search and tmserver ---------------------------------------------------- */

typedef struct {
  json_object *list;
  const char *src_lang, *tgt_lang;  /* filters, NULL = any */
  size_t want, got;
  int tmserver;                     /* the tmserver shape */
} search_sink;

/* Returned by a callback that has enough: not an error. */
#define API_ENOUGH 1

static int take_match(const ieum_tm_match *m, void *payload)
{
  search_sink *s = payload;
  const ieum_unit *u = &m->unit;
  if ((s->src_lang && (!u->src_lang || !ieum_lang_matches(s->src_lang, u->src_lang))) ||
      (s->tgt_lang && (!u->tgt_lang || !ieum_lang_matches(s->tgt_lang, u->tgt_lang))))
    return 0;
  json_object *o;
  if (s->tmserver) {
    o = json_object_new_object();
    if (o) {
      json_object_object_add(o, "source", str_or_null(u->src, u->src_len));
      json_object_object_add(o, "target", str_or_null(u->tgt, u->tgt_len));
      json_object_object_add(o, "context", u->document ? json_object_new_string(u->document) : NULL);
      json_object_object_add(o, "quality", json_object_new_int(m->score));
      json_object_object_add(o, "rank", json_object_new_double(m->score / 100.0));
    }
  } else {
    o = unit_json(u);
    if (o)
      json_object_object_add(o, "match", json_object_new_int(m->score));
  }
  if (!o || json_object_array_add(s->list, o) != 0) {
    json_object_put(o);
    return IEUM_ENOMEM;
  }
  return ++s->got >= s->want ? API_ENOUGH : 0;
}

/* Runs a search into sink->list; returns 0 or answers the error in res and returns -1. */
static int run_search(ieum_http_response *res, ieum_serve *srv, const char *text, size_t len, int min, size_t n,
                      search_sink *sink)
{
  ieum_tm *tm;
  int rc = ieum_serve__reader(&tm, srv);
  if (rc) {
    lib_error(res, rc, NULL, NULL);
    return -1;
  }
  ieum_tm_search_options so = IEUM_TM_SEARCH_OPTIONS_INIT;
  so.min_score = min;
  so.max_results = sink->src_lang || sink->tgt_lang ? n * API_LANG_OVERFETCH : n;
  sink->want = n;
  rc = ieum_tm_search(tm, text, len, &so, take_match, sink);
  if (rc == IEUM_ENOMEM && !ieum_error_last()->message) {
    ieum_http__error(res, 503, "out of memory");
    return -1;
  }
  if (rc != 0 && rc != API_ENOUGH) {
    lib_error(res, rc, NULL, NULL);
    return -1;
  }
  return 0;
}

static void api_search(ieum_http_response *res, const ieum_http_request *req, ieum_serve *srv)
{
  const char *q = ieum_http__query(req, "q");
  char sl[IEUM_LANG_MAX], tl[IEUM_LANG_MAX];
  long min, n;
  search_sink sink = { 0 };
  if (!q || !*q) {
    ieum_http__error(res, 400, "search needs q=TEXT");
    return;
  }
  if (int_arg(&min, res, req, "min", 0, 100, 70) || int_arg(&n, res, req, "n", 1, API_MAX_RESULTS, 10) ||
      lang_arg(&sink.src_lang, sl, res, "src_lang", ieum_http__query(req, "src_lang")) ||
      lang_arg(&sink.tgt_lang, tl, res, "tgt_lang", ieum_http__query(req, "tgt_lang")))
    return;
  if (!(sink.list = json_object_new_array())) {
    ieum_http__error(res, 503, "out of memory");
    return;
  }
  if (run_search(res, srv, q, strlen(q), (int)min, (size_t)n, &sink) != 0) {
    json_object_put(sink.list);
    return;
  }
  json_object *top = json_object_new_object();
  if (!top) {
    json_object_put(sink.list);
    ieum_http__error(res, 503, "out of memory");
    return;
  }
  json_object_object_add(top, "query", json_object_new_string(q));
  json_object_object_add(top, "matches", sink.list);
  ieum_http__json(res, 200, top);
}

/* GET /tmserver/SRC/TGT/unit/TEXT (the path as libmicrohttpd decoded it). */
static void api_tmserver(ieum_http_response *res, const ieum_http_request *req, ieum_serve *srv)
{
  const char *p = req->path + strlen("/tmserver/");
  const char *slash1 = strchr(p, '/'), *slash2 = slash1 ? strchr(slash1 + 1, '/') : NULL;
  char src[IEUM_LANG_MAX + 1], tgt[IEUM_LANG_MAX + 1], sl[IEUM_LANG_MAX], tl[IEUM_LANG_MAX];
  long min, n;
  search_sink sink = { 0 };
  if (!slash1 || !slash2 || strncmp(slash2, "/unit/", 6) || slash1 - p > IEUM_LANG_MAX ||
      slash2 - slash1 - 1 > IEUM_LANG_MAX || !slash2[6]) {
    ieum_http__error(res, 404, "expected /tmserver/SOURCE_LANG/TARGET_LANG/unit/TEXT");
    return;
  }
  snprintf(src, sizeof src, "%.*s", (int)(slash1 - p), p);
  snprintf(tgt, sizeof tgt, "%.*s", (int)(slash2 - slash1 - 1), slash1 + 1);
  /* tmserver clients send language codes with underscores (pt_BR); BCP 47 has hyphens. */
  for (char *c = src; *c; c++)
    *c = *c == '_' ? '-' : *c;
  for (char *c = tgt; *c; c++)
    *c = *c == '_' ? '-' : *c;
  if (lang_arg(&sink.src_lang, sl, res, "source language", src) ||
      lang_arg(&sink.tgt_lang, tl, res, "target language", tgt) ||
      int_arg(&min, res, req, "min_similarity", 0, 100, TMSERVER_MIN) ||
      int_arg(&n, res, req, "max_candidates", 1, API_MAX_RESULTS, TMSERVER_MAX))
    return;
  const char *text = slash2 + 6;
  sink.tmserver = 1;
  if (!(sink.list = json_object_new_array())) {
    ieum_http__error(res, 503, "out of memory");
    return;
  }
  if (run_search(res, srv, text, strlen(text), (int)min, (size_t)n, &sink) != 0) {
    json_object_put(sink.list);
    return;
  }
  ieum_http__json(res, 200, sink.list);
}

/* ---- concordance ------------------------------------------------------------ */

static int take_unit(const ieum_unit *u, void *payload)
{
  json_object *o = unit_json(u);
  if (!o || json_object_array_add(payload, o) != 0) {
    json_object_put(o);
    return IEUM_ENOMEM;
  }
  return 0;
}

static void api_concordance(ieum_http_response *res, const ieum_http_request *req, ieum_serve *srv)
{
  const char *words[API_MAX_WORDS + 1];
  long n;
  size_t nw = ieum_http__query_all(req, "q", words, API_MAX_WORDS + 1);
  if (nw == 0) {
    ieum_http__error(res, 400, "concordance needs q=WORD (once per word)");
    return;
  }
  if (nw > API_MAX_WORDS) {
    ieum_http__error(res, 400, "concordance takes at most %d words", API_MAX_WORDS);
    return;
  }
  if (int_arg(&n, res, req, "n", 1, API_MAX_RESULTS, API_CONCORDANCE_DEFAULT))
    return;
  ieum_tm *tm;
  int rc = ieum_serve__reader(&tm, srv);
  json_object *list = rc ? NULL : json_object_new_array();
  if (!rc && !list)
    rc = IEUM_ENOMEM;
  if (!rc)
    rc = ieum_tm_concordance(tm, words, nw, (size_t)n, take_unit, list);
  if (rc) {
    json_object_put(list);
    lib_error(res, rc, NULL, NULL);
    return;
  }
  json_object *top = json_object_new_object();
  json_object_object_add(top, "units", list);
  ieum_http__json(res, 200, top);
}

/* ---- stats ------------------------------------------------------------------ */

static void api_stats(ieum_http_response *res, ieum_serve *srv)
{
  static const char *const beads[] = { "1-1", "1-0", "0-1", "2-1", "1-2", "2-2", "3-1", "1-3" };
  ieum_tm *tm;
  ieum_tm_stats st;
  int rc = ieum_serve__reader(&tm, srv);
  if (!rc)
    rc = ieum_tm_stats_get(&st, tm);
  if (rc) {
    lib_error(res, rc, NULL, NULL);
    return;
  }
  json_object *top = json_object_new_object(), *langs = json_object_new_array(), *bo = json_object_new_object(),
              *scores = json_object_new_array();
  json_object_object_add(top, "documents", json_object_new_int64(st.documents));
  json_object_object_add(top, "units", json_object_new_int64(st.units));
  json_object_object_add(top, "unscored", json_object_new_int64(st.unscored));
  for (size_t i = 0; i < st.n_langs; i++) {
    json_object *l = json_object_new_object();
    json_object_object_add(l, "src_lang", json_object_new_string(st.langs[i].src));
    json_object_object_add(l, "tgt_lang", json_object_new_string(st.langs[i].tgt));
    json_object_object_add(l, "units", json_object_new_int64(st.langs[i].units));
    json_object_array_add(langs, l);
  }
  json_object_object_add(top, "languages", langs);
  for (size_t i = 0; i < 8; i++)
    json_object_object_add(bo, beads[i], json_object_new_int64(i < 6 ? st.beads[i] : st.beads3[i - 6]));
  json_object_object_add(top, "beads", bo);
  for (size_t i = 0; i < 10; i++)
    json_object_array_add(scores, json_object_new_int64(st.score_hist[i]));
  json_object_object_add(top, "scores", scores);
  ieum_http__json(res, 200, top);
}

/* ---- POST /api/units -------------------------------------------------------- */

/* Member `key` of `o` as a string, NULL when absent or null; -1 (400) when another type. */
static int member_str(const char **out, size_t *len, ieum_http_response *res, json_object *o, const char *key,
                      size_t i)
{
  json_object *v = NULL;
  *out = NULL;
  if (len)
    *len = 0;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return 0;
  if (!json_object_is_type(v, json_type_string)) {
    ieum_http__error(res, 400, "units[%zu].%s: a string is expected", i, key);
    return -1;
  }
  *out = json_object_get_string(v);
  if (len)
    *len = (size_t)json_object_get_string_len(v);
  return 0;
}

typedef struct {
  const ieum_unit *u;
  int found;
} dup_probe;

/* One language however spelt: "ko" and "ko-KR" (the form the TM stores), not "ko-KP". */
static int same_lang(const char *a, const char *b)
{
  return ieum_lang_matches(a, b) && ieum_lang_matches(b, a);
}

static int probe_dup(const ieum_tm_match *m, void *payload)
{
  dup_probe *d = payload;
  const ieum_unit *a = d->u, *b = &m->unit;
  if (m->score == 100 && a->tgt_len == b->tgt_len && !memcmp(a->tgt, b->tgt, a->tgt_len) && b->src_lang &&
      b->tgt_lang && same_lang(a->src_lang, b->src_lang) && same_lang(a->tgt_lang, b->tgt_lang)) {
    d->found = 1;
    return API_ENOUGH;
  }
  return 0;
}

/* The document of the units `user` adds: one per user, made on first use (in the open transaction). */
static int user_document(int64_t *out, ieum_tm *tm, const char *user, const char *sl, const char *tl)
{
  char name[256], hash[33];
  snprintf(name, sizeof name, "ieum serve: %s", user);
  ieum_tm_hash(hash, name, strlen(name), NULL, 0);
  int rc = ieum_tm_find_document(out, tm, "tmx", hash);
  if (rc != IEUM_ENOTFOUND)
    return rc;
  ieum_error_clear();
  ieum_tm_document d = { .kind = "tmx", .src_path = name, .src_lang = sl, .tgt_lang = tl, .hash = hash };
  rc = ieum_tm_add_document(out, tm, &d);
  return rc == IEUM_EEXISTS ? 0 : rc;
}

static void api_units(ieum_http_response *res, const ieum_http_request *req, ieum_serve *srv)
{
  const ieum_serve_token *who = req->principal;
  json_object *body = NULL, *list = NULL;
  if (ieum_http__body_object(&body, res, req) != 0)
    return;
  if (json_object_object_get_ex(body, "units", &list)) {
    if (!json_object_is_type(list, json_type_array)) {
      ieum_http__error(res, 400, "units: an array is expected");
      goto done;
    }
  } else {
    list = NULL; /* one unit: the body itself */
  }
  size_t n = list ? json_object_array_length(list) : 1;
  if (n == 0 || n > API_MAX_UNITS) {
    ieum_http__error(res, 400, "units: 1 to %d units a request", API_MAX_UNITS);
    goto done;
  }
  /* Check everything before the transaction: a bad unit adds nothing. */
  ieum_unit *units = calloc(n, sizeof *units);
  char (*langs)[2][IEUM_LANG_MAX] = calloc(n, sizeof *langs);
  if (!units || !langs) {
    free(units);
    free(langs);
    ieum_http__error(res, 503, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    json_object *o = list ? json_object_array_get_idx(list, i) : body, *v = NULL;
    ieum_unit *u = &units[i];
    const char *sl, *tl;
    *u = (ieum_unit)IEUM_UNIT_INIT;
    if (!json_object_is_type(o, json_type_object)) {
      ieum_http__error(res, 400, "units[%zu]: an object is expected", i);
      goto bad;
    }
    if (member_str(&u->src, &u->src_len, res, o, "source", i) || member_str(&u->tgt, &u->tgt_len, res, o, "target", i) ||
        member_str(&sl, NULL, res, o, "src_lang", i) || member_str(&tl, NULL, res, o, "tgt_lang", i) ||
        member_str(&u->document, NULL, res, o, "document", i) || member_str(&u->note, NULL, res, o, "note", i) ||
        member_str(&u->role, NULL, res, o, "role", i))
      goto bad;
    if (!u->src || !u->tgt || !u->src_len || !u->tgt_len) {
      ieum_http__error(res, 400, "units[%zu]: source and target must both be given and not empty", i);
      goto bad;
    }
    if (!sl || !tl || ieum_lang_canonicalize(langs[i][0], IEUM_LANG_MAX, sl) != 0 ||
        ieum_lang_canonicalize(langs[i][1], IEUM_LANG_MAX, tl) != 0) {
      ieum_http__error(res, 400, "units[%zu]: src_lang and tgt_lang must be language tags", i);
      goto bad;
    }
    u->src_lang = langs[i][0];
    u->tgt_lang = langs[i][1];
    if (json_object_object_get_ex(o, "score", &v) && v) {
      double d = json_object_get_double(v);
      if (!(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) || !(d >= 0 && d <= 1)) {
        ieum_http__error(res, 400, "units[%zu].score: a number 0-1", i);
        goto bad;
      }
      u->score = d;
    }
  }
  ieum_tm *tm = ieum_serve__writer(srv);
  int64_t doc = 0;
  size_t added = 0, dups = 0;
  int rc = ieum_tm_begin(tm);
  if (!rc)
    rc = user_document(&doc, tm, who->name, units[0].src_lang, units[0].tgt_lang);
  for (size_t i = 0; !rc && i < n; i++) {
    /* A pair already in the TM (same source, target and languages) is not added twice. */
    dup_probe d = { &units[i], 0 };
    ieum_tm_search_options so = IEUM_TM_SEARCH_OPTIONS_INIT;
    so.min_score = 100;
    so.max_results = 50;
    rc = ieum_tm_search(tm, units[i].src, units[i].src_len, &so, probe_dup, &d);
    if (rc == API_ENOUGH)
      rc = 0;
    if (!rc && d.found)
      dups++;
    else if (!rc && (rc = ieum_tm_add_unit(tm, doc, &units[i])) == 0)
      added++;
  }
  if (!rc)
    rc = ieum_tm_commit(tm);
  if (rc) {
    lib_error(res, rc, NULL, NULL);
    ieum_tm_rollback(tm);
  }
  ieum_serve__writer_done(srv);
  if (!rc) {
    ieum_serve__log(srv, "%s added %zu units (%zu already there) from %s", who->name, added, dups, req->client);
    json_object *top = json_object_new_object();
    json_object_object_add(top, "added", json_object_new_int64((int64_t)added));
    json_object_object_add(top, "duplicates", json_object_new_int64((int64_t)dups));
    json_object_object_add(top, "document", json_object_new_int64(doc));
    ieum_http__json(res, 201, top);
  }
bad:
  free(units);
  free(langs);
done:
  json_object_put(body);
}

/* ---- POST /api/import ------------------------------------------------------- */

typedef struct {
  ieum_tm_importer *im;
  size_t added, merged;
} import_sink;

static int import_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  import_sink *s = payload;
  int added = 0;
  int rc = ieum_tm_importer_add(&added, s->im, u, props, n);
  if (rc == 0) {
    s->added += added != 0;
    s->merged += added == 0;
  }
  return rc;
}

static void api_import(ieum_http_response *res, const ieum_http_request *req, ieum_serve *srv)
{
  const ieum_serve_token *who = req->principal;
  const char *name = ieum_http__query(req, "name"), *tags = ieum_http__query(req, "tags");
  char sl[IEUM_LANG_MAX], tl[IEUM_LANG_MAX], fdpath[64], hash[33];
  ieum_tmx_read_options ro = IEUM_TMX_READ_OPTIONS_INIT;
  if (req->upload_fd < 0 || req->upload_len == 0) {
    ieum_http__error(res, 400, "import needs a TMX file as the request body");
    return;
  }
  if (!name || !*name)
    name = "upload.tmx";
  if (tags && strcmp(tags, "keep") && strcmp(tags, "drop")) {
    ieum_http__error(res, 400, "tags: keep or drop, not '%s'", tags);
    return;
  }
  ro.keep_tags = tags && !strcmp(tags, "keep");
  ro.threaded = 1; /* parsing overlaps with the TM's writes */
  if (lang_arg(&ro.src_lang, sl, res, "src_lang", ieum_http__query(req, "src_lang")) ||
      lang_arg(&ro.tgt_lang, tl, res, "tgt_lang", ieum_http__query(req, "tgt_lang")))
    return;
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", req->upload_fd);
  int rc = ieum_tm_hash_file(hash, fdpath);
  if (rc) {
    lib_error(res, rc, fdpath, name);
    return;
  }
  ieum_tm *tm = ieum_serve__writer(srv);
  ieum_tmx_info info;
  import_sink sink = { 0 };
  int64_t doc = 0;
  memset(&info, 0, sizeof info);
  if ((rc = ieum_tm_begin(tm)) == 0) {
    ieum_tm_document d = { .kind = "tmx", .src_path = name, .src_lang = ro.src_lang, .tgt_lang = ro.tgt_lang,
                           .hash = hash };
    rc = ieum_tm_add_document(&doc, tm, &d);
    if (rc == IEUM_EEXISTS) {
      ieum_tm_rollback(tm);
      ieum_serve__writer_done(srv);
      ieum_http__error(res, 409, "%s: already imported (document %lld)", name, (long long)doc);
      return;
    }
  }
  if (!rc)
    rc = ieum_tm_importer_new(&sink.im, tm, doc, 1);
  if (!rc)
    rc = ieum_tmx_read_props(&info, fdpath, &ro, import_unit, &sink);
  ieum_tm_importer_free(sink.im);
  if (!rc && info.units == 0) {
    ieum_tm_rollback(tm);
    ieum_serve__writer_done(srv);
    ieum_http__error(res, 422, "%s: no unit to import (%zu without both languages, %zu empty)", name, info.skipped,
                     info.empty);
    return;
  }
  if (!rc)
    rc = ieum_tm_commit(tm);
  if (rc) {
    lib_error(res, rc, fdpath, name);
    ieum_tm_rollback(tm);
  }
  ieum_serve__writer_done(srv);
  if (rc)
    return;
  ieum_serve__log(srv, "%s imported %s: %zu units (%zu merged) from %s", who->name, name, sink.added, sink.merged,
                  req->client);
  json_object *top = json_object_new_object();
  json_object_object_add(top, "document", json_object_new_int64(doc));
  json_object_object_add(top, "imported", json_object_new_int64((int64_t)sink.added));
  json_object_object_add(top, "merged", json_object_new_int64((int64_t)sink.merged));
  json_object_object_add(top, "skipped", json_object_new_int64((int64_t)info.skipped));
  json_object_object_add(top, "empty", json_object_new_int64((int64_t)info.empty));
  json_object_object_add(top, "src_lang", json_object_new_string(info.src_lang));
  json_object_object_add(top, "tgt_lang", json_object_new_string(info.tgt_lang));
  ieum_http__json(res, 201, top);
}

/* ---- GET /api/export -------------------------------------------------------- */

static int export_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  return ieum_export_add(payload, u, props, n);
}

static void api_export(ieum_http_response *res, const ieum_http_request *req, ieum_serve *srv)
{
  static const char *const types[] = { "application/x-tmx+xml; charset=utf-8", "text/tab-separated-values; charset=utf-8",
                                       "application/x-ndjson; charset=utf-8", "application/xliff+xml; charset=utf-8" };
  static const char *const exts[] = { "tmx", "tsv", "jsonl", "xlf" };
  const char *fmt = ieum_http__query(req, "format"), *roles = ieum_http__query(req, "roles");
  char sl[IEUM_LANG_MAX], tl[IEUM_LANG_MAX], dir[PATH_MAX], path[PATH_MAX + 16];
  ieum_export_options eo = IEUM_EXPORT_OPTIONS_INIT;
  ieum_export *e = NULL;
  ieum_tm *tm;
  int rc;
  if (fmt && (ieum_export_format_from_name(&eo.format, fmt) != 0 || eo.format == IEUM_EXPORT_MOSES)) {
    ieum_http__error(res, 400, "format: tmx, tsv, jsonl or xliff, not '%s'", fmt);
    return;
  }
  eo.roles = IEUM_EXPORT_ROLES_DEFAULT;
  if (roles && ieum_export_roles_parse(&eo.roles, roles) != 0) {
    lib_error(res, IEUM_EINVAL, NULL, NULL);
    return;
  }
  if (lang_arg(&eo.src_lang, sl, res, "src_lang", ieum_http__query(req, "src_lang")) ||
      lang_arg(&eo.tgt_lang, tl, res, "tgt_lang", ieum_http__query(req, "tgt_lang")))
    return;
  if ((rc = ieum_serve__reader(&tm, srv)) != 0) {
    lib_error(res, rc, NULL, NULL);
    return;
  }
  if (!eo.src_lang || !eo.tgt_lang) {
    /* Not given: the TM's one language pair, as `ieum tm export` takes it. */
    ieum_tm_stats st;
    if ((rc = ieum_tm_stats_get(&st, tm)) != 0) {
      lib_error(res, rc, NULL, NULL);
      return;
    }
    if (st.n_langs > 1) {
      ieum_http__error(res, 400, "the TM holds %zu language pairs (%s-%s, %s-%s%s): give src_lang and tgt_lang",
                       st.n_langs, st.langs[0].src, st.langs[0].tgt, st.langs[1].src, st.langs[1].tgt,
                       st.n_langs > 2 ? ", ..." : "");
      return;
    }
    if (st.n_langs == 1) {
      if (!eo.src_lang)
        eo.src_lang = snprintf(sl, sizeof sl, "%s", st.langs[0].src) >= 0 ? sl : NULL;
      if (!eo.tgt_lang)
        eo.tgt_lang = snprintf(tl, sizeof tl, "%s", st.langs[0].tgt) >= 0 ? tl : NULL;
    }
  }
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/ieum-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    ieum_http__error(res, 507, "cannot make a temporary folder for the export: %s", strerror(errno));
    return;
  }
  snprintf(path, sizeof path, "%s/export.%s", dir, exts[eo.format]);
  rc = ieum_export_open(&e, path, &eo);
  if (!rc && (rc = ieum_tm_foreach_with_props(tm, export_unit, e)) != 0)
    ieum_export_free(e);
  else if (!rc)
    rc = ieum_export_close(e);
  if (rc) {
    lib_error(res, rc, path, "the export");
    unlink(path);
    rmdir(dir);
    return;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  unlink(path);
  rmdir(dir);
  if (fd < 0 || fstat(fd, &st) != 0) {
    if (fd >= 0)
      close(fd);
    ieum_http__error(res, 500, "cannot read the export back: %s", strerror(errno));
    return;
  }
  ieum_http__file(res, 200, types[eo.format], fd, (uint64_t)st.st_size);
}

/* ---- dispatch --------------------------------------------------------------- */

void ieum_serve__handle(ieum_http_response *res, const ieum_http_request *req, void *payload)
{
  ieum_serve *srv = payload;
  const char *p = req->path;
  int get = !strcmp(req->method, "GET"), post = !strcmp(req->method, "POST");
  struct { const char *path; int get; void (*fn)(ieum_http_response *, const ieum_http_request *, ieum_serve *); }
    routes[] = {
      { "/api/search", 1, api_search },     { "/api/concordance", 1, api_concordance },
      { "/api/units", 0, api_units },       { IEUM_SERVE_UPLOAD_PREFIX, 0, api_import },
      { "/api/export", 1, api_export },
    };
  if (!strcmp(p, "/api/stats")) {
    if (get)
      api_stats(res, srv);
    else
      ieum_http__error(res, 405, "%s: GET only", p);
    return;
  }
  if (!strncmp(p, "/tmserver/", 10)) {
    if (get)
      api_tmserver(res, req, srv);
    else
      ieum_http__error(res, 405, "%s: this server answers tmserver lookups (GET) only", p);
    return;
  }
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    if (strcmp(p, routes[i].path))
      continue;
    if (routes[i].get ? !get : !post)
      ieum_http__error(res, 405, "%s: %s only", p, routes[i].get ? "GET" : "POST");
    else
      routes[i].fn(res, req, srv);
    return;
  }
  ieum_http__error(res, 404, "%s: no such route (see docs/server.md)", p);
}
