#!/bin/sh
# A real Gemini browser, Amfora in tmux: the home page, then a post by
# its link number, then back.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for c in amfora tmux; do
	command -v $c >/dev/null || { echo "skip: no $c"; exit 77; }
done

make_capsule "$T_TMP/capsule"
start_capsuled --root "$T_TMP/capsule" || exit 1
base="gemini://localhost:$GEMINI_PORT"

tui_start "amfora $base/" || { fail "tmux starts"; finish; }
check "amfora: home page title" tui_wait "# Test Capsule"
check "amfora: home page lists the posts" tui_wait "2024-01-02 - Hello"
check "amfora: no error box" sh -c '! tmux -S "$1" capture-pane -p |
    grep -q "═ .* ═"' - "$TUI_SOCK"

# Follow the link to the post "Hello": its number on the screen, Enter.
n=$(tui_screen | sed -n 's/.*\[\([0-9]*\)\]  2024-01-02 - Hello.*/\1/p')
check "amfora: the post has a link number ($n)" [ -n "$n" ]
tui_keys "$n"
tui_keys Enter
check "amfora: the post's text" tui_wait "Hello from the first post"
check "amfora: the post's URL" tui_wait "$base/posts/2024-01-02-hello.gmi"
tui_keys b
check "amfora: back on the home page" tui_wait "# Test Capsule"
check "amfora: the requests are in the access log" \
    grep -q '"/posts/2024-01-02-hello.gmi" 20 ' "$CAPSULED_LOG"
tui_keys q
tmux -S "$TUI_SOCK" kill-server 2>/dev/null
check "SIGTERM: clean exit" stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]
finish
