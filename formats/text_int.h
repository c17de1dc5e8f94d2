/*
** formats/text_int.h: what text.c offers the other readers inside formats/.
**
** ieum_text__decode() is ieum_text_decode() with the line limit made a
** parameter: a web page is not line-based (a minified page is one line of
** many megabytes), so html.c decodes with no line limit; every other
** reader keeps IEUM_TEXT_MAX_LINE.  The size cap, binary detection and
** everything else are the same.
** Not here: the public API (include/ieum/text.h).
*/
#ifndef IEUM_TEXT_INT_H
#define IEUM_TEXT_INT_H

#include "util.h"

/*
** As ieum_text_decode(); `max_line` is the longest line accepted in bytes
** (0 = no limit).  Errors as ieum_text_decode().
*/
int ieum_text__decode(ieum_buf *out, const char *data, size_t len, const char *name,
                      const ieum_text_options *opts, size_t max_line);

/*
** Decodes a web page as a browser would show it, never refusing text it
** can read: the caller's encoding (opts->encoding) or a BOM as
** ieum_text_decode() does; else valid UTF-8 as UTF-8 (even with a few
** garbled words, whatever `declared` says); else `declared` (the page's
** <meta charset>, an ASCII-compatible ICU name, or NULL) when it decodes
** cleanly; else detection (UTF-8, CP949); else `declared` or UTF-8 with
** invalid bytes as U+FFFD.  No line limit, and no NFC: the caller
** normalizes the text it keeps (a page is mostly markup).  Errors: those of
** ieum_text_decode() that no fallback avoids (binary, too large, a bad
** caller encoding), IEUM_ENOMEM.
*/
int ieum_text__decode_page(ieum_buf *out, const char *data, size_t len, const char *name,
                           const ieum_text_options *opts, const char *declared);

#endif
