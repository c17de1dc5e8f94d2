/*
** tm/df_cache.c: the trigram frequencies a fuzzy search has counted
** (search.c), shared by every handle of the process on the same TM file.
**
** A search weighs each query trigram by how many units hold it, counted up
** to a cap by a probe of the index; a common trigram's probe steps
** thousands of doclist entries, so its count is kept here.  One cache per
** TM file (device and inode, and the index version) serves all its handles:
** `ieum serve` gives each of its threads a read handle, and a cache of each
** would make every thread count the same trigrams again.  The entries are
** a hash table with open addressing on the trigram's 64-bit hash (linear
** probing, at most half full), doubled as it fills up to MAX_SLOTS, then
** full: a new count is just not kept.  The whole table is dropped when the
** TM has grown by more than 1/STALE of its units since it was started (or
** shrunk): counts only steer the choice of candidates, so slightly old ones
** do no harm, and on a TM that does not change they are exact, whoever
** counted them.  A mutex per cache guards it; a search takes it a few
** dozen times, for no longer than a look-up.  Caches live in a list under
** one mutex, counted by their handles, and go with the last one.
** Cost: 16 bytes a slot; 43,584 trigrams of a million-unit TM of news are
** in 256 units or more (the ones search.c keeps): 131,072 slots, 2 MiB.
** Not here: what a frequency is and which are kept (search.c).
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tm_int.h"

/* Slots of a new table (a power of two). */
#define MIN_SLOTS 4096

/* Slots at most (a power of two): 4 Mi slots, 64 MiB, over 2 million trigrams. */
#define MAX_SLOTS 4194304

/* The table is dropped when the TM grew by more than 1/STALE of its units since it was started. */
#define STALE 8

/* A cached frequency: key 0 is an empty slot (search.c's keys are never 0). */
typedef struct {
  uint64_t key;
  int32_t df;
} slot;

struct ieum_tm__df_cache {
  dev_t dev;            /* the TM file; both 0 for a cache of one handle (no file to name it by) */
  ino_t ino;
  int version;          /* the index's schema version */
  int refs;             /* handles using it (under list_lock) */
  pthread_mutex_t lock; /* guards what follows */
  slot *slots;
  size_t n_slots, used;
  int64_t units;        /* the TM's largest unit id when the table was started */
  ieum_tm__df_cache *next;
};

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static ieum_tm__df_cache *caches;

static void cache_free(ieum_tm__df_cache *c)
{
  pthread_mutex_destroy(&c->lock);
  ieum__free(c->slots);
  ieum__free(c);
}

int ieum_tm__df_cache_open(ieum_tm__df_cache **out, ieum_tm *tm)
{
  const char *file = sqlite3_db_filename(tm->db, "main");
  struct stat sb;
  int named = file && *file && stat(file, &sb) == 0;
  ieum_tm__df_cache *c;
  *out = NULL;
  pthread_mutex_lock(&list_lock);
  for (c = named ? caches : NULL; c; c = c->next)
    if (c->dev == sb.st_dev && c->ino == sb.st_ino && c->version == tm->index_version)
      break;
  if (c) {
    c->refs++;
    pthread_mutex_unlock(&list_lock);
    *out = c;
    return IEUM_OK;
  }
  if (!(c = ieum__calloc(1, sizeof *c)) || !(c->slots = ieum__calloc(MIN_SLOTS, sizeof *c->slots))) {
    pthread_mutex_unlock(&list_lock);
    ieum__free(c);
    return ieum__error_oom();
  }
  pthread_mutex_init(&c->lock, NULL);
  c->n_slots = MIN_SLOTS;
  c->version = tm->index_version;
  c->refs = 1;
  if (named) {
    c->dev = sb.st_dev;
    c->ino = sb.st_ino;
    c->next = caches;
    caches = c;
  }
  pthread_mutex_unlock(&list_lock);
  *out = c;
  return IEUM_OK;
}

void ieum_tm__df_cache_close(ieum_tm__df_cache *c)
{
  if (!c)
    return;
  pthread_mutex_lock(&list_lock);
  int last = --c->refs == 0;
  if (last)
    for (ieum_tm__df_cache **p = &caches; *p; p = &(*p)->next)
      if (*p == c) {
        *p = c->next;
        break;
      }
  pthread_mutex_unlock(&list_lock);
  if (last)
    cache_free(c);
}

void ieum_tm__df_cache_check(ieum_tm__df_cache *c, int64_t units)
{
  pthread_mutex_lock(&c->lock);
  if (units > c->units + c->units / STALE || units < c->units) {
    memset(c->slots, 0, c->n_slots * sizeof *c->slots);
    c->used = 0;
    c->units = units;
  }
  pthread_mutex_unlock(&c->lock);
}

static size_t home(uint64_t key, size_t n_slots)
{
  return (size_t)(key >> 32 ^ key) & (n_slots - 1);
}

int ieum_tm__df_cache_get(int32_t *df, ieum_tm__df_cache *c, uint64_t key)
{
  int found = 0;
  pthread_mutex_lock(&c->lock);
  for (size_t i = home(key, c->n_slots); c->slots[i].key; i = (i + 1) & (c->n_slots - 1))
    if (c->slots[i].key == key) {
      *df = c->slots[i].df;
      found = 1;
      break;
    }
  pthread_mutex_unlock(&c->lock);
  return found;
}

/* Doubles the table of c (under its lock); 0 when it cannot (at MAX_SLOTS, or no memory: it stays as it is). */
static int grow(ieum_tm__df_cache *c)
{
  size_t n = c->n_slots * 2;
  slot *v = n <= MAX_SLOTS ? ieum__calloc(n, sizeof *v) : NULL;
  if (!v)
    return 0; /* a cache that stops growing loses nothing but time */
  for (size_t i = 0; i < c->n_slots; i++) {
    if (!c->slots[i].key)
      continue;
    size_t j = home(c->slots[i].key, n);
    while (v[j].key)
      j = (j + 1) & (n - 1);
    v[j] = c->slots[i];
  }
  ieum__free(c->slots);
  c->slots = v;
  c->n_slots = n;
  return 1;
}

void ieum_tm__df_cache_put(ieum_tm__df_cache *c, uint64_t key, int32_t df)
{
  pthread_mutex_lock(&c->lock);
  if (2 * (c->used + 1) > c->n_slots && !grow(c)) {
    pthread_mutex_unlock(&c->lock);
    return;
  }
  size_t i = home(key, c->n_slots);
  while (c->slots[i].key && c->slots[i].key != key)
    i = (i + 1) & (c->n_slots - 1);
  if (!c->slots[i].key)
    c->used++;
  c->slots[i].key = key;
  c->slots[i].df = df;
  pthread_mutex_unlock(&c->lock);
}
