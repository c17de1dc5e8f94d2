/*
** align/score.c: how likely a bead is, from lengths and shared keys.
**
** The model is generative, after Gale and Church (1993): the ladder is a
** sequence of bead shapes (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3) drawn
** with prior probabilities, each source text is given, and each target
** text's length l2 is drawn given its source's length l1 as l2 = c*l1 + d,
** with d ~ Normal(0, s2*l') mixed with a wider normal for the heavy tail of
** free translations (l' is the mean length of the two sides in source
** units).  A target text that translates nothing (0-1) has its length drawn
** from a log-normal fitted on the target document; a 1-0 bead costs only its
** prior, since every source text is given on every ladder.  Densities, not
** Gale-Church's tail probabilities, keep beads of different shapes
** comparable, so omissions are not forced into merges.
** Evidence: each segment has keys (lexicon entries, name and loanword
** skeletons, numbers and months, Latin words of Korean text, punctuation
** marks such as quotes and question marks) that the other document holds
** too.  For a key on one side of a two-sided bead, the score adds the
** log-likelihood ratio log P(found on the other side | bead right) /
** P(found | bead wrong), or the same for "not found": right, it is found
** when translated (p, per family) or by chance; wrong, only by chance (q_b,
** from the key's document frequency over the other side's segments and the
** bead's b segments).  p is estimated per document on the first ladder's
** confident 1-1 beads, as c, the target/source length ratio, is (Korean
** runs 2-3 times shorter than English in characters): from the totals,
** then refitted.
** Structure: when a side of a bead holds several sentences, equal sentence
** counts on both sides weigh as a log-likelihood ratio, P(equal | right)
** estimated per document from the first ladder against P(equal | chance)
** from the documents' counts (structure()).  Paragraphs, when both
** documents have several: a bead that ends paragraphs on both sides gains,
** one that merges sentences across a paragraph boundary loses, with the
** rate of agreement estimated per document the same way (paragraphs()).
** Roles (headline, byline, caption ... of align.h): a two-sided bead whose
** segments do not all carry one role is forbidden (log-probability -inf),
** whether the roles differ across the sides (a headline with a body
** sentence) or within one side (a headline merged with the body sentence
** after it); across the sides a related title counts as body (role_class()).
** Forbidden rather than penalized: the roles come from the
** text's layout, which is surer than any length or key evidence, and
** omissions (1-0, 0-1) always remain, so a ladder always exists; a role
** one side has and the other lacks costs one omission on each side.
** Documents whose segments all carry the same role (presegmented input,
** the aligner's evaluation sets) skip the check and score as before.
** Cost: O(1) per bead after O(n) prefix sums, plus a merge of the sorted
** keys of the segment pairs that may share one (cached per pair, for the
** last PAIR_ROWS source segments); ieum_score__cell() scores every shape of
** a DP cell at once, sharing lengths, counts and pairs.  The two sides'
** keys and evidence are built on two threads for long documents
** (build_evidence(), in three phases that meet at a barrier).
** Not here: the search over ladders (dp.c), lengths (doc.c), keys
** (anchor.c, lexicon.c, names.c, keys.c).
*/
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "score_int.h"

const uint8_t ieum_shapes[IEUM_N_SHAPES][2] = {
  { 1, 1 }, { 1, 0 }, { 0, 1 }, { 2, 1 }, { 1, 2 }, { 2, 2 }, { 3, 1 }, { 1, 3 },
};

/*
** Prior probability of each shape (same order as ieum_shapes).  Gale-Church
** measured .89/.0099/.089/.011 on parliamentary text; Korean-English news
** merges and splits sentences more often.  Chosen on ../shared/data/align
** (strict F1, all families, with anchors): omissions are priced below their
** rate in the perturbed sets (about .03) because a cheap 1-0 wins over real
** 1-1 beads in free news translation (.03 cost .014 F1 on real news).  They
** need not sum to 1.  A long Korean sentence translated as three English
** ones (1-3, 3-1) is rarer than a merge of two, by a factor of 40 here:
** on the dev set, which has none, .004 cost .0008 F1 and .002 nothing.
** 2-2 is the rarest two-sided shape (Gale-Church: .011 against .089 for
** merges); at .005 two noisy 1-1 lines of real news were merged into one
** 2-2 five times on the dev set (which has no gold 2-2), .002 (strict F1
** of real news +.004) keeps them apart.
*/
#define SHAPE_3_PRIOR 0.002
#define SHAPE_2_2_PRIOR 0.002
static const double shape_prior[IEUM_N_SHAPES] = { 0.82, 0.01, 0.01, 0.08, 0.08, SHAPE_2_2_PRIOR, SHAPE_3_PRIOR,
                                                     SHAPE_3_PRIOR };

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
** Evidence keys (see ieum_score__evidence()): P(a key is translated, so
** found on the other side of a right bead), per family, before the
** document's own estimate.  They are the means of refit()'s per-document
** estimates over the 40 cases of ../shared/data/align; for punctuation
** marks, a round middle value (per-document estimates range widely).
*/
#define P_LEX 0.64
#define P_NAME 0.48
#define P_NUM 0.87
#define P_LATIN 0.53
#define P_MARK 0.6
static const double p_found_default[IEUM_EV_FAMILIES] = { P_LEX, P_NAME, P_NUM, P_LATIN, P_MARK };
/* Weight of those defaults in a document's estimate, in keys (a Dirichlet prior). */
#define P_PRIOR_KEYS 20.0
/* Bounds of a per-document estimate: a key is never certain to be kept or dropped. */
#define P_MIN 0.05
#define P_MAX 0.95
/*
** The evidence of keys is tempered: their log-likelihood ratios are summed
** as if keys were independent, but they are not ("North Korea", "Pyongyang"
** and "nuclear" come together), so the sum is scaled by EVIDENCE_WEIGHT,
** the one free constant of the model.  Measured on ../shared/data/align
** (strict F1, ALL): 1.0 .935, 0.5 .955, 0.45 .957, 0.4 .957, 0.35 .957;
** 0.4 sits in the middle of the plateau.
*/
#define EVIDENCE_WEIGHT 0.4
/* Least chance of a key on the other side, so a ratio stays finite. */
#define Q_MIN 1e-9
/* Most keys a segment keeps as evidence (they fit the 32-bit masks of found keys of the pair cache). */
#define KEYS_PER_SEGMENT 32
/*
** Slots per source segment of the cache of shared keys (pair_found()): a
** power of two above the band's usual width, so that the target segments a
** source segment meets in one pass rarely evict each other; the DP asks for
** each pair several times (beads of several shapes, four passes).
*/
#define PAIR_SLOTS 32
/*
** Most source segments the cache holds at once (a power of two): far more
** than a pass revisits (a chunk of the first pass is CHUNK_ROWS = 64 rows,
** searched a few times), so that only a later pass over a long document
** recomputes a pair.  Documents up to this many segments keep every pair
** they meet; longer ones keep 1.5 MB of pairs instead of 384 bytes per
** segment (384 MB for a million).
*/
#define PAIR_ROWS 4096
/*
** log() of a bead's lengths, on every bead, was a sixth of the aligner's
** time: it is read from a table of log(1 + k/2^LOG_BITS) over the mantissa
** with linear interpolation (error below 2e-7) plus the exponent times ln 2.
*/
#define LOG_BITS 10

/*
** Sentence counts (structure()): P(a right bead's sides hold as many
** sentences | a side holds several) before the document's estimate, and
** the estimate's prior weight in beads.  Measured on ../shared/data/align
** (strict F1, ALL, before loanwords needed four classes): .5 .9627, .6
** .9634, .7 .9626, .8 .9618; the refit
** moves it to each document's own rate (real news lines often join two
** English sentences that translate one Korean one).
*/
#define P_SAME 0.6
#define P_SAME_PRIOR_BEADS 10.0
/* Bounds of P(equal counts by chance); the estimate of P_SAME keeps P_MIN..P_MAX. */
#define Q_SAME_MIN 0.01
#define Q_SAME_MAX 0.9
/* Sentence counts above this are pooled in the chance estimate. */
#define SENTS_POOL 3

/*
** Paragraphs (paragraphs()): p, P(a right bead where a paragraph boundary
** counts ends both paragraphs | rather than merging across one), before the
** document's estimate from the first ladder, and the estimate's prior
** weight in beads (the chance level q is P(two random segments both end a
** paragraph | one does)); 0.6 and 0.9 moved strict F1 on the data of
** paragraphs() by under .002.  The signal is used when both documents have
** at least PARA_MIN paragraphs.
*/
#define P_PARA 0.8
#define P_PARA_PRIOR_BEADS 10.0
#define PARA_MIN 3

/* Bounds for the estimated parameters, so that a pathological document cannot break the model. */
#define RATIO_MIN 0.05
#define RATIO_MAX 20.0
#define VAR_MIN 0.5
#define VAR_MAX 200.0

/*
** Most weight a length ratio known beforehand (a TM's) gets, in source
** characters (about seven Korean news sentences), so that it steadies the
** estimate of a short article without overriding a long one.  Measured with
** a TM of ieum's own alignments of the even-numbered cases of
** ../shared/data/align, scoring the odd-numbered ones (strict F1): whole
** cases .9612 at 0, 100 and 250, .9604 at 500-1000, .9598 from 2000;
** 148 windows of 12 beads cut from them .9573 at 0, .9590 from 250 up.
*/
#define PRIOR_CHARS_MAX 250.0

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

static uint64_t family_key(uint64_t key, int fam)
{
  return (key & (((uint64_t)1 << IEUM_EV_SHIFT) - 1)) | ((uint64_t)fam << IEUM_EV_SHIFT);
}

static int add_range(ieum_keyset *ks, const uint64_t *k, size_t from, size_t to, int fam)
{
  int rc = IEUM_OK;
  for (size_t x = from; x < to && rc == 0; x++)
    rc = ieum_keyset__add(ks, family_key(k[x], fam));
  return rc;
}

/*
** Every key of every family of one side (0 source, 1 target), before they
** are filtered.  Latin words: those of non-Latin text (anchor.c's expected
** words) and, on a Latin side facing non-Latin text, every word, so that
** "GSOMIA" in Korean meets "GSOMIA" in English from both sides.
*/
static int raw_keys(ieum_keyset *out, const ieum_scorer *s, int side, const ieum_keyset *lex,
                    const ieum_keyset *names)
{
  const ieum_doc *doc = side ? s->tgt : s->src;
  const ieum_anchors *an = side ? &s->tgt_anchors : &s->src_anchors;
  const ieum_anchors *other = side ? &s->src_anchors : &s->tgt_anchors;
  size_t n = ieum_doc_count(doc), n_other = ieum_doc_count(side ? s->src : s->tgt);
  int use_exp = an->exp_off[n] > 0, use_words = !use_exp && other->exp_off[n_other] > 0;
  int rc = ieum_keyset__begin(out, n);
  for (size_t k = 0; k < n && rc == 0; k++) {
    if (s->lexical) {
      rc = add_range(out, lex->keys, lex->off[k], lex->off[k + 1], IEUM_EV_LEX);
      if (rc == 0)
        rc = add_range(out, names->keys, names->off[k], names->off[k + 1], IEUM_EV_NAME);
    }
    if (rc == 0)
      rc = add_range(out, an->nums, an->num_off[k], an->num_off[k + 1], IEUM_EV_NUM);
    if (rc == 0)
      rc = add_range(out, an->marks, an->mark_off[k], an->mark_off[k + 1], IEUM_EV_MARK);
    if (rc == 0 && use_exp)
      rc = add_range(out, an->expect, an->exp_off[k], an->exp_off[k + 1], IEUM_EV_LATIN);
    if (rc == 0 && use_words)
      rc = add_range(out, an->words, an->word_off[k], an->word_off[k + 1], IEUM_EV_LATIN);
    ieum_keyset__end_segment(out, k);
  }
  if (rc)
    ieum_keyset__dispose(out);
  return rc;
}

/*
** The evidence of one side: the keys of `raw` that the other document holds
** too (a key it never holds cannot tell one bead of the ladder from
** another), with q, the share of the other document's segments holding
** each.
*/
static int keep_shared(ieum_evidence *ev, const ieum_keyset *raw, const ieum_keytally *other, size_t n_other)
{
  size_t n = raw->n;
  int rc;
  memset(ev, 0, sizeof *ev);
  if ((rc = ieum_keyset__begin(&ev->ks, n)) != 0)
    return rc;
  for (size_t k = 0; k < n && rc == 0; k++) {
    size_t kept = 0;
    for (size_t x = raw->off[k]; x < raw->off[k + 1] && kept < KEYS_PER_SEGMENT && rc == 0; x++)
      if (ieum_keytally__segments(other, raw->keys[x]) > 0) {
        rc = ieum_keyset__add(&ev->ks, raw->keys[x]);
        kept++;
      }
    ieum_keyset__end_segment(&ev->ks, k);
  }
  size_t nk = ev->ks.off[n];
  if (rc == 0) {
    ev->q = ieum__malloc((nk + 1) * sizeof *ev->q);
    for (int b = 0; b < 3; b++)
      ev->gain[b] = ieum__malloc((nk + 1) * sizeof *ev->gain[b]);
    ev->miss_cum = ieum__malloc((n + 1) * sizeof *ev->miss_cum);
    if (!ev->q || !ev->gain[0] || !ev->gain[1] || !ev->gain[2] || !ev->miss_cum)
      rc = ieum__error_oom();
  }
  if (rc)
    return rc;
  for (size_t x = 0; x < nk; x++)
    ev->q[x] = (float)((double)ieum_keytally__segments(other, ev->ks.keys[x]) / (double)(n_other ? n_other : 1));
  return IEUM_OK;
}

static void evidence_dispose(ieum_evidence *ev)
{
  ieum_keyset__dispose(&ev->ks);
  ieum__free(ev->q);
  for (int b = 0; b < 3; b++)
    ieum__free(ev->gain[b]);
  ieum__free(ev->miss_cum);
  memset(ev, 0, sizeof *ev);
}

/*
** The log-likelihood ratios of one side's keys under the families'
** probabilities p.  A key of a right bead is found on the other side when
** it was translated (p) or, failing that, when the other side holds it by
** chance (q_b = 1 - (1-q)^b for b segments); on a wrong bead only by
** chance.  Found: log((p + (1-p) q_b) / q_b); missed: log((1-p)(1-q_b) /
** (1-q_b)) = log(1-p), which miss_cum sums per segment, so that gain[] is
** the difference the finding makes.  q takes few values (a count of
** segments over the other document's), so the gains of a (family, q) pair
** are computed once and remembered in a small direct-mapped memo of
** WEIGH_MEMO entries (the pow() and log() calls were most of the time).
*/
#define WEIGH_MEMO 1024
static void weigh(ieum_evidence *ev, const double p[IEUM_EV_FAMILIES])
{
  size_t n = ev->ks.n;
  double miss[IEUM_EV_FAMILIES];
  struct {
    uint32_t tag; /* (family << 28 | low bits of q) + 1; 0 = empty */
    float q;
    float gain[3];
  } memo[WEIGH_MEMO];
  memset(memo, 0, sizeof memo);
  for (int f = 0; f < IEUM_EV_FAMILIES; f++)
    miss[f] = log1p(-p[f]);
  ev->miss_cum[0] = 0;
  for (size_t k = 0; k < n; k++) {
    double m = 0;
    for (size_t x = ev->ks.off[k]; x < ev->ks.off[k + 1]; x++) {
      int f = (int)(ev->ks.keys[x] >> IEUM_EV_SHIFT);
      float qf = ev->q[x];
      uint32_t bits;
      memcpy(&bits, &qf, sizeof bits);
      uint32_t tag = (((uint32_t)f << 28) | (bits & 0x0FFFFFFFu)) + 1;
      size_t slot = (size_t)((tag * 2654435761u) >> 22) & (WEIGH_MEMO - 1);
      m += EVIDENCE_WEIGHT * miss[f];
      if (memo[slot].tag == tag && memo[slot].q == qf) {
        for (int b = 0; b < 3; b++)
          ev->gain[b][x] = memo[slot].gain[b];
        continue;
      }
      double q = qf, pf = p[f];
      for (int b = 0; b < 3; b++) {
        double qb = 1 - pow(1 - q, b + 1);
        if (qb < Q_MIN)
          qb = Q_MIN;
        ev->gain[b][x] = (float)(EVIDENCE_WEIGHT * (log((pf + (1 - pf) * qb) / qb) - miss[f]));
        memo[slot].gain[b] = ev->gain[b][x];
      }
      memo[slot].tag = tag;
      memo[slot].q = qf;
    }
    ev->miss_cum[k + 1] = ev->miss_cum[k] + m;
  }
}

/*
** Segments of the two documents together from which build_evidence()
** prepares the two sides on two threads.  Measured with ieum_score__init()
** on the first lines of a Korean-English pair of one sentence per line
** (built-in lexicon built beforehand; best of 20, one thread against two,
** with no threshold): 50 segments 367 against 405 us, 100: 626/577,
** 200: 1336/1038, 500: 3090/2319, 2000: 12.1/8.9 ms, 20000: 55/39 ms.
** Two threads pay from about 75 segments; 200 keeps a margin for a busy
** machine and leaves short documents (and the OOM tests' allocation
** countdown, which is not thread-safe) on one thread.
*/
#define EVIDENCE_THREAD_MIN 200
/* Bytes of an error message carried from the second thread to the caller's (error.c keeps 1024). */
#define ERROR_COPY_MAX 1024
/* build_evidence()'s phases, each run per side: what a phase reads of the other side is final before it starts. */
#define EVIDENCE_PHASES 3

struct evidence_job;

/* One side's share of build_evidence(): what it builds, and how each phase ended. */
typedef struct {
  struct evidence_job *job;
  int side;                      /* 0 source, 1 target */
  int korean;                    /* the side is read as Korean (lexicon and names) */
  ieum_keyset lk, nk, raw;       /* lexicon keys, name keys, every key before filtering */
  ieum_keytally tally;           /* segments holding each raw key */
  int rc[EVIDENCE_PHASES];       /* per phase: written by this side's thread during it, read by both after it */
  char message[ERROR_COPY_MAX];  /* the error of a failed phase, copied off this side's thread */
} side_work;

typedef struct evidence_job {
  ieum_scorer *s;
  const ieum_lexicon *lex;       /* the lexicon when lexical, else NULL */
  side_work side[2];
  pthread_barrier_t barrier;     /* the two threads meet after each phase */
} evidence_job;

/*
** One phase of one side:
**   0. anchors, lexicon keys and name keys of the side's document;
**   1. its raw keys (reading the other side's anchors) and their tally;
**   2. the keys the other side's tally holds, trimmed and weighed.
** Each reads only what the other side finished in an earlier phase.
*/
static int evidence_phase(side_work *w, int phase)
{
  ieum_scorer *s = w->job->s;
  const ieum_doc *doc = w->side ? s->tgt : s->src;
  int rc = IEUM_OK;
  switch (phase) {
  case 0:
    rc = ieum_anchor__extract(w->side ? &s->tgt_anchors : &s->src_anchors, doc);
    if (rc == 0 && s->lexical)
      rc = ieum_lexicon__side_keys(&w->lk, &w->nk, 1, w->job->lex, doc, w->korean);
    break;
  case 1:
    /* each intermediate set is freed as soon as it is used: long documents' peak memory */
    if ((rc = raw_keys(&w->raw, s, w->side, &w->lk, &w->nk)) == 0)
      rc = ieum_keytally__build(&w->tally, &w->raw);
    ieum_keyset__dispose(&w->lk);
    ieum_keyset__dispose(&w->nk);
    break;
  default:
    rc = keep_shared(&s->ev[w->side], &w->raw, &w->job->side[1 - w->side].tally,
                     ieum_doc_count(w->side ? s->src : s->tgt));
    ieum_keyset__dispose(&w->raw);
    if (rc == 0) {
      ieum_keyset__trim(&s->ev[w->side].ks);
      weigh(&s->ev[w->side], s->p_found);
    }
    break;
  }
  return rc;
}

/*
** Runs one side's phases on its own thread: after each, both sides meet at
** the barrier, then both stop when either side failed in it.
*/
static void evidence_side(side_work *w)
{
  evidence_job *job = w->job;
  for (int p = 0; p < EVIDENCE_PHASES; p++) {
    if ((w->rc[p] = evidence_phase(w, p)) != 0) {
      const ieum_error *e = ieum_error_last();
      snprintf(w->message, sizeof w->message, "%s", e && e->message ? e->message : ieum_strerror(w->rc[p]));
    }
    pthread_barrier_wait(&job->barrier);
    if (job->side[0].rc[p] || job->side[1].rc[p])
      break;
  }
}

static void *evidence_thread(void *arg)
{
  evidence_side(arg);
  return NULL;
}

/*
** Builds both sides' evidence from the anchors and, when lexical, the
** lexicon's and names' keys, on `threads` threads (1 or 2).  An error of
** the second thread is recorded again on this one; when both sides fail,
** the source's error is the one recorded.
*/
static int build_evidence(ieum_scorer *s, const ieum_lexicon *lex, int threads)
{
  ieum_lexicon *builtin = NULL;
  evidence_job job;
  int rc = IEUM_OK, ko[2] = { ieum_lexicon__is_korean(s->src), ieum_lexicon__is_korean(s->tgt) };
  memset(&job, 0, sizeof job);
  job.s = s;
  s->lexical = ko[0] != ko[1];
  if (s->lexical && !lex) {
    if ((rc = ieum_lexicon_new(&builtin, 1)) != 0)
      return rc;
    lex = builtin;
  }
  job.lex = s->lexical ? lex : NULL;
  for (int side = 0; side < 2; side++) {
    job.side[side].job = &job;
    job.side[side].side = side;
    job.side[side].korean = ko[side];
  }
  int threaded = 0;
  pthread_t th;
  if (threads > 1 && pthread_barrier_init(&job.barrier, NULL, 2) == 0) {
    if (pthread_create(&th, NULL, evidence_thread, &job.side[1]) == 0) {
      threaded = 1;
      evidence_side(&job.side[0]);
      pthread_join(th, NULL);
    }
    pthread_barrier_destroy(&job.barrier);
  }
  if (threaded) {
    for (int p = 0; p < EVIDENCE_PHASES && rc == 0; p++)
      if (job.side[0].rc[p])
        rc = job.side[0].rc[p]; /* recorded on this thread */
      else if (job.side[1].rc[p])
        rc = ieum__error_set(job.side[1].rc[p], "%s", job.side[1].message);
  } else {
    /* one thread (or no second one to be had): the phases in the same order, side by side */
    for (int p = 0; p < EVIDENCE_PHASES && rc == 0; p++)
      for (int side = 0; side < 2 && rc == 0; side++)
        rc = evidence_phase(&job.side[side], p);
  }
  for (int side = 0; side < 2; side++) {
    ieum_keyset__dispose(&job.side[side].lk);
    ieum_keyset__dispose(&job.side[side].nk);
    ieum_keyset__dispose(&job.side[side].raw);
    ieum_keytally__dispose(&job.side[side].tally);
  }
  ieum_lexicon_free(builtin);
  return rc;
}

/*
** A structural event's rate among right beads, p, against its chance level
** q: *p_out gets p kept in P_MIN..P_MAX and never below q (the event never
** counts against a bead), *gain and *miss the log-likelihood ratios of the
** event and of its absence.  Serves sentence counts and paragraph ends.
*/
static void set_rate(double p, double q, double *p_out, double *gain, double *miss)
{
  p = clamp(p, P_MIN, P_MAX);
  if (p < q)
    p = q;
  *p_out = p;
  *gain = log(p / q);
  *miss = log((1 - p) / (1 - q));
}

/*
** Sets the length ratio c (kept in RATIO_MIN..RATIO_MAX) and the variance
** that goes with it: DEFAULT_VAR_PER_CHAR scaled to c (see
** ieum_score__refit() for why the variance is not estimated).
*/
static void set_ratio(ieum_scorer *s, double c)
{
  s->ratio = clamp(c, RATIO_MIN, RATIO_MAX);
  s->var = clamp(DEFAULT_VAR_PER_CHAR * s->ratio, VAR_MIN, VAR_MAX);
  s->log_var = log(s->var);
}

/* The log-likelihood ratios of equal and unequal sentence counts under p and q_same. */
static void set_same(ieum_scorer *s, double p)
{
  set_rate(p, s->q_same, &s->p_same, &s->same_gain, &s->same_miss);
}

/*
** P(equal sentence counts | a side holds several) for two segments drawn
** at random, one from each document: q_same, the chance level.
*/
static void chance_same(ieum_scorer *s)
{
  double hist[2][SENTS_POOL + 1] = { { 0 } };
  for (int side = 0; side < 2; side++) {
    const ieum_anchors *an = side ? &s->tgt_anchors : &s->src_anchors;
    size_t n = ieum_doc_count(side ? s->tgt : s->src);
    for (size_t i = 0; i < n; i++)
      hist[side][an->sents[i] > SENTS_POOL ? SENTS_POOL : an->sents[i]] += 1.0 / (double)n;
  }
  double same = 0, multi = 0;
  for (int k = 2; k <= SENTS_POOL; k++) {
    same += 2 * hist[0][k] * hist[1][k];
    multi += hist[0][k] + hist[1][k];
  }
  s->q_same = clamp(multi > 0 ? same / multi : Q_SAME_MIN, Q_SAME_MIN, Q_SAME_MAX);
  set_same(s, P_SAME);
}

/* The log-likelihood ratios of paragraph ends that agree or not, under p_para and q_para. */
static void set_para(ieum_scorer *s, double p)
{
  set_rate(p, s->q_para, &s->p_para, &s->para_gain, &s->para_miss);
}

/*
** Marks the segments that end a paragraph when both documents have
** PARA_MIN paragraphs or more (else leaves the signal off), and sets the
** chance level q_para: for one segment drawn from each document, P(both end
** a paragraph | at least one does).
*/
static int paragraph_ends(ieum_scorer *s)
{
  const ieum_doc *doc[2] = { s->src, s->tgt };
  double share[2];
  for (int side = 0; side < 2; side++) {
    size_t n = ieum_doc_count(doc[side]);
    if (n == 0 || ieum_doc_segment(doc[side], n - 1)->para - ieum_doc_segment(doc[side], 0)->para + 1 < PARA_MIN)
      return IEUM_OK;
  }
  for (int side = 0; side < 2; side++) {
    size_t n = ieum_doc_count(doc[side]), ends = 0;
    if (!(s->para_end[side] = ieum__malloc(n)))
      return ieum__error_oom();
    for (size_t k = 0; k < n; k++) {
      s->para_end[side][k] = k + 1 == n || ieum_doc_segment(doc[side], k + 1)->para != ieum_doc_segment(doc[side], k)->para;
      ends += s->para_end[side][k];
    }
    share[side] = (double)ends / (double)n;
  }
  double either = share[0] + share[1] - share[0] * share[1];
  s->q_para = clamp(share[0] * share[1] / either, Q_SAME_MIN, Q_SAME_MAX);
  set_para(s, P_PARA);
  return IEUM_OK;
}

/* The segments' roles, kept only when they are not all the same (then no bead is checked). */
static int segment_roles(ieum_scorer *s)
{
  const ieum_doc *doc[2] = { s->src, s->tgt };
  int first = -1, mixed = 0;
  for (int side = 0; side < 2 && !mixed; side++)
    for (size_t k = 0; k < ieum_doc_count(doc[side]); k++) {
      int r = ieum_doc_segment(doc[side], k)->role;
      if (first < 0)
        first = r;
      else if (r != first) {
        mixed = 1;
        break;
      }
    }
  if (!mixed)
    return IEUM_OK;
  for (int side = 0; side < 2; side++) {
    size_t n = ieum_doc_count(doc[side]);
    if (!(s->role[side] = ieum__malloc(n ? n : 1)))
      return ieum__error_oom();
    for (size_t k = 0; k < n; k++)
      s->role[side][k] = (uint8_t)ieum_doc_segment(doc[side], k)->role;
  }
  return IEUM_OK;
}

/*
** What a role is matched as across the two sides: a related title (an
** intertitle or a related article's title) as body text.  Its detection
** rests on layout cues that a translation does not always keep (a Hangul
** intertitle reads as a title where its sentence-case English one reads as
** a short sentence), so forbidding it against body would lose true pairs.
*/
static inline uint8_t role_class(uint8_t r)
{
  return r == IEUM_ROLE_RELATED ? (uint8_t)IEUM_ROLE_BODY : r;
}

/*
** 1 when each side's segments of source [i, i+a) and target [j, j+b) carry
** one role and the two roles match (role_class()); see the top comment.
*/
static inline int same_role(const ieum_scorer *s, size_t i, size_t a, size_t j, size_t b)
{
  if (!s->role[0] || a == 0 || b == 0)
    return 1;
  uint8_t r = s->role[0][i], t = s->role[1][j];
  for (size_t x = i + 1; x < i + a; x++)
    if (s->role[0][x] != r)
      return 0;
  for (size_t y = j + 1; y < j + b; y++)
    if (s->role[1][y] != t)
      return 0;
  return role_class(r) == role_class(t);
}

static void paircache_free(ieum_paircache *pc)
{
  if (!pc)
    return;
  ieum__free(pc->row_of);
  ieum__free(pc->tag);
  ieum__free(pc->bits);
  ieum__free(pc);
}

/* A cache of shared keys for documents of n source segments. */
static int paircache_new(ieum_paircache **out, size_t n)
{
  ieum_paircache *pc = ieum__calloc(1, sizeof *pc);
  *out = NULL;
  if (!pc)
    return ieum__error_oom();
  pc->rows = 1;
  while (pc->rows < n && pc->rows < PAIR_ROWS)
    pc->rows *= 2;
  pc->row_of = ieum__calloc(pc->rows, sizeof *pc->row_of);
  pc->tag = ieum__malloc(pc->rows * PAIR_SLOTS * sizeof *pc->tag);
  pc->bits = ieum__malloc(pc->rows * PAIR_SLOTS * 2 * sizeof *pc->bits);
  if (!pc->row_of || !pc->tag || !pc->bits) {
    paircache_free(pc);
    return ieum__error_oom();
  }
  *out = pc;
  return IEUM_OK;
}

int ieum_score__fork(ieum_scorer *out, const ieum_scorer *s)
{
  *out = *s;
  int rc = paircache_new(&out->pairs, ieum_doc_count(s->src));
  if (rc)
    out->pairs = NULL;
  return rc;
}

void ieum_score__unfork(ieum_scorer *fork)
{
  paircache_free(fork->pairs);
  fork->pairs = NULL;
}

void ieum_score__set_prior(ieum_scorer *s, double ratio, double chars)
{
  if (!(ratio > 0) || !(chars > 0))
    return;
  s->prior_ratio = clamp(ratio, RATIO_MIN, RATIO_MAX);
  s->prior_chars = chars < PRIOR_CHARS_MAX ? chars : PRIOR_CHARS_MAX;
  double ls = s->src_cum[ieum_doc_count(s->src)], lt = s->tgt_cum[ieum_doc_count(s->tgt)];
  set_ratio(s, (lt + s->prior_chars * s->prior_ratio) / (ls + s->prior_chars));
}

int ieum_score__init(ieum_scorer *s, const ieum_doc *src, const ieum_doc *tgt, double ratio,
                     const ieum_lexicon *lex)
{
  return ieum_score__init_threads(s, src, tgt, ratio, lex, 1);
}

int ieum_score__threads(unsigned threads, int pays)
{
  if (threads)
    return threads > 1 ? 2 : 1;
  if (!pays)
    return 1;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores > 1 ? 2 : 1;
}

/* Threads for the evidence: the option's, but one below EVIDENCE_THREAD_MIN segments whatever it says. */
static int evidence_threads(unsigned threads, size_t segments)
{
  return segments < EVIDENCE_THREAD_MIN ? 1 : ieum_score__threads(threads, 1);
}

int ieum_score__init_threads(ieum_scorer *s, const ieum_doc *src, const ieum_doc *tgt, double ratio,
                             const ieum_lexicon *lex, unsigned threads)
{
  int rc;
  *s = (ieum_scorer){ .src = src, .tgt = tgt };
  memcpy(s->p_found, p_found_default, sizeof s->p_found);
  if ((rc = cumulate(&s->src_cum, src)) != 0 || (rc = cumulate(&s->tgt_cum, tgt)) != 0 ||
      (rc = build_evidence(s, lex, evidence_threads(threads, ieum_doc_count(src) + ieum_doc_count(tgt)))) != 0 ||
      (rc = paragraph_ends(s)) != 0 || (rc = segment_roles(s)) != 0) {
    ieum_score__dispose(s);
    return rc;
  }
  double ls = s->src_cum[ieum_doc_count(src)], lt = s->tgt_cum[ieum_doc_count(tgt)];
  if (ratio <= 0)
    ratio = ls > 0 && lt > 0 ? lt / ls : 1.0;
  set_ratio(s, ratio);
  for (int k = 0; k < IEUM_N_SHAPES; k++)
    s->log_prior[k] = log(shape_prior[k]);
  s->log_len = ieum__malloc(((1 << LOG_BITS) + 1) * sizeof *s->log_len);
  s->g_table = ieum__malloc((DENSITY_Z_MAX * DENSITY_STEPS + 2) * sizeof *s->g_table);
  if (!s->g_table || !s->log_len || (rc = paircache_new(&s->pairs, ieum_doc_count(src))) != 0) {
    ieum_score__dispose(s);
    return ieum__error_oom();
  }
  for (size_t k = 0; k < DENSITY_Z_MAX * DENSITY_STEPS + 2; k++)
    s->g_table[k] = (float)mixture_g((double)k / DENSITY_STEPS);
  for (size_t k = 0; k <= 1 << LOG_BITS; k++)
    s->log_len[k] = log1p((double)k / (1 << LOG_BITS));
  size_t m = ieum_doc_count(tgt);
  double sum = 0, sq = 0;
  for (size_t j = 0; j < m; j++) {
    double x = log(fmax(1, s->tgt_cum[j + 1] - s->tgt_cum[j]));
    sum += x;
    sq += x * x;
  }
  chance_same(s);
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
  for (int k = 0; k < 2; k++) {
    evidence_dispose(&s->ev[k]);
    ieum__free(s->para_end[k]);
    s->para_end[k] = NULL;
    ieum__free(s->role[k]);
    s->role[k] = NULL;
    ieum__free(s->omit_prior[k]);
    s->omit_prior[k] = NULL;
  }
  ieum__free(s->g_table);
  ieum__free(s->log_len);
  paircache_free(s->pairs);
  s->pairs = NULL;
  s->g_table = NULL;
  s->log_len = NULL;
  s->src_cum = s->tgt_cum = NULL;
}

/* log(x) for x >= 1 (see LOG_BITS). */
static inline double log_of(const ieum_scorer *s, double x)
{
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  int e = (int)((u >> 52) & 0x7ff) - 1023;
  uint64_t m = u & (((uint64_t)1 << 52) - 1);
  size_t k = (size_t)(m >> (52 - LOG_BITS));
  double f = (double)(m & (((uint64_t)1 << (52 - LOG_BITS)) - 1)) / (double)((uint64_t)1 << (52 - LOG_BITS));
  return e * M_LN2 + s->log_len[k] + f * (s->log_len[k + 1] - s->log_len[k]);
}

/* log density of the length of a target text that translates nothing: log-normal fitted on the target. */
static double log_marginal(const ieum_scorer *s, double l)
{
  if (l < 1)
    l = 1;
  double ll = log_of(s, l);
  double z = (ll - s->tgt_mu) / s->tgt_sigma;
  return -0.5 * z * z - log(s->tgt_sigma * sqrt(2 * M_PI)) - ll;
}

/*
** Sentences inside segments: when a segment of the bead holds more than one
** sentence (presegmented input whose lines join sentences), a bead whose two
** sides hold as many sentences each is likelier: "A. B." on one line is the
** translation of two lines more often than of one.  The log-likelihood
** ratio of equal (or unequal) counts, right bead against chance; *same
** (may be NULL) is set to -1 when no side held several, else to S == T.
*/
static double structure(const ieum_scorer *s, size_t i, size_t a, size_t j, size_t b, int *same)
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
  if (same)
    *same = !multi ? -1 : S == T;
  if (!multi)
    return 0;
  return S == T ? s->same_gain : s->same_miss;
}

/*
** Paragraphs, when both documents have several.  The ladder crosses a
** paragraph boundary on both sides at once where the paragraphs match: a
** bead (omissions too) whose end is a boundary of both documents gains
** log(p/q); a bead with a paragraph end inside one side (a merge across
** paragraphs) loses log((1-p)/(1-q)).  An end on one side alone is no
** evidence: translations split and join paragraphs, and a sentence dropped
** at a paragraph's end moves the boundary to the bead before it.  Measured
** on the dev set given paragraphs at gold bead boundaries with English
** paragraphs joined (20%) or split (10%, 25% in a second draw): strict F1
** ALL .9629 without paragraphs, .9672 and .9645 so; counting one-sided ends
** against a bead, .9684 but .9620 (below no signal) on the noisier draw.
** *agree (may be NULL) is set to -1 when no boundary is involved, else to
** 1 for an agreeing end and 0 for a merge across paragraphs.
*/
static double paragraphs(const ieum_scorer *s, size_t i, size_t a, size_t j, size_t b, int *agree)
{
  if (agree)
    *agree = -1;
  if (!s->para_end[0])
    return 0;
  const uint8_t *ps = s->para_end[0], *pt = s->para_end[1];
  /* where the bead ends: after its last segment, or where an empty side stands (a boundary at the start) */
  int es = a ? ps[i + a - 1] : i == 0 || ps[i - 1], et = b ? pt[j + b - 1] : j == 0 || pt[j - 1], inside = 0;
  for (size_t x = i; x + 1 < i + a; x++)
    inside |= ps[x];
  for (size_t y = j; y + 1 < j + b; y++)
    inside |= pt[y];
  if (!inside && !(es && et))
    return 0;
  if (agree)
    *agree = !inside;
  return inside ? s->para_miss : s->para_gain;
}

/* Sum of gain[] over the keys of segment x whose bits are set. */
static inline double gains(const ieum_evidence *ev, const float *gain, size_t x, uint64_t bits)
{
  double g = 0;
  const float *gx = gain + ev->ks.off[x];
  while (bits) {
    g += gx[__builtin_ctzll(bits)];
    bits &= bits - 1;
  }
  return g;
}

/* The found bits of source segment x against target segment y (see ieum_keyset__pair_bits()), through the cache. */
static inline const uint32_t *pair_found(const ieum_scorer *s, size_t x, size_t y)
{
  ieum_paircache *pc = s->pairs;
  size_t r = x & (pc->rows - 1), slot = r * PAIR_SLOTS + (y & (PAIR_SLOTS - 1));
  uint32_t *bits = pc->bits + 2 * slot;
  if (pc->row_of[r] != x + 1) { /* the ring row held another segment: empty it */
    memset(pc->tag + r * PAIR_SLOTS, 0, PAIR_SLOTS * sizeof *pc->tag);
    pc->row_of[r] = (uint32_t)(x + 1);
  }
  if (pc->tag[slot] != y + 1) {
    uint64_t bx, by;
    ieum_keyset__pair_bits(&bx, &by, &s->ev[0].ks, x, &s->ev[1].ks, y);
    bits[0] = (uint32_t)bx;
    bits[1] = (uint32_t)by;
    pc->tag[slot] = (uint32_t)(y + 1);
  }
  return bits;
}

double ieum_score__evidence(const ieum_scorer *s, size_t i, size_t a, size_t j, size_t b)
{
  const ieum_evidence *S = &s->ev[0], *T = &s->ev[1];
  double lp = S->miss_cum[i + a] - S->miss_cum[i] + T->miss_cum[j + b] - T->miss_cum[j];
  uint64_t ms = 0, mt = 0, tbits[3] = { 0, 0, 0 };
  for (size_t x = i; x < i + a; x++)
    ms |= S->ks.mask[x];
  for (size_t y = j; y < j + b; y++)
    mt |= T->ks.mask[y];
  if (!(ms & mt))
    return lp; /* no key can be shared: the misses alone */
  for (size_t x = i; x < i + a; x++) {
    if (!(S->ks.mask[x] & mt))
      continue;
    uint64_t sbits = 0;
    for (size_t y = j; y < j + b; y++) {
      if (!(S->ks.mask[x] & T->ks.mask[y]))
        continue;
      const uint32_t *bits = pair_found(s, x, y);
      sbits |= bits[0];
      tbits[y - j] |= bits[1];
    }
    lp += gains(S, S->gain[b - 1], x, sbits);
  }
  for (size_t y = j; y < j + b; y++)
    lp += gains(T, T->gain[a - 1], y, tbits[y - j]);
  return lp;
}

/* The log-prior of the omission (shape k, 1-0 or 0-1) of segment x of `side`. */
static inline double omit_prior(const ieum_scorer *s, int side, size_t x, int k)
{
  return s->omit_prior[side] ? (double)s->omit_prior[side][x] : s->log_prior[k];
}

int ieum_score__set_omissions(ieum_scorer *s, int side, size_t from, size_t to, double lp)
{
  size_t n = ieum_doc_count(side ? s->tgt : s->src);
  double base = s->log_prior[side ? 2 : 1];
  if (!s->omit_prior[side]) {
    if (!(s->omit_prior[side] = ieum__malloc((n + 1) * sizeof(float))))
      return ieum__error_oom();
    for (size_t x = 0; x < n; x++)
      s->omit_prior[side][x] = (float)base;
  }
  for (size_t x = from; x < to && x < n; x++)
    if (lp > s->omit_prior[side][x])
      s->omit_prior[side][x] = (float)lp;
  return IEUM_OK;
}

double ieum_score__bead(const ieum_scorer *s, size_t i, size_t j, int k)
{
  size_t a = ieum_shapes[k][0], b = ieum_shapes[k][1];
  double l1 = s->src_cum[i + a] - s->src_cum[i];
  double l2 = s->tgt_cum[j + b] - s->tgt_cum[j];
  if (b == 0)
    return omit_prior(s, 0, i, k) + paragraphs(s, i, a, j, b, NULL);
  if (a == 0)
    return omit_prior(s, 1, j, k) + log_marginal(s, l2) + paragraphs(s, i, a, j, b, NULL);
  if (!same_role(s, i, a, j, b))
    return -INFINITY;
  double mean = (l1 + l2 / s->ratio) / 2;
  if (mean < 1)
    mean = 1;
  double d = l2 - s->ratio * l1;
  double lp = s->log_prior[k] + log_density(s, d, s->var * mean, s->log_var + log_of(s, mean));
  /* where the target text splits: uniform over its length, one or two split points */
  if (b == 2)
    lp -= log_of(s, l2 + 1);
  else if (b == 3)
    lp -= log_of(s, l2 + 1) + log_of(s, l2 + 2) - M_LN2;
  lp += structure(s, i, a, j, b, NULL) + paragraphs(s, i, a, j, b, NULL);
  return lp + ieum_score__evidence(s, i, a, j, b);
}

/*
** Pairs of segments (i-1-dx, j-1-dy) whose shared keys the two-sided shapes
** need, as bits dx*3+dy: shape (a, b) reads every pair with dx < a, dy < b.
*/
static unsigned pairs_of_shape(int k)
{
  unsigned need = 0;
  for (unsigned dx = 0; dx < ieum_shapes[k][0]; dx++)
    for (unsigned dy = 0; dy < ieum_shapes[k][1]; dy++)
      need |= 1u << (dx * 3 + dy);
  return need;
}

void ieum_score__cell(const ieum_scorer *s, size_t i, size_t j, unsigned want, double out[IEUM_N_SHAPES])
{
  const ieum_evidence *S = &s->ev[0], *T = &s->ev[1];
  /* what the shapes share: lengths and sentence counts of the last 1..3 segments of each side */
  double l1[4] = { 0 }, l2[4] = { 0 }, log_split2 = 0;
  unsigned ssum[4] = { 0 }, tsum[4] = { 0 }, smulti[4] = { 0 }, tmulti[4] = { 0 }, need = 0;
  for (size_t a = 1; a <= 3 && a <= i; a++) {
    l1[a] = s->src_cum[i] - s->src_cum[i - a];
    ssum[a] = ssum[a - 1] + s->src_anchors.sents[i - a];
    smulti[a] = smulti[a - 1] | (s->src_anchors.sents[i - a] > 1);
  }
  for (size_t b = 1; b <= 3 && b <= j; b++) {
    l2[b] = s->tgt_cum[j] - s->tgt_cum[j - b];
    tsum[b] = tsum[b - 1] + s->tgt_anchors.sents[j - b];
    tmulti[b] = tmulti[b - 1] | (s->tgt_anchors.sents[j - b] > 1);
  }
  if (want & (1u << 4 | 1u << 5))
    log_split2 = log_of(s, l2[2] + 1);
  for (int k = 0; k < IEUM_N_SHAPES; k++)
    if ((want >> k & 1) && ieum_shapes[k][0] && ieum_shapes[k][1])
      need |= pairs_of_shape(k);
  /* the shared keys of the pairs those shapes read: bits[dx][dy][side] */
  uint32_t bits[3][3][2] = { { { 0 } } };
  for (unsigned p = 0; p < 9; p++) {
    if (!(need >> p & 1))
      continue;
    size_t x = i - 1 - p / 3, y = j - 1 - p % 3;
    if (!(S->ks.mask[x] & T->ks.mask[y]))
      continue;
    const uint32_t *f = pair_found(s, x, y);
    bits[p / 3][p % 3][0] = f[0];
    bits[p / 3][p % 3][1] = f[1];
  }
  /* each shape as ieum_score__bead() computes it, term by term in the same order */
  for (int k = 0; k < IEUM_N_SHAPES; k++) {
    if (!(want >> k & 1))
      continue;
    size_t a = ieum_shapes[k][0], b = ieum_shapes[k][1], i0 = i - a, j0 = j - b;
    if (b == 0) {
      out[k] = omit_prior(s, 0, i0, k) + paragraphs(s, i0, a, j0, b, NULL);
      continue;
    }
    if (a == 0) {
      out[k] = omit_prior(s, 1, j0, k) + log_marginal(s, l2[b]) + paragraphs(s, i0, a, j0, b, NULL);
      continue;
    }
    if (!same_role(s, i0, a, j0, b)) {
      out[k] = -INFINITY;
      continue;
    }
    double mean = (l1[a] + l2[b] / s->ratio) / 2;
    if (mean < 1)
      mean = 1;
    double d = l2[b] - s->ratio * l1[a];
    double lp = s->log_prior[k] + log_density(s, d, s->var * mean, s->log_var + log_of(s, mean));
    if (b == 2)
      lp -= log_split2;
    else if (b == 3)
      lp -= log_of(s, l2[b] + 1) + log_of(s, l2[b] + 2) - M_LN2;
    double st = !(smulti[a] | tmulti[b]) ? 0 : ssum[a] == tsum[b] ? s->same_gain : s->same_miss;
    lp += st + paragraphs(s, i0, a, j0, b, NULL);
    double ev = S->miss_cum[i] - S->miss_cum[i0] + T->miss_cum[j] - T->miss_cum[j0];
    for (size_t x = i0; x < i; x++) {
      uint64_t sb = 0;
      for (size_t dy = 0; dy < b; dy++)
        sb |= bits[i - 1 - x][dy][0];
      if (sb)
        ev += gains(S, S->gain[b - 1], x, sb);
    }
    for (size_t y = j0; y < j; y++) {
      uint64_t tb = 0;
      for (size_t dx = 0; dx < a; dx++)
        tb |= bits[dx][j - 1 - y][1];
      if (tb)
        ev += gains(T, T->gain[a - 1], y, tb);
    }
    out[k] = lp + ev;
  }
}

void ieum_score__set_lengths(ieum_scorer *s, double src_chars, double tgt_chars)
{
  if (src_chars > 0 && tgt_chars > 0)
    set_ratio(s, (tgt_chars + s->prior_chars * s->prior_ratio) / (src_chars + s->prior_chars));
}

void ieum_score__refit(ieum_scorer *s, const ieum_bead *beads, size_t n)
{
  double sum1 = 0, sum2 = 0;
  double found[IEUM_EV_FAMILIES] = { 0 }, chance[IEUM_EV_FAMILIES] = { 0 }, keys[IEUM_EV_FAMILIES] = { 0 };
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
    /* the keys of this confident bead: how many of each family were found */
    uint64_t bits[2];
    ieum_keyset__pair_bits(&bits[0], &bits[1], &s->ev[0].ks, bd->src_start, &s->ev[1].ks, bd->tgt_start);
    for (int side = 0; side < 2; side++) {
      const ieum_evidence *ev = &s->ev[side];
      size_t seg = side ? bd->tgt_start : bd->src_start;
      for (size_t x = ev->ks.off[seg]; x < ev->ks.off[seg + 1]; x++) {
        int f = (int)(ev->ks.keys[x] >> IEUM_EV_SHIFT);
        found[f] += (double)((bits[side] >> (x - ev->ks.off[seg])) & 1);
        chance[f] += ev->q[x];
        keys[f] += 1;
      }
    }
  }
  if (used < REFIT_MIN_BEADS || sum1 <= 0 || sum2 <= 0)
    return;
  /*
  ** found = p + (1-p) q per key in expectation, so p = (found - q) / (1 - q)
  ** summed over the keys, with the default as P_PRIOR_KEYS keys' worth.
  */
  for (int f = 0; f < IEUM_EV_FAMILIES; f++) {
    double p0 = p_found_default[f];
    double p = (found[f] - chance[f] + P_PRIOR_KEYS * p0) / (keys[f] - chance[f] + P_PRIOR_KEYS);
    s->p_found[f] = clamp(p, P_MIN, P_MAX);
  }
  for (int side = 0; side < 2; side++)
    weigh(&s->ev[side], s->p_found);
  /*
  ** The document's own rates, over the first ladder: equal sentence counts
  ** among its two-sided beads that hold several sentences, agreeing ends
  ** among its beads where a paragraph boundary counts.
  */
  double same = 0, multi = 0, both = 0, events = 0;
  for (size_t k = 0; k < n; k++) {
    const ieum_bead *bd = &beads[k];
    int eq = -1, ag;
    if (bd->src_n && bd->tgt_n)
      structure(s, bd->src_start, bd->src_n, bd->tgt_start, bd->tgt_n, &eq);
    paragraphs(s, bd->src_start, bd->src_n, bd->tgt_start, bd->tgt_n, &ag);
    if (eq >= 0) {
      multi += 1;
      same += eq;
    }
    if (ag >= 0) {
      events += 1;
      both += ag;
    }
  }
  set_same(s, (same + P_SAME_PRIOR_BEADS * P_SAME) / (multi + P_SAME_PRIOR_BEADS));
  if (s->para_end[0])
    set_para(s, (both + P_PARA_PRIOR_BEADS * P_PARA) / (events + P_PARA_PRIOR_BEADS));
  double c = (sum2 + s->prior_chars * s->prior_ratio) / (sum1 + s->prior_chars);
  /*
  ** The residual variance of the confident beads underestimates that of
  ** the document (measured on the dev set: 5.8 against 14.6 per character,
  ** and strict F1 fell by 0.05), so the variance keeps its per-character
  ** default, scaled to the new ratio.
  */
  set_ratio(s, c);
}
