/*
** tests/unit/tm_store.c: the SQLite translation memory (tm/store.c,
** tm/schema.c) and SHA-256 (util/sha256.c).
**
** Every case works in its own files under one mkdtemp() directory in /tmp,
** removed at the end.  Covered: the FIPS 180-2 SHA-256 vectors, content
** hashes, creating and reopening a TM, documents and units with their
** duplicates, transactions, foreach and stats, read-only use, files that
** are not a TM, a locked TM, and allocation failures.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sha256.h"
#include "tap.h"
#include "tm/tm_int.h"
#include "util.h"

static char tmpdir[64];

/* A path inside the test directory (static buffer, one at a time per slot). */
static const char *tmp_path(int slot, const char *name)
{
  static char paths[4][512];
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", tmpdir, name);
  return paths[slot];
}

static void remove_tmpdir(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(tmp_path(3, e->d_name));
  closedir(d);
  rmdir(tmpdir);
}

static void write_file(const char *path, const char *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(data, 1, len, f);
    fclose(f);
  }
}

static const char *last_message(void)
{
  const ieum_error *e = ieum_error_last();
  return e ? e->message : "(none)";
}

static int has(const char *hay, const char *needle)
{
  return hay && strstr(hay, needle) != NULL;
}

static void hex(char *out, const unsigned char *d, size_t n)
{
  for (size_t i = 0; i < n; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha_hex(char out[65], const void *data, size_t len)
{
  ieum__sha256_ctx c;
  unsigned char d[32];
  ieum__sha256_init(&c);
  ieum__sha256_update(&c, data, len);
  ieum__sha256_final(&c, d);
  hex(out, d, 32);
}

static void test_tm_store__sha256_vectors(void)
{
  char h[65];
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha_hex(h, "abc", 3);
  is_str(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of 'abc'");
  sha_hex(h, m448, strlen(m448));
  is_str(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "SHA-256 of the 448-bit message");
  sha_hex(h, "", 0);
  is_str(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of the empty message");

  ieum__sha256_ctx c;
  unsigned char d[32];
  char block[1000];
  memset(block, 'a', sizeof block);
  ieum__sha256_init(&c);
  for (int i = 0; i < 1000; i++)
    ieum__sha256_update(&c, block, sizeof block);
  ieum__sha256_final(&c, d);
  hex(h, d, 32);
  is_str(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "SHA-256 of one million 'a'");

  /* The same message fed in uneven pieces. */
  ieum__sha256_init(&c);
  for (size_t i = 0, step = 1; i < strlen(m448); i += step, step = step % 7 + 1)
    ieum__sha256_update(&c, m448 + i, i + step <= strlen(m448) ? step : strlen(m448) - i);
  ieum__sha256_final(&c, d);
  hex(h, d, 32);
  is_str(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "split updates give the same digest");
}

static void test_tm_store__hash(void)
{
  char h1[33], h2[33], h3[33], h4[33], h5[33], hf[33];
  const char *ko = "서울의 봄은 짧다.", *en = "Spring in Seoul is short.";
  ieum_tm_hash(h1, ko, strlen(ko), en, strlen(en));
  ieum_tm_hash(h2, ko, strlen(ko), en, strlen(en));
  is_str(h1, h2, "hash is stable");
  is_int(strlen(h1), 32, "32 hex digits");
  is_int(strspn(h1, "0123456789abcdef"), 32, "lowercase hex only");
  ieum_tm_hash(h2, "a", 1, "b", 1);
  ieum_tm_hash(h3, "b", 1, "a", 1);
  ieum_tm_hash(h4, "ab", 2, "", 0);
  ieum_tm_hash(h5, "ab", 2, NULL, 0);
  ok(strcmp(h2, h3) && strcmp(h2, h4) && strcmp(h3, h4), "(a,b), (b,a) and (ab,\"\") differ");
  ok(strcmp(h4, h5) != 0, "an empty second text differs from none");

  const char *path = tmp_path(0, "hash.txt");
  write_file(path, "ab", 2);
  is_int(ieum_tm_hash_file(hf, path), IEUM_OK, "hash of a file");
  is_str(hf, h5, "file hash equals ieum_tm_hash(content, NULL)");
  is_int(ieum_tm_hash_file(hf, tmp_path(0, "missing.txt")), IEUM_ENOTFOUND, "hash of a missing file");
  ok(has(last_message(), "missing.txt"), "message names the file: %s", last_message());
  is_int(ieum_tm_hash_file(hf, tmpdir), IEUM_EIO, "hash of a directory is EIO");
}

typedef struct {
  int n;
  int64_t ids[8];
  char src[8][64];
  char doc[8][64];
  int64_t pos[8];
  double score[8];
  char bead[8][8];
  char lang[8][16];
  int64_t created[8];
  char note[8][32];
  int stop_at; /* return 7 on this unit (1-based), 0: never */
} collect;

static int collect_unit(const ieum_unit *u, void *payload)
{
  collect *c = payload;
  if (c->n < 8) {
    c->ids[c->n] = u->id;
    snprintf(c->src[c->n], sizeof c->src[0], "%.*s", (int)u->src_len, u->src);
    snprintf(c->doc[c->n], sizeof c->doc[0], "%s", u->document ? u->document : "(null)");
    c->pos[c->n] = u->position;
    c->score[c->n] = u->score;
    snprintf(c->bead[c->n], sizeof c->bead[0], "%s", u->bead ? u->bead : "(null)");
    snprintf(c->lang[c->n], sizeof c->lang[0], "%s>%s", u->src_lang, u->tgt_lang);
    c->created[c->n] = u->created;
    snprintf(c->note[c->n], sizeof c->note[0], "%s", u->note ? u->note : "(null)");
  }
  c->n++;
  return c->stop_at && c->n == c->stop_at ? 7 : 0;
}

static ieum_unit make_unit(const char *src, const char *tgt, double score, const char *bead, int64_t pos)
{
  ieum_unit u = IEUM_UNIT_INIT;
  u.src = src;
  u.src_len = strlen(src);
  u.tgt = tgt;
  u.tgt_len = strlen(tgt);
  u.src_lang = "ko";
  u.tgt_lang = "en";
  u.score = score;
  u.bead = bead;
  u.position = pos;
  return u;
}

static void test_tm_store__create_and_fill(void)
{
  const char *path = tmp_path(0, "fill.db");
  ieum_tm *tm = NULL;
  int64_t doc = 0, again = 0, tmx = 0;
  char hash[33];
  is_int(ieum_tm_open(&tm, path, IEUM_TM_CREATE), IEUM_OK, "create a new TM");
  ok(tm && access(path, F_OK) == 0, "the file exists");

  ieum_tm_document d = { .kind = "pair", .src_path = "ko.txt", .tgt_path = "en.txt", .src_lang = "ko",
                         .tgt_lang = "en" };
  ieum_tm_hash(hash, "가", 3, "a", 1);
  d.hash = hash;
  is_int(ieum_tm_add_document(&doc, tm, &d), IEUM_EINVAL, "add_document outside a transaction");
  ok(has(last_message(), "TM write outside a transaction"), "message says why: %s", last_message());
  ieum_unit u0 = make_unit("첫째 문장이다.", "The first sentence.", 0.95, "1-1", 0);
  is_int(ieum_tm_add_unit(tm, 1, &u0), IEUM_EINVAL, "add_unit outside a transaction");

  is_int(ieum_tm_begin(tm), IEUM_OK, "begin");
  is_int(ieum_tm_begin(tm), IEUM_EINVAL, "a second begin is refused");
  is_int(ieum_tm_add_document(&doc, tm, &d), IEUM_OK, "add a document");
  ok(doc > 0, "document id %lld", (long long)doc);
  ieum_unit u1 = make_unit("둘째와 셋째 문장.", "The second. And the third.", 0.42, "1-2", 1);
  u1.note = "checked";
  u1.created = 1700000000;
  ieum_unit u2 = make_unit("서울에 비가 온다.", "It rains in Seoul.", -1, NULL, -1); /* next position */
  is_int(ieum_tm_add_unit(tm, doc, &u1), IEUM_OK, "add unit at position 1");
  is_int(ieum_tm_add_unit(tm, doc, &u0), IEUM_OK, "add unit at position 0");
  is_int(ieum_tm_add_unit(tm, doc, &u2), IEUM_OK, "add unit without position");
  ieum_unit dup = make_unit("다른 문장.", "Another one.", 0.5, "1-1", 1);
  is_int(ieum_tm_add_unit(tm, doc, &dup), IEUM_OK, "a unit at a taken position is accepted...");
  ieum_unit empty = make_unit("", "", 0.5, "1-1", 9);
  is_int(ieum_tm_add_unit(tm, doc, &empty), IEUM_EINVAL, "empty source and target are refused");
  ieum_unit nolang = make_unit("언어 없음.", "No language.", 0.15, "1-0", -1);
  nolang.src_lang = nolang.tgt_lang = NULL;
  is_int(ieum_tm_add_unit(tm, doc, &nolang), IEUM_OK, "a unit without languages takes the document's");
  is_int(ieum_tm_add_unit(tm, doc + 100, &u0), IEUM_EINVAL, "a unit of an unknown document is refused");
  ok(has(last_message(), "no document"), "message: %s", last_message());

  ieum_tm_document t = { .kind = "tmx", .src_path = "old.tmx", .src_lang = "ko", .tgt_lang = "en-US",
                         .hash = hash }; /* same hash, other kind: a different document */
  is_int(ieum_tm_add_document(&tmx, tm, &t), IEUM_OK, "same hash with another kind is another document");
  ieum_unit tu = make_unit("가져온 문장.", "An imported sentence.", 1.0, "1-1", -1);
  tu.tgt_lang = "en-US";
  is_int(ieum_tm_add_unit(tm, tmx, &tu), IEUM_OK, "add a unit to the tmx document");
  /* A TMX holds units of several documents, each numbered from 0: none shadows another. */
  ieum_unit k0 = make_unit("기상청은 말했다.", "The weather agency said.", 0.8, "1-1", 0);
  ieum_unit k1 = make_unit("비가 그친다.", "The rain stops.", 0.85, "1-1", -1);
  ieum_unit b0 = make_unit("부산 소식.", "News from Busan.", 0.3, "1-1", 0);
  ieum_unit kdup = make_unit("중복.", "A duplicate.", 0.5, "1-1", 0);
  k0.document = k1.document = kdup.document = "kma.html|kma-en.html";
  b0.document = "b.txt|b-en.txt";
  ok(ieum_tm_add_unit(tm, tmx, &k0) == 0 && ieum_tm_add_unit(tm, tmx, &k1) == 0 &&
     ieum_tm_add_unit(tm, tmx, &b0) == 0 && ieum_tm_add_unit(tm, tmx, &kdup) == 0,
     "add units of two origins to the tmx document");
  is_int(ieum_tm_commit(tm), IEUM_OK, "commit");
  is_int(ieum_tm_commit(tm), IEUM_EINVAL, "commit without a transaction is refused");

  /* The same document again: EEXISTS, same id, no message, nothing added. */
  ieum_tm_begin(tm);
  ieum_error_clear();
  is_int(ieum_tm_add_document(&again, tm, &d), IEUM_EEXISTS, "the same document again");
  is_int(again, doc, "...gives the id of the first");
  ok(ieum_error_last() == NULL, "...and records no error");
  is_int(ieum_tm_rollback(tm), IEUM_OK, "rollback");
  ieum_tm_free(tm);

  tm = NULL;
  is_int(ieum_tm_open(&tm, path, IEUM_TM_WRITE), IEUM_OK, "reopen for writing");
  collect c = { 0 };
  is_int(ieum_tm_foreach(tm, collect_unit, &c), IEUM_OK, "foreach");
  is_int(c.n, 8, "eight units: the duplicate positions were ignored");
  if (c.n == 8) {
    is_str(c.src[0], "첫째 문장이다.", "position order: first");
    is_str(c.src[1], "둘째와 셋째 문장.", "position order: second (not replaced by the duplicate)");
    is_str(c.src[2], "서울에 비가 온다.", "position order: third");
    is_int(c.pos[2], 2, "a unit without position goes after the last");
    is_int(c.pos[3], 3, "and the next one after it");
    ok(c.score[0] > 0.949 && c.score[0] < 0.951, "score kept");
    ok(c.score[2] < 0, "unknown score reads as negative");
    is_str(c.bead[1], "1-2", "bead kept");
    is_str(c.bead[2], "(null)", "no bead reads as NULL");
    is_str(c.doc[0], "ko.txt|en.txt", "document is the pair of paths");
    is_str(c.doc[4], "old.tmx", "a tmx document is its file");
    is_str(c.doc[5], "b.txt|b-en.txt", "a unit's own origin wins, origins in name order");
    is_str(c.src[6], "기상청은 말했다.", "an origin's position 0 is not shadowed by another's");
    is_str(c.doc[6], "kma.html|kma-en.html", "...and keeps its origin");
    is_int(c.pos[6], 0, "...and its position");
    is_int(c.pos[7], 1, "next position within the unit's own origin");
    is_int(c.pos[5], 0, "the other origin also starts at 0");
    is_str(c.lang[3], "ko-KR>en-US", "languages from the document, stored with region codes");
    is_str(c.lang[4], "ko-KR>en-US", "languages of the unit: ko and en-US stored in the one form");
    is_int(c.created[1], 1700000000, "creation time kept");
    ok(c.created[0] > 1700000000, "creation time 0 means now");
    is_str(c.note[1], "checked", "note kept");
    ok(c.ids[0] > 0 && c.ids[0] != c.ids[1], "unit ids");
  }
  collect stop = { .stop_at = 2 };
  is_int(ieum_tm_foreach(tm, collect_unit, &stop), 7, "a callback's non-zero return is returned");
  is_int(stop.n, 2, "...and stops the walk");

  ieum_tm_stats st;
  is_int(ieum_tm_stats_get(&st, tm), IEUM_OK, "stats");
  is_int(st.documents, 2, "stats: documents");
  is_int(st.units, 8, "stats: units");
  is_int(st.unscored, 1, "stats: unscored");
  is_int(st.score_hist[9], 2, "stats: 0.95 and 1.0 in the last bin");
  is_int(st.score_hist[8], 2, "stats: 0.8 and 0.85 in [.8,.9)");
  is_int(st.score_hist[3], 1, "stats: 0.3 in [.3,.4)");
  is_int(st.score_hist[4], 1, "stats: 0.42 in [.4,.5)");
  is_int(st.score_hist[1], 1, "stats: 0.15 in [.1,.2)");
  is_int(st.n_langs, 1, "stats: ko -> en and ko -> en-US are one language pair");
  is_str(st.langs[0].src, "ko-KR", "named as stored: src");
  is_str(st.langs[0].tgt, "en-US", "named as stored: tgt");
  is_int(st.langs[0].units, 8, "the pair's units, both spellings");
  is_int(st.beads[0], 5, "stats: 1-1 beads");
  is_int(st.beads[1], 1, "stats: 1-0 beads");
  is_int(st.beads[4], 1, "stats: 1-2 beads");
  is_int(st.beads[3], 0, "stats: no 2-1 bead");

  /* Rollback and an unfinished transaction leave nothing. */
  int64_t d2 = 0;
  ieum_tm_document other = d;
  char h2[33];
  ieum_tm_hash(h2, "나", 3, "b", 1);
  other.hash = h2;
  ieum_tm_begin(tm);
  is_int(ieum_tm_add_document(&d2, tm, &other), IEUM_OK, "add a document to roll back");
  ieum_tm_add_unit(tm, d2, &u0);
  is_int(ieum_tm_rollback(tm), IEUM_OK, "rollback");
  ieum_tm_stats_get(&st, tm);
  ok(st.documents == 2 && st.units == 8, "rollback left nothing (%lld docs, %lld units)", (long long)st.documents,
     (long long)st.units);
  ieum_tm_begin(tm);
  ieum_tm_add_document(&d2, tm, &other);
  ieum_tm_add_unit(tm, d2, &u0);
  ieum_tm_free(tm); /* rolls back */
  tm = NULL;
  is_int(ieum_tm_open(&tm, path, IEUM_TM_READ), IEUM_OK, "open read-only");
  ieum_tm_stats_get(&st, tm);
  ok(st.documents == 2 && st.units == 8, "free with an open transaction rolled it back");
  is_int(ieum_tm_begin(tm), IEUM_EDB, "a read-only TM refuses writes");
  ok(has(last_message(), "read-only"), "message: %s", last_message());
  ieum_tm_free(tm);
}

/* A callback that walks the TM again from inside a walk. */
static int nested(const ieum_unit *u, void *payload)
{
  (void)u;
  collect inner = { 0 };
  int rc = ieum_tm_foreach(*(ieum_tm **)payload, collect_unit, &inner);
  return rc ? rc : inner.n == 1 ? 0 : 99;
}

/* The setting tm.lang_tags of a TM, "" when it has none; read with SQLite itself. */
static void lang_tags_setting(char out[16], const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  out[0] = '\0';
  sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'tm.lang_tags'", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    snprintf(out, 16, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* Adds one document of languages dl and one unit of languages ul (NULL: the document's) to `tm`. */
static int add_tagged(ieum_tm *tm, const char *name, const char *dsl, const char *dtl, const char *usl,
                      const char *utl)
{
  char hash[33];
  int64_t doc = 0;
  ieum_tm_hash(hash, name, strlen(name), "x", 1);
  ieum_tm_document d = { .kind = "pair", .src_path = name, .tgt_path = "en.txt", .src_lang = dsl,
                         .tgt_lang = dtl, .hash = hash };
  ieum_unit u = make_unit("한강 다리가 새로 열렸다.", "A new bridge opened over the Han.", 0.9, "1-1", -1);
  u.src_lang = usl;
  u.tgt_lang = utl;
  int rc = ieum_tm_begin(tm);
  if (rc == 0)
    rc = ieum_tm_add_document(&doc, tm, &d);
  if (rc == 0)
    rc = ieum_tm_add_unit(tm, doc, &u);
  if (rc == 0)
    return ieum_tm_commit(tm);
  ieum_tm_rollback(tm);
  return rc;
}

static void test_tm_store__lang_tags(void)
{
  const char *path = tmp_path(0, "tags.db");
  char setting[16];
  ieum_tm *tm = NULL;
  is_int(ieum_tm_open(&tm, path, IEUM_TM_CREATE), IEUM_OK, "a new TM");
  is_int(ieum_tm_lang_tags(tm), IEUM_TM_TAGS_REGION, "stores region codes by default");
  lang_tags_setting(setting, path);
  is_str(setting, "region", "the choice is recorded in the TM's meta");
  is_int(add_tagged(tm, "a.txt", "ko", "en", NULL, NULL), IEUM_OK, "a document tagged ko, en");
  is_int(add_tagged(tm, "b.txt", "KO_kr", "en-us", "ko", "EN"), IEUM_OK, "units tagged KO_kr, en-us, ko, EN");
  is_int(add_tagged(tm, "c.txt", "ko-KP", "en-GB", NULL, NULL), IEUM_OK, "ko-KP and en-GB: other regions");
  is_int(add_tagged(tm, "d.txt", "x-klingon", "en", NULL, NULL), IEUM_OK, "a tag ICU cannot read");
  collect c = { .stop_at = 0 };
  is_int(ieum_tm_foreach(tm, collect_unit, &c), IEUM_OK, "read back");
  is_int(c.n, 4, "four units");
  is_str(c.lang[0], "ko-KR>en-US", "ko, en stored as ko-KR, en-US");
  is_str(c.lang[1], "ko-KR>en-US", "ko, EN given on the unit: the same form");
  is_str(c.lang[2], "ko-KP>en-GB", "a region given is kept");
  is_str(c.lang[3], "x-klingon>en-US", "an unreadable tag is kept as given");
  ieum_tm_stats st;
  is_int(ieum_tm_stats_get(&st, tm), IEUM_OK, "stats");
  is_int(st.n_langs, 3, "three pairs: ko-KR/en-US, ko-KP/en-GB, x-klingon/en-US");
  is_str(st.langs[0].src, "ko-KR", "the first pair as stored");
  is_int(st.langs[0].units, 2, "both units of it");

  is_int(ieum_tm_set_lang_tags(tm, IEUM_TM_TAGS_PLAIN), IEUM_EINVAL, "outside a transaction: refused");
  ok(ieum_tm_begin(tm) == 0 && ieum_tm_set_lang_tags(tm, 7) == IEUM_EINVAL, "an unknown form is refused");
  ok(ieum_tm_set_lang_tags(tm, IEUM_TM_TAGS_PLAIN) == IEUM_OK && ieum_tm_commit(tm) == 0, "plain codes chosen");
  is_int(ieum_tm_lang_tags(tm), IEUM_TM_TAGS_PLAIN, "the handle knows");
  is_int(add_tagged(tm, "e.txt", "ko-KR", "en-US", NULL, NULL), IEUM_OK, "a document tagged ko-KR, en-US");
  is_int(add_tagged(tm, "g.txt", "pt-PT", "pt-BR", NULL, NULL), IEUM_OK, "a pair within one language");
  ieum_tm_free(tm);
  tm = NULL;
  lang_tags_setting(setting, path);
  is_str(setting, "plain", "the choice recorded");
  is_int(ieum_tm_open(&tm, path, IEUM_TM_READ), IEUM_OK, "reopened");
  is_int(ieum_tm_lang_tags(tm), IEUM_TM_TAGS_PLAIN, "the TM keeps its choice");
  collect c2 = { .stop_at = 0 };
  is_int(ieum_tm_foreach(tm, collect_unit, &c2), IEUM_OK, "read back");
  is_str(c2.lang[4], "ko>en", "ko-KR, en-US stored as ko, en");
  is_str(c2.lang[5], "pt-PT>pt-BR", "pt-PT -> pt-BR keeps its regions in a plain TM");
  is_str(c2.lang[0], "ko-KR>en-US", "units already stored keep their tags");
  ieum_tm_free(tm);

  /* A TM made before tm.lang_tags existed: opened for writing, region codes, its units' tags rewritten so. */
  sqlite3 *db = NULL;
  sqlite3_open(path, &db);
  sqlite3_exec(db, "DELETE FROM meta WHERE key = 'tm.lang_tags'", NULL, NULL, NULL);
  sqlite3_close(db);
  tm = NULL;
  is_int(ieum_tm_open(&tm, path, IEUM_TM_WRITE), IEUM_OK, "a TM without the setting opens");
  is_int(ieum_tm_lang_tags(tm), IEUM_TM_TAGS_REGION, "and stores region codes");
  is_int(add_tagged(tm, "f.txt", "ko", "en", NULL, NULL), IEUM_OK, "a document tagged ko, en");
  collect c3 = { .stop_at = 0 };
  ieum_tm_foreach(tm, collect_unit, &c3);
  is_str(c3.lang[4], "ko-KR>en-US", "the older unit ko, en rewritten with region codes");
  is_str(c3.lang[6], "ko-KR>en-US", "the new one with region codes");
  is_int(ieum_tm_stats_get(&st, tm), IEUM_OK, "stats");
  is_int(st.langs[0].units, 4, "ko/en and ko-KR/en-US counted as one pair");
  ieum_tm_free(tm);
}

static void test_tm_store__nested_and_concurrent(void)
{
  const char *path = tmp_path(0, "conc.db");
  ieum_tm *w = NULL, *r = NULL, *w2 = NULL;
  int64_t doc = 0;
  char hash[33];
  ieum_tm_hash(hash, "x", 1, "y", 1);
  ieum_tm_document d = { .kind = "pair", .src_path = "a", .tgt_path = "b", .src_lang = "ko", .tgt_lang = "en",
                         .hash = hash };
  ieum_unit u = make_unit("하나.", "One.", 0.5, "1-1", 0);
  ieum_tm_open(&w, path, IEUM_TM_CREATE);
  ieum_tm_begin(w);
  ieum_tm_add_document(&doc, w, &d);
  ieum_tm_add_unit(w, doc, &u);
  ieum_tm_commit(w);
  is_int(ieum_tm_foreach(w, nested, &w), IEUM_OK, "foreach inside foreach");

  is_int(ieum_tm_open(&r, path, IEUM_TM_READ), IEUM_OK, "a reader while a writer has the TM open");
  is_int(ieum_tm_open(&w2, path, IEUM_TM_WRITE), IEUM_OK, "a second writer opens");
  is_int(ieum_tm_begin(w), IEUM_OK, "the first writer begins");
  sqlite3_busy_timeout(w2->db, 50); /* do not wait the full timeout in a test */
  is_int(ieum_tm_begin(w2), IEUM_EDB, "the second writer cannot begin");
  ok(has(last_message(), "locked by another process"), "message: %s", last_message());
  ieum_unit u2 = make_unit("둘.", "Two.", 0.5, "1-1", 1);
  ieum_tm_add_unit(w, doc, &u2);
  ieum_tm_stats st;
  is_int(ieum_tm_stats_get(&st, r), IEUM_OK, "the reader reads during the write");
  is_int(st.units, 1, "the reader does not see uncommitted units");
  ieum_tm_commit(w);
  ieum_tm_stats_get(&st, r);
  is_int(st.units, 2, "the reader sees them after commit");
  is_int(ieum_tm_begin(w2), IEUM_OK, "the second writer begins once the first is done");
  ieum_tm_free(w2);
  ieum_tm_free(r);
  ieum_tm_free(w);

  /* Read-only open of a WAL TM nobody has open. */
  r = NULL;
  is_int(ieum_tm_open(&r, path, IEUM_TM_READ), IEUM_OK, "read-only open of a closed WAL TM");
  ok(r && ieum_tm_stats_get(&st, r) == 0 && st.units == 2, "and it reads");
  ieum_tm_free(r);
}

/* A second process holding the write lock for a moment: begin waits for it. */
static void test_tm_store__writers_wait(void)
{
  const char *path = tmp_path(0, "conc.db");
  int fds[2];
  char byte = 0;
  if (pipe(fds) != 0) {
    ok(0, "pipe");
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    ieum_tm *tm = NULL;
    int rc = ieum_tm_open(&tm, path, IEUM_TM_WRITE);
    if (rc == 0)
      rc = ieum_tm_begin(tm);
    byte = rc == 0 ? 'y' : 'n';
    if (write(fds[1], &byte, 1) != 1)
      _exit(2);
    struct timespec hold = { 0, 300 * 1000 * 1000 }; /* 0.3 s */
    nanosleep(&hold, NULL);
    rc = rc ? rc : ieum_tm_commit(tm);
    ieum_tm_free(tm);
    _exit(rc == 0 ? 0 : 1);
  }
  close(fds[1]);
  ok(read(fds[0], &byte, 1) == 1 && byte == 'y', "another process holds the write lock");
  close(fds[0]);
  ieum_tm *tm = NULL;
  ieum_tm_open(&tm, path, IEUM_TM_WRITE);
  is_int(tm ? ieum_tm_begin(tm) : -100, IEUM_OK, "begin waits for it instead of failing");
  ieum_tm_free(tm);
  int status = -1;
  waitpid(pid, &status, 0);
  ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the other process committed");
}

static void test_tm_store__not_a_tm(void)
{
  ieum_tm *tm = NULL;
  const char *missing = tmp_path(0, "missing.db");
  is_int(ieum_tm_open(&tm, missing, IEUM_TM_WRITE), IEUM_ENOTFOUND, "missing TM without create");
  ok(has(last_message(), "missing.db: no such TM"), "message: %s", last_message());
  is_int(ieum_tm_open(&tm, missing, IEUM_TM_READ), IEUM_ENOTFOUND, "missing TM read-only");
  ok(tm == NULL && access(missing, F_OK) != 0, "nothing created");

  const char *text = tmp_path(0, "notes.txt");
  static const char notes[] = "이것은 데이터베이스가 아니다. This is not a database, just some text.\n";
  write_file(text, notes, sizeof notes - 1);
  is_int(ieum_tm_open(&tm, text, IEUM_TM_CREATE), IEUM_EDB, "a text file is not a TM");
  ok(has(last_message(), "notes.txt: not an ieum translation memory"), "message: %s", last_message());
  ok(tm == NULL, "no handle on failure");
  is_int(ieum_tm_open(&tm, text, IEUM_TM_READ), IEUM_EDB, "a text file read-only is not a TM");

  const char *other = tmp_path(0, "other.db");
  sqlite3 *db = NULL;
  sqlite3_open(other, &db);
  sqlite3_exec(db, "CREATE TABLE birds(name TEXT); INSERT INTO birds VALUES('까치')", NULL, NULL, NULL);
  sqlite3_close(db);
  is_int(ieum_tm_open(&tm, other, IEUM_TM_WRITE), IEUM_EDB, "another application's database is not a TM");
  ok(has(last_message(), "other.db: not an ieum translation memory (SQLite application_id"), "message: %s",
     last_message());
  /* And it was not touched: still in rollback-journal mode. */
  sqlite3_open(other, &db);
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
  ok(sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "delete"),
     "the foreign database was not switched to WAL");
  sqlite3_finalize(st);
  sqlite3_exec(db, "PRAGMA application_id=1229280589; PRAGMA user_version=99", NULL, NULL, NULL);
  sqlite3_close(db);
  is_int(ieum_tm_open(&tm, other, IEUM_TM_READ), IEUM_EDB, "a newer schema is refused");
  ok(has(last_message(), "newer"), "message: %s", last_message());

  const char *empty = tmp_path(0, "empty.db");
  write_file(empty, "", 0);
  is_int(ieum_tm_open(&tm, empty, IEUM_TM_READ), IEUM_EDB, "an empty file read-only is not a TM");
  is_int(ieum_tm_open(&tm, empty, IEUM_TM_WRITE), IEUM_OK, "an empty file opened for writing becomes one");
  ieum_tm_free(tm);
  is_int(ieum_tm_open(&tm, tmpdir, IEUM_TM_CREATE), IEUM_EDB, "a directory is not a TM");
  is_int(ieum_tm_open(&tm, tmp_path(0, "no/such/dir.db"), IEUM_TM_CREATE), IEUM_EDB,
         "a TM in a missing directory cannot be created");
  ok(has(last_message(), "dir.db"), "message: %s", last_message());
}

static void test_tm_store__oom(void)
{
  char name[32], hash[33];
  int rc = IEUM_ENOMEM, ooms = 0;
  long n;
  ieum_tm_hash(hash, "oom", 3, NULL, 0);
  for (n = 0; n < 100; n++) {
    ieum_tm *tm = NULL;
    int64_t doc = 0;
    snprintf(name, sizeof name, "oom-%ld.db", n);
    ieum_tm_document d = { .kind = "tmx", .src_path = "a.tmx", .src_lang = "ko", .tgt_lang = "en", .hash = hash };
    ieum_unit u = make_unit("메모리.", "Memory.", 0.5, "1-1", -1);
    ieum__alloc_fail_after(n);
    rc = ieum_tm_open(&tm, tmp_path(0, name), IEUM_TM_CREATE);
    if (rc == 0 && (rc = ieum_tm_begin(tm)) == 0 && (rc = ieum_tm_add_document(&doc, tm, &d)) == 0 &&
        (rc = ieum_tm_add_unit(tm, doc, &u)) == 0)
      rc = ieum_tm_commit(tm);
    ieum__alloc_fail_after(-1);
    ok(rc == IEUM_OK || rc == IEUM_ENOMEM, "allocation %ld fails cleanly (rc %d)", n, rc);
    if (rc == IEUM_ENOMEM) {
      ooms++;
      ok(tm == NULL, "no handle after a failed open");
    }
    ieum_tm_free(tm);
    if (rc == IEUM_OK)
      break;
  }
  is_int(rc, IEUM_OK, "succeeds once allocations stop failing (after %ld)", n);
  ok(ooms > 0, "at least one allocation failure was injected (%d)", ooms);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/ieum-tm-XXXXXX");
  if (!mkdtemp(tmpdir))
    skip_all("cannot create a temporary directory");
  test_tm_store__sha256_vectors();
  test_tm_store__hash();
  test_tm_store__create_and_fill();
  test_tm_store__lang_tags();
  test_tm_store__nested_and_concurrent();
  test_tm_store__writers_wait();
  test_tm_store__not_a_tm();
  test_tm_store__oom();
  remove_tmpdir();
  return done_testing();
}
