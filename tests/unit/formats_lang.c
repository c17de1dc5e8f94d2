/*
** tests/unit/formats_lang.c: checking and canonicalizing language tags
** (util/lang.c: ieum_lang_canonicalize()).
**
** Well-formed, known tags come back in canonical form (case, deprecated
** codes, grandfathered tags); malformed ones and unknown languages,
** scripts, regions and variants are refused with IEUM_EINVAL and a
** one-line message naming the tag and the bad part; a short output
** buffer gives IEUM_ELIMIT.
*/
#include "tap.h"
#include "util.h"

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(no error)";
}

static void canon(const char *tag, const char *want)
{
  char out[IEUM_LANG_MAX];
  int rc = ieum_lang_canonicalize(out, sizeof out, tag);
  is_int(rc, IEUM_OK, "'%s' is accepted", tag);
  if (rc == IEUM_OK)
    is_str(out, want, "'%s' -> '%s'", tag, want);
}

static void refused(const char *tag, const char *message)
{
  char out[IEUM_LANG_MAX] = "x";
  is_int(ieum_lang_canonicalize(out, sizeof out, tag), IEUM_EINVAL, "'%s' is refused", tag);
  is_str(last_message(), message, "'%s': the message", tag);
  ok(strchr(last_message(), '\n') == NULL, "'%s': the message is one line", tag);
  is_str(out, "", "'%s': the output is empty", tag);
}

static void test_formats_lang__canonical(void)
{
  canon("ko", "ko");
  canon("KO", "ko");
  canon("en-us", "en-US");
  canon("Ko-kr", "ko-KR");
  canon("zh-hant-tw", "zh-Hant-TW");
  canon("es-419", "es-419");
  canon("iw", "he");
  canon("i-klingon", "tlh");
  canon("fil", "fil");
  canon("sl-rozaj", "sl-rozaj");
  canon("de-1996", "de-1996");
  canon("ko-KR-x-news", "ko-KR-x-news");
}

static void test_formats_lang__refused(void)
{
  refused("xx-bogus", "'xx-bogus': unknown language 'xx' (a BCP 47 tag such as ko, en or en-US)");
  refused("ko-bogus", "'ko-bogus': unknown variant 'bogus' (a BCP 47 tag such as ko, en or en-US)");
  refused("en_US", "'en_US': not a BCP 47 language tag (a BCP 47 tag such as ko, en or en-US)");
  refused("en-", "'en-': not a BCP 47 language tag (a BCP 47 tag such as ko, en or en-US)");
  refused("ko ", "'ko ': not a BCP 47 language tag (a BCP 47 tag such as ko, en or en-US)");
  refused("123", "'123': not a BCP 47 language tag (a BCP 47 tag such as ko, en or en-US)");
  refused("und", "'und': names no language (a BCP 47 tag such as ko, en or en-US)");
  refused("zh-Abcd", "'zh-Abcd': unknown script 'Abcd' (a BCP 47 tag such as ko, en or en-US)");
  refused("en-QQ", "'en-QQ': unknown region 'QQ' (a BCP 47 tag such as ko, en or en-US)");
  refused("", "a language tag cannot be empty (a BCP 47 tag such as ko, en or en-US)");
  char big[200];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  refused(big, "language tag of 199 bytes: not a BCP 47 tag");
}

static void test_formats_lang__short_buffer(void)
{
  char out[4];
  is_int(ieum_lang_canonicalize(out, sizeof out, "en-US"), IEUM_ELIMIT, "a 4-byte buffer cannot hold en-US");
  is_int(ieum_lang_canonicalize(out, sizeof out, "ko"), IEUM_OK, "but holds ko");
  is_str(out, "ko", "ko fits");
}

int main(void)
{
  test_formats_lang__canonical();
  test_formats_lang__refused();
  test_formats_lang__short_buffer();
  return done_testing();
}
