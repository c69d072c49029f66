#!/bin/sh
# Every item reachable from the Gopher main menu, fetched with curl:
# menus parse as RFC 1436, texts end with ".", images are images, URL:
# selectors give a redirect page; the menus are stable across reloads
# and follow a content change.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "skip: no curl"; exit 77; }
GCOPY=1
# shellcheck source=gopher-common
. "$(dirname "$0")/gopher-common"

python3 "$GCLIENT" crawl "$GOPHER_PORT" >"$T_TMP/crawl" 2>&1
report "$T_TMP/crawl"

curl -s --max-time 10 "$GURL/1/" >"$T_TMP/menu1"
grep -q "$(printf '^h.*\tURL:gemini://localhost:%s/\t' "$GEMINI_PORT")" \
    "$T_TMP/menu1" && ok "main menu: Gemini version as an h item" ||
    fail "main menu: Gemini version as an h item"
if grep -q '\[[0-9a-f:]*:[0-9a-f:]*\]\|	::1	' "$T_TMP/menu1"; then
	fail "no IPv6 literal in the host field"
else
	ok "no IPv6 literal in the host field"
fi
post=$(first_post)
curl -s --max-time 10 "$GURL/0$post" >"$T_TMP/post"
awk 'length($0) > 0' "$T_TMP/post" | head -n 2 | tail -n 1 |
    grep -q '^==*.$' && ok "post text: title underlined with =" ||
    fail "post text: title underlined with ="

# Reloads: the menus hold no timestamps, so the same content gives the
# same bytes; a new post changes them, and removing it restores them.
# The new post is dated yesterday: one dated later is Jekyll's future.
day=$(date -u -d yesterday +%Y-%m-%d)
year=${day%%-*}
MENUS="/ /archive/ /archive/$year/ /categories/ /tags/"
# menus DIR: every menu of MENUS into DIR, one file each.
menus() {
	mkdir -p "$1"
	for m in $MENUS; do
		curl -s --max-time 10 "$GURL/1$m" >"$1/$(echo "$m" | tr / _)"
	done
}
# reload N: SIGHUP, then wait for the daemon's Nth "reloaded" line.
reload() {
	kill -HUP "$CAPSULED_PID"
	wait_log 'reloaded: ' "$1"
}
menus "$T_TMP/m0"
check "SIGHUP: the daemon logs its reload" reload 1
menus "$T_TMP/m1"
check "menus byte-identical after a reload of the same content" \
    diff -r "$T_TMP/m0" "$T_TMP/m1"

new=$GROOT/_posts/$day-reload-probe.md
printf -- '---\ntitle: Reload probe\ncategories: [Probe]\n---\nNew.\n' \
    >"$new"
check "SIGHUP after a new post: reloaded" reload 2
menus "$T_TMP/m2"
check "new post: the main menu changes" \
    sh -c '! cmp -s "$1/_" "$2/_"' - "$T_TMP/m0" "$T_TMP/m2"
check "new post: listed first in the main menu" \
    sh -c 'grep "^0" "$1" | head -n 1 |
    grep -q "^0$2 - Reload probe	/posts/$2-reload-probe.txt	"' \
    - "$T_TMP/m2/_" "$day"
check "new post: its year and its category appear" \
    sh -c 'grep -q "Reload probe" "$1/_archive_$2_" &&
    grep -q "^1Probe (1)	" "$1/_categories_"' - "$T_TMP/m2" "$year"
check "new post: its text is served" sh -c 'curl -s --max-time 10 "$1" |
    grep -q "^New\."' - "$GURL/0/posts/$day-reload-probe.txt"

rm "$new"
check "SIGHUP after removing it: reloaded" reload 3
menus "$T_TMP/m3"
check "post removed: every menu byte-identical to the first ones" \
    diff -r "$T_TMP/m0" "$T_TMP/m3"
check "post removed: its text is gone" sh -c 'curl -s --max-time 10 "$1" |
    grep -q "^3"' - "$GURL/0/posts/$day-reload-probe.txt"
check "daemon alive, no sanitizer report" daemon_healthy

# An IPv6 literal cannot be a Gopher host: given as gopher_host it
# stops start-up; as the first host name (the default gopher_host), the
# menus and the answer to an HTTP request name localhost instead.
stop_capsuled
out=$("$CAPSULED" --root "$TOP/capsule" --gopher-host ::1 --check 2>&1)
check "gopher_host ::1 refused" [ $? -eq 1 ]
check "gopher_host ::1: the setting named" sh -c \
    'echo "$1" | grep -q "option --gopher-host: .::1. is an IPv6 address"' \
    - "$out"
if start_capsuled --root "$TOP/capsule" --hostname ::1 \
    --hostname localhost && wait_port "$GOPHER_PORT"; then
	curl -s --max-time 10 "gopher://127.0.0.1:$GOPHER_PORT/1/" \
	    >"$T_TMP/v6menu"
	check "host name ::1: every item names localhost" sh -c '
	    grep -q "^0" "$1" &&
	    awk -F "\t" "NF == 4 && !/^i/ && \$3 != \"localhost\" { bad = 1 }
	    END { exit bad }" "$1"' - "$T_TMP/v6menu"
	printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.sendall(sys.stdin.buffer.read())
while True:
    b = s.recv(65536)
    if not b:
        break
    sys.stdout.buffer.write(b)' "$GOPHER_PORT" >"$T_TMP/v6http"
	check "host name ::1: the HTTP answer links to gopher://localhost" \
	    grep -q "href=\"gopher://localhost:$GOPHER_PORT/\"" "$T_TMP/v6http"
else
	fail "capsuled starts with --hostname ::1"
fi
check "daemon alive, no sanitizer report" daemon_healthy
finish
