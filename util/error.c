/*
** util/error.c: the per-thread last error.
**
** Each thread keeps one ieum_error and a fixed message buffer; recording an
** error formats into that buffer, so recording never allocates and cannot
** fail, even when the error being recorded is an allocation failure.
*/
#include <stdio.h>
#include <string.h>

#include "util.h"

#define MESSAGE_MAX 1024 /* bytes of a message, NUL included; longer ones are cut */

static _Thread_local ieum_error last;
static _Thread_local char message[MESSAGE_MAX];
static _Thread_local int have_error;

const ieum_error *ieum_error_last(void)
{
  return have_error ? &last : NULL;
}

void ieum_error_clear(void)
{
  have_error = 0;
  message[0] = '\0';
}

void ieum__error_clear(void)
{
  ieum_error_clear();
}

int ieum__error_set(int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  /* One line: a message never carries a line break. */
  for (char *p = message; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  last.code = code;
  last.message = message;
  have_error = 1;
  return code;
}

int ieum__error_oom(void)
{
  return ieum__error_set(IEUM_ENOMEM, "out of memory");
}

const char *ieum_strerror(int code)
{
  switch (code) {
  case IEUM_OK: return "no error";
  case IEUM_ERROR: return "error";
  case IEUM_ENOMEM: return "out of memory";
  case IEUM_EIO: return "input/output error";
  case IEUM_EENCODING: return "invalid text encoding";
  case IEUM_EPARSE: return "malformed input";
  case IEUM_EDB: return "translation memory error";
  case IEUM_ENOTFOUND: return "not found";
  case IEUM_EINVAL: return "invalid argument";
  case IEUM_ELIMIT: return "limit exceeded";
  case IEUM_EEXISTS: return "already exists";
  case IEUM_ENOTSUP: return "not supported on this TM backend";
  default: return "unknown error";
  }
}

const char *ieum_version(void)
{
  return IEUM_VERSION_STRING;
}
