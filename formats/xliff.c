/*
** formats/xliff.c: the XLIFF 2.0 writer (ieum_xliff__*), for reviewing
** aligned pairs in a CAT tool.
**
** Streams with libxml2's xmlTextWriter into an ieum__outfile (temporary
** file renamed into place at the end, see export_int.h):
**   <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"
**          xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0"
**          version="2.0" srcLang="ko" trgLang="en">
**     <file id="f1" original="ko.txt|en.txt">        one per run of units of a document
**       <unit id="u1">
**         <mda:metadata><mda:metaGroup category="ieum">
**           <mda:meta type="x-score">0.9312</mda:meta> ... x-bead, x-role, x-position, created, the unit's props
**         </mda:metaGroup></mda:metadata>
**         <notes><note>...</note></notes>
**         <segment state="translated"><source>...</source><target>...</target></segment>
**       </unit>
** Element order follows the XLIFF 2.0 core schema (module elements, then
** notes, then segments).  Ids are generated ("f<n>", "u<n>"), so they are
** unique in the file whatever the documents are called.  Texts are plain
** text, escaped by the writer; a text XML cannot carry is refused
** (IEUM_EINVAL) before anything of its unit is written.
** An export without units gets one empty <file>, which the XLIFF 2.0 schema
** does not allow (a <file> needs a unit): tools read it as empty.
** Cost: O(bytes written), constant memory.
** Not here: the file handling (export.c), the public API (export.c).
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "export_int.h"

#define XLIFF_NS "urn:oasis:names:tc:xliff:document:2.0"
#define MDA_NS "urn:oasis:names:tc:xliff:metadata:2.0"
#define INDENT "  "
#define SCORE_DECIMALS 10000   /* 4 decimals, as in TMX */
#define LANG_MAX 64

struct ieum_xliff__writer {
  ieum__outfile out;
  xmlTextWriterPtr xw;
  int failed;
  int64_t files, units;      /* ids given so far */
  int in_file;               /* a <file> is open */
  ieum_buf document;         /* the open <file>'s document */
  ieum_buf scratch;          /* NUL-terminated copy of a text */
};

static int io_write(void *ctx, const char *buf, int len)
{
  ieum_xliff__writer *w = ctx;
  if (w->out.io_errno)
    return len; /* failed or abandoned already: the message is recorded */
  if (ieum__outfile_write(&w->out, buf, (size_t)len) != 0)
    w->failed = 1;
  return len; /* errors are seen by the next public call: libxml2 would print its own */
}

static int io_close(void *ctx)
{
  (void)ctx;
  return 0;
}

static int write_error(ieum_xliff__writer *w)
{
  w->failed = 1;
  return ieum__outfile_error(&w->out);
}

/* Text XML 1.0 can carry: valid UTF-8, no C0 control but tab/LF/CR, no U+FFFE/U+FFFF. */
static int check_text(ieum_xliff__writer *w, int64_t id, const char *what, const char *s, size_t len)
{
  size_t bad = s ? ieum__utf8_invalid_at(s, len) : len;
  if (bad < len)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": invalid UTF-8 in the %s at byte %zu",
                           w->out.path, id, what, bad);
  for (size_t i = 0; s && i < len;) {
    size_t at = i;
    int32_t c = ieum__utf8_next(s, len, &i);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
      return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": character U+%04" PRIX32
                             " cannot be written to XML (%s, byte %zu)", w->out.path, id, (uint32_t)c, what, at);
  }
  return IEUM_OK;
}

static int check_str(ieum_xliff__writer *w, int64_t id, const char *what, const char *s)
{
  return s ? check_text(w, id, what, s, strlen(s)) : IEUM_OK;
}

/* <name>text</name>, text escaped. */
static int text_element(ieum_xliff__writer *w, const char *name, const char *s, size_t len)
{
  ieum__buf_clear(&w->scratch);
  int rc = ieum__buf_put(&w->scratch, s ? s : "", len);
  if (rc)
    return rc;
  if (xmlTextWriterWriteElement(w->xw, BAD_CAST name, BAD_CAST(w->scratch.ptr ? w->scratch.ptr : "")) < 0)
    return write_error(w);
  return IEUM_OK;
}

static int meta(ieum_xliff__writer *w, const char *type, const char *value)
{
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "mda:meta") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "type", BAD_CAST type) < 0 ||
      xmlTextWriterWriteString(w->xw, BAD_CAST value) < 0 || xmlTextWriterEndElement(w->xw) < 0)
    return write_error(w);
  return IEUM_OK;
}

static int set_lang(char out[LANG_MAX], const char *lang, const char *path)
{
  size_t n = lang ? strlen(lang) : 0;
  if (n == 0 || n >= LANG_MAX)
    return ieum__error_set(IEUM_EINVAL, "%s: language tag \"%.64s\" is empty or too long", path, lang ? lang : "");
  memcpy(out, lang, n + 1);
  return IEUM_OK;
}

int ieum_xliff__open(ieum_xliff__writer **out, const char *path, const char *src_lang, const char *tgt_lang)
{
  ieum_xliff__writer *w = NULL;
  xmlOutputBufferPtr ob = NULL;
  char sl[LANG_MAX], tl[LANG_MAX];
  int rc;
  *out = NULL;
  if ((rc = set_lang(sl, src_lang, path)) != 0 || (rc = set_lang(tl, tgt_lang, path)) != 0)
    return rc;
  if (!(w = ieum__calloc(1, sizeof *w)))
    return ieum__error_oom();
  w->out.fd = -1;
  if ((rc = ieum__outfile_open(&w->out, path)) != 0)
    goto done;
  if ((rc = check_str(w, 0, "source language", sl)) != 0 || (rc = check_str(w, 0, "target language", tl)) != 0)
    goto done;
  ob = xmlOutputBufferCreateIO(io_write, io_close, w, NULL);
  if (!ob) {
    rc = ieum__error_set(IEUM_ENOMEM, "%s: libxml2 cannot create an output buffer", path);
    goto done;
  }
  if (!(w->xw = xmlNewTextWriter(ob))) {
    xmlOutputBufferClose(ob);
    rc = ieum__error_set(IEUM_ENOMEM, "%s: libxml2 cannot create a text writer", path);
    goto done;
  }
  xmlTextWriterPtr x = w->xw;
  if (xmlTextWriterSetIndent(x, 1) < 0 || xmlTextWriterSetIndentString(x, BAD_CAST INDENT) < 0 ||
      xmlTextWriterStartDocument(x, "1.0", "UTF-8", NULL) < 0 ||
      xmlTextWriterStartElement(x, BAD_CAST "xliff") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "xmlns", BAD_CAST XLIFF_NS) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "xmlns:mda", BAD_CAST MDA_NS) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "version", BAD_CAST "2.0") < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "srcLang", BAD_CAST sl) < 0 ||
      xmlTextWriterWriteAttribute(x, BAD_CAST "trgLang", BAD_CAST tl) < 0) {
    rc = write_error(w);
    goto done;
  }
  if (w->failed)
    rc = write_error(w);
done:
  if (rc) {
    ieum_xliff__free(w);
    return rc;
  }
  *out = w;
  return IEUM_OK;
}

/* Opens a <file> for `document` unless the open one is for it already. */
static int file_for(ieum_xliff__writer *w, const char *document)
{
  const char *d = document ? document : "";
  if (w->in_file && w->document.size == strlen(d) && !memcmp(w->document.ptr ? w->document.ptr : "", d, w->document.size))
    return IEUM_OK;
  if (w->in_file && xmlTextWriterEndElement(w->xw) < 0)
    return write_error(w);
  w->in_file = 0;
  ieum__buf_clear(&w->document);
  int rc = ieum__buf_puts(&w->document, d);
  if (rc)
    return rc;
  char id[32];
  snprintf(id, sizeof id, "f%" PRId64, ++w->files);
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "file") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "id", BAD_CAST id) < 0 ||
      (*d && xmlTextWriterWriteAttribute(w->xw, BAD_CAST "original", BAD_CAST d) < 0))
    return write_error(w);
  w->in_file = 1;
  return IEUM_OK;
}

int ieum_xliff__add(ieum_xliff__writer *w, const ieum_unit *u, const ieum_unit_prop *props, size_t n_props,
                    const char *state, const char *sub_state)
{
  int rc;
  char id[32], num[64];
  int64_t uid = u->id > 0 ? u->id : w->units + 1;
  if (w->failed)
    return ieum__error_set(IEUM_EIO, "%s: an earlier write failed", w->out.path);
  if ((rc = check_text(w, uid, "source text", u->src, u->src ? u->src_len : 0)) != 0 ||
      (rc = check_text(w, uid, "target text", u->tgt, u->tgt ? u->tgt_len : 0)) != 0 ||
      (rc = check_str(w, uid, "document", u->document)) != 0 || (rc = check_str(w, uid, "bead", u->bead)) != 0 ||
      (rc = check_str(w, uid, "role", u->role)) != 0 ||
      (rc = check_str(w, uid, "note", u->note)) != 0)
    return rc;
  int has_notes = 0, has_props = 0;
  for (size_t i = 0; i < n_props; i++) {
    if ((rc = check_str(w, uid, "metadata", props[i].type)) != 0 ||
        (rc = check_str(w, uid, "metadata", props[i].value)) != 0)
      return rc;
    if (props[i].kind && !strcmp(props[i].kind, "note"))
      has_notes = 1;
    else if (props[i].type && strcmp(props[i].type, "x-inline"))
      has_props = 1;
  }
  if ((rc = file_for(w, u->document)) != 0)
    return rc;
  snprintf(id, sizeof id, "u%" PRId64, ++w->units);
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "unit") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "id", BAD_CAST id) < 0)
    return write_error(w);
  int any_meta = (u->score >= 0 && isfinite(u->score)) || u->bead || u->role || u->position >= 0 || u->created > 0 || has_props;
  if (any_meta) {
    if (xmlTextWriterStartElement(w->xw, BAD_CAST "mda:metadata") < 0 ||
        xmlTextWriterStartElement(w->xw, BAD_CAST "mda:metaGroup") < 0 ||
        xmlTextWriterWriteAttribute(w->xw, BAD_CAST "category", BAD_CAST "ieum") < 0)
      return write_error(w);
    if (u->score >= 0 && isfinite(u->score) && u->score * SCORE_DECIMALS < (double)INT64_MAX) {
      int64_t v = (int64_t)floor(u->score * SCORE_DECIMALS + 0.5);
      snprintf(num, sizeof num, "%" PRId64 ".%04" PRId64, v / SCORE_DECIMALS, v % SCORE_DECIMALS);
      if ((rc = meta(w, "x-score", num)) != 0)
        return rc;
    }
    if (u->bead && (rc = meta(w, "x-bead", u->bead)) != 0)
      return rc;
    if (u->role && (rc = meta(w, "x-role", u->role)) != 0)
      return rc;
    if (u->position >= 0) {
      snprintf(num, sizeof num, "%" PRId64, u->position);
      if ((rc = meta(w, "x-position", num)) != 0)
        return rc;
    }
    if (u->created > 0) {
      time_t t = (time_t)u->created;
      struct tm tm;
      if (gmtime_r(&t, &tm) && strftime(num, sizeof num, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0 &&
          (rc = meta(w, "created", num)) != 0)
        return rc;
    }
    for (size_t i = 0; i < n_props; i++)
      if (props[i].kind && strcmp(props[i].kind, "note") && props[i].type && strcmp(props[i].type, "x-inline") &&
          (rc = meta(w, props[i].type, props[i].value ? props[i].value : "")) != 0)
        return rc;
    if (xmlTextWriterEndElement(w->xw) < 0 || xmlTextWriterEndElement(w->xw) < 0)
      return write_error(w);
  }
  if (has_notes || (u->note && *u->note)) {
    if (xmlTextWriterStartElement(w->xw, BAD_CAST "notes") < 0)
      return write_error(w);
    for (size_t i = 0; i < n_props; i++)
      if (props[i].kind && !strcmp(props[i].kind, "note") &&
          (rc = text_element(w, "note", props[i].value, props[i].value ? strlen(props[i].value) : 0)) != 0)
        return rc;
    if (!has_notes && (rc = text_element(w, "note", u->note, strlen(u->note))) != 0)
      return rc;
    if (xmlTextWriterEndElement(w->xw) < 0)
      return write_error(w);
  }
  if (!u->tgt_len)
    state = "initial", sub_state = NULL; /* nothing to review or finalize without a target */
  if (xmlTextWriterStartElement(w->xw, BAD_CAST "segment") < 0 ||
      xmlTextWriterWriteAttribute(w->xw, BAD_CAST "state", BAD_CAST(state ? state : "translated")) < 0 ||
      (sub_state && xmlTextWriterWriteAttribute(w->xw, BAD_CAST "subState", BAD_CAST sub_state) < 0))
    return write_error(w);
  if ((rc = text_element(w, "source", u->src, u->src ? u->src_len : 0)) != 0)
    return rc;
  if (u->tgt_len && (rc = text_element(w, "target", u->tgt, u->tgt_len)) != 0)
    return rc;
  if (xmlTextWriterEndElement(w->xw) < 0 || xmlTextWriterEndElement(w->xw) < 0)
    return write_error(w);
  if (w->failed)
    return write_error(w);
  return IEUM_OK;
}

int ieum_xliff__close(ieum_xliff__writer *w)
{
  int rc = IEUM_OK;
  if (w->failed) {
    rc = ieum__error_set(IEUM_EIO, "%s: an earlier write failed", w->out.path);
    goto done;
  }
  /* XLIFF 2.0 requires at least one <file>: an empty export gets an empty one. */
  if (!w->in_file && w->files == 0 && (rc = file_for(w, NULL)) != 0)
    goto done;
  if (xmlTextWriterEndDocument(w->xw) < 0 || xmlTextWriterFlush(w->xw) < 0 || w->failed) {
    rc = write_error(w);
    goto done;
  }
  xmlFreeTextWriter(w->xw);
  w->xw = NULL;
  if (w->failed) {
    rc = write_error(w);
    goto done;
  }
  rc = ieum__outfile_commit(&w->out);
done:
  ieum_xliff__free(w);
  return rc;
}

void ieum_xliff__free(ieum_xliff__writer *w)
{
  if (!w)
    return;
  if (w->xw) {
    w->failed = 1;
    w->out.io_errno = w->out.io_errno ? w->out.io_errno : ECANCELED; /* what libxml2 still holds is dropped */
    xmlFreeTextWriter(w->xw);
  }
  ieum__outfile_abandon(&w->out);
  ieum_buf_dispose(&w->document);
  ieum_buf_dispose(&w->scratch);
  ieum__free(w);
}
