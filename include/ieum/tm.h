/*
** include/ieum/tm.h: the translation memory, a SQLite database.
**
** A TM holds documents (a source/target pair of texts, or an imported TMX
** file: their names, languages, a content hash and when they were added) and
** units (source and target text, languages, score, bead type, document and
** position, creation time).  A document is known by its content hash, so
** adding the same pair twice adds nothing.  The database runs in WAL mode;
** every write happens inside a transaction, so a failed run leaves the TM as
** it was.  A TM handle is used by one thread at a time.
*/
#ifndef IEUM_TM_H
#define IEUM_TM_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ieum_tm ieum_tm;

typedef enum {
  IEUM_TM_READ = 0,      /* open an existing TM read-only */
  IEUM_TM_WRITE = 1,     /* open an existing TM read-write */
  IEUM_TM_CREATE = 3     /* read-write, created when missing */
} ieum_tm_mode;

/*
** Opens the TM at `path`.  Errors: IEUM_ENOTFOUND (missing, without
** IEUM_TM_CREATE), IEUM_EDB (not an ieum TM, corrupt, locked: the message
** carries SQLite's).
*/
IEUM_API int ieum_tm_open(ieum_tm **out, const char *path, int mode);

/* Closes the TM; an open transaction is rolled back.  NULL is a no-op. */
IEUM_API void ieum_tm_free(ieum_tm *tm);

/* Transactions: every write function must run between begin and commit. */
IEUM_API int ieum_tm_begin(ieum_tm *tm);
IEUM_API int ieum_tm_commit(ieum_tm *tm);
IEUM_API int ieum_tm_rollback(ieum_tm *tm);

typedef struct {
  const char *kind;      /* "pair" (aligned texts) or "tmx" (an imported file) */
  const char *src_path;  /* name of the source file as given */
  const char *tgt_path;  /* name of the target file; NULL for "tmx" */
  const char *src_lang;  /* BCP 47 */
  const char *tgt_lang;  /* BCP 47 */
  const char *hash;      /* content hash (see ieum_tm_hash()) */
} ieum_tm_document;

/*
** Content hash of up to two texts, written as 32 hex digits plus NUL into
** `out` (33 bytes).  `b` may be NULL.
*/
IEUM_API void ieum_tm_hash(char out[33], const char *a, size_t a_len, const char *b, size_t b_len);

/*
** Content hash of the file at `path`, read in blocks (constant memory), in
** the same form as ieum_tm_hash().  Errors: IEUM_ENOTFOUND, IEUM_EIO.
*/
IEUM_API int ieum_tm_hash_file(char out[33], const char *path);

/*
** Adds a document; `*out` receives its id.  When a document with the same
** kind and hash is already there, `*out` receives that id and
** IEUM_EEXISTS is returned (no error message is recorded for it).
** Errors: IEUM_EDB, IEUM_EINVAL (outside a transaction).
*/
IEUM_API int ieum_tm_add_document(int64_t *out, ieum_tm *tm, const ieum_tm_document *doc);

/*
** Adds a unit to document `doc_id`.  A unit with the same document and
** position as one already stored is not added again.  Errors: IEUM_EDB,
** IEUM_EINVAL (outside a transaction, empty source and target).
*/
IEUM_API int ieum_tm_add_unit(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit);

/*
** Calls `cb` for every unit, in document then position order.  A non-zero
** return of `cb` stops and is returned.  Errors: IEUM_EDB.
*/
IEUM_API int ieum_tm_foreach(ieum_tm *tm, ieum_unit_cb cb, void *payload);

#define IEUM_TM_STATS_LANGS 8

typedef struct {
  int64_t documents;             /* documents in the TM */
  int64_t units;                 /* units in the TM */
  int64_t unscored;              /* units without a score */
  int64_t score_hist[10];        /* units by score: [0,.1), [.1,.2) ... [.9,1] */
  size_t n_langs;                /* entries used in langs[] */
  struct {
    char src[32];                /* source language */
    char tgt[32];                /* target language */
    int64_t units;               /* units in that pair */
  } langs[IEUM_TM_STATS_LANGS];  /* most frequent language pairs first */
  int64_t beads[6];              /* units by bead type: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2 */
} ieum_tm_stats;

/* Fills `out` with counts.  Errors: IEUM_EDB. */
IEUM_API int ieum_tm_stats_get(ieum_tm_stats *out, ieum_tm *tm);

#ifdef __cplusplus
}
#endif
#endif
