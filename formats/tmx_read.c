/*
** formats/tmx_read.c: the streaming TMX reader (ieum_tmx_read).
**
** Walks the file node by node with libxml2's xmlTextReader and keeps only
** the state of the current <tu>: its tuid, creationdate, x-* props, note,
** and the text of the best source and target <tuv> met so far; at </tu> a
** unit with both languages and some text goes to the callback and the state
** is reset (a <tu> without both, or with two empty texts, is counted and
** told to the caller's on_skip with the line of its start tag).
** Memory is therefore constant in the file size: the buffers grow to the
** longest segment (capped at IEUM_TEXT_MAX_LINE bytes, IEUM_ELIMIT beyond)
** and are reused.  Reads TMX 1.4 (xml:lang) and 1.1 (lang), any encoding
** libxml2 detects from the BOM or the declaration (UTF-8, UTF-16), a source
** <tuv> after its target, and TUs with more than two languages.
** With all_pairs (and no target asked for) every <tuv> whose language is
** not the source's (another variety of it too: en-GB of en-US) fills a
** target slot of its own (TGT_MAX, the first <tuv> of a language wins) and
** </tu> hands over one unit per slot, in <tuv> order.
** Language choice: a tag matches a wanted one exactly (case-insensitive) or,
** second best, by primary subtag ("ko" picks "ko-KR").  The source is the
** caller's, else the header srclang, else (srclang "*all*" or missing) the
** language of the first <tuv>; the target is the caller's, else the first
** language met whose primary subtag differs from the source's, else (a file
** of one language's varieties: en-US -> en-GB, zh-CN -> zh-TW) the first
** other tag of the source's language met in a <tu> that has a source.
** Segment text is kept exactly as written (entities decoded by libxml2, no
** trimming, no NFC); inline codes bpt/ept/ph/it/ut are dropped with their
** content (a `gap` flag then keeps the text after the code from doubling the
** space before it, and a code at either end takes its spaces along), or
** with IEUM_TMX_TAGS_TEXT kept as text; hi/sub and any other element keep
** their text, entity references are dropped.  A second <seg> in a <tuv>
** follows the first after one space.  With keep_tags the segment is also kept as TMX inline
** markup (a second buffer: text escaped, the inline elements and
** attributes the TMX 1.4 DTD allows where they stand, others reduced to
** their text: tmx_inline.c), used for units where an element was kept.
** Metadata: the <tu>'s DTD attributes but creationdate, its non-ieum
** <prop>s and its <note>s are collected, in order, into one string buffer
** (items in `meta`); a kept <tuv>'s attributes but its language, props and
** notes go into `cur_meta`, which end_tuv() swaps into its side; at </tu>
** they are handed to the callback as ieum_unit_prop items, the <tu>'s, then
** the source's ("src-attr" ...), then the target's ("tgt-attr" ...), at
** most META_MAX per list.
** Safety: XML_PARSE_NONET, XML_PARSE_NO_XXE where libxml2 has it, never
** XML_PARSE_NOENT nor DTD loading, so no file or URL named by the document
** is ever read.  Errors of libxml2 come through a per-reader handler.
** libxml2 reads the file through our callback (io_read), which shows each
** byte to a guard (xml_guard.c) first: a start tag with more than
** TAG_ATTRS_MAX attributes or TAG_BYTES_MAX bytes (or a DOCTYPE declaring
** more than TAG_ATTRS_MAX attribute defaults) ends the input before
** libxml2 sees it whole (its attribute checks are quadratic) and the read
** fails with IEUM_ELIMIT and the tag's line: the file is refused, not the
** unit skipped, as such a tag is hostile or broken and no unit can be told
** apart from it with certainty.  The guard also gives the line of each
** <tu> past line 65535, where libxml2's 16-bit node lines stop.
** Cost: O(file size) time, O(longest segment) memory.
** Not here: writing TMX (tmx_write.c), NFC and storage (the TM importer).
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "config.h"
#include "util.h"
#include "lang_int.h"
#include "tmx_inline_int.h"
#include "tmx_read_int.h"
#include "xml_guard_int.h"

#define LANG_MAX 64           /* bytes of a language tag slot, NUL included (as ieum_tmx_info) */
#define XML_MESSAGE_MAX 512   /* bytes kept of the first libxml2 error message */
#define PROP_MAX 4096         /* bytes of one x-* <prop>: a score, a bead, a path, a number */
#define ALL_LANGS "*all*"     /* srclang value meaning "any language can be the source" */
#define META_MAX 1000         /* metadata items (attributes, props, notes) kept of one <tu> */
#define TGT_MAX 64            /* all_pairs: target languages of one <tu> (more fail the file: IEUM_ELIMIT) */
/* Attributes in one start tag: a TMX element has at most 15 in the DTD; past
   a few thousand libxml2 2.9's duplicate check (O(n^2) per tag) takes seconds. */
#define TAG_ATTRS_MAX 256
/* Bytes of one start tag, '<' to '>': TMX attributes are ids, dates, short names. */
#define TAG_BYTES_MAX ((size_t)1 << 20)

/* How well a language tag matches a wanted one; higher is better. */
enum { MATCH_NONE = 0, MATCH_PRIMARY = 1, MATCH_EXACT = 2 };

/* Where the text nodes being read go. */
enum { SINK_NONE, SINK_SEG, SINK_PROP, SINK_NOTE, SINK_TUV_NOTE };

/* The x-* props ieum writes, mapped back into the unit. */
enum { PROP_OTHER, PROP_SCORE, PROP_BEAD, PROP_DOCUMENT, PROP_POSITION, PROP_ROLE };

/* One side (source or target) of the current <tu>. */
typedef struct {
  int match;            /* MATCH_* of the <tuv> kept, MATCH_NONE = none yet */
  char lang[LANG_MAX];  /* its language as written */
  ieum_buf text;        /* its segment text */
  ieum_buf xml;         /* keep_tags: its segment as TMX inline markup */
  int markup;           /* keep_tags: the segment held an element */
  ieum_buf meta;        /* meta_item[] of its <tuv>: attributes, props, notes */
} side;

/* One metadata item of the current <tu>: offsets into reader.meta_text, -1 = none. */
typedef struct {
  const char *kind;     /* "attr", "prop", "note" (static strings) */
  ptrdiff_t type, lang, value;
} meta_item;

typedef struct {
  const char *path;
  xmlTextReaderPtr xr;
  int fd;               /* the file, read through io_read() */
  int io_errno;         /* errno of a failed read(), 0 when none */
  ieum__xml_guard guard;/* watches the bytes before libxml2 parses them */
  long next_tu_line;    /* the guard's line of the <tu> start tag being handled, 0 = unknown */
  /* first libxml2 error */
  int xml_failed;
  int xml_line;
  char xml_message[XML_MESSAGE_MAX];
  /* languages */
  char want_src[LANG_MAX];  /* "" = not known yet */
  char want_tgt[LANG_MAX];
  char tent_tgt[LANG_MAX];  /* no target yet: the current <tu>'s tag of the source's primary language, "" = none */
  ieum_tmx_info *info;
  /* document position */
  int seen_root;
  int tu_depth;         /* depth of the open <tu>, -1 outside */
  int tuv_depth;        /* depth of the open <tuv>, -1 outside */
  int seg_depth;        /* depth of the open <seg>, -1 outside */
  int skip_depth;       /* depth of the inline code being dropped, -1 when none */
  int sink;             /* SINK_* for text nodes */
  int prop_kind;        /* PROP_* of the open <prop> */
  /* the current <tuv> */
  int tuv_to;           /* 0 = dropped, 1 = source, 2 = target */
  int tuv_match;        /* MATCH_* of its language */
  int tuv_has_seg;
  char tuv_lang[LANG_MAX];
  ieum_buf cur;         /* its segment text */
  ieum_buf cur_xml;     /* keep_tags: the same as TMX inline markup */
  int cur_markup;       /* keep_tags: an element was kept inside its <seg> */
  ieum__tmx_inline inl; /* keep_tags: what of the open <seg>'s markup is kept */
  int keep_tags;        /* IEUM_TMX_TAGS_KEEP */
  int tags_text;        /* IEUM_TMX_TAGS_TEXT: the codes' content is segment text */
  int all_pairs;        /* every target language of a <tu> makes a unit */
  int gap;              /* drop: a code was dropped since the segment's last text */
  size_t seg_start;     /* size of `cur` when the open <seg> began */
  ieum_buf cur_meta;    /* meta_item[] of the open <tuv> */
  ieum_buf *open_list;  /* the meta_item[] the open <prop> or <note> belongs to */
  ieum_tmx_skip_cb on_skip; /* told of each skipped <tu>, may be NULL */
  void *skip_payload;
  /* metadata of the current <tu> */
  ieum_buf meta_text;   /* NUL-terminated strings */
  ieum_buf meta;        /* meta_item[] */
  ieum_unit_prop *props;/* built at </tu> */
  size_t props_cap;
  size_t note_start;    /* offset in `note` where the open <note> began */
  /* the current <tu> */
  long tu_line;         /* line of its start tag */
  int64_t tuid;
  int64_t created;
  double score;
  int64_t position;
  int has_bead, has_document, has_note, has_role;
  ieum_buf bead, document, note, prop, role;
  side src;
  side tgts[TGT_MAX];   /* the target(s): tgts[0] only unless all_pairs */
  size_t n_tgts;        /* all_pairs: slots of tgts[] in use in this <tu> */
} reader;

/* <tu> attributes of the TMX 1.4 DTD kept as metadata (creationdate is read into the unit). */
static const char *const tu_attrs[] = { "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate",
                                        "creationtool", "creationtoolversion", "creationid", "changedate",
                                        "segtype", "changeid", "o-tmf", "srclang" };

/* <tuv> attributes of the TMX 1.4 DTD kept as its metadata (xml:lang is its language). */
static const char *const tuv_attrs[] = { "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
                                         "creationtoolversion", "creationdate", "creationid", "changedate",
                                         "changeid", "o-tmf" };

/* ---- errors ------------------------------------------------------------- */

static void on_xml_error(void *arg, xmlErrorPtr err)
{
  reader *r = arg;
  if (!err || err->level < XML_ERR_ERROR || r->xml_failed)
    return;
  r->xml_failed = 1;
  r->xml_line = err->line;
  /* libxml2 calls a non-empty file without any element "empty"; say what it is. */
  if (err->code == XML_ERR_DOCUMENT_EMPTY)
    snprintf(r->xml_message, sizeof r->xml_message, "not XML (no element found)");
  else if (err->code == XML_ERR_DOCUMENT_END && r->tu_depth >= 0)
    /* The streaming reader reports a file cut inside an element this way. */
    snprintf(r->xml_message, sizeof r->xml_message, "truncated file: it ends inside a <tu>");
  else
    snprintf(r->xml_message, sizeof r->xml_message, "%s", err->message ? err->message : "XML error");
  /* libxml2 messages end in a newline; the recorded message is one line. */
  size_t n = strlen(r->xml_message);
  while (n && (r->xml_message[n - 1] == '\n' || r->xml_message[n - 1] == ' '))
    r->xml_message[--n] = '\0';
}

static int line_of(const reader *r)
{
  return xmlTextReaderGetParserLineNumber(r->xr);
}

/* The error for a failed xmlTextReaderRead(). */
static int xml_failure(const reader *r)
{
  if (!r->xml_failed)
    return ieum__error_set(IEUM_EPARSE, "%s:%d: malformed XML", r->path, line_of(r));
  /* Over 10 MB of text in one node: libxml2's own limit on text nodes
     (XML_MAX_TEXT_LENGTH, lifted only by XML_PARSE_HUGE, which we do not
     set), met before ours. */
  if (strstr(r->xml_message, "huge text node"))
    return ieum__error_set(IEUM_ELIMIT, "%s:%d: segment text too large (%s)", r->path, r->xml_line,
                           r->xml_message);
  return ieum__error_set(IEUM_EPARSE, "%s:%d: %s", r->path, r->xml_line, r->xml_message);
}

/* ---- small parsers ------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), after H. Hinnant. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "YYYYMMDDThhmmssZ" -> seconds since the epoch; any other form -> 0. */
static int64_t parse_date(const char *s)
{
  static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
    return 0;
  int y = digits(s, 4), mo = digits(s + 4, 2), d = digits(s + 6, 2);
  int h = digits(s + 9, 2), mi = digits(s + 11, 2), se = digits(s + 13, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      se < 0 || se > 60)
    return 0;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 0;
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

/* A decimal integer (optional sign, digits only); 0 and *ok = 0 otherwise. */
static int64_t parse_int(const char *s, int *ok)
{
  const char *p = s;
  int neg = 0;
  uint64_t v = 0;
  *ok = 0;
  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  if (!*p)
    return 0;
  for (; *p; p++) {
    if (*p < '0' || *p > '9' || v > (uint64_t)INT64_MAX / 10)
      return 0;
    v = v * 10 + (uint64_t)(*p - '0');
    if (v > (uint64_t)INT64_MAX)
      return 0;
  }
  *ok = 1;
  return neg ? -(int64_t)v : (int64_t)v;
}

/*
** "0.9312" -> 0.9312 whatever LC_NUMERIC says (strtod would not); -1 when
** it is not digits[.digits].  Exact for the 4 decimals the writer uses.
*/
static double parse_score(const char *s)
{
  double ip = 0, frac = 0, scale = 1;
  const char *p = s;
  int any = 0;
  for (; *p >= '0' && *p <= '9'; p++, any = 1)
    ip = ip * 10 + (*p - '0');
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, any = 1)
      if (scale < 1e15) {
        frac = frac * 10 + (*p - '0');
        scale *= 10;
      }
  }
  if (!any || *p)
    return -1;
  return ip + frac / scale;
}

/* ---- languages ------------------------------------------------------------ */

static size_t primary_len(const char *tag)
{
  size_t n = strcspn(tag, "-_");
  return n;
}

/* MATCH_* of tag `have` for wanted tag `want` ("" = nothing wanted). */
static int lang_match(const char *want, const char *have)
{
  if (!*want || !*have)
    return MATCH_NONE;
  if (strcasecmp(want, have) == 0)
    return MATCH_EXACT;
  size_t a = primary_len(want), b = primary_len(have);
  if (a == b && strncasecmp(want, have, a) == 0)
    return MATCH_PRIMARY;
  return MATCH_NONE;
}

static int same_primary(const char *a, const char *b)
{
  size_t n = primary_len(a);
  return n == primary_len(b) && strncasecmp(a, b, n) == 0;
}

/*
** Whether `a` names another variety of `b`'s language: both have subtags
** past the primary one, and these differ ("en-GB" of "en-US", not "ko" of
** "ko-KR", nor "ko_kr" of "KO-KR").
*/
static int other_variety(const char *a, const char *b)
{
  size_t n = primary_len(a);
  if (!a[n] || !b[primary_len(b)])
    return 0;
  for (; *a || *b; a++, b++) {
    char x = *a == '_' ? '-' : *a, y = *b == '_' ? '-' : *b;
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y)
      return 1;
  }
  return 0;
}

/* Copies a tag into a LANG_MAX slot; IEUM_EPARSE (file) or IEUM_EINVAL (caller) when too long. */
static int copy_lang(char dst[LANG_MAX], const char *tag, const reader *r, int from_file)
{
  size_t n = strlen(tag);
  if (n >= LANG_MAX) {
    if (from_file)
      return ieum__error_set(IEUM_EPARSE, "%s:%d: language tag \"%.40s...\" longer than %d bytes", r->path,
                             line_of(r), tag, LANG_MAX - 1);
    return ieum__error_set(IEUM_EINVAL, "%s: language tag \"%.40s...\" longer than %d bytes", r->path, tag,
                           LANG_MAX - 1);
  }
  memcpy(dst, tag, n + 1);
  return IEUM_OK;
}

/* ---- per-<tu> state -------------------------------------------------------- */

static void reset_tu(reader *r)
{
  r->tuid = 0;
  r->created = 0;
  r->score = -1.0;
  r->position = -1;
  r->has_bead = r->has_document = r->has_note = r->has_role = 0;
  ieum__buf_clear(&r->role);
  ieum__buf_clear(&r->bead);
  ieum__buf_clear(&r->document);
  ieum__buf_clear(&r->note);
  r->tent_tgt[0] = '\0';
  for (size_t i = 0; i < TGT_MAX + 1; i++) {
    side *s = i ? &r->tgts[i - 1] : &r->src;
    s->match = MATCH_NONE;
    s->lang[0] = '\0';
    ieum__buf_clear(&s->text);
    ieum__buf_clear(&s->xml);
    ieum__buf_clear(&s->meta);
    s->markup = 0;
  }
  r->n_tgts = r->all_pairs ? 0 : 1;
  ieum__buf_clear(&r->cur_meta);
  ieum__buf_clear(&r->meta_text);
  ieum__buf_clear(&r->meta);
}

/* Copies a NUL-terminated string into meta_text; `*at` receives its offset (-1 for NULL). */
static int meta_str(reader *r, ptrdiff_t *at, const char *s, size_t n)
{
  *at = -1;
  if (!s)
    return IEUM_OK;
  if (n + 1 > IEUM_TEXT_MAX_LINE - r->meta_text.size)
    return ieum__error_set(IEUM_ELIMIT, "%s:%d: metadata of a <tu> longer than %zu bytes", r->path, line_of(r),
                           IEUM_TEXT_MAX_LINE);
  *at = (ptrdiff_t)r->meta_text.size;
  int rc = ieum__buf_put(&r->meta_text, s, n);
  return rc ? rc : ieum__buf_putc(&r->meta_text, '\0');
}

/* Appends a metadata item to `list`; the value may follow later (set_meta_value). */
static int add_meta_to(reader *r, ieum_buf *list, const char *kind, const char *type, const char *lang,
                       const char *value)
{
  meta_item m = { kind, -1, -1, -1 };
  int rc;
  r->open_list = list;
  if (list->size / sizeof m >= META_MAX)
    return ieum__error_set(IEUM_ELIMIT, "%s:%d: more than %d props, notes and attributes in one <tu>", r->path,
                           line_of(r), META_MAX);
  if ((rc = meta_str(r, &m.type, type, type ? strlen(type) : 0)) != 0 ||
      (rc = meta_str(r, &m.lang, lang, lang ? strlen(lang) : 0)) != 0 ||
      (rc = meta_str(r, &m.value, value, value ? strlen(value) : 0)) != 0)
    return rc;
  return ieum__buf_put(list, (const char *)&m, sizeof m);
}

/* Appends a metadata item of the <tu>. */
static int add_meta(reader *r, const char *kind, const char *type, const char *lang, const char *value)
{
  return add_meta_to(r, &r->meta, kind, type, lang, value);
}

/* Sets the value of the last metadata item added (of the list it went to). */
static int set_meta_value(reader *r, const char *v, size_t n)
{
  meta_item m;
  ieum_buf *list = r->open_list ? r->open_list : &r->meta;
  memcpy(&m, list->ptr + list->size - sizeof m, sizeof m);
  int rc = meta_str(r, &m.value, v, n);
  if (!rc)
    memcpy(list->ptr + list->size - sizeof m, &m, sizeof m);
  return rc;
}

/* Appends text to a buffer, refusing to pass `cap` bytes. */
static int append_capped(reader *r, ieum_buf *b, const char *s, size_t n, size_t cap, const char *what)
{
  if (n > cap - b->size)
    return ieum__error_set(IEUM_ELIMIT, "%s:%d: %s longer than %zu bytes", r->path, line_of(r), what, cap);
  return ieum__buf_put(b, s, n);
}

/* The value of attribute `name` of the current element, borrowed; NULL when absent. */
static const char *attr(reader *r, const char *name)
{
  const char *v = NULL;
  if (xmlTextReaderMoveToFirstAttribute(r->xr) != 1)
    return NULL;
  do {
    const xmlChar *n = xmlTextReaderConstName(r->xr);
    if (n && strcmp((const char *)n, name) == 0) {
      v = (const char *)xmlTextReaderConstValue(r->xr);
      break;
    }
  } while (xmlTextReaderMoveToNextAttribute(r->xr) == 1);
  xmlTextReaderMoveToElement(r->xr);
  return v;
}

/*
** all_pairs: into *slot the target slot of language `lang` (found or new),
** or -1 when a <tuv> of that language was kept already.  IEUM_ELIMIT past
** TGT_MAX languages: a language is never dropped silently.
*/
static int target_slot(int *slot, reader *r, const char *lang)
{
  size_t i = 0;
  *slot = -1;
  while (i < r->n_tgts && strcasecmp(r->tgts[i].lang, lang) != 0)
    i++;
  if (i == r->n_tgts) {
    if (r->n_tgts == TGT_MAX)
      return ieum__error_set(IEUM_ELIMIT, "%s:%d: a <tu> of more than %d languages", r->path, line_of(r),
                             TGT_MAX + 1);
    r->n_tgts++;
    memcpy(r->tgts[i].lang, lang, LANG_MAX);
    r->tgts[i].match = MATCH_NONE;
  }
  *slot = r->tgts[i].match ? -1 : (int)i;
  return IEUM_OK;
}

/* The attributes of a kept <tuv> but its language go into its metadata (cur_meta). */
static int tuv_meta_attrs(reader *r)
{
  int rc = IEUM_OK;
  if (xmlTextReaderMoveToFirstAttribute(r->xr) != 1)
    return IEUM_OK;
  do {
    const char *n = (const char *)xmlTextReaderConstName(r->xr);
    const char *val = (const char *)xmlTextReaderConstValue(r->xr);
    for (size_t i = 0; n && val && i < sizeof tuv_attrs / sizeof *tuv_attrs; i++)
      if (!strcmp(n, tuv_attrs[i])) {
        rc = add_meta_to(r, &r->cur_meta, "attr", n, NULL, val);
        break;
      }
  } while (!rc && xmlTextReaderMoveToNextAttribute(r->xr) == 1);
  xmlTextReaderMoveToElement(r->xr);
  return rc;
}

/* A <tuv> starts: decide whether its text is kept, and for which side. */
static int start_tuv(reader *r)
{
  const char *lang = attr(r, "xml:lang");
  if (!lang)
    lang = attr(r, "lang"); /* TMX 1.1 */
  r->tuv_to = 0;
  r->tuv_has_seg = 0;
  ieum__buf_clear(&r->cur);
  ieum__buf_clear(&r->cur_xml);
  ieum__buf_clear(&r->cur_meta);
  r->cur_markup = 0;
  if (!lang || !*lang)
    return IEUM_OK; /* a <tuv> without a language cannot be placed */
  int rc = copy_lang(r->tuv_lang, lang, r, 1);
  if (rc)
    return rc;
  if (!r->want_src[0] && (rc = copy_lang(r->want_src, lang, r, 1)) != 0)
    return rc;
  if (r->all_pairs) {
    /* Every language but the source's is a target; another variety of the
       source's language (en-GB of en-US) too, never a plain "ko" of "ko-KR". */
    int ms = lang_match(r->want_src, lang);
    if (ms > MATCH_NONE && !other_variety(lang, r->want_src)) {
      if (ms > r->src.match) {
        r->tuv_to = 1;
        r->tuv_match = ms;
      }
    } else if (ms == MATCH_NONE || other_variety(lang, r->want_src)) {
      char cased[LANG_MAX];
      memcpy(cased, r->tuv_lang, LANG_MAX);
      ieum_lang__case(cased);
      int slot;
      if ((rc = target_slot(&slot, r, cased)) != 0)
        return rc;
      if (slot >= 0) {
        r->tuv_to = 2 + slot;
        r->tuv_match = MATCH_EXACT;
      }
    }
    return r->tuv_to ? tuv_meta_attrs(r) : IEUM_OK;
  }
  if (!r->want_tgt[0]) {
    if (!same_primary(lang, r->want_src)) {
      if ((rc = copy_lang(r->want_tgt, lang, r, 1)) != 0)
        return rc;
      r->tent_tgt[0] = '\0'; /* another language beats a variety of the source's */
      r->tgts[0].match = MATCH_NONE;
      r->info->tgt_lang[0] = '\0'; /* it may name that variety */
    } else if (!r->tent_tgt[0] && other_variety(lang, r->want_src) && (rc = copy_lang(r->tent_tgt, lang, r, 1)) != 0)
      return rc;
  }
  int ms = lang_match(r->want_src, lang), mt = lang_match(r->want_tgt[0] ? r->want_tgt : r->tent_tgt, lang);
  /* A tag may match both when src and tgt share a primary subtag (en-US,
     en-GB): the better match wins, the source on a tie. */
  if (ms > MATCH_NONE && ms >= mt && ms > r->src.match) {
    r->tuv_to = 1;
    r->tuv_match = ms;
  } else if (mt > MATCH_NONE && mt >= ms && mt > r->tgts[0].match) {
    r->tuv_to = 2;
    r->tuv_match = mt;
  }
  return r->tuv_to ? tuv_meta_attrs(r) : IEUM_OK;
}

/* A <tuv> ends: keep its text as the best one of its side so far. */
static void end_tuv(reader *r)
{
  if (!r->tuv_to || !r->tuv_has_seg)
    return;
  side *s = r->tuv_to == 1 ? &r->src : &r->tgts[r->tuv_to - 2];
  char *info_lang = r->tuv_to == 1 ? r->info->src_lang : r->info->tgt_lang;
  ieum_buf t = s->text;
  s->text = r->cur;
  r->cur = t;
  t = s->xml;
  s->xml = r->cur_xml;
  r->cur_xml = t;
  t = s->meta;
  s->meta = r->cur_meta;
  r->cur_meta = t;
  s->markup = r->cur_markup;
  s->match = r->tuv_match;
  memcpy(s->lang, r->tuv_lang, LANG_MAX);
  ieum_lang__case(s->lang);
  /* The info gets the tags of the first matching <tuv>. */
  if (!info_lang[0])
    memcpy(info_lang, s->lang, LANG_MAX);
}

/* A <prop> ends: map the x-* ones into the unit. */
static int end_prop(reader *r)
{
  const char *v = r->prop.ptr ? r->prop.ptr : "";
  int ok;
  switch (r->prop_kind) {
  case PROP_SCORE:
    r->score = parse_score(v);
    break;
  case PROP_POSITION: {
    int64_t p = parse_int(v, &ok);
    r->position = ok && p >= 0 ? p : -1;
    break;
  }
  case PROP_BEAD:
    ieum__buf_clear(&r->bead);
    r->has_bead = 1;
    return ieum__buf_put(&r->bead, v, r->prop.size);
  case PROP_DOCUMENT:
    ieum__buf_clear(&r->document);
    r->has_document = 1;
    return ieum__buf_put(&r->document, v, r->prop.size);
  case PROP_ROLE:
    ieum__buf_clear(&r->role);
    r->has_role = 1;
    return ieum__buf_put(&r->role, v, r->prop.size);
  default:
    return set_meta_value(r, v, r->prop.size);
  }
  return IEUM_OK;
}

/* A <tu> is passed over: count it and tell the caller where it was. */
static void skip_tu(reader *r, int reason)
{
  if (reason == IEUM_TMX_SKIP_EMPTY)
    r->info->empty++;
  else
    r->info->skipped++;
  if (r->on_skip)
    r->on_skip(r->path, r->tu_line, reason, r->skip_payload);
}

/* Appends the items of `list` to r->props[*n] with kind from kinds[] ("attr", "prop", "note" order). */
static void put_props(reader *r, size_t *n, const ieum_buf *list, const char *const kinds[3])
{
  size_t k = list->size / sizeof(meta_item);
  for (size_t i = 0; i < k; i++) {
    meta_item m;
    memcpy(&m, list->ptr + i * sizeof m, sizeof m);
    ieum_unit_prop *p = &r->props[(*n)++];
    p->kind = !strcmp(m.kind, "attr") ? kinds[0] : !strcmp(m.kind, "prop") ? kinds[1] : kinds[2];
    p->type = m.type < 0 ? NULL : r->meta_text.ptr + m.type;
    p->lang = m.lang < 0 ? NULL : r->meta_text.ptr + m.lang;
    p->value = m.value < 0 ? "" : r->meta_text.ptr + m.value;
  }
}

static const char *const tu_kinds[3] = { "attr", "prop", "note" };
static const char *const src_kinds[3] = { "src-attr", "src-prop", "src-note" };
static const char *const tgt_kinds[3] = { "tgt-attr", "tgt-prop", "tgt-note" };

/* Hands over the unit of the source and target `t`; *sent = 1 when it had text. */
static int emit(int *sent, reader *r, const side *t, ieum_unit_props_cb cb, void *payload)
{
  ieum_unit u = IEUM_UNIT_INIT;
  *sent = 0;
  u.id = r->tuid;
  u.src = r->src.text.ptr ? r->src.text.ptr : "";
  u.src_len = r->src.text.size;
  u.tgt = t->text.ptr ? t->text.ptr : "";
  u.tgt_len = t->text.size;
  u.src_lang = r->src.lang;
  u.tgt_lang = t->lang;
  u.score = r->score;
  u.bead = r->has_bead ? (r->bead.ptr ? r->bead.ptr : "") : NULL;
  u.document = r->has_document ? (r->document.ptr ? r->document.ptr : "") : NULL;
  u.position = r->position;
  u.created = r->created;
  u.note = r->has_note ? (r->note.ptr ? r->note.ptr : "") : NULL;
  u.role = r->has_role ? (r->role.ptr ? r->role.ptr : "") : NULL;
  int markup = r->keep_tags && (r->src.markup || t->markup);
  if (markup) {
    u.src = r->src.xml.ptr ? r->src.xml.ptr : "";
    u.src_len = r->src.xml.size;
    u.tgt = t->xml.ptr ? t->xml.ptr : "";
    u.tgt_len = t->xml.size;
  }
  /* Nothing to translate or to match (both <seg>s empty, or only inline
     codes, dropped): no TM can hold it, and it must not end the import. */
  if (u.src_len == 0 && u.tgt_len == 0)
    return IEUM_OK;
  size_t n = (r->meta.size + r->src.meta.size + t->meta.size) / sizeof(meta_item) + 1;
  if (n > r->props_cap) {
    ieum_unit_prop *p = ieum__realloc(r->props, n * sizeof *p);
    if (!p)
      return ieum__error_oom();
    r->props = p;
    r->props_cap = n;
  }
  n = 0;
  put_props(r, &n, &r->meta, tu_kinds);
  if (markup)
    r->props[n++] = (ieum_unit_prop){ "attr", "x-inline", NULL, "tmx" };
  put_props(r, &n, &r->src.meta, src_kinds);
  put_props(r, &n, &t->meta, tgt_kinds);
  r->info->units++;
  *sent = 1;
  return cb(&u, n ? r->props : NULL, n, payload);
}

/* A </tu>: hand the unit(s) over when both sides were found and one has text. */
static int end_tu(reader *r, ieum_unit_props_cb cb, void *payload)
{
  /* A first unit holding only varieties of one language (en-US, en-GB): its
     other variety is the target of the file. */
  if (!r->all_pairs && !r->want_tgt[0] && r->tent_tgt[0] && r->src.match && r->tgts[0].match)
    memcpy(r->want_tgt, r->tent_tgt, LANG_MAX);
  int any = 0, sent_any = 0;
  for (size_t i = 0; i < r->n_tgts; i++)
    any |= r->tgts[i].match != MATCH_NONE;
  if (!r->src.match || !any) {
    skip_tu(r, IEUM_TMX_SKIP_LANGUAGE);
    return IEUM_OK;
  }
  for (size_t i = 0; i < r->n_tgts; i++) {
    int sent = 0;
    if (!r->tgts[i].match)
      continue;
    int rc = emit(&sent, r, &r->tgts[i], cb, payload);
    if (rc)
      return rc;
    sent_any |= sent;
  }
  if (!sent_any)
    skip_tu(r, IEUM_TMX_SKIP_EMPTY);
  return IEUM_OK;
}

/* White space a dropped code leaves doubled: space, tab, line ends. */
static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Inline codes whose content is not segment text. */
static int is_code(const char *name)
{
  return !strcmp(name, "bpt") || !strcmp(name, "ept") || !strcmp(name, "ph") || !strcmp(name, "it") ||
         !strcmp(name, "ut");
}

/* keep_tags: cur_xml past IEUM_TEXT_MAX_LINE is ELIMIT. */
static int check_markup_size(reader *r)
{
  if (r->cur_xml.size > IEUM_TEXT_MAX_LINE)
    return ieum__error_set(IEUM_ELIMIT, "%s:%d: segment longer than %zu bytes", r->path, line_of(r),
                           IEUM_TEXT_MAX_LINE);
  return IEUM_OK;
}

/* keep_tags: an element inside a <seg> goes into the markup as the TMX 1.4 DTD allows (tmx_inline.c). */
static int markup_start(reader *r, int empty)
{
  int rc = ieum__tmx_inline_start(&r->inl, &r->cur_xml, r->xr, empty);
  return rc ? rc : check_markup_size(r);
}

/* A <tu> starts: its tuid and creationdate, and its other DTD attributes as metadata. */
static int start_tu(reader *r, int depth)
{
  int rc = IEUM_OK;
  reset_tu(r);
  r->tu_depth = depth;
  /* The node's own line (exact with XML_PARSE_BIG_LINES past line 65535);
     the parser's line may be a chunk ahead. */
  r->tu_line = xmlGetLineNo(xmlTextReaderCurrentNode(r->xr));
  if (r->tu_line <= 0 || r->tu_line >= 65535) /* 65535: libxml2's 16-bit line field is full */
    r->tu_line = r->next_tu_line > 0 ? r->next_tu_line : line_of(r);
  const char *v = attr(r, "tuid");
  int ok;
  int64_t id = v ? parse_int(v, &ok) : 0;
  r->tuid = v && ok && id > 0 ? id : 0;
  v = attr(r, "creationdate");
  r->created = v ? parse_date(v) : 0;
  if (xmlTextReaderMoveToFirstAttribute(r->xr) != 1)
    return IEUM_OK;
  do {
    const char *n = (const char *)xmlTextReaderConstName(r->xr);
    const char *val = (const char *)xmlTextReaderConstValue(r->xr);
    for (size_t i = 0; n && val && i < sizeof tu_attrs / sizeof *tu_attrs; i++)
      if (!strcmp(n, tu_attrs[i])) {
        rc = add_meta(r, "attr", n, NULL, val);
        break;
      }
  } while (!rc && xmlTextReaderMoveToNextAttribute(r->xr) == 1);
  xmlTextReaderMoveToElement(r->xr);
  return rc;
}

static int on_start(reader *r, const char *name, int depth, int empty)
{
  int rc = IEUM_OK;
  if (!r->seen_root) {
    r->seen_root = 1;
    if (strcmp(name, "tmx") != 0)
      return ieum__error_set(IEUM_EPARSE, "%s: not a TMX file (root element is <%s>)", r->path, name);
    return IEUM_OK;
  }
  if (r->seg_depth >= 0 && r->keep_tags && (rc = markup_start(r, empty)) != 0)
    return rc;
  if (r->skip_depth >= 0)
    return IEUM_OK;
  if (r->seg_depth >= 0) {
    /* By qualified name, as the DTD and the markup filter: <x:ph> is no TMX code. */
    const char *qname = (const char *)xmlTextReaderConstName(r->xr);
    if (qname && is_code(qname) && !r->tags_text) {
      r->skip_depth = depth;
      r->gap = 1;
    }
    return IEUM_OK; /* hi, sub and foreign elements: their text is segment text */
  }
  if (r->tu_depth < 0) {
    if (!strcmp(name, "tu")) {
      if ((rc = start_tu(r, depth)) != 0)
        return rc;
    } else if (!strcmp(name, "header") && !r->want_src[0]) {
      const char *v = attr(r, "srclang");
      if (v && *v && strcmp(v, ALL_LANGS) != 0 && (rc = copy_lang(r->want_src, v, r, 1)) != 0)
        return rc;
    }
    return IEUM_OK;
  }
  if (r->tuv_depth >= 0 && r->seg_depth < 0 && depth == r->tuv_depth + 1 && r->tuv_to &&
      (!strcmp(name, "prop") || !strcmp(name, "note"))) {
    /* A <tuv>'s own props and notes, kept with the side it goes to. */
    int note = !strcmp(name, "note");
    const char *t = note ? NULL : attr(r, "type");
    if (!note && (!t || !*t))
      return IEUM_OK;
    if ((rc = add_meta_to(r, &r->cur_meta, note ? "note" : "prop", t, attr(r, "xml:lang"), NULL)) != 0)
      return rc;
    ieum__buf_clear(&r->prop);
    r->prop_kind = PROP_OTHER;
    r->sink = note ? SINK_TUV_NOTE : SINK_PROP;
    return IEUM_OK;
  }
  if (r->tuv_depth < 0) {
    if (depth != r->tu_depth + 1)
      return IEUM_OK;
    if (!strcmp(name, "tuv")) {
      r->tuv_depth = depth;
      return start_tuv(r);
    }
    if (!strcmp(name, "prop")) {
      const char *t = attr(r, "type");
      r->prop_kind = !t                        ? PROP_OTHER
                     : !strcmp(t, "x-score")    ? PROP_SCORE
                     : !strcmp(t, "x-bead")     ? PROP_BEAD
                     : !strcmp(t, "x-document") ? PROP_DOCUMENT
                     : !strcmp(t, "x-position") ? PROP_POSITION
                     : !strcmp(t, "x-role")     ? PROP_ROLE
                                                : PROP_OTHER;
      if (r->prop_kind == PROP_OTHER) {
        if (!t || !*t)
          return IEUM_OK; /* TMX requires a type: a prop without one cannot be written back */
        if ((rc = add_meta(r, "prop", t, attr(r, "xml:lang"), NULL)) != 0)
          return rc;
      }
      ieum__buf_clear(&r->prop);
      r->sink = SINK_PROP;
    } else if (!strcmp(name, "note")) {
      if (r->has_note && (rc = append_capped(r, &r->note, "\n", 1, IEUM_TEXT_MAX_LINE, "note")) != 0)
        return rc;
      if ((rc = add_meta(r, "note", NULL, attr(r, "xml:lang"), NULL)) != 0)
        return rc;
      r->has_note = 1;
      r->note_start = r->note.size;
      r->sink = SINK_NOTE;
    }
    return IEUM_OK;
  }
  if (!strcmp(name, "seg") && depth == r->tuv_depth + 1 && r->tuv_to) {
    r->seg_depth = depth;
    r->sink = SINK_SEG;
    r->gap = 0;
    ieum__tmx_inline_reset(&r->inl);
    /* A second <seg> (the DTD allows one): its text follows the first's after a space. */
    if (r->tuv_has_seg && r->cur.size && (rc = append_capped(r, &r->cur, " ", 1, IEUM_TEXT_MAX_LINE, "segment")) != 0)
      return rc;
    if (r->tuv_has_seg && r->keep_tags && r->cur_xml.size &&
        ((rc = ieum__tmx_inline_text(&r->inl, &r->cur_xml, " ", 1)) != 0 || (rc = check_markup_size(r)) != 0))
      return rc;
    r->tuv_has_seg = 1;
    r->seg_start = r->cur.size;
  }
  return IEUM_OK;
}

static int on_end(reader *r, int depth, int empty, ieum_unit_props_cb cb, void *payload)
{
  if (r->keep_tags && r->seg_depth >= 0 && depth > r->seg_depth && !empty) {
    int rc = ieum__tmx_inline_end(&r->inl, &r->cur_xml, r->xr);
    if (rc)
      return rc;
  }
  if (r->skip_depth >= 0) {
    if (depth == r->skip_depth)
      r->skip_depth = -1;
    return IEUM_OK;
  }
  if (depth == r->seg_depth) {
    r->seg_depth = -1;
    r->sink = SINK_NONE;
    r->cur_markup |= r->inl.kept;
    /* A code dropped at the end takes the spaces before it along ("translation <ph/>"). */
    if (r->gap)
      while (r->cur.size > r->seg_start && is_space(r->cur.ptr[r->cur.size - 1]))
        r->cur.size--;
    r->gap = 0;
  } else if (r->tuv_depth >= 0 && r->seg_depth < 0 && depth == r->tuv_depth + 1 &&
             (r->sink == SINK_PROP || r->sink == SINK_TUV_NOTE)) {
    r->sink = SINK_NONE;
    return set_meta_value(r, r->prop.ptr ? r->prop.ptr : "", r->prop.size);
  } else if (depth == r->tuv_depth) {
    r->tuv_depth = -1;
    end_tuv(r);
  } else if (depth == r->tu_depth) {
    r->tu_depth = -1;
    return end_tu(r, cb, payload);
  } else if (r->tu_depth >= 0 && r->tuv_depth < 0 && depth == r->tu_depth + 1) {
    int sink = r->sink;
    r->sink = SINK_NONE;
    if (sink == SINK_PROP)
      return end_prop(r);
    if (sink == SINK_NOTE)
      return set_meta_value(r, r->note.ptr ? r->note.ptr + r->note_start : "", r->note.size - r->note_start);
  }
  return IEUM_OK;
}

static int on_text(reader *r)
{
  if (r->sink == SINK_NONE)
    return IEUM_OK;
  const char *v = (const char *)xmlTextReaderConstValue(r->xr);
  if (!v)
    return IEUM_OK;
  size_t n = strlen(v);
  if (r->sink == SINK_SEG && r->keep_tags) {
    int rc = ieum__tmx_inline_text(&r->inl, &r->cur_xml, v, n);
    if (!rc)
      rc = check_markup_size(r);
    if (rc)
      return rc;
  }
  if (r->skip_depth >= 0)
    return IEUM_OK;
  switch (r->sink) {
  case SINK_SEG:
    if (r->gap) {
      /* After a dropped code: no second space where the code stood, none at the start. */
      if (r->cur.size == r->seg_start || is_space(r->cur.ptr[r->cur.size - 1]))
        while (n && is_space(*v)) {
          v++;
          n--;
        }
      if (!n)
        return IEUM_OK;
      r->gap = 0;
    }
    return append_capped(r, &r->cur, v, n, IEUM_TEXT_MAX_LINE, "segment");
  case SINK_TUV_NOTE:
    return append_capped(r, &r->prop, v, n, IEUM_TEXT_MAX_LINE, "note");
  case SINK_NOTE:
    return append_capped(r, &r->note, v, n, IEUM_TEXT_MAX_LINE, "note");
  default:
    return append_capped(r, &r->prop, v, n, PROP_MAX, "<prop>");
  }
}

/* Opens `path`, sorting out "no such file", "a directory" and an empty file before libxml2 sees it. */
static int open_file(int *fd, const char *path)
{
  struct stat st;
  *fd = open(path, O_RDONLY | O_CLOEXEC);
  if (*fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR)
      return ieum__error_set(IEUM_ENOTFOUND, "%s: no such file", path);
    return ieum__error_set(IEUM_EIO, "%s: cannot open: %s", path, strerror(e));
  }
  if (fstat(*fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
    close(*fd);
    *fd = -1;
    return ieum__error_set(IEUM_EIO, "%s: cannot read: %s", path, strerror(e));
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0) {
    /* libxml2 would say "Extra content at the end of the document". */
    close(*fd);
    *fd = -1;
    return ieum__error_set(IEUM_EPARSE, "%s: empty file, not a TMX file", path);
  }
  return IEUM_OK;
}

/*
** libxml2's read callback: the file's bytes, each seen by the guard first.
** A guard failure or a read error ends the input (0, "end of file") rather
** than -1, which libxml2 2.9 would report through its global handler; the
** reader then reports our own error (input_failure).
*/
static int io_read(void *ctx, char *buf, int len)
{
  reader *r = ctx;
  if (r->guard.failed || r->io_errno || len <= 0)
    return 0;
  ssize_t n;
  do
    n = read(r->fd, buf, (size_t)len);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    r->io_errno = errno ? errno : EIO;
    return 0;
  }
  if (n > 0 && ieum__xml_guard_feed(&r->guard, buf, (size_t)n) != 0)
    return 0; /* libxml2 never sees the tag past the limit */
  return (int)n;
}

/* The error for input cut short by io_read(), or 0 when it was not. */
static int input_failure(const reader *r)
{
  const ieum__xml_guard *g = &r->guard;
  if (g->failed == IEUM__XML_GUARD_ATTRS)
    return ieum__error_set(IEUM_ELIMIT, "%s:%ld: <%s> has more than %d attributes", r->path, g->fail_line,
                           g->fail_name, TAG_ATTRS_MAX);
  if (g->failed == IEUM__XML_GUARD_DEFAULTS)
    return ieum__error_set(IEUM_ELIMIT, "%s:%ld: the DOCTYPE declares more than %d attribute defaults", r->path,
                           g->fail_line, TAG_ATTRS_MAX);
  if (g->failed == IEUM__XML_GUARD_TAG_BYTES)
    return ieum__error_set(IEUM_ELIMIT, "%s:%ld: start tag <%s> longer than %zu bytes", r->path, g->fail_line,
                           g->fail_name, TAG_BYTES_MAX);
  if (r->io_errno)
    return ieum__error_set(IEUM_EIO, "%s: read error: %s", r->path, strerror(r->io_errno));
  return IEUM_OK;
}

/* ieum_tmx_read()'s callback behind ieum_tmx_read_props(). */
typedef struct {
  ieum_unit_cb cb;
  void *payload;
} plain_cb;

static int call_plain(const ieum_unit *unit, const ieum_unit_prop *props, size_t n, void *payload)
{
  (void)props;
  (void)n;
  const plain_cb *p = payload;
  return p->cb(unit, p->payload);
}

int ieum_tmx_read(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts, ieum_unit_cb cb,
                  void *payload)
{
  plain_cb p = { cb, payload };
  return ieum_tmx_read_props(out, path, opts, call_plain, &p);
}

int ieum_tmx_read_props(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                        ieum_unit_props_cb cb, void *payload)
{
  if (opts && opts->version >= 4 && opts->threaded)
    return ieum__tmx_read_props_piped(out, path, opts, cb, payload);
  return ieum__tmx_read_props_here(out, path, opts, cb, payload);
}

int ieum__tmx_read_props_here(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                              ieum_unit_props_cb cb, void *payload)
{
  int rc = IEUM_OK;
  ieum_tmx_info info_local;
  reader r;

  memset(&r, 0, sizeof r);
  r.path = path;
  r.fd = -1;
  ieum__xml_guard_init(&r.guard, TAG_ATTRS_MAX, TAG_BYTES_MAX, "tu");
  r.tu_depth = r.tuv_depth = r.seg_depth = r.skip_depth = -1;
  r.info = out ? out : &info_local;
  r.keep_tags = opts && opts->keep_tags == IEUM_TMX_TAGS_KEEP;
  r.tags_text = opts && opts->keep_tags == IEUM_TMX_TAGS_TEXT;
  if (opts && opts->version >= 2) {
    r.on_skip = opts->on_skip;
    r.skip_payload = opts->skip_payload;
  }
  /* all_pairs has no meaning once the caller names the target. */
  r.all_pairs = opts && opts->version >= 3 && opts->all_pairs && !(opts->tgt_lang && *opts->tgt_lang);
  r.n_tgts = r.all_pairs ? 0 : 1;
  memset(r.info, 0, sizeof *r.info);
  if (opts && opts->src_lang && *opts->src_lang && (rc = copy_lang(r.want_src, opts->src_lang, &r, 0)) != 0)
    goto done;
  if (opts && opts->tgt_lang && *opts->tgt_lang && (rc = copy_lang(r.want_tgt, opts->tgt_lang, &r, 0)) != 0)
    goto done;
  if ((rc = open_file(&r.fd, path)) != 0)
    goto done;

  int xopts = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
#if HAVE_XML_PARSE_NO_XXE
  xopts |= XML_PARSE_NO_XXE;
#endif
  /* Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDVALID nor
     XML_PARSE_HUGE: no entity expansion, no DTD fetched, libxml2's limits. */
  r.xr = xmlReaderForIO(io_read, NULL, &r, path, NULL, xopts);
  if (!r.xr) {
    rc = ieum__error_set(IEUM_ENOMEM, "%s: libxml2 cannot create a reader", path);
    goto done;
  }
  xmlTextReaderSetStructuredErrorHandler(r.xr, on_xml_error, &r);

  for (;;) {
    int ret = xmlTextReaderRead(r.xr);
    if ((rc = input_failure(&r)) != 0)
      goto done;
    if (ret == 0)
      break;
    if (ret < 0 || r.xml_failed) {
      rc = xml_failure(&r);
      goto done;
    }
    int type = xmlTextReaderNodeType(r.xr);
    int depth = xmlTextReaderDepth(r.xr);
    switch (type) {
    case XML_READER_TYPE_ELEMENT: {
      const char *name = (const char *)xmlTextReaderConstLocalName(r.xr);
      int empty = xmlTextReaderIsEmptyElement(r.xr) == 1;
      /* The guard queued the line of every <tu> tag, in document order. */
      r.next_tu_line = name && !strcmp(name, "tu") ? ieum__xml_guard_take_line(&r.guard) : 0;
      rc = on_start(&r, name ? name : "", depth, empty);
      if (!rc && empty)
        rc = on_end(&r, depth, 1, cb, payload);
      break;
    }
    case XML_READER_TYPE_END_ELEMENT:
      rc = on_end(&r, depth, 0, cb, payload);
      break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
      rc = on_text(&r);
      break;
    default:
      break; /* comments, PIs, the DOCTYPE, entity references */
    }
    if (rc)
      goto done;
  }
  if ((rc = input_failure(&r)) != 0)
    goto done;
  if (r.xml_failed) {
    rc = xml_failure(&r);
    goto done;
  }
  if (!r.seen_root)
    rc = ieum__error_set(IEUM_EPARSE, "%s: no root element", path);
done:
  /* The info says which languages were used, even when none matched. */
  if (!r.info->src_lang[0])
    memcpy(r.info->src_lang, r.want_src, LANG_MAX);
  if (!r.info->tgt_lang[0])
    memcpy(r.info->tgt_lang, r.want_tgt, LANG_MAX);
  if (r.xr)
    xmlFreeTextReader(r.xr);
  if (r.fd >= 0)
    close(r.fd);
  ieum__xml_guard_dispose(&r.guard);
  ieum_buf_dispose(&r.cur);
  ieum_buf_dispose(&r.bead);
  ieum_buf_dispose(&r.document);
  ieum_buf_dispose(&r.role);
  ieum_buf_dispose(&r.note);
  ieum_buf_dispose(&r.prop);
  for (size_t i = 0; i < TGT_MAX + 1; i++) {
    side *sd = i ? &r.tgts[i - 1] : &r.src;
    ieum_buf_dispose(&sd->text);
    ieum_buf_dispose(&sd->xml);
    ieum_buf_dispose(&sd->meta);
  }
  ieum_buf_dispose(&r.cur_meta);
  ieum_buf_dispose(&r.cur_xml);
  ieum__tmx_inline_dispose(&r.inl);
  ieum_buf_dispose(&r.meta_text);
  ieum_buf_dispose(&r.meta);
  ieum__free(r.props);
  return rc;
}
