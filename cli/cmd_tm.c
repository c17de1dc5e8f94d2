/*
** cli/cmd_tm.c: `ieum tm`: import TMX into a TM, export a TM as TMX, and
** show a TM's statistics.
**
** Import streams the TMX file into the TM inside one transaction: a file
** that fails half-way leaves the TM as it was.  A file already imported (same
** content hash) is skipped; a unit whose texts and languages are already in
** the TM is merged (not added again) unless --keep-duplicates; each unit's
** props, notes and <tu> attributes are kept.  A <tu> without both languages
** or with two empty texts is skipped and counted in the summary line;
** --verbose also prints FILE:LINE of each.  Export streams units out of
** the TM, in the order they were added, in any format of include/ieum/export.h
** into a temporary file renamed into place at the end.  `ieum tm` alone
** lists every tm subcommand (cmd_tmq.c and cmd_learn.c run some of them);
** import, export and stats each have their own help page.
*/
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Every `ieum tm` subcommand, for `ieum tm` and `ieum tm --help`; search to delete are cmd_tmq.c's, learn is
   cmd_learn.c's, report cmd_review.c's. */
static const struct {
  const char *name, *summary;
} tm_subs[] = {
  { "import", "add the units of TMX files to a TM" },
  { "export", "write a TM's units as TMX, TSV, JSONL, XLIFF or Moses files" },
  { "stats", "count a TM's documents, units, language pairs, bead types and scores" },
  { "search", "fuzzy matches of a sentence among the TM's sources, best first" },
  { "concordance", "units whose source or target holds all the given words" },
  { "merge", "add the documents and units of other TMs that the TM lacks" },
  { "dedupe", "remove repeated units (keep all targets, the newest or the best)" },
  { "delete", "remove a document and its units from a TM" },
  { "learn", "learn word pairs from a TM's confident units for later alignments" },
  { "report", "write a document pair's review report: one self-contained HTML file" },
  { "copy", "copy a TM's documents into another TM (SQLite and PostgreSQL, either way)" },
};
#define N_SUBS (sizeof tm_subs / sizeof tm_subs[0])

static void usage(FILE *f)
{
  fputs("Usage: ieum tm SUBCOMMAND --tm DB [OPTIONS] [ARGS]\n"
        "\n"
        "Work on a translation memory (TM), an SQLite file or a postgresql:// URI.\n"
        "\n"
        "Subcommands:\n",
        f);
  for (size_t i = 0; i < N_SUBS; i++)
    fprintf(f, "  %-12s %s\n", tm_subs[i].name, tm_subs[i].summary);
  fputs("\n'ieum tm SUBCOMMAND --help' describes a subcommand.\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

static void help_import(FILE *f)
{
  fputs("Usage: ieum tm import --tm DB [OPTIONS] FILE.tmx...\n"
        "\n"
        "Add the units of TMX files to the TM DB (created if missing), each file in one\n"
        "transaction: a file that fails half-way leaves the TM as it was.  A file already\n"
        "imported (same content) is skipped; a unit whose texts and languages are in the TM\n"
        "already (at the same x-position, for a unit that has one: an ieum export imported\n"
        "back adds nothing) is merged into it.  Props, notes and <tu> attributes are kept,\n"
        "so an ieum export writes them back.  A <tu> without both languages or with two\n"
        "empty texts is skipped and counted; a start tag with over 256 attributes or over 1\n"
        "MiB fails the file.  Language tags are stored in the TM's one form (ko-KR, or ko\n"
        "with a TM made with --plain-tags).  What was imported is reported on standard\n"
        "error.\n"
        "\n"
        "Options:\n"
        "      --tm DB            the translation memory (an SQLite file or a postgresql://\n"
        "                         URI)\n"
        "      --src-lang L       source language to pick, BCP 47 (default: the file's srclang)\n"
        "      --tgt-lang L       target language to pick (default: every other language of\n"
        "                         a unit, each pair counted in the summary)\n"
        "      --tags M           inline codes (bpt, ept, ph, it, ut; hi and sub keep their\n"
        "                         text): drop (default) removes them with their content,\n"
        "                         leaving one space where a code stood between words and\n"
        "                         none at either end; keep stores the markup too, as far\n"
        "                         as the TMX 1.4 DTD allows it (other elements and\n"
        "                         attributes are dropped, their text kept); text keeps\n"
        "                         the codes' content as text, as translate-toolkit does\n"
        "      --keep-duplicates  add units already in the TM again\n"
        "      --user NAME        who imports the units, kept in the TM (default: $IEUM_USER,\n"
        "                         else the login name); exports write the file's own\n"
        "                         creationid and changeid, not this name\n"
        "      --plain-tags       a new TM stores language tags without region codes (ko, en);\n"
        "                         by default a TM stores them with (ko-KR, en-US), and a TM\n"
        "                         holding units keeps its form\n"
        "  -v, --verbose          print FILE:LINE of each skipped <tu>\n"
        "  -h, --help             show this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime error (a file could not be imported), 2 usage error.\n",
        f);
}

static void help_export(FILE *f)
{
  fputs("Usage: ieum tm export --tm DB [-f tmx|tsv|jsonl|xliff] [--roles LIST] [-o FILE|DIR/]\n"
        "       ieum tm export --tm DB [--roles LIST] --moses PREFIX\n"
        "\n"
        "Write every unit of the TM DB, in the order added, to FILE (standard output without\n"
        "-o or with -o -); a file is written whole or not at all.\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory, an SQLite file or a postgresql:// URI\n"
        "                       (must exist)\n"
        "  -f, --format FMT     tmx (default, TMX 1.4b), tsv (source TAB target TAB score),\n"
        "                       jsonl, xliff (XLIFF 2.0); tsv and xliff hold one language\n"
        "                       pair: units of others are skipped\n"
        "      --moses PREFIX   PREFIX.<src-lang> and PREFIX.<tgt-lang>, one text per line,\n"
        "                       line n of one translating line n of the other\n"
        "      --src-lang L     the language pair to write, BCP 47 (default: the TM's only\n"
        "      --tgt-lang L     one; a TM of several pairs needs one of them); \"ko\" is every\n"
        "                       ko-*, \"ko-KR\" is ko-KR and ko (no region = the likely one)\n"
        "      --plain-tags     tmx: write ko, en instead of region codes ko-KR, en-US\n"
        "      --full-paths     write document names (x-document) as stored; by default\n"
        "                       only the pages' URLs (HTML pairs) or the files' base names\n"
        "      --roles LIST     the units to write by role, comma-separated: body, headline,\n"
        "                       byline, caption, credit, dateline, related, furniture, or all\n"
        "                       (default: body,headline; a unit of no known role is body);\n"
        "                       the units left out are counted on standard error\n"
        "      --reviewed-only  only the units a reviewer confirmed or edited (ieum review)\n"
        "      --min-score S    only units scoring at least S, in [0,1], or reviewed\n"
        "      --threshold S    xliff: units not reviewed scoring under S get\n"
        "                       subState=\"ieum:needs-review-translation\" (default 0.5);\n"
        "                       reviewed units get state=\"final\"\n"
        "  -o, --output FILE    write to FILE; a folder (DIR/, made when missing) gets one\n"
        "                       file per language pair of the TM (every one), DIR/SRC_TGT.EXT\n"
        "  -h, --help           show this help\n"
        "\n"
        "Reviewed units carry the props x-review-status, x-reviewer and x-reviewed.\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

static void help_stats(FILE *f)
{
  fputs("Usage: ieum tm stats --tm DB\n"
        "\n"
        "Print, one TAB-separated line each, the TM DB's path, its numbers of documents and\n"
        "units, its language pairs with their units, its bead types with their units and\n"
        "the distribution of alignment scores in tenths (\"none\": units without a score).\n"
        "\n"
        "Options:\n"
        "      --tm DB          the translation memory, an SQLite file or a postgresql:// URI\n"
        "                       (must exist)\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n",
        f);
}

typedef struct {
  const char *sub;
  const char *tm_path, *out_path, *src_lang, *tgt_lang;
  const char *moses;  /* --moses PREFIX */
  const char *user;   /* --user NAME (import) */
  int format;         /* an ieum_export_format */
  int has_format;     /* -f given */
  int tags;           /* --tags: an ieum_tmx_tags */
  int has_tags;
  int keep_dups;      /* --keep-duplicates */
  int verbose;        /* --verbose */
  int plain_tags;     /* --plain-tags */
  int full_paths;     /* --full-paths */
  unsigned roles;     /* --roles: ieum_export_options.roles */
  int reviewed_only;  /* --reviewed-only */
  double min_score;   /* --min-score; 0 = none */
  double threshold;   /* --threshold (XLIFF states); < 0 = not given */
  const char *roles_arg; /* --roles as given, NULL = the default */
  int first_file;
  char src_buf[IEUM_LANG_MAX], tgt_buf[IEUM_LANG_MAX];  /* checked --src-lang, --tgt-lang */
} tm_args;

static int parse_args(tm_args *a, int argc, char **argv)
{
  enum { O_TM = 256, O_SRCL, O_TGTL, O_MOSES, O_TAGS, O_KEEPDUP, O_ROLES, O_PLAIN, O_FULL, O_REVIEWED, O_MINSCORE,
         O_THRESH, O_USER };
  static const struct option longopts[] = {
    { "tm", required_argument, NULL, O_TM },         { "output", required_argument, NULL, 'o' },
    { "src-lang", required_argument, NULL, O_SRCL }, { "tgt-lang", required_argument, NULL, O_TGTL },
    { "format", required_argument, NULL, 'f' },      { "moses", required_argument, NULL, O_MOSES },
    { "tags", required_argument, NULL, O_TAGS },     { "keep-duplicates", no_argument, NULL, O_KEEPDUP },
    { "verbose", no_argument, NULL, 'v' },           { "roles", required_argument, NULL, O_ROLES },
    { "plain-tags", no_argument, NULL, O_PLAIN },    { "help", no_argument, NULL, 'h' },
    { "full-paths", no_argument, NULL, O_FULL },
    { "reviewed-only", no_argument, NULL, O_REVIEWED }, { "min-score", required_argument, NULL, O_MINSCORE },
    { "threshold", required_argument, NULL, O_THRESH }, { "user", required_argument, NULL, O_USER },
    { NULL, 0, NULL, 0 },
  };
  int c;
  memset(a, 0, sizeof *a);
  a->threshold = -1;
  a->sub = argv[1];
  /* "tm import", "tm export" or "tm stats": the name usage errors point at */
  const char *cmd = !strcmp(a->sub, "import") ? "tm import" : !strcmp(a->sub, "export") ? "tm export" : "tm stats";
  void (*sub_help)(FILE *) = !strcmp(a->sub, "import") ? help_import : !strcmp(a->sub, "export") ? help_export
                                                                                                 : help_stats;
  argc--;
  argv++;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:f:hv", longopts, NULL)) != -1) {
    switch (c) {
    case O_TM: a->tm_path = optarg; break;
    case 'f':
      if (ieum_export_format_from_name(&a->format, optarg) != 0 || a->format == IEUM_EXPORT_MOSES)
        return cli_usage_error(cmd, "unknown format '%s' (tmx, tsv, jsonl or xliff; --moses PREFIX for moses)",
                               optarg);
      a->has_format = 1;
      break;
    case O_MOSES: a->moses = optarg; break;
    case O_TAGS:
      if (strcmp(optarg, "keep") && strcmp(optarg, "drop") && strcmp(optarg, "text"))
        return cli_usage_error(cmd, "--tags takes keep, drop or text, not '%s'", optarg);
      a->tags = !strcmp(optarg, "keep") ? IEUM_TMX_TAGS_KEEP : !strcmp(optarg, "text") ? IEUM_TMX_TAGS_TEXT
                                                                                        : IEUM_TMX_TAGS_DROP;
      a->has_tags = 1;
      break;
    case O_KEEPDUP: a->keep_dups = 1; break;
    case O_USER: a->user = optarg; break;
    case 'v': a->verbose = 1; break;
    case O_PLAIN: a->plain_tags = 1; break;
    case O_FULL: a->full_paths = 1; break;
    case O_REVIEWED: a->reviewed_only = 1; break;
    case O_MINSCORE:
    case O_THRESH:
      if (cli_parse_double(optarg, 0, 1, c == O_MINSCORE ? &a->min_score : &a->threshold))
        return cli_usage_error(cmd, "%s wants a number from 0 to 1, not '%s'",
                               c == O_MINSCORE ? "--min-score" : "--threshold", optarg);
      break;
    case O_ROLES:
      if (ieum_export_roles_parse(&a->roles, optarg) != 0)
        return cli_usage_error(cmd, "--roles: %s", ieum_error_last()->message);
      a->roles_arg = optarg;
      break;
    case 'o': a->out_path = optarg; break;
    case O_SRCL:
    case O_TGTL: {
      /* checked, but matched as given: a TMX file or an older TM may spell it otherwise */
      const char *canonical;
      if (cli_lang_arg(&canonical, c == O_SRCL ? a->src_buf : a->tgt_buf, c == O_SRCL ? "--src-lang" : "--tgt-lang",
                       optarg) != CLI_OK)
        return CLI_USAGE;
      *(c == O_SRCL ? &a->src_lang : &a->tgt_lang) = optarg;
      break;
    }
    case 'h': sub_help(stdout); return -1;
    case ':': return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!a->tm_path)
    return cli_usage_error(cmd, "%s needs --tm DB", a->sub);
  if (!strcmp(a->sub, "import")) {
    if (optind >= argc)
      return cli_usage_error(cmd, "import needs at least one TMX file");
  } else if (optind < argc) {
    return cli_usage_error(cmd, "%s takes no file arguments (got '%s')", a->sub, argv[optind]);
  }
  if (strcmp(a->sub, "export") && (a->out_path || a->has_format || a->moses || a->roles_arg || a->full_paths ||
                                   a->reviewed_only || a->min_score > 0 || a->threshold >= 0))
    return cli_usage_error(cmd, "-o, -f, --roles, --moses, --full-paths, --reviewed-only, --min-score "
                                "and --threshold go with export only");
  if (!strcmp(a->sub, "stats") && a->plain_tags)
    return cli_usage_error(cmd, "--plain-tags goes with import and export only");
  if (!a->roles_arg)
    a->roles = IEUM_EXPORT_ROLES_DEFAULT;
  if (strcmp(a->sub, "import") && (a->has_tags || a->keep_dups || a->user))
    return cli_usage_error(cmd, "--tags, --keep-duplicates and --user go with import only");
  if (strcmp(a->sub, "import") && a->verbose)
    return cli_usage_error(cmd, "--verbose goes with import only");
  if (a->moses && (a->has_format || a->out_path))
    return cli_usage_error(cmd, "--moses PREFIX names its own files: no -f or -o with it");
  if (a->moses)
    a->format = IEUM_EXPORT_MOSES;
  a->first_file = optind + 1; /* in the caller's argv, which still has the subcommand */
  return CLI_OK;
}

#define IMPORT_PAIRS 32 /* language pairs of one file told apart in the summary; more are "other" */

typedef struct {
  ieum_tm_importer *im;
  int64_t doc_id;
  size_t added, merged;
  size_t n_pairs;
  struct {
    char src[IEUM_LANG_MAX], tgt[IEUM_LANG_MAX];
    size_t added;
  } pairs[IMPORT_PAIRS]; /* units added by language pair, in the order met */
  size_t other;          /* units added of pairs past IMPORT_PAIRS */
  char last_src[IEUM_LANG_MAX], last_tgt[IEUM_LANG_MAX]; /* the tags of the last unit counted, as given */
  size_t last;           /* its pair, SIZE_MAX = none yet */
} import_sink;

/* Counts an added unit under its language pair, ko and ko-KR as one (ieum_lang_export_tag), as export sees it. */
static void count_pair(import_sink *s, const ieum_unit *u)
{
  char sl[IEUM_LANG_MAX], tl[IEUM_LANG_MAX];
  const char *us = u->src_lang ? u->src_lang : "", *ut = u->tgt_lang ? u->tgt_lang : "";
  /* Units come in runs of one pair: ICU only when the tags change. */
  if (s->last != SIZE_MAX && !strcmp(us, s->last_src) && !strcmp(ut, s->last_tgt)) {
    s->pairs[s->last].added++;
    return;
  }
  s->last = SIZE_MAX;
  if (ieum_lang_export_tag(sl, sizeof sl, u->src_lang ? u->src_lang : "", 0) ||
      ieum_lang_export_tag(tl, sizeof tl, u->tgt_lang ? u->tgt_lang : "", 0)) {
    s->other++;
    return;
  }
  size_t k = 0;
  while (k < s->n_pairs && (strcmp(s->pairs[k].src, sl) || strcmp(s->pairs[k].tgt, tl)))
    k++;
  if (k == s->n_pairs) {
    if (k == IMPORT_PAIRS) {
      s->other++;
      return;
    }
    strcpy(s->pairs[k].src, sl);
    strcpy(s->pairs[k].tgt, tl);
    s->pairs[k].added = 0;
    s->n_pairs++;
  }
  s->pairs[k].added++;
  if (strlen(us) < IEUM_LANG_MAX && strlen(ut) < IEUM_LANG_MAX) {
    strcpy(s->last_src, us);
    strcpy(s->last_tgt, ut);
    s->last = k;
  }
}

static int import_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  import_sink *s = payload;
  int added = 0;
  int rc = ieum_tm_importer_add(&added, s->im, u, props, n);
  if (rc == 0) {
    s->added += added != 0;
    s->merged += added == 0;
    if (added)
      count_pair(s, u);
  }
  return rc;
}

/* --verbose: where each skipped <tu> is. */
static void report_skip(const char *path, long line, int reason, void *payload)
{
  (void)payload;
  cli_error("%s:%ld: skipped a <tu> %s", path, line,
            reason == IEUM_TMX_SKIP_EMPTY ? "whose texts are empty" : "without both languages");
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
  import_sink sink;
  memset(&sink, 0, sizeof sink);
  sink.last = SIZE_MAX;
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
  ro.keep_tags = a->tags;
  ro.all_pairs = 1; /* a <tu> of several languages: every pair (unless --tgt-lang names one) */
  ro.threaded = 1;  /* parsing overlaps with the TM's writes */
  if (a->verbose)
    ro.on_skip = report_skip;
  ieum_tmx_info info;
  memset(&info, 0, sizeof info);
  if (rc == 0)
    rc = ieum_tm_importer_new(&sink.im, tm, sink.doc_id, !a->keep_dups);
  if (rc == 0)
    rc = ieum_tmx_read_props(&info, path, &ro, import_unit, &sink);
  ieum_tm_importer_free(sink.im);
  if (rc == 0 && info.units == 0 && info.empty && !info.skipped) {
    cli_error("%s: no unit to import: the texts of all %zu <tu>s are empty", path, info.empty);
    ieum_tm_rollback(tm);
    return CLI_FAIL;
  }
  if (rc == 0 && info.units == 0) {
    cli_error("%s: no unit has both a source and a target language%s", path,
              info.skipped ? "; check --src-lang and --tgt-lang" : "");
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
  if (sink.n_pairs <= 1) {
    /* One pair: as the file spells it. */
    fprintf(stderr, "ieum: %s: imported %zu units (%s -> %s)", path, sink.added, info.src_lang, info.tgt_lang);
  } else {
    fprintf(stderr, "ieum: %s: imported %zu units (", path, sink.added);
    for (size_t k = 0; k < sink.n_pairs; k++)
      fprintf(stderr, "%s%s -> %s: %zu", k ? ", " : "", sink.pairs[k].src, sink.pairs[k].tgt, sink.pairs[k].added);
    if (sink.other)
      fprintf(stderr, ", other pairs: %zu", sink.other);
    fputc(')', stderr);
  }
  if (sink.merged)
    fprintf(stderr, ", merged %zu already in the TM", sink.merged);
  if (info.empty && info.skipped)
    fprintf(stderr, ", skipped %zu empty and %zu without both languages", info.empty, info.skipped);
  else if (info.empty)
    fprintf(stderr, ", skipped %zu empty", info.empty);
  else if (info.skipped)
    fprintf(stderr, ", skipped %zu without both languages", info.skipped);
  fputc('\n', stderr);
  return CLI_OK;
}

static int export_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  return ieum_export_add(payload, u, props, n);
}

/* The TM's language pairs, ko and ko-KR as one (ieum_lang_export_tag), every one of them. */
typedef struct {
  size_t n, cap;
  struct tm_pair {
    char src[IEUM_LANG_MAX], tgt[IEUM_LANG_MAX];
    long long units;
  } *v;
} tm_pair_list;

static int take_pair(const char *src, const char *tgt, int64_t units, void *payload)
{
  tm_pair_list *l = payload;
  char s[IEUM_LANG_MAX], t[IEUM_LANG_MAX];
  if (ieum_lang_export_tag(s, sizeof s, src, 0) || ieum_lang_export_tag(t, sizeof t, tgt, 0))
    return IEUM_ELIMIT;
  size_t k = 0;
  while (k < l->n && (strcmp(l->v[k].src, s) || strcmp(l->v[k].tgt, t)))
    k++;
  if (k == l->n) {
    if (l->n == l->cap) {
      size_t cap = l->cap ? l->cap * 2 : 16;
      void *p = realloc(l->v, cap * sizeof *l->v);
      if (!p)
        return IEUM_ENOMEM;
      l->v = p;
      l->cap = cap;
    }
    memcpy(l->v[k].src, s, sizeof s);
    memcpy(l->v[k].tgt, t, sizeof t);
    l->v[k].units = 0;
    l->n++;
  }
  l->v[k].units += units;
  return 0;
}

/*
** Fills `l` with the TM's pairs, most units first; "ko-KR -> en-US: 3
** units, ..." into list[] (cut with ", ..." when it is full), and `chosen`,
** the most frequent pair matching the --src-lang/--tgt-lang given
** (SIZE_MAX when none does).
*/
static int tm_pairs(tm_pair_list *l, size_t *chosen, char *list, size_t size, ieum_tm *tm, const tm_args *a)
{
  *chosen = SIZE_MAX;
  int rc = ieum_tm_foreach_lang_pair(tm, take_pair, l);
  if (rc == IEUM_ELIMIT || rc == IEUM_ENOMEM) {
    cli_error("%s: %s", a->tm_path, rc == IEUM_ENOMEM ? "out of memory" : "a language tag too long to be one");
    return CLI_FAIL;
  }
  if (rc)
    return cli_lib_error(rc);
  /* Merged spellings may reorder the pairs: most units first, stable otherwise. */
  for (size_t i = 1; i < l->n; i++)
    for (size_t j = i; j > 0 && l->v[j].units > l->v[j - 1].units; j--) {
      struct tm_pair tmp = l->v[j];
      l->v[j] = l->v[j - 1];
      l->v[j - 1] = tmp;
    }
  size_t used = 0, room = size - 8; /* 8: room kept for ", ..." */
  int cut = 0;
  list[0] = '\0';
  for (size_t k = 0; k < l->n; k++) {
    if (!cut) {
      int n = snprintf(list + used, room - used, "%s%s -> %s: %lld unit%s", k ? ", " : "", l->v[k].src, l->v[k].tgt,
                       l->v[k].units, l->v[k].units == 1 ? "" : "s");
      if (n < 0 || (size_t)n >= room - used) {
        snprintf(list + used, size - used, ", ...");
        cut = 1;
      } else {
        used += (size_t)n;
      }
    }
    int match = (!a->src_lang || ieum_lang_matches(a->src_lang, l->v[k].src)) &&
                (!a->tgt_lang || ieum_lang_matches(a->tgt_lang, l->v[k].tgt));
    if (match && (*chosen == SIZE_MAX || l->v[k].units > l->v[*chosen].units))
      *chosen = k;
  }
  return CLI_OK;
}

/* Opens the export of one pair (src, tgt) to `path` with the options of `a`. */
static int export_open(ieum_export **e, const tm_args *a, const char *path, const char *src, const char *tgt)
{
  ieum_export_options eo = IEUM_EXPORT_OPTIONS_INIT;
  eo.format = a->format;
  eo.roles = a->roles;
  eo.plain_tags = a->plain_tags;
  eo.full_paths = a->full_paths;
  eo.reviewed_only = a->reviewed_only;
  eo.min_score = a->min_score;
  eo.doubt_threshold = a->threshold >= 0 ? a->threshold : IEUM_EXPORT_DOUBT_THRESHOLD;
  eo.src_lang = src;
  eo.tgt_lang = tgt;
  int rc = ieum_export_open(e, path, &eo);
  return rc ? cli_lib_error(rc) : CLI_OK;
}

/* What an export left out by role and by review, on standard error. */
static void report_left_out(const tm_args *a, const char *path, size_t left_out, size_t unreviewed)
{
  if (left_out)
    fprintf(stderr, "ieum: %s: left out %zu units of roles other than %s (--roles all keeps every unit)\n", path,
            left_out, a->roles_arg ? a->roles_arg : "body,headline");
  if (unreviewed)
    fprintf(stderr, "ieum: %s: left out %zu units %s\n", path, unreviewed,
            a->reviewed_only ? "not reviewed (--reviewed-only)" : "not reviewed and scoring under --min-score");
}

/*
** Writes the units of one language pair (src, tgt: the TM's spelling of it)
** to `path`; *written receives their number.
*/
static int export_pair(size_t *written, ieum_tm *tm, const tm_args *a, const char *path, const char *src,
                       const char *tgt)
{
  ieum_export *e = NULL;
  int rc = export_open(&e, a, path, src, tgt);
  if (rc)
    return rc;
  if ((rc = ieum_tm_foreach_with_props(tm, export_unit, e)) != 0) {
    cli_lib_error(rc);
    ieum_export_free(e);
    return CLI_FAIL;
  }
  size_t skipped = ieum_export_skipped(e), left_out = ieum_export_role_skipped(e);
  size_t unreviewed = ieum_export_review_skipped(e);
  *written = ieum_export_count(e);
  if ((rc = ieum_export_close(e)) != 0)
    return cli_lib_error(rc);
  report_left_out(a, path, left_out, unreviewed);
  if (skipped)
    fprintf(stderr, "ieum: %s: skipped %zu units of language pairs other than %s -> %s\n", path, skipped,
            src ? src : "ko", tgt ? tgt : "en");
  return CLI_OK;
}

/* -o names a folder: "DIR/" (a folder named without the slash is refused, as for every output). */
static int is_folder(const char *path)
{
  size_t n = strlen(path);
  return n && path[n - 1] == '/';
}

static int export_pairs(ieum_tm *tm, const tm_args *a, const tm_pair_list *l, size_t chosen, const char *list);

static int export_tm(ieum_tm *tm, const tm_args *a)
{
  tm_pair_list l = { 0, 0, NULL };
  char list[2048];
  size_t chosen = 0;
  int rc = tm_pairs(&l, &chosen, list, sizeof list, tm, a);
  if (rc == CLI_OK)
    rc = export_pairs(tm, a, &l, chosen, list);
  free(l.v);
  return rc;
}

/* Writers open at once in a folder export: more pairs take one more pass over the TM each this many. */
#define FOLDER_WRITERS 32

/* A folder export's writers, one per pair, fed in one pass over the TM. */
typedef struct {
  ieum_export *e[FOLDER_WRITERS];
  size_t n;
} folder_sink;

/*
** Each unit goes to the first writer that takes it: its own filter (the
** pair's languages) decides, exactly as when each pair read the TM alone;
** a unit it left out for its role or review is handled too.
*/
static int folder_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  folder_sink *f = payload;
  for (size_t k = 0; k < f->n; k++) {
    size_t before = ieum_export_skipped(f->e[k]);
    int rc = ieum_export_add(f->e[k], u, props, n);
    if (rc || ieum_export_skipped(f->e[k]) == before)
      return rc;
  }
  return IEUM_OK; /* of a pair not chosen (--src-lang, --tgt-lang) */
}

/*
** -o DIR/: one file per pair of `l`, each of them matching --src-lang and
** --tgt-lang when given, named SRC_TGT.EXT; up to FOLDER_WRITERS files are
** written in one pass over the TM (the TM was read once per pair before).
*/
static int export_folder(ieum_tm *tm, const tm_args *a, const tm_pair_list *l, const char *list)
{
  static const char *const ext[] = { "tmx", "tsv", "jsonl", "xlf" };
  size_t n = strlen(a->out_path), written = 0, left_out = 0, unreviewed = 0, passes = 0;
  const char *sep = n && a->out_path[n - 1] == '/' ? "" : "/";
  char paths[FOLDER_WRITERS][4096];
  size_t pair_of[FOLDER_WRITERS];
  folder_sink f;
  int rc = CLI_OK;
  memset(&f, 0, sizeof f);
  for (size_t k = 0; k <= l->n && rc == CLI_OK; k++) {
    if (k < l->n && ((a->src_lang && !ieum_lang_matches(a->src_lang, l->v[k].src)) ||
                     (a->tgt_lang && !ieum_lang_matches(a->tgt_lang, l->v[k].tgt))))
      continue;
    if (k < l->n) {
      char *path = paths[f.n];
      if (snprintf(path, sizeof paths[0], "%s%s%s_%s.%s", a->out_path, sep, l->v[k].src, l->v[k].tgt,
                   ext[a->format < 4 ? a->format : 0]) >= (int)sizeof paths[0]) {
        cli_error("%s: folder name too long", a->out_path);
        rc = CLI_FAIL;
        break;
      }
      struct stat dir_st; /* the folder is made for the first file, so a refused export leaves none */
      if (!written && !f.n && stat(a->out_path, &dir_st) != 0 && mkdir(a->out_path, 0777) != 0) {
        cli_error("%s: cannot create the folder: %s", a->out_path, strerror(errno));
        rc = CLI_FAIL;
        break;
      }
      if ((rc = export_open(&f.e[f.n], a, path, l->v[k].src, l->v[k].tgt)) != CLI_OK)
        break;
      pair_of[f.n++] = k;
      if (f.n < FOLDER_WRITERS)
        continue;
    }
    if (!f.n)
      continue;
    /* A full set of writers, or the last pair: one pass over the TM, then each file closed in pair order. */
    int lrc = ieum_tm_foreach_with_props(tm, folder_unit, &f);
    if (lrc) {
      rc = cli_lib_error(lrc);
      break;
    }
    for (size_t w = 0; w < f.n; w++) {
      size_t units = ieum_export_count(f.e[w]);
      /* Every pass sees every unit, and roles and reviews are checked before languages: the first
         pass counts all of them. */
      if (!passes) {
        left_out += ieum_export_role_skipped(f.e[w]);
        unreviewed += ieum_export_review_skipped(f.e[w]);
      }
      lrc = ieum_export_close(f.e[w]);
      f.e[w] = NULL;
      if (lrc) {
        rc = cli_lib_error(lrc);
        break;
      }
      fprintf(stderr, "ieum: %s: wrote %zu units (%s -> %s)\n", paths[w], units, l->v[pair_of[w]].src,
              l->v[pair_of[w]].tgt);
      written++;
    }
    for (size_t w = 0; w < f.n; w++)
      ieum_export_free(f.e[w]); /* those a failure left open: their files are not written */
    f.n = 0;
    passes++;
  }
  for (size_t w = 0; w < f.n; w++)
    ieum_export_free(f.e[w]);
  if (rc != CLI_OK)
    return rc;
  if (!written && !l->n) {
    cli_error("%s: the TM holds no unit: nothing to write into %s", a->tm_path, a->out_path);
    return CLI_FAIL;
  }
  if (!written) {
    cli_error("%s: no language pair of the TM matches --src-lang and --tgt-lang (%s)", a->tm_path, list);
    return CLI_FAIL;
  }
  report_left_out(a, a->out_path, left_out, unreviewed);
  return CLI_OK;
}

/* export_tm() with the TM's pairs l, the one chosen and their list. */
static int export_pairs(ieum_tm *tm, const tm_args *a, const tm_pair_list *l, size_t chosen, const char *list)
{
  size_t n_pairs = l->n;
  if (a->out_path && strcmp(a->out_path, "-") && is_folder(a->out_path))
    return export_folder(tm, a, l, list);
  if (n_pairs > 1 && !a->src_lang && !a->tgt_lang && (a->moses || a->format != IEUM_EXPORT_JSONL)) {
    cli_error("%s: the TM holds %zu language pairs (%s): choose one with --src-lang and --tgt-lang,"
              " or give -o DIR/ for one file per pair",
              a->tm_path, n_pairs, list);
    return CLI_FAIL;
  }
  /* The pair written is one of the TM's, so "--tgt-lang fr" writes fr-FR or fr-CA units, not both under one tag. */
  const char *src = chosen != SIZE_MAX ? l->v[chosen].src : a->src_lang;
  const char *tgt = chosen != SIZE_MAX ? l->v[chosen].tgt : a->tgt_lang;
  const char *path = a->moses ? a->moses : a->out_path ? a->out_path : "-";
  size_t units = 0;
  return export_pair(&units, tm, a, path, src, tgt);
}

static int print_stats(ieum_tm *tm, const tm_args *a)
{
  ieum_tm_stats st;
  static const char *const bead_names[8] = { "1-1", "1-0", "0-1", "2-1", "1-2", "2-2", "3-1", "1-3" };
  int rc = ieum_tm_stats_get(&st, tm);
  if (rc)
    return cli_lib_error(rc);
  printf("tm\t%s\n", a->tm_path);
  printf("documents\t%lld\n", (long long)st.documents);
  printf("units\t%lld\n", (long long)st.units);
  for (size_t i = 0; i < st.n_langs; i++)
    printf("languages\t%s\t%s\t%lld\n", st.langs[i].src, st.langs[i].tgt, (long long)st.langs[i].units);
  for (int i = 0; i < 8; i++)
    if (i < 6 ? st.beads[i] : st.beads3[i - 6])
      printf("bead\t%s\t%lld\n", bead_names[i], (long long)(i < 6 ? st.beads[i] : st.beads3[i - 6]));
  for (int i = 0; i < 10; i++)
    printf("score\t%.1f-%.1f\t%lld\n", i / 10.0, (i + 1) / 10.0, (long long)st.score_hist[i]);
  printf("score\tnone\t%lld\n", (long long)st.unscored);
  return CLI_OK;
}

int cmd_tm(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return CLI_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return cli_stdout_done(CLI_OK);
  }
  size_t k = 0;
  while (k < N_SUBS && strcmp(argv[1], tm_subs[k].name))
    k++;
  if (k == N_SUBS && !cmd_tmq_owns(argv[1])) {
    char names[256] = "";
    for (size_t i = 0; i < N_SUBS; i++)
      snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", tm_subs[i].name);
    return cli_usage_error("tm", "'%s' is not a subcommand of tm (%s)", argv[1], names);
  }
  if (cmd_tmq_owns(argv[1]))
    return cmd_tmq(argc, argv);
  if (argc > 1 && !strcmp(argv[1], "learn"))
    return cmd_tm_learn(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "report"))
    return cmd_tm_report(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "copy"))
    return cmd_tm_copy(argc - 1, argv + 1); /* cmd_tmcopy.c */
  tm_args a;
  ieum_tm *tm = NULL;
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? cli_stdout_done(CLI_OK) : rc;
  int import = !strcmp(a.sub, "import");
  int lrc = ieum_tm_open(&tm, a.tm_path, import ? IEUM_TM_CREATE : IEUM_TM_READ);
  if (lrc)
    return cli_lib_error(lrc);
  if (import && (lrc = ieum_tm_set_user(tm, cli_user(a.user))) != 0) {
    ieum_tm_free(tm);
    return cli_lib_error(lrc);
  }
  if (import && a.plain_tags && cli_tm_plain_tags(tm, a.tm_path) != CLI_OK) {
    ieum_tm_free(tm);
    return CLI_FAIL;
  }
  if (import) {
    rc = CLI_OK;
    for (int i = a.first_file; i < argc; i++)
      if (import_file(tm, &a, argv[i]) != CLI_OK)
        rc = CLI_FAIL;
  } else if (!strcmp(a.sub, "export")) {
    rc = export_tm(tm, &a);
  } else {
    rc = cli_stdout_done(print_stats(tm, &a));
  }
  ieum_tm_free(tm);
  return rc;
}
