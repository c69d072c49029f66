#!/bin/sh
# Session tickets shared by replicas: two servers with the same
# ticket_key_file resume each other's TLS sessions (TLS 1.3 and 1.2),
# one with another file or none does not; both change keys at the same
# period boundary, a ticket of the previous period still resuming; a
# file with too short a secret stops start-up and --check, naming the
# setting; the file is never served, even inside the root.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P="$TOP/tests/integration/proxy_client.py"
make_capsule "$T_TMP/capsule"
openssl rand -base64 48 >"$T_TMP/tickets.key"
openssl rand -base64 48 >"$T_TMP/other.key"
chmod 600 "$T_TMP/tickets.key" "$T_TMP/other.key"

# start NAME ARGS...: a replica; its Gemini port in port_NAME.
start() {
	name=$1
	shift
	start_capsuled --root "$T_TMP/capsule" --gopher-port 0 \
	    --log "file:$T_TMP/$name.log" "$@" || exit 1
	eval "port_$name=\$GEMINI_PORT"
}

# reused FROM TO [VERSION]: "True" when a session of FROM resumes on TO.
reused() {
	timeout 20 python3 "$P" resume "$1" "$2" localhost "${3:-tls1.3}" |
	    sed -n 's/^reused=\([A-Za-z]*\) .*/\1/p'
}

# The pair generated once, shared as replicas share it.
start a --ticket-key-file "$T_TMP/tickets.key" --ticket-rotation 4
start b --ticket-key-file "$T_TMP/tickets.key" --ticket-rotation 4
start c --ticket-key-file "$T_TMP/other.key" --ticket-rotation 4
start d --ticket-rotation 4
# shellcheck disable=SC2154 # set by start
{
check "the same file: a session of A resumes on B" [ "$(reused "$port_a" "$port_b")" = True ]
check "the same file: a session of B resumes on A" [ "$(reused "$port_b" "$port_a")" = True ]
check "the same file, TLS 1.2: resumes on B" \
    [ "$(reused "$port_a" "$port_b" tls1.2)" = True ]
check "another file: a session of A does not resume on C" \
    [ "$(reused "$port_a" "$port_c")" = False ]
check "no file (random keys): a session of A does not resume on D" \
    [ "$(reused "$port_a" "$port_d")" = False ]
check "no file: a session of D resumes on D" [ "$(reused "$port_d" "$port_d")" = True ]
check "the key file's period logged" grep -q \
    "session ticket keys from .*tickets.key, a new one every 4 s" \
    "$T_TMP/a.log"

# Rotation with no word between replicas: just after a boundary of the
# 4 s periods, a session of A; in the next period it still resumes on
# B (the previous key), two periods later it no longer does.
i=0
while [ $(($(date +%s) % 4)) -ne 0 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
t0=$(date +%s)
python3 - "$port_a" "$port_b" "$T_TMP/sess" <<'PY' >"$T_TMP/rotation"
import ssl, socket, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
def get(port, session=None):
    s = socket.create_connection(("127.0.0.1", int(port)), 10)
    t = ctx.wrap_socket(s, server_hostname="localhost", session=session)
    t.sendall(b"gemini://localhost/\r\n")
    while t.recv(4096):
        pass
    r = (t.session, t.session_reused)
    t.close()
    return r
sess, _ = get(sys.argv[1])
start = time.monotonic()
time.sleep(5 - (time.monotonic() - start))
print("next_period=%s" % get(sys.argv[2], sess)[1])
time.sleep(9 - (time.monotonic() - start))
print("two_later=%s" % get(sys.argv[2], sess)[1])
PY
check "a session of A, one period later, resumes on B ($(tr '\n' ' ' <"$T_TMP/rotation"), t0 % 4 = $((t0 % 4)))" \
    grep -q "next_period=True" "$T_TMP/rotation"
check "two periods later it no longer does" \
    grep -q "two_later=False" "$T_TMP/rotation"
check "both rotated" sh -c 'grep -q "session ticket key rotated" "$1" &&
    grep -q "session ticket key rotated" "$2"' - "$T_TMP/a.log" "$T_TMP/b.log"
}
for p in $T_PIDS; do
	kill "$p"
done

# Too short a secret: start-up and --check refuse it, naming the setting.
printf 'short secret\n' >"$T_TMP/short.key"
chmod 600 "$T_TMP/short.key"
out=$("$CAPSULED" --root "$T_TMP/capsule" --certs "$T_TMP/certs" \
    --port "$(free_port)" --gopher-port 0 \
    --ticket-key-file "$T_TMP/short.key" 2>&1)
check "a short secret stops start-up" sh -c 'echo "$1" | grep -q \
    "option --ticket-key-file: .*short.key holds 12 bytes: a secret of at least 32 is needed"' \
    - "$out"
out=$("$CAPSULED" --root "$T_TMP/capsule" --certs "$T_TMP/certs" --check \
    --ticket-key-file "$T_TMP/short.key" 2>&1)
check "and --check ($?)" sh -c 'echo "$1" | grep -q "holds 12 bytes"' - "$out"
out=$("$CAPSULED" --root "$T_TMP/capsule" --certs "$T_TMP/certs" --check \
    --ticket-key-file "$T_TMP/missing.key" 2>&1)
check "a missing file: --check names it" sh -c \
    'echo "$1" | grep -q "option --ticket-key-file: .*missing.key: No such file"' \
    - "$out"

# Inside the root: warned about, never served.
cp "$T_TMP/tickets.key" "$T_TMP/capsule/tickets.key"
chmod 644 "$T_TMP/capsule/tickets.key"
start e --ticket-key-file "$T_TMP/capsule/tickets.key"
check "a key file readable by others is warned about" grep -q \
    "tickets.key is readable by group or others" "$T_TMP/e.log"
check "a key file inside the root is warned about" grep -q \
    "option --ticket-key-file: warning: .*tickets.key lies inside the root" \
    "$CAPSULED_LOG"
got=$(status_line "gemini://localhost:$GEMINI_PORT/tickets.key\r\n")
check "and never served ($got)" [ "$got" = "51 Not found" ]
finish
