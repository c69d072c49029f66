#!/bin/sh
# Search on the real daemon, release and sanitized builds, inside their
# sandbox (seccomp, landlock): Gemini's /search with the test client
# (the prompt, hits best first, percent-encoding, accents, a phrase and
# a prefix, no match, FTS5's syntax, a control character, a request of
# 1024 bytes), Gopher's type 7 item with curl, and a post edited then
# found after SIGHUP, the index rebuilt under the sandbox.
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
post="$T_TMP/capsule/_posts/2024-01-02-hello.md"
cat >"$T_TMP/capsule/_posts/2024-03-04-offload.md" <<'EOF2'
---
title: Hardware offload
tags: [nic, bpf]
---
Smart NICs take work from the host: the café of networking.
EOF2

# body REQUEST: the response without its CRs.
body() { gem "$1" 2>/dev/null | tr -d '\r'; }

# searches BASE NAME: the Gemini and Gopher checks on the daemon.
searches() {
	b=$1
	n=$2
	got=$(status_line "$b/search\r\n")
	check "$n: /search asks (10) ($got)" sh -c \
	    'case "$1" in "10 Search the blog"*) ;; *) exit 1 ;; esac' - "$got"
	got=$(status_line "$b/search?\r\n")
	check "$n: the empty query asks again ($got)" [ "${got%% *}" = 10 ]
	out=$(body "$b/search?offload\r\n")
	check "$n: a word: 20 and the post" sh -c 'printf "%s\n" "$1" |
	    grep -qx "=> /posts/2024-03-04-offload.gmi 2024-03-04 · Hardware offload"' - "$out"
	check "$n: its excerpt" sh -c 'printf "%s\n" "$1" |
	    grep -q "^> Smart NICs take work from the host"' - "$out"
	out=$(body "$b/search?%43AF%C3%89\r\n")
	check "$n: percent-encoded, accents and case folded" sh -c \
	    'printf "%s\n" "$1" | grep -q "^1 post matches .CAFÉ., best first:$"' - "$out"
	out=$(body "$b/search?%22smart%20nics%22%20netw*\r\n")
	check "$n: a phrase and a prefix" sh -c \
	    'printf "%s\n" "$1" | grep -q "^=> /posts/2024-03-04-offload.gmi "' - "$out"
	out=$(body "$b/search?intro%20OR%20bpf\r\n")
	check "$n: OR, tags: two posts" sh -c \
	    'printf "%s\n" "$1" | grep -q "^2 posts match"' - "$out"
	out=$(body "$b/search?xyzzy\r\n")
	check "$n: no match" sh -c \
	    'printf "%s\n" "$1" | grep -q "^No post matches .xyzzy.\.$"' - "$out"
	got=$(status_line "$b/search?NEAR(%22a%22%20*)%20title:x%20%5E\r\n")
	check "$n: FTS5's syntax is text: 20 ($got)" [ "$got" = "20 text/gemini; lang=en" ]
	got=$(status_line "$b/search?a%0Ab\r\n")
	check "$n: a control character: 59 ($got)" [ "${got%% *}" = 59 ]
	q=$(printf '%*s' $((1024 - ${#b} - 8)) '' | tr ' ' 'w')
	got=$(status_line "$b/search?$q\r\n")
	check "$n: a request of 1024 bytes is searched ($got)" [ "${got%% *}" = 20 ]
	got=$(status_line "$b/search?${q}w\r\n")
	check "$n: 1025 bytes are refused ($got)" [ "${got%% *}" = 59 ]
	out=$(body "$b/\r\n")
	check "$n: the home page links to the search" sh -c \
	    'printf "%s\n" "$1" | grep -qx "=> /search Search"' - "$out"
	g="gopher://127.0.0.1:$GOPHER_PORT"
	out=$(curl -s --max-time 10 "$g/1/" | tr -d '\r')
	check "$n: Gopher's main menu has the type 7 item" sh -c \
	    'printf "%s\n" "$1" | grep -q "^7Search the blog	/search	"' - "$out"
	out=$(curl -s --max-time 10 "$g/7/search%09offload" | tr -d '\r')
	check "$n: Gopher search: the post as a text item" sh -c \
	    'printf "%s\n" "$1" | grep -q "^02024-03-04 - Hardware offload	/posts/2024-03-04-offload.txt	"' - "$out"
	check "$n: and the menu ends" sh -c \
	    'printf "%s\n" "$1" | tail -n 1 | grep -qx "\."' - "$out"
}

for build in "$TOP/capsuled" "$CAPSULED"; do
	name=release
	[ "$build" = "$CAPSULED" ] && name=sanitized
	sed -i "s/^\(Hello\|Edited\).*/Hello from the first post./" "$post"
	CAPSULED=$build start_capsuled --root "$T_TMP/capsule" || exit 1
	base="gemini://localhost:$GEMINI_PORT"
	check "$name: serving in the seccomp filter" [ "$(awk '$1 == "Seccomp:" { print $2 }' \
	    "/proc/$CAPSULED_PID/status")" = 2 ]
	check "$name: the index in the start-up line" grep -Eq \
	    "; search index [0-9.]+ MiB" "$CAPSULED_LOG"
	searches "$base" "$name"
	out=$(body "$base/search?zanzibar\r\n")
	check "$name: a word not there yet" sh -c \
	    'printf "%s\n" "$1" | grep -q "^No post matches"' - "$out"
	sed -i "s/^Hello.*/Edited: now about Zanzibar./" "$post"
	kill -HUP "$CAPSULED_PID"
	i=0
	while ! body "$base/search?zanzibar\r\n" |
	    grep -q "^=> /posts/2024-01-02-hello.gmi " && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "$name: after SIGHUP the edit is found" [ $i -lt 50 ]
	searches "$base" "$name, reloaded"
	check "$name: stops" stop_capsuled
	check "$name: exit 0, nothing reported by the sanitizers" sh -c \
	    '[ "$1" -eq 0 ] && ! grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error" "$2"' \
	    - "$CAPSULED_STATUS" "$CAPSULED_LOG"
done
finish
