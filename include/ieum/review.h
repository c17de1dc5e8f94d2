/*
** include/ieum/review.h: the review step: a reviewer's corrections of an
** aligned document pair, written to its TM one transaction at a time.
**
** A document pair in review is a list of rows in document order
** (ieum_review_doc): each row is a unit (a bead with both sides: its source
** and target sentences) or an unaligned sentence (a 1-0 or 0-1 bead, one
** sentence of one side).  The aligner stores both (pipeline.h), the units'
** sentence boundaries too, so a reviewer can confirm a unit; merge a row
** into the one above or below; split a multi-sentence unit; mark a
** sentence as having no counterpart; move a sentence into the neighbouring
** row; replace one side's sentences (a typo, a bad sentence split); delete
** a row; and undo or redo those operations.  Each operation is one
** transaction (BEGIN IMMEDIATE) that reads the document's rows, applies the
** change, writes back only the rows that changed, and logs the rows before
** and after (the review_log table) for undo and redo.  The units it makes
** or changes get review status "edited", the reviewer and the time; a
** confirmed unit "confirmed".  Exports carry the status as TMX props
** (x-review-status, x-reviewer, x-reviewed: export.h).
**
**   ieum_review_doc { doc_id, names, languages
**                     rows[n_rows] ── ieum_review_row { kind, id, position,
**                                       seg[0][n_seg[0]] source sentences,
**                                       seg[1][n_seg[1]] target sentences, ... }
**                     can_undo, can_redo }
** Invariants: a unit row has at least one sentence on each side; an
** unaligned row exactly one, on one side; rows are in position order.
** Threads: as tm.h (one handle, one thread).
** Backends: the review step runs on SQLite TMs; on a PostgreSQL TM (tm.h)
** the calls that read or change a review fail with IEUM_ENOTSUP, and
** ieum_review_add_unaligned() and ieum_review_set_segments() store nothing
** (the TM keeps its units), so align and batch still work there.
** Not here: the HTTP API and the page (review/ in the source tree, served
** by `ieum review`), aligning and storing (pipeline.h).
*/
#ifndef IEUM_REVIEW_H
#define IEUM_REVIEW_H

#include "common.h"
#include "tm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  IEUM_REVIEW_ROW_UNIT = 0,      /* a TM unit (units.id) */
  IEUM_REVIEW_ROW_UNALIGNED = 1  /* a sentence without a counterpart (its own id space) */
} ieum_review_row_kind;

typedef enum {
  IEUM_REVIEW_NONE = 0,      /* not reviewed */
  IEUM_REVIEW_CONFIRMED = 1, /* a reviewer said the unit is right as the aligner made it */
  IEUM_REVIEW_EDITED = 2     /* a reviewer made or changed it */
} ieum_review_status;

/* One row of a document in review; every pointer belongs to the ieum_review_doc holding it. */
typedef struct {
  int kind;               /* ieum_review_row_kind */
  int64_t id;             /* units.id or unaligned.id */
  int64_t position;       /* place in the document, from 0 */
  char **seg[2];          /* the source [0] and target [1] sentences, NUL-terminated UTF-8 */
  size_t n_seg[2];
  double score;           /* the aligner's confidence in [0,1]; < 0 unknown (a unit a reviewer made) */
  char bead[8];           /* "2-1"; "1-0" / "0-1" for an unaligned sentence */
  char *role;             /* ieum_segment_role_name(), or NULL */
  int status;             /* ieum_review_status (units); an unaligned sentence: CONFIRMED when no_counterpart */
  char *reviewer;         /* who reviewed it, or NULL */
  int64_t reviewed;       /* when, seconds since the Unix epoch; 0 = never */
  int no_counterpart;     /* unaligned: a reviewer marked it as having no counterpart */
  int64_t created;        /* when the row was stored, seconds since the Unix epoch */
} ieum_review_row;

typedef struct {
  int64_t doc_id;
  char *src_path, *tgt_path;  /* the document's names (UTF-8) */
  char *src_lang, *tgt_lang;
  ieum_review_row *rows;
  size_t n_rows;
  int can_undo, can_redo;     /* an operation to undo / an undone one to redo */
} ieum_review_doc;

/*
** The rows of document `doc_id` (a "pair" document) into *out, which the
** caller frees with ieum_review_doc_free().  Any handle (a read-only one
** on a TM older than version 7 has no review tables: IEUM_EDB).  Errors:
** IEUM_ENOTFOUND (no such document), IEUM_EINVAL (a TMX document),
** IEUM_EDB, IEUM_ENOMEM.
*/
IEUM_API int ieum_review_doc_load(ieum_review_doc **out, ieum_tm *tm, int64_t doc_id);

/* Frees `d` and everything it holds; NULL is a no-op. */
IEUM_API void ieum_review_doc_free(ieum_review_doc *d);

/* A document pair as the documents page lists it (borrowed for the callback). */
typedef struct {
  int64_t doc_id;
  const char *src_path, *tgt_path, *src_lang, *tgt_lang;
  int64_t added;          /* seconds since the Unix epoch */
  int64_t units;          /* units */
  int64_t doubtful;       /* units not reviewed scoring under the threshold */
  int64_t reviewed;       /* units reviewed */
  int64_t unaligned;      /* unaligned sentences not marked as having no counterpart */
  double min_score;       /* the lowest score of its units; < 0 when none */
} ieum_review_summary;

typedef int (*ieum_review_summary_cb)(const ieum_review_summary *s, void *payload);

/*
** Calls `cb` for every "pair" document whose names or unit texts contain
** `query` (case-insensitive for ASCII; NULL or "" = every document),
** most doubtful first: by the share of doubtful units and open unaligned
** sentences among its rows, then by id.  A non-zero return of `cb` stops
** and is returned.  Errors: IEUM_EDB.
*/
IEUM_API int ieum_review_documents(ieum_tm *tm, double threshold, const char *query, ieum_review_summary_cb cb,
                                   void *payload);

typedef enum {
  IEUM_REVIEW_CONFIRM = 0,        /* row: a unit becomes CONFIRMED; an unaligned sentence no_counterpart */
  IEUM_REVIEW_MERGE = 1,          /* row joins the row above (direction -1) or below (+1): one unit */
  IEUM_REVIEW_SPLIT = 2,          /* a unit becomes two: src_at / tgt_at sentences in the first */
  IEUM_REVIEW_NO_COUNTERPART = 3, /* sentence `segment` of `side` leaves its unit as an unaligned sentence
                                     marked no_counterpart (an unaligned row: is marked) */
  IEUM_REVIEW_MOVE = 4,           /* the first (direction -1) or last (+1) sentence of `side` moves into the
                                     row above / below */
  IEUM_REVIEW_EDIT = 5,           /* the sentences of `side` become texts[0..n_texts) */
  IEUM_REVIEW_DELETE = 6          /* the row leaves the TM */
} ieum_review_op;

typedef struct {
  unsigned int version;       /* IEUM_REVIEW_EDIT_VERSION */
  int op;                     /* ieum_review_op */
  int64_t doc_id;
  int row_kind;               /* ieum_review_row_kind of the row operated on */
  int64_t row_id;             /* its id */
  int side;                   /* 0 source, 1 target (NO_COUNTERPART, MOVE, EDIT) */
  int direction;              /* -1 above, +1 below (MERGE, MOVE) */
  size_t segment;             /* a sentence of `side`, from 0 (NO_COUNTERPART) */
  size_t src_at, tgt_at;      /* SPLIT: sentences of each side that stay in the first unit */
  const char *const *texts;   /* EDIT: the new sentences, UTF-8, NUL-terminated, none blank */
  size_t n_texts;
  const char *reviewer;       /* who does it (stored with the rows it changes); NULL = none */
} ieum_review_edit;

#define IEUM_REVIEW_EDIT_VERSION 1
#define IEUM_REVIEW_EDIT_INIT { IEUM_REVIEW_EDIT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, NULL }

/*
** Applies `e` to its document in one transaction of its own (call it with
** none open) and logs it; *out (may be NULL) gets the log entry's id.  A
** new operation drops the operations undone before it (they can no longer
** be redone).  Errors: IEUM_ENOTFOUND (no such document, or the row is
** not in it: deleted meanwhile), IEUM_EINVAL (an operation the row does
** not allow: merging two sentences of one side, splitting a 1-1 unit, a
** blank text ...; the message says which), IEUM_EDB (read-only, locked),
** IEUM_ENOMEM.  On failure the TM is unchanged.
*/
IEUM_API int ieum_review_apply(int64_t *out, ieum_tm *tm, const ieum_review_edit *e);

/*
** Undoes the last operation on document `doc_id` not undone yet (redo:
** redoes the last one undone), in one transaction.  Errors:
** IEUM_ENOTFOUND (nothing to undo / redo), IEUM_EEXISTS (the document's
** rows are no longer what that operation left: changed by someone else
** since), IEUM_EDB, IEUM_ENOMEM.
*/
IEUM_API int ieum_review_undo(ieum_tm *tm, int64_t doc_id);
IEUM_API int ieum_review_redo(ieum_tm *tm, int64_t doc_id);

/* The name of a status ("confirmed", "edited"), NULL for IEUM_REVIEW_NONE; static. */
IEUM_API const char *ieum_review_status_name(int status);

/* The name of an operation ("confirm", "merge", ...), NULL when unknown; static. */
IEUM_API const char *ieum_review_op_name(int op);

/* The operation called `name` into *out.  Errors: IEUM_EINVAL. */
IEUM_API int ieum_review_op_from_name(int *out, const char *name);

/*
** Adds an unaligned sentence (a 1-0 or 0-1 bead) of `side` at `position`
** of document `doc_id`, inside the caller's transaction (the aligner's
** store does this for every such bead).  `role` may be NULL.  Errors:
** IEUM_EINVAL (outside a transaction, empty text), IEUM_EDB.
*/
IEUM_API int ieum_review_add_unaligned(ieum_tm *tm, int64_t doc_id, int64_t position, int side, const char *text,
                                       size_t len, const char *role);

/*
** Records the sentences of the unit at `position` of document `doc_id`:
** side s holds n[s] sentences of lens[s][i] bytes, joined by one space in
** its text.  Inside the caller's transaction.  Errors: IEUM_EINVAL (the
** lengths do not add up to the text), IEUM_ENOTFOUND (no such unit), IEUM_EDB.
*/
IEUM_API int ieum_review_set_segments(ieum_tm *tm, int64_t doc_id, int64_t position, const size_t *const lens[2],
                                      const size_t n[2]);

#ifdef __cplusplus
}
#endif
#endif
