/*
** tm/settings.c: key/value settings a front end keeps in the TM (the meta
** table of both backends; ieum_tm_set_setting(), ieum_tm_foreach_setting()).
**
** The meta table also holds the TM's own rows (created_by; on PostgreSQL
** schema_version), whose keys have no dot: a setting's key must be a
** lowercase word, a dot and a name, so no setting can reach them.  Writes
** go inside the caller's transaction; reads need none.  The prefix match
** is a range on the primary key (key >= prefix AND key < prefix + U+10FFFF
** in byte order), never a LIKE, so '%' and '_' in a key are plain
** characters.
** Cost: one B-tree write or range scan.
** Not here: the table's definition (schema.c, pg/schema.c).
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pg/pg_int.h"
#include "tm_int.h"

/* Longest setting key, bytes. */
#define SETTING_KEY_MAX 256

int ieum_tm__setting_key_ok(const char *key)
{
  size_t n = key ? strlen(key) : 0, i = 0;
  if (n == 0 || n > SETTING_KEY_MAX)
    return 0;
  while (i < n && key[i] >= 'a' && key[i] <= 'z')
    i++;
  return i > 0 && i + 1 < n && key[i] == '.' && ieum__utf8_invalid_at(key, n) == n;
}

int ieum_tm_set_setting(ieum_tm *tm, const char *key, const char *value)
{
  if (!ieum_tm__setting_key_ok(key))
    return ieum__error_set(IEUM_EINVAL, "%s: '%s' is not a setting key (a lowercase word, a dot, a name)", tm->path,
                           key ? key : "");
  if (value && ieum__utf8_invalid_at(value, strlen(value)) != strlen(value))
    return ieum__error_set(IEUM_EENCODING, "%s: setting %s: the value is not valid UTF-8", tm->path, key);
  if (tm->pg)
    return ieum_tm_pg__set_setting(tm, key, value);
  if (!tm->in_tx)
    return ieum__error_set(IEUM_EINVAL, "%s: a setting written outside a transaction", tm->path);
  sqlite3_stmt *st = NULL;
  int src = sqlite3_prepare_v2(tm->db,
                               value ? "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                                     : "DELETE FROM meta WHERE key = ?1",
                               -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (src == SQLITE_OK && value)
    src = sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_DONE)
    src = SQLITE_OK;
  int rc = src == SQLITE_OK ? IEUM_OK : ieum_tm__db_error(tm, src, "cannot store a setting");
  sqlite3_finalize(st);
  return rc;
}

int ieum_tm_foreach_setting(ieum_tm *tm, const char *prefix, ieum_tm_meta_cb cb, void *payload)
{
  if (tm->pg)
    return ieum_tm_pg__foreach_setting(tm, prefix, cb, payload);
  sqlite3_stmt *st = NULL;
  int rc = IEUM_OK;
  int src = sqlite3_prepare_v2(tm->db,
                               "SELECT key, value FROM meta WHERE key >= ?1 AND key < ?1 || char(1114111)"
                               " AND instr(key, '.') > 0 ORDER BY key",
                               -1, &st, NULL);
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(st, 1, prefix ? prefix : "", -1, SQLITE_STATIC);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    if ((rc = cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), payload)) != 0)
      break;
    src = SQLITE_OK;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = ieum_tm__db_error(tm, src, "cannot read the settings");
  sqlite3_finalize(st);
  return rc;
}

/* ---- the TM's form of language tags (setting tm.lang_tags) ---------------- */

typedef struct {
  ieum_tm *tm;
  int found; /* the TM has the setting */
} lang_tags_read;

static int take_lang_tags(const char *key, const char *value, void *payload)
{
  lang_tags_read *r = payload;
  if (!strcmp(key, IEUM_TM__LANG_TAGS_KEY)) {
    r->tm->lang_plain = value && !strcmp(value, "plain");
    r->found = 1;
  }
  return 0;
}

/* One distinct pair of language tags of a table, as stored (NULL: none). */
typedef struct {
  char *src, *tgt;
} tag_pair;

/*
** Rewrites the language tags of every row of `table` (units or documents)
** into the TM's form: one UPDATE per distinct pair that changes.
*/
static int retag_table(ieum_tm *tm, const char *table)
{
  char sql[160];
  sqlite3_stmt *st = NULL;
  tag_pair *v = NULL;
  size_t n = 0, cap = 0;
  int rc = IEUM_OK, src;
  snprintf(sql, sizeof sql, "SELECT DISTINCT src_lang, tgt_lang FROM %s", table);
  src = sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL);
  while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      tag_pair *p = ieum__reallocarray(v, cap ? cap * 2 : 16, sizeof *v);
      if (!p) {
        rc = ieum__error_oom();
        goto done;
      }
      v = p;
      cap = cap ? cap * 2 : 16;
    }
    const char *a = (const char *)sqlite3_column_text(st, 0), *b = (const char *)sqlite3_column_text(st, 1);
    v[n].src = a ? ieum__strdup(a) : NULL;
    v[n].tgt = b ? ieum__strdup(b) : NULL;
    n++;
    if ((a && !v[n - 1].src) || (b && !v[n - 1].tgt)) {
      rc = ieum__error_oom();
      goto done;
    }
    src = SQLITE_OK;
  }
  sqlite3_finalize(st);
  st = NULL;
  if (src != SQLITE_DONE) {
    rc = ieum_tm__db_error(tm, src, "cannot read the TM's language tags");
    goto done;
  }
  /* IS: a document's tags may be NULL. */
  snprintf(sql, sizeof sql, "UPDATE %s SET src_lang = ?3, tgt_lang = ?4 WHERE src_lang IS ?1 AND tgt_lang IS ?2",
           table);
  if ((src = sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL)) != SQLITE_OK) {
    rc = ieum_tm__db_error(tm, src, "cannot rewrite the TM's language tags");
    goto done;
  }
  for (size_t i = 0; i < n && !rc; i++) {
    const char *a = v[i].src, *b = v[i].tgt;
    if (a && b) {
      ieum_tm__lang_pair(tm, &a, &b);
    } else {
      a = ieum_tm__lang(tm, 0, a);
      b = ieum_tm__lang(tm, 1, b);
    }
    if ((a == v[i].src || (a && v[i].src && !strcmp(a, v[i].src))) &&
        (b == v[i].tgt || (b && v[i].tgt && !strcmp(b, v[i].tgt))))
      continue;
    src = sqlite3_bind_text(st, 1, v[i].src, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
      src = sqlite3_bind_text(st, 2, v[i].tgt, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
      src = sqlite3_bind_text(st, 3, a, -1, SQLITE_TRANSIENT);
    if (src == SQLITE_OK)
      src = sqlite3_bind_text(st, 4, b, -1, SQLITE_TRANSIENT);
    if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_DONE)
      src = SQLITE_OK;
    sqlite3_reset(st);
    if (src != SQLITE_OK)
      rc = ieum_tm__db_error(tm, src, "cannot rewrite the TM's language tags");
  }
done:
  sqlite3_finalize(st);
  for (size_t i = 0; i < n; i++) {
    ieum__free(v[i].src);
    ieum__free(v[i].tgt);
  }
  ieum__free(v);
  return rc;
}

/*
** A TM an ieum older than the setting made holds tags as they came (units it
** aligned "ko"/"en", imported ones "ko-KR"/"en-US": two pairs for one).
** Opened for writing, it takes the documented form, region codes, once: the
** tags of its documents and units rewritten and the setting recorded, in
** one transaction.  A TM another writer holds is left as it is this time.
** On PostgreSQL, whose schema has always had the setting, nothing to do.
*/
static int migrate_lang_tags(ieum_tm *tm)
{
  if (tm->pg || !tm->writable || !sqlite3_get_autocommit(tm->db))
    return IEUM_OK;
  int src = sqlite3_exec(tm->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (src == SQLITE_BUSY)
    return IEUM_OK;
  if (src != SQLITE_OK)
    return ieum_tm__db_error(tm, src, "cannot begin rewriting the TM's language tags");
  tm->in_tx = 1;
  int rc = retag_table(tm, "documents");
  if (!rc)
    rc = retag_table(tm, "units");
  if (!rc)
    rc = ieum_tm_set_setting(tm, IEUM_TM__LANG_TAGS_KEY, "region");
  src = sqlite3_exec(tm->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
  tm->in_tx = 0;
  if (!rc && src != SQLITE_OK)
    rc = ieum_tm__db_error(tm, src, "cannot commit the TM's language tags");
  return rc;
}

int ieum_tm__load_lang_tags(ieum_tm *tm)
{
  lang_tags_read r = { tm, 0 };
  tm->lang_plain = 0;
  memset(tm->lang_memo, 0, sizeof tm->lang_memo);
  int rc = ieum_tm_foreach_setting(tm, IEUM_TM__LANG_TAGS_KEY, take_lang_tags, &r);
  if (!rc && !r.found)
    rc = migrate_lang_tags(tm);
  return rc;
}

const char *ieum_tm__lang(ieum_tm *tm, int side, const char *tag)
{
  if (!tag)
    return NULL;
  side = side != 0;
  if (tm->lang_memo[side].raw[0] && !strcmp(tm->lang_memo[side].raw, tag))
    return tm->lang_memo[side].canon;
  if (strlen(tag) >= IEUM_LANG_MAX ||
      ieum_lang_export_tag(tm->lang_memo[side].canon, IEUM_LANG_MAX, tag, tm->lang_plain) != IEUM_OK) {
    ieum__error_clear();
    tm->lang_memo[side].raw[0] = '\0';
    return tag;
  }
  strcpy(tm->lang_memo[side].raw, tag);
  return tm->lang_memo[side].canon;
}

void ieum_tm__lang_pair(ieum_tm *tm, const char **src, const char **tgt)
{
  const char *s0 = *src, *t0 = *tgt;
  *src = ieum_tm__lang(tm, 0, s0);
  *tgt = ieum_tm__lang(tm, 1, t0);
  if (!tm->lang_plain || !*src || !*tgt || strcasecmp(*src, *tgt) != 0)
    return;
  if (ieum_lang_export_tag(tm->lang_same[0], IEUM_LANG_MAX, s0, 0) != IEUM_OK ||
      ieum_lang_export_tag(tm->lang_same[1], IEUM_LANG_MAX, t0, 0) != IEUM_OK) {
    ieum__error_clear();
    return;
  }
  *src = tm->lang_same[0];
  *tgt = tm->lang_same[1];
}

int ieum_tm_lang_tags(ieum_tm *tm)
{
  return tm->lang_plain ? IEUM_TM_TAGS_PLAIN : IEUM_TM_TAGS_REGION;
}

int ieum_tm_set_lang_tags(ieum_tm *tm, int form)
{
  if (form != IEUM_TM_TAGS_REGION && form != IEUM_TM_TAGS_PLAIN)
    return ieum__error_set(IEUM_EINVAL, "%s: unknown form of language tags %d", tm->path, form);
  int rc = ieum_tm_set_setting(tm, IEUM_TM__LANG_TAGS_KEY, form == IEUM_TM_TAGS_PLAIN ? "plain" : "region");
  if (rc == IEUM_OK) {
    tm->lang_plain = form == IEUM_TM_TAGS_PLAIN;
    memset(tm->lang_memo, 0, sizeof tm->lang_memo);
  }
  return rc;
}
