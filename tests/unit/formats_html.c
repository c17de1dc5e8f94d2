/*
** tests/unit/formats_html.c: the article of a news page (formats/html.c).
**
** Four pages under tests/data/html (written for these tests, modelled on
** Korean and English news sites: see its README) are extracted, and for
** each one every body paragraph must come out, in order and nothing else
** (so every body sentence is kept), every boilerplate line (menus, skip
** links, font-size widgets, share blocks, related and popular lists, ads,
** captions, bylines, copyright lines, "Join us on social!" trailers) must
** be absent, and the metadata must be the page's.  Small pages written
** inline check content detection, <br> handling, hidden elements, the
** charset of <meta>, UTF-16, the "no article" and wrong-encoding errors
** with their messages, and OOM on every allocation.
*/
#include <time.h>

#include <unicode/ucnv.h>

#include "tap.h"
#include "util.h"

static const char *data_path(const char *file)
{
  static char path[4096];
  const char *dir = getenv("IEUM_TEST_DATA");
  snprintf(path, sizeof path, "%s/html/%s", dir ? dir : "tests/data", file);
  return path;
}

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(no error)";
}

typedef struct {
  const char *file;
  const char *const *body;     /* paragraphs, in order */
  const char *const *dropped;  /* boilerplate that must not appear */
  const char *const *meta;     /* key, value pairs */
} page_case;

static const char *const ko_news_body[] = {
  "서울시가 2027년까지 도심 자전거 도로를 지금의 두 배로 늘린다.",
  "시는 14일 이런 내용을 담은 ‘자전거 도시 서울’ 계획을 발표했다. 계획에 따르면 한강 다리 여섯 곳에 "
  "자전거 전용 차로가 새로 생긴다.",
  "공공자전거 따릉이도 4만 5천 대에서 6만 대로 늘어난다. 대여소는 지하철역 출구마다 하나씩 들어선다.",
  "출퇴근 시간 이용 늘어",
  "지난해 따릉이 이용 건수는 4천만 건을 넘었다. 이 가운데 35%가 출퇴근 시간에 몰렸다.",
  "시 관계자는 “자전거가 지하철 다음가는 출퇴근 수단이 되도록 하겠다”고 말했다.",
  NULL
};
static const char *const ko_news_dropped[] = {
  "본문 바로가기", "정치", "경제", "검색", "김민지 기자", "minji@", "입력 2024", "글자 크게",
  "글자 작게", "인쇄", "카카오톡", "페이스북", "링크 복사", "여의도 한강공원에서 시민들이", "광고",
  "ads.push", "저작권자", "무단 전재", "#자전거", "뉴스레터", "관련 기사", "보행로", "많이 본 뉴스",
  "반도체", "종로구", "Copyright", "dataLayer", "line-height", "서울시, 2027년까지", NULL
};
static const char *const ko_news_meta[] = {
  "headline", "서울시, 2027년까지 자전거 도로 두 배로",
  "byline", "김민지 기자 minji@ieum.example",
  "date", "2024-05-14T09:30:00+09:00",
  "url", "https://news.ieum.example/article/20240514001",
  "lang", "ko",
  NULL
};

static const char *const en_news_body[] = {
  "Seoul will double its downtown bike lanes by 2027.",
  "The city announced its \"Cycling City Seoul\" plan on the 14th. Under the plan, six bridges over "
  "the Han River will get new dedicated bike lanes.",
  "The fleet of Ttareungyi public bikes will also grow from 45,000 to 60,000. A rental station will "
  "be set up at every subway station exit.",
  "Commuters ride more",
  "Ttareungyi trips topped 40 million last year. Of these, 35 percent were made during rush hours.",
  "\"We will make the bicycle the second commuting option after the subway,\" a city official said.",
  NULL
};
static const char *const en_news_dropped[] = {
  "Skip to content", "cookies", "Accept", "National", "Business", "Opinion", "Social Affairs",
  "By Kim Min-ji", "Published:", "Text size", "A++", "Facebook", "Email", "Yeouido Hangang Park",
  "Advertisement", "googletag", "Join us on social", "@ieumherald", "Instagram", "Related articles",
  "wider walkways", "Sign up", "Subscribe", "Most Popular", "Chip exports", "All rights reserved",
  "Jongno-gu", "NewsArticle", "Seoul to double bike lanes", "six Han River bridges", NULL
};
static const char *const en_news_meta[] = {
  "headline", "Seoul to double bike lanes by 2027",
  "byline", "Kim Min-ji",
  "date", "2024-05-14T11:20:00+09:00",
  "url", "https://herald.ieum.example/view/20240514000123",
  "lang", "en",
  NULL
};

static const char *const ko_table_body[] = {
  "제주 감귤 수확이 이번 주부터 본격적으로 시작된다.",
  "제주도는 올해 감귤 생산량을 지난해보다 5% 늘어난 42만 톤으로 예상했다. 여름철 비가 적어 당도가 "
  "예년보다 높다.",
  "농가들은 일손 부족을 걱정하고 있다. 도는 자원봉사자 3천 명을 모아 농가에 보낼 계획이다.",
  "한 농민은 \"올해는 맛이 좋아서 값도 괜찮을 것 같다\"고 말했다.",
  NULL
};
static const char *const ko_table_dropped[] = {
  "홈", "뉴스", "스포츠", "기사제보", "제주 감귤 수확 본격 시작", "고은별", "2023.10.30", "글자크게",
  "인쇄", "스크랩", "감귤을 따는 농민들", "사진=", "제주 소식 더 보기", "Copyright", "무단전재",
  "카카오스토리", "밴드", "트위터", "실시간 인기기사", "한라산", "올레길", "등록번호", "fontUp", NULL
};
static const char *const ko_table_meta[] = {
  "headline", "제주 감귤 수확 본격 시작",
  "byline", "고은별 기자",
  "date", "2023.10.30 14:12",
  NULL
};

static const char *const en_explainer_body[] = {
  "Working parents will be able to take longer leave from next month.",
  "The revised law takes effect on April 1. It applies to every employer, whatever its size.",
  "What changes",
  "Each parent can take up to 18 months of leave.",
  "Pay during leave rises to 80 percent of wages.",
  "Who pays",
  "The employment insurance fund covers the pay. Small firms also get a monthly subsidy for each "
  "replacement worker.",
  "Officials expect the number of fathers on leave to double within two years.",
  NULL
};
static const char *const en_explainer_dropped[] = {
  "Skip to main content", "Korea", "World", "Money", "Search", "Explainer:", "By Lee Soo-jin",
  "Updated 2024", "Font size", "Medium", "Large", "A father walks", "day care", "Join us on social",
  "Follow us", "Share this", "Share on", "Leave a Reply", "logged in", "Most read", "Housing prices",
  "Trending", "#budget", "Copyright", "Privacy", "Terms", NULL
};
static const char *const en_explainer_meta[] = {
  "headline", "Explainer: What the new parental leave rules mean for families",
  "byline", "By Lee Soo-jin",
  "date", "Updated 2024-03-02 17:05",
  "url", "https://times.ieum.example/2024/03/02/parental-leave-explainer",
  "lang", "en-US",
  NULL
};

static const page_case pages[] = {
  { "ko_news.html", ko_news_body, ko_news_dropped, ko_news_meta },
  { "en_news.html", en_news_body, en_news_dropped, en_news_meta },
  { "ko_table_euckr.html", ko_table_body, ko_table_dropped, ko_table_meta },
  { "en_explainer.html", en_explainer_body, en_explainer_dropped, en_explainer_meta },
};

static void check_page(const page_case *pc)
{
  ieum_article *a = NULL;
  int rc = ieum_html_load(&a, data_path(pc->file), NULL);
  is_int(rc, IEUM_OK, "%s: extracts", pc->file);
  if (rc) {
    diag("%s", last_message());
    return;
  }
  size_t len = 0;
  const char *text = ieum_html_text(a, &len);
  ieum_buf want = IEUM_BUF_INIT;
  for (size_t i = 0; pc->body[i]; i++) {
    ok(strstr(text, pc->body[i]) != NULL, "%s: body paragraph %zu kept", pc->file, i);
    if (i)
      ieum__buf_puts(&want, "\n\n");
    ieum__buf_puts(&want, pc->body[i]);
  }
  is_mem(text, len, want.ptr, "%s: the text is the body paragraphs, in order, blank-line separated",
         pc->file);
  size_t dropped = 0, n = 0;
  for (size_t i = 0; pc->dropped[i]; i++, n++) {
    if (strstr(text, pc->dropped[i]) == NULL)
      dropped++;
    else
      diag("%s: boilerplate kept: '%s'", pc->file, pc->dropped[i]);
  }
  is_int(dropped, n, "%s: every boilerplate line is dropped (%zu checked)", pc->file, n);
  size_t keys = 0;
  for (size_t i = 0; pc->meta[i]; i += 2, keys++)
    is_str(ieum_html_meta(a, pc->meta[i]), pc->meta[i + 1], "%s: metadata %s", pc->file, pc->meta[i]);
  size_t have = 0;
  while (ieum_html_meta_key(a, have))
    have++;
  is_int(have, keys, "%s: no other metadata", pc->file);
  ieum_buf_dispose(&want);
  ieum_html_free(a);
}

static void test_formats_html__pages(void)
{
  for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
    check_page(&pages[i]);
}

/* Extracts an inline page; returns the code and leaves the text in *a. */
static int extract(ieum_article **a, const char *html, const char *enc)
{
  ieum_html_options o = IEUM_HTML_OPTIONS_INIT;
  o.encoding = enc;
  return ieum_html_extract(a, html, strlen(html), "t.html", &o);
}

#define LONG_P "<p>The committee met on Monday and agreed to publish its report, which runs to forty pages, next week.</p>"

static void test_formats_html__detect(void)
{
  static const struct { const char *s; int want; } cases[] = {
    { "<!DOCTYPE html><html><body><p>x</p></body></html>", 1 },
    { "\n  <html lang=\"ko\"><head><title>t</title></head>", 1 },
    { "<div class=\"article\">본문<br><br>본문</div>", 1 },
    { "\xEF\xBB\xBF<!doctype html>", 1 },
    { "<P>Upper-case markup</P>", 1 },
    { "Plain text that mentions <html> later.", 0 },
    { "서울시가 자전거 도로를 늘린다.\n", 0 },
    { "<tmx version=\"1.4\"><header/></tmx>", 0 },
    { "<?xml version=\"1.0\"?><root/>", 0 },
    { "", 0 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    is_int(ieum_html_detect(cases[i].s, strlen(cases[i].s)), cases[i].want, "detect case %zu", i);
  static const char u16[] = "\xFF\xFE<\0h\0t\0m\0l\0>\0";
  is_int(ieum_html_detect(u16, sizeof u16 - 1), 1, "UTF-16LE HTML with a BOM is detected");
}

static void test_formats_html__paragraphs(void)
{
  ieum_article *a = NULL;
  const char *page =
    "<html><body><div class=\"article_txt\">First line of the story goes here, with detail.<br>"
    "It continues after one break.<br><br>A new paragraph starts after two breaks, as Korean "
    "sites write them.<br> <br>And a third one &amp; an entity: caf&eacute;.<span style=\"display:none\">"
    "hidden text</span><p hidden>also hidden</p><div aria-hidden=\"true\">screen reader junk</div>"
    "</div></body></html>";
  is_int(extract(&a, page, NULL), IEUM_OK, "a <br> page extracts");
  if (a) {
    is_str(ieum_html_text(a, NULL),
           "First line of the story goes here, with detail. It continues after one break.\n\n"
           "A new paragraph starts after two breaks, as Korean sites write them.\n\n"
           "And a third one & an entity: café.",
           "one <br> is a space, two end a paragraph; hidden elements are dropped; entities decoded");
    ok(ieum_html_meta_key(a, 0) == NULL, "a page without metadata has none");
  }
  ieum_html_free(a);
  a = NULL;
  page = "<html><body><div id=\"content\">" LONG_P
         "<p><a href=\"/1\">A long link-only line pointing to another story on the site</a> more</p>"
         "<p>Copyright 2024 Example News.</p><p>* * *</p>" LONG_P "</div></body></html>";
  is_int(extract(&a, page, NULL), IEUM_OK, "a page with junk paragraphs extracts");
  if (a) {
    const char *t = ieum_html_text(a, NULL);
    ok(strstr(t, "link-only") == NULL, "a paragraph that is mostly a link is dropped");
    ok(strstr(t, "Copyright") == NULL, "a short copyright line is dropped");
    ok(strstr(t, "* * *") == NULL, "a paragraph without letters is dropped");
    ok(strstr(t, "forty pages") != NULL, "the body stays");
  }
  ieum_html_free(a);
  a = NULL;
  /* A long paragraph that mentions a cue word is prose, not boilerplate. */
  page = "<html><body><article><p>The agency said readers could follow us on the ministry's "
         "website, where the full report, its annexes and a summary in English will be posted on "
         "Friday morning, before the minister's briefing to reporters in Sejong.</p>" LONG_P
         "</article></body></html>";
  is_int(extract(&a, page, NULL), IEUM_OK, "a long paragraph with a cue word extracts");
  if (a)
    ok(strstr(ieum_html_text(a, NULL), "follow us on the ministry") != NULL,
       "a cue word inside long prose is kept");
  ieum_html_free(a);
  a = NULL;
  /* Decomposed Hangul from numeric character references comes out NFC. */
  page = "<html><body><p>&#x1112;&#x1161;&#x11AB;&#x1100;&#x116E;&#x11A8; 정부는 14일 새 정책을 "
         "발표했다. 정책은 다음 달부터 시행되며 모든 지역에 적용된다.</p>" LONG_P "</body></html>";
  is_int(extract(&a, page, NULL), IEUM_OK, "decomposed Hangul extracts");
  if (a)
    ok(strncmp(ieum_html_text(a, NULL), "한국 정부는", strlen("한국 정부는")) == 0,
       "character references are normalized to NFC");
  ieum_html_free(a);
}

static void test_formats_html__no_article(void)
{
  ieum_article *a = (ieum_article *)&a;
  int rc = ieum_html_load(&a, data_path("no_article.html"), NULL);
  is_int(rc, IEUM_EINVAL, "a page without an article fails");
  ok(a == NULL, "*out is NULL on failure");
  char want[4200];
  snprintf(want, sizeof want, "%s: no article found in the HTML (the longest prose has 23 weighted characters, an article at least 100)",
           data_path("no_article.html"));
  is_str(last_message(), want, "message names the file");
  is_int(extract(&a, "<html><body><p>Too short to be news.</p></body></html>", NULL), IEUM_EINVAL,
         "a page with one short line fails");
  is_str(last_message(), "t.html: no article found in the HTML (the longest prose has 17 weighted "
         "characters, an article at least 100)", "message gives the length found");
  is_int(extract(&a, "   \n", NULL), IEUM_EINVAL, "a blank page fails");
  is_str(last_message(), "t.html: no article found (the page is empty)", "blank page message");
  is_int(extract(&a, "<html><body><nav><ul><li><a href=\"/\">Home</a></li></ul></nav><script>var "
                     "x = 'a long script string that is not prose at all, no, not at all.';</script>"
                     "</body></html>", NULL), IEUM_EINVAL, "menus and scripts only fail");
  is_int(ieum_html_load(&a, data_path("missing.html"), NULL), IEUM_ENOTFOUND, "a missing file fails");
}

/* UTF-8 -> `enc` with ICU (the caller frees with free()). */
static char *encode(const char *enc, const char *utf8, size_t *out_len)
{
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open(enc, &st);
  uint16_t *u = NULL;
  int32_t ulen = 0;
  char *p = NULL;
  if (U_SUCCESS(st) && ieum__icu_to_u16(&u, &ulen, utf8, strlen(utf8)) == IEUM_OK) {
    size_t cap = (size_t)ulen * 4 + 16;
    p = malloc(cap);
    *out_len = (size_t)ucnv_fromUChars(cnv, p, (int32_t)cap, (const UChar *)u, ulen, &st);
  }
  ieum__free(u);
  ucnv_close(cnv);
  return p;
}

static void test_formats_html__encodings(void)
{
  ieum_article *a = NULL;
  /* The EUC-KR page with an explicit, wrong encoding: an error at the first Korean byte. */
  ieum_html_options o = IEUM_HTML_OPTIONS_INIT;
  o.encoding = "UTF-8";
  int rc = ieum_html_load(&a, data_path("ko_table_euckr.html"), &o);
  is_int(rc, IEUM_EENCODING, "an EUC-KR page read as UTF-8 fails");
  char want[4200];
  snprintf(want, sizeof want, "%s: invalid UTF-8 at byte 90", data_path("ko_table_euckr.html"));
  is_str(last_message(), want, "the message gives the byte offset");
  o.encoding = "ISO-8859-1";
  is_int(ieum_html_load(&a, data_path("ko_table_euckr.html"), &o), IEUM_EENCODING,
         "an EUC-KR page read as Latin-1 is mojibake");
  snprintf(want, sizeof want, "%s: mojibake at byte 90: legacy multi-byte text decoded as a "
           "single-byte encoding (decoded as ISO-8859-1; wrong --encoding?)",
           data_path("ko_table_euckr.html"));
  is_str(last_message(), want, "the mojibake message gives the byte offset");
  o.encoding = "EUC-KR";
  is_int(ieum_html_load(&a, data_path("ko_table_euckr.html"), &o), IEUM_OK, "the right --encoding works");
  ieum_html_free(a);
  a = NULL;
  o.encoding = "no-such-charset";
  is_int(ieum_html_load(&a, data_path("ko_table_euckr.html"), &o), IEUM_EINVAL, "an unknown encoding fails");
  snprintf(want, sizeof want, "%s: unknown encoding 'no-such-charset'", data_path("ko_table_euckr.html"));
  is_str(last_message(), want, "unknown encoding message");

  /* A UTF-8 page read as EUC-KR. */
  const char *ko = "<html><body><p>서울시가 2027년까지 도심 자전거 도로를 지금의 두 배로 늘린다. "
                   "공공자전거도 6만 대로 늘어난다.</p></body></html>";
  is_int(extract(&a, ko, "EUC-KR"), IEUM_EENCODING, "a UTF-8 page read as EUC-KR fails");
  is_str(last_message(), "t.html: invalid EUC-KR at byte 15", "EUC-KR error offset");

  /* UTF-16LE with a BOM, and CP949 declared by <meta charset>. */
  size_t n = 0;
  char *u16 = encode("UTF-16LE", "\xEF\xBB\xBF" "<html><body><p>서울시가 2027년까지 도심 자전거 도로를 "
                     "지금의 두 배로 늘린다. 공공자전거도 6만 대로 늘어난다.</p>" LONG_P "</body></html>", &n);
  rc = ieum_html_extract(&a, u16, n, "u16.html", NULL);
  is_int(rc, IEUM_OK, "a UTF-16LE page with a BOM extracts");
  if (a)
    ok(strncmp(ieum_html_text(a, NULL), "서울시가 2027년까지", strlen("서울시가 2027년까지")) == 0,
       "UTF-16LE text");
  ieum_html_free(a);
  a = NULL;
  free(u16);
  char *cp = encode("windows-949", "<html><head><meta charset=\"ks_c_5601-1987\"></head><body><p>"
                    "똠방각하는 마을 사람들이 그를 부르던 이름이다. 서울시가 2027년까지 자전거 도로를 "
                    "늘린다.</p>" LONG_P "</body></html>", &n);
  rc = ieum_html_extract(&a, cp, n, "cp.html", NULL);
  is_int(rc, IEUM_OK, "a CP949 page declared ks_c_5601-1987 extracts");
  if (a)
    ok(strncmp(ieum_html_text(a, NULL), "똠방각하는", strlen("똠방각하는")) == 0,
       "CP949-only syllables decode");
  ieum_html_free(a);
  free(cp);
}

static void test_formats_html__meta_charset(void)
{
  ieum_article *a = NULL;
  /* UTF-32 (or UTF-16) cannot be declared from inside ASCII bytes: passed over. */
  is_int(extract(&a, "<html><head><meta charset=\"utf-32\"></head><body>" LONG_P LONG_P "</body></html>",
                 NULL), IEUM_OK, "an ASCII page declaring UTF-32 extracts");
  if (a)
    ok(strncmp(ieum_html_text(a, NULL), "The committee met", 17) == 0, "as ASCII text");
  ieum_html_free(a);
  a = NULL;
  is_int(extract(&a, "<html><head><meta charset=\"no-such-charset\"></head><body>" LONG_P LONG_P
                 "</body></html>", NULL), IEUM_OK, "an unknown <meta charset> is passed over");
  ieum_html_free(a);
  a = NULL;
  /* After an unknown one, the next <meta> still counts. */
  size_t n = 0;
  char *cp = encode("windows-949", "<html><head><meta charset=\"x-user-defined\">"
                    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\"></head>"
                    "<body><p>똠방각하는 마을 사람들이 그를 부르던 이름이다. 서울시가 2027년까지 "
                    "자전거 도로를 늘린다.</p>" LONG_P "</body></html>", &n);
  is_int(ieum_html_extract(&a, cp, n, "cp.html", NULL), IEUM_OK, "the second <meta> is used");
  if (a)
    ok(strncmp(ieum_html_text(a, NULL), "똠방각하는", strlen("똠방각하는")) == 0, "as EUC-KR");
  ieum_html_free(a);
  free(cp);
}

/*
** A minified page: 17 MB on one line, more than IEUM_TEXT_MAX_LINE, which
** only holds for text files.  Bound: 60 s (about 1 s in a plain build,
** several in a sanitizer build on a loaded machine): a generous ceiling
** against a quadratic walk, not a timing test.
*/
static void test_formats_html__one_line_page(void)
{
  static const char head[] = "<!doctype html><html><head><title>t</title></head><body><article>";
  static const char tail[] = "</article></body></html>";
  size_t per = strlen(LONG_P), count = (17u << 20) / per;
  size_t len = sizeof head - 1 + count * per + sizeof tail - 1;
  char *page = malloc(len);
  size_t k = 0;
  memcpy(page, head, sizeof head - 1);
  k = sizeof head - 1;
  for (size_t i = 0; i < count; i++, k += per)
    memcpy(page + k, LONG_P, per);
  memcpy(page + k, tail, sizeof tail - 1);
  ok(len > IEUM_TEXT_MAX_LINE && !memchr(page, '\n', len), "the page is one line of %zu bytes", len);
  ieum_article *a = NULL;
  time_t t0 = time(NULL);
  int rc = ieum_html_extract(&a, page, len, "min.html", NULL);
  double secs = difftime(time(NULL), t0);
  is_int(rc, IEUM_OK, "a 17 MB one-line page extracts");
  size_t paras = 0, tlen = 0;
  const char *t = a ? ieum_html_text(a, &tlen) : "";
  for (size_t i = 0; i + 1 < tlen; i++) /* not strstr(): a sanitizer's is quadratic here */
    paras += t[i] == '\n' && t[i + 1] == '\n';
  is_int(a ? paras + 1 : 0, count, "every paragraph is kept");
  ok(secs < 60, "in %.0f s (bound 60 s)", secs);
  ieum_html_free(a);
  free(page);
}

/* Builds head + `n` copies of `unit` + tail in a malloc'ed, NUL-terminated string. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
  size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
  char *s = malloc(h + u * n + t + 1), *p = s;
  memcpy(p, head, h);
  p += h;
  for (size_t i = 0; i < n; i++, p += u)
    memcpy(p, unit, u);
  memcpy(p, tail, t + 1);
  return s;
}

#define PAGE_HEAD "<!doctype html><html><head><title>t</title></head><body><article>"
#define PAGE_TAIL "</article></body></html>"
#define DEEP_P "<p>The deep paragraph is still part of the article, every word of it.</p>"

/*
** 200,000 attributes on one <p>: libxml2 alone takes minutes (quadratic).
** Bound 60 s (well under a second here, a few seconds in a sanitizer build).
*/
static void test_formats_html__attribute_bomb(void)
{
  ieum_article *a = NULL;
  static const char text[] = ">The paragraph of the absurd tag keeps its text, all of it.</p>";
  char *attrs = malloc(200000 * 16 + sizeof text + 2), *q = attrs;
  q += sprintf(q, "<p");
  for (int i = 0; i < 200000; i++) /* distinct names: duplicates are dropped at once */
    q += sprintf(q, " a%d=\"v\"", i);
  memcpy(q, text, sizeof text);
  size_t n = strlen(PAGE_HEAD LONG_P) + strlen(attrs) + strlen(LONG_P PAGE_TAIL);
  char *page = malloc(n + 1);
  snprintf(page, n + 1, "%s%s%s", PAGE_HEAD LONG_P, attrs, LONG_P PAGE_TAIL);
  time_t t0 = time(NULL);
  int rc = ieum_html_extract(&a, page, n, "t.html", NULL);
  double secs = difftime(time(NULL), t0);
  is_int(rc, IEUM_OK, "a page with 200,000 attributes on one <p> extracts");
  ok(a && strstr(ieum_html_text(a, NULL), "\n\nThe paragraph of the absurd tag keeps its text, all of it.\n\n"),
     "the element of the absurd tag keeps its text");
  ok(secs < 60, "in %.0f s (bound 60 s)", secs);
  ieum_html_free(a);
  a = NULL;
  free(page);
  free(attrs);
  /* Attributes past the 256th are cut: here a `hidden` that would drop the paragraph. */
  attrs = repeat(PAGE_HEAD LONG_P "<p", " x", 300, " hidden>The paragraph with a late hidden attribute is kept.</p>" PAGE_TAIL);
  is_int(extract(&a, attrs, NULL), IEUM_OK, "a page with a 301-attribute tag extracts");
  ok(a && strstr(ieum_html_text(a, NULL), "late hidden attribute is kept"), "attributes past 256 are cut");
  ieum_html_free(a);
  a = NULL;
  free(attrs);
  /* Where libxml2 reads on after a broken "<!", "<?" or "</", the scan does too. */
  static const char *const lead[] = { "<!x ", "<? ", "</ ", "<!-- c --> " };
  for (size_t k = 0; k < sizeof lead / sizeof *lead; k++) {
    char head[256];
    snprintf(head, sizeof head, "%s%s<p", PAGE_HEAD LONG_P, lead[k]);
    attrs = repeat(head, " x", 300, " hidden>The paragraph with a late hidden attribute is kept.</p>" PAGE_TAIL);
    is_int(extract(&a, attrs, NULL), IEUM_OK, "after '%s': extracts", lead[k]);
    ok(a && strstr(ieum_html_text(a, NULL), "late hidden attribute is kept"), "after '%s': cut", lead[k]);
    ieum_html_free(a);
    a = NULL;
    free(attrs);
  }
  /* ... and the first 256 are kept; text that only looks like a tag in a script is left alone. */
  attrs = repeat(PAGE_HEAD LONG_P "<script>var s = '<p", " y", 300, ">';</script><p hidden>Hidden text.</p>" LONG_P PAGE_TAIL);
  is_int(extract(&a, attrs, NULL), IEUM_OK, "a script with a fake big tag extracts");
  ok(a && !strstr(ieum_html_text(a, NULL), "Hidden text") && !strstr(ieum_html_text(a, NULL), "var s"),
     "the hidden paragraph after it is still hidden, the script still out");
  ieum_html_free(a);
  free(attrs);
}

/*
** Nesting deeper than libxml2's 256 levels: every paragraph is kept, in
** order, as paragraphs; script inside the deep part stays out.
*/
static void test_formats_html__deep(void)
{
  static const size_t depths[] = { 300, 1000, 10000, 100000 };
  for (size_t k = 0; k < sizeof depths / sizeof *depths; k++) {
    size_t d = depths[k];
    char *open = repeat("", "<div>", d, "");
    char *close = repeat("", "</div>", d, "");
    size_t n = strlen(PAGE_HEAD LONG_P) + strlen(open) + strlen(DEEP_P) * 2 + 64 + strlen(close) +
               strlen(LONG_P PAGE_TAIL);
    char *page = malloc(n + 1);
    snprintf(page, n + 1, "%s%s%s<script>var x = 1;</script>%s%s%s", PAGE_HEAD LONG_P, open, DEEP_P,
             DEEP_P, close, "<p>The last paragraph comes after the deep part, at the top again.</p>" PAGE_TAIL);
    ieum_article *a = NULL;
    is_int(ieum_html_extract(&a, page, strlen(page), "t.html", NULL), IEUM_OK, "%zu levels extract", d);
    const char *t = a ? ieum_html_text(a, NULL) : "";
    const char *p1 = strstr(t, "The deep paragraph");
    const char *p2 = p1 ? strstr(p1 + 1, "\n\nThe deep paragraph") : NULL;
    const char *p3 = p2 ? strstr(p2, "\n\nThe last paragraph comes after") : NULL;
    ok(p1 && p2 && p3 && !strstr(t, "var x"), "%zu levels: both deep paragraphs and the last one, "
       "in order, no script", d);
    ieum_html_free(a);
    free(page);
    free(open);
    free(close);
  }
  /* Unclosed inline tags, as old sites write them. */
  char *page = repeat(PAGE_HEAD, "<font>", 100000, DEEP_P "<p>The council met on Monday and "
                      "agreed to publish its report, which runs to forty pages.<br><br>A line after "
                      "two breaks is a paragraph of its own.</p>" PAGE_TAIL);
  ieum_article *a = NULL;
  is_int(extract(&a, page, NULL), IEUM_OK, "100,000 unclosed <font>s extract");
  ok(a && strstr(ieum_html_text(a, NULL), "The deep paragraph") &&
     strstr(ieum_html_text(a, NULL), "\n\nThe council met") &&
     strstr(ieum_html_text(a, NULL), "forty pages.\n\nA line after two breaks"),
     "with all three paragraphs (<br><br> ends one)");
  ieum_html_free(a);
  free(page);
}

/*
** End tags that close nothing (or misplaced <body>s) under a deep stack
** make libxml2 scan the whole stack each time: refused with a message
** instead of quadratic time.
** A sloppy page with a few thousand stray end tags at normal depth is fine.
*/
static void test_formats_html__stray_end_tags(void)
{
  char *open = repeat(PAGE_HEAD LONG_P, "<span>", 100000, "");
  char *page = repeat(open, "</b>", 100000, LONG_P PAGE_TAIL);
  ieum_article *a = NULL;
  time_t t0 = time(NULL);
  is_int(extract(&a, page, NULL), IEUM_ELIMIT, "100,000 stray end tags under 100,000 open elements");
  is_str(last_message(), "t.html:1: HTML nested 100003 elements deep with stray or misplaced tags; "
         "too costly to parse (nothing extracted)", "the message says why");
  ok(difftime(time(NULL), t0) < 60, "refused in under 60 s");
  ok(a == NULL, "no article");
  free(page);
  free(open);
  /* Each misplaced <body> makes libxml2 scan the whole stack too. */
  open = repeat(PAGE_HEAD LONG_P, "<span>", 30000, "");
  page = repeat(open, "<body>", 30000, LONG_P PAGE_TAIL);
  is_int(extract(&a, page, NULL), IEUM_ELIMIT, "30,000 misplaced <body>s under 30,000 open elements");
  free(page);
  free(open);
  open = repeat(PAGE_HEAD "<div><div><div><div><div><div><div><div>", "<span>" LONG_P "</b></i></u>", 3000,
                "");
  page = repeat(open, "</span>", 3000, PAGE_TAIL);
  is_int(extract(&a, page, NULL), IEUM_OK, "9,000 stray end tags on a sloppy page are fine");
  ieum_html_free(a);
  free(page);
  free(open);
}

static void test_formats_html__oom(void)
{
  FILE *f = fopen(data_path("ko_news.html"), "rb");
  static char page[16384];
  size_t n = f ? fread(page, 1, sizeof page, f) : 0;
  if (f)
    fclose(f);
  int failed = 0, passed = 0;
  long k;
  for (k = 0; k < 400; k++) {
    ieum_article *a = NULL;
    ieum__alloc_fail_after(k);
    int rc = ieum_html_extract(&a, page, n, "ko_news.html", NULL);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK) {
      passed = strncmp(ieum_html_text(a, NULL), ko_news_body[0], strlen(ko_news_body[0])) == 0;
      ieum_html_free(a);
      break;
    }
    if (rc != IEUM_ENOMEM || a != NULL)
      failed++;
  }
  is_int(failed, 0, "every injected OOM gives IEUM_ENOMEM and no article (leaks: see ASan)");
  ok(passed, "extracts once allocations succeed (after %ld failures)", k);
}

int main(void)
{
  test_formats_html__pages();
  test_formats_html__detect();
  test_formats_html__paragraphs();
  test_formats_html__no_article();
  test_formats_html__encodings();
  test_formats_html__meta_charset();
  test_formats_html__one_line_page();
  test_formats_html__attribute_bomb();
  test_formats_html__deep();
  test_formats_html__stray_end_tags();
  test_formats_html__oom();
  return done_testing();
}
