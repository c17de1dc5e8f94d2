/*
** tests/unit/align_article.c: the structure of scraped news text
** (align/article.c, util/furniture.c, the byline shapes of align/news.c)
** through ieum_doc_new(): furniture dropped or kept with its role, the
** headline whole, its copies captions, related titles, bylines, credits,
** and text that is no scraped page left as it was.  Korean and English
** cases, all written for these tests.
*/
#include <string.h>

#include "tap.h"
#include "align/align_int.h"
#include "furniture_int.h"

/* "role:text|role:text|..." of `text` segmented in sentence mode. */
static void roles(const char *text, const char *lang, int keep, const char *want, const char *what)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  ieum_buf got = IEUM_BUF_INIT;
  o.lang = lang;
  o.keep_furniture = keep;
  int rc = ieum_doc_new(&d, text, strlen(text), &o);
  if (rc) {
    const ieum_error *e = ieum_error_last();
    ok(0, "ieum_doc_new failed: %d %s", rc, e ? e->message : "");
  }
  for (size_t i = 0; d && i < ieum_doc_count(d); i++) {
    const ieum_segment *s = ieum_doc_segment(d, i);
    if (i)
      ieum__buf_putc(&got, '|');
    ieum__buf_puts(&got, ieum_segment_role_name(s->role));
    ieum__buf_putc(&got, ':');
    ieum__buf_put(&got, s->text, s->len);
  }
  is_str(got.ptr ? got.ptr : "", want, "%s", what);
  ieum_buf_dispose(&got);
  ieum_doc_free(d);
}

static int kind(const char *s)
{
  return ieum_furniture__kind(s, strlen(s));
}

static void test_align_article__furniture_words(void)
{
  is_int(kind("Top"), IEUM_FURNITURE_LABEL, "'Top' alone is a label");
  ok(kind("  맨 위로 ") != IEUM_FURNITURE_NONE, "'맨 위로' is furniture");
  is_int(kind("가 가"), IEUM_FURNITURE_LABEL, "Korean font-size buttons");
  is_int(kind("Join us on social!"), IEUM_FURNITURE_ACTION, "a call to action");
  is_int(kind("이 기사를 추천합니다"), IEUM_FURNITURE_ACTION, "Korean 'recommend this article'");
  is_int(kind("본문 바로가기"), IEUM_FURNITURE_ACTION, "Korean skip link");
  is_int(kind("© Ieum News. All rights reserved."), IEUM_FURNITURE_COPYRIGHT, "a copyright line");
  is_int(kind("We will stop at the top of the hill."), IEUM_FURNITURE_NONE, "'top' inside prose is no label");
  is_int(kind("닫기로 했다"), IEUM_FURNITURE_NONE, "a label word glued into a sentence is no label");
  char longp[400];
  memset(longp, 'a', sizeof longp);
  memcpy(longp, "follow us ", 10);
  is_int(ieum_furniture__kind(longp, sizeof longp), IEUM_FURNITURE_NONE, "a long paragraph is prose");
}

static const char *const ko_page = "본문 바로가기\n이음일보\nnews_top_area\n\n"
                                   "시내버스 전면 전기차로…서울시 '2030 무공해' 속도\n"
                                   "입력 2026.05.02 06:30 수정 2026.05.02 08:00\n가 가\n\n"
                                   "[이음일보 박하늘 기자] 서울시가 시내버스를 모두 전기버스로 바꾼다. 시는 2일 이런 계획을 "
                                   "발표했다.\n\n"
                                   "시내버스 전면 전기차로…서울시 '2030 무공해' 속도\n"
                                   "[사진=이음일보 DB]\n\n"
                                   "충전소는 차고지마다 새로 짓는다. 비용은 시와 정부가 나눠 낸다.\n\n"
                                   "[관련기사] 전기버스 화재 대책은\n\n"
                                   "시는 내년부터 교체를 시작한다.\n\n"
                                   "박하늘 기자 sky@ieum.example\n"
                                   "<ⓒ이음일보 무단전재 배포금지>\n이 기사를 추천합니다\n맨 위로\n";

static void test_align_article__korean_page(void)
{
  roles(ko_page, "ko", 0,
        "headline:시내버스 전면 전기차로…서울시 '2030 무공해' 속도|byline:[이음일보 박하늘 기자]|"
        "body:서울시가 시내버스를 모두 전기버스로 바꾼다.|body:시는 2일 이런 계획을 발표했다.|"
        "caption:시내버스 전면 전기차로…서울시 '2030 무공해' 속도|"
        "body:충전소는 차고지마다 새로 짓는다.|body:비용은 시와 정부가 나눠 낸다.|"
        "related:[관련기사] 전기버스 화재 대책은|body:시는 내년부터 교체를 시작한다.|"
        "credit:<ⓒ이음일보 무단전재 배포금지>",
        "Korean page: furniture dropped, headline whole (…), copy caption, related, byline, credit");
  roles(ko_page, "ko", 1,
        "furniture:본문 바로가기|furniture:이음일보|furniture:news_top_area|"
        "headline:시내버스 전면 전기차로…서울시 '2030 무공해' 속도|"
        "dateline:입력 2026.05.02 06:30 수정 2026.05.02 08:00|furniture:가 가|byline:[이음일보 박하늘 기자]|"
        "body:서울시가 시내버스를 모두 전기버스로 바꾼다.|body:시는 2일 이런 계획을 발표했다.|"
        "caption:시내버스 전면 전기차로…서울시 '2030 무공해' 속도|furniture:[사진=이음일보 DB]|"
        "body:충전소는 차고지마다 새로 짓는다.|body:비용은 시와 정부가 나눠 낸다.|"
        "related:[관련기사] 전기버스 화재 대책은|body:시는 내년부터 교체를 시작한다.|"
        "furniture:박하늘 기자 sky@ieum.example|credit:<ⓒ이음일보 무단전재 배포금지>|"
        "furniture:이 기사를 추천합니다|furniture:맨 위로",
        "Korean page with keep_furniture: every furniture line with its role");
}

static const char *const en_page = "Skip to content\nIeum Daily\nNational\n\n"
                                   "Seoul to Go All-Electric on City Buses... Will Fares Rise?\n"
                                   "Published : May 2, 2026 - 08:00\nText Size\nClose\n\n"
                                   "[Ieum Daily Park Ha-neul, City Desk Reporter] Seoul will replace all its city buses "
                                   "with electric ones. The city announced the plan on the 2nd.\n\n"
                                   "Seoul to Go All-Electric on City Buses... Will Fares Rise?\n\n"
                                   "Each depot will get a new charging station. The city and the government will share "
                                   "the cost.\n\n"
                                   "Battery Fires Remain a Worry for Transit Planners\n\n"
                                   "The city will start the switch next year.\n\n"
                                   "sky@ieum.example\n© Ieum Daily. All rights reserved.\n\n"
                                   "Most Read Stories\nJoin us on social!\nTop\n";

static void test_align_article__english_page(void)
{
  roles(en_page, "en", 0,
        "headline:Seoul to Go All-Electric on City Buses... Will Fares Rise?|"
        "byline:[Ieum Daily Park Ha-neul, City Desk Reporter]|"
        "body:Seoul will replace all its city buses with electric ones.|body:The city announced the plan on the 2nd.|"
        "caption:Seoul to Go All-Electric on City Buses... Will Fares Rise?|"
        "body:Each depot will get a new charging station.|body:The city and the government will share the cost.|"
        "related:Battery Fires Remain a Worry for Transit Planners|body:The city will start the switch next year.|"
        "credit:© Ieum Daily. All rights reserved.",
        "English page: furniture dropped, headline whole (... and ?), copy caption, title-like line related");
  roles(en_page, "en", 1,
        "furniture:Skip to content|furniture:Ieum Daily|furniture:National|"
        "headline:Seoul to Go All-Electric on City Buses... Will Fares Rise?|"
        "dateline:Published : May 2, 2026 - 08:00|furniture:Text Size|furniture:Close|"
        "byline:[Ieum Daily Park Ha-neul, City Desk Reporter]|"
        "body:Seoul will replace all its city buses with electric ones.|body:The city announced the plan on the 2nd.|"
        "caption:Seoul to Go All-Electric on City Buses... Will Fares Rise?|"
        "body:Each depot will get a new charging station.|body:The city and the government will share the cost.|"
        "related:Battery Fires Remain a Worry for Transit Planners|body:The city will start the switch next year.|"
        "furniture:sky@ieum.example|credit:© Ieum Daily. All rights reserved.|furniture:Most Read Stories|"
        "furniture:Join us on social!|furniture:Top",
        "English page with keep_furniture");
}

static void test_align_article__bylines(void)
{
  roles("Bus plan unveiled\n\n[Ieum Daily Reporter Park Ha-neul] Seoul unveiled a bus plan. It starts soon.\n", "en",
        0, "headline:Bus plan unveiled|byline:[Ieum Daily Reporter Park Ha-neul]|body:Seoul unveiled a bus plan.|"
        "body:It starts soon.", "English bracketed byline with the reporter word first");
  roles("Bus plan unveiled\n\nBy Park Ha-neul\n\nSEOUL, May 2 (Ieum) -- Seoul unveiled a bus plan. It starts soon.\n",
        "en", 0, "headline:Bus plan unveiled|byline:By Park Ha-neul|byline:SEOUL, May 2 (Ieum) --|"
        "body:Seoul unveiled a bus plan.|body:It starts soon.", "'By NAME' and a wire dateline");
  roles("Bus plan unveiled\n\nBY PARK HA-NEUL [park@ieum.example]\n\nSeoul unveiled a bus plan.\n", "en", 0,
        "headline:Bus plan unveiled|byline:BY PARK HA-NEUL [park@ieum.example]|body:Seoul unveiled a bus plan.",
        "a 'BY NAME' byline with an e-mail address is a byline, not furniture");
  roles("버스 계획 발표\n\n(서울=이음뉴스) 박하늘 기자 = 서울시가 버스 계획을 내놨다. 곧 시작한다.\n", "ko", 0,
        "headline:버스 계획 발표|byline:(서울=이음뉴스) 박하늘 기자 =|body:서울시가 버스 계획을 내놨다.|"
        "body:곧 시작한다.", "Korean wire byline");
  roles("[The Reporter said] nothing. It was late.\n", "en", 0,
        "body:[The Reporter said] nothing.|body:It was late.", "a bracket holding a sentence is no byline");
}

static void test_align_article__end_credit(void)
{
  roles("The minister speaks in Seoul on Tuesday. (Yonhap)\n", "en", 0,
        "caption:The minister speaks in Seoul on Tuesday.|credit:(Yonhap)",
        "a bare agency in brackets after the last sentence: a photo credit, its paragraph a caption");
  roles("장관이 19일 서울에서 발언하고 있다. [이음뉴스]\n", "ko", 0,
        "caption:장관이 19일 서울에서 발언하고 있다.|credit:[이음뉴스]", "Korean agency credit after a caption");
  roles("He said it was fine (mostly). They met. (The meeting was long.)\n", "en", 0,
        "body:He said it was fine (mostly).|body:They met.|body:(The meeting was long.)",
        "a lower-case or sentence bracket is no credit");
}

static void test_align_article__headline_whole(void)
{
  roles("Rates Frozen... Markets Wait · Won Steadies\n\nThe bank kept its rate. Markets waited.\n", "en", 0,
        "headline:Rates Frozen... Markets Wait · Won Steadies|body:The bank kept its rate.|body:Markets waited.",
        "English headline with '...' and '·' is one segment");
  roles("美금리 동결…원화 '숨 고르기' 들어가나\n\n한국은행은 금리를 유지했다. 시장은 관망했다.\n", "ko", 0,
        "headline:美금리 동결…원화 '숨 고르기' 들어가나|body:한국은행은 금리를 유지했다.|body:시장은 관망했다.",
        "Korean headline style is one segment");
}

static void test_align_article__not_a_page(void)
{
  roles("서울시가 새 정책을 내놨다.\n\n시는 버스를 늘린다.\n\n정부도 비슷한 정책을 검토 중이다\n", "ko", 0,
        "body:서울시가 새 정책을 내놨다.|body:시는 버스를 늘린다.|body:정부도 비슷한 정책을 검토 중이다",
        "a last Korean sentence without its full stop stays body");
  roles("The plan starts now.\n\nthe meeting goes on tomorrow and later\n\nMore buses come.\n", "en", 0,
        "body:The plan starts now.|body:the meeting goes on tomorrow and later|body:More buses come.",
        "a lower-case line between paragraphs stays body");
  roles("The kit holds three parts.\n\nOne Green Container Lid\n\nTwo Blue Container Lids\n\nIt ships today.\n", "en", 0,
        "body:The kit holds three parts.|body:One Green Container Lid|body:Two Blue Container Lids|body:It ships today.",
        "a run of title-like lines is a list, not related titles");
  roles("공장은 석 달 동안 멈췄다.\n\n부품 공급 다시 늘어나\n\n공장은 다음 달 다시 돌아간다.\n", "ko", 0,
        "body:공장은 석 달 동안 멈췄다.|related:부품 공급 다시 늘어나|body:공장은 다음 달 다시 돌아간다.",
        "a Korean title-like line between two body paragraphs is related");
  roles("ㅎㅎ\n분위기가 좋았음\n주차가 불편함 또 갈 거예요\n", "ko", 0,
        "body:ㅎㅎ|body:분위기가 좋았음|body:주차가 불편함 또 갈 거예요",
        "informal text with no full stops is left alone");
  roles("We climbed to the top.\n\nTop\n\nThen we rested at the top.\n", "en", 1,
        "body:We climbed to the top.|furniture:Top|body:Then we rested at the top.",
        "the label 'Top' is furniture, the word 'top' in prose is not");
}

int main(void)
{
  test_align_article__furniture_words();
  test_align_article__korean_page();
  test_align_article__english_page();
  test_align_article__bylines();
  test_align_article__end_credit();
  test_align_article__headline_whole();
  test_align_article__not_a_page();
  return done_testing();
}
