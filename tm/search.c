/*
** tm/search.c: fuzzy search and concordance over a TM (ieum_tm_search(),
** ieum_tm_similarity(), ieum_tm_concordance() of include/ieum/tm.h).
**
** Fuzzy search answers "what did we say for a sentence like this one?".
** Candidates come from the FTS5 trigram index units_fts (schema.c), never
** from a scan of units: the query, white space folded, is cut into
** consecutive chunks of CHUNK_CHARS characters, each a phrase of adjacent
** trigrams (an exact, case-folded substring), and the index returns the
** CANDIDATES units whose source holds the most and rarest of those chunks
** (FTS5's bm25 rank).  Each candidate then gets a CAT-style match
** percentage (ieum_tm_similarity()): a Levenshtein distance over code
** points of both texts normalized the same way (NFKC_Casefold: NFC plus
** case and width folding; runs of white space become one space;
** punctuation is compared apart), minus fixed penalties when numbers or
** punctuation differ; 100 only for a byte-identical source.  The matches at
** or above the threshold are sorted by score (then newest first) and the
** best are handed to the caller with their unit.
** Concordance finds every unit whose source or target contains all given
** words (case-folded substrings): words of 3 or more characters through the
** index (phrases ANDed), shorter ones with LIKE on the rows the index left,
** or on all units when every word is short (the trigram index cannot see
** 1- and 2-character strings).
** Cost: one FTS5 query (its doclists of the query's trigrams) plus
** CANDIDATES distance computations of O(n*m) on ~100-character texts; the
** exhaustive mode (benchmarks and tests) scores every unit instead.
** Assumes: TM text is NFC UTF-8 (the store guarantees it).
** Not here: the index itself and its triggers (schema.c); writes (store.c).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "tm_int.h"

/*
** Characters per query chunk.  4 characters make a phrase of 2 adjacent
** trigrams: specific enough that a common trigram alone ("the", "했다")
** does not flood the candidates, short enough that a word changed here and
** there leaves most chunks of a 70% match intact.
*/
#define CHUNK_CHARS 4

/*
** At most this many chunks go into one index query (spread evenly over a
** long query): the cost of the query grows with the number of phrases, and
** 32 chunks of 4 characters cover a 128-character sentence completely.
*/
#define MAX_CHUNKS 32

/*
** Units the index proposes and we score exactly.  Scoring one costs about
** 10 microseconds; 64 keep the query well under a millisecond of scoring
** while leaving room for the n best matches among near-duplicates.
*/
#define CANDIDATES 64

/*
** A chunk found in at least this many units is too common to pick
** candidates by (like a stop word): the units ranked by it would flood
** the ranking, which costs time in proportion to the units matched.  Each
** chunk is probed with this LIMIT first; 1000 keeps a probe well under a
** millisecond and the final ranking to a few thousand rows at most.
*/
#define COMMON_CHUNK 1000

/* Points taken off when the numbers of the two texts differ (in value or order). */
#define NUMBER_PENALTY 5

/* Points taken off when the punctuation of the two texts differs. */
#define PUNCT_PENALTY 2

/* Longest text scored, in code points; longer ones are cut (a TM unit is a sentence). */
#define MAX_SCORED_CHARS 4096

/* Marks the boundary between two numbers in norm.num. */
#define NUMBER_BREAK 0xFFFFFFFFu

/* A text prepared for scoring. */
typedef struct {
  uint32_t *cp;    /* letters, digits, symbols and single spaces, folded */
  size_t n;
  uint32_t *num;   /* digits of each number, numbers separated by NUMBER_BREAK */
  size_t nn;
  uint32_t *punct; /* punctuation, in order */
  size_t np;
  size_t cap;      /* room in each of the three arrays */
  uint16_t *u16;   /* scratch: the normalized UTF-16 text */
  int32_t u16_cap;
} norm;

/* Scratch memory of one search: the query's and a candidate's forms, the DP rows. */
typedef struct {
  norm q, c;
  uint32_t *row;
  size_t row_cap;
} scorer;

static void norm_dispose(norm *x)
{
  ieum__free(x->cp);
  ieum__free(x->num);
  ieum__free(x->punct);
  ieum__free(x->u16);
  memset(x, 0, sizeof *x);
}

static void scorer_dispose(scorer *s)
{
  norm_dispose(&s->q);
  norm_dispose(&s->c);
  ieum__free(s->row);
}

static int norm_reserve(norm *x, size_t n)
{
  if (n <= x->cap)
    return IEUM_OK;
  uint32_t *a = ieum__reallocarray(x->cp, n, sizeof *a);
  if (!a)
    return ieum__error_oom();
  x->cp = a;
  if (!(a = ieum__reallocarray(x->num, n, sizeof *a)))
    return ieum__error_oom();
  x->num = a;
  if (!(a = ieum__reallocarray(x->punct, n, sizeof *a)))
    return ieum__error_oom();
  x->punct = a;
  x->cap = n;
  return IEUM_OK;
}

/* Fills `x` from UTF-8 `s[0..len)`: NFKC_Casefold, white space folded, numbers and punctuation apart. */
static int norm_set(norm *x, const char *s, size_t len)
{
  UErrorCode st = U_ZERO_ERROR;
  uint16_t *src16 = NULL;
  int32_t n16 = 0, nn16;
  int rc;
  x->n = x->nn = x->np = 0;
  if ((rc = ieum__icu_to_u16(&src16, &n16, s, len)) != 0)
    return rc;
  if (n16 > MAX_SCORED_CHARS)
    n16 = MAX_SCORED_CHARS;
  if (n16 > 0 && U16_IS_LEAD(src16[n16 - 1]))
    n16--; /* never cut a surrogate pair in two */
  const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);
  if (U_FAILURE(st)) {
    rc = ieum__error_set(IEUM_ERROR, "ICU unorm2_getNFKCCasefoldInstance(): %s", u_errorName(st));
    goto done;
  }
  for (int attempt = 0;; attempt++) {
    st = U_ZERO_ERROR;
    nn16 = unorm2_normalize(nfkc, (const UChar *)src16, n16, (UChar *)x->u16, x->u16_cap, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR || attempt > 0)
      break;
    uint16_t *b = ieum__reallocarray(x->u16, (size_t)nn16 + 1, sizeof *b);
    if (!b) {
      rc = ieum__error_oom();
      goto done;
    }
    x->u16 = b;
    x->u16_cap = nn16 + 1;
  }
  if (U_FAILURE(st)) {
    rc = ieum__error_set(IEUM_ERROR, "ICU unorm2_normalize(): %s", u_errorName(st));
    goto done;
  }
  /* A number's digits plus a break each: at most twice the code points. */
  if ((rc = norm_reserve(x, 2 * (size_t)nn16 + 2)) != 0)
    goto done;
  int space = 0, digit = 0;
  for (int32_t i = 0; i < nn16;) {
    UChar32 c;
    U16_NEXT(x->u16, i, nn16, c);
    if (u_isUWhiteSpace(c)) {
      space = 1;
      digit = 0;
      continue;
    }
    if (U_GET_GC_MASK(c) & U_GC_P_MASK) {
      x->punct[x->np++] = (uint32_t)c;
      digit = 0;
      continue;
    }
    if (space && x->n > 0)
      x->cp[x->n++] = ' ';
    space = 0;
    x->cp[x->n++] = (uint32_t)c;
    if (u_isdigit(c)) {
      if (!digit && x->nn > 0)
        x->num[x->nn++] = NUMBER_BREAK;
      x->num[x->nn++] = (uint32_t)c;
      digit = 1;
    } else {
      digit = 0;
    }
  }
done:
  ieum__free(src16);
  return rc;
}

static int same(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
  return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

/*
** Levenshtein distance of a and b, or `limit + 1` as soon as it is sure to
** exceed `limit` (every cell of a row is above it).
*/
static int distance(size_t *out, scorer *s, const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                    size_t limit)
{
  if (nb + 1 > s->row_cap) {
    uint32_t *r = ieum__reallocarray(s->row, nb + 1, sizeof *r);
    if (!r)
      return ieum__error_oom();
    s->row = r;
    s->row_cap = nb + 1;
  }
  uint32_t *row = s->row;
  for (size_t j = 0; j <= nb; j++)
    row[j] = (uint32_t)j;
  for (size_t i = 1; i <= na; i++) {
    uint32_t diag = row[0], best;
    row[0] = (uint32_t)i;
    best = row[0];
    for (size_t j = 1; j <= nb; j++) {
      uint32_t up = row[j];
      uint32_t v = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < v)
        v = up + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      diag = up;
      row[j] = v;
      if (v < best)
        best = v;
    }
    if (best > limit) {
      *out = limit + 1;
      return IEUM_OK;
    }
  }
  *out = row[nb];
  return IEUM_OK;
}

/*
** Match percentage of the prepared query s->q and candidate s->c (raw texts
** given for the identity test); -1 when it is surely below `min`.
*/
static int score_prepared(int *out, scorer *s, const char *q, size_t q_len, const char *c, size_t c_len, int min)
{
  const norm *a = &s->q, *b = &s->c;
  size_t longest = a->n > b->n ? a->n : b->n, d = 0;
  int rc, score;
  *out = -1;
  if (longest == 0) {
    score = 100;
  } else {
    /* The distance that would bring the base score below `min`, penalties aside. */
    size_t limit = min <= 0 ? longest : (size_t)floor(longest * (100 - min) / 100.0);
    size_t diff = a->n > b->n ? a->n - b->n : b->n - a->n;
    if (diff > limit)
      return IEUM_OK;
    if ((rc = distance(&d, s, a->cp, a->n, b->cp, b->n, limit)) != 0)
      return rc;
    if (d > limit)
      return IEUM_OK;
    score = (int)floor(100.0 * (double)(longest - d) / (double)longest);
  }
  if (!same(a->num, a->nn, b->num, b->nn))
    score -= NUMBER_PENALTY;
  if (!same(a->punct, a->np, b->punct, b->np))
    score -= PUNCT_PENALTY;
  if (!(q_len == c_len && memcmp(q, c, q_len) == 0) && score > 99)
    score = 99; /* differs only in case, width or spacing: not an exact match */
  if (score < 0)
    score = 0;
  *out = score;
  return IEUM_OK;
}

int ieum_tm_similarity(int *out, const char *a, size_t a_len, const char *b, size_t b_len)
{
  scorer s;
  int rc;
  memset(&s, 0, sizeof s);
  *out = 0;
  if ((!a && a_len) || (!b && b_len))
    return ieum__error_set(IEUM_EINVAL, "a text to compare has a length but no bytes");
  if ((rc = norm_set(&s.q, a ? a : "", a_len)) == 0 && (rc = norm_set(&s.c, b ? b : "", b_len)) == 0)
    rc = score_prepared(out, &s, a ? a : "", a_len, b ? b : "", b_len, 0);
  scorer_dispose(&s);
  return rc;
}

static int prepare(sqlite3_stmt **out, ieum_tm *tm, const char *sql);

/* ---- the index query ------------------------------------------------------ */

/* Appends s[0..len) as an FTS5 string: in double quotes, quotes doubled. */
static int put_phrase(ieum_buf *q, const char *s, size_t len)
{
  int rc = ieum__buf_putc(q, '"');
  for (size_t i = 0; rc == 0 && i < len; i++)
    rc = s[i] == '"' ? ieum__buf_put(q, "\"\"", 2) : ieum__buf_putc(q, s[i]);
  return rc ? rc : ieum__buf_putc(q, '"');
}

/*
** The FTS5 query of `text`: `{src} : ("chunk" OR "chunk" ...)`, chunks of
** CHUNK_CHARS characters of the text with white space folded; a short last
** piece joins the chunk before it.  Empty when the text has fewer than 3
** characters (no trigram).
*/
static int index_query(ieum_buf *q, ieum_tm *tm, const char *text, size_t len)
{
  sqlite3_stmt *probe = NULL;
  ieum_buf one = IEUM_BUF_INIT;
  size_t kept = 0;
  ieum_buf folded = IEUM_BUF_INIT;
  size_t *starts = NULL, n = 0;
  int rc = IEUM_OK, space = 0;
  /* Fold runs of white space into one space and trim. */
  for (size_t i = 0; i < len;) {
    size_t at = i;
    int32_t c = ieum__utf8_next(text, len, &i);
    if (u_isUWhiteSpace(c)) {
      space = 1;
      continue;
    }
    if (space && folded.size > 0)
      rc = ieum__buf_putc(&folded, ' ');
    space = 0;
    if (rc == 0)
      rc = ieum__buf_put(&folded, text + at, i - at);
    if (rc)
      goto done;
  }
  size_t chars = folded.size ? ieum__utf8_count(folded.ptr, folded.size) : 0;
  if (chars < 3)
    goto done;
  if (!(starts = ieum__calloc(chars + 1, sizeof *starts))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t i = 0; i < folded.size; n++) {
    starts[n] = i;
    ieum__utf8_next(folded.ptr, folded.size, &i);
  }
  starts[n] = folded.size;
  size_t chunks = n / CHUNK_CHARS;
  if (chunks == 0)
    chunks = 1;
  size_t used = chunks < MAX_CHUNKS ? chunks : MAX_CHUNKS;
  int src;
  if ((rc = prepare(&probe, tm, "SELECT count(*) FROM (SELECT rowid FROM units_fts WHERE units_fts MATCH ?1 LIMIT ?2)")) != 0)
    goto done;
  if ((rc = ieum__buf_puts(q, "{src} : (")) != 0)
    goto done;
  /* Pass 0 keeps the chunks that are not common; pass 1, when all were, joins them in pairs. */
  for (int pass = 0; pass < 2 && kept == 0; pass++) {
    size_t width = pass == 0 ? 1 : 2;
    for (size_t k = 0; k < used; k += width) {
      size_t c = k * chunks / used; /* spread evenly when there are more chunks than room */
      size_t c2 = (k + width - 1 < used ? k + width - 1 : used - 1) * chunks / used;
      size_t from = c * CHUNK_CHARS, to = c2 + 1 == chunks ? n : (c2 + 1) * CHUNK_CHARS;
      ieum__buf_clear(&one);
      if ((rc = ieum__buf_puts(&one, "{src} : ")) != 0 ||
          (rc = put_phrase(&one, folded.ptr + starts[from], starts[to] - starts[from])) != 0)
        goto done;
      if (pass == 0) {
        sqlite3_reset(probe);
        if ((src = sqlite3_bind_text(probe, 1, one.ptr, (int)one.size, SQLITE_STATIC)) != SQLITE_OK ||
            (src = sqlite3_bind_int(probe, 2, COMMON_CHUNK)) != SQLITE_OK ||
            (src = sqlite3_step(probe)) != SQLITE_ROW) {
          rc = ieum_tm__db_error(tm, src, "cannot search");
          goto done;
        }
        int64_t found = sqlite3_column_int64(probe, 0);
        if (found == 0 || found >= COMMON_CHUNK)
          continue; /* in no unit, or in too many to tell them apart */
      }
      if ((kept++ > 0 && (rc = ieum__buf_puts(q, " OR ")) != 0) ||
          (rc = put_phrase(q, folded.ptr + starts[from], starts[to] - starts[from])) != 0)
        goto done;
    }
  }
  rc = ieum__buf_putc(q, ')');
done:
  sqlite3_finalize(probe);
  ieum_buf_dispose(&one);
  if (rc)
    ieum__buf_clear(q);
  ieum__free(starts);
  ieum_buf_dispose(&folded);
  return rc;
}

/* ---- reading units ------------------------------------------------------- */

/* The columns of a unit with its document's name, as ieum_tm_foreach() gives them. */
#define UNIT_COLUMNS                                                                 \
  "u.id, u.src, u.tgt, u.src_lang, u.tgt_lang, u.score, u.bead,"                     \
  " COALESCE(u.origin, CASE d.kind WHEN 'tmx' THEN d.src_path"                       \
  "   ELSE COALESCE(d.src_path, '') || '|' || COALESCE(d.tgt_path, '') END),"        \
  " u.position, u.created, u.note"

static const char *column_text(sqlite3_stmt *st, int i, size_t *len)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  if (len)
    *len = s ? (size_t)sqlite3_column_bytes(st, i) : 0;
  return s;
}

/* The unit of the current row of a statement selecting UNIT_COLUMNS. */
static int row_unit(ieum_unit *u, ieum_tm *tm, sqlite3_stmt *st)
{
  ieum_unit init = IEUM_UNIT_INIT;
  *u = init;
  u->id = sqlite3_column_int64(st, 0);
  u->src = column_text(st, 1, &u->src_len);
  u->tgt = column_text(st, 2, &u->tgt_len);
  u->src_lang = column_text(st, 3, NULL);
  u->tgt_lang = column_text(st, 4, NULL);
  u->score = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 5);
  u->bead = column_text(st, 6, NULL);
  u->document = column_text(st, 7, NULL);
  u->position = sqlite3_column_int64(st, 8);
  u->created = sqlite3_column_int64(st, 9);
  u->note = column_text(st, 10, NULL);
  if (!u->src || !u->tgt)
    return ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a unit");
  return IEUM_OK;
}

/* Prepares `sql`; a TM without the index (an older schema, opened read-only) is named as such. */
static int prepare(sqlite3_stmt **out, ieum_tm *tm, const char *sql)
{
  int src = sqlite3_prepare_v2(tm->db, sql, -1, out, NULL);
  if (src == SQLITE_OK)
    return IEUM_OK;
  if (strstr(sqlite3_errmsg(tm->db), "no such table: units_fts"))
    return ieum__error_set(IEUM_EDB, "%s: the TM has no search index (an older schema); opening it for writing "
                           "once adds it", tm->path);
  return ieum_tm__db_error(tm, src, "cannot prepare a search");
}

/* ---- fuzzy search ------------------------------------------------------------ */

typedef struct {
  int64_t id;
  int64_t created;
  int score;
} hit;

typedef struct {
  hit *v;
  size_t n, cap;
} hits;

static int hits_add(hits *h, int64_t id, int64_t created, int score)
{
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    hit *v = ieum__reallocarray(h->v, cap, sizeof *v);
    if (!v)
      return ieum__error_oom();
    h->v = v;
    h->cap = cap;
  }
  h->v[h->n].id = id;
  h->v[h->n].created = created;
  h->v[h->n].score = score;
  h->n++;
  return IEUM_OK;
}

/* Best first: higher score, then newer, then lower id. */
static int hit_cmp(const void *pa, const void *pb)
{
  const hit *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->created != b->created)
    return a->created > b->created ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

/* Candidates by the index, or every unit (exhaustive); rows: id, src, created. */
static const char sql_candidates[] =
  "SELECT u.id, u.src, u.created FROM units AS u WHERE u.id IN"
  " (SELECT rowid FROM units_fts WHERE units_fts MATCH ?1 ORDER BY rank LIMIT ?2)";
static const char sql_every_unit[] = "SELECT u.id, u.src, u.created FROM units AS u";
static const char sql_unit[] =
  "SELECT " UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id WHERE u.id = ?1";

int ieum_tm_search(ieum_tm *tm, const char *text, size_t len, const ieum_tm_search_options *opts,
                   ieum_tm_match_cb cb, void *payload)
{
  ieum_tm_search_options defaults = IEUM_TM_SEARCH_OPTIONS_INIT;
  ieum_buf query = IEUM_BUF_INIT, fts = IEUM_BUF_INIT;
  sqlite3_stmt *st = NULL;
  scorer s;
  hits h = { NULL, 0, 0 };
  int rc, src, snapshot = 0;
  memset(&s, 0, sizeof s);
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_TM_SEARCH_OPTIONS_VERSION)
    return ieum__error_set(IEUM_EINVAL, "%s: search options of version %u (this library knows %d)", tm->path,
                           opts->version, IEUM_TM_SEARCH_OPTIONS_VERSION);
  if (opts->min_score < 0 || opts->min_score > 100)
    return ieum__error_set(IEUM_EINVAL, "%s: minimum match %d is outside 0-100", tm->path, opts->min_score);
  if (!text && len)
    return ieum__error_set(IEUM_EINVAL, "%s: a search text has a length but no bytes", tm->path);
  if (ieum__utf8_invalid_at(text ? text : "", len) != len)
    return ieum__error_set(IEUM_EENCODING, "%s: the search text is not valid UTF-8 (byte %zu)", tm->path,
                           ieum__utf8_invalid_at(text, len));
  /* TM text is NFC: so must the query be, for the identity test and the index. */
  if ((rc = ieum__icu_nfc(&query, text ? text : "", len)) != 0 || (rc = ieum__buf_puts(&query, "")) != 0)
    goto done;
  if ((rc = norm_set(&s.q, query.ptr, query.size)) != 0)
    goto done;
  if (opts->exhaustive) {
    rc = prepare(&st, tm, sql_every_unit);
  } else {
    if ((rc = index_query(&fts, tm, query.ptr, query.size)) != 0)
      goto done;
    if (fts.size == 0)
      goto done; /* fewer than 3 characters: nothing the index can find */
    if ((rc = prepare(&st, tm, sql_candidates)) != 0)
      goto done;
    src = sqlite3_bind_text(st, 1, fts.ptr, (int)fts.size, SQLITE_STATIC);
    if (src == SQLITE_OK)
      src = sqlite3_bind_int(st, 2, CANDIDATES);
    if (src != SQLITE_OK) {
      rc = ieum_tm__db_error(tm, src, "cannot search");
      goto done;
    }
  }
  if (rc)
    goto done;
  /* One read snapshot for the candidates and the units read after them. */
  if ((src = sqlite3_exec(tm->db, "SAVEPOINT ieum_search", NULL, NULL, NULL)) != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot read the TM");
    goto done;
  }
  snapshot = 1;
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    size_t c_len;
    const char *c = column_text(st, 1, &c_len);
    int score;
    if (!c) {
      rc = ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a unit");
      goto done;
    }
    if ((rc = norm_set(&s.c, c, c_len)) != 0 ||
        (rc = score_prepared(&score, &s, query.ptr, query.size, c, c_len, opts->min_score)) != 0)
      goto done;
    if (score >= opts->min_score && (rc = hits_add(&h, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 2),
                                                   score)) != 0)
      goto done;
  }
  if (src != SQLITE_DONE) {
    rc = ieum_tm__db_error(tm, src, "cannot search");
    goto done;
  }
  sqlite3_finalize(st);
  st = NULL;
  if (h.n > 1)
    qsort(h.v, h.n, sizeof *h.v, hit_cmp);
  size_t want = opts->max_results < h.n ? opts->max_results : h.n;
  if (want == 0)
    goto done;
  if ((rc = prepare(&st, tm, sql_unit)) != 0)
    goto done;
  for (size_t i = 0; i < want; i++) {
    ieum_tm_match m;
    sqlite3_reset(st);
    if ((src = sqlite3_bind_int64(st, 1, h.v[i].id)) != SQLITE_OK || (src = sqlite3_step(st)) != SQLITE_ROW) {
      rc = ieum_tm__db_error(tm, src, "cannot read a matching unit");
      goto done;
    }
    m.score = h.v[i].score;
    if ((rc = row_unit(&m.unit, tm, st)) != 0 || (rc = cb(&m, payload)) != 0)
      goto done;
  }
done:
  sqlite3_finalize(st);
  if (snapshot)
    sqlite3_exec(tm->db, "RELEASE ieum_search", NULL, NULL, NULL); /* a read: nothing to lose */
  ieum__free(h.v);
  scorer_dispose(&s);
  ieum_buf_dispose(&query);
  ieum_buf_dispose(&fts);
  return rc;
}

/* ---- concordance ------------------------------------------------------------ */

/* Appends `w` as a LIKE pattern %w% (with \ as the escape character). */
static int like_pattern(ieum_buf *b, const char *w)
{
  int rc = ieum__buf_putc(b, '%');
  for (; rc == 0 && *w; w++) {
    if (*w == '%' || *w == '_' || *w == '\\')
      rc = ieum__buf_putc(b, '\\');
    if (rc == 0)
      rc = ieum__buf_putc(b, *w);
  }
  return rc ? rc : ieum__buf_putc(b, '%');
}

int ieum_tm_concordance(ieum_tm *tm, const char *const *words, size_t n_words, size_t limit, ieum_unit_cb cb,
                        void *payload)
{
  ieum_buf sql = IEUM_BUF_INIT, match = IEUM_BUF_INIT, *likes = NULL;
  sqlite3_stmt *st = NULL;
  size_t n_likes = 0;
  int rc = IEUM_OK, src;
  if (n_words == 0 || !words)
    return ieum__error_set(IEUM_EINVAL, "%s: concordance needs at least one word", tm->path);
  if (!(likes = ieum__calloc(n_words, sizeof *likes))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t i = 0; i < n_words; i++) {
    const char *w = words[i];
    size_t wl = w ? strlen(w) : 0;
    if (wl == 0 || ieum_text_is_blank(w, wl)) {
      rc = ieum__error_set(IEUM_EINVAL, "%s: concordance word %zu is empty", tm->path, i + 1);
      goto done;
    }
    if (ieum__utf8_invalid_at(w, wl) != wl) {
      rc = ieum__error_set(IEUM_EENCODING, "%s: concordance word %zu is not valid UTF-8", tm->path, i + 1);
      goto done;
    }
    ieum_buf nfc = IEUM_BUF_INIT;
    if ((rc = ieum__icu_nfc(&nfc, w, wl)) != 0 || (rc = ieum__buf_puts(&nfc, "")) != 0) {
      ieum_buf_dispose(&nfc);
      goto done;
    }
    if (ieum__utf8_count(nfc.ptr, nfc.size) >= 3) {
      rc = match.size ? ieum__buf_puts(&match, " AND ") : 0;
      if (rc == 0)
        rc = put_phrase(&match, nfc.ptr, nfc.size);
    } else {
      rc = like_pattern(&likes[n_likes++], nfc.ptr);
    }
    ieum_buf_dispose(&nfc);
    if (rc)
      goto done;
  }
  rc = ieum__buf_puts(&sql, "SELECT " UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id");
  if (rc == 0 && match.size)
    rc = ieum__buf_puts(&sql, " WHERE u.id IN (SELECT rowid FROM units_fts WHERE units_fts MATCH ?1)");
  for (size_t i = 0; rc == 0 && i < n_likes; i++)
    rc = ieum__buf_printf(&sql, " %s (u.src LIKE ?%zu ESCAPE '\\' OR u.tgt LIKE ?%zu ESCAPE '\\')",
                          match.size || i ? "AND" : "WHERE", i + 3, i + 3);
  if (rc == 0)
    rc = ieum__buf_puts(&sql, " ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position LIMIT ?2");
  if (rc || (rc = prepare(&st, tm, sql.ptr)) != 0)
    goto done;
  src = match.size ? sqlite3_bind_text(st, 1, match.ptr, (int)match.size, SQLITE_STATIC) : SQLITE_OK;
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
  for (size_t i = 0; src == SQLITE_OK && i < n_likes; i++)
    src = sqlite3_bind_text(st, (int)i + 3, likes[i].ptr, (int)likes[i].size, SQLITE_STATIC);
  if (src != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot search");
    goto done;
  }
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_unit u;
    if ((rc = row_unit(&u, tm, st)) != 0 || (rc = cb(&u, payload)) != 0)
      goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot search");
done:
  sqlite3_finalize(st);
  for (size_t i = 0; likes && i < n_words; i++)
    ieum_buf_dispose(&likes[i]);
  ieum__free(likes);
  ieum_buf_dispose(&sql);
  ieum_buf_dispose(&match);
  return rc;
}
