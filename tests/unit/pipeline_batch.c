/*
** tests/unit/pipeline_batch.c: the library's batch engine (pipeline/batch.c)
** and its pairing rules (pipeline/pairs.c) over a scratch folder: pairing
** by name (language suffixes, a file without a partner, a name two files
** share), a manifest (a malformed line), a run with two workers whose
** outcomes arrive in input order with progress calls, a failed pair that
** does not stop it, a resume that skips every stored pair, a cancelled
** batch (pairs never started, then resumed), and bad calls.
*/
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ieum.h>

#include "tap.h"

static char root[256];

static const char *path_of(const char *rel)
{
  static char paths[4][512];
  static int next;
  char *p = paths[next++ & 3];
  snprintf(p, sizeof paths[0], "%s/%s", root, rel);
  return p;
}

static int write_file(const char *rel, const char *s)
{
  FILE *f = fopen(path_of(rel), "w");
  if (!f)
    return -1;
  fputs(s, f);
  return fclose(f);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

/* Article pair `i`: three sentences a side. */
static int write_pair(const char *ko_rel, const char *en_rel, int i)
{
  char ko[512], en[512];
  snprintf(ko, sizeof ko, "%d번 기사의 첫 문장이다.\n정부는 %d일 새 정책을 발표했다.\n시민들은 환영했다.\n", i, i + 1);
  snprintf(en, sizeof en, "The first sentence of article %d.\nThe government announced a new policy on the %dth.\n"
           "Citizens welcomed it.\n", i, i + 1);
  return write_file(ko_rel, ko) || write_file(en_rel, en);
}

typedef struct {
  size_t events, last_index, progress_calls, stopping_calls;
  int in_order;
  int outcomes[4];
  int64_t last_doc;
  int doc_ids_rise;
  int cancel_at;          /* ask to stop at this progress call (1-based); 0 = never */
  ieum_batch_progress stop_seen;
} watch;

static int on_pair(const ieum_batch_event *e, void *payload)
{
  watch *w = payload;
  if (w->events && e->index <= w->last_index)
    w->in_order = 0;
  w->last_index = e->index;
  w->events++;
  w->outcomes[e->outcome]++;
  if (e->outcome == IEUM_BATCH_STORED) {
    if (e->doc_id <= w->last_doc)
      w->doc_ids_rise = 0;
    w->last_doc = e->doc_id;
  }
  return 0;
}

static int on_progress(const ieum_batch_progress *p, void *payload)
{
  watch *w = payload;
  if (p->stopping) {
    w->stopping_calls++;
    w->stop_seen = *p;
    return 0;
  }
  w->progress_calls++;
  return w->cancel_at && (int)w->progress_calls == w->cancel_at;
}

static void watch_init(watch *w)
{
  memset(w, 0, sizeof *w);
  w->in_order = 1;
  w->doc_ids_rise = 1;
}

static void test_pipeline_batch__pairing(void)
{
  ieum_pair_list *l = NULL;
  mkdir(path_of("ko"), 0755);
  mkdir(path_of("en"), 0755);
  mkdir(path_of("ko/sub"), 0755);
  mkdir(path_of("en/sub"), 0755);
  ok(write_pair("ko/a.txt", "en/a.txt", 1) == 0 && write_pair("ko/b.ko.txt", "en/b.en.txt", 2) == 0 &&
       write_pair("ko/sub/c.txt", "en/sub/c.txt", 3) == 0,
     "three pairs written");
  ok(write_file("ko/only.txt", "혼자 남은 기사.\n") == 0, "a file without a partner");
  ok(write_file("ko/twin.txt", "같은 이름.\n") == 0 && write_file("ko/twin.ko.txt", "같은 이름.\n") == 0 &&
       write_file("en/twin.txt", "Same name.\n") == 0,
     "a name two source files share");
  ok(write_file("ko/empty.txt", "빈 짝.\n") == 0 && write_file("en/empty.txt", "") == 0, "an empty target");
  ok(write_file("ko/.hidden.txt", "숨김.\n") == 0, "a hidden file");
  is_int(ieum_pair_list_from_dirs(&l, path_of("ko"), path_of("en"), NULL), 0, "the folders pair");
  if (!l)
    return;
  is_int((long)ieum_pair_list_count(l), 4, "a, b, empty and sub/c");
  ok(strstr(ieum_pair_list_path(l, 0, 0), "/ko/a.txt") && strstr(ieum_pair_list_path(l, 0, 1), "/en/a.txt"),
     "sorted by pairing name: a first");
  ok(strstr(ieum_pair_list_path(l, 1, 0), "/ko/b.ko.txt") && strstr(ieum_pair_list_path(l, 1, 1), "/en/b.en.txt"),
     "the language suffixes are removed for pairing");
  is_int((long)ieum_pair_list_note_count(l, IEUM_NOTE_UNMATCHED), 4, "two twins, one lone file each side");
  int lone = 0, twin = 0;
  for (size_t i = 0; i < ieum_pair_list_note_count(l, IEUM_NOTE_UNMATCHED); i++) {
    const char *n = ieum_pair_list_note(l, IEUM_NOTE_UNMATCHED, i);
    lone += strstr(n, "only.txt: no file in") != NULL;
    twin += strstr(n, ": ambiguous: ") != NULL;
  }
  ok(lone == 1 && twin == 2, "each with its reason");
  is_int((long)ieum_pair_list_note_count(l, IEUM_NOTE_LINK), 0, "no link");
  ieum_pair_list_free(l);
  l = NULL;

  is_int(ieum_pair_list_from_dirs(&l, path_of("nowhere"), path_of("en"), NULL), IEUM_ENOTFOUND, "a missing folder");
  const ieum_error *e = ieum_error_last();
  ok(e && strstr(e->message, "nowhere: no such directory"), "is named: %s", e ? e->message : "");
  ok(l == NULL, "*out is NULL on failure");
  is_int(ieum_pair_list_from_dirs(&l, path_of("ko/a.txt"), path_of("en"), NULL), IEUM_EINVAL, "a file is no folder");

  char manifest[2048];
  snprintf(manifest, sizeof manifest, "# pairs\nko/a.txt\ten/a.txt\n\nko/b.ko.txt en/b.en.txt\n%s\t%s\n",
           path_of("ko/sub/c.txt"), path_of("en/sub/c.txt"));
  ok(write_file("pairs.tsv", manifest) == 0, "a manifest");
  is_int(ieum_pair_list_from_manifest(&l, path_of("pairs.tsv")), 0, "reads");
  if (l) {
    is_int((long)ieum_pair_list_count(l), 2, "two pairs");
    is_str(ieum_pair_list_path(l, 0, 0), path_of("ko/a.txt"), "relative to the manifest's folder");
    is_int((long)ieum_pair_list_note_count(l, IEUM_NOTE_ERROR), 1, "one malformed line");
    ok(strstr(ieum_pair_list_note(l, IEUM_NOTE_ERROR, 0), "pairs.tsv:4: expected SRC_PATH<TAB>TGT_PATH") != NULL,
       "named with its line");
  }
  ieum_pair_list_free(l);
  l = NULL;
  is_int(ieum_pair_list_from_manifest(&l, path_of("none.tsv")), IEUM_ENOTFOUND, "a missing manifest");

  is_int(ieum_pair_list_new(&l), 0, "an empty list");
  ok(ieum_pair_list_add(l, "x.ko", "x.en") == 0 && ieum_pair_list_count(l) == 1, "takes a pair");
  is_str(ieum_pair_list_path(l, 0, 1), "x.en", "copied");
  ieum_pair_list_free(l);
  ieum_pair_list_free(NULL);
}

static void test_pipeline_batch__run_and_resume(void)
{
  ieum_pair_list *l = NULL;
  ieum_tm *tm = NULL;
  ieum_batch_stats st;
  watch w;
  if (ieum_pair_list_from_dirs(&l, path_of("ko"), path_of("en"), NULL) != 0 ||
      ieum_tm_open(&tm, path_of("batch.db"), IEUM_TM_CREATE) != 0) {
    ok(0, "pairs and a TM");
    ieum_pair_list_free(l);
    return;
  }
  ieum_batch_options o = IEUM_BATCH_OPTIONS_INIT;
  o.jobs = 2;
  o.on_pair = on_pair;
  o.on_progress = on_progress;
  o.tick_ms = 5;
  o.payload = &w;
  watch_init(&w);
  is_int(ieum_batch_run(&st, tm, l, &o), 0, "the batch runs");
  is_int((long)st.total, 4, "over four pairs");
  is_int((long)st.stored, 3, "three are stored");
  is_int((long)st.failed, 1, "the empty target fails");
  is_int((long)st.not_tried, 0, "none is left");
  is_int(st.stopped, 0, "nothing stopped it");
  ok(st.units >= 9, "the sentence pairs are stored (%zu)", st.units);
  is_int((long)w.events, 4, "every pair is reported");
  ok(w.in_order, "in input order");
  ok(w.doc_ids_rise, "document ids follow the input order");
  ok(w.progress_calls >= 4, "progress is told (%zu calls)", w.progress_calls);
  is_int((long)w.outcomes[IEUM_BATCH_FAILED], 1, "one failure reported");

  watch_init(&w);
  is_int(ieum_batch_run(&st, tm, l, &o), 0, "the same batch again");
  is_int((long)st.skipped, 3, "resumes: the stored pairs are skipped");
  is_int((long)st.stored, 0, "nothing is stored twice");
  is_int((long)w.outcomes[IEUM_BATCH_SKIPPED], 3, "and reported as skipped");

  ieum_tm_stats ts;
  ok(ieum_tm_stats_get(&ts, tm) == 0 && ts.documents == 3, "the TM holds three documents");

  o.jobs = IEUM_BATCH_MAX_JOBS + 1;
  is_int(ieum_batch_run(&st, tm, l, &o), IEUM_EINVAL, "too many jobs");
  o.jobs = 1;
  const char *bad = "no-such.dict";
  o.pipeline.dicts = &bad;
  o.pipeline.n_dicts = 1;
  ok(ieum_batch_run(&st, tm, l, &o) < 0, "a dictionary that does not load stops it before it starts");
  ieum_tm_free(tm);
  ieum_pair_list_free(l);
}

#define MANY 24

static void test_pipeline_batch__cancel(void)
{
  ieum_pair_list *l = NULL;
  ieum_tm *tm = NULL;
  ieum_batch_stats st;
  watch w;
  mkdir(path_of("many"), 0755);
  int bad = 0;
  for (int i = 0; i < MANY; i++) {
    char a[64], b[64];
    snprintf(a, sizeof a, "many/n%02d.ko.txt", i);
    snprintf(b, sizeof b, "many/n%02d.en.txt", i);
    bad |= write_pair(a, b, i + 10);
  }
  ok(!bad, "%d pairs in one folder", MANY);
  if (ieum_pair_list_from_dirs(&l, path_of("many"), path_of("many"), NULL) != 0 ||
      ieum_tm_open(&tm, path_of("cancel.db"), IEUM_TM_CREATE) != 0) {
    ok(0, "pairs and a TM");
    ieum_pair_list_free(l);
    return;
  }
  is_int((long)ieum_pair_list_count(l), MANY, "paired by their suffixes");
  ieum_batch_options o = IEUM_BATCH_OPTIONS_INIT;
  o.jobs = 1;
  o.on_pair = on_pair;
  o.on_progress = on_progress;
  o.payload = &w;
  watch_init(&w);
  w.cancel_at = 1; /* before the first pair is awaited: one worker holds at most its window */
  is_int(ieum_batch_run(&st, tm, l, &o), 0, "a cancelled batch returns normally");
  is_int(st.stopped, 1, "it says it was stopped");
  is_int((long)w.stopping_calls, 1, "progress is told once that it stops");
  ok(w.stop_seen.started <= IEUM_BATCH_WINDOW_PER_JOB, "the worker took at most its window (%zu)",
     w.stop_seen.started);
  is_int((long)st.not_tried, (long)(MANY - w.stop_seen.started), "the pairs never started are not tried");
  ok(st.not_tried > 0, "some were never started");
  is_int((long)(st.stored + st.skipped + st.failed), (long)w.stop_seen.started, "those started are finished");
  size_t first = st.stored;

  watch_init(&w);
  is_int(ieum_batch_run(&st, tm, l, &o), 0, "resumed");
  is_int((long)st.skipped, (long)first, "what was stored is skipped");
  is_int((long)(st.stored + st.skipped), MANY, "and the rest is stored");
  ieum_tm_free(tm);
  ieum_pair_list_free(l);
}

int main(void)
{
  snprintf(root, sizeof root, "%s/ieum-batch-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(root)) {
    ok(0, "mkdtemp");
    return done_testing();
  }
  test_pipeline_batch__pairing();
  test_pipeline_batch__run_and_resume();
  test_pipeline_batch__cancel();
  nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  return done_testing();
}
