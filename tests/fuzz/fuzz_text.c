/*
** tests/fuzz/fuzz_text.c: fuzz harness of text decoding (formats/text.c)
** and sentence segmentation (align/segment.c) of what it gives.
**
** The whole input is decoded as ieum_text_decode() does for a file of
** unknown encoding (BOM, ISO-2022-KR, UTF-8, legacy Korean detection); then
** the input less its first byte is decoded again in the encoding that byte
** picks from a list of those the CLI's --encoding is used with.  Each
** success must give valid NFC UTF-8 with "\n" line ends and no BOM, which
** is then segmented into sentences (Korean, news rules) and checked
** (fuzz_check_doc); each failure must carry a one-line message naming the
** input.  Cost: linear in the input (decode, NFC check, segmentation).
** Not here: HTML pages (fuzz_html.c), SRX rules (fuzz_srx.c).
*/
#include <string.h>

#include "fuzz.h"
#include "util.h"

static const char NAME[] = "fuzz-input.txt";

static void check_text(const ieum_buf *out, size_t in_len)
{
  const char *p = out->ptr ? out->ptr : "";
  fuzz_check_utf8(p, out->size, "decoded text");
  FUZZ_CHECK(!memchr(p, '\r', out->size), "a CR is left in the decoded text");
  FUZZ_CHECK(out->size < 3 || memcmp(p, "\xEF\xBB\xBF", 3) != 0, "the decoded text starts with a BOM");
  FUZZ_CHECK(out->size <= 4 * in_len + 16, "%zu bytes of input decoded to %zu bytes", in_len, out->size);
  ieum_buf nfc = IEUM_BUF_INIT;
  if (ieum__icu_nfc(&nfc, p, out->size) == 0)
    FUZZ_CHECK(nfc.size == out->size && memcmp(nfc.ptr ? nfc.ptr : "", p, out->size) == 0,
               "the decoded text is not NFC");
  ieum_buf_dispose(&nfc);
  ieum_text_is_blank(p, out->size);

  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  so.lang = "ko";
  ieum_doc *doc = NULL;
  int rc = ieum_doc_new(&doc, p, out->size, &so);
  if (rc == 0)
    fuzz_check_doc(doc, p, out->size);
  else
    fuzz_check_error(rc, NULL, "ieum_doc_new");
  ieum_doc_free(doc);
}

static void decode(const char *data, size_t len, const char *encoding)
{
  ieum_text_options o = IEUM_TEXT_OPTIONS_INIT;
  o.encoding = encoding;
  ieum_buf out = IEUM_BUF_INIT;
  int rc = ieum_text_decode(&out, data, len, NAME, &o);
  if (rc == 0)
    check_text(&out, len);
  else
    fuzz_check_error(rc, NAME, "ieum_text_decode");
  ieum_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const encodings[] = { "EUC-KR", "windows-949", "ISO-2022-KR", "UTF-8",
                                           "UTF-16LE", "UTF-16BE", "windows-1252", "ISO-8859-1" };
  decode((const char *)data, size, NULL);
  if (size > 0)
    decode((const char *)data + 1, size - 1, encodings[data[0] % (sizeof encodings / sizeof encodings[0])]);
  return 0;
}
