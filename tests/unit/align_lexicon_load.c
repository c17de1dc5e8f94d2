/*
** tests/unit/align_lexicon_load.c: building large lexicons (align/lexicon.c)
** costs time linear in their size, whatever their shape: one Korean form
** with 200,000 English forms, one English form with 200,000 Korean forms,
** 200,000 distinct pairs, 200,000 phrases with one head word, and a
** 200,000-line hunalign dictionary loaded from a file (twice: the second
** load adds nothing).  Each build must take under LOAD_BOUND_S seconds of
** CPU time, a generous bound (it takes about 0.1 s, and under the
** sanitizers about 1 s; a cost quadratic in one form's entries took 71 s
** for 10,000 of them), checked every 1,000 pairs so that a slow build fails
** at once instead of running on.  What the lexicon then matches is checked
** too.  Files go to a folder of its own under /tmp, removed at the end.
*/
#include <time.h>
#include <unistd.h>

#include "../../align/lexicon_int.h"
#include "tap.h"

/* CPU seconds a build of N_PAIRS pairs may take (see the top comment). */
#define LOAD_BOUND_S 10.0
#define N_PAIRS 200000

static double cpu_seconds(void)
{
  return (double)clock() / CLOCKS_PER_SEC;
}

/* A distinct lowercase word for every i: "w" and letters. */
static size_t word(char *out, unsigned long i)
{
  char tmp[16];
  size_t n = 0;
  for (i += 26 * 26; i; i /= 26)
    tmp[n++] = (char)('a' + i % 26);
  out[0] = 'w';
  for (size_t k = 0; k < n; k++)
    out[1 + k] = tmp[n - 1 - k];
  out[n + 1] = '\0';
  return n + 1;
}

/* A distinct Hangul word (two syllables) for every i < 11172 * 11171. */
static size_t hangul(char *out, unsigned long i)
{
  unsigned long syl[2] = { 1 + i / 11172, i % 11172 };
  for (int k = 0; k < 2; k++) {
    unsigned long cp = 0xAC00 + syl[k];
    out[3 * k] = (char)(0xE0 | (cp >> 12));
    out[3 * k + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3 * k + 2] = (char)(0x80 | (cp & 0x3F));
  }
  out[6] = '\0';
  return 6;
}

enum shape { ONE_KO, ONE_EN, DISTINCT, PHRASES };

/* Pair i of a shape: Korean into ko, English into en. */
static void pair(char *ko, char *en, enum shape s, unsigned long i)
{
  char w[32];
  switch (s) {
  case ONE_KO:
    strcpy(ko, "정부");
    word(en, i);
    break;
  case ONE_EN:
    hangul(ko, i);
    strcpy(en, "government");
    break;
  case DISTINCT:
    hangul(ko, i);
    word(en, i);
    break;
  case PHRASES:
    hangul(ko, i);
    word(w, i);
    snprintf(en, 64, "north %s korea talks", w);
    break;
  }
}

/* Keys of `text` (one segment) read as Korean or not. */
static size_t keys_in(const ieum_lexicon *lex, const char *text, int korean)
{
  ieum_segment_options o = IEUM_SEGMENT_OPTIONS_INIT;
  o.mode = IEUM_SEGMENT_LINES;
  ieum_doc *d = NULL;
  ieum_keyset ks;
  size_t n = (size_t)-1;
  if (ieum_doc_new(&d, text, strlen(text), &o) == 0 && ieum_lexicon__keys(&ks, lex, d, korean) == 0) {
    n = ieum_keyset__count(&ks, 0);
    ieum_keyset__dispose(&ks);
  }
  ieum_doc_free(d);
  return n;
}

/* Adds the N_PAIRS pairs of shape s to an empty lexicon; 1 when it took under the bound. */
static int build(ieum_lexicon **out, enum shape s, const char *what)
{
  char ko[64], en[64];
  double t0 = cpu_seconds(), t = 0;
  unsigned long i;
  int rc = ieum_lexicon_new(out, 0);
  for (i = 0; rc == 0 && i < N_PAIRS; i++) {
    pair(ko, en, s, i);
    rc = ieum_lexicon_add(*out, ko, strlen(ko), en, strlen(en));
    if (i % 1000 == 999 && (t = cpu_seconds() - t0) > LOAD_BOUND_S)
      break;
  }
  t = cpu_seconds() - t0;
  is_int(rc, IEUM_OK, "%s: adding the pairs", what);
  return ok(i == N_PAIRS && t < LOAD_BOUND_S, "%s: %lu pairs in %.2f s of CPU (bound %.0f s)", what, i, t,
            LOAD_BOUND_S);
}

static void test_align_lexicon_load__one_korean_form(void)
{
  ieum_lexicon *lex = NULL;
  if (build(&lex, ONE_KO, "one Korean form, 200,000 English forms")) {
    is_int(ieum_lexicon_count(lex), N_PAIRS, "an entry per pair");
    is_int(keys_in(lex, "정부는", 1), N_PAIRS, "정부 has every entry's key");
    char w[32];
    word(w, 12345);
    is_int(keys_in(lex, w, 0), 1, "an English form has its one entry's key");
    is_int(keys_in(lex, "wzzzzzz", 0), 0, "a word not in it, none");
  }
  ieum_lexicon_free(lex);
}

static void test_align_lexicon_load__one_english_form(void)
{
  ieum_lexicon *lex = NULL;
  if (build(&lex, ONE_EN, "one English form, 200,000 Korean forms")) {
    is_int(ieum_lexicon_count(lex), N_PAIRS, "an entry per pair");
    is_int(keys_in(lex, "governments", 0), N_PAIRS, "'governments' has every entry's key");
    char k[16];
    hangul(k, 4321);
    is_int(keys_in(lex, k, 1), 1, "a Korean form has its one entry's key");
  }
  ieum_lexicon_free(lex);
}

static void test_align_lexicon_load__distinct_and_phrases(void)
{
  ieum_lexicon *lex = NULL;
  if (build(&lex, DISTINCT, "200,000 distinct pairs"))
    is_int(ieum_lexicon_count(lex), N_PAIRS, "an entry per pair");
  ieum_lexicon_free(lex);
  lex = NULL;
  if (build(&lex, PHRASES, "200,000 phrases of one head word")) {
    char w[32], text[64];
    word(w, 777);
    snprintf(text, sizeof text, "North %s Korea talks", w);
    is_int(keys_in(lex, text, 0), 1, "a phrase matches as one");
    is_int(keys_in(lex, "north korea talks", 0), 0, "words of phrases alone do not");
  }
  ieum_lexicon_free(lex);
}

static void test_align_lexicon_load__dictionary_file(void)
{
  char dir[] = "/tmp/ieum-lexload-XXXXXX", path[64], ko[64], en[64];
  if (!mkdtemp(dir)) {
    ok(0, "temporary folder");
    return;
  }
  snprintf(path, sizeof path, "%s/dict.txt", dir);
  FILE *f = fopen(path, "w");
  for (unsigned long i = 0; f && i < N_PAIRS; i++) {
    pair(ko, en, ONE_KO, i);
    fprintf(f, "%s @ %s\n", en, ko);
  }
  ok(f && fclose(f) == 0, "wrote a 200,000-line dictionary of one Korean form");
  ieum_lexicon *lex = NULL;
  ieum_lexicon_new(&lex, 1);
  size_t n0 = ieum_lexicon_count(lex);
  double t0 = cpu_seconds();
  is_int(ieum_lexicon_load_dict(lex, path), IEUM_OK, "loaded");
  double t = cpu_seconds() - t0;
  ok(t < LOAD_BOUND_S, "in %.2f s of CPU (bound %.0f s)", t, LOAD_BOUND_S);
  is_int(ieum_lexicon_count(lex), n0 + N_PAIRS, "an entry per line, beside the built-in ones");
  t0 = cpu_seconds();
  is_int(ieum_lexicon_load_dict(lex, path), IEUM_OK, "loaded again");
  t = cpu_seconds() - t0;
  ok(t < LOAD_BOUND_S, "in %.2f s of CPU (bound %.0f s)", t, LOAD_BOUND_S);
  is_int(ieum_lexicon_count(lex), n0 + N_PAIRS, "adds no entry: every pair is there already");
  ieum_lexicon_free(lex);
  unlink(path);
  rmdir(dir);
}

int main(void)
{
  test_align_lexicon_load__one_korean_form();
  test_align_lexicon_load__one_english_form();
  test_align_lexicon_load__distinct_and_phrases();
  /* a slow build has failed above already: loading the file would only run on */
  if (tap_failed == 0)
    test_align_lexicon_load__dictionary_file();
  return done_testing();
}
