#!/usr/bin/env bash
# Lighthouse 12 scores (performance, accessibility, best practices, SEO) for the pages a visitor
# meets first, with the desktop and the mobile preset, against the real `paperboy serve` on the
# bundled demo data in a throwaway data dir, driven through Debian's chromium.
#   bench/lighthouse.sh [BUILD_DIR] [PATH...]    (default pages: home, paper, search, trending,
#                                                  a user's profile)
# MIN_SCORE=95 (default) makes the run exit 1 when any score is below it, after printing all.
# Lighthouse itself lives in bench/lighthouse/ (its own package.json and lock, installed here
# with `npm ci` on first use), so the test dependencies stay small.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
shift || true
MIN_SCORE=${MIN_SCORE:-95}
BIN="$BUILD/src/cli/paperboy"
[ -x "$BIN" ] || { echo "lighthouse: $BIN not built" >&2; exit 1; }
CHROME=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$CHROME" ] || { echo "lighthouse: chromium missing (scripts/setup.sh --test)" >&2; exit 1; }
LH=bench/lighthouse/node_modules/.bin/lighthouse
if [ ! -x "$LH" ]; then
  npm ci --prefix bench/lighthouse --no-audit --no-fund >&2
fi

WORK=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$BIN" --data-dir "$WORK/data" serve --port 0 >"$WORK/out.log" 2>"$WORK/err.log" &
PID=$!
for _ in $(seq 3000); do
  grep -q "serving on" "$WORK/out.log" && break
  kill -0 "$PID" 2>/dev/null || { echo "lighthouse: serve exited:" >&2; tail -20 "$WORK/err.log" >&2; exit 1; }
  sleep 0.1
done
BASE=$(grep -o 'http://[^ ]*' "$WORK/out.log" | head -1 | sed 's#/$##')
[ -n "$BASE" ] || { echo "lighthouse: the server did not start" >&2; exit 1; }
PAPER=$(curl -sf "$BASE/api/daily_papers?limit=1" | python3 -c 'import sys, json; print(json.load(sys.stdin)[0]["paper"]["id"])')

PATHS=("$@")
if [ ${#PATHS[@]} -eq 0 ]; then
  PATHS=("/" "/papers/$PAPER" "/search?q=diffusion+models" "/trending")
  # A profile page with something on it: an account that saved the paper to a public collection.
  jar="$WORK/jar"
  curl -sf -c "$jar" -b "$jar" -o "$WORK/signup.html" "$BASE/signup"
  csrf=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/signup.html" | head -1 | sed 's/.*value="//; s/"$//')
  if curl -sf -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
      --data-urlencode "email=reader@example.org" --data-urlencode "name=reader" \
      --data-urlencode "password=correct horse battery staple" "$BASE/signup"; then
    code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/users/reader")
    [ "$code" = 200 ] && PATHS+=("/users/reader")
  fi
fi

echo "server $BASE ($(nproc) cores), lighthouse $("$LH" --version), $("$CHROME" --version 2>/dev/null)"
printf '%-40s %-8s %5s %5s %5s %5s\n' page preset perf a11y bp seo
low=0
for path in "${PATHS[@]}"; do
  for preset in desktop mobile; do
    extra=()
    [ "$preset" = desktop ] && extra=(--preset=desktop)
    out="$WORK/report.json"
    "$LH" "$BASE$path" "${extra[@]}" --chrome-path="$CHROME" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$out" --quiet >/dev/null 2>"$WORK/lh.err" || {
        echo "lighthouse failed on $path ($preset):" >&2; tail -5 "$WORK/lh.err" >&2; low=1; continue; }
    line=$(python3 - "$out" "$MIN_SCORE" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cats = ["performance", "accessibility", "best-practices", "seo"]
scores = [round((r["categories"][c]["score"] or 0) * 100) for c in cats]
low = [c for c, s in zip(cats, scores) if s < int(sys.argv[2])]
fails = []
for c in low:
    for ref in r["categories"][c]["auditRefs"]:
        a = r["audits"][ref["id"]]
        if ref["weight"] and a.get("score") is not None and a["score"] < 0.9:
            fails.append(ref["id"])
print(" ".join("%5d" % s for s in scores) + ("  LOW: " + ",".join(fails) if low else ""))
PY
)
    printf '%-40s %-8s %s\n' "$path" "$preset" "$line"
    case "$line" in *LOW*) low=1 ;; esac
  done
done
if [ "$low" = 1 ]; then
  echo "lighthouse: a score is below $MIN_SCORE (audits under 0.9 listed after LOW)" >&2
  exit 1
fi
