#include <stdlib.h>
#include <string.h>

#include "site-int.h"

/* Where the items point, and what the capsule holds. */
struct gsite {
	struct gopher_render		 render;
	const struct snapshot		*snap;
	const struct site_options	*opts;
	struct diags			*diags;	/* selector clashes */
};

/* a, the first blen bytes of b, then c, as a new string (no printf). */
static char *
join(const char *a, const char *b, size_t blen, const char *c)
{
	size_t	 alen = strlen(a), clen = strlen(c);
	char	*s = xmalloc(alen + blen + clen + 1);

	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	memcpy(s + alen + blen, c, clen + 1);
	return s;
}

/* path without its suffix (".gmi", or a trailing "/"), then add. */
static char *
replace_suffix(const char *path, const char *add)
{
	size_t	len = strlen(path);

	if (len > 4 && strcmp(path + len - 4, ".gmi") == 0)
		len -= 4;
	else if (len > 1 && path[len - 1] == '/')
		len--;
	return join("", path, len, add);
}

static char *
post_selector(const struct post *p)
{
	return gopher_post_selector(p, false);
}

static char *
post_menu_selector(const struct post *p)
{
	return gopher_post_selector(p, true);
}

static bool
taxon_selector(const struct taxon *v, size_t n, const char *path,
    char **selector)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].path, path) == 0) {
			*selector = replace_suffix(path, "/");
			return true;
		}
	return false;
}

/* The generated Gemini pages that have a Gopher menu of their own. */
static bool
generated_selector(const char *path, char **selector)
{
	static const struct {
		const char	*gemini, *gopher;
	} gen[] = {
		{ "/", "" }, { "/index.gmi", "" },
		{ "/archive.gmi", "/archive/" }, { "/archive/", "/archive/" },
		{ "/categories.gmi", "/categories/" },
		{ "/categories/", "/categories/" },
		{ "/tags.gmi", "/tags/" }, { "/tags/", "/tags/" },
	};
	size_t	i;

	for (i = 0; i < nitems(gen); i++)
		if (strcmp(path, gen[i].gemini) == 0) {
			*selector = xstrdup(gen[i].gopher);
			return true;
		}
	return false;
}

/* resolve callback: a Gemini path of the capsule to its Gopher item. */
static bool
resolve(void *ctx, const char *path, char *type, char **selector)
{
	const struct gsite	*g = ctx;
	const struct snapshot	*s = g->snap;
	size_t			 i;
	long			 post;

	if ((post = snapshot_find_post(s, path)) != -1) {
		*type = '0';
		*selector = post_selector(&s->posts[post]);
		return true;
	}
	for (i = 0; i < s->npages; i++)
		if (s->pages[i].kind != PAGE_FILE &&
		    strcmp(s->pages[i].path, path) == 0) {
			*type = '0';
			*selector = replace_suffix(path, ".txt");
			return true;
		}
	*type = '1';
	if (generated_selector(path, selector) ||
	    taxon_selector(s->categories, s->ncategories, path, selector) ||
	    taxon_selector(s->tags, s->ntags, path, selector))
		return true;
	/* Taxonomies may be built after the posts. */
	if ((strncmp(path, "/categories/", 12) == 0 ||
	    strncmp(path, "/tags/", 6) == 0) &&
	    strlen(path) > 4 && strcmp(path + strlen(path) - 4, ".gmi") == 0) {
		*selector = replace_suffix(path, "/");
		return true;
	}
	return false;
}

static void
gsite_init(struct gsite *g, const struct snapshot *s,
    const struct site_options *o, struct diags *diags)
{
	g->render.host = gopher_public_host(o->gopher_host, o->hostname);
	g->render.port = o->gopher_port;
	g->render.resolve = resolve;
	g->render.ctx = g;
	g->snap = s;
	g->opts = o;
	g->diags = diags;
}

/*
 * A route of what b holds, which the table takes (b is reset): its item
 * type ("1", "0"...) and kind.  A selector already routed is reported.
 */
static bool
add_route(struct snapshot *s, const struct gsite *g, const char *selector,
    enum route_kind kind, const char *type, struct buf *b)
{
	struct buf	 taken = *b;

	memset(b, 0, sizeof(*b));
	buf_reserve(&taken, 0);
	if (routes_take(&s->gopher, selector, kind, type, taken.data,
	    taken.len))
		return true;
	diag_add(g->diags, DIAG_WARNING, g->opts->root, 0, 0,
	    "Gopher selector %s is already served: not served again",
	    selector);
	return false;
}

static void
menu_home_item(const struct gsite *g, struct buf *b)
{
	gopher_text_info(b, "");
	gopher_menu_item(b, '1', "Main menu", "", g->render.host,
	    g->render.port);
}

/*
 * A document twice: as text at txt, and as a menu at menu whose items
 * are its links, with the text version on top.  The menu is kept as a
 * recipe over the text (gopher-text.h).  Frees both selectors.
 */
static void
add_doc(struct snapshot *s, const struct site_options *o,
    struct diags *diags, char *txt, char *menu, const struct doc *d)
{
	struct gsite		 g;
	struct gopher_recipe	 r;
	struct buf		 b = BUF_INIT;
	const struct route	*t;

	gsite_init(&g, s, o, diags);
	gopher_recipe_init(&r);
	gopher_menu_item(gopher_recipe_lines(&r), '0',
	    "This page as plain text", txt,
	    g.render.host, g.render.port);
	gopher_text_info(gopher_recipe_lines(&r), "");
	gopher_text_doc(d, &g.render, &b, &r);
	menu_home_item(&g, gopher_recipe_lines(&r));
	gopher_menu_end(gopher_recipe_lines(&r));
	/* The recipe reads the text where the table keeps it. */
	if (add_route(s, &g, txt, ROUTE_BODY, "0", &b) &&
	    (t = routes_find(&s->gopher, txt, strlen(txt))) != NULL) {
		gopher_recipe_finish(&r, t->body);
		add_route(s, &g, menu, ROUTE_RECIPE, "1", &r.ops);
	}
	buf_free(&r.ops);
	free(txt);
	free(menu);
}

void
gophersite_post(struct snapshot *s, const struct site_options *o,
    struct diags *diags, size_t i, const struct doc *d)
{
	if (o->gopher_port != 0)
		add_doc(s, o, diags, post_selector(&s->posts[i]),
		    post_menu_selector(&s->posts[i]), d);
}

void
gophersite_path(struct snapshot *s, const struct site_options *o,
    struct diags *diags, const char *path, const struct doc *d)
{
	if (o->gopher_port != 0)
		add_doc(s, o, diags, replace_suffix(path, ".txt"),
		    replace_suffix(path, "/"), d);
}

void
gophersite_page(struct snapshot *s, const struct site_options *o,
    struct diags *diags, size_t i, const struct doc *d)
{
	gophersite_path(s, o, diags, s->pages[i].path, d);
}

/* "YYYY-MM-DD - Title" as a text item, then its menu. */
static void
post_items(const struct gsite *g, struct buf *b, const struct post *p,
    bool with_menu)
{
	char	*display, *sel;

	display = join(p->date ? p->date : "undated", " - ", 3,
	    p->title ? p->title : p->name);
	sel = post_selector(p);
	gopher_menu_item(b, '0', display, sel, g->render.host, g->render.port);
	free(sel);
	free(display);
	if (!with_menu)
		return;
	sel = post_menu_selector(p);
	gopher_menu_item(b, '1', "    the same, with its links as items", sel,
	    g->render.host, g->render.port);
	free(sel);
}

static void
gemini_item(const struct gsite *g, struct buf *b)
{
	const char	*h = g->opts->hostname ? g->opts->hostname :
			    "localhost";
	bool		 v6 = strchr(h, ':') != NULL;
	char		*url;

	if (g->opts->gemini_port != 1965 && g->opts->gemini_port != 0)
		url = xasprintf("URL:gemini://%s%s%s:%d/", v6 ? "[" : "", h,
		    v6 ? "]" : "", g->opts->gemini_port);
	else
		url = xasprintf("URL:gemini://%s%s%s/", v6 ? "[" : "", h,
		    v6 ? "]" : "");
	gopher_menu_item(b, 'h', "This capsule on Gemini", url, g->render.host,
	    g->render.port);
	free(url);
}

static void
main_menu(struct snapshot *s, const struct gsite *g)
{
	struct buf		 b = BUF_INIT;
	size_t			 i;
	char			*sel;

	gopher_text_info(&b, s->config.title ? s->config.title : "Capsule");
	if (s->config.description != NULL) {
		gopher_text_info(&b, "");
		gopher_text_info(&b, s->config.description);
	}
	gopher_text_info(&b, "");
	for (i = 0; i < s->nposts; i++)
		post_items(g, &b, &s->posts[i], false);
	gopher_text_info(&b, "");
	gopher_menu_item(&b, '1', "Archive by year", "/archive/",
	    g->render.host,
	    g->render.port);
	gopher_menu_item(&b, '1', "Categories", "/categories/", g->render.host,
	    g->render.port);
	gopher_menu_item(&b, '1', "Tags", "/tags/", g->render.host,
	    g->render.port);
	if (s->search != NULL)
		gopher_menu_item(&b, '7', "Search the blog", SEARCH_PATH,
		    g->render.host, g->render.port);
	for (i = 0; i < s->npages; i++) {
		if (s->pages[i].kind == PAGE_FILE)
			continue;
		sel = replace_suffix(s->pages[i].path, ".txt");
		gopher_menu_item(&b, '0',
		    s->pages[i].title ? s->pages[i].title :
		    sel, sel, g->render.host, g->render.port);
		free(sel);
	}
	gemini_item(g, &b);
	gopher_menu_end(&b);
	if (add_route(s, g, "", ROUTE_BODY, "1", &b) &&
	    !routes_alias(&s->gopher, "/", ""))
		diag_add(g->diags, DIAG_WARNING, g->opts->root, 0, 0,
		    "Gopher selector / is already served: not served again");
}

/* A menu of posts (indexes into s->posts), titled. */
static void
posts_menu(struct snapshot *s, const struct gsite *g, const char *selector,
    const char *title, const size_t *idx, size_t n)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	gopher_text_info(&b, title);
	gopher_text_info(&b, "");
	for (i = 0; i < n; i++)
		post_items(g, &b, &s->posts[idx[i]], true);
	menu_home_item(g, &b);
	gopher_menu_end(&b);
	add_route(s, g, selector, ROUTE_BODY, "1", &b);
}

static void
taxonomy_menus(struct snapshot *s, const struct gsite *g,
    const char *selector, const char *what, const struct taxon *v, size_t n)
{
	struct buf	 b = BUF_INIT;
	char		*sel, *display, *title;
	size_t		 i;

	gopher_text_info(&b, what);
	gopher_text_info(&b, "");
	for (i = 0; i < n; i++) {
		sel = replace_suffix(v[i].path, "/");
		display = xasprintf("%s (%zu)", v[i].name, v[i].nposts);
		gopher_menu_item(&b, '1', display, sel, g->render.host,
		    g->render.port);
		title = xasprintf("%s: %s", what, v[i].name);
		posts_menu(s, g, sel, title, v[i].posts, v[i].nposts);
		free(title);
		free(display);
		free(sel);
	}
	menu_home_item(g, &b);
	gopher_menu_end(&b);
	add_route(s, g, selector, ROUTE_BODY, "1", &b);
}

static const char *
post_year(const struct post *p)
{
	return p->date != NULL && strlen(p->date) >= 4 ? p->date : "????";
}

/* /archive/ and one menu per year; posts are newest first. */
static void
archive_menus(struct snapshot *s, const struct gsite *g)
{
	struct buf	 b = BUF_INIT;
	size_t		*idx, i, j, n;
	char		*sel, *display, *title;

	idx = xreallocarray(NULL, s->nposts + 1, sizeof(*idx));
	gopher_text_info(&b, "Archive by year");
	gopher_text_info(&b, "");
	for (i = 0; i < s->nposts; i = j) {
		for (j = i, n = 0; j < s->nposts && strncmp(post_year(
		    &s->posts[i]), post_year(&s->posts[j]), 4) == 0; j++)
			idx[n++] = j;
		sel = xasprintf("/archive/%.4s/", post_year(&s->posts[i]));
		display = xasprintf("%.4s (%zu)", post_year(&s->posts[i]), n);
		title = xasprintf("Posts of %.4s", post_year(&s->posts[i]));
		gopher_menu_item(&b, '1', display, sel, g->render.host,
		    g->render.port);
		posts_menu(s, g, sel, title, idx, n);
		free(title);
		free(display);
		free(sel);
	}
	menu_home_item(g, &b);
	gopher_menu_end(&b);
	add_route(s, g, "/archive/", ROUTE_BODY, "1", &b);
	free(idx);
}

/* A file at its own path: text as Gopher text, the rest as it is. */
static void
file_route(struct snapshot *s, const struct gsite *g, const char *path,
    const char *body, size_t len)
{
	struct buf	 b = BUF_INIT;
	char		 type[2] = { 0 };

	type[0] = gopher_item_type(path);
	if (type[0] == '0') {
		gopher_text_plain(body, len, &b);
		add_route(s, g, path, ROUTE_BODY, type, &b);
	} else if (!routes_borrow(&s->gopher, path, ROUTE_BODY, type, body,
	    len))
		diag_add(g->diags, DIAG_WARNING, g->opts->root, 0, 0,
		    "Gopher selector %s is already served: not served again",
		    path);
}

void
gophersite_file(struct snapshot *s, const struct site_options *o,
    struct diags *diags, const char *path, const char *body, size_t len)
{
	struct gsite	 g;

	if (o->gopher_port == 0)
		return;
	gsite_init(&g, s, o, diags);
	file_route(s, &g, path, body, len);
}

static void
static_routes(struct snapshot *s, const struct gsite *g)
{
	const struct static_file	*f;
	size_t				 i;

	for (i = 0; i < s->nstatics; i++) {
		f = &s->statics[i];
		if (f->body != NULL)	/* NULL: its path was taken */
			file_route(s, g, f->path, f->body, f->len);
	}
}

void
gophersite_finish(struct snapshot *s, const struct site_options *o,
    struct diags *diags)
{
	struct gsite	 g;

	if (o->gopher_port == 0)
		return;
	gsite_init(&g, s, o, diags);
	static_routes(s, &g);
	main_menu(s, &g);
	archive_menus(s, &g);
	taxonomy_menus(s, &g, "/categories/", "Categories", s->categories,
	    s->ncategories);
	taxonomy_menus(s, &g, "/tags/", "Tags", s->tags, s->ntags);
	routes_seal(&s->gopher);
}
