#!/bin/sh
# The README's "Run it on a VPS", command by command ("    $ " lines), on
# a copy of this machine: a mount namespace of its own whose /etc, /usr,
# /var and /srv are overlays (what the commands write lands in the
# test's folder), and a network namespace of its own, where capsuled
# binds 0.0.0.0:1965 and :70 of a private loopback.
#
# Most commands run as written (sudo dropped: the test is root).  Those
# that need what a container lacks are mapped to what can be checked
# here, and a command the test does not know fails it:
# - apt-get install: the packages are the build's (contrib/deps.sh) and
#   are installed; ufw is not (the firewall is not tried: the ports it
#   opens must be the ones capsuled listens on);
# - git clone URL: the URL is a repository the test makes;
# - sudoedit: the edit an owner makes (example.org becomes localhost);
# - sudo -u capsuled: setpriv as that user;
# - systemctl enable --now: systemd-analyze verify and security on the
#   installed unit, then its ExecStart= started as the unit says (User=,
#   Group=, AmbientCapabilities=, CapabilityBoundingSet=,
#   NoNewPrivileges=, UMask= through setpriv; SystemCallFilter= through
#   build/tools/syscall-filter); its file-system confinement is
#   systemd's and is not reproduced;
# - journalctl -u capsuled: the daemon's stderr;
# - systemctl reload: the unit's ExecReload=.
# Then the OpenRC script's command line, its pidfile and the logrotate
# file; make uninstall with the same variables.
set -u
if [ "${VPS_NAMESPACE:-}" != yes ]; then
	if [ "$(id -u)" -ne 0 ] || ! unshare -m -n true 2>/dev/null; then
		echo "needs root and namespaces (unshare -m -n): not tried"
		exit 77
	fi
	VPS_NAMESPACE=yes exec unshare -m -n --propagation private sh "$0"
fi
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

case $T_TMP/ in
/etc/*|/usr/*|/var/*|/srv/*)
	echo "the test folder $T_TMP is inside an overlaid folder"
	exit 77 ;;
esac
ip link set lo up || exit 1
# /run too, empty: no systemd runs here, and the pidfile stays ours.
mount -t tmpfs tmpfs /run || exit 1
for d in etc usr var srv; do
	mkdir -p "/$d" "$T_TMP/root/$d" "$T_TMP/work/$d"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$T_TMP/root/$d" \
	    -o "workdir=$T_TMP/work/$d" "/$d" || {
		echo "cannot overlay /$d: not tried"
		exit 77
	}
done
PATH=/usr/local/sbin:/usr/local/bin:$PATH
export PATH
unit=/etc/systemd/system/capsuled.service
journal=$T_TMP/journal
GEMINI_PORT=1965
GOPHER_PORT=70
MAINPID=""
seen=""

# The origin of the blog: a repository with the test capsule.
make_capsule "$T_TMP/blog"
git -C "$T_TMP/blog" init -q -b main &&
    git -C "$T_TMP/blog" add -A &&
    git -C "$T_TMP/blog" -c user.name=t -c user.email=t@t commit -qm blog ||
    exit 1

# unit_value KEY: the value of KEY= in the installed unit.
unit_value() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }

# expand NAME: the system calls of a name or @group (and its groups).
expand() {
	case $1 in
	@*) systemd-analyze syscall-filter "$1" </dev/null | sed -n '2,$s/^ *\([-@a-z0-9_]*\)$/\1/p' |
	    while read -r n; do [ -n "$n" ] && expand "$n"; done ;;
	*) echo "$1" ;;
	esac
}

# unit_syscalls FILE: the system calls the unit's SystemCallFilter=
# lines allow, in their order (the first an allow list, then each line
# adding to it or, with ~, taking away from it), one a line.
unit_syscalls() {
	: >"$1"
	sed -n 's/^SystemCallFilter=//p' "$unit" >"$T_TMP/filters"
	while read -r line; do
		sort -u "$1" >"$1.old"
		for name in ${line#\~}; do
			expand "$name"
		done | sort -u >"$1.these"
		case $line in
		"~"*) comm -23 "$1.old" "$1.these" >"$1" ;;
		*) sort -u "$1.old" "$1.these" >"$1" ;;
		esac
	done <"$T_TMP/filters"
	[ -s "$1" ]
}

# start_unit: ExecStart= as the unit runs it; waits until it serves.
start_unit() {
	user=$(unit_value User)
	group=$(unit_value Group)
	caps=""
	for c in $(unit_value AmbientCapabilities); do
		c=$(echo "${c#CAP_}" | tr '[:upper:]' '[:lower:]')
		caps="$caps${caps:+,}+$c"
	done
	bound=""
	for c in $(unit_value CapabilityBoundingSet); do
		c=$(echo "${c#CAP_}" | tr '[:upper:]' '[:lower:]')
		bound="$bound,+$c"
	done
	n=$1
	# A service's environment is systemd's, not the caller's.
	set -- --reset-env
	[ "$(unit_value NoNewPrivileges)" = yes ] && set -- "$@" --no-new-privs
	# Its system call filter (SystemCallErrorNumber=EPERM).
	[ -s "$T_TMP/syscalls" ] && set -- "$@" "$TOOLS/syscall-filter" \
	    "$T_TMP/syscalls"
	# shellcheck disable=SC2046 # ExecStart= is split into words
	(cd / && umask "$(unit_value UMask)" &&
	    exec setpriv --reuid="$user" --regid="$group" --init-groups \
	    --inh-caps="$caps" --ambient-caps="$caps" \
	    --bounding-set="-all$bound" "$@" \
	    $(unit_value ExecStart)) </dev/null >>"$journal" 2>&1 &
	MAINPID=$!
	T_PIDS="$T_PIDS $MAINPID"
	wait_text "$journal" "serving " "$n"
}

# stop_unit: SIGTERM, as systemctl stop sends; true on exit status 0.
stop_unit() {
	CAPSULED_PID=$MAINPID
	stop_capsuled && [ "$CAPSULED_STATUS" -eq 0 ]
}

# status_of FIELD: the field of /proc/MAINPID/status.
status_of() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$MAINPID/status"; }

# The checks of a service that serves, as the unit started it.
check_serving() {
	check "no capability left once bound (CapEff $(status_of CapEff))" \
	    [ "$(status_of CapEff)$(status_of CapPrm)$(status_of CapAmb)" = \
	    000000000000000000000000000000000000000000000000 ]
	check "no new privileges, a seccomp filter" \
	    [ "$(status_of NoNewPrivs) $(status_of Seccomp)" = "1 2" ]
	check "runs as capsuled ($(id -un "$(awk '/^Uid:/ { print $2 }' \
	    "/proc/$MAINPID/status")"))" [ "$(awk '/^Uid:/ { print $2 }' \
	    "/proc/$MAINPID/status")" = "$(id -u capsuled)" ]
	got=$(status_line -s localhost "gemini://localhost/\r\n")
	check "Gemini on 1965 ($got)" [ "${got%% *}" = 20 ]
	check "Gopher on 70" sh -c 'timeout 10 curl -s gopher://127.0.0.1:70/ |
	    grep -q "Hello"'
	check "every address: 0.0.0.0:1965 and :70 bound" sh -c \
	    'ss -ltnH | grep -q "0.0.0.0:1965 " && ss -ltnH |
	    grep -q "0.0.0.0:70 "'
}

# as_capsuled COMMAND...: sudo -u capsuled, its output shown.
as_capsuled() {
	setpriv --reuid=capsuled --regid=capsuled --init-groups "$@" \
	    </dev/null >"$T_TMP/out" 2>&1
	rc=$?
	sed 's/^/    /' "$T_TMP/out"
	return "$rc"
}

# run CMD: a command of the README as it is, sudo dropped.
run() {
	# shellcheck disable=SC2086 # a command line
	(cd "$TOP" && USER=root eval "${1#sudo }") >"$T_TMP/out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$T_TMP/out" | tail -n 20
	return "$rc"
}

sed -n '/^## Run it on a VPS/,/^## [^R]/p' "$TOP/README.md" |
    sed -n 's/^    \$ //p' >"$T_TMP/commands"
check "the README has its VPS commands" [ -s "$T_TMP/commands" ]

# (The commands read from descriptor 3: none of them eats the list.)
while read -r cmd <&3; do
	case $cmd in
	"sudo apt-get install -y ufw")
		skip "$cmd: the firewall is not tried here"
		;;
	"sudo apt-get install -y "*)
		# shellcheck disable=SC2086 # the packages
		printf '%s\n' ${cmd#sudo apt-get install -y } | sort \
		    >"$T_TMP/readme.pkgs"
		sh "$TOP/contrib/deps.sh" --print | sort >"$T_TMP/deps.pkgs"
		check "$cmd: the build's packages (contrib/deps.sh)" \
		    cmp -s "$T_TMP/readme.pkgs" "$T_TMP/deps.pkgs"
		check "$cmd: installed here" sh -c 'for p in $(cat "$1"); do
		    dpkg-query -W -f="\${Status}" "$p" |
		    grep -q "install ok installed" || exit 1; done' - \
		    "$T_TMP/readme.pkgs"
		;;
	make|"sudo make install "*|"sudo systemd-sysusers "* | \
	    "sudo systemd-tmpfiles "*|'sudo install -d -o "$USER" /srv/capsule')
		check "$cmd" run "$cmd"
		seen="$seen ${cmd%% /*}"
		;;
	"git clone "*" /srv/capsule")
		check "$cmd (from a repository of the test)" \
		    git clone -q "$T_TMP/blog" /srv/capsule
		seen="$seen clone"
		;;
	"sudoedit /etc/capsuled.yml")
		sed -i 's/example\.org/localhost/' /etc/capsuled.yml
		check "$cmd: the names set" grep -q '^  - localhost$' \
		    /etc/capsuled.yml
		;;
	"sudo -u capsuled "*)
		# shellcheck disable=SC2086 # a command line
		check "$cmd" as_capsuled ${cmd#sudo -u capsuled }
		seen="$seen check"
		;;
	"sudo ufw allow 1965/tcp"|"sudo ufw allow 70/tcp")
		port=${cmd#sudo ufw allow }
		check "$cmd: the port of the settings" grep -Eq \
		    "^(gopher_)?port: ${port%/tcp}$" /etc/capsuled.yml
		;;
	"sudo ufw "*)
		skip "$cmd: the firewall is not tried here"
		;;
	"sudo systemctl enable --now capsuled")
		check "systemd-analyze verify $unit" \
		    systemd-analyze verify "$unit"
		systemd-analyze security --offline=yes "$unit" \
		    >"$T_TMP/security" 2>&1
		score=$(sed -n 's/.*Overall exposure level for [^:]*: //p' \
		    "$T_TMP/security")
		# (The command's output alone is dropped, not the result.)
		check "systemd-analyze security: 2.5 or better ($score)" \
		    sh -c 'systemd-analyze security --offline=yes \
		    --threshold=25 "$1" >/dev/null 2>&1' - "$unit"
		check "the README quotes that score" sh -c '[ -n "$1" ] &&
		    grep -q "rates $1" "$2"' - "${score% *}" "$TOP/README.md"
		check "enabled for multi-user.target" \
		    [ "$(unit_value WantedBy)" = multi-user.target ]
		check "the unit's system call filter, as systemd makes it" \
		    unit_syscalls "$T_TMP/syscalls"
		check "the filter has what a service needs, not setuid" sh -c \
		    'grep -qx openat "$1" && ! grep -qx setuid "$1"' - \
		    "$T_TMP/syscalls"
		check "the unit's errno for the rest is EPERM" \
		    [ "$(unit_value SystemCallErrorNumber)" = EPERM ]
		check "$cmd: the unit's ExecStart= serves" start_unit 1
		check_serving
		seen="$seen start"
		;;
	"sudo journalctl -u capsuled | grep SHA-256")
		fp=$(sed -n 's/.*SHA-256 \([0-9A-F:]*\).*/\1/p' "$journal" |
		    tail -n 1)
		check "the fingerprint is logged ($fp)" [ -n "$fp" ]
		check "the fingerprint is the served certificate's" \
		    [ "$fp" = "$(served_fp)" ]
		check "the certificate is capsuled's, in /var/lib/capsuled/certs" \
		    [ "$(stat -c %U:%a /var/lib/capsuled/certs/key.pem)" = \
		    capsuled:600 ]
		seen="$seen fingerprint"
		;;
	"git -C /srv/capsule pull && sudo systemctl reload capsuled")
		printf -- '---\ntitle: Pulled\n---\nA post from git pull.\n' \
		    >"$T_TMP/blog/_posts/2024-03-04-pulled.md"
		git -C "$T_TMP/blog" add -A &&
		    git -C "$T_TMP/blog" -c user.name=t -c user.email=t@t \
		    commit -qm pulled
		reload=$(unit_value ExecReload)
		check "$cmd" sh -c "git -C /srv/capsule pull -q &&
		    MAINPID=$MAINPID && $reload"
		check "the pulled post is served" wait_text "$journal" \
		    "reloaded: 3 posts"
		got=$(status_line -s localhost \
		    "gemini://localhost/posts/2024-03-04-pulled.gmi\r\n")
		check "the pulled post over Gemini ($got)" [ "${got%% *}" = 20 ]
		seen="$seen reload"
		;;
	"sudo tar -C /var/lib/capsuled -cpf capsuled-certs.tar certs")
		check "$cmd" sh -c "cd '$T_TMP' && ${cmd#sudo }"
		;;
	"sudo tar -C /var/lib/capsuled -xpf capsuled-certs.tar")
		# The move: a server without the pair, then the pair put back.
		check "stopped before the move" stop_unit
		rm -rf /var/lib/capsuled/certs
		check "$cmd" sh -c "cd '$T_TMP' && ${cmd#sudo }"
		check "the pair is capsuled's again" \
		    [ "$(stat -c %U:%a /var/lib/capsuled/certs/key.pem)" = \
		    capsuled:600 ]
		check "started again" start_unit 2
		check "the same certificate after the move" \
		    [ "$(served_fp)" = "$fp" ]
		seen="$seen move"
		;;
	*)
		fail "a README command this test does not know: $cmd"
		;;
	esac
done 3<"$T_TMP/commands"

for step in make "sudo make install" "sudo systemd-sysusers" \
    "sudo systemd-tmpfiles" clone check start fingerprint reload move; do
	case " $seen " in
	*" $step "*) ;;
	*) fail "the README has no step '$step'" ;;
	esac
done
check "SIGTERM: the service stops, exit 0" stop_unit

# The OpenRC script's command line, as start-stop-daemon runs it (as
# root, with the script's pidfile; OpenRC itself is not there), then a
# rotation by the installed logrotate file, which signals it through
# that pidfile.
check "make install OPENRCDIR=/etc/init.d" run \
    "make install SYSCONFDIR=/etc OPENRCDIR=/etc/init.d"
# shellcheck disable=SC1091,SC2154 # the installed script sets them
openrc=$(. /etc/init.d/capsuled && echo "$command $command_args")
# shellcheck disable=SC1091
pidfile=$(. /etc/init.d/capsuled && echo "$pidfile")
check "the OpenRC command line: $openrc" sh -c "$openrc" </dev/null
MAINPID=$(cat "$pidfile" 2>/dev/null)
log=/var/log/capsuled/capsuled.log
check "--daemon: returned once serving, its pid in $pidfile" \
    sh -c '[ -n "$1" ] && kill -0 "$1" && grep -q "serving " "$2"' - \
    "$MAINPID" "$log"
T_PIDS="$T_PIDS $MAINPID"
check_serving
gem -q -s localhost "gemini://localhost/about.gmi\r\n" >/dev/null 2>&1
check "the access log in $log" wait_text "$log" '"/about.gmi" 20 '
check "logrotate with the installed file" \
    logrotate -f -s "$T_TMP/logrotate.state" /etc/logrotate.d/capsuled
check "its postrotate: a new log file by capsuled" \
    wait_text "$log" "reopened"
check "the old lines in capsuled.log.1" grep -q '"/about.gmi" 20 ' "$log.1"
check "stopped by SIGTERM (retry=TERM/45)" sh -c 'kill -TERM "$1" &&
    i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1; i=$((i + 1)); done; ! kill -0 "$1" 2>/dev/null' - "$MAINPID"
check "make uninstall" run \
    "make uninstall SYSCONFDIR=/etc OPENRCDIR=/etc/init.d"
check "uninstalled: the OpenRC script" [ ! -e /etc/init.d/capsuled ]

check "make uninstall" run \
    "make uninstall SYSCONFDIR=/etc SYSTEMDUNITDIR=/etc/systemd/system"
check "uninstalled: binary, pages, unit and the rest" sh -c '! ls \
    /usr/local/sbin/capsuled /usr/local/share/man/man8/capsuled.8 \
    /usr/local/share/man/man5/capsuled.yml.5 /usr/local/share/doc/capsuled \
    "$1" /etc/sysusers.d/capsuled.conf /etc/tmpfiles.d/capsuled.conf \
    /etc/logrotate.d/capsuled 2>/dev/null' - "$unit"
check "kept: the settings and the key" \
    [ -f /etc/capsuled.yml -a -f /var/lib/capsuled/certs/key.pem ]
finish
