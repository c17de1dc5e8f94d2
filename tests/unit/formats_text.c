/*
** tests/unit/formats_text.c: bytes to clean text (formats/text.c).
**
** Encodings by BOM, by name and by detection (UTF-8, UTF-16/32, EUC-KR,
** CP949, ISO-2022-KR), every error with its exact message (invalid and
** truncated bytes, binary data and what it is (documents, archives,
** images, UTF-16/32 without a BOM), missing files, directories, size and line
** limits), line-end and NFC normalization, blank-text detection, and OOM on
** every allocation.  Legacy-encoded inputs are either small fixtures under
** tests/data/text (see its README) or built in memory with ICU from UTF-8
** text written here.  When /work/shared is present, its articles are also
** decoded as UTF-8 and, re-encoded as CP949, auto-detected.
*/
#include <dirent.h>
#include <time.h>

#include <unicode/ucnv.h>

#include "tap.h"
#include "util.h"

#define SHARED_ALIGN_DIR "/work/shared/data/align"

static const char *data_path(const char *file)
{
  static char path[4096];
  const char *dir = getenv("IEUM_TEST_DATA");
  snprintf(path, sizeof path, "%s/text/%s", dir ? dir : "tests/data", file);
  return path;
}

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(no error)";
}

/*
** UTF-8 -> `enc` with ICU, NULL when some character has no mapping there.
** The caller frees the result with free().
*/
static char *encode(const char *enc, const char *utf8, size_t *out_len)
{
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open(enc, &st);
  ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  uint16_t *u = NULL;
  int32_t ulen = 0;
  char *p = NULL;
  if (U_SUCCESS(st) && ieum__icu_to_u16(&u, &ulen, utf8, strlen(utf8)) == IEUM_OK) {
    size_t cap = (size_t)ulen * 4 + 16;
    p = malloc(cap);
    int32_t n = ucnv_fromUChars(cnv, p, (int32_t)cap, (const UChar *)u, ulen, &st);
    if (U_FAILURE(st)) {
      free(p);
      p = NULL;
    } else
      *out_len = (size_t)n;
  }
  ieum__free(u);
  ucnv_close(cnv);
  return p;
}

/* Decodes into a fresh buffer; `b` must be disposed by the caller. */
static int decode(ieum_buf *b, const char *s, size_t n, const char *enc)
{
  ieum_text_options o = IEUM_TEXT_OPTIONS_INIT;
  o.encoding = enc;
  ieum_buf_dispose(b);
  return ieum_text_decode(b, s, n, "t.txt", &o);
}

static const char KO_PARAGRAPH[] =
  "서울시는 오늘 오전 새로운 대중교통 정책을 발표했다. 시 관계자는 버스 노선을 개편하고 "
  "지하철 운행 간격을 줄이겠다고 밝혔다.\n"
  "시민들은 출퇴근 시간이 짧아질 것으로 기대하고 있다. 마을 사람들은 그를 똠이라고 불렀다.\n"
  "이번 정책은 다음 달부터 단계적으로 시행된다.\n";

static void test_formats_text__utf8(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  const char *s = "한국어 문장. “Quoted” text.\n";
  is_int(decode(&b, s, strlen(s), NULL), IEUM_OK, "plain UTF-8 decodes");
  is_str(b.ptr, s, "plain UTF-8 is unchanged");
  is_int(decode(&b, "\xEF\xBB\xBF가나\n", 10, NULL), IEUM_OK, "UTF-8 with BOM decodes");
  is_mem(b.ptr, b.size, "가나\n", "the UTF-8 BOM is dropped");
  is_int(decode(&b, "\xEF\xBB\xBF", 3, NULL), IEUM_OK, "a lone BOM decodes");
  is_int(b.size, 0, "a lone BOM gives empty text");
  is_int(decode(&b, "abc", 3, "UTF-8"), IEUM_OK, "explicit UTF-8 decodes");
  is_int(decode(&b, "ab\xC3", 3, "utf8"), IEUM_EENCODING, "explicit UTF-8 rejects a bad tail");
  is_str(last_message(), "t.txt: invalid utf8 at byte 2", "names the encoding as given");
  ieum_buf_dispose(&b);
}

static void test_formats_text__utf16_utf32(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum_text_load(&b, data_path("utf16le_bom.txt"), NULL), IEUM_OK, "UTF-16LE file loads");
  is_str(b.ptr, "한국어 문장입니다. UTF-16 test.\n", "UTF-16LE text, BOM dropped");
  static const char be[] = "\xFE\xFF\xD5\x5C\xAD\x6D\x00\x0A"; /* BOM 한 국 LF */
  is_int(decode(&b, be, sizeof be - 1, NULL), IEUM_OK, "UTF-16BE with BOM decodes");
  is_str(b.ptr, "한국\n", "UTF-16BE text");
  static const char le32[] = "\xFF\xFE\x00\x00\x5C\xD5\x00\x00\x0A\x00\x00\x00";
  is_int(decode(&b, le32, sizeof le32 - 1, NULL), IEUM_OK, "UTF-32LE with BOM decodes");
  is_str(b.ptr, "한\n", "UTF-32LE text");
  static const char be32[] = "\x00\x00\xFE\xFF\x00\x00\xD5\x5C";
  is_int(decode(&b, be32, sizeof be32 - 1, NULL), IEUM_OK, "UTF-32BE with BOM decodes");
  is_str(b.ptr, "한", "UTF-32BE text");
  static const char nobom[] = "\x5C\xD5\x41\x00";
  is_int(decode(&b, nobom, sizeof nobom - 1, "UTF-16LE"), IEUM_OK, "explicit UTF-16LE decodes");
  is_str(b.ptr, "한A", "explicit UTF-16LE text");
  static const char odd[] = "\xFF\xFE\x5C\xD5\x41";
  is_int(decode(&b, odd, sizeof odd - 1, NULL), IEUM_EENCODING, "odd UTF-16 length fails");
  is_str(last_message(), "t.txt: invalid UTF-16LE at byte 4", "truncated unit at its offset");
  static const char lone[] = "\xFF\xFE\x41\x00\x00\xD8\x42\x00"; /* A, lone high surrogate, B */
  is_int(decode(&b, lone, sizeof lone - 1, NULL), IEUM_EENCODING, "lone surrogate fails");
  is_str(last_message(), "t.txt: invalid UTF-16LE at byte 4", "lone surrogate at its offset");
  static const char nul[] = "\xFF\xFE\x41\x00\x00\x00";
  is_int(decode(&b, nul, sizeof nul - 1, NULL), IEUM_EENCODING, "U+0000 in UTF-16 is binary");
  is_str(last_message(), "t.txt: binary file (NUL character at offset 4)", "NUL unit offset");
  ieum_buf_dispose(&b);
}

static void test_formats_text__euckr(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  /* "한국 신문" in EUC-KR, written as hex. */
  static const char euckr[] = "\xC7\xD1\xB1\xB9 \xBD\xC5\xB9\xAE";
  is_int(decode(&b, euckr, sizeof euckr - 1, "EUC-KR"), IEUM_OK, "explicit EUC-KR decodes");
  is_str(b.ptr, "한국 신문", "EUC-KR text");
  size_t n = 0;
  char *e = encode("EUC-KR", "오늘 서울은 맑겠습니다.\n", &n);
  ok(e != NULL, "ICU encodes EUC-KR");
  is_int(decode(&b, e, n, "EUC-KR"), IEUM_OK, "ICU-built EUC-KR decodes");
  is_str(b.ptr, "오늘 서울은 맑겠습니다.\n", "round trip through EUC-KR");
  free(e);
  static const char bad[] = "\xC7\xD1 \xB1\x20";
  is_int(decode(&b, bad, sizeof bad - 1, "EUC-KR"), IEUM_EENCODING, "bad EUC-KR fails");
  is_str(last_message(), "t.txt: invalid EUC-KR at byte 3", "bad EUC-KR at its offset");
  is_int(decode(&b, "\xC7\xD1\xB1", 3, "EUC-KR"), IEUM_EENCODING, "truncated EUC-KR fails");
  is_str(last_message(), "t.txt: invalid EUC-KR at byte 2", "truncated pair at its offset");
  is_int(decode(&b, "abc", 3, "X-NO-SUCH"), IEUM_EINVAL, "unknown encoding");
  is_str(last_message(), "t.txt: unknown encoding 'X-NO-SUCH'", "unknown encoding message");
  is_int(decode(&b, "abc", 3, ""), IEUM_EINVAL, "empty encoding name is unknown");
  ieum_buf_dispose(&b);
}

static void test_formats_text__cp949_detect(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum_text_load(&b, data_path("ko_cp949.txt"), NULL), IEUM_OK,
         "CP949 paragraph is detected: %s", last_message());
  is_str(b.ptr, KO_PARAGRAPH, "CP949 paragraph decodes, CP949-only syllable included");
  size_t n = 0;
  char *e = encode("windows-949", "서울시는 오늘 오전 새로운 정책을 발표했다.", &n);
  is_int(decode(&b, e, n, NULL), IEUM_OK, "one CP949 sentence is detected");
  is_str(b.ptr, "서울시는 오늘 오전 새로운 정책을 발표했다.", "one CP949 sentence");
  free(e);
  e = encode("ISO-2022-KR", "한국 신문 기사\n", &n);
  is_int(decode(&b, e, n, NULL), IEUM_OK, "ISO-2022-KR is detected by its designator");
  is_str(b.ptr, "한국 신문 기사\n", "ISO-2022-KR text");
  free(e);
  /* Chinese in GBK converts cleanly as CP949 (to nonsense Hangul): the
     detector's ranking must turn it down. */
  e = encode("GBK", "北京市今天上午发布了新的公共交通政策。"
                    "市政府官员表示将调整公交线路并缩短地铁运行间隔。", &n);
  is_int(decode(&b, e, n, NULL), IEUM_EENCODING, "GBK Chinese is not taken for Korean");
  free(e);
  e = encode("Shift_JIS", "東京都は今日の午前、新しい公共交通政策を発表した。", &n);
  is_int(decode(&b, e, n, NULL), IEUM_EENCODING, "Shift_JIS Japanese is not taken for Korean");
  free(e);
  static const char latin1[] = "Le caf\xE9 est tr\xE8s bon \xE0 Paris.";
  is_int(decode(&b, latin1, sizeof latin1 - 1, NULL), IEUM_EENCODING, "Latin-1 is not Korean");
  is_str(last_message(),
         "t.txt: invalid UTF-8 at byte 6 (and not EUC-KR/CP949 text; give the encoding with "
         "--encoding)", "Latin-1 error gives the UTF-8 offset");
  is_int(decode(&b, latin1, sizeof latin1 - 1, "ISO-8859-1"), IEUM_OK, "but decodes when named");
  is_str(b.ptr, "Le café est très bon à Paris.", "Latin-1 text");
  ieum_buf_dispose(&b);
}

static void test_formats_text__invalid_utf8(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  static const char s[] = "plain ASCII, then \xFF here";
  is_int(decode(&b, s, sizeof s - 1, NULL), IEUM_EENCODING, "0xFF is invalid");
  is_str(last_message(),
         "t.txt: invalid UTF-8 at byte 18 (and not EUC-KR/CP949 text; give the encoding with "
         "--encoding)", "invalid UTF-8 at its exact offset");
  static const char t[] = "한국\xEA\xB0";
  is_int(decode(&b, t, sizeof t - 1, NULL), IEUM_EENCODING, "truncated UTF-8 at the end");
  ok(strstr(last_message(), "t.txt: invalid UTF-8 at byte 6 ") != NULL, "truncation offset: %s",
     last_message());
  static const char bom[] = "\xEF\xBB\xBF" "ab\xC0\xAF";
  is_int(decode(&b, bom, sizeof bom - 1, NULL), IEUM_EENCODING, "overlong after a BOM");
  is_str(last_message(), "t.txt: invalid UTF-8 at byte 5", "offset counts the BOM");
  ieum_buf_dispose(&b);
}

static void test_formats_text__mojibake(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  /* "Café crème brûlée." written as UTF-8, read back as Latin-1, saved as UTF-8. */
  const char *dbl = "Caf\xC3\x83\xC2\xA9 cr\xC3\x83\xC2\xA8me br\xC3\x83\xC2\xBBl\xC3\x83\xC2\xA9" "e.\n";
  is_int(decode(&b, dbl, strlen(dbl), NULL), IEUM_EENCODING, "double-encoded UTF-8 is refused");
  is_str(last_message(), "t.txt: mojibake at byte 3: UTF-8 text decoded as Latin-1 or Windows-1252 "
         "(decoded as UTF-8; give the encoding with --encoding)", "double encoding at its first byte");
  const char *one = "Caf\xC3\x83\xC2\xA9 and nothing else.\n";
  is_int(decode(&b, one, strlen(one), NULL), IEUM_OK, "one such pair alone is tolerated");
  const char *fr = "À bientôt, déjà vu, naïve, Ærø, señor, Größe: «ça».\n";
  is_int(decode(&b, fr, strlen(fr), NULL), IEUM_OK, "European accented text is not mojibake");
  const char *c1 = "Line with \xC2\x85 NEL.\n";
  is_int(decode(&b, c1, strlen(c1), NULL), IEUM_EENCODING, "a C1 control is refused");
  is_str(last_message(), "t.txt: mojibake at byte 10: control character U+0085 (decoded as UTF-8; "
         "give the encoding with --encoding)", "C1 control at its offset");
  /* Korean UTF-8 read with a wrong --encoding. */
  const char *ko = "abc 서울시가 자전거 도로를 늘린다.\n";
  is_int(decode(&b, ko, strlen(ko), "ISO-8859-1"), IEUM_EENCODING, "Korean UTF-8 as Latin-1 is refused");
  is_str(last_message(), "t.txt: mojibake at byte 4: UTF-8 text decoded as Latin-1 or Windows-1252 "
         "(decoded as ISO-8859-1; wrong --encoding?)", "wrong --encoding message");
  size_t n = 0;
  char *e = encode("EUC-KR", "abcd 서울시가 자전거 도로를 늘린다.\n", &n);
  is_int(decode(&b, e, n, "windows-1252"), IEUM_EENCODING, "EUC-KR read as Windows-1252 is refused");
  ok(strstr(last_message(), "t.txt: ") == last_message() && strstr(last_message(), "at byte 5"),
     "EUC-KR as Windows-1252: an error at the first Korean byte (%s)", last_message());
  free(e);
  /* Valid GB2312 bytes named as EUC-KR decode, but not to Korean. */
  e = encode("GB2312", "北京市政府今天宣布了新的交通政策。市民们期待通勤时间缩短。", &n);
  int rc = decode(&b, e, n, "EUC-KR");
  ok(rc == IEUM_EENCODING, "Chinese named as EUC-KR is refused (%s)", last_message());
  free(e);
  ieum_buf_dispose(&b);
}

static void test_formats_text__read(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum_text_read(&b, data_path("ko_cp949.txt"), 0), IEUM_OK, "raw bytes are read");
  is_int(b.size, 256, "all of them, undecoded");
  is_int(ieum_text_read(&b, data_path("ko_cp949.txt"), 10), IEUM_ELIMIT, "over the cap fails");
  is_int(b.size, 256, "a failed read leaves the buffer as it was");
  is_int(ieum_text_read(&b, data_path("missing.txt"), 0), IEUM_ENOTFOUND, "a missing file fails");
  ieum_buf_dispose(&b);
}

static void test_formats_text__binary(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  is_int(decode(&b, "ab\0cd", 5, NULL), IEUM_EENCODING, "NUL byte is binary");
  is_str(last_message(), "t.txt: binary file (NUL byte at offset 2)", "NUL offset");
  is_int(decode(&b, "ab\0cd", 5, "EUC-KR"), IEUM_EENCODING, "NUL is binary in EUC-KR too");
  is_int(decode(&b, "hello\x01world", 11, NULL), IEUM_EENCODING, "control byte in short text");
  is_str(last_message(), "t.txt: binary file (control byte 0x01 at offset 5)", "control offset");
  /* One stray ^Z in a long article is tolerated (under 1% of the sample). */
  char art[2000];
  memset(art, 'a', sizeof art);
  art[1000] = 0x1A;
  is_int(decode(&b, art, sizeof art, NULL), IEUM_OK, "one control byte in 2000 is text");
  for (int i = 0; i < 30; i++)
    art[100 + i] = 0x02;
  is_int(decode(&b, art, sizeof art, NULL), IEUM_EENCODING, "31 control bytes in 2000 are binary");
  is_str(last_message(), "t.txt: binary file (control byte 0x02 at offset 100)", "first of them");
  is_int(decode(&b, "a\tb\fc\vd\r\n", 9, NULL), IEUM_OK, "tab, FF, VT, CR, LF are text");
  ieum_buf_dispose(&b);
}

/* A ZIP local file header for `member`, then NULs and a central directory entry. */
static size_t zip_with(char *buf, size_t cap, const char *member, const char *data)
{
  size_t k = 0;
  memcpy(buf, "PK\003\004\024\000\000\000\000\000", 10);
  k = 10;
  memset(buf + k, 0, 20);
  k += 20;
  k += (size_t)snprintf(buf + k, cap - k, "%s%s", member, data);
  memset(buf + k, 0, 16);
  k += 16;
  memcpy(buf + k, "PK\001\002", 4);
  k += 4;
  k += (size_t)snprintf(buf + k, cap - k, "%s", member);
  return k;
}

static void test_formats_text__binary_kinds(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  char z[512];
  size_t n = zip_with(z, sizeof z, "word/document.xml", "<w:document/>");
  is_int(decode(&b, z, n, NULL), IEUM_EENCODING, ".docx is refused");
  is_str(last_message(), "t.txt: a Word document: save it as text or HTML", ".docx is named");
  n = zip_with(z, sizeof z, "[Content_Types].xml", "<Types/>PK\001\002xl/workbook.xml");
  is_int(decode(&b, z, n, NULL), IEUM_EENCODING, ".xlsx is refused");
  is_str(last_message(), "t.txt: an Excel workbook: export it as CSV or text",
         ".xlsx is named by its central directory");
  n = zip_with(z, sizeof z, "mimetype", "application/vnd.oasis.opendocument.text");
  is_int(decode(&b, z, n, NULL), IEUM_EENCODING, ".odt is refused");
  is_str(last_message(), "t.txt: an OpenDocument text (.odt): save it as text or HTML", ".odt is named");
  n = zip_with(z, sizeof z, "notes.txt", "hello");
  is_int(decode(&b, z, n, NULL), IEUM_EENCODING, "a ZIP is refused");
  is_str(last_message(), "t.txt: a ZIP archive: extract the text files from it first", "a ZIP is named");

  static const char pdf[] = "%PDF-1.4\n1 0 obj << /Length 5 >> stream\nBT ET\nendstream\n";
  is_int(decode(&b, pdf, sizeof pdf - 1, NULL), IEUM_EENCODING, "a 7-bit PDF is refused");
  is_str(last_message(), "t.txt: a PDF document: save or export its text as a text file", "PDF named");
  static const char rtf[] = "{\\rtf1\\ansi{\\fonttbl\\f0 Times;}\\f0 Hello}\n";
  is_int(decode(&b, rtf, sizeof rtf - 1, NULL), IEUM_EENCODING, "RTF is refused");
  is_str(last_message(), "t.txt: an RTF document: save it as plain text or HTML", "RTF named");
  static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0";
  is_int(decode(&b, ole, sizeof ole - 1, NULL), IEUM_EENCODING, "OLE2 is refused");
  ok(strstr(last_message(), "t.txt: an OLE2 compound file (an old Word") == last_message(), "OLE2 named");
  static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR";
  is_int(decode(&b, png, sizeof png - 1, NULL), IEUM_EENCODING, "PNG is refused");
  is_str(last_message(), "t.txt: a PNG image, not text", "PNG named");
  static const char gz[] = "\x1F\x8B\x08\0\0\0\0\0\0\x03";
  is_int(decode(&b, gz, sizeof gz - 1, NULL), IEUM_EENCODING, "gzip is refused");
  is_str(last_message(), "t.txt: a gzip-compressed file: decompress it first", "gzip named");
  static const char elf[] = "\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
  is_int(decode(&b, elf, sizeof elf - 1, NULL), IEUM_EENCODING, "ELF is refused");
  is_str(last_message(), "t.txt: an ELF executable or library, not text", "ELF named");
  /* Signatures of binary formats only count in binary input. */
  is_int(decode(&b, "MZ is a text file\n", 18, NULL), IEUM_OK, "text that starts with MZ is text");
  is_int(decode(&b, "BZh\x01\x02\x03\x04\x05", 8, NULL), IEUM_EENCODING, "bzip2 needs its controls");
  is_str(last_message(), "t.txt: a bzip2-compressed file: decompress it first", "bzip2 named");

  /* UTF-16 and UTF-32 without a BOM, Korean text with spaces and ASCII. */
  static const char *const wide[][2] = {
    { "UTF-16LE", "t.txt: UTF-16 text without a byte-order mark: give --encoding UTF-16LE" },
    { "UTF-16BE", "t.txt: UTF-16 text without a byte-order mark: give --encoding UTF-16BE" },
    { "UTF-32LE", "t.txt: UTF-32 text without a byte-order mark: give --encoding UTF-32LE" },
    { "UTF-32BE", "t.txt: UTF-32 text without a byte-order mark: give --encoding UTF-32BE" },
  };
  for (size_t k = 0; k < sizeof wide / sizeof *wide; k++) {
    size_t len = 0;
    char *w = encode(wide[k][0], KO_PARAGRAPH, &len);
    is_int(decode(&b, w, len, NULL), IEUM_EENCODING, "%s without a BOM is refused", wide[k][0]);
    is_str(last_message(), wide[k][1], "%s without a BOM is named", wide[k][0]);
    is_int(decode(&b, w, len, wide[k][0]), IEUM_OK, "%s given by name decodes", wide[k][0]);
    is_mem(b.ptr, b.size, KO_PARAGRAPH, "%s gives the text back", wide[k][0]);
    free(w);
  }
  /* "가" is AC 00 in UTF-16LE: a NUL at an even offset does not hide the byte order. */
  size_t len = 0;
  char *w = encode("UTF-16LE", "가격이 가장 크게 올랐다. The price rose.", &len);
  is_int(decode(&b, w, len, NULL), IEUM_EENCODING, "UTF-16LE with U+AC00 is refused");
  is_str(last_message(), wide[0][1], "and named UTF-16LE");
  free(w);
  /* Binary data with NULs at both parities, or with C0 controls, is just binary. */
  static const char blob[] = "ab\0\0cd\x01\x02\0e\0f";
  is_int(decode(&b, blob, sizeof blob - 1, NULL), IEUM_EENCODING, "a blob is refused");
  is_str(last_message(), "t.txt: binary file (NUL byte at offset 2)", "an unknown blob is binary");
  static const char words[] = "a\0\x01\0b\0c\0";
  is_int(decode(&b, words, sizeof words - 1, NULL), IEUM_EENCODING, "UTF-16 with a control");
  is_str(last_message(), "t.txt: binary file (NUL byte at offset 1)", "a control unit is binary");
  ieum_buf_dispose(&b);
}

static void test_formats_text__lines(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum_text_load(&b, data_path("crlf.txt"), NULL), IEUM_OK, "CRLF file loads");
  is_str(b.ptr, "첫 줄\n둘째 줄\n셋째 줄\n", "CRLF and lone CR become LF");
  static const char s[] = "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\r\r\n";
  is_int(decode(&b, s, sizeof s - 1, NULL), IEUM_OK, "line and paragraph separators");
  is_str(b.ptr, "a\nb\nc\n\n", "U+2028, U+2029 and CR CRLF become LF");
  ieum_buf_dispose(&b);
}

static void test_formats_text__nfc(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  /* 한국 as conjoining jamo (NFD), then e + combining acute. */
  static const char nfd[] = "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xAE"
                            "\xE1\x86\xA8 e\xCC\x81";
  is_int(decode(&b, nfd, sizeof nfd - 1, NULL), IEUM_OK, "NFD text decodes");
  is_str(b.ptr, "한국 é", "NFD Hangul and Latin become NFC");
  ieum_buf_dispose(&b);
}

static void test_formats_text__files(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", data_path(""));
  is_int(ieum_text_load(&b, dir, NULL), IEUM_EIO, "a directory is an I/O error");
  char want[4200];
  snprintf(want, sizeof want, "%s: is a directory", dir);
  is_str(last_message(), want, "directory message");
  is_int(ieum_text_load(&b, "no/such/file.txt", NULL), IEUM_ENOTFOUND, "missing file");
  is_str(last_message(), "no/such/file.txt: no such file", "missing file message");
  char longname[300]; /* one component over NAME_MAX: ENAMETOOLONG */
  memset(longname, 'x', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  is_int(ieum_text_load(&b, longname, NULL), IEUM_EIO, "unopenable path is an I/O error");
  ok(strstr(last_message(), ": cannot read: ") != NULL, "cannot read, with the reason");
  ieum_buf_dispose(&b);
  is_int(ieum_text_load(&b, data_path("empty.txt"), NULL), IEUM_OK, "empty file is fine");
  is_int(b.size, 0, "empty file gives size 0");
  ieum_text_options o = IEUM_TEXT_OPTIONS_INIT;
  o.max_size = 100;
  is_int(ieum_text_load(&b, data_path("ko_cp949.txt"), &o), IEUM_ELIMIT, "file over max_size");
  snprintf(want, sizeof want, "%s: file too large (more than 100 bytes)",
           data_path("ko_cp949.txt"));
  is_str(last_message(), want, "max_size message");
  o.max_size = 5;
  is_int(ieum_text_decode(&b, "123456", 6, "mem", &o), IEUM_ELIMIT, "decode over max_size");
  o.max_size = 6;
  is_int(ieum_text_decode(&b, "123456", 6, "mem", &o), IEUM_OK, "decode at max_size");
  o.max_size = SIZE_MAX;
  is_int(ieum_text_load(&b, data_path("crlf.txt"), &o), IEUM_OK, "max_size SIZE_MAX is no limit");
  o.max_size = 0;
  ieum_buf_dispose(&b);
  ok(freopen(data_path("utf16le_bom.txt"), "rb", stdin) != NULL, "stdin from a fixture");
  is_int(ieum_text_load(&b, "-", &o), IEUM_OK, "\"-\" reads standard input");
  is_str(b.ptr, "한국어 문장입니다. UTF-16 test.\n", "standard input decoded");
  o.version = 99;
  is_int(ieum_text_decode(&b, "x", 1, "mem", &o), IEUM_EINVAL, "unknown options version");
  ieum_buf_dispose(&b);
}

static void test_formats_text__appends(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  ieum__buf_puts(&b, "keep|");
  is_int(ieum_text_decode(&b, "가\r\n", 5, "m", NULL), IEUM_OK, "decodes after existing bytes");
  is_str(b.ptr, "keep|가\n", "result is appended");
  is_int(ieum_text_decode(&b, "x\xFF", 2, "m", NULL), IEUM_EENCODING, "failure");
  is_mem(b.ptr, b.size, "keep|가\n", "a failure leaves the buffer as it was");
  ieum_buf_dispose(&b);
}

static void test_formats_text__line_limit(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  size_t n = 4 + IEUM_TEXT_MAX_LINE + 1;
  char *s = malloc(n);
  memcpy(s, "ok\r\n", 4);
  memset(s + 4, 'a', n - 4);
  clock_t t0 = clock();
  is_int(ieum_text_decode(&b, s, n, "big.txt", NULL), IEUM_ELIMIT, "a 16 MiB + 1 line fails");
  is_str(last_message(), "big.txt: line 2 is longer than 16777216 bytes", "line limit message");
  is_int(ieum_text_decode(&b, s, n - 1, "big.txt", NULL), IEUM_OK, "a 16 MiB line passes");
  is_int(b.size, n - 2, "16 MiB line kept, CRLF shortened");
  diag("two 16 MiB decodes: %.0f ms", (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC);
  free(s);
  ieum_buf_dispose(&b);
}

static void test_formats_text__blank(void)
{
  ok(ieum_text_is_blank("", 0), "empty is blank");
  ok(ieum_text_is_blank(" \t\r\n\f\v", 6), "ASCII spaces are blank");
  const char *u = "\xC2\xA0\xE3\x80\x80\xE2\x80\x83\xE2\x80\xAF\xE2\x81\x9F\xEF\xBB\xBF"
                  "\xE2\x80\xA8";
  ok(ieum_text_is_blank(u, strlen(u)), "NBSP, ideographic, em, narrow, math spaces, BOM, LS");
  ok(!ieum_text_is_blank(" 가 ", strlen(" 가 ")), "Hangul is not blank");
  ok(!ieum_text_is_blank("\xE2\x80\x8B", 3), "ZERO WIDTH SPACE is not White_Space");
  ok(!ieum_text_is_blank(".", 1), "punctuation is not blank");
}

static void test_formats_text__oom(void)
{
  size_t n = 0;
  char *e = encode("windows-949", KO_PARAGRAPH, &n);
  int failed = 0, passed = 0;
  long k;
  for (k = 0; k < 50; k++) {
    ieum_buf b = IEUM_BUF_INIT;
    ieum__alloc_fail_after(k);
    int rc = ieum_text_decode(&b, e, n, "t.txt", NULL);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK) {
      passed = strcmp(b.ptr, KO_PARAGRAPH) == 0;
      ieum_buf_dispose(&b);
      break;
    }
    if (rc != IEUM_ENOMEM)
      failed++;
    ieum_buf_dispose(&b);
  }
  is_int(failed, 0, "every injected OOM gives IEUM_ENOMEM (leaks: see ASan)");
  ok(passed, "decodes once allocations succeed (after %ld failures)", k);
  free(e);
}

/* The shared articles: UTF-8 as given, and as CP949 by detection. */
static void test_formats_text__shared(void)
{
  DIR *dir = opendir(SHARED_ALIGN_DIR);
  if (!dir) {
    diag("skipped: %s not present", SHARED_ALIGN_DIR);
    return;
  }
  int files = 0, loaded = 0, ko = 0, unmappable = 0, detected = 0;
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    if (de->d_name[0] == '.')
      continue;
    for (int side = 0; side < 2; side++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s/%s", SHARED_ALIGN_DIR, de->d_name,
               side ? "en.txt" : "ko.txt");
      ieum_buf b = IEUM_BUF_INIT;
      int rc = ieum_text_load(&b, path, NULL);
      if (rc == IEUM_ENOTFOUND)
        continue;
      files++;
      if (rc == IEUM_OK)
        loaded++;
      else
        diag("does not load: %s", last_message());
      if (rc == IEUM_OK && side == 0 && b.size) {
        size_t n = 0;
        char *e = encode("windows-949", b.ptr, &n);
        if (!e)
          unmappable++;
        else {
          ieum_buf c = IEUM_BUF_INIT;
          ko++;
          if (ieum_text_decode(&c, e, n, path, NULL) == IEUM_OK && c.size == b.size &&
              memcmp(c.ptr, b.ptr, b.size) == 0)
            detected++;
          else
            diag("not detected as CP949: %s: %s", path, last_message());
          ieum_buf_dispose(&c);
          free(e);
        }
      }
      ieum_buf_dispose(&b);
    }
  }
  closedir(dir);
  diag("shared: %d of %d files load; %d of %d Korean files re-encoded as CP949 are detected "
       "(%d have characters outside CP949)", loaded, files, detected, ko, unmappable);
  is_int(loaded, files, "every shared article loads");
  is_int(detected, ko, "every shared Korean article re-encoded as CP949 is detected");
}

int main(void)
{
  test_formats_text__utf8();
  test_formats_text__utf16_utf32();
  test_formats_text__euckr();
  test_formats_text__cp949_detect();
  test_formats_text__invalid_utf8();
  test_formats_text__mojibake();
  test_formats_text__read();
  test_formats_text__binary();
  test_formats_text__binary_kinds();
  test_formats_text__lines();
  test_formats_text__nfc();
  test_formats_text__files();
  test_formats_text__appends();
  test_formats_text__line_limit();
  test_formats_text__blank();
  test_formats_text__oom();
  test_formats_text__shared();
  return done_testing();
}
