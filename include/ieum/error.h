/*
** include/ieum/error.h: error codes and the readable last error.
**
** Every fallible ieum function returns an int: IEUM_OK (0) or a negative
** IEUM_E* code.  The layer that detects a problem records one readable
** message, already naming the file and the place ("ko.txt: invalid UTF-8 at
** byte 1832"); callers pass the code up unchanged.  The message is kept per
** thread, in storage of that thread which the next recorded error (or
** ieum_error_clear()) overwrites.
*/
#ifndef IEUM_ERROR_H
#define IEUM_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  IEUM_OK = 0,
  IEUM_ERROR = -1,     /* generic: see ieum_error_last() */
  IEUM_ENOMEM = -2,    /* out of memory */
  IEUM_EIO = -3,       /* cannot read or write a file */
  IEUM_EENCODING = -4, /* bytes that are not text in the expected encoding */
  IEUM_EPARSE = -5,    /* malformed input (XML, HTML, options) */
  IEUM_EDB = -6,       /* the SQLite TM failed */
  IEUM_ENOTFOUND = -7, /* no such file, unit or document */
  IEUM_EINVAL = -8,    /* an argument or an input that cannot be used (empty document...) */
  IEUM_ELIMIT = -9,    /* input exceeds a hard limit (file or line too big) */
  IEUM_EEXISTS = -10,  /* the object is already there (document already in the TM) */
  IEUM_ENOTSUP = -11   /* not supported by this TM backend (a PostgreSQL TM: merge, the review step) */
} ieum_error_code;

typedef struct {
  int code;            /* an ieum_error_code */
  const char *message; /* readable, one line, no trailing newline */
} ieum_error;

/*
** The last error recorded on this thread.  Returns NULL when no error was
** recorded on this thread since it started or since the last
** ieum_error_clear() (a successful call does not clear it: look at the
** last error only after a call failed).  Borrowed: the struct and its
** message live in this thread's storage, overwritten when the next error
** is recorded on this thread and emptied by ieum_error_clear(); copy the
** message to keep it.  Never freed by the caller.
*/
IEUM_API const ieum_error *ieum_error_last(void);

/* Forget the last error of this thread. */
IEUM_API void ieum_error_clear(void);

/* A short static description of `code` ("out of memory"); never freed. */
IEUM_API const char *ieum_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
