#!/usr/bin/env bash
# bench/learn.sh: how much the aligner gains from a lexicon learned from its own TM.
#   1. aligns the even-numbered cases of ../shared/data/align (pud00, pud02, ... parkdev08; clean and
#      perturbed) into a fresh TM with ieum's OWN alignments (never the gold beads);
#   2. learns word pairs from that TM (`ieum tm learn`);
#   3. scores the odd-numbered cases, never seen, with score_align.py: before (built-in lexicon only)
#      and after (`ieum align --tm`, which adds the learned pairs), then with the TM's length ratio
#      as well (`ieum eval --tm --ratio tm`);
#   4. the same three on windows of 12 gold beads cut from those cases (short articles, where a
#      document's own length ratio is least sure).
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
    "$ieum" align --presegmented --tm "$work/tm.db" -o "$work/pairs.tsv" "$d/ko.txt" "$d/en.txt"
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
echo
echo "## held-out cases, and the TM's length ratio too (ieum eval --tm --ratio tm)"
"$ieum" eval -q --tm "$work/tm.db" --ratio tm "$work/heldout" | grep -v -e '^== failures' -e '^== pairs'
# Short articles, where a document's own length ratio is least sure: windows of 12 gold beads
# cut from the held-out cases.
python3 - "$work/heldout" "$work/short" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
for c in sorted(os.listdir(src)):
    d = os.path.join(src, c)
    ko = open(os.path.join(d, 'ko.txt'), encoding='utf-8').read().split('\n')
    en = open(os.path.join(d, 'en.txt'), encoding='utf-8').read().split('\n')
    beads = []
    for l in open(os.path.join(d, 'gold.txt')).read().strip().split('\n'):
        m = re.match(r'\[(.*)\]:\[(.*)\]', l)
        beads.append(([int(x) for x in m.group(1).split(',') if x], [int(x) for x in m.group(2).split(',') if x]))
    for part in range(len(beads) // 12):
        w = beads[part * 12:(part + 1) * 12]
        ks = [i for s, t in w for i in s]
        ts = [j for s, t in w for j in t]
        k0, t0 = min(ks), min(ts)
        out = os.path.join(dst, '%sw%d_%s' % (c.split('_')[0], part, c.split('_')[1]))
        os.makedirs(out)
        open(os.path.join(out, 'ko.txt'), 'w', encoding='utf-8').write('\n'.join(ko[k0:max(ks) + 1]) + '\n')
        open(os.path.join(out, 'en.txt'), 'w', encoding='utf-8').write('\n'.join(en[t0:max(ts) + 1]) + '\n')
        open(os.path.join(out, 'gold.txt'), 'w').write(''.join('[%s]:[%s]\n' % (
            ','.join(str(i - k0) for i in s), ','.join(str(j - t0) for j in t)) for s, t in w))
PY
echo
echo "## windows of 12 beads from the held-out cases: built-in lexicon; + learned pairs; + the TM's ratio"
"$ieum" eval -q "$work/short" | grep '^== ALL'
"$ieum" eval -q --tm "$work/tm.db" "$work/short" | grep '^== ALL'
"$ieum" eval -q --tm "$work/tm.db" --ratio tm "$work/short" | grep '^== ALL'
