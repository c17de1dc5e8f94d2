/*
** cli/main.c: the `ieum` command: dispatch to a subcommand.
**
** main() only finds the subcommand in cli_cmds[] and returns what it
** returns.  Shared helpers of the front end (errors, output files, JSON
** strings) live in util.c.
*/
#include <string.h>

#include "cli.h"

typedef struct {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *summary;
} cli_cmd;

static const cli_cmd cli_cmds[] = {
  { "align", cmd_align, "align a document with its translation, sentence by sentence" },
  { "batch", cmd_batch, "align many document pairs on all cores into a TM" },
  { "segment", cmd_segment, "split a text into sentences, one per line" },
  { "extract", cmd_extract, "print the article of saved web pages, as text or JSON" },
  { "tm", cmd_tm, "import, export and inspect a translation memory" },
  { "review", cmd_review, "review and correct aligned pairs in the browser" },
  { "serve", cmd_serve, "serve a TM over HTTP: search, concordance, add, import, export" },
  { "eval", cmd_eval, "score the aligner on cases with gold alignments" },
};

static void usage(FILE *f)
{
  fprintf(f, "Usage: ieum COMMAND [OPTIONS] [ARGS]\n\n"
             "Align Korean news articles with their English translations into a translation memory.\n\n"
             "Commands:\n");
  for (size_t i = 0; i < sizeof cli_cmds / sizeof cli_cmds[0]; i++)
    fprintf(f, "  %-8s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
  fprintf(f, "\nOptions:\n  -V, --version  print the version of ieum and of the libraries it runs on\n"
             "  -h, --help     show this help\n"
             "\n'ieum COMMAND --help' describes a command.\n"
             "Exit status: 0 success, 1 runtime error, 2 usage error.\n");
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return CLI_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return cli_stdout_done(CLI_OK);
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
    printf("ieum %s\nICU %s, SQLite %s, libxml2 %s\n", ieum_version(), ieum_dependency_version("ICU"),
           ieum_dependency_version("SQLite"), ieum_dependency_version("libxml2"));
    return cli_stdout_done(CLI_OK);
  }
  for (size_t i = 0; i < sizeof cli_cmds / sizeof cli_cmds[0]; i++)
    if (!strcmp(argv[1], cli_cmds[i].name))
      return cli_cmds[i].fn(argc - 1, argv + 1);
  cli_error("'%s' is not a command; see 'ieum --help'", argv[1]);
  return CLI_USAGE;
}
