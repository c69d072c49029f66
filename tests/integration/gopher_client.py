#!/usr/bin/env python3
"""Gopher checks for the integration tests (loopback only).

  gopher_client.py crawl PORT   fetch every item reachable from the main
                                menu with curl, check every menu parses
                                (RFC 1436), every text ends with ".",
                                images are images, URL: pages redirect
  gopher_client.py bad PORT TIMEOUT
                                the bad-input list over a raw socket
  gopher_client.py limit PORT N TIMEOUT
                                N connections held: one more makes the
                                oldest idle one close, and serving
                                resumes after
  gopher_client.py dribble PORT TIMEOUT
                                a selector sent a byte at a time is cut
                                at the request timeout
  gopher_client.py stall PORT SELECTOR SECONDS
                                ask for SELECTOR with a small receive
                                buffer and read nothing for SECONDS,
                                then read: prints "got N bytes,
                                complete|cut"
  gopher_client.py hangups PORT SELECTOR N
                                N clients that read the start of the
                                reply and reset the connection

Prints "ok MESSAGE" / "FAIL MESSAGE" lines for lib.sh, exits 0.
"""

import html.parser
import select
import socket
import struct
import subprocess
import sys
import time
import urllib.parse

HOST = "127.0.0.1"
OUR_HOSTS = ("localhost", "127.0.0.1")
MAX_ITEMS = 3000
TYPES = "01379ghIi"


def report(good, msg):
    print(("ok   " if good else "FAIL ") + msg, flush=True)


def curl(port, itype, selector):
    url = "gopher://%s:%d/%s%s" % (HOST, port, itype,
                                   urllib.parse.quote(selector, safe="/:"))
    r = subprocess.run(["curl", "-s", "--max-time", "10", url],
                       stdout=subprocess.PIPE, check=False)
    if r.returncode != 0:
        raise ValueError("curl exit %d for %s" % (r.returncode, url))
    return r.stdout


def parse_menu(data):
    """The items of a menu, or ValueError with the first problem."""
    if not data.endswith(b".\r\n"):
        raise ValueError("no final . line")
    lines = data[:-3].split(b"\r\n")
    if lines[-1] != b"":
        raise ValueError("last line without CRLF")
    items = []
    for n, raw in enumerate(lines[:-1], 1):
        if b"\n" in raw or b"\r" in raw:
            raise ValueError("line %d: bare CR or LF" % n)
        fields = raw.decode("utf-8").split("\t")
        if len(fields) != 4 or fields[0] == "":
            raise ValueError("line %d: %d fields: %r" % (n, len(fields), raw))
        if fields[0][0] not in TYPES:
            raise ValueError("line %d: item type %r" % (n, fields[0][0]))
        if fields[0][0] == "3":
            raise ValueError("line %d: error item %r" % (n, raw))
        if not fields[3].isdigit() or int(fields[3]) > 65535:
            raise ValueError("line %d: port %r" % (n, fields[3]))
        items.append((fields[0][0], fields[0][1:], fields[1], fields[2],
                      int(fields[3])))
    return items


def is_error(data):
    """A type 3 error menu: "3message TAB selector TAB host TAB port"."""
    first = data.split(b"\r\n", 1)[0].split(b"\t")
    return data.startswith(b"3") and len(first) == 4 and first[3].isdigit()


def check_text(data):
    if is_error(data):
        raise ValueError("error answer: %r" % data[:60])
    if not data.endswith(b"\r\n.\r\n") and data != b".\r\n":
        raise ValueError("text does not end with a . line")
    if b"\n" in data.replace(b"\r\n", b""):
        raise ValueError("bare LF in text")
    for line in data.split(b"\r\n")[:-2]:
        if line.startswith(b".") and not line.startswith(b".."):
            raise ValueError("line starting with . not doubled")
    data.decode("utf-8")


def check_image(itype, selector, data):
    sigs = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"RIFF", b"<?xml",
            b"<svg")
    if not data:
        raise ValueError("empty image")
    if itype == "g" and not data.startswith(b"GIF8"):
        raise ValueError("type g is not a GIF")
    if not any(data.lstrip().startswith(s) for s in sigs):
        raise ValueError("not an image: %r" % data[:16])


class RedirectPage(html.parser.HTMLParser):
    """The refresh target and the link of a redirect page, unescaped."""

    def __init__(self):
        super().__init__()
        self.refresh = None
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("http-equiv") == "refresh":
            self.refresh = a.get("content", "").split("url=", 1)[-1]
        elif tag == "a" and "href" in a:
            self.hrefs.append(a["href"])


def check_redirect(selector, data):
    """A page that redirects to the URL of the "URL:" selector."""
    url = selector[4:] if selector.startswith("URL:") else None
    if url is None:
        raise ValueError("h item without a URL: selector")
    if is_error(data):
        raise ValueError("error answer: %r" % data[:60])
    text = data.decode("utf-8")
    page = RedirectPage()
    page.feed(text)
    if page.refresh != url:
        raise ValueError("refresh to %r, not %r" % (page.refresh, url))
    if page.hrefs != [url]:
        raise ValueError("link to %r, not %r" % (page.hrefs, url))
    # Markup characters of the URL are escaped, never written as is.
    if any(c in url for c in "<>\"'&") and url in text:
        raise ValueError("URL not HTML-escaped in the page")


def crawl(port):
    todo = [("1", "")]
    seen = set(todo)
    counts = {}
    problems = 0
    while todo and len(seen) <= MAX_ITEMS:
        itype, sel = todo.pop(0)
        try:
            data = curl(port, itype, sel)
            if itype == "1":
                for t, _, s, h, p in parse_menu(data):
                    if t == "i" or h not in OUR_HOSTS or p != port:
                        continue
                    if (t, s) not in seen:
                        seen.add((t, s))
                        todo.append((t, s))
            elif itype == "0":
                check_text(data)
            elif itype in "Ig":
                check_image(itype, sel, data)
            elif itype == "h":
                check_redirect(sel, data)
            elif not data:
                raise ValueError("empty body")
        except (ValueError, UnicodeDecodeError) as e:
            problems += 1
            report(False, "%s%s: %s" % (itype, sel, e))
            continue
        counts[itype] = counts.get(itype, 0) + 1
    summary = ", ".join("%d of type %s" % (n, t)
                        for t, n in sorted(counts.items()))
    report(problems == 0 and len(seen) <= MAX_ITEMS,
           "crawled %d items (%s)" % (len(seen), summary))
    report(counts.get("1", 0) >= 5, "menus: main, archive, categories, "
           "tags and per-post menus reached")
    report(counts.get("0", 0) >= 2, "texts reached")


def exchange(port, payload, wait=10.0, pause=None):
    """Send payload, read until close; return (bytes, seconds)."""
    t0 = time.monotonic()
    s = socket.create_connection((HOST, port), 5)
    s.settimeout(wait)
    out = b""
    try:
        if pause is None:
            s.sendall(payload)
        else:
            for chunk in payload:
                s.sendall(chunk)
                time.sleep(pause)
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (socket.timeout, ConnectionError, OSError):
        pass
    s.close()
    return out, time.monotonic() - t0


NOT_FOUND = b"3Not found\t\terror.host\t1\r\n.\r\n"
ABOVE_ROOT = (b"3Bad selector: it climbs above the root\t\terror.host\t1\r\n"
              b".\r\n")


def error_or_closed(out):
    return out in (NOT_FOUND, b"") or (out.startswith(b"3") and
                                       out.endswith(b".\r\n"))


def bad(port, timeout):
    main_menu, _ = exchange(port, b"\r\n")
    report(main_menu.endswith(b".\r\n") and b"\t" in main_menu,
           "main menu before the bad input")
    out, _ = exchange(port, b"a" * 1025 + b"\r\n")
    report(error_or_closed(out), "selector of 1025 bytes: error or closed")
    out, _ = exchange(port, b"/" * 5000)
    report(error_or_closed(out), "5000 bytes without a line end")
    out, _ = exchange(port, b"/posts/\x00/x\r\n")
    report(out == NOT_FOUND, "NUL in the selector: type 3 error")
    # Dot segments that climb above the root, as for Gemini's 59.
    for sel in (b"../../../../etc/passwd", b"/../../../etc/passwd",
                b"/posts/../../../etc/passwd", b"%2e%2e/%2e%2e/etc/passwd",
                b"/posts/..%2f..%2f..%2fetc%2fpasswd", b"..",
                b"/img/../../../etc/passwd", b"/../../"):
        out, _ = exchange(port, sel + b"\r\n")
        report(out == ABOVE_ROOT and b"root:" not in out,
               "%r: climbs above the root" % sel)
    out, _ = exchange(port, b"/etc/passwd\r\n")
    report(out == NOT_FOUND, "/etc/passwd: not found")
    for suffix in (b"\t+", b"\t$", b"\t!", b"\t+application/gopher-menu"):
        out, _ = exchange(port, suffix + b"\r\n")
        report(out == main_menu, "Gopher+ suffix %r: plain answer" % suffix)
    out, _ = exchange(port, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
    report(out.startswith(b"HTTP/1.0 400 "), "HTTP request: HTTP answer")
    out, _ = exchange(port, bytes(range(256)) * 2)
    report(error_or_closed(out), "binary garbage")
    out, _ = exchange(port, b"\xff\xfe\x80garbage\x01\r\n")
    report(out == NOT_FOUND, "garbage line: type 3 error")
    url = "https://example.org/?a=<b>&c='d\"e"
    out, _ = exchange(port, b"URL:" + url.encode() + b"\r\n")
    try:
        check_redirect("URL:" + url, out)
        report(True, "URL: selector: escaped redirect page to the URL")
    except ValueError as e:
        report(False, "URL: selector: %s" % e)
    for sel, ok in (("URL:javascript:alert(1)", False),
                    ("URL:https://example.org/", True)):
        try:
            check_redirect(sel, exchange(port, sel.encode() + b"\r\n")[0])
            good = ok
        except ValueError:
            good = not ok
        report(good, "redirect check %s %s" %
               ("accepts" if ok else "refuses the error menu for", sel))
    try:
        check_text(NOT_FOUND)
        report(False, "text check refuses the error menu")
    except ValueError:
        report(True, "text check refuses the error menu")
    out, _ = exchange(port, b"/posts\n")
    report(out == NOT_FOUND, "LF alone ends the selector")
    # A slow client: the selector in pieces, still answered.
    out, _ = exchange(port, [b"\t", b"+", b"\r", b"\n"], pause=0.2)
    report(out == main_menu, "selector sent in pieces")
    # No line end: the server hangs up by itself after its timeout.
    out, took = exchange(port, b"/posts", wait=timeout + 10)
    report(error_or_closed(out) and took < timeout + 5,
           "no line end: closed after %.1f s (timeout %d s)" %
           (took, timeout))
    out, _ = exchange(port, b"\r\n")
    report(out == main_menu, "main menu after the bad input")


def hold(port, n):
    """n connections the server keeps (a connection still counted as it
    ends may have had one closed at once: opened again)."""
    held = []
    for _ in range(50):
        held += [socket.create_connection((HOST, port), 5)
                 for _ in range(n - len(held))]
        time.sleep(0.3)
        closed, _, _ = select.select(held, [], [], 0)
        for s in closed:
            held.remove(s)
            s.close()
        if not closed:
            break
    return held


def limit(port, n, timeout):
    """At the limit, a newcomer waits until a connection has been idle
    half the request timeout, then one is closed to make room: served
    before any request deadline could have freed one."""
    main_menu, _ = exchange(port, b"\r\n")
    t0 = time.monotonic()
    held = hold(port, n)
    try:
        out, took = exchange(port, b"\r\n", wait=timeout + 5)
        served = time.monotonic() - t0
        # At once, before the request deadline closes the others.
        closed, _, _ = select.select(held, [], [], 0.1)
        report(out == main_menu and timeout / 2 <= served < timeout,
               "%d connections held: one more is queued, then served "
               "(%d bytes, %.2f s after the first was opened; idle from "
               "%.1f s, request timeout %d s)" %
               (n, len(out), served, timeout / 2, timeout))
        report(len(closed) == 1,
               "one idle connection closed to make room (%d)" % len(closed))
        # The others are still served.
        left = [h for h in held if h not in closed]
        got = b""
        if left:
            s = left[-1]
            s.settimeout(10)
            s.sendall(b"\r\n")
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
        report(got == main_menu, "a held connection is still answered")
    finally:
        for s in held:
            s.close()
    # The server notices the closes and accepts at once again.
    ok = False
    for _ in range(50):
        out, took = exchange(port, b"\r\n")
        if out == main_menu and took < 1:
            ok = True
            break
        time.sleep(0.1)
    report(ok, "serving at once again once they are closed")


def dribble(port, timeout):
    """A byte every 0.4 s, never a line end: the deadline does not move."""
    t0 = time.monotonic()
    s = socket.create_connection((HOST, port), 5)
    s.settimeout(timeout + 10)
    sent = 0
    closed = None
    try:
        while time.monotonic() - t0 < timeout + 5:
            s.sendall(b"/")
            sent += 1
            time.sleep(0.4)
    except OSError:
        closed = time.monotonic() - t0
    if closed is None:
        try:
            closed = time.monotonic() - t0 if s.recv(1) == b"" else None
        except OSError:
            closed = time.monotonic() - t0
    s.close()
    report(closed is not None and timeout - 0.5 <= closed <= timeout + 2,
           "selector dribbled a byte at a time (%d bytes): cut after "
           "%s s (request timeout %d s)" %
           (sent, "%.1f" % closed if closed else "no", timeout))


def stall(port, selector, seconds):
    """Small receive window, nothing read for a while, then read."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((HOST, port))
    s.sendall(selector.encode() + b"\r\n")
    time.sleep(seconds)
    s.settimeout(10)
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except OSError:
        pass
    s.close()
    print("got %d bytes, %s" % (len(got), "complete"
                                if got.endswith(b"\r\n.\r\n") else "cut"))


def hangups(port, selector, n):
    """n clients that read the start of a reply and hang up (RST)."""
    for _ in range(n):
        s = socket.create_connection((HOST, port), 5)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                      struct.pack("ii", 1, 0))
        s.settimeout(5)
        s.sendall(selector.encode() + b"\r\n")
        try:
            s.recv(65536)
        except OSError:
            pass
        s.close()


def main():
    if sys.argv[1] == "crawl":
        crawl(int(sys.argv[2]))
    elif sys.argv[1] == "bad":
        bad(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "limit":
        limit(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "dribble":
        dribble(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "hangups":
        hangups(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "stall":
        stall(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))


if __name__ == "__main__":
    main()
