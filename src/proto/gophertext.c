#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

#define TABSTOP		8
#define INFO_END	"\tfake\t(NULL)\t0\r\n"	/* of every info line */

/*
 * Where the lines of a document go: a type 0 text (and the recipe of
 * the menu beside it) or info lines of a menu.  Each line is written
 * raw at the end of out (line_begin), then made a line of its kind in
 * place (line_end).
 */
struct sink {
	struct buf			*out;
	const struct gopher_render	*render;
	bool				 menu;
	size_t				 nlinks;	/* last [N] used */
	struct buf			 tmp;		/* a line to redo */
	struct gmenu_recipe		*recipe;	/* or NULL */
	bool				 own;		/* lines of the text only */
};

/*
 * Tabs to spaces, for preformatted lines shown in a menu: written at d
 * (unless NULL); returns the length.
 */
static size_t
expand_tabs(char *d, const char *s, size_t len)
{
	size_t	i, n = 0, col = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t') {
			do {
				if (d != NULL)
					d[n] = ' ';
				n++;
			} while (++col % TABSTOP != 0);
			continue;
		}
		if (d != NULL)
			d[n] = s[i];
		n++;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			col++;
	}
	return n;
}

/*
 * A recipe is a header (the text's address, the menu's length), then
 * records: 'T', offset and length of a run of the text's lines, each of
 * which makes the info line "i<line>" (its dot-stuffing undone, its
 * TABs expanded); or 'L' and a length, then menu lines of the recipe's
 * own.
 */
struct recipe_head {
	const char	*text;
	size_t		 len;
};

#define REC_RUN		'T'
#define REC_LINES	'L'
#define NO_LIT		((size_t)-1)

static void
put_u32(struct buf *b, uint32_t v)
{
	buf_append(b, &v, sizeof(v));
}

static uint32_t
get_u32(const char *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Close an open record: a run of shared lines, or lines of its own. */
static void
recipe_close(struct gmenu_recipe *r)
{
	uint32_t	n;

	if (r->lit != NO_LIT) {
		n = (uint32_t)(r->ops.len - r->lit - 1 - sizeof(n));
		memcpy(r->ops.data + r->lit + 1, &n, sizeof(n));
		r->len += n;
		r->lit = NO_LIT;
	}
	if (r->run_end > r->run) {
		buf_putc(&r->ops, REC_RUN);
		put_u32(&r->ops, (uint32_t)r->run);
		put_u32(&r->ops, (uint32_t)(r->run_end - r->run));
		r->run = r->run_end;
	}
}

/* The line of the menu a line of the text (s, without CRLF) makes. */
static size_t
shared_line(char *d, const char *s, size_t len)
{
	if (len > 0 && s[0] == '.') {
		s++;
		len--;
	}
	if (memchr(s, '\t', len) == NULL) {
		if (d != NULL)
			memcpy(d, s, len);
		return len;
	}
	return expand_tabs(d, s, len);
}

/* A line of the text, from a to b, is also a line of the menu. */
static void
recipe_share(struct gmenu_recipe *r, const char *text, size_t a, size_t b)
{
	if (r->lit != NO_LIT || a != r->run_end) {
		recipe_close(r);
		r->run = a;
	}
	r->run_end = b;
	r->len += 1 + shared_line(NULL, text + a, b - a - 2) +
	    sizeof(INFO_END) - 1;
}

void
grecipe_init(struct gmenu_recipe *r)
{
	static const struct recipe_head	 head;

	memset(r, 0, sizeof(*r));
	r->lit = NO_LIT;
	buf_reserve(&r->ops, 1024);
	buf_append(&r->ops, &head, sizeof(head));
}

struct buf *
grecipe_lines(struct gmenu_recipe *r)
{
	if (r->lit == NO_LIT) {
		recipe_close(r);
		r->lit = r->ops.len;
		buf_putc(&r->ops, REC_LINES);
		put_u32(&r->ops, 0);
	}
	return &r->ops;
}

void
grecipe_finish(struct gmenu_recipe *r, const char *text)
{
	struct recipe_head	 head;

	recipe_close(r);
	head.text = text;
	head.len = r->len;
	memcpy(r->ops.data, &head, sizeof(head));
}

char *
gmenu_expand(const char *recipe, size_t len, size_t *lenp)
{
	struct recipe_head	 head;
	const char		*p = recipe + sizeof(head), *end = recipe + len;
	const char		*t, *tend, *nl;
	char			*menu, *d;
	uint32_t		 off, n;

	memcpy(&head, recipe, sizeof(head));
	d = menu = xmalloc(head.len + 1);
	while (p < end) {
		if (*p == REC_LINES) {
			n = get_u32(p + 1);
			memcpy(d, p + 1 + sizeof(n), n);
			d += n;
			p += 1 + sizeof(n) + n;
			continue;
		}
		off = get_u32(p + 1);
		n = get_u32(p + 1 + sizeof(off));
		p += 1 + sizeof(off) + sizeof(n);
		for (t = head.text + off, tend = t + n; t < tend; t = nl + 1) {
			nl = memchr(t, '\n', tend - t);
			*d++ = 'i';
			d += shared_line(d, t, nl - 1 - t);
			memcpy(d, INFO_END, sizeof(INFO_END) - 1);
			d += sizeof(INFO_END) - 1;
		}
	}
	*d = '\0';
	*lenp = d - menu;
	return menu;
}

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

/* What a raw line holds that line_end must look at. */
#define HAS_TAB		0x1
#define HAS_CR		0x2
#define HAS_CONTROL	0x4	/* any other control character */

static int
line_flags(const char *s, size_t len)
{
	const char	*end = s + len, *c;
	size_t		 n;
	int		 f = 0;

	for (; (c = utf8_next_control(s, end, &n)) != end; s = c + n)
		f |= *c == '\t' ? HAS_TAB : *c == '\r' ? HAS_CR : HAS_CONTROL;
	return f;
}

static void	menu_line(struct sink *, const char *, size_t);

/* Start a line at the end of out; returns where it starts. */
static size_t
line_begin(struct sink *k)
{
	size_t	start = k->out->len;

	buf_reserve(k->out, 1);
	if (k->menu)
		buf_putc(k->out, 'i');
	return start;
}

/*
 * The raw line written since start is complete: without its trailing
 * spaces (trim), it becomes a line of the text (text_line) or an info
 * line (info_line).  Most lines only need their end; the others are
 * redone from a copy.  Unless scan, the caller knows that the line has
 * no control character.
 */
static void
line_end(struct sink *k, size_t start, bool trim, bool scan)
{
	struct buf	*out = k->out;
	size_t		 from = start + (k->menu ? 1 : 0), len;
	int		 f;

	if (trim)
		while (out->len > from && out->data[out->len - 1] == ' ')
			out->len--;
	len = out->len - from;
	f = scan ? line_flags(out->data + from, len) : 0;
	/* The menu shows a CR as a space: a line of its own. */
	if (k->recipe != NULL && !k->own && (f & HAS_CR) != 0)
		menu_line(k, out->data + from, len);
	if (k->menu ? f == 0 :
	    (f & ~HAS_TAB) == 0 && (len == 0 || out->data[from] != '.')) {
		if (k->menu)
			buf_append(out, INFO_END, sizeof(INFO_END) - 1);
		else
			buf_append(out, "\r\n", 2);
	} else {
		buf_truncate(&k->tmp, 0);
		buf_append(&k->tmp, out->data + from, len);
		buf_truncate(out, start);
		if (k->menu)
			info_line(out, k->tmp.data, len);
		else
			text_line(out, k->tmp.data, len);
	}
	if (k->recipe != NULL && !k->own && (f & HAS_CR) == 0)
		recipe_share(k->recipe, out->data, start, out->len);
}

static void
put_line(struct sink *k, const char *s, size_t len)
{
	size_t	start = line_begin(k);

	buf_append(k->out, s, len);
	line_end(k, start, false, true);
}

/* A prefix of wrapped lines, measured once. */
struct prefix {
	const char	*s;
	size_t		 len;
	size_t		 width;		/* of the whole prefix */
	size_t		 bare;		/* of the prefix without its spaces */
	bool		 scan;		/* holds something line_end must see */
};

static void
prefix_init(struct prefix *x, const char *s)
{
	size_t	n;

	x->s = s;
	x->len = strlen(s);
	x->width = utf8_width(s, x->len);
	for (n = x->len; n > 0 && s[n - 1] == ' '; n--)
		;
	x->bare = utf8_width(s, n);
	x->scan = utf8_next_control(s, s + x->len, &n) != s + x->len;
}

/*
 * One wrapped line: the prefix, then the document's text from ls to le
 * (empty when ls is NULL), whose gaps are written as as many spaces.
 */
static void
wrap_emit(struct sink *k, const struct prefix *x, const char *ls,
    const char *le, bool tabs, bool scan)
{
	struct buf	*out = k->out;
	size_t		 start, n = ls != NULL ? (size_t)(le - ls) : 0, i;
	char		*d;

	start = line_begin(k);
	buf_reserve(out, x->len + n + sizeof(INFO_END));
	d = out->data + out->len;
	memcpy(d, x->s, x->len);
	if (n > 0)
		memcpy(d + x->len, ls, n);
	for (i = 0; tabs && i < n; i++)
		if (d[x->len + i] == '\t')
			d[x->len + i] = ' ';
	out->len += x->len + n;
	line_end(k, start, ls == NULL, scan || x->scan);
}

/*
 * The length of the words at p (p[0] starts one) that fit in room
 * columns, if they are plain ASCII as far as that: 0 when they are not,
 * or when the first word does not fit.
 */
static size_t
ascii_fit(const char *p, size_t room)
{
	size_t	n = strnlen(p, room + 1), e;

	if (utf8_ascii_run(p, n) != n)
		return 0;
	/* A word ends where a space or the end follows it. */
	if (n <= room || p[room] == ' ')
		e = n <= room ? n : room;
	else
		for (e = room; e > 0 && p[e - 1] != ' '; e--)
			;
	while (e > 0 && p[e - 1] == ' ')
		e--;
	return e;
}

/*
 * The word at *p, which moves past it; returns its width.  Anything but
 * printable ASCII is looked at: *scan when line_end must.
 */
static size_t
next_word(const char **pp, bool *scan)
{
	const char	*p = *pp, *w = p;
	bool		 wide = false;
	unsigned char	 c;

	*scan = false;
	for (;; p++) {
		c = (unsigned char)*p;
		if (c > ' ' && c < 0x7f)
			continue;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\0')
			break;
		if (c >= 0x80)
			wide = true;
		if (c < 0x80 || c == 0xc2)	/* C0, DEL, maybe C1 */
			*scan = true;
	}
	*pp = p;
	return wide ? utf8_width(w, p - w) : (size_t)(p - w);
}

/*
 * Wrap text to GOPHER_WIDTH columns, breaking only at ASCII spaces (a
 * no-break space is part of its word); LF forces a break.  The first
 * line starts with first, the others with rest.  A word wider than the
 * line sits alone, unbroken.  Returns the width of the widest line.
 *
 * A line is copied from the text in one piece: between its first and
 * its last word, the text's gaps are the line's (TABs become spaces).
 * Lines of plain ASCII are found without looking at each word.
 */
static size_t
wrap(struct sink *k, const char *text, const char *first, const char *rest)
{
	struct prefix	 px[2];
	const struct prefix *x = &px[0];
	const char	*p = text ? text : "", *w, *ls = NULL, *le = NULL;
	size_t		 lw, gap, ww, maxw = 0, used;
	bool		 wscan, scan = false, tabs = false, gaptab;

	prefix_init(&px[0], first);
	prefix_init(&px[1], rest);
	lw = x->width;
	for (;;) {
		for (gap = 0, gaptab = false; *p == ' ' || *p == '\t'; p++) {
			gaptab |= *p == '\t';
			gap++;
		}
		if (*p == '\0' || *p == '\n') {
			if ((ls != NULL ? lw : x->bare) > maxw)
				maxw = ls != NULL ? lw : x->bare;
			wrap_emit(k, x, ls, le, tabs, scan);
			if (*p++ == '\0')
				break;
			x = &px[1];
			lw = x->width;
			ls = NULL;
			scan = tabs = false;
			continue;
		}
		used = lw + (ls != NULL ? gap : 0);
		w = p;
		if (used < GOPHER_WIDTH &&
		    (ww = ascii_fit(p, GOPHER_WIDTH - used)) > 0) {
			/* Plain ASCII words that fit, taken at once. */
			p += ww;
			wscan = false;
		} else {
			ww = next_word(&p, &wscan);
			if (ls != NULL && lw + gap + ww > GOPHER_WIDTH) {
				if (lw > maxw)
					maxw = lw;
				wrap_emit(k, x, ls, le, tabs, scan);
				x = &px[1];
				lw = x->width;
				ls = NULL;
				scan = tabs = false;
			}
		}
		if (ls == NULL)
			ls = w;
		else {
			lw += gap;
			tabs |= gaptab;
		}
		le = p;
		lw += ww;
		scan |= wscan;
	}
	return maxw;
}

static void
heading(struct sink *k, const struct line *l)
{
	size_t	 w, start;

	w = wrap(k, l->text, "", "");
	if (l->level > 2 || w == 0)
		return;
	start = line_begin(k);
	buf_reserve(k->out, w);
	memset(k->out->data + k->out->len, l->level == 1 ? '=' : '-', w);
	k->out->len += w;
	line_end(k, start, false, false);
}

static void
list_item(struct sink *k, const struct line *l)
{
	char	 fbuf[32], rbuf[32], *first = fbuf, *rest = rbuf;
	size_t	 len, w;

	if (l->marker == NULL) {
		wrap(k, l->text, "* ", "  ");
		return;
	}
	/* "N. " then as many spaces (a width is at most a length). */
	len = strlen(l->marker) + 1;
	if (len >= sizeof(fbuf)) {
		first = xmalloc(len + 1);
		rest = xmalloc(len + 1);
	}
	memcpy(first, l->marker, len - 1);
	memcpy(first + len - 1, " ", 2);
	w = utf8_width(first, len);
	memset(rest, ' ', w);
	rest[w] = '\0';
	wrap(k, l->text, first, rest);
	if (first != fbuf) {
		free(first);
		free(rest);
	}
}

/* A preformatted block: verbatim, never wrapped, alt text not shown. */
/* A line of the text shown otherwise in the menu (TABs expanded). */
static void
menu_line(struct sink *k, const char *s, size_t len)
{
	size_t	n = expand_tabs(NULL, s, len);

	buf_truncate(&k->tmp, 0);
	buf_reserve(&k->tmp, n);
	k->tmp.len = expand_tabs(k->tmp.data, s, len);
	info_line(grecipe_lines(k->recipe), k->tmp.data, k->tmp.len);
}

static void
preformatted(struct sink *k, const char *body)
{
	const char	*p = body, *nl;
	size_t		 len;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		put_line(k, p, len);
		p = nl ? nl + 1 : NULL;
	}
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
		if (c == '%' && (hi = url_hex_value(s[1])) >= 0 &&
		    (lo = url_hex_value(s[2])) >= 0) {
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
	it->selector = xmalloc(4 + strlen(url) + 1);
	memcpy(it->selector, "URL:", 4);
	strcpy(it->selector + 4, url);
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

/* n in decimal, written so as to end at end: returns where it starts. */
static char *
decimal(char *end, size_t n)
{
	do
		*--end = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return end;
}

static void
put_port(struct buf *out, int port)
{
	char	 d[24], *p;

	p = decimal(d + sizeof(d), port < 0 ? 0 : (size_t)port);
	buf_append(out, p, d + sizeof(d) - p);
}

/* gopher://host[:port]/Tselector, the selector percent-encoded. */
static void
gopher_url(const struct gopher_item *it, struct buf *out)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s;

	buf_puts(out, "gopher://");
	buf_puts(out, it->host);
	if (it->port != 70) {
		buf_putc(out, ':');
		put_port(out, it->port);
	}
	buf_putc(out, '/');
	buf_putc(out, it->type);
	for (s = (const unsigned char *)it->selector; *s != '\0'; s++) {
		if (*s <= ' ' || *s >= 0x7f || strchr("%?#\"<>", *s)) {
			buf_putc(out, '%');
			buf_putc(out, hex[*s >> 4]);
			buf_putc(out, hex[*s & 0xf]);
		} else
			buf_putc(out, (char)*s);
	}
}

/*
 * A link line in a text: "[N] label", then the target indented by 4;
 * in the menu, a real item instead.  The references are numbered after
 * the footnotes, so that every [N] of a text names one thing.
 */
static void
text_link(struct sink *k, const struct line *l)
{
	struct gopher_item	 it;
	char			 first[32], *f;
	size_t			 start;

	gopher_item_for(k->render, l->url, &it);
	if (k->recipe != NULL)
		gmenu_item(grecipe_lines(k->recipe), it.type,
		    l->text ? l->text : l->url, it.selector, it.host, it.port);
	k->own = true;
	memcpy(first + sizeof(first) - 3, "] ", 3);
	f = decimal(first + sizeof(first) - 3, ++k->nlinks);
	*--f = '[';
	wrap(k, l->text ? l->text : l->url, f, "    ");
	start = line_begin(k);
	buf_puts(k->out, "    ");
	if (it.capsule)
		gopher_url(&it, k->out);
	else
		buf_puts(k->out, l->url);
	line_end(k, start, false, true);
	k->own = false;
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

/*
 * About the size of a document written out: its text, a little for the
 * line ends and prefixes, more for link targets and underlines.
 */
static size_t
doc_size(const struct doc *d)
{
	const struct line	*l;
	size_t			 i, n = 64, len;

	for (i = 0; i < d->n; i++) {
		l = &d->lines[i];
		len = l->text != NULL ? strlen(l->text) : 0;
		n += len + len / 16 + 8;
		if (l->kind == LINE_LINK)
			n += strlen(l->url) + 64;
		else if (l->kind == LINE_HEADING)
			n += len;
	}
	return n;
}

void
gophertext_doc(const struct doc *d, const struct gopher_render *r,
    struct buf *text, struct gmenu_recipe *recipe)
{
	struct sink	 k = { text, r, false, d->nnotes, BUF_INIT, recipe,
			    false };

	buf_reserve(text, doc_size(d));
	write_doc(&k, d);
	buf_puts(text, ".\r\n");
	buf_free(&k.tmp);
}

void
gophertext_text(const struct doc *d, const struct gopher_render *r,
    struct buf *out)
{
	gophertext_doc(d, r, out, NULL);
}

void
gophertext_menu(const struct doc *d, const struct gopher_render *r,
    struct buf *out)
{
	struct gmenu_recipe	 rec;
	struct buf		 text = BUF_INIT;
	char			*menu;
	size_t			 len;

	grecipe_init(&rec);
	gophertext_doc(d, r, &text, &rec);
	grecipe_finish(&rec, text.data);
	menu = gmenu_expand(rec.ops.data, rec.ops.len, &len);
	buf_append(out, menu, len);
	free(menu);
	buf_free(&rec.ops);
	buf_free(&text);
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
	struct sink	 k = { out, NULL, true, 0, BUF_INIT, NULL, false };

	wrap(&k, text, "", "");
	buf_free(&k.tmp);
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
	buf_putc(out, '\t');
	put_port(out, port);
	buf_append(out, "\r\n", 2);
}

void
gmenu_end(struct buf *out)
{
	buf_puts(out, ".\r\n");
}
