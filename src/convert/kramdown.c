/*
 * The kramdown pass (CONVERSION.md 5.5).
 *
 * Two linear passes over the lines of the text.  The first classifies
 * every line (code, HTML block, table row, kramdown-only line, text)
 * with a small block scanner that follows CommonMark closely enough to
 * know where code is, and collects footnote definitions and link
 * reference definitions.  The second writes the text for md4c: code and
 * HTML verbatim, removed lines as empty lines (so that line numbers stay
 * put and paragraphs stay apart), kramdown tables as GFM tables, and the
 * inline rewrites (footnote references, link destinations) on the rest.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define LIST_MAX	64	/* nesting tracked for indented code */
#define TABLE_MAXCOLS	128	/* md4c's own limit (TABLE_MAXCOLCOUNT) */
#define DEST_MAXPARENS	32	/* CommonMark's nesting limit in a destination */
#define BRACKETS_WARN	32	/* deeper bracket nesting is reported */
#define NONE		SIZE_MAX

enum lkind {
	LK_TEXT,	/* inline rewrites apply */
	LK_BLANK,
	LK_CODE,	/* fenced or indented code, fence lines: verbatim */
	LK_HTML,	/* HTML block: verbatim */
	LK_DROP,	/* ToC, IAL, footnote definition: becomes empty */
	LK_TABLE,	/* kramdown table row or rule */
};

struct kline {
	size_t		 off;
	size_t		 len;		/* without the newline */
	int		 nl;		/* ends with a newline */
	enum lkind	 kind;
	int		 unit_start;	/* a block starts here (list item...) */
};

struct fndef {
	char		*label;
	struct buf	 text;
	unsigned	 line;
	int		 number;	/* 0 until referenced */
	int		 dup;		/* a second definition, ignored */
};

/* Block scanner state of the first pass. */
struct scan {
	int		 in_fence;
	char		 fence_ch;
	size_t		 fence_len;
	unsigned	 fence_base;	/* content column of its list item */
	size_t		 fence_q;	/* blockquote depth it is in */
	size_t		 fence_line;	/* where it opened (0-based) */
	size_t		 quote_q;	/* blockquote depth of the last line */
	int		 in_icode;
	unsigned	 icode_base;
	int		 html_type;	/* CommonMark HTML block type, 0: none */
	unsigned	 lists[LIST_MAX]; /* content columns of open items */
	size_t		 nlists;
	int		 prev_blank;	/* last line blank or removed */
	int		 para_open;	/* a paragraph may continue */
	int		 prev_refdef;
	size_t		 fn;		/* footnote being defined, or NONE */
	size_t		 fn_blanks;	/* blank lines pending inside it */
	int		 fn_indented;	/* had an indented line: lazy allowed */
};

struct kctx {
	const char	*src;
	size_t		 len;
	const char	*file;
	const struct linemap *map;	/* the lines of src in the file */
	struct diags	*diags;

	struct kline	*lines;
	size_t		 nlines, caplines;

	struct fndef	*defs;
	size_t		 ndefs, capdefs;
	size_t		*htab;		/* def index + 1, 0 when empty */
	size_t		 hcap;
	size_t		*order;		/* defs by footnote number */
	size_t		 norder, caporder;

	struct buf	 out;
	int		 out_blank;	/* last emitted line is empty */
	unsigned	*outlines;
	size_t		 noutlines, capoutlines;
	unsigned	*heads;
	size_t		 ntables, capheads;
	struct buf	 refdefs;

	size_t		*ticks;		/* inline: last backtick run by length */
	size_t		 capticks;
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

/* The line without leading and trailing blanks. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int
is_label_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/*
 * A footnote label at s ("[^label]"): its length (label only), or 0.
 * kramdown: a word character, then word characters and hyphens.
 */
static size_t
footnote_label(const char *s, size_t n)
{
	size_t	i;

	if (n < 4 || s[0] != '[' || s[1] != '^' ||
	    !(isalnum((unsigned char)s[2]) || s[2] == '_'))
		return 0;
	for (i = 2; i < n && is_label_char(s[i]); i++)
		;
	if (i >= n || s[i] != ']')
		return 0;
	return i - 2;
}

/* "{:...}" or "{::...}" alone on its line: an IAL, ALD or extension. */
static int
is_ial(const char *s, size_t n)
{
	trim(&s, &n);
	return n >= 3 && s[0] == '{' && s[1] == ':' && s[n - 1] == '}';
}

/* A kramdown table rule line: "|---+---|", "|:--|--:|", "|===|". */
static int
is_rule(const char *s, size_t n)
{
	size_t	i;
	int	dash = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '=')
			dash = 1;
		else if (s[i] == '\0' || strchr("|+: \t", s[i]) == NULL)
			return 0;
	}
	return dash;
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
		while (i < n && i < 9 && isdigit((unsigned char)s[i]))
			i++;
		if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
			return 0;
		*may_interrupt = i == 1 && s[0] == '1' && n > 2 &&
		    !is_blank(s + 2, n - 2);
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

static int
has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t	l = strlen(p);

	return n >= l && strncasecmp(s, p, l) == 0;
}

static int
contains_ci(const char *s, size_t n, const char *p)
{
	size_t	i, l = strlen(p);

	for (i = 0; i + l <= n; i++)
		if (strncasecmp(s + i, p, l) == 0)
			return 1;
	return 0;
}

static const char *const html_block_tags[] = {
	"address", "article", "aside", "base", "basefont", "blockquote",
	"body", "caption", "center", "col", "colgroup", "dd", "details",
	"dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
	"figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
	"h4", "h5", "h6", "head", "header", "hr", "html", "iframe",
	"legend", "li", "link", "main", "menu", "menuitem", "nav",
	"noframes", "ol", "optgroup", "option", "p", "param", "section",
	"source", "summary", "table", "tbody", "td", "tfoot", "th",
	"thead", "title", "tr", "track", "ul",
};

static const char *const html_end[] = {
	NULL, "</script>", "-->", "?>", ">", "]]>",
};

/* Type 7: one complete open or closing tag alone on its line. */
static int
lone_tag(const char *s, size_t n, size_t j)
{
	size_t	i;
	char	q = 0;

	if (j >= n || !isalpha((unsigned char)s[j]))
		return 0;
	for (i = j; i < n; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			return is_blank(s + i + 1, n - i - 1);
		else if (s[i] == '<')
			return 0;
	}
	return 0;
}

/* The CommonMark HTML block type starting at s, or 0. */
static int
html_start(const char *s, size_t n, int para_open)
{
	static const char *const raw[] = { "script", "pre", "style",
	    "textarea" };
	size_t	i, l, j;

	if (n < 2 || s[0] != '<')
		return 0;
	for (i = 0; i < nitems(raw); i++) {
		l = strlen(raw[i]);
		if (has_prefix_ci(s + 1, n - 1, raw[i]) && (n == l + 1 ||
		    s[l + 1] == ' ' || s[l + 1] == '\t' || s[l + 1] == '>'))
			return 1;
	}
	if (has_prefix_ci(s, n, "<!--"))
		return 2;
	if (s[1] == '?')
		return 3;
	if (s[1] == '!' && n > 2 && isalpha((unsigned char)s[2]))
		return 4;
	if (has_prefix_ci(s, n, "<![CDATA["))
		return 5;
	j = s[1] == '/' ? 2 : 1;
	for (l = j; l < n && isalnum((unsigned char)s[l]); l++)
		;
	if (l == j)
		return 0;
	for (i = 0; i < nitems(html_block_tags); i++)
		if (strlen(html_block_tags[i]) == l - j &&
		    strncasecmp(s + j, html_block_tags[i], l - j) == 0 &&
		    (l == n || s[l] == ' ' || s[l] == '\t' || s[l] == '>' ||
		    (s[l] == '/' && l + 1 < n && s[l + 1] == '>')))
			return 6;
	return !para_open && lone_tag(s, n, j) ? 7 : 0;
}

static int
html_ends(int type, const char *s, size_t n)
{
	if (type == 1)
		return contains_ci(s, n, "</script>") ||
		    contains_ci(s, n, "</pre>") ||
		    contains_ci(s, n, "</style>") ||
		    contains_ci(s, n, "</textarea>");
	return type < 6 && contains_ci(s, n, html_end[type]);
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

static size_t
def_find(const struct kctx *k, const char *label, size_t n)
{
	size_t	i, d;

	if (k->hcap == 0)
		return NONE;
	for (i = hash_label(label, n) & (k->hcap - 1); k->htab[i] != 0;
	    i = (i + 1) & (k->hcap - 1)) {
		d = k->htab[i] - 1;
		if (strlen(k->defs[d].label) == n &&
		    memcmp(k->defs[d].label, label, n) == 0)
			return d;
	}
	return NONE;
}

static void
hash_insert(struct kctx *k, size_t d)
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
def_add(struct kctx *k, const char *label, size_t n, size_t line)
{
	struct fndef	*d;
	size_t		 i;
	int		 dup;

	if ((dup = def_find(k, label, n) != NONE))
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
def_append(struct kctx *k, struct scan *st, const char *s, size_t n)
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

/*
 * First pass: classify one line (and maybe the next).  Returns the
 * number of lines consumed.
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

static int
in_fence_line(struct scan *st, const char *s, size_t n, enum lkind *kind)
{
	size_t		pos;
	unsigned	ind = indent_of(s, n, &pos);

	if (ind >= st->fence_base && ind - st->fence_base <= 3 &&
	    is_fence_close(st, s + pos, n - pos)) {
		st->in_fence = 0;
		st->para_open = 0;
		*kind = LK_CODE;
		return 1;
	}
	if (!is_blank(s, n) && ind < st->fence_base) {
		st->in_fence = 0;	/* its list item ended */
		return 0;
	}
	*kind = LK_CODE;
	return 1;
}

/* Footnote definition continuation; 1 when the line belongs to it. */
static int
in_footnote_line(struct kctx *k, struct scan *st, const char *s, size_t n,
    enum lkind *kind)
{
	size_t		pos;
	unsigned	ind;

	if (is_blank(s, n)) {
		st->fn_blanks++;
		*kind = LK_BLANK;
		return 1;
	}
	ind = indent_of(s, n, &pos);
	/* kramdown takes lazy lines after an indented one; a new
	 * definition starts its own footnote. */
	if (ind >= 4 || (st->fn_blanks == 0 && st->fn_indented &&
	    !is_ial(s, n) && footnote_label(s + pos, n - pos) == 0)) {
		def_append(k, st, s, n);
		st->fn_indented |= ind >= 4;
		*kind = LK_DROP;
		return 1;
	}
	st->fn = NONE;
	st->fn_blanks = 0;
	return 0;
}

/* "* ToC" followed by "{:toc}": both lines go. */
static int
is_toc(const char *s, size_t n, const char *next, size_t nnext)
{
	static const char *const names[] = { "ToC", "TOC",
	    "Table of contents" };
	size_t	i, m, l;
	int	dummy;

	if (next == NULL || (m = list_marker(s, n, &dummy)) == 0)
		return 0;
	s += m;
	n -= m;
	trim(&s, &n);
	trim(&next, &nnext);
	if (nnext != 6 || memcmp(next, "{:toc}", 6) != 0)
		return 0;
	for (i = 0; i < nitems(names); i++) {
		l = strlen(names[i]);
		if (n == l && memcmp(s, names[i], l) == 0)
			return 1;
	}
	return 0;
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

static void
start_footnote(struct kctx *k, struct scan *st, const char *s, size_t n,
    size_t line)
{
	size_t	l = footnote_label(s, n);
	size_t	i = l + 4;

	st->fn = def_add(k, s + 2, l, line);
	st->fn_blanks = 0;
	st->fn_indented = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	buf_append(&k->defs[st->fn].text, s + i, n - i);
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

/* A line that may start a block (outside blockquotes); else text. */
static enum lkind
block_line(struct kctx *k, struct scan *st, size_t li, int prev_refdef,
    unsigned ind, const char *s, size_t n, int *unit_start)
{
	size_t		m, i;
	unsigned	w;
	int		may;

	if ((m = fence_open(s, n)) != 0) {
		pop_lists(st, ind);
		start_fence(st, li, s[0], m, list_base(st), 0);
		return LK_CODE;
	}
	if ((st->html_type = html_start(s, n, st->para_open)) != 0) {
		pop_lists(st, ind);
		if (html_ends(st->html_type, s, n))
			st->html_type = 0;
		st->para_open = 0;
		return LK_HTML;
	}
	if (is_heading(s, n) || is_hrule(s, n)) {
		pop_lists(st, ind);
		*unit_start = 1;
		st->para_open = 0;
		return LK_TEXT;
	}
	if (!st->para_open && (m = footnote_label(s, n)) != 0 &&
	    m + 3 < n && s[m + 3] == ':') {
		start_footnote(k, st, s, n, li);
		st->prev_blank = 1;
		return LK_DROP;
	}
	if ((!st->para_open || prev_refdef) && is_refdef(s, n)) {
		buf_append(&k->refdefs, s, n);
		buf_putc(&k->refdefs, '\n');
		st->prev_refdef = 1;
		st->para_open = 1;
		return LK_TEXT;
	}
	if ((m = list_marker(s, n, &may)) != 0 && (!st->para_open || may)) {
		for (i = m, w = 0; i < n && w < 5 && s[i] == ' '; i++)
			w++;
		if (w == 0 || w > 4 || i == n)
			w = 1;
		pop_lists(st, ind);
		if (st->nlists < LIST_MAX)
			st->lists[st->nlists++] = ind + (unsigned)m + w;
		*unit_start = 1;
	}
	st->para_open = 1;
	return LK_TEXT;
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
static enum lkind
quote_line(struct scan *st, size_t li, const char *s, size_t n, size_t q)
{
	size_t		pos, m;
	unsigned	ind = indent_of(s, n, &pos);

	if (q != st->quote_q)
		st->para_open = 0;
	st->quote_q = q;
	if (pos == n) {
		st->para_open = 0;
		return LK_TEXT;
	}
	if (ind <= 3 && (m = fence_open(s + pos, n - pos)) != 0) {
		start_fence(st, li, s[pos], m, 0, q);
		return LK_CODE;
	}
	if (!st->para_open && ind >= 4)
		return LK_CODE;
	st->para_open = !is_heading(s + pos, n - pos);
	return LK_TEXT;
}

static size_t
classify(struct kctx *k, struct scan *st, size_t li)
{
	struct kline	*l = &k->lines[li];
	const char	*s = k->src + l->off, *next = NULL;
	size_t		 n = l->len, pos, nnext = 0;
	size_t		 q, off;
	unsigned	 ind;
	int		 prev_refdef = st->prev_refdef;

	st->prev_refdef = 0;
	if (st->in_fence) {
		off = quote_strip(s, n, st->fence_q, &q);
		if (q < st->fence_q)
			st->in_fence = 0;	/* its blockquote ended */
		else if (in_fence_line(st, s + off, n - off, &l->kind))
			return 1;
	}
	if (st->html_type) {
		if (st->html_type < 6 || !is_blank(s, n)) {
			if (html_ends(st->html_type, s, n))
				st->html_type = 0;
			l->kind = LK_HTML;
			return 1;
		}
		st->html_type = 0;
	}
	if (st->fn != NONE && in_footnote_line(k, st, s, n, &l->kind))
		return 1;
	if (is_blank(s, n)) {
		l->kind = LK_BLANK;
		st->prev_blank = 1;
		st->para_open = 0;
		st->quote_q = 0;
		return 1;
	}
	ind = indent_of(s, n, &pos);
	if (st->in_icode) {
		if (ind >= st->icode_base + 4) {
			l->kind = LK_CODE;
			return 1;
		}
		st->in_icode = 0;
	}
	if (st->prev_blank)
		pop_lists(st, ind);
	if (!st->para_open && ind >= list_base(st) + 4) {
		st->in_icode = 1;
		st->icode_base = list_base(st);
		l->kind = LK_CODE;
		st->prev_blank = 0;
		return 1;
	}
	st->prev_blank = 0;
	off = quote_strip(s, n, SIZE_MAX, &q);
	if (q > 0) {
		l->kind = quote_line(st, li, s + off, n - off, q);
		return 1;
	}
	st->quote_q = 0;
	if (li + 1 < k->nlines) {
		next = k->src + l[1].off;
		nnext = l[1].len;
	}
	if (ind <= 3 && is_toc(s + pos, n - pos, next, nnext)) {
		l[0].kind = l[1].kind = LK_DROP;
		st->prev_blank = 1;
		st->para_open = 0;
		return 2;
	}
	if (is_ial(s, n)) {
		l->kind = LK_DROP;
		st->prev_blank = 1;
		st->para_open = 0;
		return 1;
	}
	if (ind <= 3 && s[pos] == '|') {
		l->kind = LK_TABLE;
		st->para_open = 0;
		return 1;
	}
	if (ind < list_base(st) + 4)
		l->kind = block_line(k, st, li, prev_refdef, ind, s + pos,
		    n - pos, &l->unit_start);
	else
		l->kind = LK_TEXT;	/* continuation of a paragraph */
	return 1;
}

static void
split_lines(struct kctx *k)
{
	size_t	 off = 0;
	char	*nl;

	while (off < k->len) {
		xgrowarray(&k->lines, &k->caplines, k->nlines + 1,
		    sizeof(*k->lines));
		nl = memchr(k->src + off, '\n', k->len - off);
		k->lines[k->nlines].off = off;
		k->lines[k->nlines].len = nl ? (size_t)(nl - k->src) - off :
		    k->len - off;
		k->lines[k->nlines].nl = nl != NULL;
		k->lines[k->nlines].kind = LK_TEXT;
		k->lines[k->nlines].unit_start = 0;
		off += k->lines[k->nlines].len + (nl != NULL);
		k->nlines++;
	}
}

/*
 * Output.
 */

/* End the output line that came from source line li. */
static void
end_line(struct kctx *k, size_t li, int nl, int blank)
{
	if (nl)
		buf_putc(&k->out, '\n');
	xgrowarray(&k->outlines, &k->capoutlines, k->noutlines + 1,
	    sizeof(*k->outlines));
	k->outlines[k->noutlines++] = linemap_line(k->map, li);
	k->out_blank = blank;
}

static void
emit_line(struct kctx *k, size_t li, const char *s, size_t n, int nl)
{
	if (n == 0 && !nl)
		return;		/* an empty last line is no line */
	buf_append(&k->out, s, n);
	end_line(k, li, nl, is_blank(s, n));
}

/*
 * Inline rewrites: footnote references and link destinations, outside
 * code spans and backslash escapes.
 */

/* The code spans of one piece of inline text, found in linear time. */
struct spans {
	struct kctx	*k;
	const char	*s;
	size_t		 n;
	int		 scanned_all;
};

static size_t
tick_run(const char *s, size_t n, size_t i)
{
	size_t	j = i;

	while (j < n && s[j] == '`')
		j++;
	return j - i;
}

static void
spans_init(struct spans *sp, struct kctx *k, const char *s, size_t n)
{
	size_t	i, r, maxrun = 0;

	const char	*p;

	sp->k = k;
	sp->s = s;
	sp->n = n;
	sp->scanned_all = 0;
	for (i = 0; (p = memchr(s + i, '`', n - i)) != NULL; i += r) {
		i = (size_t)(p - s);
		if ((r = tick_run(s, n, i)) > maxrun)
			maxrun = r;
	}
	xgrowarray(&k->ticks, &k->capticks, maxrun + 1, sizeof(*k->ticks));
	for (i = 0; i <= maxrun; i++)
		k->ticks[i] = NONE;
}

/*
 * At the backtick run at i: the end of the code span it opens, or of
 * the run alone when nothing closes it.  Linear over the text: ticks[]
 * holds the last run of each length seen, so once a scan has reached
 * the end, a missing closer is known at once.
 */
static size_t
spans_skip(struct spans *sp, size_t i)
{
	size_t	*last = sp->k->ticks;
	size_t	 len = tick_run(sp->s, sp->n, i), p, r;

	if (sp->scanned_all && (last[len] == NONE || last[len] <= i))
		return i + len;
	for (p = i + len; p < sp->n; p += r ? r : 1) {
		if ((r = sp->s[p] == '`' ? tick_run(sp->s, sp->n, p) : 0) == 0)
			continue;
		if (last[r] == NONE || last[r] < p)
			last[r] = p;
		if (r == len)
			return p + r;
	}
	sp->scanned_all = 1;
	return i + len;
}

/* A reference to definition d: its number, given at first reference. */
static void
footnote_ref(struct kctx *k, size_t d, struct buf *out)
{
	if (k->defs[d].number == 0) {
		xgrowarray(&k->order, &k->caporder, k->norder + 1,
		    sizeof(*k->order));
		k->order[k->norder++] = d;
		k->defs[d].number = (int)k->norder;
	}
	buf_printf(out, "\\[%d\\]", k->defs[d].number);
}

/* Scan a link title starting at p; the position after it, or NONE. */
static size_t
skip_title(const char *s, size_t n, size_t p)
{
	char	close;

	if (p >= n || (s[p] != '"' && s[p] != '\'' && s[p] != '('))
		return NONE;
	close = s[p] == '(' ? ')' : s[p];
	for (p++; p < n; p++) {
		if (s[p] == '\\' && p + 1 < n)
			p++;
		else if (s[p] == close)
			return p + 1;
		else if (close == ')' && s[p] == '(')
			return NONE;
	}
	return NONE;
}

/*
 * At "](" (i is the ']'): the end of a destination that needs <...>
 * (contains '_' or '*', no blank or angle bracket) and is followed by
 * ')' or a title, or NONE.
 */
static size_t
risky_dest(const char *s, size_t n, size_t i, size_t *startp)
{
	size_t	p = i + 2, start, depth = 0;
	int	risky = 0;

	start = p;
	for (; p < n; p++) {
		if (s[p] == '\\' && p + 1 < n && ispunct((unsigned char)s[p + 1]))
			p++;
		else if (s[p] == '<' || s[p] == '>')
			return NONE;
		else if (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' ||
		    (unsigned char)s[p] < 0x20)
			break;
		else if (s[p] == '_' || s[p] == '*')
			risky = 1;
		else if (s[p] == '(' && ++depth > DEST_MAXPARENS)
			return NONE;
		else if (s[p] == ')' && depth-- == 0)
			break;
	}
	if (!risky || p == start || p >= n)
		return NONE;
	*startp = start;
	if (s[p] == ')')
		return p;
	i = p;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	if ((i = skip_title(s, n, i)) == NONE)
		return NONE;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	return i < n && s[i] == ')' ? p : NONE;
}

/* A reference without definition stays literal, escaped for md4c. */
static void
footnote_undefined(struct kctx *k, const char *label, size_t l,
    unsigned line, struct buf *out)
{
	diag_add(k->diags, DIAG_WARNING, k->file, line, 0,
	    "footnote '%.*s' is referenced but not defined", (int)l, label);
	buf_puts(out, "\\[^");
	buf_append(out, label, l);
	buf_puts(out, "\\]");
}

/* The bytes inline_rewrite looks at; runs of others are copied. */
static const unsigned char rewrite_byte[256] = {
	['\\'] = 1, ['`'] = 1, ['['] = 1, [']'] = 1,
};

/*
 * Rewrite a piece of inline text that starts on file line `line` (for
 * warnings).  Newlines are copied as they are.
 */
static void
inline_rewrite(struct kctx *k, const char *s, size_t n, unsigned line,
    struct buf *out)
{
	struct spans	 sp;
	size_t		 i, l, d, start, end, run, depth = 0, deepest = 0;
	size_t		 counted = 0;

	spans_init(&sp, k, s, n);
	for (i = 0; i < n; ) {
		for (run = i; run < n && !rewrite_byte[(unsigned char)s[run]];
		    run++)
			;
		if (run > i) {
			buf_append(out, s + i, run - i);
			i = run;
		} else if (s[i] == '\\' && i + 1 < n &&
		    ispunct((unsigned char)s[i + 1])) {
			buf_append(out, s + i, 2);
			i += 2;
		} else if (s[i] == '`') {
			end = spans_skip(&sp, i);
			buf_append(out, s + i, end - i);
			i = end;
		} else if ((l = footnote_label(s + i, n - i)) != 0) {
			if ((d = def_find(k, s + i + 2, l)) != NONE)
				footnote_ref(k, d, out);
			else {
				for (; counted < i; counted++)
					line += s[counted] == '\n';
				footnote_undefined(k, s + i + 2, l, line, out);
			}
			i += l + 3;
		} else if (s[i] == ']' && depth > 0 && i + 1 < n &&
		    s[i + 1] == '(' &&
		    (end = risky_dest(s, n, i, &start)) != NONE) {
			depth--;
			buf_puts(out, "](<");
			buf_append(out, s + start, end - start);
			buf_putc(out, '>');
			i = end;
		} else {
			if (s[i] == '[' && ++depth > deepest)
				deepest = depth;
			else if (s[i] == ']' && depth > 0)
				depth--;
			buf_putc(out, s[i++]);
		}
	}
	if (deepest > BRACKETS_WARN)
		diag_add(k->diags, DIAG_WARNING, k->file, line, 1,
		    "brackets nested %zu deep: rendered, but a link cannot "
		    "hold a link, so most stay text", deepest);
}

/* A unit of text lines [a, b): rewritten as one piece. */
static void
emit_text(struct kctx *k, size_t a, size_t b)
{
	const struct kline	*la = &k->lines[a], *lb = &k->lines[b - 1];
	size_t			 i;

	inline_rewrite(k, k->src + la->off, lb->off + lb->len - la->off,
	    linemap_line(k->map, a), &k->out);
	/* The rewrites keep newlines: one output line per source line. */
	for (i = a; i + 1 < b; i++)
		end_line(k, i, 0, 0);
	end_line(k, b - 1, lb->nl, 0);
}

/*
 * Tables.
 */

struct cell {
	size_t	off, len;	/* in src */
};

struct trow {
	size_t	line;
	size_t	first, ncells;	/* into the cell array */
};

struct table {
	struct cell	*cells;
	size_t		 ncells, capcells;
	struct trow	*rows;
	size_t		 nrows, caprows;
	size_t		 ncols;
	size_t		 heads;		/* header rows */
	size_t		 sep;		/* line of the header rule, or NONE */
};

static void
add_cell(struct table *t, size_t off, size_t len)
{
	xgrowarray(&t->cells, &t->capcells, t->ncells + 1, sizeof(*t->cells));
	t->cells[t->ncells].off = off;
	t->cells[t->ncells].len = len;
	t->ncells++;
	t->rows[t->nrows - 1].ncells++;
}

/* Split a content row on pipes that are neither escaped nor in code. */
static void
split_row(struct kctx *k, struct table *t, size_t off, size_t n)
{
	const char	*s = k->src + off;
	struct spans	 sp;
	size_t		 i, start;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	spans_init(&sp, k, s, n);
	for (i = 0; s[i] != '|'; i++)
		;
	start = ++i;
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n)
			i += 2;
		else if (s[i] == '`')
			i = spans_skip(&sp, i);
		else if (s[i] == '|') {
			add_cell(t, off + start, i - start);
			start = ++i;
		} else
			i++;
	}
	if (start < n)
		add_cell(t, off + start, n - start);
}

static void
parse_table(struct kctx *k, size_t a, size_t b, struct table *t)
{
	const struct kline	*l;
	size_t			 i, content = 0;

	t->sep = NONE;
	t->heads = 0;
	for (i = a; i < b; i++) {
		l = &k->lines[i];
		if (is_rule(k->src + l->off, l->len)) {
			if (content > 0 && t->sep == NONE) {
				t->sep = i;
				t->heads = content;
			}
			continue;
		}
		xgrowarray(&t->rows, &t->caprows, t->nrows + 1,
		    sizeof(*t->rows));
		t->rows[t->nrows].line = i;
		t->rows[t->nrows].first = t->ncells;
		t->rows[t->nrows].ncells = 0;
		t->nrows++;
		content++;
		split_row(k, t, l->off, l->len);
		if (t->rows[t->nrows - 1].ncells > t->ncols)
			t->ncols = t->rows[t->nrows - 1].ncells;
	}
	if (t->heads == t->nrows) {	/* only a closing rule: no head */
		t->heads = 0;
		t->sep = NONE;
	}
	if (t->ncols == 0)
		t->ncols = 1;
}

/* The GFM alignment cell for one cell of the kramdown header rule. */
static const char *
align_cell(const char *c, size_t n)
{
	trim(&c, &n);
	if (n == 0 || c[0] != ':')
		return n > 0 && c[n - 1] == ':' ? "--:" : "---";
	return n > 1 && c[n - 1] == ':' ? ":-:" : ":--";
}

/* The GFM alignment row, from the kramdown header rule if there is one. */
static void
emit_aligns(struct kctx *k, const struct table *t, const char *indent,
    size_t nindent)
{
	const char	*s = "";
	size_t		 n = 0, i = 0, start, col = 0;

	if (t->sep != NONE) {
		s = k->src + k->lines[t->sep].off;
		n = k->lines[t->sep].len;
		while (s[i] != '|')
			i++;
		i++;
	}
	buf_append(&k->out, indent, nindent);
	buf_putc(&k->out, '|');
	for (start = i; i < n && col < t->ncols; i++) {
		if (s[i] != '|' && s[i] != '+')
			continue;
		buf_puts(&k->out, align_cell(s + start, i - start));
		buf_putc(&k->out, '|');
		start = i + 1;
		col++;
	}
	if (start < n && col < t->ncols) {	/* no closing pipe */
		buf_puts(&k->out, align_cell(s + start, n - start));
		buf_putc(&k->out, '|');
		col++;
	}
	for (; col < t->ncols; col++)
		buf_puts(&k->out, "---|");
	end_line(k, t->sep != NONE ? t->sep : t->rows[0].line, 1, 0);
}

static void
emit_row(struct kctx *k, const struct table *t, const struct trow *r,
    const char *indent, size_t nindent)
{
	const struct cell	*c;
	size_t			 i;

	buf_append(&k->out, indent, nindent);
	buf_putc(&k->out, '|');
	for (i = 0; i < t->ncols; i++) {
		if (r != NULL && i < r->ncells) {
			c = &t->cells[r->first + i];
			inline_rewrite(k, k->src + c->off, c->len,
			    linemap_line(k->map, r->line), &k->out);
		} else
			buf_putc(&k->out, ' ');
		buf_putc(&k->out, '|');
	}
	end_line(k, r ? r->line : t->rows[0].line, 1, 0);
}

static void
emit_table(struct kctx *k, size_t a, size_t b)
{
	struct table	 t;
	const char	*indent = k->src + k->lines[a].off;
	size_t		 nindent, i;

	memset(&t, 0, sizeof(t));
	parse_table(k, a, b, &t);
	indent_of(indent, k->lines[a].len, &nindent);
	if (t.nrows == 0 || t.ncols > TABLE_MAXCOLS) {
		if (t.nrows > 0)
			diag_add(k->diags, DIAG_WARNING, k->file,
			    linemap_line(k->map, a), 0,
			    "table with more than %d columns left as text",
			    TABLE_MAXCOLS);
		for (i = a; i < b; i++)
			emit_line(k, i, k->src + k->lines[i].off,
			    k->lines[i].len, k->lines[i].nl);
		goto done;
	}
	if (k->out.len > 0 && !k->out_blank)
		emit_line(k, a, "", 0, 1);
	emit_row(k, &t, t.heads ? &t.rows[0] : NULL, indent, nindent);
	emit_aligns(k, &t, indent, nindent);
	for (i = t.heads ? 1 : 0; i < t.nrows; i++)
		emit_row(k, &t, &t.rows[i], indent, nindent);
	xgrowarray(&k->heads, &k->capheads, k->ntables + 1, sizeof(*k->heads));
	k->heads[k->ntables++] = (unsigned)t.heads;
	if (b < k->nlines && k->lines[b].kind != LK_BLANK &&
	    k->lines[b].kind != LK_DROP)
		emit_line(k, b - 1, "", 0, 1);
done:
	free(t.cells);
	free(t.rows);
}

static void
emit_all(struct kctx *k)
{
	const struct kline	*l;
	size_t			 i, j;

	for (i = 0; i < k->nlines; i = j) {
		l = &k->lines[i];
		j = i + 1;
		switch (l->kind) {
		case LK_TABLE:
			while (j < k->nlines && k->lines[j].kind == LK_TABLE)
				j++;
			emit_table(k, i, j);
			break;
		case LK_TEXT:
			while (j < k->nlines && k->lines[j].kind == LK_TEXT &&
			    !k->lines[j].unit_start)
				j++;
			emit_text(k, i, j);
			break;
		case LK_DROP:
			emit_line(k, i, "", 0, l->nl);
			break;
		default:
			emit_line(k, i, k->src + l->off, l->len, l->nl);
			break;
		}
	}
}

/* Footnotes: rewrite their text (which may number more), then hand out. */
static void
finish_notes(struct kctx *k, struct kramdown_out *o)
{
	struct fndef	*d;
	struct buf	 t;
	size_t		 i;

	for (i = 0; i < k->norder; i++) {
		d = &k->defs[k->order[i]];
		memset(&t, 0, sizeof(t));
		buf_reserve(&t, 0);
		inline_rewrite(k, d->text.data ? d->text.data : "",
		    d->text.len, d->line, &t);
		buf_free(&d->text);
		d->text = t;
	}
	o->notes = xcalloc(k->norder, sizeof(*o->notes));
	o->nnotes = k->norder;
	for (i = 0; i < k->norder; i++) {
		d = &k->defs[k->order[i]];
		o->notes[i].label = d->label;
		o->notes[i].text = buf_detach(&d->text, NULL);
		o->notes[i].line = d->line;
		o->notes[i].number = d->number;
		d->label = NULL;
	}
	for (i = 0; i < k->ndefs; i++) {
		d = &k->defs[i];
		if (d->number == 0 && !d->dup)
			diag_add(k->diags, DIAG_WARNING, k->file, d->line, 0,
			    "footnote '%s' is defined but never referenced",
			    d->label);
		free(d->label);
		buf_free(&d->text);
	}
}

void
kramdown_pass(const char *src, size_t len, const char *file,
    const struct linemap *map, struct diags *diags, struct kramdown_out *o)
{
	struct kctx	 k;
	struct scan	 st;
	size_t		 i;

	memset(&k, 0, sizeof(k));
	memset(&st, 0, sizeof(st));
	memset(o, 0, sizeof(*o));
	k.src = src;
	k.len = len;
	k.file = file;
	k.map = map;
	k.diags = diags;
	st.fn = NONE;
	st.prev_blank = 1;

	buf_reserve(&k.out, len + len / 8);	/* escapes add a little */
	split_lines(&k);
	for (i = 0; i < k.nlines; )
		i += classify(&k, &st, i);
	if (st.in_fence)
		diag_add(diags, DIAG_WARNING, file,
		    linemap_line(map, st.fence_line), 1,
		    "code block never closed: it runs to the end of the file");
	emit_all(&k);
	finish_notes(&k, o);

	o->markdown = buf_detach(&k.out, &o->len);
	o->refdefs = buf_detach(&k.refdefs, NULL);
	o->table_heads = k.heads;
	o->ntables = k.ntables;
	o->lines = k.outlines;
	o->nlines = k.noutlines;
	free(k.lines);
	free(k.defs);
	free(k.htab);
	free(k.order);
	free(k.ticks);
}

void
kramdown_out_free(struct kramdown_out *o)
{
	size_t	i;

	for (i = 0; i < o->nnotes; i++) {
		free(o->notes[i].label);
		free(o->notes[i].text);
	}
	free(o->notes);
	free(o->markdown);
	free(o->table_heads);
	free(o->refdefs);
	free(o->lines);
	memset(o, 0, sizeof(*o));
}
