/*
 * md4c callbacks to the document model.  One context struct, one small
 * function per block and span kind, as md4c's own HTML renderer.
 *
 * Inline content is collected into a "text unit" (a paragraph, a
 * heading, a list item's text, a table, an HTML block): its text, with
 * '\n' marking hard breaks, and its link lines.  When the unit ends,
 * its lines are appended to the document, then its link lines.
 */
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

/* Open spans tracked per unit; deeper ones are counted, not kept. */
#define SPAN_MAX	64
#define BLOCKS_WARN	32	/* deeper block nesting is reported */

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

struct mlink {
	char		*url;
	char		*label;		/* NULL: no label */
};

enum span_kind {
	SPAN_LINK,	/* Markdown link */
	SPAN_IMG,	/* Markdown image: its text is the label */
	SPAN_HTML_A,	/* <a href> */
	SPAN_SUB,
	SPAN_SUP,
};

struct span {
	enum span_kind	 kind;
	size_t		 start;		/* offset of its text in the unit */
	bool		 space;		/* a space was due at the start */
	bool		 autolink;
	bool		 seen_text;
	char		*href;		/* target, for links and images */
	char		*img_label;	/* label of an image inside a link */
	char		*img_src;	/* its target, in a figure */
};

enum unit_kind {
	U_PARA,
	U_ITEM,
	U_HEADING,
	U_TABLE,
	U_HTML,
};

struct unit {
	enum unit_kind	 kind;
	bool		 active;
	struct buf	 text;		/* '\n' marks a hard break */
	bool		 space;		/* a space is due before more text */
	struct mlink	*links;
	size_t		 nlinks, linkcap;
	size_t		*index;		/* hash of links by URL: i + 1, or 0 */
	size_t		 indexcap;	/* a power of two, or 0 */
	size_t		 nanchors;	/* links with a line, from text */
	size_t		 a_start, a_end;	/* text of the last of them */
	size_t		 li;		/* U_ITEM: index of its frame */
	int		 level;		/* U_HEADING */
	struct span	 spans[SPAN_MAX];
	size_t		 nspans;
	size_t		 lost;		/* Markdown spans beyond SPAN_MAX */
};

enum item_state {
	ITEM_PENDING,	/* the item's text is still to come */
	ITEM_OPEN,	/* the current unit is the item's text */
	ITEM_DONE,
};

struct frame {
	MD_BLOCKTYPE	 type;
	unsigned	 next;		/* OL: number of the next item */
	enum item_state	 item;		/* LI */
	char		 marker[16];	/* LI: "N." or "" */
};

struct row {
	char		**cells;	/* lines joined by '\n' */
	size_t		 n, cap;
};

struct table {
	struct row	*rows;
	size_t		 nrows, rowcap;
	MD_ALIGN	*align;
	size_t		 nalign;
	unsigned	 heads;		/* header rows */
	size_t		 cell_start;	/* of the open cell in the unit */
	MD_ALIGN	 cell_align;
};

struct render {
	const struct convert_env *env;
	struct doc	*doc;
	const char	*src;		/* what md4c parses */
	size_t		 srclen;
	struct linemap	 map;		/* the lines of src in the file */
	size_t		 pos;		/* a source offset reached ... */
	unsigned	 line;		/* ... and its line, from 0 */
	enum {
		DEEP_NO,
		DEEP_PENDING,	/* report at the next text, for its line */
		DEEP_REPORTED,
	}		 deep;		/* nesting beyond BLOCKS_WARN */
	bool		 brk;		/* the next line starts a block */
	const char	*prefix;	/* footnote number, before the text */
	struct frame	*frames;
	size_t		 nframes, framecap;
	size_t		 quotes, lists;	/* open containers */
	struct unit	 u;
	struct buf	 html;		/* inline HTML chunks to join */
	struct buf	 block;		/* code or HTML block text */
	unsigned	 block_line;	/* where the HTML block starts */
	size_t		 indent;	/* code: indentation md4c made up */
	char		*code_alt;
	struct table	 tab;
	const unsigned	*heads;		/* header rows per table */
	size_t		 nheads, tableno;
};

static void	html_inline(struct render *, const struct html_token *);

/* Text helpers. */

/* Byte classes: ASCII whitespace, and what unit_text() looks at. */
#define C_SPACE		1
#define C_SPECIAL	2

static const unsigned char byte_class[256] = {
	[' '] = C_SPACE | C_SPECIAL, ['\t'] = C_SPACE | C_SPECIAL,
	['\n'] = C_SPACE | C_SPECIAL, ['\r'] = C_SPACE | C_SPECIAL,
	['\f'] = C_SPACE | C_SPECIAL, ['\v'] = C_SPACE | C_SPECIAL,
	['-'] = C_SPECIAL, ['.'] = C_SPECIAL, ['"'] = C_SPECIAL,
	['\''] = C_SPECIAL, ['\0'] = C_SPECIAL,
};

static bool
is_space(char c)
{
	return byte_class[(unsigned char)c] & C_SPACE;
}

/* Spaces that must not start or end a line (besides ASCII ones). */
static bool
is_blank_cp(uint32_t cp)
{
	return cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000 || cp == 0xfeff;
}

/* Length of a blank character at s, 0 if none. */
static size_t
blank_at(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		n;

	if (len > 0 && is_space(*s))
		return 1;
	if ((n = utf8_decode(s, len, &cp)) > 0 && is_blank_cp(cp))
		return n;
	return 0;
}

/* Trim blanks at both ends of [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
	size_t	n, k;

	while (*len > 0 && (n = blank_at(*s, *len)) > 0) {
		*s += n;
		*len -= n;
	}
	while (*len > 0) {
		/* Back to the start of the last character. */
		for (k = *len - 1; k > 0 && ((*s)[k] & 0xc0) == 0x80 &&
		    *len - k < 4; k--)
			;
		if (blank_at(*s + k, *len - k) != *len - k)
			break;
		*len = k;
	}
}

/*
 * A copy of s with ASCII whitespace runs (hard breaks included)
 * collapsed to one space and blanks trimmed; NULL when nothing is left.
 */
static char *
collapse_dup(const char *s, size_t len)
{
	char	*out, *o;
	size_t	 i;

	trim(&s, &len);
	if (len == 0)
		return NULL;
	o = out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (!is_space(s[i]))
			*o++ = s[i];
		else if (!is_space(s[i - 1]))	/* s[0] is not a space */
			*o++ = ' ';
	}
	*o = '\0';
	return out;
}

/* kramdown's typographic symbols: bytes used at s, 0 if none. */
static size_t
typography(const char *s, size_t len, const char **rep)
{
	if (len >= 3 && memcmp(s, "---", 3) == 0) {
		*rep = "\xe2\x80\x94";	/* em dash */
		return 3;
	}
	if (len >= 2 && memcmp(s, "--", 2) == 0) {
		*rep = "\xe2\x80\x93";	/* en dash */
		return 2;
	}
	if (len >= 3 && memcmp(s, "...", 3) == 0) {
		*rep = "\xe2\x80\xa6";	/* ellipsis */
		return 3;
	}
	return 0;
}

static bool
ends_with(const struct buf *b, const char *s)
{
	size_t	n = strlen(s);

	return b->len >= n && memcmp(b->data + b->len - n, s, n) == 0;
}

/* A curly quote for c, opening after a space or an opening mark. */
static const char *
curl(const struct buf *b, char c)
{
	bool	open;

	open = b->len == 0 || strchr(" \n([{/-", b->data[b->len - 1]) ||
	    ends_with(b, "\xe2\x80\x9c") || ends_with(b, "\xe2\x80\x98") ||
	    ends_with(b, "\xe2\x80\x94") || ends_with(b, "\xe2\x80\x93");
	if (c == '"')
		return open ? "\xe2\x80\x9c" : "\xe2\x80\x9d";
	return open ? "\xe2\x80\x98" : "\xe2\x80\x99";
}

/* Append s with NUL bytes replaced: the model holds C strings. */
static void
append_text(struct buf *b, const char *s, size_t n)
{
	const char	*z;

	while ((z = memchr(s, '\0', n)) != NULL) {
		buf_append(b, s, z - s);
		buf_puts(b, REPLACEMENT);
		n -= z - s + 1;
		s = z + 1;
	}
	buf_append(b, s, n);
}

/*
 * A target as a URL for a link line: bytes that would end the URL or
 * the line (controls, space) are percent-encoded.
 */
static char *
url_clean(char *url)
{
	const char	*p;
	char		*clean;

	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			break;
	if (*p == '\0')
		return url;
	clean = url_encode_str(url, URL_VISIBLE);
	free(url);
	return clean;
}

/* Source positions and lines, for warnings and map_url. */

static bool
in_src(const struct render *r, const char *p)
{
	uintptr_t	a = (uintptr_t)p, s = (uintptr_t)r->src;

	return a >= s && a < s + r->srclen;
}

/* Advance the known position to p when it is further in the source. */
static void
track(struct render *r, const char *p)
{
	const char	*q, *end;

	if (!in_src(r, p) || (size_t)(p - r->src) <= r->pos)
		return;
	q = r->src + r->pos;
	end = p;
	while ((q = memchr(q, '\n', end - q)) != NULL) {
		r->line++;
		q++;
	}
	r->pos = p - r->src;
}

static unsigned
cur_line(const struct render *r)
{
	return linemap_line(&r->map, r->line);
}

/* An md4c attribute as a string, entities decoded. */
static char *
attr_dup(const MD_ATTRIBUTE *a)
{
	struct buf	b = BUF_INIT;
	MD_OFFSET	off, end;
	size_t		i;

	buf_puts(&b, "");
	for (i = 0; a->substr_offsets != NULL &&
	    a->substr_offsets[i] < a->size; i++) {
		off = a->substr_offsets[i];
		end = a->substr_offsets[i + 1];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			entity_decode_into(&b, a->text + off, end - off);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			buf_puts(&b, REPLACEMENT);
		else
			buf_append(&b, a->text + off, end - off);
	}
	return buf_detach(&b, NULL);
}

/* Units: text, links, spans. */

static void
unit_space_flush(struct unit *u)
{
	if (u->space && u->text.len > 0 &&
	    u->text.data[u->text.len - 1] != '\n')
		buf_putc(&u->text, ' ');
	u->space = false;
}

/* Text with whitespace collapsed, and typography when typo is set. */
static void
unit_text(struct render *r, const char *s, size_t len, bool typo)
{
	struct unit	*u = &r->u;
	const char	*rep;
	size_t		 i, n;

	for (i = 0; i < len; i += n) {
		/* Runs of plain bytes are copied at once. */
		for (n = 0; i + n < len &&
		    !(byte_class[(unsigned char)s[i + n]] & C_SPECIAL); n++)
			;
		if (n > 0) {
			unit_space_flush(u);
			buf_append(&u->text, s + i, n);
			continue;
		}
		n = 1;
		if (is_space(s[i])) {
			u->space = true;
			continue;
		}
		unit_space_flush(u);
		if (typo && (n = typography(s + i, len - i, &rep)) > 0)
			buf_puts(&u->text, rep);
		else if (s[i] == '\0')
			buf_puts(&u->text, REPLACEMENT);
		else if (typo && r->env->smart_quotes &&
		    (s[i] == '"' || s[i] == '\''))
			buf_puts(&u->text, curl(&u->text, s[i]));
		else
			buf_putc(&u->text, s[i]);
		if (n == 0)
			n = 1;
	}
}

/* Text kept as it is (code spans, autolinks); line ends become spaces. */
static void
unit_raw(struct unit *u, const char *s, size_t len)
{
	size_t	i;

	unit_space_flush(u);
	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			buf_puts(&u->text, REPLACEMENT);
		else
			buf_putc(&u->text, s[i] == '\n' || s[i] == '\r' ?
			    ' ' : s[i]);
	}
}

static void
unit_break(struct unit *u)
{
	u->space = false;
	if (u->text.len > 0 && u->text.data[u->text.len - 1] != '\n')
		buf_putc(&u->text, '\n');
}

static void
span_free(struct span *s)
{
	free(s->href);
	free(s->img_label);
	free(s->img_src);
	s->href = s->img_label = s->img_src = NULL;
}

/* Forget the open spans from index i up. */
static void
spans_drop(struct unit *u, size_t i)
{
	while (u->nspans > i)
		span_free(&u->spans[--u->nspans]);
}

static void
mlinks_free(struct mlink *l, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(l[i].url);
		free(l[i].label);
	}
}

/* Empty the unit, which stays active. */
static void
unit_clear(struct unit *u)
{
	mlinks_free(u->links, u->nlinks);
	u->nlinks = 0;
	free(u->index);
	u->index = NULL;
	u->indexcap = 0;
	u->nanchors = 0;
	spans_drop(u, 0);
	u->lost = 0;
	buf_truncate(&u->text, 0);
	buf_puts(&u->text, "");		/* data is never NULL */
	u->space = false;
}

static void
unit_begin(struct render *r, enum unit_kind kind)
{
	struct unit	*u = &r->u;

	unit_clear(u);
	u->kind = kind;
	u->active = true;
	if (r->prefix != NULL && kind != U_TABLE && kind != U_HTML) {
		unit_raw(u, r->prefix, strlen(r->prefix));
		u->space = true;
		r->prefix = NULL;
	}
}

static struct frame *
top_frame(struct render *r)
{
	return r->nframes > 0 ? &r->frames[r->nframes - 1] : NULL;
}

/* A paragraph, or the text of the list item it opens. */
static void
begin_text_unit(struct render *r)
{
	struct frame	*f = top_frame(r);

	if (f != NULL && f->type == MD_BLOCK_LI && f->item == ITEM_PENDING) {
		f->item = ITEM_OPEN;
		unit_begin(r, U_ITEM);
		r->u.li = r->nframes - 1;
	} else
		unit_begin(r, U_PARA);
}

static struct unit *
active_unit(struct render *r)
{
	if (!r->u.active)
		begin_text_unit(r);
	return &r->u;
}

/* Target of a link line, NULL when it gets none (CONVERSION.md 5.6). */
static char *
map_target(struct render *r, const char *target)
{
	char	*url;

	if (*target == '\0' || *target == '#' || strncmp(target,
	    LIQUID_DEAD_LINK, strlen(LIQUID_DEAD_LINK)) == 0)
		return NULL;
	if (r->env->map_url == NULL)
		url = xstrdup(target);
	else if ((url = r->env->map_url(r->env->liquid.ctx, target,
	    cur_line(r))) == NULL)
		return NULL;
	if (*url == '\0') {
		free(url);
		return NULL;
	}
	return url_clean(url);
}

static uint32_t
hash_str(const char *s)
{
	uint32_t	h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Where url is in the link index, or the empty slot it would take. */
static size_t
link_slot(const struct unit *u, const char *url)
{
	size_t	mask = u->indexcap - 1, i = hash_str(url) & mask;

	while (u->index[i] != 0 && strcmp(u->links[u->index[i] - 1].url,
	    url) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Keep the index at most half full, with room for one more link. */
static void
link_index_grow(struct unit *u)
{
	size_t	i;

	if (u->indexcap > 2 * (u->nlinks + 1))
		return;
	free(u->index);
	u->indexcap = u->indexcap ? u->indexcap * 2 : 16;
	u->index = xcalloc(u->indexcap, sizeof(*u->index));
	for (i = 0; i < u->nlinks; i++)
		u->index[link_slot(u, u->links[i].url)] = i + 1;
}

/* Add a link line to the unit, once per URL; false when it has none. */
static bool
unit_add_link(struct render *r, const char *target, const char *label)
{
	struct unit	*u = &r->u;
	struct mlink	*l;
	char		*url;
	size_t		 slot;

	if ((url = map_target(r, target)) == NULL)
		return false;
	link_index_grow(u);
	slot = link_slot(u, url);
	if (u->index[slot] != 0) {
		free(url);
		return true;
	}
	xgrowarray(&u->links, &u->linkcap, u->nlinks + 1, sizeof(*u->links));
	l = &u->links[u->nlinks++];
	l->url = url;
	l->label = label ? xstrdup(label) : NULL;
	u->index[slot] = u->nlinks;
	return true;
}

/* "Image: file" for an image without alt text. */
static char *
image_label(const char *src)
{
	const char	*end = src + strcspn(src, "?#"), *base = end;
	char		*s, *label;

	while (base > src && base[-1] != '/')
		base--;
	s = xasprintf("Image: %.*s", (int)(end - base), base);
	if ((label = collapse_dup(s, strlen(s))) == NULL ||
	    strcmp(label, "Image:") == 0) {
		free(label);
		label = xstrdup("Image");
	}
	free(s);
	return label;
}

static struct span *
span_push(struct unit *u, enum span_kind kind, const char *href)
{
	struct span	*s;

	if (u->nspans == SPAN_MAX) {
		if (kind == SPAN_LINK || kind == SPAN_IMG)
			u->lost++;
		return NULL;
	}
	s = &u->spans[u->nspans++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->start = u->text.len;
	s->space = u->space;
	s->href = href ? xstrdup(href) : NULL;
	return s;
}

/* Index + 1 of the innermost open span of that kind, 0 if none. */
static size_t
span_find(const struct unit *u, enum span_kind kind)
{
	size_t	i;

	for (i = u->nspans; i > 0; i--)
		if (u->spans[i - 1].kind == kind)
			return i;
	return 0;
}

/* Let an enclosing link use an image's label when it has no text. */
static void
tell_link(struct unit *u, const char *label)
{
	struct span	*s;

	if (u->nspans == 0)
		return;
	s = &u->spans[u->nspans - 1];
	if ((s->kind == SPAN_LINK || s->kind == SPAN_HTML_A) &&
	    s->img_label == NULL)
		s->img_label = xstrdup(label);
}

static void
link_close(struct render *r, struct span *s)
{
	struct unit	*u = &r->u;
	char		*label;

	label = collapse_dup(u->text.data + s->start, u->text.len - s->start);
	if (s->autolink) {
		free(label);
		label = NULL;
	} else if (label == NULL && s->img_label != NULL)
		label = xstrdup(s->img_label);
	if (unit_add_link(r, s->href, label) && u->text.len > s->start) {
		u->nanchors++;
		u->a_start = s->start;
		u->a_end = u->text.len;
	}
	free(label);
}

static void
img_close(struct render *r, struct span *s)
{
	struct unit	*u = &r->u;
	char		*label;

	label = collapse_dup(u->text.data + s->start, u->text.len - s->start);
	buf_truncate(&u->text, s->start);
	u->space = s->space;
	if (label == NULL)
		label = image_label(s->href);
	unit_add_link(r, s->href, label);
	tell_link(u, label);
	free(label);
}

struct script_char {
	char		 c;
	const char	*sub, *sup;
};

/* Unicode subscript and superscript forms ("" when there is none). */
static const struct script_char script_chars[] = {
	{ '(', "\xe2\x82\x8d", "\xe2\x81\xbd" },
	{ ')', "\xe2\x82\x8e", "\xe2\x81\xbe" },
	{ '+', "\xe2\x82\x8a", "\xe2\x81\xba" },
	{ '-', "\xe2\x82\x8b", "\xe2\x81\xbb" },
	{ '0', "\xe2\x82\x80", "\xe2\x81\xb0" },
	{ '1', "\xe2\x82\x81", "\xc2\xb9" },
	{ '2', "\xe2\x82\x82", "\xc2\xb2" },
	{ '3', "\xe2\x82\x83", "\xc2\xb3" },
	{ '4', "\xe2\x82\x84", "\xe2\x81\xb4" },
	{ '5', "\xe2\x82\x85", "\xe2\x81\xb5" },
	{ '6', "\xe2\x82\x86", "\xe2\x81\xb6" },
	{ '7', "\xe2\x82\x87", "\xe2\x81\xb7" },
	{ '8', "\xe2\x82\x88", "\xe2\x81\xb8" },
	{ '9', "\xe2\x82\x89", "\xe2\x81\xb9" },
	{ '=', "\xe2\x82\x8c", "\xe2\x81\xbc" },
	{ 'a', "\xe2\x82\x90", "\xe1\xb5\x83" },
	{ 'b', "", "\xe1\xb5\x87" },
	{ 'c', "", "\xe1\xb6\x9c" },
	{ 'd', "", "\xe1\xb5\x88" },
	{ 'e', "\xe2\x82\x91", "\xe1\xb5\x89" },
	{ 'f', "", "\xe1\xb6\xa0" },
	{ 'g', "", "\xe1\xb5\x8d" },
	{ 'h', "\xe2\x82\x95", "\xca\xb0" },
	{ 'i', "\xe1\xb5\xa2", "\xe2\x81\xb1" },
	{ 'j', "\xe2\xb1\xbc", "\xca\xb2" },
	{ 'k', "\xe2\x82\x96", "\xe1\xb5\x8f" },
	{ 'l', "\xe2\x82\x97", "\xcb\xa1" },
	{ 'm', "\xe2\x82\x98", "\xe1\xb5\x90" },
	{ 'n', "\xe2\x82\x99", "\xe2\x81\xbf" },
	{ 'o', "\xe2\x82\x92", "\xe1\xb5\x92" },
	{ 'p', "\xe2\x82\x9a", "\xe1\xb5\x96" },
	{ 'r', "\xe1\xb5\xa3", "\xca\xb3" },
	{ 's', "\xe2\x82\x9b", "\xcb\xa2" },
	{ 't', "\xe2\x82\x9c", "\xe1\xb5\x97" },
	{ 'u', "\xe1\xb5\xa4", "\xe1\xb5\x98" },
	{ 'v', "\xe1\xb5\xa5", "\xe1\xb5\x9b" },
	{ 'w', "", "\xca\xb7" },
	{ 'x', "\xe2\x82\x93", "\xcb\xa3" },
	{ 'y', "", "\xca\xb8" },
	{ 'z', "", "\xe1\xb6\xbb" },
};

static const char *
script_form(char c, bool sup)
{
	size_t	i;

	for (i = 0; i < nitems(script_chars); i++)
		if (script_chars[i].c == c)
			return sup ? script_chars[i].sup : script_chars[i].sub;
	return "";
}

/* <sub>x</sub>: Unicode forms when all exist, else _x (^x for sup). */
static void
script_close(struct render *r, struct span *s)
{
	struct unit	*u = &r->u;
	struct buf	 b = BUF_INIT;
	const char	*t = u->text.data + s->start, *form;
	size_t		 i, n = u->text.len - s->start;
	bool		 sup = s->kind == SPAN_SUP;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		if (*(form = script_form(t[i], sup)) == '\0')
			break;
		buf_puts(&b, form);
	}
	if (i < n) {
		buf_truncate(&b, 0);
		buf_putc(&b, sup ? '^' : '_');
		buf_append(&b, t, n);
	}
	buf_truncate(&u->text, s->start);
	buf_append(&u->text, b.data, b.len);
	buf_free(&b);
}

/* Close the span at index i, forgetting those opened inside it. */
static void
span_close(struct render *r, size_t i)
{
	struct unit	*u = &r->u;
	struct span	 s = u->spans[i];

	spans_drop(u, i + 1);
	u->nspans = i;
	switch (s.kind) {
	case SPAN_LINK:
	case SPAN_HTML_A:
		link_close(r, &s);
		break;
	case SPAN_IMG:
		img_close(r, &s);
		break;
	case SPAN_SUB:
	case SPAN_SUP:
		script_close(r, &s);
		break;
	}
	span_free(&s);
}

/* Emitting lines. */

/* Text a client would read as another gemtext line type. */
static bool
looks_like_markup(const char *s)
{
	return strncmp(s, "```", 3) == 0 || strncmp(s, "=>", 2) == 0 ||
	    strncmp(s, "* ", 2) == 0 || *s == '#' || *s == '>';
}

static void
emit_line(struct render *r, enum line_kind kind, const char *text,
    const char *marker)
{
	struct line	*l;
	char		*guarded;

	if (kind == LINE_TEXT && looks_like_markup(text)) {
		/* Gemtext has no escape: a zero-width space defuses it. */
		guarded = xasprintf("\xe2\x80\x8b%s", text);
		l = doc_add(r->doc, kind, r->brk, guarded);
		free(guarded);
	} else
		l = doc_add(r->doc, kind, r->brk, text);
	if (marker != NULL && *marker != '\0')
		l->marker = xstrdup(marker);
	r->brk = false;
}

static void
emit_links(struct render *r)
{
	struct unit	*u = &r->u;
	size_t		 i;

	for (i = 0; i < u->nlinks; i++) {
		doc_add_link(r->doc, r->brk, u->links[i].url, u->links[i].label);
		r->brk = false;
	}
}

/*
 * True when the unit's text is the text of its only link, give or take
 * blanks and trailing punctuation: the link line replaces it.
 */
static bool
link_only(const struct unit *u)
{
	size_t	i;

	if (u->nanchors != 1)
		return false;
	for (i = 0; i < u->a_start; i++)
		if (!is_space(u->text.data[i]))
			return false;
	for (i = u->a_end; i < u->text.len; i++)
		if (!is_space(u->text.data[i]) &&
		    strchr(".:;,!?", u->text.data[i]) == NULL)
			return false;
	return true;
}

/* Quote lines for text in a blockquote, else kind. */
static enum line_kind
in_quote(const struct render *r, enum line_kind kind)
{
	return r->quotes > 0 ? LINE_QUOTE : kind;
}

/* One line per hard break. */
static void
emit_text_lines(struct render *r)
{
	const char	*p = r->u.text.data, *end = p + r->u.text.len, *nl;
	char		*line;

	while (p != NULL && p < end) {
		nl = memchr(p, '\n', end - p);
		if ((line = collapse_dup(p, (nl ? nl : end) - p)) != NULL)
			emit_line(r, in_quote(r, LINE_TEXT), line, NULL);
		free(line);
		p = nl ? nl + 1 : NULL;
	}
}

static void
emit_item(struct render *r, const char *marker)
{
	char	*text, *q;

	if ((text = collapse_dup(r->u.text.data, r->u.text.len)) == NULL)
		return;
	if (r->quotes > 0) {
		q = xasprintf("%s %s", *marker ? marker : "*", text);
		emit_line(r, LINE_QUOTE, q, NULL);
		free(q);
	} else
		emit_line(r, LINE_ITEM, text, marker);
	free(text);
}

static void
emit_heading(struct render *r)
{
	char	*text;

	if ((text = collapse_dup(r->u.text.data, r->u.text.len)) == NULL)
		return;
	if (r->quotes > 0)
		emit_line(r, LINE_QUOTE, text, NULL);
	else {
		doc_add_heading(r->doc, r->u.level, text);
		r->brk = false;
	}
	free(text);
}

/* Emit a paragraph, item or heading unit and its links. */
static void
emit_unit(struct render *r)
{
	struct unit	*u = &r->u;

	switch (u->kind) {
	case U_PARA:
	case U_HTML:
		if (!link_only(u))
			emit_text_lines(r);
		break;
	case U_ITEM:
		if (!link_only(u))
			emit_item(r, r->frames[u->li].marker);
		r->frames[u->li].item = ITEM_DONE;
		break;
	case U_HEADING:
		emit_heading(r);
		break;
	case U_TABLE:
		break;
	}
	emit_links(r);
	if (u->kind == U_HEADING && r->quotes == 0)
		r->brk = true;	/* even inside a list */
}

/* After a block: at top level, the next line starts a new block. */
static void
block_done(struct render *r)
{
	if (r->quotes == 0 && r->lists == 0)
		r->brk = true;
}

static void	table_emit(struct render *);

static void
html_flush(struct render *r)
{
	struct html_reader	 rd;
	struct html_token	 t;
	struct buf		 b;

	if (r->html.len == 0)
		return;
	b = r->html;
	memset(&r->html, 0, sizeof(r->html));
	active_unit(r);
	html_reader_init(&rd, b.data, b.len);
	while (html_next(&rd, &t)) {
		html_inline(r, &t);
		html_token_free(&t);
	}
	buf_free(&b);
}

static void
unit_end(struct render *r)
{
	struct unit	*u = &r->u;

	if (!u->active)
		return;
	html_flush(r);
	spans_drop(u, 0);
	if (u->kind == U_TABLE)
		table_emit(r);
	else
		emit_unit(r);
	unit_clear(u);
	u->active = false;
	block_done(r);
}

/* A footnote number not used by a text unit gets a line of its own. */
static void
flush_prefix(struct render *r)
{
	if (r->prefix == NULL)
		return;
	emit_line(r, LINE_TEXT, r->prefix, NULL);
	r->prefix = NULL;
}

/* Inline HTML (CONVERSION.md 5.10). */

static bool
tag_is(const struct html_token *t, const char *name)
{
	return strcmp(t->name, name) == 0;
}

static void
html_text(struct render *r, const char *s, size_t len)
{
	struct buf	b = BUF_INIT;

	entity_decode_into(&b, s, len);
	unit_text(r, b.data, b.len, true);
	buf_free(&b);
}

static void
html_img(struct render *r, const struct html_token *t)
{
	const char	*src = html_attr(t, "src"), *alt = html_attr(t, "alt");
	char		*label;

	if (src == NULL)
		return;
	if (alt == NULL || (label = collapse_dup(alt, strlen(alt))) == NULL)
		label = image_label(src);
	unit_add_link(r, src, label);
	tell_link(&r->u, label);
	free(label);
}

static void
html_close(struct render *r, enum span_kind kind)
{
	size_t	i;

	if ((i = span_find(&r->u, kind)) > 0)
		span_close(r, i - 1);
}

static int
heading_level(const struct html_token *t)
{
	if (t->name[0] == 'h' && t->name[1] >= '1' && t->name[1] <= '6' &&
	    t->name[2] == '\0')
		return t->name[1] - '0';
	return 0;
}

/* True when the unit has no text yet but blanks. */
static bool
unit_blank(const struct unit *u)
{
	size_t	i, n;

	for (i = 0; i < u->text.len; i += n)
		if ((n = blank_at(u->text.data + i, u->text.len - i)) == 0)
			return false;
	return true;
}

static void
html_inline(struct render *r, const struct html_token *t)
{
	struct unit	*u = &r->u;
	const char	*href;

	if (t->kind == HTML_TEXT)
		html_text(r, t->text, t->len);
	else if (t->kind == HTML_END) {
		if (tag_is(t, "a"))
			html_close(r, SPAN_HTML_A);
		else if (tag_is(t, "sub"))
			html_close(r, SPAN_SUB);
		else if (tag_is(t, "sup"))
			html_close(r, SPAN_SUP);
		else if (tag_is(t, "q"))
			unit_raw(u, "\xe2\x80\x9d", 3);
	} else if (t->kind == HTML_START) {
		if (tag_is(t, "br"))
			unit_break(u);
		else if (heading_level(t) > 0 && u->kind == U_PARA &&
		    unit_blank(u)) {
			/* md4c reads "<h2>text</h2>" as a paragraph. */
			u->kind = U_HEADING;
			u->level = heading_level(t);
		}
		else if (tag_is(t, "img"))
			html_img(r, t);
		else if (t->self_closing)
			return;
		else if (tag_is(t, "q"))
			unit_raw(u, "\xe2\x80\x9c", 3);
		else if (tag_is(t, "a") && (href = html_attr(t, "href")))
			span_push(u, SPAN_HTML_A, href);
		else if (tag_is(t, "sub"))
			span_push(u, SPAN_SUB, NULL);
		else if (tag_is(t, "sup"))
			span_push(u, SPAN_SUP, NULL);
	}
}

/* HTML blocks: figures, headings, the rest as text. */

struct hblock {
	bool		 figure;
	bool		 capture;	/* text is kept (not between figure
					 * and figcaption) */
	bool		 heading;
	struct mlink	*imgs;		/* url: raw src; label: alt */
	size_t		 nimgs, cap;
	char		 tag[HTML_NAME_MAX];	/* first tag, for warnings */
};

static bool
is_block_tag(const char *name)
{
	static const char *const tags[] = { "article", "aside",
	    "blockquote", "center", "dd", "div", "dl", "dt", "footer",
	    "header", "hr", "li", "nav", "ol", "p", "pre", "section",
	    "table", "td", "th", "tr", "ul" };
	size_t	i;

	for (i = 0; i < nitems(tags); i++)
		if (strcmp(name, tags[i]) == 0)
			return true;
	return false;
}

static void
figure_emit(struct render *r, struct hblock *hb)
{
	char	*caption, *label, *url;
	size_t	 i;

	caption = collapse_dup(r->u.text.data, r->u.text.len);
	for (i = 0; i < hb->nimgs; i++) {
		if (hb->imgs[i].label != NULL)
			label = xstrdup(hb->imgs[i].label);
		else if (caption != NULL)
			label = xstrdup(caption);
		else
			label = image_label(hb->imgs[i].url);
		if ((url = map_target(r, hb->imgs[i].url)) != NULL) {
			doc_add_link(r->doc, r->brk, url, label);
			r->brk = false;
		}
		free(url);
		free(label);
	}
	if (caption != NULL)
		emit_line(r, in_quote(r, LINE_TEXT), caption, NULL);
	free(caption);
	emit_links(r);
}

static void
hblock_reset(struct hblock *hb)
{
	mlinks_free(hb->imgs, hb->nimgs);
	hb->nimgs = 0;
	hb->figure = hb->heading = false;
	hb->capture = true;
}

/* Emit what the block has collected so far. */
static void
hblock_flush(struct render *r, struct hblock *hb)
{
	struct unit	*u = &r->u;
	char		*text;

	spans_drop(u, 0);
	if (hb->figure)
		figure_emit(r, hb);
	else if (hb->heading) {
		u->kind = U_HEADING;
		emit_unit(r);
		u->kind = U_HTML;
	} else {
		if ((text = collapse_dup(u->text.data, u->text.len)) != NULL &&
		    r->env->liquid.diags != NULL)
			diag_add(r->env->liquid.diags, DIAG_WARNING,
			    r->env->liquid.file, r->block_line, 0,
			    "HTML block%s%s%s rendered as text",
			    *hb->tag ? " <" : "", hb->tag, *hb->tag ? ">" : "");
		free(text);
		emit_unit(r);
	}
	unit_clear(u);
	hblock_reset(hb);
	block_done(r);	/* each figure is a block of its own */
}

static void
figure_img(struct render *r, struct hblock *hb, const struct html_token *t)
{
	const char	*src = html_attr(t, "src"), *alt = html_attr(t, "alt");
	struct mlink	*m;
	struct span	*a;
	size_t		 i;

	if (src == NULL)
		return;
	xgrowarray(&hb->imgs, &hb->cap, hb->nimgs + 1, sizeof(*hb->imgs));
	m = &hb->imgs[hb->nimgs++];
	m->url = xstrdup(src);
	m->label = alt ? collapse_dup(alt, strlen(alt)) : NULL;
	if ((i = span_find(&r->u, SPAN_HTML_A)) > 0 &&
	    (a = &r->u.spans[i - 1])->img_src == NULL)
		a->img_src = xstrdup(src);
	if (m->label != NULL)
		tell_link(&r->u, m->label);
}

/* </a> in a figure around its own image adds nothing. */
static bool
figure_own_link(struct render *r)
{
	struct span	*a;
	size_t		 i;

	if ((i = span_find(&r->u, SPAN_HTML_A)) == 0)
		return false;
	a = &r->u.spans[i - 1];
	if (a->img_src == NULL || strcmp(a->img_src, a->href) != 0)
		return false;
	spans_drop(&r->u, i - 1);
	return true;
}

static void
hblock_token(struct render *r, struct hblock *hb, const struct html_token *t)
{
	bool	start = t->kind == HTML_START, end = t->kind == HTML_END;
	int	level = heading_level(t);

	if (start && hb->tag[0] == '\0')
		memcpy(hb->tag, t->name, sizeof(hb->tag));
	if ((start || end) && tag_is(t, "figure")) {
		hblock_flush(r, hb);
		hb->figure = start;
		hb->capture = !start;
	} else if (hb->figure && (start || end) && tag_is(t, "figcaption"))
		hb->capture = start;
	else if (hb->figure && start && tag_is(t, "img"))
		figure_img(r, hb, t);
	else if (hb->figure && end && tag_is(t, "a") && figure_own_link(r))
		return;
	else if (start && level > 0) {
		hblock_flush(r, hb);
		hb->heading = true;
		r->u.level = level;
	} else if (end && level > 0 && hb->heading)
		hblock_flush(r, hb);
	else if ((start || end) && is_block_tag(t->name))
		unit_break(&r->u);
	else if (t->kind != HTML_TEXT || hb->capture)
		html_inline(r, t);
}

static void
html_block(struct render *r)
{
	struct html_reader	 rd;
	struct html_token	 t;
	struct hblock		 hb;

	memset(&hb, 0, sizeof(hb));
	hb.capture = true;
	unit_begin(r, U_HTML);
	html_reader_init(&rd, r->block.data, r->block.len);
	while (html_next(&rd, &t)) {
		hblock_token(r, &hb, &t);
		html_token_free(&t);
	}
	hblock_flush(r, &hb);
	free(hb.imgs);
	r->u.active = false;
	block_done(r);
}

/* Code blocks. */

/*
 * md4c turns the indentation of a code line into spaces (tab stop 4).
 * Write the r->indent columns before p from the source instead, so
 * that tabs survive; fall back to spaces when that is not whitespace.
 */
static void
code_indent(struct render *r, const char *p)
{
	const char	*ls, *q;
	size_t		 col = 0, next, startcol;
	size_t		 mark = r->block.len;

	if (r->indent == 0)
		return;
	if (in_src(r, p)) {
		for (ls = p; ls > r->src && ls[-1] != '\n'; ls--)
			;
		for (q = ls; q < p; q++)
			col = *q == '\t' ? (col + 4) & ~(size_t)3 : col + 1;
		startcol = col >= r->indent ? col - r->indent : 0;
		for (col = 0, q = ls; q < p; q++, col = next) {
			next = *q == '\t' ? (col + 4) & ~(size_t)3 : col + 1;
			if (next <= startcol)
				continue;
			if (*q != ' ' && *q != '\t')
				break;
			if (col < startcol)	/* a tab across the start */
				buf_spaces(&r->block, next - startcol);
			else
				buf_putc(&r->block, *q);
		}
		if (q == p && startcol + r->indent == col) {
			r->indent = 0;
			return;
		}
		buf_truncate(&r->block, mark);
	}
	buf_spaces(&r->block, r->indent);
	r->indent = 0;
}

static void
code_text(struct render *r, MD_TEXTTYPE type, const char *s, size_t n)
{
	size_t	i;

	/* md4c reports a NUL, then sends it again with the next chunk. */
	if (type == MD_TEXT_NULLCHAR)
		return;
	if (!in_src(r, s)) {
		if (n == 1 && *s == '\n') {
			r->indent = 0;	/* blank line: no trailing spaces */
			buf_putc(&r->block, '\n');
			return;
		}
		for (i = 0; i < n && s[i] == ' '; i++)
			;
		if (i == n) {
			r->indent += n;
			return;
		}
	}
	code_indent(r, s);
	append_text(&r->block, s, n);
}

/* Trailing blank lines removed; false when nothing is left. */
static bool
code_trim(struct buf *b)
{
	size_t	end = b->len, ls;

	for (;;) {
		while (end > 0 && b->data[end - 1] == '\n')
			end--;
		for (ls = end; ls > 0 && b->data[ls - 1] != '\n'; ls--)
			;
		while (ls < end && is_space(b->data[ls]))
			ls++;
		if (ls < end || end == 0)
			break;
		while (end > 0 && b->data[end - 1] != '\n')
			end--;
	}
	buf_truncate(b, end);
	return end > 0;
}

static void
code_begin(struct render *r, const MD_BLOCK_CODE_DETAIL *d)
{
	buf_truncate(&r->block, 0);
	buf_puts(&r->block, "");
	r->indent = 0;
	free(r->code_alt);
	r->code_alt = d->fence_char ? attr_dup(&d->lang) : NULL;
}

static void
code_end(struct render *r)
{
	if (code_trim(&r->block)) {
		doc_add_pre(r->doc, r->code_alt, r->block.data);
		r->brk = true;
	}
	free(r->code_alt);
	r->code_alt = NULL;
}

/* Tables (CONVERSION.md 5.12). */

static void
table_begin(struct render *r)
{
	struct table	*t = &r->tab;

	t->heads = r->tableno < r->nheads ? r->heads[r->tableno] : 1;
	r->tableno++;
	unit_begin(r, U_TABLE);
}

static void
table_free(struct table *t)
{
	size_t	i, j;

	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->rows[i].n; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t->align);
	memset(t, 0, sizeof(*t));
}

static void
row_begin(struct render *r)
{
	struct table	*t = &r->tab;

	xgrowarray(&t->rows, &t->rowcap, t->nrows + 1, sizeof(*t->rows));
	memset(&t->rows[t->nrows++], 0, sizeof(*t->rows));
}

static void
cell_begin(struct render *r, const MD_BLOCK_TD_DETAIL *d)
{
	html_flush(r);
	r->u.space = false;
	r->tab.cell_start = r->u.text.len;
	r->tab.cell_align = d->align;
}

/* The cell's text as trimmed lines joined by '\n'. */
static void
cell_end(struct render *r)
{
	struct table	*t = &r->tab;
	struct unit	*u = &r->u;
	struct row	*row;
	struct buf	 b = BUF_INIT;
	const char	*p, *end, *nl;
	char		*line;
	size_t		 col;

	html_flush(r);
	spans_drop(u, 0);
	if (t->nrows == 0)
		row_begin(r);
	row = &t->rows[t->nrows - 1];
	buf_puts(&b, "");
	p = u->text.data + t->cell_start;
	end = u->text.data + u->text.len;
	for (; p != NULL && p < end; p = nl ? nl + 1 : NULL) {
		nl = memchr(p, '\n', end - p);
		if ((line = collapse_dup(p, (nl ? nl : end) - p)) == NULL)
			continue;
		if (b.len > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, line);
		free(line);
	}
	buf_truncate(&u->text, t->cell_start);
	u->space = false;
	col = row->n;
	xgrowarray(&row->cells, &row->cap, row->n + 1, sizeof(*row->cells));
	row->cells[row->n++] = buf_detach(&b, NULL);
	if (col >= t->nalign) {
		t->align = xreallocarray(t->align, col + 1, sizeof(*t->align));
		while (t->nalign <= col)
			t->align[t->nalign++] = MD_ALIGN_DEFAULT;
		t->align[col] = t->cell_align;
	}
}

/*
 * The next line of a cell from *cur ("" once past its last line);
 * *cur moves on.
 */
static const char *
cell_next(const char **cur, size_t *len)
{
	const char	*line = *cur, *nl;

	if (line == NULL) {
		*len = 0;
		return "";
	}
	nl = strchr(line, '\n');
	*len = nl ? (size_t)(nl - line) : strlen(line);
	*cur = nl ? nl + 1 : NULL;
	return line;
}

static size_t
cell_lines(const char *cell)
{
	size_t	n = 1;

	while ((cell = strchr(cell, '\n')) != NULL) {
		cell++;
		n++;
	}
	return n;
}

static void
table_rule(struct buf *b, const size_t *width, size_t ncols)
{
	size_t	c, i;

	buf_putc(b, '|');
	for (c = 0; c < ncols; c++) {
		for (i = 0; i < width[c] + 2; i++)
			buf_putc(b, '-');
		buf_putc(b, '|');
	}
	buf_putc(b, '\n');
}

static void
table_row(struct buf *b, const struct table *t, const struct row *row,
    const size_t *width, size_t ncols)
{
	const char	**cur, *s;
	size_t		  c, k, len, nlines = 1, pad, left;

	cur = xcalloc(ncols, sizeof(*cur));
	for (c = 0; c < row->n; c++) {
		cur[c] = row->cells[c];
		if (cell_lines(row->cells[c]) > nlines)
			nlines = cell_lines(row->cells[c]);
	}
	for (k = 0; k < nlines; k++) {
		buf_putc(b, '|');
		for (c = 0; c < ncols; c++) {
			s = cell_next(&cur[c], &len);
			pad = width[c] - utf8_width(s, len);
			left = t->align[c] == MD_ALIGN_RIGHT ? pad :
			    t->align[c] == MD_ALIGN_CENTER ? pad / 2 : 0;
			buf_spaces(b, 1 + left);
			buf_append(b, s, len);
			buf_spaces(b, pad - left);
			buf_append(b, " |", 2);
		}
		buf_putc(b, '\n');
	}
	free(cur);
}

static void
table_emit(struct render *r)
{
	struct table	*t = &r->tab;
	struct buf	 b = BUF_INIT;
	const char	*s, *cur;
	size_t		*width, ncols = t->nalign, i, c, len, w, first;

	/* No header rows: md4c's header is the empty row kramdown.c made. */
	first = t->heads == 0 ? 1 : 0;
	if (t->nrows <= first || ncols == 0) {
		table_free(t);
		emit_links(r);
		return;
	}
	width = xcalloc(ncols, sizeof(*width));
	for (i = first; i < t->nrows; i++)
		for (c = 0; c < t->rows[i].n; c++)
			for (cur = t->rows[i].cells[c]; cur != NULL;) {
				s = cell_next(&cur, &len);
				if ((w = utf8_width(s, len)) > width[c])
					width[c] = w;
			}
	for (i = first; i < t->nrows; i++) {
		table_row(&b, t, &t->rows[i], width, ncols);
		if (t->heads > 0 && (i + 1 == t->heads ||
		    (i + 1 == t->nrows && t->heads > i)))
			table_rule(&b, width, ncols);
	}
	doc_add_pre(r->doc, "table", b.data);
	r->brk = false;
	buf_free(&b);
	free(width);
	table_free(t);
	emit_links(r);
	r->brk = true;
}

/* md4c callbacks. */

static struct frame *
push_frame(struct render *r, MD_BLOCKTYPE type)
{
	struct frame	*f;

	xgrowarray(&r->frames, &r->framecap, r->nframes + 1,
	    sizeof(*r->frames));
	f = &r->frames[r->nframes++];
	memset(f, 0, sizeof(*f));
	f->type = type;
	return f;
}

/* A block inside a list item before any text: the item has none. */
static void
item_skip(struct render *r)
{
	struct frame	*f = top_frame(r);

	if (f != NULL && f->type == MD_BLOCK_LI && f->item == ITEM_PENDING)
		f->item = ITEM_DONE;
}

static void
item_begin(struct render *r)
{
	struct frame	*list = top_frame(r), *f;
	char		 marker[sizeof(f->marker)] = "";

	if (list != NULL && list->type == MD_BLOCK_OL)
		snprintf(marker, sizeof(marker), "%u.", list->next++);
	f = push_frame(r, MD_BLOCK_LI);	/* may move the frames */
	f->item = ITEM_PENDING;
	memcpy(f->marker, marker, sizeof(marker));
}

static bool
in_table(MD_BLOCKTYPE type)
{
	return type == MD_BLOCK_THEAD || type == MD_BLOCK_TBODY ||
	    type == MD_BLOCK_TR || type == MD_BLOCK_TH || type == MD_BLOCK_TD;
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render	*r = ud;
	struct frame	*f;

	if (in_table(type)) {
		if (type == MD_BLOCK_TR)
			row_begin(r);
		else if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
			cell_begin(r, detail);
		push_frame(r, type);
		return 0;
	}
	unit_end(r);
	if (type == MD_BLOCK_P)
		begin_text_unit(r);
	else if (type != MD_BLOCK_LI && type != MD_BLOCK_DOC)
		item_skip(r);
	switch (type) {
	case MD_BLOCK_QUOTE:
		r->quotes++;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		r->lists++;
		break;
	case MD_BLOCK_LI:
		item_begin(r);
		return 0;
	case MD_BLOCK_H:
		unit_begin(r, U_HEADING);
		r->u.level = ((MD_BLOCK_H_DETAIL *)detail)->level;
		break;
	case MD_BLOCK_CODE:
		flush_prefix(r);
		code_begin(r, detail);
		break;
	case MD_BLOCK_HTML:
		flush_prefix(r);
		buf_truncate(&r->block, 0);
		buf_puts(&r->block, "");
		break;
	case MD_BLOCK_TABLE:
		flush_prefix(r);
		table_begin(r);
		break;
	default:
		break;
	}
	f = push_frame(r, type);
	if (r->nframes > BLOCKS_WARN && r->deep == DEEP_NO)
		r->deep = DEEP_PENDING;
	if (type == MD_BLOCK_OL)
		f->next = ((MD_BLOCK_OL_DETAIL *)detail)->start;
	return 0;
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render	*r = ud;

	if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
		cell_end(r);
	else if (type == MD_BLOCK_CODE)
		code_end(r);
	else if (type == MD_BLOCK_HTML)
		html_block(r);
	else if (!in_table(type))
		unit_end(r);
	if (r->nframes > 0)
		r->nframes--;
	if (type == MD_BLOCK_QUOTE && r->quotes > 0)
		r->quotes--;
	else if ((type == MD_BLOCK_UL || type == MD_BLOCK_OL) && r->lists > 0)
		r->lists--;
	if (type == MD_BLOCK_QUOTE || type == MD_BLOCK_UL ||
	    type == MD_BLOCK_OL || type == MD_BLOCK_HR)
		block_done(r);
	return 0;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render	*r = ud;
	struct unit	*u;
	char		*href;

	html_flush(r);
	u = active_unit(r);
	if (type == MD_SPAN_A || type == MD_SPAN_IMG) {
		href = attr_dup(type == MD_SPAN_A ?
		    &((MD_SPAN_A_DETAIL *)detail)->href :
		    &((MD_SPAN_IMG_DETAIL *)detail)->src);
		span_push(u, type == MD_SPAN_A ? SPAN_LINK : SPAN_IMG, href);
		free(href);
	} else if (type == MD_SPAN_CODE)
		unit_raw(u, "`", 1);
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render	*r = ud;
	struct unit	*u;
	size_t		 i;

	html_flush(r);
	u = active_unit(r);
	if (type == MD_SPAN_A || type == MD_SPAN_IMG) {
		/* md4c can leave a span it never entered (§3 item 6). */
		if (u->lost > 0)
			u->lost--;
		else if ((i = span_find(u, type == MD_SPAN_A ? SPAN_LINK :
		    SPAN_IMG)) > 0)
			span_close(r, i - 1);
	} else if (type == MD_SPAN_CODE)
		unit_raw(u, "`", 1);
	return 0;
}

/*
 * An autolink's text is its URL, right after a '<' in the source: it
 * is kept as it is, and its line gets no label.
 */
static bool
autolink_text(struct render *r, const char *s, size_t n)
{
	struct span	*sp;
	size_t		 hl;

	if (r->u.nspans == 0)
		return false;
	sp = &r->u.spans[r->u.nspans - 1];
	if (sp->kind != SPAN_LINK || sp->seen_text)
		return sp->kind == SPAN_LINK && sp->autolink;
	sp->seen_text = true;
	if (!in_src(r, s) || s == r->src || s[-1] != '<' ||
	    (size_t)(s - r->src) + n >= r->srclen || s[n] != '>')
		return false;
	hl = strlen(sp->href);
	if ((hl == n && memcmp(sp->href, s, n) == 0) ||
	    (hl == n + 7 && strncmp(sp->href, "mailto:", 7) == 0 &&
	    memcmp(sp->href + 7, s, n) == 0))
		sp->autolink = true;
	return sp->autolink;
}

static void
entity_text(struct render *r, const char *s, size_t n)
{
	char	u[4];
	size_t	ulen;

	if (entity_decode(s, n, u, &ulen) == n)
		unit_text(r, u, ulen, false);
	else
		unit_text(r, s, n, false);
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct render	*r = ud;
	struct frame	*f = top_frame(r);
	struct unit	*u;

	track(r, s);
	if (r->deep == DEEP_PENDING && r->env->liquid.diags != NULL) {
		diag_add(r->env->liquid.diags, DIAG_WARNING,
		    r->env->liquid.file, cur_line(r), 1,
		    "blocks nested more than %d deep: rendered flat",
		    BLOCKS_WARN);
		r->deep = DEEP_REPORTED;
	}
	if (f != NULL && f->type == MD_BLOCK_CODE) {
		code_text(r, type, s, n);
		return 0;
	}
	if (f != NULL && f->type == MD_BLOCK_HTML) {
		if (r->block.len == 0)
			r->block_line = cur_line(r);
		if (type != MD_TEXT_NULLCHAR)	/* as in code_text() */
			append_text(&r->block, s, n);
		return 0;
	}
	if (type == MD_TEXT_HTML) {
		append_text(&r->html, s, n);
		return 0;
	}
	html_flush(r);
	u = active_unit(r);
	switch (type) {
	case MD_TEXT_NULLCHAR:
		unit_raw(u, REPLACEMENT, strlen(REPLACEMENT));
		break;
	case MD_TEXT_BR:
		unit_break(u);
		break;
	case MD_TEXT_SOFTBR:
		u->space = true;
		break;
	case MD_TEXT_ENTITY:
		entity_text(r, s, n);
		break;
	case MD_TEXT_CODE:
	case MD_TEXT_LATEXMATH:
		unit_raw(u, s, n);
		break;
	default:
		if (autolink_text(r, s, n))
			unit_raw(u, s, n);
		else
			unit_text(r, s, n, true);
		break;
	}
	return 0;
}

/* Parse one Markdown text and append its lines to doc. */
static void
render_md(const char *md, size_t len, const struct convert_env *env,
    const unsigned *heads, size_t nheads, const struct linemap *map,
    const char *prefix, struct doc *doc)
{
	/* Tables on; autolink extensions, math, wiki links, underline,
	 * task lists and strikethrough off, as kramdown (§3). */
	static const MD_PARSER parser = {
		.flags = MD_FLAG_TABLES,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	struct render	 r;

	memset(&r, 0, sizeof(r));
	r.env = env;
	r.doc = doc;
	r.src = md;
	r.srclen = len;
	r.map = *map;
	r.brk = true;
	r.prefix = prefix;
	r.heads = heads;
	r.nheads = nheads;

	/* md4c sizes are 32 bits; sources are far smaller (site.c). */
	md_parse(md, len > UINT32_MAX ? UINT32_MAX : (MD_SIZE)len, &parser,
	    &r);
	unit_end(&r);
	flush_prefix(&r);

	unit_clear(&r.u);
	buf_free(&r.u.text);
	free(r.u.links);
	buf_free(&r.html);
	buf_free(&r.block);
	free(r.code_alt);
	table_free(&r.tab);
	free(r.frames);
}

void
markdown_render(const struct kramdown_out *ko, const struct convert_env *env,
    struct doc *doc)
{
	const struct footnote	*fn;
	char			*md, *num;
	size_t			 i;

	struct linemap		 map = { ko->lines, ko->nlines,
				    env->liquid.first_line };

	render_md(ko->markdown ? ko->markdown : "", ko->len, env,
	    ko->table_heads, ko->ntables, &map, NULL, doc);
	if (ko->nnotes == 0)
		return;
	doc->nnotes = ko->nnotes;
	doc_add_heading(doc, 2, "Footnotes");
	for (i = 0; i < ko->nnotes; i++) {
		fn = &ko->notes[i];
		md = xasprintf("%s\n\n%s", fn->text ? fn->text : "",
		    ko->refdefs ? ko->refdefs : "");
		num = xasprintf("[%d]", fn->number);
		map = (struct linemap){ NULL, 0, fn->line };
		render_md(md, strlen(md), env, NULL, 0, &map, num, doc);
		free(num);
		free(md);
	}
}
