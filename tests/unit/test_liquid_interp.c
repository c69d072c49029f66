/*
 * The Liquid interpreter on its own: what the conformance table cannot
 * check against Ruby (bad content and its bounds, diagnostics at
 * file:line:column, the highlight and link contracts with the Markdown
 * stage, the line map, the hooks), each with the rest of the file
 * rendered.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "convert/convert.h"
#include "core/core.h"
#include "harness.h"
#include "model/model.h"

struct include_file {
	const char	*name;
	const char	*text;
};

static const struct include_file *includes;

static int
include_hook(void *ctx, const char *name, bool relative, const char *from,
    struct liquid_source *src)
{
	size_t	i;

	for (i = 0; includes != NULL && includes[i].name != NULL; i++)
		if (strcmp(includes[i].name, name) == 0) {
			src->text = includes[i].text;
			src->len = strlen(includes[i].text);
			src->path = includes[i].name;
			return 0;
		}
	return -1;
}

static char *
post_url_hook(void *ctx, const char *name)
{
	return strcmp(name, "2016-07-15-hello") == 0 ?
	    xstrdup("/posts/2016-07-15-hello.gmi") : NULL;
}

static char *
link_hook(void *ctx, const char *path)
{
	return strcmp(path, "about.md") == 0 ? xstrdup("/about.gmi") : NULL;
}

static void
markdownify_hook(void *ctx, const char *s, size_t n, struct buf *out)
{
	buf_puts(out, "<p>");
	buf_append(out, s, n);
	buf_puts(out, "</p>");
}

static struct liquid_config	cfg = LIQUID_CONFIG_DEFAULT;
static struct diags		d;

/* Render src with vars (YAML, may be NULL); diagnostics left in d. */
static char *
render(const char *src, const char *vars)
{
	struct liquid_hooks	 hooks = { NULL, include_hook, post_url_hook,
				    link_hook, markdownify_hook, NULL };
	struct liquid_engine	*eng = liquid_engine_new(&hooks, &cfg);
	struct liquid_template	*t;
	struct value		*v;
	struct buf		 out = BUF_INIT;

	diag_free(&d);
	memset(&d, 0, sizeof(d));
	v = vars ? value_from_yaml(vars, strlen(vars), "vars", 1, NULL) :
	    value_hash();
	t = liquid_template_parse(eng, "page.md", 1, src, strlen(src), &d);
	liquid_template_render(eng, t, v, &out, NULL, &d);
	liquid_template_free(t);
	liquid_engine_free(eng);
	value_unref(v);
	return buf_detach(&out, NULL);
}

/* The first diagnostic containing what is at line:col. */
static int
diag_at(const char *what, unsigned line, unsigned col)
{
	const struct diag	*e = diag_find(&d, what);

	if (e == NULL) {
		fprintf(stderr, "no diagnostic with '%s'\n", what);
		diag_print(&d, stderr);
		return 0;
	}
	if (e->line != line || e->column != col || strcmp(e->file,
	    "page.md") != 0) {
		fprintf(stderr, "'%s' at %s:%u:%u, want page.md:%u:%u\n", what,
		    e->file, e->line, e->column, line, col);
		return 0;
	}
	return 1;
}

static void
test_basics(void)
{
	CHECK_STR_FREE(render("{% assign x = 'a b' | split: ' ' %}"
	    "{% for i in x %}[{{ i | upcase }}]{% endfor %}", NULL), "[A][B]");
	CHECK_STR_FREE(render("{{ page.title | default: 'none' }} "
	    "{{ site.n | plus: 1 }}", "page: {title: T}\nsite: {n: 41}\n"),
	    "T 42");
	CHECK_INT(d.n, 0);
	CHECK_STR_FREE(render("{{ 'x' | markdownify }}", NULL), "<p>x</p>");
	/* sample is deterministic: the first element. */
	CHECK_STR_FREE(render("{{ a | sample }} {{ a | sample: 2 }}",
	    "a: [3, 1, 2]"), "3 31");
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t	n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

static void
test_huge_range(void)
{
	time_t	 t0 = time(NULL);
	char	*out;

	cfg.max_steps = 100000;
	out = render("a\n{% for i in (1..1000000000) %}"
	    "{% for j in (1..1000000000) %}x{% endfor %}{% endfor %}\nrest",
	    NULL);
	CHECK(strncmp(out, "a\nxxx", 5) == 0);
	CHECK(ends_with(out, "x\nrest"));
	CHECK(strlen(out) < 200000);
	CHECK(diag_at("steps", 2, 31));
	CHECK(time(NULL) - t0 < 20);
	free(out);
	/* A range too large for a filter is an error, not an allocation. */
	cfg.max_steps = 10000000;
	CHECK_STR_FREE(render("a{{ (1..1000000000) | join: ',' }}b", NULL),
	    "ab");
	CHECK(diag_at("too large", 1, 2));
}

static void
test_output_limit(void)
{
	char	*out;

	cfg.max_output = 1 << 16;
	out = render("{% assign s = 'xx' %}{% for i in (1..40) %}"
	    "{% assign s = s | append: s %}{% endfor %}{{ s | size }}\nend",
	    NULL);
	CHECK(diag_find(&d, "longer than") != NULL);
	CHECK(ends_with(out, "\nend"));
	free(out);
	out = render("{% for i in (1..100000) %}0123456789{% endfor %}end",
	    NULL);
	CHECK(strlen(out) <= (1u << 16));
	CHECK(diag_find(&d, "output larger than") != NULL);
	free(out);
	cfg.max_output = 64u << 20;
}

static void
test_recursive_include(void)
{
	static const struct include_file self[] = {
		{ "self.html", "<{% include self.html %}>" },
		{ NULL, NULL },
	};
	static const struct include_file cycle[] = {
		{ "a.html", "a{% include b.html %}" },
		{ "b.html", "b{% include a.html %}" },
		{ NULL, NULL },
	};
	static const struct include_file tree[] = {
		{ "tree.html", "{{ include.n }}{% if include.n > 0 %}"
		    "{% assign m = include.n | minus: 1 %}"
		    "{% include tree.html n=m %}{% endif %}" },
		{ NULL, NULL },
	};
	char	*out;

	includes = self;
	out = render("x\n  {% include self.html %}\nrest", NULL);
	CHECK(strncmp(out, "x\n  <<<", 7) == 0);
	CHECK(ends_with(out, ">>>\nrest"));
	/* Said at the page's include tag, naming where it stopped. */
	CHECK(diag_at("nested deeper than 64", 2, 3));
	CHECK(diag_find(&d, "not included at self.html:1:2") != NULL);
	free(out);
	includes = cycle;
	out = render("{% include a.html %} rest", NULL);
	CHECK(strncmp(out, "abab", 4) == 0 && ends_with(out, " rest"));
	CHECK(diag_find(&d, "include cycle?") != NULL);
	CHECK_INT(d.errors, 1);
	free(out);
	/* Recursion that ends is fine, as in Jekyll. */
	includes = tree;
	CHECK_STR_FREE(render("{% include tree.html n=3 %}", NULL), "3210");
	CHECK_INT(d.n, 0);
	CHECK_STR_FREE(render("a{% include missing.html %}b", NULL), "ab");
	CHECK(diag_at("Could not locate the included file 'missing.html'", 1,
	    2));
	CHECK_STR_FREE(render("a{% include ../etc/passwd %}b", NULL), "ab");
	CHECK(diag_at("invalid characters", 1, 2));
	includes = NULL;
}

/* Includes of a long text in a long loop: bounded by the step budget. */
static void
test_include_fanout(void)
{
	static struct include_file big[] = {
		{ "big.html", NULL },
		{ NULL, NULL },
	};
	struct buf	 text = BUF_INIT;
	time_t		 t0 = time(NULL);
	char		*out;
	int		 i;

	for (i = 0; i < 5000; i++)
		buf_puts(&text, "x{{ i }}");
	big[0].text = text.data;
	includes = big;
	cfg.max_steps = 1000000;
	out = render("{% for i in (1..1000000) %}{% include big.html %}"
	    "{% endfor %}\nrest", NULL);
	CHECK(ends_with(out, "\nrest"));
	CHECK(diag_find(&d, "steps") != NULL);
	CHECK(time(NULL) - t0 < 20);
	free(out);
	cfg.max_steps = 10000000;
	includes = NULL;
	buf_free(&text);
}

static void
test_unterminated(void)
{
	CHECK_STR_FREE(render("line one\nab {% if x and\n{{ y }} rest", NULL),
	    "line one\nab {% if x and\n rest");
	CHECK(diag_at("was not properly terminated", 2, 4));
	CHECK_STR_FREE(render("a {{ b } c", NULL), "a {{ b } c");
	CHECK(diag_at("Variable '{{ b }' was not properly terminated", 1, 3));
	CHECK_STR_FREE(render("a\n{% if true %}b {% for i in (1..2) %}{{ i }}",
	    NULL), "a\nb ");
	CHECK(diag_at("'if' tag was never closed", 2, 1));
	CHECK(diag_at("'for' tag was never closed", 2, 16));
	CHECK_STR_FREE(render("a{% raw %}{{ x }}", NULL), "a");
	CHECK(diag_at("'raw' tag was never closed", 1, 2));
	CHECK_STR_FREE(render("a{% comment %}b", NULL), "ab");
	CHECK(diag_at("'comment' tag was never closed", 1, 2));
}

static void
test_syntax_errors(void)
{
	CHECK_STR_FREE(render("a{% frobnicate x %}b{% endif %}c{% else %}d",
	    NULL), "abcd");
	CHECK(diag_at("Unknown tag 'frobnicate'", 1, 2));
	CHECK(diag_at("Unknown tag 'endif'", 1, 21));
	CHECK(diag_at("Unexpected outer 'else' tag", 1, 33));
	CHECK_STR_FREE(render("{% if true %}a{% endfor %}b{% endif %}", NULL),
	    "ab");
	CHECK(diag_at("'endfor' is not a valid delimiter for if tags", 1, 15));
	CHECK_STR_FREE(render("x{% for %}hidden{% endfor %}y", NULL), "xy");
	CHECK(diag_at("Syntax Error in 'for loop'", 1, 2));
	CHECK_STR_FREE(render("x{% assign %}y{% cycle %}z", NULL), "xyz");
	CHECK(diag_at("Syntax Error in 'assign'", 1, 2));
	CHECK(diag_at("Syntax Error in 'cycle'", 1, 15));
	/* What strict parsing rejects and lax accepts is a warning. */
	CHECK_STR_FREE(render("{{ 'a' | upcase junk }}", NULL), "A");
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 1);
	CHECK(diag_at("Expected end_of_string", 1, 1));
}

static void
test_filter_errors(void)
{
	CHECK_STR_FREE(render("a\n  {{ 'x' | truncate: 'many' }}b"
	    "{{ 1 | divided_by: 0 }}c{{ 'x' | append }}d", NULL), "a\n  bcd");
	CHECK(diag_at("invalid integer", 2, 3));
	CHECK(diag_at("divided by 0", 2, 32));
	CHECK(diag_at("wrong number of arguments (given 1, expected 2)", 2,
	    56));
	CHECK_INT(d.errors, 3);
	CHECK_STR_FREE(render("a{% if 1 < 'x' %}y{% endif %}b", NULL), "ab");
	CHECK(diag_at("comparison of Integer with String failed", 1, 2));
	/* An unknown filter passes its input on, as in Jekyll. */
	CHECK_STR_FREE(render("{{ 'x' | nosuch: 1 | upcase }}", NULL), "X");
	CHECK_INT(d.n, 0);
}

static void
test_deep_nesting(void)
{
	struct buf	 src = BUF_INIT;
	char		*out;
	int		 i;

	for (i = 0; i < 5000; i++)
		buf_puts(&src, "{% if true %}");
	buf_puts(&src, "core");
	for (i = 0; i < 5000; i++)
		buf_puts(&src, "{% endif %}");
	buf_puts(&src, "rest");
	out = render(src.data, NULL);
	CHECK(ends_with(out, "corerest"));
	CHECK(diag_find(&d, "Nesting too deep") != NULL);
	CHECK(d.n <= 60);
	free(out);
	buf_truncate(&src, 0);
	for (i = 0; i < 3000; i++)
		buf_puts(&src, "{{ a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a"
		    "[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a]]]]]]]]]]]]]]]]]]]"
		    "]]]]]]]]]]]]]]]]]]]]] }}");
	buf_puts(&src, "end");
	out = render(src.data, NULL);
	CHECK(ends_with(out, "end"));
	free(out);
	buf_free(&src);
}

static void
test_highlight(void)
{
	CHECK_STR_FREE(render("text\n{% highlight Ruby %}\n\ndef x\n  "
	    "{{ 1 | plus: 1 }}\nend\n\n{% endhighlight %}\nafter", NULL),
	    "text\n```ruby\ndef x\n  2\nend\n```\nafter");
	/* linenos numbers the web page's gutter, not the code. */
	CHECK_STR_FREE(render("a {% highlight c linenos %}x\ny{% endhighlight "
	    "%}b", NULL), "a \n```c\nx\ny\n```\nb");
	CHECK_STR_FREE(render("{% highlight md %}``` inner\n```"
	    "{% endhighlight %}", NULL), "````md\n``` inner\n```\n````\n");
	CHECK_STR_FREE(render("a{% highlight %}x{% endhighlight %}b", NULL),
	    "ab");
	CHECK(diag_at("Syntax Error in tag 'highlight'", 1, 2));
}

static void
test_links(void)
{
	CHECK_STR_FREE(render("[a]({% post_url 2016-07-15-hello %}) "
	    "[b]({% link about.md %}) {% assign p = 'about' %}"
	    "{% link {{ p }}.md %}", NULL),
	    "[a](/posts/2016-07-15-hello.gmi) [b](/about.gmi) /about.gmi");
	CHECK_INT(d.n, 0);
	CHECK_STR_FREE(render("[gone]({% post_url 2016-01-01-gone %})", NULL),
	    "[gone](" LIQUID_DEAD_LINK "2016-01-01-gone)");
	CHECK(diag_at("Could not find post \"2016-01-01-gone\"", 1, 8));
	CHECK_STR_FREE(render("x{% post_url not-a-post %}y", NULL), "xy");
	CHECK(diag_at("Could not parse name of post", 1, 2));
}

/*
 * The forms the blogs write post_url in (from the pattern pass this
 * interpreter replaced): the tag, its name and the output before it
 * split over lines, in a list item, with a fragment.
 */
static void
test_tags_over_lines(void)
{
	static const char vars[] = "site: {baseurl: /blog}";

	CHECK_STR_FREE(render("In [the plan]({{ site.baseurl}}{% post_url\n"
	    "2016-07-15-hello %}) of", vars),
	    "In [the plan](/blog/posts/2016-07-15-hello.gmi) of");
	CHECK_STR_FREE(render("[x]({{\nsite.baseurl }}{%\npost_url "
	    "2016-07-15-hello\n%}#frag). It", vars),
	    "[x](/blog/posts/2016-07-15-hello.gmi#frag). It");
	CHECK_STR_FREE(render("1. [Hello]({{ site.baseurl\n}}{% post_url\n"
	    "   2016-07-15-hello %}) \xe2\x80\x94 loosely.\n", vars),
	    "1. [Hello](/blog/posts/2016-07-15-hello.gmi) \xe2\x80\x94 "
	    "loosely.\n");
	CHECK_STR_FREE(render("See {%- post_url 2016-07-15-hello -%} .", vars),
	    "See/posts/2016-07-15-hello.gmi.");
	CHECK_INT(d.n, 0);
	/* A comment hides list items and the outputs inside it. */
	CHECK_STR_FREE(render("8. More!\n\n{% comment %}\n5. Mulching.\n"
	    "{{ y | frob }}\n{% endcomment %}\n\n**Mind you**", vars),
	    "8. More!\n\n\n\n**Mind you**");
	CHECK_INT(d.n, 0);
	/* Columns count characters, not bytes. */
	CHECK_STR_FREE(render("\xc3\xa9t\xc3\xa9 {% frob %}", NULL),
	    "\xc3\xa9t\xc3\xa9 ");
	CHECK(diag_at("Unknown tag 'frob'", 1, 5));
}

/* Megabytes of openings, unclosed tags and outputs: linear time. */
static void
test_hostile_text(void)
{
	static const char *const patterns[] = {
		"{{", "{%", "{% comment %}", "{% raw %}", "{% if x %}",
		"{{ x }}", "{% endif %}", "{% post_url 2016-07-15-hello %}",
		"{% highlight c %}", "{% %}", "}}%}{",
	};
	struct buf	 src = BUF_INIT;
	size_t		 i, n = 2u << 20;
	time_t		 t0;
	char		*out;

	for (i = 0; i < nitems(patterns); i++) {
		buf_truncate(&src, 0);
		while (src.len < n)
			buf_puts(&src, patterns[i]);
		t0 = time(NULL);
		out = render(src.data, NULL);
		if (time(NULL) - t0 >= 20)
			fprintf(stderr, "2 MB of \"%s\": %lld s\n", patterns[i],
			    (long long)(time(NULL) - t0));
		CHECK(time(NULL) - t0 < 20);
		CHECK(d.n <= 60);
		free(out);
	}
	buf_free(&src);
}

/* The tags of GitHub Pages' plugins (avatar: the conformance table). */
static void
test_plugins(void)
{
	static const struct include_file inc[] = {
		{ "card.html", "[{{ include.t }}]" },
		{ NULL, NULL },
	};

	includes = inc;
	CHECK_STR_FREE(render("a{% seo %}b{% feed_meta %}c", NULL), "abc");
	CHECK_INT(d.n, 0);
	CHECK_STR_FREE(render("{% include_cached card.html t='x' %}", NULL),
	    "[x]");
	/* A link for a reader without JavaScript, then the plugin's. */
	CHECK_STR_FREE(render("{% gist 5555251 gist.md %}", NULL),
	    "<noscript><p><a href=\"https://gist.github.com/5555251\">"
	    "https://gist.github.com/5555251</a></p></noscript>"
	    "<script src=\"https://gist.github.com/5555251.js?file=gist.md\">"
	    " </script>");
	CHECK_STR_FREE(render("{% gist page.g %}", "page: {g: u/12}"),
	    "<noscript><p><a href=\"https://gist.github.com/u/12\">"
	    "https://gist.github.com/u/12</a></p></noscript>"
	    "<script src=\"https://gist.github.com/u/12.js\"> </script>");
	CHECK_INT(d.n, 0);
	CHECK_STR_FREE(render("x{% gist %}y{% gist a b c %}z", NULL), "xyz");
	CHECK(diag_at("Syntax error in tag 'gist'", 1, 2));
	CHECK_INT(d.errors, 2);
	includes = NULL;
}

static void
test_line_map(void)
{
	static const struct include_file inc[] = {
		{ "two.html", "i1\ni2\n" },
		{ NULL, NULL },
	};
	struct liquid_hooks	 hooks = { NULL, include_hook, NULL, NULL,
				    NULL, NULL };
	struct liquid_engine	*eng = liquid_engine_new(&hooks, NULL);
	struct liquid_template	*t;
	struct liquid_lines	 lines = { NULL, 0, 0 };
	struct value		*v = value_hash();
	struct buf		 out = BUF_INIT;
	static const char	 src[] = "l5\n{% comment %}\nc\n"
	    "{% endcomment %}l8\n{% include two.html %}l9\n{{ 'g\nh' }}\nl10";

	includes = inc;
	t = liquid_template_parse(eng, "page.md", 5, src, strlen(src), NULL);
	liquid_template_render(eng, t, v, &out, &lines, NULL);
	CHECK_STR(out.data, "l5\nl8\ni1\ni2\nl9\ng\nh\nl10");
	CHECK_INT(lines.n, 8);
	if (lines.n == 8) {
		CHECK_INT(lines.v[0], 5);
		CHECK_INT(lines.v[1], 8);
		CHECK_INT(lines.v[2], 9); /* the include's lines: its tag */
		CHECK_INT(lines.v[3], 9);
		CHECK_INT(lines.v[4], 9);
		CHECK_INT(lines.v[5], 10);
		CHECK_INT(lines.v[6], 10);
		CHECK_INT(lines.v[7], 12);	/* after a two-line {{ }} */
	}
	liquid_lines_free(&lines);
	buf_free(&out);
	value_unref(v);
	liquid_template_free(t);
	liquid_engine_free(eng);
	includes = NULL;
}

static void
test_drop(void)
{
	CHECK_STR_FREE(render("{% for i in (1..2) %}{% assign f = forloop %}"
	    "{% endfor %}{{ f.length }}", NULL), "2");
	CHECK_INT(d.n, 0);
}

int
main(void)
{
	RUN(test_basics);
	RUN(test_huge_range);
	RUN(test_output_limit);
	RUN(test_recursive_include);
	RUN(test_include_fanout);
	RUN(test_unterminated);
	RUN(test_syntax_errors);
	RUN(test_filter_errors);
	RUN(test_deep_nesting);
	RUN(test_highlight);
	RUN(test_links);
	RUN(test_tags_over_lines);
	RUN(test_hostile_text);
	RUN(test_plugins);
	RUN(test_line_map);
	RUN(test_drop);
	diag_free(&d);
	return HARNESS_END();
}
