/*
** util/furniture_int.h: the words of web-page furniture, shared by the
** HTML extractor (formats/html.c) and the structure of scraped text
** (align/article.c), so that both paths drop the same lines.
**
** A short paragraph is furniture when it holds a call to action or a UI
** phrase ("follow us", "본문 바로가기", "이 기사를 추천합니다"), when it
** is a copyright line ("All rights reserved", "무단전재"), when the whole
** of it is a UI label ("Top", "Close", "맨 위로", "가"), or a line of tags
** ("#부산 #습지", "키워드 : ..."), or when it asks for tips ("기사문의 및 제보 :
** 카톡/라인 jebo23").  A paragraph may also end in an agency's end mark
** ("...말했다. (끝)"), which ieum_furniture__end_mark() finds, and a
** reporter's contact line ("홍길동 기자 hong@example.co.kr") is told by
** ieum_furniture__contact(): the HTML extractor drops both.  Both callers ask
** ieum_furniture__kind(); neither keeps a list of its own.
** Not here: the shape rules of text lines (CSS class names, date lines,
** e-mail lines: align/article.c), HTML class/id hints (html.c).
*/
#ifndef IEUM_FURNITURE_INT_H
#define IEUM_FURNITURE_INT_H

#include <stddef.h>

/* Paragraphs heavier than this (code points without white space, a Hangul or CJK character counting 2) are prose. */
#define IEUM_FURNITURE_SHORT_WEIGHT 160

typedef enum {
  IEUM_FURNITURE_NONE = 0,
  IEUM_FURNITURE_ACTION = 1,    /* a call to action or UI phrase: "follow us", "본문 바로가기" */
  IEUM_FURNITURE_COPYRIGHT = 2, /* a copyright line: "All rights reserved", "무단전재 배포금지" */
  IEUM_FURNITURE_LABEL = 3,     /* the whole paragraph is a UI label: "Top", "Close", "맨 위로" */
  IEUM_FURNITURE_TAGS = 4       /* a line of tags: "#부산 #습지", "키워드 : 부산, 습지", "Tags: Busan" */
} ieum_furniture_kind;

/* Words beside the e-mail address of a contact line, at most ("/부산=김철수 기자" is 2). */
#define IEUM_FURNITURE_CONTACT_MAX_WORDS 5

/*
** What kind of furniture the paragraph s[0..len) (valid UTF-8, any white
** space) is, matched case-insensitively (ASCII); IEUM_FURNITURE_NONE for a
** paragraph over IEUM_FURNITURE_SHORT_WEIGHT.  Cost O(len).
*/
int ieum_furniture__kind(const char *s, size_t len);

/*
** The bytes at the end of the paragraph s[0..len) that are a news
** agency's end mark ("(끝)", "(END)", "<끝>", "[끝]", "/끝/"), with the
** white space before it, as its last word: 0 when there is none, or when
** the mark is the whole paragraph (then ieum_furniture__kind() says label).
*/
size_t ieum_furniture__end_mark(const char *s, size_t len);

/*
** Non-zero when s[0..len) is a reporter's contact line: an e-mail address
** with at most IEUM_FURNITURE_CONTACT_MAX_WORDS other words and no
** sentence ending ("홍길동 기자 hong@example.co.kr", "By Jane Roe
** jane@example.com").  Not furniture by itself for the text path, where
** such a line may be the byline.
*/
int ieum_furniture__contact(const char *s, size_t len);

#endif
