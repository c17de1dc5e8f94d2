/*
** include/ieum/tm.h: the translation memory, a SQLite database.
**
** A TM holds documents (a source/target pair of texts, or an imported TMX
** file: their names, languages, a content hash and when they were added) and
** units (source and target text, languages, score, bead type, document and
** position, creation time).  A document is known by its content hash, so
** adding the same pair twice adds nothing.  The database runs in WAL mode;
** every write happens inside a transaction, so a failed run leaves the TM as
** it was.  A TM handle is used by one thread at a time.
** Not here: what a TM's units teach the aligner (word pairs learned into
** the TM's lexicon table, its length ratio: ieum_tm_learn() and the others
** in pipeline.h, since learning is the aligner's business).
*/
#ifndef IEUM_TM_H
#define IEUM_TM_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ieum_tm ieum_tm;

typedef enum {
  IEUM_TM_READ = 0,      /* open an existing TM read-only */
  IEUM_TM_WRITE = 1,     /* open an existing TM read-write */
  IEUM_TM_CREATE = 3     /* read-write, created when missing */
} ieum_tm_mode;

/*
** Opens the TM at `path`, a file name (never taken as an SQLite URI, even
** when it starts with "file:").  IEUM_TM_READ also reads a TM in a folder
** the caller may not write (no -shm file can be made there), as long as no
** write-ahead log beside it holds changes.  Errors: IEUM_ENOTFOUND
** (missing, without IEUM_TM_CREATE), IEUM_EDB (not an ieum TM, corrupt,
** locked, a folder that cannot be written to: the message carries SQLite's).
*/
IEUM_API int ieum_tm_open(ieum_tm **out, const char *path, int mode);

/* Closes the TM; an open transaction is rolled back.  NULL is a no-op. */
IEUM_API void ieum_tm_free(ieum_tm *tm);

/*
** Whether the TM can still answer: 1 for an SQLite file; for a PostgreSQL
** TM, whether its connection is good after reading what the server sent
** meanwhile (a backend terminated or a server restarted makes it bad: open
** the TM again).  A long-lived handle checks it before each request.
*/
IEUM_API int ieum_tm_connection_ok(ieum_tm *tm);

/* Transactions: every write function must run between begin and commit. */
IEUM_API int ieum_tm_begin(ieum_tm *tm);
IEUM_API int ieum_tm_commit(ieum_tm *tm);
IEUM_API int ieum_tm_rollback(ieum_tm *tm);

typedef struct {
  const char *kind;      /* "pair" (aligned texts) or "tmx" (an imported file) */
  const char *src_path;  /* name of the source file as given (any bytes: see ieum_tm_add_document()) */
  const char *tgt_path;  /* name of the target file; NULL for "tmx" */
  const char *src_lang;  /* BCP 47 */
  const char *tgt_lang;  /* BCP 47 */
  const char *hash;      /* content hash (see ieum_tm_hash()) */
} ieum_tm_document;

/*
** Content hash of up to two texts, written as 32 hex digits plus NUL into
** `out` (33 bytes).  `b` may be NULL.
*/
IEUM_API void ieum_tm_hash(char out[33], const char *a, size_t a_len, const char *b, size_t b_len);

/*
** Content hash of the file at `path`, read in blocks (constant memory), in
** the same form as ieum_tm_hash().  Errors: IEUM_ENOTFOUND, IEUM_EIO.
*/
IEUM_API int ieum_tm_hash_file(char out[33], const char *path);

/*
** Adds a document; `*out` receives its id.  When a document with the same
** kind and hash is already there, `*out` receives that id and
** IEUM_EEXISTS is returned (no error message is recorded for it).  A file
** name that is not valid UTF-8 (a file system name is any bytes) is stored
** with each stray byte written \xHH (lowercase hex), which is how search,
** concordance and every export show it, and its bytes as given are kept
** too (ieum_tm_get_document_path()); a unit's own document name
** (ieum_unit.document) is escaped the same way.  Errors: IEUM_EDB,
** IEUM_EINVAL (outside a transaction).
*/
IEUM_API int ieum_tm_add_document(int64_t *out, ieum_tm *tm, const ieum_tm_document *doc);

/*
** Appends to `out` the source (`tgt` 0) or target (`tgt` 1) file name of
** document `doc_id` exactly as it was given to ieum_tm_add_document(),
** also when it is not valid UTF-8 (then it is stored escaped as well; TMs
** written before schema version 4 have the bytes as stored then).
** Errors: IEUM_ENOTFOUND (no such document, or no such name), IEUM_EDB.
*/
IEUM_API int ieum_tm_get_document_path(ieum_buf *out, ieum_tm *tm, int64_t doc_id, int tgt);

/*
** Sets who adds units through `tm` from now on (a login name, "kim"; NULL
** or "" = nobody named): every unit ieum_tm_add_unit() adds records it
** (units.created_by), and TMX exports write it as the unit's creationid
** and changeid (with its creation time as changedate) when the unit has
** none of its own.  Copied.  Errors: IEUM_EINVAL (not UTF-8), IEUM_ENOMEM.
*/
IEUM_API int ieum_tm_set_user(ieum_tm *tm, const char *user);

/*
** Adds a unit to document `doc_id`, its role (ieum_unit.role) too, which
** every reader gives back.  A unit with the same document and
** position as one already stored is not added again.  Errors: IEUM_EDB,
** IEUM_EINVAL (outside a transaction, empty source and target).
*/
IEUM_API int ieum_tm_add_unit(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit);

/*
** Calls `cb` for every unit, in document then position order.  A non-zero
** return of `cb` stops and is returned.  Errors: IEUM_EDB.
*/
IEUM_API int ieum_tm_foreach(ieum_tm *tm, ieum_unit_cb cb, void *payload);

#define IEUM_TM_STATS_LANGS 8

typedef struct {
  int64_t documents;             /* documents in the TM */
  int64_t units;                 /* units in the TM */
  int64_t unscored;              /* units without a score */
  int64_t score_hist[10];        /* units by score: [0,.1), [.1,.2) ... [.9,1] */
  size_t n_langs;                /* entries used in langs[] */
  struct {
    char src[32];                /* source language */
    char tgt[32];                /* target language */
    int64_t units;               /* units in that pair */
  } langs[IEUM_TM_STATS_LANGS];  /* most frequent language pairs first */
  int64_t beads[6];              /* units by bead type: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2 */
  int64_t beads3[2];             /* units by bead type, continued: 3-1, 1-3 */
} ieum_tm_stats;

/* Fills `out` with counts.  Errors: IEUM_EDB. */
IEUM_API int ieum_tm_stats_get(ieum_tm_stats *out, ieum_tm *tm);

/* A language pair's spelling as stored and its units (borrowed strings); non-zero stops the walk. */
typedef int (*ieum_tm_lang_pair_cb)(const char *src, const char *tgt, int64_t units, void *payload);

/*
** Calls `cb` for every language pair of the TM as its units spell it
** (ko/en and ko-KR/en-US are two calls: ieum_lang_export_tag() makes them
** one), most units first, ties in name order: every pair, where
** ieum_tm_stats keeps IEUM_TM_STATS_LANGS.  A non-zero return of `cb` is
** returned.  Cost: one GROUP BY over the units' languages index.
** Errors: IEUM_EDB.
*/
IEUM_API int ieum_tm_foreach_lang_pair(ieum_tm *tm, ieum_tm_lang_pair_cb cb, void *payload);

/* ---- document metadata (tm/meta.c) ---------------------------------------- */

/*
** Sets metadata `key` of document `doc_id` to `value` (UTF-8; an article's
** "src.headline", "tgt.url", ...), replacing an earlier value of that key.
** Inside the caller's transaction.  Errors: IEUM_EINVAL (outside a
** transaction, empty key), IEUM_ENOTFOUND (no such document), IEUM_EDB.
*/
IEUM_API int ieum_tm_set_document_meta(ieum_tm *tm, int64_t doc_id, const char *key, const char *value);

/* Receives one metadata item (borrowed for the call); non-zero stops and is returned. */
typedef int (*ieum_tm_meta_cb)(const char *key, const char *value, void *payload);

/*
** Calls `cb` for every metadata item of document `doc_id`, by key.
** Errors: IEUM_EDB.
*/
IEUM_API int ieum_tm_foreach_document_meta(ieum_tm *tm, int64_t doc_id, ieum_tm_meta_cb cb, void *payload);

/*
** Appends the value of metadata `key` of document `doc_id` to `out`.
** Errors: IEUM_ENOTFOUND (no such item; no message is recorded), IEUM_EDB.
*/
IEUM_API int ieum_tm_get_document_meta(ieum_buf *out, ieum_tm *tm, int64_t doc_id, const char *key);

/*
** Finds the document of `kind` ("pair", "tmx") whose content hash is
** `hash` (ieum_tm_hash()); `*out` receives its id.  Works on a read-only
** handle.  Errors: IEUM_ENOTFOUND (no such document; no message is
** recorded), IEUM_EDB, IEUM_EINVAL (no kind or hash).
*/
IEUM_API int ieum_tm_find_document(int64_t *out, ieum_tm *tm, const char *kind, const char *hash);

/* ---- settings kept in the TM (tm/settings.c) ------------------------------ */

/*
** Sets setting `key` of the TM to `value` (UTF-8), replacing an earlier
** value, or removes it when `value` is NULL: key/value pairs a front end
** keeps in the TM itself (`ieum serve` keeps its users' token hashes as
** "serve.token.NAME").  A key is a lowercase word, a dot and a name
** ("serve.token.alice"); the TM's own keys (its schema version, who made
** it) have no dot and are out of reach.  Inside a transaction.  Errors:
** IEUM_EINVAL (outside a transaction, a bad key), IEUM_EDB.
*/
IEUM_API int ieum_tm_set_setting(ieum_tm *tm, const char *key, const char *value);

/*
** Calls `cb` for every setting whose key starts with `prefix` ("serve."),
** by key (borrowed strings); a non-zero return stops and is returned.
** Works on a read-only handle.  Errors: IEUM_EDB.
*/
IEUM_API int ieum_tm_foreach_setting(ieum_tm *tm, const char *prefix, ieum_tm_meta_cb cb, void *payload);

/*
** The one form in which a TM stores language tags, BCP 47 and cased, for
** every unit and document added (ieum_tm_add_unit(), ieum_tm_add_document(),
** the importer): IEUM_TM_TAGS_REGION (the default: a tag without a region
** gets its language's likely one, "ko" -> "ko-KR", "en" -> "en-US", as
** Trados and memoQ TMs hold them) or IEUM_TM_TAGS_PLAIN (the region is
** dropped: "ko-KR" -> "ko"; a pair within one language keeps its regions,
** pt-PT -> pt-BR).  The choice is the TM's setting tm.lang_tags,
** written when the TM is created.  A TM without it (made by ieum before
** 0.1.0's canonical tags, with "ko"/"en" and "ko-KR"/"en-US" units side by
** side) is read as IEUM_TM_TAGS_REGION; the first ieum_tm_open() for
** writing also rewrites its documents' and units' tags in that form and
** records the setting, in one transaction (one UPDATE per distinct pair;
** skipped, for a later open, while another process writes).  Read-only,
** it is left as it is: lookups, stats and exports treat "ko" and "ko-KR"
** as one language either way.  A tag ICU cannot read is stored as given,
** only cased.
*/
enum { IEUM_TM_TAGS_REGION = 0, IEUM_TM_TAGS_PLAIN = 1 };

/* The TM's form of language tags: IEUM_TM_TAGS_REGION or IEUM_TM_TAGS_PLAIN. */
IEUM_API int ieum_tm_lang_tags(ieum_tm *tm);

/*
** Records `form` (IEUM_TM_TAGS_REGION or IEUM_TM_TAGS_PLAIN) as the TM's
** form of language tags for the units added from now on; units already
** stored keep theirs.  Inside a transaction.  Errors: IEUM_EINVAL (outside
** a transaction, an unknown form), IEUM_EDB.
*/
IEUM_API int ieum_tm_set_lang_tags(ieum_tm *tm, int form);

/* ---- fuzzy search and concordance (tm/search.c) ------------------------- */

typedef struct {
  unsigned int version;  /* IEUM_TM_SEARCH_OPTIONS_VERSION */
  int min_score;         /* lowest match percentage returned, 0-100 */
  size_t max_results;    /* at most this many matches */
  int exhaustive;        /* 1: score every unit instead of the index's candidates (a scan: slow) */
} ieum_tm_search_options;

#define IEUM_TM_SEARCH_OPTIONS_VERSION 1
#define IEUM_TM_SEARCH_OPTIONS_INIT { IEUM_TM_SEARCH_OPTIONS_VERSION, 70, 10, 0 }

typedef struct {
  int score;             /* match percentage 0-100; 100 only for a byte-identical source */
  ieum_unit unit;        /* the TM unit (document = its origin); borrowed, valid during the callback */
} ieum_tm_match;

/* Receives one match; non-zero stops the search and is returned. */
typedef int (*ieum_tm_match_cb)(const ieum_tm_match *match, void *payload);

/*
** Match percentage of two texts, as search computes it, into `*out`:
** both are NFKC_Casefold-normalized (case and width folded), white space
** runs become one space and punctuation is set apart; the score is
** 100 * (1 - d / L), rounded down, with d the Levenshtein distance in code
** points and L the longer length, minus 5 when the numbers differ and 2
** when the punctuation differs; a pair that is not byte-identical scores
** at most 99.  Errors: IEUM_EENCODING, IEUM_ENOMEM.
*/
IEUM_API int ieum_tm_similarity(int *out, const char *a, size_t a_len, const char *b, size_t b_len);

/*
** Fuzzy search: calls `cb` for the units whose source best matches `text`
** (UTF-8), best first (score, then newest), at most opts->max_results with
** a score of at least opts->min_score.  Candidates come from the TM's
** trigram index (units sharing the rarest of the text's trigrams; a unit
** sharing no trigram with the text is not seen); a text of fewer than 3
** characters (spaces and punctuation aside) has no useful trigram and is
** scored against the units whose source
** is short enough to reach min_score (through an index of the sources'
** lengths; at most 10,000 of them, shortest first).  `opts` may be NULL
** (defaults).  Errors:
** IEUM_EINVAL (bad options), IEUM_EENCODING, IEUM_EDB (also: a version-1
** TM opened read-only has no index).
*/
IEUM_API int ieum_tm_search(ieum_tm *tm, const char *text, size_t len, const ieum_tm_search_options *opts,
                            ieum_tm_match_cb cb, void *payload);

/*
** Concordance: calls `cb` for every unit whose source or target contains
** each of `words` (NUL-terminated UTF-8 substrings, ASCII case folded; a
** word may hold spaces), in document and position order, at most `limit`
** (0: all).
** Words of 1 or 2 characters alone make it a scan of the units.  Errors:
** IEUM_EINVAL (no word, an empty word), IEUM_EENCODING, IEUM_EDB.
*/
IEUM_API int ieum_tm_concordance(ieum_tm *tm, const char *const *words, size_t n_words, size_t limit,
                                 ieum_unit_cb cb, void *payload);

/* ---- maintenance (tm/maint.c) ---------------------------------------------- */

typedef struct {
  int64_t documents;     /* documents added */
  int64_t units;         /* units added */
} ieum_tm_merge_stats;

/*
** Adds every document and unit of the TM at `other_path` that `tm` lacks
** (with their props, metadata and lexicon rows), in one transaction of its
** own: call it with no transaction open.  Language tags are rewritten in
** `tm`'s form (ieum_tm_lang_tags()), so "ko" and "ko-KR" become one pair.
** Errors: IEUM_ENOTFOUND, IEUM_EDB (not a TM, locked), IEUM_EINVAL (a
** transaction is open).
*/
IEUM_API int ieum_tm_merge(ieum_tm_merge_stats *out, ieum_tm *tm, const char *other_path);

/*
** Copies every document of `from` that `to` lacks (by kind and content
** hash) with its file names, languages, metadata, units and their props
** and notes, each document in one transaction of `to` (call it with no
** transaction open there), so a copy that stops half-way resumes where it
** stopped.  Works between any two TMs: an SQLite file and a PostgreSQL
** database, either way.  A copied document's time added is the time of the
** copy (its units keep theirs).  Then the lexicon rows (learned and
** dictionary word pairs) `to` lacks, by source, target and origin, in one
** last transaction (a row `to` has keeps its weight).  `out` (may be NULL)
** counts the documents and units added.  Errors:
** IEUM_EINVAL (a transaction is open on `to`, `to` read-only), IEUM_EDB,
** IEUM_ENOMEM.
*/
IEUM_API int ieum_tm_copy(ieum_tm_merge_stats *out, ieum_tm *to, ieum_tm *from);

typedef enum {
  IEUM_TM_KEEP_ALL = 0,     /* keep every target; remove only repeated identical pairs */
  IEUM_TM_KEEP_NEWEST = 1,  /* per source, keep the newest unit */
  IEUM_TM_KEEP_BEST = 2     /* per source, keep the best-scored unit (then the newest) */
} ieum_tm_keep;

/*
** Removes units of the same source and languages, keeping those `keep`
** (an ieum_tm_keep) says; `*out` receives the number removed.  Inside a
** transaction.  Errors: IEUM_EINVAL, IEUM_EDB.
*/
IEUM_API int ieum_tm_dedupe(int64_t *out, ieum_tm *tm, int keep);

/*
** Calls `cb` for every unit ieum_tm_dedupe(tm, keep) would remove, in
** document and position order, changing nothing (any handle, read-only
** too).  A non-zero return of `cb` stops and is returned.  Errors:
** IEUM_EINVAL (unknown rule), IEUM_EDB.
*/
IEUM_API int ieum_tm_dedupe_preview(ieum_tm *tm, int keep, ieum_unit_cb cb, void *payload);

/*
** Deletes a document and its units; `document` is its id (digits), a file
** name, "SRC|TGT" as search shows it, or the name of a document inside an
** imported TMX (then its units go).  `*out` receives the units removed.
** Inside a transaction.  Errors: IEUM_ENOTFOUND, IEUM_EINVAL (the name fits
** several documents), IEUM_EDB.
*/
IEUM_API int ieum_tm_delete_document(int64_t *out, ieum_tm *tm, const char *document);

/*
** Calls `cb` for every unit ieum_tm_delete_document(tm, document) would
** remove, in document and position order, changing nothing (any handle,
** read-only too).  A non-zero return of `cb` stops and is returned.
** Errors: as ieum_tm_delete_document() (IEUM_ENOTFOUND, IEUM_EINVAL,
** IEUM_EDB).
*/
IEUM_API int ieum_tm_delete_document_preview(ieum_tm *tm, const char *document, ieum_unit_cb cb, void *payload);

/* ---- a unit's TMX props, notes and attributes (tm/props.c) --------------- */

/*
** One piece of a unit's TMX metadata that has no column of its own: a
** <prop>, a <note>, or an attribute of its <tu> (tuid, changedate, ...).
** Strings are UTF-8, NUL-terminated and borrowed.
*/
typedef struct {
  const char *kind;   /* "prop", "note" or "attr" */
  const char *type;   /* the prop's type or the attribute's name; NULL for a note */
  const char *lang;   /* xml:lang of a prop or note; optional */
  const char *value;  /* the text */
} ieum_unit_prop;

/* Receives a unit and its metadata (all borrowed for the call); non-zero stops and is returned. */
typedef int (*ieum_unit_props_cb)(const ieum_unit *unit, const ieum_unit_prop *props, size_t n_props,
                                  void *payload);

/*
** Stores `props` (in their order; kinds "prop", "note", "attr", and for
** the unit's source or target <tuv> "src-prop", "src-note", "src-attr",
** "tgt-prop", ...) as the metadata of the unit of document
** `doc_id` whose place is unit->document (NULL: none) and unit->position
** (< 0: the last unit of that place), replacing what it had.  An "attr"
** tuid equal to the unit's id is not stored (export writes it anyway).
** Inside a transaction.  Errors: IEUM_EINVAL (outside a transaction, a
** kind other than prop/note/attr, a prop or attr without type),
** IEUM_ENOTFOUND (no unit there), IEUM_EDB.
*/
IEUM_API int ieum_tm_set_unit_props(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit, const ieum_unit_prop *props,
                                    size_t n_props);

/*
** An importer adds units with their metadata to one document, fast (its
** statements stay prepared), optionally merging duplicates: a unit without
** a position whose source, target and languages (byte for byte) are
** already in the TM is not added again (a unit with a position is a place
** in a document, and only the same place is a duplicate).  It knows the units of the TM when it was made and those
** it added itself.  Free it before the TM.
*/
typedef struct ieum_tm_importer ieum_tm_importer;

/*
** Starts importing into document `doc_id`, inside a transaction; with
** `merge_duplicates` the TM's units are indexed first (one scan).  Errors:
** IEUM_EINVAL (outside a transaction), IEUM_ENOTFOUND (no such document),
** IEUM_EDB, IEUM_ENOMEM.
*/
IEUM_API int ieum_tm_importer_new(ieum_tm_importer **out, ieum_tm *tm, int64_t doc_id, int merge_duplicates);

/*
** Adds `unit` (as ieum_tm_add_unit()) and its `props`; `*out` (may be NULL)
** receives 1, or 0 when nothing was added: a duplicate, or a unit already
** at that place.  Errors: as ieum_tm_add_unit() and ieum_tm_set_unit_props().
*/
IEUM_API int ieum_tm_importer_add(int *out, ieum_tm_importer *im, const ieum_unit *unit, const ieum_unit_prop *props,
                                  size_t n_props);

/* Frees the importer; NULL is a no-op. */
IEUM_API void ieum_tm_importer_free(ieum_tm_importer *im);

/*
** Calls `cb` for every unit in the order they were added, with its stored
** metadata (an empty list when none) in the order stored: "attr", "prop"
** and "note" items of its <tu> and those of its source and target <tuv>s
** ("src-attr", "src-prop", "src-note", "tgt-attr" ...: see
** ieum_tmx_read_props(), which gives the <tu>'s first, then the source's,
** then the target's).  A
** unit added by a named user (ieum_tm_set_user()) without a creationid,
** changeid or changedate item of its own gets them: the user, and its
** creation time.  A unit of a document whose pages' URLs are known
** (document metadata "src.url", "tgt.url": HTML input) gets a last item
** "prop" "x-url" = "SRC_URL|TGT_URL" (a side without one empty), which
** exports show instead of local file names (ieum_export_options.full_paths).
** Errors: IEUM_EDB.
*/
IEUM_API int ieum_tm_foreach_with_props(ieum_tm *tm, ieum_unit_props_cb cb, void *payload);

#ifdef __cplusplus
}
#endif
#endif
