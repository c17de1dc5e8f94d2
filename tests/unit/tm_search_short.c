/*
** tests/unit/tm_search_short.c: fuzzy search with a text of one or two
** characters (tm/search.c: search_short(); the length index of schema.c).
**
** Such a text has no trigram; its candidates are the units whose source is
** short enough to reach the threshold.  The cases check that the matches
** equal those of the exhaustive mode (every unit scored) over a TM of many
** long sentences and a few short entries, at several thresholds; that
** SQLite reads them through the length index (the cost stays bounded at a
** million units); that units still waiting for the trigram index are not
** counted twice; and that a version-3 TM opened read-only (no length index)
** still answers.  Files live in one mkdtemp() directory, removed at the end.
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

/* Short entries (a glossary) among the sentences. */
static const char *const shorts[] = { "다리", "다리.", "다리미", "강", "강물", "\"다리\"", "도로", "길", "A", "ab" };
#define N_SHORTS (sizeof shorts / sizeof shorts[0])

/* Long units: LONGS sentences that all hold the short words, so only their length keeps them out. */
#define LONGS 3000

/* The matches of one search: "score id" pairs, in order. */
typedef struct {
  char text[2048];
  size_t len;
  int n;
} results;

static int collect(const ieum_tm_match *m, void *payload)
{
  results *r = payload;
  r->n++;
  r->len += (size_t)snprintf(r->text + r->len, sizeof r->text - r->len, "%d:%lld ", m->score, (long long)m->unit.id);
  return r->len < sizeof r->text - 32 ? 0 : 1;
}

static int add(ieum_tm *tm, int64_t doc, const char *src, int64_t pos)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = "t";
  u.tgt_len = 1;
  u.position = pos;
  return ieum_tm_add_unit(tm, doc, &u);
}

/* A TM of LONGS sentences and the short entries; `pending` more short ones left waiting for the index. */
static int make_tm(const char *name, int pending)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  char hash[33], s[256];
  int rc;
  ieum_tm_hash(hash, name, strlen(name), NULL, 0);
  ieum_tm_document d = { "pair", "s.txt", "t.txt", "ko", "en", hash };
  if ((rc = ieum_tm_open(&tm, tmp_path(name), IEUM_TM_CREATE)) != 0 || (rc = ieum_tm_begin(tm)) != 0 ||
      (rc = ieum_tm_add_document(&doc, tm, &d)) != 0)
    goto done;
  for (int i = 0; i < LONGS && rc == 0; i++) {
    snprintf(s, sizeof s, "%d번 다리 옆 강물 위로 길이 %d미터의 도로가 난다.", i, i * 7);
    rc = add(tm, doc, s, i);
  }
  for (size_t i = 0; i < N_SHORTS && rc == 0; i++)
    rc = add(tm, doc, shorts[i], LONGS + (int64_t)i);
  if (rc == 0)
    rc = ieum_tm_commit(tm);
  if (rc == 0 && pending) {
    /* One more small transaction: too few units for a flush, so they wait in units_unindexed. */
    if ((rc = ieum_tm_begin(tm)) == 0 && (rc = add(tm, doc, "다리", LONGS + 100)) == 0 &&
        (rc = add(tm, doc, "다 리", LONGS + 101)) == 0)
      rc = ieum_tm_commit(tm);
  }
done:
  if (tm && pending) {
    /* Keep the waiting units waiting: close without the flush a writing handle does on closing. */
    tm->writable = 0;
  }
  ieum_tm_free(tm);
  return rc;
}

/* Searches `q` by the index and exhaustively; 1 when both give the same matches in the same order. */
static int same_as_exhaustive(ieum_tm *tm, const char *q, int min, int *found)
{
  ieum_tm_search_options o = IEUM_TM_SEARCH_OPTIONS_INIT;
  results a, b;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  o.min_score = min;
  o.max_results = 50;
  if (ieum_tm_search(tm, q, strlen(q), &o, collect, &a) != 0)
    return 0;
  o.exhaustive = 1;
  if (ieum_tm_search(tm, q, strlen(q), &o, collect, &b) != 0)
    return 0;
  *found = a.n;
  if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0)
    diag("%s at %d: index %s / exhaustive %s", q, min, a.text, b.text);
  return a.len == b.len && memcmp(a.text, b.text, a.len) == 0;
}

static void test_tm_search_short__like_exhaustive(void)
{
  static const char *const queries[] = { "다리", "강", "다", "길", "도로", "ab", "AB", "리", "x", "다 리", "다리?" };
  static const int mins[] = { 70, 50, 30 };
  ieum_tm *tm = NULL;
  is_int(make_tm("a.db", 0), IEUM_OK, "a TM of 3000 sentences and 10 short entries");
  is_int(ieum_tm_open(&tm, tmp_path("a.db"), IEUM_TM_READ), IEUM_OK, "opens read-only");
  if (!tm)
    return;
  int total = 0;
  for (size_t m = 0; m < sizeof mins / sizeof mins[0]; m++)
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
      int found = 0;
      ok(same_as_exhaustive(tm, queries[i], mins[m], &found), "'%s' at %d%%: the matches of a full scan (%d)",
         queries[i], mins[m], found);
      total += found;
    }
  ok(total > 20, "and they are not all empty (%d)", total);
  results r;
  memset(&r, 0, sizeof r);
  is_int(ieum_tm_search(tm, "다리", strlen("다리"), NULL, collect, &r), IEUM_OK, "'다리' at the defaults");
  ok(r.n == 3 && !strncmp(r.text, "100:", 4), "finds the entry at 100, '다리.' and '\"다리\"' (%s)", r.text);
  ieum_tm_free(tm);
}

static void test_tm_search_short__bounded(void)
{
  ieum_tm *tm = NULL;
  sqlite3_stmt *st = NULL;
  char plan[1024] = "";
  size_t len = 0;
  is_int(ieum_tm_open(&tm, tmp_path("a.db"), IEUM_TM_READ), IEUM_OK, "opens");
  if (!tm)
    return;
  char sql[512];
  snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", ieum_tm__sql_short_units);
  is_int(sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL), SQLITE_OK, "the plan of the short search");
  while (st && sqlite3_step(st) == SQLITE_ROW)
    len += (size_t)snprintf(plan + len, sizeof plan - len, "%s; ", (const char *)sqlite3_column_text(st, 3));
  sqlite3_finalize(st);
  ok(strstr(plan, "USING INDEX units_src_length") && !strstr(plan, "TEMP B-TREE"),
     "reads the length index in order, no scan, no sort (%s)", plan);
  ieum_tm_free(tm);
}

static void test_tm_search_short__waiting_units(void)
{
  ieum_tm *tm = NULL;
  sqlite3_stmt *st = NULL;
  int found = 0, waiting = -1;
  is_int(make_tm("w.db", 1), IEUM_OK, "a TM with two short units waiting for the index");
  is_int(ieum_tm_open(&tm, tmp_path("w.db"), IEUM_TM_READ), IEUM_OK, "opens read-only");
  if (!tm)
    return;
  if (sqlite3_prepare_v2(tm->db, "SELECT count(*) FROM units_unindexed", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    waiting = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  is_int(waiting, 2, "they are waiting");
  ok(same_as_exhaustive(tm, "다리", 70, &found), "'다리' gives the matches of a full scan");
  is_int(found, 4, "each unit once, the waiting one too");
  ieum_tm_free(tm);
}

static void test_tm_search_short__version_3(void)
{
  ieum_tm *tm = NULL;
  sqlite3 *db = NULL;
  int found = 0;
  is_int(make_tm("v3.db", 0), IEUM_OK, "a TM");
  sqlite3_open(tmp_path("v3.db"), &db);
  is_int(sqlite3_exec(db,
                      "DROP INDEX units_src_length; ALTER TABLE documents DROP COLUMN src_path_raw;"
                      "ALTER TABLE documents DROP COLUMN tgt_path_raw; PRAGMA user_version=3;",
                      NULL, NULL, NULL),
         SQLITE_OK, "made a version-3 TM");
  sqlite3_close(db);
  is_int(ieum_tm_open(&tm, tmp_path("v3.db"), IEUM_TM_READ), IEUM_OK, "opens read-only, as it is");
  if (!tm)
    return;
  ok(same_as_exhaustive(tm, "다리", 70, &found), "a short search reads every unit and finds the same");
  is_int(found, 3, "the three matches");
  ieum_tm_free(tm);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-short-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_search_short__like_exhaustive();
  test_tm_search_short__bounded();
  test_tm_search_short__waiting_units();
  test_tm_search_short__version_3();
  remove_tmpdir();
  return done_testing();
}
