/*
** cli/cmd_review.c: `ieum review`: the review app, a local web server over
** a TM, in the browser.
**
** `ieum review --tm DB` serves DB; `ieum review KO EN` first aligns the
** pair and stores it (ieum_pipeline_align_files(), as `ieum align --tm`),
** into --tm DB or ieum-review.db.  The server (util/http.c with the routes
** of review/server.c, compiled in) listens on 127.0.0.1 at --port or a free
** port; its URL, with the random token every request must carry, is
** printed on standard output and opened with xdg-open (or $BROWSER) unless
** --no-browser.  It runs until SIGINT or SIGTERM, which are blocked before
** the server's thread starts (so it inherits the mask) and awaited with
** sigwait(): the TM handle is used by the server's thread alone.
** Also the static report: `ieum tm report` and the writer `ieum align
** --report` uses (cli_review_report(), review/report.c).
** Not here: the routes (review/server.c), the operations (tm/review.c).
*/
#include <getopt.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"
#include "server.h"

static void help(FILE *f)
{
  fputs("Usage: ieum review --tm DB [OPTIONS]\n"
        "       ieum review [--tm DB] [OPTIONS] SRC_FILE TGT_FILE\n"
        "\n"
        "Review aligned document pairs in the browser: a local web app on 127.0.0.1 lists the\n"
        "TM's document pairs (most doubtful first) and shows each side by side, every pair\n"
        "colored by confidence.  Confirm, merge, split, move, edit or delete pairs, mark a\n"
        "sentence as having no counterpart, undo and redo, all from the keyboard; every\n"
        "change is written to the TM at once, one transaction each, with the reviewer and\n"
        "the time (exported as TMX props).  With two files the pair is aligned and stored\n"
        "first (into --tm DB, default ieum-review.db).  The URL printed carries a random\n"
        "token: other local users cannot reach the app.  Stop it with Ctrl+C.\n"
        "\n"
        "Options:\n"
        "      --tm DB            the translation memory (created by an alignment if missing)\n"
        "      --port N           listen on port N (default: a free port)\n"
        "      --no-browser       only print the URL, do not open it\n"
        "      --user NAME        the reviewer stored with every change (default: the login name)\n"
        "      --threshold S      units scoring under S, in [0,1], are doubtful (default 0.5)\n"
        "      --src-lang L       source language of the files, BCP 47 (default ko)\n"
        "      --tgt-lang L       target language of the files (default en)\n"
        "      --force            align and keep a pair that does not look like a translation pair\n"
        "  -h, --help             show this help\n"
        "\n"
        "Exit status: 0 success (stopped by a signal), 1 runtime error, 2 usage error.\n",
        f);
}

/* The login name, or NULL. */
static const char *login_name(void)
{
  const char *u = getenv("USER");
  if (u && *u)
    return u;
  struct passwd *pw = getpwuid(geteuid());
  return pw ? pw->pw_name : NULL;
}

/* Opens `url` with $BROWSER or xdg-open, detached; says so when neither runs. */
static void open_browser(const char *url)
{
  const char *browser = getenv("BROWSER");
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
      _exit(127);
    if (browser && *browser)
      execlp(browser, browser, url, (char *)NULL);
    execlp("xdg-open", "xdg-open", url, (char *)NULL);
    _exit(127);
  }
  if (pid < 0)
    cli_error("cannot start a browser: open %s yourself", url);
}

int cmd_review(int argc, char **argv)
{
  enum { O_TM = 256, O_PORT, O_NO_BROWSER, O_USER, O_THRESHOLD, O_SRC_LANG, O_TGT_LANG, O_FORCE };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },
    { "port", required_argument, NULL, O_PORT },
    { "no-browser", no_argument, NULL, O_NO_BROWSER },
    { "user", required_argument, NULL, O_USER },
    { "threshold", required_argument, NULL, O_THRESHOLD },
    { "src-lang", required_argument, NULL, O_SRC_LANG },
    { "tgt-lang", required_argument, NULL, O_TGT_LANG },
    { "force", no_argument, NULL, O_FORCE },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *tm_path = NULL, *user = NULL, *src_lang = "ko", *tgt_lang = "en";
  char src_buf[IEUM_LANG_MAX], tgt_buf[IEUM_LANG_MAX];
  double threshold = IEUM_REVIEW_THRESHOLD, port = 0;
  int browser = 1, force = 0, c, rc;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: tm_path = optarg; break;
    case O_PORT:
      if (cli_parse_double(optarg, 1, 65535, &port) || port != (double)(unsigned)port)
        return cli_usage_error("review", "--port wants a port number from 1 to 65535, not '%s'", optarg);
      break;
    case O_NO_BROWSER: browser = 0; break;
    case O_USER:
      if (!*optarg)
        return cli_usage_error("review", "--user wants a name");
      user = optarg;
      break;
    case O_THRESHOLD:
      if (cli_parse_double(optarg, 0, 1, &threshold))
        return cli_usage_error("review", "--threshold wants a number from 0 to 1, not '%s'", optarg);
      break;
    case O_SRC_LANG:
      if ((rc = cli_lang_arg(&src_lang, src_buf, "--src-lang", optarg)) != CLI_OK)
        return rc;
      break;
    case O_TGT_LANG:
      if ((rc = cli_lang_arg(&tgt_lang, tgt_buf, "--tgt-lang", optarg)) != CLI_OK)
        return rc;
      break;
    case O_FORCE: force = 1; break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("review", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("review", "unknown option '%s'", argv[optind - 1]);
    }
  }
  int files = argc - optind;
  if (files != 0 && files != 2)
    return cli_usage_error("review", "review takes --tm DB, or a source and a target file");
  if (!files && !tm_path)
    return cli_usage_error("review", "review needs --tm DB (or two files to align first)");
  if (!user)
    user = login_name();
  int64_t doc = 0; /* with two files: the document the page opens on */
  if (files) {
    ieum_pipeline_options po = IEUM_PIPELINE_OPTIONS_INIT;
    ieum_aligned_pair *p = NULL;
    po.src_lang = src_lang;
    po.tgt_lang = tgt_lang;
    po.tm_path = tm_path ? tm_path : "ieum-review.db";
    po.store = 1;
    po.force = force;
    if ((rc = ieum_pipeline_align_files(&p, argv[optind], argv[optind + 1], &po)) != 0)
      return cli_lib_error(rc);
    if (ieum_aligned_pair_warning(p))
      cli_error("warning: %s", ieum_aligned_pair_warning(p));
    int stored = ieum_aligned_pair_stored(p, &doc);
    fprintf(stderr, "ieum: %s %s|%s into %s (document %lld)\n", stored == IEUM_STORE_EXISTS ? "already had" : "stored",
            argv[optind], argv[optind + 1], po.tm_path, (long long)doc);
    ieum_aligned_pair_free(p);
    tm_path = po.tm_path;
  }
  ieum_tm *tm = NULL;
  if ((rc = ieum_tm_open(&tm, tm_path, IEUM_TM_WRITE)) != 0)
    return cli_lib_error(rc);

  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGCHLD, SIG_IGN); /* the browser launcher is never waited for */

  /* The token is made here, before the server's thread starts, so that thread only ever reads it. */
  unsigned char raw[IEUM_HTTP_TOKEN_HEX / 2];
  char token[IEUM_HTTP_TOKEN_HEX + 1];
  if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
    cli_error("cannot read random bytes for the token");
    ieum_tm_free(tm);
    return CLI_FAIL;
  }
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(token + 2 * i, 3, "%02x", raw[i]);
  ieum_review_server s = { tm, tm_path, threshold, user, token };
  ieum_http_options ho = { NULL, (unsigned)port, 0, token };
  ieum_http_server *srv = NULL;
  char err[256];
  if ((rc = ieum_http__start(&srv, &ho, ieum_review__handle, &s, err, sizeof err)) != 0) {
    cli_error("%s", err);
    ieum_tm_free(tm);
    return CLI_FAIL;
  }
  char url[256], frag[32] = "";
  if (doc > 0)
    snprintf(frag, sizeof frag, "#doc=%lld", (long long)doc);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/?token=%s%s", ieum_http__port(srv), token, frag);
  printf("%s\n", url);
  fflush(stdout);
  fprintf(stderr, "ieum: reviewing %s as %s; stop with Ctrl+C\n", tm_path, user ? user : "(nobody)");
  if (browser)
    open_browser(url);
  int sig = 0;
  sigwait(&stop, &sig);
  ieum_http__stop(srv);
  ieum_tm_free(tm);
  return CLI_OK;
}

int cli_review_report(const char *path, const ieum_review_doc *d, double threshold)
{
  cli_output out = { 0 };
  int rc = cli_output_open(&out, path);
  if (rc)
    return rc;
  int bad = ieum_review__report(out.f, d, threshold) != 0;
  return cli_output_close(&out, !bad) || bad ? CLI_FAIL : CLI_OK;
}

static void help_report(FILE *f)
{
  fputs("Usage: ieum tm report --tm DB --document ID [--threshold S] [-o FILE]\n"
        "\n"
        "Write the review report of one aligned document pair of the TM DB: one self-contained\n"
        "HTML file (no script, no external asset) showing both sides side by side, each pair\n"
        "colored by confidence, doubtful, unaligned and reviewed rows marked, to share or to\n"
        "attach to a job.  ID is the document's number ('ieum review' and 'ieum tm delete\n"
        "--dry-run' show it) or its source or target file name.\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory (must exist)\n"
        "      --document ID    the document pair\n"
        "      --threshold S    units scoring under S, in [0,1], are doubtful (default 0.5)\n"
        "  -o, --output FILE    write to FILE (default: standard output)\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

typedef struct {
  const char *name;
  int64_t id;
  int matches;
} doc_find;

static int find_doc(const ieum_review_summary *m, void *payload)
{
  doc_find *k = payload;
  if ((m->src_path && !strcmp(m->src_path, k->name)) || (m->tgt_path && !strcmp(m->tgt_path, k->name))) {
    k->id = m->doc_id;
    k->matches++;
  }
  return 0;
}

int cmd_tm_report(int argc, char **argv)
{
  enum { O_TM = 256, O_DOC, O_THRESHOLD };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },
    { "document", required_argument, NULL, O_DOC },
    { "threshold", required_argument, NULL, O_THRESHOLD },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *tm_path = NULL, *doc = NULL, *out = NULL;
  double threshold = IEUM_REVIEW_THRESHOLD;
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: tm_path = optarg; break;
    case O_DOC: doc = optarg; break;
    case O_THRESHOLD:
      if (cli_parse_double(optarg, 0, 1, &threshold))
        return cli_usage_error("tm report", "--threshold wants a number from 0 to 1, not '%s'", optarg);
      break;
    case 'o': out = optarg; break;
    case 'h': help_report(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("tm report", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("tm report", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return cli_usage_error("tm report", "report takes no file argument (got '%s'; -o FILE names the report)",
                           argv[optind]);
  if (!tm_path || !doc)
    return cli_usage_error("tm report", "report needs --tm DB and --document ID");
  ieum_tm *tm = NULL;
  ieum_review_doc *d = NULL;
  int rc = ieum_tm_open(&tm, tm_path, IEUM_TM_READ);
  if (rc)
    return cli_lib_error(rc);
  char *end = NULL;
  long long id = strtoll(doc, &end, 10);
  if (!*doc || *end || id <= 0) {
    doc_find k = { doc, 0, 0 };
    if ((rc = ieum_review_documents(tm, threshold, NULL, find_doc, &k)) != 0) {
      ieum_tm_free(tm);
      return cli_lib_error(rc);
    }
    if (k.matches != 1) {
      cli_error("%s: %s document pair is named '%s'%s", tm_path, k.matches ? "more than one" : "no", doc,
                k.matches ? ": give its number" : "");
      ieum_tm_free(tm);
      return CLI_FAIL;
    }
    id = k.id;
  }
  if ((rc = ieum_review_doc_load(&d, tm, id)) != 0) {
    ieum_tm_free(tm);
    return cli_lib_error(rc);
  }
  rc = cli_review_report(out, d, threshold);
  ieum_review_doc_free(d);
  ieum_tm_free(tm);
  return out ? rc : cli_stdout_done(rc);
}
