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

#endif
