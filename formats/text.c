/* formats/text.c: being written. */
#include "util.h"

int ieum_text_is_blank(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
      return 0;
  return 1;
}
