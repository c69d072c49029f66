#!/bin/sh
# A source that fails to load on a reload keeps its last good version:
# a post edited into invalid YAML, then SIGHUP, is still served with its
# old text over Gemini and Gopher (20, not 52), listed on the home page,
# its tag's page, the feed and the Gopher menu, and linked to from
# another post, while the log has its error at file:line:column; so is
# a page.  A removed post answers 52; the broken post fixed is served in
# its new version.  --watch takes the same path.  A broken _config.yml
# refuses the whole reload: the old snapshot keeps serving.
. "$(dirname "$0")/lib.sh"

make_capsule "$T_TMP/capsule"
post="$T_TMP/capsule/_posts/2024-01-02-hello.md"
page="$T_TMP/capsule/about.md"
config="$T_TMP/capsule/_config.yml"
log="$T_TMP/file.log"
# The second post links to the first.
printf -- '---\ntitle: Second post\n---\nSee [the first]({%% post_url %s %%}).\n' \
    2024-01-02-hello >"$T_TMP/capsule/_posts/2024-02-03-second.md"

# reloaded N: SIGHUP, then wait for the Nth "reloaded" line of the log.
reloaded() {
	kill -HUP "$CAPSULED_PID"
	wait_text "$log" "reloaded: " "$1"
}

# has WHAT TEXT: the body of the Gemini request WHAT holds TEXT.
has() {
	gem "gemini://localhost:$GEMINI_PORT$1\r\n" 2>/dev/null |
	    grep -qF -- "$2"
}

# gopher_has SELECTOR TEXT, gopher_lacks SELECTOR TEXT
gopher_has() {
	gopher_raw "$GOPHER_PORT" "$1" | grep -qF -- "$2"
}
gopher_lacks() {
	gopher_raw "$GOPHER_PORT" "$1" >"$T_TMP/gopher.out" &&
	    ! grep -qF -- "$2" "$T_TMP/gopher.out"
}

status() {
	status_line "gemini://localhost:$GEMINI_PORT$1\r\n" | cut -c1-2
}

start_capsuled --root "$T_TMP/capsule" --log "file:$log" || exit 1
check "before: the post's text" \
    has /posts/2024-01-02-hello.gmi "Hello from the first post"
check "before: the second post links to it" \
    has /posts/2024-02-03-second.gmi "/posts/2024-01-02-hello.gmi"

# Broken: an unclosed flow sequence in the post, an unclosed quote in
# the page.
printf -- '---\ntitle: Hello\ncategories: [news]\ntags: [intro\n---\nNew text.\n' \
    >"$post"
printf -- '---\ntitle: "About\npermalink: /about/\n---\nNew about.\n' >"$page"
reloaded 1 || fail "no reload"
got=$(status /posts/2024-01-02-hello.gmi)
check "broken post: 20, not 52 ($got)" [ "$got" = 20 ]
check "broken post: its last good text" \
    has /posts/2024-01-02-hello.gmi "Hello from the first post"
check "broken post: not its new text" \
    sh -c '! gem "$1" 2>/dev/null | grep -q "New text"' - \
    "gemini://localhost:$GEMINI_PORT/posts/2024-01-02-hello.gmi\r\n"
check "broken post: the other post's link to it is still there" \
    has /posts/2024-02-03-second.gmi "/posts/2024-01-02-hello.gmi"
check "broken post: on the home page" has / "/posts/2024-01-02-hello.gmi"
check "broken post: on its tag's page" has /tags/intro.gmi \
    "/posts/2024-01-02-hello.gmi"
check "broken post: on its category's page" has /categories/news.gmi \
    "/posts/2024-01-02-hello.gmi"
check "broken post: in the feed" has /atom.xml "2024-01-02-hello"
check "broken page: its last good text" has /about.gmi "About this capsule"
check "broken post: over Gopher, its old text" \
    gopher_has /posts/2024-01-02-hello.txt "Hello from the first post"
check "broken post: in the Gopher menu" gopher_has "" \
    "/posts/2024-01-02-hello.txt"
line=$(grep "2024-01-02-hello.md:[0-9]*:[0-9]*: error: " "$log" | head -n 1)
check "the post's error in the log at file:line:column ($line)" \
    [ -n "$line" ]
check "the page's error in the log at file:line:column" \
    grep -Eq "about.md:[0-9]+:[0-9]+: error: " "$log"
check "the log says the last good version is served" \
    grep -q "2024-01-02-hello.md.*its last good version is served" \
    "$log"

# Still broken at the next reload: still its last good version.
reloaded 2 || fail "no second reload"
check "still broken, another reload: its last good text" \
    has /posts/2024-01-02-hello.gmi "Hello from the first post"

# Removed: 52.
mv "$T_TMP/capsule/_posts/2024-02-03-second.md" "$T_TMP/second.md"
reloaded 3 || fail "no third reload"
got=$(status /posts/2024-02-03-second.gmi)
check "removed post: 52 ($got)" [ "$got" = 52 ]
check "removed post: gone from the Gopher menu" gopher_lacks "" \
    "2024-02-03-second"

# Fixed: the new version.
printf -- '---\ntitle: Hello\ncategories: [news]\ntags: [intro]\n---\nNew text.\n' \
    >"$post"
reloaded 4 || fail "no fourth reload"
check "fixed post: its new text" has /posts/2024-01-02-hello.gmi "New text"
check "fixed post: over Gopher too" \
    gopher_has /posts/2024-01-02-hello.txt "New text"

# A broken _config.yml: the whole reload is refused.
cp "$config" "$T_TMP/config.good"
printf 'title: [unclosed\n' >"$config"
kill -HUP "$CAPSULED_PID"
check "broken _config.yml: the reload is refused" \
    wait_text "$log" "reload failed: still serving the previous content"
check "broken _config.yml: its error at file:line:column" \
    grep -Eq "_config.yml:[0-9]+:[0-9]+: error: " "$log"
check "broken _config.yml: the previous snapshot serves" \
    has /posts/2024-01-02-hello.gmi "New text"
check "broken _config.yml: the page too" has /about.gmi "About this capsule"
cp "$T_TMP/config.good" "$config"
check "SIGTERM: clean exit" stop_capsuled

# --watch reloads as SIGHUP does.
mv "$T_TMP/second.md" "$T_TMP/capsule/_posts/2024-02-03-second.md"
start_capsuled --root "$T_TMP/capsule" --log "file:$log.watch" --watch ||
    exit 1
log=$log.watch
printf -- '---\ntitle: [\n---\nWatched.\n' >"$post"
check "--watch: reloaded on the edit" wait_text "$log" "reloaded: "
check "--watch: the broken post keeps its last good text" \
    has /posts/2024-01-02-hello.gmi "New text"
check "--watch: its error at file:line:column" \
    grep -Eq "2024-01-02-hello.md:[0-9]+:[0-9]+: error: " "$log"
check "--watch: stops" stop_capsuled
check "--watch: exit 0, nothing reported by the sanitizers" sh -c \
    '[ "$1" -eq 0 ] && ! grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error" "$2"' \
    - "$CAPSULED_STATUS" "$log"
finish
