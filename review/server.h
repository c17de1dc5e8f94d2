/*
** review/server.h: the routes of `ieum review`: its page and its JSON API
** (docs/review-api.md) over the review operations of include/ieum/review.h.
**
** ieum_review__handle() is a util/http_int.h handler: give it an
** ieum_review_server as payload.  It serves the page (/, /app.js, /app.css,
** embedded at build time by review/embed.py) and the API under /api/.  The
** handler runs on the HTTP server's one thread, which alone uses the TM
** handle.  Compiled into the programs that serve (the CLI, the tests),
** never into libieum (which does not link libmicrohttpd).
** Not here: starting the server and the browser (cli/cmd_review.c), the
** static report (review/report.c).
*/
#ifndef IEUM_REVIEW_SERVER_H
#define IEUM_REVIEW_SERVER_H

#include <ieum.h>

#include "http_int.h"

typedef struct {
  ieum_tm *tm;             /* open for writing; borrowed */
  const char *tm_path;     /* for /api/info */
  double threshold;        /* units not reviewed scoring under it are doubtful */
  const char *reviewer;    /* stored with every change */
  const char *token;       /* the server's token, written into the page it serves */
} ieum_review_server;

/* Doubtful below this score unless told otherwise (`ieum review --threshold`). */
#define IEUM_REVIEW_THRESHOLD 0.5

/* The handler: `payload` is an ieum_review_server. */
void ieum_review__handle(ieum_http_response *res, const ieum_http_request *req, void *payload);

/*
** The JSON of document `doc_id` as GET /api/documents/ID answers it, into
** *out (the caller puts it).  Returns 0 or the library's error code.
*/
int ieum_review__doc_json(json_object **out, ieum_tm *tm, int64_t doc_id, double threshold);

/* The embedded page files (review/page/, generated into page_data.c). */
typedef struct {
  const char *name;          /* "index.html", "app.js", "app.css" */
  const char *content_type;
  const unsigned char *data;
  size_t len;
} ieum_review_asset;

/* The asset called `name`, or NULL. */
const ieum_review_asset *ieum_review__asset(const char *name);

#endif
