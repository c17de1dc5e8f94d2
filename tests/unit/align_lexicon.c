/*
** tests/unit/align_lexicon.c: the Korean-English lexicon (align/lexicon.c,
** lexicon_data.c): Korean stems with particles, compounds and the guard on
** one-syllable forms; English suffixes, phrases and acronyms; user pairs;
** hunalign dictionaries and their errors; the aligner using a dictionary.
*/
#include "../../align/lexicon_int.h"
#include "tap.h"

/* Keys of line 0 of `text`, read as Korean or English, into ks. */
static int keys_of(ieum_keyset *ks, const ieum_lexicon *lex, const char *text, int korean)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *d = NULL;
  int rc = ieum_doc_new(&d, text, strlen(text), &o);
  if (rc == 0)
    rc = ieum_lexicon__keys(ks, lex, d, korean);
  ieum_doc_free(d);
  return rc;
}

/* Lexicon keys shared by the Korean `ko` and the English `en`, and their counts. */
static int shared(const ieum_lexicon *lex, const char *ko, const char *en, size_t *nk, size_t *ne)
{
  ieum_keyset a, b;
  if (keys_of(&a, lex, ko, 1) || keys_of(&b, lex, en, 0))
    return -1;
  int f = (int)ieum_keyset__found(&a, 0, 1, &b, 0, 1);
  if (nk)
    *nk = ieum_keyset__count(&a, 0);
  if (ne)
    *ne = ieum_keyset__count(&b, 0);
  ieum_keyset__dispose(&a);
  ieum_keyset__dispose(&b);
  return f;
}

static void test_align_lexicon__builtin(void)
{
  ieum_lexicon *lex = NULL;
  is_int(ieum_lexicon_new(&lex, 1), IEUM_OK, "built-in lexicon");
  ok(ieum_lexicon_count(lex) > 500, "several hundred entries (%zu)", ieum_lexicon_count(lex));
  is_int(shared(lex, "정부는 새 예산을 발표했다.", "The government announced a new budget.", NULL, NULL), 3,
         "정부는/government, 예산을/budget, 발표했다/announced");
  is_int(shared(lex, "미국의 대통령이 도착했다.", "The US president arrived.", NULL, NULL), 2,
         "미국의/US (acronym), 대통령이/president");
  is_int(shared(lex, "그들은 우리를 도왔다.", "They helped us.", NULL, NULL), 0, "the pronoun 'us' is not the US");
  is_int(shared(lex, "북한이 미사일을 쐈다.", "North Korea fired missiles.", NULL, NULL), 2,
         "phrase 'north korea' and plural 'missiles'");
  size_t nk = 0, ne = 0;
  is_int(shared(lex, "북한 관리들", "North Korean officials", &nk, &ne), 2, "북한/north korean, 관리들/officials");
  ok(ne >= 2, "English keys: %zu", ne);
  is_int(shared(lex, "한국 관리들", "North Korean officials", NULL, NULL), 1,
         "'North Korean' is one phrase, not also 'korean': only 관리들 meets");
  is_int(shared(lex, "한국전쟁 당시", "during the Korean War", NULL, NULL), 2, "compound 한국전쟁 = 한국 + 전쟁");
  is_int(shared(lex, "원인은 미상이다", "the cause is unknown", &nk, NULL), 0, "no match");
  is_int(nk, 0, "one-syllable 미 does not match inside 미상이다");
  is_int(shared(lex, "미 국방부는", "the US defense ministry", NULL, NULL), 2, "one-syllable 미 alone, 국방부는");
  is_int(shared(lex, "수출이 늘고 있다", "exports are rising", NULL, NULL), 1, "수출이/exports");
  is_int(shared(lex, "회담을 중단했다", "they stopped talking", NULL, NULL), 0, "회담 is not 'talking'");
  is_int(shared(lex, "U.N. 총회", "the U.N. assembly", NULL, NULL), 0, "Latin text in Korean is not matched here");
  is_int(shared(lex, "유엔 총회", "the U.N. General Assembly", NULL, NULL), 1, "U.N. = UN = 유엔");
  ieum_lexicon_free(lex);
  ieum_lexicon_free(NULL);
}

static void test_align_lexicon__user_pairs(void)
{
  ieum_lexicon *lex = NULL;
  is_int(ieum_lexicon_new(&lex, 0), IEUM_OK, "empty lexicon");
  is_int(ieum_lexicon_count(lex), 0, "no entries");
  is_int(shared(lex, "수퍼컴퓨터를 공개했다", "showed off the supercomputer", NULL, NULL), 0, "unknown word");
  is_int(ieum_lexicon_add(lex, "supercomputer", 13, "수퍼컴퓨터", strlen("수퍼컴퓨터")), IEUM_OK, "add en, ko");
  is_int(ieum_lexicon_add(lex, "모의 실험", strlen("모의 실험"), "simulation|simulate", 19), IEUM_OK,
         "add ko (spaces dropped), en with alternatives");
  is_int(shared(lex, "수퍼컴퓨터를 공개했다", "showed off the supercomputers", NULL, NULL), 1, "now found");
  is_int(shared(lex, "모의실험을 했다", "they simulated it", NULL, NULL), 1, "모의실험 / simulated");
  is_int(ieum_lexicon_add(lex, "government", 10, "administration", 14), IEUM_EINVAL, "neither side Korean");
  ok(strstr(ieum_error_last()->message, "exactly one side") != NULL, "message: %s", ieum_error_last()->message);
  is_int(ieum_lexicon_add(lex, "정부", 6, "정부", 6), IEUM_EINVAL, "both sides Korean");
  is_int(ieum_lexicon_add(lex, "G20 정상", strlen("G20 정상"), "G20 summit", 10), IEUM_EINVAL,
         "Korean side with Latin letters");
  is_int(ieum_lexicon_add(lex, "\xff", 1, "x", 1), IEUM_EINVAL, "invalid UTF-8");
  ieum_lexicon_free(lex);
}

static void test_align_lexicon__dict(void)
{
  const char *dir = getenv("IEUM_TEST_DATA");
  char path[1024];
  ieum_lexicon *lex = NULL;
  ieum_lexicon_new(&lex, 0);
  snprintf(path, sizeof path, "%s/dict/news.txt", dir ? dir : "tests/data");
  is_int(ieum_lexicon_load_dict(lex, path), IEUM_OK, "load a dictionary");
  is_int(ieum_lexicon_count(lex), 4, "four pairs, a blank line skipped");
  is_int(shared(lex, "국립 연구소의 핵실험", "national laboratory nuclear tests", NULL, NULL), 3,
         "both directions, a phrase");
  snprintf(path, sizeof path, "%s/dict/bad.txt", dir ? dir : "tests/data");
  is_int(ieum_lexicon_load_dict(lex, path), IEUM_EPARSE, "a line without '@'");
  ok(strstr(ieum_error_last()->message, "bad.txt:2: expected 'english @ korean'") != NULL, "message: %s",
     ieum_error_last()->message);
  is_int(ieum_lexicon_load_dict(lex, "/nonexistent/dict.txt"), IEUM_ENOTFOUND, "missing file");
  ok(strstr(ieum_error_last()->message, "/nonexistent/dict.txt") != NULL, "message names the file");
  ieum_lexicon_free(lex);
}

static void test_align_lexicon__stems(void)
{
  const char *w = "정부는";
  is_int(ieum_lexicon__ko_stem(w, strlen(w)), 6, "정부는 -> 정부");
  w = "발표했다";
  is_int(ieum_lexicon__ko_stem(w, strlen(w)), 6, "발표했다 -> 발표");
  w = "는";
  is_int(ieum_lexicon__ko_stem(w, strlen(w)), 3, "a particle alone stays");
  ok(ieum_lexicon__is_particle("에서", 6), "에서 is a particle");
  char out[32];
  is_int(ieum_lexicon__en_norm(out, sizeof out, "Talks", 5), 4, "Talks -> talk");
  is_str(out, "talk", "lowercased");
  is_int(ieum_lexicon__en_norm(out, sizeof out, "the", 3), 0, "stop word");
}

static void test_align_lexicon__oom(void)
{
  int failed = 0, leaked_ok = 1;
  for (long n = 0; n < 40; n++) {
    ieum_lexicon *lex = NULL;
    ieum__alloc_fail_after(n);
    int rc = ieum_lexicon_new(&lex, 1);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_ENOMEM) {
      failed++;
      leaked_ok &= lex == NULL;
    }
    ieum_lexicon_free(lex);
  }
  ok(failed > 0 && leaked_ok, "OOM while building: IEUM_ENOMEM and no lexicon (%d cases)", failed);
}

int main(void)
{
  test_align_lexicon__builtin();
  test_align_lexicon__user_pairs();
  test_align_lexicon__dict();
  test_align_lexicon__stems();
  test_align_lexicon__oom();
  return done_testing();
}
