#!/usr/bin/env bash
# Vote load on a real `paperboy serve` (loopback, bundled demo data, a fresh database):
#   bench/vote_load.sh [BUILD_DIR] [VOTERS] [SECONDS]     (defaults: build/release 200 30)
# The server hashes passwords with community.password_hash=minimum so sign-up of the voters is
# quick; everything else is the production path. Exits non-zero on any error or count mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
VOTERS=${2:-200}
SECONDS_=${3:-30}
DATA=$(mktemp -d)
LOG="$DATA/serve.log"
# Votes need no paper vectors: semantic training is skipped (it is slow in sanitizer builds).
PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum PAPERBOY_COMMUNITY_LOGIN_ATTEMPTS=100000 PAPERBOY_COMMUNITY_SIGNUPS_PER_HOUR=100000 PAPERBOY_SEARCH_MIN_TRAIN_DOCS=1000000000 \
  "$BUILD/src/cli/paperboy" --data-dir "$DATA" serve --port 0 --threads $((VOTERS + 16)) >"$LOG" 2>"$DATA/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
# Up to START_TIMEOUT_S (default 5 minutes: a sanitizer build indexes the demo data slowly on a
# busy machine); ctest sets it below its own timeout so a slow start fails here, with the log.
START_TIMEOUT_S=${START_TIMEOUT_S:-300}
for _ in $(seq $((START_TIMEOUT_S * 10))); do
  grep -q "serving on" "$LOG" && break
  kill -0 $PID 2>/dev/null || break
  sleep 0.1
done
PORT=$(sed -n 's#.*:\([0-9]*\)/$#\1#p' "$LOG" | head -1)
[ -n "$PORT" ] || { echo "vote_load: server did not start within ${START_TIMEOUT_S}s"; cat "$DATA/serve.err"; exit 1; }
"$BUILD/bench/vote_load" 127.0.0.1 "$PORT" "$VOTERS" "$SECONDS_"
