#!/bin/sh
# The load generator of `make bench`: it refuses targets off this machine
# without sending or resolving anything, it notices broken responses,
# and against the real daemon a short run is clean.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

G="$TOOLS/gemload"
[ -x "$G" ] || { echo "skip: $G not built"; exit 77; }

# refused TARGET: exits 2 with a message naming the target; when strace
# is there, also check that no socket was opened and no resolver file
# read (the refusal happens before any of it).
refused() {
	out=$("$G" -a "$1" -p 1965 -d 1 2>&1)
	rc=$?
	if [ "$rc" -ne 2 ] || ! printf '%s' "$out" | grep -Fq "refusing target $1"; then
		fail "gemload refuses $1 (rc $rc: $out)"
		return
	fi
	ok "gemload refuses $1"
	if ! command -v strace >/dev/null 2>&1; then
		skip "no strace: cannot check that nothing is sent for $1"
		return
	fi
	strace -f -qq -e trace=socket,connect,sendto,openat,open \
	    -o "$T_TMP/strace.$1" "$G" -a "$1" -p 1965 -d 1 >/dev/null 2>&1
	if grep -Eq 'socket\(|connect\(|sendto\(|resolv\.conf|/etc/hosts|nsswitch' \
	    "$T_TMP/strace.$1"; then
		fail "gemload opened a socket or read resolver files for $1"
		sed 's/^/    /' "$T_TMP/strace.$1" | grep -E 'socket|connect|send|etc' >&2
	else
		ok "no socket and no name lookup for $1"
	fi
}

refused 192.0.2.1
refused example.com
refused 10.0.0.1
refused ::2
refused '[2001:db8::1]'
refused ::ffff:127.0.0.1

# A TLS server that answers badly, to see that each check can fail.
# MODE: noclose (no close_notify), garbage (no status line), good.
fake_server() {
	python3 - "$1" "$2" "$T_TMP/fake.pem" "$T_TMP/fake.key" <<'EOF' &
import socket, ssl, sys
port, mode, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(16)
ls.settimeout(20)
body = b"hello\n" if mode == "garbage" else b"20 text/gemini\r\n# hi\n"
for _ in range(4):  # the first is wait_port's probe
    c, _ = ls.accept()
    try:
        s = ctx.wrap_socket(c, server_side=True)
        s.recv(1100)
        s.sendall(body)
        if mode == "noclose":
            s.close()
        else:
            s.unwrap().close()
    except (ssl.SSLError, OSError):
        c.close()
EOF
	T_PIDS="$T_PIDS $!"
	wait_port "$1"
}

if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T_TMP/fake.key" -out "$T_TMP/fake.pem" -days 1 \
    -subj /CN=localhost >/dev/null 2>&1; then
	# fake MODE RC PATTERN DESCRIPTION: gemload's exit status against
	# the fake server (0 or 1) and a pattern its report must contain.
	fake() {
		port=$(free_port)
		fake_server "$port" "$1"
		out=$("$G" -a localhost -p "$port" -n 3 -c 1 -T 5 2>&1)
		rc=$?
		if [ $rc -eq "$2" ] && echo "$out" | grep -q "$3"; then
			ok "$4"
		else
			fail "$4: $out"
		fi
	}
	fake good 0 'ok=3 errors=0' "a clean response counts as ok"
	fake noclose 1 'no_close_notify: 3' \
	    "a response without close_notify is an error"
	fake garbage 1 'bad_response: 3' \
	    "a response without a status line is an error"
else
	skip "openssl cannot make a certificate: no fake server checks"
fi

# The real daemon, when the server is there.
if [ ! -x "$CAPSULED" ] || ! "$CAPSULED" --help >/dev/null 2>&1; then
	skip "no runnable $CAPSULED: no load run against the daemon"
	finish
fi
if ! start_capsuled --root "$TOP/capsule" --listen 127.0.0.1; then
	fail "capsuled starts"
	finish
fi

# run_load DESCRIPTION EXPECT ARGS...: a short run must be clean; EXPECT
# is a pattern its status line must match.
run_load() {
	d=$1 expect=$2
	shift 2
	out=$("$G" -a 127.0.0.1 "$@" 2>&1)
	rc=$?
	st=$(echo "$out" | grep '^status')
	if [ $rc -eq 0 ] && echo "$out" | grep -q 'RESULT.* errors=0 ' &&
	    ! echo "$out" | grep -q 'RESULT.* ok=0 ' &&
	    echo "$st" | grep -Eq "$expect"; then
		ok "$d"
	else
		fail "$d"
		echo "$out" | sed 's/^/    /'
	fi
}

run_load "2 s at 4 connections: no error, only status 20" \
    '^status +20: [0-9]+$' -p "$GEMINI_PORT" -c 4 -d 2
run_load "resumed sessions: no error, only status 20" \
    '^status +20: [0-9]+$' -p "$GEMINI_PORT" -c 4 -d 1 -r
if "$G" -a 127.0.0.1 -p "$GEMINI_PORT" -c 2 -d 1 -r | grep -Eq ' resumed=[1-9]'; then
	ok "the server resumes TLS 1.3 sessions"
else
	fail "the server resumes TLS 1.3 sessions"
fi
if "$G" -a 127.0.0.1 -p "$GEMINI_PORT" -c 2 -d 1 -r --tls1.2 |
    grep -Eq ' resumed=[1-9]'; then
	ok "the server resumes TLS 1.2 sessions (tickets)"
else
	fail "the server resumes TLS 1.2 sessions (tickets)"
fi
run_load "an unknown path: status 51 every time" \
    '^status +51: [0-9]+$' -p "$GEMINI_PORT" -c 2 -d 1 -u /no/such/page

if printf '\r\n' | timeout 5 python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 3)
s.sendall(b"\r\n")
sys.exit(0 if s.recv(1) else 1)' "$GOPHER_PORT" 2>/dev/null; then
	run_load "gopher: 1 s at 4 connections, no error" \
	    '^status +ok: [1-9][0-9]*, err: 0$' -P gopher -p "$GOPHER_PORT" \
	    -c 4 -d 1
else
	skip "the daemon does not answer Gopher yet"
fi

# --proxy: a daemon that lists it as a balancer sees the clients its
# headers name, versions 1 and 2, Gemini and Gopher.
check "SIGTERM: clean exit" stop_capsuled
if start_capsuled --root "$TOP/capsule" --listen 127.0.0.1 \
    --proxy-from 127.0.0.1 --log "file:$T_TMP/proxy.log"; then
	for v in v1 v2; do
		run_load "--proxy $v: no error, only status 20" \
		    '^status +20: [0-9]+$' -p "$GEMINI_PORT" -c 2 -d 1 --proxy $v
	done
	run_load "--proxy v2, Gopher: no error" '^status +ok: [1-9][0-9]*, err: 0$' \
	    -P gopher -p "$GOPHER_PORT" -c 2 -d 1 --proxy v2
	check "--proxy: the log names the headers' clients, never 127.0.0.1" \
	    sh -c 'grep -q "Z 192.0.2.[0-9]* gemini " "$1" &&
	    grep -q "Z 192.0.2.[0-9]* gopher " "$1" &&
	    ! grep -Eq "Z 127.0.0.1 (gemini|gopher) " "$1"' - "$T_TMP/proxy.log"
else
	fail "capsuled starts with proxy_from"
fi
finish
