/*
** align/keys.c: per-segment sets of 64-bit keys (see keys_int.h).
**
** Keys are appended segment by segment into one growing array; closing a
** segment sorts its slice and drops duplicates, so lookups are binary
** searches behind a 64-bit mask test that answers most misses at once.
** A tally (a hash table of the distinct keys with their segment counts)
** gives a key's document frequency in O(1), and pair_bits() says which keys
** two segments share.
** Cost: amortized O(1) per add, O(k log k) per segment of k keys, O(keys)
** expected for a tally.
** Not here: where keys come from (lexicon.c, names.c).
*/
#include <stdlib.h>
#include <string.h>

#include "keys_int.h"

uint64_t ieum_keyset__hash(char tag, const char *s, size_t n)
{
  return ieum_keyset__hash_more(ieum_keyset__hash_start(tag), s, n);
}

int ieum_keyset__begin(ieum_keyset *ks, size_t n)
{
  memset(ks, 0, sizeof *ks);
  ks->n = n;
  ks->off = ieum__calloc(n + 1, sizeof *ks->off);
  ks->mask = ieum__calloc(n + 1, sizeof *ks->mask);
  if (!ks->off || !ks->mask) {
    ieum_keyset__dispose(ks);
    return ieum__error_oom();
  }
  return IEUM_OK;
}

int ieum_keyset__add(ieum_keyset *ks, uint64_t key)
{
  if (ks->used == ks->cap) {
    size_t cap = ks->cap ? ks->cap * 2 : 64;
    uint64_t *k = ieum__realloc(ks->keys, cap * sizeof *k);
    if (!k)
      return ieum__error_oom();
    ks->keys = k;
    ks->cap = cap;
  }
  ks->keys[ks->used++] = key;
  return IEUM_OK;
}

/* Keys up to which insertion sort beats partitioning. */
#define SMALL_SORT 24

static void insertion_sort(uint64_t *k, size_t n)
{
  for (size_t x = 1; x < n; x++) {
    uint64_t v = k[x];
    size_t y = x;
    for (; y > 0 && k[y - 1] > v; y--)
      k[y] = k[y - 1];
    k[y] = v;
  }
}

void ieum_keyset__sort(uint64_t *k, size_t n)
{
  /* quicksort (median of three), looping on the larger part so the stack stays O(log n) */
  while (n > SMALL_SORT) {
    uint64_t a = k[0], b = k[n / 2], c = k[n - 1];
    uint64_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    size_t i = 0, j = n - 1;
    for (;;) {
      while (k[i] < pivot)
        i++;
      while (k[j] > pivot)
        j--;
      if (i >= j)
        break;
      uint64_t t = k[i];
      k[i++] = k[j];
      k[j--] = t;
    }
    /* k[0..j] <= pivot <= k[j+1..n) */
    size_t left = j + 1;
    if (left < n - left) {
      ieum_keyset__sort(k, left);
      k += left;
      n -= left;
    } else {
      ieum_keyset__sort(k + left, n - left);
      n = left;
    }
  }
  insertion_sort(k, n);
}

void ieum_keyset__end_segment(ieum_keyset *ks, size_t seg)
{
  size_t start = ks->off[seg], end = ks->used;
  if (end > start) {
    ieum_keyset__sort(ks->keys + start, end - start);
    size_t w = start + 1;
    for (size_t r = start + 1; r < end; r++)
      if (ks->keys[r] != ks->keys[w - 1])
        ks->keys[w++] = ks->keys[r];
    end = w;
  }
  for (size_t k = start; k < end; k++)
    ks->mask[seg] |= (uint64_t)1 << (ks->keys[k] & 63);
  ks->used = end;
  ks->off[seg + 1] = end;
}

void ieum_keyset__dispose(ieum_keyset *ks)
{
  ieum__free(ks->keys);
  ieum__free(ks->off);
  ieum__free(ks->mask);
  memset(ks, 0, sizeof *ks);
}

void ieum_keyset__trim(ieum_keyset *ks)
{
  if (ks->used == 0 || ks->used == ks->cap)
    return;
  uint64_t *k = ieum__realloc(ks->keys, ks->used * sizeof *k);
  if (k) {
    ks->keys = k;
    ks->cap = ks->used;
  }
}

int ieum_keyset__has(const ieum_keyset *ks, size_t j, size_t b, uint64_t key)
{
  for (size_t seg = j; seg < j + b; seg++) {
    size_t nk = ks->off[seg + 1] - ks->off[seg];
    if (nk == 0 || !(ks->mask[seg] & ((uint64_t)1 << (key & 63))))
      continue;
    const uint64_t *k = ks->keys + ks->off[seg];
    size_t lo = 0, hi = nk;
    while (lo < hi) { /* binary search */
      size_t mid = lo + (hi - lo) / 2;
      if (k[mid] < key)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < nk && k[lo] == key)
      return 1;
  }
  return 0;
}

/* Most keys a bead's side may hold for the merge path of ieum_keyset__found(). */
#define MERGE_MAX 128

/* The keys of segments [i, i+a) of ks, sorted and deduplicated, into out; 0 when over MERGE_MAX. */
static size_t gather(uint64_t out[MERGE_MAX], const ieum_keyset *ks, size_t i, size_t a, int *fits)
{
  size_t n = 0;
  *fits = 1;
  for (size_t seg = i; seg < i + a; seg++) {
    size_t nk = ks->off[seg + 1] - ks->off[seg];
    if (nk == 0)
      continue;
    const uint64_t *k = ks->keys + ks->off[seg];
    if (n + nk > MERGE_MAX) {
      *fits = 0;
      return 0;
    }
    if (n == 0) {
      memcpy(out, k, nk * sizeof *k);
      n = nk;
      continue;
    }
    /* merge k[0..nk) into out[0..n) from the back, dropping duplicates afterwards */
    size_t p = n, q = nk, w = n + nk;
    while (q > 0) {
      if (p > 0 && out[p - 1] > k[q - 1])
        out[--w] = out[--p];
      else
        out[--w] = k[--q];
    }
    n += nk;
    size_t d = 1;
    for (size_t r = 1; r < n; r++)
      if (out[r] != out[d - 1])
        out[d++] = out[r];
    n = d;
  }
  return n;
}

uint32_t ieum_keyset__found(const ieum_keyset *x, size_t i, size_t a, const ieum_keyset *y, size_t j,
                            size_t b)
{
  uint32_t found = 0;
  uint64_t u[MERGE_MAX], v[MERGE_MAX], mx = 0, my = 0;
  int fu, fv;
  /* most beads off the path share no key: their masks already say so */
  for (size_t seg = i; seg < i + a; seg++)
    mx |= x->mask[seg];
  for (size_t seg = j; seg < j + b; seg++)
    my |= y->mask[seg];
  if (!(mx & my))
    return 0;
  size_t nu = gather(u, x, i, a, &fu), nv = fu ? gather(v, y, j, b, &fv) : 0;
  if (fu && fv) {
    /* both sides fit: one merge of two sorted lists */
    for (size_t p = 0, q = 0; p < nu && q < nv;) {
      if (u[p] < v[q])
        p++;
      else if (u[p] > v[q])
        q++;
      else {
        found++;
        p++;
        q++;
      }
    }
    return found;
  }
  for (size_t seg = i; seg < i + a; seg++)
    for (size_t k = x->off[seg]; k < x->off[seg + 1]; k++) {
      /* a key in two source segments of the bead counts once */
      int dup = 0;
      for (size_t s2 = i; s2 < seg && !dup; s2++)
        dup = ieum_keyset__has(x, s2, 1, x->keys[k]);
      if (!dup && ieum_keyset__has(y, j, b, x->keys[k]))
        found++;
    }
  return found;
}

void ieum_keyset__pair_bits(uint64_t *bx, uint64_t *by, const ieum_keyset *x, size_t s, const ieum_keyset *y,
                            size_t t)
{
  size_t nu = x->off[s + 1] - x->off[s], nv = y->off[t + 1] - y->off[t];
  uint64_t fx = 0, fy = 0;
  *bx = *by = 0;
  if (nu == 0 || nv == 0)
    return; /* and a keyset with no key at all may have no array: NULL + 0 is undefined */
  const uint64_t *u = x->keys + x->off[s], *v = y->keys + y->off[t];
  if (nu > 64)
    nu = 64;
  if (nv > 64)
    nv = 64;
  /* without branches on the keys: which list advances is as good as random */
  for (size_t p = 0, q = 0; p < nu && q < nv;) {
    uint64_t a = u[p], b = v[q], eq = a == b;
    fx |= eq << p;
    fy |= eq << q;
    p += a <= b;
    q += b <= a;
  }
  *bx = fx;
  *by = fy;
}

/*
** The tally's table is grown to keep its load at most this percentage
** (probes stay short); it starts at TALLY_MIN_SLOTS slots.
*/
#define TALLY_LOAD 50
#define TALLY_MIN_SLOTS 1024

/* Slot of `key` in a table of `cap` slots: Fibonacci hashing, so that small keys spread too. */
static size_t tally_slot(uint64_t key, size_t cap)
{
  return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

static int tally_grow(ieum_keytally *t)
{
  size_t cap = t->cap ? t->cap * 2 : TALLY_MIN_SLOTS;
  uint64_t *keys = ieum__malloc(cap * sizeof *keys);
  uint32_t *segs = ieum__calloc(cap, sizeof *segs);
  if (!keys || !segs) {
    ieum__free(keys);
    ieum__free(segs);
    return ieum__error_oom();
  }
  for (size_t k = 0; k < t->cap; k++) {
    if (!t->segs[k])
      continue;
    size_t p = tally_slot(t->keys[k], cap);
    while (segs[p])
      p = (p + 1) & (cap - 1);
    keys[p] = t->keys[k];
    segs[p] = t->segs[k];
  }
  ieum__free(t->keys);
  ieum__free(t->segs);
  t->keys = keys;
  t->segs = segs;
  t->cap = cap;
  return IEUM_OK;
}

int ieum_keytally__build(ieum_keytally *out, const ieum_keyset *ks)
{
  memset(out, 0, sizeof *out);
  size_t n = ks->off ? ks->off[ks->n] : 0;
  /* every segment holds a key once, so counting a key's occurrences counts its segments */
  for (size_t r = 0; r < n; r++) {
    if ((out->n + 1) * 100 > out->cap * TALLY_LOAD) {
      int rc = tally_grow(out);
      if (rc) {
        ieum_keytally__dispose(out);
        return rc;
      }
    }
    uint64_t key = ks->keys[r];
    size_t p = tally_slot(key, out->cap);
    while (out->segs[p] && out->keys[p] != key)
      p = (p + 1) & (out->cap - 1);
    if (!out->segs[p]) {
      out->keys[p] = key;
      out->n++;
    }
    out->segs[p]++;
  }
  return IEUM_OK;
}

void ieum_keytally__dispose(ieum_keytally *t)
{
  ieum__free(t->keys);
  ieum__free(t->segs);
  memset(t, 0, sizeof *t);
}

uint32_t ieum_keytally__segments(const ieum_keytally *t, uint64_t key)
{
  if (!t->cap)
    return 0;
  for (size_t p = tally_slot(key, t->cap); t->segs[p]; p = (p + 1) & (t->cap - 1))
    if (t->keys[p] == key)
      return t->segs[p];
  return 0;
}
