#!/bin/sh
# PROXY protocol headers from a proxy_from source, without a balancer:
# versions 1 and 2 over Gemini and Gopher name the client in the access
# log (cut with --log-anonymize), a v2 LOCAL keeps the connection's
# address, the per-address cap and the rate limit count the client the
# header names and never the balancer's own address; a source not
# listed is never read as a balancer.  (tests/integration/haproxy.sh
# runs the real haproxy, and the refused headers.)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P="$TOP/tests/integration/proxy_client.py"
make_capsule "$T_TMP/capsule"
LOG="$T_TMP/access.log"

# last_line TEXT: the last access line that holds TEXT.
last_line() { grep -a -- "$1" "$LOG" | tail -n 1; }

start_capsuled --root "$T_TMP/capsule" --proxy-from 127.0.0.1 \
    --proxy-from 10.9.0.0/16 --max-connections-per-ip 2 --rate-limit 4 \
    --log "file:$LOG" || exit 1

got=$(python3 "$P" gopher "$GOPHER_PORT" v1:192.0.2.7 /about.txt)
check "Gopher, v1 header: served" sh -c \
    'echo "$1" | grep -q "About this capsule"' - "$got"
wait_text "$LOG" " /about.txt "
check "Gopher, v1: the header's client in the log ($(last_line /about.txt))" \
    sh -c 'echo "$1" | grep -q "192.0.2.7 gopher "' - "$(last_line /about.txt)"

got=$(python3 "$P" gopher "$GOPHER_PORT" v2:2001:db8::7 /posts/2024-01-02-hello.txt)
check "Gopher, v2 header over IPv6: served" sh -c \
    'echo "$1" | grep -q "Hello from the first post"' - "$got"
wait_text "$LOG" "2001:db8::7 gopher"
check "Gopher, v2: the IPv6 client in the log" grep -q \
    "2001:db8::7 gopher .*/posts/2024-01-02-hello.txt" "$LOG"

base="gemini://localhost:$GEMINI_PORT"
got=$(python3 "$P" gemini "$GEMINI_PORT" v2:198.51.100.4 "$base/about.gmi")
check "Gemini, v2 header then TLS: 20 ($got)" [ "${got%% *}" = 20 ]
got=$(python3 "$P" gemini "$GEMINI_PORT" v1:198.51.100.5 "$base/")
check "Gemini, v1 header then TLS: 20 ($got)" [ "${got%% *}" = 20 ]
wait_text "$LOG" "198.51.100.5 gemini"
check "Gemini: both clients in the log" sh -c \
    'grep -q "198.51.100.4 gemini .*/about.gmi" "$1" &&
    grep -q "198.51.100.5 gemini " "$1"' - "$LOG"

got=$(python3 "$P" gemini "$GEMINI_PORT" v2-local "$base/archive.gmi")
check "v2 LOCAL: served ($got)" [ "${got%% *}" = 20 ]
wait_text "$LOG" "/archive.gmi"
check "v2 LOCAL: the connection's own address in the log" sh -c \
    'echo "$1" | grep -q "127.0.0.1 gemini "' - "$(last_line /archive.gmi)"

# Not listed: whatever it sends is the request, and its own address
# is the client.
got=$(python3 "$P" gopher "$GOPHER_PORT" v1:192.0.2.99 /about.txt 127.0.0.2)
check "a source not listed: the header is its selector ($got)" sh -c \
    'case "$1" in 3*) ;; *) exit 1 ;; esac' - "$got"
wait_text "$LOG" "127.0.0.2 gopher"
check "a source not listed: logged as itself, never the header's client" \
    sh -c '! grep -q "Z 192.0.2.99 " "$1" &&
    grep -q "127.0.0.2 gopher - \"PROXY.x20TCP4.x20192.0.2.99" "$1"' - "$LOG"
got=$(python3 "$P" gemini "$GEMINI_PORT" v2:192.0.2.98 "$base/" 127.0.0.2)
check "a source not listed, Gemini: no TLS after a header ($got)" sh -c \
    'case "$1" in error:*) ;; *) exit 1 ;; esac' - "$got"

# The cap per address counts the header's client: two from 192.0.2.50,
# a third closed; the balancer's own address is not capped.
out=$(timeout 20 python3 "$P" hold "$GOPHER_PORT" v2:192.0.2.50 3 2)
check "max_connections_per_ip 2 on the header's client: 1 of 3 closed ($out)" \
    [ "$out" = "closed=1" ]
out=$(timeout 20 python3 "$P" hold "$GOPHER_PORT" v2-local 2 1 &
    timeout 20 python3 "$P" hold "$GOPHER_PORT" v2:192.0.2.51 2 1 &
    wait)
check "four connections from the balancer's address, two clients: none closed ($out)" \
    [ "$(echo "$out" | grep -c '^closed=0$')" = 2 ]

# The rate limit counts the header's client too.
i=0
while [ $i -lt 4 ]; do
	python3 "$P" gemini "$GEMINI_PORT" v2:192.0.2.60 "$base/" >/dev/null
	i=$((i + 1))
done
got=$(python3 "$P" gemini "$GEMINI_PORT" v2:192.0.2.60 "$base/")
check "rate limit 4: the fifth request of one client is 44 ($got)" \
    sh -c 'case "$1" in "44 "*) ;; *) exit 1 ;; esac' - "$got"
got=$(python3 "$P" gemini "$GEMINI_PORT" v2:192.0.2.61 "$base/")
check "another client through the same balancer: 20 ($got)" \
    [ "${got%% *}" = 20 ]
got=$(python3 "$P" gemini "$GEMINI_PORT" v1:10.9.3.4 "$base/" 127.0.0.1)
check "a second network of proxy_from ($got)" [ "${got%% *}" = 20 ]
check "SIGTERM: clean exit" stop_capsuled

# --log-anonymize cuts the header's client, not the balancer's.
start_capsuled --root "$T_TMP/capsule" --proxy-from 127.0.0.0/8 \
    --log-anonymize --log "file:$T_TMP/anon.log" || exit 1
python3 "$P" gopher "$GOPHER_PORT" v2:203.0.113.77 /about.txt >/dev/null
wait_text "$T_TMP/anon.log" "/about.txt"
check "anonymized: the header's client as its /24" sh -c \
    'grep -q "203.0.113.0 gopher .*/about.txt" "$1" &&
    ! grep -q 203.0.113.77 "$1"' - "$T_TMP/anon.log"
check "SIGTERM: clean exit" stop_capsuled
finish
