/*
** formats/tmx_pipe.c: the TMX reader in a thread of its own
** (ieum_tmx_read_options.threaded), so parsing a file overlaps with what
** the caller does with its units.
**
** A TMX import spends about a third of its time parsing and another third
** writing units (the rest: the search index, at the commit); parsing in a
** second thread takes the first third off an import's wall time on any
** machine with two cores.  The reader (tmx_read.c, unchanged) runs in the
** thread; each unit it gives, with its props, and each <tu> it skips, is
** copied into the batch being filled (offsets into one byte buffer), and
** full batches go through a queue of QUEUE_BATCHES to the calling thread,
** which turns each back into an ieum_unit and its props and calls the
** caller's callbacks, in document order, on its own thread: the callback
** may use a TM handle, which belongs to one thread.  A callback that
** returns non-zero stops the reader at its next unit, as the plain reader
** would have stopped; a reader error is passed to the calling thread (the
** last error is per thread) after every unit before it was delivered, so
** the caller sees what the plain reader gives, in the same order.
** Memory: at most QUEUE_BATCHES + 2 batches of BATCH_UNITS units (or
** BATCH_BYTES, whichever comes first), whatever the file's size.
** Cost: one copy of each unit's strings, and a lock per batch.
** Not here: the reading itself (tmx_read.c).
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "tmx_read_int.h"

#define BATCH_UNITS 512             /* units a batch holds at most */
#define BATCH_BYTES ((size_t)1 << 20) /* bytes after which a batch is handed over */
#define QUEUE_BATCHES 4             /* full batches waiting for the caller at most */

enum { EV_UNIT = 'U', EV_SKIP = 'S' };

typedef struct batch {
  ieum_buf bytes;     /* the events, one after another */
  size_t events;
  struct batch *next; /* in the queue, or in the free list */
} batch;

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t changed;      /* a batch queued or taken, the reader done, a stop asked */
  batch *head, *tail;          /* full batches, oldest first */
  size_t queued;
  batch *spare;                /* batches the caller is done with */
  int done;                    /* the reader returned */
  int stop;                    /* the caller asks the reader to stop (its callback failed) */
  /* the reader's side */
  const char *path;
  ieum_tmx_read_options opts;
  ieum_tmx_info info;
  batch *filling;
  int rc;                      /* what the reader returned */
  int err_code;                /* its last error, to be set again in the calling thread */
  char err_message[1024];
  int oom;                     /* a batch could not be made: the reader stopped */
} pipe_state;

/* ---- the events: numbers as 8 bytes, strings as (length + 1, 0 = NULL), bytes, NUL ---------- */

static int put_u64(ieum_buf *b, uint64_t v)
{
  return ieum__buf_put(b, (const char *)&v, sizeof v);
}

static int put_str(ieum_buf *b, const char *s, size_t n)
{
  int rc = put_u64(b, s ? (uint64_t)n + 1 : 0);
  if (!rc && s)
    rc = ieum__buf_put(b, s, n);
  if (!rc && s)
    rc = ieum__buf_putc(b, '\0');
  return rc;
}

static int put_cstr(ieum_buf *b, const char *s)
{
  return put_str(b, s, s ? strlen(s) : 0);
}

static uint64_t get_u64(const char **p)
{
  uint64_t v;
  memcpy(&v, *p, sizeof v);
  *p += sizeof v;
  return v;
}

/* A string of the batch (NUL-terminated there), or NULL; `len` (may be NULL) its bytes. */
static const char *get_str(const char **p, size_t *len)
{
  uint64_t n = get_u64(p);
  const char *s = n ? *p : NULL;
  *p += n;
  if (len)
    *len = n ? (size_t)(n - 1) : 0;
  return s;
}

/* ---- the reader's thread ------------------------------------------------------------------- */

/* Hands the batch being filled to the queue (waiting while it is full); 1 when the caller asked to stop. */
static int hand_over(pipe_state *ps)
{
  pthread_mutex_lock(&ps->lock);
  while (ps->queued >= QUEUE_BATCHES && !ps->stop)
    pthread_cond_wait(&ps->changed, &ps->lock);
  int stop = ps->stop;
  if (!stop && ps->filling && ps->filling->events) {
    ps->filling->next = NULL;
    if (ps->tail)
      ps->tail->next = ps->filling;
    else
      ps->head = ps->filling;
    ps->tail = ps->filling;
    ps->queued++;
    ps->filling = NULL;
    pthread_cond_broadcast(&ps->changed);
  }
  pthread_mutex_unlock(&ps->lock);
  return stop;
}

/* The batch to fill: one the caller is done with, or a new one.  IEUM_ENOMEM when neither. */
static int need_batch(pipe_state *ps)
{
  if (ps->filling)
    return IEUM_OK;
  pthread_mutex_lock(&ps->lock);
  batch *b = ps->spare;
  if (b)
    ps->spare = b->next;
  pthread_mutex_unlock(&ps->lock);
  if (!b && !(b = ieum__calloc(1, sizeof *b)))
    return ieum__error_oom();
  ieum__buf_clear(&b->bytes);
  b->events = 0;
  b->next = NULL;
  ps->filling = b;
  return IEUM_OK;
}

/* After an event: the batch goes when full.  -1 when the caller asked to stop (the reader then stops too). */
static int event_done(pipe_state *ps)
{
  ps->filling->events++;
  if (ps->filling->events < BATCH_UNITS && ps->filling->bytes.size < BATCH_BYTES)
    return 0;
  return hand_over(ps) ? -1 : 0;
}

static int copy_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  pipe_state *ps = payload;
  int rc = need_batch(ps);
  if (rc)
    return rc;
  ieum_buf *b = &ps->filling->bytes;
  uint64_t score;
  memcpy(&score, &u->score, sizeof score);
  if ((rc = ieum__buf_putc(b, EV_UNIT)) != 0 || (rc = put_u64(b, (uint64_t)u->id)) != 0 ||
      (rc = put_str(b, u->src ? u->src : "", u->src ? u->src_len : 0)) != 0 ||
      (rc = put_str(b, u->tgt ? u->tgt : "", u->tgt ? u->tgt_len : 0)) != 0 ||
      (rc = put_cstr(b, u->src_lang)) != 0 || (rc = put_cstr(b, u->tgt_lang)) != 0 ||
      (rc = put_u64(b, score)) != 0 || (rc = put_cstr(b, u->bead)) != 0 || (rc = put_cstr(b, u->document)) != 0 ||
      (rc = put_u64(b, (uint64_t)u->position)) != 0 || (rc = put_u64(b, (uint64_t)u->created)) != 0 ||
      (rc = put_cstr(b, u->note)) != 0 || (rc = put_cstr(b, u->role)) != 0 || (rc = put_u64(b, n)) != 0)
    return rc;
  for (size_t i = 0; i < n; i++)
    if ((rc = put_cstr(b, props[i].kind)) != 0 || (rc = put_cstr(b, props[i].type)) != 0 ||
        (rc = put_cstr(b, props[i].lang)) != 0 || (rc = put_cstr(b, props[i].value)) != 0)
      return rc;
  return event_done(ps);
}

static void copy_skip(const char *path, long line, int reason, void *payload)
{
  (void)path;
  pipe_state *ps = payload;
  ieum_buf *b;
  if (ps->oom || need_batch(ps) != 0) {
    ps->oom = 1;
    return;
  }
  b = &ps->filling->bytes;
  if (ieum__buf_putc(b, EV_SKIP) || put_u64(b, (uint64_t)line) || put_u64(b, (uint64_t)reason)) {
    ps->oom = 1;
    return;
  }
  event_done(ps); /* a stop asked is seen again at the next unit's hand-over */
}

static void *reader_main(void *arg)
{
  pipe_state *ps = arg;
  ieum_tmx_read_options o = ps->opts;
  /* Skips are always passed on, told or not: the counts of a read the callback stops are of what it saw. */
  o.version = o.version < 2 ? 2 : o.version;
  o.on_skip = copy_skip;
  o.skip_payload = ps;
  o.threaded = 0;
  int rc = ieum__tmx_read_props_here(&ps->info, ps->path, &o, copy_unit, ps);
  if (!rc && ps->oom)
    rc = ieum__error_oom();
  if (rc) {
    const ieum_error *e = ieum_error_last();
    ps->err_code = e ? e->code : rc;
    snprintf(ps->err_message, sizeof ps->err_message, "%s", e && e->message ? e->message : "");
  }
  if (ps->filling && ps->filling->events)
    hand_over(ps); /* what was read before the end, or before the error */
  pthread_mutex_lock(&ps->lock);
  ps->rc = rc;
  ps->done = 1;
  pthread_cond_broadcast(&ps->changed);
  pthread_mutex_unlock(&ps->lock);
  return NULL;
}

/* ---- the calling thread --------------------------------------------------------------------- */

/*
** Calls the caller's callbacks for each event of `b`, counting in `seen`
** what they were given; their first non-zero return.
*/
static int deliver(pipe_state *ps, const batch *b, ieum_unit_props_cb cb, void *payload, ieum_unit_prop **props,
                   size_t *cap, ieum_tmx_info *seen)
{
  const char *p = b->bytes.ptr;
  for (size_t k = 0; k < b->events; k++) {
    char type = *p++;
    if (type == EV_SKIP) {
      long line = (long)get_u64(&p);
      int reason = (int)get_u64(&p);
      if (reason == IEUM_TMX_SKIP_EMPTY)
        seen->empty++;
      else
        seen->skipped++;
      if (ps->opts.version >= 2 && ps->opts.on_skip)
        ps->opts.on_skip(ps->path, line, reason, ps->opts.skip_payload);
      continue;
    }
    ieum_unit u = IEUM_UNIT_INIT;
    u.id = (int64_t)get_u64(&p);
    u.src = get_str(&p, &u.src_len);
    u.tgt = get_str(&p, &u.tgt_len);
    u.src_lang = get_str(&p, NULL);
    u.tgt_lang = get_str(&p, NULL);
    uint64_t score = get_u64(&p);
    memcpy(&u.score, &score, sizeof u.score);
    u.bead = get_str(&p, NULL);
    u.document = get_str(&p, NULL);
    u.position = (int64_t)get_u64(&p);
    u.created = (int64_t)get_u64(&p);
    u.note = get_str(&p, NULL);
    u.role = get_str(&p, NULL);
    size_t n = (size_t)get_u64(&p);
    if (n > *cap) {
      ieum_unit_prop *l = ieum__reallocarray(*props, n, sizeof *l);
      if (!l)
        return ieum__error_oom();
      *props = l;
      *cap = n;
    }
    for (size_t i = 0; i < n; i++) {
      (*props)[i].kind = get_str(&p, NULL);
      (*props)[i].type = get_str(&p, NULL);
      (*props)[i].lang = get_str(&p, NULL);
      (*props)[i].value = get_str(&p, NULL);
    }
    seen->units++;
    int rc = cb(&u, n ? *props : NULL, n, payload);
    if (rc)
      return rc;
  }
  return 0;
}

/* Frees a list of batches. */
static void free_batches(batch *b)
{
  while (b) {
    batch *next = b->next;
    ieum_buf_dispose(&b->bytes);
    ieum__free(b);
    b = next;
  }
}

int ieum__tmx_read_props_piped(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                               ieum_unit_props_cb cb, void *payload)
{
  pipe_state *ps = ieum__calloc(1, sizeof *ps);
  if (!ps)
    return ieum__error_oom();
  ps->path = path;
  ps->opts = *opts;
  ieum_unit_prop *props = NULL;
  size_t cap = 0;
  int rc = 0, cb_rc = 0;
  ieum_tmx_info seen; /* what the callbacks were given */
  pthread_t thread;
  memset(&seen, 0, sizeof seen);
  pthread_mutex_init(&ps->lock, NULL);
  pthread_cond_init(&ps->changed, NULL);
  xmlInitParser(); /* libxml2's globals, once, before a second thread uses it */
  if (pthread_create(&thread, NULL, reader_main, ps) != 0) {
    pthread_cond_destroy(&ps->changed);
    pthread_mutex_destroy(&ps->lock);
    ieum__free(ps);
    /* No thread to be had: read here. */
    ieum_tmx_read_options o = *opts;
    o.threaded = 0;
    return ieum__tmx_read_props_here(out, path, &o, cb, payload);
  }
  for (;;) {
    pthread_mutex_lock(&ps->lock);
    while (!ps->head && !ps->done)
      pthread_cond_wait(&ps->changed, &ps->lock);
    batch *b = ps->head;
    if (b) {
      ps->head = b->next;
      if (!ps->head)
        ps->tail = NULL;
      ps->queued--;
      pthread_cond_broadcast(&ps->changed);
    }
    pthread_mutex_unlock(&ps->lock);
    if (!b)
      break; /* the reader is done and everything it read was delivered */
    if (!cb_rc && (cb_rc = deliver(ps, b, cb, payload, &props, &cap, &seen)) != 0) {
      pthread_mutex_lock(&ps->lock);
      ps->stop = 1; /* the reader stops at its next unit; what it queued meanwhile is dropped */
      pthread_cond_broadcast(&ps->changed);
      pthread_mutex_unlock(&ps->lock);
    }
    pthread_mutex_lock(&ps->lock);
    b->next = ps->spare;
    ps->spare = b;
    pthread_mutex_unlock(&ps->lock);
  }
  pthread_join(thread, NULL);
  if (cb_rc) {
    /* The reader went on a little past the unit the callback stopped at: the counts are of what it saw. */
    ps->info.units = seen.units;
    ps->info.skipped = seen.skipped;
    ps->info.empty = seen.empty;
  }
  if (out)
    *out = ps->info;
  if (cb_rc) {
    rc = cb_rc; /* the callback's error, recorded on this thread by the callback itself */
  } else if (ps->rc) {
    rc = ps->rc;
    ieum__error_set(ps->err_code ? ps->err_code : rc, "%s", ps->err_message);
  }
  free_batches(ps->head);
  free_batches(ps->spare);
  if (ps->filling) {
    ieum_buf_dispose(&ps->filling->bytes);
    ieum__free(ps->filling);
  }
  ieum__free(props);
  pthread_cond_destroy(&ps->changed);
  pthread_mutex_destroy(&ps->lock);
  ieum__free(ps);
  return rc;
}
