/*
** cli/cmd_batch.c: `ieum batch`: align an archive of article pairs into a TM.
**
** The pairs come from two directory trees, paired by file name (the rule is
** in help()), or from a manifest of "src_path TAB tgt_path" lines.  N worker
** threads take the pairs in order and load, segment and align them, each
** with its own documents, alignment, lexicon and read-only TM handle; with
** the handle a pair already stored (same content hash of the decoded texts:
** the hash `ieum align --tm` gives the document) is skipped before it is
** aligned.  The main thread is the one writer: it stores each pair in its
** own transaction, in input order, so document ids do not depend on --jobs
** and a kill loses nothing that was reported as stored.  Workers run at most
** WINDOW_PER_JOB pairs per worker ahead of the writer, which bounds memory.
** Documents, HTML metadata and units are what `ieum align --tm` stores for
** the same pair (same lexicon too), so both commands build the same TM.
** Progress goes to stderr: a bar with rate and ETA on a terminal, as wide
** as the terminal allows (the workers' messages are then caught in a pipe
** and shown above the bar), a plain line every PLAIN_INTERVAL_S seconds
** otherwise; the summary goes to stdout.  Symbolic links in the trees are
** not followed unless --follow-symlinks (then only to files).  SIGINT or
** SIGTERM, or a pair the TM cannot take, stops the batch: no pair is
** started any more, those the workers hold are stored (after a signal), and
** the summary counts the pairs not tried and gives the command that resumes.
** Cost: segmentation and alignment dominate and run on all workers; the
** writer does one WAL commit per pair (no fsync: synchronous=NORMAL).
** Not here: reading and segmenting a file (util.c: cli_load_doc_from()),
** the lexicon's sources (cmd_learn.c: cli_align_lexicon()).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Pairs a worker may run ahead of the writer: enough to keep the workers
   busy while the writer is held up (a WAL checkpoint fsyncs the TM every
   ~4 MB written, tens to hundreds of ms), few enough that memory stays
   small (a held pair is two segmented documents and an alignment, ~20-100
   KB for a news article). */
#define WINDOW_PER_JOB 16

/* Upper bound of --jobs: far beyond any machine this runs on, low enough
   that a typo (--jobs 10000) does not start ten thousand threads. */
#define MAX_JOBS 256

/* Directory levels followed below SRC_DIR and TGT_DIR. */
#define MAX_DEPTH 64

/* Seconds between two plain progress lines when stderr is not a terminal. */
#define PLAIN_INTERVAL_S 10.0

/* Milliseconds between two redraws of the progress bar on a terminal. */
#define BAR_REFRESH_MS 200

/* Characters of the progress bar between its brackets, at most: fewer on a narrow terminal. */
#define BAR_WIDTH 30

/* Characters of the bar below which it is left out, leaving the counts. */
#define BAR_MIN_WIDTH 10

/* Columns assumed when neither the terminal nor $COLUMNS tells. */
#define DEFAULT_COLUMNS 80

/* Bytes of a captured stderr line held back until its end arrives; longer ones are shown in pieces. */
#define CAPTURE_LINE 4096

/* Default of --low: a stored pair scoring under it counts as low-confidence. */
#define DEFAULT_LOW 0.5

typedef struct {
  const char *tm_path, *manifest, *src_dir, *tgt_dir;
  const char *src_lang, *tgt_lang, *encoding;
  const char *src_encoding, *tgt_encoding; /* --src-encoding, --tgt-encoding; else --encoding */
  int from, paragraphs, quiet;  /* from: CLI_FROM_* */
  int learn;                    /* --learn: ieum_tm_learn() after the batch */
  int follow_links;             /* --follow-symlinks: pair the files symbolic links point to */
  int force;                    /* --force: store pairs ieum_pair_check() refuses */
  long jobs;
  double ratio, min_score, low;
  int ratio_tm;              /* --ratio tm */
  ieum_align_options prior;  /* prior_ratio, prior_chars: the TM's length ratio when the batch began */
  const char *dicts[CLI_MAX_DICTS];  /* --dict FILE, in order */
  int n_dicts;
  char src_buf[IEUM_LANG_MAX], tgt_buf[IEUM_LANG_MAX];  /* the canonical --src-lang, --tgt-lang */
} batch_args;

typedef struct {
  char **v;
  size_t n, cap;
} str_list;

typedef struct {
  char *src, *tgt;  /* paths as opened, and as stored in the TM */
} pair_path;

typedef struct {
  pair_path *v;
  size_t n, cap;
} pair_list;

/* A file found under SRC_DIR or TGT_DIR: its pairing name and its path. */
typedef struct {
  char *key;
  char *path;
} entry;

typedef struct {
  entry *v;
  size_t n, cap;
} entry_list;

enum { SLOT_FREE, SLOT_READY };
enum { OUT_ALIGNED, OUT_SKIPPED, OUT_FAILED };

/* One pair in flight: filled by a worker, consumed by the writer. */
typedef struct {
  int state;            /* SLOT_FREE or SLOT_READY; under batch.lock */
  int outcome;          /* OUT_* */
  int reported;         /* the failure was already printed on stderr */
  char hash[33];        /* content hash of the decoded pair */
  ieum_doc *src, *tgt;
  ieum_article *src_page, *tgt_page;  /* HTML input: the pages, for their metadata */
  ieum_alignment *al;
  char *reason;         /* failure message (malloc) */
} slot;

typedef struct {
  const batch_args *a;
  const pair_list *pairs;
  slot *slots;          /* window entries: pair i lives in slots[i % window] */
  size_t window;
  pthread_mutex_t lock;
  pthread_cond_t can_take;  /* the writer freed a slot, or stop */
  pthread_cond_t ready;     /* a worker filled a slot */
  size_t next_take;         /* next pair a worker takes */
  size_t next_write;        /* next pair the writer stores */
  int stop;                 /* the writer gave up: workers end */
} batch;

typedef struct {
  size_t stored, skipped, failed;
  int stop_signal;          /* the signal (SIGINT, SIGTERM) that stopped the batch, or 0 */
  int stop_write;           /* the batch stopped because the TM could not be written */
  size_t units, low;
  size_t sentences;         /* source plus target segments of the pairs aligned */
  double write_cpu;         /* CPU seconds the writer spent storing pairs */
  struct timespec start, last_draw;
  int tty, bar_drawn;
  FILE *term;               /* where progress and the writer's messages go: stderr, or the terminal */
  int pipe_fd;              /* read end of the pipe stderr goes to while the bar is shown, or -1 */
  char pending[CAPTURE_LINE];  /* a captured line not yet complete */
  size_t n_pending;
} tally;

static void help(FILE *f)
{
  fputs("Usage: ieum batch --tm DB [OPTIONS] SRC_DIR TGT_DIR\n"
        "       ieum batch --tm DB [OPTIONS] --manifest FILE.tsv\n"
        "\n"
        "Align many document pairs on all cores and add them to the TM DB (created if\n"
        "missing), each pair in its own transaction, as `ieum align --tm` would.\n"
        "\n"
        "Pairing by name: every file under SRC_DIR pairs with the file under TGT_DIR that\n"
        "has the same path relative to its directory, once a language suffix is removed\n"
        "from both names: NAME.LANG.EXT and NAME.LANG stand for NAME.EXT and NAME when LANG\n"
        "is --src-lang (under SRC_DIR) or --tgt-lang (under TGT_DIR), in any letter case.\n"
        "So 2024/a.txt pairs with 2024/a.txt, and a.ko.txt with a.en.txt.  When SRC_DIR\n"
        "and TGT_DIR are the same directory, only names with the suffix take part.  Names\n"
        "starting with '.' are ignored.  Symbolic links are not followed (they are listed)\n"
        "unless --follow-symlinks.  Files without a partner, and files sharing one pairing\n"
        "name, are listed and not aligned.\n"
        "\n"
        "A manifest has one pair per line, SRC_PATH TAB TGT_PATH; relative paths are\n"
        "relative to the manifest's directory; blank lines and lines starting with '#'\n"
        "are ignored.  Its paths are opened as they are, symbolic links included.\n"
        "\n"
        "A pair whose content is already in DB is skipped without being aligned, so an\n"
        "interrupted batch resumes where it stopped.  One bad file never stops the batch:\n"
        "it is reported and the batch goes on.  At the end a summary goes to standard\n"
        "output: pairs stored, already there and failed (with reasons), sentence pairs\n"
        "stored and how many scored under --low, unmatched files.\n"
        "\n"
        "Ctrl-C (SIGINT) or SIGTERM stops the batch: no new pair is started, the pairs in\n"
        "progress are stored, and the summary says how many pairs were not tried and the\n"
        "command that resumes; a second Ctrl-C stops at once (every pair stored is whole).\n"
        "A pair the TM cannot take (disk full) stops the batch the same way.\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory (required)\n"
        "      --manifest FILE  read the pairs from FILE instead of two directories\n"
        "  -j, --jobs N         worker threads that load, segment and align (default: the\n"
        "                       number of cores); one thread writes to the TM\n"
        "  -q, --quiet          no progress and no timing on standard error\n"
        "      --follow-symlinks  pair the files that symbolic links under SRC_DIR and\n"
        "                       TGT_DIR point to (links to directories are never followed)\n"
        "      --from KIND      what the files are, as in `ieum align`: auto (default: an HTML\n"
        "                       page by its content, else text), text, html, presegmented\n"
        "      --presegmented   same as --from presegmented: one sentence per line\n"
        "      --paragraphs M   auto (default), line or blank, as in `ieum align`\n"
        "      --src-lang L     language of the source files, BCP 47 (default ko)\n"
        "      --tgt-lang L     language of the target files, BCP 47 (default en)\n"
        "      --encoding NAME  read every file in this encoding (default: detect)\n"
        "      --src-encoding NAME, --tgt-encoding NAME\n"
        "                       read the source, or target, files in this encoding (instead\n"
        "                       of --encoding's)\n"
        "      --ratio R        target/source length ratio (default: estimated per pair);\n"
        "                       'tm': estimated per pair and from the TM's confident 1-1 units\n"
        "                       as the batch begins (a resumed batch reads them anew)\n"
        "      --dict FILE      add a dictionary to the lexicon, as in `ieum align`; repeatable\n"
        "      --min-score S    store only sentence pairs scoring at least S\n"
        "      --low S          count stored sentence pairs scoring under S as\n"
        "                       low-confidence in the summary (default 0.5)\n"
        "      --force          store pairs that do not look like translation pairs (as\n"
        "                       `ieum align --force`); without it they are failures\n"
        "      --learn          after the batch, learn word pairs from the TM's confident\n"
        "                       units (as `ieum tm learn`) for the alignments that follow\n"
        "  -h, --help           show this help\n"
        "\n"
        "Progress goes to standard error: a bar with rate and ETA on a terminal, a line\n"
        "every 10 seconds otherwise, and the time taken at the end.\n"
        "\n"
        "Exit status: 0 every pair was stored or already there (unmatched files and links\n"
        "not followed do not count), 1 a pair failed or the TM could not be written,\n"
        "2 usage error, 130 interrupted by SIGINT, 143 by SIGTERM.\n",
        f);
}

static int parse_args(batch_args *a, int argc, char **argv)
{
  enum { O_TM = 256, O_MANIFEST, O_PRESEG, O_PARA, O_SRCL, O_TGTL, O_ENC, O_RATIO, O_MIN, O_LOW, O_FROM, O_DICT, O_LEARN,
         O_SRCENC, O_TGTENC, O_FOLLOW, O_FORCE };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },           { "manifest", required_argument, NULL, O_MANIFEST },
    { "jobs", required_argument, NULL, 'j' },          { "quiet", no_argument, NULL, 'q' },
    { "presegmented", no_argument, NULL, O_PRESEG },   { "paragraphs", required_argument, NULL, O_PARA },
    { "src-lang", required_argument, NULL, O_SRCL },   { "tgt-lang", required_argument, NULL, O_TGTL },
    { "encoding", required_argument, NULL, O_ENC },    { "ratio", required_argument, NULL, O_RATIO },
    { "min-score", required_argument, NULL, O_MIN },   { "low", required_argument, NULL, O_LOW },
    { "from", required_argument, NULL, O_FROM },       { "dict", required_argument, NULL, O_DICT },
    { "learn", no_argument, NULL, O_LEARN },           { "help", no_argument, NULL, 'h' },
    { "src-encoding", required_argument, NULL, O_SRCENC }, { "tgt-encoding", required_argument, NULL, O_TGTENC },
    { "follow-symlinks", no_argument, NULL, O_FOLLOW },
    { "force", no_argument, NULL, O_FORCE },
    { NULL, 0, NULL, 0 },
  };
  *a = (batch_args){ .src_lang = "ko", .tgt_lang = "en", .from = CLI_FROM_AUTO, .paragraphs = IEUM_PARAGRAPH_AUTO,
                     .low = DEFAULT_LOW };
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  a->jobs = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : cores;
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: a->tm_path = optarg; break;
    case O_MANIFEST: a->manifest = optarg; break;
    case 'j': {
      char *end;
      errno = 0;
      long n = strtol(optarg, &end, 10);
      if (errno || end == optarg || *end || n < 1 || n > MAX_JOBS)
        return cli_usage_error("batch", "--jobs wants a whole number from 1 to %d, not '%s'", MAX_JOBS, optarg);
      a->jobs = n;
      break;
    }
    case 'q': a->quiet = 1; break;
    case O_PRESEG: a->from = CLI_FROM_PRESEGMENTED; break;
    case O_FROM:
      if ((a->from = cli_parse_from(optarg)) < 0)
        return cli_usage_error("batch", "--from wants auto, text, html or presegmented, not '%s'", optarg);
      break;
    case O_LEARN: a->learn = 1; break;
    case O_FOLLOW: a->follow_links = 1; break;
    case O_FORCE: a->force = 1; break;
    case O_DICT:
      if (a->n_dicts == CLI_MAX_DICTS)
        return cli_usage_error("batch", "at most %d --dict files", CLI_MAX_DICTS);
      a->dicts[a->n_dicts++] = optarg;
      break;
    case O_PARA:
      if (!strcmp(optarg, "auto"))
        a->paragraphs = IEUM_PARAGRAPH_AUTO;
      else if (!strcmp(optarg, "line"))
        a->paragraphs = IEUM_PARAGRAPH_LINE;
      else if (!strcmp(optarg, "blank"))
        a->paragraphs = IEUM_PARAGRAPH_BLANK;
      else
        return cli_usage_error("batch", "--paragraphs wants 'auto', 'line' or 'blank', not '%s'", optarg);
      break;
    case O_SRCL: a->src_lang = optarg; break;
    case O_TGTL: a->tgt_lang = optarg; break;
    case O_ENC: a->encoding = optarg; break;
    case O_SRCENC: a->src_encoding = optarg; break;
    case O_TGTENC: a->tgt_encoding = optarg; break;
    case O_RATIO:
      if (!strcmp(optarg, "tm"))
        a->ratio_tm = 1;
      else if (cli_parse_double(optarg, 0.01, 100, &a->ratio))
        return cli_usage_error("batch", "--ratio wants a number from 0.01 to 100 or 'tm', not '%s'", optarg);
      break;
    case O_MIN:
      if (cli_parse_double(optarg, 0, 1, &a->min_score))
        return cli_usage_error("batch", "--min-score wants a number from 0 to 1, not '%s'", optarg);
      break;
    case O_LOW:
      if (cli_parse_double(optarg, 0, 1, &a->low))
        return cli_usage_error("batch", "--low wants a number from 0 to 1, not '%s'", optarg);
      break;
    case 'h': help(stdout); return -1;
    case ':': return cli_usage_error("batch", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("batch", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!a->tm_path)
    return cli_usage_error("batch", "batch needs --tm DB");
  if (!a->src_encoding)
    a->src_encoding = a->encoding;
  if (!a->tgt_encoding)
    a->tgt_encoding = a->encoding;
  if (a->manifest) {
    if (argc - optind != 0)
      return cli_usage_error("batch", "--manifest takes no SRC_DIR TGT_DIR (got %d more arguments)", argc - optind);
  } else {
    if (argc - optind != 2)
      return cli_usage_error("batch", "expected two directories, SRC_DIR and TGT_DIR, or --manifest (got %d)",
                             argc - optind);
    a->src_dir = argv[optind];
    a->tgt_dir = argv[optind + 1];
  }
  if (cli_lang_arg(&a->src_lang, a->src_buf, "--src-lang", a->src_lang) != CLI_OK ||
      cli_lang_arg(&a->tgt_lang, a->tgt_buf, "--tgt-lang", a->tgt_lang) != CLI_OK)
    return CLI_USAGE;
  return CLI_OK;
}

/* ---- small helpers ---------------------------------------------------------- */

/* A new string formatted like printf, or NULL when out of memory. */
static char *format(const char *fmt, ...) CLI_PRINTF(1, 2);
static char *format(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (!s)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* `dir` joined with `name`; `name` as it is when `dir` is "" or "." or `name` is absolute. */
static char *join(const char *dir, const char *name)
{
  size_t n = strlen(dir);
  if (name[0] == '/' || n == 0 || !strcmp(dir, "."))
    return format("%s", name);
  return format("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

/* Grows a list's array to hold one more element of `size` bytes; -1 on OOM. */
static int reserve(void **v, size_t *cap, size_t n, size_t size)
{
  if (n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 64;
  void *p = realloc(*v, ncap * size);
  if (!p)
    return -1;
  *v = p;
  *cap = ncap;
  return 0;
}

/* Appends `s` (taken over: freed on failure too); -1 on OOM. */
static int str_add(str_list *l, char *s)
{
  if (!s || reserve((void **)&l->v, &l->cap, l->n, sizeof *l->v)) {
    free(s);
    return -1;
  }
  l->v[l->n++] = s;
  return 0;
}

static void str_free(str_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
}

/* Appends a pair (both strings taken over); -1 on OOM. */
static int pair_add(pair_list *l, char *src, char *tgt)
{
  if (!src || !tgt || reserve((void **)&l->v, &l->cap, l->n, sizeof *l->v)) {
    free(src);
    free(tgt);
    return -1;
  }
  l->v[l->n++] = (pair_path){ src, tgt };
  return 0;
}

static void pair_free(pair_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].src);
    free(l->v[i].tgt);
  }
  free(l->v);
}

static void entry_free(entry_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].key);
    free(l->v[i].path);
  }
  free(l->v);
}

/* "s" unless n is 1: "%zu pair%s". */
static const char *plural(size_t n)
{
  return n == 1 ? "" : "s";
}

static double seconds_since(const struct timespec *t0)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- pairing by name ----------------------------------------------------------- */

/* Whether s[0..n) is the language tag `lang`, ASCII letter case ignored. */
static int is_lang(const char *s, size_t n, const char *lang)
{
  return n > 0 && strlen(lang) == n && strncasecmp(s, lang, n) == 0;
}

/*
** The pairing name of `rel` (a path relative to its directory): `rel` with
** the language suffix removed from its last component (see help()).  Sets
** *suffixed when there was one.  NULL when out of memory.
*/
static char *pair_key(const char *rel, const char *lang, int *suffixed)
{
  const char *base = strrchr(rel, '/');
  base = base ? base + 1 : rel;
  const char *last = strrchr(base, '.');
  *suffixed = 0;
  if (last && last > base) {
    /* NAME.LANG */
    if (is_lang(last + 1, strlen(last + 1), lang)) {
      *suffixed = 1;
      return format("%.*s", (int)(last - rel), rel);
    }
    /* NAME.LANG.EXT */
    const char *prev = last - 1;
    while (prev > base && *prev != '.')
      prev--;
    if (prev > base && is_lang(prev + 1, (size_t)(last - prev - 1), lang)) {
      *suffixed = 1;
      return format("%.*s%s", (int)(prev - rel), rel, last);
    }
  }
  return format("%s", rel);
}

/*
** Adds the regular files under root/rel to `out`, with their pairing
** names; with `need_suffix` only those with a language suffix.  A symbolic
** link is followed only to a file and only with `follow`; every other one
** is recorded in `links`, so that no file outside the trees is read
** unasked.  An unreadable subdirectory is recorded in `fails`.  -1 on OOM.
*/
static int walk(entry_list *out, str_list *fails, str_list *links, const char *root, const char *rel, int depth,
                const char *lang, int need_suffix, int follow)
{
  char *dir_path = rel ? join(root, rel) : format("%s", root);
  DIR *d = dir_path ? opendir(dir_path) : NULL;
  struct dirent *e;
  int rc = 0;
  if (!dir_path)
    return -1;
  if (!d) {
    char *msg = format("%s: cannot read the directory: %s", dir_path, strerror(errno));
    cli_error("%s", msg ? msg : dir_path);
    rc = str_add(fails, msg);
    goto done;
  }
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *child = rel ? format("%s/%s", rel, e->d_name) : format("%s", e->d_name);
    char *path = child ? join(root, child) : NULL;
    struct stat sb, lsb;
    if (!child || !path) {
      rc = -1;
    } else if (lstat(path, &lsb) != 0) {
      /* removed meanwhile: nothing to pair */
    } else if (S_ISLNK(lsb.st_mode) && (!follow || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))) {
      /* never a directory (a loop), a file only when asked: a link may lead out of the tree */
      if (links) /* NULL on the second walk of one directory: listed once */
        rc = str_add(links, format("%s: a symbolic link%s; not followed%s", path,
                                 !follow ? "" : stat(path, &sb) != 0 ? " to nothing" : " to a directory",
                                 follow ? "" : " (see --follow-symlinks)"));
    } else if (!S_ISLNK(lsb.st_mode) && S_ISDIR(lsb.st_mode)) {
      if (depth + 1 >= MAX_DEPTH) {
        char *msg = format("%s: more than %d directory levels; not followed", path, MAX_DEPTH);
        cli_error("%s", msg ? msg : path);
        rc = str_add(fails, msg);
      } else {
        rc = walk(out, fails, links, root, child, depth + 1, lang, need_suffix, follow);
      }
    } else if (S_ISLNK(lsb.st_mode) || S_ISREG(lsb.st_mode)) { /* a regular file, or a followed link to one */
      int suffixed;
      char *key = pair_key(child, lang, &suffixed);
      if (!key || reserve((void **)&out->v, &out->cap, out->n, sizeof *out->v)) {
        free(key);
        rc = -1;
      } else if (need_suffix && !suffixed) {
        free(key);
      } else {
        out->v[out->n++] = (entry){ key, path };
        path = NULL;
      }
    }
    free(child);
    free(path);
  }
  closedir(d);
done:
  free(dir_path);
  return rc;
}

static int entry_cmp(const void *x, const void *y)
{
  const entry *a = x, *b = y;
  int c = strcmp(a->key, b->key);
  return c ? c : strcmp(a->path, b->path);
}

/*
** Sorts `l` by pairing name and moves every entry whose name is shared
** with another one of the same side into `unmatched` (as a message).
** -1 on OOM.
*/
static int drop_ambiguous(entry_list *l, str_list *unmatched)
{
  size_t w = 0;
  if (l->n > 1)
    qsort(l->v, l->n, sizeof *l->v, entry_cmp);
  for (size_t i = 0; i < l->n;) {
    size_t j = i + 1;
    while (j < l->n && !strcmp(l->v[j].key, l->v[i].key))
      j++;
    if (j - i == 1) {
      l->v[w++] = l->v[i];
    } else {
      for (size_t k = i; k < j; k++) {
        char *msg = format("%s: ambiguous: %s has the same pairing name (neither is aligned)", l->v[k].path,
                           l->v[k == i ? i + 1 : i].path);
        if (str_add(unmatched, msg)) {
          /* keep every entry not yet moved once, so that the list frees it */
          memmove(&l->v[w], &l->v[i], (l->n - i) * sizeof *l->v);
          l->n = w + (l->n - i);
          return -1;
        }
      }
      for (size_t k = i; k < j; k++) {
        free(l->v[k].key);
        free(l->v[k].path);
      }
    }
    i = j;
  }
  l->n = w;
  return 0;
}

/*
** Pairs the files of the two directories into `pairs`; files without a
** partner go to `unmatched`.  Prints its own errors; CLI_OK or CLI_FAIL.
*/
static int pair_dirs(pair_list *pairs, str_list *unmatched, str_list *fails, str_list *links, const batch_args *a)
{
  entry_list src = { 0 }, tgt = { 0 };
  struct stat ss, ts;
  int rc = CLI_FAIL;
  if (stat(a->src_dir, &ss) != 0 || stat(a->tgt_dir, &ts) != 0) {
    cli_error("%s: %s", stat(a->src_dir, &ss) != 0 ? a->src_dir : a->tgt_dir,
              errno == ENOENT ? "no such directory" : strerror(errno));
    return CLI_FAIL;
  }
  if (!S_ISDIR(ss.st_mode) || !S_ISDIR(ts.st_mode)) {
    cli_error("%s: not a directory", !S_ISDIR(ss.st_mode) ? a->src_dir : a->tgt_dir);
    return CLI_FAIL;
  }
  int same = ss.st_dev == ts.st_dev && ss.st_ino == ts.st_ino;
  if (walk(&src, fails, links, a->src_dir, NULL, 0, a->src_lang, same, a->follow_links) ||
      walk(&tgt, fails, same ? NULL : links, a->tgt_dir, NULL, 0, a->tgt_lang, same, a->follow_links) ||
      drop_ambiguous(&src, unmatched) ||
      drop_ambiguous(&tgt, unmatched))
    goto oom;
  size_t i = 0, j = 0;
  while (i < src.n || j < tgt.n) {
    int c = i == src.n ? 1 : j == tgt.n ? -1 : strcmp(src.v[i].key, tgt.v[j].key);
    if (c == 0) {
      if (pair_add(pairs, src.v[i].path, tgt.v[j].path))
        goto oom_taken;
      src.v[i++].path = NULL;
      tgt.v[j++].path = NULL;
    } else if (c < 0) {
      if (str_add(unmatched, format("%s: no file in %s pairs with it", src.v[i].path, a->tgt_dir)))
        goto oom;
      i++;
    } else {
      if (str_add(unmatched, format("%s: no file in %s pairs with it", tgt.v[j].path, a->src_dir)))
        goto oom;
      j++;
    }
  }
  rc = CLI_OK;
  goto done;
oom_taken:
  src.v[i].path = tgt.v[j].path = NULL; /* pair_add freed them */
oom:
  cli_error("%s: out of memory while pairing files", a->src_dir);
done:
  entry_free(&src);
  entry_free(&tgt);
  return rc;
}

/*
** Reads the pairs of a manifest; a malformed line is recorded in `fails`
** and skipped.  Prints its own errors; CLI_OK or CLI_FAIL.
*/
static int read_manifest(pair_list *pairs, str_list *fails, const char *path)
{
  FILE *f = fopen(path, "r");
  char *line = NULL, *dir = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int rc = CLI_FAIL;
  struct stat sb;
  if (!f) {
    cli_error("%s: cannot read: %s", path, strerror(errno));
    return CLI_FAIL;
  }
  if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    cli_error("%s: is a directory, not a manifest", path);
    goto done;
  }
  const char *slash = strrchr(path, '/');
  dir = slash ? format("%.*s", (int)(slash == path ? 1 : slash - path), path) : format(".");
  if (!dir)
    goto oom;
  while ((n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    char *p = line;
    if (lineno == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
      p += 3; /* a UTF-8 byte order mark */
    if (!*p || *p == '#' || strspn(p, " \t") == strlen(p))
      continue;
    char *tab = strchr(p, '\t');
    if (!tab || tab == p || !tab[1] || strchr(tab + 1, '\t')) {
      char *msg = format("%s:%zu: expected SRC_PATH<TAB>TGT_PATH", path, lineno);
      cli_error("%s", msg ? msg : path);
      if (str_add(fails, msg))
        goto oom;
      continue;
    }
    *tab = '\0';
    if (pair_add(pairs, join(dir, p), join(dir, tab + 1)))
      goto oom;
  }
  if (ferror(f)) {
    cli_error("%s: read error after line %zu: %s", path, lineno, strerror(errno));
    goto done;
  }
  rc = CLI_OK;
  goto done;
oom:
  cli_error("%s: out of memory", path);
done:
  free(line);
  free(dir);
  fclose(f);
  return rc;
}

/* ---- workers ------------------------------------------------------------------- */

static void slot_clear(slot *s)
{
  ieum_alignment_free(s->al);
  ieum_doc_free(s->src);
  ieum_doc_free(s->tgt);
  ieum_html_free(s->src_page);
  ieum_html_free(s->tgt_page);
  free(s->reason);
  *s = (slot){ .state = SLOT_FREE };
}

/* Records why loading `path` failed; cli_load_doc() has printed it already. */
static void load_failed(slot *s, const char *path, const ieum_buf *text)
{
  const ieum_error *e = ieum_error_last();
  s->outcome = OUT_FAILED;
  s->reported = 1;
  if (e && e->message && e->message[0])
    s->reason = format("%s", e->message);
  else if (text->size == 0)
    s->reason = format("%s: file is empty", path);
  else if (ieum_text_is_blank(text->ptr, text->size))
    s->reason = format("%s: file holds no text (only white space)", path);
  else
    s->reason = format("%s: cannot be loaded", path);
}

/* Loads, segments and aligns pair `p` into `s`, unless `reader` already holds it. */
static void process(const batch_args *a, ieum_tm *reader, const ieum_lexicon *lex, const pair_path *p, slot *s)
{
  ieum_buf st = IEUM_BUF_INIT, tt = IEUM_BUF_INIT;
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  int64_t id;
  so.mode = IEUM_SEGMENT_SENTENCES;
  so.paragraphs = a->paragraphs;
  so.lang = a->src_lang;
  ieum_error_clear();
  if (cli_load_doc_from(&s->src, &st, &s->src_page, p->src, a->src_encoding, &so, a->from) != CLI_OK) {
    load_failed(s, p->src, &st);
    goto done;
  }
  so.lang = a->tgt_lang;
  ieum_error_clear();
  if (cli_load_doc_from(&s->tgt, &tt, &s->tgt_page, p->tgt, a->tgt_encoding, &so, a->from) != CLI_OK) {
    load_failed(s, p->tgt, &tt);
    goto done;
  }
  ieum_tm_hash(s->hash, st.ptr, st.size, tt.ptr, tt.size);
  /* Any answer but "found" (a read error included) aligns: the writer still refuses a duplicate. */
  if (reader && ieum_tm_find_document(&id, reader, "pair", s->hash) == IEUM_OK) {
    s->outcome = OUT_SKIPPED;
    goto done;
  }
  ieum_align_options ao = IEUM_ALIGN_OPTIONS_INIT;
  ao.ratio = a->ratio;
  ao.lexicon = lex;
  ao.threads = 1; /* the batch already runs one alignment per core */
  ao.prior_ratio = a->prior.prior_ratio;
  ao.prior_chars = a->prior.prior_chars;
  int rc = ieum_alignment_new(&s->al, s->src, s->tgt, &ao);
  if (rc) {
    const ieum_error *e = ieum_error_last();
    s->outcome = OUT_FAILED;
    s->reason = format("%s + %s: cannot align: %s", p->src, p->tgt, e ? e->message : ieum_strerror(rc));
    goto done;
  }
  /* not a translation pair: a failure, reported with its reason, unless --force */
  if (!a->force && (rc = ieum_pair_check(s->src, s->tgt, s->al, lex, p->src, p->tgt)) != 0) {
    const ieum_error *e = ieum_error_last();
    s->outcome = OUT_FAILED;
    s->reason = format("%s", e && e->message[0] ? e->message : ieum_strerror(rc));
    goto done;
  }
  s->outcome = OUT_ALIGNED;
done:
  ieum_buf_dispose(&st);
  ieum_buf_dispose(&tt);
}

static void *worker(void *arg)
{
  batch *b = arg;
  ieum_tm *reader = NULL;
  ieum_lexicon *lex = NULL;
  /* Without a reader of its own the worker aligns everything; the writer still skips duplicates. */
  if (ieum_tm_open(&reader, b->a->tm_path, IEUM_TM_READ) != 0)
    reader = NULL;
  /* The lexicon `ieum align --tm` would use (cmd_batch() checked that it loads), one per worker:
     a library object serves one thread at a time.  Without dictionaries or learned pairs that is
     the built-in one, which the aligner would otherwise build for every pair: built once here. */
  int lex_failed = cli_align_lexicon(&lex, b->a->dicts, b->a->n_dicts, b->a->tm_path) != CLI_OK;
  if (!lex_failed && !lex && ieum_lexicon_new(&lex, 1) != 0)
    lex = NULL; /* out of memory: NULL is the same built-in lexicon, built per pair */
  for (;;) {
    pthread_mutex_lock(&b->lock);
    while (!b->stop && b->next_take < b->pairs->n && b->next_take >= b->next_write + b->window)
      pthread_cond_wait(&b->can_take, &b->lock);
    if (b->stop || b->next_take >= b->pairs->n) {
      pthread_mutex_unlock(&b->lock);
      break;
    }
    size_t i = b->next_take++;
    slot *s = &b->slots[i % b->window];
    pthread_mutex_unlock(&b->lock);
    if (lex_failed) {
      s->outcome = OUT_FAILED;
      s->reason = format("%s + %s: cannot load the lexicon", b->pairs->v[i].src, b->pairs->v[i].tgt);
    } else {
      process(b->a, reader, lex, &b->pairs->v[i], s);
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

/* Stores the metadata of one side's page as "PREFIX.KEY" items of document `doc_id`, as align does. */
static int store_meta(ieum_tm *tm, int64_t doc_id, const char *prefix, const ieum_article *page)
{
  const char *key;
  int rc = 0;
  for (size_t i = 0; page && rc == 0 && (key = ieum_html_meta_key(page, i)) != NULL; i++) {
    char name[64];
    snprintf(name, sizeof name, "%s.%s", prefix, key);
    rc = ieum_tm_set_document_meta(tm, doc_id, name, ieum_html_meta(page, key));
  }
  return rc;
}

/*
** Stores an aligned pair in one transaction, as `ieum align --tm` does:
** a document row, the metadata of HTML pages, then one unit per bead with both sides and a score of at
** least --min-score, numbered by its place in the ladder.  Returns 0, or
** a library error code (the transaction is rolled back).
*/
static int store(tally *t, ieum_tm *tm, const batch_args *a, const pair_path *p, const slot *s)
{
  ieum_buf src = IEUM_BUF_INIT, tgt = IEUM_BUF_INIT;
  size_t units = 0, low = 0;
  int64_t doc_id;
  int rc;
  if ((rc = ieum_tm_begin(tm)) != 0)
    return rc;
  ieum_tm_document d = { .kind = "pair", .src_path = p->src, .tgt_path = p->tgt, .src_lang = a->src_lang,
                         .tgt_lang = a->tgt_lang, .hash = s->hash };
  rc = ieum_tm_add_document(&doc_id, tm, &d);
  if (rc == IEUM_EEXISTS) { /* stored meanwhile: the same pair twice in one batch */
    t->skipped++;
    rc = ieum_tm_rollback(tm);
    goto done;
  }
  if (rc || (rc = store_meta(tm, doc_id, "src", s->src_page)) != 0 ||
      (rc = store_meta(tm, doc_id, "tgt", s->tgt_page)) != 0)
    goto done;
  for (size_t k = 0; k < ieum_alignment_count(s->al); k++) {
    const ieum_bead *b = ieum_alignment_bead(s->al, k);
    if (b->src_n == 0 || b->tgt_n == 0 || b->score < a->min_score)
      continue;
    src.size = tgt.size = 0;
    if ((rc = ieum_bead_text(&src, s->src, b, 0)) != 0 || (rc = ieum_bead_text(&tgt, s->tgt, b, 1)) != 0)
      goto done;
    char type[8];
    snprintf(type, sizeof type, "%u-%u", (unsigned)b->src_n, (unsigned)b->tgt_n);
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = src.ptr;
    u.src_len = src.size;
    u.tgt = tgt.ptr;
    u.tgt_len = tgt.size;
    u.src_lang = a->src_lang;
    u.tgt_lang = a->tgt_lang;
    u.score = b->score;
    u.bead = type;
    u.position = (int64_t)k;
    u.role = ieum_segment_role_name(ieum_bead_role(s->src, s->tgt, b));
    if ((rc = ieum_tm_add_unit(tm, doc_id, &u)) != 0)
      goto done;
    units++;
    low += b->score < a->low;
  }
  if ((rc = ieum_tm_commit(tm)) != 0)
    goto done;
  t->stored++;
  t->units += units;
  t->low += low;
  t->sentences += ieum_doc_count(s->src) + ieum_doc_count(s->tgt);
done:
  if (rc)
    ieum_tm_rollback(tm); /* the error of rc stays the one recorded */
  ieum_buf_dispose(&src);
  ieum_buf_dispose(&tgt);
  return rc;
}

/* "1:02:03" or "2:03" for a number of seconds. */
static void clock_text(char out[32], double s)
{
  long v = s < 0 ? 0 : s > 359999 ? 359999 : (long)(s + 0.5);
  if (v >= 3600)
    snprintf(out, 32, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
  else
    snprintf(out, 32, "%ld:%02ld", v / 60, v % 60);
}

/*
** While the bar is on a terminal, stderr (fd 2) is a pipe: the workers'
** messages (cli_load_doc() prints its own) land there, and the writer shows
** each complete line above the bar instead of letting it run into the bar.
** The writer itself prints to t->term, the terminal, and never into the
** pipe, which it alone empties.  Without a pipe everything goes to stderr.
*/
static void capture_start(tally *t)
{
  int p[2] = { -1, -1 }, saved = dup(STDERR_FILENO);
  FILE *term = NULL;
  if (saved < 0 || pipe(p) != 0 || !(term = fdopen(saved, "w")))
    goto fail;
  fcntl(saved, F_SETFD, FD_CLOEXEC);
  fcntl(p[0], F_SETFD, FD_CLOEXEC);
  fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
  fflush(stderr);
  if (dup2(p[1], STDERR_FILENO) < 0)
    goto fail;
  close(p[1]);
  t->term = term;
  t->pipe_fd = p[0];
  return;
fail:
  if (term)
    fclose(term);
  else if (saved >= 0)
    close(saved);
  if (p[0] >= 0) {
    close(p[0]);
    close(p[1]);
  }
}

/* Shows the captured lines; a partial line waits for its end (or for `all`). */
static void capture_show(tally *t, int all)
{
  size_t start = 0;
  int rest = all || t->n_pending == sizeof t->pending; /* show a partial line too */
  for (size_t k = 0; k < t->n_pending; k++) {
    if (t->pending[k] != '\n' && !(rest && k + 1 == t->n_pending))
      continue;
    if (t->bar_drawn)
      fputs("\r\033[K", t->term);
    t->bar_drawn = 0;
    fwrite(t->pending + start, 1, k + 1 - start, t->term);
    if (t->pending[k] != '\n')
      fputc('\n', t->term);
    start = k + 1;
  }
  memmove(t->pending, t->pending + start, t->n_pending - start);
  t->n_pending -= start;
  fflush(t->term);
}

static void capture_drain(tally *t)
{
  ssize_t n;
  if (t->pipe_fd < 0)
    return;
  while ((n = read(t->pipe_fd, t->pending + t->n_pending, sizeof t->pending - t->n_pending)) > 0) {
    t->n_pending += (size_t)n;
    capture_show(t, 0);
  }
}

/* Gives fd 2 back to the terminal and shows what is left in the pipe. */
static void capture_stop(tally *t)
{
  if (t->pipe_fd < 0)
    return;
  fflush(stderr);
  dup2(fileno(t->term), STDERR_FILENO); /* the pipe's last write end closes: its reads end */
  capture_drain(t);
  capture_show(t, 1);
  close(t->pipe_fd);
  t->pipe_fd = -1;
  fclose(t->term);
  t->term = stderr;
}

/* Columns of the terminal on `fd`: its size (TIOCGWINSZ), else $COLUMNS, else DEFAULT_COLUMNS. */
static size_t columns(int fd)
{
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  const char *env = getenv("COLUMNS");
  char *end;
  long n = env ? strtol(env, &end, 10) : 0;
  return env && end != env && !*end && n > 0 && n < 10000 ? (size_t)n : DEFAULT_COLUMNS;
}

/* Draws the bar (terminal) or prints a plain line when one is due. */
static void progress(tally *t, size_t done, size_t total, int force)
{
  capture_drain(t);
  double elapsed = seconds_since(&t->start), since = seconds_since(&t->last_draw);
  if (!force && since < (t->tty ? BAR_REFRESH_MS / 1000.0 : PLAIN_INTERVAL_S))
    return;
  clock_gettime(CLOCK_MONOTONIC, &t->last_draw);
  double rate = elapsed > 0 ? (double)done / elapsed : 0;
  char eta[32] = "?";
  if (rate > 0)
    clock_text(eta, (double)(total - done) / rate);
  if (t->tty) {
    /* One line that never wraps: the counts, and before them as much bar as fits (the width is asked
       anew each time: the terminal may be resized).  The last column stays free: some terminals wrap
       when it is written. */
    char counts[128], bar[BAR_WIDTH + 1];
    size_t room = columns(fileno(t->term)) - 1, len = 0;
    /* the counts, then without the ETA, then without the rate, until they fit */
    for (int part = 3; part > 0; part--) {
      int n = part == 3 ? snprintf(counts, sizeof counts, "%zu/%zu pairs  %.1f pairs/s  ETA %s", done, total, rate, eta)
              : part == 2 ? snprintf(counts, sizeof counts, "%zu/%zu pairs  %.1f pairs/s", done, total, rate)
                          : snprintf(counts, sizeof counts, "%zu/%zu pairs", done, total);
      len = n < 0 ? 0 : (size_t)n >= sizeof counts ? sizeof counts - 1 : (size_t)n;
      if (len <= room)
        break;
    }
    size_t width = room > len + 3 ? room - len - 3 : 0; /* "[" bar "] " */
    if (width > BAR_WIDTH)
      width = BAR_WIDTH;
    fputs("\r\033[K", t->term);
    if (width >= BAR_MIN_WIDTH) {
      size_t fill = total ? done * width / total : 0;
      for (size_t k = 0; k < width; k++)
        bar[k] = k < fill ? '#' : '.';
      bar[width] = '\0';
      fprintf(t->term, "[%s] ", bar);
    }
    fwrite(counts, 1, len < room ? len : room, t->term);
    fflush(t->term);
    t->bar_drawn = 1;
  } else {
    fprintf(t->term, "ieum batch: %zu/%zu pairs (%zu%%), %.1f pairs/s, ETA %s\n", done, total,
            total ? done * 100 / total : 100, rate, eta);
  }
}

/* Prints a message of the writer on its own line, above the bar. */
static void say(tally *t, const char *msg)
{
  if (t->bar_drawn)
    fputs("\r\033[K", t->term);
  t->bar_drawn = 0;
  fprintf(t->term, "ieum: %s\n", msg);
  fflush(t->term);
}

/* The signal (SIGINT, SIGTERM) that asked the batch to stop, 0 while none did.  Set by the handler only. */
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
  caught_signal = sig;
}

/* Catches SIGINT and SIGTERM once each (`on`), or gives them back their default action. */
static void catch_signals(int on)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on ? on_signal : SIG_DFL;
  sa.sa_flags = SA_RESTART | SA_RESETHAND; /* a second Ctrl-C ends the process at once */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/*
** Called with b->lock held: when a signal came, stops handing out pairs
** (the workers end after the pair they hold) and says so once.
*/
static void notice_signal(tally *t, batch *b, size_t done, size_t total)
{
  int sig = caught_signal;
  if (!sig || t->stop_signal)
    return;
  t->stop_signal = sig;
  b->stop = 1;
  pthread_cond_broadcast(&b->can_take);
  size_t held = b->next_take - done;
  char *msg = format("interrupted by %s: storing the %zu pair%s in progress, then stopping (%zu of %zu not "
                     "started)",
                     sig == SIGINT ? "SIGINT" : "SIGTERM", held, plural(held), total - b->next_take, total);
  say(t, msg ? msg : "interrupted: stopping");
  free(msg);
}

/*
** Runs the workers over `pairs` and writes their results in order.
** Failures are added to `fails`.  Returns CLI_OK, or CLI_FAIL when the TM
** could not be written (the batch stopped there: t->stop_write).  After
** SIGINT or SIGTERM (t->stop_signal) no pair is started any more; those
** already taken by a worker are stored.
*/
static int run(tally *t, str_list *fails, ieum_tm *tm, const batch_args *a, const pair_list *pairs, int show)
{
  batch b = { .a = a, .pairs = pairs };
  pthread_t threads[MAX_JOBS];
  pthread_condattr_t ca;
  size_t jobs = (size_t)a->jobs, started = 0;
  int rc = CLI_OK;
  if (jobs > pairs->n)
    jobs = pairs->n ? pairs->n : 1;
  b.window = jobs * WINDOW_PER_JOB;
  if (!(b.slots = calloc(b.window, sizeof *b.slots))) {
    cli_error("%s: out of memory", a->tm_path);
    return CLI_FAIL;
  }
  pthread_mutex_init(&b.lock, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&b.ready, &ca);
  pthread_cond_init(&b.can_take, NULL);
  pthread_condattr_destroy(&ca);
  for (; started < jobs; started++) {
    int err = pthread_create(&threads[started], NULL, worker, &b);
    if (err) {
      if (started == 0) {
        cli_error("%s: cannot start a worker thread: %s", a->tm_path, strerror(err));
        rc = CLI_FAIL;
      }
      break; /* fewer workers than asked: slower, not wrong */
    }
  }
  for (size_t i = 0; started && i < pairs->n; i++) {
    slot *s = &b.slots[i % b.window];
    int never = 0; /* pair i will never be taken: the batch was stopped */
    pthread_mutex_lock(&b.lock);
    notice_signal(t, &b, i, pairs->n);
    while (s->state != SLOT_READY && !(never = b.stop && i >= b.next_take)) {
      /* woken every BAR_REFRESH_MS to redraw the bar and to notice a signal */
      struct timespec until;
      clock_gettime(CLOCK_MONOTONIC, &until);
      until.tv_nsec += BAR_REFRESH_MS * 1000000L;
      until.tv_sec += until.tv_nsec / 1000000000L;
      until.tv_nsec %= 1000000000L;
      pthread_cond_timedwait(&b.ready, &b.lock, &until);
      notice_signal(t, &b, i, pairs->n);
      if (show) {
        pthread_mutex_unlock(&b.lock);
        progress(t, i, pairs->n, 0);
        pthread_mutex_lock(&b.lock);
      }
    }
    pthread_mutex_unlock(&b.lock);
    if (never)
      break;
    if (s->outcome == OUT_SKIPPED) {
      t->skipped++;
    } else if (s->outcome == OUT_FAILED) {
      t->failed++;
      const char *why = s->reason ? s->reason : "out of memory";
      if (!s->reported)
        say(t, why);
      const pair_path *p = &pairs->v[i];
      size_t ls = strlen(p->src), lt = strlen(p->tgt);
      /* name the pair unless the reason already starts with one of its files */
      int named = (!strncmp(why, p->src, ls) && (why[ls] == ':' || !strncmp(why + ls, " + ", 3))) ||
                  (!strncmp(why, p->tgt, lt) && why[lt] == ':');
      if (str_add(fails, named ? format("%s", why) : format("%s + %s: %s", p->src, p->tgt, why))) {
        say(t, "out of memory");
        rc = CLI_FAIL;
      }
    } else {
      struct timespec c0, c1;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
      int lrc = store(t, tm, a, &pairs->v[i], s);
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
      t->write_cpu += (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
      if (lrc) {
        const ieum_error *e = ieum_error_last();
        char *msg = format("%s + %s: not stored: %s", pairs->v[i].src, pairs->v[i].tgt,
                           e ? e->message : ieum_strerror(lrc));
        say(t, msg ? msg : "out of memory");
        str_add(fails, msg); /* a failed pair: the summary counts it (msg is taken over) */
        t->failed++;
        t->stop_write = 1;
        rc = CLI_FAIL;
      }
    }
    pthread_mutex_lock(&b.lock);
    slot_clear(s);
    b.next_write = i + 1;
    if (rc)
      b.stop = 1;
    pthread_cond_broadcast(&b.can_take);
    pthread_mutex_unlock(&b.lock);
    if (show)
      progress(t, i + 1, pairs->n, 0);
    if (rc)
      break;
  }
  for (size_t k = 0; k < started; k++)
    pthread_join(threads[k], NULL);
  for (size_t k = 0; k < b.window; k++)
    slot_clear(&b.slots[k]); /* pairs aligned after a stop */
  pthread_cond_destroy(&b.ready);
  pthread_cond_destroy(&b.can_take);
  pthread_mutex_destroy(&b.lock);
  free(b.slots);
  return rc;
}

/* `s` quoted for a POSIX shell when it needs it; NULL when out of memory. */
static char *shell_quote(const char *s)
{
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./:=,+@%") == strlen(s))
    return format("%s", s);
  size_t n = 2;
  for (const char *c = s; *c; c++)
    n += *c == '\'' ? 4 : 1;
  char *q = malloc(n + 1), *w = q;
  if (!q)
    return NULL;
  *w++ = '\'';
  for (const char *c = s; *c; c++) {
    if (*c == '\'') {
      memcpy(w, "'\\''", 4);
      w += 4;
    } else {
      *w++ = *c;
    }
  }
  *w++ = '\'';
  *w = '\0';
  return q;
}

/* "ieum batch ARGS...", each argument quoted for a shell: the command that resumes the batch. */
static char *command_line(int argc, char **argv)
{
  char *line = format("ieum");
  for (int i = 0; line && i < argc; i++) {
    char *q = shell_quote(argv[i]), *next = q ? format("%s %s", line, q) : NULL;
    free(q);
    free(line);
    line = next;
  }
  return line;
}

static void summary(const tally *t, const batch_args *a, size_t total, const str_list *unmatched,
                    const str_list *fails, const str_list *links, const char *resume)
{
  size_t not_tried = total - t->stored - t->skipped - t->failed;
  printf("document pairs: %zu (%zu stored, %zu already in the TM, %zu failed", total, t->stored, t->skipped,
         t->failed);
  if (not_tried)
    printf(", %zu not tried", not_tried);
  printf(")\n");
  printf("sentence pairs stored: %zu, %zu of them scoring under %.2f\n", t->units, t->low, a->low);
  printf("unmatched files: %zu\n", unmatched->n);
  for (size_t i = 0; i < unmatched->n; i++)
    printf("  %s\n", unmatched->v[i]);
  if (links->n) {
    printf("symbolic links not followed: %zu\n", links->n);
    for (size_t i = 0; i < links->n; i++)
      printf("  %s\n", links->v[i]);
  }
  printf("failures: %zu\n", fails->n);
  for (size_t i = 0; i < fails->n; i++)
    printf("  %s\n", fails->v[i]);
  if (t->stop_signal || t->stop_write) {
    printf("stopped: %s; %zu pair%s not tried\n",
           t->stop_write ? "the TM could not be written"
           : t->stop_signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM",
           not_tried, plural(not_tried));
    printf("to resume (pairs stored are skipped), run: %s\n", resume ? resume : "the same command again");
  }
}

int cmd_batch(int argc, char **argv)
{
  batch_args a;
  pair_list pairs = { 0 };
  str_list unmatched = { 0 }, fails = { 0 }, links = { 0 };
  tally t = { 0 };
  ieum_tm *tm = NULL;
  char *resume = NULL;
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? cli_stdout_done(CLI_OK) : rc;
  clock_gettime(CLOCK_MONOTONIC, &t.start);
  t.last_draw = t.start;
  t.tty = isatty(STDERR_FILENO);
  t.term = stderr;
  t.pipe_fd = -1;
  int show = !a.quiet;

  if (a.manifest)
    rc = read_manifest(&pairs, &fails, a.manifest);
  else
    rc = pair_dirs(&pairs, &unmatched, &fails, &links, &a);
  if (rc)
    goto done;
  for (size_t i = 0; i < unmatched.n; i++)
    cli_error("%s", unmatched.v[i]);
  for (size_t i = 0; i < links.n; i++)
    cli_error("%s", links.v[i]);
  int lrc = ieum_tm_open(&tm, a.tm_path, IEUM_TM_CREATE);
  if (lrc) {
    rc = cli_lib_error(lrc);
    goto done;
  }
  ieum_lexicon *lex = NULL; /* each worker loads its own: here only check that it loads */
  if ((rc = cli_align_lexicon(&lex, a.dicts, a.n_dicts, a.tm_path)) != CLI_OK)
    goto done;
  /* --ratio tm: the TM's length ratio as the batch begins, the same for every pair whatever the order */
  if (a.ratio_tm && (rc = cli_align_prior(&a.prior, a.tm_path, a.src_lang, a.tgt_lang)) != CLI_OK) {
    ieum_lexicon_free(lex);
    goto done;
  }
  ieum_lexicon_free(lex);
  if (show && t.tty)
    capture_start(&t);
  catch_signals(1);
  rc = run(&t, &fails, tm, &a, &pairs, show);
  catch_signals(0);
  capture_stop(&t);
  if (show && t.tty) { /* the final state, also after a run too short for a redraw */
    progress(&t, t.stored + t.skipped + t.failed, pairs.n, 1);
    fputc('\n', stderr);
  }
  if (show) {
    double s = seconds_since(&t.start);
    size_t done_n = t.stored + t.skipped + t.failed;
    fprintf(stderr, "ieum batch: %zu pairs in %.1f s: %.1f pairs/s, %.1f sentences/s aligned; TM writes: %.1f s of CPU\n",
            done_n, s, s > 0 ? (double)done_n / s : 0, s > 0 ? (double)t.sentences / s : 0, t.write_cpu);
  }
  if (t.stop_signal || t.stop_write) {
    resume = command_line(argc, argv);
    size_t not_tried = pairs.n - t.stored - t.skipped - t.failed;
    if (t.stop_signal)
      cli_error("interrupted by %s: %zu pair%s stored, %zu not tried; to resume, run: %s",
                t.stop_signal == SIGINT ? "SIGINT" : "SIGTERM", t.stored, plural(t.stored), not_tried,
                resume ? resume : "the same command");
    else
      cli_error("%s: the TM could not be written: %zu pair%s stored, %zu not tried; to resume, run: %s", a.tm_path,
                t.stored, plural(t.stored), not_tried, resume ? resume : "the same command");
  }
  summary(&t, &a, pairs.n, &unmatched, &fails, &links, resume);
  if (a.learn && rc == CLI_OK && !t.stop_signal) {
    size_t learned = 0;
    if ((lrc = ieum_tm_learn(&learned, tm, NULL)) != 0)
      rc = cli_lib_error(lrc);
    else
      printf("learned word pairs\t%zu\n", learned);
  }
  rc = cli_stdout_done(rc);
  if (rc == CLI_OK && fails.n)
    rc = CLI_FAIL;
  if (t.stop_signal)
    rc = 128 + t.stop_signal; /* as a shell reports a command its signal ended */
done:
  ieum_tm_free(tm);
  pair_free(&pairs);
  str_free(&unmatched);
  str_free(&fails);
  str_free(&links);
  free(resume);
  return rc;
}
