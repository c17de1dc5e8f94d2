/*
** pipeline/pipeline_int.h: the stages of one pair, shared by the one-call
** pipeline (pipeline/pair.c) and the batch engine (pipeline/batch.c).
**
** An ieum_aligned_pair is filled in two stages: ieum_pipeline__load()
** decodes, extracts and segments both sides and takes the content hash
** (the batch asks its TM about the hash before going on), then
** ieum_pipeline__align() aligns and checks the pair.  Between and after
** them the pair owns everything it points to:
**
**   ieum_aligned_pair { name[2], lang[2]   copies (malloc)
**                       hash               ieum_tm_hash() of the decoded texts
**                       doc[2]             NULL until loaded
**                       page[2]            HTML input only, else NULL
**                       al                 NULL until aligned
**                       warning            with force: the refusal, else NULL
**                       stored, doc_id     after a store }
*/
#ifndef IEUM_PIPELINE_INT_H
#define IEUM_PIPELINE_INT_H

#include "util.h"

struct ieum_aligned_pair {
  char *name[2];
  char *lang[2];
  char hash[33];
  ieum_doc *doc[2];
  ieum_article *page[2];
  ieum_alignment *al;
  char *warning;
  int stored;      /* ieum_store_result */
  int64_t doc_id;
};

/* One side's input: a file (`data` NULL) or bytes in memory. */
typedef struct {
  const char *name;  /* the path, or the text's name */
  const char *data;  /* NULL: read the file `name` */
  size_t len;
} ieum_pipeline__input;

/*
** A new pair into *out holding copies of the names and of the options'
** languages (defaults "ko", "en"), nothing loaded yet.  Errors: IEUM_ENOMEM.
*/
int ieum_pipeline__new(ieum_aligned_pair **out, const char *src_name, const char *tgt_name,
                       const ieum_pipeline_options *opts);

/*
** Loads and segments both sides as `ieum align` does and sets p->hash.
** Errors: those of ieum_pipeline_align_files() before alignment, each
** message naming its file.
*/
int ieum_pipeline__load(ieum_aligned_pair *p, const ieum_pipeline__input in[2], const ieum_pipeline_options *opts);

/*
** Aligns the loaded pair with lexicon `lex` (NULL = built-in) and prior
** (prior_ratio, prior_chars), then checks it (ieum_pair_check(); with
** opts->force a refusal becomes p->warning).  Errors: IEUM_EINVAL (bad
** options, a refused pair), IEUM_ENOMEM, IEUM_ERROR.
*/
int ieum_pipeline__align(ieum_aligned_pair *p, const ieum_lexicon *lex, double prior_ratio, double prior_chars,
                         const ieum_pipeline_options *opts);

/*
** ieum_pipeline_store(), also counting into *units the units added and
** into *low those scoring under `low`.
*/
int ieum_pipeline__store(int64_t *out, ieum_tm *tm, const ieum_aligned_pair *p, double min_score, double low,
                         size_t *units, size_t *low_units);

#endif
