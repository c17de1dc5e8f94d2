/*
** util/furniture_int.h: the words of web-page furniture, shared by the
** HTML extractor (formats/html.c) and the structure of scraped text
** (align/article.c), so that both paths drop the same lines.
**
** A short paragraph is furniture when it holds a call to action or a UI
** phrase ("follow us", "본문 바로가기", "이 기사를 추천합니다"), when it
** is a copyright line ("All rights reserved", "무단전재"), or when the whole
** of it is a UI label ("Top", "Close", "맨 위로", "가").  Both callers ask
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
  IEUM_FURNITURE_LABEL = 3      /* the whole paragraph is a UI label: "Top", "Close", "맨 위로" */
} ieum_furniture_kind;

/*
** What kind of furniture the paragraph s[0..len) (valid UTF-8, any white
** space) is, matched case-insensitively (ASCII); IEUM_FURNITURE_NONE for a
** paragraph over IEUM_FURNITURE_SHORT_WEIGHT.  Cost O(len).
*/
int ieum_furniture__kind(const char *s, size_t len);

#endif
