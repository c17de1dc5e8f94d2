#!/usr/bin/env bash
# bench/fuzz.sh: a timed libFuzzer campaign over the fuzz harnesses of tests/fuzz/.
#
# Sets up (once) a clang build with -Dfuzzing=true, builds only the libFuzzer binaries, then runs each
# harness for SECONDS on a copy of its seed corpus in a scratch folder (removed at the end; the
# harnesses' own temporary files go to /dev/shm when it is there, else there too), one harness at a time on one core, in libFuzzer's
# fork mode so that a crash is recorded and the run goes on.  Prints per harness the executions, the
# rate, the coverage, how the corpus grew, and every crash, timeout or out-of-memory input with the
# first line of its report and the top frames; those inputs are saved in
# BUILD/fuzz-findings/<time>/<harness>/ for the developer: once the bug is fixed, add the input to
# tests/fuzz/corpus/<harness>/ (replayed by `meson test`), or meanwhile to tests/fuzz/crashes/.
# Exits 1 when anything was found, 0 otherwise.  Never part of `meson test`; needs no ../shared.
# Usage: bash bench/fuzz.sh [SECONDS]      (default 60 per harness)
#   IEUM_FUZZ_BUILD=DIR         build folder (default: build-fuzz beside this repository's build/)
#   IEUM_FUZZ_HARNESSES="a b"   harnesses to run (default: all of tests/fuzz/meson.build)
# Debian 12 needs clang (14) and libclang-rt-14-dev (libclang_rt.fuzzer): apt-get install clang.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
build=${IEUM_FUZZ_BUILD:-$here/build-fuzz}
read -r -a harnesses <<<"${IEUM_FUZZ_HARNESSES:-text html tmx srx dict align}"
case $secs in '' | *[!0-9]*) echo "usage: bash bench/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac

command -v clang >/dev/null || { echo "bench/fuzz.sh: clang not found (apt-get install clang)" >&2; exit 2; }
if [ ! -d "$build" ]; then
  echo "== setting up $build (clang, -Dfuzzing=true)"
  CC=clang meson setup "$build" -Dfuzzing=true >"$build.setup.log" 2>&1 || { cat "$build.setup.log" >&2; exit 2; }
  rm -f "$build.setup.log"
else
  meson configure "$build" -Dfuzzing=true >/dev/null || exit 2
fi
targets=()
for h in "${harnesses[@]}"; do targets+=("tests/fuzz/fuzz_$h"); done
ninja -C "$build" "${targets[@]}" >/dev/null || { ninja -C "$build" "${targets[@]}"; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ieum-fuzz-campaign-XXXXXX") || exit 2
# The harnesses' own files (the TMX round trip writes five exports per input, each synced to disk)
# go to a RAM-backed folder when there is one: three times the executions of the tmx harness.
htmp=$(mktemp -d /dev/shm/ieum-fuzz-XXXXXX 2>/dev/null) || htmp=$scratch/tmp
trap 'rm -rf "$scratch" "$htmp"' EXIT
findings=$build/fuzz-findings/$(date -u +%Y%m%dT%H%M%SZ)
found=0

echo "== $secs s per harness, fork mode, one job; scratch $scratch"
for h in "${harnesses[@]}"; do
  bin=$build/tests/fuzz/fuzz_$h
  dir=$scratch/$h
  mkdir -p "$dir/corpus" "$dir/artifacts" "$htmp/$h"
  cp "$here/tests/fuzz/corpus/$h/"* "$dir/corpus/"
  seeds=$(find "$dir/corpus" -type f | wc -l)
  # Markup and separators the mutations may splice in (tests/fuzz/tokens/<harness>.dict).
  tokens=()
  [ -f "$here/tests/fuzz/tokens/$h.dict" ] && tokens=(-dict="$here/tests/fuzz/tokens/$h.dict")
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: 2 GB is a memory blow-up on inputs of a
  # few KB.  -fork=1 runs one child at a time and goes on after a crash (-ignore_*).
  TMPDIR=$htmp/$h nice "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/" "${tokens[@]}" \
    "$dir/corpus" >"$dir/log" 2>&1
  last=$(grep -E '^#[0-9]+: cov:' "$dir/log" | tail -1)
  execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$last")
  took=$(sed -E 's/.* time: ([0-9]+)s.*/\1/' <<<"$last")
  units=$(find "$dir/corpus" -type f | wc -l)
  mapfile -t arts < <(find "$dir/artifacts" -type f | sort)
  rate=-
  [ -n "$execs" ] && [ -n "$took" ] && [ "$took" -gt 0 ] && rate=$((execs / took))
  printf '%-6s %8s execs in %4ss (%s/s), coverage %s edges, corpus %d -> %d, findings %d\n' \
    "$h" "${execs:-?}" "${took:-?}" "$rate" "${cov:-?}" "$seeds" "$units" "${#arts[@]}"
  [ -z "$last" ] && { echo "  the fuzzer did not run; its log:"; tail -20 "$dir/log" | sed 's/^/  | /'; found=1; }
  [ "${#arts[@]}" -eq 0 ] && continue
  found=1
  mkdir -p "$findings/$h"
  # One line per distinct bug (first report line, quoted input text elided, and top frames below the
  # sanitizer and the harness's abort, from a run of each input alone), with how many inputs showed
  # it and the smallest of them.
  declare -A count=() smallest=() size=()
  for a in "${arts[@]}"; do
    cp "$a" "$findings/$h/"
    report=$(TMPDIR=$htmp/$h timeout 60 "$bin" -runs=1 -timeout=10 -rss_limit_mb=2048 "$a" 2>&1)
    what=$(grep -m1 -E 'runtime error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|^fuzz: |SUMMARY' <<<"$report" |
           sed -E "s/0x[0-9a-f]+/0x.../g; s/'[^']*'/'...'/g")
    where=$(grep -E '^ +#[0-9]+ ' <<<"$report" |
            grep -v -E 'libFuzzer|fuzzer::|compiler-rt|sanitizer_common|__asan|__ubsan|__interceptor|libc\.so| in main | in __libc_|__sanitizer|pthread_kill| in raise | in abort | in fuzz_fail' |
            head -3 | sed -E 's/.* in ([^ ]+) .*\/([^/]+)$/\1 (\2)/' | paste -sd '<' | sed 's/</ < /g')
    sig="${what:-no report when run alone (flaky, or slow only under the fuzzer)}"$'\n'"    at ${where:-?}"
    n=$(stat -c %s "$a")
    count[$sig]=$(( ${count[$sig]:-0} + 1 ))
    if [ -z "${size[$sig]:-}" ] || [ "$n" -lt "${size[$sig]}" ]; then size[$sig]=$n; smallest[$sig]=$(basename "$a"); fi
  done
  for sig in "${!count[@]}"; do
    echo "  ${count[$sig]} input(s), smallest ${smallest[$sig]} (${size[$sig]} bytes): $sig"
  done
  unset count smallest size
  echo "  saved in $findings/$h/"
done
exit $found
