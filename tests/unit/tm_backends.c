/*
** tests/unit/tm_backends.c: the ieum_tm API on both backends: an SQLite
** file always, and a PostgreSQL database when a URI is given (argv[1];
** tests/pg_cluster.py runs it so).  The same calls on each: a document
** with a file name that is not UTF-8 (escaped, and its bytes given back),
** the same document twice (IEUM_EEXISTS), metadata, settings, units with
** props and notes read back in order, a rollback that leaves nothing,
** search and similarity giving one backend's percentages to the other,
** the same search again on a handle and after units were added through it,
** a query in capitals, a query of words too short for a trigram inside,
** concordance, a read-only handle refusing writes, dedupe (preview, two
** rules) and the deletion of a document (preview, by file name).  Not
** here: the command line (tm_backends.py).
*/
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tmpdir.h"
#include "util.h"

static const char *const SRC[] = { "서울시가 내년부터 침수 예측 시스템을 도입한다.", "서울시가 내년부터 침수 경보 시스템을 도입한다.",
                                   "정부는 3일 새로운 주택 정책을 발표했다.", "다리" };
static const char *const TGT[] = { "Seoul will introduce a flood forecasting system next year.",
                                   "Seoul will introduce a flood warning system next year.",
                                   "The government announced a new housing policy on the 3rd.", "bridge" };

typedef struct {
  char got[8][256];
  int scores[8];
  size_t n;
} collected;

static int take_match(const ieum_tm_match *m, void *payload)
{
  collected *c = payload;
  if (c->n < 8) {
    snprintf(c->got[c->n], sizeof c->got[0], "%.*s", (int)m->unit.src_len, m->unit.src);
    c->scores[c->n++] = m->score;
  }
  return 0;
}

static int take_unit(const ieum_unit *u, void *payload)
{
  collected *c = payload;
  if (c->n < 8)
    snprintf(c->got[c->n++], sizeof c->got[0], "%.*s", (int)u->src_len, u->src);
  return 0;
}

typedef struct {
  int units, props_ok;
} props_seen;

static int take_props(const ieum_unit *u, const ieum_unit_prop *p, size_t n, void *payload)
{
  props_seen *s = payload;
  s->units++;
  if (u->position == 0)
    s->props_ok = n == 3 && !strcmp(p[0].kind, "prop") && !strcmp(p[0].type, "x-client") &&
                  !strcmp(p[0].value, "고객 A") && !strcmp(p[1].kind, "note") && !strcmp(p[1].value, "검토 필요") &&
                  !strcmp(p[2].kind, "attr") && !strcmp(p[2].type, "changeid");
  return 0;
}

static int take_setting(const char *key, const char *value, void *payload)
{
  collected *c = payload;
  if (c->n < 8)
    snprintf(c->got[c->n++], sizeof c->got[0], "%s=%s", key, value);
  return 0;
}

/* Every check on one TM; `name` says which in the messages. */
static void check_backend(const char *path, const char *name)
{
  ieum_tm *tm = NULL, *ro = NULL;
  char hash[33];
  int64_t doc = 0, again = 0;
  if (!ok(ieum_tm_open(&tm, path, IEUM_TM_CREATE) == 0, "%s: opens (%s)", name,
          ieum_error_last() ? ieum_error_last()->message : ""))
    return;
  ieum_tm_hash(hash, "a", 1, "b", 1);
  ieum_tm_document d = { "pair", "기사\xff.txt", "article.txt", "ko", "en", hash };
  is_int(ieum_tm_begin(tm), 0, "%s: begin", name);
  is_int(ieum_tm_add_document(&doc, tm, &d), 0, "%s: a document whose name is not UTF-8", name);
  is_int(ieum_tm_add_document(&again, tm, &d), IEUM_EEXISTS, "%s: the same document again: IEUM_EEXISTS", name);
  is_int(again, doc, "%s: ... with the id of the first", name);
  for (int i = 0; i < 4; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = SRC[i];
    u.src_len = strlen(SRC[i]);
    u.tgt = TGT[i];
    u.tgt_len = strlen(TGT[i]);
    u.position = i;
    u.score = 0.9;
    u.bead = "1-1";
    u.role = i == 0 ? "headline" : "body";
    is_int(ieum_tm_add_unit(tm, doc, &u), 0, "%s: unit %d added", name, i);
  }
  ieum_unit first = IEUM_UNIT_INIT;
  first.position = 0;
  ieum_unit_prop props[] = { { "prop", "x-client", NULL, "고객 A" }, { "note", NULL, "ko", "검토 필요" },
                             { "attr", "changeid", NULL, "kim" } };
  is_int(ieum_tm_set_unit_props(tm, doc, &first, props, 3), 0, "%s: props of unit 0", name);
  is_int(ieum_tm_set_document_meta(tm, doc, "src.headline", "침수 예측"), 0, "%s: document metadata", name);
  is_int(ieum_tm_set_setting(tm, "serve.token.kim", "read 0123"), 0, "%s: a setting", name);
  is_int(ieum_tm_set_setting(tm, "schema_version", "9"), IEUM_EINVAL, "%s: the TM's own keys are out of reach", name);
  is_int(ieum_tm_commit(tm), 0, "%s: commit", name);

  ieum_buf raw = IEUM_BUF_INIT;
  is_int(ieum_tm_get_document_path(&raw, tm, doc, 0), 0, "%s: the source file name", name);
  ok(raw.size == strlen("기사\xff.txt") && !memcmp(raw.ptr, "기사\xff.txt", raw.size), "%s: ... its bytes as given", name);
  ieum_buf_dispose(&raw);
  is_int(ieum_tm_get_document_meta(&raw, tm, doc, "src.headline"), 0, "%s: metadata read back", name);
  ok(raw.size && !memcmp(raw.ptr, "침수 예측", raw.size), "%s: ... the same value", name);
  ieum_buf_dispose(&raw);
  collected s = { 0 };
  is_int(ieum_tm_foreach_setting(tm, "serve.", take_setting, &s), 0, "%s: settings listed", name);
  ok(s.n == 1 && !strcmp(s.got[0], "serve.token.kim=read 0123"), "%s: ... the one set", name);
  props_seen ps = { 0, 0 };
  is_int(ieum_tm_foreach_with_props(tm, take_props, &ps), 0, "%s: units with props", name);
  ok(ps.units == 4 && ps.props_ok, "%s: ... the props of unit 0 in order", name);

  /* a rollback leaves nothing */
  ieum_tm_stats st;
  ieum_tm_hash(hash, "c", 1, "d", 1);
  ieum_tm_document d2 = { "tmx", "other.tmx", NULL, "ko", "en", hash };
  int64_t doc2;
  is_int(ieum_tm_begin(tm), 0, "%s: begin", name);
  is_int(ieum_tm_add_document(&doc2, tm, &d2), 0, "%s: another document", name);
  ieum_tm_rollback(tm);
  is_int(ieum_tm_stats_get(&st, tm), 0, "%s: stats", name);
  ok(st.documents == 1 && st.units == 4 && st.n_langs == 1 && st.beads[0] == 4 && st.score_hist[9] == 4,
     "%s: ... a rolled-back document is not there (%lld documents, %lld units)", name, (long long)st.documents,
     (long long)st.units);

  /* search and concordance */
  collected c = { 0 };
  ieum_tm_search_options so = IEUM_TM_SEARCH_OPTIONS_INIT;
  const char *q = "서울시가 내년부터 침수 예보 시스템을 도입한다.";
  is_int(ieum_tm_search(tm, q, strlen(q), &so, take_match, &c), 0, "%s: search", name);
  int want0 = 0, want1 = 0;
  ieum_tm_similarity(&want0, q, strlen(q), SRC[0], strlen(SRC[0]));
  ieum_tm_similarity(&want1, q, strlen(q), SRC[1], strlen(SRC[1]));
  ok(c.n == 2 && c.scores[0] == (want0 > want1 ? want0 : want1) && c.scores[1] == (want0 > want1 ? want1 : want0),
     "%s: two matches, scored as ieum_tm_similarity() scores (%d, %d)", name, c.scores[0], c.scores[1]);
  memset(&c, 0, sizeof c);
  is_int(ieum_tm_search(tm, "다리", strlen("다리"), &so, take_match, &c), 0, "%s: a two-character search", name);
  ok(c.n == 1 && c.scores[0] == 100 && !strcmp(c.got[0], "다리"), "%s: ... finds the short source", name);
  memset(&c, 0, sizeof c);
  is_int(ieum_tm_search(tm, "\xff", 1, &so, take_match, &c), IEUM_EENCODING, "%s: a search text not UTF-8", name);
  const char *words[] = { "시스템", "FLOOD" };
  is_int(ieum_tm_concordance(tm, words, 2, 0, take_unit, &c), 0, "%s: concordance", name);
  ok(c.n == 2, "%s: ... the two units holding both words, case folded", name);

  /* the same search again on the handle; then a unit added through it is found by the next search */
  collected c2 = { 0 };
  is_int(ieum_tm_search(tm, q, strlen(q), &so, take_match, &c2), 0, "%s: the search again", name);
  ok(c2.n == 2 && c2.scores[0] == (want0 > want1 ? want0 : want1) && c2.scores[1] == (want0 > want1 ? want1 : want0),
     "%s: ... the same matches", name);
  const char *eng = "Seoul will introduce a flood warning system next year.";
  ieum_unit nu = IEUM_UNIT_INIT;
  nu.src = q;
  nu.src_len = strlen(q);
  nu.tgt = TGT[1];
  nu.tgt_len = strlen(TGT[1]);
  nu.position = 10;
  ieum_unit ne = nu;
  ne.src = eng;
  ne.src_len = strlen(eng);
  ne.position = 11;
  is_int(ieum_tm_begin(tm), 0, "%s: begin", name);
  is_int(ieum_tm_add_unit(tm, doc, &nu), 0, "%s: the query added as a unit", name);
  is_int(ieum_tm_add_unit(tm, doc, &ne), 0, "%s: an English source added", name);
  is_int(ieum_tm_commit(tm), 0, "%s: commit", name);
  memset(&c2, 0, sizeof c2);
  is_int(ieum_tm_search(tm, q, strlen(q), &so, take_match, &c2), 0, "%s: the search after it", name);
  ok(c2.n == 3 && c2.scores[0] == 100 && !strcmp(c2.got[0], q), "%s: ... finds the new unit first (%zu matches)", name,
     c2.n);
  const char *upper = "SEOUL WILL INTRODUCE A FLOOD WARNING SYSTEM NEXT YEAR.";
  memset(&c2, 0, sizeof c2);
  is_int(ieum_tm_search(tm, upper, strlen(upper), &so, take_match, &c2), 0, "%s: a search in capitals", name);
  ok(c2.n == 1 && !strcmp(c2.got[0], eng), "%s: ... finds the source in lower case", name);
  /* no trigram inside a word of the query: candidates by trigram similarity on PostgreSQL */
  const char *shortw = "정부 3일 새 주택 정책 발표";
  so.min_score = 30;
  memset(&c2, 0, sizeof c2);
  is_int(ieum_tm_search(tm, shortw, strlen(shortw), &so, take_match, &c2), 0, "%s: a query of short words", name);
  ok(c2.n >= 1 && !strcmp(c2.got[0], SRC[2]), "%s: ... finds the source sharing them", name);
  so.min_score = 70;
  memset(&c, 0, sizeof c);

  /* read-only */
  if (ok(ieum_tm_open(&ro, path, IEUM_TM_READ) == 0, "%s: a read-only handle", name)) {
    is_int(ieum_tm_begin(ro), IEUM_EDB, "%s: ... refuses a transaction", name);
    is_int(ieum_tm_stats_get(&st, ro), 0, "%s: ... reads", name);
    ieum_tm_free(ro);
  }
  /* dedupe and delete: a second document repeating unit 1, another pair for unit 2's source */
  int64_t removed = 0, doc3 = 0;
  ieum_tm_hash(hash, "e", 1, "f", 1);
  ieum_tm_document d3 = { "pair", "again.ko.txt", "again.en.txt", "ko", "en", hash };
  ieum_unit dup = IEUM_UNIT_INIT, other = IEUM_UNIT_INIT;
  dup.src = SRC[1], dup.src_len = strlen(SRC[1]), dup.tgt = TGT[1], dup.tgt_len = strlen(TGT[1]);
  dup.position = 0, dup.created = 1, dup.score = 0.5;
  other = dup;
  other.src = SRC[2], other.src_len = strlen(SRC[2]), other.tgt = "Another target.", other.tgt_len = 15;
  other.position = 1;
  ok(!ieum_tm_begin(tm) && !ieum_tm_add_document(&doc3, tm, &d3) && !ieum_tm_add_unit(tm, doc3, &dup) &&
       !ieum_tm_add_unit(tm, doc3, &other) && !ieum_tm_commit(tm),
     "%s: a second document with a repeated pair and another target for a source", name);
  memset(&c, 0, sizeof c);
  is_int(ieum_tm_dedupe_preview(tm, IEUM_TM_KEEP_ALL, take_unit, &c), 0, "%s: dedupe preview", name);
  ok(c.n == 1 && !strcmp(c.got[0], SRC[1]), "%s: ... the repeated pair, its older copy", name);
  is_int(ieum_tm_dedupe(&removed, tm, IEUM_TM_KEEP_ALL), IEUM_EINVAL, "%s: dedupe outside a transaction: refused",
         name);
  ok(!ieum_tm_begin(tm) && !ieum_tm_dedupe(&removed, tm, IEUM_TM_KEEP_ALL) && !ieum_tm_commit(tm) && removed == 1,
     "%s: dedupe removes it (%lld)", name, (long long)removed);
  ok(!ieum_tm_begin(tm) && !ieum_tm_dedupe(&removed, tm, IEUM_TM_KEEP_NEWEST) && !ieum_tm_commit(tm) &&
       removed == 1,
     "%s: keep newest: one of the two targets of a source goes (%lld)", name, (long long)removed);
  is_int(ieum_tm_dedupe(&removed, tm, 9), IEUM_EINVAL, "%s: an unknown rule", name);
  memset(&c, 0, sizeof c);
  is_int(ieum_tm_delete_document_preview(tm, "again.ko.txt", take_unit, &c), 0, "%s: delete preview by file name",
         name);
  ok(c.n == 0, "%s: ... none: dedupe took both its units, the older copies", name);
  memset(&c, 0, sizeof c);
  is_int(ieum_tm_delete_document_preview(tm, "기사\xff.txt", take_unit, &c), 0, "%s: delete preview of the first",
         name);
  ok(c.n == 6, "%s: ... its six units", name);
  ok(!ieum_tm_begin(tm) && !ieum_tm_delete_document(&removed, tm, "again.ko.txt") && !ieum_tm_commit(tm) &&
       removed == 0,
     "%s: tm delete removes the document (%lld units)", name, (long long)removed);
  is_int(ieum_tm_begin(tm), 0, "%s: begin", name);
  is_int(ieum_tm_delete_document(&removed, tm, "again.ko.txt"), IEUM_ENOTFOUND, "%s: ... then it is not found", name);
  ieum_tm_rollback(tm);
  is_int(ieum_tm_stats_get(&st, tm), 0, "%s: stats", name);
  ok(st.units == 6 && st.documents == 1, "%s: the first document and its six units left", name);
  ieum_tm_free(tm);
}

int main(int argc, char **argv)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-tm-backends-XXXXXX");
  if (!mkdtemp(tmpdir))
    return 1;
  check_backend(tmp_path("one.db"), "sqlite");
  if (argc > 1) {
    check_backend(argv[1], "postgresql");
    ieum_tm *tm = NULL;
    ok(ieum_tm_open(&tm, "postgresql://nobody@127.0.0.1:1/none", IEUM_TM_READ) == IEUM_EDB && !tm &&
         strstr(ieum_error_last()->message, "cannot connect"),
       "postgresql: no server: IEUM_EDB, cannot connect");
  } else {
    printf("# no PostgreSQL URI given: the SQLite TM only\n");
  }
  remove_tmpdir();
  return done_testing();
}
