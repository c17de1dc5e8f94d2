/*
** align/calib.c: the map from a bead's posterior to its reported
** confidence (calib_int.h).
**
** Platt scaling per class of bead: confidence = 1 / (1 + exp(-(A logit(p)
** + B))), with (A, B) for 1-1 beads, for the other two-sided beads (2-1,
** 1-2, 2-2, 3-1, 1-3) and for omissions (1-0, 0-1).  Two numbers a class,
** six in all, fitted by maximum likelihood (a grid over A in 0.2..1.5 by
** 0.02 and B in -3..3 by 0.05) on the beads of ieum's alignments of the 40
** cases of ../shared/data/align, a bead right when it is a gold bead
** (bench/calibration.py measures the result; the held-out cases of the
** same construction are what it has to hold on).  A < 1 spreads the
** posteriors out: merges at 0.99 are right about 0.9 of the time.  Fitted
** on half of the cases (by case number) and scored on the other half, the
** map raised the strict precision of the pairs kept at --min-score 0.9
** from 0.984 and 0.991 to 0.989 and 0.995.  The map is increasing within a
** class, so ladders and their order by confidence within a class stay as
** they are; posteriors of 0 and 1 are read as 1e-7 and 1 - 1e-7.
** Not here: the posteriors (dp.c), the bench (bench/calibration.py).
*/
#include <math.h>

#include "calib_int.h"

/* Log-odds of the most extreme posteriors: keeps the map finite. */
#define P_EDGE 1e-7

static const struct {
  double a, b;
} platt[3] = {
  { 0.62, 1.45 },  /* 1-1 */
  { 0.42, -0.80 }, /* other two-sided beads */
  { 0.56, 0.75 },  /* omissions */
};

double ieum_calib__map(double p, uint32_t src_n, uint32_t tgt_n)
{
  int k = src_n == 0 || tgt_n == 0 ? 2 : src_n == 1 && tgt_n == 1 ? 0 : 1;
  if (p < P_EDGE)
    p = P_EDGE;
  if (p > 1 - P_EDGE)
    p = 1 - P_EDGE;
  double z = platt[k].a * log(p / (1 - p)) + platt[k].b;
  return 1 / (1 + exp(-z));
}
