/*
** align/names.c: proper names matched across Hangul and Latin spellings.
**
** Korean side: each Hangul word loses a final particle (lexicon.c's list:
** "오스틴은" -> 오스틴); the stems of one segment are romanized jamo by jamo
** as ICU's "Hangul-Latin" transliterator writes them (a table of 19 initial,
** 21 vowel and 27 final letters: the transliterator cost 40% of the
** aligner's time for the same letters), then each romanized stem becomes a
** consonant skeleton.
** English side: words (not acronyms) and hyphenated names ("Jong-seop")
** become skeletons after English spelling rules; lowercase words too,
** since Korean writes loanwords in Hangul as it writes names (헬리콥터 and
** "helicopter", 컴퓨터 and "computer"; they need
** MIN_LOAN_CLASSES classes: strict F1 ALL +.0013 on ../shared/data/align).  Letters
** fall into classes that Korean loanword spelling keeps apart: P (b p f
** v), T (d t th), K (g k c q), S (s sh, soft c), J (j ch z, soft g), L (l
** r), M, N; vowels, h, w and y drop out, and repeats collapse.  A skeleton
** of fewer than MIN_CLASSES classes is too common to mean a name and
** yields no key.
** Cost: O(text).
** Not here: the keysets (keys.c), the scoring (score.c).
*/
#include <string.h>

#include "lexicon_int.h"
#include "names_int.h"

/*
** Fewest consonant classes a key needs: with two (Kim = K-M, Bush = P-S)
** unrelated words meet too often (measured on ../shared/data/align, see
** bench/README.md); three (Austin = S-T-N) rarely collide.
*/
#define MIN_CLASSES 3
/*
** The same for a lowercase English word, which may be a loanword: common
** words meet Korean stems by chance more often than names do, so they need
** one class more.  Measured on ../shared/data/align (strict F1, ALL): 3
** .9634, 4 .9629, 5 .9616 (= no loanwords); at 3, "neighborhood"-like chance
** matches made examples/ merge an omitted sentence into its neighbour.
*/
#define MIN_LOAN_CLASSES 4
/* Longest skeleton kept, in classes; longer words are cut (still a key). */
#define MAX_CLASSES 15
/* Hangul stems longer than this many syllables are not names. */
#define MAX_NAME_SYLLABLES 6

static int lower(char c)
{
  return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

static int vowel(int c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

size_t ieum_names__skeleton(char *out, size_t cap, const char *w, size_t n, int english)
{
  char s[64];
  size_t m = 0, o = 0;
  for (size_t i = 0; i < n && m < sizeof s; i++) {
    int c = lower(w[i]);
    if (c >= 'a' && c <= 'z')
      s[m++] = (char)c;
  }
  size_t full = m; /* soft c and g still see a silent final e: "Lawrence" */
  if (english && m > 3 && s[m - 1] == 'e' && !vowel(s[m - 2]))
    m--; /* a silent final e: "Livermore" */
  char last = 0;
  for (size_t i = 0; i < m && o + 1 < cap; i++) {
    int c = s[i], next = i + 1 < m ? s[i + 1] : 0, soft = i + 1 < full ? s[i + 1] : 0;
    char cls = 0;
    if (english) {
      if (c == 'p' && next == 'h') {
        cls = 'P';
        i++;
      } else if (c == 't' && next == 'h') {
        cls = 'T';
        i++;
      } else if (c == 's' && next == 'h') {
        cls = 'S';
        i++;
      } else if (c == 'c' && next == 'k') {
        cls = 'K';
        i++;
      } else if (c == 'c' && next == 'h') {
        cls = 'J';
        i++;
      } else if (c == 'g' && next == 'h') {
        i++;
        continue; /* "Hugh", "Knight" */
      } else if (c == 'r' && !vowel(next)) {
        continue; /* "Livermore": 리버모어 has no r */
      } else if (c == 'c' && (soft == 'e' || soft == 'i' || soft == 'y')) {
        cls = 'S';
      } else if (c == 'g' && (soft == 'e' || soft == 'i')) {
        cls = 'J';
      } else if (c == 'x') {
        if (o + 2 < cap && last != 'K')
          out[o++] = 'K';
        cls = 'S';
      }
    } else if (c == 'c' && next == 'h') {
      cls = 'J';
      i++;
    }
    if (!cls) {
      switch (c) {
      case 'b': case 'p': case 'f': case 'v': cls = 'P'; break;
      case 'd': case 't': cls = 'T'; break;
      case 'g': case 'k': case 'c': case 'q': cls = 'K'; break;
      case 's': cls = 'S'; break;
      case 'j': case 'z': cls = 'J'; break;
      case 'l': case 'r': cls = 'L'; break;
      case 'm': cls = 'M'; break;
      case 'n': cls = 'N'; break;
      default: continue; /* vowels, h, w, y */
      }
    }
    if (cls == last)
      continue;
    out[o++] = cls;
    last = cls;
    if (o >= MAX_CLASSES)
      break;
  }
  out[o] = '\0';
  return o;
}

uint64_t ieum_names__key(const char *skel, size_t n)
{
  return ieum_keyset__hash('N', skel, n);
}

/* Adds the key of word w[0..n) when its skeleton has at least `min` classes. */
static int add_skeleton(ieum_keyset *ks, const char *w, size_t n, int english, size_t min)
{
  char sk[MAX_CLASSES + 1];
  size_t k = ieum_names__skeleton(sk, sizeof sk, w, n, english);
  return k >= min ? ieum_keyset__add(ks, ieum_names__key(sk, k)) : IEUM_OK;
}

/* ---- English ------------------------------------------------------------------ */

static int is_alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int keys_english(ieum_keyset *ks, const char *s, size_t n)
{
  for (size_t i = 0; i < n;) {
    if (!is_alpha(s[i])) {
      i++;
      continue;
    }
    size_t b = i, lowers = 0;
    while (i < n && (is_alpha(s[i]) || (s[i] == '-' && i + 1 < n && is_alpha(s[i + 1]) && i > b))) {
      lowers += s[i] >= 'a' && s[i] <= 'z';
      i++;
    }
    if (lowers == 0 || (b > 0 && (is_alpha(s[b - 1]) || (s[b - 1] >= '0' && s[b - 1] <= '9'))))
      continue; /* acronyms (anchor.c has them), the tail of a token */
    int capital = s[b] >= 'A' && s[b] <= 'Z';
    int rc = add_skeleton(ks, s + b, i - b, 1, capital ? MIN_CLASSES : MIN_LOAN_CLASSES);
    if (rc)
      return rc;
  }
  return IEUM_OK;
}

/* ---- Korean -------------------------------------------------------------------- */

typedef struct {
  ieum_buf stems;  /* the segment's stems, UTF-8, separated by spaces */
  ieum_buf latin;  /* their romanization */
} romanizer;

/*
** The romanization of Hangul jamo as ICU's "Hangul-Latin" transliterator
** writes it (Revised Romanization, letter for letter: a final consonant as
** its own letters, 종섭 = jongseob): initial consonants, vowels, final
** consonants in Unicode's order (a syllable is U+AC00 + (L*21 + V)*28 + T).
*/
static const char *const jamo_initial[19] = { "g", "kk", "n", "d", "tt", "l", "m", "b", "pp", "s",
                                              "ss", "", "j", "jj", "ch", "k", "t", "p", "h" };
static const char *const jamo_vowel[21] = { "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
                                            "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i" };
static const char *const jamo_final[28] = { "", "g", "kk", "gs", "n", "nj", "nh", "d", "l", "lg",
                                            "lm", "lb", "ls", "lt", "lp", "lh", "m", "b", "bs", "s",
                                            "ss", "ng", "j", "ch", "k", "t", "p", "h" };

/* Romanizes r->stems into r->latin, syllable by syllable.  IEUM_ENOMEM. */
static int romanize(romanizer *r)
{
  const char *s = r->stems.ptr;
  size_t n = r->stems.size;
  int rc = IEUM_OK;
  r->latin.size = 0;
  for (size_t i = 0; i < n && rc == 0;) {
    size_t b = i;
    int32_t cp = ieum__utf8_next(s, n, &i);
    if (!ieum_lexicon__hangul(cp)) {
      rc = ieum__buf_put(&r->latin, s + b, i - b);
      continue;
    }
    int32_t x = cp - 0xAC00;
    const char *parts[3] = { jamo_initial[x / (21 * 28)], jamo_vowel[(x / 28) % 21], jamo_final[x % 28] };
    for (int k = 0; k < 3 && rc == 0; k++)
      rc = ieum__buf_put(&r->latin, parts[k], strlen(parts[k]));
  }
  return rc;
}

/* Appends the stem of the Hangul word w[0..n) and, for three syllables, its last two, to r->stems. */
static int collect(romanizer *r, const char *w, size_t n)
{
  size_t stem = ieum_lexicon__ko_stem(w, n);
  size_t syl = stem / 3;
  int rc;
  if (syl < 2 || syl > MAX_NAME_SYLLABLES)
    return IEUM_OK;
  if ((rc = ieum__buf_put(&r->stems, w, stem)) != 0 || (rc = ieum__buf_putc(&r->stems, ' ')) != 0)
    return rc;
  if (syl == 3 && ((rc = ieum__buf_put(&r->stems, w + 3, 6)) != 0 || (rc = ieum__buf_putc(&r->stems, ' ')) != 0))
    return rc;
  return IEUM_OK;
}

static int keys_korean(ieum_keyset *ks, romanizer *r, const char *s, size_t n)
{
  int rc;
  r->stems.size = 0;
  for (size_t i = 0; i < n;) {
    size_t b = i;
    if (!ieum_lexicon__hangul(ieum__utf8_next(s, n, &i)))
      continue;
    size_t e = i;
    while (e < n) {
      size_t x = e;
      if (!ieum_lexicon__hangul(ieum__utf8_next(s, n, &x)))
        break;
      e = x;
    }
    if ((rc = collect(r, s + b, e - b)) != 0)
      return rc;
    i = e;
  }
  if ((rc = romanize(r)) != 0)
    return rc;
  const char *l = r->latin.ptr;
  for (size_t i = 0; i < r->latin.size;) {
    while (i < r->latin.size && l[i] == ' ')
      i++;
    size_t b = i;
    while (i < r->latin.size && l[i] != ' ')
      i++;
    if (i > b && (rc = add_skeleton(ks, l + b, i - b, 0, MIN_CLASSES)) != 0)
      return rc;
  }
  return IEUM_OK;
}

int ieum_names__keys(ieum_keyset *out, const ieum_doc *doc, int korean)
{
  romanizer r = { 0 };
  int rc = ieum_keyset__begin(out, doc->n);
  if (rc)
    return rc;
  for (size_t k = 0; k < doc->n && rc == 0; k++) {
    const ieum_segment *sg = &doc->segs[k];
    rc = korean ? keys_korean(out, &r, sg->text, sg->len) : keys_english(out, sg->text, sg->len);
    ieum_keyset__end_segment(out, k);
  }
  ieum_buf_dispose(&r.stems);
  ieum_buf_dispose(&r.latin);
  if (rc)
    ieum_keyset__dispose(out);
  return rc;
}
