/*
** align/srx.c: SRX 2.0 segmentation rules (OmegaT, LanguageTool, Okapi).
**
** ieum_srx_load()/ieum_srx_parse() read an SRX file with libxml2 (no
** network, no entity expansion) into plain strings: the header's cascade
** flag, every <languagerule> with its rules (break flag, beforebreak,
** afterbreak) and every <languagemap> of <maprules> (SRX 1.0's <maprule>
** wrappers are accepted).  ieum_srx__compile() picks the languagerules whose
** languagepattern matches a language tag (all of them in map order when the
** header cascades, which it does unless it says cascade="no": a header
** without the attribute, as OmegaT's own rule file has, cascades as OmegaT
** reads it; else the first) and compiles each rule's two patterns
** with ICU (uregex_openUText; SRX 2.0 names ICU's regex syntax).
** ieum_srx__breaks() runs the rules over one paragraph the way OmegaT's
** Segmenter does: for each rule in order, every match of beforebreak
** (uregex_findNext, left to right, not overlapping) proposes its end; if
** afterbreak matches from there (lookingAt) and no earlier rule decided that
** position, this rule decides it, break or no break.  The text is given to
** ICU as UTF-8 (utext_openUTF8), so offsets are bytes and nothing is copied.
** ICU's match time and backtracking stack are limited (SRX_TIME_MIN and
** below), so that a rule that backtracks without end fails with a message
** naming the file, the rule and the byte where it blew up instead of hanging.
** Cost: one scan of the paragraph per rule, plus one byte of state per byte
** of text; OmegaT's English rules (25 + 3) take about 0.4 s per MB of English.
** Not here: paragraphs and storing segments (segment.c, doc.c).
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/uregex.h>
#include <unicode/utext.h>

#include "srx_int.h"

/* Largest SRX file read, in bytes: OmegaT's full default set is 360 KB. */
#define SRX_MAX_BYTES (16u * 1024 * 1024)

/*
** Limits on ICU's regex engine, so that a rule that backtracks without end
** ("(a|aa)+b" on a run of "a"s: exponential) fails instead of hanging.
** uregex_setTimeLimit() counts in ticks of 10,000 steps (backtracking
** state saves, and positions tried by a search; a tick is well under a
** millisecond), from the start of each match operation: one scan of a
** paragraph by a beforebreak (its findNext() calls), one afterbreak
** lookingAt().  A paragraph of n bytes allows SRX_TIME_MIN + n /
** SRX_BYTES_PER_TICK ticks, 10 per KB.  The heaviest rule of OmegaT's and
** LanguageTool's sets takes under one tick on every paragraph of
** ../shared's segmentation suites and 300 to 1,000 on a 1 MB one (about 1
** per KB), so
** no sane rule comes near the limit, while "(a|aa)+b" on 40 "a"s stops
** after a few hundredths of a second (and on a 1 MB paragraph, a few
** seconds).  The backtracking stack is capped at SRX_STACK_BYTES per
** pattern: 8,000,000 bytes, ICU's own default, set here so that it is
** stated (a rule such as "(a|b)*c" on a paragraph of a million "a"s runs
** into it).
*/
#define SRX_TIME_MIN 100
#define SRX_BYTES_PER_TICK 100
#define SRX_STACK_BYTES 8000000

typedef struct {
  char *before; /* beforebreak pattern, "" when absent */
  char *after;  /* afterbreak pattern, "" when absent */
  int brk;      /* break="yes" (default) */
} srx_rule;

typedef struct {
  char *name;   /* languagerulename */
  size_t first; /* its rules are rules[first .. first+n) */
  size_t n;
} srx_langrule;

typedef struct {
  char *pattern; /* languagepattern */
  char *rule;    /* languagerulename */
} srx_map;

struct ieum_srx {
  char *name;  /* file name, for messages */
  int cascade; /* the header does not say cascade="no" */
  srx_rule *rules;
  size_t n_rules, cap_rules;
  srx_langrule *langs;
  size_t n_langs, cap_langs;
  srx_map *maps;
  size_t n_maps, cap_maps;
};

typedef struct {
  URegularExpression *before;
  URegularExpression *after;
  int brk;
  const srx_langrule *lang; /* its languagerule, for messages (borrowed from the ieum_srx) */
  const srx_rule *rule;     /* its patterns, for messages (borrowed too) */
  size_t index;             /* its 1-based number in its languagerule */
} run_rule;

struct ieum_srx_run {
  const char *name; /* the SRX file, for messages (borrowed) */
  int64_t trying;   /* where a search last started a match attempt (progress()) */
  run_rule *rules;
  size_t n;
  unsigned char *state; /* per byte of the paragraph: 0 undecided, 1 break, 2 no break */
  size_t state_cap;
  size_t *breaks;
  size_t breaks_cap;
  UText *ut;
};

/* ---- reading -------------------------------------------------------------- */

static int is_elem(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The attribute `name` of `n` as our own string (NULL when absent): *out, or IEUM_ENOMEM. */
static int attr(char **out, xmlNode *n, const char *name)
{
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  *out = NULL;
  if (!v)
    return IEUM_OK;
  *out = ieum__strdup((const char *)v);
  xmlFree(v);
  return *out ? IEUM_OK : ieum__error_oom();
}

/* The text content of `n` as our own string. */
static int content(char **out, xmlNode *n)
{
  xmlChar *v = xmlNodeGetContent(n);
  *out = ieum__strdup(v ? (const char *)v : "");
  if (v)
    xmlFree(v);
  return *out ? IEUM_OK : ieum__error_oom();
}

/* Makes room for one more element in a growable array. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
  if (n < *cap)
    return IEUM_OK;
  size_t c = *cap ? *cap * 2 : 16;
  void *p = ieum__reallocarray(*arr, c, size);
  if (!p)
    return ieum__error_oom();
  *arr = p;
  *cap = c;
  return IEUM_OK;
}

static int read_rule(ieum_srx *srx, xmlNode *r)
{
  char *brk = NULL;
  int rc;
  if ((rc = grow((void **)&srx->rules, &srx->cap_rules, srx->n_rules, sizeof *srx->rules)) != 0)
    return rc;
  srx_rule *x = &srx->rules[srx->n_rules];
  memset(x, 0, sizeof *x);
  if ((rc = attr(&brk, r, "break")) != 0)
    return rc;
  x->brk = !brk || strcmp(brk, "no") != 0;
  ieum__free(brk);
  for (xmlNode *c = r->children; c; c = c->next) {
    char **slot = is_elem(c, "beforebreak") ? &x->before : is_elem(c, "afterbreak") ? &x->after : NULL;
    if (!slot)
      continue;
    ieum__free(*slot);
    if ((rc = content(slot, c)) != 0)
      goto fail;
  }
  if (!x->before && !x->after) {
    rc = ieum__error_set(IEUM_EPARSE, "%s:%ld: <rule> has neither <beforebreak> nor <afterbreak>", srx->name,
                         (long)xmlGetLineNo(r));
    goto fail;
  }
  if ((!x->before && !(x->before = ieum__strdup(""))) || (!x->after && !(x->after = ieum__strdup("")))) {
    rc = ieum__error_oom();
    goto fail;
  }
  srx->n_rules++;
  return IEUM_OK;
fail:
  ieum__free(x->before);
  ieum__free(x->after);
  return rc;
}

static int read_langrule(ieum_srx *srx, xmlNode *lr)
{
  int rc;
  if ((rc = grow((void **)&srx->langs, &srx->cap_langs, srx->n_langs, sizeof *srx->langs)) != 0)
    return rc;
  srx_langrule *l = &srx->langs[srx->n_langs];
  if ((rc = attr(&l->name, lr, "languagerulename")) != 0)
    return rc;
  if (!l->name)
    return ieum__error_set(IEUM_EPARSE, "%s:%ld: <languagerule> has no languagerulename", srx->name,
                           (long)xmlGetLineNo(lr));
  srx->n_langs++;
  l->first = srx->n_rules;
  for (xmlNode *c = lr->children; c; c = c->next)
    if (is_elem(c, "rule") && (rc = read_rule(srx, c)) != 0)
      return rc;
  l->n = srx->n_rules - l->first;
  return IEUM_OK;
}

/* <languagemap> elements anywhere under `n` (SRX 2.0 maprules, SRX 1.0 maprule). */
static int read_maps(ieum_srx *srx, xmlNode *n)
{
  int rc;
  for (xmlNode *c = n->children; c; c = c->next) {
    if (!is_elem(c, "languagemap")) {
      if (c->type == XML_ELEMENT_NODE && (rc = read_maps(srx, c)) != 0)
        return rc;
      continue;
    }
    if ((rc = grow((void **)&srx->maps, &srx->cap_maps, srx->n_maps, sizeof *srx->maps)) != 0)
      return rc;
    srx_map *m = &srx->maps[srx->n_maps];
    memset(m, 0, sizeof *m);
    if ((rc = attr(&m->pattern, c, "languagepattern")) != 0 || (rc = attr(&m->rule, c, "languagerulename")) != 0) {
      ieum__free(m->pattern);
      return rc;
    }
    srx->n_maps++;
    if (!m->pattern || !m->rule)
      return ieum__error_set(IEUM_EPARSE, "%s:%ld: <languagemap> needs languagepattern and languagerulename",
                             srx->name, (long)xmlGetLineNo(c));
  }
  return IEUM_OK;
}

static int read_srx(ieum_srx *srx, xmlNode *root)
{
  int rc, seen_body = 0;
  if (!root || !is_elem(root, "srx"))
    return ieum__error_set(IEUM_EPARSE, "%s: not an SRX file (the root element is <%s>, not <srx>)", srx->name,
                           root ? (const char *)root->name : "");
  for (xmlNode *c = root->children; c; c = c->next) {
    if (is_elem(c, "header")) {
      char *cascade = NULL;
      if ((rc = attr(&cascade, c, "cascade")) != 0)
        return rc;
      /* OmegaT cascades unless told not to: its jar's rules have no cascade attribute and rely on it. */
      srx->cascade = !cascade || strcmp(cascade, "no") != 0;
      ieum__free(cascade);
    } else if (is_elem(c, "body")) {
      seen_body = 1;
      for (xmlNode *b = c->children; b; b = b->next) {
        if (is_elem(b, "languagerules")) {
          for (xmlNode *l = b->children; l; l = l->next)
            if (is_elem(l, "languagerule") && (rc = read_langrule(srx, l)) != 0)
              return rc;
        } else if (is_elem(b, "maprules") && (rc = read_maps(srx, b)) != 0) {
          return rc;
        }
      }
    }
  }
  if (!seen_body)
    return ieum__error_set(IEUM_EPARSE, "%s: not an SRX file (no <body>)", srx->name);
  for (size_t i = 0; i < srx->n_maps; i++) {
    size_t k = 0;
    while (k < srx->n_langs && strcmp(srx->langs[k].name, srx->maps[i].rule) != 0)
      k++;
    if (k == srx->n_langs)
      return ieum__error_set(IEUM_EPARSE, "%s: <languagemap> names languagerule '%s', which is not defined",
                             srx->name, srx->maps[i].rule);
  }
  return IEUM_OK;
}

void ieum_srx_free(ieum_srx *srx)
{
  if (!srx)
    return;
  for (size_t i = 0; i < srx->n_rules; i++) {
    ieum__free(srx->rules[i].before);
    ieum__free(srx->rules[i].after);
  }
  for (size_t i = 0; i < srx->n_langs; i++)
    ieum__free(srx->langs[i].name);
  for (size_t i = 0; i < srx->n_maps; i++) {
    ieum__free(srx->maps[i].pattern);
    ieum__free(srx->maps[i].rule);
  }
  ieum__free(srx->rules);
  ieum__free(srx->langs);
  ieum__free(srx->maps);
  ieum__free(srx->name);
  ieum__free(srx);
}

int ieum_srx_parse(ieum_srx **out, const char *xml, size_t len, const char *name)
{
  ieum_srx *srx = NULL;
  xmlParserCtxtPtr ctxt = NULL;
  xmlDocPtr doc = NULL;
  int rc = IEUM_OK;

  *out = NULL;
  if (!name)
    name = "SRX";
  if (!xml && len)
    return ieum__error_set(IEUM_EINVAL, "%s: no text", name);
  if (len > SRX_MAX_BYTES || len > INT32_MAX)
    return ieum__error_set(IEUM_ELIMIT, "%s: larger than %u bytes", name, SRX_MAX_BYTES);
  if (!(srx = ieum__calloc(1, sizeof *srx)) || !(srx->name = ieum__strdup(name))) {
    rc = ieum__error_oom();
    goto done;
  }
  if (!(ctxt = xmlNewParserCtxt())) {
    rc = ieum__error_oom();
    goto done;
  }
  doc = xmlCtxtReadMemory(ctxt, xml ? xml : "", (int)len, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    const char *msg = e && e->message ? e->message : "not well-formed XML";
    size_t ml = strlen(msg);
    while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
      ml--;
    rc = ieum__error_set(IEUM_EPARSE, "%s:%d: not XML: %.*s", name, e ? e->line : 0, (int)ml, msg);
    goto done;
  }
  if ((rc = read_srx(srx, xmlDocGetRootElement(doc))) != 0)
    goto done;
  *out = srx;
  srx = NULL;

done:
  if (doc)
    xmlFreeDoc(doc);
  if (ctxt)
    xmlFreeParserCtxt(ctxt);
  ieum_srx_free(srx);
  return rc;
}

int ieum_srx_load(ieum_srx **out, const char *path)
{
  ieum_buf b = IEUM_BUF_INIT;
  char chunk[65536];
  FILE *f = NULL;
  int rc = IEUM_OK;

  *out = NULL;
  if (!(f = fopen(path, "rb"))) {
    rc = ieum__error_set(IEUM_EIO, "%s: cannot open: %s", path, strerror(errno));
    goto done;
  }
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (b.size + got > SRX_MAX_BYTES) {
      rc = ieum__error_set(IEUM_ELIMIT, "%s: larger than %u bytes", path, SRX_MAX_BYTES);
      goto done;
    }
    if ((rc = ieum__buf_put(&b, chunk, got)) != 0)
      goto done;
  }
  if (ferror(f)) {
    rc = ieum__error_set(IEUM_EIO, "%s: cannot read: %s", path, strerror(errno));
    goto done;
  }
  rc = ieum_srx_parse(out, b.ptr, b.size, path);

done:
  if (f)
    fclose(f);
  ieum_buf_dispose(&b);
  return rc;
}

/* ---- compiling ------------------------------------------------------------ */

/* uregex_openUText() on a NUL-terminated UTF-8 pattern; *st as ICU's. */
static URegularExpression *open_re(const char *pattern, uint32_t flags, UParseError *pe, UErrorCode *st)
{
  UText *ut = utext_openUTF8(NULL, pattern, -1, st);
  URegularExpression *re = uregex_openUText(ut, flags, pe, st);
  utext_close(ut);
  return re;
}

/*
** Indexes of the languagerules that apply to `lang`, in cascade order, into
** idx[0..*n) (idx has room for srx->n_maps).  IEUM_EPARSE on a bad pattern.
*/
static int select_langs(size_t *idx, size_t *n, const ieum_srx *srx, const char *lang)
{
  *n = 0;
  for (size_t i = 0; i < srx->n_maps; i++) {
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    URegularExpression *re = open_re(srx->maps[i].pattern, UREGEX_CASE_INSENSITIVE, &pe, &st);
    if (U_FAILURE(st)) {
      uregex_close(re);
      return ieum__error_set(IEUM_EPARSE, "%s: languagepattern '%s' is not a regular expression: %s", srx->name,
                             srx->maps[i].pattern, u_errorName(st));
    }
    UText *ut = utext_openUTF8(NULL, lang, -1, &st);
    uregex_setUText(re, ut, &st);
    UBool hit = uregex_matches(re, 0, &st);
    uregex_close(re);
    utext_close(ut);
    if (U_FAILURE(st))
      return ieum__error_set(IEUM_ERROR, "%s: ICU uregex_matches(): %s", srx->name, u_errorName(st));
    if (!hit)
      continue;
    size_t k = 0;
    while (strcmp(srx->langs[k].name, srx->maps[i].rule) != 0)
      k++;
    idx[(*n)++] = k;
    if (!srx->cascade)
      break;
  }
  return IEUM_OK;
}

int ieum_srx_rule_count(const ieum_srx *srx, const char *lang)
{
  size_t *idx = ieum__calloc(srx->n_maps + 1, sizeof *idx), n = 0, total = 0;
  if (!idx)
    return ieum__error_oom();
  int rc = select_langs(idx, &n, srx, lang ? lang : "und");
  for (size_t i = 0; rc == IEUM_OK && i < n; i++)
    total += srx->langs[idx[i]].n;
  ieum__free(idx);
  return rc ? rc : (int)(total > INT32_MAX ? INT32_MAX : total);
}

void ieum_srx__run_free(ieum_srx_run *run)
{
  if (!run)
    return;
  for (size_t i = 0; i < run->n; i++) {
    uregex_close(run->rules[i].before);
    uregex_close(run->rules[i].after);
  }
  utext_close(run->ut);
  ieum__free(run->rules);
  ieum__free(run->state);
  ieum__free(run->breaks);
  ieum__free(run);
}

static int compile(URegularExpression **out, const ieum_srx *srx, const srx_langrule *l, size_t k,
                   const char *pattern)
{
  UErrorCode st = U_ZERO_ERROR;
  UParseError pe;
  *out = open_re(*pattern ? pattern : "(?:)", 0, &pe, &st); /* ICU refuses an empty pattern */
  if (U_SUCCESS(st))
    uregex_setStackLimit(*out, SRX_STACK_BYTES, &st);
  if (U_FAILURE(st)) {
    uregex_close(*out);
    *out = NULL;
    return ieum__error_set(IEUM_EPARSE, "%s: languagerule '%s', rule %zu: '%s' is not a regular expression: %s",
                           srx->name, l->name, k + 1, pattern, u_errorName(st));
  }
  return IEUM_OK;
}

int ieum_srx__compile(ieum_srx_run **out, const ieum_srx *srx, const char *lang)
{
  ieum_srx_run *run = NULL;
  size_t *idx = NULL, n = 0, total = 0;
  int rc;

  *out = NULL;
  if (!(idx = ieum__calloc(srx->n_maps + 1, sizeof *idx)) || !(run = ieum__calloc(1, sizeof *run))) {
    rc = ieum__error_oom();
    goto done;
  }
  run->name = srx->name;
  if ((rc = select_langs(idx, &n, srx, lang ? lang : "und")) != 0)
    goto done;
  for (size_t i = 0; i < n; i++)
    total += srx->langs[idx[i]].n;
  if (total && !(run->rules = ieum__calloc(total, sizeof *run->rules))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    const srx_langrule *l = &srx->langs[idx[i]];
    for (size_t k = 0; k < l->n; k++) {
      const srx_rule *r = &srx->rules[l->first + k];
      run_rule *x = &run->rules[run->n++];
      x->brk = r->brk;
      x->lang = l;
      x->rule = r;
      x->index = k + 1;
      if ((rc = compile(&x->before, srx, l, k, r->before)) != 0 || (rc = compile(&x->after, srx, l, k, r->after)) != 0)
        goto done;
    }
  }
  *out = run;
  run = NULL;

done:
  ieum__free(idx);
  ieum_srx__run_free(run);
  return rc;
}

/* ---- running -------------------------------------------------------------- */

static int icu_fail(const char *call, UErrorCode st)
{
  return ieum__error_set(IEUM_ERROR, "segment: SRX: ICU %s(): %s", call, u_errorName(st));
}

/* ICU's find progress callback: records where the search tries a match next. */
static UBool U_CALLCONV progress(const void *ctx, int64_t at)
{
  ieum_srx_run *run = (ieum_srx_run *)ctx;
  run->trying = at;
  return 1;
}

/*
** Where in the paragraph the search of `re` from byte `from`, which ran into
** a limit, began the match attempt that did: the search is run again with
** a progress callback (only then: it costs a call per position), and stops
** at the same limit.  `from` when ICU does not tell.
*/
static size_t searched(ieum_srx_run *run, URegularExpression *re, size_t from)
{
  UErrorCode st = U_ZERO_ERROR;
  run->trying = (int64_t)from;
  uregex_setFindProgressCallback(re, progress, run, &st);
  if (U_SUCCESS(st))
    uregex_find64(re, (int64_t)from, &st);
  UErrorCode st2 = U_ZERO_ERROR;
  uregex_setFindProgressCallback(re, NULL, NULL, &st2);
  return run->trying >= (int64_t)from ? (size_t)run->trying : from;
}

/*
** The error of a rule's pattern (`after`: its afterbreak, else its
** beforebreak) that failed with `st` while matching from byte `at` of the
** document; one that ran into a limit is named with the file, the rule and
** the position.
*/
static int rule_fail(const ieum_srx_run *run, const run_rule *x, int after, const char *call, UErrorCode st,
                     size_t at)
{
  const char *what = st == U_REGEX_TIME_OUT          ? "took too long (over ICU's match time limit)"
                     : st == U_REGEX_STACK_OVERFLOW ? "needed too much memory (over ICU's backtracking stack limit)"
                                                     : NULL;
  if (!what)
    return icu_fail(call, st);
  return ieum__error_set(IEUM_ELIMIT, "%s: languagerule '%s', rule %zu: %s '%s' %s matching at byte %zu", run->name,
                         x->lang->name, x->index, after ? "afterbreak" : "beforebreak",
                         after ? x->rule->after : x->rule->before, what, at);
}

int ieum_srx__breaks(ieum_srx_run *run, const char *p, size_t n, size_t base, const size_t **out, size_t *count)
{
  UErrorCode st = U_ZERO_ERROR;
  size_t nb = 0;

  *out = NULL;
  *count = 0;
  if (n < 2 || run->n == 0)
    return IEUM_OK;
  if (n + 1 > run->state_cap) {
    unsigned char *s = ieum__realloc(run->state, n + 1);
    if (!s)
      return ieum__error_oom();
    run->state = s;
    run->state_cap = n + 1;
  }
  memset(run->state, 0, n + 1);
  run->ut = utext_openUTF8(run->ut, p, (int64_t)n, &st);
  if (U_FAILURE(st))
    return icu_fail("utext_openUTF8", st);
  size_t ticks = SRX_TIME_MIN + n / SRX_BYTES_PER_TICK;
  int32_t limit = ticks > INT32_MAX ? INT32_MAX : (int32_t)ticks;
  for (size_t r = 0; r < run->n; r++) {
    run_rule *x = &run->rules[r];
    uregex_setUText(x->before, run->ut, &st);
    uregex_setUText(x->after, run->ut, &st);
    uregex_setTimeLimit(x->before, limit, &st);
    uregex_setTimeLimit(x->after, limit, &st);
    if (U_FAILURE(st))
      return icu_fail("uregex_setUText", st);
    size_t from = 0; /* where the current search started: the end of the last match */
    while (uregex_findNext(x->before, &st)) {
      int64_t e = uregex_end64(x->before, 0, &st);
      if (U_FAILURE(st))
        return icu_fail("uregex_end64", st);
      from = (size_t)e;
      if (e <= 0 || (size_t)e >= n || run->state[e])
        continue;
      if (uregex_lookingAt64(x->after, e, &st)) {
        run->state[e] = x->brk ? 1 : 2;
        nb += x->brk;
      }
      if (U_FAILURE(st))
        return rule_fail(run, x, 1, "uregex_lookingAt64", st, base + (size_t)e);
    }
    if (U_FAILURE(st))
      return rule_fail(run, x, 0, "uregex_findNext", st, base + searched(run, x->before, from));
  }
  if (nb > run->breaks_cap) {
    size_t *b = ieum__reallocarray(run->breaks, nb, sizeof *b);
    if (!b)
      return ieum__error_oom();
    run->breaks = b;
    run->breaks_cap = nb;
  }
  nb = 0;
  for (size_t i = 1; i < n; i++)
    if (run->state[i] == 1)
      run->breaks[nb++] = i;
  *out = run->breaks;
  *count = nb;
  return IEUM_OK;
}
