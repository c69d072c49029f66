#!/bin/sh
# The certificate: generated at first start (ECDSA P-256, SAN, key mode
# 0600, fingerprint printed), kept on later starts, never replaced when
# half of the pair is missing.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
certs="$T_TMP/certs"
rm -rf "$certs"
start_capsuled --root "$T_TMP/capsule" || exit 1

check "certificate generated" [ -f "$certs/cert.pem" ]
check "key generated" [ -f "$certs/key.pem" ]
check "key mode 0600" [ "$(stat -c %a "$certs/key.pem")" = 600 ]
check "key is ECDSA P-256" sh -c \
    'openssl pkey -in "$1" -noout -text | grep -q prime256v1' - "$certs/key.pem"
san=$(openssl x509 -in "$certs/cert.pem" -noout -ext subjectAltName)
check "SAN has DNS:localhost" sh -c 'echo "$1" | grep -q "DNS:localhost"' - "$san"
check "SAN has IP 127.0.0.1" \
    sh -c 'echo "$1" | grep -q "IP Address:127.0.0.1"' - "$san"
check "SAN has IP ::1" \
    sh -c 'echo "$1" | grep -q "IP Address:0:0:0:0:0:0:0:1"' - "$san"
check "valid for more than 19 years" \
    openssl x509 -in "$certs/cert.pem" -noout -checkend $((19 * 366 * 86400))

fp=$(file_fp "$certs/cert.pem")
check "SHA-256 fingerprint printed at generation" \
    grep -q "generated.*" "$CAPSULED_LOG"
check "the printed fingerprint is the certificate's ($fp)" \
    grep -q "fingerprint $fp" "$CAPSULED_LOG"
check "the served certificate is that one" [ "$(served_fp)" = "$fp" ]
stop_capsuled

# Second start: the same pair, nothing generated.
cp "$certs/cert.pem" "$T_TMP/cert.first"
cp "$certs/key.pem" "$T_TMP/key.first"
start_capsuled --root "$T_TMP/capsule" || exit 1
check "certificate kept on second start" cmp -s "$certs/cert.pem" \
    "$T_TMP/cert.first"
check "key kept on second start" cmp -s "$certs/key.pem" "$T_TMP/key.first"
check "nothing generated on second start" \
    sh -c '! grep -q generated "$1"' - "$CAPSULED_LOG"
stop_capsuled

# A certificate without its key (and the reverse): refuse to start,
# replace nothing.
run_once() {
	timeout 20 "$CAPSULED" --root "$T_TMP/capsule" --port "$(free_port)" \
	    --gopher-port 0 --certs "$certs" >"$T_TMP/once.log" 2>&1
}
mv "$certs/key.pem" "$T_TMP/key.saved"
run_once
check "no key: refuses to start" [ $? -ne 0 ]
check "no key: says why" grep -q "key.pem" "$T_TMP/once.log"
check "no key: certificate untouched" cmp -s "$certs/cert.pem" \
    "$T_TMP/cert.first"
check "no key: no key created" [ ! -e "$certs/key.pem" ]
mv "$T_TMP/key.saved" "$certs/key.pem"
mv "$certs/cert.pem" "$T_TMP/cert.saved"
run_once
check "no certificate: refuses to start" [ $? -ne 0 ]
check "no certificate: key untouched" cmp -s "$certs/key.pem" \
    "$T_TMP/key.first"
mv "$T_TMP/cert.saved" "$certs/cert.pem"

# A key others can read is served, with a warning.
chmod 640 "$certs/key.pem"
start_capsuled --root "$T_TMP/capsule" || exit 1
check "group-readable key: warned" grep -q "readable by group or others" \
    "$CAPSULED_LOG"
stop_capsuled

# SIGHUP reads a replaced pair; a pair that does not match keeps the
# previous one.  Started as root, capsuled serves as nobody, who must be
# able to read the new pair.
chmod 600 "$certs/key.pem"
owner=""
as_user=""
if [ "$(id -u)" -eq 0 ]; then
	owner=nobody
	as_user="--user nobody"
	chown nobody "$certs/key.pem" "$certs/cert.pem"
fi
# shellcheck disable=SC2086 # as_user: no word, or the option and its user
start_capsuled --root "$T_TMP/capsule" $as_user || exit 1
old=$(served_fp)
new_pair "$certs" $owner
new=$(file_fp "$certs/cert.pem")
kill -HUP "$CAPSULED_PID"
wait_log "certificate .*$new"
got=$(served_fp)
check "SIGHUP: the new certificate is served ($got)" \
    [ "$got" = "$new" -a "$new" != "$old" ]
cp "$certs/key.pem" "$T_TMP/key.kept"
new_pair "$certs" $owner
cp "$T_TMP/key.kept" "$certs/key.pem"
kill -HUP "$CAPSULED_PID"
wait_log "certificate reload failed"
check "SIGHUP with a key that does not match: logged" \
    grep -q "certificate reload failed" "$CAPSULED_LOG"
check "SIGHUP with a key that does not match: the previous one served" \
    [ "$(served_fp)" = "$new" ]
stop_capsuled

# Several host names: each in the SAN.
rm -rf "$certs"
start_capsuled --root "$T_TMP/capsule" -H capsule.example -H localhost ||
    exit 1
san=$(openssl x509 -in "$certs/cert.pem" -noout -ext subjectAltName)
check "SAN has every host name" \
    sh -c 'echo "$1" | grep -q "DNS:capsule.example" &&
    echo "$1" | grep -q "DNS:localhost"' - "$san"
stop_capsuled
finish
