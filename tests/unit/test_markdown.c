/*
 * The Markdown renderer on GFM input (what the kramdown pass hands
 * over): CONVERSION.md 5.7 to 5.12, one rule per test.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gemtext_check.h"
#include "harness.h"
#include "convert/convert-int.h"
#include "core/core.h"

static struct diags	diags;
static const char straight[4][8] = { "'", "'", "\"", "\"" };
/* smart_quotes of kramdown's options, NULL for Jekyll's. */
static const char	(*quotes)[8];

/* Absolute URLs and /img/ paths kept, fragments dropped. */
static char *
map_url(void *ctx, const char *target, unsigned line)
{
	(void)ctx;
	(void)line;
	if (strstr(target, "://") != NULL || strncmp(target, "mailto:", 7) == 0
	    || strncmp(target, "/img/", 5) == 0 ||
	    strncmp(target, "/posts/", 7) == 0)
		return xstrdup(target);
	return NULL;
}

/* The environment of every rendering here. */
static void
env_init(struct convert_env *env)
{
	memset(env, 0, sizeof(*env));
	env->file = "test.md";
	env->first_line = 1;
	env->diags = &diags;
	env->map_url = map_url;
	if (quotes != NULL)
		memcpy(env->kramdown.quotes, quotes,
		    sizeof(env->kramdown.quotes));
}

static char *
gemtext(const struct kramdown_out *ko, const struct convert_env *env)
{
	struct doc	doc = { 0 };
	struct buf	out = BUF_INIT;

	markdown_render(ko, env, &doc);
	doc_write_gemtext(&doc, &out);
	doc_free(&doc);
	buf_puts(&out, "");
	return buf_detach(&out, NULL);
}

/* GFM md rendered as it is, with what the kramdown pass would give. */
static char *
render_opts(const char *md, size_t len, const unsigned *heads, size_t nheads,
    struct footnote *notes, size_t nnotes, const char *refdefs)
{
	struct convert_env	env;
	struct kramdown_out	ko;

	env_init(&env);
	memset(&ko, 0, sizeof(ko));
	ko.markdown = (char *)md;
	ko.len = len;
	ko.table_heads = (unsigned *)heads;
	ko.ntables = nheads;
	ko.notes = notes;
	ko.nnotes = nnotes;
	ko.refdefs = (char *)refdefs;
	return gemtext(&ko, &env);
}

/* md rendered with kramdown's header row counts. */
static char *
table(const char *md, const unsigned *heads, size_t nheads)
{
	return render_opts(md, strlen(md), heads, nheads, NULL, 0, NULL);
}

/* md through the kramdown pass, then rendered: what convert_body does
 * after Liquid. */
static char *
render_n(const char *md, size_t len)
{
	static const struct linemap	map = { NULL, 0, 1 };
	struct convert_env		env;
	struct kramdown_out		ko;
	char				*s;

	env_init(&env);
	kramdown_pass(md, len, "test.md", &map, &env.kramdown, &diags, &ko);
	s = gemtext(&ko, &env);
	kramdown_out_free(&ko);
	return s;
}

static char *
render(const char *md)
{
	return render_n(md, strlen(md));
}

#define CHECK_MD(md, want)	CHECK_STR_FREE(render(md), want)

static void
test_paragraph(void)
{
	/* Soft breaks and whitespace runs collapse; NBSP stays. */
	CHECK_MD("Hello\nworld  again\n", "Hello world again\n");
	CHECK_MD("bed&nbsp;:-)\n", "bed\xc2\xa0:-)\n");
	CHECK_MD("  lead\tand trail\t\n", "lead and trail\n");
	/* Blocks are separated by one blank line. */
	CHECK_MD("one\n\n\n\ntwo\n", "one\n\ntwo\n");
	/* A line never starts or ends with a blank, NBSP included. */
	CHECK_MD("&nbsp;x&nbsp;\n", "x\n");
}

static void
test_typography(void)
{
	CHECK_MD("prune---Then, a -- b, wait...\n",
	    "prune\xe2\x80\x94Then, a \xe2\x80\x93 b, wait\xe2\x80\xa6\n");
	/* Not in code spans. */
	CHECK_MD("`DELETE FROM seeds; --` ok\n",
	    "`DELETE FROM seeds; --` ok\n");
	/* Emphasis removed, escapes resolved, code keeps its backticks. */
	CHECK_MD("**G**reenhouse **_probe_** `poll()` BED\\_2 \\*x\n",
	    "Greenhouse probe `poll()` BED_2 *x\n");
	/* Entities decoded, a bare & stays. */
	CHECK_MD("R&D &amp; &lt;id&gt; &#8594; &#x2192; &bogus;\n",
	    "R&D & <id> \xe2\x86\x92 \xe2\x86\x92 &bogus;\n");
	/* Quotes curled as kramdown does, not in code; straight with
	 * smart_quotes: apos,apos,quot,quot. */
	CHECK_MD("\"Hi\", it's ('q') `a'b`\n",
	    "\xe2\x80\x9cHi\xe2\x80\x9d, it\xe2\x80\x99s (\xe2\x80\x98q"
	    "\xe2\x80\x99) `a'b`\n");
	quotes = straight;
	CHECK_MD("\"Hi\", it's 'q' `a'b`\n", "\"Hi\", it's 'q' `a'b`\n");
	quotes = NULL;
}

static void
test_links(void)
{
	CHECK_MD("At [Acme](http://acme.example), a [*company*](http://c.com)\n"
	    "and [Acme again](http://acme.example).\n",
	    "At Acme, a company and Acme again.\n"
	    "=> http://acme.example Acme\n"
	    "=> http://c.com company\n");
	/* Label: typography, code kept, whitespace collapsed. */
	CHECK_MD("See [the\n`poll()` prune---Then](http://x.org/a_b).\n",
	    "See the `poll()` prune\xe2\x80\x94Then.\n"
	    "=> http://x.org/a_b the `poll()` prune\xe2\x80\x94Then\n");
	/* Fragment-only, unmapped and dead links keep their text only. */
	CHECK_MD("Go [below](#about-pumps-1), [there](/Articles/1/) or "
	    "[gone](capsuled-missing:2016-01-01-x).\n",
	    "Go below, there or gone.\n");
	/* A dead link after the site's url or baseurl is dead too. */
	CHECK_MD("[a](/blogcapsuled-missing:2016-01-01-x) and "
	    "[b](https://example.org/blogcapsuled-missing:2016-01-01-x/#y).\n",
	    "a and b.\n");
	/* Reference links of every form. */
	CHECK_MD("[text][Rules 2.0.1], [Greenhouse][], [Allotment] and "
	    "[0] [one][0].\n\n"
	    "[rules 2.0.1]: https://spec/\n[greenhouse]: https://n/\n"
	    "[allotment]: https://i/\n[0]: https://zero/\n",
	    "text, Greenhouse, Allotment and 0 one.\n"
	    "=> https://spec/ text\n=> https://n/ Greenhouse\n"
	    "=> https://i/ Allotment\n=> https://zero/ 0\n");
}
static void
test_images(void)
{
	/* Markdown images: a link line after the unit, the alt text in
	 * their place. */
	CHECK_MD("See ![the *logo*](/img/logo.svg \"t\") and ![](/img/x/a.png) "
	    "here.\n", "See the logo and here.\n=> /img/logo.svg the logo\n"
	    "=> /img/x/a.png Image: a.png\n");
	/* An image alone is its link line; inside a link it labels it. */
	CHECK_MD("![Hen](/img/hen.png)\n\n[![Hen](/img/hen.png)](http://t)\n",
	    "=> /img/hen.png Hen\n\n=> /img/hen.png Hen\n=> http://t Hen\n");
	/* A link around a picture in a sentence leaves no gap. */
	CHECK_MD("Look at [![the map](/img/m.png)](http://maps/) and "
	    "<a href=\"http://c/\"><img src=\"/img/c.png\" "
	    "alt=\"the chart\"></a>.\n",
	    "Look at the map and the chart.\n=> /img/m.png the map\n"
	    "=> http://maps/ the map\n=> /img/c.png the chart\n"
	    "=> http://c/ the chart\n");
	/* An HTML image alone, an item that is an image: their lines. */
	CHECK_MD("<img src=\"/img/hen.png\" alt=\"Hen\">\n\n"
	    "* ![Hen](/img/hen.png)\n",
	    "=> /img/hen.png Hen\n\n=> /img/hen.png Hen\n");
}

static void
test_autolinks(void)
{
	/* Link-only unit: the link line alone, no label for autolinks. */
	CHECK_MD("at:\n\n<https://codeberg.example.org/garden/seeds>\n\nThis\n",
	    "at:\n\n=> https://codeberg.example.org/garden/seeds\n\nThis\n");
	/* In prose the URL stays, untouched by typography. */
	CHECK_MD("See <https://a.org/x---y...> or <me@b.org>.\n",
	    "See https://a.org/x---y... or me@b.org.\n"
	    "=> https://a.org/x---y...\n=> mailto:me@b.org\n");
	/* A link whose text is its URL is one too (a mailto: address
	 * stays the label). */
	CHECK_MD("See [https://a.org/x](https://a.org/x/) or "
	    "<a href=\"mailto:me@b.org\">me@b.org</a>.\n",
	    "See https://a.org/x or me@b.org.\n"
	    "=> https://a.org/x/\n=> mailto:me@b.org me@b.org\n");
	CHECK_MD("<noscript><p><a href=\"https://gist.github.com/5\">"
	    "https://gist.github.com/5</a></p></noscript>\n",
	    "=> https://gist.github.com/5\n");
	/* A labelled link alone, trailing punctuation allowed. */
	CHECK_MD("[**_Slow and Steady_**][pdf].\n\n[pdf]: https://p/b.pdf\n",
	    "=> https://p/b.pdf Slow and Steady\n");
	/* Two links are not link-only. */
	CHECK_MD("[a](http://a) [b](http://b)\n",
	    "a b\n=> http://a a\n=> http://b b\n");
}

static void
test_headings(void)
{
	CHECK_MD("# \xe2\x80\x9c_Tell me everything!_\xe2\x80\x9d\n\n"
	    "#### Dear Gardener, [welcome](http://w)\n\n###### deep\ntext\n",
	    "# \xe2\x80\x9cTell me everything!\xe2\x80\x9d\n\n"
	    "### Dear Gardener, welcome\n=> http://w welcome\n\n"
	    "### deep\n\ntext\n");
	/* <br> in a heading is a space; setext headings too. */
	CHECK_MD("Title<br/>more\n===\n", "# Title more\n");
	/* A heading that is only a link stays a heading. */
	CHECK_MD("## [Link](http://l)\n", "## Link\n=> http://l Link\n");
}

static void
test_lists(void)
{
	CHECK_MD("Intro:\n\n"
	    "1. [Planning the beds](/posts/beds.gmi) \xe2\x80\x94 only "
	    "loosely\n   related.\n"
	    "2. This note.\n"
	    "3. _Probes_ are wired,<br />values:\n"
	    "     * 0, which means [bone dry](http://m)\n"
	    "     * 1\n"
	    "4. last\n\nAfter.\n",
	    "Intro:\n\n"
	    "=> /posts/beds.gmi 1. Planning the beds \xe2\x80\x94 only loosely "
	    "related.\n"
	    "2. This note.\n"
	    "3. Probes are wired, values:\n"
	    "* \xe2\x97\xa6 0, which means bone dry\n"
	    "=> http://m bone dry\n"
	    "* \xe2\x97\xa6 1\n"
	    "4. last\n\nAfter.\n");
	/* kramdown numbers from 1 (the source's numbers are not read);
	 * loose items with a second paragraph. */
	CHECK_MD("7. one\n\n   second para.\n\n8. two\n",
	    "1. one\nsecond para.\n2. two\n");
	CHECK_MD("4. Sand\n5. Oil\n{: start=\"4\"}\n", "4. Sand\n5. Oil\n");
	/* Nesting: a mark per level, the number of an ordered item. */
	CHECK_MD("* a\n  * b\n    1. c\n       * d\n* e\n",
	    "* a\n* \xe2\x97\xa6 b\n* \xe2\x96\xaa 1. c\n"
	    "* \xe2\x96\xaa d\n* e\n");
	/* An item that starts with its only link is that link line, its
	 * first line the label; what follows a <br> comes after. */
	CHECK_MD("* [Paper](http://p) (Ann, May 2019):<br />\n"
	    "  An introduction.\n* [Two](http://2) and [three](http://3)\n",
	    "=> http://p Paper (Ann, May 2019):\nAn introduction.\n"
	    "* Two and three\n=> http://2 Two\n=> http://3 three\n");
	/* Task items: a box. */
	CHECK_MD("- [x] done\n- [ ] to do\n",
	    "* \xe2\x98\x91 done\n* \xe2\x98\x90 to do\n");
	/* A link-only item is its link line. */
	CHECK_MD("* [Codeberg](https://codeberg.example.org)\n* text\n",
	    "=> https://codeberg.example.org Codeberg\n* text\n");
	/* Empty items produce nothing (no "* " line). */
	CHECK_MD("*\n* a\n", "* a\n");
}

static void
test_list_code(void)
{
	/* An indented code block inside a list item. */
	CHECK_MD("* When using the `mkbed` shell helper (to turn\n"
	    "  plans into schedules):\n\n"
	    "      __mkbed() {\n"
	    "              plancc -O2 \\\n"
	    "      }\n\n"
	    "  (looks fixed by now).\n"
	    "* next\n",
	    "* When using the `mkbed` shell helper (to turn plans "
	    "into schedules):\n\n"
	    "```\n__mkbed() {\n        plancc -O2 \\\n}\n```\n\n"
	    "(looks fixed by now).\n* next\n");
}

static void
test_quotes(void)
{
	CHECK_MD("> _I'm the one asking here!_\n\nText.\n",
	    "> I\xe2\x80\x99m the one asking here!\n\nText.\n");
	CHECK_MD("> one [l](http://l)\n>\n> two\n>> nested\n",
	    "> one l\n=> http://l l\n> two\n> nested\n");
	CHECK_MD("> * item\n> 2. num\n", "> * item\n> 2. num\n");
}

static void
test_code(void)
{
	/* Language: first word of the info string; tabs preserved. */
	CHECK_MD("``` c  extra\n\tint x;\n\t\ty = 1;\n\n```\n",
	    "```c\n\tint x;\n\t\ty = 1;\n```\n");
	/* Indented code: empty alt text; a tab after the indent kept. */
	CHECK_MD("text\n\n    \tfoo\n    bar --- ...\n\nmore\n",
	    "text\n\n```\n\tfoo\nbar --- ...\n```\n\nmore\n");
	/* A closing fence indented by one space; a toggle-like line. */
	CHECK_MD("```\n```inner\n &lt;\n ```\n", "```\n ```inner\n &lt;\n```\n");
	/* Horizontal rules produce nothing. */
	CHECK_MD("a\n\n---\n\nb\n", "a\n\nb\n");
}
static void
test_figures(void)
{
	/* A link around a figure: its line after the figure's; around its
	 * own image, nothing more. */
	CHECK_MD("<ul><li><a href=\"https://r.example/\"><figure>"
	    "<img src=\"/img/r.png\" alt=\"Rails\"><figcaption>Ruby on "
	    "Rails</figcaption></figure></a></li></ul>\n\n"
	    "<a href=\"/img/b.png\"><figure><img src=\"/img/b.png\" "
	    "alt=\"Big\"></figure></a>\n",
	    "=> /img/r.png Rails\nRuby on Rails\n"
	    "=> https://r.example/ Ruby on Rails\n\n=> /img/b.png Big\n");
	/* Alt, caption on its own lines. */
	CHECK_MD("<figure>\n"
	    "  <img src=\"/img/garden/beds.svg\" alt=\"Raised beds\"/>\n"
	    "  <figcaption>\n"
	    "    Four raised beds, watered by a single pump\n"
	    "  </figcaption>\n</figure>\n",
	    "=> /img/garden/beds.svg Raised beds\n"
	    "Four raised beds, watered by a single pump\n");
	/* <a> around its own image, <br /> in the caption. */
	CHECK_MD("<figure>\n  <a href=\"/img/misc/vp.png\"><img\n"
	    "  src=\"/img/misc/vp.png\" alt=\"Valve panel: capture\"/></a>\n"
	    "  <figcaption>Capture. North beds are skipped at first, but"
	    "<br />\n  they open later. (Select to enlarge)</figcaption>\n"
	    "</figure>\n",
	    "=> /img/misc/vp.png Valve panel: capture\n"
	    "Capture. North beds are skipped at first, but they open later. "
	    "(Select to enlarge)\n");
	/* No alt: the caption; neither: the file name; <i> removed. */
	CHECK_MD("<figure><img src=\"/img/a/b.png\" style=\"width:50%\">"
	    "<figcaption><i>Front</i> cover</figcaption></figure>\n\n"
	    "<figure>\n<img src=\"/img/icons/x.svg?v=1\"/>\n</figure>\n",
	    "=> /img/a/b.png Front cover\nFront cover\n\n"
	    "=> /img/icons/x.svg?v=1 Image: x.svg\n");
	/* Alt over several lines with entities; another <a> target. */
	CHECK_MD("<figure>\n<a href=\"https://ext/\"><img alt=\"Old Tom\n"
	    "  (a tortoise) &amp; Pip\" src=\"/img/b.png\"/></a>\n</figure>\n",
	    "=> /img/b.png Old Tom (a tortoise) & Pip\n"
	    "=> https://ext/ Old Tom (a tortoise) & Pip\n");
}

static void
test_html_blocks(void)
{
	/* Scripts, comments and a lone <br> disappear. */
	CHECK_MD("a\n\n<script>\nvar x = \"<b>\";\n</script>\n\n"
	    "<!-- Parsley\nSage -->\n\n<br />\n\nb\n", "a\n\nb\n");
	/* An <hN> block is a heading; other blocks are text. */
	CHECK_MD("<h1>\n  <a href=\"/posts/x.gmi\">\n    <img src=\"/img/f.svg\"/>\n"
	    "    <br />\n    404: Nothing grows here\n  </a>\n</h1>\n",
	    "# 404: Nothing grows here\n=> /img/f.svg Image: f.svg\n"
	    "=> /posts/x.gmi 404: Nothing grows here\n");
	CHECK_MD("<h5>Deep</h5>\n", "### Deep\n");
	/* Block elements are units: paragraphs, quotes, lists. */
	CHECK_MD("Text.\n\n<div class=\"x\">\n<p>Some &amp; text</p>"
	    "<p>two</p>\n</div>\n", "Text.\n\nSome & text\n\ntwo\n");
	CHECK_MD("<blockquote>\n<p>Measure twice.</p>\n\n<p>Cut.</p>\n"
	    "</blockquote>\n", "> Measure twice.\n> Cut.\n");
	CHECK_MD("<ul>\n  <li>one</li>\n\n  <li>two\n    <ol start=\"3\">"
	    "<li>three<li>four</ol></li>\n</ul>\n",
	    "* one\n* two\n* \xe2\x97\xa6 3. three\n"
	    "* \xe2\x97\xa6 4. four\n");
	/* A raw block is not Markdown, and its text not typography. */
	CHECK_MD("<div>\n*stars* -- \"q\"\n</div>\n",
	    "*stars* -- \"q\"\n");
	/* A stray end tag is text, as kramdown shows it. */
	CHECK_MD("</div>\nclosing tag first\n", "</div> closing tag first\n");
}

static void
test_inline_html(void)
{
	/* A tag over two lines arrives in pieces: joined first. */
	CHECK_MD("to the <acronym title=\"Soil Moisture\nProbe\">SMP"
	    "</acronym> instead <span style=\"x\">of</span> <u>u</u>\n",
	    "to the SMP instead of u\n");
	/* <br> splits a paragraph; in an item it is a space. */
	CHECK_MD("Kind regards,<br />\nMira\"\n",
	    "Kind regards,\nMira\xe2\x80\x9d\n");
	CHECK_MD("* one<br >\n  two\n", "* one two\n");
	CHECK_MD("S<sub>0</sub>, P4<sub>16</sub>, D<sub>n</sub>, x<sup>2</sup>,"
	    " f<sub>ij q</sub>, e<sup>&pi;</sup>\n",
	    "S\xe2\x82\x80, P4\xe2\x82\x81\xe2\x82\x86, D\xe2\x82\x99, "
	    "x\xc2\xb2, f_ij q, e^\xcf\x80\n");
	/* After a space: the space, then the forms (or the mark). */
	CHECK_MD("a <sup>text</sup> and <sub>text</sub>, a <sup>[1]</sup>\n",
	    "a \xe1\xb5\x97\xe1\xb5\x89\xcb\xa3\xe1\xb5\x97 and "
	    "\xe2\x82\x9c\xe2\x82\x91\xe2\x82\x93\xe2\x82\x9c, a ^[1]\n");
	CHECK_MD("<q>Maybe when [the bees] come</q> back\n",
	    "\xe2\x80\x9cMaybe when [the bees] come\xe2\x80\x9d back\n");
	CHECK_MD("an <img src=\"/img/i.png\" alt=\"icon\"> and "
	    "<a href=\"http://a\">a <b>link</b></a> and <foo>bar</foo>\n",
	    "an icon and a link and bar\n=> /img/i.png icon\n"
	    "=> http://a a link\n");
}

#define UPDATED	"_~ [Updated](https://g/gh-pages/_posts/x) 2019-01-10 ~_\n"

static void
test_unbalanced(void)
{
	/* md4c leaves an emphasis it never entered (the kramdown pass
	 * wraps such destinations; the renderer copes without). */
	CHECK_STR_FREE(render_opts(UPDATED, strlen(UPDATED), NULL, 0, NULL, 0,
	    NULL), "_~ Updated 2019-01-10 ~\n"
	    "=> https://g/gh-pages/_posts/x Updated\n");
	CHECK_MD(UPDATED, "~ Updated 2019-01-10 ~\n"
	    "=> https://g/gh-pages/_posts/x Updated\n");
	CHECK_MD("a </a></sub></q> b\n", "a \xe2\x80\x9d b\n");
	/* Closing a link forgets the HTML spans left open inside it. */
	CHECK_MD("[a <a href=\"http://x\">b <sub>c](http://y) d\n",
	    "a b c d\n=> http://y a b c\n");
}
static void
test_tables(void)
{
	static const unsigned	two[] = { 2 }, one[] = { 1, 1 }, none[] = { 0 };

	/* A state table: a grouping row, then the header row. */
	CHECK_STR_FREE(table("| Keypad input pattern | | Actions | |\n"
	    "|:--|:--|:--|:--|\n"
	    "| Phase | Event | Action | Next phase |\n"
	    "| LOCKED | Keypad digit = 7 | Beep | CODE\\_1 |\n"
	    "| \\* | Digit = * | **Beep** | LOCKED |\n", two, 1), "```table\n"
	    "| Keypad input pattern |                  | Actions |            |\n"
	    "| Phase                | Event            | Action  | Next phase |\n"
	    "|----------------------|------------------|---------|------------|\n"
	    "| LOCKED               | Keypad digit = 7 | Beep    | CODE_1     |\n"
	    "| *                    | Digit = *        | Beep    | LOCKED     |\n"
	    "```\n");
	/* <br /> in cells; alignment by display width; links after. */
	CHECK_STR_FREE(table("Before.\n\n| ID | Template | Step |\n|---|:-:|--:|\n"
	    "| 4242 | Valve (n, V1)<br />Pump (on, P2) | "
	    "Open V1<br />Start P2<br />[Log](http://c) Q2 |\n"
	    "| \xc3\x97\xe2\x86\x92 | \xf0\x9f\x90\x9d | \xe2\x80\xa6 |\n\n"
	    "After.\n", one, 2), "Before.\n\n```table\n"
	    "| ID   |   Template    |     Step |\n"
	    "|------|---------------|----------|\n"
	    "| 4242 | Valve (n, V1) |  Open V1 |\n"
	    "|      | Pump (on, P2) | Start P2 |\n"
	    "|      |               |   Log Q2 |\n"
	    "| \xc3\x97\xe2\x86\x92   |      \xf0\x9f\x90\x9d       |        \xe2\x80\xa6 |\n"
	    "```\n=> http://c Log\n\nAfter.\n");
	/* No header row in kramdown: the empty GFM header is not shown. */
	CHECK_STR_FREE(table("| | |\n|---|---|\n| a | bb |\n", none, 1),
	    "```table\n| a | bb |\n```\n");
}

static void
test_footnotes(void)
{
	static const char md[] = "whole\\[1\\], and \\[2\\].\n";
	struct footnote	notes[2] = {
		{ "1", "The belt has some weak spots, such as---on wet days---"
		    "a tendency toward\n[slipping rollers]"
		    "(https://wiki.example.org/Slipping_roller).", 9, 1 },
		{ "handbook", "See the [Depot Handbook][depot], *really*.", 12,
		    2 },
	};

	CHECK_STR_FREE(render_opts(md, strlen(md), NULL, 0, notes, 2,
	    "[depot]: https://docs.example.org/\n"),
	    "whole[1], and [2].\n\n## Footnotes\n\n"
	    "[1] The belt has some weak spots, such as\xe2\x80\x94on wet days"
	    "\xe2\x80\x94" "a tendency toward slipping rollers.\n"
	    "=> https://wiki.example.org/Slipping_roller slipping rollers\n\n"
	    "[2] See the Depot Handbook, really.\n"
	    "=> https://docs.example.org/ Depot Handbook\n");
}

static void
test_line_types(void)
{
	static const char	nul[] = "a\0b\n\n```\nc\0d\n```\n\n<div>e\0f</div>\n";

	/* Escaped Markdown that reads as gemtext gets a zero-width space. */
	CHECK_MD("\\# not a heading\n\n\\=> not a link\n\n"
	    "\\`\\`\\` not a toggle\n\n\\> not a quote\n\n\\* not an item\n\n"
	    "*emphasis* is fine\n",
	    "\xe2\x80\x8b# not a heading\n\n\xe2\x80\x8b=> not a link\n\n"
	    "\xe2\x80\x8b``` not a toggle\n\n\xe2\x80\x8b> not a quote\n\n"
	    "\xe2\x80\x8b* not an item\n\nemphasis is fine\n");
	/* A URL cannot end the link line early or break it. */
	CHECK_MD("see [a](<http://x/a b>) <img src=\"/img/a\nb.png\" alt=\"c\">\n",
	    "see a c\n=> http://x/a%20b a\n=> /img/a%0Ab.png c\n");
	/* NUL bytes become U+FFFD everywhere. */
	CHECK_STR_FREE(render_n(nul, sizeof(nul) - 1),
	    "a\xef\xbf\xbd" "b\n\n```\nc\xef\xbf\xbd"
	    "d\n```\n\ne\xef\xbf\xbd" "f\n");
}

/*
 * Render s, checking the framing of the output and the time taken: the
 * CPU time of the process, which a loaded machine does not stretch as
 * it does the wall clock, so that the bound catches a superlinear pass
 * and nothing else.
 */
static void
check_hostile(const char *what, const char *s)
{
	struct timespec	 a, b;
	const char	*err;
	char		*got;
	double		 secs;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	got = render(s);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	err = gemtext_error(got, strlen(got));
	if (secs > 2.0 || err != NULL)
		fprintf(stderr, "%s: %.2f s, %s\n", what, secs,
		    err ? err : "framing ok");
	CHECK(secs < 2.0);
	CHECK(err == NULL);
	free(got);
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	struct buf	b = BUF_INIT;

	buf_puts(&b, head);
	while (n-- > 0)
		buf_puts(&b, unit);
	buf_puts(&b, tail);
	return buf_detach(&b, NULL);
}

static void
test_hostile(void)
{
	static const struct {
		const char	*head, *unit, *tail;
	} cases[] = {
		{ "", "[", "x" },
		{ "", "[a](", "x" },
		{ "", ">", " quote\n" },
		{ "", "* ", "item\n" },
		{ "", "1. ", "item\n" },
		{ "", "<sub>", "x" },
		{ "", "<a href=\"http://x\">", "x" },
		{ "", "![", "x" },
		{ "", "**_", "x" },
		{ "<div>", "<a b='>", "\n" },
		{ "", "<a <a ", ">" },
		{ "", "| a ", "|\n|-|\n" },
		{ "", "`", "x" },
		{ "<figure>", "<img src=\"/img/x\">", "</figure>" },
		/* HTML nested 100,000 deep, and never closed. */
		{ "", "<div>", "deep\n" },
		{ "", "<ul><li>", "deep\n" },
		{ "", "<blockquote>", "deep\n" },
		{ "", "<table><tr><td>", "deep\n" },
		{ "", "<div markdown=\"1\">\n", "deep\n" },
		{ "", "<p markdown=\"1\">", "deep\n" },
		{ "<pre>", "<pre>", "deep\n" },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		s = repeat(cases[i].head, cases[i].unit, 100000,
		    cases[i].tail);
		check_hostile(cases[i].unit, s);
		free(s);
	}
	/* Deep block nesting is reported once, where it goes too deep. */
	diag_free(&diags);
	s = repeat("Text\n\n", ">", 1000, " quote\n\n* a\n  * b\n");
	free(render(s));
	free(s);
	CHECK_INT(diags.n, 1);
	if (diags.n == 1) {
		CHECK_INT(diags.v[0].line, 3);
		CHECK(strstr(diags.v[0].msg, "nested more than 32") != NULL);
	}
	diag_free(&diags);
	free(render("> > * a\n>     * b\n"));
	CHECK_INT(diags.n, 0);
	/* Deep HTML keeps its text and what follows it. */
	s = repeat("", "<div><ul><li>", 30000, "deep\n\nAfter.\n");
	CHECK_STR_FREE(render(s), "* \xe2\x96\xaa deep After.\n");
	free(s);
}

static void
test_unclosed_html(void)
{
	/* An element never closed takes the rest of the file, which is
	 * still rendered (kramdown's end-of-document close). */
	diag_free(&diags);
	CHECK_MD("Before.\n\n<div markdown=\"1\">\n*inside*\n\n# Heading\n",
	    "Before.\n\ninside\n\n# Heading\n");
	CHECK(diags.n == 1 && diags.v[0].line == 3 && diags.v[0].column == 1 &&
	    strstr(diags.v[0].msg, "<div> is never closed") != NULL);
	CHECK_MD("<div>\n<p>one\n\n*two*\n", "one *two*\n");
	CHECK_MD("<blockquote markdown=\"1\">\nquoted\n\n- item\n",
	    "> quoted\n> * item\n");
	diag_free(&diags);
}

/* Wide rather than deep: many links, lines, tags in one unit. */
static void
test_hostile_wide(void)
{
	static const char *const units[] = {
		"[a](http://x/%zu) ",		/* links in one paragraph */
		"| a<br>b<br>%zu ",		/* lines in one cell */
		"<h1>%zu ",			/* heading tags inline */
		"<img src=\"/img/%zu\"><a href=\"/p/%zu\"></a>",
	};
	static const char *const heads[] = { "", "| x |\n|---|\n", "",
	    "<figure>\n" };
	struct buf	 b;
	size_t		 i, n;
	char		*s;

	for (i = 0; i < nitems(units); i++) {
		memset(&b, 0, sizeof(b));
		buf_puts(&b, heads[i]);
		for (n = 0; n < 50000; n++)
			buf_printf(&b, units[i], n, n);
		buf_puts(&b, "\n");
		s = buf_detach(&b, NULL);
		check_hostile(units[i], s);
		free(s);
	}
}

int
main(void)
{
	RUN(test_paragraph);
	RUN(test_typography);
	RUN(test_links);
	RUN(test_images);
	RUN(test_autolinks);
	RUN(test_headings);
	RUN(test_lists);
	RUN(test_list_code);
	RUN(test_quotes);
	RUN(test_code);
	RUN(test_figures);
	RUN(test_html_blocks);
	RUN(test_inline_html);
	RUN(test_unbalanced);
	RUN(test_tables);
	RUN(test_footnotes);
	RUN(test_line_types);
	RUN(test_hostile);
	RUN(test_unclosed_html);
	RUN(test_hostile_wide);
	return HARNESS_END();
}
