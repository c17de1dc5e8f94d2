/*
** pipeline/learn.c: what the TM teaches the aligner: the word pairs learned
** from its units, and its length ratio.
**
** ieum_tm_learn() reads the confident units' texts from the TM (tm/texts.c),
** feeds them to the learner (align/learn.c) and writes the pairs the learner
** keeps back into the TM, replacing the old learned ones, in one
** transaction.  ieum_tm_lexicon_load() adds the TM's learned pairs to a
** lexicon; ieum_tm_length_ratio() counts the TM's 1-1 units with the
** aligner's own length function.  The pipeline is the one layer that knows
** both the TM and the aligner: tm/ hands out texts, align/ counts them.
** Cost: one pass over the units read (see align/learn.c for the learner's).
** Not here: the learning itself (align/learn.c), the SQL (tm/texts.c).
*/
#include "align/align_int.h"
#include "align/learn_int.h"
#include "tm/texts_int.h"

/*
** Units the length model reads at most, the most recent first: enough for a
** ratio good to a fraction of a percent, and a bounded cost (about 20 ms)
** however large the TM.
*/
#define LENGTH_UNITS_MAX 20000

static int feed(const char *a, size_t an, const char *b, size_t bn, void *payload)
{
  return ieum_learn__add(payload, a, an, b, bn);
}

typedef struct {
  ieum_tm *tm;
  size_t written;
} sink;

static int put(const char *ko, const char *en, double assoc, uint32_t count, void *payload)
{
  sink *k = payload;
  int rc = ieum_tm__learned_put(k->tm, ko, en, assoc, count);
  k->written += rc == 0;
  return rc;
}

int ieum_tm_learn(size_t *out, ieum_tm *tm, const ieum_tm_learn_options *opts)
{
  ieum_tm_learn_options defaults = IEUM_TM_LEARN_OPTIONS_INIT;
  ieum_learner *l = NULL;
  size_t written = 0;
  int rc, open = 0;
  if (out)
    *out = 0;
  if (!opts)
    opts = &defaults;
  if (!tm)
    return ieum__error_set(IEUM_EINVAL, "learn: missing TM");
  if (opts->version != IEUM_TM_LEARN_OPTIONS_VERSION || !(opts->min_score >= 0 && opts->min_score <= 1) ||
      !(opts->min_assoc > 0 && opts->min_assoc <= 1) || opts->min_count < 1)
    return ieum__error_set(IEUM_EINVAL, "%s: learn: bad options", ieum_tm__path(tm));
  if ((rc = ieum_tm__learned_begin(tm, "learn")) != 0)
    return rc;
  open = 1;
  if ((rc = ieum_learn__new(&l)) != 0 || (rc = ieum_tm__each_unit_text(tm, opts->min_score, feed, l)) != 0)
    goto done;
  sink k = { tm, 0 };
  if ((rc = ieum_learn__each(l, opts->min_count, opts->min_assoc, put, &k)) != 0)
    goto done;
  written = k.written;
  rc = ieum_tm_commit(tm);
  open = rc != 0;
done:
  if (open)
    ieum_tm_rollback(tm);
  ieum_learn__free(l);
  if (rc == 0 && out)
    *out = written;
  return rc;
}

typedef struct {
  ieum_lexicon *lex;
  size_t n;
} lexicon_sink;

static int add_learned(const char *a, size_t an, const char *b, size_t bn, void *payload)
{
  lexicon_sink *k = payload;
  int rc = ieum_lexicon_add(k->lex, a, an, b, bn);
  if (rc == IEUM_ENOMEM)
    return rc;
  if (rc) {
    /* a row another tool wrote that is no Korean-English pair: skipped */
    ieum__error_clear();
    return IEUM_OK;
  }
  k->n++;
  return IEUM_OK;
}

int ieum_tm_lexicon_load(size_t *out, struct ieum_lexicon *lex, ieum_tm *tm)
{
  lexicon_sink k = { lex, 0 };
  if (out)
    *out = 0;
  if (!lex || !tm)
    return ieum__error_set(IEUM_EINVAL, "lexicon load: missing argument");
  int rc = ieum_tm__each_learned(tm, add_learned, &k);
  if (rc == 0 && out)
    *out = k.n;
  return rc;
}

typedef struct {
  double src, tgt;
} length_sums;

static int add_lengths(const char *a, size_t an, const char *b, size_t bn, void *payload)
{
  length_sums *s = payload;
  s->src += (double)ieum_align__length(a, an);
  s->tgt += (double)ieum_align__length(b, bn);
  return IEUM_OK;
}

int ieum_tm_length_ratio(double *ratio, double *src_chars, ieum_tm *tm, const char *src_lang,
                         const char *tgt_lang, double min_score)
{
  length_sums sums = { 0, 0 };
  if (ratio)
    *ratio = 0;
  if (src_chars)
    *src_chars = 0;
  if (!ratio || !src_chars || !tm || !src_lang || !tgt_lang || !(min_score >= 0 && min_score <= 1))
    return ieum__error_set(IEUM_EINVAL, "length ratio: missing argument or min_score outside [0,1]");
  int rc = ieum_tm__each_pair_text(tm, src_lang, tgt_lang, min_score, LENGTH_UNITS_MAX, add_lengths, &sums);
  if (rc == 0 && sums.src > 0 && sums.tgt > 0) {
    *ratio = sums.tgt / sums.src;
    *src_chars = sums.src;
  }
  return rc;
}
