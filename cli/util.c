/*
** cli/util.c: helpers shared by the subcommands: diagnostics, standard
** output write errors, language tags (checked by the library), number
** parsing, JSON string output and output files (atomic for regular files,
** straight through for devices and FIFOs: util/outpath.c decides).
*/
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outpath.h"

void cli_error(const char *fmt, ...)
{
  va_list ap;
  fputs("ieum: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int cli_lib_error(int rc)
{
  const ieum_error *e = ieum_error_last();
  cli_error("%s", e && e->message[0] ? e->message : ieum_strerror(rc));
  return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  fputs("ieum: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'ieum %s --help'.\n", cmd);
  return CLI_USAGE;
}

int cli_stdout_done(int rc)
{
  errno = 0;
  if (fflush(stdout) == 0 && !ferror(stdout))
    return rc;
  int err = errno;
  cli_error("standard output: write error%s%s", err ? ": " : "", err ? strerror(err) : "");
  clearerr(stdout); /* reported: a later check does not report it again */
  return CLI_FAIL;
}

int cli_lang_arg(const char **out, char buf[IEUM_LANG_MAX], const char *opt, const char *tag)
{
  int rc = ieum_lang_canonicalize(buf, IEUM_LANG_MAX, tag);
  if (rc) {
    const ieum_error *e = ieum_error_last();
    cli_error("%s: %s", opt, e && e->message[0] ? e->message : ieum_strerror(rc));
    return CLI_USAGE;
  }
  *out = buf;
  return CLI_OK;
}

int cli_parse_double(const char *s, double lo, double hi, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || isnan(v) || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

void cli_json_string(FILE *f, const char *s, size_t len)
{
  fputc('"', f);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (c < 0x20)
        fprintf(f, "\\u%04x", c);
      else
        fputc(c, f);
    }
  }
  fputc('"', f);
}

int cli_output_open(cli_output *o, const char *path)
{
  int direct;
  memset(o, 0, sizeof *o);
  if (!path || !strcmp(path, "-")) {
    o->f = stdout;
    return CLI_OK;
  }
  const char *why;
  if (ieum__outpath_resolve(&o->path, &direct, path, &why) != 0) {
    cli_error("%s: cannot write: %s", path, why);
    return CLI_FAIL;
  }
  o->name = strdup(path);
  if (!o->name) {
    cli_error("%s: out of memory", path);
    goto fail;
  }
  if (direct) {
    /* A device, FIFO or socket: opened as it is, never truncated or replaced. */
    o->f = fopen(o->path, "w");
    if (!o->f) {
      cli_error("%s: cannot write: %s", path, strerror(errno));
      goto fail;
    }
    return CLI_OK;
  }
  size_t n = strlen(o->path);
  o->tmp = malloc(n + 16);
  if (!o->tmp) {
    cli_error("%s: out of memory", path);
    goto fail;
  }
  snprintf(o->tmp, n + 16, "%s.tmp-XXXXXX", o->path);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    cli_error("%s: cannot create: %s", path, strerror(errno));
    goto fail;
  }
  /* mkstemp creates 0600; give the result the mode any new file would get. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  o->f = fdopen(fd, "w");
  if (!o->f) {
    cli_error("%s: cannot create: %s", path, strerror(errno));
    close(fd);
    unlink(o->tmp);
    goto fail;
  }
  return CLI_OK;
fail:
  free(o->path);
  free(o->name);
  free(o->tmp);
  memset(o, 0, sizeof *o);
  return CLI_FAIL;
}

int cli_output_close(cli_output *o, int ok)
{
  int rc = CLI_OK;
  if (!o->f)
    return CLI_FAIL;
  if (!o->path) {
    rc = cli_stdout_done(CLI_OK);
    o->f = NULL;
    return ok ? rc : CLI_FAIL;
  }
  int failed = ferror(o->f) != 0;
  if (fclose(o->f) != 0)
    failed = 1;
  if (ok && failed) {
    cli_error("%s: write error: %s", o->name, strerror(errno));
    rc = CLI_FAIL;
  }
  if (o->tmp) {
    if (ok && !failed && rename(o->tmp, o->path) != 0) {
      cli_error("%s: cannot write: %s", o->name, strerror(errno));
      rc = CLI_FAIL;
    }
    if (!ok || rc != CLI_OK)
      unlink(o->tmp);
  }
  free(o->path);
  free(o->name);
  free(o->tmp);
  memset(o, 0, sizeof *o);
  return ok ? rc : CLI_FAIL;
}

int cli_parse_from(const char *s)
{
  static const char *const names[] = { "auto", "text", "html", "presegmented" };
  for (int k = 0; k < 4; k++)
    if (!strcmp(s, names[k]))
      return k;
  return -1;
}

const char *cli_user(const char *given)
{
  if (given)
    return given;
  const char *forced = getenv("IEUM_USER");
  if (forced && *forced)
    return forced;
  struct passwd *pw = getpwuid(geteuid());
  if (pw && pw->pw_name && *pw->pw_name)
    return pw->pw_name;
  const char *env = getenv("LOGNAME");
  if (!env || !*env)
    env = getenv("USER");
  return env && *env ? env : NULL;
}

/*
** --plain-tags (tm import, align, batch): a TM without units is set to store plain codes (in
** its own transaction); a TM holding units keeps its form, and saying
** otherwise is an error rather than a TM of two forms.
*/
int cli_tm_plain_tags(ieum_tm *tm, const char *tm_path)
{
  if (ieum_tm_lang_tags(tm) == IEUM_TM_TAGS_PLAIN)
    return CLI_OK;
  ieum_tm_stats st;
  int rc = ieum_tm_stats_get(&st, tm);
  if (rc)
    return cli_lib_error(rc);
  if (st.units > 0) {
    cli_error("%s: the TM stores language tags with region codes (ko-KR) and holds %lld units: --plain-tags "
              "chooses the form of a new TM only",
              tm_path, (long long)st.units);
    return CLI_FAIL;
  }
  if ((rc = ieum_tm_begin(tm)) != 0 || (rc = ieum_tm_set_lang_tags(tm, IEUM_TM_TAGS_PLAIN)) != 0 ||
      (rc = ieum_tm_commit(tm)) != 0) {
    cli_lib_error(rc);
    ieum_tm_rollback(tm);
    return CLI_FAIL;
  }
  return CLI_OK;
}
