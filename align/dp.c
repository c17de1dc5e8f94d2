/*
** align/dp.c: band-limited dynamic-programming sentence aligner.
**
** Given two segmented documents and the scorer of score.c, finds the monotone
** ladder of beads {1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3} with the highest total
** log-probability (Viterbi), then gives every bead of that ladder its
** posterior probability by the forward-backward algorithm over the same
** lattice: the share of all ladders' probability mass that goes through that
** bead.  That posterior is the bead's confidence in [0,1].
**
** The search runs over a band around a guessed ladder: row i spans a range
** of columns around a center, and only four rows of scores (beads span at
** most three rows) plus one byte of
** back-pointer per band cell are kept.  Where the best path comes within
** EDGE_MARGIN cells of the band's edge, the band may have cut off a better
** path: it is re-centered on that path and doubled around those rows only,
** and the search runs again.  Widening has a hard bound: no half-width
** past W_max = IEUM_ALIGN_BAND_MAX (256, include/ieum/align.h), at most
** SEARCH_ROUNDS_MAX passes, and none after a pass that ties with the one
** before (repetitive text, where ladders score alike and the best touches
** some edge of any band); the ladder of the last pass is kept, complete and
** in order, the best within its band.
** Two passes.  The first follows the chain of confident anchors that
** chain.c finds across the whole pair (chain_ladder()): one search in a
** band along the chain, which lays a row over any block inserted on one
** side, so that the block becomes a run of 0-1 or 1-0 beads however long
** it is; the band's cells are held to IEUM_ALIGN_BAND_MAX per row of both
** documents.  Without a chain (fewer than CHAIN_MIN anchors: repetitive
** text, no numbers or names), it finds a ladder under the ratio of the
** document totals, chunk by chunk (first_ladder()): each chunk starts at a point of
** the ladder already found and follows the length diagonal from there, so
** the band stays narrow however long the documents are (a global length
** diagonal drifts away from the true ladder with every omission).  The
** length model is refitted on that ladder's confident 1-1 beads, and the
** final ladder is searched in a narrow band around the first; that search
** also sums the beads it maximizes, which is the forward pass of the
** posteriors, so only the backward pass remains (from the bead scores it
** kept), for documents whose sums fit FUSED_MAX.
** Each cell asks the scorer once for the beads of all shapes ending there
** (ieum_score__cell()).  The posteriors' backward pass runs on a second
** thread, at the same time as the forward pass, for documents too long for
** its cache of bead scores, when the options allow (threads, default: two
** when the machine has them); the result is the same, bit for bit.
** Cost: O((n+m)*W) time and bytes of memory for the band's half-width W,
** at most W_max whatever the text: one sentence repeated 100k times aligns
** in about the time of 100k real sentences (bench/hostile.py).
** Not here: what a bead's probability is (score.c), segmentation (segment.c).
*/
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "calib_int.h"
#include "chain_int.h"

struct ieum_alignment {
  ieum_bead *beads;
  size_t n;
  double ratio;
};

/* Band half-width to start with, in segments, when the options give none. */
#define DEFAULT_BAND 8
/*
** Half-width of the final search, around the first pass's ladder: the refit
** moves the ladder by a segment or two at most, and the band widens where it
** does not suffice.  4 gives the same ladders as 8 on ../shared/data/align and
** on 20k- and 100k-sentence pairs, for 4% fewer instructions in all.
*/
#define FINAL_BAND 4
/*
** Half-width of the band around the final ladder over which the posteriors
** are summed.  Ladders further away carry next to no probability mass: 3, 4
** and 8 give the same precision at every --min-score on ../shared/data/align;
** 4 keeps a margin, for a tenth fewer instructions than the search's band.
*/
#define POST_BAND 4
/* A path this close to the band's edge triggers a wider search there. */
#define EDGE_MARGIN 3
/*
** Passes of one search (a chunk, or the final search) at most: each pass
** but the last widens some rows.  Real text takes one to three (at most
** three on ../shared/data/align and bench/speed.py's 20k and 100k pairs);
** doubling from the final search's 4 to IEUM_ALIGN_BAND_MAX takes six, so
** 12 lets a stretch widen that far twice over.  A bound on the passes, with
** the bound on the width, makes a search O(rows * IEUM_ALIGN_BAND_MAX).
*/
#define SEARCH_ROUNDS_MAX 12
/*
** A pass whose best total is within this share of the previous pass's
** (relative) found a ladder no better than the one it widened around: where
** ladders tie (repeated text, where a 0-1 bead scores the same wherever it
** goes) the best one touches some edge of any band, and widening only finds
** another as good.  The search stops there.  The share is far above the
** rounding of a sum over a million beads (1e-16 each) and far below what
** moving one bead changes.
*/
#define TIE_SHARE 1e-9
/*
** Source rows per chunk of the first search (see first_ladder()).  Short
** chunks drift little from their length diagonal, so the narrow band rarely
** widens: at 256 rows 9 chunks in 10 of a 20k-sentence pair searched twice
** or three times; at 64, 20k sentences cost half the cells (640k against
** 1.2M) and 20% less time for the same ladders (32: no further gain).
*/
#define CHUNK_ROWS 64
/* Rows on either side of an edge contact that widen with it, as a multiple of the half-width. */
#define WIDEN_REACH 4

/*
** Most bytes of bead scores the forward pass of posteriors() keeps for the
** backward pass when both run on one thread (4 bytes per shape and cell of
** the band): about 4 MB per 20k sentences with POST_BAND 4, so documents up
** to about 200k sentences score each bead once, longer ones twice instead
** of using more memory; with two threads, those passes run at once and
** each scores its beads, for the same results as on one.
*/
#define POST_CACHE_MAX ((size_t)64 << 20)
/*
** The final search runs the forward pass of posteriors() along with its
** Viterbi pass (the same bead scores, summed as well as maximized), which
** saves scoring every bead of the band once more, when its forward sums and
** bead scores (8 + 4 * IEUM_N_SHAPES bytes per cell) fit in FUSED_MAX:
** documents up to about 180k sentences at the default band.  Longer ones,
** and a band that widens past that budget, take the separate passes.
*/
#define FUSED_BYTES_PER_CELL (sizeof(double) + IEUM_N_SHAPES * sizeof(float))
#define FUSED_MAX ((size_t)64 << 20)

/* The budgets above and the band's cap, as variables that the unit tests lower to reach the other paths. */
size_t ieum_align__post_cache_max = POST_CACHE_MAX;
size_t ieum_align__fused_max = FUSED_MAX;
size_t ieum_align__band_max = IEUM_ALIGN_BAND_MAX;

/*
** The band: rows r0..r1 of the matrix, row i spanning columns [lo[i],
** hi[i]] around ctr[i] with half-width hw[i] (clipped to the matrix and
** adjusted so that every row can reach the next).  Paths start at (r0, c0)
** and end at (r1, m), or anywhere in row r1 when free_end is set (a chunk
** of a long document).  lo, hi and off are indexed by the absolute row and
** belong to the caller (n+2 entries each, reused across chunks).
*/
typedef struct {
  size_t n, m;         /* segments of the whole documents: source (rows), target (columns) */
  size_t r0, r1, c0;   /* first and last row, start column */
  int free_end;        /* the path may end anywhere in row r1 */
  size_t care_until;   /* with free_end: edge contacts past this row do not matter */
  size_t *lo, *hi;     /* column ranges */
  size_t *off;         /* offsets of the rows' back-pointers, off[r0] = 0 */
  size_t maxw;         /* widest row */
  uint8_t *bp;         /* back-pointers: shape index + 1, 0 = none */
  double *fwd;         /* with_forward: per cell, the log-sum of all ladders from (r0, c0) to it */
  double *bwd;         /* with_forward, after posteriors(): per cell, the log-sum of all ladders from it to (n, m) */
  float *cache;        /* with_forward: per cell and shape, the score of the bead ending there (-inf = none) */
  int with_forward;    /* viterbi() also runs the forward pass of posteriors() */
  double *row[4];      /* scores of rows i, i-1, i-2, i-3 (by i % 4) */
  ieum_align__stats *st; /* what the searches cost, never NULL */
  double total;        /* search(): the total log-probability of the ladder it found */
} band;

/* Cell index of (i,j) within its row, or -1 when outside the band or the matrix. */
static inline ptrdiff_t cell(const band *b, size_t i, size_t j)
{
  return j >= b->lo[i] && j <= b->hi[i] ? (ptrdiff_t)(j - b->lo[i]) : -1;
}

/* Past this difference of logs, the smaller term is below a double's precision: log(1 + e^-40) = 4e-18. */
#define LSE_CUTOFF 40.0

static double lse(double x, double y)
{
  double d = x - y;
  if (d >= LSE_CUTOFF || y == -INFINITY)
    return x;
  if (d <= -LSE_CUTOFF || x == -INFINITY)
    return y;
  return d > 0 ? x + log1p(exp(-d)) : y + log1p(exp(d));
}

static void band_free(band *b)
{
  ieum__free(b->bp);
  b->bp = NULL;
  ieum__free(b->fwd);
  b->fwd = NULL;
  ieum__free(b->bwd);
  b->bwd = NULL;
  ieum__free(b->cache);
  b->cache = NULL;
  for (int r = 0; r < 4; r++) {
    ieum__free(b->row[r]);
    b->row[r] = NULL;
  }
}

/*
** Lays out rows b->r0..b->r1 from centers and half-widths: clips to the
** matrix, makes lo and hi non-decreasing and every row overlap the next, so
** that the end is reachable from the start within the band.
*/
static int band_alloc(band *b, const size_t *ctr, const size_t *hw)
{
  size_t r0 = b->r0, r1 = b->r1, m = b->m;
  for (size_t i = r0; i <= r1; i++) {
    b->lo[i] = ctr[i] > hw[i] ? ctr[i] - hw[i] : 0;
    b->hi[i] = ctr[i] + hw[i] < m ? ctr[i] + hw[i] : m;
    if (b->lo[i] < b->c0)
      b->lo[i] = b->c0;
    if (b->hi[i] < b->lo[i])
      b->hi[i] = b->lo[i];
  }
  b->lo[r0] = b->c0;
  if (!b->free_end)
    b->hi[r1] = m;
  for (size_t i = r1; i-- > r0;)
    if (b->lo[i] > b->lo[i + 1])
      b->lo[i] = b->lo[i + 1];
  for (size_t i = r0 + 1; i <= r1; i++) {
    if (b->hi[i] < b->hi[i - 1])
      b->hi[i] = b->hi[i - 1];
    if (b->lo[i] > b->hi[i - 1] + 1)
      b->lo[i] = b->hi[i - 1] + 1;
  }
  b->off[r0] = 0;
  b->maxw = 0;
  for (size_t i = r0; i <= r1; i++) {
    size_t w = b->hi[i] - b->lo[i] + 1;
    if (w > b->maxw)
      b->maxw = w;
    b->off[i + 1] = b->off[i] + w;
  }
  if (b->maxw > b->st->peak_row)
    b->st->peak_row = b->maxw;
  if (b->with_forward && b->off[r1 + 1] * FUSED_BYTES_PER_CELL > ieum_align__fused_max)
    b->with_forward = 0; /* widened past the fused pass's budget: posteriors() takes its own passes over it */
  b->bp = ieum__calloc(b->off[r1 + 1], 1);
  for (int r = 0; r < 4; r++)
    b->row[r] = ieum__malloc(b->maxw * sizeof(double));
  if (b->with_forward) {
    b->fwd = ieum__malloc((b->off[r1 + 1] + 1) * sizeof *b->fwd);
    b->cache = ieum__malloc((b->off[r1 + 1] * IEUM_N_SHAPES + 1) * sizeof *b->cache);
  }
  if (!b->bp || !b->row[0] || !b->row[1] || !b->row[2] || !b->row[3] ||
      (b->with_forward && (!b->fwd || !b->cache))) {
    band_free(b);
    return ieum__error_oom();
  }
  return IEUM_OK;
}

/*
** Where the beads of each shape ending in row i come from: shape k's
** predecessor of cell (i, j) is cell (i - a, j - b), read as
** prev[k][j - first[k]] when first[k] <= j <= last[k] (an empty range when
** that row is outside the band or before row `r0`).
*/
typedef struct {
  const double *prev[IEUM_N_SHAPES];
  size_t first[IEUM_N_SHAPES], last[IEUM_N_SHAPES];
} preds;

static void row_preds(preds *p, const band *b, double *const rows[4], size_t i, size_t r0)
{
  for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
    size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
    if (i < r0 + a) {
      p->prev[sh] = NULL;
      p->first[sh] = 1;
      p->last[sh] = 0;
      continue;
    }
    p->prev[sh] = rows[(i - a) % 4];
    p->first[sh] = b->lo[i - a] + bb;
    p->last[sh] = b->hi[i - a] + bb;
  }
}

/* The shapes whose predecessor of cell (i, j) is in the band and reachable, as bits; their scores in v[]. */
static inline unsigned cell_preds(const preds *p, size_t j, double v[IEUM_N_SHAPES])
{
  unsigned want = 0;
  for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
    if (j < p->first[sh] || j > p->last[sh])
      continue;
    double x = p->prev[sh][j - p->first[sh]];
    if (x == -INFINITY)
      continue;
    v[sh] = x;
    want |= 1u << sh;
  }
  return want;
}

/*
** The forward sum of one cell: `acc` (0 at the start, else -inf) and, by
** log-sum, each wanted shape's predecessor sum prev[] plus its bead score
** sc[].  With `cc`, the bead scores also go there for the backward pass,
** -inf for the shapes not wanted (a bead whose start cannot be reached).
*/
static double sum_cell(double acc, unsigned want, const double prev[IEUM_N_SHAPES], const double sc[IEUM_N_SHAPES],
                       float *cc)
{
  for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
    int wanted = want >> sh & 1;
    if (cc)
      cc[sh] = wanted ? (float)sc[sh] : -INFINITY;
    if (wanted)
      acc = lse(acc, prev[sh] + sc[sh]);
  }
  return acc;
}

/*
** Viterbi over the band.  Fills back-pointers; returns the best total
** log-probability, -INFINITY when (n,m) is unreachable within the band.
*/
static double viterbi(band *b, const ieum_scorer *s, size_t *end_col)
{
  preds p;
  for (size_t i = b->r0; i <= b->r1; i++) {
    double *cur = b->row[i % 4];
    uint8_t *bp = b->bp + b->off[i];
    size_t lo = b->lo[i], hi = b->hi[i];
    row_preds(&p, b, b->row, i, b->r0);
    for (size_t j = lo; j <= hi; j++) {
      double best = (i == b->r0 && j == b->c0) ? 0 : -INFINITY;
      double prev[IEUM_N_SHAPES], sc[IEUM_N_SHAPES];
      uint8_t arg = 0;
      unsigned want = cell_preds(&p, j, prev);
      if (want)
        ieum_score__cell(s, i, j, want, sc);
      for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
        if (!(want >> sh & 1))
          continue;
        double v = prev[sh] + sc[sh];
        if (v > best) {
          best = v;
          arg = (uint8_t)(sh + 1);
        }
      }
      cur[j - lo] = best;
      bp[j - lo] = arg;
      if (b->with_forward) {
        /* the same beads summed instead of maximized: the forward pass of posteriors() */
        size_t at = b->off[i] + j - lo;
        double fprev[IEUM_N_SHAPES];
        for (int sh = 0; sh < IEUM_N_SHAPES; sh++)
          if (want >> sh & 1) {
            size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
            fprev[sh] = b->fwd[b->off[i - a] + (j - bb - b->lo[i - a])];
          }
        b->fwd[at] = sum_cell((i == b->r0 && j == b->c0) ? 0 : -INFINITY, want, fprev, sc,
                              b->cache + at * IEUM_N_SHAPES);
      }
    }
  }
  const double *last = b->row[b->r1 % 4];
  if (!b->free_end) {
    *end_col = b->m;
    ptrdiff_t kf = cell(b, b->r1, b->m);
    return kf < 0 ? -INFINITY : last[kf];
  }
  double best = -INFINITY;
  for (size_t j = b->lo[b->r1]; j <= b->hi[b->r1]; j++)
    if (last[j - b->lo[b->r1]] > best) {
      best = last[j - b->lo[b->r1]];
      *end_col = j;
    }
  return best;
}

/* Follows back-pointers from (end_row, end_col) to (r0, c0); writes the beads in order.  Returns the count. */
static size_t backtrack(const band *b, size_t end_row, size_t end_col, ieum_bead *beads)
{
  size_t i = end_row, j = end_col, count = 0;
  while (i > b->r0 || j > b->c0) {
    uint8_t sh = b->bp[b->off[i] + (size_t)cell(b, i, j)] - 1;
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
** Centers rows r0..r1 of the band on a ladder that starts at (r0, c0): row i
** on the column where the ladder enters it (a row the ladder steps over
** keeps the previous row's center); rows past the ladder's end keep the end.
*/
static void recenter(size_t *ctr, size_t r0, size_t r1, size_t c0, const ieum_bead *beads, size_t count)
{
  size_t row = r0, last = c0;
  for (size_t k = 0; k < count && row <= r1; k++) {
    size_t i = beads[k].src_start;
    while (row < i && row <= r1)
      ctr[row++] = last;
    if (row == i && row <= r1)
      ctr[row++] = beads[k].tgt_start;
    last = beads[k].tgt_start + beads[k].tgt_n;
  }
  while (row <= r1)
    ctr[row++] = last;
  ctr[r0] = c0;
}

/*
** Centers and half-widths of rows 0..n for a band that holds every cell of
** a whole ladder with `pad` cells to spare on either side: a row the ladder
** crosses along several 0-1 beads gets a band wide enough for all of them;
** a row the ladder steps over keeps the previous row's.
*/
static void cover(size_t *ctr, size_t *hw, size_t n, const ieum_bead *beads, size_t count, size_t pad)
{
  size_t row = 0, lo = 0, hi = 0; /* columns of the ladder's points in `row` so far */
  for (size_t k = 0; k <= count; k++) {
    size_t i = n, j = 0; /* past the last bead: its end, (n, m) */
    if (k < count) {
      i = beads[k].src_start;
      j = beads[k].tgt_start;
    } else if (count > 0) {
      j = beads[count - 1].tgt_start + beads[count - 1].tgt_n;
    }
    if (i != row) {
      /* `row` is complete: lay it out, and the rows stepped over up to i */
      for (size_t r = row; r < i; r++) {
        ctr[r] = (lo + hi) / 2;
        hw[r] = (hi - lo + 1) / 2 + pad;
      }
      row = i;
      lo = hi = j;
    } else if (j > hi) {
      hi = j;
    }
  }
  ctr[n] = (lo + hi) / 2;
  hw[n] = (hi - lo + 1) / 2 + pad;
}

/*
** Doubles the half-width of the rows where a bead boundary of the ladder lies
** within EDGE_MARGIN of the band's edge (not the matrix's, nor a free end's
** last row), and of their neighbours (WIDEN_REACH half-widths each way):
** there the band may have cut off a better ladder, up to `cap` cells.
** Returns non-zero when any row widened; sets *at_cap when a row that
** touched the edge was at the cap already.
*/
static int widen_at_edges(size_t *hw, const band *b, const ieum_bead *beads, size_t count, size_t cap, int *at_cap)
{
  size_t until = b->r0; /* rows below this one already widened in this call */
  int any = 0;
  for (size_t k = 0; k < count; k++) {
    size_t i = beads[k].src_start, j = beads[k].tgt_start;
    int low = b->lo[i] > b->c0 && j < b->lo[i] + EDGE_MARGIN;
    int high = b->hi[i] < b->m && j + EDGE_MARGIN > b->hi[i];
    if ((!low && !high) || i < until)
      continue;
    if (b->free_end && i > b->care_until)
      break; /* a chunk's ladder past the part that is kept */
    if (hw[i] >= cap) {
      *at_cap = 1;
      continue;
    }
    size_t reach = WIDEN_REACH * hw[i];
    size_t from = i > b->r0 + reach ? i - reach : b->r0, to = i + reach < b->r1 ? i + reach : b->r1;
    if (from < until)
      from = until;
    for (size_t r = from; r <= to; r++)
      if (hw[r] < cap) /* a row wider than the cap (a chain's band over an inserted block) stays as it is */
        hw[r] = hw[r] * 2 > cap ? cap : hw[r] * 2;
    until = to + 1;
    any = 1;
  }
  return any;
}

/* One pass of posteriors(): its own score rows, and what it reports. */
typedef struct {
  const band *b;
  const ieum_scorer *s;
  const ieum_bead *beads;
  size_t count;
  double *row[4];  /* scores of rows i, i+-1, i+-2, i+-3 (by i % 4) */
  float *cache;    /* bead scores by end cell: written by forward, read by backward; NULL = none */
  double *ring;    /* backward without cache: scores of beads ending in rows ii..ii+3, by row % 4 */
  double *sums;    /* forward: at each bead's start; backward: at each bead's end */
  double *all;     /* backward: every cell's sum, when not NULL */
  double z;        /* forward: total of all ladders */
} pass;

/*
** Forward: the log-sum of all ladders from (0, 0) to each cell; fills
** p->sums at the beads' starts, p->z, and the cache of bead scores.  A
** bead whose start the forward pass cannot reach keeps -inf there: the
** backward pass then leaves it out, which changes only the backward sums
** of unreachable cells, never read.
*/
static void forward(pass *p)
{
  const band *b = p->b;
  preds pr;
  size_t k = 0;
  for (size_t i = 0; i <= b->n; i++) {
    double *cur = p->row[i % 4];
    size_t lo = b->lo[i], hi = b->hi[i];
    row_preds(&pr, b, p->row, i, 0);
    for (size_t j = lo; j <= hi; j++) {
      double prev[IEUM_N_SHAPES], sc[IEUM_N_SHAPES];
      unsigned want = cell_preds(&pr, j, prev);
      if (want)
        ieum_score__cell(p->s, i, j, want, sc);
      cur[j - lo] = sum_cell((i == 0 && j == 0) ? 0 : -INFINITY, want, prev, sc,
                             p->cache ? p->cache + (b->off[i] + j - lo) * IEUM_N_SHAPES : NULL);
    }
    if (p->all)
      memcpy(p->all + b->off[i], cur, (hi - lo + 1) * sizeof *cur);
    while (k < p->count && p->beads[k].src_start == i) {
      p->sums[k] = cur[cell(b, i, p->beads[k].tgt_start)];
      k++;
    }
    if (i == b->n)
      p->z = cur[cell(b, b->n, b->m)];
  }
}

/*
** The scores of every bead ending in row r whose start is in the band, into
** the ring's row r % 4: doubles, as the forward pass uses them (the float
** cache's rounding, summed over a million rows, moves confidences by 4e-3).
*/
static void ring_fill(pass *p, size_t r)
{
  const band *b = p->b;
  preds pr;
  row_preds(&pr, b, p->row, r, 0);
  double *dst = p->ring + (r % 4) * b->maxw * IEUM_N_SHAPES;
  for (size_t j = b->lo[r]; j <= b->hi[r]; j++) {
    unsigned want = 0;
    double sc[IEUM_N_SHAPES];
    for (int sh = 0; sh < IEUM_N_SHAPES; sh++)
      if (j >= pr.first[sh] && j <= pr.last[sh])
        want |= 1u << sh;
    if (want)
      ieum_score__cell(p->s, r, j, want, sc);
    for (int sh = 0; sh < IEUM_N_SHAPES; sh++)
      dst[(j - b->lo[r]) * IEUM_N_SHAPES + (size_t)sh] = want >> sh & 1 ? sc[sh] : -INFINITY;
  }
}

/* Backward: the log-sum of all ladders from each cell to (n, m); fills p->sums at the beads' ends. */
static void backward(pass *p)
{
  const band *b = p->b;
  size_t q = p->count;
  for (size_t ii = b->n + 1; ii-- > 0;) {
    double *cur = p->row[ii % 4];
    size_t lo = b->lo[ii], hi = b->hi[ii];
    if (!p->cache)
      ring_fill(p, ii);
    for (size_t j = hi + 1; j-- > lo;) {
      double acc = (ii == b->n && j == b->m) ? 0 : -INFINITY;
      for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
        size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
        if (ii + a > b->n || j + bb > b->m)
          continue;
        ptrdiff_t kn = cell(b, ii + a, j + bb);
        if (kn < 0 || p->row[(ii + a) % 4][kn] == -INFINITY)
          continue;
        size_t at = p->cache ? b->off[ii + a] + (size_t)kn : ((ii + a) % 4) * b->maxw + (size_t)kn;
        double sc = p->cache ? (double)p->cache[at * IEUM_N_SHAPES + (size_t)sh] : p->ring[at * IEUM_N_SHAPES + (size_t)sh];
        acc = lse(acc, p->row[(ii + a) % 4][kn] + sc);
      }
      cur[j - lo] = acc;
    }
    if (p->all)
      memcpy(p->all + b->off[ii], cur, (hi - lo + 1) * sizeof *cur);
    while (q > 0 && p->beads[q - 1].src_start + p->beads[q - 1].src_n == ii) {
      q--;
      p->sums[q] = cur[cell(b, ii, p->beads[q].tgt_start + p->beads[q].tgt_n)];
    }
  }
}

static void *backward_thread(void *arg)
{
  backward(arg);
  return NULL;
}

/*
** Forward-backward over the band: sets each bead's score to its posterior.
** Forward uses the band's score rows; the back-pointers are not touched.
** Without the cache (long documents) and with threads > 1, the backward
** pass runs on a second thread with a scorer of its own, at the same time
** as the forward pass; the result is the same as on one thread.
*/
static int posteriors(band *b, const ieum_scorer *s, ieum_bead *beads, size_t count, int threads)
{
  pass fw = { .b = b, .s = s, .beads = beads, .count = count }, bw = fw;
  ieum_scorer fork;
  int forked = 0, rc = IEUM_OK;
  size_t cells = b->off[b->r1 + 1];
  int cached = cells * IEUM_N_SHAPES * sizeof(float) <= ieum_align__post_cache_max;
  memcpy(fw.row, b->row, sizeof fw.row);
  fw.sums = ieum__malloc((count + 1) * sizeof *fw.sums);
  bw.sums = ieum__malloc((count + 1) * sizeof *bw.sums);
  if (!fw.sums || !bw.sums) {
    rc = ieum__error_oom();
    goto done;
  }
  if (b->with_forward) {
    /* viterbi() ran the forward pass over this band: its sums and bead scores are at hand */
    size_t k = 0;
    for (size_t i = 0; i <= b->n; i++)
      while (k < count && beads[k].src_start == i) {
        fw.sums[k] = b->fwd[b->off[i] + (size_t)cell(b, i, beads[k].tgt_start)];
        k++;
      }
    fw.z = b->fwd[b->off[b->n] + (size_t)cell(b, b->n, b->m)];
    bw.cache = b->cache;
    memcpy(bw.row, b->row, sizeof bw.row);
    if (!b->bwd && !(b->bwd = ieum__malloc((cells + 1) * sizeof *b->bwd))) {
      rc = ieum__error_oom();
      goto done;
    }
    bw.all = b->bwd;
    backward(&bw);
  } else if (cached) {
    if (!(fw.cache = ieum__malloc(cells * IEUM_N_SHAPES * sizeof *fw.cache))) {
      rc = ieum__error_oom();
      goto done;
    }
    bw.cache = fw.cache;
    memcpy(bw.row, b->row, sizeof bw.row); /* after the forward pass, on this thread */
    /* every cell's sums, kept with the bead scores for the posterior decoding (mbr()) */
    ieum__free(b->fwd);
    ieum__free(b->bwd);
    b->fwd = ieum__malloc((cells + 1) * sizeof *b->fwd);
    b->bwd = ieum__malloc((cells + 1) * sizeof *b->bwd);
    if (!b->fwd || !b->bwd) {
      rc = ieum__error_oom();
      goto done;
    }
    fw.all = b->fwd;
    bw.all = b->bwd;
    forward(&fw);
    backward(&bw);
    ieum__free(b->cache);
    b->cache = fw.cache;
    fw.cache = NULL;
  } else {
    for (int r = 0; r < 4; r++)
      if (!(bw.row[r] = ieum__malloc(b->maxw * sizeof(double)))) {
        rc = ieum__error_oom();
        goto done;
      }
    if (!(bw.ring = ieum__malloc(4 * b->maxw * IEUM_N_SHAPES * sizeof *bw.ring))) {
      rc = ieum__error_oom();
      goto done;
    }
    pthread_t th;
    if (threads > 1 && (rc = ieum_score__fork(&fork, s)) == 0) {
      forked = 1;
      bw.s = &fork;
      if (pthread_create(&th, NULL, backward_thread, &bw) == 0) {
        forward(&fw);
        pthread_join(th, NULL);
      } else {
        forward(&fw); /* no second thread to be had: one after the other */
        backward(&bw);
      }
    } else if (rc == 0) {
      forward(&fw);
      backward(&bw);
    } else {
      goto done;
    }
  }
  for (size_t k = 0; k < count; k++) {
    int sh = 0;
    while (sh < IEUM_N_SHAPES && !(ieum_shapes[sh][0] == beads[k].src_n && ieum_shapes[sh][1] == beads[k].tgt_n))
      sh++;
    double lp = fw.sums[k] + ieum_score__bead(s, beads[k].src_start, beads[k].tgt_start, sh) + bw.sums[k] - fw.z;
    double post = exp(lp);
    beads[k].score = post > 1 ? 1 : post < 0 || isnan(post) ? 0 : post;
  }
done:
  if (forked)
    ieum_score__unfork(&fork);
  ieum__free(fw.sums);
  ieum__free(bw.sums);
  ieum__free(fw.cache);
  ieum__free(bw.ring);
  if (!cached && !b->with_forward)
    for (int r = 0; r < 4; r++)
      ieum__free(bw.row[r]);
  return rc;
}

/*
** One search over rows b->r0..b->r1 with local widening: the ladder goes to
** out[] (room for the rows' and columns' count of beads), its length to
** *count, and the band stays allocated in *b for posteriors.  Every
** half-width starts at w; after each search the band is re-centered on the
** ladder found and doubled only around the rows where that ladder touched
** its edge, so the cost stays proportional to the length plus the stretches
** that really needed a wider search.  Widening stops at
** ieum_align__band_max (IEUM_ALIGN_BAND_MAX), after SEARCH_ROUNDS_MAX
** passes, and when a pass ties with the one before (TIE_SHARE): the ladder
** of the last pass is kept, complete and valid, the best within its band.
*/
static int search_rows(band *b, ieum_bead *out, size_t *count, const ieum_scorer *s, size_t *ctr, size_t *hw);

static int search(band *b, ieum_bead *out, size_t *count, const ieum_scorer *s, size_t *ctr, size_t *hw,
                  size_t w)
{
  size_t full = (b->n > b->m ? b->n : b->m) + 1, cap = full < ieum_align__band_max ? full : ieum_align__band_max;
  if (cap == 0)
    cap = 1;
  if (w > cap)
    w = cap;
  for (size_t i = b->r0; i <= b->r1; i++)
    hw[i] = w;
  return search_rows(b, out, count, s, ctr, hw);
}

/* search() from half-widths hw[] set per row by the caller (a chain's band: rows may start past the cap). */
static int search_rows(band *b, ieum_bead *out, size_t *count, const ieum_scorer *s, size_t *ctr, size_t *hw)
{
  size_t full = (b->n > b->m ? b->n : b->m) + 1, cap = full < ieum_align__band_max ? full : ieum_align__band_max;
  double prev = -INFINITY;
  int rc;
  if (cap == 0)
    cap = 1;
  for (size_t round = 1;; round++) {
    if ((rc = band_alloc(b, ctr, hw)) != 0)
      return rc;
    b->st->rounds++;
    b->st->cells += b->off[b->r1 + 1];
    for (size_t i = b->r0; i <= b->r1; i++)
      if (hw[i] > b->st->peak_hw)
        b->st->peak_hw = hw[i];
    size_t end_col = b->m;
    double total = viterbi(b, s, &end_col);
    b->total = total;
    if (total != -INFINITY) {
      int at_cap = 0;
      *count = backtrack(b, b->r1, end_col, out);
      int wider = widen_at_edges(hw, b, out, *count, cap, &at_cap);
      if (at_cap || (wider && round == SEARCH_ROUNDS_MAX))
        b->st->capped++;
      if (!wider || round == SEARCH_ROUNDS_MAX)
        return IEUM_OK;
      if (fabs(total - prev) <= TIE_SHARE * fabs(total)) {
        b->st->ties++;
        return IEUM_OK;
      }
      prev = total;
      recenter(ctr, b->r0, b->r1, b->c0, out, *count);
    } else {
      /* Cannot happen with a connected band; widen everywhere as a safeguard. */
      int grew = 0;
      for (size_t i = b->r0; i <= b->r1; i++)
        if (hw[i] < full) {
          hw[i] = hw[i] * 2 > full ? full : hw[i] * 2;
          grew = 1;
        }
      if (!grew) {
        band_free(b);
        return ieum__error_set(IEUM_ERROR, "alignment found no ladder (internal error)");
      }
    }
    band_free(b);
  }
}

/*
** Centers rows r0..r1 on the length diagonal from (r0, c0): row i on the
** column where the target text after c0 is `ratio` times as long as the
** source text from r0 to i.
*/
static void local_centers(size_t *ctr, const ieum_scorer *s, size_t r0, size_t r1, size_t c0, size_t m)
{
  size_t j = c0;
  for (size_t i = r0; i <= r1; i++) {
    double want = s->tgt_cum[c0] + s->ratio * (s->src_cum[i] - s->src_cum[r0]);
    while (j < m && s->tgt_cum[j + 1] <= want)
      j++;
    ctr[i] = j < m && s->tgt_cum[j + 1] - want < want - s->tgt_cum[j] ? j + 1 : j;
  }
}

/*
** How many leading beads of the chunk's best ladder `best` (count beads)
** every ladder ending in the chunk's last row shares: that part is settled
** whatever the rest of the document holds, as in a streaming Viterbi
** decoder.  A free end favours ladders that leave target segments for later
** (a 1-0 bead costs about what a 1-1 costs without evidence), so only the
** settled part can be trusted.  One sweep over the back-pointers, from the
** last row back: each reachable cell of row r1 starts a lineage, and each
** marked cell, met in decreasing (row, column) order, hands its mark to its
** predecessor, where lineages that meet merge; the cell where one lineage
** is left is the last point all those ladders share.  Cost: one byte and
** one visit per cell of the band, whatever its width (following every
** ladder back would cost the row's width times the ladder's length).
*/
static int settled(size_t *keep, const band *b, const ieum_bead *best, size_t count)
{
  size_t r1 = b->r1, live = 0, pi = b->r0, pj = b->c0;
  const double *last = b->row[r1 % 4];
  uint8_t *mark = ieum__calloc(b->off[r1 + 1], 1);
  if (!mark)
    return ieum__error_oom();
  for (size_t j = b->lo[r1]; j <= b->hi[r1]; j++)
    if (last[j - b->lo[r1]] != -INFINITY) {
      mark[b->off[r1] + j - b->lo[r1]] = 1;
      live++;
    }
  for (size_t i = r1 + 1; i-- > b->r0 && live > 0;)
    for (size_t j = b->hi[i] + 1; j-- > b->lo[i];) {
      size_t at = b->off[i] + j - b->lo[i];
      if (!mark[at])
        continue;
      if (live == 1) {
        pi = i;
        pj = j;
        goto found;
      }
      live--;
      if (b->bp[at] == 0)
        continue; /* the start: every lineage ends here */
      size_t a = ieum_shapes[b->bp[at] - 1][0], bb = ieum_shapes[b->bp[at] - 1][1];
      size_t from = b->off[i - a] + (j - bb - b->lo[i - a]);
      if (!mark[from]) {
        mark[from] = 1;
        live++;
      }
    }
found:
  ieum__free(mark);
  /* the beads of `best` up to that point */
  size_t i = b->r0, j = b->c0, k = 0;
  while (k < count && !(i == pi && j == pj)) {
    i += best[k].src_n;
    j += best[k].tgt_n;
    k++;
  }
  *keep = k;
  return IEUM_OK;
}

/*
** The reachable cell of row `row` (> b->r0) whose target prefix is nearest
** `want` characters long (the lower of two as near).
*/
static size_t nearest(const band *b, const ieum_scorer *s, size_t row, double want)
{
  size_t best = b->lo[row];
  double dist = INFINITY;
  for (size_t j = b->lo[row]; j <= b->hi[row]; j++)
    if (b->bp[b->off[row] + j - b->lo[row]] != 0 && fabs(s->tgt_cum[j] - want) < dist) {
      best = j;
      dist = fabs(s->tgt_cum[j] - want);
    }
  return best;
}

/*
** The last chunk of the first search, rows r0..n from (r0, c0) to (n, m),
** into out[] (*count beads).  Two guesses at where the target or source
** left over goes: spread along the straight line between the chunk's ends,
** or at the end, after the length diagonal from the chunk's start (chunks
** before leave unexplained target for later, and on repetitive text that is
** whole stretches: the sample article x800 against x850 left 1,500 target
** sentences for this chunk).  Both ladders end at (n, m), so their totals
** compare: the better one is kept, the straight line's on a tie.  When the
** two lines are the same, one search.
*/
static int last_chunk(band *b, ieum_bead *out, size_t *count, const ieum_scorer *s, size_t *ctr, size_t *hw,
                      size_t w, size_t i0, size_t j0)
{
  size_t n = b->n, m = b->m, c = 0, c2 = 0, j = j0;
  ieum_bead *alt = NULL;
  int rc;
  b->r0 = i0;
  b->r1 = n;
  b->c0 = j0;
  b->free_end = 0;
  /* ctr: the straight line; hw, until search() sets it: the length diagonal from (i0, j0) */
  double st = s->src_cum[n] - s->src_cum[i0], tt = s->tgt_cum[m] - s->tgt_cum[j0];
  for (size_t i = i0; i <= n; i++) {
    double want = s->tgt_cum[j0] + (st > 0 ? (s->src_cum[i] - s->src_cum[i0]) / st * tt : 0);
    while (j < m && s->tgt_cum[j + 1] <= want)
      j++;
    ctr[i] = j < m && s->tgt_cum[j + 1] - want < want - s->tgt_cum[j] ? j + 1 : j;
  }
  ctr[n] = m;
  local_centers(hw, s, i0, n, j0, m);
  hw[n] = m;
  int same = memcmp(ctr + i0, hw + i0, (n - i0 + 1) * sizeof *ctr) == 0;
  if ((rc = search(b, out, &c, s, ctr, hw, w)) != 0)
    return rc;
  band_free(b);
  if (!same) {
    double straight = b->total;
    if (!(alt = ieum__malloc((n - i0 + m - j0 + 1) * sizeof *alt)))
      return ieum__error_oom();
    local_centers(ctr, s, i0, n, j0, m);
    ctr[n] = m;
    if ((rc = search(b, alt, &c2, s, ctr, hw, w)) != 0)
      goto done;
    band_free(b);
    if (b->total > straight) {
      memcpy(out, alt, c2 * sizeof *alt);
      c = c2;
    }
  }
  *count = c;
done:
  ieum__free(alt);
  return rc;
}

/*
** The first ladder of a long document, chunk by chunk: CHUNK_ROWS source rows
** at a time from a point known to be on the ladder, with a free end, of which
** the settled part (see settled()) is kept when it holds a quarter of the
** chunk or more, else the first three quarters, and the next chunk starts
** where they end.  The length diagonal drifts from the true ladder with every omission
** over a whole document (a random walk) but little within a chunk, so the
** band stays narrow and the cost linear however long the documents are.
** When less than a quarter is settled, the best ladder is only the free
** end's choice, and that choice leans one way: towards the ladder that
** leaves the most target segments for later.  Where the text does not tell
** ladders apart (repetitive text: on one sentence repeated, 2-1 beads cover
** two rows for less than two 1-1 beads cost), chunk after chunk it drifted
** a third of the target off the diagonal, for the final search to widen
** over.  So a chunk whose ladders share not one bead, and whose best
** ladder ends short of the length diagonal, keeps instead the best ladder
** to the cell of its row at three quarters nearest that diagonal, drawn
** from where the run of such chunks began (so that rounding to whole
** segments does not add up).  One whose ladders share a first stretch (the
** text before an untranslated run, which the band could not hold) or whose
** best ladder ends past the diagonal keeps its three quarters, as before.
*/
static int first_ladder(band *b, ieum_bead *out, size_t *count, const ieum_scorer *s, size_t *ctr,
                        size_t *hw, size_t w)
{
  size_t n = b->n, m = b->m, i0 = 0, j0 = 0, total = 0, c_last = 0;
  size_t ia = 0, ja = 0; /* with `drift`: the start of the run of chunks that settled nothing */
  int drift = 0;
  ieum_bead *tmp = NULL;
  int rc = IEUM_OK;
  if (n > CHUNK_ROWS) {
    tmp = ieum__malloc((CHUNK_ROWS + m + 1) * sizeof *tmp);
    if (!tmp)
      return ieum__error_oom();
  }
  for (;;) {
    if (n - i0 <= CHUNK_ROWS) {
      rc = last_chunk(b, out + total, &c_last, s, ctr, hw, w, i0, j0);
      total += c_last;
      break;
    }
    b->r0 = i0;
    b->r1 = i0 + CHUNK_ROWS;
    b->c0 = j0;
    b->free_end = 1;
    b->care_until = i0 + CHUNK_ROWS * 3 / 4 + CHUNK_ROWS / 16;
    local_centers(ctr, s, i0, b->r1, j0, m);
    size_t diag = ctr[b->r1], c = 0;
    if ((rc = search(b, tmp, &c, s, ctr, hw, w)) != 0)
      break;
    size_t sure = 0, keep_until = i0 + CHUNK_ROWS * 3 / 4, k = 0;
    if ((rc = settled(&sure, b, tmp, c)) != 0) {
      band_free(b);
      break;
    }
    int unsettled = sure < c && tmp[sure].src_start < i0 + CHUNK_ROWS / 4;
    if (sure == 0 && c > 0 && tmp[c - 1].tgt_start + tmp[c - 1].tgt_n < diag) {
      /* No bead settled, and the best ladder leaves target for later: the ladder to the length diagonal. */
      if (!drift) {
        ia = i0;
        ja = j0;
        drift = 1;
      }
      double want = s->tgt_cum[ja] + s->ratio * (s->src_cum[keep_until] - s->src_cum[ia]);
      size_t j = nearest(b, s, keep_until, want);
      c = backtrack(b, keep_until, j, tmp);
      band_free(b);
      b->st->unsettled++;
      memcpy(out + total, tmp, c * sizeof *tmp);
      total += c;
      i0 = keep_until;
      j0 = j;
      continue;
    }
    band_free(b);
    drift = 0;
    if (sure < c && !unsettled)
      keep_until = tmp[sure].src_start;
    while (k < c && tmp[k].src_start < keep_until)
      out[total++] = tmp[k++];
    if (k == 0 || k == c) { /* cannot happen: the chunk's ladder crosses keep_until */
      rc = ieum__error_set(IEUM_ERROR, "alignment chunk made no progress (internal error)");
      break;
    }
    i0 = tmp[k].src_start;
    j0 = tmp[k].tgt_start;
  }
  ieum__free(tmp);
  *count = total;
  return rc;
}

/*
** What a bead must be worth, in posterior probability, to be on the
** posterior-decoded ladder (mbr()): 0, the expected number of right beads.
** Measured on ../shared/data/align (strict F1 ALL; the Viterbi ladder
** .9637): 0 .9668, -0.05 .9670, -0.1 .9668 (more omissions, some false),
** 0.1 .9665, 0.2 .9641.
*/
#define MBR_THETA 0.0
/* Beads whose log posterior is below this count as 0 (e^-40 = 4e-18): no exp() for most of the band. */
#define MBR_LOG_MIN (-40.0)

/*
** Posterior decoding: the ladder of the band whose beads' posteriors, each
** less MBR_THETA, add up to the most (the expected number of right beads,
** when MBR_THETA is 0), instead of the single likeliest ladder.  Where
** ladders disagree, the likeliest one may hold a bead that most of the
** probability mass avoids (a merge of a sentence the other side dropped,
** at a posterior of 0.3), while its alternatives each hold most of it.
** Needs every cell's forward and backward sums and bead scores, which
** posteriors() keeps (b->fwd, b->bwd, b->cache) when the bead scores fit
** its cache (POST_CACHE_MAX: documents up to about 200k sentences); longer
** ones keep the Viterbi ladder.  Replaces beads[0..*count) with the new
** ladder, each bead scored with its posterior.
*/
static int mbr(band *b, ieum_bead *beads, size_t *count)
{
  if (!b->fwd || !b->bwd || !b->cache)
    return IEUM_OK; /* a band too long for the bead scores' cache: the Viterbi ladder stays */
  size_t n = b->n, m = b->m, cells = b->off[n + 1];
  double z = b->fwd[b->off[n] + (size_t)cell(b, n, m)];
  double *best = ieum__malloc((cells + 1) * sizeof *best);
  if (!best)
    return ieum__error_oom();
  for (size_t i = 0; i <= n; i++)
    for (size_t j = b->lo[i]; j <= b->hi[i]; j++) {
      size_t at = b->off[i] + j - b->lo[i];
      double top = (i == 0 && j == 0) ? 0 : -INFINITY;
      uint8_t arg = 0;
      for (int sh = 0; sh < IEUM_N_SHAPES; sh++) {
        size_t a = ieum_shapes[sh][0], bb = ieum_shapes[sh][1];
        if (i < a || j < bb)
          continue;
        ptrdiff_t k = cell(b, i - a, j - bb);
        if (k < 0)
          continue;
        size_t from = b->off[i - a] + (size_t)k;
        float sc = b->cache[at * IEUM_N_SHAPES + (size_t)sh];
        if (best[from] == -INFINITY || sc == -INFINITY)
          continue;
        double lp = b->fwd[from] + (double)sc + b->bwd[at] - z;
        double v = best[from] + (lp > MBR_LOG_MIN ? exp(lp) : 0) - MBR_THETA;
        if (v > top) {
          top = v;
          arg = (uint8_t)(sh + 1);
        }
      }
      best[at] = top;
      b->bp[at] = arg;
    }
  ieum__free(best);
  if (!b->bp[b->off[n] + (size_t)cell(b, n, m)] && (n || m))
    return IEUM_OK; /* cannot happen: the Viterbi ladder is in the band */
  *count = backtrack(b, n, m, beads);
  for (size_t k = 0; k < *count; k++) {
    ieum_bead *bd = &beads[k];
    int sh = 0;
    while (sh < IEUM_N_SHAPES && !(ieum_shapes[sh][0] == bd->src_n && ieum_shapes[sh][1] == bd->tgt_n))
      sh++;
    size_t i = bd->src_start + bd->src_n, j = bd->tgt_start + bd->tgt_n;
    size_t at = b->off[i] + (size_t)cell(b, i, j), from = b->off[bd->src_start] + (size_t)cell(b, bd->src_start, bd->tgt_start);
    double post = exp(b->fwd[from] + (double)b->cache[at * IEUM_N_SHAPES + (size_t)sh] + b->bwd[at] - z);
    bd->score = post > 1 ? 1 : post < 0 || isnan(post) ? 0 : post;
  }
  return IEUM_OK;
}

/*
** Anchors a chain needs before its band replaces the length diagonal.  The
** band's budget: ieum_align__band_max cells per row of the two documents
** together, so that the search costs what the widening band's cap allows
** however the rows are laid out (a row over an inserted block is as wide
** as the block: the sum of the rows' widths stays linear in n + m).
*/
#define CHAIN_MIN 3
/* Anchors whose lengths set the first search's length ratio instead of the documents' totals. */
#define CHAIN_RATIO_MIN 8

/*
** The first ladder in the band along the chain of anchors (chain.c): one
** search over the whole pair, the band widening where the ladder nears its
** edge as in every search.  *count 0 when there is no usable chain (fewer
** than CHAIN_MIN anchors, or a band past the budget): the caller takes
** first_ladder() instead.  With `fit_ratio` (the ratio is estimated, not
** given) and CHAIN_RATIO_MIN anchors, the length ratio is taken from the
** chain's pairs first, since a block one side lacks skews the totals'.
*/
static int chain_ladder(band *b, ieum_bead *out, size_t *count, ieum_scorer *s, size_t *ctr, size_t *hw,
                        size_t w, int fit_ratio)
{
  ieum_chain_point *chain = NULL;
  size_t nchain = 0, n = b->n, m = b->m;
  int rc;
  *count = 0;
  if ((rc = ieum_chain__find(&chain, &nchain, s)) != 0)
    return rc;
  if (nchain >= CHAIN_RATIO_MIN && fit_ratio) {
    double l1, l2;
    if ((rc = ieum_chain__lengths(s, chain, nchain, &l1, &l2)) != 0) {
      ieum__free(chain);
      return rc;
    }
    ieum_score__set_lengths(s, l1, l2);
  }
  if (nchain >= CHAIN_MIN && (rc = ieum_chain__gaps(s, chain, nchain)) != 0) {
    ieum__free(chain);
    return rc;
  }
  if (nchain >= CHAIN_MIN) {
    size_t cells = ieum_chain__band(ctr, hw, n, m, chain, nchain, w);
    b->st->chained = 1;
    b->st->chain_cells = cells;
    if (cells <= ieum_align__band_max * (n + m + 1)) {
      b->r0 = 0;
      b->r1 = n;
      b->c0 = 0;
      b->free_end = 0;
      rc = search_rows(b, out, count, s, ctr, hw);
    } else {
      b->st->chained = 0;
      b->st->chain_cells = 0;
    }
  }
  ieum__free(chain);
  return rc;
}

/*
** Cells of the posteriors' band below which a second thread does not pay
** for itself (starting it costs about what scoring a few thousand cells
** does): about 2,000 sentences with POST_BAND 4.
*/
#define POST_THREAD_MIN_CELLS 20000

/* Threads for the posteriors: the option's, or with 0 two when the machine has two cores and the band is long. */
static int post_threads(unsigned threads, size_t cells)
{
  return ieum_score__threads(threads, cells >= POST_THREAD_MIN_CELLS);
}

int ieum_alignment__new(ieum_alignment **out, const ieum_doc *src, const ieum_doc *tgt,
                        const ieum_align_options *opts, ieum_align__stats *stats)
{
  ieum_align_options defaults = IEUM_ALIGN_OPTIONS_INIT;
  ieum_align__stats unused;
  ieum_scorer sc;
  band b = { 0 };
  ieum_bead *beads = NULL;
  size_t count = 0;
  ieum_alignment *al = NULL;
  int rc;

  *out = NULL;
  b.st = stats ? stats : &unused;
  memset(b.st, 0, sizeof *b.st);
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_ALIGN_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "align options: unknown version %u", opts->version);
  if (!src || !tgt)
    return ieum__error_set(IEUM_EINVAL, "align: missing document");
  size_t n = ieum_doc_count(src), m = ieum_doc_count(tgt);
  size_t w0 = opts->band ? opts->band : DEFAULT_BAND;
  if (w0 > ieum_align__band_max)
    w0 = ieum_align__band_max;
  if ((rc = ieum_score__init_threads(&sc, src, tgt, opts->ratio, opts->lexicon, opts->threads)) != 0)
    return rc;
  if (opts->ratio <= 0)
    ieum_score__set_prior(&sc, opts->prior_ratio, opts->prior_chars);
  /* Per-row arrays, reused by every search: centers, half-widths, column ranges, offsets. */
  size_t *ctr = ieum__malloc((n + 2) * sizeof *ctr), *hw = ieum__malloc((n + 2) * sizeof *hw);
  b.lo = ieum__malloc((n + 2) * sizeof *b.lo);
  b.hi = ieum__malloc((n + 2) * sizeof *b.hi);
  b.off = ieum__malloc((n + 2) * sizeof *b.off);
  beads = ieum__malloc((n + m + 1) * sizeof *beads);
  if (!ctr || !hw || !b.lo || !b.hi || !b.off || !beads) {
    rc = ieum__error_oom();
    goto done;
  }
  b.n = n;
  b.m = m;

  /*
  ** Pass 1: a ladder in the band of the chain of anchors across the whole
  ** pair (chain.c) when there is one and its band fits the budget, else
  ** under the totals' ratio (or the given one), chunk by chunk.
  */
  if ((rc = chain_ladder(&b, beads, &count, &sc, ctr, hw, w0, opts->ratio <= 0)) != 0)
    goto done;
  band_free(&b);
  if (count == 0 && (rc = first_ladder(&b, beads, &count, &sc, ctr, hw, w0)) != 0)
    goto done;
  band_free(&b);
  if (opts->ratio <= 0)
    ieum_score__refit(&sc, beads, count);
  /*
  ** Pass 2: the final ladder, in a narrow band around the first (every cell
  ** of it, a row along a run of 0-1 beads as wide as the run), and its
  ** posteriors.
  */
  size_t fw0 = opts->band ? w0 : FINAL_BAND;
  cover(ctr, hw, n, beads, count, fw0);
  b.r0 = 0;
  b.r1 = n;
  b.c0 = 0;
  b.free_end = 0;
  int fusing = b.with_forward = (n + 1) * (2 * fw0 + 1) * FUSED_BYTES_PER_CELL <= ieum_align__fused_max;
  if ((rc = search_rows(&b, beads, &count, &sc, ctr, hw)) != 0)
    goto done;
  b.st->fused = b.with_forward;
  if (b.with_forward) {
    /* Posteriors over the search's own band, whose forward pass the search ran. */
    if ((rc = posteriors(&b, &sc, beads, count, 1)) != 0 || (rc = mbr(&b, beads, &count)) != 0)
      goto done;
  } else if (fusing) {
    /* The band widened past the fused pass's budget: posteriors over it all the same, in their own passes. */
    if ((rc = posteriors(&b, &sc, beads, count, post_threads(opts->threads, b.off[n + 1]))) != 0 ||
        (rc = mbr(&b, beads, &count)) != 0)
      goto done;
  } else {
    /* Posteriors over a narrow band around the final ladder. */
    band_free(&b);
    cover(ctr, hw, n, beads, count, POST_BAND);
    if ((rc = band_alloc(&b, ctr, hw)) != 0)
      goto done;
    b.st->cells += b.off[n + 1];
    if ((rc = posteriors(&b, &sc, beads, count, post_threads(opts->threads, b.off[n + 1]))) != 0 ||
        (rc = mbr(&b, beads, &count)) != 0)
      goto done;
  }

  /* Posteriors to confidences (calib.c): merges and 1-1 beads are not as sure as their posteriors say. */
  for (size_t k = 0; k < count; k++)
    beads[k].score = ieum_calib__map(beads[k].score, beads[k].src_n, beads[k].tgt_n);

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
  ieum__free(b.lo);
  ieum__free(b.hi);
  ieum__free(b.off);
  ieum__free(beads);
  ieum__free(ctr);
  ieum__free(hw);
  ieum_score__dispose(&sc);
  return rc;
}

int ieum_alignment_new(ieum_alignment **out, const ieum_doc *src, const ieum_doc *tgt,
                       const ieum_align_options *opts)
{
  return ieum_alignment__new(out, src, tgt, opts, NULL);
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

int ieum_bead_role(const ieum_doc *src, const ieum_doc *tgt, const ieum_bead *bead)
{
  const ieum_segment *seg = bead->src_n ? ieum_doc_segment(src, bead->src_start) : ieum_doc_segment(tgt, bead->tgt_start);
  return seg ? seg->role : IEUM_ROLE_BODY;
}
