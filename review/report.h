/*
** review/report.h: the static review report, one self-contained HTML file
** (`ieum align --report`, `ieum tm report`).
**
** The report shows a document's rows (include/ieum/review.h) side by side
** as the review page does, colored by confidence, read-only: no script, no
** external asset (the page's style sheet is embedded), so it can be mailed
** or attached to a job.  Compiled into the CLI with the review page.
** Not here: the live app (server.c).
*/
#ifndef IEUM_REVIEW_REPORT_H
#define IEUM_REVIEW_REPORT_H

#include <stdio.h>

#include <ieum.h>

/*
** Writes the report of `d` to `f`; rows of units not reviewed scoring
** under `threshold` (and unaligned sentences not marked) are doubtful.
** Returns 0, or -1 when writing failed (ferror(f)).
*/
int ieum_review__report(FILE *f, const ieum_review_doc *d, double threshold);

#endif
