/*
** tm/search.c: fuzzy search and concordance over a TM (ieum_tm_search(),
** ieum_tm_similarity(), ieum_tm_concordance() of include/ieum/tm.h).
**
** Fuzzy search answers "what did we say for a sentence like this one?".
** Candidates come from the FTS5 trigram index of the sources,
** units_src_fts (schema.c), never from a scan of units.  The query's
** distinct trigrams (white space folded; at most MAX_TERMS, spread over
** it) are weighed by how many units hold them (a probe capped at DF_CAP;
** the counts of common ones are kept for all the TM's handles in the
** process, df_cache.c); the rarest are read whole, up to READ_BUDGET ids
** in all (a term probed in this search is read from the ids its probe
** kept), and when few fit (a big TM of similar text, where every trigram
** is common) pairs of the rarest common ones are ANDed by the index.  Every unit read adds its trigram's idf to its weight, and the
** CANDIDATES heaviest get scored, plus every unit still waiting for the
** index (units_unindexed: normally none).  No rank function and no
** positions are needed, so the index keeps doclists only (detail=none).
** The score is a CAT-style match percentage (ieum_tm_similarity()): a
** Levenshtein distance over code points of both texts normalized the same
** way (NFKC_Casefold: NFC plus case and width folding; runs of white space
** become one space; punctuation is compared apart), minus fixed penalties
** when numbers or punctuation differ; 100 only for a byte-identical source.
** A candidate whose length alone puts it below the threshold is dropped
** before the distance.  The distance is bit-parallel (Myers/Hyyro: 64
** query positions a machine word), and a text made only of code points
** NFKC_Casefold leaves alone or maps one to one (ASCII, Hangul syllables,
** most punctuation) gets its forms without ICU's UTF-16 copy and
** normalization; tests/unit/tm_score.c holds both to the plain definitions.
** The matches at or above the threshold are sorted by score (then newest
** first) and the best are handed to the caller with their unit.  A
** version-2 TM opened read-only is searched the same way through its
** units_fts ({src} column).
** A query of fewer than 3 characters (no trigram), or of fewer than 3
** once spaces and punctuation are left out ("다리?"), is scored against the
** units whose sources are short enough to reach the threshold, found
** through the index on the sources' lengths (SHORT_SLACK).
** Concordance finds every unit whose source or target contains all given
** words (substrings, ASCII case folded, as SQL LIKE): the longest word of 3
** or more characters picks rows through both indexes (its trigrams ANDed)
** plus the waiting units, and LIKE checks every word on them; when every
** word is shorter, LIKE runs on all units (a trigram index cannot see 1-
** and 2-character strings).
** Cost: MAX_TERMS capped probes (most cached), at most READ_BUDGET ids
** read plus 15 pair intersections, and CANDIDATES distance computations of
** O(n*ceil(m/64)) on ~100-character texts: a few milliseconds at a million units.
** The exhaustive mode (benchmarks and tests) scores every unit instead.
** Assumes: TM text is NFC UTF-8 (the store guarantees it).
** Not here: the index itself, its triggers and flushes (schema.c); writes (store.c).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "pg/pg_int.h"
#include "tm_int.h"

/*
** Query trigrams looked at, at most (spread evenly over a long query).  A
** trigram's document frequency costs one capped probe the first time the
** process sees it (then it is cached); 32 trigrams cover a 100-character
** sentence every third character, more than the candidates need.
*/
#define MAX_TERMS 32

/*
** Probes count a trigram's units up to this many; a trigram in more units
** is "common" and only ever used in pairs (below).  4096 keeps a probe
** under a millisecond even the first time.
*/
#define DF_CAP 4096

/*
** Units' ids read from single trigrams, in total: the rarest trigrams are
** read until the next one would pass this budget.  Reading an id costs
** ~0.1 microsecond; 8000 bound the reading to about a millisecond.
*/
#define READ_BUDGET 4000

/*
** The rarest trigrams may all sit in one part of the query (a rare phrase),
** and in a big TM of similar sentences every trigram is common.  So the
** query is also cut into PAIR_TERMS stretches, the rarest trigram of each
** not read above is taken, and every pair of them is ANDed by the index
** (FTS5 intersects their doclists in C), each pair read up to PAIR_CAP
** ids: a unit holding two trigrams from far apart in the query is a far
** better candidate than one holding either (a sentence that shares only
** its end with the query shares many trigrams, all near each other).  6
** terms make 15 pairs: most survive a few edited words.
*/
#define PAIR_TERMS 6
#define PAIR_CAP 1000

/*
** Units scored exactly, the best by summed trigram rarity (idf).  Scoring
** one costs about 10 microseconds; 100 keep scoring near a millisecond
** while leaving room for the n best among near-duplicates.
*/
#define CANDIDATES 100

/*
** Frequencies below this are not cached: probing them again costs little,
** and units moving into the index (a flush) change them the most.
*/
#define DF_CACHE_MIN 256


/*
** Bytes of the TM a searching connection maps into memory (PRAGMA
** mmap_size): doclist and unit pages are then read in place instead of
** copied by a system call each (a search touches a few hundred pages).
** 1 GiB covers the index and units of a TM of about two million units;
** the pages are the OS's file cache, shared, not memory of ours.
*/
#define SEARCH_MMAP_BYTES 1073741824

/*
** A search text of fewer than 3 characters has no trigram: its candidates
** are the units whose source is short enough to reach the threshold (a
** unit of m characters against a query of n scores at most 100 * n / m),
** read through the index on length(src) (schema.c), shortest first.  The
** bound is on the stored length, which counts the punctuation and spaces
** the score leaves out: SHORT_SLACK more characters cover those of a short
** entry ("다리.", a quoted word).  At most SHORT_SCAN units are read (a
** threshold of 0 sets no bound): about 20 ms of scoring.
*/
#define SHORT_SLACK 4
#define SHORT_SCAN 10000

/*
** The id -> weight map of one search: its hash table has MAP_MIN_SLOTS
** slots at the start of a search and doubles when half full, up to
** MAP_SLOTS (powers of two); it holds at most MAP_SLOTS / 2 ids, more than
** a search reads (READ_BUDGET + 15 * PAIR_CAP).  A search typically reads
** a few thousand ids: a small table stays in the CPU's cache, where a table
** of the largest size missed it at nearly every id (a tenth of the
** server's cycles, with a table per thread).
*/
#define MAP_MIN_SLOTS 8192
#define MAP_SLOTS 65536

/* Points taken off when the numbers of the two texts differ (in value or order). */
#define NUMBER_PENALTY 5

/* Points taken off when the punctuation of the two texts differs. */
#define PUNCT_PENALTY 2

/* Longest text scored, in code points; longer ones are cut (a TM unit is a sentence). */
#define MAX_SCORED_CHARS 4096

/* Marks the boundary between two numbers in norm.num. */
#define NUMBER_BREAK 0xFFFFFFFFu

/* A text prepared for scoring. */
typedef struct {
  uint32_t *cp;    /* letters, digits, symbols and single spaces, folded */
  size_t n;
  uint32_t *num;   /* digits of each number, numbers separated by NUMBER_BREAK */
  size_t nn;
  uint32_t *punct; /* punctuation, in order */
  size_t np;
  size_t cap;      /* room in each of the three arrays */
  uint16_t *u16;   /* scratch: the normalized UTF-16 text */
  int32_t u16_cap;
  int peq_ready;   /* the scorer's pattern masks are of this text (the query); norm_set() clears it */
} norm;

/*
** The query as the pattern of the bit-parallel distance (distance()): for
** each distinct code point of it, one mask per block of 64 query positions
** with bit i set where the query holds that code point.  Masks of entry 0
** are all zero (a code point the query lacks); `slot` maps a code point to
** its entry through open addressing on `key` (PEQ_EMPTY: a free slot).
*/
typedef struct {
  uint64_t *mask;    /* (distinct + 1) * blocks words */
  size_t mask_cap;
  uint32_t *key;     /* hash_slots code points */
  uint32_t *entry;   /* hash_slots entries of mask */
  size_t hash_slots; /* a power of two, over twice the distinct code points */
  size_t hash_cap;
  size_t blocks;     /* 64-position blocks of the query */
  uint64_t *pv, *mv; /* scratch: the vertical deltas, a word per block */
  size_t pv_cap;
} peq;

/* Marks a free slot of peq.key: no code point (scored texts hold code points <= 0x10FFFF). */
#define PEQ_EMPTY 0xFFFFFFFFu

/* Scratch memory of one search: the query's and a candidate's forms, the query's masks. */
typedef struct {
  norm q, c;
  peq p;
} scorer;

static void norm_dispose(norm *x)
{
  ieum__free(x->cp);
  ieum__free(x->num);
  ieum__free(x->punct);
  ieum__free(x->u16);
  memset(x, 0, sizeof *x);
}

static void scorer_dispose(scorer *s)
{
  norm_dispose(&s->q);
  norm_dispose(&s->c);
  ieum__free(s->p.mask);
  ieum__free(s->p.key);
  ieum__free(s->p.entry);
  ieum__free(s->p.pv);
  ieum__free(s->p.mv);
  memset(&s->p, 0, sizeof s->p);
}

static int norm_reserve(norm *x, size_t n)
{
  if (n <= x->cap)
    return IEUM_OK;
  uint32_t *a = ieum__reallocarray(x->cp, n, sizeof *a);
  if (!a)
    return ieum__error_oom();
  x->cp = a;
  if (!(a = ieum__reallocarray(x->num, n, sizeof *a)))
    return ieum__error_oom();
  x->num = a;
  if (!(a = ieum__reallocarray(x->punct, n, sizeof *a)))
    return ieum__error_oom();
  x->punct = a;
  x->cap = n;
  return IEUM_OK;
}

/* The Hangul syllables U+AC00..U+D7A3: letters (Lo), each its own NFKC_Casefold form. */
#define HANGUL_FIRST 0xAC00
#define HANGUL_LAST 0xD7A3

/* Classes of a code point for norm_put(). */
enum { CP_OTHER, CP_SPACE, CP_PUNCT, CP_DIGIT };

/*
** The class of code point c: white space (ICU u_isUWhiteSpace()),
** punctuation (general category P*), a digit (u_isdigit()), or else.
** ASCII and the Hangul syllables answer from the tables of Unicode, as
** ICU's own answers (tests/unit/tm_score.c checks every one); the rest ask
** ICU.
*/
static int cp_class(UChar32 c)
{
  if (c < 0x80) {
    if (c == ' ' || (c >= 0x09 && c <= 0x0D))
      return CP_SPACE;
    if (c >= '0' && c <= '9')
      return CP_DIGIT;
    /* ASCII punctuation (P*): !"#%&'()*,-./:;?@[\]_{} ; $+<=>^`|~ are symbols (S*). */
    if ((c >= '!' && c <= '/' && c != '$' && c != '+') || c == ':' || c == ';' || c == '?' || c == '@' ||
        (c >= '[' && c <= ']') || c == '_' || c == '{' || c == '}')
      return CP_PUNCT;
    return CP_OTHER;
  }
  if (c >= HANGUL_FIRST && c <= HANGUL_LAST)
    return CP_OTHER;
  if (u_isUWhiteSpace(c))
    return CP_SPACE;
  if (U_GET_GC_MASK(c) & U_GC_P_MASK)
    return CP_PUNCT;
  return u_isdigit(c) ? CP_DIGIT : CP_OTHER;
}

/*
** Adds normalized code point c to `x`: spaces fold into one between
** letters, punctuation goes apart, digits also form the numbers.  `x` has
** room for two more entries in each array; *space and *digit carry the
** state from the previous code point (both 0 at the start).
*/
static void norm_put(norm *x, UChar32 c, int *space, int *digit)
{
  int k = cp_class(c);
  switch (k) {
  case CP_SPACE:
    *space = 1;
    *digit = 0;
    return;
  case CP_PUNCT:
    x->punct[x->np++] = (uint32_t)c;
    *digit = 0;
    return;
  default:
    break;
  }
  if (*space && x->n > 0)
    x->cp[x->n++] = ' ';
  *space = 0;
  x->cp[x->n++] = (uint32_t)c;
  if (k == CP_DIGIT) {
    if (!*digit && x->nn > 0)
      x->num[x->nn++] = NUMBER_BREAK;
    x->num[x->nn++] = (uint32_t)c;
    *digit = 1;
  } else {
    *digit = 0;
  }
}

/*
** Whether NFKC_Casefold leaves code point c (not ASCII, not a Hangul
** syllable) alone whatever surrounds it: it always has a normalization
** boundary before it, and alone it is already normalized.
*/
static int keeps_alone(const UNormalizer2 *nfkc, UChar32 c)
{
  UChar b[2];
  int32_t k = 0;
  UBool bad = 0;
  UErrorCode st = U_ZERO_ERROR;
  U16_APPEND(b, k, 2, c, bad);
  if (bad || !unorm2_hasBoundaryBefore(nfkc, c))
    return 0;
  return unorm2_quickCheck(nfkc, b, k, &st) == UNORM_YES && U_SUCCESS(st);
}

/*
** norm_set() without ICU's conversion and normalization, for a text whose
** every code point has a normalization boundary before it: NFKC_Casefold
** of such a text is each code point's own form, one after the other (ICU's
** definition of the boundary).  ASCII's forms are themselves but for A-Z
** (a-z); a Hangul syllable's is itself; any other code point is taken only
** when keeps_alone().  Returns 1 when `x` is filled, 0 when the text needs
** ICU (another code point, ill-formed UTF-8, or longer than
** MAX_SCORED_CHARS), or an error.  Most TM text (Korean, English, digits,
** ASCII punctuation, curly quotes) takes this path: the same forms, found
** without a UTF-16 copy (tests/unit/tm_score.c compares both paths).
*/
static int norm_set_plain(norm *x, const UNormalizer2 *nfkc, const char *s, size_t len)
{
  const uint8_t *u = (const uint8_t *)s;
  int space = 0, digit = 0, rc;
  size_t units = 0;
  if (len > MAX_SCORED_CHARS * (size_t)4)
    return 0;
  /* A number's digits plus a break each: at most twice the code points, no more than the bytes. */
  if ((rc = norm_reserve(x, 2 * len + 2)) != 0)
    return rc;
  x->n = x->nn = x->np = 0;
  for (size_t i = 0; i < len;) {
    UChar32 c = u[i];
    if (c < 0x80) {
      i++;
      if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    } else {
      U8_NEXT(u, i, len, c);
      if (c < 0 || (!(c >= HANGUL_FIRST && c <= HANGUL_LAST) && !keeps_alone(nfkc, c)))
        return 0;
    }
    units += U16_LENGTH(c);
    if (units > MAX_SCORED_CHARS)
      return 0; /* ICU's path cuts it where norm_set() does */
    norm_put(x, c, &space, &digit);
  }
  return 1;
}

/*
** Fills `x` from UTF-8 `s[0..len)`: NFKC_Casefold, white space folded,
** numbers and punctuation apart; through norm_set_plain() unless
** `icu_only`, *plain (unless NULL) set when that path made it.
*/
static int norm_set_with(norm *x, const char *s, size_t len, int icu_only, int *plain)
{
  UErrorCode st = U_ZERO_ERROR;
  uint16_t *src16 = NULL;
  int32_t n16 = 0, nn16;
  int rc;
  x->n = x->nn = x->np = 0;
  x->peq_ready = 0;
  const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);
  if (U_FAILURE(st))
    return ieum__error_set(IEUM_ERROR, "ICU unorm2_getNFKCCasefoldInstance(): %s", u_errorName(st));
  if (plain)
    *plain = 0;
  if (!icu_only && (rc = norm_set_plain(x, nfkc, s, len)) != 0) {
    if (plain && rc > 0)
      *plain = 1;
    return rc < 0 ? rc : IEUM_OK;
  }
  x->n = x->nn = x->np = 0;
  if ((rc = ieum__icu_to_u16(&src16, &n16, s, len)) != 0)
    return rc;
  if (n16 > MAX_SCORED_CHARS)
    n16 = MAX_SCORED_CHARS;
  if (n16 > 0 && U16_IS_LEAD(src16[n16 - 1]))
    n16--; /* never cut a surrogate pair in two */
  for (int attempt = 0;; attempt++) {
    st = U_ZERO_ERROR;
    nn16 = unorm2_normalize(nfkc, (const UChar *)src16, n16, (UChar *)x->u16, x->u16_cap, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR || attempt > 0)
      break;
    uint16_t *b = ieum__reallocarray(x->u16, (size_t)nn16 + 1, sizeof *b);
    if (!b) {
      rc = ieum__error_oom();
      goto done;
    }
    x->u16 = b;
    x->u16_cap = nn16 + 1;
  }
  if (U_FAILURE(st)) {
    rc = ieum__error_set(IEUM_ERROR, "ICU unorm2_normalize(): %s", u_errorName(st));
    goto done;
  }
  /* A number's digits plus a break each: at most twice the code points. */
  if ((rc = norm_reserve(x, 2 * (size_t)nn16 + 2)) != 0)
    goto done;
  int space = 0, digit = 0;
  for (int32_t i = 0; i < nn16;) {
    UChar32 c;
    U16_NEXT(x->u16, i, nn16, c);
    norm_put(x, c, &space, &digit);
  }
done:
  ieum__free(src16);
  return rc;
}

static int norm_set(norm *x, const char *s, size_t len)
{
  return norm_set_with(x, s, len, 0, NULL);
}

static int put_forms(ieum_buf *out, const char *name, const uint32_t *v, size_t n)
{
  int rc = ieum__buf_puts(out, name);
  for (size_t i = 0; rc == 0 && i < n; i++)
    rc = ieum__buf_printf(out, " %X", (unsigned)v[i]);
  return rc;
}

int ieum_tm__score_forms(ieum_buf *out, int *plain, const char *s, size_t len, int icu_only)
{
  norm x;
  int rc;
  memset(&x, 0, sizeof x);
  if ((rc = norm_set_with(&x, s, len, icu_only, plain)) == 0 && (rc = put_forms(out, "cp:", x.cp, x.n)) == 0 &&
      (rc = put_forms(out, " num:", x.num, x.nn)) == 0)
    rc = put_forms(out, " punct:", x.punct, x.np);
  norm_dispose(&x);
  return rc;
}

static int same(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
  return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

static size_t peq_hash(uint32_t c, size_t slots)
{
  return (size_t)((c * 0x9E3779B1u) >> 8) & (slots - 1);
}

/* Makes s->p the pattern of text a (s->q): its masks per distinct code point. */
static int peq_build(scorer *s, norm *a)
{
  peq *p = &s->p;
  size_t blocks = (a->n + 63) / 64, slots = 16, distinct = 0;
  while (slots < 2 * a->n + 2)
    slots *= 2;
  if (slots > p->hash_cap) {
    uint32_t *k = ieum__reallocarray(p->key, slots, sizeof *k);
    if (!k)
      return ieum__error_oom();
    p->key = k;
    if (!(k = ieum__reallocarray(p->entry, slots, sizeof *k)))
      return ieum__error_oom();
    p->entry = k;
    p->hash_cap = slots;
  }
  /* At most a->n distinct code points, plus the empty entry 0. */
  size_t words = (a->n + 1) * (blocks ? blocks : 1);
  if (words > p->mask_cap) {
    uint64_t *m = ieum__reallocarray(p->mask, words, sizeof *m);
    if (!m)
      return ieum__error_oom();
    p->mask = m;
    p->mask_cap = words;
  }
  if (blocks > p->pv_cap) {
    uint64_t *v = ieum__reallocarray(p->pv, blocks, sizeof *v);
    if (!v)
      return ieum__error_oom();
    p->pv = v;
    if (!(v = ieum__reallocarray(p->mv, blocks, sizeof *v)))
      return ieum__error_oom();
    p->mv = v;
    p->pv_cap = blocks;
  }
  p->hash_slots = slots;
  p->blocks = blocks;
  memset(p->key, 0xFF, slots * sizeof *p->key);
  memset(p->mask, 0, blocks * sizeof *p->mask);
  for (size_t i = 0; i < a->n; i++) {
    uint32_t c = a->cp[i];
    size_t h = peq_hash(c, slots);
    while (p->key[h] != PEQ_EMPTY && p->key[h] != c)
      h = (h + 1) & (slots - 1);
    if (p->key[h] == PEQ_EMPTY) {
      p->key[h] = c;
      p->entry[h] = (uint32_t)++distinct;
      memset(p->mask + distinct * blocks, 0, blocks * sizeof *p->mask);
    }
    p->mask[p->entry[h] * blocks + i / 64] |= (uint64_t)1 << (i % 64);
  }
  a->peq_ready = 1;
  return IEUM_OK;
}

/* The masks of code point c in pattern p (all zero when the pattern lacks it). */
static const uint64_t *peq_of(const peq *p, uint32_t c)
{
  size_t h = peq_hash(c, p->hash_slots);
  for (;; h = (h + 1) & (p->hash_slots - 1)) {
    if (p->key[h] == c)
      return p->mask + p->entry[h] * p->blocks;
    if (p->key[h] == PEQ_EMPTY)
      return p->mask;
  }
}

static int popcount64(uint64_t x)
{
  return __builtin_popcountll(x);
}

/*
** Levenshtein distance of the prepared query a (s->q) and text b, by the
** bit-parallel algorithm of Myers (1999) in the blocked form of Hyyro
** (2003): the DP matrix's columns (one per code point of b) are kept as
** their vertical deltas, +1 (pv) or -1 (mv) per query position, 64
** positions a word, and each column follows from the last in a few word
** operations per block, the horizontal delta carried from block to block.
** Exact, as the cell-by-cell DP: D[na][nb] = nb + the sum of the deltas of
** the last column.  Cost O(ceil(na/64) * nb) words instead of na * nb cells.
*/
static int distance(size_t *out, scorer *s, norm *a, const uint32_t *b, size_t nb)
{
  int rc;
  if (a->n == 0) {
    *out = nb;
    return IEUM_OK;
  }
  if (!a->peq_ready && (rc = peq_build(s, a)) != 0)
    return rc;
  const peq *p = &s->p;
  size_t blocks = p->blocks;
  uint64_t *pv = p->pv, *mv = p->mv;
  for (size_t k = 0; k < blocks; k++) {
    pv[k] = ~(uint64_t)0; /* D[i][0] = i: every vertical delta +1 */
    mv[k] = 0;
  }
  for (size_t j = 0; j < nb; j++) {
    const uint64_t *eqs = peq_of(p, b[j]);
    uint64_t hp = 1, hm = 0; /* D[0][j] = j: the delta into the first block's top is +1 */
    for (size_t k = 0; k < blocks; k++) {
      uint64_t eq = eqs[k], v_p = pv[k], v_m = mv[k];
      uint64_t xv = eq | v_m;
      eq |= hm;
      uint64_t xh = (((eq & v_p) + v_p) ^ v_p) | eq;
      uint64_t h_p = v_m | ~(xh | v_p);
      uint64_t h_m = v_p & xh;
      uint64_t out_p = h_p >> 63, out_m = h_m >> 63;
      h_p = (h_p << 1) | hp;
      h_m = (h_m << 1) | hm;
      pv[k] = h_m | ~(xv | h_p);
      mv[k] = h_p & xv;
      hp = out_p;
      hm = out_m;
    }
  }
  /* Rows past the query in the last block never reach those above (carries run upward): mask them off. */
  int64_t d = (int64_t)nb;
  for (size_t k = 0; k < blocks; k++) {
    uint64_t m = ~(uint64_t)0;
    if (k == blocks - 1 && a->n % 64)
      m = ((uint64_t)1 << (a->n % 64)) - 1;
    d += popcount64(pv[k] & m) - popcount64(mv[k] & m);
  }
  *out = (size_t)d;
  return IEUM_OK;
}

/*
** Match percentage of the prepared query s->q and candidate s->c (raw texts
** given for the identity test); -1 when it is surely below `min`.
*/
static int score_prepared(int *out, scorer *s, const char *q, size_t q_len, const char *c, size_t c_len, int min)
{
  norm *a = &s->q;
  const norm *b = &s->c;
  size_t longest = a->n > b->n ? a->n : b->n, d = 0;
  int rc, score;
  *out = -1;
  if (longest == 0) {
    score = 100;
  } else {
    /* The distance that would bring the base score below `min`, penalties aside. */
    size_t limit = min <= 0 ? longest : (size_t)floor(longest * (100 - min) / 100.0);
    size_t diff = a->n > b->n ? a->n - b->n : b->n - a->n;
    if (diff > limit)
      return IEUM_OK;
    if ((rc = distance(&d, s, a, b->cp, b->n)) != 0)
      return rc;
    if (d > limit)
      return IEUM_OK;
    score = (int)floor(100.0 * (double)(longest - d) / (double)longest);
  }
  if (!same(a->num, a->nn, b->num, b->nn))
    score -= NUMBER_PENALTY;
  if (!same(a->punct, a->np, b->punct, b->np))
    score -= PUNCT_PENALTY;
  if (!(q_len == c_len && memcmp(q, c, q_len) == 0) && score > 99)
    score = 99; /* differs only in case, width or spacing: not an exact match */
  if (score < 0)
    score = 0;
  *out = score;
  return IEUM_OK;
}

int ieum_tm_similarity(int *out, const char *a, size_t a_len, const char *b, size_t b_len)
{
  scorer s;
  int rc;
  memset(&s, 0, sizeof s);
  *out = 0;
  if ((!a && a_len) || (!b && b_len))
    return ieum__error_set(IEUM_EINVAL, "a text to compare has a length but no bytes");
  if ((rc = norm_set(&s.q, a ? a : "", a_len)) == 0 && (rc = norm_set(&s.c, b ? b : "", b_len)) == 0)
    rc = score_prepared(out, &s, a ? a : "", a_len, b ? b : "", b_len, 0);
  scorer_dispose(&s);
  return rc;
}

static int prepare(sqlite3_stmt **out, ieum_tm *tm, const char *sql);

/* ---- candidates from the index ----------------------------------------------- */

/* An entry of the id -> weight map. */
typedef struct {
  int64_t id;
  double weight;
} map_slot;

struct ieum_tm_search_state {
  sqlite3_stmt *ids;     /* ids of the units of a term expression, up to a cap */
  sqlite3_stmt *unit;    /* source and creation time of one unit */
  sqlite3_stmt *waiting; /* units not yet in the index */
  sqlite3_stmt *max_id;  /* the largest unit id: the TM's size */
  sqlite3_stmt *match;   /* a matching unit, whole (sql_unit); NULL until first used */
  ieum_tm__df_cache *dfc; /* frequencies counted, shared with the TM's other handles (df_cache.c) */
  map_slot *map;         /* the entries, MAP_SLOTS / 2, in the order they were added */
  size_t n_used;
  uint32_t *slot;        /* the hash table: 0 free, else 1 + an index into map (MAP_SLOTS) */
  size_t n_slots;        /* slots of it in use this search, a power of two */
  int shift;             /* 64 - log2(n_slots) */
  int64_t *held;         /* ids of the terms probed in this search that a read may want (term.held) */
  size_t n_held, held_cap;
};

void ieum_tm__search_dispose(ieum_tm *tm)
{
  struct ieum_tm_search_state *s = tm->search;
  if (!s)
    return;
  sqlite3_finalize(s->ids);
  sqlite3_finalize(s->unit);
  sqlite3_finalize(s->waiting);
  sqlite3_finalize(s->max_id);
  sqlite3_finalize(s->match);
  ieum_tm__df_cache_close(s->dfc);
  ieum__free(s->map);
  ieum__free(s->slot);
  ieum__free(s->held);
  ieum__free(s);
  tm->search = NULL;
}

/* The index's table and how a term is put to it, by schema version. */
static const char *fts_table(const ieum_tm *tm)
{
  return tm->index_version >= 3 ? "units_src_fts" : "units_fts";
}

/* The search state of `tm`, made and its statements prepared on first use. */
static int state(struct ieum_tm_search_state **out, ieum_tm *tm)
{
  char sql[256];
  int rc;
  *out = tm->search;
  if (tm->search)
    return IEUM_OK;
  if (tm->index_version < 2)
    return ieum__error_set(IEUM_EDB, "%s: the TM has no search index (an older schema); opening it for writing "
                           "once adds it", tm->path);
  struct ieum_tm_search_state *s = ieum__calloc(1, sizeof *s);
  if (!s)
    return ieum__error_oom();
  tm->search = s;
  snprintf(sql, sizeof sql, "PRAGMA mmap_size=%lld", (long long)SEARCH_MMAP_BYTES);
  sqlite3_exec(tm->db, sql, NULL, NULL, NULL); /* a speed-up only: without it, pages are read as before */
  if ((rc = ieum_tm__df_cache_open(&s->dfc, tm)) != 0)
    goto done;
  if (!(s->map = ieum__calloc(MAP_SLOTS / 2, sizeof *s->map)) ||
      !(s->slot = ieum__calloc(MAP_SLOTS, sizeof *s->slot))) {
    rc = ieum__error_oom();
    goto done;
  }
  snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE %s MATCH ?1 LIMIT ?2", fts_table(tm), fts_table(tm));
  if ((rc = prepare(&s->ids, tm, sql)) != 0 ||
      (rc = prepare(&s->unit, tm, "SELECT src, created FROM units WHERE id = ?1")) != 0 ||
      (rc = prepare(&s->max_id, tm, "SELECT COALESCE(MAX(id), 0) FROM units")) != 0)
    goto done;
  if (tm->index_version >= 3)
    rc = prepare(&s->waiting, tm,
                 "SELECT u.id, u.src, u.created FROM units_unindexed AS w JOIN units AS u ON u.id = w.id");
done:
  if (rc)
    ieum_tm__search_dispose(tm);
  else
    *out = s;
  return rc;
}

/* Appends s[0..len) as an FTS5 string: in double quotes, quotes doubled. */
static int put_phrase(ieum_buf *q, const char *s, size_t len)
{
  int rc = ieum__buf_putc(q, '"');
  for (size_t i = 0; rc == 0 && i < len; i++)
    rc = s[i] == '"' ? ieum__buf_put(q, "\"\"", 2) : ieum__buf_putc(q, s[i]);
  return rc ? rc : ieum__buf_putc(q, '"');
}

/* A query trigram: its bytes in the folded query, where it starts, its frequency. */
typedef struct {
  size_t off, len;
  size_t pos;      /* character index in the query */
  uint64_t key;    /* FNV-1a of the bytes; never 0 */
  int digit;       /* holds a digit: numbers are what an edit changes most */
  int32_t df;      /* units holding it, capped at DF_CAP */
  int read;        /* its ids were read */
  int held;        /* its probe kept all its ids (df <= READ_BUDGET): state.held[held_at..+df) */
  size_t held_at;
} term;

uint64_t ieum_tm__term_key(const char *s, size_t len)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h ? h : 1;
}

static int term_by_key(const void *pa, const void *pb)
{
  const term *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Rarest first; among equals, the earlier in the query. */
static int term_by_df(const void *pa, const void *pb)
{
  const term *a = pa, *b = pb;
  if (a->df != b->df)
    return a->df < b->df ? -1 : 1;
  return (a->pos > b->pos) - (a->pos < b->pos);
}

static size_t map_home(const struct ieum_tm_search_state *s, int64_t id)
{
  return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> s->shift);
}

/* Doubles the hash table (its memory is there: MAP_SLOTS) and puts every entry back. */
static void map_grow(struct ieum_tm_search_state *s)
{
  s->n_slots *= 2;
  s->shift--;
  memset(s->slot, 0, s->n_slots * sizeof *s->slot);
  for (size_t e = 0; e < s->n_used; e++) {
    size_t i = map_home(s, s->map[e].id);
    while (s->slot[i])
      i = (i + 1) & (s->n_slots - 1);
    s->slot[i] = (uint32_t)e + 1;
  }
}

/* Adds `w` to the weight of unit `id`; ids past the map's room are dropped. */
static void map_add(struct ieum_tm_search_state *s, int64_t id, double w)
{
  size_t i = map_home(s, id);
  uint32_t e;
  while ((e = s->slot[i]) != 0 && s->map[e - 1].id != id)
    i = (i + 1) & (s->n_slots - 1);
  if (e == 0) {
    if (s->n_used >= MAP_SLOTS / 2)
      return;
    s->map[s->n_used].id = id;
    s->map[s->n_used].weight = 0;
    e = (uint32_t)++s->n_used;
    s->slot[i] = e;
    if (2 * s->n_used > s->n_slots && s->n_slots < MAP_SLOTS)
      map_grow(s);
  }
  s->map[e - 1].weight += w;
}

/* Empties the map, back to its first size. */
static void map_clear(struct ieum_tm_search_state *s)
{
  if (s->n_slots)
    memset(s->slot, 0, s->n_slots * sizeof *s->slot);
  s->n_used = 0;
  s->n_slots = MAP_MIN_SLOTS;
  for (s->shift = 64; ((size_t)1 << (64 - s->shift)) < MAP_MIN_SLOTS; s->shift--)
    ;
}

/* Steps a bound statement to its one integer row. */
static int step_int(int64_t *out, ieum_tm *tm, sqlite3_stmt *st)
{
  int src = sqlite3_step(st);
  if (src != SQLITE_ROW) {
    sqlite3_reset(st);
    return ieum_tm__db_error(tm, src, "cannot search");
  }
  *out = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return IEUM_OK;
}

/* Adds `w` to every unit of the term expression `expr` (up to `cap` units); *n gets how many. */
static int read_ids(size_t *n, ieum_tm *tm, struct ieum_tm_search_state *s, const ieum_buf *expr, int cap, double w)
{
  int src = sqlite3_bind_text(s->ids, 1, expr->ptr, (int)expr->size, SQLITE_STATIC);
  *n = 0;
  if (src == SQLITE_OK)
    src = sqlite3_bind_int(s->ids, 2, cap);
  while (src == SQLITE_OK && (src = sqlite3_step(s->ids)) == SQLITE_ROW) {
    map_add(s, sqlite3_column_int64(s->ids, 0), w);
    ++*n;
    src = SQLITE_OK;
  }
  sqlite3_reset(s->ids);
  return src == SQLITE_DONE ? IEUM_OK : ieum_tm__db_error(tm, src, "cannot search");
}

/* `expr` := the index expression of term t (and u, ANDed, unless NULL). */
static int term_expr(ieum_buf *expr, const ieum_tm *tm, const char *q, const term *t, const term *u)
{
  int rc;
  ieum__buf_clear(expr);
  if ((rc = ieum__buf_puts(expr, tm->index_version >= 3 ? "" : "{src} : (")) != 0 ||
      (rc = put_phrase(expr, q + t->off, t->len)) != 0 ||
      (u && ((rc = ieum__buf_putc(expr, ' ')) != 0 || (rc = put_phrase(expr, q + u->off, u->len)) != 0)) ||
      (rc = ieum__buf_puts(expr, tm->index_version >= 3 ? "" : ")")) != 0)
    return rc;
  return ieum__buf_puts(expr, ""); /* NUL-terminated for the messages of SQLite */
}

/*
** Counts the units of term t up to DF_CAP by reading their ids (a
** count(*) steps the same rows): the ids of a term in no more than
** READ_BUDGET units are kept in s->held (t->held), so that reading it
** (candidates()) needs no second pass over its doclist.  Most of a query's
** terms are rare ones, read right after their count.
*/
static int probe_ids(int64_t *out, ieum_tm *tm, struct ieum_tm_search_state *s, const ieum_buf *expr, term *t)
{
  int src = sqlite3_bind_text(s->ids, 1, expr->ptr, (int)expr->size, SQLITE_STATIC);
  int64_t n = 0;
  if (src == SQLITE_OK)
    src = sqlite3_bind_int(s->ids, 2, DF_CAP);
  if (src == SQLITE_OK && s->held_cap - s->n_held < READ_BUDGET) {
    size_t cap = s->held_cap ? 2 * s->held_cap : 4 * READ_BUDGET;
    while (cap - s->n_held < READ_BUDGET)
      cap *= 2;
    int64_t *v = ieum__reallocarray(s->held, cap, sizeof *v);
    if (!v) {
      sqlite3_reset(s->ids);
      return ieum__error_oom();
    }
    s->held = v;
    s->held_cap = cap;
  }
  t->held_at = s->n_held;
  while (src == SQLITE_OK && (src = sqlite3_step(s->ids)) == SQLITE_ROW) {
    if (n < READ_BUDGET)
      s->held[s->n_held + (size_t)n] = sqlite3_column_int64(s->ids, 0);
    n++;
    src = SQLITE_OK;
  }
  sqlite3_reset(s->ids);
  if (src != SQLITE_DONE)
    return ieum_tm__db_error(tm, src, "cannot search");
  t->held = n <= READ_BUDGET;
  if (t->held)
    s->n_held += (size_t)n;
  *out = n;
  return IEUM_OK;
}

/* The frequency of term t: from the cache, else probed (probe_ids()) and cached. */
static int term_df(ieum_tm *tm, struct ieum_tm_search_state *s, const char *q, term *t, ieum_buf *expr)
{
  int64_t n = 0;
  int rc;
  if (ieum_tm__df_cache_get(&t->df, s->dfc, t->key))
    return IEUM_OK;
  if ((rc = term_expr(expr, tm, q, t, NULL)) != 0 || (rc = probe_ids(&n, tm, s, expr, t)) != 0)
    return rc;
  t->df = (int32_t)n;
  if (t->df >= DF_CACHE_MIN) /* a rare term is cheap to probe again, and its count changes the most */
    ieum_tm__df_cache_put(s->dfc, t->key, t->df);
  return IEUM_OK;
}

/*
** What holding trigram t says of a unit: its idf, halved for a trigram with
** a digit (numbers are what an edited sentence changes most, and a rare
** number shared by chance must not outweigh the words).
*/
double ieum_tm__term_weight(double total, int64_t df, int digit)
{
  double idf = log(total / (df > 0 ? (double)df : 1));
  return digit ? idf / 2 : idf;
}

static double term_weight(const term *t, double total)
{
  return ieum_tm__term_weight(total, t->df, t->digit);
}

/*
** Fills s->map with candidate units of the query `q[0..len)` (NFC, white
** space folded) and their weights: the summed idf of the query trigrams
** they hold, from the rarest trigrams that fit READ_BUDGET, and from pairs
** of common ones when few do.  Nothing when the query has no trigram.
*/
static int candidates(ieum_tm *tm, struct ieum_tm_search_state *s, const char *q, size_t len)
{
  ieum_buf expr = IEUM_BUF_INIT;
  size_t *starts = NULL, n = 0, nt = 0, kept = 0;
  term *t = NULL;
  int64_t units = 0;
  int rc = IEUM_OK;
  size_t chars = len ? ieum__utf8_count(q, len) : 0;
  if (chars < 3)
    goto done;
  s->n_held = 0;
  if (!(starts = ieum__calloc(chars + 1, sizeof *starts)) || !(t = ieum__calloc(chars, sizeof *t))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t i = 0; i < len; n++) {
    starts[n] = i;
    ieum__utf8_next(q, len, &i);
  }
  starts[n] = len;
  for (size_t i = 0; i + 3 <= n; i++) {
    term *x = &t[nt++];
    x->off = starts[i];
    x->len = starts[i + 3] - starts[i];
    x->pos = i;
    x->key = ieum_tm__term_key(q + x->off, x->len);
    for (size_t j = x->off; j < x->off + x->len; j++)
      x->digit |= q[j] >= '0' && q[j] <= '9';
  }
  /* Distinct trigrams, in query order. */
  qsort(t, nt, sizeof *t, term_by_key);
  for (size_t i = 0; i < nt; i++)
    if (kept == 0 || t[i].key != t[kept - 1].key)
      t[kept++] = t[i];
  nt = kept;
  for (size_t i = 0; i < nt; i++)
    t[i].df = (int32_t)t[i].pos; /* sort by position, through term_by_df */
  qsort(t, nt, sizeof *t, term_by_df);
  if (nt > MAX_TERMS) { /* spread evenly over the query */
    for (size_t k = 0; k < MAX_TERMS; k++)
      t[k] = t[k * nt / MAX_TERMS];
    nt = MAX_TERMS;
  }
  /* The TM's size, for idf, and the cache's freshness. */
  if ((rc = step_int(&units, tm, s->max_id)) != 0)
    goto done;
  ieum_tm__df_cache_check(s->dfc, units);
  for (size_t i = 0; i < nt; i++)
    if ((rc = term_df(tm, s, q, &t[i], &expr)) != 0)
      goto done;
  qsort(t, nt, sizeof *t, term_by_df);
  double total = (double)units + 1;
  size_t budget = READ_BUDGET, first_common = nt;
  for (size_t i = 0; i < nt; i++) {
    size_t got;
    if (t[i].df == 0)
      continue; /* in no unit */
    if (t[i].df >= DF_CAP || (size_t)t[i].df > budget) {
      first_common = i;
      break;
    }
    if (t[i].held) { /* its probe read them: the same ids, in the same order */
      double w = term_weight(&t[i], total);
      got = (size_t)t[i].df < budget ? (size_t)t[i].df : budget;
      for (size_t k = 0; k < got; k++)
        map_add(s, s->held[t[i].held_at + k], w);
    } else if ((rc = term_expr(&expr, tm, q, &t[i], NULL)) != 0 ||
               (rc = read_ids(&got, tm, s, &expr, (int)budget, term_weight(&t[i], total))) != 0) {
      goto done;
    }
    budget -= got;
    t[i].read = 1;
  }
  {
    /* The rarest unread term of each of PAIR_TERMS stretches of the query: pairs then join far parts. */
    term *pick[PAIR_TERMS];
    memset(pick, 0, sizeof pick);
    for (size_t i = first_common; i < nt; i++) {
      size_t part = t[i].pos * PAIR_TERMS / (n - 2);
      if (t[i].df > 0 && t[i].df < DF_CAP && !t[i].read && part < PAIR_TERMS && !pick[part]) {
        pick[part] = &t[i];
      }
    }
    for (size_t i = 0; i < PAIR_TERMS; i++)
      for (size_t j = i + 1; j < PAIR_TERMS && pick[i]; j++) {
        size_t got;
        if (!pick[j])
          continue;
        /* A pair is worth both its terms (their frequencies are capped: what counts is how many pairs hit). */
        if ((rc = term_expr(&expr, tm, q, pick[i], pick[j])) != 0 ||
            (rc = read_ids(&got, tm, s, &expr, PAIR_CAP,
                           term_weight(pick[i], total) + term_weight(pick[j], total))) != 0)
          goto done;
      }
  }
done:
  ieum_buf_dispose(&expr);
  ieum__free(starts);
  ieum__free(t);
  return rc;
}

/* Whether a ranks below b: lighter, or as heavy and older. */
static int slot_below(const map_slot *a, const map_slot *b)
{
  return a->weight < b->weight || (a->weight == b->weight && a->id < b->id);
}

/*
** The (at most) CANDIDATES heaviest units of s->map into best[], in no
** order; *n gets how many.  A min-heap of the best so far: O(ids log K).
*/
static void top_candidates(map_slot *best, size_t *n, const struct ieum_tm_search_state *s)
{
  size_t k = 0;
  for (size_t u = 0; u < s->n_used; u++) {
    map_slot x = s->map[u];
    size_t i;
    if (k < CANDIDATES) {
      for (i = k++; i > 0 && slot_below(&x, &best[(i - 1) / 2]); i = (i - 1) / 2)
        best[i] = best[(i - 1) / 2];
      best[i] = x;
      continue;
    }
    if (!slot_below(&best[0], &x))
      continue;
    for (i = 0;;) { /* replace the lightest and sift it down */
      size_t c = 2 * i + 1;
      if (c >= k)
        break;
      if (c + 1 < k && slot_below(&best[c + 1], &best[c]))
        c++;
      if (!slot_below(&best[c], &x))
        break;
      best[i] = best[c];
      i = c;
    }
    best[i] = x;
  }
  *n = k;
}

/* ---- reading units ------------------------------------------------------- */

static const char *column_text(sqlite3_stmt *st, int i, size_t *len)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  if (len)
    *len = s ? (size_t)sqlite3_column_bytes(st, i) : 0;
  return s;
}

int ieum_tm__row_unit(ieum_unit *u, ieum_tm *tm, sqlite3_stmt *st)
{
  ieum_unit init = IEUM_UNIT_INIT;
  *u = init;
  u->id = sqlite3_column_int64(st, 0);
  u->src = column_text(st, 1, &u->src_len);
  u->tgt = column_text(st, 2, &u->tgt_len);
  u->src_lang = column_text(st, 3, NULL);
  u->tgt_lang = column_text(st, 4, NULL);
  u->score = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 5);
  u->bead = column_text(st, 6, NULL);
  u->document = column_text(st, 7, NULL);
  u->position = sqlite3_column_int64(st, 8);
  u->created = sqlite3_column_int64(st, 9);
  u->note = column_text(st, 10, NULL);
  u->role = column_text(st, 11, NULL);
  if (!u->src || !u->tgt)
    return ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a unit");
  return IEUM_OK;
}

/* Prepares `sql`; a TM without the index (an older schema, opened read-only) is named as such. */
static int prepare(sqlite3_stmt **out, ieum_tm *tm, const char *sql)
{
  int src = sqlite3_prepare_v2(tm->db, sql, -1, out, NULL);
  if (src == SQLITE_OK)
    return IEUM_OK;
  if (strstr(sqlite3_errmsg(tm->db), "no such table: units_fts"))
    return ieum__error_set(IEUM_EDB, "%s: the TM has no search index (an older schema); opening it for writing "
                           "once adds it", tm->path);
  return ieum_tm__db_error(tm, src, "cannot prepare a search");
}

/* ---- fuzzy search ------------------------------------------------------------ */

typedef struct {
  int64_t id;
  int64_t created;
  int score;
} hit;

typedef struct {
  hit *v;
  size_t n, cap;
} hits;

static int hits_add(hits *h, int64_t id, int64_t created, int score)
{
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    hit *v = ieum__reallocarray(h->v, cap, sizeof *v);
    if (!v)
      return ieum__error_oom();
    h->v = v;
    h->cap = cap;
  }
  h->v[h->n].id = id;
  h->v[h->n].created = created;
  h->v[h->n].score = score;
  h->n++;
  return IEUM_OK;
}

/* Best first: higher score, then newer, then lower id. */
static int hit_cmp(const void *pa, const void *pb)
{
  const hit *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->created != b->created)
    return a->created > b->created ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

/* Every unit (the exhaustive mode); rows: id, src, created. */
static const char sql_every_unit[] = "SELECT u.id, u.src, u.created FROM units AS u";
static const char sql_unit[] =
  "SELECT " IEUM_TM__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id WHERE u.id = ?1";

/* `out` := text with runs of white space folded into one space, trimmed (as the index sees a TM sentence). */
static int fold_space(ieum_buf *out, const char *text, size_t len)
{
  int rc = IEUM_OK, space = 0;
  for (size_t i = 0; rc == 0 && i < len;) {
    size_t at = i;
    int32_t c = ieum__utf8_next(text, len, &i);
    if (u_isUWhiteSpace(c)) {
      space = 1;
      continue;
    }
    if (space && out->size > 0)
      rc = ieum__buf_putc(out, ' ');
    space = 0;
    if (rc == 0)
      rc = ieum__buf_put(out, text + at, i - at);
  }
  return rc;
}

/* Scores unit `id` (source c, created) against the prepared query; keeps it when it reaches `min`. */
static int consider(hits *h, scorer *sc, const ieum_buf *query, sqlite3_stmt *st, int id_col, int64_t id, int min)
{
  size_t c_len;
  const char *c = column_text(st, id_col + 1, &c_len);
  int score, rc;
  if (!c)
    return ieum__error_oom();
  if ((rc = norm_set(&sc->c, c, c_len)) != 0 ||
      (rc = score_prepared(&score, sc, query->ptr, query->size, c, c_len, min)) != 0)
    return rc;
  if (score >= min)
    rc = hits_add(h, id, sqlite3_column_int64(st, id_col + 2), score);
  return rc;
}

/*
** Whether the prepared query has fewer than 3 characters other than spaces
** and punctuation ("다리?", "다 리"): its trigrams, if any, hold those, so
** they would miss the units that differ only there; search_short() finds
** its matches instead.
*/
static int few_letters(const norm *q)
{
  size_t letters = 0;
  for (size_t i = 0; i < q->n && letters < 3; i++)
    letters += q->cp[i] != ' ';
  return letters < 3;
}

/* The length-bounded units a query of fewer than 3 characters may match (SHORT_SLACK); rows: id, src, created. */
const char ieum_tm__sql_short_units[] =
  "SELECT u.id, u.src, u.created FROM units AS u WHERE length(u.src) <= ?1 ORDER BY length(u.src) LIMIT ?2";

/* Scores the units short enough to match the prepared query sc->q, of fewer than 3 characters. */
static int search_short(hits *h, scorer *sc, ieum_tm *tm, const ieum_buf *query, int min)
{
  sqlite3_stmt *st = NULL;
  int64_t longest = min > 0 ? (int64_t)(sc->q.n * 100 / (size_t)min) + SHORT_SLACK : INT64_MAX;
  int rc = prepare(&st, tm, ieum_tm__sql_short_units), src;
  if (rc)
    return rc;
  if ((src = sqlite3_bind_int64(st, 1, longest)) == SQLITE_OK && (src = sqlite3_bind_int(st, 2, SHORT_SCAN)) == SQLITE_OK)
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
      if ((rc = consider(h, sc, query, st, 0, sqlite3_column_int64(st, 0), min)) != 0)
        goto done;
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot search");
done:
  sqlite3_finalize(st);
  return rc;
}

/*
** Scores the units the index proposes, then those not yet in the index;
** for a query too short for trigrams, the short units (search_short()).
*/
static int search_index(hits *h, scorer *sc, ieum_tm *tm, const ieum_buf *query, int min)
{
  struct ieum_tm_search_state *s = NULL;
  ieum_buf folded = IEUM_BUF_INIT;
  map_slot best[CANDIDATES];
  size_t nb = 0;
  int rc, src;
  if ((rc = state(&s, tm)) != 0 || (rc = fold_space(&folded, query->ptr, query->size)) != 0)
    goto done;
  if (few_letters(&sc->q) || ieum__utf8_count(folded.ptr ? folded.ptr : "", folded.size) < 3) {
    rc = search_short(h, sc, tm, query, min); /* reads every unit it needs, waiting ones too */
    goto done;
  }
  map_clear(s);
  if ((rc = candidates(tm, s, folded.ptr ? folded.ptr : "", folded.size)) != 0)
    goto done;
  top_candidates(best, &nb, s);
  for (size_t i = 0; i < nb; i++) {
    sqlite3_reset(s->unit);
    if ((src = sqlite3_bind_int64(s->unit, 1, best[i].id)) != SQLITE_OK) {
      rc = ieum_tm__db_error(tm, src, "cannot search");
      goto done;
    }
    src = sqlite3_step(s->unit);
    if (src == SQLITE_DONE)
      continue; /* gone meanwhile (a delete of another connection, before our snapshot began) */
    if (src != SQLITE_ROW) {
      rc = ieum_tm__db_error(tm, src, "cannot read a unit");
      goto done;
    }
    if ((rc = consider(h, sc, query, s->unit, -1, best[i].id, min)) != 0)
      goto done;
  }
  sqlite3_reset(s->unit);
  if (s->waiting) {
    while ((src = sqlite3_step(s->waiting)) == SQLITE_ROW)
      if ((rc = consider(h, sc, query, s->waiting, 0, sqlite3_column_int64(s->waiting, 0), min)) != 0)
        goto done;
    if (src != SQLITE_DONE)
      rc = ieum_tm__db_error(tm, src, "cannot search");
  }
done:
  if (s) {
    map_clear(s);
    sqlite3_reset(s->unit);
    if (s->waiting)
      sqlite3_reset(s->waiting);
  }
  ieum_buf_dispose(&folded);
  return rc;
}

int ieum_tm_search(ieum_tm *tm, const char *text, size_t len, const ieum_tm_search_options *opts,
                   ieum_tm_match_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__search(tm, text, len, opts, cb, payload);
  ieum_tm_search_options defaults = IEUM_TM_SEARCH_OPTIONS_INIT;
  ieum_buf query = IEUM_BUF_INIT;
  sqlite3_stmt *st = NULL, *match = NULL;
  scorer s;
  hits h = { NULL, 0, 0 };
  int rc, src, snapshot = 0;
  memset(&s, 0, sizeof s);
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_TM_SEARCH_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "%s: search options of version %u (this library knows %d)", tm->path,
                           opts->version, IEUM_TM_SEARCH_OPTIONS_VERSION);
  if (opts->min_score < 0 || opts->min_score > 100)
    return ieum__error_set(IEUM_EINVAL, "%s: minimum match %d is outside 0-100", tm->path, opts->min_score);
  if (!text && len)
    return ieum__error_set(IEUM_EINVAL, "%s: a search text has a length but no bytes", tm->path);
  if (ieum__utf8_invalid_at(text ? text : "", len) != len)
    return ieum__error_set(IEUM_EENCODING, "%s: the search text is not valid UTF-8 (byte %zu)", tm->path,
                           ieum__utf8_invalid_at(text, len));
  /* TM text is NFC: so must the query be, for the identity test and the index. */
  if ((rc = ieum__icu_nfc(&query, text ? text : "", len)) != 0 || (rc = ieum__buf_puts(&query, "")) != 0)
    goto done;
  if ((rc = norm_set(&s.q, query.ptr, query.size)) != 0)
    goto done;
  /* One read snapshot for the candidates and the units read after them. */
  if ((src = sqlite3_exec(tm->db, "SAVEPOINT ieum_search", NULL, NULL, NULL)) != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot read the TM");
    goto done;
  }
  snapshot = 1;
  if (opts->exhaustive) {
    if ((rc = prepare(&st, tm, sql_every_unit)) != 0)
      goto done;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
      if ((rc = consider(&h, &s, &query, st, 0, sqlite3_column_int64(st, 0), opts->min_score)) != 0)
        goto done;
    if (src != SQLITE_DONE) {
      rc = ieum_tm__db_error(tm, src, "cannot search");
      goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
  } else if ((rc = search_index(&h, &s, tm, &query, opts->min_score)) != 0) {
    goto done;
  }
  if (h.n > 1)
    qsort(h.v, h.n, sizeof *h.v, hit_cmp);
  size_t want = opts->max_results < h.n ? opts->max_results : h.n;
  if (want == 0)
    goto done;
  /*
  ** The handle's statement, unless a search from inside a callback of this
  ** one finds it stepping (then one of its own, as every search had).
  */
  if (tm->search && (tm->search->match || prepare(&tm->search->match, tm, sql_unit) == 0) &&
      !sqlite3_stmt_busy(tm->search->match))
    match = tm->search->match;
  else if ((rc = prepare(&st, tm, sql_unit)) != 0)
    goto done;
  else
    match = st;
  for (size_t i = 0; i < want; i++) {
    ieum_tm_match m;
    sqlite3_reset(match);
    if ((src = sqlite3_bind_int64(match, 1, h.v[i].id)) != SQLITE_OK || (src = sqlite3_step(match)) != SQLITE_ROW) {
      rc = ieum_tm__db_error(tm, src, "cannot read a matching unit");
      goto done;
    }
    m.score = h.v[i].score;
    if ((rc = ieum_tm__row_unit(&m.unit, tm, match)) != 0 || (rc = cb(&m, payload)) != 0)
      goto done;
  }
done:
  if (match && match != st)
    sqlite3_reset(match);
  sqlite3_finalize(st);
  if (snapshot)
    sqlite3_exec(tm->db, "RELEASE ieum_search", NULL, NULL, NULL); /* a read: nothing to lose */
  ieum__free(h.v);
  scorer_dispose(&s);
  ieum_buf_dispose(&query);
  return rc;
}

/* ---- concordance ------------------------------------------------------------ */

/* Appends `w` as a LIKE pattern %w% (with \ as the escape character). */
static int like_pattern(ieum_buf *b, const char *w)
{
  int rc = ieum__buf_putc(b, '%');
  for (; rc == 0 && *w; w++) {
    if (*w == '%' || *w == '_' || *w == '\\')
      rc = ieum__buf_putc(b, '\\');
    if (rc == 0)
      rc = ieum__buf_putc(b, *w);
  }
  return rc ? rc : ieum__buf_putc(b, '%');
}

int ieum_tm__concordance_word(ieum_buf *nfc, ieum_buf *like, ieum_tm *tm, const char *w, size_t i)
{
  size_t wl = w ? strlen(w) : 0;
  int rc;
  if (wl == 0 || ieum__utf8_is_blank(w, wl))
    return ieum__error_set(IEUM_EINVAL, "%s: concordance word %zu is empty", tm->path, i + 1);
  if (ieum__utf8_invalid_at(w, wl) != wl)
    return ieum__error_set(IEUM_EENCODING, "%s: concordance word %zu is not valid UTF-8", tm->path, i + 1);
  if ((rc = ieum__icu_nfc(nfc, w, wl)) != 0 || (rc = ieum__buf_puts(nfc, "")) != 0)
    return rc;
  return like_pattern(like, nfc->ptr);
}

/* `out` := the index expression of a word of 3 or more characters: its trigrams ANDed (the index folds case). */
static int word_expr(ieum_buf *out, const char *w, size_t wl)
{
  size_t a = 0, b = 0, c, d;
  int rc = IEUM_OK;
  ieum__utf8_next(w, wl, &b);
  c = b;
  ieum__utf8_next(w, wl, &c);
  d = c;
  ieum__utf8_next(w, wl, &d);
  for (;;) {
    if ((out->size && (rc = ieum__buf_putc(out, ' ')) != 0) || (rc = put_phrase(out, w + a, d - a)) != 0 || d >= wl)
      return rc;
    a = b;
    b = c;
    c = d;
    ieum__utf8_next(w, wl, &d);
  }
}

int ieum_tm_concordance(ieum_tm *tm, const char *const *words, size_t n_words, size_t limit, ieum_unit_cb cb,
                        void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__concordance(tm, words, n_words, limit, cb, payload);
  ieum_buf sql = IEUM_BUF_INIT, match = IEUM_BUF_INIT, *likes = NULL;
  sqlite3_stmt *st = NULL;
  size_t longest = 0;
  int rc = IEUM_OK, src;
  if (n_words == 0 || !words)
    return ieum__error_set(IEUM_EINVAL, "%s: concordance needs at least one word", tm->path);
  if (!(likes = ieum__calloc(n_words, sizeof *likes))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t i = 0; i < n_words; i++) {
    ieum_buf nfc = IEUM_BUF_INIT;
    if ((rc = ieum_tm__concordance_word(&nfc, &likes[i], tm, words[i], i)) != 0) {
      ieum_buf_dispose(&nfc);
      goto done;
    }
    size_t chars = ieum__utf8_count(nfc.ptr, nfc.size);
    /* The longest word of 3 or more characters picks the rows through the index. */
    if (chars >= 3 && chars > longest && tm->index_version >= 2) {
      longest = chars;
      ieum__buf_clear(&match);
      rc = word_expr(&match, nfc.ptr, nfc.size);
      if (rc == 0)
        rc = ieum__buf_puts(&match, "");
    }
    ieum_buf_dispose(&nfc);
    if (rc)
      goto done;
  }
  rc = ieum__buf_puts(&sql, "SELECT " IEUM_TM__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id");
  if (rc == 0 && longest && tm->index_version >= 3)
    rc = ieum__buf_puts(&sql, " WHERE u.id IN (SELECT rowid FROM units_src_fts WHERE units_src_fts MATCH ?1"
                              " UNION SELECT rowid FROM units_tgt_fts WHERE units_tgt_fts MATCH ?1"
                              " UNION SELECT id FROM units_unindexed)");
  else if (rc == 0 && longest)
    rc = ieum__buf_puts(&sql, " WHERE u.id IN (SELECT rowid FROM units_fts WHERE units_fts MATCH ?1)");
  for (size_t i = 0; rc == 0 && i < n_words; i++)
    rc = ieum__buf_printf(&sql, " %s (u.src LIKE ?%zu ESCAPE '\\' OR u.tgt LIKE ?%zu ESCAPE '\\')",
                          longest || i ? "AND" : "WHERE", i + 3, i + 3);
  if (rc == 0)
    rc = ieum__buf_puts(&sql, " ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position LIMIT ?2");
  if (rc || (rc = prepare(&st, tm, sql.ptr)) != 0)
    goto done;
  src = longest ? sqlite3_bind_text(st, 1, match.ptr, (int)match.size, SQLITE_STATIC) : SQLITE_OK;
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
  for (size_t i = 0; src == SQLITE_OK && i < n_words; i++)
    src = sqlite3_bind_text(st, (int)i + 3, likes[i].ptr, (int)likes[i].size, SQLITE_STATIC);
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot search");
    goto done;
  }
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_unit u;
    if ((rc = ieum_tm__row_unit(&u, tm, st)) != 0 || (rc = cb(&u, payload)) != 0)
      goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot search");
done:
  sqlite3_finalize(st);
  for (size_t i = 0; likes && i < n_words; i++)
    ieum_buf_dispose(&likes[i]);
  ieum__free(likes);
  ieum_buf_dispose(&sql);
  ieum_buf_dispose(&match);
  return rc;
}

/* ---- scoring for another backend (tm/pg/search.c) ------------------------------ */

struct ieum_tm__scorer {
  scorer s;
  ieum_buf query;   /* the query, NFC */
  size_t folded;    /* its characters once white space runs are folded */
};

int ieum_tm__scorer_new(ieum_tm__scorer **out, const char *path, const char *text, size_t len)
{
  ieum_buf folded = IEUM_BUF_INIT;
  int rc;
  *out = NULL;
  if (!text && len)
    return ieum__error_set(IEUM_EINVAL, "%s: a search text has a length but no bytes", path);
  if (ieum__utf8_invalid_at(text ? text : "", len) != len)
    return ieum__error_set(IEUM_EENCODING, "%s: the search text is not valid UTF-8 (byte %zu)", path,
                           ieum__utf8_invalid_at(text, len));
  ieum_tm__scorer *sc = ieum__calloc(1, sizeof *sc);
  if (!sc)
    return ieum__error_oom();
  if ((rc = ieum__icu_nfc(&sc->query, text ? text : "", len)) != 0 || (rc = ieum__buf_puts(&sc->query, "")) != 0 ||
      (rc = norm_set(&sc->s.q, sc->query.ptr, sc->query.size)) != 0 ||
      (rc = fold_space(&folded, sc->query.ptr, sc->query.size)) != 0) {
    ieum_buf_dispose(&folded);
    ieum_tm__scorer_free(sc);
    return rc;
  }
  sc->folded = ieum__utf8_count(folded.ptr ? folded.ptr : "", folded.size);
  ieum_buf_dispose(&folded);
  *out = sc;
  return IEUM_OK;
}

const char *ieum_tm__scorer_query(const ieum_tm__scorer *sc, size_t *len)
{
  *len = sc->query.size;
  return sc->query.ptr ? sc->query.ptr : "";
}

int64_t ieum_tm__scorer_short(const ieum_tm__scorer *sc, int min, int *limit)
{
  *limit = SHORT_SCAN;
  if (!few_letters(&sc->s.q) && sc->folded >= 3)
    return -1;
  return min > 0 ? (int64_t)(sc->s.q.n * 100 / (size_t)min) + SHORT_SLACK : INT64_MAX;
}

int ieum_tm__scorer_score(int *out, ieum_tm__scorer *sc, const char *c, size_t c_len, int min)
{
  int rc = norm_set(&sc->s.c, c, c_len);
  return rc ? rc : score_prepared(out, &sc->s, sc->query.ptr, sc->query.size, c, c_len, min);
}

void ieum_tm__scorer_free(ieum_tm__scorer *sc)
{
  if (!sc)
    return;
  scorer_dispose(&sc->s);
  ieum_buf_dispose(&sc->query);
  ieum__free(sc);
}
