#!/bin/sh
# One client cannot keep the others out: a flood of idle connections
# from one address, reopened when dropped, leaves another address served
# (every one of its probes; their times are printed, not checked, as a
# loaded machine moves them); Gemini and Gopher have a budget each; an address has at most
# max_connections_per_ip of each; at max_connections newcomers wait in
# the backlog and 1,024 clients of a load get through with no error;
# rate_limit answers 44 N (Gemini) and a type 3 item (Gopher).
. "$(dirname "$0")/lib.sh"

F="$TOP/tests/integration/flood.py"
G="$TOOLS/gemload"
[ -x "$G" ] || { echo "skip: no $G"; exit 77; }
make_capsule "$T_TMP/capsule"

# field NAME TEXT: the value of NAME=... in TEXT.
field() { echo "$2" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

# The flood: 1,030 idle sockets from 127.0.0.1, each reopened when the
# server drops it, while 127.0.0.2 asks for the home page every 0.1 s.
start_capsuled --root "$T_TMP/capsule" --log "file:$T_TMP/flood.log" ||
    exit 1
timeout 60 python3 "$F" flood "$GEMINI_PORT" 1030 14 >"$T_TMP/flood" 2>&1 &
flood=$!
T_PIDS="$T_PIDS $flood"
sleep 2
out=$(timeout 60 python3 "$F" probe "$GEMINI_PORT" 10 127.0.0.2)
wait "$flood"
n=$(field probes "$out")
check "a flood from 127.0.0.1 ($(cat "$T_TMP/flood")): every probe from 127.0.0.2 served ($out)" \
    [ "${n:-0}" -ge 5 -a "$(field served "$out")" = "$n" ]
check "the flood was cut down to its address's share" \
    grep -q "refused: the address had 32 open (max_connections_per_ip)" \
    "$T_TMP/flood.log"

# The same flood over Gopher: Gopher's own probes get through.
timeout 60 python3 "$F" flood "$GOPHER_PORT" 1030 9 >"$T_TMP/gflood" 2>&1 &
flood=$!
T_PIDS="$T_PIDS $flood"
sleep 2
out=$(timeout 60 python3 "$F" probe "$GOPHER_PORT" 5 127.0.0.2 gopher)
wait "$flood"
n=$(field probes "$out")
check "a Gopher flood: every Gopher probe from 127.0.0.2 served ($out)" \
    [ "${n:-0}" -ge 5 -a "$(field served "$out")" = "$n" ]

# The cap per address: 32 of each protocol, the 33rd closed at once.
out=$(timeout 30 python3 "$F" cap "$GEMINI_PORT" 40 127.0.0.3)
check "40 Gemini connections from one address: 8 closed ($out)" \
    [ "$out" = "closed=8" ]
out=$(timeout 30 python3 "$F" cap "$GOPHER_PORT" 33 127.0.0.3)
check "33 Gopher connections from one address: 1 closed ($out)" \
    [ "$out" = "closed=1" ]
check "SIGTERM: clean exit" stop_capsuled

# Separate budgets: Gopher full of idle clients of 32 addresses, Gemini
# is served at once.
start_capsuled --root "$T_TMP/capsule" --max-connections 64 || exit 1
timeout 60 python3 "$F" hold "$GOPHER_PORT" 2 32 8 >"$T_TMP/held" &
held=$!
T_PIDS="$T_PIDS $held"
wait_text "$T_TMP/held" "held=64"
out=$(timeout 60 python3 "$F" probe "$GEMINI_PORT" 3 127.0.0.2)
n=$(field probes "$out")
check "Gopher at its limit of 64: every Gemini probe served ($out)" \
    [ "${n:-0}" -ge 5 -a "$(field served "$out")" = "$n" ]
wait "$held"
check "SIGTERM: clean exit" stop_capsuled

# 1,024 clients at once, from 64 addresses: newcomers over the limit
# wait in the backlog; no error (the defaults, then a limit of 256).
for max in 1024 256; do
	start_capsuled --root "$T_TMP/capsule" --max-connections "$max" \
	    --log none || exit 1
	out=$("$G" -p "$GEMINI_PORT" -c 1024 -s 64 -d 5 -T 30 2>&1 |
	    grep '^RESULT')
	check "1,024 clients, max_connections $max: no error ($out)" sh -c \
	    'case "$1" in *" ok=0 "*) exit 1 ;; *" errors=0 "*) ;;
	    *) exit 1 ;; esac' - "$out"
	check "SIGTERM: clean exit" stop_capsuled
done

# The rate limit: 5 a minute, then 44 with the seconds to wait, over
# Gemini and Gopher alike (one address, one rate).
start_capsuled --root "$T_TMP/capsule" --rate-limit 5 || exit 1
base="gemini://localhost:$GEMINI_PORT"
i=0
n20=0
while [ $i -lt 5 ]; do
	case $(status_line "$base/\r\n") in 20*) n20=$((n20 + 1)) ;; esac
	i=$((i + 1))
done
check "rate limit 5: five requests served ($n20)" [ "$n20" -eq 5 ]
got=$(status_line "$base/\r\n")
secs=${got#44 }
check "the sixth: 44 and the seconds to wait ($got)" sh -c \
    'case "$1" in "44 "[0-9]*) [ "$2" -ge 1 ] && [ "$2" -le 12 ] ;;
    *) exit 1 ;; esac' - "$got" "$secs"
got=$(gopher_raw "$GOPHER_PORT" "" | head -n 1 | cut -f 1)
check "over Gopher: a type 3 item ($got)" sh -c \
    'case "$1" in "3Too many requests: wait "[0-9]*" second"*) ;;
    *) exit 1 ;; esac' - "$got"
out=$(timeout 30 python3 "$F" probe "$GEMINI_PORT" 0.1 127.0.0.2)
check "another address is not slowed down ($out)" \
    [ "$(field served "$out")" = 1 ]
check "slowed requests are logged" grep -q "slowed down: over 5 a minute" \
    "$CAPSULED_LOG"
check "SIGTERM: clean exit" stop_capsuled
finish
