#!/bin/sh
# Gemini request rules, against the real daemon: request line limits,
# host, port and scheme checks, path escapes, redirects, MIME types.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
mkdir "$T_TMP/capsule/guide"
printf '# The guide\n' >"$T_TMP/capsule/guide/index.gmi"
start_capsuled --root "$T_TMP/capsule" --request-timeout 2 || exit 1
base="gemini://localhost:$GEMINI_PORT"

# expect DESCRIPTION WANT REQUEST [CLIENT OPTIONS]: the status line is WANT
# (a prefix of the line).
expect() {
	d=$1 want=$2 req=$3
	shift 3
	got=$(status_line "$@" "$req")
	case $got in
	"$want"*) ok "$d" ;;
	*) fail "$d: got [$got], want [$want...]" ;;
	esac
}

expect "home page" "20 text/gemini" "$base/\r\n"
expect "home page without a slash, no redirect" "20 text/gemini" \
    "gemini://localhost:$GEMINI_PORT\r\n"
expect "explicit port" "20 " "$base/about.gmi\r\n"
expect "host compared case-insensitively" "20 " \
    "gemini://LocalHost:$GEMINI_PORT/\r\n"
expect "trailing dot tolerated" "20 " \
    "gemini://localhost.:$GEMINI_PORT/\r\n"
expect "a post" "20 text/gemini" "$base/posts/2024-01-02-hello.gmi\r\n"
expect "a post's own lang" "20 text/gemini; lang=fr" \
    "$base/posts/2024-02-03-second.gmi\r\n"
expect "unknown path" "51" "$base/no/such/thing\r\n"

# Anything after the first CRLF is ignored.
expect "bytes after CRLF ignored" "20 " "$base/\r\nGET / HTTP/1.0\r\n\r\n"

# 1024 bytes of URL are accepted (an unknown path: 51, not 59);
# 1025 are refused.
pad() { python3 -c 'import sys; print("x" * int(sys.argv[1]), end="")' "$1"; }
prefix="$base/"
n=$((1024 - ${#prefix}))
expect "1024-byte URL accepted" "51" "$prefix$(pad $n)\r\n"
expect "1025-byte URL refused" "59" "$prefix$(pad $((n + 1)))\r\n"

for r in "" "/posts/2024-01-02-hello.gmi" "posts/hello.gmi" "//localhost/" \
    "gemini://user@localhost:$GEMINI_PORT/" "$base/#frag" \
    "$base/a\0b" "$base/\xff\xfe"; do
	expect "bad request [$r] -> 59" "59" "$r\r\n"
done

for r in "https://localhost:$GEMINI_PORT/" "http://localhost/" \
    "gopher://localhost:$GOPHER_PORT/" "gemini://example.org/" \
    "gemini://localhost:1/"; do
	expect "not ours [$r] -> 53" "53" "$r\r\n"
done
expect "SNI of another name -> 53" "53" "$base/\r\n" -s example.org
expect "no SNI (IP literal) is served" "20 " \
    "gemini://127.0.0.1:$GEMINI_PORT/\r\n"
expect "SNI localhost is served" "20 " "$base/\r\n" -s localhost

# Escapes never leave the capsule: dot segments that climb above the
# root are a bad request (59), whatever their spelling; the file beside
# the root is never served.
echo secret >"$T_TMP/secret.txt"
for p in "/../secret.txt" "/img/../../secret.txt" "/%2e%2e/secret.txt" \
    "/img/%2e%2e/%2e%2e/secret.txt" "/..%2fsecret.txt" \
    "/img%2f..%2f..%2fsecret.txt" "/.%2e/%2E%2E/secret.txt" "/../../" \
    "/%2e%2e/" "/.."; do
	body=$(gem "$base$p\r\n" 2>/dev/null)
	case $body in
	*secret*) fail "escape $p served an outside file" ;;
	"59 Bad request: dot segments above the root"*) ok "escape $p: 59" ;;
	*) fail "escape $p: $(echo "$body" | head -n 1)" ;;
	esac
done
# Dot segments that stay inside the root serve the page they lead to.
for p in "/img/../files/notes.txt" "/img/../img/../files/notes.txt" \
    "/img/%2e%2e/files/notes.txt" "/img%2f..%2ffiles%2fnotes.txt" \
    "/files/./notes.txt"; do
	body=$(gem "$base$p\r\n" 2>/dev/null | tr -d '\r')
	check "$p serves /files/notes.txt" \
	    [ "$body" = "$(printf '20 text/plain; charset=utf-8\nplain text')" ]
done

# A directory without its slash: 31 to the same path plus '/', query
# kept, and the target is served.
expect "directory redirect keeps the query" \
    "31 $base/guide/?q=1" "$base/guide?q=1\r\n"
expect "directory redirect without query" "31 $base/guide/" "$base/guide\r\n"
target=$(status_line "$base/guide\r\n" | sed 's/^31 //')
got=$(status_line "$target\r\n")
check "the redirect's target $target is served ($got)" \
    [ "$got" = "20 text/gemini" ]
check "the target is the directory's index" sh -c \
    'echo "$1" | grep -q "^# The guide"' - "$(gem "$target\r\n" 2>/dev/null)"
# A directory with files but no index has nothing to redirect to.
expect "directory without an index: no redirect" "51" "$base/img\r\n"
expect "directory without an index, with its slash" "51" "$base/img/\r\n"

# MIME types of static files.
for pair in "img/pixel.png image/png" "img/photo.jpg image/jpeg" \
    "img/anim.gif image/gif" "img/logo.svg image/svg+xml" \
    "img/pic.webp image/webp" "files/paper.pdf application/pdf" \
    "files/notes.txt text/plain" "files/blob.qqq application/octet-stream" \
    "atom.xml application/atom+xml"; do
	# shellcheck disable=SC2086 # a path and its type
	set -- $pair
	expect "MIME type of $1" "20 $2" "$base/$1\r\n"
done

# The body of a static file is its bytes.
got=$(gem "$base/files/notes.txt\r\n" 2>/dev/null | tail -n 1)
check "static body served as is" [ "$got" = "plain text" ]

# A bare LF does not end a request: no answer, dropped at the deadline.
out=$(gem -w 8 "$base/\n" 2>&1 >/dev/null)
case $out in
*status=none*close_notify=no*) ok "bare LF request not answered" ;;
*) fail "bare LF request: $out" ;;
esac
ms=$(echo "$out" | sed -n 's/.*ms=\([0-9]*\).*/\1/p')
check "bare LF request dropped at the 2 s deadline (${ms} ms)" \
    [ "${ms:-0}" -ge 1900 -a "${ms:-99999}" -lt 4000 ]

# Every response ends with close_notify.
out=$(gem -q "$base/\r\n" 2>&1)
check "close_notify after a response" \
    sh -c 'case "$1" in *close_notify=yes*) ;; *) exit 1 ;; esac' - "$out"
out=$(gem -q "$base/nothing\r\n" 2>&1)
check "close_notify after an error response" \
    sh -c 'case "$1" in *status=51*close_notify=yes*) ;; *) exit 1 ;; esac' \
    - "$out"

# A port in use: the message names the setting and where it was set.
other() {
	timeout 20 "$CAPSULED" --root "$T_TMP/capsule" --certs "$T_TMP/certs" \
	    "$@" >"$T_TMP/other.log" 2>&1
}
other --port "$GEMINI_PORT" --gopher-port 0
check "Gemini port in use: refused" [ $? -ne 0 ]
check "Gemini port in use: the option named" grep -q \
    "option --port: gemini 127.0.0.1:$GEMINI_PORT: Address already in use" \
    "$T_TMP/other.log"
printf 'port: %s\ngopher_port: 0\n' "$(free_port)" >"$T_TMP/other.yml"
other -c "$T_TMP/other.yml" --gopher-port "$GOPHER_PORT"
check "Gopher port in use: the option named" grep -q \
    "option --gopher-port: gopher 127.0.0.1:$GOPHER_PORT: Address already" \
    "$T_TMP/other.log"
printf '\nport: %s\ngopher_port: 0\n' "$GEMINI_PORT" >"$T_TMP/other.yml"
other -c "$T_TMP/other.yml"
check "port in use set in a file: its file and line named" grep -q \
    "$T_TMP/other.yml:2: setting 'port': gemini 127.0.0.1:$GEMINI_PORT" \
    "$T_TMP/other.log"

check "SIGTERM: clean exit" stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]
check "an access log line per request" grep -q '/posts/2024-01-02-hello.gmi' \
    "$CAPSULED_LOG"
finish
