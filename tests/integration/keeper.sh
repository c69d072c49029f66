#!/bin/sh
# The keeper of the certificate: the process that alone reads the pair,
# so that the serving process holds no descriptor leading outside its
# chroot.  keeper-try asks a keeper as a server taken over would; then
# the daemon, chrooted: what its descriptors lead to, a renewed pair on
# SIGHUP, and its keeper, which dies with it.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# tried OUTPUT: the ok and FAIL lines of a try program, counted here.
tried() {
	while IFS= read -r line; do
		case $line in
		"ok   "*) ok "keeper-try: ${line#ok   }" ;;
		"FAIL "*) fail "keeper-try: ${line#FAIL }" ;;
		esac
	done <"$1"
}

# keeper_of PID: the pid of PID's keeper (its child run as --keeper).
keeper_of() {
	read -r children <"/proc/$1/task/$1/children" 2>/dev/null
	for c in ${children:-}; do
		tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null |
		    grep -q -- ' --keeper ' && echo "$c"
	done
}

# gone PID: wait up to 5 s for PID to be gone.
gone() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

# outside PID ROOT: each descriptor of PID that leads outside ROOT and is
# neither a socket, a pipe, an epoll instance, /dev/null nor a file open
# for writing only (the log, the pidfile: no way to a folder), one a
# line.  A folder is never allowed, inside or not.
outside() {
	for fd in /proc/"$1"/fd/*; do
		n=${fd##*/}
		t=$(readlink "$fd") || continue
		case $t in
		socket:*|pipe:*|anon_inode:*|/dev/null) continue ;;
		esac
		if [ -d "$fd" ]; then
			echo "$n -> $t (a folder)"
			continue
		fi
		case $t in
		"$2"/*) continue ;;
		esac
		flags=$(awk '$1 == "flags:" { print $2 }' \
		    "/proc/$1/fdinfo/$n" 2>/dev/null)
		# O_ACCMODE of the octal flags: 1 is O_WRONLY.
		[ $(( 0$flags & 3 )) -eq 1 ] && continue
		echo "$n -> $t (flags $flags)"
	done
}

make_capsule "$T_TMP/capsule"
base() { echo "gemini://localhost:$GEMINI_PORT"; }

# The keeper on its own, asked for what it keeps and for what it
# does not.
mkdir -p "$T_TMP/kcerts"
new_pair "$T_TMP/kcerts"
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
	user=nobody
	chown -R nobody "$T_TMP/kcerts"
fi
if [ -x "$TOOLS/keeper-try" ]; then
	"$TOOLS/keeper-try" "$T_TMP/kcerts" "$user" >"$T_TMP/try.out" 2>&1
	rc=$?
	tried "$T_TMP/try.out"
	check "keeper-try ran every try (exit $rc)" [ "$rc" -eq 0 ]
else
	fail "no $TOOLS/keeper-try"
fi

# Without root (or without a chroot) the same keeper serves the pair.
start_capsuled --root "$T_TMP/capsule" || exit 1
k=$(keeper_of "$CAPSULED_PID")
check "a keeper without chroot too (pid ${k:-none})" [ -n "$k" ]
renewed "no chroot" "$T_TMP/certs" "$([ "$(id -u)" -eq 0 ] && echo nobody)"
stop_capsuled
check "stopped: exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]
[ -n "$k" ] && check "its keeper is gone with it" gone "$k"

if [ "$(id -u)" -ne 0 ]; then
	skip "not root: no chroot"
	finish
fi

# Chrooted: no descriptor of the serving process leads out of the root.
rm -rf "$T_TMP/certs"
saved=${ASAN_OPTIONS:-}
# LeakSanitizer reads /proc, which is not inside the chroot.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
start_capsuled --root "$T_TMP/capsule" --user nobody --chroot \
    --log "file:$T_TMP/chroot.log" ||
    exit 1
ASAN_OPTIONS=$saved
CAPSULED_LOG=$T_TMP/chroot.log
check "chrooted ($(readlink "/proc/$CAPSULED_PID/root"))" \
    [ "$(readlink "/proc/$CAPSULED_PID/root")" = "$T_TMP/capsule" ]
got=$(status_line "$(base)/\r\n")
check "serving in the chroot ($got)" [ "${got%% *}" = 20 ]
# After a reload too, which once read the pair through folders kept
# open from before the chroot.
renewed "chrooted" "$T_TMP/certs" nobody
out=$(outside "$CAPSULED_PID" "$T_TMP/capsule")
check "no descriptor leads outside the chroot${out:+: $out}" [ -z "$out" ]
nfd=$(find "/proc/$CAPSULED_PID/fd" -mindepth 1 | wc -l)
check "its descriptors were listed ($nfd)" [ "$nfd" -gt 5 ]

k=$(keeper_of "$CAPSULED_PID")
check "the keeper is the daemon's child (pid ${k:-none})" [ -n "$k" ]
if [ -n "$k" ]; then
	st() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
	check "the keeper: not chrooted ($(readlink "/proc/$k/root"))" \
	    [ "$(readlink "/proc/$k/root")" = / ]
	check "the keeper: user nobody" [ "$(st "$k" Uid)" = "$(id -u nobody)" ]
	check "the keeper: NoNewPrivs 1, Seccomp 2" \
	    [ "$(st "$k" NoNewPrivs) $(st "$k" Seccomp)" = "1 2" ]
	check "the keeper holds no listening socket ($(sockets "$k"))" \
	    [ "$(sockets "$k")" -eq 1 ]
	# Killed at once, the daemon leaves no keeper behind.
	kill -9 "$CAPSULED_PID"
	check "the daemon killed: its keeper exits" gone "$k"
	wait "$CAPSULED_PID" 2>/dev/null
fi
finish
