/*
** tests/fuzz/fuzz_align.c: fuzz harness of the aligner (align/score.c,
** align/dp.c and the keys they use) on two documents.
**
** Input: a source (Korean) text, FUZZ_SEP, a target (English) text (no
** separator: the target is empty), and optionally FUZZ_SEP and option
** letters (fuzz.h: l = lines, b = blank-line paragraphs, t = two threads,
** r = fixed ratio, w = narrowest band).  Both texts are decoded,
** segmented and checked, then aligned with the built-in lexicon; the ladder must cover every segment of each side exactly once,
** in order, with beads of the documented shapes and scores in [0,1]
** (fuzz_check_ladder), or the failure must carry a one-line message.
** Cost: O(n*W) for n segments and a band half-width W.
** Not here: user dictionaries (fuzz_dict.c).
*/
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_part part[3];
  fuzz_align_opts o;
  size_t n = fuzz_split(part, 3, data, size);
  if (n < 2) {
    part[1].p = ""; /* one document: aligned with an empty one, all 1-0 */
    part[1].n = 0;
  }
  fuzz_align_opts_parse(&o, n > 2 ? part[2].p : "", n > 2 ? part[2].n : 0);
  fuzz_align(&part[0], &part[1], NULL, &o);
  return 0;
}
