/*
** align/news.c: bylines, datelines, credits, captions and headlines of news
** articles, found by their shape.
**
** Korean wire copy opens a paragraph with "(서울=연합뉴스) 홍길동 기자 =" or
** "[아시아경제 양낙규 군사전문기자]"; English wire copy with a dateline
** "SEOUL, June 11 (Yonhap) --", English editions of Korean papers with
** "[Asia Economy NAME, ... Reporter]" (capitalized words and a reporter
** word).  Photo credits are bracketed and keyed
** ("[사진=연합뉴스]", "(사진 제공=국방부)", "[대통령실 제공]"), copyright lines
** start with "ⓒ", "©", "Copyright" or "<저작권자" and run to the end of the
** paragraph.  Each test is a left-to-right scan of at most NEWS_SPAN_MAX
** bytes, so segment.c may ask at every bracket of a paragraph and stay
** linear.  A false "credit" would drop text from the body, so credits need a
** keyword and must stand apart (not glued to a following "." or ",").
** Two whole-paragraph tests serve article.c: a lone photo-credit line
** ("사진=연합뉴스", "Photo by …") and the mark of a related title
** ("[관련기사]", "Related:", "▶").
** Not here: sentence breaking (segment.c).
*/
#include <string.h>

#include "news_int.h"

/* Longest headline, in bytes: about 65 Hangul syllables or 200 Latin letters. */
#define HEADLINE_MAX 200

/* Longest "By Name" byline paragraph, in bytes. */
#define BY_LINE_MAX 60

/* Longest reporter part after "(서울=연합뉴스)": "홍길동 이재영 선임기자 =", in bytes. */
#define REPORTER_MAX 60

/* Longest date between a dateline's city and its agency or dash: ", Sept. 30", in bytes. */
#define DATE_MAX 24

static int has_at(const char *s, size_t i, size_t hi, const char *w)
{
  size_t n = strlen(w);
  return hi - i >= n && memcmp(s + i, w, n) == 0;
}

/* Position in s[i..lim) where `w` starts, or SIZE_MAX. */
static size_t find(const char *s, size_t i, size_t lim, const char *w)
{
  size_t n = strlen(w);
  for (; i + n <= lim; i++)
    if (memcmp(s + i, w, n) == 0)
      return i;
  return SIZE_MAX;
}

static size_t skip_spaces(const char *s, size_t i, size_t hi)
{
  while (i < hi && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
    i++;
  return i;
}

static size_t trim_end(const char *s, size_t lo, size_t e)
{
  while (e > lo && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n'))
    e--;
  return e;
}

/* The closing bracket for the opening one at s[i], or NULL: "[" "]", "(" ")", "<" ">", "【" "】", "〈" "〉", "［" "］", "（" "）". */
static const char *closer(const char *s, size_t i, size_t hi, size_t *open_len)
{
  static const char *const pairs[][2] = {
    { "[", "]" }, { "(", ")" }, { "<", ">" }, { "\xE3\x80\x90", "\xE3\x80\x91" }, { "\xE3\x80\x88", "\xE3\x80\x89" },
    { "\xEF\xBC\xBB", "\xEF\xBC\xBD" }, { "\xEF\xBC\x88", "\xEF\xBC\x89" },
  };
  for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
    if (has_at(s, i, hi, pairs[k][0])) {
      *open_len = strlen(pairs[k][0]);
      return pairs[k][1];
    }
  return NULL;
}

/*
** End of the bracketed span opening at s[i] (one past its closing bracket),
** with its content in [*c0, *c1); i when s[i] opens no bracket or the
** bracket does not close within NEWS_SPAN_MAX bytes.
*/
static size_t bracket(const char *s, size_t i, size_t hi, size_t *c0, size_t *c1)
{
  size_t ol;
  const char *cl = closer(s, i, hi, &ol);
  if (!cl)
    return i;
  size_t lim = hi - i > NEWS_SPAN_MAX ? i + NEWS_SPAN_MAX : hi;
  size_t e = find(s, i + ol, lim, cl);
  if (e == SIZE_MAX || e == i + ol)
    return i;
  *c0 = i + ol;
  *c1 = e;
  return e + strlen(cl);
}

/* Words that name a reporter at the end of a byline. */
static int reporter_word_ends(const char *s, size_t lo, size_t e)
{
  static const char *const words[] = { "기자", "특파원", "통신원", "논설위원", "선임기자", "객원기자" };
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
    size_t n = strlen(words[k]);
    if (e - lo >= n && memcmp(s + e - n, words[k], n) == 0)
      return 1;
  }
  return 0;
}

/*
** An English bracketed byline's content: "Asia Economy Yang Nak-gyu,
** Military Specialist Reporter", "Asia Economy Reporter Kim Ji-hye": it
** starts with a capital, holds a reporter word as a whole word, at least
** two words and no sentence inside (no ". ", no quote).
*/
static int contains(const char *s, size_t i, size_t e, const char *w);

static int english_reporter(const char *s, size_t lo, size_t e)
{
  static const char *const words[] = { "Reporter", "reporter", "Correspondent", "correspondent", "Writer",
                                       "writer", "Editor", "editor", "Columnist", "columnist", "Reporters",
                                       "Correspondents", "Contributor", "Intern" };
  lo = skip_spaces(s, lo, e);
  e = trim_end(s, lo, e);
  if (lo >= e || s[lo] < 'A' || s[lo] > 'Z' || !contains(s, lo, e, " ") || contains(s, lo, e, ". ") ||
      contains(s, lo, e, "\"") || contains(s, lo, e, "\xE2\x80\x9C"))
    return 0;
  for (size_t i = lo + 1; i < e; i++) /* every word capitalized: a name and a title, not a phrase */
    if (s[i - 1] == ' ' && !(s[i] >= 'A' && s[i] <= 'Z'))
      return 0;
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
    size_t n = strlen(words[k]);
    for (size_t at = find(s, lo, e, words[k]); at != SIZE_MAX; at = find(s, at + 1, e, words[k])) {
      int left = at == lo || s[at - 1] == ' ';
      int right = at + n == e || s[at + n] == ' ' || s[at + n] == ',';
      if (left && right)
        return 1;
    }
  }
  return 0;
}

/* "홍길동 기자 =" at s[i]: the end after "=", or i. */
static size_t reporter(const char *s, size_t i, size_t hi)
{
  size_t lim = hi - i > REPORTER_MAX ? i + REPORTER_MAX : hi;
  for (size_t j = i; j < lim; j++) {
    char ch = s[j];
    if (ch == '.' || ch == '!' || ch == '?' || ch == ',' || ch == '"')
      return i;
    if (ch == '=') {
      if (!reporter_word_ends(s, i, trim_end(s, i, j)))
        return i;
      return j + 1;
    }
  }
  return i;
}

static int contains(const char *s, size_t i, size_t e, const char *w)
{
  return find(s, i, e, w) != SIZE_MAX;
}

/* Credit keywords that open a bracketed credit. */
static int credit_key(const char *s, size_t i, size_t e)
{
  static const char *const keys[] = { "사진", "그래픽", "자료", "출처", "영상", "이미지", "일러스트", "Photo",
                                      "photo", "PHOTO", "Image", "Graphic", "Courtesy", "Source" };
  i = skip_spaces(s, i, e);
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
    if (has_at(s, i, e, keys[k]))
      return 1;
  return 0;
}

size_t ieum_news__credit(const char *s, size_t i, size_t hi)
{
  static const char *const to_end[] = { "\xE2\x93\x92", "\xC2\xA9", "Copyright", "COPYRIGHT", "<저작권자",
                                        "저작권자" };
  for (size_t k = 0; k < sizeof to_end / sizeof to_end[0]; k++)
    if (has_at(s, i, hi, to_end[k]))
      return hi;
  size_t c0, c1;
  size_t e = bracket(s, i, hi, &c0, &c1);
  if (e == i)
    return i;
  int keyed = credit_key(s, c0, c1) &&
              (contains(s, c0, c1, "=") || contains(s, c0, c1, ":") || contains(s, c0, c1, "제공") ||
               contains(s, c0, c1, "by") || contains(s, c0, c1, "Yonhap") || contains(s, c0, c1, "연합뉴스"));
  size_t t = trim_end(s, c0, c1);
  int provided = t - c0 > strlen(" 제공") && memcmp(s + t - strlen(" 제공"), " 제공", strlen(" 제공")) == 0;
  if (!keyed && !provided)
    return i;
  /* A credit stands apart: what follows is the end, white space, or another bracket. */
  if (e < hi && !(s[e] == ' ' || s[e] == '\t' || s[e] == '\n' || s[e] == '[' || s[e] == '(' || s[e] == '<'))
    return i;
  return e;
}

/* "SEOUL, June 11 (Yonhap) --" at s[lo]: its end, or lo. */
static size_t dateline(const char *s, size_t lo, size_t hi)
{
  size_t i = lo, caps = 0;
  while (i < hi && i - lo < NEWS_SPAN_MAX &&
         ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == ' ' || s[i] == '.' || s[i] == '\'' || s[i] == '-')) {
    caps += s[i] >= 'A' && s[i] <= 'Z';
    if (s[i] == '-' && i + 1 < hi && s[i + 1] == '-')
      break;
    i++;
  }
  if (caps < 3 || i >= hi || (s[i] >= 'a' && s[i] <= 'z'))
    return lo;
  size_t city_end = trim_end(s, lo, i);
  if (city_end - lo < 3 || s[lo] < 'A' || s[lo] > 'Z' || (s[lo + 1] < 'A' || s[lo + 1] > 'Z'))
    return lo;
  i = city_end;
  int agency = 0;
  if (s[i] == ',') { /* a date: up to the agency or the dash */
    size_t j = i + 1;
    while (j < hi && j - i < DATE_MAX && s[j] != '(' && s[j] != '-' && (unsigned char)s[j] != 0xE2)
      j++;
    i = j;
  }
  i = skip_spaces(s, i, hi);
  if (i < hi && s[i] == '(') {
    size_t c0, c1, e = bracket(s, i, hi, &c0, &c1);
    if (e == i)
      return lo;
    agency = 1;
    i = skip_spaces(s, e, hi);
  }
  static const char *const dashes[] = { "--", "\xE2\x80\x94", "\xE2\x80\x93", "-" };
  for (size_t k = 0; k < sizeof dashes / sizeof dashes[0]; k++)
    if (has_at(s, i, hi, dashes[k])) {
      size_t e = i + strlen(dashes[k]);
      if (e < hi && s[e] != ' ')
        return lo;
      return e;
    }
  return agency ? trim_end(s, lo, i) : lo;
}

size_t ieum_news__byline(const char *s, size_t lo, size_t hi)
{
  size_t c0, c1, e;
  lo = skip_spaces(s, lo, hi);
  if (lo >= hi)
    return lo;
  /* "By Kim Tong-hyung" as a paragraph of its own */
  if ((has_at(s, lo, hi, "By ") || has_at(s, lo, hi, "BY ")) && hi - lo <= BY_LINE_MAX && lo + 3 < hi && s[lo + 3] >= 'A' && s[lo + 3] <= 'Z') {
    size_t t = trim_end(s, lo, hi);
    if (s[t - 1] != '.' && s[t - 1] != '!' && s[t - 1] != '?')
      return t;
  }
  if ((e = dateline(s, lo, hi)) > lo)
    return e;
  e = bracket(s, lo, hi, &c0, &c1);
  if (e > lo && !credit_key(s, c0, c1)) {
    /* "(서울=연합뉴스)", "[서울=뉴시스]", "[아시아경제 양낙규 군사전문기자]" */
    int place_agency = contains(s, c0, c1, "=");
    if (!place_agency && !reporter_word_ends(s, c0, trim_end(s, c0, c1)) && !english_reporter(s, c0, c1))
      return lo;
    if (place_agency && (contains(s, c0, c1, ".") || contains(s, c0, c1, ",")))
      return lo;
    size_t r = reporter(s, skip_spaces(s, e, hi), hi);
    return r > skip_spaces(s, e, hi) ? r : e;
  }
  if (e == lo)
    return reporter(s, lo, hi); /* "홍길동 기자 = 서울시가 …" */
  return lo;
}

int ieum_news__caption(const char *s, size_t lo, size_t hi)
{
  lo = skip_spaces(s, lo, hi);
  return has_at(s, lo, hi, "\xE2\x96\xB2") || has_at(s, lo, hi, "\xE2\x96\xB3"); /* ▲ △ */
}

int ieum_news__headline(const char *s, size_t lo, size_t hi)
{
  lo = skip_spaces(s, lo, hi);
  hi = trim_end(s, lo, hi);
  if (hi <= lo || hi - lo > HEADLINE_MAX)
    return 0;
  char last = s[hi - 1];
  if (last == '.' || last == ':' || last == ';' || last == ',')
    return 0;
  if (hi - lo >= 3 && memcmp(s + hi - 3, "\xE3\x80\x82", 3) == 0) /* 。 */
    return 0;
  return find(s, lo, hi, " ") != SIZE_MAX; /* at least two words */
}

/* Keys of an unbracketed photo-credit line: "사진=연합뉴스", "Photo: Yonhap", "Photo by Kim". */
static const char *const credit_line_keys[] = { "사진", "그래픽", "영상", "이미지", "Photo", "PHOTO", "photo",
                                                "Image", "Graphic", "Courtesy", "Video" };

int ieum_news__credit_line(const char *s, size_t lo, size_t hi)
{
  lo = skip_spaces(s, lo, hi);
  hi = trim_end(s, lo, hi);
  if (lo >= hi || hi - lo > NEWS_SPAN_MAX)
    return 0;
  if (ieum_news__credit(s, lo, hi) == hi && (s[lo] == '[' || s[lo] == '(' || s[lo] == '<' ||
                                              (unsigned char)s[lo] == 0xE3 || (unsigned char)s[lo] == 0xEF))
    return 1; /* "[사진=연합뉴스]" alone */
  for (size_t k = 0; k < sizeof credit_line_keys / sizeof credit_line_keys[0]; k++) {
    if (!has_at(s, lo, hi, credit_line_keys[k]))
      continue;
    size_t i = skip_spaces(s, lo + strlen(credit_line_keys[k]), hi);
    if (i < hi && (s[i] == '=' || s[i] == ':' || has_at(s, i, hi, "by ") || has_at(s, i, hi, "제공")))
      return 1;
  }
  return 0;
}

int ieum_news__related(const char *s, size_t lo, size_t hi)
{
  static const char *const marks[] = { "[관련기사]", "[관련 기사]", "<관련기사>", "관련기사", "관련 기사",
                                       "[Related]", "Related:", "RELATED:", "Related Article", "Related article",
                                       "Related News", "Related news", "See also:", "\xE2\x96\xB6" /* ▶ */,
                                       "\xE2\x98\x9E" /* ☞ */, "\xE2\x96\xBA" /* ► */ };
  lo = skip_spaces(s, lo, hi);
  hi = trim_end(s, lo, hi);
  if (lo >= hi || hi - lo > 2 * NEWS_SPAN_MAX)
    return 0;
  for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
    if (has_at(s, lo, hi, marks[k]))
      return 1;
  return 0;
}

size_t ieum_news__end_credit(const char *s, size_t lo, size_t i, size_t hi)
{
  size_t c0, c1;
  if (i < lo + 2 || s[i - 1] != ' ' || !(s[i - 2] == '.' || s[i - 2] == '!' || s[i - 2] == '?'))
    return i;
  size_t e = bracket(s, i, hi, &c0, &c1);
  if (e == i || skip_spaces(s, e, hi) < hi || c1 - c0 > 40)
    return i;
  /* one to three words, each capitalized (Latin) or Hangul, no digits nor sentence marks */
  size_t words = 0;
  for (size_t j = c0; j < c1; j++) {
    unsigned char ch = (unsigned char)s[j];
    if (ch == ' ')
      continue;
    if (j == c0 || s[j - 1] == ' ' || s[j - 1] == '/' || s[j - 1] == '-') {
      if (!((ch >= 'A' && ch <= 'Z') || ch >= 0xEA))
        return i;
      if (j == c0 || s[j - 1] == ' ')
        words++;
    } else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80 || ch == '/' || ch == '-'))
      return i;
  }
  return words >= 1 && words <= 3 ? e : i;
}
