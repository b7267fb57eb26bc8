#!/usr/bin/env bash
# Hostile-client benchmark (issue 13, "must show"): the real `paperboy serve` on loopback with the
# bundled demo data. While 1,000 idle connections and 100 slowloris connections (a header line a
# second) are held open, /healthz and a cached listing are timed (p50/p99 over 1,000 requests
# each on a keep-alive connection, and 300 each on fresh connections) and the server's RSS is
# compared with its idle RSS. Then a 100 MB body is sent in each framing (Content-Length, chunked)
# and the time until the 413 arrives and the RSS growth are measured.
#   bench/hostile_bench.sh [BUILD_DIR]
# The connections all come from 127.0.0.1, so the per-address cap is raised for the run, and the
# idle and read deadlines are raised to 120 s so the held connections really stay open while timed
# (with the defaults the server would close them after 5 and 10 s).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DATA=$(mktemp -d)
LOG=$(mktemp)
ulimit -n "$(ulimit -Hn)"
PAPERBOY_SERVER_MAX_CONNECTIONS_PER_ADDRESS=5000 PAPERBOY_SERVER_IDLE_TIMEOUT_MS=120000 \
  PAPERBOY_SERVER_READ_TIMEOUT_MS=120000 \
  "$BUILD/src/cli/paperboy" --data-dir "$DATA" serve --port 0 >"$LOG" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA" "$LOG"' EXIT
for _ in $(seq 300); do grep -q "serving on" "$LOG" && break; sleep 0.1; done
PORT=$(grep -o 'http://[^ ]*' "$LOG" | sed -E 's#.*:([0-9]+)/?$#\1#')
echo "server pid $PID port $PORT, $(nproc) cores"
python3 - "$PID" "$PORT" <<'PY'
import http.client, socket, sys, threading, time

pid, port = int(sys.argv[1]), int(sys.argv[2])

def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def timed(path, n, fresh):
    out = []
    conn = None
    for _ in range(n):
        t = time.perf_counter()
        if fresh or conn is None:
            if conn: conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        r = conn.getresponse(); r.read()
        assert r.status == 200, (path, r.status)
        out.append((time.perf_counter() - t) * 1000)
    conn.close()
    out.sort()
    return out[len(out) // 2], out[int(len(out) * 0.99) - 1]

def report(label):
    for path in ("/healthz", "/"):
        for fresh in (False, True):
            p50, p99 = timed(path, 300 if fresh else 1000, fresh)
            print(f"  {label}: GET {path:9} {'fresh conn' if fresh else 'keep-alive'}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

for path in ("/", "/healthz"):
    timed(path, 50, False)  # warm the cache (the listing is then served from memory)
idle_rss = rss_mib()
print(f"idle RSS {idle_rss:.1f} MiB")
report("no attack")

idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(1000)]
slow = []
for _ in range(100):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    slow.append(s)
stop = threading.Event()
def drip():
    i = 0
    while not stop.wait(1.0):
        for s in slow:
            s.sendall(f"X-Slow-{i}: 1\r\n".encode())
        i += 1
dripper = threading.Thread(target=drip); dripper.start()
time.sleep(1.0)
print(f"holding {len(idle)} idle + {len(slow)} slowloris connections; RSS {rss_mib():.1f} MiB")
report("under attack")
held_rss = rss_mib()
print(f"RSS while held {held_rss:.1f} MiB = {held_rss / idle_rss:.2f}x idle")
stop.set(); dripper.join()
for s in idle + slow: s.close()
time.sleep(0.5)

def big_body(chunked):
    before = rss_mib()
    s = socket.create_connection(("127.0.0.1", port))
    head = "POST /api/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
    done = threading.Event()
    def send():
        block = b"x" * 65536
        chunk = (b"10000\r\n" + block + b"\r\n") if chunked else block
        try:
            for _ in range(1600):  # 100 MiB
                if done.is_set(): break
                s.sendall(chunk)
        except OSError:
            pass
    t0 = time.perf_counter()
    s.sendall(head.encode())
    sender = threading.Thread(target=send); sender.start()
    reply = s.recv(4096)
    ms = (time.perf_counter() - t0) * 1000
    done.set(); sender.join(); s.close()
    after = rss_mib()
    status = reply.split(b" ")[1].decode() if reply else "none"
    print(f"100 MB body, {'chunked' if chunked else 'Content-Length'}: {status} after {ms:.1f} ms, RSS growth {after - before:+.1f} MiB")

big_body(False)
big_body(True)
PY
