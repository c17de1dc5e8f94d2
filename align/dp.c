/*
** align/dp.c: band-limited dynamic-programming sentence aligner.
**
** Given two segmented documents and the scorer of score.c, finds the monotone
** ladder of beads {1-1, 1-0, 0-1, 2-1, 1-2, 2-2} with the highest total
** log-probability (Viterbi), then gives every bead of that ladder its
** posterior probability by the forward-backward algorithm over the same
** lattice: the share of all ladders' probability mass that goes through that
** bead.  That posterior is the bead's confidence in [0,1].
**
** The search runs over a band of half-width W around the length diagonal
** (see centers()).  Only three rows of scores are kept (beads span at most two
** rows) and one byte of back-pointer per band cell, so time is O(n*W) and
** memory O(n*W) bytes.  If the best path comes within EDGE_MARGIN cells of
** the band's edge, the band may have cut off a better path: the band is
** re-centered on that path, and from the second time on also doubled, and
** the search runs again (at most until W covers the whole matrix).
** Two passes: the first finds a ladder with the ratio and variance estimated
** from document totals; the length model is then refitted on that ladder's
** confident 1-1 beads and the final ladder is searched with it.
** Not here: what a bead's probability is (score.c), segmentation (segment.c).
*/
#include <math.h>
#include <string.h>

#include "score_int.h"

struct ieum_alignment {
  ieum_bead *beads;
  size_t n;
  double ratio;
};

/* Band half-width to start with, in segments, when the options give none. */
#define DEFAULT_BAND 20
/* A path this close to the band's edge triggers a wider search. */
#define EDGE_MARGIN 3

typedef struct {
  size_t n, m;         /* segments: source (rows), target (columns) */
  const size_t *ctr;   /* ctr[i]: the band's center column in row i */
  size_t w;            /* half-width */
  size_t width;        /* 2w+1 cells per row */
  uint8_t *bp;         /* (n+1)*width back-pointers: shape index + 1, 0 = none */
  double *row[3];      /* scores of rows i, i-1, i-2 (by i % 3) */
} band;

/* Column at the center of row i. */
static ptrdiff_t center(const band *b, size_t i)
{
  return (ptrdiff_t)b->ctr[i];
}

/*
** The band follows the length diagonal, not the index diagonal: row i is
** centered on the target segment where the same share of the target text
** has gone by as of the source text before segment i.  Merges and splits
** leave those shares unchanged, so the true path stays near this line where
** an index diagonal would drift by one per merge.  `c` has n+1 entries.
*/
static void centers(size_t *c, const ieum_scorer *s, size_t n, size_t m)
{
  double st = s->src_cum[n], tt = s->tgt_cum[m];
  size_t j = 0;
  for (size_t i = 0; i <= n; i++) {
    double share = st > 0 ? s->src_cum[i] / st : (n ? (double)i / (double)n : 1);
    double want = share * tt;
    while (j < m && (tt > 0 ? s->tgt_cum[j + 1] <= want + 1e-9 : (double)(j + 1) <= share * (double)m))
      j++;
    /* Of j and j+1, the boundary closer to `want`. */
    if (j < m && tt > 0 && s->tgt_cum[j + 1] - want < want - s->tgt_cum[j])
      c[i] = j + 1;
    else
      c[i] = j;
    if (i == n)
      c[i] = m;
  }
  c[0] = 0;
}

/* Cell index of (i,j) within its row, or -1 when outside the band or the matrix. */
static ptrdiff_t cell(const band *b, size_t i, size_t j)
{
  if (j > b->m)
    return -1;
  ptrdiff_t k = (ptrdiff_t)j - (center(b, i) - (ptrdiff_t)b->w);
  return k >= 0 && (size_t)k < b->width ? k : -1;
}

static double lse(double x, double y)
{
  if (x == -INFINITY)
    return y;
  if (y == -INFINITY)
    return x;
  return x > y ? x + log1p(exp(y - x)) : y + log1p(exp(x - y));
}

static void band_free(band *b)
{
  ieum__free(b->bp);
  for (int r = 0; r < 3; r++)
    ieum__free(b->row[r]);
  memset(b, 0, sizeof *b);
}

static int band_alloc(band *b, size_t n, size_t m, const size_t *ctr, size_t w)
{
  memset(b, 0, sizeof *b);
  b->ctr = ctr;
  b->n = n;
  b->m = m;
  b->w = w;
  b->width = 2 * w + 1;
  if (b->width > SIZE_MAX / (n + 1))
    return ieum__error_set(IEUM_ELIMIT, "alignment band too large (%zu x %zu)", n + 1, b->width);
  b->bp = ieum__calloc((n + 1) * b->width, 1);
  for (int r = 0; r < 3; r++)
    b->row[r] = ieum__malloc(b->width * sizeof(double));
  if (!b->bp || !b->row[0] || !b->row[1] || !b->row[2]) {
    band_free(b);
    return ieum__error_oom();
  }
  return IEUM_OK;
}

/* Range of valid columns of row i: [*lo, *hi]. */
static void row_range(const band *b, size_t i, size_t *lo, size_t *hi)
{
  ptrdiff_t c = center(b, i);
  ptrdiff_t l = c - (ptrdiff_t)b->w, h = c + (ptrdiff_t)b->w;
  *lo = l < 0 ? 0 : (size_t)l;
  *hi = h > (ptrdiff_t)b->m ? b->m : (size_t)h;
}

/*
** Viterbi over the band.  Fills back-pointers; returns the best total
** log-probability, -INFINITY when (n,m) is unreachable within the band.
*/
static double viterbi(band *b, const ieum_scorer *s)
{
  for (size_t i = 0; i <= b->n; i++) {
    double *cur = b->row[i % 3];
    uint8_t *bp = b->bp + i * b->width;
    for (size_t k = 0; k < b->width; k++)
      cur[k] = -INFINITY;
    size_t lo, hi;
    row_range(b, i, &lo, &hi);
    for (size_t j = lo; j <= hi; j++) {
      ptrdiff_t kc = cell(b, i, j);
      double best = (i == 0 && j == 0) ? 0 : -INFINITY;
      uint8_t arg = 0;
      for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
        size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
        if (a > i || bb > j)
          continue;
        ptrdiff_t kp = cell(b, i - a, j - bb);
        if (kp < 0)
          continue;
        double prev = b->row[(i - a) % 3][kp];
        if (prev == -INFINITY)
          continue;
        double v = prev + ieum_score__bead(s, i - a, j - bb, sh);
        if (v > best) {
          best = v;
          arg = (uint8_t)(sh + 1);
        }
      }
      cur[kc] = best;
      bp[kc] = arg;
    }
  }
  ptrdiff_t kf = cell(b, b->n, b->m);
  return kf < 0 ? -INFINITY : b->row[b->n % 3][kf];
}

/* Follows back-pointers from (n,m); writes the beads in order.  Returns the count. */
static size_t backtrack(const band *b, ieum_bead *beads)
{
  size_t i = b->n, j = b->m, count = 0;
  while (i > 0 || j > 0) {
    uint8_t sh = b->bp[i * b->width + (size_t)cell(b, i, j)] - 1;
    size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
    i -= a;
    j -= bb;
    beads[count++] = (ieum_bead){ .src_start = i, .src_n = (uint32_t)a, .tgt_start = j,
                                  .tgt_n = (uint32_t)bb, .score = 0 };
  }
  for (size_t k = 0; k < count / 2; k++) {
    ieum_bead t = beads[k];
    beads[k] = beads[count - 1 - k];
    beads[count - 1 - k] = t;
  }
  return count;
}

/*
** Centers the band on a ladder: row i on the column where the ladder enters
** it (a row the ladder steps over keeps the previous row's center).
** *jump gets the largest step between consecutive centers.
*/
static void recenter(size_t *ctr, size_t *jump, const ieum_bead *beads, size_t count, size_t n, size_t m)
{
  size_t row = 0, last = 0;
  for (size_t k = 0; k < count && row <= n; k++) {
    size_t i = beads[k].src_start;
    while (row < i)
      ctr[row++] = last;
    if (row == i && row <= n)
      ctr[row++] = beads[k].tgt_start;
    last = beads[k].tgt_start;
  }
  while (row <= n)
    ctr[row++] = m;
  ctr[0] = 0;
  ctr[n] = m;
  *jump = 0;
  for (size_t i = 1; i <= n; i++)
    if (ctr[i] - ctr[i - 1] > *jump)
      *jump = ctr[i] - ctr[i - 1];
}

/* Non-zero when a bead boundary of the ladder lies within EDGE_MARGIN of the band's edge. */
static int near_edge(const band *b, const ieum_bead *beads, size_t count)
{
  for (size_t k = 0; k < count; k++) {
    size_t i = beads[k].src_start, j = beads[k].tgt_start;
    ptrdiff_t d = (ptrdiff_t)j - center(b, i);
    if (d < 0)
      d = -d;
    if ((size_t)d + EDGE_MARGIN > b->w)
      return 1;
  }
  return 0;
}

/*
** Forward-backward over the band: sets each bead's score to its posterior.
** Reuses the band's three score rows; the back-pointers are not touched.
*/
static int posteriors(band *b, const ieum_scorer *s, ieum_bead *beads, size_t count)
{
  double *fstart = ieum__malloc((count + 1) * sizeof *fstart);
  double *bend = ieum__malloc((count + 1) * sizeof *bend);
  if (!fstart || !bend) {
    ieum__free(fstart);
    ieum__free(bend);
    return ieum__error_oom();
  }
  /* Forward. */
  size_t p = 0;
  double z = -INFINITY;
  for (size_t i = 0; i <= b->n; i++) {
    double *cur = b->row[i % 3];
    for (size_t k = 0; k < b->width; k++)
      cur[k] = -INFINITY;
    size_t lo, hi;
    row_range(b, i, &lo, &hi);
    for (size_t j = lo; j <= hi; j++) {
      double acc = (i == 0 && j == 0) ? 0 : -INFINITY;
      for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
        size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
        if (a > i || bb > j)
          continue;
        ptrdiff_t kp = cell(b, i - a, j - bb);
        if (kp < 0 || b->row[(i - a) % 3][kp] == -INFINITY)
          continue;
        acc = lse(acc, b->row[(i - a) % 3][kp] + ieum_score__bead(s, i - a, j - bb, sh));
      }
      cur[cell(b, i, j)] = acc;
    }
    while (p < count && beads[p].src_start == i) {
      fstart[p] = cur[cell(b, i, beads[p].tgt_start)];
      p++;
    }
    if (i == b->n)
      z = cur[cell(b, b->n, b->m)];
  }
  /* Backward. */
  size_t q = count;
  for (size_t ii = b->n + 1; ii-- > 0;) {
    double *cur = b->row[ii % 3];
    for (size_t k = 0; k < b->width; k++)
      cur[k] = -INFINITY;
    size_t lo, hi;
    row_range(b, ii, &lo, &hi);
    for (size_t j = hi + 1; j-- > lo;) {
      double acc = (ii == b->n && j == b->m) ? 0 : -INFINITY;
      for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
        size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
        if (ii + a > b->n || j + bb > b->m)
          continue;
        ptrdiff_t kn = cell(b, ii + a, j + bb);
        if (kn < 0 || b->row[(ii + a) % 3][kn] == -INFINITY)
          continue;
        acc = lse(acc, b->row[(ii + a) % 3][kn] + ieum_score__bead(s, ii, j, sh));
      }
      cur[cell(b, ii, j)] = acc;
    }
    while (q > 0 && beads[q - 1].src_start + beads[q - 1].src_n == ii) {
      q--;
      bend[q] = cur[cell(b, ii, beads[q].tgt_start + beads[q].tgt_n)];
    }
  }
  for (size_t k = 0; k < count; k++) {
    int sh = 0;
    while (sh < IEUM_N_SHAPES && !(ieum_shapes[sh][0] == beads[k].src_n && ieum_shapes[sh][1] == beads[k].tgt_n))
      sh++;
    double lp = fstart[k] + ieum_score__bead(s, beads[k].src_start, beads[k].tgt_start, sh) + bend[k] - z;
    double post = exp(lp);
    beads[k].score = post > 1 ? 1 : post < 0 || isnan(post) ? 0 : post;
  }
  ieum__free(fstart);
  ieum__free(bend);
  return IEUM_OK;
}

/*
** One search with widening: returns the ladder in *beads and *count (allocated
** here, n+m beads at most) with the band left allocated in *b for
** posteriors.
*/
static int search(band *b, ieum_bead **beads, size_t *count, const ieum_scorer *s, size_t n, size_t m,
                  size_t *ctr, size_t *w_io)
{
  size_t full = (n > m ? n : m) + 1;
  size_t w = *w_io, jump = 0;
  int rc;
  for (size_t i = 1; i <= n; i++)
    if (ctr[i] - ctr[i - 1] > jump)
      jump = ctr[i] - ctr[i - 1];
  /* Reachability: a row must reach the next row's band through 0-1 and 1-2 steps. */
  if (jump / 2 + 2 > w)
    w = jump / 2 + 2;
  if (w > full)
    w = full;
  ieum_bead *out = ieum__malloc((n + m + 1) * sizeof *out);
  if (!out)
    return ieum__error_oom();
  int recentered = 0;
  for (;;) {
    if ((rc = band_alloc(b, n, m, ctr, w)) != 0) {
      ieum__free(out);
      return rc;
    }
    double total = viterbi(b, s);
    if (total != -INFINITY) {
      *count = backtrack(b, out);
      if (w >= full || !near_edge(b, out, *count))
        break;
    } else if (w >= full) {
      band_free(b);
      ieum__free(out);
      return ieum__error_set(IEUM_ERROR, "alignment found no ladder (internal error)");
    }
    band_free(b);
    if (total != -INFINITY) {
      /*
      ** Follow the path: where it met the edge, the band moves toward where
      ** it was going.  After the first move the band also doubles, so a
      ** ladder far from the first guess is reached in a logarithmic number
      ** of searches.
      */
      recenter(ctr, &jump, out, *count, n, m);
      if (recentered++ > 0)
        w *= 2;
      if (jump / 2 + 2 > w)
        w = jump / 2 + 2;
    } else {
      w *= 2;
    }
    if (w > full)
      w = full;
  }
  *w_io = w;
  *beads = out;
  return IEUM_OK;
}

int ieum_alignment_new(ieum_alignment **out, const ieum_doc *src, const ieum_doc *tgt,
                       const ieum_align_options *opts)
{
  ieum_align_options defaults = IEUM_ALIGN_OPTIONS_INIT;
  ieum_scorer sc;
  band b = { 0 };
  ieum_bead *beads = NULL;
  size_t count = 0;
  ieum_alignment *al = NULL;
  int rc;

  *out = NULL;
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_ALIGN_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "align options: unknown version %u", opts->version);
  if (!src || !tgt)
    return ieum__error_set(IEUM_EINVAL, "align: missing document");
  size_t n = ieum_doc_count(src), m = ieum_doc_count(tgt);
  size_t w0 = opts->band ? opts->band : DEFAULT_BAND;
  if ((rc = ieum_score__init(&sc, src, tgt, opts->ratio)) != 0)
    return rc;
  size_t w = w0;
  size_t *ctr = ieum__malloc((n + 1) * sizeof *ctr);
  if (!ctr) {
    rc = ieum__error_oom();
    goto done;
  }
  centers(ctr, &sc, n, m);

  /* Pass 1: ladder under the totals' ratio; refit on its confident 1-1 beads. */
  if (opts->ratio <= 0 && n > 0 && m > 0) {
    if ((rc = search(&b, &beads, &count, &sc, n, m, ctr, &w)) != 0)
      goto done;
    w = w0; /* the band is now centered on a ladder close to the final one */
    ieum_score__refit(&sc, beads, count);
    band_free(&b);
    /* The second search starts from this ladder: most of its band is already right. */
    size_t jump;
    recenter(ctr, &jump, beads, count, n, m);
    ieum__free(beads);
    beads = NULL;
  }
  /* Pass 2: the final ladder and its posteriors. */
  if ((rc = search(&b, &beads, &count, &sc, n, m, ctr, &w)) != 0)
    goto done;
  if ((rc = posteriors(&b, &sc, beads, count)) != 0)
    goto done;

  al = ieum__calloc(1, sizeof *al);
  if (!al) {
    rc = ieum__error_oom();
    goto done;
  }
  al->beads = beads;
  al->n = count;
  al->ratio = sc.ratio;
  beads = NULL;
  *out = al;
done:
  band_free(&b);
  ieum__free(beads);
  ieum__free(ctr);
  ieum_score__dispose(&sc);
  return rc;
}

void ieum_alignment_free(ieum_alignment *al)
{
  if (!al)
    return;
  ieum__free(al->beads);
  ieum__free(al);
}

size_t ieum_alignment_count(const ieum_alignment *al)
{
  return al ? al->n : 0;
}

const ieum_bead *ieum_alignment_bead(const ieum_alignment *al, size_t i)
{
  return al && i < al->n ? &al->beads[i] : NULL;
}

double ieum_alignment_ratio(const ieum_alignment *al)
{
  return al ? al->ratio : 0;
}

int ieum_bead_text(ieum_buf *out, const ieum_doc *doc, const ieum_bead *bead, int side)
{
  size_t start = side ? bead->tgt_start : bead->src_start;
  size_t n = side ? bead->tgt_n : bead->src_n;
  for (size_t k = 0; k < n; k++) {
    const ieum_segment *sg = ieum_doc_segment(doc, start + k);
    if (!sg)
      return ieum__error_set(IEUM_EINVAL, "bead refers to segment %zu of a %zu-segment document", start + k,
                             ieum_doc_count(doc));
    int rc;
    if (k > 0 && (rc = ieum__buf_putc(out, ' ')) != 0)
      return rc;
    if ((rc = ieum__buf_put(out, sg->text, sg->len)) != 0)
      return rc;
  }
  return IEUM_OK;
}
