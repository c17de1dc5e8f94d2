/*
** tests/unit/util_http.c: the local HTTP server (util/http.c) on a real
** loopback port: a free port, the token (header, bearer, query; wrong or
** missing: 401), the Host check (403), the body cap (413), JSON bodies
** parsed or refused (400), JSON errors, the security headers.
** Not here: the review routes (review_api.c).
*/
#include "http_int.h"
#include "tap.h"
#include "http_client.h"

#define TOKEN "0123456789abcdef0123456789abcdef"

/* Echoes the method, path, query "q" and the body's "x" member as JSON. */
static void echo(ieum_http_response *res, const ieum_http_request *req, void *payload)
{
  int *calls = payload;
  (*calls)++;
  if (!strcmp(req->path, "/body")) {
    json_object *obj = NULL;
    if (ieum_http__body_object(&obj, res, req) != 0)
      return;
    json_object *x = NULL;
    json_object_object_get_ex(obj, "x", &x);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "x", json_object_get(x));
    json_object_put(obj);
    ieum_http__json(res, 200, o);
    return;
  }
  if (!strcmp(req->path, "/missing")) {
    ieum_http__error(res, 404, "no such thing: %s", req->path);
    return;
  }
  json_object *o = json_object_new_object();
  const char *q = ieum_http__query(req, "q");
  json_object_object_add(o, "method", json_object_new_string(req->method));
  json_object_object_add(o, "path", json_object_new_string(req->path));
  json_object_object_add(o, "q", q ? json_object_new_string(q) : NULL);
  ieum_http__json(res, 200, o);
}

static void test_util_http__serves(void)
{
  ieum_http_server *srv = NULL;
  char err[256] = "";
  int calls = 0;
  ieum_http_options o = { NULL, 0, 64, TOKEN };
  int rc = ieum_http__start(&srv, &o, echo, &calls, err, sizeof err);
  if (!ok(rc == 0 && srv, "starts on a free port (%s)", err))
    return;
  unsigned port = ieum_http__port(srv);
  ok(port > 0, "listens on port %u", port);
  is_str(ieum_http__token(srv), TOKEN, "keeps the given token");

  http_reply r = http_request(port, "GET", "/x?q=%ED%95%9C", "X-Ieum-Token: " TOKEN "\r\n", NULL, 0);
  is_int(r.status, 200, "a request with the token header is answered");
  is_str(r.body, "{\"method\":\"GET\",\"path\":\"/x\",\"q\":\"한\"}", "the handler sees method, path and decoded query");
  ok(r.headers && strstr(r.headers, "application/json"), "JSON content type");
  ok(r.headers && strstr(r.headers, "Content-Security-Policy: default-src 'none'"), "a CSP forbids other hosts");
  ok(r.headers && strstr(r.headers, "no-store"), "nothing is cached");
  http_reply_free(&r);

  r = http_request(port, "GET", "/x", "Authorization: Bearer " TOKEN "\r\n", NULL, 0);
  is_int(r.status, 200, "a bearer token is accepted");
  http_reply_free(&r);
  r = http_request(port, "GET", "/x?token=" TOKEN, NULL, NULL, 0);
  is_int(r.status, 200, "a token in the query is accepted");
  http_reply_free(&r);

  int before = calls;
  r = http_request(port, "GET", "/x", NULL, NULL, 0);
  is_int(r.status, 401, "no token: 401");
  ok(r.body && strstr(r.body, "\"error\":{\"status\":401"), "the 401 is a JSON error");
  http_reply_free(&r);
  r = http_request(port, "GET", "/x", "X-Ieum-Token: 0123456789abcdef0123456789abcdeX\r\n", NULL, 0);
  is_int(r.status, 401, "a wrong token of the right length: 401");
  http_reply_free(&r);
  r = http_request(port, "GET", "/x", "X-Ieum-Token: 0123\r\n", NULL, 0);
  is_int(r.status, 401, "a prefix of the token: 401");
  http_reply_free(&r);
  is_int(calls, before, "the handler never saw the refused requests");

  r = http_request(port, "POST", "/body", "X-Ieum-Token: " TOKEN "\r\n", "{\"x\":[1,2]}", 11);
  is_int(r.status, 200, "a JSON body is read");
  is_str(r.body, "{\"x\":[1,2]}", "the body's members reach the handler");
  http_reply_free(&r);
  r = http_request(port, "POST", "/body", "X-Ieum-Token: " TOKEN "\r\n", "{\"x\":", 5);
  is_int(r.status, 400, "truncated JSON: 400");
  ok(r.body && strstr(r.body, "not JSON"), "the error says so: %s", r.body ? r.body : "");
  http_reply_free(&r);
  r = http_request(port, "POST", "/body", "X-Ieum-Token: " TOKEN "\r\n", "[1] x", 5);
  is_int(r.status, 400, "trailing bytes after JSON: 400");
  http_reply_free(&r);
  r = http_request(port, "POST", "/body", "X-Ieum-Token: " TOKEN "\r\n", "[1]", 3);
  is_int(r.status, 400, "an array where an object is wanted: 400");
  http_reply_free(&r);
  char big[100];
  memset(big, ' ', sizeof big);
  r = http_request(port, "POST", "/body", "X-Ieum-Token: " TOKEN "\r\n", big, sizeof big);
  is_int(r.status, 413, "a body over the cap: 413");
  http_reply_free(&r);
  r = http_request(port, "GET", "/missing", "X-Ieum-Token: " TOKEN "\r\n", NULL, 0);
  is_int(r.status, 404, "a handler's error status");
  is_str(r.body, "{\"error\":{\"status\":404,\"message\":\"no such thing: /missing\"}}", "as a JSON error (a slash written as is)");
  http_reply_free(&r);
  ieum_http__stop(srv);
}

static void test_util_http__host_and_token(void)
{
  ieum_http_server *srv = NULL, *other = NULL;
  char err[256] = "";
  int calls = 0;
  if (!ok(ieum_http__start(&srv, NULL, echo, &calls, err, sizeof err) == 0, "starts with defaults (%s)", err))
    return;
  const char *tok = ieum_http__token(srv);
  is_int(strlen(tok), IEUM_HTTP_TOKEN_HEX, "a generated token has %d hex digits", IEUM_HTTP_TOKEN_HEX);
  ok(strspn(tok, "0123456789abcdef") == strlen(tok), "only hex digits");
  unsigned port = ieum_http__port(srv);
  char hdr[256];
  snprintf(hdr, sizeof hdr, "X-Ieum-Token: %s\r\n", tok);
  http_reply r = http_request(port, "GET", "/", hdr, NULL, 0);
  is_int(r.status, 200, "the generated token works");
  http_reply_free(&r);
  /* A page elsewhere whose name resolves to 127.0.0.1 sends its own Host. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  char req[512], buf[512] = "";
  int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: evil.example:%u\r\n%sConnection: close\r\n\r\n", port, hdr);
  ok(connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && write(fd, req, (size_t)n) == n, "sends with another Host");
  ssize_t k = read(fd, buf, sizeof buf - 1);
  buf[k > 0 ? k : 0] = '\0';
  close(fd);
  ok(!strncmp(buf, "HTTP/1.1 403", 12), "another Host: 403 (%.12s)", buf);

  ieum_http_options o = { NULL, port, 0, NULL };
  int rc = ieum_http__start(&other, &o, echo, &calls, err, sizeof err);
  ok(rc != 0 && !other, "a port in use is refused");
  ok(strstr(err, "cannot listen") != NULL, "with a message: %s", err);
  ieum_http_options bad = { "localhost", 0, 0, NULL };
  ok(ieum_http__start(&other, &bad, echo, &calls, err, sizeof err) != 0, "a host that is not an address: refused");
  ieum_http_options shorttok = { NULL, 0, 0, "abc" };
  ok(ieum_http__start(&other, &shorttok, echo, &calls, err, sizeof err) != 0, "a short token: refused");
  ieum_http__stop(srv);
  ieum_http__stop(NULL);
}

int main(void)
{
  test_util_http__serves();
  test_util_http__host_and_token();
  return done_testing();
}
