/*
** tests/unit/tm_roles.c: a unit's role in the TM (schema version 5,
** units.role): stored by ieum_tm_add_unit() and read back by foreach,
** foreach with props and merge; a version-4 TM read-only (role NULL, the
** file unchanged), merged (role NULL) and migrated when opened for writing.
** Korean and English text written for these tests.
*/
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ieum.h"
#include "tap.h"
#include "tmpdir.h"
#include "tm/tm_int.h"
#include "util.h"

/* The roles foreach gives, "(null)" for none, each followed by a space. */
static int collect_roles(const ieum_unit *u, void *payload)
{
  ieum__buf_puts(payload, u->role ? u->role : "(null)");
  return ieum__buf_putc(payload, ' ');
}

static int collect_roles_props(const ieum_unit *u, const ieum_unit_prop *p, size_t n, void *payload)
{
  (void)p;
  (void)n;
  return collect_roles(u, payload);
}

/* A TM at `name` (its document of content hash `hash`) with a headline unit, a body unit and one of no known role. */
static int make_tm(const char *name, const char *hash)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  ieum_tm_document d = { "pair", "ko.txt", "en.txt", "ko", "en", hash };
  static const char *const texts[3][3] = {
    { "서울시, 자전거 도로 두 배로", "Seoul to double bike lanes", "headline" },
    { "서울시가 자전거 도로를 늘린다.", "Seoul will add bike lanes.", "body" },
    { "시는 14일 계획을 발표했다.", "The city announced the plan on the 14th.", NULL },
  };
  int rc = ieum_tm_open(&tm, tmp_path(name), IEUM_TM_CREATE);
  if (rc == 0)
    rc = ieum_tm_begin(tm);
  if (rc == 0)
    rc = ieum_tm_add_document(&doc, tm, &d);
  for (int k = 0; k < 3 && rc == 0; k++) {
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = texts[k][0];
    u.src_len = strlen(u.src);
    u.tgt = texts[k][1];
    u.tgt_len = strlen(u.tgt);
    u.position = k;
    u.role = texts[k][2];
    rc = ieum_tm_add_unit(tm, doc, &u);
  }
  if (rc == 0)
    rc = ieum_tm_commit(tm);
  ieum_tm_free(tm);
  return rc;
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

static void test_tm_roles__stored(void)
{
  ieum_tm *tm = NULL;
  ieum_buf got = IEUM_BUF_INIT;
  is_int(make_tm("r.db", "0123456789abcdef0123456789abcdef"), IEUM_OK, "a TM of three units");
  is_int(file_int("r.db", "PRAGMA user_version"), IEUM_TM__SCHEMA_VERSION, "the current schema version");
  is_int(file_int("r.db", "SELECT count(*) FROM units WHERE role = 'headline'"), 1, "the headline's role is stored");
  is_int(ieum_tm_open(&tm, tmp_path("r.db"), IEUM_TM_READ), IEUM_OK, "opened");
  is_int(tm ? ieum_tm_foreach(tm, collect_roles, &got) : -100, IEUM_OK, "foreach");
  is_str(got.ptr ? got.ptr : "", "headline body (null) ", "gives each unit's role, NULL when not known");
  ieum__buf_clear(&got);
  is_int(tm ? ieum_tm_foreach_with_props(tm, collect_roles_props, &got) : -100, IEUM_OK, "foreach with props");
  is_str(got.ptr ? got.ptr : "", "headline body (null) ", "the same roles");
  ieum_tm_free(tm);
  ieum_buf_dispose(&got);
}

/* Makes r.db a version-4 TM: no role column. */
static int downgrade(const char *name)
{
  sqlite3 *db = NULL;
  int src = sqlite3_open(tmp_path(name), &db);
  if (src == SQLITE_OK)
    src = sqlite3_exec(db, "ALTER TABLE units DROP COLUMN role; PRAGMA user_version=4;", NULL, NULL, NULL);
  sqlite3_close(db);
  return src;
}

static void test_tm_roles__older_tm(void)
{
  ieum_tm *tm = NULL;
  ieum_buf got = IEUM_BUF_INIT;
  ieum_tm_merge_stats ms;
  is_int(make_tm("v4.db", "fedcba9876543210fedcba9876543210"), IEUM_OK, "a TM");
  is_int(downgrade("v4.db"), SQLITE_OK, "made a version-4 TM");
  is_int(ieum_tm_open(&tm, tmp_path("v4.db"), IEUM_TM_READ), IEUM_OK, "opens read-only");
  is_int(tm ? ieum_tm_foreach(tm, collect_roles, &got) : -100, IEUM_OK, "foreach reads it");
  is_str(got.ptr ? got.ptr : "", "(null) (null) (null) ", "no roles");
  ieum_tm_free(tm);
  tm = NULL;
  is_int(file_int("v4.db", "PRAGMA user_version"), 4, "read-only open changed nothing");
  is_int(file_int("v4.db", "SELECT count(*) FROM pragma_table_info('units') WHERE name = 'role'"), 0, "no column added");
  is_int(ieum_tm_open(&tm, tmp_path("m.db"), IEUM_TM_CREATE), IEUM_OK, "a new TM");
  is_int(tm ? ieum_tm_merge(&ms, tm, tmp_path("v4.db")) : -100, IEUM_OK, "merges the version-4 TM");
  is_int((int)ms.units, 3, "all its units");
  is_int(tm ? ieum_tm_merge(&ms, tm, tmp_path("r.db")) : -100, IEUM_OK, "merges a version-5 TM");
  ieum_tm_free(tm);
  tm = NULL;
  is_int(file_int("m.db", "SELECT count(*) FROM units WHERE role = 'headline'"), 1, "its roles come along");
  is_int(ieum_tm_open(&tm, tmp_path("v4.db"), IEUM_TM_WRITE), IEUM_OK, "opening for writing migrates");
  ieum_tm_free(tm);
  is_int(file_int("v4.db", "PRAGMA user_version"), IEUM_TM__SCHEMA_VERSION, "to the current version");
  is_int(file_int("v4.db", "SELECT count(*) FROM units WHERE role IS NULL"), 3, "the role column, NULL for old units");
  ieum_buf_dispose(&got);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-roles-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_roles__stored();
  test_tm_roles__older_tm();
  remove_tmpdir();
  return done_testing();
}
