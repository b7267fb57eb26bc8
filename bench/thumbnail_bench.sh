#!/usr/bin/env bash
# The README's thumbnail figures: render time per first page and bytes per thumbnail, over real
# TeX-made PDFs (the manuals Debian ships under /usr/share/doc, unpacked to a temporary folder;
# arXiv's PDFs are TeX-made too) and the tests' hand-made PDF.
#   bench/thumbnail_bench.sh [BUILD_DIR]    (default build/release; builds thumbnail_bench)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
cmake --build "$build" --target thumbnail_bench >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
while IFS= read -r f; do
  n=$((n + 1))
  case "$f" in
    *.gz) gzip -dc "$f" >"$tmp/$n-$(basename "${f%.gz}")" ;;
    *) cp "$f" "$tmp/$n-$(basename "$f")" ;;
  esac
done < <(find /usr/share/doc -name '*.pdf' -o -name '*.pdf.gz' 2>/dev/null | sort)
echo "== $n PDFs from /usr/share/doc"
if [ "$n" -gt 0 ]; then "$build/bench/thumbnail_bench" "$tmp"/*.pdf; fi
echo "== the tests' generated one-page PDF"
"$build/bench/thumbnail_bench"
