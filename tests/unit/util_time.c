/*
** tests/unit/util_time.c: TMX dates by arithmetic (util/time.c:
** ieum__tmx_date()) against gmtime_r + strftime, which they replace.
**
** Every boundary of the range (years 1000-9999), the epoch, leap days and
** the last second of a day, then a million pseudo-random times across the
** range: the same 16 characters, or the same refusal just outside it.
*/
#include <time.h>

#include "tap.h"
#include "util.h"

/* What the writers did before: gmtime_r and strftime, "" when strftime does not give 16 characters. */
static void reference(char out[17], int64_t t)
{
  time_t tt = (time_t)t;
  struct tm tm;
  out[0] = '\0';
  if (!gmtime_r(&tt, &tm) || strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
    out[0] = '\0';
}

static int agrees(int64_t t)
{
  char a[17], b[17];
  int rc = ieum__tmx_date(a, t);
  reference(b, t);
  return !strcmp(a, b) && (rc == 0) == (b[0] != '\0');
}

static void test_util_time__fixed(void)
{
  char d[17];
  is_int(ieum__tmx_date(d, 0), 0, "the epoch");
  is_str(d, "19700101T000000Z", "the epoch: 19700101T000000Z");
  ieum__tmx_date(d, 1700000000);
  is_str(d, "20231114T221320Z", "1700000000");
  ieum__tmx_date(d, 951782400); /* 2000-02-29 */
  is_str(d, "20000229T000000Z", "a leap day of a year divisible by 400");
  ieum__tmx_date(d, -1);
  is_str(d, "19691231T235959Z", "one second before the epoch");
  is_int(ieum__tmx_date(d, -30610224001LL), -1, "999-12-31T23:59:59 is refused");
  is_str(d, "", "and leaves an empty string");
  is_int(ieum__tmx_date(d, 253402300800LL), -1, "10000-01-01 is refused");
  ieum__tmx_date(d, 253402300799LL);
  is_str(d, "99991231T235959Z", "the last second of 9999");
  ieum__tmx_date(d, -30610224000LL);
  is_str(d, "10000101T000000Z", "the first second of 1000");
}

static void test_util_time__against_strftime(void)
{
  static const int64_t edges[] = { 0, -1, 1, 86399, 86400, -86400, -86401, 68169600, 951782400, 951868800,
                                   4107542400LL, -30610224000LL, -30610224001LL, 253402300799LL,
                                   253402300800LL, -2208988800LL, 2147483647LL, 2147483648LL };
  int bad = 0;
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
    bad += !agrees(edges[i]);
  is_int(bad, 0, "the edges agree with gmtime_r + strftime");
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  int64_t lo = -30610224000LL - 86400, span = 253402300800LL + 86400 - lo;
  bad = 0;
  for (int i = 0; i < 1000000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    bad += !agrees(lo + (int64_t)(x % (uint64_t)span));
  }
  is_int(bad, 0, "a million times across years 999-10000 agree");
}

int main(void)
{
  test_util_time__fixed();
  test_util_time__against_strftime();
  return done_testing();
}
