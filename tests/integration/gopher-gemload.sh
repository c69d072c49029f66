#!/bin/sh
# The load generator's Gopher mode (make bench): a reply cut short is an
# error, not a success; against the real daemon, runs on the main menu
# and on a post are clean.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

G="$TOOLS/gemload"
[ -x "$G" ] || { echo "skip: $G not built"; exit 77; }

# fake_server PORT MODE: a Gopher server answering every selector with
# a menu (menu), a menu then menus without their "." line (cut), or
# binary items of a steady length (binary) or of varying lengths
# (shrinking).
fake_server() {
	python3 - "$1" "$2" <<'EOF2' &
import socket, sys
port, mode = int(sys.argv[1]), sys.argv[2]
menu = b"iHello\tfake\t(NULL)\t0\r\n0Text\t/t.txt\tlocalhost\t70\r\n.\r\n"
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(16)
ls.settimeout(20)
n = 0
for _ in range(5):  # the first is wait_port's probe
    c, _ = ls.accept()
    try:
        if not c.recv(1100):
            continue
        body = {"menu": menu, "cut": menu[:-3] if n else menu,
                "binary": b"\x89PNG" + b"\0" * 60,
                "shrinking": b"\x89PNG" + b"\0" * (60 - 10 * n)}[mode]
        n += 1
        c.sendall(body)
    except OSError:
        pass
    finally:
        c.close()
EOF2
	T_PIDS="$T_PIDS $!"
	wait_port "$1"
}

# Per mode: gemload's exit status against the fake server, a pattern
# its report must contain, and what that shows.
while IFS='|' read -r mode rc pattern what; do
	port=$(free_port)
	fake_server "$port" "$mode"
	out=$("$G" -a 127.0.0.1 -p "$port" -P gopher -u /x -n 3 -c 1 -T 5 2>&1)
	got=$?
	if [ $got -eq "$rc" ] && echo "$out" | grep -q "$pattern"; then
		ok "$what"
	else
		fail "$what: rc $got, $out"
	fi
done <<'EOF'
menu|0|ok=3 errors=0|a menu with its . line counts as ok
cut|1|truncated: 2|a menu without its . line is an error
binary|0|ok=3 errors=0|binary replies of one length count as ok
shrinking|1|truncated: 2|binary replies shorter than the first are errors
EOF

if [ ! -x "$CAPSULED" ]; then
	skip "no $CAPSULED: no load run against the daemon"
	finish
fi
GROOT=$CORPUS
[ -d "$GROOT/_posts" ] || GROOT=$TOP/capsule
if ! start_capsuled --root "$GROOT" --listen 127.0.0.1 --hostname localhost ||
    ! wait_port "$GOPHER_PORT"; then
	fail "capsuled starts"
	finish
fi
post=$(curl -s --max-time 10 "gopher://127.0.0.1:$GOPHER_PORT/1/" |
    awk -F '\t' '/^0/ { print $2; exit }')
for sel in "" "$post" /nonexistent; do
	out=$("$G" -a 127.0.0.1 -p "$GOPHER_PORT" -P gopher -u "$sel" -c 4 \
	    -d 1 2>&1)
	res=$(echo "$out" | grep '^RESULT')
	if echo "$res" | grep -q ' errors=0 ' &&
	    ! echo "$res" | grep -q ' ok=0 '; then
		ok "gopher load on '$sel': $(echo "$out" | grep '^status')"
	else
		fail "gopher load on '$sel': $out"
	fi
done
check "daemon alive, no sanitizer report" sh -c 'kill -0 "$1" &&
    ! grep -q "ERROR: AddressSanitizer\|runtime error" "$2"' - \
    "$CAPSULED_PID" "$CAPSULED_LOG"
finish
