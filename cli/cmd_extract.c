/*
** cli/cmd_extract.c: `ieum extract`: the article of saved web pages, as
** text or as one JSON object per page.
**
** Each PAGE ('-' = standard input) is read and extracted by the library
** (ieum_html_extract(), the code `ieum align` and `ieum batch` use), one
** after the other in this one process, so a benchmark pays for one start
** only.  Text output is the headline, byline and date (those the page has,
** one per line), a blank line, then the paragraphs separated by blank
** lines; with several pages each is headed "==> PAGE <==" as head(1) does.
** JSON output (--json) is written with json-c, one object per line.  A page
** that fails (no article, not HTML, bad bytes) gets one line on standard
** error and the command goes on with the next: the exit status is then 1.
** Not here: the extraction itself (formats/html.c), paragraph roles
** (align/article.c).
*/
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

static void help(FILE *f)
{
  fputs("Usage: ieum extract [OPTIONS] PAGE...\n"
        "\n"
        "Print the article of each saved web page PAGE ('-' = standard input): its headline,\n"
        "byline and date, a blank line, then its paragraphs separated by blank lines.\n"
        "\n"
        "Options:\n"
        "  -j, --json           one JSON object per page, one per line: file, title, byline,\n"
        "                       date, url, language (null when the page has none) and\n"
        "                       paragraphs, each with its text and role (body, byline,\n"
        "                       caption, credit, dateline, related or furniture)\n"
        "      --encoding NAME  read the pages in this encoding (default: a byte-order mark,\n"
        "                       the page's <meta charset>, then detection)\n"
        "  -h, --help           show this help\n"
        "\n"
        "A page with no article (an index page, a page of links) is reported on standard error\n"
        "and the other pages go on.\n"
        "Exit status: 0 every page gave its article, 1 a page failed (runtime error), 2 usage error.\n",
        f);
}

/* A metadata value as a JSON string, or null. */
static json_object *json_meta(const ieum_article *a, const char *key)
{
  const char *v = ieum_html_meta(a, key);
  return v ? json_object_new_string(v) : NULL;
}

/* Writes the page as one JSON line; returns CLI_OK or CLI_FAIL (out of memory). */
static int print_json(const ieum_article *a, const char *path)
{
  json_object *o = json_object_new_object(), *paras = json_object_new_array();
  int rc = CLI_FAIL, *roles = NULL;
  if (!o || !paras)
    goto done;
  json_object_object_add(o, "file", json_object_new_string(path));
  json_object_object_add(o, "title", json_meta(a, "headline"));
  json_object_object_add(o, "byline", json_meta(a, "byline"));
  json_object_object_add(o, "date", json_meta(a, "date"));
  json_object_object_add(o, "url", json_meta(a, "url"));
  json_object_object_add(o, "language", json_meta(a, "lang"));
  size_t n_paras = ieum_html_paragraph_count(a);
  if (n_paras && (!(roles = calloc(n_paras, sizeof *roles)) || ieum_pipeline_paragraph_roles(a, roles, n_paras) != IEUM_OK))
    goto done;
  for (size_t i = 0; i < n_paras; i++) {
    size_t len;
    int role = roles[i];
    const char *s = ieum_html_paragraph(a, i, &len);
    json_object *p = json_object_new_object();
    if (!p)
      goto done;
    json_object_object_add(p, "text", json_object_new_string_len(s, (int)len));
    json_object_object_add(p, "role", json_object_new_string(ieum_segment_role_name(role)));
    json_object_array_add(paras, p);
  }
  json_object_object_add(o, "paragraphs", paras);
  paras = NULL;
  const char *line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  if (line) {
    fputs(line, stdout);
    fputc('\n', stdout);
    rc = CLI_OK;
  }

done:
  if (rc != CLI_OK)
    cli_error("%s: out of memory writing JSON", path);
  free(roles);
  json_object_put(paras);
  json_object_put(o);
  return rc;
}

static void print_text(const ieum_article *a, const char *path, size_t n_pages, size_t k)
{
  static const char *const keys[] = { "headline", "byline", "date" };
  if (n_pages > 1)
    printf("%s==> %s <==\n", k ? "\n" : "", path);
  int head = 0;
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    const char *v = ieum_html_meta(a, keys[i]);
    if (v) {
      printf("%s\n", v);
      head = 1;
    }
  }
  size_t len;
  const char *text = ieum_html_text(a, &len);
  if (len) {
    if (head)
      fputc('\n', stdout);
    fwrite(text, 1, len, stdout);
    fputc('\n', stdout);
  }
}

int cmd_extract(int argc, char **argv)
{
  enum { O_ENC = 256 };
  static const struct option longopts[] = {
    { "json", no_argument, NULL, 'j' },
    { "encoding", required_argument, NULL, O_ENC },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  ieum_html_options ho = IEUM_HTML_OPTIONS_INIT;
  int json = 0, c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
    switch (c) {
    case 'j': json = 1; break;
    case O_ENC: ho.encoding = optarg; break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("extract", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("extract", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return cli_usage_error("extract", "expected at least one PAGE");
  size_t n_pages = (size_t)(argc - optind), stdin_uses = 0;
  for (int i = optind; i < argc; i++)
    stdin_uses += strcmp(argv[i], "-") == 0;
  if (stdin_uses > 1)
    return cli_usage_error("extract", "standard input ('-') can be read only once");

  int status = CLI_OK;
  for (size_t k = 0; k < n_pages; k++) {
    const char *path = argv[optind + (int)k];
    const char *name = strcmp(path, "-") ? path : "standard input";
    ieum_buf raw = IEUM_BUF_INIT;
    ieum_article *a = NULL;
    int rc = ieum_text_read(&raw, path, 0);
    if (rc == 0 && raw.size && !ieum_html_detect(raw.ptr, raw.size)) {
      /* Not a page: say why the bytes are not text (binary, bad bytes), else that they are no HTML. */
      ieum_buf text = IEUM_BUF_INIT;
      ieum_text_options to = IEUM_TEXT_OPTIONS_INIT;
      to.encoding = ho.encoding;
      if ((rc = ieum_text_decode(&text, raw.ptr, raw.size, name, &to)) == 0) {
        cli_error("%s: not an HTML page (no markup at its start): give a saved web page", name);
        rc = -1;
      }
      ieum_buf_dispose(&text);
      if (rc != -1) {
        cli_lib_error(rc);
      }
      ieum_buf_dispose(&raw);
      status = CLI_FAIL;
      continue;
    }
    if (rc == 0)
      rc = ieum_html_extract(&a, raw.ptr ? raw.ptr : "", raw.size, name, &ho);
    ieum_buf_dispose(&raw);
    if (rc != 0) {
      cli_lib_error(rc);
      status = CLI_FAIL;
      continue;
    }
    if (json) {
      if (print_json(a, path) != CLI_OK)
        status = CLI_FAIL;
    } else
      print_text(a, path, n_pages, k);
    ieum_html_free(a);
    if (ferror(stdout))
      break; /* reported once by cli_stdout_done() */
  }
  return cli_stdout_done(status);
}
