/*
** util/util.h: internals shared by every module (never installed).
**
** Error recording, allocation with fault injection for tests, the growable
** buffer, UTF-8 helpers and the ICU UTF-8 <-> UTF-16 bridge.  No policy lives
** here: these are tools the modules call.  Names are ieum__<area>_<verb>.
** util/ also holds the few vocabularies every layer shares, so that no
** layer needs another's code for them: segment role names (roles.c),
** language tags (lang.c, lang_int.h), page-furniture words (furniture.c,
** furniture_int.h) and the blank-text test (utf8.c).
*/
#ifndef IEUM_UTIL_H
#define IEUM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ieum.h"

#if defined(__GNUC__)
#define IEUM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IEUM_PRINTF(a, b)
#endif

/* ---- errors (util/error.c) ---------------------------------------------- */

/* Records `code` with a printf-style message on this thread; returns `code`. */
int ieum__error_set(int code, const char *fmt, ...) IEUM_PRINTF(2, 3);

/* Records IEUM_ENOMEM with its standard message; returns IEUM_ENOMEM. */
int ieum__error_oom(void);

/* Forgets the error of this thread (after a lower error was handled). */
void ieum__error_clear(void);

/* ---- allocation (util/alloc.c) ------------------------------------------- */

/*
** malloc/calloc/realloc/free wrappers.  Tests may make the N-th allocation
** fail (ieum__alloc_fail_after) to check that every path handles OOM.
** They do not record an error: callers do (ieum__error_oom()).
*/
void *ieum__malloc(size_t n);
void *ieum__calloc(size_t n, size_t size);
void *ieum__realloc(void *p, size_t n);
/* realloc of an array of n elements of `size` bytes, NULL on overflow. */
void *ieum__reallocarray(void *p, size_t n, size_t size);
char *ieum__strdup(const char *s);
char *ieum__strndup(const char *s, size_t n);
void ieum__free(void *p);

/* Make the allocation after `n` more succeed fail (n < 0: never fail). */
void ieum__alloc_fail_after(long n);

/* ---- buffer (util/buf.c) ------------------------------------------------- */

/* Ensures room for `extra` more bytes plus a NUL.  IEUM_ENOMEM on failure. */
int ieum__buf_grow(ieum_buf *buf, size_t extra);
int ieum__buf_put(ieum_buf *buf, const char *data, size_t len);
int ieum__buf_puts(ieum_buf *buf, const char *s);
int ieum__buf_putc(ieum_buf *buf, char c);
int ieum__buf_printf(ieum_buf *buf, const char *fmt, ...) IEUM_PRINTF(2, 3);
void ieum__buf_clear(ieum_buf *buf);
/* Hands the bytes over to the caller (free with ieum__free) and resets buf. */
char *ieum__buf_detach(ieum_buf *buf);

/* ---- UTF-8 (util/utf8.c) -------------------------------------------------- */

/*
** Returns the byte offset of the first invalid UTF-8 sequence in s[0..len),
** or `len` when all of it is valid (overlongs, surrogates and code points
** above U+10FFFF are invalid).
*/
size_t ieum__utf8_invalid_at(const char *s, size_t len);

/*
** Decodes the code point at s[*i] (valid UTF-8 assumed) and advances *i.
*/
int32_t ieum__utf8_next(const char *s, size_t len, size_t *i);

/* Number of code points in valid UTF-8. */
size_t ieum__utf8_count(const char *s, size_t len);

/*
** Non-zero when valid UTF-8 s[0..len) holds only white space (Unicode
** White_Space, plus U+FEFF) or is empty.  Public as ieum_text_is_blank().
*/
int ieum__utf8_is_blank(const char *s, size_t len);

/* ---- time (util/time.c) ----------------------------------------------------- */

/* Seconds since the Unix epoch: SOURCE_DATE_EPOCH when set, else the clock. */
int64_t ieum__now(void);

/*
** `t` (seconds since the epoch) as a TMX date, "YYYYMMDDThhmmssZ" (UTC),
** into out[17]; -1 (and "") for a time outside the years 1000-9999.
*/
int ieum__tmx_date(char out[17], int64_t t);

/* ---- ICU bridge (util/icu.c) --------------------------------------------- */

/*
** UTF-8 -> newly allocated UTF-16 (NUL-terminated); *out_len gets units.
** The caller frees *out with ieum__free.  IEUM_ENOMEM or IEUM_EENCODING.
*/
int ieum__icu_to_u16(uint16_t **out, int32_t *out_len, const char *s, size_t len);

/* UTF-16 -> appended to `out` as UTF-8. */
int ieum__icu_from_u16(ieum_buf *out, const uint16_t *s, int32_t len);

/* NFC-normalizes valid UTF-8 into `out` (appending). */
int ieum__icu_nfc(ieum_buf *out, const char *s, size_t len);

#endif
