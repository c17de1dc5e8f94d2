/*
** pipeline/extract.c: the roles of an article's paragraphs as the aligner
** sees them, for `ieum extract --json` and the bindings.
**
** formats/html.c reads a page and cuts its article into paragraphs; which
** of them are body, byline, caption, credit, dateline, related titles or
** furniture is the segmenter's judgement (align/article.c), made with the
** headline in front exactly as ieum_html_copy_headed_text() hands the text
** to the aligner, so that what extract shows is what align uses.  This file
** joins the two, as only the pipeline layer may.  Cost: O(article text).
** Not here: the reading of the page (formats/html.c), the rules that give
** the roles (align/article.c).
*/
#include <string.h>

#include "align/article_int.h"
#include "pipeline_int.h"

int ieum_pipeline_paragraph_roles(const ieum_article *article, int *roles, size_t n)
{
  size_t count = ieum_html_paragraph_count(article), text_len = 0, head_len = 0, np = 0;
  const char *text = ieum_html_text(article, &text_len);
  ieum_buf headed = IEUM_BUF_INIT;
  ieum_article_para *p = NULL;
  int rc;
  if (n > count)
    n = count;
  if (!n)
    return IEUM_OK;
  if ((rc = ieum_html_copy_headed_text(&headed, &head_len, article)) != IEUM_OK)
    goto done;
  if (!(p = ieum__reallocarray(NULL, count + 1, sizeof *p))) {
    rc = ieum__error_oom();
    goto done;
  }
  /* headed = headline "\n\n" text, or text alone: each paragraph's offset
  ** in it is its offset in the article text plus the headline's part. */
  size_t skip = head_len ? head_len + 2 : 0;
  if (head_len) {
    p[np].lo = 0;
    p[np].hi = head_len;
    p[np].role = IEUM_ROLE_BODY;
    p[np++].whole = 0;
  }
  for (size_t i = 0; i < count; i++) {
    size_t len = 0;
    const char *s = ieum_html_paragraph(article, i, &len);
    p[np].lo = skip + (size_t)(s - text);
    p[np].hi = p[np].lo + len;
    p[np].role = IEUM_ROLE_BODY;
    p[np++].whole = 0;
  }
  ieum_article__roles(headed.ptr, p, np);
  for (size_t i = 0; i < n; i++)
    roles[i] = p[i + (head_len ? 1 : 0)].role;

done:
  ieum__free(p);
  ieum_buf_dispose(&headed);
  return rc;
}
