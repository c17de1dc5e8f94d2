/*
** align/names.c: proper names matched across Hangul and Latin spellings.
**
** Korean side: each Hangul word loses a final particle (lexicon.c's list:
** "오스틴은" -> 오스틴); each stem is romanized jamo by jamo as ICU's
** "Hangul-Latin" transliterator writes it (a table of 19 initial, 21 vowel
** and 27 final letters: the transliterator cost 40% of the aligner's time
** for the same letters) and becomes a consonant skeleton, read straight
** from each jamo's classes (computed once per document from the table),
** with no romanized text written.
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

/* Most classes one jamo's letters give (a final "lg": L K). */
#define JAMO_CLASSES 3

/*
** Each jamo's romanized letters as consonant classes (ieum_names__skeleton()
** of the letters alone), filled per document from the tables above.  The
** skeleton of a romanized word is then the concatenation of its jamo's
** classes with repeats collapsed: without the English rules the only
** letter pair the skeleton reads together is "ch", and "c" is never the
** last letter of a jamo, so no rule spans two jamo.
*/
typedef struct {
  char initial[19][JAMO_CLASSES + 1];
  char vowel[21][JAMO_CLASSES + 1];
  char final[28][JAMO_CLASSES + 1];
  ieum_particles parts; /* for stems */
} romanizer;

static void romanizer_init(romanizer *r)
{
  for (int k = 0; k < 19; k++)
    ieum_names__skeleton(r->initial[k], sizeof r->initial[k], jamo_initial[k], strlen(jamo_initial[k]), 0);
  for (int k = 0; k < 21; k++)
    ieum_names__skeleton(r->vowel[k], sizeof r->vowel[k], jamo_vowel[k], strlen(jamo_vowel[k]), 0);
  for (int k = 0; k < 28; k++)
    ieum_names__skeleton(r->final[k], sizeof r->final[k], jamo_final[k], strlen(jamo_final[k]), 0);
  ieum_particles__init(&r->parts);
}

/* Appends classes c to the skeleton out[0..*o), repeats collapsed; 0 once it holds MAX_CLASSES. */
static int append_classes(char *out, size_t *o, const char *c)
{
  for (; *c; c++) {
    if (*o > 0 && out[*o - 1] == *c)
      continue;
    out[(*o)++] = *c;
    if (*o >= MAX_CLASSES)
      return 0;
  }
  return 1;
}

/* Adds the key of the romanized Hangul syllables w[0..3*syl) when its skeleton has MIN_CLASSES classes. */
static int add_hangul(ieum_keyset *ks, const romanizer *r, const char *w, size_t syl)
{
  char sk[MAX_CLASSES + 1];
  size_t o = 0;
  for (size_t k = 0; k < syl; k++) {
    int32_t x = ieum_lexicon__syllable_at(w + 3 * k);
    if (!append_classes(sk, &o, r->initial[x / (21 * 28)]) || !append_classes(sk, &o, r->vowel[(x / 28) % 21]) ||
        !append_classes(sk, &o, r->final[x % 28]))
      break;
  }
  return o >= MIN_CLASSES ? ieum_keyset__add(ks, ieum_names__key(sk, o)) : IEUM_OK;
}

/* Adds the key of the stem of the Hangul word w[0..n) and, for three syllables, of its last two. */
static int collect(ieum_keyset *ks, const romanizer *r, const char *w, size_t n)
{
  size_t stem = ieum_lexicon__ko_stem_fast(&r->parts, w, n);
  size_t syl = stem / 3;
  int rc;
  if (syl < 2 || syl > MAX_NAME_SYLLABLES)
    return IEUM_OK;
  if ((rc = add_hangul(ks, r, w, syl)) != 0)
    return rc;
  if (syl == 3)
    return add_hangul(ks, r, w + 3, 2);
  return IEUM_OK;
}

/* Is a Hangul syllable at s[i] (of valid UTF-8 s[0..n)). */
static int hangul_at(const char *s, size_t n, size_t i)
{
  return i + 3 <= n && ieum_lexicon__syllable_at(s + i) >= 0;
}

static int keys_korean(ieum_keyset *ks, const romanizer *r, const char *s, size_t n)
{
  for (size_t i = 0; i < n;) {
    if (!hangul_at(s, n, i)) {
      i++; /* a byte at a time: a syllable starts at no continuation byte */
      continue;
    }
    size_t b = i, e = i + 3;
    while (hangul_at(s, n, e))
      e += 3;
    int rc = collect(ks, r, s + b, e - b);
    if (rc)
      return rc;
    i = e;
  }
  return IEUM_OK;
}

int ieum_names__keys(ieum_keyset *out, const ieum_doc *doc, int korean)
{
  romanizer r;
  int rc = ieum_keyset__begin(out, doc->n);
  if (rc)
    return rc;
  if (korean)
    romanizer_init(&r);
  for (size_t k = 0; k < doc->n && rc == 0; k++) {
    const ieum_segment *sg = &doc->segs[k];
    rc = korean ? keys_korean(out, &r, sg->text, sg->len) : keys_english(out, sg->text, sg->len);
    ieum_keyset__end_segment(out, k);
  }
  if (rc)
    ieum_keyset__dispose(out);
  return rc;
}
