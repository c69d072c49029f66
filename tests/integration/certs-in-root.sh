#!/bin/sh
# A certificate folder inside the root: the certificate and the key are
# never served, over Gemini (51) or Gopher (the error item), by any name
# (relative or absolute settings, a symbolic link, a hard link), from
# the first start, across reloads and a renewed pair, in a chroot; never
# exported; start-up and --check warn.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# refused NAME PATH: both protocols refuse PATH, and show no PEM.
refused() {
	g=$(gem "gemini://localhost:$GEMINI_PORT$2\r\n" 2>/dev/null)
	check "$1: gemini $2 answers 51" \
	    [ "$(printf '%s\n' "$g" | head -n 1 | tr -d '\r')" = "51 Not found" ]
	o=$(curl -s --max-time 10 "gopher://127.0.0.1:$GOPHER_PORT/9$2")
	check "$1: gopher $2 answers the error item" \
	    sh -c 'printf "%s\n" "$1" | head -n 1 | grep -q "^3"' - "$o"
	check "$1: no PEM in either answer for $2" \
	    sh -c '! printf "%s\n%s\n" "$1" "$2" | grep -q "BEGIN"' - "$g" "$o"
}

# reload N: SIGHUP, then wait for the Nth "reloaded" line.
reload() {
	kill -HUP "$CAPSULED_PID"
	wait_log "reloaded:" "$1" || fail "reload $1 logged"
}

# both NAME [PREFIX]: the pair under PREFIX (default /certs) is refused.
both() {
	refused "$1" "${2:-/certs}/key.pem"
	refused "$1" "${2:-/certs}/cert.pem"
}

# The layout of the report, with relative settings: --root . --certs
# ./certs, the pair generated at the first start.
site=$T_TMP/site
make_capsule "$site"
cd "$site" || exit 1
start_capsuled --root . --certs ./certs || exit 1
check "relative: the pair was generated in the root" [ -f certs/key.pem ]
check "relative: start-up warns of the folder inside the root" \
    grep -q "certs.*lies inside the root" "$CAPSULED_LOG"
check "relative: other static files still served" \
    [ "$(status_line "gemini://localhost:$GEMINI_PORT/img/pixel.png\r\n")" = \
    "20 image/png" ]
both "first start"
reload 1
both "first start, after a reload"
reload 2
both "first start, after two reloads"
stop_capsuled
start_capsuled --root . --certs ./certs || exit 1
both "second start"
reload 1
both "second start, after a reload"
stop_capsuled
"$CAPSULED" --root . --certs ./certs --check >"$T_TMP/check.out" 2>&1
check "--check warns of the folder inside the root" \
    grep -q "certs.*lies inside the root" "$T_TMP/check.out"
"$CAPSULED" --root . --certs ./certs --export "$T_TMP/export" \
    >"$T_TMP/export.log" 2>&1
check "export: written" [ -f "$T_TMP/export/index.gmi" ]
check "export: no certificate folder" [ ! -e "$T_TMP/export/certs" ]
cd "$TOP" || exit 1

# Absolute settings, and other names of the pair inside the root: a
# symbolic link to the folder (scanned first), a hard link to the key; then a renewed
# pair (new files) readable by the user the daemon serves as.
site=$T_TMP/abs
make_capsule "$site"
start_capsuled --root "$site" --certs "$site/certs" || exit 1
stop_capsuled
ln -s certs "$site/a-keys"
ln "$site/certs/key.pem" "$site/files/copy.pem"
start_capsuled --root "$site" --certs "$site/certs" || exit 1
both "absolute"
both "absolute, through a link" /a-keys
refused "absolute, a hard link" /files/copy.pem
owner=""
[ "$(id -u)" -eq 0 ] && owner=nobody
new_pair "$site/certs" "$owner"
ln -f "$site/certs/key.pem" "$site/files/copy.pem"
reload 1
both "renewed pair"
both "renewed pair, through a link" /a-keys
refused "renewed pair, a hard link" /files/copy.pem
stop_capsuled

# In a chroot, where the configured paths no longer lead to the pair.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chown -R nobody "$site/certs"
	start_capsuled --root "$site" --certs "$site/certs" --user nobody \
	    --chroot || exit 1
	both "chroot"
	new_pair "$site/certs" nobody
	ln -f "$site/certs/key.pem" "$site/files/copy.pem"
	reload 1
	both "chroot, renewed pair"
	refused "chroot, renewed pair, a hard link" /files/copy.pem
	stop_capsuled
else
	skip "chroot: needs root and the user nobody"
fi
finish
