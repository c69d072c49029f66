#!/bin/sh
# Virtual hosts (sites): two capsules from one daemon, each with its
# names, root, certificate (generated for each at first start, in
# certs/NAME) and Gopher port.  Over Gemini the SNI picks the site and
# its certificate, no SNI gets the first site, a name of no site 53;
# each Gopher port serves its own menus; the access log names the site;
# a SIGHUP rebuilds both, a broken site keeping its last good content
# while the other takes its new one, and the renewed pair of the second
# site is read through the keeper without touching the first's.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/blog"
make_capsule "$T_TMP/phlog"
sed -i 's/^title: .*/title: The Phlog/' "$T_TMP/phlog/_config.yml"
rm "$T_TMP/phlog/_posts/2024-02-03-second.md"
mkdir -p "$T_TMP/certs"
GEMINI_PORT=$(free_port)
GA=$(free_port)
GB=$(free_port)
LOG=$T_TMP/access.log
cat >"$T_TMP/capsuled.yml" <<EOF
listen: [127.0.0.1]
port: $GEMINI_PORT
certs: $T_TMP/certs
log: file:$LOG
sites:
  - root: $T_TMP/blog
    hostnames: [blog.test, www.blog.test]
    gopher_port: $GA
  - root: $T_TMP/phlog
    hostnames: [phlog.test]
    gopher_port: $GB
    permalink: jekyll
EOF

# --check reads both sites, naming each in its summary.
out=$("$CAPSULED" -c "$T_TMP/capsuled.yml" --check 2>&1)
check "--check: both sites built ($?)" sh -c \
    'echo "$1" | grep -q "capsuled: blog.test: 2 posts" &&
    echo "$1" | grep -q "capsuled: phlog.test: 1 post"' - "$out"

"$CAPSULED" -c "$T_TMP/capsuled.yml" >"$T_TMP/stderr" 2>&1 &
CAPSULED_PID=$!
T_PIDS="$T_PIDS $CAPSULED_PID"
if ! wait_port "$GEMINI_PORT" || ! wait_text "$LOG" "serving "; then
	cat "$T_TMP/stderr" "$LOG"
	fail "capsuled serves two sites"
	finish
fi

# fp NAME: the SHA-256 fingerprint served to a client asking for NAME
# (none: no SNI).
fp() {
	if [ "$1" = none ]; then
		set -- -noservername
	else
		set -- -servername "$1"
	fi
	printf '' | timeout 10 openssl s_client -connect \
	    "127.0.0.1:$GEMINI_PORT" "$@" 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//'
}
# page NAME [URL-HOST]: the home page's status line and first heading,
# over TLS with SNI NAME ("none": no SNI).
page() {
	sni="-s $1"
	[ "$1" = none ] && sni=""
	# shellcheck disable=SC2086 # no option without SNI
	gem $sni "gemini://${2:-$1}/\r\n" 2>/dev/null | tr -d '\r' |
	    grep -m 2 -E '^(2|5)[0-9] |^# ' | tr '\n' '|'
}
# gopher PORT SELECTOR: the raw reply.
gopher() { gopher_raw "$1" "$2"; }

A=$T_TMP/certs/blog.test
B=$T_TMP/certs/phlog.test
check "a pair generated for each site, in certs/NAME" sh -c \
    '[ -s "$1/cert.pem" ] && [ -s "$1/key.pem" ] &&
    [ -s "$2/cert.pem" ] && [ -s "$2/key.pem" ]' - "$A" "$B"
fa=$(file_fp "$A/cert.pem")
fb=$(file_fp "$B/cert.pem")
check "two certificates" [ -n "$fa" -a -n "$fb" -a "$fa" != "$fb" ]
check "each names its site" sh -c \
    'openssl x509 -in "$1" -noout -ext subjectAltName | grep -q "DNS:www.blog.test" &&
    openssl x509 -in "$2" -noout -ext subjectAltName | grep -q "DNS:phlog.test" &&
    ! openssl x509 -in "$2" -noout -ext subjectAltName | grep -q blog' - \
    "$A/cert.pem" "$B/cert.pem"

got=$(page blog.test)
check "SNI blog.test: the blog ($got)" [ "$got" = "20 text/gemini; lang=en|# Test Capsule|" ]
got=$(page www.blog.test)
check "SNI www.blog.test: the blog too ($got)" [ "$got" = "20 text/gemini; lang=en|# Test Capsule|" ]
got=$(page phlog.test)
check "SNI phlog.test: the phlog ($got)" [ "$got" = "20 text/gemini; lang=en|# The Phlog|" ]
check "SNI blog.test: the blog's certificate" [ "$(fp blog.test)" = "$fa" ]
check "SNI phlog.test: the phlog's certificate" [ "$(fp phlog.test)" = "$fb" ]
check "no SNI: the first site's certificate" [ "$(fp none)" = "$fa" ]
got=$(page none 127.0.0.1)
check "no SNI, an address of ours: the first site ($got)" \
    [ "$got" = "20 text/gemini; lang=en|# Test Capsule|" ]
got=$(page other.test)
check "SNI of no site: 53 ($got)" [ "$got" = "53 Proxy request refused|" ]
check "SNI of no site: the first site's certificate" [ "$(fp other.test)" = "$fa" ]
got=$(page phlog.test blog.test)
check "SNI phlog.test asking for blog.test: 53 ($got)" \
    [ "$got" = "53 Proxy request refused|" ]
# Jekyll's date style: /news/2024/01/02/hello.html, served as .gmi.
got=$(status_line -s phlog.test "gemini://phlog.test/news/2024/01/02/hello.gmi\r\n")
check "the phlog's own permalink (jekyll): $got" [ "${got%% *}" = 20 ]
got=$(status_line -s blog.test "gemini://blog.test/news/2024/01/02/hello.gmi\r\n")
check "not the blog's ($got)" [ "${got%% *}" = 51 ]

menu_a=$(gopher "$GA" "")
menu_b=$(gopher "$GB" "")
check "the blog's Gopher port: its menu" sh -c \
    'echo "$1" | grep -q "^iTest Capsule" && echo "$1" | grep -q "Second post" &&
    echo "$1" | grep -q "	blog.test	$2"' - "$menu_a" "$GA"
check "the phlog's Gopher port: its own menu" sh -c \
    'echo "$1" | grep -q "^iThe Phlog" && ! echo "$1" | grep -q "Second post" &&
    echo "$1" | grep -q "	phlog.test	$2"' - "$menu_b" "$GB"

wait_text "$LOG" "site=phlog.test" 4
check "the access log names the site" sh -c \
    'grep -q "gemini phlog.test \"/\" 20 .* site=phlog.test$" "$1" &&
    grep -q "gemini other.test \"/\" 53 .* site=blog.test$" "$1" &&
    grep -q "gopher - \"\" 0 .* site=phlog.test$" "$1"' - "$LOG"

# A reload with the phlog broken: the blog takes its new post, the
# phlog keeps what it served, and its renewed pair (the keeper's second)
# is read all the same.
printf 'title: [unclosed\n' >"$T_TMP/phlog/_config.yml"
printf -- '---\ntitle: Third\n---\nThe third post.\n' \
    >"$T_TMP/blog/_posts/2024-03-04-third.md"
owner=""
[ "$(id -u)" -eq 0 ] && owner=nobody
new_pair "$B" "$owner"
fb2=$(file_fp "$B/cert.pem")
kill -HUP "$CAPSULED_PID"
wait_text "$LOG" "phlog.test: reload failed"
wait_text "$LOG" "blog.test: reloaded"
check "the broken site said so" grep -q \
    "phlog.test: reload failed: still serving the previous content" "$LOG"
check "the broken site's error at its line" grep -q \
    "phlog/_config.yml:2:1: error: invalid YAML" "$LOG"
got=$(status_line -s blog.test "gemini://blog.test/posts/2024-03-04-third.gmi\r\n")
check "the blog: its new post ($got)" [ "${got%% *}" = 20 ]
got=$(page phlog.test)
check "the phlog: its previous content ($got)" [ "$got" = "20 text/gemini; lang=en|# The Phlog|" ]
got=$(gopher "$GB" "")
check "and its Gopher menu" sh -c 'echo "$1" | grep -q "^iThe Phlog"' - "$got"
check "the phlog's renewed certificate" [ "$(fp phlog.test)" = "$fb2" -a "$fb2" != "$fb" ]
check "the blog's certificate unchanged" [ "$(fp blog.test)" = "$fa" ]

check "SIGTERM: clean exit" stop_capsuled
check "exit status 0 ($CAPSULED_STATUS)" [ "$CAPSULED_STATUS" -eq 0 ]

# --check with the phlog broken: it fails, naming the site.
"$CAPSULED" -c "$T_TMP/capsuled.yml" --check >/dev/null 2>"$T_TMP/check2"
rc=$?
check "--check with a broken site fails ($rc), naming it" sh -c \
    '[ "$1" -ne 0 ] && grep -q "capsuled: phlog.test: 0 posts" "$2"' - \
    "$rc" "$T_TMP/check2"

# A certificate folder, or one site's pair, inside a site's root would
# be served by that site: refused by --check and at start-up, naming the
# setting, and nothing is served.
sed "s|^certs: .*|certs: $T_TMP/blog/certs|" "$T_TMP/capsuled.yml" \
    >"$T_TMP/inside.yml"
awk -v c="$T_TMP/blog/keys" '{ print } /^    hostnames: \[phlog.test\]/ {
    print "    certs: " c }' "$T_TMP/capsuled.yml" >"$T_TMP/other.yml"
for f in inside other; do
	"$CAPSULED" -c "$T_TMP/$f.yml" --check >/dev/null 2>"$T_TMP/$f.err"
	rc=$?
	check "$f: --check refuses a certificate folder in a root ($rc)" \
	    sh -c '[ "$1" -ne 0 ] && grep -q "setting .certs.: .* lies inside the root of site 1 ($2)" "$3"' \
	    - "$rc" "$T_TMP/blog" "$T_TMP/$f.err"
	timeout 20 "$CAPSULED" -c "$T_TMP/$f.yml" >"$T_TMP/$f.out" 2>&1
	rc=$?
	check "$f: start-up refuses it too ($rc)" sh -c \
	    '[ "$1" -ne 0 ] && [ "$1" -ne 124 ] && grep -q "lies inside the root" "$2"' \
	    - "$rc" "$T_TMP/$f.out"
done
finish
