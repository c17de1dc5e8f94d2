/*
** util/version.c: the versions of the libraries ieum runs on.
**
** ieum_dependency_version() asks each library at run time (not the headers
** it was built with): ICU's u_getVersion(), SQLite's sqlite3_libversion()
** and libxml2's xmlParserVersion ("20914" read as "2.9.14").  The strings
** are built once, on first use, under pthread_once.
** Not here: ieum's own version (error.c: ieum_version()).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <sqlite3.h>
#include <unicode/uversion.h>

#include "util.h"

static char icu_version[U_MAX_VERSION_STRING_LENGTH];
static char xml_version[32];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
  UVersionInfo v;
  u_getVersion(v);
  u_versionToString(v, icu_version);
  long x = strtol(xmlParserVersion, NULL, 10); /* MMmmpp */
  snprintf(xml_version, sizeof xml_version, "%ld.%ld.%ld", x / 10000, x / 100 % 100, x % 100);
}

const char *ieum_dependency_version(const char *name)
{
  pthread_once(&once, init);
  if (!strcmp(name, "ICU"))
    return icu_version;
  if (!strcmp(name, "SQLite"))
    return sqlite3_libversion();
  if (!strcmp(name, "libxml2"))
    return xml_version;
  return NULL;
}
