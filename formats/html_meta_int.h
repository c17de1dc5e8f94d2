/*
** formats/html_meta_int.h: what a page declares about its article in
** machine-readable form, read by formats/html_meta.c for formats/html.c.
**
** Pages tell more than their markup shows: JSON-LD (schema.org
** NewsArticle: headline, articleBody, datePublished, author), and the state
** that JavaScript front ends render from (Arc/Fusion's
** Fusion.globalContent, Next.js's __NEXT_DATA__, window.__INITIAL_STATE__),
** which on some pages is the only place the body is.  html.c finds the
** <script>s and hands their text here; what is found accumulates in one
** ieum_html_decl, first value kept.
** Invariant: every string of an ieum_html_decl is NULL or valid UTF-8
** (not yet NFC: html.c normalizes what it keeps), ieum__malloc'ed and owned
** by the decl; `body` is paragraphs separated by one blank line ("\n\n"),
** white space folded inside each, no empty paragraph.
** Not here: <meta> tags and the DOM (html.c), decoding (text.c).
*/
#ifndef IEUM_HTML_META_INT_H
#define IEUM_HTML_META_INT_H

#include <stddef.h>

/* Where a declared body came from. */
enum { IEUM_DECL_NONE = 0, IEUM_DECL_JSONLD = 1, IEUM_DECL_EMBEDDED = 2 };

typedef struct {
  char *headline;     /* an article object's headline */
  char *byline;       /* its authors' names, ", " between them */
  char *date;         /* its publication date, as written (ISO 8601 mostly) */
  char *url;          /* its URL */
  char *site;         /* the publisher's or web site's name: no headline */
  char *body;         /* the article text, paragraphs separated by "\n\n" */
  int body_source;    /* IEUM_DECL_* of body */
  size_t body_weight; /* text weight of body (ieum_html__text_weight) */
} ieum_html_decl;

#define IEUM_HTML_DECL_INIT { NULL, NULL, NULL, NULL, NULL, NULL, IEUM_DECL_NONE, 0 }

/* Frees what `d` holds and empties it. */
void ieum_html__decl_dispose(ieum_html_decl *d);

/*
** Reads the JSON-LD text s[0..len) (a <script type="application/ld+json">:
** one object, an array of them, or an @graph; an HTML comment or CDATA
** wrapper is passed over): the first object typed as an article
** (NewsArticle, Article, BlogPosting, ReportageNews...) gives headline,
** byline, date, URL and body (articleBody, its HTML or plain-text lines
** made paragraphs); a WebSite or the article's publisher gives the site
** name.  JSON that does not parse is passed over: a page's broken script
** is no error of ours.  Errors: IEUM_ENOMEM.
*/
int ieum_html__decl_jsonld(ieum_html_decl *d, const char *s, size_t len);

/*
** Reads a script's text s[0..len) for the state a JavaScript front end
** renders: the whole text when `whole` (Next.js's <script
** id="__NEXT_DATA__">), else the JSON after "Fusion.globalContent=",
** "__INITIAL_STATE__=" or "__PRELOADED_STATE__=".  The body is Arc's
** content_elements (text, header and list items) or, failing that, the
** longest text under an "articleBody", "body", "content" or "html" key,
** kept from MIN_EMBEDDED_WEIGHT on; headline, byline and date come from the
** same article.  Errors: IEUM_ENOMEM.
*/
int ieum_html__decl_embedded(ieum_html_decl *d, const char *s, size_t len, int whole);

/* Does the script text s[0..len) hold one of the markers ieum_html__decl_embedded() reads? */
int ieum_html__decl_has_state(const char *s, size_t len);

/*
** Text weight of UTF-8 s[0..len): code points but white space, a Hangul,
** kana or CJK character counting 2 (html.c's measure of prose).
*/
size_t ieum_html__text_weight(const char *s, size_t len);

#endif
