#!/usr/bin/env bash
# bench/segment.sh: sentence segmentation accuracy and speed.
#
# Scores `ieum segment` with ../shared/tools/score_segment.py on every file of ../shared/data/segment
# (per file and language; ko_dev also per subset, so the Kiwi/KSS part and the news part show apart),
# first with plain ICU ("LANG@ss=standard", the baseline, printed by tests' align_segment --stdin-icu)
# and then with ieum's rules; then with OmegaT's SRX rules (--srx) for reference; then times the
# segmentation of a 1 MB news text (English and Korean) and reports the peak memory.
# Usage: bench/segment.sh [BUILD_DIR]     (default: build).  Never part of `meson test`.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
shared=${IEUM_SHARED:-$here/../shared}
ieum=$build/cli/ieum
icu=$build/tests/test_align_segment
if [ ! -d "$shared/data/segment" ]; then
  echo "bench/segment.sh: $shared/data/segment not found: nothing to measure (put ../shared beside the repository)"
  exit 0
fi
[ -x "$ieum" ] && [ -x "$icu" ] || { echo "bench/segment.sh: build first: ninja -C $build" >&2; exit 2; }
score=$shared/tools/score_segment.py
data=$shared/data/segment

for f in "$data"/*.jsonl; do
  name=$(basename "$f")
  lang=${name%%_*}
  subset=()
  [ "$lang" = ko ] && subset=(--by-subset)
  echo "== $name: ICU alone ($lang@ss=standard)"
  python3 "$score" "$f" --cmd "$icu --stdin-icu $lang" --jobs 2 "${subset[@]}" | tail -n +2
  echo "== $name: ieum segment --lang $lang"
  python3 "$score" "$f" --cmd "$ieum segment --lang $lang" --jobs 2 "${subset[@]}" | tail -n +2
  echo "== $name: ieum segment --lang $lang --srx omegat_defaultRules.srx"
  python3 "$score" "$f" --cmd "$ieum segment --lang $lang --srx $data/srx/omegat_defaultRules.srx" --jobs 2 \
    "${subset[@]}" | tail -n +2
done

# Our own English news cases (tests/data/segment_en_news.jsonl, one or two per rule of issue 12:
# abbreviations before capitals, hard wraps, lists, a.m./P.M., Q./A., "Inc. (", "．", "Yahoo!", footnotes).
echo "== tests/data/segment_en_news.jsonl: ieum segment --lang en"
python3 "$score" "$here/tests/data/segment_en_news.jsonl" --cmd "$ieum segment --lang en" --jobs 2 --by-subset | tail -n +2

# ko_dev's two parts apart: the Kiwi/KSS blog and chat benchmark (goal sentEM >= .80) and UD Korean-PUD news.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep '"ko-kiwi' "$data/ko_dev.jsonl" > "$tmp/ko_kiwi.jsonl"
grep '"ko-pud' "$data/ko_dev.jsonl" > "$tmp/ko_pud.jsonl"
for part in ko_kiwi ko_pud; do
  echo "== ko_dev.jsonl, $part part: ICU alone, then ieum segment --lang ko"
  python3 "$score" "$tmp/$part.jsonl" --cmd "$icu --stdin-icu ko" --jobs 2 | tail -n +2
  python3 "$score" "$tmp/$part.jsonl" --cmd "$ieum segment --lang ko" --jobs 2 | tail -n +2
done

# 1 MB articles: the dev texts repeated, one paragraph per case, until the file passes 1 MiB.
for lang in en ko; do
  python3 - "$data" "$lang" "$tmp/$lang.txt" <<'EOF'
import json, sys, glob
data, lang, out = sys.argv[1:4]
texts = [json.loads(l)["text"].replace("\n", " ") for f in sorted(glob.glob(data + "/" + lang + "_*.jsonl"))
         for l in open(f, encoding="utf-8") if l.strip()]
buf, size = [], 0
while size < (1 << 20):
    for t in texts:
        buf.append(t); size += len(t.encode("utf-8")) + 1
        if size >= (1 << 20):
            break
open(out, "w", encoding="utf-8").write("\n".join(buf) + "\n")
EOF
  bytes=$(wc -c < "$tmp/$lang.txt")
  for run in 1 2 3; do
    /usr/bin/time -f "%e s %M KB" -o "$tmp/time" "$ieum" segment --lang "$lang" "$tmp/$lang.txt" > "$tmp/out"
    echo "== 1 MB $lang ($bytes bytes, $(wc -l < "$tmp/out") segments), run $run: $(cat "$tmp/time") (wall, peak RSS)"
  done
done
