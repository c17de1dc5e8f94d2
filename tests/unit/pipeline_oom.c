/*
** tests/unit/pipeline_oom.c: the pipeline out of memory (util/alloc.c's
** fault injection): an allocation failing anywhere in aligning and storing
** one pair (pipeline/pair.c) gives an error with a message and *out NULL,
** never a crash or a leak (the sanitizer build checks leaks), and the
** scratch TM holds the pair whole or not at all.  Every failure point is
** tried, from the first allocation to the last (the countdown stays at
** zero once reached: every later allocation fails too); ICU's and SQLite's
** own allocations are not counted.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "tmpdir.h"
#include "util.h"

static const char ko[] = "정부는 새 정책을 발표했다.\n시민들은 환영했다.\n";
static const char en[] = "The government announced a new policy.\nCitizens welcomed it.\n";

/* Documents and units of the TM at `path`, into doc and units; -1 when it does not read. */
static int counts(const char *path, long *doc, long *units)
{
  ieum_tm *tm = NULL;
  ieum_tm_stats st;
  *doc = *units = 0;
  if (access(path, F_OK) != 0)
    return 0; /* not created: empty */
  int rc = ieum_tm_open(&tm, path, IEUM_TM_READ);
  if (rc == 0)
    rc = ieum_tm_stats_get(&st, tm);
  ieum_tm_free(tm);
  if (rc)
    return -1;
  *doc = (long)st.documents;
  *units = (long)st.units;
  return 0;
}

static void test_pipeline_oom__align_and_store(void)
{
  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  o.tm_path = tmp_path("oom.db");
  o.store = 1;
  o.src_name = "ko.txt";
  o.tgt_name = "en.txt";
  long tries = 0, failures = 0, bad_error = 0, half = 0, not_null = 0;
  int succeeded = 0;
  for (long n = 0; !succeeded && n < 100000; n++) {
    ieum_aligned_pair *p = NULL;
    unlink(o.tm_path);
    ieum_error_clear();
    ieum__alloc_fail_after(n);
    int rc = ieum_pipeline_align_texts(&p, ko, strlen(ko), en, strlen(en), &o);
    ieum__alloc_fail_after(-1);
    tries++;
    long doc, units;
    if (counts(o.tm_path, &doc, &units) != 0 || !((doc == 0 && units == 0) || (doc == 1 && units == 2)))
      half++;
    if (rc == 0) {
      succeeded = 1;
      ok(p && ieum_alignment_count(ieum_aligned_pair_alignment(p)) == 2, "with room enough it aligns (%ld)", n);
    } else {
      failures++;
      const ieum_error *e = ieum_error_last();
      if (!e || !e->message[0])
        bad_error++;
      if (p)
        not_null++;
    }
    ieum_aligned_pair_free(p);
  }
  ok(succeeded, "the pair aligns once allocations succeed (%ld tries)", tries);
  ok(failures > 10, "allocation failures were met on the way (%ld)", failures);
  is_int(bad_error, 0, "each failure leaves a message");
  is_int(not_null, 0, "each failure leaves *out NULL");
  is_int(half, 0, "the TM holds the pair whole or not at all");
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "%s/ieum-pipeline-oom-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(tmpdir)) {
    ok(0, "mkdtemp");
    return done_testing();
  }
  test_pipeline_oom__align_and_store();
  remove_tmpdir();
  return done_testing();
}
