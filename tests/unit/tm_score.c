/*
** tests/unit/tm_score.c: the fuzzy-match score's shortcuts (tm/search.c)
** against the plain definitions they replace.
**
** The forms a score compares (folded code points, numbers, punctuation) are
** made without ICU's conversion and normalization when every code point
** allows it; here both paths must give the same forms: every ASCII
** character and every Hangul syllable, alone and beside combining marks and
** conjoining jamo, and thousands of random texts drawn from pieces that
** NFKC_Casefold changes (case, width, ligatures, compatibility forms,
** ignorables, combining sequences), surrogates, and texts past the length
** cut.  The distance is bit-parallel; here ieum_tm_similarity() must give
** the score of the cell-by-cell Levenshtein DP on random texts of letters
** whose forms are themselves, of every length from 0 to 300 code points
** (one to five 64-position blocks and their edges), over alphabets small
** enough for long common stretches.  No TM is needed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "tap.h"
#include "tm/tm_int.h"
#include "util.h"

/* Appends code point c to b as UTF-8. */
static void put_cp(ieum_buf *b, uint32_t c)
{
  char u[4];
  size_t n;
  if (c < 0x80) {
    u[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | (c >> 6));
    u[1] = (char)(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | (c >> 12));
    u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (c >> 18));
    u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[3] = (char)(0x80 | (c & 0x3F));
    n = 4;
  }
  ieum__buf_put(b, u, n);
}

/* Whether both paths give the same forms for b; *plain gets whether the fast one was taken. */
static int same_forms(const ieum_buf *b, int *plain, ieum_buf *why)
{
  ieum_buf fast = IEUM_BUF_INIT, icu = IEUM_BUF_INIT;
  int p = 0, rc1 = ieum_tm__score_forms(&fast, &p, b->ptr ? b->ptr : "", b->size, 0);
  int rc2 = ieum_tm__score_forms(&icu, NULL, b->ptr ? b->ptr : "", b->size, 1);
  int same = rc1 == rc2 && fast.size == icu.size && (fast.size == 0 || memcmp(fast.ptr, icu.ptr, fast.size) == 0);
  if (!same && why) {
    ieum__buf_clear(why);
    ieum__buf_printf(why, "rc %d/%d plain=%d fast [%.*s] icu [%.*s]", rc1, rc2, p, (int)fast.size,
                     fast.ptr ? fast.ptr : "", (int)icu.size, icu.ptr ? icu.ptr : "");
  }
  if (plain)
    *plain = p;
  ieum_buf_dispose(&fast);
  ieum_buf_dispose(&icu);
  return same;
}

static void test_tm_score__ascii_and_hangul_alone(void)
{
  ieum_buf b = IEUM_BUF_INIT, why = IEUM_BUF_INIT;
  int bad = 0, plain_all = 1, plain;
  for (uint32_t c = 0; c < 0x80; c++) {
    static const uint32_t around[][2] = { { 'a', 'b' }, { 'A', 'Z' }, { 0xAC00, '7' }, { ' ', 0 } };
    for (size_t k = 0; k < sizeof around / sizeof around[0]; k++) {
      ieum__buf_clear(&b);
      put_cp(&b, around[k][0]);
      put_cp(&b, c);
      put_cp(&b, c);
      if (around[k][1])
        put_cp(&b, around[k][1]);
      if (!same_forms(&b, &plain, &why) && bad++ < 5)
        diag("U+%04X: %.*s", (unsigned)c, (int)why.size, why.ptr);
      plain_all &= plain;
    }
  }
  is_int(bad, 0, "every ASCII character: the same forms on both paths");
  ok(plain_all, "ASCII text takes the path without ICU's normalization");
  bad = 0;
  for (uint32_t c = 0xAC00; c <= 0xD7A3; c++) {
    ieum__buf_clear(&b);
    put_cp(&b, c);
    put_cp(&b, 'X');
    put_cp(&b, c);
    if (!same_forms(&b, &plain, &why) && bad++ < 5)
      diag("U+%04X: %.*s", (unsigned)c, (int)why.size, why.ptr);
    plain_all &= plain;
  }
  is_int(bad, 0, "every Hangul syllable: the same forms on both paths");
  ok(plain_all, "Hangul text takes the path without ICU's normalization");
  /* Their classes, which the search reads from its own tables, as ICU's properties say. */
  bad = 0;
  for (uint32_t c = 0; c <= 0xD7A3; c = c == 0x7F ? 0xAC00 : c + 1) {
    ieum_buf got = IEUM_BUF_INIT, want = IEUM_BUF_INIT;
    uint32_t folded = c >= 'A' && c <= 'Z' ? c + 32 : c;
    ieum__buf_clear(&b);
    put_cp(&b, c);
    ieum_tm__score_forms(&got, NULL, b.ptr, b.size, 1);
    if (u_isUWhiteSpace((UChar32)c))
      ieum__buf_puts(&want, "cp: num: punct:");
    else if (U_GET_GC_MASK((UChar32)c) & U_GC_P_MASK)
      ieum__buf_printf(&want, "cp: num: punct: %X", (unsigned)c);
    else if (u_isdigit((UChar32)c))
      ieum__buf_printf(&want, "cp: %X num: %X punct:", (unsigned)c, (unsigned)c);
    else
      ieum__buf_printf(&want, "cp: %X num: punct:", (unsigned)folded);
    if ((got.size != want.size || memcmp(got.ptr, want.ptr, got.size) != 0) && bad++ < 5)
      diag("U+%04X: got [%.*s], ICU's properties say [%.*s]", (unsigned)c, (int)got.size, got.ptr,
           (int)want.size, want.ptr);
    ieum_buf_dispose(&got);
    ieum_buf_dispose(&want);
  }
  is_int(bad, 0, "ASCII and Hangul syllables: space, punctuation and digits as ICU's properties say");
  ieum_buf_dispose(&b);
  ieum_buf_dispose(&why);
}

/* Pieces NFKC_Casefold treats in every way: kept, mapped, composed with what precedes, removed. */
static const uint32_t pieces[] = {
  'a', 'Z', 'e', 'K', '0', '7', ' ', '\t', '.', ',', '"', '$', '+', '~', '-', '_', 0,
  0xAC00, 0xAC01, 0xD7A3, 0xB2E4,                 /* Hangul syllables: LV, LVT, the last */
  0x1100, 0x1161, 0x11A8, 0x3131, 0xFFA1,         /* conjoining jamo, compatibility jamo, halfwidth jamo */
  0x0301, 0x0308, 0x0327, 0x302E,                 /* combining marks (one is Hangul's tone mark) */
  0x00C9, 0x00E9, 0x00DF, 0x0130, 0x03A3, 0x03C2, /* É é ß İ Σ ς */
  0xFB01, 0x2126, 0x212B, 0x00B2, 0x2460, 0x3392, /* ligature, Ohm, Angstrom, superscript, circled, squared */
  0xFF21, 0xFF41, 0xFF10, 0xFF0C, 0x3000, 0x00A0, /* fullwidth, ideographic and no-break spaces */
  0x2018, 0x2019, 0x201C, 0x201D, 0x00B7, 0x2026, 0x3001, 0x3002, 0x300C, 0x2014,
  0x00AD, 0x200B, 0x200D, 0xFE0F, 0x034F,         /* ignorables */
  0x0661, 0x0966, 0x4E00, 0xF900, 0x2F00,         /* other digits, CJK, compatibility ideographs */
  0x1F600, 0x1D400, 0x10400,                      /* outside the BMP: emoji, math bold, Deseret capital */
};

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 8) % n;
}

static void test_tm_score__random_texts(void)
{
  ieum_buf b = IEUM_BUF_INIT, why = IEUM_BUF_INIT;
  int bad = 0, plain, n_plain = 0;
  const size_t n_pieces = sizeof pieces / sizeof pieces[0];
  for (int t = 0; t < 20000; t++) {
    size_t len = rnd(40);
    ieum__buf_clear(&b);
    /* Half the texts from the plain pieces only (the first 21: ASCII, syllables), to reach the fast path. */
    size_t pool = t % 2 ? n_pieces : 21;
    for (size_t i = 0; i < len; i++)
      put_cp(&b, pieces[rnd((uint32_t)pool)]);
    if (!same_forms(&b, &plain, &why) && bad++ < 5)
      diag("text %d: %.*s", t, (int)why.size, why.ptr);
    n_plain += plain;
  }
  is_int(bad, 0, "20,000 random texts: the same forms on both paths");
  ok(n_plain >= 10000, "the texts of plain pieces took the plain path (%d)", n_plain);
  /* Past the length cut (4096 UTF-16 units), at it, and cutting a surrogate pair. */
  static const size_t lens[] = { 4095, 4096, 4097, 5000 };
  for (size_t k = 0; k < 4; k++) {
    ieum__buf_clear(&b);
    for (size_t i = 0; i < lens[k]; i++)
      put_cp(&b, i == 4095 ? 0x1F600 : (i % 3 ? 0xAC00 + (uint32_t)i : 'a'));
    ok(same_forms(&b, NULL, &why), "a text of %zu code points (one outside the BMP at 4096): the same forms",
       lens[k]);
  }
  /* Ill-formed UTF-8: both paths fail alike. */
  static const char *const invalid[] = { "\xC3", "a\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE0\x80\xAF", "\xFF" };
  for (size_t k = 0; k < sizeof invalid / sizeof invalid[0]; k++) {
    ieum_buf x = IEUM_BUF_INIT;
    ieum__buf_puts(&x, invalid[k]);
    ieum_buf o = IEUM_BUF_INIT;
    int rc = ieum_tm__score_forms(&o, NULL, x.ptr, x.size, 0);
    ok(rc != 0 && same_forms(&x, NULL, NULL), "ill-formed UTF-8 %zu fails on both paths (%d)", k, rc);
    ieum_buf_dispose(&o);
    ieum_buf_dispose(&x);
  }
  ieum_buf_dispose(&b);
  ieum_buf_dispose(&why);
}

/* Levenshtein distance of code points a and b, cell by cell. */
static size_t plain_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
  size_t *row = malloc((nb + 1) * sizeof *row), d;
  for (size_t j = 0; j <= nb; j++)
    row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < v)
        v = up + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      diag = up;
      row[j] = v;
    }
  }
  d = row[nb];
  free(row);
  return d;
}

/* Random code points of an alphabet of k letters whose forms are themselves (no spaces, digits or punctuation). */
static void random_letters(uint32_t *v, size_t n, uint32_t k)
{
  for (size_t i = 0; i < n; i++) {
    uint32_t x = rnd(k);
    v[i] = x % 2 ? 'a' + x / 2 % 26 : 0xAC00 + x * 37;
  }
}

static void test_tm_score__distance(void)
{
  enum { MAXLEN = 300 };
  uint32_t a[MAXLEN], b[MAXLEN];
  int bad = 0;
  for (int t = 0; t < 3000; t++) {
    size_t na = t < 301 ? (size_t)t : rnd(MAXLEN + 1), nb;
    uint32_t k = 2 + rnd(12);
    random_letters(a, na, k);
    /* b: a edited in a few places (long common stretches), or drawn afresh. */
    if (t % 3) {
      nb = 0;
      for (size_t i = 0; i < na && nb < MAXLEN; i++) {
        uint32_t r = rnd(20);
        if (r == 0)
          continue; /* deleted */
        if (r == 1 && nb + 1 < MAXLEN)
          random_letters(&b[nb++], 1, k); /* inserted */
        b[nb++] = r == 2 ? 'z' : a[i];    /* substituted or kept */
      }
    } else {
      nb = rnd(MAXLEN + 1);
      random_letters(b, nb, k);
    }
    ieum_buf x = IEUM_BUF_INIT, y = IEUM_BUF_INIT;
    for (size_t i = 0; i < na; i++)
      put_cp(&x, a[i]);
    for (size_t i = 0; i < nb; i++)
      put_cp(&y, b[i]);
    size_t longest = na > nb ? na : nb, d = plain_distance(a, na, b, nb);
    int want = longest == 0 ? 100 : (int)(100 * (longest - d) / longest), got = -1;
    if (want > 99 && !(x.size == y.size && (x.size == 0 || memcmp(x.ptr, y.ptr, x.size) == 0)))
      want = 99;
    int rc = ieum_tm_similarity(&got, x.ptr ? x.ptr : "", x.size, y.ptr ? y.ptr : "", y.size);
    if ((rc != 0 || got != want) && bad++ < 5)
      diag("lengths %zu, %zu, alphabet %u: distance %zu, want %d, got %d (rc %d)", na, nb, (unsigned)k, d, want,
           got, rc);
    ieum_buf_dispose(&x);
    ieum_buf_dispose(&y);
  }
  is_int(bad, 0, "3,000 random pairs of 0 to 300 code points: the score of the cell-by-cell distance");
}

int main(void)
{
  test_tm_score__ascii_and_hangul_alone();
  test_tm_score__random_texts();
  test_tm_score__distance();
  return done_testing();
}
