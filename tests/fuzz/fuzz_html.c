/*
** tests/fuzz/fuzz_html.c: fuzz harness of the news-page reader
** (formats/html.c) and the segmentation of the article it finds.
**
** The input is one saved web page: ieum_html_detect() looks at it, then
** ieum_html_extract() decodes it (BOM, <meta charset>, detection), parses it
** with libxml2 and scores its blocks.  On success the article text must be
** valid UTF-8 with no line break inside a paragraph's lines other than the
** blank line between paragraphs, not blank, every metadata value valid UTF-8, and the
** text is segmented as the CLI does (IEUM_PARAGRAPH_BLANK, the page's
** language) and checked (fuzz_check_doc); on failure the message must be
** one line naming the page.  Cost: linear in the page.
** Not here: plain text decoding (fuzz_text.c).
*/
#include <string.h>

#include "fuzz.h"

static const char NAME[] = "fuzz-page.html";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *in = (const char *)data;
  ieum_article *art = NULL;
  ieum_doc *doc = NULL;
  ieum_html_detect(in, size);
  int rc = ieum_html_extract(&art, in, size, NAME, NULL);
  if (rc != 0) {
    fuzz_check_error(rc, NAME, "ieum_html_extract");
    FUZZ_CHECK(art == NULL, "ieum_html_extract failed and left an article");
    return 0;
  }
  size_t len = 0;
  const char *text = ieum_html_text(art, &len);
  FUZZ_CHECK(text && text[len] == '\0', "the article text is missing or not NUL-terminated");
  /* "no article text on the page" is IEUM_EINVAL, so a page that extracts has some. */
  FUZZ_CHECK(!ieum_text_is_blank(text, len), "ieum_html_extract succeeded with a blank article text (%zu bytes)", len);
  fuzz_check_utf8(text, len, "article text");
  FUZZ_CHECK(!memchr(text, '\r', len), "a CR in the article text");
  FUZZ_CHECK(!memmem(text, len, "\n\n\n", 3), "more than one blank line between paragraphs");
  ieum_buf copy = IEUM_BUF_INIT;
  FUZZ_CHECK(ieum_html_copy_text(&copy, art) == 0 && copy.size == len && (len == 0 || memcmp(copy.ptr, text, len) == 0),
             "ieum_html_copy_text() differs from ieum_html_text()");
  ieum_buf_dispose(&copy);
  const char *key;
  for (size_t i = 0; (key = ieum_html_meta_key(art, i)) != NULL; i++) {
    FUZZ_CHECK(i < 5, "more than five metadata keys");
    const char *v = ieum_html_meta(art, key);
    FUZZ_CHECK(v != NULL, "metadata key %s listed without a value", key);
    fuzz_check_utf8(v, strlen(v), key);
  }

  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  so.paragraphs = IEUM_PARAGRAPH_BLANK;
  const char *lang = ieum_html_meta(art, "lang");
  so.lang = lang ? lang : "ko";
  rc = ieum_doc_new(&doc, text, len, &so);
  if (rc == 0)
    fuzz_check_doc(doc, text, len);
  else
    fuzz_check_error(rc, NULL, "ieum_doc_new");
  ieum_doc_free(doc);
  ieum_html_free(art);
  return 0;
}
