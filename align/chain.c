/*
** align/chain.c: a monotone chain of confident anchors across a document
** pair, and the search band that follows it (chain_int.h).
**
** Anchors: the scorer's evidence keys (score.c: lexicon entries, names,
** numbers and months, Latin words; never punctuation marks) that at most
** RARE_MAX segments of each document hold.  Each such key pairs every
** source segment holding it with every target segment holding it, with
** weight 1 / (pairs of the key) times its family's weight; the weights of
** the keys a pair shares add up.  Such pairs are the likely translations,
** but a few are chance (a year that two articles both give).
** Chain: the heaviest monotone chain (i and j both increasing) of those
** pairs, where a step from (i, j) to (i', j') costs GAP_COST * log(1 + d)
** for its departure d from the diagonal, d = |(j' - j) - (i' - i)| beyond a
** slack for merges: a chance pair off the ladder costs two departures and
** is left out unless it is very heavy, while a block of any length inserted
** on one side costs one departure, log-priced, which the anchors after it
** pay for.  Dynamic programming over the pairs in source order: each pair's
** best predecessor among the PRED_WINDOW pairs before it, and the heaviest
** chain ending anywhere before it (a Fenwick tree of prefix maxima over
** target columns), priced with its departure: O(K (PRED_WINDOW + log m)).
** Length ratio (ieum_chain__lengths()): from the chain's pairs, for the
** first search, when a block on one side skews the documents' totals.
** Gaps (ieum_chain__gaps()): where one side holds GAP_MIN or more segments
** than the other between two anchors, their omissions get the prior of
** that share instead of the shape's.
** Band (ieum_chain__band()): rows between two consecutive anchors span the
** columns between the two diagonals through them, plus a pad: a narrow
** band where the anchors agree, the rectangle where a block lies between.
** Not here: the search over ladders (dp.c), what a key is (score.c).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chain_int.h"

/* Most segments of either document holding a key for it to anchor. */
#define RARE_MAX 3
/* Weight of an anchor key per family (score_int.h's IEUM_EV_*): lexicon entries are the least specific. */
static const float family_weight[IEUM_EV_FAMILIES] = { 0.5f, 1.0f, 1.0f, 1.0f, 0.0f };
/* Price of a departure from the diagonal, per unit of log(1 + d). */
#define GAP_COST 0.5
/* Departures up to SLACK_BASE + SLACK_SHARE * the step's length are free (merges, omissions). */
#define SLACK_BASE 2.0
#define SLACK_SHARE 0.1
/* Predecessors looked at directly, before the Fenwick tree's heaviest chain. */
#define PRED_WINDOW 64

typedef struct {
  uint64_t key;
  uint32_t seg;
} keyseg;

static int keyseg_cmp(const void *a, const void *b)
{
  const keyseg *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->seg < y->seg ? -1 : x->seg > y->seg;
}

static int double_cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int point_cmp(const void *a, const void *b)
{
  const ieum_chain_point *x = a, *y = b;
  if (x->i != y->i)
    return x->i < y->i ? -1 : 1;
  return x->j < y->j ? -1 : x->j > y->j;
}

/*
** The rare anchor keys of one side of the evidence: (key, segment) for
** every key of a family with weight whose count on the other side (q times
** `n_other`) is at most RARE_MAX, sorted by key.
*/
static int rare_keys(keyseg **out, size_t *count, const ieum_evidence *ev, size_t n_other)
{
  size_t n = ev->ks.n, k = 0, cap = 0;
  keyseg *v = NULL;
  *out = NULL;
  *count = 0;
  for (int pass = 0; pass < 2; pass++) {
    k = 0;
    for (size_t seg = 0; seg < n; seg++)
      for (size_t x = ev->ks.off[seg]; x < ev->ks.off[seg + 1]; x++) {
        int fam = (int)(ev->ks.keys[x] >> IEUM_EV_SHIFT);
        if (family_weight[fam] <= 0 || (double)ev->q[x] * (double)n_other > RARE_MAX + 0.5)
          continue;
        if (pass == 1)
          v[k] = (keyseg){ ev->ks.keys[x], (uint32_t)seg };
        k++;
      }
    if (pass == 0) {
      cap = k;
      if (cap == 0)
        return IEUM_OK;
      if (!(v = ieum__malloc(cap * sizeof *v)))
        return ieum__error_oom();
    }
  }
  qsort(v, k, sizeof *v, keyseg_cmp);
  *out = v;
  *count = k;
  return IEUM_OK;
}

/* The anchor pairs: every rare key both sides hold, paired across, their weights summed per pair. */
static int anchor_pairs(ieum_chain_point **out, size_t *count, const keyseg *a, size_t na, const keyseg *b,
                        size_t nb)
{
  size_t cap = 0, k = 0;
  ieum_chain_point *p = NULL;
  *out = NULL;
  *count = 0;
  for (int pass = 0; pass < 2; pass++) {
    size_t x = 0, y = 0;
    k = 0;
    while (x < na && y < nb) {
      if (a[x].key < b[y].key) {
        x++;
        continue;
      }
      if (b[y].key < a[x].key) {
        y++;
        continue;
      }
      size_t x1 = x, y1 = y;
      while (x1 < na && a[x1].key == a[x].key)
        x1++;
      while (y1 < nb && b[y1].key == b[y].key)
        y1++;
      if (x1 - x <= RARE_MAX && y1 - y <= RARE_MAX) {
        float w = family_weight[a[x].key >> IEUM_EV_SHIFT] / (float)((x1 - x) * (y1 - y));
        for (size_t u = x; u < x1; u++)
          for (size_t t = y; t < y1; t++) {
            if (pass == 1)
              p[k] = (ieum_chain_point){ a[u].seg, b[t].seg, w };
            k++;
          }
      }
      x = x1;
      y = y1;
    }
    if (pass == 0) {
      cap = k;
      if (cap == 0)
        return IEUM_OK;
      if (!(p = ieum__malloc(cap * sizeof *p)))
        return ieum__error_oom();
    }
  }
  qsort(p, k, sizeof *p, point_cmp);
  size_t u = 0;
  for (size_t t = 0; t < k; t++) {
    if (u > 0 && p[u - 1].i == p[t].i && p[u - 1].j == p[t].j)
      p[u - 1].w += p[t].w;
    else
      p[u++] = p[t];
  }
  *out = p;
  *count = u;
  return IEUM_OK;
}

/* The price of a step from (i0, j0) to (i1, j1), both increasing. */
static double gap(double i0, double j0, double i1, double j1)
{
  double di = i1 - i0, dj = j1 - j0;
  double d = fabs(dj - di) - SLACK_BASE - SLACK_SHARE * (di > dj ? di : dj);
  return d > 0 ? GAP_COST * log1p(d) : 0;
}

/* Fenwick tree of prefix maxima over target columns: value and the point holding it. */
typedef struct {
  double *v;
  uint32_t *at;
  size_t n;
} fenwick;

static void fen_put(fenwick *f, size_t j, double v, uint32_t at)
{
  for (size_t x = j + 1; x <= f->n; x += x & (~x + 1))
    if (v > f->v[x]) {
      f->v[x] = v;
      f->at[x] = at;
    }
}

/* The heaviest value over columns [0, j), and its point (UINT32_MAX = none). */
static double fen_max(const fenwick *f, size_t j, uint32_t *at)
{
  double best = -INFINITY;
  *at = UINT32_MAX;
  for (size_t x = j; x > 0; x -= x & (~x + 1))
    if (f->v[x] > best) {
      best = f->v[x];
      *at = f->at[x];
    }
  return best;
}

int ieum_chain__find(ieum_chain_point **out, size_t *count, const ieum_scorer *s)
{
  size_t n = ieum_doc_count(s->src), m = ieum_doc_count(s->tgt);
  keyseg *a = NULL, *b = NULL;
  size_t na = 0, nb = 0, np = 0;
  ieum_chain_point *p = NULL;
  double *best = NULL;
  uint32_t *from = NULL;
  fenwick f = { 0 };
  int rc;
  *out = NULL;
  *count = 0;
  if (n == 0 || m == 0 || n >= UINT32_MAX || m >= UINT32_MAX)
    return IEUM_OK;
  if ((rc = rare_keys(&a, &na, &s->ev[0], m)) != 0 || (rc = rare_keys(&b, &nb, &s->ev[1], n)) != 0)
    goto done;
  if ((rc = anchor_pairs(&p, &np, a, na, b, nb)) != 0 || np == 0)
    goto done;
  best = ieum__malloc(np * sizeof *best);
  from = ieum__malloc(np * sizeof *from);
  f.n = m;
  f.v = ieum__malloc((m + 1) * sizeof *f.v);
  f.at = ieum__malloc((m + 1) * sizeof *f.at);
  if (!best || !from || !f.v || !f.at) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t x = 0; x <= m; x++)
    f.v[x] = -INFINITY;
  /* best[k]: the heaviest chain ending at point k, from the start (-1, -1) */
  size_t row_start = 0; /* first point of the current source row: points before it are in the tree */
  for (size_t k = 0; k < np; k++) {
    if (p[k].i != p[row_start].i) {
      for (size_t t = row_start; t < k; t++)
        fen_put(&f, p[t].j, best[t], (uint32_t)t);
      row_start = k;
    }
    double bk = p[k].w - gap(-1, -1, p[k].i, p[k].j);
    uint32_t arg = UINT32_MAX;
    size_t lo = row_start > PRED_WINDOW ? row_start - PRED_WINDOW : 0;
    for (size_t t = lo; t < row_start; t++) {
      if (p[t].j >= p[k].j)
        continue;
      double v = best[t] + p[k].w - gap(p[t].i, p[t].j, p[k].i, p[k].j);
      if (v > bk) {
        bk = v;
        arg = (uint32_t)t;
      }
    }
    uint32_t t;
    if (fen_max(&f, p[k].j, &t) > -INFINITY && t != UINT32_MAX) {
      double v = best[t] + p[k].w - gap(p[t].i, p[t].j, p[k].i, p[k].j);
      if (v > bk) {
        bk = v;
        arg = t;
      }
    }
    best[k] = bk;
    from[k] = arg;
  }
  /* the end: the chain whose weight, less its step to (n, m), is the greatest */
  double top = -INFINITY;
  size_t end = 0;
  for (size_t k = 0; k < np; k++) {
    double v = best[k] - gap(p[k].i, p[k].j, (double)n, (double)m);
    if (v > top) {
      top = v;
      end = k;
    }
  }
  size_t len = 0;
  for (uint32_t k = (uint32_t)end; k != UINT32_MAX; k = from[k])
    len++;
  /* reuse the front of p for the chain, in order: its points are all at or before `end` */
  ieum_chain_point *chain = ieum__malloc(len * sizeof *chain);
  if (!chain) {
    rc = ieum__error_oom();
    goto done;
  }
  size_t at = len;
  for (uint32_t k = (uint32_t)end; k != UINT32_MAX; k = from[k])
    chain[--at] = p[k];
  *out = chain;
  *count = len;
done:
  ieum__free(a);
  ieum__free(b);
  ieum__free(p);
  ieum__free(best);
  ieum__free(from);
  ieum__free(f.v);
  ieum__free(f.at);
  return rc;
}

/* Widens rows [ia, ib] to hold the step from (ia, ja) to (ib, jb) with `pad` columns either side. */
static void cover_step(size_t *lo, size_t *hi, size_t ia, size_t ja, size_t ib, size_t jb, size_t m, size_t pad)
{
  size_t di = ib - ia, dj = jb - ja;
  for (size_t i = ia; i <= ib; i++) {
    size_t a = ja + (i - ia), c = jb >= ib - i ? jb - (ib - i) : 0;
    size_t lin = di ? ja + (size_t)((double)dj * (double)(i - ia) / (double)di + 0.5) : ja;
    if (a > jb)
      a = jb;
    if (c < ja)
      c = ja;
    size_t l = a < c ? a : c, h = a < c ? c : a;
    if (lin < l)
      l = lin;
    if (lin > h)
      h = lin;
    if (di == 0) {
      l = ja;
      h = jb;
    }
    l = l > pad ? l - pad : 0;
    h = h + pad < m ? h + pad : m;
    if (l < lo[i])
      lo[i] = l;
    if (h > hi[i])
      hi[i] = h;
  }
}

size_t ieum_chain__band(size_t *ctr, size_t *hw, size_t n, size_t m, const ieum_chain_point *p, size_t count,
                        size_t pad)
{
  /* lo and hi live in ctr and hw until the end */
  size_t *lo = ctr, *hi = hw;
  for (size_t i = 0; i <= n; i++) {
    lo[i] = SIZE_MAX;
    hi[i] = 0;
  }
  size_t ia = 0, ja = 0;
  for (size_t k = 0; k <= count; k++) {
    size_t ib = k < count ? p[k].i : n, jb = k < count ? p[k].j : m;
    if (ib < ia || jb < ja)
      continue; /* cannot happen: the chain increases */
    cover_step(lo, hi, ia, ja, ib, jb, m, pad);
    ia = ib;
    ja = jb;
  }
  size_t cells = 0;
  for (size_t i = 0; i <= n; i++) {
    size_t l = lo[i], h = hi[i];
    ctr[i] = (l + h) / 2;
    hw[i] = (h - l + 1) / 2;
    cells += 2 * hw[i] + 1;
  }
  return cells;
}

/* Most a chain pair's length ratio may stray from the median of them all (either way) to count in ieum_chain__ratio(). */
#define RATIO_SPREAD 2.0

int ieum_chain__lengths(const ieum_scorer *s, const ieum_chain_point *p, size_t count, double *src_chars,
                        double *tgt_chars)
{
  double *r = NULL;
  *src_chars = *tgt_chars = 0;
  if (count == 0)
    return IEUM_OK;
  if (!(r = ieum__malloc(count * sizeof *r)))
    return ieum__error_oom();
  size_t k = 0;
  for (size_t x = 0; x < count; x++) {
    double l1 = s->src_cum[p[x].i + 1] - s->src_cum[p[x].i], l2 = s->tgt_cum[p[x].j + 1] - s->tgt_cum[p[x].j];
    if (l1 > 0 && l2 > 0)
      r[k++] = l2 / l1;
  }
  if (k > 0) {
    qsort(r, k, sizeof *r, double_cmp);
    double med = k % 2 ? r[k / 2] : (r[k / 2 - 1] + r[k / 2]) / 2;
    for (size_t x = 0; x < count; x++) {
      double l1 = s->src_cum[p[x].i + 1] - s->src_cum[p[x].i], l2 = s->tgt_cum[p[x].j + 1] - s->tgt_cum[p[x].j];
      if (l1 <= 0 || l2 <= 0 || l2 / l1 > med * RATIO_SPREAD || l2 / l1 < med / RATIO_SPREAD)
        continue;
      *src_chars += l1;
      *tgt_chars += l2;
    }
  }
  ieum__free(r);
  return IEUM_OK;
}

/*
** Gaps: between two anchors (or an end of the documents) where one side
** holds G or more segments than the other (GAP_MIN), at least G of its
** segments there translate nothing.  Their omissions get the log-prior of
** that share (at most GAP_PRIOR_MAX), far above the shape's 0.01: a block
** of another article's lines becomes a run of 0-1 beads instead of being
** folded, line by line, into merges with the sentences about it.
*/
/*
** Measured on ../shared/data/align and bench/insertions.py: GAP_MIN 3 cost
** strict F1 .003 (merges and drops of real news leave gaps of three), 6
** left 5-line blocks folded into merges (0.9625 of the true pairs found
** with 5 lines in the middle, against 0.9762 at 4).
*/
#define GAP_MIN 4

#define GAP_PRIOR_MAX 0.9

int ieum_chain__gaps(ieum_scorer *s, const ieum_chain_point *p, size_t count)
{
  size_t n = ieum_doc_count(s->src), m = ieum_doc_count(s->tgt);
  size_t ia = 0, ja = 0; /* the first segments after the previous anchor */
  int rc = IEUM_OK;
  for (size_t k = 0; k <= count && rc == 0; k++) {
    size_t ib = k < count ? p[k].i : n, jb = k < count ? p[k].j : m;
    if (ib < ia || jb < ja)
      continue;
    size_t di = ib - ia, dj = jb - ja;
    if (dj >= di + GAP_MIN) {
      double share = (double)(dj - di) / (double)dj;
      rc = ieum_score__set_omissions(s, 1, ja, jb, log(share < GAP_PRIOR_MAX ? share : GAP_PRIOR_MAX));
    } else if (di >= dj + GAP_MIN) {
      double share = (double)(di - dj) / (double)di;
      rc = ieum_score__set_omissions(s, 0, ia, ib, log(share < GAP_PRIOR_MAX ? share : GAP_PRIOR_MAX));
    }
    ia = ib + 1;
    ja = jb + 1;
  }
  return rc;
}
