#!/bin/sh
# The access log: one line per request with time, client, protocol, host,
# path, status, bytes and duration; to a file; client addresses
# truncated with --log-anonymize; none with --log none; SIGUSR1 reopens
# the file after a rotation.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
log="$T_TMP/access.log"
start_capsuled --root "$T_TMP/capsule" --log "file:$log" || exit 1
base="gemini://localhost:$GEMINI_PORT"

# The first post, as the home page links it.
post=$(gem "$base/\r\n" 2>/dev/null | sed -n 's/^=> \(\/posts\/[^ ]*\) .*/\1/p' |
    head -n 1)
check "the home page links a post ($post)" [ -n "$post" ]

# log_line PATH: wait up to 5 s for the access log line of PATH (lines
# are written once the worker's round of events is done); prints it.
log_line() {
	i=0
	while ! grep -qF " \"$1\" " "$log" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -F " \"$1\" " "$log" | tail -n 1
}

# bytes_of SUMMARY: the client's count of the response's bytes.
bytes_of() { echo "$1" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p'; }

before=$(date -u +%s)
out=$(gem -q -s localhost "$base$post\r\n" 2>&1)
line=$(log_line "$post")
# shellcheck disable=SC2086 # the fields of the log line
set -- $line
stamp=$(date -u -d "$(echo "$1" | sed 's/T/ /; s/Z$//')" +%s 2>/dev/null)
check "time: ISO 8601 UTC, now ($1)" sh -c \
    '[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]' - "$stamp" \
    $((before - 1)) $(($(date -u +%s) + 1))
check "client address ($2)" [ "$2" = 127.0.0.1 ]
check "protocol ($3)" [ "$3" = gemini ]
check "host ($4)" [ "$4" = localhost ]
check "path ($5)" [ "$5" = "\"$post\"" ]
check "status ($6)" [ "$6" = 20 ]
check "bytes: what the client received ($7, $(bytes_of "$out"))" \
    [ "$7" = "$(bytes_of "$out")" ]
check "duration in milliseconds ($8)" \
    sh -c 'echo "$1" | grep -Eq "^[0-9]+\.[0-9]ms$"' - "$8"
check "nothing else on the line" [ $# -eq 8 ]

# An error response: its status and the header's bytes; the host as
# requested (an IP literal, no SNI).
out=$(gem -q "gemini://127.0.0.1:$GEMINI_PORT/no/such\r\n" 2>&1)
# shellcheck disable=SC2046 # the fields of the log line
set -- $(log_line /no/such)
check "a 51: status, host as requested ($4 $6)" [ "$4" = 127.0.0.1 -a "$6" = 51 ]
check "a 51: bytes of its header ($7)" [ "$7" = "$(bytes_of "$out")" -a \
    "$7" = "$(printf '51 Not found\r\n' | wc -c)" ]

# A path that could garble the line is escaped.
gem -q "$base/a%20%22b%22\r\n" 2>/dev/null
line=$(log_line '/a\x20\x22b\x22')
check "space and quotes escaped in the path" \
    sh -c 'echo "$1" | grep -qF " 51 "' - "$line"

check "messages go to the file too" grep -q "serving " "$log"
check "no access line on stderr" sh -c '! grep -q " gemini " "$1"' - \
    "$CAPSULED_LOG"
stop_capsuled

# --log-anonymize: IPv4 clients as their /24, IPv6 as their /48.
rm -f "$log"
start_capsuled --root "$T_TMP/capsule" --log "file:$log" --log-anonymize ||
    exit 1
base="gemini://localhost:$GEMINI_PORT"
gem -q "$base/\r\n" 2>/dev/null
# shellcheck disable=SC2046 # the fields of the log line
set -- $(log_line /)
check "anonymized IPv4 client ($2)" [ "$2" = 127.0.0.0 ]
if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' \
    2>/dev/null; then
	gem -q -6 "$base/about.gmi\r\n" 2>/dev/null
	# shellcheck disable=SC2046 # the fields of the log line
	set -- $(log_line /about.gmi)
	check "anonymized IPv6 client ($2)" [ "$2" = "::" ]
else
	skip "no IPv6 loopback on this machine"
fi
stop_capsuled

# Rotation: the file renamed, SIGUSR1, and the next lines go to a new
# file by the old name (--log file with --log-file this time).
# The folder is the serving user's, who makes the new file (started as
# root, capsuled serves as nobody).
mkdir "$T_TMP/logs"
[ "$(id -u)" -eq 0 ] && chown nobody "$T_TMP/logs"
log="$T_TMP/logs/capsuled.log"
start_capsuled --root "$T_TMP/capsule" --log file --log-file "$log" ||
    exit 1
base="gemini://localhost:$GEMINI_PORT"
gem -q "$base/\r\n" 2>/dev/null
check "before the rotation: the request logged" wait_text "$log" '"/" 20 '
mv "$log" "$log.1"
kill -USR1 "$CAPSULED_PID"
check "SIGUSR1: a new file by the old name" wait_text "$log" "reopened"
gem -q "$base/about.gmi\r\n" 2>/dev/null
check "after the rotation: the next request in the new file" \
    wait_text "$log" '"/about.gmi" 20 '
check "after the rotation: nothing more in the old file" \
    sh -c '! grep -q "about.gmi" "$1"' - "$log.1"
check "the old file says where the log went" \
    grep -q "reopening the log file $log" "$log.1"
check "the new file starts after the rotation" \
    sh -c '! grep -q "serving " "$1"' - "$log"
# The folder gone: the reopen fails, the old file is kept and says so.
mv "$T_TMP/logs" "$T_TMP/logs.old"
kill -USR1 "$CAPSULED_PID"
check "a failed reopen is logged in the file still open" \
    wait_text "$T_TMP/logs.old/capsuled.log" "cannot reopen the log file"
gem -q "$base/about.gmi\r\n" 2>/dev/null
check "and the log goes on there" \
    wait_text "$T_TMP/logs.old/capsuled.log" '"/about.gmi" 20 ' 2
check "still serving" [ "$(status_line "$base/\r\n" | cut -c1-2)" = 20 ]
stop_capsuled

# --log none: no access log, messages still on stderr.
start_capsuled --root "$T_TMP/capsule" --log none || exit 1
check "--log none: the request is answered" [ \
    "$(status_line "gemini://localhost:$GEMINI_PORT/\r\n")" = \
    "20 text/gemini; lang=en" ]
sleep 0.5
check "--log none: no access line" \
    sh -c '! grep -q " gemini .* 20 " "$1"' - "$CAPSULED_LOG"
check "--log none: messages on stderr" grep -q "serving " "$CAPSULED_LOG"
kill -USR1 "$CAPSULED_PID"
check "--log none: SIGUSR1 has no file to reopen, and no harm done" \
    wait_log "no log file to reopen"
check "--log none: still serving" \
    [ "$(status_line "gemini://localhost:$GEMINI_PORT/\r\n" | cut -c1-2)" = 20 ]
stop_capsuled
finish
