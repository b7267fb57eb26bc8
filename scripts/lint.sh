#!/usr/bin/env bash
# clang-format check and clang-tidy over src/ (uses build/release/compile_commands.json).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc')
clang-format --dry-run $files 2>&1 | grep -c "warning:" | xargs -I{} echo "clang-format: {} places differ from .clang-format"
if [ -f build/release/compile_commands.json ]; then
  clang-tidy -p build/release --quiet $(git ls-files 'src/*.cc') 2>/dev/null | grep -E "warning:|error:" || true
fi
