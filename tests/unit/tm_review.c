/*
** tests/unit/tm_review.c: the review operations on a TM (tm/review.c):
** a document's rows (units with their sentences, unaligned sentences where
** they fall), every operation and its effect on the TM (one transaction,
** positions renumbered, the search index kept), undo and redo, a unit
** deleted meanwhile, a document changed behind an undo's back, the
** documents list, and the aligner's store keeping every sentence of a pair
** (pipeline/pair.c).  Korean and English text written for these tests.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "ieum.h"
#include "tap.h"
#include "tmpdir.h"
#include "tm/tm_int.h"
#include "util.h"

static const char *const U0[2] = { "서울시가 자전거 도로를 늘린다.", "Seoul will add bike lanes." };
static const char *const U1S[2] = { "시는 14일 계획을 발표했다.", "예산은 48억 원이다." };
static const char *const U1T = "The city announced the plan on the 14th.";
static const char *const A2 = "사진=서울시";
static const char *const A3 = "The budget is 4.8 billion won.";
static const char *const U4[2] = { "공사는 3월에 시작된다.", "Work starts in March." };

static int add(ieum_tm *tm, int64_t doc, int64_t pos, const char *src, const char *tgt, double score, const char *bead)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.score = score;
  u.bead = bead;
  u.position = pos;
  u.role = "body";
  return ieum_tm_add_unit(tm, doc, &u);
}

/* A TM with one document of five rows: 1-1, 2-1, 1-0, 0-1, 1-1. */
static int make_tm(int64_t *doc, const char *name)
{
  ieum_tm *tm = NULL;
  ieum_tm_document d = { "pair", "seoul.ko.txt", "seoul.en.txt", "ko", "en", "0123456789abcdef0123456789abcdef" };
  char joined[256];
  snprintf(joined, sizeof joined, "%s %s", U1S[0], U1S[1]);
  size_t l0[2] = { strlen(U1S[0]), strlen(U1S[1]) }, l1[1] = { strlen(U1T) };
  const size_t *const lens[2] = { l0, l1 };
  const size_t n[2] = { 2, 1 };
  int rc = ieum_tm_open(&tm, tmp_path(name), IEUM_TM_CREATE);
  if (rc == 0)
    rc = ieum_tm_begin(tm);
  if (rc == 0)
    rc = ieum_tm_add_document(doc, tm, &d);
  if (rc == 0)
    rc = add(tm, *doc, 0, U0[0], U0[1], 0.95, "1-1");
  if (rc == 0)
    rc = add(tm, *doc, 1, joined, U1T, 0.40, "2-1");
  if (rc == 0)
    rc = ieum_review_set_segments(tm, *doc, 1, lens, n);
  if (rc == 0)
    rc = ieum_review_add_unaligned(tm, *doc, 2, 0, A2, strlen(A2), "credit");
  if (rc == 0)
    rc = ieum_review_add_unaligned(tm, *doc, 3, 1, A3, strlen(A3), "body");
  if (rc == 0)
    rc = add(tm, *doc, 4, U4[0], U4[1], 0.90, "1-1");
  if (rc == 0)
    rc = ieum_tm_commit(tm);
  ieum_tm_free(tm);
  return rc;
}

/* The rows of the document as "bead:src|tgt" lines (sentences joined by '+'), into buf. */
static const char *rows_text(ieum_buf *buf, ieum_tm *tm, int64_t doc)
{
  ieum_review_doc *d = NULL;
  buf->size = 0;
  if (ieum_review_doc_load(&d, tm, doc) != 0) {
    ieum__buf_puts(buf, "(load failed)");
    return buf->ptr;
  }
  for (size_t i = 0; i < d->n_rows; i++) {
    const ieum_review_row *r = &d->rows[i];
    ieum__buf_printf(buf, "%s%s:", i ? "\n" : "", r->bead);
    for (int s = 0; s < 2; s++) {
      for (size_t k = 0; k < r->n_seg[s]; k++)
        ieum__buf_printf(buf, "%s%s", k ? "+" : "", r->seg[s][k]);
      if (!s)
        ieum__buf_putc(buf, '|');
    }
  }
  ieum_review_doc_free(d);
  return buf->ptr ? buf->ptr : "";
}

/* The id of row i (kind in *kind). */
static int64_t row_id(ieum_tm *tm, int64_t doc, size_t i, int *kind)
{
  ieum_review_doc *d = NULL;
  int64_t id = 0;
  if (ieum_review_doc_load(&d, tm, doc) == 0 && i < d->n_rows) {
    id = d->rows[i].id;
    *kind = d->rows[i].kind;
  }
  ieum_review_doc_free(d);
  return id;
}

static int op(ieum_tm *tm, int64_t doc, int o, size_t row, void (*fill)(ieum_review_edit *))
{
  ieum_review_edit e = IEUM_REVIEW_EDIT_INIT;
  e.op = o;
  e.doc_id = doc;
  e.row_id = row_id(tm, doc, row, &e.row_kind);
  e.reviewer = "kim";
  if (fill)
    fill(&e);
  return ieum_review_apply(NULL, tm, &e);
}

static void split_1_1(ieum_review_edit *e) { e->src_at = 1; e->tgt_at = 1; }
static void below(ieum_review_edit *e) { e->direction = 1; }
static void above(ieum_review_edit *e) { e->direction = -1; }
static void above_src(ieum_review_edit *e) { e->direction = -1; e->side = 0; }
static const char *const new_src[2] = { "공사는 3월에 시작된다.", "완공은 내년이다." };
static void edit_src(ieum_review_edit *e) { e->side = 0; e->texts = new_src; e->n_texts = 2; }
static void edit_blank(ieum_review_edit *e) { static const char *const b[1] = { "  " }; e->texts = b; e->n_texts = 1; }

static int64_t q(ieum_tm *tm, const char *sql)
{
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static int count_cb(const ieum_unit *u, void *payload)
{
  (void)u;
  ++*(int *)payload;
  return 0;
}

static int summary_cb(const ieum_review_summary *s, void *payload)
{
  ieum_review_summary *out = payload;
  *out = *s;
  out->src_path = out->tgt_path = out->src_lang = out->tgt_lang = NULL;
  return 0;
}

static void test_tm_review__rows(void)
{
  ieum_tm *tm = NULL;
  ieum_buf b = IEUM_BUF_INIT;
  ieum_review_summary s;
  int64_t doc = 0;
  is_int(make_tm(&doc, "r.db"), IEUM_OK, "a TM with a document of five rows");
  is_int(ieum_tm_open(&tm, tmp_path("r.db"), IEUM_TM_WRITE), IEUM_OK, "opened");
  is_str(rows_text(&b, tm, doc),
         "1-1:서울시가 자전거 도로를 늘린다.|Seoul will add bike lanes.\n"
         "2-1:시는 14일 계획을 발표했다.+예산은 48억 원이다.|The city announced the plan on the 14th.\n"
         "1-0:사진=서울시|\n0-1:|The budget is 4.8 billion won.\n1-1:공사는 3월에 시작된다.|Work starts in March.",
         "units with their sentences, unaligned sentences where they fall");
  memset(&s, 0, sizeof s);
  is_int(ieum_review_documents(tm, 0.5, NULL, summary_cb, &s), IEUM_OK, "documents listed");
  ok(s.doc_id == doc && s.units == 3 && s.doubtful == 1 && s.unaligned == 2 && s.reviewed == 0,
     "counts: 3 units, 1 doubtful, 2 unaligned, none reviewed");
  memset(&s, 0, sizeof s);
  is_int(ieum_review_documents(tm, 0.5, "BUDGET", summary_cb, &s), IEUM_OK, "searched by text");
  is_int(s.doc_id, doc, "found by a word of an unaligned sentence, case folded");
  memset(&s, 0, sizeof s);
  ieum_review_documents(tm, 0.5, "부산", summary_cb, &s);
  is_int(s.doc_id, 0, "a word nowhere finds nothing");
  ieum_tm_free(tm);
  ieum_buf_dispose(&b);
}

static void test_tm_review__operations(void)
{
  ieum_tm *tm = NULL;
  ieum_buf b = IEUM_BUF_INIT;
  int64_t doc = 0;
  make_tm(&doc, "o.db");
  ieum_tm_open(&tm, tmp_path("o.db"), IEUM_TM_WRITE);

  is_int(op(tm, doc, IEUM_REVIEW_CONFIRM, 0, NULL), IEUM_OK, "confirm");
  is_int(q(tm, "SELECT count(*) FROM units WHERE review_status = 'confirmed' AND reviewer = 'kim' AND reviewed > 0"), 1,
         "the unit is confirmed, with reviewer and time");

  is_int(op(tm, doc, IEUM_REVIEW_SPLIT, 0, split_1_1), IEUM_EINVAL, "a 1-1 unit cannot be split");
  is_int(op(tm, doc, IEUM_REVIEW_SPLIT, 1, split_1_1), IEUM_OK, "split the 2-1 unit");
  is_str(rows_text(&b, tm, doc),
         "1-1:서울시가 자전거 도로를 늘린다.|Seoul will add bike lanes.\n"
         "1-1:시는 14일 계획을 발표했다.|The city announced the plan on the 14th.\n"
         "1-0:예산은 48억 원이다.|\n1-0:사진=서울시|\n0-1:|The budget is 4.8 billion won.\n"
         "1-1:공사는 3월에 시작된다.|Work starts in March.",
         "its second sentence is unaligned below it");
  is_int(op(tm, doc, IEUM_REVIEW_MERGE, 2, below), IEUM_EINVAL, "two source sentences cannot be merged");
  is_int(op(tm, doc, IEUM_REVIEW_NO_COUNTERPART, 3, NULL), IEUM_OK, "a credit has no counterpart");
  is_int(q(tm, "SELECT no_counterpart FROM unaligned WHERE text = '사진=서울시'"), 1, "marked");
  is_int(op(tm, doc, IEUM_REVIEW_DELETE, 3, NULL), IEUM_OK, "delete it");
  is_int(op(tm, doc, IEUM_REVIEW_MERGE, 3, above), IEUM_OK, "merge the English sentence into the Korean one above");
  is_str(rows_text(&b, tm, doc),
         "1-1:서울시가 자전거 도로를 늘린다.|Seoul will add bike lanes.\n"
         "1-1:시는 14일 계획을 발표했다.|The city announced the plan on the 14th.\n"
         "1-1:예산은 48억 원이다.|The budget is 4.8 billion won.\n"
         "1-1:공사는 3월에 시작된다.|Work starts in March.",
         "four 1-1 units");
  is_int(q(tm, "SELECT count(*) FROM units WHERE review_status = 'edited' AND score IS NULL"), 2,
         "the split and merged units are edited, their score unknown");
  is_int(op(tm, doc, IEUM_REVIEW_EDIT, 3, edit_blank), IEUM_EINVAL, "a blank sentence is refused");
  is_int(op(tm, doc, IEUM_REVIEW_EDIT, 3, edit_src), IEUM_OK, "edit the last source into two sentences");
  is_int(op(tm, doc, IEUM_REVIEW_MOVE, 3, below), IEUM_EINVAL, "nothing below the last row");
  is_int(op(tm, doc, IEUM_REVIEW_MOVE, 3, above_src), IEUM_OK, "move its first sentence up");
  const char *after_move =
    "1-1:서울시가 자전거 도로를 늘린다.|Seoul will add bike lanes.\n"
    "1-1:시는 14일 계획을 발표했다.|The city announced the plan on the 14th.\n"
    "2-1:예산은 48억 원이다.+공사는 3월에 시작된다.|The budget is 4.8 billion won.\n"
    "1-1:완공은 내년이다.|Work starts in March.";
  is_str(rows_text(&b, tm, doc), after_move, "the sentence joined the unit above");
  is_int(q(tm, "SELECT count(*) FROM (SELECT position FROM units WHERE doc_id = 1 UNION ALL"
               " SELECT position FROM unaligned WHERE doc_id = 1) WHERE position BETWEEN 0 AND 3"), 4,
         "positions are 0..3");
  int n = 0;
  const char *word[1] = { "완공은" };
  ieum_tm_concordance(tm, word, 1, 0, count_cb, &n);
  is_int(n, 1, "the search finds the edited text");
  n = 0;
  ieum_tm_foreach(tm, count_cb, &n);
  is_int(n, 4, "the TM has four units");

  is_int(ieum_review_undo(tm, doc), IEUM_OK, "undo the move");
  is_str(rows_text(&b, tm, doc),
         "1-1:서울시가 자전거 도로를 늘린다.|Seoul will add bike lanes.\n"
         "1-1:시는 14일 계획을 발표했다.|The city announced the plan on the 14th.\n"
         "1-1:예산은 48억 원이다.|The budget is 4.8 billion won.\n"
         "2-1:공사는 3월에 시작된다.+완공은 내년이다.|Work starts in March.",
         "back to the edit");
  is_int(ieum_review_redo(tm, doc), IEUM_OK, "redo it");
  is_str(rows_text(&b, tm, doc), after_move, "the move again");
  is_int(ieum_review_redo(tm, doc), IEUM_ENOTFOUND, "nothing more to redo");
  for (int k = 0; k < 6; k++)
    ieum_review_undo(tm, doc);
  is_str(rows_text(&b, tm, doc),
         "1-1:서울시가 자전거 도로를 늘린다.|Seoul will add bike lanes.\n"
         "2-1:시는 14일 계획을 발표했다.+예산은 48억 원이다.|The city announced the plan on the 14th.\n"
         "1-0:사진=서울시|\n0-1:|The budget is 4.8 billion won.\n1-1:공사는 3월에 시작된다.|Work starts in March.",
         "six undos: back to the document as aligned (the confirmation still done)");
  is_int(q(tm, "SELECT count(*) FROM units WHERE review_status = 'confirmed'"), 1, "the first operation stands");
  is_int(ieum_review_undo(tm, doc), IEUM_OK, "undo the confirmation");
  is_int(q(tm, "SELECT count(*) FROM units WHERE review_status IS NOT NULL"), 0, "nothing reviewed");
  is_int(ieum_review_undo(tm, doc), IEUM_ENOTFOUND, "nothing more to undo");
  is_int(op(tm, doc, IEUM_REVIEW_CONFIRM, 4, NULL), IEUM_OK, "a new operation");
  ieum_review_doc *d = NULL;
  ieum_review_doc_load(&d, tm, doc);
  ok(d && d->can_undo && !d->can_redo, "drops what could be redone");
  ieum_review_doc_free(d);

  /* Someone else changes the document: the undo is refused, the TM untouched. */
  sqlite3_exec(tm->db, "UPDATE units SET tgt = 'Work begins in March.' WHERE tgt = 'Work starts in March.'", NULL,
               NULL, NULL);
  is_int(ieum_review_undo(tm, doc), IEUM_EEXISTS, "an undo over a change made meanwhile is refused");
  ok(strstr(ieum_error_last()->message, "changed since") != NULL, "saying so: %s", ieum_error_last()->message);
  is_int(q(tm, "SELECT count(*) FROM units WHERE review_status IS NOT NULL"), 1, "nothing undone");

  /* A unit deleted meanwhile. */
  ieum_review_edit e = IEUM_REVIEW_EDIT_INIT;
  e.op = IEUM_REVIEW_CONFIRM;
  e.doc_id = doc;
  e.row_id = row_id(tm, doc, 0, &e.row_kind);
  sqlite3_exec(tm->db, "DELETE FROM units WHERE position = 0", NULL, NULL, NULL);
  is_int(ieum_review_apply(NULL, tm, &e), IEUM_ENOTFOUND, "a unit deleted meanwhile");
  ok(strstr(ieum_error_last()->message, "meanwhile") != NULL, "saying so: %s", ieum_error_last()->message);
  e.doc_id = 99;
  is_int(ieum_review_apply(NULL, tm, &e), IEUM_ENOTFOUND, "no such document");
  ieum_tm_free(tm);

  ieum_tm_open(&tm, tmp_path("o.db"), IEUM_TM_READ);
  e.doc_id = doc;
  is_int(ieum_review_apply(NULL, tm, &e), IEUM_EDB, "a read-only TM is not changed");
  ieum_tm_free(tm);
  ieum_buf_dispose(&b);
}

/* The aligner's store keeps every sentence of the pair: in units or as unaligned sentences. */
static void test_tm_review__store_keeps_every_sentence(void)
{
  static const char ko[] =
    "서울시가 내년부터 자전거 도로를 두 배로 늘린다.\n"
    "시는 14일 이런 내용의 계획을 발표했다.\n"
    "사업비는 48억5천만 원이다.\n"
    "사진=서울시\n"
    "공사는 3월에 시작된다.\n";
  static const char en[] =
    "Seoul will double its bike lanes from next year.\n"
    "The city announced the plan on the 14th.\n"
    "The project will cost 4.85 billion won.\n"
    "Work will start in March. It will end in December.\n";
  ieum_pipeline_options po = IEUM_PIPELINE_OPTIONS_INIT;
  ieum_aligned_pair *p = NULL;
  ieum_tm *tm = NULL;
  ieum_review_doc *d = NULL;
  int64_t doc = 0;
  po.tm_path = tmp_path("s.db");
  po.store = 1;
  po.force = 1;
  po.threads = 1;
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &po), IEUM_OK, "aligned and stored");
  ieum_aligned_pair_stored(p, &doc);
  is_int(ieum_tm_open(&tm, tmp_path("s.db"), IEUM_TM_READ), IEUM_OK, "opened");
  is_int(ieum_review_doc_load(&d, tm, doc), IEUM_OK, "its rows");
  size_t n[2] = { 0, 0 };
  for (size_t i = 0; d && i < d->n_rows; i++)
    for (int s = 0; s < 2; s++)
      n[s] += d->rows[i].n_seg[s];
  is_int((int64_t)n[0], (int64_t)ieum_doc_count(ieum_aligned_pair_doc(p, 0)), "every source sentence is a row's");
  is_int((int64_t)n[1], (int64_t)ieum_doc_count(ieum_aligned_pair_doc(p, 1)), "every target sentence is a row's");
  ieum_review_doc_free(d);
  ieum_tm_free(tm);
  ieum_aligned_pair_free(p);
}

typedef struct {
  ieum_export *e;
} export_sink;

static int export_cb(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  return ieum_export_add(((export_sink *)payload)->e, u, props, n);
}

/* Exports r.db's units with `opts` to `name` and returns the file's text in buf. */
static const char *export_text(ieum_buf *buf, ieum_tm *tm, const char *name, ieum_export_options *opts, size_t *review_skipped)
{
  export_sink k = { NULL };
  buf->size = 0;
  if (ieum_export_open(&k.e, tmp_path(name), opts) != 0)
    return "(open failed)";
  ieum_tm_foreach_with_props(tm, export_cb, &k);
  *review_skipped = ieum_export_review_skipped(k.e);
  if (ieum_export_close(k.e) != 0)
    return "(close failed)";
  FILE *f = fopen(tmp_path(name), "rb");
  char chunk[4096];
  size_t got;
  while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
    ieum__buf_put(buf, chunk, got);
  if (f)
    fclose(f);
  return buf->ptr ? buf->ptr : "";
}

/* What a review decided reaches the exports: props, filters, XLIFF states. */
static void test_tm_review__export(void)
{
  ieum_tm *tm = NULL;
  ieum_buf b = IEUM_BUF_INIT;
  int64_t doc = 0;
  size_t left = 0;
  make_tm(&doc, "x.db");
  ieum_tm_open(&tm, tmp_path("x.db"), IEUM_TM_WRITE);
  op(tm, doc, IEUM_REVIEW_CONFIRM, 4, NULL);         /* 공사는 ... (0.90): confirmed */
  ieum_export_options o = IEUM_EXPORT_OPTIONS_INIT;
  const char *t = export_text(&b, tm, "all.tmx", &o, &left);
  ok(strstr(t, "<prop type=\"x-review-status\">confirmed</prop>") && strstr(t, "<prop type=\"x-reviewer\">kim</prop>") &&
     strstr(t, "<prop type=\"x-reviewed\">"), "TMX: the review as props");
  is_int(left, 0, "every unit exported");
  o.reviewed_only = 1;
  t = export_text(&b, tm, "reviewed.tmx", &o, &left);
  ok(strstr(t, "공사는") && !strstr(t, "서울시가"), "--reviewed-only: the confirmed unit alone");
  is_int(left, 2, "the other two counted");
  o.reviewed_only = 0;
  o.min_score = 0.93;
  t = export_text(&b, tm, "min.tmx", &o, &left);
  ok(strstr(t, "서울시가") && strstr(t, "공사는") && !strstr(t, "시는 14일"),
     "--min-score 0.93: the 0.95 unit and the reviewed 0.90 one, not the 0.40 one");
  o.min_score = 0;
  o.format = IEUM_EXPORT_XLIFF;
  o.doubt_threshold = 0.5;
  t = export_text(&b, tm, "states.xlf", &o, &left);
  ok(strstr(t, "<segment state=\"final\" subState=\"ieum:confirmed\">") != NULL, "XLIFF: reviewed is final");
  ok(strstr(t, "<segment state=\"translated\" subState=\"ieum:needs-review-translation\">") != NULL,
     "under the threshold: needs review");
  ok(strstr(t, "<segment state=\"translated\">") != NULL, "others translated");
  o.min_score = 1.5;
  export_sink k = { NULL };
  is_int(ieum_export_open(&k.e, tmp_path("bad.tmx"), &o), IEUM_EINVAL, "a min_score over 1 is refused");
  ieum_tm_free(tm);
  ieum_buf_dispose(&b);
}

/* Three low-scored units teach nothing until a reviewer confirms them (tm learn prefers reviewed units). */
static void test_tm_review__learn_prefers_reviewed(void)
{
  static const char *const pairs[3][2] = {
    { "자전거 이용자가 늘었다.", "Bicycle riders increased." },
    { "자전거 도로가 생겼다.", "A bicycle road opened." },
    { "시민은 자전거를 탄다.", "Citizens ride a bicycle." },
  };
  ieum_tm *tm = NULL;
  ieum_tm_document d = { "pair", "bike.ko.txt", "bike.en.txt", "ko", "en", "33333333333333333333333333333333" };
  int64_t doc = 0;
  size_t n = 9;
  ieum_tm_open(&tm, tmp_path("l.db"), IEUM_TM_CREATE);
  ieum_tm_begin(tm);
  ieum_tm_add_document(&doc, tm, &d);
  for (int k = 0; k < 3; k++)
    add(tm, doc, k, pairs[k][0], pairs[k][1], 0.30, "1-1");
  ieum_tm_commit(tm);
  is_int(ieum_tm_learn(&n, tm, NULL), IEUM_OK, "learn");
  is_int((int64_t)n, 0, "nothing from units scoring 0.30");
  for (size_t k = 0; k < 3; k++)
    op(tm, doc, IEUM_REVIEW_CONFIRM, k, NULL);
  is_int(ieum_tm_learn(&n, tm, NULL), IEUM_OK, "learn again");
  ok(n >= 1, "the confirmed units teach %zu pairs", n);
  is_int(q(tm, "SELECT count(*) FROM lexicon WHERE src = '자전거' AND tgt = 'bicycle' AND origin = 'learned'"), 1,
         "자전거 = bicycle among them");
  ieum_tm_free(tm);
}

static int count_props_cb(const ieum_unit *u, const ieum_unit_prop *p, size_t n, void *payload)
{
  (void)u;
  (void)p;
  (void)n;
  ++*(int *)payload;
  return 0;
}

/* A TM of schema version 5 (no review columns or tables): read-only as it is, migrated for writing. */
static void test_tm_review__older_tm(void)
{
  sqlite3 *db = NULL;
  ieum_tm *tm = NULL;
  ieum_review_doc *d = NULL;
  int64_t doc = 0;
  int n = 0;
  make_tm(&doc, "v5.db");
  sqlite3_open(tmp_path("v5.db"), &db);
  int src = sqlite3_exec(db, "DROP TABLE unaligned; DROP TABLE review_log;"
                             "ALTER TABLE units DROP COLUMN review_status; ALTER TABLE units DROP COLUMN reviewer;"
                             "ALTER TABLE units DROP COLUMN reviewed; ALTER TABLE units DROP COLUMN src_segs;"
                             "ALTER TABLE units DROP COLUMN tgt_segs; PRAGMA user_version=5;",
                         NULL, NULL, NULL);
  sqlite3_close(db);
  is_int(src, SQLITE_OK, "a version-5 TM made");
  is_int(ieum_tm_open(&tm, tmp_path("v5.db"), IEUM_TM_READ), IEUM_OK, "opened read-only");
  is_int(ieum_tm_foreach_with_props(tm, count_props_cb, &n), IEUM_OK, "its units read with their props");
  is_int(n, 3, "all three");
  is_int(ieum_review_doc_load(&d, tm, doc), IEUM_EDB, "no review rows without the review tables");
  ieum_tm_free(tm);
  is_int(ieum_tm_open(&tm, tmp_path("v5.db"), IEUM_TM_WRITE), IEUM_OK, "opened for writing");
  is_int(q(tm, "PRAGMA user_version"), IEUM_TM__SCHEMA_VERSION, "migrated to the current version");
  is_int(ieum_review_doc_load(&d, tm, doc), IEUM_OK, "its rows read");
  is_int(d ? (int64_t)d->n_rows : -1, 3, "its three units (the unaligned sentences were never stored)");
  ieum_review_doc_free(d);
  is_int(op(tm, doc, IEUM_REVIEW_CONFIRM, 0, NULL), IEUM_OK, "and reviewed");
  ieum_tm_free(tm);
}

/* tm merge brings a reviewed document's review and its unaligned sentences along. */
static void test_tm_review__merge(void)
{
  ieum_tm *tm = NULL;
  ieum_tm_merge_stats st;
  int64_t doc = 0;
  make_tm(&doc, "m1.db");
  ieum_tm_open(&tm, tmp_path("m1.db"), IEUM_TM_WRITE);
  op(tm, doc, IEUM_REVIEW_CONFIRM, 0, NULL);
  ieum_tm_free(tm);
  ieum_tm_open(&tm, tmp_path("m2.db"), IEUM_TM_CREATE);
  is_int(ieum_tm_merge(&st, tm, tmp_path("m1.db")), IEUM_OK, "merged into an empty TM");
  is_int(q(tm, "SELECT count(*) FROM units WHERE review_status = 'confirmed' AND reviewer = 'kim'"), 1,
         "the confirmation came along");
  is_int(q(tm, "SELECT count(*) FROM units WHERE src_segs IS NOT NULL"), 1, "and the sentences of the 2-1 unit");
  is_int(q(tm, "SELECT count(*) FROM unaligned"), 2, "and the unaligned sentences");
  is_int(ieum_tm_merge(&st, tm, tmp_path("m1.db")), IEUM_OK, "merged again");
  is_int(q(tm, "SELECT count(*) FROM unaligned"), 2, "adds nothing twice");
  ieum_tm_free(tm);
}

/* Out of memory at every allocation of a split, then of its undo: an error or the whole operation, never half. */
static void test_tm_review__oom(void)
{
  ieum_tm *tm = NULL;
  ieum_buf before = IEUM_BUF_INIT, now = IEUM_BUF_INIT, after = IEUM_BUF_INIT;
  int64_t doc = 0;
  make_tm(&doc, "oom.db");
  ieum_tm_open(&tm, tmp_path("oom.db"), IEUM_TM_WRITE);
  rows_text(&before, tm, doc);
  int half = 0, failures = 0, done = 0;
  long n;
  for (n = 0; n < 5000 && !done; n++) {
    ieum_review_edit e = IEUM_REVIEW_EDIT_INIT;
    e.op = IEUM_REVIEW_SPLIT;
    e.doc_id = doc;
    e.row_id = row_id(tm, doc, 1, &e.row_kind);
    e.src_at = e.tgt_at = 1;
    ieum__alloc_fail_after(n);
    int rc = ieum_review_apply(NULL, tm, &e);
    ieum__alloc_fail_after(-1);
    rows_text(&now, tm, doc);
    if (rc == 0) {
      done = 1;
      rows_text(&after, tm, doc);
    } else {
      failures++;
      half += strcmp(now.ptr, before.ptr) != 0 || rc != IEUM_ENOMEM;
    }
  }
  ok(done, "with room enough the split is done (after %d failures)", failures);
  is_int(half, 0, "every failure left the document as it was, with IEUM_ENOMEM");
  half = done = 0;
  for (n = 0; n < 5000 && !done; n++) {
    ieum__alloc_fail_after(n);
    int rc = ieum_review_undo(tm, doc);
    ieum__alloc_fail_after(-1);
    rows_text(&now, tm, doc);
    if (rc == 0)
      done = 1;
    else
      half += strcmp(now.ptr, after.ptr) != 0;
  }
  ok(done && !strcmp(now.ptr, before.ptr), "the undo too, back to the rows as aligned");
  is_int(half, 0, "its failures left the split in place");
  ieum_tm_free(tm);
  ieum_buf_dispose(&before);
  ieum_buf_dispose(&now);
  ieum_buf_dispose(&after);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-review-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_review__rows();
  test_tm_review__operations();
  test_tm_review__store_keeps_every_sentence();
  test_tm_review__export();
  test_tm_review__learn_prefers_reviewed();
  test_tm_review__older_tm();
  test_tm_review__merge();
  test_tm_review__oom();
  remove_tmpdir();
  return done_testing();
}
