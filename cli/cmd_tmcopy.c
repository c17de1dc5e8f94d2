/*
** cli/cmd_tmcopy.c: `ieum tm copy --from TM --to TM`: copy a TM's
** documents into another, an SQLite file and a PostgreSQL database either
** way (ieum_tm_copy()).
**
** Opens FROM read-only and TO for writing (created when missing), copies
** each document TO lacks in a transaction of its own, and reports what it
** added on standard error; run again after a failure, it goes on where it
** stopped.
*/
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
  fputs("Usage: ieum tm copy --from TM --to TM\n"
        "\n"
        "Copies every document of the TM FROM that the TM TO lacks (the same content is\n"
        "the same document) into TO, with its file names, languages, metadata, units and\n"
        "their props and notes, one transaction per document: a copy that stops half-way\n"
        "resumes when run again.  Either TM is an SQLite file (TO is created if missing) or\n"
        "a postgresql:// URI, so a TM moves from a file into PostgreSQL and back.  Then the\n"
        "word pairs of the lexicon ('ieum tm learn') TO lacks are copied, in one last\n"
        "transaction.  What was added is reported on standard error.\n"
        "\n"
        "Options:\n"
        "      --from TM        the TM to read (opened read-only)\n"
        "      --to TM          the TM to write into\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

int cmd_tm_copy(int argc, char **argv)
{
  enum { O_FROM = 256, O_TO };
  static const struct option longopts[] = {
    { "from", required_argument, NULL, O_FROM },
    { "to", required_argument, NULL, O_TO },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *from_path = NULL, *to_path = NULL;
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case O_FROM: from_path = optarg; break;
    case O_TO: to_path = optarg; break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("tm copy", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("tm copy", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return cli_usage_error("tm copy", "copy takes no arguments (got '%s')", argv[optind]);
  if (!from_path || !to_path)
    return cli_usage_error("tm copy", "copy needs --from TM and --to TM");
  if (!strcmp(from_path, to_path))
    return cli_usage_error("tm copy", "--from and --to name the same TM");
  ieum_tm *from = NULL, *to = NULL;
  ieum_tm_merge_stats st = { 0, 0 };
  int rc = ieum_tm_open(&from, from_path, IEUM_TM_READ);
  if (rc == 0)
    rc = ieum_tm_open(&to, to_path, IEUM_TM_CREATE);
  if (rc == 0)
    rc = ieum_tm_copy(&st, to, from);
  if (rc) {
    cli_lib_error(rc);
    if (st.documents)
      cli_error("%s: %lld documents (%lld units) were copied before the error; run again to go on", to_path,
                (long long)st.documents, (long long)st.units);
  } else {
    fprintf(stderr, "ieum: %s: copied %lld documents (%lld units) from %s\n", to_path, (long long)st.documents,
            (long long)st.units, from_path);
  }
  ieum_tm_free(to);
  ieum_tm_free(from);
  return rc ? CLI_FAIL : CLI_OK;
}
