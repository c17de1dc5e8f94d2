/*
** util/time.c: the current time, overridable for reproducible output.
**
** Every timestamp the library writes (TMX creationdate, TM "added" and
** "created" columns) comes from ieum__now().  When the environment sets
** SOURCE_DATE_EPOCH (the reproducible-builds convention: decimal seconds
** since the Unix epoch), that time is used instead of the clock, so golden
** tests and reproducible exports get byte-identical files.
** ieum__tmx_date() formats a time by arithmetic on days (the proleptic
** Gregorian calendar, as gmtime does): no time-zone lock or strftime per
** unit, which was 4% of a TMX export.
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

int ieum__tmx_date(char out[17], int64_t t)
{
  out[0] = '\0';
  /* 1000-01-01 and 10000-01-01 at 00:00:00 UTC: the years strftime's %Y writes in four digits. */
  if (t < -30610224000LL || t >= 253402300800LL)
    return -1;
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), secs = t - days * 86400;
  /* Days since 1970-01-01 to a civil date (era of 400 years, day of era, year of era, ...). */
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
  int64_t v[6] = { y, m, d, secs / 3600, secs / 60 % 60, secs % 60 };
  static const int width[6] = { 4, 2, 2, 2, 2, 2 };
  char *o = out;
  for (int f = 0; f < 6; f++) {
    for (int k = width[f] - 1; k >= 0; k--) {
      o[k] = (char)('0' + v[f] % 10);
      v[f] /= 10;
    }
    o += width[f];
    if (f == 2)
      *o++ = 'T';
  }
  *o++ = 'Z';
  *o = '\0';
  return 0;
}
