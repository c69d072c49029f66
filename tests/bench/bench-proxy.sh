#!/bin/sh
# Behind a balancer: what the PROXY header costs the server per request
# (its CPU time per request with and without one, the two servers
# measured in turn within each run: capsuled without proxy_from, and
# with proxy_from and gemload sending haproxy's send-proxy-v2 header),
# Gopher (the main menu) and Gemini (a full handshake each, as a new
# reader's; TLS 1.3 resumption costs about as much); then requests per
# second through
# haproxy (contrib/haproxy.cfg, one replica, send-proxy-v2 and its
# health checks) against the same requests straight to capsuled.
# The load comes from 127.0.1.1-16 (-s), so that so many connections
# to one port do not run out of source ports; URLs name the port of the
# server or of haproxy, so neither capsuled checks it.  Medians of
# BENCH_RUNS runs (3) of BENCH_SECONDS (5) each.
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOOLS:=$TOP/build/tools}"
: "${CAPSULED:=$TOP/capsuled}"
. "$TOP/tests/bench/lib.sh"

if [ ! -x "$CAPSULED" ] || ! "$CAPSULED" --help >/dev/null 2>&1; then
	echo "skip: no runnable $CAPSULED"
	exit 0
fi
ROOT=$CORPUS
[ -d "$ROOT/_posts" ] || ROOT=$TOP/capsule
C=16
S=16

start_capsuled --root "$ROOT" --listen 127.0.0.1 --no-check-port || exit 1
plain_pid=$CAPSULED_PID plain_gemini=$GEMINI_PORT plain_gopher=$GOPHER_PORT
start_capsuled --root "$ROOT" --listen 127.0.0.1 --no-check-port \
    --proxy-from 127.0.0.0/8 --health-path /health \
    --health-selector /health || exit 1
proxied_pid=$CAPSULED_PID proxied_gemini=$GEMINI_PORT
proxied_gopher=$GOPHER_PORT
echo "capsuled on $ROOT, $C connections, ${SECONDS_PER_POINT} s a point"

# haproxy from the shipped file: its frontends on free ports, its one
# replica the proxied capsuled.
hap_gemini=$(free_port)
hap_gopher=$(free_port)
have_haproxy=no
if command -v haproxy >/dev/null 2>&1; then
	sed -e "s/bind :1965/bind 127.0.0.1:$hap_gemini/" \
	    -e "s/bind :70/bind 127.0.0.1:$hap_gopher/" \
	    -e "s/10\.0\.1\.11:1965/127.0.0.1:$proxied_gemini/" \
	    -e "s/10\.0\.1\.11:70/127.0.0.1:$proxied_gopher/" \
	    -e '/10\.0\.1\.12/d' -e 's/example\.org/localhost/g' \
	    -e "s|/run/haproxy/admin.sock|$T_TMP/haproxy.sock|" \
	    "$TOP/contrib/haproxy.cfg" >"$T_TMP/haproxy.cfg"
	haproxy -f "$T_TMP/haproxy.cfg" -db >"$T_TMP/haproxy.log" 2>&1 &
	T_PIDS="$T_PIDS $!"
	if wait_port "$hap_gemini" && wait_port "$hap_gopher"; then
		# Its checks must have the replica up (rise 2, 0.5 s apart).
		sleep 2
		have_haproxy=yes
	else
		echo "skip haproxy: it did not start"
		sed 's/^/    /' "$T_TMP/haproxy.log"
	fi
else
	echo "skip haproxy: not installed (contrib/deps.sh --test)"
fi

while [ "$RUN" -le "$RUNS" ]; do
	point plain "$plain_pid" gopher-menu -P gopher -p "$plain_gopher" \
	    -u "" -c $C -s $S
	point proxied "$proxied_pid" gopher-menu -P gopher \
	    -p "$proxied_gopher" -u "" -c $C -s $S --proxy v2
	point plain "$plain_pid" gemini-full -p "$plain_gemini" -c $C -s $S
	point proxied "$proxied_pid" gemini-full -p "$proxied_gemini" \
	    -c $C -s $S --proxy v2
	if [ $have_haproxy = yes ]; then
		point direct "$plain_pid" gopher-menu -P gopher \
		    -p "$plain_gopher" -u "" -c $C -s $S
		point haproxy "$proxied_pid" gopher-menu -P gopher \
		    -p "$hap_gopher" -u "" -c $C -s $S
		point direct "$plain_pid" gemini-full -p "$plain_gemini" \
		    -c $C -s $S
		point haproxy "$proxied_pid" gemini-full -p "$hap_gemini" \
		    -c $C -s $S
	fi
	RUN=$((RUN + 1))
done

echo
echo "medians of $RUNS runs:"
for s in plain proxied direct haproxy; do
	show_medians "$s"
done
echo
echo "the PROXY header (v2), the server's CPU per request:"
medians | awk '
$1 == "plain" { cpu[$2] = $7; order[++n] = $2 }
$1 == "proxied" { pcpu[$2] = $7 }
END {
	for (i = 1; i <= n; i++) {
		l = order[i]
		if (!(l in pcpu) || cpu[l] == 0)
			continue
		printf "  %-16s %7.1f us without, %7.1f us with: %+6.1f us " \
		    "(%+.1f%%)\n", l, cpu[l], pcpu[l], pcpu[l] - cpu[l],
		    (pcpu[l] / cpu[l] - 1) * 100
	}
}'
if [ $have_haproxy = yes ]; then
	echo "through haproxy against direct (capsuled's CPU per request," \
	    "requests per second):"
	compare haproxy direct
fi
