#!/bin/sh
# lynx -dump of the main menu, a post as text and the post's menu.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v lynx >/dev/null || { echo "skip: no lynx"; exit 77; }
command -v curl >/dev/null || { echo "skip: no curl"; exit 77; }
# shellcheck source=gopher-common
. "$(dirname "$0")/gopher-common"

home=$T_TMP/home
mkdir -p "$home"
dump() {
	HOME=$home timeout 20 lynx -dump -nolist -force_html=off \
	    -display_charset=utf-8 "$1" 2>&1
}

title=$(curl -s --max-time 10 "$GURL/1/" | head -n 1 | cut -f 1 | cut -c 2-)
post=$(first_post)
ptitle=$(curl -s --max-time 10 "$GURL/1/" |
    awk -F '\t' '/^0/ { sub(/^0[0-9-]* - /, "", $1); print $1; exit }')

# Empty strings would match any output: what is looked for must exist.
if [ -z "$title" ] || [ -z "$ptitle" ] || [ -z "$post" ]; then
	fail "the main menu names the capsule and its newest post" \
	    "(title '$title', post '$ptitle' at '$post')"
	finish
fi
ok "the main menu names the capsule ($title) and its newest post"
dump "$GURL/1/" >"$T_TMP/menu"
grep -qF "$title" "$T_TMP/menu" && ok "lynx: main menu shows the title" ||
    fail "lynx: main menu shows the title"
grep -q "(FILE) .*$(echo "$ptitle" | cut -c 1-20)" "$T_TMP/menu" &&
    ok "lynx: the newest post is a text item" ||
    fail "lynx: the newest post is a text item"
grep -q '(DIR) .*Archive by year' "$T_TMP/menu" &&
    ok "lynx: archive menu item" || fail "lynx: archive menu item"

dump "$GURL/0$post" >"$T_TMP/post"
grep -qF "$(echo "$ptitle" | cut -c 1-20)" "$T_TMP/post" &&
    ok "lynx: post text shows its title" ||
    fail "lynx: post text shows its title"
# lynx shows a text's terminator line as it is: it must be the only one.
[ "$(grep -c '^\.$' "$T_TMP/post")" = 1 ] &&
    [ "$(grep -v '^$' "$T_TMP/post" | tail -n 1)" = . ] &&
    ok "lynx: one . line, at the end of the text" ||
    fail "lynx: one . line, at the end of the text"

menu=$(echo "$post" | sed 's/\.txt$/\//')
dump "$GURL/1$menu" >"$T_TMP/pmenu"
grep -q '(FILE) .*This page as plain text' "$T_TMP/pmenu" &&
    ok "lynx: post menu opens" || fail "lynx: post menu opens"
check "daemon alive, no sanitizer report" daemon_healthy
finish
