/*
** util/http.c: the local HTTP server of ieum's web front ends (http_int.h).
**
** A GNU libmicrohttpd daemon with one internal polling thread, bound to one
** IPv4 address (127.0.0.1 unless told otherwise).  For each request the
** access callback (1) checks the token in constant time and the Host header
** (a page of another site that a DNS name points at 127.0.0.1 carries that
** site's name: refused, which closes DNS rebinding), (2) collects the body
** up to the cap, (3) calls the handler once the body is complete and queues
** what it answered.  Tokens come from getrandom().
** With opts.auth each request is authorized by the caller instead of the
** one token; refusals (401, 403, 413) are told to opts.on_reject.  A body
** under opts.upload_prefix goes to an unlinked temporary file as it
** arrives (O_TMPFILE, or mkstemp() and unlink()), so its size is bounded
** by opts.max_upload and the disk, not memory.
** Cost: one thread (or a pool of opts.threads); a request's body is held
** in memory (capped) unless streamed to a file.
** Not here: routes, TM access (the handlers: review/, server/).
*/
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http_int.h"

/* The ieum error codes this file returns (include/ieum/error.h), without including the library. */
enum { HTTP_EINVAL = -8, HTTP_EIO = -3, HTTP_ENOMEM = -2 };

/* Seconds an idle connection stays open; connections at once. */
#define HTTP_CONNECTION_TIMEOUT 30
#define HTTP_CONNECTION_LIMIT 64

/* A page may use only what the server itself serves: no network access beyond it. */
#define HTTP_CSP \
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " \
  "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'"

struct ieum_http_server {
  struct MHD_Daemon *daemon;
  unsigned port;
  char host[INET_ADDRSTRLEN];
  char token[128];
  size_t token_len;
  size_t max_body;
  ieum_http_handler handler;
  void *payload;
  int any_host;
  ieum_http_auth_cb auth;
  void *auth_payload;
  ieum_http_reject_cb on_reject;
  char *upload_prefix;     /* NULL: no streamed uploads */
  char *upload_dir;
  uint64_t max_upload;
};

/* One request in progress: its body so far. */
typedef struct {
  char *body;
  size_t len, cap;
  int refused;   /* a response was queued before the body was complete */
  const void *principal;
  int fd;        /* a streamed upload's file, -1 when none */
  uint64_t flen; /* bytes written to fd */
  char client[INET_ADDRSTRLEN];
} request_state;

int ieum_http__token_equal(const char *a, size_t alen, const char *b, size_t blen)
{
  unsigned char diff = (unsigned char)(alen != blen);
  size_t n = alen < blen ? alen : blen;
  for (size_t i = 0; i < n; i++)
    diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

static void set_body(ieum_http_response *res, int status, const char *type, char *body, size_t len)
{
  free(res->body);
  res->status = status;
  res->content_type = type;
  res->body = body;
  res->len = len;
}

int ieum_http__bytes(ieum_http_response *res, int status, const char *content_type, const char *data, size_t len)
{
  char *copy = malloc(len + 1);
  if (!copy) {
    set_body(res, 500, "text/plain; charset=utf-8", NULL, 0);
    return HTTP_ENOMEM;
  }
  if (len)
    memcpy(copy, data, len);
  copy[len] = '\0';
  set_body(res, status, content_type, copy, len);
  return 0;
}

int ieum_http__file(ieum_http_response *res, int status, const char *content_type, int fd, uint64_t len)
{
  set_body(res, status, content_type, NULL, (size_t)len);
  if (res->fd_set)
    close(res->fd);
  res->fd = fd;
  res->fd_set = 1;
  return 0;
}

typedef struct {
  const char *name;
  const char **out;
  size_t max, n;
} query_walk;

static enum MHD_Result query_value(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  query_walk *w = cls;
  (void)kind;
  if (key && value && !strcmp(key, w->name) && w->n < w->max)
    w->out[w->n++] = value;
  return MHD_YES;
}

size_t ieum_http__query_all(const ieum_http_request *req, const char *name, const char **out, size_t max)
{
  query_walk w = { name, out, max, 0 };
  MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_value, &w);
  return w.n;
}

int ieum_http__json(ieum_http_response *res, int status, json_object *obj)
{
  size_t len = 0;
  const char *s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
  int rc = s ? ieum_http__bytes(res, status, "application/json; charset=utf-8", s, len) : HTTP_ENOMEM;
  if (!s)
    set_body(res, 500, "text/plain; charset=utf-8", NULL, 0);
  json_object_put(obj);
  return rc;
}

void ieum_http__error(ieum_http_response *res, int status, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_object *err = json_object_new_object(), *top = json_object_new_object();
  if (!err || !top) {
    json_object_put(err);
    json_object_put(top);
    set_body(res, 500, "text/plain; charset=utf-8", NULL, 0);
    return;
  }
  json_object_object_add(err, "status", json_object_new_int(status));
  json_object_object_add(err, "message", json_object_new_string(msg));
  json_object_object_add(top, "error", err);
  ieum_http__json(res, status, top);
}

int ieum_http__body_object(json_object **out, ieum_http_response *res, const ieum_http_request *req)
{
  enum json_tokener_error jerr = json_tokener_success;
  *out = NULL;
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    ieum_http__error(res, 500, "out of memory");
    return -1;
  }
  json_object *obj = json_tokener_parse_ex(tok, req->body, (int)req->body_len);
  jerr = json_tokener_get_error(tok);
  if (jerr == json_tokener_success && tok->char_offset < (int)req->body_len) {
    json_object_put(obj); /* trailing bytes after the JSON value */
    obj = NULL;
    jerr = json_tokener_error_parse_unexpected;
  }
  json_tokener_free(tok);
  if (!obj || jerr != json_tokener_success) {
    json_object_put(obj);
    ieum_http__error(res, 400, "request body: not JSON (%s)",
                     jerr == json_tokener_continue ? "unexpected end" : json_tokener_error_desc(jerr));
    return -1;
  }
  if (!json_object_is_type(obj, json_type_object)) {
    json_object_put(obj);
    ieum_http__error(res, 400, "request body: a JSON object is expected");
    return -1;
  }
  *out = obj;
  return 0;
}

const char *ieum_http__query(const ieum_http_request *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *ieum_http__header(const ieum_http_request *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static enum MHD_Result queue(struct MHD_Connection *conn, ieum_http_response *res)
{
  struct MHD_Response *r;
  if (res->fd_set) {
    free(res->body);
    res->body = NULL;
    res->fd_set = 0;
    r = MHD_create_response_from_fd64((uint64_t)res->len, res->fd); /* MHD closes fd, also on failure later */
    if (!r) {
      close(res->fd);
      return MHD_NO;
    }
  } else {
    r = MHD_create_response_from_buffer(res->len, res->body ? res->body : (void *)"",
                                        res->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  }
  if (!r) {
    free(res->body);
    res->body = NULL;
    return MHD_NO;
  }
  res->body = NULL; /* MHD owns it now */
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                          res->content_type ? res->content_type : "text/plain; charset=utf-8");
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "Content-Security-Policy", HTTP_CSP);
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result answer_error(struct MHD_Connection *conn, int status, const char *msg)
{
  if (!conn)
    return MHD_NO;
  ieum_http_response res = { 0 };
  ieum_http__error(&res, status, "%s", msg);
  return queue(conn, &res);
}

/* The token of the request: header X-Ieum-Token, Authorization: Bearer, or ?token=. */
static const char *request_token(struct MHD_Connection *conn)
{
  const char *t = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Ieum-Token");
  if (t)
    return t;
  t = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (t && !strncasecmp(t, "Bearer ", 7))
    return t + 7;
  return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
}

/* Host must name this server (its address or localhost, with the port). */
static int host_ok(const ieum_http_server *srv, const char *host)
{
  char want[INET_ADDRSTRLEN + 16], local[32];
  if (!host)
    return 0;
  snprintf(want, sizeof want, "%s:%u", srv->host, srv->port);
  snprintf(local, sizeof local, "localhost:%u", srv->port);
  return !strcmp(host, want) || !strcasecmp(host, local);
}

/* Refuses the request in progress with `status`, telling on_reject. */
static enum MHD_Result refuse(ieum_http_server *srv, struct MHD_Connection *conn, request_state *rs, const char *method,
                              const char *url, int status, const char *msg)
{
  rs->refused = 1;
  if (srv->on_reject)
    srv->on_reject(status, method, url, rs->client, msg, srv->auth_payload);
  return answer_error(conn, status, msg);
}

/* The peer's address as text into buf (INET_ADDRSTRLEN bytes); "?" when unknown. */
static void client_address(struct MHD_Connection *conn, char *buf)
{
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(buf, INET_ADDRSTRLEN, "?");
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf, INET_ADDRSTRLEN);
}

/* An unlinked temporary file in dir for a streamed upload; -1 on failure. */
static int upload_file(const char *dir)
{
  int fd = -1;
#ifdef O_TMPFILE
  if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
    return fd;
#endif
  char path[4096];
  if (snprintf(path, sizeof path, "%s/ieum-upload-XXXXXX", dir) >= (int)sizeof path)
    return -1;
  fd = mkostemp(path, O_CLOEXEC);
  if (fd >= 0)
    unlink(path);
  return fd;
}

/* Appends upload data to the request's body: memory or the upload file.  0, or a status to refuse with. */
static int take_body(ieum_http_server *srv, request_state *rs, const char *data, size_t n)
{
  if (rs->fd >= 0) {
    if (rs->flen + n > srv->max_upload)
      return 413;
    for (size_t done = 0; done < n;) {
      ssize_t k = write(rs->fd, data + done, n - done);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        return 507;
      done += (size_t)k;
    }
    rs->flen += n;
    return 0;
  }
  if (rs->len + n > srv->max_body)
    return 413;
  if (rs->len + n + 1 > rs->cap) {
    size_t cap = rs->cap ? rs->cap : 4096;
    while (cap < rs->len + n + 1)
      cap *= 2;
    char *p = realloc(rs->body, cap);
    if (!p)
      return 503;
    rs->body = p;
    rs->cap = cap;
  }
  memcpy(rs->body + rs->len, data, n);
  rs->len += n;
  rs->body[rs->len] = '\0';
  return 0;
}

static const char *status_text(int status)
{
  return status == 413 ? "request body too large" : status == 507 ? "cannot store the upload (disk full?)"
                                                                  : "out of memory";
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
  ieum_http_server *srv = cls;
  request_state *rs = *con_cls;
  (void)version;
  if (!rs) {
    if (!(rs = calloc(1, sizeof *rs)))
      return MHD_NO;
    rs->fd = -1;
    *con_cls = rs;
    client_address(conn, rs->client);
    const char *tok = request_token(conn);
    if (!srv->any_host && !host_ok(srv, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
      return refuse(srv, conn, rs, method, url, 403,
                    "this server answers only requests addressed to it (Host header)");
    if (srv->auth) {
      char msg[256] = "not allowed";
      int st = srv->auth(&rs->principal, tok, method, url, srv->auth_payload, msg, sizeof msg);
      if (st)
        return refuse(srv, conn, rs, method, url, st, msg);
    } else if (!tok || !ieum_http__token_equal(tok, strlen(tok), srv->token, srv->token_len)) {
      return refuse(srv, conn, rs, method, url, 401, "missing or wrong token: use the URL the command printed");
    }
    int streamed = srv->upload_prefix && !strncmp(url, srv->upload_prefix, strlen(srv->upload_prefix));
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > (streamed ? srv->max_upload : srv->max_body))
      return refuse(srv, conn, rs, method, url, 413, "request body too large");
    if (streamed && (rs->fd = upload_file(srv->upload_dir)) < 0)
      return refuse(srv, conn, rs, method, url, 507, "cannot make a file for the upload");
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (rs->refused)
      return MHD_YES;
    int st = take_body(srv, rs, upload_data, n);
    if (st == 503)
      return MHD_NO;
    if (st)
      return refuse(srv, conn, rs, method, url, st, status_text(st));
    return MHD_YES;
  }
  if (rs->refused)
    return MHD_YES;
  if (rs->fd >= 0 && lseek(rs->fd, 0, SEEK_SET) != 0)
    return refuse(srv, conn, rs, method, url, 507, "cannot read the upload back");
  ieum_http_request req = { method, url, rs->body ? rs->body : "", rs->len, conn, rs->principal, rs->fd, rs->flen,
                            rs->client };
  ieum_http_response res = { 500, NULL, 0, NULL, -1, 0 };
  srv->handler(&res, &req, srv->payload);
  return queue(conn, &res);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
  (void)cls;
  (void)conn;
  (void)toe;
  request_state *rs = *con_cls;
  if (rs) {
    if (rs->fd >= 0)
      close(rs->fd); /* unlinked: a client gone mid-upload leaves nothing */
    free(rs->body);
    free(rs);
    *con_cls = NULL;
  }
}

/* MHD's own diagnostics (a socket error) are not ours to print: the start failure says what matters. */
static void quiet_log(void *cls, const char *fmt, va_list ap)
{
  (void)cls;
  (void)fmt;
  (void)ap;
}

int ieum_http__start(ieum_http_server **out, const ieum_http_options *opts, ieum_http_handler handler,
                     void *payload, char *err, size_t errlen)
{
  struct sockaddr_in addr;
  ieum_http_server *srv = NULL;
  int rc = 0;
  *out = NULL;
  if (!(srv = calloc(1, sizeof *srv))) {
    snprintf(err, errlen, "out of memory");
    return HTTP_ENOMEM;
  }
  const char *host = opts && opts->host ? opts->host : "127.0.0.1";
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)(opts ? opts->port : 0));
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1 || (opts && opts->port > 65535)) {
    snprintf(err, errlen, "'%s' port %u: not an IPv4 address and port", host, opts ? opts->port : 0);
    rc = HTTP_EINVAL;
    goto done;
  }
  snprintf(srv->host, sizeof srv->host, "%s", host);
  if (opts && opts->token && !opts->auth) {
    size_t n = strlen(opts->token);
    if (n < 16 || n >= sizeof srv->token) {
      snprintf(err, errlen, "a token must have 16 to %zu characters", sizeof srv->token - 1);
      rc = HTTP_EINVAL;
      goto done;
    }
    memcpy(srv->token, opts->token, n + 1);
  } else {
    unsigned char raw[IEUM_HTTP_TOKEN_HEX / 2];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
      snprintf(err, errlen, "cannot read random bytes for the token: %s", strerror(errno));
      rc = HTTP_EIO;
      goto done;
    }
    for (size_t i = 0; i < sizeof raw; i++)
      snprintf(srv->token + 2 * i, 3, "%02x", raw[i]);
  }
  srv->token_len = strlen(srv->token);
  srv->max_body = opts && opts->max_body ? opts->max_body : IEUM_HTTP_MAX_BODY;
  srv->handler = handler;
  srv->payload = payload;
  if (opts) {
    srv->any_host = opts->any_host;
    srv->auth = opts->auth;
    srv->auth_payload = opts->auth_payload;
    srv->on_reject = opts->on_reject;
    srv->max_upload = opts->max_upload ? opts->max_upload : IEUM_HTTP_MAX_UPLOAD;
    if (opts->upload_prefix) {
      const char *dir = opts->upload_dir ? opts->upload_dir : getenv("TMPDIR");
      srv->upload_prefix = strdup(opts->upload_prefix);
      srv->upload_dir = strdup(dir && *dir ? dir : "/tmp");
      if (!srv->upload_prefix || !srv->upload_dir) {
        snprintf(err, errlen, "out of memory");
        rc = HTTP_ENOMEM;
        goto done;
      }
    }
  }
  unsigned threads = opts && opts->threads > 1 ? opts->threads : 1;
  unsigned limit = opts && opts->max_connections ? opts->max_connections : HTTP_CONNECTION_LIMIT;
  srv->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (threads > 1 ? MHD_USE_POLL : 0),
                                 0, NULL, NULL, access_cb, srv,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONNECTION_TIMEOUT,
                                 MHD_OPTION_CONNECTION_LIMIT, limit,
                                 MHD_OPTION_THREAD_POOL_SIZE, threads,
                                 MHD_OPTION_LISTEN_BACKLOG_SIZE, limit,
                                 MHD_OPTION_EXTERNAL_LOGGER, quiet_log, NULL, MHD_OPTION_END);
  if (!srv->daemon) {
    snprintf(err, errlen, "cannot listen on %s port %u (in use, or not an address of this machine)", host,
             opts ? opts->port : 0);
    rc = HTTP_EIO;
    goto done;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = info ? info->port : (opts ? opts->port : 0);
  *out = srv;
  srv = NULL;
done:
  ieum_http__stop(srv);
  return rc;
}

void ieum_http__stop(ieum_http_server *srv)
{
  if (!srv)
    return;
  if (srv->daemon)
    MHD_stop_daemon(srv->daemon);
  free(srv->upload_prefix);
  free(srv->upload_dir);
  free(srv);
}

unsigned ieum_http__port(const ieum_http_server *srv)
{
  return srv->port;
}

const char *ieum_http__token(const ieum_http_server *srv)
{
  return srv->token;
}
