#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd, Debian's python3-aiosmtpd).

Listens on 127.0.0.1 (PORT, or any free port), prints "PORT <n>" on stdout once it accepts
connections, and writes every accepted message to DIR as msg-<seq>.eml (written to a temporary
name, then renamed, so a reader never sees half a message), with an "X-Envelope-To:" line first.

Faults are driven by DIR/control.json, read at every transaction:
  {"mode": "ok" | "tempfail" | "permfail", "count": N, "delay_s": S}
tempfail answers 451 after DATA, permfail answers 550 to RCPT; "count" limits how many
transactions get the fault (then the file is rewritten with the count left; absent = forever);
delay_s sleeps before accepting DATA (a slow server).

Usage: smtp_sink.py DIR [PORT]
"""
import asyncio
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory):
        self.dir = directory
        self.seq = len([f for f in os.listdir(directory) if f.endswith(".eml")])

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
                return {"mode": "ok", "delay_s": c.get("delay_s", 0)}
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
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
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
        return "250 2.0.0 queued"


async def main():
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(directory, exist_ok=True)
    handler = Sink(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", decode_data=False), "127.0.0.1", port)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
