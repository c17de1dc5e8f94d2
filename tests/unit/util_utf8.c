/*
** tests/unit/util_utf8.c: UTF-8 validation, decoding and counting, the
** growable buffer and the last-error record.
*/
#include "tap.h"
#include "util.h"

static void test_util_utf8__valid(void)
{
  const char *s = "abc 한국어 “quote” 𝄞";
  is_int(ieum__utf8_invalid_at(s, strlen(s)), strlen(s), "valid mixed text passes");
  is_int(ieum__utf8_count("한국", 6), 2, "two Hangul syllables are two code points");
  size_t i = 0;
  is_int(ieum__utf8_next("한", 3, &i), 0xD55C, "decodes U+D55C");
  is_int(i, 3, "advances three bytes");
}

static void test_util_utf8__invalid(void)
{
  is_int(ieum__utf8_invalid_at("ab\xff" "c", 4), 2, "0xFF is invalid at its offset");
  is_int(ieum__utf8_invalid_at("\xc0\xaf", 2), 0, "overlong slash is invalid");
  is_int(ieum__utf8_invalid_at("a\xed\xa0\x80", 4), 1, "UTF-8 encoded surrogate is invalid");
  is_int(ieum__utf8_invalid_at("ab\xea\xb0", 4), 2, "truncated sequence at the end is invalid");
  is_int(ieum__utf8_invalid_at("\xf4\x90\x80\x80", 4), 0, "code point above U+10FFFF is invalid");
}

static void test_util_utf8__buf(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  ok(ieum__buf_puts(&b, "한") == 0 && ieum__buf_printf(&b, "-%d-", 42) == 0, "appends");
  is_str(b.ptr, "한-42-", "content and NUL");
  for (int k = 0; k < 1000; k++)
    ieum__buf_putc(&b, 'x');
  is_int(b.size, 3 + 4 + 1000, "grows past its first block");
  ieum_buf_dispose(&b);
  ok(b.ptr == NULL && b.size == 0, "dispose resets");
  ieum_buf_dispose(NULL);
}

static void test_util_utf8__error(void)
{
  ieum_error_clear();
  ok(ieum_error_last() == NULL, "no error after clear");
  is_int(ieum__error_set(IEUM_EPARSE, "%s:%d: bad\nthing", "a.tmx", 3), IEUM_EPARSE, "returns its code");
  is_str(ieum_error_last()->message, "a.tmx:3: bad thing", "message is one line");
  is_str(ieum_strerror(IEUM_ENOMEM), "out of memory", "strerror");
  ieum__alloc_fail_after(0);
  ieum_buf b = IEUM_BUF_INIT;
  is_int(ieum__buf_puts(&b, "x"), IEUM_ENOMEM, "failed allocation reports ENOMEM");
  ieum__alloc_fail_after(-1);
  ok(b.ptr == NULL, "buffer untouched after failed growth");
}

static void test_util_utf8__nfc(void)
{
  ieum_buf b = IEUM_BUF_INIT;
  /* Hangul as conjoining jamo (NFD) becomes precomposed syllables. */
  ok(ieum__icu_nfc(&b, "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", 9) == 0, "normalizes");
  is_str(b.ptr, "한", "jamo sequence composes to U+D55C");
  ieum_buf_dispose(&b);
}

int main(void)
{
  test_util_utf8__valid();
  test_util_utf8__invalid();
  test_util_utf8__buf();
  test_util_utf8__error();
  test_util_utf8__nfc();
  return done_testing();
}
