#!/bin/sh
# Every item reachable from the Gopher main menu, fetched with curl:
# menus parse as RFC 1436, texts end with ".", images are images, URL:
# selectors give a redirect page; the main menu is stable across a
# reload.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "skip: no curl"; exit 77; }
. "$(dirname "$0")/gopher-common"

python3 "$GCLIENT" crawl "$GOPHER_PORT" >"$T_TMP/crawl" 2>&1
report "$T_TMP/crawl"

curl -s --max-time 10 "$GURL/1/" >"$T_TMP/menu1"
grep -q "$(printf '^h.*\tURL:gemini://localhost:%s/\t' "$GEMINI_PORT")" \
    "$T_TMP/menu1" && ok "main menu: Gemini version as an h item" ||
    fail "main menu: Gemini version as an h item"
if grep -q '\[[0-9a-f:]*:[0-9a-f:]*\]\|	::1	' "$T_TMP/menu1"; then
	fail "no IPv6 literal in the host field"
else
	ok "no IPv6 literal in the host field"
fi
post=$(first_post)
curl -s --max-time 10 "$GURL/0$post" >"$T_TMP/post"
awk 'length($0) > 0' "$T_TMP/post" | head -n 2 | tail -n 1 |
    grep -q '^==*.$' && ok "post text: title underlined with =" ||
    fail "post text: title underlined with ="

kill -HUP "$CAPSULED_PID"
sleep 1
curl -s --max-time 10 "$GURL/1/" >"$T_TMP/menu2"
cmp -s "$T_TMP/menu1" "$T_TMP/menu2" &&
    ok "main menu identical after a reload" ||
    fail "main menu identical after a reload"
check "daemon alive, no sanitizer report" daemon_healthy
finish
