#!/bin/sh
# Export the real Whirl Offload blog (outside the project; skipped when
# absent) and check the output invariants of CONVERSION.md 5.2 over
# every file, plus expectations taken from the posts.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if [ ! -d "$CORPUS" ]; then
	echo "corpus not found at $CORPUS: skipped"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "python3 not found: skipped"
	exit 77
fi

out="$T_TMP/out"
# Counts from the corpus itself, so that it may grow.
nposts=$(find "$CORPUS/_posts" -name '*.md' | wc -l)
timeout 120 "$CAPSULED" --root "$CORPUS" --export "$out" 2>"$T_TMP/err"
check "corpus export exits 0" [ $? -eq 0 ]
check "corpus: $nposts posts, no error" grep -qE \
    "^capsuled: $nposts posts, [0-9]+ pages?, [0-9]+ static files, [0-9]+ warnings?, 0 errors" \
    "$T_TMP/err"

# One "ok"/"FAIL" line per file and invariant; lib.sh counts them.
python3 - "$out" >"$T_TMP/inv" <<'PY'
import os, re, sys, urllib.parse

out = sys.argv[1]
TAGS = ("a|abbr|acronym|b|br|center|code|del|details|div|em|figcaption|"
        "figure|h[1-6]|hr|i|iframe|img|ins|kbd|li|ol|p|pre|q|script|small|"
        "source|span|strong|style|sub|summary|sup|table|td|th|tr|u|ul|video")
tag = re.compile(r"</?(%s)(\s[^<>]*)?/?>" % TAGS, re.I)
code = re.compile(r"`[^`]*`")
# Markdown and kramdown that must not survive outside code: footnote
# references, inline links and images, strong emphasis, IALs, entities.
leftover = re.compile(r"\[\^[\w-]+\]|\]\(|!\[|\*\*|\{:|&(#\d+|#x[\da-f]+|[a-z]+);",
                      re.I)
links = {}

def problems(path, rel):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        yield "invalid UTF-8 at byte %d" % e.start
        return
    if "\r" in text:
        yield "CR"
    if not text.endswith("\n") or text.endswith("\n\n"):
        yield "does not end with exactly one newline"
    if text.startswith("\n"):
        yield "starts with a blank line"
    pre = False
    prev_blank = False
    for n, line in enumerate(text[:-1].split("\n"), 1):
        where = "line %d: " % n
        if line.startswith("```"):
            pre = not pre
            prev_blank = False
            continue
        if pre:
            continue
        blank = line == ""
        if blank and prev_blank:
            yield where + "two blank lines"
        prev_blank = blank
        if line != line.strip(" \t"):
            yield where + "leading or trailing whitespace"
        prose = code.sub("", line)
        if tag.search(prose):
            yield where + "HTML tag: " + tag.search(prose).group(0)
        if "{%" in prose or "{{" in prose:
            yield where + "Liquid"
        m = leftover.search(prose)
        if m and not line.startswith("=>"):
            yield where + "Markdown or kramdown left: " + m.group(0)
        if re.match(r"(\|-{3,}(\+|\|))|\* (ToC|TOC|Table of contents)$", line):
            yield where + "kramdown table rule or ToC"
        if line.startswith("#") and not re.match(r"#{1,3} \S", line):
            yield where + "not a gemtext heading"
        if line.startswith("=>"):
            m = re.match(r"=>[ \t]*(\S+)", line)
            if not m:
                yield where + "link line without URL"
                continue
            url = m.group(1)
            if url.startswith("/") and not url.startswith("//"):
                p = urllib.parse.unquote(re.split(r"[?#]", url)[0])
                if p.endswith("/"):
                    p += "index.gmi"
                # /search is answered by the server, not a file.
                if p == "/search":
                    continue
                if not os.path.isfile(os.path.join(out, p.lstrip("/"))):
                    yield where + "local link does not resolve: " + url
                links.setdefault(rel, set()).add(p.lstrip("/"))
    if pre:
        yield "unbalanced preformatted toggles"

nfiles = 0
for top, dirs, files in sorted(os.walk(out)):
    for f in sorted(files):
        if not f.endswith(".gmi"):
            continue
        nfiles += 1
        rel = os.path.relpath(os.path.join(top, f), out)
        found = list(problems(os.path.join(top, f), rel))
        if found:
            for p in found[:5]:
                print("FAIL %s: %s" % (rel, p))
        else:
            print("ok   %s: CONVERSION.md 5.2 invariants" % rel)
print("files %d" % nfiles)

# Every document can be reached from the home page.
seen, todo = {"index.gmi"}, ["index.gmi"]
while todo:
    for t in links.get(todo.pop(), ()):
        if t.endswith(".gmi") and t not in seen:
            seen.add(t)
            todo.append(t)
for top, dirs, files in sorted(os.walk(out)):
    for f in sorted(files):
        rel = os.path.relpath(os.path.join(top, f), out)
        if f.endswith(".gmi") and rel not in seen:
            print("FAIL %s: not reachable from the home page" % rel)
print("reachable %d" % len(seen))
PY
while IFS= read -r l; do
	case $l in
	"ok   "*) ok "${l#ok   }" ;;
	"FAIL "*) fail "${l#FAIL }" ;;
	files*) check "at least 20 gemtext files checked" [ "${l#files }" -ge 20 ] ;;
	reachable*) ok "${l#reachable } documents reachable from the home page" ;;
	esac
done <"$T_TMP/inv"

has_line() { grep -qFx -- "$2" "$out/$1"; }
# line_after FILE FIRST NEXT: the line right after FIRST is NEXT.
line_after() {
	python3 - "$out/$1" "$2" "$3" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
sys.exit(0 if any(lines[i] == sys.argv[2] and lines[i + 1] == sys.argv[3]
                  for i in range(len(lines) - 1)) else 1)
PY
}

check "os-ebpf: front matter date, not the file name's" \
    [ "$(sed -n 3p "$out/posts/2017-02-21-implementing-openstate-with-ebpf.gmi" | cut -c1-10)" = 2017-02-11 ]
check "home: $nposts gemlog lines" [ "$(grep -cE '^=> /posts/[^ ]+ [0-9]{4}-[0-9]{2}-[0-9]{2} - ' "$out/index.gmi")" -eq "$nposts" ]
check "home: newest post first" [ "$(grep -m1 '^=> /posts/' "$out/index.gmi")" = \
    "=> /posts/2023-11-17-buzzing-across-space.gmi 2023-11-17 - Buzzing Across Space: The Illustrated Children's Guide to eBPF" ]
check "home: os-ebpf listed under its front matter date" has_line index.gmi \
    "=> /posts/2017-02-21-implementing-openstate-with-ebpf.gmi 2017-02-11 - Implementing OpenState with eBPF"
beba=$out/posts/2016-07-15-beba-research-project.gmi
check "beba: exported, with the text around the commented-out items" \
    grep -q "BEBA" "$beba"
check "beba: commented-out list items are gone" sh -c \
    '[ -s "$1" ] && ! grep -q "Software acceleration, because" "$1"' - "$beba"
check "welcome: {{ site.title }} resolved" grep -qF \
    "It is called Whirl Offload, what could that mean?" "$out/posts/2016-07-07-welcome.gmi"
check "welcome: link after its paragraph" has_line posts/2016-07-07-welcome.gmi \
    "=> http://6wind.com 6WIND"
check "sdn: figure link line then its caption" line_after \
    posts/2016-07-08-introduction-to-sdn.gmi \
    "=> /img/net/oldnetwork.svg Traditional network" \
    "A traditional wired LAN, with hardware switches"
check "sdn: the figure's image is exported" [ -s "$out/img/net/oldnetwork.svg" ]
# The openstate post is not part of the corpus: its post_url links keep
# their text and lose their link line (with a warning).
check "os-ebpf: post_url to a missing post keeps its text" grep -qF \
    "Remember we already used port knocking as an example use case for OpenState?" \
    "$out/posts/2017-02-21-implementing-openstate-with-ebpf.gmi"
check "os-ebpf: no link line to the missing post" sh -c \
    "! grep -q '^=> .*openstate-stateful' '$out/posts/2017-02-21-implementing-openstate-with-ebpf.gmi'"
check "missing post_url reported with file:line:column" grep -qE \
    "_posts/2017-02-21-implementing-openstate-with-ebpf\.md:[0-9]+:[0-9]+: warning: .*openstate-stateful-packet-processing" \
    "$T_TMP/err"
check "use-cases: post_url to the beba post" has_line \
    posts/2016-08-26-stateful-processing-use-cases.gmi \
    "=> /posts/2016-07-15-beba-research-project.gmi I gave an overview"
check "dive: /categories/#BPF to the BPF category page" grep -qE \
    '^=> /categories/BPF\.gmi ' "$out/posts/2016-09-01-dive-into-bpf.gmi"
check "categories page generated" has_line categories.gmi "## BPF"
check "category page lists dive" grep -qF "=> /posts/2016-09-01-dive-into-bpf.gmi 2016-09-01 - " \
    "$out/categories/BPF.gmi"
check "404.md is not a page" [ ! -e "$out/404.gmi" ]
check "index.html not exported (the home page is generated)" \
    [ ! -e "$out/index.html" ]
check "feed.xml exported with its Liquid rendered, as XML" python3 -c '
import sys, xml.etree.ElementTree as E
t = open(sys.argv[1]).read()
assert "{{" not in t and "{%" not in t
E.fromstring(t.encode())
' "$out/feed.xml"
check "about: its own heading is its title" \
    [ "$(head -n 1 "$out/about.gmi") $(grep -cx '# About' "$out/about.gmi")" \
    = "# About Whirl Offload 0" ]
check "atom.xml parses with $nposts entries" python3 -c '
import sys, xml.etree.ElementTree as E
f = E.parse(sys.argv[1]).getroot()
assert len(f.findall("{http://www.w3.org/2005/Atom}entry")) == int(sys.argv[2])
' "$out/atom.xml" "$nposts"
os=posts/2017-02-21-implementing-openstate-with-ebpf.gmi
check "os-ebpf: the XFSM table keeps its two header rows" line_after "$os" \
    "| Flow matching pattern |                     | Actions |            |" \
    "| State                 | Event               | Action  | Next state |"
check "os-ebpf: then its rule" line_after "$os" \
    "| State                 | Event               | Action  | Next state |" \
    "|-----------------------|---------------------|---------|------------|"
check "os-ebpf: footnotes numbered by first reference ([^paths] is 1)" \
    grep -qF "standard path[1]" "$out/$os"
check "os-ebpf: footnote 1 under the Footnotes heading" line_after "$os" \
    "## Footnotes" ""
check "os-ebpf: footnote 1's text" grep -q '^\[1\] The “shortcut path”' \
    "$out/$os"
check "tc-da: tabs of the code kept" [ "$(grep -c "$(printf '\t')" \
    "$out/posts/2020-04-11-tc-bpf-direct-action.gmi")" -ge 20 ]
check "arp: <br> in a table cell splits the cell's lines" python3 -c '
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
rows = [l for l in t.split("\n") if l.startswith("| ")]
assert rows and not any("<br" in r for r in rows)
' "$out/posts/2016-11-05-in-switch-arp-with-openstate.gmi"
finish
