#include <stdlib.h>
#include <string.h>

#include "site-int.h"

void
pages_post_link(struct doc *d, const struct post *p, bool starts_block)
{
	char	*label;

	label = xasprintf("%s - %s", p->date, p->title);
	doc_add_link(d, starts_block, p->url, label);
	free(label);
}

void
pages_home(const struct snapshot *snap, struct doc *d)
{
	const struct site_config	*c = &snap->config;
	size_t				 i;
	bool				 first = true;

	doc_add_heading(d, 1, c->title && *c->title ? c->title : "Posts");
	if (c->description)
		doc_add(d, LINE_TEXT, true, c->description);
	for (i = 0; i < snap->npages; i++)
		if (snap->pages[i].kind != PAGE_FILE) {
			doc_add_link(d, first, snap->pages[i].url,
			    snap->pages[i].title);
			first = false;
		}
	doc_add_link(d, first, "/archive.gmi", "Archive");
	doc_add_link(d, false, "/categories.gmi", "Categories");
	doc_add_link(d, false, "/tags.gmi", "Tags");
	if (snap->search != NULL)
		doc_add_link(d, false, SEARCH_PATH, "Search");
	doc_add_link(d, false, "/atom.xml", "Atom feed");
	for (i = 0; i < snap->nposts; i++)
		pages_post_link(d, &snap->posts[i], i == 0);
}

void
pages_archive(const struct snapshot *snap, struct doc *d)
{
	char	 year[5] = "";
	size_t	 i;
	bool	 first;

	doc_add_heading(d, 1, "Archive");
	if (snap->nposts == 0)
		doc_add(d, LINE_TEXT, true, "No posts yet.");
	for (i = 0; i < snap->nposts; i++) {
		first = strncmp(year, snap->posts[i].date, 4) != 0;
		if (first) {
			memcpy(year, snap->posts[i].date, 4);
			doc_add_heading(d, 2, year);
		}
		pages_post_link(d, &snap->posts[i], first);
	}
}

static void
taxon_posts(const struct snapshot *snap, const struct taxon *t,
    struct doc *d)
{
	size_t	i;

	for (i = 0; i < t->nposts; i++)
		pages_post_link(d, &snap->posts[t->posts[i]], i == 0);
}

void
pages_taxonomy(const struct snapshot *snap, bool tags, struct doc *d)
{
	const struct taxon	*v = tags ? snap->tags : snap->categories;
	size_t			 n = tags ? snap->ntags : snap->ncategories;
	size_t			 i;
	char			*label;

	doc_add_heading(d, 1, tags ? "Tags" : "Categories");
	if (n == 0)
		doc_add(d, LINE_TEXT, true, tags ? "No tags." :
		    "No categories.");
	/* Each name's own page first (a gemlog of its own), then all. */
	for (i = 0; i < n; i++) {
		label = xasprintf("%s (%zu post%s)", v[i].name, v[i].nposts,
		    v[i].nposts == 1 ? "" : "s");
		doc_add_link(d, i == 0, v[i].url, label);
		free(label);
	}
	for (i = 0; i < n; i++) {
		doc_add_heading(d, 2, v[i].name);
		taxon_posts(snap, &v[i], d);
	}
}

void
pages_taxon(const struct snapshot *snap, const struct taxon *t, bool tag,
    struct doc *d)
{
	char	*title;

	title = xasprintf("%s %s", tag ? "Posts tagged" :
	    "Posts in the category", t->name);
	doc_add_heading(d, 1, title);
	free(title);
	taxon_posts(snap, t, d);
	doc_add_link(d, true, tag ? "/tags.gmi" : "/categories.gmi",
	    tag ? "All tags" : "All categories");
}

char *
pages_base_url(const struct site_options *opts)
{
	const char	*host = opts->hostname ? opts->hostname : "localhost";
	const char	*br = strchr(host, ':') ? "[" : "";
	const char	*ket = *br ? "]" : "";

	if (opts->gemini_port > 0 && opts->gemini_port != 1965)
		return xasprintf("gemini://%s%s%s:%d/", br, host, ket,
		    opts->gemini_port);
	return xasprintf("gemini://%s%s%s/", br, host, ket);
}

static void
xml_elem(struct buf *out, const char *indent, const char *name,
    const char *text)
{
	buf_printf(out, "%s<%s>", indent, name);
	buf_put_escaped(out, text);
	buf_printf(out, "</%s>\n", name);
}

/* A capsule URL made absolute: base ends with '/', url starts with one. */
static void
xml_link(struct buf *out, const char *indent, const char *base,
    const char *url, const char *rel)
{
	char	*abs;

	abs = xasprintf("%s%s", base, url + (*url == '/'));
	buf_printf(out, "%s<link href=\"", indent);
	buf_put_escaped(out, abs);
	buf_printf(out, "\" rel=\"%s\"/>\n", rel);
	free(abs);
}

char *
pages_tag_authority(const struct snapshot *snap,
    const struct site_options *opts)
{
	const char	*url = snap->config.url, *err, *host = opts->hostname;
	struct url	*u = xmalloc(sizeof(*u));
	char		*name;

	if (url != NULL && url_parse(url, strlen(url), u, &err) == 0 &&
	    u->host_kind == URL_HOST_NAME && u->host[0] != '\0')
		host = u->host;
	else if (host == NULL || strchr(host, ':') != NULL)
		host = "localhost";
	name = xstrdup(host);
	free(u);
	return name;
}

/*
 * An entry's id, which neither the serving host and port nor the post
 * URL style change (RFC 4151): tag:AUTHORITY,DATE:SOURCE, SOURCE the
 * post's file without its extension.
 */
static void
atom_id(struct buf *out, const struct post *p, const char *authority)
{
	const char	*dot = strrchr(p->source, '.');
	size_t		 len = strlen(p->source);

	if (dot != NULL && strchr(dot, '/') == NULL)
		len = dot - p->source;
	buf_printf(out, "    <id>tag:%s,%s:", authority, p->date);
	url_encode(out, p->source, len, URL_PATH);
	buf_puts(out, "</id>\n");
}

static void
atom_entry(struct buf *out, const struct post *p, const char *base,
    const char *authority)
{
	size_t	i;

	buf_puts(out, "  <entry>\n");
	xml_elem(out, "    ", "title", p->title);
	xml_link(out, "    ", base, p->url, "alternate");
	atom_id(out, p, authority);
	buf_printf(out, "    <updated>%s</updated>\n", p->updated);
	if (p->author) {
		buf_puts(out, "    <author>");
		xml_elem(out, "", "name", p->author);
		buf_truncate(out, out->len - 1);
		buf_puts(out, "</author>\n");
	}
	for (i = 0; i < p->ncategories; i++) {
		buf_puts(out, "    <category term=\"");
		buf_put_escaped(out, p->categories[i]);
		buf_puts(out, "\"/>\n");
	}
	if (p->excerpt)
		xml_elem(out, "    ", "summary", p->excerpt);
	buf_puts(out, "  </entry>\n");
}

void
pages_atom(const struct snapshot *snap, const struct site_options *opts,
    struct buf *out)
{
	const struct site_config	*c = &snap->config;
	const char			*updated;
	char				*base, *authority, *id;
	size_t				 i;

	base = pages_base_url(opts);
	authority = pages_tag_authority(snap, opts);
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (c->lang) {
		buf_puts(out, " xml:lang=\"");
		buf_put_escaped(out, c->lang);
		buf_putc(out, '"');
	}
	buf_puts(out, ">\n");
	xml_elem(out, "  ", "title", c->title && *c->title ? c->title : base);
	if (c->description)
		xml_elem(out, "  ", "subtitle", c->description);
	xml_link(out, "  ", base, "/atom.xml", "self");
	xml_link(out, "  ", base, "/", "alternate");
	/* The capsule's URL, but for a port a proxy or a move may change. */
	id = pages_base_url(&(struct site_options){ .hostname =
	    opts->hostname });
	xml_elem(out, "  ", "id", id);
	free(id);
	/*
	 * The latest change of an entry, not the clock: builds are
	 * reproducible.  The times are all alike, so the text orders them.
	 */
	updated = "1970-01-01T00:00:00Z";
	for (i = 0; i < snap->nposts && i < PAGES_FEED_ENTRIES; i++)
		if (strcmp(snap->posts[i].updated, updated) > 0)
			updated = snap->posts[i].updated;
	buf_printf(out, "  <updated>%s</updated>\n", updated);
	if (c->author) {
		buf_puts(out, "  <author>");
		xml_elem(out, "", "name", c->author);
		buf_truncate(out, out->len - 1);
		buf_puts(out, "</author>\n");
	}
	for (i = 0; i < snap->nposts && i < PAGES_FEED_ENTRIES; i++)
		atom_entry(out, &snap->posts[i], base, authority);
	buf_puts(out, "</feed>\n");
	free(authority);
	free(base);
}

void
pages_robots(struct buf *out)
{
	buf_puts(out, "User-agent: *\nDisallow:\n");
}

/* Report a generated document whose path was taken; true when added. */
static bool
added(const struct site_options *opts, struct diags *diags, const char *path,
    bool ok)
{
	if (!ok)
		diag_add(diags, DIAG_WARNING, opts->root, 0, 0,
		    "%s is already served: the generated document is not",
		    path);
	return ok;
}

/* Render a document and route it (the route owns the bytes). */
static void
publish_doc(struct snapshot *snap, const struct site_options *opts,
    struct diags *diags, const char *path, const char *type, struct doc *d)
{
	struct buf	 out = BUF_INIT;
	size_t		 len;
	char		*body;

	doc_write_gemtext(d, &out);
	doc_free(d);
	body = buf_detach(&out, &len);
	added(opts, diags, path, routes_take(&snap->gemini, path,
	    ROUTE_BODY, type, body, len));
}

static void
publish_taxa(struct snapshot *snap, const struct site_options *opts,
    struct diags *diags, bool tags, const char *type)
{
	const struct taxon	*v = tags ? snap->tags : snap->categories;
	size_t			 n = tags ? snap->ntags : snap->ncategories;
	struct doc		 d = { 0 };
	size_t			 i;

	pages_taxonomy(snap, tags, &d);
	publish_doc(snap, opts, diags, tags ? "/tags.gmi" : "/categories.gmi",
	    type, &d);
	for (i = 0; i < n; i++) {
		pages_taxon(snap, &v[i], tags, &d);
		publish_doc(snap, opts, diags, v[i].path, type, &d);
	}
}

void
pages_publish(struct snapshot *snap, const struct site_options *opts,
    struct diags *diags)
{
	struct doc	 d = { 0 };
	struct buf	 b = BUF_INIT;
	char		*type, *body;
	size_t		 len;

	type = snap->config.lang ? xasprintf("text/gemini; lang=%s",
	    snap->config.lang) : xstrdup("text/gemini");
	pages_home(snap, &d);
	publish_doc(snap, opts, diags, "/", type, &d);
	added(opts, diags, "/index.gmi",
	    routes_alias(&snap->gemini, "/index.gmi", "/"));
	pages_archive(snap, &d);
	publish_doc(snap, opts, diags, "/archive.gmi", type, &d);
	publish_taxa(snap, opts, diags, false, type);
	publish_taxa(snap, opts, diags, true, type);
	free(type);

	pages_atom(snap, opts, &b);
	body = buf_detach(&b, &len);
	added(opts, diags, "/atom.xml", routes_take(&snap->gemini,
	    "/atom.xml", ROUTE_BODY, "application/atom+xml", body, len));
	pages_robots(&b);
	body = buf_detach(&b, &len);
	added(opts, diags, "/robots.txt", routes_take(&snap->gemini,
	    "/robots.txt", ROUTE_BODY, "text/plain", body, len));
}

bool
pages_is_generated(const char *path)
{
	static const char *const fixed[] = {
		"/", "/index.gmi", "/archive.gmi", "/categories.gmi",
		"/tags.gmi", "/atom.xml", "/robots.txt",
	};
	size_t	i;

	for (i = 0; i < nitems(fixed); i++)
		if (strcmp(path, fixed[i]) == 0)
			return true;
	return strncmp(path, "/categories/", 12) == 0 ||
	    strncmp(path, "/tags/", 6) == 0;
}
