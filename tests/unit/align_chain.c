/*
** tests/unit/align_chain.c: the chain of anchors across a document pair
** (align/chain.c) and what the aligner does with it.  The chain is
** monotone and pairs the lines that share rare numbers; a pair without
** anchors has none and the aligner takes the length diagonal as before; a
** block of untranslated lines inserted in the middle of one side, however
** long, becomes a run of omissions with every true pair found, at a cost
** within the band's cap; the chain's gap gives the block's omissions a
** prior above the shape's; the chain's pairs set a length ratio that the
** block does not skew.  Not here: the band's bound on repetitive text
** (align_band.c), the ladders of real text (align_dp.c).
*/
#include <math.h>
#include <stdio.h>

#include "../../align/chain_int.h"
#include "tap.h"

static ieum_doc *lines(const char *text, size_t len)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *d = NULL;
  if (ieum_doc_new(&d, text, len, &o) != 0)
    return NULL;
  return d;
}

static const char *ko_verbs[] = { "논의했다", "승인했다", "검토했다", "발표했다", "보류했다" };
static const char *en_verbs[] = { "discussed", "approved", "reviewed", "announced", "postponed" };

/*
** `n` Korean lines and their English, each with a number of its own; after
** English line `at`, `extra` English lines that translate nothing (no
** number, words of their own).
*/
static void build(ieum_buf *ko, ieum_buf *en, size_t n, size_t at, size_t extra)
{
  char line[256];
  for (size_t k = 0; k < n; k++) {
    snprintf(line, sizeof line, "위원회는 %zu개 안건을 %s.\n", 1000 + 37 * k, ko_verbs[k % 5]);
    ieum__buf_puts(ko, line);
    snprintf(line, sizeof line, "The committee %s %zu items.\n", en_verbs[k % 5], 1000 + 37 * k);
    ieum__buf_puts(en, line);
    for (size_t r = 0; k + 1 == at && r < extra; r++) {
      snprintf(line, sizeof line, "Fishermen watched the whale swim near the harbour%s for a while.\n",
               r % 3 == 0 ? " again" : r % 3 == 1 ? " at dawn" : "");
      ieum__buf_puts(en, line);
    }
  }
}

static size_t count_shape(const ieum_alignment *al, uint32_t a, uint32_t b)
{
  size_t n = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++)
    n += ieum_alignment_bead(al, k)->src_n == a && ieum_alignment_bead(al, k)->tgt_n == b;
  return n;
}

/* True pairs k:k (k < at) and k:k+extra (k >= at) found as 1-1 beads. */
static size_t true_pairs(const ieum_alignment *al, size_t at, size_t extra)
{
  size_t found = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_n == 1 && b->tgt_n == 1 && b->tgt_start == b->src_start + (b->src_start < at ? 0 : extra))
      found++;
  }
  return found;
}

static void test_align_chain__monotone_on_numbers(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  build(&ko, &en, 60, 30, 25);
  ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
  ieum_scorer sc;
  ieum_chain_point *p = NULL;
  size_t count = 0;
  ok(s && t && ieum_score__init(&sc, s, t, 0, NULL) == 0, "scorer");
  is_int(ieum_chain__find(&p, &count, &sc), 0, "finds a chain");
  ok(count >= 50, "most of the 60 numbered lines anchor (%zu)", count);
  int mono = 1, right = 1;
  for (size_t k = 0; k < count; k++) {
    if (k > 0 && (p[k].i <= p[k - 1].i || p[k].j <= p[k - 1].j))
      mono = 0;
    if (p[k].j != p[k].i + (p[k].i < 30 ? 0 : 25))
      right = 0;
  }
  ok(mono, "the chain increases on both sides");
  ok(right, "every anchor pairs a line with its translation, across the block");
  double l1, l2;
  is_int(ieum_chain__lengths(&sc, p, count, &l1, &l2), 0, "lengths of the chain's pairs");
  double totals = sc.tgt_cum[85] / sc.src_cum[60];
  ok(l1 > 0 && l2 / l1 < totals * 0.85, "their ratio (%.2f) is not skewed by the block as the totals' (%.2f)",
     l1 > 0 ? l2 / l1 : 0, totals);
  size_t ctr[61], hw[61];
  size_t cells = ieum_chain__band(ctr, hw, 60, 85, p, count, 4);
  ok(ctr[30] - hw[30] <= 30 && ctr[30] + hw[30] >= 55, "the row at the block spans it (%zu +- %zu)", ctr[30], hw[30]);
  ok(hw[10] <= 6 && hw[50] <= 6, "rows where the anchors agree stay narrow (%zu, %zu)", hw[10], hw[50]);
  ok(cells < 61 * 9 + 2 * 25 + 60, "the band holds %zu cells: the pad's rows plus the block", cells);
  is_int(ieum_chain__gaps(&sc, p, count), 0, "gaps");
  ok(sc.omit_prior[1] && sc.omit_prior[1][40] > log(0.5), "a block line's omission prior is raised (%.2f)",
     sc.omit_prior[1] ? sc.omit_prior[1][40] : 0);
  ok(sc.omit_prior[1] && fabs(sc.omit_prior[1][5] - log(0.01)) < 1e-6, "a line outside it keeps the shape's");
  ok(!sc.omit_prior[0], "the source has no gap");
  ieum__free(p);
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

static void test_align_chain__none_without_anchors(void)
{
  const char *ko = "날씨가 맑았다.\n바람이 불었다.\n비가 왔다.\n";
  const char *en = "It was sunny.\nThe wind blew.\nIt rained.\n";
  ieum_doc *s = lines(ko, strlen(ko)), *t = lines(en, strlen(en));
  ieum_scorer sc;
  ieum_chain_point *p = NULL;
  size_t count = 5;
  ok(s && t && ieum_score__init(&sc, s, t, 0, NULL) == 0, "scorer");
  is_int(ieum_chain__find(&p, &count, &sc), 0, "no error");
  ok(count < 3 , "too few anchors for a chain (%zu)", count);
  ieum__free(p);
  ieum_score__dispose(&sc);
  ieum_alignment *al = NULL;
  ieum_align__stats st;
  is_int(ieum_alignment__new(&al, s, t, NULL, &st), 0, "aligns");
  ok(!st.chained, "the first search took the length diagonal");
  is_int(al ? count_shape(al, 1, 1) : 0, 3, "three 1-1 beads");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

static void test_align_chain__block_in_the_middle(void)
{
  static const size_t extra[] = { 40, 400, 1500 };
  for (size_t x = 0; x < sizeof extra / sizeof *extra; x++) {
    ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
    size_t n = 400, at = 200;
    build(&ko, &en, n, at, extra[x]);
    ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
    ieum_alignment *al = NULL;
    ieum_align__stats st;
    is_int(s && t ? ieum_alignment__new(&al, s, t, NULL, &st) : -1, 0, "%zu lines inserted: aligns", extra[x]);
    ok(st.chained, "the first search followed the chain");
    is_int(al ? true_pairs(al, at, extra[x]) : 0, n, "every true pair found");
    is_int(al ? count_shape(al, 0, 1) : 0, extra[x], "the block is a run of 0-1 beads");
    ok(st.chain_cells <= ieum_align__band_max * (n + n + extra[x] + 1), "the chain's band (%zu cells) within the cap's budget",
       st.chain_cells);
    ok(st.cells < 40 * (n + n + extra[x]), "cost linear: %zu cells in all", st.cells);
    ieum_alignment_free(al);
    ieum_doc_free(s);
    ieum_doc_free(t);
    ieum_buf_dispose(&ko);
    ieum_buf_dispose(&en);
  }
}

int main(void)
{
  test_align_chain__monotone_on_numbers();
  test_align_chain__none_without_anchors();
  test_align_chain__block_in_the_middle();
  return done_testing();
}
