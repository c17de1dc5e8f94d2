/*
** include/ieum/text.h: reading input files as clean text.
**
** The one place where bytes become text: a file (or a memory block) is
** checked for binary content, its encoding is taken from a BOM, from the
** caller, or found by validation (UTF-8), it is converted to UTF-8 with ICU,
** validated and normalized to NFC.  Every layer after this one may assume
** valid NFC UTF-8.  Line ends are normalized to "\n".
** Limits: IEUM_TEXT_MAX_SIZE bytes per file, IEUM_TEXT_MAX_LINE bytes per line.
*/
#ifndef IEUM_TEXT_H
#define IEUM_TEXT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IEUM_TEXT_MAX_SIZE ((size_t)512 << 20) /* bytes in one input file */
#define IEUM_TEXT_MAX_LINE ((size_t)16 << 20)  /* bytes in one line */

typedef struct {
  unsigned int version;  /* IEUM_TEXT_OPTIONS_VERSION */
  const char *encoding;  /* ICU converter name ("EUC-KR", "UTF-16LE"...), NULL = detect */
  size_t max_size;       /* bytes; 0 = IEUM_TEXT_MAX_SIZE */
} ieum_text_options;

#define IEUM_TEXT_OPTIONS_VERSION 1
#define IEUM_TEXT_OPTIONS_INIT { IEUM_TEXT_OPTIONS_VERSION, NULL, 0 }

/*
** Reads `path` ("-" = standard input) into `out` as NFC UTF-8 with "\n"
** line ends and no BOM.  `out` is the caller's buffer (ieum_buf_dispose).
** `opts` may be NULL.  Errors: IEUM_ENOTFOUND (no such file), IEUM_EIO
** (unreadable, a directory), IEUM_EENCODING (binary data, invalid bytes:
** the message gives the byte offset, or names what a binary file is: a
** Word, PDF, OpenDocument, RTF or HWP document, an archive, an image,
** UTF-16/32 text without a BOM...), IEUM_ELIMIT (file or line too large).
** An empty file is not an error: `out->size` is 0.
*/
IEUM_API int ieum_text_load(ieum_buf *out, const char *path, const ieum_text_options *opts);

/*
** Reads the bytes of `path` ("-" = standard input) as they are, appended
** to `out`, refusing more than `max_size` bytes (0 = IEUM_TEXT_MAX_SIZE).
** For callers that look at the bytes before decoding them (is it HTML?).
** Errors: IEUM_ENOTFOUND, IEUM_EIO (unreadable, a directory), IEUM_ELIMIT.
*/
IEUM_API int ieum_text_read(ieum_buf *out, const char *path, size_t max_size);

/*
** Same as ieum_text_load() for bytes already in memory; `name` is used in
** error messages only.  Besides invalid bytes, IEUM_EENCODING reports
** mojibake: text that decodes but is visibly not what was written (C1
** control characters, UTF-8 read as Latin-1 or Windows-1252, or Korean
** that is not Korean after a caller-named Korean encoding); the message
** gives the byte offset where it starts.
*/
IEUM_API int ieum_text_decode(ieum_buf *out, const char *data, size_t len, const char *name,
                              const ieum_text_options *opts);

/*
** Non-zero when valid UTF-8 s[0..len) holds only white space (Unicode
** White_Space, and U+FEFF: a stray byte order mark is as good as nothing)
** or is empty; 0 otherwise.  No error.
*/
IEUM_API int ieum_text_is_blank(const char *s, size_t len);

/*
** Checks a language tag given by a user and writes its canonical form to
** out[0..size), NUL-terminated: "KO" -> "ko", "en-us" -> "en-US",
** "iw" -> "he".  The tag must be well-formed BCP 47 and its language,
** script, region and variant known to ICU ("xx-bogus", "en_US", "und" are
** refused).  Errors: IEUM_EINVAL (the message quotes the tag and names the
** bad part, in one line), IEUM_ELIMIT (`size` too small; IEUM_LANG_MAX
** always suffices).
*/
#define IEUM_LANG_MAX 192
IEUM_API int ieum_lang_canonicalize(char *out, size_t size, const char *tag);

/*
** The tag a TMX export writes for `tag` (a tag as stored in a TM, not
** necessarily valid), into out[0..size), NUL-terminated.  Region-coded, as
** Trados and memoQ TMs are: a tag without a region gets its language's
** most likely one (ICU likely subtags: "ko" -> "ko-KR", "en" -> "en-US",
** "zh-Hant" -> "zh-Hant-TW"), a tag with one is only case-normalized
** ("EN-gb" -> "en-GB").  With `plain`, the primary language subtag only
** ("ko-KR" -> "ko").  A tag ICU cannot read is case-normalized as it is.
** Errors: IEUM_ELIMIT (`size` too small; IEUM_LANG_MAX always suffices).
*/
IEUM_API int ieum_lang_export_tag(char *out, size_t size, const char *tag, int plain);

/*
** Non-zero when a unit's tag `have` is the language `want` asks for, the
** rule of every lookup by language (export, search, stats): the primary
** subtags are equal (case-insensitive), and when `want` names a region the
** regions are too, a tag without a region standing for its most likely one
** ("ko" = "ko-KR", "en" = "en-US", but "en" is not "en-GB").  So "ko"
** matches ko, ko-KR and ko-KP; "ko-KR" matches ko and ko-KR.  No errors.
*/
IEUM_API int ieum_lang_matches(const char *want, const char *have);

#ifdef __cplusplus
}
#endif
#endif
