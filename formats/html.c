/*
** formats/html.c: the article of a news web page, as text and metadata.
**
** The bytes are decoded to NFC UTF-8 by ieum_text__decode_page() with no
** line limit (a page is not line-based: a minified one is a single line),
** as a browser would show them rather than refused: the caller's encoding
** or a BOM (strict); else valid UTF-8 whatever the page declares (crawlers
** keep a stale <meta charset="euc-kr"> on UTF-8 bytes); else the page's own
** <meta charset> (names that are no ASCII-compatible encoding are passed
** over, as the HTML standard's prescan does) when it decodes cleanly; else
** detected CP949; else invalid bytes become U+FFFD.  Stray NUL and
** control bytes of a page are dropped first (drop_stray_controls), as a
** browser's parser drops them, so that they do not read as binary.  Then the page
** is parsed by libxml2's HTML parser with the encoding fixed to UTF-8,
** HTML_PARSE_NONET, HTML_PARSE_RECOVER and XML_PARSE_HUGE, its errors
** collected by a per-context handler (tag soup is normal), with three
** guards against hostile pages, each linear in the page:
**   - start tags are cut to MAX_TAG_ATTRIBUTES attributes before parsing
**     (libxml2 is quadratic in a tag's attributes): the element and its
**     text stay, so a page with one absurd tag still gives its article;
**   - end tags that close nothing under a deep stack (quadratic in
**     libxml2) are charged against a budget (SCAN_PER_BYTE); past it the
**     page is refused with IEUM_ELIMIT and a message naming the line;
**   - XML_PARSE_HUGE lifts libxml2's 256-level limit, past which it
**     stopped reading and the rest of the page vanished; subtrees deeper
**     than FLAT_DEPTH are then flattened into paragraphs of their text, so
**     the walks below stay bounded and no text is lost.
** Any other early stop of the parser is an error naming the file and the
** line, never a silently shortened article.
** The article is found by scoring, in the spirit of Readability:
**   1. boilerplate is pruned: elements that never hold prose (script,
**      style, nav, aside, footer, button, figure, iframe...) and hidden
**      ones, with their subtree; elements whose class/id/role words are
**      negative hints (menu, share, social, related, popular, ad, widget,
**      list, caption...) and not also positive ones (article, content,
**      body, story...), or strong negative ones whatever else (an
**      "article-ad", a "view_con_caption"), and <form>s, only when their
**      subtree holds less than KEEP_PROSE_SHARE of the page's prose: a
**      wrapper named "elementor-widget-wrap" or an ASP.NET page's one
**      <form> that holds the article is the article's; then, by shape
**      (mark_shapes()), photo boxes (an <img> and a caption's text) go,
**      and short elements reading as a Korean byline ("서누리 기자") or a
**      date line are metadata;
**   2. every text block (an element with at least MIN_BLOCK_WEIGHT of its
**      own inline text: a <p>, or a <div> of text and <br>s as Korean sites
**      write them) gets a score from its length and punctuation, scaled
**      down by its link density; a <p>-like block gives its score to its
**      parent and half to its grandparent, a <div>-like one to itself and
**      half to its parent;
**   3. each scored container's total is adjusted by its class/id hints and
**      its own link density; the best one, or the ancestor it shares with
**      the next best ones (Readability's climb: sections, <li>s, "blocks"
**      of one article), then widened to its most article-like ancestor
**      (prose against the rest, below link-heavy ancestors and other
**      articles' titles or the headline: widen()), is the article, and
**      siblings scoring at least SIBLING_SHARE of the best (a body split by
**      an ad) join, but for the header holding the headline (and its deck);
**   4. the article's subtree is written out: block elements (<p>, headings,
**      <li>, <div>...) and <br><br> end a paragraph, a single <br> is a
**      space; a paragraph is dropped when most of its text is links, when
**      it holds no letter, when it reads as code, or when it is short and
**      reads like a call to action, a UI label, a copyright line, a line of
**      tags or a reporter's e-mail line (util/furniture.c, whose words the
**      text path shares); an agency's "(끝)" closing it is cut;
**   5. what the page declares in JSON (formats/html_meta.c: JSON-LD
**      articleBody; when the DOM gave less than STATE_LOOK_WEIGHT, the
**      state a JavaScript front end renders from: Arc's globalContent,
**      Next.js's __NEXT_DATA__) replaces the DOM's text when that has less
**      than DECL_BODY_SHARE of it: the DOM missed the article, or has none.
** Text weight counts code points without white space, a Hangul or CJK
** character as 2 (ieum_html__text_weight(); a syllable carries two to three Latin letters'
** worth, as the aligner's length ratio shows).  Metadata comes from the
** usual places, declared ones first (collect_meta()): headline from
** JSON-LD, itemprop=headline, an <h1>, og:title or <title> (never the
** site's name: og:site_name, the JSON-LD publisher; cut from a <title>);
** byline from <meta name=author>, JSON-LD authors, itemprop/rel/class
** "author", "byline", "reporter", "writer", "journalist" or the Korean
** byline shape; date from JSON-LD datePublished, article:published_time,
** <time>, a date element's datetime or data-date-time, or a class "date";
** URL from <link rel=canonical>, og:url or JSON-LD; language from <html
** lang>.  Those elements (and the headline's copies in the DOM) are kept
** out of the text, as are figure captions: a caption is neither body prose
** nor reliably translated beside it, so it is dropped rather than glued to
** a body sentence.
** The article text is then cut into its paragraphs (ieum_html_paragraph();
** their roles are the pipeline's, ieum_pipeline_paragraph_roles()).
** Cost: linear in the page (one pre-scan, one parse, a few walks; element
** kinds, hint words and text weights are computed once per node); memory
** is the parsed tree plus one record per element (and a copy of the page
** when a tag is cut).  Walks stop at MAX_DEPTH levels, which the flattening
** makes unreachable.
** Measured (bench/aeb.py, 181 AEB pages, 31 MB, a shared machine): 0.56 s
** of CPU, as main before the JSON and shape rules in the same run, 1.8
** times libxml2's bare parse of the same pages (0.31 s).
** Not here: decoding (text.c), reading JSON (html_meta.c), segmentation (align/segment.c), paragraph
** roles (align/article.c, through pipeline/extract.c), the furniture words
** (util/furniture.c).
*/
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <unicode/ucnv.h>

#include "furniture_int.h"
#include "html_meta_int.h"
#include "text_int.h"
#include "util.h"

/* Own inline text weight that makes an element a text block. */
#define MIN_BLOCK_WEIGHT 25
/* Text weight worth one point of a block's score, and the cap of that part per paragraph (a block
   of text and <br>s has one paragraph per two <br>s). */
#define WEIGHT_PER_POINT 100
#define MAX_LENGTH_POINTS 3
/* Score added or taken by class/id hints of a candidate container. */
#define HINT_POINTS 25
/* An element named like boilerplate is kept when it holds this share of the page's prose. */
#define KEEP_PROSE_SHARE 0.5
/* Candidates looked at beside the best, and how many of them scoring this share of it make their common ancestor the article. */
#define TOP_CANDIDATES 5
#define ALTERNATIVE_SHARE 0.75
#define ALTERNATIVES_MIN 3
/* What a weight unit of text that is no prose costs a container against one of prose (widen()). */
#define NOISE_COST 3.0
/* widen() stops below an ancestor whose text is more than this share links (teaser lists, menus). */
#define WIDEN_MAX_LINK_DENSITY 0.15
/* A sibling of the best container joins it from this share of its score. */
#define SIBLING_SHARE 0.2
/* A paragraph whose text is more than this share links is navigation. */
#define MAX_LINK_DENSITY 0.5
/* An article has at least this much text weight (a few sentences). */
#define MIN_ARTICLE_WEIGHT 100
/* Script text, not prose: this many code signs at least, one per this much text weight (reads_as_code()). */
#define CODE_MIN_SIGNS 4
#define CODE_WEIGHT_PER_SIGN 40
/* Byline and date elements longer than this are prose, not metadata. */
#define MAX_META_WEIGHT 120
/* A box of an image and this much text at most (its caption), PHOTO_BOX_DEPTH levels above the <img> at most, is a photo. */
#define PHOTO_BOX_WEIGHT 100
#define PHOTO_BOX_DEPTH 3
/* Elements weighing this much are looked at for the shape of a byline or a date line (mark_shapes()). */
#define SHAPE_MIN_WEIGHT 6
#define SHAPE_MAX_WEIGHT 48
#define DATE_MAX_WEIGHT 48
/* ... and those of at most this many elements: the text of each is read, so a hostile page of empty elements costs no more than a normal one. */
#define SHAPE_MAX_ELEMENTS 64
/* A Korean byline weighs this much at most ("부산=김철수 특파원"). */
#define KOREAN_BYLINE_MAX_WEIGHT 30
/* Bytes of label a date line may start with ("기사입력 : "). */
#define DATE_LABEL_BYTES 16
/* A headline heavier than this is a paragraph (a page title made of the lead). */
#define MAX_HEADLINE_WEIGHT 400
/*
** The body a page declares (JSON-LD articleBody, a front end's embedded
** state) replaces the DOM's text when that text weighs less than this
** share of it: the DOM missed most of the article (or had none).
*/
#define DECL_BODY_SHARE 0.5
/* A front end's embedded state is read only when the DOM gave less text than this (a paragraph or two). */
#define STATE_LOOK_WEIGHT 400
/* Deeper elements are ignored: no news page nests this deep. */
#define MAX_DEPTH 256
/*
** Attributes kept in one start tag; the rest are cut before parsing
** (libxml2's cost is quadratic in a tag's attributes).  Real tags have a
** few dozen at most; 256 bound the worst page to a few times the parse
** time of a normal page of the same size (bench/html_hostile.py).
*/
#define MAX_TAG_ATTRIBUTES 256
/*
** Stack entries libxml2 may scan in vain for end tags that close nothing
** (see parse_guard): SCAN_PER_BYTE per byte of the page, about as much work
** again as the parse itself (a compare is ~2 ns, a parsed byte ~30-80), plus
** SCAN_FLOOR (~0.1 s) so that a small sloppy page never comes near it.
*/
#define SCAN_PER_BYTE 16
#define SCAN_FLOOR ((size_t)1 << 26)
/* Bytes of the page searched for <meta charset> (the HTML standard's prescan). */
#define CHARSET_PRESCAN_BYTES 4096
/* Leading bytes looked at for stray control bytes (as text.c's binary check does; NULs: the whole page). */
#define CONTROL_SCAN_BYTES 8192
/* Bytes looked at by ieum_html_detect(). */
#define DETECT_BYTES 4096

enum { META_HEADLINE, META_BYLINE, META_DATE, META_URL, META_LANG, META_COUNT };
static const char *const meta_keys[META_COUNT] = { "headline", "byline", "date", "url", "lang" };

/* A paragraph of the article text: text[lo..hi). */
typedef struct {
  size_t lo, hi;
} article_para;

struct ieum_article {
  ieum_buf text;
  char *meta[META_COUNT]; /* ieum__malloc'ed, NULL when absent */
  article_para *paras;    /* ieum__malloc'ed, n_paras of them, in text order */
  size_t n_paras;
};

/* What the walks know of one element (node->_private points at it). */
typedef struct {
  xmlNode *node;
  double score;       /* as a candidate container */
  size_t weight;      /* text weight of the kept subtree */
  size_t link_weight; /* of which inside <a> */
  size_t prose;       /* text weight of the prose blocks in the subtree (see sum_prose) */
  size_t titles;      /* <article>s, <h1>s and linked headings in the subtree: other articles' titles */
  size_t heads;       /* headline elements in the subtree (info.headline) */
  size_t elements;    /* elements in the subtree, itself included */
  int depth;
  unsigned hints;     /* HINT_* bits of its class/id/role words */
  unsigned kind;      /* KIND_* bits of its name */
  bool pruned;        /* boilerplate: skipped with its subtree */
  bool candidate;     /* received a score from a text block */
  bool meta;          /* a byline/date/headline element: metadata, not text */
  bool headline;      /* the headline element, or a copy of the headline (mark_headline_copies) */
} info;

typedef struct {
  const char *name;
  info *infos;
  size_t n, cap;
  xmlNode *headline_node;
  size_t longest;     /* text weight of the longest block of prose seen */
  ieum_html_decl decl; /* what the page's JSON-LD declares (html_meta.c) */
  char *site;         /* og:site_name or application-name, ieum__malloc'ed; NULL when absent */
  bool title_headline; /* the headline is the page's <title>: a declared one replaces it */
} page;

/* ---- small helpers --------------------------------------------------------- */

static bool is_space_cp(int32_t c)
{
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x3000 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0xFEFF;
}

/* Text weight of UTF-8 `s` (valid: the parser got valid UTF-8): CJK_WEIGHT per Hangul or CJK character. */
static size_t text_weight(const char *s, size_t len)
{
  return ieum_html__text_weight(s, len);
}

/*
** Text weight of a text node, computed once: the walks weigh the same text
** several times.  Kept in the node's _private (weight + 1; libxml2 leaves
** it to applications), set only after the tree stops changing.
*/
static size_t node_weight(xmlNode *t)
{
  uintptr_t k = (uintptr_t)t->_private;
  if (!k) {
    k = 1 + (t->content ? text_weight((const char *)t->content, strlen((const char *)t->content)) : 0);
    t->_private = (void *)k;
  }
  return k - 1;
}

/* Element names are compared a first byte before a strcmp(): most comparisons stop there. */
static bool name_is(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && n->name && n->name[0] == (xmlChar)name[0] &&
         strcmp((const char *)n->name, name) == 0;
}

static bool name_in(const xmlNode *n, const char *const *names)
{
  if (n->type != XML_ELEMENT_NODE || !n->name)
    return false;
  for (; *names; names++)
    if (n->name[0] == (xmlChar)(*names)[0] && strcmp((const char *)n->name, *names) == 0)
      return true;
  return false;
}

/* An attribute's value, borrowed from the tree; NULL when absent. */
static const char *attr(const xmlNode *n, const char *name)
{
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (a->name && strcasecmp((const char *)a->name, name) == 0)
      return a->children && a->children->content ? (const char *)a->children->content : "";
  return NULL;
}

/* ---- class and id hints ------------------------------------------------------ */

/*
** Words of class, id, role and itemprop values, split at anything not a
** letter or digit, lower-cased.  A hint list entry ending in '*' matches
** words it starts; the others match whole words only, so "ad" is not found
** in "head" or "loading".
*/
static const char *const negative_hints[] = {
  "nav", "navi", "navigation", "menu*", "gnb", "lnb", "snb", "breadcrumb*", "skip", "share*",
  "sns", "social*", "facebook", "twitter", "kakao*", "related*", "relation", "popular*", "rank*",
  "ranking", "best", "most*", "recommend*", "footer*", "foot", "copyright", "ad", "ads", "advert*",
  "banner*", "sponsor*", "promo*", "sidebar*", "aside", "widget*", "comment*", "reply", "subscribe*",
  "newsletter*", "font*", "fontsize", "textsize", "zoom", "print", "tool", "tools", "toolbar",
  "util*", "header", "masthead", "logo", "search", "login", "signup", "caption*", "figcaption",
  "photo*", "img*", "image*", "thumb*", "video*", "tag", "tags", "keyword*", "hidden", "hide",
  "modal", "popup", "cookie*", "more", "list", "sitemap", "complementary", "adsbygoogle", NULL
};
static const char *const positive_hints[] = {
  "article*", "content*", "body", "entry*", "main", "story*", "post", "text", "news", "view",
  "txt", "cont", "articlebody", "articletext", "articlecontent", "newsbody", NULL
};
/*
** Negative hints that a positive word beside them does not cancel: an
** "article-ad", a "view_con_caption", an "articleShare" box is still an ad,
** a caption, a share bar (prune() still keeps one holding the page's prose).
*/
static const char *const strong_hints[] = {
  "ad", "ads", "advert*", "adsbygoogle", "banner*", "sponsor*", "promo*", "caption*", "figcaption", "share*",
  "social*", "sns", "related*", "relation", "popular*", "rank*", "ranking", NULL
};
/* Negative hints of subtrees pruned whatever prose they hold: a discussion is never the article. */
static const char *const discussion_hints[] = { "comment*", "reply*", "replies", "disqus*", NULL };
static const char *const byline_hints[] = { "author*", "byline*", "reporter*", "writer*", "journalist*", NULL };
static const char *const date_hints[] = { "date*", "time", "published*", "updated*", "datetime",
                                          "pubdate", "datepublished", NULL };

static bool word_matches(const char *w, size_t n, const char *const *list)
{
  for (; *list; list++) {
    if ((*list)[0] != w[0])
      continue;
    size_t k = strlen(*list);
    if ((*list)[k - 1] == '*') {
      if (n >= k - 1 && strncmp(w, *list, k - 1) == 0)
        return true;
    } else if (n == k && strncmp(w, *list, k) == 0)
      return true;
  }
  return false;
}

/* The hint lists a word of `n`'s hint attributes matches, as bits. */
enum { HINT_NEGATIVE = 1, HINT_POSITIVE = 2, HINT_BYLINE = 4, HINT_DATE = 8, HINT_DISCUSSION = 16, HINT_STRONG = 32 };

static unsigned hints_of(const xmlNode *n)
{
  static const char *const *const lists[] = { negative_hints, positive_hints, byline_hints, date_hints,
                                              discussion_hints, strong_hints };
  unsigned bits = 0;
  if (n->type != XML_ELEMENT_NODE)
    return 0;
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    const char *name = (const char *)a->name;
    char c0 = name ? (char)tolower((unsigned char)name[0]) : '\0';
    if ((c0 != 'c' && c0 != 'i' && c0 != 'r') ||
        (strcasecmp(name, "class") && strcasecmp(name, "id") && strcasecmp(name, "role") &&
         strcasecmp(name, "itemprop") && strcasecmp(name, "rel")))
      continue;
    const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
    char w[64];
    size_t k = 0;
    for (const char *p = v;; p++) {
      unsigned char c = (unsigned char)*p;
      if (c && isalnum(c)) {
        if (k < sizeof w - 1)
          w[k++] = (char)tolower(c);
        continue;
      }
      bool negative = false;
      for (unsigned l = 0; k && l < sizeof lists / sizeof *lists; l++) {
        if (lists[l] == strong_hints && !negative)
          continue; /* a subset of the negative words */
        if (!(bits & (1u << l)) && word_matches(w, k, lists[l]))
          bits |= 1u << l;
        if (l == 0 && (bits & HINT_NEGATIVE))
          negative = word_matches(w, k, negative_hints);
      }
      k = 0;
      if (!c)
        break;
    }
  }
  return bits;
}


/* ---- element classes ---------------------------------------------------------- */

/* Elements that never hold article prose (a <form> may: see looks_boilerplate()). */
static const char *const never_prose[] = {
  "script", "style", "noscript", "template", "nav", "aside", "footer", "button", "select",
  "option", "input", "textarea", "label", "iframe", "frame", "object", "embed", "svg", "math",
  "canvas", "video", "audio", "map", "figure", "figcaption", "picture", "img", "dialog", "menu",
  "head", "title", "meta", "link", "fieldset", "legend", NULL
};
/* Elements that end a paragraph. */
static const char *const block_elems[] = {
  "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li",
  "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "tbody", "thead",
  "tfoot", "caption", "center", "address", "hr", "body", "html", NULL
};
/* Headings that, made of a link, are another article's title (a teaser). */
static const char *const title_elems[] = { "h1", "h2", "h3", "h4", NULL };
/* Blocks that give their score to their parent (a paragraph, not a container). */
static const char *const para_elems[] = { "p", "pre", "blockquote", "li", "dd", "td", "h2", "h3",
                                          "h4", "h5", "h6", NULL };

/* What an element's name makes it, as bits (looked up once per element: the walks test them often). */
enum { KIND_BLOCK = 1, KIND_PARA = 2, KIND_TITLE = 4 };

static unsigned kind_of(const xmlNode *n)
{
  return (name_in(n, block_elems) ? KIND_BLOCK : 0) | (name_in(n, para_elems) ? KIND_PARA : 0) |
         (name_in(n, title_elems) ? KIND_TITLE : 0);
}

static bool is_hidden(const xmlNode *n)
{
  if (attr(n, "hidden"))
    return true;
  const char *v = attr(n, "aria-hidden");
  if (v && strcasecmp(v, "true") == 0)
    return true;
  v = attr(n, "style");
  if (v) {
    char buf[128];
    size_t k = 0;
    for (; *v && k < sizeof buf - 1; v++)
      if (!isspace((unsigned char)*v))
        buf[k++] = (char)tolower((unsigned char)*v);
    buf[k] = '\0';
    if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
      return true;
  }
  return false;
}

/* ---- pass 1: records, pruning, metadata elements -------------------------------- */

static int add_info(page *pg, xmlNode *n, int depth)
{
  if (pg->n == pg->cap) {
    size_t cap = pg->cap ? pg->cap * 2 : 256;
    info *p = ieum__reallocarray(pg->infos, cap, sizeof *p);
    if (!p)
      return ieum__error_oom();
    pg->infos = p;
    pg->cap = cap;
  }
  memset(&pg->infos[pg->n], 0, sizeof pg->infos[pg->n]);
  pg->infos[pg->n].node = n;
  pg->infos[pg->n].depth = depth;
  pg->infos[pg->n].hints = hints_of(n);
  pg->infos[pg->n].kind = kind_of(n);
  /* Index + 1, so that NULL still means "no record". */
  n->_private = (void *)(uintptr_t)(pg->n + 1);
  pg->n++;
  return IEUM_OK;
}

static int number(page *pg, xmlNode *n, int depth)
{
  for (xmlNode *c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    int rc = add_info(pg, c, depth);
    if (rc)
      return rc;
    if (depth < MAX_DEPTH && (rc = number(pg, c->children, depth + 1)) != IEUM_OK)
      return rc;
  }
  return IEUM_OK;
}

/* The record of `n` (records are numbered before any pointer is taken). */
static info *rec(const page *pg, const xmlNode *n)
{
  uintptr_t k = n->type == XML_ELEMENT_NODE ? (uintptr_t)n->_private : 0;
  return k ? &pg->infos[k - 1] : NULL;
}

/* KIND_* bits of element `n`, from its record when it has one. */
static unsigned kind(const page *pg, const xmlNode *n)
{
  const info *r = rec(pg, n);
  return r ? r->kind : n->type == XML_ELEMENT_NODE ? kind_of(n) : 0;
}

static info *parent_rec(const page *pg, const xmlNode *n)
{
  return n->parent && n->parent->type == XML_ELEMENT_NODE ? rec(pg, n->parent) : NULL;
}

/* Elements that never hold prose, and hidden ones: boilerplate whatever they contain. */
static bool is_structural(const xmlNode *n)
{
  return name_is(n, "html") || name_is(n, "body") || name_is(n, "article") || name_is(n, "main");
}

static bool never_holds_prose(const xmlNode *n)
{
  return name_in(n, never_prose) || is_hidden(n);
}

/*
** Boilerplate by its name: a <form> (a search box, a newsletter sign-up;
** but ASP.NET pages wrap the whole page in one), class/id/role words that
** are negative hints and none of the others, or a strong negative word
** (an ad, a caption, a share bar, a related list) whatever else is there.
** Only a guess: prune() keeps such an element when it holds the page's
** prose.
*/
static bool looks_boilerplate(const xmlNode *n, unsigned hints)
{
  /* A quotation is quoted text whatever its class: an embedded post ("twitter-tweet") is the article's. */
  return name_is(n, "form") ||
         (!is_structural(n) && !name_is(n, "blockquote") &&
          ((hints & HINT_STRONG) || (hints & ~(HINT_DISCUSSION | HINT_STRONG)) == HINT_NEGATIVE));
}

/* Boilerplate, as flatten_one() sees it (no records, no weights there). */
static bool is_boilerplate(const xmlNode *n)
{
  return never_holds_prose(n) || looks_boilerplate(n, hints_of(n));
}

/* What own_text() counts of a block's own inline text. */
typedef struct {
  size_t w, lw;  /* text weight, of which inside links */
  size_t punct;  /* sentence punctuation marks */
  size_t code;   /* braces, semicolons and equals signs: script or style text, not prose */
  size_t strong; /* of which braces and equals signs, which prose lists never use */
} own_counts;

static void own_text(const page *pg, const xmlNode *n, own_counts *k, bool in_link);
static bool reads_as_code(const own_counts *k, size_t weight);
static bool is_text_block(const page *pg, const xmlNode *n);
static double link_density(const info *r);

/* The record of `n`'s parent element, or NULL. */
static info *parent_rec(const page *pg, const xmlNode *n);

/*
** Decides what is pruned.  Elements that never hold prose (and hidden
** ones) go with their subtree.  An element that only looks like
** boilerplate by its name (looks_boilerplate: "widget", "ad", "list" in a
** class, a <form>) is weighed first: the prose of its subtree (the own
** text of its text blocks with at most MAX_LINK_DENSITY links, at least
** MIN_BLOCK_WEIGHT each) is compared with the page's, and it is kept when
** it holds KEEP_PROSE_SHARE of it: that is the article, whatever the
** wrapper is called (Elementor's "elementor-widget-wrap", Blogger's "widget
** Blog", "non-ad-column", an ASP.NET page's one <form>).  A <blockquote>
** is never pruned by its name: an embedded post ("twitter-tweet") is quoted
** text of the article.  Share bars, ads
** and related lists hold a sliver of the prose and still go, and so do
** comment sections whatever they hold (discussion_hints).  Records are
** in document order (a parent before its children), so one backward pass
** sums the prose of every subtree.  Linear in the page.
*/
/*
** Sets the prose of every record that is not pruned (nor inside a pruned
** one: the caller has propagated `pruned` down): the own text weight of
** each text block with at most MAX_LINK_DENSITY links and at least
** MIN_BLOCK_WEIGHT, summed over its subtree.  Returns the page's total.
*/
static size_t sum_prose(page *pg)
{
  size_t total = 0;
  for (size_t i = 0; i < pg->n; i++) {
    info *r = &pg->infos[i];
    r->prose = r->titles = r->heads = 0;
    r->elements = 1;
    if (r->pruned || r->meta || !is_text_block(pg, r->node))
      continue;
    own_counts k = { 0, 0, 0, 0, 0 };
    own_text(pg, r->node, &k, false);
    if (k.w >= MIN_BLOCK_WEIGHT && (double)k.lw <= MAX_LINK_DENSITY * (double)k.w && !reads_as_code(&k, k.w))
      r->prose = k.w;
  }
  for (size_t i = pg->n; i-- > 0;) {
    info *r = &pg->infos[i];
    info *p = parent_rec(pg, r->node);
    if (r->headline || (!r->pruned && !r->meta && (name_is(r->node, "article") || name_is(r->node, "h1") ||
                                                   ((r->kind & KIND_TITLE) && r->weight &&
                                                    link_density(r) > MAX_LINK_DENSITY))))
      r->titles++;
    r->heads += r->headline;
    if (p) {
      p->elements += r->elements;
      p->prose += r->prose;
      p->titles += r->titles;
      p->heads += r->heads;
    } else
      total += r->prose;
  }
  return total;
}

static void prune(page *pg)
{
  for (size_t i = 0; i < pg->n; i++) {
    info *r = &pg->infos[i];
    info *p = parent_rec(pg, r->node);
    r->pruned = r->depth >= MAX_DEPTH || never_holds_prose(r->node) || (p && p->pruned);
  }
  size_t total = sum_prose(pg);
  for (size_t i = 0; i < pg->n; i++) {
    info *r = &pg->infos[i];
    info *p = parent_rec(pg, r->node);
    if (p && p->pruned)
      r->pruned = true;
    else if (!r->pruned && looks_boilerplate(r->node, r->hints))
      r->pruned = (r->hints & HINT_DISCUSSION) ||
                  !(r->prose >= MIN_ARTICLE_WEIGHT && (double)r->prose >= KEEP_PROSE_SHARE * (double)total);
  }
}

/*
** Marks metadata elements (after a first weigh()): the headline, <time>,
** and short elements hinted as byline or date; they are kept out of the text.
*/
static void mark_meta(page *pg)
{
  for (size_t i = 0; i < pg->n; i++) {
    info *r = &pg->infos[i];
    xmlNode *n = r->node;
    bool structural = is_structural(n);
    if (n == pg->headline_node)
      r->meta = r->headline = true;
    else if (!structural && r->weight <= MAX_META_WEIGHT &&
             (name_is(n, "time") || (r->hints & (HINT_BYLINE | HINT_DATE))))
      r->meta = true;
  }
}

static int subtree_text(ieum_buf *b, const page *pg, const xmlNode *n, int depth);
static void fold_space(ieum_buf *b);

/* Korean reporter titles that end a byline ("홍길동 기자", "김철수 특파원"). */
static const char *const reporter_titles[] = {
  "\xEA\xB8\xB0\xEC\x9E\x90",                 /* 기자 */
  "\xED\x8A\xB9\xED\x8C\x8C\xEC\x9B\x90",     /* 특파원 */
  "\xEB\x85\xBC\xEC\x84\xA4\xEC\x9C\x84\xEC\x9B\x90", /* 논설위원 */
  NULL
};

/*
** A Korean byline by its shape: one to three words of Hangul (the name,
** a desk) and a reporter title as the last word or glued to the name
** ("서누리 기자", "부산=김철수 기자", "한바다기자").  O(len).
*/
static bool korean_byline(const char *s, size_t len)
{
  size_t words = 0;
  bool hangul_only = true;
  for (size_t i = 0; i < len;) {
    int32_t c = ieum__utf8_next(s, len, &i);
    if (c == ' ')
      words++;
    else if (!((c >= 0xAC00 && c <= 0xD7A3) || c == '=' || c == '/' || c == '.'))
      hangul_only = false;
  }
  if (!hangul_only || words > 3)
    return false;
  for (const char *const *t = reporter_titles; *t; t++) {
    size_t n = strlen(*t);
    if (len > n + 3 && memcmp(s + len - n, *t, n) == 0)
      return true;
  }
  return false;
}

/*
** Where the date of a date line starts (len when s[0..len) is none), by
** its shape: at most DATE_LABEL_BYTES of label without
** digits ("입력", "Published :", "등록 "), then a year of four digits, a
** separator, one or two digits, a separator, one or two digits
** ("2019.03.05. 오전 10:12", "입력 2026-06-25 22:41").  O(len).
*/
/* English month names, as dates spell them ("November", "Nov."): their first three letters. */
static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                      "nov", "dec", NULL };

/*
** "Published November 20th, 2019 - 07:29 GMT", "Nov. 20, 2019 5:52 AM":
** a label of at most DATE_LABEL_BYTES, a month, a day, a comma and a year.
*/
static size_t english_date(const char *s, size_t len)
{
  for (size_t at = 0; at <= DATE_LABEL_BYTES && at + 3 < len; at++) {
    if (at > 0 && s[at - 1] != ' ')
      continue;
    bool month = false;
    for (const char *const *m = months; *m && !month; m++)
      month = tolower((unsigned char)s[at]) == (*m)[0] && tolower((unsigned char)s[at + 1]) == (*m)[1] &&
              tolower((unsigned char)s[at + 2]) == (*m)[2];
    if (!month)
      continue;
    size_t i = at + 3;
    while (i < len && isalpha((unsigned char)s[i]))
      i++;
    if (i < len && s[i] == '.')
      i++;
    if (i >= len || s[i] != ' ')
      return len;
    i++;
    size_t d = 0;
    while (i < len && isdigit((unsigned char)s[i]))
      i++, d++;
    if (d == 0 || d > 2)
      return len;
    while (i < len && isalpha((unsigned char)s[i]))
      i++; /* 20th */
    if (i + 6 > len || s[i] != ',' || s[i + 1] != ' ')
      return len;
    for (int k = 2; k < 6; k++)
      if (!isdigit((unsigned char)s[i + k]))
        return len;
    return at;
  }
  return len;
}

static size_t date_start(const char *s, size_t len);

static bool date_shaped(const char *s, size_t len)
{
  return date_start(s, len) < len;
}

static size_t date_start(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && !isdigit((unsigned char)s[i]))
    i++;
  size_t e = english_date(s, len);
  if (e < len)
    return e;
  if (i > DATE_LABEL_BYTES || i + 8 > len)
    return len;
  size_t start = i;
  for (int k = 0; k < 4; k++)
    if (!isdigit((unsigned char)s[i++]))
      return len;
  for (int part = 0; part < 2; part++) {
    if (i >= len || (s[i] != '.' && s[i] != '-' && s[i] != '/'))
      return len;
    i++;
    if (i < len && s[i] == ' ')
      i++;
    size_t d = 0;
    while (i < len && isdigit((unsigned char)s[i]) && d < 3)
      i++, d++;
    if (d == 0 || d > 2)
      return len;
  }
  return start;
}

/* Inline elements of a sentence: an image inside one is part of the paragraph, not a photo box. */
static const char *const phrase_elems[] = { "a", "em", "strong", "b", "i", "u", "font", "small", "mark", "cite",
                                            "q", "sup", "sub", NULL };

/* Is an element below `n` (at most 3 levels down) metadata already? */
static bool holds_meta(const page *pg, const xmlNode *n, int depth)
{
  for (const xmlNode *c = n->children; c && depth < 3; c = c->next) {
    const info *r = rec(pg, c);
    if (r && (r->meta || holds_meta(pg, c, depth + 1)))
      return true;
  }
  return false;
}

/*
** After the weights: what elements are by their shape rather than their
** names.  A photo box (an element, not a paragraph, with an <img> at most
** PHOTO_BOX_DEPTH levels down and at most PHOTO_BOX_WEIGHT of text: the
** picture and its caption, "articlePhotoC", "end_photo_org") is pruned; a
** short element that reads as a Korean byline ("서누리 기자") or a date
** line ("2019.03.05. 오전 10:12") is metadata, as if its class said so.
** It reads the weights of a first weigh(); call weigh() again after it.  Errors: IEUM_ENOMEM.
*/
static int mark_shapes(page *pg)
{
  for (size_t i = 0; i < pg->n; i++) {
    if (!name_is(pg->infos[i].node, "img"))
      continue;
    int up = 0;
    for (xmlNode *p = pg->infos[i].node->parent; p && p->type == XML_ELEMENT_NODE && up < PHOTO_BOX_DEPTH;
         p = p->parent, up++) {
      info *pr = rec(pg, p);
      if (!pr || pr->pruned || pr->meta || is_structural(p) || (pr->kind & KIND_PARA) ||
          pr->weight > PHOTO_BOX_WEIGHT || name_in(p, phrase_elems))
        continue;
      if (pr->weight > 0)
        pr->pruned = true;
    }
  }
  int rc = IEUM_OK;
  ieum_buf b = IEUM_BUF_INIT;
  for (size_t i = 0; i < pg->n && rc == IEUM_OK; i++) {
    info *r = &pg->infos[i];
    size_t w = r->weight;
    /* Text-only elements of pruned boxes too (Naver's old date sits in a "sponsor" <div>), never scripts. */
    bool leaf = r->pruned && !never_holds_prose(r->node);
    for (const xmlNode *c = r->node->children; leaf && c; c = c->next)
      if (c->type == XML_ELEMENT_NODE)
        leaf = false;
      else if (c->type == XML_TEXT_NODE)
        w += node_weight((xmlNode *)c);
    /* Links (menus, teasers: most short elements of a page) are no byline or date line. */
    if ((r->pruned && !leaf) || r->meta || w < SHAPE_MIN_WEIGHT || w > SHAPE_MAX_WEIGHT ||
        r->elements > SHAPE_MAX_ELEMENTS ||
        is_structural(r->node) || (r->kind & KIND_TITLE) || (!leaf && r->link_weight == r->weight) ||
        name_is(r->node, "a"))
      continue;
    if (!leaf && holds_meta(pg, r->node, 0))
      continue; /* "입력 <span class=num_date>...</span>": the date is the inner one */
    ieum__buf_clear(&b);
    if (leaf) {
      for (const xmlNode *c = r->node->children; c && rc == IEUM_OK; c = c->next)
        if (c->type == XML_TEXT_NODE && c->content)
          rc = ieum__buf_puts(&b, (const char *)c->content);
    } else
      rc = subtree_text(&b, pg, r->node->children, 0);
    if (rc != IEUM_OK)
      break;
    fold_space(&b);
    if (w <= KOREAN_BYLINE_MAX_WEIGHT && korean_byline(b.ptr, b.size))
      r->meta = true, r->hints |= HINT_BYLINE;
    else if (w <= DATE_MAX_WEIGHT && date_shaped(b.ptr, b.size))
      r->meta = true, r->hints |= HINT_DATE;
  }
  ieum_buf_dispose(&b);
  return rc;
}

/* Appends the text of `n`'s subtree, white space folded, to `b`. */
static int subtree_text(ieum_buf *b, const page *pg, const xmlNode *n, int depth)
{
  int rc = IEUM_OK;
  for (const xmlNode *c = n; c && rc == IEUM_OK; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content && (rc = ieum__buf_puts(b, (const char *)c->content)) != IEUM_OK)
        return rc;
      continue;
    }
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const info *r = rec(pg, c);
    if (r && r->pruned && !name_is(c, "time"))
      continue;
    if (name_is(c, "br") && (rc = ieum__buf_putc(b, ' ')) != IEUM_OK)
      return rc;
    if (depth < MAX_DEPTH)
      rc = subtree_text(b, pg, c->children, depth + 1);
    if (rc == IEUM_OK && (kind(pg, c) & KIND_BLOCK))
      rc = ieum__buf_putc(b, ' ');
  }
  return rc;
}

/* Folds runs of white space into one space and trims, in place. */
static void fold_space(ieum_buf *b)
{
  size_t w = 0;
  bool space = true; /* drops leading space */
  for (size_t i = 0; i < b->size;) {
    size_t at = i;
    int32_t c = ieum__utf8_next(b->ptr, b->size, &i);
    if (c < 0 || is_space_cp(c)) {
      space = true;
      continue;
    }
    if (space && w > 0)
      b->ptr[w++] = ' ';
    space = false;
    memmove(b->ptr + w, b->ptr + at, i - at);
    w += i - at;
  }
  b->size = w;
  if (b->ptr)
    b->ptr[w] = '\0';
}

/* ---- parsing: attribute bombs, stray end tags, deep nesting ------------------------ */

/*
** libxml2 2.9.14 compares each attribute of a start tag with every one
** before it (the duplicate check) and appends it at the end of a list it
** walks: a tag's cost is quadratic in its attributes (200,000 on one <p>:
** minutes).  So before parsing, start tags are scanned the way libxml2
** reads them (comments, doctypes, processing instructions and end tags
** skipped to their end, <script> and <style> content to their end tag,
** quoted values whole; where libxml2 might read on as markup, such as "<!x"
** or "</ ", the scan reads on too, so that it never skips a tag libxml2
** parses) and
** attributes past MAX_TAG_ATTRIBUTES are cut out of the tag: the element
** and its text stay (a page with one absurd tag still gives its article),
** only attributes no page needs go.  The page is copied only when a tag is
** cut.  Cost: one linear pass.
*/
static bool is_blank_byte(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_byte(char c)
{
  return isalnum((unsigned char)c) || c == ':' || c == '-' || c == '_' || c == '.';
}

/* The offset of `what` (length n, ASCII letters compared case-blind) at or after `i`, or len. */
static size_t find_ci(const char *s, size_t len, size_t i, const char *what, size_t n)
{
  for (; i + n <= len; i++) {
    const char *p = memchr(s + i, what[0], len - i);
    if (!p || (size_t)(p - s) + n > len)
      return len;
    i = (size_t)(p - s);
    if (strncasecmp(p, what, n) == 0)
      return i;
  }
  return len;
}

/*
** Scans the start tag whose name begins at s[i]; returns the offset of its
** '>' (or "/>", or len).  *cut gets where attribute MAX_TAG_ATTRIBUTES + 1
** starts (len when there are not that many), *raw the end tag name when it is <script>
** or <style> (then the end tag that ends its content, which is not
** markup), else NULL.
*/
static size_t scan_start_tag(const char *s, size_t len, size_t i, size_t *cut, const char **raw)
{
  size_t name = i;
  while (i < len && is_name_byte(s[i]))
    i++;
  *raw = i - name == 6 && strncasecmp(s + name, "script", 6) == 0 ? "</script"
         : i - name == 5 && strncasecmp(s + name, "style", 5) == 0 ? "</style" : NULL;
  *cut = len;
  size_t count = 0;
  for (;;) {
    while (i < len && is_blank_byte(s[i]))
      i++;
    if (i >= len || s[i] == '>' || (s[i] == '/' && i + 1 < len && s[i + 1] == '>'))
      return i;
    size_t start = i;
    if (!isalpha((unsigned char)s[i]) && s[i] != '_' && s[i] != ':' && s[i] != '.') {
      /* Not a name: libxml2 skips to the next blank. */
      while (i < len && !is_blank_byte(s[i]) && s[i] != '>' && !(s[i] == '/' && i + 1 < len && s[i + 1] == '>'))
        i++;
      continue;
    }
    while (i < len && is_name_byte(s[i]))
      i++;
    size_t j = i;
    while (j < len && is_blank_byte(s[j]))
      j++;
    if (j < len && s[j] == '=') {
      j++;
      while (j < len && is_blank_byte(s[j]))
        j++;
      if (j < len && (s[j] == '"' || s[j] == '\'')) {
        const char *q = memchr(s + j + 1, s[j], len - j - 1);
        j = q ? (size_t)(q - s) + 1 : len;
      } else
        while (j < len && !is_blank_byte(s[j]) && s[j] != '>')
          j++;
      i = j;
    }
    if (++count == MAX_TAG_ATTRIBUTES + 1)
      *cut = start;
  }
}

/* Does s[name..) spell "script" followed by a blank, '/' or '>' (the name of a script tag)? */
static bool script_name_at(const char *s, size_t len, size_t name)
{
  return name + 6 < len && strncasecmp(s + name, "script", 6) == 0 &&
         (is_blank_byte(s[name + 6]) || s[name + 6] == '/' || s[name + 6] == '>' || s[name + 6] == '\f');
}

/*
** The content of a <script> that starts at s[i] ends, for a browser, at
** the first "</script" unless it lies inside "<!-- <script> ... -->" (the
** HTML tokenizer's double-escaped state: old ad code writes
** document.write('<script src=...></script>') inside a comment so that
** the page's own script goes on).  libxml2 ends the element at the first
** one, and the rest of the code becomes the page's text.  So such inner
** end tags are written "<\/script" (the same string to JavaScript) in the
** copy `out`, from `*copied` on (the caller's copy position; *cutting set).
** Returns the offset of the end tag that does end the script (len when
** none).  Errors go to *rc (IEUM_ENOMEM).  Linear in the script.
*/
static size_t script_end(ieum_buf *out, size_t *copied, bool *cutting, int *rc, const char *s, size_t len,
                         size_t i)
{
  enum { DATA, ESCAPED, DOUBLE } state = DATA;
  while (i < len) {
    /* The next '<'; out of DATA also the next '-', which may end the comment. */
    const char *lt = memchr(s + i, '<', len - i);
    if (state != DATA) {
      const char *dash = memchr(s + i, '-', (lt ? (size_t)(lt - s) : len) - i);
      if (dash)
        lt = dash;
    }
    if (!lt)
      return len;
    size_t j = (size_t)(lt - s);
    i = j + 1;
    if (s[j] == '-') {
      if (j + 2 < len && s[j + 1] == '-' && s[j + 2] == '>') {
        state = DATA;
        i = j + 3;
      }
    } else if (j + 3 < len && s[j + 1] == '!' && s[j + 2] == '-' && s[j + 3] == '-') {
      if (state == DATA)
        state = ESCAPED;
      i = j + 4;
    } else if (j + 1 < len && s[j + 1] == '/' && script_name_at(s, len, j + 2)) {
      if (state != DOUBLE)
        return j;
      if ((*rc = ieum__buf_put(out, s + *copied, j + 1 - *copied)) != IEUM_OK ||
          (*rc = ieum__buf_putc(out, '\\')) != IEUM_OK)
        return len;
      *copied = j + 1;
      *cutting = true;
      state = ESCAPED;
      i = j + 8;
    } else if (state == ESCAPED && script_name_at(s, len, j + 1))
      state = DOUBLE;
  }
  return len;
}

/* Is s[i..) the end tag </body> or </html>? */
static bool ends_document(const char *s, size_t len, size_t i)
{
  for (int k = 0; k < 2; k++) {
    const char *name = k ? "</html" : "</body";
    if (i + 7 <= len && strncasecmp(s + i, name, 6) == 0 && (s[i + 6] == '>' || is_blank_byte(s[i + 6])))
      return true;
  }
  return false;
}

/* The offset of what follows the run of </body> and </html> tags (and blanks) at s[i..). */
static size_t after_document_ends(const char *s, size_t len, size_t i)
{
  for (;;) {
    while (i < len && is_blank_byte(s[i]))
      i++;
    if (i >= len || !ends_document(s, len, i))
      return i;
    const char *end = memchr(s + i, '>', len - i);
    if (!end)
      return len;
    i = (size_t)(end - s) + 1;
  }
}

/*
** Sets *out to the page with every start tag cut to MAX_TAG_ATTRIBUTES
** attributes, the inner end tags of scripts escaped (script_end), and
** stray </body> and </html> tags cut (those followed by more of the page
** than a comment: a browser puts what follows into the body, libxml2 into
** a second document tree, away from the article it belongs to), or
** leaves it empty when there is nothing to change (then the page is used
** as it is).  Errors: IEUM_ENOMEM.
*/
static int bound_attributes(ieum_buf *out, const char *s, size_t len)
{
  int rc = IEUM_OK;
  size_t i = 0, copied = 0, decided_to = 0;
  bool cutting = false, decided_stray = false;
  while (i < len) {
    const char *lt = memchr(s + i, '<', len - i);
    if (!lt)
      break;
    i = (size_t)(lt - s);
    if (i + 1 >= len)
      break;
    char c = s[i + 1];
    char d = i + 2 < len ? s[i + 2] : '\0';
    if (c == '!' && d == '-' && i + 3 < len && s[i + 3] == '-') {
      const char *end = memmem(s + i + 4, len - i - 4, "-->", 3);
      i = end ? (size_t)(end - s) + 3 : len;
    } else if ((c == '/' || c == '?') && (isalpha((unsigned char)d) || d == '_' || d == ':')) {
      /* An end tag or a processing instruction: libxml2 skips to '>'. */
      const char *end = memchr(s + i + 2, '>', len - i - 2);
      size_t next = end ? (size_t)(end - s) + 1 : len;
      if (c == '/' && end && ends_document(s, len, i)) {
        if (i >= decided_to) {
          decided_to = after_document_ends(s, len, i);
          decided_stray = decided_to < len && !(decided_to + 4 <= len && memcmp(s + decided_to, "<!--", 4) == 0);
        }
        if (decided_stray) {
          if ((rc = ieum__buf_put(out, s + copied, i - copied)) != IEUM_OK)
            return rc;
          copied = next;
          cutting = true;
        }
      }
      i = next;
    } else if (c == '!' && i + 9 <= len && strncasecmp(s + i + 2, "doctype", 7) == 0) {
      /* libxml2 ends a doctype at a '>' at or after the first one. */
      const char *end = memchr(s + i + 2, '>', len - i - 2);
      i = end ? (size_t)(end - s) + 1 : len;
    } else if (c == '!' || c == '/' || c == '?') {
      /* Anything else libxml2 may read as text and markup: scanned on. */
      i += 2;
    } else if (isalpha((unsigned char)c) || c == '_' || c == ':' || c == '.') {
      size_t cut;
      const char *raw;
      size_t end = scan_start_tag(s, len, i + 1, &cut, &raw);
      if (cut < end) {
        if ((rc = ieum__buf_put(out, s + copied, cut - copied)) != IEUM_OK)
          return rc;
        copied = end;
        cutting = true;
      }
      i = end;
      if (raw && i < len && s[i] == '>') { /* not <script/> */
        if (raw[2] == 's' && raw[3] == 'c') {
          i = script_end(out, &copied, &cutting, &rc, s, len, i + 1);
          if (rc != IEUM_OK)
            return rc;
        } else
          i = find_ci(s, len, i, raw, strlen(raw));
      }
    } else
      i++;
  }
  if (cutting && copied < len)
    rc = ieum__buf_put(out, s + copied, len - copied);
  return rc;
}

/*
** libxml2 keeps the names of the open elements on a stack, and an end tag
** that matches none of them (or that a <div> or <table> between keeps from
** closing) makes it scan the whole stack for nothing.  With
** XML_PARSE_HUGE, which lifts its 256-level limit (past it libxml2 stops
** reading and the rest of the page is lost), a hostile page (100,000
** unclosed <span>s, then stray </b>s) costs quadratic time.  So every such
** scan is charged: each tag-mismatch error libxml2 reports is worth the
** stack depth at that moment, unless elements are then popped at the same
** input position (the end tag did close them: those scans are paid for by
** the pushes); so is each misplaced <body> start tag, which also makes
** libxml2 scan the whole stack.  Past SCAN_PER_BYTE per byte of the page (plus SCAN_FLOOR)
** the parse is stopped and the page refused with a message; real pages,
** even deep or sloppy ones, charge a tiny fraction of that.
*/
typedef struct {
  startElementSAXFunc start; /* libxml2's tree builder, called through */
  endElementSAXFunc end;
  size_t charged;            /* stack entries scanned in vain, as charged */
  size_t budget;
  int pending;               /* depth at a mismatch not yet settled, 0 = none */
  const xmlChar *pending_at; /* input position of that mismatch */
  bool over;                 /* the budget ran out: the parse was stopped */
  int over_line;             /* where */
  int over_depth;
  int fatal_line;            /* first fatal error libxml2 reported, 0 = none */
  char fatal[160];
} parse_guard;

static const xmlChar *input_at(const xmlParserCtxt *c)
{
  return c->input ? c->input->cur : NULL;
}

static void charge(parse_guard *g, xmlParserCtxtPtr c, size_t n)
{
  g->charged += n;
  if (g->charged > g->budget && !g->over) {
    g->over = true;
    g->over_line = c->input ? c->input->line : 0;
    g->over_depth = c->nameNr;
    xmlStopParser(c);
  }
}

/* Charges the pending mismatch unless `popped` (an element closed where it was raised). */
static void settle(parse_guard *g, xmlParserCtxtPtr c, bool popped)
{
  if (!g->pending)
    return;
  if (!(popped && input_at(c) == g->pending_at)) {
    int n = g->pending;
    g->pending = 0;
    charge(g, c, (size_t)n);
  } else
    g->pending = 0;
}

static void guard_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
  xmlParserCtxtPtr c = ctx;
  parse_guard *g = c->_private;
  settle(g, c, false);
  g->start(ctx, name, atts);
}

static void guard_end(void *ctx, const xmlChar *name)
{
  xmlParserCtxtPtr c = ctx;
  parse_guard *g = c->_private;
  settle(g, c, true);
  g->end(ctx, name);
}

static void guard_error(void *data, xmlErrorPtr e)
{
  (void)data;
  xmlParserCtxtPtr c = e ? e->ctxt : NULL;
  parse_guard *g = c ? c->_private : NULL;
  if (!g)
    return;
  settle(g, c, false);
  if (e->code == XML_HTML_STRUCURE_ERROR && c->nameNr > 0)
    charge(g, c, (size_t)c->nameNr); /* a misplaced <body> scans the whole stack */
  else if (e->code == XML_ERR_TAG_NAME_MISMATCH && c->nameNr > 0) {
    g->pending = c->nameNr;
    g->pending_at = input_at(c);
  }
  if (e->level == XML_ERR_FATAL && !g->fatal_line) {
    snprintf(g->fatal, sizeof g->fatal, "%s", e->message ? e->message : "unknown error");
    size_t n = strlen(g->fatal);
    while (n && (g->fatal[n - 1] == '\n' || g->fatal[n - 1] == ' '))
      g->fatal[--n] = '\0';
    g->fatal_line = e->line > 0 ? e->line : 1;
  }
}

/*
** Parses UTF-8 `s[0..len)`.  HTML_PARSE_RECOVER (script and style content
** then ends only at its own end tag) and XML_PARSE_HUGE (no depth limit,
** no 10 MB cap on a text node); errors go to guard_error(), never to
** stderr.  Any stop before the end is an error naming the file and the
** line: no text is lost silently.  Errors: IEUM_EPARSE, IEUM_ELIMIT (the
** scan budget), IEUM_ENOMEM.
*/
static int parse(xmlDoc **out, const char *s, size_t len, const char *name)
{
  int rc = IEUM_OK;
  parse_guard g;
  xmlDoc *doc = NULL;
  htmlParserCtxtPtr c = htmlNewParserCtxt();
  *out = NULL;
  if (!c)
    return ieum__error_oom();
  memset(&g, 0, sizeof g);
  g.start = c->sax->startElement;
  g.end = c->sax->endElement;
  g.budget = len > (SIZE_MAX - SCAN_FLOOR) / SCAN_PER_BYTE ? SIZE_MAX : len * SCAN_PER_BYTE + SCAN_FLOOR;
  c->_private = &g;
  c->sax->startElement = guard_start;
  c->sax->endElement = guard_end;
  /* libxml2 2.9 calls serror only for a handler marked as SAX2. */
  c->sax->initialized = XML_SAX2_MAGIC;
  c->sax->serror = guard_error;
  doc = htmlCtxtReadMemory(c, s, (int)len, NULL, "UTF-8",
                           HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_RECOVER | XML_PARSE_HUGE | HTML_PARSE_IGNORE_ENC |
                           HTML_PARSE_COMPACT);
  if (c->errNo == XML_ERR_NO_MEMORY) {
    rc = ieum__error_oom();
    goto done;
  }
  if (g.over) {
    rc = ieum__error_set(IEUM_ELIMIT, "%s:%d: HTML nested %d elements deep with stray or misplaced "
                         "tags; too costly to parse (nothing extracted)", name, g.over_line,
                         g.over_depth);
    goto done;
  }
  if (c->disableSAX || !doc) {
    if (g.fatal_line)
      rc = ieum__error_set(IEUM_EPARSE, "%s:%d: the HTML parser stopped (%s): the text after it "
                           "would be lost", name, g.fatal_line, g.fatal);
    else
      rc = ieum__error_set(IEUM_EPARSE, "%s: the HTML parser could not read the page", name);
    goto done;
  }
  *out = doc;
  doc = NULL;

done:
  if (doc)
    xmlFreeDoc(doc);
  htmlFreeParserCtxt(c);
  return rc;
}

/* ---- deep subtrees ------------------------------------------------------------------- */

/*
** The walks below recurse and stop at MAX_DEPTH; with XML_PARSE_HUGE the
** tree can be far deeper (100,000 unclosed <font>s).  So, before them,
** every element at FLAT_DEPTH is flattened: the text of its subtree
** (boilerplate subtrees left out, as prune() would) becomes a list of <p>
** children, one per run of text between block elements or <br><br>, and the subtree
** is freed.  The text is kept, in order, its paragraphs too; what is lost
** is only structure no news page has (and links inside: they count as
** text).  Iterative, so no depth overflows the stack; linear in the tree.
*/
#define FLAT_DEPTH (MAX_DEPTH - 2)

/* Adds the paragraph in `para` (folded) as a <p> child of `holder`, when not blank. */
static int add_paragraph(xmlNode *holder, ieum_buf *para)
{
  fold_space(para);
  if (!para->size)
    return IEUM_OK;
  xmlNode *p = xmlNewDocNode(holder->doc, NULL, BAD_CAST "p", NULL);
  xmlNode *t = p ? xmlNewDocTextLen(holder->doc, BAD_CAST para->ptr, (int)para->size) : NULL;
  if (!t) {
    xmlFreeNode(p);
    return ieum__error_oom();
  }
  xmlAddChild(p, t);
  xmlAddChild(holder, p);
  ieum__buf_clear(para);
  return IEUM_OK;
}

/* Replaces the children of `e` by the paragraphs of their text. */
static int flatten_one(xmlNode *e)
{
  int rc = IEUM_OK;
  ieum_buf para = IEUM_BUF_INIT;
  xmlNode *holder = xmlNewDocNode(e->doc, NULL, BAD_CAST "div", NULL);
  if (!holder)
    return ieum__error_oom();
  xmlNode *n = e->children;
  int brs = 0; /* <br>s since the last text: two end a paragraph, as in write_tree() */
  while (n && rc == IEUM_OK) {
    bool descend = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      const char *t = (const char *)n->content;
      if (t && !ieum__utf8_is_blank(t, strlen(t))) {
        if (brs >= 2)
          rc = add_paragraph(holder, &para);
        brs = 0;
      }
      if (t && rc == IEUM_OK)
        rc = ieum__buf_puts(&para, t);
    } else if (n->type == XML_ELEMENT_NODE && !is_boilerplate(n)) {
      if (name_in(n, block_elems))
        rc = add_paragraph(holder, &para);
      else if (name_is(n, "br")) {
        brs++;
        rc = ieum__buf_putc(&para, ' ');
      }
      descend = n->children != NULL;
    }
    if (rc != IEUM_OK)
      break;
    if (descend) {
      n = n->children;
      continue;
    }
    /* Up to the next sibling; leaving a block ends a paragraph. */
    while (n != e && !n->next) {
      n = n->parent;
      if (n != e && name_in(n, block_elems) && (rc = add_paragraph(holder, &para)) != IEUM_OK)
        break;
    }
    n = n == e ? NULL : n->next;
  }
  if (rc == IEUM_OK)
    rc = add_paragraph(holder, &para);
  if (rc == IEUM_OK) {
    xmlFreeNodeList(e->children);
    e->children = holder->children;
    e->last = holder->last;
    for (xmlNode *c = e->children; c; c = c->next)
      c->parent = e;
    holder->children = holder->last = NULL;
  }
  xmlFreeNode(holder);
  ieum_buf_dispose(&para);
  return rc;
}

/* Flattens every element at FLAT_DEPTH that has element children. */
static int flatten_deep(xmlNode *root)
{
  int depth = 0, rc = IEUM_OK;
  xmlNode *n = root;
  while (n) {
    bool descend = false;
    if (n->type == XML_ELEMENT_NODE && n->children) {
      if (depth < FLAT_DEPTH)
        descend = true;
      else {
        bool nested = false;
        for (const xmlNode *c = n->children; c && !nested; c = c->next)
          nested = c->type == XML_ELEMENT_NODE;
        if (nested && (rc = flatten_one(n)) != IEUM_OK)
          return rc;
      }
    }
    if (descend) {
      n = n->children;
      depth++;
      continue;
    }
    while (depth > 0 && !n->next) {
      n = n->parent;
      depth--;
    }
    n = n->next;
  }
  return rc;
}

/* ---- metadata -------------------------------------------------------------------- */

/* Sets metadata `key` to NFC `s` (the page is decoded without NFC: only what is kept is normalized). */
static int set_meta(ieum_article *a, int key, const char *s, size_t len)
{
  if (a->meta[key] || len == 0)
    return IEUM_OK;
  ieum_buf nfc = IEUM_BUF_INIT;
  int rc = ieum__icu_nfc(&nfc, s, len);
  if (rc == IEUM_OK && nfc.size)
    a->meta[key] = ieum__strndup(nfc.ptr, nfc.size);
  if (rc == IEUM_OK && nfc.size && !a->meta[key])
    rc = ieum__error_oom();
  ieum_buf_dispose(&nfc);
  return rc;
}

/* Sets `key` from the folded text of an element, when short enough. */
static int meta_from_element(ieum_article *a, const page *pg, int key, const xmlNode *n)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = subtree_text(&b, pg, n->children, 0);
  if (rc == IEUM_OK) {
    fold_space(&b);
    if (b.size && text_weight(b.ptr, b.size) <= MAX_META_WEIGHT)
      rc = set_meta(a, key, b.ptr, b.size);
  }
  ieum_buf_dispose(&b);
  return rc;
}

static int meta_from_value(ieum_article *a, int key, const char *v)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = v ? ieum__buf_puts(&b, v) : IEUM_OK;
  if (rc == IEUM_OK && b.size) {
    fold_space(&b);
    rc = set_meta(a, key, b.ptr, b.size);
  }
  ieum_buf_dispose(&b);
  return rc;
}

/* The first element named `name` in document order, or NULL. */
static xmlNode *first_named(const page *pg, const char *name)
{
  for (size_t i = 0; i < pg->n; i++)
    if (name_is(pg->infos[i].node, name))
      return pg->infos[i].node;
  return NULL;
}

/*
** Finds the headline element before classification (so that it is kept out
** of the text): itemprop=headline, else the first <h1> with text that is not
** only a link (a site logo is often an <h1><a>).
*/
static void find_headline(page *pg)
{
  for (size_t i = 0; i < pg->n; i++) {
    const char *ip = attr(pg->infos[i].node, "itemprop");
    if (ip && strcasecmp(ip, "headline") == 0) {
      pg->headline_node = pg->infos[i].node;
      return;
    }
  }
  for (size_t i = 0; i < pg->n; i++) {
    xmlNode *n = pg->infos[i].node;
    if (!name_is(n, "h1"))
      continue;
    bool only_link = true, any = false;
    for (xmlNode *c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE && c->content && !ieum__utf8_is_blank((const char *)c->content,
                                                                         strlen((const char *)c->content)))
        only_link = false, any = true;
      else if (c->type == XML_ELEMENT_NODE) {
        any = true;
        if (!name_is(c, "a") && !name_is(c, "img"))
          only_link = false;
      }
    }
    if (any && !only_link) {
      pg->headline_node = n;
      return;
    }
  }
}

/* The text of a <script> (its text children), appended to `b`. */
static int script_text(ieum_buf *b, const xmlNode *n)
{
  int rc = IEUM_OK;
  for (const xmlNode *c = n->children; c && rc == IEUM_OK; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      rc = ieum__buf_puts(b, (const char *)c->content);
  return rc;
}

/*
** Reads what the page declares (html_meta.c): before anything is chosen,
** its JSON-LD and its site name (og:site_name, application-name), which
** is never taken for a headline; with `state`, when the DOM has little or
** no text, the state a JavaScript front end renders the article from (Arc's
** Fusion.globalContent, Next.js's __NEXT_DATA__...).  Errors: IEUM_ENOMEM.
*/
static int read_declared(page *pg, bool state)
{
  int rc = IEUM_OK;
  bool site_og = false;
  ieum_buf b = IEUM_BUF_INIT;
  for (size_t i = 0; i < pg->n && rc == IEUM_OK; i++) {
    const xmlNode *n = pg->infos[i].node;
    if (name_is(n, "meta") && !state) {
      const char *k = attr(n, "property");
      if (!k)
        k = attr(n, "name");
      const char *v = attr(n, "content");
      bool og = k && !strcasecmp(k, "og:site_name");
      /* og:site_name over application-name (which some sites fill with the page's title) */
      if (k && v && *v && (og || (!strcasecmp(k, "application-name") && !pg->site)) && !(og && site_og)) {
        ieum__free(pg->site);
        if (!(pg->site = ieum__strdup(v)))
          rc = ieum__error_oom();
        site_og = og;
      }
      continue;
    }
    if (!name_is(n, "script") || !n->children)
      continue;
    const char *type = attr(n, "type"), *id = attr(n, "id");
    bool ld = type && strcasestr(type, "ld+json");
    bool next = id && strcmp(id, "__NEXT_DATA__") == 0;
    ieum__buf_clear(&b);
    if ((rc = script_text(&b, n)) != IEUM_OK || !b.size)
      continue;
    if (ld && !state)
      rc = ieum_html__decl_jsonld(&pg->decl, b.ptr, b.size);
    else if (!ld && state && (next || ieum_html__decl_has_state(b.ptr, b.size)))
      rc = ieum_html__decl_embedded(&pg->decl, b.ptr, b.size, next);
  }
  /* An application-name that is the whole <title> is the page's title, not its site's name. */
  const xmlNode *t = !state && pg->site && !site_og && rc == IEUM_OK ? first_named(pg, "title") : NULL;
  if (t) {
    ieum__buf_clear(&b);
    if ((rc = script_text(&b, t)) == IEUM_OK && b.size) {
      fold_space(&b);
      ieum_buf site = IEUM_BUF_INIT;
      if ((rc = ieum__buf_puts(&site, pg->site)) == IEUM_OK) {
        fold_space(&site);
        if (site.size == b.size && memcmp(site.ptr, b.ptr, b.size) == 0) {
          ieum__free(pg->site);
          pg->site = NULL;
        }
      }
      ieum_buf_dispose(&site);
    }
  }
  ieum_buf_dispose(&b);
  return rc;
}

/* Does `s` equal `site` but for ASCII case and white space? */
static bool same_words(const char *s, size_t len, const char *site)
{
  size_t i = 0, j = 0, m = strlen(site);
  for (;;) {
    while (i < len && isspace((unsigned char)s[i]))
      i++;
    while (j < m && isspace((unsigned char)site[j]))
      j++;
    if (i >= len || j >= m)
      return i >= len && j >= m;
    if (tolower((unsigned char)s[i]) != tolower((unsigned char)site[j]))
      return false;
    i++, j++;
  }
}

static bool is_site_name(const page *pg, const char *s, size_t len)
{
  return (pg->site && same_words(s, len, pg->site)) || (pg->decl.site && same_words(s, len, pg->decl.site));
}

/* Separators between a page title's headline and its site name. */
static const char *const title_seps[] = { " | ", " - ", " : ", " :: ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                          " < ", " \xC2\xBB ", " / ", NULL };

/*
** The headline part of a <title> or og:title `s[0..*len)`: "Headline | Site"
** or "Site | Headline" lose the site part when the site name is known.
** Returns the start; *len is updated.
*/
static const char *strip_site(const page *pg, const char *s, size_t *len)
{
  for (const char *const *sep = title_seps; *sep; sep++) {
    size_t k = strlen(*sep);
    const char *last = NULL;
    for (const char *p = s; (p = memmem(p, *len - (size_t)(p - s), *sep, k)); p += k)
      last = p;
    if (last && is_site_name(pg, last + k, *len - (size_t)(last + k - s))) {
      *len = (size_t)(last - s);
      return s;
    }
    const char *first = memmem(s, *len, *sep, k);
    if (first && is_site_name(pg, s, (size_t)(first - s))) {
      *len -= (size_t)(first + k - s);
      return first + k;
    }
  }
  return s;
}

/*
** The machine-readable date of a date element or of an element inside it
** (at most 3 levels down): datetime, data-date-time, data-published-time
** or data-date, as Naver's "_ARTICLE_DATE_TIME" span carries it.  Borrowed.
*/
static const char *machine_date(const xmlNode *n, int depth)
{
  static const char *const names[] = { "datetime", "data-date-time", "data-published-time", "data-date", NULL };
  for (const char *const *k = names; *k; k++) {
    const char *v = attr(n, *k);
    if (v && isdigit((unsigned char)*v))
      return v;
  }
  for (const xmlNode *c = n->children; c && depth < 3; c = c->next)
    if (c->type == XML_ELEMENT_NODE) {
      const char *v = machine_date(c, depth + 1);
      if (v)
        return v;
    }
  return NULL;
}

/* Sets the headline from s[0..len) (folded) unless it is the site's name. */
static int headline_from(ieum_article *a, const page *pg, const char *s, size_t len, bool title)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = ieum__buf_put(&b, s, len);
  if (rc == IEUM_OK && b.size) {
    fold_space(&b);
    size_t n = b.size;
    const char *h = title ? strip_site(pg, b.ptr, &n) : b.ptr;
    if (n && !is_site_name(pg, h, n) && ieum_html__text_weight(h, n) <= MAX_HEADLINE_WEIGHT)
      rc = set_meta(a, META_HEADLINE, h, n);
  }
  ieum_buf_dispose(&b);
  return rc;
}

static int headline_from_element(ieum_article *a, const page *pg, const xmlNode *n, bool title)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = subtree_text(&b, pg, n->children, 0);
  if (rc == IEUM_OK && b.size)
    rc = headline_from(a, pg, b.ptr, b.size, title);
  ieum_buf_dispose(&b);
  return rc;
}

/* <meta> names and properties of the headline, the byline and the date (as the CMSs and analytics tags write them). */
static const char *const title_keys[] = { "og:title", "twitter:title", "parsely-title", "dc.title", NULL };
static const char *const author_keys[] = { "author", "byl", "dable:author", "article:author", "parsely-author",
                                           "sailthru.author", "dc.creator", "citation_author", NULL };
static const char *const date_keys[] = { "article:published_time", "datePublished", "date", "pubdate",
                                         "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued",
                                         "publish-date", "publish_date", "publication_date",
                                         "citation_publication_date", "og:published_time", NULL };

static bool key_in(const char *k, const char *const *keys)
{
  for (; *keys; keys++)
    if (!strcasecmp(k, *keys))
      return true;
  return false;
}

/*
** The page's metadata, each key from the first of its places that has it:
** headline from JSON-LD, the headline element (itemprop=headline, <h1>),
** og:title or twitter:title, then <title> (the site's name in it cut
** off), never the site's name itself (og:site_name, the JSON-LD publisher
** or WebSite); byline from <meta name=author>, JSON-LD authors, then
** byline elements; date from JSON-LD datePublished, <meta>s, <time>, date
** elements; URL from the canonical link or og:url, then JSON-LD.
*/
static int collect_meta(ieum_article *a, page *pg, xmlDoc *doc)
{
  int rc = IEUM_OK;
  const ieum_html_decl *d = &pg->decl;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (root && attr(root, "lang") && (rc = meta_from_value(a, META_LANG, attr(root, "lang"))) != 0)
    return rc;
  if (d->headline && (rc = headline_from(a, pg, d->headline, strlen(d->headline), false)) != 0)
    return rc;
  if (d->date && (rc = meta_from_value(a, META_DATE, d->date)) != 0)
    return rc;
  if (pg->headline_node && (rc = headline_from_element(a, pg, pg->headline_node, false)) != 0)
    return rc;
  /* <meta> and <link> in document order. */
  for (size_t i = 0; i < pg->n && rc == IEUM_OK; i++) {
    const xmlNode *n = pg->infos[i].node;
    if (name_is(n, "meta")) {
      const char *k = attr(n, "property");
      if (!k)
        k = attr(n, "name");
      if (!k)
        k = attr(n, "itemprop");
      const char *v = attr(n, "content");
      if (!k || !v)
        continue;
      if (key_in(k, title_keys))
        rc = headline_from(a, pg, v, strlen(v), true);
      else if (key_in(k, author_keys) && strncmp(v, "http", 4) != 0) /* article:author is often a profile URL */
        rc = meta_from_value(a, META_BYLINE, v);
      else if (key_in(k, date_keys))
        rc = meta_from_value(a, META_DATE, v);
      else if (!strcasecmp(k, "og:url"))
        rc = meta_from_value(a, META_URL, v);
    } else if (name_is(n, "link")) {
      const char *rel = attr(n, "rel"), *href = attr(n, "href");
      if (rel && href && strcasecmp(rel, "canonical") == 0)
        rc = meta_from_value(a, META_URL, href);
    }
  }
  if (rc == IEUM_OK && d->byline)
    rc = meta_from_value(a, META_BYLINE, d->byline);
  if (rc == IEUM_OK && d->url)
    rc = meta_from_value(a, META_URL, d->url);
  /* Elements: <time datetime>, then byline and date elements; those of pruned boxes last. */
  for (size_t k = 0; k < 2 * pg->n && rc == IEUM_OK; k++) {
    const info *r = &pg->infos[k % pg->n];
    const xmlNode *n = r->node;
    if (!r->meta || n == pg->headline_node || r->pruned != (k >= pg->n))
      continue;
    if (name_is(n, "time")) {
      const char *dt = attr(n, "datetime");
      rc = dt && *dt ? meta_from_value(a, META_DATE, dt) : meta_from_element(a, pg, META_DATE, n);
    } else if (r->hints & HINT_BYLINE)
      rc = meta_from_element(a, pg, META_BYLINE, n);
    else if (r->hints & HINT_DATE) {
      const char *dt = machine_date(n, 0);
      rc = dt ? meta_from_value(a, META_DATE, dt) : meta_from_element(a, pg, META_DATE, n);
    }
  }
  if (rc == IEUM_OK && !a->meta[META_HEADLINE]) {
    const xmlNode *t = first_named(pg, "title");
    if (t)
      rc = headline_from_element(a, pg, t, true);
    pg->title_headline = a->meta[META_HEADLINE] != NULL;
  }
  return rc;
}

/*
** The headline found in <meta>s, JSON-LD or <title> may stand in the DOM
** as well, in an element no name tells (Daum's "tit_view" <h3>, a
** <strong class="title">): every element whose text is the headline is
** metadata too, so that it does not open the article text.  Only elements
** of the headline's weight are read.  Errors: IEUM_ENOMEM.
*/
static int mark_headline_copies(const ieum_article *a, page *pg)
{
  const char *h = a->meta[META_HEADLINE];
  if (!h)
    return IEUM_OK;
  size_t hl = strlen(h), hw = text_weight(h, hl);
  int rc = IEUM_OK;
  ieum_buf b = IEUM_BUF_INIT, nfc = IEUM_BUF_INIT;
  for (size_t i = 0; i < pg->n && rc == IEUM_OK; i++) {
    info *r = &pg->infos[i];
    /* A <p> that repeats the headline is the article's own (a pull quote, a lead). */
    if (r->weight != hw || r->pruned || r->meta || is_structural(r->node) || name_is(r->node, "title") ||
        name_is(r->node, "p") || r->elements > SHAPE_MAX_ELEMENTS)
      continue;
    info *p = parent_rec(pg, r->node);
    if (p && p->meta)
      continue;
    ieum__buf_clear(&b);
    ieum__buf_clear(&nfc);
    if ((rc = subtree_text(&b, pg, r->node->children, 0)) != IEUM_OK)
      break;
    fold_space(&b);
    if (b.size && (rc = ieum__icu_nfc(&nfc, b.ptr, b.size)) == IEUM_OK && nfc.size == hl &&
        memcmp(nfc.ptr, h, hl) == 0)
      r->meta = r->headline = true;
  }
  ieum_buf_dispose(&b);
  ieum_buf_dispose(&nfc);
  return rc;
}

/* The metadata of a front end's state read after the DOM (read_declared(pg, true)): only where none was found. */
static int declared_meta(ieum_article *a, const page *pg)
{
  const ieum_html_decl *d = &pg->decl;
  int rc = IEUM_OK;
  if (d->headline && (!a->meta[META_HEADLINE] || pg->title_headline)) {
    char *was = a->meta[META_HEADLINE];
    a->meta[META_HEADLINE] = NULL;
    rc = headline_from(a, pg, d->headline, strlen(d->headline), false);
    if (!a->meta[META_HEADLINE])
      a->meta[META_HEADLINE] = was;
    else
      ieum__free(was);
  }
  if (rc == IEUM_OK && d->byline)
    rc = meta_from_value(a, META_BYLINE, d->byline);
  if (rc == IEUM_OK && d->date)
    rc = meta_from_value(a, META_DATE, d->date);
  if (rc == IEUM_OK && d->url)
    rc = meta_from_value(a, META_URL, d->url);
  return rc;
}

/* ---- pass 2: weights and scores ---------------------------------------------------- */

/* Fills weight and link_weight of every kept element (post-order). */
static void weigh(page *pg, xmlNode *n, bool in_link, size_t *w, size_t *lw)
{
  for (xmlNode *c = n; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      size_t k = node_weight(c);
      *w += k;
      if (in_link)
        *lw += k;
      continue;
    }
    info *r = rec(pg, c);
    if (!r || r->pruned || r->meta)
      continue;
    size_t cw = 0, clw = 0;
    weigh(pg, c->children, in_link || name_is(c, "a"), &cw, &clw);
    r->weight = cw;
    r->link_weight = clw;
    *w += cw;
    *lw += clw;
  }
}

static bool is_inline(const page *pg, const xmlNode *n)
{
  return n->type == XML_ELEMENT_NODE && !(kind(pg, n) & KIND_BLOCK);
}

/* A block whose own inline text may be a paragraph of prose (not the page's body or root). */
static bool is_text_block(const page *pg, const xmlNode *n)
{
  return (kind(pg, n) & KIND_BLOCK) && !name_is(n, "body") && !name_is(n, "html");
}

static double link_density(const info *r)
{
  return r->weight ? (double)r->link_weight / (double)r->weight : 0.0;
}

/* Counts sentence punctuation (commas, periods, ? and !) and code signs ({ } ; = and the ")" of "()" or ");") of `s`. */
static void punctuation(const char *s, own_counts *k)
{
  for (char prev = '\0'; *s; prev = *s++)
    if (*s == ',' || *s == '.' || *s == '?' || *s == '!')
      k->punct++;
    else if (*s == '{' || *s == '}' || *s == '=')
      k->code++, k->strong++;
    else if (*s == ';')
      k->code++;
    else if (*s == ')' && (s[1] == ';' || prev == '('))
      k->code++, k->strong++; /* "f();", "');": a call, which prose never writes */
}

/*
** Text that reads as script or style code rather than prose: at least
** CODE_MIN_SIGNS braces, semicolons and equals signs, two of them braces
** or equals signs, one per CODE_WEIGHT_PER_SIGN of text weight or more
** ("var ifrd = ifr.contentWindow.document; ifrd.open();" has one per 8).
** Prose has none of them but semicolons (a list of clauses); a Korean
** byline "(서울=연합뉴스)" has one equals sign.  Script text reaches the
** tree when a page's markup ends a <script> early (an unescaped
** "</script>" inside a string).
*/
static bool reads_as_code(const own_counts *k, size_t weight)
{
  return k->code >= CODE_MIN_SIGNS && k->strong >= 2 && k->code * CODE_WEIGHT_PER_SIGN >= weight;
}

/* Own inline text of `n`: its text children and inline descendants, not blocks. */
static void own_text(const page *pg, const xmlNode *n, own_counts *k, bool in_link)
{
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (!c->content)
        continue;
      size_t t = node_weight((xmlNode *)c);
      k->w += t;
      if (in_link)
        k->lw += t;
      punctuation((const char *)c->content, k);
    } else if (is_inline(pg, c)) {
      const info *r = rec(pg, c);
      if (r && (r->pruned || r->meta))
        continue;
      own_text(pg, c, k, in_link || name_is(c, "a"));
    }
  }
}

static void credit(page *pg, xmlNode *n, double points)
{
  info *r = n ? rec(pg, n) : NULL;
  if (!r || r->pruned)
    return;
  r->score += points;
  r->candidate = true;
}

static void score_blocks(page *pg)
{
  for (size_t i = 0; i < pg->n; i++) {
    info *r = &pg->infos[i];
    xmlNode *n = r->node;
    if (r->pruned || r->meta || !is_text_block(pg, n))
      continue;
    /* Skip blocks inside pruned or metadata ancestors. */
    bool inside = false;
    for (xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
      const info *pr = rec(pg, p);
      if (pr && (pr->pruned || pr->meta)) {
        inside = true;
        break;
      }
    }
    if (inside)
      continue;
    own_counts k = { 0, 0, 0, 0, 0 };
    own_text(pg, n, &k, false);
    size_t w = k.w, lw = k.lw, punct = k.punct;
    double ld = w ? (double)lw / (double)w : 1.0;
    if (ld > MAX_LINK_DENSITY || reads_as_code(&k, w))
      continue;
    if (w > pg->longest)
      pg->longest = w;
    if (w < MIN_BLOCK_WEIGHT)
      continue;
    /* A <div> of text and <br>s is many paragraphs in one block: each may earn the cap. */
    size_t brs = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
      brs += name_is(c, "br");
    size_t len_points = w / WEIGHT_PER_POINT, cap = MAX_LENGTH_POINTS * (1 + brs / 2);
    if (len_points > cap)
      len_points = cap;
    double points = (1.0 + (double)punct + (double)len_points) * (1.0 - ld);
    if (r->kind & KIND_PARA) {
      credit(pg, n->parent, points);
      if (n->parent)
        credit(pg, n->parent->parent, points / 2);
    } else {
      credit(pg, n, points);
      credit(pg, n->parent, points / 2);
    }
  }
}

/* Is `anc` an ancestor of `n` (or `n` itself)? */
static bool contains(const xmlNode *anc, const xmlNode *n)
{
  for (; n; n = n->parent)
    if (n == anc)
      return true;
  return false;
}

static bool is_top(const xmlNode *n)
{
  return !n || n->type != XML_ELEMENT_NODE || name_is(n, "body") || name_is(n, "html");
}

/*
** The article container, as Readability chooses it: the candidate with
** the best adjusted score; then, since that is often one block of an
** article cut into many (sections, <li>s, "article__block" <div>s), the
** nearest ancestor that holds ALTERNATIVES_MIN of the TOP_CANDIDATES next
** best candidates scoring ALTERNATIVE_SHARE of it; then up through parents
** whose score rises (a parent scoring under a third of its child ends the
** climb), and through parents of which it is the only element child.
*/
static info *best_candidate(page *pg)
{
  info *top[TOP_CANDIDATES] = { NULL };
  for (size_t i = 0; i < pg->n; i++) {
    info *r = &pg->infos[i];
    if (!r->candidate)
      continue;
    if (r->hints & HINT_POSITIVE)
      r->score += HINT_POINTS;
    if (r->hints & HINT_NEGATIVE)
      r->score -= HINT_POINTS;
    r->score *= 1.0 - link_density(r);
    for (int k = 0; k < TOP_CANDIDATES; k++)
      if (!top[k] || r->score > top[k]->score) {
        memmove(top + k + 1, top + k, (TOP_CANDIDATES - 1 - (size_t)k) * sizeof *top);
        top[k] = r;
        break;
      }
  }
  info *best = top[0];
  if (!best || best->score <= 0)
    return best;
  int alternatives = 0;
  for (int k = 1; k < TOP_CANDIDATES && top[k]; k++)
    alternatives += top[k]->score >= ALTERNATIVE_SHARE * best->score;
  if (alternatives >= ALTERNATIVES_MIN) {
    for (xmlNode *p = best->node->parent; !is_top(p); p = p->parent) {
      int in = 0;
      for (int k = 1; k < TOP_CANDIDATES && top[k]; k++)
        in += top[k]->score >= ALTERNATIVE_SHARE * best->score && contains(p, top[k]->node);
      info *pr = rec(pg, p);
      if (in >= ALTERNATIVES_MIN && pr && !pr->pruned) {
        best = pr;
        break;
      }
    }
  }
  double last = best->score, floor = best->score / 3;
  for (xmlNode *p = best->node->parent; !is_top(p); p = p->parent) {
    info *pr = rec(pg, p);
    if (!pr || !pr->candidate)
      continue;
    if (pr->pruned || pr->score < floor)
      break;
    if (pr->score > last) {
      best = pr;
      break;
    }
    last = pr->score;
  }
  for (xmlNode *p = best->node->parent; !is_top(p); p = p->parent) {
    int elements = 0;
    for (const xmlNode *c = p->children; c && elements < 2; c = c->next)
      elements += c->type == XML_ELEMENT_NODE;
    info *pr = rec(pg, p);
    if (elements != 1 || !pr || pr->pruned)
      break;
    best = pr;
  }
  return best;
}

/* ---- pass 3: the text ------------------------------------------------------------------ */

static bool has_letter(const char *s, size_t len)
{
  for (size_t i = 0; i < len;) {
    int32_t c = ieum__utf8_next(s, len, &i);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        (c >= 0xC0 && c != 0xD7 && c != 0xF7 && (c < 0x2000 || c > 0x2BFF) &&
         (c < 0x3000 || c > 0x303F) && (c < 0xFF00 || c > 0xFF20)))
      return true;
  }
  return false;
}

typedef struct {
  const page *pg;
  ieum_buf *out;
  ieum_buf para;     /* the paragraph being built */
  size_t link_bytes; /* bytes of para inside links (before folding) */
  int brs;           /* <br>s since the last text */
} writer;

static int flush(writer *wr)
{
  int rc = IEUM_OK;
  size_t raw = wr->para.size;
  fold_space(&wr->para);
  wr->para.size -= ieum_furniture__end_mark(wr->para.ptr, wr->para.size); /* "...말했다. (끝)" */
  if (wr->para.size) {
    double ld = raw ? (double)wr->link_bytes / (double)raw : 0.0;
    own_counts k = { 0, 0, 0, 0, 0 };
    punctuation(wr->para.ptr, &k);
    bool drop = ld > MAX_LINK_DENSITY || !has_letter(wr->para.ptr, wr->para.size) ||
                reads_as_code(&k, text_weight(wr->para.ptr, wr->para.size)) ||
                ieum_furniture__kind(wr->para.ptr, wr->para.size) != IEUM_FURNITURE_NONE ||
                ieum_furniture__contact(wr->para.ptr, wr->para.size);
    if (!drop) {
      if (wr->out->size)
        rc = ieum__buf_puts(wr->out, "\n\n");
      if (rc == IEUM_OK)
        rc = ieum__buf_put(wr->out, wr->para.ptr, wr->para.size);
    }
  }
  ieum__buf_clear(&wr->para);
  wr->link_bytes = 0;
  wr->brs = 0;
  return rc;
}

static int write_tree(writer *wr, const xmlNode *n, bool in_link, int depth)
{
  int rc = IEUM_OK;
  for (const xmlNode *c = n; c && rc == IEUM_OK; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      const char *t = (const char *)c->content;
      if (!t)
        continue;
      size_t len = strlen(t);
      if (ieum__utf8_is_blank(t, len))
        rc = ieum__buf_putc(&wr->para, ' ');
      else {
        if (wr->brs >= 2)
          rc = flush(wr);
        wr->brs = 0;
        if (rc == IEUM_OK)
          rc = ieum__buf_put(&wr->para, t, len);
        if (in_link)
          wr->link_bytes += len;
      }
      continue;
    }
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const info *r = rec(wr->pg, c);
    if (r && (r->pruned || r->meta))
      continue;
    if (name_is(c, "br")) {
      wr->brs++;
      rc = ieum__buf_putc(&wr->para, ' ');
      continue;
    }
    bool block = r ? (r->kind & KIND_BLOCK) != 0 : name_in(c, block_elems);
    if (block && (rc = flush(wr)) != IEUM_OK)
      break;
    if (depth < MAX_DEPTH)
      rc = write_tree(wr, c->children, in_link || name_is(c, "a"), depth + 1);
    if (rc == IEUM_OK && block)
      rc = flush(wr);
  }
  return rc;
}

/*
** The container may still be one part of an article laid out in several
** (chunks of a long read, one <div> per section): from `best` up to the
** last ancestor below <body>, the one whose subtree is most article-like
** wins, judged by its prose (see sum_prose) less NOISE_COST times the rest
** of its text (links, labels, short lines): an ancestor that adds more
** sections of prose gains, one that adds menus, teasers and footers loses.
** The climb stops below an ancestor that is mostly links
** (WIDEN_MAX_LINK_DENSITY) or that holds another article's title (another
** <article>, an <h1>, a heading made of a link: a feed of teasers or the
** next article of an endless page).
** O(depth).
*/
static info *widen(const page *pg, info *best)
{
  info *choice = best;
  double value = (1.0 + NOISE_COST) * (double)best->prose - NOISE_COST * (double)best->weight;
  size_t own_titles = best->titles;
  for (xmlNode *p = best->node->parent; !is_top(p); p = p->parent) {
    info *pr = rec(pg, p);
    if (pr && name_is(p, "article"))
      own_titles++; /* the article's own <article> */
    if (!pr || pr->pruned || pr->meta || link_density(pr) > WIDEN_MAX_LINK_DENSITY || pr->titles > own_titles)
      break;
    double v = (1.0 + NOISE_COST) * (double)pr->prose - NOISE_COST * (double)pr->weight;
    if (v > value) {
      choice = pr;
      value = v;
    }
  }
  return choice;
}

/*
** Writes the container and the siblings that share its article (from
** `floor` points on), but for a sibling holding the headline: the header,
** with the deck under the headline.
*/
static int write_article(ieum_buf *out, const page *pg, const info *best, double floor)
{
  writer wr = { pg, out, IEUM_BUF_INIT, 0, 0 };
  int rc = IEUM_OK;
  const xmlNode *parent = best->node->parent;
  const xmlNode *first = parent && parent->type == XML_ELEMENT_NODE ? parent->children : best->node;
  for (const xmlNode *c = first; c && rc == IEUM_OK; c = c->next) {
    const info *r = rec(pg, c);
    if (!r)
      continue;
    bool join = c == best->node ||
                (parent && r->candidate && !r->pruned && !r->meta && r->score >= floor &&
                 link_density(r) <= MAX_LINK_DENSITY && r->heads == 0); /* not the header and its deck */
    if (!join)
      continue;
    if ((rc = flush(&wr)) == IEUM_OK)
      rc = write_tree(&wr, c->children, name_is(c, "a"), 0);
    if (rc == IEUM_OK)
      rc = flush(&wr);
    if (c == best->node && !parent)
      break;
  }
  ieum_buf_dispose(&wr.para);
  return rc;
}

/*
** Writes the body the page declares (html_meta.c: paragraphs separated by
** "\n\n") as the article, each paragraph through the same filters as the
** DOM's (furniture, contact lines, end marks, code).  Errors: IEUM_ENOMEM.
*/
static int write_declared(ieum_buf *out, const page *pg)
{
  writer wr = { pg, out, IEUM_BUF_INIT, 0, 0 };
  const char *s = pg->decl.body;
  size_t len = strlen(s);
  int rc = IEUM_OK;
  for (size_t i = 0; i < len && rc == IEUM_OK;) {
    const char *nl = memmem(s + i, len - i, "\n\n", 2);
    size_t e = nl ? (size_t)(nl - s) : len;
    rc = ieum__buf_put(&wr.para, s + i, e - i);
    if (rc == IEUM_OK)
      rc = flush(&wr);
    i = e + 2;
  }
  ieum_buf_dispose(&wr.para);
  return rc;
}

/* ---- paragraphs ---------------------------------------------------------------------- */

/*
** Splits the article text at its blank lines into a->paras (their roles
** are the pipeline's: ieum_pipeline_paragraph_roles()).  O(text).
** Errors: IEUM_ENOMEM.
*/
static int find_paragraphs(ieum_article *a)
{
  size_t cap = 1;
  for (size_t i = 0; i + 1 < a->text.size; i++)
    if (a->text.ptr[i] == '\n' && a->text.ptr[i + 1] == '\n')
      cap++;
  if (!a->text.size)
    return IEUM_OK;
  if (!(a->paras = ieum__reallocarray(NULL, cap, sizeof *a->paras)))
    return ieum__error_oom();
  for (size_t i = 0; i < a->text.size;) {
    const char *nl = memmem(a->text.ptr + i, a->text.size - i, "\n\n", 2);
    size_t e = nl ? (size_t)(nl - a->text.ptr) : a->text.size;
    if (e > i && a->n_paras < cap) {
      a->paras[a->n_paras].lo = i;
      a->paras[a->n_paras++].hi = e;
    }
    i = e + 2;
  }
  return IEUM_OK;
}

/* ---- encoding from <meta charset> -------------------------------------------------- */

/*
** Can `enc` be declared from inside the page's own ASCII bytes?  It must
** be an encoding ICU knows that reads ASCII as ASCII: not UTF-16 or
** UTF-32 (whose BOM-less bytes could not have spelled the <meta>), not
** EBCDIC.  Tested by decoding the ASCII letters, digits and signs of a
** <meta> tag and comparing.
*/
static bool ascii_compatible(const char *enc)
{
  static const char probe[] = "<meta charset=\"utf-8\" content='text/html; A-Z_09'>";
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open(enc, &st);
  UChar u[sizeof probe];
  bool same = false;
  if (U_SUCCESS(st))
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  if (U_SUCCESS(st)) {
    int32_t n = ucnv_toUChars(cnv, u, (int32_t)(sizeof u / sizeof *u), probe,
                              (int32_t)(sizeof probe - 1), &st);
    same = U_SUCCESS(st) && n == (int32_t)(sizeof probe - 1);
    for (int32_t i = 0; same && i < n; i++)
      same = u[i] == (UChar)(unsigned char)probe[i];
  }
  if (cnv)
    ucnv_close(cnv);
  return same;
}

/*
** Finds charset= in a <meta> tag among the first CHARSET_PRESCAN_BYTES
** bytes (ASCII-compatible encodings only) and copies its name to `out`.
** EUC-KR and KS_C_5601-1987 pages are read as windows-949, its superset,
** as browsers do.  UTF-8 gives false: detection handles it.  As in the
** HTML standard's prescan, a name that is no ASCII-compatible encoding
** ICU knows (a typo, "x-user-defined", UTF-16 or UTF-32, which cannot be
** declared from inside ASCII bytes) is passed over: the next <meta> is
** looked at, then detection decides.
*/
static bool meta_charset(char *out, size_t cap, const char *data, size_t len)
{
  size_t n = len < CHARSET_PRESCAN_BYTES ? len : CHARSET_PRESCAN_BYTES;
  char low[CHARSET_PRESCAN_BYTES + 1];
  for (size_t i = 0; i < n; i++)
    low[i] = (char)tolower((unsigned char)data[i]);
  low[n] = '\0';
  for (const char *m = strstr(low, "<meta"); m; m = strstr(m + 5, "<meta")) {
    const char *end = strchr(m, '>');
    if (!end)
      break;
    const char *cs = strstr(m, "charset");
    if (!cs || cs > end)
      continue;
    cs += 7;
    while (cs < end && (*cs == ' ' || *cs == '='))
      cs++;
    while (cs < end && (*cs == '"' || *cs == '\''))
      cs++;
    size_t k = 0;
    while (cs + k < end && (isalnum((unsigned char)cs[k]) || cs[k] == '-' || cs[k] == '_' ||
                            cs[k] == ':' || cs[k] == '.'))
      k++;
    if (k == 0 || k >= cap)
      continue;
    memcpy(out, cs, k);
    out[k] = '\0';
    if (!strcmp(out, "utf-8") || !strcmp(out, "utf8"))
      return false;
    if (!strcmp(out, "euc-kr") || !strcmp(out, "ks_c_5601-1987") || !strcmp(out, "cp949") ||
        !strcmp(out, "x-windows-949") || !strcmp(out, "ksc5601"))
      snprintf(out, cap, "windows-949");
    if (ascii_compatible(out))
      return true;
  }
  return false;
}

/* ---- public ------------------------------------------------------------------------------ */

int ieum_html_detect(const char *data, size_t len)
{
  static const char *const marks[] = { "<!doctype html", "<html", "<head>", "<head ", "<body", "<meta ",
                                       "<title>", "<div", "<p>", "<p ", "<article", "<br>", "<br/>",
                                       "<br />", "<table", "<span", NULL };
  char low[DETECT_BYTES + 1];
  size_t k = 0, i = 0;
  bool wide = len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                           ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF));
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  else if (wide)
    i = 2;
  for (; i < len && k < DETECT_BYTES; i++) {
    if (wide && data[i] == 0)
      continue;
    low[k++] = (char)tolower((unsigned char)data[i]);
  }
  low[k] = '\0';
  size_t s = 0;
  while (s < k && isspace((unsigned char)low[s]))
    s++;
  if (s == k || low[s] != '<')
    return 0;
  for (const char *const *m = marks; *m; m++)
    if (strstr(low + s, *m))
      return 1;
  return 0;
}

static int extract(ieum_article *a, const char *utf8, size_t len, const char *name)
{
  int rc = IEUM_OK;
  page pg = { name, NULL, 0, 0, NULL, 0, IEUM_HTML_DECL_INIT, NULL, false };
  xmlDoc *doc = NULL;
  ieum_buf bounded = IEUM_BUF_INIT;
  if (ieum__utf8_is_blank(utf8, len)) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: no article found (the page is empty)", name);
    goto done;
  }
  if (len > INT32_MAX) {
    rc = ieum__error_set(IEUM_ELIMIT, "%s: HTML too large to parse (%zu bytes)", name, len);
    goto done;
  }
  if ((rc = bound_attributes(&bounded, utf8, len)) != IEUM_OK)
    goto done;
  if (bounded.size) {
    utf8 = bounded.ptr;
    len = bounded.size;
  }
  if ((rc = parse(&doc, utf8, len, name)) != IEUM_OK)
    goto done;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!root || ieum__utf8_is_blank(utf8, len)) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: no article found (the page has no elements)", name);
    goto done;
  }
  if ((rc = flatten_deep(root)) != IEUM_OK || (rc = number(&pg, root, 0)) != IEUM_OK)
    goto done;
  if ((rc = read_declared(&pg, false)) != IEUM_OK)
    goto done;
  find_headline(&pg);
  prune(&pg);
  size_t w = 0, lw = 0;
  weigh(&pg, root, false, &w, &lw);
  mark_meta(&pg);
  if ((rc = mark_shapes(&pg)) != IEUM_OK) /* on the first weights: one walk fewer */
    goto done;
  w = lw = 0;
  weigh(&pg, root, false, &w, &lw);
  if ((rc = collect_meta(a, &pg, doc)) != IEUM_OK || (rc = mark_headline_copies(a, &pg)) != IEUM_OK)
    goto done;
  score_blocks(&pg);
  info *best = best_candidate(&pg);
  if (best) {
    sum_prose(&pg);
    info *choice = widen(&pg, best);
    if ((rc = write_article(&a->text, &pg, choice, best->score * SIBLING_SHARE)) != IEUM_OK)
      goto done;
  }
  size_t got = a->text.size ? text_weight(a->text.ptr, a->text.size) : 0;
  if (!pg.decl.body && got < STATE_LOOK_WEIGHT) {
    if ((rc = read_declared(&pg, true)) != IEUM_OK || (rc = declared_meta(a, &pg)) != IEUM_OK)
      goto done;
  }
  if (pg.decl.body && (double)got < DECL_BODY_SHARE * (double)pg.decl.body_weight) {
    /* The DOM missed most of the body the page declares (or all of it: a front end renders it). */
    ieum__buf_clear(&a->text);
    if ((rc = write_declared(&a->text, &pg)) != IEUM_OK)
      goto done;
    got = a->text.size ? text_weight(a->text.ptr, a->text.size) : 0;
    if (got >= MIN_ARTICLE_WEIGHT)
      best = NULL, pg.longest = got;
  }
  if (got == 0 && pg.longest >= MIN_ARTICLE_WEIGHT) {
    /* The page's prose was all dropped as boilerplate: an empty article is no article. */
    rc = ieum__error_set(IEUM_EINVAL, "%s: no article found in the HTML (its only prose, %zu weighted "
                         "characters, reads as page furniture)", name, pg.longest);
    goto done;
  }
  if (got < pg.longest)
    got = pg.longest;
  if (got == 0) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: no article found in the HTML (only menus, links and "
                         "boilerplate)", name);
    goto done;
  }
  if ((!best && !(pg.decl.body && got >= MIN_ARTICLE_WEIGHT)) || got < MIN_ARTICLE_WEIGHT) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: no article found in the HTML (the longest prose has %zu "
                         "weighted characters, an article at least %d)", name, got,
                         MIN_ARTICLE_WEIGHT);
    goto done;
  }
  /* Entities and the parser may have produced non-NFC text. */
  {
    ieum_buf nfc = IEUM_BUF_INIT;
    if ((rc = ieum__icu_nfc(&nfc, a->text.ptr, a->text.size)) != IEUM_OK) {
      ieum_buf_dispose(&nfc);
      goto done;
    }
    ieum_buf_dispose(&a->text);
    a->text = nfc;
  }
  rc = find_paragraphs(a);

done:
  if (doc)
    xmlFreeDoc(doc);
  ieum__free(pg.infos);
  ieum__free(pg.site);
  ieum_html__decl_dispose(&pg.decl);
  ieum_buf_dispose(&bounded);
  return rc;
}

/*
** A saved page with stray NUL or control bytes (a crawler's, a broken
** CMS's) is still a page a browser shows: its HTML parser drops NULs from
** text.  When `data` reads as HTML (ieum_html_detect) and is not UTF-16 or
** UTF-32 (whose NUL bytes are characters), *out gets a copy with NUL
** bytes dropped and other C0 controls (but tab, line ends, form feed, and
** ESC for ISO-2022-KR) made spaces, so that decoding does not take it for
** a binary file; else *out stays empty.  The page is scanned for NULs,
** and its first CONTROL_SCAN_BYTES for controls, as the binary check does.
** Errors: IEUM_ENOMEM.
*/
static int drop_stray_controls(ieum_buf *out, const char *data, size_t len)
{
  const unsigned char *u = (const unsigned char *)data;
  bool wide = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
  if (wide || len == 0 || !ieum_html_detect(data, len))
    return IEUM_OK;
  bool stray = memchr(data, 0, len) != NULL;
  for (size_t i = 0; !stray && i < len && i < CONTROL_SCAN_BYTES; i++)
    stray = u[i] < 0x20 && !(u[i] >= '\t' && u[i] <= '\r') && u[i] != 0x1B;
  if (!stray)
    return IEUM_OK;
  int rc = ieum__buf_grow(out, len + 1);
  for (size_t i = 0; rc == IEUM_OK && i < len; i++) {
    if (u[i] == 0)
      continue;
    bool control = u[i] < 0x20 && !(u[i] >= '\t' && u[i] <= '\r') && u[i] != 0x1B;
    out->ptr[out->size++] = control ? ' ' : data[i];
  }
  if (rc == IEUM_OK)
    out->ptr[out->size] = '\0';
  return rc;
}

int ieum_html_extract(ieum_article **out, const char *data, size_t len, const char *name,
                      const ieum_html_options *opts)
{
  int rc = IEUM_OK;
  ieum_article *a = NULL;
  ieum_buf utf8 = IEUM_BUF_INIT, clean = IEUM_BUF_INIT;
  ieum_text_options to = IEUM_TEXT_OPTIONS_INIT;
  char charset[64];

  *out = NULL;
  if (opts && opts->version != IEUM_HTML_OPTIONS_VERSION) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: unsupported ieum_html_options version %u", name,
                         opts->version);
    goto done;
  }
  to.encoding = opts ? opts->encoding : NULL;
  to.max_size = opts ? opts->max_size : 0;
  if ((rc = drop_stray_controls(&clean, data, len)) != IEUM_OK)
    goto done;
  if (clean.size) {
    data = clean.ptr;
    len = clean.size;
  }
  const char *declared = !to.encoding && meta_charset(charset, sizeof charset, data, len) ? charset : NULL;
  if ((rc = ieum_text__decode_page(&utf8, data, len, name, &to, declared)) != IEUM_OK)
    goto done;
  if (!(a = ieum__calloc(1, sizeof *a))) {
    rc = ieum__error_oom();
    goto done;
  }
  if ((rc = extract(a, utf8.ptr ? utf8.ptr : "", utf8.size, name)) != IEUM_OK)
    goto done;
  *out = a;
  a = NULL;

done:
  ieum_html_free(a);
  ieum_buf_dispose(&utf8);
  ieum_buf_dispose(&clean);
  return rc;
}

int ieum_html_load(ieum_article **out, const char *path, const ieum_html_options *opts)
{
  ieum_buf raw = IEUM_BUF_INIT;
  *out = NULL;
  int rc = ieum_text_read(&raw, path, opts ? opts->max_size : 0);
  if (rc == IEUM_OK)
    rc = ieum_html_extract(out, raw.ptr ? raw.ptr : "", raw.size, path, opts);
  ieum_buf_dispose(&raw);
  return rc;
}

void ieum_html_free(ieum_article *a)
{
  if (!a)
    return;
  ieum_buf_dispose(&a->text);
  for (int k = 0; k < META_COUNT; k++)
    ieum__free(a->meta[k]);
  ieum__free(a->paras);
  ieum__free(a);
}

const char *ieum_html_text(const ieum_article *a, size_t *len)
{
  if (len)
    *len = a->text.size;
  return a->text.ptr ? a->text.ptr : "";
}

int ieum_html_copy_text(ieum_buf *out, const ieum_article *a)
{
  return a->text.size ? ieum__buf_put(out, a->text.ptr, a->text.size) : IEUM_OK;
}

int ieum_html_copy_headed_text(ieum_buf *out, size_t *head_len, const ieum_article *a)
{
  const char *head = ieum_html_meta(a, "headline");
  int rc;
  *head_len = 0;
  if (head && *head) {
    if ((rc = ieum__buf_put(out, head, strlen(head))) != 0)
      return rc;
    *head_len = out->size;
    if ((rc = ieum__buf_put(out, "\n\n", 2)) != 0)
      return rc;
  }
  return ieum_html_copy_text(out, a);
}

const char *ieum_html_meta(const ieum_article *a, const char *key)
{
  for (int k = 0; k < META_COUNT; k++)
    if (strcmp(key, meta_keys[k]) == 0)
      return a->meta[k];
  return NULL;
}

const char *ieum_html_meta_key(const ieum_article *a, size_t i)
{
  for (int k = 0; k < META_COUNT; k++)
    if (a->meta[k] && i-- == 0)
      return meta_keys[k];
  return NULL;
}

size_t ieum_html_paragraph_count(const ieum_article *a)
{
  return a->n_paras;
}

const char *ieum_html_paragraph(const ieum_article *a, size_t i, size_t *len)
{
  if (i >= a->n_paras)
    return NULL;
  if (len)
    *len = a->paras[i].hi - a->paras[i].lo;
  return a->text.ptr + a->paras[i].lo;
}
