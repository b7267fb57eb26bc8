#!/usr/bin/env bash
# Ingest throughput and peak memory for the whole shared corpus (140,877 records), beside a
# baseline doing the same upserts with Python's json + sqlite3 in the same run, and the ratio.
# Then checks that a second `--restart` run finds every record unchanged and prints `paperboy stats`.
#
# usage: bench/ingest_bench.sh [CORPUS]   (default: ../shared/corpus/arxiv-cs-141k.jsonl.zst
#                                          beside the clone, as CI places it)
# env:   PAPERBOY_BINARY (default build/release/src/cli/paperboy, built if missing),
#        SKIP_BASELINE=1 to measure paperboy only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

corpus=${1:-}
if [ -z "$corpus" ]; then
  for candidate in "$ROOT/../shared/corpus/arxiv-cs-141k.jsonl.zst" /work/shared/corpus/arxiv-cs-141k.jsonl.zst; do
    if [ -f "$candidate" ]; then corpus=$candidate; break; fi
  done
fi
if [ -z "$corpus" ] || [ ! -f "$corpus" ]; then
  echo "ingest_bench: shared corpus not found (looked for ../shared/corpus/arxiv-cs-141k.jsonl.zst beside the clone); pass its path as the first argument" >&2
  exit 1
fi

bin=${PAPERBOY_BINARY:-$ROOT/build/release/src/cli/paperboy}
if [ ! -x "$bin" ]; then
  echo "ingest_bench: building $bin"
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build/release --target paperboy
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command under GNU time; sets $wall (s), $cpu (user + system s; less sensitive than wall
# time to other load on a shared machine) and $rss_mb (peak resident set, MB).
measure() {
  local log=$work/time.log
  /usr/bin/time -f "%e %M %U %S" -o "$log" "$@"
  read -r wall rss_kb user sys <"$log"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
}

records=$(zstd -dc "$corpus" 2>/dev/null | grep -c . || true)
echo "corpus: $corpus ($records records, $(du -h "$corpus" | cut -f1) compressed)"
echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "== paperboy ingest (fresh data dir, release build)"
measure "$bin" --data-dir "$work/paperboy" ingest "$corpus" >"$work/ingest.txt" 2>"$work/ingest.err"
cat "$work/ingest.txt"
pb_rate=$(awk -v n="$records" -v s="$wall" 'BEGIN { printf "%.0f", n / s }')
pb_wall=$wall
pb_rss=$rss_mb
echo "paperboy: ${pb_rate} records/s (wall ${pb_wall} s, cpu ${cpu} s), peak RSS ${pb_rss} MB"
echo

echo "== second run with --restart (every record should be unchanged)"
"$bin" --data-dir "$work/paperboy" ingest --restart "$corpus" 2>/dev/null
echo
echo "== paperboy stats (first lines)"
"$bin" --data-dir "$work/paperboy" stats >"$work/stats.txt"  # not piped: head's early exit would fail the run
head -n 12 "$work/stats.txt"
echo

if [ "${SKIP_BASELINE:-0}" = 1 ]; then
  echo "baseline skipped (SKIP_BASELINE=1)"
  exit 0
fi
echo "== baseline: Python json + sqlite3, same upserts (bench/baseline_ingest.py)"
measure python3 "$ROOT/bench/baseline_ingest.py" "$corpus" "$work/baseline.db" 2>"$work/baseline.err"
py_rate=$(awk -v n="$records" -v s="$wall" 'BEGIN { printf "%.0f", n / s }')
echo "baseline: ${py_rate} records/s (wall ${wall} s, cpu ${cpu} s), peak RSS ${rss_mb} MB"
echo
awk -v a="$pb_rate" -v b="$py_rate" -v ra="$pb_rss" -v rb="$rss_mb" \
  'BEGIN { printf "ratio: paperboy is %.1fx the baseline'"'"'s throughput; peak RSS %s MB vs %s MB\n", a / b, ra, rb }'
