/*
** cli/cmd_batch.c: `ieum batch`: align an archive of article pairs into a TM.
**
** Parses the options, lists the pairs with the library's pairing rules
** (ieum_pair_list_from_dirs(), ieum_pair_list_from_manifest(): two
** directory trees paired by file name, the rule is in help(), or a
** manifest of "src_path TAB tgt_path" lines) and runs the library's batch
** engine (ieum_batch_run(): workers, one writer storing in input order, a
** pair already in the TM skipped, so a stopped batch resumes), printing
** what it reports: each failure on stderr as it is reached, progress on
** stderr (a bar with rate and ETA on a terminal, as wide as the terminal
** allows, a plain line every PLAIN_INTERVAL_S seconds otherwise), the
** summary on stdout.  While the bar is shown, stderr is a pipe whose lines
** are shown above the bar.  SIGINT or SIGTERM asks the engine to stop (its
** progress callback answers so): the pairs in progress are stored, and the
** summary counts the pairs not tried and gives the command that resumes.
** Not here: pairing, aligning and storing (pipeline/pairs.c, batch.c, pair.c).
*/
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
  const char *user; /* --user: who made the units (TMX creationid) */
  int plain_tags;   /* --plain-tags: a new TM stores ko, en */
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
  int show;                 /* progress is shown (no --quiet) */
  str_list *fails;          /* the failures the summary lists */
  int oom;                  /* a failure could not be recorded */
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
        "      --tm DB          the translation memory, an SQLite file or a postgresql:// URI\n"
        "                       (required)\n"
        "      --user NAME      who made the units (TMX creationid; default: the login name)\n"
        "      --plain-tags     a new TM stores language tags without region codes (ko, en\n"
        "                       instead of ko-KR, en-US); a TM holding units keeps its form\n"
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
         O_SRCENC, O_TGTENC, O_FOLLOW, O_FORCE, O_USER, O_PLAIN };
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
    { "user", required_argument, NULL, O_USER }, { "plain-tags", no_argument, NULL, O_PLAIN },
    { NULL, 0, NULL, 0 },
  };
  *a = (batch_args){ .src_lang = "ko", .tgt_lang = "en", .from = CLI_FROM_AUTO, .paragraphs = IEUM_PARAGRAPH_AUTO,
                     .low = DEFAULT_LOW };
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  a->jobs = cores < 1 ? 1 : cores > IEUM_BATCH_MAX_JOBS ? IEUM_BATCH_MAX_JOBS : cores;
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":j:qh", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: a->tm_path = optarg; break;
    case O_USER: a->user = optarg; break;
    case O_PLAIN: a->plain_tags = 1; break;
    case O_MANIFEST: a->manifest = optarg; break;
    case 'j': {
      char *end;
      errno = 0;
      long n = strtol(optarg, &end, 10);
      if (errno || end == optarg || *end || n < 1 || n > IEUM_BATCH_MAX_JOBS)
        return cli_usage_error("batch", "--jobs wants a whole number from 1 to %d, not '%s'", IEUM_BATCH_MAX_JOBS, optarg);
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
** While the bar is on a terminal, stderr (fd 2) is a pipe: whatever else
** writes to stderr meanwhile (the library never does; a dependency or a
** debugging build might) lands there, and the writer shows each complete
** line above the bar instead of letting it run into the bar.
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

static void summary(const tally *t, const batch_args *a, const ieum_pair_list *pairs, const str_list *fails,
                    const char *resume)
{
  size_t total = ieum_pair_list_count(pairs), not_tried = total - t->stored - t->skipped - t->failed;
  size_t n_unmatched = ieum_pair_list_note_count(pairs, IEUM_NOTE_UNMATCHED);
  size_t n_links = ieum_pair_list_note_count(pairs, IEUM_NOTE_LINK);
  printf("document pairs: %zu (%zu stored, %zu already in the TM, %zu failed", total, t->stored, t->skipped,
         t->failed);
  if (not_tried)
    printf(", %zu not tried", not_tried);
  printf(")\n");
  printf("sentence pairs stored: %zu, %zu of them scoring under %.2f\n", t->units, t->low, a->low);
  printf("unmatched files: %zu\n", n_unmatched);
  for (size_t i = 0; i < n_unmatched; i++)
    printf("  %s\n", ieum_pair_list_note(pairs, IEUM_NOTE_UNMATCHED, i));
  if (n_links) {
    printf("symbolic links not followed: %zu\n", n_links);
    for (size_t i = 0; i < n_links; i++)
      printf("  %s\n", ieum_pair_list_note(pairs, IEUM_NOTE_LINK, i));
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

/* ieum_batch_options.on_pair: each failure is said as it is reached and kept for the summary. */
static int on_pair(const ieum_batch_event *e, void *payload)
{
  tally *t = payload;
  char *msg = NULL;
  if (e->outcome == IEUM_BATCH_FAILED) {
    const char *why = e->message;
    say(t, why);
    size_t ls = strlen(e->src_path), lt = strlen(e->tgt_path);
    /* name the pair unless the reason already starts with one of its files */
    int named = (!strncmp(why, e->src_path, ls) && (why[ls] == ':' || !strncmp(why + ls, " + ", 3))) ||
                (!strncmp(why, e->tgt_path, lt) && why[lt] == ':');
    msg = named ? format("%s", why) : format("%s + %s: %s", e->src_path, e->tgt_path, why);
  } else if (e->outcome == IEUM_BATCH_NOT_STORED) {
    msg = format("%s + %s: not stored: %s", e->src_path, e->tgt_path, e->message);
    say(t, msg ? msg : "out of memory");
  } else {
    return 0;
  }
  if (str_add(t->fails, msg)) {
    say(t, "out of memory");
    t->oom = 1;
    return 1;
  }
  return 0;
}

/* ieum_batch_options.on_progress: draws the progress, and asks the batch to stop once a signal came. */
static int on_progress(const ieum_batch_progress *p, void *payload)
{
  tally *t = payload;
  if (p->stopping) {
    size_t held = p->started - p->done;
    char *msg = format("interrupted by %s: storing the %zu pair%s in progress, then stopping (%zu of %zu not "
                       "started)",
                       t->stop_signal == SIGINT ? "SIGINT" : "SIGTERM", held, plural(held), p->total - p->started,
                       p->total);
    say(t, msg ? msg : "interrupted: stopping");
    free(msg);
    return 0;
  }
  int sig = caught_signal;
  if (sig && !t->stop_signal) {
    t->stop_signal = sig;
    return 1;
  }
  if (t->show)
    progress(t, p->done, p->total, 0);
  return 0;
}

int cmd_batch(int argc, char **argv)
{
  batch_args a;
  ieum_pair_list *pairs = NULL;
  str_list fails = { 0 };
  tally t = { 0 };
  ieum_tm *tm = NULL;
  ieum_batch_stats stats = { 0 };
  char *resume = NULL;
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? cli_stdout_done(CLI_OK) : rc;
  clock_gettime(CLOCK_MONOTONIC, &t.start);
  t.last_draw = t.start;
  t.tty = isatty(STDERR_FILENO);
  t.term = stderr;
  t.pipe_fd = -1;
  t.show = !a.quiet;
  t.fails = &fails;

  int lrc;
  if (a.manifest) {
    lrc = ieum_pair_list_from_manifest(&pairs, a.manifest);
  } else {
    ieum_pairing_options po = IEUM_PAIRING_OPTIONS_INIT;
    po.src_lang = a.src_lang;
    po.tgt_lang = a.tgt_lang;
    po.follow_symlinks = a.follow_links;
    lrc = ieum_pair_list_from_dirs(&pairs, a.src_dir, a.tgt_dir, &po);
  }
  if (lrc) {
    rc = cli_lib_error(lrc);
    goto done;
  }
  /* what pairing noticed: unreadable directories and malformed manifest lines count as failures */
  for (size_t i = 0; i < ieum_pair_list_note_count(pairs, IEUM_NOTE_ERROR); i++) {
    const char *note = ieum_pair_list_note(pairs, IEUM_NOTE_ERROR, i);
    cli_error("%s", note);
    if (str_add(&fails, format("%s", note))) {
      cli_error("%s: out of memory", a.tm_path);
      rc = CLI_FAIL;
      goto done;
    }
  }
  for (size_t i = 0; i < ieum_pair_list_note_count(pairs, IEUM_NOTE_UNMATCHED); i++)
    cli_error("%s", ieum_pair_list_note(pairs, IEUM_NOTE_UNMATCHED, i));
  for (size_t i = 0; i < ieum_pair_list_note_count(pairs, IEUM_NOTE_LINK); i++)
    cli_error("%s", ieum_pair_list_note(pairs, IEUM_NOTE_LINK, i));
  if ((lrc = ieum_tm_open(&tm, a.tm_path, IEUM_TM_CREATE)) != 0 || (lrc = ieum_tm_set_user(tm, cli_user(a.user))) != 0) {
    rc = cli_lib_error(lrc);
    goto done;
  }
  if (a.plain_tags && (rc = cli_tm_plain_tags(tm, a.tm_path)) != CLI_OK)
    goto done;
  ieum_batch_options bo = IEUM_BATCH_OPTIONS_INIT;
  bo.pipeline.src_lang = a.src_lang;
  bo.pipeline.tgt_lang = a.tgt_lang;
  bo.pipeline.from = a.from; /* CLI_FROM_* are the IEUM_INPUT_* values */
  bo.pipeline.paragraphs = a.paragraphs;
  bo.pipeline.src_encoding = a.src_encoding;
  bo.pipeline.tgt_encoding = a.tgt_encoding;
  bo.pipeline.ratio = a.ratio;
  bo.pipeline.ratio_tm = a.ratio_tm; /* the TM's length ratio as the batch begins */
  bo.pipeline.dicts = a.dicts;
  bo.pipeline.n_dicts = (size_t)a.n_dicts;
  bo.pipeline.min_score = a.min_score;
  bo.pipeline.force = a.force;
  bo.jobs = (unsigned int)a.jobs;
  bo.low = a.low;
  bo.on_pair = on_pair;
  bo.on_progress = on_progress;
  bo.tick_ms = BAR_REFRESH_MS;
  bo.payload = &t;
  if (t.show && t.tty)
    capture_start(&t);
  catch_signals(1);
  lrc = ieum_batch_run(&stats, tm, pairs, &bo);
  catch_signals(0);
  capture_stop(&t);
  if (lrc < 0) { /* nothing was started: a dictionary that does not load, the TM's ratio */
    rc = cli_lib_error(lrc);
    goto done;
  }
  rc = lrc || t.oom ? CLI_FAIL : CLI_OK;
  t.stored = stats.stored;
  t.skipped = stats.skipped;
  t.failed = stats.failed;
  t.units = stats.units;
  t.low = stats.low;
  t.sentences = stats.sentences;
  t.write_cpu = stats.write_cpu;
  t.stop_write = stats.stopped == 2;
  if (t.stop_write)
    rc = CLI_FAIL;
  size_t total = ieum_pair_list_count(pairs);
  if (t.show && t.tty) { /* the final state, also after a run too short for a redraw */
    progress(&t, t.stored + t.skipped + t.failed, total, 1);
    fputc('\n', stderr);
  }
  if (t.show) {
    double s = seconds_since(&t.start);
    size_t done_n = t.stored + t.skipped + t.failed;
    fprintf(stderr, "ieum batch: %zu pairs in %.1f s: %.1f pairs/s, %.1f sentences/s aligned; TM writes: %.1f s of CPU\n",
            done_n, s, s > 0 ? (double)done_n / s : 0, s > 0 ? (double)t.sentences / s : 0, t.write_cpu);
  }
  if (t.stop_signal || t.stop_write) {
    resume = command_line(argc, argv);
    size_t not_tried = total - t.stored - t.skipped - t.failed;
    if (t.stop_signal)
      cli_error("interrupted by %s: %zu pair%s stored, %zu not tried; to resume, run: %s",
                t.stop_signal == SIGINT ? "SIGINT" : "SIGTERM", t.stored, plural(t.stored), not_tried,
                resume ? resume : "the same command");
    else
      cli_error("%s: the TM could not be written: %zu pair%s stored, %zu not tried; to resume, run: %s", a.tm_path,
                t.stored, plural(t.stored), not_tried, resume ? resume : "the same command");
  }
  summary(&t, &a, pairs, &fails, resume);
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
  ieum_pair_list_free(pairs);
  str_free(&fails);
  free(resume);
  return rc;
}
