/*
** tm/pg/search.c: fuzzy search and concordance on a PostgreSQL TM
** (ieum_tm_search() and ieum_tm_concordance() of include/ieum/tm.h).
**
** Candidates come from pg_trgm: the GIN trigram index on units.src answers
** `src % query` (trigram similarity at least pg_trgm.similarity_threshold,
** set per connection from the minimum match, PG_THRESHOLD()) and the
** PG_CANDIDATES most similar rows come back with every column of the unit,
** in one round trip.  Each is then scored by the very scorer of the SQLite
** search (tm/search.c: ieum_tm__scorer_*, the CAT match percentage), and
** the matches are ordered as there: score, then newest, then id.  So a
** unit both backends propose gets the same percentage, and results differ
** only where the two candidate generators do.  A query too short for
** trigrams reads the shortest sources through the char_length(src) index,
** as tm/search.c does.  Concordance ANDs one ILIKE per word on source or
** target (the GIN indexes serve words of 3 or more characters; ILIKE folds
** case beyond ASCII, which the SQLite LIKE does not).
** Cost: one query (GIN bitmap scan, similarity of the rows it returns,
** PG_CANDIDATES rows sent) and PG_CANDIDATES distance computations.
** Not here: the score itself (tm/search.c), rows (store.c).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

/*
** Rows the index proposes, best by trigram similarity, each scored
** exactly.  The SQLite search scores 100 (tm/search.c: CANDIDATES); trigram
** similarity ranks near-duplicates less sharply than its idf weights, so
** twice as many keep the same best matches.
*/
#define PG_CANDIDATES 200

/*
** The trigram similarity a unit needs to be proposed, from the minimum
** match percentage.  An edit breaks up to three trigrams, so a 70% match of
** a 50-character sentence may share as little as a quarter of its
** trigrams: half the square of the match fraction (0.245 at 70, 0.5 at
** 100) keeps such units, and PG_THRESHOLD_MIN bounds how many rows a low
** minimum lets through.
*/
#define PG_THRESHOLD(min) (0.5 * ((min) / 100.0) * ((min) / 100.0))
#define PG_THRESHOLD_MIN 0.05

typedef struct {
  int row;        /* in the result of the candidate query; -1: fetched later by id */
  int64_t id, created;
  int score;
} pg_hit;

static int hit_cmp(const void *pa, const void *pb)
{
  const pg_hit *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->created != b->created)
    return a->created > b->created ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

typedef struct {
  pg_hit *v;
  size_t n, cap;
} pg_hits;

static int hits_add(pg_hits *h, int row, int64_t id, int64_t created, int score)
{
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    pg_hit *v = ieum__reallocarray(h->v, cap, sizeof *v);
    if (!v)
      return ieum__error_oom();
    h->v = v;
    h->cap = cap;
  }
  h->v[h->n++] = (pg_hit){ row, id, created, score };
  return IEUM_OK;
}

/* Scores every row of res (unit columns from 0) into h. */
static int score_rows(pg_hits *h, ieum_tm__scorer *sc, const PGresult *res, int min)
{
  for (int i = 0; i < PQntuples(res); i++) {
    int score, rc = ieum_tm__scorer_score(&score, sc, PQgetvalue(res, i, 1), (size_t)PQgetlength(res, i, 1), min);
    if (rc)
      return rc;
    if (score >= min && (rc = hits_add(h, i, strtoll(PQgetvalue(res, i, 0), NULL, 10),
                                       strtoll(PQgetvalue(res, i, 9), NULL, 10), score)) != 0)
      return rc;
  }
  return IEUM_OK;
}

static int set_threshold(ieum_tm *tm, int min)
{
  double t = PG_THRESHOLD(min);
  if (t < PG_THRESHOLD_MIN)
    t = PG_THRESHOLD_MIN;
  if (tm->pg->trgm_limit == t)
    return IEUM_OK;
  char v[32];
  snprintf(v, sizeof v, "%.4f", t);
  const char *p[1] = { v };
  PGresult *res = PQexecParams(tm->pg->conn, "SELECT set_config('pg_trgm.similarity_threshold', $1, false)", 1, NULL,
                               p, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, "cannot set the trigram threshold");
  PQclear(res);
  tm->pg->trgm_limit = t;
  return IEUM_OK;
}

int ieum_tm_pg__search(ieum_tm *tm, const char *text, size_t len, const ieum_tm_search_options *opts,
                       ieum_tm_match_cb cb, void *payload)
{
  ieum_tm_search_options defaults = IEUM_TM_SEARCH_OPTIONS_INIT;
  ieum_tm__scorer *sc = NULL;
  PGresult *res = NULL;
  pg_hits h = { NULL, 0, 0 };
  char a[32], b[32];
  int rc, limit = 0;
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_TM_SEARCH_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "%s: search options of version %u (this library knows %d)", tm->path,
                           opts->version, IEUM_TM_SEARCH_OPTIONS_VERSION);
  if (opts->min_score < 0 || opts->min_score > 100)
    return ieum__error_set(IEUM_EINVAL, "%s: minimum match %d is outside 0-100", tm->path, opts->min_score);
  if ((rc = ieum_tm__scorer_new(&sc, tm->path, text, len)) != 0)
    return rc;
  size_t qlen;
  const char *q = ieum_tm__scorer_query(sc, &qlen);
  int64_t longest = ieum_tm__scorer_short(sc, opts->min_score, &limit);
  if (opts->exhaustive) {
    rc = ieum_tm_pg__run(&res, tm, PG_STMT_SEARCH_SHORT,
                         "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
                         " WHERE char_length(u.src) <= $1 ORDER BY char_length(u.src) LIMIT $2",
                         2, (const char *const[]){ "9223372036854775807", NULL }, "cannot search");
  } else if (longest >= 0) {
    snprintf(a, sizeof a, "%lld", (long long)longest);
    snprintf(b, sizeof b, "%d", limit);
    rc = ieum_tm_pg__run(&res, tm, PG_STMT_SEARCH_SHORT,
                         "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
                         " WHERE char_length(u.src) <= $1 ORDER BY char_length(u.src) LIMIT $2",
                         2, (const char *const[]){ a, b }, "cannot search");
  } else if ((rc = set_threshold(tm, opts->min_score)) == 0) {
    snprintf(b, sizeof b, "%d", PG_CANDIDATES);
    rc = ieum_tm_pg__run(&res, tm, PG_STMT_SEARCH_TRGM,
                         "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
                         " WHERE u.src % $1 ORDER BY similarity(u.src, $1) DESC, u.id LIMIT $2",
                         2, (const char *const[]){ q, b }, "cannot search");
  }
  if (rc || (rc = score_rows(&h, sc, res, opts->min_score)) != 0)
    goto done;
  if (h.n > 1)
    qsort(h.v, h.n, sizeof *h.v, hit_cmp);
  size_t want = opts->max_results < h.n ? opts->max_results : h.n;
  for (size_t i = 0; i < want; i++) {
    ieum_tm_match m;
    m.score = h.v[i].score;
    ieum_tm_pg__row_unit(&m.unit, res, h.v[i].row, 0);
    if ((rc = cb(&m, payload)) != 0)
      goto done;
  }
done:
  PQclear(res);
  ieum__free(h.v);
  ieum_tm__scorer_free(sc);
  return rc;
}

/* ---- concordance ------------------------------------------------------------------- */

int ieum_tm_pg__concordance(ieum_tm *tm, const char *const *words, size_t n_words, size_t limit, ieum_unit_cb cb,
                            void *payload)
{
  ieum_buf sql = IEUM_BUF_INIT, *likes = NULL;
  const char **params = NULL;
  char lim[24];
  int rc = IEUM_OK;
  if (n_words == 0 || !words)
    return ieum__error_set(IEUM_EINVAL, "%s: concordance needs at least one word", tm->path);
  if (!(likes = ieum__calloc(n_words, sizeof *likes)) || !(params = ieum__calloc(n_words + 1, sizeof *params))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t i = 0; i < n_words; i++) {
    ieum_buf nfc = IEUM_BUF_INIT;
    rc = ieum_tm__concordance_word(&nfc, &likes[i], tm, words[i], i);
    ieum_buf_dispose(&nfc);
    if (rc)
      goto done;
    params[i + 1] = likes[i].ptr;
  }
  snprintf(lim, sizeof lim, "%zu", limit);
  params[0] = limit ? lim : NULL; /* LIMIT NULL: all */
  rc = ieum__buf_puts(&sql, "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id");
  for (size_t i = 0; rc == 0 && i < n_words; i++)
    rc = ieum__buf_printf(&sql, " %s (u.src ILIKE $%zu OR u.tgt ILIKE $%zu)", i ? "AND" : "WHERE", i + 2, i + 2);
  if (rc == 0)
    rc = ieum__buf_puts(&sql, " ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position LIMIT $1::bigint");
  if (rc)
    goto done;
  {
    PGresult *res = PQexecParams(tm->pg->conn, sql.ptr, (int)n_words + 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      rc = ieum_tm_pg__error(tm, res, "cannot run the concordance");
      goto done;
    }
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
      ieum_unit u;
      ieum_tm_pg__row_unit(&u, res, i, 0);
      rc = cb(&u, payload);
    }
    PQclear(res);
  }
done:
  if (likes)
    for (size_t i = 0; i < n_words; i++)
      ieum_buf_dispose(&likes[i]);
  ieum__free(likes);
  ieum__free(params);
  ieum_buf_dispose(&sql);
  return rc;
}
