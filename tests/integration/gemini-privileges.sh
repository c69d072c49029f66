#!/bin/sh
# Privileges and detaching: started as root, capsuled serves as another
# user (optionally chrooted to the capsule, where reloads still work);
# --daemon detaches and writes its pidfile.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
base() { echo "gemini://localhost:$GEMINI_PORT"; }

# ids PID: the real, effective, saved and file-system uids of PID.
ids() { awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$1/status"; }

if [ "$(id -u)" -ne 0 ]; then
	skip "not root: no privilege drop to check"
else
	nobody=$(id -u nobody)
	start_capsuled --root "$T_TMP/capsule" || exit 1
	check "no user setting: serves as nobody ($(ids "$CAPSULED_PID"))" \
	    [ "$(ids "$CAPSULED_PID")" = "$nobody $nobody $nobody $nobody" ]
	check "no user setting: warned" grep -q "switching to nobody" \
	    "$CAPSULED_LOG"
	got=$(status_line "$(base)/\r\n")
	check "serving after the switch ($got)" [ "${got%% *}" = 20 ]
	stop_capsuled
	check "exit status 0 after the switch" [ "$CAPSULED_STATUS" -eq 0 ]

	out=$(timeout 20 "$CAPSULED" --root "$T_TMP/capsule" \
	    --port "$(free_port)" --gopher-port 0 --certs "$T_TMP/certs" \
	    --user no-such-user-here 2>&1)
	check "unknown user: refuses to start" [ $? -ne 0 ]
	check "unknown user: says so" \
	    sh -c 'echo "$1" | grep -q "no-such-user-here.: no such user"' - \
	    "$out"

	# LeakSanitizer reads /proc, which is not inside the chroot.
	saved=${ASAN_OPTIONS:-}
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
	rm -rf "$T_TMP/certs"
	start_capsuled --root "$T_TMP/capsule" --user nobody --chroot ||
	    exit 1
	ASAN_OPTIONS=$saved
	root=$(readlink "/proc/$CAPSULED_PID/root")
	check "chrooted to the capsule ($root)" [ "$root" = "$T_TMP/capsule" ]
	got=$(status_line "$(base)/posts/2024-01-02-hello.gmi\r\n")
	check "serving in the chroot ($got)" [ "${got%% *}" = 20 ]
	sed -i 's/Hello from the first post./Edited in the chroot./' \
	    "$T_TMP/capsule/_posts/2024-01-02-hello.md"
	kill -HUP "$CAPSULED_PID"
	sleep 1
	check "reload inside the chroot" sh -c \
	    'echo "$1" | grep -q "Edited in the chroot"' - \
	    "$(gem "$(base)/posts/2024-01-02-hello.gmi\r\n" 2>/dev/null)"
	# The pair generated for nobody is nobody's; replaced, it is read
	# again through the certificate folder opened before the chroot.
	check "generated pair owned by the user, key mode 0600" sh -c \
	    '[ "$(stat -c %U:%a "$1/key.pem")" = nobody:600 ] &&
	    [ "$(stat -c %U "$1/cert.pem")" = nobody ]' - "$T_TMP/certs"
	renewed "in the chroot" "$T_TMP/certs" nobody
	stop_capsuled
	check "exit status 0 in the chroot" [ "$CAPSULED_STATUS" -eq 0 ]
fi

# --daemon: the command returns, the daemon runs on, its pid in the file.
GEMINI_PORT=$(free_port)
pidfile="$T_TMP/capsuled.pid"
timeout 20 "$CAPSULED" --root "$T_TMP/capsule" --port "$GEMINI_PORT" \
    --gopher-port 0 --certs "$T_TMP/certs" --daemon --pidfile "$pidfile" \
    --log "file:$T_TMP/daemon.log" >"$T_TMP/daemon.out" 2>&1
check "--daemon: the command returns 0" [ $? -eq 0 ]
wait_port "$GEMINI_PORT"
pid=$(cat "$pidfile" 2>/dev/null)
check "--daemon: pidfile written ($pid)" [ -n "$pid" ]
if [ -n "$pid" ]; then
	T_PIDS="$T_PIDS $pid"
	check "--daemon: the pid is a running capsuled" \
	    grep -q capsuled "/proc/$pid/cmdline"
	check "--daemon: its own session, no terminal" [ "$(awk \
	    '{ print $6 }' "/proc/$pid/stat")" != "$(awk '{ print $6 }' \
	    /proc/$$/stat)" -a "$(awk '{ print $7 }' "/proc/$pid/stat")" = 0 ]
	got=$(status_line "$(base)/\r\n")
	check "--daemon: serving ($got)" [ "${got%% *}" = 20 ]
	check "--daemon: access log in the log file" \
	    wait_text "$T_TMP/daemon.log" ' 20 '
	kill "$pid"
	reap "$pid" 100
	check "--daemon: stops on SIGTERM" \
	    sh -c '! kill -0 "$1" 2>/dev/null' - "$pid"
	check "--daemon: its pidfile removed or emptied" [ ! -s "$pidfile" ]
fi

# A daemon that fails while starting (here: told to serve as root,
# which it refuses once detached) makes the command fail.
if [ "$(id -u)" -eq 0 ]; then
	timeout 20 "$CAPSULED" --root "$T_TMP/capsule" --port "$(free_port)" \
	    --gopher-port 0 --certs "$T_TMP/certs" --daemon \
	    --user root --log "file:$T_TMP/failed.log" \
	    >"$T_TMP/failed.out" 2>&1
	check "--daemon, user root: the command exits 1" [ $? -eq 1 ]
	check "--daemon, user root: it points to the log" \
	    grep -q "its log says why" "$T_TMP/failed.out"
	check "--daemon, user root: the log says why" \
	    grep -q "refusing to serve as root" "$T_TMP/failed.log"

	# As root, serving as nobody: a pidfile in a folder of root's
	# cannot be removed, and is emptied instead.
	mkdir "$T_TMP/run"
	chmod 755 "$T_TMP/run"
	GEMINI_PORT=$(free_port)
	timeout 20 "$CAPSULED" --root "$T_TMP/capsule" --port "$GEMINI_PORT" \
	    --gopher-port 0 --certs "$T_TMP/certs" --daemon --user nobody \
	    --pidfile "$T_TMP/run/c.pid" --log "file:$T_TMP/nobody.log" \
	    >/dev/null 2>&1
	check "--daemon as nobody: the command returns 0" [ $? -eq 0 ]
	pid=$(cat "$T_TMP/run/c.pid" 2>/dev/null)
	check "--daemon as nobody: the pidfile is root's, mode 644 ($(stat -c \
	    %U:%a "$T_TMP/run/c.pid"))" \
	    [ "$(stat -c %U:%a "$T_TMP/run/c.pid")" = root:644 ]
	if [ -n "$pid" ]; then
		T_PIDS="$T_PIDS $pid"
		kill "$pid"
		reap "$pid" 100
	fi
	check "--daemon as nobody: pidfile emptied at exit" sh -c \
	    '[ -n "$1" ] && [ -e "$2" ] && [ ! -s "$2" ]' - "$pid" \
	    "$T_TMP/run/c.pid"
fi
finish
