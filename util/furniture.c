/*
** util/furniture.c: is a short paragraph page furniture (UI text, a call
** to action, a copyright line) rather than article text?
**
** One list of phrases, matched anywhere in a short paragraph, and one list
** of labels, matched against the whole paragraph (trimmed, inner white
** space folded), both case-insensitive for ASCII.  Phrases are UI wording
** that prose does not use ("join us on", "본문 바로가기"); a single word
** such as "Top" or "닫기" is furniture only as a paragraph of its own.
** Lines of tags (every word a hashtag, or headed "키워드", "Tags:") are
** furniture too; ieum_furniture__end_mark() finds an agency's "(끝)" /
** "(END)" closing the last paragraph, and ieum_furniture__contact() a
** reporter's contact line (an e-mail address and a few words, no
** sentence), which the HTML extractor drops and the text path reads as a
** byline when it is one ("BY NAME [e-mail]").
** The HTML extractor drops such paragraphs from an article; the text path
** (align/article.c) drops them from a scraped page.  Cost: O(len) per list
** entry, on paragraphs of at most IEUM_FURNITURE_SHORT_WEIGHT.
** It lives in util/ because two layers share it (formats/ and align/ each
** include nothing of the other).
** Not here: where a paragraph sits on the page (align/article.c).
*/
#include <string.h>

#include "furniture_int.h"
#include "util.h"

/* Phrases of UI and calls to action: furniture anywhere in a short paragraph. */
static const char *const action_cues[] = {
  "follow us", "join us on", "sign up for", "subscribe to", "share this", "click here", "download the app",
  "read more", "newsletter", "skip to", "back to top", "go to top", "text size", "font size",
  "recommend this article",
  "\xEA\xB5\xAC\xEB\x8F\x85\xED\x95\x98\xEA\xB8\xB0",                         /* 구독하기 */
  "\xEA\xB8\xB0\xEC\x82\xAC\xEC\xA0\x9C\xEB\xB3\xB4",                         /* 기사제보 */
  "\xEA\xB3\xB5\xEC\x9C\xA0\xED\x95\x98\xEA\xB8\xB0",                         /* 공유하기 */
  "\xEB\xB0\x94\xEB\xA1\x9C\xEA\xB0\x80\xEA\xB8\xB0",                         /* 바로가기 */
  "\xEC\x9D\xB4 \xEA\xB8\xB0\xEC\x82\xAC\xEB\xA5\xBC \xEC\xB6\x94\xEC\xB2\x9C", /* 이 기사를 추천 */
  "\xEB\xA7\xA8 \xEC\x9C\x84\xEB\xA1\x9C",                                   /* 맨 위로 */
  "\xEA\xB8\x80\xEC\x9E\x90 \xED\x81\xAC\xEA\xB8\xB0",                        /* 글자 크기 */
  "\xEA\xB8\x80\xEC\x9E\x90\xED\x81\xAC\xEA\xB8\xB0",                         /* 글자크기 */
  "\xEB\xA7\x8E\xEC\x9D\xB4 \xEB\xB3\xB8 \xEB\x89\xB4\xEC\x8A\xA4",          /* 많이 본 뉴스 */
  "\xEA\xB8\xB0\xEC\x82\xAC\xEB\xAC\xB8\xEC\x9D\x98",  /* 기사문의 */
  "\xEA\xB8\xB0\xEC\x82\xAC \xEB\xAC\xB8\xEC\x9D\x98",  /* 기사 문의 */
  "\xEC\xB9\xB4\xED\x86\xA1/\xEB\x9D\xBC\xEC\x9D\xB8",  /* 카톡/라인 */
  "\xEB\x89\xB4\xEC\x8A\xA4\xEC\xA0\x9C\xEB\xB3\xB4",  /* 뉴스제보 */
  "\xEB\x89\xB4\xEC\x8A\xA4 \xEC\xA0\x9C\xEB\xB3\xB4",  /* 뉴스 제보 */
  "\xEC\xA0\x9C\xEB\xB3\xB4\xED\x95\x98\xEA\xB8\xB0",  /* 제보하기 */
  "\xEC\x84\xB9\xEC\x85\x98\xEC\x9C\xBC\xEB\xA1\x9C \xEB\xB6\x84\xEB\xA5\x98",  /* 섹션으로 분류 */
  "\xEC\xA0\x9C\xEB\xB3\xB4\xEB\x8A\x94 \xEC\xB9\xB4\xEC\xB9\xB4\xEC\x98\xA4\xED\x86\xA1",  /* 제보는 카카오톡 */
  "\xEC\xA0\x9C\xEB\xB3\xB4\xEB\x8A\x94 \xEC\xB9\xB4\xED\x86\xA1",  /* 제보는 카톡 */
  NULL
};

/* Copyright lines. */
static const char *const copyright_cues[] = {
  "all rights reserved", "copyright", "\xC2\xA9",
  "\xEB\xAC\xB4\xEB\x8B\xA8 \xEC\xA0\x84\xEC\x9E\xAC",                        /* 무단 전재 */
  "\xEB\xAC\xB4\xEB\x8B\xA8\xEC\xA0\x84\xEC\x9E\xAC",                         /* 무단전재 */
  "\xEC\x9E\xAC\xEB\xB0\xB0\xED\x8F\xAC \xEA\xB8\x88\xEC\xA7\x80",            /* 재배포 금지 */
  "\xEC\xA0\x80\xEC\x9E\x91\xEA\xB6\x8C\xEC\x9E\x90",                         /* 저작권자 */
  "\xEB\xB0\xB0\xED\x8F\xAC\xEA\xB8\x88\xEC\xA7\x80",  /* 배포금지 */
  "\xEC\x9E\xAC\xEB\xB0\xB0\xED\x8F\xAC\xEA\xB8\x88\xEC\xA7\x80",  /* 재배포금지 */
  "\xEB\xAC\xB4\xEB\x8B\xA8 \xEB\xB3\xB5\xEC\xA0\x9C",  /* 무단 복제 */
  NULL
};

/* UI labels: furniture when they are the whole paragraph. */
static const char *const labels[] = {
  "top", "close", "print", "share", "menu", "home", "search", "login", "log in", "sign in", "more", "next",
  "previous", "prev", "list", "back", "tweet", "email", "e-mail", "facebook", "twitter", "kakaotalk", "keywords",
  "tags", "(end)", "scrap", "font", "a a", "a+", "a-", "a a a", "comments", "like", "url",
  "\xEA\xB0\x80",                                  /* 가 (font size buttons) */
  "\xEA\xB0\x80 \xEA\xB0\x80",                     /* 가 가 */
  "\xEA\xB0\x80\xEA\xB0\x80",                      /* 가가 */
  "\xEB\x8B\xAB\xEA\xB8\xB0",                      /* 닫기 */
  "\xEC\x9D\xB8\xEC\x87\x84",                      /* 인쇄 */
  "\xEA\xB3\xB5\xEC\x9C\xA0",                      /* 공유 */
  "\xEC\x8A\xA4\xED\x81\xAC\xEB\x9E\xA9",          /* 스크랩 */
  "\xEB\xA9\x94\xEB\x89\xB4",                      /* 메뉴 */
  "\xEC\xA0\x84\xEC\xB2\xB4\xEB\xA9\x94\xEB\x89\xB4", /* 전체메뉴 */
  "\xEA\xB2\x80\xEC\x83\x89",                      /* 검색 */
  "\xEB\xA1\x9C\xEA\xB7\xB8\xEC\x9D\xB8",          /* 로그인 */
  "\xED\x9A\x8C\xEC\x9B\x90\xEA\xB0\x80\xEC\x9E\x85", /* 회원가입 */
  "\xEB\xAA\xA9\xEB\xA1\x9D",                      /* 목록 */
  "\xEC\x9D\xB4\xEC\xA0\x84",                      /* 이전 */
  "\xEB\x8B\xA4\xEC\x9D\x8C",                      /* 다음 */
  "\xEC\x9C\x84\xEB\xA1\x9C",                      /* 위로 */
  "\xEB\xA7\xA8\xEC\x9C\x84\xEB\xA1\x9C",          /* 맨위로 */
  "\xED\x99\x88",                                  /* 홈 */
  "\xEB\x8C\x93\xEA\xB8\x80",                      /* 댓글 */
  "\xEC\xA2\x8B\xEC\x95\x84\xEC\x9A\x94",          /* 좋아요 */
  "\xEC\xB6\x94\xEC\xB2\x9C",                      /* 추천 */
  "(\xEB\x81\x9D)",                                /* (끝) */
  "\xEC\x9E\x85\xEB\xA0\xA5",                     /* 입력 */
  "\xEC\x88\x98\xEC\xA0\x95",                     /* 수정 */
  "\xEB\x93\xB1\xEB\xA1\x9D",                     /* 등록 */
  "\xEC\x86\xA1\xEA\xB3\xA0",                     /* 송고 */
  "\xEC\x97\x85\xEB\x8D\xB0\xEC\x9D\xB4\xED\x8A\xB8",  /* 업데이트 */
  "\xEA\xB8\xB0\xEC\x82\xAC\xEC\x9E\x85\xEB\xA0\xA5",  /* 기사입력 */
  "\xEC\xB5\x9C\xEC\xA2\x85\xEC\x88\x98\xEC\xA0\x95",  /* 최종수정 */
  "\xEC\xB5\x9C\xEC\xA2\x85 \xEC\x88\x98\xEC\xA0\x95",  /* 최종 수정 */
  NULL
};

static int is_space_cp(int32_t c)
{
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x202F || c == 0xFEFF;
}

static int is_cjk(int32_t c)
{
  return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3130 && c <= 0x318F) ||
         (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF);
}

static int isalnum_ascii(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+';
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does `w` (lower case) occur in s[0..len), ASCII case-insensitively? */
static int has(const char *s, size_t len, const char *w)
{
  size_t n = strlen(w);
  for (size_t i = 0; i + n <= len; i++) {
    size_t k = 0;
    while (k < n && lower(s[i + k]) == w[k])
      k++;
    if (k == n)
      return 1;
  }
  return 0;
}

static int any(const char *s, size_t len, const char *const *list)
{
  for (; *list; list++)
    if (has(s, len, *list))
      return 1;
  return 0;
}

/* Is s[0..len), trimmed and with each run of white space taken as one space, the label `w`? */
static int is_label(const char *s, size_t len, const char *w)
{
  size_t i = 0, k = 0, n = strlen(w);
  int space = 0;
  while (i < len) {
    size_t at = i;
    int32_t c = ieum__utf8_next(s, len, &i);
    if (c < 0 || is_space_cp(c)) {
      space = 1;
      continue;
    }
    if (space && k > 0) {
      if (k >= n || w[k] != ' ')
        return 0;
      k++;
    }
    space = 0;
    for (; at < i; at++, k++)
      if (k >= n || lower(s[at]) != w[k])
        return 0;
  }
  return k == n;
}

/* Is s[i..) the start of an e-mail address's '@' run: letters before and a dotted domain after? */
static size_t email_end(const char *s, size_t len, size_t at)
{
  if (at == 0 || at + 1 >= len || s[at - 1] == ' ' || s[at + 1] == ' ')
    return 0;
  size_t j = at + 1, dots = 0;
  while (j < len && (isalnum_ascii(s[j]) || s[j] == '.' || s[j] == '-')) {
    if (s[j] == '.' && j + 1 < len && isalnum_ascii(s[j + 1]))
      dots++;
    j++;
  }
  return dots ? j : 0;
}

/*
** A reporter's contact line: an e-mail address with at most
** CONTACT_MAX_WORDS other words and no sentence ending ("홍길동 기자
** hong@example.co.kr", "/부산=김철수 기자 kim@example.com", "By Jane Roe
** jane@example.com").  A sentence that gives an address ("문의는
** info@example.com으로 하면 된다.") is prose.
*/
int ieum_furniture__contact(const char *s, size_t len)
{
  int email = 0;
  size_t words = 0;
  for (size_t i = 0; i < len;) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
      i++;
    if (i >= len)
      break;
    size_t w = i;
    int mail = 0;
    while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') {
      if (s[i] == '@' && email_end(s, len, i))
        mail = 1;
      i++;
    }
    if (mail)
      email = 1;
    else if (i - w > 1 || isalnum_ascii(s[w]))
      words++;
  }
  if (!email || words > IEUM_FURNITURE_CONTACT_MAX_WORDS)
    return 0;
  /* "...다." or a Latin sentence's full stop after a word: prose. */
  size_t e = len;
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\n'))
    e--;
  return !(e >= 4 && s[e - 1] == '.' && memcmp(s + e - 4, "\xEB\x8B\xA4", 3) == 0);
}

/* "기사문의 및 제보", "키워드", "Tags": words that head a line of tags or of contacts. */
static const char *const tag_heads[] = {
  "\xED\x82\xA4\xEC\x9B\x8C\xEB\x93\x9C",                         /* 키워드 */
  "\xEA\xB4\x80\xEB\xA0\xA8\xED\x82\xA4\xEC\x9B\x8C\xEB\x93\x9C", /* 관련키워드 */
  "\xEA\xB4\x80\xEB\xA0\xA8 \xED\x82\xA4\xEC\x9B\x8C\xEB\x93\x9C", /* 관련 키워드 */
  "\xED\x83\x9C\xEA\xB7\xB8",                                     /* 태그 */
  "keywords", "keyword", "tags", "tagged", NULL
};

/*
** A line of tags: every word a hashtag ("#부산 #습지 #개방", fullwidth
** "＃" too), or a head word of tag_heads followed by a colon, a hashtag
** or nothing ("키워드 : 부산, 습지", "Tags: Busan, wetlands").
*/
static int tag_line(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
    i++;
  for (const char *const *h = tag_heads; *h; h++) {
    size_t n = strlen(*h), k = 0;
    while (k < n && i + k < len && lower(s[i + k]) == (*h)[k])
      k++;
    if (k < n)
      continue;
    size_t j = i + n;
    while (j < len && s[j] == ' ')
      j++;
    if (j >= len || s[j] == ':' || s[j] == '#' || s[j] == '|' ||
        (j + 3 <= len && memcmp(s + j, "\xEF\xBC\x9A", 3) == 0)) /* fullwidth colon */
      return 1;
  }
  size_t tags = 0;
  while (i < len) {
    if (s[i] == '#' && i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '#')
      tags++;
    else if (i + 3 < len && memcmp(s + i, "\xEF\xBC\x83", 3) == 0) /* ＃ */
      tags++;
    else
      return 0;
    while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
      i++;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == ','))
      i++;
  }
  return tags > 0;
}

int ieum_furniture__kind(const char *s, size_t len)
{
  size_t w = 0;
  for (size_t i = 0; i < len;) {
    int32_t c = ieum__utf8_next(s, len, &i);
    if (c < 0 || is_space_cp(c))
      continue;
    w += is_cjk(c) ? 2 : 1;
    if (w > IEUM_FURNITURE_SHORT_WEIGHT)
      return IEUM_FURNITURE_NONE;
  }
  for (const char *const *l = labels; *l; l++)
    if (is_label(s, len, *l))
      return IEUM_FURNITURE_LABEL;
  if (any(s, len, copyright_cues))
    return IEUM_FURNITURE_COPYRIGHT;
  if (any(s, len, action_cues))
    return IEUM_FURNITURE_ACTION;
  if (tag_line(s, len))
    return IEUM_FURNITURE_TAGS;
  return IEUM_FURNITURE_NONE;
}

/* End marks of a news agency's copy: "(끝)", "(END)", "<끝>", "[끝]", "/끝/". */
static const char *const end_marks[] = {
  "(\xEB\x81\x9D)", "<\xEB\x81\x9D>", "[\xEB\x81\x9D]", "/\xEB\x81\x9D/", "(end)", "[end]", NULL
};

size_t ieum_furniture__end_mark(const char *s, size_t len)
{
  size_t e = len;
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n'))
    e--;
  for (const char *const *m = end_marks; *m; m++) {
    size_t n = strlen(*m);
    if (e < n)
      continue;
    size_t k = 0;
    while (k < n && lower(s[e - n + k]) == (*m)[k])
      k++;
    if (k < n)
      continue;
    size_t b = e - n;
    /* Only as the last word of the copy, after a space or the sentence's last mark. */
    if (b > 0 && s[b - 1] != ' ' && s[b - 1] != '.' && s[b - 1] != '"' && s[b - 1] != '\'' &&
        (unsigned char)s[b - 1] < 0x80)
      return 0;
    while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n'))
      b--;
    return b > 0 ? len - b : 0;
  }
  return 0;
}
