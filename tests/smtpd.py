#!/usr/bin/python3
"""Loopback SMTP server for carebill's tests.

    /usr/bin/python3 tests/smtpd.py --port 0 --dir DIR
        [--reject-rcpt PATTERN:CODE]... [--tempfail-first N]
        [--auth USER:PASSWORD] [--no-pipelining] [--host 127.0.0.1]
        [--delay-data SECONDS]

Binds HOST (127.0.0.1) on PORT (0: a free port chosen by the kernel) and
prints "PORT <n>" as its first line on stdout. Each accepted message is
written as DIR/NNNNN.eml (the bytes received after DATA, CRLF line ends)
and DIR/NNNNN.env (a "PEER host:port" line naming the client's end of the
connection, a "MAIL FROM:<...>" line, then one "RCPT TO:<...>" line per
recipient), numbered from 00001 in order of acceptance; the .env
is written first and the .eml renamed into place, so a complete .eml means
a complete message.

--reject-rcpt PATTERN:CODE   answer RCPT for addresses matching the shell
                             pattern with CODE (5xx: "no such user",
                             4xx: "mailbox busy"); repeatable
--tempfail-first N           answer "451" to the end of DATA for the first
                             N messages (they are not stored)
--auth USER:PASSWORD         advertise AUTH PLAIN LOGIN over plain TCP and
                             refuse MAIL before a successful AUTH
--no-pipelining              do not advertise PIPELINING
--delay-data SECONDS         wait this long before answering the end of
                             DATA (the message is stored first), so a
                             test can interrupt a client mid-batch

Exits when its stdin reaches end of file or on SIGTERM. Runs on Debian's
python3-aiosmtpd; start it with /usr/bin/python3.
"""

import argparse
import asyncio
import fnmatch
import logging
import os
import signal
import socket
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult


class NoDelaySMTP(SMTP):
    """aiosmtpd writes each reply on its own; with Nagle on, the reply to a
    pipelined DATA waits for the client's delayed ACK (40 ms a message)."""

    def connection_made(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def write_file(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class Handler:
    def __init__(self, args):
        self.dir = args.dir
        self.rejects = []
        for spec in args.reject_rcpt:
            pattern, _, code = spec.rpartition(":")
            if not pattern or not code.isdigit() or len(code) != 3 \
                    or code[0] not in "45":
                sys.exit("smtpd.py: --reject-rcpt expects PATTERN:CODE "
                         "with a 4xx or 5xx code, got %r" % spec)
            self.rejects.append((pattern, int(code)))
        self.tempfail_left = args.tempfail_first
        self.pipelining = not args.no_pipelining
        self.delay = args.delay_data
        self.seq = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        for pattern, code in self.rejects:
            if fnmatch.fnmatchcase(address, pattern):
                if code >= 500:
                    return "%d 5.1.1 <%s>: no such user" % (code, address)
                return "%d 4.2.1 <%s>: mailbox busy, try later" % (
                    code, address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.tempfail_left > 0:
                self.tempfail_left -= 1
                return "451 4.3.0 temporary failure, try again later"
            self.seq += 1
            n = self.seq
        base = os.path.join(self.dir, "%05d" % n)
        env = ["PEER %s:%d\n" % tuple(session.peer[:2]),
               "MAIL FROM:<%s>\n" % envelope.mail_from]
        env += ["RCPT TO:<%s>\n" % rcpt for rcpt in envelope.rcpt_tos]
        write_file(base + ".env", "".join(env).encode())
        write_file(base + ".eml.tmp", envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 OK queued as %05d" % n


class BoundController(Controller):
    """A Controller serving on a socket bound before it starts, so port 0
    works and the port is known without a race."""

    def __init__(self, handler, sock, **kwargs):
        self.sock = sock
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, **kwargs)

    def factory(self):
        return NoDelaySMTP(self.handler, **self.SMTP_kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock,
                                       ssl=self.ssl_context)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--reject-rcpt", action="append", default=[])
    ap.add_argument("--tempfail-first", type=int, default=0)
    ap.add_argument("--auth")
    ap.add_argument("--no-pipelining", action="store_true")
    ap.add_argument("--delay-data", type=float, default=0.0)
    args = ap.parse_args()
    warnings.simplefilter("ignore")           # AUTH without TLS is the point
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(args.dir, exist_ok=True)

    kwargs = {"server_hostname": "carebill-test", "enable_SMTPUTF8": False,
              "ident": "carebill test SMTP"}
    if args.auth:
        user, _, password = args.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, data):
            ok = (data.login.decode() == user
                  and data.password.decode() == password)
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=False)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    sock.setblocking(False)
    controller = BoundController(Handler(args), sock, **kwargs)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    controller.start()
    try:
        sys.stdout.write("PORT %d\n" % sock.getsockname()[1])
        sys.stdout.flush()
        while sys.stdin.buffer.read(4096):
            pass
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        controller.stop()


if __name__ == "__main__":
    main()
