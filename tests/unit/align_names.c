/*
** tests/unit/align_names.c: proper names across Hangul and Latin spellings
** (align/names.c): consonant skeletons, romanization of Hangul jamo, name keys shared
** by a Korean and an English sentence, loanwords (lowercase English words),
** and words that must not meet.
*/
#include "../../align/names_int.h"
#include "tap.h"

static const char *skel(const char *w, int english)
{
  static char out[32];
  ieum_names__skeleton(out, sizeof out, w, strlen(w), english);
  return out;
}

/* Name keys of the Korean `ko` found in the English `en`. */
static int shared(const char *ko, const char *en)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *a = NULL, *b = NULL;
  ieum_keyset ka, kb;
  int f = -1;
  if (ieum_doc_new(&a, ko, strlen(ko), &o) || ieum_doc_new(&b, en, strlen(en), &o))
    goto done;
  if (ieum_names__keys(&ka, a, 1))
    goto done;
  if (ieum_names__keys(&kb, b, 0)) {
    ieum_keyset__dispose(&ka);
    goto done;
  }
  f = (int)ieum_keyset__found(&ka, 0, 1, &kb, 0, 1);
  ieum_keyset__dispose(&ka);
  ieum_keyset__dispose(&kb);
done:
  ieum_doc_free(a);
  ieum_doc_free(b);
  return f;
}

static void test_align_names__skeletons(void)
{
  is_str(skel("oseutin", 0), "STN", "오스틴 romanized");
  is_str(skel("Austin", 1), "STN", "Austin");
  is_str(skel("libeomoa", 0), "LPM", "리버모아 romanized");
  is_str(skel("Livermore", 1), "LPM", "Livermore: r before a consonant and final e drop");
  is_str(skel("jongseob", 0), "JNKSP", "종섭 romanized (ng is N-K on both sides)");
  is_str(skel("Jong-seop", 1), "JNKSP", "Jong-seop");
  is_str(skel("Lawrence", 1), "LNS", "soft c");
  is_str(skel("George", 1), "J", "soft g, r before a consonant: 조지");
}

static void test_align_names__korean_english(void)
{
  is_int(shared("오스틴 국방장관은 말했다.", "Defense Secretary Austin said."), 1, "오스틴은 ~ Austin");
  is_int(shared("로렌스 리버모아 국립 연구소", "Lawrence Livermore National Laboratory"), 2,
         "로렌스 ~ Lawrence, 리버모아 ~ Livermore");
  is_int(shared("이종섭 장관이 밝혔다.", "Minister Lee Jong-seop said."), 1, "이종섭 ~ Jong-seop (given name)");
  is_int(shared("워싱턴에서 회담이 열렸다.", "Talks were held in Washington."), 1, "워싱턴에서 ~ Washington");
  is_int(shared("정부는 예산을 발표했다.", "The government announced the budget."), 0, "no names, no match");
  is_int(shared("김 위원장", "Chairman Kim"), 0, "two consonants (Kim) are too few for a key");
  is_int(shared("트럼프 전 대통령이 말했다.", "Former President Trump said."), 1, "트럼프 ~ Trump");
  is_int(shared("바이든 대통령은 연설했다.", "President Biden gave a speech."), 1, "바이든은 ~ Biden");
  is_int(shared("리버모어 연구소", "the Livermore laboratory"), 1, "리버모어 (final 어) ~ Livermore");
}

static void test_align_names__loanwords(void)
{
  is_int(shared("군은 헬리콥터를 보냈다.", "The army sent a helicopter."), 1, "헬리콥터를 ~ helicopter");
  is_int(shared("그는 블로그에 글을 올렸다.", "He posted on his blog."), 0,
         "블로그 ~ blog: three classes are too few for a lowercase word");
  is_int(shared("그는 블로그에 글을 올렸다.", "He posted on Blog."), 1, "but enough for a capitalized one");
  is_int(shared("새 컴퓨터가 나왔다.", "A new computer came out."), 1, "컴퓨터가 ~ computer");
  is_int(shared("헬리콥터가 떴다.", "The HELICOPTER flew."), 0, "an all-capital word is an acronym (anchor.c's)");
}

int main(void)
{
  test_align_names__skeletons();
  test_align_names__korean_english();
  test_align_names__loanwords();
  return done_testing();
}
