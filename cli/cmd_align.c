/*
** cli/cmd_align.c: `ieum align`: align a document with its translation.
**
** Loads and segments both files (plain text, one segment per line, or the
** article of an HTML page, by --from or by content), aligns them, then
** (each step atomic) adds the bilingual beads to a TM in one transaction,
** with the pages' headline, byline, date and URL as document metadata
** ("src.headline", "tgt.url", ...), writes them as TMX, and
** prints every bead, 1-0 and 0-1 included, in the chosen format.  Units
** stored in the TM and TMX are the beads that have both sides: a TM unit
** needs a source and a target.
*/
#include <getopt.h>
#include <string.h>

#include "cli.h"

enum { FMT_TSV, FMT_BEADS, FMT_JSONL, FMT_XLIFF };

typedef struct {
  const char *src_path, *tgt_path;
  const char *src_lang, *tgt_lang;
  const char *out_path, *tm_path, *tmx_path, *encoding;
  const char *src_encoding, *tgt_encoding; /* --src-encoding, --tgt-encoding; else --encoding */
  const char *srx_path; /* --srx: segment both sides with these SRX rules */
  const char *moses;    /* --moses PREFIX: also write PREFIX.<src-lang> and PREFIX.<tgt-lang> */
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
        "      --tm DB          add the pair and its sentence pairs to the TM DB (created if\n"
        "                       missing), in one transaction; a pair already there is skipped;\n"
        "                       the TM's learned word pairs ('ieum tm learn') join the lexicon\n"
        "      --tmx FILE       also write the sentence pairs as TMX 1.4b\n"
        "      --moses PREFIX   also write them to PREFIX.<src-lang> and PREFIX.<tgt-lang>,\n"
        "                       one sentence pair per line (MT training data)\n"
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
         O_TGTENC, O_SWAP, O_FORCE };
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
    case O_TMX: a->tmx_path = optarg; break;
    case O_MOSES: a->moses = optarg; break;
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

static int print_beads(FILE *f, const align_args *a, const ieum_doc *src, const ieum_doc *tgt,
                       const ieum_alignment *al)
{
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

/*
** Calls `fn` with a unit for every bilingual bead that passes --min-score.
** Returns 0, a library error code, or what `fn` returned.
*/
static int foreach_pair(const align_args *a, const ieum_doc *src, const ieum_doc *tgt,
                        const ieum_alignment *al, ieum_unit_cb fn, void *payload)
{
  ieum_buf s = IEUM_BUF_INIT, t = IEUM_BUF_INIT;
  char document[4096];
  int rc = 0;
  snprintf(document, sizeof document, "%s|%s", a->src_path, a->tgt_path);
  for (size_t k = 0; k < ieum_alignment_count(al) && rc == 0; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_n == 0 || b->tgt_n == 0 || b->score < a->min_score)
      continue;
    s.size = t.size = 0;
    if ((rc = ieum_bead_text(&s, src, b, 0)) != 0 || (rc = ieum_bead_text(&t, tgt, b, 1)) != 0)
      break;
    char type[8];
    bead_type(type, b);
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = s.ptr;
    u.src_len = s.size;
    u.tgt = t.ptr;
    u.tgt_len = t.size;
    u.src_lang = a->src_lang;
    u.tgt_lang = a->tgt_lang;
    u.score = b->score;
    u.bead = type;
    u.document = document;
    u.position = (int64_t)k;
    u.role = ieum_segment_role_name(ieum_bead_role(src, tgt, b));
    rc = fn(&u, payload);
  }
  ieum_buf_dispose(&s);
  ieum_buf_dispose(&t);
  return rc;
}

typedef struct {
  ieum_tm *tm;
  int64_t doc_id;
  size_t added;
} tm_sink;

static int add_to_tm(const ieum_unit *u, void *payload)
{
  tm_sink *sink = payload;
  ieum_unit v = *u;
  v.document = NULL; /* the document row already names the pair */
  int rc = ieum_tm_add_unit(sink->tm, sink->doc_id, &v);
  if (rc == 0)
    sink->added++;
  return rc;
}

/* Stores the metadata of one side's page as "PREFIX.KEY" items of document `doc_id`. */
static int store_meta(ieum_tm *tm, int64_t doc_id, const char *prefix, const ieum_article *page)
{
  const char *key;
  int rc = 0;
  for (size_t i = 0; page && rc == 0 && (key = ieum_html_meta_key(page, i)) != NULL; i++) {
    char name[64];
    snprintf(name, sizeof name, "%s.%s", prefix, key);
    rc = ieum_tm_set_document_meta(tm, doc_id, name, ieum_html_meta(page, key));
  }
  return rc;
}

static int store_in_tm(const align_args *a, const ieum_buf *src_text, const ieum_buf *tgt_text,
                       const ieum_doc *src, const ieum_doc *tgt, const ieum_alignment *al,
                       const ieum_article *src_page, const ieum_article *tgt_page)
{
  ieum_tm *tm = NULL;
  tm_sink sink = { 0 };
  char hash[33];
  int rc;
  if ((rc = ieum_tm_open(&tm, a->tm_path, IEUM_TM_CREATE)) != 0)
    return cli_lib_error(rc);
  if ((rc = ieum_tm_begin(tm)) != 0)
    goto fail;
  ieum_tm_hash(hash, src_text->ptr, src_text->size, tgt_text->ptr, tgt_text->size);
  ieum_tm_document d = { .kind = "pair", .src_path = a->src_path, .tgt_path = a->tgt_path,
                         .src_lang = a->src_lang, .tgt_lang = a->tgt_lang, .hash = hash };
  rc = ieum_tm_add_document(&sink.doc_id, tm, &d);
  if (rc == IEUM_EEXISTS) {
    ieum_tm_rollback(tm);
    ieum_tm_free(tm);
    fprintf(stderr, "ieum: %s + %s: already in %s (document %lld); nothing added\n", a->src_path,
            a->tgt_path, a->tm_path, (long long)sink.doc_id);
    return CLI_OK;
  }
  if (rc)
    goto fail;
  if ((rc = store_meta(tm, sink.doc_id, "src", src_page)) != 0 ||
      (rc = store_meta(tm, sink.doc_id, "tgt", tgt_page)) != 0)
    goto fail;
  sink.tm = tm;
  if ((rc = foreach_pair(a, src, tgt, al, add_to_tm, &sink)) != 0)
    goto fail;
  if ((rc = ieum_tm_commit(tm)) != 0)
    goto fail;
  ieum_tm_free(tm);
  return CLI_OK;
fail:
  cli_lib_error(rc);
  ieum_tm_free(tm); /* rolls back */
  return CLI_FAIL;
}

static int add_to_export(const ieum_unit *u, void *payload)
{
  return ieum_export_add(payload, u, NULL, 0);
}

/* Writes the sentence pairs to `path` in export format `format` (include/ieum/export.h). */
static int write_export(const align_args *a, const char *path, int format, const ieum_doc *src,
                        const ieum_doc *tgt, const ieum_alignment *al)
{
  ieum_export *e = NULL;
  ieum_export_options eo = IEUM_EXPORT_OPTIONS_INIT;
  eo.format = format;
  eo.src_lang = a->src_lang;
  eo.tgt_lang = a->tgt_lang;
  int rc = ieum_export_open(&e, path, &eo);
  if (rc)
    return cli_lib_error(rc);
  if ((rc = foreach_pair(a, src, tgt, al, add_to_export, e)) != 0) {
    cli_lib_error(rc);
    ieum_export_free(e);
    return CLI_FAIL;
  }
  if ((rc = ieum_export_close(e)) != 0)
    return cli_lib_error(rc);
  return CLI_OK;
}

int cmd_align(int argc, char **argv)
{
  align_args a;
  ieum_buf src_text = IEUM_BUF_INIT, tgt_text = IEUM_BUF_INIT;
  ieum_doc *src = NULL, *tgt = NULL;
  ieum_article *src_page = NULL, *tgt_page = NULL;
  ieum_alignment *al = NULL;
  ieum_srx *srx = NULL;
  ieum_lexicon *lex = NULL;
  cli_output out = { 0 };
  int rc = parse_args(&a, argc, argv);
  if (rc)
    return rc < 0 ? cli_stdout_done(CLI_OK) : rc;

  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  so.mode = IEUM_SEGMENT_SENTENCES;
  so.paragraphs = a.paragraphs;
  so.lang = a.src_lang;
  if (a.srx_path && (rc = ieum_srx_load(&srx, a.srx_path)) != 0) {
    rc = cli_lib_error(rc);
    goto done;
  }
  so.srx = srx;
  if ((rc = cli_load_doc_from(&src, &src_text, &src_page, a.src_path, a.src_encoding, &so, a.from)) != 0)
    goto done;
  so.lang = a.tgt_lang;
  if ((rc = cli_load_doc_from(&tgt, &tgt_text, &tgt_page, a.tgt_path, a.tgt_encoding, &so, a.from)) != 0)
    goto done;
  /* the texts are needed only for the TM's content hash: without a TM, a long pair's peak memory is lower without them */
  if (!a.tm_path) {
    ieum_buf_dispose(&src_text);
    ieum_buf_dispose(&tgt_text);
  }
  ieum_align_options ao = IEUM_ALIGN_OPTIONS_INIT;
  ao.ratio = a.ratio;
  /* no dictionary and no TM: the built-in lexicon, which the aligner builds itself (NULL) */
  if ((a.n_dicts > 0 || a.tm_path) && (rc = cli_align_lexicon(&lex, a.dicts, a.n_dicts, a.tm_path)) != 0)
    goto done;
  /* --ratio tm: the TM's length ratio steadies a short article's own estimate */
  if (a.ratio_tm && (rc = cli_align_prior(&ao, a.tm_path, a.src_lang, a.tgt_lang)) != 0)
    goto done;
  ao.lexicon = lex;
  int lrc = ieum_alignment_new(&al, src, tgt, &ao);
  if (lrc) {
    rc = cli_lib_error(lrc);
    goto done;
  }
  if ((rc = cli_pair_check(src, tgt, al, lex, a.src_path, a.tgt_path, a.force)) != 0)
    goto done;
  if (a.tm_path && (rc = store_in_tm(&a, &src_text, &tgt_text, src, tgt, al, src_page, tgt_page)) != 0)
    goto done;
  if (a.tmx_path && (rc = write_export(&a, a.tmx_path, IEUM_EXPORT_TMX, src, tgt, al)) != 0)
    goto done;
  if (a.moses && (rc = write_export(&a, a.moses, IEUM_EXPORT_MOSES, src, tgt, al)) != 0)
    goto done;
  if (a.format == FMT_XLIFF) {
    rc = write_export(&a, a.out_path ? a.out_path : "-", IEUM_EXPORT_XLIFF, src, tgt, al);
    goto done;
  }
  if ((rc = cli_output_open(&out, a.out_path)) != 0)
    goto done;
  rc = print_beads(out.f, &a, src, tgt, al);
  rc = cli_output_close(&out, rc == CLI_OK) || rc ? CLI_FAIL : CLI_OK;
done:
  ieum_alignment_free(al);
  ieum_lexicon_free(lex);
  ieum_doc_free(src);
  ieum_doc_free(tgt);
  ieum_srx_free(srx);
  ieum_html_free(src_page);
  ieum_html_free(tgt_page);
  ieum_buf_dispose(&src_text);
  ieum_buf_dispose(&tgt_text);
  return rc;
}
