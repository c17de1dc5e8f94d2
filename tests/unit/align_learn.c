/*
** tests/unit/align_learn.c: the word-pair learner alone (align/learn.c),
** fed sentence pairs by hand as the pipeline feeds it a TM's units: a stem
** and a word seen together often enough are each other's best partner and
** are kept, with their Dice coefficient and count; a pair seen too rarely
** or too weakly is not; pairs that are not Korean-English are ignored;
** either side may come first; the walk stops when its callback says so.
*/
#include <stdio.h>
#include <string.h>

#include "../../align/learn_int.h"
#include "tap.h"

typedef struct {
  int n;
  char ko[8][64], en[8][64];
  double assoc[8];
  uint32_t count[8];
  int stop_after; /* return 1 after this many pairs; 0 = never */
} seen;

static int collect(const char *ko, const char *en, double assoc, uint32_t count, void *payload)
{
  seen *s = payload;
  if (s->n < 8) {
    snprintf(s->ko[s->n], sizeof s->ko[0], "%s", ko);
    snprintf(s->en[s->n], sizeof s->en[0], "%s", en);
    s->assoc[s->n] = assoc;
    s->count[s->n] = count;
  }
  s->n++;
  return s->stop_after && s->n >= s->stop_after;
}

static int add(ieum_learner *l, const char *a, const char *b)
{
  return ieum_learn__add(l, a, strlen(a), b, strlen(b));
}

static void test_align_learn__pairs(void)
{
  ieum_learner *l = NULL;
  is_int(ieum_learn__new(&l), 0, "a learner");
  if (!l)
    return;
  ok(add(l, "정부가 발표했다.", "The government announced it.") == 0 &&
       add(l, "정부는 예산을 늘렸다.", "The government raised the budget.") == 0 &&
       add(l, "The government will decide.", "정부가 결정한다.") == 0 /* target first */ &&
       add(l, "Hello there.", "Good morning.") == 0 /* not Korean-English: ignored */ &&
       add(l, "예산은 크다.", "The budget is large.") == 0,
     "five sentence pairs fed");
  seen s = { 0 };
  is_int(ieum_learn__each(l, 3, 0.3, collect, &s), 0, "the walk ends");
  is_int(s.n, 1, "one pair is seen three times and kept");
  if (s.n == 1) {
    is_str(s.ko[0], "정부", "the stem, its particles cut");
    is_str(s.en[0], "government", "the word, lowercased");
    ok(s.assoc[0] > 0.99 && s.assoc[0] <= 1.0, "always together: Dice 1 (%.3f)", s.assoc[0]);
    is_int((long)s.count[0], 3, "in three pairs");
  }
  seen t = { 0 };
  ieum_learn__each(l, 2, 0.3, collect, &t);
  ok(t.n == 2, "with two sightings the budget pair joins (%d)", t.n);
  seen u = { 0 };
  u.stop_after = 1;
  is_int(ieum_learn__each(l, 2, 0.3, collect, &u), 1, "a callback's non-zero answer stops the walk");
  is_int(u.n, 1, "after one pair");
  seen v = { 0 };
  ieum_learn__each(l, 1, 1.0, collect, &v);
  int all_one = v.n >= 1 && v.n <= 8;
  for (int k = 0; k < v.n && k < 8; k++)
    all_one &= v.assoc[k] > 0.999999;
  ok(all_one, "a Dice threshold of 1 keeps only pairs always seen together (%d)", v.n);
  ieum_learn__free(l);
  ieum_learn__free(NULL);
}

int main(void)
{
  test_align_learn__pairs();
  return done_testing();
}
