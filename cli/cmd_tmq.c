/*
** cli/cmd_tmq.c: `ieum tm search|concordance|merge|dedupe|delete`: querying
** and maintaining a TM (cmd_tm() in cmd_tm.c hands these subcommands over).
**
** search prints fuzzy matches best first, one per line as
** SCORE<TAB>SOURCE<TAB>TARGET<TAB>DOCUMENT, or with --json one object per
** line; concordance prints DOCUMENT:POSITION<TAB>SOURCE<TAB>TARGET for every
** unit holding all the words.  merge, dedupe and delete change the TM, each
** in one transaction (merge: one per merged file), and report on stderr
** what they did; dedupe and delete --dry-run list the units they would
** remove instead.  Search, concordance and --dry-run open the TM read-only,
** so they run while another process writes to it.  Each subcommand has its
** own --help page.  A write error on stdout stops the listing and exits 1.
*/
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The help page of each subcommand, in the order of subs[]. */
static const char *const help_pages[] = {
  /* search */
  "Usage: ieum tm search --tm DB [--min PERCENT] [-n N] [--json] TEXT...\n"
  "\n"
  "Fuzzy matches of TEXT (the words given, joined by spaces) among the sources of the\n"
  "TM DB, best first, one per line: SCORE<TAB>SOURCE<TAB>TARGET<TAB>DOCUMENT.  The score\n"
  "is a CAT-style match percentage: edit distance on text folded for case, width and\n"
  "white space, minus 5 when numbers differ and 2 when punctuation differs; 100 only\n"
  "for an identical source.  Candidates come from DB's trigram index; a TEXT of one or\n"
  "two characters (spaces and punctuation aside) is compared with the TM's short\n"
  "sources (to list the units that contain a word, use 'ieum tm concordance').  DB is\n"
  "opened read-only.\n"
  "\n"
  "Options:\n"
  "      --tm DB        the translation memory (an SQLite file or a postgresql:// URI)\n"
  "      --min PERCENT  lowest match percentage shown, 0-100 (default 70)\n"
  "  -n, --max N        at most N matches (default 10)\n"
  "      --json         one JSON object per line (score, source, target, document,\n"
  "                     position, id, src_lang, tgt_lang)\n"
  "  -h, --help         show this help\n"
  "\n"
  "Exit status: 0 success (also when nothing matches: a note says so on standard\n"
  "error), 1 runtime error (also a write error on standard output), 2 usage error.\n",
  /* concordance */
  "Usage: ieum tm concordance --tm DB [-n N] [--json] WORD...\n"
  "\n"
  "Every unit of the TM DB whose source or target contains all the WORDs (substrings,\n"
  "ASCII case folded; quote a WORD to give one with spaces), in document order, one\n"
  "per line: DOCUMENT:POSITION<TAB>SOURCE<TAB>TARGET.  A WORD of three or more\n"
  "characters is looked up in DB's index; WORDs that are all shorter read every unit.\n"
  "DB is opened read-only.\n"
  "\n"
  "Options:\n"
  "      --tm DB        the translation memory (an SQLite file or a postgresql:// URI)\n"
  "  -n, --max N        at most N units (default all)\n"
  "      --json         one JSON object per line (source, target, document, position,\n"
  "                     id, src_lang, tgt_lang)\n"
  "  -h, --help         show this help\n"
  "\n"
  "Exit status: 0 success (also when no unit matches: a note says so on standard\n"
  "error), 1 runtime error (also a write error on standard output), 2 usage error.\n",
  /* merge */
  "Usage: ieum tm merge --tm DB OTHER.db...\n"
  "\n"
  "Adds the documents and units of each OTHER.db that the TM DB lacks, with their\n"
  "props, notes, document metadata and learned word pairs; DB is created if missing.\n"
  "Each OTHER.db is merged in one transaction: one that fails leaves DB as it was, and\n"
  "the others are still merged.  What was added is reported on standard error.\n"
  "\n"
  "Options:\n"
  "      --tm DB        the translation memory to merge into (an SQLite file only)\n"
  "  -h, --help         show this help\n"
  "\n"
  "Exit status: 0 success, 1 runtime error (any OTHER.db not merged), 2 usage error.\n",
  /* dedupe */
  "Usage: ieum tm dedupe --tm DB --keep all|newest|best [--dry-run [--json]]\n"
  "\n"
  "Removes units of the TM DB that have the same source and languages as another,\n"
  "in one transaction, and reports how many went on standard error.  With\n"
  "--dry-run, lists the units that would go instead (DB is opened read-only and\n"
  "nothing changes), one per line: DOCUMENT:POSITION<TAB>SOURCE<TAB>TARGET.\n"
  "\n"
  "Options:\n"
  "      --tm DB        the translation memory (an SQLite file or a postgresql:// URI)\n"
  "      --keep RULE    all: keep every different target, remove only repeated\n"
  "                     identical pairs; newest: keep only the newest unit of a source;\n"
  "                     best: keep only the best-scored one (then the newest)\n"
  "      --dry-run      list what would be removed; change nothing\n"
  "      --json         with --dry-run: one JSON object per line\n"
  "  -h, --help         show this help\n"
  "\n"
  "Exit status: 0 success, 1 runtime error (also a write error on standard output),\n"
  "2 usage error.\n",
  /* delete */
  "Usage: ieum tm delete --tm DB --document NAME|ID [--dry-run [--json]]\n"
  "\n"
  "Removes a document and its units (with their props and metadata) from the TM DB,\n"
  "in one transaction, and reports how many units went on standard error.  NAME is\n"
  "a file name (either side of an aligned pair, or an imported TMX file), SRC|TGT as\n"
  "search prints it, or a document name inside an imported TMX (then only its units\n"
  "go); ID is the document's number.  A NAME that fits several documents is an\n"
  "error: give the ID.  With --dry-run, lists the units that would go instead (DB is\n"
  "opened read-only and nothing changes): DOCUMENT:POSITION<TAB>SOURCE<TAB>TARGET.\n"
  "\n"
  "Options:\n"
  "      --tm DB          the translation memory (an SQLite file or a postgresql://\n"
  "                       URI)\n"
  "      --document NAME  the document, by name or ID\n"
  "      --dry-run        list what would be removed; change nothing\n"
  "      --json           with --dry-run: one JSON object per line\n"
  "  -h, --help           show this help\n"
  "\n"
  "Exit status: 0 success, 1 runtime error (no such document, a NAME of several\n"
  "documents, a write error on standard output), 2 usage error.\n",
};

static const char *const subs[] = { "search", "concordance", "merge", "dedupe", "delete" };

int cmd_tmq_owns(const char *sub)
{
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
    if (!strcmp(sub, subs[i]))
      return 1;
  return 0;
}

enum { SUB_SEARCH, SUB_CONCORDANCE, SUB_MERGE, SUB_DEDUPE, SUB_DELETE };

typedef struct {
  const char *tm_path, *keep, *document;
  int sub;       /* SUB_* */
  char cmd[32];  /* "tm SUB", for usage errors */
  int min, json, dry_run;
  long max;      /* -1: not given */
  int first_arg; /* index of the first operand in the caller's argv */
} tmq_args;

/* Returns CLI_OK, CLI_USAGE, or -1 after printing the help. */
static int parse_args(tmq_args *a, int argc, char **argv)
{
  enum { O_TM = 256, O_MIN, O_JSON, O_KEEP, O_DOC, O_DRY };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },     { "min", required_argument, NULL, O_MIN },
    { "max", required_argument, NULL, 'n' },     { "json", no_argument, NULL, O_JSON },
    { "keep", required_argument, NULL, O_KEEP }, { "document", required_argument, NULL, O_DOC },
    { "dry-run", no_argument, NULL, O_DRY },     { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c;
  double v;
  memset(a, 0, sizeof *a);
  for (int i = 0; i < (int)(sizeof subs / sizeof subs[0]); i++)
    if (!strcmp(argv[1], subs[i]))
      a->sub = i;
  snprintf(a->cmd, sizeof a->cmd, "tm %s", subs[a->sub]);
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
        return cli_usage_error(a->cmd, "--min needs a whole percentage 0-100, not '%s'", optarg);
      a->min = (int)v;
      break;
    case 'n':
      if (cli_parse_double(optarg, 1, 1e9, &v) != 0 || v != (long)v)
        return cli_usage_error(a->cmd, "-n needs a positive whole number, not '%s'", optarg);
      a->max = (long)v;
      break;
    case O_JSON: a->json = 1; break;
    case O_KEEP: a->keep = optarg; break;
    case O_DOC: a->document = optarg; break;
    case O_DRY: a->dry_run = 1; break;
    case 'h': fputs(help_pages[a->sub], stdout); return -1;
    case ':': return cli_usage_error(a->cmd, "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error(a->cmd, "unknown option '%s'", argv[optind - 1]);
    }
  }
  int search = a->sub == SUB_SEARCH, conc = a->sub == SUB_CONCORDANCE, merge = a->sub == SUB_MERGE;
  int change = a->sub == SUB_DEDUPE || a->sub == SUB_DELETE;
  if (!a->tm_path)
    return cli_usage_error(a->cmd, "%s needs --tm DB", subs[a->sub]);
  if ((search || conc || merge) && optind >= argc)
    return cli_usage_error(a->cmd, "%s needs %s", subs[a->sub],
                           search ? "a text to search for" : conc ? "at least one word" : "at least one TM to merge");
  if (!search && !conc && !merge && optind < argc)
    return cli_usage_error(a->cmd, "%s takes no other arguments (got '%s')", subs[a->sub], argv[optind]);
  if (a->dry_run && !change)
    return cli_usage_error(a->cmd, "--dry-run goes with dedupe and delete only");
  if (a->json && !search && !conc && !a->dry_run)
    return cli_usage_error(a->cmd, change ? "--json goes with --dry-run" : "--json goes with search and concordance only");
  if (!search && !conc && a->max >= 0)
    return cli_usage_error(a->cmd, "-n goes with search and concordance only");
  if (!search && a->min != 70)
    return cli_usage_error(a->cmd, "--min goes with search only");
  if (a->keep && strcmp(a->keep, "all") && strcmp(a->keep, "newest") && strcmp(a->keep, "best"))
    return cli_usage_error(a->cmd, "--keep takes all, newest or best, not '%s'", a->keep);
  if ((a->sub == SUB_DEDUPE) != !!a->keep)
    return cli_usage_error(a->cmd, a->keep ? "--keep goes with dedupe only" : "dedupe needs --keep all|newest|best");
  if ((a->sub == SUB_DELETE) != !!a->document)
    return cli_usage_error(a->cmd, a->document ? "--document goes with delete only" : "delete needs --document NAME|ID");
  a->first_arg = optind + 1;
  return CLI_OK;
}

/*
** Printing to standard output.  A write error (a full disk, a closed pipe)
** stops the listing at once: the callbacks return OUT_FAILED, which the
** library hands back, and the command reports it and exits 1.
*/
#define OUT_FAILED 1

typedef struct {
  int json;
  size_t shown;
  int err;       /* errno of the first write error, 0 while none */
} printer;

/* Whether stdout has failed; records errno the first time. */
static int out_failed(printer *p)
{
  if (!p->err && ferror(stdout))
    p->err = errno ? errno : EIO;
  return p->err != 0;
}

/* Reports a write error on stdout (also one found only by the final flush); returns CLI_FAIL. */
static int out_error(int err)
{
  cli_error("standard output: write error: %s", strerror(err ? err : EIO));
  return CLI_FAIL;
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
  return out_failed(p) ? OUT_FAILED : 0;
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
  return out_failed(p) ? OUT_FAILED : 0;
}

/* A unit --dry-run lists: as concordance prints it; JSON objects say "remove". */
static int print_removed(const ieum_unit *u, void *payload)
{
  printer *p = payload;
  p->shown++;
  if (p->json) {
    fputs("{\"remove\":true", stdout);
    print_json_unit(u);
  } else {
    printf("%s:%lld\t%.*s\t%.*s\n", u->document ? u->document : "", (long long)u->position, (int)u->src_len, u->src,
           (int)u->tgt_len, u->tgt);
  }
  return out_failed(p) ? OUT_FAILED : 0;
}

/* A library call's result: a write error of ours, a library error, or CLI_OK. */
static int listed(int rc, printer *p)
{
  if (rc == OUT_FAILED && p->err)
    return out_error(p->err);
  return rc ? cli_lib_error(rc) : CLI_OK;
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

/* Whether `s` has fewer than 3 characters other than white space and ASCII punctuation (a word, not a sentence). */
static int short_text(const char *s)
{
  int n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80 && !isspace((unsigned char)*s) && !ispunct((unsigned char)*s))
      n++;
  return n < 3;
}

static int search(ieum_tm *tm, const tmq_args *a, int argc, char **argv)
{
  ieum_tm_search_options o = IEUM_TM_SEARCH_OPTIONS_INIT;
  printer p = { a->json, 0, 0 };
  char *text = join_args(argc, argv, a->first_arg);
  if (!text)
    return CLI_FAIL;
  o.min_score = a->min;
  if (a->max > 0)
    o.max_results = (size_t)a->max;
  int rc = listed(ieum_tm_search(tm, text, strlen(text), &o, print_match, &p), &p);
  if (rc == CLI_OK && p.shown == 0 && short_text(text))
    cli_error("%s: no match of %d%% or more (a text this short matches only short sources; "
              "'ieum tm concordance' lists the units that contain it)", a->tm_path, a->min);
  else if (rc == CLI_OK && p.shown == 0)
    cli_error("%s: no match of %d%% or more", a->tm_path, a->min);
  free(text);
  return rc;
}

static int concordance(ieum_tm *tm, const tmq_args *a, int argc, char **argv)
{
  printer p = { a->json, 0, 0 };
  int rc = listed(ieum_tm_concordance(tm, (const char *const *)argv + a->first_arg, (size_t)(argc - a->first_arg),
                                      a->max > 0 ? (size_t)a->max : 0, print_unit, &p),
                  &p);
  if (rc == CLI_OK && p.shown == 0)
    cli_error("%s: no unit contains %s", a->tm_path, argc - a->first_arg > 1 ? "all the words" : "the word");
  return rc;
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

/* The ieum_tm_keep of --keep. */
static int keep_rule(const char *keep)
{
  static const char *const rules[] = { "all", "newest", "best" };
  for (int i = 0; keep && i < 3; i++)
    if (!strcmp(keep, rules[i]))
      return i;
  return -1;
}

/* Runs dedupe or delete in one transaction. */
static int change(ieum_tm *tm, const tmq_args *a)
{
  int64_t n = 0;
  int rc;
  if ((rc = ieum_tm_begin(tm)) != 0)
    return cli_lib_error(rc);
  rc = a->keep ? ieum_tm_dedupe(&n, tm, keep_rule(a->keep)) : ieum_tm_delete_document(&n, tm, a->document);
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

/* dedupe or delete --dry-run: lists the units that would go. */
static int dry_run(ieum_tm *tm, const tmq_args *a)
{
  printer p = { a->json, 0, 0 };
  int rc = listed(a->keep ? ieum_tm_dedupe_preview(tm, keep_rule(a->keep), print_removed, &p)
                          : ieum_tm_delete_document_preview(tm, a->document, print_removed, &p),
                  &p);
  if (rc)
    return rc;
  if (fflush(stdout) != 0) /* the list first: no summary of a list that was lost */
    return out_error(errno);
  if (a->keep)
    fprintf(stderr, "ieum: %s: would remove %zu duplicate units (keep %s); nothing changed (--dry-run)\n",
            a->tm_path, p.shown, a->keep);
  else
    fprintf(stderr, "ieum: %s: would delete document '%s' and its %zu units; nothing changed (--dry-run)\n",
            a->tm_path, a->document, p.shown);
  return CLI_OK;
}

int cmd_tmq(int argc, char **argv)
{
  tmq_args a;
  ieum_tm *tm = NULL;
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? (fflush(stdout) ? out_error(errno) : CLI_OK) : rc;
  int reads = a.sub == SUB_SEARCH || a.sub == SUB_CONCORDANCE || a.dry_run;
  int mode = reads ? IEUM_TM_READ : a.sub == SUB_MERGE ? IEUM_TM_CREATE : IEUM_TM_WRITE;
  int lrc = ieum_tm_open(&tm, a.tm_path, mode);
  if (lrc)
    return cli_lib_error(lrc);
  if (a.sub == SUB_SEARCH)
    rc = search(tm, &a, argc, argv);
  else if (a.sub == SUB_CONCORDANCE)
    rc = concordance(tm, &a, argc, argv);
  else if (a.sub == SUB_MERGE)
    rc = merge(tm, &a, argc, argv);
  else if (a.dry_run)
    rc = dry_run(tm, &a);
  else
    rc = change(tm, &a);
  ieum_tm_free(tm);
  /* What the last buffer holds is written only now: a failure here is an error too. */
  if ((fflush(stdout) != 0 || ferror(stdout)) && rc == CLI_OK)
    rc = out_error(errno);
  return rc;
}
