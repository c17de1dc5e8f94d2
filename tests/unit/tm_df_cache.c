/*
** tests/unit/tm_df_cache.c: the trigram frequencies shared by the handles
** of one TM file (tm/df_cache.c).
**
** Covered: two handles of one file get one cache and see each other's
** counts; another file gets its own; a cache goes with its last handle;
** the entries are dropped when the TM grew by more than an eighth or
** shrank, and kept otherwise; the table grows past its first size and keeps
** every count; several threads putting and getting at once.  That the
** cache leaves search results as they were is bench/tm_search.py --base's
** check (a 100k-unit TM; small TMs have no trigram common enough to keep).
*/
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "tmpdir.h"
#include "tm/tm_int.h"
#include "util.h"

static ieum_tm *open_tm(const char *name, int mode)
{
  ieum_tm *tm = NULL;
  if (ieum_tm_open(&tm, tmp_path(name), mode) != 0)
    return NULL;
  return tm;
}

static void test_tm_df_cache__shared(void)
{
  ieum_tm *w = open_tm("a.db", IEUM_TM_CREATE), *r = open_tm("a.db", IEUM_TM_READ);
  ieum_tm *other = open_tm("b.db", IEUM_TM_CREATE);
  ieum_tm__df_cache *a = NULL, *b = NULL, *c = NULL;
  int32_t df = 0;
  ok(w && r && other, "two handles of one TM and a handle of another");
  if (!w || !r || !other)
    goto done;
  is_int(ieum_tm__df_cache_open(&a, w), IEUM_OK, "the writer's cache");
  is_int(ieum_tm__df_cache_open(&b, r), IEUM_OK, "the reader's cache");
  is_int(ieum_tm__df_cache_open(&c, other), IEUM_OK, "the other TM's cache");
  ok(a && a == b, "both handles of a.db share one cache");
  ok(c && c != a, "b.db has its own");
  ieum_tm__df_cache_check(a, 100);
  ieum_tm__df_cache_put(a, 42, 300);
  ok(ieum_tm__df_cache_get(&df, b, 42) && df == 300, "a count put through one handle is seen by the other (%d)",
     (int)df);
  ok(!ieum_tm__df_cache_get(&df, c, 42), "and not by the other TM's cache");
  ieum_tm__df_cache_check(b, 112);
  ok(ieum_tm__df_cache_get(&df, a, 42), "kept while the TM grew by no more than an eighth (100 -> 112)");
  ieum_tm__df_cache_check(b, 113);
  ok(!ieum_tm__df_cache_get(&df, a, 42), "dropped when it grew by more (-> 113)");
  ieum_tm__df_cache_put(a, 42, 300);
  ieum_tm__df_cache_check(a, 112);
  ok(!ieum_tm__df_cache_get(&df, a, 42), "dropped when it shrank (113 -> 112)");
  /* Growth: far more counts than the first table holds, all kept. */
  for (uint64_t k = 1; k <= 100000; k++)
    ieum_tm__df_cache_put(a, k * 0x9E3779B97F4A7C15ull, (int32_t)(k % 4096));
  int missing = 0;
  for (uint64_t k = 1; k <= 100000; k++)
    missing += !ieum_tm__df_cache_get(&df, b, k * 0x9E3779B97F4A7C15ull) || df != (int32_t)(k % 4096);
  is_int(missing, 0, "100,000 counts kept as the table grew");
  ieum_tm__df_cache_close(a);
  ieum_tm__df_cache_close(b);
  ieum_tm__df_cache_close(c);
  a = b = c = NULL;
  is_int(ieum_tm__df_cache_open(&a, r), IEUM_OK, "a cache again, after the last handle let it go");
  ok(a && !ieum_tm__df_cache_get(&df, a, 1 * 0x9E3779B97F4A7C15ull), "a new one: empty");
  ieum_tm__df_cache_close(a);
  ieum_tm__df_cache_close(NULL);
done:
  ieum_tm_free(w);
  ieum_tm_free(r);
  ieum_tm_free(other);
}

typedef struct {
  ieum_tm__df_cache *c;
  uint64_t base;
  int bad;
} worker;

static void *work(void *p)
{
  worker *w = p;
  int32_t df;
  for (uint64_t k = 1; k <= 20000; k++) {
    uint64_t key = (w->base + k) * 0x9E3779B97F4A7C15ull;
    ieum_tm__df_cache_put(w->c, key, (int32_t)(k % 1000 + 256));
    w->bad += !ieum_tm__df_cache_get(&df, w->c, key) || df != (int32_t)(k % 1000 + 256);
  }
  return NULL;
}

static void test_tm_df_cache__threads(void)
{
  ieum_tm *tm = open_tm("a.db", IEUM_TM_READ);
  ieum_tm__df_cache *c = NULL;
  pthread_t th[4];
  worker w[4];
  int bad = 0;
  if (!tm || ieum_tm__df_cache_open(&c, tm) != 0) {
    ok(0, "a cache for the threads");
    ieum_tm_free(tm);
    return;
  }
  ieum_tm__df_cache_check(c, 1000);
  for (int i = 0; i < 4; i++) {
    w[i].c = c;
    w[i].base = (uint64_t)i * 1000000;
    w[i].bad = 0;
    pthread_create(&th[i], NULL, work, &w[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    bad += w[i].bad;
  }
  is_int(bad, 0, "4 threads putting and getting 20,000 counts each at once: every count read back");
  ieum_tm__df_cache_close(c);
  ieum_tm_free(tm);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-dfcache-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_df_cache__shared();
  test_tm_df_cache__threads();
  remove_tmpdir();
  return done_testing();
}
