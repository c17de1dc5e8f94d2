/*
** server/server_int.h: what the files of `ieum serve` share (serve.c,
** api.c, tokens.c; cli/cmd_serve.c starts it).
**
** A server is an HTTP daemon (util/http.c, a pool of threads) in front of
** one TM given by name (a file, or a postgresql:// URI: ieum_tm_open()
** decides).  Each pool thread opens its own read handle on first use and
** keeps it until the server stops (no per-request open, no lock between
** readers); writes go through one write handle under a mutex, each
** request's writes one transaction.  Who may do what comes from a token
** list (tokens.c): every request carries a token, read scope for GET,
** write scope for the rest.
**
**   ieum_serve { http ── ieum_http_server (threads)
**                tokens ── ieum_serve_tokens (name, scope, token)
**                readers[] ── one ieum_tm per thread (TLS key), closed at stop
**                writer + lock ── the write handle }
**
** Only the public API (include/ieum.h), util/http.c and json-c are used:
** the server is a front end, like cli/.  Not here: the routes (api.c).
*/
#ifndef IEUM_SERVER_INT_H
#define IEUM_SERVER_INT_H

#include <stdint.h>
#include <stdio.h>

#include <ieum.h>

#include "http_int.h"
#include "serve.h"

/* ---- tokens (tokens.c) ---------------------------------------------------- */

enum { IEUM_SERVE_READ = 1, IEUM_SERVE_WRITE = 2 };

/* The TM settings that hold the users kept in the TM: "serve.token.NAME" = "SCOPE HASH". */
#define TM_TOKEN_PREFIX "serve.token."

typedef struct {
  char *name;    /* who: the log names it */
  char *token;   /* the secret, 16-127 printable ASCII characters; or, when hashed, its ieum_tm_hash() */
  int scope;     /* IEUM_SERVE_READ or IEUM_SERVE_WRITE (write includes read) */
  int hashed;    /* token is the hash of the secret (tokens stored in the TM) */
} ieum_serve_token;

typedef struct {
  ieum_serve_token *v;
  size_t n;
} ieum_serve_tokens;

/*
** Reads a token file: one "NAME SCOPE TOKEN" line per user (SCOPE read or
** write; '#' starts a comment line; blank lines are skipped).  The file
** must not be readable by group or others.  Errors, with "FILE:LINE: what"
** in err[errlen]: IEUM_ENOTFOUND, IEUM_EIO, IEUM_EPARSE (a bad line, a
** short token, a token or name given twice), IEUM_EINVAL (group or world
** readable, no token at all), IEUM_ENOMEM.  On failure *out is empty.
*/
int ieum_serve__tokens_load(ieum_serve_tokens *out, const char *path, char *err, size_t errlen);

/* Adds one token (copied).  Errors: IEUM_EINVAL (short, has spaces), IEUM_ENOMEM. */
int ieum_serve__tokens_add(ieum_serve_tokens *t, const char *name, const char *token, int scope);

/*
** Reads the tokens stored in the TM (settings "serve.token.NAME" =
** "SCOPE HASH", ieum_serve__token_store()) into *out; none is no error.
** Errors, with a message in err[errlen]: IEUM_EDB, IEUM_EPARSE (a bad
** setting), IEUM_ENOMEM.
*/
int ieum_serve__tokens_from_tm(ieum_serve_tokens *out, ieum_tm *tm, char *err, size_t errlen);

/* The entry whose token is `token` (compared in constant time against each), or NULL. */
const ieum_serve_token *ieum_serve__tokens_find(const ieum_serve_tokens *t, const char *token);

void ieum_serve__tokens_dispose(ieum_serve_tokens *t);

/* This thread's read handle, opened on first use.  Errors: ieum_tm_open()'s. */
int ieum_serve__reader(ieum_tm **out, ieum_serve *s);

/* The write handle, locked for the caller until ieum_serve__writer_done(). */
ieum_tm *ieum_serve__writer(ieum_serve *s);
void ieum_serve__writer_done(ieum_serve *s);


/* A line in the log: "ieum serve: TIME " then the message. */
void ieum_serve__log(ieum_serve *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the routes (api.c) --------------------------------------------------- */

/* The request handler: payload is the ieum_serve. */
void ieum_serve__handle(ieum_http_response *res, const ieum_http_request *req, void *payload);

/* The path prefix whose bodies are streamed to a file (TMX uploads). */
#define IEUM_SERVE_UPLOAD_PREFIX "/api/import"

#endif
