#!/bin/sh
# The diagnostics of a load go to the configured log: a broken post
# found on SIGHUP is reported at file:line:column in the log file (not
# on stderr), in the foreground and under --daemon, and the summary
# speaks of "1 page", not "1 pages".
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
broken="$T_TMP/capsule/_posts/2024-03-04-broken.md"
log="$T_TMP/file.log"

start_capsuled --root "$T_TMP/capsule" --log "file:$log" || exit 1
printf -- '---\ntitle: [unclosed\n---\nbroken\n' >"$broken"
kill -HUP "$CAPSULED_PID"
check "reloaded, in the log file" wait_text "$log" "reloaded: "
line=$(grep "2024-03-04-broken.md:" "$log" | head -n 1)
check "the broken post is in the log file at file:line:column ($line)" \
    sh -c 'echo "$1" | grep -Eq "2024-03-04-broken.md:[0-9]+:[0-9]+: error: "' \
    - "$line"
check "and not on stderr" sh -c '! grep -q "broken.md" "$1"' - \
    "$CAPSULED_LOG"
got=$(grep "reloaded: " "$log" | tail -n 1)
check "one page is '1 page' ($got)" \
    sh -c 'echo "$1" |
    grep -Eq "reloaded: 2 posts, 1 page, [0-9]+ posts? reused$"' - "$got"
check "the summary of the load in the log file" \
    grep -Eq " 2 posts, 1 page, [0-9]+ static files, 0 warnings, 1 error, " \
    "$log"
check "SIGTERM: clean exit" stop_capsuled
rm -f "$broken"

# --daemon: stderr is /dev/null; the log file has everything, from the
# start-up load on.
GEMINI_PORT=$(free_port)
dlog="$T_TMP/daemon.log"
pidfile="$T_TMP/capsuled.pid"
printf -- '---\ntitle: "x\n---\nbroken at start\n' >"$broken"
timeout 20 "$CAPSULED" --root "$T_TMP/capsule" --port "$GEMINI_PORT" \
    --gopher-port 0 --certs "$T_TMP/certs" --daemon --pidfile "$pidfile" \
    --log "file:$dlog" >"$T_TMP/daemon.out" 2>&1
check "--daemon: started" [ $? -eq 0 ]
pid=$(cat "$pidfile" 2>/dev/null)
if [ -z "$pid" ]; then
	fail "--daemon: no pid"
	finish
fi
T_PIDS="$T_PIDS $pid"
check "--daemon: the start-up diagnostic in the log file" \
    grep -Eq "2024-03-04-broken.md:[0-9]+:[0-9]+: error: " "$dlog"
printf -- '---\ntitle: Fine\n---\nfine\n' >"$broken"
printf -- '---\ntitle: [\n---\n' >"$T_TMP/capsule/_posts/2024-03-05-other.md"
kill -HUP "$pid"
check "--daemon: reloaded" wait_text "$dlog" "reloaded: 3 posts, 1 page, "
check "--daemon: the reload's diagnostic in the log file" \
    grep -Eq "2024-03-05-other.md:[0-9]+:[0-9]+: error: " "$dlog"
kill "$pid"
reap "$pid" 100
check "--daemon: stopped" sh -c '! kill -0 "$1" 2>/dev/null' - "$pid"
finish
