/*
** formats/tmx_write.c: the TMX 1.4b writer (ieum_tmx_writer_*).
**
** Streams units out, one <tu> per call, so memory stays constant however
** many units are exported.  The XML is serialized here, byte for byte as
** libxml2's xmlTextWriter wrote it before (indentation, which characters
** are escaped, <body/> when empty): the writer spent two thirds of an
** export in xmlTextWriter's per-call bookkeeping, and what a TMX needs of
** it is a few escapes.  Each unit is checked before anything of it is
** written (text XML 1.0 cannot carry gives IEUM_EINVAL and leaves the
** writer usable); its <tu> is built in a buffer and handed to the file
** whole, so a unit that fails writes nothing; a write error makes the
** writer fail for good (IEUM_EIO).  The file is an ieum__outfile
** (export_int.h): "PATH.tmp-XXXXXX" fsync'ed and renamed over PATH by
** ieum_tmx_writer_close(), removed by ieum_tmx_writer_free(), so a failed
** export never leaves a half-written file; "-" is standard output, and a
** device or FIFO is written straight through.
** The output is indented and valid against the TMX 1.4 DTD: header
** attributes are all present and each <tu> holds (prop|note)* then tuv+.
** A unit's stored metadata (ieum_unit_prop) is written back: <tu>
** attributes the DTD knows, then ieum's x-* props, then the unit's props and
** notes in their order; "src-*"/"tgt-*" items go on their <tuv> (its
** attributes as the DTD allows them, then its props and notes, then the
** <seg>).  Both <tuv>s are always written, an empty text as an empty <seg>; segments marked as TMX inline markup ("x-inline")
** are parsed once more and filtered as the TMX 1.4 DTD allows
** (tmx_inline.c), then written raw: a malformed one is refused, and
** elements or attributes the DTD has not never reach the file, whatever
** the TM holds.
** Cost: O(bytes written); one buffer as large as the largest <tu>.
** Assumptions: text is UTF-8 (NFC by contract; not re-normalized here) and
** language tags are already normalized by the caller: they are written as
** given.  Not here: reading TMX (tmx_read.c).
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include "export_int.h"
#include "tmx_inline_int.h"

#define DEFAULT_SRC_LANG "ko"        /* ieum_tmx_header.src_lang when NULL (see tmx.h) */
#define DEFAULT_TGT_LANG "en"        /* a unit's target language when neither it nor the header says */
#define DEFAULT_DATATYPE "plaintext" /* TMX datatype of plain sentences */
#define DEFAULT_SEGTYPE "sentence"   /* the aligner emits sentences */
#define INDENT "  "                  /* two spaces per level, as OmegaT and Okapi write */
#define SCORE_DECIMALS 10000         /* x-score keeps 4 decimals: finer is noise for a confidence */

struct ieum_tmx_writer {
  ieum__outfile out;     /* the file, written whole or not at all (export_int.h) */
  const char *path;      /* out.path: the target path as given, or "-" */
  int failed;            /* a write failed: every later call gives IEUM_EIO */
  int64_t counter;       /* units added so far: the tuid of units without an id */
  char src_lang[64];     /* header srclang: the default source language of units */
  char tgt_lang[64];     /* default target language of units */
  ieum_buf tu;           /* the <tu> being written: handed to `out` whole, or dropped */
  ieum_buf clean_src;    /* a markup unit's texts as the DTD allows them (clean_markup) */
  ieum_buf clean_tgt;
};

/* Records the write failure of `w` (the failed write's errno when known) and returns IEUM_EIO. */
static int write_error(ieum_tmx_writer *w)
{
  int e = w->out.io_errno ? w->out.io_errno : errno;
  w->failed = 1;
  if (e == ENOMEM)
    return ieum__error_oom();
  const char *name = strcmp(w->path, "-") ? w->path : "standard output";
  if (e)
    return ieum__error_set(IEUM_EIO, "%s: cannot write TMX: %s", name, strerror(e));
  return ieum__error_set(IEUM_EIO, "%s: cannot write TMX", name);
}

/* Hands the bytes of `b` to the file (and clears `b`). */
static int emit(ieum_tmx_writer *w, ieum_buf *b)
{
  int rc = ieum__outfile_write(&w->out, b->ptr ? b->ptr : "", b->size);
  ieum__buf_clear(b);
  if (rc == IEUM_ENOMEM)
    return rc; /* the file's buffer could not grow: recorded, and nothing was written */
  if (rc) {
    ieum__error_clear(); /* write_error() words it */
    return write_error(w);
  }
  return IEUM_OK;
}

/*
** What XML escapes, as libxml2's xmlTextWriter wrote it before (so exports
** stay byte for byte what they were): in text & < > " and CR; in attribute
** values also LF and tab, which a parser would otherwise normalize to a
** space.  esc[c]: 1 in text and attributes, 2 in attributes only.
*/
static const unsigned char esc[256] = { ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\r'] = 1,
                                        ['\n'] = 2, ['\t'] = 2 };

static const char *escape_of(unsigned char c)
{
  switch (c) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\r': return "&#13;";
  case '\n': return "&#10;";
  default: return "&#9;";
  }
}

/* ieum__buf_put() with the common case inline: the <tu> buffer has room after its first units. */
static inline int put(ieum_buf *b, const char *s, size_t n)
{
  if (n >= b->asize - b->size) /* asize 0: size 0 too */
    return ieum__buf_put(b, s, n);
  memcpy(b->ptr + b->size, s, n);
  b->size += n;
  b->ptr[b->size] = '\0';
  return IEUM_OK;
}

static inline int puts_(ieum_buf *b, const char *s)
{
  return put(b, s, strlen(s));
}

/* Word-at-a-time tests on 8 bytes: a byte of `w` is zero; a byte is below n (n <= 128). */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define HAS_ZERO(w) (((w) - ONES) & ~(w) & HIGHS)
#define HAS_LESS(w, n) (((w) - ONES * (n)) & ~(w) & HIGHS)

/* Whether the 8 bytes at p may hold a character text escapes (& < > " CR): no false "no". */
static int text_word_escapes(const char *p)
{
  uint64_t w;
  memcpy(&w, p, sizeof w);
  return (HAS_ZERO(w ^ (ONES * '&')) | HAS_ZERO(w ^ (ONES * '<')) | HAS_ZERO(w ^ (ONES * '>')) |
          HAS_ZERO(w ^ (ONES * '"')) | HAS_ZERO(w ^ (ONES * '\r'))) != 0;
}

/*
** s[0..n) escaped onto `b`: runs without a character to escape are copied
** whole, and text is looked at 8 bytes at a time (a fifth of an export
** went byte by byte through the table before).
*/
static int put_escaped(ieum_buf *b, const char *s, size_t n, int attr)
{
  unsigned char mask = attr ? 3 : 1;
  size_t run = 0;
  int rc = IEUM_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    while (!attr && i + 8 <= n && !text_word_escapes(s + i))
      i += 8;
    if (i >= n)
      break;
    if (!(esc[(unsigned char)s[i]] & mask))
      continue;
    if (i > run && (rc = put(b, s + run, i - run)) != 0)
      break;
    rc = puts_(b, escape_of((unsigned char)s[i]));
    run = i + 1;
  }
  if (!rc && n > run)
    rc = put(b, s + run, n - run);
  return rc;
}

/* ` name="value"` onto `b`. */
static int put_attr(ieum_buf *b, const char *name, const char *value)
{
  int rc = put(b, " ", 1);
  if (!rc)
    rc = puts_(b, name);
  if (!rc)
    rc = put(b, "=\"", 2);
  if (!rc)
    rc = put_escaped(b, value, strlen(value), 1);
  if (!rc)
    rc = put(b, "\"", 1);
  return rc;
}

/* `depth` levels of indentation and "<name" onto `b`. */
static int put_open(ieum_buf *b, int depth, const char *name)
{
  int rc = IEUM_OK;
  for (int i = 0; i < depth && !rc; i++)
    rc = put(b, INDENT, sizeof INDENT - 1);
  if (!rc)
    rc = put(b, "<", 1);
  if (!rc)
    rc = puts_(b, name);
  return rc;
}

/* `depth` levels of indentation and "</name>\n" onto `b`. */
static int put_close(ieum_buf *b, int depth, const char *name)
{
  int rc = put_open(b, depth, "/");
  if (!rc)
    rc = puts_(b, name);
  if (!rc)
    rc = put(b, ">\n", 2);
  return rc;
}

/* ">text</name>\n" onto `b`, after the start tag's attributes: s[0..n) escaped, or as it is when `raw`. */
static int put_content(ieum_buf *b, const char *name, const char *s, size_t n, int raw)
{
  int rc = put(b, ">", 1);
  if (!rc)
    rc = raw ? put(b, s, n) : put_escaped(b, s, n, 0);
  if (!rc)
    rc = put(b, "</", 2);
  if (!rc)
    rc = puts_(b, name);
  if (!rc)
    rc = put(b, ">\n", 2);
  return rc;
}

/*
** Checks that s[0..len) is text XML 1.0 can carry: valid UTF-8, no C0
** control but tab, LF and CR, no U+FFFE or U+FFFF.  `what` names the field.
*/
static int check_text(const ieum_tmx_writer *w, int64_t tuid, const char *what, const char *s, size_t len)
{
  size_t bad = ieum__utf8_invalid_at(s, len);
  if (bad < len)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": invalid UTF-8 in the %s at byte %zu",
                           w->path, tuid, what, bad);
  /* Valid UTF-8: a C0 control is its own byte, U+FFFE and U+FFFF are EF BF BE and EF BF BF. */
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len; i++) {
    uint64_t x;
    while (i + 8 <= len && (memcpy(&x, u + i, sizeof x), !HAS_LESS(x, 0x20) && !HAS_ZERO(x ^ (ONES * 0xEF))))
      i += 8; /* no byte below 0x20, none 0xEF: 8 bytes at a time */
    if (i >= len)
      break;
    uint32_t c;
    if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r')
      c = u[i];
    else if (u[i] == 0xEF && i + 2 < len && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF))
      c = u[i + 2] == 0xBE ? 0xFFFE : 0xFFFF;
    else
      continue;
    return ieum__error_set(IEUM_EINVAL,
                           "%s: unit %" PRId64 ": character U+%04" PRIX32 " cannot be written to XML (%s, byte %zu)",
                           w->path, tuid, c, what, i);
  }
  return IEUM_OK;
}

static int check_str(const ieum_tmx_writer *w, int64_t tuid, const char *what, const char *s)
{
  return s ? check_text(w, tuid, what, s, strlen(s)) : IEUM_OK;
}

/* Writes, at depth 3, <name>text</name> with s[0..len) as escaped text content. */
static int write_text_element(ieum_tmx_writer *w, const char *name, const char *s, size_t len)
{
  int rc = put_open(&w->tu, 3, name);
  return rc ? rc : put_content(&w->tu, name, s, len, 0);
}

/* Writes, at depth 3, <prop type="type">value</prop>. */
static int write_prop(ieum_tmx_writer *w, const char *type, const char *value)
{
  int rc = put_open(&w->tu, 3, "prop");
  if (!rc)
    rc = put_attr(&w->tu, "type", type);
  return rc ? rc : put_content(&w->tu, "prop", value, strlen(value), 0);
}

/* Copies a language tag into a fixed slot; IEUM_EINVAL when it does not fit. */
static int set_lang(char dst[64], const char *lang, const char *path)
{
  size_t n = strlen(lang);
  if (n == 0 || n >= 64)
    return ieum__error_set(IEUM_EINVAL, "%s: language tag \"%.64s\" is empty or too long", path, lang);
  memcpy(dst, lang, n + 1);
  return IEUM_OK;
}

/* Writes the prolog and the header (<body> comes with the first unit, or as <body/> with none). */
static int write_start(ieum_tmx_writer *w, const ieum_tmx_header *hdr)
{
  char date[17];
  if (ieum__tmx_date(date, ieum__now()) != 0)
    return ieum__error_set(IEUM_ERROR, "%s: cannot format the current date", w->path);
  const char *datatype = hdr && hdr->datatype ? hdr->datatype : DEFAULT_DATATYPE;
  const char *segtype = hdr && hdr->segtype ? hdr->segtype : DEFAULT_SEGTYPE;
  int rc = check_str(w, 0, "header datatype", datatype);
  if (!rc)
    rc = check_str(w, 0, "header segtype", segtype);
  if (!rc)
    rc = check_str(w, 0, "header languages", w->src_lang);
  if (!rc)
    rc = check_str(w, 0, "header languages", w->tgt_lang);
  if (rc)
    return rc;
  ieum_buf *b = &w->tu;
  static const char prolog[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
                               "<tmx version=\"1.4\">\n";
  if ((rc = puts_(b, prolog)) != 0 || (rc = put_open(b, 1, "header")) != 0 ||
      (rc = put_attr(b, "creationtool", "ieum")) != 0 ||
      (rc = put_attr(b, "creationtoolversion", ieum_version())) != 0 ||
      (rc = put_attr(b, "datatype", datatype)) != 0 || (rc = put_attr(b, "segtype", segtype)) != 0 ||
      (rc = put_attr(b, "adminlang", "en")) != 0 || (rc = put_attr(b, "srclang", w->src_lang)) != 0 ||
      (rc = put_attr(b, "o-tmf", "ieum")) != 0 || (rc = put_attr(b, "creationdate", date)) != 0 ||
      (rc = puts_(b, "/>\n")) != 0)
    return rc;
  return emit(w, b);
}

int ieum_tmx_writer_open(ieum_tmx_writer **out, const char *path, const ieum_tmx_header *hdr)
{
  int rc = IEUM_OK;
  ieum_tmx_writer *w = NULL;

  *out = NULL;
  w = ieum__calloc(1, sizeof *w);
  if (!w) {
    rc = ieum__error_oom();
    goto done;
  }
  w->out.fd = -1;
  w->path = path;
  rc = set_lang(w->src_lang, hdr && hdr->src_lang ? hdr->src_lang : DEFAULT_SRC_LANG, path);
  if (!rc)
    rc = set_lang(w->tgt_lang, hdr && hdr->tgt_lang ? hdr->tgt_lang : DEFAULT_TGT_LANG, path);
  if (rc)
    goto done;
  if ((rc = ieum__outfile_open(&w->out, path)) != 0)
    goto done;
  w->path = w->out.path;
  rc = write_start(w, hdr);
done:
  if (rc) {
    ieum_tmx_writer_free(w);
    return rc;
  }
  *out = w;
  return IEUM_OK;
}

/* <tu> attributes of the TMX 1.4 DTD a unit's "attr" metadata may set (creationdate is the unit's own). */
static const char *const tu_attrs[] = { "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate",
                                        "creationtool", "creationtoolversion", "creationid", "changedate",
                                        "segtype", "changeid", "o-tmf", "srclang" };

/* <tuv> attributes of the TMX 1.4 DTD a side's "src-attr"/"tgt-attr" metadata may set (xml:lang is its language). */
static const char *const tuv_attrs[] = { "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
                                         "creationtoolversion", "creationdate", "creationid", "changedate",
                                         "changeid", "o-tmf" };

static int in_list(const char *name, const char *const *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(name, list[i]))
      return 1;
  return 0;
}

static int is_tu_attr(const char *name)
{
  return in_list(name, tu_attrs, sizeof tu_attrs / sizeof *tu_attrs);
}

static int is_tuv_attr(const char *name)
{
  return in_list(name, tuv_attrs, sizeof tuv_attrs / sizeof *tuv_attrs);
}

/* Which <tuv> metadata kind `kind` belongs to: 1 source, 2 target, 0 the <tu>; *base its kind there. */
static int kind_side(const char *kind, const char **base)
{
  *base = kind;
  if (!strncmp(kind, "src-", 4) || !strncmp(kind, "tgt-", 4)) {
    *base = kind + 4;
    return kind[0] == 's' ? 1 : 2;
  }
  return 0;
}

/* The value of "attr" item `name` in props, or NULL. */
static const char *find_attr(const ieum_unit_prop *props, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (props[i].kind && !strcmp(props[i].kind, "attr") && props[i].type && !strcmp(props[i].type, name))
      return props[i].value ? props[i].value : "";
  return NULL;
}

/*
** Filters s[0..len), a unit's text marked as TMX inline markup, into `out`
** as the TMX 1.4 DTD allows (tmx_inline.c: inline elements with their DTD
** attributes; other elements lose their markup and keep their text), so a
** TM filled by an older ieum or through the API still exports valid TMX.
** A fragment that is not well-formed is refused.
*/
static int clean_markup(ieum_tmx_writer *w, ieum_buf *out, int64_t tuid, const char *what, const char *s, size_t len)
{
  int rc = ieum__tmx_inline_clean(out, NULL, s, len);
  if (rc == IEUM_EINVAL)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": the %s is marked as TMX markup but is not well-formed",
                           w->path, tuid, what);
  if (rc == IEUM_ELIMIT)
    return ieum__error_set(IEUM_ELIMIT, "%s: unit %" PRId64 ": %s too long", w->path, tuid, what);
  return rc;
}

/* Writes, at `depth`, a stored <prop> or <note> with its optional xml:lang. */
static int write_meta(ieum_tmx_writer *w, int depth, const ieum_unit_prop *p)
{
  const char *base, *name, *v = p->value ? p->value : "";
  kind_side(p->kind, &base);
  name = !strcmp(base, "note") ? "note" : "prop";
  int rc = put_open(&w->tu, depth, name);
  if (!rc && name[0] == 'p')
    rc = put_attr(&w->tu, "type", p->type);
  if (!rc && p->lang && *p->lang)
    rc = put_attr(&w->tu, "xml:lang", p->lang);
  return rc ? rc : put_content(&w->tu, name, v, strlen(v), 0);
}

/* Checks the metadata of a unit before anything of it is written. */
static int check_props(const ieum_tmx_writer *w, int64_t tuid, const ieum_unit_prop *props, size_t n)
{
  int rc;
  for (size_t i = 0; i < n; i++) {
    const ieum_unit_prop *p = &props[i];
    const char *k0 = p->kind ? p->kind : "", *k;
    int sd = kind_side(k0, &k);
    if (strcmp(k, "prop") && strcmp(k, "note") && strcmp(k, "attr"))
      return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": metadata of kind \"%s\"", w->path, tuid, k0);
    if (strcmp(k, "note") && (!p->type || !*p->type))
      return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": a %s without a type", w->path, tuid, k0);
    if (!sd && !strcmp(k, "attr") && strcmp(p->type, "x-inline") && strcmp(p->type, "creationdate") &&
        !is_tu_attr(p->type))
      return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": <tu> has no attribute \"%s\" in TMX 1.4",
                             w->path, tuid, p->type);
    if (sd && !strcmp(k, "attr") && !is_tuv_attr(p->type))
      return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": <tuv> has no attribute \"%s\" in TMX 1.4",
                             w->path, tuid, p->type);
    if ((rc = check_str(w, tuid, "metadata", p->type)) != 0 || (rc = check_str(w, tuid, "metadata", p->lang)) != 0 ||
        (rc = check_str(w, tuid, "metadata", p->value)) != 0)
      return rc;
  }
  return IEUM_OK;
}

/*
** Writes <tuv xml:lang="lang"> with the side's attributes, props and notes
** (items of `props` of side `which`, 1 source, 2 target), then its <seg>:
** s[0..len) as text, or as markup already filtered when `raw`.
*/
static int write_tuv(ieum_tmx_writer *w, int which, const char *lang, const char *s, size_t len, int raw,
                     const ieum_unit_prop *props, size_t n)
{
  const char *base;
  ieum_buf *b = &w->tu;
  int rc = put_open(b, 3, "tuv");
  if (!rc)
    rc = put_attr(b, "xml:lang", lang);
  for (size_t i = 0; i < n && !rc; i++)
    if (kind_side(props[i].kind, &base) == which && !strcmp(base, "attr"))
      rc = put_attr(b, props[i].type, props[i].value ? props[i].value : "");
  if (!rc)
    rc = put(b, ">\n", 2);
  for (size_t i = 0; i < n && !rc; i++)
    if (kind_side(props[i].kind, &base) == which && strcmp(base, "attr"))
      rc = write_meta(w, 4, &props[i]);
  if (!rc)
    rc = put_open(b, 4, "seg");
  if (!rc)
    rc = put_content(b, "seg", s ? s : "", len, raw);
  if (!rc)
    rc = put_close(b, 3, "tuv");
  return rc;
}

/*
** The <tu> of a checked unit onto w->tu (preceded by "<body>" for the first
** one): its attributes, ieum's x-* props, its own props and notes, both
** <tuv>s.  Errors: IEUM_ENOMEM only.
*/
static int write_tu(ieum_tmx_writer *w, const ieum_unit *unit, int64_t tuid, const char *date, const char *src_lang,
                    const char *tgt_lang, int markup, int has_notes, const ieum_unit_prop *props, size_t n_props)
{
  char num[32];
  ieum_buf *b = &w->tu;
  size_t src_len = unit->src ? unit->src_len : 0;
  size_t tgt_len = unit->tgt ? unit->tgt_len : 0;
  int rc = w->counter ? IEUM_OK : put_open(b, 1, "body>\n");
  if (rc)
    return rc;
  /* tuid, creationdate and creationtool(version) first; the unit's own values win. */
  snprintf(num, sizeof num, "%" PRId64, tuid);
  const char *a_tuid = find_attr(props, n_props, "tuid");
  const char *a_tool = find_attr(props, n_props, "creationtool");
  const char *a_toolv = find_attr(props, n_props, "creationtoolversion");
  if ((rc = put_open(b, 2, "tu")) != 0 || (rc = put_attr(b, "tuid", a_tuid ? a_tuid : num)) != 0 ||
      (rc = put_attr(b, "creationdate", date)) != 0 ||
      (rc = put_attr(b, "creationtool", a_tool ? a_tool : "ieum")) != 0 ||
      ((a_toolv || !a_tool) && (rc = put_attr(b, "creationtoolversion", a_toolv ? a_toolv : ieum_version())) != 0))
    return rc;
  for (size_t i = 0; i < n_props; i++) {
    const ieum_unit_prop *p = &props[i];
    if (strcmp(p->kind, "attr") || !is_tu_attr(p->type) || !strcmp(p->type, "tuid") ||
        !strcmp(p->type, "creationtool") || !strcmp(p->type, "creationtoolversion"))
      continue;
    /* A <tu>'s srclang names its source <tuv>: the tag written for it, as spelled on the header. */
    const char *v = !strcmp(p->type, "srclang") ? src_lang : p->value ? p->value : "";
    if ((rc = put_attr(b, p->type, v)) != 0)
      return rc;
  }
  if ((rc = put(b, ">\n", 2)) != 0)
    return rc;
  if (unit->score >= 0 && isfinite(unit->score)) {
    /* Fixed point by hand: "%.4f" would follow LC_NUMERIC ("0,9312"). */
    double scaled = floor(unit->score * SCORE_DECIMALS + 0.5);
    if (scaled < (double)INT64_MAX) {
      int64_t v = (int64_t)scaled;
      snprintf(num, sizeof num, "%" PRId64 ".%04" PRId64, v / SCORE_DECIMALS, v % SCORE_DECIMALS);
      if ((rc = write_prop(w, "x-score", num)) != 0)
        return rc;
    }
  }
  if (unit->bead && *unit->bead && (rc = write_prop(w, "x-bead", unit->bead)) != 0)
    return rc;
  if (unit->document && *unit->document && (rc = write_prop(w, "x-document", unit->document)) != 0)
    return rc;
  if (unit->role && *unit->role && (rc = write_prop(w, "x-role", unit->role)) != 0)
    return rc;
  if (unit->position >= 0) {
    snprintf(num, sizeof num, "%" PRId64, unit->position);
    if ((rc = write_prop(w, "x-position", num)) != 0)
      return rc;
  }
  for (size_t i = 0; i < n_props; i++)
    if ((!strcmp(props[i].kind, "prop") || !strcmp(props[i].kind, "note")) &&
        (rc = write_meta(w, 3, &props[i])) != 0)
      return rc;
  if (!has_notes && unit->note && *unit->note &&
      (rc = write_text_element(w, "note", unit->note, strlen(unit->note))) != 0)
    return rc;
  if ((rc = markup ? write_tuv(w, 1, src_lang, w->clean_src.ptr, w->clean_src.size, 1, props, n_props)
                  : write_tuv(w, 1, src_lang, unit->src, src_len, 0, props, n_props)) != 0)
    return rc;
  if ((rc = markup ? write_tuv(w, 2, tgt_lang, w->clean_tgt.ptr, w->clean_tgt.size, 1, props, n_props)
                  : write_tuv(w, 2, tgt_lang, unit->tgt, tgt_len, 0, props, n_props)) != 0)
    return rc;
  return put_close(b, 2, "tu");
}

int ieum_tmx_writer_add(ieum_tmx_writer *w, const ieum_unit *unit)
{
  return ieum_tmx_writer_add_props(w, unit, NULL, 0);
}

int ieum_tmx_writer_add_props(ieum_tmx_writer *w, const ieum_unit *unit, const ieum_unit_prop *props,
                              size_t n_props)
{
  int rc = IEUM_OK;
  char date[17];

  if (w->failed)
    return ieum__error_set(IEUM_EIO, "%s: an earlier write failed", w->path);
  int64_t tuid = unit->id > 0 ? unit->id : w->counter + 1;
  const char *src_lang = unit->src_lang ? unit->src_lang : w->src_lang;
  const char *tgt_lang = unit->tgt_lang ? unit->tgt_lang : w->tgt_lang;
  size_t src_len = unit->src ? unit->src_len : 0;
  size_t tgt_len = unit->tgt ? unit->tgt_len : 0;

  /* Check everything first: a rejected unit writes nothing. */
  if (src_len == 0 && tgt_len == 0)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 " has neither source nor target text",
                           w->path, tuid);
  if ((rc = check_text(w, tuid, "source text", unit->src, src_len)) != 0 ||
      (rc = check_text(w, tuid, "target text", unit->tgt, tgt_len)) != 0 ||
      (rc = check_str(w, tuid, "source language", src_lang)) != 0 ||
      (rc = check_str(w, tuid, "target language", tgt_lang)) != 0 ||
      (rc = check_str(w, tuid, "bead", unit->bead)) != 0 ||
      (rc = check_str(w, tuid, "document", unit->document)) != 0 ||
      (rc = check_str(w, tuid, "note", unit->note)) != 0 ||
      (rc = check_str(w, tuid, "role", unit->role)) != 0 || (rc = check_props(w, tuid, props, n_props)) != 0)
    return rc;
  const char *inline_kind = find_attr(props, n_props, "x-inline");
  int markup = inline_kind && !strcmp(inline_kind, "tmx");
  if (markup && ((rc = clean_markup(w, &w->clean_src, tuid, "source text", unit->src, src_len)) != 0 ||
                 (rc = clean_markup(w, &w->clean_tgt, tuid, "target text", unit->tgt, tgt_len)) != 0))
    return rc;
  int has_notes = 0;
  for (size_t i = 0; i < n_props; i++)
    has_notes |= !strcmp(props[i].kind, "note");
  if (!*src_lang || !*tgt_lang)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": empty language tag", w->path, tuid);
  if (ieum__tmx_date(date, unit->created ? unit->created : ieum__now()) != 0)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": creation time %" PRId64 " out of range",
                           w->path, tuid, unit->created);

  /* The <tu> is made in w->tu and handed to the file whole: a unit that fails writes nothing. */
  ieum__buf_clear(&w->tu);
  if ((rc = write_tu(w, unit, tuid, date, src_lang, tgt_lang, markup, has_notes, props, n_props)) != 0) {
    ieum__buf_clear(&w->tu);
    return rc;
  }
  if ((rc = emit(w, &w->tu)) != 0)
    return rc;
  w->counter++;
  return IEUM_OK;
}

int ieum_tmx_writer_close(ieum_tmx_writer *w)
{
  int rc = IEUM_OK;

  if (w->failed) {
    rc = ieum__error_set(IEUM_EIO, "%s: an earlier write failed", w->path);
    goto done;
  }
  errno = 0;
  ieum__buf_clear(&w->tu);
  if ((rc = w->counter ? put_close(&w->tu, 1, "body") : put_open(&w->tu, 1, "body/>\n")) != 0 ||
      (rc = puts_(&w->tu, "</tmx>\n")) != 0 || (rc = emit(w, &w->tu)) != 0)
    goto done;
  rc = ieum__outfile_commit(&w->out);
  if (rc)
    w->failed = 1;
done:
  ieum_tmx_writer_free(w);
  return rc;
}

void ieum_tmx_writer_free(ieum_tmx_writer *w)
{
  if (!w)
    return;
  ieum__outfile_abandon(&w->out);
  ieum_buf_dispose(&w->tu);
  ieum_buf_dispose(&w->clean_src);
  ieum_buf_dispose(&w->clean_tgt);
  ieum__free(w);
}
