/*
** cli/cmd_learn.c: `ieum tm learn`: learn a lexicon from a TM's units.
**
** Opens the TM for writing and calls ieum_tm_learn(), which replaces the
** TM's learned word pairs in one transaction; prints how many pairs it
** kept.  Later `ieum align --tm DB` runs use them.  Also, for `ieum eval`,
** the lexicon and length ratio `ieum align` takes from a TM, printing their
** errors (cli_align_lexicon(), cli_align_prior(): the library's
** ieum_pipeline_lexicon() and ieum_pipeline_prior()).
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
        "the other's best partner, seen in 3 units or more); units a reviewer confirmed or\n"
        "edited ('ieum review') are read whatever their score and count twice.  They replace\n"
        "the pairs learned before, in one transaction; `ieum align --tm DB` then uses them.\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory, an SQLite file or a postgresql:// URI\n"
        "                       (must exist)\n"
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

int cli_align_lexicon(ieum_lexicon **out, const char *const *dicts, int n_dicts, const char *tm_path)
{
  int rc = ieum_pipeline_lexicon(out, dicts, (size_t)n_dicts, tm_path);
  return rc ? cli_lib_error(rc) : CLI_OK;
}

int cli_align_prior(ieum_align_options *opts, const char *tm_path, const char *src_lang, const char *tgt_lang)
{
  int rc = ieum_pipeline_prior(&opts->prior_ratio, &opts->prior_chars, tm_path, src_lang, tgt_lang);
  return rc ? cli_lib_error(rc) : CLI_OK;
}
