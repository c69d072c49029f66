/* The snapshot build: scanning, ordering, paths, URL mapping, export. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "model/model.h"
#include "proto/gopher-recipe.h"
#include "site/site-int.h"
#include "core/core.h"

static char	tmpl[] = "/tmp/test_site.XXXXXX";
static char	*root;

/* Write root/rel, making its folders. */
static void
put(const char *rel, const char *text)
{
	char	*path, *p;
	FILE	*fp;

	path = site_path_join(root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, fp);
	fclose(fp);
	free(path);
}

/* Remove a folder made by mkdtemp (no quoting needed). */
static void
rm_tree(const char *dir)
{
	char	*cmd;

	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s failed\n", cmd);
	free(cmd);
}

static void
fresh_root(void)
{
	if (root != NULL)
		rm_tree(root);
	strcpy(tmpl + strlen(tmpl) - 6, "XXXXXX");
	if ((root = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	put("_config.yml", "title: Test Site\nauthor: Site Author\n"
	    "lang: en\nurl: https://example.org\nbaseurl: /blog\n"
	    "permalink: /:year/:month/:day/:title/\n");
}

static struct snapshot *
build(struct diags *d, enum permalink_style style)
{
	struct site_options	o = { .root = root, .hostname = "localhost",
	    .gemini_port = 1965, .permalink = style };

	memset(d, 0, sizeof(*d));
	return site_build(&o, d);
}

static const char *
body(const struct snapshot *s, const char *path)
{
	const struct route	*r;

	r = routes_find(&s->gemini, path, strlen(path));
	return r ? r->body : NULL;
}

static const char *
type(const struct snapshot *s, const char *path)
{
	const struct route	*r;

	r = routes_find(&s->gemini, path, strlen(path));
	return r ? r->type : NULL;
}

/* Some diagnostic at this level names file and contains text. */
static bool
has_diag(const struct diags *d, enum diag_level level, const char *file,
    const char *text)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].level == level &&
		    strstr(d->v[i].file, file) != NULL &&
		    strstr(d->v[i].msg, text) != NULL)
			return true;
	return false;
}

static void
blog(void)
{
	fresh_root();
	put("_posts/2017-12-04-offload.md", "---\ntitle: \"Offload  is\n"
	    "  coming\"\ncategories: [Other, BPF]\ntags: eBPF\n"
	    "excerpt: A short update.\n---\n\nHello.\n");
	put("_posts/2017-02-21-os.md", "---\ntitle: OpenState\n"
	    "date: 2017-02-11\nauthor: Someone\ncategories: BPF\n"
	    "lang: fr\n---\n\nFirst paragraph.\n");
	put("_posts/2016-07-07-welcome.markdown", "---\ntitle: Welcome\n"
	    "---\n\nWelcome.\n");
	put("about.md", "---\ntitle: About\npermalink: /about/\n---\n\n"
	    "About me.\n");
	put("img/logo.png", "\x89PNG\r\n");
	put("img/a b.svg", "<svg/>");
	put("notes.txt", "plain\n");
	put("index.html", "---\nlayout: default\n---\n<html>\n");
	put("feed.xml", "---\n---\n<rss>{{ site.title }}</rss>\n");
	put("style.scss", "---\n---\nbody { margin: 0 }\n");
	put("contact.html", "---\ntitle: Contact\n---\n<h2>{{ page.title "
	    "}}</h2>\n<p>Write  to\n<a href=\"/about/\">me</a>.</p>\n");
	put("plain.html", "<p>As it is</p>\n");
	put("README.md", "no front matter\n");
	put(".secret", "x");
	put(".git/config", "x");
	put("_drafts/2020-01-01-draft.md", "---\ntitle: Draft\n---\n");
	put("_includes/head.html", "<head>");
	put("404.md", "---\nlayout: default\n---\nLost.\n");
	put("categories.md", "---\ntitle: Cats\npermalink: /categories/\n"
	    "---\n");
}

/* Atom's updated: last_modified_at when a post has one, in UTC. */
static void
test_atom_updated(void)
{
	struct diags	 d;
	struct snapshot	*s;
	const char	*feed;

	fresh_root();
	put("_posts/2020-01-01-a.md", "---\ntitle: A\n"
	    "last_modified_at: 2021-03-04 05:06:07 +0200\n---\nA.\n");
	put("_posts/2020-02-01-b.md", "---\ntitle: B\n"
	    "last_modified_at: not a date\n---\nB.\n");
	put("_posts/2020-03-01-c.md", "---\ntitle: C\n---\nC.\n");
	put("_posts/2019-01-01-d.md", "---\ntitle: D\n"
	    "last_modified_at: 2022-12-31\n---\nD.\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	feed = body(s, "/atom.xml");
	CHECK(feed != NULL);
	if (feed == NULL)
		feed = "";
	CHECK(strstr(feed, "2020-01-01-a</id>\n"
	    "    <updated>2021-03-04T03:06:07Z</updated>\n") != NULL);
	CHECK(strstr(feed, "2019-01-01-d</id>\n"
	    "    <updated>2022-12-31T00:00:00Z</updated>\n") != NULL);
	/* Without one, or with one that is no date: the post's date. */
	CHECK(strstr(feed, "2020-03-01-c</id>\n"
	    "    <updated>2020-03-01T00:00:00Z</updated>\n") != NULL);
	CHECK(strstr(feed, "2020-02-01-b</id>\n"
	    "    <updated>2020-02-01T00:00:00Z</updated>\n") != NULL);
	CHECK(has_diag(&d, DIAG_WARNING, "2020-02-01-b.md",
	    "last_modified_at 'not a date' is not a date Jekyll reads"));
	/* The feed's: the latest of its entries'. */
	CHECK(strstr(feed, "  <updated>2022-12-31T00:00:00Z</updated>\n") !=
	    NULL);
	snapshot_unref(s);
	diag_free(&d);
}

static void
test_scan(void)
{
	struct diags	 d;
	struct snapshot	*s;

	blog();
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(s->nposts, 3);
	/* about.md, contact.html and feed.xml. */
	CHECK_INT(s->npages, 3);
	/* README.md and plain.html have no front matter: copied as they are. */
	CHECK_INT(s->nstatics, 5);
	CHECK_INT(d.errors, 0);
	CHECK(body(s, "/posts/2017-12-04-offload.gmi") != NULL);
	CHECK(body(s, "/posts/2016-07-07-welcome.gmi") != NULL);
	CHECK(body(s, "/about.gmi") != NULL);
	CHECK_STR(type(s, "/img/logo.png"), "image/png");
	CHECK_STR(type(s, "/img/a b.svg"), "image/svg+xml");
	CHECK_STR(type(s, "/notes.txt"), mime_type("notes.txt"));
	/* Sources, templates, dotfiles and _ folders are never served. */
	CHECK(body(s, "/index.html") == NULL);
	/* An HTML page: its Liquid, then the HTML reader. */
	CHECK_STR(body(s, "/contact.gmi"), "# Contact\n\n## Contact\n\n"
	    "Write to me.\n=> /about.gmi me\n");
	CHECK(body(s, "/contact.html") == NULL);
	CHECK_STR(body(s, "/plain.html"), "<p>As it is</p>\n");
	CHECK_STR(type(s, "/plain.html"), "text/html; charset=utf-8");
	/* Another file with front matter: its Liquid, at its own path. */
	CHECK_STR(body(s, "/feed.xml"), "<rss>Test Site</rss>\n");
	CHECK_STR(type(s, "/feed.xml"), "application/xml");
	CHECK(body(s, "/index.gmi") != NULL &&
	    strstr(body(s, "/index.gmi"), "feed.xml") == NULL);
	CHECK(body(s, "/style.scss") == NULL && body(s, "/style.css") == NULL);
	CHECK(has_diag(&d, DIAG_NOTE, "style.scss", "template"));
	CHECK(body(s, "/README.md") != NULL);
	CHECK(body(s, "/README.gmi") == NULL);
	CHECK(body(s, "/about.md") == NULL);
	CHECK(body(s, "/.secret") == NULL);
	CHECK(body(s, "/.git/config") == NULL);
	CHECK(body(s, "/_config.yml") == NULL);
	CHECK(body(s, "/_drafts/2020-01-01-draft.md") == NULL);
	CHECK(body(s, "/_includes/head.html") == NULL);
	CHECK(body(s, "/_posts/2017-12-04-offload.md") == NULL);
	CHECK(body(s, "/404.gmi") == NULL);
	CHECK(has_diag(&d, DIAG_NOTE, "404.md", "not served"));
	CHECK(has_diag(&d, DIAG_NOTE, "categories.md", "generated"));
	CHECK(has_diag(&d, DIAG_NOTE, "index.html", "generated"));
	/* The generated categories page, not the Liquid one. */
	CHECK(body(s, "/categories.gmi") != NULL &&
	    strstr(body(s, "/categories.gmi"), "## BPF") != NULL);
	snapshot_unref(s);
	diag_free(&d);
}

static void
test_posts(void)
{
	struct diags	 d;
	struct snapshot	*s;
	const char	*b;

	blog();
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	/* Newest first; the front matter date wins over the file name. */
	CHECK_STR(s->posts[0].name, "2017-12-04-offload");
	CHECK_STR(s->posts[1].date, "2017-02-11");
	CHECK_STR(s->posts[1].slug, "os");
	CHECK_STR(s->posts[2].title, "Welcome");
	CHECK_STR(s->posts[0].title, "Offload is coming");
	CHECK_STR(s->posts[0].author, "Site Author");
	CHECK_STR(s->posts[1].author, "Someone");
	CHECK_STR(s->posts[1].lang, "fr");
	CHECK_STR(s->posts[2].lang, "en");
	CHECK_STR(s->posts[0].excerpt, "A short update.");
	CHECK_STR(s->posts[1].excerpt, "First paragraph.");
	CHECK_STR(type(s, "/posts/2017-02-21-os.gmi"), "text/gemini; lang=fr");
	b = body(s, "/posts/2017-12-04-offload.gmi");
	CHECK(b != NULL && strncmp(b, "# Offload is coming\n\n"
	    "2017-12-04 · Site Author\n"
	    "Categories: Other, BPF · Tags: eBPF\n\n", 77) == 0);
	b = body(s, "/posts/2016-07-07-welcome.gmi");
	CHECK(b != NULL && strncmp(b, "# Welcome\n\n2016-07-07 · Site Author\n"
	    "\n", 37) == 0);
	b = body(s, "/about.gmi");
	CHECK(b != NULL && strncmp(b, "# About\n\n", 9) == 0);
	CHECK_INT(s->ncategories, 2);
	CHECK_STR(s->categories[0].name, "BPF");
	CHECK_INT(s->categories[0].nposts, 2);
	CHECK_INT(s->categories[0].posts[0], 0);
	CHECK_INT(s->categories[0].posts[1], 1);
	CHECK_STR(s->categories[1].path, "/categories/Other.gmi");
	CHECK(snapshot_find_name(s, "2017-02-21-os", 13) == 1);
	CHECK(snapshot_find_name(s, "2017-02-21-o", 12) == -1);
	CHECK(snapshot_find_name(s, "missing", 7) == -1);
	snapshot_unref(s);
	diag_free(&d);
}

static void
test_jekyll_paths(void)
{
	struct diags	 d;
	struct snapshot	*s;

	blog();
	s = build(&d, PERMALINK_JEKYLL);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_STR(s->posts[1].path, "/2017/02/11/os/");
	CHECK(body(s, "/2017/12/04/offload/") != NULL);
	snapshot_unref(s);
	diag_free(&d);
}

static void
test_bad_posts(void)
{
	struct diags	 d;
	struct snapshot	*s;

	fresh_root();
	put("_posts/2017-01-01-good.md", "---\ntitle: Good\n---\nText.\n");
	put("_posts/2017-01-02-empty.md", "");
	put("_posts/undated.md", "---\ntitle: Undated\n---\nText.\n");
	put("_posts/dated.md", "---\ntitle: Dated\ndate: 2019-05-06\n---\n");
	put("_posts/2017-01-03-hidden.md", "---\npublished: false\n---\n");
	put("_posts/2017-01-04-lang.md", "---\nlang: \"en\\r\\n20 x\"\n---\n");
	put("_posts/image.png", "png");
	put("_posts/2017-01-05-no-title.md", "---\ntitle: \"\"\n---\nText.\n");
	put("page.md", "---\nlayout: page\n---\nText.\n");
	put("_posts/2017-01-06-new\nline.md", "---\ntitle: NL\n---\n");
	put("odd.md", "---\npermalink: \"/x?y=\\n/\"\n---\nOdd.\n");
	put("_posts/2017-01-07-cat.md", "---\ncategories: [\"a\\u0001b\"]\n"
	    "---\nText.\n");
	/* Not a calendar date: the name gives none. */
	put("_posts/2017-02-29-leap.md", "---\ntitle: Leap\n---\nText.\n");
	put("own.md", "---\ntitle: Own\n---\n# Its own title\n\nText.\n");
	put("todo.md", "---\ntitle: Markdown 101\n---\n# TO WRITE\n");
	put("untitled.md", "---\n---\n# A heading\n");
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(s->nposts, 5);
	/* Control characters never reach paths. */
	CHECK(has_diag(&d, DIAG_WARNING, "new", "control character"));
	CHECK(has_diag(&d, DIAG_WARNING, "odd.md", "not a clean path"));
	CHECK(body(s, "/odd.gmi") != NULL);
	CHECK(s->ncategories == 1 &&
	    strcmp(s->categories[0].path, "/categories/a-b.gmi") == 0);
	CHECK(body(s, "/posts/2017-01-01-good.gmi") != NULL);
	/* No title: Jekyll's, from the slug or the file name. */
	CHECK(body(s, "/posts/2017-01-05-no-title.gmi") != NULL &&
	    strncmp(body(s, "/posts/2017-01-05-no-title.gmi"), "# No title\n",
	    11) == 0);
	CHECK(body(s, "/page.gmi") != NULL &&
	    strncmp(body(s, "/page.gmi"), "# Page\n", 7) == 0);
	/* Jekyll's posts are the files named by a date. */
	CHECK(body(s, "/posts/dated.gmi") == NULL);
	CHECK(has_diag(&d, DIAG_NOTE, "dated.md", "not a post"));
	CHECK(has_diag(&d, DIAG_NOTE, "2017-02-29-leap.md", "not a post"));
	/* A page that opens with a title of its own gets no second one. */
	CHECK(body(s, "/own.gmi") != NULL &&
	    strcmp(body(s, "/own.gmi"), "# Its own title\n\nText.\n") == 0);
	/* One that opens with another heading keeps its front matter's. */
	CHECK(body(s, "/todo.gmi") != NULL &&
	    strcmp(body(s, "/todo.gmi"), "# Markdown 101\n\n# TO WRITE\n") == 0);
	CHECK(body(s, "/untitled.gmi") != NULL &&
	    strcmp(body(s, "/untitled.gmi"), "# A heading\n") == 0);
	/* An empty post is a post, as Jekyll publishes it. */
	CHECK(body(s, "/posts/2017-01-02-empty.gmi") != NULL);
	CHECK(has_diag(&d, DIAG_NOTE, "undated.md", "not a post"));
	CHECK(has_diag(&d, DIAG_NOTE, "hidden.md", "published"));
	CHECK(has_diag(&d, DIAG_WARNING, "lang.md", "not a language tag"));
	/* A lang that would break the response header is not used. */
	CHECK_STR(type(s, "/posts/2017-01-04-lang.gmi"),
	    "text/gemini; lang=en");
	CHECK_INT(d.errors, 0);
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * Posts keep their dated names (a newer post with the same slug moves
 * nothing); two sources with one path: the first is served, the other
 * reported and left out.
 */
static void
test_path_clash(void)
{
	struct diags	 d;
	struct snapshot	*s;

	fresh_root();
	put("_posts/2020-01-01-news.md", "---\ntitle: Old\n---\nOld.\n");
	put("_posts/2021-01-01-news.md", "---\ntitle: New\n---\nNew.\n");
	put("_posts/2022-01-01-twice.markdown", "---\ntitle: A\n---\nA.\n");
	put("_posts/2022-01-01-twice.md", "---\ntitle: B\n---\nB.\n");
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(s->nposts, 3);
	CHECK_STR(s->posts[0].path, "/posts/2022-01-01-twice.gmi");
	CHECK_STR(s->posts[0].title, "A");
	CHECK_STR(s->posts[1].path, "/posts/2021-01-01-news.gmi");
	CHECK_STR(s->posts[2].path, "/posts/2020-01-01-news.gmi");
	CHECK(body(s, "/posts/2020-01-01-news.gmi") != NULL);
	CHECK_INT(d.errors, 1);
	CHECK(has_diag(&d, DIAG_ERROR, "2022-01-01-twice.md",
	    "2022-01-01-twice.markdown"));
	snapshot_unref(s);
	diag_free(&d);

	/* Jekyll permalinks: the front matter date makes the clash. */
	fresh_root();
	put("_posts/2020-01-01-x.md", "---\ntitle: A\n---\nA.\n");
	put("_posts/2020-01-02-x.md", "---\ndate: 2020-01-01\n---\nB.\n");
	s = build(&d, PERMALINK_JEKYLL);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(s->nposts, 1);
	CHECK_STR(s->posts[0].path, "/2020/01/01/x/");
	CHECK_INT(d.errors, 1);
	snapshot_unref(s);
	diag_free(&d);
}

/* Count the diagnostics about file at line whose message has text. */
static size_t
count_diag(const struct diags *d, const char *file, unsigned line,
    const char *text)
{
	size_t	i, n = 0;

	for (i = 0; i < d->n; i++)
		n += strstr(d->v[i].file, file) != NULL &&
		    d->v[i].line == line && strstr(d->v[i].msg, text) != NULL;
	return n;
}

/*
 * The scan reads a source's front matter only (all of it, however
 * long), rendering reads the rest: each bad byte is reported once,
 * wherever it is.
 */
static void
test_source_reads(void)
{
	struct diags	 d;
	struct snapshot	*s;
	struct buf	 big = BUF_INIT;
	const char	*t;
	int		 i;

	fresh_root();
	buf_puts(&big, "---\ntitle: Long\nexcerpt: >\n");
	for (i = 0; i < 500; i++)
		buf_puts(&big, "  words and words\n");
	buf_puts(&big, "tags: [late]\n---\nBody \xff.\n");
	put("_posts/2020-01-01-long.md", big.data);
	put("_posts/2020-01-02-bytes.md",
	    "---\ntitle: \"A \xfe\"\n---\nBody \xff.\n");
	put("_posts/2020-01-03-bare.md", "---\ntitle: Bare\n---");
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		buf_free(&big);
		return;
	}
	CHECK_INT(s->nposts, 3);
	CHECK_INT(s->ntags, 1);
	CHECK_INT(count_diag(&d, "long.md", 506, "0xff"), 1);
	CHECK_INT(count_diag(&d, "bytes.md", 2, "0xfe"), 1);
	CHECK_INT(count_diag(&d, "bytes.md", 4, "0xff"), 1);
	CHECK_INT(d.warnings, 3);
	t = body(s, "/posts/2020-01-02-bytes.gmi");
	CHECK(t != NULL && strstr(t, "Body \xef\xbf\xbd.") != NULL);
	CHECK(body(s, "/posts/2020-01-03-bare.gmi") != NULL);
	snapshot_unref(s);
	diag_free(&d);
	buf_free(&big);

}

/* Feed summaries: the excerpt as plain text, else the first paragraph. */
static void
test_summaries(void)
{
	struct diags	 d;
	struct snapshot	*s;

	fresh_root();
	put("_posts/2020-01-01-a.md", "---\ntitle: A\nexcerpt: And _of "
	    "course_ a [link](https://example.org/) and `code`.\n---\n"
	    "First paragraph.\n");
	put("_posts/2020-01-02-b.md", "---\ntitle: B\n---\n# Heading\n\n"
	    "The **first** paragraph.\n\nThe second.\n");
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL || s->nposts != 2) {
		CHECK(s != NULL && s->nposts == 2);
		snapshot_unref(s);
		return;
	}
	CHECK_STR(s->posts[1].excerpt,
	    "And of course a link and `code`.");
	CHECK_STR(s->posts[0].excerpt, "The first paragraph.");
	CHECK_INT(d.warnings + d.errors, 0);
	snapshot_unref(s);
	diag_free(&d);
}

static void
test_symlinks(void)
{
	struct diags	 d;
	struct snapshot	*s;
	char		*p;

	fresh_root();
	put("img/in.png", "png");
	p = site_path_join(root, "img/link.png");
	CHECK(symlink("in.png", p) == 0);
	free(p);
	p = site_path_join(root, "passwd.txt");
	CHECK(symlink("/etc/passwd", p) == 0);
	free(p);
	p = site_path_join(root, "etc");
	CHECK(symlink("/etc", p) == 0);
	free(p);
	p = site_path_join(root, "img/loop");
	CHECK(symlink("..", p) == 0);
	free(p);
	put("_private/key.txt", "secret");
	p = site_path_join(root, "key.txt");
	CHECK(symlink("_private/key.txt", p) == 0);
	free(p);
	p = site_path_join(root, "config.txt");
	CHECK(symlink("_config.yml", p) == 0);
	free(p);
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK(body(s, "/img/in.png") != NULL);
	CHECK(body(s, "/img/link.png") != NULL);
	CHECK(body(s, "/passwd.txt") == NULL);
	CHECK(body(s, "/etc/passwd") == NULL);
	CHECK(has_diag(&d, DIAG_WARNING, "passwd.txt", "leaves the capsule"));
	CHECK(has_diag(&d, DIAG_WARNING, "etc", "leaves the capsule"));
	CHECK(body(s, "/img/loop/img/in.png") == NULL);
	/* Links into what is never served are refused too. */
	CHECK(body(s, "/key.txt") == NULL);
	CHECK(body(s, "/config.txt") == NULL);
	CHECK(has_diag(&d, DIAG_WARNING, "key.txt", "never served"));
	CHECK_INT(s->nstatics, 2);
	snapshot_unref(s);
	diag_free(&d);
}

/* Two builds of one tree: the same routes, byte for byte. */
static void
test_reproducible(void)
{
	struct diags	 d1, d2;
	struct snapshot	*a, *b;
	size_t		 i;

	blog();
	a = build(&d1, PERMALINK_POSTS);
	b = build(&d2, PERMALINK_POSTS);
	if (a == NULL || b == NULL) {
		CHECK(a != NULL && b != NULL);
		return;
	}
	CHECK_INT(a->gemini.n, b->gemini.n);
	for (i = 0; i < a->gemini.n && i < b->gemini.n; i++) {
		CHECK_STR(a->gemini.v[i].path, b->gemini.v[i].path);
		CHECK(a->gemini.v[i].len == b->gemini.v[i].len &&
		    memcmp(a->gemini.v[i].body, b->gemini.v[i].body,
		    a->gemini.v[i].len) == 0);
	}
	snapshot_unref(a);
	snapshot_unref(b);
	diag_free(&d1);
	diag_free(&d2);
}

static void
check_map(struct build *b, const char *target, const char *want)
{
	char	*got;

	got = site_map_url(b, target, 1);
	CHECK_STR(got, want);
	if (want != NULL && (got == NULL || strcmp(got, want) != 0))
		fprintf(stderr, "  for %s\n", target);
	free(got);
}

static void
test_map_url(void)
{
	struct build	 b;
	struct diags	 d;
	struct snapshot	*s;
	size_t		 warnings;

	blog();
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	memset(&b, 0, sizeof(b));
	b.snap = s;
	b.diags = &d;
	b.file = "post.md";
	site_map_page_keys(&b);
	warnings = d.warnings;
	check_map(&b, "https://example.com/a?b=c#d",
	    "https://example.com/a?b=c#d");
	check_map(&b, "mailto:a@b.c", "mailto:a@b.c");
	check_map(&b, "gemini://x.org/", "gemini://x.org/");
	check_map(&b, "#section", NULL);
	check_map(&b, "/img/logo.png", "/img/logo.png");
	check_map(&b, "/blog/img/logo.png", "/img/logo.png");
	check_map(&b, "/img/a%20b.svg", "/img/a%20b.svg");
	check_map(&b, "/about/", "/about.gmi");
	check_map(&b, "/blog/about/#me", "/about.gmi");
	check_map(&b, "/about.html", "/about.gmi");
	check_map(&b, "/", "/");
	check_map(&b, "/blog/", "/");
	check_map(&b, "/blog", "/");
	check_map(&b, "/index.html", "/");
	check_map(&b, "/categories/#BPF", "/categories/BPF.gmi");
	check_map(&b, "/categories/#bpf", "/categories/BPF.gmi");
	check_map(&b, "/categories/#Nope", "/categories.gmi");
	check_map(&b, "/categories/", "/categories.gmi");
	check_map(&b, "/2017/02/11/os/", "/posts/2017-02-21-os.gmi");
	check_map(&b, "/blog/2017/12/04/offload.html#x",
	    "/posts/2017-12-04-offload.gmi");
	check_map(&b, "/atom.xml", "/atom.xml");
	/* What post_url gives: the capsule path itself. */
	check_map(&b, "/posts/2016-07-07-welcome.gmi",
	    "/posts/2016-07-07-welcome.gmi");
	check_map(&b, "/blog/posts/2017-02-21-os.gmi#frag",
	    "/posts/2017-02-21-os.gmi");
	check_map(&b, "relative/path.png", "relative/path.png");
	/* The site's own absolute URLs, over https or http. */
	check_map(&b, "https://example.org/blog/about/", "/about.gmi");
	check_map(&b, "http://EXAMPLE.org/blog/2017/02/11/os/#x",
	    "/posts/2017-02-21-os.gmi");
	check_map(&b, "https://example.org", "/");
	check_map(&b, "https://example.org.evil/blog/about/",
	    "https://example.org.evil/blog/about/");
	/* Relative to the linking document's URL, dots resolved. */
	b.web = "/2017/12/04/offload/";
	check_map(&b, "../../../2017/02/11/os/", "/posts/2017-02-21-os.gmi");
	check_map(&b, "../../../../../about.html", "/about.gmi");
	check_map(&b, "nowhere.png", "nowhere.png");
	/* A link to a Markdown source (jekyll-relative-links). */
	b.file = "_posts/2017-12-04-offload.md";
	check_map(&b, "2017-02-21-os.md", "/posts/2017-02-21-os.gmi");
	check_map(&b, "../about.md#me", "/about.gmi");
	b.web = NULL;
	b.file = "post.md";
	CHECK_INT(d.warnings, warnings);
	/* No capsule target: the web site's page, with a warning. */
	check_map(&b, "/Articles/856005/",
	    "https://example.org/Articles/856005/");
	check_map(&b, "/blog/missing.png",
	    "https://example.org/blog/missing.png");
	CHECK_INT(d.warnings, warnings + 2);
	CHECK(has_diag(&d, DIAG_WARNING, "post.md", "/Articles/856005/"));
	CHECK_STR(site_map_post_path(&b, "2017-02-21-os"),
	    "/posts/2017-02-21-os.gmi");
	CHECK_STR(site_map_post_path(&b, "2017-02-21-os.md"),
	    "/posts/2017-02-21-os.gmi");
	CHECK(site_map_post_path(&b, "2017-02-21-nope") == NULL);
	CHECK_STR(site_map_link_path(&b, "about.md"), "/about.gmi");
	CHECK_STR(site_map_link_path(&b, "_posts/2016-07-07-welcome.markdown"),
	    "/posts/2016-07-07-welcome.gmi");
	CHECK_STR(site_map_link_path(&b, "img/logo.png"), "/img/logo.png");
	CHECK_STR(site_map_link_path(&b, "img/a b.svg"), "/img/a%20b.svg");
	/* Taxonomy paths: only the pages that exist. */
	check_map(&b, "/categories/BPF.gmi", "/categories/BPF.gmi");
	check_map(&b, "/tags.gmi", "/tags.gmi");
	CHECK(site_map_link_path(&b, "nope.md") == NULL);
	xfreev(b.page_keys, 2 * s->npages);
	snapshot_unref(s);
	diag_free(&d);
}

static char *
slurp(const char *dir, const char *rel)
{
	char	*p, *text;

	p = site_path_join(dir, rel);
	text = file_read_all(p, NULL);
	free(p);
	return text;
}

static void
test_export(void)
{
	struct diags	 d;
	struct snapshot	*s;
	char		 out[] = "/tmp/test_site_out.XXXXXX", *t;

	blog();
	s = build(&d, PERMALINK_JEKYLL);
	if (s == NULL || mkdtemp(out) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(site_export(s, out, &d), 0);
	t = slurp(out, "index.gmi");
	CHECK(t != NULL && strcmp(t, body(s, "/")) == 0);
	free(t);
	t = slurp(out, "2017/12/04/offload/index.gmi");
	CHECK(t != NULL && strcmp(t, body(s, "/2017/12/04/offload/")) == 0);
	free(t);
	t = slurp(out, "img/logo.png");
	CHECK(t != NULL && strcmp(t, "\x89PNG\r\n") == 0);
	free(t);
	t = slurp(out, "robots.txt");
	CHECK(t != NULL);
	free(t);
	snapshot_unref(s);
	rm_tree(out);

	/* A route that climbs out of the folder is refused. */
	s = xcalloc(1, sizeof(*s));
	atomic_init(&s->refs, 1);
	routes_borrow(&s->gemini, "/../escape.gmi", ROUTE_BODY, "text/gemini",
	    "x", 1);
	routes_borrow(&s->gemini, "/ok/../../escape.gmi", ROUTE_BODY,
	    "text/gemini", "x", 1);
	routes_borrow(&s->gemini, "/fine.gmi", ROUTE_BODY, "text/gemini", "x",
	    1);
	CHECK(mkdtemp(strcpy(out, "/tmp/test_site_out.XXXXXX")) != NULL);
	CHECK_INT(site_export(s, out, &d), -1);
	CHECK(has_diag(&d, DIAG_ERROR, out, "refusing"));
	t = slurp(out, "fine.gmi");
	CHECK(t != NULL);
	free(t);
	t = site_path_join(out, "../escape.gmi");
	CHECK(access(t, F_OK) == -1 && errno == ENOENT);
	free(t);
	snapshot_unref(s);
	rm_tree(out);
	diag_free(&d);
}

/*
 * The scan reads the front matter, the rendering the whole text: a
 * new body is rendered, a front matter that moved is caught.
 */
static void
test_reload(void)
{
	struct site_options	 o = { .root = NULL };
	struct build		 b;
	struct diags		 d = { 0 };
	struct source		 src;
	const char		*text;
	size_t			 len;
	bool			 has_fm;

	fresh_root();
	o.root = root;
	memset(&b, 0, sizeof(b));
	b.opts = &o;
	b.diags = &d;
	put("p.md", "---\ntitle: T\n---\nBody.\n");
	CHECK_INT(site_source_load(&b, "p.md", &src, &has_fm), 0);
	CHECK(has_fm && src.body_off == 17);
	put("p.md", "---\ntitle: T\n---\nA longer body.\n");
	text = site_source_read(&b, &src, &len);
	CHECK(text != NULL && len == 32 &&
	    strcmp(text + src.body_off, "A longer body.\n") == 0);
	put("p.md", "---\ntitle: Longer\n---\nBody.\n");
	CHECK(site_source_read(&b, &src, &len) == NULL);
	CHECK(has_diag(&d, DIAG_ERROR, "p.md", "changed"));
	buf_free(&b.raw);
	buf_free(&b.text);
	site_source_free(&src);
	diag_free(&d);
}

/* A reload's build: keeping its sources, from the last build. */
static struct snapshot *
rebuild(struct diags *d, struct snapshot *last)
{
	struct site_options	o = { .root = root, .hostname = "localhost",
	    .gemini_port = 1965, .gopher_host = "localhost",
	    .gopher_port = 70, .permalink = PERMALINK_JEKYLL, .keep = true,
	    .last = last };

	memset(d, 0, sizeof(*d));
	return site_build(&o, d);
}

/* Does the route at path hold text? */
static bool
serves(const struct routes *r, const char *path, const char *text)
{
	const struct route	*e;
	char			*got;
	size_t			 len;
	bool			 yes;

	if ((e = routes_find(r, path, strlen(path))) == NULL)
		return false;
	if (e->kind == ROUTE_RECIPE)
		got = gopher_recipe_expand(e->body, e->len, &len);
	else
		got = xstrndup(e->body, e->len);
	yes = strstr(got, text) != NULL;
	free(got);
	return yes;
}

/*
 * A source that fails on a reload (its front matter, its file) keeps its last good version, listed and
 * linked to as before, until it is fixed; one removed is gone; one
 * that never loaded is left out.
 */
static void
test_last_good(void)
{
	static const char	 post[] = "_posts/2024-01-02-b.md";
	struct diags		 d;
	struct snapshot		*s1, *s2, *s3;
	char			*file;
	size_t			 i;

	fresh_root();
	put("_config.yml", "title: T\ncollections:\n"
	    "  notes: {output: true}\n");
	put("_posts/2024-01-01-a.md", "---\ntitle: A\n---\n"
	    "See [B]({% post_url 2024-01-02-b %}).\n");
	put(post, "---\ntitle: Bee\ntags: [t]\n---\nOld text.\n");
	put("about.md", "---\ntitle: About\n---\nOld about.\n");
	put("_notes/n.md", "---\ntitle: N\n---\nOld note.\n");
	put("_notes/m.md", "---\ntitle: [\n---\nNever good.\n");
	s1 = rebuild(&d, NULL);
	CHECK(s1 != NULL && !serves(&s1->gemini, "/notes/m.gmi", ""));
	CHECK(has_diag(&d, DIAG_NOTE, "m.md", "skipped for its front"));
	diag_free(&d);
	if (s1 == NULL)
		return;

	put(post, "---\ntitle: Bee\ntags: [t\n---\nNew text.\n");
	put("about.md", "---\ntitle: \"About\n---\nNew about.\n");
	file = site_path_join(root, "_notes/n.md");
	CHECK_INT(truncate(file, SITE_MAX_SOURCE + 1), 0);
	free(file);
	s2 = rebuild(&d, s1);
	CHECK(s2 != NULL);
	if (s2 == NULL) {
		snapshot_unref(s1);
		return;
	}
	CHECK(serves(&s2->gemini, "/2024/01/02/b.gmi", "Old text."));
	CHECK(serves(&s2->gemini, "/2024/01/01/a.gmi", "/2024/01/02/b.gmi"));
	CHECK(serves(&s2->gemini, "/index.gmi", "Bee"));
	CHECK(serves(&s2->gemini, "/tags/t.gmi", "Bee"));
	CHECK(serves(&s2->gemini, "/atom.xml", "Old text."));
	CHECK(serves(&s2->gopher, "/", "Bee"));
	CHECK(serves(&s2->gemini, "/about.gmi", "Old about."));
	CHECK(serves(&s2->gemini, "/notes/n.gmi", "Old note."));
	CHECK(!serves(&s2->gemini, "/notes/m.gmi", ""));
	/* The error of the new version, where it is; then the fallback. */
	CHECK(has_diag(&d, DIAG_ERROR, "2024-01-02-b.md", ""));
	CHECK(has_diag(&d, DIAG_NOTE, "2024-01-02-b.md", "last good"));
	CHECK(has_diag(&d, DIAG_NOTE, "about.md", "last good"));
	CHECK(has_diag(&d, DIAG_NOTE, "n.md", "last good"));
	for (i = 0; i < d.n; i++)
		if (d.v[i].level == DIAG_ERROR &&
		    strstr(d.v[i].file, "2024-01-02-b.md") != NULL)
			CHECK(d.v[i].line > 1 && d.v[i].column > 0);
	CHECK(has_diag(&d, DIAG_ERROR, "n.md", "too large"));
	diag_free(&d);

	/* Still broken at the next reload: the same last good version. */
	s3 = rebuild(&d, s2);
	snapshot_unref(s1);
	CHECK(s3 != NULL && serves(&s3->gemini, "/2024/01/02/b.gmi",
	    "Old text."));
	diag_free(&d);
	snapshot_unref(s2);
	if (s3 == NULL)
		return;

	/* Fixed: the new version. */
	put(post, "---\ntitle: Bee\ntags: [t]\n---\nNew text.\n");
	s2 = rebuild(&d, s3);
	snapshot_unref(s3);
	CHECK(s2 != NULL && serves(&s2->gemini, "/2024/01/02/b.gmi",
	    "New text.") && !serves(&s2->gemini, "/2024/01/02/b.gmi",
	    "Old text."));
	CHECK_INT(d.errors, 3);		/* about.md, n.md, m.md */
	diag_free(&d);
	if (s2 == NULL)
		return;

	/* Removed: gone, whatever the last build had. */
	file = site_path_join(root, post);
	unlink(file);
	free(file);
	s3 = rebuild(&d, s2);
	snapshot_unref(s2);
	CHECK(s3 != NULL && !serves(&s3->gemini, "/2024/01/02/b.gmi", ""));
	CHECK(s3 != NULL && !serves(&s3->gemini, "/index.gmi", "Bee"));
	diag_free(&d);
	snapshot_unref(s3);
}

/* The list of a post's categories, joined by ','. */
static char *
post_categories(const struct snapshot *s, const char *source)
{
	struct buf	b = BUF_INIT;
	size_t		i, j;

	for (i = 0; i < s->nposts; i++) {
		if (strcmp(s->posts[i].source, source) != 0)
			continue;
		for (j = 0; j < s->posts[i].ncategories; j++)
			buf_printf(&b, "%s%s", j ? "," : "",
			    s->posts[i].categories[j]);
		return buf_detach(&b, NULL);
	}
	return NULL;
}

/* Jekyll's entry rules, default excludes, exclude: and include:. */
static void
test_entry_rules(void)
{
	struct diags	 d;
	struct snapshot	*s;

	fresh_root();
	put("_config.yml", "title: T\n"
	    "exclude: [notes.md, private/, \"*.json\", node]\n"
	    "include: [.well-known, _pages]\n");
	put("about.md~", "backup");
	put("#about.md#", "autosave");
	put("~lock", "x");
	put(".hidden", "x");
	put("name.", "x");
	put("_private/x.txt", "x");
	put("Gemfile", "source 'https://rubygems.org'\n");
	put("Gemfile.lock", "x");
	put("node_modules/m/index.js", "x");
	put("nodes.txt", "excluded by the prefix node");
	put("vendor/bundle/x.rb", "x");
	put("vendor/keep.txt", "kept: vendor/ is not excluded");
	put("notes.md", "---\ntitle: N\n---\nx\n");
	put("private/keys.txt", "x");
	put("data/icons.json", "{}");
	put(".well-known/security.txt", "Contact: x\n");
	put(".htaccess", "x");
	put("_pages/p.txt", "x");
	put("plain.txt", "x");
	put("_posts/2020-01-01-a.md", "---\ntitle: A\n---\nA.\n");
	put("_posts/2020-01-02-b.md~", "---\ntitle: B\n---\nB.\n");
	put("_posts/#2020-01-03-c.md#", "---\ntitle: C\n---\nC.\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(body(s, "/plain.txt") != NULL);
	CHECK(body(s, "/vendor/keep.txt") != NULL);
	CHECK(body(s, "/.well-known/security.txt") != NULL);
	/* A site's include: replaces Jekyll's default one (.htaccess). */
	CHECK(body(s, "/.htaccess") == NULL);
	CHECK(body(s, "/_pages/p.txt") != NULL);
	CHECK(body(s, "/about.md~") == NULL);
	CHECK(body(s, "/#about.md#") == NULL);
	CHECK(body(s, "/~lock") == NULL);
	CHECK(body(s, "/.hidden") == NULL);
	CHECK(body(s, "/name.") == NULL);
	CHECK(body(s, "/_private/x.txt") == NULL);
	CHECK(body(s, "/Gemfile") == NULL);
	CHECK(body(s, "/Gemfile.lock") == NULL);
	CHECK(body(s, "/node_modules/m/index.js") == NULL);
	CHECK(body(s, "/nodes.txt") == NULL);
	CHECK(body(s, "/vendor/bundle/x.rb") == NULL);
	CHECK(body(s, "/notes.gmi") == NULL);
	CHECK(body(s, "/private/keys.txt") == NULL);
	CHECK(body(s, "/data/icons.json") == NULL);
	CHECK_INT(s->nposts, 1);
	CHECK_INT(s->nstatics, 4);
	CHECK_INT(d.errors, 0);
	snapshot_unref(s);
	diag_free(&d);

	/* Without include:, Jekyll's default: .htaccess. */
	put("_config.yml", "title: T\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL && body(s, "/.htaccess") != NULL);
	CHECK(s != NULL && body(s, "/.well-known/security.txt") == NULL);
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * _posts at any depth, the folders above it its categories; drafts;
 * published: false; future posts.
 */
static void
test_posts_anywhere(void)
{
	struct site_options	 o = { .permalink = PERMALINK_POSTS };
	struct diags		 d;
	struct snapshot		*s;
	char			*c;

	fresh_root();
	put("_config.yml", "title: T\n");
	put("en/news/_posts/2021-01-01-hello.md",
	    "---\ncategory: extra\n---\nHello.\n");
	put("en/news/_posts/2020/2020-05-05-old.md",
	    "---\ncategories: a b\n---\nOld.\n");
	put("fr/_posts/2021-01-01-hello.md", "---\n---\nBonjour.\n");
	put("_posts/2021-02-02-top.md", "---\n---\nTop.\n");
	put("_posts/2021-02-03-off.md", "---\npublished: false\n---\nx\n");
	put("_posts/2999-01-01-later.md", "---\n---\nLater.\n");
	put("_drafts/idea.md", "---\ntitle: Idea\n---\nIdea.\n");
	put("_hidden/_posts/2021-01-01-no.md", "---\n---\nNo.\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	/* Four posts, one of them in the path of another. */
	CHECK_INT(s->nposts, 3);
	c = post_categories(s, "en/news/_posts/2021-01-01-hello.md");
	CHECK_STR(c, "en,news,extra");
	free(c);
	/* A folder inside _posts is no category. */
	c = post_categories(s, "en/news/_posts/2020/2020-05-05-old.md");
	CHECK_STR(c, "en,news,a,b");
	free(c);
	/* One name in two folders: one path, both reported. */
	CHECK(has_diag(&d, DIAG_ERROR, "fr/_posts/2021-01-01-hello.md",
	    "en/news/_posts/2021-01-01-hello.md"));
	CHECK(has_diag(&d, DIAG_NOTE, "2021-02-03-off.md", "published"));
	CHECK(has_diag(&d, DIAG_NOTE, "2999-01-01-later.md", "future"));
	CHECK(body(s, "/posts/idea.gmi") == NULL);
	snapshot_unref(s);
	diag_free(&d);

	/* --drafts, future: true, unpublished: true */
	put("_config.yml", "title: T\nfuture: true\nunpublished: true\n");
	o.root = root;
	o.drafts = true;
	memset(&d, 0, sizeof(d));
	s = site_build(&o, &d);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(s->nposts, 6);
	CHECK(body(s, "/posts/idea.gmi") != NULL);
	CHECK(body(s, "/posts/2999-01-01-later.gmi") != NULL);
	CHECK(body(s, "/posts/2021-02-03-off.gmi") != NULL);
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * time: in _config.yml is site.time, for Liquid and for what is in the
 * future (Jekyll's Publisher), in the local zone as Jekyll's
 * parse_date makes it.
 */
static void
test_site_time(void)
{
	struct diags	 d;
	struct snapshot	*s;
	const char	*t;

	fresh_root();
	put("_config.yml", "title: T\ntime: 2021-01-15 10:20:30 +0100\n"
	    "timezone: Etc/UTC\n");
	put("_posts/2021-01-14-before.md",
	    "---\n---\nAt {{ site.time | date: \"%Y-%m-%d %H:%M:%S %z %s%N\" }}.\n");
	put("_posts/2021-01-16-after.md", "---\n---\nAfter.\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(s->nposts, 1);
	t = body(s, "/posts/2021-01-14-before.gmi");
	CHECK(t != NULL && strstr(t,
	    "At 2021-01-15 09:20:30 +0000 1610702430000000000.") != NULL);
	CHECK(has_diag(&d, DIAG_NOTE, "2021-01-16-after.md", "future"));
	snapshot_unref(s);
	diag_free(&d);
}

/* Collections at their permalinks, defaults, Jekyll's placeholders. */
static void
test_collections(void)
{
	struct diags	 d;
	struct snapshot	*s;
	const char	*t;

	fresh_root();
	put("_config.yml", "title: T\npermalink: pretty\n"
	    "collections:\n"
	    "  guides: {output: true, permalink: \"/g/:path/\"}\n"
	    "  recipes: {output: true}\n"
	    "  staff: {output: false}\n"
	    "defaults:\n"
	    "  - scope: {path: \"\", type: guides}\n"
	    "    values: {title: Default title, layout: guide}\n"
	    "  - scope: {path: _guides/deep}\n"
	    "    values: {title: Deeper title}\n"
	    "  - scope: {type: posts}\n"
	    "    values: {author: Dee Fault}\n");
	put("_guides/start.md", "---\n---\nStart.\n");
	put("_guides/deep/down.md", "---\n---\nDown.\n");
	put("_guides/own.md", "---\ntitle: Own\n---\nOwn.\n");
	put("_recipes/bread.md", "---\ntitle: Bread\n---\nFlour.\n");
	put("_recipes/odd.md", "---\npermalink: /r/:nosuch/\n---\nOdd.\n");
	put("_staff/mira.md", "---\nname: Mira\n---\nMira.\n");
	put("_posts/2021-05-06-a-b.md", "---\ncategories: [X Y]\n"
	    "permalink: /:categories/:i_month/:i_day/:short_year/:y_day/"
	    ":slug:output_ext\n---\nP.\n");
	s = build(&d, PERMALINK_JEKYLL);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(body(s, "/g/start.gmi") != NULL);
	CHECK(body(s, "/g/deep/down.gmi") != NULL);
	/* The recipes' template under pretty: /:collection/:path/. */
	CHECK(body(s, "/recipes/bread.gmi") != NULL);
	CHECK(body(s, "/staff/mira.gmi") == NULL);
	t = body(s, "/g/start.gmi");
	CHECK(t != NULL && strncmp(t, "# Default title\n", 16) == 0);
	t = body(s, "/g/deep/down.gmi");
	CHECK(t != NULL && strncmp(t, "# Deeper title\n", 15) == 0);
	t = body(s, "/g/own.gmi");
	CHECK(t != NULL && strncmp(t, "# Own\n", 6) == 0);
	/* An unknown placeholder: an error, the collection's template. */
	CHECK(has_diag(&d, DIAG_ERROR, "odd.md", ":nosuch"));
	CHECK(body(s, "/recipes/odd.gmi") != NULL);
	CHECK_INT(s->nposts, 1);
	if (s->nposts == 1) {
		CHECK_STR(s->posts[0].web, "/x y/5/6/21/126/a-b.html");
		CHECK_STR(s->posts[0].author, "Dee Fault");
	}
	CHECK_INT(d.errors, 1);
	snapshot_unref(s);
	diag_free(&d);
}

/* A collection of a thousand documents: each served. */
static void
test_big_collection(void)
{
	struct diags	 d;
	struct snapshot	*s;
	char		 name[64];
	int		 i;

	fresh_root();
	put("_config.yml", "collections: {docs: {output: true}}\n");
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "_docs/d%04d.md", i);
		put(name, "---\ntitle: A doc\n---\nText.\n");
	}
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL && s->npages == 1000);
	CHECK(s != NULL && body(s, "/docs/d0999.gmi") != NULL);
	CHECK_INT(d.errors, 0);
	snapshot_unref(s);
	diag_free(&d);
}

/* _data: YAML, JSON, CSV, TSV and folders; broken files reported. */
static void
test_data(void)
{
	struct diags		 d;
	struct snapshot		*s;
	const char		*t;

	fresh_root();
	put("_config.yml", "title: T\n");
	put("_data/crew.yml", "- name: Ada\n- name: Bo\n");
	put("_data/ports.json", "{\"home\": {\"name\": \"Gull Rock\"}}\n");
	put("_data/tides.csv", "day,high\nMon,3.1\nTue,\n");
	put("_data/winds.tsv", "day\tspeed\nMon\t12\n");
	put("_data/fleet/boats.yml", "supply: Tern\n");
	put("_data/bad.yml", "a: [b\n");
	put("_data/bad.json", "{\"a\": [1, 2}\n");
	put("_data/bad.csv", "a,b\n\"x,y\n");
	put("_data/notes.txt", "not data");
	put("page.md", "---\ntitle: P\n---\n"
	    "{{ site.data.crew[1].name }} {{ site.data.ports.home.name }} "
	    "{{ site.data.tides[0].high }} {{ site.data.winds[0].speed }} "
	    "{{ site.data.fleet.boats.supply }} "
	    "{{ site.data.tides.size }} {{ site.data.bad }}.\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	t = body(s, "/page.gmi");
	CHECK(t != NULL && strstr(t, "Bo Gull Rock 3.1 12 Tern 2 .") != NULL);
	CHECK(has_diag(&d, DIAG_ERROR, "_data/bad.yml", "YAML"));
	CHECK(has_diag(&d, DIAG_ERROR, "_data/bad.json", "YAML"));
	CHECK(has_diag(&d, DIAG_ERROR, "_data/bad.csv", ""));
	CHECK_INT(d.errors, 3);
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * Pages that are not Markdown: HTML ones become gemtext documents at a
 * Markdown page's path; any other file with front matter is its Liquid
 * output, where Jekyll writes it, with its MIME type, over Gopher too.
 */
static void
test_rendered_pages(void)
{
	struct site_options	 o = { .hostname = "localhost",
	    .gemini_port = 1965, .gopher_port = 70,
	    .permalink = PERMALINK_JEKYLL };
	struct diags		 d = { 0 };
	struct snapshot		*s;
	const struct route	*r;
	const char		*t;

	fresh_root();
	put("_config.yml", "title: T\npermalink: pretty\n");
	put("_posts/2021-01-01-one.md", "---\ntitle: One\n---\nOne.\n");
	put("archive/all.html", "---\ntitle: All posts\n---\n<ul>\n"
	    "{% for p in site.posts %}  <li><a href=\"{{ p.url }}\">"
	    "{{ p.title }}</a></li>\n{% endfor %}</ul>\n"
	    "    <p>indented *not* Markdown</p>\n");
	put("search.json", "---\npermalink: /api/\n---\n"
	    "[{% for p in site.posts %}\"{{ p.title }}\"{% endfor %}]\n");
	put("humans.txt", "---\n---\nBy {{ site.title }}.\n");
	put("odd.xml", "---\npermalink: /a?b\n---\n<x/>\n");
	put("404.html", "---\n---\n<p>Lost</p>\n");
	o.root = root;
	s = site_build(&o, &d);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	/* A Markdown page's path (Jekyll's URL is /archive/all/). */
	t = body(s, "/archive/all.gmi");
	CHECK_STR(t, "# All posts\n\n=> /2021/01/01/one/ One\n\n"
	    "indented *not* Markdown\n");
	CHECK(body(s, "/index.gmi") != NULL &&
	    strstr(body(s, "/index.gmi"), "=> /archive/all.gmi All posts\n"));
	CHECK_STR(body(s, "/api/index.json"), "[\"One\"]\n");
	CHECK_STR(type(s, "/api/index.json"), "application/json");
	CHECK_STR(body(s, "/humans.txt"), "By T.\n");
	CHECK_STR(type(s, "/humans.txt"), "text/plain; charset=utf-8");
	CHECK(has_diag(&d, DIAG_WARNING, "odd.xml", "not a clean path"));
	CHECK(body(s, "/404.gmi") == NULL && body(s, "/404.html") == NULL);
	CHECK(has_diag(&d, DIAG_NOTE, "404.html", "error page"));
	/* Gopher: the document as text, the file at its path, as text. */
	CHECK(routes_find(&s->gopher, "/archive/all.txt", 16) != NULL);
	r = routes_find(&s->gopher, "/humans.txt", 11);
	CHECK(r != NULL && r->len >= 6 && memcmp(r->body, "By T.", 5) == 0);
	CHECK(routes_find(&s->gopher, "/api/index.json", 15) != NULL);
	CHECK_INT(d.errors, 0);
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * What Liquid sees of the collections and the pages, as Jekyll gives
 * it: site.collections by label, a collection with output: false read
 * but never served, page.collection, site.documents, site.html_pages,
 * site.static_files with their collections, a page's title only from
 * its front matter, and a page's content as written until Jekyll, which
 * renders the pages by name, has rendered it.
 */
static void
test_liquid_objects(void)
{
	struct diags	 d;
	struct snapshot	*s;
	const char	*t;

	fresh_root();
	put("_config.yml", "title: T\ncollections:\n"
	    "  crew: {output: false, shift: late}\n"
	    "  walks: {output: true}\n");
	put("_posts/2021-01-01-one.md", "---\ntitle: One\n---\nOne.\n");
	put("_crew/ada.md", "---\nname: Ada\n---\nAda *rows*.\n");
	put("_crew/rota.txt", "rota\n");
	put("_walks/pier.md", "---\ntitle: Pier\n---\nPier.\n");
	put("_walks/map.gpx", "map\n");
	put("a.md", "---\ntitle: A\n---\n"
	    "C: {% for c in site.collections %}{{ c.label }}/{{ c.output }}/"
	    "{{ c.relative_directory }}/{{ c.docs | size }}/{{ c.files | "
	    "map: 'name' | join: '+' }}/{{ c.shift }} {% endfor %}\n\n"
	    "S: {{ site.crew.first.name }} {{ site.crew.first.collection }} "
	    "{{ site.crew.first.content | strip }} [{{ page.collection }}] "
	    "{{ site.walks.first.collection }}\n\n"
	    "D: {{ site.documents | map: 'collection' | join: ',' }}\n\n"
	    "H: {{ site.html_pages | map: 'name' | join: ',' }}\n\n"
	    "P: {{ site.pages | map: 'name' | join: ',' }} "
	    "{{ site.pages | map: 'title' | compact | join: ',' }}\n\n"
	    "F: {% for f in site.static_files %}{{ f.name }}:"
	    "{{ f.collection }} {% endfor %}\n\n"
	    "{% for p in site.pages %}{% if p.name != 'a.md' %}"
	    "{{ p.name }}={{ p.content | strip }} {% endif %}{% endfor %}\n");
	put("b.html", "---\ntitle: B\n---\n<p>B {{ page.title }}</p>\n");
	put("c.json", "---\n---\n[{{ page.title }}]\n");
	put("img/x.png", "png");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	t = body(s, "/a.gmi");
	CHECK(t != NULL && strstr(t, "\nC: crew/false/_crew/1/rota.txt/late "
	    "posts/true/_posts/1// walks/true/_walks/1/map.gpx/\n") != NULL);
	CHECK(t != NULL && strstr(t, "\nS: Ada crew <p>Ada rows.</p> [] "
	    "walks\n") != NULL);
	CHECK(t != NULL && strstr(t, "\nD: posts,crew,crew,walks,walks\n") !=
	    NULL);
	CHECK(t != NULL && strstr(t, "\nH: a.md,b.html\n") != NULL);
	CHECK(t != NULL && strstr(t, "\nP: a.md,b.html,c.json A,B\n") != NULL);
	CHECK(t != NULL && strstr(t, "\nF: x.png: rota.txt:crew "
	    "map.gpx:walks\n") != NULL);
	/* Not rendered yet when a.md renders: their bodies as written. */
	CHECK(t != NULL && strstr(t, "\nb.html=<p>B {{ page.title }}</p> "
	    "c.json=[{{ page.title }}]\n") != NULL);
	CHECK(body(s, "/crew/ada.gmi") == NULL && body(s,
	    "/_crew/rota.txt") == NULL && body(s, "/crew/rota.txt") == NULL);
	CHECK(body(s, "/walks/pier.gmi") != NULL);
	CHECK_INT(s->npages, 4);
	CHECK_INT(d.errors, 0);
	snapshot_unref(s);
	diag_free(&d);
}

/* Categories a/b and a-b, tags x/y and x-y: each clash reported, both served. */
static void
test_taxon_clash(void)
{
	struct site_options	 o = { .hostname = "localhost",
	    .gemini_port = 1965, .gopher_port = 70,
	    .permalink = PERMALINK_POSTS };
	struct diags		 d = { 0 };
	struct snapshot		*s;
	const struct route	*r;

	fresh_root();
	put("_config.yml", "title: T\n");
	put("_posts/2021-01-01-one.md", "---\ncategories: [a/b]\n"
	    "tags: [x/y]\n---\nOne.\n");
	put("_posts/2021-01-02-two.md", "---\ncategories: [a-b]\n"
	    "tags: [x-y]\n---\nTwo.\n");
	o.root = root;
	s = site_build(&o, &d);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(s->ncategories, 2);
	CHECK(body(s, "/categories/a-b.gmi") != NULL);
	CHECK(body(s, "/categories/a-b-2.gmi") != NULL);
	CHECK(body(s, "/tags/x-y.gmi") != NULL);
	CHECK(body(s, "/tags/x-y-2.gmi") != NULL);
	CHECK(has_diag(&d, DIAG_WARNING, "", "category 'a/b' would be at "
	    "/categories/a-b.gmi") || has_diag(&d, DIAG_WARNING, "",
	    "category 'a-b' would be at /categories/a-b.gmi"));
	CHECK(has_diag(&d, DIAG_WARNING, "", "tag '"));
	/* The Gopher menus of both. */
	r = routes_find(&s->gopher, "/categories/a-b/", 16);
	CHECK(r != NULL);
	r = routes_find(&s->gopher, "/categories/a-b-2/", 18);
	CHECK(r != NULL);
	snapshot_unref(s);
	diag_free(&d);
}

static void
test_missing_root(void)
{
	struct site_options	 o = { .root = "/nonexistent/capsule" };
	struct diags		 d = { 0 };

	CHECK(site_build(&o, &d) == NULL);
	CHECK_INT(d.errors, 1);
	diag_free(&d);
}

/*
 * Liquid with the site's objects: site (config keys, posts newest
 * first, tags, pages), page (front matter of any shape, Jekyll's keys,
 * the neighbours), include with parameters, include_relative, content
 * and markdownify; an include that leads out of the root is not read.
 */
static void
test_liquid(void)
{
	struct diags	 d;
	struct snapshot	*s;
	const char	*b;
	char		*p;

	fresh_root();
	put("_posts/2020-01-01-old.md", "---\ntitle: Old\ntags: [x]\n"
	    "---\nOld *body*.\n");
	put("_posts/2020-02-01-new.md", "---\ntitle: New\ntags: [x, y]\n"
	    "meta: {n: 3, list: [a, b]}\n---\n"
	    "{{ page.meta.n | plus: 1 }} {{ page.meta.list | join: '+' }} "
	    "{{ page.date | date: '%Y/%m' }} {{ page.tags | size }} "
	    "{{ page.previous.title }} [{{ page.next.title }}] "
	    "{{ site.title }} {{ site.url }} {{ site.baseurl }}\n\n"
	    "{% include card.html who=page.title %}\n");
	put("_includes/card.html", "Card for {{ include.who }}.");
	put("guide/index.md", "---\ntitle: Guide\n---\n"
	    "{% include_relative part.txt %}\n\n"
	    "{% for post in site.posts %}{{ forloop.index }}:{{ post.title }}"
	    "@{{ post.url }} {% endfor %}\n\n"
	    "Tagged x: {{ site.tags.x | map: 'title' | join: ', ' }}.\n\n"
	    "{{ site.posts.last.content | strip }}\n\n"
	    "{{ '## Made *here*' | markdownify }}\n\n"
	    "{% include passwd.txt %}Pages: {{ site.pages | size }}.\n");
	put("guide/part.txt", "The part beside it.");
	/* Its own content, while it renders: its source (31 bytes). */
	put("self.md", "---\ntitle: Self\n---\nSelf {{ page.content | size }}\n");
	p = site_path_join(root, "_includes/passwd.txt");
	CHECK(symlink("/etc/passwd", p) == 0);
	free(p);
	s = build(&d, PERMALINK_POSTS);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	b = body(s, "/posts/2020-02-01-new.gmi");
	CHECK(b != NULL && strstr(b, "\n4 a+b 2020/02 2 Old [] Test Site "
	    "https://example.org /blog\n") != NULL);
	CHECK(b != NULL && strstr(b, "\nCard for New.\n") != NULL);
	b = body(s, "/guide/index.gmi");
	CHECK(b != NULL && strstr(b, "\nThe part beside it.\n") != NULL);
	CHECK(b != NULL && strstr(b, "\n1:New@/posts/2020-02-01-new.gmi "
	    "2:Old@/posts/2020-01-01-old.gmi\n") != NULL);
	CHECK(b != NULL && strstr(b, "\nTagged x: New, Old.\n") != NULL);
	CHECK(b != NULL && strstr(b, "\nOld body.\n") != NULL);
	CHECK(b != NULL && strstr(b, "\n## Made here\n") != NULL);
	CHECK(b != NULL && strstr(b, "root:") == NULL);
	CHECK(b != NULL && strstr(b, "\nPages: 2.\n") != NULL);
	b = body(s, "/self.gmi");
	CHECK(b != NULL && strstr(b, "\nSelf 31\n") != NULL);
	CHECK(has_diag(&d, DIAG_ERROR, "guide/index.md",
	    "Could not locate the included file 'passwd.txt'"));
	CHECK_INT(d.errors, 1);
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * kramdown's options: Jekyll's defaults under _config.yml's own, for
 * Liquid (site.kramdown) and for the conversion.
 */
static void
test_kramdown_options(void)
{
	static const char	*post = "---\ntitle: P\n---\n"
	    "{{ site.kramdown.input }} {{ site.kramdown.auto_ids }} "
	    "{{ site.kramdown.toc_levels | join: ',' }} "
	    "{{ site.kramdown.smart_quotes }}\n\n"
	    "A \"quoted\" one.\n\n<div>\n*em* text\n</div>\n";
	struct diags		 d;
	struct snapshot		*s;
	const char		*b;

	/* None given: Jekyll's. */
	fresh_root();
	put("_posts/2020-01-01-p.md", post);
	if ((s = build(&d, PERMALINK_POSTS)) == NULL) {
		CHECK(s != NULL);
		return;
	}
	b = body(s, "/posts/2020-01-01-p.gmi");
	CHECK(b != NULL && strstr(b, "\nGFM true 1,2,3,4,5,6 "
	    "lsquo,rsquo,ldquo,rdquo\n") != NULL);
	CHECK(b != NULL && strstr(b, "\nA \xe2\x80\x9cquoted\xe2\x80\x9d "
	    "one.\n") != NULL);
	CHECK(b != NULL && strstr(b, "\n*em* text\n") != NULL);
	CHECK_INT(d.warnings, 0);
	snapshot_unref(s);
	diag_free(&d);

	/* The site's, merged key by key with Jekyll's. */
	put("_config.yml", "title: T\nkramdown:\n  input: kramdown\n"
	    "  smart_quotes: apos,apos,quot,quot\n"
	    "  parse_block_html: true\n");
	if ((s = build(&d, PERMALINK_POSTS)) == NULL) {
		CHECK(s != NULL);
		return;
	}
	b = body(s, "/posts/2020-01-01-p.gmi");
	CHECK(b != NULL && strstr(b, "\nkramdown true 1,2,3,4,5,6 "
	    "apos,apos,quot,quot\n") != NULL);
	CHECK(b != NULL && strstr(b, "\nA \"quoted\" one.\n") != NULL);
	CHECK(b != NULL && strstr(b, "\nem text\n") != NULL);
	CHECK_INT(d.warnings, 0);
	snapshot_unref(s);
	diag_free(&d);

	/* What kramdown would refuse: Jekyll's quotes, and a warning. */
	put("_config.yml", "title: T\nkramdown:\n  smart_quotes: lsquo\n");
	if ((s = build(&d, PERMALINK_POSTS)) == NULL) {
		CHECK(s != NULL);
		return;
	}
	b = body(s, "/posts/2020-01-01-p.gmi");
	CHECK(b != NULL && strstr(b, "\nA \xe2\x80\x9cquoted\xe2\x80\x9d "
	    "one.\n") != NULL);
	CHECK(has_diag(&d, DIAG_WARNING, "_config.yml", "smart_quotes"));
	snapshot_unref(s);
	diag_free(&d);
}

/*
 * Incremental reload: a tree edited at random (a post changed, added,
 * removed, touched, _config.yml's kramdown options, an include, a date
 * that moves a post others link to), built with the last snapshot
 * after each edit, gives the routes and diagnostics of a cold build;
 * and the posts that did not change were taken from the last build.
 */
#define INCR_SLOTS	16

struct incr_tree {
	int		 version[INCR_SLOTS];	/* 0: no such post */
	int		 day[INCR_SLOTS];
	int		 quotes, note;
	unsigned	 seed;
};

static unsigned
incr_rand(struct incr_tree *t, unsigned n)
{
	t->seed = t->seed * 1103515245u + 12345u;
	return (t->seed >> 16) % n;
}

static char *
incr_post_name(const struct incr_tree *t, int k)
{
	return xasprintf("_posts/2020-01-%02d-p%d.md", t->day[k], k);
}

static void
incr_put_post(const struct incr_tree *t, int k)
{
	char	*name, *text;
	int	 j = (k + 1) % INCR_SLOTS;

	name = incr_post_name(t, k);
	/* Links to the next slot's post, by URL: it may move or go. */
	text = xasprintf("---\ntitle: Post %d v%d\n%s---\n\n"
	    "Intro %d, \"quoted\" v%d.\n\n"
	    "[next](/blog/2020/01/%02d/p%d/), [about](/about/), "
	    "[gone](/nowhere/) and a note[^1].\n\n%s\n\n[^1]: Foot %d.\n",
	    k, t->version[k], k % 4 == 0 ? "excerpt: \"Ex [a](/about/)\"\n" :
	    "", k, t->version[k], t->day[j], j,
	    k % 3 == 0 ? "{% include note.html %}" : "", k);
	put(name, text);
	free(text);
	free(name);
}

static void
incr_put_config(const struct incr_tree *t)
{
	char	*text;

	text = xasprintf("title: T\nurl: https://example.org\n"
	    "baseurl: /blog\npermalink: /:year/:month/:day/:title/\n%s",
	    t->quotes ? "kramdown:\n  smart_quotes: apos,apos,quot,quot\n" :
	    "");
	put("_config.yml", text);
	free(text);
}

static void
incr_put_note(const struct incr_tree *t)
{
	char	*text;

	text = xasprintf("A note, v%d.\n", t->note);
	put("_includes/note.html", text);
	free(text);
}

static void
incr_remove(const struct incr_tree *t, int k)
{
	char	*name, *path;

	name = incr_post_name(t, k);
	path = site_path_join(root, name);
	unlink(path);
	free(path);
	free(name);
}

static struct snapshot *
incr_build(struct diags *d, struct snapshot *last, bool keep, int threads)
{
	struct site_options	o = { .root = root, .hostname = "localhost",
	    .gemini_port = 1965, .gopher_host = "localhost",
	    .gopher_port = 70, .permalink = PERMALINK_JEKYLL,
	    .build_threads = threads, .keep = keep, .last = last };

	memset(d, 0, sizeof(*d));
	return site_build(&o, d);
}

/* What a route answers: its bytes, or the menu its recipe makes. */
static char *
incr_answer(const struct route *r, size_t *lenp)
{
	char	*p;

	if (r->kind == ROUTE_RECIPE)
		return gopher_recipe_expand(r->body, r->len, lenp);
	p = xmalloc(r->len + 1);
	memcpy(p, r->body, r->len);
	*lenp = r->len;
	return p;
}

static bool
incr_same_routes(const struct routes *a, const struct routes *b)
{
	const struct route	*r, *s;
	char			*x, *y;
	size_t			 i, nx, ny;
	bool			 same;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		r = &a->v[i];
		s = routes_find(b, r->path, strlen(r->path));
		if (s == NULL)
			return false;
		x = incr_answer(r, &nx);
		y = incr_answer(s, &ny);
		same = nx == ny && memcmp(x, y, nx) == 0;
		free(x);
		free(y);
		if (!same || s->kind != r->kind ||
		    (r->type == NULL) != (s->type == NULL) ||
		    (r->type != NULL && strcmp(r->type, s->type) != 0)) {
			fprintf(stderr, "route %s differs\n", r->path);
			return false;
		}
	}
	return true;
}

static char *
incr_diags(const struct diags *d)
{
	char	*text = NULL;
	size_t	 len;
	FILE	*fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		exit(2);
	diag_print(d, fp);
	fclose(fp);
	return text;
}

static size_t
incr_posts(const struct incr_tree *t)
{
	size_t	n = 0;
	int	k;

	for (k = 0; k < INCR_SLOTS; k++)
		n += t->version[k] > 0;
	return n;
}

static void
test_incremental(void)
{
	static const unsigned	 seeds[] = { 1, 7, 42 };
	struct incr_tree	 t;
	struct diags		 dl, dc;
	struct snapshot		*last, *snap, *cold;
	struct timespec		 ts[2];
	char			*a, *b, *name, *path;
	size_t			 reused = 0, s, round, want;
	int			 k, op;

	for (s = 0; s < sizeof(seeds) / sizeof(*seeds); s++) {
		fresh_root();
		memset(&t, 0, sizeof(t));
		t.seed = seeds[s];
		incr_put_config(&t);
		incr_put_note(&t);
		put("about.md", "---\ntitle: About\npermalink: /about/\n---\n"
		    "About.\n");
		for (k = 0; k < INCR_SLOTS / 2; k++) {
			t.version[k] = 1;
			t.day[k] = k + 1;
		}
		for (k = 0; k < INCR_SLOTS; k++)
			if (t.version[k] > 0)
				incr_put_post(&t, k);
		last = incr_build(&dl, NULL, true, 2);
		diag_free(&dl);
		for (round = 0; round < 24 && last != NULL; round++) {
			op = (int)incr_rand(&t, 7);
			k = (int)incr_rand(&t, INCR_SLOTS);
			want = SIZE_MAX;
			switch (op) {
			case 0:		/* a post changed */
			case 1:		/* added */
				if (t.version[k] == 0)
					t.day[k] = 1 + (int)incr_rand(&t, 28);
				else if (op == 0)
					want = incr_posts(&t) - 1;
				t.version[k]++;
				incr_put_post(&t, k);
				break;
			case 2:		/* removed */
				if (t.version[k] > 0)
					incr_remove(&t, k);
				t.version[k] = 0;
				break;
			case 3:		/* touched, the same bytes */
				if (t.version[k] == 0)
					break;
				name = incr_post_name(&t, k);
				path = site_path_join(root, name);
				clock_gettime(CLOCK_REALTIME, &ts[0]);
				ts[0].tv_sec += 10 + (time_t)round;
				ts[1] = ts[0];
				utimensat(AT_FDCWD, path, ts, 0);
				free(path);
				free(name);
				want = incr_posts(&t);
				break;
			case 4:		/* kramdown's options */
				t.quotes = !t.quotes;
				incr_put_config(&t);
				want = 0;
				break;
			case 5:		/* an include */
				t.note++;
				incr_put_note(&t);
				break;
			default:	/* moved: a new date */
				if (t.version[k] == 0)
					break;
				incr_remove(&t, k);
				t.day[k] = 1 + (int)incr_rand(&t, 28);
				incr_put_post(&t, k);
				break;
			}
			snap = incr_build(&dl, last, true, 2);
			cold = incr_build(&dc, NULL, false, 1);
			if (snap == NULL || cold == NULL) {
				CHECK(snap != NULL && cold != NULL);
				snapshot_unref(snap);
				snapshot_unref(cold);
				diag_free(&dl);
				diag_free(&dc);
				break;
			}
			CHECK(incr_same_routes(&cold->gemini, &snap->gemini));
			CHECK(incr_same_routes(&cold->gopher, &snap->gopher));
			a = incr_diags(&dl);
			b = incr_diags(&dc);
			CHECK_STR(a, b);
			free(a);
			free(b);
			CHECK_INT(cold->reused, 0);
			if (want != SIZE_MAX)
				CHECK_INT(snap->reused, want);
			reused += snap->reused;
			snapshot_unref(cold);
			snapshot_unref(last);
			diag_free(&dl);
			diag_free(&dc);
			last = snap;
		}
		snapshot_unref(last);
	}
	/* Not a comparison of two cold builds. */
	CHECK(reused > 0);
}

/* The route at path is a redirect to target. */
static bool
redirects_to(const struct snapshot *s, const char *path, const char *target)
{
	const struct route	*r;

	r = routes_find(&s->gemini, path, strlen(path));
	return r != NULL && r->kind == ROUTE_REDIRECT &&
	    strcmp(r->body, target) == 0;
}

/*
 * jekyll-redirect-from when the site lists it (in plugins:, gems: or
 * the Gemfile's jekyll_plugins group), in Jekyll's order of writing;
 * any other plugin reported once, at its line.
 */
static void
test_redirects(void)
{
	static const char *const lists[] = {
		"plugins:\n  - jekyll-seo-tag\n  - jekyll-redirect-from\n",
		"gems: [jekyll-redirect-from]\n",
		NULL,	/* the Gemfile */
	};
	struct site_options	 o = { .hostname = "localhost",
	    .gemini_port = 1965, .gopher_port = 70 };
	struct diags		 d;
	struct snapshot		*s;
	const struct route	*r;
	size_t			 i;

	for (i = 0; i <= nitems(lists); i++) {
		fresh_root();
		o.root = root;
		if (i < nitems(lists) && lists[i] != NULL)
			put("_config.yml", lists[i]);
		else if (i < nitems(lists))
			put("Gemfile", "source \"https://rubygems.org\"\n"
			    "group :jekyll_plugins do\n"
			    "  gem \"jekyll-redirect-from\", \"~> 0.16\"\n"
			    "end\n");
		else	/* not listed: nothing done */
			put("Gemfile", "gem \"jekyll-redirect-from\"\n");
		put("about.md", "---\ntitle: About\npermalink: /about/\n"
		    "redirect_from:\n  - /about-us/\n  - /team.html\n"
		    "  - history\n  - /contact/\n---\nAbout.\n");
		put("contact.md", "---\npermalink: /contact/\n---\nHi.\n");
		put("moved.md", "---\nredirect_to: /about/\n---\n"
		    "{% unknown %}\n");
		put("away.md", "---\nredirect_to: [null, "
		    "\"https://example.net/x/\"]\n---\nAway.\n");
		put("_posts/2020-01-01-p.md", "---\nredirect_from: /p/\n"
		    "---\nSee [about](/team.html).\n");
		memset(&d, 0, sizeof(d));
		if ((s = site_build(&o, &d)) == NULL) {
			CHECK(s != NULL);
			return;
		}
		if (i == nitems(lists)) {
			CHECK(!redirects_to(s, "/about-us.gmi", "/about.gmi"));
			CHECK(strstr(body(s, "/moved.gmi"), "unknown") ==
			    NULL);
			CHECK(body(s, "/contact.gmi") != NULL);
			CHECK_INT(d.warnings, 1);	/* the Liquid tag */
			snapshot_unref(s);
			diag_free(&d);
			continue;
		}
		CHECK(redirects_to(s, "/about-us.gmi", "/about.gmi"));
		CHECK(redirects_to(s, "/team.gmi", "/about.gmi"));
		CHECK(redirects_to(s, "/history.gmi", "/about.gmi"));
		CHECK(redirects_to(s, "/p.gmi",
		    "/posts/2020-01-01-p.gmi"));
		CHECK(redirects_to(s, "/moved.gmi", "/about.gmi"));
		CHECK(redirects_to(s, "/away.gmi", "https://example.net/x/"));
		/* Written after the page of that path, as Jekyll writes it. */
		CHECK(redirects_to(s, "/contact.gmi", "/about.gmi"));
		CHECK(has_diag(&d, DIAG_WARNING, "contact.md",
		    "already served"));
		/* redirect_to replaces the content: its Liquid never runs. */
		CHECK_INT(d.warnings, 1);
		CHECK_INT(d.errors, 0);
		/* A link to a redirect's path: to the document. */
		CHECK(strstr(body(s, "/posts/2020-01-01-p.gmi"),
		    "=> /about.gmi about") != NULL);
		/* Gopher: the redirect's selectors lead to the document. */
		r = routes_find(&s->gopher, "/team/", 6);
		CHECK(r != NULL && r->kind == ROUTE_RECIPE);
		r = routes_find(&s->gopher, "/team.txt", 9);
		CHECK(r != NULL && strstr(r->body, "moved") != NULL);
		r = routes_find(&s->gopher, "/away.txt", 9);
		CHECK(r != NULL && strstr(r->body, "https://example.net/x/"));
		snapshot_unref(s);
		diag_free(&d);
	}

	/* A plugin capsuled does not know: one warning, at its line. */
	fresh_root();
	put("_config.yml", "title: T\nplugins:\n  - jekyll-feed\n"
	    "  - jekyll-spaceship\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	CHECK_INT(d.warnings, 1);
	CHECK_INT(count_diag(&d, "_config.yml", 4, "jekyll-spaceship"), 1);
	snapshot_unref(s);
	diag_free(&d);
}

/* The page whose source is src, or NULL. */
static const struct page *
page_of(const struct snapshot *s, const char *src)
{
	size_t	i;

	for (i = 0; i < s->npages; i++)
		if (strcmp(s->pages[i].source, src) == 0)
			return &s->pages[i];
	return NULL;
}

static bool
is_static(const struct snapshot *s, const char *path)
{
	size_t	i;

	for (i = 0; i < s->nstatics; i++)
		if (strcmp(s->statics[i].path, path) == 0)
			return true;
	return false;
}

/*
 * jekyll-titles-from-headings (TITLE_REGEX: one to three #, or an
 * underlined line, first in the body; markup out) and
 * jekyll-optional-front-matter (README and the like aside; the file
 * still copied unless remove_originals), only when listed.
 */
static void
test_titles_optional(void)
{
	struct diags		 d;
	struct snapshot		*s;
	const struct page	*pg;
	int			 listed;

	for (listed = 0; listed < 2; listed++) {
		fresh_root();
		if (listed)
			put("_config.yml", "plugins:\n"
			    "  - jekyll-titles-from-headings\n"
			    "  - jekyll-optional-front-matter\n"
			    "collections:\n  notes:\n    output: true\n"
			    "titles_from_headings:\n  collections: true\n");
		else
			put("_config.yml", "collections:\n  notes:\n"
			    "    output: true\n");
		put("atx.md", "---\n---\n\n# Moorings ##\nText.\n");
		put("setext.md", "---\n---\nThe *big* `storm`\n===\n\n"
		    "Text.\n");
		put("deep.md", "---\n---\n#### Deep\nText.\n");
		put("later.md", "---\n---\nText.\n\n# Later\n");
		put("titled.md", "---\ntitle: Kept\n---\n# Heading\n");
		put("strip.md", "---\nstrip_title: true\n---\n"
		    "## Gone [^1]\n\nStays.\n");
		put("_notes/n.md", "---\ntitle: Front\n---\n# Over it\n");
		put("bare.md", "# Bare heading\n\nNo front matter.\n");
		put("README.md", "# Read me\n");
		put("docs/CONTRIBUTING.md", "# How\n");
		if ((s = build(&d, PERMALINK_POSTS)) == NULL) {
			CHECK(s != NULL);
			return;
		}
		if (!listed) {
			CHECK_STR(page_of(s, "atx.md")->title, "Atx");
			CHECK_STR(page_of(s, "_notes/n.md")->title, "Front");
			CHECK(page_of(s, "bare.md") == NULL);
			CHECK(is_static(s, "/bare.md"));
			CHECK(strstr(body(s, "/strip.gmi"), "Gone") != NULL);
			snapshot_unref(s);
			diag_free(&d);
			continue;
		}
		CHECK_STR(page_of(s, "atx.md")->title, "Moorings ##");
		CHECK_STR(page_of(s, "setext.md")->title, "The big storm");
		CHECK_STR(page_of(s, "deep.md")->title, "Deep");
		CHECK_STR(page_of(s, "later.md")->title, "Later");
		CHECK(strncmp(body(s, "/later.gmi"), "# Later\n", 8) == 0);
		CHECK_STR(page_of(s, "titled.md")->title, "Kept");
		/* A document's heading wins, with collections: true. */
		CHECK_STR(page_of(s, "_notes/n.md")->title, "Over it");
		pg = page_of(s, "strip.md");
		CHECK(pg != NULL && strcmp(pg->title, "Gone") == 0);
		CHECK(strstr(body(s, "/strip.gmi"), "## Gone") == NULL);
		CHECK(strstr(body(s, "/strip.gmi"), "Stays.") != NULL);
		CHECK(body(s, "/bare.gmi") != NULL);
		CHECK_STR(page_of(s, "bare.md")->title, "Bare heading");
		CHECK(is_static(s, "/bare.md"));
		CHECK(page_of(s, "README.md") == NULL);
		CHECK(page_of(s, "docs/CONTRIBUTING.md") == NULL);
		CHECK(is_static(s, "/README.md"));
		CHECK_INT(d.errors, 0);
		snapshot_unref(s);
		diag_free(&d);
	}

	/* remove_originals: the page alone. */
	put("_config.yml", "plugins: [jekyll-optional-front-matter]\n"
	    "optional_front_matter:\n  remove_originals: true\n");
	if ((s = build(&d, PERMALINK_POSTS)) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK(body(s, "/bare.gmi") != NULL);
	CHECK(!is_static(s, "/bare.md"));
	snapshot_unref(s);
	diag_free(&d);
}

/* jemoji: the emoji names of the text when the site lists it alone. */
static void
test_jemoji(void)
{
	struct diags		 d;
	struct snapshot		*s;
	int			 listed;

	for (listed = 0; listed < 2; listed++) {
		fresh_root();
		put("_config.yml", listed ? "plugins: [jemoji]\n" : "title: T\n");
		put("note.md", "---\n---\nShipped :rocket: `:rocket:`\n");
		if ((s = build(&d, PERMALINK_POSTS)) == NULL) {
			CHECK(s != NULL);
			return;
		}
		CHECK(strstr(body(s, "/note.gmi"), listed ?
		    "Shipped \xf0\x9f\x9a\x80 `:rocket:`" :
		    "Shipped :rocket: `:rocket:`") != NULL);
		CHECK_INT(d.errors, 0);
		CHECK_INT(d.warnings, 0);
		snapshot_unref(s);
		diag_free(&d);
	}
}

/*
 * timezone: the dates of the front matter and the file names, the
 * permalinks and Liquid's dates in that zone, as Jekyll has them; a
 * name the tz database lacks reported at its line, the build's thread
 * left in its own zone.
 */
static void
test_timezone(void)
{
	struct diags		 d;
	struct snapshot		*s;
	struct value_time	 t, want;

	if (access("/usr/share/zoneinfo/Asia/Tokyo", R_OK) == -1)
		SKIP("no tz database (contrib/deps.sh --test: tzdata)");
	fresh_root();
	put("_config.yml", "title: T\npermalink: date\n"
	    "timezone: Asia/Tokyo\n");
	put("_posts/2020-01-01-late.md", "---\ndate: 2020-01-01 20:00:00\n"
	    "---\n{{ page.date | date: \"%Y-%m-%d %H:%M %Z\" }}\n");
	put("_posts/2020-01-01-plain.md", "---\n---\n"
	    "{{ page.date | date: \"%H:%M %z\" }}\n");
	s = build(&d, PERMALINK_JEKYLL);
	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(s->nposts, 2);
	CHECK_STR(s->posts[0].path, "/2020/01/02/late.gmi");
	CHECK_STR(s->posts[0].date, "2020-01-02");
	CHECK(strstr(body(s, "/2020/01/02/late.gmi"),
	    "2020-01-02 05:00 JST") != NULL);
	CHECK_STR(s->posts[1].path, "/2020/01/01/plain.gmi");
	CHECK(strstr(body(s, "/2020/01/01/plain.gmi"), "00:00 +0900") !=
	    NULL);
	CHECK_INT(d.warnings, 0);
	snapshot_unref(s);
	diag_free(&d);
	memset(&t, 0, sizeof(t));
	t.sec = 1577880000;
	want = t;
	value_time_local(&t);
	value_zone_use(NULL);
	value_time_local(&want);
	CHECK_INT(t.offset, want.offset);

	put("_config.yml", "title: T\ntimezone: Mars/Olympus_Mons\n");
	s = build(&d, PERMALINK_POSTS);
	CHECK(s != NULL);
	CHECK_INT(count_diag(&d, "_config.yml", 2, "timezone"), 1);
	CHECK_INT(d.warnings, 1);
	snapshot_unref(s);
	diag_free(&d);
}

int
main(void)
{
	RUN(test_scan);
	RUN(test_atom_updated);
	RUN(test_posts);
	RUN(test_jekyll_paths);
	RUN(test_bad_posts);
	RUN(test_path_clash);
	RUN(test_redirects);
	RUN(test_titles_optional);
	RUN(test_timezone);
	RUN(test_jemoji);
	RUN(test_source_reads);
	RUN(test_summaries);
	RUN(test_symlinks);
	RUN(test_reproducible);
	RUN(test_map_url);
	RUN(test_export);
	RUN(test_reload);
	RUN(test_entry_rules);
	RUN(test_posts_anywhere);
	RUN(test_site_time);
	RUN(test_collections);
	RUN(test_big_collection);
	RUN(test_data);
	RUN(test_taxon_clash);
	RUN(test_rendered_pages);
	RUN(test_liquid_objects);
	RUN(test_missing_root);
	RUN(test_liquid);
	RUN(test_kramdown_options);
	RUN(test_incremental);
	RUN(test_last_good);
	if (root != NULL)
		rm_tree(root);
	return HARNESS_END();
}
