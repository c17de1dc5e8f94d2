/*
** tests/unit/formats_export.c: the export API (ieum_export_*) in its line
** formats: TSV, JSONL and Moses, plus TMX and XLIFF through the same calls.
**
** Each case exports a few units written here into a temporary directory
** (mkdtemp under /tmp, removed at the end) and compares the files byte for
** byte: escaping, scores without locale, units of another language pair
** skipped, markup units reduced to plain text, no file left on failure.
** Roles: the unit's role in every format (TMX x-role read back by the TMX
** reader, JSONL "role", XLIFF x-role), the roles filter and its parser.
** Error paths: unknown format name, unwritable path, a moses export to
** standard output, invalid UTF-8, OOM.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static char tmpdir[] = "/tmp/ieum-export-XXXXXX";
static char path_buf[4096];

static const char *tmp_path(const char *name)
{
  snprintf(path_buf, sizeof path_buf, "%s/%s", tmpdir, name);
  return path_buf;
}

static int tmpdir_entries(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d)) != NULL)
    n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  if (d)
    closedir(d);
  return n;
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

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = calloc(1, 1 << 16);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static ieum_unit unit(const char *src, const char *tgt, double score)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.src_lang = "ko-KR";
  u.tgt_lang = "en";
  u.score = score;
  return u;
}

/* Exports the sample units in `format` to `path`; returns the first error. */
static int export_sample(int format, const char *path, size_t *skipped)
{
  ieum_export *e = NULL;
  ieum_export_options o = IEUM_EXPORT_OPTIONS_INIT;
  o.format = format;
  int rc = ieum_export_open(&e, path, &o);
  if (rc)
    return rc;
  ieum_unit a = unit("탭\t과 줄\n바꿈 \\ 기호", "Tab\tand line\nbreak \\ sign", 0.93125);
  a.bead = "1-1";
  a.document = "d.txt";
  a.position = 3;
  a.created = 1700000000;
  ieum_unit b = unit("점수 없음", "No \"score\"", -1);
  ieum_unit c = unit("日本語", "Japanese", 0.5);
  c.src_lang = "ja";
  ieum_unit d = unit("<hi>굵게</hi> &amp; <ph>&lt;br/&gt;</ph>끝", "<hi>Bold</hi> &amp; <ph>&lt;br/&gt;</ph>end", 1);
  ieum_unit_prop pd[] = { { "attr", "x-inline", NULL, "tmx" }, { "note", NULL, "en", "n1" } };
  if (!(rc = ieum_export_add(e, &a, NULL, 0)) && !(rc = ieum_export_add(e, &b, NULL, 0)) &&
      !(rc = ieum_export_add(e, &c, NULL, 0)) && !(rc = ieum_export_add(e, &d, pd, 2))) {
    if (skipped)
      *skipped = ieum_export_skipped(e);
    return ieum_export_close(e);
  }
  ieum_export_free(e);
  return rc;
}

static void test_formats_export__names(void)
{
  int f = -1;
  is_int(ieum_export_format_from_name(&f, "xliff"), IEUM_OK, "xliff is a format");
  is_int(f, IEUM_EXPORT_XLIFF, "its number");
  is_int(ieum_export_format_from_name(&f, "moses"), IEUM_OK, "moses is a format");
  is_int(ieum_export_format_from_name(&f, "csv"), IEUM_EINVAL, "csv is not");
  is_str(ieum_error_last()->message, "unknown format 'csv' (tmx, tsv, jsonl, xliff or moses)", "message lists them");
}

static void test_formats_export__tsv(void)
{
  size_t skipped = 0;
  is_int(export_sample(IEUM_EXPORT_TSV, tmp_path("out.tsv"), &skipped), IEUM_OK, "TSV written");
  char *t = slurp(tmp_path("out.tsv"));
  is_str(t,
         "탭\\t과 줄\\n바꿈 \\\\ 기호\tTab\\tand line\\nbreak \\\\ sign\t0.9313\n"
         "점수 없음\tNo \"score\"\t\n"
         "굵게 & 끝\tBold & end\t1.0000\n",
         "escapes, 4-decimal scores, empty unknown score, markup reduced to text");
  is_int(skipped, 1, "the ja unit is of another pair: skipped");
  free(t);
  is_int(tmpdir_entries(), 1, "no temporary file left");
  tmpdir_clean();
}

static void test_formats_export__jsonl(void)
{
  is_int(export_sample(IEUM_EXPORT_JSONL, tmp_path("out.jsonl"), NULL), IEUM_OK, "JSONL written");
  char *t = slurp(tmp_path("out.jsonl"));
  is_str(t,
         "{\"src\":\"탭\\t과 줄\\n바꿈 \\\\ 기호\",\"tgt\":\"Tab\\tand line\\nbreak \\\\ sign\",\"src_lang\":\"ko-KR\","
         "\"tgt_lang\":\"en\",\"score\":0.9313,\"bead\":\"1-1\",\"document\":\"d.txt\",\"position\":3,"
         "\"created\":\"2023-11-14T22:13:20Z\"}\n"
         "{\"src\":\"점수 없음\",\"tgt\":\"No \\\"score\\\"\",\"src_lang\":\"ko-KR\",\"tgt_lang\":\"en\"}\n"
         "{\"src\":\"日本語\",\"tgt\":\"Japanese\",\"src_lang\":\"ja\",\"tgt_lang\":\"en\",\"score\":0.5000}\n"
         "{\"src\":\"<hi>굵게</hi> &amp; <ph>&lt;br/&gt;</ph>끝\",\"tgt\":\"<hi>Bold</hi> &amp; <ph>&lt;br/&gt;</ph>end\","
         "\"src_lang\":\"ko-KR\",\"tgt_lang\":\"en\",\"score\":1.0000,\"props\":[{\"kind\":\"attr\",\"type\":\"x-inline\","
         "\"value\":\"tmx\"},{\"kind\":\"note\",\"lang\":\"en\",\"value\":\"n1\"}]}\n",
         "every unit, every known field, props as a list, markup kept (JSONL is lossless)");
  free(t);
  tmpdir_clean();
}

static void test_formats_export__moses(void)
{
  size_t skipped = 0;
  is_int(export_sample(IEUM_EXPORT_MOSES, tmp_path("corpus"), &skipped), IEUM_OK, "Moses files written");
  char *s = slurp(tmp_path("corpus.ko"));
  char *t = slurp(tmp_path("corpus.en"));
  is_str(s, "탭 과 줄 바꿈 \\ 기호\n점수 없음\n굵게 & 끝\n", "source file: breaks and tabs become spaces");
  is_str(t, "Tab and line break \\ sign\nNo \"score\"\nBold & end\n", "target file, line for line");
  is_int(skipped, 1, "ja unit skipped");
  free(s);
  free(t);
  ieum_export *e = NULL;
  ieum_export_options o = IEUM_EXPORT_OPTIONS_INIT;
  o.format = IEUM_EXPORT_MOSES;
  is_int(ieum_export_open(&e, "-", &o), IEUM_EINVAL, "moses to standard output is refused");
  is_str(ieum_error_last()->message, "moses: a file name prefix is needed, not '-'", "message");
  ok(e == NULL, "*out stays NULL");
  tmpdir_clean();
}

static void test_formats_export__tmx_and_xliff(void)
{
  is_int(export_sample(IEUM_EXPORT_TMX, tmp_path("out.tmx"), NULL), IEUM_OK, "TMX through the same API");
  char *t = slurp(tmp_path("out.tmx"));
  ok(t && strstr(t, "srclang=\"ko-KR\"") && !strstr(t, "日本語") &&
       strstr(t, "<seg><hi>Bold</hi> &amp; <ph>&lt;br/&gt;</ph>end</seg>") && strstr(t, "<note xml:lang=\"en\">n1</note>"),
     "TMX has the pair's units (the ja one skipped), markup written as markup, the note kept");
  size_t n_ko = 0, n_en = 0, n_tuv = 0;
  for (const char *p = t; p && (p = strstr(p, "<tuv xml:lang=\"")) != NULL; p++, n_tuv++) {
    n_ko += !strncmp(p + 15, "ko-KR\"", 6);
    n_en += !strncmp(p + 15, "en-US\"", 6);
  }
  ok(n_tuv == 6 && n_ko == 3 && n_en == 3, "ko-KR and en units: every <tuv> region-coded, ko-KR and en-US");
  free(t);
  ieum_export *e = NULL;
  ieum_export_options o = IEUM_EXPORT_OPTIONS_INIT;
  o.plain_tags = 1;
  ieum_unit u = unit("하나", "One", 1);
  is_int(ieum_export_open(&e, tmp_path("plain.tmx"), &o), IEUM_OK, "plain tags");
  is_int(ieum_export_add(e, &u, NULL, 0), IEUM_OK, "a ko-KR -> en unit");
  is_int(ieum_export_close(e), IEUM_OK, "closed");
  t = slurp(tmp_path("plain.tmx"));
  ok(t && strstr(t, "srclang=\"ko\"") && strstr(t, "<tuv xml:lang=\"ko\">") && strstr(t, "<tuv xml:lang=\"en\">") &&
       !strstr(t, "-KR") && !strstr(t, "-US"),
     "plain tags: ko and en");
  free(t);
  o.src_lang = "en-US";
  o.tgt_lang = "en-GB";
  u.src_lang = "en-US";
  u.tgt_lang = "en-GB";
  is_int(ieum_export_open(&e, tmp_path("plain2.tmx"), &o), IEUM_OK, "plain tags, en-US -> en-GB");
  is_int(ieum_export_add(e, &u, NULL, 0), IEUM_OK, "an en-US -> en-GB unit");
  is_int(ieum_export_close(e), IEUM_OK, "closed");
  t = slurp(tmp_path("plain2.tmx"));
  ok(t && strstr(t, "srclang=\"en-US\"") && strstr(t, "<tuv xml:lang=\"en-GB\">"), "one language's pair keeps its regions");
  free(t);
  is_int(export_sample(IEUM_EXPORT_XLIFF, tmp_path("out.xlf"), NULL), IEUM_OK, "XLIFF through the same API");
  t = slurp(tmp_path("out.xlf"));
  ok(t && strstr(t, "<source>굵게 &amp; 끝</source>") && !strstr(t, "日本語"),
     "XLIFF: plain text, other pair skipped");
  free(t);
  tmpdir_clean();
}

static void test_formats_export__errors(void)
{
  ieum_export *e = NULL;
  ieum_export_options o = IEUM_EXPORT_OPTIONS_INIT;
  o.format = IEUM_EXPORT_TSV;
  is_int(ieum_export_open(&e, "/nonexistent-dir/x.tsv", &o), IEUM_EIO, "unwritable path");
  is_str(ieum_error_last()->message, "/nonexistent-dir/x.tsv: cannot create the file: No such file or directory",
         "message names the file and the reason");
  o.format = IEUM_EXPORT_JSONL;
  o.src_lang = "";
  is_int(ieum_export_open(&e, tmp_path("x.jsonl"), &o), IEUM_EINVAL, "empty language");
  o.src_lang = NULL;
  is_int(ieum_export_open(&e, tmp_path("x.tsv"), &o), IEUM_OK, "opened");
  ieum_unit bad = unit("\xff\xfe", "x", 1);
  is_int(ieum_export_add(e, &bad, NULL, 0), IEUM_EINVAL, "invalid UTF-8 refused");
  ok(strstr(ieum_error_last()->message, "invalid UTF-8"), "message: %s", ieum_error_last()->message);
  ieum_unit_prop broken[] = { { "attr", "x-inline", NULL, "tmx" } };
  ieum_unit u = unit("<b>열림", "open", 1);
  o.format = IEUM_EXPORT_TSV;
  ieum_export *f = NULL;
  is_int(ieum_export_open(&f, tmp_path("y.tsv"), &o), IEUM_OK, "TSV opened");
  is_int(ieum_export_add(f, &u, broken, 1), IEUM_EINVAL, "malformed markup refused");
  ok(strstr(ieum_error_last()->message, "not well-formed"), "message: %s", ieum_error_last()->message);
  ieum_export_free(f);
  ieum_export_free(e);
  is_int(tmpdir_entries(), 0, "abandoned exports leave no file");
  ieum_export_free(NULL);
}

static void test_formats_export__oom(void)
{
  int clean = 1, tries = 0;
  for (long n = 0; n < 100; n++) {
    ieum__alloc_fail_after(n);
    int rc = export_sample(IEUM_EXPORT_JSONL, tmp_path("oom.jsonl"), NULL);
    ieum__alloc_fail_after(-1);
    tries++;
    if (rc && rc != IEUM_ENOMEM)
      clean = 0;
    if (rc == IEUM_OK)
      break;
    if (tmpdir_entries() != 0)
      clean = 0;
  }
  ok(clean && tries > 1, "every failed allocation gives ENOMEM and leaves no file (%d tries)", tries);
  tmpdir_clean();
}

/* Exports five units of roles headline, body, none, byline and an unknown one with `roles`. */
static int export_roles(int format, const char *path, unsigned roles, size_t *count, size_t *left_out)
{
  static const char *const role[] = { "headline", "body", NULL, "byline", "sidebar" };
  static const char *const text[][2] = { { "부산 해상 공원 개장", "Busan opens a floating park" },
                                         { "공원은 다음 달 연다.", "The park opens next month." },
                                         { "입장료는 없다.", "Admission is free." },
                                         { "[이음뉴스 박서연 기자]", "By Park Seo-yeon" },
                                         { "관련 기사", "Related" } };
  ieum_export *e = NULL;
  ieum_export_options o = IEUM_EXPORT_OPTIONS_INIT;
  o.format = format;
  o.roles = roles;
  int rc = ieum_export_open(&e, path, &o);
  for (int k = 0; k < 5 && rc == 0; k++) {
    ieum_unit u = unit(text[k][0], text[k][1], -1);
    u.role = role[k];
    rc = ieum_export_add(e, &u, NULL, 0);
  }
  if (rc) {
    ieum_export_free(e);
    return rc;
  }
  *count = ieum_export_count(e);
  *left_out = ieum_export_role_skipped(e);
  return ieum_export_close(e);
}

static int collect_role(const ieum_unit *u, void *payload)
{
  ieum__buf_puts(payload, u->role ? u->role : "(none)");
  return ieum__buf_putc(payload, ' ');
}

static void test_formats_export__roles(void)
{
  unsigned r = 0;
  size_t n = 0, left = 0;
  is_int(ieum_export_roles_parse(&r, "body,headline"), IEUM_OK, "body,headline parses");
  is_int((int)r, (int)IEUM_EXPORT_ROLES_DEFAULT, "the default set");
  is_int(ieum_export_roles_parse(&r, "Caption,furniture"), IEUM_OK, "names are case-insensitive");
  is_int((int)r, (1 << IEUM_ROLE_CAPTION) | (1 << IEUM_ROLE_FURNITURE), "their bits");
  is_int(ieum_export_roles_parse(&r, "all"), IEUM_OK, "all");
  ok(r == IEUM_EXPORT_ROLES_ALL, "every bit");
  is_int(ieum_export_roles_parse(&r, "body,sidebar"), IEUM_EINVAL, "an unknown role: IEUM_EINVAL");
  is_str(ieum_error_last()->message,
         "unknown role 'sidebar' (body, headline, byline, caption, credit, dateline, related, furniture or all)",
         "the message names it and lists the roles");
  is_int(ieum_export_roles_parse(&r, "body,"), IEUM_EINVAL, "an empty item: IEUM_EINVAL");
  is_int(ieum_export_roles_parse(&r, ""), IEUM_EINVAL, "an empty list: IEUM_EINVAL");

  is_int(export_roles(IEUM_EXPORT_JSONL, tmp_path("r.jsonl"), IEUM_EXPORT_ROLES_DEFAULT, &n, &left), IEUM_OK,
         "JSONL, body and headline");
  is_int((int)n, 3, "headline, body and the unit of no role (body) written");
  is_int((int)left, 2, "byline and the unknown role left out");
  char *t = slurp(tmp_path("r.jsonl"));
  ok(t && strstr(t, "\"tgt_lang\":\"en\",\"role\":\"headline\"}") && strstr(t, "\"role\":\"body\"") &&
     !strstr(t, "Park Seo-yeon"), "each unit's role as \"role\", none for the unit without one");
  free(t);
  is_int(export_roles(IEUM_EXPORT_XLIFF, tmp_path("r.xlf"), 1u << IEUM_ROLE_BYLINE, &n, &left), IEUM_OK,
         "XLIFF, bylines only");
  is_int((int)n, 1, "one unit");
  t = slurp(tmp_path("r.xlf"));
  ok(t && strstr(t, "<mda:meta type=\"x-role\">byline</mda:meta>") && !strstr(t, "floating"),
     "the byline with its x-role meta, nothing else");
  free(t);
  is_int(export_roles(IEUM_EXPORT_TMX, tmp_path("r.tmx"), 0, &n, &left), IEUM_OK, "TMX, roles 0: every unit");
  is_int((int)n, 5, "five units");
  is_int((int)left, 0, "none left out");
  t = slurp(tmp_path("r.tmx"));
  ok(t && strstr(t, "<prop type=\"x-role\">headline</prop>") && strstr(t, "<prop type=\"x-role\">sidebar</prop>"),
     "x-role props, an unknown role kept as it is");
  free(t);
  ieum_buf got = IEUM_BUF_INIT;
  is_int(ieum_tmx_read(NULL, tmp_path("r.tmx"), NULL, collect_role, &got), IEUM_OK, "read back");
  is_str(got.ptr ? got.ptr : "", "headline body (none) byline sidebar ", "the TMX reader gives each unit its role");
  ieum_buf_dispose(&got);
}

int main(void)
{
  if (!mkdtemp(tmpdir))
    skip_all("cannot make a temporary directory");
  test_formats_export__names();
  test_formats_export__tsv();
  test_formats_export__jsonl();
  test_formats_export__moses();
  test_formats_export__tmx_and_xliff();
  test_formats_export__errors();
  test_formats_export__oom();
  test_formats_export__roles();
  tmpdir_clean();
  rmdir(tmpdir);
  return done_testing();
}
