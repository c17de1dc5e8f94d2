/*
** tm/pg/pg_int.h: the PostgreSQL backend of the TM (libpq), behind the
** same ieum_tm API as the SQLite file (include/ieum/tm.h).
**
** ieum_tm_open() hands a postgresql:// (or postgres://) URI here; the
** handle is an ieum_tm whose `pg` is set (and `db` NULL), and every public
** function in the files of tm/ that the backend supports starts with one line,
** `if (tm->pg) return ieum_tm_pg__<same name>(...)`.  Functions it does not
** support (merge, the review step) answer IEUM_ENOTSUP.
**
**   ieum_tm_pg { conn ── one libpq connection (not shared between threads)
**                prepared[PG_STMT_COUNT] ── which named statements exist on it
**                trgm_limit ── pg_trgm.similarity_threshold as last set
**                df ── trigram frequencies its searches have counted }
**
** Schema: schema.c, the one place that says what the tables are (the same
** tables, columns and version numbers as the SQLite TM, tm/schema.c) and
** how each version migrates.  Search: search.c (pg_trgm GIN candidates,
** the CAT score of tm/search.c on top).  Dedupe and delete: maint.c.
** Everything else: store.c.
** Not here: the SQLite TM (the files of tm/).
*/
#ifndef IEUM_TM_PG_INT_H
#define IEUM_TM_PG_INT_H

#include <libpq-fe.h>

#include "../texts_int.h"
#include "../tm_int.h"

/* The named statements of store.c, prepared on first use per connection. */
enum {
  PG_STMT_DOC_INSERT,
  PG_STMT_DOC_FIND,
  PG_STMT_DOC_PATH,
  PG_STMT_UNIT_INSERT,
  PG_STMT_UNIT_INSERT_NEW,
  PG_STMT_UNIT_AT,
  PG_STMT_PROP_DELETE,
  PG_STMT_PROP_INSERT,
  PG_STMT_META_PUT,
  PG_STMT_META_GET,
  PG_STMT_LEARNED_PUT,
  PG_STMT_LEXICON_ADD,
  PG_STMT_SEARCH_TRGM,
  PG_STMT_SEARCH_SHORT,
  PG_STMT_SEARCH_PROBE,
  PG_STMT_SEARCH_IDS,
  PG_STMT_UNIT_BY_ID,
  PG_STMT_COUNT
};

struct ieum_tm_pg {
  PGconn *conn;
  unsigned char prepared[PG_STMT_COUNT];
  double trgm_limit;      /* similarity threshold set on the connection; < 0 unknown */
  struct ieum_tm_pg_df *df; /* trigram frequencies seen by this handle's searches (search.c); NULL: none yet */
};

/* Whether `path` names a PostgreSQL database (postgresql:// or postgres://). */
int ieum_tm_pg__is_uri(const char *path);

/* ieum_tm_open() of a URI: connects, checks or creates the schema (schema.c).  Errors: IEUM_EDB, IEUM_ENOMEM. */
int ieum_tm_pg__open(ieum_tm **out, const char *uri, int mode);

/* Frees the trigram frequencies of search.c (NULL: no-op). */
void ieum_tm_pg__df_free(struct ieum_tm_pg_df *df);
/* Closes the connection (rolling back an open transaction) and frees tm. */
void ieum_tm_pg__free(ieum_tm *tm);
/* ieum_tm_connection_ok() on PostgreSQL: reads what waits on the socket, then PQstatus(). */
int ieum_tm_pg__connection_ok(ieum_tm *tm);

/*
** Records the failure of `res` (may be NULL: the connection's last error)
** as "URI: WHAT: server message" and returns IEUM_EDB.  Clears res.
*/
int ieum_tm_pg__error(ieum_tm *tm, PGresult *res, const char *what);

/* Runs SQL without parameters (DDL, BEGIN); `what` names it in messages.  Errors: IEUM_EDB. */
int ieum_tm_pg__exec(ieum_tm *tm, const char *sql, const char *what);

/*
** Runs named statement `which` (prepared on first use from `sql`) with
** text parameters (NULL = SQL NULL); *out receives the result (PQclear it)
** when it is rows or a command's OK.  Errors: IEUM_EDB (message recorded).
*/
int ieum_tm_pg__run(PGresult **out, ieum_tm *tm, int which, const char *sql, int n, const char *const *params,
                    const char *what);

/* The schema check, creation and migrations (schema.c), in the handle's first transaction. */
int ieum_tm_pg__schema_open(ieum_tm *tm);

/* The SQL that gives a unit's columns as IEUM_TM__UNIT_COLUMNS does (u: units, d: documents). */
#define IEUM_TM_PG__UNIT_COLUMNS                                                              \
  "u.id, u.src, u.tgt, u.src_lang, u.tgt_lang, u.score, u.bead,"                              \
  " COALESCE(u.origin, CASE d.kind WHEN 'tmx' THEN d.src_path"                                \
  "   ELSE COALESCE(d.src_path, '') || '|' || COALESCE(d.tgt_path, '') END),"                 \
  " u.position, u.created, u.note, u.role"

/* *u := row `row` of a result selecting IEUM_TM_PG__UNIT_COLUMNS from column `col` (strings borrowed from res). */
void ieum_tm_pg__row_unit(ieum_unit *u, const PGresult *res, int row, int col);

/* ---- the public functions, as include/ieum/tm.h describes them ------------ */

int ieum_tm_pg__begin(ieum_tm *tm);
int ieum_tm_pg__commit(ieum_tm *tm);
int ieum_tm_pg__rollback(ieum_tm *tm);
int ieum_tm_pg__add_document(int64_t *out, ieum_tm *tm, const ieum_tm_document *doc);
int ieum_tm_pg__get_document_path(ieum_buf *out, ieum_tm *tm, int64_t doc_id, int tgt);
int ieum_tm_pg__find_document(int64_t *out, ieum_tm *tm, const char *kind, const char *hash);
int ieum_tm_pg__add_unit(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit);
int ieum_tm_pg__foreach(ieum_tm *tm, ieum_unit_cb cb, void *payload);
int ieum_tm_pg__stats_get(ieum_tm_stats *out, ieum_tm *tm);
int ieum_tm_pg__set_document_meta(ieum_tm *tm, int64_t doc_id, const char *key, const char *value);
int ieum_tm_pg__foreach_document_meta(ieum_tm *tm, int64_t doc_id, ieum_tm_meta_cb cb, void *payload);
int ieum_tm_pg__get_document_meta(ieum_buf *out, ieum_tm *tm, int64_t doc_id, const char *key);
int ieum_tm_pg__set_unit_props(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit, const ieum_unit_prop *props,
                               size_t n_props);
int ieum_tm_pg__foreach_with_props(ieum_tm *tm, ieum_unit_props_cb cb, void *payload);
int ieum_tm_pg__search(ieum_tm *tm, const char *text, size_t len, const ieum_tm_search_options *opts,
                       ieum_tm_match_cb cb, void *payload);
int ieum_tm_pg__concordance(ieum_tm *tm, const char *const *words, size_t n_words, size_t limit, ieum_unit_cb cb,
                            void *payload);

/*
** The importer's add on PostgreSQL: the unit (as ieum_tm_pg__add_unit())
** and its props; with `merge`, a unit whose texts and languages are
** already in the TM (at its position, when it has one) is not added (found
** through the hash index on units.src).  *added (may be NULL) gets 1 or 0.
*/
int ieum_tm_pg__import_add(int *added, ieum_tm *tm, int64_t doc_id, int merge, const char *doc_src_lang,
                           const char *doc_tgt_lang, const ieum_unit *unit, const ieum_unit_prop *props,
                           size_t n_props);

/*
** Runs `sql` with text parameters (NULL = SQL NULL) and no rows wanted;
** *changed (may be NULL) gets the rows it changed.  Errors: IEUM_EDB.
*/
int ieum_tm_pg__command(int64_t *changed, ieum_tm *tm, const char *sql, int n, const char *const *params,
                        const char *what);
/*
** Calls `cb` for each unit that `where` (SQL over u: units, d: documents,
** with $1... from params) picks, in document and position order, as
** ieum_tm_foreach() gives them.  A non-zero return of cb stops.
*/
int ieum_tm_pg__list_units(ieum_tm *tm, const char *where, int n, const char *const *params, ieum_unit_cb cb,
                           void *payload);
/*
** tm dedupe and tm delete on PostgreSQL (maint.c), called by tm/maint.c
** once it has checked the rule and the transaction, and with `name` as the
** TM stores names.
*/
int ieum_tm_pg__dedupe(int64_t *out, ieum_tm *tm, int keep);
int ieum_tm_pg__dedupe_preview(ieum_tm *tm, int keep, ieum_unit_cb cb, void *payload);
int ieum_tm_pg__delete_document(int64_t *out, ieum_tm *tm, const char *name);
int ieum_tm_pg__delete_document_preview(ieum_tm *tm, const char *name, ieum_unit_cb cb, void *payload);
/* The languages of document doc_id (copies, NULL when it has none).  Errors: IEUM_ENOTFOUND, IEUM_EDB. */
int ieum_tm_pg__document_langs(char **src_lang, char **tgt_lang, ieum_tm *tm, int64_t doc_id);

int ieum_tm_pg__set_setting(ieum_tm *tm, const char *key, const char *value);
int ieum_tm_pg__foreach_setting(ieum_tm *tm, const char *prefix, ieum_tm_meta_cb cb, void *payload);

/* tm/copy.c's readers (tm_int.h) on PostgreSQL. */
int ieum_tm_pg__document_list(ieum_tm__doc_row **out, size_t *n, ieum_tm *tm);
int ieum_tm_pg__each_document_unit(ieum_tm *tm, int64_t doc_id, ieum_unit_props_cb cb, void *payload);
int ieum_tm_pg__each_lexicon(ieum_tm *tm, ieum_tm__lexicon_cb cb, void *payload);
int ieum_tm_pg__lexicon_add(int *added, ieum_tm *tm, const char *src, const char *tgt, const char *origin,
                            double weight, int64_t count);

/* tm/texts_int.h on PostgreSQL. */
int ieum_tm_pg__each_unit_text(ieum_tm *tm, double min_score, ieum_tm__texts_cb fn, void *payload);
int ieum_tm_pg__foreach_lang_pair(ieum_tm *tm, ieum_tm_lang_pair_cb cb, void *payload);
/* src_lang, tgt_lang: the spellings to match (as asked, with region, without): texts.c's spellings(). */
int ieum_tm_pg__each_pair_text(ieum_tm *tm, char src_lang[3][IEUM_LANG_MAX], char tgt_lang[3][IEUM_LANG_MAX],
                               double min_score, int limit, ieum_tm__texts_cb fn, void *payload);
int ieum_tm_pg__each_learned(ieum_tm *tm, ieum_tm__texts_cb fn, void *payload);
int ieum_tm_pg__learned_begin(ieum_tm *tm, const char *what);
int ieum_tm_pg__learned_put(ieum_tm *tm, const char *src, const char *tgt, double weight, int64_t count);

/* What the backend does not do: IEUM_ENOTSUP with "URI: WHAT is not supported on a PostgreSQL TM". */
int ieum_tm_pg__unsupported(ieum_tm *tm, const char *what);

#endif
