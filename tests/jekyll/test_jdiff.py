#!/usr/bin/env python3
"""The differential test's own counting, on small hand-made inputs: what
it reads of Jekyll's HTML and of capsuled's gemtext, how links land, and
the ratchet.  Prints "N passed, M failed"."""
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jdiff  # noqa: E402
from readers import emojifier, read_gemtext, read_html, tokens  # noqa: E402

passed = failed = 0


def check(name, cond):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name)


HTML = """<h1>Layout heading, not content</h1>
<article data-jdiff="content"><ul id="markdown-toc"><li><a href="#a">Toc entry</a></li></ul>
<p>First <em>words</em> here<sup><a href="#fn:1" class="footnote">1</a></sup>
and <code>TxIn</code>s.</p>
<script>var hidden = 1;</script>
<ol start="3"><li>three</li><li>four</li></ol>
<p><a href="https://example.com/x">ext</a> <a href="#local">in page</a>
<img src="/img/a.png" alt="An image"></p>
<table class="rouge-table"><tr><td class="gutter"><pre>1</pre></td>
<td><pre>code line</pre></td></tr></table>
<table><tr><th>Head</th><td>one<br>two
lines</td><td> </td></tr></table>
<div class="footnotes"><ol><li><p>Note.<a href="#fnref:1" class="reversefootnote">&#8617;</a></p></li></ol></div>
</article><footer>not content</footer>"""

h = read_html(HTML)
words = tokens(h["text"])
check("html: the layout's heading and footer are not content",
      "layout" not in words and "footer" not in words)
check("html: the ToC, scripts and back-links are left out",
      "toc" not in words and "hidden" not in words and "8617" not in words)
check("html: inline code joins its word, a footnote mark splits",
      "txins" in words and "here" in words and "1" in words)
check("html: ordered list numbers from start", words.count("3") == 1 and
      words.count("4") == 1)
check("html: image alt is text", "image" in words)
check("html: links without in-page ones and footnote marks",
      [l for l, _ in h["links"]] == ["https://example.com/x"] and
      h["fragments"] == 1)
check("html: images", h["images"] == ["/img/a.png"])
check("html: code without rouge's gutter", h["pres"] == ["code line"])
check("html: cells, a <br> line each (not a line end), empty ones "
      "left out",
      h["cells"] == [["Head"], ["one", "two lines"]])
check("html: a page without a layout is read whole",
      tokens(read_html("<html><head><title>T</title></head><body><p>Body "
                       "text</p></body></html>")["text"]) == ["body", "text"])

GMI = """# The title

2021-03-04 · Ada Quill
Categories: travel

## A heading
* an item
> a quote
The paragraph names Example Site and shows the plan to plots@example.com.
=> https://example.com/ Example Site
=> mailto:plots@example.com
=> /img/plan.png the plan
=> /img/a.png An image
```python
code line
```
"""
g = read_gemtext(GMI)
gw = tokens(g["text"])
check("gemtext: the title block is set apart", g["title"] == "The title" and
      "ada" not in gw and "travel" not in gw)
check("gemtext: line prefixes are not text",
      gw[:7] == ["a", "heading", "an", "item", "a", "quote", "the"])
check("gemtext: a label repeating its paragraph is not counted again",
      gw.count("site") == 1 and gw.count("plots") == 1 and "mailto" not in gw)
check("gemtext: an image's label is counted, unless its text holds it",
      "image" in gw and gw.count("plan") == 1)
check("gemtext: preformatted text, toggles and alt left out",
      g["pres"] == ["code line"] and "python" not in gw)


class FakeJekyll:
    url, base, host = "https://site.example", "/blog", "site.example"
    by_url = {"/2020/01/02/post": ("doc", "_posts/2020-01-02-post.md"),
              "/about": ("doc", "about.md"),
              "/img/a.png": ("static", "img/a.png"),
              "/old": ("redirect", "https://site.example/blog/about/")}


class FakeCapsule:
    by_source = {"_posts/2020-01-02-post.md": ("post", "/posts/2020-01-02-post.gmi"),
                 "about.md": ("page", "/about.gmi"),
                 "img/a.png": ("static", "/img/a.png")}
    generated = {"local:/"}
    redirects = {}          # no path of its own answers 31


L = jdiff.Linker(FakeJekyll, FakeCapsule)
want = {"local:/posts/2020-01-02-post.gmi"}
for href in ("/blog/2020/01/02/post/", "https://site.example/blog/2020/01/02/post/",
             "http://site.example/blog/2020/01/02/post/index.html",
             "/blog/blog/2020/01/02/post/", "../2020/01/02/post#part",
             "/blog/2020/01/02/post.html"):
    check("link %s lands on the post" % href,
          want <= L.expect(href, "/about/")[1])
check("link to a redirect lands on its target",
      "local:/about.gmi" in L.expect("/blog/old/", "/")[1])
check("link off the site keeps its URL", L.expect("https://else.example/a/",
                                                   "/")[1] == {"web:https://else.example/a"})
check("dead link: the web URL or the same path",
      L.expect("/blog/nowhere/", "/")[1] ==
      {"web:https://site.example/blog/nowhere", "local:/nowhere"})
check("link home: the capsule's own home page", "local:/" in
      L.expect("/blog/", "/about/")[1])

PAGE = '<article data-jdiff="content"><p>Words one two three. <a href="/blog/about/">a</a> <a href="/blog/about.html">b</a> <a href="https://x.example/">c</a> <a href="https://x.example/">c</a></p></article>'
CAP = "# T\n\nWords one two three.\n=> /about.gmi a\n=> https://x.example/ c\n"
r = jdiff.compare_document(read_html(PAGE), read_gemtext(CAP),
                           "/posts/p.gmi", "/p/", "T", L)
check("compare: words matched in order; a repeated link text is lost",
      (r["hw"], r["gw"], r["matched"]) == (8, 6, 6))
check("compare: two forms of a link want two lines; a repeated href one",
      [ok for _, _, ok in r["links"]] == [True, False, True, True])
check("compare: the title", r["title"][2])
r = jdiff.compare_document(read_html(PAGE), read_gemtext("# T\n\nWords two.\n"),
                           "/posts/p.gmi", "/p/", "Other", L)
check("compare: lost words and links", r["matched"] == 2 and r["hw"] == 8 and
      not any(ok for _, _, ok in r["links"]) and not r["title"][2])

FPAGE = ('<article data-jdiff="content"><p><a href="/blog/about/#one">a</a> '
         '<a href="/blog/about/#two">b</a> <a href="https://x.example/#1">c</a> '
         '<a href="https://x.example/#2">d</a></p></article>')
FCAP = "# T\n\na b c d\n=> /about.gmi a\n=> https://x.example/#1 c\n"
r = jdiff.compare_document(read_html(FPAGE), read_gemtext(FCAP),
                           "/posts/p.gmi", "/p/", "T", L)
check("compare: a site link with another #fragment shares its line; a web one not",
      [ok for _, _, ok in r["links"]] == [True, True, True, False])

TPAGE = ('<article data-jdiff="content"><table><tr><td>after the `---` '
         'line</td><td><code>a</code></td></tr></table></article>')
TCAP = "# T\n\n```table\n| after the `---` line | `a` |\n```\n"
r = jdiff.compare_document(read_html(TPAGE), read_gemtext(TCAP),
                           "/posts/p.gmi", "/p/", "T", L)
check("compare: cells found with backticks on either side",
      [ok for _, ok in r["cells"]] == [True, True])

check("ratchet: a count below its floor fails", not jdiff.meets("links", 4, "5"))
check("ratchet: a count at its floor passes", jdiff.meets("links", 5, "5"))
check("ratchet: errors above their floor fail", not jdiff.meets("errors", 2, "1"))
check("ratchet: a percentage below its floor fails",
      not jdiff.meets("recall", 99.49, "99.50"))
check("ratchet: no words to count, a numeric floor fails",
      not jdiff.meets("precision", None, "98.00"))
check("percentages round down", jdiff.pct(2, 3) == 66.66)

# jemoji on Jekyll's text: known names, not in code, pre or tt
emo = emojifier({"tada": "\U0001f389", "x": "\u274c"})
check("jemoji's pass on the reference's text",
      read_html("<p>a :tada: <code>:tada:</code> ::x:: :zz:x: "
                "<tt>:x:</tt></p><pre>:x:</pre>", emo)["text"] ==
      "\na \U0001f389 :tada: :\u274c: :zz\u274c :x:\n\n:x:\n")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
