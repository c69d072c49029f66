#!/bin/sh
# Gemini speed: for the home page and a 100 KB page, full-handshake and
# resumed requests/s at 16 and 64 connections, p99 latency and the
# server's CPU time per request; that CPU time against OpenSSL's own
# cost of a connection (the floor, build/tools/handshake); then the same
# points for molly-brown serving the exported capsule, and the ratios.
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

# floor_ratios: capsuled's CPU per home page request over the floor of
# the same kind of handshake.
floor_ratios() {
	echo "$FLOOR" | awk -v results="$RESULTS" '
	/^FLOOR/ {
		for (i = 2; i <= NF; i++) {
			split($i, a, "=")
			f[a[1]] = a[2]
		}
	}
	END {
		k["full"] = "tls13_full_us"
		k["resumed"] = "tls13_resumed_us"
		k["tls1.2-full"] = "tls12_full_us"
		k["tls1.2-resumed"] = "tls12_resumed_us"
		while ((getline line < results) > 0) {
			split(line, r, " ")
			split(r[2], l, "/")
			if (r[1] != "capsuled" || !(l[2] in k))
				continue
			fl = f[k[l[2]]]
			printf "  %-26s %7.1f us/req = %5.2f x floor (%.1f us)%s\n",
			    r[2], r[7], (fl > 0 ? r[7] / fl : 0), fl,
			    (l[1] == "big" ? ", plus 100 KB of records" : "")
		}
	}'
}

if [ ! -x "$CAPSULED" ] || ! "$CAPSULED" --help >/dev/null 2>&1; then
	echo "skip: no runnable $CAPSULED"
	exit 0
fi

echo "OpenSSL floor, in process, server side only:"
# Its messages (the certificate it generates) only when it fails.
if ! FLOOR=$("$TOOLS/handshake" 2000 2>"$T_TMP/handshake.err"); then
	cat "$T_TMP/handshake.err"
	exit 1
fi
echo "$FLOOR" | sed 's/^/  /'

cap="$T_TMP/capsule"
cp -R "$TOP/capsule" "$cap"
big_page >"$cap${BIG}"

if ! start_capsuled --root "$cap" --listen 127.0.0.1 --hostname localhost; then
	echo "capsuled did not start"
	exit 1
fi
if ! "$G" -p "$GEMINI_PORT" -u "$BIG" -n 1 | grep -Eq '^status +20:'; then
	echo "capsuled does not serve $BIG; its answer:"
	"$G" -p "$GEMINI_PORT" -u "$BIG" -n 1 | grep '^status'
	exit 1
fi

echo
echo "capsuled ($SECONDS_PER_POINT s per point, load generator:" \
    "$LOAD_THREADS thread):"
run_set capsuled "$CAPSULED_PID" "$GEMINI_PORT"
echo
echo "capsuled CPU per request against the floor:"
floor_ratios

echo
if ! command -v molly-brown >/dev/null 2>&1; then
	echo "skip molly-brown: not installed (make bench installs it)"
	exit 0
fi
if ! "$CAPSULED" --root "$cap" --export "$T_TMP/export" \
    >"$T_TMP/export.log" 2>&1 || [ ! -f "$T_TMP/export/index.gmi" ]; then
	echo "skip molly-brown: capsuled --export did not work:"
	sed 's/^/  /' "$T_TMP/export.log" | head -n 5
	exit 0
fi
if ! make_netns; then
	echo "skip molly-brown: it binds every interface and needs a" \
	    "network namespace of its own"
	exit 0
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
NS=1
ip netns exec "$BENCH_NS" molly-brown -c "$T_TMP/molly.conf" &
MOLLY_PID=$!
T_PIDS="$T_PIDS $MOLLY_PID"
if ! ns_wait_port 1965; then
	echo "molly-brown did not start:"
	cat "$T_TMP/molly-error.log"
	exit 1
fi
echo "molly-brown $(dpkg-query -W -f='${Version}' molly-brown 2>/dev/null)," \
    "in network namespace $BENCH_NS, same exported capsule:"
run_set molly-brown "$MOLLY_PID" 1965
NS=0

echo
echo "capsuled / molly-brown (CPU per request: below 1 is better;" \
    "req/s: above 1 is better):"
compare capsuled molly-brown
