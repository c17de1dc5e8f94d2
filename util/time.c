/*
** util/time.c: the current time, overridable for reproducible output.
**
** Every timestamp the library writes (TMX creationdate, TM "added" and
** "created" columns) comes from ieum__now().  When the environment sets
** SOURCE_DATE_EPOCH (the reproducible-builds convention: decimal seconds
** since the Unix epoch), that time is used instead of the clock, so golden
** tests and reproducible exports get byte-identical files.
*/
#include <stdlib.h>
#include <time.h>

#include "util.h"

int64_t ieum__now(void)
{
  const char *s = getenv("SOURCE_DATE_EPOCH");
  if (s && *s) {
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end == '\0' && v >= 0)
      return (int64_t)v;
  }
  return (int64_t)time(NULL);
}
