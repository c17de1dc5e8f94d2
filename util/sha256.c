/*
** util/sha256.c: SHA-256 (FIPS 180-4), the content hash of TM documents,
** over GNU Nettle.
**
** Thin: ieum's names for Nettle's sha256_init/update/digest, so callers
** keep one small interface and a NULL with length 0 is always allowed.
** Cost: O(n) time, O(1) memory.  Checked against the FIPS 180-2 vectors in
** tests/unit/tm_store.c.
** Not here: the choice of what to hash (tm/store.c, ieum_tm_hash()).
*/
#include "sha256.h"

void ieum__sha256_init(ieum__sha256_ctx *c)
{
  sha256_init(&c->n);
}

void ieum__sha256_update(ieum__sha256_ctx *c, const void *data, size_t len)
{
  if (len)
    sha256_update(&c->n, len, data);
}

void ieum__sha256_final(ieum__sha256_ctx *c, unsigned char out[IEUM__SHA256_DIGEST])
{
  sha256_digest(&c->n, IEUM__SHA256_DIGEST, out);
}
