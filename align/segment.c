/*
** align/segment.c: sentence segmentation of one document (paragraphs, then
** sentences inside each paragraph).
**
** The text is cut into paragraphs first (every "\n", or only blank lines,
** after opts->paragraphs); each non-blank paragraph is handed to one ICU
** sentence break iterator, opened once per document for "<lang>@ss=standard"
** (CLDR abbreviation suppressions) and pointed at the paragraph with
** utext_openUTF8 + ubrk_setUText, so ICU works on our UTF-8 bytes and returns
** byte offsets; nothing is copied to UTF-16.  ICU's breaks, plus every
** ". " where the CLDR suppressions may have hidden one, are the candidates;
** decide() vetoes or confirms each with a few local rules for Korean and
** English news (closing quote + Korean particle, dotted initials, dotted
** dates, list markers, news abbreviations, "!"/"?" before a lowercase word,
** suppressions that matched only a suffix such as "Q." in "GCHQ."), and a
** kept break moves past footnote markers "[1]".  Every rule looks at most
** TOKEN_MAX bytes around a candidate, so the pass is linear in the text
** length: 1 MB in about 30 ms (debugoptimized build).
** Assumptions: valid NFC UTF-8 with "\n" line ends (formats/text.c made it);
** a paragraph is shorter than 2 GB (ICU indexes are int32_t).
** Not here: segment storage and white-space folding (doc.c), presegmented
** line input (doc.c), alignment (score.c, dp.c).
*/
#include <stdint.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "align_int.h"

/*
** Longest token, in bytes, that the rules examine before or after a
** candidate break.  The longest table entry ("approx.") and the longest
** dotted date ("2023.12.31.") are far below; a longer token is never an
** abbreviation, which keeps every decision O(1).
*/
#define TOKEN_MAX 32

/* Room for a language tag (ieum_doc keeps at most 35 bytes) plus "@ss=standard". */
#define LOCALE_MAX 64

/* What kind of abbreviation a token before a candidate break is. */
typedef enum {
  ABBR_NONE = 0,
  ABBR_WORD,     /* "Gen.", "Inc.": joins a lowercase word, a digit or a name */
  ABBR_TITLE,    /* "Dr.", "Mr.": joins whatever capitalized word follows */
  ABBR_NUMERO,   /* "No.": joins a following digit only */
  ABBR_INITIALS  /* "U.S.", "G.D.P.", "a.m.", "E.": single letters with dots */
} abbr_kind;

/*
** Abbreviations of news English that must not end a sentence when a
** lowercase word, a digit or a name follows (ABBR_WORD), whether or not the
** CLDR suppressions already cover them.  Matched case-sensitively on a whole
** token.  Dotted initials (U.S., U.N., U.K., G.D.P.) are recognized by
** their shape instead (ABBR_INITIALS), so they are not listed.
*/
static const struct {
  const char *word;
  abbr_kind kind;
} abbrevs[] = {
  /* personal titles: a capitalized word after them is a name */
  { "Mr.", ABBR_TITLE }, { "Mrs.", ABBR_TITLE }, { "Ms.", ABBR_TITLE }, { "Dr.", ABBR_TITLE },
  { "Prof.", ABBR_TITLE }, { "Rev.", ABBR_TITLE },
  /* military ranks and offices, frequent in news datelines and quotes */
  { "Gen.", ABBR_WORD }, { "Lt.", ABBR_WORD }, { "Col.", ABBR_WORD }, { "Sgt.", ABBR_WORD },
  { "Capt.", ABBR_WORD }, { "Maj.", ABBR_WORD }, { "Adm.", ABBR_WORD }, { "Cmdr.", ABBR_WORD },
  { "Gov.", ABBR_WORD }, { "Sen.", ABBR_WORD }, { "Rep.", ABBR_WORD }, { "Amb.", ABBR_WORD },
  /* months in datelines ("Jan. 18"); "May" is a whole word and never abbreviated */
  { "Jan.", ABBR_WORD }, { "Feb.", ABBR_WORD }, { "Mar.", ABBR_WORD }, { "Apr.", ABBR_WORD },
  { "Jun.", ABBR_WORD }, { "Jul.", ABBR_WORD }, { "Aug.", ABBR_WORD }, { "Sep.", ABBR_WORD },
  { "Sept.", ABBR_WORD }, { "Oct.", ABBR_WORD }, { "Nov.", ABBR_WORD }, { "Dec.", ABBR_WORD },
  /* company forms: "Samsung Electronics Co. said" */
  { "Inc.", ABBR_WORD }, { "Corp.", ABBR_WORD }, { "Co.", ABBR_WORD }, { "Ltd.", ABBR_WORD },
  { "Bros.", ABBR_WORD },
  /* name suffixes and places */
  { "Jr.", ABBR_WORD }, { "Sr.", ABBR_WORD }, { "St.", ABBR_WORD }, { "Mt.", ABBR_WORD },
  /* lowercase working words */
  { "vs.", ABBR_WORD }, { "approx.", ABBR_WORD }, { "p.", ABBR_WORD }, { "pp.", ABBR_WORD },
  /* "No. 2": a number sign only before a digit ("He said No. Then..." is a sentence) */
  { "No.", ABBR_NUMERO }, { "no.", ABBR_NUMERO },
};

/*
** Capitalized function words that start sentences in news English: after an
** abbreviation, one of these means the abbreviation also ended the sentence
** ("...in the U.S. But..."), any other capitalized word is taken as a name.
*/
static const char *const starters[] = {
  /* articles, demonstratives, pronouns */
  "A", "An", "The", "This", "That", "These", "Those", "There", "Here", "It", "Its", "He", "She",
  "His", "Her", "They", "Their", "We", "Our", "I", "You", "Your", "Some", "Many", "Most", "Both",
  /* conjunctions and sentence adverbs */
  "But", "And", "Or", "So", "Yet", "However", "Meanwhile", "Still", "Also", "Then", "Now",
  "If", "When", "While", "After", "Before", "As", "Since", "Although", "Because",
  /* prepositions that open a sentence */
  "In", "On", "At", "For", "From", "By", "With", "To", "Of",
  /* questions */
  "How", "What", "Why", "Where", "Who", "Which", "Is", "Are", "Do", "Does", "Did", "Can",
};

typedef struct {
  ieum_doc *doc;
  const char *text;      /* the whole input */
  UBreakIterator *bi;    /* one per document */
  UText *ut;             /* reused for every paragraph */
  ieum_buf scratch;      /* a paragraph with "\n" turned into " " (BLANK mode) */
  const char *locale;    /* "<lang>@ss=standard" */
  UBreakIterator *probe; /* second iterator for suppressed(), opened when first needed */
  UText *probe_ut;
  char probe_text[TOKEN_MAX + 4];
} seg_ctx;

/* ---- code points ---------------------------------------------------------- */

/* Code point starting at s[i] (i < hi). */
static int32_t cp_at(const char *s, size_t hi, size_t i)
{
  size_t j = i;
  return ieum__utf8_next(s, hi, &j);
}

/* Code point ending at s[i] (i > lo); *start receives its first byte. */
static int32_t cp_before(const char *s, size_t lo, size_t i, size_t *start)
{
  size_t j = i - 1;
  while (j > lo && ((unsigned char)s[j] & 0xC0) == 0x80)
    j--;
  *start = j;
  return cp_at(s, i, j);
}

static int is_space(int32_t c)
{
  return c == '\n' || u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B;
}

static int is_hangul(int32_t c)
{
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x3131 && c <= 0x318E); /* syllables, compatibility jamo */
}

static int is_ascii_upper(int32_t c) { return c >= 'A' && c <= 'Z'; }
static int is_ascii_lower(int32_t c) { return c >= 'a' && c <= 'z'; }
static int is_ascii_digit(int32_t c) { return c >= '0' && c <= '9'; }

/* Closing quotes and brackets after which a Korean particle may follow. */
static int is_close(int32_t c)
{
  switch (c) {
  case '"': case '\'': case ')': case ']': case '}': case '>':
  case 0x2019: case 0x201D: case 0x00BB: case 0x300B: case 0x300D: case 0x300F:
  case 0x3009: case 0x3011: case 0x3015: case 0xFF09: case 0xFF3D:
    return 1;
  default:
    return 0;
  }
}

/* Opening quotes and brackets that may precede a token. */
static int is_open(int32_t c)
{
  switch (c) {
  case '"': case '\'': case '(': case '[': case '{': case '<':
  case 0x2018: case 0x201C: case 0x00AB: case 0x300A: case 0x300C: case 0x300E:
  case 0x3008: case 0x3010: case 0x3014: case 0xFF08: case 0xFF3B:
    return 1;
  default:
    return 0;
  }
}

/* ---- tokens --------------------------------------------------------------- */

static abbr_kind abbr_of(const char *t, size_t n)
{
  if (n < 2 || t[n - 1] != '.')
    return ABBR_NONE;
  for (size_t k = 0; k < sizeof abbrevs / sizeof abbrevs[0]; k++)
    if (strlen(abbrevs[k].word) == n && memcmp(abbrevs[k].word, t, n) == 0)
      return abbrevs[k].kind;
  /* an initial "E." or dotted initials ([A-Za-z]\.){2,} */
  if (n == 2 && is_ascii_upper(t[0]))
    return ABBR_INITIALS;
  if (n >= 4 && n % 2 == 0) {
    for (size_t k = 0; k < n; k += 2)
      if (!(is_ascii_upper(t[k]) || is_ascii_lower(t[k])) || t[k + 1] != '.')
        return ABBR_NONE;
    return ABBR_INITIALS;
  }
  return ABBR_NONE;
}

static int is_starter(const char *w, size_t n)
{
  for (size_t k = 0; k < sizeof starters / sizeof starters[0]; k++)
    if (strlen(starters[k]) == n && memcmp(starters[k], w, n) == 0)
      return 1;
  return 0;
}

/* Bytes of the ASCII letters starting at s[i], at most TOKEN_MAX. */
static size_t word_len(const char *s, size_t hi, size_t i)
{
  size_t j = i;
  while (j < hi && j - i < TOKEN_MAX && (is_ascii_upper(s[j]) || is_ascii_lower(s[j])))
    j++;
  return j - i;
}

/*
** Start of the token ending at q (the run of non-space characters), past
** any opening quotes or brackets; `lo` when the token starts the paragraph.
** Returns q when the token is longer than TOKEN_MAX (never an abbreviation).
*/
static size_t token_start(const char *s, size_t lo, size_t q)
{
  size_t t = q, p;
  while (t > lo && q - t <= TOKEN_MAX) {
    int32_t c = cp_before(s, lo, t, &p);
    if (is_space(c))
      break;
    t = p;
  }
  if (q - t > TOKEN_MAX)
    return q;
  while (t < q && is_open(cp_at(s, q, t))) {
    size_t j = t;
    ieum__utf8_next(s, q, &j);
    t = j;
  }
  return t;
}

/* Number of ASCII digits ending at i (not before lo), at most `max` + 1. */
static size_t digits_before(const char *s, size_t lo, size_t i, size_t max)
{
  size_t n = 0;
  while (i > lo && n <= max && is_ascii_digit(s[i - 1])) {
    i--;
    n++;
  }
  return n;
}

/*
** Non-zero when a dotted date "2023.1.18." or "2023. 1. 18." ends at q:
** a 2-4 digit year, 1-2 digit month and day, each followed by a dot and
** optionally one space.
*/
static int date_ends_at(const char *s, size_t lo, size_t q)
{
  static const size_t min_d[3] = { 1, 1, 2 }, max_d[3] = { 2, 2, 4 };
  size_t i = q;
  for (int part = 0; part < 3; part++) {
    if (part > 0 && i > lo && s[i - 1] == ' ')
      i--;
    if (i <= lo || s[i - 1] != '.')
      return 0;
    i--;
    size_t n = digits_before(s, lo, i, max_d[part]);
    if (n < min_d[part] || n > max_d[part])
      return 0;
    i -= n;
  }
  return i == lo || !is_ascii_digit(s[i - 1]);
}

/* Non-zero when s[b..hi) starts with 1-2 digits and a dot: the rest of a date or a number list. */
static int date_part_at(const char *s, size_t hi, size_t b)
{
  size_t n = 0;
  while (b + n < hi && n < 3 && is_ascii_digit(s[b + n]))
    n++;
  return n >= 1 && n <= 2 && b + n < hi && s[b + n] == '.';
}

/*
** Hangul syllables that number list items, in order: 가 나 다 라 마 바 사.
** Later ones (아, 자...) are far more often one-word sentences ("아.").
*/
static int list_syllable(int32_t c)
{
  static const int32_t order[] = { 0xAC00, 0xB098, 0xB2E4, 0xB77C, 0xB9C8, 0xBC14, 0xC0AC };
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
    if (c == order[k])
      return 1;
  return 0;
}

/*
** Non-zero when s[t..q) is a list or heading marker at the start of a
** paragraph: an optional bullet, then "1.", "1-1.", "1.1.", "a.", "가.",
** "ㄱ.", "가-1.": 1-3 digits, or one Latin letter, list syllable or jamo, then
** groups of [.-] and 1-3 digits, then the final dot.
*/
static int marker_at(const char *s, size_t t, size_t q)
{
  size_t i = t;
  int32_t c = cp_at(s, q, i);
  if (c == 0x2022 || c == 0x2043 || c == 0x00B7 || c == '-' || c == '*') { /* bullets */
    ieum__utf8_next(s, q, &i);
    while (i < q && s[i] == ' ')
      i++;
  }
  if (q - i < 2 || s[q - 1] != '.')
    return 0;
  size_t n = 0;
  while (i + n < q - 1 && n < 4 && is_ascii_digit(s[i + n]))
    n++;
  if (n > 3)
    return 0;
  if (n == 0) {
    c = ieum__utf8_next(s, q, &i);
    if (!(is_ascii_upper(c) || is_ascii_lower(c) || (c >= 0x3131 && c <= 0x314E) || list_syllable(c)))
      return 0;
  }
  i += n;
  while (i < q - 1) {
    if (s[i] != '.' && s[i] != '-')
      return 0;
    i++;
    n = 0;
    while (i + n < q - 1 && n < 4 && is_ascii_digit(s[i + n]))
      n++;
    if (n == 0 || n > 3)
      return 0;
    i += n;
  }
  return i == q - 1;
}

/* ---- the decision --------------------------------------------------------- */

static int icu_fail(const char *call, UErrorCode st)
{
  return ieum__error_set(IEUM_ERROR, "segment: ICU %s(): %s", call, u_errorName(st));
}

/*
** ICU's suppression filter (filteredbrk.cpp, ICU 72) matches an entry
** against the end of the text before the dot without checking that the
** entry starts a word: "GCHQ." is suppressed by the entry "Q.", "NATO." by
** "O.".  A suppression is real only when the token stripped of its first
** character is no longer suppressed ("Mrs." -> "rs." breaks again).
** Asks a second iterator about "<token minus first char> A".  Returns 1 when
** that is still suppressed (a mere suffix match), 0 when not, or an error.
*/
static int suffix_suppressed(seg_ctx *c, const char *tok, size_t n)
{
  UErrorCode st = U_ZERO_ERROR;
  size_t i = 0;
  ieum__utf8_next(tok, n, &i);
  size_t m = n - i;
  if (m < 2 || m > TOKEN_MAX)
    return 0;
  memcpy(c->probe_text, tok + i, m);
  memcpy(c->probe_text + m, " A", 2);
  if (!c->probe) {
    c->probe = ubrk_open(UBRK_SENTENCE, c->locale, NULL, 0, &st);
    if (U_FAILURE(st))
      return icu_fail("ubrk_open", st);
  }
  c->probe_ut = utext_openUTF8(c->probe_ut, c->probe_text, (int64_t)(m + 2), &st);
  ubrk_setUText(c->probe, c->probe_ut, &st);
  if (U_FAILURE(st))
    return icu_fail("ubrk_setUText", st);
  ubrk_first(c->probe);
  return ubrk_next(c->probe) != (int32_t)(m + 1);
}

/*
** Decides whether to break before s[b] inside paragraph s[lo..hi), in the
** sentence that began at `start`.  `icu`
** says whether ICU proposed the break; the rules either veto it, confirm a
** break ICU's suppressions hid, or keep ICU's decision.  Returns 1 (break),
** 0 (no break) or a negative error (from the suppression probe).
*/
static int decide(seg_ctx *ctx, size_t lo, size_t hi, size_t start, size_t b, int icu)
{
  const char *s = ctx->text;
  size_t q = b, p;
  while (q > lo) { /* q: end of the text before the break, white space excluded */
    int32_t c = cp_before(s, lo, q, &p);
    if (!is_space(c))
      break;
    q = p;
  }
  if (q == lo || b >= hi)
    return icu;
  int32_t last = cp_before(s, lo, q, &p);
  int32_t next = cp_at(s, hi, b);
  int glued = q == b;

  /* (1) “…떠나자.”라고, (…?)을: a particle right after a closing quote or bracket. */
  if (glued && is_close(last) && is_hangul(next))
    return 0;

  size_t t = token_start(s, lo, q);
  const char *tok = s + t;
  size_t n = q - t;
  abbr_kind kind = abbr_of(tok, n);

  /* (2)+(4) abbreviations: dotted initials and the news table. */
  if (kind != ABBR_NONE) {
    if (is_hangul(next)) /* "U.S.정부", "U.S. 정부", "Co. 관계자" */
      return kind == ABBR_NUMERO ? icu : 0;
    if (glued)
      return icu;
    if (is_ascii_digit(next)) /* "No. 2", "Jan. 18", "Gen. 3rd" */
      return 0;
    if (kind == ABBR_NUMERO)
      return icu;
    if (u_islower(next)) /* "U.S. troops", "Co. said" */
      return 0;
    if (is_ascii_upper(next)) {
      if (kind == ABBR_TITLE)
        return 0;
      size_t w = word_len(s, hi, b);
      return is_starter(s + b, w) ? 1 : 0; /* "U.S. But" vs "U.S. Army" */
    }
    return icu;
  }
  if (!icu) { /* a ". " that ICU did not break: suppressed, or before a lowercase word */
    size_t j = b;
    int32_t c1 = next;
    while (is_open(c1) && j < hi) {
      ieum__utf8_next(s, hi, &j);
      c1 = j < hi ? cp_at(s, hi, j) : 0;
    }
    if (glued || !(u_isupper(c1) || is_hangul(c1)) || n < 3 || tok[n - 1] != '.')
      return 0;
    int r = suffix_suppressed(ctx, tok, n);
    if (r <= 0)
      return r;
  }

  /* (3) dotted dates: "2023.1.18. 오전", "2023. 1. 18. 서울", and "2023. 1." inside one. */
  if (n >= 2 && tok[n - 1] == '.' && is_ascii_digit(tok[n - 2])) {
    if (date_part_at(s, hi, b) && digits_before(s, t, q - 1, 4) == n - 1)
      return 0;
    if (date_ends_at(s, lo, q) && !is_ascii_upper(next))
      return 0;
  }

  /* (5) a list or heading marker that opens the paragraph or follows a sentence end: "1. 제목". */
  if (!glued) {
    size_t i = start;
    while (i < q && i - start < TOKEN_MAX && is_space(cp_at(s, hi, i)))
      ieum__utf8_next(s, hi, &i);
    if (q - i <= TOKEN_MAX && marker_at(s, i, q))
      return 0;
  }

  /* (6) "!" or "?" then a lowercase word: "Yahoo! in", "“Here he comes!” she said". */
  if (!glued && is_ascii_lower(next)) {
    size_t i = q;
    while (i > lo && is_close(cp_before(s, lo, i, &p)))
      i = p;
    if (i > lo) {
      int32_t c = cp_before(s, lo, i, &p);
      if (c == '!' || c == '?')
        return 0;
    }
  }

  /* (7) a break glued to punctuation that cannot open a sentence: "(1690?~1777?)", "다.>라고". */
  if (glued && (next == '~' || next == ',' || next == ';' || next == ':' || next == 0x301C || next == 0xFF5E ||
                (is_close(next) && next != '"' && next != '\'')))
    return 0;
  return 1;
}

/*
** Next place after `*pos` (and before hi) that follows a dot and white
** space: the CLDR suppressions may hide a break there, so decide() must see
** it.  Returns SIZE_MAX when there is none; advances *pos.
*/
static size_t next_dot(const char *s, size_t hi, size_t *pos)
{
  for (size_t i = *pos; i < hi; i++) {
    if (s[i] != '.' || i + 1 >= hi || !is_space(cp_at(s, hi, i + 1)))
      continue;
    size_t b = i + 1;
    while (b < hi && is_space(cp_at(s, hi, b)))
      ieum__utf8_next(s, hi, &b);
    *pos = b;
    if (b < hi)
      return b;
  }
  *pos = hi;
  return SIZE_MAX;
}

/*
** End of the footnote markers "[12]", "[*]" starting at s[b] ("이다.[16][17] 지진"),
** and of the white space after them; b when there are none.  A glued break
** before them moves there, so the markers stay with their sentence.
*/
static size_t footnotes_end(const char *s, size_t hi, size_t b)
{
  size_t j = b;
  for (;;) {
    size_t k = j + 1, n = 0;
    if (j >= hi || s[j] != '[')
      break;
    while (k < hi && n < 4 && (is_ascii_digit(s[k]) || s[k] == '*'))
      k++, n++;
    if (n == 0 || k >= hi || s[k] != ']')
      break;
    j = k + 1;
  }
  if (j == b)
    return b;
  while (j < hi && is_space(cp_at(s, hi, j)))
    ieum__utf8_next(s, hi, &j);
  return j;
}

/* Splits the paragraph text[lo..hi) (not blank) into sentences of paragraph `para`. */
static int paragraph(seg_ctx *c, size_t lo, size_t hi, uint32_t para)
{
  const char *s = c->text;
  const char *p = s + lo;
  size_t n = hi - lo;
  UErrorCode st = U_ZERO_ERROR;
  int rc;

  if (n > INT32_MAX)
    return ieum__error_set(IEUM_ELIMIT, "segment: paragraph at byte %zu is longer than 2 GB", lo);
  if (memchr(p, '\n', n)) { /* BLANK mode: a single "\n" is white space, not ICU's ParaSep */
    ieum__buf_clear(&c->scratch);
    if ((rc = ieum__buf_put(&c->scratch, p, n)) != 0)
      return rc;
    for (char *x = c->scratch.ptr; (x = memchr(x, '\n', n - (size_t)(x - c->scratch.ptr))) != NULL;)
      *x++ = ' ';
    p = c->scratch.ptr;
  }
  c->ut = utext_openUTF8(c->ut, p, (int64_t)n, &st);
  if (U_FAILURE(st))
    return icu_fail("utext_openUTF8", st);
  ubrk_setUText(c->bi, c->ut, &st);
  if (U_FAILURE(st))
    return icu_fail("ubrk_setUText", st);

  size_t start = lo, scan = lo;
  int32_t ib = ubrk_first(c->bi);
  ib = ubrk_next(c->bi);
  size_t fb = next_dot(s, hi, &scan);
  for (;;) {
    size_t icu_b = ib == UBRK_DONE ? SIZE_MAX : lo + (size_t)ib;
    size_t b = icu_b < fb ? icu_b : fb;
    if (b >= hi)
      break;
    if ((rc = decide(c, lo, hi, start, b, b == icu_b)) < 0)
      return rc;
    if (rc) {
      size_t f = b > lo && s[b - 1] == '[' ? b - 1 : b; /* ICU counts "[" as Close */
      size_t fe = footnotes_end(s, hi, f);
      if (fe > f)
        b = fe;
      if (b >= hi)
        break;
      if ((rc = ieum_doc__add(c->doc, s, start, b, para)) != 0)
        return rc;
      start = b;
    }
    while (ib != UBRK_DONE && lo + (size_t)ib <= b)
      ib = ubrk_next(c->bi);
    while (fb <= b)
      fb = next_dot(s, hi, &scan);
  }
  return ieum_doc__add(c->doc, s, start, hi, para);
}

/* Non-zero when text[i..e) holds only white space. */
static int blank(const char *s, size_t i, size_t e)
{
  while (i < e) {
    if (!is_space(ieum__utf8_next(s, e, &i)))
      return 0;
  }
  return 1;
}

/* "<primary language>@ss=standard", or "@ss=standard" (root) for "und". */
static void make_locale(char out[LOCALE_MAX], const char *lang)
{
  size_t n = 0;
  if (lang && strcmp(lang, "und") != 0)
    while (lang[n] && lang[n] != '@' && n < LOCALE_MAX - sizeof "@ss=standard")
      n++;
  memcpy(out, lang ? lang : "", n);
  memcpy(out + n, "@ss=standard", sizeof "@ss=standard");
}

int ieum_segment__sentences(ieum_doc *doc, const char *text, size_t len, const ieum_segment_options *opts)
{
  seg_ctx c = { doc, text, NULL, NULL, IEUM_BUF_INIT, NULL, NULL, NULL, { 0 } };
  UErrorCode st = U_ZERO_ERROR;
  char locale[LOCALE_MAX];
  uint32_t para = 0;
  int rc = IEUM_OK;

  if (len == 0 || blank(text, 0, len))
    return IEUM_OK;
  make_locale(locale, opts ? opts->lang : NULL);
  c.locale = locale;
  c.bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
  if (U_FAILURE(st)) {
    rc = icu_fail("ubrk_open", st);
    goto done;
  }
  int by_blank = opts && opts->paragraphs == IEUM_PARAGRAPH_BLANK;
  size_t i = 0;
  while (i < len) {
    size_t e = i;
    while (e < len && text[e] != '\n')
      e++;
    if (blank(text, i, e)) {
      i = e + 1;
      continue;
    }
    size_t lo = i;
    if (by_blank) { /* extend over following non-blank lines */
      for (;;) {
        size_t ne = e + 1;
        if (e >= len)
          break;
        while (ne < len && text[ne] != '\n')
          ne++;
        if (blank(text, e + 1, ne))
          break;
        e = ne;
      }
    }
    if ((rc = paragraph(&c, lo, e, para++)) != 0)
      goto done;
    i = e + 1;
  }

done:
  utext_close(c.probe_ut);
  ubrk_close(c.probe);
  utext_close(c.ut);
  ubrk_close(c.bi);
  ieum_buf_dispose(&c.scratch);
  return rc;
}
