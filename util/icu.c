/*
** util/icu.c: the bridge between our UTF-8 and ICU's UTF-16.
**
** Some ICU C APIs take only UChar (unorm2_normalize, utrans_*).  These
** helpers convert with u_strFromUTF8/u_strToUTF8: preflight for the length,
** allocate, convert.  No UTF-16 buffer escapes the function that made it
** except through ieum__icu_to_u16, whose caller frees it.
*/
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

#include "util.h"

int ieum__icu_to_u16(uint16_t **out, int32_t *out_len, const char *s, size_t len)
{
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  *out = NULL;
  *out_len = 0;
  if (len > INT32_MAX / 2)
    return ieum__error_set(IEUM_ELIMIT, "text too large for ICU (%zu bytes)", len);
  u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
    return ieum__error_set(IEUM_EENCODING, "ICU u_strFromUTF8(): %s", u_errorName(st));
  UChar *u = ieum__malloc(((size_t)n + 1) * sizeof(UChar));
  if (!u)
    return ieum__error_oom();
  st = U_ZERO_ERROR;
  u_strFromUTF8(u, n + 1, NULL, s, (int32_t)len, &st);
  if (U_FAILURE(st)) {
    ieum__free(u);
    return ieum__error_set(IEUM_EENCODING, "ICU u_strFromUTF8(): %s", u_errorName(st));
  }
  *out = (uint16_t *)u;
  *out_len = n;
  return IEUM_OK;
}

int ieum__icu_from_u16(ieum_buf *out, const uint16_t *s, int32_t len)
{
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  u_strToUTF8(NULL, 0, &n, (const UChar *)s, len, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
    return ieum__error_set(IEUM_EENCODING, "ICU u_strToUTF8(): %s", u_errorName(st));
  int rc = ieum__buf_grow(out, (size_t)n);
  if (rc)
    return rc;
  st = U_ZERO_ERROR;
  u_strToUTF8(out->ptr + out->size, n + 1, NULL, (const UChar *)s, len, &st);
  if (U_FAILURE(st))
    return ieum__error_set(IEUM_EENCODING, "ICU u_strToUTF8(): %s", u_errorName(st));
  out->size += (size_t)n;
  out->ptr[out->size] = '\0';
  return IEUM_OK;
}

int ieum__icu_nfc(ieum_buf *out, const char *s, size_t len)
{
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
  if (U_FAILURE(st))
    return ieum__error_set(IEUM_ERROR, "ICU unorm2_getNFCInstance(): %s", u_errorName(st));
  uint16_t *u = NULL;
  int32_t ulen = 0;
  int rc = ieum__icu_to_u16(&u, &ulen, s, len);
  if (rc)
    return rc;
  /* Fast path: most text is already NFC. */
  int32_t ok = unorm2_spanQuickCheckYes(nfc, (const UChar *)u, ulen, &st);
  if (U_SUCCESS(st) && ok == ulen) {
    ieum__free(u);
    return ieum__buf_put(out, s, len);
  }
  st = U_ZERO_ERROR;
  int32_t n = unorm2_normalize(nfc, (const UChar *)u, ulen, NULL, 0, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
    ieum__free(u);
    return ieum__error_set(IEUM_ERROR, "ICU unorm2_normalize(): %s", u_errorName(st));
  }
  UChar *norm = ieum__malloc(((size_t)n + 1) * sizeof(UChar));
  if (!norm) {
    ieum__free(u);
    return ieum__error_oom();
  }
  st = U_ZERO_ERROR;
  unorm2_normalize(nfc, (const UChar *)u, ulen, norm, n + 1, &st);
  ieum__free(u);
  if (U_FAILURE(st)) {
    ieum__free(norm);
    return ieum__error_set(IEUM_ERROR, "ICU unorm2_normalize(): %s", u_errorName(st));
  }
  rc = ieum__icu_from_u16(out, (const uint16_t *)norm, n);
  ieum__free(norm);
  return rc;
}
