"""What a reader sees of a document: Jekyll's HTML and capsuled's gemtext
read into the same parts (words, links, images, code blocks, table
cells), so that jdiff.py can set one against the other.  Standard
library only."""
import html.parser
import re
import unicodedata

WORD = re.compile(r"\w+")
# Inline elements: text on either side of them is one run (<code>x</code>s
# is one word); every other element separates words.
INLINE = {"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code",
          "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark", "q",
          "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
          "time", "tt", "u", "var"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "param", "source", "track", "wbr"}
# Never shown as text: scripts, styles, a title (jekyll-seo-tag writes
# one where its tag is), inline drawings (icons).
HIDDEN = {"script", "style", "template", "head", "title", "svg", "math"}
# jemoji leaves the text inside these alone.
NO_EMOJI = {"pre", "code", "tt"}
# GitHub's emoji names as Debian's goldmark-emoji carries them (what the
# build reads too): NewEmoji("description", []int32{cp, ...}, "name").
EMOJI_DEFS = ("/usr/share/gocode/src/github.com/yuin/goldmark-emoji/"
              "definition/github.go")
EMOJI_DEF = re.compile(r'NewEmoji\("[^"]*", \[\]int32\{([0-9, ]*)\}, "([^"]*)"\)')


def emoji_names(path=EMOJI_DEFS):
    """name -> character, or None when the list is not installed."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return None
    return {m.group(2): "".join(chr(int(c)) for c in m.group(1).split(","))
            for m in EMOJI_DEF.finditer(text)}


def emojifier(names):
    """jemoji on a text node: its pattern, the names between colons."""
    pat = re.compile(":(%s):" % "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return lambda s: pat.sub(lambda m: names[m.group(1)], s)


def tokens(text):
    """The words of a text: NFKC, casefolded runs of \\w."""
    return [t.casefold() for t in
            WORD.findall(unicodedata.normalize("NFKC", text))]


def classes(attrs):
    return (attrs.get("class") or "").split()


class HTMLDocument(html.parser.HTMLParser):
    """The parts of one page Jekyll wrote with the test's layout, whose
    <article data-jdiff="content"> holds {{ content }}.  A page without
    a layout (layout: null, or none given) is read whole: its <body>,
    or everything but <head>.

    Left out, as a reader of the web page does not see them as text of
    the document: scripts, styles, inline SVG, kramdown's table of
    contents (ul#markdown-toc), footnote back-links, rouge's line-number
    gutter.  Kept: <img alt>, the numbers of <ol> items."""

    def __init__(self, marked, emojify=None):
        super().__init__(convert_charrefs=True)
        self.emojify = emojify      # jemoji's pass on text, or None
        self.code = 0               # NO_EMOJI elements open
        self.marked = marked        # the layout's markers are there
        self.where = None if marked else "content"
        self.depth = 0              # <article> nesting inside content
        self.skip = []              # [tag, nesting] of a left-out element
        self.text = []
        self.links = []             # [href, text]
        self.images, self.pres, self.cells = [], [], []
        self.pre = None
        self.cell = None
        self.rouge = 0              # inside rouge's code table
        self.lists = []             # next number of each open list
        self.link = None
        self.fragments = 0          # in-page links, left out

    def sep(self):
        self.text.append("\n")
        if self.cell is not None:
            self.cell.append(" ")

    def skip_element(self, tag, attrs):
        if tag in HIDDEN:
            return True
        if attrs.get("id") == "markdown-toc":
            return True
        c = classes(attrs)
        if tag == "td" and ("gutter" in c or "rouge-gutter" in c):
            return True
        if tag == "a" and "reversefootnote" in c:
            return True
        return "hidden" in attrs

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in NO_EMOJI:
            self.code += 1
        if self.skip:
            if tag == self.skip[-1][0] and tag not in VOID:
                self.skip[-1][1] += 1
            return
        if self.where is None:
            if tag == "article" and a.get("data-jdiff") == "content":
                self.where = "content"
                self.depth = 1
            return
        if tag == "article":
            self.depth += 1
        if self.skip_element(tag, a):
            if tag not in VOID:
                self.skip.append([tag, 1])
            return
        if tag not in INLINE:
            self.sep()
        if tag == "br" and self.cell is not None:
            self.cell.append("\n")
        if tag == "a":
            self.end_link()
            href = (a.get("href") or "").strip()
            if "footnote" in classes(a):
                self.text.append(" ")   # word<sup>1</sup>: two words
            elif href.startswith("#"):
                self.fragments += 1
            elif href:
                self.link = [href, []]
        elif tag == "img":
            if a.get("src"):
                self.images.append(a["src"].strip())
            if a.get("alt"):
                self.text.append(" %s " % a["alt"])
                if self.link is not None:
                    self.link[1].append(" %s " % a["alt"])
        elif tag == "pre" and self.pre is None:
            self.pre = []
        elif tag == "table" and "rouge-table" in classes(a):
            self.rouge += 1
        elif tag in ("td", "th") and not self.rouge:
            self.cell = []
        elif tag == "ol":
            try:
                self.lists.append(int(a.get("start") or 1))
            except ValueError:
                self.lists.append(1)
        elif tag in ("ul", "dl", "menu"):
            self.lists.append(None)
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            self.text.append(" %d " % self.lists[-1])
            self.lists[-1] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def end_link(self):
        if self.link is not None:
            self.links.append((self.link[0], "".join(self.link[1])))
            self.link = None

    def handle_endtag(self, tag):
        if tag in NO_EMOJI and self.code > 0:
            self.code -= 1
        if self.skip:
            if tag == self.skip[-1][0]:
                self.skip[-1][1] -= 1
                if self.skip[-1][1] == 0:
                    self.skip.pop()
            return
        if self.where != "content":
            return
        if tag == "article" and self.marked:
            self.depth -= 1
            if self.depth == 0:
                self.end_link()
                self.where = "done"
                return
        if tag == "a":
            self.end_link()
        elif tag == "pre" and self.pre is not None:
            self.pres.append("".join(self.pre))
            self.pre = None
        elif tag == "table" and self.rouge:
            self.rouge -= 1
        elif tag in ("td", "th") and self.cell is not None:
            lines = [" ".join(l.split()) for l in "".join(self.cell).split("\n")]
            lines = [l for l in lines if l]
            if lines:
                self.cells.append(lines)
            self.cell = None
        elif tag in ("ol", "ul", "dl", "menu") and self.lists:
            self.lists.pop()
        if tag not in INLINE:
            self.sep()

    def handle_data(self, data):
        if self.skip or self.where != "content":
            return
        if self.emojify is not None and self.code == 0:
            data = self.emojify(data)
        self.text.append(data)
        if self.link is not None:
            self.link[1].append(data)
        if self.pre is not None:
            self.pre.append(data)
        if self.cell is not None:
            # a line end of the source is a space; <br> alone breaks
            self.cell.append(data if self.pre is not None
                             else data.replace("\n", " "))


def read_html(text, emojify=None):
    marked = 'data-jdiff="content"' in text
    if not marked:
        # no layout: the body, or all of it
        m = re.search(r"<body[^>]*>(.*)</body>", text, re.S | re.I)
        if m:
            text = m.group(1)
    doc = HTMLDocument(marked, emojify)
    doc.feed(text)
    doc.close()
    doc.end_link()
    return dict(text="".join(doc.text), links=doc.links, images=doc.images,
                pres=doc.pres, cells=doc.cells, fragments=doc.fragments)


LINK_LINE = re.compile(r"=>[ \t]*(\S+)(?:[ \t]+(.*))?$")
META_LINE = re.compile(r"\d{4}-\d{2}-\d{2}( · .*)?$")
TAXA_LINE = re.compile(r"(Categories|Tags): ")


def read_gemtext(text):
    """The parts of a capsuled document.  Its title block (the first
    "# " line, then a "DATE · AUTHOR" line and "Categories:"/"Tags:"
    lines when there are) is set apart: Jekyll's layout here prints
    the content alone, and the title is compared on its own.  Markup is not text: line prefixes (#, *, >), the
    ``` toggle lines and their alt text, a link line's URL when it has
    a label, backticks.  A link or image label that repeats words of
    the text line before it (the link line gemtext puts after its
    paragraph, whose text holds an image's alt where the image is) is
    not counted again."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title, head = "", []
    if i < len(lines) and lines[i].startswith("# "):
        title = lines[i][2:].strip()
        head.append(title)
        i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i < len(lines) and META_LINE.match(lines[i]):
            head.append(lines[i])
            i += 1
        while i < len(lines) and TAXA_LINE.match(lines[i]):
            head.append(lines[i])
            i += 1
    words, links, pres = [], [], []
    block = None
    prev = []
    for ln in lines[i:]:
        if ln.startswith("```"):
            if block is None:
                block = []
            else:
                pres.append("\n".join(block))
                block = None
            continue
        if block is not None:
            block.append(ln)
            words.append(ln)
            continue
        m = LINK_LINE.match(ln)
        if m:
            target, label = m.group(1), (m.group(2) or "").strip()
            links.append((target, label))
            shown = label or target
            # an address without a label repeats the text's, mailto: aside
            lt = tokens(shown if label or not target.startswith("mailto:")
                        else target[len("mailto:"):])
            if not contains(prev, lt):
                words.append(shown)
            continue
        ln = re.sub(r"^(#{1,3}[ \t]*|\*[ \t]|>[ \t]?)", "", ln)
        ln = ln.replace("`", "")
        words.append(ln)
        if ln.strip():
            prev = tokens(ln)
    if block is not None:
        pres.append("\n".join(block))
    return dict(title=title, head="\n".join(head), text="\n".join(words),
                links=links, pres=pres)


def contains(hay, needle):
    """needle (a list of words) is a run of hay"""
    if not needle or len(needle) > len(hay):
        return False
    first = needle[0]
    for k in range(len(hay) - len(needle) + 1):
        if hay[k] == first and hay[k:k + len(needle)] == needle:
            return True
    return False
