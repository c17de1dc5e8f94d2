/*
** align/para.c: hard-wrapped text detection for IEUM_PARAGRAPH_AUTO.
**
** Text copied from the web has one paragraph per line; text copied from a
** PDF or an e-mail is hard-wrapped: its line breaks fall inside sentences,
** at a roughly fixed width.  The document itself tells which: one pass
** measures every line (columns, wide East Asian characters counting 2),
** takes the 90th percentile of the line widths as the wrap width, and counts
** the breaks between non-blank lines that look like wraps (the line ends
** with no sentence punctuation and the next one starts in lower case, or
** the line is nearly as wide as a wrap width of at least FULL_WIDTH_MIN).
** When at least half of them do, and some line ends a sentence (prose, not
** a menu), the text is wrapped; then a line break is a paragraph end only
** where the next line does not start in lower case and its first word would
** have fitted on the line before (the reflow rule of mail readers), or where
** it opens a list item.
** Cost: O(text) for the plan, O(line) per break asked about.
** Not here: blank lines (always paragraph ends, segment.c), sentence breaks.
*/
#include <string.h>

#include <unicode/uchar.h>

#include "para_int.h"

/* Widths above this count as this in the percentile: such lines are no wrapped lines anyway. */
#define WIDTH_CAP 512

/* The wrap width is the width that this share (in percent) of the non-blank lines does not exceed. */
#define WIDTH_PERCENTILE 90

/* A line at least this share (in percent) of the wrap width is "full": its break was forced. */
#define FULL_LINE_PCT 75

/* Narrowest wrap width taken seriously: narrower texts are lists or menus, not wrapped prose. */
#define WIDTH_MIN 8

/*
** Narrowest wrap width at which a line's width says anything: below it
** ("He won't\nReally."), only a next line in lower case shows a wrap, as
** mail and PDF text is wrapped at 60-80 columns, never at a dozen.
*/
#define FULL_WIDTH_MIN 30

static int is_space_cp(int32_t c)
{
  return u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B;
}

/* Display columns of code point c: 2 for wide and fullwidth characters. */
static size_t columns(int32_t c)
{
  int w = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return w == U_EA_WIDE || w == U_EA_FULLWIDTH ? 2 : 1;
}

/* s[lo..hi) with trailing white space dropped: its new end. */
static size_t trim_end(const char *s, size_t lo, size_t hi)
{
  while (hi > lo) {
    size_t j = hi - 1;
    while (j > lo && ((unsigned char)s[j] & 0xC0) == 0x80)
      j--;
    size_t k = j;
    if (!is_space_cp(ieum__utf8_next(s, hi, &k)))
      break;
    hi = j;
  }
  return hi;
}

/* First byte of s[lo..hi) that is not white space (hi when none). */
static size_t skip_space(const char *s, size_t lo, size_t hi)
{
  while (lo < hi) {
    size_t k = lo;
    if (!is_space_cp(ieum__utf8_next(s, hi, &k)))
      break;
    lo = k;
  }
  return lo;
}

static size_t width_of(const char *s, size_t lo, size_t hi)
{
  size_t w = 0;
  for (size_t i = lo; i < hi;)
    w += columns(ieum__utf8_next(s, hi, &i));
  return w;
}

/* Non-zero when the line s[lo..hi) (trimmed) ends with sentence punctuation, closing quotes aside. */
static int ends_sentence(const char *s, size_t lo, size_t hi)
{
  while (hi > lo) {
    size_t j = hi - 1;
    while (j > lo && ((unsigned char)s[j] & 0xC0) == 0x80)
      j--;
    size_t k = j;
    int32_t c = ieum__utf8_next(s, hi, &k);
    int closing = c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x2019 || c == 0x201D || c == 0x00BB;
    if (!closing)
      return c == '.' || c == '!' || c == '?' || c == ':' || c == 0x2026 || c == 0x3002 || c == 0xFF0E ||
             c == 0xFF01 || c == 0xFF1F;
    hi = j;
  }
  return 0;
}

/* Non-zero when the line s[lo..hi) starts (white space skipped) with a lowercase letter. */
static int starts_lower(const char *s, size_t lo, size_t hi)
{
  lo = skip_space(s, lo, hi);
  return lo < hi && u_islower(ieum__utf8_next(s, hi, &lo));
}

/*
** Non-zero when the line s[lo..hi) opens a list item: a bullet, or "1.",
** "1)", "(1)", "a.", "a)", "(a)" (1-3 digits or one letter) before a space.
*/
static int opens_item(const char *s, size_t lo, size_t hi)
{
  size_t i = skip_space(s, lo, hi), j = i;
  if (i >= hi)
    return 0;
  int32_t c = ieum__utf8_next(s, hi, &j);
  if (c == 0x2022 || c == 0x2023 || c == 0x2043 || c == 0x00B7 || c == 0x25E6 || c == 0x25AA || c == '*' ||
      c == '-' || c == 0x2013 || c == 0x2014)
    return j < hi && s[j] == ' ';
  int paren = s[i] == '(';
  if (paren)
    i++;
  size_t n = 0;
  while (i + n < hi && n < 4 && s[i + n] >= '0' && s[i + n] <= '9')
    n++;
  if (n == 0 && i < hi && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
    n = 1;
  if (n == 0 || n > 3)
    return 0;
  i += n;
  if (i >= hi || !(s[i] == ')' || (!paren && s[i] == '.')))
    return 0;
  i++;
  return i < hi && s[i] == ' ';
}

/* Columns of the first word (the run of non-space characters) of the line s[lo..hi). */
static size_t first_word(const char *s, size_t lo, size_t hi)
{
  size_t i = skip_space(s, lo, hi), w = 0;
  while (i < hi) {
    int32_t c = ieum__utf8_next(s, hi, &i);
    if (is_space_cp(c))
      break;
    w += columns(c);
  }
  return w;
}

void ieum_para__plan_text(ieum_para__plan *out, const char *text, size_t len)
{
  size_t hist[WIDTH_CAP + 1]; /* 4 KB on the stack: no state shared between threads */
  size_t lines = 0, pairs = 0, wraps = 0, prose = 0;
  size_t prev_lo = 0, prev_hi = 0, prev_w = 0;
  int have_prev = 0;

  memset(out, 0, sizeof *out);
  memset(hist, 0, sizeof hist);
  /* first pass: the widths, for the percentile */
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    size_t hi = trim_end(text, i, e);
    if (skip_space(text, i, hi) < hi) {
      size_t w = width_of(text, i, hi);
      hist[w > WIDTH_CAP ? WIDTH_CAP : w]++;
      lines++;
    }
    i = e + 1;
  }
  if (lines < 2)
    return;
  size_t want = (lines * WIDTH_PERCENTILE + 99) / 100, seen = 0, width = 0;
  for (; width <= WIDTH_CAP; width++)
    if ((seen += hist[width]) >= want)
      break;
  if (width < WIDTH_MIN || width >= WIDTH_CAP)
    return;
  /* second pass: the breaks between non-blank lines */
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    size_t hi = trim_end(text, i, e);
    if (skip_space(text, i, hi) >= hi) {
      have_prev = 0;
    } else {
      size_t w = width_of(text, i, hi);
      int ends = ends_sentence(text, i, hi);
      prose += (size_t)ends;
      if (have_prev) {
        pairs++;
        if (!ends_sentence(text, prev_lo, prev_hi) &&
            (starts_lower(text, i, hi) || (width >= FULL_WIDTH_MIN && prev_w * 100 >= width * FULL_LINE_PCT)))
          wraps++;
      }
      prev_lo = i;
      prev_hi = hi;
      prev_w = w;
      have_prev = 1;
    }
    i = e + 1;
  }
  out->width = width;
  out->wrapped = prose > 0 && pairs > 0 && wraps * 2 >= pairs;
}

int ieum_para__joins(const ieum_para__plan *plan, const char *s, size_t a0, size_t a1, size_t b0, size_t b1)
{
  if (!plan->wrapped)
    return 0;
  a1 = trim_end(s, a0, a1);
  b1 = trim_end(s, b0, b1);
  if (opens_item(s, b0, b1))
    return 0;
  if (starts_lower(s, b0, b1))
    return 1;
  if (plan->width < FULL_WIDTH_MIN)
    return 0;
  return width_of(s, a0, a1) + 1 + first_word(s, b0, b1) > plan->width;
}
