/*
** include/ieum/export.h: writing units in every output format through one
** API: TMX 1.4b, TSV, JSONL, XLIFF 2.0, and Moses-style line-aligned files.
**
** Open an export for a format and a path, add units (with their metadata,
** ieum_unit_prop, which TMX and JSONL carry), close it.  Every format is
** written under a temporary name and renamed into place by
** ieum_export_close(), so a failed export leaves no half-written file;
** ieum_export_free() abandons it.  Formats:
**   tmx    TMX 1.4b (tmx.h): the units of the pair, its tags region-coded
**          (ko-KR, en-US; plain_tags: ko, en) on every <tuv>, metadata kept.
**   tsv    source TAB target TAB score (4 decimals, empty when unknown), one
**          unit per line; tab, newline, carriage return and backslash in a
**          text are written \t \n \r \\.
**   jsonl  one JSON object per unit: src, tgt, src_lang, tgt_lang, then
**          score, bead, role, document, position, created (ISO 8601 UTC)
**          and props when known.
**   xliff  XLIFF 2.0 (urn:oasis:names:tc:xliff:document:2.0) with srcLang
**          and trgLang, a <file> per document, a <unit> per unit; score,
**          bead, role (x-role) and props in the metadata module, notes as
**          <notes>.  A segment's state follows the review: a reviewed unit
**          state="final" subState="ieum:confirmed" (or "ieum:edited"), one
**          scoring under doubt_threshold state="translated"
**          subState="ieum:needs-review-translation", others "translated".
** TMX carries the role as <prop type="x-role">, which the TMX reader maps
** back into ieum_unit.role.  An export may keep the units of some roles
** only (ieum_export_options.roles); the others are left out and counted.
**   moses  PATH.<src_lang> and PATH.<tgt_lang> (PATH is a prefix): line n of
**          one is the translation of line n of the other; line breaks and
**          tabs inside a text become spaces.
** TMX, TSV, XLIFF and Moses hold one language pair: units of another pair
** (ieum_lang_matches, text.h) are skipped and counted.
*/
#ifndef IEUM_EXPORT_H
#define IEUM_EXPORT_H

#include "common.h"
#include "tm.h" /* ieum_unit_prop */

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  IEUM_EXPORT_TMX = 0,
  IEUM_EXPORT_TSV = 1,
  IEUM_EXPORT_JSONL = 2,
  IEUM_EXPORT_XLIFF = 3,
  IEUM_EXPORT_MOSES = 4
} ieum_export_format;

typedef struct {
  unsigned int version;  /* IEUM_EXPORT_OPTIONS_VERSION */
  int format;            /* an ieum_export_format */
  const char *src_lang;  /* the export's source language (TMX srclang, XLIFF srcLang); NULL = "ko" */
  const char *tgt_lang;  /* its target language; NULL = "en" */
  unsigned int roles;    /* the units to write by role: bit (1u << r) for each ieum_segment_role r kept, a
                            unit without a role counting as body; 0 or IEUM_EXPORT_ROLES_ALL = every unit */
  int plain_tags;        /* TMX: write plain language codes (ko, en) instead of region codes (ko-KR, en-US);
                            a pair of one language (en-US -> en-GB) keeps its regions.  Since version 2 */
  int full_paths;        /* 1: document names (TMX x-document, JSONL document, XLIFF original) as stored;
                            0: what a client may see: each page's URL when known (the x-url item of
                            ieum_tm_foreach_with_props(), then not written itself), else each file's base
                            name ("/home/kim/ko.txt" -> "ko.txt", "SRC|TGT" part by part).  Since version 3 */
  /* Since version 3: what a review (review.h) decided.  A unit is reviewed when its props hold an
     x-review-status ("confirmed", "edited"), as ieum_tm_foreach_with_props() gives them. */
  int reviewed_only;     /* non-zero: only reviewed units */
  double min_score;      /* > 0: only units scoring at least this, or reviewed (a reviewer outranks the
                            aligner's score); 0 = every unit */
  double doubt_threshold;/* XLIFF: a unit not reviewed scoring under this is marked for review (> 0) */
} ieum_export_options;

#define IEUM_EXPORT_OPTIONS_VERSION 3
#define IEUM_EXPORT_OPTIONS_INIT { IEUM_EXPORT_OPTIONS_VERSION, IEUM_EXPORT_TMX, NULL, NULL, 0, 0, 0, 0, 0.0, 0.0 }

/* What `ieum tm export` takes as doubt_threshold unless told otherwise: `ieum review`'s default. */
#define IEUM_EXPORT_DOUBT_THRESHOLD 0.5

/* Every unit, whatever its role (also a role ieum does not know). */
#define IEUM_EXPORT_ROLES_ALL (~0u)
/* What `ieum tm export` writes unless told otherwise: the text a CAT tool reuses. */
#define IEUM_EXPORT_ROLES_DEFAULT ((1u << 0) | (1u << 1)) /* body, headline */

/*
** Parses a list of role names separated by commas ("body,headline"; the
** names of ieum_segment_role_name(), case-insensitive) or "all" into the
** bits of ieum_export_options.roles.  Errors: IEUM_EINVAL (an empty list
** or item, an unknown name: the message names it and lists the roles).
*/
IEUM_API int ieum_export_roles_parse(unsigned int *out, const char *list);

typedef struct ieum_export ieum_export;

/*
** The format called `name` ("tmx", "tsv", "jsonl", "xliff", "moses") into
** `*out`.  Errors: IEUM_EINVAL (unknown name; the message lists them).
*/
IEUM_API int ieum_export_format_from_name(int *out, const char *name);

/*
** Starts an export to `path` ("-" = standard output, not for moses, whose
** `path` is the prefix of its two files).  `opts` may be NULL (TMX, ko-en).
** Errors: IEUM_EIO (cannot create a file), IEUM_EINVAL (bad options).
*/
IEUM_API int ieum_export_open(ieum_export **out, const char *path, const ieum_export_options *opts);

/*
** Writes one unit with its metadata (`props` may be NULL).  Errors:
** IEUM_EIO (fails for good), IEUM_EINVAL (a unit the format cannot carry:
** nothing of it is written and the export goes on).
*/
IEUM_API int ieum_export_add(ieum_export *e, const ieum_unit *unit, const ieum_unit_prop *props, size_t n_props);

/* Units written, and units skipped for being of another language pair. */
IEUM_API size_t ieum_export_count(const ieum_export *e);
IEUM_API size_t ieum_export_skipped(const ieum_export *e);

/* Units left out for their role (ieum_export_options.roles). */
IEUM_API size_t ieum_export_role_skipped(const ieum_export *e);

/* Units left out by reviewed_only or min_score (ieum_export_options, version 3). */
IEUM_API size_t ieum_export_review_skipped(const ieum_export *e);

/* Finishes the files and moves them into place, then frees `e` (also on failure).  Errors: IEUM_EIO. */
IEUM_API int ieum_export_close(ieum_export *e);

/* Abandons the export (temporary files removed) and frees `e`; NULL is a no-op. */
IEUM_API void ieum_export_free(ieum_export *e);

#ifdef __cplusplus
}
#endif
#endif
