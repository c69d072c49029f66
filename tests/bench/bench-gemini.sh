#!/bin/sh
# Gemini speed: for the home page and a 100 KB page, full-handshake and
# resumed requests/s at 16 and 64 connections, p99 latency and the
# server's CPU time per request; that CPU time against OpenSSL's own
# cost of a connection (the floor, build/tools/handshake); then the same
# points for molly-brown serving the exported capsule, and the ratios.
# The whole set runs BENCH_RUNS times (3): the floor, capsuled and
# molly-brown in turn, so that a slow minute of this shared machine
# weighs on all three alike.  The figures are the medians of the runs,
# and each run's CPU per request is set against that run's floor.
#
# On a 2-core machine the load generator takes about as much CPU as the
# server (the client side of a handshake costs as much as the server
# side), so requests/s say little alone: compare CPU per request.
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOOLS:=$TOP/build/tools}"
: "${CAPSULED:=$TOP/capsuled}"
. "$TOP/tests/bench/lib.sh"

BIG=/bench-100k.gmi

# big_page: about 100 KB of gemtext, headings, paragraphs and links.
big_page() {
	awk 'BEGIN {
		print "# A long page\n"
		for (i = 1; n < 102400; i++) {
			s = sprintf("## Section %d\n\nThe quick brown fox jumps over " \
			    "the lazy dog, and the capsule serves it again, paragraph " \
			    "%d of a page long enough to take many TLS records.\n" \
			    "=> /posts/%d/ Another post\n\n", i, i, i)
			printf "%s", s
			n += length(s)
		}
	}'
}

# run_set SERVER PID PORT: the points for one server.
run_set() {
	for page in home big; do
		path=/
		[ "$page" = big ] && path=$BIG
		for c in 16 64; do
			point "$1" "$2" "$page/full/$c" -p "$3" -u "$path" -c "$c"
			point "$1" "$2" "$page/resumed/$c" -p "$3" -u "$path" \
			    -c "$c" -r
		done
	done
	point "$1" "$2" home/tls1.2-full/16 -p "$3" -c 16 --tls1.2
	point "$1" "$2" home/tls1.2-resumed/16 -p "$3" -c 16 --tls1.2 -r
}

# floor RUN: the floor program's figures, kept in FLOORS as
# "RUN key=value..." (its whole table printed for the first run only).
floor() {
	if ! _f=$("$TOOLS/handshake" 2000 2>"$T_TMP/handshake.err"); then
		cat "$T_TMP/handshake.err"
		return 1
	fi
	if [ "$1" = 1 ]; then
		echo "$_f" | grep -v '^FLOOR' | sed 's/^/  /'
	fi
	echo "$_f" | grep '^FLOOR' | sed 's/^/  /'
	echo "$_f" | sed -n "s/^FLOOR/$1/p" >>"$FLOORS"
}

# floor_ratios: for each capsuled label, the median of its CPU per
# request, of the floor of the same kind of handshake, and of the
# ratios of the two within each run.
floor_ratios() {
	awk "$MEDIAN_AWK"'
	BEGIN {
		k["full"] = "tls13_full_us"
		k["resumed"] = "tls13_resumed_us"
		k["tls1.2-full"] = "tls12_full_us"
		k["tls1.2-resumed"] = "tls12_resumed_us"
	}
	FILENAME == ARGV[1] {
		for (i = 2; i <= NF; i++) {
			split($i, a, "=")
			f[$1, a[1]] = a[2]
		}
		next
	}
	$1 == "capsuled" {
		split($2, l, "/")
		if (!(l[2] in k) || (fl = f[$8, k[l[2]]]) <= 0)
			next
		if (!($2 in n))
			order[++nl] = $2
		i = ++n[$2]
		cpu[$2, i] = $7
		floors[$2, i] = fl
		ratio[$2, i] = $7 / fl
		big[$2] = (l[1] == "big")
	}
	END {
		for (o = 1; o <= nl; o++) {
			lb = order[o]
			for (i = 1; i <= n[lb]; i++) {
				c[i] = cpu[lb, i]
				fa[i] = floors[lb, i]
				r[i] = ratio[lb, i]
			}
			printf "  %-26s %7.1f us/req = %5.2f x floor (%.1f us)%s\n",
			    lb, median(c, n[lb]), median(r, n[lb]),
			    median(fa, n[lb]),
			    (big[lb] ? ", plus 100 KB of records" : "")
		}
	}' "$FLOORS" "$RESULTS"
}

# start_molly: molly-brown on the exported capsule, in a network
# namespace of its own; false, with the reason, when it cannot run.
start_molly() {
	if ! command -v molly-brown >/dev/null 2>&1; then
		echo "skip molly-brown: not installed (make bench installs it)"
		return 1
	fi
	if ! "$CAPSULED" --root "$cap" --export "$T_TMP/export" \
	    >"$T_TMP/export.log" 2>&1 || [ ! -f "$T_TMP/export/index.gmi" ]; then
		echo "skip molly-brown: capsuled --export did not work:"
		sed 's/^/  /' "$T_TMP/export.log" | head -n 5
		return 1
	fi
	if ! make_netns; then
		echo "skip molly-brown: it binds every interface and needs a" \
		    "network namespace of its own"
		return 1
	fi
	# The same key and certificate as capsuled, so the handshakes match.
	cat >"$T_TMP/molly.conf" <<EOF
Port = 1965
Hostname = "localhost"
CertPath = "$T_TMP/certs/cert.pem"
KeyPath = "$T_TMP/certs/key.pem"
DocBase = "$T_TMP/export"
AccessLog = "$T_TMP/molly-access.log"
ErrorLog = "$T_TMP/molly-error.log"
EOF
	ip netns exec "$BENCH_NS" molly-brown -c "$T_TMP/molly.conf" &
	MOLLY_PID=$!
	T_PIDS="$T_PIDS $MOLLY_PID"
	NS=1
	ns_wait_port 1965
	_up=$?
	NS=0
	if [ "$_up" -ne 0 ]; then
		echo "molly-brown did not start:"
		cat "$T_TMP/molly-error.log"
		return 1
	fi
	echo "molly-brown $(dpkg-query -W -f='${Version}' molly-brown \
	    2>/dev/null) serves the exported capsule in network namespace" \
	    "$BENCH_NS"
}

if [ ! -x "$CAPSULED" ] || ! "$CAPSULED" --help >/dev/null 2>&1; then
	echo "skip: no runnable $CAPSULED"
	exit 0
fi

cap="$T_TMP/capsule"
cp -R "$TOP/capsule" "$cap"
big_page >"$cap${BIG}"

if ! start_capsuled --root "$cap" --listen 127.0.0.1 --hostname localhost \
    --max-connections-per-ip 0; then
	echo "capsuled did not start"
	exit 1
fi
if ! "$G" -p "$GEMINI_PORT" -u "$BIG" -n 1 | grep -Eq '^status +20:'; then
	echo "capsuled does not serve $BIG; its answer:"
	"$G" -p "$GEMINI_PORT" -u "$BIG" -n 1 | grep '^status'
	exit 1
fi
MOLLY=0
start_molly && MOLLY=1
FLOORS="$T_TMP/floors"
: >"$FLOORS"

echo "$RUNS runs of: OpenSSL's floor (in process, server side only)," \
    "capsuled$([ "$MOLLY" = 1 ] && echo ", molly-brown");" \
    "$SECONDS_PER_POINT s per point, load generator: $LOAD_THREADS thread"
while [ "$RUN" -le "$RUNS" ]; do
	echo
	echo "run $RUN of $RUNS:"
	floor "$RUN" || exit 1
	run_set capsuled "$CAPSULED_PID" "$GEMINI_PORT"
	if [ "$MOLLY" = 1 ]; then
		NS=1
		run_set molly-brown "$MOLLY_PID" 1965
		NS=0
	fi
	RUN=$((RUN + 1))
done

echo
echo "capsuled, medians of $RUNS runs:"
show_medians capsuled
echo
echo "capsuled CPU per request against the floor (medians of $RUNS runs):"
floor_ratios
[ "$MOLLY" = 1 ] || exit 0
echo
echo "molly-brown, medians of $RUNS runs:"
show_medians molly-brown
echo
echo "capsuled / molly-brown (medians; CPU per request: below 1 is" \
    "better; req/s: above 1 is better):"
compare capsuled molly-brown
