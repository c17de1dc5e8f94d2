/*
** formats/tmx_inline.c: TMX 1.4 inline markup kept as the DTD allows
** (ieum__tmx_inline_*, see tmx_inline_int.h for the rules).
**
** One table gives each inline element its DTD attributes, the attribute it
** cannot go without, and what it may hold.  The filter keeps a stack of one
** byte per open element of the <seg>: the context its children stand in
** (the innermost kept element, or the <seg>) and whether it was written, so
** each start, end and text event is O(1) plus its attributes.  The writer's
** ieum__tmx_inline_clean() runs a stored fragment through the same filter
** with an xmlTextReader over memory, so what the writer puts out is what
** the reader would keep, whatever the TM holds.
** Cost: O(bytes in + bytes out).
** Not here: finding the <seg> in a TMX file (tmx_read.c), writing it
** (tmx_write.c).
*/
#include <string.h>

#include "config.h"
#include "tmx_inline_int.h"

/* Element ids, and the low four bits of a stack byte: the context of the children. */
enum { E_NONE, E_BPT, E_EPT, E_IT, E_PH, E_HI, E_SUB, E_UT, E_SEG };

#define KEPT 0x10         /* stack byte: the element was written, so its end tag is too */
#define CODES_AND_HI ((1u << E_BPT) | (1u << E_EPT) | (1u << E_IT) | (1u << E_PH) | (1u << E_HI) | (1u << E_UT))
#define SUB_ONLY (1u << E_SUB)

/* The TMX 1.4 DTD's inline elements (tmx14.dtd, "Content Markup"). */
static const struct {
  const char *name;
  const char *attrs[4];   /* the attributes it may carry, NULL-terminated */
  const char *required;   /* an attribute it must carry, or NULL */
  unsigned int children;  /* bit set of the element ids it may hold */
} elems[] = {
  [E_NONE] = { "", { NULL }, NULL, 0 },
  [E_BPT] = { "bpt", { "i", "x", "type", NULL }, "i", SUB_ONLY },
  [E_EPT] = { "ept", { "i", NULL }, "i", SUB_ONLY },
  [E_IT] = { "it", { "pos", "x", "type", NULL }, "pos", SUB_ONLY },
  [E_PH] = { "ph", { "x", "assoc", "type", NULL }, NULL, SUB_ONLY },
  [E_HI] = { "hi", { "x", "type", NULL }, NULL, CODES_AND_HI },
  [E_SUB] = { "sub", { "datatype", "type", NULL }, NULL, CODES_AND_HI },
  [E_UT] = { "ut", { "x", NULL }, NULL, SUB_ONLY },
  [E_SEG] = { "seg", { NULL }, NULL, CODES_AND_HI },
};

void ieum__tmx_inline_reset(ieum__tmx_inline *f)
{
  ieum__buf_clear(&f->stack);
  f->drop_at = 0;
  f->kept = 0;
}

void ieum__tmx_inline_dispose(ieum__tmx_inline *f)
{
  ieum_buf_dispose(&f->stack);
  f->drop_at = 0;
  f->kept = 0;
}

int ieum__tmx_inline_escape(ieum_buf *b, const char *s, size_t n)
{
  int rc = IEUM_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    switch (s[i]) {
    case '&': rc = ieum__buf_puts(b, "&amp;"); break;
    case '<': rc = ieum__buf_puts(b, "&lt;"); break;
    case '>': rc = ieum__buf_puts(b, "&gt;"); break;
    case '"': rc = ieum__buf_puts(b, "&quot;"); break;
    case '\r': rc = ieum__buf_puts(b, "&#13;"); break;
    default: rc = ieum__buf_putc(b, s[i]); break;
    }
  }
  return rc;
}

/* The id of an element by its qualified name: only unprefixed TMX names count. */
static int lookup(const char *qname)
{
  for (int i = E_BPT; i <= E_UT; i++)
    if (!strcmp(qname, elems[i].name))
      return i;
  return E_NONE;
}

static int may_carry(int id, const char *attr)
{
  for (int i = 0; elems[id].attrs[i]; i++)
    if (!strcmp(attr, elems[id].attrs[i]))
      return 1;
  return 0;
}

/* Whether the element has its required attribute (it: with a value the DTD lists). */
static int complete(int id, xmlTextReaderPtr xr)
{
  if (!elems[id].required)
    return 1;
  xmlChar *v = xmlTextReaderGetAttribute(xr, BAD_CAST elems[id].required);
  int ok = v && (id != E_IT || !strcmp((const char *)v, "begin") || !strcmp((const char *)v, "end"));
  xmlFree(v);
  return ok;
}

static int push(ieum__tmx_inline *f, unsigned int byte)
{
  return ieum__buf_putc(&f->stack, (char)byte);
}

/* Writes <name a="v" ...> (or <name .../>) with the attributes the DTD gives the element. */
static int write_start(ieum_buf *out, int id, xmlTextReaderPtr xr, int empty)
{
  int rc = ieum__buf_putc(out, '<');
  if (!rc)
    rc = ieum__buf_puts(out, elems[id].name);
  if (!rc && xmlTextReaderMoveToFirstAttribute(xr) == 1) {
    do {
      const char *n = (const char *)xmlTextReaderConstName(xr);
      const char *v = (const char *)xmlTextReaderConstValue(xr);
      if (!n || !may_carry(id, n))
        continue;
      if ((rc = ieum__buf_putc(out, ' ')) != 0 || (rc = ieum__buf_puts(out, n)) != 0 ||
          (rc = ieum__buf_puts(out, "=\"")) != 0 ||
          (rc = ieum__tmx_inline_escape(out, v ? v : "", v ? strlen(v) : 0)) != 0 ||
          (rc = ieum__buf_putc(out, '"')) != 0)
        break;
    } while (xmlTextReaderMoveToNextAttribute(xr) == 1);
    xmlTextReaderMoveToElement(xr);
  }
  if (!rc)
    rc = ieum__buf_puts(out, empty ? "/>" : ">");
  return rc;
}

int ieum__tmx_inline_start(ieum__tmx_inline *f, ieum_buf *out, xmlTextReaderPtr xr, int empty)
{
  unsigned int ctx = f->stack.size ? (unsigned char)f->stack.ptr[f->stack.size - 1] & 0x0F : E_SEG;
  if (f->drop_at) /* inside a code dropped with its content */
    return empty ? IEUM_OK : push(f, ctx);
  const char *qname = (const char *)xmlTextReaderConstName(xr);
  int id = qname ? lookup(qname) : E_NONE;
  if (id == E_NONE || !(elems[ctx].children & (1u << id)))
    return empty ? IEUM_OK : push(f, ctx); /* markup dropped, text kept */
  if (!complete(id, xr)) {
    if (empty)
      return IEUM_OK;
    int rc = push(f, ctx);
    if (!rc)
      f->drop_at = f->stack.size;
    return rc;
  }
  int rc = write_start(out, id, xr, empty);
  if (!rc)
    f->kept = 1;
  if (!rc && !empty)
    rc = push(f, (unsigned int)id | KEPT);
  return rc;
}

int ieum__tmx_inline_end(ieum__tmx_inline *f, ieum_buf *out, xmlTextReaderPtr xr)
{
  (void)xr;
  if (!f->stack.size)
    return IEUM_OK; /* unbalanced: the parser reports it */
  size_t at = f->stack.size;
  unsigned int byte = (unsigned char)f->stack.ptr[--f->stack.size];
  if (f->drop_at) {
    if (at == f->drop_at)
      f->drop_at = 0;
    return IEUM_OK;
  }
  if (!(byte & KEPT))
    return IEUM_OK;
  int rc = ieum__buf_puts(out, "</");
  if (!rc)
    rc = ieum__buf_puts(out, elems[byte & 0x0F].name);
  if (!rc)
    rc = ieum__buf_putc(out, '>');
  return rc;
}

int ieum__tmx_inline_text(ieum__tmx_inline *f, ieum_buf *out, const char *s, size_t n)
{
  return f->drop_at ? IEUM_OK : ieum__tmx_inline_escape(out, s, n);
}

/*
** The clean reader's error handler: records that the fragment is not
** well-formed, prints nothing.  An undeclared prefix (<xi:include> stored
** by an ieum that kept any element) is a namespace error only: such an
** element is dropped like any other foreign one.
*/
static void on_error(void *arg, xmlErrorPtr err)
{
  if (err && err->level >= XML_ERR_ERROR && err->domain != XML_FROM_NAMESPACE)
    *(int *)arg = 1;
}

int ieum__tmx_inline_clean(ieum_buf *out, int *kept, const char *s, size_t len)
{
  ieum_buf doc = IEUM_BUF_INIT;
  ieum__tmx_inline f;
  xmlTextReaderPtr xr = NULL;
  int rc, bad = 0;

  memset(&f, 0, sizeof f);
  ieum__buf_clear(out);
  if (kept)
    *kept = 0;
  if ((rc = ieum__buf_puts(&doc, "<seg>")) != 0 || (rc = ieum__buf_put(&doc, s, len)) != 0 ||
      (rc = ieum__buf_puts(&doc, "</seg>")) != 0)
    goto done;
  if (doc.size > INT32_MAX) {
    rc = IEUM_ELIMIT;
    goto done;
  }
  int xopts = XML_PARSE_NONET;
#if HAVE_XML_PARSE_NO_XXE
  xopts |= XML_PARSE_NO_XXE;
#endif
  xr = xmlReaderForMemory(doc.ptr, (int)doc.size, NULL, "UTF-8", xopts);
  if (!xr) {
    rc = ieum__error_oom();
    goto done;
  }
  xmlTextReaderSetStructuredErrorHandler(xr, on_error, &bad);
  int ret = -1;
  while (!rc && (ret = xmlTextReaderRead(xr)) == 1 && !bad) {
    if (xmlTextReaderDepth(xr) < 1)
      continue; /* the <seg> wrapped around the fragment */
    switch (xmlTextReaderNodeType(xr)) {
    case XML_READER_TYPE_ELEMENT:
      rc = ieum__tmx_inline_start(&f, out, xr, xmlTextReaderIsEmptyElement(xr) == 1);
      break;
    case XML_READER_TYPE_END_ELEMENT:
      rc = ieum__tmx_inline_end(&f, out, xr);
      break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
      const char *v = (const char *)xmlTextReaderConstValue(xr);
      rc = v ? ieum__tmx_inline_text(&f, out, v, strlen(v)) : IEUM_OK;
      break;
    }
    default:
      break; /* comments, PIs */
    }
  }
  if (!rc && (ret != 0 || bad))
    rc = IEUM_EINVAL;
  if (!rc && kept)
    *kept = f.kept;
done:
  if (xr)
    xmlFreeTextReader(xr);
  ieum_buf_dispose(&doc);
  ieum__tmx_inline_dispose(&f);
  return rc;
}
