/*
** tests/unit/formats_html_outlets.c: articles of the layouts of Korean and
** English news outlets (issue 13), each reproduced by a page of
** tests/data/html/outlets written for it (our own text and markup, in the
** outlet's structure: Naver's two layouts, Daum, an Arc/Fusion page with
** its body only in JSON, JoongAng, Donga, a Next.js page rendered on the
** server and one rendered in the browser, Kyunghyang, Yonhap, Yonhap TV,
** Asia Economy, Digital Chosun's <li class="par"> sections, an ndsoft CMS
** page with ad scripts, Korea Herald, Korea JoongAng Daily, KBS World).
** Each page has NAME.expect beside it: "headline", "byline" and "date"
** lines (TAB, the value or "-" for none), then one "body" line per
** paragraph and "not" lines of furniture that must not be in the text;
** the text must be exactly the body paragraphs, blank-line separated.
** Also: the furniture words of util/furniture.c (tag lines, tip lines,
** reporters' contact lines, end marks), what html_meta.c reads of JSON-LD
** and embedded state, and the page-level rules they serve (a declared
** body against the DOM's, the site name never the headline, stray
** </body> tags).
** Not here: the pages of formats_html.c and formats_html_causes.c.
*/
#include <string.h>

#include "tap.h"
#include "furniture_int.h"
#include "formats/html_meta_int.h"
#include "util.h"

static const char *const outlets[] = { "naver_new", "naver_old", "daum", "chosun_arc", "joongang", "donga",
                                       "hankyoreh", "next_data_only", "khan", "yonhap", "yonhaptv", "asiae",
                                       "digitalchosun", "ndsoft", "koreaherald", "joongang_daily", "kbsworld",
                                       NULL };

static const char *data_path(const char *name, const char *ext)
{
  static char path[4096];
  const char *dir = getenv("IEUM_TEST_DATA");
  snprintf(path, sizeof path, "%s/html/outlets/%s%s", dir ? dir : "tests/data", name, ext);
  return path;
}

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(no error)";
}

/* Checks metadata `key` against the .expect value ("-" = none). */
static void check_meta(const ieum_article *a, const char *name, const char *key, const char *want)
{
  const char *got = ieum_html_meta(a, key);
  if (strcmp(want, "-") == 0)
    ok(got == NULL, "%s: no %s (got '%s')", name, key, got ? got : "");
  else
    is_str(got, want, "%s: %s", name, key);
}

static void check_outlet(const char *name)
{
  FILE *f = fopen(data_path(name, ".expect"), "r");
  ok(f != NULL, "%s.expect is there", name);
  if (!f)
    return;
  ieum_article *a = NULL;
  int rc = ieum_html_load(&a, data_path(name, ".html"), NULL);
  is_int(rc, IEUM_OK, "%s: extracts", name);
  if (rc)
    diag("%s", last_message());
  ieum_buf want = IEUM_BUF_INIT;
  char line[4096];
  size_t nots = 0, dropped = 0, bodies = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab)
      continue;
    *tab = '\0';
    const char *v = tab + 1;
    if (!a)
      continue;
    if (!strcmp(line, "headline") || !strcmp(line, "byline") || !strcmp(line, "date"))
      check_meta(a, name, line, v);
    else if (!strcmp(line, "body")) {
      if (want.size)
        ieum__buf_puts(&want, "\n\n");
      ieum__buf_puts(&want, v);
      bodies++;
    } else if (!strcmp(line, "not")) {
      nots++;
      if (!strstr(ieum_html_text(a, NULL), v))
        dropped++;
      else
        diag("%s: furniture kept: '%s'", name, v);
    }
  }
  fclose(f);
  if (a) {
    size_t len = 0;
    const char *text = ieum_html_text(a, &len);
    ok(bodies > 0, "%s: the expectation lists body paragraphs", name);
    is_mem(text, len, want.ptr ? want.ptr : "", "%s: every body paragraph, in order, and nothing else", name);
    is_int(dropped, nots, "%s: no furniture (%zu lines checked)", name, nots);
    is_int(ieum_html_paragraph_count(a), bodies, "%s: its paragraphs", name);
  }
  ieum_buf_dispose(&want);
  ieum_html_free(a);
}

static void test_formats_html_outlets__pages(void)
{
  for (size_t i = 0; outlets[i]; i++)
    check_outlet(outlets[i]);
}

static int kind(const char *s)
{
  return ieum_furniture__kind(s, strlen(s));
}

static void test_formats_html_outlets__furniture_words(void)
{
  is_int(kind("#폭우 #기상청 #중대본"), IEUM_FURNITURE_TAGS, "a line of hashtags");
  is_int(kind("키워드 : 폭우, 남해안"), IEUM_FURNITURE_TAGS, "a 키워드 line");
  is_int(kind("#키워드 #프로야구"), IEUM_FURNITURE_TAGS, "#키워드 and a hashtag");
  is_int(kind("Tags: Busan, wetlands"), IEUM_FURNITURE_TAGS, "an English tags line");
  is_int(kind("키워드"), IEUM_FURNITURE_TAGS, "키워드 alone");
  is_int(kind("#1 시장점유율을 지켰다고 회사는 밝혔다."), IEUM_FURNITURE_NONE, "a sentence starting with '#1' is prose");
  is_int(kind("키워드는 결국 신뢰라고 그는 말했다."), IEUM_FURNITURE_NONE, "'키워드는' in a sentence is prose");
  is_int(kind("기사문의 및 제보 : 카톡/라인 jebo23"), IEUM_FURNITURE_ACTION, "Yonhap TV's tip line");
  is_int(kind("제보는 카카오톡 okjebo"), IEUM_FURNITURE_ACTION, "Yonhap's tip line");
  is_int(kind("<ⓒ이음일보 무단전재 배포금지>"), IEUM_FURNITURE_COPYRIGHT, "무단전재 배포금지");
  is_int(kind("입력"), IEUM_FURNITURE_LABEL, "a date label left alone");
  ok(kind("(END)") != IEUM_FURNITURE_NONE && kind("(끝)") != IEUM_FURNITURE_NONE, "end marks alone");

  ok(ieum_furniture__contact("홍길동 기자 hong@ieum.example", strlen("홍길동 기자 hong@ieum.example")),
     "a reporter's e-mail line");
  ok(ieum_furniture__contact("/부산=김철수 기자 kim@ieum.example", strlen("/부산=김철수 기자 kim@ieum.example")),
     "a desk and a reporter");
  ok(ieum_furniture__contact("By Lee Ha-eun (haeun@ieum.example)", strlen("By Lee Ha-eun (haeun@ieum.example)")),
     "an English contact line");
  static const char prose[] = "문의는 info@ieum.example으로 하면 된다고 시는 밝혔다.";
  ok(!ieum_furniture__contact(prose, strlen(prose)), "a sentence giving an address is prose");
  static const char noat[] = "홍길동 기자";
  ok(!ieum_furniture__contact(noat, strlen(noat)), "no address, no contact line");

  static const char end1[] = "그는 이렇게 말했다. (끝)";
  is_int(ieum_furniture__end_mark(end1, strlen(end1)), strlen(" (끝)"), "'(끝)' after the last sentence");
  static const char end2[] = "The talks will resume in May. (END)";
  is_int(ieum_furniture__end_mark(end2, strlen(end2)), strlen(" (END)"), "'(END)'");
  static const char end3[] = "(끝)";
  is_int(ieum_furniture__end_mark(end3, strlen(end3)), 0, "a mark alone is no tail (it is a label)");
  static const char end4[] = "The word friend(end) is no mark";
  is_int(ieum_furniture__end_mark(end4, strlen(end4)), 0, "no mark mid-text");
  static const char end5[] = "This is a test of trend(end)";
  is_int(ieum_furniture__end_mark(end5, strlen(end5)), 0, "a mark glued to a Latin word is no mark");
}

static void test_formats_html_outlets__jsonld(void)
{
  ieum_html_decl d = IEUM_HTML_DECL_INIT;
  static const char ld[] =
    "<!--\n{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"이음일보\"},"
    "{\"@type\":\"WebPage\",\"name\":\"페이지\",\"mainEntity\":{\"@type\":[\"NewsArticle\"],"
    "\"headline\":\"  습지   개방  \",\"author\":[{\"@type\":\"Person\",\"name\":\"김하나\"},\"박두리\"],"
    "\"datePublished\":\"2026-04-01T09:00:00+09:00\",\"mainEntityOfPage\":{\"@id\":\"https://ieum.example/a/1\"},"
    "\"articleBody\":\"첫 문단이다.\\n\\n둘째 문단에는 &quot;따옴표&quot;가 있다.\"}}]}\n-->";
  is_int(ieum_html__decl_jsonld(&d, ld, strlen(ld)), IEUM_OK, "JSON-LD with an @graph reads");
  is_str(d.headline, "습지 개방", "the article's headline, white space folded");
  is_str(d.byline, "김하나, 박두리", "authors as objects and strings");
  is_str(d.date, "2026-04-01T09:00:00+09:00", "datePublished");
  is_str(d.url, "https://ieum.example/a/1", "mainEntityOfPage's @id");
  is_str(d.site, "이음일보", "the WebSite's name");
  is_str(d.body, "첫 문단이다.\n\n둘째 문단에는 \"따옴표\"가 있다.", "articleBody: entities decoded, paragraphs kept");
  is_int(d.body_source, IEUM_DECL_JSONLD, "from JSON-LD");
  static const char other[] = "{\"@type\":\"NewsArticle\",\"headline\":\"다른 기사\"}";
  ieum_html__decl_jsonld(&d, other, strlen(other));
  is_str(d.headline, "습지 개방", "the first article's values are kept");
  ieum_html__decl_dispose(&d);
  ok(d.headline == NULL && d.body == NULL, "dispose empties the decl");

  static const char broken[] = "{\"@type\":\"NewsArticle\",\"headline\":\"끝나지 않은";
  is_int(ieum_html__decl_jsonld(&d, broken, strlen(broken)), IEUM_OK, "broken JSON is passed over");
  ok(d.headline == NULL, "and gives nothing");
  static const char surrogate[] = "{\"@type\":\"Article\",\"headline\":\"bad \\ud800 half\",\"articleBody\":\"ok body\"}";
  ieum_html__decl_jsonld(&d, surrogate, strlen(surrogate));
  ok(d.headline == NULL || ieum__utf8_invalid_at(d.headline, strlen(d.headline)) == strlen(d.headline),
     "a lone surrogate never becomes invalid UTF-8");
  ieum_html__decl_dispose(&d);
}

static void test_formats_html_outlets__embedded_state(void)
{
  ieum_html_decl d = IEUM_HTML_DECL_INIT;
  ieum_buf js = IEUM_BUF_INIT;
  ieum__buf_puts(&js, "window.Fusion=window.Fusion||{};Fusion.arcSite=\"x\";Fusion.globalContent = {\"headlines\":"
                      "{\"basic\":\"폭우 예보\"},\"credits\":{\"by\":[{\"name\":\"한바다\"}]},\"display_date\":"
                      "\"2026-07-20T05:12:00Z\",\"content_elements\":[{\"type\":\"text\",\"content\":\"");
  for (int i = 0; i < 12; i++)
    ieum__buf_puts(&js, "기상청은 남해안에 많은 비가 내릴 것으로 예보했다. ");
  ieum__buf_puts(&js, "\"},{\"type\":\"image\",\"caption\":\"사진 설명\"},{\"type\":\"list\",\"items\":[{\"type\":"
                      "\"text\",\"content\":\"<b>첫째</b> 항목\"}]}]};Fusion.globalContentConfig={};");
  ok(ieum_html__decl_has_state(js.ptr, js.size), "the Fusion marker is found");
  is_int(ieum_html__decl_embedded(&d, js.ptr, js.size, 0), IEUM_OK, "Fusion.globalContent reads");
  is_str(d.headline, "폭우 예보", "headlines.basic");
  is_str(d.byline, "한바다", "credits.by");
  is_str(d.date, "2026-07-20T05:12:00Z", "display_date");
  ok(d.body && strstr(d.body, "\n\n첫째 항목") && !strstr(d.body, "사진 설명"),
     "text and list items are the body, an image's caption is not");
  is_int(d.body_source, IEUM_DECL_EMBEDDED, "from embedded state");
  ieum_html__decl_dispose(&d);
  static const char teaser[] = "{\"props\":{\"pageProps\":{\"body\":\"짧은 요약\"}}}";
  ieum_html__decl_embedded(&d, teaser, strlen(teaser), 1);
  ok(d.body == NULL, "a teaser is no body");
  ieum_html__decl_dispose(&d);
  ieum_buf_dispose(&js);
}

/* Extracts an inline page; returns it (NULL on failure, with a diagnostic). */
static ieum_article *extract(const char *page, const char *name)
{
  ieum_article *a = NULL;
  int rc = ieum_html_extract(&a, page, strlen(page), name, NULL);
  is_int(rc, IEUM_OK, "%s extracts", name);
  if (rc)
    diag("%s", last_message());
  return a;
}

static void test_formats_html_outlets__declared_body_against_dom(void)
{
  /* The DOM shows a teaser; JSON-LD holds the article: the declared body wins. */
  ieum_buf page = IEUM_BUF_INIT;
  ieum__buf_puts(&page, "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
                        "\"headline\":\"Ferry line opens\",\"articleBody\":\"");
  for (int i = 0; i < 6; i++)
    ieum__buf_printf(&page, "Paragraph %d of the story tells what the new ferry line means for the island. ", i);
  ieum__buf_puts(&page, "\\nThe last paragraph quotes a resident.\"}</script></head><body><div class=\"story\"><p>"
                        "Paragraph 0 of the story tells what the new ferry line means for the island, and more "
                        "follows for subscribers.</p></div></body></html>");
  ieum_article *a = extract(page.ptr, "teaser.html");
  if (a) {
    ok(strstr(ieum_html_text(a, NULL), "Paragraph 5 of the story") != NULL, "the declared body replaces the teaser");
    is_int(ieum_html_paragraph_count(a), 2, "its two paragraphs");
    is_str(ieum_html_meta(a, "headline"), "Ferry line opens", "its headline");
  }
  ieum_html_free(a);
  ieum_buf_dispose(&page);
}

static void test_formats_html_outlets__site_name_no_headline(void)
{
  static const char page[] =
    "<html><head><title>이음방송</title><meta property=\"og:title\" content=\"이음방송\">"
    "<meta property=\"og:site_name\" content=\"이음방송\"></head><body><h1 class=\"logo\"><span>이음방송</span></h1>"
    "<div class=\"news\"><p>서울시가 다음 달부터 심야 자율주행 버스를 강남과 여의도 두 구간에서 정식 운행한다고 19일 "
    "밝혔다. 요금은 일반 심야버스와 같다.</p></div></body></html>";
  ieum_article *a = extract(page, "site.html");
  if (a)
    ok(ieum_html_meta(a, "headline") == NULL, "the site's name is no headline (got '%s')",
       ieum_html_meta(a, "headline") ? ieum_html_meta(a, "headline") : "");
  ieum_html_free(a);
  static const char titled[] =
    "<html><head><title>심야 버스 정식 운행 | 이음방송</title><meta property=\"og:site_name\" content=\"이음방송\">"
    "</head><body><div class=\"news\"><p>서울시가 다음 달부터 심야 자율주행 버스를 강남과 여의도 두 구간에서 정식 "
    "운행한다고 19일 밝혔다. 요금은 일반 심야버스와 같다.</p></div></body></html>";
  a = extract(titled, "titled.html");
  if (a)
    is_str(ieum_html_meta(a, "headline"), "심야 버스 정식 운행", "the site's name is cut from <title>");
  ieum_html_free(a);
}

static void test_formats_html_outlets__date_and_byline_shapes(void)
{
  /* No class names them: a date line and a Korean byline are known by their shape. */
  static const char en[] =
    "<html><body><div class=\"story\"><section><span>Published November 20th, 2019 - 07:29 GMT</span></section>"
    "<div class=\"text\"><p>The committee met on Monday and agreed to publish its report, which runs to forty "
    "pages, next week.</p><p>Its chair said the findings would be presented to the council.</p></div></div>"
    "</body></html>";
  ieum_article *a = extract(en, "date.html");
  if (a) {
    is_str(ieum_html_meta(a, "date"), "Published November 20th, 2019 - 07:29 GMT", "an English date line");
    ok(!strstr(ieum_html_text(a, NULL), "Published"), "out of the text");
  }
  ieum_html_free(a);
  static const char ko[] =
    "<html><body><div class=\"head\"><span class=\"info\">부산=김철수 기자</span> <span class=\"info\">입력 "
    "<span class=\"num\">2026. 6. 1. 09:30</span></span></div><div class=\"view\"><p>부산시가 내년 봄부터 낙동강 "
    "하구 습지 세 곳을 시민에게 개방한다고 3일 밝혔다.</p><p>시는 하루 입장객을 500명으로 제한할 계획이다.</p>"
    "</div></body></html>";
  a = extract(ko, "byline.html");
  if (a) {
    is_str(ieum_html_meta(a, "byline"), "부산=김철수 기자", "a Korean byline by its shape");
    is_str(ieum_html_meta(a, "date"), "입력 2026. 6. 1. 09:30", "the date line, its label as written (as a class-named one)");
    ok(!strstr(ieum_html_text(a, NULL), "김철수") && !strstr(ieum_html_text(a, NULL), "입력"), "neither in the text");
  }
  ieum_html_free(a);
}

static void test_formats_html_outlets__stray_body_end(void)
{
  /* "</body></html>" leaked from a script string: a browser keeps what follows in the body, and so do we. */
  static const char page[] =
    "<html><body><div class=\"article\"><p>The committee met on Monday and agreed to publish its report, which "
    "runs to forty pages, next week.</p><script>w.write('<script src=\"a.js\"></script></body></html>'); "
    "w.close();</script><p>Its chair said the findings would be presented to the council before the end of the "
    "month, with a vote to follow.</p></div></body></html>\n<!-- served in 12 ms -->\n";
  ieum_article *a = extract(page, "stray.html");
  if (a) {
    const char *t = ieum_html_text(a, NULL);
    ok(strstr(t, "The committee met") && strstr(t, "Its chair said"), "both paragraphs, in one article");
    ok(!strstr(t, "w.close"), "the leaked script text is code, not prose");
    is_int(ieum_html_paragraph_count(a), 2, "two paragraphs");
  }
  ieum_html_free(a);
}

int main(void)
{
  test_formats_html_outlets__pages();
  test_formats_html_outlets__furniture_words();
  test_formats_html_outlets__jsonld();
  test_formats_html_outlets__embedded_state();
  test_formats_html_outlets__declared_body_against_dom();
  test_formats_html_outlets__site_name_no_headline();
  test_formats_html_outlets__date_and_byline_shapes();
  test_formats_html_outlets__stray_body_end();
  return done_testing();
}
