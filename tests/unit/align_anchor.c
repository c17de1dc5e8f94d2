/*
** tests/unit/align_anchor.c: anchors (align/anchor.c): numbers normalized
** across Korean and English notation, months, Latin words inside Korean
** matched in the English, and the punctuation marks a translation keeps.
*/
#include "../../align/anchor_int.h"
#include "tap.h"

/* Matches line 0 of `ko` against line 0 of `en`. */
static ieum_anchor_match match(const char *ko, const char *en)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *s = NULL, *t = NULL;
  ieum_anchors sa, ta;
  ieum_anchor_match m;
  memset(&m, 0xff, sizeof m);
  if (ieum_doc_new(&s, ko, strlen(ko), &o) || ieum_doc_new(&t, en, strlen(en), &o) ||
      ieum_anchor__extract(&sa, s) || ieum_anchor__extract(&ta, t))
    return m;
  ieum_anchor__match(&m, &sa, 0, 1, &ta, 0, 1);
  ieum_anchor__dispose(&sa);
  ieum_anchor__dispose(&ta);
  ieum_doc_free(s);
  ieum_doc_free(t);
  return m;
}

static void test_align_anchor__korean_numbers(void)
{
  ieum_anchor_match m;
  m = match("사업비는 48억5천만 원이다.", "The project cost 4.85 billion won.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "48억5천만 = 4.85 billion");
  m = match("1억1천만 달러를 지원한다.", "It provides $110 million.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "1억1천만 = $110 million");
  m = match("예산은 12조3천억 원이다.", "The budget is 12.3 trillion won.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "12조3천억 = 12.3 trillion");
  m = match("센서 1천200여 개를 설치했다.", "About 1,200 sensors were installed.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "1천200여 = 1,200");
  m = match("30여 차례 회의를 열었다.", "They met over 30 times.");
  ok(m.num_matched == 1, "30여 차례 = over 30");
  m = match("처리 용량은 8,192건이다.", "It handles 8,192 cases.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "8,192 on both sides");
  m = match("성장률은 3.5%였다.", "Growth was 3.5 percent.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "3.5%% = 3.5 percent");
  m = match("10분마다 분석한다.", "It analyzes data every ten minutes.");
  ok(m.num_matched == 1 && m.num_unmatched == 0, "10분 = ten minutes");
}

static void test_align_anchor__dates(void)
{
  ieum_anchor_match m = match("2016년 10월 5일 발표했다.", "It was announced on October 5, 2016.");
  is_int(m.num_matched, 3, "year, month and day all match");
  is_int(m.num_unmatched, 0, "nothing left over");
  m = match("1990년대에 시작됐다.", "It began in the 1990s.");
  ok(m.num_matched == 1, "1990년대 = 1990s");
  m = match("2026년 7월 1일", "July 1, 2025");
  ok(m.num_matched == 2 && m.num_unmatched == 2, "a different year is a mismatch on both sides");
}

static void test_align_anchor__latin(void)
{
  ieum_anchor_match m = match("한일 GSOMIA 종료를 두고 NHK가 보도했다.", "NHK reported on the end of GSOMIA.");
  is_int(m.exp_matched, 2, "Latin acronyms in Korean are found in the English");
  is_int(m.exp_unmatched, 0, "none missing");
  m = match("인공지능(AI)과 IoT 기술", "artificial intelligence and internet of things");
  is_int(m.exp_matched, 0, "spelled-out English does not match");
  is_int(m.exp_unmatched, 2, "both acronyms are missing");
  m = match("숫자도 로마자도 없는 문장이다.", "A sentence with neither.");
  ok(m.num_matched == 0 && m.num_unmatched == 0 && m.exp_matched == 0 && m.exp_unmatched == 0,
     "no anchors, no evidence");
}

static void test_align_anchor__marks(void)
{
  const char *ko = "그는 “협상은 끝났다”고 말했다.";
  const char *en = "\"The talks are over,\" he said.";
  is_int((int)ieum_anchor__marks(ko, strlen(ko)), IEUM_MARK_QUOTE, "Korean curly quotes");
  is_int((int)ieum_anchor__marks(en, strlen(en)), IEUM_MARK_QUOTE, "English straight quotes");
  const char *moji = "\xc2\xa1\xc2\xb0There are early signs,\xc2\xa1\xc2\xb1 said the researcher.";
  is_int((int)ieum_anchor__marks(moji, strlen(moji)), IEUM_MARK_QUOTE, "curly quotes read through CP949 (¡° ¡±)");
  const char *q = "무엇이 달라졌나? 정부(기획재정부)는 답하지 않았다!";
  is_int((int)ieum_anchor__marks(q, strlen(q)), IEUM_MARK_QUESTION | IEUM_MARK_PAREN | IEUM_MARK_EXCLAIM,
         "question mark, parenthesis, exclamation mark");
  const char *wide = "왜 그랬을까？";
  is_int((int)ieum_anchor__marks(wide, strlen(wide)), IEUM_MARK_QUESTION, "full-width question mark");
  const char *apo = "It's the ‘first’ time the city's mayor spoke.";
  is_int((int)ieum_anchor__marks(apo, strlen(apo)), 0, "apostrophes and single quotes are not marks");
  const char *tick = "an ``outpost of tyranny.''";
  is_int((int)ieum_anchor__marks(tick, strlen(tick)), IEUM_MARK_QUOTE, "`` opens a quotation");
  ok(ieum_anchor__mark_key(IEUM_MARK_QUOTE) != ieum_anchor__mark_key(IEUM_MARK_QUESTION), "one key per mark");

  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *d = NULL;
  const char *t = "그는 “좋다”고 했다.\n아무 부호도 없다.\n정말일까?\n";
  ieum_anchors a;
  if (ieum_doc_new(&d, t, strlen(t), &o) || ieum_anchor__extract(&a, d)) {
    ok(0, "extract marks");
    ieum_doc_free(d);
    return;
  }
  is_int((int)(a.mark_off[1] - a.mark_off[0]), 1, "line 0: one mark");
  ok(a.marks[a.mark_off[0]] == ieum_anchor__mark_key(IEUM_MARK_QUOTE), "line 0: the quote's key");
  is_int((int)(a.mark_off[2] - a.mark_off[1]), 0, "line 1: none");
  ok(a.mark_off[3] - a.mark_off[2] == 1 && a.marks[a.mark_off[2]] == ieum_anchor__mark_key(IEUM_MARK_QUESTION),
     "line 2: the question mark's key");
  ieum_anchor__dispose(&a);
  ieum_doc_free(d);
}

static void test_align_anchor__oom(void)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *d = NULL;
  const char *t = "2016년 GSOMIA “48억 원”\nOctober 5 NHK?\n";
  ieum_doc_new(&d, t, strlen(t), &o);
  int bad = 0, n;
  for (n = 0; n < 50; n++) {
    ieum_anchors a;
    ieum__alloc_fail_after(n);
    int rc = ieum_anchor__extract(&a, d);
    ieum__alloc_fail_after(-1);
    if (rc == 0) {
      ieum_anchor__dispose(&a);
      break;
    }
    bad += rc != IEUM_ENOMEM;
  }
  ok(n > 0 && n < 50 && bad == 0, "allocation failures report ENOMEM (%d tried)", n);
  ieum_doc_free(d);
}

/*
** Sides with no anchor of a kind: their key arrays are never allocated
** (NULL), which anchor.c must index but never offset (NULL + 0 is undefined
** behaviour; clang's UndefinedBehaviorSanitizer aborts on it).
*/
static void test_align_anchor__empty_sides(void)
{
  ieum_anchor_match m;
  m = match("정부는 발표했다.", "The government announced it.");
  ok(m.num_matched == 0 && m.num_unmatched == 0 && m.exp_matched == 0 && m.exp_unmatched == 0,
     "Korean with no Latin word, English with no number: nothing to compare");
  m = match("3명이 다쳤다.", "Three people were hurt.");
  ok(m.num_matched == 1 && m.num_unmatched == 0 && m.exp_matched == 0 && m.exp_unmatched == 0,
     "a number each, and no expected word on either side (English never expects any)");
  m = match("CNN은 3명이 다쳤다고 전했다.", "Three people were hurt.");
  ok(m.num_matched == 1 && m.exp_matched == 0 && m.exp_unmatched == 1, "an expected word not found");
}

int main(void)
{
  test_align_anchor__empty_sides();
  test_align_anchor__korean_numbers();
  test_align_anchor__dates();
  test_align_anchor__latin();
  test_align_anchor__marks();
  test_align_anchor__oom();
  return done_testing();
}
