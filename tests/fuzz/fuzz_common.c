/*
** tests/fuzz/fuzz_common.c: helpers of the fuzz harnesses (see fuzz.h).
**
** Input splitting, the per-process temporary folder, and the contract
** checks.  The checks restate the documented invariants independently of
** the code they check (white space is the set align/doc.c folds, bead
** shapes the set include/ieum/align.h lists) and abort() with a readable
** line when one does not hold; they cost O(size of what they check).
** Not here: the harnesses, the replay driver (replay.c).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "util.h"

#define SLOTS 4

static char tmpdir[4096];
static char paths[SLOTS][4096 + 64];

/* Removes the temporary folder and every file in it (the library may add its own: a TM's -wal, a temp name). */
static void remove_tmpdir(void)
{
  DIR *d = opendir(tmpdir);
  if (d) {
    struct dirent *e;
    char p[sizeof tmpdir + 300];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
      unlink(p);
    }
    closedir(d);
  }
  rmdir(tmpdir);
}

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "fuzz: %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  if (tmpdir[0])
    remove_tmpdir(); /* abort() skips atexit(); a sanitizer's report still leaves the folder */
  abort();
}

size_t fuzz_split(fuzz_part *parts, size_t max, const uint8_t *data, size_t size)
{
  const char *p = data ? (const char *)data : "", *end = data ? p + size : p;
  size_t n = 0;
  while (n + 1 < max) {
    const char *s = memmem(p, (size_t)(end - p), FUZZ_SEP, FUZZ_SEP_LEN);
    if (!s)
      break;
    parts[n].p = p;
    parts[n++].n = (size_t)(s - p);
    p = s + FUZZ_SEP_LEN;
  }
  parts[n].p = p;
  parts[n++].n = (size_t)(end - p);
  return n;
}

static const char *dir(void)
{
  if (tmpdir[0])
    return tmpdir;
  const char *base = getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  if ((size_t)snprintf(tmpdir, sizeof tmpdir, "%s/ieum-fuzz-XXXXXX", base) >= sizeof tmpdir)
    fuzz_fail(__FILE__, __LINE__, "TMPDIR is too long");
  if (!mkdtemp(tmpdir))
    fuzz_fail(__FILE__, __LINE__, "cannot make a folder %s: %s", tmpdir, strerror(errno));
  atexit(remove_tmpdir);
  return tmpdir;
}

const char *fuzz_path(int slot, const char *name)
{
  FUZZ_CHECK(slot >= 0 && slot < SLOTS, "slot %d", slot);
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", dir(), name);
  return paths[slot];
}

const char *fuzz_file(int slot, const char *name, const void *data, size_t len)
{
  const char *path = fuzz_path(slot, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  FUZZ_CHECK(fd >= 0, "cannot create %s: %s", path, strerror(errno));
  const char *p = data;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR)
      continue;
    FUZZ_CHECK(w > 0, "cannot write %s: %s", path, strerror(errno));
    p += w;
    len -= (size_t)w;
  }
  FUZZ_CHECK(close(fd) == 0, "cannot write %s: %s", path, strerror(errno));
  return path;
}

void fuzz_unlink(const char *path)
{
  unlink(path);
}

void fuzz_check_error(int rc, const char *name, const char *what)
{
  FUZZ_CHECK(rc < 0 && rc >= IEUM_EEXISTS, "%s returned %d, not an IEUM_E* code", what, rc);
  const ieum_error *e = ieum_error_last();
  FUZZ_CHECK(e != NULL, "%s failed (%d) and recorded no error", what, rc);
  FUZZ_CHECK(e->code == rc, "%s returned %d but recorded %d (%s)", what, rc, e->code, e->message);
  FUZZ_CHECK(e->message && *e->message, "%s failed (%d) with an empty message", what, rc);
  FUZZ_CHECK(!strchr(e->message, '\n'), "%s: the message is not one line: %s", what, e->message);
  FUZZ_CHECK(rc == IEUM_ENOMEM || !name || strstr(e->message, name), "%s: the message does not name %s: %s",
             what, name, e->message);
}

void fuzz_check_utf8(const char *data, size_t len, const char *what)
{
  size_t at = ieum__utf8_invalid_at(data, len);
  FUZZ_CHECK(at == len, "%s: invalid UTF-8 at byte %zu of %zu", what, at, len);
}

/* Length of the white-space character at s[i] (the set align/doc.c folds), or 0. */
static size_t space_len(const unsigned char *s, size_t n, size_t i)
{
  unsigned c = s[i];
  if (c == ' ' || (c >= '\t' && c <= '\r'))
    return 1;
  if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
    return 2;
  if (i + 2 >= n)
    return 0;
  if (c == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
    return 3;
  if (c == 0xE2 && s[i + 1] == 0x80 && ((s[i + 2] >= 0x80 && s[i + 2] <= 0x8B) || s[i + 2] == 0xA8 ||
                                        s[i + 2] == 0xA9 || s[i + 2] == 0xAF))
    return 3;
  if (c == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF)
    return 3;
  return 0;
}

/*
** Is seg[0..n) the text t[0..len) with its white space trimmed and each run
** of it folded to one space (what a segment's text is, by align_int.h).
*/
static int folds_to(const unsigned char *t, size_t len, const unsigned char *seg, size_t n)
{
  size_t i = 0, o = 0, w;
  int pending = 0;
  while (i < len && (w = space_len(t, len, i)) > 0)
    i += w;
  while (i < len) {
    if ((w = space_len(t, len, i)) > 0) {
      pending = 1;
      i += w;
      continue;
    }
    if (pending && (o >= n || seg[o++] != ' '))
      return 0;
    pending = 0;
    if (o >= n || seg[o++] != t[i++])
      return 0;
  }
  return o == n;
}

void fuzz_check_doc(const ieum_doc *doc, const char *text, size_t len)
{
  size_t n = ieum_doc_count(doc), prev_end = 0;
  uint32_t prev_para = 0;
  FUZZ_CHECK(ieum_doc_lang(doc) && *ieum_doc_lang(doc), "a document without a language");
  for (size_t i = 0; i < n; i++) {
    const ieum_segment *s = ieum_doc_segment(doc, i);
    FUZZ_CHECK(s && s->text, "segment %zu of %zu is missing", i, n);
    FUZZ_CHECK(s->start < s->end && s->end <= len, "segment %zu: range [%zu,%zu) in a text of %zu bytes", i,
               s->start, s->end, len);
    FUZZ_CHECK(s->start >= prev_end, "segment %zu starts at %zu, before the end %zu of the one before", i, s->start,
               prev_end);
    FUZZ_CHECK(s->para >= prev_para, "segment %zu: paragraph %u after %u", i, s->para, prev_para);
    FUZZ_CHECK(s->role >= IEUM_ROLE_BODY && s->role <= IEUM_ROLE_CREDIT, "segment %zu: role %d", i, s->role);
    FUZZ_CHECK(s->len > 0 && s->text[s->len] == '\0', "segment %zu: empty or not NUL-terminated", i);
    fuzz_check_utf8(s->text, s->len, "segment text");
    const unsigned char *t = (const unsigned char *)s->text;
    for (size_t k = 0; k < s->len;) {
      size_t w = space_len(t, s->len, k);
      if (w == 0) {
        k++;
        continue;
      }
      FUZZ_CHECK(t[k] == ' ' && k > 0 && k + 1 < s->len && t[k - 1] != ' ',
                 "segment %zu: white space not folded or trimmed at byte %zu: '%s'", i, k, s->text);
      k += w;
    }
    FUZZ_CHECK(folds_to((const unsigned char *)text + s->start, s->end - s->start, t, s->len),
               "segment %zu: '%s' is not the text of its range [%zu,%zu): '%.*s'", i, s->text, s->start, s->end,
               (int)(s->end - s->start), text + s->start);
    prev_end = s->end;
    prev_para = s->para;
  }
}

void fuzz_check_ladder(const ieum_alignment *al, const ieum_doc *src, const ieum_doc *tgt)
{
  static const uint32_t shapes[][2] = { { 1, 1 }, { 1, 0 }, { 0, 1 }, { 2, 1 }, { 1, 2 }, { 2, 2 }, { 3, 1 }, { 1, 3 } };
  size_t n = ieum_doc_count(src), m = ieum_doc_count(tgt), i = 0, j = 0;
  ieum_buf got = IEUM_BUF_INIT, want = IEUM_BUF_INIT;
  double ratio = ieum_alignment_ratio(al);
  FUZZ_CHECK(ratio > 0 && isfinite(ratio), "length ratio %g", ratio);
  for (size_t k = 0; k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    int known = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
      known |= b->src_n == shapes[s][0] && b->tgt_n == shapes[s][1];
    FUZZ_CHECK(known, "bead %zu: shape %u-%u", k, b->src_n, b->tgt_n);
    FUZZ_CHECK(b->src_start == i && b->tgt_start == j, "bead %zu starts at %zu/%zu, not at %zu/%zu", k,
               b->src_start, b->tgt_start, i, j);
    FUZZ_CHECK(b->score >= 0 && b->score <= 1, "bead %zu: score %g", k, b->score);
    i += b->src_n;
    j += b->tgt_n;
    FUZZ_CHECK(i <= n && j <= m, "bead %zu goes past the end: %zu/%zu of %zu/%zu", k, i, j, n, m);
    for (int side = 0; side < 2; side++) {
      const ieum_doc *d = side ? tgt : src;
      size_t first = side ? b->tgt_start : b->src_start, count = side ? b->tgt_n : b->src_n;
      ieum__buf_clear(&got);
      ieum__buf_clear(&want);
      FUZZ_CHECK(ieum_bead_text(&got, d, b, side) == 0, "bead %zu: ieum_bead_text() failed", k);
      for (size_t a = 0; a < count; a++) {
        const ieum_segment *s = ieum_doc_segment(d, first + a);
        FUZZ_CHECK((a == 0 || ieum__buf_putc(&want, ' ') == 0) && ieum__buf_put(&want, s->text, s->len) == 0,
                   "out of memory");
      }
      FUZZ_CHECK(got.size == want.size && (want.size == 0 || memcmp(got.ptr, want.ptr, want.size) == 0),
                 "bead %zu side %d: text '%.*s', segments '%.*s'", k, side, (int)got.size, got.ptr ? got.ptr : "",
                 (int)want.size, want.ptr ? want.ptr : "");
    }
  }
  FUZZ_CHECK(i == n && j == m, "the ladder covers %zu/%zu of %zu/%zu segments", i, j, n, m);
  ieum_buf_dispose(&got);
  ieum_buf_dispose(&want);
}

void fuzz_align_opts_parse(fuzz_align_opts *o, const char *p, size_t n)
{
  memset(o, 0, sizeof *o);
  for (size_t i = 0; i < n; i++) {
    switch (p[i]) {
    case 'l': o->lines = 1; break;
    case 'b': o->blank = 1; break;
    case 't': o->threads = 2; break;
    case 'r': o->ratio = 1.0; break;
    case 'w': o->band = 1; break;
    default: break;
    }
  }
}

/* Decodes and segments one side into *out; 0, or non-zero when the input is dropped. */
static int side(ieum_doc **out, ieum_buf *text, const fuzz_part *in, const char *name, const char *lang,
                const fuzz_align_opts *o)
{
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  int rc = ieum_text_decode(text, in->p, in->n, name, NULL);
  *out = NULL;
  if (rc != 0)
    return rc;
  so.lang = lang;
  so.mode = o->lines ? IEUM_SEGMENT_LINES : IEUM_SEGMENT_SENTENCES;
  so.paragraphs = o->blank ? IEUM_PARAGRAPH_BLANK : IEUM_PARAGRAPH_LINE;
  rc = ieum_doc_new(out, text->ptr ? text->ptr : "", text->size, &so);
  if (rc != 0) {
    fuzz_check_error(rc, NULL, "ieum_doc_new");
    return rc;
  }
  fuzz_check_doc(*out, text->ptr ? text->ptr : "", text->size);
  return 0;
}

void fuzz_align(const fuzz_part *src, const fuzz_part *tgt, const ieum_lexicon *lex, const fuzz_align_opts *o)
{
  ieum_buf st = IEUM_BUF_INIT, tt = IEUM_BUF_INIT;
  ieum_doc *sd = NULL, *td = NULL;
  ieum_alignment *al = NULL;
  if (side(&sd, &st, src, "fuzz-src.txt", "ko", o) == 0 && side(&td, &tt, tgt, "fuzz-tgt.txt", "en", o) == 0) {
    ieum_align_options ao = IEUM_ALIGN_OPTIONS_INIT;
    ao.lexicon = lex;
    ao.threads = o->threads ? o->threads : 1;
    ao.ratio = o->ratio;
    ao.band = o->band;
    int rc = ieum_alignment_new(&al, sd, td, &ao);
    if (rc == 0)
      fuzz_check_ladder(al, sd, td);
    else
      fuzz_check_error(rc, NULL, "ieum_alignment_new");
  }
  ieum_alignment_free(al);
  ieum_doc_free(sd);
  ieum_doc_free(td);
  ieum_buf_dispose(&st);
  ieum_buf_dispose(&tt);
}
