/*
** tm/pg/store.c: the PostgreSQL TM's connection, transactions and rows:
** documents, units, their props and metadata, statistics, the texts the
** learner reads (pg_int.h; the SQLite twin is tm/store.c, props.c, meta.c,
** texts.c).
**
** One libpq connection per handle, search_path "ieum, public" (the TM's
** tables, then pg_trgm's operators); a read-only handle sets
** default_transaction_read_only.  Writes run inside the caller's
** transaction (BEGIN ... COMMIT), each with a named statement prepared on
** first use, text parameters only (never SQL built from data).  Several
** processes may write at once: a document is claimed by INSERT ... ON
** CONFLICT (kind, hash) DO NOTHING, so two writers of the same pair store
** it once and the second one is told IEUM_EEXISTS, as on SQLite.  Walks
** over many rows (foreach, export) use libpq's single-row mode: memory
** stays flat however big the TM.
** Cost: one round trip per unit written (plus one per prop); a walk is
** one query.
** Not here: the schema (schema.c), search and concordance (search.c).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_int.h"

/* Bead types in the order of ieum_tm_stats.beads[] then beads3[] (tm/store.c). */
static const char *const bead_names[8] = { "1-1", "1-0", "0-1", "2-1", "1-2", "2-2", "3-1", "1-3" };

static const char *const stmt_sql[PG_STMT_COUNT] = {
  [PG_STMT_DOC_INSERT] =
    "INSERT INTO documents(kind, src_path, tgt_path, src_lang, tgt_lang, hash, added, src_path_raw, tgt_path_raw)"
    " VALUES($1, $2, $3, $4, $5, $6, $7, decode($8, 'hex'), decode($9, 'hex'))"
    " ON CONFLICT(kind, hash) DO NOTHING RETURNING id",
  [PG_STMT_DOC_FIND] = "SELECT id FROM documents WHERE kind = $1 AND hash = $2",
  [PG_STMT_DOC_PATH] =
    "SELECT src_path, tgt_path, encode(src_path_raw, 'hex'), encode(tgt_path_raw, 'hex') FROM documents WHERE id = $1",
  /* As tm/store.c: a unit without a position goes after the last one of its place; without
     languages it takes its document's. */
  [PG_STMT_UNIT_INSERT] =
    "INSERT INTO units(doc_id, position, src, tgt, src_lang, tgt_lang, score, bead, origin, note, created, role,"
    " created_by)"
    " VALUES($1, COALESCE($2::bigint, (SELECT COALESCE(MAX(position) + 1, 0) FROM units"
    "   WHERE doc_id = $1 AND COALESCE(origin, '') = COALESCE($9, ''))),"
    " $3, $4, COALESCE($5, (SELECT src_lang FROM documents WHERE id = $1)),"
    " COALESCE($6, (SELECT tgt_lang FROM documents WHERE id = $1)), $7, $8, $9, $10, $11, $12, $13)"
    " ON CONFLICT(doc_id, COALESCE(origin, ''), position) DO NOTHING RETURNING id",
  /* The same, unless a unit of the same texts and languages ($14, $15) is there: an import's
  ** duplicate check and insert in one round trip. */
  [PG_STMT_UNIT_INSERT_NEW] =
    "INSERT INTO units(doc_id, position, src, tgt, src_lang, tgt_lang, score, bead, origin, note, created, role,"
    " created_by)"
    " SELECT $1, COALESCE($2::bigint, (SELECT COALESCE(MAX(position) + 1, 0) FROM units"
    "   WHERE doc_id = $1 AND COALESCE(origin, '') = COALESCE($9, ''))),"
    " $3, $4, COALESCE($5, (SELECT src_lang FROM documents WHERE id = $1)),"
    " COALESCE($6, (SELECT tgt_lang FROM documents WHERE id = $1)), $7, $8, $9, $10, $11, $12, $13"
    " WHERE NOT EXISTS(SELECT 1 FROM units WHERE src = $3 AND tgt = $4 AND src_lang = $14 AND tgt_lang = $15"
    "   AND ($2::bigint IS NULL OR position = $2))"
    " ON CONFLICT(doc_id, COALESCE(origin, ''), position) DO NOTHING RETURNING id",
  [PG_STMT_UNIT_AT] =
    "SELECT id FROM units WHERE doc_id = $1 AND COALESCE(origin, '') = COALESCE($2, '')"
    " AND ($3::bigint IS NULL OR position = $3) ORDER BY position DESC LIMIT 1",
  [PG_STMT_PROP_DELETE] = "DELETE FROM unit_props WHERE unit_id = $1",
  [PG_STMT_PROP_INSERT] = "INSERT INTO unit_props(unit_id, seq, kind, type, lang, value, side) VALUES($1, $2, $3, $4, $5, $6, $7)",
  [PG_STMT_META_PUT] =
    "INSERT INTO document_meta(doc_id, key, value) VALUES($1, $2, $3)"
    " ON CONFLICT(doc_id, key) DO UPDATE SET value = excluded.value",
  [PG_STMT_META_GET] = "SELECT value FROM document_meta WHERE doc_id = $1 AND key = $2",
  [PG_STMT_LEARNED_PUT] =
    "INSERT INTO lexicon(src, tgt, origin, weight, count) VALUES($1, $2, 'learned', $3, $4)"
    " ON CONFLICT(src, tgt, origin) DO UPDATE SET weight = excluded.weight, count = excluded.count",
  [PG_STMT_LEXICON_ADD] =
    "INSERT INTO lexicon(src, tgt, origin, weight, count) VALUES($1, $2, $3, $4, $5)"
    " ON CONFLICT(src, tgt, origin) DO NOTHING",
};

/* ---- connection ------------------------------------------------------------- */

int ieum_tm_pg__is_uri(const char *path)
{
  return path && (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11));
}

int ieum_tm_pg__unsupported(ieum_tm *tm, const char *what)
{
  return ieum__error_set(IEUM_ENOTSUP, "%s: %s is not supported on a PostgreSQL TM", tm->path, what);
}

int ieum_tm_pg__error(ieum_tm *tm, PGresult *res, const char *what)
{
  char msg[512];
  const char *m = res ? PQresultErrorMessage(res) : "";
  if (!m || !*m)
    m = PQerrorMessage(tm->pg->conn);
  snprintf(msg, sizeof msg, "%s", m && *m ? m : "unknown error");
  for (size_t n = strlen(msg); n && (msg[n - 1] == '\n' || msg[n - 1] == ' '); n--)
    msg[n - 1] = '\0';
  for (char *p = msg; *p; p++)
    if (*p == '\n')
      *p = ' ';
  PQclear(res);
  return ieum__error_set(IEUM_EDB, "%s: %s: %s", tm->path, what, msg);
}

int ieum_tm_pg__exec(ieum_tm *tm, const char *sql, const char *what)
{
  PGresult *res = PQexec(tm->pg->conn, sql);
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, what);
  PQclear(res);
  return IEUM_OK;
}

int ieum_tm_pg__run(PGresult **out, ieum_tm *tm, int which, const char *sql, int n, const char *const *params,
                    const char *what)
{
  char name[16];
  *out = NULL;
  snprintf(name, sizeof name, "ieum%d", which);
  if (!tm->pg->prepared[which]) {
    PGresult *p = PQprepare(tm->pg->conn, name, sql ? sql : stmt_sql[which], 0, NULL);
    if (PQresultStatus(p) != PGRES_COMMAND_OK)
      return ieum_tm_pg__error(tm, p, "cannot prepare a statement");
    PQclear(p);
    tm->pg->prepared[which] = 1;
  }
  PGresult *res = PQexecPrepared(tm->pg->conn, name, n, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && !strcmp(state, "23503")) { /* foreign_key_violation */
      PQclear(res);
      return ieum__error_set(IEUM_EINVAL, "%s: %s: no such document", tm->path, what);
    }
    if (state && !strcmp(state, "23502")) { /* not_null_violation */
      PQclear(res);
      return ieum__error_set(IEUM_EINVAL, "%s: %s: a unit has no language and neither has its document", tm->path,
                             what);
    }
    return ieum_tm_pg__error(tm, res, what);
  }
  *out = res;
  return IEUM_OK;
}

/* The URI without its password, for messages: postgresql://user:secret@host/db -> postgresql://user@host/db. */
static char *display_name(const char *uri)
{
  const char *start = strstr(uri, "://") + 3, *at = strchr(start, '@'), *slash = strchr(start, '/');
  char *out = ieum__strdup(uri);
  if (!out)
    return NULL;
  if (at && (!slash || at < slash)) {
    const char *colon = memchr(start, ':', (size_t)(at - start));
    if (colon)
      memmove(out + (colon - uri), out + (at - uri), strlen(at) + 1);
  }
  char *pw = strstr(out, "password=");
  if (pw) {
    char *end = strchr(pw, '&');
    memmove(pw + 9, end ? end : pw + strlen(pw), strlen(end ? end : "") + 1);
  }
  return out;
}

/* The server's notices ("extension already exists") are not ours to print. */
static void quiet_notice(void *arg, const char *message)
{
  (void)arg;
  (void)message;
}

int ieum_tm_pg__open(ieum_tm **out, const char *uri, int mode)
{
  ieum_tm *tm = NULL;
  int rc;
  *out = NULL;
  if (mode != IEUM_TM_READ && mode != IEUM_TM_WRITE && mode != IEUM_TM_CREATE)
    return ieum__error_set(IEUM_EINVAL, "unknown TM open mode %d", mode);
  if (!(tm = ieum__calloc(1, sizeof *tm)) || !(tm->pg = ieum__calloc(1, sizeof *tm->pg)) ||
      !(tm->path = display_name(uri))) {
    if (tm)
      ieum__free(tm->pg);
    ieum__free(tm);
    return ieum__error_oom();
  }
  tm->writable = mode != IEUM_TM_READ;
  tm->pg->trgm_limit = -1;
  tm->pg->conn = PQconnectdb(uri);
  if (!tm->pg->conn) {
    rc = ieum__error_oom();
    goto done;
  }
  if (PQstatus(tm->pg->conn) != CONNECTION_OK) {
    rc = ieum_tm_pg__error(tm, NULL, "cannot connect");
    goto done;
  }
  PQsetNoticeProcessor(tm->pg->conn, quiet_notice, NULL);
  if ((rc = ieum_tm_pg__exec(tm, "SET search_path = ieum, public; SET client_encoding = 'UTF8';"
                                 " SET application_name = 'ieum'", "cannot set up the connection")) != 0)
    goto done;
  if (!tm->writable && (rc = ieum_tm_pg__exec(tm, "SET default_transaction_read_only = on",
                                                  "cannot set up the connection")) != 0)
    goto done;
  if ((rc = ieum_tm_pg__schema_open(tm)) != 0)
    goto done;
  *out = tm;
  tm = NULL;
done:
  if (tm)
    ieum_tm_pg__free(tm);
  return rc;
}

int ieum_tm_pg__connection_ok(ieum_tm *tm)
{
  PGconn *c = tm->pg ? tm->pg->conn : NULL;
  if (!c || PQstatus(c) != CONNECTION_OK)
    return 0;
  /* An idle connection learns of its end (a FATAL message, then EOF) only when it reads: libpq's
  ** reads do not block, and the first one may stop after the message, so a second sees the EOF.
  ** What was read stays in libpq's buffer for the next result. */
  for (int i = 0; i < 2; i++)
    if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK)
      return 0;
  return 1;
}

void ieum_tm_pg__free(ieum_tm *tm)
{
  if (!tm)
    return;
  if (tm->pg) {
    if (tm->pg->conn && tm->in_tx)
      PQclear(PQexec(tm->pg->conn, "ROLLBACK"));
    PQfinish(tm->pg->conn);
    ieum_tm_pg__df_free(tm->pg->df);
    ieum__free(tm->pg);
  }
  ieum__free(tm->path);
  ieum__free(tm->user);
  ieum__free(tm);
}

/* ---- transactions ------------------------------------------------------------- */

int ieum_tm_pg__begin(ieum_tm *tm)
{
  if (tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: a TM transaction is already open", tm->path);
  if (!tm->writable)
    return ieum__error_set(IEUM_EDB, "%s: the TM is open read-only", tm->path);
  int rc = ieum_tm_pg__exec(tm, "BEGIN", "cannot begin a transaction");
  tm->in_tx = rc == 0;
  return rc;
}

int ieum_tm_pg__commit(ieum_tm *tm)
{
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: no TM transaction to commit", tm->path);
  int rc = ieum_tm_pg__exec(tm, "COMMIT", "cannot commit");
  if (rc == 0 || PQtransactionStatus(tm->pg->conn) == PQTRANS_IDLE)
    tm->in_tx = 0;
  return rc;
}

int ieum_tm_pg__rollback(ieum_tm *tm)
{
  if (!tm->in_tx)
    return IEUM_OK;
  tm->in_tx = 0;
  return ieum_tm_pg__exec(tm, "ROLLBACK", "cannot roll back");
}

static int need_tx(ieum_tm *tm)
{
  return tm->in_tx ? IEUM_OK : ieum__error_set(IEUM_EINVAL, "%s: TM write outside a transaction", tm->path);
}

/* ---- helpers ------------------------------------------------------------------ */

/* A NUL-terminated copy of s[0..len) in b (PostgreSQL text has no NUL byte: refused). */
static int text_param(ieum_tm *tm, ieum_buf *b, const char *s, size_t len, const char *what)
{
  ieum__buf_clear(b);
  if (len && memchr(s, 0, len))
    return ieum__error_set(IEUM_EINVAL, "%s: %s holds a NUL byte", tm->path, what);
  int rc = ieum__buf_put(b, s ? s : "", len);
  return rc ? rc : ieum__buf_puts(b, "");
}

static int64_t int_value(const PGresult *res, int row, int col)
{
  return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static const char *opt_value(const PGresult *res, int row, int col)
{
  return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

void ieum_tm_pg__row_unit(ieum_unit *u, const PGresult *res, int row, int c)
{
  *u = (ieum_unit)IEUM_UNIT_INIT;
  u->id = int_value(res, row, c);
  u->src = PQgetvalue(res, row, c + 1);
  u->src_len = (size_t)PQgetlength(res, row, c + 1);
  u->tgt = PQgetvalue(res, row, c + 2);
  u->tgt_len = (size_t)PQgetlength(res, row, c + 2);
  u->src_lang = opt_value(res, row, c + 3);
  u->tgt_lang = opt_value(res, row, c + 4);
  u->score = PQgetisnull(res, row, c + 5) ? -1.0 : strtod(PQgetvalue(res, row, c + 5), NULL);
  u->bead = opt_value(res, row, c + 6);
  u->document = opt_value(res, row, c + 7);
  u->position = PQgetisnull(res, row, c + 8) ? -1 : int_value(res, row, c + 8);
  u->created = int_value(res, row, c + 9);
  u->note = opt_value(res, row, c + 10);
  u->role = opt_value(res, row, c + 11);
}

/* Receives one row of a walk; non-zero stops it and is returned. */
typedef int (*row_fn)(const PGresult *res, void *payload);

/*
** Runs `sql` with text parameters in single-row mode, handing each row to
** fn.  A stop (fn's non-zero) cancels the query and drains the connection,
** so it is ready for the next statement.
*/
static int walk(ieum_tm *tm, const char *sql, int n, const char *const *params, row_fn fn, void *payload,
                const char *what)
{
  PGconn *c = tm->pg->conn;
  int rc = IEUM_OK, stopped = 0;
  if (!PQsendQueryParams(c, sql, n, NULL, params, NULL, NULL, 0))
    return ieum_tm_pg__error(tm, NULL, what);
  PQsetSingleRowMode(c);
  PGresult *res;
  while ((res = PQgetResult(c)) != NULL) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_SINGLE_TUPLE && !stopped) {
      if ((rc = fn(res, payload)) != 0) {
        stopped = 1;
        PGcancel *cancel = PQgetCancel(c);
        char err[256];
        if (cancel) {
          PQcancel(cancel, err, sizeof err);
          PQfreeCancel(cancel);
        }
      }
    } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !stopped && rc == 0) {
      rc = ieum_tm_pg__error(tm, res, what);
      continue; /* cleared */
    }
    PQclear(res);
  }
  return rc;
}

/* ---- documents ------------------------------------------------------------------ */

/* params[i] := the name escaped to valid UTF-8 (in esc), raw[i] := its bytes in hex when they were not. */
static int name_param(ieum_buf *esc, ieum_buf *raw, const char *name)
{
  int changed = 0, rc;
  if (!name)
    return IEUM_OK;
  if ((rc = ieum_tm__name_escape(esc, &changed, name, strlen(name))) != 0 || (rc = ieum__buf_puts(esc, "")) != 0)
    return rc;
  if (changed)
    for (const unsigned char *p = (const unsigned char *)name; *p && rc == 0; p++)
      rc = ieum__buf_printf(raw, "%02x", *p);
  return rc ? rc : (changed ? ieum__buf_puts(raw, "") : IEUM_OK);
}

int ieum_tm_pg__add_document(int64_t *out, ieum_tm *tm, const ieum_tm_document *doc)
{
  ieum_buf se = IEUM_BUF_INIT, sr = IEUM_BUF_INIT, te = IEUM_BUF_INIT, tr = IEUM_BUF_INIT;
  PGresult *res = NULL;
  char added[24];
  int rc;
  *out = 0;
  if ((rc = need_tx(tm)) != 0)
    return rc;
  if (!doc || !doc->kind || !doc->hash)
    return ieum__error_set(IEUM_EINVAL, "%s: a document needs a kind and a hash", tm->path);
  if ((rc = name_param(&se, &sr, doc->src_path)) != 0 || (rc = name_param(&te, &tr, doc->tgt_path)) != 0)
    goto done;
  snprintf(added, sizeof added, "%lld", (long long)ieum__now());
  const char *p[9] = { doc->kind, doc->src_path ? se.ptr : NULL, doc->tgt_path ? te.ptr : NULL, doc->src_lang,
                       doc->tgt_lang, doc->hash, added, sr.ptr, tr.ptr };
  if ((rc = ieum_tm_pg__run(&res, tm, PG_STMT_DOC_INSERT, NULL, 9, p, "cannot add a document")) != 0)
    goto done;
  if (PQntuples(res) == 1) {
    *out = int_value(res, 0, 0);
    goto done;
  }
  PQclear(res);
  res = NULL;
  /* Already there (or claimed by a writer that committed before us). */
  rc = ieum_tm_pg__find_document(out, tm, doc->kind, doc->hash);
  if (rc == 0)
    rc = IEUM_EEXISTS;
done:
  PQclear(res);
  ieum_buf_dispose(&se);
  ieum_buf_dispose(&sr);
  ieum_buf_dispose(&te);
  ieum_buf_dispose(&tr);
  return rc;
}

int ieum_tm_pg__find_document(int64_t *out, ieum_tm *tm, const char *kind, const char *hash)
{
  PGresult *res = NULL;
  *out = 0;
  if (!kind || !hash)
    return ieum__error_set(IEUM_EINVAL, "%s: finding a document needs a kind and a hash", tm->path);
  const char *p[2] = { kind, hash };
  int rc = ieum_tm_pg__run(&res, tm, PG_STMT_DOC_FIND, NULL, 2, p, "cannot find a document");
  if (rc)
    return rc;
  if (PQntuples(res) == 0)
    rc = IEUM_ENOTFOUND;
  else
    *out = int_value(res, 0, 0);
  PQclear(res);
  return rc;
}

static int hexval(int c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int ieum_tm_pg__get_document_path(ieum_buf *out, ieum_tm *tm, int64_t doc_id, int tgt)
{
  PGresult *res = NULL;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)doc_id);
  const char *p[1] = { id };
  int rc = ieum_tm_pg__run(&res, tm, PG_STMT_DOC_PATH, NULL, 1, p, "cannot read a document");
  if (rc)
    return rc;
  if (PQntuples(res) == 0 || PQgetisnull(res, 0, tgt ? 1 : 0)) {
    PQclear(res);
    return ieum__error_set(IEUM_ENOTFOUND, "%s: document %lld has no %s file name", tm->path, (long long)doc_id,
                           tgt ? "target" : "source");
  }
  const char *raw = opt_value(res, 0, tgt ? 3 : 2);
  if (raw) {
    for (size_t i = 0; rc == 0 && raw[i] && raw[i + 1]; i += 2) {
      char c = (char)(hexval(raw[i]) * 16 + hexval(raw[i + 1]));
      rc = ieum__buf_put(out, &c, 1);
    }
  } else {
    rc = ieum__buf_puts(out, PQgetvalue(res, 0, tgt ? 1 : 0));
  }
  PQclear(res);
  return rc;
}

/* ---- units ------------------------------------------------------------------------ */

/*
** Inserts a unit; *id gets its id, or 0 when a unit was at its place already or, with dup_sl and
** dup_tl given, one of the same texts in those languages was anywhere in the TM.
*/
static int insert_unit(int64_t *id, ieum_tm *tm, int64_t doc_id, const ieum_unit *unit, const char *dup_sl,
                       const char *dup_tl)
{
  ieum_buf s = IEUM_BUF_INIT, t = IEUM_BUF_INIT, origin = IEUM_BUF_INIT;
  PGresult *res = NULL;
  char doc[24], pos[24], score[32], created[24];
  int rc;
  *id = 0;
  if ((rc = need_tx(tm)) != 0)
    return rc;
  if (!unit || (unit->src_len == 0 && unit->tgt_len == 0))
    return ieum__error_set(IEUM_EINVAL, "%s: a unit of document %lld has neither source nor target text", tm->path,
                           (long long)doc_id);
  if ((!unit->src && unit->src_len) || (!unit->tgt && unit->tgt_len))
    return ieum__error_set(IEUM_EINVAL, "%s: a unit of document %lld has a length but no text", tm->path,
                           (long long)doc_id);
  if ((rc = text_param(tm, &s, unit->src, unit->src_len, "a unit's source")) != 0 ||
      (rc = text_param(tm, &t, unit->tgt, unit->tgt_len, "a unit's target")) != 0)
    goto done;
  if (unit->document && (rc = ieum_tm__name_escape(&origin, NULL, unit->document, strlen(unit->document))) == 0)
    rc = ieum__buf_puts(&origin, "");
  if (rc)
    goto done;
  snprintf(doc, sizeof doc, "%lld", (long long)doc_id);
  snprintf(pos, sizeof pos, "%lld", (long long)unit->position);
  snprintf(score, sizeof score, "%.17g", unit->score);
  snprintf(created, sizeof created, "%lld", (long long)(unit->created ? unit->created : ieum__now()));
  const char *p[15] = { doc, unit->position >= 0 ? pos : NULL, s.ptr, t.ptr, unit->src_lang, unit->tgt_lang,
                        unit->score >= 0 ? score : NULL, unit->bead, unit->document ? origin.ptr : NULL, unit->note,
                        created, unit->role, tm->user, dup_sl, dup_tl };
  int dup = dup_sl && dup_tl;
  if ((rc = ieum_tm_pg__run(&res, tm, dup ? PG_STMT_UNIT_INSERT_NEW : PG_STMT_UNIT_INSERT, NULL, dup ? 15 : 13, p,
                            "cannot add a unit")) != 0)
    goto done;
  if (PQntuples(res) == 1)
    *id = int_value(res, 0, 0);
done:
  PQclear(res);
  ieum_buf_dispose(&s);
  ieum_buf_dispose(&t);
  ieum_buf_dispose(&origin);
  return rc;
}

int ieum_tm_pg__add_unit(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit)
{
  int64_t id;
  return insert_unit(&id, tm, doc_id, unit, NULL, NULL);
}

typedef struct {
  ieum_unit_cb cb;
  void *payload;
} unit_walk;

static int unit_row(const PGresult *res, void *payload)
{
  unit_walk *w = payload;
  ieum_unit u;
  ieum_tm_pg__row_unit(&u, res, 0, 0);
  return w->cb(&u, w->payload);
}

int ieum_tm_pg__command(int64_t *changed, ieum_tm *tm, const char *sql, int n, const char *const *params,
                        const char *what)
{
  PGresult *res = PQexecParams(tm->pg->conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, what);
  if (changed)
    *changed = strtoll(PQcmdTuples(res), NULL, 10);
  PQclear(res);
  return IEUM_OK;
}

int ieum_tm_pg__list_units(ieum_tm *tm, const char *where, int n, const char *const *params, ieum_unit_cb cb,
                           void *payload)
{
  unit_walk w = { cb, payload };
  ieum_buf sql = IEUM_BUF_INIT;
  int rc = ieum__buf_printf(&sql,
                            "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
                            " WHERE %s ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position",
                            where);
  if (!rc)
    rc = walk(tm, sql.ptr, n, params, unit_row, &w, "cannot read the units");
  ieum_buf_dispose(&sql);
  return rc;
}

int ieum_tm_pg__foreach(ieum_tm *tm, ieum_unit_cb cb, void *payload)
{
  unit_walk w = { cb, payload };
  return walk(tm,
              "SELECT " IEUM_TM_PG__UNIT_COLUMNS " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
              " ORDER BY u.doc_id, COALESCE(u.origin, ''), u.position",
              0, NULL, unit_row, &w, "cannot read the units");
}

/* ---- statistics ---------------------------------------------------------------------- */

static int query(PGresult **out, ieum_tm *tm, const char *sql, const char *what)
{
  *out = PQexec(tm->pg->conn, sql);
  if (PQresultStatus(*out) != PGRES_TUPLES_OK) {
    int rc = ieum_tm_pg__error(tm, *out, what);
    *out = NULL;
    return rc;
  }
  return IEUM_OK;
}

int ieum_tm_pg__foreach_lang_pair(ieum_tm *tm, ieum_tm_lang_pair_cb cb, void *payload)
{
  PGresult *res = NULL;
  int rc = query(&res, tm, "SELECT src_lang, tgt_lang, count(*) AS n FROM units GROUP BY src_lang, tgt_lang"
                           " ORDER BY n DESC, src_lang, tgt_lang", "cannot list the language pairs");
  for (int i = 0; rc == 0 && i < PQntuples(res); i++)
    rc = cb(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), int_value(res, i, 2), payload);
  PQclear(res);
  return rc;
}

int ieum_tm_pg__stats_get(ieum_tm_stats *out, ieum_tm *tm)
{
  PGresult *res = NULL;
  char keys[IEUM_TM_STATS_LANGS][2][IEUM_LANG_MAX];
  int rc;
  memset(out, 0, sizeof *out);
  /* One snapshot for all the counts (REPEATABLE READ; read only, so nothing to commit). */
  int own = !tm->in_tx;
  if (own && (rc = ieum_tm_pg__exec(tm, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "cannot read the TM")) != 0)
    return rc;
  if ((rc = query(&res, tm, "SELECT (SELECT count(*) FROM documents), count(*), count(*) - count(score) FROM units",
                  "cannot count the units")) != 0)
    goto done;
  out->documents = int_value(res, 0, 0);
  out->units = int_value(res, 0, 1);
  out->unscored = int_value(res, 0, 2);
  PQclear(res);
  if ((rc = query(&res, tm, "SELECT LEAST(GREATEST(floor(score * 10)::int, 0), 9) AS bin, count(*) FROM units"
                            " WHERE score IS NOT NULL GROUP BY bin", "cannot count the scores")) != 0)
    goto done;
  for (int i = 0; i < PQntuples(res); i++) {
    int64_t bin = int_value(res, i, 0);
    if (bin >= 0 && bin < 10)
      out->score_hist[bin] = int_value(res, i, 1);
  }
  PQclear(res);
  if ((rc = query(&res, tm, "SELECT bead, count(*) FROM units WHERE bead IS NOT NULL GROUP BY bead",
                  "cannot count the beads")) != 0)
    goto done;
  for (int i = 0; i < PQntuples(res); i++)
    for (int b = 0; b < 8; b++)
      if (!strcmp(PQgetvalue(res, i, 0), bead_names[b]))
        *(b < 6 ? &out->beads[b] : &out->beads3[b - 6]) = int_value(res, i, 1);
  PQclear(res);
  /* Language pairs: spellings of one pair merged as tm/store.c merges them. */
  if ((rc = query(&res, tm, "SELECT src_lang, tgt_lang, count(*) AS n FROM units GROUP BY src_lang, tgt_lang"
                            " ORDER BY n DESC, src_lang, tgt_lang LIMIT 1024", "cannot count the language pairs")) != 0)
    goto done;
  for (int i = 0; i < PQntuples(res); i++) {
    const char *s = PQgetvalue(res, i, 0), *t = PQgetvalue(res, i, 1);
    char ks[IEUM_LANG_MAX], kt[IEUM_LANG_MAX];
    if (ieum_lang_export_tag(ks, sizeof ks, s, 0) || ieum_lang_export_tag(kt, sizeof kt, t, 0)) {
      ieum__error_clear();
      snprintf(ks, sizeof ks, "%.*s", (int)(sizeof ks - 1), s);
      snprintf(kt, sizeof kt, "%.*s", (int)(sizeof kt - 1), t);
    }
    size_t k = 0;
    while (k < out->n_langs && (strcmp(keys[k][0], ks) || strcmp(keys[k][1], kt)))
      k++;
    if (k == out->n_langs) {
      if (k == IEUM_TM_STATS_LANGS)
        continue;
      memcpy(keys[k][0], ks, sizeof ks);
      memcpy(keys[k][1], kt, sizeof kt);
      snprintf(out->langs[k].src, sizeof out->langs[0].src, "%s", s);
      snprintf(out->langs[k].tgt, sizeof out->langs[0].tgt, "%s", t);
      out->n_langs++;
    }
    out->langs[k].units += int_value(res, i, 2);
  }
  PQclear(res);
  res = NULL;
  for (size_t i = 1; i < out->n_langs; i++)
    for (size_t j = i; j > 0 && out->langs[j].units > out->langs[j - 1].units; j--) {
      unsigned char tmp[sizeof out->langs[0]];
      memcpy(tmp, &out->langs[j], sizeof tmp);
      memcpy(&out->langs[j], &out->langs[j - 1], sizeof tmp);
      memcpy(&out->langs[j - 1], tmp, sizeof tmp);
    }
done:
  PQclear(res);
  if (own)
    PQclear(PQexec(tm->pg->conn, "COMMIT"));
  return rc;
}

/* ---- document metadata ------------------------------------------------------------ */

int ieum_tm_pg__set_document_meta(ieum_tm *tm, int64_t doc_id, const char *key, const char *value)
{
  PGresult *res = NULL;
  char id[24];
  int rc;
  if ((rc = need_tx(tm)) != 0)
    return rc;
  if (!key || !*key)
    return ieum__error_set(IEUM_EINVAL, "%s: document metadata needs a key", tm->path);
  snprintf(id, sizeof id, "%lld", (long long)doc_id);
  const char *p[3] = { id, key, value ? value : "" };
  rc = ieum_tm_pg__run(&res, tm, PG_STMT_META_PUT, NULL, 3, p, "cannot store document metadata");
  if (rc == IEUM_EINVAL)
    rc = ieum__error_set(IEUM_ENOTFOUND, "%s: no document %lld", tm->path, (long long)doc_id);
  PQclear(res);
  return rc;
}

typedef struct {
  ieum_tm_meta_cb cb;
  void *payload;
} meta_walk;

static int meta_row(const PGresult *res, void *payload)
{
  meta_walk *w = payload;
  return w->cb(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), w->payload);
}

int ieum_tm_pg__foreach_document_meta(ieum_tm *tm, int64_t doc_id, ieum_tm_meta_cb cb, void *payload)
{
  char id[24];
  meta_walk w = { cb, payload };
  snprintf(id, sizeof id, "%lld", (long long)doc_id);
  const char *p[1] = { id };
  return walk(tm, "SELECT key, value FROM document_meta WHERE doc_id = $1 ORDER BY key", 1, p, meta_row, &w,
              "cannot read document metadata");
}

int ieum_tm_pg__get_document_meta(ieum_buf *out, ieum_tm *tm, int64_t doc_id, const char *key)
{
  PGresult *res = NULL;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)doc_id);
  const char *p[2] = { id, key ? key : "" };
  int rc = ieum_tm_pg__run(&res, tm, PG_STMT_META_GET, NULL, 2, p, "cannot read document metadata");
  if (rc)
    return rc;
  rc = PQntuples(res) ? ieum__buf_puts(out, PQgetvalue(res, 0, 0)) : IEUM_ENOTFOUND;
  PQclear(res);
  return rc;
}

/* ---- settings (tm/settings.c) ----------------------------------------------------- */

int ieum_tm_pg__set_setting(ieum_tm *tm, const char *key, const char *value)
{
  int rc = need_tx(tm);
  if (rc)
    return rc;
  const char *p[2] = { key, value };
  PGresult *res = PQexecParams(tm->pg->conn,
                               value ? "INSERT INTO meta(key, value) VALUES($1, $2)"
                                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                                     : "DELETE FROM meta WHERE key = $1",
                               value ? 2 : 1, NULL, p, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    return ieum_tm_pg__error(tm, res, "cannot store a setting");
  PQclear(res);
  return IEUM_OK;
}

int ieum_tm_pg__foreach_setting(ieum_tm *tm, const char *prefix, ieum_tm_meta_cb cb, void *payload)
{
  meta_walk w = { cb, payload };
  const char *p[1] = { prefix ? prefix : "" };
  /* starts_with(): no LIKE, so '%' and '_' are plain characters. */
  return walk(tm, "SELECT key, value FROM meta WHERE starts_with(key, $1) AND strpos(key, '.') > 0 ORDER BY key COLLATE \"C\"",
              1, p, meta_row, &w, "cannot read the settings");
}

/* ---- unit props and the importer ---------------------------------------------------- */

/*
** The stored kind ("prop", "note", "attr") and side (NULL: of the <tu>;
** "src"/"tgt": of a <tuv>) of an API kind ("prop", "src-prop", "tgt-note"...,
** as tm/props.c); the kind is NULL when `kind` is none of them.
*/
static const char *split_kind(const char **side, const char *kind)
{
  static const char *const kinds[] = { "prop", "note", "attr" };
  *side = NULL;
  if (kind && (!strncmp(kind, "src-", 4) || !strncmp(kind, "tgt-", 4))) {
    *side = kind[0] == 's' ? "src" : "tgt";
    kind += 4;
  }
  for (int k = 0; k < 3; k++)
    if (kind && !strcmp(kind, kinds[k]))
      return kinds[k];
  return NULL;
}

static int check_props(ieum_tm *tm, const ieum_unit_prop *props, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const ieum_unit_prop *p = &props[i];
    const char *side, *kind = split_kind(&side, p->kind);
    if (!kind)
      return ieum__error_set(IEUM_EINVAL, "%s: unit metadata of kind \"%s\" (prop, note or attr expected)", tm->path,
                             p->kind ? p->kind : "(null)");
    if (strcmp(kind, "note") && (!p->type || !*p->type))
      return ieum__error_set(IEUM_EINVAL, "%s: a unit %s without a type", tm->path, p->kind);
  }
  return IEUM_OK;
}

/* Replaces the props of unit `id` (as tm/props.c: a tuid equal to the id is not stored). */
static int write_props(ieum_tm *tm, int64_t id, const ieum_unit_prop *props, size_t n, int fresh)
{
  PGresult *res = NULL;
  char idtext[24], seqtext[16];
  int rc = IEUM_OK, seq = 0;
  snprintf(idtext, sizeof idtext, "%lld", (long long)id);
  const char *d[1] = { idtext };
  if (!fresh) {
    if ((rc = ieum_tm_pg__run(&res, tm, PG_STMT_PROP_DELETE, NULL, 1, d, "cannot remove unit metadata")) != 0)
      return rc;
    PQclear(res);
  }
  for (size_t i = 0; i < n; i++) {
    const ieum_unit_prop *p = &props[i];
    const char *side, *kind = split_kind(&side, p->kind);
    if (!side && !strcmp(kind, "attr") && !strcmp(p->type, "tuid") && p->value && !strcmp(p->value, idtext))
      continue;
    snprintf(seqtext, sizeof seqtext, "%d", seq++);
    const char *v[7] = { idtext, seqtext, kind, strcmp(kind, "note") ? p->type : NULL,
                         p->lang && *p->lang ? p->lang : NULL, p->value ? p->value : "", side };
    if ((rc = ieum_tm_pg__run(&res, tm, PG_STMT_PROP_INSERT, NULL, 7, v, "cannot store unit metadata")) != 0)
      return rc;
    PQclear(res);
  }
  return rc;
}

int ieum_tm_pg__set_unit_props(ieum_tm *tm, int64_t doc_id, const ieum_unit *unit, const ieum_unit_prop *props,
                               size_t n_props)
{
  PGresult *res = NULL;
  char doc[24], pos[24];
  int rc;
  if ((rc = need_tx(tm)) != 0 || (rc = check_props(tm, props, n_props)) != 0)
    return rc;
  snprintf(doc, sizeof doc, "%lld", (long long)doc_id);
  snprintf(pos, sizeof pos, "%lld", (long long)unit->position);
  const char *p[3] = { doc, unit->document, unit->position >= 0 ? pos : NULL };
  if ((rc = ieum_tm_pg__run(&res, tm, PG_STMT_UNIT_AT, NULL, 3, p, "cannot find a unit")) != 0)
    return rc;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return ieum__error_set(IEUM_ENOTFOUND, "%s: no unit at document %lld position %lld", tm->path,
                           (long long)doc_id, (long long)unit->position);
  }
  int64_t id = int_value(res, 0, 0);
  PQclear(res);
  return write_props(tm, id, props, n_props, 0);
}

int ieum_tm_pg__import_add(int *added, ieum_tm *tm, int64_t doc_id, int merge, const char *doc_src_lang,
                           const char *doc_tgt_lang, const ieum_unit *unit, const ieum_unit_prop *props,
                           size_t n_props)
{
  int64_t id = 0;
  int rc;
  if (added)
    *added = 0;
  if ((rc = check_props(tm, props, n_props)) != 0)
    return rc;
  const char *sl = unit->src_lang ? unit->src_lang : doc_src_lang, *tl = unit->tgt_lang ? unit->tgt_lang : doc_tgt_lang;
  /* Merging duplicates (of a unit with a position: at that position, tm/props.c): the check is in the
     insert (one round trip a unit, not two). */
  int check = merge && sl && tl;
  if ((rc = insert_unit(&id, tm, doc_id, unit, check ? sl : NULL, check ? tl : NULL)) != 0 || id == 0)
    return rc;
  if (n_props && (rc = write_props(tm, id, props, n_props, 1)) != 0)
    return rc;
  if (added)
    *added = 1;
  return IEUM_OK;
}

static char *opt_copy_at(const PGresult *res, int row, int col, int *oom)
{
  if (PQgetisnull(res, row, col))
    return NULL;
  char *s = ieum__strdup(PQgetvalue(res, row, col));
  *oom |= !s;
  return s;
}

static char *opt_copy(const PGresult *res, int col, int *oom)
{
  return opt_copy_at(res, 0, col, oom);
}

int ieum_tm_pg__document_langs(char **src_lang, char **tgt_lang, ieum_tm *tm, int64_t doc_id)
{
  char id[24];
  int oom = 0;
  *src_lang = *tgt_lang = NULL;
  snprintf(id, sizeof id, "%lld", (long long)doc_id);
  const char *p[1] = { id };
  PGresult *res = PQexecParams(tm->pg->conn, "SELECT src_lang, tgt_lang FROM documents WHERE id = $1", 1, NULL, p,
                               NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, "cannot find the document");
  if (PQntuples(res) == 0) {
    PQclear(res);
    return ieum__error_set(IEUM_ENOTFOUND, "%s: no document %lld", tm->path, (long long)doc_id);
  }
  *src_lang = opt_copy(res, 0, &oom);
  *tgt_lang = opt_copy(res, 1, &oom);
  PQclear(res);
  if (oom) {
    ieum__free(*src_lang);
    ieum__free(*tgt_lang);
    *src_lang = *tgt_lang = NULL;
    return ieum__error_oom();
  }
  return IEUM_OK;
}

/* A prop's API kind from its stored kind and side: "prop", "src-prop", "tgt-note"... (tm/props.c). */
#define PROP_KIND "CASE p.side WHEN 'src' THEN 'src-' || p.kind WHEN 'tgt' THEN 'tgt-' || p.kind ELSE p.kind END"

/*
** Rows: the unit's columns, then kind, type, lang, value of one prop (NULL
** when none), created_by, and with urls the pages' two URLs; by unit then seq.
*/
typedef struct {
  ieum_unit_props_cb cb;
  void *payload;
  PGresult *unit_row;     /* the row of the unit being gathered (kept: its strings are the unit's) */
  ieum_unit_prop *props;
  char **strings;         /* copies of the props' strings */
  size_t n, cap;
  int urls;               /* the rows also hold the pages' URLs after created_by (foreach_with_props) */
} props_walk;

static void props_reset(props_walk *w)
{
  for (size_t i = 0; i < 4 * w->n; i++)
    ieum__free(w->strings[i]);
  w->n = 0;
  PQclear(w->unit_row);
  w->unit_row = NULL;
}

/* Whether the first n props of w have an "attr" `name` of the <tu>. */
static int has_attr(const props_walk *w, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(w->props[i].kind, "attr") && w->props[i].type && !strcmp(w->props[i].type, name))
      return 1;
  return 0;
}

/*
** Hands the gathered unit to the callback with its props, plus what the
** SQLite TM's readers add from columns (tm/props.c): who made the unit
** (created_by, column 16) as creationid, changeid and changedate where its
** own metadata does not say, and, with w->urls, its pages' URLs (columns
** 17-18) as an x-url item, "SRC_URL|TGT_URL".
*/
static int props_flush(props_walk *w)
{
  if (!w->unit_row)
    return IEUM_OK;
  ieum_unit u;
  ieum_tm_pg__row_unit(&u, w->unit_row, 0, 0);
  char date[32] = "";
  ieum_buf urls = IEUM_BUF_INIT;
  size_t n = w->n;
  int rc = IEUM_OK;
  if (n + 4 > w->cap) {
    ieum_unit_prop *p = ieum__reallocarray(w->props, n + 4, sizeof *p);
    if (!p) {
      rc = ieum__error_oom();
      goto done;
    }
    w->props = p;
  }
  const char *by = PQgetisnull(w->unit_row, 0, 16) ? NULL : PQgetvalue(w->unit_row, 0, 16);
  if (by && *by) {
    if (!has_attr(w, n, "creationid"))
      w->props[n++] = (ieum_unit_prop){ "attr", "creationid", NULL, by };
    if (!has_attr(w, n, "changeid"))
      w->props[n++] = (ieum_unit_prop){ "attr", "changeid", NULL, by };
    time_t t = (time_t)u.created;
    struct tm tv;
    if (!has_attr(w, n, "changedate") && gmtime_r(&t, &tv) && strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tv) == 16)
      w->props[n++] = (ieum_unit_prop){ "attr", "changedate", NULL, date };
  }
  if (w->urls) {
    const char *su = PQgetisnull(w->unit_row, 0, 17) ? "" : PQgetvalue(w->unit_row, 0, 17);
    const char *tu = PQgetisnull(w->unit_row, 0, 18) ? "" : PQgetvalue(w->unit_row, 0, 18);
    if (*su || *tu) {
      if ((rc = ieum__buf_puts(&urls, su)) != 0 || (rc = ieum__buf_putc(&urls, '|')) != 0 ||
          (rc = ieum__buf_puts(&urls, tu)) != 0)
        goto done;
      w->props[n++] = (ieum_unit_prop){ "prop", "x-url", NULL, urls.ptr };
    }
  }
  rc = w->cb(&u, n ? w->props : NULL, n, w->payload);
done:
  ieum_buf_dispose(&urls);
  props_reset(w);
  return rc;
}


static int props_row(const PGresult *res, void *payload)
{
  props_walk *w = payload;
  int rc, oom = 0;
  if (w->unit_row && int_value(w->unit_row, 0, 0) != int_value(res, 0, 0) && (rc = props_flush(w)) != 0)
    return rc;
  if (!w->unit_row && !(w->unit_row = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES)))
    return ieum__error_oom();
  if (PQgetisnull(res, 0, 12))
    return IEUM_OK;
  if (w->n + 4 >= w->cap) { /* room for what props_flush() adds */
    size_t cap = w->cap ? 2 * w->cap : 16;
    ieum_unit_prop *p = ieum__reallocarray(w->props, cap, sizeof *p);
    if (p)
      w->props = p;
    char **s = p ? ieum__reallocarray(w->strings, 4 * cap, sizeof *s) : NULL;
    if (!s)
      return ieum__error_oom();
    w->strings = s;
    w->cap = cap;
  }
  char **s = &w->strings[4 * w->n];
  for (int i = 0; i < 4; i++)
    s[i] = opt_copy(res, 12 + i, &oom);
  w->props[w->n] = (ieum_unit_prop){ s[0], s[1], s[2], s[3] ? s[3] : "" };
  w->n++;
  return oom ? ieum__error_oom() : IEUM_OK;
}

/* Walks `sql` (unit columns, then a prop's four, by unit then seq) handing each unit with its props to cb. */
static int walk_props(ieum_tm *tm, const char *sql, int n, const char *const *params, int urls,
                      ieum_unit_props_cb cb, void *payload)
{
  props_walk w = { cb, payload, NULL, NULL, NULL, 0, 0, urls };
  int rc = walk(tm, sql, n, params, props_row, &w, "cannot read the units");
  if (rc == 0)
    rc = props_flush(&w);
  props_reset(&w);
  ieum__free(w.props);
  ieum__free(w.strings);
  return rc;
}

int ieum_tm_pg__foreach_with_props(ieum_tm *tm, ieum_unit_props_cb cb, void *payload)
{
  return walk_props(tm,
                    "SELECT " IEUM_TM_PG__UNIT_COLUMNS ", " PROP_KIND ", p.type, p.lang, p.value,"
                    " CASE d.kind WHEN 'tmx' THEN NULL ELSE u.created_by END,"
                    " (SELECT value FROM document_meta WHERE doc_id = u.doc_id AND key = 'src.url'),"
                    " (SELECT value FROM document_meta WHERE doc_id = u.doc_id AND key = 'tgt.url')"
                    " FROM units AS u JOIN documents AS d ON d.id = u.doc_id"
                    " LEFT JOIN unit_props AS p ON p.unit_id = u.id ORDER BY u.id, p.seq",
                    0, NULL, 1, cb, payload);
}

int ieum_tm_pg__each_document_unit(ieum_tm *tm, int64_t doc_id, ieum_unit_props_cb cb, void *payload)
{
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)doc_id);
  const char *p[1] = { id };
  /* The unit's own document name (origin) in the document column: what a copy stores again. */
  return walk_props(tm,
                    "SELECT u.id, u.src, u.tgt, u.src_lang, u.tgt_lang, u.score, u.bead, u.origin, u.position,"
                    " u.created, u.note, u.role, " PROP_KIND ", p.type, p.lang, p.value,"
                    /* who made a unit, as exports show it: not the importer of a TMX */
                    " CASE (SELECT kind FROM documents WHERE id = u.doc_id) WHEN 'tmx' THEN NULL ELSE u.created_by END"
                    " FROM units AS u"
                    " LEFT JOIN unit_props AS p ON p.unit_id = u.id WHERE u.doc_id = $1"
                    " ORDER BY COALESCE(u.origin, ''), u.position, p.seq",
                    1, p, 0, cb, payload);
}

int ieum_tm_pg__document_list(ieum_tm__doc_row **out, size_t *n, ieum_tm *tm)
{
  PGresult *res = PQexec(tm->pg->conn, "SELECT id, kind, src_lang, tgt_lang, hash FROM documents ORDER BY id");
  int oom = 0;
  *out = NULL;
  *n = 0;
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    return ieum_tm_pg__error(tm, res, "cannot list the documents");
  size_t k = (size_t)PQntuples(res);
  ieum_tm__doc_row *v = k ? ieum__calloc(k, sizeof *v) : NULL;
  if (k && !v) {
    PQclear(res);
    return ieum__error_oom();
  }
  for (size_t i = 0; i < k; i++) {
    v[i].id = int_value(res, (int)i, 0);
    v[i].kind = opt_copy_at(res, (int)i, 1, &oom);
    v[i].src_lang = opt_copy_at(res, (int)i, 2, &oom);
    v[i].tgt_lang = opt_copy_at(res, (int)i, 3, &oom);
    v[i].hash = opt_copy_at(res, (int)i, 4, &oom);
  }
  PQclear(res);
  if (oom) {
    ieum_tm__doc_rows_free(v, k);
    return ieum__error_oom();
  }
  *out = v;
  *n = k;
  return IEUM_OK;
}

/* ---- texts for the learner (tm/texts_int.h) ---------------------------------------- */

typedef struct {
  ieum_tm__texts_cb fn;
  void *payload;
} texts_walk;

static int texts_row(const PGresult *res, void *payload)
{
  texts_walk *w = payload;
  return w->fn(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0), PQgetvalue(res, 0, 1),
               (size_t)PQgetlength(res, 0, 1), w->payload);
}

int ieum_tm_pg__each_unit_text(ieum_tm *tm, double min_score, ieum_tm__texts_cb fn, void *payload)
{
  char m[32];
  texts_walk w = { fn, payload };
  snprintf(m, sizeof m, "%.17g", min_score);
  const char *p[1] = { m };
  return walk(tm, "SELECT src, tgt FROM units WHERE score >= $1 ORDER BY id", 1, p, texts_row, &w,
              "cannot read the units");
}

int ieum_tm_pg__each_pair_text(ieum_tm *tm, char src_lang[3][IEUM_LANG_MAX], char tgt_lang[3][IEUM_LANG_MAX],
                               double min_score, int limit, ieum_tm__texts_cb fn, void *payload)
{
  char m[32], l[16];
  texts_walk w = { fn, payload };
  snprintf(m, sizeof m, "%.17g", min_score);
  snprintf(l, sizeof l, "%d", limit);
  const char *p[8] = { m, src_lang[0], tgt_lang[0], l, src_lang[1], src_lang[2], tgt_lang[1], tgt_lang[2] };
  return walk(tm,
              "SELECT src, tgt FROM units WHERE bead = '1-1' AND score >= $1"
              " AND lower(src_lang) IN (lower($2), lower($5), lower($6))"
              " AND lower(tgt_lang) IN (lower($3), lower($7), lower($8)) ORDER BY id DESC LIMIT $4",
              8, p, texts_row, &w, "cannot read the units");
}

int ieum_tm_pg__each_learned(ieum_tm *tm, ieum_tm__texts_cb fn, void *payload)
{
  texts_walk w = { fn, payload };
  return walk(tm, "SELECT src, tgt FROM lexicon WHERE origin = 'learned' ORDER BY src, tgt", 0, NULL, texts_row, &w,
              "cannot read the lexicon");
}

int ieum_tm_pg__learned_begin(ieum_tm *tm, const char *what)
{
  int rc;
  if (!tm->writable)
    return ieum__error_set(IEUM_EINVAL, "%s: %s: the TM is open read-only", tm->path, what);
  if (tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: %s: a transaction is already open", tm->path, what);
  if ((rc = ieum_tm_pg__begin(tm)) != 0)
    return rc;
  if ((rc = ieum_tm_pg__exec(tm, "DELETE FROM lexicon WHERE origin = 'learned'", "cannot clear the learned lexicon")) != 0)
    ieum_tm_pg__rollback(tm);
  return rc;
}

int ieum_tm_pg__learned_put(ieum_tm *tm, const char *src, const char *tgt, double weight, int64_t count)
{
  PGresult *res = NULL;
  char w[32], c[24];
  snprintf(w, sizeof w, "%.17g", weight);
  snprintf(c, sizeof c, "%lld", (long long)count);
  const char *p[4] = { src, tgt, w, c };
  int rc = ieum_tm_pg__run(&res, tm, PG_STMT_LEARNED_PUT, NULL, 4, p, "cannot write the lexicon");
  PQclear(res);
  return rc;
}

/* ---- lexicon rows for tm/copy.c (tm_int.h) ---------------------------------------- */

typedef struct {
  ieum_tm__lexicon_cb cb;
  void *payload;
} lexicon_walk;

static int lexicon_row(const PGresult *res, void *payload)
{
  lexicon_walk *w = payload;
  return w->cb(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
               strtod(PQgetvalue(res, 0, 3), NULL), strtoll(PQgetvalue(res, 0, 4), NULL, 10), w->payload);
}

int ieum_tm_pg__each_lexicon(ieum_tm *tm, ieum_tm__lexicon_cb cb, void *payload)
{
  lexicon_walk w = { cb, payload };
  return walk(tm, "SELECT src, tgt, origin, weight, count FROM lexicon ORDER BY origin, src, tgt", 0, NULL,
              lexicon_row, &w, "cannot read the lexicon");
}

int ieum_tm_pg__lexicon_add(int *added, ieum_tm *tm, const char *src, const char *tgt, const char *origin,
                            double weight, int64_t count)
{
  PGresult *res = NULL;
  char w[32], c[24];
  snprintf(w, sizeof w, "%.17g", weight);
  snprintf(c, sizeof c, "%lld", (long long)count);
  const char *p[5] = { src, tgt, origin, w, c };
  int rc = ieum_tm_pg__run(&res, tm, PG_STMT_LEXICON_ADD, NULL, 5, p, "cannot write the lexicon");
  *added = rc == 0 && res && !strcmp(PQcmdTuples(res), "1");
  PQclear(res);
  return rc;
}
