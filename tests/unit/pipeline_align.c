/*
** tests/unit/pipeline_align.c: one document pair through the library's
** pipeline (pipeline/pair.c, include/ieum/pipeline.h): two texts, the same
** texts as files (the same beads), an HTML pair (headline first, the pages
** kept), the store into a scratch TM (added, then already there), a pair
** that is refused (and kept with force), and inputs that fail with a
** message naming their file.  Fixtures are written here; the HTML pair is
** tests/data/html.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ieum.h>

#include "tap.h"
#include "tmpdir.h"

static const char ko[] =
  "서울시가 내년부터 침수 예보 시스템을 도입한다.\n"
  "시는 강우량 자료를 분석해 침수 위험 지역을 미리 알린다.\n"
  "시스템은 2025년 6월부터 25개 자치구에서 운영된다.\n"
  "오세훈 시장은 시민의 안전을 최우선으로 하겠다고 말했다.\n";
static const char en[] =
  "Seoul will introduce a flood forecasting system next year.\n"
  "The city will analyze rainfall data and warn of areas at risk of flooding in advance.\n"
  "The system will run in 25 districts from June 2025.\n"
  "Mayor Oh Se-hoon said the city would put the safety of citizens first.\n";

static int write_file(const char *path, const char *s)
{
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs(s, f);
  return fclose(f);
}

/* The ladder of `p` as text, "[0]:[0] [1]:[1] ...". */
static void ladder(char *out, size_t size, const ieum_aligned_pair *p)
{
  const ieum_alignment *al = ieum_aligned_pair_alignment(p);
  size_t n = 0;
  out[0] = '\0';
  for (size_t k = 0; k < ieum_alignment_count(al) && n < size; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    n += (size_t)snprintf(out + n, size - n, "%s%zu+%u:%zu+%u", k ? " " : "", b->src_start, (unsigned)b->src_n,
                          b->tgt_start, (unsigned)b->tgt_n);
  }
}

static int count_unit(const ieum_unit *u, void *payload)
{
  (void)u;
  (*(int *)payload)++;
  return 0;
}

static void test_pipeline_align__texts(void)
{
  ieum_aligned_pair *p = NULL;
  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  o.src_name = "ko-text";
  o.tgt_name = "en-text";
  int rc = ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o);
  is_int(rc, 0, "two texts align");
  if (!p)
    return;
  is_int((long)ieum_doc_count(ieum_aligned_pair_doc(p, 0)), 4, "four source sentences");
  is_int((long)ieum_doc_count(ieum_aligned_pair_doc(p, 1)), 4, "four target sentences");
  char l[256];
  ladder(l, sizeof l, p);
  is_str(l, "0+1:0+1 1+1:1+1 2+1:2+1 3+1:3+1", "four 1-1 beads");
  ieum_buf t = IEUM_BUF_INIT;
  const ieum_bead *b = ieum_alignment_bead(ieum_aligned_pair_alignment(p), 2);
  ok(ieum_bead_text(&t, ieum_aligned_pair_doc(p, 1), b, 1) == 0 && t.ptr &&
       !strcmp(t.ptr, "The system will run in 25 districts from June 2025."),
     "a bead's target text");
  ieum_buf_dispose(&t);
  ok(b->score > 0.5, "a clear bead is confident (%.3f)", b->score);
  is_str(ieum_aligned_pair_name(p, 0), "ko-text", "the source's name");
  is_int((long)strlen(ieum_aligned_pair_hash(p)), 32, "a content hash");
  ok(ieum_aligned_pair_article(p, 0) == NULL, "text input has no page");
  ok(ieum_aligned_pair_warning(p) == NULL, "no warning");
  is_int(ieum_aligned_pair_stored(p, NULL), IEUM_STORE_NONE, "not stored");
  int n = 0;
  is_int(ieum_pipeline_foreach_unit(p, 0, "doc", count_unit, &n), 0, "units walked");
  is_int(n, 4, "one unit per two-sided bead");
  ieum_aligned_pair_free(p);
  ieum_aligned_pair_free(NULL);
}

static void test_pipeline_align__files(void)
{
  ieum_aligned_pair *p = NULL, *q = NULL;
  const char *src = tmp_path("ko.txt"), *tgt = tmp_path("en.txt");
  ok(write_file(src, ko) == 0 && write_file(tgt, en) == 0, "fixture files written");
  is_int(ieum_pipeline_align_files(&p, src, tgt, NULL), 0, "two files align with the default options");
  is_int(ieum_pipeline_align_texts(&q, ko, strlen(ko), en, strlen(en), NULL), 0, "their texts too");
  if (p && q) {
    char a[256], b[256];
    ladder(a, sizeof a, p);
    ladder(b, sizeof b, q);
    is_str(a, b, "files and texts give the same ladder");
    is_str(ieum_aligned_pair_hash(p), ieum_aligned_pair_hash(q), "and the same content hash");
    is_str(ieum_aligned_pair_name(p, 1), tgt, "a file is named by its path");
  }
  ieum_aligned_pair_free(p);
  ieum_aligned_pair_free(q);
}

static void test_pipeline_align__paragraph_roles(void)
{
  const char *dir = getenv("IEUM_TEST_DATA");
  char path[512];
  ieum_article *a = NULL;
  if (!dir) {
    ok(0, "IEUM_TEST_DATA is set");
    return;
  }
  snprintf(path, sizeof path, "%s/html/ko_news.html", dir);
  if (ieum_html_load(&a, path, NULL) != IEUM_OK) {
    ok(0, "ko_news.html loads");
    return;
  }
  size_t n = ieum_html_paragraph_count(a);
  int roles[64], body = 0, valid = 1;
  ok(n > 0 && n < 64, "ko_news.html has paragraphs (%zu)", n);
  if (n >= 64)
    n = 63;
  roles[n] = -7;
  is_int(ieum_pipeline_paragraph_roles(a, roles, n + 5), IEUM_OK, "roles of every paragraph");
  for (size_t i = 0; i < n; i++) {
    body += roles[i] == IEUM_ROLE_BODY;
    valid &= ieum_segment_role_name(roles[i]) != NULL;
  }
  ok(body > 0, "the body paragraphs have the role body");
  ok(valid, "each role has a name");
  is_int(roles[n], -7, "n past the count is cut to it: nothing written beyond");
  is_int(ieum_pipeline_paragraph_roles(a, roles, 0), IEUM_OK, "n = 0 is a no-op");
  ieum_html_free(a);

  const char *page = "<html><head><title>t</title></head><body><article><h1>부산시 새 정책 발표</h1>"
                     "<p>부산시가 새 교통 정책을 발표했다. 시는 내년부터 버스 노선을 바꾼다고 밝혔다.</p>"
                     "<p>시 관계자는 시민 의견을 듣겠다고 말했다. 정책은 3월에 시행된다.</p>"
                     "<p>무단전재 및 재배포 금지</p></article></body></html>";
  if (ieum_html_extract(&a, page, strlen(page), "mem.html", NULL) != IEUM_OK) {
    ok(0, "the inline page extracts");
    return;
  }
  n = ieum_html_paragraph_count(a);
  int r2[8] = { 0 };
  ok(n >= 2 && n <= 8, "the inline page has its paragraphs (%zu)", n);
  if (n > 8)
    n = 8;
  is_int(ieum_pipeline_paragraph_roles(a, r2, n), IEUM_OK, "roles of the inline page");
  is_int(r2[0], IEUM_ROLE_BODY, "its first paragraph is body");
  if (n >= 3)
    ok(r2[n - 1] != IEUM_ROLE_BODY, "the copyright line is not body (%s)", ieum_segment_role_name(r2[n - 1]));
  ieum_html_free(a);
}

static void test_pipeline_align__html(void)
{
  const char *dir = getenv("IEUM_TEST_DATA");
  char src[512], tgt[512];
  ieum_aligned_pair *p = NULL;
  if (!dir) {
    ok(0, "IEUM_TEST_DATA is set");
    return;
  }
  snprintf(src, sizeof src, "%s/html/ko_news.html", dir);
  snprintf(tgt, sizeof tgt, "%s/html/en_news.html", dir);
  is_int(ieum_pipeline_align_files(&p, src, tgt, NULL), 0, "an HTML pair aligns");
  if (!p)
    return;
  ok(ieum_aligned_pair_article(p, 0) && ieum_aligned_pair_article(p, 1), "both pages are kept");
  ok(ieum_html_meta(ieum_aligned_pair_article(p, 0), "headline") != NULL, "with their headline");
  const ieum_segment *s0 = ieum_doc_segment(ieum_aligned_pair_doc(p, 0), 0);
  ok(s0 && s0->role == IEUM_ROLE_HEADLINE, "the headline is the first segment");
  const ieum_bead *b = ieum_alignment_bead(ieum_aligned_pair_alignment(p), 0);
  ok(b->src_start == 0 && b->src_n == 1 && b->tgt_start == 0 && b->tgt_n == 1, "and pairs with the other's");
  ieum_aligned_pair_free(p);

  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  o.from = IEUM_INPUT_TEXT;
  is_int(ieum_pipeline_align_files(&p, src, tgt, &o), IEUM_EINVAL, "a page read as text is refused");
  ieum_aligned_pair_free(p);
}

static void test_pipeline_align__store(void)
{
  ieum_aligned_pair *p = NULL;
  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  int64_t id = 0, id2 = 0;
  o.tm_path = tmp_path("store.db");
  o.store = 1;
  o.src_name = "ko.txt";
  o.tgt_name = "en.txt";
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o), 0, "align and store");
  if (p) {
    is_int(ieum_aligned_pair_stored(p, &id), IEUM_STORE_ADDED, "added to a new TM");
    ok(id > 0, "as document %lld", (long long)id);
  }
  ieum_aligned_pair_free(p);
  p = NULL;
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o), 0, "the same pair again");
  if (p) {
    is_int(ieum_aligned_pair_stored(p, &id2), IEUM_STORE_EXISTS, "is already there");
    is_int((long)id2, (long)id, "as the same document");
    is_int(ieum_pipeline_store_path(NULL, o.tm_path, p, 0), IEUM_EEXISTS, "storing it once more: IEUM_EEXISTS");
  }
  ieum_aligned_pair_free(p);
  ieum_tm *tm = NULL;
  ieum_tm_stats st;
  ok(ieum_tm_open(&tm, o.tm_path, IEUM_TM_READ) == 0 && ieum_tm_stats_get(&st, tm) == 0, "the TM reads");
  if (tm) {
    is_int((long)st.documents, 1, "one document");
    is_int((long)st.units, 4, "four units");
  }
  ieum_tm_free(tm);

  /* min_score: units under it are not stored */
  o.tm_path = tmp_path("strict.db");
  o.min_score = 1.01;
  p = NULL;
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o), 0, "stored with min_score above 1");
  ieum_aligned_pair_free(p);
  tm = NULL;
  ok(ieum_tm_open(&tm, o.tm_path, IEUM_TM_READ) == 0 && ieum_tm_stats_get(&st, tm) == 0 && st.documents == 1 &&
       st.units == 0,
     "a document and no unit");
  ieum_tm_free(tm);

  o.store = 1;
  o.tm_path = NULL;
  p = NULL;
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o), IEUM_EINVAL, "store needs tm_path");
  ok(p == NULL, "*out is NULL on failure");
}

static void test_pipeline_align__refused(void)
{
  ieum_aligned_pair *p = NULL;
  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  o.src_name = "a.txt";
  o.tgt_name = "b.txt";
  /* the English text on both sides */
  int rc = ieum_pipeline_align_texts(&p, en, strlen(en), en, strlen(en), &o);
  is_int(rc, IEUM_EINVAL, "the same text twice is refused");
  ok(p == NULL, "nothing is returned");
  const ieum_error *e = ieum_error_last();
  ok(e && strstr(e->message, "a.txt + b.txt: ") == e->message, "the message names both: %s", e ? e->message : "");
  o.force = 1;
  is_int(ieum_pipeline_align_texts(&p, en, strlen(en), en, strlen(en), &o), 0, "with force it is kept");
  ok(p && ieum_aligned_pair_warning(p) && strstr(ieum_aligned_pair_warning(p), "a.txt + b.txt: "),
     "and the refusal is the warning");
  ieum_aligned_pair_free(p);
}

static void test_pipeline_align__bad_input(void)
{
  ieum_aligned_pair *p = NULL;
  const char *empty = tmp_path("empty.txt"), *good = tmp_path("good.txt");
  ok(write_file(empty, "") == 0 && write_file(good, en) == 0, "fixtures written");
  is_int(ieum_pipeline_align_files(&p, good, empty, NULL), IEUM_EINVAL, "an empty target fails");
  const ieum_error *e = ieum_error_last();
  char want[600];
  snprintf(want, sizeof want, "%s: file is empty", empty);
  is_str(e ? e->message : "", want, "naming the file");
  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  o.src_name = "blank";
  is_int(ieum_pipeline_align_texts(&p, " \n\t", 3, en, strlen(en), &o), IEUM_EINVAL, "a blank text fails");
  e = ieum_error_last();
  is_str(e ? e->message : "", "blank: holds no text (only white space)", "saying so (a text, not a file)");
  is_int(ieum_pipeline_align_texts(&p, "caf\xe9 \xff", 6, en, strlen(en), &o), IEUM_EENCODING,
         "bytes that are no text fail");
  e = ieum_error_last();
  ok(e && !strncmp(e->message, "blank: ", 7), "naming the text: %s", e ? e->message : "");
  is_int(ieum_pipeline_align_files(&p, tmp_path("missing.txt"), good, NULL), IEUM_ENOTFOUND, "a missing file fails");
  o.version = 99;
  is_int(ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o), IEUM_EINVAL, "a bad version fails");
  ok(p == NULL, "and *out stays NULL");
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "%s/ieum-pipeline-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(tmpdir)) {
    ok(0, "mkdtemp");
    return done_testing();
  }
  test_pipeline_align__texts();
  test_pipeline_align__files();
  test_pipeline_align__html();
  test_pipeline_align__paragraph_roles();
  test_pipeline_align__store();
  test_pipeline_align__refused();
  test_pipeline_align__bad_input();
  remove_tmpdir();
  return done_testing();
}
