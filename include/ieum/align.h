/*
** include/ieum/align.h: segmentation and sentence alignment.
**
** Vocabulary, used the same way across ieum:
**   segment  a sentence (or a line, for presegmented input) of one document,
**            its text normalized (NFC, inner white space folded to one space,
**            trimmed) and its place in the document as UTF-8 byte offsets.
**   src/tgt  the source and the target document (never "ko"/"en").
**   bead     a group of consecutive source segments aligned with a group of
**            consecutive target segments: 1-1, 1-2, 2-1, 1-0, 0-1, 2-2,
**            1-3, 3-1 (source count first).
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
  int role;          /* ieum_segment_role: what part of a news article the segment is */
} ieum_segment;

/*
** What part of a news article a segment is (sentence mode with the built-in
** rules; presegmented lines and SRX segmentation give IEUM_ROLE_BODY).
** Bylines and credits are cut off the text around them, so they never join a
** sentence; a credit ("[사진=연합뉴스]", "ⓒ 이음뉴스") is not a sentence.
*/
typedef enum {
  IEUM_ROLE_BODY = 0,     /* a sentence of the body */
  IEUM_ROLE_HEADLINE = 1, /* the article's title (one segment, never split): the first title-like paragraph
                             after the page furniture, or the one the page repeats */
  IEUM_ROLE_BYLINE = 2,   /* "[아시아경제 양낙규 기자]", "(서울=연합뉴스) 홍길동 기자 =", "SEOUL, June 11 (Yonhap) --" */
  IEUM_ROLE_CAPTION = 3,  /* a photo caption: "▲ ...", text next to a photo credit, a copy of the headline */
  IEUM_ROLE_CREDIT = 4,   /* "[사진=…]", "(사진 제공=…)", "ⓒ …", "© …", "Copyright …" */
  IEUM_ROLE_DATELINE = 5, /* a page's date line: "입력 2023.01.19 06:30 수정 …", "Published : Jan. 19, 2023";
                             furniture: a segment only with keep_furniture */
  IEUM_ROLE_RELATED = 6,  /* a related article's title between paragraphs: "[관련기사] …", "Related: …", or a
                             short title-like line that is no sentence of the body */
  IEUM_ROLE_FURNITURE = 7 /* page furniture of scraped text: skip links, menus, font-size and share controls,
                             "Top", CSS class names, photo-credit and reporter e-mail lines; a segment only
                             with keep_furniture */
} ieum_segment_role;

/* Number of roles: every ieum_segment_role is below it. */
#define IEUM_ROLE_COUNT 8

/*
** "body", "headline", "byline", "caption", "credit", "dateline", "related"
** or "furniture"; "?" for any other value.  Static text.
*/
IEUM_API const char *ieum_segment_role_name(int role);

/*
** A rule set in SRX 2.0 (the segmentation rule format of CAT tools such as
** OmegaT and LanguageTool).  Its regular expressions run on ICU's engine,
** whose syntax is that of Java for everything SRX files use.
*/
typedef struct ieum_srx ieum_srx;

/*
** Reads the SRX 2.0 file at `path` into `*out` (free with ieum_srx_free()).
** Rules are kept as text and compiled for one language when a document is
** segmented with them.  Errors: IEUM_EIO (cannot read), IEUM_EPARSE (not
** XML, not SRX, a rule without <beforebreak>/<afterbreak>), IEUM_ENOMEM;
** each message names the file and the line.
*/
IEUM_API int ieum_srx_load(ieum_srx **out, const char *path);

/* The same from memory; `name` names the text in messages.  Same errors. */
IEUM_API int ieum_srx_parse(ieum_srx **out, const char *xml, size_t len, const char *name);

/* Frees `srx`; NULL is a no-op. */
IEUM_API void ieum_srx_free(ieum_srx *srx);

/*
** Number of rules that apply to language `lang` (BCP 47, matched against
** the languagepattern of each <languagemap>, case-insensitively, cascading
** when the header says so), or a negative error: IEUM_EPARSE when a
** languagepattern is not a valid regular expression.
*/
IEUM_API int ieum_srx_rule_count(const ieum_srx *srx, const char *lang);

typedef enum {
  IEUM_SEGMENT_SENTENCES = 0, /* split paragraphs into sentences */
  IEUM_SEGMENT_LINES = 1      /* presegmented: each non-blank line is one segment */
} ieum_segment_mode;

typedef enum {
  IEUM_PARAGRAPH_LINE = 0,  /* every line break ends a paragraph (text copied from the web) */
  IEUM_PARAGRAPH_BLANK = 1, /* only blank lines end paragraphs (hard-wrapped text) */
  IEUM_PARAGRAPH_AUTO = 2   /* the text tells: hard-wrapped text (line widths, lines ending inside a
                               sentence, next lines in lower case) as BLANK, except where a line's
                               next word would have fitted on it; other text as LINE (the default) */
} ieum_paragraph_mode;

typedef struct {
  unsigned int version;  /* IEUM_SEGMENT_OPTIONS_VERSION */
  const char *lang;      /* BCP 47 language of the text; NULL = "und" */
  int mode;              /* ieum_segment_mode */
  int paragraphs;        /* ieum_paragraph_mode */
  const ieum_srx *srx;   /* NULL: ICU + built-in news rules; else these SRX rules alone (borrowed) */
  int keep_furniture;    /* non-zero: page furniture (IEUM_ROLE_FURNITURE, IEUM_ROLE_DATELINE) becomes segments
                            with its role; 0 (default): it is dropped.  Sentence mode with the built-in rules */
} ieum_segment_options;

#define IEUM_SEGMENT_OPTIONS_VERSION 1
#define IEUM_SEGMENT_OPTIONS_INIT { IEUM_SEGMENT_OPTIONS_VERSION, NULL, IEUM_SEGMENT_SENTENCES, IEUM_PARAGRAPH_AUTO, NULL, 0 }

/*
** Segments `text` (valid NFC UTF-8, as ieum_text_load() returns it) into
** `*out`, which the caller frees with ieum_doc_free().  A segment never
** crosses a paragraph boundary.  Blank text gives a document with no
** segments.  Errors: IEUM_EINVAL (bad options, invalid UTF-8), IEUM_ENOMEM,
** IEUM_ERROR (ICU failed; the message names the ICU call), IEUM_EPARSE (an
** SRX rule of opts->srx is not a valid regular expression).
*/
IEUM_API int ieum_doc_new(ieum_doc **out, const char *text, size_t len, const ieum_segment_options *opts);

/*
** As ieum_doc_new(), for a text whose first `head_len` bytes are a headline
** known as such (an HTML page's, ieum_html_copy_headed_text()): text[0,
** head_len) becomes segment 0 whole, with role IEUM_ROLE_HEADLINE,
** whatever its punctuation ("...", "?"), and the rest is segmented as
** ieum_doc_new() does, its paragraphs numbered from 1 and its offsets
** into `text`; a first paragraph the rules would take for a headline is
** body there (the headline is known).  `head_len` 0 or a blank headline:
** ieum_doc_new() itself.  Errors: those of ieum_doc_new(), IEUM_EINVAL
** (head_len > len).
*/
IEUM_API int ieum_doc_new_headed(ieum_doc **out, const char *text, size_t len, size_t head_len,
                                 const ieum_segment_options *opts);

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
  uint32_t src_n;     /* number of source segments, 0..3 (1-3 and 3-1 beads) */
  size_t tgt_start;   /* first target segment */
  uint32_t tgt_n;     /* number of target segments, 0..3 */
  double score;       /* confidence that the bead is right, in [0,1]: its posterior, calibrated (align/calib.c) */
} ieum_bead;

/*
** A bilingual Korean-English lexicon for the aligner: entries pair Korean
** stems ("정부", matched as the start of a word: "정부는") with English words
** or phrases ("government", "north korea"; matched with -s/-ed/-ing
** stripped).  Words of a bead's two sides that the lexicon pairs are
** evidence that the bead is right.
*/
typedef struct ieum_lexicon ieum_lexicon;

/*
** A new lexicon in `*out` (free with ieum_lexicon_free()): with `builtin`
** non-zero, holding ieum's built-in news vocabulary (about 540 entries:
** countries, titles, institutions, units, common news words), else empty.
** Errors: IEUM_ENOMEM.
*/
IEUM_API int ieum_lexicon_new(ieum_lexicon **out, int builtin);

/* Frees `lex`; NULL is a no-op. */
IEUM_API void ieum_lexicon_free(ieum_lexicon *lex);

/* Number of entries (a pair added is one entry, unless an entry already had it). */
IEUM_API size_t ieum_lexicon_count(const ieum_lexicon *lex);

/*
** Adds the pair a[0..a_len) / b[0..b_len) (UTF-8): one side Korean (Hangul
** words; their spaces are dropped), the other English, in either order;
** '|' separates alternative forms of one side.  A pair of single forms that
** an entry already pairs adds nothing (its words would count twice).
** Errors: IEUM_EINVAL (both or neither side Korean, other characters in the
** Korean side, invalid UTF-8), IEUM_ENOMEM.
*/
IEUM_API int ieum_lexicon_add(ieum_lexicon *lex, const char *a, size_t a_len, const char *b, size_t b_len);

/*
** Adds the pairs of a dictionary in hunalign's format: one pair per line,
** "english @ korean" (hunalign's "target @ source" for Korean-to-English
** alignment); the reverse, "korean @ english", is read the same way, since
** the Hangul side is the Korean one.  Blank lines are skipped.  Errors
** name the file and line: IEUM_ENOTFOUND, IEUM_EIO, IEUM_EPARSE (no '@',
** an empty side, both or neither side Korean), IEUM_EENCODING (invalid
** UTF-8), IEUM_ELIMIT (a line over 4096 bytes), IEUM_ENOMEM.  Pairs read
** before an error stay in `lex`.
*/
IEUM_API int ieum_lexicon_load_dict(ieum_lexicon *lex, const char *path);

/*
** The widest the aligner's search band may get, as a half-width in
** segments: the band starts narrow around a guessed ladder and widens where
** the best ladder touches its edge, up to this.  It bounds the cost on any
** input: time and memory O(n * IEUM_ALIGN_BAND_MAX) for n segments, however
** repetitive the text.  Documents of up to this many segments per side can
** still be searched whole; in longer ones, a ladder more than this many
** segments off the guessed one (an untranslated stretch longer than this,
** that the first pass missed) is not found, and the ladder returned is the
** best within the band, still complete and in order.
*/
#define IEUM_ALIGN_BAND_MAX 256

typedef struct {
  unsigned int version;  /* IEUM_ALIGN_OPTIONS_VERSION */
  double ratio;          /* target/source length ratio; <= 0 = estimate from the pair */
  size_t band;           /* minimum half-width of the search band, in segments, at most IEUM_ALIGN_BAND_MAX
                            (more is taken as that); 0 = default */
  const ieum_lexicon *lexicon; /* borrowed; NULL = the built-in lexicon */
  unsigned int threads;  /* threads one alignment may use: 0 = as the machine allows (at most 2), 1 = this one
                            only (a caller running alignments in parallel); the result is the same */
  double prior_ratio;    /* a target/source length ratio known beforehand (a TM's: ieum_tm_length_ratio());
                            <= 0 = none.  Blended with the pair's own estimate (unused when `ratio` is set) */
  double prior_chars;    /* the source characters prior_ratio rests on: its weight, capped so that a
                            document of a few dozen sentences still outweighs it */
} ieum_align_options;

#define IEUM_ALIGN_OPTIONS_VERSION 1
#define IEUM_ALIGN_OPTIONS_INIT { IEUM_ALIGN_OPTIONS_VERSION, 0.0, 0, NULL, 0, 0.0, 0.0 }

/*
** Aligns the segments of `src` with those of `tgt` into `*out` (free with
** ieum_alignment_free()).  Either document may be empty; then every bead is
** 1-0 or 0-1.  Time and memory grow linearly with the number of segments,
** at most O(n * IEUM_ALIGN_BAND_MAX) on any text.
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

/*
** The role (ieum_segment_role) of `bead` of an alignment of `src` with
** `tgt`: that of its segments, which the aligner never mixes in a
** two-sided bead (a 1-0 or 0-1 bead: its one segment's).
*/
IEUM_API int ieum_bead_role(const ieum_doc *src, const ieum_doc *tgt, const ieum_bead *bead);

/*
** Pairs with fewer segments than this on either side are not judged by
** their document score (a few beads say too little: on the development set,
** true pairs cut to 4 sentences score as low as unrelated ones): of the
** checks of ieum_pair_check(), only the same-text and language ones apply.
*/
#define IEUM_PAIR_MIN_SEGMENTS 8

/*
** The document score of a pair is the mean, over the 1-1 beads of its
** alignment, of the evidence of the keys both sides hold: the log-
** likelihood ratio (nats) of finding or missing the lexicon's word pairs,
** names, numbers and Latin words of one side on the other, against chance,
** i.e. what a segment of the other document taken at random would hold
** (the aligner's own evidence model).  Chance alone scores 0 or less.  A
** pair scoring under this is not a translation pair.  Measured on
** ../shared/data/align (bench/pairs.py): true pairs 3.97 to 7.7 (cut to 8
** sentences: 1.35 and up), unrelated articles paired -4.0 to -1.0 (cut to
** 8 to 20 sentences: at most 0.85).
*/
#define IEUM_PAIR_MIN_SCORE 1.0

/*
** Checks that `src` and `tgt`, aligned as `al` (ieum_alignment_new() with
** lexicon `lex`, NULL = built-in), are a translation pair: 0 when they
** are, else IEUM_EINVAL with a one-line message that starts
** "SRC_NAME + TGT_NAME: " and says which check failed:
**   - "the two files hold the same text": most two-sided beads (more than
**     half) have the same text on both sides;
**   - "looks swapped: the source file is English; give the Korean file
**     first or use --swap": each side is written in the other's language;
**   - "the source file SRC_NAME does not look like Korean (...)": a side with 8
**     letters or more, under 30% of them in the scripts ICU gives for the
**     side's language (ieum_doc_lang(); uscript_getCode(): ko = Hangul and
**     Han, en = Latin; a language ICU gives no script for is not checked);
**   - "not a translation of each other: ...": for pairs of at least
**     IEUM_PAIR_MIN_SEGMENTS segments a side, one side Korean and the
**     other not (the pairs the built-in lexicon serves; other pairs have
**     too little evidence for the threshold), a document score under
**     IEUM_PAIR_MIN_SCORE.
** Other errors: IEUM_ENOMEM, IEUM_ERROR (ICU).
*/
IEUM_API int ieum_pair_check(const ieum_doc *src, const ieum_doc *tgt, const ieum_alignment *al,
                             const ieum_lexicon *lex, const char *src_name, const char *tgt_name);

#ifdef __cplusplus
}
#endif
#endif
