/*
** util/sha256.h: SHA-256 (FIPS 180-4), used for content hashes of the TM.
**
** A streaming digest: init, update any number of times with any split of
** the input, final.  The context is a plain struct on the caller's stack; no
** allocation, no failure.  Cost: one 64-byte block compression per 64 input
** bytes (about 200-400 MB/s unoptimised), memory O(1).
** Not here: what is hashed and how it is written out (tm/store.c).
*/
#ifndef IEUM_SHA256_H
#define IEUM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define IEUM__SHA256_DIGEST 32 /* bytes of a digest */
#define IEUM__SHA256_BLOCK 64  /* bytes of a message block */

typedef struct {
  uint32_t h[8];                          /* chaining state */
  uint64_t bytes;                         /* message bytes so far */
  unsigned char block[IEUM__SHA256_BLOCK]; /* pending input, `used` bytes */
  size_t used;                            /* bytes in block, < IEUM__SHA256_BLOCK */
} ieum__sha256_ctx;

/* Starts a new digest. */
void ieum__sha256_init(ieum__sha256_ctx *c);

/* Feeds `len` bytes of `data` (may be NULL when len is 0). */
void ieum__sha256_update(ieum__sha256_ctx *c, const void *data, size_t len);

/* Pads, writes the 32-byte digest into `out` and leaves `c` spent. */
void ieum__sha256_final(ieum__sha256_ctx *c, unsigned char out[IEUM__SHA256_DIGEST]);

#endif
