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
# Started as root, the daemon serves as "nobody", which must still be
# able to read the capsule when it reloads.
chmod 755 "$T_TMP"

# reap PID TENTHS: wait up to TENTHS tenths of a second for PID to go,
# then SIGKILL it.
reap() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
}

cleanup() {
	for p in $T_PIDS; do
		kill "$p" 2>/dev/null
	done
	# Give each process up to 5 s to finish, then force.
	for p in $T_PIDS; do
		reap "$p" 50
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
# ports and wait until it serves (it says so on stderr, or in the file
# of --log file:PATH or --log-file PATH);
# sets GEMINI_PORT, GOPHER_PORT, CAPSULED_PID, CAPSULED_LOG.
start_capsuled() {
	GEMINI_PORT=$(free_port)
	GOPHER_PORT=$(free_port)
	CAPSULED_LOG="$T_TMP/capsuled.$GEMINI_PORT.log"
	mkdir -p "$T_TMP/certs"
	"$CAPSULED" --port "$GEMINI_PORT" --gopher-port "$GOPHER_PORT" \
	    --certs "$T_TMP/certs" "$@" >"$CAPSULED_LOG" 2>&1 &
	CAPSULED_PID=$!
	T_PIDS="$T_PIDS $CAPSULED_PID"
	# Listening comes before the certificate and the workers: wait
	# for the line that says it serves (in the log file, if one).
	msgs=$CAPSULED_LOG
	prev=""
	for a in "$@"; do
		case "$prev $a" in
		"--log file:"*) msgs=${a#file:} ;;
		*" --log=file:"*) msgs=${a#--log=file:} ;;
		"--log-file "*) msgs=$a ;;
		*" --log-file="*) msgs=${a#--log-file=} ;;
		esac
		prev=$a
	done
	if ! wait_port "$GEMINI_PORT" || ! wait_text "$msgs" "serving "; then
		echo "capsuled did not start; its log:" >&2
		cat "$CAPSULED_LOG" >&2
		return 1
	fi
}

# stop_capsuled [SIGNAL]: SIGTERM (or SIGNAL) and wait up to 10 s for the
# daemon to exit (then SIGKILL); true when it exited by itself.  Sets
# CAPSULED_STATUS to its exit status.
stop_capsuled() {
	kill -"${1:-TERM}" "$CAPSULED_PID" 2>/dev/null
	reap "$CAPSULED_PID" 100 &
	watchdog=$!
	wait "$CAPSULED_PID"
	CAPSULED_STATUS=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	[ "$CAPSULED_STATUS" -ne 137 ]
}

# sockets PID: how many sockets PID has open.
sockets() {
	find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | wc -l
}

# wait_sockets PID -le|-ge N TENTHS: wait up to TENTHS tenths of a second
# for PID to hold at most (-le) or at least (-ge) N sockets.
wait_sockets() {
	i=0
	# The comparison is an argument: test(1) reads it, as [ would.
	until test "$(sockets "$1")" "$2" "$3"; do
		[ $i -ge "$4" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# served_fp: the SHA-256 fingerprint of the certificate the daemon of
# start_capsuled serves (AB:CD:...).
served_fp() {
	printf '' | timeout 10 openssl s_client -connect \
	    "127.0.0.1:$GEMINI_PORT" -servername localhost 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//'
}

# file_fp FILE: the SHA-256 fingerprint of a PEM certificate.
file_fp() {
	openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//'
}

# new_pair DIR [OWNER]: a new ECDSA P-256 self-signed pair put in place
# of DIR/cert.pem and DIR/key.pem (renamed over them, as tools that
# renew certificates do), owned by OWNER when given; prints nothing.
new_pair() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1/.new.key" -out "$1/.new.crt" -days 30 \
	    -subj /CN=localhost 2>/dev/null
	chmod 600 "$1/.new.key"
	[ -n "${2:-}" ] && chown "$2" "$1/.new.key" "$1/.new.crt"
	mv "$1/.new.key" "$1/key.pem"
	mv "$1/.new.crt" "$1/cert.pem"
}

# renewed WHAT DIR [OWNER]: a new pair in DIR (new_pair), then SIGHUP to
# the daemon of start_capsuled: checks that it serves the new one.
renewed() {
	new_pair "$2" "${3:-}"
	new=$(file_fp "$2/cert.pem")
	kill -HUP "$CAPSULED_PID"
	wait_log "certificate .*$new"
	got=$(served_fp)
	check "$1: the renewed pair served after SIGHUP ($got)" \
	    [ "$got" = "$new" ]
}

# wait_text FILE TEXT [N [SECONDS]]: wait up to SECONDS (10) for FILE
# to hold TEXT (N times when given).
wait_text() {
	i=0
	while :; do
		# (A file not there yet holds the text no times.)
		n=$(grep -c -- "$2" "$1" 2>/dev/null)
		[ "${n:-0}" -ge "${3:-1}" ] && return 0
		[ $i -ge $((${4:-10} * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# wait_log TEXT [N]: wait_text on the daemon's stderr.
wait_log() { wait_text "$CAPSULED_LOG" "$@"; }

# make_capsule DIR: a small Jekyll capsule: two posts, a page, and one
# static file of each common type (under img/ and files/).
make_capsule() {
	mkdir -p "$1/_posts" "$1/img" "$1/files"
	cat >"$1/_config.yml" <<-'EOF'
	title: Test Capsule
	description: A capsule for the integration tests.
	author: Tess Ter
	lang: en
	EOF
	cat >"$1/_posts/2024-01-02-hello.md" <<-'EOF'
	---
	title: Hello
	categories: [news]
	tags: [intro]
	---
	Hello from the first post.
	EOF
	cat >"$1/_posts/2024-02-03-second.md" <<-'EOF'
	---
	title: Second post
	lang: fr
	---
	Bonjour, this is the *second* post.
	EOF
	cat >"$1/about.md" <<-'EOF'
	---
	title: About
	permalink: /about/
	---
	About this capsule.
	EOF
	printf '\211PNG\r\n\032\n' >"$1/img/pixel.png"
	printf '\377\330\377\340' >"$1/img/photo.jpg"
	printf 'GIF89a' >"$1/img/anim.gif"
	printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$1/img/logo.svg"
	printf 'RIFF\0\0\0\0WEBP' >"$1/img/pic.webp"
	printf '%%PDF-1.4\n' >"$1/files/paper.pdf"
	printf 'plain text\n' >"$1/files/notes.txt"
	printf '<?xml version="1.0"?><x/>\n' >"$1/files/data.xml"
	printf '\0\1\2' >"$1/files/blob.qqq"
}

# gopher_raw PORT SELECTOR [SOURCE]: the raw reply to SELECTOR on
# 127.0.0.1:PORT, from the address SOURCE when given.
gopher_raw() {
	timeout 10 python3 -c 'import socket, sys
src = (sys.argv[3], 0) if len(sys.argv) > 3 else None
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5, src)
s.sendall(sys.argv[2].encode() + b"\r\n")
d = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    d += b
sys.stdout.write(d.decode(errors="replace"))' "$@"
}

# gem [CLIENT OPTIONS] REQUEST: the test client against the daemon of
# start_capsuled (see tests/tools/gemini-client.c).
gem() {
	"$TOOLS/gemini-client" -p "$GEMINI_PORT" "$@"
}

# status_line [CLIENT OPTIONS] REQUEST: the response's first line,
# without its CRLF.
status_line() {
	gem "$@" 2>/dev/null | head -n 1 | tr -d '\r'
}

# Terminal programs in a private tmux server (see ../shared/CLIENTS.md):
# tui_start COMMAND starts it in a throwaway HOME, 100x30; tui_screen
# prints the screen; tui_wait TEXT waits up to 10 s for TEXT on it (and
# prints the screen when it does not come); tui_keys KEYS... types.
tui_start() {
	TUI_HOME=$T_TMP/tui-home
	mkdir -p "$TUI_HOME/.config" "$TUI_HOME/.cache" "$TUI_HOME/.local/share"
	TUI_SOCK=$TUI_HOME/tmux.sock
	HOME=$TUI_HOME XDG_CONFIG_HOME=$TUI_HOME/.config \
	    XDG_CACHE_HOME=$TUI_HOME/.cache \
	    XDG_DATA_HOME=$TUI_HOME/.local/share TERM=tmux-256color \
	    tmux -S "$TUI_SOCK" -f /dev/null new-session -d -x 100 -y 30 "$1" ||
	    return 1
	T_PIDS="$T_PIDS $(tmux -S "$TUI_SOCK" display-message -p '#{pid}')"
	tmux -S "$TUI_SOCK" set-option -g remain-on-exit on >/dev/null
}
tui_screen() { tmux -S "$TUI_SOCK" capture-pane -p; }
tui_wait() {
	if timeout 10 sh -c 'until tmux -S "$1" capture-pane -p |
	    grep -qF -- "$2"; do sleep 0.1; done' - "$TUI_SOCK" "$1"; then
		return 0
	fi
	echo "screen while waiting for '$1':"
	tui_screen | sed 's/^/    /'
	return 1
}
tui_keys() {
	tmux -S "$TUI_SOCK" send-keys "$@"
	sleep 0.3
}
