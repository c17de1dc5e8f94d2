/*
** tests/unit/align_headline.c: a known headline as a segment of its own
** (ieum_doc_new_headed(), align/doc.c) and the text of an HTML page that
** carries it (ieum_html_copy_headed_text(), formats/html.c): the headline
** is one segment with role headline whatever its punctuation, the rest is
** segmented as without it (offsets into the whole text, paragraphs after
** the headline's), and the two pages' headlines align as one bead.  Not
** here: the headline rules of plain text (align_segment.c).  Korean and
** English text written for these tests.
*/
#include <stdio.h>
#include <string.h>

#include "../../align/align_int.h"
#include "tap.h"

static const char *HEAD = "국방장관 방한… 한미일 정보 실시간 공유하나?";
static const char *BODY = "미국 국방장관이 19일 한국을 찾았다. 장관은 이틀 동안 머문다.\n\n"
                          "한미 국방장관 회담은 30일 열린다.\n";

static void test_align_headline__doc(void)
{
  char text[512];
  int n = snprintf(text, sizeof text, "%s\n\n%s", HEAD, BODY);
  size_t head = strlen(HEAD), len = (size_t)n;
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.lang = "ko";
  o.paragraphs = IEUM_PARAGRAPH_BLANK;
  ieum_doc *d = NULL, *plain = NULL;
  is_int(ieum_doc_new_headed(&d, text, len, head, &o), IEUM_OK, "a text with a known headline");
  is_int(ieum_doc_new(&plain, BODY, strlen(BODY), &o), IEUM_OK, "the same text without it");
  if (!d || !plain)
    return;
  is_int((int)ieum_doc_count(d), (int)ieum_doc_count(plain) + 1, "one segment more: the headline");
  const ieum_segment *h = ieum_doc_segment(d, 0);
  is_mem(h->text, h->len, HEAD, "segment 0 is the headline, whole despite '…' and '?'");
  is_int(h->role, IEUM_ROLE_HEADLINE, "with role headline");
  ok(h->start == 0 && h->end == head && h->para == 0, "at text[0, headline) in paragraph 0");
  int same = 1;
  for (size_t k = 0; k < ieum_doc_count(plain); k++) {
    const ieum_segment *a = ieum_doc_segment(plain, k), *b = ieum_doc_segment(d, k + 1);
    same &= a->len == b->len && memcmp(a->text, b->text, a->len) == 0 && b->start == a->start + head + 2 &&
            b->end == a->end + head + 2 && b->para == a->para + 1 && b->role == IEUM_ROLE_BODY &&
            memcmp(text + b->start, BODY + a->start, a->end - a->start) == 0;
  }
  ok(same, "the rest: the same segments, offsets into the whole text, paragraphs from 1, body");
  ieum_doc_free(d);
  d = NULL;
  ieum_doc *whole = NULL;
  is_int(ieum_doc_new_headed(&d, text, len, 0, &o), IEUM_OK, "head_len 0");
  is_int(ieum_doc_new(&whole, text, len, &o), IEUM_OK, "the whole text by ieum_doc_new()");
  ok(d && whole && ieum_doc_count(d) == ieum_doc_count(whole) &&
     ieum_doc_segment(d, 0)->len == ieum_doc_segment(whole, 0)->len,
     "head_len 0 segments as ieum_doc_new() does");
  ieum_doc_free(whole);
  ieum_doc_free(d);
  d = NULL;
  is_int(ieum_doc_new_headed(&d, text, len, len + 1, &o), IEUM_EINVAL, "a headline past the text: IEUM_EINVAL");
  ok(d == NULL, "and no document");
  is_int(ieum_doc_new_headed(&d, "\xff\xfe\n\nx", 5, 2, &o), IEUM_EINVAL, "an invalid UTF-8 headline: IEUM_EINVAL");
  /* a short first paragraph after a known headline is not a second headline */
  const char *deck = "정보 공유 논의\n\n장관은 19일 도착했다.\n";
  is_int(ieum_doc_new_headed(&d, deck, strlen(deck), 0, &o), IEUM_OK, "without a known headline");
  int rules = d && ieum_doc_segment(d, 0)->role == IEUM_ROLE_HEADLINE;
  ieum_doc_free(d);
  d = NULL;
  snprintf(text, sizeof text, "%s\n\n%s", HEAD, deck);
  is_int(ieum_doc_new_headed(&d, text, strlen(text), head, &o), IEUM_OK, "with one");
  ok(rules && d && ieum_doc_segment(d, 1)->role == IEUM_ROLE_BODY,
     "the short first paragraph: a headline by the rules alone, body after a known headline");
  ieum_doc_free(d);
  ieum_doc_free(plain);
}

static const char *KO_PAGE = "<html><head><title>t</title></head><body><article>"
                             "<h1>국방장관 방한… 한미일 정보 실시간 공유하나?</h1>"
                             "<p>미국 국방장관이 19일 한국을 찾아 이틀 동안 머문다.</p>"
                             "<p>장관은 서울에서 한국 국방장관과 북한 미사일 정보 공유를 논의한다.</p>"
                             "<p>두 장관은 일본과 정보를 실시간으로 나누는 방안도 함께 살펴본다.</p></article></body></html>";
static const char *EN_PAGE = "<html><head><title>t</title></head><body><article>"
                             "<h1>Defense Secretary in Seoul... Will Korea, US and Japan share data?</h1>"
                             "<p>The U.S. defense secretary arrived in South Korea on the 19th for a two-day stay.</p>"
                             "<p>In Seoul he will discuss sharing data on North Korean missiles with the South Korean defense minister.</p>"
                             "<p>The two ministers will also look at ways to share that data with Japan in real time.</p></article></body></html>";

static ieum_doc *page_doc(ieum_buf *text, const char *html, const char *lang)
{
  ieum_article *a = NULL;
  ieum_doc *d = NULL;
  size_t head = 0;
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.lang = lang;
  o.paragraphs = IEUM_PARAGRAPH_BLANK;
  if (ieum_html_extract(&a, html, strlen(html), "t.html", NULL) == 0 &&
      ieum_html_copy_headed_text(text, &head, a) == 0 && head > 0)
    ieum_doc_new_headed(&d, text->ptr, text->size, head, &o);
  ok(a && ieum_html_meta(a, "headline") != NULL, "%s page: the headline is still metadata", lang);
  ieum_html_free(a);
  return d;
}

static void test_align_headline__html_pages(void)
{
  ieum_buf kt = IEUM_BUF_INIT, et = IEUM_BUF_INIT;
  ieum_doc *ko = page_doc(&kt, KO_PAGE, "ko"), *en = page_doc(&et, EN_PAGE, "en");
  ieum_alignment *al = NULL;
  ok(ko && en, "both pages segmented with their headlines");
  if (ko && en && ieum_alignment_new(&al, ko, en, NULL) == 0) {
    const ieum_bead *b = ieum_alignment_bead(al, 0);
    ok(b->src_start == 0 && b->src_n == 1 && b->tgt_start == 0 && b->tgt_n == 1,
       "the two headlines are one 1-1 bead");
    is_int(ieum_doc_segment(en, 0)->role, IEUM_ROLE_HEADLINE, "the English headline is one segment despite '...'");
    is_int((int)ieum_alignment_count(al), 4, "then the body sentences, 1-1 each");
  }
  ieum_alignment_free(al);
  ieum_doc_free(ko);
  ieum_doc_free(en);
  ieum_buf_dispose(&kt);
  ieum_buf_dispose(&et);
}

int main(void)
{
  test_align_headline__doc();
  test_align_headline__html_pages();
  return done_testing();
}
