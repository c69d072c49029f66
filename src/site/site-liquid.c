/*
 * What Liquid sees of the site, as Jekyll gives it: the `site` object
 * (every _config.yml key, posts newest first, pages, categories, tags,
 * static files, data, time), each post's and page's `page` object (its
 * front matter and Jekyll's keys: url, date, id, categories, tags,
 * excerpt, path, content...), `jekyll`; and the hooks the interpreter
 * calls: include and include_relative (files inside the root, never a
 * secret), post_url, link, markdownify (capsuled's own Markdown,
 * written back as plain HTML for the HTML reader).
 *
 * Posts and pages are drops: their content, excerpt and neighbours are
 * computed when a template asks, so that a build whose posts never loop
 * over site.posts pays for one small hash per document.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

/* A content computed inside another's: deeper gives "". */
#define CONTENT_MAX_DEPTH	2
/*
 * What one document's Liquid may do: far more than an archive of
 * thousands of posts takes, and no more output than a source may hold.
 */
#define DOC_MAX_STEPS		1000000
#define DOC_MAX_OUTPUT		SITE_MAX_SOURCE

struct lq_doc {
	struct site_liquid	*sl;
	bool			 post;
	bool			 unwritten;	/* of b->unwritten */
	size_t			 i;
	/*
	 * A page's place in the order Jekyll renders it (every document
	 * first, then the pages by name), from 1; a document's is 0.
	 */
	size_t			 rank;
	struct value		*fm;		/* the scan's front matter */
	struct value		*fields;	/* fm, Jekyll's keys: once asked */
	struct value		*content;	/* once asked for */
	bool			 rendering;	/* its content, now */
};

struct lq_include {
	char		*path;
	char		*text;
	size_t		 len;
};

struct site_liquid {
	struct build		*b;
	struct liquid_engine	*eng;
	struct value		*site, *jekyll;
	struct lq_doc		*docs;		/* posts, pages, unwritten */
	struct value		**drops;	/* the same, as values */
	size_t			 ndocs;
	struct lq_include	*incl;
	size_t			 nincl, capincl;
	unsigned		 depth;		/* contents being computed */
	size_t			 current;	/* the document rendering */
	struct value		*current_body;	/* its source, as it is */
	size_t			 asker;		/* the one whose Liquid runs */
	size_t			*by_name;	/* the pages, by name */
	size_t			 nby_name;
};

static struct value *
str(const char *s)
{
	return s != NULL ? value_cstr(s) : &value_nil;
}

static struct value *
str_array(char *const *v, size_t n)
{
	struct value	*a = value_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		value_array_push(a, value_cstr(v[i]));
	return a;
}

static void
set(struct value *h, const char *key, struct value *v)
{
	value_hash_set(h, key, strlen(key), v);
}

static void
set_default(struct value *h, const char *key, struct value *v)
{
	if (value_hash_get(h, key, strlen(key)) == NULL)
		set(h, key, v);
	else
		value_unref(v);
}

/* A copy of a hash (a front matter, _config.yml) or an empty one. */
static struct value *
fm_copy(const struct value *fm)
{
	struct value	*h = value_hash();
	size_t		 i;

	for (i = 0; fm != NULL && fm->type == VALUE_HASH && i < fm->u.hash.n;
	    i++)
		value_hash_set(h, fm->u.hash.v[i].key->u.str.s,
		    fm->u.hash.v[i].key->u.str.len,
		    value_ref(fm->u.hash.v[i].val));
	return h;
}

static struct value *
date_value(const char *ymd)
{
	struct value_time	t;

	if (ymd == NULL || value_time_parse(ymd, strlen(ymd), &t) == -1)
		return &value_nil;
	return value_time(&t);
}

/* A page's or a collection document's (d is not a post). */
static const struct page *
doc_page(const struct lq_doc *d)
{
	const struct build	*b = d->sl->b;

	return d->unwritten ? &b->unwritten[d->i] : &b->snap->pages[d->i];
}

/* Jekyll's keys over the front matter fm (taken). */
static struct value *
doc_fields(const struct lq_doc *d, struct value *fm)
{
	const struct snapshot	*snap = d->sl->b->snap;
	const struct post	*p;
	const struct page	*pg;
	const char		*base, *name, *dot;
	struct value		*v;
	struct value_time	 t;
	size_t			 n;
	bool			 document = d->post;

	if (d->post) {
		p = &snap->posts[d->i];
		set(fm, "title", value_cstr(p->title));
		/* A time in the local zone, as Psych gives Jekyll one. */
		v = value_hash_get(fm, "date", 4);
		if (v != NULL && v->type == VALUE_TIME &&
		    !v->u.time.date_only) {
			t = v->u.time;
			value_time_local(&t);
			set(fm, "date", value_time(&t));
		} else if (v == NULL || v->type != VALUE_TIME)
			set(fm, "date", date_value(p->date));
		set(fm, "url", value_cstr(p->url));
		n = strlen(p->url);
		if (n > 4 && strcmp(p->url + n - 4, ".gmi") == 0)
			n -= 4;
		set(fm, "id", value_str(p->url, n));
		set(fm, "categories", str_array(p->categories,
		    p->ncategories));
		set(fm, "tags", str_array(p->tags, p->ntags));
		set(fm, "path", value_cstr(p->source));
		set(fm, "relative_path", value_cstr(p->source));
		set(fm, "slug", value_cstr(p->slug));
		set(fm, "collection", value_cstr("posts"));
		set_default(fm, "draft", value_bool(false));
		base = p->source;
	} else {
		pg = doc_page(d);
		set(fm, "url", value_cstr(pg->url));
		set(fm, "path", value_cstr(pg->source));
		/* A page has none of these: its title is its front matter's. */
		if (pg->collection != NULL) {
			set(fm, "title", value_cstr(pg->title));
			set(fm, "relative_path", value_cstr(pg->source));
			set(fm, "collection", value_cstr(pg->collection));
			document = true;
		}
		base = pg->source;
	}
	name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
	dot = strrchr(name, '.');
	/* A document's name is its front matter's, if it has one. */
	(document ? set_default : set)(fm, "name", value_cstr(name));
	if (document)
		set(fm, "ext", value_cstr(dot ? dot : ""));
	return fm;
}

/* The HTML of a document: what markdownify gives the HTML reader. */
static void
html_escape(const char *s, struct buf *out)
{
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, *s); break;
		}
}

static void
doc_html(const struct doc *doc, struct buf *out)
{
	const struct line	*l;
	size_t			 i;
	bool			 list = false;

	for (i = 0; i < doc->n; i++) {
		l = &doc->lines[i];
		if (list && (l->kind != LINE_ITEM || l->starts_block)) {
			buf_puts(out, "</ul>\n");
			list = false;
		}
		switch (l->kind) {
		case LINE_HEADING:
			buf_printf(out, "<h%d>", l->level);
			html_escape(l->text, out);
			buf_printf(out, "</h%d>\n", l->level);
			break;
		case LINE_LINK:
			buf_puts(out, "<p><a href=\"");
			html_escape(l->url, out);
			buf_puts(out, "\">");
			html_escape(l->text ? l->text : l->url, out);
			buf_puts(out, "</a></p>\n");
			break;
		case LINE_ITEM:
			if (!list)
				buf_puts(out, "<ul>\n");
			list = true;
			buf_puts(out, "<li>");
			html_escape(l->text, out);
			buf_puts(out, "</li>\n");
			break;
		case LINE_QUOTE:
			buf_puts(out, "<blockquote><p>");
			html_escape(l->text, out);
			buf_puts(out, "</p></blockquote>\n");
			break;
		case LINE_PRE:
			buf_puts(out, "<pre><code>");
			html_escape(l->text, out);
			buf_puts(out, "</code></pre>\n");
			break;
		default:
			buf_puts(out, "<p>");
			html_escape(l->text, out);
			buf_puts(out, "</p>\n");
			break;
		}
	}
	if (list)
		buf_puts(out, "</ul>\n");
}

static void
markdownify(void *ctx, const char *s, size_t len, struct buf *out)
{
	struct site_liquid	*sl = ctx;
	struct convert_env	 env;
	struct diags		 d = { 0 };
	struct doc		 doc = { 0 };

	memset(&env, 0, sizeof(env));
	env.file = sl->b->file;
	env.first_line = 1;
	env.diags = &d;
	env.kramdown = sl->b->kramdown;
	convert_body(s, len, &env, &doc);
	doc_html(&doc, out);
	doc_free(&doc);
	diag_free(&d);
}

/* A source's text, read again and sanitized, or NULL. */
static char *
read_text(const char *file, size_t max, size_t *lenp)
{
	struct buf	 raw = BUF_INIT, text = BUF_INIT;
	struct diags	 d = { 0 };

	if (file_read(AT_FDCWD, file, &raw, max + 1, NULL) == -1 ||
	    raw.len > max) {
		buf_free(&raw);
		return NULL;
	}
	utf8_sanitize(&text, raw.data ? raw.data : "", raw.len, file, &d);
	diag_free(&d);
	buf_free(&raw);
	buf_reserve(&text, 0);
	return buf_detach(&text, lenp);
}

static struct value	*vars_for(struct site_liquid *, size_t k);

/*
 * A document's content, as a template in another document sees it:
 * its body rendered (Liquid, then Markdown to HTML; an HTML or other
 * page's Liquid alone), or, for a page Jekyll has not rendered yet
 * when the asking one renders, its body as written.  Reported when
 * the document itself was: here, silently.
 */
static struct value *
doc_content(struct lq_doc *d)
{
	struct site_liquid	*sl = d->sl;
	const struct snapshot	*snap = sl->b->snap;
	struct liquid_template	*tmpl;
	struct diags		 diags = { 0 };
	struct buf		 md = BUF_INIT, html = BUF_INIT;
	struct value		*vars, *raw;
	char			*file, *text;
	size_t			 len, off, asker = sl->asker;
	bool			 markdown;

	if (d->rank != 0 && d->rank >= sl->docs[asker].rank) {
		file = site_path_join(sl->b->opts->root, doc_page(d)->source);
		text = read_text(file, SITE_MAX_SOURCE, &len);
		free(file);
		if (text == NULL)
			return value_cstr("");
		if ((off = frontmatter_length(text, len, true)) > len)
			off = len;
		raw = value_str(text + off, len - off);
		free(text);
		return raw;
	}
	if (d->content != NULL)
		return value_ref(d->content);
	if (d->rendering || sl->depth >= CONTENT_MAX_DEPTH)
		return value_cstr("");
	file = site_path_join(sl->b->opts->root, d->post ?
	    snap->posts[d->i].source : doc_page(d)->source);
	markdown = d->post || doc_page(d)->kind == PAGE_MARKDOWN;
	if ((text = read_text(file, SITE_MAX_SOURCE, &len)) == NULL) {
		free(file);
		return value_cstr("");
	}
	if ((off = frontmatter_length(text, len, true)) > len)
		off = len;
	d->rendering = true;
	sl->depth++;
	sl->asker = (size_t)(d - sl->docs);
	tmpl = liquid_template_parse(sl->eng, file, 1, text + off, len - off,
	    &diags);
	vars = vars_for(sl, sl->asker);
	liquid_template_render(sl->eng, tmpl, vars, &md, NULL, &diags);
	sl->asker = asker;
	value_unref(vars);
	liquid_template_free(tmpl);
	/* HTML and other pages: their Liquid output, as Jekyll's. */
	if (markdown)
		markdownify(sl, md.data ? md.data : "", md.len, &html);
	else {
		html = md;
		memset(&md, 0, sizeof(md));
	}
	sl->depth--;
	d->rendering = false;
	d->content = value_str_buf(&html);
	buf_free(&md);
	diag_free(&diags);
	free(text);
	free(file);
	return value_ref(d->content);
}

static struct value *
fields(struct lq_doc *d)
{
	if (d->fields == NULL)
		d->fields = doc_fields(d, fm_copy(d->fm));
	return d->fields;
}

static struct value *
doc_get(void *self, const char *key, size_t len)
{
	struct lq_doc		*d = self;
	struct site_liquid	*sl = d->sl;
	const struct post	*p;
	struct value		*v;

	/* As Jekyll: its own content, while it renders, is its source. */
	if (len == 7 && memcmp(key, "content", 7) == 0)
		return sl->current_body != NULL && d == &sl->docs[sl->current] ?
		    value_ref(sl->current_body) : doc_content(d);
	if ((v = value_hash_get(fields(d), key, len)) != NULL)
		return value_ref(v);
	if (!d->post)
		return NULL;
	p = &sl->b->snap->posts[d->i];
	if (len == 7 && memcmp(key, "excerpt", 7) == 0)
		return str(p->excerpt);
	/* Posts are newest first: the previous one is older. */
	if (len == 8 && memcmp(key, "previous", 8) == 0)
		return d->i + 1 < sl->b->snap->nposts ?
		    value_ref(sl->drops[d->i + 1]) : &value_nil;
	if (len == 4 && memcmp(key, "next", 4) == 0)
		return d->i > 0 ? value_ref(sl->drops[d->i - 1]) : &value_nil;
	return NULL;
}

static struct value *
doc_hash(void *self)
{
	struct lq_doc	*d = self;
	struct value	*h, *v;

	h = fm_copy(fields(d));
	if (d->post && value_hash_get(h, "excerpt", 7) == NULL &&
	    (v = doc_get(d, "excerpt", 7)) != NULL)
		set(h, "excerpt", v);
	return h;
}

/* The docs and their values belong to the build's site_liquid. */
static void
drop_free(void *self)
{
	(void)self;
}

static const struct value_drop_ops doc_ops = {
	"Jekyll::Drops::DocumentDrop", doc_get, doc_hash, drop_free
};

/* Posts (indexes into the posts) as an array of their drops. */
static struct value *
post_list(struct site_liquid *sl, const size_t *v, size_t n)
{
	struct value	*a = value_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		value_array_push(a, value_ref(sl->drops[v[i]]));
	return a;
}

static struct value *
taxonomy(struct site_liquid *sl, const struct taxon *t, size_t n)
{
	struct value	*h = value_hash();
	size_t		 i;

	for (i = 0; i < n; i++)
		set(h, t[i].name, post_list(sl, t[i].posts, t[i].nposts));
	return h;
}

/*
 * A static file as Jekyll's StaticFileDrop (path: "/" and its path in
 * the root, which a collection's file has without its "/"); label: its
 * collection's, or NULL.
 */
static struct value *
static_file(const char *path, const char *label)
{
	struct value	*h = value_hash();
	const char	*name, *dot;

	name = strrchr(path, '/') + 1;
	dot = strrchr(name, '.');
	set(h, "path", value_cstr(label != NULL ? path + 1 : path));
	set(h, "name", value_cstr(name));
	set(h, "basename", value_str(name, dot && dot != name ?
	    (size_t)(dot - name) : strlen(name)));
	set(h, "extname", value_cstr(dot && dot != name ? dot : ""));
	set(h, "collection", str(label));
	return h;
}

/* Is path ("/" and a path in the root) inside the folder dir? */
static bool
in_dir(const char *path, const char *dir)
{
	size_t	n = strlen(dir);

	return strncmp(path + 1, dir, n) == 0 && path[n + 1] == '/';
}

/*
 * Jekyll's kramdown options under the site's own (Configuration's
 * DEFAULTS, merged key by key as Jekyll merges them).
 */
static void
kramdown_defaults(struct value *h)
{
	struct value	*kd, *levels;
	int		 i;

	if ((kd = value_hash_get(h, "kramdown", 8)) == NULL) {
		kd = value_hash();
		set(h, "kramdown", kd);
	} else if (kd->type != VALUE_HASH)
		return;
	levels = value_array();
	for (i = 1; i <= 6; i++)
		value_array_push(levels, value_int(i));
	set_default(kd, "auto_ids", value_bool(true));
	set_default(kd, "toc_levels", levels);
	set_default(kd, "entity_output", value_cstr("as_char"));
	set_default(kd, "smart_quotes", value_cstr("lsquo,rsquo,ldquo,rdquo"));
	set_default(kd, "input", value_cstr("GFM"));
	set_default(kd, "hard_wrap", value_bool(false));
	set_default(kd, "guess_lang", value_bool(true));
	set_default(kd, "footnote_nr", value_int(1));
	set_default(kd, "show_warnings", value_bool(false));
}

/* _config.yml with every key as Jekyll reads it, and Jekyll's defaults. */
static struct value *
config_value(struct build *b)
{
	struct value	*h = fm_copy(b->snap->config.data);

	set_default(h, "markdown", value_cstr("kramdown"));
	set_default(h, "highlighter", value_cstr("rouge"));
	set_default(h, "permalink", value_cstr("date"));
	set_default(h, "excerpt_separator", value_cstr("\n\n"));
	set_default(h, "encoding", value_cstr("utf-8"));
	set_default(h, "baseurl", value_cstr(""));
	kramdown_defaults(h);
	return h;
}

/*
 * The static files of a collection (c, or the site's for NULL):
 * those it serves, or those Jekyll reads of one with output: false.
 */
static struct value *
collection_files(struct site_liquid *sl, const struct collection *c)
{
	const struct build	*b = sl->b;
	struct value		*a = value_array();
	size_t			 i, k;
	bool			 other;

	for (i = 0; (c == NULL || c->output) && i < b->snap->nstatics; i++) {
		for (other = false, k = 0; c == NULL && k < b->ncolls; k++)
			other = other || in_dir(b->snap->statics[i].path,
			    b->colls[k].dir);
		if (c != NULL ? in_dir(b->snap->statics[i].path, c->dir) :
		    !other)
			value_array_push(a, static_file(
			    b->snap->statics[i].path, c ? c->label : NULL));
	}
	for (i = 0; c != NULL && !c->output && i < b->nunwritten_files; i++)
		if (in_dir(b->unwritten_files[i], c->dir))
			value_array_push(a, static_file(b->unwritten_files[i],
			    c->label));
	return a;
}

/* A collection as Jekyll's CollectionDrop gives it, d its docs, f its files. */
static struct value *
collection_value(struct site_liquid *sl, const char *label,
    const char *dir, bool output, const struct value *meta,
    const char *permalink, struct value *d, struct value *f)
{
	struct value		*h = fm_copy(meta);
	char			*full;

	set(h, "label", value_cstr(label));
	set(h, "docs", d);
	set(h, "files", f);
	set(h, "relative_directory", value_cstr(dir));
	full = site_path_join(sl->b->realroot, dir);
	set(h, "directory", value_cstr(full));
	free(full);
	set(h, "output", value_bool(output));
	if (permalink != NULL)
		set(h, "permalink", value_cstr(permalink));
	return h;
}

static int
label_cmp(const void *a, const void *b)
{
	const struct value	*x = *(struct value *const *)a;
	const struct value	*y = *(struct value *const *)b;

	return strcmp(value_hash_get(x, "label", 5)->u.str.s,
	    value_hash_get(y, "label", 5)->u.str.s);
}

static void
append_all(struct value *to, const struct value *from)
{
	size_t	i;

	for (i = 0; i < from->u.arr.n; i++)
		value_array_push(to, value_ref(from->u.arr.v[i]));
}

/*
 * site.collections: posts and those of _config.yml, by label, each
 * with its documents (posts oldest first, as Jekyll's collection has
 * them) and files; site.documents: every collection's documents and
 * files, posts first; site.static_files: the site's, then each
 * collection's.
 */
static void
collections(struct site_liquid *sl, struct value *site)
{
	struct build		*b = sl->b;
	const struct collection	*c;
	struct value		*list = value_array(), *all = value_array();
	struct value		*posts = value_array(), *d, *f, **sorted;
	struct value		*statics;
	char			*style;
	size_t			 i, k;

	for (i = b->snap->nposts; i > 0; i--) {
		value_array_push(posts, value_ref(sl->drops[i - 1]));
		value_array_push(all, value_ref(sl->drops[i - 1]));
	}
	sorted = xcalloc(b->ncolls + 1, sizeof(*sorted));
	style = frontmatter_string(snapshot_config_get(&b->snap->config,
	    "permalink"));
	sorted[b->ncolls] = collection_value(sl, "posts", "_posts", true,
	    NULL, site_url_style(style), posts, value_array());
	free(style);
	statics = collection_files(sl, NULL);
	for (k = 0; k < b->ncolls; k++) {
		c = &b->colls[k];
		/* A collection without documents is an empty list too. */
		if ((d = value_hash_get(site, c->label, strlen(c->label))) ==
		    NULL || d->type != VALUE_ARRAY) {
			d = value_array();
			set(site, c->label, d);
		}
		f = collection_files(sl, c);
		append_all(all, d);
		append_all(all, f);
		append_all(statics, f);
		style = frontmatter_string(value_hash_get(c->meta,
		    "permalink", 9));
		sorted[k] = collection_value(sl, c->label, c->dir, c->output,
		    c->meta, style, value_ref(d), f);
		free(style);
	}
	qsort(sorted, b->ncolls + 1, sizeof(*sorted), label_cmp);
	for (k = 0; k <= b->ncolls; k++)
		value_array_push(list, sorted[k]);
	free(sorted);
	set(site, "collections", list);
	set(site, "documents", all);
	set(site, "static_files", statics);
}

static struct value *
site_value(struct site_liquid *sl)
{
	const struct snapshot	*snap = sl->b->snap;
	struct value		*site = config_value(sl->b), *a, *c, *h;
	const struct page	*pg;
	const char		*label;
	size_t			 i;

	set(site, "time", value_time(&sl->b->time));
	a = value_array();
	for (i = 0; i < snap->nposts; i++)
		value_array_push(a, value_ref(sl->drops[i]));
	set(site, "posts", a);
	a = value_array();
	h = value_array();
	for (i = 0; i < sl->nby_name; i++) {
		pg = doc_page(&sl->docs[sl->by_name[i]]);
		value_array_push(a, value_ref(sl->drops[sl->by_name[i]]));
		/* Jekyll's html_pages: HTML output, or a folder's. */
		if (pg->kind != PAGE_FILE || (pg->web != NULL &&
		    *pg->web != '\0' && pg->web[strlen(pg->web) - 1] == '/'))
			value_array_push(h, value_ref(sl->drops[sl->by_name[i]]));
	}
	for (i = snap->nposts; i < sl->ndocs; i++) {
		pg = doc_page(&sl->docs[i]);
		if ((label = pg->collection) == NULL)
			continue;
		/* A collection's documents: site.LABEL, in name order. */
		if ((c = value_hash_get(site, label, strlen(label))) == NULL ||
		    c->type != VALUE_ARRAY) {
			c = value_array();
			set(site, label, c);
		}
		value_array_push(c, value_ref(sl->drops[i]));
	}
	set(site, "pages", a);
	set(site, "html_pages", h);
	collections(sl, site);
	set(site, "categories", taxonomy(sl, snap->categories,
	    snap->ncategories));
	set(site, "tags", taxonomy(sl, snap->tags, snap->ntags));
	set(site, "data", sl->b->data ? value_ref(sl->b->data) :
	    value_hash());
	return site;
}

/* include from _includes, include_relative from the including file's folder. */
static int
include(void *ctx, const char *name, bool relative, const char *from,
    struct liquid_source *src)
{
	struct site_liquid	*sl = ctx;
	struct build		*b = sl->b;
	struct lq_include	*inc;
	struct stat		 st;
	char			*dir, *path, *real;
	size_t			 i, n = strlen(b->realroot);
	bool			 ok;

	if (relative) {
		dir = file_dirname(from);
		path = site_path_join(dir, name);
		free(dir);
	} else {
		dir = site_path_join(b->opts->root, "_includes");
		path = site_path_join(dir, name);
		free(dir);
	}
	for (i = 0; i < sl->nincl; i++)
		if (strcmp(sl->incl[i].path, path) == 0)
			goto found;
	/* Inside the root, a regular file, never the certificate or key. */
	real = realpath(path, NULL);
	ok = real != NULL && strncmp(real, b->realroot, n) == 0 &&
	    real[n] == '/' && stat(real, &st) == 0 && S_ISREG(st.st_mode) &&
	    !site_scan_secret(b, &st);
	free(real);
	if (!ok) {
		free(path);
		return -1;
	}
	xgrowarray(&sl->incl, &sl->capincl, sl->nincl + 1, sizeof(*sl->incl));
	inc = &sl->incl[sl->nincl];
	memset(inc, 0, sizeof(*inc));
	if ((inc->text = read_text(path, SITE_MAX_SOURCE, &inc->len)) ==
	    NULL) {
		free(path);
		return -1;
	}
	inc->path = path;
	path = NULL;
	i = sl->nincl++;
found:
	free(path);
	src->text = sl->incl[i].text;
	src->len = sl->incl[i].len;
	src->path = sl->incl[i].path;
	return 0;
}

static char *
post_url(void *ctx, const char *name)
{
	struct site_liquid	*sl = ctx;
	const char		*url = site_map_post_path(sl->b, name);

	return url ? xstrdup(url) : NULL;
}

static char *
link(void *ctx, const char *path)
{
	struct site_liquid	*sl = ctx;
	const char		*url = site_map_link_path(sl->b, path);

	return url ? xstrdup(url) : NULL;
}

struct page_name {
	const char	*name, *path;
	size_t		 k;
};

static int
page_name_cmp(const void *a, const void *b)
{
	const struct page_name	*x = a, *y = b;
	int			 c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->path, y->path);
}

/*
 * The pages (not a collection's documents) by name, as Jekyll sorts
 * site.pages and renders them: their ranks, and sl->by_name.
 */
static void
rank_pages(struct site_liquid *sl)
{
	struct page_name	*v;
	const struct page	*pg;
	const char		*slash;
	size_t			 k, n = 0;

	v = xcalloc(sl->ndocs + 1, sizeof(*v));
	for (k = 0; k < sl->ndocs; k++) {
		if (sl->docs[k].post || (pg = doc_page(&sl->docs[k]))->
		    collection != NULL)
			continue;
		slash = strrchr(pg->source, '/');
		v[n].name = slash ? slash + 1 : pg->source;
		v[n].path = pg->source;
		v[n++].k = k;
	}
	qsort(v, n, sizeof(*v), page_name_cmp);
	sl->by_name = xcalloc(n + 1, sizeof(*sl->by_name));
	for (k = 0; k < n; k++) {
		sl->docs[v[k].k].rank = k + 1;
		sl->by_name[k] = v[k].k;
	}
	sl->nby_name = n;
	free(v);
}

void
site_liquid_begin(struct build *b)
{
	const struct snapshot	*snap = b->snap;
	struct liquid_config	 cfg = LIQUID_CONFIG_DEFAULT;
	struct liquid_hooks	 hooks;
	struct site_liquid	*sl = xcalloc(1, sizeof(*sl));
	const struct source	*src;
	struct lq_doc		*d;
	char			*file;
	size_t			 k;

	sl->b = b;
	memset(&hooks, 0, sizeof(hooks));
	hooks.ctx = sl;
	hooks.include = include;
	hooks.post_url = post_url;
	hooks.link = link;
	hooks.markdownify = markdownify;
	cfg.url = snap->config.url;
	cfg.baseurl = snap->config.baseurl;
	cfg.max_steps = DOC_MAX_STEPS;
	cfg.max_output = DOC_MAX_OUTPUT;
	sl->eng = liquid_engine_new(&hooks, &cfg);
	sl->ndocs = snap->nposts + snap->npages + b->nunwritten;
	sl->docs = xcalloc(sl->ndocs + 1, sizeof(*sl->docs));
	sl->drops = xcalloc(sl->ndocs + 1, sizeof(*sl->drops));
	for (k = 0; k < sl->ndocs; k++) {
		d = &sl->docs[k];
		d->sl = sl;
		d->post = k < snap->nposts;
		d->unwritten = k >= snap->nposts + snap->npages;
		d->i = d->post ? k : d->unwritten ? k - snap->nposts -
		    snap->npages : k - snap->nposts;
		src = d->post ? &b->post_src[d->i] : d->unwritten ?
		    &b->unwritten_src[d->i] : &b->page_src[d->i];
		d->fm = src->fm.data ? value_ref(src->fm.data) : NULL;
		sl->drops[k] = value_drop(&doc_ops, d);
	}
	rank_pages(sl);
	sl->site = site_value(sl);
	file = site_path_join(b->opts->root, "_config.yml");
	convert_kramdown_opts(&b->kramdown, value_hash_get(sl->site,
	    "kramdown", 8), file, b->diags);
	free(file);
	sl->jekyll = value_hash();
	set(sl->jekyll, "version", value_cstr("4.3.3"));
	set(sl->jekyll, "environment", value_cstr("development"));
	b->liquid = sl;
}

struct liquid_engine *
site_liquid_engine(struct build *b)
{
	return b->liquid->eng;
}

static struct value *
vars_for(struct site_liquid *sl, size_t k)
{
	struct value	*vars = value_hash();

	set(vars, "site", value_ref(sl->site));
	set(vars, "jekyll", value_ref(sl->jekyll));
	set(vars, "page", value_ref(sl->drops[k]));
	return vars;
}

struct value *
site_liquid_vars(struct build *b, bool post, size_t i, const char *body,
    size_t len)
{
	struct site_liquid	*sl = b->liquid;

	sl->current = sl->asker = post ? i : b->snap->nposts + i;
	value_unref(sl->current_body);
	sl->current_body = value_str(body, len);
	return vars_for(sl, sl->current);
}

void
site_liquid_end(struct build *b)
{
	struct site_liquid	*sl = b->liquid;
	size_t			 k;

	if (sl == NULL)
		return;
	value_unref(sl->site);
	value_unref(sl->jekyll);
	value_unref(sl->current_body);
	for (k = 0; k < sl->ndocs; k++) {
		value_unref(sl->drops[k]);
		value_unref(sl->docs[k].fm);
		value_unref(sl->docs[k].fields);
		value_unref(sl->docs[k].content);
	}
	for (k = 0; k < sl->nincl; k++) {
		free(sl->incl[k].path);
		free(sl->incl[k].text);
	}
	free(sl->incl);
	free(sl->docs);
	free(sl->drops);
	free(sl->by_name);
	liquid_engine_free(sl->eng);
	free(sl);
	b->liquid = NULL;
}
