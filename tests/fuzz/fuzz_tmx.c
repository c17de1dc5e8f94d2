/*
** tests/fuzz/fuzz_tmx.c: fuzz harness of the TMX round trip: reading
** (formats/tmx_read.c), importing into a TM (tm/), exporting
** (formats/tmx_write.c, formats/export.c), reading the export back.
**
** The input is written as a file in this process's temporary folder and
** imported as `ieum tm import --tags` does (ieum_tmx_read_props() with
** keep_tags into an in-memory TM through an importer that merges
** duplicates).  When units came in, the TM is exported to TMX, XLIFF, JSONL,
** TSV and Moses in the same folder, and the TMX export is read back: it must
** hold the TM's units in their order with the same source and target text,
** byte for byte (a unit with an empty side is written with one <tuv> and
** counted as skipped).  Each failure must carry a one-line message naming
** the input file (or, for an import that the TM refused, any message).
** Cost: linear in the file; the TM is made and dropped per input.
** Not here: TMX files the writer produces from alignments (covered by the
** golden CLI tests).
*/
#include <string.h>

#include "fuzz.h"
#include "util.h"

typedef struct {
  ieum_tm_importer *im;
  int from_tm;    /* the failure came from the TM, not from the reader */
} import_sink;

/* Each unit's texts, "SRC-LEN TGT-LEN" framed, in TM order. */
typedef struct {
  ieum_buf rec;
  size_t n;       /* units recorded */
  size_t at;      /* read position when comparing */
  size_t seen;    /* units compared */
} unit_list;

static int import_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  import_sink *s = payload;
  int rc = ieum_tm_importer_add(NULL, s->im, u, props, n);
  s->from_tm = rc != 0;
  return rc;
}

static int put_text(ieum_buf *b, const char *s, size_t n)
{
  int rc = ieum__buf_put(b, (const char *)&n, sizeof n);
  return rc ? rc : ieum__buf_put(b, s ? s : "", n);
}

static int record_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  unit_list *l = payload;
  (void)props;
  (void)n;
  if (u->src_len == 0 && u->tgt_len == 0)
    return 0; /* never stored; an empty side alone is written as an empty <seg> and read back */
  l->n++;
  int rc = put_text(&l->rec, u->src, u->src_len);
  return rc ? rc : put_text(&l->rec, u->tgt, u->tgt_len);
}

static void expect_text(unit_list *l, const char *s, size_t n, const char *side)
{
  size_t want;
  FUZZ_CHECK(l->at + sizeof want <= l->rec.size, "the TMX export read back has more units than the TM (%zu)", l->n);
  memcpy(&want, l->rec.ptr + l->at, sizeof want);
  l->at += sizeof want;
  FUZZ_CHECK(want == n && memcmp(l->rec.ptr + l->at, s, n) == 0,
             "unit %zu: %s '%.*s' read back from the export as '%.*s'", l->seen, side, (int)want,
             l->rec.ptr + l->at, (int)n, s);
  l->at += want;
}

static int compare_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  unit_list *l = payload;
  (void)props;
  (void)n;
  expect_text(l, u->src, u->src_len, "source");
  expect_text(l, u->tgt, u->tgt_len, "target");
  l->seen++;
  return 0;
}

static int export_unit(const ieum_unit *u, const ieum_unit_prop *props, size_t n, void *payload)
{
  int rc = ieum_export_add(payload, u, props, n);
  if (rc == IEUM_EINVAL) {
    fuzz_check_error(rc, NULL, "ieum_export_add");
    return 0; /* a unit this format cannot carry: skipped, the export goes on */
  }
  return rc;
}

/*
** Exports `tm` in `format` to `path`: 1 when done, 0 when the export refused
** the TM's language pair (a tag with a space or a slash, or too long: an
** error the CLI reports too).
*/
static int export_as(ieum_tm *tm, int format, const char *path, const ieum_tm_stats *st)
{
  ieum_export_options eo = IEUM_EXPORT_OPTIONS_INIT;
  ieum_export *e = NULL;
  eo.format = format;
  if (st->n_langs > 0) {
    eo.src_lang = st->langs[0].src;
    eo.tgt_lang = st->langs[0].tgt;
  }
  int rc = ieum_export_open(&e, path, &eo);
  if (rc == IEUM_EINVAL) {
    fuzz_check_error(rc, NULL, "ieum_export_open");
    return 0;
  }
  FUZZ_CHECK(rc == 0, "cannot open the export %s: %s", path, ieum_error_last() ? ieum_error_last()->message : "");
  rc = ieum_tm_foreach_with_props(tm, export_unit, e);
  FUZZ_CHECK(rc == 0, "exporting the TM failed: %s", ieum_error_last() ? ieum_error_last()->message : "");
  rc = ieum_export_close(e);
  FUZZ_CHECK(rc == 0, "closing the export %s failed: %s", path, ieum_error_last() ? ieum_error_last()->message : "");
  return 1;
}

static void round_trip(ieum_tm *tm)
{
  static const struct {
    int format;
    const char *name;
  } others[] = { { IEUM_EXPORT_XLIFF, "out.xlf" }, { IEUM_EXPORT_JSONL, "out.jsonl" }, { IEUM_EXPORT_TSV, "out.tsv" } };
  ieum_tm_stats st;
  unit_list l = { IEUM_BUF_INIT, 0, 0, 0 };
  FUZZ_CHECK(ieum_tm_stats_get(&st, tm) == 0, "ieum_tm_stats_get failed");
  FUZZ_CHECK(ieum_tm_foreach_with_props(tm, record_unit, &l) == 0, "reading the TM back failed");
  const char *out = fuzz_path(1, "out.tmx");
  if (!export_as(tm, IEUM_EXPORT_TMX, out, &st)) {
    ieum_buf_dispose(&l.rec);
    return;
  }

  ieum_tmx_read_options ro = IEUM_TMX_READ_OPTIONS_INIT;
  ieum_tmx_info info;
  ro.keep_tags = 1;
  if (st.n_langs > 0) {
    ro.src_lang = st.langs[0].src;
    ro.tgt_lang = st.langs[0].tgt;
  }
  int rc = ieum_tmx_read_props(&info, out, &ro, compare_unit, &l);
  FUZZ_CHECK(rc == 0, "the TMX export does not read back: %s", ieum_error_last() ? ieum_error_last()->message : "");
  FUZZ_CHECK(l.seen == l.n, "the TM has %zu units with both sides, the export read back %zu", l.n, l.seen);
  fuzz_unlink(out);
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    const char *p = fuzz_path(2, others[i].name);
    export_as(tm, others[i].format, p, &st);
    fuzz_unlink(p);
  }
  /* Moses: two files, PREFIX.<src_lang> and PREFIX.<tgt_lang>. */
  const char *prefix = fuzz_path(2, "out-moses");
  if (export_as(tm, IEUM_EXPORT_MOSES, prefix, &st) && st.n_langs > 0) {
    ieum_buf name = IEUM_BUF_INIT;
    for (int side = 0; side < 2; side++) {
      ieum__buf_clear(&name);
      FUZZ_CHECK(ieum__buf_printf(&name, "%s.%s", prefix, side ? st.langs[0].tgt : st.langs[0].src) == 0,
                 "out of memory");
      fuzz_unlink(name.ptr);
    }
    ieum_buf_dispose(&name);
  }
  ieum_buf_dispose(&l.rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = fuzz_file(0, "fuzz-in.tmx", data, size);
  ieum_tm *tm = NULL;
  import_sink sink = { NULL, 0 };
  int64_t doc_id = 0;
  char hash[33];
  int rc;
  FUZZ_CHECK(ieum_tm_open(&tm, ":memory:", IEUM_TM_CREATE) == 0, "cannot make an in-memory TM: %s",
             ieum_error_last() ? ieum_error_last()->message : "");
  FUZZ_CHECK(ieum_tm_hash_file(hash, path) == 0, "cannot hash %s", path);
  FUZZ_CHECK(ieum_tm_begin(tm) == 0, "cannot begin a TM transaction");
  ieum_tm_document d = { .kind = "tmx", .src_path = path, .hash = hash };
  FUZZ_CHECK(ieum_tm_add_document(&doc_id, tm, &d) == 0, "cannot add a document to an empty TM");
  FUZZ_CHECK(ieum_tm_importer_new(&sink.im, tm, doc_id, 1) == 0, "cannot start an import");

  ieum_tmx_read_options ro = IEUM_TMX_READ_OPTIONS_INIT;
  ieum_tmx_info info;
  memset(&info, 0, sizeof info);
  ro.keep_tags = 1;
  rc = ieum_tmx_read_props(&info, path, &ro, import_unit, &sink);
  ieum_tm_importer_free(sink.im);
  if (rc != 0) {
    fuzz_check_error(rc, sink.from_tm ? NULL : path, "ieum_tmx_read_props");
    ieum_tm_rollback(tm);
  } else if (info.units > 0) {
    FUZZ_CHECK(ieum_tm_commit(tm) == 0, "cannot commit the import: %s",
               ieum_error_last() ? ieum_error_last()->message : "");
    round_trip(tm);
  }
  ieum_tm_free(tm);
  fuzz_unlink(path);
  return 0;
}
