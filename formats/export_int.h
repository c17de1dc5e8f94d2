/*
** formats/export_int.h: what the export writers share inside formats/.
**
** ieum__outfile is an output file written whole or not at all: bytes go to
** "PATH.tmp-XXXXXX" (same directory, mode of a new file) through a 64 KiB
** buffer, and ieum__outfile_commit() fsyncs and renames it over PATH;
** ieum__outfile_abandon() removes it.  "-" writes to standard output; a
** device, FIFO or socket is written straight through, and a symbolic link's
** target is what is written (util/outpath.c).  The
** first failed write() keeps its errno for the message, and every later
** call fails.  The XLIFF 2.0 writer (xliff.c) is reached only through
** export.c's public API; tests call it directly.
** Not here: the TMX writer (tmx_write.c, its own file handling), the public
** export API (include/ieum/export.h).
*/
#ifndef IEUM_EXPORT_INT_H
#define IEUM_EXPORT_INT_H

#include "util.h"

typedef struct {
  char *path;       /* target path, or "-" */
  char *tmp;        /* temporary file, NULL for standard output */
  int fd;           /* descriptor written to */
  int direct;       /* fd is a device, FIFO or socket opened as it is: closed, never renamed */
  int io_errno;     /* errno of the first failed write, 0 when none */
  ieum_buf buf;     /* bytes not yet written */
} ieum__outfile;

/* Opens `path` ("-" = stdout).  Errors: IEUM_EIO "PATH: cannot create the file: ...". */
int ieum__outfile_open(ieum__outfile *f, const char *path);

/* Appends bytes; flushes when the buffer is full.  Errors: IEUM_EIO. */
int ieum__outfile_write(ieum__outfile *f, const char *s, size_t n);

/* Flushes, syncs, closes and renames into place; the file is released either way.  Errors: IEUM_EIO. */
int ieum__outfile_commit(ieum__outfile *f);

/* Drops the temporary file and releases `f`; safe on a zeroed or released file. */
void ieum__outfile_abandon(ieum__outfile *f);

/* Records "PATH: cannot write: ..." for `f` and returns IEUM_EIO. */
int ieum__outfile_error(ieum__outfile *f);

typedef struct ieum_xliff__writer ieum_xliff__writer;

/*
** Starts an XLIFF 2.0 document at `path` for languages src_lang/tgt_lang
** (BCP 47).  Errors: IEUM_EIO, IEUM_EINVAL (an empty or over-long tag).
*/
int ieum_xliff__open(ieum_xliff__writer **out, const char *path, const char *src_lang, const char *tgt_lang);

/*
** Writes one <unit> (in a <file> per document: a new one whenever
** unit->document changes) with its score, bead, position and props as
** metadata (mda module) and its notes as <notes>; its <segment> gets
** `state` (NULL: "translated", or "initial" without a target) and
** `sub_state` (may be NULL).  Errors: IEUM_EIO, IEUM_EINVAL (text XML
** cannot carry).
*/
int ieum_xliff__add(ieum_xliff__writer *w, const ieum_unit *unit, const ieum_unit_prop *props, size_t n_props,
                    const char *state, const char *sub_state);

/* Ends the document and moves it into place, then frees `w`.  Errors: IEUM_EIO. */
int ieum_xliff__close(ieum_xliff__writer *w);

/* Abandons the document; NULL is a no-op. */
void ieum_xliff__free(ieum_xliff__writer *w);

#endif
