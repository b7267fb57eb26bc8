#!/usr/bin/env bash
# Trends benchmark over the 141k-paper corpus, served by the real `paperboy serve`: latency of
# GET /api/trends for 300 distinct one-word queries (each URL asked once, so every reply is
# computed, never cached; the words are title words of every 400th corpus paper, a fixed list),
# sequential on one connection, as p50/p90/p99/max; then the rising topics page (/trends), first
# (computed) and second (cached) request. Waits until the in-memory ranking index is built.
#   bench/trends_bench.sh [BUILD_DIR]   (seeds BUILD_DIR/bench-web-data as web_bench.sh does, or
#                                       PAPERBOY_BENCH_DATA=DIR: an existing data dir)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
CORPUS=${PAPERBOY_CORPUS:-../shared/corpus/arxiv-cs-141k.jsonl.zst}
[ -f "$CORPUS" ] || CORPUS=/work/shared/corpus/arxiv-cs-141k.jsonl.zst
[ -f "$CORPUS" ] || { echo "trends_bench: corpus not found (set PAPERBOY_CORPUS)" >&2; exit 1; }
DATA=${PAPERBOY_BENCH_DATA:-$BUILD/bench-web-data}
if [ ! -f "$DATA/paperboy.db" ]; then
  mkdir -p "$DATA"
  echo "seeding $DATA with $CORPUS ..."
  "$BUILD/src/cli/paperboy" --data-dir "$DATA" ingest "$CORPUS"
fi
LOG=$(mktemp)
ERR=$(mktemp)
WORDS=$(mktemp)
PAPERBOY_LOG_LEVEL=info "$BUILD/src/cli/paperboy" --data-dir "$DATA" serve --port 0 >"$LOG" 2>"$ERR" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f $LOG $ERR $WORDS' EXIT
for _ in $(seq 12000); do
  grep -q "serving on" "$LOG" && grep -q "in-memory ranking index over" "$ERR" && break
  kill -0 $PID 2>/dev/null || break
  sleep 0.1
done
grep -q "in-memory ranking index over" "$ERR" || { echo "trends_bench: server not ready" >&2; tail -20 "$ERR" >&2; exit 1; }
BASE=$(grep -o 'http://[^ ]*' "$LOG" | sed 's#/$##')
zstd -dc "$CORPUS" | awk 'NR % 400 == 0' | python3 -c '
import json, re, sys
seen = []
for line in sys.stdin:
    for w in re.findall(r"[A-Za-z]{4,}", json.loads(line)["title"]):
        w = w.lower()
        if w not in seen:
            seen.append(w)
print("\n".join(seen[:300]))' >"$WORDS"
echo "server $BASE, $(nproc) cores, $(wc -l <"$WORDS") one-word queries"
python3 - "$BASE" "$WORDS" <<'PY'
import http.client, json, sys, time, urllib.parse
base, words = sys.argv[1], open(sys.argv[2]).read().split()
host = base.split("//")[1]
conn = http.client.HTTPConnection(host, timeout=60)
def get(path):
    t = time.perf_counter()
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    return (time.perf_counter() - t) * 1000, r.status, body
times, papers = [], 0
for w in words:
    ms, status, body = get("/api/trends?q=" + urllib.parse.quote(w))
    if status != 200:
        sys.exit("trends_bench: /api/trends?q=%s answered %d: %s" % (w, status, body[:200]))
    papers += json.loads(body)["papers"]
    times.append(ms)
times.sort()
pct = lambda p: times[min(len(times) - 1, int(p / 100 * len(times)))]
print("api_trends_p50_ms=%.1f" % pct(50))
print("api_trends_p90_ms=%.1f" % pct(90))
print("api_trends_p99_ms=%.1f" % pct(99))
print("api_trends_max_ms=%.1f" % times[-1])
print("api_trends_mean_papers_in_104_weeks=%.0f" % (papers / len(words)))
ms1, s1, body = get("/trends")
ms2, s2, _ = get("/trends?again=1")
if s1 != 200 or s2 != 200:
    sys.exit("trends_bench: /trends answered %d / %d" % (s1, s2))
print("rising_topics_first_ms=%.1f" % ms1)
print("rising_topics_cached_ms=%.1f" % ms2)
PY
