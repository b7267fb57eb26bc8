#!/usr/bin/env bash
# Web benchmark: requests/s and latency percentiles (wrk, loopback) for the listing page, a paper
# page and the daily-papers API, and search (page and API) with a rotating set of 1,000 queries
# built from corpus titles (bench/web_search.lua), served by the real `paperboy serve` over the
# 141k-paper corpus. Search waits until the server's in-memory ranking index is built.
#   bench/web_bench.sh [BUILD_DIR] [DURATION_S] [CONNECTIONS]   (THREADS=N: server threads, default CONNECTIONS)
# Needs ../shared/corpus/arxiv-cs-141k.jsonl.zst (skips with a message when absent), wrk and a
# built tree. The seeded database is kept in BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${2:-10}
CONNS=${3:-64}
CORPUS=${PAPERBOY_CORPUS:-../shared/corpus/arxiv-cs-141k.jsonl.zst}
[ -f "$CORPUS" ] || CORPUS=/work/shared/corpus/arxiv-cs-141k.jsonl.zst
if [ ! -f "$CORPUS" ]; then echo "web_bench: corpus not found; skipping"; exit 0; fi
command -v wrk >/dev/null || { echo "web_bench: wrk missing (scripts/setup.sh)"; exit 1; }

DATA="$BUILD/bench-web-data"
if [ ! -f "$DATA/paperboy.db" ]; then
  mkdir -p "$DATA"
  echo "seeding $DATA with $CORPUS ..."
  time "$BUILD/src/cli/paperboy" --data-dir "$DATA" ingest "$CORPUS"
  # serve opens (and on first start builds) the search indexes; do it before timing requests.
  "$BUILD/src/cli/paperboy" --data-dir "$DATA" reindex
fi

LOG=$(mktemp)
"$BUILD/src/cli/paperboy" --data-dir "$DATA" serve --port 0 --threads "${THREADS:-$CONNS}" >"$LOG" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f $LOG' EXIT
for _ in $(seq 100); do grep -q "serving on" "$LOG" && break; sleep 0.1; done
BASE=$(grep -o 'http://[^ ]*' "$LOG" | sed 's#/$##')
PAPER=$(curl -s "$BASE/api/daily_papers?limit=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)[0]["id"])')
# What browsers send: replies are compressed as they would be for real visitors.
ACCEPT="Accept-Encoding: gzip, deflate, br"
echo "server $BASE, paper $PAPER, $(nproc) cores, ${DURATION}s per URL, $CONNS connections"
for path in "/" "/papers/$PAPER" "/api/daily_papers" "/api/papers/$PAPER" "/search?q=diffusion+models"; do
  curl -s -o /dev/null "$BASE$path"  # warm the cache
  echo "== GET $path"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$ACCEPT" "$BASE$path" | grep -E "Requests/sec|Non-2xx|50%|90%|99%|Socket errors"
done

# Search with rotating queries: two or three title words, as a user types them, from every 141st
# paper of the corpus (a fixed, reproducible list).
QUERIES=$(mktemp)
trap 'kill $PID 2>/dev/null; rm -f $LOG $QUERIES' EXIT
zstd -dc "$CORPUS" | awk 'NR % 141 == 0' | head -1000 | python3 -c '
import json, re, sys, urllib.parse
for line in sys.stdin:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", json.loads(line)["title"])]
    if len(words) >= 2:
        print(urllib.parse.quote_plus(" ".join(words[:3])))
' >"$QUERIES"
# The ranking index builds in the background after start; wait until search is fast.
for _ in $(seq 120); do
  t=$(curl -s -o /dev/null -w "%{time_total}" "$BASE/api/papers/search?q=learning")
  python3 -c "import sys; sys.exit(0 if float('$t') < 0.02 else 1)" && break
  sleep 1
done
for prefix in "/search?q=" "/api/papers/search?q="; do
  echo "== GET ${prefix}<$(wc -l <"$QUERIES") rotating queries>"
  WRK_QUERIES=$QUERIES wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$ACCEPT" -s bench/web_search.lua "$BASE" -- "$prefix" |
    grep -E "Requests/sec|Non-2xx|50%|90%|99%|Socket errors"
done
# The worst case: every request a distinct URL, so every search is computed and its page rendered.
for prefix in "/search?q=" "/api/papers/search?q="; do
  echo "== GET ${prefix}<rotating queries, every request uncached>"
  WRK_UNIQUE=1 WRK_QUERIES=$QUERIES wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$ACCEPT" -s bench/web_search.lua "$BASE" -- "$prefix" |
    grep -E "Requests/sec|Non-2xx|50%|90%|99%|Socket errors"
done
