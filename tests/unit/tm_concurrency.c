/*
** tests/unit/tm_concurrency.c: the TM under concurrent processes (WAL,
** busy timeout, transactions; tm/store.c, tm/schema.c, tm/search.c).
**
** Each case forks writer processes on one TM file: a reader searches while
** a writer commits batch after batch (every search succeeds and sees a
** growing TM); two writers write at once (both succeed, nothing is lost);
** a writer killed with SIGKILL in the middle of a transaction, and at
** random moments of a stream of commits, leaves a TM that passes SQLite's
** and FTS5's integrity checks and holds every unit whose commit it
** reported, and nothing of the transaction it was in.
** Cost: about two seconds of writing; files live under one mkdtemp()
** directory, removed at the end.
*/
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "tmpdir.h"
#include "tm/tm_int.h"
#include "util.h"

static void sleep_ms(long ms)
{
  struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&t, NULL);
}

/* Writes one batch: a new document `tag`/`batch` with `n` units; commits when `commit`. */
static int write_batch(ieum_tm *tm, int tag, int batch, int n, int commit)
{
  char name[64], hash[33], src[160], tgt[160];
  int64_t doc = 0;
  int rc;
  snprintf(name, sizeof name, "w%d-b%d.ko", tag, batch);
  ieum_tm_hash(hash, name, strlen(name), NULL, 0);
  ieum_tm_document d = { .kind = "pair", .src_path = name, .tgt_path = "x.en", .src_lang = "ko",
                         .tgt_lang = "en", .hash = hash };
  if ((rc = ieum_tm_begin(tm)) != 0)
    return rc;
  if ((rc = ieum_tm_add_document(&doc, tm, &d)) != 0)
    return rc;
  for (int i = 0; i < n; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    snprintf(src, sizeof src, "작성자 %d의 묶음 %d에서 온 문장 %d번은 검색 시험용이다.", tag, batch, i);
    snprintf(tgt, sizeof tgt, "Sentence %d of batch %d by writer %d is for the search test.", i, batch, tag);
    u.src = src;
    u.src_len = strlen(src);
    u.tgt = tgt;
    u.tgt_len = strlen(tgt);
    u.position = i;
    if ((rc = ieum_tm_add_unit(tm, doc, &u)) != 0)
      return rc;
  }
  return commit ? ieum_tm_commit(tm) : IEUM_OK;
}

static int64_t count_units(ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  int64_t n = -1;
  if (sqlite3_prepare_v2(tm->db, "SELECT count(*) FROM units", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

/* SQLite's integrity_check and FTS5's integrity-check both pass. */
static int intact(ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  int good = 0;
  if (sqlite3_prepare_v2(tm->db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    good = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
  sqlite3_finalize(st);
  return good &&
         sqlite3_exec(tm->db, "INSERT INTO units_src_fts(units_src_fts) VALUES('integrity-check');"
                        "INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('integrity-check')", NULL, NULL, NULL) ==
           SQLITE_OK;
}

static int fresh_tm(const char *name)
{
  ieum_tm *tm = NULL;
  unlink(tmp_path(name));
  int rc = ieum_tm_open(&tm, tmp_path(name), IEUM_TM_CREATE);
  ieum_tm_free(tm);
  return rc;
}

static int count_match(const ieum_tm_match *m, void *payload)
{
  (void)m;
  (*(int *)payload)++;
  return 0;
}

/* Counts the exact (100%) matches. */
static int count_exact(const ieum_tm_match *m, void *payload)
{
  *(int *)payload += m->score == 100;
  return 0;
}

#define BATCHES 25
#define BATCH_UNITS 20

static void test_tm_concurrency__search_while_writing(void)
{
  if (fresh_tm("sw.db") != 0) {
    ok(0, "TM");
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    ieum_tm *tm = NULL;
    int rc = ieum_tm_open(&tm, tmp_path("sw.db"), IEUM_TM_WRITE);
    for (int b = 0; rc == 0 && b < BATCHES; b++) {
      rc = write_batch(tm, 1, b, BATCH_UNITS, 1);
      sleep_ms(5);
    }
    ieum_tm_free(tm);
    _exit(rc == 0 ? 0 : 1);
  }
  ieum_tm *r = NULL;
  int failures = 0, searches = 0, shrank = 0, status = -1, done = 0;
  int64_t last = 0;
  const char *q = "작성자 1의 묶음 3에서 온 문장 7번은 검색 시험용이다.";
  while (!done) {
    done = waitpid(pid, &status, WNOHANG) == pid;
    if (!r && ieum_tm_open(&r, tmp_path("sw.db"), IEUM_TM_READ) != 0) {
      failures++;
      break;
    }
    int hits = 0;
    if (ieum_tm_search(r, q, strlen(q), NULL, count_match, &hits) != IEUM_OK) {
      diag("search failed: %s", ieum_error_last() ? ieum_error_last()->message : "?");
      failures++;
    }
    int64_t n = count_units(r);
    if (n < last)
      shrank = 1;
    last = n;
    searches++;
  }
  ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer committed all its batches");
  is_int(failures, 0, "none of %d searches during the writes failed", searches);
  ok(!shrank, "the reader saw the TM grow, never shrink");
  int hits = 0;
  ieum_tm_search(r, q, strlen(q), NULL, count_match, &hits);
  ok(hits >= 1, "the last search finds the sentence (%d matches)", hits);
  is_int(count_units(r), BATCHES * BATCH_UNITS, "the reader sees every unit at the end");
  ieum_tm_free(r);
}

static void test_tm_concurrency__two_writers(void)
{
  pid_t pids[2];
  if (fresh_tm("two.db") != 0) {
    ok(0, "TM");
    return;
  }
  for (int w = 0; w < 2; w++) {
    pids[w] = fork();
    if (pids[w] == 0) {
      ieum_tm *tm = NULL;
      int rc = ieum_tm_open(&tm, tmp_path("two.db"), IEUM_TM_WRITE);
      for (int b = 0; rc == 0 && b < BATCHES; b++)
        rc = write_batch(tm, w, b, BATCH_UNITS, 1);
      ieum_tm_free(tm);
      _exit(rc == 0 ? 0 : 1);
    }
  }
  for (int w = 0; w < 2; w++) {
    int status = -1;
    waitpid(pids[w], &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d succeeded (waited instead of failing)", w);
  }
  ieum_tm *tm = NULL;
  ieum_tm_open(&tm, tmp_path("two.db"), IEUM_TM_WRITE); /* FTS5's integrity-check is a write */
  is_int(tm ? count_units(tm) : -1, 2 * BATCHES * BATCH_UNITS, "every unit of both is there");
  ok(tm && intact(tm), "the TM and its index pass their integrity checks");
  ieum_tm_free(tm);
}

/* A writer reports each commit on a pipe, then is killed inside the next transaction. */
static void test_tm_concurrency__killed_mid_transaction(void)
{
  int fds[2];
  if (fresh_tm("kill.db") != 0 || pipe(fds) != 0) {
    ok(0, "TM and pipe");
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    ieum_tm *tm = NULL;
    close(fds[0]);
    int rc = ieum_tm_open(&tm, tmp_path("kill.db"), IEUM_TM_WRITE);
    if (rc == 0)
      rc = write_batch(tm, 0, 0, BATCH_UNITS, 1); /* stored, and said so */
    char c = rc == 0 ? 'c' : 'x';
    if (write(fds[1], &c, 1) != 1)
      _exit(2);
    if (rc == 0)
      rc = write_batch(tm, 0, 1, 500, 0); /* open, never committed */
    c = rc == 0 ? 'w' : 'x';
    if (write(fds[1], &c, 1) != 1)
      _exit(2);
    for (;;)
      pause();
  }
  close(fds[1]);
  char got[2] = { 0, 0 };
  ok(read(fds[0], got, 1) == 1 && read(fds[0], got + 1, 1) == 1 && got[0] == 'c' && got[1] == 'w',
     "the writer committed one batch and is inside the next");
  kill(pid, SIGKILL);
  int status = -1;
  waitpid(pid, &status, 0);
  close(fds[0]);
  ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "killed with SIGKILL");
  ieum_tm *tm = NULL;
  is_int(ieum_tm_open(&tm, tmp_path("kill.db"), IEUM_TM_WRITE), IEUM_OK, "the TM opens for writing");
  is_int(tm ? count_units(tm) : -1, BATCH_UNITS, "the committed batch is there, the open one is not");
  ok(tm && intact(tm), "integrity checks pass");
  is_int(tm ? write_batch(tm, 0, 1, 10, 1) : -1, IEUM_OK, "and the next writer writes");
  ieum_tm_free(tm);
}

/* Kills at random moments of a stream of commits: nothing reported as stored is lost. */
static void test_tm_concurrency__killed_at_random(void)
{
  if (fresh_tm("rand.db") != 0) {
    ok(0, "TM");
    return;
  }
  srand(12345);
  int64_t reported = 0;
  int lost = 0, broken = 0, unfound = 0, rounds = 6;
  for (int round = 0; round < rounds; round++) {
    int fds[2];
    if (pipe(fds) != 0)
      break;
    pid_t pid = fork();
    if (pid == 0) {
      ieum_tm *tm = NULL;
      close(fds[0]);
      int rc = ieum_tm_open(&tm, tmp_path("rand.db"), IEUM_TM_WRITE);
      for (int b = 0; rc == 0; b++) {
        if ((rc = write_batch(tm, 10 + round, b, 30, 1)) == 0) {
          char c = 'c';
          if (write(fds[1], &c, 1) != 1)
            _exit(2);
        }
      }
      _exit(1);
    }
    close(fds[1]);
    sleep_ms(20 + rand() % 200);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    char buf[256];
    ssize_t n, commits = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
      reported += 30 * n;
      commits += n;
    }
    close(fds[0]);
    ieum_tm *tm = NULL;
    if (ieum_tm_open(&tm, tmp_path("rand.db"), IEUM_TM_WRITE) != 0) {
      broken++;
      continue;
    }
    int64_t have = count_units(tm);
    if (have < reported || have % 30 != 0)
      lost++;
    if (!intact(tm))
      broken++;
    /* A unit of the last reported commit is found, whether the killed writer indexed it or not. */
    char q[160];
    int hits = 0;
    snprintf(q, sizeof q, "작성자 %d의 묶음 %d에서 온 문장 %d번은 검색 시험용이다.", 10 + round, (int)commits - 1, 7);
    if (commits > 0 && (ieum_tm_search(tm, q, strlen(q), NULL, count_exact, &hits) != 0 || hits != 1))
      unfound++;
    reported = have; /* a commit that finished but was not yet reported counts from now on */
    ieum_tm_free(tm);
  }
  is_int(lost, 0, "every reported commit survived %d kills, and no batch is half there", rounds);
  is_int(broken, 0, "the TM opened and passed its integrity checks after every kill");
  is_int(unfound, 0, "search found the last reported unit after every kill");
  ok(reported > 0, "the writers stored %lld units in all", (long long)reported);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-conc-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_concurrency__search_while_writing();
  test_tm_concurrency__two_writers();
  test_tm_concurrency__killed_mid_transaction();
  test_tm_concurrency__killed_at_random();
  remove_tmpdir();
  return done_testing();
}
