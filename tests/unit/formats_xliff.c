/*
** tests/unit/formats_xliff.c: the XLIFF 2.0 writer (formats/xliff.c).
**
** Writes units into a temporary directory (mkdtemp under /tmp, removed at
** the end), parses the result with libxml2 (no network) and checks the
** structure: the XLIFF 2.0 namespace, srcLang/trgLang, one <file> per run
** of a document, unique unit ids, metadata and notes before segments,
** escaping.  Validates against an XLIFF 2.0 schema only when one is
** installed (Debian ships none: the check is skipped with a note).
** Error paths: unwritable path, text XML cannot carry, empty language.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "tap.h"
#include "../../formats/export_int.h"

#define XLIFF_NS "urn:oasis:names:tc:xliff:document:2.0"
#define SCHEMA_PATH "/usr/share/xml/xliff/2.0/xliff_core_2.0.xsd" /* where a schema package would put it */

static char tmpdir[] = "/tmp/ieum-xliff-XXXXXX";
static char path_buf[4096];

static const char *tmp_path(const char *name)
{
  snprintf(path_buf, sizeof path_buf, "%s/%s", tmpdir, name);
  return path_buf;
}

static void tmpdir_clean(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(tmp_path(e->d_name));
  closedir(d);
}

static ieum_unit unit(const char *src, const char *tgt, const char *doc)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.document = doc;
  return u;
}

static int count_elements(xmlNodePtr n, const char *name)
{
  int c = 0;
  for (; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE) {
      c += !strcmp((const char *)n->name, name);
      c += count_elements(n->children, name);
    }
  return c;
}

static void test_formats_xliff__structure(void)
{
  ieum_xliff__writer *w = NULL;
  const char *path = strdup(tmp_path("a.xlf"));
  is_int(ieum_xliff__open(&w, path, "ko", "en-US"), IEUM_OK, "writer opened");
  ieum_unit a = unit("비가 <온다> & 춥다.", "It rains <a lot> & it is cold.", "a.txt|a.en");
  a.score = 0.8;
  a.bead = "2-1";
  ieum_unit b = unit("둘째.", "Second.", "a.txt|a.en");
  b.note = "한 줄 메모";
  ieum_unit c = unit("다른 문서.", "Another document.", "b.txt|b.en");
  ieum_unit_prop pc[] = { { "prop", "x-client", NULL, "한빛" }, { "note", NULL, NULL, "note from props" } };
  is_int(ieum_xliff__add(w, &a, NULL, 0, NULL, NULL), IEUM_OK, "unit 1");
  is_int(ieum_xliff__add(w, &b, NULL, 0, NULL, NULL), IEUM_OK, "unit 2");
  is_int(ieum_xliff__add(w, &c, pc, 2, NULL, NULL), IEUM_OK, "unit 3 in another document");
  is_int(ieum_xliff__close(w), IEUM_OK, "closed");

  xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ok(doc != NULL, "the output is well-formed XML");
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
  ok(root && !strcmp((const char *)root->name, "xliff") && root->ns &&
       !strcmp((const char *)root->ns->href, XLIFF_NS),
     "root <xliff> in the XLIFF 2.0 namespace");
  xmlChar *v = root ? xmlGetProp(root, BAD_CAST "version") : NULL;
  xmlChar *sl = root ? xmlGetProp(root, BAD_CAST "srcLang") : NULL;
  xmlChar *tl = root ? xmlGetProp(root, BAD_CAST "trgLang") : NULL;
  ok(v && sl && tl && !strcmp((char *)v, "2.0") && !strcmp((char *)sl, "ko") && !strcmp((char *)tl, "en-US"),
     "version 2.0, srcLang ko, trgLang en-US");
  xmlFree(v);
  xmlFree(sl);
  xmlFree(tl);
  is_int(root ? count_elements(root->children, "file") : 0, 2, "a <file> per document");
  is_int(root ? count_elements(root->children, "unit") : 0, 3, "a <unit> per unit");
  is_int(root ? count_elements(root->children, "note") : 0, 2, "unit->note and a note from props");
  xmlFreeDoc(doc);

  FILE *f = fopen(path, "rb");
  char text[8192] = "";
  if (f) {
    text[fread(text, 1, sizeof text - 1, f)] = '\0';
    fclose(f);
  }
  ok(strstr(text, "<source>비가 &lt;온다&gt; &amp; 춥다.</source>"), "text escaped");
  ok(strstr(text, "<mda:meta type=\"x-score\">0.8000</mda:meta>") &&
       strstr(text, "<mda:meta type=\"x-bead\">2-1</mda:meta>") &&
       strstr(text, "<mda:meta type=\"x-client\">한빛</mda:meta>"),
     "score, bead and props in the metadata module");
  ok(strstr(text, "<unit id=\"u3\">") && strstr(text, "<file id=\"f2\" original=\"b.txt|b.en\">"),
     "generated unique ids, document as original");
  const char *meta = strstr(text, "<mda:metadata>"), *seg = strstr(text, "<segment");
  ok(meta && seg && meta < seg, "metadata before segments, as the core schema orders them");

  FILE *sch = fopen(SCHEMA_PATH, "r");
  if (sch) {
    fclose(sch);
    xmlSchemaParserCtxtPtr pc2 = xmlSchemaNewParserCtxt(SCHEMA_PATH);
    xmlSchemaPtr s = pc2 ? xmlSchemaParse(pc2) : NULL;
    xmlSchemaValidCtxtPtr vc = s ? xmlSchemaNewValidCtxt(s) : NULL;
    ok(vc && xmlSchemaValidateFile(vc, path, 0) == 0, "valid against %s", SCHEMA_PATH);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(s);
    xmlSchemaFreeParserCtxt(pc2);
  } else {
    diag("skipped: no XLIFF 2.0 schema installed at %s (well-formedness and structure checked)", SCHEMA_PATH);
  }
  free((void *)path);
  tmpdir_clean();
}

static void test_formats_xliff__errors(void)
{
  ieum_xliff__writer *w = NULL;
  is_int(ieum_xliff__open(&w, "/nonexistent-dir/a.xlf", "ko", "en"), IEUM_EIO, "unwritable path");
  is_str(ieum_error_last()->message, "/nonexistent-dir/a.xlf: cannot create the file: No such file or directory",
         "message names the file");
  ok(w == NULL, "*out stays NULL");
  is_int(ieum_xliff__open(&w, tmp_path("b.xlf"), "", "en"), IEUM_EINVAL, "empty source language");
  is_int(ieum_xliff__open(&w, tmp_path("b.xlf"), "ko", "en"), IEUM_OK, "opened");
  ieum_unit u = unit("벨\x07소리", "Bell", NULL);
  is_int(ieum_xliff__add(w, &u, NULL, 0, NULL, NULL), IEUM_EINVAL, "a control character is refused");
  ok(strstr(ieum_error_last()->message, "U+0007 cannot be written to XML"), "message: %s",
     ieum_error_last()->message);
  ieum_unit good = unit("좋다.", "Good.", NULL);
  is_int(ieum_xliff__add(w, &good, NULL, 0, NULL, NULL), IEUM_OK, "the writer goes on after a refused unit");
  ieum_xliff__free(w);
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d)) != NULL)
    n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  if (d)
    closedir(d);
  is_int(n, 0, "an abandoned document leaves no file");
  ieum_xliff__free(NULL);
}

int main(void)
{
  if (!mkdtemp(tmpdir))
    skip_all("cannot make a temporary directory");
  test_formats_xliff__structure();
  test_formats_xliff__errors();
  tmpdir_clean();
  rmdir(tmpdir);
  return done_testing();
}
