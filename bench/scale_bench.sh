#!/usr/bin/env bash
# Scale-out benchmark: the web benchmark of bench/web_bench.sh (wrk on loopback: the listing page
# and search with rotating title queries) against, in one run on one data set,
#   1. one `paperboy serve` on SQLite,
#   2. one on PostgreSQL (the same papers, copied with `paperboy migrate`),
#   3. two on that PostgreSQL behind nginx (scripts/balancer.sh, round robin), both started fresh,
# printing requests/s and p99 latency of each and the ratios to the SQLite figure. Each setup is
# timed once its instances log that their in-memory ranking index is built. Any non-2xx reply or
# socket error fails the run (exit 1).
#   bench/scale_bench.sh [BUILD_DIR] [PAPERS] [DURATION_S] [CONNECTIONS]
# PAPERS: how many papers of ../shared/corpus/arxiv-cs-141k.jsonl.zst to load (default 20000);
# without the corpus, the bundled demo data. Starts its own throwaway PostgreSQL 15 (fsync off, as
# the tests) in a temporary folder; needs wrk and nginx (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
PAPERS=${2:-20000}
DURATION=${3:-10}
CONNS=${4:-64}
THREADS=${THREADS:-8}
PB="$BUILD/src/cli/paperboy"
PGBIN=${PAPERBOY_PG_BINDIR:-/usr/lib/postgresql/15/bin}
CORPUS=${PAPERBOY_CORPUS:-../shared/corpus/arxiv-cs-141k.jsonl.zst}
[ -f "$CORPUS" ] || CORPUS=/work/shared/corpus/arxiv-cs-141k.jsonl.zst
for tool in wrk curl zstd; do command -v $tool >/dev/null || { echo "scale_bench: $tool missing (scripts/setup.sh)"; exit 1; }; done
[ -x "$PGBIN/postgres" ] || { echo "scale_bench: PostgreSQL 15 missing (scripts/setup.sh)"; exit 1; }

W=$(mktemp -d /tmp/paperboy-scale.XXXXXX)
chmod 0711 "$W"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- data: a slice of the corpus (or the demo data) into SQLite, then the same into PostgreSQL.
if [ -f "$CORPUS" ]; then
  # zstd stops on SIGPIPE once head has its lines: not an error.
  { zstd -dc "$CORPUS" 2>/dev/null || true; } | head -n "$PAPERS" >"$W/papers.jsonl"
else
  echo "scale_bench: corpus not found; using the bundled demo data"
  zstd -dc data/demo-papers.jsonl.zst >"$W/papers.jsonl"
fi
echo "loading $(wc -l <"$W/papers.jsonl") papers into SQLite ..."
"$PB" --data-dir "$W/sqlite" ingest "$W/papers.jsonl" >/dev/null

# PostgreSQL refuses to run as root: run it as nobody then (setpriv, as the tests do).
AS_PG=()
if [ "$(id -u)" = 0 ]; then AS_PG=(setpriv --reuid=nobody --regid=nogroup --clear-groups --); fi
mkdir -p "$W/pg"
if [ "$(id -u)" = 0 ]; then chown nobody "$W/pg"; fi
PGPORT=$(free_port)
(cd "$W" && "${AS_PG[@]}" "$PGBIN/initdb" -D "$W/pg/data" -U paperboy --auth=trust --no-sync --no-locale -E UTF8 \
  >"$W/pg.log" 2>&1)
(cd "$W" && exec "${AS_PG[@]}" "$PGBIN/postgres" -D "$W/pg/data" -p "$PGPORT" -k "$W/pg" \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200 >>"$W/pg.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 100); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.1; done
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U paperboy -d postgres -c "CREATE DATABASE paperboy" >/dev/null
PGURL="postgresql://paperboy@127.0.0.1:$PGPORT/paperboy"
echo "copying into PostgreSQL with paperboy migrate ..."
"$PB" migrate --from "sqlite:$W/sqlite/paperboy.db" --to "$PGURL" | grep -E "^papers|^checksum|verified"
# Each instance keeps its own search indexes; build them before timing.
"$PB" --data-dir "$W/sqlite" reindex >/dev/null
"$PB" --data-dir "$W/pg1" --database "$PGURL" reindex >/dev/null
cp -r "$W/pg1" "$W/pg1-cold"

# Rotating search queries, as web_bench.sh builds them: two or three title words.
python3 -c '
import json, re, sys, urllib.parse
lines = open(sys.argv[1]).read().splitlines()
step = max(1, len(lines) // 1000)
for line in lines[::step][:1000]:
    words = re.findall(r"[A-Za-z][A-Za-z-]{3,}", json.loads(line)["title"])
    if len(words) >= 2:
        print(urllib.parse.quote_plus(" ".join(words[:3])))
' "$W/papers.jsonl" >"$W/queries"

SERVES=()
start_serve() {  # NAME ARGS... ; sets PORT (not in a subshell: the pid lists must see the process)
  local name=$1
  shift
  PAPERBOY_SERVER_LOAD_DEMO_DATA=false PAPERBOY_LOG_LEVEL=info "$PB" "$@" serve --port 0 --threads "$THREADS" \
    >"$W/$name.out" 2>"$W/$name.err" &
  PIDS+=($!)
  SERVES+=($!)
  for _ in $(seq 600); do grep -q "serving on" "$W/$name.out" && break; sleep 0.1; done
  PORT=$(sed -n 's#.*127.0.0.1:\([0-9]*\)/.*#\1#p' "$W/$name.out" | head -1)
  [ -n "$PORT" ] || { echo "scale_bench: $name did not start:"; cat "$W/$name.err"; exit 1; }
}
wait_search_ready() {  # NAME: the in-memory ranking index builds in the background after start; the server logs it
  for _ in $(seq 6000); do
    grep -q "in-memory ranking index over" "$W/$1.err" && return
    sleep 0.1
  done
  echo "scale_bench: $1 did not build its ranking index within 10 minutes:" >&2
  tail -20 "$W/$1.err" >&2
  exit 1
}
# wrk on BASE PATH [LUA]: prints "REQ_PER_S P99_MS"
measure() {
  local out
  if [ $# -ge 3 ]; then
    out=$(WRK_QUERIES="$W/queries" wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$3" "$1" -- "$2")
  else
    curl -s -o /dev/null "$1$2"
    out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$1$2")
  fi
  if echo "$out" | grep -qE "Non-2xx|Socket errors"; then
    echo "scale_bench: FAILED requests on $2: $(echo "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ')" >&2
    echo 1 >"$W/failed"
  fi
  python3 -c '
import re, sys
t = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", t).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
print(f"{rps:.0f} {p99:.2f}")' <<<"$out"
}

declare -A RPS P99
run_setup() {  # LABEL BASE (the instances' readiness already waited for)
  read -r RPS["$1/list"] P99["$1/list"] < <(measure "$2" "/")
  read -r RPS["$1/search"] P99["$1/search"] < <(measure "$2" "/search?q=" bench/web_search.lua)
  echo "  $1: listing ${RPS[$1/list]} req/s (p99 ${P99[$1/list]} ms), search ${RPS[$1/search]} req/s (p99 ${P99[$1/search]} ms)"
}
stop_all_serves() {
  for p in "${SERVES[@]}"; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  SERVES=()
}

echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${DURATION}s per URL, $CONNS connections, $THREADS threads per instance"
start_serve sqlite --data-dir "$W/sqlite"
wait_search_ready sqlite
run_setup sqlite "http://127.0.0.1:$PORT"
stop_all_serves
start_serve pg1 --data-dir "$W/pg1" --database "$PGURL"
wait_search_ready pg1
run_setup pg "http://127.0.0.1:$PORT"
# The two-instance run starts both instances fresh (the same cold caches as the single ones).
stop_all_serves
cp -r "$W/pg1-cold" "$W/pg1b"
cp -r "$W/pg1-cold" "$W/pg2"
start_serve pg1b --data-dir "$W/pg1b" --database "$PGURL"
P1=$PORT
start_serve pg2 --data-dir "$W/pg2" --database "$PGURL"
LB=$(free_port)
scripts/balancer.sh "$W/nginx" "$LB" "$P1" "$PORT" >"$W/nginx.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$LB/healthz" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$LB/healthz" || { echo "scale_bench: nginx did not start:" >&2; cat "$W/nginx.out" >&2; exit 1; }
wait_search_ready pg1b
wait_search_ready pg2
run_setup pg2x "http://127.0.0.1:$LB"

echo
printf "%-34s %12s %10s %12s %10s\n" "setup" "list req/s" "p99 ms" "search req/s" "p99 ms"
for s in sqlite pg pg2x; do
  case $s in
    sqlite) label="1 instance, SQLite" ;;
    pg) label="1 instance, PostgreSQL" ;;
    pg2x) label="2 instances, PostgreSQL, nginx" ;;
  esac
  printf "%-34s %12s %10s %12s %10s\n" "$label" "${RPS[$s/list]}" "${P99[$s/list]}" "${RPS[$s/search]}" "${P99[$s/search]}"
done
python3 -c '
import sys
v = list(map(float, sys.argv[1:]))
sl, ss, pl, ps, xl, xs = v
print(f"ratios: PostgreSQL/SQLite listing {pl/sl:.2f}, search {ps/ss:.2f}; "
      f"2x PostgreSQL/1x PostgreSQL listing {xl/pl:.2f}, search {xs/ps:.2f}; "
      f"2x PostgreSQL/SQLite listing {xl/sl:.2f}, search {xs/ss:.2f}")
' "${RPS[sqlite/list]}" "${RPS[sqlite/search]}" "${RPS[pg/list]}" "${RPS[pg/search]}" "${RPS[pg2x/list]}" "${RPS[pg2x/search]}"
if [ -f "$W/failed" ]; then
  echo "scale_bench: some requests failed (non-2xx or socket errors): the figures above do not count" >&2
  exit 1
fi
