/*
** formats/tmx_write.c: the TMX 1.4b writer (ieum_tmx_writer_*).
**
** Streams units out with libxml2's xmlTextWriter, one <tu> per call, so
** memory stays constant however many units are exported.  Each unit is
** checked before anything of it is written (text XML 1.0 cannot carry gives
** IEUM_EINVAL and leaves the writer usable); a write error makes the writer
** fail for good (IEUM_EIO).  The file is an ieum__outfile (export_int.h):
** "PATH.tmp-XXXXXX" fsync'ed and renamed over PATH by
** ieum_tmx_writer_close(), removed by ieum_tmx_writer_free(), so a failed
** export never leaves a half-written file; "-" is standard output, and a
** device or FIFO is written straight through.  Bytes reach it through our
** own xmlOutputBuffer callbacks (io_write), which keep the write()'s errno
** for the message and stop libxml2 from printing I/O errors through its
** global handler.
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
** Cost: O(bytes written); one scratch buffer as large as the longest text.
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

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "export_int.h"
#include "tmx_inline_int.h"

#define DEFAULT_SRC_LANG "ko"        /* ieum_tmx_header.src_lang when NULL (see tmx.h) */
#define DEFAULT_TGT_LANG "en"        /* a unit's target language when neither it nor the header says */
#define DEFAULT_DATATYPE "plaintext" /* TMX datatype of plain sentences */
#define DEFAULT_SEGTYPE "sentence"   /* the aligner emits sentences */
#define INDENT "  "                  /* two spaces per level, as OmegaT and Okapi write */
#define SCORE_DECIMALS 10000         /* x-score keeps 4 decimals: finer is noise for a confidence */

struct ieum_tmx_writer {
  xmlTextWriterPtr xw;   /* the libxml2 writer, writing into `out` */
  ieum__outfile out;     /* the file, written whole or not at all (export_int.h) */
  const char *path;      /* out.path: the target path as given, or "-" */
  int failed;            /* a write failed: every later call gives IEUM_EIO */
  int64_t counter;       /* units added so far: the tuid of units without an id */
  char src_lang[64];     /* header srclang: the default source language of units */
  char tgt_lang[64];     /* default target language of units */
  ieum_buf scratch;      /* NUL-terminated copy of the text being written */
  ieum_buf clean_src;    /* a markup unit's texts as the DTD allows them (clean_markup) */
  ieum_buf clean_tgt;
};

/* Records the write failure of `w` (the failed write's errno when known) and returns IEUM_EIO. */
static int write_error(ieum_tmx_writer *w)
{
  int e = w->out.io_errno ? w->out.io_errno : errno;
  w->failed = 1;
  if (e == ENOMEM) /* the output buffer could not grow (io_write) */
    return ieum__error_oom();
  const char *name = strcmp(w->path, "-") ? w->path : "standard output";
  if (e)
    return ieum__error_set(IEUM_EIO, "%s: cannot write TMX: %s", name, strerror(e));
  return ieum__error_set(IEUM_EIO, "%s: cannot write TMX", name);
}

/*
** libxml2 output callback.  A failed write is recorded in the output file
** (out.io_errno) and reported to libxml2 as done: libxml2 would otherwise
** print "I/O error" through its global handler.  Every public call checks
** out.io_errno.
*/
static int io_write(void *ctx, const char *buf, int len)
{
  ieum_tmx_writer *w = ctx;
  if (!w->out.io_errno && ieum__outfile_write(&w->out, buf, (size_t)len) != 0 && !w->out.io_errno)
    w->out.io_errno = ENOMEM;
  return len;
}

/* The file is closed by the writer itself (ieum__outfile_commit or _abandon). */
static int io_close(void *ctx)
{
  (void)ctx;
  return 0;
}

/* "YYYYMMDDThhmmssZ" for `t` (seconds since the epoch, UTC) into out[17]. */
static int format_date(char out[17], int64_t t)
{
  time_t tt = (time_t)t;
  struct tm tm;
  if (!gmtime_r(&tt, &tm))
    return -1;
  if (strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
    return -1;
  return 0;
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
  for (size_t i = 0; i < len;) {
    size_t at = i;
    int32_t c = ieum__utf8_next(s, len, &i);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
      return ieum__error_set(IEUM_EINVAL,
                             "%s: unit %" PRId64 ": character U+%04" PRIX32
                             " cannot be written to XML (%s, byte %zu)",
                             w->path, tuid, (uint32_t)c, what, at);
  }
  return IEUM_OK;
}

static int check_str(const ieum_tmx_writer *w, int64_t tuid, const char *what, const char *s)
{
  return s ? check_text(w, tuid, what, s, strlen(s)) : IEUM_OK;
}

/* Writes <name>text</name> with s[0..len) as escaped text content. */
static int write_text_element(ieum_tmx_writer *w, const char *name, const char *s, size_t len)
{
  ieum__buf_clear(&w->scratch);
  int rc = ieum__buf_put(&w->scratch, s, len);
  if (rc)
    return rc;
  if (xmlTextWriterWriteElement(w->xw, BAD_CAST name, BAD_CAST w->scratch.ptr) < 0)
    return write_error(w);
  return IEUM_OK;
}

/* Writes <prop type="type">value</prop>. */
static int write_prop(ieum_tmx_writer *w, const char *type, const char *value)
{
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "prop") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "type", BAD_CAST type) < 0 ||
      xmlTextWriterWriteString(w->xw, BAD_CAST value) < 0 || xmlTextWriterEndElement(w->xw) < 0)
    return write_error(w);
  return IEUM_OK;
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

/* Writes the prolog, the header and <body>. */
static int write_start(ieum_tmx_writer *w, const ieum_tmx_header *hdr)
{
  char date[17];
  if (format_date(date, ieum__now()) != 0)
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
  xmlTextWriterPtr x = w->xw;
  /* Indentation is turned on after the DOCTYPE, which libxml2 would
     otherwise split over two lines. */
  if (xmlTextWriterStartDocument(x, "1.0", "UTF-8", NULL) < 0 ||
      xmlTextWriterWriteDTD(x, BAD_CAST "tmx", NULL, BAD_CAST "tmx14.dtd", NULL) < 0 ||
      xmlTextWriterWriteRaw(x, BAD_CAST "\n") < 0 || xmlTextWriterSetIndent(x, 1) < 0 ||
      xmlTextWriterSetIndentString(x, BAD_CAST INDENT) < 0 ||
      xmlTextWriterStartElement(x, BAD_CAST "tmx") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "version", BAD_CAST "1.4") < 0 ||
      xmlTextWriterStartElement(x, BAD_CAST "header") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "creationtool", BAD_CAST "ieum") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "creationtoolversion", BAD_CAST ieum_version()) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "datatype", BAD_CAST datatype) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "segtype", BAD_CAST segtype) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "adminlang", BAD_CAST "en") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "srclang", BAD_CAST w->src_lang) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "o-tmf", BAD_CAST "ieum") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "creationdate", BAD_CAST date) < 0 ||
      xmlTextWriterEndElement(x) < 0 || xmlTextWriterStartElement(x, BAD_CAST "body") < 0)
    return write_error(w);
  return IEUM_OK;
}

int ieum_tmx_writer_open(ieum_tmx_writer **out, const char *path, const ieum_tmx_header *hdr)
{
  int rc = IEUM_OK;
  xmlOutputBufferPtr ob = NULL;
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
  ob = xmlOutputBufferCreateIO(io_write, io_close, w, NULL);
  if (!ob) {
    rc = ieum__error_set(IEUM_ENOMEM, "%s: libxml2 cannot create an output buffer", path);
    goto done;
  }
  w->xw = xmlNewTextWriter(ob);
  if (!w->xw) {
    xmlOutputBufferClose(ob);
    rc = ieum__error_set(IEUM_ENOMEM, "%s: libxml2 cannot create a text writer", path);
    goto done;
  }
  rc = write_start(w, hdr);
  if (!rc && w->out.io_errno)
    rc = write_error(w);
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

/* Writes a stored <prop> or <note> with its optional xml:lang. */
static int write_meta(ieum_tmx_writer *w, const ieum_unit_prop *p)
{
  const char *base;
  kind_side(p->kind, &base);
  int note = !strcmp(base, "note");
  if (xmlTextWriterStartElement(w->xw, BAD_CAST(note ? "note" : "prop")) < 0 ||
      (!note && xmlTextWriterWriteAttribute(w->xw, BAD_CAST "type", BAD_CAST p->type) < 0) ||
      (p->lang && *p->lang && xmlTextWriterWriteAttribute(w->xw, BAD_CAST "xml:lang", BAD_CAST p->lang) < 0) ||
      xmlTextWriterWriteString(w->xw, BAD_CAST(p->value ? p->value : "")) < 0 ||
      xmlTextWriterEndElement(w->xw) < 0)
    return write_error(w);
  return IEUM_OK;
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
  ieum__buf_clear(&w->scratch);
  int rc = ieum__buf_put(&w->scratch, s ? s : "", len); /* NUL-terminated */
  if (rc)
    return rc;
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "tuv") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "xml:lang", BAD_CAST lang) < 0)
    return write_error(w);
  for (size_t i = 0; i < n; i++)
    if (kind_side(props[i].kind, &base) == which && !strcmp(base, "attr") &&
        xmlTextWriterWriteAttribute(w->xw, BAD_CAST props[i].type, BAD_CAST(props[i].value ? props[i].value : "")) < 0)
      return write_error(w);
  for (size_t i = 0; i < n; i++)
    if (kind_side(props[i].kind, &base) == which && strcmp(base, "attr") && (rc = write_meta(w, &props[i])) != 0)
      return rc;
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "seg") < 0 ||
      (raw ? xmlTextWriterWriteRaw(w->xw, BAD_CAST w->scratch.ptr) : xmlTextWriterWriteString(w->xw, BAD_CAST w->scratch.ptr)) < 0 ||
      xmlTextWriterEndElement(w->xw) < 0 || xmlTextWriterEndElement(w->xw) < 0)
    return write_error(w);
  return IEUM_OK;
}

int ieum_tmx_writer_add(ieum_tmx_writer *w, const ieum_unit *unit)
{
  return ieum_tmx_writer_add_props(w, unit, NULL, 0);
}

int ieum_tmx_writer_add_props(ieum_tmx_writer *w, const ieum_unit *unit, const ieum_unit_prop *props,
                              size_t n_props)
{
  int rc = IEUM_OK;
  char date[17], num[32];

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
  if (format_date(date, unit->created ? unit->created : ieum__now()) != 0)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": creation time %" PRId64 " out of range",
                           w->path, tuid, unit->created);

  /* tuid, creationdate and creationtool(version) first; the unit's own values win. */
  snprintf(num, sizeof num, "%" PRId64, tuid);
  const char *a_tuid = find_attr(props, n_props, "tuid");
  const char *a_tool = find_attr(props, n_props, "creationtool");
  const char *a_toolv = find_attr(props, n_props, "creationtoolversion");
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "tu") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "tuid", BAD_CAST(a_tuid ? a_tuid : num)) < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationdate", BAD_CAST date) < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationtool", BAD_CAST(a_tool ? a_tool : "ieum")) < 0 ||
      ((a_toolv || !a_tool) &&
       xmlTextWriterWriteAttribute(w->xw, BAD_CAST "creationtoolversion",
                                   BAD_CAST(a_toolv ? a_toolv : ieum_version())) < 0))
    return write_error(w);
  for (size_t i = 0; i < n_props; i++) {
    const ieum_unit_prop *p = &props[i];
    if (strcmp(p->kind, "attr") || !is_tu_attr(p->type) || !strcmp(p->type, "tuid") ||
        !strcmp(p->type, "creationtool") || !strcmp(p->type, "creationtoolversion"))
      continue;
    /* A <tu>'s srclang names its source <tuv>: the tag written for it, as spelled on the header. */
    const char *v = !strcmp(p->type, "srclang") ? src_lang : p->value ? p->value : "";
    if (xmlTextWriterWriteAttribute(w->xw, BAD_CAST p->type, BAD_CAST v) < 0)
      return write_error(w);
  }
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
    if ((!strcmp(props[i].kind, "prop") || !strcmp(props[i].kind, "note")) && (rc = write_meta(w, &props[i])) != 0)
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
  if (xmlTextWriterEndElement(w->xw) < 0 || w->out.io_errno)
    return write_error(w);
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
  if (xmlTextWriterEndDocument(w->xw) < 0 || xmlTextWriterFlush(w->xw) < 0 || w->out.io_errno) {
    rc = write_error(w);
    goto done;
  }
  /* Frees the output buffer too; io_close() leaves the descriptor open. */
  xmlFreeTextWriter(w->xw);
  w->xw = NULL;
  if (w->out.io_errno) {
    rc = write_error(w);
    goto done;
  }
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
  if (w->xw) {
    w->out.io_errno = ECANCELED; /* what libxml2 still buffers is dropped, not written */
    xmlFreeTextWriter(w->xw);
  }
  ieum__outfile_abandon(&w->out);
  ieum_buf_dispose(&w->scratch);
  ieum_buf_dispose(&w->clean_src);
  ieum_buf_dispose(&w->clean_tgt);
  ieum__free(w);
}
