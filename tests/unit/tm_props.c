/*
** tests/unit/tm_props.c: a unit's props, notes and attributes in the TM,
** and the importer (duplicate merging, metadata kept in order).
**
** Each case makes a TM in a temporary directory (mkdtemp under /tmp,
** removed at the end), writes units with ieum_tm_importer_add() or
** ieum_tm_add_unit() + ieum_tm_set_unit_props(), and reads them back with
** ieum_tm_foreach_with_props(), which gives units in the order added.
** Error paths: outside a transaction, a bad kind, no unit at a place, OOM.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "util.h"

static char tmpdir[] = "/tmp/ieum-props-XXXXXX";
static char path_buf[4096];

static const char *tmp_path(const char *name)
{
  snprintf(path_buf, sizeof path_buf, "%s/%s", tmpdir, name);
  return path_buf;
}

static void tmpdir_clean(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(tmp_path(e->d_name));
  closedir(d);
}

/* What foreach_with_props gave: one line per unit, "src|tgt|pos|kind:type:lang=value;..." */
typedef struct {
  char text[4096];
  size_t units;
} dump;

static int dump_unit(const ieum_unit *u, const ieum_unit_prop *p, size_t n, void *payload)
{
  dump *d = payload;
  size_t at = strlen(d->text);
  at += (size_t)snprintf(d->text + at, sizeof d->text - at, "%.*s|%.*s|%lld|", (int)u->src_len, u->src,
                         (int)u->tgt_len, u->tgt, (long long)u->position);
  for (size_t i = 0; i < n && at < sizeof d->text; i++)
    at += (size_t)snprintf(d->text + at, sizeof d->text - at, "%s:%s:%s=%s;", p[i].kind, p[i].type ? p[i].type : "",
                           p[i].lang ? p[i].lang : "", p[i].value);
  if (at < sizeof d->text - 1)
    strcat(d->text, "\n");
  d->units++;
  return 0;
}

static ieum_unit unit(const char *src, const char *tgt, int64_t position)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.src_lang = "ko";
  u.tgt_lang = "en";
  u.position = position;
  u.created = 1700000000;
  return u;
}

static int open_doc(ieum_tm **tm, int64_t *doc, const char *name, const char *hash)
{
  int rc = ieum_tm_open(tm, tmp_path(name), IEUM_TM_CREATE);
  if (!rc)
    rc = ieum_tm_begin(*tm);
  ieum_tm_document d = { .kind = "tmx", .src_path = "in.tmx", .src_lang = "ko", .tgt_lang = "en", .hash = hash };
  if (!rc)
    rc = ieum_tm_add_document(doc, *tm, &d);
  return rc;
}

static void test_tm_props__importer_keeps_order(void)
{
  ieum_tm *tm = NULL;
  ieum_tm_importer *im = NULL;
  int64_t doc = 0;
  int added = -1;
  is_int(open_doc(&tm, &doc, "a.db", "00000000000000000000000000000001"), IEUM_OK, "TM and document made");
  is_int(ieum_tm_importer_new(&im, tm, doc, 1), IEUM_OK, "importer made");
  ieum_unit_prop props[] = {
    { "attr", "tuid", NULL, "job-1" },   { "prop", "Txt::Client", NULL, "한빛" },
    { "note", NULL, "ko", "메모 하나" }, { "prop", "x-domain", "en", "news & weather" },
  };
  ieum_unit u = unit("비가 온다.", "It rains.", -1);
  is_int(ieum_tm_importer_add(&added, im, &u, props, 4), IEUM_OK, "unit with four items added");
  is_int(added, 1, "reported as added");
  ieum_unit v = unit("바람이 분다.", "The wind blows.", -1);
  ieum_unit_prop own_tuid[] = { { "attr", "tuid", NULL, "2" } };
  is_int(ieum_tm_importer_add(&added, im, &v, own_tuid, 1), IEUM_OK, "unit whose tuid is its id added");
  ieum_tm_importer_free(im);
  is_int(ieum_tm_commit(tm), IEUM_OK, "committed");
  dump d = { "", 0 };
  is_int(ieum_tm_foreach_with_props(tm, dump_unit, &d), IEUM_OK, "read back");
  is_str(d.text,
         "비가 온다.|It rains.|0|attr:tuid:=job-1;prop:Txt::Client:=한빛;note::ko=메모 하나;prop:x-domain:en=news & weather;\n"
         "바람이 분다.|The wind blows.|1|\n",
         "items come back in order, a tuid equal to the id is not stored");
  ieum_tm_free(tm);
  tmpdir_clean();
}

static void test_tm_props__duplicates_merged(void)
{
  ieum_tm *tm = NULL;
  ieum_tm_importer *im = NULL;
  int64_t doc = 0;
  int added = -1, total = 0;
  is_int(open_doc(&tm, &doc, "b.db", "00000000000000000000000000000002"), IEUM_OK, "TM made");
  ieum_unit first = unit("시장이 사과했다.", "The mayor apologized.", 0);
  is_int(ieum_tm_add_unit(tm, doc, &first), IEUM_OK, "a unit already in the TM");
  is_int(ieum_tm_importer_new(&im, tm, doc, 1), IEUM_OK, "importer indexes the TM");
  const char *pairs[][2] = { { "시장이 사과했다.", "The mayor apologized." },
                             { "시장이 사과했다.", "The mayor said sorry." },
                             { "회의는 취소되었다.", "The meeting was cancelled." },
                             { "회의는 취소되었다.", "The meeting was cancelled." } };
  for (int i = 0; i < 4; i++) {
    ieum_unit u = unit(pairs[i][0], pairs[i][1], -1);
    is_int(ieum_tm_importer_add(&added, im, &u, NULL, 0), IEUM_OK, "pair %d handled", i);
    total += added;
  }
  is_int(total, 2, "the pair already in the TM and the repeated one are merged");
  ieum_unit placed = unit("시장이 사과했다.", "The mayor apologized.", 7);
  is_int(ieum_tm_importer_add(&added, im, &placed, NULL, 0), IEUM_OK, "a pair at a place of its own");
  is_int(added, 1, "a unit with a position is a place in a document: kept");
  ieum_unit same_place = unit("다른 문장.", "Another sentence.", 7);
  is_int(ieum_tm_importer_add(&added, im, &same_place, NULL, 0), IEUM_OK, "the same place again");
  is_int(added, 0, "a second unit at one place is not added");
  placed.document = "other.txt"; /* another document's unit: the same pair at the same position */
  is_int(ieum_tm_importer_add(&added, im, &placed, NULL, 0), IEUM_OK, "the pair at position 7 of another document");
  is_int(added, 0, "the same pair at the same position: merged (an export imported back adds nothing)");
  placed.position = 8;
  is_int(ieum_tm_importer_add(&added, im, &placed, NULL, 0), IEUM_OK, "the pair at position 8 of it");
  is_int(added, 1, "at another position: added (an article may hold a pair twice)");
  /* ko and ko-KR are one language, as exports write them; en-GB is not en-US. */
  ieum_unit region = unit("시장이 사과했다.", "The mayor apologized.", -1);
  region.src_lang = "ko-KR";
  region.tgt_lang = "EN-us";
  is_int(ieum_tm_importer_add(&added, im, &region, NULL, 0), IEUM_OK, "the pair spelled ko-KR/EN-us");
  is_int(added, 0, "is the ko/en unit already there: merged");
  region.tgt_lang = "en-GB";
  is_int(ieum_tm_importer_add(&added, im, &region, NULL, 0), IEUM_OK, "the pair into en-GB");
  is_int(added, 1, "another target language: added");
  ieum_tm_importer_free(im);

  is_int(ieum_tm_importer_new(&im, tm, doc, 0), IEUM_OK, "importer without merging");
  ieum_unit again = unit("회의는 취소되었다.", "The meeting was cancelled.", -1);
  is_int(ieum_tm_importer_add(&added, im, &again, NULL, 0), IEUM_OK, "duplicate added");
  is_int(added, 1, "without merging a duplicate is added");
  ieum_tm_importer_free(im);
  ieum_tm_stats st;
  is_int(ieum_tm_stats_get(&st, tm), IEUM_OK, "stats");
  is_int(st.units, 7, "seven units in all");
  ieum_tm_free(tm);
  tmpdir_clean();
}

static void test_tm_props__set_by_place(void)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  is_int(open_doc(&tm, &doc, "c.db", "00000000000000000000000000000003"), IEUM_OK, "TM made");
  ieum_unit u = unit("하나.", "One.", -1);
  u.document = "art.txt";
  ieum_unit v = unit("둘.", "Two.", -1);
  v.document = "art.txt";
  is_int(ieum_tm_add_unit(tm, doc, &u), IEUM_OK, "unit 0");
  is_int(ieum_tm_add_unit(tm, doc, &v), IEUM_OK, "unit 1");
  ieum_unit_prop a[] = { { "note", NULL, NULL, "첫째" } };
  ieum_unit_prop b[] = { { "prop", "x-client", NULL, "둘째" } };
  ieum_unit at0 = u;
  at0.position = 0;
  is_int(ieum_tm_set_unit_props(tm, doc, &at0, a, 1), IEUM_OK, "props of position 0");
  is_int(ieum_tm_set_unit_props(tm, doc, &v, b, 1), IEUM_OK, "props of the last unit (position < 0)");
  is_int(ieum_tm_set_unit_props(tm, doc, &v, b, 1), IEUM_OK, "set again: replaced, not added");
  ieum_unit nowhere = u;
  nowhere.position = 9;
  is_int(ieum_tm_set_unit_props(tm, doc, &nowhere, a, 1), IEUM_ENOTFOUND, "no unit at position 9");
  ok(strstr(ieum_error_last()->message, "no unit at position 9 of \"art.txt\""), "message: %s",
     ieum_error_last()->message);
  ieum_unit_prop bad[] = { { "comment", "x", NULL, "v" } };
  is_int(ieum_tm_set_unit_props(tm, doc, &at0, bad, 1), IEUM_EINVAL, "an unknown kind");
  ok(strstr(ieum_error_last()->message, "kind \"comment\""), "message: %s", ieum_error_last()->message);
  ieum_unit_prop untyped[] = { { "prop", NULL, NULL, "v" } };
  is_int(ieum_tm_set_unit_props(tm, doc, &at0, untyped, 1), IEUM_EINVAL, "a prop without a type");
  is_int(ieum_tm_commit(tm), IEUM_OK, "committed");
  dump d = { "", 0 };
  is_int(ieum_tm_foreach_with_props(tm, dump_unit, &d), IEUM_OK, "read back");
  is_str(d.text, "하나.|One.|0|note::=첫째;\n둘.|Two.|1|prop:x-client:=둘째;\n", "each unit has its own items");
  is_int(ieum_tm_set_unit_props(tm, doc, &at0, a, 1), IEUM_EINVAL, "outside a transaction");
  ok(strstr(ieum_error_last()->message, "outside a transaction"), "message: %s", ieum_error_last()->message);
  ieum_tm_importer *im = NULL;
  is_int(ieum_tm_importer_new(&im, tm, doc, 1), IEUM_EINVAL, "no importer outside a transaction");
  ok(im == NULL, "*out stays NULL");
  is_int(ieum_tm_begin(tm), IEUM_OK, "begin");
  is_int(ieum_tm_importer_new(&im, tm, 999, 1), IEUM_ENOTFOUND, "no importer for a missing document");
  ieum_tm_rollback(tm);
  ieum_tm_free(tm);
  tmpdir_clean();
}

static void test_tm_props__oom(void)
{
  int clean = 1, tries = 0;
  for (long n = 0; n < 200; n++) {
    ieum_tm *tm = NULL;
    ieum_tm_importer *im = NULL;
    int64_t doc = 0;
    char hash[33];
    snprintf(hash, sizeof hash, "%032ld", n + 100);
    if (open_doc(&tm, &doc, "oom.db", hash) != IEUM_OK) {
      ieum_tm_free(tm);
      continue;
    }
    ieum__alloc_fail_after(n);
    int rc = ieum_tm_importer_new(&im, tm, doc, 1);
    ieum_unit u = unit("메모리.", "Memory.", -1);
    ieum_unit_prop p[] = { { "note", NULL, NULL, "n" } };
    if (!rc)
      rc = ieum_tm_importer_add(NULL, im, &u, p, 1);
    ieum_tm_importer_free(im);
    dump d = { "", 0 };
    if (!rc)
      rc = ieum_tm_foreach_with_props(tm, dump_unit, &d);
    ieum__alloc_fail_after(-1);
    if (rc && rc != IEUM_ENOMEM && rc != IEUM_EDB)
      clean = 0;
    ieum_tm_free(tm);
    tries++;
    if (rc == IEUM_OK)
      break;
  }
  ok(clean && tries > 1, "every failed allocation gives ENOMEM or EDB (%d tries)", tries);
  tmpdir_clean();
}

/* <tuv> metadata keeps its side (schema 6: unit_props.side), and the user of the handle fills creationid. */
static void test_tm_props__sides_and_user(void)
{
  ieum_tm *tm = NULL;
  ieum_tm_importer *im = NULL;
  int64_t doc = 0;
  is_int(open_doc(&tm, &doc, "s.db", "00000000000000000000000000000009"), IEUM_OK, "TM and document made");
  is_int(ieum_tm_importer_new(&im, tm, doc, 0), IEUM_OK, "importer made");
  ieum_unit_prop props[] = {
    { "attr", "changeid", NULL, "lee" },           { "tgt-prop", "approved", NULL, "no" },
    { "src-attr", "creationid", NULL, "park" },    { "src-note", NULL, "ko", "원문 확인" },
    { "tgt-attr", "changedate", NULL, "20240210T120000Z" },
  };
  ieum_unit u = unit("비가 온다.", "", -1);
  is_int(ieum_tm_importer_add(NULL, im, &u, props, 5), IEUM_OK, "a unit with an empty target and <tuv> metadata");
  ieum_unit_prop bad[] = { { "mid-prop", "x", NULL, "y" } };
  ieum_unit v = unit("바람.", "Wind.", -1);
  is_int(ieum_tm_importer_add(NULL, im, &v, bad, 1), IEUM_EINVAL, "an unknown side is refused");
  ieum_tm_importer_free(im);
  is_int(ieum_tm_set_user(tm, "김기자"), IEUM_OK, "the handle's user set");
  is_int(ieum_tm_set_user(tm, "\xff"), IEUM_EINVAL, "a user name that is not UTF-8 is refused");
  is_int(ieum_tm_set_user(tm, "김기자"), IEUM_OK, "set again");
  ieum_tm_document pd = { .kind = "pair", .src_path = "ko.txt", .tgt_path = "en.txt", .src_lang = "ko",
                          .tgt_lang = "en", .hash = "0000000000000000000000000000000a" };
  int64_t pdoc = 0;
  is_int(ieum_tm_add_document(&pdoc, tm, &pd), IEUM_OK, "a document of an alignment");
  ieum_unit w = unit("해가 뜬다.", "The sun rises.", 5);
  is_int(ieum_tm_add_unit(tm, pdoc, &w), IEUM_OK, "a unit added by the user");
  /* Imported by the user: who imported it is kept, but the file said nothing of who made it. */
  is_int(ieum_tm_importer_new(&im, tm, doc, 0), IEUM_OK, "importer made again");
  ieum_unit x = unit("달이 진다.", "The moon sets.", -1);
  is_int(ieum_tm_importer_add(NULL, im, &x, NULL, 0), IEUM_OK, "a unit imported by the user");
  ieum_tm_importer_free(im);
  is_int(ieum_tm_commit(tm), IEUM_OK, "committed");
  dump d = { "", 0 };
  is_int(ieum_tm_foreach_with_props(tm, dump_unit, &d), IEUM_OK, "read back");
  is_str(d.text,
         "비가 온다.||0|attr:changeid:=lee;tgt-prop:approved:=no;src-attr:creationid:=park;src-note::ko=원문 확인;"
         "tgt-attr:changedate:=20240210T120000Z;\n"
         "해가 뜬다.|The sun rises.|5|attr:creationid:=김기자;attr:changeid:=김기자;attr:changedate:=20231114T221320Z;\n"
         "달이 진다.|The moon sets.|1|\n",
         "each item in its order, with its side; the user's unit gets creationid, changeid, changedate, "
         "a unit imported from TMX none");
  /* A merge carries the sides and who made the unit. */
  ieum_tm *other = NULL;
  ieum_tm_merge_stats ms;
  is_int(ieum_tm_open(&other, tmp_path("m.db"), IEUM_TM_CREATE), IEUM_OK, "another TM");
  is_int(other ? ieum_tm_merge(&ms, other, tmp_path("s.db")) : -100, IEUM_OK, "the TM merged into it");
  dump m = { "", 0 };
  is_int(other ? ieum_tm_foreach_with_props(other, dump_unit, &m) : -100, IEUM_OK, "read back");
  is_str(m.text, d.text, "the same units, metadata on the same sides, the same user");
  ieum_tm_free(other);
  ieum_tm_free(tm);
  tmpdir_clean();
}

/* Tags of a TM as an ieum older than the tm.lang_tags setting left them: what a unit and a document say. */
typedef struct {
  char tags[512];
} tags_dump;

static int dump_tags(const ieum_unit *u, void *payload)
{
  tags_dump *d = payload;
  size_t at = strlen(d->tags);
  snprintf(d->tags + at, sizeof d->tags - at, "%s/%s;", u->src_lang, u->tgt_lang);
  return 0;
}

static void test_tm_props__old_tags_rewritten(void)
{
  ieum_tm *tm = NULL;
  int64_t doc = 0;
  const char *path = tmp_path("old.db");
  is_int(open_doc(&tm, &doc, "old.db", "00000000000000000000000000000009"), IEUM_OK, "TM made");
  ieum_unit a = unit("시장이 사과했다.", "The mayor apologized.", 0), b = unit("회의는 취소되었다.", "It was off.", 1);
  ieum_unit c = unit("시장이 사과했다.", "The mayor apologized.", 2);
  ok(!ieum_tm_add_unit(tm, doc, &a) && !ieum_tm_add_unit(tm, doc, &b) && !ieum_tm_add_unit(tm, doc, &c) &&
       !ieum_tm_commit(tm),
     "three units");
  ieum_tm_free(tm);
  /* What an older ieum stored: its own units ko/en, imported ones ko-KR/EN-us, and no setting. */
  sqlite3 *db = NULL;
  int src = sqlite3_open(path, &db);
  if (src == SQLITE_OK)
    src = sqlite3_exec(db,
                       "UPDATE units SET src_lang = 'ko', tgt_lang = 'en' WHERE position = 0;"
                       "UPDATE units SET src_lang = 'ko-KR', tgt_lang = 'EN-us' WHERE position = 2;"
                       "UPDATE documents SET src_lang = 'ko', tgt_lang = NULL;"
                       "DELETE FROM meta WHERE key = 'tm.lang_tags';",
                       NULL, NULL, NULL);
  sqlite3_close(db);
  is_int(src, SQLITE_OK, "the TM made as an older ieum left it");

  tags_dump d = { "" };
  is_int(ieum_tm_open(&tm, path, IEUM_TM_READ), IEUM_OK, "opened read-only");
  is_int(ieum_tm_foreach(tm, dump_tags, &d), IEUM_OK, "read");
  is_str(d.tags, "ko/en;ko-KR/en-US;ko-KR/EN-us;", "read-only: the tags stay as they are");
  ieum_tm_free(tm);

  is_int(ieum_tm_open(&tm, path, IEUM_TM_WRITE), IEUM_OK, "opened for writing");
  d.tags[0] = '\0';
  is_int(ieum_tm_foreach(tm, dump_tags, &d), IEUM_OK, "read");
  is_str(d.tags, "ko-KR/en-US;ko-KR/en-US;ko-KR/en-US;", "every unit's tags in the TM's one form");
  is_int(ieum_tm_lang_tags(tm), IEUM_TM_TAGS_REGION, "the form recorded: region codes");
  int64_t removed = -1;
  ok(!ieum_tm_begin(tm) && !ieum_tm_dedupe(&removed, tm, IEUM_TM_KEEP_ALL) && !ieum_tm_commit(tm),
     "tm dedupe runs");
  is_int(removed, 1, "and finds the pair once spelled ko/en and once ko-KR/EN-us");
  ieum_tm_free(tm);
  db = NULL;
  sqlite3_stmt *st = NULL;
  char got[128] = "";
  if (sqlite3_open(path, &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT src_lang || '/' || COALESCE(tgt_lang, 'NULL') || '/' || "
                             "(SELECT value FROM meta WHERE key = 'tm.lang_tags') FROM documents", -1, &st, NULL) ==
        SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    snprintf(got, sizeof got, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  is_str(got, "ko-KR/NULL/region", "the document's tags too (a missing one stays missing), and the setting stored");
  tmpdir_clean();
}

int main(void)
{
  if (!mkdtemp(tmpdir)) {
    skip_all("cannot make a temporary directory");
  }
  test_tm_props__importer_keeps_order();
  test_tm_props__duplicates_merged();
  test_tm_props__set_by_place();
  test_tm_props__oom();
  test_tm_props__sides_and_user();
  test_tm_props__old_tags_rewritten();
  tmpdir_clean();
  rmdir(tmpdir);
  return done_testing();
}
