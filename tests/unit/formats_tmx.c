/*
** tests/unit/formats_tmx.c: the TMX writer and the streaming TMX reader.
**
** Writes units into a temporary directory (mkdtemp under /tmp, removed at
** the end), reads them back field by field, validates the output against
** the TMX 1.4 DTD when ../shared has it, and reads our fixtures in
** tests/data/tmx/ (TMX 1.1, target-first, inline codes, *all*, mixed-case
** tags, three languages, broken files, an external entity, UTF-16LE/BE
** with a BOM, one language written four ways, props/notes/attributes,
** duplicate TUs, TUs with one language).  UTF-8 and
** UTF-16 files with a BOM are generated here with ICU.  Files written by
** other tools in ../shared/data/tmx are imported when present.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/valid.h>
#include <unicode/ucnv.h>

#include "formats/tmx_inline_int.h"
#include "formats/xml_guard_int.h"
#include "tap.h"
#include "util.h"

#define MAX_UNITS 16

/* A unit copied out of the reader's callback. */
typedef struct {
  int64_t id;
  char *src, *tgt, *src_lang, *tgt_lang, *bead, *document, *note;
  double score;
  int64_t position, created;
} got_unit;

typedef struct {
  got_unit u[MAX_UNITS];
  size_t n;
  size_t total;  /* units seen, also past MAX_UNITS */
  size_t stop_after; /* return 7 from the callback after this many; 0 = never */
} collected;

static char tmpdir[] = "/tmp/ieum-tmx-XXXXXX";
static char path_buf[4096];

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

static int collect(const ieum_unit *unit, void *payload)
{
  collected *c = payload;
  c->total++;
  if (c->n < MAX_UNITS) {
    got_unit *g = &c->u[c->n++];
    g->id = unit->id;
    g->src = strndup(unit->src, unit->src_len);
    g->tgt = strndup(unit->tgt, unit->tgt_len);
    g->src_lang = dup_or_null(unit->src_lang);
    g->tgt_lang = dup_or_null(unit->tgt_lang);
    g->bead = dup_or_null(unit->bead);
    g->document = dup_or_null(unit->document);
    g->note = dup_or_null(unit->note);
    g->score = unit->score;
    g->position = unit->position;
    g->created = unit->created;
  }
  if (c->stop_after && c->total == c->stop_after)
    return 7;
  return 0;
}

static void collected_free(collected *c)
{
  for (size_t i = 0; i < c->n; i++) {
    got_unit *g = &c->u[i];
    free(g->src), free(g->tgt), free(g->src_lang), free(g->tgt_lang);
    free(g->bead), free(g->document), free(g->note);
  }
  memset(c, 0, sizeof *c);
}

/* Path of a file in the temporary directory (static buffer). */
static const char *tmp_path(const char *name)
{
  snprintf(path_buf, sizeof path_buf, "%s/%s", tmpdir, name);
  return path_buf;
}

/* Path of a fixture under tests/data/tmx (static buffer). */
static const char *data_path(const char *name)
{
  const char *d = getenv("IEUM_TEST_DATA");
  snprintf(path_buf, sizeof path_buf, "%s/tmx/%s", d ? d : "tests/data", name);
  return path_buf;
}

/* Directory of the shared data (../shared), or NULL when absent. */
static const char *shared_dir(void)
{
  static char buf[4096];
  const char *s = getenv("IEUM_SHARED");
  if (s && *s)
    snprintf(buf, sizeof buf, "%s", s);
  else
    snprintf(buf, sizeof buf, "%s/../../../shared", getenv("IEUM_TEST_DATA") ? getenv("IEUM_TEST_DATA") : ".");
  struct stat st;
  return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

static int write_file(const char *path, const char *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t w = fwrite(data, 1, len, f);
  return fclose(f) == 0 && w == len ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  size_t r = fread(p, 1, (size_t)n, f);
  fclose(f);
  p[r] = '\0';
  if (len)
    *len = r;
  return p;
}

/* Number of entries of the temporary directory (".", ".." excluded). */
static int tmpdir_entries(void)
{
  int n = 0;
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  if (d)
    closedir(d);
  return n;
}

static void tmpdir_clean(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(tmp_path(e->d_name));
  if (d)
    closedir(d);
}

static int read_file(collected *c, ieum_tmx_info *info, const char *path, const char *src, const char *tgt)
{
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.src_lang = src;
  o.tgt_lang = tgt;
  collected_free(c);
  return ieum_tmx_read(info, path, &o, collect, c);
}

/* ---- writer ---------------------------------------------------------------- */

#define SRC_A "한국은행은 \"기준금리\"를 3.50%로 <동결> & 'R&D' 지원 😀"
#define TGT_A "The BoK held the \"base rate\" at 3.50% <frozen> & 'R&D' support 😀"
#define SRC_B "서울에 눈이 왔다. 출근길이 막혔다."
#define TGT_B "Snow blocked the morning commute in Seoul."
#define SRC_D "  탭\t줄\n바꿈\r캐리지  "
#define TGT_D "  tab\tline\nbreak\rcarriage  "
#define CREATED_A 1700000000 /* 2023-11-14T22:13:20Z */

static void write_sample(const char *path)
{
  ieum_tmx_header h = IEUM_TMX_HEADER_INIT;
  ieum_tmx_writer *w = NULL;
  h.src_lang = "ko";
  h.tgt_lang = "en";
  is_int(ieum_tmx_writer_open(&w, path, &h), IEUM_OK, "writer opens %s", path);
  if (!w)
    return;
  ieum_unit a = IEUM_UNIT_INIT, b = IEUM_UNIT_INIT, c = IEUM_UNIT_INIT, d = IEUM_UNIT_INIT;
  a.src = SRC_A, a.src_len = strlen(SRC_A), a.tgt = TGT_A, a.tgt_len = strlen(TGT_A);
  a.score = 0.9312, a.bead = "1-1", a.document = "ko.txt|en.txt", a.position = 0;
  a.created = CREATED_A, a.note = "검토 필요 & <ok>";
  b.id = 42, b.src = SRC_B, b.src_len = strlen(SRC_B), b.tgt = TGT_B, b.tgt_len = strlen(TGT_B);
  b.src_lang = "ko-KR", b.tgt_lang = "en-GB", b.score = 0.5, b.bead = "2-1", b.position = 1;
  b.created = CREATED_A + 60;
  c.src = "번역 없음", c.src_len = strlen("번역 없음"), c.tgt = "", c.tgt_len = 0, c.bead = "1-0";
  d.src = SRC_D, d.src_len = strlen(SRC_D), d.tgt = TGT_D, d.tgt_len = strlen(TGT_D);
  d.created = CREATED_A;
  is_int(ieum_tmx_writer_add(w, &a), IEUM_OK, "adds a unit with markup characters and an emoji");
  is_int(ieum_tmx_writer_add(w, &b), IEUM_OK, "adds a 2-1 unit with an id");
  is_int(ieum_tmx_writer_add(w, &c), IEUM_OK, "adds a unit with an empty target");
  is_int(ieum_tmx_writer_add(w, &d), IEUM_OK, "adds a unit with tab, LF, CR and outer spaces");
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "writer closes");
}

static void test_formats_tmx__roundtrip(void)
{
  const char *path = tmp_path("out.tmx");
  char *p = strdup(path);
  write_sample(p);
  is_int(tmpdir_entries(), 1, "only the TMX is left in the directory (no temporary file)");

  size_t len = 0;
  char *xml = slurp(p, &len);
  static const char prolog[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
                               "<tmx version=\"1.4\">\n  <header creationtool=\"ieum\" creationtoolversion=\"";
  ok(xml && strncmp(xml, prolog, strlen(prolog)) == 0, "prolog, DOCTYPE, root and header, indented");
  ok(xml && strstr(xml, "creationtool=\"ieum\"") && strstr(xml, "srclang=\"ko\"") &&
         strstr(xml, "o-tmf=\"ieum\"") && strstr(xml, "<tmx version=\"1.4\">"),
     "header attributes");
  ok(xml && strstr(xml, "<tu tuid=\"1\" creationdate=\"20231114T221320Z\" creationtool=\"ieum\" creationtoolversion=\""),
     "tuid counter, creationdate and creationtool");
  ok(xml && strstr(xml, "<tu tuid=\"42\""), "tuid from the unit id");
  ok(xml && strstr(xml, "<prop type=\"x-score\">0.9312</prop>"), "score with 4 decimals");
  ok(xml && strstr(xml, "<tuv xml:lang=\"ko-KR\">") && strstr(xml, "<tuv xml:lang=\"en-GB\">"),
     "unit languages are written as given");
  ok(xml && strstr(xml, "<tuv xml:lang=\"en\">\n        <seg></seg>"), "an empty target is an empty <seg>, kept");
  free(xml);

  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_OK, "reads back");
  is_int(info.units, 4, "four units: the empty target is read back as one");
  is_int(info.skipped, 0, "nothing is skipped");
  is_str(info.src_lang, "ko", "source language from the header");
  is_str(info.tgt_lang, "en", "target language found in the file");
  if (c.n == 4) {
    got_unit *a = &c.u[0], *b = &c.u[1], *e = &c.u[2], *d = &c.u[3];
    is_str(e->src, "번역 없음", "the unit of an empty target");
    is_str(e->tgt, "", "keeps its empty target");
    is_str(a->src, SRC_A, "source text identical");
    is_str(a->tgt, TGT_A, "target text identical");
    ok(a->score == 0.9312, "score identical");
    is_str(a->bead, "1-1", "bead");
    is_str(a->document, "ko.txt|en.txt", "document");
    is_int(a->position, 0, "position");
    is_int(a->created, CREATED_A, "creation time");
    is_str(a->note, "검토 필요 & <ok>", "note");
    is_int(a->id, 1, "tuid 1 read as id");
    is_int(b->id, 42, "id 42");
    is_str(b->bead, "2-1", "2-1 bead");
    ok(b->score == 0.5, "score 0.5");
    is_int(b->created, CREATED_A + 60, "second creation time");
    is_str(b->src_lang, "ko-KR", "ko picks ko-KR");
    is_str(b->tgt_lang, "en-GB", "en picks en-GB");
    is_str(d->src, SRC_D, "tab, LF, CR and outer spaces kept in the source");
    is_str(d->tgt, TGT_D, "and in the target");
    ok(d->score < 0 && d->position < 0 && d->bead == NULL && d->note == NULL && d->document == NULL,
       "absent props stay unknown");
  }
  collected_free(&c);
  free(p);
  tmpdir_clean();
}

/* Validates `path` against ../shared/data/tmx/tmx14.dtd when it is there. */
static void test_formats_tmx__dtd(void)
{
  const char *shared = shared_dir();
  char dtd_path[4200];
  struct stat st;
  if (shared)
    snprintf(dtd_path, sizeof dtd_path, "%s/data/tmx/tmx14.dtd", shared);
  if (!shared || stat(dtd_path, &st) != 0) {
    diag("skipped: no ../shared/data/tmx/tmx14.dtd");
    return;
  }
  char *p = strdup(tmp_path("valid.tmx"));
  write_sample(p);
  xmlDtdPtr dtd = xmlParseDTD(NULL, BAD_CAST dtd_path);
  xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
  xmlValidCtxtPtr v = xmlNewValidCtxt();
  ok(dtd && doc && v, "DTD and output parse");
  if (dtd && doc && v)
    is_int(xmlValidateDtd(v, doc, dtd), 1, "output is valid against the TMX 1.4 DTD");
  xmlFreeValidCtxt(v);
  xmlFreeDoc(doc);
  xmlFreeDtd(dtd);
  free(p);
  tmpdir_clean();
}

static void test_formats_tmx__invalid_text(void)
{
  char *p = strdup(tmp_path("bad.tmx"));
  ieum_tmx_writer *w = NULL;
  is_int(ieum_tmx_writer_open(&w, p, NULL), IEUM_OK, "opens with default header");
  ieum_unit u = IEUM_UNIT_INIT;
  u.id = 9;
  u.src = "종\x01이", u.src_len = 7, u.tgt = "paper", u.tgt_len = 5;
  is_int(ieum_tmx_writer_add(w, &u), IEUM_EINVAL, "a control character is refused");
  ok(ieum_error_last() && strstr(ieum_error_last()->message, "unit 9") &&
         strstr(ieum_error_last()->message, "U+0001"),
     "the message names the unit and the character: %s", ieum_error_last() ? ieum_error_last()->message : "");
  u.src = "a\xef\xbf\xbf", u.src_len = 4;
  is_int(ieum_tmx_writer_add(w, &u), IEUM_EINVAL, "U+FFFF is refused");
  u.src = "a\xff", u.src_len = 2;
  is_int(ieum_tmx_writer_add(w, &u), IEUM_EINVAL, "invalid UTF-8 is refused");
  u.src = "종이", u.src_len = strlen("종이"), u.note = "bell\a";
  is_int(ieum_tmx_writer_add(w, &u), IEUM_EINVAL, "a control character in the note is refused");
  u.note = NULL, u.src_len = 0, u.tgt_len = 0;
  is_int(ieum_tmx_writer_add(w, &u), IEUM_EINVAL, "a unit with no text is refused");
  u.src_len = strlen("종이"), u.tgt_len = 5;
  is_int(ieum_tmx_writer_add(w, &u), IEUM_OK, "the writer is still usable after a refused unit");
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closes");
  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_OK, "reads the file");
  ok(c.n == 1 && !strcmp(c.u[0].src, "종이") && c.u[0].id == 9, "only the good unit was written");
  is_str(info.src_lang, "ko", "default srclang ko");
  is_str(info.tgt_lang, "en", "default target language en");
  collected_free(&c);
  free(p);
  tmpdir_clean();
}

static void test_formats_tmx__abandon(void)
{
  char *p = strdup(tmp_path("abandoned.tmx"));
  ieum_tmx_writer *w = NULL;
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = "가", u.src_len = 3, u.tgt = "a", u.tgt_len = 1;
  is_int(ieum_tmx_writer_open(&w, p, NULL), IEUM_OK, "opens");
  is_int(ieum_tmx_writer_add(w, &u), IEUM_OK, "adds");
  is_int(tmpdir_entries(), 1, "a temporary file exists while writing");
  ieum_tmx_writer_free(w);
  is_int(tmpdir_entries(), 0, "freed without close: no file and no temporary file");
  ieum_tmx_writer_free(NULL);

  /* An existing file is replaced only by a successful close. */
  ok(write_file(p, "old", 3) == 0, "an old file is there");
  ieum_tmx_writer_open(&w, p, NULL);
  ieum_tmx_writer_add(w, &u);
  ieum_tmx_writer_free(w);
  char *old = slurp(p, NULL);
  is_str(old, "old", "an abandoned export leaves the old file untouched");
  free(old);
  mode_t mask = umask(022);
  ieum_tmx_writer_open(&w, p, NULL);
  ieum_tmx_writer_add(w, &u);
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closes over the old file");
  umask(mask);
  old = slurp(p, NULL);
  ok(old && strstr(old, "<seg>가</seg>"), "the old file was replaced");
  free(old);
  struct stat st;
  ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0644, "the export gets 0666 less the umask, not mkstemp's 0600");

  w = (ieum_tmx_writer *)1;
  is_int(ieum_tmx_writer_open(&w, tmp_path("no/such/dir.tmx"), NULL), IEUM_EIO, "a missing directory is EIO");
  ok(w == NULL, "*out is NULL on failure");
  free(p);
  tmpdir_clean();
}

/* A write error (standard output on /dev/full) is EIO, and libxml2 prints nothing. */
static void test_formats_tmx__write_error(void)
{
  int full = open("/dev/full", O_WRONLY);
  if (full < 0) {
    diag("skipped: no /dev/full");
    return;
  }
  fflush(stdout);
  int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
  int errfd = open(tmp_path("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(full, STDOUT_FILENO);
  dup2(errfd, STDERR_FILENO);
  ieum_tmx_writer *w = NULL;
  int rc = ieum_tmx_writer_open(&w, "-", NULL);
  for (int i = 0; !rc && i < 1000; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = SRC_B, u.src_len = strlen(SRC_B), u.tgt = TGT_B, u.tgt_len = strlen(TGT_B);
    rc = ieum_tmx_writer_add(w, &u);
  }
  int rc_add = rc;
  if (!rc)
    rc = ieum_tmx_writer_close(w);
  else
    ieum_tmx_writer_free(w);
  dup2(saved_out, STDOUT_FILENO);
  dup2(saved_err, STDERR_FILENO);
  close(saved_out), close(saved_err), close(full), close(errfd);
  is_int(rc, IEUM_EIO, "writing to a full device is EIO");
  ok(rc_add == IEUM_EIO, "reported by the add that hit it");
  const ieum_error *e = ieum_error_last();
  ok(e && strstr(e->message, "standard output: cannot write TMX: ") && strstr(e->message, strerror(ENOSPC)), "message: %s",
     e ? e->message : "");
  struct stat st;
  ok(stat(tmp_path("stderr.txt"), &st) == 0 && st.st_size == 0, "nothing printed on stderr");
  tmpdir_clean();
}

/* Fails each allocation in turn: every call returns OK or ENOMEM, and leaks nothing (ASan). */
static void test_formats_tmx__oom(void)
{
  char *p = strdup(tmp_path("oom.tmx"));
  write_sample(p);
  int bad = 0, failures = 0;
  for (long n = 0; n < 200; n++) {
    collected c = { 0 };
    ieum__alloc_fail_after(n);
    int rc = ieum_tmx_read(NULL, p, NULL, collect, &c);
    ieum__alloc_fail_after(-1);
    collected_free(&c);
    if (rc == IEUM_OK)
      break;
    failures++;
    if (rc != IEUM_ENOMEM)
      bad++;
  }
  ok(failures > 0 && bad == 0, "reader: %d injected failures all give ENOMEM", failures);
  bad = failures = 0;
  for (long n = 0; n < 200; n++) {
    ieum_tmx_writer *w = NULL;
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = "가", u.src_len = 3, u.tgt = "a", u.tgt_len = 1;
    ieum__alloc_fail_after(n);
    int rc = ieum_tmx_writer_open(&w, p, NULL);
    if (!rc)
      rc = ieum_tmx_writer_add(w, &u);
    if (!rc)
      rc = ieum_tmx_writer_close(w);
    else
      ieum_tmx_writer_free(w);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK)
      break;
    failures++;
    if (rc != IEUM_ENOMEM)
      bad++;
  }
  ok(failures > 0 && bad == 0, "writer: %d injected failures all give ENOMEM", failures);
  is_int(tmpdir_entries(), 1, "no temporary file left by failed writers");
  free(p);
  tmpdir_clean();
}

/* ---- reader on fixtures ------------------------------------------------------ */

static void test_formats_tmx__tmx11(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, data_path("tmx11_lang.tmx"), NULL, NULL), IEUM_OK, "TMX 1.1 with lang= reads");
  ok(c.n == 1 && !strcmp(c.u[0].src, "부산에는 오늘 비가 내렸다.") && !strcmp(c.u[0].tgt, "It rained in Busan today."),
     "lang= segments");
  ok(c.n == 1 && c.u[0].id == 7 && c.u[0].created == 0, "tuid read, no tu creationdate");
  collected_free(&c);
}

/* The same small TMX, with a BOM, in UTF-8 and UTF-16LE. */
static void test_formats_tmx__bom(void)
{
  static const char doc[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"%s\"?>\n"
    "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" datatype=\"plaintext\" "
    "segtype=\"sentence\" adminlang=\"en\" srclang=\"ko\" o-tmf=\"t\"/>\n<body>\r\n"
    "<tu><tuv xml:lang=\"ko\"><seg>바이트 순서 표시 🙂</seg></tuv><tuv xml:lang=\"en\"><seg>Byte order mark 🙂</seg></tuv></tu>\n"
    "</body></tmx>\n";
  char utf8[1024], utf16[4096];
  collected c = { 0 };
  ieum_tmx_info info;

  snprintf(utf8, sizeof utf8, doc, "UTF-8");
  char *p8 = strdup(tmp_path("bom8.tmx"));
  ok(write_file(p8, utf8, strlen(utf8)) == 0, "UTF-8 fixture with BOM written");
  is_int(read_file(&c, &info, p8, NULL, NULL), IEUM_OK, "UTF-8 with BOM reads");
  ok(c.n == 1 && !strcmp(c.u[0].src, "바이트 순서 표시 🙂"), "UTF-8 text");
  collected_free(&c);

  snprintf(utf8, sizeof utf8, doc, "UTF-16");
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = ucnv_convert("UTF-16LE", "UTF-8", utf16, sizeof utf16, utf8, (int32_t)strlen(utf8), &st);
  ok(U_SUCCESS(st) && n > 2 && (unsigned char)utf16[0] == 0xFF && (unsigned char)utf16[1] == 0xFE,
     "UTF-16LE fixture starts with FF FE");
  char *p16 = strdup(tmp_path("bom16.tmx"));
  write_file(p16, utf16, (size_t)n);
  is_int(read_file(&c, &info, p16, NULL, NULL), IEUM_OK, "UTF-16LE with BOM reads");
  ok(c.n == 1 && !strcmp(c.u[0].src, "바이트 순서 표시 🙂") && !strcmp(c.u[0].tgt, "Byte order mark 🙂"),
     "UTF-16 text comes out as UTF-8, astral plane included");
  collected_free(&c);
  free(p8);
  free(p16);
  tmpdir_clean();
}

static void test_formats_tmx__languages(void)
{
  collected c = { 0 };
  ieum_tmx_info info;

  is_int(read_file(&c, &info, data_path("target_first.tmx"), NULL, NULL), IEUM_OK, "target-first file reads");
  ok(c.n == 2 && !strcmp(c.u[0].src, "도서관은 아홉 시에 문을 연다.") && !strcmp(c.u[0].tgt, "The library opens at nine."),
     "a target-first tuv order still gives source and target right");
  is_str(info.src_lang, "ko-KR", "info: source tag as written");
  is_str(info.tgt_lang, "en-US", "info: target tag as written");

  is_int(read_file(&c, &info, data_path("all_srclang.tmx"), NULL, NULL), IEUM_OK, "*all* srclang reads");
  is_str(info.src_lang, "ko", "*all*: source is the first tuv's language");
  ok(c.n == 2 && !strcmp(c.u[1].src, "두 번째 문장.") && !strcmp(c.u[1].tgt, "The second sentence."),
     "*all*: later TUs follow the chosen source language");
  is_int(read_file(&c, &info, data_path("all_srclang.tmx"), "en", NULL), IEUM_OK, "*all* with src=en");
  ok(c.n == 2 && !strcmp(c.u[0].src, "The first sentence.") && !strcmp(c.u[0].tgt, "첫 번째 문장."),
     "caller's source language wins");

  is_int(read_file(&c, &info, data_path("mixed_case.tmx"), "ko", "en"), IEUM_OK, "mixed-case tags read");
  ok(c.n == 1 && !strcmp(c.u[0].tgt, "Upper-case tag.") && !strcmp(c.u[0].src_lang, "ko-KR"),
     "ko and en match KO-kr and En-uS, given back in BCP 47 casing");
  is_str(info.tgt_lang, "en-US", "info has the tag in BCP 47 casing");

  is_int(read_file(&c, &info, data_path("three_langs.tmx"), NULL, "EN"), IEUM_OK, "three-language TU reads");
  ok(c.n == 1 && !strcmp(c.u[0].src, "고양이가 자고 있다.") && !strcmp(c.u[0].tgt, "The cat is sleeping."),
     "exact ko preferred over ko-KR, ja ignored");
  is_int(info.skipped, 1, "the TU with one language is skipped");
  is_int(read_file(&c, &info, data_path("three_langs.tmx"), NULL, NULL), IEUM_OK, "three languages, no target");
  ok(c.n == 1 && !strcmp(c.u[0].tgt, "猫が寝ている。") && !strcmp(info.tgt_lang, "ja"),
     "without a target, the first other language met is the target");
  collected_free(&c);
}

static void test_formats_tmx__inline(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, data_path("inline.tmx"), NULL, NULL), IEUM_OK, "inline markup file reads");
  if (c.n == 2) {
    is_str(c.u[0].src, "새 전기 버스가 다닌다.", "bpt/ept/ph dropped with their content");
    is_str(c.u[0].tgt, "New electric buses run now.", "it/ut and a sub inside bpt dropped");
    is_str(c.u[1].src, "  강조 문장 & 기호 ", "hi keeps its text, outer spaces kept, &amp; decoded");
    is_str(c.u[1].tgt, "a <raw> & part stressed text", "CDATA kept, space between two hi kept");
  } else {
    ok(0, "two units expected, got %zu", c.n);
  }
  collected_free(&c);
}

static void test_formats_tmx__errors(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  const ieum_error *e;

  is_int(read_file(&c, &info, data_path("not_xml.tmx"), NULL, NULL), IEUM_EPARSE, "plain text is EPARSE");
  e = ieum_error_last();
  ok(e && strstr(e->message, "not_xml.tmx:1: "), "message gives file and line: %s", e ? e->message : "");

  is_int(read_file(&c, &info, data_path("truncated.tmx"), NULL, NULL), IEUM_EPARSE, "truncated file is EPARSE");
  e = ieum_error_last();
  ok(e && strstr(e->message, "truncated.tmx:"), "truncated: %s", e ? e->message : "");

  is_int(read_file(&c, &info, data_path("root_not_tmx.tmx"), NULL, NULL), IEUM_EPARSE, "XLIFF is EPARSE");
  e = ieum_error_last();
  ok(e && strstr(e->message, "not a TMX file (root element is <xliff>)"), "root named: %s", e ? e->message : "");

  is_int(read_file(&c, &info, data_path("no_such_file.tmx"), NULL, NULL), IEUM_ENOTFOUND, "missing file");
  const char *d = getenv("IEUM_TEST_DATA");
  is_int(read_file(&c, &info, d ? d : ".", NULL, NULL), IEUM_EIO, "a directory is EIO");

  char *p = strdup(tmp_path("empty.tmx"));
  write_file(p, "", 0);
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_EPARSE, "an empty file is EPARSE");
  e = ieum_error_last();
  ok(e && strstr(e->message, "empty.tmx: empty file"), "empty: %s", e ? e->message : "");
  free(p);

  /* Cut a valid file at every tenth byte: never a success. */
  p = strdup(tmp_path("cut.tmx"));
  size_t len = 0;
  char *full = slurp(data_path("target_first.tmx"), &len);
  int wrong = 0;
  for (size_t cut = 0; full && cut + 2 < len; cut += 10) {
    write_file(p, full, cut);
    if (read_file(&c, &info, p, NULL, NULL) != IEUM_EPARSE)
      wrong++;
  }
  is_int(wrong, 0, "every truncation of a valid file gives EPARSE");
  free(full);
  free(p);
  collected_free(&c);
  tmpdir_clean();
}

static void test_formats_tmx__no_entity_expansion(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  int rc = read_file(&c, &info, data_path("xxe.tmx"), NULL, NULL);
  is_int(rc, IEUM_OK, "a file declaring external entities reads");
  ok(c.n == 1 && !strstr(c.u[0].src, "root:") && !strstr(c.u[0].tgt, "root:"), "/etc/passwd did not leak");
  ok(c.n == 1 && !strcmp(c.u[0].src, "비밀: []") && !strcmp(c.u[0].tgt, "Secret: []"),
     "entity references are dropped");
  collected_free(&c);
}

static void test_formats_tmx__callback_stop(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  c.stop_after = 1;
  is_int(ieum_tmx_read(&info, data_path("target_first.tmx"), NULL, collect, &c), 7,
         "a non-zero callback return stops reading and is returned");
  is_int(c.total, 1, "no unit after the stop");
  collected_free(&c);
}

/* A segment over IEUM_TEXT_MAX_LINE bytes, in pieces below libxml2's own 10 MB text limit. */
static void test_formats_tmx__limit(void)
{
  const size_t piece = (size_t)6 << 20;
  char *p = strdup(tmp_path("big.tmx"));
  FILE *f = fopen(p, "wb");
  char *block = malloc(piece);
  memset(block, 'a', piece);
  fputs("<tmx version=\"1.4\"><header srclang=\"ko\"/><body><tu><tuv xml:lang=\"ko\"><seg>", f);
  for (int k = 0; k < 3; k++) {
    fwrite(block, 1, piece, f);
    fputs("<hi>b</hi>", f);
  }
  fputs("</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu></body></tmx>\n", f);
  fclose(f);
  free(block);
  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "an 18 MB segment is ELIMIT");
  const ieum_error *e = ieum_error_last();
  ok(e && strstr(e->message, "big.tmx:") && strstr(e->message, ": segment longer than 16777216 bytes"), "limit message: %s", e ? e->message : "");

  /* One text node over libxml2's 10 MB limit (XML_MAX_TEXT_LENGTH) is ELIMIT too. */
  f = fopen(p, "wb");
  fputs("<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"ko\"><seg>", f);
  for (int k = 0; k < 11 * 1024; k++)
    for (int j = 0; j < 1024; j++)
      fputc('a', f);
  fputs("</seg></tuv></tu></body></tmx>\n", f);
  fclose(f);
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "an 11 MB text node is ELIMIT");
  collected_free(&c);
  free(p);
  tmpdir_clean();
}

/* Many units through writer and reader (streaming both ways). */
static void test_formats_tmx__many(void)
{
  enum { N = 20000 };
  char *p = strdup(tmp_path("many.tmx"));
  ieum_tmx_writer *w = NULL;
  int rc = ieum_tmx_writer_open(&w, p, NULL);
  char src[64], tgt[64];
  for (int i = 0; !rc && i < N; i++) {
    ieum_unit u = IEUM_UNIT_INIT;
    snprintf(src, sizeof src, "문장 %d번", i);
    snprintf(tgt, sizeof tgt, "Sentence number %d", i);
    u.src = src, u.src_len = strlen(src), u.tgt = tgt, u.tgt_len = strlen(tgt);
    u.position = i, u.score = i / (double)N, u.created = CREATED_A;
    rc = ieum_tmx_writer_add(w, &u);
  }
  if (!rc)
    rc = ieum_tmx_writer_close(w);
  else
    ieum_tmx_writer_free(w);
  is_int(rc, IEUM_OK, "%d units written", N);
  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_OK, "and read");
  ok(info.units == N && c.total == N && info.skipped == 0, "all %d units come back", N);
  collected_free(&c);
  free(p);
  tmpdir_clean();
}

static void test_formats_tmx__shared(void)
{
  const char *shared = shared_dir();
  char dir[4200], file[4600];
  snprintf(dir, sizeof dir, "%s/data/tmx", shared ? shared : "");
  DIR *d = shared ? opendir(dir) : NULL;
  if (!d) {
    diag("skipped: no ../shared/data/tmx");
    return;
  }
  struct dirent *e;
  int files = 0;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (n < 4 || strcmp(e->d_name + n - 4, ".tmx"))
      continue;
    snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
    collected c = { 0 };
    ieum_tmx_info info;
    int rc = ieum_tmx_read(&info, file, NULL, collect, &c);
    ok(rc == IEUM_OK && info.units > 0, "imports %s: %zu units, %zu skipped, %s -> %s", e->d_name, info.units,
       info.skipped, info.src_lang, info.tgt_lang);
    if (rc)
      diag("%s", ieum_error_last() ? ieum_error_last()->message : "");
    collected_free(&c);
    files++;
  }
  closedir(d);
  ok(files > 0, "%d shared TMX files imported", files);
}

/* Metadata of the units read: "kind:type:lang=value;" per item, one line per unit. */
typedef struct {
  char text[4096];
  char src[2][512], tgt[2][512];
  size_t n;
} meta_dump;

static int collect_meta(const ieum_unit *u, const ieum_unit_prop *p, size_t n, void *payload)
{
  meta_dump *d = payload;
  if (d->n < 2) {
    snprintf(d->src[d->n], sizeof d->src[0], "%.*s", (int)u->src_len, u->src);
    snprintf(d->tgt[d->n], sizeof d->tgt[0], "%.*s", (int)u->tgt_len, u->tgt);
  }
  d->n++;
  size_t at = strlen(d->text);
  for (size_t i = 0; i < n && at < sizeof d->text; i++)
    at += (size_t)snprintf(d->text + at, sizeof d->text - at, "%s:%s:%s=%s;", p[i].kind, p[i].type ? p[i].type : "",
                           p[i].lang ? p[i].lang : "", p[i].value);
  if (at < sizeof d->text - 1)
    strcat(d->text, "\n");
  return 0;
}

static void test_formats_tmx__props_notes(void)
{
  meta_dump d;
  memset(&d, 0, sizeof d);
  ieum_tmx_info info;
  is_int(ieum_tmx_read_props(&info, data_path("props_notes.tmx"), NULL, collect_meta, &d), IEUM_OK,
         "file with props and notes reads");
  is_int(d.n, 3, "three units");
  is_str(d.text,
         "attr:tuid:=job-17;attr:creationid:=editor1;attr:changedate:=20240306T080000Z;attr:changeid:=reviewer2;"
         "attr:usagecount:=3;prop:Txt::Client:=한빛일보;note::=First check done.;prop:x-domain:en=news & weather;"
         "note::ko=두 번째 메모;\n"
         "attr:tuid:=job-18;\n\n",
         "<tu> attributes, props and notes in document order, with xml:lang");
  is_str(d.src[1], "기온은 10도까지 내려간다.", "tags dropped by default");

  memset(&d, 0, sizeof d);
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.keep_tags = 1;
  is_int(ieum_tmx_read_props(&info, data_path("props_notes.tmx"), &o, collect_meta, &d), IEUM_OK, "keep_tags reads");
  is_str(d.src[1], "기온은 <bpt i=\"1\">&lt;b&gt;</bpt>10도<ept i=\"1\">&lt;/b&gt;</ept>까지 내려간다.",
         "keep_tags: the source as TMX inline markup");
  is_str(d.tgt[1],
         "Temperatures will fall to <bpt i=\"1\">&lt;b&gt;</bpt>10 degrees<ept i=\"1\">&lt;/b&gt;</ept>.<ph x=\"1\">&lt;br/&gt;</ph>",
         "keep_tags: the target too, empty ph included");
  ok(strstr(d.text, "attr:tuid:=job-18;attr:x-inline:=tmx;\n"), "the markup unit is marked x-inline=tmx");
  ok(!strstr(d.text, "job-17;attr:x-inline"), "a unit without markup is not marked");

  memset(&d, 0, sizeof d);
  is_int(ieum_tmx_read_props(&info, data_path("inline.tmx"), &o, collect_meta, &d), IEUM_OK, "inline.tmx, keep");
  is_str(d.src[1], "  <hi type=\"em\">강조</hi> 문장 &amp; 기호 ", "hi kept as an element, & escaped");
}

static void test_formats_tmx__writer_props(void)
{
  const char *path = strdup(tmp_path("props.tmx"));
  ieum_tmx_writer *w = NULL;
  is_int(ieum_tmx_writer_open(&w, path, NULL), IEUM_OK, "writer opened");
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = "가.";
  u.src_len = strlen(u.src);
  u.tgt = "A.";
  u.tgt_len = 2;
  u.created = 1700000000;
  u.note = "ignored: the props hold notes";
  ieum_unit_prop p[] = { { "attr", "tuid", NULL, "x-9" }, { "attr", "changeid", NULL, "kim" },
                         { "prop", "x-client", "ko", "한빛 & co" }, { "note", NULL, NULL, "메모" } };
  is_int(ieum_tmx_writer_add_props(w, &u, p, 4), IEUM_OK, "unit with metadata");
  ieum_unit_prop bad[] = { { "attr", "color", NULL, "red" } };
  is_int(ieum_tmx_writer_add_props(w, &u, bad, 1), IEUM_EINVAL, "an attribute TMX has not");
  ok(strstr(ieum_error_last()->message, "<tu> has no attribute \"color\" in TMX 1.4"), "message: %s",
     ieum_error_last()->message);
  ieum_unit m = u;
  m.src = "<b>열림";
  m.src_len = strlen(m.src);
  ieum_unit_prop mk[] = { { "attr", "x-inline", NULL, "tmx" } };
  is_int(ieum_tmx_writer_add_props(w, &m, mk, 1), IEUM_EINVAL, "malformed markup refused");
  ok(strstr(ieum_error_last()->message, "marked as TMX markup but is not well-formed"), "message: %s",
     ieum_error_last()->message);
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closed");
  size_t len = 0;
  char *t = slurp(path, &len);
  ok(t && strstr(t, "<tu tuid=\"x-9\" creationdate=\"20231114T221320Z\" creationtool=\"ieum\" "
                    "creationtoolversion=\"" IEUM_VERSION_STRING "\" changeid=\"kim\">"),
     "tuid from the unit's attr, creationtool, other attributes after");
  ok(t && strstr(t, "<prop type=\"x-client\" xml:lang=\"ko\">한빛 &amp; co</prop>") && strstr(t, "<note>메모</note>") &&
       !strstr(t, "ignored"),
     "props and notes written back; unit->note not doubled");
  free(t);

  meta_dump d;
  memset(&d, 0, sizeof d);
  is_int(ieum_tmx_read_props(NULL, path, NULL, collect_meta, &d), IEUM_OK, "read back");
  is_str(d.text,
         "attr:tuid:=x-9;attr:creationtool:=ieum;attr:creationtoolversion:=" IEUM_VERSION_STRING
         ";attr:changeid:=kim;prop:x-client:ko=한빛 & co;note::=메모;\n",
         "the same metadata comes back");
  free((void *)path);
  tmpdir_clean();
}

/*
** The writer's exact bytes: indentation, what is escaped in text and in
** attribute values (tab and LF only there), an empty <seg>, <body/> for a
** file without units, and a failed unit leaving nothing behind.
*/
static void test_formats_tmx__exact_bytes(void)
{
  const char *path = strdup(tmp_path("exact.tmx"));
  ieum_tmx_writer *w = NULL;
  is_int(ieum_tmx_writer_open(&w, path, NULL), IEUM_OK, "writer opened");
  ieum_unit u = IEUM_UNIT_INIT;
  u.id = 7;
  u.src = "가 <b> & \"q\" 'a' \t\r\nend";
  u.src_len = strlen(u.src);
  u.tgt = "";
  u.tgt_len = 0;
  u.created = 1700000000;
  ieum_unit_prop p[] = { { "attr", "changeid", NULL, "김 \"k\" <&>\t\n\r." },
                         { "prop", "x-t", NULL, "v\t\"<&>\r" },
                         { "src-attr", "creationid", NULL, "이" },
                         { "src-note", NULL, "ko", "메모" } };
  is_int(ieum_tmx_writer_add_props(w, &u, p, 4), IEUM_OK, "unit with every kind of character");
  ieum_unit bad = u;
  bad.tgt = "\x01";
  bad.tgt_len = 1;
  is_int(ieum_tmx_writer_add_props(w, &bad, p, 4), IEUM_EINVAL, "a control character refused");
  ieum_unit ffff = u;
  ffff.tgt = "a\xEF\xBF\xBF";
  ffff.tgt_len = 4;
  is_int(ieum_tmx_writer_add_props(w, &ffff, NULL, 0), IEUM_EINVAL, "U+FFFF refused");
  ok(strstr(ieum_error_last()->message, "character U+FFFF cannot be written to XML (target text, byte 1)"),
     "message: %s", ieum_error_last()->message);
  /* Past the first words read 8 bytes at a time: the same checks, the same byte offsets. */
  static const struct {
    const char *text, *says;
  } late[] = { { "The bridge opens on Monday\x01.", "character U+0001 cannot be written to XML (target text, byte 26)" },
               { "The bridge opens on Monday \xEF\xBF\xBE", "character U+FFFE cannot be written to XML (target text, byte 27)" },
               { "The bridge opens on Monday \xff", "invalid UTF-8 in the target text at byte 27" },
               { "다리는 월요일에 개통한다 \xEF\xBF\xBF", "character U+FFFF cannot be written to XML (target text, byte 36)" } };
  int late_ok = 0;
  for (size_t k = 0; k < sizeof late / sizeof *late; k++) {
    ieum_unit lu = u;
    lu.tgt = late[k].text;
    lu.tgt_len = strlen(late[k].text);
    late_ok += ieum_tmx_writer_add_props(w, &lu, NULL, 0) == IEUM_EINVAL &&
               strstr(ieum_error_last()->message, late[k].says) != NULL;
  }
  is_int(late_ok, 4, "a bad character after 26 good bytes is found, at its byte");
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closed");
  char *t = slurp(path, NULL);
  const char *tu = t ? strstr(t, "    <tu ") : NULL;
  is_str(tu,
         "    <tu tuid=\"7\" creationdate=\"20231114T221320Z\" creationtool=\"ieum\" creationtoolversion=\""
         IEUM_VERSION_STRING "\" changeid=\"김 &quot;k&quot; &lt;&amp;&gt;&#9;&#10;&#13;.\">\n"
         "      <prop type=\"x-t\">v\t&quot;&lt;&amp;&gt;&#13;</prop>\n"
         "      <tuv xml:lang=\"ko\" creationid=\"이\">\n"
         "        <note xml:lang=\"ko\">메모</note>\n"
         "        <seg>가 &lt;b&gt; &amp; &quot;q&quot; 'a' \t&#13;\nend</seg>\n"
         "      </tuv>\n"
         "      <tuv xml:lang=\"en\">\n"
         "        <seg></seg>\n"
         "      </tuv>\n"
         "    </tu>\n"
         "  </body>\n"
         "</tmx>\n",
         "the <tu> as written, and nothing of the refused units");
  static const char prolog[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
                               "<tmx version=\"1.4\">\n  <header creationtool=\"ieum\" ";
  ok(t && !strncmp(t, prolog, strlen(prolog)), "the prolog and the header's start");
  free(t);
  is_int(ieum_tmx_writer_open(&w, path, NULL), IEUM_OK, "a writer without units");
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closed");
  t = slurp(path, NULL);
  const char *end = t ? strstr(t, "/>\n  <body/>\n</tmx>\n") : NULL;
  ok(end && end[strlen(end) - 1] == '\n' && !strcmp(end, "/>\n  <body/>\n</tmx>\n"), "an empty body is <body/>");
  free(t);
  free((void *)path);
  tmpdir_clean();
}

static void test_formats_tmx__fixtures_utf16_langs(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  is_int(read_file(&c, &info, data_path("utf16le_bom.tmx"), NULL, NULL), IEUM_OK, "UTF-16LE fixture reads");
  ok(c.n == 2 && !strcmp(c.u[0].src, "한강 다리가 새로 열렸다. 🌉") && c.u[0].created == 1672531200,
     "UTF-16LE text and creationdate");
  is_str(info.src_lang, "ko-KR", "*all*: the first tuv's language");
  collected_free(&c);
  is_int(read_file(&c, &info, data_path("utf16be_bom.tmx"), NULL, NULL), IEUM_OK, "UTF-16BE fixture reads");
  ok(c.n == 2 && !strcmp(c.u[1].tgt, "Cars may use it from next month."), "UTF-16BE text");
  collected_free(&c);
  is_int(read_file(&c, &info, data_path("lang_cases.tmx"), NULL, NULL), IEUM_OK, "ko, ko-KR, KO-KR, ko_kr");
  is_int(c.n, 4, "all four units match the header's KO-KR");
  ok(c.n == 4 && !strcmp(c.u[0].src_lang, "ko") && !strcmp(c.u[2].src_lang, "ko-KR") &&
       !strcmp(c.u[3].src_lang, "ko-KR") && !strcmp(c.u[2].tgt_lang, "en-US"),
     "tags come back in BCP 47 casing");
  collected_free(&c);
  is_int(read_file(&c, &info, data_path("no_pair.tmx"), NULL, NULL), IEUM_OK, "one-language file reads");
  ok(c.n == 0 && info.skipped == 2, "no unit, two skipped: the importer reports it");
  collected_free(&c);
  is_int(read_file(&c, &info, data_path("duplicates.tmx"), NULL, NULL), IEUM_OK, "duplicates read");
  is_int(c.n, 5, "the reader gives every TU (the TM importer merges)");
  collected_free(&c);
}

/* Skipped <tu>s, as told to on_skip: "line:reason;" each. */
typedef struct {
  char text[256];
  size_t n;
} skips;

static void note_skip(const char *path, long line, int reason, void *payload)
{
  skips *k = payload;
  size_t at = strlen(k->text);
  (void)path;
  k->n++;
  if (at < sizeof k->text)
    snprintf(k->text + at, sizeof k->text - at, "%ld:%s;", line, reason == IEUM_TMX_SKIP_EMPTY ? "empty" : "language");
}

/* Units with no text on either side are skipped and counted, never an error. */
static void test_formats_tmx__empty_units(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  skips k;
  memset(&k, 0, sizeof k);
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.on_skip = note_skip;
  o.skip_payload = &k;
  is_int(ieum_tmx_read(&info, data_path("empty_units.tmx"), &o, collect, &c), IEUM_OK, "empty units: the file reads");
  ok(c.n == 2 && !strcmp(c.u[0].src, "비가 온다.") && !strcmp(c.u[1].src, "바람이 분다.") && !strcmp(c.u[1].tgt, ""),
     "the two units with text come through, one with an empty target");
  ok(info.units == 2 && info.empty == 2 && info.skipped == 1, "counts: 2 units, 2 empty, 1 one-language (%zu %zu %zu)",
     info.units, info.empty, info.skipped);
  is_str(k.text, "9:empty;13:empty;14:language;", "on_skip gets the line of each skipped <tu> and why");
  collected_free(&c);

  /* With keep_tags a unit of inline codes only is markup, not empty. */
  memset(&k, 0, sizeof k);
  o.keep_tags = 1;
  is_int(ieum_tmx_read(&info, data_path("empty_units.tmx"), &o, collect, &c), IEUM_OK, "keep_tags: the file reads");
  ok(c.n == 3 && strstr(c.u[1].src, "<ph x=\"1\">") && info.empty == 1, "keep_tags: the codes-only unit is kept as markup");
  is_str(k.text, "9:empty;14:language;", "keep_tags: only the truly empty one is skipped");
  collected_free(&c);

  /* An old caller (options version 1) has no on_skip field: it is not read. */
  ieum_tmx_read_options v1 = IEUM_TMX_READ_OPTIONS_INIT;
  v1.version = 1;
  v1.on_skip = (ieum_tmx_skip_cb)1; /* would crash if called */
  is_int(ieum_tmx_read(&info, data_path("empty_units.tmx"), &v1, collect, &c), IEUM_OK, "version 1 options read");
  collected_free(&c);

  /* Line numbers stay exact past line 65535 (a 16-bit field in libxml2's nodes). */
  char *p = strdup(tmp_path("long.tmx"));
  FILE *f = fopen(p, "wb");
  fputs("<tmx version=\"1.4\"><header srclang=\"ko\"/><body>\n", f);
  for (int i = 0; i < 70000; i++)
    fputs("<!-- filler <tu> -->\n", f);
  fputs("<tu>\n<tuv xml:lang=\"ko\"><seg/></tuv><tuv xml:lang=\"en\"><seg/></tuv></tu>\n", f);
  fputs("<![CDATA[ <tu> ]]><tu\n><tuv xml:lang=\"ko\"><seg>가</seg></tuv></tu>\n</body></tmx>\n", f);
  fclose(f);
  memset(&k, 0, sizeof k);
  o.keep_tags = 0;
  is_int(ieum_tmx_read(&info, p, &o, collect, &c), IEUM_OK, "a long file reads");
  is_str(k.text, "70002:empty;70004:language;", "the lines of <tu>s past line 65535");
  collected_free(&c);
  free(p);

  tmpdir_clean();
}

/* Writes a TMX whose second <tu> (on line 3) has `n` attributes `prefix`N="v". */
static void write_attr_bomb(const char *path, size_t n, const char *prefix)
{
  FILE *f = fopen(path, "wb");
  fputs("<tmx version=\"1.4\"><header srclang=\"ko\"/><body>\n"
        "<tu><tuv xml:lang=\"ko\"><seg>가</seg></tuv><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n<tu",
        f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, " %s%zu=\"v\"", prefix, i);
  fputs("><tuv xml:lang=\"ko\"><seg>나</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n</body></tmx>\n", f);
  fclose(f);
}

/*
** Many attributes in one tag (libxml2 2.9 is quadratic there): refused with
** the line before libxml2 parses the tag.  Without the bound 40,000 take
** seconds and read "fine"; the check here is the result, not the time.
*/
static void test_formats_tmx__attribute_bomb(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  char *p = strdup(tmp_path("bomb.tmx"));
  const ieum_error *e;

  write_attr_bomb(p, 40000, "a");
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "40,000 attributes on one <tu> are ELIMIT");
  e = ieum_error_last();
  ok(e && strstr(e->message, "bomb.tmx:3: <tu> has more than 256 attributes"), "message: %s", e ? e->message : "");
  ok(c.total <= 1, "no unit after the refused tag (%zu)", c.total);

  write_attr_bomb(p, 300, "xmlns:n");
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "300 namespace declarations are ELIMIT too");

  write_attr_bomb(p, 250, "a");
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_OK, "250 attributes read");
  is_int(c.total, 2, "both units");

  /* '=' in comments, CDATA, PIs, values and the DOCTYPE's internal subset are no attributes. */
  FILE *f = fopen(p, "wb");
  fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!-- it's a comment with a quote > -->\n"
        "<!ENTITY e \"x > y\"> <?pi x=\"1\" ?>\n<!ATTLIST tu x CDATA #IMPLIED>\n]>\n"
        "<tmx version=\"1.4\"><header srclang=\"ko\"/><body>\n<!--", f);
  for (int i = 0; i < 1000; i++)
    fputs(" a=1", f);
  fputs("--><?pi", f);
  for (int i = 0; i < 1000; i++)
    fputs(" b=2", f);
  fputs("?><tu x=\"", f);
  for (int i = 0; i < 1000; i++)
    fputs("c=3 ", f);
  fputs("\"><tuv xml:lang=\"ko\"><seg><![CDATA[<x", f);
  for (int i = 0; i < 1000; i++)
    fputs(" d=4", f);
  fputs(">]]></seg></tuv><tuv xml:lang=\"en\"><seg>a=b</seg></tuv></tu>\n</body></tmx>\n", f);
  fclose(f);
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_OK, "'=' outside start tags is not counted");
  ok(c.n == 1 && !strncmp(c.u[0].src, "<x d=4", 6), "and the CDATA comes through");

  /* Defaults declared in the DOCTYPE are added to every tag: they are bounded too. */
  f = fopen(p, "wb");
  fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY x \"y\">\n<!ATTLIST tu\n", f);
  for (int i = 0; i < 40000; i++)
    fprintf(f, " a%d CDATA \"v\"\n", i);
  fputs(">\n]>\n<tmx version=\"1.4\"><header srclang=\"ko\"/><body>\n", f);
  for (int i = 0; i < 20; i++)
    fputs("<tu><tuv xml:lang=\"ko\"><seg>가</seg></tuv><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n", f);
  fputs("</body></tmx>\n", f);
  fclose(f);
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "40,000 attribute defaults in the DOCTYPE are ELIMIT");
  e = ieum_error_last();
  ok(e && strstr(e->message, "bomb.tmx:261: the DOCTYPE declares more than 256 attribute defaults"), "message: %s",
     e ? e->message : "");

  /* One huge attribute value: the start tag's bytes are bounded too. */
  f = fopen(p, "wb");
  fputs("<tmx version=\"1.4\"><header srclang=\"ko\"/><body>\n<tu\n creationid=\"", f);
  for (int i = 0; i < (1 << 20) + 10; i++)
    fputc('x', f);
  fputs("\"><tuv xml:lang=\"ko\"><seg>가</seg></tuv><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu></body></tmx>\n", f);
  fclose(f);
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "a 1 MB start tag is ELIMIT");
  e = ieum_error_last();
  ok(e && strstr(e->message, "bomb.tmx:2: start tag <tu> longer than 1048576 bytes"), "message: %s",
     e ? e->message : "");

  /* UTF-16: the guard reads code units. */
  UErrorCode st = U_ZERO_ERROR;
  size_t len = 0;
  write_attr_bomb(p, 300, "a");
  char *utf8 = slurp(p, &len);
  UConverter *cv = ucnv_open("UTF-16LE", &st);
  size_t cap = 2 * len + 2;
  char *utf16 = malloc(cap);
  utf16[0] = (char)0xFF, utf16[1] = (char)0xFE;
  int32_t n16 = ucnv_fromAlgorithmic(cv, UCNV_UTF8, utf16 + 2, (int32_t)cap - 2, utf8, (int32_t)len, &st);
  ucnv_close(cv);
  write_file(p, utf16, (size_t)n16 + 2);
  is_int(read_file(&c, &info, p, NULL, NULL), IEUM_ELIMIT, "UTF-16LE: 300 attributes are ELIMIT");
  e = ieum_error_last();
  ok(U_SUCCESS(st) && e && strstr(e->message, "bomb.tmx:3: <tu> has more than"), "UTF-16LE message: %s",
     e ? e->message : "");
  free(utf8);
  free(utf16);

  /* The guard alone, fed one byte at a time, sees the same. */
  ieum__xml_guard g;
  const char *doc = "<!DOCTYPE t [<!ENTITY e '>'>]><t><tu a='>' b=\"=\"/><!-- <tu> --><x:tu\n/><tu c=1 d=2 e=3>";
  ieum__xml_guard_init(&g, 2, 100, "tu");
  int rc = 0;
  for (size_t i = 0; doc[i] && !rc; i++)
    rc = ieum__xml_guard_feed(&g, doc + i, 1);
  ok(rc == -1 && g.failed == IEUM__XML_GUARD_ATTRS && g.fail_line == 2 && !strcmp(g.fail_name, "tu"),
     "byte by byte: the third '=' of the last <tu> fails (line %ld, %s)", g.fail_line, g.fail_name);
  long l1 = ieum__xml_guard_take_line(&g), l2 = ieum__xml_guard_take_line(&g), l3 = ieum__xml_guard_take_line(&g);
  ok(l1 == 1 && l2 == 1 && l3 == 2 && ieum__xml_guard_take_line(&g) == 0, "lines of <tu>, <x:tu>, <tu> queued");
  ieum__xml_guard_dispose(&g);

  collected_free(&c);
  free(p);
  tmpdir_clean();
}

/* --tags keep keeps only what the TMX 1.4 DTD allows where it stands; the plain text agrees. */
static void test_formats_tmx__inline_dtd(void)
{
  meta_dump d;
  ieum_tmx_info info;
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.keep_tags = 1;
  memset(&d, 0, sizeof d);
  is_int(ieum_tmx_read_props(&info, data_path("hostile_inline.tmx"), &o, collect_meta, &d), IEUM_OK,
         "hostile inline markup reads");
  is_str(d.src[0], "가 alert(1) 글 <ph x=\"1\" type=\"img\">&lt;img/&gt;</ph>.",
         "xi:include, script and foo lose their markup, ph loses id");
  is_str(d.tgt[0], "A <bpt i=\"1\">&lt;b&gt;</bpt>b<ept i=\"1\">&lt;/b&gt;</ept> ns.",
         "attributes the DTD has not are dropped; a prefixed ph is no TMX code");
  is_str(d.src[1], "직접 없음 <hi type=\"b\">강조안</hi>",
         "sub in seg or hi keeps its text; bpt without i and it with a bad pos go with their content");
  is_str(d.tgt[1],
         "<bpt i=\"2\" type=\"link\">&lt;a href=&quot;x&quot;&gt;inhh<sub datatype=\"html\">sub <ph x=\"4\" "
         "assoc=\"p\">&lt;br/&gt;</ph>s</sub></bpt>link<ept i=\"2\">&lt;/a&gt;</ept><it pos=\"begin\" "
         "x=\"5\">&lt;i&gt;</it><ut x=\"6\">{u}</ut>",
         "bpt and hi inside bpt lose their markup; sub in bpt and ph in sub are kept");
  is_int(d.n, 3, "three units");
  ok(strstr(d.text, "attr:tuid:=3;\n") != NULL, "a unit whose elements were all dropped is plain text (no x-inline)");

  /* Filtering what the filter kept changes nothing. */
  ieum_buf out = IEUM_BUF_INIT;
  int kept = 0;
  is_int(ieum__tmx_inline_clean(&out, &kept, d.tgt[1], strlen(d.tgt[1])), IEUM_OK, "kept markup cleans");
  ok(kept && out.size == strlen(d.tgt[1]) && !memcmp(out.ptr, d.tgt[1], out.size), "and stays the same");
  is_int(ieum__tmx_inline_clean(&out, &kept, "<ph>a", 5), IEUM_EINVAL, "a fragment that is not well-formed");
  const char *ns = "a<xi:include href=\"file:///etc/passwd\"/>b";
  is_int(ieum__tmx_inline_clean(&out, &kept, ns, strlen(ns)), IEUM_OK,
         "an undeclared prefix is only dropped");
  ok(out.size == 2 && !memcmp(out.ptr, "ab", 2) && !kept, "to its text");
  ieum_buf_dispose(&out);

  /* Without keep_tags: the same texts, codes dropped with their content. */
  collected c = { 0 };
  is_int(read_file(&c, &info, data_path("hostile_inline.tmx"), NULL, NULL), IEUM_OK, "drop: reads");
  ok(c.n == 3 && !strcmp(c.u[0].src, "가 alert(1) 글 .") && !strcmp(c.u[0].tgt, "A b ns.") &&
       !strcmp(c.u[1].src, "직접 없음 강조안") && !strcmp(c.u[1].tgt, "link") && !strcmp(c.u[2].tgt, "b"),
     "drop: the plain texts");
  collected_free(&c);

  /* The writer filters stored markup the same way, so every export is valid TMX. */
  char *p = strdup(tmp_path("filtered.tmx"));
  ieum_tmx_writer *w = NULL;
  is_int(ieum_tmx_writer_open(&w, p, NULL), IEUM_OK, "writer opened");
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = "<script>x</script><ph id=\"1\" x=\"2\">p</ph><xi:include href=\"file:///etc/passwd\"/><sub>s</sub>";
  u.src_len = strlen(u.src);
  u.tgt = "<bpt i=\"1\" onclick=\"y\">&lt;b&gt;</bpt>t<ept>&lt;/b&gt;</ept>";
  u.tgt_len = strlen(u.tgt);
  u.created = 1700000000;
  ieum_unit_prop mk[] = { { "attr", "x-inline", NULL, "tmx" } };
  is_int(ieum_tmx_writer_add_props(w, &u, mk, 1), IEUM_OK, "a unit holding markup the DTD has not");
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closed");
  char *t = slurp(p, NULL);
  ok(t && strstr(t, "<seg>x<ph x=\"2\">p</ph>s</seg>") && strstr(t, "<seg><bpt i=\"1\">&lt;b&gt;</bpt>t</seg>") &&
       !strstr(t, "script") && !strstr(t, "passwd") && !strstr(t, "onclick"),
     "written as the DTD allows");
  free(t);

  /* Out of memory anywhere in the filter, on either side: ENOMEM, nothing else. */
  int bad = 0, failures = 0;
  for (long n = 0; n < 400; n++) {
    memset(&d, 0, sizeof d);
    ieum__alloc_fail_after(n);
    int rc = ieum_tmx_read_props(&info, data_path("hostile_inline.tmx"), &o, collect_meta, &d);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK)
      break;
    failures++;
    bad += rc != IEUM_ENOMEM;
  }
  ok(failures > 0 && bad == 0, "keep_tags reader: %d injected failures all give ENOMEM", failures);
  bad = failures = 0;
  for (long n = 0; n < 400; n++) {
    w = NULL;
    ieum__alloc_fail_after(n);
    int rc = ieum_tmx_writer_open(&w, p, NULL);
    if (!rc)
      rc = ieum_tmx_writer_add_props(w, &u, mk, 1);
    if (!rc)
      rc = ieum_tmx_writer_close(w);
    else
      ieum_tmx_writer_free(w);
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK)
      break;
    failures++;
    bad += rc != IEUM_ENOMEM;
  }
  ok(failures > 0 && bad == 0, "markup writer: %d injected failures all give ENOMEM", failures);
  free(p);
  tmpdir_clean();
}

/* ---- fidelity: <tuv> metadata, empty targets, inline code modes, several pairs ---------- */

static void test_formats_tmx__tuv_meta(void)
{
  meta_dump d;
  memset(&d, 0, sizeof d);
  ieum_tmx_info info;
  is_int(ieum_tmx_read_props(&info, data_path("fidelity_meta.tmx"), NULL, collect_meta, &d), IEUM_OK,
         "fidelity_meta.tmx reads");
  is_int(d.n, 5, "five units, the empty target among them");
  const char *first_end = strchr(d.text, '\n');
  char first[2048];
  snprintf(first, sizeof first, "%.*s", first_end ? (int)(first_end - d.text) : 0, d.text);
  is_str(first,
         "attr:tuid:=101;attr:creationid:=kim.editor;attr:changedate:=20240210T120000Z;attr:changeid:=lee.reviewer;"
         "attr:usagecount:=4;attr:lastusagedate:=20240301T080000Z;prop:Txt::Client:=한빛일보;"
         "note::=checked against the print edition;"
         "src-attr:creationdate:=20230105T093000Z;src-attr:creationid:=kim.editor;src-prop:approved:=yes;"
         "src-note::=원문 확인;tgt-attr:changedate:=20240210T120000Z;tgt-attr:changeid:=lee.reviewer;"
         "tgt-prop:approved:=no;",
         "<tu> metadata, then the source <tuv>'s, then the target's, each in document order");
  is_str(d.src[1], "번역이 아직 없는 문장이다.", "the unit of an empty target is read");
  is_str(d.tgt[1], "", "with its target empty");
  is_int(info.empty, 0, "nothing counted as empty");

  /* Written back where they were, and read again the same. */
  const char *out = strdup(tmp_path("meta.tmx"));
  ieum_tmx_writer *w = NULL;
  is_int(ieum_tmx_writer_open(&w, out, NULL), IEUM_OK, "writer opened");
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = "가.";
  u.src_len = strlen(u.src);
  u.tgt = "";
  u.tgt_len = 0;
  u.src_lang = "ko-KR";
  u.tgt_lang = "en-US";
  ieum_unit_prop p[] = { { "attr", "changeid", NULL, "lee" },      { "src-attr", "creationid", NULL, "park" },
                         { "src-prop", "approved", NULL, "yes" },  { "tgt-note", NULL, "en", "to do" },
                         { "tgt-attr", "changedate", NULL, "20240210T120000Z" } };
  is_int(ieum_tmx_writer_add_props(w, &u, p, 5), IEUM_OK, "a unit with <tuv> metadata and an empty target");
  ieum_unit_prop bad[] = { { "src-attr", "segtype", NULL, "block" } };
  is_int(ieum_tmx_writer_add_props(w, &u, bad, 1), IEUM_EINVAL, "an attribute <tuv> has not in TMX 1.4");
  ok(strstr(ieum_error_last()->message, "<tuv> has no attribute \"segtype\""), "message: %s", ieum_error_last()->message);
  is_int(ieum_tmx_writer_close(w), IEUM_OK, "closed");
  char *t = slurp(out, NULL);
  ok(t && strstr(t, "<tuv xml:lang=\"ko-KR\" creationid=\"park\">\n        <prop type=\"approved\">yes</prop>\n"
                    "        <seg>가.</seg>"),
     "source <tuv>: its attribute, its prop, then the segment");
  ok(t && strstr(t, "<tuv xml:lang=\"en-US\" changedate=\"20240210T120000Z\">\n        <note xml:lang=\"en\">to do</note>\n"
                    "        <seg></seg>"),
     "target <tuv>: its attribute and note, and the empty segment");
  free(t);
  memset(&d, 0, sizeof d);
  is_int(ieum_tmx_read_props(NULL, out, NULL, collect_meta, &d), IEUM_OK, "read back");
  is_str(d.text,
         "attr:tuid:=1;attr:creationtool:=ieum;attr:creationtoolversion:=" IEUM_VERSION_STRING
         ";attr:changeid:=lee;src-attr:creationid:=park;src-prop:approved:=yes;"
         "tgt-attr:changedate:=20240210T120000Z;tgt-note::en=to do;\n",
         "the same metadata comes back, each on its side");
  is_str(d.tgt[0], "", "and the empty target");
  free((void *)out);
  tmpdir_clean();
}

/* Reads fidelity_meta.tmx with `tags` and returns unit `k`'s source and target as "SRC|TGT" in buf. */
static const char *tags_unit(char *buf, size_t size, int tags, size_t k)
{
  meta_dump d;
  memset(&d, 0, sizeof d);
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.keep_tags = tags;
  buf[0] = '\0';
  collected c = { 0 };
  ieum_tmx_info info;
  if (ieum_tmx_read(&info, data_path("fidelity_meta.tmx"), &o, collect, &c) == 0 && k < c.n)
    snprintf(buf, size, "%s|%s", c.u[k].src, c.u[k].tgt);
  collected_free(&c);
  return buf;
}

static void test_formats_tmx__tag_modes(void)
{
  char b[1024];
  is_str(tags_unit(b, sizeof b, IEUM_TMX_TAGS_DROP, 2), "파일 을 열 수 없다|cannot open file",
         "drop: a code between words leaves one space, one at the end none");
  is_str(tags_unit(b, sizeof b, IEUM_TMX_TAGS_DROP, 3), "주의 바닥이 미끄럽다|Caution the floor is slippery",
         "drop: codes at the start and inside, no double space");
  is_str(tags_unit(b, sizeof b, IEUM_TMX_TAGS_TEXT, 2), "파일 %s을 열 수 없다|cannot open file %s",
         "text: the codes' content is text, as translate-toolkit reads it");
  is_str(tags_unit(b, sizeof b, IEUM_TMX_TAGS_TEXT, 3),
         "<b>주의</b> 바닥이 {1} 미끄럽다|<b>Caution</b> the floor is {1} slippery", "text: bpt/ept content too");
  is_str(tags_unit(b, sizeof b, IEUM_TMX_TAGS_KEEP, 2),
         "파일 <ph x=\"1\">%s</ph>을 열 수 없다|cannot open file <ph x=\"1\">%s</ph>", "keep: TMX inline markup");
  is_str(tags_unit(b, sizeof b, IEUM_TMX_TAGS_DROP, 4), "첫 문장이다. 둘째 문장이다.|The first sentence. The second sentence.",
         "two <seg>s in a <tuv>: one text, joined by a space");
}

static void test_formats_tmx__all_pairs(void)
{
  collected c = { 0 };
  ieum_tmx_info info;
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.all_pairs = 1;
  is_int(ieum_tmx_read(&info, data_path("fidelity_multi.tmx"), &o, collect, &c), IEUM_OK, "all pairs: reads");
  is_int(c.n, 5, "three pairs of the first unit, two of the second");
  if (c.n == 5) {
    is_str(c.u[0].src_lang, "ko-KR", "the source is the first <tuv>'s language");
    is_str(c.u[0].tgt_lang, "en-US", "first target");
    is_str(c.u[1].tgt_lang, "ja-JP", "second target");
    is_str(c.u[2].tgt_lang, "zh-CN", "third target");
    is_str(c.u[2].tgt, "会谈将在首尔举行。", "its text");
    is_str(c.u[4].tgt_lang, "zh-CN", "a unit without Japanese gives its two pairs");
  }
  collected_free(&c);
  o.tgt_lang = "ja";
  is_int(ieum_tmx_read(&info, data_path("fidelity_multi.tmx"), &o, collect, &c), IEUM_OK, "a target asked for");
  is_int(c.n, 1, "only that pair");
  is_int(info.skipped, 1, "the unit without it skipped");
  collected_free(&c);
  o = (ieum_tmx_read_options)IEUM_TMX_READ_OPTIONS_INIT;
  is_int(ieum_tmx_read(&info, data_path("fidelity_multi.tmx"), &o, collect, &c), IEUM_OK, "without all_pairs");
  is_int(c.n, 2, "one unit per <tu>, as before");
  collected_free(&c);
  /* Same-primary varieties are targets, a plain tag of the source's language is not. */
  static const char varieties[] =
    "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"en-US\" creationtool=\"t\" creationtoolversion=\"1\""
    " datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" o-tmf=\"t\"/><body><tu>"
    "<tuv xml:lang=\"en-US\"><seg>color</seg></tuv><tuv xml:lang=\"en\"><seg>colour?</seg></tuv>"
    "<tuv xml:lang=\"en-GB\"><seg>colour</seg></tuv><tuv xml:lang=\"ko-KR\"><seg>색</seg></tuv></tu></body></tmx>";
  write_file(tmp_path("var.tmx"), varieties, strlen(varieties));
  o.all_pairs = 1;
  is_int(ieum_tmx_read(&info, tmp_path("var.tmx"), &o, collect, &c), IEUM_OK, "varieties: reads");
  is_int(c.n, 2, "en-US -> en-GB and en-US -> ko-KR, not en");
  if (c.n == 2) {
    is_str(c.u[0].tgt, "colour", "en-GB's text");
    is_str(c.u[1].tgt_lang, "ko-KR", "then Korean");
  }
  collected_free(&c);
  /* 64 targets and the source read; one more language fails the file rather than being dropped. */
  for (int langs = 64; langs <= 65; langs++) {
    ieum_buf x = IEUM_BUF_INIT;
    ieum__buf_puts(&x, "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"ko\"/><body><tu>"
                       "<tuv xml:lang=\"ko\"><seg>가</seg></tuv>");
    for (int i = 0; i < langs; i++)
      ieum__buf_printf(&x, "<tuv xml:lang=\"%c%c\"><seg>t%d</seg></tuv>", 'a' + i / 26, 'a' + i % 26, i);
    ieum__buf_puts(&x, "</tu></body></tmx>");
    write_file(tmp_path("many.tmx"), x.ptr, x.size);
    ieum_buf_dispose(&x);
    int rc = ieum_tmx_read(&info, tmp_path("many.tmx"), &o, collect, &c);
    if (langs == 64)
      ok(rc == IEUM_OK && c.total == 64, "64 target languages: 64 units (rc %d, %zu)", rc, c.total);
    else
      ok(rc == IEUM_ELIMIT && strstr(ieum_error_last()->message, "more than 65 languages"),
         "a 65th target fails the file, naming the limit: %s", rc ? ieum_error_last()->message : "no error");
    collected_free(&c);
  }
  tmpdir_clean();
}

/* ---- the reader in its own thread (ieum_tmx_read_options.threaded) ---------------------- */

/* Everything a read gave, in order: each unit with its props, each skip, then the result and info. */
typedef struct {
  ieum_buf log;
  size_t units, stop_after; /* return 9 from the callback after stop_after units; 0 = never */
} trace;

static int trace_unit(const ieum_unit *u, const ieum_unit_prop *p, size_t n, void *payload)
{
  trace *t = payload;
  ieum__buf_printf(&t->log, "U %lld|%.*s|%.*s|%s|%s|%.4f|%s|%s|%lld|%lld|%s|%s|%zu\n", (long long)u->id,
                   (int)u->src_len, u->src, (int)u->tgt_len, u->tgt, u->src_lang ? u->src_lang : "-",
                   u->tgt_lang ? u->tgt_lang : "-", u->score, u->bead ? u->bead : "-", u->document ? u->document : "-",
                   (long long)u->position, (long long)u->created, u->note ? u->note : "-", u->role ? u->role : "-", n);
  for (size_t i = 0; i < n; i++)
    ieum__buf_printf(&t->log, "  %s:%s:%s=%s\n", p[i].kind, p[i].type ? p[i].type : "-", p[i].lang ? p[i].lang : "-",
                     p[i].value ? p[i].value : "-");
  t->units++;
  return t->stop_after && t->units == t->stop_after ? 9 : 0;
}

static void trace_skip(const char *path, long line, int reason, void *payload)
{
  trace *t = payload;
  ieum__buf_printf(&t->log, "S %s:%ld %d\n", path, line, reason);
}

/* One read of `path`, threaded or not, as text: every callback, then the result, the error and the info. */
static char *read_traced(const char *path, int threaded, int all_pairs, int keep, size_t stop_after)
{
  trace t = { IEUM_BUF_INIT, 0, stop_after };
  ieum_tmx_read_options o = IEUM_TMX_READ_OPTIONS_INIT;
  o.on_skip = trace_skip;
  o.skip_payload = &t;
  o.all_pairs = all_pairs;
  o.keep_tags = keep;
  o.threaded = threaded;
  ieum_tmx_info info;
  ieum_error_clear();
  int rc = ieum_tmx_read_props(&info, path, &o, trace_unit, &t);
  const ieum_error *e = ieum_error_last();
  ieum__buf_printf(&t.log, "rc %d error %s\n", rc, rc && rc != 9 && e ? e->message : "-");
  if (rc == 0 || rc == 9)
    ieum__buf_printf(&t.log, "info %zu %zu %zu %s %s\n", info.units, info.skipped, info.empty, info.src_lang,
                     info.tgt_lang);
  return ieum__buf_detach(&t.log);
}

static void test_formats_tmx__threaded(void)
{
  /* A file of several batches: props, notes, tuv metadata, skipped and empty <tu>s, three languages. */
  const char *big = strdup(tmp_path("threaded.tmx"));
  FILE *f = fopen(big, "w");
  ok(f != NULL, "a file of 3,000 <tu>s made");
  if (f) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"t\" "
          "creationtoolversion=\"1\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"ko\" "
          "o-tmf=\"t\"/>\n<body>\n",
          f);
    for (int i = 0; i < 3000; i++) {
      if (i % 97 == 5)
        fprintf(f, "<tu><tuv xml:lang=\"ko\"><seg>짝 없는 %d</seg></tuv></tu>\n", i);
      else if (i % 101 == 7)
        fprintf(f, "<tu><tuv xml:lang=\"ko\"><seg></seg></tuv><tuv xml:lang=\"en\"><seg/></tuv></tu>\n");
      else
        fprintf(f,
                "<tu tuid=\"t%d\" creationdate=\"20240101T000000Z\" changeid=\"kim\"><prop type=\"x-document\">a%d.txt"
                "</prop><prop type=\"x-position\">%d</prop>%s<tuv xml:lang=\"ko\" creationid=\"lee\"><note>메모 %d</note>"
                "<seg>문장 %d &amp; <ph>%%s</ph> 끝</seg></tuv><tuv xml:lang=\"en\"><seg>Sentence %d &lt;b&gt;</seg>"
                "</tuv>%s</tu>\n",
                i, i / 40, i % 40, i % 3 ? "" : "<note>checked</note><prop type=\"x-client\">client</prop>", i, i, i,
                i % 4 ? "" : "<tuv xml:lang=\"fr\"><seg>Phrase</seg></tuv>");
    }
    fputs("</body>\n</tmx>\n", f);
    fclose(f);
  }
  int same = 0, cases = 0;
  for (int all = 0; all < 2; all++)
    for (int keep = 0; keep < 3; keep++) {
      char *a = read_traced(big, 0, all, keep, 0), *b = read_traced(big, 1, all, keep, 0);
      same += a && b && !strcmp(a, b) && strlen(a) > 100000;
      cases++;
      free(a);
      free(b);
    }
  is_int(same, cases, "3,000 <tu>s: the same units, props, skips and counts threaded, in each tag mode, all pairs or not");
  size_t stops[] = { 1, 511, 512, 513, 2000 };
  same = 0;
  for (size_t k = 0; k < sizeof stops / sizeof *stops; k++) {
    char *a = read_traced(big, 0, 1, 0, stops[k]), *b = read_traced(big, 1, 1, 0, stops[k]);
    same += a && b && !strcmp(a, b) && strstr(a, "rc 9 ");
    if (!(a && b && !strcmp(a, b) && strstr(a, "rc 9 ")))
      diag("stop %zu: %s ... %s", stops[k], a ? a + (strlen(a) > 300 ? strlen(a) - 300 : 0) : "NULL",
           b ? b + (strlen(b) > 300 ? strlen(b) - 300 : 0) : "NULL");
    free(a);
    free(b);
  }
  is_int(same, 5, "a callback that stops (after 1, 511, 512, 513, 2000 units): stopped there, its value returned");

  /* Every fixture, the broken ones too: the same units before the same error. */
  static const char *const fixtures[] = { "all_empty.tmx", "all_srclang.tmx", "duplicates.tmx", "empty_units.tmx",
                                          "fidelity_meta.tmx", "fidelity_multi.tmx", "hostile_inline.tmx",
                                          "inline.tmx", "lang_cases.tmx", "mixed_case.tmx", "no_pair.tmx",
                                          "not_xml.tmx", "props_notes.tmx", "root_not_tmx.tmx", "target_first.tmx",
                                          "three_langs.tmx", "tmx11_lang.tmx", "truncated.tmx", "utf16be_bom.tmx",
                                          "utf16le_bom.tmx", "xxe.tmx", "no_such_file.tmx" };
  size_t n = sizeof fixtures / sizeof *fixtures, equal = 0;
  for (size_t k = 0; k < n; k++) {
    char *a = read_traced(data_path(fixtures[k]), 0, 1, 1, 0), *b = read_traced(data_path(fixtures[k]), 1, 1, 1, 0);
    if (a && b && !strcmp(a, b))
      equal++;
    else
      diag("%s differs:\n%s---\n%s", fixtures[k], a ? a : "NULL", b ? b : "NULL");
    free(a);
    free(b);
  }
  is_int(equal, n, "each of %zu fixtures (errors included) reads the same threaded", n);
  /* A file cut in the middle of a unit after several batches: the same units, then the same error. */
  const char *cut = strdup(tmp_path("cut.tmx"));
  FILE *in = fopen(big, "rb"), *outf = fopen(cut, "wb");
  if (in && outf) {
    char buf[65536];
    size_t got, total = 0;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0 && total < 700000) {
      fwrite(buf, 1, got, outf);
      total += got;
    }
  }
  if (in)
    fclose(in);
  if (outf)
    fclose(outf);
  char *a = read_traced(cut, 0, 0, 0, 0), *b = read_traced(cut, 1, 0, 0, 0);
  ok(a && b && !strcmp(a, b) && strstr(a, "rc 3 ") == NULL && strstr(a, "error -") == NULL,
     "a truncated file: the same units before the same error");
  free(a);
  free(b);
  free((void *)big);
  free((void *)cut);
  tmpdir_clean();
}

int main(void)
{
  if (!mkdtemp(tmpdir)) {
    printf("Bail out! mkdtemp: %s\n", strerror(errno));
    return 1;
  }
  test_formats_tmx__roundtrip();
  test_formats_tmx__dtd();
  test_formats_tmx__invalid_text();
  test_formats_tmx__abandon();
  test_formats_tmx__write_error();
  test_formats_tmx__oom();
  test_formats_tmx__tmx11();
  test_formats_tmx__bom();
  test_formats_tmx__languages();
  test_formats_tmx__inline();
  test_formats_tmx__errors();
  test_formats_tmx__no_entity_expansion();
  test_formats_tmx__callback_stop();
  test_formats_tmx__limit();
  test_formats_tmx__many();
  test_formats_tmx__shared();
  test_formats_tmx__props_notes();
  test_formats_tmx__writer_props();
  test_formats_tmx__exact_bytes();
  test_formats_tmx__fixtures_utf16_langs();
  test_formats_tmx__empty_units();
  test_formats_tmx__attribute_bomb();
  test_formats_tmx__inline_dtd();
  test_formats_tmx__tuv_meta();
  test_formats_tmx__tag_modes();
  test_formats_tmx__all_pairs();
  test_formats_tmx__threaded();
  tmpdir_clean();
  rmdir(tmpdir);
  return done_testing();
}
