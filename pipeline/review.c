/*
** pipeline/review.c: an aligned pair as the rows of the review step
** (ieum_pipeline_review_doc(), review.h), without a TM: what `ieum align
** --report` shows.
**
** Each bead of the ladder scoring at least min_score becomes a row, in
** ladder order: a unit with its sentences, or one unaligned sentence per
** sentence of a 1-0 / 0-1 bead, the rows ieum_pipeline_store() puts into a
** TM for the same pair (ids 0: none is stored).  Cost: one copy of the
** pair's sentences.  Not here: rows read from a TM (tm/review.c).
*/
#include <stdio.h>
#include <string.h>

#include "pipeline_int.h"

/* Appends segment i of doc to side s of r. */
static int push(ieum_review_row *r, int s, const ieum_doc *doc, size_t i)
{
  const ieum_segment *sg = ieum_doc_segment(doc, i);
  char **v = ieum__reallocarray(r->seg[s], r->n_seg[s] + 1, sizeof *v);
  if (!v)
    return ieum__error_oom();
  r->seg[s] = v;
  if (!(v[r->n_seg[s]] = ieum__strndup(sg->text, sg->len)))
    return ieum__error_oom();
  r->n_seg[s]++;
  return IEUM_OK;
}

static ieum_review_row *new_row(ieum_review_doc *d)
{
  ieum_review_row *v = ieum__reallocarray(d->rows, d->n_rows + 1, sizeof *v);
  if (!v)
    return NULL;
  d->rows = v;
  memset(&v[d->n_rows], 0, sizeof v[0]);
  v[d->n_rows].score = -1.0;
  v[d->n_rows].position = (int64_t)d->n_rows;
  return &v[d->n_rows++];
}

int ieum_pipeline_review_doc(ieum_review_doc **out, const ieum_aligned_pair *p, double min_score)
{
  ieum_review_doc *d = ieum__calloc(1, sizeof *d);
  int rc = IEUM_OK;
  *out = NULL;
  if (!d)
    return ieum__error_oom();
  if (!(d->src_path = ieum__strdup(p->name[0])) || !(d->tgt_path = ieum__strdup(p->name[1])) ||
      !(d->src_lang = ieum__strdup(p->lang[0])) || !(d->tgt_lang = ieum__strdup(p->lang[1]))) {
    rc = ieum__error_oom();
    goto done;
  }
  for (size_t k = 0; k < ieum_alignment_count(p->al) && rc == 0; k++) {
    const ieum_bead *b = ieum_alignment_bead(p->al, k);
    if (b->score < min_score)
      continue;
    const char *role = ieum_segment_role_name(ieum_bead_role(p->doc[0], p->doc[1], b));
    if (b->src_n && b->tgt_n) {
      ieum_review_row *r = new_row(d);
      if (!r || (role && !(r->role = ieum__strdup(role)))) {
        rc = ieum__error_oom();
        break;
      }
      r->kind = IEUM_REVIEW_ROW_UNIT;
      r->score = b->score;
      snprintf(r->bead, sizeof r->bead, "%u-%u", (unsigned)b->src_n, (unsigned)b->tgt_n);
      for (uint32_t i = 0; i < b->src_n && rc == 0; i++)
        rc = push(r, 0, p->doc[0], b->src_start + i);
      for (uint32_t i = 0; i < b->tgt_n && rc == 0; i++)
        rc = push(r, 1, p->doc[1], b->tgt_start + i);
      continue;
    }
    int s = b->src_n ? 0 : 1;
    uint32_t n = s ? b->tgt_n : b->src_n;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
      ieum_review_row *r = new_row(d);
      if (!r || (role && !(r->role = ieum__strdup(role)))) {
        rc = ieum__error_oom();
        break;
      }
      r->kind = IEUM_REVIEW_ROW_UNALIGNED;
      snprintf(r->bead, sizeof r->bead, s ? "0-1" : "1-0");
      rc = push(r, s, p->doc[s], (s ? b->tgt_start : b->src_start) + i);
    }
  }
done:
  if (rc) {
    ieum_review_doc_free(d);
    return rc;
  }
  *out = d;
  return IEUM_OK;
}
