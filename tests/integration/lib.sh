# Shared helpers for integration tests (sourced, POSIX sh).
#
# Each test script: . "$(dirname "$0")/lib.sh", then ok/fail/skip per
# check, and `finish` at the end, which prints "N passed, M failed".
# start_capsuled runs the real daemon on loopback with free ports and
# registers it for cleanup; everything a test starts is stopped on exit.

set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CAPSULED:=$TOP/build/asan/capsuled}"
: "${TOOLS:=$TOP/build/tools}"
CORPUS="${CORPUS:-$TOP/../shared/corpus/whirl-offload}"

T_PASSED=0
T_FAILED=0
T_SKIPPED=0
T_PIDS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/capsuled-test.XXXXXX")

cleanup() {
	for p in $T_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $T_PIDS; do
		# Give the daemon up to 5 s to finish, then force.
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok()   { T_PASSED=$((T_PASSED + 1)); echo "ok   $*"; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $*"; }
skip() { T_SKIPPED=$((T_SKIPPED + 1)); echo "skip $*"; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else fail "$d"; fi
}

finish() {
	echo "$T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# A TCP port nobody listens on (on 127.0.0.1), picked by the kernel.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# wait_port PORT [HOST]: wait up to 20 s for a listener.
wait_port() {
	i=0
	while [ $i -lt 200 ]; do
		if python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[2], int(sys.argv[1])), 0.5)
s.close()' "$1" "${2:-127.0.0.1}" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start_capsuled [ARGS...]: start the daemon in the foreground on free
# ports; sets GEMINI_PORT, GOPHER_PORT, CAPSULED_PID, CAPSULED_LOG.
start_capsuled() {
	GEMINI_PORT=$(free_port)
	GOPHER_PORT=$(free_port)
	CAPSULED_LOG="$T_TMP/capsuled.$GEMINI_PORT.log"
	mkdir -p "$T_TMP/certs"
	"$CAPSULED" --port "$GEMINI_PORT" --gopher-port "$GOPHER_PORT" \
	    --certs "$T_TMP/certs" "$@" >"$CAPSULED_LOG" 2>&1 &
	CAPSULED_PID=$!
	T_PIDS="$T_PIDS $CAPSULED_PID"
	if ! wait_port "$GEMINI_PORT"; then
		echo "capsuled did not start; its log:" >&2
		cat "$CAPSULED_LOG" >&2
		return 1
	fi
}

# stop_capsuled: SIGTERM and wait (bounded) for the daemon to exit.
stop_capsuled() {
	kill "$CAPSULED_PID" 2>/dev/null
	i=0
	while kill -0 "$CAPSULED_PID" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! kill -0 "$CAPSULED_PID" 2>/dev/null
}
