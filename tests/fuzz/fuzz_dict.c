/*
** tests/fuzz/fuzz_dict.c: fuzz harness of hunalign-format dictionaries
** (ieum_lexicon_load_dict(), align/lexicon.c) and of alignment with the
** lexicon they give.
**
** Input: a dictionary ("english @ korean" lines), then optionally FUZZ_SEP,
** a source (Korean) text, FUZZ_SEP, a target (English) text (missing: two
** short built-in documents that share words with the seed dictionaries).
** The dictionary is written to this process's temporary folder and loaded
** into an empty lexicon: a failure must carry a one-line message naming the
** file, and the pairs read before it stay, so the documents are aligned
** with whatever was loaded and the ladder is checked (fuzz_check_ladder).
** A lexicon never has more entries than the dictionary has lines.
** Cost: loading is linear in the dictionary; alignment as fuzz_align.c.
** Not here: the built-in lexicon (fuzz_align.c covers alignment with it).
*/
#include <string.h>

#include "fuzz.h"

static const char SRC[] =
  "정부는 3일 북한과의 회담을 제안했다.\n"
  "통일부 장관은 대화가 필요하다고 말했다.\n"
  "회담은 다음 달 서울에서 열린다.\n";
static const char TGT[] =
  "The government proposed talks with North Korea on the 3rd.\n"
  "The unification minister said dialogue was needed.\n"
  "The talks will be held in Seoul next month.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_part part[3];
  fuzz_align_opts o;
  ieum_lexicon *lex = NULL;
  size_t n = fuzz_split(part, 3, data, size);
  if (n < 3) {
    part[1].p = SRC;
    part[1].n = sizeof SRC - 1;
    part[2].p = TGT;
    part[2].n = sizeof TGT - 1;
  }
  const char *path = fuzz_file(0, "fuzz-dict.txt", part[0].p, part[0].n);
  FUZZ_CHECK(ieum_lexicon_new(&lex, 0) == 0, "ieum_lexicon_new failed");
  int rc = ieum_lexicon_load_dict(lex, path);
  if (rc != 0)
    fuzz_check_error(rc, path, "ieum_lexicon_load_dict");
  size_t lines = 1;
  for (const char *p = part[0].p; (p = memchr(p, '\n', part[0].n - (size_t)(p - part[0].p))) != NULL; p++)
    lines++;
  FUZZ_CHECK(ieum_lexicon_count(lex) <= lines, "%zu entries from %zu lines", ieum_lexicon_count(lex), lines);
  fuzz_align_opts_parse(&o, "", 0);
  fuzz_align(&part[1], &part[2], lex, &o);
  ieum_lexicon_free(lex);
  fuzz_unlink(path);
  return 0;
}
