/*
** util/buf.c: the growable byte buffer (ieum_buf).
**
** Grows by doubling, so appending n bytes one at a time costs O(n).  The
** content is kept NUL-terminated for convenience; sizes never count the NUL.
*/
#include <stdio.h>
#include <string.h>

#include "util.h"

void ieum_buf_dispose(ieum_buf *buf)
{
  if (!buf)
    return;
  ieum__free(buf->ptr);
  buf->ptr = NULL;
  buf->size = buf->asize = 0;
}

int ieum__buf_grow(ieum_buf *buf, size_t extra)
{
  if (extra > SIZE_MAX - buf->size - 1)
    return ieum__error_oom();
  size_t need = buf->size + extra + 1;
  if (need <= buf->asize)
    return IEUM_OK;
  size_t n = buf->asize ? buf->asize : 64;
  while (n < need)
    n = n > SIZE_MAX / 2 ? need : n * 2;
  char *p = ieum__realloc(buf->ptr, n);
  if (!p)
    return ieum__error_oom();
  buf->ptr = p;
  buf->asize = n;
  return IEUM_OK;
}

int ieum__buf_put(ieum_buf *buf, const char *data, size_t len)
{
  int rc = ieum__buf_grow(buf, len);
  if (rc)
    return rc;
  if (len)
    memcpy(buf->ptr + buf->size, data, len);
  buf->size += len;
  buf->ptr[buf->size] = '\0';
  return IEUM_OK;
}

int ieum__buf_puts(ieum_buf *buf, const char *s)
{
  return ieum__buf_put(buf, s, strlen(s));
}

int ieum__buf_putc(ieum_buf *buf, char c)
{
  return ieum__buf_put(buf, &c, 1);
}

int ieum__buf_printf(ieum_buf *buf, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return ieum__error_set(IEUM_ERROR, "cannot format text");
  int rc = ieum__buf_grow(buf, (size_t)n);
  if (rc)
    return rc;
  va_start(ap, fmt);
  vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->size += (size_t)n;
  return IEUM_OK;
}

void ieum__buf_clear(ieum_buf *buf)
{
  buf->size = 0;
  if (buf->ptr)
    buf->ptr[0] = '\0';
}

char *ieum__buf_detach(ieum_buf *buf)
{
  char *p = buf->ptr;
  buf->ptr = NULL;
  buf->size = buf->asize = 0;
  return p;
}
