#!/bin/sh
# contrib/capsuled.logrotate run by the real logrotate against the
# daemon: the file moved away, its postrotate's SIGUSR1 (through the
# pidfile, as without systemd), and the next lines in a new file that
# capsuled makes itself; a second rotation compresses the first.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v logrotate >/dev/null 2>&1 || {
	echo "logrotate not installed (contrib/deps.sh --test)"
	exit 77
}

make_capsule "$T_TMP/capsule"
# The folder is the serving user's (started as root, capsuled serves
# as nobody), as the tmpfiles.d entry and the init script make it.
mkdir "$T_TMP/log"
[ "$(id -u)" -eq 0 ] && chown nobody "$T_TMP/log"
log="$T_TMP/log/capsuled.log"
start_capsuled --root "$T_TMP/capsule" --log "file:$log" || exit 1
echo "$CAPSULED_PID" >"$T_TMP/capsuled.pid"
base="gemini://localhost:$GEMINI_PORT"

# The shipped file with this test's paths; no systemd here.
sed -e "s|/var/log/capsuled|$T_TMP/log|" \
    -e "s|/run/capsuled.pid|$T_TMP/capsuled.pid|" \
    -e "s|/run/systemd/system|$T_TMP/no-systemd|" \
    "$TOP/contrib/capsuled.logrotate" >"$T_TMP/logrotate.conf"
check "the test's copy names its paths" \
    sh -c '! grep -q "/var/log\|/run/" "$1"' - "$T_TMP/logrotate.conf"
rotate() {
	logrotate -f -s "$T_TMP/logrotate.state" "$T_TMP/logrotate.conf" \
	    >"$T_TMP/logrotate.out" 2>&1
}

gem -q "$base/\r\n" 2>/dev/null
check "logged before the rotation" wait_text "$log" '"/" 20 '
check "logrotate runs without an error" rotate
cat "$T_TMP/logrotate.out"
check "the old lines moved to capsuled.log.1" \
    grep -q '"/" 20 ' "$log.1"
check "the postrotate signal: a new file made by capsuled" \
    wait_text "$log" "reopened"
gem -q "$base/about.gmi\r\n" 2>/dev/null
check "the next request in the new file" wait_text "$log" '"/about.gmi" 20 '
check "and not in the old one" sh -c '! grep -q about.gmi "$1"' - "$log.1"

check "a second rotation" rotate
check "compresses the first (delaycompress)" sh -c \
    'gzip -dc "$1.2.gz" | grep -q "\"/\" 20 "' - "$log"
check "the second file is capsuled.log.1" \
    grep -q '"/about.gmi" 20 ' "$log.1"
check "and capsuled writes to a third" wait_text "$log" "reopened"
check "still serving" [ "$(status_line "$base/\r\n" | cut -c1-2)" = 20 ]
stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]
finish
