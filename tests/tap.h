/*
** tests/tap.h: a minimal TAP producer for the unit tests.
**
** Each test executable calls its cases, each case makes checks with ok(),
** is_int(), is_str() and is_mem(), and main ends with done_testing(), which
** prints the plan and returns the exit status (0 only when all passed).
** A whole file can be skipped with skip_all("reason").  Header-only: every
** function is static, so each test file gets its own copy.
*/
#ifndef IEUM_TAP_H
#define IEUM_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run;
static int tap_failed;

static inline int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

static inline int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
  va_list ap;
  tap_run++;
  printf("%s %d - ", cond ? "ok" : "not ok", tap_run);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond) {
    tap_failed++;
    printf("#   Failed at %s line %d\n", file, line);
  }
  fflush(stdout);
  return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                        \
  do {                                                                                \
    long long g_ = (long long)(got), w_ = (long long)(want);                          \
    if (!ok(g_ == w_, __VA_ARGS__))                                                   \
      printf("#   got: %lld\n#   expected: %lld\n", g_, w_);                          \
  } while (0)

#define is_str(got, want, ...)                                                        \
  do {                                                                                \
    const char *g_ = (got), *w_ = (want);                                             \
    if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                            \
      printf("#   got: '%s'\n#   expected: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
  } while (0)

#define is_mem(got, got_len, want, ...)                                               \
  do {                                                                                \
    const char *g_ = (got), *w_ = (want);                                             \
    size_t gl_ = (got_len), wl_ = strlen(w_);                                         \
    if (!ok(g_ && gl_ == wl_ && memcmp(g_, w_, wl_) == 0, __VA_ARGS__))               \
      printf("#   got: '%.*s'\n#   expected: '%s'\n", (int)gl_, g_ ? g_ : "", w_);   \
  } while (0)

#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

static inline void skip_all(const char *why)
{
  printf("1..0 # SKIP %s\n", why);
  exit(0);
}

static inline int done_testing(void)
{
  printf("1..%d\n", tap_run);
  if (tap_failed)
    printf("# failed %d of %d\n", tap_failed, tap_run);
  return tap_failed ? 1 : 0;
}

#endif
