/*
 * The URL Jekyll gives a document (Jekyll::URL with a UrlDrop): a
 * permalink style or pattern, its :placeholders filled from the
 * document, then sanitized ("/" in front, ".." and "./" out, runs of
 * '/' squeezed).
 */
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

static const struct {
	const char	*style;
	const char	*pattern;
} styles[] = {
	{ "none",	"/:categories/:title:output_ext" },
	{ "date",	"/:categories/:year/:month/:day/:title:output_ext" },
	{ "ordinal",	"/:categories/:year/:y_day/:title:output_ext" },
	{ "pretty",	"/:categories/:year/:month/:day/:title/" },
	{ "weekdate",	"/:categories/:year/W:week/:short_day/:title:output_ext" },
};

const char *
site_url_style(const char *style)
{
	size_t	i;

	if (style == NULL || *style == '\0')
		style = "date";
	for (i = 0; i < nitems(styles); i++)
		if (strcmp(styles[i].style, style) == 0)
			return styles[i].pattern;
	return style;
}

char *
site_url_collection_template(const char *style)
{
	const char	*p = site_url_style(style);
	size_t		 n = strlen(p);

	/* Jekyll's add_permalink_suffix. */
	if (n > 0 && p[n - 1] == '/')
		return xstrdup("/:collection/:path/");
	if (n >= 11 && strcmp(p + n - 11, ":output_ext") == 0)
		return xstrdup("/:collection/:path:output_ext");
	return xstrdup("/:collection/:path");
}

static void
slug(const char *s, const char *mode, bool cased, struct buf *out)
{
	liquid_slugify(s, strlen(s), mode, cased, out);
}

static void
strftime_to(const struct url_fields *f, const char *fmt, struct buf *out)
{
	value_strftime(&f->time, fmt, strlen(fmt), out);
}

/* The value of one placeholder, appended; false when there is none. */
static bool
placeholder(const struct url_fields *f, const char *name, size_t n,
    struct buf *out)
{
	static const struct {
		const char	*name;
		const char	*fmt;
	} dates[] = {
		{ "year", "%Y" }, { "month", "%m" }, { "day", "%d" },
		{ "hour", "%H" }, { "minute", "%M" }, { "second", "%S" },
		{ "i_day", "%-d" }, { "i_month", "%-m" },
		{ "short_month", "%b" }, { "long_month", "%B" },
		{ "short_year", "%y" }, { "w_year", "%G" }, { "week", "%V" },
		{ "w_day", "%u" }, { "short_day", "%a" }, { "long_day", "%A" },
		{ "y_day", "%j" },
	};
	struct buf	 tmp = BUF_INIT;
	char		**names = NULL;
	size_t		 i, k, nnames = 0;

#define IS(s)	(n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
	for (i = 0; i < nitems(dates); i++)
		if (strlen(dates[i].name) == n &&
		    memcmp(dates[i].name, name, n) == 0) {
			strftime_to(f, dates[i].fmt, out);
			return true;
		}
	if (IS("collection"))
		buf_puts(out, f->collection);
	else if (IS("path"))
		buf_puts(out, f->path);
	else if (IS("basename"))
		buf_puts(out, f->basename);
	else if (IS("output_ext"))
		buf_puts(out, ".html");
	else if (IS("name"))
		slug(f->basename, NULL, false, out);
	else if (IS("title"))
		slug(f->slug ? f->slug : f->basename, "pretty", true, out);
	else if (IS("slug"))
		slug(f->slug ? f->slug : f->basename, NULL, false, out);
	else if (IS("categories") || IS("slugified_categories")) {
		/* Jekyll's Set of the names, downcased or slugified. */
		for (i = 0; i < f->ncategories; i++) {
			buf_truncate(&tmp, 0);
			if (IS("categories"))
				liquid_case_map(f->categories[i],
				    strlen(f->categories[i]), 'l', &tmp);
			else
				slug(f->categories[i], NULL, false, &tmp);
			buf_putc(&tmp, '\0');
			frontmatter_name_add(&names, &nnames, tmp.data,
			    strlen(tmp.data));
		}
		for (k = 0; k < nnames; k++)
			buf_printf(out, "%s%s", k ? "/" : "", names[k]);
		xfreev(names, nnames);
	} else {
		buf_free(&tmp);
		return false;
	}
#undef IS
	buf_free(&tmp);
	return true;
}

/* Jekyll's sanitize_url. */
static char *
sanitize(const char *s)
{
	struct buf	 out = BUF_INIT;
	const char	*p;

	buf_putc(&out, '/');
	for (p = s; *p != '\0'; p++) {
		if (p[0] == '.' && p[1] == '.') {
			buf_putc(&out, '/');
			p++;
		} else
			buf_putc(&out, *p);
	}
	buf_putc(&out, '\0');
	s = buf_detach(&out, NULL);
	for (p = s; *p != '\0'; p++) {
		if (p[0] == '.' && p[1] == '/') {
			p++;
			continue;
		}
		if (*p == '/' && out.len > 0 && out.data[out.len - 1] == '/')
			continue;
		buf_putc(&out, *p);
	}
	free((char *)s);
	buf_putc(&out, '\0');
	return buf_detach(&out, NULL);
}

char *
site_url_generate(const char *tmpl, const struct url_fields *f,
    const char *file, struct diags *diags)
{
	struct buf	 out = BUF_INIT;
	const char	*p, *q;
	char		*url, *ex;
	size_t		 n, start;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != ':' || !((p[1] >= 'a' && p[1] <= 'z') || p[1] == '_')) {
			buf_putc(&out, *p);
			continue;
		}
		for (q = p + 1; (*q >= 'a' && *q <= 'z') || *q == '_'; q++)
			continue;
		n = (size_t)(q - p - 1);
		start = out.len;
		/* "name_" stands for name followed by '_' when it has none. */
		if (placeholder(f, p + 1, n, &out) ||
		    (n > 1 && p[n] == '_' &&
		    placeholder(f, p + 1, n - 1, &out) &&
		    (buf_putc(&out, '_'), true))) {
			p = q - 1;
			continue;
		}
		buf_truncate(&out, start);
		ex = diag_excerpt(p, n + 1, 40);
		diag_add(diags, DIAG_ERROR, file, 0, 0,
		    "permalink %s: no placeholder %s in Jekyll (:year, :month, "
		    ":day, :title, :slug, :categories, :path, ...)", tmpl, ex);
		free(ex);
		buf_free(&out);
		return NULL;
	}
	buf_putc(&out, '\0');
	url = sanitize(out.data);
	buf_free(&out);
	return url;
}

char *
site_url_to_path(const char *url)
{
	size_t	n = strlen(url);

	while (n > 1 && url[n - 1] == '/')
		n--;
	if (n <= 1)
		return xstrdup("/index.gmi");
	if (n > 5 && strncmp(url + n - 5, ".html", 5) == 0)
		n -= 5;
	else if (n > 4 && strncmp(url + n - 4, ".htm", 4) == 0)
		n -= 4;
	return xasprintf("%.*s.gmi", (int)n, url);
}
