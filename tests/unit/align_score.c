/*
** tests/unit/align_score.c: the bead scorer (align/score.c): the evidence of
** shared keys as log-likelihood ratios (a key found is evidence for a bead,
** a key missed against it, a common key is worth less than a rare one, a
** bigger other side finds keys by chance more often), the per-document
** estimate of how often keys are translated, sentence counts inside lines
** (equal counts as evidence, their rate refitted per document), paragraph
** ends (ends on both sides as evidence, omissions too, a merge across a
** paragraph against it, an end on one side alone neither, refitted per
** document, off for documents of few paragraphs), the 1-3 and
** 3-1 shapes, OOM, the scores of all shapes of a cell at once (equal to
** each bead's), the cache of shared keys on documents longer than it, and
** the evidence prepared on two threads (the same as on one, bit for bit;
** allocation failures on both threads), and roles (a bead never pairs a
** headline with a body sentence, nor merges them on one side).  Korean and English sentences written for these tests.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../align/align_int.h"
#include "../../align/score_int.h"
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

static const char *KO2 = "정부는 내년 예산을 발표했다.\n"
                         "북한이 동해로 미사일을 발사했다.\n";
static const char *EN2 = "The government announced next year's budget.\n"
                         "North Korea fired a missile into the East Sea.\n";

static void test_align_score__found_and_missed(void)
{
  ieum_doc *s = lines(KO2), *t = lines(EN2);
  ieum_scorer sc;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer");
  ok(sc.lexical, "Korean against English: lexical keys built");
  ok(ieum_keyset__count(&sc.ev[0].ks, 0) > 0 && ieum_keyset__count(&sc.ev[1].ks, 1) > 0,
     "정부/government and 북한/North Korea are keys on both sides");
  double right = ieum_score__evidence(&sc, 0, 1, 0, 1), wrong = ieum_score__evidence(&sc, 0, 1, 1, 1);
  ok(right > 0, "정부는 ... / The government ...: keys found, positive evidence (%.2f)", right);
  ok(wrong < 0, "정부는 ... / North Korea ...: keys missed, negative evidence (%.2f)", wrong);
  ok(ieum_score__bead(&sc, 0, 0, 0) > ieum_score__bead(&sc, 0, 1, 0), "the right 1-1 bead scores higher");
  /* the same key is found by chance more often in two target segments than in one */
  const ieum_evidence *ev = &sc.ev[0];
  size_t x = ev->ks.off[0];
  ok(ev->gain[1][x] < ev->gain[0][x] && ev->gain[2][x] < ev->gain[1][x], "a bigger other side: smaller gain");
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

/* The evidence of source 0 against target 0 when the target document is `en`. */
static double evidence_00(const char *ko, const char *en)
{
  ieum_doc *s = lines(ko), *t = lines(en);
  ieum_scorer sc;
  double e = -1e9;
  if (s && t && ieum_score__init(&sc, s, t, 0, NULL) == 0) {
    e = ieum_score__evidence(&sc, 0, 1, 0, 1);
    ieum_score__dispose(&sc);
  }
  ieum_doc_free(s);
  ieum_doc_free(t);
  return e;
}

static void test_align_score__common_keys_weigh_less(void)
{
  const char *ko = "사업은 2016년에 시작됐다.\n회의가 열렸다.\n발표가 있었다.\n";
  double rare = evidence_00(ko, "The project began in 2016.\nA meeting was held.\nThere was an announcement.\n");
  double common = evidence_00(ko, "The project began in 2016.\nIn 2016 a meeting was held.\nThe 2016 plan was announced.\n");
  ok(rare > common, "2016 in one English line is worth more (%.2f) than in all three (%.2f)", rare, common);
  double none = evidence_00("날씨가 맑았다.\n바람이 불었다.\n", "It was sunny.\nThe wind blew.\n");
  is_int((int)(none * 1000), 0, "no key on either side: no evidence");
  /* a key the other document never holds is no evidence either way */
  double alone = evidence_00("사업은 1998년에 시작됐다.\n", "The project began long ago.\n");
  is_int((int)(alone * 1000), 0, "1998 absent from the English: not a key");
}

static void test_align_score__refit_estimates_p(void)
{
  /* ten 1-1 pairs whose every number is translated */
  char ko[2048], en[2048];
  size_t a = 0, b = 0;
  for (int k = 0; k < 10; k++) {
    a += (size_t)snprintf(ko + a, sizeof ko - a, "위원회는 %d개 안건을 %d시간 동안 논의했다.\n", 11 + k, 3 + k);
    b += (size_t)snprintf(en + b, sizeof en - b, "The committee discussed %d items for %d hours.\n", 11 + k, 3 + k);
  }
  ieum_doc *s = lines(ko), *t = lines(en);
  ieum_scorer sc;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer");
  double p0 = sc.p_found[IEUM_EV_NUM];
  ieum_bead beads[10];
  for (size_t k = 0; k < 10; k++)
    beads[k] = (ieum_bead){ .src_start = k, .src_n = 1, .tgt_start = k, .tgt_n = 1 };
  ieum_score__refit(&sc, beads, 10);
  ok(sc.p_found[IEUM_EV_NUM] > p0, "every number found: p(number) rises from %.2f to %.2f", p0,
     sc.p_found[IEUM_EV_NUM]);
  ok(sc.p_found[IEUM_EV_NUM] <= 0.95, "but stays below certainty");
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

/* Line 1 of the source joins two sentences that the target keeps apart; the other lines hold one each. */
static const char *KO4 = "정부는 내년 예산을 발표했다.\n"
                         "예산은 늘었다. 야당은 반대했다.\n"
                         "전문가들은 대체로 환영했다.\n"
                         "시장은 조용했다.\n"
                         "물가는 안정됐다.\n"
                         "수출은 줄었다.\n"
                         "고용은 늘었다.\n";
static const char *EN4 = "The government announced next year's budget.\n"
                         "The budget grew.\n"
                         "The opposition objected.\n"
                         "Experts largely welcomed it.\n"
                         "Markets were calm.\n"
                         "Prices were stable.\n"
                         "Exports fell.\n"
                         "Jobs grew.\n";

static void test_align_score__sentence_counts(void)
{
  ieum_doc *s = lines(KO4), *t = lines(EN4);
  ieum_scorer sc;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer");
  ok(sc.q_same > 0 && sc.q_same < sc.p_same, "chance of equal counts (%.3f) below a right bead's (%.3f)", sc.q_same,
     sc.p_same);
  ok(sc.same_gain > 0 && sc.same_miss < 0, "equal counts are evidence for a bead, unequal against");
  /* "예산은 늘었다. 야당은 반대했다." with its two lines (1-2, shape 4) against the first alone (1-1, shape 0) */
  double two = ieum_score__bead(&sc, 1, 1, 4), one = ieum_score__bead(&sc, 1, 1, 0);
  ok(two > one, "two sentences on one line: the 1-2 bead wins (%.2f > %.2f)", two, one);
  double p0 = sc.p_same;
  ieum_bead beads[7] = { { .src_start = 0, .src_n = 1, .tgt_start = 0, .tgt_n = 1 },
                         { .src_start = 1, .src_n = 1, .tgt_start = 1, .tgt_n = 2 } };
  for (size_t k = 2; k < 7; k++)
    beads[k] = (ieum_bead){ .src_start = k, .src_n = 1, .tgt_start = k + 1, .tgt_n = 1 };
  ieum_score__refit(&sc, beads, 7);
  ok(sc.p_same > p0, "a ladder whose only several-sentence bead has equal counts: p rises (%.2f to %.2f)", p0,
     sc.p_same);
  ieum_bead split[8] = { { .src_start = 0, .src_n = 1, .tgt_start = 0, .tgt_n = 1 },
                         { .src_start = 1, .src_n = 1, .tgt_start = 1, .tgt_n = 1 },
                         { .src_start = 2, .src_n = 0, .tgt_start = 2, .tgt_n = 1 } };
  for (size_t k = 3; k < 8; k++)
    split[k] = (ieum_bead){ .src_start = k - 1, .src_n = 1, .tgt_start = k, .tgt_n = 1 };
  ieum_score__refit(&sc, split, 8);
  ok(sc.p_same < p0 && sc.p_same >= sc.q_same, "one with unequal counts: p falls (%.2f), never below chance",
     sc.p_same);
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

/* Eleven paragraphs on each side, 13 lines (blank lines), sentence for sentence. */
static const char *KO5 = "정부는 내년 예산을 발표했다.\n예산은 크게 늘었다.\n\n"
                         "야당은 반대했다.\n\n"
                         "전문가들은 대체로 환영했다.\n시장은 조용했다.\n\n"
                         "물가는 안정됐다.\n\n수출은 줄었다.\n\n고용은 늘었다.\n\n환율은 올랐다.\n\n"
                         "금리는 그대로였다.\n\n주가는 떨어졌다.\n\n소비는 살아났다.\n\n투자는 주춤했다.\n";
static const char *EN5 = "The government announced next year's budget.\nThe budget grew sharply.\n\n"
                         "The opposition objected.\n\n"
                         "Experts largely welcomed it.\nMarkets were calm.\n\n"
                         "Prices were stable.\n\nExports fell.\n\nJobs grew.\n\nThe won weakened.\n\n"
                         "Rates held.\n\nStocks fell.\n\nSpending picked up.\n\nInvestment stalled.\n";

/* The same text with every blank line removed: one paragraph. */
static char *one_paragraph(const char *text)
{
  char *out = malloc(strlen(text) + 1), *o = out;
  for (const char *p = text; *p; p++)
    if (!(*p == '\n' && p[1] == '\n'))
      *o++ = *p;
  *o = 0;
  return out;
}

static void test_align_score__paragraphs(void)
{
  ieum_doc *s = lines(KO5), *t = lines(EN5);
  char *ko1 = one_paragraph(KO5), *en1 = one_paragraph(EN5);
  ieum_doc *s1 = lines(ko1), *t1 = lines(en1);
  ieum_scorer sc, flat;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer with paragraphs");
  is_int(ieum_score__init(&flat, s1, t1, 0, NULL), IEUM_OK, "scorer without");
  ok(sc.para_end[0] && sc.para_end[1], "eleven paragraphs on each side: the signal is on");
  ok(!flat.para_end[0] && !flat.para_end[1], "one paragraph: the signal is off");
  ok(sc.q_para > 0 && sc.q_para < sc.p_para && sc.para_gain > 0 && sc.para_miss < 0,
     "chance of agreeing ends (%.3f) below a right bead's (%.3f): agreeing ends for a bead, others against",
     sc.q_para, sc.p_para);
  /* "예산은 크게 늘었다." / "The budget grew sharply.": both end paragraph 0 */
  double diff = ieum_score__bead(&sc, 1, 1, 0) - ieum_score__bead(&flat, 1, 1, 0);
  ok(diff > 0 && fabs(diff - sc.para_gain) < 1e-9, "a 1-1 bead where both paragraphs end gains para_gain (%.3f)",
     diff);
  /* 예산은 (end of paragraph 0) with "The budget grew sharply." and "The opposition objected." */
  diff = ieum_score__bead(&sc, 1, 1, 4) - ieum_score__bead(&flat, 1, 1, 4);
  ok(diff < 0, "a 1-2 bead across a paragraph end loses (%.3f)", diff);
  /* "정부는..." with "The government...": neither ends a paragraph: no change */
  diff = ieum_score__bead(&sc, 0, 0, 0) - ieum_score__bead(&flat, 0, 0, 0);
  ok(fabs(diff) < 1e-9, "a bead where no paragraph ends is not touched");
  /* "예산은 크게 늘었다." ends paragraph 0, "The government..." does not */
  diff = ieum_score__bead(&sc, 1, 0, 0) - ieum_score__bead(&flat, 1, 0, 0);
  ok(fabs(diff) < 1e-9, "an end on one side alone is no evidence");
  /* "예산은 크게 늘었다." left untranslated (1-0) where the English paragraph has ended too */
  diff = ieum_score__bead(&sc, 1, 2, 1) - ieum_score__bead(&flat, 1, 2, 1);
  ok(diff > 0 && fabs(diff - sc.para_gain) < 1e-9, "an omission at the end of both paragraphs gains too");
  double p0 = sc.p_para;
  ieum_bead right[13];
  for (size_t k = 0; k < 13; k++)
    right[k] = (ieum_bead){ .src_start = k, .src_n = 1, .tgt_start = k, .tgt_n = 1 };
  ieum_score__refit(&sc, right, 13);
  ok(sc.p_para > p0, "a ladder whose ends all agree: p rises (%.2f to %.2f)", p0, sc.p_para);
  /* [0]:[0] [1,2]:[1] [3]:[2,3] [4]:[4] [5,6]:[5] [7]:[6,7], then 1-1: four merges across paragraphs */
  ieum_bead merged[11] = { { .src_start = 0, .src_n = 1, .tgt_start = 0, .tgt_n = 1 },
                           { .src_start = 1, .src_n = 2, .tgt_start = 1, .tgt_n = 1 },
                           { .src_start = 3, .src_n = 1, .tgt_start = 2, .tgt_n = 2 },
                           { .src_start = 4, .src_n = 1, .tgt_start = 4, .tgt_n = 1 },
                           { .src_start = 5, .src_n = 2, .tgt_start = 5, .tgt_n = 1 },
                           { .src_start = 7, .src_n = 1, .tgt_start = 6, .tgt_n = 2 } };
  for (size_t k = 6; k < 11; k++)
    merged[k] = (ieum_bead){ .src_start = k + 2, .src_n = 1, .tgt_start = k + 2, .tgt_n = 1 };
  ieum_score__refit(&sc, merged, 11);
  ok(sc.p_para < p0 && sc.p_para >= sc.q_para, "a ladder merging across paragraphs: p falls (%.2f), never below chance",
     sc.p_para);
  ieum_score__dispose(&sc);
  ieum_score__dispose(&flat);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_doc_free(s1);
  ieum_doc_free(t1);
  free(ko1);
  free(en1);
}

static const char *KO3 = "서울시가 다음 달부터 홍수 예보 시스템을 운영한다.\n"
                         "시는 2024년에 사업을 시작해 48억 원을 들였고, 센서 1천200개를 설치했으며, 2027년까지 전국으로 "
                         "넓힐 계획이다.\n"
                         "전문가들은 대체로 환영했다.\n";
static const char *EN3 = "Seoul will run a flood forecasting system from next month.\n"
                         "The city started the project in 2024 and spent 4.8 billion won.\n"
                         "It installed 1,200 sensors.\n"
                         "It plans to expand it nationwide by 2027.\n"
                         "Experts largely welcomed it.\n";

/* The shape of bead k, as "a-b". */
static const char *shape(const ieum_alignment *al, size_t k)
{
  static char out[16];
  const ieum_bead *b = ieum_alignment_bead(al, k);
  snprintf(out, sizeof out, "%u-%u", b ? (unsigned)b->src_n : 9, b ? (unsigned)b->tgt_n : 9);
  return out;
}

static void test_align_score__prior_ratio(void)
{
  ieum_doc *s = lines(KO4), *t = lines(EN4);
  ieum_scorer sc;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer");
  double ls = sc.src_cum[ieum_doc_count(s)], lt = sc.tgt_cum[ieum_doc_count(t)], own = sc.ratio;
  ok(fabs(own - lt / ls) < 1e-9, "without a prior, the ratio of the totals (%.3f)", own);
  ieum_score__set_prior(&sc, 0, 5000);
  ok(sc.ratio == own && sc.prior_chars == 0, "a prior of ratio 0 is none");
  ieum_score__set_prior(&sc, 3.0, 100);
  ok(fabs(sc.ratio - (lt + 100 * 3.0) / (ls + 100)) < 1e-9, "100 characters at 3.0 pull it to %.3f", sc.ratio);
  ieum_score__set_prior(&sc, 3.0, 1e9);
  double capped = sc.ratio;
  ok(sc.prior_chars < 1e9 && capped < 3.0 && capped > own, "a huge TM is capped: %.0f characters, ratio %.3f",
     sc.prior_chars, capped);
  ok(fabs(sc.var / sc.ratio - 6.8) < 1e-9, "the variance follows the ratio");
  /* the refit blends the ladder's confident 1-1 beads with the prior the same way */
  ieum_bead right[7] = { { .src_start = 0, .src_n = 1, .tgt_start = 0, .tgt_n = 1 },
                         { .src_start = 1, .src_n = 1, .tgt_start = 1, .tgt_n = 2 } };
  for (size_t k = 2; k < 7; k++)
    right[k] = (ieum_bead){ .src_start = k, .src_n = 1, .tgt_start = k + 1, .tgt_n = 1 };
  ieum_scorer plain;
  is_int(ieum_score__init(&plain, s, t, 0, NULL), IEUM_OK, "a scorer without prior");
  ieum_score__refit(&plain, right, 7);
  ieum_score__refit(&sc, right, 7);
  ok(sc.ratio > plain.ratio, "after the refit the prior still pulls up: %.3f against %.3f", sc.ratio, plain.ratio);
  ieum_score__dispose(&plain);
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

static void test_align_score__three_way_beads(void)
{
  ieum_doc *s = lines(KO3), *t = lines(EN3);
  ieum_alignment *al = NULL;
  is_int(ieum_alignment_new(&al, s, t, NULL), IEUM_OK, "align");
  is_int((int)ieum_alignment_count(al), 3, "three beads");
  is_str(shape(al, 1), "1-3", "the long Korean sentence and its three English ones: 1-3");
  ieum_alignment_free(al);
  is_int(ieum_alignment_new(&al, t, s, NULL), IEUM_OK, "align the other way");
  is_str(shape(al, 1), "3-1", "and 3-1 with the sides swapped");
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

static void test_align_score__oom(void)
{
  ieum_doc *s = lines(KO2), *t = lines(EN2);
  ieum_scorer sc;
  int failed = 0, other = 0;
  for (int n = 0; n < 2000; n++) {
    ieum__alloc_fail_after(n);
    int rc = ieum_score__init(&sc, s, t, 0, NULL);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK) {
      ieum_score__dispose(&sc);
      break;
    }
    failed++;
    other += rc != IEUM_ENOMEM;
  }
  ok(failed > 10, "the scorer was failed at each of its %d allocations", failed);
  is_int(other, 0, "each failure reported IEUM_ENOMEM (and leaked nothing: see the ASan build)");
  ieum_doc_free(s);
  ieum_doc_free(t);
}

/* Lines of several sentences, paragraphs, numbers and words the lexicon knows: every term of a bead's score. */
static const char *KO_CELL = "정부는 내년 예산을 발표했다. 예산은 600조 원이다.\n"
                             "북한이 동해로 미사일을 발사했다.\n"
                             "\n"
                             "서울시는 3월부터 새 버스 노선을 운영한다고 밝혔다.\n"
                             "시장은 \"시민의 불편을 줄이겠다\"고 말했다.\n"
                             "\n"
                             "한국은행은 기준금리를 3.5%로 동결했다. 물가는 안정됐다.\n"
                             "경찰이 사고 원인을 조사하고 있다.\n";
static const char *EN_CELL = "The government announced next year's budget.\n"
                             "The budget is 600 trillion won.\n"
                             "North Korea fired a missile into the East Sea.\n"
                             "\n"
                             "Seoul said it will run new bus routes from March.\n"
                             "\"We will reduce the inconvenience of citizens,\" the mayor said.\n"
                             "\n"
                             "The Bank of Korea kept its base rate at 3.5%. Prices have stabilized.\n"
                             "Police are investigating the cause of the accident.\n";

/* ieum_score__cell() gives, for every cell and shape, ieum_score__bead()'s value bit for bit, as does a fork. */
static void test_align_score__cell_equals_bead(void)
{
  ieum_doc *s = lines(KO_CELL), *t = lines(EN_CELL);
  ieum_scorer sc, fork;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer");
  ok(sc.para_end[0] != NULL, "the paragraphs are used");
  is_int(ieum_score__fork(&fork, &sc), IEUM_OK, "fork");
  size_t n = ieum_doc_count(s), m = ieum_doc_count(t), cells = 0, differ = 0, fork_differ = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i <= n; i++)
      for (size_t j = 0; j <= m; j++) {
        unsigned want = 0;
        double out[IEUM_N_SHAPES], out2[IEUM_N_SHAPES];
        for (int k = 0; k < IEUM_N_SHAPES; k++)
          if (ieum_shapes[k][0] <= i && ieum_shapes[k][1] <= j)
            want |= 1u << k;
        if (!want)
          continue;
        ieum_score__cell(&sc, i, j, want, out);
        ieum_score__cell(&fork, i, j, want, out2);
        for (int k = 0; k < IEUM_N_SHAPES; k++) {
          if (!(want >> k & 1))
            continue;
          double bead = ieum_score__bead(&sc, i - ieum_shapes[k][0], j - ieum_shapes[k][1], k);
          differ += memcmp(&bead, &out[k], sizeof bead) != 0;
          fork_differ += memcmp(&bead, &out2[k], sizeof bead) != 0;
          cells++;
        }
      }
    /* the second time under refitted parameters, as the final search scores, with a fork taken after */
    ieum_bead right[6];
    for (size_t k = 0; k < 6; k++)
      right[k] = (ieum_bead){ .src_start = k, .src_n = 1, .tgt_start = k ? k + 1 : 0, .tgt_n = k ? 1 : 2 };
    ieum_score__refit(&sc, right, 6);
    ieum_score__unfork(&fork);
    if (ieum_score__fork(&fork, &sc) != IEUM_OK)
      break;
  }
  ok(cells > 400, "%zu bead scores compared", cells);
  is_int(differ, 0, "every cell score equals the bead's score");
  is_int(fork_differ, 0, "a fork scores the same");
  ieum_score__unfork(&fork);
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
}

/*
** Documents longer than the cache of shared keys holds: a pair evicted by
** another segment of the same ring row scores the same when asked again.
*/
static void test_align_score__cache_wraps(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  char line[128];
  for (int k = 0; k < 9000; k++) {
    snprintf(line, sizeof line, "정부는 %d억 원을 %d곳에 배정했다.\n", 100 + k, k % 97 + 3);
    ieum__buf_puts(&ko, line);
    snprintf(line, sizeof line, "The government gave %d00 million won to %d places.\n", 100 + k, k % 97 + 3);
    ieum__buf_puts(&en, line);
  }
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_scorer sc, fresh;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer of 9000 segments");
  is_int(ieum_score__fork(&fresh, &sc), IEUM_OK, "fork");
  double first = ieum_score__evidence(&sc, 10, 1, 10, 1), wrong = ieum_score__evidence(&sc, 10, 1, 11, 1);
  int same = 1;
  for (size_t x = 10; x < 9000; x += 4096) /* every segment of ring row 10, at any size up to 8192 rows */
    for (size_t y = x - 2; y < x + 3 && y < 9000; y++) {
      double a = ieum_score__evidence(&sc, x, 1, y, 1), b = ieum_score__evidence(&fresh, x, 1, y, 1);
      same &= memcmp(&a, &b, sizeof a) == 0;
    }
  double again = ieum_score__evidence(&sc, 10, 1, 10, 1);
  ok(same, "pairs of segments 4096 apart score as in a fresh cache");
  ok(memcmp(&first, &again, sizeof first) == 0, "an evicted pair scores as before");
  ok(first > wrong, "the pair sharing its number scores higher (%.3f > %.3f)", first, wrong);
  ieum_score__unfork(&fresh);
  ieum_score__dispose(&sc);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** A pair long enough for the two-thread evidence (score.c's
** EVIDENCE_THREAD_MIN segments together): `lines` lines per side from a few
** sentence patterns, with numbers, names, lexicon words, a line of two
** sentences now and then, and a paragraph break every seventh line.
*/
static void long_pair(ieum_buf *ko, ieum_buf *en, int n_lines)
{
  /* each sentence as the text before its number and the text after it */
  static const char *const KO_PAT[][2] = { { "정부는 ", "억 원의 예산을 발표했다." },
                                           { "북한이 ", "일 동해로 미사일을 발사했다." },
                                           { "서울시는 ", "개 버스 노선을 운영한다고 밝혔다. 시민들은 환영했다." },
                                           { "한국은행은 기준금리를 ", "%로 동결했다." },
                                           { "경찰은 사고 원인을 조사하고 있다고 ", "일 밝혔다." } };
  static const char *const EN_PAT[][2] = { { "The government announced a budget of ", "00 million won." },
                                           { "North Korea fired a missile into the East Sea on the ", "th." },
                                           { "Seoul said it will run ", " bus routes. Citizens welcomed it." },
                                           { "The Bank of Korea kept its base rate at ", "%." },
                                           { "Police said on the ", "th that they are investigating the cause of the accident." } };
  char num[16];
  for (int k = 0; k < n_lines; k++) {
    snprintf(num, sizeof num, "%d", 3 + k * 7 % 89);
    const char *end = k % 7 == 6 ? "\n\n" : "\n";
    ieum__buf_puts(ko, KO_PAT[k % 5][0]);
    ieum__buf_puts(ko, num);
    ieum__buf_puts(ko, KO_PAT[k % 5][1]);
    ieum__buf_puts(ko, end);
    if (k % 11 == 4)
      continue; /* a sentence the translation left out */
    ieum__buf_puts(en, EN_PAT[k % 5][0]);
    ieum__buf_puts(en, num);
    ieum__buf_puts(en, EN_PAT[k % 5][1]);
    ieum__buf_puts(en, end);
  }
}

static int same_bits(const void *a, const void *b, size_t n)
{
  return n == 0 || (a && b && memcmp(a, b, n) == 0);
}

/* The evidence of both sides, key by key, equal bit for bit. */
static int same_evidence(const ieum_scorer *a, const ieum_scorer *b)
{
  int same = a->lexical == b->lexical && same_bits(a->p_found, b->p_found, sizeof a->p_found) &&
             same_bits(&a->ratio, &b->ratio, sizeof a->ratio) && same_bits(&a->q_same, &b->q_same, sizeof a->q_same);
  for (int side = 0; side < 2 && same; side++) {
    const ieum_evidence *x = &a->ev[side], *y = &b->ev[side];
    size_t n = x->ks.n, nk = n == y->ks.n ? x->ks.off[n] : 0;
    same = n == y->ks.n && nk == y->ks.off[n] && same_bits(x->ks.off, y->ks.off, (n + 1) * sizeof *x->ks.off) &&
           same_bits(x->ks.mask, y->ks.mask, n * sizeof *x->ks.mask) &&
           same_bits(x->ks.keys, y->ks.keys, nk * sizeof *x->ks.keys) && same_bits(x->q, y->q, nk * sizeof *x->q) &&
           same_bits(x->miss_cum, y->miss_cum, (n + 1) * sizeof *x->miss_cum);
    for (int g = 0; g < 3 && same; g++)
      same = same_bits(x->gain[g], y->gain[g], nk * sizeof *x->gain[g]);
  }
  return same;
}

/* The scorer built with one thread and with two: the same evidence, the same bead scores. */
static void test_align_score__threads_same(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  long_pair(&ko, &en, 150);
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_scorer one, two;
  size_t n = ieum_doc_count(s), m = ieum_doc_count(t);
  ok(n + m >= 200, "%zu segments: long enough for two threads", n + m);
  is_int(ieum_score__init_threads(&one, s, t, 0, NULL, 1), IEUM_OK, "scorer on one thread");
  is_int(ieum_score__init_threads(&two, s, t, 0, NULL, 2), IEUM_OK, "scorer on two threads");
  ok(one.lexical && ieum_keyset__count(&one.ev[0].ks, 0) > 0, "lexical keys built");
  ok(same_evidence(&one, &two), "keys, q, gains and miss sums equal bit for bit");
  size_t beads = 0, differ = 0;
  for (size_t i = 0; i + 3 <= n; i++)
    for (size_t j = i > 20 ? i - 20 : 0; j <= i + 5 && j + 3 <= m; j++)
      for (int k = 0; k < IEUM_N_SHAPES; k++) {
        double a = ieum_score__bead(&one, i, j, k), b = ieum_score__bead(&two, i, j, k);
        differ += memcmp(&a, &b, sizeof a) != 0;
        beads++;
      }
  ok(beads > 10000, "%zu bead scores compared", beads);
  is_int((int)differ, 0, "every bead scores the same");
  ieum_alignment *al1 = NULL, *al2 = NULL;
  ieum_align_options o = IEUM_ALIGN_OPTIONS_INIT;
  o.threads = 1;
  is_int(ieum_alignment_new(&al1, s, t, &o), IEUM_OK, "aligned on one thread");
  o.threads = 2;
  is_int(ieum_alignment_new(&al2, s, t, &o), IEUM_OK, "aligned on two");
  int same = al1 && al2 && ieum_alignment_count(al1) == ieum_alignment_count(al2);
  for (size_t k = 0; same && k < ieum_alignment_count(al1); k++) {
    const ieum_bead *x = ieum_alignment_bead(al1, k), *y = ieum_alignment_bead(al2, k);
    same = x->src_start == y->src_start && x->src_n == y->src_n && x->tgt_start == y->tgt_start &&
           x->tgt_n == y->tgt_n && memcmp(&x->score, &y->score, sizeof x->score) == 0;
  }
  ok(same, "the same beads and confidences");
  ieum_alignment_free(al1);
  ieum_alignment_free(al2);
  ieum_score__dispose(&one);
  ieum_score__dispose(&two);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/*
** Allocation failures with two threads.  The countdown of util/alloc.c is
** not thread-safe, so only counts that run out before the threads start are
** tried: from then on every allocation of both threads fails (a countdown at
** 0 is only read).  With a lexicon given, init allocates the two length sums
** before the threads start (0 and 1 fail there, 2 in both threads).
*/
static void test_align_score__threads_oom(void)
{
  ieum_buf ko = IEUM_BUF_INIT, en = IEUM_BUF_INIT;
  long_pair(&ko, &en, 150);
  ieum_doc *s = lines(ko.ptr), *t = lines(en.ptr);
  ieum_lexicon *lex = NULL;
  is_int(ieum_lexicon_new(&lex, 1), IEUM_OK, "built-in lexicon");
  for (int n = 0; n <= 2; n++) {
    ieum_scorer sc;
    ieum_error_clear();
    ieum__alloc_fail_after(n);
    int rc = ieum_score__init_threads(&sc, s, t, 0, lex, 2);
    ieum__alloc_fail_after(-1);
    const ieum_error *e = ieum_error_last();
    is_int(rc, IEUM_ENOMEM, "allocations failing from number %d on: IEUM_ENOMEM", n);
    is_str(e ? e->message : "(none)", "out of memory", "and its message on the caller's thread");
    if (rc == IEUM_OK)
      ieum_score__dispose(&sc);
  }
  ieum_scorer sc;
  is_int(ieum_score__init_threads(&sc, s, t, 0, lex, 2), IEUM_OK, "then it builds (nothing leaked: see the ASan build)");
  ieum_score__dispose(&sc);
  ieum_lexicon_free(lex);
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_buf_dispose(&ko);
  ieum_buf_dispose(&en);
}

/* Gives segment k of `d` the role roles[k] (the tests' way to roles without the segmenter's rules). */
static void set_roles(ieum_doc *d, const int *roles)
{
  for (size_t k = 0; k < d->n; k++)
    d->segs[k].role = roles[k];
}

/* The ladder of s/t as "a-b" shapes joined by spaces, e.g. "1-1 1-0 0-1". */
static void shapes(char *out, size_t cap, const ieum_doc *s, const ieum_doc *t)
{
  ieum_alignment *al = NULL;
  out[0] = '\0';
  if (ieum_alignment_new(&al, s, t, NULL) != 0)
    return;
  size_t n = 0;
  for (size_t k = 0; k < ieum_alignment_count(al) && n + 5 < cap; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    n += (size_t)snprintf(out + n, cap - n, "%s%u-%u", k ? " " : "", b->src_n, b->tgt_n);
  }
  ieum_alignment_free(al);
}

static const char *KO_HEAD = "서울시 자전거 도로 두 배로 늘린다\n"
                             "서울시가 2027년까지 도심 자전거 도로를 지금의 두 배로 늘린다.\n"
                             "시는 14일 이런 내용을 담은 계획을 발표했다.\n";
static const char *EN_HEAD = "Seoul to double its bike lanes\n"
                             "Seoul will double its downtown bike lanes by 2027.\n"
                             "The city announced the plan on the 14th.\n";
/* the headline and the first sentence translated as one */
static const char *EN_JOINED = "Seoul will double its bike lanes: it will double its downtown bike lanes by 2027.\n"
                               "The city announced the plan on the 14th.\n";

static void test_align_score__roles(void)
{
  static const int head_body[] = { IEUM_ROLE_HEADLINE, IEUM_ROLE_BODY, IEUM_ROLE_BODY };
  static const int body[] = { IEUM_ROLE_BODY, IEUM_ROLE_BODY, IEUM_ROLE_BODY };
  char got[64];
  ieum_doc *s = lines(KO_HEAD), *t = lines(EN_HEAD), *j = lines(EN_JOINED);
  shapes(got, sizeof got, s, t);
  is_str(got, "1-1 1-1 1-1", "no roles at all: the headlines pair by length and keys");
  set_roles(s, head_body);
  set_roles(t, head_body);
  shapes(got, sizeof got, s, t);
  is_str(got, "1-1 1-1 1-1", "headline with headline: the same ladder");
  ieum_scorer sc;
  is_int(ieum_score__init(&sc, s, t, 0, NULL), IEUM_OK, "scorer");
  ok(isfinite(ieum_score__bead(&sc, 0, 0, 0)), "headline / headline: a 1-1 bead allowed");
  ok(ieum_score__bead(&sc, 0, 1, 0) == -INFINITY, "headline / body sentence: forbidden");
  ok(ieum_score__bead(&sc, 0, 0, 3) == -INFINITY, "headline + body sentence / headline (2-1): forbidden");
  ok(ieum_score__bead(&sc, 0, 0, 4) == -INFINITY, "headline / headline + body sentence (1-2): forbidden");
  ok(isfinite(ieum_score__bead(&sc, 0, 0, 1)) && isfinite(ieum_score__bead(&sc, 0, 0, 2)), "omissions stay allowed");
  double cell[IEUM_N_SHAPES];
  ieum_score__cell(&sc, 2, 1, 1u << 3, cell);
  ok(cell[3] == -INFINITY, "the cell's 2-1 bead is forbidden as ieum_score__bead()'s is");
  ieum_score__dispose(&sc);
  /* the target's headline taken for a body sentence: the headlines are no bead */
  set_roles(t, body);
  shapes(got, sizeof got, s, t);
  /* (the body line the target's headline became stays alone: posterior decoding does not merge it at 0.3) */
  is_str(got, "1-0 0-1 1-1 1-1", "headline against a body line: the headline alone, the body line in a body bead");
  /* a target whose first line holds the headline and the first sentence */
  set_roles(j, body);
  shapes(got, sizeof got, s, j);
  is_str(got, "1-0 1-1 1-1", "the headline never merges with the body sentence after it");
  ieum_doc_free(s);
  ieum_doc_free(t);
  ieum_doc_free(j);
}

int main(void)
{
  test_align_score__found_and_missed();
  test_align_score__common_keys_weigh_less();
  test_align_score__refit_estimates_p();
  test_align_score__sentence_counts();
  test_align_score__paragraphs();
  test_align_score__three_way_beads();
  test_align_score__prior_ratio();
  test_align_score__oom();
  test_align_score__cell_equals_bead();
  test_align_score__cache_wraps();
  test_align_score__threads_same();
  test_align_score__threads_oom();
  test_align_score__roles();
  return done_testing();
}
