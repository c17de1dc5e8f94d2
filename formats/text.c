/*
** formats/text.c: bytes in, clean text out (detect, decode, validate, NFC).
**
** The one place where input bytes become text.  ieum_text_load() reads a
** file (or standard input) under a hard size cap; ieum_text_decode() then
** runs one pipeline over the bytes:
**   1. the encoding: a BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE), else the
**      caller's ICU converter name, else an ISO-2022-KR designator
**      (ESC $ ) C), else UTF-8 when the bytes validate, else legacy Korean:
**      when ICU's charset detector (ucsdet) lists EUC-KR and ranks no
**      Chinese or Japanese encoding above it, the bytes are converted as CP949
**      (windows-949, a superset of EUC-KR) and kept only when that succeeds
**      and the result is plausible Korean text (see PLAUSIBLE_PERCENT);
**   2. binary detection, skipped for UTF-16/32: a NUL byte anywhere, or too
**      many C0 control bytes in the first BINARY_SAMPLE_BYTES;
**   3. conversion to UTF-8 with ucnv_convertEx() and STOP callbacks, so the
**      first invalid sequence is an error naming its byte offset; UTF-8 is
**      only validated (ieum__utf8_invalid_at), never run through ICU;
**   4. mojibake: text that decoded but is not what was written is refused
**      with the byte offset where it starts: C1 control characters, UTF-8
**      that went through Latin-1/Windows-1252 (MOJIBAKE_MIN_SEQUENCES
**      sequences like "Ã©" or "ì\u0095\u009c"), legacy multi-byte text
**      read as a single-byte encoding (MOJIBAKE_LATIN1_RUN), and text that is not Korean
**      after a caller-named Korean encoding (the CP949 plausibility rule);
**   5. the BOM (a leading U+FEFF) is dropped, line ends are normalized in
**      place (CRLF, CR, U+2028, U+2029 -> LF) while checking that no line
**      exceeds IEUM_TEXT_MAX_LINE bytes (html.c, for which a line means
**      nothing, decodes through ieum_text__decode() with no limit), and the text is NFC-normalized
**      (ieum__icu_nfc) into the caller's buffer, unless UAX #15's quick
**      check, run on the UTF-8 itself, says it is NFC already (most text).
** Cost: linear in the input; memory is a small constant factor of it (the
** input, one UTF-8 working copy, and the UTF-16 copies made by the NFC
** step, when it runs), never a per-line allocation.  Measured (50 MB of
** Korean news, -O2): UTF-8 ~140 MB/s before the NFC quick check (5.3 MB
** of Korean and English news, -O3: 82 -> 170 MB/s with it), CP949
** detected and converted ~60 MB/s; peak memory
** about twice the input on top of the input itself.  The result is appended
** to the caller's buffer (normally empty); on failure that buffer is left
** as it was.  Offsets in messages are byte offsets in the input as given
** (a BOM counts); the line limit is checked before NFC.
** Web pages go through ieum_text__decode_page() instead, which never
** refuses bytes a browser would show: valid UTF-8 wins over a declared
** charset and is not checked for mojibake, a declared charset that fails
** falls back to detection, and the last resort substitutes U+FFFD.
** Assumptions: legacy encodings other than Korean ones must be named by the
** caller; the control-byte test assumes an ASCII-compatible encoding.
** Not here: HTML (html.c), sentence segmentation (align/segment.c).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/utypes.h>

#include "text_int.h"
#include "util.h"

/*
** Binary detection looks at this many leading bytes for C0 control bytes
** (other than \t \n \v \f \r, and ESC SO SI in ISO-2022 text).  8 KiB is
** what grep and git look at; it is enough to see a binary header.
*/
#define BINARY_SAMPLE_BYTES 8192
/*
** More control bytes than this percentage of the sample (rounded down) make
** the input binary.  So any control byte in an input under 100 bytes, more
** than 81 in 8 KiB: a stray ^Z or ^H in a long article is tolerated, a
** binary header is not.
*/
#define BINARY_CONTROL_PERCENT 1
/*
** ICU's detector reads this many leading bytes.  Its statistics settle
** after a few hundred characters; 64 KiB keeps detection cheap on big files.
*/
#define DETECT_SAMPLE_BYTES 65536
/*
** A CP949 decoding is kept only when at least PLAUSIBLE_PERCENT of its code
** points are ASCII, Hangul, Hanja or common punctuation, and Hangul makes
** at least HANGUL_PERCENT of the code points outside ASCII and punctuation.
** Korean news prose has a few percent Hanja at most; text in another legacy
** encoding (GBK, Big5, Shift_JIS) that happens to convert as CP949 lands
** mostly on Hanja and rare symbols, and fails one of the two tests.
*/
#define PLAUSIBLE_PERCENT 95
#define HANGUL_PERCENT 60
/*
** Double-encoded UTF-8 ("Ã©" for "é", "ì\u0095\u009c" for "한") is refused
** from this many sequences on.  One such pair can be legitimate (a letter
** before a symbol, as in a name or a unit); a Korean text that went through
** Latin-1 has one per syllable, a European one one per accented letter.
*/
#define MOJIBAKE_MIN_SEQUENCES 3
/*
** ... and when at least this share of the would-be lead characters (Â..ô)
** complete such a sequence: in double-encoded UTF-8 every one does; in
** EUC-KR read as Latin-1 most trail bytes fall outside 0x80..0xBF.
*/
#define MOJIBAKE_SEQUENCE_PERCENT 80
/*
** A run of this many Latin-1 letters and signs (U+00A1..U+00FF) is legacy
** multi-byte text (EUC-KR, Shift_JIS, GBK) decoded as a single-byte
** encoding: "Á¦ÁÖ" for "제주".  European words alternate accented letters
** with ASCII ones; four in a row do not occur in any language's spelling.
*/
#define MOJIBAKE_LATIN1_RUN 4
/*
** ZIP member names that say what a document is are looked for in this many
** bytes at each end of the file (the first local headers and the central
** directory): 64 KiB holds the directory of any document.
*/
#define ZIP_SCAN_BYTES 65536
/*
** UTF-16 without a BOM is only named from this many NUL bytes (ASCII
** characters) on: a few bytes with one NUL say nothing of a byte order.
*/
#define WIDE_MIN_NULS 4
/* UTF-16 units of the pivot buffer ucnv_convertEx() goes through. */
#define PIVOT_UNITS 4096
/* Bytes read at a time from a pipe or from a file of unknown size. */
#define READ_CHUNK_BYTES ((size_t)64 << 10)

/* Where the encoding came from: decides the messages and the checks. */
typedef enum { FROM_BOM, FROM_CALLER, FROM_ISO2022, FROM_UTF8, FROM_DETECTOR } enc_source;

typedef struct {
  const char *name;    /* for messages: the path or name as given */
  const char *data;    /* the input */
  size_t len;          /* bytes */
  size_t start;        /* bytes of BOM to skip */
  const char *enc;     /* ICU converter name; NULL = UTF-8 (validated, not converted) */
  const char *label;   /* encoding as named in messages */
  UConverterType type; /* of `enc`, UCNV_UTF8 when enc is NULL */
  enc_source source;
  bool substitute;     /* invalid sequences become U+FFFD instead of failing (a page's last resort) */
} decoder;

/* How decode() treats what does not fit (ieum_text__decode_page()'s fallbacks). */
enum {
  DECODE_NO_MOJIBAKE = 1,
  DECODE_SUBSTITUTE = 2,
  DECODE_VALID_UTF8 = 4, /* validated by the caller */
  DECODE_NO_NFC = 8      /* the caller normalizes what it keeps (html.c: the article text and metadata) */
};

static size_t max_size(const ieum_text_options *opts)
{
  return opts && opts->max_size ? opts->max_size : IEUM_TEXT_MAX_SIZE;
}

static int too_large(const char *name, size_t cap)
{
  return ieum__error_set(IEUM_ELIMIT, "%s: file too large (more than %zu bytes)", name, cap);
}

/* ---- encoding from a BOM -------------------------------------------------- */

/* Sets d->enc/label/start from a BOM; false when there is none. */
static bool sniff_bom(decoder *d)
{
  const unsigned char *b = (const unsigned char *)d->data;
  size_t n = d->len;
  /* UTF-32LE first: its BOM starts with the UTF-16LE one. */
  if (n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) {
    d->enc = d->label = "UTF-32LE";
    d->type = UCNV_UTF32_LittleEndian;
    d->start = 4;
  } else if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) {
    d->enc = d->label = "UTF-32BE";
    d->type = UCNV_UTF32_BigEndian;
    d->start = 4;
  } else if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    d->enc = NULL;
    d->label = "UTF-8";
    d->type = UCNV_UTF8;
    d->start = 3;
  } else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
    d->enc = d->label = "UTF-16LE";
    d->type = UCNV_UTF16_LittleEndian;
    d->start = 2;
  } else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
    d->enc = d->label = "UTF-16BE";
    d->type = UCNV_UTF16_BigEndian;
    d->start = 2;
  } else
    return false;
  d->source = FROM_BOM;
  return true;
}

/* ---- encoding named by the caller ---------------------------------------- */

static int caller_encoding(decoder *d, const char *enc)
{
  UErrorCode st = U_ZERO_ERROR;
  /* ucnv_open("") opens the platform default: not what anyone means. */
  UConverter *cnv = enc[0] ? ucnv_open(enc, &st) : NULL;
  if (!cnv || U_FAILURE(st)) {
    if (cnv)
      ucnv_close(cnv);
    return ieum__error_set(IEUM_EINVAL, "%s: unknown encoding '%s'", d->name, enc);
  }
  d->type = ucnv_getType(cnv);
  ucnv_close(cnv);
  d->enc = d->type == UCNV_UTF8 ? NULL : enc;
  d->label = enc;
  d->source = FROM_CALLER;
  return IEUM_OK;
}

static bool is_wide(UConverterType t)
{
  return t == UCNV_UTF16_BigEndian || t == UCNV_UTF16_LittleEndian || t == UCNV_UTF16 ||
         t == UCNV_UTF32_BigEndian || t == UCNV_UTF32_LittleEndian || t == UCNV_UTF32;
}

/* ---- binary detection ----------------------------------------------------- */

/* The ISO-2022-KR designator (RFC 1557), sent once before any Korean. */
static bool has_iso2022kr_designator(const char *s, size_t len)
{
  static const char designator[] = "\x1b$)C";
  size_t n = len < BINARY_SAMPLE_BYTES ? len : BINARY_SAMPLE_BYTES;
  return n >= 4 && memmem(s, n, designator, 4) != NULL;
}

/* ---- what a binary file is ------------------------------------------------- */

/*
** Binary input is named by its content, so that the message says what the
** file is and what to do: people give ieum a Word, PDF or HWP file, or
** UTF-16 text without a BOM (what some Windows editors write), and "binary
** file (NUL byte at offset 2)" tells them neither.  Three small tables:
** magic bytes at a fixed offset (file(1)'s first tests), the member names
** that tell the documents stored as ZIP files apart, and the NUL pattern
** of UTF-16 and UTF-32 text.  Only looked at once the input is known to be
** binary (except text_like[]): a text file that happens to start with "MZ"
** or "BZh" is not affected.
*/
typedef struct {
  size_t offset;     /* where the magic bytes start */
  const char *magic; /* the bytes (may hold NULs: see len) */
  size_t len;
  const char *what;  /* the message after "<file>: " */
} signature;

static const signature signatures[] = {
  { 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8,
    "an OLE2 compound file (an old Word, Excel or PowerPoint file, or a Hangul .hwp): "
    "save it as text or HTML" },
  { 0, "\x89PNG\r\n\x1A\n", 8, "a PNG image, not text" },
  { 0, "\xFF\xD8\xFF", 3, "a JPEG image, not text" },
  { 0, "GIF87a", 6, "a GIF image, not text" },
  { 0, "GIF89a", 6, "a GIF image, not text" },
  { 0, "II*\0", 4, "a TIFF image, not text" },
  { 0, "MM\0*", 4, "a TIFF image, not text" },
  { 0, "RIFF", 4, "a RIFF file (WebP, WAV or AVI), not text" },
  { 4, "ftyp", 4, "an MP4, QuickTime or HEIF media file, not text" },
  { 0, "\x1F\x8B", 2, "a gzip-compressed file: decompress it first" },
  { 0, "BZh", 3, "a bzip2-compressed file: decompress it first" },
  { 0, "\xFD" "7zXZ\0", 6, "an xz-compressed file: decompress it first" },
  { 0, "\x28\xB5\x2F\xFD", 4, "a zstd-compressed file: decompress it first" },
  { 0, "7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive: extract the text files from it first" },
  { 0, "Rar!\x1A\x07", 6, "a RAR archive: extract the text files from it first" },
  { 257, "ustar", 5, "a tar archive: extract the text files from it first" },
  { 0, "SQLite format 3\0", 16, "an SQLite database (a TM?), not text" },
  { 0, "\x7F" "ELF", 4, "an ELF executable or library, not text" },
  { 0, "MZ", 2, "a Windows executable or library, not text" },
  { 0, "\xCA\xFE\xBA\xBE", 4, "a Java class file or Mach-O executable, not text" },
  { 0, "\0asm", 4, "a WebAssembly module, not text" },
};

/* Formats that can be 7-bit text (RTF always is, PDF may be), recognized
   before the binary test: no text file starts like them. */
static const signature text_like[] = {
  { 0, "{\\rtf", 5, "an RTF document: save it as plain text or HTML" },
  { 0, "%PDF-", 5, "a PDF document: save or export its text as a text file" },
};

/*
** Documents stored as ZIP files, by a member name (or, for OpenDocument,
** EPUB and HWPX, the uncompressed "mimetype" member that comes first).
** Names are searched in the first and last ZIP_SCAN_BYTES of the file:
** the first local headers and the central directory at the end.  The
** OpenDocument types come first: their names are the more specific.
*/
static const struct {
  const char *member;
  const char *what;
} zip_kinds[] = {
  { "mimetypeapplication/vnd.oasis.opendocument.text",
    "an OpenDocument text (.odt): save it as text or HTML" },
  { "mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
    "an OpenDocument spreadsheet (.ods): export it as CSV or text" },
  { "mimetypeapplication/vnd.oasis.opendocument.presentation",
    "an OpenDocument presentation (.odp): save its text as a text file" },
  { "mimetypeapplication/epub+zip", "an EPUB e-book: save its chapters as text or HTML" },
  { "mimetypeapplication/hwp+zip", "a Hangul document (.hwpx): save it as text or HTML" },
  { "word/document.xml", "a Word document: save it as text or HTML" },
  { "xl/workbook.xml", "an Excel workbook: export it as CSV or text" },
  { "ppt/presentation.xml", "a PowerPoint presentation: save its text as a text file" },
};
static const char zip_magic[] = "PK\x03\x04";
static const char zip_other[] = "a ZIP archive: extract the text files from it first";

static bool has_signature(const signature *g, const unsigned char *s, size_t len)
{
  return len >= g->offset + g->len && memcmp(s + g->offset, g->magic, g->len) == 0;
}

static const char *zip_kind(const char *s, size_t len)
{
  size_t head = len < ZIP_SCAN_BYTES ? len : ZIP_SCAN_BYTES;
  size_t tail = len - head < ZIP_SCAN_BYTES ? len - head : ZIP_SCAN_BYTES;
  for (size_t k = 0; k < sizeof zip_kinds / sizeof *zip_kinds; k++) {
    size_t n = strlen(zip_kinds[k].member);
    if (memmem(s, head, zip_kinds[k].member, n) || memmem(s + len - tail, tail, zip_kinds[k].member, n))
      return zip_kinds[k].what;
  }
  return zip_other;
}

/*
** UTF-16 or UTF-32 text without a BOM, by where the NUL bytes are in the
** first BINARY_SAMPLE_BYTES: ASCII characters (spaces, digits and
** punctuation, even in Korean text) have a zero high byte, so UTF-16LE text
** has most of its NULs at odd offsets and UTF-16BE at even ones (a few
** fall on the other side: U+AC00 '가' is AC 00), and every unit read in
** that order is a character, not U+0000 or a C0 control; binary data
** fails that.  UTF-32 is tried
** first (its text has NULs at both parities): every 4-byte unit in one
** byte order is a code point that is not a control.  NULL when neither.
*/
static bool text_unit(uint32_t c)
{
  return (c >= 0x20 && (c < 0xD800 || c > 0xDFFF) && c <= 0x10FFFF) ||
         (c >= '\t' && c <= '\r');
}

static const char *wide_kind(const unsigned char *s, size_t len)
{
  size_t n = len < BINARY_SAMPLE_BYTES ? len : BINARY_SAMPLE_BYTES;
  bool le32 = n >= 4, be32 = n >= 4, le16 = n >= 2, be16 = n >= 2;
  size_t even = 0, odd = 0; /* NUL bytes at even and odd offsets */
  for (size_t i = 0; i + 4 <= n && (le32 || be32); i += 4) {
    le32 = le32 && text_unit((uint32_t)s[i] | (uint32_t)s[i + 1] << 8 | (uint32_t)s[i + 2] << 16 |
                             (uint32_t)s[i + 3] << 24);
    be32 = be32 && text_unit((uint32_t)s[i + 3] | (uint32_t)s[i + 2] << 8 |
                             (uint32_t)s[i + 1] << 16 | (uint32_t)s[i] << 24);
  }
  if (le32)
    return "UTF-32 text without a byte-order mark: give --encoding UTF-32LE";
  if (be32)
    return "UTF-32 text without a byte-order mark: give --encoding UTF-32BE";
  /* Surrogates are fine here (pairs are not checked): only C0 controls
     and U+0000 rule a byte order out. */
  for (size_t i = 0; i + 2 <= n && (le16 || be16); i += 2) {
    uint32_t lo = s[i], hi = s[i + 1];
    le16 = le16 && (hi != 0 || text_unit(lo));
    be16 = be16 && (lo != 0 || text_unit(hi));
    even += lo == 0;
    odd += hi == 0;
  }
  if (le16 && odd >= WIDE_MIN_NULS && odd > 2 * even)
    return "UTF-16 text without a byte-order mark: give --encoding UTF-16LE";
  if (be16 && even >= WIDE_MIN_NULS && even > 2 * odd)
    return "UTF-16 text without a byte-order mark: give --encoding UTF-16BE";
  return NULL;
}

/* What the binary input `s[0..len)` is, as a message; NULL when unknown. */
static const char *binary_kind(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  if (len >= 4 && memcmp(s, zip_magic, 4) == 0)
    return zip_kind(s, len);
  for (size_t k = 0; k < sizeof signatures / sizeof *signatures; k++)
    if (has_signature(&signatures[k], u, len))
      return signatures[k].what;
  return wide_kind(u, len);
}

static int check_binary(const decoder *d)
{
  const unsigned char *s = (const unsigned char *)d->data;
  for (size_t k = 0; k < sizeof text_like / sizeof *text_like; k++)
    if (has_signature(&text_like[k], s, d->len))
      return ieum__error_set(IEUM_EENCODING, "%s: %s", d->name, text_like[k].what);
  const unsigned char *nul = memchr(s, 0, d->len);
  const char *kind = NULL;
  if (nul && (kind = binary_kind(d->data, d->len)) != NULL)
    return ieum__error_set(IEUM_EENCODING, "%s: %s", d->name, kind);
  if (nul)
    return ieum__error_set(IEUM_EENCODING, "%s: binary file (NUL byte at offset %zu)", d->name,
                           (size_t)(nul - s));
  bool iso2022 = d->type == UCNV_ISO_2022;
  size_t n = d->len < BINARY_SAMPLE_BYTES ? d->len : BINARY_SAMPLE_BYTES;
  size_t controls = 0, first = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c >= 0x20 || (c >= '\t' && c <= '\r'))
      continue;
    if (iso2022 && (c == 0x1B || c == 0x0E || c == 0x0F))
      continue;
    if (controls++ == 0)
      first = i;
  }
  if (controls > n * BINARY_CONTROL_PERCENT / 100 && (kind = binary_kind(d->data, d->len)) != NULL)
    return ieum__error_set(IEUM_EENCODING, "%s: %s", d->name, kind);
  if (controls > n * BINARY_CONTROL_PERCENT / 100)
    return ieum__error_set(IEUM_EENCODING, "%s: binary file (control byte 0x%02X at offset %zu)",
                           d->name, s[first], first);
  return IEUM_OK;
}

/* For UTF-16/32 input: the offset of the first U+0000 unit, or len. */
static size_t nul_unit_at(const decoder *d)
{
  size_t unit = (d->type == UCNV_UTF32_BigEndian || d->type == UCNV_UTF32_LittleEndian ||
                 d->type == UCNV_UTF32) ? 4 : 2;
  const char *s = d->data;
  for (size_t i = d->start; i + unit <= d->len; i += unit) {
    size_t k = 0;
    while (k < unit && s[i + k] == 0)
      k++;
    if (k == unit)
      return i;
  }
  return d->len;
}

/* ---- conversion ------------------------------------------------------------ */

/*
** Converts d->data[d->start..len) from d->enc to UTF-8, appended to `text`.
** On invalid input, *bad gets the offset of the offending bytes and the
** return is IEUM_EENCODING with no message recorded (the caller words it).
*/
static int convert(ieum_buf *text, size_t *bad, const decoder *d)
{
  int rc = IEUM_OK;
  UErrorCode st = U_ZERO_ERROR;
  UConverter *src = NULL, *utf8 = NULL;
  UChar pivot[PIVOT_UNITS];
  UChar *pivot_src = pivot, *pivot_tgt = pivot;
  const char *s = d->data + d->start, *slim = d->data + d->len;
  UBool reset = true;

  src = ucnv_open(d->enc, &st);
  if (U_SUCCESS(st))
    utf8 = ucnv_open("UTF-8", &st);
  if (U_SUCCESS(st))
    ucnv_setToUCallBack(src, d->substitute ? UCNV_TO_U_CALLBACK_SUBSTITUTE : UCNV_TO_U_CALLBACK_STOP, NULL,
                        NULL, NULL, &st);
  if (U_SUCCESS(st))
    ucnv_setFromUCallBack(utf8, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  if (U_FAILURE(st)) {
    rc = ieum__error_set(IEUM_ERROR, "%s: ICU %s(): %s", d->name, "ucnv_open", u_errorName(st));
    goto done;
  }
  /* Every supported encoding takes at most 1.5 UTF-8 bytes per input byte
     for Korean text (2 -> 3); the loop below grows the buffer if not. */
  size_t want = d->len - d->start;
  rc = ieum__buf_grow(text, want + want / 2 + 16);
  if (rc)
    goto done;
  for (;;) {
    char *t = text->ptr + text->size, *tlim = text->ptr + text->asize - 1;
    st = U_ZERO_ERROR;
    ucnv_convertEx(utf8, src, &t, tlim, &s, slim, pivot, &pivot_src, &pivot_tgt,
                   pivot + PIVOT_UNITS, reset, true, &st);
    reset = false;
    text->size = (size_t)(t - text->ptr);
    text->ptr[text->size] = '\0';
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      rc = ieum__buf_grow(text, text->asize / 2 + 16);
      if (rc)
        goto done;
      continue;
    }
    if (U_FAILURE(st)) {
      /* The source pointer is past the bad sequence, which the converter
         keeps: step back over it to name its first byte. */
      char badbytes[32];
      int8_t nbad = (int8_t)sizeof badbytes;
      UErrorCode st2 = U_ZERO_ERROR;
      ucnv_getInvalidChars(src, badbytes, &nbad, &st2);
      size_t at = (size_t)(s - d->data);
      if (U_SUCCESS(st2) && nbad > 0 && (size_t)nbad <= at - d->start)
        at -= (size_t)nbad;
      *bad = at;
      rc = IEUM_EENCODING;
      goto done;
    }
    break;
  }

done:
  if (src)
    ucnv_close(src);
  if (utf8)
    ucnv_close(utf8);
  return rc;
}

/* ---- legacy Korean detection ------------------------------------------------ */

/*
** Does ICU's charset detector take the bytes for Korean?  It lists nearly
** every multi-byte encoding with a floor confidence (10) for any high-bit
** text, so "EUC-KR is listed" means little; what separates Korean from
** Chinese or Japanese is its character-frequency score.  The answer is yes
** when a Korean encoding is listed and no other CJK multi-byte encoding
** scores higher (GB2312 text converts cleanly as CP949, into nonsense
** Hangul, so the plausibility test alone cannot tell).  Single-byte
** candidates are ignored: the CP949 conversion and plausible_korean() rule
** those out.
*/
static int detector_says_korean(bool *out, const decoder *d)
{
  static const char *const korean[] = { "EUC-KR", "ISO-2022-KR", "windows-949" };
  static const char *const cjk[] = { "GB18030", "Big5", "Shift_JIS", "EUC-JP", "ISO-2022-CN",
                                     "ISO-2022-JP" };
  int rc = IEUM_OK;
  UErrorCode st = U_ZERO_ERROR;
  UCharsetDetector *det = ucsdet_open(&st);
  int32_t n = 0, best_korean = 0, best_cjk = 0;
  *out = false;
  if (U_FAILURE(st)) {
    rc = ieum__error_set(IEUM_ERROR, "%s: ICU %s(): %s", d->name, "ucsdet_open", u_errorName(st));
    goto done;
  }
  size_t sample = d->len < DETECT_SAMPLE_BYTES ? d->len : DETECT_SAMPLE_BYTES;
  ucsdet_setText(det, d->data, (int32_t)sample, &st);
  const UCharsetMatch **m = ucsdet_detectAll(det, &n, &st);
  if (st == U_INVALID_CHAR_FOUND) /* ICU's way to say "no candidate at all" */
    goto done;
  if (st == U_MEMORY_ALLOCATION_ERROR) {
    rc = ieum__error_oom();
    goto done;
  }
  if (U_FAILURE(st)) {
    rc = ieum__error_set(IEUM_ERROR, "%s: ICU %s(): %s", d->name, "ucsdet_detectAll",
                         u_errorName(st));
    goto done;
  }
  for (int32_t i = 0; i < n; i++) {
    const char *name = ucsdet_getName(m[i], &st);
    int32_t conf = ucsdet_getConfidence(m[i], &st);
    if (U_FAILURE(st) || !name)
      break;
    for (size_t k = 0; k < sizeof korean / sizeof *korean; k++)
      if (strcmp(name, korean[k]) == 0 && conf > best_korean)
        best_korean = conf;
    for (size_t k = 0; k < sizeof cjk / sizeof *cjk; k++)
      if (strcmp(name, cjk[k]) == 0 && conf > best_cjk)
        best_cjk = conf;
  }
  *out = best_korean > 0 && best_korean >= best_cjk;

done:
  if (det)
    ucsdet_close(det);
  return rc;
}

static bool is_hangul(int32_t c)
{
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3130 && c <= 0x318F);
}

static bool is_hanja(int32_t c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}

/* Punctuation and symbols common in Korean prose: Latin-1 signs (·, °),
   general punctuation (“ ” …), letterlike and arrows, CJK punctuation
   (「 」 、 。), circled and parenthesized Hangul, full-width forms. */
static bool is_common_punct(int32_t c)
{
  return (c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x21FF) ||
         (c >= 0x2460 && c <= 0x24FF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0x3200 && c <= 0x32FF) || (c >= 0xFF00 && c <= 0xFFEF);
}

/* The rule of PLAUSIBLE_PERCENT and HANGUL_PERCENT over valid UTF-8. */
static bool plausible_korean(const char *s, size_t len)
{
  size_t total = 0, good = 0, hangul = 0, other = 0;
  for (size_t i = 0; i < len;) {
    int32_t c = ieum__utf8_next(s, len, &i);
    total++;
    if (c < 0x80 || is_common_punct(c)) {
      good++;
      continue;
    }
    other++;
    if (is_hangul(c)) {
      hangul++;
      good++;
    } else if (is_hanja(c))
      good++;
  }
  return total > 0 && good * 100 >= total * PLAUSIBLE_PERCENT &&
         hangul * 100 >= other * HANGUL_PERCENT;
}

/* ---- mojibake ------------------------------------------------------------------ */

/*
** The byte a Windows-1252 (or Latin-1) decoder turned into `c`, when that
** byte is a UTF-8 continuation byte (0x80..0xBF); -1 otherwise.
*/
static int continuation_byte(int32_t c)
{
  static const uint16_t cp1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
  };
  if (c >= 0x80 && c <= 0xBF)
    return (int)c;
  for (int k = 0; k < 32; k++)
    if (cp1252[k] == c)
      return 0x80 + k;
  return -1;
}

/* Continuation bytes a UTF-8 lead byte wants (0 when `b` is no lead byte). */
static int utf8_trail(int32_t b)
{
  return b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
}

static bool is_korean_encoding(const char *enc)
{
  static const char *const names[] = { "EUC-KR", "CP949", "windows-949", "MS949", "UHC",
                                       "KS_C_5601-1987", "KSC5601", "ISO-2022-KR", "ibm-949",
                                       "ibm-970", "x-windows-949" };
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (ucnv_compareNames(enc, names[k]) == 0)
      return true;
  return false;
}

/*
** Looks for mojibake in the decoded UTF-8 `s[0..len)`.  Returns false when
** there is none; else *at gets the offset in `s` where it starts and *what
** a short description.
*/
static bool find_mojibake(size_t *at, const char **what, const char *s, size_t len, const decoder *d)
{
  static char c1[48];
  size_t first = len, seqs = 0, leads = 0, run = 0, run_start = 0, c1_at = len, run_at = len;
  int32_t c1_char = 0;
  /* Each sign the loop looks for is a code point U+0080..U+00FF, whose UTF-8
     starts with 0xC2 or 0xC3: text without those bytes (most) skips it. */
  bool latin1 = len > 0 && (memchr(s, 0xC2, len) || memchr(s, 0xC3, len));
  for (size_t i = 0; latin1 && i < len;) {
    size_t here = i;
    int32_t c = ieum__utf8_next(s, len, &i);
    if (c >= 0xA1 && c <= 0xFF) {
      if (run++ == 0)
        run_start = here;
      if (run == MOJIBAKE_LATIN1_RUN && run_at == len)
        run_at = run_start;
    } else
      run = 0;
    if (c >= 0x80 && c <= 0x9F && c1_at == len) {
      c1_at = here;
      c1_char = c;
    }
    int need = c <= 0xFF ? utf8_trail(c) : 0;
    if (!need)
      continue;
    leads++;
    size_t j = i;
    int got = 0;
    while (got < need && j < len && continuation_byte(ieum__utf8_next(s, len, &j)) >= 0)
      got++;
    if (got == need && seqs++ == 0)
      first = here;
  }
  /* The most specific diagnosis first. */
  if (seqs >= MOJIBAKE_MIN_SEQUENCES && seqs * 100 >= leads * MOJIBAKE_SEQUENCE_PERCENT) {
    *at = first;
    *what = "UTF-8 text decoded as Latin-1 or Windows-1252";
    return true;
  }
  if (c1_at < len) {
    *at = c1_at;
    snprintf(c1, sizeof c1, "control character U+%04X", (unsigned)c1_char);
    *what = c1;
    return true;
  }
  if (run_at < len) {
    *at = run_at;
    *what = "legacy multi-byte text decoded as a single-byte encoding";
    return true;
  }
  if (d->source == FROM_CALLER && d->enc && is_korean_encoding(d->enc)) {
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
      i++;
    if (i < len && !plausible_korean(s, len)) {
      *at = i;
      *what = "the text is not Korean";
      return true;
    }
  }
  return false;
}

/*
** The offset in the input of the character that starts at `at` in the
** decoded text: the decoded prefix re-encoded (for UTF-8 input, `at`
** itself plus the BOM).  Falls back to the decoded offset when ICU fails.
*/
static size_t input_offset(const decoder *d, const char *text, size_t at)
{
  if (!d->enc)
    return d->start + at;
  size_t result = d->start + at;
  uint16_t *u = NULL;
  int32_t ulen = 0;
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cnv = NULL;
  if (ieum__icu_to_u16(&u, &ulen, text, at) != IEUM_OK) {
    ieum__error_clear();
    return result;
  }
  cnv = ucnv_open(d->enc, &st);
  if (U_SUCCESS(st)) {
    int32_t n = ucnv_fromUChars(cnv, NULL, 0, (const UChar *)u, ulen, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(st))
      result = d->start + (size_t)n;
  }
  if (cnv)
    ucnv_close(cnv);
  ieum__free(u);
  return result;
}

/* ---- line ends ---------------------------------------------------------------- */

/*
** Rewrites CRLF, CR, U+2028 and U+2029 as LF in place (the text only
** shrinks) and checks the length of every line against `max_line` bytes
** (0 = no limit).
*/
static int normalize_lines(ieum_buf *text, const char *name, size_t max_line)
{
  if (max_line == 0)
    max_line = SIZE_MAX;
  unsigned char *p = (unsigned char *)text->ptr;
  size_t n = text->size, r = 0, w = 0, line = 1, line_start = 0;
  /* Most text has LF line ends only: then the lines are only measured, a memchr() at a time. */
  if (n > 0 && p && !memchr(p, '\r', n) && !memmem(p, n, "\xE2\x80\xA8", 3) && !memmem(p, n, "\xE2\x80\xA9", 3)) {
    for (;;) {
      const unsigned char *nl = memchr(p + line_start, '\n', n - line_start);
      size_t end = nl ? (size_t)(nl - p) : n;
      if (end - line_start > max_line)
        return ieum__error_set(IEUM_ELIMIT, "%s: line %zu is longer than %zu bytes", name, line,
                               max_line);
      if (!nl)
        return IEUM_OK;
      line_start = end + 1;
      line++;
    }
  }
  while (r <= n) {
    bool end = r == n;
    if (!end) {
      unsigned char c = p[r];
      if (c == '\n')
        r++;
      else if (c == '\r')
        r += r + 1 < n && p[r + 1] == '\n' ? 2 : 1;
      else if (c == 0xE2 && r + 2 < n && p[r + 1] == 0x80 && (p[r + 2] == 0xA8 || p[r + 2] == 0xA9))
        r += 3;
      else {
        p[w++] = p[r++];
        continue;
      }
    }
    if (w - line_start > max_line)
      return ieum__error_set(IEUM_ELIMIT, "%s: line %zu is longer than %zu bytes", name, line,
                             max_line);
    if (end)
      break;
    p[w++] = '\n';
    line_start = w;
    line++;
  }
  text->size = w;
  if (text->ptr)
    text->ptr[w] = '\0';
  return IEUM_OK;
}

/* ---- NFC ------------------------------------------------------------------------ */

/*
** Is the valid UTF-8 s[0..len) in NFC already, by the quick check of UAX
** #15: every code point has NFC_Quick_Check=Yes and the nonzero canonical
** combining classes never decrease.  ASCII and precomposed Hangul
** syllables (U+AC00..U+D7A3) pass by definition and are not looked up, so
** Korean and English text is checked without the UTF-16 copy that ICU's
** normalizer needs.  A false answer only means "normalize to find out".
*/
static bool nfc_quick_yes(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  uint8_t last = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = u[i];
    if (c < 0x80) {
      i++;
      last = 0;
      continue;
    }
    if (c >= 0xEA && c <= 0xED && i + 2 < len) {
      int32_t cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F);
      if (cp >= 0xAC00 && cp <= 0xD7A3) {
        i += 3;
        last = 0;
        continue;
      }
    }
    int32_t cp = ieum__utf8_next(s, len, &i);
    if (u_getIntPropertyValue(cp, UCHAR_NFC_QUICK_CHECK) != UNORM_YES)
      return false;
    uint8_t ccc = u_getCombiningClass(cp);
    if (ccc != 0 && last > ccc)
      return false;
    last = ccc;
  }
  return true;
}

/* ---- the pipeline ---------------------------------------------------------------- */

int ieum_text_decode(ieum_buf *out, const char *data, size_t len, const char *name,
                     const ieum_text_options *opts)
{
  return ieum_text__decode(out, data, len, name, opts, IEUM_TEXT_MAX_LINE);
}

static int decode(ieum_buf *out, const char *data, size_t len, const char *name, const ieum_text_options *opts,
                  size_t max_line, unsigned flags)
{
  int rc = IEUM_OK;
  size_t out_size0 = out->size;
  ieum_buf text = IEUM_BUF_INIT;
  decoder d = { name, data ? data : "", data ? len : 0, 0, NULL, "UTF-8", UCNV_UTF8, FROM_UTF8, false };
  size_t bad = 0;

  if (opts && opts->version != IEUM_TEXT_OPTIONS_VERSION) {
    rc = ieum__error_set(IEUM_EINVAL, "%s: unsupported ieum_text_options version %u", name,
                         opts->version);
    goto done;
  }
  if (d.len > max_size(opts)) {
    rc = too_large(name, max_size(opts));
    goto done;
  }

  /* 1. The encoding.  A BOM wins over detection; the caller's name wins
        over a BOM (a leading U+FEFF is dropped after conversion anyway). */
  if (opts && opts->encoding) {
    rc = caller_encoding(&d, opts->encoding);
    if (rc)
      goto done;
  } else if (!sniff_bom(&d) && has_iso2022kr_designator(d.data, d.len)) {
    d.enc = d.label = "ISO-2022-KR";
    d.type = UCNV_ISO_2022;
    d.source = FROM_ISO2022;
  }

  if (flags & DECODE_SUBSTITUTE) {
    d.substitute = true;
    if (!d.enc) /* UTF-8 goes through ICU too, to get its U+FFFDs */
      d.enc = "UTF-8";
  }

  /* 2. Binary content. */
  if (is_wide(d.type)) {
    size_t at = nul_unit_at(&d);
    if (at < d.len) {
      rc = ieum__error_set(IEUM_EENCODING, "%s: binary file (NUL character at offset %zu)", name,
                           at);
      goto done;
    }
  } else if ((rc = check_binary(&d)) != IEUM_OK)
    goto done;

  /* 3. Conversion to UTF-8. */
  if (!d.enc) {
    bad = flags & DECODE_VALID_UTF8 ? d.len : d.start + ieum__utf8_invalid_at(d.data + d.start, d.len - d.start);
    if (bad < d.len && d.source == FROM_UTF8) {
      bool korean = false;
      rc = detector_says_korean(&korean, &d);
      if (rc)
        goto done;
      if (korean) {
        decoder k = d;
        size_t kbad = 0;
        k.enc = k.label = "windows-949";
        k.type = UCNV_MBCS;
        k.source = FROM_DETECTOR;
        rc = convert(&text, &kbad, &k);
        if (rc && rc != IEUM_EENCODING)
          goto done;
        if (rc == IEUM_OK && plausible_korean(text.ptr, text.size))
          d = k;
        else
          ieum__buf_clear(&text);
        rc = IEUM_OK;
      }
      if (d.source != FROM_DETECTOR) {
        rc = ieum__error_set(IEUM_EENCODING,
                             "%s: invalid UTF-8 at byte %zu (and not EUC-KR/CP949 text; give the "
                             "encoding with --encoding)", name, bad);
        goto done;
      }
    } else if (bad < d.len) {
      rc = ieum__error_set(IEUM_EENCODING, "%s: invalid %s at byte %zu", name, d.label, bad);
      goto done;
    } else if ((rc = ieum__buf_put(&text, d.data + d.start, d.len - d.start)) != IEUM_OK)
      goto done;
  } else {
    rc = convert(&text, &bad, &d);
    if (rc == IEUM_EENCODING)
      rc = ieum__error_set(IEUM_EENCODING, "%s: invalid %s at byte %zu", name, d.label, bad);
    if (rc)
      goto done;
  }

  /* 4. Mojibake. */
  if (!(flags & DECODE_NO_MOJIBAKE)) {
    size_t at = 0;
    const char *what = NULL;
    if (find_mojibake(&at, &what, text.ptr, text.size, &d)) {
      size_t where = input_offset(&d, text.ptr, at);
      if (d.source == FROM_CALLER)
        rc = ieum__error_set(IEUM_EENCODING, "%s: mojibake at byte %zu: %s (decoded as %s; wrong "
                             "--encoding?)", name, where, what, d.label);
      else
        rc = ieum__error_set(IEUM_EENCODING, "%s: mojibake at byte %zu: %s (decoded as %s; give "
                             "the encoding with --encoding)", name, where, what, d.label);
      goto done;
    }
  }

  /* 5. BOM, paranoia, line ends, NFC. */
  if (text.size >= 3 && memcmp(text.ptr, "\xEF\xBB\xBF", 3) == 0) {
    memmove(text.ptr, text.ptr + 3, text.size - 3);
    text.size -= 3;
    text.ptr[text.size] = '\0';
  }
  if (d.substitute) /* a legacy converter substitutes U+001A (SUB), a control character: make it U+FFFD */
    for (char *sub; (sub = memchr(text.ptr ? text.ptr : "", 0x1A, text.size)) != NULL;) {
      size_t at = (size_t)(sub - text.ptr);
      if ((rc = ieum__buf_put(&text, "\xEF\xBF\xBD\xEF\xBF\xBD", 2)) != IEUM_OK) /* room for 2 bytes more */
        goto done;
      memmove(text.ptr + at + 3, text.ptr + at + 1, text.size - 2 - at - 1);
      memcpy(text.ptr + at, "\xEF\xBF\xBD", 3);
    }
  /* UTF-8 input was validated in step 3 and only copied since */
  bad = d.enc ? ieum__utf8_invalid_at(text.ptr, text.size) : text.size;
  if (bad < text.size) {
    rc = ieum__error_set(IEUM_EENCODING, "%s: decoding %s gave invalid UTF-8 at byte %zu", name,
                         d.label, bad);
    goto done;
  }
  rc = normalize_lines(&text, name, max_line);
  if (rc)
    goto done;
  if (text.size > INT32_MAX / 2) {
    rc = ieum__error_set(IEUM_ELIMIT, "%s: text too large to normalize (%zu bytes of UTF-8)", name,
                         text.size);
    goto done;
  }
  if (text.size)
    rc = (flags & DECODE_NO_NFC) || nfc_quick_yes(text.ptr, text.size) ? ieum__buf_put(out, text.ptr, text.size)
                                                                        : ieum__icu_nfc(out, text.ptr, text.size);

done:
  ieum_buf_dispose(&text);
  if (rc && out->ptr) {
    out->size = out_size0;
    out->ptr[out_size0] = '\0';
  }
  return rc;
}

int ieum_text__decode(ieum_buf *out, const char *data, size_t len, const char *name,
                      const ieum_text_options *opts, size_t max_line)
{
  return decode(out, data, len, name, opts, max_line, 0);
}

/*
** A web page is shown by a browser whatever its bytes, so it is decoded
** the way a browser would rather than refused: the caller's encoding or a
** BOM decide as for text (strictly: the caller asked for it); else bytes
** that are valid UTF-8 are UTF-8 whatever the page declares (crawlers
** save UTF-8 pages with their old <meta charset="euc-kr">; legacy bytes
** are almost never valid UTF-8) and a few garbled words (double-encoded
** UTF-8 in a comment or a script) do not refuse them; else the declared
** encoding when it converts cleanly and reads as text; else UTF-8 or
** CP949 found by detection; else the declared encoding (or UTF-8) with
** each invalid sequence replaced by U+FFFD.  Binary files and pages over
** the size cap are still refused.
*/
int ieum_text__decode_page(ieum_buf *out, const char *data, size_t len, const char *name,
                           const ieum_text_options *opts, const char *declared)
{
  ieum_text_options o = IEUM_TEXT_OPTIONS_INIT;
  if (opts)
    o = *opts;
  const unsigned char *u = (const unsigned char *)(data ? data : "");
  bool bom = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ||
             (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)));
  if (o.encoding || bom)
    return decode(out, data, len, name, &o, 0, DECODE_NO_NFC);
  int rc;
  if (len > 0 && ieum__utf8_invalid_at(data, len) == len)
    return decode(out, data, len, name, &o, 0, DECODE_NO_MOJIBAKE | DECODE_VALID_UTF8 | DECODE_NO_NFC);
  if (declared) {
    o.encoding = declared;
    if ((rc = decode(out, data, len, name, &o, 0, DECODE_NO_NFC)) != IEUM_EENCODING)
      return rc;
    ieum__error_clear();
    o.encoding = NULL;
  }
  if ((rc = decode(out, data, len, name, &o, 0, DECODE_NO_NFC)) != IEUM_EENCODING)
    return rc;
  ieum__error_clear();
  o.encoding = declared;
  return decode(out, data, len, name, &o, 0, DECODE_NO_MOJIBAKE | DECODE_SUBSTITUTE | DECODE_NO_NFC);
}

/* ---- files ---------------------------------------------------------------------- */

int ieum_text_read(ieum_buf *out, const char *path, size_t cap)
{
  int rc = IEUM_OK;
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : -1;
  size_t size0 = out->size;
  ieum_buf raw = *out;
  struct stat st;

  if (cap == 0)
    cap = IEUM_TEXT_MAX_SIZE;

  if (!is_stdin) {
    do
      fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR)
        rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no such file", path);
      else
        rc = ieum__error_set(IEUM_EIO, "%s: cannot read: %s", path, strerror(errno));
      goto done;
    }
  }
  if (fstat(fd, &st) != 0) {
    rc = ieum__error_set(IEUM_EIO, "%s: cannot read: %s", path, strerror(errno));
    goto done;
  }
  if (S_ISDIR(st.st_mode)) {
    rc = ieum__error_set(IEUM_EIO, "%s: is a directory", path);
    goto done;
  }
  if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > cap) {
    rc = too_large(path, cap);
    goto done;
  }

  /* A regular file is read in one piece of its size (plus one byte to see
     the end, or growth since fstat); anything else in chunks.  Never more
     than cap + 1 bytes are kept. */
  size_t keep = cap < SIZE_MAX - size0 - 1 ? size0 + cap + 1 : SIZE_MAX;
  size_t first = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : READ_CHUNK_BYTES;
  if (first > keep - size0)
    first = keep - size0;
  rc = ieum__buf_grow(&raw, first);
  if (rc)
    goto done;
  for (;;) {
    if (raw.asize - raw.size <= 1 && (rc = ieum__buf_grow(&raw, READ_CHUNK_BYTES)) != IEUM_OK)
      goto done;
    size_t room = raw.asize - raw.size - 1;
    if (room > keep - raw.size)
      room = keep - raw.size;
    ssize_t n = read(fd, raw.ptr + raw.size, room);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      rc = ieum__error_set(IEUM_EIO, "%s: cannot read: %s", path, strerror(errno));
      goto done;
    }
    if (n == 0)
      break;
    raw.size += (size_t)n;
    if (raw.size - size0 > cap) {
      rc = too_large(path, cap);
      goto done;
    }
  }

done:
  if (fd >= 0 && !is_stdin)
    close(fd);
  if (rc && raw.ptr) {
    raw.size = size0;
    raw.ptr[size0] = '\0';
  }
  *out = raw;
  return rc;
}

int ieum_text_load(ieum_buf *out, const char *path, const ieum_text_options *opts)
{
  ieum_buf raw = IEUM_BUF_INIT;
  int rc;
  if (opts && opts->version != IEUM_TEXT_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "%s: unsupported ieum_text_options version %u", path,
                           opts->version);
  rc = ieum_text_read(&raw, path, max_size(opts));
  if (rc == IEUM_OK)
    rc = ieum_text_decode(out, raw.ptr, raw.size, path, opts);
  ieum_buf_dispose(&raw);
  return rc;
}

/* ---- blank lines -------------------------------------------------------------------- */

int ieum_text_is_blank(const char *s, size_t len)
{
  return ieum__utf8_is_blank(s, len);
}
