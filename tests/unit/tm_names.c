/*
** tests/unit/tm_names.c: document names that are not valid UTF-8 (tm/store.c,
** tm/schema.c, tm/maint.c).
**
** A file system name is any bytes; the TM stores it with each stray byte
** written \xHH, keeps the bytes as given (ieum_tm_get_document_path()), and
** an older TM that stored raw bytes gets them escaped by the migration to
** version 4, or as it is read when opened read-only, or when merged.  Each
** case works in its own files under one mkdtemp() directory, removed at the
** end.
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

/* Two source names: stray bytes (0xff, a cut-off 3-byte sequence), and valid Korean. */
static const char bad_name[] = "ko-\xff\xe2\x82.txt";
static const char bad_escaped[] = "ko-\\xff\\xe2\\x82.txt";

/* The document names foreach gives, joined by newlines. */
static int collect_names(const ieum_unit *u, void *payload)
{
  ieum_buf *b = payload;
  ieum__buf_puts(b, u->document ? u->document : "(null)");
  return ieum__buf_putc(b, '\n');
}

static int valid_utf8(const ieum_buf *b)
{
  return ieum__utf8_invalid_at(b->ptr ? b->ptr : "", b->size) == b->size;
}

/* A TM at `name` with one pair document (source `src_name`) of two units, and one TMX document. */
static int make_tm(const char *name, const char *src_name, const char *tmx_name)
{
  ieum_tm *tm = NULL;
  int64_t id = 0;
  char h1[33], h2[33];
  int rc;
  ieum_tm_hash(h1, "a", 1, "b", 1);
  ieum_tm_hash(h2, "c", 1, NULL, 0);
  ieum_tm_document pair = { "pair", src_name, "en.txt", "ko", "en", h1 };
  ieum_tm_document tmx = { "tmx", tmx_name, NULL, "ko", "en", h2 };
  ieum_unit u = IEUM_UNIT_INIT;
  if ((rc = ieum_tm_open(&tm, tmp_path(name), IEUM_TM_CREATE)) != 0 || (rc = ieum_tm_begin(tm)) != 0 ||
      (rc = ieum_tm_add_document(&id, tm, &pair)) != 0)
    goto done;
  u.src = "서울에 비가 왔다.";
  u.src_len = strlen(u.src);
  u.tgt = "It rained in Seoul.";
  u.tgt_len = strlen(u.tgt);
  u.position = 0;
  if ((rc = ieum_tm_add_unit(tm, id, &u)) != 0)
    goto done;
  u.position = 1;
  u.src = "내일은 맑겠다.";
  u.src_len = strlen(u.src);
  if ((rc = ieum_tm_add_unit(tm, id, &u)) != 0 || (rc = ieum_tm_add_document(&id, tm, &tmx)) != 0)
    goto done;
  u.position = -1;
  u.document = "inner-\xc0\xaf.txt"; /* an overlong '/': invalid */
  if ((rc = ieum_tm_add_unit(tm, id, &u)) != 0)
    goto done;
  rc = ieum_tm_commit(tm);
done:
  ieum_tm_free(tm);
  return rc;
}

static void test_tm_names__escape(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  int changed = -1;
  is_int(ieum_tm__name_escape(&b, &changed, "서울.txt", strlen("서울.txt")), IEUM_OK, "a valid name");
  ok(changed == 0 && b.size == strlen("서울.txt") && !memcmp(b.ptr, "서울.txt", b.size), "is copied as it is");
  ieum__buf_clear(&b);
  is_int(ieum_tm__name_escape(&b, &changed, bad_name, strlen(bad_name)), IEUM_OK, "stray bytes");
  ok(changed == 1 && b.size == strlen(bad_escaped) && !memcmp(b.ptr, bad_escaped, b.size),
     "become \\xHH, each byte of a cut-off sequence too");
  ieum__buf_clear(&b);
  is_int(ieum_tm__name_escape(&b, &changed, "\xed\xa0\x80x\xf4\x90\x80\x80", 8), IEUM_OK,
         "a surrogate and a code point above U+10FFFF");
  ok(b.ptr && !strcmp(b.ptr, "\\xed\\xa0\\x80x\\xf4\\x90\\x80\\x80") && valid_utf8(&b), "are escaped too (%s)",
     b.ptr ? b.ptr : "");
  ieum_buf_dispose(&b);
}

static void test_tm_names__stored_escaped(void)
{
  ieum_tm *tm = NULL;
  ieum_buf names = IEUM_BUF_INIT, raw = IEUM_BUF_INIT;
  is_int(make_tm("a.db", bad_name, "tm-\xfe.tmx"), IEUM_OK, "documents with names that are not UTF-8 are added");
  is_int(ieum_tm_open(&tm, tmp_path("a.db"), IEUM_TM_READ), IEUM_OK, "the TM opens");
  if (!tm)
    return;
  is_int(ieum_tm_foreach(tm, collect_names, &names), IEUM_OK, "foreach");
  ok(names.ptr && valid_utf8(&names) &&
     !strcmp(names.ptr, "ko-\\xff\\xe2\\x82.txt|en.txt\nko-\\xff\\xe2\\x82.txt|en.txt\ninner-\\xc0\\xaf.txt\n"),
     "gives every name as valid UTF-8, escaped");
  is_int(ieum_tm_get_document_path(&raw, tm, 1, 0), IEUM_OK, "the source name");
  ok(raw.size == strlen(bad_name) && !memcmp(raw.ptr, bad_name, raw.size), "comes back as the bytes given");
  ieum__buf_clear(&raw);
  is_int(ieum_tm_get_document_path(&raw, tm, 1, 1), IEUM_OK, "the target name");
  ok(raw.ptr && !strcmp(raw.ptr, "en.txt"), "is the valid name stored");
  ieum__buf_clear(&raw);
  is_int(ieum_tm_get_document_path(&raw, tm, 2, 0), IEUM_OK, "a TMX file's name");
  ok(raw.size == 8 && !memcmp(raw.ptr, "tm-\xfe.tmx", 8), "comes back as given too");
  is_int(ieum_tm_get_document_path(&raw, tm, 2, 1), IEUM_ENOTFOUND, "a TMX document has no target name");
  is_int(ieum_tm_get_document_path(&raw, tm, 9, 0), IEUM_ENOTFOUND, "no document 9");
  ieum_tm_free(tm);
  tm = NULL;
  /* Deleting by the raw bytes or by the escaped name finds the document. */
  int64_t n = 0;
  is_int(ieum_tm_open(&tm, tmp_path("a.db"), IEUM_TM_WRITE), IEUM_OK, "reopens for writing");
  if (!tm)
    goto done;
  ieum_tm_begin(tm);
  is_int(ieum_tm_delete_document(&n, tm, bad_name), IEUM_OK, "delete by the bytes given");
  is_int(n, 2, "removes its 2 units");
  is_int(ieum_tm_delete_document(&n, tm, "inner-\\xc0\\xaf.txt"), IEUM_OK, "delete by an escaped name");
  is_int(n, 1, "removes its unit");
  ieum_tm_commit(tm);
done:
  ieum_tm_free(tm);
  ieum_buf_dispose(&names);
  ieum_buf_dispose(&raw);
}

/* Turns the TM `name` back into what version 3 stored for it: raw bytes, no version-4 columns. */
static int make_v3(const char *name)
{
  sqlite3 *db = NULL;
  int src = sqlite3_open(tmp_path(name), &db);
  if (src == SQLITE_OK)
    src = sqlite3_exec(db,
                       "UPDATE documents SET src_path = CAST(src_path_raw AS TEXT) WHERE src_path_raw IS NOT NULL;"
                       "UPDATE units SET origin = CAST(X'696E6E65722DC0AF2E747874' AS TEXT) WHERE origin IS NOT NULL;"
                       "DROP INDEX units_src_length;"
                       "ALTER TABLE documents DROP COLUMN src_path_raw;"
                       "ALTER TABLE documents DROP COLUMN tgt_path_raw;"
                       "PRAGMA user_version=3;",
                       NULL, NULL, NULL);
  sqlite3_close(db);
  return src;
}

static int64_t file_int(const char *name, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_open_v2(tmp_path(name), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void test_tm_names__older_tm(void)
{
  ieum_tm *tm = NULL;
  ieum_buf names = IEUM_BUF_INIT, raw = IEUM_BUF_INIT;
  const char *want = "ko-\\xff\\xe2\\x82.txt|en.txt\nko-\\xff\\xe2\\x82.txt|en.txt\ninner-\\xc0\\xaf.txt\n";
  ieum_tm_merge_stats ms;
  is_int(make_tm("v3.db", bad_name, "tm.tmx"), IEUM_OK, "a TM");
  is_int(make_v3("v3.db"), SQLITE_OK, "made into a version-3 TM holding raw bytes");
  is_int(file_int("v3.db", "SELECT count(*) FROM documents WHERE src_path = CAST(X'6B6F2DFFE2822E747874' AS TEXT)"),
         1, "which it does");
  /* Read-only: as it is, escaped as read. */
  is_int(ieum_tm_open(&tm, tmp_path("v3.db"), IEUM_TM_READ), IEUM_OK, "opens read-only");
  is_int(tm ? ieum_tm_foreach(tm, collect_names, &names) : -100, IEUM_OK, "foreach");
  ok(names.ptr && !strcmp(names.ptr, want), "escapes the raw names as it reads them");
  ieum_tm_free(tm);
  tm = NULL;
  is_int(file_int("v3.db", "PRAGMA user_version"), 3, "read-only open changed nothing");
  /* Merged into a new TM: escaped there, the bytes kept. */
  is_int(ieum_tm_open(&tm, tmp_path("m.db"), IEUM_TM_CREATE), IEUM_OK, "a new TM");
  is_int(tm ? ieum_tm_merge(&ms, tm, tmp_path("v3.db")) : -100, IEUM_OK, "merges the version-3 TM");
  is_int(ms.units, 3, "all its units");
  ieum__buf_clear(&names);
  is_int(tm ? ieum_tm_foreach(tm, collect_names, &names) : -100, IEUM_OK, "foreach");
  ok(names.ptr && !strcmp(names.ptr, want), "the merged names are escaped");
  is_int(tm ? ieum_tm_get_document_path(&raw, tm, 1, 0) : -100, IEUM_OK, "the merged source name");
  ok(raw.size == strlen(bad_name) && !memcmp(raw.ptr, bad_name, raw.size), "is the original bytes");
  ieum_tm_free(tm);
  tm = NULL;
  is_int(file_int("m.db", "SELECT count(*) FROM documents WHERE src_path = 'ko-\\xff\\xe2\\x82.txt'"), 1,
         "stored escaped");
  /* Opened for writing: migrated, escaped, the bytes kept. */
  is_int(ieum_tm_open(&tm, tmp_path("v3.db"), IEUM_TM_WRITE), IEUM_OK, "opening for writing migrates");
  is_int(file_int("v3.db", "PRAGMA user_version"), IEUM_TM__SCHEMA_VERSION, "to the current version");
  is_int(file_int("v3.db", "SELECT count(*) FROM documents WHERE src_path = 'ko-\\xff\\xe2\\x82.txt'"), 1,
         "the raw name is stored escaped");
  is_int(file_int("v3.db", "SELECT count(*) FROM units WHERE origin = 'inner-\\xc0\\xaf.txt'"), 1,
         "a unit's own name too");
  is_int(file_int("v3.db", "SELECT count(*) FROM sqlite_master WHERE name = 'units_src_length'"), 1,
         "the length index is there");
  ieum__buf_clear(&raw);
  is_int(tm ? ieum_tm_get_document_path(&raw, tm, 1, 0) : -100, IEUM_OK, "the source name");
  ok(raw.size == strlen(bad_name) && !memcmp(raw.ptr, bad_name, raw.size), "is still the original bytes");
  ieum_tm_free(tm);
  ieum_buf_dispose(&names);
  ieum_buf_dispose(&raw);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-names-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_names__escape();
  test_tm_names__stored_escaped();
  test_tm_names__older_tm();
  remove_tmpdir();
  return done_testing();
}
