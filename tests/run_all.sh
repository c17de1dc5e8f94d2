#!/usr/bin/env bash
# tests/run_all.sh: build ieum twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer, with
# clang when it is installed, halting on the first report) and
# run the whole test suite in both builds: unit tests (TAP), golden command-line tests, structure tests.
# Ends with one line "N passed, N failed" (skipped tests, such as those needing ../shared or OmegaT when
# absent, are counted apart on the line before it) and exits non-zero when any test failed.
# Usage: bash tests/run_all.sh        (from anywhere; builds into build/ and build-asan/)
set -uo pipefail
cd "$(dirname "$0")/.."

# Any sanitizer report ends the process with an error, in unit tests and in the CLI the golden tests run:
# the sanitized build is compiled with -fno-sanitize-recover=all, so that every UndefinedBehaviorSanitizer
# check aborts whatever UBSAN_OPTIONS says (Meson 1.0's test runner sets no *SAN_OPTIONS of its own, and
# UBSan's default is to print and go on); the options below add stack traces and leak checks.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
# The sanitized build uses clang when it is installed (SAN_CC overrides): GCC's UBSan does not check
# pointer arithmetic on NULL ("applying zero offset to null pointer"), which clang's does.
san_cc=${SAN_CC:-$(command -v clang >/dev/null && echo clang || echo cc)}

# Which C compiler, "clang" or "gcc", build folder $1 compiles with (empty when it cannot be told).
compiler_of() {
  local cmd
  cmd=$(sed -n '/^rule c_COMPILER$/{n;s/^ *command = \([^ ]*\).*/\1/p;q}' "$1/build.ninja" 2>/dev/null)
  [ -n "$cmd" ] || return 0
  local macros
  macros=$("$cmd" -dM -E - </dev/null 2>/dev/null)
  case $macros in
    *__clang__*) echo clang ;;
    *__GNUC__*) echo gcc ;;
  esac
}

status=0
for dir in build build-asan; do
  opts=()
  cc_env=()
  if [ "$dir" = build-asan ]; then
    opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all)
    cc_env=(CC="$san_cc")
    case $(basename "$san_cc") in
      *clang*) want=clang ;;
      *gcc*) want=gcc ;;
      *) want= ;; # "cc": whichever it is
    esac
    have=$(compiler_of "$dir")
    if [ -d "$dir" ] && [ -n "$want" ] && [ "$have" != "$want" ]; then
      echo "== $dir: set up with '${have:-?}', not $want: setting it up again"
      rm -rf "$dir"
    fi
  fi
  if [ ! -d "$dir" ]; then
    env "${cc_env[@]}" meson setup "$dir" "${opts[@]}" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
    rm -f "$dir.setup.log"
  elif [ ${#opts[@]} -gt 0 ]; then
    # a folder set up earlier, perhaps without these options: give it them (a no-op when it has them)
    meson configure "$dir" "${opts[@]}" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
    rm -f "$dir.setup.log"
  fi
  echo "== $dir: build"
  ninja -C "$dir" || { echo "== $dir: build failed"; exit 1; }
  echo "== $dir: test"
  # Sanitizer reports abort the test (see the options above).
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
done

# IEUM_EXTRA_TESTLOG: results of tests run outside meson before this script, in meson's test-log format
# (one JSON object a line, its "result" OK, SKIP or FAIL), counted with the others: CI's .ci/run puts
# tests/deb.sh's there.  Any failure counted fails this script.
python3 - <<'PY' || status=1
import json
import os
import sys
passed = failed = skipped = 0
logs = ['build/meson-logs/testlog.json', 'build-asan/meson-logs/testlog.json']
if os.environ.get('IEUM_EXTRA_TESTLOG'):
    logs.append(os.environ['IEUM_EXTRA_TESTLOG'])
for log in logs:
    try:
        lines = open(log, encoding='utf-8').read().splitlines()
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
sys.exit(1 if failed else 0)
PY
exit $status
