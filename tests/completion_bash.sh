#!/usr/bin/env bash
# tests/completion_bash.sh: the bash completion of ieum completes what it should, printing TAP.
# Usage: completion_bash.sh COMPLETION_FILE [IEUM]
# Sources COMPLETION_FILE, calls its completion function as bash would on `ieum al<TAB>`,
# `ieum tm <TAB>`, `ieum align --<TAB>` and a few option values, and checks COMPREPLY.  With IEUM (the
# program), it also checks that every long option each command's --help lists is offered after `--`.
# It runs in its own temporary folder; it does not check the zsh completion (completions/_ieum).
set -u
file=$(realpath "$1")
ieum=${2:+$(realpath "$2")}
cd "$(mktemp -d)" || exit 1
trap 'rm -rf "$PWD"' EXIT
# shellcheck source=/dev/null
source "$file" || { echo "not ok 1 - source $file"; echo "1..1"; exit 1; }
n=0
fails=0

# complete WORD...: COMPREPLY, sorted, on one line, for the command line WORD... (the last is the word
# being completed, "" for a fresh one).
complete_line() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _ieum ieum "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

check() {  # check WHAT EXPECTED GOT
  n=$((n + 1))
  if [ "$2" = "$3" ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"; echo "# expected: $2"; echo "# got:      $3"; fails=$((fails + 1))
  fi
}

check 'ieum al<TAB>' 'align' "$(complete_line ieum al)"
check 'ieum <TAB>' 'align batch eval extract review segment serve tm' "$(complete_line ieum '')"
check 'ieum tm <TAB>' 'concordance copy dedupe delete export import learn merge report search stats' \
  "$(complete_line ieum tm '')"
check 'ieum tm im<TAB>' 'import' "$(complete_line ieum tm im)"
got=$(complete_line ieum align --)
check 'ieum align --<TAB> offers --format, --tm and --dict' yes \
  "$([[ " $got " == *' --format '* && " $got " == *' --tm '* && " $got " == *' --dict '* ]] && echo yes || echo "$got")"
check 'ieum align --tm<TAB>' '--tm --tmx' "$(complete_line ieum align --tm)"
check 'ieum align -f <TAB>' 'beads jsonl tsv xliff' "$(complete_line ieum align -f '')"
check 'ieum tm export --format <TAB>' 'jsonl tmx tsv xliff' "$(complete_line ieum tm export --format '')"
check 'ieum segment --from <TAB>' 'auto html presegmented text' "$(complete_line ieum segment --from '')"
check 'ieum tm dedupe --keep <TAB>' 'all best newest' "$(complete_line ieum tm dedupe --keep '')"
check 'ieum -<TAB>' '--help --version -V -h' "$(complete_line ieum -)"

if [ -n "$ieum" ]; then
  # Every long option a --help lists on an option line (one starting with spaces then '-').
  for cmd in align batch segment extract serve eval 'tm import' 'tm export' 'tm stats' 'tm search' 'tm concordance' \
             'tm merge' 'tm dedupe' 'tm delete' 'tm learn' 'tm copy'; do
    # shellcheck disable=SC2086
    want=$("$ieum" $cmd --help | grep -E '^ +-' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
    # shellcheck disable=SC2086
    offered=" $(complete_line ieum $cmd --) "
    missing=
    for opt in $want; do
      [[ $offered == *" $opt "* ]] || missing="$missing $opt"
    done
    check "ieum $cmd --<TAB> offers every option of its --help" '' "${missing# }"
  done
fi
echo "1..$n"
[ $fails -eq 0 ]
