/*
** tests/fuzz/replay.c: runs a fuzz harness over the files of a corpus, with
** no libFuzzer, as a TAP test.
**
** Usage: replay_<name> PATH...   A PATH that is a folder stands for its
** files (not its subfolders, not dot files), in name order.  Each file is
** read into a block of exactly its size (so that AddressSanitizer sees any
** read past the end of the input) and given to LLVMFuzzerTestOneInput(); a
** file that comes back is "ok", a harness check that fails aborts the
** process, and the test fails with the name of the file on the line before.
** No file at all is a failure too: an empty corpus tests nothing.
** Cost: the harness's, once per file; the corpora are a handful of small
** files, so a replay takes seconds.  Not here: the harnesses (fuzz_*.c),
** the timed campaign with libFuzzer (bench/fuzz.sh).
*/
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run;
static int failed;

/* Reads `path` into a malloc'd block of exactly its size (one byte for an empty file, *len 0). */
static int slurp(unsigned char **out, size_t *len, const char *path)
{
  FILE *f = fopen(path, "rb");
  unsigned char *p = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  *len = 0;
  if (!f)
    return -1;
  for (;;) {
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 4096;
      unsigned char *q = realloc(p, ncap);
      if (!q) {
        free(p);
        fclose(f);
        return -1;
      }
      p = q;
      cap = ncap;
    }
    size_t r = fread(p + n, 1, cap - n, f);
    n += r;
    if (r == 0)
      break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(p);
    return -1;
  }
  /* An exact-size copy: one byte past the input is outside the block (an empty input is a non-NULL block, as libFuzzer gives). */
  unsigned char *exact = malloc(n ? n : 1);
  if (!exact) {
    free(p);
    return -1;
  }
  if (n)
    memcpy(exact, p, n);
  free(p);
  *out = exact;
  *len = n;
  return 0;
}

static void replay_file(const char *path)
{
  unsigned char *data;
  size_t len;
  run++;
  if (slurp(&data, &len, path) != 0) {
    failed++;
    printf("not ok %d - %s: cannot read: %s\n", run, path, strerror(errno));
    return;
  }
  /* Named before the run: when the harness aborts, this is the input that did it. */
  printf("# %s (%zu bytes)\n", path, len);
  fflush(stdout);
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  printf("ok %d - %s\n", run, path);
  fflush(stdout);
}

static int visible(const struct dirent *e)
{
  return e->d_name[0] != '.';
}

static void replay_path(const char *path)
{
  struct stat sb;
  if (stat(path, &sb) != 0) {
    run++;
    failed++;
    printf("not ok %d - %s: %s\n", run, path, strerror(errno));
    return;
  }
  if (!S_ISDIR(sb.st_mode)) {
    replay_file(path);
    return;
  }
  struct dirent **names;
  int n = scandir(path, &names, visible, alphasort);
  if (n < 0) {
    run++;
    failed++;
    printf("not ok %d - %s: %s\n", run, path, strerror(errno));
    return;
  }
  for (int i = 0; i < n; i++) {
    char p[8192];
    snprintf(p, sizeof p, "%s/%s", path, names[i]->d_name);
    if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
      replay_file(p);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s CORPUS-FOLDER-OR-FILE...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; i++)
    replay_path(argv[i]);
  if (run == 0) {
    printf("not ok 1 - no corpus file in the paths given\n");
    run = failed = 1;
  }
  printf("1..%d\n", run);
  return failed ? 1 : 0;
}
