#!/bin/sh
# --export and --check on the shipped capsule: the seed post, the home
# page, the feed, robots.txt, reproducible output, exit codes.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out="$T_TMP/out"
err="$T_TMP/err"

# line_after FILE FIRST NEXT: the line right after FIRST is NEXT.
line_after() {
	python3 - "$@" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
first, nxt = sys.argv[2], sys.argv[3]
sys.exit(0 if any(lines[i] == first and lines[i + 1] == nxt
                  for i in range(len(lines) - 1)) else 1)
PY
}

has_line() { grep -qFx -- "$2" "$1"; }

timeout 60 "$CAPSULED" --root "$TOP/capsule" --export "$out" 2>"$err"
check "export exits 0" [ $? -eq 0 ]
check "summary line on stderr" grep -qE \
    '^capsuled: 1 post, 1 page, [0-9]+ static files?, 0 warnings, 0 errors, [0-9.]+ ms; search index [0-9.]+ MiB$' "$err"
for f in index.gmi posts/2017-12-04-offload-coming.gmi about.gmi archive.gmi \
    categories.gmi categories/Other.gmi tags.gmi atom.xml robots.txt; do
	check "exported $f" [ -s "$out/$f" ]
done
for f in about.md _config.yml _posts LICENSE.md; do
	check "$f is not exported" [ ! -e "$out/$f" ]
done

post="$out/posts/2017-12-04-offload-coming.gmi"
check "seed post: title block" [ "$(head -n 6 "$post")" = "# Offload is coming

2017-12-04 · Quentin Monnet
Categories: Other

Nothing technical in this post. This is a short update about my position, and about this blog in general." ]
for q in "I’m asking the questions! What’s up on the blog?" \
    "So you don’t like 6WIND anymore?" "Then, why did you change?" \
    "I am a loyal reader of your blog. What does this mean for me?" \
    "Sounds cool! Anything else?"; do
	check "seed post: quote \"$q\"" has_line "$post" "> $q"
done
check "seed post: link line after its paragraph" line_after "$post" \
    "I left my post vacant, so if one of you, dear readers, is looking for awesome technical challenges about drastic improvements of userspace datapath performances, I strongly encourage you to apply! I believe they are hiring." \
    "=> http://www.6wind.com/company-profile/careers/ they are hiring"
check "seed post: Netronome link after its paragraph" grep -qFx \
    "=> https://www.netronome.com Netronome" "$post"
check "seed post: ends with the last link line, no comment" \
    [ "$(tail -n 1 "$post")" = "=> https://www.netronome.com/careers/ we are hiring as well" ]
check "seed post: no Liquid left" sh -c "! grep -q -e '{%' -e 'vim:' '$post'"
# Line by line: the title block, a blank line, then the body exactly as
# the converter's golden file for this post has it.
printf '# Offload is coming\n\n2017-12-04 · Quentin Monnet\nCategories: Other\n\n' \
    >"$T_TMP/want"
cat "$TOP/tests/golden/2017-12-04-offload-coming.gmi" >>"$T_TMP/want"
check "seed post: whole file, line by line" diff -u "$T_TMP/want" "$post"

home="$out/index.gmi"
check "home: site title first" [ "$(head -n 1 "$home")" = "# Whirl Offload" ]
check "home: one level-1 heading" [ "$(grep -c '^# ' "$home")" -eq 1 ]
check "home: description" has_line "$home" \
    "Superfast networking technologies and open-source software — among other things."
check "home: about link" has_line "$home" "=> /about.gmi About"
check "home: feed link" has_line "$home" "=> /atom.xml Atom feed"
check "home: gemlog line" has_line "$home" \
    "=> /posts/2017-12-04-offload-coming.gmi 2017-12-04 - Offload is coming"
check "about page: its own heading is its title" \
    [ "$(head -n 1 "$out/about.gmi") $(grep -cx '# About' "$out/about.gmi")" \
    = "# About Whirl Offload 0" ]
check "about page: link after its unit" has_line "$out/about.gmi" \
    "=> https://qmo.fr/ my personal webpage"

atom="$out/atom.xml"
if command -v xmllint >/dev/null 2>&1; then
	check "atom.xml well-formed (xmllint)" xmllint --noout "$atom"
else
	check "atom.xml well-formed (python)" python3 -c \
	    'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$atom"
fi
check "atom.xml: Atom feed, newest date, gemini links" python3 - "$atom" <<'PY'
import sys, xml.etree.ElementTree as E
A = "{http://www.w3.org/2005/Atom}"
feed = E.parse(sys.argv[1]).getroot()
assert feed.tag == A + "feed"
assert feed.find(A + "updated").text == "2017-12-04T00:00:00Z"
assert feed.find(A + "id").text == "gemini://localhost/"
entries = feed.findall(A + "entry")
assert len(entries) == 1
e = entries[0]
assert e.find(A + "title").text == "Offload is coming"
assert e.find(A + "link").get("href") == "gemini://localhost/posts/2017-12-04-offload-coming.gmi"
assert e.find(A + "updated").text == "2017-12-04T00:00:00Z"
assert e.find(A + "summary").text.startswith("A short update")
assert e.find(A + "id").text == \
    "tag:qmonnet.github.io,2017-12-04:_posts/2017-12-04-offload-coming"
PY
# entry_ids FILE: the entries' ids of an Atom feed.
entry_ids() {
	python3 -c 'import sys, xml.etree.ElementTree as E
A = "{http://www.w3.org/2005/Atom}"
for e in E.parse(sys.argv[1]).getroot().findall(A + "entry"):
    print(e.find(A + "id").text)' "$1"
}
timeout 60 "$CAPSULED" --root "$TOP/capsule" --export "$T_TMP/moved" \
    -H gemini.example.net -p 11965 --permalink jekyll 2>/dev/null
check "entry ids stay when host, port and post URLs change" \
    [ -n "$(entry_ids "$atom")" -a \
    "$(entry_ids "$atom")" = "$(entry_ids "$T_TMP/moved/atom.xml")" ]
check "robots.txt allows everything" [ "$(cat "$out/robots.txt")" = "User-agent: *
Disallow:" ]

# Reproducible: a second export is byte for byte the same.
timeout 60 "$CAPSULED" --root "$TOP/capsule" --export "$T_TMP/out2" 2>/dev/null
check "two exports are identical" diff -r "$out" "$T_TMP/out2"

# The Jekyll permalink form: /YYYY/MM/DD/SLUG/ as a folder index.
timeout 60 "$CAPSULED" --root "$TOP/capsule" --permalink jekyll \
    --export "$T_TMP/jekyll" 2>/dev/null
check "jekyll permalinks: post at 2017/12/04/offload-coming/index.gmi" \
    cmp -s "$post" "$T_TMP/jekyll/2017/12/04/offload-coming/index.gmi"
check "jekyll permalinks: home links the folder" grep -qFx \
    "=> /2017/12/04/offload-coming/ 2017-12-04 - Offload is coming" \
    "$T_TMP/jekyll/index.gmi"

# --list: each exported page with its source and kind, and every
# exported file named once.
timeout 60 "$CAPSULED" --root "$TOP/capsule" --list >"$T_TMP/list" 2>"$err"
check "--list exits 0" [ $? -eq 0 ]
check "--list: summary line on stderr only" sh -c \
    "grep -q '^capsuled: 1 post' '$err' && ! grep -q '^capsuled:' '$T_TMP/list'"
check "--list: the post, its source and path" has_line "$T_TMP/list" \
    "$(printf '_posts/2017-12-04-offload-coming.md\tpost\t/posts/2017-12-04-offload-coming.gmi')"
check "--list: the page" has_line "$T_TMP/list" "$(printf 'about.md\tpage\t/about.gmi')"
check "--list: the home page is generated" has_line "$T_TMP/list" \
    "$(printf -- '-\tgenerated\t/')"
check "--list: three fields, a known kind" awk -F '\t' 'NF != 3 ||
    $2 !~ /^(post|page|static|generated)$/ || $3 !~ /^\// { bad = 1 }
    END { exit bad }' "$T_TMP/list"
check "--list: a static file at its own path" python3 - "$T_TMP/list" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
st = [r for r in rows if r[1] == "static"]
assert st and all(r[2] == "/" + r[0] for r in st), st
PY
check "--list: every exported file, each once" python3 - "$T_TMP/list" "$out" <<'PY'
import os, sys
paths = [l.rstrip("\n").split("\t")[2] for l in open(sys.argv[1], encoding="utf-8")]
assert len(paths) == len(set(paths)), "a path listed twice"
files = {p + "index.gmi" if p.endswith("/") else p for p in paths}
got = set()
for d, _, fs in os.walk(sys.argv[2]):
    got |= {"/" + os.path.relpath(os.path.join(d, f), sys.argv[2]) for f in fs}
assert files == got, (sorted(files ^ got))
PY

# --check: exit 0 on the capsule, 1 with an error, diagnostics with
# file:line:column.
timeout 60 "$CAPSULED" --root "$TOP/capsule" --check >"$T_TMP/check" 2>&1
check "--check exits 0 on capsule/" [ $? -eq 0 ]
bad="$T_TMP/bad"
mkdir -p "$bad/_posts"
cp "$TOP/capsule/_config.yml" "$bad/"
printf -- '---\ntitle: Fine\n---\nFine.\n' >"$bad/_posts/2020-01-01-fine.md"
printf -- '---\ntitle: [unclosed\n---\nBroken.\n' \
    >"$bad/_posts/2020-01-02-broken.md"
timeout 60 "$CAPSULED" --root "$bad" --check >"$T_TMP/check" 2>"$err"
check "--check exits 1 on an error" [ $? -eq 1 ]
check "--check: file:line:column: error:" grep -qE \
    '_posts/2020-01-02-broken\.md:[0-9]+:[0-9]+: error: ' "$T_TMP/check"
check "--check: every diagnostic in the format" sh -c \
    "! grep -vE '^[^:]+:[0-9]+:[0-9]+: (warning|error|note): ' '$T_TMP/check'"
check "--check: summary counts the error" grep -qE \
    '^capsuled: 1 post, .* 1 error' "$err"
timeout 60 "$CAPSULED" --root "$T_TMP/nonexistent" --check >/dev/null 2>&1
check "--check exits 1 without a root" [ $? -eq 1 ]
timeout 60 "$CAPSULED" --root "$bad" --export "$T_TMP/bad-out" 2>/dev/null
check "export renders the good post" [ -s "$T_TMP/bad-out/posts/2020-01-01-fine.gmi" ]
check "export skips the broken post" [ ! -e "$T_TMP/bad-out/posts/2020-01-02-broken.gmi" ]
timeout 60 "$CAPSULED" --bogus >/dev/null 2>&1
check "unknown option: exit 2" [ $? -eq 2 ]
finish
