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
#include "lexicon_int.h"

/* The bead shapes the aligner considers, source count first (score.c). */
#define IEUM_N_SHAPES 8
extern const uint8_t ieum_shapes[IEUM_N_SHAPES][2];

/*
** Families of evidence keys, each with its own probability of being found
** on the other side of a right bead: lexicon entries (lexicon.c), name
** skeletons (names.c), numbers and months (anchor.c), Latin words of Korean
** text (anchor.c), punctuation marks (anchor.c).  A key carries its family
** in its top bits.
*/
enum { IEUM_EV_LEX, IEUM_EV_NAME, IEUM_EV_NUM, IEUM_EV_LATIN, IEUM_EV_MARK, IEUM_EV_FAMILIES };
#define IEUM_EV_SHIFT 61

/*
** One side's evidence: for each segment, the keys (of every family) that
** the other document holds somewhere too, at most 64 per segment; for each
** key, what finding it in the other side of a bead is worth.
*/
typedef struct {
  ieum_keyset ks;        /* the keys, family in bits 61..63 */
  float *q;              /* per key: share of the other document's segments holding it */
  float *gain[3];        /* per key: log-ratio of finding it over missing it, other side of 1, 2, 3 segments */
  double *miss_cum;      /* prefix sums over segments of the keys' log-ratio when missed */
} ieum_evidence;

/*
** A cache of the keys two segments share (ieum_keyset__pair_bits()), which
** the DP asks for many times per pair (beads of several shapes, rows i+1 to
** i+3): a ring of `rows` source segments, segment x in ring row x % rows,
** each row PAIR_SLOTS direct-mapped slots by target segment (score.c).
** Its size does not grow with the documents.  Not thread-safe: each thread
** that scores beads uses its own (ieum_score__fork()).
*/
typedef struct {
  uint32_t *row_of;  /* per ring row: the source segment + 1 it holds, 0 = none */
  uint32_t *tag;     /* per slot: target segment + 1, 0 = empty */
  uint32_t *bits;    /* per slot: the found bits, source then target */
  size_t rows;       /* ring rows, a power of two */
} ieum_paircache;

typedef struct {
  const ieum_doc *src, *tgt;
  double *src_cum;   /* src_cum[i] = length of source segments [0,i) */
  double *tgt_cum;   /* tgt_cum[j] = length of target segments [0,j) */
  double ratio;      /* c: expected target length per unit of source length */
  double prior_ratio, prior_chars; /* a ratio known beforehand and its weight in source characters (0 = none) */
  double var;        /* s2: variance of (l_tgt - c*l_src) per unit of mean length */
  double log_var;    /* log(var) */
  float *g_table;    /* tabulated log density of the residual (score.c) */
  double log_prior[IEUM_N_SHAPES]; /* log P(shape) */
  double tgt_mu, tgt_sigma;        /* log-normal fit of target segment lengths */
  ieum_anchors src_anchors;        /* numbers and Latin words of each source segment */
  ieum_anchors tgt_anchors;        /* the same for the target */
  int lexical;                     /* 1 when one side is Korean and the other not: lexicon and names were keyed */
  double p_found[IEUM_EV_FAMILIES]; /* P(a key is translated | bead right), per family */
  ieum_evidence ev[2];             /* source, target */
  double *log_len;                 /* log_len[k] = log(1 + k / 2^LOG_BITS), k = 0..2^LOG_BITS (score.c) */
  ieum_paircache *pairs;            /* the scorer's cache of shared keys; a thread scoring beads needs its own */
  double q_same;                   /* P(two random segments of the documents hold as many sentences) */
  double p_same;                   /* P(a right bead's sides hold as many sentences | one side holds several) */
  double same_gain, same_miss;     /* their log-likelihood ratios for equal and unequal counts (structure()) */
  uint8_t *para_end[2];            /* per segment of source, target: 1 when it ends a paragraph; NULL when unused */
  double q_para;                   /* P(two random segments both end a paragraph | one does) */
  double p_para;                   /* P(a right bead's sides both end a paragraph | one does) */
  double para_gain, para_miss;     /* their log-likelihood ratios (paragraphs()) */
  uint8_t *role[2];                /* per segment of source, target: its ieum_segment_role; NULL when all are alike */
  float *omit_prior[2];            /* per source, target segment: log P(1-0, 0-1) where a chain of anchors says a
                                      block lies (ieum_score__set_omissions()); NULL = the shape's prior everywhere */
} ieum_scorer;

/* `lex` NULL = the built-in lexicon. */
/*
** The threads an alignment's step may use, 1 or 2, under the option
** ieum_align_options.threads: 1 = one, more = two, 0 = two when the machine
** has two cores and the step is long enough to pay (`pays`).
*/
int ieum_score__threads(unsigned threads, int pays);

/*
** Takes a length ratio known beforehand (a TM's) as a prior: the ratio is
** re-estimated as if the pair's text held `chars` more source characters
** at `ratio` (chars capped at PRIOR_CHARS_MAX), now and at every refit.
** Call right after ieum_score__init() on a scorer whose ratio was estimated.
*/
void ieum_score__set_prior(ieum_scorer *s, double ratio, double chars);
int ieum_score__init(ieum_scorer *s, const ieum_doc *src, const ieum_doc *tgt, double ratio,
                     const ieum_lexicon *lex);
/*
** ieum_score__init() on up to `threads` threads (ieum_align_options.threads:
** 0 = two when the machine has two cores, 1 = this thread only, more = two):
** the source's and target's evidence are prepared at once when the
** documents hold EVIDENCE_THREAD_MIN segments or more together (score.c),
** else on this thread.  The scorer is the same bit for bit either way; an
** error of the second thread is recorded on this one.  ieum_score__init()
** is this with 1.
*/
int ieum_score__init_threads(ieum_scorer *s, const ieum_doc *src, const ieum_doc *tgt, double ratio,
                             const ieum_lexicon *lex, unsigned threads);
void ieum_score__dispose(ieum_scorer *s);

/*
** A copy of `s` for another thread: it shares every table of `s`
** (read-only while both score) but has a cache of its own.  It copies the
** parameters as they are (a later ieum_score__refit() of `s` changes the
** shared gains but not the fork's ratio): fork once `s` is final.  Dispose
** of it with ieum_score__unfork(), before `s`.  IEUM_ENOMEM.
*/
int ieum_score__fork(ieum_scorer *out, const ieum_scorer *s);
void ieum_score__unfork(ieum_scorer *fork);

/* log P(bead): shape index k of ieum_shapes, starting at source i, target j. */
double ieum_score__bead(const ieum_scorer *s, size_t i, size_t j, int k);

/*
** The scores of the beads that end at (i, j): out[k] = ieum_score__bead(s,
** i - a, j - b, k) for every shape k = (a, b) whose bit k is set in `want`,
** the same values bit for bit; other entries are left alone.  What the
** shapes share (lengths, sentence counts, the shared keys of the segment
** pairs) is read once.  The caller guarantees i >= a and j >= b for each.
*/
void ieum_score__cell(const ieum_scorer *s, size_t i, size_t j, unsigned want, double out[IEUM_N_SHAPES]);

/*
** The evidence of keys alone (a part of ieum_score__bead()): the sum over
** the keys of both sides of source [i, i+a) and target [j, j+b), a, b in
** 1..3, of their log-likelihood ratios, found or missed.
*/
double ieum_score__evidence(const ieum_scorer *s, size_t i, size_t a, size_t j, size_t b);

/*
** Sets the length ratio from `src_chars` source characters known to
** translate as `tgt_chars` target ones (the segments of a chain of anchors,
** chain.c), with the prior of ieum_score__set_prior() as in a refit: the
** ratio of the totals is wrong by the share of a block one side holds and
** the other lacks.  Nothing when either is 0.
*/
void ieum_score__set_lengths(ieum_scorer *s, double src_chars, double tgt_chars);

/*
** Gives the omissions (1-0 on side 0, 0-1 on side 1) of segments [from,
** to) of that side the log-prior `lp` instead of their shape's, when `lp`
** is the greater (chain.c: between two anchors, the segments one side has
** in excess are that share of its segments there).  IEUM_ENOMEM.
*/
int ieum_score__set_omissions(ieum_scorer *s, int side, size_t from, size_t to, double lp);

/*
** Re-estimates the length ratio from the 1-1 beads of a ladder whose length
** residual is within REFIT_MAX_Z standard deviations under the current model,
** each family's probability of a key being found from the same beads, and
** the probability of equal sentence counts from all its two-sided beads.
*/
void ieum_score__refit(ieum_scorer *s, const ieum_bead *beads, size_t n);

#endif
