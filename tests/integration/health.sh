#!/bin/sh
# Health checks and draining: health_path answers "20 text/plain" and
# ok over Gemini, health_selector a text with ok over Gopher, neither
# counted by the rate limit; on SIGTERM they turn to 41 and a type 3
# item for drain_seconds while everything else is still served, then
# the listeners close and the daemon exits; without drain_seconds a
# SIGTERM stops at once, as before.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"

# gopher SELECTOR [SOURCE]: the raw reply.
gopher() { gopher_raw "$GOPHER_PORT" "$1" "${2:-127.0.0.1}"; }

start_capsuled --root "$T_TMP/capsule" --health-path /health \
    --health-selector /health --drain-seconds 3 --rate-limit 1 || exit 1
base="gemini://localhost:$GEMINI_PORT"
got=$(gem "$base/health\r\n" 2>/dev/null | tr -d '\r' | tr '\n' '|')
check "Gemini health: 20 text/plain, ok ($got)" [ "$got" = "20 text/plain|ok|" ]
got=$(gopher /health | tr -d '\r' | tr '\n' '|')
check "Gopher health: a text with ok ($got)" [ "$got" = "ok|.|" ]
n=0
for i in 1 2 3 4; do
	case $(status_line "$base/health\r\n") in "20 "*) n=$((n + 1)) ;; esac
	: "$i"
done
check "health checks are not rate-limited (4 of 4 at rate_limit 1)" [ $n -eq 4 ]
got=$(status_line "$base/\r\n")
check "a page still is, after them ($got)" [ "${got%% *}" = 20 ]
got=$(status_line "$base/about.gmi\r\n")
check "and the next one is slowed down ($got)" [ "${got%% *}" = 44 ]

t0=$(date +%s)
kill -TERM "$CAPSULED_PID"
wait_log "draining for 3 s"
got=$(status_line "$base/health\r\n")
check "draining: Gemini health is 41 ($got)" \
    [ "$got" = "41 Draining: this server is shutting down" ]
got=$(gopher /health)
check "draining: Gopher health is an error item" sh -c \
    'case "$1" in "3Draining: this server is shutting down	"*) ;;
    *) exit 1 ;; esac' - "$got"
got=$(gopher /about.txt 127.0.0.2)
check "draining: pages still served" sh -c \
    'echo "$1" | grep -q "About this capsule"' - "$got"
check "SIGTERM: the daemon exits by itself" stop_capsuled TERM
t1=$(date +%s)
check "after drain_seconds, not before ($((t1 - t0)) s)" \
    [ $((t1 - t0)) -ge 3 -a $((t1 - t0)) -le 8 ]
check "exit status 0 ($CAPSULED_STATUS)" [ "$CAPSULED_STATUS" -eq 0 ]
check "the drain's end is logged" grep -q "drained: finishing in-flight" \
    "$CAPSULED_LOG"
check "the listener is closed" sh -c '! python3 -c "import socket, sys
socket.create_connection((\"127.0.0.1\", int(sys.argv[1])), 2)" "$1" \
    2>/dev/null' - "$GEMINI_PORT"

# No drain_seconds: SIGTERM stops at once.
start_capsuled --root "$T_TMP/capsule" --health-path /health || exit 1
t0=$(date +%s)
check "no drain: SIGTERM exits" stop_capsuled TERM
t1=$(date +%s)
check "at once ($((t1 - t0)) s)" [ $((t1 - t0)) -le 1 ]
check "no drain logged" sh -c '! grep -q draining "$1"' - "$CAPSULED_LOG"
finish
