/*
** formats/lang.c: language tags given by a user (--src-lang, --tgt-lang).
**
** ieum_lang_canonicalize() lets ICU parse the tag as BCP 47
** (uloc_forLanguageTag), insists that the whole tag was read, then checks
** each subtag against what ICU knows: the language has an ISO 639 code, a
** script is an ISO 15924 code, a two-letter region an ISO 3166 one (a
** three-digit UN M.49 region is taken as it is), a variant one ICU has a
** name for.  The result is ICU's canonical form (uloc_toLanguageTag, strict):
** "KO" -> "ko", "en-us" -> "en-US", "iw" -> "he".  Cost: a few table look-ups.
** Not here: which languages the segmenter or the lexicon know
** (align/segment.c, align/lexicon.c): any known language is accepted.
*/
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/uscript.h>

#include "util.h"

/* Bytes of a tag we look at: far beyond any real tag, bounded so ICU's fixed buffers hold it. */
#define TAG_MAX 96

static int bad(const char *tag, const char *what, const char *subtag)
{
  return ieum__error_set(IEUM_EINVAL, "'%s': %s%s%s%s (a BCP 47 tag such as ko, en or en-US)", tag, what,
                         subtag ? " '" : "", subtag ? subtag : "", subtag ? "'" : "");
}

int ieum_lang_canonicalize(char *out, size_t size, const char *tag)
{
  char loc[ULOC_FULLNAME_CAPACITY + ULOC_KEYWORD_AND_VALUES_CAPACITY];
  char lang[ULOC_LANG_CAPACITY], script[ULOC_SCRIPT_CAPACITY], region[ULOC_COUNTRY_CAPACITY];
  char variant[ULOC_FULLNAME_CAPACITY], canon[TAG_MAX * 2];
  UErrorCode st = U_ZERO_ERROR;
  int32_t parsed = 0;
  if (size)
    out[0] = '\0';
  size_t n = strlen(tag);
  if (n == 0)
    return ieum__error_set(IEUM_EINVAL, "a language tag cannot be empty (a BCP 47 tag such as ko, en or en-US)");
  if (n > TAG_MAX)
    return ieum__error_set(IEUM_EINVAL, "language tag of %zu bytes: not a BCP 47 tag", n);
  uloc_forLanguageTag(tag, loc, (int32_t)sizeof loc, &parsed, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || parsed != (int32_t)n)
    return bad(tag, "not a BCP 47 language tag", NULL);
  st = U_ZERO_ERROR;
  uloc_getLanguage(loc, lang, (int32_t)sizeof lang, &st);
  uloc_getScript(loc, script, (int32_t)sizeof script, &st);
  uloc_getCountry(loc, region, (int32_t)sizeof region, &st);
  uloc_getVariant(loc, variant, (int32_t)sizeof variant, &st);
  if (U_FAILURE(st))
    return ieum__error_set(IEUM_ERROR, "'%s': ICU uloc_getLanguage(): %s", tag, u_errorName(st));
  if (!lang[0])
    return bad(tag, "names no language", NULL);
  if (!uloc_getISO3Language(loc)[0])
    return bad(tag, "unknown language", lang);
  if (script[0]) {
    UScriptCode codes[4];
    st = U_ZERO_ERROR;
    if (uscript_getCode(script, codes, 4, &st) < 1 || U_FAILURE(st))
      return bad(tag, "unknown script", script);
  }
  if (region[0] && !(strlen(region) == 3 && strspn(region, "0123456789") == 3) && !uloc_getISO3Country(loc)[0])
    return bad(tag, "unknown region", region);
  if (variant[0]) {
    UChar name[64];
    st = U_ZERO_ERROR;
    uloc_getDisplayVariant(loc, "en", name, 64, &st);
    if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING) {
      for (char *c = variant; *c; c++) /* ICU upper-cases variants; BCP 47 writes them in lower case */
        if (*c >= 'A' && *c <= 'Z')
          *c = (char)(*c - 'A' + 'a');
      return bad(tag, "unknown variant", variant);
    }
  }
  st = U_ZERO_ERROR;
  int32_t len = uloc_toLanguageTag(loc, canon, (int32_t)sizeof canon, 1, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
    return ieum__error_set(IEUM_ERROR, "'%s': ICU uloc_toLanguageTag(): %s", tag, u_errorName(st));
  if ((size_t)len >= size)
    return ieum__error_set(IEUM_ELIMIT, "'%s': the canonical tag needs %d bytes, %zu given", tag, (int)len + 1, size);
  memcpy(out, canon, (size_t)len + 1);
  return IEUM_OK;
}
