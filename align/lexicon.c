/*
** align/lexicon.c: a bilingual Korean-English lexicon and its matching.
**
** Entries (lexicon_int.h) come from the built-in data (lexicon_data.c),
** from user dictionaries in hunalign's format and from pairs learned from a
** TM (tm/learn.c).  Each form is hashed with its side's tag; a table of the
** distinct forms chains each to its entries' ids, and a table of (Korean
** form, English form) pairs tells whether an entry already pairs two forms
** (lexicon_int.h).  Matching turns each segment into a keyset of entry keys:
**   Korean: every maximal run of Hangul syllables is matched by its longest
**     prefix that is a form ("정부는" -> 정부; "한국전쟁" -> 한국, then the
**     rest again -> 전쟁); a one-syllable form only when the run ends there
**     or a particle follows ("미 국방부", "북은"), since most syllables
**     start unrelated words.
**   English: words (ASCII letters and digits; "U.S." is "US") lowercased;
**     the longest phrase first ("north korea" before "korea"), then the word
**     as it is, then without a suffix: -s, -es, -ies (+y), -ed, -d, -ing
**     (+e), a doubled final consonant ("stopped").  Acronym forms ("US")
**     match only the word in capitals, so the pronoun "us" is not the US.
**     Phrases are tried only after a word that heads one (a second table).
** Lookups hash each candidate incrementally (a run's prefixes, a word's
** prefixes, a phrase word by word), so no byte is hashed twice per start.
** Cost: building, O(forms) whatever the shape (one form shared by 200,000
** entries is one slot and one chain: a 200,000-line dictionary loads in
** about 0.15 s); matching, O(text * longest form) lookups, each O(1)
** expected, plus one key per entry of a form found.
** Not here: the data (lexicon_data.c), names (names.c), what a match is
** worth (score.c).
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lexicon_int.h"

/* The table is grown to keep its load at most this percentage: probes stay short. */
#define MAX_LOAD 60
/* Longest English word or phrase we look up, in bytes; longer ones are skipped. */
#define EN_FORM_MAX 128
/* Longest dictionary line, in bytes; a longer one is an error (the file is not a dictionary). */
#define DICT_LINE_MAX 4096

/* ---- the tables ---------------------------------------------------------- */

/*
** The tables (lexicon_int.h) are open-addressing with linear probing over
** distinct keys, grown by doubling at MAX_LOAD; the first size is
** FIRST_SLOTS.  Keys are spread (Fibonacci hashing of the folded hash)
** before probing, so that hashes alike in their low bits do not cluster.
*/
#define FIRST_SLOTS 1024

static size_t spread(uint64_t h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return (size_t)h;
}

static uint64_t form_hash(char tag, const char *s, size_t n)
{
  uint64_t h = ieum_keyset__hash(tag, s, n);
  return h ? h : 1; /* 0 marks an empty slot */
}

/* The slot of form hash h, else the empty slot where it would go (the table has room). */
static size_t form_slot(const ieum_lexicon_form *forms, size_t cap, uint64_t h)
{
  size_t p = spread(h) & (cap - 1);
  while (forms[p].hash && forms[p].hash != h)
    p = (p + 1) & (cap - 1);
  return p;
}

/*
** The key of the pair of form hashes (ko, en) in the pair table: one 64-bit
** hash of both (never 0, the empty slot), so that a slot is 8 bytes.  en is
** multiplied by an odd constant (MurmurHash3's) so that the two do not
** cancel; two pairs share a key with odds of 2^-64, as two forms share a
** form hash.
*/
static uint64_t pair_key(uint64_t ko, uint64_t en)
{
  uint64_t k = ko ^ (en * 0xC2B2AE3D27D4EB4FULL);
  k ^= k >> 29;
  return k ? k : 1;
}

/* The slot of pair key k, else the empty slot where it would go. */
static size_t pair_slot(const uint64_t *pairs, size_t cap, uint64_t k)
{
  size_t p = spread(k) & (cap - 1);
  while (pairs[p] && pairs[p] != k)
    p = (p + 1) & (cap - 1);
  return p;
}

static size_t head_slot(const ieum_lexicon_head *heads, size_t cap, uint64_t h)
{
  size_t p = spread(h) & (cap - 1);
  while (heads[p].hash && heads[p].hash != h)
    p = (p + 1) & (cap - 1);
  return p;
}

/* The next size of a table of `cap` slots about to hold used + 1 keys, or `cap` when it has room. */
static size_t next_cap(size_t cap, size_t used)
{
  if ((used + 1) * 100 <= cap * MAX_LOAD)
    return cap;
  return cap ? cap * 2 : FIRST_SLOTS;
}

static int grow_forms(ieum_lexicon *lex)
{
  size_t cap = next_cap(lex->forms_cap, lex->forms_used);
  if (cap == lex->forms_cap)
    return IEUM_OK;
  ieum_lexicon_form *t = ieum__calloc(cap, sizeof *t);
  if (!t)
    return ieum__error_oom();
  for (size_t k = 0; k < lex->forms_cap; k++)
    if (lex->forms[k].hash)
      t[form_slot(t, cap, lex->forms[k].hash)] = lex->forms[k];
  ieum__free(lex->forms);
  lex->forms = t;
  lex->forms_cap = cap;
  return IEUM_OK;
}

static int grow_pairs(ieum_lexicon *lex)
{
  size_t cap = next_cap(lex->pairs_cap, lex->pairs_used);
  if (cap == lex->pairs_cap)
    return IEUM_OK;
  uint64_t *t = ieum__calloc(cap, sizeof *t);
  if (!t)
    return ieum__error_oom();
  for (size_t k = 0; k < lex->pairs_cap; k++)
    if (lex->pairs[k])
      t[pair_slot(t, cap, lex->pairs[k])] = lex->pairs[k];
  ieum__free(lex->pairs);
  lex->pairs = t;
  lex->pairs_cap = cap;
  return IEUM_OK;
}

static int grow_heads(ieum_lexicon *lex)
{
  size_t cap = next_cap(lex->heads_cap, lex->heads_used);
  if (cap == lex->heads_cap)
    return IEUM_OK;
  ieum_lexicon_head *t = ieum__calloc(cap, sizeof *t);
  if (!t)
    return ieum__error_oom();
  for (size_t k = 0; k < lex->heads_cap; k++)
    if (lex->heads[k].hash)
      t[head_slot(t, cap, lex->heads[k].hash)] = lex->heads[k];
  ieum__free(lex->heads);
  lex->heads = t;
  lex->heads_cap = cap;
  return IEUM_OK;
}

/* Chains entry `id` to the form of hash `h` (once: a form given twice in one entry is one posting). */
static int insert(ieum_lexicon *lex, uint64_t h, uint32_t id)
{
  int rc = grow_forms(lex);
  if (rc)
    return rc;
  ieum_lexicon_form *f = &lex->forms[form_slot(lex->forms, lex->forms_cap, h)];
  if (f->hash && lex->posts[f->last].id == id)
    return IEUM_OK; /* ids only grow, so a posting of `id` is the chain's last */
  if (lex->n_posts == IEUM_LEX_NONE)
    return ieum__error_set(IEUM_ELIMIT, "lexicon: more than %u form postings", IEUM_LEX_NONE - 1);
  if (lex->n_posts == lex->posts_cap) {
    size_t cap = lex->posts_cap ? lex->posts_cap * 2 : FIRST_SLOTS;
    ieum_lexicon_post *p = ieum__reallocarray(lex->posts, cap, sizeof *p);
    if (!p)
      return ieum__error_oom();
    lex->posts = p;
    lex->posts_cap = cap;
  }
  uint32_t n = lex->n_posts++;
  lex->posts[n] = (ieum_lexicon_post){ id, IEUM_LEX_NONE };
  if (f->hash) {
    lex->posts[f->last].next = n;
    f->last = n;
  } else {
    *f = (ieum_lexicon_form){ h, n, n };
    lex->forms_used++;
  }
  return IEUM_OK;
}

/* Records that one entry pairs the Korean form of hash `ko` with the English form of hash `en`. */
static int insert_pair(ieum_lexicon *lex, uint64_t ko, uint64_t en)
{
  int rc = grow_pairs(lex);
  if (rc)
    return rc;
  uint64_t k = pair_key(ko, en), *x = &lex->pairs[pair_slot(lex->pairs, lex->pairs_cap, k)];
  if (!*x) {
    *x = k;
    lex->pairs_used++;
  }
  return IEUM_OK;
}

/* Is a form of hash h in the lexicon. */
static int has_form(const ieum_lexicon *lex, uint64_t h)
{
  return lex->forms_cap && lex->forms[form_slot(lex->forms, lex->forms_cap, h)].hash != 0;
}

/* Does one entry pair the forms of hashes `ko` and `en`. */
static int has_pair(const ieum_lexicon *lex, uint64_t ko, uint64_t en)
{
  /* most pairs bring a new form: that answers, and warms the slot that insert() is about to fill */
  if (!has_form(lex, en) || !has_form(lex, ko) || !lex->pairs_cap)
    return 0;
  return lex->pairs[pair_slot(lex->pairs, lex->pairs_cap, pair_key(ko, en))] != 0;
}

/* Records that the word of hash `h` heads an English form of `words` words (the most is kept). */
static int insert_head(ieum_lexicon *lex, uint64_t h, uint32_t words)
{
  int rc = grow_heads(lex);
  if (rc)
    return rc;
  ieum_lexicon_head *x = &lex->heads[head_slot(lex->heads, lex->heads_cap, h)];
  if (!x->hash) {
    *x = (ieum_lexicon_head){ h, words };
    lex->heads_used++;
  } else if (words > x->words) {
    x->words = words;
  }
  return IEUM_OK;
}

/* Most words of an English form that the word of hash `h` starts (0: it starts no phrase). */
static uint32_t head_words(const ieum_lexicon *lex, uint64_t h)
{
  return lex->heads_cap ? lex->heads[head_slot(lex->heads, lex->heads_cap, h)].words : 0;
}

/* Adds the key of every entry having form hash `h` to `ks`; returns how many (or a negative error). */
static int emit(ieum_keyset *ks, const ieum_lexicon *lex, uint64_t h)
{
  int found = 0;
  if (!lex->forms_cap)
    return 0;
  const ieum_lexicon_form *f = &lex->forms[form_slot(lex->forms, lex->forms_cap, h)];
  if (!f->hash)
    return 0;
  for (uint32_t p = f->first; p != IEUM_LEX_NONE; p = lex->posts[p].next) {
    int rc = ks ? ieum_keyset__add(ks, ieum_lexicon__key(lex->posts[p].id)) : 0;
    if (rc)
      return rc;
    if (found < INT32_MAX)
      found++;
  }
  return found;
}

uint64_t ieum_lexicon__key(uint32_t id)
{
  char b[4] = { (char)(id & 0xff), (char)((id >> 8) & 0xff), (char)((id >> 16) & 0xff), (char)(id >> 24) };
  return ieum_keyset__hash('L', b, sizeof b);
}

/* ---- forms ------------------------------------------------------------------ */

static int is_upper(char c)
{
  return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
  return c >= 'a' && c <= 'z';
}

static int is_alnum(char c)
{
  return is_upper(c) || is_lower(c) || (c >= '0' && c <= '9');
}

/*
** The normalized English form of s[0..n) into out (at most EN_FORM_MAX):
** words of ASCII letters and digits joined by one space, dots and
** apostrophes dropped ("U.S." -> "US", "workers'" -> "workers"), other
** characters separating words; lowercased unless the whole form is an
** acronym.  Returns its length (0: no word, or too long) and the number of
** words in *words.
*/
static size_t en_form(char out[EN_FORM_MAX + 1], const char *s, size_t n, uint32_t *words)
{
  size_t o = 0, upper = 0, lower = 0;
  int in_word = 0;
  *words = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '.' || c == '\'')
      continue;
    if (!is_alnum(c)) {
      in_word = 0;
      continue;
    }
    if (!in_word && o > 0) {
      if (o >= EN_FORM_MAX)
        return 0;
      out[o++] = ' ';
    }
    if (!in_word)
      (*words)++;
    in_word = 1;
    if (o >= EN_FORM_MAX)
      return 0;
    upper += is_upper(c);
    lower += is_lower(c);
    out[o++] = c;
  }
  out[o] = '\0';
  int acronym = upper >= 2 && lower == 0;
  if (!acronym)
    for (size_t k = 0; k < o; k++)
      if (is_upper(out[k]))
        out[k] = (char)(out[k] | 0x20);
  return o;
}

/* Syllables of a Korean form when it is all Hangul syllables, else 0. */
static uint32_t ko_syllables(const char *s, size_t n)
{
  uint32_t syl = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp = ieum__utf8_next(s, n, &i);
    if (!ieum_lexicon__hangul(cp))
      return 0;
    syl++;
  }
  return syl;
}

/* The first (`first`) or next '|'-separated form of s[0..n): s[*b..*e); false when none is left. */
static int next_form(const char *s, size_t n, size_t *b, size_t *e, int first)
{
  if (first) {
    *b = 0;
  } else {
    if (*e >= n)
      return 0;
    *b = *e + 1;
  }
  *e = *b;
  while (*e < n && s[*e] != '|')
    (*e)++;
  return 1;
}

/* Adds a note of one usable form to lex->scratch (see add_entry()). */
static int note(ieum_lexicon *lex, size_t *n, char side, uint64_t hash, uint64_t head, uint32_t size)
{
  if (*n == lex->scratch_cap) {
    size_t cap = lex->scratch_cap ? lex->scratch_cap * 2 : 16;
    ieum_lexicon_note *x = ieum__reallocarray(lex->scratch, cap, sizeof *x);
    if (!x)
      return ieum__error_oom();
    lex->scratch = x;
    lex->scratch_cap = cap;
  }
  lex->scratch[(*n)++] = (ieum_lexicon_note){ hash, head, size, side };
  return IEUM_OK;
}

int ieum_lexicon__add_entry(uint32_t *out, ieum_lexicon *lex, const char *ko, size_t ko_len, const char *en,
                            size_t en_len)
{
  uint32_t id = lex->n_entries;
  size_t nko = 0, nf = 0, b = 0, e = 0;
  int rc;
  /* first the usable forms of both sides, Korean first: a refused entry leaves nothing behind */
  for (int first = 1; next_form(ko, ko_len, &b, &e, first); first = 0) {
    uint32_t syl = ko_syllables(ko + b, e - b);
    if (syl > 0 && (rc = note(lex, &nf, IEUM_LEX_KO, form_hash(IEUM_LEX_KO, ko + b, e - b), 0, syl)) != 0)
      return rc;
  }
  nko = nf;
  for (int first = 1; next_form(en, en_len, &b, &e, first); first = 0) {
    char f[EN_FORM_MAX + 1];
    uint32_t words;
    size_t fn = en_form(f, en + b, e - b, &words);
    if (fn == 0)
      continue;
    const char *sp = words >= 2 ? memchr(f, ' ', fn) : NULL;
    uint64_t head = sp ? form_hash(IEUM_LEX_EN, f, (size_t)(sp - f)) : 0;
    if ((rc = note(lex, &nf, IEUM_LEX_EN, form_hash(IEUM_LEX_EN, f, fn), head, words)) != 0)
      return rc;
  }
  if (nko == 0 || nf == nko)
    return ieum__error_set(IEUM_EINVAL, "lexicon entry '%.*s' / '%.*s' has no usable %s form", (int)ko_len, ko,
                           (int)en_len, en, nko ? "English" : "Korean");
  if (id == IEUM_LEX_NONE)
    return ieum__error_set(IEUM_ELIMIT, "lexicon: more than %u entries", IEUM_LEX_NONE - 1);
  for (size_t k = 0; k < nf; k++) {
    const ieum_lexicon_note *x = &lex->scratch[k];
    if ((rc = insert(lex, x->hash, id)) != 0)
      return rc;
    if (x->side == IEUM_LEX_KO) {
      if (x->size > lex->max_ko_syl)
        lex->max_ko_syl = x->size;
      continue;
    }
    for (size_t j = 0; j < nko; j++)
      if ((rc = insert_pair(lex, lex->scratch[j].hash, x->hash)) != 0)
        return rc;
    if (x->head && (rc = insert_head(lex, x->head, x->size)) != 0)
      return rc;
    if (x->size > lex->max_en_words)
      lex->max_en_words = x->size;
  }
  lex->n_entries++;
  if (out)
    *out = id;
  return IEUM_OK;
}

/* ---- the public object -------------------------------------------------------- */

int ieum_lexicon_new(ieum_lexicon **out, int builtin)
{
  ieum_lexicon *lex = ieum__calloc(1, sizeof *lex);
  *out = NULL;
  if (!lex)
    return ieum__error_oom();
  if (builtin) {
    int rc = ieum_lexicon__add_builtin(lex);
    if (rc) {
      ieum_lexicon_free(lex);
      return rc;
    }
  }
  *out = lex;
  return IEUM_OK;
}

void ieum_lexicon_free(ieum_lexicon *lex)
{
  if (!lex)
    return;
  ieum__free(lex->forms);
  ieum__free(lex->posts);
  ieum__free(lex->pairs);
  ieum__free(lex->scratch);
  ieum__free(lex->heads);
  ieum__free(lex);
}

size_t ieum_lexicon_count(const ieum_lexicon *lex)
{
  return lex ? lex->n_entries : 0;
}

static size_t hangul_count(const char *s, size_t n)
{
  size_t h = 0;
  for (size_t i = 0; i < n;)
    h += ieum_lexicon__hangul(ieum__utf8_next(s, n, &i));
  return h;
}

/* Copies the Hangul phrase s[0..n) into out without its spaces; 0 when anything else is in it. */
static size_t ko_phrase(ieum_buf *out, const char *s, size_t n)
{
  out->size = 0;
  for (size_t i = 0; i < n;) {
    size_t b = i;
    int32_t cp = ieum__utf8_next(s, n, &i);
    if (cp == ' ' || cp == '\t')
      continue;
    if (!ieum_lexicon__hangul(cp))
      return 0;
    if (ieum__buf_put(out, s + b, i - b))
      return (size_t)-1;
  }
  return out->size;
}

/* Adds one pair whose Korean side is given (spaces already removed). */
/*
** Whether one entry already pairs the Korean form ko with the English form
** en (neither holding alternatives): adding the pair again would give the
** same words a second key, and their evidence would count twice.  Learned
** pairs repeat the built-in lexicon often ("정부"/"government"): skipping
** them took a lexicon learned from the even-numbered cases of
** ../shared/data/align from -.0036 to +.0011 strict F1 on the odd ones.
*/
static int covered(const ieum_lexicon *lex, const char *ko, size_t ko_len, const char *en, size_t en_len)
{
  char f[EN_FORM_MAX + 1];
  uint32_t words;
  if (memchr(ko, '|', ko_len) || memchr(en, '|', en_len))
    return 0;
  size_t fn = en_form(f, en, en_len, &words);
  return fn > 0 && has_pair(lex, form_hash(IEUM_LEX_KO, ko, ko_len), form_hash(IEUM_LEX_EN, f, fn));
}

static int add_pair(ieum_lexicon *lex, const char *ko, size_t ko_len, const char *en, size_t en_len)
{
  if (covered(lex, ko, ko_len, en, en_len))
    return IEUM_OK;
  return ieum_lexicon__add_entry(NULL, lex, ko, ko_len, en, en_len);
}

int ieum_lexicon_add(ieum_lexicon *lex, const char *a, size_t a_len, const char *b, size_t b_len)
{
  if (!lex || !a || !b)
    return ieum__error_set(IEUM_EINVAL, "lexicon: missing argument");
  if (ieum__utf8_invalid_at(a, a_len) != a_len || ieum__utf8_invalid_at(b, b_len) != b_len)
    return ieum__error_set(IEUM_EINVAL, "lexicon: pair is not valid UTF-8");
  int a_ko = hangul_count(a, a_len) > 0, b_ko = hangul_count(b, b_len) > 0;
  if (a_ko == b_ko)
    return ieum__error_set(IEUM_EINVAL, "lexicon: '%.*s' / '%.*s': exactly one side must be Korean", (int)a_len,
                           a, (int)b_len, b);
  const char *ko = a_ko ? a : b, *en = a_ko ? b : a;
  size_t ko_len = a_ko ? a_len : b_len, en_len = a_ko ? b_len : a_len;
  ieum_buf k = IEUM_BUF_INIT;
  int rc;
  size_t kn = ko_phrase(&k, ko, ko_len);
  if (kn == (size_t)-1)
    rc = ieum__error_oom();
  else if (kn == 0)
    rc = ieum__error_set(IEUM_EINVAL, "lexicon: '%.*s': the Korean side must be Hangul words only", (int)ko_len,
                         ko);
  else
    rc = add_pair(lex, k.ptr, k.size, en, en_len);
  ieum_buf_dispose(&k);
  return rc;
}

static const char *trim(const char *s, size_t *n)
{
  while (*n > 0 && (*s == ' ' || *s == '\t')) {
    s++;
    (*n)--;
  }
  while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
    (*n)--;
  return s;
}

/* One dictionary line (without its newline): "TGT @ SRC", either side Korean. */
static int dict_line(ieum_lexicon *lex, ieum_buf *k, const char *path, unsigned long no, const char *s, size_t n)
{
  const char *at = memchr(s, '@', n);
  if (ieum__utf8_invalid_at(s, n) != n)
    return ieum__error_set(IEUM_EENCODING, "%s:%lu: invalid UTF-8", path, no);
  if (!at)
    return ieum__error_set(IEUM_EPARSE, "%s:%lu: expected 'english @ korean'", path, no);
  if (memchr(at + 1, '@', n - (size_t)(at + 1 - s)))
    return ieum__error_set(IEUM_EPARSE, "%s:%lu: more than one '@'", path, no);
  size_t ln = (size_t)(at - s), rn = n - ln - 1;
  const char *l = trim(s, &ln), *r = trim(at + 1, &rn);
  if (!ln || !rn)
    return ieum__error_set(IEUM_EPARSE, "%s:%lu: empty side of '@'", path, no);
  int l_ko = hangul_count(l, ln) > 0, r_ko = hangul_count(r, rn) > 0;
  if (l_ko == r_ko)
    return ieum__error_set(IEUM_EPARSE, "%s:%lu: %s", path, no,
                           l_ko ? "both sides are Korean" : "neither side is Korean");
  const char *ko = l_ko ? l : r, *en = l_ko ? r : l;
  size_t ko_len = l_ko ? ln : rn, en_len = l_ko ? rn : ln;
  size_t kn = ko_phrase(k, ko, ko_len);
  if (kn == (size_t)-1)
    return ieum__error_oom();
  if (kn == 0)
    return ieum__error_set(IEUM_EPARSE, "%s:%lu: the Korean side must be Hangul words only", path, no);
  uint32_t words;
  char f[EN_FORM_MAX + 1];
  if (en_form(f, en, en_len, &words) == 0)
    return ieum__error_set(IEUM_EPARSE, "%s:%lu: the English side has no word (or is over %d bytes)", path, no,
                           EN_FORM_MAX);
  return add_pair(lex, k->ptr, k->size, en, en_len);
}

int ieum_lexicon_load_dict(ieum_lexicon *lex, const char *path)
{
  ieum_buf line = IEUM_BUF_INIT, k = IEUM_BUF_INIT;
  unsigned long no = 0;
  int rc = IEUM_OK, c = 0;
  if (!lex || !path)
    return ieum__error_set(IEUM_EINVAL, "lexicon: missing argument");
  FILE *f = fopen(path, "rb");
  if (!f)
    return ieum__error_set(errno == ENOENT ? IEUM_ENOTFOUND : IEUM_EIO, "%s: %s", path, strerror(errno));
  while (c != EOF) {
    line.size = 0;
    no++;
    while ((c = getc(f)) != EOF && c != '\n') {
      if (line.size >= DICT_LINE_MAX) {
        rc = ieum__error_set(IEUM_ELIMIT, "%s:%lu: line longer than %d bytes", path, no, DICT_LINE_MAX);
        goto done;
      }
      if ((rc = ieum__buf_putc(&line, (char)c)) != 0)
        goto done;
    }
    if (ferror(f)) {
      rc = ieum__error_set(IEUM_EIO, "%s: read error", path);
      goto done;
    }
    size_t n = line.size;
    const char *s = line.ptr ? line.ptr : "";
    if (no == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
      s += 3; /* a BOM */
      n -= 3;
    }
    s = trim(s, &n);
    if (n == 0)
      continue; /* blank lines are allowed */
    if ((rc = dict_line(lex, &k, path, no, s, n)) != 0)
      goto done;
  }
done:
  fclose(f);
  ieum_buf_dispose(&line);
  ieum_buf_dispose(&k);
  return rc;
}

/* ---- Korean ------------------------------------------------------------------- */

/* A word of a closed list with its length in bytes (no strlen() per lookup: these lists are hot). */
typedef struct {
  const char *s;
  size_t n;
} listword;
#define W(lit) { lit, sizeof lit - 1 }

/*
** Particles and endings that follow a stem: what may follow a one-syllable
** form, and what ieum__ko_stem() cuts (longest first among equal starts).
*/
static const listword particles[] = {
  W("은"), W("는"), W("이"), W("가"), W("을"), W("를"), W("의"), W("에"), W("와"), W("과"), W("도"), W("만"), W("로"), W("으로"), W("에서"), W("에게"), W("께서"),
  W("까지"), W("부터"), W("보다"), W("처럼"), W("에는"), W("에도"), W("에서는"), W("에서도"), W("에게는"), W("으로는"), W("로는"), W("과의"), W("와의"),
  W("이다"), W("이며"), W("이고"), W("이라고"), W("라고"), W("이라는"), W("라는"), W("이나"), W("나"), W("측"), W("들"), W("들은"), W("들이"), W("들의"),
  W("들을"), W("들과"), W("들에게"), W("들도"), W("인"), W("적"), W("적인"), W("적으로"), W("하는"), W("하고"), W("하기"), W("한다"), W("했다"), W("했고"),
  W("했으며"), W("했던"), W("했지만"), W("하며"), W("하면서"), W("하겠다"), W("할"), W("한"), W("해"), W("해야"), W("된"), W("된다"), W("됐다"), W("되는"),
  W("되었다"), W("되어"), W("돼"), W("시켰다"), W("시킨"), W("당했다"), W("당한"), W("에선"), W("엔"), W("에의"), W("이었다"), W("였다"), W("이지만"),
};

int ieum_lexicon__is_particle(const char *w, size_t n)
{
  for (size_t k = 0; k < sizeof particles / sizeof particles[0]; k++)
    if (particles[k].n == n && !memcmp(particles[k].s, w, n))
      return 1;
  return 0;
}

size_t ieum_lexicon__ko_stem(const char *w, size_t n)
{
  size_t best = 0;
  for (size_t k = 0; k < sizeof particles / sizeof particles[0]; k++) {
    size_t pl = particles[k].n;
    if (pl > best && pl + 3 <= n && !memcmp(w + n - pl, particles[k].s, pl))
      best = pl;
  }
  return n - best;
}

/* The code of the n / 3 Hangul syllables at s (n is 3, 6 or 9), or 0 when they are not all syllables. */
static uint64_t particle_code(const char *s, size_t n)
{
  uint64_t code = n / 3;
  for (size_t k = 0; k < n / 3; k++) {
    int32_t x = ieum_lexicon__syllable_at(s + 3 * k);
    if (x < 0)
      return 0;
    code |= (uint64_t)x << (2 + 14 * k);
  }
  return code;
}

static size_t particle_slot(uint64_t code)
{
  return (size_t)((code * 0x9E3779B97F4A7C15ULL) >> 56) & (IEUM_PARTICLE_SLOTS - 1);
}

void ieum_particles__init(ieum_particles *p)
{
  memset(p, 0, sizeof *p);
  for (size_t k = 0; k < sizeof particles / sizeof particles[0]; k++) {
    uint64_t code = particles[k].n % 3 == 0 && particles[k].n <= 9 ? particle_code(particles[k].s, particles[k].n) : 0;
    if (!code)
      continue; /* not one to three syllables: the list says otherwise (the unit tests check it never is) */
    size_t slot = particle_slot(code);
    while (p->code[slot] && p->code[slot] != code)
      slot = (slot + 1) & (IEUM_PARTICLE_SLOTS - 1);
    p->code[slot] = code;
  }
}

static int particle_in(const ieum_particles *p, uint64_t code)
{
  for (size_t slot = particle_slot(code); p->code[slot]; slot = (slot + 1) & (IEUM_PARTICLE_SLOTS - 1))
    if (p->code[slot] == code)
      return 1;
  return 0;
}

int ieum_lexicon__is_particle_fast(const ieum_particles *p, const char *w, size_t n)
{
  uint64_t code = n % 3 == 0 && n >= 3 && n <= 9 ? particle_code(w, n) : 0;
  return code && particle_in(p, code);
}

size_t ieum_lexicon__ko_stem_fast(const ieum_particles *p, const char *w, size_t n)
{
  /* the longest particle first, as ieum_lexicon__ko_stem() keeps the longest */
  for (size_t pl = 9; pl >= 3; pl -= 3)
    if (pl + 3 <= n && ieum_lexicon__is_particle_fast(p, w + n - pl, pl))
      return n - pl;
  return n;
}

/* Longest Korean form, in syllables, whose prefix hashes match_korean() computes in one pass. */
#define KO_PREFIX_MAX 32

static int match_korean(ieum_keyset *ks, const ieum_lexicon *lex, const ieum_particles *parts, const char *s,
                        size_t n)
{
  /* s[0..n) is a run of Hangul syllables, 3 bytes each */
  size_t syl = n / 3, pos = 0;
  while (pos < syl) {
    size_t max = syl - pos < lex->max_ko_syl ? syl - pos : lex->max_ko_syl;
    size_t got = 0;
    /* the hashes of the prefixes of 1..max syllables, in one pass (a longer form: hashed alone) */
    uint64_t pre[KO_PREFIX_MAX + 1];
    size_t npre = max < KO_PREFIX_MAX ? max : KO_PREFIX_MAX;
    pre[0] = ieum_keyset__hash_start(IEUM_LEX_KO);
    for (size_t l = 1; l <= npre; l++)
      pre[l] = ieum_keyset__hash_more(pre[l - 1], s + 3 * (pos + l - 1), 3);
    for (size_t l = max; l >= 1 && !got; l--) {
      if (l == 1 && !(pos + 1 == syl || ieum_lexicon__is_particle_fast(parts, s + 3 * (pos + 1), 3 * (syl - pos - 1))))
        break;
      uint64_t h = l <= npre ? (pre[l] ? pre[l] : 1) : form_hash(IEUM_LEX_KO, s + 3 * pos, 3 * l);
      int f = emit(ks, lex, h);
      if (f < 0)
        return f;
      if (f > 0)
        got = l;
    }
    /* A compound continues after a form of two or more syllables: "한국전쟁" = 한국 + 전쟁. */
    if (got < 2 || syl - pos - got < 2)
      break;
    pos += got;
  }
  return IEUM_OK;
}

/* Is a Hangul syllable at s[i] (of valid UTF-8 s[0..n)). */
static int hangul_at(const char *s, size_t n, size_t i)
{
  return i + 3 <= n && ieum_lexicon__syllable_at(s + i) >= 0;
}

static int keys_korean(ieum_keyset *ks, const ieum_lexicon *lex, const ieum_particles *parts, const char *s,
                       size_t n)
{
  size_t i = 0;
  while (i < n) {
    if (!hangul_at(s, n, i)) {
      i++; /* a byte at a time: a syllable starts at no continuation byte */
      continue;
    }
    size_t b = i, e = i + 3;
    while (hangul_at(s, n, e))
      e += 3;
    int rc = match_korean(ks, lex, parts, s + b, e - b);
    if (rc)
      return rc;
    i = e;
  }
  return IEUM_OK;
}

/* ---- English ------------------------------------------------------------------ */

/* English function words never looked up alone: they would only add noise. */
static const listword stop_words[] = {
  W("a"), W("an"), W("the"), W("of"), W("to"), W("in"), W("on"), W("at"), W("by"), W("for"), W("with"), W("from"), W("and"), W("or"), W("but"), W("is"), W("are"),
  W("was"), W("were"), W("be"), W("been"), W("has"), W("have"), W("had"), W("it"), W("its"), W("this"), W("that"), W("these"), W("those"), W("he"), W("she"),
  W("they"), W("we"), W("his"), W("her"), W("their"), W("as"), W("not"), W("will"), W("would"), W("which"), W("who"), W("also"),
};

static int is_stop(const char *w, size_t n)
{
  if (n == 0)
    return 0;
  for (size_t k = 0; k < sizeof stop_words / sizeof stop_words[0]; k++)
    if (stop_words[k].n == n && stop_words[k].s[0] == w[0] && !memcmp(stop_words[k].s, w, n))
      return 1;
  return 0;
}

size_t ieum_lexicon__en_norm(char *out, size_t cap, const char *w, size_t n)
{
  if (n == 0 || n + 1 > cap)
    return 0;
  for (size_t k = 0; k < n; k++)
    out[k] = is_upper(w[k]) ? (char)(w[k] | 0x20) : w[k];
  if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u' && out[n - 2] != 'i')
    n--;
  out[n] = '\0';
  if (is_stop(out, n) || n < 2)
    return 0;
  return n;
}

typedef struct {
  size_t off, len;  /* in the words buffer: lowercased */
  int acronym;      /* two or more capitals and nothing else */
  uint64_t h;       /* the hash state of the tag then the lowercased word (ieum_keyset__hash_more()) */
} en_word;

static int is_vowel(char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* A form's hash from its state after ieum_keyset__hash_more(): form_hash()'s, 0 excepted. */
static uint64_t form_final(uint64_t h)
{
  return h ? h : 1;
}

/*
** The suffix rules of match_word(), tried in this order: a suffix, what
** replaces it, and whether a doubled final consonant before it is undone
** too ("stopped", "planning").
*/
typedef struct {
  const char *suf, *add;
  size_t sl, al;
  int doubled;
} en_rule;
#define RULE(suf, add, doubled) { suf, add, sizeof suf - 1, sizeof add - 1, doubled }
static const en_rule en_rules[] = {
  RULE("", "", 0),    RULE("s", "", 0),    RULE("es", "", 0),    RULE("ies", "y", 0), RULE("ed", "", 1),
  RULE("d", "", 0),   RULE("ied", "y", 0), RULE("ing", "", 1),   RULE("ing", "e", 0), RULE("ly", "", 0),
};

/*
** Tries w (lowercased) and its suffix-stripped variants; emits the entries
** of the first that is a form.  The hashes of all of w's prefixes are
** computed once, so each variant costs its few added letters.
*/
static int match_word(ieum_keyset *ks, const ieum_lexicon *lex, const char *w, size_t n)
{
  uint64_t pre[EN_FORM_MAX + 1];
  if (n > EN_FORM_MAX || is_stop(w, n))
    return 0;
  pre[0] = ieum_keyset__hash_start(IEUM_LEX_EN);
  for (size_t k = 0; k < n; k++)
    pre[k + 1] = ieum_keyset__hash_more(pre[k], w + k, 1);
  for (size_t r = 0; r < sizeof en_rules / sizeof en_rules[0]; r++) {
    const en_rule *ru = &en_rules[r];
    if (ru->sl && (n < ru->sl + 3 || memcmp(w + n - ru->sl, ru->suf, ru->sl)))
      continue;
    size_t m = n - ru->sl;
    int f = emit(ks, lex, form_final(ieum_keyset__hash_more(pre[m], ru->add, ru->al)));
    if (f != 0)
      return f;
    if (ru->doubled && m >= 4 && w[m - 1] == w[m - 2] && !is_vowel(w[m - 1])) {
      f = emit(ks, lex, form_final(pre[m - 1]));
      if (f != 0)
        return f;
    }
  }
  return 0;
}

/* Most words of a phrase that fits EN_FORM_MAX bytes (one letter each, spaces between). */
#define EN_PHRASE_WORDS (EN_FORM_MAX / 2 + 1)

/*
** The longest phrase of words w[t..] that is a form, tried from the longest
** down to two words, each also without a final "s" ("north koreans");
** emits its entries and returns its words, or 0.  Phrase hashes grow word
** by word; a word that heads no form of two or more words skips it all.
*/
static int match_phrase(size_t *used, ieum_keyset *ks, const ieum_lexicon *lex, const char *wb, const en_word *w,
                        size_t nw, size_t t)
{
  uint64_t ph[EN_PHRASE_WORDS + 1];
  size_t len[EN_PHRASE_WORDS + 1];
  size_t max = nw - t < lex->max_en_words ? nw - t : lex->max_en_words;
  *used = 0;
  if (max < 2)
    return IEUM_OK;
  uint32_t head = head_words(lex, form_final(w[t].h));
  if (head < max)
    max = head;
  if (max > EN_PHRASE_WORDS)
    max = EN_PHRASE_WORDS;
  if (max < 2)
    return IEUM_OK;
  ph[1] = w[t].h;
  len[1] = w[t].len;
  size_t fit = 1; /* phrases of up to `fit` words are at most EN_FORM_MAX bytes */
  for (size_t l = 2; l <= max; l++) {
    const en_word *x = &w[t + l - 1];
    len[l] = len[l - 1] + 1 + x->len;
    if (len[l] > EN_FORM_MAX)
      break;
    ph[l] = ieum_keyset__hash_more(ieum_keyset__hash_more(ph[l - 1], " ", 1), wb + x->off, x->len);
    fit = l;
  }
  for (size_t l = fit; l >= 2; l--) {
    const en_word *x = &w[t + l - 1];
    int f = emit(ks, lex, form_final(ph[l]));
    if (f == 0 && wb[x->off + x->len - 1] == 's')
      f = emit(ks, lex,
               form_final(ieum_keyset__hash_more(ieum_keyset__hash_more(ph[l - 1], " ", 1), wb + x->off, x->len - 1)));
    if (f < 0)
      return f;
    if (f > 0) {
      *used = l;
      return IEUM_OK;
    }
  }
  return IEUM_OK;
}

static int keys_english(ieum_keyset *ks, const ieum_lexicon *lex, const char *s, size_t n, ieum_buf *wb,
                        en_word **words, size_t *cap)
{
  size_t nw = 0;
  wb->size = 0;
  if (ieum__buf_grow(wb, n)) /* the words take at most the text's bytes */
    return ieum__error_oom();
  char *out = wb->ptr;
  for (size_t i = 0; i < n;) {
    if (!is_alnum(s[i])) {
      i++;
      continue;
    }
    size_t off = wb->size, upper = 0, lower = 0;
    while (i < n && (is_alnum(s[i]) || (s[i] == '.' && i > 0 && is_upper(s[i - 1]) && i + 1 < n && is_upper(s[i + 1])))) {
      if (s[i] != '.') {
        upper += is_upper(s[i]);
        lower += is_lower(s[i]);
        out[wb->size++] = is_upper(s[i]) ? (char)(s[i] | 0x20) : s[i];
      }
      i++;
    }
    if (i < n && s[i] == '\'') /* "Korea's": the "s" is not a word */
      while (++i < n && is_alnum(s[i]))
        ;
    if (nw == *cap) {
      size_t nc = *cap ? *cap * 2 : 64;
      en_word *w = ieum__reallocarray(*words, nc, sizeof *w);
      if (!w)
        return ieum__error_oom();
      *words = w;
      *cap = nc;
    }
    size_t len = wb->size - off;
    uint64_t h = ieum_keyset__hash_more(ieum_keyset__hash_start(IEUM_LEX_EN), out + off, len);
    (*words)[nw++] = (en_word){ off, len, upper >= 2 && lower == 0, h };
  }
  en_word *w = *words;
  for (size_t t = 0; t < nw;) {
    size_t used = 0;
    int rc = match_phrase(&used, ks, lex, out, w, nw, t);
    if (rc)
      return rc;
    if (used) {
      t += used;
      continue;
    }
    const char *word = out + w[t].off;
    int f = 0;
    if (w[t].acronym) {
      /* the acronym in capitals: forms stored as written */
      char up[EN_FORM_MAX + 1];
      size_t un = w[t].len < EN_FORM_MAX ? w[t].len : EN_FORM_MAX;
      for (size_t k = 0; k < un; k++)
        up[k] = is_lower(word[k]) ? (char)(word[k] & ~0x20) : word[k];
      f = emit(ks, lex, form_hash(IEUM_LEX_EN, up, un));
    }
    if (f == 0)
      f = match_word(ks, lex, word, w[t].len);
    if (f < 0)
      return f;
    t++;
  }
  return IEUM_OK;
}

/* ---- documents ------------------------------------------------------------------ */

int ieum_lexicon__is_korean(const ieum_doc *doc)
{
  size_t hangul = 0, latin = 0;
  for (size_t k = 0; k < doc->n; k++) {
    const char *s = doc->segs[k].text;
    size_t n = doc->segs[k].len;
    for (size_t i = 0; i < n;) {
      if ((unsigned char)s[i] < 0x80) {
        latin += is_upper(s[i]) || is_lower(s[i]);
        i++;
      } else {
        hangul += ieum_lexicon__hangul(ieum__utf8_next(s, n, &i));
      }
    }
  }
  return hangul > latin;
}

int ieum_lexicon__keys(ieum_keyset *out, const ieum_lexicon *lex, const ieum_doc *doc, int korean)
{
  ieum_buf wb = IEUM_BUF_INIT;
  en_word *words = NULL;
  size_t cap = 0;
  ieum_particles parts;
  int rc = ieum_keyset__begin(out, doc->n);
  if (rc)
    return rc;
  if (korean)
    ieum_particles__init(&parts);
  for (size_t k = 0; k < doc->n && rc == 0; k++) {
    const ieum_segment *sg = &doc->segs[k];
    if (lex && lex->n_entries > 0)
      rc = korean ? keys_korean(out, lex, &parts, sg->text, sg->len)
                  : keys_english(out, lex, sg->text, sg->len, &wb, &words, &cap);
    ieum_keyset__end_segment(out, k);
  }
  ieum_buf_dispose(&wb);
  ieum__free(words);
  if (rc)
    ieum_keyset__dispose(out);
  return rc;
}

int ieum_lexicon__side_keys(ieum_keyset *lex_keys, ieum_keyset *name_keys, int names, const ieum_lexicon *lex,
                            const ieum_doc *doc, int korean)
{
  int rc = ieum_lexicon__keys(lex_keys, lex, doc, korean);
  if (rc)
    return rc;
  rc = names ? ieum_names__keys(name_keys, doc, korean) : ieum_keyset__begin(name_keys, doc->n);
  if (rc)
    ieum_keyset__dispose(lex_keys);
  return rc;
}

