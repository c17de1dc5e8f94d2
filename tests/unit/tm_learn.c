/*
** tests/unit/tm_learn.c: the lexicon learned from a TM (pipeline/learn.c feeding
** align/learn.c with tm/texts.c's unit texts): pairs
** that recur in confident units are learned, weak units and one-off pairs
** are not, learning again replaces the pairs, the loader fills a lexicon,
** the length ratio of confident 1-1 units, and bad calls fail with their
** messages.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../align/lexicon_int.h"
#include "tap.h"
#include "tmpdir.h"

static char path[256];

/* Adds the unit src/tgt (src_lang to English) with `score` and bead type `bead` (may be NULL) to document `doc`. */
static int add_bead(ieum_tm *tm, int64_t doc, int64_t pos, const char *src, const char *tgt, double score,
                    const char *bead, const char *src_lang)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.src_lang = src_lang;
  u.tgt_lang = "en";
  u.score = score;
  u.position = pos;
  u.bead = bead;
  return ieum_tm_add_unit(tm, doc, &u);
}

/* A Korean-English unit of no bead type. */
static int add(ieum_tm *tm, int64_t doc, int64_t pos, const char *src, const char *tgt, double score)
{
  return add_bead(tm, doc, pos, src, tgt, score, NULL, "ko");
}

static ieum_tm *make_tm(void)
{
  static const char *const ko[] = { "수퍼컴퓨터가 빠르다.", "새 수퍼컴퓨터를 샀다.", "수퍼컴퓨터는 비싸다.",
                                    "연구소가 크다.", "연구소에서 일했다.", "그 연구소는 오래됐다." };
  static const char *const en[] = { "The supercomputer is fast.", "They bought a new supercomputer.",
                                    "Supercomputers are expensive.", "The laboratory is big.",
                                    "He worked at the laboratory.", "That laboratory is old." };
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  snprintf(path, sizeof path, "%s", tmp_path("learn.db"));
  unlink(path);
  if (ieum_tm_open(&tm, path, IEUM_TM_CREATE) || ieum_tm_begin(tm))
    return NULL;
  ieum_tm_document d = { .kind = "pair", .src_path = "ko.txt", .tgt_path = "en.txt", .src_lang = "ko",
                         .tgt_lang = "en", .hash = "0123456789abcdef0123456789abcdef" };
  if (ieum_tm_add_document(&doc, tm, &d))
    return NULL;
  for (int k = 0; k < 6; k++)
    if (add(tm, doc, k, ko[k], en[k], 0.95))
      return NULL;
  /* a weak unit: below the threshold, it must not be read */
  if (add(tm, doc, 6, "연구소 수퍼컴퓨터", "bananas", 0.2) || ieum_tm_commit(tm))
    return NULL;
  return tm;
}

static void test_tm_learn__pairs(void)
{
  ieum_tm *tm = make_tm();
  size_t n = 99;
  ok(tm != NULL, "a TM with six units");
  if (!tm)
    return;
  is_int(ieum_tm_learn(&n, tm, NULL), IEUM_OK, "learn with the defaults");
  is_int(n, 2, "two pairs learned");
  ieum_lexicon *lex = NULL;
  ieum_lexicon_new(&lex, 0);
  size_t loaded = 0;
  is_int(ieum_tm_lexicon_load(&loaded, lex, tm), IEUM_OK, "load");
  is_int(loaded, 2, "two pairs loaded");
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *a = NULL, *b = NULL;
  const char *ko = "연구소의 수퍼컴퓨터", *en = "the laboratory's supercomputers";
  ieum_doc_new(&a, ko, strlen(ko), &o);
  ieum_doc_new(&b, en, strlen(en), &o);
  ieum_keyset ka, kb;
  ieum_lexicon__keys(&ka, lex, a, 1);
  ieum_lexicon__keys(&kb, lex, b, 0);
  is_int(ieum_keyset__found(&ka, 0, 1, &kb, 0, 1), 2, "연구소/laboratory and 수퍼컴퓨터/supercomputer");
  ieum_keyset__dispose(&ka);
  ieum_keyset__dispose(&kb);
  ieum_doc_free(a);
  ieum_doc_free(b);
  ieum_lexicon_free(lex);

  ieum_tm_learn_options lo = IEUM_TM_LEARN_OPTIONS_INIT;
  lo.min_count = 4;
  is_int(ieum_tm_learn(&n, tm, &lo), IEUM_OK, "learn again, 4 units needed");
  is_int(n, 0, "no pair is seen 4 times");
  ieum_lexicon_new(&lex, 0);
  ieum_tm_lexicon_load(&loaded, lex, tm);
  is_int(loaded, 0, "the old pairs were replaced");
  ieum_lexicon_free(lex);

  lo.min_assoc = 0;
  is_int(ieum_tm_learn(&n, tm, &lo), IEUM_EINVAL, "bad options");
  ok(strstr(ieum_error_last()->message, "bad options") != NULL, "message: %s", ieum_error_last()->message);
  ieum_tm_begin(tm);
  is_int(ieum_tm_learn(&n, tm, NULL), IEUM_EINVAL, "inside a transaction");
  ieum_tm_rollback(tm);
  ieum_tm_free(tm);

  is_int(ieum_tm_open(&tm, path, IEUM_TM_READ), IEUM_OK, "reopen read-only");
  is_int(ieum_tm_learn(&n, tm, NULL), IEUM_EINVAL, "read-only TM");
  ok(strstr(ieum_error_last()->message, "read-only") != NULL, "message: %s", ieum_error_last()->message);
  ieum_tm_free(tm);
  unlink(path);
}

static void test_tm_learn__length_ratio(void)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  double ratio = -1, chars = -1;
  snprintf(path, sizeof path, "%s", tmp_path("ratio.db"));
  unlink(path);
  is_int(ieum_tm_open(&tm, path, IEUM_TM_CREATE), IEUM_OK, "new TM");
  is_int(ieum_tm_length_ratio(&ratio, &chars, tm, "ko", "en", 0.9), IEUM_OK, "an empty TM");
  ok(ratio == 0 && chars == 0, "has no length model");
  ieum_tm_document d = { .kind = "pair", .src_path = "ko.txt", .tgt_path = "en.txt", .src_lang = "ko",
                         .tgt_lang = "en", .hash = "00112233445566778899aabbccddeeff" };
  ok(ieum_tm_begin(tm) == 0 && ieum_tm_add_document(&doc, tm, &d) == 0, "a document");
  /* non-space characters: 7 + 8 Korean, 18 + 16 English */
  ok(add_bead(tm, doc, 0, "비가 많이 왔다.", "It rained a lot today.", 0.95, "1-1", "ko") == 0 &&
         add_bead(tm, doc, 1, "KO 시장이 열렸다", "The market opened.", 0.92, "1-1", "KO") == 0,
     "two confident 1-1 units (one tagged KO)");
  /* left out: a weak unit, a merge, another language pair */
  ok(add_bead(tm, doc, 2, "가", "a very long English sentence that would move the ratio a lot", 0.3, "1-1", "ko") == 0 &&
         add_bead(tm, doc, 3, "나", "another very long English text that is not one sentence", 0.99, "2-1", "ko") == 0 &&
         add_bead(tm, doc, 4, "다", "yet another long English text in a Japanese pair", 0.99, "1-1", "ja") == 0 &&
         ieum_tm_commit(tm) == 0,
     "a weak unit, a 2-1 unit and a ja-en unit");
  is_int(ieum_tm_length_ratio(&ratio, &chars, tm, "ko", "en", 0.9), IEUM_OK, "length ratio");
  ok(fabs(chars - 15) < 1e-9, "source characters of the two units: %.0f", chars);
  ok(fabs(ratio - 34.0 / 15.0) < 1e-9, "ratio 34/15: %.4f", ratio);
  is_int(ieum_tm_length_ratio(&ratio, &chars, tm, "ko", "en", 0.2), IEUM_OK, "a lower threshold");
  ok(chars > 15 && ratio > 34.0 / 15.0, "takes the weak unit in: %.0f characters, ratio %.2f", chars, ratio);
  is_int(ieum_tm_length_ratio(&ratio, &chars, tm, "zh", "en", 0.9), IEUM_OK, "a pair the TM lacks");
  ok(ratio == 0 && chars == 0, "has no length model");
  is_int(ieum_tm_length_ratio(&ratio, &chars, tm, "ko", "en", 1.5), IEUM_EINVAL, "min_score outside [0,1]");
  is_int(ieum_tm_length_ratio(NULL, &chars, tm, "ko", "en", 0.9), IEUM_EINVAL, "no output");
  ieum_tm_free(tm);
  unlink(path);
}

int main(void)
{
  /* Every TM lives in one scratch folder, removed at the end with the -wal and -shm files a
     read-only connection closing last leaves behind. */
  snprintf(tmpdir, sizeof tmpdir, "%s/ieum-learn-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(tmpdir)) {
    ok(0, "mkdtemp");
    return done_testing();
  }
  test_tm_learn__pairs();
  test_tm_learn__length_ratio();
  remove_tmpdir();
  return done_testing();
}
