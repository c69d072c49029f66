#!/bin/sh
# --check runs every check start-up runs: each configuration here is
# refused by the daemon as it starts, and --check refuses it too, with
# the same message naming the setting; one the daemon accepts passes.
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"

# both NAME ARGS...: run --check and a start of the daemon with ARGS;
# sets CHECK_RC, CHECK_OUT, START_RC, START_OUT.  A daemon that does
# start is stopped at once.
both() {
	name=$1
	shift
	CHECK_OUT=$(timeout 30 "$CAPSULED" --check -q --root "$T_TMP/capsule" \
	    --gopher-port 0 "$@" 2>&1)
	CHECK_RC=$?
	port=$(free_port)
	timeout 30 "$CAPSULED" --root "$T_TMP/capsule" --port "$port" \
	    --gopher-port 0 "$@" >"$T_TMP/start.$name" 2>&1 &
	pid=$!
	T_PIDS="$T_PIDS $pid"
	i=0
	while kill -0 "$pid" 2>/dev/null &&
	    ! grep -q "serving " "$T_TMP/start.$name" && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill "$pid" 2>/dev/null
	wait "$pid"
	START_RC=$?
	grep -q "serving " "$T_TMP/start.$name" && START_RC=0
	START_OUT=$(cat "$T_TMP/start.$name")
}

# refused NAME TEXT ARGS...: start-up and --check both refuse, both
# saying TEXT (a grep pattern).
refused() {
	name=$1
	text=$2
	shift 2
	both "$name" "$@"
	check "$name: start-up refuses it ($START_RC)" [ "$START_RC" -ne 0 ]
	check "$name: start-up says '$text'" \
	    sh -c 'echo "$1" | grep -q -- "$2"' - "$START_OUT" "$text"
	check "$name: --check refuses it ($CHECK_RC)" [ "$CHECK_RC" -ne 0 ]
	check "$name: --check says '$text'" \
	    sh -c 'echo "$1" | grep -q -- "$2"' - "$CHECK_OUT" "$text"
}

pair() {
	mkdir -p "$1"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1/key.pem" -out "$1/cert.pem" -days 30 \
	    -subj /CN=localhost 2>/dev/null
	chmod 600 "$1/key.pem"
}

# A certificate without its key, named through the configuration file.
pair "$T_TMP/lone"
rm "$T_TMP/lone/key.pem"
printf 'cert: %s\nkey: %s\n' "$T_TMP/lone/cert.pem" "$T_TMP/lone/key.pem" \
    >"$T_TMP/lone.yml"
refused "a certificate without its key" \
    "lone.yml:2: setting 'key': .*cert.pem exists but .*key.pem does not" \
    -c "$T_TMP/lone.yml"
refused "the same, through --certs" \
    "option --certs: .*cert.pem exists but .*key.pem does not" \
    --certs "$T_TMP/lone"

# A certificate folder to generate whose parent does not exist.
refused "a certificate folder whose parent does not exist" \
    "option --certs: $T_TMP/no/such/certs cannot be made: its folder $T_TMP/no/such does not exist" \
    --certs "$T_TMP/no/such/certs"

# A key that is not the certificate's.
pair "$T_TMP/a"
pair "$T_TMP/b"
refused "a key that does not match the certificate" \
    "b/key.pem: .*key values mismatch" \
    --cert "$T_TMP/a/cert.pem" --key "$T_TMP/b/key.pem"

# A log file in a folder that does not exist.
refused "a log file that cannot be written" \
    "option --log: $T_TMP/nolog/x.log" \
    --certs "$T_TMP/a" --log "file:$T_TMP/nolog/x.log"

# A listen address this machine does not have (TEST-NET-1).
refused "a listen address not of this machine" \
    "option --listen: no address of this machine" \
    --certs "$T_TMP/a" --listen 192.0.2.1

if [ "$(id -u)" -eq 0 ]; then
	refused "root as the user" "root" --certs "$T_TMP/a" --user root
else
	skip "not root: the user root is not refused"
fi

# What the daemon accepts, --check accepts.
both "good" --certs "$T_TMP/a"
check "a good configuration: the daemon starts ($START_RC)" \
    [ "$START_RC" -eq 0 ]
check "a good configuration: --check passes ($CHECK_RC: $CHECK_OUT)" \
    [ "$CHECK_RC" -eq 0 ]
# The ports of a running server are not tried: --check passes beside it.
start_capsuled --root "$T_TMP/capsule" --certs "$T_TMP/a" || exit 1
CHECK_OUT=$(timeout 30 "$CAPSULED" --check -q --root "$T_TMP/capsule" \
    --certs "$T_TMP/a" --port "$GEMINI_PORT" --gopher-port "$GOPHER_PORT" \
    --listen 127.0.0.1 2>&1)
check "beside the running server on its ports: --check passes ($CHECK_OUT)" \
    [ $? -eq 0 ]
check "and lists no listener" sh -c '! echo "$1" | grep -q listening' - \
    "$CHECK_OUT"
mkdir "$T_TMP/new"
CHECK_OUT=$(timeout 30 "$CAPSULED" --check -q --root "$T_TMP/capsule" \
    --gopher-port 0 --certs "$T_TMP/new/certs" 2>&1)
check "a pair to generate: --check passes ($CHECK_OUT)" [ $? -eq 0 ]
check "a pair to generate: --check writes nothing" \
    [ ! -e "$T_TMP/new/certs" ]
finish
