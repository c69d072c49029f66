/*
 * The kramdown pass (CONVERSION.md 5.5): the block structure kramdown
 * sees and md4c does not.
 *
 * The first pass cuts the text into segments (a line, the rest of a
 * line after an HTML tag, a whole HTML block) with a small block
 * scanner that follows kramdown closely enough to know where code, HTML
 * blocks, tables, definition lists and math are, and collects footnote
 * and link reference definitions.  The second writes the text for
 * md4c: code verbatim, HTML blocks as numbered placeholders (their text
 * goes to the renderer whole), removed lines as empty lines, kramdown
 * tables as GFM tables, math as code blocks, and the inline rewrites
 * (kramdown-span.c) on the rest.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define LIST_MAX	64	/* nesting tracked for indented code */
#define HTML_OPEN_MAX	256	/* HTML elements tracked; deeper are counted */

/* What the scanner keeps between lines. */
struct hopen {
	char		 name[KRAMDOWN_NAME_MAX];
	enum kramdown_model model;
	size_t		 line;		/* where it opened, for a warning */
	unsigned	 col;
	unsigned	 base;		/* list content column it opened at */
};

struct scan {
	const struct kramdown_opts *opts;
	bool		 parse_block_html;	/* {::options} may change it */
	int		 in_fence;
	char		 fence_ch;
	size_t		 fence_len;
	unsigned	 fence_base;	/* content column of its list item */
	size_t		 fence_q;	/* blockquote depth it is in */
	size_t		 fence_line;	/* where it opened (0-based) */
	size_t		 quote_q;	/* blockquote depth of the last line */
	int		 in_icode;
	unsigned	 icode_base;
	unsigned	 lists[LIST_MAX]; /* content columns of open items */
	size_t		 nlists;
	int		 prev_blank;	/* last line blank or removed */
	int		 boundary;	/* kramdown's after_block_boundary? */
	int		 para_open;	/* a paragraph may continue */
	size_t		 para;		/* segment its first line is, or NONE */
	size_t		 para_nlists;
	int		 para_blanks;	/* blank lines since it ended */
	int		 in_dd;		/* the last block was a definition */
	size_t		 dd_nlists;	/* lists open outside it */
	size_t		 list;		/* segment of the first item of the
					 * list open, or NONE */
	int		 prev_refdef;
	size_t		 fn;		/* footnote being defined, or NONE */
	size_t		 fn_blanks;	/* blank lines pending inside it */
	int		 fn_indented;	/* had an indented line: lazy allowed */
	struct hopen	 open[HTML_OPEN_MAX];	/* HTML elements open */
	size_t		 nopen;
	size_t		 lost;		/* raw elements beyond HTML_OPEN_MAX */
	int		 deep_warned;
};

/* Where the next segment starts: physical line li, byte off. */
struct cursor {
	size_t	li;
	size_t	off;
};

/*
 * Line helpers.
 */

static int
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Indentation in columns (tab stops of 4); *pos gets the first non-blank. */
static unsigned
indent_of(const char *s, size_t n, size_t *pos)
{
	unsigned	col = 0;
	size_t		i;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		col = s[i] == '\t' ? (col + 4) & ~3u : col + 1;
	*pos = i;
	return col;
}

/* "{:...}" or "{::...}" alone on its line: an IAL, ALD or extension. */
static int
is_ial(const char *s, size_t n)
{
	kramdown_trim(&s, &n);
	return n >= 3 && s[0] == '{' && s[1] == ':' && s[n - 1] == '}';
}

/*
 * A list marker at s: its width ("* " is 1, "12." is 3), or 0.
 * *may_interrupt tells whether it may interrupt a paragraph.
 */
static size_t
list_marker(const char *s, size_t n, int *may_interrupt)
{
	size_t	i = 0;

	if (n > 0 && (s[0] == '*' || s[0] == '-' || s[0] == '+')) {
		i = 1;
		*may_interrupt = n > 1 && !is_blank(s + 1, n - 1);
	} else {
		/* kramdown's LIST_START_OL: digits and a dot. */
		while (i < n && i < 9 && isdigit((unsigned char)s[i]))
			i++;
		if (i == 0 || i >= n || s[i] != '.')
			return 0;
		*may_interrupt = n > i + 1 && !is_blank(s + i + 1, n - i - 1);
		i++;
	}
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return 0;
	return i;
}

/* "***", "- - -", "___": a thematic break (not a list item). */
static int
is_hrule(const char *s, size_t n)
{
	size_t	i, count = 0;
	char	c;

	if (n == 0 || (s[0] != '*' && s[0] != '-' && s[0] != '_'))
		return 0;
	c = s[0];
	for (i = 0; i < n; i++) {
		if (s[i] == c)
			count++;
		else if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return count >= 3;
}

static int
is_heading(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && i < 7 && s[i] == '#'; i++)
		;
	return i >= 1 && i <= 6 && (i == n || s[i] == ' ' || s[i] == '\t');
}

/*
 * A heading's " {#id}" at the end (kramdown's HEADER_ID: an XML name,
 * after a blank): the length of the line without it, or n.
 */
static size_t
header_id(const char *s, size_t n)
{
	size_t	i, end = n;

	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (end < 5 || s[end - 1] != '}')
		return n;
	for (i = end - 1; i > 0 && s[i - 1] != '#'; i--)
		if (!isalnum((unsigned char)s[i - 1]) && s[i - 1] != '_' &&
		    s[i - 1] != '-' && s[i - 1] != '.' && s[i - 1] != ':' &&
		    (unsigned char)s[i - 1] < 0x80)
			return n;
	/* s[i] is the name's first character, s[i - 1] the '#'. */
	if (i < 3 || i + 1 >= end || s[i - 2] != '{' ||
	    (s[i - 3] != ' ' && s[i - 3] != '\t') ||
	    !(isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == ':' ||
	    (unsigned char)s[i] >= 0x80))
		return n;
	for (i -= 3; i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'); i--)
		;
	return i;
}

/* A fence at s: its length (3+), or 0.  Backtick fences: no ` in info. */
static size_t
fence_open(const char *s, size_t n)
{
	size_t	i;

	if (n < 3 || (s[0] != '`' && s[0] != '~'))
		return 0;
	for (i = 0; i < n && s[i] == s[0]; i++)
		;
	if (i < 3)
		return 0;
	if (s[0] == '`' && memchr(s + i, '`', n - i) != NULL)
		return 0;
	return i;
}

static int
is_fence_close(const struct scan *st, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && s[i] == st->fence_ch; i++)
		;
	return i >= st->fence_len && is_blank(s + i, n - i);
}

/* "[label]: dest" (not a footnote): a link reference definition. */
static int
is_refdef(const char *s, size_t n)
{
	size_t	i;

	if (n < 4 || s[0] != '[' || s[1] == '^' || s[1] == ']')
		return 0;
	for (i = 1; i < n && i < 1000 && s[i] != ']'; i++) {
		if (s[i] == '[')
			return 0;
		if (s[i] == '\\' && i + 1 < n)
			i++;
	}
	if (i + 1 >= n || s[i] != ']' || s[i + 1] != ':')
		return 0;
	return !is_blank(s + i + 2, n - i - 2);
}

/* "*[ABBR]: text": an abbreviation (ABBREV_DEFINITION_START). */
static int
is_abbrev(const char *s, size_t n)
{
	const char	*e;

	return n >= 5 && s[0] == '*' && s[1] == '[' && s[2] != ']' &&
	    (e = memchr(s + 3, ']', n - 3)) != NULL && e + 1 < s + n &&
	    e[1] == ':';
}

/* "^" alone: kramdown's end-of-block marker. */
static int
is_eob(const char *s, size_t n)
{
	return n >= 1 && s[0] == '^' && is_blank(s + 1, n - 1);
}

/* "{::name ...}" (or "{::name .../}"): the name's length, 0 if none. */
static size_t
extension_start(const char *s, size_t n, int *closed)
{
	size_t	i;

	kramdown_trim(&s, &n);
	if (n < 5 || memcmp(s, "{::", 3) != 0 || s[n - 1] != '}')
		return 0;
	for (i = 3; i < n && (isalnum((unsigned char)s[i]) || s[i] == '_');
	    i++)
		;
	if (i == 3 || (s[i] != '}' && s[i] != ' ' && s[i] != '\t' &&
	    s[i] != '/'))
		return 0;
	*closed = s[n - 2] == '/';
	return i - 3;
}

/*
 * Segments and physical lines.
 */

static size_t
phys_end(const struct kramdown_ctx *k, size_t li)
{
	return k->phys[li].off + k->phys[li].len;
}

/* The physical line that holds byte off. */
static size_t
line_at(const struct kramdown_ctx *k, size_t off)
{
	size_t	lo = 0, hi = k->nphys, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (k->phys[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static size_t
seg_add(struct kramdown_ctx *k, size_t li, size_t off, size_t len,
    enum kramdown_kind kind)
{
	struct kramdown_seg	*g;

	xgrowarray(&k->segs, &k->capsegs, k->nsegs + 1, sizeof(*k->segs));
	g = &k->segs[k->nsegs];
	memset(g, 0, sizeof(*g));
	g->off = off;
	g->len = len;
	g->line = g->last = li;
	g->kind = kind;
	g->remainder = off > k->phys[li].off;
	g->indent = k->base;
	return k->nsegs++;
}

/* The cursor on the line after li. */
static void
next_line(const struct kramdown_ctx *k, struct cursor *c, size_t li)
{
	c->li = li + 1;
	c->off = c->li < k->nphys ? k->phys[c->li].off : 0;
}

/*
 * After an HTML element that ends at off: kramdown's TRAILING_WHITESPACE
 * (blanks then the line end) is taken when skip is set; what is left
 * of the line is read as a new line.  Inside raw HTML (skip not set)
 * reading goes on at off.
 */
static void
cursor_after(const struct kramdown_ctx *k, struct cursor *c, size_t off,
    bool skip)
{
	size_t	li = line_at(k, off), end = phys_end(k, li), p;

	c->li = li;
	c->off = off;
	if (!skip)
		return;
	for (p = off; p < end && (k->src[p] == ' ' || k->src[p] == '\t'); p++)
		;
	if (p >= end)
		next_line(k, c, li);
	else
		c->off = p;
}

/*
 * Footnote definitions.
 */

static size_t
hash_label(const char *s, size_t n)
{
	size_t	h = 2166136261u;
	size_t	i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

size_t
kramdown_def_find(const struct kramdown_ctx *k, const char *label, size_t n)
{
	size_t	i, d;

	if (k->hcap == 0)
		return KRAMDOWN_NONE;
	for (i = hash_label(label, n) & (k->hcap - 1); k->htab[i] != 0;
	    i = (i + 1) & (k->hcap - 1)) {
		d = k->htab[i] - 1;
		if (strlen(k->defs[d].label) == n &&
		    memcmp(k->defs[d].label, label, n) == 0)
			return d;
	}
	return KRAMDOWN_NONE;
}

static void
hash_insert(struct kramdown_ctx *k, size_t d)
{
	const char	*l = k->defs[d].label;
	size_t		 i;

	for (i = hash_label(l, strlen(l)) & (k->hcap - 1); k->htab[i] != 0;
	    i = (i + 1) & (k->hcap - 1))
		;
	k->htab[i] = d + 1;
}

/*
 * Record a definition and return its index.  A second definition of a
 * label is recorded too (its lines must go) but never found.
 */
static size_t
def_add(struct kramdown_ctx *k, const char *label, size_t n, size_t line)
{
	struct kramdown_fndef	*d;
	size_t			 i;
	int			 dup;

	if ((dup = kramdown_def_find(k, label, n) != KRAMDOWN_NONE))
		diag_add(k->diags, DIAG_WARNING, k->file,
		    linemap_line(k->map, line), 0,
		    "footnote '%.*s' is defined twice; the first is used",
		    (int)n, label);
	if (2 * (k->ndefs + 1) > k->hcap) {
		free(k->htab);
		k->hcap = k->hcap ? 2 * k->hcap : 16;
		k->htab = xcalloc(k->hcap, sizeof(*k->htab));
		for (i = 0; i < k->ndefs; i++)
			if (!k->defs[i].dup)
				hash_insert(k, i);
	}
	xgrowarray(&k->defs, &k->capdefs, k->ndefs + 1, sizeof(*k->defs));
	d = &k->defs[k->ndefs];
	memset(d, 0, sizeof(*d));
	d->label = xstrndup(label, n);
	d->line = linemap_line(k->map, line);
	d->dup = dup;
	if (!dup)
		hash_insert(k, k->ndefs);
	return k->ndefs++;
}

/* A continuation line of a definition: at most 4 columns removed. */
static void
def_append(struct kramdown_ctx *k, struct scan *st, const char *s, size_t n)
{
	struct buf	*t = &k->defs[st->fn].text;
	size_t		 i = 0;

	for (; st->fn_blanks > 0; st->fn_blanks--)
		buf_putc(t, '\n');
	if (s[0] == '\t')
		i = 1;
	else
		while (i < n && i < 4 && s[i] == ' ')
			i++;
	buf_putc(t, '\n');
	buf_append(t, s + i, n - i);
}

static void
start_footnote(struct kramdown_ctx *k, struct scan *st, const char *s,
    size_t n, size_t line)
{
	size_t	l = kramdown_footnote_label(s, n);
	size_t	i = l + 4;

	st->fn = def_add(k, s + 2, l, line);
	st->fn_blanks = 0;
	st->fn_indented = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	buf_append(&k->defs[st->fn].text, s + i, n - i);
}

/*
 * The block scanner.
 */

static void
pop_lists(struct scan *st, unsigned ind)
{
	while (st->nlists > 0 && st->lists[st->nlists - 1] > ind)
		st->nlists--;
}

static unsigned
list_base(const struct scan *st)
{
	return st->nlists ? st->lists[st->nlists - 1] : 0;
}

/* A block other than a paragraph: no definition list may follow. */
static void
block_seen(struct scan *st)
{
	st->para = KRAMDOWN_NONE;
	st->para_open = 0;
	st->in_dd = 0;
	st->boundary = 0;
}

static int
in_fence_line(struct scan *st, const char *s, size_t n,
    enum kramdown_kind *kind)
{
	size_t		pos;
	unsigned	ind = indent_of(s, n, &pos);

	if (ind >= st->fence_base && ind - st->fence_base <= 3 &&
	    is_fence_close(st, s + pos, n - pos)) {
		st->in_fence = 0;
		st->para_open = 0;
		*kind = KD_CODE;
		return 1;
	}
	if (!is_blank(s, n) && ind < st->fence_base) {
		st->in_fence = 0;	/* its list item ended */
		return 0;
	}
	*kind = KD_CODE;
	return 1;
}

/* Footnote definition continuation; 1 when the line belongs to it. */
static int
in_footnote_line(struct kramdown_ctx *k, struct scan *st, const char *s,
    size_t n, enum kramdown_kind *kind)
{
	size_t		pos;
	unsigned	ind;

	if (is_blank(s, n)) {
		st->fn_blanks++;
		*kind = KD_BLANK;
		return 1;
	}
	ind = indent_of(s, n, &pos);
	/* kramdown takes lazy lines after an indented one; a new
	 * definition starts its own footnote. */
	if (ind >= 4 || (st->fn_blanks == 0 && st->fn_indented &&
	    !is_ial(s, n) && kramdown_footnote_label(s + pos, n - pos) == 0)) {
		def_append(k, st, s, n);
		st->fn_indented |= ind >= 4;
		*kind = KD_DROP;
		return 1;
	}
	st->fn = KRAMDOWN_NONE;
	st->fn_blanks = 0;
	return 0;
}

/*
 * A list whose last line is "{:toc}": kramdown replaces it with the
 * table of contents, which a capsule does not have (CONVERSION.md
 * 5.5).  s is a list item's line; next the line after it.
 */
static int
is_toc(const char *s, size_t n, const char *next, size_t nnext)
{
	size_t	m;
	int	dummy;

	if (next == NULL || (m = list_marker(s, n, &dummy)) == 0)
		return 0;
	kramdown_trim(&next, &nnext);
	if (nnext < 6 || memcmp(next, "{:", 2) != 0 || next[nnext - 1] != '}')
		return 0;
	next += 2;
	nnext -= 3;
	kramdown_trim(&next, &nnext);
	return nnext == 3 && memcmp(next, "toc", 3) == 0;
}

static void
start_fence(struct scan *st, size_t li, char ch, size_t len, unsigned base,
    size_t q)
{
	st->in_fence = 1;
	st->fence_line = li;
	st->fence_ch = ch;
	st->fence_len = len;
	st->fence_base = base;
	st->fence_q = q;
	st->para_open = 0;
}

/* Skip up to max blockquote markers, counted in *q; the content offset. */
static size_t
quote_strip(const char *s, size_t n, size_t max, size_t *q)
{
	size_t	i = 0, j;

	for (*q = 0; *q < max; (*q)++) {
		for (j = i; j < n && j - i < 3 && s[j] == ' '; j++)
			;
		if (j >= n || s[j] != '>')
			break;
		i = j + 1;
		if (i < n && s[i] == ' ')
			i++;
	}
	return i;
}

/*
 * A line inside a blockquote (content s after q markers): only code
 * matters here, fenced or indented; the rest is text.
 */
static enum kramdown_kind
quote_line(struct scan *st, size_t li, const char *s, size_t n, size_t q)
{
	size_t		pos, m;
	unsigned	ind = indent_of(s, n, &pos);

	if (q != st->quote_q)
		st->para_open = 0;
	st->quote_q = q;
	if (pos == n) {
		st->para_open = 0;
		return KD_TEXT;
	}
	if (ind <= 3 && (m = fence_open(s + pos, n - pos)) != 0) {
		start_fence(st, li, s[pos], m, 0, q);
		return KD_CODE;
	}
	if (!st->para_open && ind >= 4)
		return KD_CODE;
	st->para_open = !is_heading(s + pos, n - pos);
	return KD_TEXT;
}

/*
 * HTML blocks (parser/kramdown/html.rb).
 */

static void
html_push(struct kramdown_ctx *k, struct scan *st, const char *name,
    enum kramdown_model model, size_t off)
{
	struct hopen	*h;
	size_t		 line = line_at(k, off);

	if (st->nopen == HTML_OPEN_MAX || st->lost > 0) {
		st->lost++;
		if (!st->deep_warned)
			diag_add(k->diags, DIAG_WARNING, k->file,
			    linemap_line(k->map, line),
			    (unsigned)(off - k->phys[line].off + 1),
			    "HTML nested more than %d deep: the deeper "
			    "elements are read as their text", HTML_OPEN_MAX);
		st->deep_warned = 1;
		return;
	}
	h = &st->open[st->nopen++];
	memcpy(h->name, name, sizeof(h->name));
	h->model = model;
	h->line = line;
	h->col = (unsigned)(off - k->phys[line].off + 1);
	h->base = list_base(st);
}

/* The innermost element open reads its content so (those beyond the
 * stack are raw). */
static bool
top_is(const struct scan *st, enum kramdown_model model)
{
	if (st->lost > 0)
		return model == KM_RAW;
	return st->nopen > 0 && st->open[st->nopen - 1].model == model;
}

/* An HTML segment [off, end): a placeholder. */
static size_t
html_seg(struct kramdown_ctx *k, size_t off, size_t end)
{
	size_t	si = seg_add(k, line_at(k, off), off, end - off, KD_HTML);

	k->segs[si].last = line_at(k, end > off ? end - 1 : off);
	return si;
}

/* An element never closed: reported, closed at the end of the text. */
static void
html_unclosed(struct kramdown_ctx *k, const struct hopen *h)
{
	diag_add(k->diags, DIAG_WARNING, k->file, linemap_line(k->map,
	    h->line), h->col, "<%s> is never closed: it runs to the end of "
	    "the file", h->name);
}

/* The content model of a tag: its markdown attribute, else dflt. */
static enum kramdown_model
tag_model(const struct kramdown_tag *t, enum kramdown_model dflt)
{
	switch (t->markdown) {
	case KD_MD_DEFAULT:
		return kramdown_content_model(t->name);
	case KD_MD_SPAN:
		return KM_SPAN;
	case KD_MD_BLOCK:
		return KM_BLOCK;
	case KD_MD_RAW:
		return KM_RAW;
	default:
		return dflt;
	}
}

/* The raw elements on top of the stack end here, unclosed. */
static void
raw_unclosed(struct kramdown_ctx *k, struct scan *st)
{
	st->lost = 0;
	while (st->nopen > 0 && st->open[st->nopen - 1].model == KM_RAW)
		html_unclosed(k, &st->open[--st->nopen]);
}

/*
 * Raw HTML from c (parse_raw_html): tags are read, text is not, up to
 * the end tag of the outermost raw element open, a tag whose markdown
 * attribute asks for its content to be parsed, or the end of the text
 * (or of the list item the HTML is in).  The HTML read is one segment.
 */
static void
raw_html(struct kramdown_ctx *k, struct scan *st, struct cursor *c,
    size_t start)
{
	struct kramdown_tag	 t;
	const char		*s = k->src, *lt;
	size_t			 p = c->off, n, q;
	char			 name[KRAMDOWN_NAME_MAX];
	bool			 ended = false;

	while (p < k->len) {
		if (s[p] != '<') {
			q = p;
			lt = memchr(s + p, '<', k->len - p);
			p = lt ? (size_t)(lt - s) : k->len;
			if (st->open[st->nopen - 1].base > 0 &&
			    kramdown_item_ends(k, st->open[st->nopen - 1].base,
			    q, &p)) {
				ended = true;
				break;
			}
			continue;
		}
		n = k->len - p;
		if ((q = kramdown_comment(s + p, n)) != 0) {
			p += q;
			continue;
		}
		if (n > 1 && s[p + 1] == '?' &&
		    (lt = kramdown_find(s + p, n, "?>")) != s + k->len) {
			p = lt + 2 - s;
			continue;
		}
		if ((q = kramdown_end_tag(s + p, n, name)) != 0) {
			p += q;
			if (st->lost > 0)
				st->lost--;
			else if (strcmp(name, st->open[st->nopen - 1].name) ==
			    0 && (--st->nopen, !top_is(st, KM_RAW)))
				break;
			/* else a stray end tag, which is text */
			continue;
		}
		if ((q = kramdown_start_tag(s + p, n, &t)) == 0) {
			p++;
			continue;
		}
		if (tag_model(&t, KM_RAW) != KM_RAW && !t.closed &&
		    !kramdown_void_element(t.name)) {
			/* Its content is Markdown: this HTML ends here. */
			if (p > start)
				html_seg(k, start, p);
			c->li = line_at(k, p);
			c->off = p;
			kramdown_html_open(k, st, c, &t, q, false);
			return;
		}
		p += q;
		if (t.closed || kramdown_void_element(t.name))
			continue;
		if (strcmp(t.name, "script") == 0 ||
		    strcmp(t.name, "style") == 0)
			p = kramdown_raw_text_end(k, p, t.name);
		else
			html_push(k, st, t.name, KM_RAW, p - q);
	}
	if (p >= k->len || ended)
		raw_unclosed(k, st);
	if (p > start)
		html_seg(k, start, p);
	if (p >= k->len)
		c->li = k->nphys;
	else if (ended)
		next_line(k, c, line_at(k, p));
	else
		cursor_after(k, c, p, !top_is(st, KM_RAW));
}

/*
 * At c, the start tag t (q bytes) of an element whose content is read
 * by content model (parse_block_html, or its markdown attribute): a
 * raw element goes on as raw HTML, a block one leaves its content to
 * the scanner, a span one's content is one line of text up to its end
 * tag.
 */
void
kramdown_html_open(struct kramdown_ctx *k, struct scan *st, struct cursor *c,
    const struct kramdown_tag *t, size_t q, bool top)
{
	enum kramdown_model	 model;
	size_t			 p = c->off, end, li = c->li, si;
	char			 name[KRAMDOWN_NAME_MAX];

	model = tag_model(t, top && st->parse_block_html ?
	    kramdown_content_model(t->name) : KM_RAW);
	block_seen(st);
	if (t->closed || kramdown_void_element(t->name)) {
		html_seg(k, p, p + q);
		cursor_after(k, c, p + q, !top_is(st, KM_RAW));
		return;
	}
	if (strcmp(t->name, "script") == 0 || strcmp(t->name, "style") == 0) {
		end = kramdown_raw_text_end(k, p + q, t->name);
		html_seg(k, p, end);
		if (end >= k->len)
			c->li = k->nphys;
		else
			cursor_after(k, c, end, !top_is(st, KM_RAW));
		return;
	}
	if (model == KM_RAW) {
		html_push(k, st, t->name, KM_RAW, p);
		c->li = line_at(k, p + q);
		c->off = p + q;
		raw_html(k, st, c, p);
		return;
	}
	html_seg(k, p, p + q);
	if (model == KM_BLOCK) {
		html_push(k, st, t->name, KM_BLOCK, p);
		st->boundary = 1;
		cursor_after(k, c, p + q, true);
		return;
	}
	/* Span: the text up to the next end tag of that name. */
	p += q;
	for (end = p; (end = (size_t)((const char *)kramdown_find(k->src + end,
	    k->len - end, "</") - k->src)) < k->len; end += 2)
		if ((q = kramdown_end_tag(k->src + end, k->len - end, name)) &&
		    strcmp(name, t->name) == 0)
			break;
	if (end > p) {
		si = seg_add(k, line_at(k, p), p, end - p, KD_SPAN);
		k->segs[si].last = line_at(k, end - 1);
	}
	if (end >= k->len) {
		diag_add(k->diags, DIAG_WARNING, k->file, linemap_line(k->map,
		    li), (unsigned)(c->off - k->phys[li].off + 1), "<%s> is "
		    "never closed: it runs to the end of the file", t->name);
		kramdown_synthetic(k, k->nphys - 1, "</%s>", t->name);
		c->li = k->nphys;
		return;
	}
	html_seg(k, end, end + q);
	cursor_after(k, c, end + q, !top_is(st, KM_RAW));
}

/*
 * A line that starts with HTML (after its indentation, at s): an HTML
 * block of kramdown's (a comment, a start tag other than a span
 * element, the end tag of the element whose content is being read).
 * Returns false when it is none of them: the line is text.
 */
static bool
html_block(struct kramdown_ctx *k, struct scan *st, struct cursor *c,
    size_t off)
{
	struct kramdown_tag	 t;
	const char		*s = k->src + off;
	size_t			 n = k->len - off, q;
	char			 name[KRAMDOWN_NAME_MAX];

	if (*s != '<')
		return false;
	if ((q = kramdown_comment(s, n)) != 0) {
		block_seen(st);
		html_seg(k, off, off + q);
		cursor_after(k, c, off + q, true);
		return true;
	}
	if ((q = kramdown_start_tag(s, n, &t)) != 0 &&
	    !kramdown_span_element(t.name)) {
		c->off = off;
		kramdown_html_open(k, st, c, &t, q, true);
		return true;
	}
	if ((q = kramdown_end_tag(s, n, name)) != 0 &&
	    top_is(st, KM_BLOCK) && strcmp(name,
	    st->open[st->nopen - 1].name) == 0) {
		st->nopen--;
		block_seen(st);
		html_seg(k, off, off + q);
		cursor_after(k, c, off + q, !top_is(st, KM_RAW));
		return true;
	}
	return false;
}

/*
 * "$$ ... $$" at a block boundary and followed by one: a math block
 * (BLOCK_MATH_START).  Returns false when it is not one.
 */
static bool
math_block(struct kramdown_ctx *k, struct scan *st, struct cursor *c,
    size_t off)
{
	const char	*s = k->src + off, *e;
	size_t		 n = k->len - off, end, li, si;

	if (n < 4 || memcmp(s, "$$", 2) != 0 ||
	    (e = kramdown_find(s + 2, n - 2, "$$")) == s + n)
		return false;
	end = e + 2 - k->src;
	li = line_at(k, end - 1);	/* the line it ends on */
	if (!is_blank(k->src + end, phys_end(k, li) - end))
		return false;
	if (li + 1 < k->nphys && !is_blank(k->src + k->phys[li + 1].off,
	    k->phys[li + 1].len) && !is_eob(k->src + k->phys[li + 1].off,
	    k->phys[li + 1].len) && !is_ial(k->src + k->phys[li + 1].off,
	    k->phys[li + 1].len))
		return false;
	si = seg_add(k, line_at(k, off), off + 2, e - s - 2, KD_MATH);
	k->segs[si].last = li;
	block_seen(st);
	next_line(k, c, li);
	return true;
}

/*
 * A run of table lines at a block boundary, followed by one, each with
 * a pipe outside code spans, with a body row (parse_table): the number
 * of lines, 0 when it is not a table.
 */
static size_t
table_run(struct kramdown_ctx *k, int boundary, size_t li)
{
	size_t	i, rows = 0, seps = 0;
	const char *s;

	if (!boundary)
		return 0;
	for (i = li; i < k->nphys; i++) {
		s = k->src + k->phys[i].off;
		if (!kramdown_table_line(k, s, k->phys[i].len))
			break;
		if (kramdown_table_rule(s, k->phys[i].len))
			seps += rows > 0;
		else
			rows++;
	}
	if (i == li || (i < k->nphys && !is_blank(k->src + k->phys[i].off,
	    k->phys[i].len) && !is_eob(k->src + k->phys[i].off,
	    k->phys[i].len) && !is_ial(k->src + k->phys[i].off,
	    k->phys[i].len)))
		return 0;
	/* A table whose only rows are header rows has no body. */
	if (rows == 0 || (seps > 0 && kramdown_table_body(k, li, i) == 0))
		return 0;
	return i - li;
}

/* A definition (":" at s): it follows a paragraph or a definition. */
static bool
definition(struct kramdown_ctx *k, struct scan *st, size_t si,
    const char *s, size_t n)
{
	size_t	i;

	if (n < 2 || s[0] != ':' || (s[1] != ' ' && s[1] != '\t'))
		return false;
	if (!st->in_dd && (st->para == KRAMDOWN_NONE || st->para_blanks > 1 ||
	    st->para_nlists != st->nlists))
		return false;
	if (!st->in_dd)
		for (i = st->para; i < si; i++)
			if (k->segs[i].kind == KD_TEXT)
				k->segs[i].kind = KD_TERM;
	k->segs[si].def = true;
	st->para = KRAMDOWN_NONE;
	st->in_dd = 1;
	return true;
}

/* A line that may start a block (outside blockquotes); else text. */
static enum kramdown_kind
block_line(struct kramdown_ctx *k, struct scan *st, size_t si,
    int prev_refdef, unsigned ind, size_t off)
{
	struct kramdown_seg	*g = &k->segs[si];
	const char		*s = k->src + off;
	size_t			 n = g->off + g->len - off, m, i;
	unsigned		 w;
	int			 may;

	if ((m = fence_open(s, n)) != 0) {
		pop_lists(st, ind);
		block_seen(st);
		start_fence(st, g->line, s[0], m, list_base(st), 0);
		return KD_CODE;
	}
	if (is_heading(s, n) || is_hrule(s, n)) {
		pop_lists(st, ind);
		block_seen(st);
		g->unit_start = 1;
		if (is_heading(s, n))
			g->len = off - g->off + header_id(s, n);
		return KD_TEXT;
	}
	if (!st->para_open && kramdown_footnote_label(s, n) != 0 &&
	    (m = kramdown_footnote_label(s, n)) + 3 < n && s[m + 3] == ':') {
		start_footnote(k, st, s, n, g->line);
		st->prev_blank = 1;
		block_seen(st);
		return KD_DROP;
	}
	if (!st->para_open && is_abbrev(s, n)) {
		block_seen(st);
		return KD_DROP;
	}
	if ((!st->para_open || prev_refdef) && is_refdef(s, n)) {
		kramdown_refdef(s, n, &k->refdefs);
		buf_putc(&k->refdefs, '\n');
		g->refdef = true;
		g->unit_start = 1;
		st->prev_refdef = 1;
		block_seen(st);
		st->para_open = 1;
		return KD_TEXT;
	}
	if (definition(k, st, si, s, n) ||
	    ((m = list_marker(s, n, &may)) != 0 && (!st->para_open || may))) {
		if (g->def)
			m = 1;
		for (i = m, w = 0; i < n && w < 5 && s[i] == ' '; i++)
			w++;
		if (w == 0 || w > 4 || i == n)
			w = 1;
		if (st->nlists == 0)
			st->list = si;	/* a list starts */
		pop_lists(st, ind);
		if (g->def)
			st->dd_nlists = st->nlists;
		else if (st->nlists <= st->dd_nlists)
			st->in_dd = 0;
		if (st->nlists < LIST_MAX)
			st->lists[st->nlists++] = ind + (unsigned)m + w;
		g->unit_start = 1;
		g->item = true;
		g->ol = isdigit((unsigned char)*s);
		st->para = KRAMDOWN_NONE;
		st->boundary = 1;
		st->para_open = 1;
		return KD_TEXT;
	}
	if (!st->para_open) {
		st->para = si;
		st->para_nlists = st->nlists;
		st->para_blanks = 0;
		if (st->nlists <= st->dd_nlists)
			st->in_dd = 0;
	}
	st->para_open = 1;
	return KD_TEXT;
}

/*
 * "{::comment}" to "{:/comment}" (or "{:/}"): the lines go;
 * "{::nomarkdown}": they are HTML; "{::options ... /}" may set
 * parse_block_html.  Returns false when s is no such extension.
 */
static bool
extension_block(struct kramdown_ctx *k, struct scan *st, struct cursor *c,
    size_t si, const char *s, size_t n)
{
	size_t	len, li, body, end = 0;
	int	closed = 0;
	const char *name = NULL, *p;

	if ((len = extension_start(s, n, &closed)) == 0)
		return false;
	kramdown_trim(&s, &n);
	name = s + 3;
	k->segs[si].kind = KD_DROP;
	block_seen(st);
	st->prev_blank = 1;
	st->boundary = 1;
	if (len == 7 && memcmp(name, "options", 7) == 0) {
		if ((p = kramdown_find(s, n, "parse_block_html")) != s + n)
			st->parse_block_html = kramdown_find(p, s + n - p,
			    "true") != s + n;
		return true;
	}
	if (closed)
		return true;
	/* The body: up to a line "{:/name}" or "{:/}". */
	body = c->li < k->nphys ? k->phys[c->li].off : k->len;
	for (li = c->li; li < k->nphys; li++) {
		const char	*l = k->src + k->phys[li].off;
		size_t		 ln = k->phys[li].len;

		kramdown_trim(&l, &ln);
		if (ln >= 4 && memcmp(l, "{:/", 3) == 0 && l[ln - 1] == '}' &&
		    (ln == 4 || (ln == len + 4 && memcmp(l + 3, name, len) ==
		    0))) {
			end = k->phys[li].off;
			break;
		}
	}
	if (li == k->nphys)
		return true;	/* no stop tag: kramdown ignores the start */
	if (len == 10 && memcmp(name, "nomarkdown", 10) == 0 && end > body)
		html_seg(k, body, end - 1);
	else
		for (; c->li < li; c->li++)
			seg_add(k, c->li, k->phys[c->li].off,
			    k->phys[c->li].len, KD_DROP);
	seg_add(k, li, k->phys[li].off, k->phys[li].len, KD_DROP);
	next_line(k, c, li);
	return true;
}

/*
 * An attribute list with start="N" right after a list (st->list the
 * segment of its first item): an ordered list is numbered from N.
 */
static void
list_start(struct kramdown_ctx *k, const struct scan *st, const char *s,
    size_t n)
{
	const char	*p;
	long		 v;

	if (st->nlists == 0 || st->list == KRAMDOWN_NONE ||
	    !k->segs[st->list].ol ||
	    (p = kramdown_find(s, n, "start=")) == s + n)
		return;
	p += 6;
	if (p < s + n && (*p == '"' || *p == '\''))
		p++;
	if (p >= s + n || !isdigit((unsigned char)*p) ||
	    (v = strtol(p, NULL, 10)) < 0 || v > 999999999)
		return;
	k->segs[st->list].ol_start = (unsigned)v;
}

/*
 * Classify the segment at c, to the end of its line (and maybe more),
 * and move c past what was read.
 */
static void
classify(struct kramdown_ctx *k, struct scan *st, struct cursor *c)
{
	size_t		 li = c->li, si, n, pos, q, off, rows, goff;
	struct kramdown_seg *g;
	const char	*s, *next = NULL;
	size_t		 nnext = 0;
	unsigned	 ind;
	int		 prev_refdef = st->prev_refdef, boundary;
	int		 was_blank = st->prev_blank;
	bool		 rem;

	si = seg_add(k, li, c->off, phys_end(k, li) - c->off, KD_TEXT);
	g = &k->segs[si];
	goff = g->off;
	s = k->src + g->off;
	n = g->len;
	rem = g->remainder;
	next_line(k, c, li);
	st->prev_refdef = 0;
	if (st->in_fence) {
		off = quote_strip(s, n, st->fence_q, &q);
		if (q < st->fence_q)
			st->in_fence = 0;	/* its blockquote ended */
		else if (in_fence_line(st, s + off, n - off, &g->kind))
			return;
	}
	if (st->fn != KRAMDOWN_NONE && in_footnote_line(k, st, s, n, &g->kind))
		return;
	if (is_blank(s, n)) {
		g->kind = KD_BLANK;
		st->prev_blank = 1;
		st->boundary = 1;
		st->para_open = 0;
		st->quote_q = 0;
		if (st->para != KRAMDOWN_NONE)
			st->para_blanks++;
		return;
	}
	boundary = st->boundary;
	st->boundary = 0;
	ind = indent_of(s, n, &pos);
	if (rem) {
		ind = list_base(st);	/* read at the level of its HTML */
		g->unit_start = 1;
	}
	if (st->in_icode) {
		if (ind >= st->icode_base + 4) {
			g->kind = KD_CODE;
			return;
		}
		st->in_icode = 0;
	}
	if (st->prev_blank)
		pop_lists(st, ind);
	if (!st->para_open && ind >= list_base(st) + 4) {
		st->in_icode = 1;
		st->icode_base = list_base(st);
		g->kind = KD_CODE;
		st->prev_blank = 0;
		block_seen(st);
		return;
	}
	st->prev_blank = 0;
	off = quote_strip(s, n, SIZE_MAX, &q);
	if (q > 0) {
		g->kind = quote_line(st, li, s + off, n - off, q);
		q = st->para_open;
		block_seen(st);
		st->para_open = (int)q;
		return;
	}
	st->quote_q = 0;
	if (li + 1 < k->nphys) {
		next = k->src + k->phys[li + 1].off;
		nnext = k->phys[li + 1].len;
	}
	if (ind > list_base(st) + 3) {
		g->kind = KD_TEXT;	/* continuation of a paragraph */
		return;
	}
	if (is_toc(s + pos, n - pos, next, nnext)) {
		g->kind = KD_DROP;
		seg_add(k, li + 1, k->phys[li + 1].off, nnext, KD_DROP);
		next_line(k, c, li + 1);
		block_seen(st);
		st->prev_blank = 1;
		st->boundary = 1;
		return;
	}
	if (extension_block(k, st, c, si, s, n))
		return;
	if (is_eob(s + pos, n - pos) || is_ial(s, n)) {
		if (is_ial(s, n) && !was_blank)
			list_start(k, st, s, n);
		g->kind = KD_DROP;
		if (st->nlists > 0 && ind < list_base(st)) {
			/* It ends the list, which md4c must see too: an
			 * empty placeholder. */
			pop_lists(st, ind);
			g->kind = KD_HTML;
			g->len = 0;
			g->indent = list_base(st);
		}
		block_seen(st);
		st->prev_blank = 1;
		st->boundary = 1;
		return;
	}
	if (s[pos] == '<') {
		pop_lists(st, ind);
		k->base = list_base(st);
		k->nsegs--;	/* the HTML makes its own segments */
		c->li = li;
		c->off = goff;
		if (html_block(k, st, c, goff + pos))
			return;
		si = seg_add(k, li, goff, phys_end(k, li) - goff, KD_TEXT);
		g = &k->segs[si];
		g->unit_start = rem;
		next_line(k, c, li);
	}
	if (!rem && (rows = table_run(k, boundary, li)) > 0) {
		g->kind = KD_TABLE;
		for (q = 1; q < rows; q++)
			seg_add(k, li + q, k->phys[li + q].off,
			    k->phys[li + q].len, KD_TABLE);
		next_line(k, c, li + rows - 1);
		block_seen(st);
		return;
	}
	if (boundary && !rem && math_block(k, st, c, goff + pos)) {
		k->segs[si] = k->segs[--k->nsegs];	/* the math replaces it */
		return;
	}
	g->kind = block_line(k, st, si, prev_refdef, ind, goff + pos);
}

static void
split_lines(struct kramdown_ctx *k)
{
	size_t	 off = 0;
	char	*nl;

	while (off < k->len) {
		xgrowarray(&k->phys, &k->capphys, k->nphys + 1,
		    sizeof(*k->phys));
		nl = memchr(k->src + off, '\n', k->len - off);
		k->phys[k->nphys].off = off;
		k->phys[k->nphys].len = nl ? (size_t)(nl - k->src) - off :
		    k->len - off;
		k->phys[k->nphys].nl = nl != NULL;
		off += k->phys[k->nphys].len + (nl != NULL);
		k->nphys++;
	}
}

static void
scan_all(struct kramdown_ctx *k, struct scan *st)
{
	struct cursor	c = { 0, 0 };

	while (c.li < k->nphys) {
		if (c.off > phys_end(k, c.li)) {
			next_line(k, &c, c.li);
			continue;
		}
		k->base = list_base(st);
		if (top_is(st, KM_RAW))
			raw_html(k, st, &c, c.off);
		else
			classify(k, st, &c);
	}
	while (st->nopen > 0) {
		st->nopen--;
		html_unclosed(k, &st->open[st->nopen]);
		kramdown_synthetic(k, k->nphys ? k->nphys - 1 : 0, "</%s>",
		    st->open[st->nopen].name);
	}
}

void
kramdown_pass(const char *src, size_t len, const char *file,
    const struct linemap *map, const struct kramdown_opts *opts,
    struct diags *diags, struct kramdown_out *o)
{
	static const struct kramdown_opts defaults;
	struct kramdown_ctx	 k;
	struct scan		 st;

	memset(&k, 0, sizeof(k));
	memset(&st, 0, sizeof(st));
	memset(o, 0, sizeof(*o));
	k.src = src;
	k.len = len;
	k.file = file;
	k.map = map;
	k.diags = diags;
	st.opts = opts ? opts : &defaults;
	st.parse_block_html = st.opts->parse_block_html;
	st.fn = KRAMDOWN_NONE;
	st.para = KRAMDOWN_NONE;
	st.list = KRAMDOWN_NONE;
	st.prev_blank = 1;
	st.boundary = 1;

	buf_reserve(&k.out, len + len / 8);	/* escapes add a little */
	split_lines(&k);
	scan_all(&k, &st);
	if (st.in_fence)
		diag_add(diags, DIAG_WARNING, file,
		    linemap_line(map, st.fence_line), 1,
		    "code block never closed: it runs to the end of the file");
	kramdown_emit(&k);
	kramdown_finish_notes(&k, o);

	o->markdown = buf_detach(&k.out, &o->len);
	o->refdefs = buf_detach(&k.refdefs, NULL);
	o->table_heads = k.heads;
	o->ntables = k.ntables;
	o->lines = k.outlines;
	o->nlines = k.noutlines;
	o->html = k.html;
	o->nhtml = k.nhtml;
	free(k.phys);
	free(k.segs);
	free(k.defs);
	free(k.htab);
	free(k.order);
	free(k.ticks);
	buf_free(&k.synth);
}

void
kramdown_out_free(struct kramdown_out *o)
{
	size_t	i;

	for (i = 0; i < o->nnotes; i++) {
		free(o->notes[i].label);
		free(o->notes[i].text);
	}
	for (i = 0; i < o->nhtml; i++)
		free(o->html[i].text);
	free(o->html);
	free(o->notes);
	free(o->markdown);
	free(o->table_heads);
	free(o->refdefs);
	free(o->lines);
	memset(o, 0, sizeof(*o));
}
