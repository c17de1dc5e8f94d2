/*
** pipeline/pair.c: one document pair from bytes to aligned beads (and into
** a TM), as `ieum align` does it.
**
** Each side is read (or taken from memory), told HTML or text by content
** unless the caller says, decoded (formats/text.c) or reduced to its
** article (formats/html.c, the headline first), refused when empty or
** blank, and segmented (align/doc.c).  The content hash of the two decoded
** texts is taken and the texts are dropped (a long pair's peak memory is
** lower without them).  The lexicon (built-in, dictionaries, a TM's learned
** pairs) and the TM's length ratio are gathered, the pair is aligned and
** checked (ieum_pair_check()), and, when asked, stored in one transaction
** with its pages' metadata.  Cost: segmentation and alignment dominate,
** O(n * IEUM_ALIGN_BAND_MAX); the lexicon is rebuilt per call unless the
** caller passes one.
** Not here: many pairs at once (batch.c), what a TM teaches (learn.c).
*/
#include <stdio.h>
#include <string.h>

#include "pipeline_int.h"

int ieum_pipeline__new(ieum_aligned_pair **out, const char *src_name, const char *tgt_name,
                       const ieum_pipeline_options *opts)
{
  ieum_aligned_pair *p = ieum__calloc(1, sizeof *p);
  *out = NULL;
  if (!p)
    return ieum__error_oom();
  p->name[0] = ieum__strdup(src_name);
  p->name[1] = ieum__strdup(tgt_name);
  p->lang[0] = ieum__strdup(opts->src_lang ? opts->src_lang : "ko");
  p->lang[1] = ieum__strdup(opts->tgt_lang ? opts->tgt_lang : "en");
  if (!p->name[0] || !p->name[1] || !p->lang[0] || !p->lang[1]) {
    ieum_aligned_pair_free(p);
    return ieum__error_oom();
  }
  *out = p;
  return IEUM_OK;
}

void ieum_aligned_pair_free(ieum_aligned_pair *p)
{
  if (!p)
    return;
  for (int s = 0; s < 2; s++) {
    ieum__free(p->name[s]);
    ieum__free(p->lang[s]);
    ieum_doc_free(p->doc[s]);
    ieum_html_free(p->page[s]);
  }
  ieum_alignment_free(p->al);
  ieum__free(p->warning);
  ieum__free(p);
}

/* Records "NAME: <the last error>" with code rc (the last error's text is copied first: it is overwritten). */
static int name_error(int rc, const char *name)
{
  char msg[1024];
  const ieum_error *e = ieum_error_last();
  snprintf(msg, sizeof msg, "%s", e && e->message[0] ? e->message : ieum_strerror(rc));
  return ieum__error_set(rc, "%s: %s", name, msg);
}

/*
** Side `side` of `in` into p->doc[side] (and p->page[side] for HTML), its
** decoded or extracted text into `text` (the caller disposes it).
*/
static int load_side(ieum_aligned_pair *p, int side, const ieum_pipeline__input *in, ieum_buf *text,
                     const ieum_pipeline_options *opts)
{
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_buf raw = IEUM_BUF_INIT;
  const char *data = in->data;
  size_t len = in->len;
  const char *encoding = side ? opts->tgt_encoding : opts->src_encoding;
  size_t head_len = 0; /* the page's headline: text[0, head_len), aligned as a segment of its own */
  int rc, from = opts->from;
  so.mode = IEUM_SEGMENT_SENTENCES;
  so.paragraphs = opts->paragraphs;
  so.lang = p->lang[side];
  so.srx = opts->srx;
  if (!data) {
    if ((rc = ieum_text_read(&raw, in->name, 0)) != 0)
      goto done;
    data = raw.ptr ? raw.ptr : "";
    len = raw.size;
  }
  if (from == IEUM_INPUT_AUTO)
    from = ieum_html_detect(data, len) ? IEUM_INPUT_HTML : IEUM_INPUT_TEXT;
  if (from == IEUM_INPUT_HTML) {
    ieum_html_options ho = IEUM_HTML_OPTIONS_INIT;
    ho.encoding = encoding;
    if ((rc = ieum_html_extract(&p->page[side], data, len, in->name, &ho)) != 0 ||
        (rc = ieum_html_copy_headed_text(text, &head_len, p->page[side])) != 0)
      goto done;
    so.paragraphs = IEUM_PARAGRAPH_BLANK;
  } else {
    ieum_text_options to = IEUM_TEXT_OPTIONS_INIT;
    to.encoding = encoding;
    if ((rc = ieum_text_decode(text, data, len, in->name, &to)) != 0)
      goto done;
    if (from == IEUM_INPUT_PRESEGMENTED)
      so.mode = IEUM_SEGMENT_LINES;
    if (ieum__utf8_is_blank(text->ptr, text->size)) {
      /* a file is "file is empty"; a text given in memory is "is empty" */
      rc = ieum__error_set(IEUM_EINVAL, "%s: %s%s", in->name, in->data ? "" : "file ",
                           text->size ? "holds no text (only white space)" : "is empty");
      goto done;
    }
  }
  if ((rc = ieum_doc_new_headed(&p->doc[side], text->ptr, text->size, head_len, &so)) != 0)
    rc = name_error(rc, in->name);
done:
  ieum_buf_dispose(&raw);
  return rc;
}

int ieum_pipeline__load(ieum_aligned_pair *p, const ieum_pipeline__input in[2], const ieum_pipeline_options *opts)
{
  ieum_buf text[2] = { IEUM_BUF_INIT, IEUM_BUF_INIT };
  int rc;
  if ((rc = load_side(p, 0, &in[0], &text[0], opts)) == 0 && (rc = load_side(p, 1, &in[1], &text[1], opts)) == 0)
    ieum_tm_hash(p->hash, text[0].ptr, text[0].size, text[1].ptr, text[1].size);
  ieum_buf_dispose(&text[0]);
  ieum_buf_dispose(&text[1]);
  return rc;
}

int ieum_pipeline_load_doc(ieum_doc **out, ieum_article **article, const char *path, int side,
                           const ieum_pipeline_options *opts)
{
  ieum_pipeline_options defaults = IEUM_PIPELINE_OPTIONS_INIT;
  ieum_buf text = IEUM_BUF_INIT;
  ieum_aligned_pair *p = NULL;
  if (article)
    *article = NULL;
  if (!out || !path)
    return ieum__error_set(IEUM_EINVAL, "load: missing argument");
  *out = NULL;
  if (!opts)
    opts = &defaults;
  side = side ? 1 : 0;
  ieum_pipeline__input in = { path, NULL, 0 };
  int rc = ieum_pipeline__new(&p, path, path, opts);
  if (rc == 0)
    rc = load_side(p, side, &in, &text, opts);
  if (rc == 0) {
    *out = p->doc[side];
    p->doc[side] = NULL;
    if (article) {
      *article = p->page[side];
      p->page[side] = NULL;
    }
  }
  ieum_buf_dispose(&text);
  ieum_aligned_pair_free(p);
  return rc;
}

int ieum_pipeline__align(ieum_aligned_pair *p, const ieum_lexicon *lex, double prior_ratio, double prior_chars,
                         const ieum_pipeline_options *opts)
{
  ieum_align_options ao = IEUM_ALIGN_OPTIONS_INIT;
  ao.ratio = opts->ratio;
  ao.lexicon = lex;
  ao.threads = opts->threads;
  ao.prior_ratio = prior_ratio;
  ao.prior_chars = prior_chars;
  int rc = ieum_alignment_new(&p->al, p->doc[0], p->doc[1], &ao);
  if (rc)
    return rc;
  rc = ieum_pair_check(p->doc[0], p->doc[1], p->al, lex, p->name[0], p->name[1]);
  if (rc == IEUM_EINVAL && opts->force) {
    const ieum_error *e = ieum_error_last();
    p->warning = ieum__strdup(e && e->message[0] ? e->message : ieum_strerror(rc));
    if (!p->warning)
      return ieum__error_oom();
    ieum__error_clear();
    rc = IEUM_OK;
  }
  return rc;
}

int ieum_pipeline_lexicon(ieum_lexicon **out, const char *const *dicts, size_t n_dicts, const char *tm_path)
{
  ieum_lexicon *lex = NULL;
  ieum_tm *tm = NULL;
  size_t learned = 0;
  int rc;
  if (!out)
    return ieum__error_set(IEUM_EINVAL, "lexicon: missing argument");
  *out = NULL;
  if ((rc = ieum_lexicon_new(&lex, 1)) != 0)
    goto fail;
  for (size_t k = 0; k < n_dicts; k++)
    if ((rc = ieum_lexicon_load_dict(lex, dicts[k])) != 0)
      goto fail;
  if (tm_path) {
    rc = ieum_tm_open(&tm, tm_path, IEUM_TM_READ);
    if (rc == IEUM_ENOTFOUND) {
      ieum__error_clear();
      rc = IEUM_OK; /* a new TM: nothing learned yet */
    } else if (rc || (rc = ieum_tm_lexicon_load(&learned, lex, tm)) != 0) {
      goto fail;
    }
    ieum_tm_free(tm);
    tm = NULL;
  }
  if (n_dicts == 0 && learned == 0) {
    ieum_lexicon_free(lex); /* the built-in one: the aligner's own (NULL) */
    return IEUM_OK;
  }
  *out = lex;
  return IEUM_OK;
fail:
  ieum_tm_free(tm);
  ieum_lexicon_free(lex);
  return rc;
}

int ieum_pipeline_prior(double *ratio, double *chars, const char *tm_path, const char *src_lang,
                        const char *tgt_lang)
{
  ieum_tm *tm = NULL;
  if (!ratio || !chars || !tm_path)
    return ieum__error_set(IEUM_EINVAL, "length ratio: missing argument");
  *ratio = *chars = 0;
  int rc = ieum_tm_open(&tm, tm_path, IEUM_TM_READ);
  if (rc == IEUM_ENOTFOUND) {
    ieum__error_clear();
    return IEUM_OK; /* a new TM: no length model yet */
  }
  if (rc == 0)
    rc = ieum_tm_length_ratio(ratio, chars, tm, src_lang ? src_lang : "ko", tgt_lang ? tgt_lang : "en",
                              IEUM_PIPELINE_PRIOR_MIN_SCORE);
  if (rc == 0 && *chars < IEUM_PIPELINE_PRIOR_MIN_CHARS)
    *ratio = *chars = 0;
  ieum_tm_free(tm);
  return rc;
}

/* The whole of one pair: load, lexicon, prior, align, check, store. */
static int align_pair(ieum_aligned_pair **out, const ieum_pipeline__input in[2], const ieum_pipeline_options *opts)
{
  ieum_pipeline_options defaults = IEUM_PIPELINE_OPTIONS_INIT;
  ieum_aligned_pair *p = NULL;
  ieum_lexicon *own = NULL;
  int rc;
  if (!out)
    return ieum__error_set(IEUM_EINVAL, "align: missing argument");
  *out = NULL;
  if (!opts)
    opts = &defaults;
  if (opts->version != IEUM_PIPELINE_OPTIONS_VERSION || (opts->n_dicts && !opts->dicts) ||
      ((opts->store || opts->ratio_tm) && !opts->tm_path))
    return ieum__error_set(IEUM_EINVAL, "align: bad pipeline options (store and ratio_tm need tm_path)");
  if ((rc = ieum_pipeline__new(&p, in[0].name, in[1].name, opts)) != 0 ||
      (rc = ieum_pipeline__load(p, in, opts)) != 0)
    goto done;
  const ieum_lexicon *lex = opts->lexicon;
  /* no dictionary and no TM: the built-in lexicon, which the aligner builds itself (NULL) */
  if (!lex && (opts->n_dicts > 0 || opts->tm_path)) {
    if ((rc = ieum_pipeline_lexicon(&own, opts->dicts, opts->n_dicts, opts->tm_path)) != 0)
      goto done;
    lex = own;
  }
  double prior_ratio = opts->prior_ratio, prior_chars = opts->prior_chars;
  if (opts->ratio_tm && (rc = ieum_pipeline_prior(&prior_ratio, &prior_chars, opts->tm_path, p->lang[0],
                                                  p->lang[1])) != 0)
    goto done;
  if ((rc = ieum_pipeline__align(p, lex, prior_ratio, prior_chars, opts)) != 0)
    goto done;
  if (opts->store) {
    rc = ieum_pipeline_store_path(&p->doc_id, opts->tm_path, p, opts->min_score);
    if (rc == IEUM_EEXISTS) {
      ieum__error_clear();
      p->stored = IEUM_STORE_EXISTS;
      rc = IEUM_OK;
    } else if (rc == 0) {
      p->stored = IEUM_STORE_ADDED;
    }
  }
done:
  ieum_lexicon_free(own);
  if (rc) {
    ieum_aligned_pair_free(p);
    return rc;
  }
  *out = p;
  return IEUM_OK;
}

int ieum_pipeline_align_files(ieum_aligned_pair **out, const char *src_path, const char *tgt_path,
                              const ieum_pipeline_options *opts)
{
  if (!src_path || !tgt_path) {
    if (out)
      *out = NULL;
    return ieum__error_set(IEUM_EINVAL, "align: missing file name");
  }
  ieum_pipeline__input in[2] = { { src_path, NULL, 0 }, { tgt_path, NULL, 0 } };
  return align_pair(out, in, opts);
}

int ieum_pipeline_align_texts(ieum_aligned_pair **out, const char *src, size_t src_len, const char *tgt,
                              size_t tgt_len, const ieum_pipeline_options *opts)
{
  if ((!src && src_len) || (!tgt && tgt_len)) {
    if (out)
      *out = NULL;
    return ieum__error_set(IEUM_EINVAL, "align: missing text");
  }
  ieum_pipeline__input in[2] = {
    { opts && opts->src_name ? opts->src_name : "source", src ? src : "", src_len },
    { opts && opts->tgt_name ? opts->tgt_name : "target", tgt ? tgt : "", tgt_len },
  };
  return align_pair(out, in, opts);
}

const ieum_doc *ieum_aligned_pair_doc(const ieum_aligned_pair *p, int side)
{
  return p->doc[side ? 1 : 0];
}

const ieum_alignment *ieum_aligned_pair_alignment(const ieum_aligned_pair *p)
{
  return p->al;
}

const ieum_article *ieum_aligned_pair_article(const ieum_aligned_pair *p, int side)
{
  return p->page[side ? 1 : 0];
}

const char *ieum_aligned_pair_name(const ieum_aligned_pair *p, int side)
{
  return p->name[side ? 1 : 0];
}

const char *ieum_aligned_pair_hash(const ieum_aligned_pair *p)
{
  return p->hash;
}

const char *ieum_aligned_pair_warning(const ieum_aligned_pair *p)
{
  return p->warning;
}

int ieum_aligned_pair_stored(const ieum_aligned_pair *p, int64_t *doc_id)
{
  if (doc_id)
    *doc_id = p->stored ? p->doc_id : 0;
  return p->stored;
}

int ieum_pipeline_foreach_unit(const ieum_aligned_pair *p, double min_score, const char *document,
                               ieum_unit_cb cb, void *payload)
{
  ieum_buf s = IEUM_BUF_INIT, t = IEUM_BUF_INIT;
  int rc = 0;
  for (size_t k = 0; k < ieum_alignment_count(p->al) && rc == 0; k++) {
    const ieum_bead *b = ieum_alignment_bead(p->al, k);
    if (b->src_n == 0 || b->tgt_n == 0 || b->score < min_score)
      continue;
    s.size = t.size = 0;
    if ((rc = ieum_bead_text(&s, p->doc[0], b, 0)) != 0 || (rc = ieum_bead_text(&t, p->doc[1], b, 1)) != 0)
      break;
    char type[8];
    snprintf(type, sizeof type, "%u-%u", (unsigned)b->src_n, (unsigned)b->tgt_n);
    ieum_unit u = IEUM_UNIT_INIT;
    u.src = s.ptr;
    u.src_len = s.size;
    u.tgt = t.ptr;
    u.tgt_len = t.size;
    u.src_lang = p->lang[0];
    u.tgt_lang = p->lang[1];
    u.score = b->score;
    u.bead = type;
    u.document = document;
    u.position = (int64_t)k;
    u.role = ieum_segment_role_name(ieum_bead_role(p->doc[0], p->doc[1], b));
    rc = cb(&u, payload);
  }
  ieum_buf_dispose(&s);
  ieum_buf_dispose(&t);
  return rc;
}

/* Stores the metadata of one side's page as "PREFIX.KEY" items of document `doc_id`. */
static int store_meta(ieum_tm *tm, int64_t doc_id, const char *prefix, const ieum_article *page)
{
  const char *key;
  int rc = 0;
  for (size_t i = 0; page && rc == 0 && (key = ieum_html_meta_key(page, i)) != NULL; i++) {
    char name[64];
    snprintf(name, sizeof name, "%s.%s", prefix, key);
    rc = ieum_tm_set_document_meta(tm, doc_id, name, ieum_html_meta(page, key));
  }
  return rc;
}

typedef struct {
  ieum_tm *tm;
  int64_t doc_id;
  double low;
  size_t units, low_units;
  const ieum_aligned_pair *p;
} unit_sink;

/* Most sentences a bead side holds (align.h: 0..3). */
#define BEAD_MAX_SIDE 3

/* Records the sentence lengths of the bead at u->position when a side has several (the review step splits them). */
static int add_segments(unit_sink *k, const ieum_unit *u)
{
  const ieum_bead *b = ieum_alignment_bead(k->p->al, (size_t)u->position);
  size_t lens[2][BEAD_MAX_SIDE], n[2] = { b->src_n, b->tgt_n };
  if (n[0] < 2 && n[1] < 2)
    return IEUM_OK;
  for (int s = 0; s < 2; s++) {
    size_t start = s ? b->tgt_start : b->src_start;
    if (n[s] > BEAD_MAX_SIDE)
      return IEUM_OK; /* a bead the aligner does not make: the unit stays one text */
    for (size_t i = 0; i < n[s]; i++)
      lens[s][i] = ieum_doc_segment(k->p->doc[s], start + i)->len;
  }
  const size_t *const l[2] = { lens[0], lens[1] };
  return ieum_review_set_segments(k->tm, k->doc_id, u->position, l, n);
}

static int add_unit(const ieum_unit *u, void *payload)
{
  unit_sink *k = payload;
  int rc = ieum_tm_add_unit(k->tm, k->doc_id, u);
  if (rc == 0)
    rc = add_segments(k, u);
  if (rc == 0) {
    k->units++;
    k->low_units += u->score < k->low;
  }
  return rc;
}

/* Stores the sentences of the 1-0 and 0-1 beads scoring at least min_score where they fall (for the review step). */
static int add_unaligned(unit_sink *k, double min_score)
{
  const ieum_aligned_pair *p = k->p;
  int rc = 0;
  for (size_t i = 0; i < ieum_alignment_count(p->al) && rc == 0; i++) {
    const ieum_bead *b = ieum_alignment_bead(p->al, i);
    if ((b->src_n && b->tgt_n) || b->score < min_score)
      continue;
    int side = b->src_n ? 0 : 1;
    size_t start = side ? b->tgt_start : b->src_start, n = side ? b->tgt_n : b->src_n;
    for (size_t j = 0; j < n && rc == 0; j++) {
      const ieum_segment *sg = ieum_doc_segment(p->doc[side], start + j);
      rc = ieum_review_add_unaligned(k->tm, k->doc_id, (int64_t)i, side, sg->text, sg->len,
                                     ieum_segment_role_name(sg->role));
    }
  }
  return rc;
}

int ieum_pipeline__store(int64_t *out, ieum_tm *tm, const ieum_aligned_pair *p, double min_score, double low,
                         size_t *units, size_t *low_units)
{
  unit_sink k = { tm, 0, low, 0, 0, p };
  int rc;
  if (out)
    *out = 0;
  if (units)
    *units = 0;
  if (low_units)
    *low_units = 0;
  if (!tm || !p || !p->al)
    return ieum__error_set(IEUM_EINVAL, "store: missing TM or aligned pair");
  if ((rc = ieum_tm_begin(tm)) != 0)
    return rc;
  ieum_tm_document d = { .kind = "pair", .src_path = p->name[0], .tgt_path = p->name[1],
                         .src_lang = p->lang[0], .tgt_lang = p->lang[1], .hash = p->hash };
  rc = ieum_tm_add_document(&k.doc_id, tm, &d);
  if (rc == IEUM_EEXISTS) {
    ieum_tm_rollback(tm);
    if (out)
      *out = k.doc_id;
    return IEUM_EEXISTS;
  }
  if (rc || (rc = store_meta(tm, k.doc_id, "src", p->page[0])) != 0 ||
      (rc = store_meta(tm, k.doc_id, "tgt", p->page[1])) != 0 ||
      (rc = ieum_pipeline_foreach_unit(p, min_score, NULL, add_unit, &k)) != 0 ||
      (rc = add_unaligned(&k, min_score)) != 0 || (rc = ieum_tm_commit(tm)) != 0) {
    ieum_tm_rollback(tm); /* the error of rc stays the one recorded */
    return rc;
  }
  if (out)
    *out = k.doc_id;
  if (units)
    *units = k.units;
  if (low_units)
    *low_units = k.low_units;
  return IEUM_OK;
}

int ieum_pipeline_store(int64_t *out, ieum_tm *tm, const ieum_aligned_pair *p, double min_score)
{
  return ieum_pipeline__store(out, tm, p, min_score, 0, NULL, NULL);
}

int ieum_pipeline_store_path(int64_t *out, const char *tm_path, const ieum_aligned_pair *p, double min_score)
{
  ieum_tm *tm = NULL;
  if (out)
    *out = 0;
  if (!tm_path)
    return ieum__error_set(IEUM_EINVAL, "store: missing TM path");
  int rc = ieum_tm_open(&tm, tm_path, IEUM_TM_CREATE);
  if (rc == 0)
    rc = ieum_pipeline__store(out, tm, p, min_score, 0, NULL, NULL);
  ieum_tm_free(tm);
  return rc;
}
