/*
** tests/unit/align_srx.c: SRX 2.0 rule sets (align/srx.c): reading, language
** maps and cascading, OmegaT's rule semantics (first deciding rule wins),
** OmegaT's default rules as written in tests/data/segment/omegat_en.srx, the
** same against OmegaT's own file in ../shared when it is there, bad files
** with their messages, rules that run into ICU's time or stack limit, and
** allocation failures.
*/
#include <stdlib.h>
#include <time.h>

#include "tap.h"
#include "align/align_int.h"

/* A small rule set: English exceptions, then a generic rule, cascading or not. */
#define SRX_HEAD(cascade)                                                                                  \
  "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n"                  \
  "<header cascade=\"" cascade "\"/>\n<body><languagerules>\n"                                            \
  "<languagerule languagerulename=\"En\">"                                                                \
  "<rule break=\"no\"><beforebreak>\\bDr\\.</beforebreak><afterbreak>\\s</afterbreak></rule>"            \
  "</languagerule>\n"                                                                                      \
  "<languagerule languagerulename=\"Any\">"                                                               \
  "<rule><beforebreak>[.?!]+</beforebreak><afterbreak>\\s</afterbreak></rule>"                            \
  "</languagerule>\n</languagerules><maprules>"                                                            \
  "<languagemap languagepattern=\"en.*\" languagerulename=\"En\"/>"                                      \
  "<languagemap languagepattern=\".*\" languagerulename=\"Any\"/>"                                       \
  "</maprules></body></srx>\n"

static ieum_srx *parse(const char *xml)
{
  ieum_srx *srx = NULL;
  int rc = ieum_srx_parse(&srx, xml, strlen(xml), "test.srx");
  if (rc)
    ok(0, "ieum_srx_parse failed: %d %s", rc, ieum_error_last()->message);
  return srx;
}

/* The segments of `text` with `srx`, joined by '|'; caller frees. */
static char *split(const ieum_srx *srx, const char *text, const char *lang)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  ieum_buf b = IEUM_BUF_INIT;
  o.lang = lang;
  o.srx = srx;
  int rc = ieum_doc_new(&d, text, strlen(text), &o);
  if (rc) {
    ieum__buf_printf(&b, "error %d: %s", rc, ieum_error_last()->message);
    return ieum__buf_detach(&b);
  }
  for (size_t i = 0; i < ieum_doc_count(d); i++) {
    const ieum_segment *s = ieum_doc_segment(d, i);
    ieum__buf_printf(&b, "%s%s", i ? "|" : "", s->text);
    if (s->role != IEUM_ROLE_BODY)
      ieum__buf_puts(&b, "<not body>");
  }
  ieum_doc_free(d);
  if (!b.ptr)
    ieum__buf_puts(&b, "");
  return ieum__buf_detach(&b);
}

static void check(const ieum_srx *srx, const char *text, const char *lang, const char *want, const char *what)
{
  char *got = split(srx, text, lang);
  is_str(got, want, "%s", what);
  ieum__free(got);
}

static void test_align_srx__cascade(void)
{
  ieum_srx *yes = parse(SRX_HEAD("yes")), *no = parse(SRX_HEAD("no"));
  if (!yes || !no)
    return;
  is_int(ieum_srx_rule_count(yes, "en-US"), 2, "cascade: en gets its rule and the generic one");
  is_int(ieum_srx_rule_count(yes, "EN"), 2, "language patterns match case-insensitively");
  is_int(ieum_srx_rule_count(yes, "ko"), 1, "ko gets the generic rule only");
  is_int(ieum_srx_rule_count(no, "en"), 1, "no cascade: only the first matching map");
  check(yes, "Dr. Kim came. He left! Why? No.", "en", "Dr. Kim came.|He left!|Why?|No.",
        "the first rule deciding a position wins");
  check(yes, "Dr. Kim came.", "ko", "Dr.|Kim came.", "the English exception does not apply to ko");
  check(no, "Dr. Kim came. He left.", "en", "Dr. Kim came. He left.", "without cascade en has no break rule");
  check(yes, "Wait... what?! Yes.\nNext line. Two.", "en", "Wait...|what?!|Yes.|Next line.|Two.",
        "a run of marks breaks once, after its end; every line is a paragraph");
  check(yes, "그는 “떠나자.”라고 했다. 정말? 응.", "ko", "그는 “떠나자.”라고 했다.|정말?|응.",
        "no white space after the mark, no break");
  ieum_srx_free(yes);
  ieum_srx_free(no);
}

static void test_align_srx__rules(void)
{
  /* an empty afterbreak matches everywhere; a rule with only afterbreak breaks before it */
  const char *xml = "<srx version=\"2.0\"><header cascade=\"no\"/><body><languagerules>"
                    "<languagerule languagerulename=\"x\">"
                    "<rule break=\"no\"><beforebreak>\\d\\.</beforebreak></rule>"
                    "<rule><beforebreak>;</beforebreak><afterbreak></afterbreak></rule>"
                    "<rule><afterbreak>&#x2022;</afterbreak></rule>"
                    "<rule><beforebreak>\\.</beforebreak><afterbreak> </afterbreak></rule>"
                    "</languagerule></languagerules><maprules>"
                    "<languagemap languagepattern=\".*\" languagerulename=\"x\"/></maprules></body></srx>";
  ieum_srx *srx = parse(xml);
  if (!srx)
    return;
  check(srx, "a;b. 3. c. d", NULL, "a;|b.|3. c.|d", "no-break rule without afterbreak, empty afterbreak");
  check(srx, "one \xE2\x80\xA2two", NULL, "one|\xE2\x80\xA2two", "a rule with afterbreak only");
  ieum_srx_free(srx);
}

static void test_align_srx__omegat(void)
{
  static const char en[] = "Dr. Watson met Mr. Holmes at 5 p.m. yesterday. They talked about No. 7, e.g. the "
                           "case of the missing ring... it was odd. Was it? Yes! See fig. 3 and St. Paul.\n"
                           "2. Results and the U.K. Parliament.\n";
  static const char want_en[] = "Dr. Watson met Mr. Holmes at 5 p.m. yesterday.|They talked about No. 7, e.g. the "
                                "case of the missing ring... it was odd.|Was it?|Yes!|See fig. 3 and St. Paul.|2."
                                "|Results and the U.K. Parliament.";
  static const char ko[] = "그는 “떠나자.”라고 했다. 정말? 응. 회의는 2023.1.18. 새 청사에서 열렸다... 그리고 끝났다.\n"
                           "1. 서론\n";
  static const char want_ko[] = "그는 “떠나자.”라고 했다.|정말?|응.|회의는 2023.1.18.|새 청사에서 열렸다... 그리고 "
                                "끝났다.|1.|서론";
  const char *dir = getenv("IEUM_TEST_DATA");
  char path[4096];
  ieum_srx *srx = NULL;
  if (!dir) {
    diag("skipped: IEUM_TEST_DATA not set");
    return;
  }
  snprintf(path, sizeof path, "%s/segment/omegat_en.srx", dir);
  int rc = ieum_srx_load(&srx, path);
  is_int(rc, IEUM_OK, "OmegaT's default rules load");
  if (rc)
    return;
  is_int(ieum_srx_rule_count(srx, "en-GB"), 25, "English: 22 exceptions + 3 default rules");
  check(srx, en, "en", want_en, "OmegaT's default rules on English (OmegaT 3.6 gives the same 7 segments)");
  check(srx, ko, "ko", want_ko, "OmegaT's default rules on Korean (the same as OmegaT 3.6)");
  ieum_srx_free(srx);

  /* the same text with OmegaT's own file, when ../shared is beside the repository */
  static const char shared[] = "/work/shared/data/segment/srx/omegat_defaultRules.srx";
  FILE *f = fopen(shared, "rb");
  if (!f) {
    diag("skipped: %s not found", shared);
    return;
  }
  fclose(f);
  is_int(ieum_srx_load(&srx, shared), IEUM_OK, "OmegaT's own rule file loads");
  check(srx, en, "en", want_en, "OmegaT's own file segments English as our transcription does");
  check(srx, ko, "ko", want_ko, "... and Korean");
  ieum_srx_free(srx);
}

/* ieum_srx_parse must fail with `code` and a message containing `part`. */
static void bad(const char *xml, int code, const char *part, const char *what)
{
  ieum_srx *srx = (ieum_srx *)1;
  int rc = ieum_srx_parse(&srx, xml, strlen(xml), "bad.srx");
  is_int(rc, code, "%s: code", what);
  ok(srx == NULL, "%s: *out is NULL", what);
  const ieum_error *e = ieum_error_last();
  ok(e && strstr(e->message, part) != NULL, "%s: message '%s'", what, e ? e->message : "");
}

static void test_align_srx__errors(void)
{
  bad("<srx><body>", IEUM_EPARSE, "bad.srx:1: not XML", "truncated XML");
  bad("", IEUM_EPARSE, "bad.srx", "empty text");
  bad("<tmx version=\"1.4\"/>", IEUM_EPARSE, "root element is <tmx>", "not SRX");
  bad("<srx><header/></srx>", IEUM_EPARSE, "no <body>", "no body");
  bad("<srx><body><languagerules><languagerule languagerulename=\"a\">\n<rule break=\"no\"/>"
      "</languagerule></languagerules></body></srx>",
      IEUM_EPARSE, "bad.srx:2: <rule> has neither", "empty rule");
  bad("<srx><body><languagerules><languagerule><rule><beforebreak>a</beforebreak></rule></languagerule>"
      "</languagerules></body></srx>",
      IEUM_EPARSE, "no languagerulename", "unnamed languagerule");
  bad("<srx><body><maprules><languagemap languagepattern=\".*\" languagerulename=\"nope\"/></maprules></body></srx>",
      IEUM_EPARSE, "'nope', which is not defined", "map to an unknown languagerule");
  bad("<srx><body><maprules><languagemap languagepattern=\".*\"/></maprules></body></srx>", IEUM_EPARSE,
      "needs languagepattern and languagerulename", "incomplete languagemap");
  /* an external entity is neither fetched nor expanded: the rule reads as "x" + nothing */
  ieum_srx *ent = parse("<!DOCTYPE srx [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><srx><body><languagerules>"
                        "<languagerule languagerulename=\"a\"><rule><beforebreak>x&e;</beforebreak>"
                        "<afterbreak> </afterbreak></rule></languagerule></languagerules><maprules>"
                        "<languagemap languagepattern=\".*\" languagerulename=\"a\"/></maprules></body></srx>");
  if (ent)
    check(ent, "ax b", NULL, "ax|b", "external entity not expanded");
  ieum_srx_free(ent);

  /* a pattern that is no regular expression fails when a document is segmented */
  ieum_srx *srx = parse("<srx><body><languagerules><languagerule languagerulename=\"a\"><rule><beforebreak>(x"
                        "</beforebreak></rule></languagerule></languagerules><maprules>"
                        "<languagemap languagepattern=\"ko\" languagerulename=\"a\"/></maprules></body></srx>");
  if (srx) {
    char *got = split(srx, "text", "ko");
    ok(strstr(got, "test.srx: languagerule 'a', rule 1: '(x' is not a regular expression") != NULL,
       "bad rule pattern: '%s'", got);
    ieum__free(got);
    check(srx, "a. b", "en", "a. b", "the bad rule is not compiled for a language it does not apply to");
    ieum_srx_free(srx);
  }
  srx = parse("<srx><body><maprules><languagemap languagepattern=\"[\" languagerulename=\"a\"/></maprules>"
              "<languagerules><languagerule languagerulename=\"a\"/></languagerules></body></srx>");
  if (srx) {
    is_int(ieum_srx_rule_count(srx, "ko"), IEUM_EPARSE, "bad languagepattern");
    ok(strstr(ieum_error_last()->message, "languagepattern '['") != NULL, "message names the pattern");
    ieum_srx_free(srx);
  }
  srx = (ieum_srx *)1;
  is_int(ieum_srx_load(&srx, "/nonexistent/rules.srx"), IEUM_EIO, "missing file");
  ok(srx == NULL && strstr(ieum_error_last()->message, "/nonexistent/rules.srx: cannot open") != NULL,
     "missing file: message names it");
  ieum_srx_free(NULL);
}

static void test_align_srx__oom(void)
{
  int clean = 1, done = 0;
  for (long k = 0; k < 200 && !done; k++) {
    ieum_srx *srx = NULL;
    ieum__alloc_fail_after(k);
    int rc = ieum_srx_parse(&srx, SRX_HEAD("yes"), strlen(SRX_HEAD("yes")), "oom.srx");
    char *got = NULL;
    if (rc == IEUM_OK)
      got = split(srx, "Dr. Kim came. He left.", "en");
    ieum__alloc_fail_after(-1);
    if (rc == IEUM_OK && got && strcmp(got, "Dr. Kim came.|He left.") == 0)
      done = 1;
    else if (rc != IEUM_OK && (rc != IEUM_ENOMEM || srx != NULL))
      clean = 0;
    ieum__free(got);
    ieum_srx_free(srx);
  }
  ok(clean, "every allocation failure gives IEUM_ENOMEM and no rule set");
  ok(done, "parsing and segmenting succeed once allocations do");
}

/* A rule set of one languagerule "Slow" whose second rule has `before` and `after`. */
#define SRX_ONE(before, after)                                                                             \
  "<?xml version=\"1.0\"?>\n<srx version=\"2.0\"><header cascade=\"no\"/><body><languagerules>\n"      \
  "<languagerule languagerulename=\"Slow\">"                                                              \
  "<rule><beforebreak>[.?!]+</beforebreak><afterbreak>\\s</afterbreak></rule>"                           \
  "<rule><beforebreak>" before "</beforebreak><afterbreak>" after "</afterbreak></rule>"                 \
  "</languagerule>\n</languagerules><maprules>"                                                           \
  "<languagemap languagepattern=\".*\" languagerulename=\"Slow\"/></maprules></body></srx>\n"

/* Seconds a rule that runs into a limit may take to fail: generous (it takes a few hundredths). */
#define FAIL_BOUND_S 10.0

/* Segments `text` with `srx` and checks that it fails with IEUM_ELIMIT, soon, naming what `parts` hold. */
static void limited(const ieum_srx *srx, const char *text, size_t len, const char *const *parts, const char *what)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *d = NULL;
  o.srx = srx;
  clock_t t0 = clock();
  int rc = ieum_doc_new(&d, text, len, &o);
  double t = (double)(clock() - t0) / CLOCKS_PER_SEC;
  is_int(rc, IEUM_ELIMIT, "%s: IEUM_ELIMIT", what);
  ok(d == NULL, "and no document");
  ok(t < FAIL_BOUND_S, "in %.2f s of CPU (bound %.0f s)", t, FAIL_BOUND_S);
  const char *msg = ieum_error_last()->message;
  for (size_t k = 0; parts[k]; k++)
    ok(strstr(msg, parts[k]) != NULL, "the message has \"%s\": %s", parts[k], msg);
  ieum_doc_free(d);
}

static void test_align_srx__limits(void)
{
  /* exponential backtracking: minutes without a time limit */
  ieum_srx *srx = parse(SRX_ONE("(a|aa)+b", ""));
  static const char text[] = "First one. Then aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa and more.\n";
  /* the attempt that blows up starts at the first "a", byte 16 */
  static const char *const slow[] = { "test.srx: languagerule 'Slow', rule 2: beforebreak '(a|aa)+b'",
                                      "over ICU's match time limit", "at byte 16", NULL };
  limited(srx, text, strlen(text), slow, "(a|aa)+b on 40 a's");
  /* the same in an afterbreak, on a later paragraph: tried after each space, it blows up at byte 24 */
  ieum_srx_free(srx);
  srx = parse(SRX_ONE("\\s", "(a|aa)+b"));
  static const char text2[] = "Short.\n\nFirst one. Then aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa and more.\n";
  static const char *const slow2[] = { "rule 2: afterbreak '(a|aa)+b'", "time limit", "at byte 24", NULL };
  limited(srx, text2, strlen(text2), slow2, "in an afterbreak, second paragraph");
  ieum_srx_free(srx);
  /* a backtracking stack that grows with the text */
  srx = parse(SRX_ONE("(a|b)*c", ""));
  size_t n = 1000000;
  char *big = malloc(n + 2);
  if (srx && big) {
    memset(big, 'a', n);
    memcpy(big + n, ".\n", 2);
    static const char *const deep[] = { "rule 2: beforebreak '(a|b)*c'", "backtracking stack limit", "at byte 0",
                                        NULL };
    limited(srx, big, n + 2, deep, "(a|b)*c on a million a's");
  }
  ieum_srx_free(srx);
  /* sane rules on a 1 MB paragraph stay under the limit, which grows with the paragraph */
  srx = parse(SRX_HEAD("yes"));
  static const char sentence[] = "Dr. Watson came home late. Was it? Yes! ";
  size_t sl = strlen(sentence), reps = n / sl;
  if (srx && big) {
    for (size_t k = 0; k < reps; k++)
      memcpy(big + k * sl, sentence, sl);
    ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
    ieum_doc *d = NULL;
    o.srx = srx;
    o.lang = "en";
    is_int(ieum_doc_new(&d, big, reps * sl, &o), IEUM_OK, "a 1 MB paragraph with sane rules");
    is_int(ieum_doc_count(d), 3 * reps, "cut into its sentences");
    ieum_doc_free(d);
  }
  free(big);
  ieum_srx_free(srx);
}

int main(void)
{
  test_align_srx__limits();
  test_align_srx__cascade();
  test_align_srx__rules();
  test_align_srx__omegat();
  test_align_srx__errors();
  test_align_srx__oom();
  return done_testing();
}
