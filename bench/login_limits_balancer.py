#!/usr/bin/env python3
"""Login limits behind the nginx balancer (issue 13, "Must show"): every request reaches paperboy
from nginx's address, as on a site behind a proxy. Checks that 100 distinct accounts log in from
one client address within a minute (all succeed), that 20 wrong passwords for one account are
slowed down (429 + Retry-After), and that the owner logs in once the documented delay has passed.

  bench/login_limits_balancer.py BUILD_DIR
"""
import json, os, re, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

build = sys.argv[1] if len(sys.argv) > 1 else "build/release"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(build, "paperboy")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def wait_http(port, deadline_s=60):
    end = time.time() + deadline_s
    while time.time() < end:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except Exception:
            time.sleep(0.1)
    sys.exit(f"nothing answers on port {port}")


with tempfile.TemporaryDirectory() as tmp:
    os.chmod(tmp, 0o711)
    env = dict(os.environ, PAPERBOY_DATA_DIR=os.path.join(tmp, "data"), PAPERBOY_COMMUNITY_PASSWORD_HASH="minimum",
               PAPERBOY_COMMUNITY_SIGNUPS_PER_HOUR="1000", PAPERBOY_SERVER_LOAD_DEMO_DATA="false")
    app_port, lb_port = free_port(), free_port()
    serve = subprocess.Popen([binary, "serve", "--port", str(app_port)], env=env, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(tmp, "serve.log"), "w"))
    lb = subprocess.Popen([os.path.join(root, "scripts/balancer.sh"), os.path.join(tmp, "lb"), str(lb_port),
                           str(app_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(app_port)
        wait_http(lb_port)
        pw = "correct horse battery"
        for i in range(101):
            st, _, body = post(lb_port, "/api/auth/signup", {"email": f"u{i}@example.org", "password": pw})
            assert st == 201, (i, st, body)
        t0 = time.time()
        ok = sum(post(lb_port, "/api/auth/token", {"email": f"u{i}@example.org", "password": pw})[0] == 200
                 for i in range(100))
        print(f"100 accounts from one address (nginx): {ok} logged in, {time.time() - t0:.1f} s")
        statuses, retry = [], None
        for _ in range(20):
            st, h, _ = post(lb_port, "/api/auth/token", {"email": "u100@example.org", "password": "wrong password!"})
            statuses.append(st)
            retry = h.get("Retry-After", retry)
        print(f"20 wrong passwords for one account: {statuses.count(401)} checked (401), "
              f"{statuses.count(429)} slowed down (429), Retry-After {retry} s")
        time.sleep(int(retry))
        t1 = time.time()
        while True:
            st, _, _ = post(lb_port, "/api/auth/token", {"email": "u100@example.org", "password": pw})
            if st != 429 or time.time() - t1 > 5:
                break
            time.sleep(0.1)
        print(f"owner after the documented delay: {st}")
        sys.exit(0 if ok == 100 and statuses.count(429) == 15 and st == 200 else 1)
    finally:
        lb.terminate()
        serve.terminate()
        lb.wait()
        serve.wait()
