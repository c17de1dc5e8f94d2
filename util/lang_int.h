/*
** util/lang_int.h: what lang.c offers the readers of tags in files (formats/).
**
** ieum_lang__case() writes a language tag in the casing BCP 47 recommends
** and CAT tools expect, with no check of its subtags: the TMX reader keeps
** whatever tag a file has, only cased ("EN-us" -> "en-US").
** Not here: checking and canonicalizing tags (ieum_lang_canonicalize(),
** include/ieum/text.h).
*/
#ifndef IEUM_LANG_INT_H
#define IEUM_LANG_INT_H

#include "util.h"

/* Lowercase language, titlecase 4-letter script, uppercase 2-letter region, '_' read as '-', in place. */
void ieum_lang__case(char *tag);

#endif
