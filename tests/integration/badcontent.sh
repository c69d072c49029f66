#!/bin/sh
# A broken post never takes the capsule down: each kind of bad content
# is reported (file:line:column) and rendered or skipped, every other
# post still exports, and nothing takes long.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

root="$T_TMP/capsule"
out="$T_TMP/out"
p="$root/_posts"
mkdir -p "$p"
printf 'title: Bad Content\nauthor: Tester\nlang: en\n' >"$root/_config.yml"

post() { # post FILE TITLE BODY
	printf -- '---\ntitle: %s\n---\n%b' "$2" "$3" >"$p/$1"
}
post 2020-01-01-good.md Good 'A good post.\n'
printf -- '---\ntitle: "unclosed\nfoo: [1, 2\n---\nBody.\n' \
    >"$p/2020-01-02-badyaml.md"
printf -- '---\ntitle: No date\n---\nBody.\n' >"$p/nodate.md"
printf -- '---\ntitle: Bad date\ndate: 2020-13-45\n---\nBody.\n' \
    >"$p/2020-01-03-baddate.md"
printf -- '---\ntitle: Bytes\n---\nBefore \377\376 after.\n' \
    >"$p/2020-01-04-utf8.md"
post 2020-01-05-posturl.md 'Post URL' \
    'See [the missing post]({% post_url 2001-01-01-nowhere %}) here.\n'
post 2020-01-06-liquid.md Liquid \
    'Kept {% unknown_tag foo %}text{{ page.nothing }} here.\n'
printf -- '---\ntitle: Open\nno end of the front matter\n' \
    >"$p/2020-01-07-unterminated.md"
post 2020-01-08-fence.md Fence 'Text.\n\n```c\nint x;\n'
printf -- '---\ntitle: "Red \033[31m"\n---\nA \033]0;x\007 bell.\n' \
    >"$p/2020-01-13-controls.md"
post 2021-02-29-leap.md Leap 'Not a date.\n'
: >"$p/2020-01-09-empty.md"
python3 - "$p" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/2020-01-10-huge.md", "w") as f:
    f.write("---\ntitle: Huge\n---\n")
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 2 + "\n\n"
    for _ in range(50 * 1024 * 1024 // len(line) + 1):
        f.write(line)
with open(d + "/2020-01-11-brackets.md", "w") as f:
    f.write("---\ntitle: Brackets\n---\n" + "[" * 100000 + "x" +
            "](y)" * 100000 + "\n")
with open(d + "/2020-01-12-nesting.md", "w") as f:
    f.write("---\ntitle: Nesting\n---\n" + "> " * 20000 + "deep\n\n")
    f.write("".join("  " * i + "* item\n" for i in range(1000)) + "\n")
    f.write("*" * 50000 + "x" + "*" * 50000 + "\n\n")
    f.write("<div>" * 20000 + "x" + "</div>" * 20000 + "\n")
with open(d + "/2020-01-14-deephtml.md", "w") as f:
    f.write("---\ntitle: Deep HTML\n---\nBefore.\n\n" +
            "<div><blockquote><ul><li>" * 50000 + "deep\n" +
            "</li></ul></blockquote></div>" * 50000 +
            "\n\nAfter *the* HTML.\n")
PY
post 2020-01-15-opendiv.md 'Open div' 'Before.\n\n<div class="note" markdown="1">\n*Inside* the div.\n\n## Heading\n\nLast words.\n'

start=$(date +%s)
timeout 120 "$CAPSULED" --root "$root" --check >"$T_TMP/check" 2>"$T_TMP/err"
rc=$?
took=$(($(date +%s) - start))
check "--check exits 1 (some posts have errors)" [ $rc -eq 1 ]
check "--check took under 60 s (${took} s)" [ "$took" -lt 60 ]

diag() { # diag FILE LEVEL: a diagnostic file:line:column: LEVEL: about FILE
	grep -qE "_posts/$1:[1-9][0-9]*:[1-9][0-9]*: $2: " "$T_TMP/check"
}
check "invalid YAML: error with line and column" grep -qE \
    '_posts/2020-01-02-badyaml\.md:[1-9][0-9]*:[1-9][0-9]*: error: ' "$T_TMP/check"
check "no date in the name: not a post (Jekyll's rule), noted" diag nodate.md note
check "unparsable date: reported" diag 2020-01-03-baddate.md 'warning|error'
check "invalid UTF-8: warning at line 4" grep -qE \
    '_posts/2020-01-04-utf8\.md:4:[0-9]+: warning: ' "$T_TMP/check"
check "post_url to a missing post: warning" diag 2020-01-05-posturl.md warning
check "unknown Liquid tag: error" diag 2020-01-06-liquid.md error
check "unterminated front matter: error" diag 2020-01-07-unterminated.md error
check "0-byte file: no error" sh -c \
    "! grep -q '2020-01-09-empty\\.md:.*error' '$T_TMP/check'"
check "50 MB file: error" diag 2020-01-10-huge.md error
check "unterminated fence: warning where it opens" grep -qE \
    '_posts/2020-01-08-fence\.md:6:1: warning: code block never closed' \
    "$T_TMP/check"
check "bracket bomb: warning" grep -qE \
    '_posts/2020-01-11-brackets\.md:4:1: warning: brackets nested 100000 deep' \
    "$T_TMP/check"
check "nesting bomb: warning" grep -qE \
    '_posts/2020-01-12-nesting\.md:[1-9][0-9]*:1: warning: blocks nested' \
    "$T_TMP/check"
check "control characters: a warning each" [ "$(grep -c \
    '_posts/2020-01-13-controls\.md:[0-9]*:[0-9]*: warning: control character' \
    "$T_TMP/check")" -eq 3 ]
check "February 29 of 2021: not a post, noted" diag 2021-02-29-leap.md note
check "HTML nested 200,000 deep: warning where it is too deep" grep -qE \
    '_posts/2020-01-14-deephtml\.md:6:[1-9][0-9]*: warning: HTML nested more than 256 deep' \
    "$T_TMP/check"
check "unclosed <div markdown=\"1\">: warning where it opens" grep -qE \
    '_posts/2020-01-15-opendiv\.md:6:1: warning: <div> is never closed' \
    "$T_TMP/check"

start=$(date +%s)
timeout 120 "$CAPSULED" --root "$root" --export "$out" 2>"$T_TMP/err"
rc=$?
took=$(($(date +%s) - start))
check "export exits 0 despite bad posts" [ $rc -eq 0 ]
check "export took under 60 s (${took} s)" [ "$took" -lt 60 ]
posts="$out/posts"
check "the good post is exported" grep -qFx "A good post." "$posts/2020-01-01-good.gmi"
check "0-byte file: an empty post, as Jekyll publishes it" \
    [ -e "$posts/2020-01-09-empty.gmi" ]
for s in 2020-01-02-badyaml nodate 2020-01-07-unterminated \
    2020-01-10-huge 2021-02-29-leap; do
	check "skipped: $s" [ ! -e "$posts/$s.gmi" ]
done
check "unparsable date: rendered with the file name's date" grep -qFx \
    "2020-01-03 · Tester" "$posts/2020-01-03-baddate.gmi"
check "invalid UTF-8: U+FFFD in the output" grep -qF \
    "Before �� after." "$posts/2020-01-04-utf8.gmi"
check "missing post_url: link text kept" grep -qF \
    "See the missing post here." "$posts/2020-01-05-posturl.gmi"
check "missing post_url: no link line" sh -c "! grep -q '^=>' '$posts/2020-01-05-posturl.gmi'"
check "unknown Liquid dropped" grep -qFx "Kept text here." "$posts/2020-01-06-liquid.gmi"
check "unterminated fence: rendered, toggles balanced" sh -c \
    "grep -qFx 'int x;' '$posts/2020-01-08-fence.gmi' && [ \$((\$(grep -c '^\`\`\`' '$posts/2020-01-08-fence.gmi') % 2)) -eq 0 ]"
check "control characters: none in the output" sh -c "! grep -q \"\$(printf '[\\033\\007]')\" '$posts/2020-01-13-controls.gmi'"
check "control characters: U+FFFD in their place" grep -qFx \
    "# Red �[31m" "$posts/2020-01-13-controls.gmi"
check "bracket bomb: rendered" [ -s "$posts/2020-01-11-brackets.gmi" ]
check "nesting bomb: rendered" grep -q deep "$posts/2020-01-12-nesting.gmi"
check "deep HTML: its text and what follows it" sh -c \
    "grep -qFx 'Before.' '$posts/2020-01-14-deephtml.gmi' && grep -q deep '$posts/2020-01-14-deephtml.gmi' && grep -q 'After the HTML.' '$posts/2020-01-14-deephtml.gmi'"
check "unclosed div: the rest of the file rendered" sh -c \
    "grep -qFx 'Inside the div.' '$posts/2020-01-15-opendiv.gmi' && grep -qFx '## Heading' '$posts/2020-01-15-opendiv.gmi' && grep -qFx 'Last words.' '$posts/2020-01-15-opendiv.gmi'"
check "home page lists the rendered posts" [ "$(grep -c '^=> /posts/' "$out/index.gmi")" -eq 12 ]
check "output is valid UTF-8" python3 -c '
import os, sys
for top, _, files in os.walk(sys.argv[1]):
    for f in files:
        open(os.path.join(top, f), "rb").read().decode("utf-8")
' "$out"
finish
