/*
** align/article.c: the structure of a scraped news page saved as text:
** which paragraphs are page furniture, the headline, its copies, related
** titles, and which are the article's body.
**
** Two passes over the paragraph list.  The first looks at each paragraph
** alone: furniture words and UI labels (util/furniture.c, the list the
** HTML extractor uses), CSS class names and other lone identifiers, date
** lines ("입력 2023.01.19 06:30", "Published : Jan. 19, 2023"), reporter
** e-mail lines and lone photo credits are furniture; copyright lines are
** credits.  The second uses position: the body runs from the first to the
** last paragraph that ends as a sentence does; before it, the title-like
** paragraph the page repeats (else the first of headline size) is the
** headline, title-like ones before it are menus, those after it decks
** (headline) or labels; inside the body, a copy of the headline is a
** caption (where a photo was) and a title-like paragraph between two body
** paragraphs (no sentence end, title case or Hangul) or a marked one
** ("[관련기사]", "Related:") a related title; after the body, or after the
** copyright line, title-like paragraphs are furniture.  A document with no
** body paragraph (chat, lists) keeps only the first pass and the old
** first-paragraph headline.  Cost: O(text), the headline compared with
** each paragraph once, the repeat search bounded by TOP_CANDIDATES.
** Not here: bylines, credits and captions inside a paragraph (news.c),
** sentence breaking (segment.c), the furniture words (util/furniture.c).
*/
#include <string.h>

#include "article_int.h"
#include "furniture_int.h"
#include "news_int.h"

/* Longest title-like paragraph (headline, related title), in bytes: about 65 Hangul syllables. */
#define TITLE_MAX 200

/* A headline has at least this many words and this much weight (a Hangul syllable 2, a Latin letter 1). */
#define HEADLINE_MIN_WORDS 3
#define HEADLINE_MIN_WEIGHT 16

/* Title-like paragraphs before the body checked for a later copy (the headline's place on the page). */
#define TOP_CANDIDATES 8

/* Longest date line and reporter e-mail line, in bytes. */
#define DATE_LINE_MAX 120
#define EMAIL_LINE_MAX 100

/* A date line has at most this many letters that are not month names. */
#define DATE_LINE_LETTERS 24

typedef enum { END_NONE, END_PERIOD, END_MARK, END_ELLIPSIS, END_PAUSE } end_kind;

typedef struct {
  size_t words, weight;
  end_kind end;
  int after_letter; /* the final mark follows a letter (not a digit) */
  int titlecase;    /* most Latin words of 4+ letters are capitalized */
  int list_item;    /* opens with a bullet or "1." */
  int inner_stop;   /* a sentence ends inside: ". " after a word of 4+ characters or a Hangul syllable */
  int korean_end;   /* the last word ends in a sentence-final "다" or "요" (a sentence without its full stop) */
  int hangul;       /* the last letter is a Hangul syllable */
} shape;

static int is_space_cp(int32_t c)
{
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x202F || c == 0xFEFF;
}

static int is_hangul(int32_t c)
{
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x3130 && c <= 0x318F);
}

static int is_cjk(int32_t c)
{
  return is_hangul(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}

static int is_latin(int32_t c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_letter(int32_t c)
{
  return is_latin(c) || is_cjk(c) || (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7);
}

static int is_closing_quote(int32_t c)
{
  return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0xBB;
}

static shape shape_of(const char *s, size_t lo, size_t hi)
{
  shape sh = { 0 };
  size_t i = lo, cap = 0, long_words = 0, wlen = 0, ccount = 0;
  int32_t c, first = 0;
  int32_t last[4] = { 0, 0, 0, 0 }; /* the last code points that are no space or closing quote, last[0] nearest */
  int in_word = 0;
  while (i < hi) {
    c = ieum__utf8_next(s, hi, &i);
    if (c < 0)
      continue;
    if (is_space_cp(c)) {
      if (in_word && (last[0] == '.' || last[0] == '?' || last[0] == '!') &&
          (is_hangul(last[1]) || (ccount >= 5 && is_letter(last[1]))))
        sh.inner_stop = 1;
      if (in_word && wlen >= 4)
        long_words++, cap += first >= 'A' && first <= 'Z';
      in_word = 0;
      continue;
    }
    sh.weight += is_cjk(c) ? 2 : 1;
    if (!in_word) {
      sh.words++;
      first = c;
      wlen = ccount = 0;
      in_word = 1;
    }
    wlen += is_latin(c);
    ccount++;
    if (!is_closing_quote(c)) {
      last[3] = last[2], last[2] = last[1], last[1] = last[0], last[0] = c;
    }
  }
  if (in_word && wlen >= 4)
    long_words++, cap += first >= 'A' && first <= 'Z';
  sh.titlecase = long_words >= 2 && cap * 3 >= long_words * 2;
  c = last[0];
  if ((c == '.' && last[1] == '.') || c == 0x2026 || c == 0x22EF)
    sh.end = END_ELLIPSIS;
  else if (c == '.' || c == 0x3002 || c == 0xFF0E)
    sh.end = END_PERIOD;
  else if (c == '?' || c == '!' || c == 0xFF1F || c == 0xFF01)
    sh.end = END_MARK;
  else if (c == ',' || c == ':' || c == ';')
    sh.end = END_PAUSE;
  sh.after_letter = is_letter(last[1]);
  sh.korean_end = c == 0xB2E4 || c == 0xC694; /* 다 요 */
  sh.hangul = is_hangul(c);
  /* list items: a bullet, or "1." / "a)" first */
  size_t j = lo;
  while (j < hi && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n'))
    j++;
  if (j < hi) {
    size_t k = j;
    int32_t f = ieum__utf8_next(s, hi, &k);
    if (f == '-' || f == '*' || f == 0x2022 || f == 0x25CF || f == 0x25A0 || f == 0x2013)
      sh.list_item = 1;
    else if (f >= '0' && f <= '9') {
      while (k < hi && s[k] >= '0' && s[k] <= '9')
        k++;
      sh.list_item = k < hi && (s[k] == '.' || s[k] == ')');
    }
  }
  return sh;
}

/* A paragraph that ends as a body paragraph does: a full stop after 3+ words, or "?"/"!" in running text. */
static int body_like(const shape *sh)
{
  if (sh->words < 3)
    return 0;
  return sh->end == END_PERIOD || (sh->end == END_MARK && !sh->titlecase && sh->weight > TITLE_MAX / 2);
}

/* Title-like: two words or more, short, and no full stop or pause at its end. */
static int title_like(const char *s, const ieum_article_para *p, const shape *sh)
{
  (void)s;
  return sh->words >= 2 && p->hi - p->lo <= TITLE_MAX && !sh->list_item && !sh->inner_stop && !sh->korean_end &&
         (sh->end == END_NONE || sh->end == END_ELLIPSIS || sh->end == END_MARK);
}

/* A Korean sentence end: "…다." or "…요." (not a copyright line ending in a notice). */
static int korean_sentence(const char *s, size_t lo, size_t hi)
{
  while (hi > lo && (s[hi - 1] == ' ' || s[hi - 1] == '\n' || s[hi - 1] == '\t'))
    hi--;
  return hi - lo >= 4 && s[hi - 1] == '.' &&
         (memcmp(s + hi - 4, "\xEB\x8B\xA4", 3) == 0 || memcmp(s + hi - 4, "\xEC\x9A\x94", 3) == 0);
}

/* A lone identifier: one ASCII token with "_", a camelCase joint, or a leading "#" ("bar_progress", "btnTop"). */
static int identifier(const char *s, size_t lo, size_t hi)
{
  while (lo < hi && (s[lo] == ' ' || s[lo] == '\t' || s[lo] == '\n'))
    lo++;
  while (hi > lo && (s[hi - 1] == ' ' || s[hi - 1] == '\t' || s[hi - 1] == '\n'))
    hi--;
  if (lo >= hi || hi - lo > 64)
    return 0;
  int mark = s[lo] == '#' || s[lo] == '.';
  for (size_t i = lo; i < hi; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '#' || c == '.'))
      return 0;
    if (c == '_' || (i > lo && c >= 'A' && c <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z'))
      mark = 1;
  }
  return mark;
}

static int digit(char c)
{
  return c >= '0' && c <= '9';
}

/* "2023.01.19", "2023-01-19", "2023/1/19", "2023년 1월 19일" at s[i]: its end, or i. */
static size_t numeric_date(const char *s, size_t i, size_t hi)
{
  size_t j = i;
  while (j < hi && j - i < 4 && digit(s[j]))
    j++;
  if (j - i != 4 || j >= hi)
    return i;
  if (s[j] == '.' || s[j] == '-' || s[j] == '/')
    j++;
  else if (hi - j >= 3 && memcmp(s + j, "\xEB\x85\x84", 3) == 0) /* 년 */
    j += 3;
  else
    return i;
  while (j < hi && s[j] == ' ')
    j++;
  return j < hi && digit(s[j]) ? j : i;
}

/* An English month name at s[i] ("Jan", "January", "Sept"): its length, or 0. */
static size_t month(const char *s, size_t i, size_t hi)
{
  static const char *const m[] = { "January", "February", "March", "April", "May", "June", "July", "August",
                                   "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr",
                                   "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec" };
  for (size_t k = 0; k < sizeof m / sizeof m[0]; k++) {
    size_t n = strlen(m[k]);
    if (hi - i >= n && memcmp(s + i, m[k], n) == 0 && (i + n == hi || !is_latin((unsigned char)s[i + n])))
      return n;
  }
  return 0;
}

/* A date line: a date, few other letters, and no sentence ("입력 2023.01.19 06:30 수정 …"). */
static int date_line(const char *s, size_t lo, size_t hi, const shape *sh)
{
  if (hi - lo > DATE_LINE_MAX || (sh->end == END_PERIOD && sh->after_letter))
    return 0;
  size_t letters = 0, digits = 0;
  int date = 0;
  for (size_t i = lo; i < hi;) {
    size_t n;
    if (numeric_date(s, i, hi) > i)
      date = 1;
    if ((n = month(s, i, hi)) > 0 && (i == lo || !is_latin((unsigned char)s[i - 1]))) {
      size_t j = i + n;
      while (j < hi && (s[j] == '.' || s[j] == ' '))
        j++;
      if (j < hi && digit(s[j]))
        date = 1;
      i += n;
      continue;
    }
    int32_t c = ieum__utf8_next(s, hi, &i);
    if (c >= '0' && c <= '9')
      digits++;
    else if (is_letter(c))
      letters++;
  }
  return date && digits >= 6 && letters <= DATE_LINE_LETTERS;
}

/* A reporter e-mail line: an address and a few words ("홍길동 기자 hong@ieum.kr"), no sentence. */
static int email_line(const char *s, size_t lo, size_t hi, const shape *sh)
{
  if (hi - lo > EMAIL_LINE_MAX || sh->words > 6 || (sh->end == END_PERIOD && sh->after_letter))
    return 0;
  for (size_t i = lo + 1; i + 1 < hi; i++)
    if (s[i] == '@' && s[i - 1] != ' ' && s[i + 1] != ' ') {
      for (size_t j = i + 2; j + 1 < hi && s[j] != ' '; j++)
        if (s[j] == '.' && (is_latin((unsigned char)s[j + 1])))
          return 1;
    }
  return 0;
}

/* Are a and b the same text but for white space and ASCII case? */
static int same_text(const char *s, const ieum_article_para *a, const ieum_article_para *b)
{
  size_t i = a->lo, j = b->lo;
  for (;;) {
    while (i < a->hi && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
      i++;
    while (j < b->hi && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n'))
      j++;
    if (i >= a->hi || j >= b->hi)
      return i >= a->hi && j >= b->hi;
    char x = s[i], y = s[j];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y)
      return 0;
    i++, j++;
  }
}

/* Whole paragraph with `role`. */
static void set(ieum_article_para *p, int role)
{
  p->role = role;
  p->whole = 1;
}

/* Does the paragraph open with a byline or dateline (news.c) or read as a credit? */
static int news_part(const char *s, const ieum_article_para *p)
{
  return ieum_news__byline(s, p->lo, p->hi) > p->lo || ieum_news__credit(s, p->lo, p->hi) > p->lo ||
         ieum_news__caption(s, p->lo, p->hi);
}

/* Pass 1: what each paragraph is by itself. */
static void alone(const char *s, ieum_article_para *p, const shape *sh)
{
  p->role = IEUM_ROLE_BODY;
  p->whole = 0;
  int kind = ieum_furniture__kind(s + p->lo, p->hi - p->lo);
  if (kind == IEUM_FURNITURE_COPYRIGHT) {
    if (!korean_sentence(s, p->lo, p->hi) && !sh->inner_stop && ieum_news__credit(s, p->lo, p->hi) == p->lo)
      set(p, IEUM_ROLE_CREDIT);
  } else if (kind != IEUM_FURNITURE_NONE || identifier(s, p->lo, p->hi) ||
             (email_line(s, p->lo, p->hi, sh) && ieum_news__byline(s, p->lo, p->hi) == p->lo) ||
             ieum_news__credit_line(s, p->lo, p->hi))
    set(p, IEUM_ROLE_FURNITURE);
  else if (date_line(s, p->lo, p->hi, sh))
    set(p, IEUM_ROLE_DATELINE);
}

/*
** Is the nearest paragraph before (dir -1) or after (dir 1) p[k] that is no
** furniture nor caption a body paragraph?  A title between two body
** paragraphs is a related title or an intertitle; one of a run of title-like
** lines is a list item and stays body.
*/
static int body_beside(const char *s, const ieum_article_para *p, size_t n, size_t k, int dir)
{
  for (size_t j = k; dir < 0 ? j-- > 0 : ++j < n;) {
    int r = p[j].role;
    if (p[j].whole && (r == IEUM_ROLE_FURNITURE || r == IEUM_ROLE_DATELINE || r == IEUM_ROLE_CAPTION))
      continue;
    if (p[j].whole)
      return 0;
    shape sh = shape_of(s, p[j].lo, p[j].hi);
    return body_like(&sh);
  }
  return 0;
}

static int headline_sized(const shape *sh)
{
  return sh->words >= HEADLINE_MIN_WORDS && sh->weight >= HEADLINE_MIN_WEIGHT;
}

void ieum_article__roles(const char *s, ieum_article_para *p, size_t n)
{
  size_t b0 = SIZE_MAX, b1 = SIZE_MAX, head = SIZE_MAX;
  for (size_t k = 0; k < n; k++) {
    shape sh = shape_of(s, p[k].lo, p[k].hi);
    alone(s, &p[k], &sh);
    if (p[k].role == IEUM_ROLE_BODY && !p[k].whole &&
        (body_like(&sh) || (ieum_news__byline(s, p[k].lo, p[k].hi) > p[k].lo && sh.words >= 6))) {
      if (b0 == SIZE_MAX)
        b0 = k;
      b1 = k;
    }
  }
  if (b0 == SIZE_MAX) { /* no body: the first paragraph is the headline when it reads as one and text follows */
    for (size_t k = 0; k < n; k++) {
      if (p[k].whole)
        continue;
      int more = 0;
      for (size_t j = k + 1; j < n && !more; j++)
        more = !p[j].whole;
      if (more && ieum_news__headline(s, p[k].lo, p[k].hi))
        head = k, set(&p[k], IEUM_ROLE_HEADLINE);
      break;
    }
  } else {
    /* before the body: the headline, decks and menus */
    size_t cand[TOP_CANDIDATES], nc = 0;
    for (size_t k = 0; k < b0; k++) {
      if (p[k].whole || news_part(s, &p[k]))
        continue;
      shape sh = shape_of(s, p[k].lo, p[k].hi);
      if (title_like(s, &p[k], &sh)) {
        if (nc < TOP_CANDIDATES)
          cand[nc++] = k;
      } else if (sh.words < 2)
        set(&p[k], IEUM_ROLE_FURNITURE); /* a lone word above the article: a menu item */
    }
    for (size_t c = 0; c < nc && head == SIZE_MAX; c++)
      for (size_t j = cand[c] + 1; j < n && head == SIZE_MAX; j++)
        if (same_text(s, &p[cand[c]], &p[j]))
          head = cand[c];
    for (size_t c = 0; c < nc && head == SIZE_MAX; c++) {
      shape sh = shape_of(s, p[cand[c]].lo, p[cand[c]].hi);
      if (headline_sized(&sh))
        head = cand[c];
    }
    if (head == SIZE_MAX && nc > 0)
      head = cand[0];
    if (head == SIZE_MAX) {
      /* No title-like paragraph above the body: the first one is the headline when it is a short
         Korean line ending in "-다" without a full stop ("서울시, … 예측한다"), as headlines do. */
      for (size_t k = 0; k < b0; k++) {
        if (p[k].whole || news_part(s, &p[k]))
          continue;
        shape sh = shape_of(s, p[k].lo, p[k].hi);
        if (sh.korean_end && sh.end == END_NONE && sh.words >= HEADLINE_MIN_WORDS && !sh.inner_stop &&
            !sh.list_item && p[k].hi - p[k].lo <= TITLE_MAX && ieum_news__headline(s, p[k].lo, p[k].hi))
          head = k, set(&p[k], IEUM_ROLE_HEADLINE);
        break;
      }
    }
    for (size_t c = 0; c < nc; c++) {
      shape sh = shape_of(s, p[cand[c]].lo, p[cand[c]].hi);
      if (cand[c] == head)
        set(&p[cand[c]], IEUM_ROLE_HEADLINE);
      else if (cand[c] > head && headline_sized(&sh))
        set(&p[cand[c]], IEUM_ROLE_HEADLINE); /* a deck under the headline */
      else
        set(&p[cand[c]], IEUM_ROLE_FURNITURE); /* menus and section labels */
    }
  }
  /* inside and after the body */
  int after_copyright = 0;
  size_t from = b0 == SIZE_MAX ? 0 : b0 + 1;
  for (size_t k = from; k < n; k++) {
    if (p[k].role == IEUM_ROLE_CREDIT || (!p[k].whole && ieum_news__credit(s, p[k].lo, p[k].hi) > p[k].lo &&
                                          ieum_furniture__kind(s + p[k].lo, p[k].hi - p[k].lo) ==
                                            IEUM_FURNITURE_COPYRIGHT)) {
      after_copyright = 1;
      continue;
    }
    if (p[k].whole || k == head)
      continue;
    if (head != SIZE_MAX && same_text(s, &p[head], &p[k])) {
      set(&p[k], IEUM_ROLE_CAPTION); /* the headline again, where a photo was */
      continue;
    }
    if (b0 == SIZE_MAX || news_part(s, &p[k]))
      continue;
    shape sh = shape_of(s, p[k].lo, p[k].hi);
    int inside = k < b1 && !after_copyright;
    if (inside && ieum_news__related(s, p[k].lo, p[k].hi) && !body_like(&sh))
      set(&p[k], IEUM_ROLE_RELATED);
    else if (inside && title_like(s, &p[k], &sh) && sh.words >= HEADLINE_MIN_WORDS && (sh.titlecase || sh.hangul) &&
             body_beside(s, p, n, k, -1) && body_beside(s, p, n, k, 1))
      set(&p[k], IEUM_ROLE_RELATED);
    else if (!inside && k > b1 &&
             ((title_like(s, &p[k], &sh) && (sh.titlecase || sh.hangul || sh.words <= 3)) || sh.words < 2))
      set(&p[k], IEUM_ROLE_FURNITURE); /* below the article: section links, lists */
    else if (!inside && after_copyright && title_like(s, &p[k], &sh))
      set(&p[k], IEUM_ROLE_FURNITURE);
  }
}
