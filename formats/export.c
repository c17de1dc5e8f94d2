/*
** formats/export.c: one export API for every output format (ieum_export_*),
** the line formats TSV, JSONL and Moses, and the all-or-nothing output file
** the writers share (ieum__outfile).
**
** ieum_export_open() picks a writer by format: TMX goes to tmx_write.c,
** XLIFF to xliff.c, and TSV, JSONL and Moses are written here, one unit per
** line through an ieum__outfile (Moses: two of them, PATH.<src> and
** PATH.<tgt>, moved into place one after the other).  An ieum__outfile is "PATH.tmp-XXXXXX"
** renamed over PATH once complete, as the TMX writer does, so a failed
** export never leaves a truncated file.  Numbers are formatted by hand (no
** printf %f: LC_NUMERIC could make "0,9312").  Units of another language
** pair than the export's (ieum_lang_matches: "ko" asks for every ko-*,
** "ko-KR" for ko-KR and ko) are skipped and counted in every format but
** JSONL; TMX writes the pair's tags (ieum_lang_export_tag: region codes,
** ko-KR/en-US, or plain ones) on the header and on every <tuv>, so a file
** has one srclang and one target language.  TSV, XLIFF and Moses also carry plain text: a unit
** imported with its inline markup kept ("x-inline") is reduced to its text
** for them (libxml2 parses the fragment; codes are dropped with their
** content, as the TMX reader does).  Every format may keep the units of
** some roles only (options.roles): the unit's role name is looked up among
** the eight of ieum_segment_role_name() (no role = body, an unknown one a
** bit of its own that only "all" keeps), before anything is written.
** Cost: O(bytes written); one line buffer of the longest unit.
** Not here: TMX (tmx_write.c) and XLIFF (xliff.c) markup.
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "export_int.h"
#include "outpath.h"

#define OUT_BUFFER (64 * 1024)      /* bytes buffered before a write() */
#define TMP_SUFFIX ".tmp-XXXXXX"    /* mkstemp template appended to the target path */
#define SCORE_DECIMALS 10000        /* scores keep 4 decimals, as in TMX */
#define DEFAULT_SRC_LANG "ko"
#define DEFAULT_TGT_LANG "en"
#define LANG_MAX 64                 /* bytes of a language tag, NUL included */

/* ---- the all-or-nothing output file --------------------------------------- */

int ieum__outfile_error(ieum__outfile *f)
{
  int e = f->io_errno ? f->io_errno : (errno ? errno : EIO);
  if (!f->io_errno)
    f->io_errno = e;
  const char *name = !f->path || !strcmp(f->path, "-") ? "standard output" : f->path;
  return ieum__error_set(IEUM_EIO, "%s: cannot write: %s", name, strerror(e));
}

int ieum__outfile_open(ieum__outfile *f, const char *path)
{
  memset(f, 0, sizeof *f);
  f->fd = -1;
  if (!(f->path = ieum__strdup(path)))
    return ieum__error_oom();
  if (!strcmp(path, "-")) {
    fflush(stdout);
    f->fd = STDOUT_FILENO;
    return IEUM_OK;
  }
  char *real;
  const char *why;
  int direct;
  if (ieum__outpath_resolve(&real, &direct, path, &why) != 0) {
    int rc = ieum__error_set(IEUM_EIO, "%s: cannot write: %s", path, why);
    ieum__outfile_abandon(f);
    return rc;
  }
  if (direct) {
    /* A device, FIFO or socket: written as it is, never replaced. */
    f->fd = open(real, O_WRONLY | O_CLOEXEC);
    int e = errno;
    free(real);
    if (f->fd < 0) {
      int rc = ieum__error_set(IEUM_EIO, "%s: cannot write: %s", path, strerror(e));
      ieum__outfile_abandon(f);
      return rc;
    }
    f->direct = 1;
    return IEUM_OK;
  }
  size_t n = strlen(real);
  f->tmp = ieum__malloc(n + sizeof TMP_SUFFIX);
  if (f->tmp)
    memcpy(f->tmp, real, n);
  free(real); /* a symbolic link's target: the temporary file goes beside it */
  if (!f->tmp) {
    ieum__outfile_abandon(f);
    return ieum__error_oom();
  }
  memcpy(f->tmp + n, TMP_SUFFIX, sizeof TMP_SUFFIX);
  f->fd = mkstemp(f->tmp);
  if (f->fd < 0) {
    int e = errno;
    ieum__free(f->tmp);
    f->tmp = NULL;
    int rc = ieum__error_set(IEUM_EIO, "%s: cannot create the file: %s", path, strerror(e));
    ieum__outfile_abandon(f);
    return rc;
  }
  mode_t mask = umask(0); /* mkstemp makes 0600; an export gets the mode of any new file */
  umask(mask);
  if (fchmod(f->fd, 0666 & ~mask) != 0) {
    int rc = ieum__error_set(IEUM_EIO, "%s: cannot set the mode of %s: %s", path, f->tmp, strerror(errno));
    ieum__outfile_abandon(f);
    return rc;
  }
  return IEUM_OK;
}

static int flush_out(ieum__outfile *f)
{
  size_t done = 0;
  while (!f->io_errno && done < f->buf.size) {
    ssize_t n = write(f->fd, f->buf.ptr + done, f->buf.size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      f->io_errno = n < 0 ? errno : EIO;
    else
      done += (size_t)n;
  }
  ieum__buf_clear(&f->buf);
  return f->io_errno ? ieum__outfile_error(f) : IEUM_OK;
}

int ieum__outfile_write(ieum__outfile *f, const char *s, size_t n)
{
  if (f->io_errno)
    return ieum__outfile_error(f);
  int rc = ieum__buf_put(&f->buf, s, n);
  if (!rc && f->buf.size >= OUT_BUFFER)
    rc = flush_out(f);
  return rc;
}

int ieum__outfile_commit(ieum__outfile *f)
{
  int rc = flush_out(f);
  if (rc)
    goto done;
  if (f->direct) {
    int fd = f->fd;
    f->fd = -1;
    f->direct = 0;
    if (close(fd) != 0)
      rc = ieum__outfile_error(f);
    goto done;
  }
  if (!f->tmp)
    goto done; /* standard output */
  if (fsync(f->fd) != 0 && errno != EINVAL) {
    rc = ieum__outfile_error(f);
    goto done;
  }
  int fd = f->fd;
  f->fd = -1;
  if (close(fd) != 0) {
    rc = ieum__outfile_error(f);
    goto done;
  }
  /* The target is the temporary name less its suffix: a symbolic link's target, not the link. */
  size_t n = strlen(f->tmp) - (sizeof TMP_SUFFIX - 1);
  char keep = f->tmp[n];
  f->tmp[n] = '\0';
  char *target = ieum__strdup(f->tmp);
  f->tmp[n] = keep;
  if (!target) {
    rc = ieum__error_oom();
    goto done;
  }
  if (rename(f->tmp, target) != 0) {
    rc = ieum__error_set(IEUM_EIO, "%s: cannot move %s into place: %s", f->path, f->tmp, strerror(errno));
    ieum__free(target);
    goto done;
  }
  ieum__free(target);
  ieum__free(f->tmp);
  f->tmp = NULL;
done:
  ieum__outfile_abandon(f);
  return rc;
}

void ieum__outfile_abandon(ieum__outfile *f)
{
  if (f->direct && f->fd >= 0)
    close(f->fd);
  if (f->tmp) {
    if (f->fd >= 0)
      close(f->fd);
    unlink(f->tmp);
    ieum__free(f->tmp);
  }
  ieum__free(f->path);
  ieum_buf_dispose(&f->buf);
  memset(f, 0, sizeof *f);
  f->fd = -1;
}

/* ---- the export ---------------------------------------------------------- */

/* A unit tag last matched against one side of the pair: units of a TM mostly repeat their tags. */
typedef struct {
  char have[LANG_MAX]; /* "" = nothing yet */
  int match;
} lang_memo;

struct ieum_export {
  int format;
  char src_lang[LANG_MAX], tgt_lang[LANG_MAX];  /* the pair asked for: which units go out */
  char src_tag[LANG_MAX], tgt_tag[LANG_MAX];    /* TMX: the tags written for them (ieum_lang_export_tag) */
  lang_memo memo[2];      /* the last source and target tags of units looked at */
  ieum_tmx_writer *tmx;
  ieum_xliff__writer *xliff;
  ieum__outfile out[2];   /* line formats: out[0]; Moses: source, target */
  int n_out;
  ieum_buf line;          /* the line being built */
  ieum_buf plain[2];      /* a markup unit's texts as plain text */
  size_t count, skipped;
  size_t role_skipped;    /* units left out for their role */
  unsigned roles;         /* the roles kept (ieum_export_options.roles), IEUM_EXPORT_ROLES_ALL for every unit */
  int full_paths;         /* document names as stored, not their base names */
  ieum_buf docname;       /* the document name written for the unit at hand */
  ieum_unit_prop *plist;  /* the unit's metadata without its x-url item (public names) */
  size_t plist_cap;
  int reviewed_only;      /* ieum_export_options version 3 */
  double min_score, doubt_threshold;
  size_t review_skipped;  /* units left out by reviewed_only or min_score */
};

/*
** The name a client may see of document name s (ieum_unit.document): each
** part of "SRC|TGT" is its page's URL when `urls` ("SRC_URL|TGT_URL", the
** x-url item of ieum_tm_foreach_with_props(); may be NULL) has one, else
** its base name ("/home/kim/news/ko.txt" -> "ko.txt"); a part holding
** "://" (a URL already) is kept whole.
*/
static int public_name(ieum_buf *out, const char *s, const char *urls)
{
  int rc = IEUM_OK;
  ieum__buf_clear(out);
  while (!rc) {
    size_t n = strcspn(s, "|"), un = urls ? strcspn(urls, "|") : 0;
    const char *part = s;
    int url = 0;
    for (size_t i = 0; i + 2 < n; i++)
      url |= part[i] == ':' && part[i + 1] == '/' && part[i + 2] == '/';
    if (!url)
      for (size_t i = 0; i < n; i++)
        if (s[i] == '/' && i + 1 < n)
          part = s + i + 1;
    rc = un ? ieum__buf_put(out, urls, un) : ieum__buf_put(out, part, n - (size_t)(part - s));
    if (!rc && s[n] == '|')
      rc = ieum__buf_putc(out, '|');
    if (urls)
      urls = urls[un] == '|' ? urls + un + 1 : NULL;
    if (!s[n])
      break;
    s += n + 1;
  }
  return rc;
}

/* What a list of roles may name, for messages. */
#define ROLE_NAMES "body, headline, byline, caption, credit, dateline, related, furniture or all"

/* A role name no ieum_segment_role has: its bit, kept only by IEUM_EXPORT_ROLES_ALL. */
#define ROLE_UNKNOWN_BIT (1u << 31)

/* The roles bit of role name s[0..n), case-insensitive; 0 when no role has that name. */
static unsigned role_bit(const char *s, size_t n)
{
  for (int r = 0; r < IEUM_ROLE_COUNT; r++) {
    const char *name = ieum_segment_role_name(r);
    if (strlen(name) == n && strncasecmp(s, name, n) == 0)
      return 1u << r;
  }
  return 0;
}

int ieum_export_roles_parse(unsigned int *out, const char *list)
{
  unsigned bits = 0;
  *out = 0;
  if (!list || !*list)
    return ieum__error_set(IEUM_EINVAL, "no role given (" ROLE_NAMES ")");
  if (strcasecmp(list, "all") == 0) {
    *out = IEUM_EXPORT_ROLES_ALL;
    return IEUM_OK;
  }
  for (const char *p = list;;) {
    size_t n = strcspn(p, ",");
    unsigned bit = n ? role_bit(p, n) : 0;
    if (!n)
      return ieum__error_set(IEUM_EINVAL, "an empty role in the list '%.64s' (" ROLE_NAMES ")", list);
    if (!bit)
      return ieum__error_set(IEUM_EINVAL, "unknown role '%.*s' (" ROLE_NAMES ")", (int)(n < 64 ? n : 64), p);
    bits |= bit;
    if (!p[n])
      break;
    p += n + 1;
  }
  *out = bits;
  return IEUM_OK;
}

/* Does the export keep unit u, by its role? */
static int keeps_role(const ieum_export *e, const ieum_unit *u)
{
  if (e->roles == IEUM_EXPORT_ROLES_ALL)
    return 1;
  unsigned bit = !u->role ? 1u << IEUM_ROLE_BODY : role_bit(u->role, strlen(u->role));
  return (e->roles & (bit ? bit : ROLE_UNKNOWN_BIT)) != 0;
}

/* The unit's review status from its props (x-review-status), or NULL when not reviewed. */
static const char *review_status(const ieum_unit_prop *props, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (props[i].kind && !strcmp(props[i].kind, "prop") && props[i].type &&
        !strcmp(props[i].type, "x-review-status") && props[i].value && *props[i].value)
      return props[i].value;
  return NULL;
}

/* Does the export keep unit u, by its review and score (options version 3)? */
static int keeps_review(const ieum_export *e, const ieum_unit *u, const char *status)
{
  if (status)
    return 1;
  if (e->reviewed_only)
    return 0;
  return !(e->min_score > 0) || (u->score >= 0 && u->score >= e->min_score);
}

static const char *const format_names[] = { "tmx", "tsv", "jsonl", "xliff", "moses" };

int ieum_export_format_from_name(int *out, const char *name)
{
  for (int i = 0; i < (int)(sizeof format_names / sizeof *format_names); i++)
    if (name && !strcmp(name, format_names[i])) {
      *out = i;
      return IEUM_OK;
    }
  return ieum__error_set(IEUM_EINVAL, "unknown format '%s' (tmx, tsv, jsonl, xliff or moses)", name ? name : "");
}

static int set_lang(char dst[LANG_MAX], const char *lang)
{
  size_t n = strlen(lang);
  if (n == 0 || n >= LANG_MAX || strpbrk(lang, "/\\ \t\n"))
    return ieum__error_set(IEUM_EINVAL, "language tag \"%.64s\" is empty, too long or holds a slash or space",
                           lang);
  memcpy(dst, lang, n + 1);
  return IEUM_OK;
}

int ieum_export_open(ieum_export **out, const char *path, const ieum_export_options *opts)
{
  ieum_export *e = NULL;
  ieum_buf name = IEUM_BUF_INIT;
  int rc;
  *out = NULL;
  if (!(e = ieum__calloc(1, sizeof *e)))
    return ieum__error_oom();
  e->out[0].fd = e->out[1].fd = -1;
  e->format = opts ? opts->format : IEUM_EXPORT_TMX;
  e->roles = opts && opts->roles ? opts->roles : IEUM_EXPORT_ROLES_ALL;
  if (opts && opts->version >= 3) {
    if (!(opts->min_score >= 0 && opts->min_score <= 1) || !(opts->doubt_threshold >= 0 && opts->doubt_threshold <= 1)) {
      rc = ieum__error_set(IEUM_EINVAL, "export: min_score and doubt_threshold must be in [0,1]");
      goto done;
    }
    e->full_paths = opts->full_paths;
    e->reviewed_only = opts->reviewed_only;
    e->min_score = opts->min_score;
    e->doubt_threshold = opts->doubt_threshold;
  }
  if ((rc = set_lang(e->src_lang, opts && opts->src_lang ? opts->src_lang : DEFAULT_SRC_LANG)) != 0 ||
      (rc = set_lang(e->tgt_lang, opts && opts->tgt_lang ? opts->tgt_lang : DEFAULT_TGT_LANG)) != 0)
    goto done;
  /* Region codes unless plain tags are asked for; plain tags of one language (en-US -> en-GB) keep them. */
  int plain = opts && opts->version >= 2 && opts->plain_tags;
  if ((rc = ieum_lang_export_tag(e->src_tag, LANG_MAX, e->src_lang, plain)) != 0 ||
      (rc = ieum_lang_export_tag(e->tgt_tag, LANG_MAX, e->tgt_lang, plain)) != 0)
    goto done;
  if (plain && !strcmp(e->src_tag, e->tgt_tag) &&
      ((rc = ieum_lang_export_tag(e->src_tag, LANG_MAX, e->src_lang, 0)) != 0 ||
       (rc = ieum_lang_export_tag(e->tgt_tag, LANG_MAX, e->tgt_lang, 0)) != 0))
    goto done;
  switch (e->format) {
  case IEUM_EXPORT_TMX: {
    ieum_tmx_header h = IEUM_TMX_HEADER_INIT;
    h.src_lang = e->src_tag;
    h.tgt_lang = e->tgt_tag;
    rc = ieum_tmx_writer_open(&e->tmx, path, &h);
    break;
  }
  case IEUM_EXPORT_XLIFF:
    rc = ieum_xliff__open(&e->xliff, path, e->src_lang, e->tgt_lang);
    break;
  case IEUM_EXPORT_TSV:
  case IEUM_EXPORT_JSONL:
    rc = ieum__outfile_open(&e->out[0], path);
    e->n_out = rc ? 0 : 1;
    break;
  case IEUM_EXPORT_MOSES:
    if (!strcmp(path, "-") || !*path) {
      rc = ieum__error_set(IEUM_EINVAL, "moses: a file name prefix is needed, not '%s'", path);
      break;
    }
    for (int i = 0; i < 2 && !rc; i++) {
      ieum__buf_clear(&name);
      if (!(rc = ieum__buf_printf(&name, "%s.%s", path, i ? e->tgt_lang : e->src_lang)) &&
          !(rc = ieum__outfile_open(&e->out[i], name.ptr)))
        e->n_out = i + 1;
    }
    if (!rc && !strcasecmp(e->src_lang, e->tgt_lang))
      rc = ieum__error_set(IEUM_EINVAL, "%s: moses: source and target language are both %s", path, e->src_lang);
    break;
  default:
    rc = ieum__error_set(IEUM_EINVAL, "%s: unknown export format %d", path, e->format);
  }
done:
  ieum_buf_dispose(&name);
  if (rc) {
    ieum_export_free(e);
    return rc;
  }
  *out = e;
  return IEUM_OK;
}

/* Whether a unit's tag `have` is the export's `want` (ieum_lang_matches), remembering the last answer. */
static int same_lang(lang_memo *m, const char *want, const char *have)
{
  if (!have)
    return 1; /* unknown: take it */
  if (m->have[0] && !strcmp(m->have, have))
    return m->match;
  int match = ieum_lang_matches(want, have);
  size_t n = strlen(have);
  if (n < LANG_MAX) {
    memcpy(m->have, have, n + 1);
    m->match = match;
  }
  return match;
}

/* Appends "0.9312" (4 decimals, no locale) or nothing for an unknown score. */
static int put_score(ieum_buf *b, double score)
{
  if (!(score >= 0) || !isfinite(score))
    return IEUM_OK;
  double scaled = floor(score * SCORE_DECIMALS + 0.5);
  if (scaled >= (double)INT64_MAX)
    return IEUM_OK;
  int64_t v = (int64_t)scaled;
  return ieum__buf_printf(b, "%" PRId64 ".%04" PRId64, v / SCORE_DECIMALS, v % SCORE_DECIMALS);
}

/* TSV field: \t \n \r \\ escaped. */
static int put_tsv(ieum_buf *b, const char *s, size_t n)
{
  int rc = IEUM_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    switch (s[i]) {
    case '\t': rc = ieum__buf_puts(b, "\\t"); break;
    case '\n': rc = ieum__buf_puts(b, "\\n"); break;
    case '\r': rc = ieum__buf_puts(b, "\\r"); break;
    case '\\': rc = ieum__buf_puts(b, "\\\\"); break;
    default: rc = ieum__buf_putc(b, s[i]);
    }
  }
  return rc;
}

/* Moses line: line breaks and tabs become spaces. */
static int put_moses(ieum_buf *b, const char *s, size_t n)
{
  int rc = IEUM_OK;
  for (size_t i = 0; i < n && !rc; i++)
    rc = ieum__buf_putc(b, s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
  return rc;
}

/* A JSON string with quotes; control characters as \u00XX. */
static int put_json(ieum_buf *b, const char *s, size_t n)
{
  int rc = ieum__buf_putc(b, '"');
  for (size_t i = 0; i < n && !rc; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': rc = ieum__buf_puts(b, "\\\""); break;
    case '\\': rc = ieum__buf_puts(b, "\\\\"); break;
    case '\n': rc = ieum__buf_puts(b, "\\n"); break;
    case '\r': rc = ieum__buf_puts(b, "\\r"); break;
    case '\t': rc = ieum__buf_puts(b, "\\t"); break;
    default:
      rc = c < 0x20 ? ieum__buf_printf(b, "\\u%04x", c) : ieum__buf_putc(b, (char)c);
    }
  }
  return rc ? rc : ieum__buf_putc(b, '"');
}

static int put_json_field(ieum_buf *b, const char *key, const char *s)
{
  int rc = ieum__buf_printf(b, ",\"%s\":", key);
  return rc ? rc : put_json(b, s, strlen(s));
}

static int jsonl_line(ieum_buf *b, const ieum_unit *u, const ieum_unit_prop *props, size_t n, const ieum_export *e)
{
  int rc = ieum__buf_puts(b, "{\"src\":");
  if (!rc)
    rc = put_json(b, u->src ? u->src : "", u->src_len);
  if (!rc)
    rc = ieum__buf_puts(b, ",\"tgt\":");
  if (!rc)
    rc = put_json(b, u->tgt ? u->tgt : "", u->tgt_len);
  if (!rc)
    rc = put_json_field(b, "src_lang", u->src_lang ? u->src_lang : e->src_lang);
  if (!rc)
    rc = put_json_field(b, "tgt_lang", u->tgt_lang ? u->tgt_lang : e->tgt_lang);
  if (!rc && u->score >= 0 && isfinite(u->score)) {
    rc = ieum__buf_puts(b, ",\"score\":");
    if (!rc)
      rc = put_score(b, u->score);
  }
  if (!rc && u->bead)
    rc = put_json_field(b, "bead", u->bead);
  if (!rc && u->role)
    rc = put_json_field(b, "role", u->role);
  if (!rc && u->document)
    rc = put_json_field(b, "document", u->document);
  if (!rc && u->position >= 0)
    rc = ieum__buf_printf(b, ",\"position\":%" PRId64, u->position);
  if (!rc && u->created > 0) {
    time_t t = (time_t)u->created;
    struct tm tm;
    char date[32];
    if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
      rc = put_json_field(b, "created", date);
  }
  if (!rc && u->note && !n)
    rc = put_json_field(b, "note", u->note);
  if (!rc && n) {
    rc = ieum__buf_puts(b, ",\"props\":[");
    for (size_t i = 0; i < n && !rc; i++) {
      rc = ieum__buf_puts(b, i ? ",{\"kind\":" : "{\"kind\":");
      if (!rc)
        rc = put_json(b, props[i].kind ? props[i].kind : "", props[i].kind ? strlen(props[i].kind) : 0);
      if (!rc && props[i].type)
        rc = put_json_field(b, "type", props[i].type);
      if (!rc && props[i].lang)
        rc = put_json_field(b, "lang", props[i].lang);
      if (!rc)
        rc = put_json_field(b, "value", props[i].value ? props[i].value : "");
      if (!rc)
        rc = ieum__buf_putc(b, '}');
    }
    if (!rc)
      rc = ieum__buf_putc(b, ']');
  }
  if (!rc)
    rc = ieum__buf_puts(b, "}\n");
  return rc;
}

/* Inline codes whose content is not segment text (as the TMX reader drops them). */
static int is_code(const xmlChar *name)
{
  static const char *const codes[] = { "bpt", "ept", "ph", "it", "ut" };
  for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
    if (!strcmp((const char *)name, codes[i]))
      return 1;
  return 0;
}

static int plain_walk(ieum_buf *out, xmlNodePtr n)
{
  int rc = IEUM_OK;
  for (; n && !rc; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      rc = n->content ? ieum__buf_puts(out, (const char *)n->content) : IEUM_OK;
    else if (n->type == XML_ELEMENT_NODE && !is_code(n->name))
      rc = plain_walk(out, n->children);
  }
  return rc;
}

/*
** The plain text of a TMX inline fragment (a unit imported with its tags
** kept): codes dropped with their content, hi/sub text kept, entities
** decoded; what single-pair formats carry.  Parsed with no network.
*/
static int plain_text(ieum_buf *out, const char *s, size_t n, const char *path, int64_t id)
{
  ieum_buf doc = IEUM_BUF_INIT;
  ieum__buf_clear(out);
  int rc = ieum__buf_puts(&doc, "<seg>");
  if (!rc)
    rc = ieum__buf_put(&doc, s, n);
  if (!rc)
    rc = ieum__buf_puts(&doc, "</seg>");
  if (!rc && doc.size > INT32_MAX)
    rc = ieum__error_set(IEUM_ELIMIT, "%s: unit %" PRId64 ": text too long", path, id);
  if (rc) {
    ieum_buf_dispose(&doc);
    return rc;
  }
  xmlDocPtr d = xmlReadMemory(doc.ptr, (int)doc.size, NULL, "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ieum_buf_dispose(&doc);
  if (!d)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": text marked as TMX markup is not well-formed", path,
                           id);
  xmlNodePtr root = xmlDocGetRootElement(d);
  rc = plain_walk(out, root ? root->children : NULL);
  if (!rc && !out->ptr)
    rc = ieum__buf_puts(out, "");
  xmlFreeDoc(d);
  return rc;
}

int ieum_export_add(ieum_export *e, const ieum_unit *unit, const ieum_unit_prop *props, size_t n_props)
{
  int rc = IEUM_OK;
  const char *s = unit->src ? unit->src : "", *t = unit->tgt ? unit->tgt : "";
  if (!keeps_role(e, unit)) {
    e->role_skipped++;
    return IEUM_OK;
  }
  const char *status = review_status(props, n_props);
  if (!keeps_review(e, unit, status)) {
    e->review_skipped++;
    return IEUM_OK;
  }
  if (e->format != IEUM_EXPORT_JSONL && (!same_lang(&e->memo[0], e->src_lang, unit->src_lang) ||
                                          !same_lang(&e->memo[1], e->tgt_lang, unit->tgt_lang))) {
    e->skipped++;
    return IEUM_OK;
  }
  ieum_unit named;
  size_t url_at = SIZE_MAX;
  for (size_t i = 0; i < n_props; i++)
    if (props[i].kind && props[i].type && !strcmp(props[i].kind, "prop") && !strcmp(props[i].type, "x-url"))
      url_at = i;
  const char *urls = url_at != SIZE_MAX ? props[url_at].value : NULL;
  if (urls && !e->full_paths) {
    /* The URLs stand in x-document: the item itself goes no further. */
    if (n_props > e->plist_cap) {
      ieum_unit_prop *l = ieum__realloc(e->plist, n_props * sizeof *l);
      if (!l)
        return ieum__error_oom();
      e->plist = l;
      e->plist_cap = n_props;
    }
    size_t k = 0;
    for (size_t i = 0; i < n_props; i++)
      if (i != url_at)
        e->plist[k++] = props[i];
    props = e->plist;
    n_props = k;
  }
  if (unit->document && !e->full_paths) {
    if ((rc = public_name(&e->docname, unit->document, urls)) != 0)
      return rc;
    named = *unit;
    named.document = e->docname.ptr ? e->docname.ptr : "";
    unit = &named;
  }
  if (e->format == IEUM_EXPORT_TMX) {
    /* One pair, one spelling of it: every unit carries the header's tags. */
    ieum_unit tagged = *unit;
    tagged.src_lang = e->src_tag;
    tagged.tgt_lang = e->tgt_tag;
    if ((rc = ieum_tmx_writer_add_props(e->tmx, &tagged, props, n_props)) == 0)
      e->count++;
    return rc;
  }
  /* Single-pair formats carry plain text: a unit kept with its TMX markup loses it here. */
  ieum_unit plain = *unit;
  int markup = 0;
  for (size_t i = 0; i < n_props; i++)
    markup |= props[i].kind && props[i].type && props[i].value && !strcmp(props[i].kind, "attr") &&
              !strcmp(props[i].type, "x-inline") && !strcmp(props[i].value, "tmx");
  if (markup && e->format != IEUM_EXPORT_JSONL) {
    const char *path = e->out[0].path ? e->out[0].path : "export";
    if ((rc = plain_text(&e->plain[0], s, unit->src_len, path, unit->id)) != 0 ||
        (rc = plain_text(&e->plain[1], t, unit->tgt_len, path, unit->id)) != 0)
      return rc;
    plain.src = s = e->plain[0].ptr;
    plain.src_len = e->plain[0].size;
    plain.tgt = t = e->plain[1].ptr;
    plain.tgt_len = e->plain[1].size;
    unit = &plain;
  }
  if (e->format == IEUM_EXPORT_XLIFF) {
    char sub[40];
    const char *state = NULL, *sub_state = NULL;
    if (status) {
      snprintf(sub, sizeof sub, "ieum:%.30s", status);
      state = "final";
      sub_state = sub;
    } else if (e->doubt_threshold > 0 && unit->score >= 0 && unit->score < e->doubt_threshold) {
      sub_state = "ieum:needs-review-translation";
    }
    if ((rc = ieum_xliff__add(e->xliff, unit, props, n_props, state, sub_state)) == 0)
      e->count++;
    return rc;
  }
  if (ieum__utf8_invalid_at(s, unit->src_len) < unit->src_len ||
      ieum__utf8_invalid_at(t, unit->tgt_len) < unit->tgt_len)
    return ieum__error_set(IEUM_EINVAL, "%s: unit %" PRId64 ": invalid UTF-8", e->out[0].path, unit->id);
  ieum__buf_clear(&e->line);
  switch (e->format) {
  case IEUM_EXPORT_TSV:
    if (!(rc = put_tsv(&e->line, s, unit->src_len)) && !(rc = ieum__buf_putc(&e->line, '\t')) &&
        !(rc = put_tsv(&e->line, t, unit->tgt_len)) && !(rc = ieum__buf_putc(&e->line, '\t')) &&
        !(rc = put_score(&e->line, unit->score)))
      rc = ieum__buf_putc(&e->line, '\n');
    if (!rc)
      rc = ieum__outfile_write(&e->out[0], e->line.ptr, e->line.size);
    break;
  case IEUM_EXPORT_JSONL:
    if (!(rc = jsonl_line(&e->line, unit, props, n_props, e)))
      rc = ieum__outfile_write(&e->out[0], e->line.ptr, e->line.size);
    break;
  case IEUM_EXPORT_MOSES:
    if (!(rc = put_moses(&e->line, s, unit->src_len)) && !(rc = ieum__buf_putc(&e->line, '\n')))
      rc = ieum__outfile_write(&e->out[0], e->line.ptr, e->line.size);
    ieum__buf_clear(&e->line);
    if (!rc && !(rc = put_moses(&e->line, t, unit->tgt_len)) && !(rc = ieum__buf_putc(&e->line, '\n')))
      rc = ieum__outfile_write(&e->out[1], e->line.ptr, e->line.size);
    break;
  }
  if (!rc)
    e->count++;
  return rc;
}

size_t ieum_export_count(const ieum_export *e)
{
  return e->count;
}

size_t ieum_export_skipped(const ieum_export *e)
{
  return e->skipped;
}

size_t ieum_export_role_skipped(const ieum_export *e)
{
  return e->role_skipped;
}

size_t ieum_export_review_skipped(const ieum_export *e)
{
  return e->review_skipped;
}

int ieum_export_close(ieum_export *e)
{
  int rc = IEUM_OK;
  if (e->tmx) {
    rc = ieum_tmx_writer_close(e->tmx);
    e->tmx = NULL;
  } else if (e->xliff) {
    rc = ieum_xliff__close(e->xliff);
    e->xliff = NULL;
  } else {
    for (int i = 0; i < e->n_out && !rc; i++)
      rc = ieum__outfile_commit(&e->out[i]);
  }
  ieum_export_free(e);
  return rc;
}

void ieum_export_free(ieum_export *e)
{
  if (!e)
    return;
  ieum_tmx_writer_free(e->tmx);
  ieum_xliff__free(e->xliff);
  for (int i = 0; i < 2; i++)
    ieum__outfile_abandon(&e->out[i]);
  ieum_buf_dispose(&e->line);
  ieum_buf_dispose(&e->docname);
  ieum__free(e->plist);
  ieum_buf_dispose(&e->plain[0]);
  ieum_buf_dispose(&e->plain[1]);
  ieum__free(e);
}
