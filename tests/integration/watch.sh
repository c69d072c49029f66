#!/bin/sh
# --watch, release and sanitized daemons in their sandbox: an edited
# post, a new post in a folder made after start-up and a removed one are
# served (or gone) within a bounded wait without any signal; a burst of
# saves is one reload; without --watch nothing is watched.
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
post="$T_TMP/capsule/_posts/2024-01-02-hello.md"

# served_within REQUEST TEXT: wait up to 10 s for TEXT in the response.
served_within() {
	i=0
	while ! gem "$1" 2>/dev/null | grep -q "$2" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 100 ]
}

reloads() { grep -c "reloaded: " "$CAPSULED_LOG"; }

for build in "$TOP/capsuled" "$CAPSULED"; do
	name=release
	[ "$build" = "$CAPSULED" ] && name=sanitized
	sed -i "s/^\(Hello\|Edited\).*/Hello from the first post./" "$post"
	rm -rf "$T_TMP/capsule/_posts/2025"
	CAPSULED=$build start_capsuled --root "$T_TMP/capsule" --watch || exit 1
	base="gemini://localhost:$GEMINI_PORT"
	check "$name: watching, said" grep -q "watching .*capsule" "$CAPSULED_LOG"
	check "$name: in the seccomp filter" [ "$(awk '$1 == "Seccomp:" { print $2 }' \
	    "/proc/$CAPSULED_PID/status")" = 2 ]
	sed -i "s/^Hello.*/Edited while watched./" "$post"
	check "$name: an edited post is served, no signal sent" \
	    served_within "$base/posts/2024-01-02-hello.gmi\r\n" "Edited while watched"
	mkdir -p "$T_TMP/capsule/_posts/2025/03"
	sleep 0.5
	printf -- '---\ntitle: Nested\n---\nA post in a new folder.\n' \
	    >"$T_TMP/capsule/_posts/2025/03/2025-03-01-nested.md"
	check "$name: a post in a folder made after start-up is served" \
	    served_within "$base/posts/2025-03-01-nested.gmi\r\n" "A post in a new folder"
	check "$name: and found by the search" \
	    served_within "$base/search?nested\r\n" "2025-03-01-nested.gmi"
	n0=$(reloads)
	for i in 1 2 3 4 5; do
		echo "Line $i of a burst." >>"$post"
		sleep 0.02
	done
	served_within "$base/posts/2024-01-02-hello.gmi\r\n" "Line 5 of a burst"
	check "$name: the burst is served" [ $? -eq 0 ]
	sleep 0.5
	n1=$(reloads)
	check "$name: a burst of 5 saves is one reload ($((n1 - n0)))" \
	    [ $((n1 - n0)) -eq 1 ]
	rm "$T_TMP/capsule/_posts/2025/03/2025-03-01-nested.md"
	i=0
	until [ "$(status_line "$base/posts/2025-03-01-nested.gmi\r\n")" = \
	    "52 Gone: removed from this capsule" ] || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "$name: a removed post is gone (52)" [ $i -lt 100 ]
	check "$name: stops" stop_capsuled
	check "$name: exit 0, nothing reported by the sanitizers" sh -c \
	    '[ "$1" -eq 0 ] && ! grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error" "$2"' \
	    - "$CAPSULED_STATUS" "$CAPSULED_LOG"
done

# Without --watch: an edit waits for SIGHUP.
sed -i "s/^Edited.*/Hello again./" "$post"
start_capsuled --root "$T_TMP/capsule" || exit 1
base="gemini://localhost:$GEMINI_PORT"
sed -i "s/^Hello again.*/Edited, not watched./" "$post"
sleep 1
check "no --watch: not reloaded by an edit" sh -c \
    '! grep -q "reloading\|watching" "$1"' - "$CAPSULED_LOG"
kill -HUP "$CAPSULED_PID"
check "then SIGHUP serves it" \
    served_within "$base/posts/2024-01-02-hello.gmi\r\n" "Edited, not watched"
check "stops" stop_capsuled
finish
