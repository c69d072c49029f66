#!/bin/sh
# Broken Liquid on the real daemon: a loop over a huge range, an include
# that includes itself, two that include each other, tags never closed,
# filters given bad arguments.  Each is bounded, reported at
# file:line:column, and the rest of its file and of the site is served;
# a page looping over site.posts becomes link lines.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

root="$T_TMP/capsule"
p="$root/_posts"
mkdir -p "$p" "$root/_includes"
printf 'title: Bad Liquid\n' >"$root/_config.yml"
printf 'Again {%% include self.html %%}' >"$root/_includes/self.html"
printf 'A then {%% include b.html %%}' >"$root/_includes/a.html"
printf 'B then {%% include a.html %%}' >"$root/_includes/b.html"

post() { # post NAME TITLE BODY (printf's format: %% for a %)
	# shellcheck disable=SC2059
	printf -- "---\ntitle: $2\n---\n$3" >"$p/$1.md"
}
post 2024-01-01-range Range 'Before the loop.\n\n{%% for i in (1..1000000000) %%}{{ i }} {%% endfor %%}\n\nAfter the loop.\n'
post 2024-01-02-recursive Recursive 'Top of the page.\n\n{%% include self.html %%}\n\nBottom of the page.\n'
post 2024-01-03-cycle Cycle 'Start of the page.\n\n{%% include a.html %%}\n\nEnd of the page.\n'
post 2024-01-04-unterminated Unterminated 'Line one.\n\n{%% if true %%}never closed\n\nLine three {{ page.title\n\nLast words here.\n'
post 2024-01-05-badfilter 'Bad filter' 'First line.\n\nValue: {{ "abc" | truncate: "many" }} and {{ 1 | plus }} then more.\n\nLast line.\n'
post 2024-01-06-good Good '{%% for p in site.posts limit: 2 %%}\n- {{ p.title }} of {{ site.title }}\n{%% endfor %%}\n'
printf -- '---\ntitle: List\n---\n<ul>{%% for post in site.posts %%}<li><a href="{{ post.url }}">{{ post.title }}</a></li>{%% endfor %%}</ul>\n' \
    >"$root/list.md"

# The loop's bound is its steps, checked below; how long the sanitized
# build takes to reach it depends on the machine, and is not tested.
start_capsuled --root "$root" || exit 1

# body PATH: the document, without its status line.
body() {
	gem "gemini://localhost:$GEMINI_PORT$1\r\n" 2>/dev/null | tr -d '\r' |
	    tail -n +2
}
# has PATH LINE: the document holds that line.
has() {
	body "$1" | grep -qFx -- "$2"
}
# count PATH ERE: how many lines of the document match.
count() {
	body "$1" | grep -cE -- "$2"
}
# follows PATH LINE NEXT: LINE, then NEXT on the line after it.
follows() {
	body "$1" | grep -A1 -Fx -- "$2" | tail -n 1 | grep -qFx -- "$3"
}
# reported FILE:LINE:COL MESSAGE: the start-up log says so.
reported() {
	grep -qF "_posts/$1: error: Liquid$2" "$CAPSULED_LOG"
}

r=/posts/2024-01-01-range.gmi
check "huge range: the loop stops at the step bound" reported \
    2024-01-01-range.md:6:38 ' error: more than 1000000 steps'
check "huge range: text before the loop served" has $r "Before the loop."
check "huge range: text after the loop served" has $r "After the loop."

r=/posts/2024-01-02-recursive.gmi
check "recursive include: reported at the page's include tag" reported \
    2024-01-02-recursive.md:6:1 " error: includes nested deeper than 64"
check "recursive include: the rest served" has $r "Bottom of the page."
check "recursive include: 64 deep, no deeper" [ "$(body $r |
    grep -o Again | wc -l)" -eq 64 ]

r=/posts/2024-01-03-cycle.gmi
check "include cycle: reported at the page's tag, naming the inner one" \
    grep -qE "_posts/2024-01-03-cycle\.md:6:1: error: Liquid error: .*'a\.html' not included at .*_includes/b\.html:1:8" \
    "$CAPSULED_LOG"
check "include cycle: the rest served" has $r "End of the page."

r=/posts/2024-01-04-unterminated.gmi
check "block never closed: reported where it opens" reported \
    2024-01-04-unterminated.md:6:1 ": 'if' tag was never closed"
check "output never closed: reported where it opens" reported \
    2024-01-04-unterminated.md:8:12 ": Variable '{{' was not properly terminated"
check "unterminated: the block's text kept" has $r "never closed"
check "unterminated: the output kept as text" has $r "Line three {{ page.title"
check "unterminated: the rest served" has $r "Last words here."

r=/posts/2024-01-05-badfilter.gmi
check "filter with a bad argument: reported" reported \
    2024-01-05-badfilter.md:6:8 " error: invalid integer"
check "filter with too few arguments: reported" reported \
    2024-01-05-badfilter.md:6:43 " error: wrong number of arguments"
check "bad filters: the rest of the line served" has $r \
    "Value: and then more."
check "bad filters: the rest of the file served" has $r "Last line."

check "site.posts, newest first, and site's config" follows \
    /posts/2024-01-06-good.gmi "* Good of Bad Liquid" \
    "* Bad filter of Bad Liquid"
check "HTML looping over site.posts: one link line per post" [ "$(count \
    /list.gmi '^=> /posts/2024-01-0[1-6]-')" -eq 6 ]
check "HTML looping over site.posts: the post's title as label" has \
    /list.gmi "=> /posts/2024-01-03-cycle.gmi Cycle"

stop_capsuled
check "exits cleanly" [ "$CAPSULED_STATUS" -eq 0 ]
finish
