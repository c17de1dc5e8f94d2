/*
** pipeline/batch.c: the batch engine: many document pairs aligned on
** worker threads and stored by one writer, in input order.
**
** N worker threads take the pairs in order and load, segment and align
** them (pair.c's stages), each with its own documents, alignment, lexicon
** and read-only TM handle; with the handle a pair already stored (same
** content hash of the decoded texts: the hash ieum_pipeline_store() gives
** the document) is skipped before it is aligned, which is how a stopped
** batch resumes.  The calling thread is the one writer: it stores each
** pair in its own transaction, in input order, so document ids do not
** depend on the number of workers and a kill loses nothing that was
** reported as stored.  Workers run at most IEUM_BATCH_WINDOW_PER_JOB pairs
** per worker ahead of the writer, which bounds memory: pair i lives in
** slot i % window until the writer has stored it.
**
**   pairs:   0 1 2 3 4 5 6 7 8 9 ...
**                ^next_write   ^next_take       next_take - next_write <= window
**
** The writer reports every pair to on_pair and where it is to on_progress
** (every tick while it waits); on_progress asking to stop, or a pair the
** TM cannot take, stops the batch: no pair is started any more, those the
** workers hold are finished (and, after a stop request, stored).
** Cost: segmentation and alignment dominate and run on all workers; the
** writer does one WAL commit per pair (no fsync: synchronous=NORMAL).
** Not here: pairing files (pairs.c), one pair's stages (pair.c), printing
** (cli/cmd_batch.c).
*/
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipeline_int.h"
#include "tm/texts_int.h"

/* Milliseconds between two on_progress calls while the writer waits, by default. */
#define DEFAULT_TICK_MS 200

enum { SLOT_FREE, SLOT_READY };
enum { OUT_ALIGNED, OUT_SKIPPED, OUT_FAILED };

/* One pair in flight: filled by a worker, consumed by the writer. */
typedef struct {
  int state;               /* SLOT_FREE or SLOT_READY; under batch.lock */
  int outcome;             /* OUT_* */
  ieum_aligned_pair *pair; /* OUT_ALIGNED */
  char *reason;            /* OUT_FAILED: why (ieum__malloc), NULL when out of memory */
} slot;

typedef struct {
  const ieum_batch_options *o;
  ieum_pipeline_options po;    /* o->pipeline, one thread per alignment */
  const ieum_pair_list *pairs;
  const char *tm_path;
  double prior_ratio, prior_chars;
  slot *slots;                 /* pair i lives in slots[i % window] */
  size_t window;
  pthread_mutex_t lock;
  pthread_cond_t can_take;     /* the writer freed a slot, or stop */
  pthread_cond_t ready;        /* a worker filled a slot */
  size_t next_take;            /* next pair a worker takes */
  size_t next_write;           /* next pair the writer stores */
  int stop;                    /* no pair is taken any more: workers end */
} batch;

/* A new string formatted like printf, or NULL when out of memory. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : ieum__malloc((size_t)n + 1);
  if (!s)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* The last error's message, or `fallback` when it has none. */
static const char *last_message(const char *fallback)
{
  const ieum_error *e = ieum_error_last();
  return e && e->message && e->message[0] ? e->message : fallback;
}

static void slot_clear(slot *s)
{
  ieum_aligned_pair_free(s->pair);
  ieum__free(s->reason);
  *s = (slot){ .state = SLOT_FREE };
}

/* ---- workers ------------------------------------------------------------------- */

/* Loads, segments and aligns pair `i` into `s`, unless `reader` already holds it. */
static void process(const batch *b, ieum_tm *reader, const ieum_lexicon *lex, size_t i, slot *s)
{
  const char *src = ieum_pair_list_path(b->pairs, i, 0), *tgt = ieum_pair_list_path(b->pairs, i, 1);
  ieum_pipeline__input in[2] = { { src, NULL, 0 }, { tgt, NULL, 0 } };
  ieum_aligned_pair *p = NULL;
  int64_t id;
  int rc;
  s->outcome = OUT_FAILED;
  ieum_error_clear();
  if ((rc = ieum_pipeline__new(&p, src, tgt, &b->po)) != 0)
    return; /* out of memory */
  if ((rc = ieum_pipeline__load(p, in, &b->po)) != 0) {
    s->reason = format("%s", last_message("cannot be loaded"));
    goto done;
  }
  /* Any answer but "found" (a read error included) aligns: the writer still refuses a duplicate. */
  if (reader && ieum_tm_find_document(&id, reader, "pair", p->hash) == IEUM_OK) {
    s->outcome = OUT_SKIPPED;
    goto done;
  }
  if ((rc = ieum_pipeline__align(p, lex, b->prior_ratio, b->prior_chars, &b->po)) != 0) {
    if (!p->al) /* the aligner failed */
      s->reason = format("%s + %s: cannot align: %s", src, tgt, last_message(ieum_strerror(rc)));
    else /* not a translation pair: a failure, reported with its reason */
      s->reason = format("%s", last_message(ieum_strerror(rc)));
    goto done;
  }
  s->outcome = OUT_ALIGNED;
  s->pair = p;
  p = NULL;
done:
  ieum_aligned_pair_free(p);
}

static void *worker(void *arg)
{
  batch *b = arg;
  ieum_tm *reader = NULL;
  ieum_lexicon *lex = NULL;
  /* Without a reader of its own the worker aligns everything; the writer still skips duplicates. */
  if (ieum_tm_open(&reader, b->tm_path, IEUM_TM_READ) != 0)
    reader = NULL;
  /* The lexicon ieum_pipeline_align_files() would use (ieum_batch_run() checked that it loads), one
     per worker: a library object serves one thread at a time.  Without dictionaries or learned pairs
     that is the built-in one, which the aligner would otherwise build for every pair: built once here. */
  int lex_failed = ieum_pipeline_lexicon(&lex, b->po.dicts, b->po.n_dicts, b->tm_path) != 0;
  if (!lex_failed && !lex && ieum_lexicon_new(&lex, 1) != 0)
    lex = NULL; /* out of memory: NULL is the same built-in lexicon, built per pair */
  for (;;) {
    pthread_mutex_lock(&b->lock);
    while (!b->stop && b->next_take < ieum_pair_list_count(b->pairs) && b->next_take >= b->next_write + b->window)
      pthread_cond_wait(&b->can_take, &b->lock);
    if (b->stop || b->next_take >= ieum_pair_list_count(b->pairs)) {
      pthread_mutex_unlock(&b->lock);
      break;
    }
    size_t i = b->next_take++;
    slot *s = &b->slots[i % b->window];
    pthread_mutex_unlock(&b->lock);
    if (lex_failed) {
      s->outcome = OUT_FAILED;
      s->reason = format("%s + %s: cannot load the lexicon", ieum_pair_list_path(b->pairs, i, 0),
                         ieum_pair_list_path(b->pairs, i, 1));
    } else {
      process(b, reader, lex, i, s);
    }
    pthread_mutex_lock(&b->lock);
    s->state = SLOT_READY;
    pthread_cond_signal(&b->ready);
    pthread_mutex_unlock(&b->lock);
  }
  ieum_lexicon_free(lex);
  ieum_tm_free(reader);
  return NULL;
}

/* ---- the writer ------------------------------------------------------------------ */

/*
** Called with b->lock held: tells on_progress where the batch is (the lock
** is released meanwhile), and when it asks to stop, stops handing out
** pairs and tells it once more, with `stopping` set.
*/
static void poll_progress(batch *b, const ieum_batch_stats *st, size_t done, int *stopping)
{
  if (!b->o->on_progress)
    return;
  ieum_batch_progress p = { st->total, done, b->next_take, st->stored, st->skipped, st->failed, 0 };
  pthread_mutex_unlock(&b->lock);
  int ask = b->o->on_progress(&p, b->o->payload);
  pthread_mutex_lock(&b->lock);
  if (!ask || *stopping)
    return;
  *stopping = 1;
  b->stop = 1;
  pthread_cond_broadcast(&b->can_take);
  p.started = b->next_take;
  p.stopping = 1;
  pthread_mutex_unlock(&b->lock);
  b->o->on_progress(&p, b->o->payload);
  pthread_mutex_lock(&b->lock);
}

static double cpu_seconds(void)
{
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reports pair i's outcome `e` to on_pair; its non-zero answer is kept in *cb_rc. */
static void report(const batch *b, ieum_batch_event *e, size_t i, int *cb_rc)
{
  e->index = i;
  e->src_path = ieum_pair_list_path(b->pairs, i, 0);
  e->tgt_path = ieum_pair_list_path(b->pairs, i, 1);
  if (b->o->on_pair && *cb_rc == 0)
    *cb_rc = b->o->on_pair(e, b->o->payload);
}

/* Stores or counts what slot `s` holds for pair i; a TM that cannot take it sets st->stopped = 2. */
static void write_one(batch *b, ieum_tm *tm, ieum_batch_stats *st, size_t i, slot *s, int *cb_rc)
{
  ieum_batch_event e = { 0 };
  if (s->outcome == OUT_SKIPPED) {
    st->skipped++;
    e.outcome = IEUM_BATCH_SKIPPED;
  } else if (s->outcome == OUT_FAILED) {
    st->failed++;
    e.outcome = IEUM_BATCH_FAILED;
    e.message = s->reason ? s->reason : "out of memory";
  } else {
    double c0 = cpu_seconds();
    int rc = ieum_pipeline__store(&e.doc_id, tm, s->pair, b->po.min_score, b->o->low, &e.units, &e.low);
    st->write_cpu += cpu_seconds() - c0;
    if (rc == IEUM_EEXISTS) { /* stored meanwhile: the same pair twice in one batch */
      ieum__error_clear();
      st->skipped++;
      e.outcome = IEUM_BATCH_SKIPPED;
    } else if (rc) {
      st->failed++;
      st->stopped = 2;
      e.outcome = IEUM_BATCH_NOT_STORED;
      e.message = last_message(ieum_strerror(rc));
    } else {
      st->stored++;
      st->units += e.units;
      st->low += e.low;
      st->sentences += ieum_doc_count(s->pair->doc[0]) + ieum_doc_count(s->pair->doc[1]);
      e.outcome = IEUM_BATCH_STORED;
    }
  }
  report(b, &e, i, cb_rc);
}

int ieum_batch_run(ieum_batch_stats *out, ieum_tm *tm, const ieum_pair_list *pairs, const ieum_batch_options *opts)
{
  ieum_batch_options defaults = IEUM_BATCH_OPTIONS_INIT;
  ieum_batch_stats st = { 0 };
  batch b = { 0 };
  pthread_t threads[IEUM_BATCH_MAX_JOBS];
  pthread_condattr_t ca;
  size_t started = 0;
  int rc = IEUM_OK, cb_rc = 0, stopping = 0;
  if (out)
    *out = st;
  if (!opts)
    opts = &defaults;
  if (!tm || !pairs)
    return ieum__error_set(IEUM_EINVAL, "batch: missing TM or pair list");
  if (opts->version != IEUM_BATCH_OPTIONS_VERSION || opts->pipeline.version != IEUM_PIPELINE_OPTIONS_VERSION ||
      opts->pipeline.lexicon || opts->jobs > IEUM_BATCH_MAX_JOBS || (opts->pipeline.n_dicts && !opts->pipeline.dicts))
    return ieum__error_set(IEUM_EINVAL, "%s: batch: bad options (jobs at most %d, no lexicon object)",
                           ieum_tm__path(tm), IEUM_BATCH_MAX_JOBS);
  b.o = opts;
  b.po = opts->pipeline;
  b.po.threads = 1; /* the batch already runs one alignment per core */
  b.pairs = pairs;
  b.tm_path = ieum_tm__path(tm);
  st.total = ieum_pair_list_count(pairs);
  /* the lexicon must load (each worker then loads its own) */
  ieum_lexicon *lex = NULL;
  if ((rc = ieum_pipeline_lexicon(&lex, b.po.dicts, b.po.n_dicts, b.tm_path)) != 0)
    return rc;
  ieum_lexicon_free(lex);
  /* ratio_tm: the TM's length ratio as the batch begins, the same for every pair whatever the order */
  b.prior_ratio = b.po.prior_ratio;
  b.prior_chars = b.po.prior_chars;
  if (b.po.ratio_tm && (rc = ieum_pipeline_prior(&b.prior_ratio, &b.prior_chars, b.tm_path, b.po.src_lang,
                                                 b.po.tgt_lang)) != 0)
    return rc;
  size_t jobs = opts->jobs;
  if (jobs == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = cores < 1 ? 1 : cores > IEUM_BATCH_MAX_JOBS ? IEUM_BATCH_MAX_JOBS : (size_t)cores;
  }
  if (jobs > st.total)
    jobs = st.total ? st.total : 1;
  b.window = jobs * IEUM_BATCH_WINDOW_PER_JOB;
  if (!(b.slots = ieum__calloc(b.window, sizeof *b.slots)))
    return ieum__error_set(IEUM_ENOMEM, "%s: out of memory", b.tm_path);
  pthread_mutex_init(&b.lock, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&b.ready, &ca);
  pthread_cond_init(&b.can_take, NULL);
  pthread_condattr_destroy(&ca);
  for (; started < jobs; started++) {
    int err = pthread_create(&threads[started], NULL, worker, &b);
    if (err) {
      if (started == 0)
        rc = ieum__error_set(IEUM_ERROR, "%s: cannot start a worker thread: %s", b.tm_path, strerror(err));
      break; /* fewer workers than asked: slower, not wrong */
    }
  }
  long tick = opts->tick_ms ? (long)opts->tick_ms : DEFAULT_TICK_MS;
  for (size_t i = 0; started && i < st.total; i++) {
    slot *s = &b.slots[i % b.window];
    int never = 0; /* pair i will never be taken: the batch was stopped */
    pthread_mutex_lock(&b.lock);
    poll_progress(&b, &st, i, &stopping);
    while (s->state != SLOT_READY && !(never = b.stop && i >= b.next_take)) {
      /* woken every tick to tell on_progress (which may ask to stop) */
      struct timespec until;
      clock_gettime(CLOCK_MONOTONIC, &until);
      until.tv_nsec += tick * 1000000L;
      until.tv_sec += until.tv_nsec / 1000000000L;
      until.tv_nsec %= 1000000000L;
      pthread_cond_timedwait(&b.ready, &b.lock, &until);
      poll_progress(&b, &st, i, &stopping);
    }
    pthread_mutex_unlock(&b.lock);
    if (never)
      break;
    write_one(&b, tm, &st, i, s, &cb_rc);
    int halt = st.stopped == 2 || cb_rc != 0;
    pthread_mutex_lock(&b.lock);
    slot_clear(s);
    b.next_write = i + 1;
    if (halt)
      b.stop = 1;
    pthread_cond_broadcast(&b.can_take);
    if (!halt)
      poll_progress(&b, &st, i + 1, &stopping);
    pthread_mutex_unlock(&b.lock);
    if (halt)
      break;
  }
  for (size_t k = 0; k < started; k++)
    pthread_join(threads[k], NULL);
  for (size_t k = 0; k < b.window; k++)
    slot_clear(&b.slots[k]); /* pairs aligned after a stop */
  pthread_cond_destroy(&b.ready);
  pthread_cond_destroy(&b.can_take);
  pthread_mutex_destroy(&b.lock);
  ieum__free(b.slots);
  if (stopping && st.stopped == 0)
    st.stopped = 1;
  st.not_tried = st.total - st.stored - st.skipped - st.failed;
  if (out)
    *out = st;
  return rc ? rc : cb_rc;
}
