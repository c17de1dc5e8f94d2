/*
** align/doc.c: the segmented document (ieum_doc): storage, accessors and
** presegmented (one segment per line) input.
**
** Segment texts are copied, trimmed and white-space folded into one growing
** store; pointers into it are fixed up once the document is complete, so
** building costs O(text) with no per-segment allocation.  A document with a
** known headline (ieum_doc_new_headed()) is its headline segment followed
** by the segments of the rest, copied once more (O(text)).  Sentence
** splitting itself lives in segment.c.
*/
#include <string.h>

#include "align_int.h"

int ieum_doc__alloc(ieum_doc **out, const char *lang)
{
  ieum_doc *d = ieum__calloc(1, sizeof *d);
  *out = NULL;
  if (!d)
    return ieum__error_oom();
  if (!lang || !*lang)
    lang = "und";
  if (strlen(lang) >= sizeof d->lang) {
    ieum__free(d);
    return ieum__error_set(IEUM_EINVAL, "language tag too long: %.40s...", lang);
  }
  strcpy(d->lang, lang);
  *out = d;
  return IEUM_OK;
}

void ieum_doc_free(ieum_doc *doc)
{
  if (!doc)
    return;
  ieum__free(doc->segs);
  ieum_buf_dispose(&doc->store);
  ieum__free(doc);
}

size_t ieum_doc_count(const ieum_doc *doc)
{
  return doc ? doc->n : 0;
}

const ieum_segment *ieum_doc_segment(const ieum_doc *doc, size_t i)
{
  return doc && i < doc->n ? &doc->segs[i] : NULL;
}

const char *ieum_doc_lang(const ieum_doc *doc)
{
  return doc ? doc->lang : "und";
}

/*
** May a white-space character start with byte c: ASCII white space and
** the lead bytes of U+00A0, U+2000.., U+3000, U+FEFF.  Other bytes are
** copied or counted without a closer look.
*/
static int may_space(unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF;
}

/* Length in bytes of a white-space character at s[i], or 0. */
static size_t space_at(const char *s, size_t len, size_t i)
{
  unsigned char c = (unsigned char)s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
    return 1;
  if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) /* U+00A0 */
    return 2;
  if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80)
    return 3; /* U+3000 ideographic space */
  if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
    unsigned char d = (unsigned char)s[i + 2];
    if ((d >= 0x80 && d <= 0x8B) || d == 0xA8 || d == 0xA9 || d == 0xAF)
      return 3; /* U+2000..U+200B, U+2028, U+2029, U+202F */
  }
  if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBB && (unsigned char)s[i + 2] == 0xBF)
    return 3; /* U+FEFF, a stray BOM */
  return 0;
}

int ieum_doc__add(ieum_doc *doc, const char *text, size_t start, size_t end, uint32_t para)
{
  size_t k;
  while (start < end && (k = space_at(text, end, start)) > 0)
    start += k;
  if (start == end)
    return IEUM_OK;
  if (doc->n == doc->cap) {
    size_t cap = doc->cap ? doc->cap * 2 : 64;
    ieum_segment *s = ieum__reallocarray(doc->segs, cap, sizeof *s);
    if (!s)
      return ieum__error_oom();
    doc->segs = s;
    doc->cap = cap;
  }
  size_t off = doc->store.size;
  int rc = ieum__buf_grow(&doc->store, end - start + 1);
  if (rc)
    return rc;
  /* Copy with each run of white space folded to one space, none at the end. */
  char *dst = doc->store.ptr + off;
  size_t n = 0;
  int pending_space = 0;
  size_t last_end = start;
  for (size_t i = start; i < end;) {
    if (!may_space((unsigned char)text[i])) {
      /* a run of bytes that start no white space: copied as they are */
      size_t r = i + 1;
      while (r < end && !may_space((unsigned char)text[r]))
        r++;
      if (pending_space)
        dst[n++] = ' ';
      pending_space = 0;
      memcpy(dst + n, text + i, r - i);
      n += r - i;
      i = last_end = r;
      continue;
    }
    if ((k = space_at(text, end, i)) > 0) {
      pending_space = 1;
      i += k;
      continue;
    }
    if (pending_space)
      dst[n++] = ' ';
    pending_space = 0;
    dst[n++] = text[i++];
    last_end = i;
  }
  dst[n] = '\0';
  doc->store.size = off + n + 1;
  ieum_segment *seg = &doc->segs[doc->n++];
  seg->text = (const char *)(uintptr_t)off;
  seg->len = n;
  seg->start = start;
  seg->end = last_end;
  seg->para = para;
  seg->role = IEUM_ROLE_BODY;
  if (para + 1 > doc->n_para)
    doc->n_para = para + 1;
  return IEUM_OK;
}

void ieum_doc__finish(ieum_doc *doc)
{
  for (size_t i = 0; i < doc->n; i++)
    doc->segs[i].text = doc->store.ptr + (uintptr_t)doc->segs[i].text;
}

/* Presegmented input: each non-blank line is one segment; blank lines end paragraphs. */
static int add_lines(ieum_doc *doc, const char *text, size_t len)
{
  uint32_t para = 0;
  int blank_run = 0;
  size_t i = 0;
  while (i < len) {
    size_t e = i;
    while (e < len && text[e] != '\n')
      e++;
    if (ieum__utf8_is_blank(text + i, e - i)) {
      blank_run = 1;
    } else {
      if (blank_run && doc->n > 0)
        para++;
      blank_run = 0;
      int rc = ieum_doc__add(doc, text, i, e, para);
      if (rc)
        return rc;
    }
    i = e + 1;
  }
  return IEUM_OK;
}

/*
** Room for every line of `text` at once: a segment's copy takes at most its
** line and a NUL, and there are at most as many segments as lines, so the
** store and the segment array never grow (nor copy) while lines are added,
** and take no more than the text (doubling left up to half unused).
*/
static int reserve_lines(ieum_doc *doc, const char *text, size_t len)
{
  size_t lines = 1;
  for (size_t i = 0; i < len; i++) {
    const char *nl = memchr(text + i, '\n', len - i);
    if (!nl)
      break;
    lines++;
    i = (size_t)(nl - text);
  }
  if (!(doc->segs = ieum__reallocarray(NULL, lines, sizeof *doc->segs)))
    return -1;
  doc->cap = lines;
  /* ieum__buf_grow() would round up to a power of two: a line adds at most its bytes and a NUL, plus one spare */
  if (!(doc->store.ptr = ieum__malloc(len + 2)))
    return -1;
  doc->store.asize = len + 2;
  return 0;
}

int ieum_doc_new(ieum_doc **out, const char *text, size_t len, const ieum_segment_options *opts)
{
  ieum_segment_options defaults = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *doc = NULL;
  int rc;
  *out = NULL;
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_SEGMENT_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "segment options: unknown version %u", opts->version);
  if (opts->mode != IEUM_SEGMENT_SENTENCES && opts->mode != IEUM_SEGMENT_LINES)
    return ieum__error_set(IEUM_EINVAL, "segment options: unknown mode %d", opts->mode);
  if (opts->paragraphs != IEUM_PARAGRAPH_LINE && opts->paragraphs != IEUM_PARAGRAPH_BLANK &&
      opts->paragraphs != IEUM_PARAGRAPH_AUTO)
    return ieum__error_set(IEUM_EINVAL, "segment options: unknown paragraph mode %d", opts->paragraphs);
  if (!text && len)
    return ieum__error_set(IEUM_EINVAL, "segment: no text");
  size_t bad = ieum__utf8_invalid_at(text, len);
  if (bad < len)
    return ieum__error_set(IEUM_EINVAL, "segment: invalid UTF-8 at byte %zu", bad);
  if ((rc = ieum_doc__alloc(&doc, opts->lang)) != 0)
    return rc;
  if (opts->mode == IEUM_SEGMENT_LINES)
    rc = reserve_lines(doc, text, len) ? ieum__error_oom() : add_lines(doc, text, len);
  else
    rc = ieum_segment__sentences(doc, text, len, opts);
  if (rc) {
    ieum_doc_free(doc);
    return rc;
  }
  ieum_doc__finish(doc);
  *out = doc;
  return IEUM_OK;
}

int ieum_doc_new_headed(ieum_doc **out, const char *text, size_t len, size_t head_len,
                        const ieum_segment_options *opts)
{
  ieum_doc *body = NULL, *doc = NULL;
  int rc;
  *out = NULL;
  if (head_len > len)
    return ieum__error_set(IEUM_EINVAL, "segment: headline of %zu bytes in a text of %zu", head_len, len);
  if (head_len == 0 || ieum__utf8_is_blank(text, head_len))
    return ieum_doc_new(out, text, len, opts);
  size_t bad = ieum__utf8_invalid_at(text, head_len);
  if (bad < head_len)
    return ieum__error_set(IEUM_EINVAL, "segment: invalid UTF-8 at byte %zu", bad);
  if ((rc = ieum_doc_new(&body, text + head_len, len - head_len, opts)) != 0)
    goto done;
  if ((rc = ieum_doc__alloc(&doc, ieum_doc_lang(body))) != 0 || (rc = ieum_doc__add(doc, text, 0, head_len, 0)) != 0)
    goto done;
  doc->segs[0].role = IEUM_ROLE_HEADLINE;
  for (size_t k = 0; k < body->n; k++) {
    const ieum_segment *b = &body->segs[k];
    if ((rc = ieum_doc__add(doc, b->text, 0, b->len, b->para + 1)) != 0)
      goto done;
    ieum_segment *seg = &doc->segs[doc->n - 1];
    seg->start = b->start + head_len;
    seg->end = b->end + head_len;
    seg->role = b->role == IEUM_ROLE_HEADLINE ? IEUM_ROLE_BODY : b->role;
  }
  ieum_doc__finish(doc);
  *out = doc;
  doc = NULL;
done:
  ieum_doc_free(body);
  ieum_doc_free(doc);
  return rc;
}

size_t ieum_align__length(const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    size_t k;
    if ((c & 0xC0) == 0x80) {
      i++; /* a continuation byte: its character was counted */
      continue;
    }
    if (may_space(c) && (k = space_at(s, len, i)) > 0) {
      i += k;
      continue;
    }
    n++;
    i++;
  }
  return n;
}
