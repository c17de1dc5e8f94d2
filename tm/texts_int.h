/*
** tm/texts_int.h: what the TM hands the pipeline for learning: unit texts
** out, learned word pairs in and out (tm/texts.c).
**
** The TM stores and reads; it knows nothing of how a lexicon is learned or
** how a length is counted.  pipeline/learn.c reads unit texts through these
** calls, feeds them to align/'s learner and length function, and writes the
** learned pairs back.  Every text given to a callback is borrowed: valid
** UTF-8 of `len` bytes (also NUL-terminated), valid during the call only.
** A callback's non-zero return stops the walk and is returned.
*/
#ifndef IEUM_TM_TEXTS_INT_H
#define IEUM_TM_TEXTS_INT_H

#include <stdint.h>

#include "util.h"

/* One unit's two texts. */
typedef int (*ieum_tm__texts_cb)(const char *src, size_t src_len, const char *tgt, size_t tgt_len, void *payload);

/* The TM's file name as opened (borrowed, lives as long as `tm`), for messages. */
const char *ieum_tm__path(const ieum_tm *tm);

/*
** Calls `fn` with the texts of every unit scoring at least `min_score` or
** reviewed (review.h: a reviewed unit twice, whatever its score), in the
** order they were added.  Errors: IEUM_EDB, or what `fn` returned.
*/
int ieum_tm__each_unit_text(ieum_tm *tm, double min_score, ieum_tm__texts_cb fn, void *payload);

/*
** Calls `fn` with the texts of the most recent `limit` 1-1 units from
** src_lang to tgt_lang (case-insensitive) scoring at least `min_score` or
** reviewed, newest first.  Errors: IEUM_EDB, or what `fn` returned.
*/
int ieum_tm__each_pair_text(ieum_tm *tm, const char *src_lang, const char *tgt_lang, double min_score, int limit,
                            ieum_tm__texts_cb fn, void *payload);

/*
** Calls `fn` with every learned word pair (origin 'learned'), ordered by
** source then target.  Errors: IEUM_EDB, or what `fn` returned.
*/
int ieum_tm__each_learned(ieum_tm *tm, ieum_tm__texts_cb fn, void *payload);

/*
** Opens the transaction that replaces the learned word pairs and deletes
** the old ones in it; the caller adds pairs with ieum_tm__learned_put()
** and ends it with ieum_tm_commit() or ieum_tm_rollback().  `what` names
** the operation in messages ("learn").  Errors: IEUM_EINVAL (a read-only
** TM, a transaction already open), IEUM_EDB.
*/
int ieum_tm__learned_begin(ieum_tm *tm, const char *what);

/* Adds or replaces one learned pair (NUL-terminated texts).  Errors: IEUM_EDB. */
int ieum_tm__learned_put(ieum_tm *tm, const char *src, const char *tgt, double weight, int64_t count);

#endif
