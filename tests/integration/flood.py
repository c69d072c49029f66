#!/usr/bin/env python3
"""Clients that try to keep a server busy, and the probes that measure
whether others still get through.  Everything stays on loopback.

  flood.py flood PORT N SECONDS [SOURCE]
      N idle TCP connections from SOURCE (127.0.0.1), each opened again
      as soon as the server drops it, for SECONDS; prints
      "opened=K dropped=D".
  flood.py probe PORT SECONDS SOURCE [gemini|gopher]
      a request every 0.1 s from SOURCE for SECONDS (Gemini over TLS,
      or Gopher); prints "probes=N served=S p50_ms=.. p99_ms=.. max_ms=..".
  flood.py cap PORT N SOURCE
      N idle connections from SOURCE at once; prints "closed=C" for the
      number the server closed within a second.
  flood.py hold PORT PER ADDRS SECONDS
      PER idle connections from each of ADDRS addresses 127.0.2.1 ...,
      held for SECONDS; prints "held=H".
"""
import resource
import selectors
import socket
import ssl
import sys
import time


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def nb_connect(port, source):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.bind((source, 0))
    s.connect_ex(("127.0.0.1", port))
    return s


def flood(port, n, seconds, source="127.0.0.1"):
    raise_fd_limit(n + 64)
    sel = selectors.DefaultSelector()
    opened = dropped = 0
    end = time.monotonic() + seconds

    def one():
        nonlocal opened
        try:
            s = nb_connect(port, source)
        except OSError:
            return False
        sel.register(s, selectors.EVENT_READ)
        opened += 1
        return True

    live = 0
    while live < n and one():
        live += 1
    while time.monotonic() < end:
        for key, _ in sel.select(0.2):
            s = key.fileobj
            try:
                gone = s.recv(4096) == b""
            except BlockingIOError:
                gone = False
            except OSError:
                gone = True
            if gone:
                sel.unregister(s)
                s.close()
                dropped += 1
                live -= 1
        while live < n and time.monotonic() < end and one():
            live += 1
    print("opened=%d dropped=%d" % (opened, dropped))


def read_all(s):
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            return data
        data += d


def gemini_once(port, source, ctx):
    s = socket.create_connection(("127.0.0.1", port), 10, (source, 0))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = ctx.wrap_socket(s, server_hostname="localhost")
    t.sendall(b"gemini://localhost:%d/\r\n" % port)
    data = read_all(t)
    t.close()
    return data.startswith(b"20 ")


def gopher_once(port, source, ctx):
    s = socket.create_connection(("127.0.0.1", port), 10, (source, 0))
    s.sendall(b"\r\n")
    data = read_all(s)
    s.close()
    return data.endswith(b".\r\n") and not data.startswith(b"3")


def probe(port, seconds, source, proto="gemini"):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    once = gemini_once if proto == "gemini" else gopher_once
    times, served = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            ok = once(port, source, ctx)
        except OSError:
            ok = False
        ms = (time.monotonic() - t0) * 1000
        times.append(ms)
        served += ok
        time.sleep(max(0.0, 0.1 - ms / 1000))
    times.sort()
    n = len(times)
    print("probes=%d served=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f" % (
        n, served, times[n // 2], times[min(n - 1, (n * 99) // 100)],
        times[-1]))


def hold(port, per, addrs, seconds):
    raise_fd_limit(per * addrs + 64)
    socks = []
    for a in range(addrs):
        for _ in range(per):
            socks.append(socket.create_connection(
                ("127.0.0.1", port), 5, ("127.0.2.%d" % (a + 1), 0)))
    print("held=%d" % len(socks), flush=True)
    time.sleep(seconds)
    for s in socks:
        s.close()


def cap(port, n, source):
    raise_fd_limit(n + 64)
    socks = [socket.create_connection(("127.0.0.1", port), 5, (source, 0))
             for _ in range(n)]
    time.sleep(1)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print("closed=%d" % closed)
    for s in socks:
        s.close()


def main():
    a = sys.argv[1:]
    if a[0] == "flood":
        flood(int(a[1]), int(a[2]), float(a[3]), *a[4:5])
    elif a[0] == "probe":
        probe(int(a[1]), float(a[2]), a[3], *a[4:5])
    elif a[0] == "cap":
        cap(int(a[1]), int(a[2]), a[3])
    elif a[0] == "hold":
        hold(int(a[1]), int(a[2]), int(a[3]), float(a[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
