/*
** tm/learn.c: a bilingual lexicon learned from the TM's own units.
**
** Reads every unit whose score reaches a threshold and whose one side is
** Korean, turns the Korean side into word stems (particles and endings cut,
** align/lexicon.c) and the English side into words (lowercased, a plural
** "s" cut), each counted once per unit, and counts how often each stem,
** each word and each (stem, word) pair occur.  A pair's association is the
** Dice coefficient 2*c(k,e) / (c(k) + c(e)); a pair is kept when the stem
** and the word are each other's best partner (competitive linking, which
** keeps "정부"/"government" and drops "정부"/"said"), and it passes the
** thresholds.  The kept pairs replace the lexicon rows of origin 'learned'
** in one transaction.
** Cost: O(units * stems * words) time; memory grows with the distinct
** pairs (a hash table), about 16 bytes each.
** Also the length model of the TM's confident 1-1 units: their target to
** source length ratio, which an aligner may take as a prior.
** Not here: how the aligner uses the pairs (align/lexicon.c, score.c).
*/
#include <string.h>

#include "align/align_int.h"
#include "align/lexicon_int.h"
#include "tm_int.h"

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

/* ---- learning ------------------------------------------------------------------------ */

typedef struct {
  interner ko, en;
  pairs co;
} counts;

static int count_units(counts *c, ieum_tm *tm, double min_score)
{
  sqlite3_stmt *st = NULL;
  uint32_t kid[UNIT_MAX_TOKENS], eid[UNIT_MAX_TOKENS];
  size_t nk, ne;
  int rc = IEUM_OK, src;
  src = sqlite3_prepare_v2(tm->db, "SELECT src, tgt FROM units WHERE score >= ?1", -1, &st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot read the units");
  sqlite3_bind_double(st, 1, min_score);
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    size_t an = (size_t)sqlite3_column_bytes(st, 0), bn = (size_t)sqlite3_column_bytes(st, 1);
    if (!a || !b)
      continue;
    int a_ko = hangul_in(a, an) > 0, b_ko = hangul_in(b, bn) > 0;
    if (a_ko == b_ko)
      continue; /* not a Korean-English unit */
    const char *ko = a_ko ? a : b, *en = a_ko ? b : a;
    size_t ko_n = a_ko ? an : bn, en_n = a_ko ? bn : an;
    if ((rc = korean_stems(kid, &nk, &c->ko, ko, ko_n)) != 0 || (rc = english_words(eid, &ne, &c->en, en, en_n)) != 0)
      goto done;
    for (size_t x = 0; x < nk; x++)
      c->ko.count[kid[x]]++;
    for (size_t y = 0; y < ne; y++)
      c->en.count[eid[y]]++;
    for (size_t x = 0; x < nk; x++)
      for (size_t y = 0; y < ne; y++)
        if ((rc = pair_add(&c->co, kid[x], eid[y])) != 0)
          goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
done:
  sqlite3_finalize(st);
  return rc;
}

static double dice(const counts *c, uint32_t k, uint32_t e, uint32_t n)
{
  return 2.0 * n / ((double)c->ko.count[k] + (double)c->en.count[e]);
}

/* Writes the mutually best pairs; *written gets their number. */
static int write_pairs(size_t *written, ieum_tm *tm, const counts *c, const ieum_tm_learn_options *o)
{
  double *best_k = ieum__calloc(c->ko.n + 1, sizeof *best_k), *best_e = ieum__calloc(c->en.n + 1, sizeof *best_e);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK, src;
  *written = 0;
  if (!best_k || !best_e) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t q = 0; q < c->co.cap; q++) {
    if (!c->co.key[q] || c->co.count[q] < o->min_count)
      continue;
    uint64_t key = c->co.key[q] - 1;
    uint32_t k = (uint32_t)(key >> 32), e = (uint32_t)key;
    double d = dice(c, k, e, c->co.count[q]);
    if (d > best_k[k])
      best_k[k] = d;
    if (d > best_e[e])
      best_e[e] = d;
  }
  src = sqlite3_prepare_v2(tm->db, "INSERT OR REPLACE INTO lexicon(src, tgt, origin, weight, count) "
                                   "VALUES(?1, ?2, 'learned', ?3, ?4)", -1, &st, NULL);
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot write the lexicon");
    goto done;
  }
  for (size_t q = 0; q < c->co.cap; q++) {
    if (!c->co.key[q] || c->co.count[q] < o->min_count)
      continue;
    uint64_t key = c->co.key[q] - 1;
    uint32_t k = (uint32_t)(key >> 32), e = (uint32_t)key;
    double d = dice(c, k, e, c->co.count[q]);
    if (d < o->min_assoc || d < best_k[k] || d < best_e[e])
      continue;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, c->ko.text.ptr + c->ko.off[k], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->en.text.ptr + c->en.off[e], -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, d);
    sqlite3_bind_int64(st, 4, c->co.count[q]);
    if ((src = sqlite3_step(st)) != SQLITE_DONE) {
      rc = ieum_tm__db_error(tm, src, "cannot write the lexicon");
      goto done;
    }
    (*written)++;
  }
done:
  sqlite3_finalize(st);
  ieum__free(best_k);
  ieum__free(best_e);
  return rc;
}

int ieum_tm_learn(size_t *out, ieum_tm *tm, const ieum_tm_learn_options *opts)
{
  ieum_tm_learn_options defaults = IEUM_TM_LEARN_OPTIONS_INIT;
  counts c = { 0 };
  size_t written = 0;
  int rc, open = 0;
  if (out)
    *out = 0;
  if (!opts)
    opts = &defaults;
  if (!tm)
    return ieum__error_set(IEUM_EINVAL, "learn: missing TM");
  if (opts->version != IEUM_TM_LEARN_OPTIONS_VERSION || !(opts->min_score >= 0 && opts->min_score <= 1) ||
      !(opts->min_assoc > 0 && opts->min_assoc <= 1) || opts->min_count < 1)
    return ieum__error_set(IEUM_EINVAL, "%s: learn: bad options", tm->path);
  if (!tm->writable)
    return ieum__error_set(IEUM_EINVAL, "%s: learn: the TM is open read-only", tm->path);
  if (tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: learn: a transaction is already open", tm->path);
  if ((rc = ieum_tm_begin(tm)) != 0)
    return rc;
  open = 1;
  int src = sqlite3_exec(tm->db, "DELETE FROM lexicon WHERE origin = 'learned'", NULL, NULL, NULL);
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot clear the learned lexicon");
    goto done;
  }
  if ((rc = count_units(&c, tm, opts->min_score)) != 0 || (rc = write_pairs(&written, tm, &c, opts)) != 0)
    goto done;
  rc = ieum_tm_commit(tm);
  open = rc != 0;
done:
  if (open)
    ieum_tm_rollback(tm);
  interner_dispose(&c.ko);
  interner_dispose(&c.en);
  ieum__free(c.co.key);
  ieum__free(c.co.count);
  if (rc == 0 && out)
    *out = written;
  return rc;
}

int ieum_tm_lexicon_load(size_t *out, struct ieum_lexicon *lex, ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  size_t n = 0;
  int rc = IEUM_OK, src;
  if (out)
    *out = 0;
  if (!lex || !tm)
    return ieum__error_set(IEUM_EINVAL, "lexicon load: missing argument");
  src = sqlite3_prepare_v2(tm->db, "SELECT src, tgt FROM lexicon WHERE origin = 'learned' ORDER BY src, tgt", -1,
                           &st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot read the lexicon");
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    if (!a || !b)
      continue;
    rc = ieum_lexicon_add(lex, a, (size_t)sqlite3_column_bytes(st, 0), b, (size_t)sqlite3_column_bytes(st, 1));
    if (rc == IEUM_ENOMEM)
      goto done;
    if (rc) {
      /* a row another tool wrote that is no Korean-English pair: skipped */
      ieum__error_clear();
      rc = IEUM_OK;
      continue;
    }
    n++;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the lexicon");
done:
  sqlite3_finalize(st);
  if (rc == 0 && out)
    *out = n;
  return rc;
}

/*
** Units the length model reads at most, the most recent first: enough for a
** ratio good to a fraction of a percent, and a bounded cost (about 20 ms)
** however large the TM.
*/
#define LENGTH_UNITS_MAX 20000

int ieum_tm_length_ratio(double *ratio, double *src_chars, ieum_tm *tm, const char *src_lang,
                         const char *tgt_lang, double min_score)
{
  sqlite3_stmt *st = NULL;
  double sum1 = 0, sum2 = 0;
  int rc = IEUM_OK, src;
  if (ratio)
    *ratio = 0;
  if (src_chars)
    *src_chars = 0;
  if (!ratio || !src_chars || !tm || !src_lang || !tgt_lang || !(min_score >= 0 && min_score <= 1))
    return ieum__error_set(IEUM_EINVAL, "length ratio: missing argument or min_score outside [0,1]");
  src = sqlite3_prepare_v2(tm->db,
                           "SELECT src, tgt FROM units WHERE bead = '1-1' AND score >= ?1"
                           " AND src_lang = ?2 COLLATE NOCASE AND tgt_lang = ?3 COLLATE NOCASE"
                           " ORDER BY id DESC LIMIT ?4",
                           -1, &st, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot read the units");
  sqlite3_bind_double(st, 1, min_score);
  sqlite3_bind_text(st, 2, src_lang, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, tgt_lang, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 4, LENGTH_UNITS_MAX);
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    if (!a || !b)
      continue;
    sum1 += (double)ieum_align__length(a, (size_t)sqlite3_column_bytes(st, 0));
    sum2 += (double)ieum_align__length(b, (size_t)sqlite3_column_bytes(st, 1));
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
  sqlite3_finalize(st);
  if (rc == 0 && sum1 > 0 && sum2 > 0) {
    *ratio = sum2 / sum1;
    *src_chars = sum1;
  }
  return rc;
}
