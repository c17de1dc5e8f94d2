/*
** tests/unit/align_dp.c: the aligner (score.c, dp.c) on documents built in
** line mode: ladders cover both sides in order, bead types are found, the
** band widens when it must, confidences are probabilities, one thread or
** two give the same result, and OOM is handled.
*/
#include <math.h>
#include <stdio.h>

#include "../../align/align_int.h"
#include "tap.h"

static ieum_doc *lines(const char *text)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *d = NULL;
  if (ieum_doc_new(&d, text, strlen(text), &o) != 0)
    return NULL;
  return d;
}

/* Checks that the ladder covers every segment of both sides once, in order. */
static int covers(const ieum_alignment *al, size_t n, size_t m)
{
  size_t i = 0, j = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_start != i || b->tgt_start != j || (b->src_n == 0 && b->tgt_n == 0))
      return 0;
    if (b->score < 0 || b->score > 1)
      return 0;
    i += b->src_n;
    j += b->tgt_n;
  }
  return i == n && j == m;
}

/* "[0]:[0] [1,2]:[1] ..." for the whole ladder. */
static const char *ladder(const ieum_alignment *al)
{
  static char out[8192];
  size_t o = 0;
  out[0] = '\0';
  for (size_t k = 0; k < ieum_alignment_count(al) && o < sizeof out - 64; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    o += (size_t)snprintf(out + o, sizeof out - o, "%s[", k ? " " : "");
    for (uint32_t a = 0; a < b->src_n; a++)
      o += (size_t)snprintf(out + o, sizeof out - o, a ? ",%zu" : "%zu", b->src_start + a);
    o += (size_t)snprintf(out + o, sizeof out - o, "]:[");
    for (uint32_t a = 0; a < b->tgt_n; a++)
      o += (size_t)snprintf(out + o, sizeof out - o, a ? ",%zu" : "%zu", b->tgt_start + a);
    o += (size_t)snprintf(out + o, sizeof out - o, "]");
  }
  return out;
}

static const char *KO =
  "서울시가 다음 달부터 인공지능 기반 홍수 예보 시스템을 운영한다.\n"
  "시는 이 사업에 모두 48억 원을 투입했다.\n"
  "시스템은 하천 수위와 강수량 자료를 10분마다 분석한다.\n"
  "위험이 예상되면 주민에게 문자 메시지가 발송된다.\n"
  "시 관계자는 \"피해를 크게 줄일 수 있을 것\"이라고 말했다.\n"
  "이번 시스템은 네덜란드 업체와 함께 개발됐다.\n";

static const char *EN =
  "Seoul will run an AI-based flood forecasting system starting next month.\n"
  "The city has spent a total of 4.8 billion won on the project.\n"
  "The system analyzes river levels and rainfall data every ten minutes.\n"
  "When danger is expected, residents receive a text message.\n"
  "\"It should greatly reduce damage,\" a city official said.\n"
  "The system was developed together with a Dutch company.\n";

static void test_align_dp__one_to_one(void)
{
  ieum_doc *s = lines(KO), *t = lines(EN);
  ieum_alignment *al = NULL;
  ok(s && t, "documents built");
  is_int(ieum_alignment_new(&al, s, t, NULL), 0, "aligns");
  is_str(ladder(al), "[0]:[0] [1]:[1] [2]:[2] [3]:[3] [4]:[4] [5]:[5]", "six 1-1 beads in order");
  ok(covers(al, 6, 6), "ladder covers both sides once");
  double min = 1;
  for (size_t k = 0; k < ieum_alignment_count(al); k++)
    if (ieum_alignment_bead(al, k)->score < min)
      min = ieum_alignment_bead(al, k)->score;
  ok(min > 0.5, "clean 1-1 beads are confident (lowest %.3f)", min);
  ok(ieum_alignment_ratio(al) > 1.5 && ieum_alignment_ratio(al) < 3.5,
     "English/Korean length ratio estimated from the pair (%.2f)", ieum_alignment_ratio(al));
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum_bead_text(&b, t, ieum_alignment_bead(al, 1), 1), 0, "bead text");
  is_str(b.ptr, "The city has spent a total of 4.8 billion won on the project.", "target side of bead 1");
  ieum_buf_dispose(&b);
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

static void test_align_dp__merge(void)
{
  /* The English merges Korean sentences 1 and 2. */
  const char *ko = "서울시가 다음 달부터 인공지능 기반 홍수 예보 시스템을 운영한다.\n"
                   "시는 이 사업에 모두 48억 원을 투입했다.\n"
                   "시스템은 하천 수위와 강수량 자료를 10분마다 분석한다.\n"
                   "위험이 예상되면 주민에게 문자 메시지가 발송된다.\n"
                   "자세한 내용은 시청 누리집에서 확인할 수 있으며, 궁금한 점은 다산콜센터나 각 구청 "
                   "치수과로 문의하면 된다.\n"
                   "이번 시스템은 네덜란드 업체와 함께 개발됐다.\n";
  const char *en = "Seoul will run an AI-based flood forecasting system starting next month.\n"
                   "The city has spent 4.8 billion won on the system, which analyzes river levels and "
                   "rainfall data every ten minutes.\n"
                   "When danger is expected, residents receive a text message.\n"
                   "Details are posted on the city's website, and questions can go to the Dasan call "
                   "center or the flood control office of each district.\n"
                   "The system was developed together with a Dutch company.\n";
  ieum_doc *s = lines(ko), *t = lines(en);
  ieum_alignment *al = NULL;
  is_int(ieum_alignment_new(&al, s, t, NULL), 0, "aligns");
  is_str(ladder(al), "[0]:[0] [1,2]:[1] [3]:[2] [4]:[3] [5]:[4]", "finds the 2-1 merge");
  ok(covers(al, 6, 5), "ladder covers both sides once");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

static void test_align_dp__empty_side(void)
{
  ieum_doc *s = lines(KO), *t = lines("");
  ieum_alignment *al = NULL;
  is_int(ieum_doc_count(t), 0, "blank text has no segments");
  is_int(ieum_alignment_new(&al, s, t, NULL), 0, "aligns against an empty document");
  is_int(ieum_alignment_count(al), 6, "one 1-0 bead per source segment");
  ok(covers(al, 6, 0), "ladder covers the source once");
  ieum_alignment_free(al);
  ieum_alignment_new(&al, t, t, NULL);
  is_int(ieum_alignment_count(al), 0, "two empty documents give an empty ladder");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

/*
** n synthetic sentence pairs of varied length (English twice as long);
** from pair `at` on, `count` operations: 'd' drops the English of a pair
** whose Korean is made long, 'm' merges two pairs into one English line.
*/
static void synth(ieum_buf *ko, ieum_buf *en, size_t n, size_t at, size_t count, char op)
{
  for (size_t k = 0; k < n; k++) {
    int in_op = k >= at && k < at + (op == 'm' ? 2 * count : count);
    size_t len = 20 + (k * 37 + k * k * 7) % 50;
    if (in_op && op == 'd')
      len = 160 + k % 20;
    for (size_t c = 0; c < len; c++)
      ieum__buf_puts(ko, c % 5 == 4 ? " " : "가");
    ieum__buf_putc(ko, '\n');
    if (in_op && op == 'd')
      continue;
    for (size_t c = 0; c < len * 2 + (k % 3); c++)
      ieum__buf_putc(en, c % 6 == 5 ? ' ' : 'a');
    /* Merged pairs: the first of two continues on the same English line. */
    ieum__buf_putc(en, in_op && op == 'm' && (k - at) % 2 == 0 ? ' ' : '\n');
  }
}

/* Counts beads of shape a-b. */
static size_t count_shape(const ieum_alignment *al, uint32_t a, uint32_t b)
{
  size_t n = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++)
    n += ieum_alignment_bead(al, k)->src_n == a && ieum_alignment_bead(al, k)->tgt_n == b;
  return n;
}

static void test_align_dp__drop(void)
{
  /* One long Korean sentence left untranslated in the middle of 40 pairs. */
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  synth(&ko, &en, 40, 20, 1, 'd');
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_alignment *al = NULL;
  is_int(ieum_alignment_new(&al, s, t, NULL), 0, "aligns 40 x 39 segments");
  ok(covers(al, 40, 39), "ladder covers both sides once");
  is_int(count_shape(al, 1, 0), 1, "one 1-0 bead");
  const ieum_bead *b = ieum_alignment_bead(al, 20);
  ok(b && b->src_start == 20 && b->src_n == 1 && b->tgt_n == 0, "it is the untranslated sentence 20");
  is_int(count_shape(al, 1, 1), 39, "all other beads are 1-1");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

static void test_align_dp__band_widens(void)
{
  /* 60 merges in a row push the path 60 cells off the diagonal of a band of 10. */
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  synth(&ko, &en, 2000, 100, 60, 'm');
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_alignment *al = NULL;
  ieum_align_options o = IEUM_ALIGN_OPTIONS_INIT;
  o.band = 10;
  is_int(ieum_doc_count(t), 1940, "the English has 1940 lines");
  is_int(ieum_alignment_new(&al, s, t, &o), 0, "aligns 2000 x 1940 segments");
  ok(covers(al, 2000, 1940), "ladder covers both sides once");
  is_int(count_shape(al, 2, 1), 60, "the 60 merges are 2-1 beads");
  is_int(count_shape(al, 1, 1), 1880, "the rest are 1-1 beads");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

static void test_align_dp__insert_run(void)
{
  /*
  ** 300 pairs (several chunks of the first search), each with its own
  ** number, and after pair 150 twelve English lines that translate
  ** nothing: a run of 0-1 beads longer than the band around the ladder is
  ** wide, which the posteriors' band must still hold.
  */
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  char num[32];
  for (size_t k = 0; k < 300; k++) {
    size_t len = 20 + (k * 37 + k * k * 7) % 50;
    snprintf(num, sizeof num, " %zu ", 1000 + k * 7);
    for (size_t c = 0; c < len; c++)
      ieum__buf_puts(&ko, c == len / 2 ? num : c % 5 == 4 ? " " : "가");
    ieum__buf_putc(&ko, '\n');
    for (size_t c = 0; c < 2 * len; c++)
      ieum__buf_puts(&en, c == len ? num : c % 6 == 5 ? " " : "a");
    ieum__buf_putc(&en, '\n');
    for (int r = 0; k == 149 && r < 12; r++) {
      for (int c = 0; c < 60 + 7 * r; c++)
        ieum__buf_putc(&en, c % 7 == 6 ? ' ' : 'b');
      ieum__buf_putc(&en, '\n');
    }
  }
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_alignment *al = NULL;
  is_int(ieum_doc_count(t), 312, "the English has 312 lines");
  is_int(ieum_alignment_new(&al, s, t, NULL), 0, "aligns 300 x 312 segments");
  ok(covers(al, 300, 312), "ladder covers both sides once, confidences in [0,1]");
  is_int(count_shape(al, 0, 1), 12, "twelve 0-1 beads");
  is_int(count_shape(al, 1, 1), 300, "all pairs are 1-1 beads");
  size_t sure = 0;
  for (size_t k = 0; k < ieum_alignment_count(al); k++)
    sure += ieum_alignment_bead(al, k)->src_n == 1 && ieum_alignment_bead(al, k)->score > 0.5;
  is_int(sure, 300, "every 1-1 bead has a confidence above 0.5");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** Whether two ladders have the same beads, field by field (a bead's padding
** bytes are not part of it): with `worst` NULL also the same confidences,
** else *worst grows to the largest difference of confidences.
*/
static int same_ladder(const ieum_alignment *a, const ieum_alignment *b, double *worst)
{
  if (!a || !b || ieum_alignment_count(a) != ieum_alignment_count(b))
    return 0;
  for (size_t k = 0; k < ieum_alignment_count(a); k++) {
    const ieum_bead *x = ieum_alignment_bead(a, k), *y = ieum_alignment_bead(b, k);
    if (x->src_start != y->src_start || x->src_n != y->src_n || x->tgt_start != y->tgt_start ||
        x->tgt_n != y->tgt_n || (!worst && x->score != y->score))
      return 0;
    if (worst && fabs(x->score - y->score) > *worst)
      *worst = fabs(x->score - y->score);
  }
  return 1;
}

/*
** One thread or two (the posteriors' backward pass on a second thread,
** scoring its own beads instead of reading the forward pass's cache): the
** same ladder, the same confidences bit for bit.
*/
static void test_align_dp__threads(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  synth(&ko, &en, 3000, 1200, 20, 'm');
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_alignment *al[3] = { NULL, NULL, NULL };
  for (unsigned th = 0; th < 3; th++) {
    ieum_align_options o = IEUM_ALIGN_OPTIONS_INIT;
    o.threads = th; /* 0 = automatic: two on a machine with two cores, this band being long enough */
    is_int(ieum_alignment_new(&al[th], s, t, &o), 0, "aligns 3000 segments with threads = %u", th);
  }
  ok(same_ladder(al[1], al[0], NULL) && same_ladder(al[2], al[0], NULL),
     "beads and confidences are the same with 0, 1 and 2 threads");
  ok(al[1] && covers(al[1], 3000, 2980), "ladder covers both sides once");
  is_int(al[2] ? count_shape(al[2], 2, 1) : 0, 20, "the 20 merges are 2-1 beads");
  for (int v = 0; v < 3; v++)
    ieum_alignment_free(al[v]);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** Documents too long for the fused forward pass and for the posterior score
** cache take separate passes (with threads, the backward one on a second
** thread): lowering the budgets sends a short document down those paths,
** which must give the same beads and the same confidences to 1e-3.
*/
static void test_align_dp__long_document_paths(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  synth(&ko, &en, 3000, 1200, 20, 'm');
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_alignment *al[4] = { NULL, NULL, NULL, NULL };
  size_t fused = ieum_align__fused_max, cache = ieum_align__post_cache_max;
  for (int v = 0; v < 4; v++) {
    ieum_align_options o = IEUM_ALIGN_OPTIONS_INIT;
    ieum_align__fused_max = v == 0 ? fused : 0;        /* 0: fused; 1-3: separate passes */
    ieum_align__post_cache_max = v <= 1 ? cache : 0;   /* 2, 3: no score cache */
    o.threads = v == 3 ? 2 : 1;                        /* 3: the backward pass on a second thread */
    is_int(ieum_alignment_new(&al[v], s, t, &o), 0, "aligns 3000 segments, path %d", v);
  }
  ieum_align__fused_max = fused;
  ieum_align__post_cache_max = cache;
  int same = 1;
  double worst = 0;
  for (int v = 1; v < 4; v++)
    same &= same_ladder(al[v], al[0], &worst);
  ok(same, "the same beads on every path");
  ok(worst <= 1e-3, "confidences within 1e-3 of the fused pass (largest difference %.2g)", worst);
  ok(same_ladder(al[3], al[2], NULL), "one thread or two: identical beads and confidences");
  for (int v = 0; v < 4; v++)
    ieum_alignment_free(al[v]);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

static void test_align_dp__options(void)
{
  ieum_doc *s = lines(KO), *t = lines(EN);
  ieum_alignment *al = (ieum_alignment *)1;
  ieum_align_options o = IEUM_ALIGN_OPTIONS_INIT;
  o.version = 99;
  is_int(ieum_alignment_new(&al, s, t, &o), IEUM_EINVAL, "unknown options version refused");
  ok(al == NULL, "*out is NULL on failure");
  o = (ieum_align_options)IEUM_ALIGN_OPTIONS_INIT;
  o.ratio = 2.0;
  is_int(ieum_alignment_new(&al, s, t, &o), 0, "a given ratio is used");
  ok(ieum_alignment_ratio(al) == 2.0, "ratio kept as given");
  ieum_alignment_free(al);
  ieum_alignment_free(NULL);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

static void test_align_dp__oom(void)
{
  ieum_doc *s = lines(KO), *t = lines(EN);
  int failures = 0, n;
  for (n = 0; n < 200; n++) {
    ieum_alignment *al = NULL;
    ieum__alloc_fail_after(n);
    int rc = ieum_alignment_new(&al, s, t, NULL);
    ieum__alloc_fail_after(-1);
    if (rc == 0) {
      ieum_alignment_free(al);
      break;
    }
    if (rc != IEUM_ENOMEM || al != NULL)
      failures++;
  }
  ok(n > 0 && n < 200, "succeeds once allocations stop failing (after %d)", n);
  is_int(failures, 0, "every failed allocation reports ENOMEM and leaves *out NULL");
  ieum_doc_free(s);
  ieum_doc_free(t);
}

int main(void)
{
  test_align_dp__one_to_one();
  test_align_dp__merge();
  test_align_dp__drop();
  test_align_dp__empty_side();
  test_align_dp__band_widens();
  test_align_dp__insert_run();
  test_align_dp__threads();
  test_align_dp__long_document_paths();
  test_align_dp__options();
  test_align_dp__oom();
  return done_testing();
}
