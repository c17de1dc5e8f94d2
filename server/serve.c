/*
** server/serve.c: `ieum serve`: a TM behind an HTTP JSON API (server_int.h).
**
** Start: the write handle is opened first (creating the TM when missing,
** migrating an old one), the tokens loaded, then the HTTP daemon started
** with a pool of threads.  Each pool thread gets its own read handle the
** first time it answers (a thread-specific key; every handle is also kept
** in a list, so stop closes them all after the daemon's threads are gone),
** so a search costs no open and takes no lock: SQLite's WAL and
** PostgreSQL's MVCC let readers run beside the writer.  A read handle whose
** connection broke (ieum_tm_connection_ok(): a terminated backend, a
** restarted server) is opened again before the request, and so is the
** write handle.  Writes share one handle under a mutex; each request's
** writes are one transaction.  The auth callback maps a token to its entry
** and refuses a read token on a write route (403), a missing or unknown
** token (401); every refusal is logged with the client's address (never
** the token).
** Cost: one TM handle per thread, plus the writer.
** Not here: the routes (api.c), the token file (tokens.c).
*/
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "server_int.h"

/* At least this many HTTP threads; by default twice the cores (a search is CPU, an export is I/O). */
#define SERVE_MIN_THREADS 4
/* Connections at once: the 50 clients of a team and some. */
#define SERVE_MAX_CONNECTIONS 512

struct ieum_serve {
  char *tm_name;
  char *shown_name;   /* tm_name without a URI's password */
  ieum_http_server *http;
  ieum_serve_tokens tokens;
  char made_token[IEUM_HTTP_TOKEN_HEX + 1];
  int made;
  pthread_key_t key;
  int key_made;
  pthread_mutex_t readers_lock;
  ieum_tm **readers;
  size_t n_readers;
  pthread_mutex_t writer_lock;
  ieum_tm *writer;
  pthread_mutex_t log_lock;
  FILE *log;
};

void ieum_serve__log(ieum_serve *s, const char *fmt, ...)
{
  char when[32];
  time_t now = time(NULL);
  struct tm tmv;
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&s->log_lock);
  fprintf(s->log, "ieum serve: %s ", when);
  vfprintf(s->log, fmt, ap);
  fputc('\n', s->log);
  fflush(s->log);
  pthread_mutex_unlock(&s->log_lock);
  va_end(ap);
}

/* GET and HEAD read; every other method writes. */
static int needs_write(const char *method)
{
  return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static int authorize(const void **principal, const char *token, const char *method, const char *path, void *payload,
                     char *msg, size_t msglen)
{
  ieum_serve *s = payload;
  (void)path;
  const ieum_serve_token *t = ieum_serve__tokens_find(&s->tokens, token);
  if (!t) {
    snprintf(msg, msglen, "%s token: send 'Authorization: Bearer TOKEN'", token ? "unknown" : "missing");
    return 401;
  }
  if (needs_write(method) && t->scope != IEUM_SERVE_WRITE) {
    snprintf(msg, msglen, "the token of '%s' may only read", t->name);
    return 403;
  }
  *principal = t;
  return 0;
}

static void rejected(int status, const char *method, const char *path, const char *client, const char *why,
                     void *payload)
{
  ieum_serve__log(payload, "refused %d %s %s from %s: %s", status, method, path, client, why);
}

int ieum_serve__reader(ieum_tm **out, ieum_serve *s)
{
  ieum_tm *old = pthread_getspecific(s->key), *tm = NULL;
  if (old && ieum_tm_connection_ok(old)) {
    *out = old;
    return 0;
  }
  int rc = ieum_tm_open(&tm, s->tm_name, IEUM_TM_READ);
  if (rc)
    return rc; /* a broken handle stays, to be tried again by the next request */
  ieum_tm **v = NULL;
  pthread_mutex_lock(&s->readers_lock);
  if (old) { /* its connection broke: the new handle takes its place */
    for (size_t i = 0; i < s->n_readers; i++)
      if (s->readers[i] == old)
        s->readers[i] = tm;
    v = s->readers;
  } else if ((v = realloc(s->readers, (s->n_readers + 1) * sizeof *v)) != NULL) {
    s->readers = v;
    v[s->n_readers++] = tm;
  }
  pthread_mutex_unlock(&s->readers_lock);
  if (old) {
    ieum_serve__log(s, "reopened a read handle: its connection to %s was lost", s->shown_name);
    ieum_tm_free(old);
  }
  if (!v || pthread_setspecific(s->key, tm) != 0) {
    if (!v)
      ieum_tm_free(tm);
    return IEUM_ENOMEM;
  }
  *out = tm;
  return 0;
}

ieum_tm *ieum_serve__writer(ieum_serve *s)
{
  pthread_mutex_lock(&s->writer_lock);
  if (!ieum_tm_connection_ok(s->writer)) {
    /* Its connection broke, as a reader's can: a new handle takes its place.  When none can be
       opened (the database still down) the old one stays and this request's writes fail. */
    ieum_tm *tm = NULL;
    if (ieum_tm_open(&tm, s->tm_name, IEUM_TM_WRITE) == 0) {
      ieum_tm_free(s->writer);
      s->writer = tm;
      ieum_serve__log(s, "reopened the write handle: its connection to %s was lost", s->shown_name);
    }
  }
  return s->writer;
}

void ieum_serve__writer_done(ieum_serve *s)
{
  pthread_mutex_unlock(&s->writer_lock);
}

const char *ieum_serve__tm_name(const ieum_serve *s)
{
  return s->shown_name;
}

/* name without the password of a URI's user:password@ part (a copy), for what is printed. */
static char *without_password(const char *name)
{
  char *out = strdup(name);
  const char *start = strstr(name, "://");
  if (!out || !start)
    return out;
  start += 3;
  const char *at = strchr(start, '@'), *slash = strchr(start, '/');
  const char *colon = at && (!slash || at < slash) ? memchr(start, ':', (size_t)(at - start)) : NULL;
  if (colon)
    memmove(out + (colon - name), out + (at - name), strlen(at) + 1);
  return out;
}

unsigned ieum_serve__port(const ieum_serve *s)
{
  return ieum_http__port(s->http);
}

const char *ieum_serve__made_token(const ieum_serve *s)
{
  return s->made ? s->made_token : NULL;
}

static int make_token(ieum_serve *s, char *err, size_t errlen)
{
  unsigned char raw[IEUM_HTTP_TOKEN_HEX / 2];
  if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
    snprintf(err, errlen, "cannot read random bytes for a token");
    return IEUM_EIO;
  }
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(s->made_token + 2 * i, 3, "%02x", raw[i]);
  s->made = 1;
  if (ieum_serve__tokens_add(&s->tokens, "owner", s->made_token, IEUM_SERVE_WRITE) != 0) {
    snprintf(err, errlen, "out of memory");
    return IEUM_ENOMEM;
  }
  return 0;
}

/* A user name for the TM's settings: letters, digits, '-', '_', '.', '@', 1 to 64 of them. */
static int name_ok(const char *name)
{
  size_t n = name ? strlen(name) : 0;
  if (n == 0 || n > 64)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.' || c == '@'))
      return 0;
  }
  return 1;
}

static int lib_message(int rc, char *err, size_t errlen)
{
  const ieum_error *e = ieum_error_last();
  snprintf(err, errlen, "%s", e && e->message ? e->message : ieum_strerror(rc));
  return rc;
}

/* Sets (value) or removes (NULL) the setting of user `name` in the TM at `path`, in one transaction. */
static int put_user(const char *path, const char *name, const char *value, char *err, size_t errlen)
{
  char key[128];
  ieum_tm *tm = NULL;
  snprintf(key, sizeof key, TM_TOKEN_PREFIX "%s", name);
  int rc = ieum_tm_open(&tm, path, value ? IEUM_TM_CREATE : IEUM_TM_WRITE);
  if (rc == 0 && !value) {
    ieum_serve_tokens t;
    if ((rc = ieum_serve__tokens_from_tm(&t, tm, err, errlen)) != 0) {
      ieum_tm_free(tm);
      return rc;
    }
    int found = 0;
    for (size_t i = 0; i < t.n; i++)
      found |= !strcmp(t.v[i].name, name);
    ieum_serve__tokens_dispose(&t);
    if (!found) {
      ieum_tm_free(tm);
      snprintf(err, errlen, "%s: no user '%s' kept in the TM", path, name);
      return IEUM_ENOTFOUND;
    }
  }
  if (rc == 0 && (rc = ieum_tm_begin(tm)) == 0) {
    if ((rc = ieum_tm_set_setting(tm, key, value)) == 0)
      rc = ieum_tm_commit(tm);
    if (rc)
      ieum_tm_rollback(tm);
  }
  if (rc)
    lib_message(rc, err, errlen);
  ieum_tm_free(tm);
  return rc;
}

int ieum_serve__token_store(char out[33], const char *path, const char *name, const char *scope, char *err,
                            size_t errlen)
{
  unsigned char raw[16];
  char value[64], hash[33];
  if (!name_ok(name)) {
    snprintf(err, errlen, "'%s': a user name is 1 to 64 letters, digits, '-', '_', '.' or '@'", name ? name : "");
    return IEUM_EINVAL;
  }
  if (strcmp(scope, "read") && strcmp(scope, "write")) {
    snprintf(err, errlen, "scope '%s': read or write", scope);
    return IEUM_EINVAL;
  }
  if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
    snprintf(err, errlen, "cannot read random bytes for a token");
    return IEUM_EIO;
  }
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(out + 2 * i, 3, "%02x", raw[i]);
  ieum_tm_hash(hash, out, strlen(out), NULL, 0);
  snprintf(value, sizeof value, "%s %s", scope, hash);
  int rc = put_user(path, name, value, err, errlen);
  if (rc)
    memset(out, 0, 33);
  return rc;
}

int ieum_serve__token_remove(const char *path, const char *name, char *err, size_t errlen)
{
  if (!name_ok(name)) {
    snprintf(err, errlen, "'%s': not a user name", name ? name : "");
    return IEUM_EINVAL;
  }
  return put_user(path, name, NULL, err, errlen);
}

int ieum_serve__token_list(FILE *f, const char *path, char *err, size_t errlen)
{
  ieum_tm *tm = NULL;
  ieum_serve_tokens t;
  int rc = ieum_tm_open(&tm, path, IEUM_TM_READ);
  if (rc)
    return lib_message(rc, err, errlen);
  if ((rc = ieum_serve__tokens_from_tm(&t, tm, err, errlen)) == 0) {
    for (size_t i = 0; i < t.n; i++)
      fprintf(f, "%s\t%s\n", t.v[i].name, t.v[i].scope == IEUM_SERVE_WRITE ? "write" : "read");
    ieum_serve__tokens_dispose(&t);
  }
  ieum_tm_free(tm);
  return rc;
}

int ieum_serve__start(ieum_serve **out, const ieum_serve_options *o, char *err, size_t errlen)
{
  int rc = 0;
  *out = NULL;
  ieum_serve *s = calloc(1, sizeof *s);
  if (!s || !(s->tm_name = strdup(o->tm)) || !(s->shown_name = without_password(o->tm))) {
    if (s)
      free(s->tm_name);
    free(s);
    snprintf(err, errlen, "out of memory");
    return IEUM_ENOMEM;
  }
  pthread_mutex_init(&s->readers_lock, NULL);
  pthread_mutex_init(&s->writer_lock, NULL);
  pthread_mutex_init(&s->log_lock, NULL);
  s->log = o->log ? o->log : stderr;
  if (pthread_key_create(&s->key, NULL) != 0) {
    snprintf(err, errlen, "out of memory");
    rc = IEUM_ENOMEM;
    goto done;
  }
  s->key_made = 1;
  if ((rc = ieum_tm_open(&s->writer, o->tm, IEUM_TM_CREATE)) != 0) {
    const ieum_error *e = ieum_error_last();
    snprintf(err, errlen, "%s", e && e->message ? e->message : ieum_strerror(rc));
    goto done;
  }
  if (o->tokens_path)
    rc = ieum_serve__tokens_load(&s->tokens, o->tokens_path, err, errlen);
  else if ((rc = ieum_serve__tokens_from_tm(&s->tokens, s->writer, err, errlen)) == 0 && s->tokens.n == 0)
    rc = make_token(s, err, errlen); /* no user kept in the TM either */
  if (rc)
    goto done;
  unsigned threads = o->threads;
  if (!threads) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cores > 0 ? 2 * (unsigned)cores : SERVE_MIN_THREADS;
    if (threads < SERVE_MIN_THREADS)
      threads = SERVE_MIN_THREADS;
  }
  ieum_http_options ho = { 0 };
  ho.host = o->host;
  ho.port = o->port;
  ho.max_body = o->max_body ? o->max_body : IEUM_SERVE_MAX_BODY;
  ho.threads = threads;
  ho.max_connections = SERVE_MAX_CONNECTIONS;
  /* Off loopback, clients name the server as they know it; the tokens guard it. */
  ho.any_host = o->host && strcmp(o->host, "127.0.0.1") != 0;
  ho.auth = authorize;
  ho.auth_payload = s;
  ho.on_reject = rejected;
  ho.upload_prefix = IEUM_SERVE_UPLOAD_PREFIX;
  ho.max_upload = o->max_upload;
  rc = ieum_http__start(&s->http, &ho, ieum_serve__handle, s, err, errlen);
done:
  if (rc) {
    ieum_serve__stop(s);
    return rc;
  }
  *out = s;
  return 0;
}

void ieum_serve__stop(ieum_serve *s)
{
  if (!s)
    return;
  ieum_http__stop(s->http); /* waits for the pool's threads: no reader is in use after this */
  for (size_t i = 0; i < s->n_readers; i++)
    ieum_tm_free(s->readers[i]);
  free(s->readers);
  ieum_tm_free(s->writer);
  if (s->key_made)
    pthread_key_delete(s->key);
  ieum_serve__tokens_dispose(&s->tokens);
  pthread_mutex_destroy(&s->readers_lock);
  pthread_mutex_destroy(&s->writer_lock);
  pthread_mutex_destroy(&s->log_lock);
  memset(s->made_token, 0, sizeof s->made_token);
  free(s->tm_name);
  free(s->shown_name);
  free(s);
}
