/*
** tests/tmpdir.h: the scratch folder of a unit test: one mkdtemp() folder per
** test program (the program fills `tmpdir` and calls mkdtemp() itself),
** paths inside it, and its removal at the end.
** Header-only (static functions), for test programs only; not for the
** library.  Not here: TAP output (tap.h).
*/
#ifndef IEUM_TESTS_TMPDIR_H
#define IEUM_TESTS_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

/* "tmpdir/name" in one of four static buffers used in turn, so up to four paths can be held at once. */
static const char *tmp_path(const char *name)
{
  static char paths[4][512];
  static int next;
  char *p = paths[next++ & 3];
  snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name);
  return p;
}

/* Removes every file of the folder, then the folder (it holds no subfolders). */
static void remove_tmpdir(void)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  if (!d)
    return;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(tmp_path(e->d_name));
  closedir(d);
  rmdir(tmpdir);
}

#endif
