/*
** tm/tm_int.h: internals of the translation memory shared by the files of tm/.
**
** An ieum_tm is one SQLite connection plus the file name (for messages),
** the open mode, whether a transaction is open, and the prepared statements
** of the write and read paths, each prepared on first use and kept until
** ieum_tm_free() finalizes them all, plus the search's own state (its
** statements and its cache of how common index terms are: search.c).
**
**   ieum_tm { db ─── SQLite connection (WAL, foreign keys on)
**             path   our copy, named in every message
**             stmt[TM_STMT_COUNT]   NULL until first used
**             index_version   schema version of the search index in use
**             search ─── search.c's state, NULL until the first search }
**
** Invariants: in_tx is 1 exactly between a successful ieum_tm_begin() and
** the commit/rollback that ends it; a cached statement is reset before use.
** Not here: the SQL of the schema and its version checks (schema.c).
*/
#ifndef IEUM_TM_INT_H
#define IEUM_TM_INT_H

#include <sqlite3.h>

#include "util.h"

/* PRAGMA application_id of an ieum TM: 'IEUM' in ASCII. */
#define IEUM_TM__APPLICATION_ID 0x4945554D

/* PRAGMA user_version written by this code; older versions get migrated. */
#define IEUM_TM__SCHEMA_VERSION 7

/*
** How long a writer waits for another one before giving up, in ms.  An
** import of a large TMX holds the write lock for seconds; ten seconds lets
** two CLI runs on the same TM queue up instead of failing.
*/
#define IEUM_TM__BUSY_TIMEOUT_MS 10000

/* The cached statements; their SQL is in store.c (stmt_sql[]). */
enum {
  TM_STMT_BEGIN,
  TM_STMT_COMMIT,
  TM_STMT_ROLLBACK,
  TM_STMT_DOC_INSERT,
  TM_STMT_DOC_FIND,
  TM_STMT_DOC_PATH,
  TM_STMT_UNIT_INSERT,
  TM_STMT_FOREACH,
  TM_STMT_STATS_OPEN,
  TM_STMT_STATS_CLOSE,
  TM_STMT_STATS_COUNTS,
  TM_STMT_STATS_SCORES,
  TM_STMT_STATS_LANGS,
  TM_STMT_STATS_BEADS,
  TM_STMT_LEARNED_PUT,
  TM_STMT_COUNT
};

struct ieum_tm {
  sqlite3 *db;
  char *path;                          /* as given to ieum_tm_open() */
  int writable;                        /* opened with IEUM_TM_WRITE or IEUM_TM_CREATE */
  int immutable;                       /* read-only through an immutable URI (a folder we may not write) */
  int in_tx;                           /* a transaction is open */
  sqlite3_stmt *stmt[TM_STMT_COUNT];   /* cached, NULL until first used */
  int index_version;                   /* schema version as opened (7: + review; 6: + unit_props.side, units.created_by; 5: + units.role; 4: + length index; 3: units_src_fts; 2: units_fts; 1: none) */
  struct ieum_tm_search_state *search; /* owned by search.c; NULL until the first search */
  char *user;                          /* ieum_tm_set_user(): units.created_by of units added, NULL = none */
  struct ieum_tm_pg *pg;               /* a PostgreSQL TM (tm/pg/): db is NULL then */
  int lang_plain;                      /* setting tm.lang_tags is "plain": tags stored as ko, en (else ko-KR, en-US) */
  struct {
    char raw[IEUM_LANG_MAX], canon[IEUM_LANG_MAX];
  } lang_memo[2];                      /* ieum_tm__lang(): the last tag of each side and its stored form */
  char lang_same[2][IEUM_LANG_MAX];    /* ieum_tm__lang_pair(): a plain TM's pair of one language, with regions */
};

/* The setting that records the TM's form of language tags ("region" or "plain"). */
#define IEUM_TM__LANG_TAGS_KEY "tm.lang_tags"

/*
** The form in which `tm` stores language tag `tag` (NULL stays NULL): the
** TM's canonical BCP 47 form, with the likely region ("ko" -> "ko-KR") or
** without any ("ko-KR" -> "ko") as tm->lang_plain says, cased.  A tag ICU
** cannot read, or too long, is returned as given.  `side` (0 source, 1
** target) picks the one-entry memo, so a run of units of one pair costs
** one ICU look-up.  The result lives until the next call for that side.
*/
const char *ieum_tm__lang(ieum_tm *tm, int side, const char *tag);

/*
** Both tags of a pair in the TM's form (*src, *tgt replaced, either may be
** NULL): as ieum_tm__lang(), except that a plain TM keeps the regions of a
** pair within one language (pt-PT -> pt-BR), which plain codes would make
** one tag.  The results live until the next call.
*/
void ieum_tm__lang_pair(ieum_tm *tm, const char **src, const char **tgt);

/*
** Reads setting tm.lang_tags into tm->lang_plain.  A TM without it (an
** older ieum's) is region codes, and a writable SQLite handle rewrites its
** tags in that form and records the setting (settings.c).
*/
int ieum_tm__load_lang_tags(ieum_tm *tm);

/*
** Records the SQLite error of `tm->db` (or of result code `src`) as
** "PATH: WHAT: sqlite message" and returns the ieum code: IEUM_EDB, or
** IEUM_ENOMEM when SQLite ran out of memory.  SQLITE_BUSY/LOCKED become
** "PATH: the TM is locked by another process", SQLITE_NOTADB/CORRUPT
** "PATH: not an ieum translation memory (sqlite message)".
*/
int ieum_tm__db_error(ieum_tm *tm, int src, const char *what);

/*
** The cached statement `which` (TM_STMT_*), prepared on first use, for the
** files of tm/ other than store.c; reset it after use.  Errors: IEUM_EDB.
*/
int ieum_tm__cached(sqlite3_stmt **out, ieum_tm *tm, int which);

/*
** `path` as SQLite must be given it (sqlite3_open_v2(), ATTACH) to take it
** as a file name: SQLite may be built with URI file names on, and then
** "file:x.db?mode=memory" is a URI; "./" in front makes it a plain relative
** path (an absolute path cannot start with "file:").  The caller frees
** *out with ieum__free().  Errors: IEUM_ENOMEM.
*/
int ieum_tm__sqlite_path(char **out, const char *path);

/*
** A URI naming `path` for SQLite, read-only and immutable (no locks, no
** -shm): every byte other than an unreserved one or '/' percent-encoded,
** so nothing in the name is read as a URI part.  The caller frees *out
** with ieum__free().  Errors: IEUM_ENOMEM.
*/
int ieum_tm__immutable_uri(char **out, const char *path);

/*
** Checks that the freshly opened database is an ieum TM of a version this
** code reads, creating the schema in an empty database when tm->writable.
** Errors: IEUM_EDB "PATH: not an ieum translation memory (...)".
*/
int ieum_tm__schema_open(ieum_tm *tm);

/*
** Moves the units recorded in units_unindexed into the search indexes,
** inside the caller's transaction: all of them when `force`, else only
** once enough are waiting (schema.c: INDEX_FLUSH_UNITS).  A no-op on a
** read-only handle.  Errors: IEUM_EDB.
*/
int ieum_tm__index_flush(ieum_tm *tm, int force);

/*
** On closing a writing handle with no transaction open: flushes the waiting
** units in a transaction of its own when the TM is not locked by another
** writer.  Records no error (a unit left waiting is still found).
*/
void ieum_tm__index_flush_on_close(ieum_tm *tm);

/*
** The document name of unit u (of document d) as readers give it: its own
** name, or the TMX file's, or "SRC|TGT" of an aligned pair; through
** ieum_name() (ieum_tm__name_escape()), so that a name stored as raw bytes
** by an older version comes out as valid UTF-8 too.
*/
#define IEUM_TM__DOC_NAME                                                            \
  "ieum_name(COALESCE(u.origin, CASE d.kind WHEN 'tmx' THEN d.src_path"              \
  "   ELSE COALESCE(d.src_path, '') || '|' || COALESCE(d.tgt_path, '') END))"

/* The columns of a unit with its document's name (u: units, d: documents), as ieum_tm_foreach() gives them. */
#define IEUM_TM__UNIT_COLUMNS                                                        \
  "u.id, u.src, u.tgt, u.src_lang, u.tgt_lang, u.score, u.bead, " IEUM_TM__DOC_NAME ","  \
  " u.position, u.created, u.note, u.role"

/*
** Appends `s[0..len)` to `out` as valid UTF-8: each byte that is not part
** of a valid sequence becomes the four characters \xHH (lowercase hex),
** the rest is copied.  *changed (may be NULL) is set when a byte was
** escaped.  Errors: IEUM_ENOMEM.
*/
int ieum_tm__name_escape(ieum_buf *out, int *changed, const char *s, size_t len);

/*
** `*u` := the unit of the current row of a statement selecting
** IEUM_TM__UNIT_COLUMNS (its strings borrowed from the row: valid until the
** next step or reset).  Errors: IEUM_ENOMEM (search.c).
*/
int ieum_tm__row_unit(ieum_unit *u, ieum_tm *tm, sqlite3_stmt *st);

/*
** The SQL selecting the ids of the units ieum_tm_dedupe() removes under
** rule `keep` (an ieum_tm_keep), the same on both backends; NULL for an
** unknown rule (maint.c).
*/
const char *ieum_tm__dedupe_ids(int keep);

/* Whether a document name given to tm delete is a document id: decimal digits only (maint.c). */
int ieum_tm__is_doc_id(const char *s);

/*
** The statement that reads the candidates of a search text too short for
** trigrams (search.c): ?1 the longest source, ?2 how many; tests check that
** SQLite runs it through the length index.
*/
extern const char ieum_tm__sql_short_units[];

/*
** The trigram frequencies fuzzy search has counted (df_cache.c), one cache
** shared by the handles of a process on the same TM file.  _open() finds
** or makes the cache of tm's file (IEUM_ENOMEM); _close() lets it go (the
** last handle frees it; NULL is a no-op).  _check() drops every entry
** when the TM's largest unit id `units` has moved too far since they were
** counted.  _get() is 1 with *df set when `key` (never 0) is cached, else
** 0; _put() keeps a count (or does nothing when the cache is full).  All
** are safe to call from several threads at once.
*/
typedef struct ieum_tm__df_cache ieum_tm__df_cache;
int ieum_tm__df_cache_open(ieum_tm__df_cache **out, ieum_tm *tm);
void ieum_tm__df_cache_close(ieum_tm__df_cache *c);
void ieum_tm__df_cache_check(ieum_tm__df_cache *c, int64_t units);
int ieum_tm__df_cache_get(int32_t *df, ieum_tm__df_cache *c, uint64_t key);
void ieum_tm__df_cache_put(ieum_tm__df_cache *c, uint64_t key, int32_t df);

/* A search term's key: FNV-1a 64 of its bytes, never 0 (search.c; the frequency caches' keys). */
uint64_t ieum_tm__term_key(const char *s, size_t len);

/* A term's weight, idf over `total` units (df 0 taken as 1), halved for one holding a digit (search.c). */
double ieum_tm__term_weight(double total, int64_t df, int digit);

/*
** Scoring as ieum_tm_search() scores, for another backend's candidates
** (tm/pg/search.c): the query checked (IEUM_EINVAL, IEUM_EENCODING: `path`
** names the TM), NFC-normalized and prepared once, then each candidate
** source scored against it (-1: surely below `min`).
*/
typedef struct ieum_tm__scorer ieum_tm__scorer;
int ieum_tm__scorer_new(ieum_tm__scorer **out, const char *path, const char *text, size_t len);
/* The query as scored (NFC, NUL-terminated; borrowed). */
const char *ieum_tm__scorer_query(const ieum_tm__scorer *sc, size_t *len);
/*
** -1 when the query has trigrams to find candidates with; else it is too
** short for them and the result is the longest source (in characters) that
** can reach `min`, *limit how many of the shortest sources to read.
*/
int64_t ieum_tm__scorer_short(const ieum_tm__scorer *sc, int min, int *limit);
int ieum_tm__scorer_score(int *out, ieum_tm__scorer *sc, const char *c, size_t c_len, int min);
void ieum_tm__scorer_free(ieum_tm__scorer *sc);

/*
** Tests: appends to `out` the forms the score compares for UTF-8
** s[0..len), as "cp: ... num: ... punct: ..." (hex code points; num's
** breaks FFFFFFFF); through ICU's conversion and normalization alone when
** `icu_only`, else as a search makes them, *plain set when the path without
** ICU's normalization did (search.c's norm_set_plain()).
*/
int ieum_tm__score_forms(ieum_buf *out, int *plain, const char *s, size_t len, int icu_only);

/*
** Concordance word i of a query (0-based, for messages), checked (not
** empty or blank, valid UTF-8) and NFC-normalized into `nfc`, and appended
** to `like` as a LIKE pattern %word% with \ as the escape: what both
** backends search for.  Errors: IEUM_EINVAL, IEUM_EENCODING, IEUM_ENOMEM.
*/
int ieum_tm__concordance_word(ieum_buf *nfc, ieum_buf *like, ieum_tm *tm, const char *w, size_t i);

/* Whether `key` may name a setting (settings.c): a lowercase word, a dot, a name. */
int ieum_tm__setting_key_ok(const char *key);

/* A document as tm/copy.c lists them (strings owned by the list). */
typedef struct {
  int64_t id;
  char *kind, *src_lang, *tgt_lang, *hash;
} ieum_tm__doc_row;

/*
** *out := every document of tm, by id (free with ieum_tm__doc_rows_free()).
** Errors: IEUM_EDB, IEUM_ENOMEM.
*/
int ieum_tm__document_list(ieum_tm__doc_row **out, size_t *n, ieum_tm *tm);
void ieum_tm__doc_rows_free(ieum_tm__doc_row *rows, size_t n);

/* One lexicon row (texts NUL-terminated, borrowed for the call). */
typedef int (*ieum_tm__lexicon_cb)(const char *src, const char *tgt, const char *origin, double weight,
                                   int64_t count, void *payload);

/*
** Calls cb for every row of tm's lexicon (learned and dictionary word
** pairs) ordered by origin, source, target.  Errors: IEUM_EDB, or cb's.
*/
int ieum_tm__each_lexicon(ieum_tm *tm, ieum_tm__lexicon_cb cb, void *payload);

/*
** Adds one lexicon row unless tm has one with the same source, target and
** origin (then it keeps its own); *added := 1 or 0.  Errors: IEUM_EDB.
*/
int ieum_tm__lexicon_add(int *added, ieum_tm *tm, const char *src, const char *tgt, const char *origin,
                         double weight, int64_t count);

/*
** Calls cb for every unit of document doc_id in place order, with its
** props; unit->document is the unit's own document name (NULL when it has
** none), not the name readers show.  Errors: IEUM_EDB, or cb's.
*/
int ieum_tm__each_document_unit(ieum_tm *tm, int64_t doc_id, ieum_unit_props_cb cb, void *payload);

/* Frees search.c's state of `tm` (its statements first); NULL state is a no-op. */
void ieum_tm__search_dispose(ieum_tm *tm);

#endif
