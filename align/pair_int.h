/*
** align/pair_int.h: the figures ieum_pair_check() judges a pair by (private).
**
** Exposed to the unit tests and to nothing else: the CLI sees only the
** verdict (include/ieum/align.h).
*/
#ifndef IEUM_PAIR_INT_H
#define IEUM_PAIR_INT_H

#include "util.h"

typedef struct {
  size_t letters[2];    /* letters (code points of a script other than Common/Inherited), source, target */
  size_t own[2];        /* of them, letters of the side's own language's scripts */
  size_t other[2];      /* of them, letters of the other side's language's scripts */
  int known[2];         /* 1 when ICU names the scripts of the side's language */
  size_t same;          /* two-sided beads whose two sides are the same text */
  size_t two_sided;     /* two-sided beads */
  size_t one_one;       /* 1-1 beads */
  double score;         /* document score: mean evidence per 1-1 bead (see IEUM_PAIR_MIN_SCORE) */
  int sized;            /* 1 when the score is judged: IEUM_PAIR_MIN_SEGMENTS a side, one side Korean, not both */
} ieum_pair_stats;

/* Fills `out` for the pair.  Errors: IEUM_ENOMEM, IEUM_ERROR (ICU). */
int ieum_pair__stats(ieum_pair_stats *out, const ieum_doc *src, const ieum_doc *tgt, const ieum_alignment *al,
                     const ieum_lexicon *lex);

#endif
