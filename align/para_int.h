/*
** align/para_int.h: paragraph detection of IEUM_PARAGRAPH_AUTO (internal
** to align/): is a text hard-wrapped, and which of its line breaks are only
** wraps inside a paragraph.
**
** segment.c plans once per document, then asks about each line break
** between two non-blank lines.  Both calls are linear in what they read.
*/
#ifndef IEUM_PARA_INT_H
#define IEUM_PARA_INT_H

#include "align_int.h"

typedef struct {
  int wrapped;   /* the text is hard-wrapped: a line break may fall inside a sentence */
  size_t width;  /* its wrap width, in columns (wide East Asian characters count 2) */
} ieum_para__plan;

/*
** Looks at every line of text[0..len) once and fills *out: wrapped when the
** text has sentence punctuation at the end of some line, and at least half
** of its breaks between non-blank lines show a wrap (the line ends with no
** sentence punctuation, and the next line starts in lower case or the line
** is about as long as the document's wrap width).  Web-copied text, one
** paragraph per line, is not wrapped.
*/
void ieum_para__plan_text(ieum_para__plan *out, const char *text, size_t len);

/*
** Non-zero when the line break between the non-blank lines s[a0..a1) and
** s[b0..b1) of a wrapped text is a wrap inside a paragraph: the next line
** starts in lower case, or its first word would not have fitted on the line
** before; zero when the next line opens a list item or bullet.  Always zero
** for a text that is not wrapped.
*/
int ieum_para__joins(const ieum_para__plan *plan, const char *s, size_t a0, size_t a1, size_t b0, size_t b1);

#endif
