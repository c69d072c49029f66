#!/bin/sh
# The sandbox around the serving process: no new privileges, a seccomp
# filter, landlock, no capability left (started as root, or as a user
# given CAP_NET_BIND_SERVICE to bind low ports); a program applying the
# same sandbox cannot open /etc/passwd, execve, make a socket or
# ptrace; reload and shutdown still work inside it.
. "$(dirname "$0")/lib.sh"

T="$TOOLS/sandbox-try"
make_capsule "$T_TMP/capsule"
post="$T_TMP/capsule/_posts/2024-01-02-hello.md"

# status PID FIELD: a field of /proc/PID/status.
status() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# The same sandbox, tried.
if [ -x "$T" ]; then
	mkdir -p "$T_TMP/try/root" "$T_TMP/try/certs"
	echo "# page" >"$T_TMP/try/root/page.gmi"
	echo "not a key" >"$T_TMP/try/certs/cert.pem"
	"$T" "$T_TMP/try/root" "$T_TMP/try/certs" >"$T_TMP/try.out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok   "*) ok "sandbox: ${line#ok   }" ;;
		"FAIL "*) fail "sandbox: ${line#FAIL }" ;;
		esac
	done <"$T_TMP/try.out"
	check "the sandbox program ran every try (exit $rc)" [ "$rc" -eq 0 ]
else
	fail "no $T"
fi

# sandboxed PID: the daemon's sandbox, as /proc shows it.
sandboxed() {
	check "$2: NoNewPrivs: 1" [ "$(status "$1" NoNewPrivs)" = 1 ]
	check "$2: Seccomp: 2 (filter)" [ "$(status "$1" Seccomp)" = 2 ]
	check "$2: CapEff 0 ($(status "$1" CapEff))" \
	    [ "$(status "$1" CapEff)" = 0000000000000000 ]
	check "$2: CapPrm 0" [ "$(status "$1" CapPrm)" = 0000000000000000 ]
	check "$2: CapAmb 0" [ "$(status "$1" CapAmb)" = 0000000000000000 ]
}

# reloads BASE: an edited post is served after SIGHUP, inside the sandbox.
reloads() {
	sed -i "s/^\(Hello\|Edited\).*/Edited under the sandbox, $2./" "$post"
	kill -HUP "$CAPSULED_PID"
	i=0
	while ! gem "$1/posts/2024-01-02-hello.gmi\r\n" 2>/dev/null |
	    grep -q "Edited under the sandbox, $2\." && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "$2: SIGHUP reloads the tree under the sandbox" [ $i -lt 50 ]
}

# The release build, then the sanitized one the other tests run.
for build in "$TOP/capsuled" "$CAPSULED"; do
	name=release
	[ "$build" = "$CAPSULED" ] && name=sanitized
	[ -x "$build" ] || { skip "$name not built"; continue; }
	CAPSULED=$build start_capsuled --root "$T_TMP/capsule" || exit 1
	base="gemini://localhost:$GEMINI_PORT"
	sandboxed "$CAPSULED_PID" "$name"
	if [ "$(id -u)" -eq 0 ]; then
		check "$name, started as root: empty bounding set" \
		    [ "$(status "$CAPSULED_PID" CapBnd)" = 0000000000000000 ]
	fi
	check "$name: landlock in force, or said to be missing" grep -Eq \
	    "landlock ABI [0-9]+: reading|landlock is not available" \
	    "$CAPSULED_LOG"
	got=$(status_line "$base/\r\n")
	check "$name: serving ($got)" [ "${got%% *}" = 20 ]
	reloads "$base" "$name"
	check "$name: SIGTERM stops it" stop_capsuled
	check "$name: exit status 0 ($CAPSULED_STATUS)" \
	    [ "$CAPSULED_STATUS" -eq 0 ]
done

# As a user with CAP_NET_BIND_SERVICE alone (systemd's
# AmbientCapabilities): binds a port below 1024, then has none left.
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	skip "not root, or no setpriv: no start with an ambient capability"
	finish
fi
low=$(python3 -c 'import socket, random
for p in random.sample(range(600, 1000), 400):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break')
mkdir -p "$T_TMP/ucerts"
chown nobody "$T_TMP/ucerts"
chmod -R a+rX "$T_TMP/capsule"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    --inh-caps=+net_bind_service --ambient-caps=+net_bind_service \
    "$CAPSULED" --root "$T_TMP/capsule" --listen 127.0.0.1 --port "$low" \
    --gopher-port 0 --certs "$T_TMP/ucerts" >"$T_TMP/user.log" 2>&1 &
CAPSULED_PID=$!
T_PIDS="$T_PIDS $CAPSULED_PID"
GEMINI_PORT=$low
CAPSULED_LOG=$T_TMP/user.log
if wait_port "$low" && wait_log "serving "; then
	check "as nobody with CAP_NET_BIND_SERVICE: bound port $low" true
	check "as nobody: uid $(status "$CAPSULED_PID" Uid)" \
	    [ "$(status "$CAPSULED_PID" Uid)" = "$(id -u nobody)" ]
	sandboxed "$CAPSULED_PID" "as nobody, once bound"
	got=$(status_line "gemini://localhost:$low/\r\n")
	check "as nobody: serving ($got)" [ "${got%% *}" = 20 ]
	reloads "gemini://localhost:$low" "as nobody"
	check "as nobody: SIGTERM stops it" stop_capsuled
	check "as nobody: exit status 0 ($CAPSULED_STATUS)" \
	    [ "$CAPSULED_STATUS" -eq 0 ]
else
	fail "as nobody with CAP_NET_BIND_SERVICE: did not start"
	cat "$T_TMP/user.log"
fi
finish
