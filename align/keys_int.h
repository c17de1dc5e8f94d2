/*
** align/keys_int.h: per-segment sets of 64-bit keys (private).
**
** The aligner's lexical signals (a bilingual lexicon, romanized names) turn
** each segment of a document into a set of keys that mean the same thing in
** both languages: the key of the lexicon entry "정부"/"government" is found
** in a Korean segment holding "정부는" and in an English one holding
** "governments".  A keyset holds those sets for a whole document, flat:
** segment i's keys are keys[off[i]..off[i+1]), sorted, without duplicates,
** and mask[i] has bit (key & 63) set for each, a quick "not there" test.
** A tally gives each distinct key's document frequency over segments.
** Cost: building is O(k log k) per segment of k keys (a few, sorted in
** place); a lookup is O(log keys of a segment); a tally is O(keys).
** Not here: which keys a text yields (lexicon.c, names.c).
*/
#ifndef IEUM_KEYS_INT_H
#define IEUM_KEYS_INT_H

#include "align_int.h"

typedef struct {
  uint64_t *keys;  /* every segment's keys, segment by segment */
  size_t *off;     /* n+1 offsets into keys */
  uint64_t *mask;  /* per segment: bit (key & 63) of each key */
  size_t n;        /* segments */
  size_t used;     /* entries of keys in use */
  size_t cap;      /* allocated entries of keys */
} ieum_keyset;

/* Building: begin(n), then for each segment in order (0, 1, ...) its add()s and end_segment(). */
int ieum_keyset__begin(ieum_keyset *ks, size_t n);
int ieum_keyset__add(ieum_keyset *ks, uint64_t key);
/* Sorts k[0..n) ascending, in place (no allocation, no comparison callback). */
void ieum_keyset__sort(uint64_t *k, size_t n);

/* Closes the current segment (sorts and deduplicates its keys). */
void ieum_keyset__end_segment(ieum_keyset *ks, size_t seg);
void ieum_keyset__dispose(ieum_keyset *ks);
/* Gives back the unused room of a built keyset (growth doubles it); keeps it as it is when that fails. */
void ieum_keyset__trim(ieum_keyset *ks);

/* Number of keys of segment `seg` of `ks`. */
static inline size_t ieum_keyset__count(const ieum_keyset *ks, size_t seg)
{
  return ks->off[seg + 1] - ks->off[seg];
}

/* Is `key` in any of segments [j, j+b) of `ks`. */
int ieum_keyset__has(const ieum_keyset *ks, size_t j, size_t b, uint64_t key);

/* Keys of segments [i, i+a) of `x` (counted once each) also found in segments [j, j+b) of `y`. */
uint32_t ieum_keyset__found(const ieum_keyset *x, size_t i, size_t a, const ieum_keyset *y, size_t j,
                            size_t b);

/* 64-bit FNV-1a hash of `tag` then s[0..n): the keys' common currency. */
uint64_t ieum_keyset__hash(char tag, const char *s, size_t n);

/*
** The same hash built piece by piece, for lookups of many prefixes of one
** text: ieum_keyset__hash(tag, s, n) == ieum_keyset__hash_more(
** ieum_keyset__hash_start(tag), s, n), and hash_more() may be chained.
*/
#define IEUM_FNV_OFFSET 0xcbf29ce484222325ULL
#define IEUM_FNV_PRIME 0x100000001b3ULL
static inline uint64_t ieum_keyset__hash_start(char tag)
{
  return (IEUM_FNV_OFFSET ^ (unsigned char)tag) * IEUM_FNV_PRIME;
}
static inline uint64_t ieum_keyset__hash_more(uint64_t h, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * IEUM_FNV_PRIME;
  return h;
}

/*
** Which keys of segment s of `x` are in segment t of `y`, and the other way:
** bit k of *bx is set when the k-th key of s (in sorted order, k < 64) is in
** t, bit k of *by likewise for the keys of t.  One merge of the two sorted
** lists: O(keys of s + keys of t).
*/
void ieum_keyset__pair_bits(uint64_t *bx, uint64_t *by, const ieum_keyset *x, size_t s, const ieum_keyset *y,
                            size_t t);

/*
** A tally of a keyset: each distinct key with the number of segments that
** hold it (its document frequency over segments), in an open-addressing
** hash table with linear probing.  A slot whose segs is 0 is empty, so any
** key, 0 included, may be stored:
**
**   keys[mix(key) & (cap-1)] ... next slots ... { key, segs >= 1 }
**
** Invariants: cap is a power of two (or 0 when the keyset is empty);
** n <= cap * TALLY_LOAD / 100 (keys.c).
*/
typedef struct {
  uint64_t *keys;   /* per slot: its key (meaningful when segs > 0) */
  uint32_t *segs;   /* per slot: segments holding its key; 0 = empty slot */
  size_t n;         /* distinct keys */
  size_t cap;       /* slots */
} ieum_keytally;

/* Tallies `ks` into `out` (dispose with ieum_keytally__dispose()).  O(keys) expected.  IEUM_ENOMEM. */
int ieum_keytally__build(ieum_keytally *out, const ieum_keyset *ks);
void ieum_keytally__dispose(ieum_keytally *t);

/* Segments holding `key` (0 when it is not in the tally).  O(1) expected. */
uint32_t ieum_keytally__segments(const ieum_keytally *t, uint64_t key);

#endif
