# Shared helpers for the benchmarks (sourced, POSIX sh), on top of the
# integration tests' lib.sh (free ports, start_capsuled, cleanup of what
# was started).
#
#   BENCH_SECONDS   length of each measured point (5)
#   BENCH_THREADS   event loops of the load generator (1)
#   BENCH_RUNS      runs of each set of points, where a script repeats
#                   them (3)
#
# Each point is one gemload run; the server's CPU time over it, read from
# /proc, is divided by the requests it completed.  A script that runs its
# points several times (RUN is the current run) reports the medians.

# shellcheck source=../integration/lib.sh

. "$TOP/tests/integration/lib.sh"

G="$TOOLS/gemload"
SECONDS_PER_POINT="${BENCH_SECONDS:-5}"
LOAD_THREADS="${BENCH_THREADS:-1}"
# shellcheck disable=SC2034 # read by the scripts that source this file
RUNS="${BENCH_RUNS:-3}"
RUN=1
CLK_TCK=$(getconf CLK_TCK)
BENCH_NS=""		# network namespace, when one was made
RESULTS="$T_TMP/results"
: >"$RESULTS"

bench_cleanup() {
	cleanup
	[ -n "$BENCH_NS" ] && ip netns del "$BENCH_NS" 2>/dev/null
}
trap bench_cleanup EXIT

# cpu_ticks PID: user+system clock ticks of PID and of the children it
# has reaped.  A server that forks per connection (socat running
# gophernicus) is read once its children are gone (at most 5 s): a child
# still running would be counted now and again, once reaped.
cpu_ticks() {
	_i=0
	while [ -n "$(cat /proc/"$1"/task/*/children 2>/dev/null)" ] &&
	    [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ -r "/proc/$1/stat" ]; then
		sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 + $14 + $15 }'
	else
		echo 0
	fi
}

# make_netns: a network namespace whose only interface is loopback, for
# servers that bind every interface.  Sets BENCH_NS; false when this
# machine cannot make one (not root, no ip, no netns support).
make_netns() {
	if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
		echo "not root or no ip(8): no network namespace"
		return 1
	fi
	BENCH_NS="capsuled-bench-$$"
	if ! ip netns add "$BENCH_NS" 2>/dev/null; then
		echo "cannot create a network namespace here"
		BENCH_NS=""
		return 1
	fi
	if ! ip -n "$BENCH_NS" link set lo up; then
		echo "cannot bring up loopback in $BENCH_NS"
		return 1
	fi
}

# in_ns COMMAND...: run inside the namespace when one is in use (NS=1).
in_ns() {
	if [ "${NS:-0}" = 1 ]; then
		ip netns exec "$BENCH_NS" "$@"
	else
		"$@"
	fi
}

# ns_wait_port PORT: wait up to 10 s for a listener, inside the
# namespace when NS=1 (one connection attempt every 0.1 s; whatever the
# server says to a stray line, a refused connect is the only "not yet").
ns_wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		if in_ns "$G" -a 127.0.0.1 -p "$1" -P gopher -n 1 -T 1 2>&1 |
		    grep -q ' connect: 0 '; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# point SERVER PID LABEL GEMLOAD-ARGS...: one measured run.  Prints a
# line and appends "SERVER LABEL rps p50 p99 errors cpu_us RUN" to
# RESULTS.
point() {
	_srv=$1 _pid=$2 _label=$3
	shift 3
	_before=$(cpu_ticks "$_pid")
	_out=$(in_ns "$G" -t "$LOAD_THREADS" -d "$SECONDS_PER_POINT" "$@" 2>&1)
	_after=$(cpu_ticks "$_pid")
	_res=$(echo "$_out" | grep '^RESULT')
	if [ -z "$_res" ]; then
		echo "$_srv $_label: gemload failed: $_out"
		return
	fi
	echo "$_srv $_label $_res $((_after - _before))" |
	    awk -v hz="$CLK_TCK" -v run="$RUN" '
	function get(k,   i, a) {
		for (i = 3; i <= NF; i++) {
			split($i, a, "=")
			if (a[1] == k)
				return a[2]
		}
	}
	{
		ok = get("ok")
		cpu = (ok > 0 ? $NF * 1e6 / hz / ok : 0)
		printf "%s %s %s %s %s %s %.1f %s\n", $1, $2, get("rps"),
		    get("p50_ms"), get("p99_ms"), get("errors"), cpu, run
	}' >>"$RESULTS"
	tail -n 1 "$RESULTS" | show_points
	if echo "$_out" | grep -q '^status' &&
	    ! echo "$_out" | grep -Eq '^status +(20|ok): [0-9]+(, err: 0)?$'; then
		echo "$_out" | grep '^status' | sed 's/^/    unexpected: /'
	fi
}

# show_points: RESULTS lines on stdin, as a table.
show_points() {
	awk '{
		printf "  %-10s %-26s %9.1f req/s  p50 %6.2f ms  p99 %7.2f ms",
		    $1, $2, $3, $4, $5
		printf "  errors %s  cpu %7.1f us/req\n", $6, $7 }'
}

# MEDIAN_AWK: median(a, n), the median of a[1..n] (sorts a).
MEDIAN_AWK='
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}'

# medians: RESULTS with one line per server and label, each figure the
# median of its runs (errors: the sum), in the order first measured.
medians() {
	awk "$MEDIAN_AWK"'
	{
		k = $1 " " $2
		if (!(k in n))
			order[++nk] = k
		i = ++n[k]
		for (c = 3; c <= 7; c++)
			v[k, c, i] = $c
	}
	END {
		for (o = 1; o <= nk; o++) {
			k = order[o]
			line = k
			for (c = 3; c <= 7; c++) {
				split("", a)
				s = 0
				for (i = 1; i <= n[k]; i++) {
					a[i] = v[k, c, i]
					s += a[i]
				}
				line = line " " (c == 6 ? s : median(a, n[k]))
			}
			print line, n[k]
		}
	}' "$RESULTS"
}

# show_medians SERVER: its medians, as a table.
show_medians() {
	medians | awk -v s="$1" '$1 == s' | show_points
}

# compare A B: the ratios of server A to server B over the labels both
# measured, medians over the runs (CPU per request: lower is better;
# req/s: higher is better).
compare() {
	medians | awk -v a="$1" -v b="$2" '
	$1 == a { rps[$2] = $3; cpu[$2] = $7; order[++n] = $2 }
	$1 == b { orps[$2] = $3; ocpu[$2] = $7 }
	END {
		printf "  %-26s %12s %12s\n", "", "CPU/request", "requests/s"
		for (i = 1; i <= n; i++) {
			l = order[i]
			if (!(l in ocpu) || ocpu[l] == 0 || orps[l] == 0)
				continue
			printf "  %-26s %11.3gx %11.3gx\n", l, cpu[l] / ocpu[l],
			    rps[l] / orps[l]
		}
	}'
}

# gopher_fetch PORT SELECTOR: the raw answer of a Gopher server.
gopher_fetch() {
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.settimeout(5)
s.sendall(sys.argv[2].encode() + b"\r\n")
while True:
    b = s.recv(65536)
    if not b:
        break
    sys.stdout.buffer.write(b)' "$1" "$2"
}
