/*
** tests/unit/align_keys.c: per-segment key sets (align/keys.c): sorting and
** deduplication per segment, lookups over a range of segments, counting
** keys found on the other side once each, empty segments, which keys two
** segments share (pair_bits), document frequencies (tallies).
*/
#include "../../align/keys_int.h"
#include "tap.h"

static void test_align_keys__build_and_lookup(void)
{
  ieum_keyset ks;
  is_int(ieum_keyset__begin(&ks, 3), IEUM_OK, "begin");
  ieum_keyset__add(&ks, 30);
  ieum_keyset__add(&ks, 10);
  ieum_keyset__add(&ks, 30);
  ieum_keyset__end_segment(&ks, 0);
  ieum_keyset__end_segment(&ks, 1); /* empty */
  ieum_keyset__add(&ks, 20);
  ieum_keyset__add(&ks, 10);
  ieum_keyset__end_segment(&ks, 2);
  is_int(ieum_keyset__count(&ks, 0), 2, "segment 0: duplicates dropped");
  is_int(ieum_keyset__count(&ks, 1), 0, "segment 1 is empty");
  is_int(ieum_keyset__count(&ks, 2), 2, "segment 2: two keys");
  ok(ks.keys[ks.off[0]] == 10 && ks.keys[ks.off[0] + 1] == 30, "sorted");
  ok(ieum_keyset__has(&ks, 0, 1, 30), "30 in segment 0");
  ok(!ieum_keyset__has(&ks, 1, 1, 30), "nothing in the empty segment");
  ok(ieum_keyset__has(&ks, 1, 2, 20), "20 in segments 1..2");
  ok(!ieum_keyset__has(&ks, 0, 3, 99), "99 nowhere");
  ieum_keyset__dispose(&ks);
}

static void test_align_keys__found(void)
{
  ieum_keyset x, y;
  ieum_keyset__begin(&x, 2);
  ieum_keyset__add(&x, 1);
  ieum_keyset__add(&x, 2);
  ieum_keyset__end_segment(&x, 0);
  ieum_keyset__add(&x, 2); /* also in segment 0: counts once */
  ieum_keyset__add(&x, 3);
  ieum_keyset__end_segment(&x, 1);
  ieum_keyset__begin(&y, 2);
  ieum_keyset__add(&y, 2);
  ieum_keyset__end_segment(&y, 0);
  ieum_keyset__add(&y, 3);
  ieum_keyset__add(&y, 64 + 2); /* same mask bit as 2 */
  ieum_keyset__end_segment(&y, 1);
  is_int(ieum_keyset__found(&x, 0, 1, &y, 0, 1), 1, "1-1: key 2 found");
  is_int(ieum_keyset__found(&x, 0, 2, &y, 0, 2), 2, "2-2: keys 2 and 3, key 2 once");
  is_int(ieum_keyset__found(&x, 0, 1, &y, 1, 1), 0, "mask collision is not a match");
  is_int(ieum_keyset__found(&x, 0, 0, &y, 0, 2), 0, "no source segment");
  ieum_keyset__dispose(&x);
  ieum_keyset__dispose(&y);
}

static void test_align_keys__many_and_oom(void)
{
  ieum_keyset ks;
  ieum_keyset__begin(&ks, 1);
  for (uint64_t k = 1000; k > 0; k--)
    if (ieum_keyset__add(&ks, k * 7) != IEUM_OK)
      break;
  ieum_keyset__end_segment(&ks, 0);
  is_int(ieum_keyset__count(&ks, 0), 1000, "1000 keys in one segment");
  ok(ieum_keyset__has(&ks, 0, 1, 7 * 500), "a middle key is found");
  ieum_keyset__dispose(&ks);
  ieum__alloc_fail_after(0);
  is_int(ieum_keyset__begin(&ks, 4), IEUM_ENOMEM, "begin reports OOM");
  ieum__alloc_fail_after(-1);
  ok(ks.off == NULL && ks.mask == NULL, "nothing left after OOM");
  ok(ieum_keyset__hash('a', "x", 1) != ieum_keyset__hash('b', "x", 1), "the tag changes the hash");
}

static void test_align_keys__pair_bits_and_tally(void)
{
  ieum_keyset x, y;
  ieum_keytally t;
  uint64_t bx, by;
  ieum_keyset__begin(&x, 2);
  ieum_keyset__add(&x, 5);
  ieum_keyset__add(&x, 9);
  ieum_keyset__add(&x, 7);
  ieum_keyset__end_segment(&x, 0); /* sorted: 5 7 9 */
  ieum_keyset__add(&x, 9);
  ieum_keyset__end_segment(&x, 1);
  ieum_keyset__begin(&y, 1);
  ieum_keyset__add(&y, 9);
  ieum_keyset__add(&y, 4);
  ieum_keyset__add(&y, 5);
  ieum_keyset__end_segment(&y, 0); /* sorted: 4 5 9 */
  ieum_keyset__pair_bits(&bx, &by, &x, 0, &y, 0);
  is_int((int)bx, 0x5, "keys 0 (5) and 2 (9) of the source segment found");
  is_int((int)by, 0x6, "keys 1 (5) and 2 (9) of the target segment found");
  is_int(ieum_keytally__build(&t, &x), IEUM_OK, "tally");
  is_int((int)t.n, 3, "three distinct keys");
  is_int((int)ieum_keytally__segments(&t, 9), 2, "9 is in two segments");
  is_int((int)ieum_keytally__segments(&t, 5), 1, "5 in one");
  is_int((int)ieum_keytally__segments(&t, 6), 0, "6 in none");
  ieum_keytally__dispose(&t);
  ieum__alloc_fail_after(0);
  is_int(ieum_keytally__build(&t, &x), IEUM_ENOMEM, "tally reports OOM");
  ieum__alloc_fail_after(-1);
  ok(t.keys == NULL && t.segs == NULL, "nothing left after OOM");
  ieum_keyset__dispose(&x);
  ieum_keyset__dispose(&y);
}

/* The in-place sort against qsort() on lengths around its cut-off, duplicates included. */
static int cmp_key(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void test_align_keys__sort_and_tally(void)
{
  uint64_t a[300], b[300], seed = 12345;
  int same = 1;
  for (size_t n = 0; n <= 300 && same; n += 7) {
    for (size_t k = 0; k < n; k++) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      a[k] = k % 3 == 0 ? seed >> 60 : seed; /* many small duplicates */
    }
    memcpy(b, a, n * sizeof *a);
    ieum_keyset__sort(a, n);
    qsort(b, n, sizeof *b, cmp_key);
    same = n == 0 || memcmp(a, b, n * sizeof *a) == 0;
  }
  ok(same, "ieum_keyset__sort() sorts as qsort() does");
  /* a tally that grows several times, with key 0 among its keys */
  ieum_keyset ks;
  ieum_keytally t;
  ieum_keyset__begin(&ks, 3);
  for (uint64_t k = 0; k < 5000; k++)
    ieum_keyset__add(&ks, k);
  ieum_keyset__end_segment(&ks, 0);
  for (uint64_t k = 0; k < 5000; k += 2)
    ieum_keyset__add(&ks, k);
  ieum_keyset__end_segment(&ks, 1);
  ieum_keyset__add(&ks, (uint64_t)1 << 63);
  ieum_keyset__end_segment(&ks, 2);
  is_int(ieum_keytally__build(&t, &ks), IEUM_OK, "a tally of 7501 keys");
  is_int((int)t.n, 5001, "5001 distinct keys");
  is_int((int)ieum_keytally__segments(&t, 0), 2, "key 0 is in two segments");
  is_int((int)ieum_keytally__segments(&t, 4999), 1, "4999 in one");
  is_int((int)ieum_keytally__segments(&t, 4998), 2, "4998 in two");
  is_int((int)ieum_keytally__segments(&t, (uint64_t)1 << 63), 1, "the top bit");
  is_int((int)ieum_keytally__segments(&t, 5000), 0, "5000 in none");
  ieum_keytally__dispose(&t);
  ieum_keyset__dispose(&ks);
  ieum_keyset__begin(&ks, 1);
  ieum_keyset__end_segment(&ks, 0);
  is_int(ieum_keytally__build(&t, &ks), IEUM_OK, "a tally of no key");
  is_int((int)ieum_keytally__segments(&t, 1), 0, "holds nothing");
  ieum_keytally__dispose(&t);
  ieum_keyset__dispose(&ks);
}

/*
** Keysets with no key at all have no key array (NULL): pair_bits() must not
** offset it (NULL + 0 is undefined behaviour; clang's
** UndefinedBehaviorSanitizer aborts on it).
*/
static void test_align_keys__pair_bits_empty(void)
{
  ieum_keyset x, y;
  uint64_t bx = 1, by = 1;
  if (ieum_keyset__begin(&x, 2) || ieum_keyset__begin(&y, 1)) {
    ok(0, "begin");
    return;
  }
  ieum_keyset__end_segment(&x, 0);
  ieum_keyset__end_segment(&x, 1);
  ieum_keyset__end_segment(&y, 0);
  ok(x.keys == NULL && y.keys == NULL, "no keys: no array");
  ieum_keyset__pair_bits(&bx, &by, &x, 1, &y, 0);
  ok(bx == 0 && by == 0, "two empty segments share nothing");
  ieum_keyset__dispose(&y);
  ieum_keyset__begin(&y, 1);
  ieum_keyset__add(&y, 42);
  ieum_keyset__end_segment(&y, 0);
  bx = by = 1;
  ieum_keyset__pair_bits(&bx, &by, &x, 0, &y, 0);
  ok(bx == 0 && by == 0, "an empty segment shares nothing with a full one");
  bx = by = 1;
  ieum_keyset__pair_bits(&bx, &by, &y, 0, &x, 1);
  ok(bx == 0 && by == 0, "nor the other way");
  is_int(ieum_keyset__found(&x, 0, 2, &y, 0, 1), 0, "found: none");
  ieum_keyset__dispose(&x);
  ieum_keyset__dispose(&y);
}

int main(void)
{
  test_align_keys__pair_bits_empty();
  test_align_keys__sort_and_tally();
  test_align_keys__build_and_lookup();
  test_align_keys__found();
  test_align_keys__many_and_oom();
  test_align_keys__pair_bits_and_tally();
  return done_testing();
}
