/*
** align/score.c: how likely a bead is, from the lengths of its two sides.
**
** The model is generative, after Gale and Church (1993): the ladder is a
** sequence of bead shapes drawn with prior probabilities, each source text is
** given, and each target text's length l2 is drawn given its source's length
** l1 as l2 = c*l1 + d, with d ~ Normal(0, s2*l') mixed with a wider normal
** for the heavy tail of free translations (l' is the mean length of the two
** sides in source units).  A target text that translates nothing (0-1) has
** its length drawn from a log-normal fitted on the target document; a 1-0
** bead costs only its prior, since every source text is given on every
** ladder.  Densities, not Gale-Church's tail probabilities, keep beads of
** different shapes comparable, so omissions are not forced into merges.
** Anchors (anchor.c: numbers, months, Latin words) shared or not shared by
** the two sides of a bead add a log-likelihood ratio to its score.
** c, the target/source length ratio, comes from the document pair itself
** (Korean runs 2-3 times shorter than English in characters), first from the
** totals and then from a first ladder's confident 1-1 beads.
** Cost: O(1) per bead after O(n) prefix sums.
** Not here: the search over ladders (dp.c), lengths themselves (doc.c).
*/
#include <math.h>

#include "score_int.h"

const uint8_t ieum_shapes[IEUM_N_SHAPES][2] = {
  { 1, 1 }, { 1, 0 }, { 0, 1 }, { 2, 1 }, { 1, 2 }, { 2, 2 },
};

/*
** Prior probability of each shape (same order as ieum_shapes).  Gale-Church
** measured .89/.0099/.089/.011 on parliamentary text; Korean-English news
** merges and splits sentences more often.  Chosen on ../shared/data/align
** (strict F1, all families, with anchors): omissions are priced below their
** rate in the perturbed sets (about .03) because a cheap 1-0 wins over real
** 1-1 beads in free news translation (.03 cost .014 F1 on real news).  They
** need not sum to 1.
*/
static const double shape_prior[IEUM_N_SHAPES] = { 0.82, 0.01, 0.01, 0.08, 0.08, 0.005 };

/*
** Gale-Church's variance per character for the same-script case; scaled by
** the ratio before the first refit because the target side is c times
** longer.
*/
#define DEFAULT_VAR_PER_CHAR 6.8

/* The wide component of the residual's density: its weight and its variance relative to the narrow one. */
#define WIDE_WEIGHT 0.1
#define WIDE_FACTOR 9.0
/* The table of the mixture's log density: z from 0 to DENSITY_Z_MAX, DENSITY_STEPS entries per unit. */
#define DENSITY_Z_MAX 64
#define DENSITY_STEPS 64

/*
** Log-likelihood ratios of anchors (anchor.c) in a bead with both sides: a
** number or an expected Latin word found on both sides is evidence that the
** bead is right; one found on one side only is (weaker) evidence against,
** since translators drop and add numbers ("about $3.5 million").
*/
#define NUM_MATCH 2.0
#define NUM_MISS 1.0
#define LATIN_MATCH 2.0
#define LATIN_MISS 0.5

/*
** Log-likelihood ratios for the sentence counts of a bead whose segments hold
** several sentences (see structure()); chosen on ../shared/data/align: a
** penalty for unequal counts cost more on real news (translators do merge)
** than it gained on the perturbed sets, so only equality is rewarded.
*/
#define SENTENCES_MATCH 1.0
#define SENTENCES_MISS 0.0

/* Bounds for the estimated parameters, so that a pathological document cannot break the model. */
#define RATIO_MIN 0.05
#define RATIO_MAX 20.0
#define VAR_MIN 0.5
#define VAR_MAX 200.0

/* A 1-1 bead feeds the refit when its length residual is within this many standard deviations. */
#define REFIT_MAX_Z 2.0
/* Such beads needed before a refit trusts the ladder's ratio. */
#define REFIT_MIN_BEADS 5

/*
** g(z) = log of the residual's standardized density at z = d^2/var, for the
** mixture of a normal (weight 1 - WIDE_WEIGHT) and a normal WIDE_FACTOR times
** wider: the density of d is exp(g(z)) / sqrt(var).  Tabulated once per
** scorer on [0, DENSITY_Z_MAX] in steps of 1/DENSITY_STEPS and read with
** linear interpolation, which saves an exp and a log1p per bead (they were
** a quarter of the aligner's time); past the table the wide normal alone.
*/
static double mixture_g(double z)
{
  double l1 = log1p(-WIDE_WEIGHT) - 0.5 * z - 0.5 * log(2 * M_PI);
  double l2 = log(WIDE_WEIGHT) - 0.5 * z / WIDE_FACTOR - 0.5 * log(2 * M_PI * WIDE_FACTOR);
  return l1 > l2 ? l1 + log1p(exp(l2 - l1)) : l2 + log1p(exp(l1 - l2));
}

static double log_density(const ieum_scorer *s, double d, double var, double log_var)
{
  double z = d * d / var;
  double g;
  if (z < DENSITY_Z_MAX) {
    double x = z * DENSITY_STEPS;
    size_t k = (size_t)x;
    double f = x - (double)k;
    g = s->g_table[k] + f * (s->g_table[k + 1] - s->g_table[k]);
  } else {
    g = log(WIDE_WEIGHT) - 0.5 * z / WIDE_FACTOR - 0.5 * log(2 * M_PI * WIDE_FACTOR);
  }
  return g - 0.5 * log_var;
}

static int cumulate(double **out, const ieum_doc *doc)
{
  size_t n = ieum_doc_count(doc);
  double *cum = ieum__malloc((n + 1) * sizeof *cum);
  if (!cum)
    return ieum__error_oom();
  cum[0] = 0;
  for (size_t i = 0; i < n; i++) {
    const ieum_segment *sg = ieum_doc_segment(doc, i);
    cum[i + 1] = cum[i] + (double)ieum_align__length(sg->text, sg->len);
  }
  *out = cum;
  return IEUM_OK;
}

static double clamp(double x, double lo, double hi)
{
  return x < lo ? lo : x > hi ? hi : x;
}

int ieum_score__init(ieum_scorer *s, const ieum_doc *src, const ieum_doc *tgt, double ratio)
{
  int rc;
  *s = (ieum_scorer){ .src = src, .tgt = tgt };
  if ((rc = cumulate(&s->src_cum, src)) != 0 || (rc = cumulate(&s->tgt_cum, tgt)) != 0 ||
      (rc = ieum_anchor__extract(&s->src_anchors, src)) != 0 ||
      (rc = ieum_anchor__extract(&s->tgt_anchors, tgt)) != 0) {
    ieum_score__dispose(s);
    return rc;
  }
  double ls = s->src_cum[ieum_doc_count(src)], lt = s->tgt_cum[ieum_doc_count(tgt)];
  if (ratio <= 0)
    ratio = ls > 0 && lt > 0 ? lt / ls : 1.0;
  s->ratio = clamp(ratio, RATIO_MIN, RATIO_MAX);
  s->var = clamp(DEFAULT_VAR_PER_CHAR * s->ratio, VAR_MIN, VAR_MAX);
  for (int k = 0; k < IEUM_N_SHAPES; k++)
    s->log_prior[k] = log(shape_prior[k]);
  s->log_var = log(s->var);
  s->g_table = ieum__malloc((DENSITY_Z_MAX * DENSITY_STEPS + 2) * sizeof *s->g_table);
  if (!s->g_table) {
    ieum_score__dispose(s);
    return ieum__error_oom();
  }
  for (size_t k = 0; k < DENSITY_Z_MAX * DENSITY_STEPS + 2; k++)
    s->g_table[k] = mixture_g((double)k / DENSITY_STEPS);
  size_t m = ieum_doc_count(tgt);
  double sum = 0, sq = 0;
  for (size_t j = 0; j < m; j++) {
    double x = log(fmax(1, s->tgt_cum[j + 1] - s->tgt_cum[j]));
    sum += x;
    sq += x * x;
  }
  s->tgt_mu = m ? sum / (double)m : 3;
  s->tgt_sigma = m > 1 ? sqrt(fmax(0.05, sq / (double)m - s->tgt_mu * s->tgt_mu)) : 0.7;
  return IEUM_OK;
}

void ieum_score__dispose(ieum_scorer *s)
{
  ieum__free(s->src_cum);
  ieum__free(s->tgt_cum);
  ieum_anchor__dispose(&s->src_anchors);
  ieum_anchor__dispose(&s->tgt_anchors);
  ieum__free(s->g_table);
  s->g_table = NULL;
  s->src_cum = s->tgt_cum = NULL;
}

/* log density of the length of a target text that translates nothing: log-normal fitted on the target. */
static double log_marginal(const ieum_scorer *s, double l)
{
  if (l < 1)
    l = 1;
  double z = (log(l) - s->tgt_mu) / s->tgt_sigma;
  return -0.5 * z * z - log(s->tgt_sigma * sqrt(2 * M_PI)) - log(l);
}

/*
** Sentences inside segments: when a segment of the bead holds more than one
** sentence (presegmented input whose lines join sentences), a bead whose two
** sides hold as many sentences each is likelier: "A. B." on one line is the
** translation of two lines more often than of one.
*/
static double structure(const ieum_scorer *s, size_t i, size_t a, size_t j, size_t b)
{
  unsigned S = 0, T = 0, multi = 0;
  for (size_t x = i; x < i + a; x++) {
    S += s->src_anchors.sents[x];
    multi |= s->src_anchors.sents[x] > 1;
  }
  for (size_t x = j; x < j + b; x++) {
    T += s->tgt_anchors.sents[x];
    multi |= s->tgt_anchors.sents[x] > 1;
  }
  if (!multi)
    return 0;
  return S == T ? SENTENCES_MATCH : -SENTENCES_MISS * fabs((double)S - (double)T);
}

double ieum_score__bead(const ieum_scorer *s, size_t i, size_t j, int k)
{
  size_t a = ieum_shapes[k][0], b = ieum_shapes[k][1];
  double l1 = s->src_cum[i + a] - s->src_cum[i];
  double l2 = s->tgt_cum[j + b] - s->tgt_cum[j];
  if (b == 0)
    return s->log_prior[k];
  if (a == 0)
    return s->log_prior[k] + log_marginal(s, l2);
  double mean = (l1 + l2 / s->ratio) / 2;
  if (mean < 1)
    mean = 1;
  double d = l2 - s->ratio * l1;
  double lp = s->log_prior[k] + log_density(s, d, s->var * mean, s->log_var + log(mean));
  if (b == 2)
    lp -= log(l2 + 1); /* where the target text splits in two: uniform over its length */
  ieum_anchor_match am;
  ieum_anchor__match(&am, &s->src_anchors, i, a, &s->tgt_anchors, j, b);
  lp += structure(s, i, a, j, b);
  lp += NUM_MATCH * am.num_matched - NUM_MISS * am.num_unmatched + LATIN_MATCH * am.exp_matched -
        LATIN_MISS * am.exp_unmatched;
  return lp;
}

void ieum_score__refit(ieum_scorer *s, const ieum_bead *beads, size_t n)
{
  double sum1 = 0, sum2 = 0;
  size_t used = 0;
  for (size_t k = 0; k < n; k++) {
    const ieum_bead *bd = &beads[k];
    if (bd->src_n != 1 || bd->tgt_n != 1)
      continue;
    double l1 = s->src_cum[bd->src_start + 1] - s->src_cum[bd->src_start];
    double l2 = s->tgt_cum[bd->tgt_start + 1] - s->tgt_cum[bd->tgt_start];
    double mean = (l1 + l2 / s->ratio) / 2;
    if (mean < 1)
      mean = 1;
    if (fabs(l2 - s->ratio * l1) > REFIT_MAX_Z * sqrt(s->var * mean))
      continue;
    sum1 += l1;
    sum2 += l2;
    used++;
  }
  if (used < REFIT_MIN_BEADS || sum1 <= 0 || sum2 <= 0)
    return;
  double c = clamp(sum2 / sum1, RATIO_MIN, RATIO_MAX);
  /*
  ** Only the ratio is refitted.  The residual variance of the confident
  ** beads underestimates that of the document (measured on the dev set: 5.8
  ** against 14.6 per character, and strict F1 fell by 0.05), so the
  ** variance keeps its per-character default, scaled to the new ratio.
  */
  s->ratio = c;
  s->var = clamp(DEFAULT_VAR_PER_CHAR * c, VAR_MIN, VAR_MAX);
  s->log_var = log(s->var);
}
