/*
** align/score_int.h: the bead scorer shared by dp.c (private).
**
** A scorer holds what is known about one document pair (segment lengths as
** prefix sums, the length model's parameters) and answers one question:
** the log-probability of a bead of `a` source segments starting at source
** segment i aligned with `b` target segments starting at target segment j.
** Answers are log-probabilities (<= 0, larger is better), so the ladder's
** score is the sum over its beads.
*/
#ifndef IEUM_SCORE_INT_H
#define IEUM_SCORE_INT_H

#include "anchor_int.h"

/* The bead shapes the aligner considers, source count first. */
#define IEUM_N_SHAPES 6
extern const uint8_t ieum_shapes[IEUM_N_SHAPES][2];

typedef struct {
  const ieum_doc *src, *tgt;
  double *src_cum;   /* src_cum[i] = length of source segments [0,i) */
  double *tgt_cum;   /* tgt_cum[j] = length of target segments [0,j) */
  double ratio;      /* c: expected target length per unit of source length */
  double var;        /* s2: variance of (l_tgt - c*l_src) per unit of mean length */
  double log_var;    /* log(var) */
  double *g_table;   /* tabulated log density of the residual (score.c) */
  double log_prior[IEUM_N_SHAPES]; /* log P(shape) */
  double tgt_mu, tgt_sigma;        /* log-normal fit of target segment lengths */
  ieum_anchors src_anchors;        /* numbers and Latin words of each source segment */
  ieum_anchors tgt_anchors;        /* the same for the target */
} ieum_scorer;

int ieum_score__init(ieum_scorer *s, const ieum_doc *src, const ieum_doc *tgt, double ratio);
void ieum_score__dispose(ieum_scorer *s);

/* log P(bead): shape index k of ieum_shapes, starting at source i, target j. */
double ieum_score__bead(const ieum_scorer *s, size_t i, size_t j, int k);

/*
** Re-estimates the length ratio from the 1-1 beads of a ladder whose length
** residual is within REFIT_MAX_Z standard deviations under the current model.
*/
void ieum_score__refit(ieum_scorer *s, const ieum_bead *beads, size_t n);

#endif
