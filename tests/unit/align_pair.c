/*
** tests/unit/align_pair.c: ieum_pair_check() (align/pair.c): a translation
** pair passes; the same text twice, a swapped pair, a side in the wrong
** language (for ko/en and for languages whose scripts only ICU knows) and
** two unrelated articles are refused with IEUM_EINVAL and a message naming
** both files; pairs under IEUM_PAIR_MIN_SEGMENTS have only their language
** and same-text checks.  Korean and English text written for these tests.
*/
#include <stdio.h>
#include <string.h>

#include "../../align/align_int.h"
#include "../../align/pair_int.h"
#include "tap.h"

static const char *KO =
  "대전시가 다음 달부터 공공 자전거 1,200대를 추가로 배치한다.\n"
  "시는 3일 이런 내용의 교통 계획을 발표했다.\n"
  "새 자전거는 대학가와 지하철역 주변에 놓인다.\n"
  "이용 요금은 1시간에 500원으로 지금과 같다.\n"
  "시는 지난해 이용 건수가 240만 건이었다고 밝혔다.\n"
  "자전거 도로도 2026년까지 45킬로미터 늘어난다.\n"
  "시민들은 안전 교육이 필요하다고 말했다.\n"
  "시는 6월에 무료 교육을 열 계획이다.\n"
  "경찰은 헬멧을 꼭 쓰라고 당부했다.\n"
  "계획에는 모두 80억 원이 든다.\n";
static const char *EN =
  "Daejeon will add 1,200 public bicycles from next month.\n"
  "The city announced the transport plan on the 3rd.\n"
  "The new bicycles will be placed near universities and subway stations.\n"
  "The fee stays at 500 won an hour.\n"
  "The city said the bicycles were used 2.4 million times last year.\n"
  "Bicycle lanes will also grow by 45 kilometers by 2026.\n"
  "Residents said safety training was needed.\n"
  "The city plans free training in June.\n"
  "Police urged riders to always wear a helmet.\n"
  "The plan will cost 8 billion won in all.\n";
static const char *OTHER_EN =
  "A volcano in Iceland erupted again on Tuesday night.\n"
  "Lava flowed toward a fishing town that had been evacuated.\n"
  "Flights at the main airport were not affected.\n"
  "Scientists had warned of an eruption for weeks.\n"
  "The ground rose by several centimeters in days.\n"
  "Hundreds of small earthquakes shook the area.\n"
  "Officials built walls of earth to protect a power plant.\n"
  "Residents were allowed to collect belongings last month.\n"
  "Tourists were asked to stay away from the site.\n"
  "It is the fourth eruption there since December.\n";

static ieum_doc *doc(const char *text, const char *lang, size_t lines)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.lang = lang;
  o.mode = IEUM_SEGMENT_LINES;
  size_t len = 0;
  for (size_t k = 0; text[len] && k < lines; len++)
    if (text[len] == '\n')
      k++;
  ieum_doc *d = NULL;
  return ieum_doc_new(&d, text, len, &o) == 0 ? d : NULL;
}

/* ieum_pair_check() of the first `lines` lines of each text; `msg` gets the message (or ""). */
static int check(char *msg, size_t size, const char *a, const char *la, const char *b, const char *lb, size_t lines,
                 ieum_pair_stats *st)
{
  ieum_doc *s = doc(a, la, lines), *t = doc(b, lb, lines);
  ieum_alignment *al = NULL;
  int rc = IEUM_ENOMEM;
  msg[0] = '\0';
  if (!s || !t || ieum_alignment_new(&al, s, t, NULL) != 0)
    goto done;
  if (st && (rc = ieum_pair__stats(st, s, t, al, NULL)) != 0)
    goto done;
  rc = ieum_pair_check(s, t, al, NULL, "a.txt", "b.txt");
  if (rc)
    snprintf(msg, size, "%s", ieum_error_last()->message);
done:
  ieum_alignment_free(al);
  ieum_doc_free(s);
  ieum_doc_free(t);
  return rc;
}

static void test_align_pair__true_pair(void)
{
  char msg[512];
  ieum_pair_stats st;
  is_int(check(msg, sizeof msg, KO, "ko", EN, "en", 10, &st), 0, "a translation pair passes");
  ok(st.sized && st.score >= IEUM_PAIR_MIN_SCORE, "its document score %.2f is at least %.1f", st.score,
     IEUM_PAIR_MIN_SCORE);
  is_int(check(msg, sizeof msg, KO, "ko-KR", EN, "en-GB", 10, NULL), 0, "so it does with regions in the tags");
  is_int(check(msg, sizeof msg, KO, "und", EN, "und", 10, NULL), 0, "and with no language (not checked)");
  is_int(check(msg, sizeof msg, EN, "en", OTHER_EN, "fr", 10, NULL), 0,
         "a pair without Korean has its language checked, not its score (no lexicon)");
}

static void test_align_pair__same_text(void)
{
  char msg[512];
  is_int(check(msg, sizeof msg, EN, "en", EN, "en", 10, NULL), IEUM_EINVAL, "the same text twice is refused");
  is_str(msg, "a.txt + b.txt: the two files hold the same text (10 of 10 sentence pairs identical); "
              "not a translation pair", "with a message naming both files");
  is_int(check(msg, sizeof msg, KO, "ko", KO, "ko", 2, NULL), IEUM_EINVAL, "also when short (2 sentences)");
}

static void test_align_pair__swapped(void)
{
  char msg[512];
  is_int(check(msg, sizeof msg, EN, "ko", KO, "en", 10, NULL), IEUM_EINVAL, "a swapped pair is refused");
  is_str(msg, "a.txt + b.txt: looks swapped: the source file is English; give the Korean file first or use --swap",
         "saying so");
  is_int(check(msg, sizeof msg, EN, "ko", KO, "en", 1, NULL), IEUM_EINVAL, "also when one sentence long");
}

static void test_align_pair__wrong_language(void)
{
  char msg[512];
  is_int(check(msg, sizeof msg, KO, "ko", "오늘 서울은 맑겠다.\n내일은 전국에 비가 오겠다.\n", "en", 10, NULL), IEUM_EINVAL,
         "a Korean target for en is refused");
  ok(strstr(msg, "the target file b.txt does not look like English (0% of its") != NULL, "%s", msg);
  is_int(check(msg, sizeof msg, EN, "ko", OTHER_EN, "en", 10, NULL), IEUM_EINVAL, "an English source for ko too");
  ok(strstr(msg, "the source file a.txt does not look like Korean") != NULL, "%s", msg);
  is_int(check(msg, sizeof msg, KO, "ja", EN, "en", 10, NULL), IEUM_EINVAL, "Hangul is not Japanese (ICU's scripts)");
  ok(strstr(msg, "does not look like Japanese") != NULL, "%s", msg);
  is_int(check(msg, sizeof msg, KO, "ko", EN, "el", 10, NULL), IEUM_EINVAL, "Latin is not Greek");
  ok(strstr(msg, "does not look like Greek") != NULL, "%s", msg);
  is_int(check(msg, sizeof msg, EN, "fr", EN, "de", 10, NULL), IEUM_EINVAL, "two Latin languages: the same text");
  const char *mixed = "삼성전자는 미국 라스베이거스에서 열린 CES 2024에서 Galaxy AI 기능을 공개했다.\n"
                      "노태문 사장은 MX 사업부의 OLED 화면과 AI 비서를 소개했다.\n";
  const char *mixed_en = "Samsung Electronics unveiled Galaxy AI features at CES 2024 in Las Vegas.\n"
                         "President Roh Tae-moon presented the MX division's OLED screens and AI assistant.\n";
  is_int(check(msg, sizeof msg, mixed, "ko", mixed_en, "en", 2, NULL), 0,
         "Korean full of English names is still Korean");
  is_int(check(msg, sizeof msg, "2024. 3. 1.\n", "ko", "Mar 1\n", "en", 1, NULL), 0,
         "sides of digits and a word are not judged");
}

static void test_align_pair__unrelated(void)
{
  char msg[512];
  ieum_pair_stats st;
  is_int(check(msg, sizeof msg, KO, "ko", OTHER_EN, "en", 10, &st), IEUM_EINVAL, "unrelated articles are refused");
  ok(st.sized && st.score < IEUM_PAIR_MIN_SCORE, "their document score %.2f is under %.1f", st.score,
     IEUM_PAIR_MIN_SCORE);
  ok(!strncmp(msg, "a.txt + b.txt: not a translation of each other (document score ", 63), "%s", msg);
  is_int(check(msg, sizeof msg, KO, "ko", OTHER_EN, "en", IEUM_PAIR_MIN_SEGMENTS - 1, &st), 0,
         "under IEUM_PAIR_MIN_SEGMENTS sentences a side the score is not judged");
  ok(!st.sized, "(the pair is too small to be sized)");
  is_int(check(msg, sizeof msg, KO, "ko", EN, "en", 3, NULL), 0, "a 3-sentence translation pair passes");
}

/* Pairs longer than the score's sample (align/pair.c: the first 1,000 segments a side) are judged by it. */
static void test_align_pair__long(void)
{
  enum { TIMES = 120 }; /* 1,200 segments a side */
  char msg[512];
  size_t lk = strlen(KO), le = strlen(EN), lo = strlen(OTHER_EN);
  char *ko = malloc(lk * TIMES + 1), *en = malloc(le * TIMES + 1), *other = malloc(lo * TIMES + 1);
  if (!ko || !en || !other) {
    ok(0, "out of memory");
    goto done;
  }
  for (int k = 0; k < TIMES; k++) {
    memcpy(ko + lk * k, KO, lk);
    memcpy(en + le * k, EN, le);
    memcpy(other + lo * k, OTHER_EN, lo);
  }
  ko[lk * TIMES] = en[le * TIMES] = other[lo * TIMES] = '\0';
  is_int(check(msg, sizeof msg, ko, "ko", en, "en", 10 * TIMES, NULL), 0, "a 1,200-sentence translation passes");
  is_int(check(msg, sizeof msg, ko, "ko", other, "en", 10 * TIMES, NULL), IEUM_EINVAL,
         "1,200 sentences of unrelated articles are refused");
  ok(strstr(msg, "not a translation of each other") != NULL, "%s", msg);
done:
  free(ko);
  free(en);
  free(other);
}

int main(void)
{
  test_align_pair__true_pair();
  test_align_pair__same_text();
  test_align_pair__swapped();
  test_align_pair__wrong_language();
  test_align_pair__unrelated();
  test_align_pair__long();
  return done_testing();
}
