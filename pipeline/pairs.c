/*
** pipeline/pairs.c: the list of document pairs a batch aligns: two
** directory trees paired by file name, a manifest, or pairs given one by one.
**
** Pairing by name walks both trees (at most IEUM_PAIRING_MAX_DEPTH levels,
** names starting with '.' ignored, symbolic links followed only to files
** and only when asked, so that no file outside the trees is read unasked),
** gives every file a pairing name (its relative path with the side's
** language suffix removed: "a.ko.txt" -> "a.txt"), sorts each side by it,
** sets aside names a side holds twice, and merges the two sorted lists.
** What does not pair, links not followed and directories that cannot be
** read become notes (one-line messages) instead of errors: the batch goes
** on without them.  A manifest is read line by line.
** Cost: O(n log n) in the files found; memory: their paths.
** Not here: aligning the pairs (batch.c).
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pipeline_int.h"

typedef struct {
  char **v;
  size_t n, cap;
} str_list;

typedef struct {
  char *src, *tgt;
} pair_path;

struct ieum_pair_list {
  pair_path *v;
  size_t n, cap;
  str_list notes[3]; /* by ieum_note_kind */
};

/* A file found under a directory: its pairing name and its path. */
typedef struct {
  char *key;
  char *path;
} entry;

typedef struct {
  entry *v;
  size_t n, cap;
} entry_list;

/* A new string formatted like printf, or NULL when out of memory. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : ieum__malloc((size_t)n + 1);
  if (!s)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* `dir` joined with `name`; `name` as it is when `dir` is "" or "." or `name` is absolute. */
static char *join(const char *dir, const char *name)
{
  size_t n = strlen(dir);
  if (name[0] == '/' || n == 0 || !strcmp(dir, "."))
    return format("%s", name);
  return format("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

/* Grows a list's array to hold one more element of `size` bytes; -1 on OOM. */
static int reserve(void **v, size_t *cap, size_t n, size_t size)
{
  if (n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 64;
  void *p = ieum__reallocarray(*v, ncap, size);
  if (!p)
    return -1;
  *v = p;
  *cap = ncap;
  return 0;
}

/* Appends `s` (taken over: freed on failure too); -1 on OOM. */
static int str_add(str_list *l, char *s)
{
  if (!s || reserve((void **)&l->v, &l->cap, l->n, sizeof *l->v)) {
    ieum__free(s);
    return -1;
  }
  l->v[l->n++] = s;
  return 0;
}

static void str_free(str_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    ieum__free(l->v[i]);
  ieum__free(l->v);
}

/* Appends a pair (both strings taken over); -1 on OOM. */
static int pair_add(ieum_pair_list *l, char *src, char *tgt)
{
  if (!src || !tgt || reserve((void **)&l->v, &l->cap, l->n, sizeof *l->v)) {
    ieum__free(src);
    ieum__free(tgt);
    return -1;
  }
  l->v[l->n++] = (pair_path){ src, tgt };
  return 0;
}

static void entry_free(entry_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    ieum__free(l->v[i].key);
    ieum__free(l->v[i].path);
  }
  ieum__free(l->v);
}

int ieum_pair_list_new(ieum_pair_list **out)
{
  if (!out)
    return ieum__error_set(IEUM_EINVAL, "pair list: missing argument");
  *out = ieum__calloc(1, sizeof **out);
  return *out ? IEUM_OK : ieum__error_oom();
}

void ieum_pair_list_free(ieum_pair_list *l)
{
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++) {
    ieum__free(l->v[i].src);
    ieum__free(l->v[i].tgt);
  }
  ieum__free(l->v);
  for (int k = 0; k < 3; k++)
    str_free(&l->notes[k]);
  ieum__free(l);
}

int ieum_pair_list_add(ieum_pair_list *l, const char *src_path, const char *tgt_path)
{
  if (!l || !src_path || !tgt_path)
    return ieum__error_set(IEUM_EINVAL, "pair list: missing argument");
  return pair_add(l, ieum__strdup(src_path), ieum__strdup(tgt_path)) ? ieum__error_oom() : IEUM_OK;
}

size_t ieum_pair_list_count(const ieum_pair_list *l)
{
  return l ? l->n : 0;
}

const char *ieum_pair_list_path(const ieum_pair_list *l, size_t i, int side)
{
  return side ? l->v[i].tgt : l->v[i].src;
}

size_t ieum_pair_list_note_count(const ieum_pair_list *l, int kind)
{
  return l && kind >= 0 && kind < 3 ? l->notes[kind].n : 0;
}

const char *ieum_pair_list_note(const ieum_pair_list *l, int kind, size_t i)
{
  return l->notes[kind].v[i];
}

/* ---- pairing by name ----------------------------------------------------------- */

/* Whether s[0..n) is the language tag `lang`, ASCII letter case ignored. */
static int is_lang(const char *s, size_t n, const char *lang)
{
  return n > 0 && strlen(lang) == n && strncasecmp(s, lang, n) == 0;
}

/*
** The pairing name of `rel` (a path relative to its directory): `rel` with
** the language suffix removed from its last component.  Sets *suffixed
** when there was one.  NULL when out of memory.
*/
static char *pair_key(const char *rel, const char *lang, int *suffixed)
{
  const char *base = strrchr(rel, '/');
  base = base ? base + 1 : rel;
  const char *last = strrchr(base, '.');
  *suffixed = 0;
  if (last && last > base) {
    /* NAME.LANG */
    if (is_lang(last + 1, strlen(last + 1), lang)) {
      *suffixed = 1;
      return format("%.*s", (int)(last - rel), rel);
    }
    /* NAME.LANG.EXT */
    const char *prev = last - 1;
    while (prev > base && *prev != '.')
      prev--;
    if (prev > base && is_lang(prev + 1, (size_t)(last - prev - 1), lang)) {
      *suffixed = 1;
      return format("%.*s%s", (int)(prev - rel), rel, last);
    }
  }
  return format("%s", rel);
}

/*
** Adds the regular files under root/rel to `out`, with their pairing
** names; with `need_suffix` only those with a language suffix.  A symbolic
** link is followed only to a file and only with `follow`; every other one
** is recorded in `links` (NULL: not recorded).  An unreadable or too deep
** subdirectory is recorded in `errors`.  -1 on OOM.
*/
static int walk(entry_list *out, str_list *errors, str_list *links, const char *root, const char *rel, int depth,
                const char *lang, int need_suffix, int follow)
{
  char *dir_path = rel ? join(root, rel) : format("%s", root);
  DIR *d = dir_path ? opendir(dir_path) : NULL;
  struct dirent *e;
  int rc = 0;
  if (!dir_path)
    return -1;
  if (!d) {
    rc = str_add(errors, format("%s: cannot read the directory: %s", dir_path, strerror(errno)));
    goto done;
  }
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *child = rel ? format("%s/%s", rel, e->d_name) : format("%s", e->d_name);
    char *path = child ? join(root, child) : NULL;
    struct stat sb, lsb;
    if (!child || !path) {
      rc = -1;
    } else if (lstat(path, &lsb) != 0) {
      /* removed meanwhile: nothing to pair */
    } else if (S_ISLNK(lsb.st_mode) && (!follow || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))) {
      /* never a directory (a loop), a file only when asked: a link may lead out of the tree */
      if (links) /* NULL on the second walk of one directory: listed once */
        rc = str_add(links, format("%s: a symbolic link%s; not followed%s", path,
                                   !follow ? "" : stat(path, &sb) != 0 ? " to nothing" : " to a directory",
                                   follow ? "" : " (see --follow-symlinks)"));
    } else if (!S_ISLNK(lsb.st_mode) && S_ISDIR(lsb.st_mode)) {
      if (depth + 1 >= IEUM_PAIRING_MAX_DEPTH)
        rc = str_add(errors, format("%s: more than %d directory levels; not followed", path,
                                    IEUM_PAIRING_MAX_DEPTH));
      else
        rc = walk(out, errors, links, root, child, depth + 1, lang, need_suffix, follow);
    } else if (S_ISLNK(lsb.st_mode) || S_ISREG(lsb.st_mode)) { /* a regular file, or a followed link to one */
      int suffixed;
      char *key = pair_key(child, lang, &suffixed);
      if (!key || reserve((void **)&out->v, &out->cap, out->n, sizeof *out->v)) {
        ieum__free(key);
        rc = -1;
      } else if (need_suffix && !suffixed) {
        ieum__free(key);
      } else {
        out->v[out->n++] = (entry){ key, path };
        path = NULL;
      }
    }
    ieum__free(child);
    ieum__free(path);
  }
  closedir(d);
done:
  ieum__free(dir_path);
  return rc;
}

static int entry_cmp(const void *x, const void *y)
{
  const entry *a = x, *b = y;
  int c = strcmp(a->key, b->key);
  return c ? c : strcmp(a->path, b->path);
}

/*
** Sorts `l` by pairing name and moves every entry whose name is shared
** with another one of the same side into `unmatched` (as a message).
** -1 on OOM.
*/
static int drop_ambiguous(entry_list *l, str_list *unmatched)
{
  size_t w = 0;
  if (l->n > 1)
    qsort(l->v, l->n, sizeof *l->v, entry_cmp);
  for (size_t i = 0; i < l->n;) {
    size_t j = i + 1;
    while (j < l->n && !strcmp(l->v[j].key, l->v[i].key))
      j++;
    if (j - i == 1) {
      l->v[w++] = l->v[i];
    } else {
      for (size_t k = i; k < j; k++) {
        char *msg = format("%s: ambiguous: %s has the same pairing name (neither is aligned)", l->v[k].path,
                           l->v[k == i ? i + 1 : i].path);
        if (str_add(unmatched, msg)) {
          /* keep every entry not yet moved once, so that the list frees it */
          memmove(&l->v[w], &l->v[i], (l->n - i) * sizeof *l->v);
          l->n = w + (l->n - i);
          return -1;
        }
      }
      for (size_t k = i; k < j; k++) {
        ieum__free(l->v[k].key);
        ieum__free(l->v[k].path);
      }
    }
    i = j;
  }
  l->n = w;
  return 0;
}

int ieum_pair_list_from_dirs(ieum_pair_list **out, const char *src_dir, const char *tgt_dir,
                             const ieum_pairing_options *opts)
{
  ieum_pairing_options defaults = IEUM_PAIRING_OPTIONS_INIT;
  entry_list src = { 0 }, tgt = { 0 };
  ieum_pair_list *l = NULL;
  struct stat ss, ts;
  int rc;
  if (!out || !src_dir || !tgt_dir)
    return ieum__error_set(IEUM_EINVAL, "pairing: missing argument");
  *out = NULL;
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_PAIRING_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "%s: pairing: bad options", src_dir);
  const char *src_lang = opts->src_lang ? opts->src_lang : "ko", *tgt_lang = opts->tgt_lang ? opts->tgt_lang : "en";
  if (stat(src_dir, &ss) != 0 || stat(tgt_dir, &ts) != 0) {
    const char *which = stat(src_dir, &ss) != 0 ? src_dir : tgt_dir;
    int err = errno;
    return ieum__error_set(err == ENOENT ? IEUM_ENOTFOUND : IEUM_EIO, "%s: %s", which,
                           err == ENOENT ? "no such directory" : strerror(err));
  }
  if (!S_ISDIR(ss.st_mode) || !S_ISDIR(ts.st_mode))
    return ieum__error_set(IEUM_EINVAL, "%s: not a directory", !S_ISDIR(ss.st_mode) ? src_dir : tgt_dir);
  if ((rc = ieum_pair_list_new(&l)) != 0)
    return rc;
  str_list *unmatched = &l->notes[IEUM_NOTE_UNMATCHED], *links = &l->notes[IEUM_NOTE_LINK],
           *errors = &l->notes[IEUM_NOTE_ERROR];
  int same = ss.st_dev == ts.st_dev && ss.st_ino == ts.st_ino;
  if (walk(&src, errors, links, src_dir, NULL, 0, src_lang, same, opts->follow_symlinks) ||
      walk(&tgt, errors, same ? NULL : links, tgt_dir, NULL, 0, tgt_lang, same, opts->follow_symlinks) ||
      drop_ambiguous(&src, unmatched) || drop_ambiguous(&tgt, unmatched))
    goto oom;
  size_t i = 0, j = 0;
  while (i < src.n || j < tgt.n) {
    int c = i == src.n ? 1 : j == tgt.n ? -1 : strcmp(src.v[i].key, tgt.v[j].key);
    if (c == 0) {
      if (pair_add(l, src.v[i].path, tgt.v[j].path))
        goto oom_taken;
      src.v[i++].path = NULL;
      tgt.v[j++].path = NULL;
    } else if (c < 0) {
      if (str_add(unmatched, format("%s: no file in %s pairs with it", src.v[i].path, tgt_dir)))
        goto oom;
      i++;
    } else {
      if (str_add(unmatched, format("%s: no file in %s pairs with it", tgt.v[j].path, src_dir)))
        goto oom;
      j++;
    }
  }
  entry_free(&src);
  entry_free(&tgt);
  *out = l;
  return IEUM_OK;
oom_taken:
  src.v[i].path = tgt.v[j].path = NULL; /* pair_add freed them */
oom:
  entry_free(&src);
  entry_free(&tgt);
  ieum_pair_list_free(l);
  return ieum__error_set(IEUM_ENOMEM, "%s: out of memory while pairing files", src_dir);
}

int ieum_pair_list_from_manifest(ieum_pair_list **out, const char *path)
{
  ieum_pair_list *l = NULL;
  char *line = NULL, *dir = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int rc;
  struct stat sb;
  if (!out || !path)
    return ieum__error_set(IEUM_EINVAL, "manifest: missing argument");
  *out = NULL;
  FILE *f = fopen(path, "r");
  if (!f)
    return ieum__error_set(errno == ENOENT ? IEUM_ENOTFOUND : IEUM_EIO, "%s: cannot read: %s", path,
                           strerror(errno));
  if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: is a directory, not a manifest", path);
    goto done;
  }
  if ((rc = ieum_pair_list_new(&l)) != 0)
    goto done;
  const char *slash = strrchr(path, '/');
  dir = slash ? format("%.*s", (int)(slash == path ? 1 : slash - path), path) : format(".");
  if (!dir)
    goto oom;
  /* getline() allocates with malloc: freed with free() */
  while ((n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    char *p = line;
    if (lineno == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
      p += 3; /* a UTF-8 byte order mark */
    if (!*p || *p == '#' || strspn(p, " \t") == strlen(p))
      continue;
    char *tab = strchr(p, '\t');
    if (!tab || tab == p || !tab[1] || strchr(tab + 1, '\t')) {
      if (str_add(&l->notes[IEUM_NOTE_ERROR], format("%s:%zu: expected SRC_PATH<TAB>TGT_PATH", path, lineno)))
        goto oom;
      continue;
    }
    *tab = '\0';
    if (pair_add(l, join(dir, p), join(dir, tab + 1)))
      goto oom;
  }
  if (ferror(f)) {
    rc = ieum__error_set(IEUM_EIO, "%s: read error after line %zu: %s", path, lineno, strerror(errno));
    goto done;
  }
  rc = IEUM_OK;
  goto done;
oom:
  rc = ieum__error_set(IEUM_ENOMEM, "%s: out of memory", path);
done:
  free(line);
  ieum__free(dir);
  fclose(f);
  if (rc) {
    ieum_pair_list_free(l);
    return rc;
  }
  *out = l;
  return IEUM_OK;
}
