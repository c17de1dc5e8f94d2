/*
** align/anchor_int.h: anchors, the tokens a translation keeps (private).
**
** An anchor is a 64-bit key for something that survives translation:
**   - a number, normalized across languages: "48억5천만" and "4.85 billion"
**     are both 4.85e9, "2016년" and "2016" are 2016, "3.5%" is 3.5, "ten" is 10;
**   - a month: "10월" and "October" are the same month key;
**   - a Latin-script word inside non-Latin text ("GSOMIA", "NHK", "AI"), which
**     the translation is expected to contain, matched against the words of a
**     Latin-script text.
** Per document, every segment's anchors sit in flat arrays indexed by
** offsets (off[i]..off[i+1] for segment i), built in O(text).
*/
#ifndef IEUM_ANCHOR_INT_H
#define IEUM_ANCHOR_INT_H

#include "align_int.h"

typedef struct {
  uint64_t *nums;     /* numbers and months, per segment */
  size_t *num_off;    /* n+1 offsets into nums */
  uint64_t *expect;   /* Latin words of non-Latin text: expected in the translation */
  size_t *exp_off;    /* n+1 offsets into expect */
  uint64_t *words;    /* every Latin word (lowercased), sorted per segment */
  size_t *word_off;   /* n+1 offsets into words */
  uint64_t *word_mask; /* per segment: bit (key & 63) set for each of its words, a quick "not there" */
  uint8_t *sents;     /* per segment: sentences it holds (1 + inner sentence ends), at most 255 */
  uint64_t *marks;    /* punctuation that translation keeps (ieum_anchor__marks()), per segment */
  size_t *mark_off;   /* n+1 offsets into marks */
} ieum_anchors;

/*
** Punctuation marks a translation tends to keep, as bits of the result:
** a double quotation mark (straight, curly, guillemets, `` and the CP949
** mojibake of curly quotes), a question mark, an exclamation mark, an
** opening parenthesis, in either script's form.  Apostrophes and single
** quotes are not marks (English uses them for elision, Korean for emphasis).
*/
enum { IEUM_MARK_QUOTE = 1, IEUM_MARK_QUESTION = 2, IEUM_MARK_EXCLAIM = 4, IEUM_MARK_PAREN = 8 };
unsigned ieum_anchor__marks(const char *s, size_t len);

/* The key of mark bit `bit` (an IEUM_MARK_* value): the same in every language. */
uint64_t ieum_anchor__mark_key(unsigned bit);

/* Sentences in `s`: 1 + the sentence ends found inside it (0 for empty text). */
unsigned ieum_anchor__sentences(const char *s, size_t len);

/* Extracts the anchors of every segment of `doc`.  IEUM_ENOMEM. */
int ieum_anchor__extract(ieum_anchors *out, const ieum_doc *doc);
void ieum_anchor__dispose(ieum_anchors *a);

typedef struct {
  uint32_t num_matched;   /* numbers on both sides (as a multiset) */
  uint32_t num_unmatched; /* numbers on one side only */
  uint32_t exp_matched;   /* expected Latin words found in the other side */
  uint32_t exp_unmatched; /* expected Latin words not found */
} ieum_anchor_match;

/*
** Compares source segments [i, i+a) with target segments [j, j+b).
*/
void ieum_anchor__match(ieum_anchor_match *out, const ieum_anchors *src, size_t i, size_t a,
                        const ieum_anchors *tgt, size_t j, size_t b);

#endif
