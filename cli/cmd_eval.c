/*
** cli/cmd_eval.c: `ieum eval`: score the aligner against gold alignments.
**
** Each case is a folder holding SRC and TGT (one sentence per line) and
** gold.txt (beads "[i,j]:[k]").  The case is aligned as presegmented text and
** its beads are judged the way the Vecalign/Bertalign evaluation (and the
** project's reference scorer) does:
**   precision: every predicted bead with a side is a strict hit when it
**     equals a gold bead, and a lax hit when it links some source sentence
**     to some target sentence that a gold bead also links;
**   recall: the same with the roles swapped, over beads with both sides.
** Beads are compared as sets (a duplicate counts once).  Counts are summed
** over cases before the ratios are taken (micro average), per family (the
** folder name up to its first digit, plus its last "_" suffix) and overall.
** The aligner gets the lexicon `ieum align` would get (--dict, --tm's
** learned pairs) and, with --ratio tm, the TM's length ratio.
** Cost: O(b log b) per case for b beads.
*/
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define MAX_SIDE 8 /* sentences on one side of a gold bead we can hold */

typedef struct {
  uint32_t n[2];
  uint32_t idx[2][MAX_SIDE];
} bead_set;

/* The --min-score thresholds whose precision is reported (the first keeps every pair). */
static const double thresholds[] = { 0.0, 0.5, 0.7, 0.9 };
#define N_THRESHOLDS (sizeof thresholds / sizeof thresholds[0])

typedef struct {
  long p[4]; /* precision: strict tp, strict fp, lax tp, lax fp */
  long r[4]; /* recall: the same, roles swapped */
  long kept[N_THRESHOLDS];  /* pairs (beads with both sides) whose score reaches the threshold */
  long right[N_THRESHOLDS]; /* those of them that are gold beads */
} counts;

static int bead_cmp(const void *x, const void *y)
{
  const bead_set *a = x, *b = y;
  for (int s = 0; s < 2; s++) {
    if (a->n[s] != b->n[s])
      return a->n[s] < b->n[s] ? -1 : 1;
    for (uint32_t k = 0; k < a->n[s]; k++)
      if (a->idx[s][k] != b->idx[s][k])
        return a->idx[s][k] < b->idx[s][k] ? -1 : 1;
  }
  return 0;
}

typedef struct {
  uint32_t s, t;
} link;

static int link_cmp(const void *x, const void *y)
{
  const link *a = x, *b = y;
  if (a->s != b->s)
    return a->s < b->s ? -1 : 1;
  return a->t < b->t ? -1 : a->t > b->t;
}

/* Sorts and removes duplicates and empty beads; keeps only two-sided beads when `both`. */
static size_t normalize(bead_set *b, size_t n, int both)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if ((b[i].n[0] == 0 && b[i].n[1] == 0) || (both && (b[i].n[0] == 0 || b[i].n[1] == 0)))
      continue;
    b[m++] = b[i];
  }
  qsort(b, m, sizeof *b, bead_cmp);
  size_t u = 0;
  for (size_t i = 0; i < m; i++)
    if (u == 0 || bead_cmp(&b[u - 1], &b[i]))
      b[u++] = b[i];
  return u;
}

/* Judges `test` against `gold` (both normalized): adds tp/fp counts to c[4]. */
static int hits(long c[4], const bead_set *gold, size_t ng, const bead_set *test, size_t nt)
{
  size_t nl = 0;
  for (size_t i = 0; i < ng; i++)
    nl += (size_t)gold[i].n[0] * gold[i].n[1];
  link *links = malloc((nl + 1) * sizeof *links);
  if (!links)
    return -1;
  nl = 0;
  for (size_t i = 0; i < ng; i++)
    for (uint32_t a = 0; a < gold[i].n[0]; a++)
      for (uint32_t b = 0; b < gold[i].n[1]; b++)
        links[nl++] = (link){ gold[i].idx[0][a], gold[i].idx[1][b] };
  qsort(links, nl, sizeof *links, link_cmp);
  for (size_t i = 0; i < nt; i++) {
    if (bsearch(&test[i], gold, ng, sizeof *gold, bead_cmp)) {
      c[0]++;
      c[2]++;
      continue;
    }
    c[1]++;
    int lax = 0;
    for (uint32_t a = 0; a < test[i].n[0] && !lax; a++)
      for (uint32_t b = 0; b < test[i].n[1] && !lax; b++) {
        link key = { test[i].idx[0][a], test[i].idx[1][b] };
        lax = bsearch(&key, links, nl, sizeof *links, link_cmp) != NULL;
      }
    c[lax ? 2 : 3]++;
  }
  free(links);
  return 0;
}

/* Parses one side "1,2" (may be empty) of a bead. */
static int parse_side(bead_set *b, int side, const char *s, const char *e)
{
  b->n[side] = 0;
  while (s < e) {
    while (s < e && (*s == ' ' || *s == ','))
      s++;
    if (s >= e)
      break;
    if (*s < '0' || *s > '9' || b->n[side] == MAX_SIDE)
      return -1;
    unsigned long v = 0;
    while (s < e && *s >= '0' && *s <= '9')
      v = v * 10 + (unsigned long)(*s++ - '0');
    b->idx[side][b->n[side]++] = (uint32_t)v;
  }
  return 0;
}

/* Reads gold beads from `path` into a new array (the caller frees it). */
static int read_gold(bead_set **out, size_t *n, const char *path)
{
  ieum_buf text = IEUM_BUF_INIT;
  int rc = ieum_text_load(&text, path, NULL);
  *out = NULL;
  *n = 0;
  if (rc)
    return cli_lib_error(rc);
  size_t cap = 64, count = 0, line = 0;
  bead_set *b = malloc(cap * sizeof *b);
  char *p = text.ptr, *end = text.ptr + text.size;
  while (b && p && p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char *e = nl ? nl : end;
    line++;
    char *o1 = memchr(p, '[', (size_t)(e - p)), *c1 = o1 ? memchr(o1, ']', (size_t)(e - o1)) : NULL;
    char *o2 = c1 ? memchr(c1, '[', (size_t)(e - c1)) : NULL, *c2 = o2 ? memchr(o2, ']', (size_t)(e - o2)) : NULL;
    if (!c2) {
      if (!ieum_text_is_blank(p, (size_t)(e - p))) {
        cli_error("%s:%zu: not a bead", path, line);
        free(b);
        ieum_buf_dispose(&text);
        return CLI_FAIL;
      }
    } else {
      if (count == cap) {
        bead_set *nb = realloc(b, (cap *= 2) * sizeof *b);
        if (!nb)
          break;
        b = nb;
      }
      if (parse_side(&b[count], 0, o1 + 1, c1) || parse_side(&b[count], 1, o2 + 1, c2)) {
        cli_error("%s:%zu: not a bead (or more than %d sentences on a side)", path, line, MAX_SIDE);
        free(b);
        ieum_buf_dispose(&text);
        return CLI_FAIL;
      }
      count++;
    }
    p = nl ? nl + 1 : end;
  }
  ieum_buf_dispose(&text);
  if (!b) {
    cli_error("%s: out of memory", path);
    return CLI_FAIL;
  }
  *out = b;
  *n = count;
  return CLI_OK;
}

static void ratios(const counts *c, double r[6])
{
  double ps = c->p[0] + c->p[1] ? (double)c->p[0] / (double)(c->p[0] + c->p[1]) : 0;
  double rs = c->r[0] + c->r[1] ? (double)c->r[0] / (double)(c->r[0] + c->r[1]) : 0;
  double pl = c->p[2] + c->p[3] ? (double)c->p[2] / (double)(c->p[2] + c->p[3]) : 0;
  double rl = c->r[2] + c->r[3] ? (double)c->r[2] / (double)(c->r[2] + c->r[3]) : 0;
  r[0] = ps;
  r[1] = rs;
  r[2] = ps + rs ? 2 * ps * rs / (ps + rs) : 0;
  r[3] = pl;
  r[4] = rl;
  r[5] = pl + rl ? 2 * pl * rl / (pl + rl) : 0;
}

static void print_counts(const char *name, const counts *c)
{
  double r[6];
  ratios(c, r);
  printf("%s: strict P %.4f R %.4f F1 %.4f | lax P %.4f R %.4f F1 %.4f\n", name, r[0], r[1], r[2], r[3], r[4],
         r[5]);
}

static void add_counts(counts *to, const counts *c)
{
  for (int i = 0; i < 4; i++) {
    to->p[i] += c->p[i];
    to->r[i] += c->r[i];
  }
  for (size_t t = 0; t < N_THRESHOLDS; t++) {
    to->kept[t] += c->kept[t];
    to->right[t] += c->right[t];
  }
}

/* Aligns one case and scores it into *c. */
static int eval_case(counts *c, const char *dir, const char *src_name, const char *tgt_name,
                     const char *const enc[2], const ieum_align_options *opts, double *secs)
{
  char src_path[4096], tgt_path[4096], gold_path[4096];
  memset(c, 0, sizeof *c);
  if (snprintf(src_path, sizeof src_path, "%s/%s", dir, src_name) >= (int)sizeof src_path ||
      snprintf(tgt_path, sizeof tgt_path, "%s/%s", dir, tgt_name) >= (int)sizeof tgt_path ||
      snprintf(gold_path, sizeof gold_path, "%s/gold.txt", dir) >= (int)sizeof gold_path) {
    cli_error("%s: path too long", dir);
    return CLI_FAIL;
  }
  ieum_doc *src = NULL, *tgt = NULL;
  ieum_alignment *al = NULL;
  bead_set *gold = NULL, *test = NULL, *gold2 = NULL, *test2 = NULL;
  size_t ng = 0;
  int rc = CLI_FAIL, lrc;
  /* gold alignments index lines: one segment per line, as ieum align --presegmented reads them */
  ieum_pipeline_options po = IEUM_PIPELINE_OPTIONS_INIT;
  po.from = IEUM_INPUT_PRESEGMENTED;
  po.src_lang = po.tgt_lang = "und";
  po.src_encoding = enc[0];
  po.tgt_encoding = enc[1];
  if (read_gold(&gold, &ng, gold_path))
    goto done;
  if ((lrc = ieum_pipeline_load_doc(&src, NULL, src_path, 0, &po)) != 0 ||
      (lrc = ieum_pipeline_load_doc(&tgt, NULL, tgt_path, 1, &po)) != 0) {
    cli_lib_error(lrc);
    goto done;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  lrc = ieum_alignment_new(&al, src, tgt, opts);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  *secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (lrc) {
    cli_lib_error(lrc);
    goto done;
  }
  size_t nt = ieum_alignment_count(al);
  test = calloc(nt + 1, sizeof *test);
  test2 = calloc(nt + 1, sizeof *test2);
  gold2 = calloc(ng + 1, sizeof *gold2);
  if (!test || !test2 || !gold2) {
    cli_error("%s: out of memory", dir);
    goto done;
  }
  for (size_t k = 0; k < nt; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    test[k].n[0] = b->src_n;
    test[k].n[1] = b->tgt_n;
    for (uint32_t i = 0; i < b->src_n && i < MAX_SIDE; i++)
      test[k].idx[0][i] = (uint32_t)(b->src_start + i);
    for (uint32_t i = 0; i < b->tgt_n && i < MAX_SIDE; i++)
      test[k].idx[1][i] = (uint32_t)(b->tgt_start + i);
  }
  memcpy(test2, test, nt * sizeof *test);
  memcpy(gold2, gold, ng * sizeof *gold);
  size_t ng1 = normalize(gold, ng, 0);
  /* Pairs kept at each --min-score, and how many are right (strict): what a TM would store. */
  for (size_t k = 0; k < nt; k++) {
    const ieum_bead *b = ieum_alignment_bead(al, k);
    if (b->src_n == 0 || b->tgt_n == 0)
      continue;
    int right = bsearch(&test[k], gold, ng1, sizeof *gold, bead_cmp) != NULL;
    for (size_t t = 0; t < N_THRESHOLDS; t++)
      if (b->score >= thresholds[t]) {
        c->kept[t]++;
        c->right[t] += right;
      }
  }
  size_t nt1 = normalize(test, nt, 0);
  size_t ng2 = normalize(gold2, ng, 1), nt2 = normalize(test2, nt, 1);
  if (hits(c->p, gold, ng1, test, nt1) || hits(c->r, test2, nt2, gold2, ng2)) {
    cli_error("%s: out of memory", dir);
    goto done;
  }
  rc = CLI_OK;
done:
  free(gold);
  free(gold2);
  free(test);
  free(test2);
  ieum_alignment_free(al);
  ieum_doc_free(src);
  ieum_doc_free(tgt);
  return rc;
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Family of a case: the name up to its first digit, plus "_" and its last "_" part. */
static void family_of(char *out, size_t size, const char *name)
{
  size_t k = strcspn(name, "0123456789");
  const char *us = strrchr(name, '_');
  snprintf(out, size, "%.*s%s", (int)k, name, us ? us : "");
}

static void help(FILE *f)
{
  fputs("Usage: ieum eval [OPTIONS] CASES_DIR\n"
        "\n"
        "Align every case folder of CASES_DIR (SRC, TGT: one sentence per line; gold.txt: gold\n"
        "beads such as [0]:[0], [1,2]:[1], []:[3]) and print strict and lax precision, recall\n"
        "and F1 per case, per family (folder name up to its first digit, plus its last _part)\n"
        "and overall, micro-averaged.  Ends with the aligner's time.\n"
        "\n"
        "Options:\n"
        "      --src NAME    source file name in each case (default ko.txt)\n"
        "      --tgt NAME    target file name in each case (default en.txt)\n"
        "      --only PREFIX score only the cases whose name starts with PREFIX\n"
        "      --encoding NAME\n"
        "                    read the source and target files in this encoding (default:\n"
        "                    detect)\n"
        "      --src-encoding NAME, --tgt-encoding NAME\n"
        "                    read the source, or target, files in this encoding (instead of\n"
        "                    --encoding's)\n"
        "      --dict FILE   add a dictionary in hunalign's format to the built-in lexicon, as\n"
        "                    'ieum align --dict' does; repeatable\n"
        "      --tm DB       use the word pairs learned into the TM DB ('ieum tm learn'), as\n"
        "                    'ieum align --tm' does; the TM is only read\n"
        "      --ratio tm    and the TM's length ratio, as 'ieum align --ratio tm' does\n"
        "  -q, --quiet       print only the family and overall lines\n"
        "  -h, --help        show this help\n"
        "\n"
        "Exit status: 0 success, 1 a case failed or no case was found, 2 usage error.\n",
        f);
}

int cmd_eval(int argc, char **argv)
{
  enum { O_SRC = 256, O_TGT, O_ONLY, O_DICT, O_TM, O_RATIO, O_ENC, O_SRCENC, O_TGTENC };
  static const struct option longopts[] = {
    { "src", required_argument, NULL, O_SRC },   { "tgt", required_argument, NULL, O_TGT },
    { "only", required_argument, NULL, O_ONLY }, { "dict", required_argument, NULL, O_DICT },
    { "tm", required_argument, NULL, O_TM },     { "ratio", required_argument, NULL, O_RATIO },
    { "quiet", no_argument, NULL, 'q' },         { "encoding", required_argument, NULL, O_ENC },
    { "src-encoding", required_argument, NULL, O_SRCENC }, { "tgt-encoding", required_argument, NULL, O_TGTENC },
    { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
  };
  const char *src_name = "ko.txt", *tgt_name = "en.txt", *only = "", *tm_path = NULL;
  const char *dicts[CLI_MAX_DICTS];
  const char *encoding = NULL, *enc[2] = { NULL, NULL }; /* --encoding; --src-encoding, --tgt-encoding */
  int quiet = 0, c, n_dicts = 0, ratio_tm = 0;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
    switch (c) {
    case O_SRC: src_name = optarg; break;
    case O_TGT: tgt_name = optarg; break;
    case O_ONLY: only = optarg; break;
    case O_ENC: encoding = optarg; break;
    case O_SRCENC: enc[0] = optarg; break;
    case O_TGTENC: enc[1] = optarg; break;
    case O_DICT:
      if (n_dicts == CLI_MAX_DICTS)
        return cli_usage_error("eval", "at most %d --dict files", CLI_MAX_DICTS);
      dicts[n_dicts++] = optarg;
      break;
    case O_TM: tm_path = optarg; break;
    case O_RATIO:
      if (strcmp(optarg, "tm"))
        return cli_usage_error("eval", "--ratio takes only 'tm', not '%s'", optarg);
      ratio_tm = 1;
      break;
    case 'q': quiet = 1; break;
    case 'h': help(stdout); return cli_stdout_done(CLI_OK);
    case ':': return cli_usage_error("eval", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("eval", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (argc - optind != 1)
    return cli_usage_error("eval", "expected one CASES_DIR");
  for (int k = 0; k < 2; k++)
    if (!enc[k])
      enc[k] = encoding;
  if (ratio_tm && !tm_path)
    return cli_usage_error("eval", "--ratio tm needs --tm DB");
  const char *root = argv[optind];
  /* the lexicon, as ieum align builds it: a bad dictionary or TM fails before any case runs */
  ieum_lexicon *lex = NULL;
  ieum_align_options opts = IEUM_ALIGN_OPTIONS_INIT;
  FILE *tmf = tm_path ? fopen(tm_path, "rb") : NULL;
  if (tm_path && !tmf) {
    cli_error("%s: cannot open the TM", tm_path);
    return CLI_FAIL;
  }
  if (tmf)
    fclose(tmf);
  if (cli_align_lexicon(&lex, dicts, n_dicts, tm_path) != CLI_OK)
    return CLI_FAIL;
  if (ratio_tm && cli_align_prior(&opts, tm_path, "ko", "en") != CLI_OK) {
    ieum_lexicon_free(lex);
    return CLI_FAIL;
  }
  opts.lexicon = lex;
  DIR *d = opendir(root);
  if (!d) {
    cli_error("%s: cannot open directory", root);
    ieum_lexicon_free(lex);
    return CLI_FAIL;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char gold[4096];
    if (e->d_name[0] == '.' || strncmp(e->d_name, only, strlen(only)))
      continue;
    if (snprintf(gold, sizeof gold, "%s/%s/gold.txt", root, e->d_name) >= (int)sizeof gold)
      continue;
    FILE *g = fopen(gold, "r");
    if (!g)
      continue;
    fclose(g);
    if (n == cap) {
      char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
      if (!nn)
        break;
      names = nn;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (n == 0) {
    cli_error("%s: no case folder (with a gold.txt) found", root);
    free(names);
    ieum_lexicon_free(lex);
    return CLI_FAIL;
  }
  qsort(names, n, sizeof *names, name_cmp);

  char (*fam_name)[128] = calloc(n, sizeof *fam_name);
  counts *fam = calloc(n, sizeof *fam);
  counts total = { 0 };
  size_t nfam = 0, failures = 0;
  double secs = 0;
  for (size_t i = 0; i < n && fam && fam_name; i++) {
    char dir[4096], fname[128];
    counts cc;
    if (snprintf(dir, sizeof dir, "%s/%s", root, names[i]) >= (int)sizeof dir)
      dir[0] = '\0';
    if (eval_case(&cc, dir, src_name, tgt_name, enc, &opts, &secs) != CLI_OK) {
      failures++;
      if (!quiet)
        printf("%s: FAILED\n", names[i]);
    } else if (!quiet) {
      print_counts(names[i], &cc);
    }
    family_of(fname, sizeof fname, names[i]);
    size_t f = 0;
    while (f < nfam && strcmp(fam_name[f], fname))
      f++;
    if (f == nfam)
      snprintf(fam_name[nfam++], sizeof fam_name[0], "%s", fname);
    add_counts(&fam[f], &cc);
    add_counts(&total, &cc);
  }
  /* Families in name order, as the reference scorer prints them. */
  for (size_t a = 0; a < nfam; a++)
    for (size_t b = a + 1; b < nfam; b++)
      if (strcmp(fam_name[a], fam_name[b]) > 0) {
        char t[128];
        counts tc = fam[a];
        memcpy(t, fam_name[a], sizeof t);
        memcpy(fam_name[a], fam_name[b], sizeof t);
        memcpy(fam_name[b], t, sizeof t);
        fam[a] = fam[b];
        fam[b] = tc;
      }
  for (size_t f = 0; f < nfam; f++) {
    char label[160];
    snprintf(label, sizeof label, "== %s", fam_name[f]);
    print_counts(label, &fam[f]);
  }
  printf("== failures %zu, aligner time %.2f s\n", failures, secs);
  printf("== pairs kept by --min-score (strict precision, share of pairs kept):");
  for (size_t t = 0; t < N_THRESHOLDS; t++)
    printf(" %.1f: P %.4f kept %.4f%s", thresholds[t],
           total.kept[t] ? (double)total.right[t] / (double)total.kept[t] : 0.0,
           total.kept[0] ? (double)total.kept[t] / (double)total.kept[0] : 0.0, t + 1 < N_THRESHOLDS ? " |" : "\n");
  print_counts("== ALL", &total);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  free(fam);
  free(fam_name);
  ieum_lexicon_free(lex);
  return cli_stdout_done(failures ? CLI_FAIL : CLI_OK);
}
