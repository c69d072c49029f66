#!/usr/bin/env python3
"""A client that speaks as a balancer would: a PROXY protocol header
(haproxy's send-proxy or send-proxy-v2) naming a client, then Gemini
over TLS or Gopher.  Everything stays on loopback.

  proxy_client.py gopher PORT HEADER SELECTOR [SOURCE]
      the header, then SELECTOR and CRLF; prints the reply.
  proxy_client.py gemini PORT HEADER URL [SOURCE]
      the header, then TLS (SNI localhost, no verification) and URL;
      prints the response header line.
  proxy_client.py raw PORT HEADER [DELAY] [SOURCE]
      waits DELAY seconds (0), sends the header alone, then half-closes
      and reads: prints "closed after N bytes" or "open after N bytes"
      (nothing came back and the server did not close within 3 s).
  proxy_client.py hold PORT HEADER N SECONDS [SOURCE]
      N connections each sending the header, held for SECONDS: prints
      "closed=C" for those the server closed.
  proxy_client.py resume PORT1 PORT2 [HOST [tls1.2]]
      a TLS session made on PORT1, resumed on PORT2 (a ticket; HOST is
      the SNI, localhost by default; TLS 1.3 unless tls1.2): prints
      "reused=True|False" and the two status lines.

PORT may be ADDR:PORT, an address other than 127.0.0.1.
HEADER is none, v1:ADDR (PROXY TCP4/TCP6 naming ADDR, port 40000),
v2:ADDR (the binary form), v2-local (a LOCAL command, as health checks
send), or hex:BYTES (sent as given).
"""
import socket
import ssl
import sys
import time

V2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"
TARGET = "127.0.0.1"


def header(spec):
    if spec == "none":
        return b""
    if spec == "v2-local":
        return V2_SIG + b"\x20\x00\x00\x00"
    if spec.startswith("hex:"):
        return bytes.fromhex(spec[4:])
    kind, addr = spec.split(":", 1)
    six = ":" in addr
    dst = "::1" if six else "127.0.0.1"
    if kind == "v1":
        return ("PROXY TCP%s %s %s 40000 1965\r\n" %
                ("6" if six else "4", addr, dst)).encode()
    fam = socket.AF_INET6 if six else socket.AF_INET
    block = (socket.inet_pton(fam, addr) + socket.inet_pton(fam, dst) +
             (40000).to_bytes(2, "big") + (1965).to_bytes(2, "big"))
    return (V2_SIG + b"\x21" + (b"\x21" if six else b"\x11") +
            len(block).to_bytes(2, "big") + block)


def connect(port, source):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10)
    s.bind((source, 0))
    s.connect((TARGET, port))
    return s


def read_all(s):
    data = b""
    while True:
        try:
            b = s.recv(65536)
        except (ConnectionResetError, ssl.SSLError):
            break
        if not b:
            break
        data += b
    return data


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def gemini_request(ctx, port, hdr, url, source, host="localhost",
                   session=None):
    s = connect(port, source)
    s.sendall(hdr)
    t = ctx.wrap_socket(s, server_hostname=host, session=session)
    t.sendall(url.encode() + b"\r\n")
    data = read_all(t)
    line = data.split(b"\r\n", 1)[0].decode(errors="replace")
    sess, reused = t.session, t.session_reused
    t.close()
    return line, sess, reused


def cmd_gopher(port, spec, selector, source="127.0.0.1"):
    s = connect(port, source)
    s.sendall(header(spec) + selector.encode() + b"\r\n")
    sys.stdout.write(read_all(s).decode(errors="replace"))


def cmd_gemini(port, spec, url, source="127.0.0.1"):
    try:
        line = gemini_request(tls_context(), port, header(spec), url,
                              source)[0]
    except (OSError, ssl.SSLError) as e:
        line = "error: %s" % e.__class__.__name__
    print(line)


def cmd_raw(port, spec, delay="0", source="127.0.0.1"):
    s = connect(port, source)
    time.sleep(float(delay))
    n = 0
    try:
        s.sendall(header(spec))
        s.shutdown(socket.SHUT_WR)
        s.settimeout(3)
        while True:
            b = s.recv(4096)
            if not b:
                break
            n += len(b)
    except socket.timeout:
        print("open after %d bytes" % n)
        return
    except OSError:
        pass
    print("closed after %d bytes" % n)


def cmd_hold(port, spec, n, seconds, source="127.0.0.1"):
    socks = []
    for _ in range(int(n)):
        s = connect(port, source)
        s.sendall(header(spec))
        s.setblocking(False)
        socks.append(s)
    end = time.monotonic() + float(seconds)
    closed = set()
    while time.monotonic() < end and len(closed) < len(socks):
        for i, s in enumerate(socks):
            if i in closed:
                continue
            try:
                if s.recv(1) == b"":
                    closed.add(i)
            except BlockingIOError:
                pass
            except OSError:
                closed.add(i)
        time.sleep(0.05)
    print("closed=%d" % len(closed))
    for s in socks:
        s.close()


def cmd_resume(port1, port2, host="localhost", version="tls1.3"):
    ctx = tls_context()
    if version == "tls1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    url = "gemini://%s/" % host
    line1, sess, _ = gemini_request(ctx, int(port1), b"", url,
                                    "127.0.0.2", host)
    line2, _, reused = gemini_request(ctx, int(port2), b"", url,
                                      "127.0.0.2", host, sess)
    print("reused=%s first=%r second=%r" % (reused, line1, line2))


def main():
    cmds = {"gopher": cmd_gopher, "gemini": cmd_gemini, "raw": cmd_raw,
            "hold": cmd_hold, "resume": cmd_resume}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    global TARGET
    args = sys.argv[2:]
    if ":" in args[0]:
        TARGET, args[0] = args[0].rsplit(":", 1)
    port = int(args[0])
    cmds[sys.argv[1]](port, *args[1:])


if __name__ == "__main__":
    main()
