/*
** cli/cmd_align.c: `ieum align`: align a document with its translation.
**
** Parses the options into an ieum_pipeline_options and lets the library
** do the work (include/ieum/pipeline.h: loading, HTML articles,
** segmentation, lexicon, the TM's length ratio, alignment, the pair check);
** then, each step atomic, adds the pair to a TM in one transaction
** (ieum_pipeline_store_path(): units, and the pages' headline, byline,
** date and URL as document metadata), writes the sentence pairs as TMX,
** Moses or XLIFF, and prints every bead, 1-0 and 0-1 included, in the
** chosen format.  Units stored in the TM and TMX are the beads that have
** both sides: a TM unit needs a source and a target.
** Not here: any of the pipeline's steps (pipeline/pair.c).
*/
#include <getopt.h>
#include <string.h>

#include "cli.h"

enum { FMT_TSV, FMT_BEADS, FMT_JSONL, FMT_XLIFF };

typedef struct {
  const char *src_path, *tgt_path;
  const char *src_lang, *tgt_lang;
  const char *out_path, *tm_path, *tmx_path, *encoding;
  const char *user; /* --user: who made the units stored in the TM */
  int plain_tags;   /* --plain-tags: a new TM stores ko, en */
  const char *src_encoding, *tgt_encoding; /* --src-encoding, --tgt-encoding; else --encoding */
  const char *srx_path; /* --srx: segment both sides with these SRX rules */
  const char *moses;    /* --moses PREFIX: also write PREFIX.<src-lang> and PREFIX.<tgt-lang> */
  const char *report;   /* --report FILE: also write the review report (HTML) */
  int format;
  int swap, force;  /* --swap, --force */
  int from;         /* CLI_FROM_*; --presegmented is --from presegmented */
  int paragraphs;
  double ratio;
  int ratio_tm;             /* --ratio tm */
  double min_score;
  const char *dicts[CLI_MAX_DICTS]; /* --dict FILE, in order */
  int n_dicts;
  char src_buf[IEUM_LANG_MAX], tgt_buf[IEUM_LANG_MAX];  /* the canonical --src-lang, --tgt-lang */
} align_args;

static void help(FILE *f)
{
  fputs("Usage: ieum align [OPTIONS] SRC TGT\n"
        "\n"
        "Segment SRC and its translation TGT into sentences, align them (beads 1-1, 1-2, 2-1,\n"
        "2-2, 1-3, 3-1, 1-0, 0-1) and print one bead per line with its confidence in [0,1].\n"
        "\n"
        "Options:\n"
        "  -f, --format FMT     tsv (default): source TAB target TAB score; the sentences of a\n"
        "                       multi-sentence side joined by a space, a missing side empty\n"
        "                       beads: [i,j]:[k] with 0-based sentence indices\n"
        "                       jsonl: one JSON object per bead\n"
        "                       xliff: the sentence pairs as XLIFF 2.0, for review\n"
        "      --from KIND      what SRC and TGT are: auto (default: an HTML page by its\n"
        "                       content, else text), text, html (the article of a saved\n"
        "                       news page; its headline, byline, date and URL go to the TM),\n"
        "                       presegmented (every non-blank line is one sentence)\n"
        "      --presegmented   same as --from presegmented\n"
        "      --paragraphs M   auto (default): hard-wrapped text (a PDF's, an e-mail's) is\n"
        "                       told from its line widths and line ends, and its line breaks\n"
        "                       inside sentences are joined; other text is read as 'line';\n"
        "                       line: every line break ends a paragraph;\n"
        "                       blank: only blank lines do\n"
        "      --swap           the files are given target first: TGT SRC\n"
        "      --force          align and store a pair that does not look like a translation\n"
        "                       pair (see below), with a warning\n"
        "      --src-lang L     language of SRC, BCP 47 (default ko)\n"
        "      --tgt-lang L     language of TGT, BCP 47 (default en)\n"
        "      --encoding NAME  read both files in this encoding (default: detect)\n"
        "      --src-encoding NAME, --tgt-encoding NAME\n"
        "                       read SRC, or TGT, in this encoding (instead of --encoding's)\n"
        "      --srx FILE       segment both sides with this SRX 2.0 file (a CAT tool's rules)\n"
        "      --ratio R        target/source length ratio (default: estimated from the pair);\n"
        "                       'tm': estimated from the pair and the --tm DB's confident 1-1\n"
        "                       units (once they hold 20,000 source characters), which steadies\n"
        "                       short articles\n"
        "      --dict FILE      add a dictionary in hunalign's format, 'english @ korean' per\n"
        "                       line (or 'korean @ english'), to the built-in lexicon; repeatable\n"
        "      --min-score S    keep only beads scoring at least S in the output, TM and TMX\n"
        "  -o, --output FILE    write the beads to FILE ('-' = standard output, the default)\n"
        "      --tm DB          add the pair and its sentence pairs to the TM DB (an SQLite file,\n"
        "                       created if missing, or a postgresql:// URI), in one\n"
        "                       transaction; a pair already there is skipped;\n"
        "                       the TM's learned word pairs ('ieum tm learn') join the lexicon\n"
        "      --user NAME      who made the units stored in the TM (TMX creationid; default:\n"
        "                       the login name)\n"
        "      --plain-tags     a new TM stores language tags without region codes (ko, en\n"
        "                       instead of ko-KR, en-US); a TM holding units keeps its form\n"
        "      --tmx FILE       also write the sentence pairs as TMX 1.4b\n"
        "      --moses PREFIX   also write them to PREFIX.<src-lang> and PREFIX.<tgt-lang>,\n"
        "                       one sentence pair per line (MT training data)\n"
        "      --report FILE    also write a review report: one self-contained HTML file\n"
        "                       showing the pairs side by side, colored by confidence\n"
        "  -h, --help           show this help\n"
        "\n"
        "A pair that is not a translation pair is refused, nothing printed or stored, unless\n"
        "--force: the same text on both sides, a side not in its language (by its letters'\n"
        "scripts), a swapped pair, or (8 sentences a side or more) sides that are not\n"
        "translations of each other.\n"
        "\n"
        "Exit status: 0 success, 1 runtime error (unreadable or invalid input, a pair refused,\n"
        "TM error), 2 usage error.\n",
        f);
}

static int parse_args(align_args *a, int argc, char **argv)
{
  enum { O_PRESEG = 256, O_SRCL, O_TGTL, O_TM, O_TMX, O_ENC, O_RATIO, O_PARA, O_MIN, O_FROM, O_SRX, O_DICT, O_MOSES, O_SRCENC,
         O_TGTENC, O_SWAP, O_FORCE, O_USER, O_REPORT, O_PLAIN };
  static const struct option longopts[] = {
    { "format", required_argument, NULL, 'f' },   { "output", required_argument, NULL, 'o' },
    { "presegmented", no_argument, NULL, O_PRESEG }, { "src-lang", required_argument, NULL, O_SRCL },
    { "tgt-lang", required_argument, NULL, O_TGTL }, { "tm", required_argument, NULL, O_TM },
    { "tmx", required_argument, NULL, O_TMX },     { "encoding", required_argument, NULL, O_ENC },
    { "ratio", required_argument, NULL, O_RATIO }, { "paragraphs", required_argument, NULL, O_PARA },
    { "min-score", required_argument, NULL, O_MIN }, { "help", no_argument, NULL, 'h' },
    { "from", required_argument, NULL, O_FROM },
    { "srx", required_argument, NULL, O_SRX },
    { "dict", required_argument, NULL, O_DICT },
    { "moses", required_argument, NULL, O_MOSES },
    { "src-encoding", required_argument, NULL, O_SRCENC },
    { "tgt-encoding", required_argument, NULL, O_TGTENC },
    { "swap", no_argument, NULL, O_SWAP },
    { "force", no_argument, NULL, O_FORCE },
    { "user", required_argument, NULL, O_USER }, { "plain-tags", no_argument, NULL, O_PLAIN },
    { "report", required_argument, NULL, O_REPORT },
    { NULL, 0, NULL, 0 },
  };
  *a = (align_args){ .src_lang = "ko", .tgt_lang = "en", .format = FMT_TSV, .paragraphs = IEUM_PARAGRAPH_AUTO };
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (!strcmp(optarg, "tsv"))
        a->format = FMT_TSV;
      else if (!strcmp(optarg, "beads"))
        a->format = FMT_BEADS;
      else if (!strcmp(optarg, "jsonl"))
        a->format = FMT_JSONL;
      else if (!strcmp(optarg, "xliff"))
        a->format = FMT_XLIFF;
      else
        return cli_usage_error("align", "unknown format '%s' (tsv, beads, jsonl or xliff)", optarg);
      break;
    case 'o': a->out_path = optarg; break;
    case O_PRESEG: a->from = CLI_FROM_PRESEGMENTED; break;
    case O_FROM:
      if ((a->from = cli_parse_from(optarg)) < 0)
        return cli_usage_error("align", "--from wants auto, text, html or presegmented, not '%s'", optarg);
      break;
    case O_SRCL: a->src_lang = optarg; break;
    case O_SRX: a->srx_path = optarg; break;
    case O_TGTL: a->tgt_lang = optarg; break;
    case O_TM: a->tm_path = optarg; break;
    case O_USER: a->user = optarg; break;
    case O_PLAIN: a->plain_tags = 1; break;
    case O_TMX: a->tmx_path = optarg; break;
    case O_MOSES: a->moses = optarg; break;
    case O_REPORT: a->report = optarg; break;
    case O_ENC: a->encoding = optarg; break;
    case O_SRCENC: a->src_encoding = optarg; break;
    case O_TGTENC: a->tgt_encoding = optarg; break;
    case O_SWAP: a->swap = 1; break;
    case O_FORCE: a->force = 1; break;
    case O_RATIO:
      if (!strcmp(optarg, "tm"))
        a->ratio_tm = 1;
      else if (cli_parse_double(optarg, 0.01, 100, &a->ratio))
        return cli_usage_error("align", "--ratio wants a number from 0.01 to 100 or 'tm', not '%s'", optarg);
      break;
    case O_MIN:
      if (cli_parse_double(optarg, 0, 1, &a->min_score))
        return cli_usage_error("align", "--min-score wants a number from 0 to 1, not '%s'", optarg);
      break;
    case O_DICT:
      if (a->n_dicts == CLI_MAX_DICTS)
        return cli_usage_error("align", "at most %d --dict files", CLI_MAX_DICTS);
      a->dicts[a->n_dicts++] = optarg;
      break;
    case O_PARA:
      if (!strcmp(optarg, "auto"))
        a->paragraphs = IEUM_PARAGRAPH_AUTO;
      else if (!strcmp(optarg, "line"))
        a->paragraphs = IEUM_PARAGRAPH_LINE;
      else if (!strcmp(optarg, "blank"))
        a->paragraphs = IEUM_PARAGRAPH_BLANK;
      else
        return cli_usage_error("align", "--paragraphs wants 'auto', 'line' or 'blank', not '%s'", optarg);
      break;
    case 'h': help(stdout); return -1;
    case ':': return cli_usage_error("align", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("align", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (argc - optind != 2)
    return cli_usage_error("align", "expected two files, SRC and TGT (got %d)", argc - optind);
  a->src_path = argv[optind + (a->swap ? 1 : 0)];
  a->tgt_path = argv[optind + (a->swap ? 0 : 1)];
  if (!a->src_encoding)
    a->src_encoding = a->encoding;
  if (!a->tgt_encoding)
    a->tgt_encoding = a->encoding;
  if (cli_lang_arg(&a->src_lang, a->src_buf, "--src-lang", a->src_lang) != CLI_OK ||
      cli_lang_arg(&a->tgt_lang, a->tgt_buf, "--tgt-lang", a->tgt_lang) != CLI_OK)
    return CLI_USAGE;
  if (a->ratio_tm && !a->tm_path)
    return cli_usage_error("align", "--ratio tm needs --tm DB");
  if (a->plain_tags && !a->tm_path)
    return cli_usage_error("align", "--plain-tags needs --tm DB");
  return CLI_OK;
}

static void put_indices(FILE *f, size_t start, uint32_t n)
{
  fputc('[', f);
  for (uint32_t k = 0; k < n; k++)
    fprintf(f, k ? ",%zu" : "%zu", start + k);
  fputc(']', f);
}

/* Bead type as text, "2-1". */
static void bead_type(char out[8], const ieum_bead *b)
{
  snprintf(out, 8, "%u-%u", (unsigned)b->src_n, (unsigned)b->tgt_n);
}

static int print_beads(FILE *f, const align_args *a, const ieum_aligned_pair *p)
{
  const ieum_doc *src = ieum_aligned_pair_doc(p, 0), *tgt = ieum_aligned_pair_doc(p, 1);
  const ieum_alignment *al = ieum_aligned_pair_alignment(p);
  ieum_buf s = IEUM_BUF_INIT, t = IEUM_BUF_INIT;
  int rc = CLI_OK;
  for (size_t k = 0; k < ieum_alignment_count(al); k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->score < a->min_score)
      continue;
    s.size = t.size = 0;
    int lrc;
    if ((lrc = ieum_bead_text(&s, src, b, 0)) != 0 || (lrc = ieum_bead_text(&t, tgt, b, 1)) != 0) {
      rc = cli_lib_error(lrc);
      break;
    }
    switch (a->format) {
    case FMT_BEADS:
      put_indices(f, b->src_start, b->src_n);
      fputc(':', f);
      put_indices(f, b->tgt_start, b->tgt_n);
      fputc('\n', f);
      break;
    case FMT_TSV:
      fprintf(f, "%.*s\t%.*s\t%.4f\n", (int)s.size, s.ptr ? s.ptr : "", (int)t.size, t.ptr ? t.ptr : "",
              b->score);
      break;
    case FMT_JSONL: {
      char type[8];
      bead_type(type, b);
      fputs("{\"src\":", f);
      put_indices(f, b->src_start, b->src_n);
      fputs(",\"tgt\":", f);
      put_indices(f, b->tgt_start, b->tgt_n);
      fprintf(f, ",\"bead\":\"%s\",\"role\":\"%s\",\"src_text\":", type,
              ieum_segment_role_name(ieum_bead_role(src, tgt, b)));
      cli_json_string(f, s.ptr ? s.ptr : "", s.size);
      fputs(",\"tgt_text\":", f);
      cli_json_string(f, t.ptr ? t.ptr : "", t.size);
      fprintf(f, ",\"score\":%.4f}\n", b->score);
      break;
    }
    }
  }
  ieum_buf_dispose(&s);
  ieum_buf_dispose(&t);
  return rc;
}

static int add_to_export(const ieum_unit *u, void *payload)
{
  return ieum_export_add(payload, u, NULL, 0);
}

/* Writes the sentence pairs to `path` in export format `format` (include/ieum/export.h). */
static int write_export(const align_args *a, const char *path, int format, const ieum_aligned_pair *p)
{
  ieum_export *e = NULL;
  ieum_export_options eo = IEUM_EXPORT_OPTIONS_INIT;
  char document[4096];
  eo.format = format;
  eo.src_lang = a->src_lang;
  eo.tgt_lang = a->tgt_lang;
  eo.doubt_threshold = IEUM_EXPORT_DOUBT_THRESHOLD; /* -f xliff: beads under it marked for review */
  snprintf(document, sizeof document, "%s|%s", a->src_path, a->tgt_path);
  int rc = ieum_export_open(&e, path, &eo);
  if (rc)
    return cli_lib_error(rc);
  if ((rc = ieum_pipeline_foreach_unit(p, a->min_score, document, add_to_export, e)) != 0) {
    cli_lib_error(rc);
    ieum_export_free(e);
    return CLI_FAIL;
  }
  if ((rc = ieum_export_close(e)) != 0)
    return cli_lib_error(rc);
  return CLI_OK;
}

/* Adds the pair to the --tm DB; a pair already there is said and is no error. */
static int store_in_tm(const align_args *a, const ieum_aligned_pair *p)
{
  int64_t doc_id = 0;
  ieum_tm *tm = NULL;
  int rc = ieum_tm_open(&tm, a->tm_path, IEUM_TM_CREATE);
  if (rc == 0)
    rc = ieum_tm_set_user(tm, cli_user(a->user));
  if (rc == 0 && a->plain_tags && cli_tm_plain_tags(tm, a->tm_path) != CLI_OK) {
    ieum_tm_free(tm);
    return CLI_FAIL;
  }
  if (rc == 0)
    rc = ieum_pipeline_store(&doc_id, tm, p, a->min_score);
  ieum_tm_free(tm);
  if (rc == IEUM_EEXISTS) {
    fprintf(stderr, "ieum: %s + %s: already in %s (document %lld); nothing added\n", a->src_path,
            a->tgt_path, a->tm_path, (long long)doc_id);
    return CLI_OK;
  }
  return rc ? cli_lib_error(rc) : CLI_OK;
}

int cmd_align(int argc, char **argv)
{
  align_args a;
  ieum_aligned_pair *p = NULL;
  ieum_srx *srx = NULL;
  cli_output out = { 0 };
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? cli_stdout_done(CLI_OK) : rc;

  if (a.srx_path && (rc = ieum_srx_load(&srx, a.srx_path)) != 0) {
    rc = cli_lib_error(rc);
    goto done;
  }
  ieum_pipeline_options po = IEUM_PIPELINE_OPTIONS_INIT;
  po.src_lang = a.src_lang;
  po.tgt_lang = a.tgt_lang;
  po.from = a.from; /* CLI_FROM_* are the IEUM_INPUT_* values */
  po.paragraphs = a.paragraphs;
  po.src_encoding = a.src_encoding;
  po.tgt_encoding = a.tgt_encoding;
  po.srx = srx;
  po.ratio = a.ratio;
  po.dicts = a.dicts;
  po.n_dicts = (size_t)a.n_dicts;
  po.tm_path = a.tm_path; /* its learned word pairs join the lexicon */
  po.ratio_tm = a.ratio_tm;
  po.min_score = a.min_score;
  po.force = a.force;
  int lrc = ieum_pipeline_align_files(&p, a.src_path, a.tgt_path, &po);
  if (lrc) {
    rc = cli_lib_error(lrc);
    goto done;
  }
  if (ieum_aligned_pair_warning(p))
    cli_error("warning: %s (kept: --force)", ieum_aligned_pair_warning(p));
  if (a.tm_path && (rc = store_in_tm(&a, p)) != 0)
    goto done;
  if (a.tmx_path && (rc = write_export(&a, a.tmx_path, IEUM_EXPORT_TMX, p)) != 0)
    goto done;
  if (a.moses && (rc = write_export(&a, a.moses, IEUM_EXPORT_MOSES, p)) != 0)
    goto done;
  if (a.report) {
    ieum_review_doc *d = NULL;
    if ((lrc = ieum_pipeline_review_doc(&d, p, a.min_score)) != 0) {
      rc = cli_lib_error(lrc);
      goto done;
    }
    rc = cli_review_report(a.report, d, IEUM_EXPORT_DOUBT_THRESHOLD);
    ieum_review_doc_free(d);
    if (rc)
      goto done;
  }
  if (a.format == FMT_XLIFF) {
    rc = write_export(&a, a.out_path ? a.out_path : "-", IEUM_EXPORT_XLIFF, p);
    goto done;
  }
  if ((rc = cli_output_open(&out, a.out_path)) != 0)
    goto done;
  rc = print_beads(out.f, &a, p);
  rc = cli_output_close(&out, rc == CLI_OK) || rc ? CLI_FAIL : CLI_OK;
done:
  ieum_aligned_pair_free(p);
  ieum_srx_free(srx);
  return rc;
}
