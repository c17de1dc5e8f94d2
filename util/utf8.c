/*
** util/utf8.c: UTF-8 validation and decoding.
**
** Validation follows the Unicode table of well-formed byte sequences
** (Unicode 15, table 3-7): no overlongs, no surrogates, nothing above
** U+10FFFF.  Decoding assumes input that passed validation.  Also the test
** for text that is only white space, which every layer asks (formats/,
** align/, tm/; ieum_text_is_blank() is its public name).
** Cost: O(n); runs of ASCII are checked 8 bytes at a time.
*/
#include <string.h>

#include "util.h"

size_t ieum__utf8_invalid_at(const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    uint64_t w;
    /* ASCII, 8 bytes at a time. */
    while (i + 8 <= len && (memcpy(&w, s + i, sizeof w), !(w & 0x8080808080808080ULL)))
      i += 8;
    if (i >= len)
      break;
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    } else
      return i;
    if (len - i <= n)
      return i;
    if (s[i + 1] < lo || s[i + 1] > hi)
      return i;
    for (size_t k = 2; k <= n; k++)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF)
        return i;
    i += n + 1;
  }
  return len;
}

int32_t ieum__utf8_next(const char *str, size_t len, size_t *i)
{
  const unsigned char *s = (const unsigned char *)str;
  unsigned char c = s[*i];
  int32_t cp;
  size_t n;
  if (c < 0x80) {
    (*i)++;
    return c;
  } else if (c < 0xE0) {
    cp = c & 0x1F;
    n = 1;
  } else if (c < 0xF0) {
    cp = c & 0x0F;
    n = 2;
  } else {
    cp = c & 0x07;
    n = 3;
  }
  (*i)++;
  for (size_t k = 0; k < n && *i < len; k++, (*i)++)
    cp = (cp << 6) | (s[*i] & 0x3F);
  return cp;
}

size_t ieum__utf8_count(const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      n++;
  return n;
}

/* Unicode White_Space, plus U+FEFF (a stray BOM is as good as nothing). */
static int is_white(int32_t c)
{
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

int ieum__utf8_is_blank(const char *s, size_t len)
{
  for (size_t i = 0; i < len;)
    if (!is_white(ieum__utf8_next(s, len, &i)))
      return 0;
  return 1;
}
