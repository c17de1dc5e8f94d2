/*
** tests/fuzz/fuzz.h: what the fuzz harnesses of tests/fuzz/ share.
**
** Each harness fuzz_<name>.c defines LLVMFuzzerTestOneInput() and nothing
** else that is exported; it is linked either with libFuzzer (meson option
** -Dfuzzing=true, clang) or with replay.c, whose main() runs it over every
** file of a corpus folder (the test suite's fuzz/<name> tests, any
** compiler).  fuzz_common.c gives them: splitting a two- or three-part input
** on FUZZ_SEP, a per-process temporary folder for harnesses that must hand
** the library a file, and checks of the library's contracts (a failure's
** error message, a document's segments, an alignment's ladder) that
** abort() on a violation, so that libFuzzer and the replay both report it.
** Not here: the harnesses themselves, the corpus (corpus/<name>/).
*/
#ifndef IEUM_FUZZ_H
#define IEUM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "ieum.h"

/* The entry point libFuzzer calls once per input; 0 always (a violation aborts). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
** Separator of the parts of a multi-part input (SRX rules, then text; a
** dictionary, then two documents; two documents): a line holding "%%%%".
*/
#define FUZZ_SEP "\n%%%%\n"
#define FUZZ_SEP_LEN (sizeof FUZZ_SEP - 1)

typedef struct {
  const char *p; /* borrowed from the input */
  size_t n;      /* bytes */
} fuzz_part;

/*
** Splits data[0..size) on FUZZ_SEP into at most `max` parts (the last part
** keeps any further separator); returns how many parts were found (>= 1).
*/
size_t fuzz_split(fuzz_part *parts, size_t max, const uint8_t *data, size_t size);

/*
** Writes data[0..len) to the file `name` in this process's temporary folder
** (made on first use under $TMPDIR or /tmp, removed with what it holds at
** exit) and returns its path, static until the next call with the same
** `slot` (0..3).  Aborts when the file cannot be written: that is the
** harness's environment failing, not the library.
*/
const char *fuzz_file(int slot, const char *name, const void *data, size_t len);

/* The path `name` in the temporary folder (for files the library writes); same slots. */
const char *fuzz_path(int slot, const char *name);

/* Removes the file `path` if it is there. */
void fuzz_unlink(const char *path);

/* Prints "fuzz: FILE:LINE: message" on stderr and aborts. */
void fuzz_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4), noreturn));

#define FUZZ_CHECK(cond, ...)                                                         \
  do {                                                                                \
    if (!(cond))                                                                      \
      fuzz_fail(__FILE__, __LINE__, __VA_ARGS__);                                     \
  } while (0)

/*
** A failure's contract: `rc` is one of the IEUM_E* codes, the last error
** has that code and a one-line message, which names `name` (unless it is
** IEUM_ENOMEM).  `what` names the call in the report.
*/
void fuzz_check_error(int rc, const char *name, const char *what);

/* data[0..len) is valid UTF-8 (names `what` in the report). */
void fuzz_check_utf8(const char *data, size_t len, const char *what);

/*
** The invariants of a finished document made from text[0..len) (see
** align/align_int.h): segments in order, their byte ranges inside the text
** and not overlapping, each one's text the text of its range with white
** space trimmed and folded to single spaces (so non-empty valid UTF-8),
** paragraphs non-decreasing, roles known.
*/
void fuzz_check_doc(const ieum_doc *doc, const char *text, size_t len);

/*
** The invariants of a ladder (include/ieum/align.h): every segment of `src`
** and of `tgt` in exactly one bead, in order; each bead of a shape in the
** documented set (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3); each score in
** [0,1]; the ratio positive and finite; ieum_bead_text() of each bead is
** its segments joined by spaces.
*/
void fuzz_check_ladder(const ieum_alignment *al, const ieum_doc *src, const ieum_doc *tgt);

/* Options of fuzz_align(), one letter each in an input's option part. */
typedef struct {
  int lines;          /* 'l': presegmented lines instead of sentences */
  int blank;          /* 'b': only blank lines end paragraphs */
  unsigned threads;   /* 't': two threads (else one) */
  double ratio;       /* 'r': a fixed length ratio of 1.0 (else estimated) */
  size_t band;        /* 'w': the narrowest band, 1 (else the default) */
} fuzz_align_opts;

/* Reads the option letters of part[0..n) into `o` (other bytes are ignored). */
void fuzz_align_opts_parse(fuzz_align_opts *o, const char *p, size_t n);

/*
** Decodes src and tgt as files would be (inputs that do not decode are
** dropped: fuzz_text.c covers decoding), segments them (Korean, English)
** and aligns them with `lex` (NULL: the built-in lexicon), checking both
** documents (fuzz_check_doc) and the ladder (fuzz_check_ladder).
*/
void fuzz_align(const fuzz_part *src, const fuzz_part *tgt, const ieum_lexicon *lex, const fuzz_align_opts *o);

#endif
