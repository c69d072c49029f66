/*
 * The callbacks the converter calls while rendering a post or a page:
 * post_url, link, and the URL mapping of CONVERSION.md 5.6 (web links
 * of the Jekyll site to capsule paths).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site-int.h"

/* Decode %XX escapes of the first len bytes of s (%00 kept as is). */
static char *
path_decode(const char *s, size_t len)
{
	char	*out = xmalloc(len + 1);

	url_decode(s, len, out, true);
	return out;
}

/* post_url's argument: [dir/]DATE-SLUG[.md] */
const char *
site_map_post_path(void *ctx, const char *arg)
{
	const struct build	*b = ctx;
	const char		*name, *dot;
	size_t			 len;
	long			 i;

	name = strrchr(arg, '/');
	name = name ? name + 1 : arg;
	len = strlen(name);
	if ((dot = strrchr(name, '.')) != NULL && (strcmp(dot, ".md") == 0 ||
	    strcmp(dot, ".markdown") == 0))
		len = (size_t)(dot - name);
	if ((i = snapshot_find_name(b->snap, name, len)) == -1)
		return NULL;
	return b->snap->posts[i].url;
}

static int
static_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct static_file *)elem)->path);
}

static const struct static_file *
find_static(const struct build *b, const char *path)
{
	if (b->snap->nstatics == 0)
		return NULL;
	return bsearch(path, b->snap->statics, b->snap->nstatics,
	    sizeof(*b->snap->statics), static_cmp);
}

/* {% link PATH %}: the capsule path of a source or static file. */
const char *
site_map_link_path(void *ctx, const char *arg)
{
	const struct build		*b = ctx;
	const struct snapshot		*snap = b->snap;
	const struct static_file	*sf;
	char				*path;
	size_t				 i;

	while (*arg == '/')
		arg++;
	if (strncmp(arg, "_posts/", 7) == 0)
		return site_map_post_path(ctx, arg);
	for (i = 0; i < snap->npages; i++)
		if (strcmp(snap->pages[i].source, arg) == 0)
			return snap->pages[i].url;
	path = xasprintf("/%s", arg);
	sf = find_static(b, path);
	free(path);
	return sf ? sf->url : NULL;
}

static bool
has_scheme(const char *s)
{
	const char	*p = s;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	return *p == ':';
}

/* A web path without its trailing slashes and .html: the page key. */
char *
site_map_web_key(const char *path)
{
	char	*k = xstrdup(path);
	size_t	 n = strlen(k);

	if (n > 5 && strcmp(k + n - 5, ".html") == 0)
		k[n -= 5] = '\0';
	if (n >= 6 && strcmp(k + n - 6, "/index") == 0)
		k[n -= 5] = '\0';
	while (n > 1 && k[n - 1] == '/')
		k[--n] = '\0';
	return k;
}

void
site_map_page_keys(struct build *b)
{
	const struct page	*pg;
	char			*src;
	size_t			 i;

	b->page_keys = xcalloc(2 * b->snap->npages + 1, sizeof(char *));
	for (i = 0; i < b->snap->npages; i++) {
		pg = &b->snap->pages[i];
		src = xasprintf("/%s", pg->source);
		*strrchr(src, '.') = '\0';
		b->page_keys[2 * i] = site_map_web_key(pg->web ? pg->web :
		    pg->permalink ? pg->permalink : src);
		b->page_keys[2 * i + 1] = src;
	}
}

/* A page by its web path (permalink or file), or its capsule path. */
static const char *
find_page(const struct build *b, const char *key)
{
	const struct page	*pg;
	size_t			 i;

	for (i = 0; i < b->snap->npages; i++) {
		pg = &b->snap->pages[i];
		if (strcmp(b->page_keys[2 * i], key) == 0 ||
		    strcmp(b->page_keys[2 * i + 1], key) == 0 ||
		    strcmp(pg->path, key) == 0)
			return pg->url;
	}
	return NULL;
}

/* A post by date and slug: posts are sorted by date, newest first. */
static const char *
find_dated(const struct snapshot *snap, const char *date, const char *slug)
{
	size_t	lo = 0, hi = snap->nposts, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(snap->posts[mid].date, date) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < snap->nposts && strcmp(snap->posts[lo].date, date) == 0;
	    lo++)
		if (strcmp(snap->posts[lo].slug, slug) == 0)
			return snap->posts[lo].url;
	return NULL;
}

/* A Jekyll post URL: .../YYYY/MM/DD/SLUG (the date permalink styles). */
static const char *
find_dated_post(const struct build *b, const char *key)
{
	const char	*seg[4], *p;
	char		 date[11];
	int		 n = 0;

	for (p = key + strlen(key); p > key && n < 4; p--)
		if (p[-1] == '/')
			seg[n++] = p;
	if (n < 4 || strspn(seg[3], "0123456789") != 4 || seg[3][4] != '/' ||
	    strspn(seg[2], "0123456789") != 2 || seg[2][2] != '/' ||
	    strspn(seg[1], "0123456789") != 2 || seg[1][2] != '/')
		return NULL;
	snprintf(date, sizeof(date), "%.4s-%.2s-%.2s", seg[3], seg[2],
	    seg[1]);
	return find_dated(b->snap, date, seg[0]);
}

static const char *
find_taxon(const struct taxon *v, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].url;
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].name, name) == 0)
			return v[i].url;
	return NULL;
}

/* A generated document by its capsule path (pages.c makes them). */
static const char *
find_generated(const struct snapshot *snap, const char *key)
{
	size_t	i;

	if (strcmp(key, "/") == 0 || strcmp(key, "/index.gmi") == 0)
		return "/";
	for (i = 0; i < snap->ncategories; i++)
		if (strcmp(snap->categories[i].path, key) == 0)
			return snap->categories[i].url;
	for (i = 0; i < snap->ntags; i++)
		if (strcmp(snap->tags[i].path, key) == 0)
			return snap->tags[i].url;
	return pages_is_generated(key) && strchr(key + 1, '/') == NULL ?
	    key : NULL;
}

/* /categories/#NAME and /tags/#NAME: the generated taxonomy pages. */
static const char *
find_taxonomy(const struct build *b, const char *key, const char *frag)
{
	const struct snapshot	*snap = b->snap;
	const char		*url = NULL;

	if (strcmp(key, "/categories") == 0) {
		if (frag != NULL)
			url = find_taxon(snap->categories, snap->ncategories,
			    frag);
		return url ? url : "/categories.gmi";
	}
	if (strcmp(key, "/tags") == 0) {
		if (frag != NULL)
			url = find_taxon(snap->tags, snap->ntags, frag);
		return url ? url : "/tags.gmi";
	}
	return NULL;
}

/* A capsule path for a root-relative web path (decoded), or NULL. */
static char *
map_local(const struct build *b, const char *path, const char *frag)
{
	const struct static_file	*sf;
	const char			*url;
	char				*key, *res;
	long				 i;

	if ((sf = find_static(b, path)) != NULL)
		return xstrdup(sf->url);
	if ((i = snapshot_find_post(b->snap, path)) != -1)
		return xstrdup(b->snap->posts[i].url);
	key = site_map_web_key(path);
	if ((i = snapshot_find_web(b->snap, key)) != -1) {
		free(key);
		return xstrdup(b->snap->posts[i].url);
	}
	url = find_taxonomy(b, key, frag);
	if (url == NULL)
		url = find_generated(b->snap, key);
	if (url == NULL)
		url = find_page(b, key);
	if (url == NULL)
		url = find_dated_post(b, key);
	if (url == NULL)
		url = site_redirect_find(b, key);
	res = url ? xstrdup(url) : NULL;
	free(key);
	return res;
}

/* The path of an absolute URL of the web site itself (url:), or NULL. */
static const char *
own_url(const struct build *b, const char *target)
{
	const char	*site = b->snap->config.url, *t, *s;
	size_t		 n;

	if (site == NULL)
		return NULL;
	/* Over http or https alike, and protocol-relative. */
	if ((s = strstr(site, "//")) == NULL)
		return NULL;
	s += 2;
	if (strncasecmp(target, "http://", 7) == 0)
		t = target + 7;
	else if (strncasecmp(target, "https://", 8) == 0)
		t = target + 8;
	else if (strncmp(target, "//", 2) == 0)
		t = target + 2;
	else
		return NULL;
	n = strlen(s);
	while (n > 0 && s[n - 1] == '/')
		n--;
	if (strncasecmp(t, s, n) != 0 || strchr("/?#", t[n]) == NULL)
		return NULL;
	return t[n] == '\0' ? "/" : t + n;
}

/* Resolve rel against the folder of base (both web paths), dot segments out. */
static char *
resolve(const char *base, const char *rel)
{
	struct buf	 out = BUF_INIT;
	const char	*slash = strrchr(base, '/'), *p, *seg;
	size_t		 n, k;

	buf_append(&out, base, slash ? (size_t)(slash - base) + 1 : 0);
	if (out.len == 0)
		buf_putc(&out, '/');
	for (p = rel; *p != '\0'; p += n + (p[n] == '/')) {
		seg = p;
		n = strcspn(p, "/");
		if (n == 1 && seg[0] == '.')
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Drop the last folder, never the root. */
			k = out.len - 1;
			while (k > 0 && out.data[k - 1] != '/')
				k--;
			buf_truncate(&out, k > 0 ? k : 1);
			continue;
		}
		buf_append(&out, seg, n);
		if (seg[n] == '/')
			buf_putc(&out, '/');
	}
	buf_putc(&out, '\0');
	return buf_detach(&out, NULL);
}

/*
 * jekyll-relative-links: a link to a Markdown source, relative to the
 * linking one's folder (or to the root with a '/'): its capsule URL.
 */
static char *
source_link(const struct build *b, const char *path)
{
	const char	*root = b->opts ? b->opts->root : NULL, *rel;
	char		*from, *res, *src;
	const char	*url;
	size_t		 n = strlen(path);

	if (!(n > 3 && strcmp(path + n - 3, ".md") == 0) &&
	    !(n > 9 && strcmp(path + n - 9, ".markdown") == 0))
		return NULL;
	rel = b->file;
	if (root != NULL && strncmp(rel, root, strlen(root)) == 0)
		rel += strlen(root) + (rel[strlen(root)] == '/');
	from = xasprintf("/%s", rel);
	res = path[0] == '/' ? xstrdup(path) : resolve(from, path);
	free(from);
	src = res + 1;
	url = site_map_link_path((void *)b, src);
	free(res);
	return url ? xstrdup(url) : NULL;
}

char *
site_map_url(void *ctx, const char *target, unsigned line)
{
	const struct build	*b = ctx;
	const char		*base = b->snap->config.baseurl, *site;
	const char		*p = target, *frag;
	char			*path, *fragment = NULL, *url, *abs = NULL;
	size_t			 n;

	if (*target == '#')
		return NULL;
	if ((p = own_url(b, target)) != NULL)
		target = p;
	else if (has_scheme(target) || (target[0] == '/' && target[1] == '/'))
		return xstrdup(target);
	p = target;
	n = strcspn(p, "?#");
	path = path_decode(p, n);
	if ((url = source_link(b, path)) != NULL) {
		free(path);
		return url;
	}
	free(path);
	if (*target != '/') {
		/* Relative: against the linking document's web URL. */
		if (b->web == NULL)
			return xstrdup(target);
		p = abs = resolve(b->web, target);
	}
	n = base ? strlen(base) : 0;
	while (n > 0 && base[n - 1] == '/')
		n--;
	/* baseurl as a whole first segment (p[n] may be the final NUL). */
	if (n > 0 && strncmp(p, base, n) == 0 && strchr("/?#", p[n]) != NULL)
		p += n;
	n = strcspn(p, "?#");
	path = path_decode(p, n);
	if (*path == '\0') {
		free(path);
		path = xstrdup("/");
	}
	if ((frag = strchr(p, '#')) != NULL)
		fragment = path_decode(frag + 1, strlen(frag + 1));
	url = map_local(b, path, fragment);
	free(path);
	free(fragment);
	if (url != NULL) {
		free(abs);
		return url;
	}
	free(abs);
	if (*target != '/')
		return xstrdup(target);
	site = b->snap->config.url;
	diag_add(b->diags, DIAG_WARNING, b->file, line, 0,
	    "%s: no such page in the capsule: %s", target,
	    site ? "linked to the web site" : "kept as is");
	if (site == NULL)
		return xstrdup(target);
	n = strlen(site);
	while (n > 0 && site[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, site, target);
}
