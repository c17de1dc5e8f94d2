/*
** align/lexicon_int.h: the bilingual Korean-English lexicon (private).
**
** An ieum_lexicon is a set of entries; each entry has Korean forms (stems:
** "정부", "국방부") and English forms (lowercase words or phrases:
** "government", "defense ministry"; a form written with capitals, "US",
** matches only in that case).  Every form is stored as a 64-bit hash,
** tagged by side, once, in an open-addressing table of distinct forms; a
** form may belong to several entries, so each form slot heads a chain of
** postings (entry ids, in the order they were added) in one array:
**
**   forms[spread(h) % cap] ... linear probing ... { hash("k" "정부"), first, last }
**   posts[first] = { id 3, next } -> { id 17, next } -> ... -> posts[last] = { id 90, none }
**
** A third table holds a 64-bit key for every (Korean form, English form)
** pair that one entry has, so that "does an entry already pair these two
** forms" is one lookup.
** Every table is keyed by distinct keys: a form shared by 200,000 entries
** is one slot and one chain, not a cluster that every probe must walk.
** Invariants: a table's used <= cap * MAX_LOAD / 100 (lexicon.c); a
** (form, id) posting is stored once and a chain's ids increase; ids run
** from 0 to n_entries-1.
** A document's segments become keysets (keys_int.h) of entry keys: the same
** key on both sides of a bead means the same word was translated.
** Not here: the built-in entries (lexicon_data.c), names (names.c).
*/
#ifndef IEUM_LEXICON_INT_H
#define IEUM_LEXICON_INT_H

#include "keys_int.h"
#include "names_int.h"

/* No posting: the end of a chain. */
#define IEUM_LEX_NONE UINT32_MAX

typedef struct {
  uint64_t hash;  /* side-tagged hash of the form; 0 = empty slot */
  uint32_t first; /* its first posting (index into posts) */
  uint32_t last;  /* its last posting: where the next entry's id is chained */
} ieum_lexicon_form;

typedef struct {
  uint32_t id;   /* entry */
  uint32_t next; /* the form's next posting, IEUM_LEX_NONE at the end */
} ieum_lexicon_post;

/* A usable form of the entry being added (lexicon.c add_entry()). */
typedef struct {
  uint64_t hash;  /* side-tagged hash of the form */
  uint64_t head;  /* English: hash of its first word when it has two or more, else 0 */
  uint32_t size;  /* Korean: syllables; English: words */
  char side;      /* IEUM_LEX_KO or IEUM_LEX_EN */
} ieum_lexicon_note;

typedef struct {
  uint64_t hash;  /* hash of a word; 0 = empty slot */
  uint32_t words; /* most words of an English form that the word starts */
} ieum_lexicon_head;

struct ieum_lexicon {
  ieum_lexicon_form *forms;
  size_t forms_cap;      /* slots allocated, a power of two (or 0) */
  size_t forms_used;     /* slots in use: distinct forms */
  ieum_lexicon_post *posts;
  size_t posts_cap;      /* postings allocated */
  uint32_t n_posts;      /* postings in use */
  uint64_t *pairs;       /* keys of the (Korean form, English form) pairs of the entries (lexicon.c pair_key()); 0 = empty */
  size_t pairs_cap;      /* slots allocated, a power of two (or 0) */
  size_t pairs_used;     /* slots in use */
  ieum_lexicon_note *scratch; /* add_entry(): the usable forms of the entry being added */
  size_t scratch_cap;
  uint32_t n_entries;    /* entries; the next id */
  uint32_t max_ko_syl;   /* syllables of the longest Korean form */
  uint32_t max_en_words; /* words of the longest English form */
  /*
  ** Phrase heads: the first words of the English forms of two or more
  ** words, each with the most words of a form it starts, in a fourth
  ** table: a word that heads no phrase skips every phrase lookup.
  */
  ieum_lexicon_head *heads;
  size_t heads_cap;      /* slots allocated, a power of two (or 0) */
  size_t heads_used;     /* slots in use */
};

/* Side tags of the form hashes. */
#define IEUM_LEX_KO 'k'
#define IEUM_LEX_EN 'e'

/*
** Adds one entry whose Korean forms and English forms are given as
** '|'-separated lists ("대통령|대통령직", "president|presidential").  English
** forms are folded to lowercase, except acronyms (two or more capitals and
** nothing else: "US", "UN"), which then match only in capitals.  Returns the
** entry's id in *out (may be NULL).  Errors: IEUM_EINVAL (a side with no
** usable form; nothing is added), IEUM_ENOMEM, IEUM_ELIMIT (2^32 - 1
** entries or postings).  Cost: O(forms + Korean forms * English forms).
*/
int ieum_lexicon__add_entry(uint32_t *out, ieum_lexicon *lex, const char *ko, size_t ko_len, const char *en,
                            size_t en_len);

/* Adds the built-in news vocabulary (lexicon_data.c).  IEUM_ENOMEM. */
int ieum_lexicon__add_builtin(ieum_lexicon *lex);

/* The key a segment gets for entry `id`: the same on both sides. */
uint64_t ieum_lexicon__key(uint32_t id);

/*
** Is `doc` Korean: do Hangul syllables outnumber Latin letters in it.
*/
int ieum_lexicon__is_korean(const ieum_doc *doc);

/*
** Builds `out` (dispose with ieum_keyset__dispose()): for each segment of
** `doc` the keys of the entries found in it, reading it as Korean (`korean`
** = 1: Hangul runs matched by their longest entry prefix) or English
** (lowercased words, suffixes s/es/ed/ing stripped, phrases first).
** IEUM_ENOMEM.
*/
int ieum_lexicon__keys(ieum_keyset *out, const ieum_lexicon *lex, const ieum_doc *doc, int korean);

/*
** Korean: the length in bytes of the stem of the Hangul word w[0..n)
** (UTF-8), once a final particle or verb ending of a closed list ("는",
** "에서", "했다") is cut off; the stem keeps at least one syllable.
*/
size_t ieum_lexicon__ko_stem(const char *w, size_t n);

/* Is w[0..n) (UTF-8) a Korean particle or ending of that list. */
int ieum_lexicon__is_particle(const char *w, size_t n);

/*
** The same list as a hash set, for hot loops: each particle (one to three
** Hangul syllables) is coded as a 64-bit number (its syllable count and
** each syllable's index from U+AC00, 14 bits each) in an open-addressing
** table that is filled once per document (ieum_particles__init()) and then
** only read.  ko_stem_fast() and is_particle_fast() answer as
** ieum_lexicon__ko_stem() and ieum_lexicon__is_particle() do, in O(1).
*/
#define IEUM_PARTICLE_SLOTS 256
typedef struct {
  uint64_t code[IEUM_PARTICLE_SLOTS]; /* 0 = empty slot */
} ieum_particles;
void ieum_particles__init(ieum_particles *p);
size_t ieum_lexicon__ko_stem_fast(const ieum_particles *p, const char *w, size_t n);
int ieum_lexicon__is_particle_fast(const ieum_particles *p, const char *w, size_t n);

/*
** The index from U+AC00 of the Hangul syllable whose three UTF-8 bytes
** start at s, or -1 when they are not one (any bytes may be given).
*/
static inline int32_t ieum_lexicon__syllable_at(const char *s)
{
  const unsigned char *u = (const unsigned char *)s;
  if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
    return -1;
  int32_t cp = ((int32_t)(u[0] & 0x0F) << 12) | ((int32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
  return cp >= 0xAC00 && cp <= 0xD7A3 ? cp - 0xAC00 : -1;
}

/*
** English: writes into `out` (NUL-terminated, up to `cap` bytes) the
** lowercase form of the word w[0..n) with a plural "s" removed ("talks" ->
** "talk"); returns its length, 0 when it does not fit or is a stop word.
*/
size_t ieum_lexicon__en_norm(char *out, size_t cap, const char *w, size_t n);

/*
** The aligner's lexical keysets of one document, for a caller that has
** decided which side is Korean (the lexicon is used when exactly one is)
** and which lexicon to use (`lex` non-NULL), so that the two sides may be
** keyed on two threads (it only reads `lex` and `doc`): the lexicon keys of
** `doc` read as Korean or not and, when `names`, its name keys (else an
** empty keyset).  On failure nothing is
** left to dispose.  Errors: IEUM_ENOMEM, IEUM_ERROR (ICU).
*/
int ieum_lexicon__side_keys(ieum_keyset *lex_keys, ieum_keyset *name_keys, int names, const ieum_lexicon *lex,
                            const ieum_doc *doc, int korean);

/* Hangul syllable U+AC00..U+D7A3. */
static inline int ieum_lexicon__hangul(int32_t cp)
{
  return cp >= 0xAC00 && cp <= 0xD7A3;
}

#endif
