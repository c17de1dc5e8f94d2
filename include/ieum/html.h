/*
** include/ieum/html.h: the article of a saved news web page.
**
** A news page holds one article among menus, share buttons, related and
** popular article lists, ads, scripts and a copyright footer.  This module
** finds the article body and returns it as plain text ready for
** segmentation, plus the page's metadata (headline, byline, date, URL,
** language), reading what the page declares as well (JSON-LD NewsArticle,
** OpenGraph and <meta> tags, and the JSON a JavaScript front end renders
** the article from when the markup has none of it).  The text is NFC UTF-8 with paragraphs (<p>, <br><br>,
** subheadings, list items) separated by one blank line and no line breaks
** inside a paragraph: segment it with IEUM_PARAGRAPH_BLANK.  Figure
** captions, the headline, the byline and the date line are not part of the
** text (the last three are metadata).
** An ieum_article owns its text and its metadata.
*/
#ifndef IEUM_HTML_H
#define IEUM_HTML_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ieum_article ieum_article;

typedef struct {
  unsigned int version;  /* IEUM_HTML_OPTIONS_VERSION */
  const char *encoding;  /* ICU converter name; NULL = BOM, then <meta charset>, then detection */
  size_t max_size;       /* bytes of HTML; 0 = IEUM_TEXT_MAX_SIZE */
} ieum_html_options;

#define IEUM_HTML_OPTIONS_VERSION 1
#define IEUM_HTML_OPTIONS_INIT { IEUM_HTML_OPTIONS_VERSION, NULL, 0 }

/*
** Non-zero when `data` looks like an HTML page by its content (a doctype,
** or markup such as <html>, <head>, <body>, <p> or <div> near the start),
** in UTF-8, a legacy ASCII-compatible encoding or UTF-16 with a BOM.
*/
IEUM_API int ieum_html_detect(const char *data, size_t len);

/*
** Extracts the article of the HTML page `data[0..len)` into `*out`, which
** the caller frees with ieum_html_free().  The bytes are decoded as a
** browser shows them: the caller's encoding or a BOM, strictly; else
** valid UTF-8 whatever the page declares; else the page's own <meta
** charset> when it decodes cleanly, then detection (CP949), then invalid
** bytes as U+FFFD; stray NUL and control bytes of a page are dropped.
** The page is parsed with libxml2's HTML parser without network access.
** `name` is used in messages only; `opts` may be
** NULL.  Pages are not line-based: no line limit applies.  A start tag
** keeps its first 256 attributes (the rest are dropped before parsing);
** text nested more than 254 elements deep is kept, flattened into
** paragraphs.  Errors: IEUM_EENCODING (bytes not in the caller's
** encoding: the message gives the byte offset; a binary file),
** IEUM_EINVAL (no article text on the
** page, or an unknown encoding), IEUM_EPARSE (the parser stopped early:
** the message names the line, and nothing is extracted rather than part
** of the page), IEUM_ELIMIT (too large, or so deeply nested with stray
** tags that parsing would take quadratic time), IEUM_ENOMEM.  On failure
** `*out` is NULL.
*/
IEUM_API int ieum_html_extract(ieum_article **out, const char *data, size_t len, const char *name,
                               const ieum_html_options *opts);

/*
** Reads `path` ("-" = standard input) and extracts its article, as
** ieum_html_extract().  More errors: IEUM_ENOTFOUND, IEUM_EIO.
*/
IEUM_API int ieum_html_load(ieum_article **out, const char *path, const ieum_html_options *opts);

/* Frees `article`; NULL is a no-op. */
IEUM_API void ieum_html_free(ieum_article *article);

/*
** The article text (NUL-terminated; `*len` gets its bytes when `len` is
** not NULL).  Borrowed: lives as long as `article`.
*/
IEUM_API const char *ieum_html_text(const ieum_article *article, size_t *len);

/* Appends the article text to `out` (the caller's buffer).  Errors: IEUM_ENOMEM. */
IEUM_API int ieum_html_copy_text(ieum_buf *out, const ieum_article *article);

/*
** Appends the article's headline (metadata "headline"), a blank line, then
** the article text to `out`, the text ieum_doc_new_headed() takes with
** `*head_len` (align.h), so that the headline is aligned as a segment of
** its own; `*head_len` receives the end of the headline in `out` (its
** bytes when `out` was empty), 0 when the page has no headline (then only
** the text is appended).  The headline stays in the metadata as well.
** Errors: IEUM_ENOMEM.
*/
IEUM_API int ieum_html_copy_headed_text(ieum_buf *out, size_t *head_len, const ieum_article *article);

/*
** The number of paragraphs of the article text, and the i-th one (0-based):
** a pointer into ieum_html_text() (borrowed; not NUL-terminated at its
** end: use `*len`, its bytes).  NULL past the last paragraph.  Their roles
** (body, byline, caption, credit...) as the aligner sees them come from
** ieum_pipeline_paragraph_roles() (ieum/pipeline.h): finding them is the
** segmenter's work, not the HTML reader's.
*/
IEUM_API size_t ieum_html_paragraph_count(const ieum_article *article);
IEUM_API const char *ieum_html_paragraph(const ieum_article *article, size_t i, size_t *len);

/*
** The value of metadata `key` ("headline", "byline", "date", "url",
** "lang"), or NULL when the page has none.  Borrowed.
*/
IEUM_API const char *ieum_html_meta(const ieum_article *article, const char *key);

/*
** The key of the i-th metadata item the page has (0-based, in the order
** above), or NULL past the last one.  Static text.
*/
IEUM_API const char *ieum_html_meta_key(const ieum_article *article, size_t i);

#ifdef __cplusplus
}
#endif
#endif
