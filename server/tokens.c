/*
** server/tokens.c: who may use `ieum serve`: the token list.
**
** A token file holds one "NAME SCOPE TOKEN" line per user, SCOPE read or
** write; it is read once at start and must be private to its owner (mode
** 0600 or stricter: the tokens are passwords).  Lookup compares the
** request's token with every entry in time that depends only on the
** lengths (ieum_http__token_equal()), so timing tells nothing of where a
** guess went wrong.  Cost: a few entries, linear lookup.
** Not here: when a scope is needed (serve.c), the HTTP side (util/http.c).
*/
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server_int.h"

/* A token is 16 to 127 printable ASCII characters other than space. */
#define TOKEN_MIN 16
#define TOKEN_MAX 127
#define LINE_MAX_BYTES 1024

static int token_ok(const char *t)
{
  size_t n = strlen(t);
  if (n < TOKEN_MIN || n > TOKEN_MAX)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (t[i] <= ' ' || t[i] > '~')
      return 0;
  return 1;
}

int ieum_serve__tokens_add(ieum_serve_tokens *t, const char *name, const char *token, int scope)
{
  if (!token_ok(token))
    return IEUM_EINVAL;
  ieum_serve_token *v = realloc(t->v, (t->n + 1) * sizeof *v);
  if (!v)
    return IEUM_ENOMEM;
  t->v = v;
  v[t->n].name = strdup(name);
  v[t->n].token = strdup(token);
  v[t->n].scope = scope;
  v[t->n].hashed = 0;
  if (!v[t->n].name || !v[t->n].token) {
    free(v[t->n].name);
    free(v[t->n].token);
    return IEUM_ENOMEM;
  }
  t->n++;
  return 0;
}

void ieum_serve__tokens_dispose(ieum_serve_tokens *t)
{
  for (size_t i = 0; i < t->n; i++) {
    free(t->v[i].name);
    if (t->v[i].token)
      memset(t->v[i].token, 0, strlen(t->v[i].token));
    free(t->v[i].token);
  }
  free(t->v);
  t->v = NULL;
  t->n = 0;
}

const ieum_serve_token *ieum_serve__tokens_find(const ieum_serve_tokens *t, const char *token)
{
  const ieum_serve_token *hit = NULL;
  char hash[33];
  if (!token)
    return NULL;
  size_t n = strlen(token);
  ieum_tm_hash(hash, token, n, NULL, 0);
  for (size_t i = 0; i < t->n; i++) { /* no early exit: every entry is compared */
    const char *want = t->v[i].hashed ? hash : token;
    if (ieum_http__token_equal(want, strlen(want), t->v[i].token, strlen(t->v[i].token)) && !hit)
      hit = &t->v[i];
  }
  return hit;
}

typedef struct {
  ieum_serve_tokens *t;
  char *err;
  size_t errlen;
} tm_tokens;

static int take_setting(const char *key, const char *value, void *payload)
{
  tm_tokens *tt = payload;
  const char *name = key + strlen(TM_TOKEN_PREFIX);
  char scope[8], hash[40];
  if (sscanf(value, "%7s %39s", scope, hash) != 2 || strlen(hash) != 32 ||
      (strcmp(scope, "read") && strcmp(scope, "write"))) {
    snprintf(tt->err, tt->errlen, "TM setting %s: expected 'read|write HASH'", key);
    return IEUM_EPARSE;
  }
  ieum_serve_tokens *t = tt->t;
  ieum_serve_token *v = realloc(t->v, (t->n + 1) * sizeof *v);
  if (!v)
    return IEUM_ENOMEM;
  t->v = v;
  v[t->n].name = strdup(name);
  v[t->n].token = strdup(hash);
  v[t->n].scope = !strcmp(scope, "write") ? IEUM_SERVE_WRITE : IEUM_SERVE_READ;
  v[t->n].hashed = 1;
  if (!v[t->n].name || !v[t->n].token) {
    free(v[t->n].name);
    free(v[t->n].token);
    return IEUM_ENOMEM;
  }
  t->n++;
  return 0;
}

int ieum_serve__tokens_from_tm(ieum_serve_tokens *out, ieum_tm *tm, char *err, size_t errlen)
{
  tm_tokens tt = { out, err, errlen };
  memset(out, 0, sizeof *out);
  int rc = ieum_tm_foreach_setting(tm, TM_TOKEN_PREFIX, take_setting, &tt);
  if (rc) {
    if (rc != IEUM_EPARSE) {
      const ieum_error *e = ieum_error_last();
      snprintf(err, errlen, "%s", rc == IEUM_ENOMEM ? "out of memory" : e && e->message ? e->message : ieum_strerror(rc));
    }
    ieum_serve__tokens_dispose(out);
  }
  return rc;
}

/* The next white-space separated field of *p, NUL-terminated in place, or NULL. */
static char *field(char **p)
{
  char *s = *p;
  while (*s == ' ' || *s == '\t')
    s++;
  if (!*s)
    return NULL;
  char *e = s;
  while (*e && *e != ' ' && *e != '\t')
    e++;
  if (*e)
    *e++ = '\0';
  *p = e;
  return s;
}

int ieum_serve__tokens_load(ieum_serve_tokens *out, const char *path, char *err, size_t errlen)
{
  char line[LINE_MAX_BYTES + 2];
  struct stat st;
  long lineno = 0;
  int rc = 0;
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return errno == ENOENT ? IEUM_ENOTFOUND : IEUM_EIO;
  }
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: not a regular file", path);
    rc = IEUM_EIO;
    goto done;
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    snprintf(err, errlen, "%s: readable by others (mode %03o): the tokens are passwords; chmod 600 it", path,
             (unsigned)(st.st_mode & 0777));
    rc = IEUM_EINVAL;
    goto done;
  }
  while (fgets(line, sizeof line, f)) {
    lineno++;
    size_t len = strlen(line);
    if (len > LINE_MAX_BYTES) {
      snprintf(err, errlen, "%s:%ld: line too long", path, lineno);
      rc = IEUM_EPARSE;
      goto done;
    }
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    char *p = line, *name = field(&p);
    if (!name || name[0] == '#')
      continue;
    char *scope = field(&p), *token = field(&p), *extra = field(&p);
    if (!scope || !token || extra) {
      snprintf(err, errlen, "%s:%ld: expected NAME SCOPE TOKEN", path, lineno);
      rc = IEUM_EPARSE;
      goto done;
    }
    int sc = !strcmp(scope, "read") ? IEUM_SERVE_READ : !strcmp(scope, "write") ? IEUM_SERVE_WRITE : 0;
    if (!sc) {
      snprintf(err, errlen, "%s:%ld: scope '%s': read or write", path, lineno, scope);
      rc = IEUM_EPARSE;
      goto done;
    }
    if (!token_ok(token)) {
      snprintf(err, errlen, "%s:%ld: a token is %d to %d printable characters", path, lineno, TOKEN_MIN, TOKEN_MAX);
      rc = IEUM_EPARSE;
      goto done;
    }
    for (size_t i = 0; i < out->n; i++)
      if (!strcmp(out->v[i].token, token) || !strcmp(out->v[i].name, name)) {
        snprintf(err, errlen, "%s:%ld: %s given twice", path, lineno,
                 !strcmp(out->v[i].name, name) ? "the name" : "the token");
        rc = IEUM_EPARSE;
        goto done;
      }
    if ((rc = ieum_serve__tokens_add(out, name, token, sc)) != 0) {
      snprintf(err, errlen, "out of memory");
      goto done;
    }
  }
  if (ferror(f)) {
    snprintf(err, errlen, "%s: read error", path);
    rc = IEUM_EIO;
  } else if (out->n == 0) {
    snprintf(err, errlen, "%s: no token in the file", path);
    rc = IEUM_EINVAL;
  }
done:
  memset(line, 0, sizeof line);
  fclose(f);
  if (rc)
    ieum_serve__tokens_dispose(out);
  return rc;
}
