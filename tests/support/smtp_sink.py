#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd, Debian's python3-aiosmtpd).

Listens on 127.0.0.1 (PORT, or any free port), prints "PORT <n>" on stdout once it accepts
connections, and writes every accepted message to DIR as msg-<seq>.eml (written to a temporary
name, then renamed, so a reader never sees half a message), with an "X-Envelope-To:" line first.

Faults are driven by DIR/control.json, read at every transaction:
  {"mode": "ok" | "tempfail" | "permfail", "count": N, "delay_s": S, "barrier": B}
tempfail answers 451 after DATA, permfail answers 550 to RCPT; "count" limits how many
transactions get the fault (then the file is rewritten with the count left; absent = forever);
delay_s sleeps before accepting DATA (a slow server); barrier holds every DATA until B distinct
SMTP sessions have sent RCPT (an explicit meeting point for tests that need senders to overlap;
gives up after 60 s so a broken test fails instead of hanging); hold_after: N holds every DATA
once N messages are stored, until the control file changes (a sender stuck mid-batch, to be
killed at a known point; a held message whose client went away is never stored; the file
DIR/holding appears once a message is held).

Options (before DIR):
  --closed         bind the port but do not listen (connections are refused) until SIGUSR1: a
                   server that is down, on a port known before it comes up
  --hang           accept connections and never answer (not even the greeting)
  --tls CERT KEY   smtps: implicit TLS on connect
  --starttls CERT KEY   offer STARTTLS and require it before MAIL
  --auth USER:PASS      require AUTH PLAIN/LOGIN with these credentials (only over TLS)

Every session's facts are appended to DIR/sessions.log as one line: "tls=<0|1> auth=<user or ->"
at each accepted message, so tests can check that TLS and AUTH were really used.

Usage: smtp_sink.py [options] DIR [PORT]
"""
import asyncio
import json
import os
import signal
import socket
import ssl
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, directory):
        self.dir = directory
        self.seq = len([f for f in os.listdir(directory) if f.endswith(".eml")])
        self.seen = set()
        self.seen_changed = asyncio.Event()

    def control(self, consume_for):
        path = os.path.join(self.dir, "control.json")
        try:
            with open(path) as f:
                c = json.load(f)
        except (OSError, ValueError):
            return {"mode": "ok"}
        mode = c.get("mode", "ok")
        if mode == consume_for and "count" in c:
            if c["count"] <= 0:
                return {"mode": "ok", "delay_s": c.get("delay_s", 0), "barrier": c.get("barrier", 0)}
            c["count"] -= 1
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(c, f)
            os.replace(tmp, path)
        return c

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.control("permfail").get("mode") == "permfail":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        self.seen.add(id(session))
        self.seen_changed.set()
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        c = self.control("tempfail")
        barrier = int(c.get("barrier", 0) or 0)
        deadline = time.monotonic() + 60
        while len(self.seen) < barrier and time.monotonic() < deadline:
            self.seen_changed.clear()
            try:
                await asyncio.wait_for(self.seen_changed.wait(), 1)
            except asyncio.TimeoutError:
                pass
        while c.get("hold_after") is not None and self.seq >= int(c["hold_after"]):
            open(os.path.join(self.dir, "holding"), "w").close()  # a test can wait for this
            if server.transport is None or server.transport.is_closing():
                return "421 4.3.0 client went away"
            await asyncio.sleep(0.05)
            c = self.control("tempfail")
        if c.get("delay_s"):
            await asyncio.sleep(float(c["delay_s"]))
        if c.get("mode") == "tempfail":
            return "451 4.3.0 try again later"
        self.seq += 1
        name = os.path.join(self.dir, "msg-%06d.eml" % self.seq)
        data = envelope.original_content if envelope.original_content is not None else envelope.content
        with open(name + ".tmp", "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(data)
        os.replace(name + ".tmp", name)
        transport = server.transport
        tls = 1 if session.ssl or (transport is not None and transport.get_extra_info("ssl_object")) else 0
        user = session.auth_data.login.decode() if getattr(session, "auth_data", None) else "-"
        with open(os.path.join(self.dir, "sessions.log"), "a") as f:
            f.write("tls=%d auth=%s\n" % (tls, user))
        return "250 2.0.0 queued"


def context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


async def main(argv):
    closed = hang = False
    tls = starttls = None
    auth = None
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--closed":
            closed = True
        elif opt == "--hang":
            hang = True
        elif opt == "--tls":
            tls = context(argv.pop(0), argv.pop(0))
        elif opt == "--starttls":
            starttls = context(argv.pop(0), argv.pop(0))
        elif opt == "--auth":
            auth = argv.pop(0).encode().split(b":", 1)
        else:
            sys.exit("unknown option " + opt)
    directory = argv[0]
    port = int(argv[1]) if len(argv) > 1 else 0
    os.makedirs(directory, exist_ok=True)
    handler = Sink(directory)
    loop = asyncio.get_running_loop()

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    if closed:
        # The port is known (and refuses connections) before the server listens.
        print("PORT %d" % port, flush=True)
        opened = asyncio.Event()
        loop.add_signal_handler(signal.SIGUSR1, opened.set)
        await opened.wait()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth is not None and auth_data.login == auth[0] and auth_data.password == auth[1]
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        if hang:
            return asyncio.Protocol()  # accepts and says nothing, ever
        kwargs = {"hostname": "sink.test", "decode_data": False}
        if starttls is not None:
            kwargs.update(tls_context=starttls, require_starttls=True)
        if auth is not None:
            kwargs.update(authenticator=authenticator, auth_required=True,
                          auth_require_tls=starttls is not None or tls is not None)
        return SMTP(handler, **kwargs)

    server = await loop.create_server(factory, sock=sock, ssl=tls)
    # Printed only once the socket listens: a client that read it is never refused.
    print("LISTENING" if closed else "PORT %d" % port, flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
