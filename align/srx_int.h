/*
** align/srx_int.h: SRX rules compiled for one language (internal to align/).
**
** An ieum_srx (srx.c) keeps an SRX file's rules as text.  Segmenting a
** document with it first compiles the rules that apply to the document's
** language, in cascade order, into an ieum_srx_run: two ICU regular
** expressions per rule (beforebreak, afterbreak).  The run then yields the
** break offsets of one paragraph at a time.
*/
#ifndef IEUM_SRX_INT_H
#define IEUM_SRX_INT_H

#include "align_int.h"

typedef struct ieum_srx_run ieum_srx_run;

/*
** Compiles the rules of `srx` that apply to `lang` (NULL = "und") into
** `*out` (free with ieum_srx__run_free(), before `srx`: the run borrows its
** names and patterns for messages).  Errors: IEUM_EPARSE (a pattern is not
** a valid regular expression; the message names the file, the
** languagerule and the pattern), IEUM_ENOMEM.
*/
int ieum_srx__compile(ieum_srx_run **out, const ieum_srx *srx, const char *lang);

void ieum_srx__run_free(ieum_srx_run *run);

/*
** Break offsets of the paragraph p[0..n), strictly between 0 and n and in
** increasing order, written to run-owned memory: *out points to *count
** offsets, valid until the next call.  A position is a break when the first
** rule (in cascade order) whose beforebreak matches up to it and whose
** afterbreak matches from it is a break="yes" rule, as in SRX 2.0 and
** OmegaT.  `base` is the byte offset of p in its document, for messages.
** Errors: IEUM_ELIMIT (a pattern ran over ICU's time or backtracking
** stack limit, srx.c: the message names the SRX file, the languagerule,
** the rule's number and pattern, and the byte of the document where the
** match began), IEUM_ENOMEM, IEUM_ERROR (ICU).
*/
int ieum_srx__breaks(ieum_srx_run *run, const char *p, size_t n, size_t base, const size_t **out,
                     size_t *count);

#endif
