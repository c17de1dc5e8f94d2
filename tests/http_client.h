/*
** tests/http_client.h: a blocking HTTP/1.1 client for the tests of the
** local servers (util/http.c, review/): one request per connection to
** 127.0.0.1:PORT, the status and body of the answer returned.
** Header-only (static functions), for test programs only; plain sockets,
** no TLS, no chunked answers (libmicrohttpd sends Content-Length for the
** buffers our servers answer with).  Not here: TAP output (tap.h).
*/
#ifndef IEUM_TESTS_HTTP_CLIENT_H
#define IEUM_TESTS_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
  int status;     /* HTTP status, 0 when the request failed */
  char *body;     /* malloc'd, NUL-terminated; free with http_reply_free() */
  size_t len;
  char *headers;  /* the raw header block, malloc'd */
} http_reply;

static void http_reply_free(http_reply *r)
{
  free(r->body);
  free(r->headers);
  memset(r, 0, sizeof *r);
}

/*
** Sends METHOD PATH with `extra_headers` ("Name: value\r\n" lines, may be
** NULL) and body[0..len) to 127.0.0.1:port; reads the whole answer.
*/
static http_reply http_request(unsigned port, const char *method, const char *path, const char *extra_headers,
                               const char *body, size_t len)
{
  http_reply r = { 0 };
  struct sockaddr_in a = { 0 };
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return r;
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return r;
  }
  char head[4096];
  int n = snprintf(head, sizeof head,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n%sContent-Length: %zu\r\n\r\n",
                   method, path, port, extra_headers ? extra_headers : "", len);
  if (write(fd, head, (size_t)n) != n || (len && write(fd, body, len) != (ssize_t)len)) {
    close(fd);
    return r;
  }
  size_t cap = 8192, got = 0;
  char *buf = malloc(cap);
  ssize_t k;
  while (buf && (k = read(fd, buf + got, cap - got - 1)) > 0) {
    got += (size_t)k;
    if (cap - got < 2) {
      char *p = realloc(buf, cap *= 2);
      if (!p) {
        free(buf);
        buf = NULL;
      }
      buf = p;
    }
  }
  close(fd);
  if (!buf)
    return r;
  buf[got] = '\0';
  char *end = strstr(buf, "\r\n\r\n");
  if (!end || sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1) {
    free(buf);
    r.status = 0;
    return r;
  }
  r.headers = strndup(buf, (size_t)(end - buf));
  r.len = got - (size_t)(end + 4 - buf);
  r.body = malloc(r.len + 1);
  memcpy(r.body, end + 4, r.len);
  r.body[r.len] = '\0';
  free(buf);
  return r;
}

#endif
