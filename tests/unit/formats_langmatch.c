/*
** tests/unit/formats_langmatch.c: the rule for language tags already in a
** TM: the tags an export writes (ieum_lang_export_tag) and which tags a
** wanted language matches (ieum_lang_matches).
** Not here: checking a user's tag (lang_tags CLI case), the TMX reader's
** choice of languages (formats_tmx).
*/
#include <string.h>

#include "ieum.h"
#include "tap.h"

static void export_tag(const char *tag, int plain, const char *want)
{
  char out[IEUM_LANG_MAX];
  int rc = ieum_lang_export_tag(out, sizeof out, tag, plain);
  is_str(rc == IEUM_OK ? out : "(error)", want, plain ? "plain tag" : "region-coded tag");
}

static void test_formats_langmatch__export_tag(void)
{
  export_tag("ko", 0, "ko-KR");
  export_tag("en", 0, "en-US");
  export_tag("KO_kr", 0, "ko-KR");
  export_tag("EN-gb", 0, "en-GB");
  export_tag("zh-Hant", 0, "zh-Hant-TW");
  export_tag("zh", 0, "zh-CN");
  export_tag("pt-BR", 0, "pt-BR");
  export_tag("x-bogus_tag", 0, "x-bogus-tag");
  export_tag("und", 0, "und");
  export_tag("ko-KR", 1, "ko");
  export_tag("EN", 1, "en");
  char small[4];
  is_int(ieum_lang_export_tag(small, sizeof small, "ko", 0), IEUM_ELIMIT, "a slot too small");
}

static void test_formats_langmatch__matches(void)
{
  ok(ieum_lang_matches("ko", "ko-KR") && ieum_lang_matches("ko", "KO") && ieum_lang_matches("ko", "ko-KP"),
     "no region asked for: every ko-*");
  ok(ieum_lang_matches("ko-KR", "ko") && ieum_lang_matches("ko-KR", "ko_kr") && !ieum_lang_matches("ko-KR", "ko-KP"),
     "ko-KR: ko-KR and ko (its likely region), not ko-KP");
  ok(ieum_lang_matches("en-US", "en") && !ieum_lang_matches("en-GB", "en") && ieum_lang_matches("en-GB", "EN-gb"),
     "en is en-US, not en-GB");
  ok(!ieum_lang_matches("ko", "en") && !ieum_lang_matches("ko", "kok") && !ieum_lang_matches("ko", NULL),
     "another language, a longer primary subtag, no tag");
}

int main(void)
{
  test_formats_langmatch__export_tag();
  test_formats_langmatch__matches();
  return done_testing();
}
