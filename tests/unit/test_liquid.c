/*
 * The Liquid pre-pass on the constructs of the blog's posts,
 * malformed tags, and linear time on hostile input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/core.h"
#include "harness.h"
#include "convert/convert.h"

static struct diags	dg;
static char		*out;
static size_t		 outlen;
static char		 pathbuf[256];

static const char *
site_var(void *ctx, const char *key)
{
	if (strcmp(key, "title") == 0)
		return "Lantern Relay";
	if (strcmp(key, "author") == 0)
		return "Mira Okafor";
	return NULL;
}

/* The posts that exist. */
static const char *
post_path(void *ctx, const char *slug)
{
	if (strcmp(slug, "2019-01-15-garden-club-project") != 0 &&
	    strcmp(slug, "2019-03-09-moisture-probes-and-their-many-quirks") !=
	    0 && strcmp(slug, "2019-04-01-drip-lines") != 0 &&
	    strcmp(slug, "2019-02-20-planning-the-beds") != 0 &&
	    strcmp(slug, "2019-05-14-probe-use-cases") != 0)
		return NULL;
	snprintf(pathbuf, sizeof(pathbuf), "/posts/%s.gmi", slug);
	return pathbuf;
}

static const char *
link_path(void *ctx, const char *path)
{
	return strcmp(path, "about.md") == 0 ? "/about.gmi" : NULL;
}

static struct liquid_env env = {
	"post.md", 1, &dg, site_var, post_path, link_path, NULL
};

static const char *
render_at(const char *text, size_t len, unsigned first_line)
{
	free(out);
	diag_free(&dg);
	env.first_line = first_line;
	out = liquid_render(text, len, &env, &outlen);
	return out;
}

static const char *
render(const char *text)
{
	return render_at(text, strlen(text), 1);
}

static const struct diag *
find_diag(const char *what)
{
	return diag_find(&dg, what);
}

static void
test_plain_text(void)
{
	CHECK_STR(render("No Liquid { here } {x} %} }}\n"),
	    "No Liquid { here } {x} %} }}\n");
	CHECK_INT(dg.n, 0);
	CHECK_STR(render(""), "");
	CHECK_INT(outlen, 0);
	CHECK_STR(render_at(NULL, 0, 1), "");
	CHECK_STR(render("ends with {"), "ends with {");
}

/* The site title in text, attributes and headings. */
static void
test_site_title(void)
{
	CHECK_STR(render("This site is {{ site.title }}, can you guess "
	    "why?"), "This site is Lantern Relay, can you guess why?");
	CHECK_STR(render("  <img alt=\"{{ site.title }}'s logo\" "
	    "src=\"{{ site.baseurl }}/img/site/lantern.svg\" "
	    "style=\"width:420px;\" />\n"),
	    "  <img alt=\"Lantern Relay's logo\" src=\"/img/site/lantern.svg\" "
	    "style=\"width:420px;\" />\n");
	CHECK_STR(render("# About {{ site.title }}\n"),
	    "# About Lantern Relay\n");
	CHECK_STR(render("_{{site.title}}_ by {{\n site.author\n}}"),
	    "_Lantern Relay_ by Mira Okafor");
	CHECK_INT(dg.n, 0);
}

static void
test_baseurl_elsewhere(void)
{
	CHECK_STR(render("new notes [about pumps]({{ site.baseurl "
	    "}}/categories/#Pumps)!"), "new notes [about pumps]"
	    "(/categories/#Pumps)!");
	CHECK_STR(render("[feed]({{ site.url }}{{ site.baseurl}}/feed.xml)"),
	    "[feed](/feed.xml)");
	CHECK_STR(render("<img src=\"{{\nsite.baseurl }}/img/x.svg\"/>"),
	    "<img src=\"/img/x.svg\"/>");
	CHECK_INT(dg.n, 0);
}

/* The post_url shapes of CONVERSION.md 2.2, as the posts write them. */
static void
test_post_url_forms(void)
{
	/* No inner space, slug on the next line. */
	CHECK_STR(render("In earlier notes [I sketched the plan]({{ "
	    "site.baseurl}}{% post_url\n2019-01-15-garden-club-project %}) "
	    "of the"), "In earlier notes [I sketched the plan]"
	    "(/posts/2019-01-15-garden-club-project.gmi) of the");
	/* site.url, "/", slug and "%}" on their own lines. */
	CHECK_STR(render("Recall [we already took the keypad lock as a "
	    "worked example for\nthe probes]({{ site.url }}/{% post_url\n"
	    "2019-03-09-moisture-probes-and-their-many-quirks\n"
	    "%}/#a-first-example-the-keypad)? As a reminder"),
	    "Recall [we already took the keypad lock as a worked example "
	    "for\nthe probes](/posts/2019-03-09-moisture-probes-and-their-"
	    "many-quirks.gmi)? As a reminder");
	/* "post_url" itself on the next line. */
	CHECK_STR(render("[the outline of the club]({{ site.baseurl }}{%\n"
	    "post_url 2019-01-15-garden-club-project %}), then"),
	    "[the outline of the club](/posts/2019-01-15-garden-club-"
	    "project.gmi), then");
	/* The output split, and a fragment. */
	CHECK_STR(render("[loosely described]({{\nsite.baseurl }}{% "
	    "post_url 2019-04-01-drip-lines %}#about-timers)). It"),
	    "[loosely described](/posts/2019-04-01-drip-lines.gmi)). It");
	/* "}}" on the next line. */
	CHECK_STR(render("(see also [this note]({{ site.baseurl\n}}{% post_url "
	    "2019-05-14-probe-use-cases %})).\n"),
	    "(see also [this note](/posts/2019-05-14-probe-"
	    "use-cases.gmi)).\n");
	/* "%}" alone on the next line. */
	CHECK_STR(render("wrote [a note]({{ site.baseurl }}{% post_url "
	    "2019-02-20-planning-the-beds\n%}) on the subject."),
	    "wrote [a note](/posts/2019-02-20-planning-the-beds.gmi) on "
	    "the subject.");
	/* Inside an indented list item. */
	CHECK_STR(render("1. [Planning the beds]({{ site.baseurl }}{% "
	    "post_url\n   2019-02-20-planning-the-beds %}) \xe2\x80\x94 only "
	    "loosely tied to watering.\n"), "1. [Planning the beds]"
	    "(/posts/2019-02-20-planning-the-beds.gmi) \xe2\x80\x94 only "
	    "loosely tied to watering.\n");
	/* Bare, with whitespace-control dashes, and a trailing "/". */
	CHECK_STR(render("See {%- post_url 2019-04-01-drip-lines -%} ."),
	    "See/posts/2019-04-01-drip-lines.gmi.");
	CHECK_STR(render("[x]({% post_url 2019-04-01-drip-lines %}/)"),
	    "[x](/posts/2019-04-01-drip-lines.gmi)");
	/* A "/" that starts a longer path is not dropped. */
	CHECK_STR(render("{% post_url 2019-04-01-drip-lines %}/x"),
	    "/posts/2019-04-01-drip-lines.gmi/x");
	CHECK_INT(dg.n, 0);
}

static void
test_post_url_dead_link(void)
{
	const char		*t = "line one\n[Timers for each bed]({{ "
	    "site.baseurl }}{% post_url\n   2019-06-30-timers-for-"
	    "every-bed %}#x), providing";
	const struct diag	*d;

	CHECK_STR(render_at(t, strlen(t), 20), "line one\n[Timers for each "
	    "bed](" LIQUID_DEAD_LINK "2019-06-30-timers-for-every-"
	    "bed), providing");
	CHECK_INT(dg.n, 1);
	d = find_diag("post_url: no post "
	    "'2019-06-30-timers-for-every-bed'");
	CHECK(d != NULL);
	if (d != NULL) {
		CHECK_STR(d->file, "post.md");
		CHECK_INT(d->line, 21);
		CHECK_INT(d->column, 41);
		CHECK(d->level == DIAG_WARNING);
	}
	CHECK_STR(render("{% post_url %}"), "");
	CHECK(find_diag("without a target") != NULL);
}

static void
test_link(void)
{
	CHECK_STR(render("[About]({{ site.baseurl }}{% link about.md %})"),
	    "[About](/about.gmi)");
	CHECK_INT(dg.n, 0);
	CHECK_STR(render("[Gone]({% link gone.md %})"),
	    "[Gone](" LIQUID_DEAD_LINK "gone.md)");
	CHECK(find_diag("link: no file 'gone.md'") != NULL);
}

/* List items hidden in a comment; the seed post ends with one. */
static void
test_comments(void)
{
	CHECK_STR(render(
	    "8. With luck, more to follow!\n"
	    "\n"
	    "{% comment %}\n"
	    "Drafts, or just ideas for later notes\n"
	    "5. Mulching, because _soil matters_.\n"
	    "6. The rain tank, the last piece of the watering rig.\n"
	    "{% endcomment %}\n"
	    "\n"
	    "**Mind you**, every note\n"),
	    "8. With luck, more to follow!\n\n\n\n**Mind you**, every "
	    "note\n");
	CHECK_INT(dg.n, 0);
	CHECK_STR(render("to help us on this topic. Brace yourselves: Offload "
	    "is coming!\n\n{% comment %} vim: set syntax=markdown spell tw=79 "
	    "fo+=a: {% endcomment %}\n"), "to help us on this topic. Brace "
	    "yourselves: Offload is coming!\n\n\n");
	/* Tags inside a comment are not evaluated and give no warning. */
	CHECK_STR(render("a{% comment %}{% for x %}{{ y }}{% endcomment %}b"),
	    "ab");
	CHECK_INT(dg.n, 0);
	/* Dashes strip around the block; the first endcomment closes. */
	CHECK_STR(render("a \n {%- comment %}x{% comment %}y{%endcomment-%}"
	    "\n b{% endcomment %}"), "ab");
	CHECK(find_diag("unknown Liquid tag 'endcomment'") != NULL);
}

static void
test_raw(void)
{
	CHECK_STR(render("{% raw %}{{ site.title }} {% post_url x %}"
	    "{% endraw %}!"), "{{ site.title }} {% post_url x %}!");
	CHECK_INT(dg.n, 0);
	CHECK_STR(render("a {%- raw -%} {{x}} {%- endraw -%} b"), "a{{x}}b");
	CHECK_STR(render("{% raw %}{% endraw %}"), "");
}

static void
test_highlight(void)
{
	CHECK_STR(render("text\n{% highlight c %}\n\nint x = "
	    "\"{{ site.title }}\";\n\n{% endhighlight %}\nafter\n"),
	    "text\n```c\nint x = \"Lantern Relay\";\n```\nafter\n");
	CHECK_INT(dg.n, 0);
	/* On one line: the fences get lines of their own. */
	CHECK_STR(render("a {% highlight sh linenos %}ls{% endhighlight %} b"),
	    "a \n```sh\nls\n```\n b");
	/* A longer fence than the backticks inside; an empty block. */
	CHECK_STR(render("{% highlight md %}\n```\ncode\n```\n"
	    "{% endhighlight %}"), "````md\n```\ncode\n```\n````");
	CHECK_STR(render("{% highlight %}{% endhighlight %}\n"),
	    "```\n```\n");
	/* The language cannot break the fence. */
	CHECK_STR(render("{% highlight `x` %}y{% endhighlight %}"),
	    "```x\ny\n```");
	/* The end tag hidden in a raw block: closed at the end, warned. */
	CHECK_STR(render("{% highlight c %}\nx\n{% raw %}{% endhighlight %}"
	    "{% endraw %}\n"), "```c\nx\n{% endhighlight %}\n```\n");
	CHECK(find_diag("highlight block of line 1 not closed") != NULL);
	CHECK_STR(render("{% endhighlight %}x"), "x");
	CHECK(find_diag("endhighlight without highlight") != NULL);
	CHECK_STR(render("{% highlight a %}1{% highlight b %}2"
	    "{% endhighlight %}"), "```a\n12\n```");
	CHECK(find_diag("highlight inside a highlight") != NULL);
}

/* Templates' Liquid in a post: dropped with a warning each. */
static void
test_unknown(void)
{
	CHECK_STR(render("{% if x %}yes{% endif %}"), "yes");
	CHECK_INT(dg.warnings, 2);
	CHECK(find_diag("unknown Liquid tag 'if' dropped") != NULL);
	CHECK(find_diag("unknown Liquid tag 'endif' dropped") != NULL);
	CHECK_STR(render("<ul>\n{% for post in site.posts %}\n  <li>{{ "
	    "post.date | date: \"%b %-d, %Y\" }} {{ page.title }}</li>\n"
	    "{% endfor %}\n</ul>\n{% include footer.html %}"),
	    "<ul>\n\n  <li> </li>\n\n</ul>\n");
	CHECK_INT(dg.warnings, 5);
	CHECK(find_diag("unknown Liquid tag 'for' dropped") != NULL);
	CHECK(find_diag("Liquid output '{{ post.date | date: \"%b %-d, %Y\" "
	    "}}' dropped") != NULL);
	CHECK(find_diag("Liquid output '{{ page.title }}' dropped") != NULL);
	CHECK(find_diag("unknown Liquid tag 'include' dropped") != NULL);
	CHECK_STR(render("{{ site.nothing }}{{ site.title | upcase }}{{ }}"
	    "{% %}"), "");
	CHECK(find_diag("site variable 'nothing' is not set") != NULL);
	CHECK(find_diag("'{{ site.title | upcase }}' dropped") != NULL);
	CHECK(find_diag("empty Liquid tag") != NULL);
	CHECK_INT(dg.warnings, 4);
}

static void
test_warning_position(void)
{
	const struct diag	*d;

	CHECK_STR(render_at("a\nb\n{% for x %}\n", 16, 10), "a\nb\n\n");
	CHECK_INT(dg.n, 1);
	if (dg.n == 1) {
		d = &dg.v[0];
		CHECK_INT(d->line, 12);
		CHECK_INT(d->column, 1);
	}
	/* Columns count characters, not bytes. */
	render_at("\xc3\xa9t\xc3\xa9 {% if %}", 12, 3);
	CHECK_INT(dg.n, 1);
	if (dg.n == 1) {
		CHECK_INT(dg.v[0].line, 3);
		CHECK_INT(dg.v[0].column, 5);
	}
}

/* Malformed Liquid keeps the text: never lose the rest of a post. */
static void
test_unterminated(void)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	CHECK_STR(render("a {{ b\n\nthe rest {{ of the post\n"),
	    "a {{ b\n\nthe rest {{ of the post\n");
	CHECK_INT(dg.n, 1);
	CHECK(find_diag("'{{' is not closed; kept as text") != NULL);
	CHECK_STR(render("x {% if\n\nrest"), "x {% if\n\nrest");
	CHECK(find_diag("'{%' is not closed") != NULL);
	CHECK_STR(render("x {% comment %} y {{ site.title }}"),
	    "x {% comment %} y Lantern Relay");
	CHECK(find_diag("'comment' block without 'endcomment'") != NULL);
	CHECK_STR(render("x {% raw %} {{ site.title }}"),
	    "x {% raw %} Lantern Relay");
	CHECK(find_diag("'raw' block without 'endraw'") != NULL);
	CHECK_STR(render("{% highlight c %}\nint x;\n"),
	    "{% highlight c %}\nint x;\n");
	CHECK(find_diag("'highlight' block without 'endhighlight'") != NULL);

	/* A closing too far away does not swallow the text between. */
	buf_puts(&b, "{{ a");
	for (i = 0; i < 2000; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "}} {{ site.title }}");
	render(b.data);
	CHECK_INT(outlen, b.len - strlen("{{ site.title }}") +
	    strlen("Lantern Relay"));
	CHECK(find_diag("not closed within 1024 bytes") != NULL);
	buf_free(&b);
}

static void
test_warning_cap(void)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < 1000; i++)
		buf_puts(&b, "{{ x }}\n");
	render(b.data);
	CHECK_INT(outlen, 1000);
	CHECK_INT(dg.n, 51);
	CHECK(find_diag("the rest not shown") != NULL);
	if (dg.n == 51)
		CHECK_INT(dg.v[49].line, 50);
	buf_free(&b);
}

/* Render with the line map; check it against want[0..n). */
static void
check_lines(const char *text, unsigned first_line, const unsigned *want,
    size_t n)
{
	unsigned	*lines;
	size_t		 nlines, i, breaks = 0;

	free(out);
	diag_free(&dg);
	env.first_line = first_line;
	out = liquid_render_lines(text, strlen(text), &env, &outlen, &lines,
	    &nlines);
	for (i = 0; i < outlen; i++)
		breaks += out[i] == '\n';
	CHECK_INT(nlines, breaks + 1);
	CHECK_INT(nlines, n);
	for (i = 0; i < n && i < nlines; i++)
		if (lines[i] != want[i]) {
			fprintf(stderr, "output line %zu: from line %u, want "
			    "%u\n", i, lines[i], want[i]);
			CHECK(lines[i] == want[i]);
		}
	free(lines);
}

/* Later stages find the file line of their input through the map. */
static void
test_line_map(void)
{
	static const unsigned	split[] = { 10, 11, 14, 15 };
	static const unsigned	hl[] = { 1, 2, 4, 6, 7 };
	static const unsigned	comment[] = { 70, 71, 72, 76, 77 };
	static const unsigned	dash[] = { 5 };

	check_lines("a\n[x]({{ site.url }}/{% post_url\n"
	    "2019-03-09-moisture-probes-and-their-many-quirks\n%}/#frag) b\n"
	    "next\n", 10, split, nitems(split));
	CHECK_STR(out, "a\n[x](/posts/2019-03-09-moisture-probes-and-their-"
	    "many-quirks.gmi) b\nnext\n");
	check_lines("t\n{% highlight c %}\n\nx\n\n{% endhighlight %}\n"
	    "after", 1, hl, nitems(hl));
	check_lines("8. more\n\n{% comment %}\na\nb\n{% endcomment %}\n\n"
	    "**Please**", 70, comment, nitems(comment));
	check_lines("a \n\n {%- if x -%} \n b", 5, dash, nitems(dash));
	CHECK_STR(out, "ab");
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Time to render n bytes made of pattern repeated. */
static double
time_pattern(const char *pattern, size_t n)
{
	char	*s;
	size_t	 i, plen = strlen(pattern);
	double	 t0;

	s = xmalloc(n);
	for (i = 0; i < n; i++)
		s[i] = pattern[i % plen];
	t0 = now();
	render_at(s, n, 1);
	t0 = now() - t0;
	free(s);
	return t0;
}

/* 50 MB of openings: linear, so seconds at most even under ASan. */
static void
test_linear_time(void)
{
	const char	*patterns[] = {
		"{{", "{%", "{% comment %}", "{% raw %}", "{% highlight c %}",
		"{{ x }}", "{% endhighlight %}", "{{ site.url }}/",
		"{{ site.title }}", "{% post_url 2019-04-01-drip-lines %}",
		"{% post_url a %}", "{% %}", "{% highlight %}{% endhighlight %}",
	};
	size_t		 i, n;
	double		 t;

	for (i = 0; i < nitems(patterns); i++) {
		n = i < 2 ? 50u << 20 : 4u << 20;
		t = time_pattern(patterns[i], n);
		printf("  %zu MB of \"%s\": %.2f s, %zu bytes out, %zu "
		    "warnings\n", n >> 20, patterns[i], t, outlen, dg.n);
		CHECK(t < 20);
		CHECK(dg.n <= 51);
	}
	free(out);
	out = NULL;
}

/* The seed post, shipped verbatim in capsule/. */
static void
test_seed_post(void)
{
	const char	*path = "capsule/_posts/2017-12-04-offload-coming.md";
	struct stat	 st;
	char		*text;
	size_t		 len;

	if (stat(path, &st) == -1 || (text = file_read_all(path, &len)) == NULL)
		SKIP("%s not found", path);
	render(text);
	CHECK_INT(dg.n, 0);
	CHECK(strstr(out, "vim:") == NULL);
	CHECK(strstr(out, "{%") == NULL && strstr(out, "{{") == NULL);
	CHECK(strstr(out, "Offload is coming!\n\n\n") != NULL);
	free(text);
}

int
main(void)
{
	RUN(test_plain_text);
	RUN(test_site_title);
	RUN(test_baseurl_elsewhere);
	RUN(test_post_url_forms);
	RUN(test_post_url_dead_link);
	RUN(test_link);
	RUN(test_comments);
	RUN(test_raw);
	RUN(test_highlight);
	RUN(test_unknown);
	RUN(test_warning_position);
	RUN(test_unterminated);
	RUN(test_warning_cap);
	RUN(test_line_map);
	RUN(test_linear_time);
	RUN(test_seed_post);
	free(out);
	diag_free(&dg);
	return HARNESS_END();
}
