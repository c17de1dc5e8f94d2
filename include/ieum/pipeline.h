/*
** include/ieum/pipeline.h: the whole of `ieum align` and `ieum batch` as
** library calls.
**
** One call aligns a document pair the way `ieum align` does, from two files
** (ieum_pipeline_align_files()) or two texts in memory
** (ieum_pipeline_align_texts()): decoding (text.h), the article of an HTML
** page (html.h), segmentation, the lexicon (the built-in one, dictionaries,
** the word pairs learned from a TM), the TM's length ratio, alignment
** (align.h), the check that the two are a translation pair, and, when
** asked, the store into a TM (tm.h) in one transaction.  The batch engine
** (ieum_batch_run()) does the same for a list of pairs (paired by file
** name, from a manifest, or given) on worker threads with one writer, skips
** pairs the TM already holds (so a stopped batch resumes), reports every
** pair in input order and its progress to callbacks, and stops when asked.
**
** Layering (tests/structure/layers.py checks it on the sources):
**   util/      shared helpers; includes nothing of the others
**   formats/   bytes in and out (text, HTML, TMX, XLIFF); util/ only
**   align/     segmentation, scoring, alignment, the word-pair learner;
**              util/ only (no storage, no file formats)
**   tm/        the SQLite TM; util/ only (it hands out unit texts and
**              knows nothing of alignment)
**   pipeline/  this header: the one layer that uses all of them
**   cli/       argument parsing and printing over include/ieum.h
** A program that wants only one stage calls that stage's header.
**
** Ownership: an ieum_aligned_pair and an ieum_pair_list belong to the
** caller (free them with their _free()); every const char * and const
** object a getter returns is borrowed from its parent.  Threads: distinct
** objects may be used on distinct threads; one object serves one thread
** at a time.
*/
#ifndef IEUM_PIPELINE_H
#define IEUM_PIPELINE_H

#include "align.h"
#include "html.h"
#include "review.h"
#include "tm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What an input is (`ieum align --from`). */
typedef enum {
  IEUM_INPUT_AUTO = 0,        /* an HTML page by its content (ieum_html_detect()), else text */
  IEUM_INPUT_TEXT = 1,        /* plain text */
  IEUM_INPUT_HTML = 2,        /* a saved page: its article is aligned, its headline first */
  IEUM_INPUT_PRESEGMENTED = 3 /* text with one segment per non-blank line */
} ieum_input_kind;

typedef struct {
  unsigned int version;        /* IEUM_PIPELINE_OPTIONS_VERSION */
  const char *src_lang;        /* BCP 47 tag of the source (canonical: ieum_lang_canonicalize()); NULL = "ko" */
  const char *tgt_lang;        /* of the target; NULL = "en" */
  int from;                    /* ieum_input_kind, both sides */
  int paragraphs;              /* ieum_paragraph_mode of text input (HTML articles: blank lines) */
  const char *src_encoding;    /* the source's encoding; NULL = detect (text.h) */
  const char *tgt_encoding;    /* the target's */
  const ieum_srx *srx;         /* borrowed; NULL = ICU and the built-in news rules */
  double ratio;                /* target/source length ratio; <= 0 = estimated (align.h) */
  const ieum_lexicon *lexicon; /* borrowed; NULL = the built-in lexicon plus `dicts` and tm_path's learned
                                  pairs (ieum_pipeline_lexicon()), built by the call */
  const char *const *dicts;    /* dictionary files (ieum_lexicon_load_dict()), n_dicts of them */
  size_t n_dicts;
  const char *tm_path;         /* a TM: its learned word pairs join the lexicon; with ratio_tm its length
                                  ratio; with `store` the pair goes into it.  NULL = none */
  int store;                   /* non-zero: add the pair to tm_path (created if missing) in one transaction */
  int ratio_tm;                /* non-zero: tm_path's length ratio (ieum_pipeline_prior()) as the prior */
  double prior_ratio;          /* else a prior given here (ieum_align_options.prior_ratio); <= 0 = none */
  double prior_chars;          /* its weight (ieum_align_options.prior_chars) */
  double min_score;            /* beads under it are neither stored nor given to ieum_pipeline_foreach_unit() */
  int force;                   /* non-zero: keep a pair ieum_pair_check() refuses (ieum_aligned_pair_warning()) */
  unsigned int threads;        /* ieum_align_options.threads: 0 = as the machine allows, 1 = this thread */
  const char *src_name;        /* texts only: the source's name in messages and in the TM; NULL = "source" */
  const char *tgt_name;        /* texts only: the target's; NULL = "target" (files: their paths) */
} ieum_pipeline_options;

#define IEUM_PIPELINE_OPTIONS_VERSION 1
#define IEUM_PIPELINE_OPTIONS_INIT                                                                          \
  { IEUM_PIPELINE_OPTIONS_VERSION, NULL, NULL, IEUM_INPUT_AUTO, IEUM_PARAGRAPH_AUTO, NULL, NULL, NULL, 0.0, \
    NULL, NULL, 0, NULL, 0, 0, 0.0, 0.0, 0.0, 0, 0, NULL, NULL }

/* An aligned document pair: its two documents, their pages (HTML input) and the alignment. */
typedef struct ieum_aligned_pair ieum_aligned_pair;

/*
** Aligns the files src_path and tgt_path as `ieum align` does into *out
** (free with ieum_aligned_pair_free()); `opts` NULL = the defaults.  Each
** step's error message names the file: unreadable, not text, invalid in
** its encoding, empty or blank ("ko.txt: file is empty"), an HTML page with
** no article.  A pair that is not a translation pair (ieum_pair_check())
** fails with IEUM_EINVAL and the check's message, unless opts->force: then
** it succeeds and ieum_aligned_pair_warning() says why.  With opts->store
** the pair is then added to opts->tm_path (ieum_pipeline_store()).
** Errors: IEUM_EIO, IEUM_ENOTFOUND, IEUM_EENCODING, IEUM_EINVAL, IEUM_ELIMIT,
** IEUM_EPARSE, IEUM_EDB (the TM), IEUM_ENOMEM; *out is NULL then.
*/
IEUM_API int ieum_pipeline_align_files(ieum_aligned_pair **out, const char *src_path, const char *tgt_path,
                                       const ieum_pipeline_options *opts);

/*
** The same for two texts in memory: bytes in any encoding text.h reads
** (or HTML pages), read as files holding them would be, named in messages
** and in the TM by opts->src_name and opts->tgt_name.  Same errors.
*/
IEUM_API int ieum_pipeline_align_texts(ieum_aligned_pair **out, const char *src, size_t src_len, const char *tgt,
                                       size_t tgt_len, const ieum_pipeline_options *opts);

/*
** Loads one file as ieum_pipeline_align_files() loads each side of a pair
** (read, HTML article or decoded text, refused when empty or blank,
** segmented): side 0 with opts->src_lang and src_encoding, side 1 with the
** target's.  *out gets the document and *article (may be NULL) the page
** of HTML input, else NULL; both belong to the caller (ieum_doc_free(),
** ieum_html_free()).  Errors: those of ieum_pipeline_align_files() before
** alignment; *out is NULL then.
*/
IEUM_API int ieum_pipeline_load_doc(ieum_doc **out, ieum_article **article, const char *path, int side,
                                    const ieum_pipeline_options *opts);

/*
** The roles of the first n paragraphs of `article` (ieum_html_paragraph())
** as the aligner gives them, with the headline in front as
** ieum_html_copy_headed_text() hands the text to the segmenter: roles[i] is
** an ieum_segment_role (body, byline, caption, credit, dateline, related,
** furniture; ieum_segment_role_name() names it).  n past the paragraph
** count is cut to it.  O(article text).  Errors: IEUM_ENOMEM.
*/
IEUM_API int ieum_pipeline_paragraph_roles(const ieum_article *article, int *roles, size_t n);

/* Frees `p`, its documents, pages and alignment; NULL is a no-op. */
IEUM_API void ieum_aligned_pair_free(ieum_aligned_pair *p);

/* The segmented document of side 0 (source) or 1 (target); borrowed from `p`. */
IEUM_API const ieum_doc *ieum_aligned_pair_doc(const ieum_aligned_pair *p, int side);

/* The alignment of the two documents; borrowed from `p`. */
IEUM_API const ieum_alignment *ieum_aligned_pair_alignment(const ieum_aligned_pair *p);

/* Side 0's or 1's HTML page (headline, byline, date, URL: html.h), NULL for text input; borrowed. */
IEUM_API const ieum_article *ieum_aligned_pair_article(const ieum_aligned_pair *p, int side);

/* Side 0's or 1's name: its path, or the name given for a text; borrowed. */
IEUM_API const char *ieum_aligned_pair_name(const ieum_aligned_pair *p, int side);

/* The pair's content hash (ieum_tm_hash() of the decoded texts), as the TM's documents keep it; borrowed. */
IEUM_API const char *ieum_aligned_pair_hash(const ieum_aligned_pair *p);

/* With opts->force: why ieum_pair_check() refused the pair (one line), else NULL; borrowed. */
IEUM_API const char *ieum_aligned_pair_warning(const ieum_aligned_pair *p);

/* What a store did (ieum_aligned_pair_stored()). */
typedef enum {
  IEUM_STORE_NONE = 0,  /* not stored: no opts->store */
  IEUM_STORE_ADDED = 1, /* added as a new document */
  IEUM_STORE_EXISTS = 2 /* the TM already held a document of the same content: nothing added */
} ieum_store_result;

/*
** After opts->store: IEUM_STORE_ADDED or IEUM_STORE_EXISTS, and in
** *doc_id (may be NULL) the TM document's id; else IEUM_STORE_NONE.
*/
IEUM_API int ieum_aligned_pair_stored(const ieum_aligned_pair *p, int64_t *doc_id);

/*
** Calls `cb` with a unit for every bead with both sides scoring at least
** `min_score`, in ladder order: texts (the bead's segments joined by a
** space), languages, score, bead type ("2-1"), role, position (the bead's
** index in the ladder) and `document` (may be NULL).  Every pointer is
** borrowed for the call.  Returns 0, IEUM_ENOMEM, or what `cb` returned.
*/
IEUM_API int ieum_pipeline_foreach_unit(const ieum_aligned_pair *p, double min_score, const char *document,
                                        ieum_unit_cb cb, void *payload);

/*
** Adds `p` to the open, writable `tm` as `ieum align --tm` does, in one
** transaction (call it outside one): a document of kind "pair" (its names,
** languages and hash), the pages' metadata as "src.KEY" and "tgt.KEY"
** items, and a unit per ieum_pipeline_foreach_unit() bead scoring at
** least `min_score`.  *out (may be NULL) gets the document id.  A pair of
** the same content already there: IEUM_EEXISTS, nothing added, *out its
** id.  On any other error nothing is added.  Errors: IEUM_EDB, IEUM_ENOMEM.
*/
IEUM_API int ieum_pipeline_store(int64_t *out, ieum_tm *tm, const ieum_aligned_pair *p, double min_score);

/*
** ieum_pipeline_store() into the TM at `tm_path`, created if missing, opened
** and closed by the call.  Errors: those of ieum_tm_open() and ieum_pipeline_store().
*/
IEUM_API int ieum_pipeline_store_path(int64_t *out, const char *tm_path, const ieum_aligned_pair *p,
                                      double min_score);

/*
** The lexicon `ieum align` uses, into *out (the caller frees it): the
** built-in entries plus the dictionaries dicts[0..n_dicts) and the word
** pairs learned into the TM at tm_path (may be NULL; a missing TM has
** none).  *out is NULL, and the aligner's built-in lexicon applies, when
** there is no dictionary and no learned pair.  Errors: those of
** ieum_lexicon_load_dict(), ieum_tm_open(), IEUM_ENOMEM.
*/
IEUM_API int ieum_pipeline_lexicon(ieum_lexicon **out, const char *const *dicts, size_t n_dicts,
                                   const char *tm_path);

/*
** Units below this score do not feed a TM's length ratio: the threshold
** `ieum tm learn` uses by default for word pairs.
*/
#define IEUM_PIPELINE_PRIOR_MIN_SCORE 0.9

/*
** A TM's ratio is used once its confident 1-1 units hold this many source
** characters (about 600 Korean news sentences, 30 articles): from there it
** barely moves as the TM grows, so `ieum batch` (the ratio as the batch
** begins) and a series of `ieum align --tm` (the ratio before each pair)
** give the same alignments, and a young TM cannot skew one.
*/
#define IEUM_PIPELINE_PRIOR_MIN_CHARS 20000.0

/*
** The length ratio of the TM at tm_path for src_lang -> tgt_lang and its
** weight (ieum_tm_length_ratio() over units scoring at least
** IEUM_PIPELINE_PRIOR_MIN_SCORE) into *ratio and *chars, both 0 when the
** TM is missing or holds fewer than IEUM_PIPELINE_PRIOR_MIN_CHARS.
** Errors: those of ieum_tm_open() and ieum_tm_length_ratio().
*/
IEUM_API int ieum_pipeline_prior(double *ratio, double *chars, const char *tm_path, const char *src_lang,
                                 const char *tgt_lang);

/*
** The rows the review step (review.h) shows for `p`, without a TM, into
** *out (free with ieum_review_doc_free()): a unit row per bead with both
** sides, one unaligned row per sentence of a 1-0 or 0-1 bead, for every
** bead scoring at least `min_score`, in ladder order, with ids 0 and
** doc_id 0.  What `ieum align --report` renders.  Errors: IEUM_ENOMEM.
*/
IEUM_API int ieum_pipeline_review_doc(ieum_review_doc **out, const ieum_aligned_pair *p, double min_score);

/* ---- what the TM teaches the aligner (pipeline/learn.c; declared in tm.h before) --------------- */

typedef struct {
  unsigned int version;   /* IEUM_TM_LEARN_OPTIONS_VERSION */
  double min_score;       /* units scoring below this (or unscored) are not read; in [0,1] */
  double min_assoc;       /* a pair's Dice coefficient must reach this; in (0,1] */
  uint32_t min_count;     /* units a pair must be seen in */
} ieum_tm_learn_options;

#define IEUM_TM_LEARN_OPTIONS_VERSION 1
#define IEUM_TM_LEARN_OPTIONS_INIT { IEUM_TM_LEARN_OPTIONS_VERSION, 0.9, 0.3, 3 }

/*
** Learns word pairs from the TM's units: Korean word stems (particles cut)
** and English words (lowercased, plural "s" cut) that occur together in
** units scoring at least opts->min_score or reviewed (review.h: a
** reviewer's units count twice, whatever their score), scored by the Dice
** coefficient; a pair is kept when each word is the other's best partner and it passes
** min_assoc and min_count.  The pairs replace those of origin 'learned' in
** the lexicon table, in one transaction (so call it outside one).  `*out`
** (may be NULL) receives the number of pairs written.  `opts` NULL = the
** defaults.  Errors: IEUM_EINVAL (bad options, a transaction is open, a
** read-only TM), IEUM_EDB, IEUM_ENOMEM.
*/
IEUM_API int ieum_tm_learn(size_t *out, ieum_tm *tm, const ieum_tm_learn_options *opts);

/*
** Adds the TM's learned pairs (origin 'learned') to `lex` (see align.h);
** `*out` (may be NULL) receives how many.  Errors: IEUM_EDB, IEUM_ENOMEM.
*/
IEUM_API int ieum_tm_lexicon_load(size_t *out, struct ieum_lexicon *lex, ieum_tm *tm);

/*
** The length model the TM holds for one language pair: over its most recent
** 1-1 units (at most 20,000) from src_lang to tgt_lang (case-insensitive)
** that score at least min_score, the ratio of target to source length in
** non-space characters, as the aligner counts them, in *ratio, and the
** source characters it rests on in *src_chars (the estimate's weight; the
** aligner takes them as ieum_align_options.prior_ratio and prior_chars).
** Both are 0 when no unit qualifies.  Errors: IEUM_EINVAL, IEUM_EDB.
*/
IEUM_API int ieum_tm_length_ratio(double *ratio, double *src_chars, ieum_tm *tm, const char *src_lang,
                                  const char *tgt_lang, double min_score);

/* ---- the batch engine ---------------------------------------------------------------- */

/* A list of document pairs (paths), with what pairing them noticed. */
typedef struct ieum_pair_list ieum_pair_list;

typedef struct {
  unsigned int version;  /* IEUM_PAIRING_OPTIONS_VERSION */
  const char *src_lang;  /* the language suffix of source names ("a.ko.txt"); NULL = "ko" */
  const char *tgt_lang;  /* of target names; NULL = "en" */
  int follow_symlinks;   /* non-zero: pair the files symbolic links point to (never directories) */
} ieum_pairing_options;

#define IEUM_PAIRING_OPTIONS_VERSION 1
#define IEUM_PAIRING_OPTIONS_INIT { IEUM_PAIRING_OPTIONS_VERSION, NULL, NULL, 0 }

/* Directory levels followed below the two directories. */
#define IEUM_PAIRING_MAX_DEPTH 64

/*
** Pairs the files under src_dir with those under tgt_dir into *out (free
** with ieum_pair_list_free()): every file pairs with the one that has the
** same path relative to its directory once a language suffix is removed
** from both names (NAME.LANG.EXT and NAME.LANG stand for NAME.EXT and NAME
** when LANG is the side's language, in any letter case); when the two are
** one directory, only names with the suffix take part.  Names starting
** with '.' are ignored.  Pairs come sorted by pairing name.  Files without
** a partner and files sharing a pairing name are notes of kind
** IEUM_NOTE_UNMATCHED, symbolic links not followed IEUM_NOTE_LINK, an
** unreadable subdirectory or one too deep IEUM_NOTE_ERROR (each a one-line
** message naming the path).  Errors: IEUM_ENOTFOUND ("DIR: no such
** directory"), IEUM_EINVAL ("DIR: not a directory"), IEUM_EIO, IEUM_ENOMEM.
*/
IEUM_API int ieum_pair_list_from_dirs(ieum_pair_list **out, const char *src_dir, const char *tgt_dir,
                                      const ieum_pairing_options *opts);

/*
** Reads a manifest: one pair a line, SRC_PATH TAB TGT_PATH, relative paths
** taken from the manifest's directory, blank lines and lines starting with
** '#' ignored, a UTF-8 byte order mark skipped.  A malformed line is a note
** of kind IEUM_NOTE_ERROR ("list.tsv:5: expected SRC_PATH<TAB>TGT_PATH").
** Errors: IEUM_ENOTFOUND or IEUM_EIO ("list.tsv: cannot read: ..."),
** IEUM_EINVAL (a directory), IEUM_ENOMEM.
*/
IEUM_API int ieum_pair_list_from_manifest(ieum_pair_list **out, const char *path);

/* An empty list, to fill with ieum_pair_list_add().  Errors: IEUM_ENOMEM. */
IEUM_API int ieum_pair_list_new(ieum_pair_list **out);

/* Appends a pair (the paths are copied).  Errors: IEUM_ENOMEM. */
IEUM_API int ieum_pair_list_add(ieum_pair_list *l, const char *src_path, const char *tgt_path);

/* Frees the list; NULL is a no-op. */
IEUM_API void ieum_pair_list_free(ieum_pair_list *l);

/* Number of pairs. */
IEUM_API size_t ieum_pair_list_count(const ieum_pair_list *l);

/* Pair i's (< count) path of side 0 (source) or 1 (target); borrowed. */
IEUM_API const char *ieum_pair_list_path(const ieum_pair_list *l, size_t i, int side);

/* Kinds of notes pairing leaves. */
typedef enum {
  IEUM_NOTE_UNMATCHED = 0, /* a file without a partner, or sharing its pairing name */
  IEUM_NOTE_LINK = 1,      /* a symbolic link not followed */
  IEUM_NOTE_ERROR = 2      /* a directory that could not be read, a malformed manifest line */
} ieum_note_kind;

/* Notes of `kind`, in the order they were made. */
IEUM_API size_t ieum_pair_list_note_count(const ieum_pair_list *l, int kind);

/* Note i (< ieum_pair_list_note_count()) of `kind`: a one-line message; borrowed. */
IEUM_API const char *ieum_pair_list_note(const ieum_pair_list *l, int kind, size_t i);

/* What became of one pair of a batch. */
typedef enum {
  IEUM_BATCH_STORED = 0,    /* aligned and added to the TM */
  IEUM_BATCH_SKIPPED = 1,   /* the TM already held it: not aligned (or not added) */
  IEUM_BATCH_FAILED = 2,    /* not loaded, not aligned or refused: `message` says why; the batch goes on */
  IEUM_BATCH_NOT_STORED = 3 /* the TM could not take it (`message`: its error): the batch stops */
} ieum_batch_outcome;

/* One pair's outcome, handed to ieum_batch_options.on_pair. */
typedef struct {
  size_t index;          /* the pair's place in the list */
  int outcome;           /* ieum_batch_outcome */
  const char *src_path;  /* borrowed for the call */
  const char *tgt_path;
  const char *message;   /* FAILED, NOT_STORED: one line (its files named by the message itself, or not:
                            the caller may add them); else NULL */
  int64_t doc_id;        /* STORED: the new document */
  size_t units;          /* STORED: sentence pairs added */
  size_t low;            /* STORED: of them, scoring under ieum_batch_options.low */
} ieum_batch_event;

/* Where a batch is, handed to ieum_batch_options.on_progress. */
typedef struct {
  size_t total;      /* pairs in the list */
  size_t done;       /* pairs whose outcome was reported */
  size_t started;    /* pairs a worker took (done <= started <= total) */
  size_t stored, skipped, failed;
  int stopping;      /* 1 in the one call that follows a stop request: `started - done` pairs are
                        still being finished, `total - started` will never start */
} ieum_batch_progress;

typedef struct {
  unsigned int version;            /* IEUM_BATCH_OPTIONS_VERSION */
  ieum_pipeline_options pipeline;  /* how each pair is aligned; `lexicon` must be NULL (each worker builds
                                      its own, one object serving one thread), `store` and `tm_path` are
                                      ignored (the pairs go into the TM given to ieum_batch_run()) */
  unsigned int jobs;               /* worker threads; 0 = the number of cores (at most IEUM_BATCH_MAX_JOBS) */
  double low;                      /* sentence pairs stored under this score are counted as low */
  /* Called on the calling thread, in input order, once per pair that got an outcome.  Non-zero: the
     batch stops at once (no pair is reported any more) and ieum_batch_run() returns that value. */
  int (*on_pair)(const ieum_batch_event *e, void *payload);
  /* Called on the calling thread before each pair is awaited, every tick_ms while waiting, and after
     each pair.  Non-zero asks the batch to stop: no pair is started any more, those taken are finished
     and reported; then it is called once more with `stopping` set.  May be NULL. */
  int (*on_progress)(const ieum_batch_progress *p, void *payload);
  unsigned int tick_ms;            /* 0 = 200 */
  void *payload;                   /* given to both callbacks */
} ieum_batch_options;

#define IEUM_BATCH_OPTIONS_VERSION 1
#define IEUM_BATCH_OPTIONS_INIT { IEUM_BATCH_OPTIONS_VERSION, IEUM_PIPELINE_OPTIONS_INIT, 0, 0.5, NULL, NULL, 0, NULL }

/* Upper bound of ieum_batch_options.jobs. */
#define IEUM_BATCH_MAX_JOBS 256

/* Pairs a worker may run ahead of the writer (memory stays bounded: ~20-100 KB a news pair). */
#define IEUM_BATCH_WINDOW_PER_JOB 16

typedef struct {
  size_t total;          /* pairs in the list */
  size_t stored, skipped, failed;  /* NOT_STORED counts as failed */
  size_t not_tried;      /* pairs never started (a stop) */
  size_t units, low;     /* sentence pairs stored, and of them under `low` */
  size_t sentences;      /* source plus target segments of the pairs stored */
  double write_cpu;      /* CPU seconds the writer spent storing */
  int stopped;           /* 1: on_progress asked to stop; 2: the TM could not be written; 0: ran to the end */
} ieum_batch_stats;

/*
** Aligns every pair of `pairs` on worker threads and stores them into
** `tm` (open for writing; its path is reopened read-only by each worker),
** each in its own transaction, in input order, from the calling thread:
** document ids do not depend on `jobs`, and whatever was reported as
** stored stays stored if the process dies.  A pair whose content the TM
** already holds is skipped before it is aligned.  The TM receives what
** ieum_pipeline_store() gives it for the same pair.  *out (may be NULL)
** gets the counts, also when the batch stopped.  Errors (nothing was
** started): IEUM_EINVAL (bad options), the lexicon's (a dictionary that
** does not load), the TM's length ratio's (pipeline.ratio_tm), IEUM_ERROR
** (no thread could be started), IEUM_ENOMEM; or what on_pair returned.
*/
IEUM_API int ieum_batch_run(ieum_batch_stats *out, ieum_tm *tm, const ieum_pair_list *pairs,
                            const ieum_batch_options *opts);

#ifdef __cplusplus
}
#endif
#endif
