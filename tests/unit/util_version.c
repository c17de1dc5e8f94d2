/*
** tests/unit/util_version.c: the versions of ieum and of the libraries it
** runs on (util/version.c: ieum_dependency_version()).
**
** Each name gives the run-time version its library reports itself, as
** "MAJOR.MINOR[.PATCH]"; any other name gives NULL.
*/
#include <libxml/parser.h>
#include <sqlite3.h>
#include <unicode/uversion.h>

#include "tap.h"
#include "util.h"

/* Non-zero when `s` looks like "74.2" or "2.9.14": digits and dots, at least one dot. */
static int dotted(const char *s)
{
  return s && *s >= '0' && *s <= '9' && strchr(s, '.') && strspn(s, "0123456789.") == strlen(s);
}

static void test_util_version__libraries(void)
{
  UVersionInfo v;
  char icu[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(v);
  u_versionToString(v, icu);
  is_str(ieum_dependency_version("ICU"), icu, "ICU: what u_getVersion() says");
  is_str(ieum_dependency_version("SQLite"), sqlite3_libversion(), "SQLite: sqlite3_libversion()");
  const char *xml = ieum_dependency_version("libxml2");
  ok(dotted(xml), "libxml2: a dotted version (%s)", xml ? xml : "NULL");
  char want[32];
  long x = strtol(xmlParserVersion, NULL, 10);
  snprintf(want, sizeof want, "%ld.%ld.%ld", x / 10000, x / 100 % 100, x % 100);
  is_str(xml, want, "libxml2: xmlParserVersion %s read as %s", xmlParserVersion, want);
  ok(dotted(ieum_dependency_version("ICU")) && dotted(ieum_dependency_version("SQLite")), "all dotted");
  ok(ieum_dependency_version("zlib") == NULL, "another name: NULL");
  ok(ieum_dependency_version("icu") == NULL, "names are case-sensitive");
  is_str(ieum_version(), IEUM_VERSION_STRING, "ieum itself: %s", IEUM_VERSION_STRING);
}

int main(void)
{
  test_util_version__libraries();
  return done_testing();
}
