/*
** align/anchor.c: numbers, months and Latin words that a translation keeps.
**
** One pass over each segment's text recognizes:
**   - digit groups ("8,192", "4.85", "1990s", "21st") with what scales them:
**     Korean units written after them ("48억5천만" = 48e8 + 5e3*1e4, "12조3천억",
**     "1천200"), or an English scale word after them ("4.85 billion",
**     "$110 million"); English number words ("ten", "thirty", "two million");
**   - months: "10월" after digits, English month names and abbreviations;
**   - Latin words, lowercased; in a mostly non-Latin document (Korean) they are
**     also "expected" anchors, which the translation should contain;
**   - punctuation marks a translation keeps: double quotes, question and
**     exclamation marks, parentheses (ieum_anchor__marks()), one key each.
** Numbers are keyed by their value to six significant digits, so "4.85 billion"
** meets "48억5천만" whatever the notation.  Keys are 64-bit FNV-1a hashes.
** Cost: O(text) time, memory proportional to the anchors found.
** Not here: how much a match is worth (score.c).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchor_int.h"
#include "keys_int.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* Longest Latin word kept as an anchor, in bytes; longer ones are cut (still a key). */
#define WORD_MAX 48

static uint64_t key(char tag, const char *s, size_t n)
{
  uint64_t h = FNV_OFFSET;
  h = (h ^ (unsigned char)tag) * FNV_PRIME;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
  return h;
}

static uint64_t number_key(double v)
{
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%.6g", v);
  return key('n', buf, (size_t)n);
}

static uint64_t month_key(int m)
{
  char buf[4];
  int n = snprintf(buf, sizeof buf, "%d", m);
  return key('m', buf, (size_t)n);
}

typedef struct {
  uint64_t *v;
  size_t n, cap;
} keys;

static int push(keys *k, uint64_t x)
{
  if (k->n == k->cap) {
    size_t cap = k->cap ? k->cap * 2 : 256;
    uint64_t *v = ieum__reallocarray(k->v, cap, sizeof *v);
    if (!v)
      return ieum__error_oom();
    k->v = v;
    k->cap = cap;
  }
  k->v[k->n++] = x;
  return IEUM_OK;
}

/* Korean numeric units that may follow digits, as code points. */
enum { KO_JO = 0xC870, KO_EOK = 0xC5B5, KO_MAN = 0xB9CC, KO_CHEON = 0xCC9C, KO_BAEK = 0xBC31, KO_SIP = 0xC2ED,
       KO_WOL = 0xC6D4 };

static double small_unit(int32_t cp)
{
  return cp == KO_CHEON ? 1e3 : cp == KO_BAEK ? 1e2 : cp == KO_SIP ? 1e1 : 0;
}

static double big_unit(int32_t cp)
{
  return cp == KO_JO ? 1e12 : cp == KO_EOK ? 1e8 : cp == KO_MAN ? 1e4 : 0;
}

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads "8,192" or "4.85" at s[*i]; returns its value. */
static double read_digits(const char *s, size_t len, size_t *i)
{
  char buf[64];
  size_t n = 0;
  while (*i < len) {
    char c = s[*i];
    if (is_digit(c)) {
      if (n < sizeof buf - 1)
        buf[n++] = c;
      (*i)++;
    } else if (c == ',' && n > 0 && *i + 3 < len && is_digit(s[*i + 1]) && is_digit(s[*i + 2]) &&
               is_digit(s[*i + 3]) && (*i + 4 >= len || !is_digit(s[*i + 4]))) {
      (*i)++; /* thousands separator */
    } else if (c == '.' && *i + 1 < len && is_digit(s[*i + 1]) && memchr(buf, '.', n) == NULL) {
      if (n < sizeof buf - 1)
        buf[n++] = '.';
      (*i)++;
    } else {
      break;
    }
  }
  buf[n] = '\0';
  return strtod(buf, NULL);
}

static int32_t peek_cp(const char *s, size_t len, size_t i, size_t *next)
{
  if (i >= len)
    return -1;
  *next = i;
  return ieum__utf8_next(s, len, next);
}

typedef struct {
  const char *word;
  double value;
} word_value;

/* English number and scale words.  "one" is left out: it is as often a pronoun ("one of"). */
static const word_value number_words[] = {
  { "two", 2 },      { "three", 3 },     { "four", 4 },       { "five", 5 },      { "six", 6 },
  { "seven", 7 },    { "eight", 8 },     { "nine", 9 },       { "ten", 10 },      { "eleven", 11 },
  { "twelve", 12 },  { "thirteen", 13 }, { "fourteen", 14 },  { "fifteen", 15 },  { "sixteen", 16 },
  { "seventeen", 17 }, { "eighteen", 18 }, { "nineteen", 19 }, { "twenty", 20 },  { "thirty", 30 },
  { "forty", 40 },   { "fifty", 50 },    { "sixty", 60 },     { "seventy", 70 },  { "eighty", 80 },
  { "ninety", 90 },  { "hundred", 100 }, { "dozen", 12 },
};

static const word_value scale_words[] = {
  { "thousand", 1e3 }, { "million", 1e6 }, { "billion", 1e9 }, { "trillion", 1e12 },
};

static const struct {
  const char *s;
  size_t n;
} months[] = { { "january", 7 }, { "february", 8 }, { "march", 5 },     { "april", 5 },
               { "may", 3 },     { "june", 4 },     { "july", 4 },      { "august", 6 },
               { "september", 9 }, { "october", 7 }, { "november", 8 }, { "december", 8 } };

static double lookup(const word_value *t, size_t n, const char *w)
{
  for (size_t k = 0; k < n; k++)
    if (t[k].word[0] == w[0] && !strcmp(t[k].word, w))
      return t[k].value;
  return 0;
}

/* Month 1..12 of an English month name or its abbreviation ("Sept", "Oct"), else 0. */
static int month_of(const char *w, size_t n)
{
  if (n < 3)
    return 0;
  for (int m = 0; m < 12; m++) {
    if (w[0] != months[m].s[0])
      continue;
    if (n == months[m].n && !memcmp(w, months[m].s, n))
      return m + 1;
    /* Abbreviations: "jan".."dec" and "sept"; "may" and "march" only in full (common words). */
    if (m != 4 && m != 2 && (n == 3 || (m == 8 && n == 4)) && !memcmp(w, months[m].s, n))
      return m + 1;
  }
  return 0;
}

/* Reads the lowercase Latin word at s[*i] into w (NUL-terminated); returns its length. */
static size_t read_word(const char *s, size_t len, size_t *i, char w[WORD_MAX + 1])
{
  size_t n = 0;
  while (*i < len && (is_alpha(s[*i]) || is_digit(s[*i]))) {
    if (n < WORD_MAX)
      w[n++] = (char)(s[*i] | 0x20 * (s[*i] >= 'A' && s[*i] <= 'Z'));
    (*i)++;
  }
  w[n] = '\0';
  return n;
}

/* The word after white space at s[i], lowercased, without consuming it. */
static size_t next_word(const char *s, size_t len, size_t i, size_t *after, char w[WORD_MAX + 1])
{
  while (i < len && s[i] == ' ')
    i++;
  if (i >= len || !is_alpha(s[i]))
    return 0;
  size_t n = read_word(s, len, &i, w);
  *after = i;
  return n;
}

/* Parses the number starting with digits at s[*i], Korean units and English scales included. */
static double read_number(const char *s, size_t len, size_t *i, int *month)
{
  double total = 0, cur = 0;
  *month = 0;
  for (;;) {
    double v = read_digits(s, len, i);
    size_t nx;
    int32_t cp = peek_cp(s, len, *i, &nx);
    if (cp == KO_WOL && total == 0 && cur == 0 && v >= 1 && v <= 12 && v == floor(v)) {
      *month = (int)v;
      *i = nx;
      return 0;
    }
    double su = small_unit(cp);
    if (su > 0) {
      *i = nx;
      v *= su;
      cp = peek_cp(s, len, *i, &nx);
    }
    cur += v;
    double bu = big_unit(cp);
    if (bu > 0) {
      *i = nx;
      total += cur * bu;
      cur = 0;
    }
    if (!(su > 0 || bu > 0) || *i >= len || !is_digit(s[*i]))
      break;
  }
  total += cur;
  /* English: "4.85 billion", "1990s", "21st". */
  char w[WORD_MAX + 1];
  size_t after;
  if (*i < len && is_alpha(s[*i])) {
    size_t j = *i;
    size_t n = read_word(s, len, &j, w);
    if (!strcmp(w, "s") || !strcmp(w, "st") || !strcmp(w, "nd") || !strcmp(w, "rd") || !strcmp(w, "th") || n == 0)
      *i = j;
  } else if (next_word(s, len, *i, &after, w) > 0) {
    double sc = lookup(scale_words, sizeof scale_words / sizeof scale_words[0], w);
    if (sc > 0) {
      total *= sc;
      *i = after;
    }
  }
  return total;
}

/*
** Words that end with a period without ending a sentence ("Mr. Kim", "No. 2"),
** lowercased.  Single letters (initials, "U.S.") never end one either.
*/
static const char *const abbreviations[] = {
  "adm", "apr", "aug", "capt", "cmdr", "co", "col", "corp", "dec", "dept", "dr", "est", "etc", "feb",
  "fig", "ft", "gen", "gov", "hon", "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "mr",
  "mrs", "ms", "mt", "no", "nos", "nov", "oct", "pres", "prof", "rep", "rev", "sen", "sep", "sept",
  "sgt", "sr", "st", "univ", "vol", "vs",
};

static int is_abbreviation(const char *s, size_t end)
{
  size_t b = end;
  while (b > 0 && is_alpha(s[b - 1]))
    b--;
  size_t n = end - b;
  if (n <= 1 || (b > 0 && s[b - 1] == '.'))
    return 1; /* an initial, or the last part of "U.S." */
  if (n > 5)
    return 0;
  char w[8];
  int upper = 1;
  for (size_t k = 0; k < n; k++) {
    w[k] = (char)(s[b + k] | 0x20);
    upper &= s[b + k] >= 'A' && s[b + k] <= 'Z';
  }
  w[n] = 0;
  if (upper)
    return 0; /* "GCHQ. But" */
  for (size_t k = 0; k < sizeof abbreviations / sizeof abbreviations[0]; k++)
    if (abbreviations[k][0] == w[0] && !strcmp(w, abbreviations[k]))
      return 1;
  return 0;
}

/* A closing quote or bracket after a sentence's final punctuation: '"', ')', ']', '\'', U+2019, U+201D. */
static size_t closer_len(const char *s, size_t len, size_t i)
{
  if (i < len && (s[i] == '"' || s[i] == ')' || s[i] == ']' || s[i] == '\''))
    return 1;
  if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
      ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x9D))
    return 3;
  return 0;
}

/* Can a sentence start at s[i]: an upper-case letter, a digit, an opening quote, Hangul or CJK. */
static int sentence_start(const char *s, size_t len, size_t i)
{
  unsigned char c = (unsigned char)s[i];
  if ((c >= 'A' && c <= 'Z') || is_digit((char)c) || c == '"' || c == '\'' || c == '(')
    return 1;
  if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
      ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x9C))
    return 1; /* U+2018, U+201C */
  return c >= 0xE3 && c <= 0xED; /* CJK and Hangul syllables */
}

unsigned ieum_anchor__sentences(const char *s, size_t len)
{
  unsigned n = 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c != '.' && c != '!' && c != '?')
      continue;
    if (i == 0 || (c == '.' && (i + 1 < len && s[i + 1] == '.')))
      continue; /* an ellipsis */
    unsigned char p = (unsigned char)s[i - 1];
    if (c == '.' && ((is_alpha((char)p) && is_abbreviation(s, i)) || p == '.'))
      continue;
    size_t j = i + 1, k;
    while ((k = closer_len(s, len, j)) > 0)
      j += k;
    if (j >= len || s[j] != ' ')
      continue;
    while (j < len && s[j] == ' ')
      j++;
    if (j < len && sentence_start(s, len, j))
      n++;
  }
  return len ? n + 1 : 0;
}

unsigned ieum_anchor__marks(const char *s, size_t len)
{
  unsigned m = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i], c1 = i + 1 < len ? (unsigned char)s[i + 1] : 0,
                  c2 = i + 2 < len ? (unsigned char)s[i + 2] : 0;
    if (c == '"' || (c == '`' && c1 == '`'))
      m |= IEUM_MARK_QUOTE;
    else if (c == '?')
      m |= IEUM_MARK_QUESTION;
    else if (c == '!')
      m |= IEUM_MARK_EXCLAIM;
    else if (c == '(')
      m |= IEUM_MARK_PAREN;
    else if (c == 0xE2 && c1 == 0x80 && (c2 == 0x9C || c2 == 0x9D || c2 == 0x9E))
      m |= IEUM_MARK_QUOTE; /* U+201C, U+201D, U+201E */
    else if (c == 0xC2 && (c1 == 0xAB || c1 == 0xBB))
      m |= IEUM_MARK_QUOTE; /* U+00AB, U+00BB */
    else if (c == 0xC2 && c1 == 0xA1 && c2 == 0xC2 && i + 3 < len &&
             ((unsigned char)s[i + 3] == 0xB0 || (unsigned char)s[i + 3] == 0xB1))
      m |= IEUM_MARK_QUOTE; /* "¡°", "¡±": curly quotes read as CP949 bytes, then as Latin-1 */
    else if (c == 0xEF && c1 == 0xBC && (c2 == 0x82 || c2 == 0x9F || c2 == 0x81 || c2 == 0x88))
      m |= c2 == 0x82 ? IEUM_MARK_QUOTE : c2 == 0x9F ? IEUM_MARK_QUESTION : c2 == 0x81 ? IEUM_MARK_EXCLAIM
                                                                                    : IEUM_MARK_PAREN;
  }
  return m;
}

uint64_t ieum_anchor__mark_key(unsigned bit)
{
  char c = (char)('0' + (int)bit);
  return key('p', &c, 1);
}

static int script_is_latin(const ieum_doc *doc)
{
  size_t latin = 0, other = 0;
  for (size_t k = 0; k < doc->n; k++) {
    const char *s = doc->segs[k].text;
    for (size_t i = 0; i < doc->segs[k].len;) {
      unsigned char c = (unsigned char)s[i];
      if (is_alpha((char)c))
        latin++;
      else if (c >= 0xE0)
        other++; /* three- and four-byte characters: Hangul, CJK */
      i++;
    }
  }
  return latin >= other;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

int ieum_anchor__extract(ieum_anchors *out, const ieum_doc *doc)
{
  keys nums = { 0 }, exp = { 0 }, words = { 0 }, marks = { 0 };
  size_t n = doc->n;
  int rc = IEUM_OK;
  memset(out, 0, sizeof *out);
  out->num_off = ieum__calloc(n + 1, sizeof(size_t));
  out->exp_off = ieum__calloc(n + 1, sizeof(size_t));
  out->word_off = ieum__calloc(n + 1, sizeof(size_t));
  out->word_mask = ieum__calloc(n + 1, sizeof(uint64_t));
  out->sents = ieum__calloc(n + 1, 1);
  out->mark_off = ieum__calloc(n + 1, sizeof(size_t));
  if (!out->num_off || !out->exp_off || !out->word_off || !out->word_mask || !out->sents || !out->mark_off) {
    rc = ieum__error_oom();
    goto done;
  }
  int latin = script_is_latin(doc);
  for (size_t k = 0; k < n && rc == 0; k++) {
    const char *s = doc->segs[k].text;
    size_t len = doc->segs[k].len, i = 0;
    char w[WORD_MAX + 1];
    unsigned ns = ieum_anchor__sentences(s, len);
    out->sents[k] = (uint8_t)(ns > 255 ? 255 : ns);
    unsigned mk = ieum_anchor__marks(s, len);
    for (unsigned bit = 1; bit <= IEUM_MARK_PAREN && rc == 0; bit <<= 1)
      if (mk & bit)
        rc = push(&marks, ieum_anchor__mark_key(bit));
    out->mark_off[k + 1] = marks.n;
    while (i < len && rc == 0) {
      char c = s[i];
      if (is_digit(c) && (i == 0 || !is_alpha(s[i - 1]))) {
        int month;
        double v = read_number(s, len, &i, &month);
        rc = push(&nums, month ? month_key(month) : number_key(v));
      } else if (is_alpha(c)) {
        size_t wn = read_word(s, len, &i, w);
        int m = month_of(w, wn);
        double v = lookup(number_words, sizeof number_words / sizeof number_words[0], w);
        if (m)
          rc = push(&nums, month_key(m));
        else if (v > 0) {
          size_t after;
          char w2[WORD_MAX + 1];
          if (next_word(s, len, i, &after, w2) > 0) {
            double sc = lookup(scale_words, sizeof scale_words / sizeof scale_words[0], w2);
            if (sc > 0) {
              v *= sc;
              i = after;
            }
          }
          rc = push(&nums, number_key(v));
        }
        if (rc == 0)
          rc = push(&words, key('w', w, wn));
        if (rc == 0 && !latin && wn >= 2)
          rc = push(&exp, key('w', w, wn));
      } else {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
          i++;
      }
    }
    out->num_off[k + 1] = nums.n;
    out->exp_off[k + 1] = exp.n;
    out->word_off[k + 1] = words.n;
    if (words.n > out->word_off[k]) /* none: words.v may still be NULL, and NULL + 0 is undefined */
      ieum_keyset__sort(words.v + out->word_off[k], words.n - out->word_off[k]);
    for (size_t x = out->word_off[k]; x < words.n; x++)
      out->word_mask[k] |= (uint64_t)1 << (words.v[x] & 63);
  }
done:
  out->nums = nums.v;
  out->expect = exp.v;
  out->words = words.v;
  out->marks = marks.v;
  if (rc)
    ieum_anchor__dispose(out);
  return rc;
}

void ieum_anchor__dispose(ieum_anchors *a)
{
  ieum__free(a->nums);
  ieum__free(a->num_off);
  ieum__free(a->expect);
  ieum__free(a->exp_off);
  ieum__free(a->words);
  ieum__free(a->word_off);
  ieum__free(a->word_mask);
  ieum__free(a->sents);
  ieum__free(a->marks);
  ieum__free(a->mark_off);
  memset(a, 0, sizeof *a);
}

/*
** Number of the keys v[x0..x1) also in the sorted-per-segment words of
** segments [j, j+b) of t.  v is NULL when its side has no such key, so it is
** only indexed, never offset, when x0 == x1.
*/
static uint32_t found_in(const uint64_t *v, size_t x0, size_t x1, const ieum_anchors *t, size_t j, size_t b)
{
  uint32_t found = 0;
  for (size_t k = x0; k < x1; k++) {
    for (size_t seg = j; seg < j + b; seg++) {
      size_t nw = t->word_off[seg + 1] - t->word_off[seg];
      if (nw == 0 || !(t->word_mask[seg] & ((uint64_t)1 << (v[k] & 63))))
        continue;
      const uint64_t *w = t->words + t->word_off[seg];
      if (bsearch(&v[k], w, nw, sizeof *w, cmp_u64)) {
        found++;
        break;
      }
    }
  }
  return found;
}

/* Most numbers one side of a bead holds for the multiset comparison; more are ignored. */
#define MATCH_MAX 64

void ieum_anchor__match(ieum_anchor_match *out, const ieum_anchors *src, size_t i, size_t a,
                        const ieum_anchors *tgt, size_t j, size_t b)
{
  uint64_t sn[MATCH_MAX], tn[MATCH_MAX];
  size_t ns = 0, nt = 0;
  memset(out, 0, sizeof *out);
  /* Most beads have no anchor on either side: nothing to compare. */
  if (src->num_off[i] == src->num_off[i + a] && tgt->num_off[j] == tgt->num_off[j + b] &&
      src->exp_off[i] == src->exp_off[i + a] && tgt->exp_off[j] == tgt->exp_off[j + b])
    return;
  for (size_t k = src->num_off[i]; k < src->num_off[i + a] && ns < MATCH_MAX; k++)
    sn[ns++] = src->nums[k];
  for (size_t k = tgt->num_off[j]; k < tgt->num_off[j + b] && nt < MATCH_MAX; k++)
    tn[nt++] = tgt->nums[k];
  uint32_t matched = 0;
  for (size_t x = 0; x < ns; x++)
    for (size_t y = 0; y < nt; y++)
      if (sn[x] == tn[y]) {
        matched++;
        tn[y] = tn[--nt]; /* used: remove */
        break;
      }
  out->num_matched = matched;
  out->num_unmatched = (uint32_t)(ns - matched + nt);
  size_t e0 = src->exp_off[i], e1 = src->exp_off[i + a];
  uint32_t f = found_in(src->expect, e0, e1, tgt, j, b);
  out->exp_matched = f;
  out->exp_unmatched = (uint32_t)(e1 - e0) - f;
  e0 = tgt->exp_off[j];
  e1 = tgt->exp_off[j + b];
  f = found_in(tgt->expect, e0, e1, src, i, a);
  out->exp_matched += f;
  out->exp_unmatched += (uint32_t)(e1 - e0) - f;
}
