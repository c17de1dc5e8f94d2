/*
** tests/unit/tm_search.c: fuzzy search and concordance (tm/search.c) and
** the search index of the schema (tm/schema.c: creation, triggers,
** deferred indexing, the migrations of version-1 and version-2 TMs).
**
** Every case works in files under one mkdtemp() directory, removed at the
** end.  Covered: the match percentage (identity, case, width, spacing,
** numbers, punctuation, edits), ranking and limits, a search from inside
** a callback of another, the index against an
** exhaustive scan, short and invalid queries, bad options, concordance
** with long, short and several words, version-1 and version-2 TMs
** read-only and after their migration, the index staying in step through
** updates and deletes of waiting and of indexed units, units waiting for
** the index (found by a reader, indexed when the writer closes or a commit
** has enough of them), and allocation failures.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "tmpdir.h"
#include "tm/tm_int.h"
#include "util.h"

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(none)";
}

static int has(const char *hay, const char *needle)
{
  return hay && strstr(hay, needle) != NULL;
}

/* Our own sentence pairs; [5] and [6] differ from [0] in one number and one word. */
static const char *const pairs[][2] = {
  { "서울시는 내년부터 버스 요금을 200원 올린다고 밝혔다.", "Seoul said it would raise bus fares by 200 won next year." },
  { "부산 해운대에는 주말마다 관광객이 몰린다.", "Tourists crowd Haeundae in Busan every weekend." },
  { "The committee will meet again on Friday.", "위원회는 금요일에 다시 모인다." },
  { "정부는 새 다리가 월요일에 개통한다고 발표했다.", "The government announced the new bridge opens on Monday." },
  { "이 다리는 길이가 3킬로미터다.", "The bridge is 3 kilometres long." },
  { "서울시는 내년부터 버스 요금을 300원 올린다고 밝혔다.", "Seoul said it would raise bus fares by 300 won next year." },
  { "서울시는 내년부터 지하철 요금을 200원 올린다고 밝혔다.", "Seoul said it would raise subway fares by 200 won next year." },
};
#define N_PAIRS (sizeof pairs / sizeof pairs[0])

/* A TM at `name` holding `pairs` as one document, units created at 1000 + i. */
static ieum_tm *make_tm(const char *name)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  char hash[33];
  unlink(tmp_path(name));
  if (ieum_tm_open(&tm, tmp_path(name), IEUM_TM_CREATE) != 0)
    return NULL;
  ieum_tm_hash(hash, name, strlen(name), NULL, 0);
  ieum_tm_document d = { .kind = "pair", .src_path = "ko.txt", .tgt_path = "en.txt", .src_lang = "ko",
                         .tgt_lang = "en", .hash = hash };
  ieum_tm_begin(tm);
  ieum_tm_add_document(&doc, tm, &d);
  for (size_t i = 0; i < N_PAIRS; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = pairs[i][0];
    u.src_len = strlen(u.src);
    u.tgt = pairs[i][1];
    u.tgt_len = strlen(u.tgt);
    u.score = 0.5 + 0.05 * (double)i;
    u.bead = "1-1";
    u.position = (int64_t)i;
    u.created = 1000 + (int64_t)i;
    ieum_tm_add_unit(tm, doc, &u);
  }
  if (ieum_tm_commit(tm) != 0) {
    ieum_tm_free(tm);
    return NULL;
  }
  return tm;
}

typedef struct {
  int n;
  int score[16];
  char src[16][256];
  char doc[16][64];
  int64_t position[16];
} results;

static int collect_match(const ieum_tm_match *m, void *payload)
{
  results *r = payload;
  if (r->n < 16) {
    r->score[r->n] = m->score;
    snprintf(r->src[r->n], sizeof r->src[0], "%.*s", (int)m->unit.src_len, m->unit.src);
    snprintf(r->doc[r->n], sizeof r->doc[0], "%s", m->unit.document ? m->unit.document : "");
    r->position[r->n] = m->unit.position;
  }
  r->n++;
  return 0;
}

static int collect_unit(const ieum_unit *u, void *payload)
{
  results *r = payload;
  if (r->n < 16) {
    snprintf(r->src[r->n], sizeof r->src[0], "%.*s", (int)u->src_len, u->src);
    r->position[r->n] = u->position;
  }
  r->n++;
  return 0;
}

static int sim(const char *a, const char *b)
{
  int s = -1;
  if (ieum_tm_similarity(&s, a, strlen(a), b, strlen(b)) != 0)
    return -100;
  return s;
}

static void test_tm_search__similarity(void)
{
  is_int(sim("The bridge opens.", "The bridge opens."), 100, "identical: 100");
  is_int(sim("", ""), 100, "two empty texts are identical");
  is_int(sim("The bridge opens.", "the bridge opens."), 99, "case only: 99, not 100");
  is_int(sim("The bridge opens.", "The  bridge\topens. "), 99, "white space only: 99");
  is_int(sim("ＡＢＣ 다리", "abc 다리"), 99, "full-width letters fold: 99");
  is_int(sim("The bridge opens.", "The bridge opens!"), 98, "punctuation differs: 100 - 2");
  /* "bridge opens on monday" (22) vs "bridge opens on sunday" (22): 2 edits -> 90 */
  is_int(sim("Bridge opens on Monday", "Bridge opens on Sunday"), 90, "two letters of 22: 90");
  /* "요금 200원" vs "요금 300원": 1 edit of 7 -> floor(85.7) = 85, numbers differ -> 80 */
  is_int(sim("요금 200원", "요금 300원"), 80, "a number differs: edit plus the number penalty");
  is_int(sim("요금 200원.", "요금 300원!"), 78, "number and punctuation: both penalties");
  ok(sim("The bridge opens.", "완전히 다른 문장이다.") < 20, "unrelated texts score low");
  int s = 0;
  is_int(ieum_tm_similarity(&s, NULL, 3, "a", 1), IEUM_EINVAL, "a length without text is refused");
  is_int(ieum_tm_similarity(&s, "\xff", 1, "a", 1), IEUM_EENCODING, "invalid UTF-8 is refused");
}

static void test_tm_search__search(void)
{
  ieum_tm *tm = make_tm("s.db");
  ieum_tm_search_options o = IEUM_TM_SEARCH_OPTIONS_INIT;
  results r;
  ok(tm != NULL, "a TM of %zu units", N_PAIRS);
  if (!tm)
    return;
  const char *q = pairs[0][0];
  memset(&r, 0, sizeof r);
  is_int(ieum_tm_search(tm, q, strlen(q), NULL, collect_match, &r), IEUM_OK, "search with default options");
  is_int(r.n, 3, "the unit and its two variants match at 70%% or more");
  is_int(r.score[0], 100, "the identical source first, at 100");
  is_str(r.src[0], q, "its source");
  is_str(r.doc[0], "ko.txt|en.txt", "its document");
  /* 30 characters compared: 200 -> 300 is 1 edit (96) minus the number penalty: 91;
     버스 -> 지하철 is 3 edits of 31 characters: 90. */
  ok(r.score[1] == 91 && r.position[1] == 5, "then the number change at 91 (%d, unit %lld)", r.score[1],
     (long long)r.position[1]);
  ok(r.score[2] == 90 && r.position[2] == 6, "then the word change at 90 (%d, unit %lld)", r.score[2],
     (long long)r.position[2]);

  /* An edited query: no exact match, the nearest first. */
  const char *edited = "서울시는 내년부터 버스 요금을 200원 올린다고 했다.";
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, edited, strlen(edited), &o, collect_match, &r);
  /* 밝혔다 -> 했다: 2 edits of 30 characters. */
  ok(r.n >= 1 && r.score[0] == 93, "an edited query finds its unit at 93 (%d)", r.n ? r.score[0] : -1);
  is_int(r.position[0], 0, "the nearest unit first");

  o.max_results = 1;
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, q, strlen(q), &o, collect_match, &r);
  is_int(r.n, 1, "max_results 1 gives one match");
  o.max_results = 10;
  o.min_score = 100;
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, q, strlen(q), &o, collect_match, &r);
  is_int(r.n, 1, "min_score 100 keeps the exact match only");

  /* Case-folded candidates: the English source found from a lower-case query. */
  o.min_score = 70;
  const char *lower = "the committee will meet again on friday.";
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, lower, strlen(lower), &o, collect_match, &r);
  is_int(r.n, 1, "a lower-case query finds the English source");
  is_int(r.n ? r.score[0] : -1, 99, "at 99: only the case differs");

  /* The index finds what an exhaustive scan finds, for every unit as a query. */
  int agree = 1;
  for (size_t i = 0; i < N_PAIRS; i++) {
    results a, b;
    ieum_tm_search_options ex = IEUM_TM_SEARCH_OPTIONS_INIT;
    ex.exhaustive = 1;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    ieum_tm_search(tm, pairs[i][0], strlen(pairs[i][0]), NULL, collect_match, &a);
    ieum_tm_search(tm, pairs[i][0], strlen(pairs[i][0]), &ex, collect_match, &b);
    if (a.n != b.n)
      agree = 0;
    for (int k = 0; agree && k < a.n; k++)
      if (a.score[k] != b.score[k] || strcmp(a.src[k], b.src[k]))
        agree = 0;
  }
  ok(agree, "index and exhaustive scan give the same matches for every unit");

  /* Nothing to find, and bad input. */
  memset(&r, 0, sizeof r);
  is_int(ieum_tm_search(tm, "다리", strlen("다리"), NULL, collect_match, &r), IEUM_OK, "a 2-character query");
  is_int(r.n, 0, "finds nothing (no trigram)");
  memset(&r, 0, sizeof r);
  is_int(ieum_tm_search(tm, "", 0, NULL, collect_match, &r), IEUM_OK, "an empty query");
  is_int(r.n, 0, "finds nothing");
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, "\"quoted\" OR NOT x*", 18, NULL, collect_match, &r);
  is_int(r.n, 0, "FTS5 syntax in a query is text, not an error");
  is_int(ieum_tm_search(tm, "abc\xc3", 4, NULL, collect_match, &r), IEUM_EENCODING, "invalid UTF-8 query");
  ok(has(last_message(), "not valid UTF-8 (byte 3)"), "message: %s", last_message());
  o.min_score = 101;
  is_int(ieum_tm_search(tm, q, strlen(q), &o, collect_match, &r), IEUM_EINVAL, "min_score 101");
  ok(has(last_message(), "outside 0-100"), "message: %s", last_message());
  o.min_score = 70;
  o.version = 99;
  is_int(ieum_tm_search(tm, q, strlen(q), &o, collect_match, &r), IEUM_EINVAL, "unknown options version");
  ieum_tm_free(tm);
}

static int stop_at_first(const ieum_tm_match *m, void *payload)
{
  (void)m;
  (*(int *)payload)++;
  return 42;
}

static void test_tm_search__callback_stops(void)
{
  ieum_tm *tm = make_tm("stop.db");
  int calls = 0;
  is_int(tm ? ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, stop_at_first, &calls) : -100, 42,
         "a callback's non-zero return stops the search and is returned");
  is_int(calls, 1, "after one call");
  ieum_tm_free(tm);
}

/* Collects the ids of the matches, and searches the same TM again from inside each callback. */
typedef struct {
  ieum_tm *tm;
  int64_t ids[16];
  int n, nested, inner_failed, inner_found;
} nest;

static int count_match(const ieum_tm_match *m, void *payload)
{
  (void)m;
  ((nest *)payload)->inner_found++;
  return 0;
}

static int collect_nested(const ieum_tm_match *m, void *payload)
{
  nest *x = payload;
  char src[512];
  size_t len = m->unit.src_len < sizeof src ? m->unit.src_len : sizeof src;
  memcpy(src, m->unit.src, len);
  if (x->nested && ieum_tm_search(x->tm, src, len, NULL, count_match, x) != 0)
    x->inner_failed++;
  /* The match is borrowed for the whole callback: the inner search must leave it as it was. */
  if (x->n < 16)
    x->ids[x->n++] = m->unit.src_len == len && memcmp(m->unit.src, src, len) == 0 ? m->unit.id : -1;
  return 0;
}

static void test_tm_search__nested(void)
{
  ieum_tm *tm = make_tm("nested.db");
  ieum_tm_search_options o = IEUM_TM_SEARCH_OPTIONS_INIT;
  nest plain, nested;
  memset(&plain, 0, sizeof plain);
  memset(&nested, 0, sizeof nested);
  o.min_score = 50;
  plain.tm = nested.tm = tm;
  nested.nested = 1;
  is_int(tm ? ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), &o, collect_nested, &plain) : -100, IEUM_OK,
         "a search");
  is_int(tm ? ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), &o, collect_nested, &nested) : -100, IEUM_OK,
         "the same search, searching again inside each callback");
  ok(plain.n >= 2 && plain.n == nested.n && memcmp(plain.ids, nested.ids, sizeof plain.ids) == 0,
     "the same matches in the same order, each intact after the inner search (%d, %d)", plain.n, nested.n);
  ok(nested.inner_failed == 0 && nested.inner_found >= nested.n, "every inner search found at least its own unit");
  ieum_tm_free(tm);
}

static void test_tm_search__concordance(void)
{
  ieum_tm *tm = make_tm("c.db");
  results r;
  if (!tm) {
    ok(0, "TM");
    return;
  }
  const char *w1[] = { "요금을" };
  memset(&r, 0, sizeof r);
  is_int(ieum_tm_concordance(tm, w1, 1, 0, collect_unit, &r), IEUM_OK, "one long word");
  is_int(r.n, 3, "three units hold it");
  ok(r.position[0] == 0 && r.position[1] == 5 && r.position[2] == 6, "in document order");
  const char *w2[] = { "BRIDGE" };
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, w2, 1, 0, collect_unit, &r);
  is_int(r.n, 2, "case-folded, found in targets");
  const char *w3[] = { "다리", "3킬로" };
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, w3, 2, 0, collect_unit, &r);
  is_int(r.n, 1, "a short and a long word: units with both");
  is_int(r.position[0], 4, "the right one");
  const char *w4[] = { "다리" };
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, w4, 1, 0, collect_unit, &r);
  is_int(r.n, 2, "a 2-character word alone");
  const char *w5[] = { "bus fares" };
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, w5, 1, 1, collect_unit, &r);
  is_int(r.n, 1, "a word with a space, limit 1");
  const char *w6[] = { "50%_" };
  memset(&r, 0, sizeof r);
  is_int(ieum_tm_concordance(tm, w6, 1, 0, collect_unit, &r), IEUM_OK, "LIKE wildcards in a word");
  is_int(r.n, 0, "are literal");
  const char *w7[] = { "nowhere to be seen" };
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, w7, 1, 0, collect_unit, &r);
  is_int(r.n, 0, "a word in no unit");
  const char *w8[] = { "  " };
  is_int(ieum_tm_concordance(tm, w8, 1, 0, collect_unit, &r), IEUM_EINVAL, "a blank word");
  ok(has(last_message(), "word 1 is empty"), "message: %s", last_message());
  is_int(ieum_tm_concordance(tm, w1, 0, 0, collect_unit, &r), IEUM_EINVAL, "no word");
  ieum_tm_free(tm);
}

/* A version-1 TM: the index dropped and the version set back, as an old ieum made it. */
static void make_v1(const char *name)
{
  ieum_tm *tm = make_tm(name);
  ieum_tm_free(tm);
  sqlite3 *db = NULL;
  sqlite3_open(tmp_path(name), &db);
  sqlite3_exec(db,
               "DROP TRIGGER units_index_insert; DROP TRIGGER units_index_delete; DROP TRIGGER units_index_update;"
               "DROP TABLE units_src_fts; DROP TABLE units_tgt_fts; DROP TABLE units_unindexed; PRAGMA user_version=1;",
               NULL, NULL, NULL);
  sqlite3_close(db);
}

static int64_t user_version(const char *name)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  sqlite3_open(tmp_path(name), &db);
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void test_tm_search__migration(void)
{
  ieum_tm *tm = NULL;
  results r;
  make_v1("v1.db");
  is_int(user_version("v1.db"), 1, "a version-1 TM");
  is_int(ieum_tm_open(&tm, tmp_path("v1.db"), IEUM_TM_READ), IEUM_OK, "opens read-only");
  memset(&r, 0, sizeof r);
  is_int(tm ? ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &r) : -100, IEUM_EDB,
         "search needs the index");
  ok(has(last_message(), "has no search index"), "message: %s", last_message());
  ieum_tm_stats st;
  is_int(tm ? ieum_tm_stats_get(&st, tm) : -100, IEUM_OK, "the rest works");
  ieum_tm_free(tm);
  is_int(user_version("v1.db"), 1, "read-only open changed nothing");
  tm = NULL;
  is_int(ieum_tm_open(&tm, tmp_path("v1.db"), IEUM_TM_WRITE), IEUM_OK, "opening for writing migrates");
  is_int(user_version("v1.db"), IEUM_TM__SCHEMA_VERSION, "to the current version");
  memset(&r, 0, sizeof r);
  is_int(tm ? ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &r) : -100, IEUM_OK,
         "search works");
  is_int(r.n, 3, "with the units that were there before");
  ieum_tm_free(tm);
  tm = NULL;
  is_int(ieum_tm_open(&tm, tmp_path("v1.db"), IEUM_TM_WRITE), IEUM_OK, "a migrated TM reopens");
  ieum_tm_free(tm);
}

static void test_tm_search__index_in_step(void)
{
  ieum_tm *tm = make_tm("step.db");
  results r;
  if (!tm) {
    ok(0, "TM");
    return;
  }
  /* Raw SQL changes (what a future writer might do) go through the triggers too. */
  is_int(sqlite3_exec(tm->db, "UPDATE units SET src = 'Completely rewritten sentence about trains.' WHERE position = 4",
                      NULL, NULL, NULL), SQLITE_OK, "update a source");
  is_int(sqlite3_exec(tm->db, "DELETE FROM units WHERE position = 5", NULL, NULL, NULL), SQLITE_OK, "delete a unit");
  const char *q = "Completely rewritten sentence about trains.";
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, q, strlen(q), NULL, collect_match, &r);
  ok(r.n == 1 && r.score[0] == 100, "the updated text is found");
  const char *gone[] = { "3킬로미터" };
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, gone, 1, 0, collect_unit, &r);
  is_int(r.n, 0, "the old text is not");
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &r);
  is_int(r.n, 2, "the deleted unit is gone from the index");
  is_int(sqlite3_exec(tm->db, "INSERT INTO units_src_fts(units_src_fts) VALUES('integrity-check');"
                        "INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('integrity-check')", NULL, NULL, NULL),
         SQLITE_OK, "FTS5 integrity-check passes");
  ieum_tm_free(tm);
}

/* Rows of a one-integer query on the TM's file, through a connection of its own. */
static int64_t file_int(const char *name, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  sqlite3_open(tmp_path(name), &db);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static int indexes_intact(ieum_tm *tm)
{
  return sqlite3_exec(tm->db, "INSERT INTO units_src_fts(units_src_fts) VALUES('integrity-check');"
                              "INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('integrity-check')",
                      NULL, NULL, NULL) == SQLITE_OK;
}

/* Units added by a writer are found by a reader before they reach the index, and after. */
static void test_tm_search__waiting_units(void)
{
  ieum_tm *w = make_tm("wait.db"), *r = NULL;
  results res;
  if (!w || ieum_tm_open(&r, tmp_path("wait.db"), IEUM_TM_READ) != 0) {
    ok(0, "TMs");
    ieum_tm_free(w);
    return;
  }
  is_int(file_int("wait.db", "SELECT count(*) FROM units_unindexed"), (int64_t)N_PAIRS,
         "a small commit leaves its units waiting for the index");
  is_int(file_int("wait.db", "SELECT count(*) FROM units_src_fts WHERE units_src_fts MATCH '\"서울시\"'"), 0,
         "they are not in the index yet");
  memset(&res, 0, sizeof res);
  is_int(ieum_tm_search(r, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &res), IEUM_OK, "search");
  ok(res.n == 3 && res.score[0] == 100, "a reader finds the waiting units (%d matches)", res.n);
  const char *words[] = { "Haeundae", "부산" };
  memset(&res, 0, sizeof res);
  is_int(ieum_tm_concordance(r, words, 2, 0, collect_unit, &res), IEUM_OK, "concordance");
  is_int(res.n, 1, "concordance finds a waiting unit by its target and source");
  ieum_tm_free(w); /* closing the writer moves them into the index */
  is_int(file_int("wait.db", "SELECT count(*) FROM units_unindexed"), 0, "closing the writer indexed them");
  is_int(file_int("wait.db", "SELECT count(*) FROM units_src_fts WHERE units_src_fts MATCH '\"서울시\"'"), 3,
         "the index holds them");
  memset(&res, 0, sizeof res);
  ieum_tm_search(r, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &res);
  ok(res.n == 3 && res.score[0] == 100, "the same reader finds them through the index (%d matches)", res.n);
  memset(&res, 0, sizeof res);
  ieum_tm_concordance(r, words, 2, 0, collect_unit, &res);
  is_int(res.n, 1, "and so does concordance");
  ieum_tm_free(r);
}

/* A commit with enough waiting units indexes them at once; changes to indexed units keep the index in step. */
static void test_tm_search__indexed_in_step(void)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  char hash[33], src[128], tgt[128];
  results r;
  unlink(tmp_path("flush.db"));
  if (ieum_tm_open(&tm, tmp_path("flush.db"), IEUM_TM_CREATE) != 0) {
    ok(0, "TM");
    return;
  }
  ieum_tm_hash(hash, "flush", 5, NULL, 0);
  ieum_tm_document d = { .kind = "pair", .src_path = "f.ko", .tgt_path = "f.en", .src_lang = "ko",
                         .tgt_lang = "en", .hash = hash };
  ieum_tm_begin(tm);
  ieum_tm_add_document(&doc, tm, &d);
  for (int i = 0; i < 1200; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    snprintf(src, sizeof src, "시험 문장 %d번은 색인에 %d번째로 들어간다.", i, i * 7);
    snprintf(tgt, sizeof tgt, "Test sentence %d goes into the index as number %d.", i, i * 7);
    u.src = src;
    u.src_len = strlen(src);
    u.tgt = tgt;
    u.tgt_len = strlen(tgt);
    u.position = i;
    ieum_tm_add_unit(tm, doc, &u);
  }
  is_int(ieum_tm_commit(tm), IEUM_OK, "commit 1200 units");
  is_int(file_int("flush.db", "SELECT count(*) FROM units_unindexed"), 0, "the commit indexed them");
  is_int(sqlite3_exec(tm->db, "UPDATE units SET src = 'Completely rewritten sentence about trains.' WHERE position = 4;"
                              "DELETE FROM units WHERE position = 5",
                      NULL, NULL, NULL),
         SQLITE_OK, "update and delete indexed units");
  ok(indexes_intact(tm), "FTS5 integrity-check passes");
  const char *q = "Completely rewritten sentence about trains.";
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, q, strlen(q), NULL, collect_match, &r);
  ok(r.n == 1 && r.score[0] == 100, "the updated text is found (%d)", r.n);
  const char *q5 = "시험 문장 5번은 색인에 35번째로 들어간다.";
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, q5, strlen(q5), NULL, collect_match, &r);
  ok(r.n > 0 && r.score[0] < 100, "the deleted unit is not (best %d)", r.n ? r.score[0] : -1);
  const char *q7 = "시험 문장 777번은 색인에 5439번째로 들어간다.";
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, q7, strlen(q7), NULL, collect_match, &r);
  ok(r.n > 0 && r.score[0] == 100 && r.position[0] == 777, "among 1200 near-twins the exact one comes first");
  ieum_tm_free(tm);
}

/* The search index of version 2 of the schema, as the previous ieum made it. */
static const char schema_v2_index[] =
  "DROP TRIGGER units_index_insert; DROP TRIGGER units_index_delete; DROP TRIGGER units_index_update;"
  "DROP TABLE units_src_fts; DROP TABLE units_tgt_fts; DROP TABLE units_unindexed;"
  "CREATE VIRTUAL TABLE units_fts USING fts5("
  "  src, tgt, content='units', content_rowid='id', tokenize='trigram case_sensitive 0', detail=full);"
  "CREATE TRIGGER units_fts_insert AFTER INSERT ON units BEGIN"
  "  INSERT INTO units_fts(rowid, src, tgt) VALUES(new.id, new.src, new.tgt);"
  "END;"
  "CREATE TRIGGER units_fts_delete AFTER DELETE ON units BEGIN"
  "  INSERT INTO units_fts(units_fts, rowid, src, tgt) VALUES('delete', old.id, old.src, old.tgt);"
  "END;"
  "CREATE TRIGGER units_fts_update AFTER UPDATE OF src, tgt ON units BEGIN"
  "  INSERT INTO units_fts(units_fts, rowid, src, tgt) VALUES('delete', old.id, old.src, old.tgt);"
  "  INSERT INTO units_fts(rowid, src, tgt) VALUES(new.id, new.src, new.tgt);"
  "END;"
  "INSERT INTO units_fts(units_fts) VALUES('rebuild');"
  "PRAGMA user_version=2;";

/* A version-2 TM is searched as it is when read-only, and migrated to version 3 when opened for writing. */
static void test_tm_search__migration_v2(void)
{
  ieum_tm *tm = make_tm("v2.db");
  results r;
  sqlite3 *db = NULL;
  ieum_tm_free(tm);
  tm = NULL;
  sqlite3_open(tmp_path("v2.db"), &db);
  is_int(sqlite3_exec(db, schema_v2_index, NULL, NULL, NULL), SQLITE_OK, "a version-2 TM");
  sqlite3_close(db);
  is_int(ieum_tm_open(&tm, tmp_path("v2.db"), IEUM_TM_READ), IEUM_OK, "opens read-only");
  memset(&r, 0, sizeof r);
  is_int(tm ? ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &r) : -100, IEUM_OK,
         "search works on its index");
  ok(r.n == 3 && r.score[0] == 100, "with the same matches (%d)", r.n);
  const char *words[] = { "bridge" };
  memset(&r, 0, sizeof r);
  is_int(tm ? ieum_tm_concordance(tm, words, 1, 0, collect_unit, &r) : -100, IEUM_OK, "concordance works");
  is_int(r.n, 2, "and finds both units");
  ieum_tm_free(tm);
  tm = NULL;
  is_int(user_version("v2.db"), 2, "read-only open changed nothing");
  is_int(ieum_tm_open(&tm, tmp_path("v2.db"), IEUM_TM_WRITE), IEUM_OK, "opening for writing migrates");
  is_int(user_version("v2.db"), IEUM_TM__SCHEMA_VERSION, "to the current version");
  is_int(file_int("v2.db", "SELECT count(*) FROM sqlite_master WHERE name LIKE 'units_fts%'"), 0,
         "the old index is gone");
  ok(tm && indexes_intact(tm), "the new indexes pass their integrity check");
  memset(&r, 0, sizeof r);
  ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &r);
  ok(r.n == 3 && r.score[0] == 100, "search finds the same (%d)", r.n);
  memset(&r, 0, sizeof r);
  ieum_tm_concordance(tm, words, 1, 0, collect_unit, &r);
  is_int(r.n, 2, "and concordance");
  ieum_tm_free(tm);
}

static void test_tm_search__oom(void)
{
  ieum_tm *tm = make_tm("oom.db");
  int rc = -1, ooms = 0;
  long n;
  for (n = 0; n < 200 && tm; n++) {
    results r;
    memset(&r, 0, sizeof r);
    ieum__alloc_fail_after(n);
    rc = ieum_tm_search(tm, pairs[0][0], strlen(pairs[0][0]), NULL, collect_match, &r);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK) {
      if (r.n != 3)
        rc = -99;
      break;
    }
    if (rc != IEUM_ENOMEM) {
      diag("unexpected %d at %ld: %s", rc, n, last_message());
      break;
    }
    ooms++;
  }
  is_int(rc, IEUM_OK, "search succeeds once allocations stop failing (after %ld)", n);
  ok(ooms > 0, "allocation failures were reported as IEUM_ENOMEM (%d)", ooms);
  ieum_tm_free(tm);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-search-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_search__similarity();
  test_tm_search__search();
  test_tm_search__callback_stops();
  test_tm_search__nested();
  test_tm_search__concordance();
  test_tm_search__migration();
  test_tm_search__index_in_step();
  test_tm_search__waiting_units();
  test_tm_search__indexed_in_step();
  test_tm_search__migration_v2();
  test_tm_search__oom();
  remove_tmpdir();
  return done_testing();
}
