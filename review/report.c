/*
** review/report.c: the static review report (report.h).
**
** One pass over the rows writes an HTML table with the classes of the
** review page (review/page/app.css, embedded into a <style> element): a row
** per bead, both sides' sentences one under the other, the score, the bead
** type and badges for doubtful, unaligned and reviewed rows; a header with
** the document's names and counts and a legend of the colors.  Every text
** is HTML-escaped.  Language tags are written with region codes
** (ieum_lang_export_tag(): "ko" -> "ko-KR"), the default form of a TM's
** tags, so a report of an alignment and one of the TM it went into agree
** whatever form the TM keeps.  Cost: O(text of the document).
** Not here: the rows (tm/review.c from a TM, pipeline/review.c from an
** alignment), the file it goes to (the CLI's atomic output).
*/
#include <string.h>

#include "report.h"
#include "server.h"

static void esc(FILE *f, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
  }
}

static int doubtful(const ieum_review_row *r, double threshold)
{
  if (r->kind == IEUM_REVIEW_ROW_UNALIGNED)
    return !r->no_counterpart;
  return r->status == IEUM_REVIEW_NONE && r->score >= 0 && r->score < threshold;
}

/* The row's class, as app.js's rowClass() gives it. */
static const char *row_class(const ieum_review_row *r, double threshold)
{
  if (r->kind == IEUM_REVIEW_ROW_UNALIGNED)
    return r->no_counterpart ? "unal nc" : "unal";
  if (r->status != IEUM_REVIEW_NONE)
    return "done";
  if (r->score < 0)
    return "mid";
  if (r->score >= 0.8)
    return "high";
  return r->score >= threshold ? "mid" : "low";
}

int ieum_review__report(FILE *f, const ieum_review_doc *d, double threshold)
{
  const ieum_review_asset *css = ieum_review__asset("app.css");
  char langs[2][IEUM_LANG_MAX]; /* the tags as written: region codes, else as given */
  for (int s = 0; s < 2; s++) {
    const char *tag = s ? d->tgt_lang : d->src_lang;
    if (!tag || ieum_lang_export_tag(langs[s], sizeof langs[s], tag, 0) != IEUM_OK)
      snprintf(langs[s], sizeof langs[s], "%s", tag ? tag : "");
  }
  size_t units = 0, doubt = 0, reviewed = 0, unaligned = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    const ieum_review_row *r = &d->rows[i];
    units += r->kind == IEUM_REVIEW_ROW_UNIT;
    unaligned += r->kind == IEUM_REVIEW_ROW_UNALIGNED;
    reviewed += r->kind == IEUM_REVIEW_ROW_UNIT && r->status != IEUM_REVIEW_NONE;
    doubt += doubtful(r, threshold);
  }
  fputs("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>ieum report: ", f);
  esc(f, d->src_path);
  fputs(" \xe2\x86\x94 ", f);
  esc(f, d->tgt_path);
  fputs("</title>\n<style>\n", f);
  if (css)
    fwrite(css->data, 1, css->len, f);
  fputs("</style>\n</head>\n<body class=\"report\">\n<header class=\"bar\"><span class=\"brand\">ieum <span>report</span></span>"
        "<span class=\"crumb\">", f);
  esc(f, d->src_path);
  fputs(" \xe2\x86\x94 ", f);
  esc(f, d->tgt_path);
  fprintf(f, "</span><span class=\"spacer\"></span><span class=\"meta\">ieum %s</span></header>\n<main>\n",
          ieum_version());
  fprintf(f, "<div class=\"tools\"><span class=\"summary\">%zu units \xc2\xb7 %zu doubtful \xc2\xb7 %zu unaligned "
             "sentences \xc2\xb7 %zu reviewed \xc2\xb7 doubtful under %.0f%%</span></div>\n",
          units, doubt, unaligned, reviewed, threshold * 100);
  fputs("<p class=\"legend\"><span style=\"background:var(--high)\">80% and more</span>"
        "<span style=\"background:var(--mid)\">middle</span><span style=\"background:var(--low)\">doubtful</span>"
        "<span style=\"background:var(--done)\">reviewed</span><span style=\"background:var(--unal)\">unaligned</span></p>\n"
        "<table class=\"align\">\n<colgroup><col class=\"c-num\"><col class=\"c-text\"><col class=\"c-text\"><col class=\"c-meta\">"
        "</colgroup>\n<thead><tr><th>#</th><th>Source (", f);
  esc(f, langs[0]);
  fputs(")</th><th>Target (", f);
  esc(f, langs[1]);
  fputs(")</th><th>Score</th></tr></thead>\n<tbody>\n", f);
  for (size_t i = 0; i < d->n_rows; i++) {
    const ieum_review_row *r = &d->rows[i];
    fprintf(f, "<tr class=\"%s\"><td class=\"num\">%zu</td>", row_class(r, threshold), i + 1);
    for (int s = 0; s < 2; s++) {
      fprintf(f, "<td class=\"text%s\" lang=\"", r->n_seg[s] ? "" : " empty");
      esc(f, langs[s]);
      fputs("\">", f);
      if (!s && r->role && strcmp(r->role, "body") != 0) {
        fputs("<span class=\"role\">", f);
        esc(f, r->role);
        fputs("</span>", f);
      }
      for (size_t k = 0; k < r->n_seg[s]; k++) {
        fputs("<span class=\"seg\">", f);
        esc(f, r->seg[s][k]);
        fputs("</span>", f);
      }
      fputs("</td>", f);
    }
    fputs("<td class=\"meta\"><div class=\"score\">", f);
    if (r->kind == IEUM_REVIEW_ROW_UNIT && r->score >= 0)
      fprintf(f, "%.0f%%", r->score * 100);
    else
      fputs("\xe2\x80\x93", f);
    fprintf(f, "</div><div>%s</div>", r->bead);
    if (doubtful(r, threshold))
      fprintf(f, "<span class=\"badge doubt\">%s</span>", r->kind == IEUM_REVIEW_ROW_UNIT ? "doubtful" : "unaligned");
    else if (r->kind == IEUM_REVIEW_ROW_UNALIGNED)
      fputs("<span class=\"badge nc\">no counterpart</span>", f);
    else if (r->status != IEUM_REVIEW_NONE) {
      fprintf(f, "<span class=\"badge ok\">%s</span>", ieum_review_status_name(r->status));
      if (r->reviewer) {
        fputs("<div>", f);
        esc(f, r->reviewer);
        fputs("</div>", f);
      }
    }
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody>\n</table>\n</main>\n</body>\n</html>\n", f);
  return ferror(f) ? -1 : 0;
}
