/*
** tm/store.c: opening a TM, transactions, adding and reading documents and
** units, counts, and the content hash (ieum_tm_* of include/ieum/tm.h).
**
** One SQLite connection per handle, in WAL mode (readers never wait for
** the writer), synchronous=NORMAL (a commit survives a crash of the
** process; a power cut may lose the last commits, never corrupt the TM),
** foreign keys on, and a busy timeout so that a second writer waits for the
** first one instead of failing.  Every write runs between ieum_tm_begin()
** (BEGIN IMMEDIATE: the write lock is taken up front, so a transaction never
** fails half-way for lack of it) and ieum_tm_commit(); a handle freed with
** a transaction open rolls it back, so an interrupted run leaves the TM as
** it was.  All data goes through bound parameters of statements prepared
** once per handle (stmt_sql[]).  Duplicates are no-ops decided by SQLite's
** UNIQUE indexes with ON CONFLICT DO NOTHING: a document by (kind, hash),
** a unit by (document row, its own document name, position): a TMX file is
** one document row holding the units of many source documents, each
** numbered from 0, and none of them may shadow another.  Units are read in
** that same index order.
** A TM name is a file name, never an SQLite URI ("./" goes before one that
** starts with "file:").  A read-only open of a WAL TM whose folder its user
** may not write (SQLite cannot make the -shm file readers share) falls back
** to an immutable connection, which reads the file as it is, unless a
** write-ahead log beside it still holds changes (an error, never a silent
** loss): see connect_immutable().
** Cost: an added unit is one B-tree insert into units and its two indexes
** (plus one into units_unindexed; a commit moves those into the search
** index once enough wait, and closing a writing handle moves the rest:
** schema.c);
** foreach streams rows (O(1) memory); stats are four aggregate queries over
** units, O(units).
** Not here: the schema and the check that a file is a TM (schema.c); SHA-256
** itself (util/sha256.c).
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pg/pg_int.h"
#include "sha256.h"
#include "tm_int.h"

/* Bytes read at a time by ieum_tm_hash_file(); on the stack, so memory stays constant. */
#define HASH_FILE_BLOCK 16384

/* Bytes of the digest kept in a content hash: 128 bits, 32 hex digits. */
#define HASH_KEPT 16

/* Bead types in the order of ieum_tm_stats.beads[] then beads3[]. */
static const char *const bead_names[8] = { "1-1", "1-0", "0-1", "2-1", "1-2", "2-2", "3-1", "1-3" };

static const char *const stmt_sql[TM_STMT_COUNT] = {
  [TM_STMT_BEGIN] = "BEGIN IMMEDIATE",
  [TM_STMT_COMMIT] = "COMMIT",
  [TM_STMT_ROLLBACK] = "ROLLBACK",
  [TM_STMT_DOC_INSERT] =
    "INSERT INTO documents(kind, src_path, tgt_path, src_lang, tgt_lang, hash, added, src_path_raw, tgt_path_raw)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(kind, hash) DO NOTHING",
  [TM_STMT_DOC_PATH] = "SELECT src_path, tgt_path, src_path_raw, tgt_path_raw FROM documents WHERE id = ?1",
  [TM_STMT_DOC_FIND] = "SELECT id FROM documents WHERE kind = ?1 AND hash = ?2",
  /* A unit without a position goes after the last one of its document; a
     unit without languages takes those of its document. */
  [TM_STMT_UNIT_INSERT] =
    "INSERT INTO units(doc_id, position, src, tgt, src_lang, tgt_lang, score, bead, origin, note, created, role,"
    " created_by)"
    " VALUES(?1, COALESCE(?2, (SELECT COALESCE(MAX(position) + 1, 0) FROM units"
    "   WHERE doc_id = ?1 AND COALESCE(origin, '') = COALESCE(?9, ''))),"
    " ?3, ?4, COALESCE(?5, (SELECT src_lang FROM documents WHERE id = ?1)),"
    " COALESCE(?6, (SELECT tgt_lang FROM documents WHERE id = ?1)), ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    " ON CONFLICT(doc_id, COALESCE(origin, ''), position) DO NOTHING",
  [TM_STMT_FOREACH] =
    "SELECT " IEUM_TM__UNIT_COLUMNS
    " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
    " ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position",
  [TM_STMT_STATS_OPEN] = "SAVEPOINT ieum_stats",
  [TM_STMT_STATS_CLOSE] = "RELEASE ieum_stats",
  [TM_STMT_STATS_COUNTS] =
    "SELECT (SELECT count(*) FROM documents), count(*), count(*) - count(score) FROM units",
  [TM_STMT_STATS_SCORES] =
    "SELECT MIN(MAX(CAST(score * 10 AS INTEGER), 0), 9) AS bin, count(*) FROM units"
    " WHERE score IS NOT NULL GROUP BY bin",
  [TM_STMT_STATS_LANGS] =
    "SELECT src_lang, tgt_lang, count(*) AS n FROM units GROUP BY src_lang, tgt_lang"
    " ORDER BY n DESC, src_lang, tgt_lang LIMIT ?1",
  [TM_STMT_STATS_BEADS] =
    "SELECT bead, count(*) FROM units WHERE bead IS NOT NULL GROUP BY bead",
  [TM_STMT_LEARNED_PUT] =
    "INSERT OR REPLACE INTO lexicon(src, tgt, origin, weight, count) VALUES(?1, ?2, 'learned', ?3, ?4)",
};

int ieum_tm__db_error(ieum_tm *tm, int src, const char *what)
{
  int code = src ? src : sqlite3_errcode(tm->db);
  switch (code & 0xff) {
  case SQLITE_NOMEM:
    return ieum__error_oom();
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return ieum__error_set(IEUM_EDB, "%s: the TM is locked by another process", tm->path);
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
    return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (%s)", tm->path,
                           tm->db && sqlite3_errcode(tm->db) == code ? sqlite3_errmsg(tm->db) : sqlite3_errstr(code));
  default:
    break;
  }
  const char *msg = tm->db && sqlite3_errcode(tm->db) == code ? sqlite3_errmsg(tm->db) : sqlite3_errstr(code);
  return ieum__error_set(IEUM_EDB, "%s: %s: %s", tm->path, what, msg);
}

/* The cached statement `which`, prepared on first use. */
static int stmt(sqlite3_stmt **out, ieum_tm *tm, int which)
{
  if (!tm->stmt[which]) {
    int src = sqlite3_prepare_v3(tm->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &tm->stmt[which],
                                 NULL);
    if (src != SQLITE_OK)
      return ieum_tm__db_error(tm, src, "cannot prepare a statement");
  }
  *out = tm->stmt[which];
  return IEUM_OK;
}

int ieum_tm__cached(sqlite3_stmt **out, ieum_tm *tm, int which)
{
  return stmt(out, tm, which);
}

/* Makes a cached statement ready for its next use (and releases its read lock). */
static void release(sqlite3_stmt *st)
{
  if (st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }
}

/* Runs a cached statement that returns no row. */
static int run(ieum_tm *tm, int which, const char *what)
{
  sqlite3_stmt *st = NULL;
  int rc = stmt(&st, tm, which);
  if (rc)
    return rc;
  int src = sqlite3_step(st);
  if (src != SQLITE_DONE && src != SQLITE_ROW)
    rc = ieum_tm__db_error(tm, src, what);
  release(st);
  return rc;
}

/* Whether a transaction is open; SQLite may have ended it after an I/O error. */
static int in_transaction(ieum_tm *tm)
{
  if (tm->in_tx && sqlite3_get_autocommit(tm->db))
    tm->in_tx = 0;
  return tm->in_tx;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
  return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int ieum_tm__sqlite_path(char **out, const char *path)
{
  ieum_buf b = IEUM_BUF_INIT;
  int rc = IEUM_OK;
  if (strncasecmp(path, "file:", 5) == 0)
    rc = ieum__buf_puts(&b, "./");
  if (rc == 0)
    rc = ieum__buf_puts(&b, path);
  if (rc) {
    ieum_buf_dispose(&b);
    *out = NULL;
    return rc;
  }
  *out = ieum__buf_detach(&b);
  return IEUM_OK;
}

int ieum_tm__immutable_uri(char **out, const char *path)
{
  static const char hex[] = "0123456789ABCDEF";
  ieum_buf b = IEUM_BUF_INIT;
  int rc = ieum__buf_puts(&b, path[0] == '/' ? "file://" : "file:");
  for (const unsigned char *p = (const unsigned char *)path; rc == 0 && *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
      rc = ieum__buf_putc(&b, (char)*p);
    } else {
      char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
      rc = ieum__buf_put(&b, e, 3);
    }
  }
  if (rc == 0)
    rc = ieum__buf_puts(&b, "?mode=ro&immutable=1");
  if (rc) {
    ieum_buf_dispose(&b);
    *out = NULL;
    return rc;
  }
  *out = ieum__buf_detach(&b);
  return IEUM_OK;
}

int ieum_tm__name_escape(ieum_buf *out, int *changed, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  int rc = IEUM_OK;
  if (changed)
    *changed = 0;
  for (size_t i = 0; rc == 0 && i < len;) {
    size_t bad = i + ieum__utf8_invalid_at(s + i, len - i);
    if ((rc = ieum__buf_put(out, s + i, bad - i)) != 0 || bad == len)
      break;
    unsigned char c = (unsigned char)s[bad];
    char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
    rc = ieum__buf_put(out, e, 4);
    if (changed)
      *changed = 1;
    i = bad + 1;
  }
  return rc;
}

/* SQL ieum_name(x): x when it is NULL or valid UTF-8, else x with its stray bytes escaped (\xHH). */
static void sql_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  (void)argc;
  const char *s = (const char *)sqlite3_value_text(argv[0]);
  size_t len = s ? (size_t)sqlite3_value_bytes(argv[0]) : 0;
  if (!s || ieum__utf8_invalid_at(s, len) == len) {
    if (!s && sqlite3_value_type(argv[0]) != SQLITE_NULL)
      sqlite3_result_error_nomem(ctx);
    else
      sqlite3_result_value(ctx, argv[0]);
    return;
  }
  ieum_buf b = IEUM_BUF_INIT;
  if (ieum_tm__name_escape(&b, NULL, s, len) != 0) {
    ieum__error_clear(); /* SQLite reports it */
    ieum_buf_dispose(&b);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text64(ctx, b.ptr ? b.ptr : "", b.size, SQLITE_TRANSIENT, SQLITE_UTF8);
  ieum_buf_dispose(&b);
}

/* Whether the file `path` followed by `suffix` ("-wal", "-shm") exists. */
static int side_file_exists(const char *path, const char *suffix)
{
  char name[4096];
  struct stat sb;
  if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffix) >= sizeof name)
    return 0;
  return stat(name, &sb) == 0;
}

/*
** Opens tm->db on `name` with `flags` and configures it.  *cantinit is set
** when a read-only connection cannot read a WAL database because it cannot
** create its -shm file (a folder it may not write); the caller then
** decides what to do, with no error recorded.
*/
static int connect(ieum_tm *tm, const char *name, int flags, int *cantinit)
{
  *cantinit = 0;
  /*
  ** A TM handle is used by one thread at a time (tm.h), so its connection
  ** needs no mutex of its own (SQLite's multi-thread mode): a search steps
  ** thousands of rows, and the connection's mutex taken and released at
  ** each step and column read was a sixth of its instructions.
  */
  int src = sqlite3_open_v2(name, &tm->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (src != SQLITE_OK) {
    if (!tm->db)
      return ieum__error_oom();
    return ieum_tm__db_error(tm, src, "cannot open");
  }
  sqlite3_extended_result_codes(tm->db, 1);
  sqlite3_busy_timeout(tm->db, IEUM_TM__BUSY_TIMEOUT_MS);
  src = sqlite3_create_function_v2(tm->db, "ieum_name", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sql_name, NULL, NULL, NULL);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot configure the connection");
  /* PRAGMA synchronous reads the header: the first access to the file. */
  src = sqlite3_exec(tm->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
  if ((src == SQLITE_READONLY_CANTINIT || src == SQLITE_READONLY_DIRECTORY) && !tm->writable) {
    *cantinit = 1;
    return IEUM_OK;
  }
  if ((src & 0xff) == SQLITE_CANTOPEN && !tm->writable && !side_file_exists(tm->path, "-shm") &&
      side_file_exists(tm->path, "-wal")) {
    *cantinit = 1; /* a log is there but its -shm cannot be made: connect_immutable() says so */
    return IEUM_OK;
  }
  if (src == SQLITE_READONLY_DIRECTORY)
    return ieum__error_set(IEUM_EDB, "%s: cannot write to the TM: its folder is not writable (SQLite must make "
                           "its -wal and -shm files there)", tm->path);
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot configure the connection");
  return IEUM_OK;
}

/*
** A read-only open of a WAL TM whose folder we may not write, so SQLite
** cannot make the -shm file readers share: opened immutable instead (no
** locks, no -shm), which is sound when no write-ahead log holds commits
** yet to be copied into the file; when one does, that is an error.  (No
** -shm means no connection has the TM open, so none is writing to it.)
*/
static int connect_immutable(ieum_tm *tm, const char *path)
{
  char *wal = NULL, *uri = NULL;
  struct stat sb;
  int rc, cantinit = 0;
  sqlite3_close(tm->db);
  tm->db = NULL;
  if (!(wal = ieum__malloc(strlen(path) + 5))) {
    rc = ieum__error_oom();
    goto done;
  }
  memcpy(wal, path, strlen(path));
  memcpy(wal + strlen(path), "-wal", 5);
  if (stat(wal, &sb) == 0 && sb.st_size > 0) {
    rc = ieum__error_set(IEUM_EDB, "%s: cannot read the TM: %s holds changes not yet in it and the folder is "
                         "not writable; open the TM once where it can be written", path, wal);
    goto done;
  }
  if ((rc = ieum_tm__immutable_uri(&uri, path)) != 0)
    goto done;
  if ((rc = connect(tm, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, &cantinit)) == 0 && cantinit)
    rc = ieum_tm__db_error(tm, SQLITE_READONLY_CANTINIT, "cannot read the TM");
  tm->immutable = rc == 0;
done:
  ieum__free(uri);
  ieum__free(wal);
  return rc;
}

int ieum_tm_open(ieum_tm **out, const char *path, int mode)
{
  ieum_tm *tm = NULL;
  struct stat sb;
  char *name = NULL;
  int rc = IEUM_OK, flags, cantinit = 0;
  *out = NULL;
  if (!path || !*path)
    return ieum__error_set(IEUM_EINVAL, "no TM file name given");
  if (ieum_tm_pg__is_uri(path)) {
    if ((rc = ieum_tm_pg__open(out, path, mode)) == 0 && (rc = ieum_tm__load_lang_tags(*out)) != 0) {
      ieum_tm_free(*out);
      *out = NULL;
    }
    return rc;
  }
  switch (mode) {
  case IEUM_TM_READ: flags = SQLITE_OPEN_READONLY; break;
  case IEUM_TM_WRITE: flags = SQLITE_OPEN_READWRITE; break;
  case IEUM_TM_CREATE: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  default: return ieum__error_set(IEUM_EINVAL, "%s: unknown TM open mode %d", path, mode);
  }
  if (stat(path, &sb) != 0) {
    if (errno != ENOENT)
      return ieum__error_set(IEUM_EIO, "%s: %s", path, strerror(errno));
    if (mode != IEUM_TM_CREATE)
      return ieum__error_set(IEUM_ENOTFOUND, "%s: no such TM", path);
  } else if (S_ISDIR(sb.st_mode)) {
    return ieum__error_set(IEUM_EDB, "%s: not an ieum translation memory (a directory)", path);
  }
  if (!(tm = ieum__calloc(1, sizeof *tm)) || !(tm->path = ieum__strdup(path))) {
    rc = ieum__error_oom();
    goto done;
  }
  tm->writable = mode != IEUM_TM_READ;
  /* URIs on, whatever SQLite's build default: names are made plain above, and merge may ATTACH a URI. */
  if ((rc = ieum_tm__sqlite_path(&name, path)) != 0 || (rc = connect(tm, name, flags | SQLITE_OPEN_URI, &cantinit)) != 0 ||
      (cantinit && (rc = connect_immutable(tm, path)) != 0))
    goto done;
  if ((rc = ieum_tm__schema_open(tm)) != 0 || (rc = ieum_tm__load_lang_tags(tm)) != 0)
    goto done;
  *out = tm;
  tm = NULL;
done:
  ieum__free(name);
  ieum_tm_free(tm);
  return rc;
}

int ieum_tm_connection_ok(ieum_tm *tm)
{
  return tm && (!tm->pg || ieum_tm_pg__connection_ok(tm));
}

void ieum_tm_free(ieum_tm *tm)
{
  if (!tm)
    return;
  if (tm->pg) {
    ieum_tm_pg__free(tm);
    return;
  }
  if (tm->db && in_transaction(tm))
    sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL); /* nothing to report: we are closing */
  ieum_tm__search_dispose(tm);
  for (int i = 0; i < TM_STMT_COUNT; i++)
    release(tm->stmt[i]);
  ieum_tm__index_flush_on_close(tm);
  for (int i = 0; i < TM_STMT_COUNT; i++)
    sqlite3_finalize(tm->stmt[i]);
  sqlite3_close(tm->db);
  ieum__free(tm->path);
  ieum__free(tm->user);
  ieum__free(tm);
}

int ieum_tm_begin(ieum_tm *tm)
{
  if (tm->pg)
    return ieum_tm_pg__begin(tm);
  if (in_transaction(tm))
    return ieum__error_set(IEUM_EINVAL, "%s: a TM transaction is already open", tm->path);
  if (!tm->writable)
    return ieum__error_set(IEUM_EDB, "%s: the TM is open read-only", tm->path);
  int rc = run(tm, TM_STMT_BEGIN, "cannot begin a transaction");
  if (rc == IEUM_OK)
    tm->in_tx = 1;
  return rc;
}

int ieum_tm_commit(ieum_tm *tm)
{
  if (tm->pg)
    return ieum_tm_pg__commit(tm);
  if (!in_transaction(tm))
    return ieum__error_set(IEUM_EINVAL, "%s: no TM transaction to commit", tm->path);
  int rc = ieum_tm__index_flush(tm, 0);
  if (rc)
    return rc;
  rc = run(tm, TM_STMT_COMMIT, "cannot commit");
  in_transaction(tm);
  return rc;
}

int ieum_tm_rollback(ieum_tm *tm)
{
  if (tm->pg)
    return ieum_tm_pg__rollback(tm);
  if (!in_transaction(tm))
    return IEUM_OK; /* nothing to undo (or SQLite already undid it) */
  int rc = run(tm, TM_STMT_ROLLBACK, "cannot roll back");
  in_transaction(tm);
  return rc;
}

void ieum_tm_hash(char out[33], const char *a, size_t a_len, const char *b, size_t b_len)
{
  static const char hex[] = "0123456789abcdef";
  ieum__sha256_ctx c;
  unsigned char len[8], digest[IEUM__SHA256_DIGEST];
  ieum__sha256_init(&c);
  /* Each text is preceded by its length, so ("ab","") and ("a","b") differ;
     an absent b has a length no real text can have. */
  for (int i = 0; i < 8; i++)
    len[i] = (unsigned char)((uint64_t)a_len >> (8 * i));
  ieum__sha256_update(&c, len, 8);
  ieum__sha256_update(&c, a, a ? a_len : 0);
  for (int i = 0; i < 8; i++)
    len[i] = b ? (unsigned char)((uint64_t)b_len >> (8 * i)) : 0xFF;
  ieum__sha256_update(&c, len, 8);
  if (b)
    ieum__sha256_update(&c, b, b_len);
  ieum__sha256_final(&c, digest);
  for (int i = 0; i < HASH_KEPT; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[2 * HASH_KEPT] = '\0';
}

int ieum_tm_hash_file(char out[33], const char *path)
{
  static const char hex[] = "0123456789abcdef";
  unsigned char block[HASH_FILE_BLOCK], len[8], digest[IEUM__SHA256_DIGEST];
  ieum__sha256_ctx c;
  struct stat sb;
  uint64_t seen = 0;
  int rc = IEUM_OK;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  out[0] = '\0';
  if (fd < 0)
    return errno == ENOENT ? ieum__error_set(IEUM_ENOTFOUND, "%s: no such file", path)
                           : ieum__error_set(IEUM_EIO, "%s: cannot read: %s", path, strerror(errno));
  if (fstat(fd, &sb) != 0) {
    rc = ieum__error_set(IEUM_EIO, "%s: %s", path, strerror(errno));
    goto done;
  }
  if (!S_ISREG(sb.st_mode)) {
    rc = ieum__error_set(IEUM_EIO, "%s: %s", path, S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
    goto done;
  }
  /* Same bytes as ieum_tm_hash(content, size, NULL, 0), without holding the content. */
  ieum__sha256_init(&c);
  for (int i = 0; i < 8; i++)
    len[i] = (unsigned char)((uint64_t)sb.st_size >> (8 * i));
  ieum__sha256_update(&c, len, 8);
  for (;;) {
    ssize_t n = read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      rc = ieum__error_set(IEUM_EIO, "%s: read error at byte %llu: %s", path, (unsigned long long)seen,
                           strerror(errno));
      goto done;
    }
    if (n == 0)
      break;
    ieum__sha256_update(&c, block, (size_t)n);
    seen += (uint64_t)n;
  }
  if (seen != (uint64_t)sb.st_size) {
    rc = ieum__error_set(IEUM_EIO, "%s: the file changed while it was read (%llu bytes, not %llu)", path,
                         (unsigned long long)seen, (unsigned long long)sb.st_size);
    goto done;
  }
  memset(len, 0xFF, sizeof len);
  ieum__sha256_update(&c, len, 8);
  ieum__sha256_final(&c, digest);
  for (int i = 0; i < HASH_KEPT; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[2 * HASH_KEPT] = '\0';
done:
  close(fd);
  return rc;
}

/*
** Binds document name `name` to parameter i as valid UTF-8 (escaped into
** `esc` when it is not) and, when it had to be escaped, its bytes as given
** to parameter raw_i as a BLOB (else NULL there).
*/
static int bind_name(sqlite3_stmt *st, int i, int raw_i, const char *name, ieum_buf *esc)
{
  size_t len = name ? strlen(name) : 0;
  int changed = 0, src;
  if (name && ieum__utf8_invalid_at(name, len) != len) {
    if (ieum_tm__name_escape(esc, &changed, name, len) != 0 || ieum__buf_puts(esc, "") != 0)
      return SQLITE_NOMEM;
  }
  if (!changed)
    return (src = bind_text(st, i, name)) != SQLITE_OK ? src : sqlite3_bind_null(st, raw_i);
  if ((src = sqlite3_bind_text64(st, i, esc->ptr, esc->size, SQLITE_STATIC, SQLITE_UTF8)) != SQLITE_OK)
    return src;
  return sqlite3_bind_blob64(st, raw_i, name, len, SQLITE_STATIC);
}

int ieum_tm_add_document(int64_t *out, ieum_tm *tm, const ieum_tm_document *doc)
{
  ieum_tm_document canon; /* the languages in the TM's one form (tm.lang_tags) */
  if (doc) {
    canon = *doc;
    ieum_tm__lang_pair(tm, &canon.src_lang, &canon.tgt_lang);
    doc = &canon;
  }
  if (tm->pg)
    return ieum_tm_pg__add_document(out, tm, doc);
  ieum_buf src_esc = IEUM_BUF_INIT, tgt_esc = IEUM_BUF_INIT;
  sqlite3_stmt *st = NULL;
  int rc, src;
  *out = 0;
  if (!doc || !doc->kind || !doc->hash)
    return ieum__error_set(IEUM_EINVAL, "%s: a document needs a kind and a hash", tm->path);
  if (!in_transaction(tm))
    return ieum__error_set(IEUM_EINVAL, "%s: TM write outside a transaction", tm->path);
  if ((rc = stmt(&st, tm, TM_STMT_DOC_INSERT)) != 0)
    return rc;
  if ((src = bind_text(st, 1, doc->kind)) != SQLITE_OK || (src = bind_name(st, 2, 8, doc->src_path, &src_esc)) != SQLITE_OK ||
      (src = bind_name(st, 3, 9, doc->tgt_path, &tgt_esc)) != SQLITE_OK || (src = bind_text(st, 4, doc->src_lang)) != SQLITE_OK ||
      (src = bind_text(st, 5, doc->tgt_lang)) != SQLITE_OK || (src = bind_text(st, 6, doc->hash)) != SQLITE_OK ||
      (src = sqlite3_bind_int64(st, 7, (sqlite3_int64)ieum__now())) != SQLITE_OK ||
      (src = sqlite3_step(st)) != SQLITE_DONE) {
    rc = ieum_tm__db_error(tm, src, "cannot add a document");
    goto done;
  }
  if (sqlite3_changes(tm->db) == 1) {
    *out = sqlite3_last_insert_rowid(tm->db);
    goto done;
  }
  /* Already there: find its id. */
  release(st);
  if ((rc = stmt(&st, tm, TM_STMT_DOC_FIND)) != 0)
    goto done;
  if ((src = bind_text(st, 1, doc->kind)) != SQLITE_OK || (src = bind_text(st, 2, doc->hash)) != SQLITE_OK ||
      (src = sqlite3_step(st)) != SQLITE_ROW) {
    rc = ieum_tm__db_error(tm, src, "cannot find a document");
    goto done;
  }
  *out = sqlite3_column_int64(st, 0);
  ieum__error_clear();
  rc = IEUM_EEXISTS;
done:
  release(st);
  ieum_buf_dispose(&src_esc);
  ieum_buf_dispose(&tgt_esc);
  return rc;
}

int ieum_tm_get_document_path(ieum_buf *out, ieum_tm *tm, int64_t doc_id, int tgt)
{
  if (tm->pg)
    return ieum_tm_pg__get_document_path(out, tm, doc_id, tgt);
  sqlite3_stmt *st = NULL;
  int rc = stmt(&st, tm, TM_STMT_DOC_PATH), src, col = tgt ? 1 : 0;
  if (rc)
    return rc;
  if ((src = sqlite3_bind_int64(st, 1, doc_id)) != SQLITE_OK || (src = sqlite3_step(st)) != SQLITE_ROW) {
    rc = src == SQLITE_DONE ? ieum__error_set(IEUM_ENOTFOUND, "%s: no document %lld", tm->path, (long long)doc_id)
                            : ieum_tm__db_error(tm, src, "cannot read a document");
    goto done;
  }
  /* The bytes as given when they had to be escaped, else the stored name. */
  if (sqlite3_column_type(st, col + 2) != SQLITE_NULL)
    col += 2;
  if (sqlite3_column_type(st, col) == SQLITE_NULL) {
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: document %lld has no %s file name", tm->path, (long long)doc_id,
                         tgt ? "target" : "source");
    goto done;
  }
  const void *p = col >= 2 ? sqlite3_column_blob(st, col) : (const void *)sqlite3_column_text(st, col);
  size_t n = (size_t)sqlite3_column_bytes(st, col);
  if (!p && n) {
    rc = ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a document");
    goto done;
  }
  rc = ieum__buf_put(out, p ? p : "", n);
done:
  release(st);
  return rc;
}

int ieum_tm_set_user(ieum_tm *tm, const char *user)
{
  char *copy = NULL;
  if (user && *user) {
    if (ieum__utf8_invalid_at(user, strlen(user)) != strlen(user))
      return ieum__error_set(IEUM_EINVAL, "%s: the user name is not valid UTF-8", tm->path);
    if (!(copy = ieum__strdup(user)))
      return ieum__error_oom();
  }
  ieum__free(tm->user);
  tm->user = copy;
  return IEUM_OK;
}

int ieum_tm_add_unit(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit)
{
  ieum_unit canon; /* the languages in the TM's one form (tm.lang_tags) */
  if (unit) {
    canon = *unit;
    ieum_tm__lang_pair(tm, &canon.src_lang, &canon.tgt_lang);
    unit = &canon;
  }
  if (tm->pg)
    return ieum_tm_pg__add_unit(tm, doc_id, unit);
  ieum_buf origin = IEUM_BUF_INIT;
  sqlite3_stmt *st = NULL;
  int rc, src;
  if (!in_transaction(tm))
    return ieum__error_set(IEUM_EINVAL, "%s: TM write outside a transaction", tm->path);
  if (!unit || (unit->src_len == 0 && unit->tgt_len == 0))
    return ieum__error_set(IEUM_EINVAL, "%s: a unit of document %lld has neither source nor target text",
                           tm->path, (long long)doc_id);
  if ((!unit->src && unit->src_len) || (!unit->tgt && unit->tgt_len))
    return ieum__error_set(IEUM_EINVAL, "%s: a unit of document %lld has a length but no text", tm->path,
                           (long long)doc_id);
  if ((rc = stmt(&st, tm, TM_STMT_UNIT_INSERT)) != 0)
    return rc;
  src = sqlite3_bind_int64(st, 1, doc_id);
  if (src == SQLITE_OK)
    src = unit->position >= 0 ? sqlite3_bind_int64(st, 2, unit->position) : sqlite3_bind_null(st, 2);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text64(st, 3, unit->src ? unit->src : "", unit->src_len, SQLITE_STATIC, SQLITE_UTF8);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text64(st, 4, unit->tgt ? unit->tgt : "", unit->tgt_len, SQLITE_STATIC, SQLITE_UTF8);
  if (src == SQLITE_OK)
    src = bind_text(st, 5, unit->src_lang);
  if (src == SQLITE_OK)
    src = bind_text(st, 6, unit->tgt_lang);
  if (src == SQLITE_OK) /* NaN compares false: unknown as well */
    src = unit->score >= 0 ? sqlite3_bind_double(st, 7, unit->score) : sqlite3_bind_null(st, 7);
  if (src == SQLITE_OK)
    src = bind_text(st, 8, unit->bead);
  if (src == SQLITE_OK && unit->document && ieum__utf8_invalid_at(unit->document, strlen(unit->document)) !=
                               strlen(unit->document)) {
    /* A document name is stored as valid UTF-8 (its raw bytes are not kept for a unit's own name). */
    if ((rc = ieum_tm__name_escape(&origin, NULL, unit->document, strlen(unit->document))) != 0 ||
        (rc = ieum__buf_puts(&origin, "")) != 0)
      goto done;
    src = sqlite3_bind_text64(st, 9, origin.ptr, origin.size, SQLITE_STATIC, SQLITE_UTF8);
  } else if (src == SQLITE_OK) {
    src = bind_text(st, 9, unit->document);
  }
  if (src == SQLITE_OK)
    src = bind_text(st, 10, unit->note);
  if (src == SQLITE_OK)
    src = sqlite3_bind_int64(st, 11, unit->created ? unit->created : (sqlite3_int64)ieum__now());
  if (src == SQLITE_OK)
    src = bind_text(st, 12, unit->role);
  if (src == SQLITE_OK)
    src = bind_text(st, 13, tm->user);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_DONE)
    src = SQLITE_OK;
  if (src == SQLITE_CONSTRAINT_FOREIGNKEY)
    rc = ieum__error_set(IEUM_EINVAL, "%s: no document %lld for a unit", tm->path, (long long)doc_id);
  else if (src == SQLITE_CONSTRAINT_NOTNULL)
    rc = ieum__error_set(IEUM_EINVAL, "%s: a unit of document %lld has no language and neither has its document",
                         tm->path, (long long)doc_id);
  else if (src != SQLITE_OK)
    rc = ieum_tm__db_error(tm, src, "cannot add a unit");
done:
  release(st);
  ieum_buf_dispose(&origin);
  return rc;
}

/* Text of column i, or NULL; `len` (optional) receives its bytes. */
static const char *column_text(sqlite3_stmt *st, int i, size_t *len)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  if (len)
    *len = s ? (size_t)sqlite3_column_bytes(st, i) : 0;
  return s;
}

int ieum_tm_foreach(ieum_tm *tm, ieum_unit_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__foreach(tm, cb, payload);
  sqlite3_stmt *st = NULL, *own = NULL;
  int rc, src;
  if ((rc = stmt(&st, tm, TM_STMT_FOREACH)) != 0)
    return rc;
  if (sqlite3_stmt_busy(st)) {
    /* Called from inside another foreach's callback: use a statement of our own. */
    src = sqlite3_prepare_v2(tm->db, stmt_sql[TM_STMT_FOREACH], -1, &own, NULL);
    if (src != SQLITE_OK)
      return ieum_tm__db_error(tm, src, "cannot prepare a statement");
    st = own;
  }
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    ieum_unit u = IEUM_UNIT_INIT;
    u.id = sqlite3_column_int64(st, 0);
    u.src = column_text(st, 1, &u.src_len);
    u.tgt = column_text(st, 2, &u.tgt_len);
    u.src_lang = column_text(st, 3, NULL);
    u.tgt_lang = column_text(st, 4, NULL);
    u.score = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 5);
    u.bead = column_text(st, 6, NULL);
    u.document = column_text(st, 7, NULL);
    u.position = sqlite3_column_int64(st, 8);
    u.created = sqlite3_column_int64(st, 9);
    u.note = column_text(st, 10, NULL);
    u.role = column_text(st, 11, NULL);
    if (!u.src || !u.tgt) {
      rc = ieum_tm__db_error(tm, SQLITE_NOMEM, "cannot read a unit");
      goto done;
    }
    if ((rc = cb(&u, payload)) != 0)
      goto done;
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the units");
done:
  if (own)
    sqlite3_finalize(own);
  else
    release(st);
  return rc;
}

/* Documents, units and unscored units. */
static int stats_counts(ieum_tm_stats *out, ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  int rc = stmt(&st, tm, TM_STMT_STATS_COUNTS);
  if (rc)
    return rc;
  int src = sqlite3_step(st);
  if (src == SQLITE_ROW) {
    out->documents = sqlite3_column_int64(st, 0);
    out->units = sqlite3_column_int64(st, 1);
    out->unscored = sqlite3_column_int64(st, 2);
  } else {
    rc = ieum_tm__db_error(tm, src, "cannot count the units");
  }
  release(st);
  return rc;
}

/* The score histogram: bin i holds [i/10, (i+1)/10), the last one also 1. */
static int stats_scores(ieum_tm_stats *out, ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  int rc = stmt(&st, tm, TM_STMT_STATS_SCORES), src;
  if (rc)
    return rc;
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t bin = sqlite3_column_int64(st, 0);
    if (bin >= 0 && bin < 10)
      out->score_hist[bin] = sqlite3_column_int64(st, 1);
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot count the scores");
  release(st);
  return rc;
}

/* Distinct spellings of language pairs read to merge them: far beyond a real TM's, a bound on the cost. */
#define STATS_LANG_ROWS 1024

/*
** The most frequent language pairs, ties in name order.  Spellings of one
** pair (ko/en, ko-KR/en-US, KO-kr/en: ieum_lang_export_tag() gives them one
** tag) are one entry, named by its most frequent spelling.
*/
static int stats_langs(ieum_tm_stats *out, ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  char keys[IEUM_TM_STATS_LANGS][2][IEUM_LANG_MAX];
  int rc = stmt(&st, tm, TM_STMT_STATS_LANGS), src;
  if (rc)
    return rc;
  src = sqlite3_bind_int(st, 1, STATS_LANG_ROWS);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *s = column_text(st, 0, NULL), *t = column_text(st, 1, NULL);
    char ks[IEUM_LANG_MAX], kt[IEUM_LANG_MAX];
    src = SQLITE_OK;
    if (ieum_lang_export_tag(ks, sizeof ks, s ? s : "", 0) || ieum_lang_export_tag(kt, sizeof kt, t ? t : "", 0)) {
      ieum__error_clear(); /* a tag too long to be one: its own entry */
      snprintf(ks, sizeof ks, "%.*s", (int)(sizeof ks - 1), s ? s : "");
      snprintf(kt, sizeof kt, "%.*s", (int)(sizeof kt - 1), t ? t : "");
    }
    size_t k = 0;
    while (k < out->n_langs && (strcmp(keys[k][0], ks) || strcmp(keys[k][1], kt)))
      k++;
    if (k == out->n_langs) {
      if (k == IEUM_TM_STATS_LANGS)
        continue;
      memcpy(keys[k][0], ks, sizeof ks);
      memcpy(keys[k][1], kt, sizeof kt);
      snprintf(out->langs[k].src, sizeof out->langs[0].src, "%s", s ? s : "");
      snprintf(out->langs[k].tgt, sizeof out->langs[0].tgt, "%s", t ? t : "");
      out->n_langs++;
    }
    out->langs[k].units += sqlite3_column_int64(st, 2);
  }
  if (src != SQLITE_DONE && src != SQLITE_ROW)
    rc = ieum_tm__db_error(tm, src, "cannot count the language pairs");
  release(st);
  /* Merged counts may reorder the entries: most units first, stable otherwise (n <= 8). */
  for (size_t i = 1; i < out->n_langs; i++)
    for (size_t j = i; j > 0 && out->langs[j].units > out->langs[j - 1].units; j--) {
      unsigned char tmp[sizeof out->langs[0]];
      memcpy(tmp, &out->langs[j], sizeof tmp);
      memcpy(&out->langs[j], &out->langs[j - 1], sizeof tmp);
      memcpy(&out->langs[j - 1], tmp, sizeof tmp);
    }
  return rc;
}

int ieum_tm_foreach_lang_pair(ieum_tm *tm, ieum_tm_lang_pair_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__foreach_lang_pair(tm, cb, payload);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db,
                               "SELECT src_lang, tgt_lang, count(*) AS n FROM units GROUP BY src_lang, tgt_lang"
                               " ORDER BY n DESC, src_lang, tgt_lang",
                               -1, &st, NULL);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *s = column_text(st, 0, NULL), *t = column_text(st, 1, NULL);
    if ((rc = cb(s ? s : "", t ? t : "", sqlite3_column_int64(st, 2), payload)) != 0)
      break;
    src = SQLITE_OK;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot list the language pairs");
  sqlite3_finalize(st);
  return rc;
}

/* Units by bead type; types we do not know are not counted. */
static int stats_beads(ieum_tm_stats *out, ieum_tm *tm)
{
  sqlite3_stmt *st = NULL;
  int rc = stmt(&st, tm, TM_STMT_STATS_BEADS), src;
  if (rc)
    return rc;
  while ((src = sqlite3_step(st)) == SQLITE_ROW) {
    const char *b = column_text(st, 0, NULL);
    for (int i = 0; b && i < 8; i++)
      if (!strcmp(b, bead_names[i]))
        *(i < 6 ? &out->beads[i] : &out->beads3[i - 6]) = sqlite3_column_int64(st, 1);
  }
  if (src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot count the beads");
  release(st);
  return rc;
}

int ieum_tm_stats_get(ieum_tm_stats *out, ieum_tm *tm)
{
  if (tm->pg)
    return ieum_tm_pg__stats_get(out, tm);
  int rc;
  memset(out, 0, sizeof *out);
  /* One read snapshot for all four queries (a savepoint nests in an open transaction). */
  if ((rc = run(tm, TM_STMT_STATS_OPEN, "cannot read the TM")) != 0)
    return rc;
  if ((rc = stats_counts(out, tm)) == 0 && (rc = stats_scores(out, tm)) == 0 && (rc = stats_langs(out, tm)) == 0)
    rc = stats_beads(out, tm);
  int rc2 = run(tm, TM_STMT_STATS_CLOSE, "cannot end the TM read");
  return rc ? rc : rc2;
}
