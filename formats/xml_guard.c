/*
** formats/xml_guard.c: a linear watch over raw XML bytes before libxml2
** parses them: attributes and bytes per start tag, lines of chosen tags.
**
** One state machine over code units (see xml_guard_int.h for why): text;
** "<" then a name starts a start tag, whose name is kept for messages and
** whose '=' outside quoted values are its attributes; "</" an end tag;
** "<!--" a comment, "<![CDATA[" a CDATA section, "<?" a processing
** instruction, any other "<!" a declaration (the DOCTYPE), in which quoted
** literals, '[' ']' nesting and the comments and processing instructions
** of the internal subset are followed so that its '>'s are not taken for
** the end of the DOCTYPE; the quoted values of its <!ATTLIST>s are counted.  Only '<', '>', quotes, '=', '!', '?', '-', '[',
** ']', '/' and white space matter, all ASCII, so any ASCII-compatible
** encoding is read byte by byte, UTF-16 and UCS-4 unit by unit.  A
** document that is not well-formed can only make the guard miscount; the
** parser reports it.
** Cost: O(1) per byte; memory: the ring of recorded lines.
** Not here: the limits' values and the messages (the caller's).
*/
#include <string.h>

#include "xml_guard_int.h"

#define LINES_FIRST 64          /* first size of the ring of recorded lines */
#define LINES_MAX ((size_t)1 << 20) /* lines the ring may hold; the parser is never that far behind */

enum {
  ST_TEXT,         /* character data */
  ST_LT,           /* after '<' */
  ST_BANG,         /* after "<!" */
  ST_BANG_DASH,    /* after "<!-" */
  ST_BANG_CDATA,   /* inside "<![CDATA[" (g->seen units of it matched) */
  ST_COMMENT,      /* inside "<!-- ... -->" */
  ST_CDATA,        /* inside "<![CDATA[ ... ]]>" */
  ST_PI,           /* inside "<? ... ?>" */
  ST_DECL,         /* inside "<!DOCTYPE ...>" or another declaration */
  ST_DECL_COMMENT, /* a comment of the internal subset */
  ST_DECL_PI,      /* a processing instruction of the internal subset */
  ST_END_TAG,      /* inside "</ ... >" */
  ST_TAG_NAME,     /* the name of a start tag */
  ST_TAG           /* the attributes of a start tag */
};

static const char cdata_open[] = "[CDATA["; /* what follows "<!" to open a CDATA section */

void ieum__xml_guard_init(ieum__xml_guard *g, size_t max_attrs, size_t max_tag_bytes, const char *track)
{
  memset(g, 0, sizeof *g);
  g->max_attrs = max_attrs;
  g->max_tag_bytes = max_tag_bytes;
  g->track = track;
  g->line = 1;
}

void ieum__xml_guard_dispose(ieum__xml_guard *g)
{
  ieum__free(g->lines);
  g->lines = NULL;
  g->head = g->count = g->cap = 0;
}

/* Appends a line to the ring; on no memory the ring is given up (g->lost). */
static void record(ieum__xml_guard *g, long line)
{
  if (g->lost)
    return;
  if (g->count == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : LINES_FIRST;
    long *p = cap <= LINES_MAX ? ieum__reallocarray(NULL, cap, sizeof *p) : NULL;
    if (!p) {
      g->lost = 1;
      return;
    }
    for (size_t i = 0; i < g->count; i++)
      p[i] = g->lines[(g->head + i) % g->cap];
    ieum__free(g->lines);
    g->lines = p;
    g->head = 0;
    g->cap = cap;
  }
  g->lines[(g->head + g->count) % g->cap] = line;
  g->count++;
}

long ieum__xml_guard_take_line(ieum__xml_guard *g)
{
  if (g->lost || g->count == 0)
    return 0;
  long line = g->lines[g->head];
  g->head = (g->head + 1) % g->cap;
  g->count--;
  return line;
}

static int is_space(unsigned long c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A character that may start an element name: ASCII letters, '_', ':', anything not ASCII. */
static int is_name_start(unsigned long c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static int fail(ieum__xml_guard *g, int why)
{
  g->failed = why;
  g->fail_line = g->tag_line;
  memcpy(g->fail_name, g->name, sizeof g->name);
  return -1;
}

/* The tag's name is complete: record its line when its local name is the tracked one. */
static void name_done(ieum__xml_guard *g)
{
  size_t n = g->name_len < sizeof g->name ? g->name_len : sizeof g->name - 1;
  g->name[n] = '\0';
  if (!g->track || g->name_len >= sizeof g->name)
    return;
  const char *local = strrchr(g->name, ':');
  local = local ? local + 1 : g->name;
  if (!strcmp(local, g->track))
    record(g, g->tag_line);
}

/* "<!-" ... as the last code units seen (g->window). */
#define LAST2(x, y) (((unsigned int)(x) << 8) | (unsigned int)(y))
#define LAST3(x, y, z) ((LAST2(x, y) << 8) | (unsigned int)(z))
#define LAST4(w, x, y, z) ((LAST3(w, x, y) << 8) | (unsigned int)(z))

static int dispatch(ieum__xml_guard *g, unsigned long c, unsigned int a);

/* Enters the declaration state with code unit c, after "<!" or "<![". */
static int to_decl(ieum__xml_guard *g, int depth, unsigned long c, unsigned int a)
{
  g->state = ST_DECL;
  g->quote = 0;
  g->depth = depth;
  g->keyword[0] = '\0';
  g->keyword_len = (size_t)-1;
  return dispatch(g, c, a);
}

/* One code unit `c` (a byte for ASCII-compatible encodings). */
static int step(ieum__xml_guard *g, unsigned long c)
{
  unsigned int a = c < 0x80 ? (unsigned int)c : 0; /* ASCII or 0 */
  g->window = (g->window << 8) | a;
  if (c == '\n')
    g->line++;
  return dispatch(g, c, a);
}

/* What code unit c (ASCII value a, or 0) does in the current state. */
static int dispatch(ieum__xml_guard *g, unsigned long c, unsigned int a)
{
  switch (g->state) {
  case ST_TEXT:
    if (c == '<')
      g->state = ST_LT;
    return 0;
  case ST_LT:
    if (c == '!') {
      g->state = ST_BANG;
    } else if (c == '?') {
      g->state = ST_PI;
      g->window = 0;
    } else if (c == '/') {
      g->state = ST_END_TAG;
    } else if (is_name_start(c)) {
      g->state = ST_TAG_NAME;
      g->attrs = 0;
      g->tag_bytes = 2 * (size_t)g->width;
      g->tag_line = g->line;
      g->name[0] = (char)(a ? a : '?');
      g->name_len = 1;
    } else {
      g->state = ST_TEXT; /* not XML; the parser says so */
    }
    return 0;
  case ST_BANG:
    if (c == '-') {
      g->state = ST_BANG_DASH;
      return 0;
    }
    if (c == '[') {
      g->state = ST_BANG_CDATA;
      g->seen = 1;
      return 0;
    }
    return to_decl(g, 0, c, a);
  case ST_BANG_DASH:
    if (c == '-') {
      g->state = ST_COMMENT;
      g->window = 0;
      return 0;
    }
    return to_decl(g, 0, c, a);
  case ST_BANG_CDATA:
    if (a && a == (unsigned char)cdata_open[g->seen]) {
      if (++g->seen == sizeof cdata_open - 1) {
        g->state = ST_CDATA;
        g->window = 0;
      }
      return 0;
    }
    return to_decl(g, 1, c, a); /* "<![" but not CDATA: a conditional section, inside its '[' */
  case ST_COMMENT:
    if ((g->window & 0xFFFFFF) == LAST3('-', '-', '>'))
      g->state = ST_TEXT;
    return 0;
  case ST_CDATA:
    if ((g->window & 0xFFFFFF) == LAST3(']', ']', '>'))
      g->state = ST_TEXT;
    return 0;
  case ST_PI:
    if ((g->window & 0xFFFF) == LAST2('?', '>'))
      g->state = ST_TEXT;
    return 0;
  case ST_DECL:
    if (g->keyword_len != (size_t)-1) { /* "<!" in the subset: read the keyword */
      if (a >= 'A' && a <= 'Z' && g->keyword_len < sizeof g->keyword - 1) {
        g->keyword[g->keyword_len++] = (char)a;
        return 0;
      }
      g->keyword[g->keyword_len] = '\0';
      g->keyword_len = (size_t)-1;
    }
    if (g->quote) {
      if (c == (unsigned long)g->quote)
        g->quote = 0;
    } else if (c == '"' || c == '\'') {
      g->quote = (int)c;
      if (g->depth > 0 && !strcmp(g->keyword, "ATTLIST") && ++g->defaults > g->max_attrs) {
        g->tag_line = g->line;
        strcpy(g->name, "!ATTLIST");
        return fail(g, IEUM__XML_GUARD_DEFAULTS);
      }
    } else if (c == '!' && g->depth > 0 && (g->window & 0xFFFF) == LAST2('<', '!')) {
      g->keyword_len = 0;
    } else if (c == '>' && g->depth > 0) {
      g->keyword[0] = '\0'; /* the end of a markup declaration */
    } else if (c == '[') {
      g->depth++;
    } else if (c == ']' && g->depth > 0) {
      g->depth--;
    } else if (c == '>' && g->depth == 0) {
      g->state = ST_TEXT;
    } else if (c == '-' && g->window == LAST4('<', '!', '-', '-')) {
      g->state = ST_DECL_COMMENT;
      g->window = 0;
    } else if (c == '?' && (g->window & 0xFFFF) == LAST2('<', '?')) {
      g->state = ST_DECL_PI;
      g->window = 0;
    }
    return 0;
  case ST_DECL_COMMENT:
    if ((g->window & 0xFFFFFF) == LAST3('-', '-', '>'))
      g->state = ST_DECL;
    return 0;
  case ST_DECL_PI:
    if ((g->window & 0xFFFF) == LAST2('?', '>'))
      g->state = ST_DECL;
    return 0;
  case ST_END_TAG:
    if (c == '>')
      g->state = ST_TEXT;
    return 0;
  case ST_TAG_NAME:
  case ST_TAG:
    g->tag_bytes += (size_t)g->width;
    if (g->tag_bytes > g->max_tag_bytes)
      return fail(g, IEUM__XML_GUARD_TAG_BYTES);
    if (g->state == ST_TAG_NAME) {
      if (!is_space(c) && c != '/' && c != '>') {
        if (g->name_len < sizeof g->name - 1)
          g->name[g->name_len] = (char)(a ? a : '?');
        g->name_len++;
        return 0;
      }
      name_done(g);
      g->state = ST_TAG;
      g->quote = 0;
    }
    if (g->quote) {
      if (c == (unsigned long)g->quote)
        g->quote = 0;
    } else if (c == '"' || c == '\'') {
      g->quote = (int)c;
    } else if (c == '=') {
      if (++g->attrs > g->max_attrs)
        return fail(g, IEUM__XML_GUARD_ATTRS);
    } else if (c == '>') {
      g->state = ST_TEXT;
    }
    return 0;
  default:
    return 0;
  }
}

/* Tells the code unit width from the first four bytes (XML 1.0 appendix F). */
static void detect(ieum__xml_guard *g, const unsigned char b[4])
{
  static const struct { unsigned char b[4]; size_t n; int width, big; } sig[] = {
    { { 0x00, 0x00, 0xFE, 0xFF }, 4, 4, 1 }, { { 0xFF, 0xFE, 0x00, 0x00 }, 4, 4, 0 },
    { { 0x00, 0x00, 0x00, 0x3C }, 4, 4, 1 }, { { 0x3C, 0x00, 0x00, 0x00 }, 4, 4, 0 },
    { { 0xFE, 0xFF }, 2, 2, 1 },             { { 0xFF, 0xFE }, 2, 2, 0 },
    { { 0x00, 0x3C, 0x00, 0x3F }, 4, 2, 1 }, { { 0x3C, 0x00, 0x3F, 0x00 }, 4, 2, 0 },
  };
  g->width = 1;
  g->big_endian = 0;
  for (size_t i = 0; i < sizeof sig / sizeof *sig; i++)
    if (!memcmp(b, sig[i].b, sig[i].n)) {
      g->width = sig[i].width;
      g->big_endian = sig[i].big;
      return;
    }
}

/* The code unit of `width` bytes at p. */
static unsigned long unit_at(const ieum__xml_guard *g, const unsigned char *p)
{
  unsigned long c = 0;
  for (int i = 0; i < g->width; i++)
    c |= (unsigned long)p[g->big_endian ? g->width - 1 - i : i] << (8 * i);
  return c;
}

int ieum__xml_guard_feed(ieum__xml_guard *g, const char *bytes, size_t n)
{
  const unsigned char *p = (const unsigned char *)bytes;
  size_t i = 0;
  if (g->failed)
    return -1;
  if (!g->width) {
    while (g->npend < 4 && i < n)
      g->pend[g->npend++] = p[i++];
    if (g->npend < 4)
      return 0; /* fewer than four bytes so far: no tag to watch yet */
    detect(g, g->pend);
    unsigned char head[4];
    size_t k = g->npend;
    memcpy(head, g->pend, k);
    g->npend = 0;
    for (size_t j = 0; j + (size_t)g->width <= k; j += (size_t)g->width)
      if (step(g, unit_at(g, head + j)) != 0)
        return -1;
  }
  if (g->width == 1) {
    while (i < n) {
      if (g->state == ST_TEXT) {
        /* Character data runs to the next '<': of it, only its newlines and its last four code
           units (g->window) matter, so it is skipped whole rather than stepped through. */
        const unsigned char *lt = memchr(p + i, '<', n - i);
        size_t end = lt ? (size_t)(lt - p) : n;
        long lines = 0;
        for (size_t k = i; k < end; k++)
          lines += p[k] == '\n';
        g->line += lines;
        for (size_t k = end - i > 4 ? end - 4 : i; k < end; k++)
          g->window = (g->window << 8) | (p[k] < 0x80 ? p[k] : 0);
        if ((i = end) == n)
          break;
      }
      if (step(g, p[i++]) != 0)
        return -1;
    }
    return 0;
  }
  for (; i < n; i++) {
    g->pend[g->npend++] = p[i];
    if (g->npend == (size_t)g->width) {
      g->npend = 0;
      if (step(g, unit_at(g, g->pend)) != 0)
        return -1;
    }
  }
  return 0;
}
