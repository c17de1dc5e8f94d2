/*
** formats/html_meta.c: the article a page declares in JSON: JSON-LD
** (schema.org NewsArticle and kin) and the embedded state of JavaScript
** front ends (Arc/Fusion globalContent, Next.js __NEXT_DATA__).
**
** json-c parses the script text (its own allocator; every value kept is
** copied with ieum__malloc and the JSON freed here).  JSON-LD: objects are
** visited depth-first (arrays, @graph, nested objects such as a WebPage's
** mainEntity) and the first one whose @type is an article type gives the
** metadata and its articleBody; a WebSite or the article's publisher names
** the site, so that html.c never takes the site name for a headline.
** Embedded state: the JSON after a known marker is parsed (json-c stops at
** the end of the value, so the JavaScript around it does not matter); the
** body is the longest article found: Arc's content_elements (items of type
** text, header, list), else the longest text under a body-like key.  Text
** values that hold markup or entities ("<p>...</p>", "&quot;") are parsed
** as an HTML fragment by libxml2 (no network) and their blocks and <br><br>
** made paragraphs; plain text values are cut into paragraphs at their line
** breaks.  Cost: linear in the JSON (each value visited once, at most
** MAX_JSON_DEPTH deep and MAX_VISITS values a script).
** Not here: finding the scripts, <meta> tags, and choosing between the
** declared body and the DOM's (html.c).
*/
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html_meta_int.h"
#include "util.h"

/* JSON nesting read (json-c's own default is 32: Next.js state nests deeper). */
#define MAX_JSON_DEPTH 128
/* JSON values visited in one script: a page's state is rarely over a few tens of thousands. */
#define MAX_VISITS 500000
/* An embedded body shorter than this (text weight) is a teaser, not the article. */
#define MIN_EMBEDDED_WEIGHT 200
/* Authors named in a byline, at most. */
#define MAX_AUTHORS 6

static int is_cjk(int32_t c)
{
  return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3130 && c <= 0x318F) ||
         (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF);
}

static int is_space_cp(int32_t c)
{
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x202F || c == 0x205F || c == 0xFEFF;
}

size_t ieum_html__text_weight(const char *s, size_t len)
{
  size_t w = 0;
  for (size_t i = 0; i < len;) {
    int32_t c = ieum__utf8_next(s, len, &i);
    if (c < 0 || is_space_cp(c))
      continue;
    w += is_cjk(c) ? 2 : 1;
  }
  return w;
}

void ieum_html__decl_dispose(ieum_html_decl *d)
{
  ieum__free(d->headline);
  ieum__free(d->byline);
  ieum__free(d->date);
  ieum__free(d->url);
  ieum__free(d->site);
  ieum__free(d->body);
  ieum_html_decl empty = IEUM_HTML_DECL_INIT;
  *d = empty;
}

/* ---- text of values -------------------------------------------------------------- */

/* A JSON string value, not empty, or NULL (its UTF-8 is checked where it is kept: valid()). */
static const char *str(json_object *v)
{
  if (!v || !json_object_is_type(v, json_type_string))
    return NULL;
  const char *s = json_object_get_string(v);
  return s && *s ? s : NULL;
}

/* json-c passes lone surrogates and stray bytes through: only valid UTF-8 is kept. */
static bool valid(const char *s, size_t n)
{
  return ieum__utf8_invalid_at(s, n) == n;
}

static json_object *get(json_object *o, const char *key)
{
  json_object *v = NULL;
  return o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/*
** Appends s[0..len) to `para` with each run of white space made one space;
** a paragraph break ("\n\n" in `out`) goes between paragraphs only.
*/
typedef struct {
  ieum_buf *out;
  ieum_buf para;
  int brs; /* <br>s since the last text */
} para_writer;

static int put_folded(ieum_buf *b, const char *s, size_t len)
{
  int rc = IEUM_OK;
  for (size_t i = 0; i < len && rc == IEUM_OK;) {
    size_t at = i;
    int32_t c = ieum__utf8_next(s, len, &i);
    if (c < 0)
      continue;
    if (is_space_cp(c)) {
      if (b->size && b->ptr[b->size - 1] != ' ')
        rc = ieum__buf_putc(b, ' ');
    } else
      rc = ieum__buf_put(b, s + at, i - at);
  }
  return rc;
}

static int end_para(para_writer *w)
{
  int rc = IEUM_OK;
  while (w->para.size && w->para.ptr[w->para.size - 1] == ' ')
    w->para.size--;
  if (w->para.size) {
    if (w->out->size)
      rc = ieum__buf_puts(w->out, "\n\n");
    if (rc == IEUM_OK)
      rc = ieum__buf_put(w->out, w->para.ptr, w->para.size);
  }
  ieum__buf_clear(&w->para);
  w->brs = 0;
  return rc;
}

static const char *const skipped_elems[] = { "script", "style", "noscript", "figure", "figcaption", "img",
                                             "iframe", "button", "svg", "template", NULL };
static const char *const para_breaks[] = { "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5",
                                           "h6", "li", "ul", "ol", "blockquote", "pre", "table", "tr",
                                           "dl", "dt", "dd", "hr", "header", "footer", NULL };

static int in_list(const xmlNode *n, const char *const *names)
{
  for (; *names; names++)
    if (strcmp((const char *)n->name, *names) == 0)
      return 1;
  return 0;
}

static int fragment_walk(para_writer *w, const xmlNode *n, int depth)
{
  int rc = IEUM_OK;
  for (; n && rc == IEUM_OK; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      const char *t = (const char *)n->content;
      size_t len = t ? strlen(t) : 0;
      if (!len)
        continue;
      if (!ieum__utf8_is_blank(t, len)) {
        if (w->brs >= 2)
          rc = end_para(w);
        w->brs = 0;
      }
      if (rc == IEUM_OK)
        rc = put_folded(&w->para, t, len);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE || !n->name || in_list(n, skipped_elems))
      continue;
    if (strcmp((const char *)n->name, "br") == 0) {
      w->brs++;
      rc = ieum__buf_putc(&w->para, ' ');
      continue;
    }
    int block = in_list(n, para_breaks);
    if (block)
      rc = end_para(w);
    if (rc == IEUM_OK && depth < MAX_JSON_DEPTH)
      rc = fragment_walk(w, n->children, depth + 1);
    if (rc == IEUM_OK && block)
      rc = end_para(w);
  }
  return rc;
}

/*
** Appends the text of value s[0..len) to `out` as paragraphs: markup or
** entities are parsed as an HTML fragment, plain text is cut at its line
** breaks.  Errors: IEUM_ENOMEM.
*/
static int value_text(ieum_buf *out, const char *s, size_t len)
{
  para_writer w = { out, IEUM_BUF_INIT, 0 };
  int rc = IEUM_OK;
  if (!valid(s, len))
    return IEUM_OK;
  if (memchr(s, '<', len) || memchr(s, '&', len)) {
    if (len > INT32_MAX - 64)
      return IEUM_OK;
    /* In a <div>, so that libxml2 opens no implied <p> after a leading inline element ("<b>X</b> text"). */
    ieum_buf frag = IEUM_BUF_INIT;
    rc = ieum__buf_puts(&frag, "<div>");
    if (!memchr(s, '<', len)) /* entities in plain text: its line breaks still end paragraphs */
      for (size_t i = 0; i < len && rc == IEUM_OK; i++)
        rc = s[i] == '\n' ? ieum__buf_puts(&frag, "<br><br>") : ieum__buf_putc(&frag, s[i]);
    else if (rc == IEUM_OK)
      rc = ieum__buf_put(&frag, s, len);
    if (rc == IEUM_OK)
      rc = ieum__buf_puts(&frag, "</div>");
    htmlDocPtr doc = rc == IEUM_OK ? htmlReadMemory(frag.ptr, (int)frag.size, NULL, "UTF-8",
                                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                                    HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT)
                                  : NULL;
    ieum_buf_dispose(&frag);
    if (doc) {
      rc = fragment_walk(&w, doc->children, 0);
      xmlFreeDoc(doc);
    }
  } else {
    for (size_t i = 0; i < len && rc == IEUM_OK;) {
      const char *nl = memchr(s + i, '\n', len - i);
      size_t e = nl ? (size_t)(nl - s) : len;
      rc = put_folded(&w.para, s + i, e - i);
      if (rc == IEUM_OK)
        rc = end_para(&w);
      i = e + 1;
    }
  }
  if (rc == IEUM_OK)
    rc = end_para(&w);
  ieum_buf_dispose(&w.para);
  return rc;
}

static int value_text(ieum_buf *out, const char *s, size_t len);

/*
** Sets *slot to a copy of `s` (folded; entities and markup, which some
** CMSs leave in JSON-LD values, "&#8216;", read as HTML) unless it is set
** already.  Errors: IEUM_ENOMEM.
*/
static int keep(char **slot, const char *s)
{
  if (*slot || !s || !valid(s, strlen(s)))
    return IEUM_OK;
  ieum_buf b = IEUM_BUF_INIT, html = IEUM_BUF_INIT;
  int rc = IEUM_OK;
  if (strchr(s, '&') || strchr(s, '<')) {
    if ((rc = value_text(&html, s, strlen(s))) == IEUM_OK && html.size)
      s = html.ptr; /* paragraphs "\n\n": folded into spaces below */
  }
  if (rc == IEUM_OK)
    rc = put_folded(&b, s, strlen(s));
  ieum_buf_dispose(&html);
  while (rc == IEUM_OK && b.size && b.ptr[b.size - 1] == ' ')
    b.size--;
  size_t lead = b.size && b.ptr[0] == ' ' ? 1 : 0;
  if (rc == IEUM_OK && b.size > lead && !(*slot = ieum__strndup(b.ptr + lead, b.size - lead)))
    rc = ieum__error_oom();
  ieum_buf_dispose(&b);
  return rc;
}

/* Keeps `body` (paragraphs) as d's body when it is longer than the one there. */
static int keep_body(ieum_html_decl *d, ieum_buf *body, int source, size_t min_weight)
{
  size_t w = body->size ? ieum_html__text_weight(body->ptr, body->size) : 0;
  if (!w || w < min_weight || (d->body && (d->body_source < source || w <= d->body_weight)))
    return IEUM_OK;
  char *s = ieum__strndup(body->ptr, body->size);
  if (!s)
    return ieum__error_oom();
  ieum__free(d->body);
  d->body = s;
  d->body_source = source;
  d->body_weight = w;
  return IEUM_OK;
}

/* Names of an author value: "Name", {"name": ...}, or an array of them, ", " between. */
static int names(ieum_buf *b, json_object *v, int depth)
{
  int rc = IEUM_OK;
  if (!v || depth > 3)
    return IEUM_OK;
  const char *s = str(v);
  if (!s)
    s = str(get(v, "name"));
  if (s) {
    if (b->size)
      rc = ieum__buf_puts(b, ", ");
    return rc == IEUM_OK ? ieum__buf_puts(b, s) : rc;
  }
  if (json_object_is_type(v, json_type_array)) {
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n && i < MAX_AUTHORS && rc == IEUM_OK; i++)
      rc = names(b, json_object_array_get_idx(v, i), depth + 1);
  }
  return rc;
}

static int keep_names(char **slot, json_object *v)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = names(&b, v, 0);
  if (rc == IEUM_OK && b.size)
    rc = keep(slot, b.ptr);
  ieum_buf_dispose(&b);
  return rc;
}

/* ---- JSON-LD ------------------------------------------------------------------------ */

static const char *const article_types[] = {
  "Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
  "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "BlogPosting", "LiveBlogPosting",
  "SocialMediaPosting", "DiscussionForumPosting", "TechArticle", "ScholarlyArticle", "Report", "Review",
  NULL
};

/* Is one of o's @type values in `types` (or, types NULL, "WebSite")? */
static int typed(json_object *o, const char *const *types)
{
  json_object *t = get(o, "@type");
  size_t n = t && json_object_is_type(t, json_type_array) ? json_object_array_length(t) : 1;
  for (size_t i = 0; i < n; i++) {
    const char *s = str(json_object_is_type(t, json_type_array) ? json_object_array_get_idx(t, i) : t);
    if (!s)
      continue;
    if (!strncmp(s, "http://schema.org/", 18) || !strncmp(s, "https://schema.org/", 19))
      s = strrchr(s, '/') + 1;
    if (!types && !strcmp(s, "WebSite"))
      return 1;
    for (const char *const *k = types; k && *k; k++)
      if (!strcmp(s, *k))
        return 1;
  }
  return 0;
}

typedef struct {
  ieum_html_decl *d;
  int found;    /* an article object was read */
  long visits;
} ld_walk;

static int ld_article(ieum_html_decl *d, json_object *o)
{
  int rc = keep(&d->headline, str(get(o, "headline")));
  if (rc == IEUM_OK)
    rc = keep(&d->headline, str(get(o, "name")));
  if (rc == IEUM_OK)
    rc = keep_names(&d->byline, get(o, "author"));
  if (rc == IEUM_OK)
    rc = keep(&d->date, str(get(o, "datePublished")));
  if (rc == IEUM_OK)
    rc = keep(&d->date, str(get(o, "dateCreated")));
  if (rc == IEUM_OK)
    rc = keep(&d->url, str(get(o, "url")));
  if (rc == IEUM_OK) {
    json_object *page = get(o, "mainEntityOfPage");
    rc = keep(&d->url, str(page) ? str(page) : str(get(page, "@id")));
  }
  if (rc == IEUM_OK)
    rc = keep(&d->site, str(get(get(o, "publisher"), "name")));
  const char *body = str(get(o, "articleBody"));
  if (rc == IEUM_OK && body) {
    ieum_buf b = IEUM_BUF_INIT;
    rc = value_text(&b, body, strlen(body));
    if (rc == IEUM_OK)
      rc = keep_body(d, &b, IEUM_DECL_JSONLD, 1);
    ieum_buf_dispose(&b);
  }
  return rc;
}

static int ld_visit(ld_walk *w, json_object *v, int depth)
{
  int rc = IEUM_OK;
  if (!v || depth > MAX_JSON_DEPTH || ++w->visits > MAX_VISITS)
    return IEUM_OK;
  if (json_object_is_type(v, json_type_array)) {
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n && rc == IEUM_OK; i++)
      rc = ld_visit(w, json_object_array_get_idx(v, i), depth + 1);
    return rc;
  }
  if (!json_object_is_type(v, json_type_object))
    return IEUM_OK;
  if (typed(v, NULL))
    rc = keep(&w->d->site, str(get(v, "name")));
  else if (!w->found && typed(v, article_types)) {
    w->found = 1;
    rc = ld_article(w->d, v);
  }
  json_object_object_foreach(v, key, val) {
    if (rc != IEUM_OK)
      break;
    if (json_object_is_type(val, json_type_object) || json_object_is_type(val, json_type_array))
      if (strcmp(key, "author") && strcmp(key, "publisher"))
        rc = ld_visit(w, val, depth + 1);
  }
  return rc;
}

/* Parses the JSON value at s[0..len) (json-c stops at its end); NULL when it does not parse. */
static json_object *parse_json(const char *s, size_t len)
{
  if (len > INT32_MAX)
    return NULL;
  json_tokener *tok = json_tokener_new_ex(MAX_JSON_DEPTH);
  if (!tok)
    return NULL;
  json_object *o = json_tokener_parse_ex(tok, s, (int)len);
  if (!o && json_tokener_get_error(tok) == json_tokener_continue) /* a value at the very end */
    o = json_tokener_parse_ex(tok, "", 1);
  json_tokener_free(tok);
  return o;
}

/* Skips white space, HTML comment marks and CDATA wrappers before a JSON value. */
static size_t json_start(const char *s, size_t len)
{
  size_t i = 0;
  for (;;) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
      i++;
    if (i + 4 <= len && !memcmp(s + i, "<!--", 4))
      i += 4;
    else if (i + 2 <= len && !memcmp(s + i, "//", 2) && i + 11 <= len && !memcmp(s + i + 2, "<![CDATA[", 9))
      i += 11;
    else if (i + 9 <= len && !memcmp(s + i, "<![CDATA[", 9))
      i += 9;
    else
      return i;
  }
}

int ieum_html__decl_jsonld(ieum_html_decl *d, const char *s, size_t len)
{
  size_t i = json_start(s, len);
  json_object *o = parse_json(s + i, len - i);
  if (!o)
    return IEUM_OK;
  ld_walk w = { d, 0, 0 };
  int rc = ld_visit(&w, o, 0);
  json_object_put(o);
  return rc;
}

/* ---- embedded state ------------------------------------------------------------------- */

static const char *const state_markers[] = { "Fusion.globalContent", "__INITIAL_STATE__",
                                             "__PRELOADED_STATE__", NULL };
/* Keys whose text value may be the article body. */
static const char *const body_keys[] = { "articleBody", "body", "content", "html", "bodyHtml", "contentHtml",
                                         "articleContent", "story", "text", NULL };

int ieum_html__decl_has_state(const char *s, size_t len)
{
  for (const char *const *m = state_markers; *m; m++)
    if (memmem(s, len, *m, strlen(*m)))
      return 1;
  return 0;
}

typedef struct {
  ieum_html_decl *d;
  json_object *best_obj; /* the object the longest body came from (borrowed from the tree) */
  size_t best;           /* its weight */
  ieum_buf best_text;
  long visits;
} state_walk;

/* Arc's content_elements: text, header and list items, in order. */
static int arc_elements(ieum_buf *out, json_object *els, int depth)
{
  int rc = IEUM_OK;
  size_t n = json_object_array_length(els);
  for (size_t i = 0; i < n && rc == IEUM_OK; i++) {
    json_object *e = json_object_array_get_idx(els, i);
    const char *type = str(get(e, "type"));
    if (!type)
      continue;
    if (!strcmp(type, "text") || !strcmp(type, "header")) {
      const char *c = str(get(e, "content"));
      if (c) {
        if (out->size)
          rc = ieum__buf_puts(out, "\n\n");
        size_t before = out->size;
        if (rc == IEUM_OK) {
          ieum_buf one = IEUM_BUF_INIT;
          rc = value_text(&one, c, strlen(c));
          if (rc == IEUM_OK)
            rc = ieum__buf_put(out, one.ptr ? one.ptr : "", one.size);
          ieum_buf_dispose(&one);
        }
        if (rc == IEUM_OK && out->size == before && before >= 2)
          out->size -= 2; /* nothing came of it: no empty paragraph */
      }
    } else if (!strcmp(type, "list") && depth < 4) {
      json_object *items = get(e, "items");
      if (items && json_object_is_type(items, json_type_array))
        rc = arc_elements(out, items, depth + 1);
    }
  }
  return rc;
}

static int consider(state_walk *w, json_object *obj, ieum_buf *text)
{
  size_t wt = text->size ? ieum_html__text_weight(text->ptr, text->size) : 0;
  if (wt <= w->best)
    return IEUM_OK;
  w->best = wt;
  w->best_obj = obj;
  ieum__buf_clear(&w->best_text);
  return ieum__buf_put(&w->best_text, text->ptr, text->size);
}

static int state_visit(state_walk *w, json_object *v, int depth)
{
  int rc = IEUM_OK;
  if (!v || depth > MAX_JSON_DEPTH || ++w->visits > MAX_VISITS)
    return IEUM_OK;
  if (json_object_is_type(v, json_type_array)) {
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n && rc == IEUM_OK; i++)
      rc = state_visit(w, json_object_array_get_idx(v, i), depth + 1);
    return rc;
  }
  if (!json_object_is_type(v, json_type_object))
    return IEUM_OK;
  json_object *els = get(v, "content_elements");
  if (els && json_object_is_type(els, json_type_array)) {
    ieum_buf b = IEUM_BUF_INIT;
    rc = arc_elements(&b, els, 0);
    if (rc == IEUM_OK)
      rc = consider(w, v, &b);
    ieum_buf_dispose(&b);
  }
  for (const char *const *k = body_keys; *k && rc == IEUM_OK; k++) {
    const char *s = str(get(v, *k));
    size_t n = s ? strlen(s) : 0;
    if (!s || ieum_html__text_weight(s, n) <= w->best)
      continue; /* markup only shortens it: no longer than the best, no better */
    ieum_buf b = IEUM_BUF_INIT;
    rc = value_text(&b, s, n);
    if (rc == IEUM_OK)
      rc = consider(w, v, &b);
    ieum_buf_dispose(&b);
  }
  json_object_object_foreach(v, key, val) {
    (void)key;
    if (rc != IEUM_OK)
      break;
    if (json_object_is_type(val, json_type_object) || json_object_is_type(val, json_type_array))
      rc = state_visit(w, val, depth + 1);
  }
  return rc;
}

/* Metadata of the object the body came from: Arc's names first, then schema.org-like ones. */
static int state_meta(ieum_html_decl *d, json_object *o)
{
  int rc = keep(&d->headline, str(get(get(o, "headlines"), "basic")));
  if (rc == IEUM_OK)
    rc = keep(&d->headline, str(get(o, "headline")));
  if (rc == IEUM_OK)
    rc = keep_names(&d->byline, get(get(o, "credits"), "by"));
  if (rc == IEUM_OK)
    rc = keep_names(&d->byline, get(o, "author"));
  static const char *const dates[] = { "display_date", "first_publish_date", "publish_date", "datePublished",
                                       "publishedAt", NULL };
  for (const char *const *k = dates; *k && rc == IEUM_OK; k++)
    rc = keep(&d->date, str(get(o, *k)));
  if (rc == IEUM_OK)
    rc = keep(&d->url, str(get(o, "canonical_url")));
  return rc;
}

int ieum_html__decl_embedded(ieum_html_decl *d, const char *s, size_t len, int whole)
{
  int rc = IEUM_OK;
  size_t at = len;
  if (whole)
    at = json_start(s, len);
  else
    for (const char *const *m = state_markers; *m && at == len; m++) {
      const char *p = memmem(s, len, *m, strlen(*m));
      if (!p)
        continue;
      size_t i = (size_t)(p - s) + strlen(*m);
      while (i < len && (s[i] == ' ' || s[i] == '"' || s[i] == '\'' || s[i] == ']'))
        i++;
      if (i < len && s[i] == '=') {
        i++;
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
          i++;
        at = i;
      }
    }
  if (at >= len)
    return IEUM_OK;
  json_object *o = parse_json(s + at, len - at);
  if (!o)
    return IEUM_OK;
  state_walk w = { d, NULL, 0, IEUM_BUF_INIT, 0 };
  rc = state_visit(&w, o, 0);
  if (rc == IEUM_OK && w.best_obj && w.best >= MIN_EMBEDDED_WEIGHT) {
    rc = keep_body(d, &w.best_text, IEUM_DECL_EMBEDDED, MIN_EMBEDDED_WEIGHT);
    if (rc == IEUM_OK && d->body_source == IEUM_DECL_EMBEDDED)
      rc = state_meta(d, w.best_obj);
  }
  ieum_buf_dispose(&w.best_text);
  json_object_put(o);
  return rc;
}
