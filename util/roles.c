/*
** util/roles.c: the names of segment roles ("body", "headline", ...).
**
** One table, indexed by ieum_segment_role (include/ieum/align.h), that every
** layer speaks: align/ gives segments their roles, the TM stores units'
** roles by name (tm/), and the exporters filter by them (formats/).  It
** lives in util/ so that none of those layers needs another's code for it.
** Cost: a table look-up.
** Not here: which segment gets which role (align/segment.c, article.c).
*/
#include "util.h"

const char *ieum_segment_role_name(int role)
{
  static const char *const names[] = { "body", "headline", "byline", "caption", "credit", "dateline", "related",
                                       "furniture" };
  return role >= 0 && role < (int)(sizeof names / sizeof names[0]) ? names[role] : "?";
}
