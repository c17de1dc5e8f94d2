/*
** tests/unit/tm_meta.c: document metadata in the TM (tm/meta.c).
**
** Setting, replacing and reading metadata items of a document, inside a
** transaction that commits (kept) or rolls back (gone), and the errors:
** outside a transaction, an empty key, an unknown document, a missing key.
** Works in one mkdtemp() directory under /tmp, removed at the end.
*/
#include <stdlib.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(no error)";
}

static int collect(const char *key, const char *value, void *payload)
{
  ieum_buf *b = payload;
  return ieum__buf_printf(b, "%s=%s;", key, value);
}

static int stop_at_first(const char *key, const char *value, void *payload)
{
  (void)key, (void)value, (void)payload;
  return 42;
}

int main(void)
{
  char dir[] = "/tmp/ieum-tm-meta-XXXXXX", path[64];
  if (!mkdtemp(dir))
    skip_all("cannot create a temporary directory");
  snprintf(path, sizeof path, "%s/meta.db", dir);

  ieum_tm *tm = NULL;
  int64_t doc = 0;
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum_tm_open(&tm, path, IEUM_TM_CREATE), IEUM_OK, "a new TM opens");
  is_int(ieum_tm_set_document_meta(tm, 1, "src.url", "x"), IEUM_EINVAL, "outside a transaction fails");
  ok(strstr(last_message(), "outside a transaction") != NULL, "message says why: %s", last_message());

  is_int(ieum_tm_begin(tm), IEUM_OK, "begin");
  ieum_tm_document d = { .kind = "pair", .src_path = "ko.html", .tgt_path = "en.html",
                         .src_lang = "ko", .tgt_lang = "en", .hash = "00112233445566778899aabbccddeeff" };
  is_int(ieum_tm_add_document(&doc, tm, &d), IEUM_OK, "a document is added");
  is_int(ieum_tm_set_document_meta(tm, doc, "src.headline", "서울시, 자전거 도로 두 배로"), IEUM_OK,
         "a headline is set");
  is_int(ieum_tm_set_document_meta(tm, doc, "tgt.url", "https://old.example/1"), IEUM_OK, "a URL is set");
  is_int(ieum_tm_set_document_meta(tm, doc, "tgt.url", "https://herald.example/1"), IEUM_OK,
         "setting a key again replaces it");
  is_int(ieum_tm_set_document_meta(tm, doc, "", "v"), IEUM_EINVAL, "an empty key fails");
  is_int(ieum_tm_set_document_meta(tm, doc + 100, "src.url", "v"), IEUM_ENOTFOUND, "an unknown document fails");
  char want[128];
  snprintf(want, sizeof want, "%s: no document %lld", path, (long long)(doc + 100));
  is_str(last_message(), want, "unknown document message");
  is_int(ieum_tm_commit(tm), IEUM_OK, "commit");

  is_int(ieum_tm_foreach_document_meta(tm, doc, collect, &b), IEUM_OK, "metadata is read back");
  is_str(b.ptr, "src.headline=서울시, 자전거 도로 두 배로;tgt.url=https://herald.example/1;",
         "items by key, the replaced value last written");
  is_int(ieum_tm_foreach_document_meta(tm, doc, stop_at_first, NULL), 42, "the callback stops the walk");
  ieum__buf_clear(&b);
  is_int(ieum_tm_get_document_meta(&b, tm, doc, "tgt.url"), IEUM_OK, "one item is read");
  is_str(b.ptr, "https://herald.example/1", "its value");
  is_int(ieum_tm_get_document_meta(&b, tm, doc, "src.byline"), IEUM_ENOTFOUND, "a missing key is ENOTFOUND");

  /* A rolled-back transaction leaves nothing. */
  is_int(ieum_tm_begin(tm), IEUM_OK, "begin again");
  is_int(ieum_tm_set_document_meta(tm, doc, "src.byline", "김민지 기자"), IEUM_OK, "a byline is set");
  is_int(ieum_tm_rollback(tm), IEUM_OK, "rollback");
  ieum__buf_clear(&b);
  is_int(ieum_tm_get_document_meta(&b, tm, doc, "src.byline"), IEUM_ENOTFOUND, "the rolled-back item is gone");
  ieum_tm_free(tm);

  /* And it survives closing and reopening read-only. */
  tm = NULL;
  is_int(ieum_tm_open(&tm, path, IEUM_TM_READ), IEUM_OK, "the TM reopens read-only");
  ieum__buf_clear(&b);
  is_int(ieum_tm_foreach_document_meta(tm, doc, collect, &b), IEUM_OK, "metadata is read read-only");
  is_str(b.ptr, "src.headline=서울시, 자전거 도로 두 배로;tgt.url=https://herald.example/1;", "still there");
  ieum_tm_free(tm);
  ieum_buf_dispose(&b);

  char side[80];
  const char *suffixes[] = { "", "-wal", "-shm" };
  for (int i = 0; i < 3; i++) {
    snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
    unlink(side);
  }
  rmdir(dir);
  return done_testing();
}
