/* align/segment.c: being written. */
#include "align_int.h"

int ieum_segment__sentences(ieum_doc *doc, const char *text, size_t len, const ieum_segment_options *opts)
{
  (void)doc; (void)text; (void)len; (void)opts;
  return ieum__error_set(IEUM_ERROR, "sentence segmentation is being written");
}
