/*
** include/ieum/common.h: shared declarations of the ieum public API.
**
** Everything every module header needs: the export macro, the version, the
** caller-allocated growable buffer (ieum_buf) and the translation unit record
** (ieum_unit) that the TM, the TMX reader and the TMX writer exchange.
** Text is always UTF-8 with an explicit length; nothing relies on a NUL.
** Not here: error codes (error.h), module APIs (text.h, align.h, tmx.h, tm.h).
*/
#ifndef IEUM_COMMON_H
#define IEUM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define IEUM_API __attribute__((visibility("default")))
#else
#define IEUM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define IEUM_VERSION_STRING "0.1.0"

/* Version of the library at run time, e.g. "0.1.0"; static, never freed. */
IEUM_API const char *ieum_version(void);

/*
** Run-time version of a library ieum uses: `name` is "ICU", "SQLite" or
** "libxml2" (e.g. "74.2", "3.45.1", "2.9.14").  NULL for any other name.
** Static, never freed.
*/
IEUM_API const char *ieum_dependency_version(const char *name);

/*
** A growable byte buffer owned by the caller.  Start with IEUM_BUF_INIT;
** release what it holds with ieum_buf_dispose().  `ptr` is always
** NUL-terminated when non-NULL (a convenience: data may contain NULs, use
** `size`).
*/
typedef struct {
  char *ptr;     /* the bytes, or NULL when nothing was ever written */
  size_t size;   /* bytes in use */
  size_t asize;  /* bytes allocated */
} ieum_buf;

#define IEUM_BUF_INIT { NULL, 0, 0 }

/* Frees what `buf` holds and resets it to IEUM_BUF_INIT; NULL is a no-op. */
IEUM_API void ieum_buf_dispose(ieum_buf *buf);

/*
** A translation unit: one source text and its target text.  Used to pass
** units between the TM, the TMX reader and writer, and the aligner's
** output.  Every pointer is borrowed: it stays valid for the call it is
** passed to (or, for a callback, until the callback returns).  Strings may
** be NULL where marked optional.
*/
typedef struct {
  int64_t id;            /* TM unit id, 0 when not from a TM */
  const char *src;       /* source text, UTF-8 (NFC) */
  size_t src_len;        /* bytes */
  const char *tgt;       /* target text, UTF-8 (NFC) */
  size_t tgt_len;        /* bytes */
  const char *src_lang;  /* BCP 47 tag, e.g. "ko" */
  const char *tgt_lang;  /* BCP 47 tag, e.g. "en" */
  double score;          /* alignment confidence in [0,1]; < 0 when unknown */
  const char *bead;      /* bead type "1-1", "2-1", ...; optional */
  const char *document;  /* origin, e.g. "ko.txt|en.txt"; optional */
  int64_t position;      /* index of the unit within its document; < 0 unknown */
  int64_t created;       /* creation time, seconds since the Unix epoch (UTC); 0 = now */
  const char *note;      /* free-text note; optional */
  const char *role;      /* what part of an article the unit is: an ieum_segment_role_name() ("body",
                            "headline", ...); optional, NULL = not known (taken as body by filters) */
} ieum_unit;

/* A unit with every field empty: score and position unknown. */
#define IEUM_UNIT_INIT { 0, NULL, 0, NULL, 0, NULL, NULL, -1.0, NULL, NULL, -1, 0, NULL, NULL }

/*
** Callback receiving one unit.  Return 0 to go on, non-zero to stop: the
** caller then returns that value unchanged.
*/
typedef int (*ieum_unit_cb)(const ieum_unit *unit, void *payload);

#ifdef __cplusplus
}
#endif
#endif
