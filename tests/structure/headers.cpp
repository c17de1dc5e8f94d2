/*
** tests/structure/headers.cpp: the public header compiles alone, pedantic and
** warning-free, as C++ (headers.c: the same in C17), and its API can be
** called.  Prints TAP.
*/
#include <ieum.h>
#include <stdio.h>

int main(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  ieum_unit u = IEUM_UNIT_INIT;
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_align_options ao = IEUM_ALIGN_OPTIONS_INIT;
  ieum_text_options to = IEUM_TEXT_OPTIONS_INIT;
  ieum_tmx_header th = IEUM_TMX_HEADER_INIT;
  ieum_tmx_read_options tr = IEUM_TMX_READ_OPTIONS_INIT;
  int fails = 0;
  fails += ieum_version() == NULL;
  fails += so.version != IEUM_SEGMENT_OPTIONS_VERSION || ao.version != IEUM_ALIGN_OPTIONS_VERSION;
  fails += to.version != IEUM_TEXT_OPTIONS_VERSION || th.version != IEUM_TMX_HEADER_VERSION;
  fails += tr.version != IEUM_TMX_READ_OPTIONS_VERSION || u.position != -1 || b.ptr != NULL;
  ieum_buf_dispose(&b);
  printf("%s 1 - public header compiles and its initializers are consistent\n1..1\n", fails ? "not ok" : "ok");
  return fails != 0;
}
