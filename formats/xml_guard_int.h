/*
** formats/xml_guard_int.h: a linear watch over raw XML bytes before libxml2
** parses them (ieum__xml_guard_*).
**
** libxml2 2.9 checks each attribute of a start tag against all the earlier
** ones, so one tag with n attributes costs O(n^2): 40,000 attributes on one
** <tu> take seconds, 200,000 minutes.  The guard sees every byte on its way
** from the file to libxml2 (the reader's read callback feeds it), follows
** just enough of XML to know where start tags are (text, start and end
** tags, quoted attribute values, comments, CDATA sections, processing
** instructions, the DOCTYPE and its internal subset), and counts the
** attributes ('=' outside quotes) and the bytes of the open start tag.
** Past a limit it fails, and the caller stops handing bytes to libxml2, so
** the parser never sees the offending tag whole.  The byte width of the
** file's encoding (UTF-8 and other ASCII-compatible ones, UTF-16LE/BE,
** UCS-4) is told by its first four bytes, as XML 1.0 appendix F does.
** Attributes declared with a default in the DOCTYPE's internal subset are
** added by libxml2 to every start tag of their element, with the same
** quadratic check; the quoted values of <!ATTLIST> declarations (an upper
** bound of the defaults) are counted against the same limit.
** It also records the line of each start tag with a given local name
** ("tu"), in order, for the caller to match with the parser's elements:
** libxml2 keeps a node's line in 16 bits.
** Cost: O(1) per byte, memory O(1) but the queue of recorded lines, which
** holds only the tags read ahead of the parser (a few KB of input).
** Not here: parsing (libxml2), what the limits are (the caller's).
*/
#ifndef IEUM_XML_GUARD_INT_H
#define IEUM_XML_GUARD_INT_H

#include <stddef.h>

#include "util.h"

#define IEUM__XML_GUARD_NAME 48 /* bytes kept of a tag's name for messages, NUL included */

/* Why the guard failed. */
enum { IEUM__XML_GUARD_OK = 0, IEUM__XML_GUARD_ATTRS = 1, IEUM__XML_GUARD_TAG_BYTES = 2, IEUM__XML_GUARD_DEFAULTS = 3 };

typedef struct {
  /* limits, set by the caller before the first feed */
  size_t max_attrs;       /* attributes allowed in one start tag, and defaults in the DOCTYPE */
  size_t max_tag_bytes;   /* bytes allowed in one start tag, '<' to '>' */
  const char *track;      /* local name whose start tags' lines are recorded; NULL = none */
  /* encoding */
  int width;              /* bytes per code unit: 0 = not known yet, 1, 2 or 4 */
  int big_endian;
  unsigned char pend[4];  /* bytes of a code unit (or of the detection) not complete yet */
  size_t npend;
  /* where we are */
  int state;
  int quote;              /* the quote of the open attribute or literal value, 0 = none */
  int depth;              /* DOCTYPE: '[' nesting */
  unsigned int window;    /* last four code units (ASCII or 0), for "-->", "]]>", "<!--" */
  size_t seen;            /* code units since "<!" (telling a comment, CDATA, a declaration) */
  char keyword[8];        /* DOCTYPE subset: the keyword of the open "<!KEYWORD" declaration */
  size_t keyword_len;     /* its letters seen; (size_t)-1 once complete */
  size_t defaults;        /* quoted values in the subset's <!ATTLIST>s: an upper bound of its defaults */
  long line;              /* current line, from 1 */
  /* the open start tag */
  size_t attrs, tag_bytes;
  long tag_line;
  char name[IEUM__XML_GUARD_NAME];
  size_t name_len;        /* bytes of the name seen, may exceed what `name` keeps */
  /* recorded lines (a ring) */
  long *lines;
  size_t head, count, cap;
  int lost;               /* a line could not be recorded (no memory): the queue is no longer exact */
  /* the failure */
  int failed;             /* IEUM__XML_GUARD_* */
  long fail_line;         /* line of the tag that failed */
  char fail_name[IEUM__XML_GUARD_NAME];
} ieum__xml_guard;

/* Starts a guard with the given limits; release with ieum__xml_guard_dispose(). */
void ieum__xml_guard_init(ieum__xml_guard *g, size_t max_attrs, size_t max_tag_bytes, const char *track);

/*
** Watches the next `n` bytes of the document.  Returns 0, or -1 when a
** limit is passed (g->failed says which, g->fail_line and g->fail_name
** where): the caller must not hand these bytes to the parser.
*/
int ieum__xml_guard_feed(ieum__xml_guard *g, const char *bytes, size_t n);

/* The line of the oldest recorded start tag not yet taken, removed from the queue; 0 when none. */
long ieum__xml_guard_take_line(ieum__xml_guard *g);

void ieum__xml_guard_dispose(ieum__xml_guard *g);

#endif
