/*
** util/lang.c: language tags given by a user (--src-lang, --tgt-lang), and the
** one rule for tags already in a TM; in util/ because every layer uses it.
**
** ieum_lang_canonicalize() lets ICU parse the tag as BCP 47
** (uloc_forLanguageTag), insists that the whole tag was read, then checks
** each subtag against what ICU knows: the language has an ISO 639 code, a
** script is an ISO 15924 code, a two-letter region an ISO 3166 one (a
** three-digit UN M.49 region is taken as it is), a variant one ICU has a
** name for.  The result is ICU's canonical form (uloc_toLanguageTag, strict):
** "KO" -> "ko", "en-us" -> "en-US", "iw" -> "he".  Cost: a few table look-ups.
** ieum_lang_export_tag() and ieum_lang_matches() are the one rule for tags
** already in a TM (written by ieum, or imported as a file had them: "ko",
** "ko-KR", "KO_kr"): a tag without a region stands for its language's most
** likely region (uloc_addLikelySubtags), so "ko" and "ko-KR" are one
** language, and exports write region codes.  Cost: one ICU look-up a tag.
** Not here: which languages the segmenter or the lexicon know
** (align/segment.c, align/lexicon.c): any known language is accepted.
*/
#include <string.h>
#include <strings.h>

#include <unicode/uloc.h>
#include <unicode/uscript.h>

#include "lang_int.h"

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

/* Lowercase language, titlecase script, uppercase region, '-' separators: "EN_us" -> "en-US". */
void ieum_lang__case(char *tag)
{
  size_t start = 0;
  for (size_t k = 0;; k++) {
    char c = tag[k];
    if (c == '_')
      tag[k] = c = '-';
    if (c != '-' && c != '\0')
      continue;
    size_t n = k - start;
    for (size_t i = start; i < k; i++) {
      int upper = start > 0 && (n == 2 || (n == 4 && i == start));
      if (upper && tag[i] >= 'a' && tag[i] <= 'z')
        tag[i] = (char)(tag[i] - 'a' + 'A');
      else if (!upper && tag[i] >= 'A' && tag[i] <= 'Z')
        tag[i] = (char)(tag[i] - 'A' + 'a');
    }
    if (c == '\0')
      break;
    start = k + 1;
  }
}

/*
** The ICU locale of `tag` (its '_' read as '-') and its region, explicit or
** else the likely one, into region[]; 0 when ICU cannot read the tag.
*/
static int tag_region(char loc[ULOC_FULLNAME_CAPACITY], char region[ULOC_COUNTRY_CAPACITY], const char *tag)
{
  char t[TAG_MAX + 1], full[ULOC_FULLNAME_CAPACITY];
  UErrorCode st = U_ZERO_ERROR;
  int32_t parsed = 0;
  size_t n = strlen(tag);
  region[0] = '\0';
  if (n == 0 || n > TAG_MAX)
    return 0;
  for (size_t i = 0; i <= n; i++)
    t[i] = tag[i] == '_' ? '-' : tag[i];
  uloc_forLanguageTag(t, loc, ULOC_FULLNAME_CAPACITY, &parsed, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || parsed != (int32_t)n)
    return 0;
  char lang[ULOC_LANG_CAPACITY];
  uloc_getLanguage(loc, lang, (int32_t)sizeof lang, &st);
  uloc_getCountry(loc, region, ULOC_COUNTRY_CAPACITY, &st);
  if (U_FAILURE(st) || !lang[0] || !strcmp(lang, "und"))
    return 0; /* private use ("x-..."), no language: nothing to say about its region */
  if (region[0])
    return 1;
  uloc_addLikelySubtags(loc, full, (int32_t)sizeof full, &st);
  if (U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING)
    uloc_getCountry(full, region, ULOC_COUNTRY_CAPACITY, &st);
  if (U_FAILURE(st))
    region[0] = '\0';
  return 1;
}

static int put_tag(char *out, size_t size, const char *tag, size_t n)
{
  if (n >= size)
    return ieum__error_set(IEUM_ELIMIT, "'%.*s': the tag needs %zu bytes, %zu given", (int)(n > 64 ? 64 : n), tag,
                           n + 1, size);
  memcpy(out, tag, n);
  out[n] = '\0';
  ieum_lang__case(out);
  return IEUM_OK;
}

int ieum_lang_export_tag(char *out, size_t size, const char *tag, int plain)
{
  char loc[ULOC_FULLNAME_CAPACITY], region[ULOC_COUNTRY_CAPACITY], built[ULOC_FULLNAME_CAPACITY + 8];
  char canon[TAG_MAX * 2];
  if (size)
    out[0] = '\0';
  if (plain)
    return put_tag(out, size, tag, strcspn(tag, "-_"));
  if (!tag_region(loc, region, tag) || !region[0])
    return put_tag(out, size, tag, strlen(tag));
  UErrorCode st = U_ZERO_ERROR;
  char have[ULOC_COUNTRY_CAPACITY];
  uloc_getCountry(loc, have, (int32_t)sizeof have, &st);
  if (U_FAILURE(st) || have[0])
    return put_tag(out, size, tag, strlen(tag));
  /* No region: insert the likely one after the language and script, before any variant. */
  char lang[ULOC_LANG_CAPACITY], script[ULOC_SCRIPT_CAPACITY], variant[ULOC_FULLNAME_CAPACITY];
  uloc_getLanguage(loc, lang, (int32_t)sizeof lang, &st);
  uloc_getScript(loc, script, (int32_t)sizeof script, &st);
  uloc_getVariant(loc, variant, (int32_t)sizeof variant, &st);
  if (U_FAILURE(st) || strlen(lang) + strlen(script) + strlen(region) + strlen(variant) + 4 > sizeof built)
    return put_tag(out, size, tag, strlen(tag));
  strcpy(built, lang);
  if (script[0])
    strcat(strcat(built, "_"), script);
  strcat(strcat(built, "_"), region);
  if (variant[0])
    strcat(strcat(built, "_"), variant);
  int32_t len = uloc_toLanguageTag(built, canon, (int32_t)sizeof canon, 0, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || len <= 0)
    return put_tag(out, size, tag, strlen(tag));
  return put_tag(out, size, canon, (size_t)len);
}

int ieum_lang_matches(const char *want, const char *have)
{
  char wl[ULOC_FULLNAME_CAPACITY], hl[ULOC_FULLNAME_CAPACITY];
  char wr[ULOC_COUNTRY_CAPACITY], hr[ULOC_COUNTRY_CAPACITY], given[ULOC_COUNTRY_CAPACITY];
  if (!want || !have)
    return 0;
  size_t a = strcspn(want, "-_"), b = strcspn(have, "-_");
  if (a != b || strncasecmp(want, have, a) != 0)
    return 0;
  if (!want[a])
    return 1; /* no region asked for */
  if (!tag_region(wl, wr, want))
    return strcasecmp(want, have) == 0;
  UErrorCode st = U_ZERO_ERROR;
  uloc_getCountry(wl, given, (int32_t)sizeof given, &st);
  if (U_FAILURE(st) || !given[0])
    return 1; /* "zh-Hant": a script only, no region asked for */
  if (!tag_region(hl, hr, have))
    return 0;
  return strcasecmp(wr, hr) == 0;
}
