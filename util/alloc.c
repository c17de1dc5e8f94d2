/*
** util/alloc.c: allocation wrappers with fault injection.
**
** Every allocation of the library goes through these functions so that tests
** can make the N-th one fail and check that each caller returns IEUM_ENOMEM
** without leaking or writing half a result.  The countdown is per process
** and meant for single-threaded tests only.
*/
#include <stdlib.h>
#include <string.h>

#include "util.h"

static long fail_countdown = -1; /* < 0: never fail */

void ieum__alloc_fail_after(long n)
{
  fail_countdown = n;
}

static bool should_fail(void)
{
  if (fail_countdown < 0)
    return false;
  if (fail_countdown == 0)
    return true;
  fail_countdown--;
  return false;
}

void *ieum__malloc(size_t n)
{
  return should_fail() ? NULL : malloc(n ? n : 1);
}

void *ieum__calloc(size_t n, size_t size)
{
  return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *ieum__realloc(void *p, size_t n)
{
  return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void *ieum__reallocarray(void *p, size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size)
    return NULL;
  return ieum__realloc(p, n * size);
}

char *ieum__strndup(const char *s, size_t n)
{
  char *d = ieum__malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

char *ieum__strdup(const char *s)
{
  return s ? ieum__strndup(s, strlen(s)) : NULL;
}

void ieum__free(void *p)
{
  free(p);
}
