#!/usr/bin/env bash
# Runs Debian's nginx on loopback as a round-robin load balancer in front of several `paperboy
# serve` instances, entirely inside DIR (config, pid, logs, temp paths), in the foreground:
#   scripts/balancer.sh DIR LISTEN_PORT UPSTREAM_PORT...
# Used by the scale-out test (tests/scale/) and benchmark (bench/scale_bench.sh). A response
# carries X-Upstream (which instance answered). An instance that refuses connections is skipped
# for 2 s (max_fails/fail_timeout) and the request retried on the next one. BALANCER_KEEPALIVE
# (default 0: a new upstream connection per request): idle connections each nginx worker keeps
# open to the instances. The server gives each open connection one of its server.threads until
# the connection closes, so idle upstream connections starve it: on the 2-core bench machine
# keepalive 16 cut throughput behind nginx by two thirds (bench/scale_bench.sh).
set -euo pipefail
DIR=$1
PORT=$2
shift 2
[ $# -ge 1 ] || { echo "usage: balancer.sh DIR LISTEN_PORT UPSTREAM_PORT..." >&2; exit 2; }
NGINX=${NGINX:-/usr/sbin/nginx}
[ -x "$NGINX" ] || { echo "balancer: $NGINX missing (scripts/setup.sh installs nginx-light)" >&2; exit 1; }
mkdir -p "$DIR"
# Workers run as nobody when started by root: they must reach their temp folders inside DIR.
chmod 0711 "$DIR"
USER_LINE=""
if [ "$(id -u)" = 0 ]; then USER_LINE="user nobody nogroup;"; fi
KEEPALIVE=${BALANCER_KEEPALIVE:-0}
SERVERS=""
for p in "$@"; do SERVERS+="    server 127.0.0.1:$p max_fails=1 fail_timeout=2s;"$'\n'; done
cat >"$DIR/nginx.conf" <<CONF
daemon off;
$USER_LINE
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $DIR/body;
  proxy_temp_path $DIR/proxy;
  fastcgi_temp_path $DIR/fastcgi;
  uwsgi_temp_path $DIR/uwsgi;
  scgi_temp_path $DIR/scgi;
  upstream paperboy {
$SERVERS$([ "$KEEPALIVE" -gt 0 ] && echo "    keepalive $KEEPALIVE;")
  }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://paperboy;
      proxy_http_version 1.1;
      proxy_set_header Connection $([ "$KEEPALIVE" -gt 0 ] && echo '""' || echo close);
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_next_upstream error timeout;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
CONF
exec "$NGINX" -p "$DIR" -e "$DIR/error.log" -c "$DIR/nginx.conf"
