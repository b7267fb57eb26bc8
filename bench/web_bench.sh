#!/usr/bin/env bash
# Web benchmark: requests/s and latency percentiles (wrk, loopback) for the listing page, a paper
# page and the daily-papers API, and search (page and API) with a rotating set of 1,000 queries
# built from corpus titles (bench/web_search.lua), served by the real `paperboy serve` over the
# 141k-paper corpus. Timing starts once the server logs that its in-memory ranking index is built.
#   bench/web_bench.sh [BUILD_DIR] [DURATION_S] [CONNECTIONS]   (THREADS=N: server threads, default CONNECTIONS)
# Needs ../shared/corpus/arxiv-cs-141k.jsonl.zst (exits 1 with a message when absent), wrk and a
# built tree. The seeded database is kept in BUILD_DIR. Any non-2xx reply or socket error fails
# the run (exit 1) after all measurements are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${2:-10}
CONNS=${3:-64}
CORPUS=${PAPERBOY_CORPUS:-../shared/corpus/arxiv-cs-141k.jsonl.zst}
[ -f "$CORPUS" ] || CORPUS=/work/shared/corpus/arxiv-cs-141k.jsonl.zst
if [ ! -f "$CORPUS" ]; then
  echo "web_bench: corpus not found (looked for ../shared/corpus/arxiv-cs-141k.jsonl.zst; set PAPERBOY_CORPUS)" >&2
  exit 1
fi
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
ERR=$(mktemp)
PAPERBOY_LOG_LEVEL=info "$BUILD/src/cli/paperboy" --data-dir "$DATA" serve --port 0 --threads "${THREADS:-$CONNS}" \
  >"$LOG" 2>"$ERR" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f $LOG $ERR' EXIT
# Ready means: serving, and the in-memory ranking index built (the server logs it; until then
# search ranks with FTS5 and would measure the wrong thing). Up to 10 minutes on a busy machine.
for _ in $(seq 6000); do
  grep -q "serving on" "$LOG" && grep -q "in-memory ranking index over" "$ERR" && break
  kill -0 $PID 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "in-memory ranking index over" "$ERR"; then
  echo "web_bench: the server did not become ready (serving, ranking index built):" >&2
  tail -20 "$ERR" >&2
  exit 1
fi
grep -o "in-memory ranking index over.*" "$ERR"
BASE=$(grep -o 'http://[^ ]*' "$LOG" | sed 's#/$##')
FAILED=0
# wrk's summary lines; a non-2xx reply or a socket error marks the run failed.
report() {
  local out=$1
  echo "$out" | grep -E "Requests/sec|Non-2xx|50%|90%|99%|Socket errors"
  if echo "$out" | grep -qE "Non-2xx|Socket errors"; then
    echo "web_bench: FAILED requests above" >&2
    FAILED=1
  fi
}
PAPER=$(curl -s "$BASE/api/daily_papers?limit=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)[0]["id"])')
# What browsers send: replies are compressed as they would be for real visitors.
ACCEPT="Accept-Encoding: gzip, deflate, br"
echo "server $BASE, paper $PAPER, $(nproc) cores, ${DURATION}s per URL, $CONNS connections"
for path in "/" "/papers/$PAPER" "/api/daily_papers" "/api/papers/$PAPER" "/search?q=diffusion+models"; do
  curl -s -o /dev/null "$BASE$path"  # warm the cache
  echo "== GET $path"
  report "$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$ACCEPT" "$BASE$path")"
done

# Search with rotating queries: two or three title words, as a user types them, from every 141st
# paper of the corpus (a fixed, reproducible list).
QUERIES=$(mktemp)
trap 'kill $PID 2>/dev/null; rm -f $LOG $ERR $QUERIES' EXIT
zstd -dc "$CORPUS" | awk 'NR % 141 == 0' | head -1000 | python3 -c '
import json, re, sys, urllib.parse
for line in sys.stdin:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", json.loads(line)["title"])]
    if len(words) >= 2:
        print(urllib.parse.quote_plus(" ".join(words[:3])))
' >"$QUERIES"
for prefix in "/search?q=" "/api/papers/search?q="; do
  echo "== GET ${prefix}<$(wc -l <"$QUERIES") rotating queries>"
  report "$(WRK_QUERIES=$QUERIES wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$ACCEPT" -s bench/web_search.lua "$BASE" -- "$prefix")"
done
# The worst case: every request a distinct URL, so every search is computed and its page rendered.
for prefix in "/search?q=" "/api/papers/search?q="; do
  echo "== GET ${prefix}<rotating queries, every request uncached>"
  report "$(WRK_UNIQUE=1 WRK_QUERIES=$QUERIES wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$ACCEPT" -s bench/web_search.lua "$BASE" -- "$prefix")"
done
exit $FAILED
