/*
** tests/unit/formats_html_causes.c: the causes of lost articles found in
** formats/html.c (issue 13), each reproduced by a page of tests/data/html
** written for it (our own text, laid out as the sites that showed them):
**   - prune() dropped a subtree on one negative class word: the article
**     inside Elementor-like "elementor-widget-wrap" widgets, and sections
**     inside a <ul class="par_list"> of <li class="par">;
**   - <form> was never prose: an ASP.NET page inside one <form>;
**   - document.write('<div>...</div>') in a <script> stays script, so does
**     "<!-- document.write('<script></script>') -->" (a browser's double-
**     escaped script), and
**     script code that leaks into the text (a "</script>" inside a string
**     ends the element early) is no prose;
**   - decoding refused: UTF-8 bytes declaring EUC-KR, a few double-encoded
**     words in a comment, a stray invalid byte (now U+FFFD);
**   - container choice: a <div> of text and <br>s next to a box of short
**     <p>s gave only the box.
** Each page must give every body paragraph, in order, blank-line separated,
** and none of its boilerplate.  Also: ieum_html_paragraph() (roles: pipeline_align.c),
** a small negative-hinted list still pruned beside a kept wrapper, and a
** page with no prose anywhere still "no article".
** Not here: the pages of formats_html.c (menus, metadata, hostile input).
*/
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

static const char *const ko[] = {
  "부산시가 내년 봄부터 낙동강 하구 습지 세 곳을 시민에게 개방한다고 3일 밝혔다.",
  "시는 철새 도래 시기를 피해 4월부터 10월까지 탐방로를 열고, 하루 입장객을 500명으로 제한할 계획이다.",
  "습지 안에는 길이 2.4킬로미터의 나무 데크 길과 관찰대 두 곳이 새로 들어선다. 공사는 이달 말 시작된다.",
  "환경단체는 개방 자체에는 찬성하면서도 번식기 출입 통제를 더 엄격히 해야 한다고 요구했다.",
  "시 관계자는 “습지를 보호하면서 시민이 자연을 가까이 느낄 수 있도록 하겠다”고 말했다.",
  NULL
};
static const char *const en[] = {
  "The city of Busan will open three wetlands at the mouth of the Nakdong River to the public next spring, "
  "officials said on Tuesday.",
  "Trails will be open from April to October, outside the season when migratory birds arrive, and daily "
  "visitors will be capped at 500.",
  "A 2.4-kilometer wooden boardwalk and two observation decks will be built inside the wetlands, with work "
  "starting at the end of this month.",
  "Environmental groups welcomed the opening but asked the city to close the area more strictly during the "
  "breeding season.",
  "\"We want citizens to feel close to nature while the wetlands stay protected,\" a city official said.",
  NULL
};

/* Extracts `file`; checks the text is exactly `body` (blank-line separated) and holds none of `dropped`. */
static void check_exact(const char *file, const char *const *body, const char *const *dropped)
{
  ieum_article *a = NULL;
  int rc = ieum_html_load(&a, data_path(file), NULL);
  is_int(rc, IEUM_OK, "%s: extracts", file);
  if (rc) {
    diag("%s", last_message());
    return;
  }
  size_t len = 0;
  const char *text = ieum_html_text(a, &len);
  ieum_buf want = IEUM_BUF_INIT;
  for (size_t i = 0; body[i]; i++) {
    if (i)
      ieum__buf_puts(&want, "\n\n");
    ieum__buf_puts(&want, body[i]);
  }
  is_mem(text, len, want.ptr, "%s: every body paragraph, in order, and nothing else", file);
  for (size_t i = 0; dropped && dropped[i]; i++)
    ok(strstr(text, dropped[i]) == NULL, "%s: '%s' is dropped", file, dropped[i]);
  ieum_buf_dispose(&want);
  ieum_html_free(a);
}

static void test_formats_html_causes__widget_wrapper(void)
{
  static const char *const dropped[] = { "Facebook", "Popular now", "Ferry fares", "Copyright", NULL };
  check_exact("elementor_widgets.html", en, dropped);
  ieum_article *a = NULL;
  if (ieum_html_load(&a, data_path("elementor_widgets.html"), NULL) == IEUM_OK)
    is_str(ieum_html_meta(a, "headline"), "Busan to open Nakdong wetlands to visitors",
           "the headline inside its heading widget");
  ieum_html_free(a);
}

static void test_formats_html_causes__aspnet_form(void)
{
  static const char *const dropped[] = { "Home", "Search", "Subscribe", "dDwtMTA4", NULL };
  check_exact("aspnet_form.html", en, dropped);
}

static void test_formats_html_causes__document_write(void)
{
  static const char *const dropped[] = { "document.write", "ifrd", "contentWindow", "무료", "특가", "</div>",
                                         "slotReady", "//-->", NULL };
  check_exact("script_document_write.html", ko, dropped);
}

static void test_formats_html_causes__script_double_escaped(void)
{
  /* "<!-- ... <script></script> ... -->" inside a script does not end it, for a browser nor for us. */
  static const char page[] =
    "<html><body><div class=\"article_body\"><p>부산시가 내년 봄부터 낙동강 하구 습지 세 곳을 시민에게 "
    "개방한다고 3일 밝혔다. 탐방로는 4월부터 10월까지 열린다.</p>\n<script type=\"text/javascript\"><!--\n"
    "document.write('<script src=\"https://ads.example/a.js\"></script>'); var note = \"지금 가입하면 첫 달 "
    "무료, 최대 절반 할인 쿠폰을 드립니다\";\n//--></script>\n<p>시 관계자는 습지를 보호하면서 시민이 자연을 "
    "가까이 느낄 수 있도록 하겠다고 말했다.</p></div><SCRIPT>var after = '</SCRIPT >';</body></html>";
  ieum_article *a = NULL;
  int rc = ieum_html_extract(&a, page, sizeof page - 1, "esc.html", NULL);
  is_int(rc, IEUM_OK, "the page with an escaped script extracts");
  if (!a)
    return;
  const char *text = ieum_html_text(a, NULL);
  ok(strstr(text, "가입하면") == NULL && strstr(text, "var note") == NULL, "no script text");
  ok(strstr(text, "부산시가") != NULL && strstr(text, "시 관계자는") != NULL, "both paragraphs");
  ieum_html_free(a);
}

static void test_formats_html_causes__utf8_declared_euckr(void)
{
  check_exact("utf8_declared_euckr.html", ko, NULL);
  ieum_article *a = NULL;
  if (ieum_html_load(&a, data_path("utf8_declared_euckr.html"), NULL) == IEUM_OK)
    is_str(ieum_html_meta(a, "headline"), "낙동강 하구 습지 내년 봄 개방", "its title decodes as UTF-8");
  ieum_html_free(a);
  /* Asked for by the caller, the declared encoding is still refused, with the offset. */
  ieum_html_options o = IEUM_HTML_OPTIONS_INIT;
  o.encoding = "EUC-KR";
  is_int(ieum_html_load(&a, data_path("utf8_declared_euckr.html"), &o), IEUM_EENCODING,
         "--encoding EUC-KR on UTF-8 bytes is refused");
  ok(strstr(last_message(), "invalid EUC-KR at byte") != NULL, "naming the byte: %s", last_message());
}

static void test_formats_html_causes__invalid_byte_degrades(void)
{
  /* A stray byte in a UTF-8 page with no charset: shown as U+FFFD, as a browser does, not refused. */
  static const char page[] = "<html><body><p>부산시가 내년 봄부터 낙동강 하구 습지 세 곳을 시민에게 "
                             "개방한다고 3일 밝혔다. 탐방로는 4월부터 \xFF 10월까지 열린다.</p><p>시 관계자는 습지를 "
                             "보호하면서 시민이 자연을 가까이 느낄 수 있도록 하겠다고 말했다.</p></body></html>";
  ieum_article *a = NULL;
  int rc = ieum_html_extract(&a, page, sizeof page - 1, "stray.html", NULL);
  is_int(rc, IEUM_OK, "a UTF-8 page with one invalid byte extracts");
  if (a) {
    ok(strstr(ieum_html_text(a, NULL), "4월부터 \xEF\xBF\xBD 10월까지") != NULL, "the byte is U+FFFD");
    ok(strstr(ieum_html_text(a, NULL), "부산시가 내년 봄부터") != NULL, "the rest is intact");
  } else
    diag("%s", last_message());
  ieum_html_free(a);
  /* NUL and control bytes in a page (a crawler's copy): dropped as a browser's parser drops them. */
  static const char nul[] = "<html><body><p>부산시가 내년 봄부터 낙동강 하구 습지 세 곳을\0 시민에게 개방한다고 "
                            "3일 밝혔다.\x01 탐방로는 4월부터 10월까지 열린다.</p><p>시 관계자는 습지를 보호하면서 "
                            "시민이 자연을 가까이 느낄 수 있도록 하겠다고 말했다.</p></body></html>";
  rc = ieum_html_extract(&a, nul, sizeof nul - 1, "nul.html", NULL);
  is_int(rc, IEUM_OK, "a page with a NUL and a control byte extracts");
  if (a)
    ok(strstr(ieum_html_text(a, NULL), "습지 세 곳을 시민에게") != NULL &&
       strstr(ieum_html_text(a, NULL), "밝혔다. 탐방로는") != NULL, "the NUL is dropped, the control a space");
  else
    diag("%s", last_message());
  ieum_html_free(a);
  a = NULL;
  /* A binary file is still refused. */
  static const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  is_int(ieum_html_extract(&a, bin, sizeof bin - 1, "bin.html", NULL), IEUM_EENCODING, "binary still refused");
  ok(strstr(last_message(), "bin.html: ") != NULL, "naming the file: %s", last_message());
}

static void test_formats_html_causes__li_par_sections(void)
{
  static const char *const body[] = {
    "습지 세 곳 개방", "부산시가 내년 봄부터 낙동강 하구 습지 세 곳을 시민에게 개방한다고 3일 밝혔다.",
    "시는 철새 도래 시기를 피해 4월부터 10월까지 탐방로를 열고, 하루 입장객을 500명으로 제한할 계획이다.",
    "탐방로와 관찰대", "습지 안에는 길이 2.4킬로미터의 나무 데크 길과 관찰대 두 곳이 새로 들어선다. 공사는 이달 말 시작된다.",
    "환경단체 요구", "환경단체는 개방 자체에는 찬성하면서도 번식기 출입 통제를 더 엄격히 해야 한다고 요구했다.",
    "시의 입장", "시 관계자는 “습지를 보호하면서 시민이 자연을 가까이 느낄 수 있도록 하겠다”고 말했다.",
    NULL
  };
  static const char *const dropped[] = { "많이 본 뉴스", "항만 물동량", "비즈", NULL };
  check_exact("li_par_sections.html", body, dropped);
}

static void test_formats_html_causes__br_article_beside_box(void)
{
  ieum_article *a = NULL;
  int rc = ieum_html_load(&a, data_path("br_article_quote_box.html"), NULL);
  is_int(rc, IEUM_OK, "br_article_quote_box.html: extracts");
  if (!a)
    return;
  const char *text = ieum_html_text(a, NULL);
  for (size_t i = 0; ko[i]; i++)
    ok(strstr(text, ko[i]) != NULL, "br_article_quote_box.html: body paragraph %zu (of text and <br>s) kept", i);
  ok(strstr(text, "시는 개방 첫해의 탐방객 수와 철새 개체 수 변화를 조사해 이듬해 운영 방식을 다시 정하기로 했다") != NULL,
     "br_article_quote_box.html: the last <br> paragraph kept");
  ieum_html_free(a);
}

static void test_formats_html_causes__paragraphs_api(void)
{
  ieum_article *a = NULL;
  if (ieum_html_load(&a, data_path("aspnet_form.html"), NULL) != IEUM_OK) {
    ok(0, "aspnet_form.html extracts: %s", last_message());
    return;
  }
  size_t n = ieum_html_paragraph_count(a), len = 0, text_len = 0;
  const char *text = ieum_html_text(a, &text_len);
  is_int(n, 5, "five paragraphs");
  int in_text = 1;
  for (size_t i = 0; i < n; i++) {
    const char *p = ieum_html_paragraph(a, i, &len);
    in_text &= p >= text && p + len <= text + text_len && len == strlen(en[i]) && memcmp(p, en[i], len) == 0;
  }
  ok(in_text, "each paragraph points into the text, in order");
  ok(ieum_html_paragraph(a, n, &len) == NULL, "NULL past the last one");
  ieum_html_free(a);
}

static void test_formats_html_causes__small_negative_still_pruned(void)
{
  /* A wrapper named "widget" holding the article is kept; a "related" list beside the text inside it is not. */
  static const char page[] =
    "<html><body><div class=\"widget main-widget\"><div class=\"widget-body\">"
    "<p>The committee met on Monday and agreed to publish its report, which runs to forty pages, next week.</p>"
    "<div class=\"related-list\"><p>Related: A long headline of another story that someone might click on today.</p></div>"
    "<p>Its chair said the findings would be presented to the council before the end of the month, with a vote.</p>"
    "</div></div><div class=\"ad\"><p>Buy one, get one free: this week only, in every store near you, while stocks last.</p></div>"
    "</body></html>";
  ieum_article *a = NULL;
  int rc = ieum_html_extract(&a, page, sizeof page - 1, "w.html", NULL);
  is_int(rc, IEUM_OK, "the widget page extracts");
  if (!a)
    return;
  const char *text = ieum_html_text(a, NULL);
  ok(strstr(text, "The committee met") && strstr(text, "Its chair said"), "both paragraphs kept");
  ok(!strstr(text, "Related:"), "the related list is pruned");
  ok(!strstr(text, "Buy one"), "the ad is pruned");
  ieum_html_free(a);
}

static void test_formats_html_causes__long_comments_pruned(void)
{
  /* Comments holding most of the page's prose are still no article: a discussion is pruned whatever it holds. */
  ieum_buf page = IEUM_BUF_INIT;
  ieum__buf_puts(&page, "<html><body><article><p>The committee met on Monday and agreed to publish its report, "
                        "which runs to forty pages, next week.</p><p>Its chair said the findings would be "
                        "presented to the council before the end of the month.</p></article><div id=\"comments\" "
                        "class=\"comment-list\">");
  for (int i = 0; i < 12; i++)
    ieum__buf_puts(&page, "<div class=\"comment\"><p>I have read the whole report twice now, and I still think "
                          "the committee has missed the point about the budget entirely, as usual.</p></div>");
  ieum__buf_puts(&page, "</div></body></html>");
  ieum_article *a = NULL;
  int rc = ieum_html_extract(&a, page.ptr, page.size, "c.html", NULL);
  is_int(rc, IEUM_OK, "the page with long comments extracts");
  if (a) {
    ok(strstr(ieum_html_text(a, NULL), "The committee met") != NULL, "the article is kept");
    ok(strstr(ieum_html_text(a, NULL), "read the whole report") == NULL, "the comments are not");
  }
  ieum_html_free(a);
  ieum_buf_dispose(&page);
}

static void test_formats_html_causes__nfc(void)
{
  /* The page is decoded without NFC; what is kept (text, metadata) is normalized: "café" from e + U+0301. */
  static const char page[] = "<html><head><title>Cafe\xCC\x81 owners meet</title></head><body><p>The cafe\xCC\x81 "
                             "owners of the old harbor met on Monday and agreed to publish their report next week, "
                             "after a long meeting.</p><p>Their chair said the findings would go to the council before the end "
                             "of the month.</p></body></html>";
  ieum_article *a = NULL;
  int rc = ieum_html_extract(&a, page, sizeof page - 1, "nfd.html", NULL);
  is_int(rc, IEUM_OK, "the NFD page extracts");
  if (!a)
    return;
  ok(strstr(ieum_html_text(a, NULL), "The caf\xC3\xA9 owners") != NULL, "its text is NFC");
  is_str(ieum_html_meta(a, "headline"), "Caf\xC3\xA9 owners meet", "its headline is NFC");
  ieum_html_free(a);
}

static void test_formats_html_causes__still_no_article(void)
{
  ieum_article *a = NULL;
  int rc = ieum_html_load(&a, data_path("no_article.html"), NULL);
  is_int(rc, IEUM_EINVAL, "a page of links is still no article");
  ok(strstr(last_message(), "no article found") != NULL, "saying so: %s", last_message());
}

int main(void)
{
  test_formats_html_causes__widget_wrapper();
  test_formats_html_causes__aspnet_form();
  test_formats_html_causes__document_write();
  test_formats_html_causes__script_double_escaped();
  test_formats_html_causes__utf8_declared_euckr();
  test_formats_html_causes__invalid_byte_degrades();
  test_formats_html_causes__li_par_sections();
  test_formats_html_causes__br_article_beside_box();
  test_formats_html_causes__paragraphs_api();
  test_formats_html_causes__small_negative_still_pruned();
  test_formats_html_causes__long_comments_pruned();
  test_formats_html_causes__nfc();
  test_formats_html_causes__still_no_article();
  return done_testing();
}
