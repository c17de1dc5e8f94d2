/*
** tests/unit/review_api.c: the JSON API of `ieum review` (review/server.c)
** on a real loopback port: the page and its token, the documents list and
** its search, a document's rows, every operation (confirm, merge, split,
** no-counterpart, move, edit, delete), undo and redo, bad requests (not
** JSON, unknown operation, a bad row key, a missing direction, texts that
** are not strings, a wrong method, an unknown path), a wrong or missing
** token, a unit deleted meanwhile (404), an undo over a change made
** meanwhile (409), and the changes found in the TM.  Korean and English
** text written for these tests.
*/
#include <sqlite3.h>

#include "server.h"
#include "tap.h"
#include "tmpdir.h"
#include "http_client.h"

#define TOKEN "feedfacecafebeef0123456789abcdef"
#define AUTH "X-Ieum-Token: " TOKEN "\r\n"

static unsigned port;

static int add(ieum_tm *tm, int64_t doc, int64_t pos, const char *src, const char *tgt, double score)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.score = score;
  u.position = pos;
  u.role = "body";
  return ieum_tm_add_unit(tm, doc, &u);
}

/* Document 1: 1-1, 2-1 (two sentences recorded), 0-1, 1-1; document 2: one confident unit. */
static int make_tm(const char *path)
{
  ieum_tm *tm = NULL;
  ieum_tm_document d1 = { "pair", "flood.ko.txt", "flood.en.txt", "ko", "en", "11111111111111111111111111111111" };
  ieum_tm_document d2 = { "pair", "bus.ko.txt", "bus.en.txt", "ko", "en", "22222222222222222222222222222222" };
  static const char s1a[] = "시는 15일 예측 시스템을 공개했다.", s1b[] = "시스템은 7월부터 운영된다.";
  char joined[128];
  snprintf(joined, sizeof joined, "%s %s", s1a, s1b);
  size_t l0[2] = { strlen(s1a), strlen(s1b) }, l1[1] = { strlen("The city unveiled the system on the 15th.") };
  const size_t *const lens[2] = { l0, l1 };
  const size_t n[2] = { 2, 1 };
  int64_t a = 0, b = 0;
  int rc = ieum_tm_open(&tm, path, IEUM_TM_CREATE);
  if (rc == 0)
    rc = ieum_tm_begin(tm);
  if (rc == 0)
    rc = ieum_tm_add_document(&a, tm, &d1);
  if (rc == 0)
    rc = add(tm, a, 0, "서울시가 AI로 침수를 예측한다.", "Seoul will predict floods with AI.", 0.97);
  if (rc == 0)
    rc = add(tm, a, 1, joined, "The city unveiled the system on the 15th.", 0.35);
  if (rc == 0)
    rc = ieum_review_set_segments(tm, a, 1, lens, n);
  if (rc == 0)
    rc = ieum_review_add_unaligned(tm, a, 2, 1, "It will run from July.", strlen("It will run from July."), "body");
  if (rc == 0)
    rc = add(tm, a, 3, "예측은 1시간 전에 나온다.", "Forecasts come an hour ahead.", 0.88);
  if (rc == 0)
    rc = ieum_tm_add_document(&b, tm, &d2);
  if (rc == 0)
    rc = add(tm, b, 0, "버스 노선이 바뀐다.", "Bus routes will change.", 0.99);
  if (rc == 0)
    rc = ieum_tm_commit(tm);
  ieum_tm_free(tm);
  return rc;
}

static json_object *parse(const http_reply *r)
{
  return r->body ? json_tokener_parse(r->body) : NULL;
}

/* GET path with the token; the body parsed into *out (the caller puts it). */
static int get(json_object **out, const char *path)
{
  http_reply r = http_request(port, "GET", path, AUTH, NULL, 0);
  *out = parse(&r);
  int st = r.status;
  http_reply_free(&r);
  return st;
}

static int post(json_object **out, const char *path, const char *body)
{
  http_reply r = http_request(port, "POST", path, AUTH, body, body ? strlen(body) : 0);
  if (out)
    *out = parse(&r);
  int st = r.status;
  http_reply_free(&r);
  return st;
}

static json_object *member(json_object *o, const char *path)
{
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *k = strtok(buf, "."); o && k; k = strtok(NULL, ".")) {
    if (*k >= '0' && *k <= '9')
      o = json_object_is_type(o, json_type_array) ? json_object_array_get_idx(o, (size_t)atoi(k)) : NULL;
    else if (!json_object_object_get_ex(o, k, &o))
      o = NULL;
  }
  return o;
}

/* Items of the array at path, -1 when it is not one. */
static int64_t alen(json_object *o, const char *path)
{
  json_object *v = member(o, path);
  return v && json_object_is_type(v, json_type_array) ? (int64_t)json_object_array_length(v) : -1;
}

static const char *mstr(json_object *o, const char *path)
{
  json_object *v = member(o, path);
  return v ? json_object_get_string(v) : "(none)";
}

static int64_t mint(json_object *o, const char *path)
{
  json_object *v = member(o, path);
  return v ? json_object_get_int64(v) : -1;
}

/* "bead:src+src|tgt" per row, one a line. */
static const char *rows_text(char *buf, size_t cap, json_object *doc)
{
  json_object *rows = member(doc, "rows");
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; rows && json_object_is_type(rows, json_type_array) && i < json_object_array_length(rows); i++) {
    json_object *r = json_object_array_get_idx(rows, i);
    n += (size_t)snprintf(buf + n, cap - n, "%s%s:", i ? "\n" : "", mstr(r, "bead"));
    for (int s = 0; s < 2; s++) {
      json_object *side = member(r, s ? "tgt" : "src");
      for (size_t k = 0; side && k < json_object_array_length(side); k++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? "+" : "", json_object_get_string(json_object_array_get_idx(side, k)));
      if (!s)
        n += (size_t)snprintf(buf + n, cap - n, "|");
    }
  }
  return buf;
}

static int64_t tm_int(const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_open_v2(tmp_path("api.db"), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void test_review_api__page_and_token(void)
{
  http_reply r = http_request(port, "GET", "/", AUTH, NULL, 0);
  is_int(r.status, 200, "the page is served");
  ok(r.body && strstr(r.body, "content=\"" TOKEN "\""), "with the token written in");
  ok(r.body && !strstr(r.body, "%TOKEN%"), "in every place");
  ok(r.headers && strstr(r.headers, "text/html"), "as HTML");
  http_reply_free(&r);
  r = http_request(port, "GET", "/app.js?token=" TOKEN, NULL, NULL, 0);
  is_int(r.status, 200, "its script, the token in the query");
  ok(r.body && strstr(r.body, "X-Ieum-Token"), "which sends the token back");
  http_reply_free(&r);
  r = http_request(port, "GET", "/app.css", AUTH, NULL, 0);
  ok(r.status == 200 && r.headers && strstr(r.headers, "text/css"), "its style");
  http_reply_free(&r);
  r = http_request(port, "GET", "/api/documents", NULL, NULL, 0);
  is_int(r.status, 401, "no token: 401");
  http_reply_free(&r);
  r = http_request(port, "GET", "/api/documents", "X-Ieum-Token: feedfacecafebeef0123456789abcdee\r\n", NULL, 0);
  is_int(r.status, 401, "a wrong token: 401");
  http_reply_free(&r);
  r = http_request(port, "POST", "/api/documents/1/ops?token=nope", NULL, "{\"op\":\"delete\",\"row\":\"u1\"}", 26);
  is_int(r.status, 401, "a wrong token cannot change anything");
  http_reply_free(&r);
  is_int(tm_int("SELECT count(*) FROM units"), 4, "the TM is as it was");
  json_object *o = NULL;
  is_int(get(&o, "/nothing.html"), 404, "an unknown page: 404");
  json_object_put(o);
  is_int(get(&o, "/api/info"), 200, "info");
  is_str(mstr(o, "reviewer"), "lee", "names the reviewer");
  json_object_put(o);
}

static void test_review_api__documents(void)
{
  json_object *o = NULL;
  is_int(get(&o, "/api/documents"), 200, "the documents");
  is_int(alen(o, "documents"), 2, "two pairs");
  is_str(mstr(o, "documents.0.src_path"), "flood.ko.txt", "the doubtful one first");
  is_int(mint(o, "documents.0.doubtful"), 1, "one doubtful unit");
  is_int(mint(o, "documents.0.unaligned"), 1, "one unaligned sentence");
  json_object_put(o);
  is_int(get(&o, "/api/documents?q=%EB%B2%84%EC%8A%A4"), 200, "searched for 버스");
  ok(alen(o, "documents") == 1 && !strcmp(mstr(o, "documents.0.src_path"), "bus.ko.txt"),
     "finds the bus pair by its text");
  json_object_put(o);
  is_int(get(&o, "/api/documents?q=FLOOD.EN"), 200, "searched by name");
  is_str(mstr(o, "documents.0.tgt_path"), "flood.en.txt", "case folded");
  json_object_put(o);
  is_int(get(&o, "/api/documents/9"), 404, "no document 9: 404");
  json_object_put(o);
  is_int(get(&o, "/api/documents/x1"), 404, "a bad document id: 404");
  json_object_put(o);
  is_int(post(&o, "/api/documents", "{}"), 405, "POST to the list: 405");
  json_object_put(o);
}

static void test_review_api__operations(void)
{
  json_object *o = NULL;
  char buf[2048];
  is_int(get(&o, "/api/documents/1"), 200, "document 1");
  is_str(rows_text(buf, sizeof buf, o),
         "1-1:서울시가 AI로 침수를 예측한다.|Seoul will predict floods with AI.\n"
         "2-1:시는 15일 예측 시스템을 공개했다.+시스템은 7월부터 운영된다.|The city unveiled the system on the 15th.\n"
         "0-1:|It will run from July.\n"
         "1-1:예측은 1시간 전에 나온다.|Forecasts come an hour ahead.",
         "its rows, side by side in document order");
  ok(json_object_get_boolean(member(o, "rows.1.doubtful")) && json_object_get_boolean(member(o, "rows.2.doubtful")) &&
     !json_object_get_boolean(member(o, "rows.0.doubtful")), "the 2-1 unit and the unaligned sentence are doubtful");
  is_str(mstr(o, "rows.2.key"), "s1", "an unaligned sentence's key");
  json_object_put(o);

  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"confirm\",\"row\":\"u1\"}"), 200, "confirm");
  is_str(mstr(o, "rows.0.status"), "confirmed", "the answer shows it confirmed");
  is_str(mstr(o, "rows.0.reviewer"), "lee", "by the reviewer");
  ok(mint(o, "log_id") > 0, "logged");
  json_object_put(o);

  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"split\",\"row\":\"u2\",\"src_at\":1,\"tgt_at\":1}"), 200, "split");
  is_str(rows_text(buf, sizeof buf, o),
         "1-1:서울시가 AI로 침수를 예측한다.|Seoul will predict floods with AI.\n"
         "1-1:시는 15일 예측 시스템을 공개했다.|The city unveiled the system on the 15th.\n"
         "1-0:시스템은 7월부터 운영된다.|\n"
         "0-1:|It will run from July.\n"
         "1-1:예측은 1시간 전에 나온다.|Forecasts come an hour ahead.",
         "the second sentence stands alone");
  const char *key = mstr(o, "rows.2.key");
  char body[256];
  snprintf(body, sizeof body, "{\"op\":\"merge\",\"row\":\"%s\",\"direction\":1}", key);
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", body), 200, "merge it with the English sentence below");
  is_str(mstr(o, "rows.2.bead"), "1-1", "a new 1-1 unit");
  is_str(mstr(o, "rows.2.tgt.0"), "It will run from July.", "holding the English sentence");
  is_str(mstr(o, "rows.2.status"), "edited", "edited");
  key = mstr(o, "rows.2.key");
  snprintf(body, sizeof body, "{\"op\":\"edit\",\"row\":\"%s\",\"side\":\"tgt\",\"texts\":[\"It will run from July 1.\"]}",
           key);
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", body), 200, "edit its target");
  is_str(mstr(o, "rows.2.tgt.0"), "It will run from July 1.", "the new text");
  json_object_put(o);
  is_int(tm_int("SELECT count(*) FROM units WHERE tgt = 'It will run from July 1.' AND review_status = 'edited'"
                " AND reviewer = 'lee'"), 1, "in the TM at once");

  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"move\",\"row\":\"u3\",\"side\":\"src\",\"direction\":-1}"), 200,
         "move the last unit's sentence up");
  is_str(mstr(o, "rows.2.src.1"), "예측은 1시간 전에 나온다.", "it joined the unit above");
  is_str(mstr(o, "rows.3.bead"), "0-1", "leaving its English sentence alone");
  key = mstr(o, "rows.3.key");
  snprintf(body, sizeof body, "{\"op\":\"no-counterpart\",\"row\":\"%s\"}", key);
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", body), 200, "mark it as having no counterpart");
  ok(json_object_get_boolean(member(o, "rows.3.no_counterpart")) && !json_object_get_boolean(member(o, "rows.3.doubtful")),
     "marked, no longer doubtful");
  key = mstr(o, "rows.3.key");
  snprintf(body, sizeof body, "{\"op\":\"delete\",\"row\":\"%s\"}", key);
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", body), 200, "delete it");
  is_int(alen(o, "rows"), 3, "three rows left");
  json_object_put(o);

  is_int(post(&o, "/api/documents/1/undo", NULL), 200, "undo");
  is_int(alen(o, "rows"), 4, "the sentence is back");
  ok(json_object_get_boolean(member(o, "can_redo")), "can redo");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/redo", NULL), 200, "redo");
  is_int(alen(o, "rows"), 3, "deleted again");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/redo", NULL), 404, "nothing to redo: 404");
  json_object_put(o);

  /* Bad requests. */
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":"), 400, "not JSON: 400");
  ok(strstr(mstr(o, "error.message"), "not JSON") != NULL, "saying so");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "[1]"), 400, "not an object: 400");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"explode\",\"row\":\"u1\"}"), 400, "an unknown operation: 400");
  ok(strstr(mstr(o, "error.message"), "explode") != NULL, "naming it");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"confirm\",\"row\":\"x1\"}"), 400, "a bad row key: 400");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"merge\",\"row\":\"u1\"}"), 400, "merge without direction: 400");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"edit\",\"row\":\"u1\",\"side\":\"src\",\"texts\":[3]}"), 400,
         "texts that are not strings: 400");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"edit\",\"row\":\"u1\",\"side\":\"both\",\"texts\":[\"a\"]}"), 400,
         "a bad side: 400");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"split\",\"row\":\"u1\",\"src_at\":1,\"tgt_at\":0}"), 400,
         "splitting a 1-1 unit: 400");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"merge\",\"row\":\"u1\",\"direction\":-1}"), 400,
         "merging the first row upwards: 400");
  json_object_put(o);
  is_int(get(&o, "/api/documents/1/ops"), 405, "GET of ops: 405");
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/explode", NULL), 404, "an unknown action: 404");
  json_object_put(o);

  /* A unit deleted meanwhile (by another program), then a change behind undo's back. */
  sqlite3 *db = NULL;
  sqlite3_open(tmp_path("api.db"), &db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_exec(db, "DELETE FROM units WHERE id = 1", NULL, NULL, NULL);
  is_int(post(&o, "/api/documents/1/ops", "{\"op\":\"confirm\",\"row\":\"u1\"}"), 404, "a unit deleted meanwhile: 404");
  ok(strstr(mstr(o, "error.message"), "meanwhile") != NULL, "saying so: %s", mstr(o, "error.message"));
  json_object_put(o);
  is_int(post(&o, "/api/documents/1/undo", NULL), 409, "undo over a change made meanwhile: 409");
  json_object_put(o);
  sqlite3_close(db);
  is_int(get(&o, "/api/documents/1"), 200, "the document still reads");
  is_int(alen(o, "rows"), 2, "as the other program left it");
  json_object_put(o);
}

/* Another writer (a batch, a second ieum align) stores a pair while the server holds the TM open. */
static void test_review_api__another_writer(void)
{
  static const char ko[] = "서울시가 자전거 도로를 늘린다.\n시는 14일 계획을 발표했다.\n";
  static const char en[] = "Seoul will add bike lanes.\nThe city announced the plan on the 14th.\n";
  ieum_pipeline_options po = IEUM_PIPELINE_OPTIONS_INIT;
  ieum_aligned_pair *p = NULL;
  json_object *o = NULL;
  po.tm_path = tmp_path("api.db");
  po.store = 1;
  po.force = 1;
  po.threads = 1;
  po.src_name = "bike.ko.txt";
  po.tgt_name = "bike.en.txt";
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &po), IEUM_OK,
         "another process's handle stores a pair into the TM the server has open");
  int64_t id = 0;
  ieum_aligned_pair_stored(p, &id);
  ieum_aligned_pair_free(p);
  is_int(get(&o, "/api/documents"), 200, "the documents");
  is_int(alen(o, "documents"), 3, "the server sees the new pair at once");
  json_object_put(o);
  char path[64], body[128];
  snprintf(path, sizeof path, "/api/documents/%lld/ops", (long long)id);
  snprintf(body, sizeof body, "{\"op\":\"confirm\",\"row\":\"u%lld\"}", (long long)tm_int("SELECT max(id) FROM units"));
  is_int(post(&o, path, body), 200, "and reviews it");
  json_object_put(o);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-review-api-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  if (make_tm(tmp_path("api.db")) != 0)
    skip_all("cannot make the test TM");
  ieum_tm *tm = NULL;
  if (ieum_tm_open(&tm, tmp_path("api.db"), IEUM_TM_WRITE) != 0)
    skip_all("cannot open the test TM");
  ieum_review_server s = { tm, "api.db", 0.5, "lee", TOKEN };
  ieum_http_options ho = { NULL, 0, 0, TOKEN };
  ieum_http_server *srv = NULL;
  char err[256];
  if (ieum_http__start(&srv, &ho, ieum_review__handle, &s, err, sizeof err) != 0) {
    diag("%s", err);
    skip_all("cannot start the server");
  }
  port = ieum_http__port(srv);
  test_review_api__page_and_token();
  test_review_api__documents();
  test_review_api__operations();
  test_review_api__another_writer();
  ieum_http__stop(srv);
  ieum_tm_free(tm);
  remove_tmpdir();
  return done_testing();
}
