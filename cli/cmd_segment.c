/*
** cli/cmd_segment.c: `ieum segment`: print the sentences of a text, one per
** line, as `ieum align` sees them.
*/
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
  fputs("Usage: ieum segment [OPTIONS] [FILE]\n"
        "\n"
        "Split FILE (standard input when absent or '-') into sentences and print one per line.\n"
        "\n"
        "Options:\n"
        "  -l, --lang L         language of the text, BCP 47 (default ko)\n"
        "      --paragraphs M   auto (default): hard-wrapped text (a PDF's, an e-mail's) is\n"
        "                       told from its line widths and line ends, and its line breaks\n"
        "                       inside sentences are joined; other text is read as 'line';\n"
        "                       line: every line break ends a paragraph;\n"
        "                       blank: only blank lines do\n"
        "      --blank-lines    print an empty line between paragraphs\n"
        "      --roles          print each segment's role first, then a TAB: body, headline,\n"
        "                       byline, caption, credit, related (a related article's title),\n"
        "                       furniture or dateline (with --keep-furniture)\n"
        "      --keep-furniture keep the page furniture of scraped text (menus, share and\n"
        "                       font-size controls, \"Top\", date and e-mail lines) as segments\n"
        "                       instead of dropping it\n"
        "      --srx FILE       segment with the rules of this SRX 2.0 file (a CAT tool's,\n"
        "                       e.g. OmegaT's) instead of the built-in rules\n"
        "      --from KIND      auto (default: an HTML page by its content, else text), text,\n"
        "                       html (the article of a web page) or presegmented (one per line)\n"
        "      --encoding NAME  read the file in this encoding (default: detect)\n"
        "  -o, --output FILE    write to FILE instead of standard output\n"
        "  -h, --help           show this help\n"
        "\n"
        "Exit status: 0 success (an empty input prints nothing), 1 runtime error, 2 usage error.\n",
        f);
}

int cmd_segment(int argc, char **argv)
{
  enum { O_PARA = 256, O_ENC, O_BLANK, O_ROLES, O_SRX, O_FROM, O_KEEP_FURNITURE };
  static const struct option longopts[] = {
    { "lang", required_argument, NULL, 'l' },        { "paragraphs", required_argument, NULL, O_PARA },
    { "encoding", required_argument, NULL, O_ENC },  { "blank-lines", no_argument, NULL, O_BLANK },
    { "output", required_argument, NULL, 'o' },      { "help", no_argument, NULL, 'h' },
    { "roles", no_argument, NULL, O_ROLES },         { "srx", required_argument, NULL, O_SRX },
    { "from", required_argument, NULL, O_FROM },     { "keep-furniture", no_argument, NULL, O_KEEP_FURNITURE },
    { NULL, 0, NULL, 0 },
  };
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_text_options to = IEUM_TEXT_OPTIONS_INIT;
  const char *out_path = NULL, *srx_path = NULL;
  int blank_lines = 0, roles = 0, from = CLI_FROM_AUTO, c;
  so.lang = "ko";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":l:o:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'l': so.lang = optarg; break;
    case 'o': out_path = optarg; break;
    case O_ENC: to.encoding = optarg; break;
    case O_BLANK: blank_lines = 1; break;
    case O_ROLES: roles = 1; break;
    case O_KEEP_FURNITURE: so.keep_furniture = 1; break;
    case O_SRX: srx_path = optarg; break;
    case O_FROM:
      if ((from = cli_parse_from(optarg)) < 0)
        return cli_usage_error("segment", "--from wants auto, text, html or presegmented, not '%s'", optarg);
      break;
    case O_PARA:
      if (!strcmp(optarg, "auto"))
        so.paragraphs = IEUM_PARAGRAPH_AUTO;
      else if (!strcmp(optarg, "line"))
        so.paragraphs = IEUM_PARAGRAPH_LINE;
      else if (!strcmp(optarg, "blank"))
        so.paragraphs = IEUM_PARAGRAPH_BLANK;
      else
        return cli_usage_error("segment", "--paragraphs wants 'auto', 'line' or 'blank', not '%s'", optarg);
      break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("segment", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("segment", "unknown option '%s'", argv[optind - 1]);
    }
  }
  char lang_buf[IEUM_LANG_MAX];
  if (cli_lang_arg(&so.lang, lang_buf, "--lang", so.lang) != CLI_OK)
    return CLI_USAGE;
  if (argc - optind > 1)
    return cli_usage_error("segment", "expected at most one FILE (got %d)", argc - optind);
  const char *path = optind < argc ? argv[optind] : "-";

  ieum_buf text = IEUM_BUF_INIT;
  ieum_doc *doc = NULL;
  ieum_srx *srx = NULL;
  cli_output out = { 0 };
  int rc;
  if (srx_path) {
    if ((rc = ieum_srx_load(&srx, srx_path)) != 0) {
      cli_lib_error(rc);
      return CLI_FAIL;
    }
    so.srx = srx;
  }
  /* The bytes first: whether they are an HTML page decides how they become text. */
  ieum_buf raw = IEUM_BUF_INIT;
  ieum_article *page = NULL;
  size_t head_len = 0; /* an HTML page's headline: text[0, head_len) */
  if ((rc = ieum_text_read(&raw, path, 0)) == 0) {
    if (from == CLI_FROM_AUTO)
      from = ieum_html_detect(raw.ptr, raw.size) ? CLI_FROM_HTML : CLI_FROM_TEXT;
    if (from == CLI_FROM_HTML) {
      ieum_html_options ho = IEUM_HTML_OPTIONS_INIT;
      ho.encoding = to.encoding;
      if ((rc = ieum_html_extract(&page, raw.ptr ? raw.ptr : "", raw.size, path, &ho)) == 0)
        rc = ieum_html_copy_headed_text(&text, &head_len, page); /* the headline too, as align sees it */
      so.paragraphs = IEUM_PARAGRAPH_BLANK; /* the article's paragraphs are blank-line separated */
    } else {
      rc = ieum_text_decode(&text, raw.ptr ? raw.ptr : "", raw.size, path, &to);
      if (from == CLI_FROM_PRESEGMENTED)
        so.mode = IEUM_SEGMENT_LINES;
    }
  }
  ieum_html_free(page);
  ieum_buf_dispose(&raw);
  if (rc != 0) {
    cli_lib_error(rc);
    ieum_buf_dispose(&text);
    ieum_srx_free(srx);
    return CLI_FAIL;
  }
  if ((rc = ieum_doc_new_headed(&doc, text.ptr, text.size, head_len, &so)) != 0) {
    const ieum_error *e = ieum_error_last();
    if (rc == IEUM_EPARSE) /* an SRX rule: the message names the SRX file */
      cli_lib_error(rc);
    else
      cli_error("%s: %s", strcmp(path, "-") ? path : "standard input", e ? e->message : ieum_strerror(rc));
    ieum_buf_dispose(&text);
    ieum_srx_free(srx);
    return CLI_FAIL;
  }
  rc = cli_output_open(&out, out_path);
  if (rc == CLI_OK) {
    for (size_t i = 0; i < ieum_doc_count(doc); i++) {
      const ieum_segment *s = ieum_doc_segment(doc, i);
      if (blank_lines && i > 0 && s->para != ieum_doc_segment(doc, i - 1)->para)
        fputc('\n', out.f);
      if (roles)
        fprintf(out.f, "%s\t", ieum_segment_role_name(s->role));
      fprintf(out.f, "%.*s\n", (int)s->len, s->text);
    }
    rc = cli_output_close(&out, 1);
  }
  ieum_doc_free(doc);
  ieum_srx_free(srx);
  ieum_buf_dispose(&text);
  return rc;
}
