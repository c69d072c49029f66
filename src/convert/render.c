/*
 * Text units and the lines they become (CONVERSION.md 5.7 to 5.12):
 * text with kramdown's typography, links and their lines, spans,
 * paragraphs, headings, list items, terms, tables.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* Byte classes: ASCII whitespace, and what unit_text() looks at. */
#define C_SPACE		1
#define C_SPECIAL	2

static const unsigned char byte_class[256] = {
	[' '] = C_SPACE | C_SPECIAL, ['\t'] = C_SPACE | C_SPECIAL,
	['\n'] = C_SPACE | C_SPECIAL, ['\r'] = C_SPACE | C_SPECIAL,
	['\f'] = C_SPACE | C_SPECIAL, ['\v'] = C_SPACE | C_SPECIAL,
	['-'] = C_SPECIAL, ['.'] = C_SPECIAL, ['"'] = C_SPECIAL,
	['\''] = C_SPECIAL, ['\0'] = C_SPECIAL, ['<'] = C_SPECIAL,
	['>'] = C_SPECIAL,
};

bool
render_is_space(char c)
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
size_t
render_blank_at(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		n;

	if (len > 0 && render_is_space(*s))
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

	while (*len > 0 && (n = render_blank_at(*s, *len)) > 0) {
		*s += n;
		*len -= n;
	}
	while (*len > 0) {
		/* Back to the start of the last character. */
		for (k = *len - 1; k > 0 && ((*s)[k] & 0xc0) == 0x80 &&
		    *len - k < 4; k--)
			;
		if (render_blank_at(*s + k, *len - k) != *len - k)
			break;
		*len = k;
	}
}

/*
 * A copy of s with ASCII whitespace runs (hard breaks included)
 * collapsed to one space and blanks trimmed; NULL when nothing is left.
 */
char *
render_collapse_dup(const char *s, size_t len)
{
	char	*out, *o;
	size_t	 i;

	trim(&s, &len);
	if (len == 0)
		return NULL;
	o = out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (!render_is_space(s[i]))
			*o++ = s[i];
		else if (!render_is_space(s[i - 1]))	/* s[0] is no space */
			*o++ = ' ';
	}
	*o = '\0';
	return out;
}

/* Append s with NUL bytes replaced: the model holds C strings. */
void
render_append_text(struct buf *b, const char *s, size_t n)
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
 * kramdown's typographic symbols (TYPOGRAPHIC_SYMS): bytes used at s, 0
 * if none.  prev is the byte before, for " >>".
 */
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
	if (len >= 3 && memcmp(s, "<< ", 3) == 0) {
		*rep = "\xc2\xab\xc2\xa0";	/* laquo, nbsp */
		return 3;
	}
	if (len >= 2 && (memcmp(s, "<<", 2) == 0 || memcmp(s, ">>", 2) == 0)) {
		*rep = s[0] == '<' ? "\xc2\xab" : "\xc2\xbb";
		return 2;
	}
	return 0;
}

/* Source positions and lines, for warnings and map_url. */

bool
render_in_src(const struct render *r, const char *p)
{
	uintptr_t	a = (uintptr_t)p, s = (uintptr_t)r->src;

	return a >= s && a < s + r->srclen;
}

unsigned
render_cur_line(const struct render *r)
{
	if (r->html_line != 0)
		return r->html_line;
	return linemap_line(&r->map, r->line);
}

/*
 * kramdown's smart quotes (SQ_RULES), for the quote q: opening or
 * closing, single or double.  prev is the character before it in the
 * same run of text (0 when a span element or the start of the text
 * comes first); next the source after it, n bytes.
 */

static bool
rb_word(char c)	/* Ruby's \w: ASCII */
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static bool
rb_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Any byte that can be part of a word for \b (UTF-8 letters too). */
static bool
boundary_word(char c)
{
	return rb_word(c) || (unsigned char)c >= 0x80;
}

static bool
sq_punct(char c)
{
	return c != '\0' && strchr("!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~", c);
}

enum { LSQUO, RSQUO, LDQUO, RDQUO, PAIR, STRAIGHT };

/*
 * The rules in kramdown's order.  PAIR: the quote and the other kind
 * right after it open together ("'word); STRAIGHT: the quote stays.
 */
static int
smart_quote(char q, char prev, const char *next, size_t n)
{
	bool	dbl = q == '"';
	char	c1 = n > 0 ? next[0] : '\0', c2 = n > 1 ? next[1] : '\0';
	char	c3 = n > 2 ? next[2] : '\0';
	bool	none = prev == '\0', space = !none && rb_space(prev);

	if (none && (c1 == '_' || c1 == '*') && c2 != '\0' && !rb_space(c2))
		return dbl ? LDQUO : LSQUO;
	if (none && sq_punct(c1) && !(c2 == '.' && c3 == '.') &&
	    !boundary_word(c2))
		return dbl ? RDQUO : RSQUO;
	if ((none || space) && c1 == (dbl ? '\'' : '"') && rb_word(c2))
		return PAIR;
	if (!dbl && (none || space) && c1 >= '0' && c1 <= '9' && c2 >= '0' &&
	    c2 <= '9' && c3 == 's')
		return RSQUO;			/* the '80s */
	if (space && rb_word(c1))
		return dbl ? LDQUO : LSQUO;
	if (!none && strchr(" \\\t\r\n[{(-", prev) == NULL)
		return dbl ? RDQUO : RSQUO;
	if (none && (c1 == '"' || c1 == '\''))
		return STRAIGHT;
	if (none && (c1 == '\0' || rb_space(c1) ||
	    (c1 == 's' && !boundary_word(c2))))
		return dbl ? RDQUO : RSQUO;
	return dbl ? LDQUO : LSQUO;
}

/* A character kramdown reads as the start of a span element: a quote
 * after it has nothing before it. */
static bool
span_start(char c)
{
	return c != '\0' && strchr("*_`[<&\\$", c) != NULL;
}

static const char *const quote_utf8[4] = {
	"\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\x9d",
};

/* The byte at s[i] follows a backslash (in the source, if it is there). */
static bool
escaped(const struct render *r, const char *s, size_t i)
{
	if (render_in_src(r, s + i))
		return s + i > r->src && (s + i)[-1] == '\\';
	return i > 0 && s[i - 1] == '\\';
}

static const char *
quote_text(const struct render *r, int q)
{
	return r->quotes_utf8[q] ? r->quotes_utf8[q] : quote_utf8[q];
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

static bool
emoji_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '+' || c == '-';
}

/*
 * jemoji: each :name: of GitHub's list in the unit's text from `from`
 * on becomes its character, scanned as its pattern is (leftmost first;
 * an unknown name's closing colon may open the next).  A colon and
 * name characters at the end may be closed by the next text: the next
 * scan starts there if nothing else was written in between.
 */
static void
emoji_replace(struct unit *u, size_t from)
{
	char		*t;
	const char	*e;
	size_t		 n = u->text.len - from, i, j;

	u->emoji_from = RENDER_NONE;
	if (memchr(u->text.data + from, ':', n) == NULL ||
	    (t = malloc(n)) == NULL) {
		u->emoji_from = u->emoji_end = u->text.len;
		return;
	}
	memcpy(t, u->text.data + from, n);
	buf_truncate(&u->text, from);
	for (i = 0; i < n; ) {
		if (t[i] != ':') {
			buf_putc(&u->text, t[i++]);
			continue;
		}
		for (j = i + 1; j < n && emoji_name_char(t[j]); j++)
			;
		if (j == n) {	/* may go on in the next text */
			u->emoji_from = u->text.len;
			buf_append(&u->text, t + i, n - i);
			break;
		}
		if (t[j] == ':' && j > i + 1 &&
		    (e = emoji_find(t + i + 1, j - i - 1)) != NULL) {
			buf_puts(&u->text, e);
			i = j + 1;
		} else {
			buf_append(&u->text, t + i, j - i);
			i = j;
		}
	}
	free(t);
	if (u->emoji_from == RENDER_NONE)
		u->emoji_from = u->text.len;
	u->emoji_end = u->text.len;
}

/*
 * Text with whitespace collapsed; with TEXT_TYPO, kramdown's
 * typography and smart quotes; with TEXT_EMOJI, jemoji's names when
 * the site lists it.  A quote first in s follows a span element (or
 * starts the text), unless a soft line break came just before.
 */
void
render_unit_text(struct render *r, const char *s, size_t len, unsigned how)
{
	struct unit	*u = &r->u;
	const char	*rep;
	char		 prev = u->space && u->text.len > 0 ? '\n' : '\0';
	size_t		 i, n, after, start = u->text.len;
	int		 q;
	bool		 typo = (how & TEXT_TYPO) != 0;

	/* A name open at the end of the last text may close here. */
	if (u->emoji_end == start && u->emoji_from < start)
		start = u->emoji_from;
	for (i = 0; i < len; i += n) {
		/* Runs of plain bytes are copied at once. */
		for (n = 0; i + n < len &&
		    !(byte_class[(unsigned char)s[i + n]] & C_SPECIAL); n++)
			;
		if (n > 0) {
			unit_space_flush(u);
			buf_append(&u->text, s + i, n);
			prev = s[i + n - 1];
			continue;
		}
		n = 1;
		if (render_is_space(s[i])) {
			u->space = true;
			prev = s[i];
			continue;
		}
		unit_space_flush(u);
		if (typo && (n = typography(s + i, len - i, &rep)) > 0) {
			/* " >>" keeps its space as a no-break one. */
			if (s[i] == '>' && u->text.len > 0 &&
			    u->text.data[u->text.len - 1] == ' ') {
				buf_truncate(&u->text, u->text.len - 1);
				buf_puts(&u->text, "\xc2\xa0");
			}
			buf_puts(&u->text, rep);
			prev = '\0';	/* a span element came before */
			continue;
		}
		n = 1;
		if (s[i] == '\0')
			buf_puts(&u->text, REPLACEMENT);
		else if (typo && (s[i] == '"' || s[i] == '\'') &&
		    !escaped(r, s, i)) {
			after = render_in_src(r, s + i) ?
			    r->srclen - (size_t)(s + i + 1 - r->src) :
			    len - i - 1;
			q = smart_quote(s[i], span_start(prev) ? '\0' : prev,
			    s + i + 1, after);
			if (q == PAIR && i + 1 < len) {
				buf_puts(&u->text, quote_text(r, s[i] == '"' ?
				    LDQUO : LSQUO));
				q = s[i] == '"' ? LSQUO : LDQUO;
				n = 2;
			} else if (q == PAIR)
				q = s[i] == '"' ? LDQUO : LSQUO;
			if (q == STRAIGHT)
				buf_putc(&u->text, s[i]);
			else
				buf_puts(&u->text, quote_text(r, q));
			prev = '\0';
			continue;
		} else
			buf_putc(&u->text, s[i]);
		prev = s[i];
	}
	if ((how & TEXT_EMOJI) && r->env != NULL && r->env->jemoji)
		emoji_replace(u, start);
	else
		u->emoji_end = RENDER_NONE;
}

/* Text kept as it is (code spans, autolinks); line ends become spaces. */
void
render_unit_raw(struct unit *u, const char *s, size_t len)
{
	size_t	i;

	u->emoji_end = RENDER_NONE;
	unit_space_flush(u);
	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			buf_puts(&u->text, REPLACEMENT);
		else
			buf_putc(&u->text, s[i] == '\n' || s[i] == '\r' ?
			    ' ' : s[i]);
	}
}

void
render_unit_break(struct unit *u)
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
void
render_spans_drop(struct unit *u, size_t i)
{
	while (u->nspans > i)
		span_free(&u->spans[--u->nspans]);
}

void
render_mlinks_free(struct mlink *l, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(l[i].url);
		free(l[i].label);
	}
}

/* Empty the unit, which stays active. */
void
render_unit_clear(struct unit *u)
{
	render_mlinks_free(u->links, u->nlinks);
	u->nlinks = 0;
	free(u->index);
	u->index = NULL;
	u->indexcap = 0;
	u->nanchors = 0;
	render_spans_drop(u, 0);
	u->lost = 0;
	buf_truncate(&u->text, 0);
	buf_puts(&u->text, "");		/* data is never NULL */
	u->space = false;
	u->emoji_end = RENDER_NONE;
	u->owner = RENDER_NONE;
	u->li = RENDER_NONE;
	u->marker[0] = '\0';
	u->depth = 0;
}

void
render_unit_begin(struct render *r, enum unit_kind kind)
{
	struct unit	*u = &r->u;

	render_unit_clear(u);
	u->kind = kind;
	u->active = true;
	if (r->prefix != NULL && kind != U_TABLE) {
		render_unit_raw(u, r->prefix, strlen(r->prefix));
		u->space = true;
		r->prefix = NULL;
	}
}

static struct frame *
top_frame(struct render *r)
{
	return r->nframes > 0 ? &r->frames[r->nframes - 1] : NULL;
}

/*
 * A paragraph, or the text of the list item it opens, or what the
 * HTML element around it makes of it (a heading, a term, an item).
 */
static void
begin_text_unit(struct render *r)
{
	struct frame	*f = top_frame(r);
	enum unit_kind	 kind;
	size_t		 owner;
	int		 level;

	if (f != NULL && f->type == MD_BLOCK_LI && f->item == ITEM_PENDING) {
		f->item = ITEM_OPEN;
		render_unit_begin(r, U_ITEM);
		r->u.li = r->nframes - 1;
		memcpy(r->u.marker, f->marker, sizeof(r->u.marker));
		r->u.depth = r->lists > 0 ? (int)r->lists - 1 : 0;
		if (f->box != NULL) {
			render_unit_raw(&r->u, f->box, strlen(f->box));
			r->u.space = true;
		}
		return;
	}
	kind = html_doc_unit_kind(r, &level, &owner);
	render_unit_begin(r, kind);
	r->u.level = level;
	if (owner != RENDER_NONE && kind == U_ITEM) {
		memcpy(r->u.marker, r->hd.el[owner].marker,
		    sizeof(r->u.marker));
		r->u.depth = r->hd.el[owner].depth;
	}
	r->u.owner = owner;
}

struct unit *
render_active_unit(struct render *r)
{
	if (!r->u.active)
		begin_text_unit(r);
	return &r->u;
}

/* A target as a URL for a link line: controls and spaces encoded. */
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

/* Target of a link line, NULL when it gets none (CONVERSION.md 5.6). */
char *
render_map_target(struct render *r, const char *target)
{
	char	*url;

	/* A dead link may follow {{ site.url }} or {{ site.baseurl }}. */
	if (*target == '\0' || *target == '#' ||
	    strstr(target, LIQUID_DEAD_LINK) != NULL)
		return NULL;
	if (r->env->map_url == NULL)
		url = xstrdup(target);
	else if ((url = r->env->map_url(r->env->ctx, target,
	    render_cur_line(r))) == NULL)
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
bool
render_add_link(struct render *r, const char *target, const char *label)
{
	struct unit	*u = &r->u;
	struct mlink	*l;
	char		*url;
	size_t		 slot;

	if ((url = render_map_target(r, target)) == NULL)
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
char *
render_image_label(const char *src)
{
	const char	*end = src + strcspn(src, "?#"), *base = end;
	char		*s, *label;

	while (base > src && base[-1] != '/')
		base--;
	s = xasprintf("Image: %.*s", (int)(end - base), base);
	if ((label = render_collapse_dup(s, strlen(s))) == NULL ||
	    strcmp(label, "Image:") == 0) {
		free(label);
		label = xstrdup("Image");
	}
	free(s);
	return label;
}

struct span *
render_span_push(struct unit *u, enum span_kind kind, const char *href)
{
	struct span	*s;

	if (u->nspans == RENDER_SPAN_MAX) {
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
	s->nlinks = u->nlinks;
	return s;
}

/* Index + 1 of the innermost open span of that kind, 0 if none. */
size_t
render_span_find(const struct unit *u, enum span_kind kind)
{
	size_t	i;

	for (i = u->nspans; i > 0; i--)
		if (u->spans[i - 1].kind == kind)
			return i;
	return 0;
}

/* Let an enclosing link use an image's label when it has no text. */
void
render_tell_link(struct unit *u, const char *label)
{
	struct span	*s;

	if (u->nspans == 0)
		return;
	s = &u->spans[u->nspans - 1];
	if ((s->kind == SPAN_LINK || s->kind == SPAN_HTML_A) &&
	    s->img_label == NULL)
		s->img_label = xstrdup(label);
}

/*
 * The text from start to the end is a decorative image's alt text, in
 * the link that encloses it: the link's text, unless it has its own.
 */
void
render_tell_decor(struct unit *u, size_t start)
{
	size_t	i;

	while (start < u->text.len && render_is_space(u->text.data[start]))
		start++;		/* a space due before the link */
	for (i = u->nspans; i > 0; i--)
		if (u->spans[i - 1].kind == SPAN_LINK ||
		    u->spans[i - 1].kind == SPAN_HTML_A) {
			if (u->text.len > start) {
				u->spans[i - 1].deco_start = start;
				u->spans[i - 1].deco_end = u->text.len;
			}
			return;
		}
}

/* A link with text of its own drops an icon's alt text ("Ⓜ Mastodon"). */
static void
drop_decor(struct unit *u, const struct span *s)
{
	const char	*t = u->text.data;
	size_t		 i, end = s->deco_end;

	if (end == 0 || end > u->text.len || s->deco_start < s->start)
		return;
	for (i = s->start; i < u->text.len; i++)
		if ((i < s->deco_start || i >= end) && !render_is_space(t[i]))
			break;
	if (i == u->text.len)
		return;
	while (end < u->text.len && render_is_space(t[end]))
		end++;			/* the space after it goes too */
	memmove(u->text.data + s->deco_start, t + end, u->text.len - end);
	buf_truncate(&u->text, u->text.len - (end - s->deco_start));
}

/*
 * Text that is the link's URL (a trailing '/' aside) says nothing more:
 * like an autolink's, its line has no label.  An address of a mailto:
 * link stays its label: the URL is not what the text shows.
 */
static bool
names_its_url(const char *label, const char *href)
{
	size_t	n;

	if (label == NULL)
		return false;
	n = strlen(label);
	return strncmp(label, href, n) == 0 &&
	    (href[n] == '\0' || (href[n] == '/' && href[n + 1] == '\0'));
}

/* The text from start to the end is that of a link with a line. */
static void
note_anchor(struct unit *u, size_t start)
{
	if (u->text.len <= start)
		return;
	if (u->nanchors++ == 0)
		u->first_start = start;
	u->a_start = start;
	u->a_end = u->text.len;
}

static void
link_close(struct render *r, struct span *s)
{
	struct unit	*u = &r->u;
	char		*label;

	drop_decor(u, s);
	label = render_collapse_dup(u->text.data + s->start,
	    u->text.len - s->start);
	if (s->autolink || names_its_url(label, s->href)) {
		free(label);
		label = NULL;
	} else if (label == NULL && s->img_label != NULL)
		label = xstrdup(s->img_label);
	if (render_add_link(r, s->href, label))
		note_anchor(u, s->start);
	free(label);
}

/*
 * An image that does not only decorate a link: a link line after the
 * unit, labelled label.  Its alt text, from start on in the unit's text,
 * stays where the image is, as a web page's reader has the image in
 * the sentence; outside a link it is the text of a link of its own, so
 * that a unit or item that is only the image is its line.
 */
void
render_image(struct render *r, const char *src, const char *label,
    size_t start)
{
	struct unit	*u = &r->u;
	bool		 in_link = html_doc_enclosing_link(u) != NULL;

	if (render_add_link(r, src, label) && !in_link)
		note_anchor(u, start);
	render_tell_link(u, label);
}

static void
img_close(struct render *r, struct span *s)
{
	struct unit	*u = &r->u;
	char		*label;

	label = render_collapse_dup(u->text.data + s->start,
	    u->text.len - s->start);
	/* A decorative image keeps its alt text as the link's text. */
	if (html_doc_decorative(s->href, label ? label : "",
	    html_doc_enclosing_link(u))) {
		render_tell_decor(u, s->start);
		free(label);
		return;
	}
	if (label == NULL) {
		buf_truncate(&u->text, s->start);
		u->space = s->space;
		label = render_image_label(s->href);
	}
	render_image(r, s->href, label, s->start);
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
	size_t		 i, start = s->start, n = u->text.len - s->start;
	bool		 sup = s->kind == SPAN_SUP;

	/* The space before the element, written at its first text. */
	for (; n > 0 && *t == ' '; t++, n--)
		start++;
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
	buf_truncate(&u->text, start);
	buf_append(&u->text, b.data, b.len);
	buf_free(&b);
}

/* Close the span at index i, forgetting those opened inside it. */
void
render_span_close(struct render *r, size_t i)
{
	struct unit	*u = &r->u;
	struct span	 s = u->spans[i];

	render_spans_drop(u, i + 1);
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

void
render_emit_line(struct render *r, enum line_kind kind, const char *text,
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
	r->term = false;
}

void
render_emit_links(struct render *r)
{
	struct unit	*u = &r->u;
	size_t		 i;

	for (i = 0; i < u->nlinks; i++) {
		doc_add_link(r->doc, r->brk, u->links[i].url,
		    u->links[i].label);
		r->brk = false;
	}
	r->term = false;
}

void
render_emit_pre(struct render *r, const char *alt, const char *body)
{
	doc_add_pre(r->doc, alt, body);
	r->term = false;
	r->brk = true;
}

/* Only blanks up to i in the unit's text. */
static bool
blank_before(const struct unit *u, size_t i)
{
	size_t	k;

	for (k = 0; k < i; k++)
		if (!render_is_space(u->text.data[k]))
			return false;
	return true;
}

/*
 * True when the unit's text is the text of its only link, give or take
 * blanks and trailing punctuation: the link line replaces it.
 */
static bool
link_only(const struct unit *u)
{
	size_t	i;

	if (u->nanchors != 1 || !blank_before(u, u->a_start))
		return false;
	for (i = u->a_end; i < u->text.len; i++)
		if (!render_is_space(u->text.data[i]) &&
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

/* The lines of text from p to end, one per hard break. */
static void
emit_text_from(struct render *r, const char *p, const char *end)
{
	const char	*nl;
	char		*line;

	while (p != NULL && p < end) {
		nl = memchr(p, '\n', end - p);
		if ((line = render_collapse_dup(p, (nl ? nl : end) - p)) !=
		    NULL)
			render_emit_line(r, in_quote(r, LINE_TEXT), line, NULL);
		free(line);
		p = nl ? nl + 1 : NULL;
	}
}

/* "◦ " or "▪ " for an item nested depth deep, then "N. " if ordered. */
static void
item_prefix(struct buf *b, int depth, const char *marker, bool bullet)
{
	if (depth > 0)
		buf_printf(b, "%s ", doc_item_mark(depth));
	if (*marker != '\0')
		buf_printf(b, "%s ", marker);
	else if (bullet && depth == 0)
		buf_puts(b, "* ");
}

static void
emit_item(struct render *r, const char *text)
{
	struct unit	*u = &r->u;
	struct buf	 b = BUF_INIT;
	struct line	*l;

	if (r->quotes > 0) {
		buf_puts(&b, "");
		item_prefix(&b, u->depth, u->marker, true);
		buf_puts(&b, text);
		render_emit_line(r, LINE_QUOTE, b.data, NULL);
	} else {
		render_emit_line(r, LINE_ITEM, text, u->marker);
		l = &r->doc->lines[r->doc->n - 1];
		l->depth = u->depth;
	}
	buf_free(&b);
}

/*
 * An item that starts with its only link becomes that link line,
 * labelled with the item's first line (its marker first when it is
 * ordered or nested); the rest of the item follows as text lines.
 */
static bool
item_link(struct render *r)
{
	struct unit	*u = &r->u;
	const char	*nl, *end = u->text.data + u->text.len;
	struct buf	 b = BUF_INIT;
	char		*first;

	if (u->nanchors != 1 || u->nlinks != 1 ||
	    !blank_before(u, u->first_start))
		return false;
	nl = memchr(u->text.data, '\n', u->text.len);
	first = render_collapse_dup(u->text.data, (nl ? nl : end) -
	    u->text.data);
	buf_puts(&b, "");
	item_prefix(&b, u->depth, u->marker, false);
	buf_puts(&b, first ? first : "");
	doc_add_link(r->doc, r->brk, u->links[0].url, b.data);
	r->brk = false;
	r->term = false;
	buf_free(&b);
	free(first);
	if (nl != NULL)
		emit_text_from(r, nl + 1, end);
	return true;
}

static void
emit_heading(struct render *r)
{
	char	*text;

	if ((text = render_collapse_dup(r->u.text.data, r->u.text.len)) ==
	    NULL)
		return;
	if (r->quotes > 0)
		render_emit_line(r, LINE_QUOTE, text, NULL);
	else {
		doc_add_heading(r->doc, r->u.level, text);
		r->brk = false;
		r->term = false;
	}
	free(text);
}

/* A definition term: a text line that starts a block, unless a term
 * came just before. */
static void
emit_term(struct render *r)
{
	char	*text;
	bool	 after_term = r->term;

	if ((text = render_collapse_dup(r->u.text.data, r->u.text.len)) ==
	    NULL)
		return;
	if (r->quotes == 0 && !after_term)
		r->brk = true;
	render_emit_line(r, in_quote(r, LINE_TEXT), text, NULL);
	r->term = true;
	free(text);
}

/* Emit a paragraph, item, heading or term unit and its links. */
static void
emit_unit(struct render *r)
{
	struct unit	*u = &r->u;
	char		*text;
	bool		 term = false;

	switch (u->kind) {
	case U_PARA:
		if (!link_only(u))
			emit_text_from(r, u->text.data, u->text.data +
			    u->text.len);
		break;
	case U_ITEM:
		if (u->li != RENDER_NONE)
			r->frames[u->li].item = ITEM_DONE;
		if (item_link(r))
			return;
		if ((text = render_collapse_dup(u->text.data, u->text.len)) ==
		    NULL)
			break;
		emit_item(r, text);
		free(text);
		break;
	case U_HEADING:
		emit_heading(r);
		break;
	case U_TERM:
		emit_term(r);
		term = r->term;
		break;
	case U_TABLE:
		break;
	}
	render_emit_links(r);
	r->term = term && u->nlinks == 0;
	if (u->kind == U_HEADING && r->quotes == 0)
		r->brk = true;	/* even inside a list */
}

/* After a block: at top level, the next line starts a new block. */
void
render_block_done(struct render *r)
{
	if (r->quotes == 0 && r->lists == 0 && !r->term)
		r->brk = true;
}

void
render_unit_end(struct render *r)
{
	struct unit	*u = &r->u;
	size_t		 owner = u->owner;

	if (!u->active)
		return;
	html_doc_flush(r);
	render_spans_drop(u, 0);
	if (u->kind == U_TABLE)
		render_table_emit(r);
	else
		emit_unit(r);
	if (owner != RENDER_NONE && !render_unit_blank(u))
		html_doc_unit_done(r, owner);
	render_unit_clear(u);
	u->active = false;
	render_block_done(r);
}

/* True when the unit has no text yet but blanks. */
bool
render_unit_blank(const struct unit *u)
{
	size_t	i, n;

	for (i = 0; i < u->text.len; i += n)
		if ((n = render_blank_at(u->text.data + i, u->text.len - i)) ==
		    0)
			return false;
	return u->nlinks == 0;
}

/* A footnote number not used by a text unit gets a line of its own. */
void
render_flush_prefix(struct render *r)
{
	if (r->prefix == NULL)
		return;
	render_emit_line(r, LINE_TEXT, r->prefix, NULL);
	r->prefix = NULL;
}

/* Tables (CONVERSION.md 5.12). */

void
render_table_begin(struct render *r, unsigned heads)
{
	r->tab.heads = heads;
	render_unit_begin(r, U_TABLE);
}

void
render_table_free(struct table *t)
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

void
render_row_begin(struct render *r)
{
	struct table	*t = &r->tab;

	xgrowarray(&t->rows, &t->rowcap, t->nrows + 1, sizeof(*t->rows));
	memset(&t->rows[t->nrows++], 0, sizeof(*t->rows));
}

void
render_cell_begin(struct render *r, MD_ALIGN align)
{
	html_doc_flush(r);
	r->u.space = false;
	r->tab.cell_start = r->u.text.len;
	r->tab.cell_align = align;
	r->tab.in_cell = true;
}

/* The cell's text as trimmed lines joined by '\n'. */
void
render_cell_end(struct render *r)
{
	struct table	*t = &r->tab;
	struct unit	*u = &r->u;
	struct row	*row;
	struct buf	 b = BUF_INIT;
	const char	*p, *end, *nl;
	char		*line;
	size_t		 col;

	if (!t->in_cell)
		return;
	t->in_cell = false;
	html_doc_flush(r);
	render_spans_drop(u, 0);
	if (t->nrows == 0)
		render_row_begin(r);
	row = &t->rows[t->nrows - 1];
	buf_puts(&b, "");
	p = u->text.data + t->cell_start;
	end = u->text.data + u->text.len;
	for (; p != NULL && p < end; p = nl ? nl + 1 : NULL) {
		nl = memchr(p, '\n', end - p);
		if ((line = render_collapse_dup(p, (nl ? nl : end) - p)) ==
		    NULL)
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
	for (c = 0; c < row->n && c < ncols; c++) {
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

void
render_table_emit(struct render *r)
{
	struct table	*t = &r->tab;
	struct buf	 b = BUF_INIT;
	const char	*s, *cur;
	size_t		*width, ncols = t->nalign, i, c, len, w, first;

	/* No header rows: md4c's header is the empty row kramdown.c made. */
	first = t->heads == 0 && !t->html ? 1 : 0;
	if (t->nrows <= first || ncols == 0) {
		render_table_free(t);
		render_emit_links(r);
		return;
	}
	width = xcalloc(ncols, sizeof(*width));
	for (i = first; i < t->nrows; i++)
		for (c = 0; c < t->rows[i].n && c < ncols; c++)
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
	render_table_free(t);
	render_emit_links(r);
	r->brk = true;
}
