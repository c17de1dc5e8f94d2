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
  is_int(shared(lex, "원인은 미상이다", "the cause is unknown", &nk, NULL), 1, "원인은/cause only");
  is_int(nk, 1, "one-syllable 미 does not match inside 미상이다");
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

/* The particle hash set answers as the list does: every syllable, and two- and three-syllable endings. */
static void test_align_lexicon__fast_particles(void)
{
  ieum_particles parts;
  ieum_particles__init(&parts);
  int same = 1;
  char w[32];
  for (int32_t cp = 0xAC00; cp <= 0xD7A3 && same; cp++) {
    w[0] = (char)(0xE0 | (cp >> 12));
    w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[2] = (char)(0x80 | (cp & 0x3F));
    same = ieum_lexicon__is_particle_fast(&parts, w, 3) == ieum_lexicon__is_particle(w, 3);
  }
  ok(same, "every syllable: is_particle_fast() agrees");
  /* the syllables the endings are made of, and a few others */
  static const char syl[] = "은는이가을를의에와과도만로으서게께까지부터보다처럼선엔며고라나측들인적하기한했던지며면겠할해야된됐되었어돼시켰킨당였정발표";
  size_t ns = (sizeof syl - 1) / 3, checked = 0;
  for (size_t a = 0; a < ns && same; a++)
    for (size_t b = 0; b < ns && same; b++)
      for (size_t c = 0; c <= ns && same; c++) {
        memcpy(w, syl + 3 * a, 3);
        memcpy(w + 3, syl + 3 * b, 3);
        size_t n = 6;
        if (c < ns) {
          memcpy(w + 6, syl + 3 * c, 3);
          n = 9;
        }
        same = ieum_lexicon__is_particle_fast(&parts, w, n) == ieum_lexicon__is_particle(w, n) &&
               ieum_lexicon__is_particle_fast(&parts, w, 6) == ieum_lexicon__is_particle(w, 6);
        /* a stem before it: "정부" + the ending */
        char x[32] = "정부";
        memcpy(x + 6, w, n);
        same = same && ieum_lexicon__ko_stem_fast(&parts, x, 6 + n) == ieum_lexicon__ko_stem(x, 6 + n) &&
               ieum_lexicon__ko_stem_fast(&parts, x, 9) == ieum_lexicon__ko_stem(x, 9);
        checked++;
      }
  ok(same, "%zu two- and three-syllable endings: is_particle_fast() and ko_stem_fast() agree", checked);
  is_int(ieum_lexicon__ko_stem_fast(&parts, "정부에서는", strlen("정부에서는")), 6, "정부에서는 -> 정부 (the longest ending)");
  is_int(ieum_lexicon__ko_stem_fast(&parts, "는", 3), 3, "a particle alone stays");
  ok(!ieum_lexicon__is_particle_fast(&parts, "ab", 2), "Latin letters are no particle");
  ok(!ieum_lexicon__is_particle_fast(&parts, "\xEC\x97\x90\xEC\x84", 5), "a cut syllable is no particle");
  ok(!ieum_lexicon__is_particle_fast(&parts, "", 0), "nothing is no particle");
}

/* English phrases: found only through their first word, longest first, also in the plural. */
static void test_align_lexicon__phrases(void)
{
  ieum_lexicon *lex = NULL;
  if (ieum_lexicon_new(&lex, 0) != IEUM_OK) {
    ok(0, "lexicon");
    return;
  }
  ok(ieum_lexicon_add(lex, "핵실험", strlen("핵실험"), "nuclear test", strlen("nuclear test")) == IEUM_OK &&
         ieum_lexicon_add(lex, "핵", strlen("핵"), "nuclear", strlen("nuclear")) == IEUM_OK &&
         ieum_lexicon_add(lex, "지하 핵실험장", strlen("지하 핵실험장"), "underground nuclear test site",
                          strlen("underground nuclear test site")) == IEUM_OK,
     "three entries");
  size_t nk = 0, ne = 0;
  is_int(shared(lex, "핵실험을 했다", "It held nuclear tests.", &nk, &ne), 1, "a plural phrase meets its entry");
  is_int((int)ne, 1, "one key: the phrase, not also its first word");
  is_int(shared(lex, "지하핵실험장이", "The underground nuclear test site closed.", NULL, &ne), 1,
         "the longest phrase wins");
  is_int((int)ne, 1, "one key for the four words");
  is_int(shared(lex, "핵", "nuclear power", NULL, NULL), 1, "a head word alone is still a word");
  is_int(shared(lex, "핵실험", "test nuclear", NULL, NULL), 0, "words out of order are no phrase");
  ieum_lexicon_free(lex);
}

/* A pair an entry already holds adds nothing: the words would count twice. */
static void test_align_lexicon__no_duplicates(void)
{
  ieum_lexicon *lex = NULL;
  if (ieum_lexicon_new(&lex, 1) != IEUM_OK) {
    ok(0, "lexicon");
    return;
  }
  size_t n0 = ieum_lexicon_count(lex), ne = 0;
  is_int(ieum_lexicon_add(lex, "정부", strlen("정부"), "government", strlen("government")), IEUM_OK,
         "정부/government, which the built-in lexicon holds");
  is_int((int)ieum_lexicon_count(lex), (int)n0, "adds no entry");
  is_int(shared(lex, "정부는 발표했다", "The government announced", NULL, &ne), 2, "정부/government, 발표/announced");
  is_int((int)ne, 2, "one key each, not two for government");
  is_int(ieum_lexicon_add(lex, "Government", strlen("Government"), "정부", strlen("정부")), IEUM_OK,
         "the same pair in the other order and capitalized");
  is_int((int)ieum_lexicon_count(lex), (int)n0, "still no entry");
  is_int(ieum_lexicon_add(lex, "정부", strlen("정부"), "cabinet", strlen("cabinet")), IEUM_OK,
         "정부/cabinet, a new English form");
  is_int((int)ieum_lexicon_count(lex), (int)n0 + 1, "is an entry");
  is_int(ieum_lexicon_add(lex, "정부", strlen("정부"), "government|govt", strlen("government|govt")), IEUM_OK,
         "alternatives are added as given");
  is_int((int)ieum_lexicon_count(lex), (int)n0 + 2, "as an entry");
  ieum_lexicon_free(lex);
}

static void test_align_lexicon__refused_entry(void)
{
  ieum_lexicon *lex = NULL;
  size_t nk = 0;
  if (ieum_lexicon_new(&lex, 0) != IEUM_OK) {
    ok(0, "lexicon");
    return;
  }
  is_int(ieum_lexicon_add(lex, "정부", strlen("정부"), "--", 2), IEUM_EINVAL, "정부 / '--': no English word");
  ok(strstr(ieum_error_last()->message, "no usable English form") != NULL, "message: %s",
     ieum_error_last()->message);
  is_int(ieum_lexicon_count(lex), 0, "no entry");
  is_int(ieum_lexicon_add(lex, "국방", strlen("국방"), "defense", strlen("defense")), IEUM_OK, "국방/defense");
  is_int(shared(lex, "국방은", "defense", NULL, NULL), 1, "국방 meets defense");
  is_int(shared(lex, "정부는", "defense", &nk, NULL), 0, "the refused 정부 is not a form of the next entry");
  is_int(nk, 0, "nor of any");
  ieum_lexicon_free(lex);
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
  test_align_lexicon__fast_particles();
  test_align_lexicon__phrases();
  test_align_lexicon__no_duplicates();
  test_align_lexicon__refused_entry();
  test_align_lexicon__oom();
  return done_testing();
}
