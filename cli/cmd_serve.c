/*
** cli/cmd_serve.c: `ieum serve`: serve a TM over HTTP until SIGINT or
** SIGTERM.
**
** Parses the options, starts the server (server/serve.c), prints where it
** listens (and the made-up token when no token file was given) on standard
** error, and waits for a signal with sigwait(): SIGINT and SIGTERM are
** blocked before the server's threads start, so only this thread takes
** them.  On a signal the requests in progress finish, the handles close
** and the exit status is 0.
** Not here: routes (server/api.c), tokens (server/tokens.c).
*/
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

/* The port when none is given: unassigned by IANA, above the privileged range. */
#define SERVE_DEFAULT_PORT 8750

static void help(FILE *f)
{
  fprintf(f,
          "Usage: ieum serve --tm DB [--host ADDR] [--port N] [--tokens FILE] [--threads N]\n"
          "       ieum serve --tm DB --add-token NAME [--scope read|write]\n"
          "       ieum serve --tm DB --remove-token NAME | --list-tokens\n"
          "\n"
          "Serves the translation memory DB (an SQLite file, created if missing, or a\n"
          "postgresql:// URI) over HTTP as a JSON API: fuzzy search with CAT match\n"
          "percentages, concordance, adding units, TMX import (streamed) and export, stats,\n"
          "and the translate-toolkit tmserver/amaGama lookup GET /tmserver/SRC/TGT/unit/TEXT.\n"
          "Every request carries a token (Authorization: Bearer TOKEN, X-Ieum-Token, or\n"
          "?token=): read scope for GET, write scope for POST.  Refused requests and writes\n"
          "are logged on standard error.  It runs until SIGINT or SIGTERM.  See\n"
          "docs/server.md (TLS through a reverse proxy).\n"
          "\n"
          "Options:\n"
          "      --tm DB          the translation memory (an SQLite file or a postgresql:// URI)\n"
          "      --host ADDR      IPv4 address to listen on (default 127.0.0.1, this machine\n"
          "                       only; 0.0.0.0: every interface)\n"
          "      --port N         TCP port (default %d; 0: a free one, printed)\n"
          "      --tokens FILE    users: one 'NAME read|write TOKEN' line each, mode 600;\n"
          "                       without it the users kept in DB (--add-token), and when\n"
          "                       there are none one write token is made up and printed\n"
          "      --threads N      HTTP threads, each with its own TM handle (default: twice\n"
          "                       the cores, at least 4)\n"
          "      --max-upload MB  largest TMX upload, in MiB (default 4096)\n"
          "      --add-token NAME make up a token for user NAME, keep its hash in DB (a\n"
          "                       new one replaces NAME's old one), print it, and exit\n"
          "      --scope SCOPE    with --add-token: read (default) or write\n"
          "      --remove-token NAME  forget user NAME's token, and exit\n"
          "      --list-tokens    list the users kept in DB (NAME<TAB>SCOPE), and exit\n"
          "  -h, --help           show this help\n"
          "\n"
          "Exit status: 0 stopped by a signal, 1 runtime error (the TM, the token file, the\n"
          "port), 2 usage error.\n",
          SERVE_DEFAULT_PORT);
}

int cmd_serve(int argc, char **argv)
{
  enum { O_TM = 256, O_HOST, O_PORT, O_TOKENS, O_THREADS, O_UPLOAD, O_ADD, O_SCOPE, O_REMOVE, O_LIST };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },           { "host", required_argument, NULL, O_HOST },
    { "port", required_argument, NULL, O_PORT },       { "tokens", required_argument, NULL, O_TOKENS },
    { "threads", required_argument, NULL, O_THREADS }, { "max-upload", required_argument, NULL, O_UPLOAD },
    { "add-token", required_argument, NULL, O_ADD },   { "scope", required_argument, NULL, O_SCOPE },
    { "remove-token", required_argument, NULL, O_REMOVE }, { "list-tokens", no_argument, NULL, O_LIST },
    { "help", no_argument, NULL, 'h' },                { NULL, 0, NULL, 0 },
  };
  const char *add = NULL, *scope = NULL, *remove = NULL;
  int list = 0;
  ieum_serve_options o = { 0 };
  double v;
  int c;
  o.port = SERVE_DEFAULT_PORT;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: o.tm = optarg; break;
    case O_HOST: o.host = optarg; break;
    case O_PORT:
      if (cli_parse_double(optarg, 0, 65535, &v) != 0 || v != (int)v)
        return cli_usage_error("serve", "--port needs a port number 0-65535, not '%s'", optarg);
      o.port = (unsigned)v;
      break;
    case O_TOKENS: o.tokens_path = optarg; break;
    case O_THREADS:
      if (cli_parse_double(optarg, 1, 256, &v) != 0 || v != (int)v)
        return cli_usage_error("serve", "--threads needs a whole number 1-256, not '%s'", optarg);
      o.threads = (unsigned)v;
      break;
    case O_UPLOAD:
      if (cli_parse_double(optarg, 1, 1048576, &v) != 0 || v != (int)v)
        return cli_usage_error("serve", "--max-upload needs a whole number of MiB 1-1048576, not '%s'", optarg);
      o.max_upload = (uint64_t)v << 20;
      break;
    case O_ADD: add = optarg; break;
    case O_SCOPE: scope = optarg; break;
    case O_REMOVE: remove = optarg; break;
    case O_LIST: list = 1; break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("serve", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("serve", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!o.tm)
    return cli_usage_error("serve", "serve needs --tm DB");
  if (optind < argc)
    return cli_usage_error("serve", "serve takes no arguments (got '%s')", argv[optind]);
  if (!!add + !!remove + list > 1)
    return cli_usage_error("serve", "--add-token, --remove-token and --list-tokens go one at a time");
  if (scope && !add)
    return cli_usage_error("serve", "--scope goes with --add-token");
  if ((add || remove || list) && o.tokens_path)
    return cli_usage_error("serve", "--tokens FILE and the users kept in the TM do not mix");
  if (add || remove || list) {
    char err[512] = "", token[33] = "";
    int rc = add ? ieum_serve__token_store(token, o.tm, add, scope ? scope : "read", err, sizeof err)
           : remove ? ieum_serve__token_remove(o.tm, remove, err, sizeof err)
                    : ieum_serve__token_list(stdout, o.tm, err, sizeof err);
    if (rc) {
      cli_error("%s", err);
      return rc == IEUM_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    if (add) {
      printf("%s\n", token);
      fprintf(stderr, "ieum serve: %s may now %s %s with the token above (it is shown once: only its hash is kept)\n",
              add, scope && !strcmp(scope, "write") ? "read and write" : "read", o.tm);
    } else if (remove) {
      fprintf(stderr, "ieum serve: %s's token no longer opens %s\n", remove, o.tm);
    }
    return cli_stdout_done(CLI_OK);
  }

  /* Blocked before the server's threads start, so that they inherit the mask and only sigwait() sees them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  char err[512] = "";
  ieum_serve *s = NULL;
  if (ieum_serve__start(&s, &o, err, sizeof err) != 0) {
    cli_error("%s", err);
    return CLI_FAIL;
  }
  fprintf(stderr, "ieum serve: %s on http://%s:%u/\n", ieum_serve__tm_name(s), o.host ? o.host : "127.0.0.1",
          ieum_serve__port(s));
  if (ieum_serve__made_token(s))
    fprintf(stderr, "ieum serve: token (write scope, this run only): %s\n", ieum_serve__made_token(s));
  fflush(stderr);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "ieum serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  ieum_serve__stop(s);
  return CLI_OK;
}
