/*
** include/ieum.h: the umbrella header of libieum.
**
** libieum pairs the sentences of a document with those of its translation
** and keeps the pairs in a translation memory.  The pipeline, one header per
** stage: text.h (bytes to clean UTF-8), html.h (a page's article),
** align.h (segmentation and alignment), tm.h (the SQLite TM), tmx.h and
** export.h (TMX and other formats in and out); pipeline.h runs the stages
** together as `ieum align` and `ieum batch` do; error.h and common.h hold
** what all of them share.
*/
#ifndef IEUM_H
#define IEUM_H

#include "ieum/common.h"
#include "ieum/error.h"
#include "ieum/text.h"
#include "ieum/html.h"
#include "ieum/align.h"
#include "ieum/tm.h"
#include "ieum/tmx.h"
#include "ieum/export.h"
#include "ieum/pipeline.h"
#include "ieum/review.h"

#endif
