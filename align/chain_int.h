/*
** align/chain_int.h: where two documents correspond as a whole (private).
**
** Before the banded search, chain.c finds a monotone chain of confident
** anchor pairs across the whole document pair: a source segment and a
** target segment that share keys (numbers, names, Latin words, lexicon
** entries) which few segments of either document hold.  The chain says
** where the ladder goes however far it strays from the length diagonal (a
** block of 1,500 untranslated lines in the middle), and ieum_chain__band()
** turns it into the first search's band: along the chain between anchors
** that agree, over the rectangle between anchors where a block was inserted
** or dropped.  Not here: the search itself (dp.c), the keys (score.c).
*/
#ifndef IEUM_CHAIN_INT_H
#define IEUM_CHAIN_INT_H

#include "score_int.h"

typedef struct {
  uint32_t i, j; /* source and target segment */
  float w;       /* the pair's anchor weight */
} ieum_chain_point;

/*
** The chain of anchors of the scorer's document pair, in increasing i and
** j, into *out (*count points; freed by the caller with ieum__free()).  No
** anchors: *out NULL, *count 0.  Cost: O(K log K) for the K rare keys of
** both documents.  IEUM_ENOMEM.
*/
int ieum_chain__find(ieum_chain_point **out, size_t *count, const ieum_scorer *s);

/*
** Centers and half-widths of rows 0..n (n, m: the documents' segments) of a
** band that follows the chain with `pad` cells on either side; between two
** anchors whose gap is a block of one side only, the band covers the
** rectangle between the two diagonals.  Returns the band's cells, which the
** caller compares with its budget.
*/
size_t ieum_chain__band(size_t *ctr, size_t *hw, size_t n, size_t m, const ieum_chain_point *p, size_t count,
                        size_t pad);

/*
** The characters of the chain's pairs, source and target, leaving out the
** pairs whose length ratio strays more than twice from their median (an
** anchor inside a merge or a split): what a length ratio is estimated
** from when a block on one side skews the documents' totals.  IEUM_ENOMEM.
*/
int ieum_chain__lengths(const ieum_scorer *s, const ieum_chain_point *p, size_t count, double *src_chars,
                        double *tgt_chars);

/*
** Sets the scorer's omission priors over the chain's gaps, where one side
** holds GAP_MIN or more segments than the other between two anchors
** (chain.c).  IEUM_ENOMEM.
*/
int ieum_chain__gaps(ieum_scorer *s, const ieum_chain_point *p, size_t count);

#endif
