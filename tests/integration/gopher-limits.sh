#!/bin/sh
# The limits Gemini has, over Gopher: the connection limit, the request
# deadline (not moved by a selector dribbled a byte at a time) and the
# write deadline of a client that never reads a large text.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$CAPSULED" ] || { echo "skip: $CAPSULED not built"; exit 77; }
command -v curl >/dev/null || { echo "skip: no curl"; exit 77; }

GCLIENT="$TOP/tests/integration/gopher_client.py"
REQ=2
LIMIT_REQ=6
WRITE=2
MAX=16
make_capsule "$T_TMP/capsule"
# A text of about 8 MB: far more than the socket buffers hold.
python3 -c 'import sys
line = "%05d The quick brown fox jumps over the lazy dog, again.\n"
sys.stdout.write("".join(line % i for i in range(150000)))' \
    >"$T_TMP/capsule/files/big.txt"

# report FILE: gopher_client.py's "ok"/"FAIL" lines as results.
report() {
	while IFS= read -r line; do
		case $line in
		"ok   "*) ok "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done <"$1"
}

# The connection limit, with a request timeout long enough that the
# newcomer is served (by an idle connection closed once idle half of
# it) well before any held connection's request deadline.
start_capsuled --root "$T_TMP/capsule" --hostname localhost \
    --request-timeout "$LIMIT_REQ" --max-connections "$MAX" || exit 1
wait_port "$GOPHER_PORT" || { fail "Gopher listener"; finish; }
timeout 60 python3 "$GCLIENT" limit "$GOPHER_PORT" "$MAX" "$LIMIT_REQ" \
    >"$T_TMP/limit" 2>&1
report "$T_TMP/limit"
check "SIGTERM after the limit: clean exit" stop_capsuled
check "the room made logged" grep -q \
    "idle connection closed to make room: at the limit of $MAX" \
    "$CAPSULED_LOG"
check "no sanitizer report" sh -c \
    '! grep -q "ERROR: AddressSanitizer\|runtime error" "$1"' - "$CAPSULED_LOG"

start_capsuled --root "$T_TMP/capsule" --hostname localhost \
    --request-timeout "$REQ" --write-timeout "$WRITE" \
    --max-connections "$MAX" || exit 1
wait_port "$GOPHER_PORT" || { fail "Gopher listener"; finish; }

timeout 60 python3 "$GCLIENT" dribble "$GOPHER_PORT" "$REQ" \
    >"$T_TMP/dribble" 2>&1
report "$T_TMP/dribble"

# The whole text, for a client that reads.
curl -s --max-time 30 "gopher://127.0.0.1:$GOPHER_PORT/0/files/big.txt" \
    >"$T_TMP/big"
full=$(wc -c <"$T_TMP/big")
check "a reader gets the whole large text ($full bytes)" \
    sh -c '[ "$(tail -c 5 "$1" | od -An -c | tr -d " ")" = "\\r\\n.\\r\\n" ]' \
    - "$T_TMP/big"

# A client that reads nothing: dropped once no byte could be written
# for the write timeout; the access log has the bytes sent and when.
out=$(timeout 60 python3 "$GCLIENT" stall "$GOPHER_PORT" /files/big.txt \
    $((WRITE + 3)))
check "a client that does not read gets a cut text ($out)" \
    sh -c 'case "$1" in *", cut") ;; *) exit 1 ;; esac' - "$out"
log=$(grep '"/files/big.txt" 0 ' "$CAPSULED_LOG" | tail -n 1)
bytes=$(echo "$log" | awk '{ print $(NF - 1) }')
ms=$(echo "$log" | awk '{ sub(/ms$/, "", $NF); printf "%d", $NF }')
check "dropped at the write timeout: $bytes of ${full:-?} bytes after ${ms} ms" \
    [ "${bytes:-0}" -lt "${full:-0}" -a "${ms:-0}" -ge $((WRITE * 1000)) \
    -a "${ms:-99999}" -lt $((WRITE * 1000 + 2000)) ]

# Clients that hang up in the middle of a text.
timeout 60 python3 "$GCLIENT" hangups "$GOPHER_PORT" /files/big.txt 200
check "200 clients hanging up mid-text: the daemon lives on" \
    kill -0 "$CAPSULED_PID"
check "serving after all that" sh -c 'curl -s --max-time 10 "$1" |
    grep -q "^1Archive by year"' - "gopher://127.0.0.1:$GOPHER_PORT/1/"
check "no sanitizer report" sh -c \
    '! grep -q "ERROR: AddressSanitizer\|runtime error" "$1"' - "$CAPSULED_LOG"
check "SIGTERM: clean exit" stop_capsuled
finish
