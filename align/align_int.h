/*
** align/align_int.h: internals of the align module (never installed).
**
** The ieum_doc layout, shared by doc.c (storage, line mode), segment.c
** (sentence breaking) and score.c/dp.c (alignment).
**
** Invariants of a finished ieum_doc:
**   - segs[0..n) are in document order, their [start,end) byte ranges do not
**     overlap and refer to the text the document was made from;
**   - segs[i].text points into `store` and is NUL-terminated there; it is
**     never empty, has no leading/trailing white space and no run of
**     white space inside (each run is folded to one U+0020);
**   - para is non-decreasing.
** While a document is being built, segs[i].text holds the offset of the text
** in `store` (cast to a pointer); ieum_doc__finish() turns offsets into
** pointers once `store` no longer moves.
*/
#ifndef IEUM_ALIGN_INT_H
#define IEUM_ALIGN_INT_H

#include "util.h"

struct ieum_doc {
  char lang[36];         /* BCP 47 tag, "und" when none was given */
  ieum_segment *segs;    /* the segments */
  size_t n;              /* segments in use */
  size_t cap;            /* segments allocated */
  ieum_buf store;        /* segment texts, each followed by a NUL */
  uint32_t n_para;       /* paragraphs seen */
};

/* A new empty document for `lang` (NULL = "und").  IEUM_ENOMEM. */
int ieum_doc__alloc(ieum_doc **out, const char *lang);

/*
** Appends the segment text[start,end) of paragraph `para`: white space is
** trimmed and folded; a blank range adds nothing.  IEUM_ENOMEM.
*/
int ieum_doc__add(ieum_doc *doc, const char *text, size_t start, size_t end, uint32_t para);

/* Turns stored offsets into pointers; call once, after the last add. */
void ieum_doc__finish(ieum_doc *doc);

/*
** Splits text[0..len) into sentences (segment.c) and adds them to `doc`.
** Paragraph boundaries follow opts->paragraphs.  Errors: IEUM_ENOMEM,
** IEUM_ERROR (ICU).
*/
int ieum_segment__sentences(ieum_doc *doc, const char *text, size_t len, const ieum_segment_options *opts);

/*
** Length of a text for the length model, in one definition used everywhere:
** the number of Unicode code points that are not white space.
*/
size_t ieum_align__length(const char *s, size_t len);

/*
** Byte budgets of dp.c: the final search's fused forward pass, and the
** posterior score cache of the separate passes.  Variables only so that the
** unit tests can lower them and reach the paths long documents take.
*/
extern size_t ieum_align__fused_max;
extern size_t ieum_align__post_cache_max;

/*
** The widest half-width the aligner's search band may reach
** (IEUM_ALIGN_BAND_MAX), a variable only so that the unit tests can lower
** it and reach the cap on short documents.
*/
extern size_t ieum_align__band_max;

/* What one alignment cost dp.c, for the unit tests' bounds (ieum_alignment__new()). */
typedef struct {
  size_t rounds;     /* Viterbi passes over a band, every search and chunk */
  size_t cells;      /* band cells those passes and the posteriors visited */
  size_t peak_hw;    /* widest half-width any row of a search reached, in segments */
  size_t peak_row;   /* widest row of any band, in cells */
  size_t capped;     /* searches whose widening a bound stopped: ieum_align__band_max or the passes' */
  size_t ties;       /* searches that stopped widening when a pass tied with the one before */
  size_t unsettled;  /* chunks of the first search that followed the length diagonal (first_ladder()) */
  int fused;         /* the posteriors' forward pass ran with the final search (within FUSED_MAX) */
  int chained;       /* the first search followed the chain of anchors (chain.c), not the length diagonal */
  size_t chain_cells; /* cells of the chain's band, held to ieum_align__band_max per row of both documents */
} ieum_align__stats;

/* ieum_alignment_new(), reporting its cost in `*stats` (zeroed first; NULL = not wanted). */
int ieum_alignment__new(ieum_alignment **out, const ieum_doc *src, const ieum_doc *tgt,
                        const ieum_align_options *opts, ieum_align__stats *stats);

#endif
