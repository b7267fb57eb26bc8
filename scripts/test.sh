#!/usr/bin/env bash
# Sets up, builds and runs every test: the warnings-as-errors build, then the same tests under
# AddressSanitizer + UndefinedBehaviorSanitizer, then a short run of every fuzz target
# (scripts/fuzz_smoke.sh; FUZZ_SECONDS per target, default 20). `--quick` runs only the first
# configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
  esac
done

./scripts/setup.sh --test
# The two build trees take about 10 GiB (3.2 release, 4.9 sanitize, the fuzz targets): say so up
# front rather than let a full disk surface as a linker error halfway through.
free_kib=$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')
if [ "${free_kib:-0}" -lt $((11 * 1024 * 1024)) ]; then
  echo "warning: $((free_kib / 1024 / 1024)) GiB free under $ROOT; a full run needs about 11 GiB" >&2
fi
# A ccache outside the clone survives between CI runs on the same machine; BASEDIR makes hits
# independent of where the clone lives.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
JOBS="${JOBS:-2}"

run_config() {
  local dir=$1; shift
  echo "== configuration $dir: $*"
  cmake -S . -B "$dir" -G Ninja -DPAPERBOY_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS" --timeout 900
}

run_config build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "$quick" = 0 ]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS="suppressions=$ROOT/scripts/lsan.supp" \
    run_config build/sanitize -DCMAKE_BUILD_TYPE=Debug -DPAPERBOY_SANITIZE=ON
fi
if [ "$quick" = 0 ]; then
  echo "== fuzz smoke stage (${FUZZ_SECONDS:-20} s per target)"
  JOBS="$JOBS" ./scripts/fuzz_smoke.sh
fi
echo "all test configurations passed"
