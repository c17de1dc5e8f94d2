/*
** align/learn_int.h: the word-pair learner (align/learn.c), fed sentence
** pairs by whoever holds them.
**
** Life of a learner: ieum_learn__new(), any number of ieum_learn__add()
** (one call per sentence pair, its two texts in either order; pairs that
** are not Korean-English are ignored), then ieum_learn__each() as often as
** wanted, then ieum_learn__free().  The learner copies what it keeps: the
** texts given to ieum_learn__add() may be freed as soon as it returns.
** Not here: storage.  align/ knows nothing of the TM; the pipeline
** (pipeline/learn.c) reads the TM's units and writes the pairs back.
*/
#ifndef IEUM_LEARN_INT_H
#define IEUM_LEARN_INT_H

#include <stdint.h>

#include "util.h"

typedef struct ieum_learner ieum_learner;

/* A new, empty learner into *out (the caller frees it).  Errors: IEUM_ENOMEM (*out NULL). */
int ieum_learn__new(ieum_learner **out);

/* Frees the learner; NULL is a no-op. */
void ieum_learn__free(ieum_learner *l);

/*
** Counts the stems and words of one sentence pair (valid UTF-8, either
** side first).  Errors: IEUM_ENOMEM (the counts may then hold part of it).
*/
int ieum_learn__add(ieum_learner *l, const char *a, size_t a_len, const char *b, size_t b_len);

/*
** Called by ieum_learn__each() for a kept pair: the Korean stem and the
** English word (NUL-terminated, borrowed: valid during the call), their
** Dice coefficient (0,1] and the sentence pairs they were seen in.  A
** non-zero return stops the walk and is returned.
*/
typedef int (*ieum_learn__pair_cb)(const char *ko, const char *en, double assoc, uint32_t count, void *payload);

/*
** Calls `fn` for every pair seen in at least `min_count` sentence pairs,
** with a Dice coefficient of at least `min_assoc`, whose stem and word are
** each other's best partner.  Order: the hash table's (not meaningful).
** Errors: IEUM_ENOMEM, or what `fn` returned.
*/
int ieum_learn__each(const ieum_learner *l, uint32_t min_count, double min_assoc, ieum_learn__pair_cb fn,
                     void *payload);

#endif
