/* Gopher requests and the snapshot's Gopher routes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/proto.h"
#include "site/site-int.h"

#include "harness.h"
#include "gopher_check.h"

#define NOT_FOUND	"3Not found\t\terror.host\t1\r\n.\r\n"

static const char	png[] = "\x89PNG\r\n\x1a\n\0binary";
static const char	txt[] = "plain\n.dot line\n";
static const char	css[] = ".a {\n}\n";

static struct diags	diags;

static const struct site_options opts = {
	.root = "/nonexistent",
	.hostname = "capsule.example.org",
	.gemini_port = 1966,
	.gopher_host = "gopher.example.org",
	.gopher_port = 7070,
	.permalink = PERMALINK_POSTS,
};

static void
set_post(struct post *p, const char *name, const char *date,
    const char *title)
{
	p->name = xstrdup(name);
	p->date = xstrdup(date);
	p->title = xstrdup(title);
	p->path = xasprintf("/posts/%s.gmi", name);
}

static void
set_taxon(struct taxon *t, const char *name, const char *path,
    size_t post)
{
	t->name = xstrdup(name);
	t->path = xstrdup(path);
	t->posts = xcalloc(1, sizeof(*t->posts));
	t->posts[0] = post;
	t->nposts = 1;
}

static void
set_static(struct static_file *f, const char *path, const char *body,
    size_t len)
{
	f->path = xstrdup(path);
	f->body = body;
	f->len = len;
}

/* A small snapshot, built the way site_build drives the calls. */
static struct snapshot *
build_with(const struct site_options *o)
{
	struct snapshot	*s = xcalloc(1, sizeof(*s));
	struct doc	 d = { 0 };

	s->config.title = xstrdup("Whirl Offload");
	/* Control characters from the content: a terminal must not see them. */
	s->config.description = xstrdup("A blog about\tpacket\x1b[2J "
	    "processing.");
	s->nposts = 3;
	s->posts = xcalloc(s->nposts, sizeof(*s->posts));
	set_post(&s->posts[0], "bpffs", "2023-11-04", "Did you know? bpffs");
	set_post(&s->posts[1], "sdn", "2016-07-08", "Introduction to SDN");
	set_post(&s->posts[2], "welcome", "2016-07-07", "Welcome!");
	snapshot_index(s);
	s->npages = 1;
	s->pages = xcalloc(1, sizeof(*s->pages));
	s->pages[0].title = xstrdup("About\a\x7f");
	s->pages[0].path = xstrdup("/about.gmi");
	s->ncategories = s->ntags = 1;
	s->categories = xcalloc(1, sizeof(*s->categories));
	s->tags = xcalloc(1, sizeof(*s->tags));
	set_taxon(&s->categories[0], "BPF", "/categories/BPF.gmi", 0);
	set_taxon(&s->tags[0], "SDN", "/tags/SDN.gmi", 1);
	s->nstatics = 4;
	s->statics = xcalloc(s->nstatics, sizeof(*s->statics));
	set_static(&s->statics[0], "/img/a.png", png, sizeof(png) - 1);
	set_static(&s->statics[1], "/notes.txt", txt, sizeof(txt) - 1);
	set_static(&s->statics[2], "/style.css", css, sizeof(css) - 1);
	set_static(&s->statics[3], "/notes.md", txt, sizeof(txt) - 1);

	doc_add_heading(&d, 1, "Welcome!");
	doc_add(&d, LINE_TEXT, true, "Hello. See the next post.");
	doc_add_link(&d, false, "/posts/sdn.gmi", "Introduction to SDN");
	doc_add_link(&d, false, "/img/a.png", "A picture");
	doc_add_link(&d, false, "/categories/BPF.gmi", "BPF posts");
	doc_add_link(&d, false, "/about.gmi", "About");
	doc_add_link(&d, false, "https://example.org/", "The web");
	gophersite_post(s, o, &diags, 2, &d);
	gophersite_post(s, o, &diags, 1, &d);
	gophersite_post(s, o, &diags, 0, &d);
	gophersite_page(s, o, &diags, 0, &d);
	doc_free(&d);
	gophersite_finish(s, o, &diags);
	CHECK(s->gopher.sealed);
	return s;
}

static struct snapshot *
build(void)
{
	return build_with(&opts);
}

static void
free_taxon(struct taxon *t)
{
	free(t->name);
	free(t->path);
	free(t->posts);
}

static void
destroy(struct snapshot *s)
{
	size_t	i;

	for (i = 0; i < s->nposts; i++) {
		free(s->posts[i].name);
		free(s->posts[i].date);
		free(s->posts[i].title);
		free(s->posts[i].path);
	}
	free(s->posts);
	free(s->by_name);
	free(s->by_path);
	free(s->by_web);
	free(s->pages[0].title);
	free(s->pages[0].path);
	free(s->pages);
	free_taxon(&s->categories[0]);
	free_taxon(&s->tags[0]);
	free(s->categories);
	free(s->tags);
	for (i = 0; i < s->nstatics; i++)
		free(s->statics[i].path);
	free(s->statics);
	free(s->config.title);
	free(s->config.description);
	routes_free(&s->gopher);
	free(s);
}

static struct snapshot	*snap;
static struct gopher_host	 cfg;

/* Ask for sel; return the response as a string (caller frees). */
static char *
ask(const char *sel, size_t len, int *status)
{
	struct gopher_response	 res;
	char			*out;

	gopher_respond(snap, &cfg, sel, len, &res);
	out = xstrndup(res.body, res.len);
	if (status != NULL)
		*status = res.status;
	gopher_response_free(&res);
	return out;
}

/* sel gets the same answer as want, byte for byte. */
static void
same_answer(const char *sel, size_t len, const char *want)
{
	char	*t;

	t = ask(sel, len, NULL);
	CHECK_STR(t, want);
	free(t);
}

static void
test_request_end(void)
{
	char	big[GOPHER_MAX_SELECTOR + 8];

	CHECK_INT(gopher_request_end("/a\r\n", 4), 4);
	CHECK_INT(gopher_request_end("/a\n", 3), 3);
	CHECK_INT(gopher_request_end("\r\n", 2), 2);
	CHECK_INT(gopher_request_end("/a\r", 3), 0);
	CHECK_INT(gopher_request_end("", 0), 0);
	memset(big, 'a', sizeof(big));
	CHECK_INT(gopher_request_end(big, GOPHER_MAX_SELECTOR + 1), 0);
	CHECK_INT(gopher_request_end(big, GOPHER_MAX_SELECTOR + 2), -1);
	big[GOPHER_MAX_SELECTOR] = '\r';
	big[GOPHER_MAX_SELECTOR + 1] = '\n';
	CHECK_INT(gopher_request_end(big, sizeof(big)),
	    GOPHER_MAX_SELECTOR + 2);
	big[GOPHER_MAX_SELECTOR + 1] = 'a';
	big[GOPHER_MAX_SELECTOR + 2] = '\n';
	CHECK_INT(gopher_request_end(big, sizeof(big)), -1);
}

static void
test_main_menu(void)
{
	char	*m;
	int	 st;

	m = ask("", 0, &st);
	CHECK_INT(st, 0);
	CHECK(menu_error(m, strlen(m)) == NULL);
	CHECK(strncmp(m, "iWhirl Offload\t", 15) == 0);
	CHECK(strstr(m, "iA blog about packet\xef\xbf\xbd[2J processing.\t")
	    != NULL);
	CHECK(strstr(m,
	    "02023-11-04 - Did you know? bpffs\t/posts/bpffs.txt\t"
	    "gopher.example.org\t7070\r\n"
	    "02016-07-08 - Introduction to SDN\t/posts/sdn.txt\t"
	    "gopher.example.org\t7070\r\n"
	    "02016-07-07 - Welcome!\t/posts/welcome.txt\t") != NULL);
	CHECK(strstr(m, "1Archive by year\t/archive/\t") != NULL);
	CHECK(strstr(m, "1Categories\t/categories/\t") != NULL);
	CHECK(strstr(m, "1Tags\t/tags/\t") != NULL);
	CHECK(strstr(m,
	    "0About\xef\xbf\xbd\xef\xbf\xbd\t/about.txt\t") != NULL);
	CHECK(strstr(m, "hThis capsule on Gemini\t"
	    "URL:gemini://capsule.example.org:1966/\tgopher.example.org\t"
	    "7070\r\n") != NULL);
	same_answer("/", 1, m);
	same_answer("\r\n", 2, m);
	free(m);
}

/* A type 0 text: CRLF lines, dot-stuffed, ended by the "." line. */
static bool
text_ok(const char *t, size_t len)
{
	const char	*p = t, *end = t + len, *eol;

	while (p < end) {
		eol = memchr(p, '\n', end - p);
		if (eol == NULL || eol == p || eol[-1] != '\r')
			return false;
		if (eol - p == 2 && p[0] == '.')
			return eol + 1 == end;
		p = eol + 1;
	}
	return false;
}

/*
 * The answer to a route's selector, as served (a menu kept as a recipe
 * is made).
 */
static void
serve(const struct snapshot *s, const struct route *r,
    struct gopher_response *res)
{
	gopher_respond(s, &cfg, r->path, strlen(r->path), res);
	CHECK_INT(res->status, 0);
}

/* A problem err with the answer to path: reported. */
static void
check_answer(const char *path, const char *err)
{
	if (err != NULL)
		fprintf(stderr, "%s: %s\n", path, err);
	CHECK(err == NULL);
}

/*
 * Every menu of a snapshot parses, every text is well formed; returns
 * the number of menus.
 */
static size_t
check_routes(const struct snapshot *s)
{
	const struct route	*r;
	struct gopher_response	 res;
	size_t			 i, n = 0;

	for (i = 0; i < s->gopher.n; i++) {
		r = &s->gopher.v[i];
		if (r->type[0] != '0' && r->type[0] != '1')
			continue;
		serve(s, r, &res);
		check_answer(r->path, control_error(res.body, res.len));
		if (r->type[0] == '1') {
			n++;
			check_answer(r->path, menu_error(res.body, res.len));
		} else {
			check_answer(r->path, text_ok(res.body, res.len) ?
			    NULL : "bad text");
			check_answer(r->path, refs_error(res.body, res.len));
		}
		gopher_response_free(&res);
	}
	return n;
}

/* Two builds of the same content give the same bytes (no timestamps). */
static void
same_routes(const struct snapshot *a, const struct snapshot *b)
{
	struct gopher_response	 ra, rb;
	size_t			 i;

	CHECK_INT(a->gopher.n, b->gopher.n);
	for (i = 0; i < a->gopher.n && i < b->gopher.n; i++) {
		CHECK_STR(a->gopher.v[i].path, b->gopher.v[i].path);
		serve(a, &a->gopher.v[i], &ra);
		serve(b, &b->gopher.v[i], &rb);
		CHECK(ra.len == rb.len &&
		    memcmp(ra.body, rb.body, ra.len) == 0);
		gopher_response_free(&ra);
		gopher_response_free(&rb);
	}
}

static void
test_every_route(void)
{
	/* "" "/" about/ posts/x/ (3) archive (3) categories (2) tags (2) */
	CHECK_INT(check_routes(snap), 13);
	CHECK(routes_find(&snap->gopher, "/archive/2016/", 14) != NULL);
	CHECK(routes_find(&snap->gopher, "/categories/BPF/", 16) != NULL);
	CHECK(routes_find(&snap->gopher, "/tags/SDN/", 10) != NULL);
	CHECK(text_ok("a\r\n..\r\n.\r\n", 10));
	CHECK(!text_ok("a\n.\r\n", 6));
	CHECK(!text_ok("a\r\n", 3));
}

static void
test_post(void)
{
	char	*t;

	t = ask("/posts/welcome.txt", 18, NULL);
	CHECK_STR(t,
	    "Welcome!\r\n"
	    "========\r\n"
	    "\r\n"
	    "Hello. See the next post.\r\n"
	    "[1] Introduction to SDN\r\n"
	    "    gopher://gopher.example.org:7070/0/posts/sdn.txt\r\n"
	    "[2] A picture\r\n"
	    "    gopher://gopher.example.org:7070/I/img/a.png\r\n"
	    "[3] BPF posts\r\n"
	    "    gopher://gopher.example.org:7070/1/categories/BPF/\r\n"
	    "[4] About\r\n"
	    "    gopher://gopher.example.org:7070/0/about.txt\r\n"
	    "[5] The web\r\n"
	    "    https://example.org/\r\n"
	    ".\r\n");
	free(t);
	t = ask("/posts/welcome/", 15, NULL);
	CHECK(strstr(t, "0This page as plain text\t/posts/welcome.txt\t") == t);
	CHECK(strstr(t, "0Introduction to SDN\t/posts/sdn.txt\t"
	    "gopher.example.org\t7070\r\n"
	    "IA picture\t/img/a.png\tgopher.example.org\t7070\r\n"
	    "1BPF posts\t/categories/BPF/\tgopher.example.org\t7070\r\n"
	    "0About\t/about.txt\tgopher.example.org\t7070\r\n"
	    "hThe web\tURL:https://example.org/\tgopher.example.org\t7070\r\n")
	    != NULL);
	free(t);
}

static void
test_statics(void)
{
	struct gopher_response	 res;
	char			*t;

	gopher_respond(snap, &cfg, "/img/a.png", 10, &res);
	CHECK(res.body == png);
	CHECK_INT(res.len, sizeof(png) - 1);
	CHECK(res.owned == NULL);
	gopher_response_free(&res);
	t = ask("/notes.txt", 10, NULL);
	CHECK_STR(t, "plain\r\n..dot line\r\n.\r\n");
	free(t);
	/* Every text/ type is a text; a type mime.c does not know is not. */
	t = ask("/style.css", 10, NULL);
	CHECK_STR(t, "..a {\r\n}\r\n.\r\n");
	free(t);
	gopher_respond(snap, &cfg, "/notes.md", 9, &res);
	CHECK(res.body == txt);
	gopher_response_free(&res);
	CHECK_STR(routes_find(&snap->gopher, "/style.css", 10)->type, "0");
	CHECK_STR(routes_find(&snap->gopher, "/notes.md", 9)->type, "9");
	CHECK_STR(routes_find(&snap->gopher, "/img/a.png", 10)->type, "I");
}

static void
expect_not_found(const char *sel, size_t len)
{
	char	*t;
	int	 st;

	t = ask(sel, len, &st);
	CHECK_STR(t, NOT_FOUND);
	CHECK_INT(st, 3);
	free(t);
}

/* Gemini's rule: dot segments that climb above the root, any spelling. */
static void
expect_above_root(const char *sel)
{
	char	*t;
	int	 st;

	t = ask(sel, strlen(sel), &st);
	CHECK_STR(t, "3Bad selector: it climbs above the root\t\terror.host"
	    "\t1\r\n.\r\n");
	CHECK_INT(st, 3);
	free(t);
}

static void
test_bad_input(void)
{
	char	big[GOPHER_MAX_SELECTOR + 1];

	memset(big, '/', sizeof(big));
	expect_not_found(big, sizeof(big));
	expect_not_found("/posts/welcome.txt\0", 19);
	expect_above_root("/posts/../../../etc/passwd");
	expect_above_root("../../etc/passwd");
	expect_above_root("/posts/%2e%2e/%2e%2e/etc/passwd");
	expect_above_root("/..");
	expect_above_root("/posts/..%2f..%2fx");
	expect_not_found("/posts/../nothing", 17);
	expect_not_found("/img/%61.png", 12);
	expect_not_found("/img/a.png/", 11);
	expect_not_found("//img/a.png", 11);
	expect_not_found("\xff\xfe\x01\x02garbage\x80", 12);
	expect_not_found("URL:javascript:alert(1)", 23);
	expect_not_found("URL:no scheme", 13);
}

static void
test_gopher_plus(void)
{
	const struct route	*r;
	char			*want;

	/* The post's text itself, not an error both would share. */
	r = routes_find(&snap->gopher, "/posts/sdn.txt", 14);
	want = ask("/posts/sdn.txt", 14, NULL);
	CHECK(r != NULL && r->len > 0 && strlen(want) == r->len &&
	    memcmp(want, r->body, r->len) == 0);
	CHECK(strncmp(want, "Welcome!\r\n", 10) == 0);
	same_answer("/posts/sdn.txt\t+", 16, want);
	same_answer("/posts/sdn.txt\t$\r\n", 18, want);
	same_answer("/posts/sdn.txt\t!", 16, want);
	same_answer("/posts/sdn.txt\tsearch words", 27, want);
	free(want);
}

static void
test_http(void)
{
	char	*t;
	int	 st;

	t = ask("GET / HTTP/1.1\r\n", 16, &st);
	CHECK(strncmp(t, "HTTP/1.0 400 Bad Request\r\n", 26) == 0);
	CHECK(strstr(t, "gopher://gopher.example.org:7070/") != NULL);
	CHECK_INT(st, 3);
	free(t);
	/* A selector that merely starts like HTTP is looked up. */
	expect_not_found("GET /", 5);
}

/*
 * An IPv6 literal as the Gopher host: every menu and the HTTP answer
 * name the same host, the first host name.
 */
static void
test_ipv6_host(void)
{
	struct site_options	 o = opts;
	struct gopher_host	 c = cfg;
	struct snapshot		*s;
	struct gopher_response	 res;
	char			*names[] = { "capsule.example.org" };
	size_t			 i;

	o.gopher_host = "::1";
	c.name = "::1";
	c.hostname = names[0];
	s = build_with(&o);
	for (i = 0; i < s->gopher.n; i++)
		if (s->gopher.v[i].type[0] == '1') {
			serve(s, &s->gopher.v[i], &res);
			CHECK(strstr(res.body, "::1") == NULL);
			CHECK(strstr(res.body,
			    "\tcapsule.example.org\t7070\r\n") != NULL);
			gopher_response_free(&res);
		}
	gopher_respond(s, &c, "GET / HTTP/1.0", 14, &res);
	CHECK(strstr(res.body, "href=\"gopher://capsule.example.org:7070/\"")
	    != NULL);
	CHECK(strstr(res.body, "::1") == NULL);
	gopher_response_free(&res);
	/* No host name at all: localhost. */
	c.hostname = NULL;
	gopher_respond(s, &c, "GET / HTTP/1.0", 14, &res);
	CHECK(strstr(res.body, "href=\"gopher://localhost:7070/\"") != NULL);
	gopher_response_free(&res);
	destroy(s);
}

static void
test_url_redirect(void)
{
	char	*t;

	t = ask("URL:https://example.org/?a=<b>&c=\"d\"", 36, NULL);
	CHECK(strstr(t, "<meta http-equiv=\"refresh\" content=\"2; url="
	    "https://example.org/?a=&lt;b&gt;&amp;c=&quot;d&quot;\">")
	    != NULL);
	CHECK(strstr(t, "<a href=\"https://example.org/?a=&lt;b&gt;&amp;c="
	    "&quot;d&quot;\">") != NULL);
	CHECK(strstr(t, "<b>") == NULL);
	free(t);
	t = ask("URL:gemini://example.org/\t+", 27, NULL);
	CHECK(strstr(t, "url=gemini://example.org/\"") != NULL);
	free(t);
}

static void
test_stable(void)
{
	struct snapshot	*again = build();

	/* The fixture's 13 menus and texts, and its static files. */
	CHECK(snap->gopher.n >= 13);
	CHECK_INT(again->gopher.n, snap->gopher.n);
	same_routes(snap, again);
	destroy(again);
}

static struct snapshot *
build_root(const char *root, enum permalink_style style)
{
	struct site_options	 o = opts;
	struct snapshot		*s;

	o.root = root;
	o.permalink = style;
	s = site_build(&o, &diags);
	diag_free(&diags);
	return s;
}

/* The capsule of the test environment's TOP, or the blog's sources. */
static char *
root_path(const char *rel)
{
	const char	*top = getenv("TOP");

	return xasprintf("%s/%s", top ? top : ".", rel);
}

#define CORPUS	"../shared/corpus/whirl-offload"

/*
 * A real capsule: every menu and text of it, built twice, and with the
 * other permalink style.
 */
static void
check_capsule(struct snapshot *a, const char *root, bool corpus)
{
	const struct route	*r;
	const char		*sel;
	struct snapshot		*b;
	char			*t;
	size_t			 i;

	CHECK(a->nposts > 0);
	CHECK(check_routes(a) >= a->nposts + 5);
	for (i = 0; i < a->nposts; i++) {
		t = xasprintf("/posts/%s.txt", a->posts[i].name);
		CHECK(routes_find(&a->gopher, t, strlen(t)) != NULL);
		free(t);
	}
	b = build_root(root, PERMALINK_JEKYLL);
	CHECK(b != NULL);
	if (b == NULL)
		return;
	/* Links between posts resolve whatever the Gemini paths. */
	sel = "/posts/2016-07-15-beba-research-project.txt";
	if (corpus) {
		r = routes_find(&b->gopher, sel, strlen(sel));
		CHECK(r != NULL && strstr(r->body, "/0/posts/"
		    "2016-07-08-introduction-to-sdn.txt\r\n") != NULL);
	}
	snapshot_unref(b);
	b = build_root(root, PERMALINK_POSTS);
	same_routes(a, b);
	snapshot_unref(b);
}

static void
test_repo_capsule(void)
{
	struct snapshot	*a;
	char		*root = root_path("capsule");

	a = build_root(root, PERMALINK_POSTS);
	CHECK(a != NULL);
	if (a != NULL) {
		check_capsule(a, root, false);
		snapshot_unref(a);
	}
	free(root);
}

/*
 * The corpus, copied with site.time pinned (time: in _config.yml): one
 * of its pages (the feed) prints the time of the build.
 */
static void
test_corpus_capsule(void)
{
	struct snapshot	*a;
	char		 tmpl[] = "/tmp/capsuled-corpus-XXXXXX";
	char		*root = root_path(CORPUS), *cmd, *copy = NULL;

	if (access(root, R_OK) == 0 && mkdtemp(tmpl) != NULL) {
		copy = xasprintf("%s/site", tmpl);
		cmd = xasprintf("cp -R '%s' '%s' && printf '\\ntime: "
		    "2020-01-02 03:04:05 +0000\\n' >>'%s/_config.yml'", root,
		    copy, copy);
		if (system(cmd) != 0) {
			free(copy);
			copy = NULL;
		}
		free(cmd);
	}
	if (copy == NULL || (a = build_root(copy, PERMALINK_POSTS)) == NULL) {
		if (copy != NULL) {
			cmd = xasprintf("rm -rf '%s'", tmpl);
			(void)system(cmd);
			free(cmd);
		}
		free(copy);
		free(root);
		SKIP("%s absent", CORPUS);
	}
	check_capsule(a, copy, true);
	snapshot_unref(a);
	cmd = xasprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		fprintf(stderr, "%s failed\n", cmd);
	free(cmd);
	free(copy);
	free(root);
}

/* CONVERSION.md 6 on the capsule's post, as served. */
static const char *seed_text =
	    "Offload is coming\r\n"
	    "=================\r\n"
	    "\r\n"
	    "2017-12-04 · Quentin Monnet\r\n"
	    "Categories: Other\r\n"
	    "\r\n"
	    "Nothing technical in this post. This is a short update about my\r\n"
	    "position, and about this blog in general.\r\n"
	    "\r\n"
	    "> I’m asking the questions! What’s up on the blog?\r\n"
	    "\r\n"
	    "You might have noticed that I slightly modified the template of "
	    "this\r\n"
	    "website. In particular, I removed the company’s logo from the "
	    "generic\r\n"
	    "pages (index, “About”, etc.) and no longer defines this platform "
	    "as a\r\n"
	    "blog “about my work at 6WIND”. The reason, as you maybe know or\r\n"
	    "guessed, is that I no longer work for 6WIND! Instead I joined\r\n"
	    "Netronome not long ago. The company roughly addresses the same "
	    "issues:\r\n"
	    "getting the best performances for server networking. But instead "
	    "of\r\n"
	    "proposing pure software solutions, they design programmable NICs "
	    "that\r\n"
	    "are “smart” enough to offload many components from the host.\r\n"
	    "[1] Netronome\r\n"
	    "    https://www.netronome.com\r\n"
	    "\r\n";

static void
test_seed_post_text(void)
{
	struct snapshot		*s;
	struct gopher_response	 res;
	char			*root = root_path("capsule");
	const char		*sel = "/posts/2017-12-04-offload-coming.txt";

	s = build_root(root, PERMALINK_POSTS);
	free(root);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	gopher_respond(s, &cfg, sel, strlen(sel), &res);
	CHECK_INT(res.status, 0);
	CHECK(res.len >= strlen(seed_text) &&
	    strncmp(res.body, seed_text, strlen(seed_text)) == 0);
	if (harness_test_failed)
		fprintf(stderr, "%.*s\n", res.len > 700 ? 700 : (int)res.len,
		    res.body);
	gopher_response_free(&res);
	snapshot_unref(s);
}

/* The health selector: a text saying ok; a type 3 item while draining. */
static void
test_health(void)
{
	struct gopher_response	 res;
	char			*t;
	int			 st;

	t = ask("/health", 7, &st);
	CHECK(strncmp(t, "3Not found", 10) == 0);
	free(t);
	cfg.health_selector = "/health";
	t = ask("/health", 7, &st);
	CHECK_STR(t, "ok\r\n.\r\n");
	CHECK_INT(st, 0);
	free(t);
	gopher_respond(snap, &cfg, "/health\r\n", 9, &res);
	CHECK(res.health);
	gopher_draining(&res);
	CHECK(res.len > 0 && strncmp(res.body, "3Draining: this server is "
	    "shutting down\t\terror.host\t1\r\n.\r\n", res.len) == 0);
	CHECK_INT(res.status, 3);
	CHECK_STR(res.selector, "/health");
	gopher_response_free(&res);
	/* Another selector is served as before. */
	gopher_respond(snap, &cfg, "/healthy", 8, &res);
	CHECK(!res.health);
	gopher_response_free(&res);
	cfg.health_selector = NULL;
}

int
main(void)
{
	int	rc;

	cfg.name = "gopher.example.org";
	cfg.port = 7070;
	snap = build();
	RUN(test_request_end);
	RUN(test_main_menu);
	RUN(test_every_route);
	RUN(test_post);
	RUN(test_statics);
	RUN(test_bad_input);
	RUN(test_gopher_plus);
	RUN(test_http);
	RUN(test_url_redirect);
	RUN(test_ipv6_host);
	RUN(test_stable);
	RUN(test_repo_capsule);
	RUN(test_corpus_capsule);
	RUN(test_seed_post_text);
	RUN(test_health);
	rc = HARNESS_END();
	destroy(snap);
	return rc;
}
