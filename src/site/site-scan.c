/*
 * Walking the capsule root as Jekyll's Reader does: posts in a _posts
 * folder at any depth (the folders above it their categories), drafts
 * in _drafts (with --drafts), pages (any file with front matter),
 * static files; what Jekyll's entry rules leave out is never read
 * (site-entry.c); symbolic links must stay inside the root.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "site-int.h"

enum walk_mode {
	WALK_SITE,
	WALK_POSTS,		/* in a _posts folder */
	WALK_DRAFTS,		/* in a _drafts folder */
	WALK_COLLECTION,	/* in a collection's folder: b->coll */
};

static void	walk(struct build *, const char *rel, int depth,
		    enum walk_mode);

static bool
has_ext(const char *name, const char *ext)
{
	size_t	n = strlen(name), e = strlen(ext);

	return n > e && strcmp(name + n - e, ext) == 0;
}

/* Jekyll's markdown_ext: markdown,mkdown,mkdn,mkd,md. */
static bool
is_markdown(const char *name)
{
	return has_ext(name, ".md") || has_ext(name, ".markdown") ||
	    has_ext(name, ".mkdown") || has_ext(name, ".mkdn") ||
	    has_ext(name, ".mkd");
}

/* Jekyll's Page::HTML_EXTENSIONS: pages whose output is HTML. */
static bool
is_html(const char *name)
{
	return has_ext(name, ".html") || has_ext(name, ".htm") ||
	    has_ext(name, ".xhtml");
}

/*
 * What a source with front matter becomes (pages.h); false for one of
 * Sass or CoffeeScript, whose converters capsuled does not run.
 */
static bool
template_kind(const char *name, enum page_kind *kind)
{
	if (has_ext(name, ".scss") || has_ext(name, ".sass") ||
	    has_ext(name, ".coffee"))
		return false;
	*kind = is_markdown(name) ? PAGE_MARKDOWN : is_html(name) ?
	    PAGE_HTML : PAGE_FILE;
	return true;
}

/* The name without its extension. */
static char *
strip_ext(const char *name)
{
	const char	*dot = strrchr(name, '.');

	return dot ? xstrndup(name, (size_t)(dot - name)) : xstrdup(name);
}

/* The YYYY-MM-DD at the start of a post's file name, checked. */
static bool
name_date(const char *name, char date[11])
{
	if (!frontmatter_ymd_date(name) || name[10] != '-')
		return false;
	memcpy(date, name, 10);
	date[10] = '\0';
	return true;
}

/* "a-post-name" -> "A post name": Jekyll's title for a post without. */
static char *
title_from_slug(const char *slug)
{
	char	*t = xstrdup(slug), *p;

	for (p = t; *p != '\0'; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	t[0] = (char)toupper((unsigned char)t[0]);
	return t;
}

/* Title as written, whitespace runs collapsed to one space. */
static char *
collapse_ws(const char *s)
{
	struct buf	 out = BUF_INIT;
	bool		 space = false;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			space = out.len > 0;
			continue;
		}
		if (space)
			buf_putc(&out, ' ');
		space = false;
		buf_putc(&out, *s);
	}
	return buf_detach(&out, NULL);
}

/* Category or tag names, whitespace collapsed, empty ones dropped. */
static char **
copy_names(char *const *v, size_t n, size_t *np)
{
	char	**c;
	size_t	  i;

	c = xcalloc(n + 1, sizeof(*c));
	for (*np = i = 0; i < n; i++) {
		c[*np] = collapse_ws(v[i]);
		if (*c[*np] != '\0')
			(*np)++;
		else
			free(c[*np]);
	}
	return c;
}

/* The source's lang when it is a language tag, else the site's. */
static char *
pick_lang(struct build *b, const struct source *s)
{
	const char	*site = b->snap->config.lang;

	if (s->fm.lang != NULL && site_source_lang_ok(s->fm.lang))
		return xstrdup(s->fm.lang);
	if (s->fm.lang != NULL)
		site_source_warn_lang(b->diags, s->file, s->fm.lang);
	return site ? xstrdup(site) : NULL;
}

/*
 * The folders above the first "_posts" (or "_drafts") of the path: the
 * categories Jekyll gives a post (categories_from_path).
 */
static void
path_categories(const char *rel, const char *dir, char ***listp,
    size_t *np)
{
	const char	*end = strstr(rel, dir), *p = rel;
	size_t		 n;

	while (end != NULL && p < end) {
		n = strcspn(p, "/");
		if (p + n > end)
			n = (size_t)(end - p);
		if (n > 0)
			frontmatter_name_add(listp, np, p, n);
		p += n + 1;
	}
}

/* Jekyll's Publisher: dated after site.time, without future. */
static bool
in_future(const struct build *b, const struct value_time *t)
{
	return !b->future && t->sec > b->time.sec;
}

/* The date of a post: its front matter's, its name's, a draft's mtime. */
static bool
post_time(const struct source *src, const char *date, bool dated,
    struct value_time *t)
{
	struct stat	st;

	memset(t, 0, sizeof(*t));
	if (src->fm.date != NULL) {
		*t = src->fm.time;
		return true;
	}
	if (dated)
		return value_time_parse(date, 10, t) == 0;
	if (stat(src->file, &st) == -1)
		return false;
	t->sec = st.st_mtime;
	value_time_local(t);
	return true;
}

/* When a post last changed, for Atom: last_modified_at, else its date. */
static char *
post_updated(const struct frontmatter *fm, const char *date)
{
	static const char	 fmt[] = "%Y-%m-%dT%H:%M:%SZ";
	struct value_time	 t;
	struct buf		 b = BUF_INIT;

	if (!fm->modified)
		return xasprintf("%sT00:00:00Z", date);
	t = fm->modified_at;
	t.offset = 0;
	value_strftime(&t, fmt, sizeof(fmt) - 1, &b);
	return buf_detach(&b, NULL);
}

static void
add_post(struct build *b, const char *rel, const char *fname, bool draft)
{
	struct snapshot	*snap = b->snap;
	struct source	 src;
	struct post	*p;
	struct value_time t;
	const char	*why = NULL;
	char		 date[11], **cats = NULL;
	size_t		 ncats = 0, i;
	bool		 dated, has_fm;

	dated = name_date(fname, date);
	if (!draft && !dated) {
		diag_add(b->diags, DIAG_NOTE, rel, 0, 0,
		    "not a post (YYYY-MM-DD-slug.md): ignored");
		return;
	}
	if (site_source_load(b, rel, &src, &has_fm) == -1)
		return;
	site_defaults_apply(b, rel, draft ? "drafts" : "posts", &src);
	if (!post_time(&src, date, dated, &t))
		why = "no date";
	else if (src.fm.unpublished && !b->unpublished)
		why = "published: false";
	else if (in_future(b, &t))
		why = "dated in the future (future: true publishes it)";
	if (why != NULL) {
		diag_add(b->diags, DIAG_NOTE, src.file, 0, 0, "%s: skipped",
		    why);
		site_source_free(&src);
		return;
	}
	if (!has_fm && !draft)
		diag_add(b->diags, DIAG_NOTE, src.file, 1, 1,
		    "post without front matter");

	xgrowarray(&snap->posts, &b->posts_cap, snap->nposts + 1,
	    sizeof(*snap->posts));
	b->post_src = xreallocarray(b->post_src, b->posts_cap,
	    sizeof(*b->post_src));
	p = &snap->posts[snap->nposts];
	memset(p, 0, sizeof(*p));
	p->source = xstrdup(rel);
	p->name = strip_ext(fname);
	p->slug = xstrdup(dated ? p->name + 11 : p->name);
	p->date = xmalloc(11);
	frontmatter_ymd(&t, p->date);
	p->updated = post_updated(&src.fm, p->date);
	src.time = t;
	src.draft = draft;
	p->title = src.fm.title && *src.fm.title ?
	    collapse_ws(src.fm.title) : title_from_slug(*p->slug ? p->slug :
	    p->name);
	if (src.fm.author)
		p->author = xstrdup(src.fm.author);
	else if (snap->config.author)
		p->author = xstrdup(snap->config.author);
	p->lang = pick_lang(b, &src);
	path_categories(rel, draft ? "_drafts" : "_posts", &cats, &ncats);
	for (i = 0; i < src.fm.ncategories; i++)
		frontmatter_name_add(&cats, &ncats, src.fm.categories[i],
		    strlen(src.fm.categories[i]));
	p->categories = copy_names(cats, ncats, &p->ncategories);
	xfreev(cats, ncats);
	p->tags = copy_names(src.fm.tags, src.fm.ntags, &p->ntags);
	b->post_src[snap->nposts++] = src;
}

/* A permalink's path (after its '/'): clean, no query, no fragment. */
static bool
clean_url_path(const char *p)
{
	return site_path_clean(p) && strpbrk(p, "?#") == NULL;
}

static void
warn_unclean(struct build *b, const struct source *s, const char *perm,
    const char *what)
{
	char	*p = diag_excerpt(perm, strlen(perm), 80);

	diag_add(b->diags, DIAG_WARNING, s->file, 0, 0,
	    "permalink %s is not a clean path: %s", p, what);
	free(p);
}

/*
 * A page's capsule path: from its permalink (/about/ -> /about.gmi),
 * else from its file (dir/x.md -> /dir/x.gmi).
 */
static char *
page_path(struct build *b, const char *rel, const struct source *s)
{
	const char	*perm = s->fm.permalink;
	char		*p, *noext, *path;
	size_t		 n;

	if (perm != NULL) {
		p = xstrdup(perm + (perm[0] == '/'));
		n = strlen(p);
		while (n > 0 && p[n - 1] == '/')
			p[--n] = '\0';
		if (has_ext(p, ".html") || has_ext(p, ".htm"))
			*strrchr(p, '.') = '\0';
		if (*p == '\0' || clean_url_path(p)) {
			path = xasprintf("/%s%s", p, *p ? ".gmi" : "");
			free(p);
			return path;
		}
		free(p);
		warn_unclean(b, s, perm, "ignored");
	}
	noext = strip_ext(rel);
	path = xasprintf("/%s.gmi", noext);
	free(noext);
	return path;
}

/*
 * Where Jekyll writes a rendered file (Page#destination): its URL, with
 * "index" in a folder's, its extension added when the URL lacks it.
 * NULL (reported) for a URL that is not a clean path.
 */
static char *
file_path(struct build *b, const char *rel, const struct source *s,
    const char *web)
{
	const char	*dot = strrchr(rel, '.'), *ext = "";
	char		*path, *p;
	size_t		 n = strlen(web);

	if (dot != NULL && strchr(dot, '/') == NULL)
		ext = dot;
	path = xasprintf("%s%s%s", web[0] == '/' ? "" : "/", web,
	    n > 0 && web[n - 1] == '/' ? "index" : "");
	if (!has_ext(path, ext)) {
		p = xasprintf("%s%s", path, ext);
		free(path);
		path = p;
	}
	if (clean_url_path(path + 1))
		return path;
	free(path);
	warn_unclean(b, s, web, "not served");
	return NULL;
}

/*
 * A collection's document: its URL from its permalink or the
 * collection's template, its capsule path from that.  NULL (reported)
 * for a permalink Jekyll could not fill.
 */
static char *
doc_path(struct build *b, const char *rel, const struct source *s,
    const struct collection *c, char **web)
{
	struct url_fields	 f;
	const struct value	*v;
	char			*path, *base, *dot, *url = NULL;

	memset(&f, 0, sizeof(f));
	f.collection = c->label;
	path = xstrdup(rel + strlen(c->dir));
	if ((dot = strrchr(path, '.')) != NULL && strchr(dot, '/') == NULL)
		*dot = '\0';
	f.path = path;
	base = strrchr(path, '/');
	f.basename = base ? base + 1 : path;
	v = frontmatter_get(&s->fm, "slug");
	f.slug = v != NULL && v->type == VALUE_STRING ? v->u.str.s : NULL;
	f.categories = s->fm.categories;
	f.ncategories = s->fm.ncategories;
	f.time = s->time;
	if (s->fm.permalink != NULL)
		url = site_url_generate(s->fm.permalink, &f, s->file, b->diags);
	if (url == NULL)
		url = site_url_generate(c->permalink, &f, s->file, b->diags);
	free(path);
	if (url == NULL)
		return NULL;
	*web = url;
	return site_url_to_path(url);
}

/*
 * A page's URL as Jekyll gives it (Page#template): its permalink, else
 * /DIR/NAME.html (/DIR/NAME/ under a style ending with '/'), /DIR/ for
 * an index; a page whose output is not HTML keeps its extension.
 */
static char *
page_web(struct build *b, const char *rel, const struct source *s,
    enum page_kind kind)
{
	const char	*dot, *ext = ".html";
	char		*style, *noext, *slash, *web;
	bool		 dirs;

	if (s->fm.permalink != NULL)
		return xstrdup(s->fm.permalink);
	dot = strrchr(rel, '.');
	if (kind != PAGE_MARKDOWN && dot != NULL && strchr(dot, '/') == NULL)
		ext = dot;
	if (kind == PAGE_FILE)
		return xasprintf("/%s", rel);
	style = frontmatter_string(snapshot_config_get(&b->snap->config,
	    "permalink"));
	dirs = site_url_style(style)[strlen(site_url_style(style)) - 1] ==
	    '/';
	free(style);
	noext = strip_ext(rel);
	slash = strrchr(noext, '/');
	if (strcmp(slash ? slash + 1 : noext, "index") == 0)
		web = xasprintf("/%.*s", slash ? (int)(slash - noext) + 1 : 0,
		    noext);
	else
		web = xasprintf("/%s%s", noext, dirs ? "/" : ext);
	free(noext);
	return web;
}

static void
add_page(struct build *b, const char *rel, const char *fname,
    const struct collection *coll, enum page_kind kind)
{
	struct snapshot	*snap = b->snap;
	struct source	 src;
	struct page	*pg;
	const char	*why = NULL;
	char		*path, *name, *web = NULL;
	bool		 has_fm, written = coll == NULL || coll->output;

	if (site_source_load(b, rel, &src, &has_fm) == -1)
		return;
	site_defaults_apply(b, rel, coll ? coll->label : "pages", &src);
	src.time.sec = b->time.sec;
	value_time_local(&src.time);
	if (src.fm.date != NULL)
		src.time = src.fm.time;
	if (coll == NULL) {
		web = page_web(b, rel, &src, kind);
		path = kind == PAGE_FILE ? file_path(b, rel, &src, web) :
		    page_path(b, rel, &src);
	} else
		path = doc_path(b, rel, &src, coll, &web);
	if (path == NULL) {
		free(web);
		site_source_free(&src);
		return;
	}
	if (coll != NULL && in_future(b, &src.time))
		why = "dated in the future (future: true publishes it)";
	else if (!has_fm && (coll != NULL || !site_optional_page(b, fname)))
		why = "Markdown without front matter is not a page";
	else if (written && kind != PAGE_FILE && (strncmp(fname, "404.", 4) ==
	    0 || (src.fm.layout && strcmp(src.fm.layout, "error404") == 0)))
		why = "an error page is not served (missing paths get 51)";
	else if (written && pages_is_generated(path))
		why = "a generated document takes this path";
	else if (src.fm.unpublished && !b->unpublished)
		why = "published: false";
	if (why != NULL) {
		diag_add(b->diags, DIAG_NOTE, src.file, 0, 0, "%s: %s", path,
		    why);
		free(path);
		free(web);
		site_source_free(&src);
		return;
	}
	if (written) {
		xgrowarray(&snap->pages, &b->pages_cap, snap->npages + 1,
		    sizeof(*snap->pages));
		b->page_src = xreallocarray(b->page_src, b->pages_cap,
		    sizeof(*b->page_src));
		pg = &snap->pages[snap->npages];
	} else {
		xgrowarray(&b->unwritten, &b->unwritten_cap,
		    b->nunwritten + 1, sizeof(*b->unwritten));
		b->unwritten_src = xreallocarray(b->unwritten_src,
		    b->unwritten_cap, sizeof(*b->unwritten_src));
		pg = &b->unwritten[b->nunwritten];
	}
	memset(pg, 0, sizeof(*pg));
	pg->kind = kind;
	pg->source = xstrdup(rel);
	pg->path = path;
	pg->web = web;
	src.web = web;
	if (coll != NULL)
		pg->collection = xstrdup(coll->label);
	pg->url = url_encode_str(path, URL_PATH);
	if (((kind == PAGE_MARKDOWN &&
	    site_title_from_heading(b, &src, coll != NULL)) ||
	    src.fm.title) && *src.fm.title)
		pg->title = collapse_ws(src.fm.title);
	else {
		name = strip_ext(fname);
		pg->title = title_from_slug(name);
		free(name);
	}
	pg->lang = pick_lang(b, &src);
	if (src.fm.permalink)
		pg->permalink = xstrdup(src.fm.permalink);
	if (written)
		b->page_src[snap->npages++] = src;
	else
		b->unwritten_src[b->nunwritten++] = src;
}

/* Jekyll's has_yaml_header?: the first line is "---" and blanks. */
static bool
has_frontmatter(struct build *b, const char *file)
{
	size_t	n;

	buf_truncate(&b->raw, 0);
	if (file_read(AT_FDCWD, file, &b->raw, 64, NULL) == -1)
		return false;
	n = strcspn(b->raw.data, "\n");
	if (b->raw.len < 3 || memcmp(b->raw.data, "---", 3) != 0 ||
	    n == b->raw.len)
		return false;
	return strspn(b->raw.data + 3, " \t\r") == n - 3;
}

/* Does the file start with a "---" line (a Jekyll template)? */
static bool
starts_with_frontmatter(const char *data, size_t len)
{
	return len >= 4 && memcmp(data, "---", 3) == 0 &&
	    (data[3] == '\n' || (data[3] == '\r' && len >= 5 &&
	    data[4] == '\n'));
}

static void
add_static(struct build *b, const char *rel, const struct stat *st)
{
	struct snapshot		*snap = b->snap;
	struct static_file	*sf;
	char			*file, *data;
	size_t			 len;

	file = site_path_join(b->opts->root, rel);
	if ((uintmax_t)st->st_size > SITE_MAX_STATIC) {
		diag_add(b->diags, DIAG_WARNING, file, 0, 0,
		    "file too large (%jd bytes, limit %u): not served",
		    (intmax_t)st->st_size, SITE_MAX_STATIC);
		free(file);
		return;
	}
	/* Read where the snapshot keeps it: no copy, no page-sized faults. */
	data = arena_alloc(&snap->gemini.arena, (size_t)st->st_size + 1);
	if (file_read_to(AT_FDCWD, file, data, (size_t)st->st_size,
	    &len) == -1) {
		diag_errno(b->diags, DIAG_WARNING, file, NULL);
		free(file);
		return;
	}
	data[len] = '\0';
	if (starts_with_frontmatter(data, len)) {
		diag_add(b->diags, DIAG_NOTE, file, 1, 1,
		    "Jekyll template: not served");
		free(file);
		return;
	}
	free(file);
	xgrowarray(&snap->statics, &b->statics_cap, snap->nstatics + 1,
	    sizeof(*snap->statics));
	sf = &snap->statics[snap->nstatics++];
	sf->path = xasprintf("/%s", rel);
	sf->url = url_encode_str(sf->path, URL_PATH);
	sf->body = data;
	sf->len = len;
}

/* Does a path relative to the root go through a hidden or '_' name? */
static bool
hidden_part(const char *rel)
{
	const char	*p = rel;

	for (;;) {
		if (*p == '.' || *p == '_')
			return true;
		if ((p = strchr(p, '/')) == NULL)
			return false;
		p++;
	}
}

/*
 * Follow a symbolic link only when it resolves inside the root, and not
 * into what is never served (a '_' folder, a dotfile, _config.yml).
 * Returns false (reported) otherwise.
 */
static bool
link_inside(struct build *b, const char *full)
{
	char		*real;
	const char	*why = NULL;
	size_t		 n = strlen(b->realroot);

	if ((real = realpath(full, NULL)) == NULL) {
		diag_errno(b->diags, DIAG_WARNING, full,
		    "broken symbolic link");
		return false;
	}
	if (strncmp(real, b->realroot, n) != 0 ||
	    (real[n] != '/' && real[n] != '\0'))
		why = "leaves the capsule root";
	else if (real[n] == '/' && hidden_part(real + n + 1))
		why = "points to a file that is never served";
	if (why != NULL)
		diag_add(b->diags, DIAG_WARNING, full, 0, 0,
		    "symbolic link to %s %s: refused", real, why);
	free(real);
	return why == NULL;
}

/* Remember a folder; false when it was already scanned (a link loop). */
static bool
first_visit(struct build *b, const struct stat *st)
{
	size_t	i;

	for (i = 0; i < b->ndirs; i++)
		if (b->dirs[i].dev == st->st_dev &&
		    b->dirs[i].ino == st->st_ino)
			return false;
	xgrowarray(&b->dirs, &b->dirs_cap, b->ndirs + 1, sizeof(*b->dirs));
	b->dirs[b->ndirs].dev = st->st_dev;
	b->dirs[b->ndirs++].ino = st->st_ino;
	return true;
}

bool
site_scan_secret(const struct build *b, const struct stat *st)
{
	size_t	i;

	for (i = 0; i < b->opts->nsecrets; i++)
		if (b->opts->secrets[i].ino != 0 &&
		    b->opts->secrets[i].dev == st->st_dev &&
		    b->opts->secrets[i].ino == st->st_ino)
			return true;
	return false;
}

static void
visit(struct build *b, const char *rel, const char *name, int depth,
    enum walk_mode mode)
{
	struct stat	 st;
	enum page_kind	 kind;
	char		*full;

	full = site_path_join(b->opts->root, rel);
	if (lstat(full, &st) == -1 ||
	    (S_ISLNK(st.st_mode) && !link_inside(b, full)) ||
	    stat(full, &st) == -1)
		goto done;
	if (site_scan_secret(b, &st))
		diag_add(b->diags, DIAG_NOTE, full, 0, 0,
		    "the certificate, its key or their folder: never served");
	else if (S_ISDIR(st.st_mode)) {
		if (depth >= SITE_MAX_DEPTH)
			diag_add(b->diags, DIAG_WARNING, full, 0, 0,
			    "folder nested too deep: not scanned");
		else if (!first_visit(b, &st))
			diag_add(b->diags, DIAG_NOTE, full, 0, 0,
			    "folder already scanned (link loop): skipped");
		else
			walk(b, rel, depth + 1, mode);
	} else if (S_ISREG(st.st_mode)) {
		if (mode == WALK_COLLECTION && (is_markdown(name) ||
		    is_html(name)) && has_frontmatter(b, full) &&
		    template_kind(name, &kind))
			add_page(b, rel, name, b->coll, kind);
		else if (mode == WALK_COLLECTION && b->coll->output)
			add_static(b, rel, &st);
		else if (mode == WALK_COLLECTION) {
			/* Jekyll reads it, for Liquid, and writes nothing. */
			xgrowarray(&b->unwritten_files,
			    &b->unwritten_files_cap, b->nunwritten_files + 1,
			    sizeof(*b->unwritten_files));
			b->unwritten_files[b->nunwritten_files++] =
			    xasprintf("/%s", rel);
		}
		else if (mode != WALK_SITE && is_markdown(name))
			add_post(b, rel, name, mode == WALK_DRAFTS);
		else if (mode != WALK_SITE)
			diag_add(b->diags, DIAG_NOTE, full, 0, 0,
			    "not a Markdown post: ignored");
		else if (has_frontmatter(b, full) && template_kind(name, &kind))
			add_page(b, rel, name, NULL, kind);
		else if (is_markdown(name) && site_optional_page(b, name)) {
			/* Jekyll copies it too, but for remove_originals. */
			add_page(b, rel, name, NULL, PAGE_MARKDOWN);
			if (site_optional_keeps_source(b))
				add_static(b, rel, &st);
		} else
			add_static(b, rel, &st);
	}
done:
	free(full);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is the entry rel of the folder a folder (without following a link)? */
static bool
is_dir(const struct build *b, const char *rel)
{
	struct stat	 st;
	char		*full = site_path_join(b->opts->root, rel);
	bool		 dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);

	free(full);
	return dir;
}

/*
 * Scan one folder, its entries in name order (reproducible builds):
 * a _posts folder (or _drafts, with --drafts) of any folder read is
 * read for posts; the rest by Jekyll's entry rules.
 */
static void
walk(struct build *b, const char *rel, int depth, enum walk_mode mode)
{
	DIR		 *d;
	struct dirent	 *e;
	char		 *dir, **names = NULL, *child;
	const char	 *why;
	size_t		  n = 0, cap = 0, i;

	dir = site_path_join(b->opts->root, rel);
	if ((d = opendir(dir)) == NULL) {
		diag_errno(b->diags, DIAG_WARNING, dir, NULL);
		free(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!site_path_plain(e->d_name)) {
			child = site_path_join(dir, e->d_name);
			diag_add(b->diags, DIAG_WARNING, child, 0, 0,
			    "control character in the file name: not used");
			free(child);
			continue;
		}
		xgrowarray(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	free(dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		child = site_path_join(rel, names[i]);
		if (mode == WALK_SITE && (b->coll = site_collection(b,
		    child)) != NULL) {
			/* output: false: read for Liquid, never served. */
			visit(b, child, names[i], depth, WALK_COLLECTION);
		} else if (mode == WALK_SITE && strcmp(names[i], "_posts") == 0)
			visit(b, child, names[i], depth, WALK_POSTS);
		else if (mode == WALK_SITE && b->opts->drafts &&
		    strcmp(names[i], "_drafts") == 0)
			visit(b, child, names[i], depth, WALK_DRAFTS);
		else if ((why = site_entry_skip(&b->entries, child,
		    is_dir(b, child))) == NULL)
			visit(b, child, names[i], depth, mode);
		free(child);
		free(names[i]);
	}
	free(names);
}

static int
static_cmp(const void *a, const void *b)
{
	return strcmp(((const struct static_file *)a)->path,
	    ((const struct static_file *)b)->path);
}

void
site_scan(struct build *b)
{
	struct stat		 st;
	const struct value	*v;

	site_entry_rules(&b->entries, b->snap->config.data);
	site_collections(b);
	v = snapshot_config_get(&b->snap->config, "future");
	b->future = v != NULL && value_truthy(v);
	v = snapshot_config_get(&b->snap->config, "unpublished");
	b->unpublished = v != NULL && value_truthy(v);
	/* site.time: when the build starts, unless time: gives it (Jekyll). */
	v = snapshot_config_get(&b->snap->config, "time");
	if (v != NULL && v->type == VALUE_TIME)
		b->time = v->u.time;
	else if (v == NULL || v->type != VALUE_STRING ||
	    value_time_parse(v->u.str.s, v->u.str.len, &b->time) == -1)
		value_time_now(&b->time);
	/* In the local zone (timezone:), as Jekyll's parse_date has it. */
	value_time_local(&b->time);
	if (stat(b->realroot, &st) == 0)
		first_visit(b, &st);
	walk(b, "", 0, WALK_SITE);
	site_entry_rules_free(&b->entries);
	if (b->snap->nstatics > 0)
		qsort(b->snap->statics, b->snap->nstatics,
		    sizeof(*b->snap->statics), static_cmp);
}
