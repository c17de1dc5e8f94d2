/*
** util/outpath.c: where writing an output path really goes.
**
** Every writer of ieum (the TMX writer, the other exports, the CLI's -o)
** writes a regular file through a temporary file beside it that is renamed
** over the target once complete, so a failed run never leaves half a file.
** That rename must never hit anything but a regular file: renaming over a
** character device, a FIFO or a socket replaces it with a regular file (as
** root, `-o /dev/null` destroyed /dev/null), so those are written straight
** through.  A symbolic link is followed: its target is what gets written (a
** regular target atomically, as above) and the link stays a link; a link to
** a missing file is refused, and so is a directory.
** This file uses only libc (no ieum error state, no ieum allocator), so the
** CLI compiles it too: hidden symbols do not cross the shared library.
** Not here: opening, writing or renaming (each writer does its own).
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outpath.h"

int ieum__outpath_resolve(char **out, int *direct, const char *path, const char **why)
{
  struct stat st;
  *out = NULL;
  *direct = 0;
  *why = NULL;
  if (lstat(path, &st) != 0) {
    if (errno != ENOENT) {
      *why = strerror(errno);
      return -1;
    }
    st.st_mode = S_IFREG; /* a new file */
    *out = strdup(path);
  } else if (S_ISLNK(st.st_mode)) {
    if (stat(path, &st) != 0) {
      *why = errno == ENOENT ? "is a symbolic link to a missing file" : strerror(errno);
      return -1;
    }
    *out = realpath(path, NULL);
    if (!*out && errno != ENOMEM) {
      *why = strerror(errno);
      return -1;
    }
  } else {
    *out = strdup(path);
  }
  if (!*out) {
    *why = "out of memory";
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    free(*out);
    *out = NULL;
    *why = "is a directory";
    return -1;
  }
  *direct = !S_ISREG(st.st_mode);
  return 0;
}
