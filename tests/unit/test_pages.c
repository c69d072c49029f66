/* Generated documents: home, archive, taxonomies, Atom, robots.txt. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "site/site-int.h"
#include "core/core.h"

static char *cats_a[] = { "BPF", NULL };
static char *tags_a[] = { "eBPF", "XDP & <tc>", NULL };
static size_t bpf_posts[] = { 0, 2 };
static size_t ebpf_posts[] = { 0 };

static struct post posts[] = {
	{ .source = "_posts/2023-11-03-co-re.md",
	  .name = "2023-11-03-co-re", .slug = "co-re", .date = "2023-11-03",
	  .updated = "2023-11-03T00:00:00Z",
	  .title = "Did you know? CO-RE", .author = "Q. M.",
	  .excerpt = "Compile once & run \"everywhere\"", .lang = "en",
	  .categories = cats_a, .ncategories = 1, .tags = tags_a, .ntags = 2,
	  .path = "/posts/2023-11-03-co-re.gmi",
	  .url = "/posts/2023-11-03-co-re.gmi" },
	{ .source = "_posts/news/2017-12-04-offload.markdown",
	  .name = "2017-12-04-offload", .slug = "offload", .date = "2017-12-04",
	  .updated = "2017-12-04T00:00:00Z",
	  .title = "Offload is coming", .lang = "en",
	  .path = "/posts/2017-12-04-offload.gmi",
	  .url = "/posts/2017-12-04-offload.gmi" },
	{ .source = "_posts/2017-02-21-os #1.md",
	  .name = "2017-02-21-os", .slug = "os", .date = "2017-02-11",
	  .updated = "2024-05-06T07:08:09Z",	/* last_modified_at */
	  .title = "OpenState", .lang = "en", .categories = cats_a,
	  .ncategories = 1,
	  .path = "/posts/2017-02-21-os.gmi",
	    .url = "/posts/2017-02-21-os.gmi" },
};

static struct page pages[] = {
	{ .source = "about.md", .title = "About", .path = "/about.gmi",
	  .url = "/about.gmi" },
};

static struct taxon cats[] = {
	{ .name = "BPF", .path = "/categories/BPF.gmi",
	  .url = "/categories/BPF.gmi", .posts = bpf_posts, .nposts = 2 },
};

static struct taxon tags[] = {
	{ .name = "XDP & <tc>", .path = "/tags/XDP & <tc>.gmi",
	  .url = "/tags/XDP%20&%20%3Ctc%3E.gmi", .posts = ebpf_posts,
	  .nposts = 1 },
};

static struct diags	diags;

static void
fixture(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->config.title = "Whirl Offload";
	s->config.description = "Fast networking.";
	s->config.author = "Quentin Monnet";
	s->config.lang = "en";
	s->posts = posts;
	s->nposts = nitems(posts);
	s->pages = pages;
	s->npages = nitems(pages);
	s->categories = cats;
	s->ncategories = nitems(cats);
	s->tags = tags;
	s->ntags = nitems(tags);
}

/* Render a generated document to gemtext; the caller frees. */
static char *
gemtext(struct doc *d)
{
	struct buf	out = BUF_INIT;

	doc_write_gemtext(d, &out);
	doc_free(d);
	return buf_detach(&out, NULL);
}

static void
test_home(void)
{
	struct snapshot	 s;
	struct doc	 d = { 0 };
	char		*g;

	fixture(&s);
	pages_home(&s, &d);
	g = gemtext(&d);
	CHECK_STR(g,
	    "# Whirl Offload\n"
	    "\n"
	    "Fast networking.\n"
	    "\n"
	    "=> /about.gmi About\n"
	    "=> /archive.gmi Archive\n"
	    "=> /categories.gmi Categories\n"
	    "=> /tags.gmi Tags\n"
	    "=> /atom.xml Atom feed\n"
	    "\n"
	    "=> /posts/2023-11-03-co-re.gmi 2023-11-03 - Did you know? CO-RE\n"
	    "=> /posts/2017-12-04-offload.gmi 2017-12-04 - Offload is coming\n"
	    "=> /posts/2017-02-21-os.gmi 2017-02-11 - OpenState\n");
	free(g);
}

/* A gemlog needs exactly one level-1 heading, the first line. */
static void
test_home_one_heading(void)
{
	struct snapshot	 s;
	struct doc	 d = { 0 };
	size_t		 i, n = 0;

	fixture(&s);
	pages_home(&s, &d);
	for (i = 0; i < d.n; i++)
		if (d.lines[i].kind == LINE_HEADING && d.lines[i].level == 1)
			n++;
	CHECK_INT(n, 1);
	CHECK_INT(d.lines[0].kind, LINE_HEADING);
	doc_free(&d);
}

static void
test_archive(void)
{
	struct snapshot	 s;
	struct doc	 d = { 0 };
	char		*g;

	fixture(&s);
	pages_archive(&s, &d);
	g = gemtext(&d);
	CHECK_STR(g,
	    "# Archive\n"
	    "\n"
	    "## 2023\n"
	    "\n"
	    "=> /posts/2023-11-03-co-re.gmi 2023-11-03 - Did you know? CO-RE\n"
	    "\n"
	    "## 2017\n"
	    "\n"
	    "=> /posts/2017-12-04-offload.gmi 2017-12-04 - Offload is coming\n"
	    "=> /posts/2017-02-21-os.gmi 2017-02-11 - OpenState\n");
	free(g);
}

static void
test_taxonomies(void)
{
	struct snapshot	 s;
	struct doc	 d = { 0 };
	char		*g;

	fixture(&s);
	pages_taxonomy(&s, false, &d);
	g = gemtext(&d);
	CHECK_STR(g,
	    "# Categories\n"
	    "\n"
	    "=> /categories/BPF.gmi BPF (2 posts)\n"
	    "\n"
	    "## BPF\n"
	    "\n"
	    "=> /posts/2023-11-03-co-re.gmi 2023-11-03 - Did you know? CO-RE\n"
	    "=> /posts/2017-02-21-os.gmi 2017-02-11 - OpenState\n");
	free(g);
	pages_taxon(&s, &tags[0], true, &d);
	g = gemtext(&d);
	CHECK_STR(g,
	    "# Posts tagged XDP & <tc>\n"
	    "\n"
	    "=> /posts/2023-11-03-co-re.gmi 2023-11-03 - Did you know? CO-RE\n"
	    "\n"
	    "=> /tags.gmi All tags\n");
	free(g);
	s.ntags = 0;
	pages_taxonomy(&s, true, &d);
	g = gemtext(&d);
	CHECK_STR(g, "# Tags\n\nNo tags.\n");
	free(g);
}

static void
test_base_url(void)
{
	struct site_options	 o = { .hostname = "example.org",
	    .gemini_port = 1965 };
	char			*u;

	u = pages_base_url(&o);
	CHECK_STR(u, "gemini://example.org/");
	free(u);
	o.gemini_port = 1966;
	u = pages_base_url(&o);
	CHECK_STR(u, "gemini://example.org:1966/");
	free(u);
	o.hostname = "::1";
	u = pages_base_url(&o);
	CHECK_STR(u, "gemini://[::1]:1966/");
	free(u);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

static void
test_atom(void)
{
	struct site_options	 o = { .hostname = "example.org",
	    .gemini_port = 1965 };
	struct snapshot		 s;
	struct buf		 b = BUF_INIT;

	fixture(&s);
	pages_atom(&s, &o, &b);
	CHECK(strncmp(b.data, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
	    39) == 0);
	CHECK(strstr(b.data, "<feed xmlns=\"http://www.w3.org/2005/Atom\"")
	    != NULL);
	CHECK(strstr(b.data, "  <id>gemini://example.org/</id>\n") != NULL);
	/* Entries: tag URIs of the source, named by the first host here. */
	CHECK(strstr(b.data, "    <id>tag:example.org,2023-11-03:"
	    "_posts/2023-11-03-co-re</id>\n") != NULL);
	CHECK(strstr(b.data, "    <id>tag:example.org,2017-12-04:"
	    "_posts/news/2017-12-04-offload</id>\n") != NULL);
	CHECK(strstr(b.data, "    <id>tag:example.org,2017-02-11:"
	    "_posts/2017-02-21-os%20%231</id>\n") != NULL);
	CHECK_INT(count(b.data, "<id>"), 4);
	/* The latest change of an entry, never the clock. */
	CHECK(strstr(b.data, "  <updated>2024-05-06T07:08:09Z</updated>\n"
	    "  <author>") != NULL);
	CHECK(strstr(b.data, "_posts/2017-02-21-os%20%231</id>\n"
	    "    <updated>2024-05-06T07:08:09Z</updated>\n") != NULL);
	CHECK(strstr(b.data, "_posts/news/2017-12-04-offload</id>\n"
	    "    <updated>2017-12-04T00:00:00Z</updated>\n") != NULL);
	CHECK_INT(count(b.data, "<entry>"), 3);
	CHECK_INT(count(b.data, "</entry>"), 3);
	CHECK(strstr(b.data, "<link href=\"gemini://example.org/posts/"
	    "2023-11-03-co-re.gmi\" rel=\"alternate\"/>") != NULL);
	CHECK(strstr(b.data, "<summary>Compile once &amp; run "
	    "&quot;everywhere&quot;</summary>") != NULL);
	/* Newest first. */
	CHECK(strstr(b.data, "co-re.gmi") < strstr(b.data, "offload.gmi"));
	CHECK(strstr(b.data, "offload.gmi") < strstr(b.data, "os.gmi"));
	CHECK(b.len > 8 && strcmp(b.data + b.len - 8, "</feed>\n") == 0);
	buf_free(&b);

	s.nposts = 0;
	pages_atom(&s, &o, &b);
	CHECK(strstr(b.data, "<updated>1970-01-01T00:00:00Z</updated>")
	    != NULL);
	CHECK_INT(count(b.data, "<entry>"), 0);
	buf_free(&b);
}

/* The ids of an Atom feed: its <id> elements, one a line. */
static char *
atom_ids(const struct snapshot *s, const struct site_options *o)
{
	struct buf	 b = BUF_INIT, ids = BUF_INIT;
	const char	*p, *e;

	pages_atom(s, o, &b);
	for (p = b.data; (p = strstr(p, "<id>")) != NULL; p = e) {
		e = strstr(p, "</id>");
		buf_append(&ids, p + 4, e - p - 4);
		buf_putc(&ids, '\n');
	}
	buf_free(&b);
	buf_putc(&ids, '\0');
	return buf_detach(&ids, NULL);
}

/*
 * The ids stay when the port changes, and when the host does too for a
 * site with a url; the feed's is its URL without the port.
 */
static void
test_atom_ids(void)
{
	struct site_options	 o = { .hostname = "example.org",
	    .gemini_port = 1965 };
	struct snapshot		 s;
	char			*a, *b, *c;

	fixture(&s);
	a = atom_ids(&s, &o);
	o.gemini_port = 11965;
	b = atom_ids(&s, &o);
	CHECK_STR(b, a);
	free(a);
	free(b);
	s.config.url = "https://Blog.Example.NET:8443/path";
	a = atom_ids(&s, &o);
	o.hostname = "gemini.example.com";
	o.gemini_port = 1965;
	b = atom_ids(&s, &o);
	c = strchr(b, '\n');
	CHECK(c != NULL && strcmp(strchr(a, '\n'), c) == 0);
	CHECK(strncmp(a, "gemini://example.org/\n", 22) == 0);
	CHECK(strstr(a, "\ntag:blog.example.net,2023-11-03:_posts/"
	    "2023-11-03-co-re\n") != NULL);
	free(a);
	free(b);
	/* A url that names no host: the first host name, never an IPv6. */
	s.config.url = "https://[2001:db8::1]/";
	o.hostname = "::1";
	a = atom_ids(&s, &o);
	CHECK(strstr(a, "\ntag:localhost,2023-11-03:") != NULL);
	free(a);
}

static void
test_publish(void)
{
	struct site_options	 o = { .hostname = "h", .gemini_port = 1965 };
	struct snapshot		 s;
	const struct route	*r, *idx;

	fixture(&s);
	pages_publish(&s, &o, &diags);
	routes_seal(&s.gemini);
	r = routes_find(&s.gemini, "/", 1);
	idx = routes_find(&s.gemini, "/index.gmi", 10);
	CHECK(r != NULL && idx != NULL);
	if (r && idx) {
		CHECK_STR(r->type, "text/gemini; lang=en");
		CHECK(r->body == idx->body);
	}
	r = routes_find(&s.gemini, "/robots.txt", 11);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->type, "text/plain");
		CHECK(r->len == 24 && memcmp(r->body,
		    "User-agent: *\nDisallow:\n", 24) == 0);
	}
	r = routes_find(&s.gemini, "/atom.xml", 9);
	CHECK(r != NULL && strcmp(r->type, "application/atom+xml") == 0);
	CHECK(routes_find(&s.gemini, "/archive.gmi", 12) != NULL);
	CHECK(routes_find(&s.gemini, "/categories.gmi", 15) != NULL);
	CHECK(routes_find(&s.gemini, "/categories/BPF.gmi", 19) != NULL);
	CHECK(routes_find(&s.gemini, "/tags/XDP & <tc>.gmi", 20) != NULL);
	CHECK_INT(s.gemini.n, 9);
	routes_free(&s.gemini);
}

/*
 * Two categories whose pages would have one path: the first is
 * published, the second reported, not dropped in silence.
 */
static void
test_publish_clash(void)
{
	static struct taxon	 two[] = {
		{ .name = "a/b", .path = "/categories/a-b.gmi",
		  .url = "/categories/a-b.gmi", .posts = bpf_posts,
		  .nposts = 1 },
		{ .name = "a-b", .path = "/categories/a-b.gmi",
		  .url = "/categories/a-b.gmi", .posts = ebpf_posts,
		  .nposts = 1 },
	};
	struct site_options	 o = { .root = "site", .hostname = "h",
				    .gemini_port = 1965 };
	struct snapshot		 s;
	const struct route	*r;
	const struct diag	*dg;

	fixture(&s);
	s.categories = two;
	s.ncategories = nitems(two);
	diag_free(&diags);
	memset(&diags, 0, sizeof(diags));
	pages_publish(&s, &o, &diags);
	routes_seal(&s.gemini);
	r = routes_find(&s.gemini, "/categories/a-b.gmi", 19);
	CHECK(r != NULL && strstr(r->body, "category a/b\n") != NULL);
	dg = diag_find(&diags, "/categories/a-b.gmi is already served");
	CHECK(dg != NULL);
	if (dg != NULL) {
		CHECK_INT(dg->level, DIAG_WARNING);
		CHECK_STR(dg->file, "site");
	}
	CHECK_INT(diags.warnings, 1);
	routes_free(&s.gemini);
	diag_free(&diags);
	memset(&diags, 0, sizeof(diags));
}

int
main(void)
{
	RUN(test_home);
	RUN(test_home_one_heading);
	RUN(test_archive);
	RUN(test_taxonomies);
	RUN(test_base_url);
	RUN(test_atom);
	RUN(test_atom_ids);
	RUN(test_publish);
	RUN(test_publish_clash);
	return HARNESS_END();
}
