/*
** server/serve.h: starting and stopping `ieum serve` (server/serve.c): what
** cli/cmd_serve.c calls, and all it may call of server/.
**
** The server owns its TM handles, its HTTP daemon and its threads; the
** caller gives options, gets a handle, waits for a signal and stops it.
** Not here: what the server shares inside (server_int.h).
*/
#ifndef IEUM_SERVE_H
#define IEUM_SERVE_H

#include <stdint.h>
#include <stdio.h>

typedef struct ieum_serve ieum_serve;

typedef struct {
  const char *tm;           /* the TM: a file name or postgresql://... */
  const char *host;         /* IPv4 address; NULL = 127.0.0.1 */
  unsigned port;            /* 0 = a free one */
  unsigned threads;         /* HTTP threads (each with its own read handle); 0 = 2 x the cores */
  const char *tokens_path;  /* NULL: one write token is made up and printed */
  size_t max_body;          /* longest JSON request, bytes; 0 = IEUM_SERVE_MAX_BODY */
  uint64_t max_upload;      /* longest TMX upload, bytes; 0 = IEUM_HTTP_MAX_UPLOAD */
  FILE *log;                /* refusals and writes, one line each; NULL = stderr */
} ieum_serve_options;

/* Longest JSON request body: 1000 units of long sentences. */
#define IEUM_SERVE_MAX_BODY (8 * 1024 * 1024)

/*
** Opens the TM (created when missing) and starts serving.  Errors with a
** message in err[errlen]: those of ieum_tm_open(), the token file's,
** IEUM_EIO (the port), IEUM_ENOMEM.
*/
int ieum_serve__start(ieum_serve **out, const ieum_serve_options *opts, char *err, size_t errlen);

/* Stops serving (waiting for the requests in progress), closes every handle; NULL is a no-op. */
void ieum_serve__stop(ieum_serve *s);

unsigned ieum_serve__port(const ieum_serve *s);

/* The token made up when no token file was given (borrowed), else NULL. */
const char *ieum_serve__made_token(const ieum_serve *s);

/*
** The users kept in the TM itself, for `ieum serve` without --tokens: a
** token made up for NAME with SCOPE ("read" or "write") stored as its hash
** in TM setting "serve.token.NAME" (replacing NAME's earlier one), the
** token itself written to `out` (33 bytes: it is never stored); or NAME's
** token removed; or each user listed to `f` as NAME<TAB>SCOPE.  Errors
** with a message in err[errlen]: IEUM_EINVAL (a bad name or scope),
** IEUM_ENOTFOUND (no such user to remove), those of ieum_tm_open().
*/
int ieum_serve__token_store(char out[33], const char *tm, const char *name, const char *scope, char *err,
                            size_t errlen);
int ieum_serve__token_remove(const char *tm, const char *name, char *err, size_t errlen);
int ieum_serve__token_list(FILE *f, const char *tm, char *err, size_t errlen);

/* The TM's name as given, a URI's password left out (borrowed). */
const char *ieum_serve__tm_name(const ieum_serve *s);

#endif
