/*
** cli/cmd_learn.c: `ieum tm learn`: learn a lexicon from a TM's units.
**
** Opens the TM for writing and calls ieum_tm_learn(), which replaces the
** TM's learned word pairs in one transaction; prints how many pairs it
** kept.  Later `ieum align --tm DB` runs use them.  Also what align, batch
** and eval take from a TM: its lexicon (cli_align_lexicon()) and, with
** --ratio tm, its length ratio (cli_align_prior()).
*/
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
  fputs("Usage: ieum tm learn --tm DB [--min-score S]\n"
        "\n"
        "Learn Korean-English word pairs from the units of the TM DB: Korean word stems and\n"
        "English words that occur together in confident units (Dice coefficient, each word\n"
        "the other's best partner, seen in 3 units or more).  They replace the pairs learned\n"
        "before, in one transaction; `ieum align --tm DB` then uses them.\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory (must exist)\n"
        "      --min-score S    read only units scoring at least S, in [0,1] (default 0.9)\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

int cmd_tm_learn(int argc, char **argv)
{
  enum { O_TM = 256, O_MIN };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },
    { "min-score", required_argument, NULL, O_MIN },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  ieum_tm_learn_options o = IEUM_TM_LEARN_OPTIONS_INIT;
  const char *tm_path = NULL;
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: tm_path = optarg; break;
    case O_MIN:
      if (cli_parse_double(optarg, 0, 1, &o.min_score))
        return cli_usage_error("tm learn", "--min-score wants a number from 0 to 1, not '%s'", optarg);
      break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("tm learn", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("tm learn", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return cli_usage_error("tm learn", "learn takes no file argument (got '%s')", argv[optind]);
  if (!tm_path)
    return cli_usage_error("tm learn", "learn needs --tm DB");
  ieum_tm *tm = NULL;
  size_t n = 0;
  int rc = ieum_tm_open(&tm, tm_path, IEUM_TM_WRITE);
  if (rc == 0)
    rc = ieum_tm_learn(&n, tm, &o);
  if (rc) {
    cli_lib_error(rc);
    ieum_tm_free(tm);
    return CLI_FAIL;
  }
  ieum_tm_free(tm);
  printf("learned %zu word pairs from units scoring %.2f or more\n", n, o.min_score);
  return cli_stdout_done(CLI_OK);
}

/*
** The lexicon `ieum align` uses: *out NULL (the built-in one) when there is
** no dictionary and no TM with learned pairs; else the built-in entries
** plus the dictionaries and the TM's learned pairs.  A missing TM is not an
** error (align creates it).  Prints its error; returns CLI_OK or CLI_FAIL.
*/
int cli_align_lexicon(ieum_lexicon **out, const char *const *dicts, int n_dicts, const char *tm_path)
{
  ieum_lexicon *lex = NULL;
  ieum_tm *tm = NULL;
  int rc;
  *out = NULL;
  if ((rc = ieum_lexicon_new(&lex, 1)) != 0)
    goto fail;
  for (int k = 0; k < n_dicts; k++)
    if ((rc = ieum_lexicon_load_dict(lex, dicts[k])) != 0)
      goto fail;
  size_t learned = 0;
  if (tm_path) {
    rc = ieum_tm_open(&tm, tm_path, IEUM_TM_READ);
    if (rc == IEUM_ENOTFOUND) {
      rc = IEUM_OK; /* a new TM: nothing learned yet */
    } else if (rc || (rc = ieum_tm_lexicon_load(&learned, lex, tm)) != 0) {
      goto fail;
    }
    ieum_tm_free(tm);
    tm = NULL;
  }
  if (n_dicts == 0 && learned == 0) {
    ieum_lexicon_free(lex);
    return CLI_OK;
  }
  *out = lex;
  return CLI_OK;
fail:
  ieum_tm_free(tm);
  ieum_lexicon_free(lex);
  return cli_lib_error(rc);
}

/*
** Units below this score do not feed the TM's length ratio: the same
** threshold as `ieum tm learn` uses by default for word pairs.
*/
#define PRIOR_MIN_SCORE 0.9
/*
** A TM's ratio is used once its confident 1-1 units hold this many source
** characters (about 600 Korean news sentences, 30 articles): from there it
** barely moves as the TM grows, so `ieum batch` (the ratio as the batch
** begins) and a series of `ieum align --tm` (the ratio before each pair)
** give the same alignments, and a young TM cannot skew one.
*/
#define PRIOR_MIN_CHARS 20000.0

int cli_align_prior(ieum_align_options *opts, const char *tm_path, const char *src_lang, const char *tgt_lang)
{
  ieum_tm *tm = NULL;
  int rc = ieum_tm_open(&tm, tm_path, IEUM_TM_READ);
  if (rc == IEUM_ENOTFOUND)
    return CLI_OK; /* a new TM: no length model yet */
  if (rc == 0)
    rc = ieum_tm_length_ratio(&opts->prior_ratio, &opts->prior_chars, tm, src_lang, tgt_lang, PRIOR_MIN_SCORE);
  if (rc == 0 && opts->prior_chars < PRIOR_MIN_CHARS)
    opts->prior_ratio = opts->prior_chars = 0;
  ieum_tm_free(tm);
  return rc ? cli_lib_error(rc) : CLI_OK;
}
