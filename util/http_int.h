/*
** util/http_int.h: a small local HTTP server for ieum's web front ends.
**
** One GNU libmicrohttpd daemon, listening on 127.0.0.1 (or a given IPv4
** address) at a given port or a free one, with one internal thread that
** calls a single handler per complete request.  Every request must carry
** the server's token, checked in constant time before the handler runs:
** as the header "X-Ieum-Token: T", "Authorization: Bearer T" or the query
** argument "token=T"; a missing or wrong one gets 401 {"error": ...}.  A
** request body longer than opts.max_body gets 413 without being read
** further.  Responses are built with the helpers below: JSON (json-c)
** with a status, errors as {"error": {"status": N, "message": "..."}},
** or any bytes with a content type.  Every response carries
** Cache-Control: no-store, X-Content-Type-Options: nosniff and a
** Content-Security-Policy that allows no network access beyond the
** server itself.
**
**   ieum_http_server { daemon ── MHD, one polling thread
**                      token  ── 32 hex digits (16 random bytes) or the caller's
**                      handler(payload) ── called for each authorized request }
**
** Threads: by default the handler always runs on the daemon's one thread,
** so what it uses (a TM handle) needs no locking; with opts.threads > 1 a
** pool of that many threads polls and answers, and the handler runs on
** any of them at once (the TM server: one TM handle per thread).
** Servers with users (the TM server) give opts.auth instead of one
** token: it decides for every request and names who asks
** (req->principal); refused requests are told to opts.on_reject for the
** log.  Requests under opts.upload_prefix have their body streamed to an
** unlinked temporary file (req->upload_fd) instead of memory, up to
** opts.max_upload; a client that goes away mid-upload leaves nothing.
** A response may be an open file (ieum_http__file()), sent from the
** descriptor without reading it into memory.  Cost: a thread (or
** opts.threads) and a socket.
** Like outpath.c this file uses only libc, libmicrohttpd and json-c (no
** ieum error state), so every program that serves compiles it in: the
** library itself never links libmicrohttpd.  Errors are returned as
** negative IEUM_E* codes with a message written to the caller's buffer.
** Not here: routes (review/ and server/ own theirs).
*/
#ifndef IEUM_HTTP_INT_H
#define IEUM_HTTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

typedef struct ieum_http_server ieum_http_server;

/* One request as the handler sees it; every pointer is borrowed for the call. */
typedef struct {
  const char *method;   /* "GET", "POST", ... */
  const char *path;     /* the URL's path, without the query ("/api/documents") */
  const char *body;     /* the request body (NUL-terminated copy), "" when none */
  size_t body_len;      /* bytes of body */
  void *conn;           /* the MHD connection, for ieum_http__query() and ieum_http__header() */
  const void *principal;  /* what opts.auth said of the caller (NULL without auth) */
  int upload_fd;          /* under opts.upload_prefix: the body in an unlinked file, at offset 0; else -1 */
  uint64_t upload_len;    /* bytes in upload_fd */
  const char *client;     /* the peer's IPv4 address ("127.0.0.1") */
} ieum_http_request;

/* What the handler answers; fill it with the helpers below (which free what was there). */
typedef struct {
  int status;                /* HTTP status */
  char *body;                /* malloc'd bytes; the server frees them */
  size_t len;                /* bytes of body */
  const char *content_type;  /* static text */
  int fd;                    /* with fd_set: send this open file (`len` bytes from offset 0) instead of
                                body, and close it (ieum_http__file()) */
  int fd_set;                /* 1: fd is the answer */
} ieum_http_response;

/* Answers `req` in `res`; the return value is ignored (set res->status instead). */
typedef void (*ieum_http_handler)(ieum_http_response *res, const ieum_http_request *req, void *payload);

/*
** Decides whether a request may go on before its body is read: `token` is
** what the request carries (NULL: none).  Returns 0 and sets *principal
** (handed to the handler as req->principal), or an HTTP status (401, 403)
** with the reason in msg[msglen].  Runs on any server thread.
*/
typedef int (*ieum_http_auth_cb)(const void **principal, const char *token, const char *method, const char *path,
                                 void *payload, char *msg, size_t msglen);

/* Told of every request refused before the handler ran: its status and why (borrowed for the call). */
typedef void (*ieum_http_reject_cb)(int status, const char *method, const char *path, const char *client,
                                    const char *why, void *payload);

typedef struct {
  const char *host;      /* IPv4 address to listen on; NULL = "127.0.0.1" */
  unsigned port;         /* 0 = a free port chosen by the system */
  size_t max_body;       /* longest request body accepted, bytes; 0 = IEUM_HTTP_MAX_BODY */
  const char *token;     /* NULL = 16 random bytes in hex; else this (at least 16 characters); unused with auth */
  unsigned threads;      /* 0 or 1: one polling thread; N: a pool of N threads */
  unsigned max_connections;  /* connections at once; 0 = 64 */
  int any_host;          /* 1: accept any Host header (a server for a network, behind its tokens) */
  ieum_http_auth_cb auth;    /* NULL: the one token above */
  void *auth_payload;        /* passed to auth and on_reject */
  ieum_http_reject_cb on_reject;  /* NULL: refusals are not told */
  const char *upload_prefix; /* requests whose path starts with this stream their body to a file; NULL: none */
  const char *upload_dir;    /* where those files are made (and unlinked at once); NULL = $TMPDIR or /tmp */
  uint64_t max_upload;       /* longest streamed body, bytes; 0 = IEUM_HTTP_MAX_UPLOAD */
} ieum_http_options;

/* Longest streamed upload by default (a TMX file of a few million units). */
#define IEUM_HTTP_MAX_UPLOAD ((uint64_t)4 << 30)

/* Longest request body accepted by default: far above any review operation, far below memory. */
#define IEUM_HTTP_MAX_BODY (1024 * 1024)

/* Length of a generated token in hex digits. */
#define IEUM_HTTP_TOKEN_HEX 32

/*
** Starts a server: *out owns the daemon (stop it with ieum_http__stop()).
** Errors, with a message in err[errlen]: IEUM_EINVAL (a bad host or a
** short token), IEUM_EIO (the port is taken, no random bytes),
** IEUM_ENOMEM.  On failure *out is NULL.
*/
int ieum_http__start(ieum_http_server **out, const ieum_http_options *opts, ieum_http_handler handler,
                     void *payload, char *err, size_t errlen);

/* Stops the daemon (waiting for the request in progress) and frees the server; NULL is a no-op. */
void ieum_http__stop(ieum_http_server *srv);

/* The port listened on. */
unsigned ieum_http__port(const ieum_http_server *srv);

/* The token (borrowed: lives as long as srv). */
const char *ieum_http__token(const ieum_http_server *srv);

/* A query argument of the request, or NULL (borrowed for the call). */
const char *ieum_http__query(const ieum_http_request *req, const char *name);

/* A request header, or NULL (borrowed for the call). */
const char *ieum_http__header(const ieum_http_request *req, const char *name);

/* 1 when a[0..alen) equals b[0..blen), in time depending only on the lengths. */
int ieum_http__token_equal(const char *a, size_t alen, const char *b, size_t blen);

/*
** res := `obj` as JSON with `status` (application/json; charset=utf-8).
** Takes `obj` (json_object_put), also on failure; returns 0 or IEUM_ENOMEM
** (res then holds a 500).
*/
int ieum_http__json(ieum_http_response *res, int status, json_object *obj);

/* res := {"error": {"status": status, "message": "..."}} with `status`. */
void ieum_http__error(ieum_http_response *res, int status, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* res := a copy of data[0..len) with `content_type` (static text) and `status`. */
int ieum_http__bytes(ieum_http_response *res, int status, const char *content_type, const char *data, size_t len);

/*
** res := the file open on `fd`, `len` bytes from offset 0, with
** `content_type` (static text) and `status`; the server closes fd (also
** when the client has gone).  Takes fd, also on failure.  Returns 0.
*/
int ieum_http__file(ieum_http_response *res, int status, const char *content_type, int fd, uint64_t len);

/*
** Up to `max` values of query argument `name` (it may be repeated:
** ?q=a&q=b) into out[] (borrowed for the call); returns how many.
*/
size_t ieum_http__query_all(const ieum_http_request *req, const char *name, const char **out, size_t max);

/*
** *out := the request body parsed as a JSON object (the caller puts it),
** or NULL with res set to 400 {"error"} naming what is wrong (not JSON,
** not an object).  Returns 0 or -1.
*/
int ieum_http__body_object(json_object **out, ieum_http_response *res, const ieum_http_request *req);

#endif
