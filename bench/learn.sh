#!/usr/bin/env bash
# bench/learn.sh: how much the aligner gains from a lexicon learned from its own TM.
#   1. aligns the even-numbered cases of ../shared/data/align (pud00, pud02, ... parkdev08; clean and
#      perturbed) into a fresh TM with ieum's OWN alignments (never the gold beads);
#   2. learns word pairs from that TM (`ieum tm learn`);
#   3. scores the odd-numbered cases, never seen, with score_align.py: before (built-in lexicon only)
#      and after (`ieum align --tm`, which adds the learned pairs).
# Usage: bash bench/learn.sh [BUILD_DIR] [MIN_SCORE]   (default build/ and 0.9; never part of the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
min_score=${2:-0.9}
ieum=$(pwd)/$build/cli/ieum
shared=${IEUM_SHARED:-$(cd .. && pwd)/shared}
if [ ! -d "$shared/data/align" ]; then
  echo "learn: $shared/data/align is absent: nothing to measure (put the shared data beside the repository)" >&2
  exit 0
fi
[ -x "$ieum" ] || { echo "learn: $ieum not built (meson setup $build && ninja -C $build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/heldout"
for d in "$shared"/data/align/*/; do
  name=$(basename "$d")
  num=$(echo "$name" | sed -E 's/^[a-z]+0*([0-9]+)_.*/\1/')
  if [ $((num % 2)) -eq 0 ]; then
    "$ieum" align --presegmented --tm "$work/tm.db" -o /dev/null "$d/ko.txt" "$d/en.txt"
  else
    ln -s "$d" "$work/heldout/$name"
  fi
done
echo "## learning from the even-numbered cases (ieum's own alignments), units scoring >= $min_score"
"$ieum" tm learn --tm "$work/tm.db" --min-score "$min_score"
echo
echo "## held-out (odd-numbered) cases, before: built-in lexicon"
python3 "$shared/tools/score_align.py" --dir "$work/heldout" \
  --pred-cmd "$ieum align --presegmented -f beads {src} {tgt}" | grep '^=='
echo
echo "## held-out cases, after: built-in + learned lexicon (ieum align --tm)"
cp "$work/tm.db" "$work/eval.db"
python3 "$shared/tools/score_align.py" --dir "$work/heldout" \
  --pred-cmd "$ieum align --presegmented -f beads --tm $work/eval.db {src} {tgt}" 2>/dev/null | grep '^=='
