/*
 * The GitHub Pages plugins a site lists: in _config.yml's plugins: (or
 * the older gems:), or in the jekyll_plugins group of its Gemfile,
 * which Jekyll loads through Bundler.  Those that change what a reader
 * sees are done here and where the flags are read; those with no
 * meaning in gemtext are accepted; any other is reported once.
 *
 * jekyll-redirect-from: each redirect_from: path of a document is a
 * route answering 31 to the document; a document with redirect_to:
 * answers 31 to its target in place of its content.  A redirect and a
 * document that claim one path are written in Jekyll's order (posts,
 * then the redirects, then the pages and collection documents): what
 * comes second is reported and not served.
 *
 * jekyll-titles-from-headings: a page without a title takes its first
 * heading's (a document too, with collections: true); strip_title
 * takes the heading out of the body.  jekyll-optional-front-matter:
 * Markdown without front matter is a page too (README, LICENSE and
 * the like aside), its file still copied unless remove_originals.
 * jemoji: the converter writes the emoji of :name: (convert_env).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site-int.h"

static const struct {
	const char	*name;
	unsigned	 flag;		/* 0: accepted, nothing to do */
} known[] = {
	{ "jekyll-redirect-from", PLUGIN_REDIRECT_FROM },
	{ "jekyll-relative-links", PLUGIN_RELATIVE_LINKS },
	{ "jekyll-titles-from-headings", PLUGIN_TITLES_FROM_HEADINGS },
	{ "jekyll-optional-front-matter", PLUGIN_OPTIONAL_FRONT_MATTER },
	{ "jemoji", PLUGIN_JEMOJI },
	/* What they add is for web browsers, feeds or crawlers. */
	{ "jekyll-avatar", 0 },
	{ "jekyll-coffeescript", 0 },
	{ "jekyll-default-layout", 0 },
	{ "jekyll-feed", 0 },
	{ "jekyll-gist", 0 },
	{ "jekyll-github-metadata", 0 },
	{ "jekyll-include-cache", 0 },
	{ "jekyll-mentions", 0 },
	{ "jekyll-paginate", 0 },
	{ "jekyll-remote-theme", 0 },
	{ "jekyll-seo-tag", 0 },
	{ "jekyll-sitemap", 0 },
	{ "github-pages", 0 },
};

/* The 1-based line of the first word name in text, or 0. */
static unsigned
line_of(const char *text, size_t len, const char *name)
{
	const char	*p = text, *end = text + len;
	size_t		 n = strlen(name);
	unsigned	 line = 1;

	for (; p + n <= end; p++) {
		if (*p == '\n')
			line++;
		else if (memcmp(p, name, n) == 0 && (p == text ||
		    !(isalnum((unsigned char)p[-1]) || p[-1] == '-' ||
		    p[-1] == '_')) && (p + n == end ||
		    !(isalnum((unsigned char)p[n]) || p[n] == '-' ||
		    p[n] == '_')))
			return line;
	}
	return 0;
}

static void
take(struct build *b, const char *name, const char *file, unsigned line)
{
	size_t	i;

	for (i = 0; i < nitems(known); i++)
		if (strcmp(known[i].name, name) == 0) {
			b->plugins |= known[i].flag;
			return;
		}
	diag_add(b->diags, DIAG_WARNING, file, line, 0,
	    "plugin %s: not known to capsuled, ignored", name);
}

/* The gem lines of the Gemfile's jekyll_plugins group. */
static void
gemfile_plugins(struct build *b, char ***names, size_t *n)
{
	char		*file, *text, *p, *eol, *q;
	size_t		 len, k;
	unsigned	 line;
	bool		 in = false;

	file = site_path_join(b->opts->root, "Gemfile");
	if ((text = file_read_all(file, &len)) == NULL) {
		free(file);
		return;
	}
	for (p = text, line = 1; p < text + len; p = eol + 1, line++) {
		if ((eol = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			eol = text + len;
		*eol = '\0';
		p += strspn(p, " \t");
		if (strncmp(p, "group", 5) == 0 && isspace((unsigned char)p[5]) &&
		    strstr(p, ":jekyll_plugins") != NULL)
			in = true;
		else if (in && strncmp(p, "end", 3) == 0 &&
		    (p[3] == '\0' || isspace((unsigned char)p[3])))
			in = false;
		else if (in && strncmp(p, "gem", 3) == 0 &&
		    isspace((unsigned char)p[3])) {
			p += 3 + strspn(p + 3, " \t");
			if ((*p != '"' && *p != '\'') ||
			    (q = strchr(p + 1, *p)) == NULL)
				continue;
			k = *n;
			frontmatter_name_add(names, n, p + 1,
			    (size_t)(q - p - 1));
			if (*n > k)
				take(b, (*names)[k], file, line);
		}
	}
	free(text);
	free(file);
}

unsigned
site_config_line(const struct build *b, const char *word)
{
	char		*file, *text;
	size_t		 len;
	unsigned	 line = 0;

	file = site_path_join(b->opts->root, "_config.yml");
	if ((text = file_read_all(file, &len)) != NULL)
		line = line_of(text, len, word);
	free(text);
	free(file);
	return line;
}

void
site_plugins_read(struct build *b)
{
	const struct value	*cfg = b->snap->config.data;
	char			**names = NULL, *file;
	size_t			  n = 0, i;

	gemfile_plugins(b, &names, &n);
	i = n;
	frontmatter_names(value_hash_get(cfg, "plugins", 7), false, &names,
	    &n);
	frontmatter_names(value_hash_get(cfg, "gems", 4), false, &names, &n);
	if (i == n) {
		xfreev(names, n);
		return;
	}
	file = site_path_join(b->opts->root, "_config.yml");
	for (; i < n; i++)
		take(b, names[i], file, site_config_line(b, names[i]));
	free(file);
	xfreev(names, n);
}

/* The Gemini and Gopher routes of a redirect at path to target. */
static void
route_redirect(struct build *b, const char *file, const char *path,
    const char *target, const char *label)
{
	struct doc	 d = { 0 };

	if (!routes_take(&b->snap->gemini, path, ROUTE_REDIRECT, "",
	    xstrdup(target), strlen(target))) {
		diag_add(b->diags, DIAG_WARNING, file, 0, 0,
		    "%s is already served: redirect_from not served", path);
		return;
	}
	site_redirect_doc(target, label, &d);
	gophersite_path(b->snap, b->opts, b->diags, path, &d);
	doc_free(&d);
}

void
site_redirect_doc(const char *target, const char *label, struct doc *d)
{
	doc_add(d, LINE_TEXT, true, "This page has moved:");
	doc_add_link(d, true, target, label ? label : target);
}

/* redirect_to: its first item when a list. */
static char *
redirect_to(const struct source *src)
{
	const struct value	*v = frontmatter_get(&src->fm, "redirect_to");
	size_t			 i;

	if (v != NULL && v->type == VALUE_ARRAY) {
		for (i = 0; i < v->u.arr.n && value_is_nil(v->u.arr.v[i]); i++)
			continue;
		v = i < v->u.arr.n ? v->u.arr.v[i] : NULL;
	}
	return frontmatter_string(v);
}

/*
 * Where src's redirect_to: leads: an http(s) URL as it is (the site's
 * own mapped), else a path of the site (from its root, as Jekyll's
 * absolute_url takes it) mapped as a link is.
 */
static char *
redirect_target(struct build *b, struct source *src, const char *to)
{
	char	*t, *url;

	if (strncasecmp(to, "http://", 7) == 0 ||
	    strncasecmp(to, "https://", 8) == 0 || to[0] == '/')
		t = xstrdup(to);
	else
		t = xasprintf("/%s", to);
	b->file = src->file;
	b->web = src->web;
	url = site_map_url(b, t, 0);
	free(t);
	return url;
}

/* Collect the redirects of src (document url, title) for the routes. */
static void
collect(struct build *b, struct source *src, const char *url,
    const char *title)
{
	struct redirect	*r;
	char		**from = NULL, *to, *web;
	size_t		  n = 0, i;

	frontmatter_names(frontmatter_get(&src->fm, "redirect_from"), false,
	    &from, &n);
	for (i = 0; i < n; i++) {
		web = from[i][0] == '/' ? xstrdup(from[i]) :
		    xasprintf("/%s", from[i]);
		if (!site_path_plain(web)) {
			free(web);
			continue;
		}
		b->redirects = xreallocarray(b->redirects, b->nredirects + 1,
		    sizeof(*b->redirects));
		r = &b->redirects[b->nredirects++];
		r->file = xstrdup(src->file);
		r->key = site_map_web_key(web);
		r->path = site_url_to_path(web);
		r->target = xstrdup(url);
		r->label = title ? xstrdup(title) : NULL;
		free(web);
	}
	xfreev(from, n);
	if ((to = redirect_to(src)) != NULL && *to != '\0')
		src->redirect = redirect_target(b, src, to);
	free(to);
}

void
site_redirects_collect(struct build *b)
{
	const struct snapshot	*s = b->snap;
	size_t			 i;

	if (!(b->plugins & PLUGIN_REDIRECT_FROM))
		return;
	for (i = 0; i < s->nposts; i++)
		collect(b, &b->post_src[i], s->posts[i].url, s->posts[i].title);
	for (i = 0; i < s->npages; i++)
		collect(b, &b->page_src[i], s->pages[i].url, s->pages[i].title);
}

void
site_redirects_publish(struct build *b)
{
	const struct redirect	*r;
	size_t			 i;

	for (i = 0; i < b->nredirects; i++) {
		r = &b->redirects[i];
		route_redirect(b, r->file, r->path, r->target, r->label);
	}
}

void
site_redirect_publish(struct build *b, const struct source *src,
    const char *path)
{
	if (!routes_take(&b->snap->gemini, path, ROUTE_REDIRECT, "",
	    xstrdup(src->redirect), strlen(src->redirect)))
		diag_add(b->diags, DIAG_WARNING, src->file, 0, 0,
		    "%s is already served: not served again", path);
}

const char *
site_redirect_find(const struct build *b, const char *key)
{
	size_t	i;

	for (i = 0; i < b->nredirects; i++)
		if (strcmp(b->redirects[i].key, key) == 0)
			return b->redirects[i].target;
	return NULL;
}

void
site_redirects_free(struct build *b)
{
	size_t	i;

	for (i = 0; i < b->nredirects; i++) {
		free(b->redirects[i].file);
		free(b->redirects[i].key);
		free(b->redirects[i].path);
		free(b->redirects[i].target);
		free(b->redirects[i].label);
	}
	free(b->redirects);
}

/* A setting of the plugin's hash in _config.yml (key: its name). */
static const struct value *
plugin_option(const struct build *b, const char *plugin, const char *key)
{
	return value_hash_get(value_hash_get(b->snap->config.data, plugin,
	    strlen(plugin)), key, strlen(key));
}

static bool
is_true(const struct value *v)
{
	return v != NULL && v->type == VALUE_BOOL && v->u.b;
}

static bool
is_false(const struct value *v)
{
	return v != NULL && v->type == VALUE_BOOL && !v->u.b;
}

static bool
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

/*
 * jekyll-titles-from-headings' TITLE_REGEX on s: the heading at its
 * start (after blanks) of one to three #, or a line underlined with -
 * or =.  Its text is s[*tb..*te) (an ATX heading's closing #s kept, as
 * the plugin keeps them); the match ends at *end.
 */
static bool
heading_match(const char *s, size_t len, size_t *tb, size_t *te,
    size_t *end)
{
	size_t	p = 0, n = 0, q;

	while (p < len && space(s[p]))
		p++;
	while (p + n < len && n < 4 && s[p + n] == '#')
		n++;
	if (n >= 1 && n <= 3 && p + n < len && space(s[p + n])) {
		for (q = p + n; q < len && space(s[q]); q++)
			continue;
		*tb = q;
		while (q < len && s[q] != '\n')
			q++;
		*te = *end = q;
		return true;
	}
	for (q = p; q < len && s[q] != '\n'; q++)
		continue;
	if (q >= len)
		return false;
	*tb = p;
	*te = q++;
	if (q >= len || (s[q] != '-' && s[q] != '='))
		return false;
	while (q < len && (s[q] == '-' || s[q] == '='))
		q++;
	while (q < len && s[q] != '\n' && space(s[q]))
		q++;
	if (q < len && s[q] != '\n')
		return false;
	*end = q;
	return true;
}

/* The heading's Markdown as the plugin's markdownify | strip_html. */
static char *
heading_text(const char *file, const char *md, size_t len)
{
	struct convert_env	 env;
	struct diags		 quiet = { 0 };
	struct doc		 d = { 0 };
	struct buf		 out = BUF_INIT;
	const char		*t = NULL, *p, *q;
	size_t			 i;

	memset(&env, 0, sizeof(env));
	env.file = file;
	env.diags = &quiet;	/* the body's rendering reports them */
	convert_body(md, len, &env, &d);
	for (i = 0; t == NULL && i < d.n; i++)
		if ((d.lines[i].kind == LINE_TEXT ||
		    d.lines[i].kind == LINE_HEADING) && d.lines[i].text)
			t = d.lines[i].text;
	/*
	 * normalize_whitespace, footnote marks out, and the backticks
	 * gemtext keeps around code (strip_html leaves its text).
	 */
	for (p = t ? t : ""; *p != '\0'; p++) {
		if (*p == '`')
			continue;
		if (p[0] == '[' && p[1] == '^' &&
		    (q = strchr(p, ']')) != NULL) {
			p = q;
			continue;
		}
		if (space(*p)) {
			if (out.len > 0 && out.data[out.len - 1] != ' ')
				buf_putc(&out, ' ');
		} else
			buf_putc(&out, *p);
	}
	while (out.len > 0 && out.data[out.len - 1] == ' ')
		out.len--;
	buf_putc(&out, '\0');
	doc_free(&d);
	diag_free(&quiet);
	return buf_detach(&out, NULL);
}

bool
site_title_from_heading(struct build *b, struct source *src, bool document)
{
	const char	*body = b->text.data + src->body_off;
	size_t		 len = b->text.len - src->body_off, tb, te, end;
	bool		 strip;
	char		*title;

	if (!(b->plugins & PLUGIN_TITLES_FROM_HEADINGS) ||
	    is_false(plugin_option(b, "titles_from_headings", "enabled")))
		return false;
	/* Documents: with collections: true, even over a title: key. */
	if (document ? !is_true(plugin_option(b, "titles_from_headings",
	    "collections")) : src->fm.title != NULL)
		return false;
	if (src->body_off > b->text.len ||
	    !heading_match(body, len, &tb, &te, &end) ||
	    (end == len && src->raw_head < src->len))
		return false;
	title = heading_text(src->file, body + tb, te - tb);
	if (src->fm.data == NULL)
		src->fm.data = value_hash();
	value_hash_set(src->fm.data, "title", 5, value_cstr(title));
	free(src->fm.title);
	src->fm.title = title;
	strip = frontmatter_get(&src->fm, "strip_title") != NULL ?
	    is_true(frontmatter_get(&src->fm, "strip_title")) :
	    is_true(plugin_option(b, "titles_from_headings", "strip_title"));
	if (strip) {
		while (end < len && space(body[end]))
			end++;
		src->body_skip = end;
	}
	return true;
}

bool
site_optional_page(const struct build *b, const char *name)
{
	static const char *const never[] = {
		"README", "LICENSE", "LICENCE", "COPYING", "CODE_OF_CONDUCT",
		"CONTRIBUTING", "ISSUE_TEMPLATE", "PULL_REQUEST_TEMPLATE",
	};
	const char	*dot = strrchr(name, '.');
	size_t		 n = dot ? (size_t)(dot - name) : strlen(name), i;

	if (!(b->plugins & PLUGIN_OPTIONAL_FRONT_MATTER) ||
	    is_false(plugin_option(b, "optional_front_matter", "enabled")) ||
	    value_truthy(snapshot_config_get(&b->snap->config,
	    "require_front_matter")))
		return false;
	for (i = 0; i < nitems(never); i++)
		if (strlen(never[i]) == n && strncasecmp(name, never[i], n) == 0)
			return false;
	return true;
}

bool
site_optional_keeps_source(const struct build *b)
{
	return !is_true(plugin_option(b, "optional_front_matter",
	    "remove_originals")) && !value_truthy(snapshot_config_get(
	    &b->snap->config, "require_front_matter"));
}
