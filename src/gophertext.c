#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gophertext.h"
#include "mime.h"
#include "utf8.h"

#define TABSTOP		8

/* Where the lines of a document go: a type 0 text or a type 1 menu. */
struct sink {
	struct buf			*out;
	const struct gopher_render	*render;
	bool				 menu;
	size_t				 nlinks;	/* last [N] used */
};

/*
 * Append s[0..len) without its control characters, which a terminal
 * client would act on (an escape sequence) rather than show.  In a menu
 * field TAB, CR and LF become spaces, as they would break the line; in
 * a line of text TAB is kept (preformatted text).  Every other control
 * character (ESC, BEL, DEL, C1...) becomes U+FFFD, of the same display
 * width.  None is dropped, lest the bytes around it form a C1 control.
 */
static void
put_clean(struct buf *out, const char *s, size_t len, bool field)
{
	const char	*end = s + len, *c;
	size_t		 n;

	for (; s < end; s = c + n) {
		c = utf8_next_control(s, end, &n);
		buf_append(out, s, c - s);
		if (c == end)
			break;
		if (field && (*c == '\t' || *c == '\r' || *c == '\n'))
			buf_putc(out, ' ');
		else if (!field && *c == '\t')
			buf_putc(out, '\t');
		else
			buf_puts(out, UTF8_REPLACEMENT);
	}
}

static void
put_field(struct buf *out, const char *s, size_t len)
{
	put_clean(out, s, len, true);
}

static void
info_line(struct buf *out, const char *s, size_t len)
{
	buf_putc(out, 'i');
	put_field(out, s, len);
	buf_puts(out, "\tfake\t(NULL)\t0\r\n");
}

/* A line of a type 0 text: its own CR end dropped, dot-stuffed, CRLF. */
static void
text_line(struct buf *out, const char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > 0 && s[0] == '.')
		buf_putc(out, '.');
	put_clean(out, s, len, false);
	buf_puts(out, "\r\n");
}

static void
put_line(struct sink *k, const char *s, size_t len)
{
	if (k->menu)
		info_line(k->out, s, len);
	else
		text_line(k->out, s, len);
}

/* Emit the line being built (without trailing spaces) and reset it. */
static void
flush_line(struct sink *k, struct buf *line, size_t *maxw)
{
	size_t	len = line->len, w;

	while (len > 0 && line->data[len - 1] == ' ')
		len--;
	put_line(k, line->data ? line->data : "", len);
	w = utf8_width(line->data ? line->data : "", len);
	if (w > *maxw)
		*maxw = w;
	buf_truncate(line, 0);
}

static size_t
start_line(struct buf *line, const char *prefix)
{
	buf_puts(line, prefix);
	return utf8_width(prefix, strlen(prefix));
}

/*
 * Wrap text to GOPHER_WIDTH columns, breaking only at ASCII spaces (a
 * no-break space is part of its word); LF forces a break.  The first
 * line starts with first, the others with rest.  A word wider than the
 * line sits alone, unbroken.  Returns the width of the widest line.
 */
static size_t
wrap(struct sink *k, const char *text, const char *first, const char *rest)
{
	struct buf	 line = BUF_INIT;
	const char	*p = text ? text : "", *w;
	size_t		 lw, gap, ww, maxw = 0;
	bool		 empty = true;

	lw = start_line(&line, first);
	while (*p != '\0') {
		for (gap = 0; *p == ' ' || *p == '\t'; p++)
			gap++;
		if (*p == '\n') {
			flush_line(k, &line, &maxw);
			lw = start_line(&line, rest);
			empty = true;
			p++;
			continue;
		}
		if (*p == '\0')
			break;
		for (w = p; *p != '\0' && *p != ' ' && *p != '\t' &&
		    *p != '\n'; p++)
			;
		ww = utf8_width(w, p - w);
		if (!empty && lw + gap + ww > GOPHER_WIDTH) {
			flush_line(k, &line, &maxw);
			lw = start_line(&line, rest);
			empty = true;
		}
		if (!empty) {
			for (; gap > 0; gap--, lw++)
				buf_putc(&line, ' ');
		}
		buf_append(&line, w, p - w);
		lw += ww;
		empty = false;
	}
	flush_line(k, &line, &maxw);
	buf_free(&line);
	return maxw;
}

static void
heading(struct sink *k, const struct line *l)
{
	struct buf	 rule = BUF_INIT;
	size_t		 w;

	w = wrap(k, l->text, "", "");
	if (l->level > 2 || w == 0)
		return;
	while (w-- > 0)
		buf_putc(&rule, l->level == 1 ? '=' : '-');
	put_line(k, rule.data, rule.len);
	buf_free(&rule);
}

static void
list_item(struct sink *k, const struct line *l)
{
	char	*first, *rest;
	size_t	 w;

	if (l->marker == NULL) {
		wrap(k, l->text, "* ", "  ");
		return;
	}
	first = xasprintf("%s ", l->marker);
	w = utf8_width(first, strlen(first));
	rest = xmalloc(w + 1);
	memset(rest, ' ', w);
	rest[w] = '\0';
	wrap(k, l->text, first, rest);
	free(first);
	free(rest);
}

/* Tabs to spaces, for preformatted lines shown in a menu. */
static void
expand_tabs(const char *s, size_t len, struct buf *out)
{
	size_t	i, col = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t') {
			do
				buf_putc(out, ' ');
			while (++col % TABSTOP != 0);
		} else {
			buf_putc(out, s[i]);
			if (((unsigned char)s[i] & 0xc0) != 0x80)
				col++;
		}
	}
}

/* A preformatted block: verbatim, never wrapped, alt text not shown. */
static void
preformatted(struct sink *k, const char *body)
{
	struct buf	 tmp = BUF_INIT;
	const char	*p = body, *nl;
	size_t		 len;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (k->menu) {
			buf_truncate(&tmp, 0);
			expand_tabs(p, len, &tmp);
			put_line(k, tmp.data ? tmp.data : "", tmp.len);
		} else
			put_line(k, p, len);
		p = nl ? nl + 1 : NULL;
	}
	buf_free(&tmp);
}

/* The item type of a file, from its MIME type (mime.c). */
char
gopher_type_for_path(const char *path)
{
	const char	*type;
	size_t		 len = strlen(path);

	if (len == 0 || path[len - 1] == '/')
		return '1';
	type = mime_type(path);
	if (strcmp(type, "image/gif") == 0)
		return 'g';
	if (strncmp(type, "image/", 6) == 0)
		return 'I';
	if (strncmp(type, "text/", 5) == 0)
		return '0';
	return '9';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode a link path or a gopher URL's selector; it ends at a
 * TAB (a search string follows) or a NUL.
 */
static char *
decode_selector(const char *s)
{
	struct buf	 b = BUF_INIT;
	int		 hi, lo;
	char		 c;

	for (; *s != '\0'; s++) {
		c = *s;
		if (c == '%' && (hi = hexval(s[1])) >= 0 &&
		    (lo = hexval(s[2])) >= 0) {
			c = (char)(hi << 4 | lo);
			s += 2;
		}
		if (c == '\t' || c == '\0')
			break;
		buf_putc(&b, c);
	}
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

/* gopher://host[:port][/Tselector] (RFC 4266); false if malformed. */
static bool
parse_gopher_url(const char *url, struct gopher_item *it)
{
	const char	*h = url + strlen("gopher://"), *end, *path, *p;
	const char	*sel_end;
	char		*port_end;
	long		 port = 70;
	size_t		 n;

	end = h + strcspn(h, ":/?#");
	if (end == h)
		return false;
	path = end;
	if (*path == ':') {
		if (!isdigit((unsigned char)path[1]))
			return false;
		port = strtol(path + 1, &port_end, 10);
		if (port_end == path + 1 || port < 1 || port > 65535)
			return false;
		path = port_end;
	}
	if (*path != '\0' && *path != '/')
		return false;
	/*
	 * A host field holds a name or an IPv4 address: a bracketed IPv6
	 * literal (or anything stranger) makes a URL: item.
	 */
	for (p = h; p < end; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' &&
		    *p != '_')
			return false;
	it->host = xstrndup(h, end - h);
	it->port = (int)port;
	if (path[0] == '\0' || path[1] == '\0') {
		it->type = '1';
		it->selector = xstrdup("");
	} else {
		it->type = path[1];
		it->selector = decode_selector(path + 2);
	}
	/*
	 * The type is one visible character, or the line breaks; a
	 * selector with control characters cannot be sent as it is.
	 */
	sel_end = it->selector + strlen(it->selector);
	if (it->type <= ' ' || it->type > '~' ||
	    utf8_next_control(it->selector, sel_end, &n) != sel_end) {
		gopher_item_free(it);
		return false;
	}
	return true;
}

void
gopher_item_for(const struct gopher_render *r, const char *url,
    struct gopher_item *it)
{
	char	*path, *tmp;

	memset(it, 0, sizeof(*it));
	if (url[0] == '/' && url[1] != '/') {
		path = xstrndup(url, strcspn(url, "#"));
		tmp = decode_selector(path);
		free(path);
		path = tmp;
		it->capsule = true;
		it->host = xstrdup(r->host);
		it->port = r->port;
		if (r->resolve == NULL ||
		    !r->resolve(r->ctx, path, &it->type, &it->selector)) {
			it->type = gopher_type_for_path(path);
			it->selector = xstrdup(path);
		}
		free(path);
		return;
	}
	if (strncasecmp(url, "gopher://", 9) == 0 &&
	    parse_gopher_url(url, it))
		return;
	it->type = 'h';
	it->selector = xasprintf("URL:%s", url);
	it->host = xstrdup(r->host);
	it->port = r->port;
}

void
gopher_item_free(struct gopher_item *it)
{
	free(it->selector);
	free(it->host);
	memset(it, 0, sizeof(*it));
}

/* gopher://host[:port]/Tselector, the selector percent-encoded. */
static void
gopher_url(const struct gopher_item *it, struct buf *out)
{
	const unsigned char	*s;

	buf_printf(out, "gopher://%s", it->host);
	if (it->port != 70)
		buf_printf(out, ":%d", it->port);
	buf_printf(out, "/%c", it->type);
	for (s = (const unsigned char *)it->selector; *s != '\0'; s++) {
		if (*s <= ' ' || *s >= 0x7f || strchr("%?#\"<>", *s))
			buf_printf(out, "%%%02X", *s);
		else
			buf_putc(out, (char)*s);
	}
}

/*
 * A link line in a text: "[N] label", then the target indented by 4.
 * The references are numbered after the footnotes, so that every [N]
 * of a text names one thing.
 */
static void
text_link(struct sink *k, const struct line *l)
{
	struct gopher_item	 it;
	struct buf		 target = BUF_INIT;
	char			 first[32];

	snprintf(first, sizeof(first), "[%zu] ", ++k->nlinks);
	wrap(k, l->text ? l->text : l->url, first, "    ");
	gopher_item_for(k->render, l->url, &it);
	buf_puts(&target, "    ");
	if (it.capsule)
		gopher_url(&it, &target);
	else
		buf_puts(&target, l->url);
	put_line(k, target.data, target.len);
	buf_free(&target);
	gopher_item_free(&it);
}

/* A link line in a menu: a real item. */
static void
menu_link(struct sink *k, const struct line *l)
{
	struct gopher_item	 it;

	gopher_item_for(k->render, l->url, &it);
	gmenu_item(k->out, it.type, l->text ? l->text : l->url,
	    it.selector, it.host, it.port);
	gopher_item_free(&it);
}

static void
write_doc(struct sink *k, const struct doc *d)
{
	const struct line	*l;
	size_t			 i;

	for (i = 0; i < d->n; i++) {
		l = &d->lines[i];
		if (i > 0 && l->starts_block)
			put_line(k, "", 0);
		switch (l->kind) {
		case LINE_TEXT:
			wrap(k, l->text, "", "");
			break;
		case LINE_LINK:
			if (k->menu)
				menu_link(k, l);
			else
				text_link(k, l);
			break;
		case LINE_HEADING:
			heading(k, l);
			break;
		case LINE_ITEM:
			list_item(k, l);
			break;
		case LINE_QUOTE:
			wrap(k, l->text, "> ", "> ");
			break;
		case LINE_PRE:
			preformatted(k, l->text);
			break;
		}
	}
}

void
gophertext_text(const struct doc *d, const struct gopher_render *r,
    struct buf *out)
{
	struct sink	 k = { out, r, false, d->nnotes };

	write_doc(&k, d);
	buf_puts(out, ".\r\n");
}

void
gophertext_menu(const struct doc *d, const struct gopher_render *r,
    struct buf *out)
{
	struct sink	 k = { out, r, true, 0 };

	write_doc(&k, d);
}

void
gophertext_plain(const char *text, size_t len, struct buf *out)
{
	const char	*p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		text_line(out, p, (nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
	}
	buf_puts(out, ".\r\n");
}

void
gmenu_info(struct buf *out, const char *text)
{
	struct sink	 k = { out, NULL, true, 0 };

	wrap(&k, text, "", "");
}

/* Cut a display string to GOPHER_WIDTH columns, ending it with "…". */
static size_t
cut_display(const char *s, size_t len)
{
	uint32_t	 cp;
	size_t		 i = 0, n, w = 0, cw;

	if (utf8_width(s, len) <= GOPHER_WIDTH)
		return len;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		cw = n == 0 ? 1 : (size_t)utf8_cp_width(cp);
		if (n == 0)
			n = 1;
		if (w + cw > GOPHER_WIDTH - 1)
			break;
		w += cw;
		i += n;
	}
	return i;
}

void
gmenu_item(struct buf *out, char type, const char *display,
    const char *selector, const char *host, int port)
{
	size_t	len = strlen(display), cut;

	cut = cut_display(display, len);
	buf_putc(out, type);
	put_field(out, display, cut);
	if (cut < len)
		buf_puts(out, "…");
	buf_putc(out, '\t');
	put_field(out, selector, strlen(selector));
	buf_putc(out, '\t');
	put_field(out, host, strlen(host));
	buf_printf(out, "\t%d\r\n", port);
}

void
gmenu_end(struct buf *out)
{
	buf_puts(out, ".\r\n");
}
