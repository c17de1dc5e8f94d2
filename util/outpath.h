/*
** util/outpath.h: ieum__outpath_resolve(), shared by the library's writers
** and the CLI (see util/outpath.c).
*/
#ifndef IEUM_OUTPATH_H
#define IEUM_OUTPATH_H

/*
** Where output to `path` goes.  On success returns 0 with *out the path to
** write (a symbolic link's target, or `path` itself; the caller frees it with
** free()) and *direct 1 when it is to be opened and written as it is (a
** character or block device, a FIFO, a socket), 0 when it is a regular file
** or does not exist yet (write a temporary file and rename it over *out).
** On failure returns -1, *out NULL and *why a static phrase that follows the
** path in a message: "is a directory", "is a symbolic link to a missing
** file", "out of memory" or strerror()'s text.
*/
int ieum__outpath_resolve(char **out, int *direct, const char *path, const char **why);

#endif
