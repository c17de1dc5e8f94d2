#!/usr/bin/env bash
# tests/run_all.sh: build ieum twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer) and
# run the whole test suite in both builds: unit tests (TAP), golden command-line tests, structure tests.
# Ends with one line "N passed, N failed" (skipped tests, such as those needing ../shared or OmegaT when
# absent, are counted apart on the line before it) and exits non-zero when any test failed.
# Usage: bash tests/run_all.sh        (from anywhere; builds into build/ and build-asan/)
set -uo pipefail
cd "$(dirname "$0")/.."

# Any sanitizer report ends the process with an error, in unit tests and in the CLI the golden tests run.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1

status=0
for dir in build build-asan; do
  opts=()
  [ "$dir" = build-asan ] && opts=(-Db_sanitize=address,undefined -Db_lundef=false)
  if [ ! -d "$dir" ]; then
    meson setup "$dir" "${opts[@]}" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
    rm -f "$dir.setup.log"
  fi
  echo "== $dir: build"
  ninja -C "$dir" || { echo "== $dir: build failed"; exit 1; }
  echo "== $dir: test"
  # Sanitizer reports abort the test (meson sets ASAN/UBSAN_OPTIONS to halt on error).
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
done

python3 - <<'PY'
import json
passed = failed = skipped = 0
for d in ('build', 'build-asan'):
    try:
        lines = open(d + '/meson-logs/testlog.json', encoding='utf-8').read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        r = json.loads(line).get('result')
        if r in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif r == 'SKIP':
            skipped += 1
        else:
            failed += 1
print(f'({skipped} skipped: they need ../shared or a client tool that is absent)')
print(f'{passed} passed, {failed} failed')
PY
exit $status
