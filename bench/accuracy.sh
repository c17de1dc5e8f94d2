#!/usr/bin/env bash
# bench/accuracy.sh: accuracy of ieum on the shared evaluation data, with the reference scorers.
#   alignment:    ieum eval over ../shared/data/align (strict/lax F1 per family), cross-checked
#                 against ../shared/tools/score_align.py on the same predictions
#   segmentation: ../shared/tools/score_segment.py with `ieum segment` on every file of
#                 ../shared/data/segment (Korean per subset)
# Usage: bash bench/accuracy.sh [BUILD_DIR]     (default build/, relative to the repository or absolute;
#        never part of the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
case $build in
  /*) ieum=$build/cli/ieum ;;
  *) ieum=$(pwd)/$build/cli/ieum ;;
esac
shared=${IEUM_SHARED:-$(cd .. && pwd)/shared}
if [ ! -d "$shared/data" ]; then
  echo "accuracy: $shared/data is absent: nothing to measure (put the shared data beside the repository)" >&2
  exit 0
fi
[ -x "$ieum" ] || { echo "accuracy: $ieum not built (meson setup $build && ninja -C $build)" >&2; exit 1; }

echo "## Alignment: ieum eval $shared/data/align"
"$ieum" eval -q "$shared/data/align"
echo
echo "## Alignment: reference scorer (score_align.py) on the same aligner"
python3 "$shared/tools/score_align.py" --dir "$shared/data/align" \
  --pred-cmd "$ieum align --presegmented -f beads {src} {tgt}" | grep '^=='
echo
echo "## Segmentation: score_segment.py with ieum segment"
for f in "$shared"/data/segment/*.jsonl; do
  name=$(basename "$f")
  lang=${name%%_*}
  extra=()
  [ "$lang" = ko ] && extra=(--by-subset)
  echo "### $name"
  python3 "$shared/tools/score_segment.py" "$f" --cmd "$ieum segment --lang $lang" "${extra[@]}" 2>&1 | tail -n 6
done
