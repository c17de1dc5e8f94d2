/*
** cli/cli.h: what the command-line front end's files share.
**
** The front end is thin: each subcommand parses its options, calls the
** public API of libieum (include/ieum.h only) and prints.  Data goes to
** stdout; every diagnostic goes through cli_error() to stderr as one line
** "ieum: FILE: what is wrong".  Exit codes: CLI_OK 0, CLI_FAIL 1 (a runtime
** error), CLI_USAGE 2 (a usage error).
*/
#ifndef IEUM_CLI_H
#define IEUM_CLI_H

#include <stdio.h>

#include <ieum.h>

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* Prints "ieum: <message>" on stderr. */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Prints the library's last error as "ieum: <message>" and returns CLI_FAIL. */
int cli_lib_error(int rc);

/* Prints "ieum: <message>" and "Try 'ieum CMD --help'." and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/*
** Flushes standard output and checks it for a write error (a full disk,
** /dev/full): prints "ieum: standard output: write error: ..." once and
** returns CLI_FAIL then, else `rc`.  Every command that prints to standard
** output returns through it, help pages included.
*/
int cli_stdout_done(int rc);

/*
** Checks the language tag `tag` given to option `opt` ("--src-lang") with
** ieum_lang_canonicalize() and points *out at its canonical form, kept in
** `buf`.  A bad tag gets one line, "ieum: --src-lang: 'xx-bogus': unknown
** language 'xx' (...)", and CLI_USAGE; else CLI_OK.
*/
/*
** Who adds units to a TM: `given` (--user) when not NULL, else $IEUM_USER,
** else the login name of the effective user (the password database, then
** $LOGNAME and $USER); NULL when none is known.  Borrowed (static storage or `given`).
*/
const char *cli_user(const char *given);

/*
** --plain-tags: makes a TM without units store language tags as plain codes
** (ko, en; ieum_tm_set_lang_tags()), in its own transaction; a TM holding
** units of the region form gets one line saying so and CLI_FAIL.
*/
int cli_tm_plain_tags(ieum_tm *tm, const char *tm_path);

int cli_lang_arg(const char **out, char buf[IEUM_LANG_MAX], const char *opt, const char *tag);

/* Parses a number in [lo,hi]; returns 0 on success. */
int cli_parse_double(const char *s, double lo, double hi, double *out);

/* Writes `s[0..len)` as a JSON string (with quotes) to `f`. */
void cli_json_string(FILE *f, const char *s, size_t len);

/*
** An output stream: stdout for NULL or "-".  A regular file (or a new path)
** is written to a temporary file beside it that cli_output_close() renames
** into place, so a failed run never leaves a half-written file.  A character
** device, FIFO or socket is written straight through and stays what it is.
** A symbolic link is followed to its target, which is written as above; the
** link stays.  A directory or a link to a missing file is refused.
*/
typedef struct {
  FILE *f;
  char *path;  /* the file written (a link's target), NULL for stdout */
  char *name;  /* the path as given, for messages */
  char *tmp;   /* temporary path, NULL when written straight through */
} cli_output;

int cli_output_open(cli_output *o, const char *path);
/* Flushes and renames; `ok` = 0 discards the file.  Returns CLI_OK or CLI_FAIL. */
int cli_output_close(cli_output *o, int ok);

/* What an input file is (--from): chosen by content, plain text, an HTML page, one segment per line. */
enum { CLI_FROM_AUTO = IEUM_INPUT_AUTO, CLI_FROM_TEXT = IEUM_INPUT_TEXT, CLI_FROM_HTML = IEUM_INPUT_HTML,
       CLI_FROM_PRESEGMENTED = IEUM_INPUT_PRESEGMENTED };

/* The CLI_FROM_* named by `s` ("auto", "text", "html", "presegmented"), or -1. */
int cli_parse_from(const char *s);

/* Subcommands. */
int cmd_align(int argc, char **argv);
int cmd_segment(int argc, char **argv);
int cmd_extract(int argc, char **argv); /* cmd_extract.c */
int cmd_tm(int argc, char **argv);
int cmd_tmq_owns(const char *sub); /* search, concordance, merge, dedupe, delete: cmd_tmq.c */
int cmd_tmq(int argc, char **argv);
int cmd_tm_learn(int argc, char **argv); /* `ieum tm learn`: cmd_learn.c */
int cmd_tm_copy(int argc, char **argv); /* `ieum tm copy`: cmd_tmcopy.c */
/* The lexicon of `ieum align` (cmd_learn.c: ieum_pipeline_lexicon()): NULL = built-in, or with dictionaries / a
   TM's learned pairs.  Prints its error; returns CLI_OK or CLI_FAIL. */
#define CLI_MAX_DICTS 16
int cli_align_lexicon(ieum_lexicon **out, const char *const *dicts, int n_dicts, const char *tm_path);

/*
** The length ratio of the TM at tm_path for src_lang -> tgt_lang and its
** weight, into opts->prior_ratio and prior_chars (ieum_pipeline_prior(): 0
** when the TM is missing or its confident 1-1 units of the pair are too few
** to trust).  Prints its error; returns CLI_OK or CLI_FAIL.
*/
int cli_align_prior(ieum_align_options *opts, const char *tm_path, const char *src_lang, const char *tgt_lang);
int cmd_eval(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_tm_report(int argc, char **argv); /* `ieum tm report`: cmd_review.c */
/* Writes the static review report of `d` to `path` (NULL or "-": standard output) atomically; CLI_OK or CLI_FAIL. */
int cli_review_report(const char *path, const ieum_review_doc *d, double threshold);
int cmd_batch(int argc, char **argv);
int cmd_serve(int argc, char **argv); /* cmd_serve.c, over server/ */

#endif
