#!/usr/bin/env bash
# The fuzz smoke stage of scripts/test.sh: builds the libFuzzer targets of fuzz/ in build/fuzz (a
# small configuration: only the libraries the targets link, under ASan+UBSan) and runs each for
# FUZZ_SECONDS (default 20) from its kept inputs, JOBS at a time. Fails when a target crashes,
# hangs (-timeout), leaks or breaks its invariant; the failing input is left in
# build/fuzz/artifacts/<target>/ to be kept under tests/fixtures/fuzz/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
JOBS="${JOBS:-2}"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"

cmake -S . -B build/fuzz -G Ninja -DPAPERBOY_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPAPERBOY_FUZZ=ON -DPAPERBOY_TESTS=OFF -DPAPERBOY_SANITIZE=ON >/dev/null
cmake --build build/fuzz -j "$JOBS" --target fuzz_targets

# Where each target's kept inputs live (the query parser's predate tests/fixtures/fuzz/).
seeds_of() {
  case "$1" in
    query_parser) echo tests/fixtures/search/query_parser_corpus ;;
    request) echo tests/fixtures/web/request_corpus ;;
    *) echo "tests/fixtures/fuzz/$1" ;;
  esac
}

run_one() {
  local name=$1 work=build/fuzz/smoke/$1 seeds
  seeds=$(seeds_of "$name")
  rm -rf "$work" && mkdir -p "$work/corpus" "build/fuzz/artifacts/$name"
  local args=(-max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
    -artifact_prefix="build/fuzz/artifacts/$name/" "$work/corpus")
  [ -d "$seeds" ] && args+=("$seeds")
  if "build/fuzz/fuzz/${name}_fuzz" "${args[@]}" >"$work/log" 2>&1; then
    echo "fuzz $name: ok, $(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/log" | tail -n 1), $(grep average_exec_per_sec "$work/log" | awk '{print $2}') exec/s"
  else
    echo "fuzz $name: FAILED (log $work/log, input in build/fuzz/artifacts/$name/)"
    tail -n 40 "$work/log"
    return 1
  fi
}

targets=()
for bin in build/fuzz/fuzz/*_fuzz; do
  [ -x "$bin" ] && targets+=("$(basename "$bin" _fuzz)")
done
[ "${#targets[@]}" -gt 0 ] || { echo "no fuzz targets built" >&2; exit 1; }

failed=0
pids=()
for name in "${targets[@]}"; do
  run_one "$name" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$JOBS" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || { echo "fuzz smoke stage failed" >&2; exit 1; }
echo "fuzz smoke stage passed (${#targets[@]} targets, ${FUZZ_SECONDS} s each)"
