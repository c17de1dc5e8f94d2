/*
** tm/pg/search.c: fuzzy search and concordance on a PostgreSQL TM
** (ieum_tm_search() and ieum_tm_concordance() of include/ieum/tm.h).
**
** Candidates come from the query's rarest trigrams, as in the SQLite
** search (tm/search.c): its trigrams inside words (at most PG_MAX_TERMS)
** are each read through the GIN trigram index on units.src with `src LIKE
** '%abc%'` (ILIKE for cased letters), up to PG_DF_CAP ids each, in one
** statement; a trigram that reaches the cap is common and left out, and
** every id read from the rare ones adds that trigram's idf (halved for a
** digit, as tm/search.c weighs numbers) to its weight.
** The handle keeps the counts it has seen (struct ieum_tm_pg_df), so a
** later search reads only the rarest of the trigrams it knows, within
** PG_READ_BUDGET ids, plus those it has never seen.  The PG_CANDIDATES
** heaviest are fetched with every column of the unit by id.  This reads a
** few short posting lists where `src % query` merged the lists of every
** trigram of the query, common ones included (63 lists, 9 ms of a 12 ms
** query for a long Korean sentence at 100k units).  When fewer than
** PG_MIN_RARE rare trigrams turn up (common words only, or words of one
** or two syllables), `src % query` proposes them instead: trigram
** similarity at least pg_trgm.similarity_threshold, set per connection
** from the minimum match (PG_THRESHOLD()), the PG_CANDIDATES most similar
** with every column of the unit, in one round trip.
** Each candidate is then scored by the very scorer of the SQLite search
** (tm/search.c: ieum_tm__scorer_*, the CAT match percentage), and the
** matches are ordered as there: score, then newest, then id.  So a unit
** both backends propose gets the same percentage, and results differ only
** where the two candidate generators do.  A query too short for trigrams
** reads the shortest sources through the char_length(src) index, as
** tm/search.c does.  Concordance ANDs one ILIKE per word on source or
** target (the GIN indexes serve words of 3 or more characters; ILIKE folds
** case beyond ASCII, which the SQLite LIKE does not).
** Cost: two statements (single-trigram GIN scans and a heap visit per id
** read for LIKE's recheck, at most PG_READ_BUDGET plus PG_DF_CAP per
** unseen trigram; then PG_CANDIDATES rows by primary key) and
** PG_CANDIDATES distance computations; the fallback is one statement.
** Not here: the score itself (tm/search.c), rows (store.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "pg_int.h"

/*
** Rows proposed (by summed idf, or by trigram similarity in the fallback),
** each scored exactly.  The SQLite search scores 100 (tm/search.c:
** CANDIDATES); trigram similarity ranks near-duplicates less sharply than
** its idf weights, and this search reads fewer trigrams than it, so twice
** as many keep the same best matches.
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

/* ---- candidates from the rarest trigrams ------------------------------------------ */

/*
** Query trigrams looked at, at most (spread evenly over a long query), as
** tm/search.c's MAX_TERMS.
*/
#define PG_MAX_TERMS 32

/*
** A trigram is read through the GIN index with `src LIKE '%abc%'`, and
** every id it yields costs a heap visit for LIKE's recheck (about 4
** microseconds: the rows of a trigram sit on different pages).  So a
** trigram is read up to PG_DF_CAP ids; one that reaches the cap is common
** and gives no candidates (its ids are a sample, not its units).
*/
#define PG_DF_CAP 200

/*
** Ids read from trigrams whose frequency the handle already knows (from an
** earlier search), rarest first, until the next would pass this budget:
** about 4 ms of heap visits.  A trigram the handle has never seen is read
** whatever the budget (up to PG_DF_CAP): that read is how its frequency
** becomes known.
*/
#define PG_READ_BUDGET 1000

/*
** Fewer rare trigrams than this (a query of common words, or of words too
** short for a trigram inside them) and the candidates come from
** `src % query` as before: a unit found through one trigram alone may not
** be the best.  A trigram with a digit counts half: in a TM of similar
** sentences the rare trigrams of "43명이 숨지고 187명이" may be its numbers
** alone, which the best match (other numbers, the same words) lacks.
*/
#define PG_MIN_RARE 2

/* Trigram frequencies kept per handle: direct-mapped slots keyed by a 64-bit hash (a collision only misjudges rarity). */
#define PG_DF_SLOTS 4096

struct ieum_tm_pg_df {
  uint64_t key[PG_DF_SLOTS]; /* 0: empty */
  int32_t df[PG_DF_SLOTS];   /* ids the last read of the trigram found, at most PG_DF_CAP */
};

void ieum_tm_pg__df_free(struct ieum_tm_pg_df *df)
{
  ieum__free(df);
}

typedef struct {
  size_t start, end; /* bytes of the query */
  int ci;            /* has a cased letter: read with ILIKE */
  int digit;         /* has a digit: half the weight (tm/search.c's term_weight()) */
  uint64_t key;
  int32_t df;        /* known frequency (capped); -1: never read by this handle */
  int read;          /* read in this search */
  int32_t n;         /* ids this search read */
  double w;          /* the weight each of them gets (ieum_tm__term_weight()) */
} pg_term;

static int term_by_key(const void *pa, const void *pb)
{
  const pg_term *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return (a->start > b->start) - (a->start < b->start);
}

static int term_by_start(const void *pa, const void *pb)
{
  const pg_term *a = pa, *b = pb;
  return (a->start > b->start) - (a->start < b->start);
}

/*
** The distinct trigrams of q inside its words (three letters or digits in
** a row: what `LIKE '%abc%'` finds through pg_trgm's index; a trigram
** across a space or punctuation is not one it keeps), at most PG_MAX_TERMS
** spread over the query, into *out (ieum__free it).  Two trigrams with the
** same 64-bit key count as one (a collision loses a trigram, nothing
** more); sorting makes a long query cost O(n log n).
*/
static int query_terms(pg_term **out, size_t *n, const char *q, size_t len)
{
  pg_term *t = NULL;
  size_t nt = 0, cap = 0;
  int32_t off[3] = { 0, 0, 0 };
  int cased[3] = { 0, 0, 0 }, digit[3] = { 0, 0, 0 }, run = 0;
  *out = NULL;
  *n = 0;
  for (int32_t i = 0; (size_t)i < len;) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(q, i, (int32_t)len, c);
    if (c < 0 || !u_isalnum(c)) {
      run = 0;
      continue;
    }
    off[run % 3] = at;
    cased[run % 3] = u_tolower(c) != c || u_toupper(c) != c;
    digit[run % 3] = u_isdigit(c);
    run++;
    if (run < 3)
      continue;
    if (nt == cap) {
      size_t c2 = cap ? 2 * cap : 32;
      pg_term *v = ieum__reallocarray(t, c2, sizeof *v);
      if (!v) {
        ieum__free(t);
        return ieum__error_oom();
      }
      t = v;
      cap = c2;
    }
    size_t start = (size_t)off[(run - 3) % 3], end = (size_t)i;
    t[nt++] = (pg_term){ start, end, cased[0] || cased[1] || cased[2], digit[0] || digit[1] || digit[2],
                         ieum_tm__term_key(q + start, end - start), -1, 0, 0 };
  }
  if (nt > 1) {
    size_t m = 1;
    qsort(t, nt, sizeof *t, term_by_key);
    for (size_t k = 1; k < nt; k++)
      if (t[k].key != t[m - 1].key)
        t[m++] = t[k];
    nt = m;
    qsort(t, nt, sizeof *t, term_by_start);
  }
  if (nt > PG_MAX_TERMS) {
    for (size_t k = 0; k < PG_MAX_TERMS; k++)
      t[k] = t[k * nt / PG_MAX_TERMS];
    nt = PG_MAX_TERMS;
  }
  *out = t;
  *n = nt;
  return IEUM_OK;
}

static int term_by_df(const void *pa, const void *pb)
{
  const pg_term *a = *(const pg_term *const *)pa, *b = *(const pg_term *const *)pb;
  return (a->df > b->df) - (a->df < b->df);
}

/* '{"%abc%","%def%"}': the read terms with ci == `ci`, as a text[] literal (terms hold only letters and digits). */
static int pattern_array(ieum_buf *out, const char *q, const pg_term *t, size_t nt, int ci)
{
  int rc = ieum__buf_puts(out, "{");
  for (size_t k = 0, first = 1; rc == 0 && k < nt; k++) {
    if (!t[k].read || t[k].ci != ci)
      continue;
    rc = ieum__buf_printf(out, "%s\"%%%.*s%%\"", first ? "" : ",", (int)(t[k].end - t[k].start), q + t[k].start);
    first = 0;
  }
  return rc ? rc : ieum__buf_puts(out, "}");
}

typedef struct {
  int64_t id; /* 0: empty (ids start at 1) */
  double w;
} pg_slot;

static int cand_by_weight(const void *pa, const void *pb)
{
  const pg_slot *a = pa, *b = pb;
  if (a->w != b->w)
    return a->w > b->w ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

/*
** Candidates from the query's rarest trigrams: each read through the GIN
** index (LIKE, or ILIKE for a trigram with cased letters, as the FTS5
** trigrams of tm/search.c fold case), every id weighed by the summed idf
** of the rare trigrams it holds, and the PG_CANDIDATES heaviest fetched
** with their unit columns into *out.  *out stays NULL when fewer than
** PG_MIN_RARE rare trigrams turned up (the caller then asks `src % q`).
*/
static int rare_candidates(PGresult **out, ieum_tm *tm, const char *q, size_t qlen)
{
  pg_term *t = NULL, **order = NULL;
  pg_slot *map = NULL;
  PGresult *res = NULL;
  ieum_buf like = IEUM_BUF_INIT, ilike = IEUM_BUF_INIT, ids = IEUM_BUF_INIT;
  size_t nt = 0, budget = PG_READ_BUDGET, mask = 0;
  double total = 0;
  int rc, rare = 0; /* rare trigrams read, twice over: one with a digit counts half */
  char capv[16];
  *out = NULL;
  if ((rc = query_terms(&t, &nt, q, qlen)) != 0 || nt == 0)
    goto done;
  if (!tm->pg->df && !(tm->pg->df = ieum__calloc(1, sizeof *tm->pg->df))) {
    rc = ieum__error_oom();
    goto done;
  }
  struct ieum_tm_pg_df *dc = tm->pg->df;
  if (!(order = ieum__calloc(nt, sizeof *order))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t k = 0; k < nt; k++) {
    size_t slot = t[k].key % PG_DF_SLOTS;
    t[k].df = dc->key[slot] == t[k].key ? dc->df[slot] : -1;
    order[k] = &t[k];
  }
  /* Never-seen trigrams sort first (df -1) and are read; known ones rarest first within the budget. */
  qsort(order, nt, sizeof *order, term_by_df);
  for (size_t k = 0; k < nt; k++) {
    pg_term *x = order[k];
    if (x->df < 0)
      x->read = 1;
    else if (x->df < PG_DF_CAP && (size_t)x->df <= budget) {
      x->read = 1;
      budget -= (size_t)x->df;
    }
  }
  if ((rc = pattern_array(&like, q, t, nt, 0)) != 0 || (rc = pattern_array(&ilike, q, t, nt, 1)) != 0)
    goto done;
  snprintf(capv, sizeof capv, "%d", PG_DF_CAP);
  if ((rc = ieum_tm_pg__run(&res, tm, PG_STMT_SEARCH_PROBE,
                            "SELECT p.pat, x.id FROM unnest($1::text[]) AS p(pat)"
                            " CROSS JOIN LATERAL (SELECT id FROM units WHERE src LIKE p.pat LIMIT $3) AS x"
                            " UNION ALL SELECT p.pat, x.id FROM unnest($2::text[]) AS p(pat)"
                            " CROSS JOIN LATERAL (SELECT id FROM units WHERE src ILIKE p.pat LIMIT $3) AS x"
                            " UNION ALL SELECT NULL, GREATEST(reltuples, 0)::bigint FROM pg_class"
                            " WHERE oid = 'units'::regclass",
                            3, (const char *const[]){ like.ptr, ilike.ptr, capv }, "cannot search")) != 0)
    goto done;
  int rows = PQntuples(res);
  int *term_of = ieum__calloc(rows ? (size_t)rows : 1, sizeof *term_of);
  if (!term_of) {
    rc = ieum__error_oom();
    goto done;
  }
  /* Which term each row is of, and how many ids each read found. */
  for (int i = 0; i < rows; i++) {
    term_of[i] = -1;
    if (PQgetisnull(res, i, 0)) {
      total = strtod(PQgetvalue(res, i, 1), NULL);
      continue;
    }
    const char *pat = PQgetvalue(res, i, 0);
    size_t plen = (size_t)PQgetlength(res, i, 0);
    for (size_t k = 0; k < nt; k++)
      if (t[k].read && plen == t[k].end - t[k].start + 2 && !memcmp(pat + 1, q + t[k].start, plen - 2)) {
        term_of[i] = (int)k;
        t[k].n++;
        break;
      }
  }
  for (size_t k = 0; k < nt; k++)
    if (t[k].read) {
      size_t slot = t[k].key % PG_DF_SLOTS;
      dc->key[slot] = t[k].key;
      dc->df[slot] = t[k].n;
      if (t[k].n > 0 && t[k].n < PG_DF_CAP)
        rare += t[k].digit ? 1 : 2;
    }
  if (rare < 2 * PG_MIN_RARE)
    goto done_rows;
  /* Summed idf per id, in an open-addressing table of twice the rows. */
  for (mask = 1; mask < 2 * (size_t)rows; mask <<= 1)
    ;
  if (!(map = ieum__calloc(mask, sizeof *map))) {
    rc = ieum__error_oom();
    goto done_rows;
  }
  if (total < 4.0 * PG_DF_CAP) /* the statistics are older than the TM: idf stays positive below the cap */
    total = 4.0 * PG_DF_CAP;
  for (size_t k = 0; k < nt; k++)
    t[k].w = ieum_tm__term_weight(total, t[k].n, t[k].digit); /* once a term, not once an id */
  for (int i = 0; i < rows; i++) {
    if (term_of[i] < 0 || t[term_of[i]].n >= PG_DF_CAP)
      continue;
    int64_t id = strtoll(PQgetvalue(res, i, 1), NULL, 10);
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 17) & (mask - 1);
    while (map[h].id && map[h].id != id)
      h = (h + 1) & (mask - 1);
    map[h].id = id;
    map[h].w += t[term_of[i]].w;
  }
  size_t m = 0;
  for (size_t h = 0; h < mask; h++)
    if (map[h].id)
      map[m++] = map[h];
  qsort(map, m, sizeof *map, cand_by_weight);
  if (m > PG_CANDIDATES)
    m = PG_CANDIDATES;
  rc = ieum__buf_puts(&ids, "{");
  for (size_t k = 0; rc == 0 && k < m; k++)
    rc = ieum__buf_printf(&ids, "%s%lld", k ? "," : "", (long long)map[k].id);
  if (rc == 0)
    rc = ieum__buf_puts(&ids, "}");
done_rows:
  ieum__free(term_of);
  PQclear(res);
  res = NULL;
  if (rc || rare < 2 * PG_MIN_RARE)
    goto done;
  rc = ieum_tm_pg__run(out, tm, PG_STMT_SEARCH_IDS,
                       "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
                       " WHERE u.id = ANY($1::bigint[])",
                       1, (const char *const[]){ ids.ptr }, "cannot search");
done:
  PQclear(res);
  ieum__free(map);
  ieum__free(order);
  ieum__free(t);
  ieum_buf_dispose(&like);
  ieum_buf_dispose(&ilike);
  ieum_buf_dispose(&ids);
  return rc;
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
  } else if ((rc = rare_candidates(&res, tm, q, qlen)) == 0 && !res && (rc = set_threshold(tm, opts->min_score)) == 0) {
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
