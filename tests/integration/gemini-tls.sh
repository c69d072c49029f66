#!/bin/sh
# TLS of the Gemini listener, checked with openssl s_client and the test
# client: protocol versions, ciphers, resumption, SNI, IPv4 and IPv6,
# close_notify.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
start_capsuled --root "$T_TMP/capsule" || exit 1
base="gemini://localhost:$GEMINI_PORT"

# sclient ARGS...: s_client against the daemon, sending one request.
sclient() {
	printf 'gemini://localhost:%s/\r\n' "$GEMINI_PORT" |
	    timeout 10 openssl s_client -connect "127.0.0.1:$GEMINI_PORT" \
	    -servername localhost -ign_eof "$@" 2>&1
}

out=$(sclient -brief)
check "TLS 1.3 offered and chosen" \
    sh -c 'echo "$1" | grep -q "Protocol version: TLSv1.3"' - "$out"
check "the response comes over it" \
    sh -c 'echo "$1" | grep -q "^20 text/gemini"' - "$out"

out=$(sclient -brief -tls1_2)
check "TLS 1.2 accepted" \
    sh -c 'echo "$1" | grep -q "Protocol version: TLSv1.2"' - "$out"
check "TLS 1.2 with ECDHE and an AEAD cipher" \
    sh -c 'echo "$1" | grep -Eq "Ciphersuite: ECDHE-[A-Z0-9]+-(AES[0-9]+-GCM|CHACHA20-POLY1305)"' \
    - "$out"

# A TLS 1.3 client that leaves Nagle on (Python's ssl without
# TCP_NODELAY) sends its request only once the server acks its
# Finished: the session ticket goes at once, before the request, and
# carries that ack, so the request is not held for a delayed ack (40
# ms).  What is checked is that order, in each of 15 tries; the times
# are figures (tests/bench/bench-nagle.sh measures them).
out=$(timeout 60 python3 "$TOP/tests/integration/tls_nagle.py" \
    "$GEMINI_PORT" 15 --before)
check "TLS 1.3 with Nagle on: the ticket comes before the request in 15 of 15 tries ($out)" \
    sh -c 'echo "$1" | grep -q " tries=15 before_request=15 status=20$"' \
    - "$out"
out=$(timeout 60 python3 "$TOP/tests/integration/tls_nagle.py" \
    "$GEMINI_PORT" 15 --tls1.2)
check "TLS 1.2 with Nagle on: served ($out)" \
    sh -c 'echo "$1" | grep -q " tries=15 .*status=20$"' - "$out"

# A client willing to speak TLS 1.1 (security level 0 lets OpenSSL 3 try)
# is refused by the server.
out=$(sclient -brief -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')
if echo "$out" | grep -q "Protocol version: TLSv1.1"; then
	fail "TLS 1.1 refused"
else
	ok "TLS 1.1 refused"
fi
out=$(sclient -brief -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0')
if echo "$out" | grep -q "Protocol version: TLSv1.2"; then
	fail "TLS 1.2 CBC cipher refused"
else
	ok "TLS 1.2 CBC cipher refused"
fi

# Session resumption: TLS 1.3 PSK and TLS 1.2 tickets.
for v in tls1_3 tls1_2; do
	sess="$T_TMP/sess.$v"
	sclient "-$v" -sess_out "$sess" >/dev/null
	out=$(sclient "-$v" -sess_in "$sess")
	check "s_client resumes a $v session" \
	    sh -c 'echo "$1" | grep -q "^Reused, TLSv1"' - "$out"
done
out=$(gem -q -r 3 "$base/\r\n" 2>&1)
check "the test client resumes (TLS 1.3)" \
    [ "$(echo "$out" | grep -c 'resumed=yes')" -eq 2 ]
out=$(gem -q -r 3 -V 1.2 "$base/\r\n" 2>&1)
check "the test client resumes (TLS 1.2)" \
    [ "$(echo "$out" | grep -c 'resumed=yes.*TLSv1.2')" -eq 2 ]

# SNI: ours is served, another name gets 53, none (IP literal) is served.
check "SNI localhost served" [ "$(status_line -s localhost "$base/\r\n")" = \
    "20 text/gemini; lang=en" ]
got=$(status_line -s other.example "$base/\r\n")
check "SNI other.example -> 53 ($got)" [ "${got%% *}" = 53 ]
got=$(status_line "gemini://127.0.0.1:$GEMINI_PORT/\r\n")
check "no SNI, IP literal -> 20 ($got)" [ "${got%% *}" = 20 ]

# IPv4 and IPv6.
check "IPv4 127.0.0.1" [ "$(status_line "$base/\r\n" | cut -c1-2)" = 20 ]
if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' \
    2>/dev/null; then
	got=$(status_line -6 "gemini://[::1]:$GEMINI_PORT/\r\n")
	check "IPv6 ::1 ($got)" [ "${got%% *}" = 20 ]
	got=$(status_line -6 "$base/\r\n")
	check "IPv6 ::1 with a host name ($got)" [ "${got%% *}" = 20 ]
else
	skip "no IPv6 loopback on this machine"
fi

# close_notify ends every response; the body is complete.
out=$(gem "$base/posts/2024-01-02-hello.gmi\r\n" 2>"$T_TMP/summary")
check "close_notify received" grep -q "close_notify=yes" "$T_TMP/summary"
check "the body is complete" \
    sh -c 'echo "$1" | grep -q "Hello from the first post"' - "$out"

check "SIGTERM: clean exit" stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]

# Session ticket keys rotated every 2 s: a ticket still resumes after
# one rotation (the previous key opens it), not after two.
start_capsuled --root "$T_TMP/capsule" --ticket-rotation 2 || exit 1
rotations() { grep -c "session ticket key rotated" "$CAPSULED_LOG"; }
# wait_rotations N: until the log shows N rotations, at most 10 s.
wait_rotations() {
	i=0
	while [ "$(rotations)" -lt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
for v in tls1_3 tls1_2; do
	sess="$T_TMP/rot.$v"
	# A ticket sealed between two rotations, with the count at its time.
	i=0
	while [ $i -lt 5 ]; do
		n=$(rotations)
		sclient "-$v" -sess_out "$sess" >/dev/null
		[ "$(rotations)" -eq "$n" ] && break
		i=$((i + 1))
	done
	out=$(sclient "-$v" -sess_in "$sess")
	check "$v ticket resumes at once" \
	    sh -c 'echo "$1" | grep -q "^Reused, TLSv1"' - "$out"
	wait_rotations $((n + 1))
	out=$(sclient "-$v" -sess_in "$sess")
	check "$v ticket resumes after one key rotation" \
	    sh -c 'echo "$1" | grep -q "^Reused, TLSv1"' - "$out"
	wait_rotations $((n + 2))
	out=$(sclient "-$v" -sess_in "$sess")
	check "$v ticket no longer resumes after two rotations" \
	    sh -c 'echo "$1" | grep -q "^New, TLSv1"' - "$out"
done
# Ticket keys are kept across SIGHUP.
sess="$T_TMP/hup.tls1_3"
n=$(rotations)
sclient -tls1_3 -sess_out "$sess" >/dev/null
kill -HUP "$CAPSULED_PID"
i=0
until grep -q "reloaded" "$CAPSULED_LOG" || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
out=$(sclient -tls1_3 -sess_in "$sess")
if [ "$(rotations)" -le $((n + 1)) ]; then
	check "a ticket resumes after SIGHUP" \
	    sh -c 'echo "$1" | grep -q "^Reused, TLSv1"' - "$out"
else
	skip "ticket across SIGHUP: two rotations came in between"
fi
check "SIGTERM: clean exit" stop_capsuled
finish
