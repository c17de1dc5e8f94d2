/*
** python/ieum/_ieum.c: the C half of the Python binding (`import ieum`).
**
** A CPython extension module over the public API of include/ieum.h: align
** two texts (the pipeline's one call, ieum_pipeline_align_texts(), which
** decodes, extracts an HTML page's article, segments, builds the lexicon,
** aligns and checks the pair exactly as `ieum align` does),
** segment a text, extract a page's article, and a TM handle (search,
** concordance, add, export, stats).  Every call that does real work runs
** with the GIL released (Py_BEGIN_ALLOW_THREADS): the library's state is
** per object and its last error per thread, so Python threads align,
** extract and search in parallel; the results are turned into Python
** objects once the GIL is back.  A TM handle is used by one thread at a
** time (tm.h), which a lock per handle ensures.  Text crosses as UTF-8: a
** str is encoded (strict: lone surrogates raise UnicodeEncodeError) and
** decoded by the library as UTF-8 (NFC, "\n" line ends); bytes are decoded
** as files are (BOM, the given encoding, detection).  Library failures
** raise ieum.Error with the library's message and code.
** Not here: the Python-facing names, keyword defaults and record types
** (Bead, Segment, Article, Unit, Match), which python/ieum/__init__.py
** builds from the tuples returned here.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>

#include <stdlib.h>
#include <string.h>

#include <ieum.h>

/* ---- errors ----------------------------------------------------------- */

static PyObject *ieum_error_type; /* ieum.Error */

/* What went wrong in a call made without the GIL: a library code and its message. */
typedef struct {
  int code;
  char message[1024];
} failure;

/* Records library failure `rc` with the thread's last error message (or the code's description). */
static int fail_lib(failure *f, int rc)
{
  const ieum_error *e = ieum_error_last();
  f->code = rc;
  snprintf(f->message, sizeof f->message, "%s",
           e && e->code == rc && e->message && e->message[0] ? e->message : ieum_strerror(rc));
  return rc;
}

/* Records a failure of the binding's own, code `rc`, with a printf-style message. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_msg(failure *f, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(f->message, sizeof f->message, fmt, ap);
  va_end(ap);
  f->code = rc;
  return rc;
}

/* Raises ieum.Error(message) with .code and .message set; returns NULL. */
static PyObject *raise_failure(const failure *f)
{
  if (f->code == IEUM_ENOMEM)
    return PyErr_NoMemory();
  PyObject *exc = PyObject_CallFunction(ieum_error_type, "s", f->message);
  if (!exc)
    return NULL;
  PyObject *code = PyLong_FromLong(f->code);
  PyObject *msg = PyUnicode_FromString(f->message);
  if (code && msg && PyObject_SetAttrString(exc, "code", code) == 0 &&
      PyObject_SetAttrString(exc, "message", msg) == 0)
    PyErr_SetObject(ieum_error_type, exc);
  Py_XDECREF(code);
  Py_XDECREF(msg);
  Py_DECREF(exc);
  return NULL;
}

static PyObject *raise_lib(int rc)
{
  failure f;
  fail_lib(&f, rc);
  return raise_failure(&f);
}

/* ---- input text ------------------------------------------------------- */

/* A text argument: a str (UTF-8 encoded by Python, borrowed from it) or bytes (decoded by the library). */
typedef struct {
  const char *data;
  size_t len;
  int is_str; /* 1: the UTF-8 of a str; 0: raw bytes, encoding unknown */
} input;

/* Fills `in` from a str or a bytes object (borrowed: `obj` must outlive `in`). 0, or -1 with an exception. */
static int input_from(input *in, PyObject *obj, const char *what)
{
  if (PyUnicode_Check(obj)) {
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(obj, &n);
    if (!s)
      return -1;
    *in = (input){ s, (size_t)n, 1 };
    return 0;
  }
  if (PyBytes_Check(obj)) {
    *in = (input){ PyBytes_AS_STRING(obj), (size_t)PyBytes_GET_SIZE(obj), 0 };
    return 0;
  }
  PyErr_Format(PyExc_TypeError, "%s must be str or bytes, not %.100s", what, Py_TYPE(obj)->tp_name);
  return -1;
}

enum { KIND_AUTO, KIND_TEXT, KIND_HTML, KIND_PRESEGMENTED };

static int parse_kind(const char *s)
{
  static const char *const names[] = { "auto", "text", "html", "presegmented" };
  for (int k = 0; k < 4; k++)
    if (!strcmp(s, names[k]))
      return k;
  return -1;
}

static int parse_paragraphs(const char *s)
{
  if (!strcmp(s, "auto"))
    return IEUM_PARAGRAPH_AUTO;
  if (!strcmp(s, "line"))
    return IEUM_PARAGRAPH_LINE;
  if (!strcmp(s, "blank"))
    return IEUM_PARAGRAPH_BLANK;
  return -1;
}

/* How one side is read and segmented. */
typedef struct {
  const char *name;      /* names the text in messages */
  const char *lang;      /* BCP 47, canonical */
  const char *encoding;  /* bytes only: ICU converter name, NULL = detect */
  int kind;              /* KIND_* */
  int paragraphs;        /* ieum_paragraph_mode */
  int keep_furniture;
  const ieum_srx *srx;   /* NULL: the built-in rules; else these SRX rules (borrowed) */
} side_params;

/*
** Turns one input into a segmented document, as `ieum align` reads a file:
** an HTML page (by content under KIND_AUTO) gives its article with the
** headline as segment 0 and its metadata in `*page` (may be NULL: not kept);
** text is decoded to NFC UTF-8 into `text` and segmented.  Runs without
** the GIL.  Returns 0 or a library code, with `f` filled.
*/
static int load_side(ieum_doc **out, ieum_buf *text, ieum_article **page, const input *in, const side_params *p,
                     failure *f)
{
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_article *article = NULL;
  size_t head_len = 0;
  int rc, kind = p->kind;
  const char *encoding = in->is_str ? "UTF-8" : p->encoding;
  *out = NULL;
  if (page)
    *page = NULL;
  so.lang = p->lang;
  so.paragraphs = p->paragraphs;
  so.keep_furniture = p->keep_furniture;
  so.srx = p->srx;
  if (kind == KIND_AUTO)
    kind = ieum_html_detect(in->data, in->len) ? KIND_HTML : KIND_TEXT;
  if (kind == KIND_HTML) {
    ieum_html_options ho = IEUM_HTML_OPTIONS_INIT;
    ho.encoding = encoding;
    if ((rc = ieum_html_extract(&article, in->data, in->len, p->name, &ho)) != 0 ||
        (rc = ieum_html_copy_headed_text(text, &head_len, article)) != 0) {
      fail_lib(f, rc);
      goto done;
    }
    so.paragraphs = IEUM_PARAGRAPH_BLANK;
  } else {
    ieum_text_options to = IEUM_TEXT_OPTIONS_INIT;
    to.encoding = encoding;
    if ((rc = ieum_text_decode(text, in->data, in->len, p->name, &to)) != 0) {
      fail_lib(f, rc);
      goto done;
    }
    if (kind == KIND_PRESEGMENTED)
      so.mode = IEUM_SEGMENT_LINES;
    if (ieum_text_is_blank(text->ptr ? text->ptr : "", text->size)) {
      rc = fail_msg(f, IEUM_EINVAL, "%s: %s", p->name, text->size ? "holds no text (only white space)" : "is empty");
      goto done;
    }
  }
  if ((rc = ieum_doc_new_headed(out, text->ptr ? text->ptr : "", text->size, head_len, &so)) != 0) {
    fail_lib(f, rc);
    goto done;
  }
  if (page) {
    *page = article;
    article = NULL;
  }
done:
  ieum_html_free(article);
  return rc;
}

/* ---- align ------------------------------------------------------------ */

typedef struct {
  side_params src, tgt;
  double ratio;          /* <= 0: estimated from the pair */
  unsigned int threads;  /* ieum_align_options.threads */
  int force;             /* keep a pair the pair check refuses, with a warning */
  const char *const *dicts; /* hunalign dictionaries added to the built-in lexicon */
  size_t n_dicts;
  const char *tm_path;   /* a TM whose learned word pairs join the lexicon; NULL = none */
  const char *srx_path;  /* SRX 2.0 rules segmenting both sides; NULL = the built-in rules */
} align_params;

/* What align_texts() gives: the aligned pair of the pipeline (the caller frees with align_result_free()). */
typedef struct {
  ieum_aligned_pair *pair;
  const ieum_doc *src, *tgt;  /* borrowed from `pair` */
  const ieum_alignment *al;
  char warning[1024]; /* the pair check's message when `force` kept a refused pair; "" otherwise */
} align_result;

static void align_result_free(align_result *r)
{
  ieum_aligned_pair_free(r->pair);
  memset(r, 0, sizeof *r);
}

/*
** Aligns two texts the way `ieum align` aligns two files, with the one
** library call that does it (ieum_pipeline_align_texts(): decoding, the
** article of an HTML page, segmentation, the lexicon with dictionaries and
** a TM's learned pairs, alignment, the pair check, which refuses a pair with
** IEUM_EINVAL unless p->force keeps it with a warning).  The SRX rules are
** read here when given.  Runs without the GIL.  0, or a library code with
** `f` filled and `*out` empty.
*/
static int align_texts(align_result *out, const input *src, const input *tgt, const align_params *p, failure *f)
{
  ieum_pipeline_options o = IEUM_PIPELINE_OPTIONS_INIT;
  ieum_srx *srx = NULL;
  int rc;
  memset(out, 0, sizeof *out);
  if (p->srx_path && (rc = ieum_srx_load(&srx, p->srx_path)) != 0) {
    fail_lib(f, rc);
    return rc;
  }
  if (p->tm_path) {
    /* tm= only lends its learned word pairs here (nothing is stored), so a
    ** TM that is not there is an error, not a new empty lexicon. */
    ieum_tm *tm = NULL;
    rc = ieum_tm_open(&tm, p->tm_path, IEUM_TM_READ);
    ieum_tm_free(tm);
    if (rc) {
      fail_lib(f, rc);
      ieum_srx_free(srx);
      return rc;
    }
  }
  static const int from[] = { IEUM_INPUT_AUTO, IEUM_INPUT_TEXT, IEUM_INPUT_HTML, IEUM_INPUT_PRESEGMENTED };
  o.src_lang = p->src.lang;
  o.tgt_lang = p->tgt.lang;
  o.from = from[p->src.kind];
  o.paragraphs = p->src.paragraphs;
  o.src_encoding = src->is_str ? "UTF-8" : p->src.encoding;
  o.tgt_encoding = tgt->is_str ? "UTF-8" : p->tgt.encoding;
  o.srx = srx;
  o.ratio = p->ratio;
  o.dicts = p->dicts;
  o.n_dicts = p->n_dicts;
  o.tm_path = p->tm_path;
  o.force = p->force;
  o.threads = p->threads;
  o.src_name = p->src.name;
  o.tgt_name = p->tgt.name;
  if ((rc = ieum_pipeline_align_texts(&out->pair, src->data, src->len, tgt->data, tgt->len, &o)) != 0) {
    fail_lib(f, rc);
  } else {
    const char *w = ieum_aligned_pair_warning(out->pair);
    out->src = ieum_aligned_pair_doc(out->pair, 0);
    out->tgt = ieum_aligned_pair_doc(out->pair, 1);
    out->al = ieum_aligned_pair_alignment(out->pair);
    snprintf(out->warning, sizeof out->warning, "%s", w ? w : "");
  }
  ieum_srx_free(srx);
  return rc;
}

/* A tuple of the segment indices start .. start+n-1. */
static PyObject *indices(size_t start, uint32_t n)
{
  PyObject *t = PyTuple_New(n);
  for (uint32_t k = 0; t && k < n; k++) {
    PyObject *i = PyLong_FromSize_t(start + k);
    if (!i) {
      Py_CLEAR(t);
      break;
    }
    PyTuple_SET_ITEM(t, k, i);
  }
  return t;
}

/* The beads of `r` as a list of (src_indices, tgt_indices, src_text, tgt_text, score, kind, role). */
static PyObject *beads_list(const align_result *r, double min_score)
{
  ieum_buf s = IEUM_BUF_INIT, t = IEUM_BUF_INIT;
  PyObject *list = PyList_New(0);
  for (size_t k = 0; list && k < ieum_alignment_count(r->al); k++) {
    const ieum_bead *b = ieum_alignment_bead(r->al, k);
    if (b->score < min_score)
      continue;
    s.size = t.size = 0;
    int rc;
    if ((rc = ieum_bead_text(&s, r->src, b, 0)) != 0 || (rc = ieum_bead_text(&t, r->tgt, b, 1)) != 0) {
      raise_lib(rc);
      Py_CLEAR(list);
      break;
    }
    char kind[16];
    snprintf(kind, sizeof kind, "%u-%u", (unsigned)b->src_n, (unsigned)b->tgt_n);
    PyObject *item = Py_BuildValue("(NNs#s#dss)", indices(b->src_start, b->src_n), indices(b->tgt_start, b->tgt_n),
                                   s.ptr ? s.ptr : "", (Py_ssize_t)s.size, t.ptr ? t.ptr : "", (Py_ssize_t)t.size,
                                   b->score, kind, ieum_segment_role_name(ieum_bead_role(r->src, r->tgt, b)));
    if (!item || PyList_Append(list, item) != 0)
      Py_CLEAR(list);
    Py_XDECREF(item);
  }
  ieum_buf_dispose(&s);
  ieum_buf_dispose(&t);
  return list;
}

/* A canonical language tag from a user's; 0, or -1 with ValueError raised. */
static int lang_arg(char out[IEUM_LANG_MAX], const char *tag, const char *what)
{
  if (ieum_lang_canonicalize(out, IEUM_LANG_MAX, tag) != 0) {
    const ieum_error *e = ieum_error_last();
    PyErr_Format(PyExc_ValueError, "%s: %s", what, e && e->message ? e->message : "not a language tag");
    return -1;
  }
  return 0;
}

/* Fills the parts of `p` the keywords give; 0, or -1 with an exception. */
static int side_from_args(side_params *p, char lang[IEUM_LANG_MAX], const char *tag, const char *what,
                          const char *kind, const char *paragraphs)
{
  if (lang_arg(lang, tag, what) != 0)
    return -1;
  p->lang = lang;
  if ((p->kind = parse_kind(kind)) < 0) {
    PyErr_Format(PyExc_ValueError, "kind must be 'auto', 'text', 'html' or 'presegmented', not '%s'", kind);
    return -1;
  }
  if ((p->paragraphs = parse_paragraphs(paragraphs)) < 0) {
    PyErr_Format(PyExc_ValueError, "paragraphs must be 'auto', 'line' or 'blank', not '%s'", paragraphs);
    return -1;
  }
  return 0;
}

/* The str items of a sequence as UTF-8 pointers borrowed from `seq_fast`; NULL with an exception on error. */
static const char **str_items(PyObject *seq_fast, size_t *n, const char *what)
{
  Py_ssize_t count = PySequence_Fast_GET_SIZE(seq_fast);
  const char **items = PyMem_Calloc(count ? (size_t)count : 1, sizeof *items);
  if (!items) {
    PyErr_NoMemory();
    return NULL;
  }
  for (Py_ssize_t k = 0; k < count; k++) {
    PyObject *o = PySequence_Fast_GET_ITEM(seq_fast, k);
    if (!PyUnicode_Check(o) || !(items[k] = PyUnicode_AsUTF8(o))) {
      if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "%s must hold str, not %.100s", what, Py_TYPE(o)->tp_name);
      PyMem_Free(items);
      return NULL;
    }
  }
  *n = (size_t)count;
  return items;
}

static PyObject *py_align(PyObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "src", "tgt", "src_lang", "tgt_lang", "kind", "paragraphs", "ratio", "min_score",
                            "force", "dicts", "tm", "threads", "encoding", "src_name", "tgt_name", "srx", NULL };
  PyObject *src_obj, *tgt_obj, *dicts_obj = NULL, *tm_obj = Py_None, *enc_obj = Py_None, *srx_obj = Py_None;
  const char *src_lang = "ko", *tgt_lang = "en", *kind = "auto", *paragraphs = "auto";
  const char *src_name = "source", *tgt_name = "target";
  double ratio = 0, min_score = 0;
  int force = 0;
  unsigned int threads = 0;
  (void)self;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|$ssssddpOOIOssO", kwlist, &src_obj, &tgt_obj, &src_lang, &tgt_lang,
                                   &kind, &paragraphs, &ratio, &min_score, &force, &dicts_obj, &tm_obj, &threads,
                                   &enc_obj, &src_name, &tgt_name, &srx_obj))
    return NULL;
  align_params p = { 0 };
  char src_buf[IEUM_LANG_MAX], tgt_buf[IEUM_LANG_MAX];
  input src, tgt;
  PyObject *dicts_fast = NULL, *result = NULL;
  const char **dicts = NULL;
  if (input_from(&src, src_obj, "src") != 0 || input_from(&tgt, tgt_obj, "tgt") != 0)
    return NULL;
  if (side_from_args(&p.src, src_buf, src_lang, "src_lang", kind, paragraphs) != 0 ||
      side_from_args(&p.tgt, tgt_buf, tgt_lang, "tgt_lang", kind, paragraphs) != 0)
    return NULL;
  if (ratio < 0 || (ratio > 0 && (ratio < 0.01 || ratio > 100))) {
    PyErr_SetString(PyExc_ValueError, "ratio must be from 0.01 to 100 (or 0: estimated from the pair)");
    return NULL;
  }
  if (enc_obj != Py_None && !(p.src.encoding = p.tgt.encoding = PyUnicode_AsUTF8(enc_obj)))
    return NULL;
  if (tm_obj != Py_None && !(p.tm_path = PyUnicode_AsUTF8(tm_obj)))
    return NULL;
  if (srx_obj != Py_None && !(p.srx_path = PyUnicode_AsUTF8(srx_obj)))
    return NULL;
  if (dicts_obj && dicts_obj != Py_None) {
    if (PyUnicode_Check(dicts_obj)) {
      PyErr_SetString(PyExc_TypeError, "dicts must be a list of paths, not one str");
      return NULL;
    }
    if (!(dicts_fast = PySequence_Fast(dicts_obj, "dicts must be a list of paths")) ||
        !(dicts = str_items(dicts_fast, &p.n_dicts, "dicts")))
      goto done;
    p.dicts = dicts;
  }
  p.src.name = src_name;
  p.tgt.name = tgt_name;
  p.ratio = ratio;
  p.threads = threads;
  p.force = force;

  align_result r;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = align_texts(&r, &src, &tgt, &p, &f);
  Py_END_ALLOW_THREADS
  if (rc) {
    raise_failure(&f);
    goto done;
  }
  PyObject *beads = beads_list(&r, min_score);
  if (beads)
    result = Py_BuildValue("(Nz)", beads, r.warning[0] ? r.warning : NULL);
  align_result_free(&r);
done:
  PyMem_Free(dicts);
  Py_XDECREF(dicts_fast);
  return result;
}

/* ---- segment ---------------------------------------------------------- */

/* Code points in s[0..len) (valid UTF-8). */
static size_t chars_in(const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

static PyObject *py_segment(PyObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "text", "lang", "kind", "paragraphs", "keep_furniture", "srx", "encoding", "name", NULL };
  PyObject *text_obj, *srx_obj = Py_None, *enc_obj = Py_None;
  const char *lang = "und", *kind = "auto", *paragraphs = "auto", *name = "text";
  int keep_furniture = 0;
  (void)self;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|s$sspOOs", kwlist, &text_obj, &lang, &kind, &paragraphs,
                                   &keep_furniture, &srx_obj, &enc_obj, &name))
    return NULL;
  side_params p = { 0 };
  char lang_buf[IEUM_LANG_MAX];
  const char *srx_path = NULL;
  input in;
  if (input_from(&in, text_obj, "text") != 0 || side_from_args(&p, lang_buf, lang, "lang", kind, paragraphs) != 0)
    return NULL;
  if (enc_obj != Py_None && !(p.encoding = PyUnicode_AsUTF8(enc_obj)))
    return NULL;
  if (srx_obj != Py_None && !(srx_path = PyUnicode_AsUTF8(srx_obj)))
    return NULL;
  p.name = name;
  p.keep_furniture = keep_furniture;

  ieum_doc *doc = NULL;
  ieum_buf text = IEUM_BUF_INIT;
  ieum_srx *srx = NULL;
  failure f = { 0 };
  int rc = 0;
  Py_BEGIN_ALLOW_THREADS
  if (srx_path && (rc = ieum_srx_load(&srx, srx_path)) != 0)
    fail_lib(&f, rc);
  if (rc == 0) {
    p.srx = srx;
    rc = load_side(&doc, &text, NULL, &in, &p, &f);
  }
  Py_END_ALLOW_THREADS
  PyObject *list = NULL;
  if (rc) {
    raise_failure(&f);
    goto done;
  }
  list = PyList_New(0);
  size_t at_byte = 0, at_char = 0;
  for (size_t k = 0; list && k < ieum_doc_count(doc); k++) {
    const ieum_segment *s = ieum_doc_segment(doc, k);
    if (s->start < at_byte)
      at_byte = at_char = 0;
    at_char += chars_in(text.ptr + at_byte, s->start - at_byte);
    at_byte = s->start;
    size_t start = at_char, end = start + chars_in(text.ptr + s->start, s->end - s->start);
    PyObject *item = Py_BuildValue("(s#nnIs)", s->text, (Py_ssize_t)s->len, (Py_ssize_t)start, (Py_ssize_t)end,
                                   (unsigned)s->para, ieum_segment_role_name(s->role));
    if (!item || PyList_Append(list, item) != 0)
      Py_CLEAR(list);
    Py_XDECREF(item);
  }
done:
  ieum_doc_free(doc);
  ieum_srx_free(srx);
  ieum_buf_dispose(&text);
  return list;
}

/* ---- extract ---------------------------------------------------------- */

static PyObject *py_extract(PyObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "html", "encoding", "name", NULL };
  PyObject *html_obj, *enc_obj = Py_None;
  const char *name = "page";
  (void)self;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|$Os", kwlist, &html_obj, &enc_obj, &name))
    return NULL;
  input in;
  ieum_html_options ho = IEUM_HTML_OPTIONS_INIT;
  if (input_from(&in, html_obj, "html") != 0)
    return NULL;
  if (in.is_str)
    ho.encoding = "UTF-8";
  else if (enc_obj != Py_None && !(ho.encoding = PyUnicode_AsUTF8(enc_obj)))
    return NULL;
  ieum_article *page = NULL;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  if ((rc = ieum_html_extract(&page, in.data, in.len, name, &ho)) != 0)
    fail_lib(&f, rc);
  Py_END_ALLOW_THREADS
  if (rc)
    return raise_failure(&f);
  PyObject *meta = PyDict_New(), *result = NULL;
  const char *key;
  for (size_t i = 0; meta && (key = ieum_html_meta_key(page, i)) != NULL; i++) {
    PyObject *v = PyUnicode_FromString(ieum_html_meta(page, key));
    if (!v || PyDict_SetItemString(meta, key, v) != 0)
      Py_CLEAR(meta);
    Py_XDECREF(v);
  }
  size_t len = 0;
  const char *text = ieum_html_text(page, &len);
  if (meta)
    result = Py_BuildValue("(s#N)", text ? text : "", (Py_ssize_t)len, meta);
  ieum_html_free(page);
  return result;
}

/* ---- TM --------------------------------------------------------------- */

typedef struct {
  PyObject_HEAD
  ieum_tm *tm;            /* NULL once closed */
  PyThread_type_lock lock; /* held by the thread using `tm` */
  char *path;             /* PyMem copy, for messages */
} TMObject;

/* Takes the handle's lock, waiting without the GIL; 0, or -1 with ValueError when the TM is closed. */
static int tm_enter(TMObject *self)
{
  if (!PyThread_acquire_lock(self->lock, NOWAIT_LOCK)) {
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(self->lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
  }
  if (!self->tm) {
    PyThread_release_lock(self->lock);
    PyErr_SetString(PyExc_ValueError, "the TM is closed");
    return -1;
  }
  return 0;
}

static void tm_leave(TMObject *self)
{
  PyThread_release_lock(self->lock);
}

static int TM_init(TMObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "path", "mode", NULL };
  PyObject *path_obj;
  const char *mode = "c";
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|s", kwlist, PyUnicode_FSConverter, &path_obj, &mode))
    return -1;
  int m = !strcmp(mode, "r")   ? IEUM_TM_READ
          : !strcmp(mode, "w") ? IEUM_TM_WRITE
          : !strcmp(mode, "c") ? IEUM_TM_CREATE
                               : -1;
  if (m < 0) {
    Py_DECREF(path_obj);
    PyErr_Format(PyExc_ValueError, "mode must be 'r' (read), 'w' (read-write) or 'c' (created when missing), not '%s'",
                 mode);
    return -1;
  }
  if (self->tm) {
    Py_DECREF(path_obj);
    PyErr_SetString(PyExc_RuntimeError, "the TM is already open");
    return -1;
  }
  const char *path = PyBytes_AS_STRING(path_obj);
  ieum_tm *tm = NULL;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  if ((rc = ieum_tm_open(&tm, path, m)) != 0)
    fail_lib(&f, rc);
  Py_END_ALLOW_THREADS
  if (rc) {
    Py_DECREF(path_obj);
    raise_failure(&f);
    return -1;
  }
  size_t n = strlen(path) + 1;
  if (!self->lock && !(self->lock = PyThread_allocate_lock())) {
    ieum_tm_free(tm);
    Py_DECREF(path_obj);
    PyErr_NoMemory();
    return -1;
  }
  PyMem_Free(self->path);
  if ((self->path = PyMem_Malloc(n)) != NULL)
    memcpy(self->path, path, n);
  Py_DECREF(path_obj);
  self->tm = tm;
  return 0;
}

static PyObject *TM_close(TMObject *self, PyObject *unused)
{
  (void)unused;
  if (self->lock && self->tm && tm_enter(self) == 0) {
    ieum_tm *tm = self->tm;
    self->tm = NULL;
    Py_BEGIN_ALLOW_THREADS
    ieum_tm_free(tm);
    Py_END_ALLOW_THREADS
    tm_leave(self);
  }
  Py_RETURN_NONE;
}

static void TM_dealloc(TMObject *self)
{
  ieum_tm_free(self->tm);
  if (self->lock)
    PyThread_free_lock(self->lock);
  PyMem_Free(self->path);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *TM_get_closed(TMObject *self, void *closure)
{
  (void)closure;
  return PyBool_FromLong(self->tm == NULL);
}

/* Units copied out of the library's callbacks (whose pointers are borrowed), to become Python tuples later. */
typedef struct {
  int score;        /* a match's percentage; -1 for a concordance line */
  int64_t id, position, created;
  double unit_score;
  char *s[8];       /* src, tgt, src_lang, tgt_lang, bead, document, note, role (NULL when absent) */
  size_t src_len, tgt_len;
} unit_copy;

typedef struct {
  unit_copy *items;
  size_t n, cap;
} unit_list;

static void unit_list_free(unit_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    for (int k = 0; k < 8; k++)
      free(l->items[i].s[k]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

static char *copy_str(const char *s, size_t len, int *oom)
{
  if (!s)
    return NULL;
  char *c = malloc(len + 1);
  if (!c) {
    *oom = 1;
    return NULL;
  }
  memcpy(c, s, len);
  c[len] = '\0';
  return c;
}

/* Appends a copy of `u` (score `score`) to `l`; 0 or IEUM_ENOMEM. */
static int unit_list_push(unit_list *l, const ieum_unit *u, int score)
{
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    unit_copy *items = realloc(l->items, cap * sizeof *items);
    if (!items)
      return IEUM_ENOMEM;
    l->items = items;
    l->cap = cap;
  }
  unit_copy *c = &l->items[l->n];
  int oom = 0;
  memset(c, 0, sizeof *c);
  c->score = score;
  c->id = u->id;
  c->position = u->position;
  c->created = u->created;
  c->unit_score = u->score;
  c->src_len = u->src_len;
  c->tgt_len = u->tgt_len;
  c->s[0] = copy_str(u->src ? u->src : "", u->src_len, &oom);
  c->s[1] = copy_str(u->tgt ? u->tgt : "", u->tgt_len, &oom);
  const char *rest[6] = { u->src_lang, u->tgt_lang, u->bead, u->document, u->note, u->role };
  for (int k = 0; k < 6; k++)
    c->s[2 + k] = copy_str(rest[k], rest[k] ? strlen(rest[k]) : 0, &oom);
  l->n++; /* freed with the list even when a copy failed */
  return oom ? IEUM_ENOMEM : 0;
}

static int collect_unit(const ieum_unit *u, void *payload)
{
  return unit_list_push(payload, u, -1);
}

static int collect_match(const ieum_tm_match *m, void *payload)
{
  return unit_list_push(payload, &m->unit, m->score);
}

/* (id, src, tgt, src_lang, tgt_lang, score, bead, document, position, created, note, role) */
static PyObject *unit_tuple(const unit_copy *c)
{
  PyObject *score = c->unit_score < 0 ? Py_NewRef(Py_None) : PyFloat_FromDouble(c->unit_score);
  PyObject *position = c->position < 0 ? Py_NewRef(Py_None) : PyLong_FromLongLong(c->position);
  if (!score || !position) {
    Py_XDECREF(score);
    Py_XDECREF(position);
    return NULL;
  }
  return Py_BuildValue("(Ls#s#zzNzzNLzz)", (long long)c->id, c->s[0], (Py_ssize_t)c->src_len, c->s[1],
                       (Py_ssize_t)c->tgt_len, c->s[2], c->s[3], score, c->s[4], c->s[5], position,
                       (long long)c->created, c->s[6], c->s[7]);
}

static PyObject *TM_search(TMObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "text", "min_score", "limit", "exhaustive", NULL };
  const char *text;
  Py_ssize_t len;
  int min_score = 70, exhaustive = 0;
  Py_ssize_t limit = 10;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|$inp", kwlist, &text, &len, &min_score, &limit, &exhaustive))
    return NULL;
  if (min_score < 0 || min_score > 100 || limit < 1) {
    PyErr_SetString(PyExc_ValueError, "min_score must be 0-100 and limit at least 1");
    return NULL;
  }
  if (tm_enter(self) != 0)
    return NULL;
  ieum_tm_search_options so = IEUM_TM_SEARCH_OPTIONS_INIT;
  so.min_score = min_score;
  so.max_results = (size_t)limit;
  so.exhaustive = exhaustive;
  unit_list l = { 0 };
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  if ((rc = ieum_tm_search(self->tm, text, (size_t)len, &so, collect_match, &l)) != 0)
    fail_lib(&f, rc);
  Py_END_ALLOW_THREADS
  tm_leave(self);
  PyObject *list = NULL;
  if (rc) {
    raise_failure(&f);
    goto done;
  }
  list = PyList_New(0);
  for (size_t i = 0; list && i < l.n; i++) {
    PyObject *item = Py_BuildValue("(iN)", l.items[i].score, unit_tuple(&l.items[i]));
    if (!item || PyList_Append(list, item) != 0)
      Py_CLEAR(list);
    Py_XDECREF(item);
  }
done:
  unit_list_free(&l);
  return list;
}

static PyObject *TM_concordance(TMObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "words", "limit", NULL };
  PyObject *words_obj;
  Py_ssize_t limit = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|$n", kwlist, &words_obj, &limit))
    return NULL;
  if (limit < 0) {
    PyErr_SetString(PyExc_ValueError, "limit must be 0 (all) or more");
    return NULL;
  }
  PyObject *fast = PySequence_Fast(words_obj, "words must be a sequence of str");
  if (!fast)
    return NULL;
  size_t n = 0;
  const char **words = str_items(fast, &n, "words");
  PyObject *list = NULL;
  unit_list l = { 0 };
  if (!words || tm_enter(self) != 0)
    goto done;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  if ((rc = ieum_tm_concordance(self->tm, words, n, (size_t)limit, collect_unit, &l)) != 0)
    fail_lib(&f, rc);
  Py_END_ALLOW_THREADS
  tm_leave(self);
  if (rc) {
    raise_failure(&f);
    goto done;
  }
  list = PyList_New(0);
  for (size_t i = 0; list && i < l.n; i++) {
    PyObject *item = unit_tuple(&l.items[i]);
    if (!item || PyList_Append(list, item) != 0)
      Py_CLEAR(list);
    Py_XDECREF(item);
  }
done:
  unit_list_free(&l);
  PyMem_Free(words);
  Py_DECREF(fast);
  return list;
}

/* One unit to add, its strings borrowed from the Python objects of the call. */
typedef struct {
  ieum_unit u;
  char src_lang[IEUM_LANG_MAX], tgt_lang[IEUM_LANG_MAX];
} unit_in;

/*
** Adds units[0..n) to the document named `document` (created, of kind
** "tmx", when the TM has none of that name from this binding), in one
** transaction, skipping units whose texts and languages the TM already
** has.  `*added` receives how many went in.  Runs without the GIL.
*/
static int tm_add_units(size_t *added, ieum_tm *tm, const char *document, const unit_in *units, size_t n, failure *f)
{
  ieum_tm_importer *im = NULL;
  int64_t doc_id = 0;
  char hash[33];
  int rc;
  *added = 0;
  if ((rc = ieum_tm_begin(tm)) != 0)
    return fail_lib(f, rc);
  /* a document of the binding is known by its name: its hash is that of "python:" + the name */
  size_t dlen = strlen(document);
  char *key = malloc(dlen + 8);
  if (!key) {
    rc = fail_msg(f, IEUM_ENOMEM, "out of memory");
    goto fail;
  }
  memcpy(key, "python:", 7);
  memcpy(key + 7, document, dlen + 1);
  ieum_tm_hash(hash, key, dlen + 7, NULL, 0);
  free(key);
  ieum_tm_document d = { .kind = "tmx", .src_path = document, .src_lang = units[0].u.src_lang,
                         .tgt_lang = units[0].u.tgt_lang, .hash = hash };
  rc = ieum_tm_add_document(&doc_id, tm, &d);
  if (rc != 0 && rc != IEUM_EEXISTS) {
    fail_lib(f, rc);
    goto fail;
  }
  if ((rc = ieum_tm_importer_new(&im, tm, doc_id, 1)) != 0) {
    fail_lib(f, rc);
    goto fail;
  }
  for (size_t k = 0; k < n; k++) {
    int one = 0;
    if ((rc = ieum_tm_importer_add(&one, im, &units[k].u, NULL, 0)) != 0) {
      fail_lib(f, rc);
      goto fail;
    }
    *added += (size_t)one;
  }
  ieum_tm_importer_free(im);
  im = NULL;
  if ((rc = ieum_tm_commit(tm)) != 0) {
    fail_lib(f, rc);
    goto fail;
  }
  return 0;
fail:
  ieum_tm_importer_free(im);
  ieum_tm_rollback(tm);
  *added = 0;
  return rc;
}

/*
** _add(units, document): units is a sequence of tuples
** (src, tgt, src_lang, tgt_lang, score|None, bead|None, role|None, note|None).
** Returns the number of units added.
*/
static PyObject *TM_add(TMObject *self, PyObject *args)
{
  PyObject *seq;
  const char *document;
  if (!PyArg_ParseTuple(args, "Os", &seq, &document))
    return NULL;
  PyObject *fast = PySequence_Fast(seq, "units must be a sequence");
  if (!fast)
    return NULL;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
  unit_in *units = PyMem_Calloc(n ? (size_t)n : 1, sizeof *units);
  PyObject *result = NULL;
  if (!units) {
    PyErr_NoMemory();
    goto done;
  }
  for (Py_ssize_t k = 0; k < n; k++) {
    unit_in *ui = &units[k];
    const char *src, *tgt, *src_lang, *tgt_lang, *bead, *role, *note;
    Py_ssize_t src_len, tgt_len;
    PyObject *score;
    if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, k), "s#s#ssOzzz;a unit is (src, tgt, src_lang, tgt_lang, "
                          "score, bead, role, note)", &src, &src_len, &tgt, &tgt_len, &src_lang, &tgt_lang,
                          &score, &bead, &role, &note))
      goto done;
    ui->u = (ieum_unit)IEUM_UNIT_INIT;
    ui->u.src = src;
    ui->u.tgt = tgt;
    ui->u.src_len = (size_t)src_len;
    ui->u.tgt_len = (size_t)tgt_len;
    if (lang_arg(ui->src_lang, src_lang, "src_lang") != 0 || lang_arg(ui->tgt_lang, tgt_lang, "tgt_lang") != 0)
      goto done;
    ui->u.src_lang = ui->src_lang;
    ui->u.tgt_lang = ui->tgt_lang;
    if (score != Py_None) {
      ui->u.score = PyFloat_AsDouble(score);
      if (PyErr_Occurred())
        goto done;
      if (!(ui->u.score >= 0 && ui->u.score <= 1)) {
        PyErr_SetString(PyExc_ValueError, "score must be in [0, 1] or None");
        goto done;
      }
    }
    if (role) {
      int r = 0;
      while (r < IEUM_ROLE_COUNT && strcmp(ieum_segment_role_name(r), role))
        r++;
      if (r == IEUM_ROLE_COUNT) {
        PyErr_Format(PyExc_ValueError, "unknown role '%s' (body, headline, byline, caption, credit, dateline, "
                     "related, furniture)", role);
        goto done;
      }
    }
    ui->u.bead = bead;
    ui->u.role = role;
    ui->u.note = note;
  }
  if (n == 0) {
    result = PyLong_FromLong(0);
    goto done;
  }
  if (tm_enter(self) != 0)
    goto done;
  size_t added = 0;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = tm_add_units(&added, self->tm, document, units, (size_t)n, &f);
  Py_END_ALLOW_THREADS
  tm_leave(self);
  result = rc ? raise_failure(&f) : PyLong_FromSize_t(added);
done:
  PyMem_Free(units);
  Py_DECREF(fast);
  return result;
}

static int export_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  return ieum_export_add(payload, u, props, n);
}

/* export(path, format, src_lang, tgt_lang, roles, plain_tags) -> (written, other_pairs, other_roles) */
static PyObject *TM_export(TMObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "path", "format", "src_lang", "tgt_lang", "roles", "plain_tags", NULL };
  PyObject *path_obj;
  const char *format = "tmx", *src_lang = NULL, *tgt_lang = NULL, *roles = NULL;
  int plain_tags = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|$szzzp", kwlist, PyUnicode_FSConverter, &path_obj, &format, &src_lang,
                                   &tgt_lang, &roles, &plain_tags))
    return NULL;
  ieum_export_options eo = IEUM_EXPORT_OPTIONS_INIT;
  char src_buf[IEUM_LANG_MAX], tgt_buf[IEUM_LANG_MAX];
  PyObject *result = NULL;
  if (ieum_export_format_from_name(&eo.format, format) != 0) {
    const ieum_error *e = ieum_error_last();
    PyErr_SetString(PyExc_ValueError, e ? e->message : "unknown format");
    goto done;
  }
  eo.roles = IEUM_EXPORT_ROLES_DEFAULT;
  if (roles && ieum_export_roles_parse(&eo.roles, roles) != 0) {
    const ieum_error *e = ieum_error_last();
    PyErr_SetString(PyExc_ValueError, e ? e->message : "bad roles");
    goto done;
  }
  if ((src_lang && lang_arg(src_buf, src_lang, "src_lang") != 0) ||
      (tgt_lang && lang_arg(tgt_buf, tgt_lang, "tgt_lang") != 0))
    goto done;
  eo.src_lang = src_lang ? src_buf : NULL;
  eo.tgt_lang = tgt_lang ? tgt_buf : NULL;
  eo.plain_tags = plain_tags;
  if (tm_enter(self) != 0)
    goto done;
  const char *path = PyBytes_AS_STRING(path_obj);
  ieum_export *e = NULL;
  size_t written = 0, other_pairs = 0, other_roles = 0;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  if ((rc = ieum_export_open(&e, path, &eo)) != 0) {
    fail_lib(&f, rc);
  } else if ((rc = ieum_tm_foreach_with_props(self->tm, export_unit, e)) != 0) {
    fail_lib(&f, rc);
    ieum_export_free(e);
  } else {
    written = ieum_export_count(e);
    other_pairs = ieum_export_skipped(e);
    other_roles = ieum_export_role_skipped(e);
    if ((rc = ieum_export_close(e)) != 0)
      fail_lib(&f, rc);
  }
  Py_END_ALLOW_THREADS
  tm_leave(self);
  result = rc ? raise_failure(&f) : Py_BuildValue("(nnn)", (Py_ssize_t)written, (Py_ssize_t)other_pairs,
                                                 (Py_ssize_t)other_roles);
done:
  Py_DECREF(path_obj);
  return result;
}

static PyObject *TM_stats(TMObject *self, PyObject *unused)
{
  (void)unused;
  if (tm_enter(self) != 0)
    return NULL;
  ieum_tm_stats st;
  failure f = { 0 };
  int rc;
  Py_BEGIN_ALLOW_THREADS
  if ((rc = ieum_tm_stats_get(&st, self->tm)) != 0)
    fail_lib(&f, rc);
  Py_END_ALLOW_THREADS
  tm_leave(self);
  if (rc)
    return raise_failure(&f);
  PyObject *pairs = PyList_New(0);
  for (size_t i = 0; pairs && i < st.n_langs; i++) {
    PyObject *item = Py_BuildValue("(ssL)", st.langs[i].src, st.langs[i].tgt, (long long)st.langs[i].units);
    if (!item || PyList_Append(pairs, item) != 0)
      Py_CLEAR(pairs);
    Py_XDECREF(item);
  }
  if (!pairs)
    return NULL;
  return Py_BuildValue("{sLsLsN}", "documents", (long long)st.documents, "units", (long long)st.units,
                       "language_pairs", pairs);
}

static PyMethodDef TM_methods[] = {
  { "close", (PyCFunction)TM_close, METH_NOARGS, "Closes the TM (an open transaction is rolled back); idempotent." },
  { "_search", (PyCFunction)(void (*)(void))TM_search, METH_VARARGS | METH_KEYWORDS,
    "_search(text, *, min_score=70, limit=10, exhaustive=False) -> [(percent, unit tuple)]" },
  { "_concordance", (PyCFunction)(void (*)(void))TM_concordance, METH_VARARGS | METH_KEYWORDS,
    "_concordance(words, *, limit=0) -> [unit tuple]" },
  { "_add", (PyCFunction)TM_add, METH_VARARGS, "_add(units, document) -> number added" },
  { "_export", (PyCFunction)(void (*)(void))TM_export, METH_VARARGS | METH_KEYWORDS,
    "_export(path, *, format='tmx', src_lang=None, tgt_lang=None, roles=None, plain_tags=False) -> counts" },
  { "stats", (PyCFunction)TM_stats, METH_NOARGS,
    "stats() -> {'documents': n, 'units': n, 'language_pairs': [(src, tgt, units)]}" },
  { NULL, NULL, 0, NULL },
};

static PyGetSetDef TM_getset[] = {
  { "closed", (getter)TM_get_closed, NULL, "True once close() was called", NULL },
  { NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject TM_type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "ieum._ieum._TM",
  .tp_basicsize = sizeof(TMObject),
  .tp_dealloc = (destructor)TM_dealloc,
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
  .tp_doc = "_TM(path, mode='c'): a handle on an ieum translation memory (see ieum.TM)",
  .tp_methods = TM_methods,
  .tp_getset = TM_getset,
  .tp_init = (initproc)TM_init,
  .tp_new = PyType_GenericNew,
};

/* ---- module ----------------------------------------------------------- */

static PyObject *py_versions(PyObject *self, PyObject *unused)
{
  (void)self;
  (void)unused;
  return Py_BuildValue("{ssssssss}", "ieum", ieum_version(), "ICU", ieum_dependency_version("ICU"), "SQLite",
                       ieum_dependency_version("SQLite"), "libxml2", ieum_dependency_version("libxml2"));
}

static PyMethodDef module_methods[] = {
  { "_align", (PyCFunction)(void (*)(void))py_align, METH_VARARGS | METH_KEYWORDS,
    "_align(src, tgt, **options) -> ([bead tuple], warning or None)" },
  { "_segment", (PyCFunction)(void (*)(void))py_segment, METH_VARARGS | METH_KEYWORDS,
    "_segment(text, lang='und', **options) -> [(text, start, end, paragraph, role)]" },
  { "_extract", (PyCFunction)(void (*)(void))py_extract, METH_VARARGS | METH_KEYWORDS,
    "_extract(html, *, encoding=None, name='page') -> (text, metadata dict)" },
  { "versions", py_versions, METH_NOARGS, "versions() -> the run-time versions of ieum, ICU, SQLite and libxml2" },
  { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module_def = {
  PyModuleDef_HEAD_INIT, "_ieum", "The C half of the ieum binding; use the ieum package.", -1, module_methods,
  NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ieum(void);

PyMODINIT_FUNC PyInit__ieum(void)
{
  static const struct { const char *name; int code; } codes[] = {
    { "OK", IEUM_OK },           { "ERROR", IEUM_ERROR },   { "ENOMEM", IEUM_ENOMEM },     { "EIO", IEUM_EIO },
    { "EENCODING", IEUM_EENCODING }, { "EPARSE", IEUM_EPARSE }, { "EDB", IEUM_EDB },       { "ENOTFOUND", IEUM_ENOTFOUND },
    { "EINVAL", IEUM_EINVAL },   { "ELIMIT", IEUM_ELIMIT }, { "EEXISTS", IEUM_EEXISTS },
  };
  if (PyType_Ready(&TM_type) < 0)
    return NULL;
  PyObject *m = PyModule_Create(&module_def);
  if (!m)
    return NULL;
  ieum_error_type = PyErr_NewExceptionWithDoc("ieum.Error",
                                              "An ieum library failure: str(e) and e.message are the library's "
                                              "one-line message, e.code its IEUM_E* code (ieum.EINVAL, ...).",
                                              NULL, NULL);
  if (!ieum_error_type || PyModule_AddObjectRef(m, "Error", ieum_error_type) < 0 ||
      PyModule_AddObjectRef(m, "_TM", (PyObject *)&TM_type) < 0 ||
      PyModule_AddStringConstant(m, "__version__", ieum_version()) < 0)
    goto fail;
  for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
    if (PyModule_AddIntConstant(m, codes[k].name, codes[k].code) < 0)
      goto fail;
  return m;
fail:
  Py_DECREF(m);
  return NULL;
}
