/*
** cli/cmd_tmq.c: `ieum tm search|concordance|merge|dedupe|delete`: querying
** and maintaining a TM (cmd_tm() in cmd_tm.c hands these subcommands over).
**
** search prints fuzzy matches best first, one per line as
** SCORE<TAB>SOURCE<TAB>TARGET<TAB>DOCUMENT, or with --json one object per
** line; concordance prints DOCUMENT:POSITION<TAB>SOURCE<TAB>TARGET for every
** unit holding all the words.  merge, dedupe and delete change the TM, each
** in one transaction (merge: one per merged file), and report on stderr
** what they did.  Search and concordance open the TM read-only, so they run
** while another process writes to it.
*/
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
  fputs("Usage: ieum tm search --tm DB [--min PERCENT] [-n N] [--json] TEXT...\n"
        "       ieum tm concordance --tm DB [-n N] [--json] WORD...\n"
        "       ieum tm merge --tm DB OTHER.db...\n"
        "       ieum tm dedupe --tm DB --keep all|newest|best\n"
        "       ieum tm delete --tm DB --document NAME|ID\n"
        "\n"
        "  search       fuzzy matches of TEXT (the words given, joined by spaces) among the\n"
        "               sources of DB, best first: SCORE<TAB>SOURCE<TAB>TARGET<TAB>DOCUMENT.\n"
        "               The score is a CAT-style match percentage: edit distance on text folded\n"
        "               for case, width and white space, minus 5 when numbers differ and 2 when\n"
        "               punctuation differs; 100 only for an identical source.  Candidates come\n"
        "               from DB's trigram index: TEXT needs at least 3 characters\n"
        "  concordance  every unit whose source or target contains all the WORDs (case-folded\n"
        "               substrings): DOCUMENT:POSITION<TAB>SOURCE<TAB>TARGET, in document order\n"
        "  merge        add the documents and units of each OTHER.db that DB lacks (DB is\n"
        "               created if missing)\n"
        "  dedupe       among units with the same source and languages, keep all different\n"
        "               targets (removing repeated identical pairs), only the newest unit, or\n"
        "               only the one with the best alignment score\n"
        "  delete       remove a document and its units; NAME is a file name, SRC|TGT as search\n"
        "               prints it, or a document name inside an imported TMX; ID its number\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory (an SQLite file)\n"
        "      --min PERCENT    search: lowest match percentage shown (default 70)\n"
        "  -n, --max N          search: at most N matches (default 10); concordance: at most N\n"
        "                       units (default all)\n"
        "      --json           search, concordance: one JSON object per line (score, source,\n"
        "                       target, document, position, id, languages)\n"
        "      --keep RULE      dedupe: all, newest or best\n"
        "      --document NAME  delete: the document\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 success (also when nothing matches), 1 runtime error, 2 usage error.\n",
        f);
}

static const char *const subs[] = { "search", "concordance", "merge", "dedupe", "delete" };

int cmd_tmq_owns(const char *sub)
{
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
    if (!strcmp(sub, subs[i]))
      return 1;
  return 0;
}

typedef struct {
  const char *sub, *tm_path, *keep, *document;
  int min, json;
  long max;      /* -1: not given */
  int first_arg; /* index of the first operand in the caller's argv */
} tmq_args;

/* Returns CLI_OK, CLI_USAGE, or -1 after printing the help. */
static int parse_args(tmq_args *a, int argc, char **argv)
{
  enum { O_TM = 256, O_MIN, O_JSON, O_KEEP, O_DOC };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },     { "min", required_argument, NULL, O_MIN },
    { "max", required_argument, NULL, 'n' },     { "json", no_argument, NULL, O_JSON },
    { "keep", required_argument, NULL, O_KEEP }, { "document", required_argument, NULL, O_DOC },
    { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
  };
  int c;
  double v;
  memset(a, 0, sizeof *a);
  a->sub = argv[1];
  a->min = 70;
  a->max = -1;
  argc--;
  argv++;
  optind = 0;
  opterr = 0;
  /* Options and operands mix; a search text that starts with '-' goes after "--". */
  while ((c = getopt_long(argc, argv, ":n:h", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: a->tm_path = optarg; break;
    case O_MIN:
      if (cli_parse_double(optarg, 0, 100, &v) != 0 || v != (int)v)
        return cli_usage_error("tm", "--min needs a whole percentage 0-100, not '%s'", optarg);
      a->min = (int)v;
      break;
    case 'n':
      if (cli_parse_double(optarg, 1, 1e9, &v) != 0 || v != (long)v)
        return cli_usage_error("tm", "-n needs a positive whole number, not '%s'", optarg);
      a->max = (long)v;
      break;
    case O_JSON: a->json = 1; break;
    case O_KEEP: a->keep = optarg; break;
    case O_DOC: a->document = optarg; break;
    case 'h': help(stdout); return -1;
    case ':': return cli_usage_error("tm", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("tm", "unknown option '%s'", argv[optind - 1]);
    }
  }
  int search = !strcmp(a->sub, "search"), conc = !strcmp(a->sub, "concordance");
  if (!a->tm_path)
    return cli_usage_error("tm", "%s needs --tm DB", a->sub);
  if ((search || conc || !strcmp(a->sub, "merge")) && optind >= argc)
    return cli_usage_error("tm", "%s needs %s", a->sub,
                           search ? "a text to search for" : conc ? "at least one word" : "at least one TM to merge");
  if (!search && !conc && strcmp(a->sub, "merge") && optind < argc)
    return cli_usage_error("tm", "%s takes no other arguments (got '%s')", a->sub, argv[optind]);
  if (!search && !conc && (a->json || a->max >= 0))
    return cli_usage_error("tm", "--json and -n go with search and concordance only");
  if (!search && a->min != 70)
    return cli_usage_error("tm", "--min goes with search only");
  if (a->keep && strcmp(a->keep, "all") && strcmp(a->keep, "newest") && strcmp(a->keep, "best"))
    return cli_usage_error("tm", "--keep takes all, newest or best, not '%s'", a->keep);
  if (!strcmp(a->sub, "dedupe") != !!a->keep)
    return cli_usage_error("tm", a->keep ? "--keep goes with dedupe only" : "dedupe needs --keep all|newest|best");
  if (!strcmp(a->sub, "delete") != !!a->document)
    return cli_usage_error("tm", a->document ? "--document goes with delete only" : "delete needs --document NAME|ID");
  a->first_arg = optind + 1;
  return CLI_OK;
}

static void print_json_field(const char *key, const char *s, size_t len)
{
  printf(",\"%s\":", key);
  if (s)
    cli_json_string(stdout, s, len);
  else
    fputs("null", stdout);
}

/* Prints a unit's fields after `{"score":N` or `{`; closes the object. */
static void print_json_unit(const ieum_unit *u)
{
  print_json_field("source", u->src, u->src_len);
  print_json_field("target", u->tgt, u->tgt_len);
  print_json_field("document", u->document, u->document ? strlen(u->document) : 0);
  printf(",\"position\":%lld,\"id\":%lld", (long long)u->position, (long long)u->id);
  print_json_field("src_lang", u->src_lang, u->src_lang ? strlen(u->src_lang) : 0);
  print_json_field("tgt_lang", u->tgt_lang, u->tgt_lang ? strlen(u->tgt_lang) : 0);
  fputs("}\n", stdout);
}

typedef struct {
  int json;
  size_t shown;
} printer;

static int print_match(const ieum_tm_match *m, void *payload)
{
  printer *p = payload;
  const ieum_unit *u = &m->unit;
  p->shown++;
  if (p->json) {
    printf("{\"score\":%d", m->score);
    print_json_unit(u);
  } else {
    printf("%d\t%.*s\t%.*s\t%s\n", m->score, (int)u->src_len, u->src, (int)u->tgt_len, u->tgt,
           u->document ? u->document : "");
  }
  return 0;
}

static int print_unit(const ieum_unit *u, void *payload)
{
  printer *p = payload;
  p->shown++;
  if (p->json) {
    fputs("{\"match\":true", stdout);
    print_json_unit(u);
  } else {
    printf("%s:%lld\t%.*s\t%.*s\n", u->document ? u->document : "", (long long)u->position, (int)u->src_len, u->src,
           (int)u->tgt_len, u->tgt);
  }
  return 0;
}

/* The operands from argv[from] on, joined by single spaces; NULL when out of memory (reported). */
static char *join_args(int argc, char **argv, int from)
{
  size_t n = 1;
  for (int i = from; i < argc; i++)
    n += strlen(argv[i]) + 1;
  char *s = malloc(n), *p = s;
  if (!s) {
    cli_error("out of memory");
    return NULL;
  }
  for (int i = from; i < argc; i++) {
    size_t l = strlen(argv[i]);
    if (i > from)
      *p++ = ' ';
    memcpy(p, argv[i], l);
    p += l;
  }
  *p = '\0';
  return s;
}

static int search(ieum_tm *tm, const tmq_args *a, int argc, char **argv)
{
  ieum_tm_search_options o = IEUM_TM_SEARCH_OPTIONS_INIT;
  printer p = { a->json, 0 };
  char *text = join_args(argc, argv, a->first_arg);
  if (!text)
    return CLI_FAIL;
  o.min_score = a->min;
  if (a->max > 0)
    o.max_results = (size_t)a->max;
  int rc = ieum_tm_search(tm, text, strlen(text), &o, print_match, &p);
  free(text);
  if (rc)
    return cli_lib_error(rc);
  if (p.shown == 0)
    cli_error("%s: no match of %d%% or more", a->tm_path, a->min);
  return CLI_OK;
}

static int concordance(ieum_tm *tm, const tmq_args *a, int argc, char **argv)
{
  printer p = { a->json, 0 };
  int rc = ieum_tm_concordance(tm, (const char *const *)argv + a->first_arg, (size_t)(argc - a->first_arg),
                               a->max > 0 ? (size_t)a->max : 0, print_unit, &p);
  if (rc)
    return cli_lib_error(rc);
  if (p.shown == 0)
    cli_error("%s: no unit contains %s", a->tm_path, argc - a->first_arg > 1 ? "all the words" : "the word");
  return CLI_OK;
}

static int merge(ieum_tm *tm, const tmq_args *a, int argc, char **argv)
{
  int result = CLI_OK;
  for (int i = a->first_arg; i < argc; i++) {
    ieum_tm_merge_stats st;
    int rc = ieum_tm_merge(&st, tm, argv[i]);
    if (rc) {
      cli_lib_error(rc);
      result = CLI_FAIL;
      continue;
    }
    fprintf(stderr, "ieum: %s: merged %lld new documents and %lld new units into %s\n", argv[i],
            (long long)st.documents, (long long)st.units, a->tm_path);
  }
  return result;
}

/* Runs dedupe or delete in one transaction. */
static int change(ieum_tm *tm, const tmq_args *a)
{
  static const char *const rules[] = { "all", "newest", "best" };
  int64_t n = 0;
  int keep = -1, rc;
  for (int i = 0; a->keep && i < 3; i++)
    if (!strcmp(a->keep, rules[i]))
      keep = i;
  if ((rc = ieum_tm_begin(tm)) != 0)
    return cli_lib_error(rc);
  rc = a->keep ? ieum_tm_dedupe(&n, tm, keep) : ieum_tm_delete_document(&n, tm, a->document);
  if (rc == 0)
    rc = ieum_tm_commit(tm);
  if (rc) {
    cli_lib_error(rc);
    ieum_tm_rollback(tm);
    return CLI_FAIL;
  }
  if (a->keep)
    fprintf(stderr, "ieum: %s: removed %lld duplicate units (keep %s)\n", a->tm_path, (long long)n, a->keep);
  else
    fprintf(stderr, "ieum: %s: deleted document '%s' and its %lld units\n", a->tm_path, a->document, (long long)n);
  return CLI_OK;
}

int cmd_tmq(int argc, char **argv)
{
  tmq_args a;
  ieum_tm *tm = NULL;
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  int reads = !strcmp(a.sub, "search") || !strcmp(a.sub, "concordance");
  int mode = reads ? IEUM_TM_READ : !strcmp(a.sub, "merge") ? IEUM_TM_CREATE : IEUM_TM_WRITE;
  int lrc = ieum_tm_open(&tm, a.tm_path, mode);
  if (lrc)
    return cli_lib_error(lrc);
  if (!strcmp(a.sub, "search"))
    rc = search(tm, &a, argc, argv);
  else if (!strcmp(a.sub, "concordance"))
    rc = concordance(tm, &a, argc, argv);
  else if (!strcmp(a.sub, "merge"))
    rc = merge(tm, &a, argc, argv);
  else
    rc = change(tm, &a);
  ieum_tm_free(tm);
  if (rc == CLI_OK && fflush(stdout) != 0) {
    cli_error("standard output: write error");
    rc = CLI_FAIL;
  }
  return rc;
}
