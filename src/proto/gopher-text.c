/*
 * The Gopher text writer (CONVERSION.md section 6): the document model
 * as a type 0 text (wrapped at 70 columns, numbered link references)
 * and, in the same pass, the recipe of its menu.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

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
	struct gopher_recipe		*recipe;	/* or NULL */
	bool				 own;		/* lines of the text only */
};

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
			buf_append(out, GOPHER_INFO_END,
			    sizeof(GOPHER_INFO_END) - 1);
		else
			buf_append(out, "\r\n", 2);
	} else {
		buf_truncate(&k->tmp, 0);
		buf_append(&k->tmp, out->data + from, len);
		buf_truncate(out, start);
		if (k->menu)
			gopher_menu_info_line(out, k->tmp.data, len);
		else
			gopher_menu_text_line(out, k->tmp.data, len);
	}
	if (k->recipe != NULL && !k->own && (f & HAS_CR) == 0)
		gopher_recipe_share(k->recipe, out->data, start, out->len);
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
	buf_reserve(out, x->len + n + sizeof(GOPHER_INFO_END));
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

/*
 * A heading as Markdown writes one in plain text, so that each level
 * reads apart from the text around it and from the other levels: the
 * text underlined with '=' (level 1) or '-' (level 2) as wide as its
 * widest line, deeper ones after their marks ("### " to "###### ").
 */
static void
heading(struct sink *k, const struct line *l)
{
	char	 first[8], rest[8];
	size_t	 w, start, n;

	if (l->level > 2) {
		n = l->level > 6 ? 6 : (size_t)l->level;
		memset(first, '#', n);
		memset(rest, ' ', n + 1);
		first[n] = ' ';
		first[n + 1] = rest[n + 1] = '\0';
		wrap(k, l->text, first, rest);
		return;
	}
	w = wrap(k, l->text, "", "");
	if (w == 0)
		return;
	start = line_begin(k);
	buf_reserve(k->out, w);
	memset(k->out->data + k->out->len, l->level == 1 ? '=' : '-', w);
	k->out->len += w;
	line_end(k, start, false, false);
}

/*
 * "* text" or "N. text", continuation lines under the text; a nested
 * item indented two columns a level (at most eight levels).
 */
static void
list_item(struct sink *k, const struct line *l)
{
	struct buf	 first = BUF_INIT, rest = BUF_INIT;
	size_t		 ind = 2 * (size_t)(l->depth < 0 ? 0 :
			    l->depth > 8 ? 8 : l->depth);

	buf_spaces(&first, ind);
	buf_printf(&first, "%s ", l->marker ? l->marker : "*");
	buf_spaces(&rest, utf8_width(first.data, first.len));
	wrap(k, l->text, first.data, rest.data);
	buf_free(&first);
	buf_free(&rest);
}

/* A preformatted block: verbatim, never wrapped, alt text not shown. */
/* A line of the text shown otherwise in the menu (TABs expanded). */
static void
menu_line(struct sink *k, const char *s, size_t len)
{
	size_t	n = gopher_menu_expand_tabs(NULL, s, len);

	buf_truncate(&k->tmp, 0);
	buf_reserve(&k->tmp, n);
	k->tmp.len = gopher_menu_expand_tabs(k->tmp.data, s, len);
	gopher_menu_info_line(gopher_recipe_lines(k->recipe), k->tmp.data,
	    k->tmp.len);
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
		gopher_menu_item(gopher_recipe_lines(k->recipe), it.type,
		    l->text ? l->text : l->url, it.selector, it.host, it.port);
	k->own = true;
	memcpy(first + sizeof(first) - 3, "] ", 3);
	f = gopher_menu_decimal(first + sizeof(first) - 3, ++k->nlinks);
	*--f = '[';
	wrap(k, l->text ? l->text : l->url, f, "    ");
	start = line_begin(k);
	buf_puts(k->out, "    ");
	if (it.capsule)
		gopher_item_url(&it, k->out);
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
gopher_text_doc(const struct doc *d, const struct gopher_render *r,
    struct buf *text, struct gopher_recipe *recipe)
{
	struct sink	 k = { text, r, false, d->nnotes, BUF_INIT, recipe,
			    false };

	buf_reserve(text, doc_size(d));
	write_doc(&k, d);
	buf_puts(text, ".\r\n");
	buf_free(&k.tmp);
}

void
gopher_text_write(const struct doc *d, const struct gopher_render *r,
    struct buf *out)
{
	gopher_text_doc(d, r, out, NULL);
}

void
gopher_text_menu(const struct doc *d, const struct gopher_render *r,
    struct buf *out)
{
	struct gopher_recipe	 rec;
	struct buf		 text = BUF_INIT;
	char			*menu;
	size_t			 len;

	gopher_recipe_init(&rec);
	gopher_text_doc(d, r, &text, &rec);
	gopher_recipe_finish(&rec, text.data);
	menu = gopher_recipe_expand(rec.ops.data, rec.ops.len, &len);
	buf_append(out, menu, len);
	free(menu);
	buf_free(&rec.ops);
	buf_free(&text);
}

void
gopher_text_plain(const char *text, size_t len, struct buf *out)
{
	const char	*p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		gopher_menu_text_line(out, p, (nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
	}
	buf_puts(out, ".\r\n");
}

void
gopher_text_info(struct buf *out, const char *text)
{
	struct sink	 k = { out, NULL, true, 0, BUF_INIT, NULL, false };

	wrap(&k, text, "", "");
	buf_free(&k.tmp);
}

