/*
** include/ieum/tmx.h: TMX 1.4b writing (xmlTextWriter) and streaming
** reading (xmlTextReader).
**
** The writer produces a file valid against the TMX 1.4 DTD: a header whose
** srclang is the source language, one <tu> per unit with a tuid, a
** creationdate and creationtool, <prop>s x-score, x-bead, x-document and
** x-position, the unit's own props and notes, and one <tuv xml:lang> per
** language.  A file is written under a temporary name
** and renamed into place by ieum_tmx_writer_close(), so a failed export never
** leaves a half-written file.
** The reader streams: memory does not grow with the file, so TMX files larger
** than memory import.  XML is parsed with no network access and no entity
** expansion.
*/
#ifndef IEUM_TMX_H
#define IEUM_TMX_H

#include "common.h"
#include "tm.h" /* ieum_unit_prop, ieum_unit_props_cb */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ieum_tmx_writer ieum_tmx_writer;

typedef struct {
  unsigned int version;  /* IEUM_TMX_HEADER_VERSION */
  const char *src_lang;  /* header srclang; NULL = "ko" */
  const char *tgt_lang;  /* used only for documentation in the header note; optional */
  const char *datatype;  /* header datatype; NULL = "plaintext" */
  const char *segtype;   /* header segtype; NULL = "sentence" */
} ieum_tmx_header;

#define IEUM_TMX_HEADER_VERSION 1
#define IEUM_TMX_HEADER_INIT { IEUM_TMX_HEADER_VERSION, NULL, NULL, NULL, NULL }

/*
** Starts a TMX file at `path` ("-" = standard output).  `hdr` may be NULL.
** Errors: IEUM_EIO (cannot create the file).
*/
IEUM_API int ieum_tmx_writer_open(ieum_tmx_writer **out, const char *path, const ieum_tmx_header *hdr);

/*
** Writes one <tu>.  Both <tuv>s are written, an empty text as an empty
** <seg/> (a unit whose target was empty stays so through a round trip).  Errors: IEUM_EIO, IEUM_EINVAL (text that
** XML cannot carry, such as control characters).
*/
IEUM_API int ieum_tmx_writer_add(ieum_tmx_writer *w, const ieum_unit *unit);

/*
** Ends the document, flushes it and moves it into place, then frees `w`
** (also on failure).  Errors: IEUM_EIO.
*/
IEUM_API int ieum_tmx_writer_close(ieum_tmx_writer *w);

/*
** Writes one <tu> with its metadata: "attr" items become attributes of the
** <tu> (tuid, creationtool, changedate ... as the TMX 1.4 DTD allows; an
** item "x-inline" = "tmx" says the unit's texts are TMX inline markup,
** written as markup after a well-formedness check and filtered as the
** reader's keep_tags does, so the file stays valid), "prop" and "note" items
** become <prop>s and <note>s after ieum's own props, in their order; when a
** note is among them, unit->note is not written.  Errors: as
** ieum_tmx_writer_add(); IEUM_EINVAL also for an attribute TMX has not, or
** inline markup that is not well-formed.
*/
IEUM_API int ieum_tmx_writer_add_props(ieum_tmx_writer *w, const ieum_unit *unit, const ieum_unit_prop *props,
                                       size_t n_props);

/* Abandons the file (the temporary file is removed) and frees `w`; NULL is a no-op. */
IEUM_API void ieum_tmx_writer_free(ieum_tmx_writer *w);

/* Why the reader passed over a <tu> (the `reason` of an ieum_tmx_skip_cb). */
typedef enum {
  IEUM_TMX_SKIP_LANGUAGE = 1, /* it has no text in the source or in the target language */
  IEUM_TMX_SKIP_EMPTY = 2     /* both its texts are empty (after inline codes are dropped) */
} ieum_tmx_skip_reason;

/*
** Told of each <tu> the reader passes over: `path` as given to the reader,
** `line` the line of the <tu> start tag (1-based), `reason` an
** ieum_tmx_skip_reason.  Borrowed arguments, valid during the call.
*/
typedef void (*ieum_tmx_skip_cb)(const char *path, long line, int reason, void *payload);

/*
** What the reader does with inline codes (ieum_tmx_read_options.keep_tags):
**   DROP  the codes bpt, ept, ph, it, ut go with their content, cleanly: the
**         white space a code stood between is one space, none is left at
**         either end of the segment ("translation <ph>%s</ph>" ->
**         "translation"); hi and sub keep their text.
**   KEEP  the segment is kept as TMX inline markup (ieum_tmx_read_props()).
**   TEXT  the codes' content is segment text, as translate-toolkit reads it
**         ("translation <ph>%s</ph>" -> "translation %s").
*/
typedef enum { IEUM_TMX_TAGS_DROP = 0, IEUM_TMX_TAGS_KEEP = 1, IEUM_TMX_TAGS_TEXT = 2 } ieum_tmx_tags;

typedef struct {
  unsigned int version;  /* IEUM_TMX_READ_OPTIONS_VERSION */
  const char *src_lang;  /* source language to pick; NULL = the header's srclang */
  const char *tgt_lang;  /* target language to pick; NULL = the first other language met, else (a file of
                            one language's varieties: en-US, en-GB) the first other regional variety */
  int keep_tags;         /* an ieum_tmx_tags: IEUM_TMX_TAGS_DROP (0), _KEEP (1) or _TEXT (2) */
  ieum_tmx_skip_cb on_skip; /* version >= 2: called for each <tu> skipped; NULL = not told */
  void *skip_payload;       /* passed to on_skip */
  int all_pairs;         /* version >= 3, without tgt_lang: a <tu> of several languages gives one unit per
                            language other than the source (de -> en, de -> fr ...), in <tuv> order, each
                            with its own tgt_lang; 0: only the target chosen as described below */
  int threaded;          /* version >= 4: parse in a second thread while the callbacks run (in the calling
                            thread, in document order, as without it): a TMX import's wall time less the
                            parsing; memory stays bounded.  0: all in the calling thread */
} ieum_tmx_read_options;

#define IEUM_TMX_READ_OPTIONS_VERSION 4
#define IEUM_TMX_READ_OPTIONS_INIT { IEUM_TMX_READ_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, 0, 0 }

typedef struct {
  size_t units;      /* units passed to the callback */
  size_t skipped;    /* <tu>s without both languages (IEUM_TMX_SKIP_LANGUAGE) */
  size_t empty;      /* <tu>s with both languages but no text in either (IEUM_TMX_SKIP_EMPTY) */
  char src_lang[64]; /* source language as used, in BCP 47 casing ("ko-KR") */
  char tgt_lang[64]; /* target language as used, in BCP 47 casing */
} ieum_tmx_info;

/*
** Reads the TMX file at `path`, streaming, and calls `cb` once per <tu> (per
** target language with opts->all_pairs) that has both languages (language tags match case-insensitively and by primary
** subtag: "ko" picks "ko-KR") and some text in one of them: a <tu> without
** both languages, or whose two texts are empty, is skipped, counted in
** `out` and told to opts->on_skip.  An empty target (<seg></seg>, or
** <seg/>) is a unit with an empty target text.  Inline markup is handled as
** opts->keep_tags says (ieum_tmx_tags).  Two <seg>s in one <tuv> (the DTD
** allows one) are read as one text, joined by a space.  `out`
** (may be NULL) receives counts.  A non-zero return of `cb` stops reading
** and is returned.  Errors: IEUM_ENOTFOUND, IEUM_EIO, IEUM_EPARSE (not XML,
** not TMX, truncated: the message gives the line), IEUM_ELIMIT (a segment
** over IEUM_TEXT_MAX_LINE bytes; a start tag with more than 256 attributes
** or over 1 MiB: "FILE:LINE: <tu> has more than 256 attributes"; with
** all_pairs, a <tu> of more than 65 languages).
*/
IEUM_API int ieum_tmx_read(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                           ieum_unit_cb cb, void *payload);

/*
** As ieum_tmx_read(), and `cb` also receives the <tu>'s metadata in
** document order: its attributes other than creationdate ("attr"), its
** <prop>s other than ieum's x-score, x-bead, x-document, x-position and
** x-role (which go into the unit) ("prop") and its <note>s ("note"), then
** the metadata of the source <tuv> (its attributes but xml:lang, its props
** and notes: kinds "src-attr", "src-prop", "src-note") and of the target
** <tuv> ("tgt-attr", "tgt-prop", "tgt-note"), each in document order.
** With opts->keep_tags, a unit whose segments hold inline markup (bpt, ept,
** ph, it, ut, hi, sub) gets both texts as TMX inline markup (text escaped,
** codes kept as elements) and an "attr" item "x-inline" = "tmx"; units
** without markup are plain text either way.  Only what the TMX 1.4 DTD
** allows is kept: those elements where its content models put them, with
** its attributes for them (others dropped); a bpt, ept or it without its
** required i or pos goes with its content; any other element (<script>,
** <xi:include>, <foo>) keeps only its text.  Errors: as ieum_tmx_read(),
** IEUM_ELIMIT (over 1000 metadata items in one <tu>).
*/
IEUM_API int ieum_tmx_read_props(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                                 ieum_unit_props_cb cb, void *payload);

#ifdef __cplusplus
}
#endif
#endif
