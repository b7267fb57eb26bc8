#!/usr/bin/env bash
# The search figures at ~1M papers: the shared 141k corpus stored N times (default 7) with
# rewritten ids, then the full index build, 1,000 realistic queries per mode, and an update of
# 1,000 changed papers; each phase prints its time and peak RSS (bench/search/search_bench.cc).
# Needs ~8 GB of disk under WORK and ~13 GB of memory for the build.
#   bench/search_scale.sh [BUILD_DIR] [WORK_DIR] [COPIES (at most 7)]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
WORK=${2:-/tmp/pb-search-scale}
COPIES=${3:-7}
BENCH="$BUILD/bench/search_bench"
[ -x "$BENCH" ] || { echo "search_scale: build $BENCH first"; exit 1; }
"$BENCH" load --replicate "$COPIES" --work "$WORK"
"$BENCH" build --work "$WORK"
"$BENCH" query --work "$WORK"
"$BENCH" update --work "$WORK"
