/*
** examples/align_texts.c: the library in one call: align a Korean text with
** its English translation and print the beads.
**
** ieum_pipeline_align_texts() decodes, segments, aligns and checks the pair
** as `ieum align` does (include/ieum/pipeline.h); the beads are then read
** from the alignment.  Not here: files, HTML pages, a TM (the same call's
** options, or ieum_pipeline_align_files()).
** Build against an installed libieum:
**   cc -std=c17 align_texts.c $(pkg-config --cflags --libs ieum) -o align_texts
*/
#include <ieum.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
  const char *ko = "서울시가 내년부터 침수 예보 시스템을 도입한다.\n"
                   "시스템은 2025년 6월부터 25개 자치구에서 운영된다.\n";
  const char *en = "Seoul will introduce a flood forecasting system next year.\n"
                   "The system will run in 25 districts from June 2025.\n";
  ieum_aligned_pair *pair = NULL;
  if (ieum_pipeline_align_texts(&pair, ko, strlen(ko), en, strlen(en), NULL) != 0) {
    fprintf(stderr, "ieum: %s\n", ieum_error_last()->message); /* set: the call failed */
    return 1;
  }
  const ieum_alignment *al = ieum_aligned_pair_alignment(pair);   /* borrowed from pair */
  ieum_buf src = IEUM_BUF_INIT, tgt = IEUM_BUF_INIT;
  for (size_t k = 0; k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    src.size = tgt.size = 0;
    if (ieum_bead_text(&src, ieum_aligned_pair_doc(pair, 0), b, 0) != 0 ||
        ieum_bead_text(&tgt, ieum_aligned_pair_doc(pair, 1), b, 1) != 0)
      break;
    printf("%u-%u\t%.2f\t%s\t%s\n", (unsigned)b->src_n, (unsigned)b->tgt_n, b->score, src.ptr ? src.ptr : "",
           tgt.ptr ? tgt.ptr : "");
  }
  ieum_buf_dispose(&src);
  ieum_buf_dispose(&tgt);
  ieum_aligned_pair_free(pair);
  return 0;
}
