/*
** tests/unit/align_band.c: the aligner's search band has a hard bound
** (dp.c, IEUM_ALIGN_BAND_MAX).  On repetitive text, where ladders score
** alike, the searches stay about as cheap as on real text (cells counted by
** ieum_alignment__new(), never timed) and the ladder is complete and in
** order; where the text would widen the band further, widening stops at the
** cap and the ladder is still valid; the first search's last chunk holds a
** run of 0-1 beads at the end; a band that widens past the fused
** forward pass's byte budget drops that pass, for the same confidences.
** Not here: what the ladders of real text are (align_dp.c).
*/
#include <math.h>
#include <stdio.h>

#include "../../align/align_int.h"
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

/* `n` copies of `line` (with its newline) in `out`. */
static void repeat(ieum_buf *out, const char *line, size_t n)
{
  for (size_t k = 0; k < n; k++)
    ieum__buf_puts(out, line);
}

/* Whether the ladder covers every segment of both sides once, in order, with confidences in [0,1]. */
static int covers(const ieum_alignment *al, size_t n, size_t m)
{
  size_t i = 0, j = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_start != i || b->tgt_start != j || (b->src_n == 0 && b->tgt_n == 0) || b->src_n > 3 ||
        b->tgt_n > 3 || !(b->score >= 0 && b->score <= 1))
      return 0;
    i += b->src_n;
    j += b->tgt_n;
  }
  return i == n && j == m;
}

static size_t count_shape(const ieum_alignment *al, uint32_t a, uint32_t b)
{
  size_t n = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++)
    n += ieum_alignment_bead(al, k)->src_n == a && ieum_alignment_bead(al, k)->tgt_n == b;
  return n;
}

/*
** Cells that PASSES passes of a band of half-width HW over every row would
** visit: the budget of repeated text below.  Real text of the same length
** (bench/speed.py's pairs) takes about 46 cells a row in all, a third of it;
** before the bound, 3,000 identical lines against 3,150 took 1,166 a row
** (the band widened to 256 and more) and 1,852 against 1,852 over 2,000.
*/
#define HW 16
#define PASSES 4
#define BUDGET(n) (PASSES * ((n) + 1) * (2 * HW + 1))

static const char *KO_LINE = "그는 집으로 돌아갔다.\n";
static const char *EN_LINE = "He went back home.\n";

static void test_align_band__repeated_more_target(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  repeat(&ko, KO_LINE, 3000);
  repeat(&en, EN_LINE, 3150);
  ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
  ieum_alignment *al = NULL;
  ieum_align__stats st;
  is_int(ieum_alignment__new(&al, s, t, NULL, &st), 0, "aligns 3,000 identical lines against 3,150");
  ok(al && covers(al, 3000, 3150), "the ladder covers both sides once, in order");
  ok(st.peak_hw <= IEUM_ALIGN_BAND_MAX, "the band stays within IEUM_ALIGN_BAND_MAX (peak half-width %zu)",
     st.peak_hw);
  ok(st.cells <= BUDGET(3000), "the searches visit %zu cells, %.1f a row (budget %d passes of half-width %d: %d)",
     st.cells, (double)st.cells / 3001, PASSES, HW, BUDGET(3000));
  ok(st.rounds > 0 && st.cells > 3000, "the counters count (%zu passes)", st.rounds);
  is_int(st.capped, 0, "no search needed the cap");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

static void test_align_band__repeated_same_count(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  repeat(&ko, KO_LINE, 1852);
  repeat(&en, EN_LINE, 1852);
  ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
  ieum_alignment *al = NULL;
  ieum_align__stats st;
  is_int(ieum_alignment__new(&al, s, t, NULL, &st), 0, "aligns 1,852 identical lines against as many");
  ok(al && covers(al, 1852, 1852), "the ladder covers both sides once, in order");
  is_int(al ? count_shape(al, 1, 1) : 0, 1852, "every bead is 1-1: the first search did not drift");
  ok(st.unsettled > 0, "chunks that settled nothing followed the length diagonal (%zu)", st.unsettled);
  ok(st.cells <= BUDGET(1852), "the searches visit %zu cells, %.1f a row (budget %d)", st.cells,
     (double)st.cells / 1853, BUDGET(1852));
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** Six sentence pairs, each with its own number, repeated 100 times on the
** source side and 110 on the target: the ten extra copies can go anywhere
** for the same score.  Every two-sided bead pairs a sentence with its own
** translation, and the extra 60 lines are 0-1 beads.
*/
static void test_align_band__repeated_article(void)
{
  static const char *ko[6] = {
    "서울시가 다음 달부터 인공지능 기반 홍수 예보 시스템을 운영한다.\n", "시는 이 사업에 모두 48억 원을 투입했다.\n",
    "시스템은 하천 수위와 강수량 자료를 10분마다 분석한다.\n", "위험이 예상되면 주민에게 문자 메시지가 발송된다.\n",
    "시 관계자는 \"피해를 크게 줄일 수 있을 것\"이라고 말했다.\n", "이번 시스템은 네덜란드 업체와 함께 개발됐다.\n"
  };
  static const char *en[6] = {
    "Seoul will run an AI-based flood forecasting system starting next month.\n",
    "The city has spent a total of 4.8 billion won on the project.\n",
    "The system analyzes river levels and rainfall data every ten minutes.\n",
    "When danger is expected, residents receive a text message.\n",
    "\"It should greatly reduce damage,\" a city official said.\n",
    "The system was developed together with a Dutch company.\n"
  };
  ieum_buf kb = IEUM_BUF_INIT, eb = IEUM_BUF_INIT;
  for (int c = 0; c < 110; c++)
    for (int k = 0; k < 6; k++) {
      if (c < 100)
        ieum__buf_puts(&kb, ko[k]);
      ieum__buf_puts(&eb, en[k]);
    }
  ieum_doc *s = lines(kb.ptr, kb.size), *t = lines(eb.ptr, eb.size);
  ieum_alignment *al = NULL;
  ieum_align__stats st;
  is_int(ieum_alignment__new(&al, s, t, NULL, &st), 0, "aligns an article x100 against x110");
  ok(al && covers(al, 600, 660), "the ladder covers both sides once, in order");
  size_t right = 0, one_one = al ? count_shape(al, 1, 1) : 0;
  for (size_t k = 0; al && k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    right += b->src_n == 1 && b->tgt_n == 1 && b->src_start % 6 == b->tgt_start % 6;
  }
  is_int(one_one, 600, "600 1-1 beads");
  is_int(right, 600, "each pairs a sentence with its own translation");
  is_int(al ? count_shape(al, 0, 1) : 0, 60, "the 60 extra lines are 0-1 beads");
  ok(st.cells <= BUDGET(600), "the searches visit %zu cells, %.1f a row (budget %d)", st.cells,
     (double)st.cells / 601, BUDGET(600));
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&kb);
  ieum_buf_dispose(&eb);
}

/*
** Where the best ladder lies further off the guessed one than the cap, the
** band stops there: 400 numbered sentence pairs with, after pair 200, 48
** English lines that translate nothing (a run of 0-1 beads the first search
** must widen to 64 to hold), aligned with ieum_align__band_max lowered to
** 16.  The ladder is complete and in order, every row within the cap.
*/
static void build_insert(ieum_buf *ko, ieum_buf *en, size_t pairs, size_t at, size_t extra)
{
  char num[32];
  for (size_t k = 0; k < pairs; k++) {
    size_t len = 20 + (k * 37 + k * k * 7) % 50;
    snprintf(num, sizeof num, " %zu ", 1000 + k * 7);
    for (size_t c = 0; c < len; c++)
      ieum__buf_puts(ko, c == len / 2 ? num : c % 5 == 4 ? " " : "가");
    ieum__buf_putc(ko, '\n');
    for (size_t c = 0; c < 2 * len; c++)
      ieum__buf_puts(en, c == len ? num : c % 6 == 5 ? " " : "a");
    ieum__buf_putc(en, '\n');
    for (size_t r = 0; k + 1 == at && r < extra; r++) {
      for (size_t c = 0; c < 60 + 7 * (r % 9); c++)
        ieum__buf_putc(en, c % 7 == 6 ? ' ' : 'b');
      ieum__buf_putc(en, '\n');
    }
  }
}

static void test_align_band__cap_binds(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  build_insert(&ko, &en, 400, 200, 48);
  ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
  ieum_alignment *al = NULL;
  ieum_align__stats st;
  size_t cap = ieum_align__band_max;
  is_int(ieum_doc_count(t), 448, "the English has 448 lines");
  is_int(ieum_alignment__new(&al, s, t, NULL, &st), 0, "aligns under the shipped cap");
  ok(al && covers(al, 400, 448), "the ladder covers both sides once, in order");
  ok(al && count_shape(al, 0, 1) >= 44, "it finds the run (%zu 0-1 beads of 48)", al ? count_shape(al, 0, 1) : 0);
  ok(st.peak_hw > 16 && st.capped == 0, "widening to %zu, without reaching the cap", st.peak_hw);
  ieum_alignment_free(al);
  al = NULL;
  ieum_align__band_max = 16;
  is_int(ieum_alignment__new(&al, s, t, NULL, &st), 0, "aligns with the band capped at 16");
  ok(al && covers(al, 400, 448), "the ladder covers both sides once, in order");
  /* a chain of anchors (the numbers) may lay a row over the inserted block, within the cap's budget of cells */
  ok(st.peak_hw <= 16 || (st.chained && st.chain_cells <= 16 * (400 + 448 + 1)),
     "no row of a search wider than the cap but the chain's, within its budget (peak half-width %zu, chain %zu cells)",
     st.peak_hw, st.chain_cells);
  ok(st.capped > 0 || (st.chained && count_shape(al, 0, 1) >= 44),
     "widening stopped at the cap (%zu searches), or the chain's band held the run (%zu 0-1 beads)", st.capped,
     al ? count_shape(al, 0, 1) : 0);
  ieum_alignment_free(al);
  al = NULL;
  ieum_align_options o = IEUM_ALIGN_OPTIONS_INIT;
  o.band = 1000;
  is_int(ieum_alignment__new(&al, s, t, &o, &st), 0, "aligns with a band option over the cap");
  ok(al && covers(al, 400, 448), "the ladder covers both sides once, in order");
  ok(st.peak_hw <= 16 || (st.chained && st.chain_cells <= 16 * (400 + 448 + 1)),
     "the option is held to the cap too (peak half-width %zu, chain %zu cells)", st.peak_hw, st.chain_cells);
  ieum_align__band_max = cap;
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** 400 numbered pairs and then 100 English lines that translate nothing: the
** first search leaves them to its last chunk, whose band must hold 1-1
** beads and then the whole run in its last row (the length diagonal from
** the chunk's start), not spread them along the straight line to the end.
*/
static void test_align_band__run_at_end(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  build_insert(&ko, &en, 400, 400, 100);
  ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
  ieum_alignment *al = NULL;
  is_int(ieum_doc_count(t), 500, "the English has 500 lines");
  is_int(ieum_alignment_new(&al, s, t, NULL), 0, "aligns 400 x 500 segments");
  ok(al && covers(al, 400, 500), "the ladder covers both sides once, in order");
  is_int(al ? count_shape(al, 1, 1) : 0, 400, "400 1-1 beads");
  is_int(al ? count_shape(al, 0, 1) : 0, 100, "the 100 lines at the end are 0-1 beads");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** The final search runs the posteriors' forward pass along with it while
** its band fits a byte budget; a band that widens past the budget drops
** that pass for the separate ones over the same band, so that memory stays
** bounded too.  With the budget just above the final search's first band,
** the widening of the insertion case crosses it: the same beads and the
** same confidences as with the shipped budget.
*/
static void test_align_band__fused_budget(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  build_insert(&ko, &en, 400, 200, 48);
  ieum_doc *s = lines(ko.ptr, ko.size), *t = lines(en.ptr, en.size);
  ieum_alignment *al[2] = { NULL, NULL };
  ieum_align__stats st[2];
  size_t fused = ieum_align__fused_max;
  is_int(ieum_alignment__new(&al[0], s, t, NULL, &st[0]), 0, "aligns with the shipped budget");
  ok(st[0].fused, "the forward pass ran with the final search");
  ieum_align__fused_max = 401 * 9 * (sizeof(double) + 8 * sizeof(float)) + 1024; /* 400 rows, half-width 4 */
  is_int(ieum_alignment__new(&al[1], s, t, NULL, &st[1]), 0, "aligns with a budget the widened band exceeds");
  ieum_align__fused_max = fused;
  ok(!st[1].fused, "the posteriors took their own passes");
  int same = al[0] && al[1] && ieum_alignment_count(al[0]) == ieum_alignment_count(al[1]);
  double worst = 0;
  for (size_t k = 0; same && k < ieum_alignment_count(al[0]); k++) {
    const ieum_bead *x = ieum_alignment_bead(al[0], k), *y = ieum_alignment_bead(al[1], k);
    same = x->src_start == y->src_start && x->src_n == y->src_n && x->tgt_start == y->tgt_start &&
           x->tgt_n == y->tgt_n;
    if (fabs(x->score - y->score) > worst)
      worst = fabs(x->score - y->score);
  }
  ok(same, "the same beads");
  ok(worst == 0, "the same confidences (largest difference %.2g)", worst);
  ok(al[1] && covers(al[1], 400, 448), "the ladder covers both sides once, confidences in [0,1]");
  for (int v = 0; v < 2; v++)
    ieum_alignment_free(al[v]);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

int main(void)
{
  test_align_band__repeated_more_target();
  test_align_band__repeated_same_count();
  test_align_band__repeated_article();
  test_align_band__cap_binds();
  test_align_band__run_at_end();
  test_align_band__fused_budget();
  return done_testing();
}
