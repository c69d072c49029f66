#!/bin/sh
# The real haproxy in front of two replicas, with contrib/haproxy.cfg
# (its addresses moved to loopback), in a network namespace of the
# test's own: TCP mode, send-proxy-v2, health checks over Gemini (TLS)
# and Gopher.  Each replica logs the client's address, never
# haproxy's; a session made through one replica resumes on the other
# (ticket_key_file); under load a rolling restart and a rolling SIGHUP
# fail no request; a replica SIGKILLed under load is marked down by the
# checks, the requests it takes along counted and bounded; a header
# from a balancer not listed is never read as one, a malformed header,
# a v2 header cut short and one sent after request_timeout close the
# connection and are logged.  (proxy.sh: the headers one by one.)

if [ -z "${CAPSULED_NETNS:-}" ]; then
	if ! command -v haproxy >/dev/null 2>&1 ||
	    ! command -v socat >/dev/null 2>&1; then
		echo "skip: no haproxy or socat (contrib/deps.sh --test)"
		exit 77
	fi
	# Root makes a network namespace; anyone else, a user namespace
	# with it.
	ns=-rn
	[ "$(id -u)" -eq 0 ] && ns=-n
	if ! unshare "$ns" true 2>/dev/null; then
		echo "skip: cannot make a network namespace (unshare $ns)"
		exit 77
	fi
	CAPSULED_NETNS=1 exec unshare "$ns" sh "$0" "$@"
fi

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
ip link set lo up || { fail "loopback up in the namespace"; finish; }

P="$TOP/tests/integration/proxy_client.py"
G="$TOOLS/gemload"
SOCK="$T_TMP/haproxy.sock"
make_capsule "$T_TMP/capsule"
openssl rand -base64 48 >"$T_TMP/tickets.key"
chmod 600 "$T_TMP/tickets.key"

# The shipped file, its replicas 10.0.1.11 and .12 on 127.0.1.11 and
# .12, its frontends on 127.0.0.1 (haproxy's source address towards
# the replicas too), and a third frontend (port 71) whose backend
# speaks from 127.0.0.3, an address the replicas do not list.
sed -e 's/10\.0\.1\.1\([12]\)/127.0.1.1\1/g' -e 's/bind :/bind 127.0.0.1:/' \
    -e "s|/run/haproxy/admin.sock|$SOCK|" -e 's/example\.org/localhost/g' \
    "$TOP/contrib/haproxy.cfg" >"$T_TMP/haproxy.cfg"
cat >>"$T_TMP/haproxy.cfg" <<'EOF'

frontend unlisted
	bind 127.0.0.1:71
	default_backend unlisted

backend unlisted
	server a 127.0.1.11:70 source 127.0.0.3 send-proxy-v2
EOF
if ! grep -q '127.0.1.12:1965' "$T_TMP/haproxy.cfg" ||
    ! haproxy -c -q -f "$T_TMP/haproxy.cfg"; then
	fail "contrib/haproxy.cfg on loopback: haproxy -c"
	finish
fi

# replica NAME N: start replica NAME on 127.0.1.N, ports 1965 and 70 as
# in the shipped file, and wait until it serves; its pid in pid_NAME.
replica() {
	log=$T_TMP/$1.log
	n=$(($(grep -c "serving " "$log" 2>/dev/null) + 1))
	"$CAPSULED" --root "$T_TMP/capsule" --certs "$T_TMP/certs" \
	    --listen "127.0.1.$2" --port 1965 --gopher-port 70 \
	    --proxy-from 127.0.0.1 --ticket-key-file "$T_TMP/tickets.key" \
	    --health-path /health --health-selector /health \
	    --drain-seconds 2 --request-timeout 2 --log "file:$log" \
	    >>"$T_TMP/$1.err" 2>&1 &
	eval "pid_$1=\$!"
	T_PIDS="$T_PIDS $!"
	if ! wait_port 1965 "127.0.1.$2" || ! wait_text "$log" "serving " "$n"; then
		echo "replica $1 did not start:" >&2
		cat "$T_TMP/$1.err" "$log" >&2
		return 1
	fi
}

# state BACKEND SERVER: haproxy's status of it (UP, DOWN, "UP 1/2"...).
state() {
	echo "show stat" | timeout 5 socat - "UNIX-CONNECT:$SOCK" 2>/dev/null |
	    awk -F, -v b="$1" -v s="$2" '$1 == b && $2 == s { print $18 }'
}

# wait_state STATUS SERVER...: up to 10 s for haproxy to see each
# server of both backends at STATUS.
wait_state() {
	want=$1
	shift
	i=0
	while [ $i -lt 100 ]; do
		all=yes
		for s in "$@"; do
			for b in gemini gopher; do
				[ "$(state $b "$s")" = "$want" ] || all=no
			done
		done
		[ $all = yes ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# load_start: Gemini and Gopher load through haproxy from 127.0.1.1-4,
# until load_stop, which sets got to "gemini=ERRORS/OK gopher=ERRORS/OK"
# (not in a subshell: it waits for them).
load_start() {
	"$G" -a 127.0.0.1 -p 1965 -c 4 -s 4 -d 60 >"$T_TMP/load.gemini" 2>&1 &
	load_gemini=$!
	"$G" -P gopher -a 127.0.0.1 -p 70 -c 2 -s 4 -d 60 \
	    >"$T_TMP/load.gopher" 2>&1 &
	load_gopher=$!
	T_PIDS="$T_PIDS $load_gemini $load_gopher"
	sleep 1
}
load_stop() {
	kill -TERM "$load_gemini" "$load_gopher"
	wait "$load_gemini" "$load_gopher"
	got=$(for p in gemini gopher; do
		grep -q '^RESULT' "$T_TMP/load.$p" ||
		    sed "s/^/    $p: /" "$T_TMP/load.$p" >&2
		sed -n 's/^RESULT .* ok=\([0-9]*\) errors=\([0-9]*\) .*/'$p'=\2\/\1/p' \
		    "$T_TMP/load.$p"
	done | tr '\n' ' ')
}
# errors_of "gemini=E/O gopher=E/O": E+E, or 999999 when a run said
# nothing or served nothing.
errors_of() {
	echo "$1" | awk '{ n = 0; for (i = 1; i <= NF; i++) {
	    split($i, a, "[=/]"); if (a[3] == 0) n += 999999; n += a[2] }
	    if (NF != 2) n = 999999; print n }'
}

replica a 11 || { fail "replica a starts"; finish; }
replica b 12 || { fail "replica b starts"; finish; }
haproxy -f "$T_TMP/haproxy.cfg" -db >"$T_TMP/haproxy.log" 2>&1 &
T_PIDS="$T_PIDS $!"
check "haproxy's checks see both replicas up, Gemini and Gopher" \
    wait_state UP a b

# The client's address, never haproxy's (127.0.0.1): two requests of
# each protocol from 127.0.0.2, one to each replica (round robin).
for i in 1 2; do
	python3 "$P" gemini 1965 none "gemini://localhost/about.gmi" 127.0.0.2 \
	    >>"$T_TMP/via"
	python3 "$P" gopher 70 none /about.txt 127.0.0.2 | head -n 1 >>"$T_TMP/via"
	: "$i"
done
check "through haproxy: served ($(tr '\n' ' ' <"$T_TMP/via"))" sh -c \
    '[ "$(grep -c "^20 " "$1")" = 2 ] &&
    [ "$(grep -c "^About" "$1")" = 2 ]' - "$T_TMP/via"
for r in a b; do
	wait_text "$T_TMP/$r.log" "127.0.0.2 gopher"
	check "replica $r logs the client, 127.0.0.2, Gemini and Gopher" \
	    sh -c 'grep -q "Z 127.0.0.2 gemini .*/about.gmi" "$1" &&
	    grep -q "Z 127.0.0.2 gopher .*/about.txt" "$1"' - "$T_TMP/$r.log"
	check "replica $r logs haproxy's own address for its checks alone" \
	    sh -c 'grep -q "Z 127.0.0.1 gemini .*/health" "$1" &&
	    ! grep "Z 127.0.0.1 " "$1" | grep -qv "/health"' - "$T_TMP/$r.log"
done

# A session made through one replica resumes on the other: the two
# connections go one to each, and the second is resumed.
na=$(grep -c "127.0.0.2 gemini" "$T_TMP/a.log")
nb=$(grep -c "127.0.0.2 gemini" "$T_TMP/b.log")
got=$(timeout 20 python3 "$P" resume 1965 1965 localhost)
wait_text "$T_TMP/a.log" "127.0.0.2 gemini" $((na + 1))
wait_text "$T_TMP/b.log" "127.0.0.2 gemini" $((nb + 1))
check "the two connections of a client went one to each replica" sh -c \
    '[ "$(grep -c "127.0.0.2 gemini" "$1")" = $(($3 + 1)) ] &&
    [ "$(grep -c "127.0.0.2 gemini" "$2")" = $(($4 + 1)) ]' - \
    "$T_TMP/a.log" "$T_TMP/b.log" "$na" "$nb"
check "a TLS session of one replica resumed on the other ($got)" sh -c \
    'echo "$1" | grep -q "^reused=True first=.20 .* second=.20 "' - "$got"

# Rolling restart under load: SIGTERM (the checks turn 41 for
# drain_seconds, haproxy takes the replica out), start it again, wait
# until haproxy has it back, then the other one.  Then a rolling
# SIGHUP.  No request may fail.
load_start
rolled=yes
for r in a b; do
	eval "pid=\$pid_$r"
	kill -TERM "$pid"
	wait_state DOWN "$r" || rolled="no ($r never down)"
	wait "$pid"
	[ $r = a ] && n=11 || n=12
	replica $r "$n" || rolled="no ($r did not start)"
	wait_state UP "$r" || rolled="no ($r never back up)"
done
# shellcheck disable=SC2154 # set by replica
for pid in "$pid_a" "$pid_b"; do
	kill -HUP "$pid"
	sleep 1
done
wait_text "$T_TMP/a.log" "reloaded" && wait_text "$T_TMP/b.log" "reloaded" ||
    rolled="no (no reload logged)"
sleep 1
load_stop
check "a rolling restart happened ($rolled)" [ "$rolled" = yes ]
check "rolling restart and rolling SIGHUP under load: 0 failed ($got)" \
    [ "$(errors_of "$got")" = 0 ]

# SIGKILL under load: the checks mark the replica down within their
# fall times inter (2 x 0.5 s, 10 s allowed).  What fails is what was
# in flight on it and what reached its listen queue while the kernel
# tore it down, a few per load connection at most (12 for 6); the
# connections it refuses after that haproxy tries again on the other,
# and once it is marked down none fails.
load_start
kill -KILL "$pid_b"
t0=$(date +%s)
check "a replica SIGKILLed: haproxy marks it down" wait_state DOWN b
t1=$(date +%s)
sleep 1
load_stop
n=$(errors_of "$got")
check "SIGKILL under load: $n failed, at most 12, marked down in $((t1 - t0)) s ($got)" \
    [ "$n" -le 12 ]
load_start
load_stop
check "once it is down: 0 failed ($got)" [ "$(errors_of "$got")" = 0 ]

# Refused: a header from an address the replica does not list is never
# read as one (the request is the header's bytes, the source haproxy's
# unlisted address; the client's never appears); a malformed header, a
# v2 header cut short and one sent after request_timeout (2 s) close
# the connection unanswered, each logged with its reason.
got=$(python3 "$P" gopher 71 none /about.txt 127.0.0.4 | head -n 1)
wait_text "$T_TMP/a.log" "127.0.0.3 gopher"
check "from an unlisted source: the header's bytes are the request (its CRLF the root menu: $got)" \
    sh -c 'case "$1" in iTest\ Capsule*) ;; *) exit 1 ;; esac' - "$got"
check "from an unlisted source: logged as that source, never as the client" \
    sh -c 'grep -q "Z 127.0.0.3 gopher - \"\" " "$1" &&
    ! grep -q "127.0.0.4" "$1"' - "$T_TMP/a.log"
got=$(python3 "$P" raw 127.0.1.11:70 "hex:$(printf 'PROXY TCP4 1.2.3.4 x\r\n' | od -An -tx1 |
    tr -d ' \n')" 0 127.0.0.1)
check "a malformed header: closed unanswered ($got)" [ "$got" = "closed after 0 bytes" ]
got=$(python3 "$P" raw 127.0.1.11:1965 hex:0d0a0d0a000d0a515549540a2111000c7f00 0 127.0.0.1)
check "a v2 header cut short: closed unanswered ($got)" [ "$got" = "closed after 0 bytes" ]
got=$(python3 "$P" raw 127.0.1.11:70 v2:192.0.2.9 3 127.0.0.1)
check "a header sent after request_timeout: closed unanswered ($got)" \
    [ "$got" = "closed after 0 bytes" ]
check "each logged with its reason" sh -c \
    'grep -q "from proxy_from closed: not a valid PROXY header (" "$1" &&
    grep -q "from proxy_from closed: the PROXY header was cut short" "$1" &&
    grep -q "from proxy_from closed: no whole PROXY header within 2 s" "$1"' \
    - "$T_TMP/a.log"
check "none of them reached the access log" sh -c \
    '! grep -q "192.0.2.9\|1.2.3.4" "$1"' - "$T_TMP/a.log"

check "replica a: SIGTERM, clean exit" sh -c \
    'kill -TERM "$1"; i=0; while kill -0 "$1" 2>/dev/null; do
    [ $i -ge 100 ] && exit 1; sleep 0.1; i=$((i + 1)); done' - "$pid_a"
finish
