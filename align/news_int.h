/*
** align/news_int.h: the parts of a news article that are not body sentences
** (internal to align/): bylines, datelines, credits, captions, headlines.
**
** segment.c asks these before it splits a paragraph into sentences: the
** byline or dateline that opens a paragraph and every credit inside it are
** cut off as segments of their own, and the rest is split as body text.
** Every function looks at most NEWS_SPAN_MAX bytes from where it starts.
*/
#ifndef IEUM_NEWS_INT_H
#define IEUM_NEWS_INT_H

#include "align_int.h"

/* Longest byline, dateline or bracketed credit recognized, in bytes (about 40 Hangul syllables). */
#define NEWS_SPAN_MAX 120

/*
** End of the byline or dateline that opens s[lo..hi) ("[아시아경제 양낙규
** 기자]", "(서울=연합뉴스) 홍길동 기자 =", "[Asia Economy Reporter Kim
** Ji-hye]", "SEOUL, June 11 (Yonhap) --", a paragraph "By Kim Tong-hyung"),
** trailing white space excluded; lo when there is none.
*/
size_t ieum_news__byline(const char *s, size_t lo, size_t hi);

/*
** End of the credit that starts at s[i] ("[사진=연합뉴스]", "(사진 제공=…)",
** "[대통령실 제공]", "<그래픽=…>", or "ⓒ …", "© …", "Copyright …",
** "<저작권자 …", which run to the end of the paragraph at hi); i when there
** is none.
*/
size_t ieum_news__credit(const char *s, size_t i, size_t hi);

/*
** Non-zero when the paragraph s[lo..hi) is a photo credit and nothing
** else: "[사진=연합뉴스]", "(Photo: Yonhap)", "사진=연합뉴스", "Photo by Kim
** Ji-su" (page furniture where a photo was).
*/
int ieum_news__credit_line(const char *s, size_t lo, size_t hi);

/*
** Non-zero when the paragraph s[lo..hi) opens with the mark of a related
** article's title: "[관련기사]", "관련기사", "Related:", "[Related]",
** "See also:", "▶", "☞".
*/
int ieum_news__related(const char *s, size_t lo, size_t hi);

/*
** End of a photo credit that is a bare agency or photographer name in
** brackets at s[i], closing the paragraph s[lo..hi) after a sentence:
** "… in Seoul. (Yonhap)", "… 발언하고 있다. [EPA]"; i when there is none.
*/
size_t ieum_news__end_credit(const char *s, size_t lo, size_t i, size_t hi);

/* Non-zero when the paragraph s[lo..hi) is a photo caption ("▲ …", "△ …"). */
int ieum_news__caption(const char *s, size_t lo, size_t hi);

/*
** Non-zero when the paragraph s[lo..hi), the first of an article that goes
** on after it, reads as a headline: short and without a sentence-final
** mark at its end.
*/
int ieum_news__headline(const char *s, size_t lo, size_t hi);

#endif
