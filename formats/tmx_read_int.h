/*
** formats/tmx_read_int.h: the TMX reader's two ways of running, inside
** formats/: in the calling thread (tmx_read.c) and in a thread of its own
** feeding the calling thread (tmx_pipe.c).  ieum_tmx_read_props() picks one
** from ieum_tmx_read_options.threaded.
** Not here: the public API (include/ieum/tmx.h).
*/
#ifndef IEUM_TMX_READ_INT_H
#define IEUM_TMX_READ_INT_H

#include "ieum/tmx.h"
#include "util.h"

/* ieum_tmx_read_props() in the calling thread (opts->threaded is not looked at). */
int ieum__tmx_read_props_here(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                              ieum_unit_props_cb cb, void *payload);

/* ieum_tmx_read_props() with the reading in a second thread, `cb` and on_skip called in this one. */
int ieum__tmx_read_props_piped(ieum_tmx_info *out, const char *path, const ieum_tmx_read_options *opts,
                               ieum_unit_props_cb cb, void *payload);

#endif
