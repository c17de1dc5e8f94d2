/*
** tests/unit/align_segment.c: sentence segmentation (align/segment.c) through
** ieum_doc_new(): ICU splits, our rules on top of them, paragraph modes, byte
** offsets, blank input and a 1 MB text.
**
** Run with `--stdin LANG` it is also a scoring tool: it segments standard
** input (one paragraph per line) and prints one segment per line, for
** /work/shared/tools/score_segment.py; `--stdin-icu LANG` prints what plain
** ICU "LANG@ss=standard" gives, as the baseline.
*/
#include <stdint.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "tap.h"
#include "align/align_int.h"

/* Segments `text` in sentence mode; NULL on failure (reported as a failed check). */
static ieum_doc *seg(const char *text, const char *lang, int paragraphs)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  o.lang = lang;
  o.paragraphs = paragraphs;
  int rc = ieum_doc_new(&d, text, strlen(text), &o);
  if (rc) {
    const ieum_error *e = ieum_error_last();
    ok(0, "ieum_doc_new failed: %d %s", rc, e ? e->message : "");
  }
  return d;
}

/* Text of segment i, or "" when there is none. */
static const char *segtext(const ieum_doc *d, size_t i)
{
  const ieum_segment *s = ieum_doc_segment(d, i);
  return s ? s->text : "";
}

/* Checks that `text` splits into exactly the '|'-separated sentences of `want`. */
static void splits(const char *text, const char *lang, const char *want, const char *what)
{
  ieum_doc *d = seg(text, lang, IEUM_PARAGRAPH_LINE);
  ieum_buf got = IEUM_BUF_INIT;
  for (size_t i = 0; d && i < ieum_doc_count(d); i++) {
    if (i)
      ieum__buf_putc(&got, '|');
    ieum__buf_puts(&got, segtext(d, i));
  }
  is_str(got.ptr ? got.ptr : "", want, "%s", what);
  ieum_buf_dispose(&got);
  ieum_doc_free(d);
}

static void test_align_segment__basic(void)
{
  splits("Hello world. My name is Kim.", "en", "Hello world.|My name is Kim.", "two English sentences");
  splits("오늘은 날씨가 좋다. 내일은 비가 온다고 한다.", "ko", "오늘은 날씨가 좋다.|내일은 비가 온다고 한다.",
         "two Korean sentences");
  splits("정말입니까? 그렇습니다! 좋아요.", "ko", "정말입니까?|그렇습니다!|좋아요.", "Korean ? and !");
  splits("Is it true? Yes! Fine.", "en", "Is it true?|Yes!|Fine.", "English ? and !");
  splits("회의가 끝났다.그리고 모두 돌아갔다.", "ko", "회의가 끝났다.|그리고 모두 돌아갔다.",
         "Korean sentences glued with no space still split");
  splits("첫 문장이다. 마지막 문장에는 마침표가 없다", "ko", "첫 문장이다.|마지막 문장에는 마침표가 없다",
         "a text with no final punctuation keeps its last sentence");
  splits("He joined GCHQ. But he left in 2019.", "en", "He joined GCHQ.|But he left in 2019.",
         "an acronym without dots ends a sentence (ICU suppresses it by the suffix Q.)");
  splits("Seoul wants to join NATO. Officials said so.", "en", "Seoul wants to join NATO.|Officials said so.",
         "NATO. is not the suppression O.");
  splits("Mrs. Park met Prof. Lee.", "en", "Mrs. Park met Prof. Lee.", "real CLDR suppressions still hold");
}

static void test_align_segment__quotes(void)
{
  splits("그는 “지금 바로 떠나자.”라고 말했다. 모두 따랐다.", "ko",
         "그는 “지금 바로 떠나자.”라고 말했다.|모두 따랐다.", "closing quote + 라고 stays in the sentence");
  splits("그녀는 \"정말 괜찮니?\"하고 물었다.", "ko", "그녀는 \"정말 괜찮니?\"하고 물었다.",
         "straight quote + 하고 stays in the sentence");
  splits("우리 집 강아지가 가출(?)을 했다. 다행히 돌아왔다.", "ko",
         "우리 집 강아지가 가출(?)을 했다.|다행히 돌아왔다.", "closing bracket + particle");
  splits("시인 강백(1690?~1777?)의 호는 우곡이다.", "ko", "시인 강백(1690?~1777?)의 호는 우곡이다.",
         "question marks inside a year range");
  splits("“Here he comes!” she said. They ran.", "en", "“Here he comes!” she said.|They ran.",
         "exclamation in quotes before a lowercase word");
  splits("She works at Yahoo! in the sales department.", "en", "She works at Yahoo! in the sales department.",
         "exclamation mark inside a name");
  splits("“모두 떠났다.” 그는 혼자 남았다.", "ko", "“모두 떠났다.”|그는 혼자 남았다.",
         "a closing quote then a space still breaks");
}

static void test_align_segment__abbrev(void)
{
  splits("Dr. Kim met reporters. He left early.", "en", "Dr. Kim met reporters.|He left early.", "Dr. Kim");
  splits("The U.S. Army said so on Monday.", "en", "The U.S. Army said so on Monday.", "U.S. Army");
  splits("Lt. Gen. Park Jin-ho arrived.", "en", "Lt. Gen. Park Jin-ho arrived.", "Lt. Gen.");
  splits("The bill is No. 2 on the list. It passed.", "en", "The bill is No. 2 on the list.|It passed.",
         "No. + digit");
  splits("He said No. Then he left.", "en", "He said No.|Then he left.", "No. without a digit ends a sentence");
  splits("He lives in the U.S. But he works in Seoul.", "en", "He lives in the U.S.|But he works in Seoul.",
         "U.S. before a sentence starter breaks");
  splits("Samsung Electronics Co. said on Jan. 18 that sales rose.", "en",
         "Samsung Electronics Co. said on Jan. 18 that sales rose.", "Co. + lowercase, Jan. + digit");
  splits("Sen. Warren and Gov. Newsom met Sgt. Lee.", "en", "Sen. Warren and Gov. Newsom met Sgt. Lee.",
         "titles before names");
  splits("U.S.정부는 이날 성명을 냈다.", "ko", "U.S.정부는 이날 성명을 냈다.", "U.S. glued to Hangul");
  splits("G.D.P. 성장률이 2%를 넘었다. 수출도 늘었다.", "ko", "G.D.P. 성장률이 2%를 넘었다.|수출도 늘었다.",
         "G.D.P. + space + Hangul");
  splits("The deal with Acme Corp. was signed. It is done.", "en",
         "The deal with Acme Corp. was signed.|It is done.", "Corp. + lowercase");
  splits("I met Jonas E. Smith yesterday.", "en", "I met Jonas E. Smith yesterday.", "middle initial");
  splits("We make a good team, you and I. Did you see him?", "en",
         "We make a good team, you and I.|Did you see him?", "the pronoun I ends a sentence");
}

static void test_align_segment__numbers(void)
{
  splits("2023.1.18. 서울에서 회의가 열렸다.", "ko", "2023.1.18. 서울에서 회의가 열렸다.", "compact dotted date");
  splits("2023. 1. 18. 서울에서 회의가 열렸다. 결론은 없었다.", "ko",
         "2023. 1. 18. 서울에서 회의가 열렸다.|결론은 없었다.", "spaced dotted date");
  splits("1. 머리말", "ko", "1. 머리말", "numbered heading");
  splits("가-1. 연구 목적과 방법", "ko", "가-1. 연구 목적과 방법", "Korean list marker with a dash");
  splits("질문이 있다? 1. 첫째 항목이다. 2. 둘째 항목이다.", "ko", "질문이 있다?|1. 첫째 항목이다.|2. 둘째 항목이다.",
         "a list marker after a sentence end stays with its item");
  splits("아. 그렇구나.", "ko", "아.|그렇구나.", "a one-syllable sentence is not a list marker");
  splits("지진이 일어났다.[16][17] 피해가 컸다.[3]", "ko", "지진이 일어났다.[16][17]|피해가 컸다.[3]",
         "footnote markers stay with their sentence");
  splits("그는 <종이는 혈관의 콜레스테롤과 같다.>라고 말한다.", "ko", "그는 <종이는 혈관의 콜레스테롤과 같다.>라고 말한다.",
         "no sentence starts with a closing bracket");
  splits("Growth was 3.5 percent. Prices rose.", "en", "Growth was 3.5 percent.|Prices rose.",
         "a decimal number is not a break");
}

static void test_align_segment__ellipsis(void)
{
  splits("He hesitated… and then spoke.", "en", "He hesitated… and then spoke.", "… before a lowercase word");
  splits("I never meant that.... She left the store.", "en", "I never meant that....|She left the store.",
         "four dots then a capital");
  splits("그는 최선을 다했다. 그러나 성공할지는…….", "ko", "그는 최선을 다했다.|그러나 성공할지는…….",
         "Korean …… at the end");
}

static void test_align_segment__paragraphs(void)
{
  const char *t = "First line\ncontinues here. Second one.\n\n\nNew paragraph.\n";
  ieum_doc *d = seg(t, "en", IEUM_PARAGRAPH_LINE);
  is_int(ieum_doc_count(d), 4, "LINE: every line break ends a sentence");
  is_str(segtext(d, 0), "First line", "LINE: first line alone");
  is_int(ieum_doc_segment(d, 1)->para, 1, "LINE: second line is paragraph 1");
  is_int(ieum_doc_segment(d, 3)->para, 2, "LINE: blank lines are not counted as paragraphs");
  ieum_doc_free(d);

  d = seg(t, "en", IEUM_PARAGRAPH_BLANK);
  is_int(ieum_doc_count(d), 3, "BLANK: a single line break is white space");
  is_str(segtext(d, 0), "First line continues here.", "BLANK: sentence across a line break");
  is_int(ieum_doc_segment(d, 1)->para, 0, "BLANK: same paragraph");
  is_int(ieum_doc_segment(d, 2)->para, 1, "BLANK: after blank lines, paragraph 1");
  ieum_doc_free(d);

  d = seg("No end here\nNext line.", "en", IEUM_PARAGRAPH_LINE);
  is_str(segtext(d, 0), "No end here", "a sentence never crosses a paragraph boundary");
  ieum_doc_free(d);
}

static void test_align_segment__offsets(void)
{
  const char *t = "  Hello there.  안녕하세요. \n 다음 줄";
  ieum_doc *d = seg(t, "ko", IEUM_PARAGRAPH_LINE);
  is_int(ieum_doc_count(d), 3, "three segments");
  const ieum_segment *s0 = ieum_doc_segment(d, 0), *s1 = ieum_doc_segment(d, 1), *s2 = ieum_doc_segment(d, 2);
  if (s0 && s1 && s2) {
    is_int(s0->start, 2, "first starts after leading spaces");
    is_mem(t + s0->start, s0->end - s0->start, "Hello there.", "first [start,end) is its text");
    is_mem(t + s1->start, s1->end - s1->start, "안녕하세요.", "Korean [start,end) in bytes");
    is_mem(t + s2->start, s2->end - s2->start, "다음 줄", "second line [start,end)");
    is_int(s1->len, strlen("안녕하세요."), "len counts bytes");
  }
  ieum_doc_free(d);
}

static void test_align_segment__blank(void)
{
  ieum_doc *d = seg("", "en", IEUM_PARAGRAPH_LINE);
  ok(d && ieum_doc_count(d) == 0, "empty text gives no segment");
  ieum_doc_free(d);
  d = seg("  \n\n \t \n", "ko", IEUM_PARAGRAPH_BLANK);
  ok(d && ieum_doc_count(d) == 0, "white space only gives no segment");
  ieum_doc_free(d);
  d = seg("Untagged text. Still splits.", NULL, IEUM_PARAGRAPH_LINE);
  is_int(ieum_doc_count(d), 2, "no language (und) uses the root rules");
  ieum_doc_free(d);
}

static void test_align_segment__fixture(void)
{
  const char *dir = getenv("IEUM_TEST_DATA");
  char path[4096];
  if (!dir) {
    diag("skipped: IEUM_TEST_DATA not set");
    return;
  }
  snprintf(path, sizeof path, "%s/segment/wrapped_ko.txt", dir);
  FILE *f = fopen(path, "rb");
  ok(f != NULL, "fixture opens");
  if (!f)
    return;
  char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  ieum_doc *d = seg(text, "ko", IEUM_PARAGRAPH_BLANK);
  is_int(ieum_doc_count(d), 5, "wrapped Korean news: five sentences");
  is_str(segtext(d, 1), "시는 버스 노선 12개를 조정하고 지하철 배차 간격을 줄이기로 했다.",
         "a wrapped sentence is joined with one space");
  is_str(segtext(d, 2), "오세훈 시장은 “시민의 출퇴근 시간을 10분 줄이겠다.”라고 말했다.",
         "quote + particle across a line break");
  is_str(segtext(d, 3), "대책은 2023.2.1. 부터 시행된다.", "dotted date inside the sentence");
  is_int(ieum_doc_segment(d, 4)->para, 2, "third paragraph after two blank lines");
  ieum_doc_free(d);
}

/* Checks segments and roles: `want` is "role:text|role:text|...". */
static void roles(const char *text, const char *lang, const char *want, const char *what)
{
  ieum_doc *d = seg(text, lang, IEUM_PARAGRAPH_LINE);
  ieum_buf got = IEUM_BUF_INIT;
  for (size_t i = 0; d && i < ieum_doc_count(d); i++)
    ieum__buf_printf(&got, "%s%s:%s", i ? "|" : "", ieum_segment_role_name(ieum_doc_segment(d, i)->role),
                     segtext(d, i));
  is_str(got.ptr ? got.ptr : "", want, "%s", what);
  ieum_buf_dispose(&got);
  ieum_doc_free(d);
}

static void test_align_segment__news(void)
{
  roles("(부산=이음뉴스) 박바다 기자 = 부산항에 배가 들어왔다. 모두 기뻐했다.", "ko",
        "byline:(부산=이음뉴스) 박바다 기자 =|body:부산항에 배가 들어왔다.|body:모두 기뻐했다.",
        "agency byline with reporter is cut off the first sentence");
  roles("[이음경제 최산들 경제전문기자] 금리가 올랐다.", "ko",
        "byline:[이음경제 최산들 경제전문기자]|body:금리가 올랐다.", "bracketed reporter byline");
  roles("[광주=이음뉴스] 비가 왔다.", "ko", "byline:[광주=이음뉴스]|body:비가 왔다.", "place=agency byline alone");
  roles("다리가 개통됐다. [사진=이음뉴스]", "ko", "caption:다리가 개통됐다.|credit:[사진=이음뉴스]",
        "a photo credit closing a paragraph makes it a caption");
  roles("[사진 제공=시청] 새 다리가 열렸다. 시민들이 건넜다.", "ko",
        "credit:[사진 제공=시청]|body:새 다리가 열렸다.|body:시민들이 건넜다.", "a credit opening a paragraph");
  roles("시장이 말했다.[시청 제공] 다음 주에 연다.", "ko",
        "body:시장이 말했다.|credit:[시청 제공]|body:다음 주에 연다.", "'... 제공' credit between sentences");
  roles("결과를 공개했다(사진). 반응이 좋았다.", "ko", "body:결과를 공개했다(사진).|body:반응이 좋았다.",
        "a '(사진)' reference inside a sentence is not a credit");
  roles("값이 올랐다(시청 제공). 끝.", "ko", "body:값이 올랐다(시청 제공).|body:끝.",
        "a credit glued to a full stop stays in its sentence");
  roles("ⓒ 이음뉴스 무단전재 배포금지", "ko", "credit:ⓒ 이음뉴스 무단전재 배포금지", "copyright line");
  roles("끝났다. © 2026 Ieum News. All rights reserved.", "ko",
        "body:끝났다.|credit:© 2026 Ieum News. All rights reserved.", "copyright runs to the paragraph end");
  roles("▲ 시민들이 다리를 건너고 있다.", "ko", "caption:▲ 시민들이 다리를 건너고 있다.", "triangle caption");
  roles("다리 개통, 시민 환영\n시는 다리를 열었다.", "ko", "headline:다리 개통, 시민 환영|body:시는 다리를 열었다.",
        "first short unpunctuated paragraph of an article is its headline");
  roles("시는 다리를 열었다\n끝.", "ko", "headline:시는 다리를 열었다|body:끝.", "headline ending in 다");
  roles("다리 개통", "ko", "body:다리 개통", "a lone paragraph is not a headline");
  roles("BUSAN, May 3 (Ieum News) -- The bridge opened. People cheered.", "en",
        "byline:BUSAN, May 3 (Ieum News) --|body:The bridge opened.|body:People cheered.", "English dateline");
  roles("NEW YORK (AP) - Markets fell.", "en", "byline:NEW YORK (AP) -|body:Markets fell.", "dateline with a hyphen");
  roles("Bridge opens\nBy Choi San-deul\nThe bridge opened.", "en",
        "headline:Bridge opens|byline:By Choi San-deul|body:The bridge opened.", "By-line paragraph");
  roles("NATO said so. By then it was late.", "en", "body:NATO said so.|body:By then it was late.",
        "an upper-case first word is not a dateline");
  is_str(ieum_segment_role_name(99), "?", "unknown role name");
}

static void test_align_segment__endings(void)
{
  splits("정말 맛있었어요 다음에 또 올게요", "ko", "정말 맛있었어요|다음에 또 올게요", "polite 요 ending with no full stop");
  splits("비가 많이 왔다 그래서 집에 있었다", "ko", "비가 많이 왔다|그래서 집에 있었다", "past tense 다 ending");
  splits("어디로 갈까 고민했다", "ko", "어디로 갈까|고민했다", "question 까 after ㄹ");
  splits("그렇죠 맞아요", "ko", "그렇죠|맞아요", "죠 ending");
  splits("어제보다 오늘이 춥다", "ko", "어제보다 오늘이 춥다", "comparative particle 보다 is no ending");
  splits("정거장마다 경비가 있다", "ko", "정거장마다 경비가 있다", "particle 마다 is no ending");
  splits("주요 도시가 필요 없다", "ko", "주요 도시가 필요 없다", "nouns 주요/필요 are no endings");
  splits("바쁘니까 나중에 하자", "ko", "바쁘니까 나중에 하자", "connective 니까 is no ending");
  splits("일을 하다 보니 늦었다", "ko", "일을 하다 보니 늦었다", "'다 보니' continues the clause");
  splits("그는 먹었다 싶었다", "ko", "그는 먹었다 싶었다", "'다 싶' continues the clause");
  splits("It was good 좋았다 Next", "en", "It was good 좋았다 Next", "endings only for Korean text");
}

static void test_align_segment__english_rules(void)
{
  /* no-break space, spaced ellipses */
  splits("It rained.\xC2\xA0 Then it stopped.", "en", "It rained. Then it stopped.",
         "a no-break space after the full stop keeps one sentence");
  splits("She paused . . . and went on. Then she sat.", "en", "She paused . . . and went on.|Then she sat.",
         "a spaced ellipsis inside a sentence");
  splits("She paused . . . Nobody spoke.", "en", "She paused . . . Nobody spoke.",
         "a spaced ellipsis before a capital does not end the sentence");
  splits("He stopped. . . . The crowd waited.", "en", "He stopped.|. . . The crowd waited.",
         "four dots after a word: the full stop ends, the ellipsis opens the next sentence");
  splits("Say it with a dot . . . . Then stop.", "en", "Say it with a dot . . . .|Then stop.",
         "an ellipsis and a full stop after a space end the sentence");
  /* glued sentences, e-mail, URL */
  splits("We won.Then we left.", "en", "We won.|Then we left.", "a full stop glued to a capitalized word");
  splits("Write to kim.Lee@corp.example now. Or call.", "en", "Write to kim.Lee@corp.example now.|Or call.",
         "an e-mail address is not glued sentences");
  splits("Go to www.Example.com today.", "en", "Go to www.Example.com today.", "a host name is not glued sentences");
  /* citations, initials, times, numbers */
  splits("\"We shall see [...]\" (Lee 12). Next came war.", "en", "\"We shall see [...]\" (Lee 12).|Next came war.",
         "a citation in parentheses stays with its quotation");
  splits("He read J. R. R. Tolkien at school.", "en", "He read J. R. R. Tolkien at school.", "spaced initials");
  splits("The vote closed at 9 P.M. Mr. Moon left early.", "en", "The vote closed at 9 P.M.|Mr. Moon left early.",
         "a time in capitals ends its sentence before a title");
  splits("At 7 a.m. Mr. Moon left.", "en", "At 7 a.m. Mr. Moon left.", "a lowercase time before a title does not");
  splits("Prices rose again. 2024 was worse.", "en", "Prices rose again.|2024 was worse.",
         "a sentence may open with a number");
  splits("The wall was built ca. 1600 by monks.", "en", "The wall was built ca. 1600 by monks.", "ca. before a year");
  splits("See N\xC2\xB0. 12 for the list.", "en", "See N\xC2\xB0. 12 for the list.", "the numero sign N°. before a digit");
  /* ordered lists run together in one paragraph */
  splits("1. Buy milk 2. Call home 3. Pay rent", "en", "1. Buy milk|2. Call home|3. Pay rent", "numbered items");
  splits("a) red paint b) blue paint", "en", "a) red paint|b) blue paint", "lettered items");
  splits("1.) First step 2.) Second step", "en", "1.) First step|2.) Second step", "items ending in .)");
  splits("\xE2\x80\xA2 4. Four \xE2\x80\xA2 5. Five", "en", "\xE2\x80\xA2 4. Four|\xE2\x80\xA2 5. Five", "bulleted numbers");
  splits("He came 1. Then 2. others", "en", "He came 1.|Then 2. others", "no list unless the paragraph opens with one");
}

static void test_align_segment__korean_rules(void)
{
  /* emoticons and laughter close a sentence */
  splits("정말 좋았어요 ㅎㅎ 다음에 또 갈게요", "ko", "정말 좋았어요 ㅎㅎ|다음에 또 갈게요", "laughter after an ending");
  splits("드디어 끝났다!ㅋㅋ 이제 쉰다.", "ko", "드디어 끝났다!ㅋㅋ|이제 쉰다.", "laughter after an exclamation");
  splits("떡볶이 최고ㅋㅋ 내일 또 먹자", "ko", "떡볶이 최고ㅋㅋ|내일 또 먹자", "laughter alone ends a sentence");
  splits("잘 먹었습니다\xF0\x9F\x98\x8A 다음 주에 봐요", "ko", "잘 먹었습니다\xF0\x9F\x98\x8A|다음 주에 봐요",
         "an emoji after an ending");
  splits("반가워요~^^ 오늘도 힘내요", "ko", "반가워요~^^|오늘도 힘내요", "~^^ after an ending");
  /* nominal endings and more stems */
  splits("어제 영화를 봤음 재미있었음", "ko", "어제 영화를 봤음|재미있었음", "nominal ending 음 after ㅆ");
  splits("내일은 일찍 가야함 늦으면 안 됨", "ko", "내일은 일찍 가야함|늦으면 안 됨", "nominal endings 함, 됨");
  splits("매콤함 없이 담백하다", "ko", "매콤함 없이 담백하다", "a noun in 함 before 없이");
  splits("흐트러짐 없이 올라온다", "ko", "흐트러짐 없이 올라온다", "a noun in 짐");
  splits("전임 회장이 돌아왔다", "ko", "전임 회장이 돌아왔다", "a noun in 임");
  splits("날씨가 덥다 그래도 나간다", "ko", "날씨가 덥다|그래도 나간다", "ㅂ adjective 덥다");
  splits("그가 냅다 달렸다", "ko", "그가 냅다 달렸다", "adverb 냅다 is no ending");
  splits("그녀는 멜린다 역을 맡았다", "ko", "그녀는 멜린다 역을 맡았다", "a name in 린다 is no ending");
  /* trailing off */
  splits("그런데... 비가 왔다.", "ko", "그런데... 비가 왔다.", "an ellipsis after a connective");
  splits("아... 힘들다.", "ko", "아... 힘들다.", "an ellipsis after an interjection");
  splits("최선을 다했습니다...그래도 졌다.", "ko", "최선을 다했습니다...|그래도 졌다.",
         "an ellipsis after an ending, glued to the next sentence");
  splits("갔지만.. 아무도 없었다.", "ko", "갔지만..|아무도 없었다.", "an ellipsis after a longer clause ends it");
  /* spelled-out syllables */
  splits("정말 대.박.사.건 이었다.", "ko", "정말 대.박.사.건 이었다.", "syllables glued by dots");
  splits("이건 진. 짜. 다. 요!", "ko", "이건 진. 짜. 다. 요!", "syllables spaced by dots");
  /* quotations and brackets */
  splits("그는 \"이건 아니다. 다시 하자.\" 하며 웃었다.", "ko", "그는 \"이건 아니다. 다시 하자.\" 하며 웃었다.",
         "a quoted speech followed by 하며 stays whole");
  splits("<가자. 지금 가자.> 그가 외쳤다.", "ko", "<가자. 지금 가자.>|그가 외쳤다.",
         "an angle-bracket quotation stays whole and ends its sentence");
  splits("결정했다(그날은 비가 왔다. 우산은 없었다) 그리고 떠났다.", "ko",
         "결정했다(그날은 비가 왔다. 우산은 없었다) 그리고 떠났다.", "a glued aside in parentheses stays whole");
  splits("설정을 마쳤다.[확인] 단추를 누른다.", "ko", "설정을 마쳤다.|[확인] 단추를 누른다.",
         "a bracket opens the next sentence");
  splits("뜻은 이렇습니다. run은 달리다라는 뜻입니다.", "ko", "뜻은 이렇습니다.|run은 달리다라는 뜻입니다.",
         "a Latin word after a Korean full stop");
  splits("재미있는 게임이다 1. 시작 버튼을 누른다", "ko", "재미있는 게임이다|1. 시작 버튼을 누른다",
         "a list marker after an ending");
  splits("올해도 많이 팔렸다 2024년에는 더 늘 것이다", "ko", "올해도 많이 팔렸다|2024년에는 더 늘 것이다",
         "a number opens the sentence after an ending");
  splits("그는 떠났다.(사진은 어제 찍었다) 모두 슬퍼했다.", "ko", "그는 떠났다.|(사진은 어제 찍었다) 모두 슬퍼했다.",
         "an opening bracket after a full stop goes with the next sentence");
  splits("집에 가고 싶고.. 잠도 오고.. 그래도 참는다.", "ko", "집에 가고 싶고..|잠도 오고..|그래도 참는다.",
         "a trailing-off after the connective 고 ends the sentence");
  splits("네, 네... 알겠습니다.", "ko", "네, 네... 알겠습니다.", "a trailing-off after a short word");
  splits("시험을 망쳤다 ㅜ 내일은 잘 보자", "ko", "시험을 망쳤다 ㅜ|내일은 잘 보자", "one crying vowel closes a sentence");
  splits("그거 맞음 ㅇㅇ 다음 얘기 하자", "ko", "그거 맞음 ㅇㅇ|다음 얘기 하자", "ㅇㅇ (yes) closes a sentence");
  splits("배가 고팠걸랑 그래서 먹었어유 참 맛있구먼 또 와야지", "ko", "배가 고팠걸랑|그래서 먹었어유|참 맛있구먼|또 와야지",
         "colloquial endings 걸랑, 유, 구먼");
}

/*
** Korean news and reference text: quotations whose marks differ in shape,
** unpaired marks, quoting particles set off by a space, web addresses,
** sentences glued to a number or a quotation, dotted Latin abbreviations;
** each rule with a case it must leave alone.
*/
static void test_align_segment__korean_news(void)
{
  /* quotation marks of mixed shape pair with each other */
  splits("그는 “내일 가겠다\"고 말했다. 이어 “모든 게 끝났다”고 덧붙였다.", "ko",
         "그는 “내일 가겠다\"고 말했다.|이어 “모든 게 끝났다”고 덧붙였다.", "“ closed by an ASCII quote");
  splits("그는 \"내일 가겠다”고 말했다. 이어 \"모든 게 끝났다\"고 덧붙였다.", "ko",
         "그는 \"내일 가겠다”고 말했다.|이어 \"모든 게 끝났다\"고 덧붙였다.", "an ASCII quote closed by ”");
  splits("그는 ‘다 잘될 거야\'라고 생각했다. 이어 ‘걱정 마’라고 썼다.", "ko",
         "그는 ‘다 잘될 거야\'라고 생각했다.|이어 ‘걱정 마’라고 썼다.", "‘ closed by an ASCII apostrophe");
  splits("그는 “돈을 갚겠다. 곧 갚겠다\"고 말했다. 하지만 갚지 않았다.", "ko",
         "그는 “돈을 갚겠다. 곧 갚겠다\"고 말했다.|하지만 갚지 않았다.", "a mixed quotation still holds its sentences");
  /* an unpaired opening mark holds nothing */
  splits("작가는 “군사적 야망이 걱정이다 그는 이렇게 밝혔다. 그는 또 “우려된다”고 말했다.", "ko",
         "작가는 “군사적 야망이 걱정이다|그는 이렇게 밝혔다.|그는 또 “우려된다”고 말했다.",
         "an unclosed “ before another quotation");
  splits("회의(ASEAN）가 열렸다. 그는 서한을 보냈다. 그는 27일(현지시간) 떠났다.", "ko",
         "회의(ASEAN）가 열렸다.|그는 서한을 보냈다.|그는 27일(현지시간) 떠났다.", "( closed by a fullwidth ）");
  splits("결정했다（그날은 비가 왔다. 우산은 없었다） 그리고 떠났다.", "ko",
         "결정했다（그날은 비가 왔다. 우산은 없었다） 그리고 떠났다.", "a fullwidth aside stays whole");
  /* a quoting particle after a space */
  splits("감독은 “선수들이 잘했다.” 고 말했다. 팬들은 실망했다.", "ko",
         "감독은 “선수들이 잘했다.” 고 말했다.|팬들은 실망했다.", "” 고 말했다");
  splits("그는 “정말 잘했다.” 며 웃었다. 팬들은 실망했다.", "ko", "그는 “정말 잘했다.” 며 웃었다.|팬들은 실망했다.",
         "” 며 웃었다");
  splits("그는 “끝났다.” 고객들은 떠났다.", "ko", "그는 “끝났다.”|고객들은 떠났다.",
         "a word that only starts like a particle opens a sentence");
  splits("그는 “끝났다.” 이 말에 모두 울었다.", "ko", "그는 “끝났다.”|이 말에 모두 울었다.",
         "the determiner 이 opens a sentence");
  /* web addresses */
  splits("자세한 내용은 http://example.kr/a.asp?id=3&b=2 에서 본다. 문의는 전화로 한다.", "ko",
         "자세한 내용은 http://example.kr/a.asp?id=3&b=2 에서 본다.|문의는 전화로 한다.", "a ? inside a URL");
  splits("연구팀은 www.example.kr에 결과를 올렸다. 반응이 뜨거웠다.", "ko",
         "연구팀은 www.example.kr에 결과를 올렸다.|반응이 뜨거웠다.", "www. followed by a particle");
  splits("정말 그랬을까?그는 몰랐다.", "ko", "정말 그랬을까?|그는 몰랐다.", "a glued ? outside a URL still breaks");
  /* glued sentences */
  splits("그는 떠났다.1990년에 그는 돌아왔다.", "ko", "그는 떠났다.|1990년에 그는 돌아왔다.",
         "a sentence glued to a number");
  splits("그는 떠났다.“돌아오겠다”고 했다.", "ko", "그는 떠났다.|“돌아오겠다”고 했다.",
         "a sentence glued to a quotation");
  splits("이 법은 2017.6.10. 시행되었다. 성장률은 3.5%였다.", "ko", "이 법은 2017.6.10. 시행되었다.|성장률은 3.5%였다.",
         "dates and decimals stay whole");
  splits("그는 플로리다.1990년 여행기를 썼다.", "ko", "그는 플로리다.1990년 여행기를 썼다.",
         "a name in 다 glued to a number is no end");
  /* two quotations in a row */
  splits("“팔아서 식량을 사야죠…” “다른 방법은 없어요.” 그가 말했다.", "ko",
         "“팔아서 식량을 사야죠…”|“다른 방법은 없어요.”|그가 말했다.", "a quoted sentence after a quoted sentence");
  splits("“가자” “어디로” 하고 물었다.", "ko", "“가자” “어디로” 하고 물었다.",
         "quoted words with no sentence mark stay together");
  /* dotted Latin abbreviations */
  splits("그는 Ph.D. 학위를 받았다. 그리고 귀국했다.", "ko", "그는 Ph.D. 학위를 받았다.|그리고 귀국했다.", "Ph.D. before a Korean word");
  splits("그는 e.g. 같은 약어를 쓴다. 그건 습관이다.", "ko", "그는 e.g. 같은 약어를 쓴다.|그건 습관이다.", "e.g. before a Korean word");
  /* a weekday after a dotted date */
  splits("행사는 2017. 6. 10.(토) 열렸다. 사람이 많았다.", "ko", "행사는 2017. 6. 10.(토) 열렸다.|사람이 많았다.",
         "2017. 6. 10.(토)");
  splits("행사는 2017.6.10.(토) 열렸다.", "ko", "행사는 2017.6.10.(토) 열렸다.", "2017.6.10.(토)");
  /* an ending without a full stop: what carries the clause on, and what opens a sentence */
  splits("그는 왔다 했다 그래서 기다렸다", "ko", "그는 왔다 했다|그래서 기다렸다", "a quoted statement before 했다");
  splits("늦을까 봐 걱정했다 그래서 뛰었다", "ko", "늦을까 봐 걱정했다|그래서 뛰었다", "-ㄹ까 봐");
  splits("그는 왔다 갔다 했다 모두 웃었다", "ko", "그는 왔다 갔다 했다|모두 웃었다", "the alternation X다 Y다 하다");
  splits("날씨가 좋았다 하지만 곧 비가 왔다", "ko", "날씨가 좋았다|하지만 곧 비가 왔다", "하지만 opens a sentence");
  splits("날씨가 좋았다 해가 졌다", "ko", "날씨가 좋았다|해가 졌다", "해 (the sun) opens a sentence");
  splits("그는 결국 이겼다 KBS가 이를 보도했다", "ko", "그는 결국 이겼다|KBS가 이를 보도했다",
         "a capitalized Latin word after an ending opens a sentence");
  /* "…" and the midline "⋯" after an ending close the sentence, after a connective they do not */
  splits("그는 최선을 다했다… 그러나 졌다.", "ko", "그는 최선을 다했다…|그러나 졌다.", "… after an ending");
  splits("그는 최선을 다했다⋯ 그러나 졌다.", "ko", "그는 최선을 다했다⋯|그러나 졌다.", "⋯ after an ending");
  splits("그런데⋯ 비가 왔다.", "ko", "그런데⋯ 비가 왔다.", "⋯ after a connective");
  splits("그는 “다 끝났다…” 하고 울었다.", "ko", "그는 “다 끝났다…” 하고 울었다.", "… inside a quotation");
  splits("부시는 지원을 요청했다. It was Katrina. 부시는 떠났다.", "ko",
         "부시는 지원을 요청했다.|It was Katrina.|부시는 떠났다.", "an English sentence before a Korean one");
}

/*
** Unpaired and mixed quotation marks everywhere: the quotation search stays
** linear.  The bound (20 s for 1 MB, where the run takes well under a
** second) only catches a quadratic search, never a slow machine.
*/
static void test_align_segment__korean_quotes_linear(void)
{
  static const char *const unit[] = {
    "그는 “마침내 끝났다 그는 떠났다. ",
    "\"그래 좋다 (정말 그렇다 ‘그래. ",
    "그는 “왔다\"고 했다. ",
  };
  ieum_buf b = IEUM_BUF_INIT;
  size_t rounds = 0;
  while (b.size < ((size_t)1 << 20)) {
    for (size_t k = 0; k < 3; k++)
      ieum__buf_puts(&b, unit[k]);
    rounds++;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ieum_doc *d = seg(b.ptr, "ko", IEUM_PARAGRAPH_LINE);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  ok(d && ieum_doc_count(d) >= rounds * 3, "1 MB of unpaired marks: %zu sentences, at least 3 a round",
     d ? ieum_doc_count(d) : 0);
  ok(s < 20.0, "1 MB of unpaired marks in %.2f s (bound 20 s)", s);
  ieum_doc_free(d);
  ieum_buf_dispose(&b);
}

static void test_align_segment__large(void)
{
  static const char *const unit[] = {
    "The U.S. Army said on Jan. 18 that Lt. Gen. Park would visit Seoul. ",
    "서울시는 “교통 대책을 발표하겠다.”라고 밝혔다. ",
    "Growth slowed to 1.5 percent in 2023! Was it expected? ",
    "2023.1.18. 정부는 새 정책을 내놓았다…\n",
  };
  const size_t per_round = 1 + 1 + 2 + 1; /* sentences each round adds */
  ieum_buf b = IEUM_BUF_INIT;
  size_t rounds = 0;
  while (b.size < ((size_t)1 << 20)) {
    for (size_t k = 0; k < 4; k++)
      ieum__buf_puts(&b, unit[k]);
    rounds++;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ieum_doc *d = seg(b.ptr, "en", IEUM_PARAGRAPH_LINE);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  is_int(ieum_doc_count(d), rounds * per_round, "1 MB text: every sentence found");
  diag("segmented %zu bytes into %zu sentences in %.1f ms", b.size, ieum_doc_count(d), ms);
  ieum_doc_free(d);
  ieum_buf_dispose(&b);
}

static void test_align_segment__oom(void)
{
  const char *t = "First sentence. Second sentence.\nThird one.";
  int failed_cleanly = 1, succeeded = 0;
  for (long k = 0; k < 50 && !succeeded; k++) {
    ieum_doc *d = NULL;
    ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
    o.paragraphs = IEUM_PARAGRAPH_BLANK;
    ieum__alloc_fail_after(k);
    int rc = ieum_doc_new(&d, t, strlen(t), &o);
    ieum__alloc_fail_after(-1);
    if (rc == 0) {
      succeeded = ieum_doc_count(d) == 3;
      ieum_doc_free(d);
    } else if (rc != IEUM_ENOMEM || d != NULL) {
      failed_cleanly = 0;
    }
  }
  ok(failed_cleanly, "each failed allocation gives IEUM_ENOMEM and no document");
  ok(succeeded, "with enough allocations the document is complete");
}

/* ---- scoring mode ---------------------------------------------------------- */

static int read_stdin(ieum_buf *b)
{
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
    if (ieum__buf_put(b, chunk, n))
      return -1;
  return 0;
}

/* Plain ICU baseline: each line split at every UBRK_SENTENCE boundary. */
static int print_icu(const char *text, size_t len, const char *lang)
{
  char locale[64];
  UErrorCode st = U_ZERO_ERROR;
  snprintf(locale, sizeof locale, "%s@ss=standard", lang);
  UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
  UText *ut = NULL;
  for (size_t i = 0; i < len && U_SUCCESS(st);) {
    size_t e = i;
    while (e < len && text[e] != '\n')
      e++;
    ut = utext_openUTF8(ut, text + i, (int64_t)(e - i), &st);
    ubrk_setUText(bi, ut, &st);
    int32_t a = ubrk_first(bi), z;
    while (U_SUCCESS(st) && (z = ubrk_next(bi)) != UBRK_DONE) {
      printf("%.*s\n", (int)(z - a), text + i + a);
      a = z;
    }
    i = e + 1;
  }
  utext_close(ut);
  ubrk_close(bi);
  return U_SUCCESS(st) ? 0 : 1;
}

static int score_mode(const char *lang, int icu_only)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = 1;
  if (read_stdin(&b))
    goto done;
  if (icu_only) {
    rc = print_icu(b.ptr ? b.ptr : "", b.size, lang);
    goto done;
  }
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  o.lang = lang;
  if (ieum_doc_new(&d, b.ptr ? b.ptr : "", b.size, &o)) {
    fprintf(stderr, "test_align_segment: %s\n", ieum_error_last()->message);
    goto done;
  }
  for (size_t i = 0; i < ieum_doc_count(d); i++)
    printf("%s\n", segtext(d, i));
  ieum_doc_free(d);
  rc = 0;
done:
  ieum_buf_dispose(&b);
  return rc;
}

/*
** Like splits(), in paragraph mode `mode`; '|' separates segments, '#' marks a new paragraph before one.
** Furniture is kept (keep_furniture): these cases test paragraphs, not what a page's menu is.
*/
static void splits_mode(const char *text, const char *lang, int mode, const char *want, const char *what)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  o.lang = lang;
  o.paragraphs = mode;
  o.keep_furniture = 1;
  if (ieum_doc_new(&d, text, strlen(text), &o) != 0)
    ok(0, "ieum_doc_new failed: %s", ieum_error_last()->message);
  ieum_buf got = IEUM_BUF_INIT;
  for (size_t i = 0; d && i < ieum_doc_count(d); i++) {
    if (i)
      ieum__buf_putc(&got, ieum_doc_segment(d, i)->para != ieum_doc_segment(d, i - 1)->para ? '#' : '|');
    ieum__buf_puts(&got, segtext(d, i));
  }
  is_str(got.ptr ? got.ptr : "", want, "%s", what);
  ieum_buf_dispose(&got);
  ieum_doc_free(d);
}

static void test_align_segment__english_news(void)
{
  /* an abbreviation before a capitalized word: the word's class and the word after it decide */
  splits("He chaired three South Korea-U.S. Defense Minister talks. They ended.", "en",
         "He chaired three South Korea-U.S. Defense Minister talks.|They ended.",
         "a compound token ending in initials before a name");
  splits("Troops of U.S. Forces Korea trained. It rained.", "en", "Troops of U.S. Forces Korea trained.|It rained.",
         "initials, then two capitalized words: one name");
  splits("She wrote to the U.S. Department of Energy today.", "en",
         "She wrote to the U.S. Department of Energy today.", "a name joined by 'of'");
  splits("A vigil was held across the U.S. Millions attended it.", "en",
         "A vigil was held across the U.S.|Millions attended it.", "a quantifier word opens a sentence");
  splits("Rates fell in the U.K. Bankers welcomed the cut.", "en", "Rates fell in the U.K.|Bankers welcomed the cut.",
         "a capitalized noun before a past-tense verb is a new sentence's subject");
  splits("Talks stalled in the U.S. Biden said little.", "en", "Talks stalled in the U.S.|Biden said little.",
         "a name before 'said' is a new sentence's subject");
  splits("The U.S. Navy said it would sail.", "en", "The U.S. Navy said it would sail.",
         "a noun that heads institution names keeps its verb in the sentence");
  splits("Trade with the U.S. Yet exports grew.", "en", "Trade with the U.S.|Yet exports grew.", "a conjunction");
  /* a.m. / P.M. before a new sentence */
  splits("The polls opened at 6 a.m. Voters queued in the rain.", "en",
         "The polls opened at 6 a.m.|Voters queued in the rain.", "a.m. before a subject and its verb");
  splits("The bus left at 8 P.M. Nobody was on it.", "en", "The bus left at 8 P.M.|Nobody was on it.",
         "P.M. before a pronoun");
  /* interviews */
  splits("Q. Why did you run? A. I was late. Q. And now? A. Fine.", "en",
         "Q. Why did you run?|A. I was late.|Q. And now?|A. Fine.", "Q. and A. stay with their sentence");
  /* company forms before a defined name */
  splits("Nara Foods Inc. (\xE2\x80\x9C" "Company N\xE2\x80\x9D) signed it.", "en",
         "Nara Foods Inc. (\xE2\x80\x9C" "Company N\xE2\x80\x9D) signed it.", "Inc. before its short name in brackets");
  /* fullwidth full stop */
  splits("Exports rose\xEF\xBC\x8EImports fell\xEF\xBC\x8E", "en", "Exports rose\xEF\xBC\x8E|Imports fell\xEF\xBC\x8E",
         "a fullwidth full stop glued to the next sentence");
  splits("It grew by 1\xEF\xBC\x8E" "5 percent.", "en", "It grew by 1\xEF\xBC\x8E" "5 percent.",
         "a fullwidth stop inside a number");
  /* names spelled with "!" */
  splits("Shares of Yahoo! Inc. rose. They fell later.", "en", "Shares of Yahoo! Inc. rose.|They fell later.",
         "a name with ! before its company form");
  splits("We love Yahoo! It works.", "en", "We love Yahoo!|It works.", "a name with ! before a pronoun ends");
  /* footnote numbers glued to a full stop */
  splits("This needs wide consultation.11 12 Take trade, for one.", "en",
         "This needs wide consultation.11 12|Take trade, for one.", "footnote numbers after a full stop");
  splits("He scored 3.11 12 Times more.", "en", "He scored 3.11 12 Times more.", "a decimal number is no footnote");
  /* list items */
  splits("(a) Red paint. (b) Blue paint. (c) Green.", "en", "(a) Red paint.|(b) Blue paint.|(c) Green.",
         "items lettered in parentheses");
  splits("(1) one thing (2) another", "en", "(1) one thing|(2) another", "items numbered in parentheses");
  splits("Do this: 1. Open the box. 2. Take it.", "en", "Do this:|1. Open the box.|2. Take it.",
         "a list after a colon: each item its own segment, the marker with its item");
  splits("Pick: a) tea b) coffee", "en", "Pick:|a) tea|b) coffee", "a lettered list after a colon");
  splits("Note: 1. is the rank.", "en", "Note: 1. is the rank.", "no list after a colon without a second item");
}

static void test_align_segment__auto_paragraphs(void)
{
  const char *wrapped = "The committee met on Monday to discuss the new budget and\n"
                        "the plans for next year. Members agreed that spending on\n"
                        "schools should rise by five percent.\n"
                        "A second meeting is planned for the spring.\n"
                        "\n"
                        "Critics said the plan was too modest and asked for more\n"
                        "money for roads.\n";
  splits_mode(wrapped, "en", IEUM_PARAGRAPH_AUTO,
              "The committee met on Monday to discuss the new budget and the plans for next year.|"
              "Members agreed that spending on schools should rise by five percent.#"
              "A second meeting is planned for the spring.#"
              "Critics said the plan was too modest and asked for more money for roads.",
              "AUTO: hard-wrapped text is joined, a short line whose next word fits ends a paragraph");
  splits_mode(wrapped, "en", IEUM_PARAGRAPH_LINE,
              "The committee met on Monday to discuss the new budget and#"
              "the plans for next year.|Members agreed that spending on#schools should rise by five percent.#"
              "A second meeting is planned for the spring.#Critics said the plan was too modest and asked for more#"
              "money for roads.",
              "LINE: every line break ends a paragraph (what AUTO replaces)");
  const char *web = "Seoul raises rates\n"
                    "The central bank raised its key rate on Thursday. It cited prices.\n"
                    "Analysts had expected the move.\n";
  splits_mode(web, "en", IEUM_PARAGRAPH_AUTO,
              "Seoul raises rates#The central bank raised its key rate on Thursday.|It cited prices.#"
              "Analysts had expected the move.",
              "AUTO: web-copied text keeps one paragraph per line");
  splits_mode("home\ncontact us\nevents, news\n", "en", IEUM_PARAGRAPH_AUTO, "home#contact us#events, news",
              "AUTO: short lines with no sentence punctuation are a menu, not wrapped prose");
  splits_mode("A line cut\nin the middle.\n", "en", IEUM_PARAGRAPH_AUTO, "A line cut in the middle.",
              "AUTO: a short wrapped text, next line in lower case");
  splits_mode("He won't\nReally.\n", "en", IEUM_PARAGRAPH_AUTO, "He won't#Really.",
              "AUTO: two short lines, the next one capitalized: not wrapped");
  splits_mode("The report lists what the ministry will do in the year ahead:\n"
              "1. Cut the fees that small firms pay for permits and licences\n"
              "2. Open two new offices in the south of the country\n",
              "en", IEUM_PARAGRAPH_AUTO,
              "The report lists what the ministry will do in the year ahead:#"
              "1. Cut the fees that small firms pay for permits and licences#"
              "2. Open two new offices in the south of the country",
              "AUTO: a line opening a list item starts a paragraph");
  const char *ko = "정부는 내년 예산안을 발표하면서 교육과 복지에 대한 지출을\n"
                   "크게 늘리겠다고 밝혔다. 야당은 재원 마련 방안이 없다고\n"
                   "비판했다.\n";
  splits_mode(ko, "ko", IEUM_PARAGRAPH_AUTO,
              "정부는 내년 예산안을 발표하면서 교육과 복지에 대한 지출을 크게 늘리겠다고 밝혔다.|"
              "야당은 재원 마련 방안이 없다고 비판했다.",
              "AUTO: hard-wrapped Korean text, told by its line widths");
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  is_int(o.paragraphs, IEUM_PARAGRAPH_AUTO, "AUTO is the default");
  o.paragraphs = 7;
  is_int(ieum_doc_new(&d, "x", 1, &o), IEUM_EINVAL, "an unknown paragraph mode is refused");
  ok(d == NULL, "and gives no document");
}

int main(int argc, char **argv)
{
  if (argc == 3 && (strcmp(argv[1], "--stdin") == 0 || strcmp(argv[1], "--stdin-icu") == 0))
    return score_mode(argv[2], strcmp(argv[1], "--stdin-icu") == 0);
  test_align_segment__basic();
  test_align_segment__quotes();
  test_align_segment__abbrev();
  test_align_segment__numbers();
  test_align_segment__ellipsis();
  test_align_segment__paragraphs();
  test_align_segment__offsets();
  test_align_segment__blank();
  test_align_segment__fixture();
  test_align_segment__news();
  test_align_segment__endings();
  test_align_segment__english_rules();
  test_align_segment__korean_rules();
  test_align_segment__korean_news();
  test_align_segment__korean_quotes_linear();
  test_align_segment__large();
  test_align_segment__oom();
  test_align_segment__english_news();
  test_align_segment__auto_paragraphs();
  return done_testing();
}
