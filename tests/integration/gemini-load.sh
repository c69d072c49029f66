#!/bin/sh
# Concurrency and limits: 100 simultaneous clients, clients that never
# send their request, the connection limit.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
# One address opens them all: no cap per address here (see limits.sh).
start_capsuled --root "$T_TMP/capsule" --request-timeout 3 \
    --max-connections-per-ip 0 || exit 1
base="gemini://localhost:$GEMINI_PORT"

# noted TEXT: the sum of the counts of the daemon's log lines "N ... TEXT"
# (events logged at most once per 10 s each, counted in between).
noted() {
	grep -- "$1" "$CAPSULED_LOG" |
	    sed 's/^[^ ]* \([0-9]*\) .*/\1/' | awk '{ n += $1 } END { print n + 0 }'
}

# hold N: open N TCP connections that never send a byte, for at most 20 s;
# prints nothing, exits when the server has closed all of them.  Its
# pid is in HOLD_PID.
hold() {
	python3 - "$GEMINI_PORT" "$1" <<'PY' &
import socket, sys, time, select
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
end = time.time() + 20
while socks and time.time() < end:
    r, _, _ = select.select(socks, [], [], 0.5)
    for s in r:
        if s.recv(4096) == b"":
            socks.remove(s)
            s.close()
sys.exit(0 if not socks else 1)
PY
	HOLD_PID=$!
	T_PIDS="$T_PIDS $HOLD_PID"
}

# 100 clients at once, all answered in full.
# clients N REQUEST FILE: N clients at once, their summaries in FILE.
clients() {
	pids=""
	i=0
	while [ $i -lt "$1" ]; do
		gem -q -w 10 "$2" 2>>"$3" &
		pids="$pids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # one word per process
	wait $pids
}

# A finished connection gives its socket back as soon as the client
# closes its side (it lingers up to 2 s only for a client that does not).
idle_sockets=$(sockets "$CAPSULED_PID")
i=0
while [ $i -lt 20 ]; do
	gem -q "$base/\r\n" 2>/dev/null
	i=$((i + 1))
done
check "after 20 requests the sockets are back to $idle_sockets within 1 s" \
    wait_sockets "$CAPSULED_PID" -le "$idle_sockets" 10

clients 100 "$base/posts/2024-01-02-hello.gmi\r\n" "$T_TMP/conc"
n=$(grep -c 'status=20 .*close_notify=yes' "$T_TMP/conc")
check "100 concurrent clients all answered ($n)" [ "$n" -eq 100 ]
grep -v 'status=20 .*close_notify=yes' "$T_TMP/conc" | head -n 5

# Clients that never send (plain TCP, and TLS with no request) do not
# delay others, and are dropped at the 3 s deadline.
hold 20
gem -q -w 10 "" 2>"$T_TMP/idle" &
idle=$!
sleep 0.5
out=$(gem -q "$base/\r\n" 2>&1)
ms=$(echo "$out" | sed -n 's/.*ms=\([0-9]*\).*/\1/p')
check "a request beside 21 idle clients is answered at once (${ms} ms)" \
    [ "${ms:-99999}" -lt 1000 ]
wait "$idle"
out=$(cat "$T_TMP/idle")
ms=$(echo "$out" | sed -n 's/.*ms=\([0-9]*\).*/\1/p')
check "an idle TLS client is dropped at the deadline (${ms} ms)" \
    [ "${ms:-0}" -ge 2900 -a "${ms:-99999}" -lt 5000 ]
check "no response to the idle client" \
    sh -c 'case "$1" in *status=none*) ;; *) exit 1 ;; esac' - "$out"
wait "$HOLD_PID"
check "idle TCP clients dropped by the server" [ $? -eq 0 ]
check "a request timeout is logged at once" \
    grep -q "1 connection closed: no request within 3 s" "$CAPSULED_LOG"
check "request timeouts logged at most once per 10 s: $(grep -c \
    'no request within' "$CAPSULED_LOG") lines" \
    [ "$(grep -c 'no request within' "$CAPSULED_LOG")" -le 2 ]

# The connection limit: 40 held, the next waits in the backlog (not
# accepted and closed) until an idle one is closed to make room, and is
# answered.
check "SIGTERM: clean exit" stop_capsuled
check "every request timeout counted in the log ($(noted 'no request'))" \
    [ "$(noted 'no request within')" -eq 21 ]
start_capsuled --root "$T_TMP/capsule" --request-timeout 3 \
    --max-connections 40 --max-connections-per-ip 0 || exit 1
base="gemini://localhost:$GEMINI_PORT"
idle_sockets=$(sockets "$CAPSULED_PID")
hold 40
check "40 connections held" \
    wait_sockets "$CAPSULED_PID" -ge $((idle_sockets + 40)) 100
out=$(gem -q -w 5 "$base/\r\n" 2>&1 | grep "^status=")
ms=$(echo "$out" | sed -n 's/.*ms=\([0-9]*\).*/\1/p')
check "over the limit: queued, then answered within 3 s ($out)" sh -c \
    'case "$1" in *status=20*) [ "$2" -lt 3000 ] ;; *) exit 1 ;; esac' \
    - "$out" "${ms:-99999}"
check "an idle connection closed to make room is logged" grep -q \
    "1 idle connection closed to make room: at the limit of 40" \
    "$CAPSULED_LOG"
check "accepting paused at the limit is logged" grep -q \
    "at the limit of 40 connections (max_connections): accepting paused" \
    "$CAPSULED_LOG"
check "pauses logged at most once per 10 s: $(grep -c \
    'accepting paused' "$CAPSULED_LOG") lines" \
    [ "$(grep -c 'accepting paused' "$CAPSULED_LOG")" -le 2 ]
wait "$HOLD_PID"
got=$(status_line "$base/\r\n")
check "accepting again after the limit ($got)" [ "${got%% *}" = 20 ]

# Sustained load below the limit: finished connections do not pile up
# until new ones are refused.
if [ -x "$TOOLS/gemload" ]; then
	for mode in "" "--tls1.2 -r"; do
		# shellcheck disable=SC2086 # mode: no word, or options
		out=$("$TOOLS/gemload" -p "$GEMINI_PORT" -c 8 -d 2 $mode 2>&1 |
		    grep '^RESULT')
		check "8 connections for 2 s under a limit of 40 ($mode): $out" \
		    sh -c 'case "$1" in *" ok=0 "*) exit 1 ;;
		    *" errors=0 "*) ;; *) exit 1 ;; esac' - "$out"
	done
else
	skip "no gemload: no sustained load"
fi

# A burst beyond the limit: the ones over it wait in the backlog, and
# every request is answered.
clients 60 "$base/\r\n" "$T_TMP/burst"
n=$(grep -c 'status=20 .*close_notify=yes' "$T_TMP/burst")
check "burst of 60 over a limit of 40: all answered ($n)" [ "$n" -eq 60 ]
check "no timeout in the burst" sh -c '! grep -q timeout "$1"' - "$T_TMP/burst"
got=$(status_line "$base/\r\n")
check "serving after the burst ($got)" [ "${got%% *}" = 20 ]

check "SIGTERM: clean exit" stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]

# The write deadline: a reader that stops reading in the middle of an
# 8 MB file is cut 2 s later (no close_notify), its slot freed while it
# still sleeps; the access log line says what was sent and when.
head -c 8388608 /dev/urandom >"$T_TMP/capsule/files/big.bin"
start_capsuled --root "$T_TMP/capsule" --write-timeout 2 || exit 1
idle_sockets=$(sockets "$CAPSULED_PID")
gem -q -P 5 -w 20 "gemini://localhost:$GEMINI_PORT/files/big.bin\r\n" \
    2>"$T_TMP/slow" &
slow=$!
sleep 3.5
check "the slow reader's slot is freed at the write deadline" \
    [ "$(sockets "$CAPSULED_PID")" -le "$idle_sockets" ]
wait "$slow"
out=$(grep '^status=' "$T_TMP/slow")
bytes=$(echo "$out" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
check "the slow reader got part of the file, no close_notify ($out)" sh -c \
    'case "$1" in *status=20*close_notify=no*) [ "$2" -lt 8388608 ] ;;
    *) exit 1 ;; esac' - "$out" "${bytes:-0}"
check "a cut response is logged" grep -q \
    "1 response cut: nothing read for 2 s (write_timeout)" "$CAPSULED_LOG"
line=$(grep '"/files/big.bin" 20 ' "$CAPSULED_LOG")
sent=$(echo "$line" | awk '{ print $(NF - 1) }')
ms=$(echo "$line" | awk '{ sub(/ms$/, "", $NF); print int($NF) }')
check "its access log line: part sent ($sent bytes), cut after 2 s ($ms ms)" \
    [ "${sent:-0}" -gt 0 -a "${sent:-0}" -lt 8388608 -a "${ms:-0}" -ge 2000 \
    -a "${ms:-99999}" -lt 4000 ]

# A stop that waits for a response being written (the slow reader
# again): a second signal meanwhile neither kills the server nor starts
# a second stop; it exits 0 once the response is cut at the deadline.
gem -q -P 5 -w 20 "gemini://localhost:$GEMINI_PORT/files/big.bin\r\n" \
    2>/dev/null &
slow=$!
wait_sockets "$CAPSULED_PID" -gt "$idle_sockets" 30
sleep 0.3
kill -INT "$CAPSULED_PID"
wait_log "SIGINT: finishing in-flight responses"
kill -TERM "$CAPSULED_PID"
sleep 0.5
check "a SIGTERM during the stop: still finishing the response" \
    kill -0 "$CAPSULED_PID"
check "then a clean exit" stop_capsuled
check "exit status 0 ($CAPSULED_STATUS)" [ "$CAPSULED_STATUS" -eq 0 ]
check "one stop logged for the signals" [ "$(grep -c \
    'finishing in-flight responses' "$CAPSULED_LOG")" -eq 1 ]
wait "$slow"
finish
