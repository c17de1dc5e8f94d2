/*
** include/ieum/align.h: segmentation and sentence alignment.
**
** Vocabulary, used the same way across ieum:
**   segment  a sentence (or a line, for presegmented input) of one document,
**            its text normalized (NFC, inner white space folded to one space,
**            trimmed) and its place in the document as UTF-8 byte offsets.
**   src/tgt  the source and the target document (never "ko"/"en").
**   bead     a group of consecutive source segments aligned with a group of
**            consecutive target segments: 1-1, 1-2, 2-1, 1-0, 0-1, 2-2
**            (source count first).
**   ladder   the sequence of beads that covers both documents in order;
**            every segment of either side is in exactly one bead.
** An ieum_doc owns its segments; an ieum_alignment owns its beads.
*/
#ifndef IEUM_ALIGN_H
#define IEUM_ALIGN_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ieum_doc ieum_doc;
typedef struct ieum_alignment ieum_alignment;

typedef struct {
  const char *text;  /* normalized segment text, UTF-8; borrowed from the ieum_doc */
  size_t len;        /* bytes */
  size_t start;      /* byte offset of the segment in the input text */
  size_t end;        /* byte offset one past its end */
  uint32_t para;     /* 0-based paragraph index */
} ieum_segment;

typedef enum {
  IEUM_SEGMENT_SENTENCES = 0, /* split paragraphs into sentences */
  IEUM_SEGMENT_LINES = 1      /* presegmented: each non-blank line is one segment */
} ieum_segment_mode;

typedef enum {
  IEUM_PARAGRAPH_LINE = 0,  /* every line break ends a paragraph (text copied from the web) */
  IEUM_PARAGRAPH_BLANK = 1  /* only blank lines end paragraphs (hard-wrapped text) */
} ieum_paragraph_mode;

typedef struct {
  unsigned int version;  /* IEUM_SEGMENT_OPTIONS_VERSION */
  const char *lang;      /* BCP 47 language of the text; NULL = "und" */
  int mode;              /* ieum_segment_mode */
  int paragraphs;        /* ieum_paragraph_mode */
} ieum_segment_options;

#define IEUM_SEGMENT_OPTIONS_VERSION 1
#define IEUM_SEGMENT_OPTIONS_INIT { IEUM_SEGMENT_OPTIONS_VERSION, NULL, IEUM_SEGMENT_SENTENCES, IEUM_PARAGRAPH_LINE }

/*
** Segments `text` (valid NFC UTF-8, as ieum_text_load() returns it) into
** `*out`, which the caller frees with ieum_doc_free().  A segment never
** crosses a paragraph boundary.  Blank text gives a document with no
** segments.  Errors: IEUM_EINVAL (bad options, invalid UTF-8), IEUM_ENOMEM,
** IEUM_ERROR (ICU failed; the message names the ICU call).
*/
IEUM_API int ieum_doc_new(ieum_doc **out, const char *text, size_t len, const ieum_segment_options *opts);

/* Frees `doc` and its segments; NULL is a no-op. */
IEUM_API void ieum_doc_free(ieum_doc *doc);

/* Number of segments. */
IEUM_API size_t ieum_doc_count(const ieum_doc *doc);

/* Segment `i` (< ieum_doc_count()); borrowed from `doc`. */
IEUM_API const ieum_segment *ieum_doc_segment(const ieum_doc *doc, size_t i);

/* Language tag given at creation ("und" when none); borrowed. */
IEUM_API const char *ieum_doc_lang(const ieum_doc *doc);

typedef struct {
  size_t src_start;   /* first source segment */
  uint32_t src_n;     /* number of source segments, 0..2 */
  size_t tgt_start;   /* first target segment */
  uint32_t tgt_n;     /* number of target segments, 0..2 */
  double score;       /* confidence that the bead is right, in [0,1] */
} ieum_bead;

typedef struct {
  unsigned int version;  /* IEUM_ALIGN_OPTIONS_VERSION */
  double ratio;          /* target/source length ratio; <= 0 = estimate from the pair */
  size_t band;           /* minimum half-width of the search band, in segments; 0 = default */
} ieum_align_options;

#define IEUM_ALIGN_OPTIONS_VERSION 1
#define IEUM_ALIGN_OPTIONS_INIT { IEUM_ALIGN_OPTIONS_VERSION, 0.0, 0 }

/*
** Aligns the segments of `src` with those of `tgt` into `*out` (free with
** ieum_alignment_free()).  Either document may be empty; then every bead is
** 1-0 or 0-1.  Time and memory grow linearly with the number of segments.
** Errors: IEUM_EINVAL (bad options), IEUM_ENOMEM.
*/
IEUM_API int ieum_alignment_new(ieum_alignment **out, const ieum_doc *src, const ieum_doc *tgt,
                                const ieum_align_options *opts);

/* Frees `al`; NULL is a no-op. */
IEUM_API void ieum_alignment_free(ieum_alignment *al);

/* Number of beads in the ladder. */
IEUM_API size_t ieum_alignment_count(const ieum_alignment *al);

/* Bead `i` (< ieum_alignment_count()), in document order; borrowed. */
IEUM_API const ieum_bead *ieum_alignment_bead(const ieum_alignment *al, size_t i);

/* The target/source length ratio the alignment used. */
IEUM_API double ieum_alignment_ratio(const ieum_alignment *al);

/*
** Writes the text of one side of `bead` into `out` (appending): the
** segments joined by one space.  `side` 0 = source, 1 = target.
*/
IEUM_API int ieum_bead_text(ieum_buf *out, const ieum_doc *doc, const ieum_bead *bead, int side);

#ifdef __cplusplus
}
#endif
#endif
