/*
** align/article_int.h: which paragraphs of a scraped news page are the
** article (internal to align/).
**
** segment.c cuts the text into paragraphs, hands the list to
** ieum_article__roles(), then splits the body paragraphs into sentences and
** adds every other paragraph whole, with the role found here (or drops it,
** for furniture).
*/
#ifndef IEUM_ARTICLE_INT_H
#define IEUM_ARTICLE_INT_H

#include "align_int.h"

typedef struct {
  size_t lo, hi; /* the paragraph: text[lo..hi), not blank */
  int role;      /* ieum_segment_role */
  int whole;     /* 1: one segment with `role`; 0: split into sentences (bylines, credits, captions found there) */
} ieum_article_para;

/*
** Sets role and whole of each of the n paragraphs `p` of `text` (in
** document order): furniture and date lines (IEUM_ROLE_FURNITURE,
** IEUM_ROLE_DATELINE), the headline and its copies (IEUM_ROLE_HEADLINE,
** IEUM_ROLE_CAPTION), related titles (IEUM_ROLE_RELATED), copyright lines
** (IEUM_ROLE_CREDIT) are whole; the rest is body to split.  O(text).
*/
void ieum_article__roles(const char *text, ieum_article_para *p, size_t n);

#endif
