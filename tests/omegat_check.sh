#!/usr/bin/env bash
# tests/omegat_check.sh: runs ../shared/tools/omegat_check.sh (OmegaT, headless) with the same
# arguments and environment, once more if it died of SIGPIPE (exit 141).  The shared tool runs under
# `set -euo pipefail` and takes the TMX's first language with `printf ... | head -n 1`: when head
# exits before printf's second write, printf gets SIGPIPE and the whole check ends 141 without
# having run OmegaT (seen once in CI under load).  Any other status, and a second 141, is passed on.
# Usage: bash tests/omegat_check.sh TMX SOURCE_TEXT OUT_DIR   (SHARED: the ../shared folder)
tool="${SHARED:?SHARED is not set}/tools/omegat_check.sh"
bash "$tool" "$@"
rc=$?
if [ "$rc" -eq 141 ]; then
  rm -rf "${3:?}"
  bash "$tool" "$@"
  rc=$?
fi
exit "$rc"
