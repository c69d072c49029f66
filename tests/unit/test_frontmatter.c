/*
 * Front matter and _config.yml: the shapes of the Whirl Offload posts,
 * bad YAML reported at the right place of the file, hostile nesting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "site/site-int.h"
#include "harness.h"

static struct frontmatter	fm;
static struct diags		dg;
static size_t			body_off;
static unsigned			body_line;

static int
parse(const char *text)
{
	frontmatter_free(&fm);
	diag_free(&dg);
	return frontmatter_parse(text, strlen(text), "post.md", &fm,
	    &body_off, &body_line, &dg);
}

/* A key's string, or NULL. */
static const char *
get(const char *key)
{
	const struct value	*v = frontmatter_get(&fm, key);

	return v != NULL && v->type == VALUE_STRING ? v->u.str.s : NULL;
}

/* The number of keys of the front matter. */
static size_t
nkeys(void)
{
	return fm.data ? value_size(fm.data) : 0;
}

/* The diagnostic whose message contains what, or NULL. */
static const struct diag *
find_diag(const char *what)
{
	return diag_find(&dg, what);
}

static void
test_no_front_matter(void)
{
	CHECK_INT(parse("# Title\n\n---\n"), 0);
	CHECK_INT(body_off, 0);
	CHECK_INT(body_line, 1);
	CHECK(fm.title == NULL);
	CHECK_INT(dg.n, 0);
	/* "----" is a rule, not a fence. */
	CHECK_INT(parse("----\ntitle: x\n---\n"), 0);
	CHECK_INT(body_off, 0);
	CHECK(fm.title == NULL);
}

static void
test_empty_file(void)
{
	CHECK_INT(frontmatter_parse(NULL, 0, "empty.md", &fm, &body_off,
	    &body_line, &dg), 0);
	CHECK_INT(body_off, 0);
	CHECK_INT(dg.n, 0);
	CHECK_INT(parse(""), 0);
	CHECK_INT(body_off, 0);
}

/* A post's usual keys; categories is a list. */
static void
test_post_keys(void)
{
	const char	*t =
	    "---\n"
	    "layout: post\n"
	    "title:  \"Wiring the probes to the hub\"\n"
	    "date:   2019-03-11\n"
	    "author: Mira Okafor\n"
	    "employer: acme\n"
	    "categories: [Pumps, Probes]\n"
	    "tags: [Pumps, Probes, Drip]\n"
	    "---\n"
	    "\n"
	    "Body.\n";

	CHECK_INT(parse(t), 0);
	CHECK_INT(dg.n, 0);
	CHECK_STR(fm.title, "Wiring the probes to the hub");
	CHECK_STR(fm.date, "2019-03-11");
	CHECK_STR(fm.author, "Mira Okafor");
	CHECK_STR(fm.layout, "post");
	CHECK(fm.excerpt == NULL);
	CHECK_INT(fm.ncategories, 2);
	if (fm.ncategories == 2) {
		CHECK_STR(fm.categories[0], "Pumps");
		CHECK_STR(fm.categories[1], "Probes");
	}
	CHECK_INT(fm.ntags, 3);
	if (fm.ntags == 3)
		CHECK_STR(fm.tags[2], "Drip");
	CHECK_STR(get("employer"), "acme");
	CHECK(frontmatter_get(&fm, "nokey") == NULL);
	CHECK_INT(nkeys(), 7);
	CHECK_STR(t + body_off, "\nBody.\n");
	CHECK_INT(body_line, 10);
	/* The date as Psych reads it: a Date. */
	CHECK(frontmatter_get(&fm, "date") != NULL &&
	    frontmatter_get(&fm, "date")->type == VALUE_TIME);
}

/* A plain scalar folded over indented lines, Markdown inside. */
static void
test_folded_excerpt(void)
{
	CHECK_INT(parse(
	    "---\n"
	    "layout: post\n"
	    "title:  \"Rain tank overflow with a float switch\"\n"
	    "date:   2019-06-02\n"
	    "categories: Tanks\n"
	    "excerpt: A rain tank is a basic part of most garden watering setups, where it\n"
	    "  feeds the beds that need water between two showers, whatever their size.\n"
	    "  Of course, it often overflows during heavy storms in late spring\n"
	    "  and autumn\xe2\x80\xa6 where it floods the paths around the shed. And _of\n"
	    "  course_ we can fix that with a float switch wired to the old pump of the\n"
	    "  garden club!\n"
	    "tags: [Tanks, Drip, Pumps]\n"
	    "---\n"), 0);
	CHECK_STR(fm.excerpt, "A rain tank is a basic part of most garden "
	    "watering setups, where it feeds the beds that need water between "
	    "two showers, whatever their size. Of course, it often overflows "
	    "during heavy storms in late spring and autumn\xe2\x80\xa6 where "
	    "it floods the paths around the shed. And _of course_ we can fix "
	    "that with a float switch wired to the old pump of the garden "
	    "club!");
	/* A scalar category is a one-item list. */
	CHECK_INT(fm.ncategories, 1);
	if (fm.ncategories == 1)
		CHECK_STR(fm.categories[0], "Tanks");
	CHECK_INT(fm.ntags, 3);
	/* The body is empty: the closing line ends the file. */
	CHECK_INT(body_line, 14);
	CHECK_INT(dg.n, 0);
}

/* Continuation lines indented by 4; an empty excerpt. */
static void
test_excerpt_shapes(void)
{
	CHECK_INT(parse(
	    "---\n"
	    "title:  \"Slow and Steady: The Garden Club's Almanac for Beginners\"\n"
	    "excerpt: Inspired by an old seed catalogue from the 1950s, Ana and\n"
	    "    Mira have written a beginners' almanac for gardeners.\n"
	    "---\n"), 0);
	CHECK_STR(fm.title,
	    "Slow and Steady: The Garden Club's Almanac for Beginners");
	CHECK_STR(fm.excerpt, "Inspired by an old seed catalogue from the "
	    "1950s, Ana and Mira have written a beginners' almanac for "
	    "gardeners.");
	CHECK_INT(parse(
	    "---\n"
	    "title:  \"The gnome switches to drip lines\"\n"
	    "excerpt:\n"
	    "categories: Drip\n"
	    "tags: [Drip, humor]\n"
	    "---\n"), 0);
	CHECK(fm.excerpt == NULL);
	CHECK(value_is_nil(frontmatter_get(&fm, "excerpt")));
	CHECK_INT(nkeys(), 4);
	CHECK_INT(dg.n, 0);
}

/* Titles with ':', typographic quotes and apostrophes, and escapes. */
static void
test_titles(void)
{
	CHECK_INT(parse("---\n"
	    "title:  \"Understanding the \xe2\x80\x9c" "strict weight\xe2\x80\x9d mode of the scale\"\n"
	    "---\n"), 0);
	CHECK_STR(fm.title, "Understanding the \xe2\x80\x9c" "strict weight"
	    "\xe2\x80\x9d mode of the scale");
	CHECK_INT(parse("---\n"
	    "title:  \"Use cases for the club\xe2\x80\x99s moisture probes\"\n"
	    "---\n"), 0);
	CHECK_STR(fm.title, "Use cases for the club\xe2\x80\x99s moisture "
	    "probes");
	CHECK_INT(parse("---\ntitle: 'It''s: a \"test\"?!'\n---\n"), 0);
	CHECK_STR(fm.title, "It's: a \"test\"?!");
	/* A newline in a title would break a gemtext line: collapsed. */
	CHECK_INT(parse("---\ntitle: \"  one\\n\\ttwo  \"\nauthor: \" A  B \"\n---\n"),
	    0);
	CHECK_STR(fm.title, "one two");
	CHECK_STR(fm.author, "A B");
}

static void
test_dates(void)
{
	CHECK_INT(parse("---\ndate: 2016-07-07 10:30:00 +0200\n---\n"), 0);
	CHECK_STR(fm.date, "2016-07-07");
	CHECK_INT(parse("---\ndate: 2016-07-07T10:30Z\n---\n"), 0);
	CHECK_STR(fm.date, "2016-07-07");
	CHECK_INT(parse("---\ndate: \"2024-02-29 23:59\"\n---\n"), 0);
	CHECK_STR(fm.date, "2024-02-29");
	CHECK_INT(dg.n, 0);

	CHECK_INT(parse("---\ntitle: x\ndate: 2017-13-45\n---\nbody\n"), 0);
	CHECK(fm.date == NULL);
	CHECK_STR(fm.title, "x");
	CHECK_INT(dg.warnings, 1);
	CHECK_INT(dg.errors, 0);
	if (dg.n == 1) {
		CHECK_STR(dg.v[0].msg,
		    "date '2017-13-45' is not a date Jekyll reads: ignored");
		CHECK_INT(dg.v[0].line, 3);
	}
	/* Not a leap year; then a day out of range; then words. */
	CHECK_INT(parse("---\ndate: 2023-02-29\n---\n"), 0);
	CHECK(fm.date == NULL);
	CHECK_INT(parse("---\ndate: 2023-04-31\n---\n"), 0);
	CHECK(fm.date == NULL);
	/* Time.parse reads the date and leaves the word. */
	CHECK_INT(parse("---\ndate: 2023-04-01 noon\n---\n"), 0);
	CHECK_STR(fm.date, "2023-04-01");
	CHECK_INT(parse("---\ndate: yesterday\n---\n"), 0);
	CHECK(fm.date == NULL);
	CHECK(find_diag("date 'yesterday'") != NULL);
}

static void
test_lists(void)
{
	CHECK_INT(parse("---\ncategories: BPF  tc\n  XDP\n"
	    "tags:\n  - a b\n  - c\n---\n"), 0);
	CHECK_INT(fm.ncategories, 3);
	if (fm.ncategories == 3) {
		CHECK_STR(fm.categories[0], "BPF");
		CHECK_STR(fm.categories[2], "XDP");
	}
	/* Items of a sequence are not split. */
	CHECK_INT(fm.ntags, 2);
	if (fm.ntags == 2)
		CHECK_STR(fm.tags[0], "a b");
	/*
	 * Jekyll adds the singular category to the plural ones; the
	 * singular tag wins over the plural tags.
	 */
	CHECK_INT(parse("---\ncategory: Other things\ncategories: [A, B]\n"
	    "tag: one\ntags: [two, three]\n---\n"), 0);
	CHECK_INT(fm.ncategories, 3);
	if (fm.ncategories == 3)
		CHECK_STR(fm.categories[2], "Other things");
	CHECK_INT(fm.ntags, 1);
	if (fm.ntags == 1)
		CHECK_STR(fm.tags[0], "one");
	CHECK_INT(parse("---\ntags: []\n---\n"), 0);
	CHECK_INT(fm.ntags, 0);
	/* Numbers are names too; names are unique. */
	CHECK_INT(parse("---\ntags: [2021, x, x]\n---\n"), 0);
	CHECK_INT(fm.ntags, 2);
	if (fm.ntags == 2)
		CHECK_STR(fm.tags[0], "2021");
	/* Any valid YAML is a front matter: a map has no names, no error. */
	CHECK_INT(parse("---\ntags: {a: b}\ntitle: [a, b]\n---\n"), 0);
	CHECK_INT(fm.ntags, 0);
	CHECK(fm.title == NULL);
	CHECK_INT(dg.n, 0);
}

/* Maps and lists of maps, anchors and aliases: kept, no values. */
static void
test_nested_and_aliases(void)
{
	CHECK_INT(parse("---\n"
	    "socnet_users:\n"
	    "  - mastodon_username: mira\n"
	    "    git_username:  mokafor\n"
	    "  - mastodon_username: gardenclub\n"
	    "    git_username:  garden-club\n"
	    "nested: {a: {b: [1, 2]}}\n"
	    "base: &anchor value\n"
	    "copy: *anchor\n"
	    "title: after\n"
	    "---\n"), 0);
	CHECK_INT(dg.n, 0);
	CHECK_INT(nkeys(), 5);
	CHECK(frontmatter_get(&fm, "socnet_users") != NULL &&
	    frontmatter_get(&fm, "socnet_users")->type == VALUE_ARRAY);
	CHECK(frontmatter_get(&fm, "nested") != NULL &&
	    frontmatter_get(&fm, "nested")->type == VALUE_HASH);
	/* An alias is the anchored value, shared. */
	CHECK_STR(get("copy"), "value");
	CHECK_STR(fm.title, "after");
	/* Duplicate keys: the last wins, as with Psych. */
	CHECK_INT(parse("---\ntitle: one\ntitle: two\n---\n"), 0);
	CHECK_STR(fm.title, "two");
}

static void
test_invalid_yaml_position(void)
{
	const struct diag	*d;

	/* The bad line is line 4 of the file, line 3 of the YAML. */
	CHECK_INT(parse("---\n"
	    "layout: post\n"
	    "title: \"Offload is coming\"\n"
	    "date: 2017-12-04: what\n"
	    "---\n"
	    "body\n"), -1);
	CHECK_INT(dg.errors, 1);
	if (dg.n == 1) {
		d = &dg.v[0];
		CHECK_STR(d->file, "post.md");
		CHECK_INT(d->line, 4);
		CHECK_INT(d->column, 17);
		CHECK(strstr(d->msg, "invalid YAML: mapping values are not "
		    "allowed") != NULL);
	}
	/* The struct is empty after an error. */
	CHECK(fm.title == NULL && fm.data == NULL);

	/* An unclosed quote: libyaml names the context and its line. */
	CHECK_INT(parse("---\ntitle: \"abc\nauthor: x\n---\n"), -1);
	CHECK_INT(dg.errors, 1);
	if (dg.n == 1) {
		CHECK_INT(dg.v[0].line, 4);
		CHECK(strstr(dg.v[0].msg, "quoted scalar") != NULL);
		CHECK(strstr(dg.v[0].msg, "on line 2") != NULL);
	}
}

static void
test_tabs(void)
{
	/* A tab after the colon is a separator... */
	CHECK_INT(parse("---\ntitle:\tTabbed\n---\n"), 0);
	CHECK_STR(fm.title, "Tabbed");
	/* ...but YAML forbids tabs for indentation. */
	CHECK_INT(parse("---\ntitle: x\nexcerpt:\n\tindented\n---\n"), -1);
	CHECK_INT(dg.errors, 1);
	if (dg.n == 1) {
		CHECK_INT(dg.v[0].line, 4);
		CHECK_INT(dg.v[0].column, 1);
		CHECK(strstr(dg.v[0].msg, "cannot start any token") != NULL);
	}
}

static void
test_unterminated(void)
{
	const char	*forms[] = {
		"---\ntitle: x\n\nbody without end\n",
		"---\n",
		"---",
		"---  \n-- \n.... \n",
	};
	size_t		 i;

	for (i = 0; i < nitems(forms); i++) {
		CHECK_INT(parse(forms[i]), -1);
		CHECK_INT(dg.errors, 1);
		if (dg.n == 1) {
			CHECK_STR(dg.v[0].msg, "front matter is not terminated "
			    "(missing closing ---)");
			CHECK_INT(dg.v[0].line, 1);
		}
	}
}

static void
test_fences(void)
{
	/* Trailing blanks on both fences; "..." closes too. */
	CHECK_INT(parse("---   \ntitle: a\n... \t\nbody"), 0);
	CHECK_STR(fm.title, "a");
	CHECK_INT(body_line, 4);
	CHECK_INT(body_off, strlen("---   \ntitle: a\n... \t\n"));
	/* An empty block, and a block closing at the end of the file. */
	CHECK_INT(parse("---\n---\nbody\n"), 0);
	CHECK_INT(body_off, 8);
	CHECK_INT(body_line, 3);
	CHECK_INT(nkeys(), 0);
	CHECK_INT(parse("---\ntitle: b\n---"), 0);
	CHECK_INT(body_off, strlen("---\ntitle: b\n---"));
	/* Comments only: no document at all. */
	CHECK_INT(parse("---\n# nothing\n---\n"), 0);
	CHECK_INT(nkeys(), 0);
}

static void
test_not_a_mapping(void)
{
	CHECK_INT(parse("---\n- a\n- b\n---\n"), -1);
	CHECK(find_diag("not a mapping") != NULL);
	if (dg.n == 1)
		CHECK_INT(dg.v[0].line, 2);
	CHECK_INT(parse("---\njust a sentence\n---\n"), -1);
	CHECK(find_diag("not a mapping") != NULL);
	/* A null document is an empty mapping. */
	CHECK_INT(parse("---\n~\n---\n"), 0);
	CHECK_INT(nkeys(), 0);
}

/* Nesting is bounded: no recursion, no crash, an error at the bound. */
static void
test_deep_nesting(void)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	buf_puts(&b, "---\nx: ");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, '[');
	buf_puts(&b, "\n---\n");
	CHECK_INT(parse(b.data), -1);
	CHECK(find_diag("nested deeper than") != NULL);
	if (dg.n == 1) {
		CHECK_INT(dg.v[0].line, 2);
		CHECK_INT(dg.v[0].column, 4 + 63);
	}
	buf_free(&b);

	/* 60 levels closed properly are fine. */
	buf_puts(&b, "---\nx: ");
	for (i = 0; i < 60; i++)
		buf_putc(&b, '[');
	for (i = 0; i < 60; i++)
		buf_putc(&b, ']');
	buf_puts(&b, "\ny: z\n---\n");
	CHECK_INT(parse(b.data), 0);
	CHECK_STR(get("y"), "z");
	buf_free(&b);
}

static void
test_size_bound(void)
{
	struct buf	b = BUF_INIT;

	buf_puts(&b, "---\nexcerpt: ");
	while (b.len < 1100 * 1024)
		buf_puts(&b, "word word word word word word word word\n  ");
	buf_puts(&b, "end\n---\n");
	CHECK_INT(parse(b.data), -1);
	CHECK(find_diag("larger than") != NULL);
	buf_free(&b);

	/* Many keys: a hash with its index, each found. */
	buf_puts(&b, "---\n");
	while (b.len < 1000 * 1024)
		buf_printf(&b, "k%zu: v\n", b.len);
	buf_puts(&b, "---\n");
	CHECK_INT(parse(b.data), 0);
	CHECK_STR(get("k4"), "v");
	CHECK(nkeys() > 50000);
	buf_free(&b);
}

static void
test_invalid_utf8(void)
{
	CHECK_INT(parse("---\ntitle: ok\nauthor: \xff\n---\n"), -1);
	CHECK_INT(dg.errors, 1);
	if (dg.n == 1) {
		CHECK_INT(dg.v[0].line, 3);
		CHECK_INT(dg.v[0].column, 9);
	}
}

/* A top-level string of _config.yml, or NULL. */
static const char *
cfg_str(const struct site_config *cfg, const char *key)
{
	const struct value	*v = snapshot_config_get(cfg, key);

	return v != NULL && v->type == VALUE_STRING ? v->u.str.s : NULL;
}

static void
test_site_config_text(void)
{
	struct site_config	 cfg;
	const char		*t =
	    "url: \"https://example.org\"\n"
	    "title: Lantern   Relay\n"
	    "socnet_users:\n"
	    "  - mastodon_username: mira\n"
	    "answer: 42\n"
	    "author:\n  name: Mira Okafor\n  email: m@example.org\n"
	    "list: [a, b]\n";

	diag_free(&dg);
	CHECK_INT(frontmatter_config_parse(t, strlen(t), "_config.yml", &cfg, &dg),
	    0);
	CHECK_STR(cfg.title, "Lantern Relay");
	CHECK_STR(cfg.lang, "en");
	CHECK_STR(cfg.url, "https://example.org");
	CHECK(cfg.baseurl == NULL);
	CHECK_STR(cfg_str(&cfg, "title"), "Lantern   Relay");
	CHECK(snapshot_config_get(&cfg, "answer") != NULL &&
	    snapshot_config_get(&cfg, "answer")->u.i == 42);
	CHECK_STR(cfg_str(&cfg, "lang"), "en");
	/* An author map (minima's, jekyll-seo-tag's): its name. */
	CHECK_STR(cfg.author, "Mira Okafor");
	CHECK(snapshot_config_get(&cfg, "list") != NULL &&
	    value_size(snapshot_config_get(&cfg, "list")) == 2);
	CHECK(snapshot_config_get(&cfg, "missing") == NULL);
	CHECK_INT(dg.n, 0);
	snapshot_config_free(&cfg);

	/* Empty: the defaults. */
	CHECK_INT(frontmatter_config_parse("", 0, "_config.yml", &cfg, &dg), 0);
	CHECK_STR(cfg.title, "");
	CHECK_STR(cfg.lang, "en");
	snapshot_config_free(&cfg);

	/* Invalid: an error with the line, and still the defaults. */
	diag_free(&dg);
	CHECK_INT(frontmatter_config_parse("a: b\nc: [d\n", 11, "_config.yml",
	    &cfg, &dg), -1);
	CHECK_INT(dg.errors, 1);
	if (dg.n == 1) {
		CHECK_STR(dg.v[0].file, "_config.yml");
		CHECK_INT(dg.v[0].line, 3);
	}
	CHECK_STR(cfg.lang, "en");
	snapshot_config_free(&cfg);
	diag_free(&dg);
}

static void
test_site_config_missing(void)
{
	struct site_config	cfg;

	CHECK_INT(frontmatter_config_load("/nonexistent/_config.yml", &cfg, &dg), 0);
	CHECK_INT(dg.n, 0);
	CHECK_STR(cfg.title, "");
	CHECK_STR(cfg.lang, "en");
	snapshot_config_free(&cfg);
	/* A directory cannot be read: an error. */
	CHECK_INT(frontmatter_config_load("tests", &cfg, &dg), -1);
	CHECK_INT(dg.errors, 1);
	snapshot_config_free(&cfg);
	diag_free(&dg);
}

static void
test_corpus_config(void)
{
	struct site_config	 cfg;
	struct stat		 st;
	const char		*path =
	    "../shared/corpus/whirl-offload/_config.yml";

	if (stat(path, &st) == -1)
		SKIP("%s not found", path);
	CHECK_INT(frontmatter_config_load(path, &cfg, &dg), 0);
	CHECK_INT(dg.n, 0);
	CHECK_STR(cfg.title, "Whirl Offload");
	CHECK_STR(cfg.url, "https://qmonnet.github.io");
	CHECK_STR(cfg.baseurl, "/whirl-offload");
	CHECK_STR(cfg.author, "Quentin Monnet");
	CHECK_STR(cfg.lang, "en");
	/* A plain scalar with a UTF-8 dash inside, ended by a full stop. */
	CHECK(cfg.description != NULL &&
	    strstr(cfg.description, " \xe2\x80\x94 ") != NULL &&
	    cfg.description[strlen(cfg.description) - 1] == '.');
	CHECK_STR(cfg_str(&cfg, "permalink"), "/:year/:month/:day/:title/");
	CHECK_STR(cfg_str(&cfg, "markdown"), "kramdown");
	snapshot_config_free(&cfg);
}

int
main(void)
{
	RUN(test_no_front_matter);
	RUN(test_empty_file);
	RUN(test_post_keys);
	RUN(test_folded_excerpt);
	RUN(test_excerpt_shapes);
	RUN(test_titles);
	RUN(test_dates);
	RUN(test_lists);
	RUN(test_nested_and_aliases);
	RUN(test_invalid_yaml_position);
	RUN(test_tabs);
	RUN(test_unterminated);
	RUN(test_fences);
	RUN(test_not_a_mapping);
	RUN(test_deep_nesting);
	RUN(test_size_bound);
	RUN(test_invalid_utf8);
	RUN(test_site_config_text);
	RUN(test_site_config_missing);
	RUN(test_corpus_config);
	frontmatter_free(&fm);
	diag_free(&dg);
	return HARNESS_END();
}
