#!/bin/sh
# tests/man_lint.sh: render each manual page given and fail on any warning or error.
# Usage: man_lint.sh PAGE.1...
# Each page is formatted with `groff -man -Tutf8 -ww -z` (every warning on) and with `man --warnings -l`
# (the way man shows an installed page), when each is installed; anything either prints on standard error
# fails the page.  Exit 0 when all pages are clean, 1 otherwise, 77 (skip) when neither tool is installed.
# It checks the roff, not that the text matches the commands' --help.
have_groff=; have_man=
command -v groff >/dev/null 2>&1 && have_groff=1
command -v man >/dev/null 2>&1 && have_man=1
if [ -z "$have_groff$have_man" ]; then
  echo "neither groff nor man is installed"
  exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
for page in "$@"; do
  if [ -n "$have_groff" ]; then
    if ! groff -man -Tutf8 -ww -z "$page" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
      echo "FAIL groff: $page"; cat "$tmp/err"; status=1
    fi
  fi
  if [ -n "$have_man" ]; then
    if ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err" || [ -s "$tmp/err" ] ||
       [ ! -s "$tmp/out" ]; then
      echo "FAIL man -l: $page"; cat "$tmp/err"; status=1
    fi
  fi
  [ $status -eq 0 ] && echo "ok: $page"
done
exit $status
