/*
** tests/fuzz/fuzz_srx.c: fuzz harness of SRX 2.0 rule files (align/srx.c)
** and of segmentation with them (align/segment.c).
**
** Input: an SRX file, FUZZ_SEP, then a text (missing: a short built-in
** one).  The rules are parsed with ieum_srx_parse(), counted for Korean,
** English and no language, and the text (decoded as a file would be) is
** segmented with them in Korean and in English; each document is checked
** (fuzz_check_doc) and each failure must carry a one-line message naming
** the rule file.  Cost: parsing is linear in the file; segmentation runs
** every rule's regular expressions at every candidate break.
** Not here: the built-in news rules (fuzz_text.c).
*/
#include <string.h>

#include "fuzz.h"

static const char NAME[] = "fuzz-rules.srx";

static const char DEFAULT_TEXT[] =
  "서울시는 3일 새 계획을 발표했다. 시는 약 48억 원을 투입한다고 밝혔다!\n"
  "Dr. Kim said the U.S. plan was \"ready.\" It starts in Jan. 2027.\n";

static void segment(const ieum_srx *srx, const char *text, size_t len, const char *lang)
{
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  so.lang = lang;
  so.srx = srx;
  ieum_doc *doc = NULL;
  int rc = ieum_doc_new(&doc, text, len, &so);
  if (rc == 0)
    fuzz_check_doc(doc, text, len);
  else
    fuzz_check_error(rc, NAME, "ieum_doc_new with SRX rules");
  ieum_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_part part[2];
  size_t parts = fuzz_split(part, 2, data, size);
  ieum_srx *srx = NULL;
  ieum_buf text = IEUM_BUF_INIT;
  int rc = ieum_srx_parse(&srx, part[0].p, part[0].n, NAME);
  if (rc != 0) {
    fuzz_check_error(rc, NAME, "ieum_srx_parse");
    FUZZ_CHECK(srx == NULL, "ieum_srx_parse failed and left rules");
    return 0;
  }
  static const char *const langs[] = { "ko", "en-US", NULL };
  for (size_t i = 0; i < 3; i++) {
    int n = ieum_srx_rule_count(srx, langs[i]);
    if (n < 0)
      fuzz_check_error(n, NAME, "ieum_srx_rule_count");
  }
  if (parts < 2) {
    part[1].p = DEFAULT_TEXT;
    part[1].n = sizeof DEFAULT_TEXT - 1;
  }
  rc = ieum_text_decode(&text, part[1].p, part[1].n, "fuzz-text.txt", NULL);
  if (rc == 0) {
    segment(srx, text.ptr ? text.ptr : "", text.size, "ko");
    segment(srx, text.ptr ? text.ptr : "", text.size, "en");
  }
  ieum_buf_dispose(&text);
  ieum_srx_free(srx);
  return 0;
}
