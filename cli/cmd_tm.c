/*
** cli/cmd_tm.c: `ieum tm`: import TMX into a TM, export a TM as TMX, and
** show a TM's statistics.
**
** Import streams the TMX file into the TM inside one transaction: a file
** that fails half-way leaves the TM as it was.  A file already imported (same
** content hash) is skipped.  Export streams units out of the TM into a
** temporary file renamed into place at the end.
*/
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
  fputs("Usage: ieum tm import --tm DB [--src-lang L] [--tgt-lang L] FILE.tmx...\n"
        "       ieum tm export --tm DB [-o FILE.tmx]\n"
        "       ieum tm stats --tm DB\n"
        "\n"
        "  import   add the units of TMX files to the TM DB (created if missing); each file\n"
        "           in one transaction; a file already imported is skipped\n"
        "  export   write every unit of DB as TMX 1.4b (standard output without -o or with -o -)\n"
        "  stats    print the numbers of documents and units, language pairs, bead types and\n"
        "           the distribution of alignment scores\n"
        "\n"
        "Options:\n"
        "      --tm DB        the translation memory (an SQLite file)\n"
        "      --src-lang L   import: source language to pick (default: the file's srclang)\n"
        "      --tgt-lang L   import: target language to pick (default: the first other one)\n"
        "  -o, --output FILE  export: write to FILE\n"
        "  -h, --help         show this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

typedef struct {
  const char *sub;
  const char *tm_path, *out_path, *src_lang, *tgt_lang;
  int first_file;
} tm_args;

static int parse_args(tm_args *a, int argc, char **argv)
{
  enum { O_TM = 256, O_SRCL, O_TGTL };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },         { "output", required_argument, NULL, 'o' },
    { "src-lang", required_argument, NULL, O_SRCL }, { "tgt-lang", required_argument, NULL, O_TGTL },
    { "help", no_argument, NULL, 'h' },              { NULL, 0, NULL, 0 },
  };
  int c;
  memset(a, 0, sizeof *a);
  if (argc < 2)
    return cli_usage_error("tm", "expected a subcommand: import, export or stats");
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    help(stdout);
    return -1;
  }
  a->sub = argv[1];
  if (strcmp(a->sub, "import") && strcmp(a->sub, "export") && strcmp(a->sub, "stats"))
    return cli_usage_error("tm", "unknown subcommand '%s' (import, export or stats)", a->sub);
  argc--;
  argv++;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: a->tm_path = optarg; break;
    case 'o': a->out_path = optarg; break;
    case O_SRCL: a->src_lang = optarg; break;
    case O_TGTL: a->tgt_lang = optarg; break;
    case 'h': help(stdout); return -1;
    case ':': return cli_usage_error("tm", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("tm", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!a->tm_path)
    return cli_usage_error("tm", "%s needs --tm DB", a->sub);
  if (!strcmp(a->sub, "import")) {
    if (optind >= argc)
      return cli_usage_error("tm", "import needs at least one TMX file");
  } else if (optind < argc) {
    return cli_usage_error("tm", "%s takes no file arguments (got '%s')", a->sub, argv[optind]);
  }
  if (strcmp(a->sub, "export") && a->out_path)
    return cli_usage_error("tm", "-o goes with export only");
  a->first_file = optind + 1; /* in the caller's argv, which still has the subcommand */
  return CLI_OK;
}

typedef struct {
  ieum_tm *tm;
  int64_t doc_id;
  size_t added;
} import_sink;

static int import_unit(const ieum_unit *u, void *payload)
{
  import_sink *s = payload;
  int rc = ieum_tm_add_unit(s->tm, s->doc_id, u);
  if (rc == 0)
    s->added++;
  return rc;
}

static int import_file(ieum_tm *tm, const tm_args *a, const char *path)
{
  char hash[33];
  int rc;
  if ((rc = ieum_tm_hash_file(hash, path)) != 0)
    return cli_lib_error(rc);
  if ((rc = ieum_tm_begin(tm)) != 0)
    return cli_lib_error(rc);
  ieum_tm_document d = { .kind = "tmx", .src_path = path, .src_lang = a->src_lang, .tgt_lang = a->tgt_lang,
                         .hash = hash };
  import_sink sink = { .tm = tm };
  rc = ieum_tm_add_document(&sink.doc_id, tm, &d);
  if (rc == IEUM_EEXISTS) {
    ieum_tm_rollback(tm);
    fprintf(stderr, "ieum: %s: already imported into %s (document %lld); skipped\n", path, a->tm_path,
            (long long)sink.doc_id);
    return CLI_OK;
  }
  ieum_tmx_read_options ro = IEUM_TMX_READ_OPTIONS_INIT;
  ro.src_lang = a->src_lang;
  ro.tgt_lang = a->tgt_lang;
  ieum_tmx_info info;
  memset(&info, 0, sizeof info);
  if (rc == 0)
    rc = ieum_tmx_read(&info, path, &ro, import_unit, &sink);
  if (rc == 0 && info.units == 0) {
    cli_error("%s: no unit has both a source and a target language%s%s", path,
              info.skipped ? "; check --src-lang and --tgt-lang" : "", "");
    ieum_tm_rollback(tm);
    return CLI_FAIL;
  }
  if (rc == 0)
    rc = ieum_tm_commit(tm);
  if (rc) {
    cli_lib_error(rc);
    ieum_tm_rollback(tm);
    return CLI_FAIL;
  }
  fprintf(stderr, "ieum: %s: imported %zu units (%s -> %s)", path, sink.added, info.src_lang, info.tgt_lang);
  if (info.skipped)
    fprintf(stderr, ", skipped %zu without both languages", info.skipped);
  fputc('\n', stderr);
  return CLI_OK;
}

static int export_unit(const ieum_unit *u, void *payload)
{
  return ieum_tmx_writer_add(payload, u);
}

static int export_tm(ieum_tm *tm, const tm_args *a)
{
  ieum_tm_stats st;
  ieum_tmx_writer *w = NULL;
  int rc = ieum_tm_stats_get(&st, tm);
  if (rc)
    return cli_lib_error(rc);
  ieum_tmx_header h = IEUM_TMX_HEADER_INIT;
  if (st.n_langs > 0) {
    h.src_lang = st.langs[0].src;
    h.tgt_lang = st.langs[0].tgt;
  }
  if ((rc = ieum_tmx_writer_open(&w, a->out_path ? a->out_path : "-", &h)) != 0)
    return cli_lib_error(rc);
  if ((rc = ieum_tm_foreach(tm, export_unit, w)) != 0) {
    cli_lib_error(rc);
    ieum_tmx_writer_free(w);
    return CLI_FAIL;
  }
  if ((rc = ieum_tmx_writer_close(w)) != 0)
    return cli_lib_error(rc);
  return CLI_OK;
}

static int print_stats(ieum_tm *tm, const tm_args *a)
{
  ieum_tm_stats st;
  static const char *const bead_names[6] = { "1-1", "1-0", "0-1", "2-1", "1-2", "2-2" };
  int rc = ieum_tm_stats_get(&st, tm);
  if (rc)
    return cli_lib_error(rc);
  printf("tm\t%s\n", a->tm_path);
  printf("documents\t%lld\n", (long long)st.documents);
  printf("units\t%lld\n", (long long)st.units);
  for (size_t i = 0; i < st.n_langs; i++)
    printf("languages\t%s\t%s\t%lld\n", st.langs[i].src, st.langs[i].tgt, (long long)st.langs[i].units);
  for (int i = 0; i < 6; i++)
    if (st.beads[i])
      printf("bead\t%s\t%lld\n", bead_names[i], (long long)st.beads[i]);
  for (int i = 0; i < 10; i++)
    printf("score\t%.1f-%.1f\t%lld\n", i / 10.0, (i + 1) / 10.0, (long long)st.score_hist[i]);
  printf("score\tnone\t%lld\n", (long long)st.unscored);
  return CLI_OK;
}

int cmd_tm(int argc, char **argv)
{
  tm_args a;
  ieum_tm *tm = NULL;
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  int import = !strcmp(a.sub, "import");
  int lrc = ieum_tm_open(&tm, a.tm_path, import ? IEUM_TM_CREATE : IEUM_TM_READ);
  if (lrc)
    return cli_lib_error(lrc);
  if (import) {
    rc = CLI_OK;
    for (int i = a.first_file; i < argc; i++)
      if (import_file(tm, &a, argv[i]) != CLI_OK)
        rc = CLI_FAIL;
  } else if (!strcmp(a.sub, "export")) {
    rc = export_tm(tm, &a);
  } else {
    rc = print_stats(tm, &a);
  }
  ieum_tm_free(tm);
  return rc;
}
