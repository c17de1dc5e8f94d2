/*
** align/learn.c: a bilingual lexicon learned from aligned sentence pairs.
**
** The caller feeds the learner the two texts of each confident sentence
** pair (ieum_learn__add(); the pipeline reads them from a TM).  A pair whose
** one side is Korean has its Korean side turned into word stems (particles
** and endings cut, align/lexicon.c) and its English side into words
** (lowercased, a plural "s" cut), each counted once per pair; the learner
** counts how often each stem, each word and each (stem, word) pair occur.
** A pair's association is the Dice coefficient 2*c(k,e) / (c(k) + c(e)); a
** pair is kept when the stem and the word are each other's best partner
** (competitive linking, which keeps "정부"/"government" and drops
** "정부"/"said") and it passes the thresholds (ieum_learn__each()).
** Cost: O(pairs * stems * words) time; memory grows with the distinct
** (stem, word) pairs (a hash table), about 16 bytes each.
** Not here: where the sentence pairs come from and where the word pairs go
** (the TM: tm/texts.c, fed by pipeline/learn.c); how the aligner uses them
** (align/lexicon.c, score.c).
*/
#include <string.h>

#include "learn_int.h"
#include "lexicon_int.h"

/* Stems longer than this many syllables are compounds that rarely recur: skipped. */
#define STEM_MAX_SYLLABLES 6
/* Longest English word counted, in bytes. */
#define WORD_MAX 40
/* The stems and words of one unit counted at most (a longer unit is cut). */
#define UNIT_MAX_TOKENS 256

/* ---- an interner: string -> id, with a count per id ------------------------------- */

typedef struct {
  uint64_t *hash;   /* per slot: hash of the string, 0 = empty */
  uint32_t *slot_id;
  size_t cap;       /* slots, a power of two */
  ieum_buf text;    /* the strings, each NUL-terminated */
  size_t *off;      /* per id: offset in text */
  uint32_t *count;  /* per id: units it occurs in */
  uint32_t n, id_cap;
} interner;

static int intern(uint32_t *out, interner *in, const char *s, size_t n)
{
  uint64_t h = ieum_keyset__hash('w', s, n) | 1;
  if ((in->n + 1) * 2 > in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 4096;
    uint64_t *hash = ieum__calloc(cap, sizeof *hash);
    uint32_t *ids = ieum__calloc(cap, sizeof *ids);
    if (!hash || !ids) {
      ieum__free(hash);
      ieum__free(ids);
      return ieum__error_oom();
    }
    for (size_t k = 0; k < in->cap; k++) {
      if (!in->hash[k])
        continue;
      size_t p = (size_t)in->hash[k] & (cap - 1);
      while (hash[p])
        p = (p + 1) & (cap - 1);
      hash[p] = in->hash[k];
      ids[p] = in->slot_id[k];
    }
    ieum__free(in->hash);
    ieum__free(in->slot_id);
    in->hash = hash;
    in->slot_id = ids;
    in->cap = cap;
  }
  size_t p = (size_t)h & (in->cap - 1);
  for (; in->hash[p]; p = (p + 1) & (in->cap - 1)) {
    uint32_t id = in->slot_id[p];
    const char *t = in->text.ptr + in->off[id];
    if (in->hash[p] == h && strlen(t) == n && !memcmp(t, s, n)) {
      *out = id;
      return IEUM_OK;
    }
  }
  if (in->n == in->id_cap) {
    uint32_t nc = in->id_cap ? in->id_cap * 2 : 1024;
    size_t *off = ieum__reallocarray(in->off, nc, sizeof *off);
    if (!off)
      return ieum__error_oom();
    in->off = off;
    uint32_t *count = ieum__reallocarray(in->count, nc, sizeof *count);
    if (!count)
      return ieum__error_oom();
    in->count = count;
    in->id_cap = nc;
  }
  int rc;
  in->off[in->n] = in->text.size;
  if ((rc = ieum__buf_put(&in->text, s, n)) != 0 || (rc = ieum__buf_putc(&in->text, '\0')) != 0)
    return rc;
  in->count[in->n] = 0;
  in->hash[p] = h;
  in->slot_id[p] = in->n;
  *out = in->n++;
  return IEUM_OK;
}

static void interner_dispose(interner *in)
{
  ieum__free(in->hash);
  ieum__free(in->slot_id);
  ieum_buf_dispose(&in->text);
  ieum__free(in->off);
  ieum__free(in->count);
}

/* ---- pair counts: (stem id, word id) -> units ------------------------------------- */

typedef struct {
  uint64_t *key;    /* (stem << 32 | word) + 1; 0 = empty */
  uint32_t *count;
  size_t cap, n;
} pairs;

static int pair_add(pairs *p, uint32_t k, uint32_t e)
{
  uint64_t key = ((uint64_t)k << 32 | e) + 1;
  if ((p->n + 1) * 2 > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 65536;
    uint64_t *keys = ieum__calloc(cap, sizeof *keys);
    uint32_t *count = ieum__calloc(cap, sizeof *count);
    if (!keys || !count) {
      ieum__free(keys);
      ieum__free(count);
      return ieum__error_oom();
    }
    for (size_t x = 0; x < p->cap; x++) {
      if (!p->key[x])
        continue;
      size_t q = (size_t)(p->key[x] * 0x9E3779B97F4A7C15ULL >> 17) & (cap - 1);
      while (keys[q])
        q = (q + 1) & (cap - 1);
      keys[q] = p->key[x];
      count[q] = p->count[x];
    }
    ieum__free(p->key);
    ieum__free(p->count);
    p->key = keys;
    p->count = count;
    p->cap = cap;
  }
  size_t q = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 17) & (p->cap - 1);
  while (p->key[q] && p->key[q] != key)
    q = (q + 1) & (p->cap - 1);
  if (!p->key[q]) {
    p->key[q] = key;
    p->n++;
  }
  p->count[q]++;
  return IEUM_OK;
}

/* ---- tokens of a unit ------------------------------------------------------------- */

static size_t hangul_in(const char *s, size_t n)
{
  size_t h = 0;
  for (size_t i = 0; i < n;)
    h += ieum_lexicon__hangul(ieum__utf8_next(s, n, &i));
  return h;
}

/* Adds id to ids[0..*n) unless already there. */
static void add_unique(uint32_t *ids, size_t *n, uint32_t id)
{
  for (size_t k = 0; k < *n; k++)
    if (ids[k] == id)
      return;
  if (*n < UNIT_MAX_TOKENS)
    ids[(*n)++] = id;
}

static int korean_stems(uint32_t *ids, size_t *n, interner *in, const char *s, size_t len)
{
  *n = 0;
  for (size_t i = 0; i < len;) {
    size_t b = i;
    if (!ieum_lexicon__hangul(ieum__utf8_next(s, len, &i)))
      continue;
    size_t e = i;
    while (e < len) {
      size_t x = e;
      if (!ieum_lexicon__hangul(ieum__utf8_next(s, len, &x)))
        break;
      e = x;
    }
    i = e;
    size_t stem = ieum_lexicon__ko_stem(s + b, e - b);
    if (stem < 6 || stem > 3 * STEM_MAX_SYLLABLES)
      continue; /* one syllable is too ambiguous to learn */
    uint32_t id;
    int rc = intern(&id, in, s + b, stem);
    if (rc)
      return rc;
    add_unique(ids, n, id);
  }
  return IEUM_OK;
}

static int english_words(uint32_t *ids, size_t *n, interner *in, const char *s, size_t len)
{
  *n = 0;
  for (size_t i = 0; i < len;) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      i++;
      continue;
    }
    size_t b = i;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
      i++;
    char w[WORD_MAX + 1];
    size_t wn = ieum_lexicon__en_norm(w, sizeof w, s + b, i - b);
    if (wn < 3)
      continue;
    uint32_t id;
    int rc = intern(&id, in, w, wn);
    if (rc)
      return rc;
    add_unique(ids, n, id);
  }
  return IEUM_OK;
}

/* ---- the learner ---------------------------------------------------------------- */

struct ieum_learner {
  interner ko, en;
  pairs co;
};

int ieum_learn__new(ieum_learner **out)
{
  *out = ieum__calloc(1, sizeof **out);
  return *out ? IEUM_OK : ieum__error_oom();
}

void ieum_learn__free(ieum_learner *l)
{
  if (!l)
    return;
  interner_dispose(&l->ko);
  interner_dispose(&l->en);
  ieum__free(l->co.key);
  ieum__free(l->co.count);
  ieum__free(l);
}

int ieum_learn__add(ieum_learner *l, const char *a, size_t an, const char *b, size_t bn)
{
  uint32_t kid[UNIT_MAX_TOKENS], eid[UNIT_MAX_TOKENS];
  size_t nk, ne;
  int rc;
  int a_ko = hangul_in(a, an) > 0, b_ko = hangul_in(b, bn) > 0;
  if (a_ko == b_ko)
    return IEUM_OK; /* not a Korean-English pair */
  const char *ko = a_ko ? a : b, *en = a_ko ? b : a;
  size_t ko_n = a_ko ? an : bn, en_n = a_ko ? bn : an;
  if ((rc = korean_stems(kid, &nk, &l->ko, ko, ko_n)) != 0 || (rc = english_words(eid, &ne, &l->en, en, en_n)) != 0)
    return rc;
  for (size_t x = 0; x < nk; x++)
    l->ko.count[kid[x]]++;
  for (size_t y = 0; y < ne; y++)
    l->en.count[eid[y]]++;
  for (size_t x = 0; x < nk; x++)
    for (size_t y = 0; y < ne; y++)
      if ((rc = pair_add(&l->co, kid[x], eid[y])) != 0)
        return rc;
  return IEUM_OK;
}

static double dice(const ieum_learner *l, uint32_t k, uint32_t e, uint32_t n)
{
  return 2.0 * n / ((double)l->ko.count[k] + (double)l->en.count[e]);
}

int ieum_learn__each(const ieum_learner *l, uint32_t min_count, double min_assoc, ieum_learn__pair_cb fn,
                     void *payload)
{
  double *best_k = ieum__calloc(l->ko.n + 1, sizeof *best_k), *best_e = ieum__calloc(l->en.n + 1, sizeof *best_e);
  int rc = IEUM_OK;
  if (!best_k || !best_e) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t q = 0; q < l->co.cap; q++) {
    if (!l->co.key[q] || l->co.count[q] < min_count)
      continue;
    uint64_t key = l->co.key[q] - 1;
    uint32_t k = (uint32_t)(key >> 32), e = (uint32_t)key;
    double d = dice(l, k, e, l->co.count[q]);
    if (d > best_k[k])
      best_k[k] = d;
    if (d > best_e[e])
      best_e[e] = d;
  }
  for (size_t q = 0; q < l->co.cap && rc == 0; q++) {
    if (!l->co.key[q] || l->co.count[q] < min_count)
      continue;
    uint64_t key = l->co.key[q] - 1;
    uint32_t k = (uint32_t)(key >> 32), e = (uint32_t)key;
    double d = dice(l, k, e, l->co.count[q]);
    if (d < min_assoc || d < best_k[k] || d < best_e[e])
      continue;
    rc = fn(l->ko.text.ptr + l->ko.off[k], l->en.text.ptr + l->en.off[e], d, l->co.count[q], payload);
  }
done:
  ieum__free(best_k);
  ieum__free(best_e);
  return rc;
}
