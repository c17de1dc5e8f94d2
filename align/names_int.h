/*
** align/names_int.h: proper names matched across scripts (private).
**
** A name written in Hangul (오스틴, 리버모아, 이종섭) and in Latin letters
** (Austin, Livermore, Lee Jong-seop) sounds alike: names.c romanizes Hangul
** jamo by jamo as ICU's "Hangul-Latin" transliterator does, and reduces
** both spellings to a consonant skeleton ("oseutin" and "austin" are both
** S-T-N), whose hash is the key.  A Korean word gives the key of its stem and, for three
** syllables (a surname and a given name), of its last two; an English
** capitalized word, or a hyphenated pair ("Jong-seop"), gives one key.
** Not here: the keysets themselves (keys.c), what a match is worth (score.c).
*/
#ifndef IEUM_NAMES_INT_H
#define IEUM_NAMES_INT_H

#include "keys_int.h"

/*
** Writes the consonant skeleton of the Latin word w[0..n) (either case;
** other characters are skipped) into out (NUL-terminated, at most `cap`
** bytes with the NUL); `english` applies English spelling rules first
** (silent final e, r before a consonant, soft c and g, ph/th/ck/sh).
** Returns its length in classes.
*/
size_t ieum_names__skeleton(char *out, size_t cap, const char *w, size_t n, int english);

/* The key of a skeleton. */
uint64_t ieum_names__key(const char *skel, size_t n);

/*
** Builds `out` (dispose with ieum_keyset__dispose()): every segment's name
** keys, reading `doc` as Korean (`korean` = 1) or English.  Errors:
** IEUM_ENOMEM.
*/
int ieum_names__keys(ieum_keyset *out, const ieum_doc *doc, int korean);

#endif
