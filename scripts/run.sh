#!/usr/bin/env bash
# Installs what building and running need (scripts/setup.sh, no test tools), builds and starts `paperboy serve` on the bundled demo data (SQLite in ./paperboy-data).
# Extra arguments go to `paperboy serve`, e.g. scripts/run.sh --port 9000.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPAPERBOY_TESTS=OFF >/dev/null
cmake --build build/release -j "${JOBS:-2}" --target paperboy
exec build/release/src/cli/paperboy serve "$@"
