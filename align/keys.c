/*
** align/keys.c: per-segment sets of 64-bit keys (see keys_int.h).
**
** Keys are appended segment by segment into one growing array; closing a
** segment sorts its slice and drops duplicates, so lookups are binary
** searches behind a 64-bit mask test that answers most misses at once.
** Cost: amortized O(1) per add, O(k log k) per segment of k keys.
** Not here: where keys come from (lexicon.c, names.c).
*/
#include <stdlib.h>
#include <string.h>

#include "keys_int.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

uint64_t ieum_keyset__hash(char tag, const char *s, size_t n)
{
  uint64_t h = FNV_OFFSET;
  h = (h ^ (unsigned char)tag) * FNV_PRIME;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
  return h;
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

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

void ieum_keyset__end_segment(ieum_keyset *ks, size_t seg)
{
  size_t start = ks->off[seg], end = ks->used;
  if (end > start) {
    qsort(ks->keys + start, end - start, sizeof *ks->keys, cmp_u64);
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

int ieum_keyset__has(const ieum_keyset *ks, size_t j, size_t b, uint64_t key)
{
  for (size_t seg = j; seg < j + b; seg++) {
    size_t nk = ks->off[seg + 1] - ks->off[seg];
    if (nk == 0 || !(ks->mask[seg] & ((uint64_t)1 << (key & 63))))
      continue;
    if (bsearch(&key, ks->keys + ks->off[seg], nk, sizeof key, cmp_u64))
      return 1;
  }
  return 0;
}

uint32_t ieum_keyset__found(const ieum_keyset *x, size_t i, size_t a, const ieum_keyset *y, size_t j,
                            size_t b)
{
  uint32_t found = 0;
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
