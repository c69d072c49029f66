#!/usr/bin/env python3
"""Time Gemini requests of a TLS client that leaves Nagle's algorithm on.

usage: tls_nagle.py PORT TRIES [--nodelay] [--tls1.2] [--before]
                     [--path PATH]

Each try connects to 127.0.0.1:PORT, does the handshake (Python's ssl,
as a browser written in Python would), with --before sees whether the
server sends anything before the request (TLS 1.3's session ticket, whose segment
acks the client's Finished: one held back for the response leaves a
client with Nagle on waiting for a delayed ack before its request goes
out), sends the request and reads the response to its end.  Prints:

    median_ms=M total_median_ms=T tries=N before_request=B status=20

where M is the median time from the end of the handshake to the last
byte of the response (what a delayed ack stretches), T the median of the
whole try (connect to last byte), B the tries in which the server wrote
before the request (within 10 s).  Exits 1 when a response is not 20.
"""
import select
import socket
import ssl
import statistics
import sys
import time


def one(port, ctx, nodelay, path, wait):
    t0 = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if nodelay:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = ctx.wrap_socket(s, server_hostname="localhost")
    t1 = time.perf_counter()
    before = wait and bool(select.select([t], [], [], 10)[0])
    t.sendall(b"gemini://localhost:%d%s\r\n" % (port, path.encode()))
    data = b""
    while True:
        d = t.recv(65536)
        if not d:
            break
        data += d
    t2 = time.perf_counter()
    t.close()
    return (t2 - t1) * 1000, (t2 - t0) * 1000, data[:2], before


def main():
    args = sys.argv[1:]
    port, tries = int(args[0]), int(args[1])
    nodelay = "--nodelay" in args
    path = args[args.index("--path") + 1] if "--path" in args else "/"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    v = ssl.TLSVersion.TLSv1_2 if "--tls1.2" in args else \
        ssl.TLSVersion.TLSv1_3
    ctx.minimum_version = ctx.maximum_version = v
    req, total, status, before = [], [], b"20", 0
    for _ in range(tries):
        r, a, st, b = one(port, ctx, nodelay, path, "--before" in args)
        req.append(r)
        total.append(a)
        before += b
        if st != b"20":
            status = st
    print("median_ms=%.2f total_median_ms=%.2f tries=%d before_request=%d "
          "status=%s" % (statistics.median(req), statistics.median(total),
                         tries, before, status.decode(errors="replace")))
    return 0 if status == b"20" else 1


if __name__ == "__main__":
    sys.exit(main())
