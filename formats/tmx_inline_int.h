/*
** formats/tmx_inline_int.h: TMX 1.4 inline markup kept as the DTD allows
** (ieum__tmx_inline_*), shared by the reader (--tags keep) and the writer.
**
** A segment's content is text and the inline elements of the TMX 1.4 DTD:
** seg, hi and sub hold bpt, ept, it, ph, hi, ut; bpt, ept, it, ph and ut
** hold sub only.  The filter is fed the elements and text of one <seg> as
** an xmlTextReader meets them and writes the markup ieum keeps:
**   - an element the DTD allows where it stands is written with the
**     attributes the DTD gives it (bpt: i x type; ept: i; it: pos x type;
**     ph: x assoc type; hi: x type; sub: datatype type; ut: x), the others
**     dropped;
**   - an inline code (bpt, ept, it) without its required attribute (i, or
**     pos "begin"/"end") is dropped with its content, as the plain text
**     drops every code's content;
**   - any other element (<foo>, <script>, <xi:include>, a <sub> straight in
**     the <seg>, a <bpt> inside a <bpt>) loses its markup and keeps its text,
**     written as escaped text: <foo>text</foo> -> text.
** So the result is valid content for a <seg> and has the text of the plain
** segment plus the kept codes; filtering it again changes nothing.
** Cost: O(bytes); memory: one byte per open element.
** Not here: where a <seg> starts and ends (tmx_read.c), writing the <seg>
** (tmx_write.c).
*/
#ifndef IEUM_TMX_INLINE_INT_H
#define IEUM_TMX_INLINE_INT_H

#include <libxml/xmlreader.h>

#include "util.h"

typedef struct {
  ieum_buf stack;  /* one byte per open element inside the <seg>: what it is, what its children may be */
  size_t drop_at;  /* stack size when the code dropped with its content opened; 0 = none */
  int kept;        /* an element was written since the last reset */
} ieum__tmx_inline;

/* Starts a new <seg>: no element open, none kept. */
void ieum__tmx_inline_reset(ieum__tmx_inline *f);

/*
** The element the reader `xr` is on starts inside the <seg> (`empty`: it
** is <x/>): its markup, when kept, goes to `out`.  Moves the reader over
** the attributes and back to the element.  Errors: IEUM_ENOMEM.
*/
int ieum__tmx_inline_start(ieum__tmx_inline *f, ieum_buf *out, xmlTextReaderPtr xr, int empty);

/* The innermost open element ends (not called for an empty one).  Errors: IEUM_ENOMEM. */
int ieum__tmx_inline_end(ieum__tmx_inline *f, ieum_buf *out, xmlTextReaderPtr xr);

/* Text of the <seg>, escaped onto `out` unless inside a dropped code.  Errors: IEUM_ENOMEM. */
int ieum__tmx_inline_text(ieum__tmx_inline *f, ieum_buf *out, const char *s, size_t n);

/* XML-escapes s[0..n) onto `b` (text and attribute values alike).  Errors: IEUM_ENOMEM. */
int ieum__tmx_inline_escape(ieum_buf *b, const char *s, size_t n);

/*
** Filters a stored fragment s[0..len) (the content of a <seg>) as above
** into `out` (cleared first): parsed inside a <seg> with no network and no
** entity expansion, nothing printed.  `*kept` (may be NULL) says whether an
** element is left.  Errors: IEUM_EINVAL (not well-formed: no message is
** set, the caller names the unit), IEUM_ENOMEM, IEUM_ELIMIT (over 2 GB).
*/
int ieum__tmx_inline_clean(ieum_buf *out, int *kept, const char *s, size_t len);

void ieum__tmx_inline_dispose(ieum__tmx_inline *f);

#endif
