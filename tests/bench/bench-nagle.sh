#!/bin/sh
# Clients that leave Nagle's algorithm on: the median time of a request
# of the home page (connect to last byte, and from the end of the
# handshake), with and without TCP_NODELAY, over TLS 1.3 and 1.2;
# BENCH_RUNS runs (3) of 50 tries each, in turns, medians of the runs.
# A TLS 1.3 server that held its session ticket back for the response
# made such a client wait for a delayed ack (40 ms).
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOOLS:=$TOP/build/tools}"
: "${CAPSULED:=$TOP/capsuled}"
. "$TOP/tests/bench/lib.sh"

if [ ! -x "$CAPSULED" ] || ! command -v python3 >/dev/null 2>&1; then
	echo "skip: no runnable $CAPSULED or no python3"
	exit 0
fi
if ! start_capsuled --root "$TOP/capsule" --listen 127.0.0.1 \
    --log none; then
	echo "capsuled did not start"
	exit 1
fi
client="$TOP/tests/integration/tls_nagle.py"
cases="tls1.3:nagle tls1.3:nodelay tls1.2:nagle tls1.2:nodelay"
run=1
while [ $run -le "$RUNS" ]; do
	for c in $cases; do
		opts=""
		[ "${c#*:}" = nodelay ] && opts="--nodelay"
		[ "${c%%:*}" = tls1.2 ] && opts="$opts --tls1.2"
		# shellcheck disable=SC2086 # options, split on purpose
		python3 "$client" "$GEMINI_PORT" 50 $opts |
		    sed "s/^/$c /" >>"$RESULTS"
	done
	run=$((run + 1))
done
# median COLUMN CASE: the median of the runs' medians of one figure.
median() {
	grep "^$2 " "$RESULTS" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p" |
	    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
printf '%-16s %12s %12s\n' client "request ms" "whole ms"
for c in $cases; do
	printf '%-16s %12s %12s\n' "$c" "$(median median_ms "$c")" \
	    "$(median total_median_ms "$c")"
done
stop_capsuled
