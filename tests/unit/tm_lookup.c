/*
** tests/unit/tm_lookup.c: finding a TM document by content hash
** (tm/lookup.c, ieum_tm_find_document()).
**
** Every case works in its own TM under one mkdtemp() directory in /tmp,
** removed at the end.  Covered: a hit and a miss (no message recorded),
** the kind is part of the key, a read-only handle sees what another
** handle committed and not what it has not committed yet (WAL), bad
** arguments, and allocation failures.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static char tmpdir[64];
static char db_path[128];

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(none)";
}

/* Adds a "pair" document with the hash of (a, b) in its own transaction; returns its id or -1. */
static int64_t add_pair(ieum_tm *tm, const char *a, const char *b, char hash[33])
{
  int64_t id = -1;
  ieum_tm_hash(hash, a, strlen(a), b, strlen(b));
  ieum_tm_document d = { .kind = "pair", .src_path = "ko.txt", .tgt_path = "en.txt", .src_lang = "ko",
                         .tgt_lang = "en", .hash = hash };
  if (ieum_tm_begin(tm) || ieum_tm_add_document(&id, tm, &d) || ieum_tm_commit(tm))
    return -1;
  return id;
}

static void test_tm_lookup__hit_and_miss(void)
{
  ieum_tm *tm = NULL;
  char h1[33], h2[33];
  int64_t id = 0;
  is_int(ieum_tm_open(&tm, db_path, IEUM_TM_CREATE), IEUM_OK, "create a TM");
  int64_t want = add_pair(tm, "서울에 눈이 왔다.", "It snowed in Seoul.", h1);
  ok(want > 0, "a document was added (id %lld)", (long long)want);
  is_int(ieum_tm_find_document(&id, tm, "pair", h1), IEUM_OK, "its hash is found");
  is_int(id, want, "with its id");

  ieum_tm_hash(h2, "서울에 비가 왔다.", strlen("서울에 비가 왔다."), "It rained in Seoul.", strlen("It rained in Seoul."));
  ieum_error_clear();
  id = 99;
  is_int(ieum_tm_find_document(&id, tm, "pair", h2), IEUM_ENOTFOUND, "another hash is not found");
  is_int(id, 0, "*out is 0 when not found");
  ok(ieum_error_last() == NULL, "a miss records no error");
  is_int(ieum_tm_find_document(&id, tm, "tmx", h1), IEUM_ENOTFOUND, "the kind is part of the key");

  is_int(ieum_tm_find_document(&id, tm, NULL, h1), IEUM_EINVAL, "no kind: EINVAL");
  ok(strstr(last_message(), db_path) != NULL, "the message names the TM: %s", last_message());
  is_int(ieum_tm_find_document(&id, tm, "pair", NULL), IEUM_EINVAL, "no hash: EINVAL");
  ieum_tm_free(tm);
}

static void test_tm_lookup__reader_sees_commits(void)
{
  ieum_tm *writer = NULL, *reader = NULL;
  char h[33];
  int64_t id = 0;
  is_int(ieum_tm_open(&writer, db_path, IEUM_TM_WRITE), IEUM_OK, "open the TM for writing");
  is_int(ieum_tm_open(&reader, db_path, IEUM_TM_READ), IEUM_OK, "open it read-only beside");
  ieum_tm_hash(h, "부산항에 배가 들어왔다.", strlen("부산항에 배가 들어왔다."), "A ship came into Busan port.",
               strlen("A ship came into Busan port."));
  ieum_tm_document d = { .kind = "pair", .src_path = "b.ko", .tgt_path = "b.en", .src_lang = "ko",
                         .tgt_lang = "en", .hash = h };
  int64_t added = 0;
  is_int(ieum_tm_begin(writer), IEUM_OK, "the writer begins");
  is_int(ieum_tm_add_document(&added, writer, &d), IEUM_OK, "and adds a document");
  is_int(ieum_tm_find_document(&id, reader, "pair", h), IEUM_ENOTFOUND,
         "the reader does not see it before the commit");
  is_int(ieum_tm_commit(writer), IEUM_OK, "the writer commits");
  is_int(ieum_tm_find_document(&id, reader, "pair", h), IEUM_OK, "now the reader finds it");
  is_int(id, added, "with the id the writer got");
  ieum_tm_free(reader);
  ieum_tm_free(writer);
}

static void test_tm_lookup__oom(void)
{
  ieum_tm *tm = NULL;
  char h[33];
  int64_t id;
  is_int(ieum_tm_open(&tm, db_path, IEUM_TM_READ), IEUM_OK, "open read-only");
  ieum_tm_hash(h, "서울에 눈이 왔다.", strlen("서울에 눈이 왔다."), "It snowed in Seoul.", strlen("It snowed in Seoul."));
  /* SQLite's own allocations do not go through ieum__malloc: a lookup allocates nothing of ours. */
  ieum__alloc_fail_after(0);
  int rc = ieum_tm_find_document(&id, tm, "pair", h);
  ieum__alloc_fail_after(-1);
  is_int(rc, IEUM_OK, "a lookup needs no allocation of ours");
  ieum_tm_free(tm);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-lookup-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  snprintf(db_path, sizeof db_path, "%s/t.db", tmpdir);
  test_tm_lookup__hit_and_miss();
  test_tm_lookup__reader_sees_commits();
  test_tm_lookup__oom();
  char wal[160];
  unlink(db_path);
  snprintf(wal, sizeof wal, "%s-wal", db_path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", db_path);
  unlink(wal);
  rmdir(tmpdir);
  return done_testing();
}
