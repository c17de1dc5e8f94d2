/*
** align/pair.c: is a document pair a translation pair?  ieum_pair_check().
**
** Four checks, in this order, each ending in IEUM_EINVAL and a one-line
** message naming both files:
**   - same text: most two-sided beads of the alignment hold the same text on
**     both sides (a file given twice);
**   - language: each side's letters are counted by script (ICU's
**     uscript_getScript; Common and Inherited characters are not letters)
**     against the scripts ICU gives for the side's language
**     (uscript_getCode: ko -> Hangul, Han; en -> Latin).  A side whose own
**     scripts hold under LANG_MIN_SHARE of its letters is in the wrong
**     language; when each side is in the other's language, the pair is
**     swapped;
**   - translation: the document score (IEUM_PAIR_MIN_SCORE in
**     include/ieum/align.h) is under the threshold, for pairs of at least
**     IEUM_PAIR_MIN_SEGMENTS segments a side, one side Korean and the
**     other not (the pairs the lexicon keys, which the threshold was
**     measured on).
** Cost: one pass over both texts, plus the scorer's set-up on at most
** SCORE_SEGMENTS_MAX segments a side and one evidence look-up per 1-1 bead
** among them: bounded, whatever the length of the pair.
** Not here: the alignment itself (dp.c), the evidence model (score.c).
*/
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "align_int.h"
#include "pair_int.h"
#include "score_int.h"

/* Share of a side's letters that must be in its language's scripts: Korean news quotes English names. */
#define LANG_MIN_SHARE 0.3
/* Letters a side needs before its language is judged: a side of digits and a word or two is not. */
#define LANG_MIN_LETTERS 8
/*
** Segments a side that the document score is computed on: the scorer's
** set-up costs about as much as the alignment's, and the first thousand
** sentences of a long pair say whether it is a translation as well as the
** whole does (the threshold was measured on documents of 100).
*/
#define SCORE_SEGMENTS_MAX 1000
/* Scripts kept per language: ICU gives at most 3 (ja: Kana, Hira, Hani). */
#define MAX_SCRIPTS 8

/* The scripts of language `lang` in `codes`; 0 when ICU knows none ("und"). */
static int lang_scripts(UScriptCode codes[MAX_SCRIPTS], const char *lang)
{
  char loc[ULOC_FULLNAME_CAPACITY];
  UErrorCode st = U_ZERO_ERROR;
  int32_t parsed = 0;
  uloc_forLanguageTag(lang, loc, (int32_t)sizeof loc, &parsed, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
    return 0;
  char lang_only[ULOC_LANG_CAPACITY];
  st = U_ZERO_ERROR;
  uloc_getLanguage(loc, lang_only, (int32_t)sizeof lang_only, &st);
  if (U_FAILURE(st) || !lang_only[0] || !strcmp(lang_only, "und")) /* ICU would guess Latin for "und" */
    return 0;
  st = U_ZERO_ERROR;
  int n = uscript_getCode(loc, codes, MAX_SCRIPTS, &st);
  if (U_FAILURE(st) || n < 1)
    return 0;
  for (int k = 0; k < n; k++)
    if (codes[k] == USCRIPT_KOREAN || codes[k] == USCRIPT_JAPANESE) /* a union script: spell out its parts */
      return 0;
  return n;
}

static int in(UScriptCode sc, const UScriptCode *codes, int n)
{
  for (int k = 0; k < n; k++)
    if (codes[k] == sc)
      return 1;
  return 0;
}

/* Counts the letters of `doc`, those of scripts `own` and those of scripts `other`. */
static void count_letters(size_t *letters, size_t *own_n, size_t *other_n, const ieum_doc *doc,
                          const UScriptCode *own, int n_own, const UScriptCode *other, int n_other)
{
  for (size_t i = 0; i < ieum_doc_count(doc); i++) {
    const ieum_segment *sg = ieum_doc_segment(doc, i);
    int32_t len = sg->len > INT32_MAX ? INT32_MAX : (int32_t)sg->len;
    for (int32_t p = 0; p < len;) {
      UChar32 c;
      U8_NEXT(sg->text, p, len, c);
      if (c < 0)
        continue;
      UErrorCode st = U_ZERO_ERROR;
      UScriptCode sc = uscript_getScript(c, &st);
      if (U_FAILURE(st) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc == USCRIPT_UNKNOWN)
        continue;
      (*letters)++;
      *own_n += (size_t)in(sc, own, n_own);
      *other_n += (size_t)in(sc, other, n_other);
    }
  }
}

/* 1 when the bead's two sides hold as many segments, each the same text as its counterpart. */
static int same_text(const ieum_doc *src, const ieum_doc *tgt, const ieum_bead *b)
{
  if (b->src_n != b->tgt_n || b->src_n == 0)
    return 0;
  for (uint32_t k = 0; k < b->src_n; k++) {
    const ieum_segment *x = ieum_doc_segment(src, b->src_start + k), *y = ieum_doc_segment(tgt, b->tgt_start + k);
    if (x->len != y->len || memcmp(x->text, y->text, x->len))
      return 0;
  }
  return 1;
}

/* A copy of the first `n` segments of `doc` (text, paragraph, role) into `*out`.  IEUM_ENOMEM. */
static int prefix(ieum_doc **out, const ieum_doc *doc, size_t n)
{
  ieum_doc *d = NULL;
  int rc = ieum_doc__alloc(&d, ieum_doc_lang(doc));
  for (size_t i = 0; rc == 0 && i < n; i++) {
    const ieum_segment *sg = ieum_doc_segment(doc, i);
    rc = ieum_doc__add(d, sg->text, 0, sg->len, sg->para);
  }
  if (rc) {
    ieum_doc_free(d);
    *out = NULL;
    return rc;
  }
  ieum_doc__finish(d);
  for (size_t i = 0; i < d->n; i++)
    d->segs[i].role = ieum_doc_segment(doc, i)->role;
  *out = d;
  return 0;
}

int ieum_pair__stats(ieum_pair_stats *out, const ieum_doc *src, const ieum_doc *tgt, const ieum_alignment *al,
                     const ieum_lexicon *lex)
{
  UScriptCode sc[2][MAX_SCRIPTS];
  int n_sc[2];
  memset(out, 0, sizeof *out);
  n_sc[0] = lang_scripts(sc[0], ieum_doc_lang(src));
  n_sc[1] = lang_scripts(sc[1], ieum_doc_lang(tgt));
  out->known[0] = n_sc[0] > 0;
  out->known[1] = n_sc[1] > 0;
  count_letters(&out->letters[0], &out->own[0], &out->other[0], src, sc[0], n_sc[0], sc[1], n_sc[1]);
  count_letters(&out->letters[1], &out->own[1], &out->other[1], tgt, sc[1], n_sc[1], sc[0], n_sc[0]);
  size_t nb = ieum_alignment_count(al);
  for (size_t k = 0; k < nb; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_n == 0 || b->tgt_n == 0)
      continue;
    out->two_sided++;
    out->same += (size_t)same_text(src, tgt, b);
    out->one_one += b->src_n == 1 && b->tgt_n == 1;
  }
  out->sized = ieum_doc_count(src) >= IEUM_PAIR_MIN_SEGMENTS && ieum_doc_count(tgt) >= IEUM_PAIR_MIN_SEGMENTS;
  if (!out->sized)
    return 0;
  /* the score of a long pair is that of its first SCORE_SEGMENTS_MAX segments a side, as the ladder cuts them */
  size_t ns = ieum_doc_count(src), nt = ieum_doc_count(tgt), cut = nb;
  if (ns > SCORE_SEGMENTS_MAX || nt > SCORE_SEGMENTS_MAX) {
    ns = nt = 0;
    for (cut = 0; cut < nb; cut++) {
      const ieum_bead *b = ieum_alignment_bead(al, cut);
      if (b->src_start + b->src_n > SCORE_SEGMENTS_MAX || b->tgt_start + b->tgt_n > SCORE_SEGMENTS_MAX)
        break;
      ns = b->src_start + b->src_n;
      nt = b->tgt_start + b->tgt_n;
    }
  }
  ieum_doc *sub[2] = { NULL, NULL };
  ieum_scorer s;
  int rc = 0;
  if (ns < ieum_doc_count(src) || nt < ieum_doc_count(tgt)) {
    if ((rc = prefix(&sub[0], src, ns)) != 0 || (rc = prefix(&sub[1], tgt, nt)) != 0)
      goto done;
  }
  if ((rc = ieum_score__init_threads(&s, sub[0] ? sub[0] : src, sub[1] ? sub[1] : tgt, ieum_alignment_ratio(al),
                                     lex, 0)) != 0)
    goto done;
  double sum = 0;
  size_t n11 = 0;
  for (size_t k = 0; k < cut && s.lexical; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_n != 1 || b->tgt_n != 1)
      continue;
    sum += ieum_score__evidence(&s, b->src_start, 1, b->tgt_start, 1);
    n11++;
  }
  if (!s.lexical) /* no lexicon, names or Latin words between the sides: the threshold does not apply */
    out->sized = 0;
  else if (n11)
    out->score = sum / (double)n11;
  ieum_score__dispose(&s);
done:
  ieum_doc_free(sub[0]);
  ieum_doc_free(sub[1]);
  return rc;
}

/* English name of language `lang` ("Korean"), else the tag itself. */
static void lang_name(char *out, size_t size, const char *lang)
{
  char loc[ULOC_FULLNAME_CAPACITY];
  UChar name[64];
  UErrorCode st = U_ZERO_ERROR;
  int32_t parsed = 0;
  snprintf(out, size, "%s", lang);
  uloc_forLanguageTag(lang, loc, (int32_t)sizeof loc, &parsed, &st);
  if (U_FAILURE(st))
    return;
  st = U_ZERO_ERROR;
  int32_t n = uloc_getDisplayLanguage(loc, "en", name, 64, &st);
  if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING || n <= 0 || n >= 64)
    return;
  u_strToUTF8(out, (int32_t)size, NULL, name, n, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
    snprintf(out, size, "%s", lang);
}

/* 1 when side `k` has letters enough to judge and too few of its own language's scripts. */
static int wrong_lang(const ieum_pair_stats *st, int k)
{
  return st->known[k] && st->letters[k] >= LANG_MIN_LETTERS &&
         (double)st->own[k] < LANG_MIN_SHARE * (double)st->letters[k];
}

static int pct(size_t a, size_t b)
{
  return b ? (int)(100.0 * (double)a / (double)b + 0.5) : 0;
}

int ieum_pair_check(const ieum_doc *src, const ieum_doc *tgt, const ieum_alignment *al,
                    const ieum_lexicon *lex, const char *src_name, const char *tgt_name)
{
  ieum_pair_stats st;
  char name[2][64];
  int rc = ieum_pair__stats(&st, src, tgt, al, lex);
  if (rc)
    return rc;
  lang_name(name[0], sizeof name[0], ieum_doc_lang(src));
  lang_name(name[1], sizeof name[1], ieum_doc_lang(tgt));
  if (st.two_sided && 2 * st.same > st.two_sided)
    return ieum__error_set(IEUM_EINVAL, "%s + %s: the two files hold the same text (%zu of %zu sentence pairs "
                           "identical); not a translation pair", src_name, tgt_name, st.same, st.two_sided);
  int bad_src = wrong_lang(&st, 0), bad_tgt = wrong_lang(&st, 1);
  if (bad_src && bad_tgt && st.known[1] && st.known[0] &&
      (double)st.other[0] >= LANG_MIN_SHARE * (double)st.letters[0] &&
      (double)st.other[1] >= LANG_MIN_SHARE * (double)st.letters[1])
    return ieum__error_set(IEUM_EINVAL, "%s + %s: looks swapped: the source file is %s; give the %s file first "
                           "or use --swap", src_name, tgt_name, name[1], name[0]);
  for (int k = 0; k < 2; k++)
    if (k ? bad_tgt : bad_src)
      return ieum__error_set(IEUM_EINVAL, "%s + %s: the %s file %s does not look like %s (%d%% of its %zu "
                             "letters in %s's scripts)", src_name, tgt_name, k ? "target" : "source",
                             k ? tgt_name : src_name, name[k], pct(st.own[k], st.letters[k]), st.letters[k],
                             name[k]);
  if (st.sized && st.score < IEUM_PAIR_MIN_SCORE)
    return ieum__error_set(IEUM_EINVAL, "%s + %s: not a translation of each other (document score %.2f, "
                           "translations score %.1f or more)", src_name, tgt_name, st.score, IEUM_PAIR_MIN_SCORE);
  return 0;
}
