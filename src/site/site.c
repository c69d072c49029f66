/*
 * The snapshot build: scan the root (site-scan.c), order the posts,
 * build the taxonomies, render every post and page to gemtext, add the
 * generated documents (pages.c) and the static files, seal the routes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "site-int.h"

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define POST(p)	(*(const struct post *const *)(p))

/* Newest first: date, then name, both descending. */
static int
newest_first(const void *a, const void *b)
{
	int	c;

	if ((c = strcmp(POST(b)->date, POST(a)->date)) != 0)
		return c;
	return strcmp(POST(b)->name, POST(a)->name);
}

/* By path, then source: the first of a clash is the one served. */
static int
path_source_order(const void *a, const void *b)
{
	int	c;

	if ((c = strcmp(POST(a)->path, POST(b)->path)) != 0)
		return c;
	return strcmp(POST(a)->source, POST(b)->source);
}

/* /posts/DATE-SLUG.gmi, or /YYYY/MM/DD/SLUG/ (the front matter date). */
static void
post_paths(struct post *p, enum permalink_style style)
{
	if (style == PERMALINK_JEKYLL)
		p->path = xasprintf("/%.4s/%.2s/%.2s/%s/", p->date,
		    p->date + 5, p->date + 8, *p->slug ? p->slug : p->name);
	else
		p->path = xasprintf("/posts/%s.gmi", p->name);
	p->url = path_encode(p->path);
}

/*
 * Give every post its path (posts already newest first).  Two posts
 * with one path (one file name in two folders, or one date and slug
 * under Jekyll permalinks): the source that sorts first is served, the
 * other is reported and left out.
 */
static void
assign_paths(struct build *b)
{
	struct snapshot		 *snap = b->snap;
	const struct post	**v, *first = NULL;
	bool			 *drop;
	size_t			  i, k, n = snap->nposts;

	for (i = 0; i < n; i++)
		post_paths(&snap->posts[i], b->opts->permalink);
	v = snapshot_post_ptrs(snap);
	drop = xcalloc(n + 1, sizeof(*drop));
	if (n > 0)
		qsort(v, n, sizeof(*v), path_source_order);
	for (i = 0; i < n; i++) {
		if (first == NULL || strcmp(v[i]->path, first->path) != 0) {
			first = v[i];
			continue;
		}
		k = (size_t)(v[i] - snap->posts);
		drop[k] = true;
		diag_add(b->diags, DIAG_ERROR, b->post_src[k].file, 1, 1,
		    "%s is already the path of %s: skipped", v[i]->path,
		    first->source);
	}
	for (i = k = 0; i < n; i++) {
		if (drop[i]) {
			post_free(&snap->posts[i]);
			source_free(&b->post_src[i]);
			continue;
		}
		snap->posts[k] = snap->posts[i];
		b->post_src[k++] = b->post_src[i];
	}
	snap->nposts = k;
	free(drop);
	free(v);
}

/* Order posts newest first (their sources with them), index them. */
static void
order_posts(struct build *b)
{
	struct snapshot		 *snap = b->snap;
	const struct post	**v;
	struct post		 *posts;
	struct source		 *srcs;
	size_t			  i, k, n = snap->nposts;

	v = snapshot_post_ptrs(snap);
	if (n > 0)
		qsort(v, n, sizeof(*v), newest_first);
	posts = xcalloc(n + 1, sizeof(*posts));
	srcs = xcalloc(n + 1, sizeof(*srcs));
	for (i = 0; i < n; i++) {
		k = (size_t)(v[i] - snap->posts);
		posts[i] = snap->posts[k];
		srcs[i] = b->post_src[k];
	}
	free(v);
	free(snap->posts);
	free(b->post_src);
	snap->posts = posts;
	b->post_src = srcs;
	assign_paths(b);
	snapshot_index(snap);
}

struct assoc {
	const char	*name;
	size_t		 post;
};

static int
assoc_cmp(const void *a, const void *b)
{
	const struct assoc	*x = a, *y = b;
	int			 c;

	if ((c = strcasecmp(x->name, y->name)) != 0 ||
	    (c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->post < y->post ? -1 : x->post > y->post;
}

/* The taxon path: '/' in a name would make folders, controls are out. */
static void
taxon_paths(struct taxon *t, const char *dir)
{
	char	*name, *p;

	name = xstrdup(t->name);
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '-';
	t->path = xasprintf("/%s/%s.gmi", dir, name);
	t->url = path_encode(t->path);
	free(name);
}

/* Group the (name, post) pairs of every post into sorted taxa. */
static struct taxon *
taxonomy(const struct snapshot *snap, bool tags, size_t *np)
{
	struct assoc	*v = NULL;
	struct taxon	*t = NULL;
	size_t		 n = 0, cap = 0, ntaxa = 0, tcap = 0, i, j, k;
	char		**names;

	for (i = 0; i < snap->nposts; i++) {
		names = tags ? snap->posts[i].tags : snap->posts[i].categories;
		k = tags ? snap->posts[i].ntags : snap->posts[i].ncategories;
		grow_array(&v, &cap, n + k, sizeof(*v));
		for (j = 0; j < k; j++) {
			v[n].name = names[j];
			v[n++].post = i;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), assoc_cmp);
	for (i = 0; i < n; i++) {
		if (ntaxa == 0 || strcmp(t[ntaxa - 1].name, v[i].name) != 0) {
			grow_array(&t, &tcap, ntaxa + 1, sizeof(*t));
			memset(&t[ntaxa], 0, sizeof(*t));
			t[ntaxa].name = xstrdup(v[i].name);
			taxon_paths(&t[ntaxa++], tags ? "tags" : "categories");
		}
		k = t[ntaxa - 1].nposts;
		if (k > 0 && t[ntaxa - 1].posts[k - 1] == v[i].post)
			continue;	/* the same name twice in a post */
		t[ntaxa - 1].posts = xreallocarray(t[ntaxa - 1].posts, k + 1,
		    sizeof(size_t));
		t[ntaxa - 1].posts[k] = v[i].post;
		t[ntaxa - 1].nposts++;
	}
	free(v);
	*np = ntaxa;
	return t;
}

/* Markdown of src that starts at line, converted to the end of doc. */
static void
render_markdown(struct build *b, struct source *src, unsigned line,
    const char *md, size_t len, struct doc *doc)
{
	struct convert_env	 env;

	memset(&env, 0, sizeof(env));
	env.liquid.file = src->file;
	env.liquid.first_line = line;
	env.liquid.diags = b->diags;
	env.liquid.site_var = map_site_var;
	env.liquid.post_path = map_post_path;
	env.liquid.link_path = map_link_path;
	env.liquid.ctx = b;
	env.map_url = map_url;
	b->file = src->file;
	convert_body(md, len, &env, doc);
}

/* The Markdown body of src, converted to the end of doc. */
static void
render_body(struct build *b, struct source *src, struct doc *doc)
{
	const char	*text;
	size_t		 len;

	if ((text = source_read(b, src, &len)) != NULL)
		render_markdown(b, src, src->body_line, text + src->body_off,
		    len - src->body_off, doc);
}

/*
 * The post's summary for the feed: its excerpt, which is Markdown like
 * the body, as plain text, else the body's first paragraph.
 */
static char *
summary(struct build *b, struct source *src, const struct doc *doc,
    size_t from)
{
	struct doc	 ex = { 0 };
	char		*text = NULL;
	unsigned	 line = 1;
	size_t		 k;

	if (src->fm.excerpt != NULL) {
		for (k = 0; k < src->fm.nentries; k++)
			if (strcmp(src->fm.entries[k].key, "excerpt") == 0)
				line = src->fm.entries[k].line;
		render_markdown(b, src, line, src->fm.excerpt,
		    strlen(src->fm.excerpt), &ex);
		doc = &ex;
		from = 0;
	}
	for (k = from; text == NULL && k < doc->n; k++)
		if (doc->lines[k].kind == LINE_TEXT && doc->lines[k].text)
			text = xstrdup(doc->lines[k].text);
	doc_free(&ex);
	return text;
}

/* Route a rendered document; a path taken twice is reported. */
static void
publish(struct build *b, const char *file, const char *path,
    const char *lang, const struct doc *doc)
{
	struct buf	 out = BUF_INIT;
	char		*type, *body;
	size_t		 len;

	doc_write_gemtext(doc, &out);
	body = buf_detach(&out, &len);
	type = lang ? xasprintf("text/gemini; lang=%s", lang) :
	    xstrdup("text/gemini");
	if (!routes_add(&b->snap->gemini, path, type, body, len, true))
		diag_add(b->diags, DIAG_WARNING, file, 0, 0,
		    "%s is already served: not served again", path);
	free(type);
}

static void
join_names(struct buf *out, const char *what, char **v, size_t n)
{
	size_t	i;

	if (n == 0)
		return;
	buf_printf(out, "%s%s: ", out->len ? " · " : "", what);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%s", i ? ", " : "", v[i]);
}

/* Title block (CONVERSION.md 5.3): title, date · author, taxonomy. */
static void
post_header(const struct post *p, struct doc *doc)
{
	struct buf	line = BUF_INIT;

	doc_add_heading(doc, 1, p->title);
	buf_puts(&line, p->date);
	if (p->author)
		buf_printf(&line, " · %s", p->author);
	doc_add(doc, LINE_TEXT, true, line.data);
	buf_truncate(&line, 0);
	join_names(&line, "Categories", p->categories, p->ncategories);
	join_names(&line, "Tags", p->tags, p->ntags);
	if (line.len > 0)
		doc_add(doc, LINE_TEXT, false, line.data);
	buf_free(&line);
}

/*
 * One post, start to end: convert to the document model, publish it,
 * free the source.  Every renderer of a post (Gemini, Gopher) reads the
 * same document here, before it is freed.
 */
static void
render_post(struct build *b, size_t i)
{
	struct post	*p = &b->snap->posts[i];
	struct source	*src = &b->post_src[i];
	struct doc	 doc = { 0 };
	size_t		 body;

	post_header(p, &doc);
	body = doc.n;
	render_body(b, src, &doc);
	p->excerpt = summary(b, src, &doc, body);
	publish(b, src->file, p->path, p->lang, &doc);
	gophersite_post(b->snap, b->opts, i, &doc);
	doc_free(&doc);
	b->snap->source_bytes += src->len;
	source_free(src);
}

static void
render_page(struct build *b, size_t i)
{
	struct page	*pg = &b->snap->pages[i];
	struct source	*src = &b->page_src[i];
	struct doc	 doc = { 0 }, body = { 0 };

	/* A page that opens with its own title needs no second one. */
	render_body(b, src, &body);
	if (body.n == 0 || body.lines[0].kind != LINE_HEADING ||
	    body.lines[0].level != 1)
		doc_add_heading(&doc, 1, pg->title);
	doc_append(&doc, &body);
	publish(b, src->file, pg->path, pg->lang, &doc);
	gophersite_page(b->snap, b->opts, i, &doc);
	doc_free(&doc);
	b->snap->source_bytes += src->len;
	source_free(src);
}

static int
static_cmp(const void *a, const void *b)
{
	return strcmp(((const struct static_file *)a)->path,
	    ((const struct static_file *)b)->path);
}

static void
publish_statics(struct build *b)
{
	struct snapshot		*snap = b->snap;
	struct static_file	*sf;
	size_t			 i, n = 0;

	for (i = 0; i < snap->nstatics; i++) {
		sf = &snap->statics[i];
		if (routes_add(&snap->gemini, sf->path, mime_type(sf->path),
		    sf->body, sf->len, false)) {
			snap->statics[n++] = *sf;
			continue;
		}
		diag_add(b->diags, DIAG_WARNING, sf->path + 1, 0, 0,
		    "%s is already served: file not served", sf->path);
		free(sf->path);
		free(sf->url);
	}
	snap->nstatics = n;
}

static int
load_config(struct build *b)
{
	char	*file;
	int	 rc;

	file = path_join(b->opts->root, "_config.yml");
	rc = site_config_load(file, &b->snap->config, b->diags);
	free(file);
	return rc;
}

struct snapshot *
snapshot_build(const struct site_options *opts, struct diags *diags)
{
	struct build	 b;
	struct snapshot	*snap;
	char		*file;
	double		 start = now();
	size_t		 i;

	memset(&b, 0, sizeof(b));
	snap = xcalloc(1, sizeof(*snap));
	atomic_init(&snap->refs, 1);
	b.opts = opts;
	b.snap = snap;
	b.diags = diags;
	if ((b.realroot = realpath(opts->root, NULL)) == NULL) {
		diag_add(diags, DIAG_ERROR, opts->root, 0, 0,
		    "capsule root: %s", strerror(errno));
		snapshot_unref(snap);
		return NULL;
	}
	if (load_config(&b) == -1) {
		free(b.realroot);
		snapshot_unref(snap);
		return NULL;
	}
	if (snap->config.lang != NULL && !lang_ok(snap->config.lang)) {
		file = path_join(opts->root, "_config.yml");
		warn_lang(diags, file, snap->config.lang);
		free(file);
		free(snap->config.lang);
		snap->config.lang = NULL;
	}
	scan_root(&b);
	if (snap->nstatics > 0)
		qsort(snap->statics, snap->nstatics, sizeof(*snap->statics),
		    static_cmp);
	order_posts(&b);
	page_keys(&b);
	snap->categories = taxonomy(snap, false, &snap->ncategories);
	snap->tags = taxonomy(snap, true, &snap->ntags);

	for (i = 0; i < snap->nposts; i++)
		render_post(&b, i);
	for (i = 0; i < snap->npages; i++)
		render_page(&b, i);
	publish_statics(&b);
	pages_publish(snap, opts);
	routes_seal(&snap->gemini);
	gophersite_finish(snap, opts);

	free(b.post_src);
	free(b.page_src);
	strv_free(b.page_keys, 2 * snap->npages);
	free(b.dirs);
	free(b.realroot);
	buf_free(&b.raw);
	buf_free(&b.text);
	snap->build_seconds = now() - start;
	return snap;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void
snapshot_summary(const struct snapshot *snap, const struct diags *diags,
    FILE *fp)
{
	fprintf(fp, "capsuled: %zu post%s, %zu page%s, %zu static file%s, "
	    "%zu warning%s, %zu error%s, %.1f ms\n",
	    snap ? snap->nposts : 0, plural(snap ? snap->nposts : 0),
	    snap ? snap->npages : 0, plural(snap ? snap->npages : 0),
	    snap ? snap->nstatics : 0, plural(snap ? snap->nstatics : 0),
	    diags->warnings, plural(diags->warnings),
	    diags->errors, plural(diags->errors),
	    snap ? snap->build_seconds * 1000 : 0.0);
}

