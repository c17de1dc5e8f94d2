#!/usr/bin/env bash
# tests/deb.sh: the Debian packages build, pass lintian, install with apt and work; then they are removed.
# Usage: bash tests/deb.sh [SOURCE_DIR]        (default: the tree this script is in)
# Run by CI (.ci/run), not by `meson test`: it installs packages into the machine.  As root on Debian
# (12) only, with dpkg-buildpackage, apt-get and lintian; otherwise, or when ieum, libieum0 or
# libieum-dev is already installed (it would be replaced, then removed), it is skipped (exit 77).
# Copies the source tree (git's files when it is a clone, else the folder without its build folders)
# into a scratch folder and runs `dpkg-buildpackage -us -uc -b` there, so that the .debs, written to the
# copy's parent, and every build file stay in the scratch folder, removed at the end.  Then checks, as
# TAP: lintian on the .changes reports no error or warning; `apt-get install ./ieum_*.deb
# ./libieum0_*.deb ./libieum-dev_*.deb` works; the installed ieum has no RUNPATH, loads the installed
# libieum.so.0 and aligns the sample pair; a program aligning two texts compiles with
# `pkg-config --cflags --libs ieum` and runs; `man ieum` and `man ieum-align` render; the bash
# completion (tests/completion_bash.sh on the installed file) and the zsh completion (found by compinit)
# work; `apt-get purge` removes the packages.
set -u
src=$(realpath "${1:-$(dirname "$0")/..}")

skip() { echo "1..0 # SKIP $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root (apt-get install needs it)"
[ -r /etc/debian_version ] || skip "not Debian"
for tool in dpkg-buildpackage apt-get lintian pkg-config cc man; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
done
for pkg in ieum libieum0 libieum-dev; do
  if dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
    skip "$pkg is already installed: this test would replace it"
  fi
done

tmp=$(mktemp -d /tmp/ieum-deb.XXXXXX) || exit 1
installed=
cleanup() {
  if [ -n "$installed" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ieum libieum0 libieum-dev >"$tmp/purge.log" 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
n=0
fails=0
check() {  # check WHAT LOG COMMAND...: one TAP line; the log's last lines as diagnostics on failure
  local what=$1 log=$2
  shift 2
  n=$((n + 1))
  if "$@" >"$log" 2>&1; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    tail -n 30 "$log" | sed 's/^/# /'
    fails=$((fails + 1))
  fi
}

# 1. the packages, from a copy of the tree
mkdir -p "$tmp/src/ieum"
if [ -d "$src/.git" ] && git -C "$src" rev-parse >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
     [ -e "$f" ] || [ -L "$f" ] || continue
     printf '%s\0' "$f"
   done | xargs -0 cp -a --parents -t "$tmp/src/ieum")
else
  (cd "$src" && tar --exclude='./build*' --exclude=./.git -cf - .) | tar -xf - -C "$tmp/src/ieum"
fi
build() { (cd "$tmp/src/ieum" && dpkg-buildpackage -us -uc -b); }
check 'dpkg-buildpackage -us -uc -b builds ieum, libieum0 and libieum-dev' "$tmp/build.log" build
debs=("$tmp"/src/ieum_*.deb "$tmp"/src/libieum0_*.deb "$tmp"/src/libieum-dev_*.deb)
for d in "${debs[@]}"; do
  [ -f "$d" ] || { echo "not ok $((n + 1)) - no $d"; echo "1..$((n + 1))"; exit 1; }
done

# 2. lintian: no error or warning (informational tags are printed, and overrides explain what is left)
lint() { lintian --fail-on error,warning --info "$tmp"/src/ieum_*.changes; }
check 'lintian reports no error or warning' "$tmp/lintian.log" lint
grep -E '^[A-Z]: ' "$tmp/lintian.log" | sed 's/^/# /'

# 3. install with apt
install_debs() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}"; }
installed=1
check 'apt-get install ./ieum_*.deb ./libieum0_*.deb ./libieum-dev_*.deb' "$tmp/install.log" install_debs

# 4. the installed program
no_runpath() {
  ! readelf -d /usr/bin/ieum | grep -E 'RUNPATH|RPATH' && ldd /usr/bin/ieum >"$tmp/ldd.out" &&
    grep -Eq '=> (/usr)?/lib/[^ ]*/libieum\.so\.0 ' "$tmp/ldd.out" || { cat "$tmp/ldd.out"; false; }
}
check 'the installed ieum has no RUNPATH and loads the system libieum.so.0' "$tmp/ldd.log" no_runpath
align_sample() {
  /usr/bin/ieum align "$src/examples/ko.txt" "$src/examples/en.txt" >"$tmp/beads.tsv" &&
    [ "$(wc -l <"$tmp/beads.tsv")" -eq 29 ] && grep -q $'^서울시, AI로 도심 침수 최대 1시간 전 예측한다\tSeoul to predict' "$tmp/beads.tsv" &&
    /usr/bin/ieum -V | grep -q '^ieum 0\.'
}
check 'ieum align aligns the sample pair (29 beads), ieum -V' "$tmp/align.log" align_sample

# 5. a program built against the installed library with pkg-config
cat >"$tmp/prog.c" <<'EOF'
#include <ieum.h>
#include <stdio.h>
#include <string.h>

/* Segments and aligns two short texts and prints the beads: what a program linking libieum does. */
int main(void)
{
  const char *ko = "서울시가 새 도서관을 연다.\n도서관은 24시간 문을 연다.\n";
  const char *en = "Seoul is opening a new library.\nThe library will be open around the clock.\n";
  ieum_segment_options so = IEUM_SEGMENT_OPTIONS_INIT;
  ieum_doc *src = NULL, *tgt = NULL;
  ieum_alignment *al = NULL;
  ieum_buf s = IEUM_BUF_INIT, t = IEUM_BUF_INIT;
  int rc;
  so.lang = "ko";
  if ((rc = ieum_doc_new(&src, ko, strlen(ko), &so)) != 0)
    goto done;
  so.lang = "en";
  if ((rc = ieum_doc_new(&tgt, en, strlen(en), &so)) != 0 || (rc = ieum_alignment_new(&al, src, tgt, NULL)) != 0)
    goto done;
  for (size_t i = 0; i < ieum_alignment_count(al); i++) {
    const ieum_bead *b = ieum_alignment_bead(al, i);
    s.size = t.size = 0;
    if ((rc = ieum_bead_text(&s, src, b, 0)) != 0 || (rc = ieum_bead_text(&t, tgt, b, 1)) != 0)
      goto done;
    printf("%s\t%s\t%.2f\n", s.ptr ? s.ptr : "", t.ptr ? t.ptr : "", b->score);
  }
done:
  if (rc)
    fprintf(stderr, "prog: %s\n", ieum_error_last() ? ieum_error_last()->message : ieum_strerror(rc));
  ieum_buf_dispose(&s);
  ieum_buf_dispose(&t);
  ieum_alignment_free(al);
  ieum_doc_free(src);
  ieum_doc_free(tgt);
  return rc ? 1 : 0;
}
EOF
compile_run() (
  cd "$tmp" && cc -std=c17 -Wall -Wextra -Werror prog.c $(pkg-config --cflags --libs ieum) -o prog &&
    ./prog >prog.out && [ "$(wc -l <prog.out)" -eq 2 ] && grep -q $'^서울시가 새 도서관을 연다.\tSeoul is opening a new library.\t' prog.out
)
check 'a program aligning two texts builds with pkg-config --cflags --libs ieum and runs' "$tmp/prog.log" compile_run

# 6. manual pages and completion
man_pages() {
  [ "$(man -w ieum)" = /usr/share/man/man1/ieum.1.gz ] &&
    MANWIDTH=80 man -P cat ieum 2>"$tmp/man.err" | grep -q 'ieum-align' && ! [ -s "$tmp/man.err" ] &&
    MANWIDTH=80 man -P cat ieum-align 2>"$tmp/man.err" | grep -q -- '--tmx' && ! [ -s "$tmp/man.err" ]
}
check 'man ieum and man ieum-align render, without warnings' "$tmp/manpages.log" man_pages
check 'bash completion (the installed file): tests/completion_bash.sh' "$tmp/bash.log" \
  bash "$src/tests/completion_bash.sh" /usr/share/bash-completion/completions/ieum /usr/bin/ieum
zsh_completion() {
  command -v zsh >/dev/null || { echo 'zsh is not installed: only the file is checked'; [ -f /usr/share/zsh/vendor-completions/_ieum ]; return; }
  (cd "$tmp" && HOME=$tmp ZDOTDIR=$tmp zsh -fc 'autoload -U compinit && compinit -u -d "$HOME/.zcompdump" && [[ $_comps[ieum] == _ieum ]]')
}
check 'zsh finds the completion of ieum (compinit, Debian fpath)' "$tmp/zsh.log" zsh_completion

# 7. removal
purge() { DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ieum libieum0 libieum-dev && ! [ -e /usr/bin/ieum ] && ! [ -e /usr/include/ieum.h ]; }
check 'apt-get purge removes the packages' "$tmp/purge.log" purge

echo "1..$n"
[ "$fails" -eq 0 ]
