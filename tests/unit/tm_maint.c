/*
** tests/unit/tm_maint.c: merging TMs, removing duplicates and deleting
** documents (tm/maint.c).
**
** Every case works in files under one mkdtemp() directory, removed at the
** end.  Covered: a merge copies documents, units, props, metadata and
** lexicon rows and a second merge adds nothing; merging a TM into itself;
** what a merge refuses (missing file, not a TM, an open transaction); the
** three dedupe rules; delete by id, file name, "SRC|TGT" and TMX document
** name, with its errors; the search index after all of them.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "tm/tm_int.h"
#include "util.h"

static char tmpdir[64];

static const char *tmp_path(int slot, const char *name)
{
  static char paths[2][512];
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", tmpdir, name);
  return paths[slot];
}

static void remove_tmpdir(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(tmp_path(1, e->d_name));
  closedir(d);
  rmdir(tmpdir);
}

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(none)";
}

static int has(const char *hay, const char *needle)
{
  return hay && strstr(hay, needle) != NULL;
}

/* Adds a document of `n` units "NAME 소스 i" -> "NAME target i" (score, created given per unit). */
static int64_t add_doc(ieum_tm *tm, const char *kind, const char *src_path, const char *tgt_path, int n,
                       const double *scores, const int64_t *created, const char *origin)
{
  int64_t doc = 0;
  char hash[33], s[128], t[128];
  ieum_tm_hash(hash, src_path, strlen(src_path), tgt_path, tgt_path ? strlen(tgt_path) : 0);
  ieum_tm_document d = { .kind = kind, .src_path = src_path, .tgt_path = tgt_path, .src_lang = "ko",
                         .tgt_lang = "en", .hash = hash };
  ieum_tm_add_document(&doc, tm, &d);
  for (int i = 0; i < n; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    snprintf(s, sizeof s, "%s 문장 %d번", src_path, i);
    snprintf(t, sizeof t, "%s sentence %d", src_path, i);
    u.src = s;
    u.src_len = strlen(s);
    u.tgt = t;
    u.tgt_len = strlen(t);
    u.score = scores ? scores[i] : 0.9;
    u.position = i;
    u.created = created ? created[i] : 100;
    u.document = origin;
    ieum_tm_add_unit(tm, doc, &u);
  }
  return doc;
}

/* Adds one unit with the given texts to document `doc` at `position`. */
static void add_unit(ieum_tm *tm, int64_t doc, const char *src, const char *tgt, double score, int64_t created,
                     int64_t position)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.score = score;
  u.created = created;
  u.position = position;
  ieum_tm_add_unit(tm, doc, &u);
}

static int64_t count(ieum_tm *tm, const char *sql)
{
  sqlite3_stmt *st = NULL;
  int64_t n = -1;
  if (sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

static int fts_ok(ieum_tm *tm)
{
  return sqlite3_exec(tm->db, "INSERT INTO units_src_fts(units_src_fts) VALUES('integrity-check');"
                        "INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('integrity-check')", NULL, NULL, NULL) ==
         SQLITE_OK;
}

static int count_cb(const ieum_unit *u, void *payload)
{
  (void)u;
  (*(int64_t *)payload)++;
  return 0;
}

static int64_t concordance_count(ieum_tm *tm, const char *word)
{
  int64_t n = 0;
  const char *w[] = { word };
  return ieum_tm_concordance(tm, w, 1, 0, count_cb, &n) == IEUM_OK ? n : -1;
}

static void test_tm_maint__merge(void)
{
  ieum_tm *a = NULL, *b = NULL;
  ieum_tm_merge_stats ms;
  unlink(tmp_path(0, "a.db"));
  unlink(tmp_path(0, "b.db"));
  ieum_tm_open(&a, tmp_path(0, "a.db"), IEUM_TM_CREATE);
  ieum_tm_open(&b, tmp_path(0, "b.db"), IEUM_TM_CREATE);
  if (!a || !b) {
    ok(0, "TMs");
    return;
  }
  ieum_tm_begin(a);
  add_doc(a, "pair", "shared.ko", "shared.en", 2, NULL, NULL, NULL);
  ieum_tm_commit(a);
  ieum_tm_begin(b);
  int64_t shared = add_doc(b, "pair", "shared.ko", "shared.en", 3, NULL, NULL, NULL); /* one unit more */
  int64_t own = add_doc(b, "pair", "own.ko", "own.en", 2, NULL, NULL, NULL);
  sqlite3_exec(b->db,
               "INSERT INTO document_meta VALUES(2, 'headline', '다리 개통');"
               "INSERT INTO unit_props(unit_id, seq, kind, type, lang, value)"
               " SELECT id, 0, 'prop', 'x-note', NULL, 'checked' FROM units WHERE doc_id = 2;"
               "INSERT INTO lexicon VALUES('다리', 'bridge', 'learned', 0.8, 3);",
               NULL, NULL, NULL);
  ieum_tm_commit(b);
  (void)shared;
  (void)own;

  is_int(ieum_tm_merge(&ms, a, tmp_path(1, "b.db")), IEUM_OK, "merge b into a");
  is_int(ms.documents, 1, "one new document");
  is_int(ms.units, 3, "three new units: two of it, one more of the shared document");
  is_int(count(a, "SELECT count(*) FROM units"), 5, "a has 5 units");
  is_int(count(a, "SELECT count(*) FROM documents"), 2, "and 2 documents");
  is_int(count(a, "SELECT count(*) FROM document_meta WHERE value = '다리 개통'"), 1, "document metadata came along");
  is_int(count(a, "SELECT count(*) FROM unit_props p JOIN units u ON u.id = p.unit_id"
                  " JOIN documents d ON d.id = u.doc_id WHERE d.src_path = 'own.ko'"),
         2, "unit props follow their units");
  is_int(count(a, "SELECT count(*) FROM lexicon"), 1, "lexicon rows came along");
  is_int(concordance_count(a, "own.ko 문장"), 2, "merged units are in the search index");
  ok(fts_ok(a), "the index passes its integrity check");
  is_int(count(a, "SELECT count(*) FROM pragma_database_list WHERE name = 'ieum_merged'"), 0, "the other TM is detached again");

  is_int(ieum_tm_merge(&ms, a, tmp_path(1, "b.db")), IEUM_OK, "merge b again");
  ok(ms.documents == 0 && ms.units == 0, "adds nothing");
  is_int(ieum_tm_merge(&ms, a, tmp_path(1, "a.db")), IEUM_OK, "merge a into itself");
  ok(ms.documents == 0 && ms.units == 0, "adds nothing");

  is_int(ieum_tm_merge(&ms, a, tmp_path(1, "missing.db")), IEUM_ENOTFOUND, "a missing TM");
  ok(has(last_message(), "missing.db: no such TM"), "message: %s", last_message());
  ok(access(tmp_path(1, "missing.db"), F_OK) != 0, "is not created");
  FILE *f = fopen(tmp_path(1, "junk.db"), "w");
  if (f) {
    fputs("not a database at all, just text that is long enough to look like a header............", f);
    fclose(f);
  }
  is_int(ieum_tm_merge(&ms, a, tmp_path(1, "junk.db")), IEUM_EDB, "a file that is not a TM");
  ok(has(last_message(), "not an ieum translation memory"), "message: %s", last_message());
  ieum_tm_begin(a);
  is_int(ieum_tm_merge(&ms, a, tmp_path(1, "b.db")), IEUM_EINVAL, "inside an open transaction");
  ok(has(last_message(), "commit the open one first"), "message: %s", last_message());
  ieum_tm_rollback(a);
  ieum_tm *r = NULL;
  ieum_tm_open(&r, tmp_path(0, "a.db"), IEUM_TM_READ);
  is_int(r ? ieum_tm_merge(&ms, r, tmp_path(1, "b.db")) : -100, IEUM_EDB, "into a read-only handle");
  ieum_tm_free(r);
  ieum_tm_free(a);
  ieum_tm_free(b);
}

static void test_tm_maint__dedupe(void)
{
  static const struct {
    int keep;
    const char *name, *kept;
    int64_t removed;
  } cases[] = {
    { IEUM_TM_KEEP_ALL, "all", "A,B,C", 1 },
    { IEUM_TM_KEEP_NEWEST, "newest", "C", 3 },
    { IEUM_TM_KEEP_BEST, "best", "B", 3 },
  };
  for (size_t k = 0; k < 3; k++) {
    ieum_tm *tm = NULL;
    char name[32];
    snprintf(name, sizeof name, "d%zu.db", k);
    unlink(tmp_path(0, name));
    ieum_tm_open(&tm, tmp_path(0, name), IEUM_TM_CREATE);
    if (!tm) {
      ok(0, "TM");
      return;
    }
    ieum_tm_begin(tm);
    int64_t doc = add_doc(tm, "pair", "x.ko", "x.en", 0, NULL, NULL, NULL);
    /* Same source four times: A twice (identical pairs), B with the best score, C the newest. */
    add_unit(tm, doc, "같은 문장이다.", "A", 0.5, 10, 0);
    add_unit(tm, doc, "같은 문장이다.", "A", 0.4, 11, 1);
    add_unit(tm, doc, "같은 문장이다.", "B", 0.9, 12, 2);
    add_unit(tm, doc, "같은 문장이다.", "C", -1, 13, 3);
    add_unit(tm, doc, "다른 문장이다.", "D", 0.1, 14, 4);
    ieum_tm_commit(tm);
    int64_t removed = -1;
    is_int(ieum_tm_dedupe(&removed, tm, cases[k].keep), IEUM_EINVAL, "dedupe %s outside a transaction", cases[k].name);
    ieum_tm_begin(tm);
    is_int(ieum_tm_dedupe(&removed, tm, cases[k].keep), IEUM_OK, "dedupe %s", cases[k].name);
    ieum_tm_commit(tm);
    is_int(removed, cases[k].removed, "removes %lld units", (long long)cases[k].removed);
    sqlite3_stmt *st = NULL;
    char kept[64] = "";
    sqlite3_prepare_v2(tm->db, "SELECT group_concat(tgt, ',') FROM (SELECT tgt FROM units WHERE src = '같은 문장이다.'"
                               " ORDER BY tgt)", -1, &st, NULL);
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      snprintf(kept, sizeof kept, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    ok(!strcmp(kept, cases[k].kept), "keeps %s (kept: %s)", cases[k].kept, kept);
    is_int(count(tm, "SELECT count(*) FROM units WHERE tgt = 'D'"), 1, "a unit without duplicates stays");
    ok(fts_ok(tm), "the index passes its integrity check");
    ieum_tm_begin(tm);
    is_int(ieum_tm_dedupe(&removed, tm, 7), IEUM_EINVAL, "an unknown rule");
    ieum_tm_rollback(tm);
    ieum_tm_free(tm);
  }
}

static void test_tm_maint__delete(void)
{
  ieum_tm *tm = NULL;
  int64_t n = -1;
  unlink(tmp_path(0, "del.db"));
  ieum_tm_open(&tm, tmp_path(0, "del.db"), IEUM_TM_CREATE);
  if (!tm) {
    ok(0, "TM");
    return;
  }
  ieum_tm_begin(tm);
  add_doc(tm, "pair", "one.ko", "one.en", 2, NULL, NULL, NULL);     /* id 1 */
  add_doc(tm, "pair", "two.ko", "two.en", 3, NULL, NULL, NULL);     /* id 2 */
  add_doc(tm, "pair", "three.ko", "three.en", 1, NULL, NULL, NULL); /* id 3 */
  add_doc(tm, "pair", "dup.ko", "a.en", 1, NULL, NULL, NULL);       /* id 4 */
  add_doc(tm, "pair", "dup.ko", "b.en", 1, NULL, NULL, NULL);       /* id 5 */
  add_doc(tm, "tmx", "mem.tmx", NULL, 2, NULL, NULL, "article-7");  /* id 6 */
  sqlite3_exec(tm->db, "INSERT INTO unit_props SELECT id, 0, 'note', NULL, NULL, 'n' FROM units WHERE doc_id = 2",
               NULL, NULL, NULL);
  ieum_tm_commit(tm);

  is_int(ieum_tm_delete_document(&n, tm, "1"), IEUM_EINVAL, "outside a transaction");
  ieum_tm_begin(tm);
  is_int(ieum_tm_delete_document(&n, tm, "1"), IEUM_OK, "delete by id");
  is_int(n, 2, "its 2 units");
  is_int(ieum_tm_delete_document(&n, tm, "two.en"), IEUM_OK, "delete by target file name");
  is_int(n, 3, "its 3 units");
  is_int(ieum_tm_delete_document(&n, tm, "three.ko|three.en"), IEUM_OK, "delete by SRC|TGT");
  is_int(n, 1, "its unit");
  is_int(ieum_tm_delete_document(&n, tm, "dup.ko"), IEUM_EINVAL, "a name of two documents");
  ok(has(last_message(), "names several documents (ids 4, 5)"), "message: %s", last_message());
  is_int(ieum_tm_delete_document(&n, tm, "article-7"), IEUM_OK, "a document inside an imported TMX");
  is_int(n, 2, "its units");
  is_int(ieum_tm_delete_document(&n, tm, "99"), IEUM_ENOTFOUND, "an unknown id");
  ok(has(last_message(), "no document '99'"), "message: %s", last_message());
  is_int(ieum_tm_delete_document(&n, tm, "nothing.txt"), IEUM_ENOTFOUND, "an unknown name");
  is_int(ieum_tm_delete_document(&n, tm, ""), IEUM_EINVAL, "an empty name");
  ieum_tm_commit(tm);
  is_int(count(tm, "SELECT count(*) FROM documents"), 3, "documents 4, 5 and the TMX are left");
  is_int(count(tm, "SELECT count(*) FROM units"), 2, "with their units");
  is_int(count(tm, "SELECT count(*) FROM unit_props"), 0, "props went with their units");
  is_int(concordance_count(tm, "two.ko"), 0, "deleted units are gone from the search index");
  is_int(concordance_count(tm, "dup.ko"), 2, "the others are still found");
  ok(fts_ok(tm), "the index passes its integrity check");
  ieum_tm_free(tm);
}

/* The ids a preview lists, as "id,id,..." into payload (a 256-byte buffer). */
static int ids_cb(const ieum_unit *u, void *payload)
{
  char *b = payload;
  size_t n = strlen(b);
  snprintf(b + n, 256 - n, "%lld,", (long long)u->id);
  return 0;
}

/* The ids of the units of `tm` that are not in it any more after `sql` ran, as "id,id,...". */
static void gone(char *out, ieum_tm *tm, const char *before_table)
{
  sqlite3_stmt *st = NULL;
  char sql[160];
  out[0] = '\0';
  snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE id NOT IN (SELECT id FROM units) ORDER BY id", before_table);
  if (sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL) == SQLITE_OK)
    while (sqlite3_step(st) == SQLITE_ROW)
      snprintf(out + strlen(out), 256 - strlen(out), "%lld,", (long long)sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
}

/* What the previews list is exactly what dedupe and delete then remove; they change nothing. */
static void test_tm_maint__previews(void)
{
  static const char *const names[] = { "1", "two.en", "three.ko|three.en", "article-7" };
  ieum_tm *tm = NULL;
  for (int keep = IEUM_TM_KEEP_ALL; keep <= IEUM_TM_KEEP_BEST; keep++) {
    char listed[256] = "", removed[256];
    int64_t n = 0;
    unlink(tmp_path(0, "p.db"));
    ieum_tm_open(&tm, tmp_path(0, "p.db"), IEUM_TM_CREATE);
    if (!tm) {
      ok(0, "TM");
      return;
    }
    ieum_tm_begin(tm);
    int64_t doc = add_doc(tm, "pair", "x.ko", "x.en", 0, NULL, NULL, NULL);
    add_unit(tm, doc, "같은 문장이다.", "A", 0.5, 10, 0);
    add_unit(tm, doc, "같은 문장이다.", "A", 0.4, 11, 1);
    add_unit(tm, doc, "같은 문장이다.", "B", 0.9, 12, 2);
    add_unit(tm, doc, "같은 문장이다.", "C", -1, 13, 3);
    add_unit(tm, doc, "다른 문장이다.", "D", 0.1, 14, 4);
    ieum_tm_commit(tm);
    is_int(ieum_tm_dedupe_preview(tm, keep, ids_cb, listed), IEUM_OK, "dedupe preview, rule %d", keep);
    is_int(count(tm, "SELECT count(*) FROM units"), 5, "changes nothing");
    sqlite3_exec(tm->db, "CREATE TEMP TABLE before AS SELECT id FROM units", NULL, NULL, NULL);
    ieum_tm_begin(tm);
    ieum_tm_dedupe(&n, tm, keep);
    ieum_tm_commit(tm);
    gone(removed, tm, "temp.before");
    ok(listed[0] && !strcmp(listed, removed), "lists the units dedupe removes (%s / %s)", listed, removed);
    is_int(ieum_tm_dedupe_preview(tm, 9, ids_cb, listed), IEUM_EINVAL, "an unknown rule");
    ieum_tm_free(tm);
    tm = NULL;
  }
  unlink(tmp_path(0, "pd.db"));
  ieum_tm_open(&tm, tmp_path(0, "pd.db"), IEUM_TM_CREATE);
  if (!tm) {
    ok(0, "TM");
    return;
  }
  ieum_tm_begin(tm);
  add_doc(tm, "pair", "one.ko", "one.en", 2, NULL, NULL, NULL);     /* id 1 */
  add_doc(tm, "pair", "two.ko", "two.en", 3, NULL, NULL, NULL);     /* id 2 */
  add_doc(tm, "pair", "three.ko", "three.en", 1, NULL, NULL, NULL); /* id 3 */
  add_doc(tm, "tmx", "mem.tmx", NULL, 2, NULL, NULL, "article-7");  /* id 4 */
  add_doc(tm, "pair", "dup.ko", "a.en", 1, NULL, NULL, NULL);       /* id 5 */
  add_doc(tm, "pair", "dup.ko", "b.en", 1, NULL, NULL, NULL);       /* id 6 */
  ieum_tm_commit(tm);
  char listed[256] = "";
  is_int(ieum_tm_delete_document_preview(tm, "dup.ko", ids_cb, listed), IEUM_EINVAL, "a name of two documents");
  is_int(ieum_tm_delete_document_preview(tm, "nothing.txt", ids_cb, listed), IEUM_ENOTFOUND, "an unknown name");
  is_int(ieum_tm_delete_document_preview(tm, "77", ids_cb, listed), IEUM_ENOTFOUND, "an unknown id");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char removed[256];
    int64_t n = 0;
    listed[0] = '\0';
    is_int(ieum_tm_delete_document_preview(tm, names[i], ids_cb, listed), IEUM_OK, "delete preview of '%s'",
           names[i]);
    sqlite3_exec(tm->db, "DROP TABLE IF EXISTS temp.before; CREATE TEMP TABLE before AS SELECT id FROM units", NULL,
                 NULL, NULL);
    ieum_tm_begin(tm);
    ieum_tm_delete_document(&n, tm, names[i]);
    ieum_tm_commit(tm);
    gone(removed, tm, "temp.before");
    ok(listed[0] && !strcmp(listed, removed), "lists the units delete removes (%s / %s)", listed, removed);
  }
  ieum_tm_free(tm);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-maint-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_maint__merge();
  test_tm_maint__dedupe();
  test_tm_maint__delete();
  test_tm_maint__previews();
  remove_tmpdir();
  return done_testing();
}
