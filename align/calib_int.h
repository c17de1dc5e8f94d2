/*
** align/calib_int.h: calibrated confidences from the aligner's posteriors (private).
**
** A bead's posterior probability (dp.c's forward-backward) is too sure of
** merges and slightly too sure of 1-1 beads: on ../shared/data/align the
** 0.9-0.99 posteriors of two-sided beads were right 0.89-0.94 of the time.
** ieum_calib__map() turns a posterior into the confidence the aligner
** reports, by a logistic map of its log-odds per class of bead (calib.c).
** Not here: the posteriors themselves (dp.c).
*/
#ifndef IEUM_CALIB_INT_H
#define IEUM_CALIB_INT_H

#include <stdint.h>

/* The confidence of a bead of src_n source and tgt_n target segments whose posterior is `p` (in [0,1]). */
double ieum_calib__map(double p, uint32_t src_n, uint32_t tgt_n);

#endif
