/*
** bench/html_parse.c: the floor under article extraction: libxml2's HTML
** parser alone over the same pages, in one process.
**
** Usage: html_parse PAGE...  Reads each page into memory, parses it with
** htmlCtxtReadMemory() and the options formats/html.c uses (no network,
** recover, huge, errors collected and dropped), frees the tree, and prints
** "pages N bytes B cpu S" (user + system CPU seconds of the loop).  No
** decoding, no walk, no text: what is left is the parse bench/aeb.py
** compares `ieum extract` with.  Built by bench/aeb.py with
** `cc $(pkg-config --cflags --libs libxml-2.0)`; never part of the tests.
*/
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <libxml/HTMLparser.h>

static double cpu_seconds(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
         (double)ru.ru_stime.tv_usec / 1e6;
}

static void quiet(void *data, xmlErrorPtr e)
{
  (void)data;
  (void)e;
}

int main(int argc, char **argv)
{
  size_t bytes = 0;
  int pages = 0;
  double t0 = cpu_seconds();
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      perror(argv[i]);
      return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
      fprintf(stderr, "%s: cannot read\n", argv[i]);
      return 1;
    }
    fclose(f);
    htmlParserCtxtPtr c = htmlNewParserCtxt();
    c->sax->initialized = XML_SAX2_MAGIC;
    c->sax->serror = quiet;
    xmlDocPtr doc = htmlCtxtReadMemory(c, buf, (int)n, NULL, "UTF-8",
                                       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                       HTML_PARSE_RECOVER | XML_PARSE_HUGE | HTML_PARSE_IGNORE_ENC |
                                       HTML_PARSE_COMPACT);
    if (doc)
      xmlFreeDoc(doc);
    htmlFreeParserCtxt(c);
    free(buf);
    bytes += (size_t)n;
    pages++;
  }
  printf("pages %d bytes %zu cpu %.3f\n", pages, bytes, cpu_seconds() - t0);
  return 0;
}
