#!/usr/bin/env bash
# Installs a Paperboy .deb on this machine and checks it as an administrator would, then removes
# and purges it: the files are where Debian puts them, the unit passes `systemd-analyze verify`,
# no build or source path is compiled in, `paperboy serve` run as the `paperboy` user with the
# config from /etc loads the demo into /var/lib/paperboy and serves a paper page whose KaTeX
# assets answer 200; `apt-get remove` keeps the data and the conffile, `purge` deletes them.
# Needs root; changes the system (installs, then purges the package). Not part of scripts/test.sh.
#   scripts/package_check.sh ../paperboy_0.1.0_amd64.deb [PORT] [CHECKOUT_IT_WAS_BUILT_IN]
set -euo pipefail
deb=$(realpath "$1")
port=${2:-18191}
checkout=${3:-$(cd "$(dirname "$0")/.." && pwd)}
[ "$(id -u)" = 0 ] || { echo "package_check: run as root" >&2; exit 2; }
step() { echo "== $*"; }
fail() { echo "package_check: FAILED: $*" >&2; exit 1; }

step "apt-get install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >/dev/null
dpkg-query -W -f='${Package} ${Version} ${Status}\n' paperboy

step "files"
for f in /usr/bin/paperboy /etc/paperboy/paperboy.toml /lib/systemd/system/paperboy.service \
         /usr/share/man/man1/paperboy.1.gz /usr/share/doc/paperboy/copyright \
         /usr/share/paperboy/demo-papers.jsonl.zst /usr/share/paperboy/katex/katex.min.js; do
  [ -e "$f" ] || fail "$f is missing"
  echo "  $f"
done
dpkg-query -W -f='${Conffiles}\n' paperboy | grep -q "/etc/paperboy/paperboy.toml" || fail "paperboy.toml is not a conffile"
getent passwd paperboy >/dev/null || fail "no paperboy user"
echo "  user: $(getent passwd paperboy)"
echo "  /var/lib/paperboy: $(stat -c '%U:%G %a' /var/lib/paperboy)"
echo "  /etc/paperboy/paperboy.toml: $(stat -c '%U:%G %a' /etc/paperboy/paperboy.toml)"
if strings /usr/bin/paperboy | grep -F -q "$checkout"; then fail "the binary holds the checkout path $checkout"; fi
echo "  no path of the checkout ($checkout) in /usr/bin/paperboy"

step "systemd-analyze verify"
systemd-analyze verify /lib/systemd/system/paperboy.service && echo "  (no output: the unit is sound)"

step "serve as paperboy with /etc/paperboy/paperboy.toml (port $port)"
[ ! -e /var/lib/paperboy/paperboy.db ] || fail "/var/lib/paperboy already holds a database"
log=$(mktemp)
# setpriv execs the server itself (runuser would stay as its parent), so SIGTERM reaches it.
(cd /var/lib/paperboy && exec setpriv --reuid=paperboy --regid=paperboy --init-groups --reset-env \
   /usr/bin/paperboy --config /etc/paperboy/paperboy.toml serve --port "$port") >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 600); do
  grep -q "serving on" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "serve exited"; }
  sleep 0.2
done
grep -q "serving on" "$log" || { cat "$log"; fail "serve did not start within 120 s"; }
grep -E "serving on|demo" "$log" | sed 's/^/  /'
base="http://127.0.0.1:$port"
paper=$(curl -fsS "$base/" | grep -o 'href="/papers/[0-9][0-9.]*[0-9]"' | head -1 | cut -d'"' -f2)
[ -n "$paper" ] || fail "the home page lists no paper"
code=$(curl -s -o /tmp/paperboy-page.html -w '%{http_code}' "$base$paper")
echo "  GET $paper -> $code"
[ "$code" = 200 ] || fail "paper page answered $code"
assets=$(grep -o 'data-katex-[a-z]*="[^"]*"' /tmp/paperboy-page.html | cut -d'"' -f2)
[ -n "$assets" ] || fail "the paper page names no KaTeX assets"
css=$(echo "$assets" | grep 'katex.min.css$')
font=$(curl -fsS "$base$css" | grep -o 'fonts/KaTeX_Main-Regular.woff2' | head -1)
for a in $assets "${css%katex.min.css}$font"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$a")
  echo "  GET $a -> $code"
  [ "$code" = 200 ] || fail "$a answered $code"
done
echo "  /var/lib/paperboy: $(ls /var/lib/paperboy | tr '\n' ' ')(owner $(stat -c %U /var/lib/paperboy/paperboy.db))"
kill -TERM "$pid"
wait "$pid" && echo "  SIGTERM: exit 0" || fail "serve exited $? on SIGTERM"
trap - EXIT

step "apt-get remove: the data and the conffile stay"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q paperboy >/dev/null
[ ! -e /usr/bin/paperboy ] || fail "/usr/bin/paperboy is still there"
[ -e /var/lib/paperboy/paperboy.db ] || fail "remove deleted the database"
[ -e /etc/paperboy/paperboy.toml ] || fail "remove deleted the conffile"
echo "  /usr/bin/paperboy gone; /var/lib/paperboy/paperboy.db and /etc/paperboy/paperboy.toml kept"

step "apt-get purge: the data and the conffile go"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q paperboy >/dev/null
[ ! -e /var/lib/paperboy ] || fail "purge left /var/lib/paperboy"
[ ! -e /etc/paperboy ] || fail "purge left /etc/paperboy"
echo "  /var/lib/paperboy and /etc/paperboy gone"
echo "package check passed"
