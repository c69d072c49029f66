#!/bin/sh
# Gopher speed: requests/s, p99 latency and the server's CPU time per
# request for the main menu (selector "") and a post (the longest text
# the main menu lists) at 16 and 64 connections, on the real blog when
# shared/corpus is there (capsule/ otherwise); then the same for
# gophernicus serving the same bytes (the menu as a gophermap, the post
# as a file), inetd style under socat as gophernicus is meant to run,
# and the ratios, medians of BENCH_RUNS runs (3) of both in turn.
# Fork-per-connection is gophernicus's design, so its CPU per request
# includes socat's fork and exec.
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOOLS:=$TOP/build/tools}"
: "${CAPSULED:=$TOP/capsuled}"
. "$TOP/tests/bench/lib.sh"

# run_set SERVER PID PORT: the points for one server.
run_set() {
	for c in 16 64; do
		point "$1" "$2" "menu/$c" -P gopher -p "$3" -u "" -c "$c"
		point "$1" "$2" "post/$c" -P gopher -p "$3" -u "$POST" -c "$c"
	done
}

if [ ! -x "$CAPSULED" ] || ! "$CAPSULED" --help >/dev/null 2>&1; then
	echo "skip: no runnable $CAPSULED"
	exit 0
fi
ROOT=$CORPUS
[ -d "$ROOT/_posts" ] || ROOT=$TOP/capsule
if ! start_capsuled --root "$ROOT" --listen 127.0.0.1 \
    --hostname localhost --max-connections-per-ip 0; then
	echo "capsuled did not start"
	exit 1
fi
gopher_fetch "$GOPHER_PORT" "" >"$T_TMP/menu" 2>/dev/null
# The longest text of the main menu (selectors hold no spaces).
POST=$(awk -F '\t' '/^0/ { print $2 }' "$T_TMP/menu" | while read -r sel; do
	echo "$(gopher_fetch "$GOPHER_PORT" "$sel" | wc -c) $sel"
done | sort -n | tail -n 1 | cut -d ' ' -f 2)
if [ -z "$POST" ]; then
	echo "skip: capsuled does not answer Gopher with a menu that lists" \
	    "a text item yet"
	exit 0
fi
gopher_fetch "$GOPHER_PORT" "$POST" >"$T_TMP/post"
echo "capsuled on $ROOT, main menu ($(wc -c <"$T_TMP/menu") bytes) and" \
    "$POST ($(wc -c <"$T_TMP/post") bytes)"

# start_gophernicus: gophernicus serving the same menu and post; false,
# with the reason, when it cannot.
start_gophernicus() {
	if ! command -v socat >/dev/null 2>&1 ||
	    [ ! -x /usr/sbin/gophernicus ]; then
		echo "skip gophernicus: gophernicus or socat not installed" \
		    "(make bench installs them)"
		return 1
	fi
	case $POST in
	/*) ;;
	*) echo "skip gophernicus: selector $POST is not a path"; return 1 ;;
	esac
	if echo "$POST" | grep -q '\.\.'; then
		echo "skip gophernicus: selector $POST has .. in it"
		return 1
	fi
	# gophernicus refuses to run as root: a docroot that nobody can read.
	root="$T_TMP/gopher"
	mkdir -p "$root$(dirname "$POST")"
	cp "$T_TMP/post" "$root$POST"
	grep -v "$(printf '^\\.\r*$')" "$T_TMP/menu" >"$root/gophermap"
	chmod 711 "$T_TMP"
	chmod -R a+rX "$root"
	port=$(free_port)
	socat TCP-LISTEN:"$port",bind=127.0.0.1,fork,reuseaddr,backlog=511 \
	    EXEC:"/usr/sbin/gophernicus -nf -h localhost -p $port -r $root",\
su=nobody \
	    2>"$T_TMP/socat.log" &
	SOCAT_PID=$!
	T_PIDS="$T_PIDS $SOCAT_PID"
	# The same bytes for the menu and the post, or the figures mean nothing.
	if ! wait_port "$port"; then
		echo "skip gophernicus: it does not listen"
		cat "$T_TMP/socat.log"
		return 1
	fi
	for sel in "" "$POST"; do
		[ -z "$sel" ] && file=$T_TMP/menu || file=$T_TMP/post
		if ! gopher_fetch "$port" "$sel" | cmp -s - "$file"; then
			echo "skip gophernicus: it does not serve '$sel'" \
			    "as capsuled does:"
			gopher_fetch "$port" "$sel" 2>&1 | head -n 5
			cat "$T_TMP/socat.log"
			return 1
		fi
	done
	echo "gophernicus $(dpkg-query -W -f='${Version}' gophernicus \
	    2>/dev/null) under socat serves the same menu and post"
}

GOPHERNICUS=0
start_gophernicus && GOPHERNICUS=1
echo "$RUNS runs of: capsuled$([ "$GOPHERNICUS" = 1 ] &&
    echo ", gophernicus"); $SECONDS_PER_POINT s per point"
while [ "$RUN" -le "$RUNS" ]; do
	echo
	echo "run $RUN of $RUNS:"
	run_set capsuled "$CAPSULED_PID" "$GOPHER_PORT"
	[ "$GOPHERNICUS" = 1 ] && run_set gophernicus "$SOCAT_PID" "$port"
	RUN=$((RUN + 1))
done

echo
echo "capsuled, medians of $RUNS runs:"
show_medians capsuled
[ "$GOPHERNICUS" = 1 ] || exit 0
echo
echo "gophernicus, medians of $RUNS runs:"
show_medians gophernicus
echo
echo "capsuled / gophernicus (medians; CPU per request: below 1 is" \
    "better; req/s: above 1 is better):"
compare capsuled gophernicus
