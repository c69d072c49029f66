/*
 * The kramdown pass, output: the text md4c parses, built from the
 * segments the scanner made.  Code verbatim; HTML as placeholders
 * (fenced code blocks whose info names the piece of HTML the renderer
 * reads); math blocks as code blocks with the language "math";
 * definition terms between <dt> placeholders and definitions as list
 * items; kramdown tables as GFM tables; the inline rewrites on text.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define TABLE_MAXCOLS	128	/* md4c's own limit (TABLE_MAXCOLCOUNT) */

static const char *
seg_text(const struct kramdown_ctx *k, const struct kramdown_seg *g)
{
	return (g->synth ? k->synth.data : k->src) + g->off;
}

/* The segment ends a line of the output (not the text's last byte). */
static bool
seg_nl(const struct kramdown_ctx *k, const struct kramdown_seg *g)
{
	const struct kramdown_phys *p = &k->phys[g->last];

	return g->synth || g->off + g->len < p->off + p->len || p->nl;
}

/*
 * The indentation of what is written in a segment's place, on a line
 * of its own (the text's last line may have had no line end).
 */
static void
put_indent(struct kramdown_ctx *k, const struct kramdown_seg *g)
{
	if (k->out.len > 0 && k->out.data[k->out.len - 1] != '\n')
		buf_putc(&k->out, '\n');
	buf_spaces(&k->out, g->indent);
}

/* End the output line that came from physical line li. */
static void
end_line(struct kramdown_ctx *k, size_t li, int nl, int blank)
{
	if (nl)
		buf_putc(&k->out, '\n');
	xgrowarray(&k->outlines, &k->capoutlines, k->noutlines + 1,
	    sizeof(*k->outlines));
	k->outlines[k->noutlines++] = linemap_line(k->map, li);
	k->out_blank = blank;
}

static void
emit_line(struct kramdown_ctx *k, size_t li, const char *s, size_t n, int nl)
{
	size_t	i;

	if (n == 0 && !nl)
		return;		/* an empty last line is no line */
	buf_append(&k->out, s, n);
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	end_line(k, li, nl, i == n);
}

/*
 * A synthetic piece of HTML at the end of line `line` (the end tags of
 * elements never closed).
 */
void
kramdown_synthetic(struct kramdown_ctx *k, size_t line, const char *fmt, ...)
{
	struct kramdown_seg	*g;
	va_list			 ap;
	size_t			 off = k->synth.len;

	va_start(ap, fmt);
	buf_vprintf(&k->synth, fmt, ap);
	va_end(ap);
	xgrowarray(&k->segs, &k->capsegs, k->nsegs + 1, sizeof(*k->segs));
	g = &k->segs[k->nsegs++];
	memset(g, 0, sizeof(*g));
	g->off = off;
	g->len = k->synth.len - off;
	g->line = g->last = line;
	g->kind = KD_HTML;
	g->synth = true;
}

/* A placeholder for the HTML text s (n bytes): two lines. */
static void
emit_placeholder(struct kramdown_ctx *k, const struct kramdown_seg *g,
    const char *s, size_t n)
{
	struct kramdown_html	*h;

	xgrowarray(&k->html, &k->caphtml, k->nhtml + 1, sizeof(*k->html));
	h = &k->html[k->nhtml];
	h->text = xstrndup(s, n);
	h->len = n;
	h->line = linemap_line(k->map, g->line);
	put_indent(k, g);
	buf_printf(&k->out, "```" KRAMDOWN_HTML_INFO " %zu", k->nhtml++);
	end_line(k, g->line, 1, 0);
	put_indent(k, g);
	buf_puts(&k->out, "```");
	end_line(k, g->last, 1, 0);
}

/*
 * Text md4c would read as the start of a block (a heading, a quote, a
 * list item, a fence, a rule) gets a backslash.
 */
static void
escape_start(struct buf *out, const char *s, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n && i < 9 && isdigit((unsigned char)s[i]); i++)
		;
	j = i;
	if (i > 0 && i < n && (s[i] == '.' || s[i] == ')'))
		j = i + 1;
	else if (n > 0 && strchr("#>*-+", *s) != NULL) {
		for (j = 1; *s == '#' && j < n && s[j] == '#'; j++)
			;
		if (*s == '>')
			j = 0;
	} else if (n >= 3 && (memcmp(s, "```", 3) == 0 ||
	    memcmp(s, "~~~", 3) == 0 || memcmp(s, "___", 3) == 0))
		j = 0;
	else
		return;
	if (j == 0 || j >= n || s[j] == ' ' || s[j] == '\t' ||
	    strspn(s, "*- ") == n) {
		buf_append(out, s, i);
		buf_putc(out, '\\');
	}
}

/*
 * Span-level text (the content of an HTML element read as spans, a
 * definition term): one line, whatever the line breaks in it.
 */
static void
emit_span_line(struct kramdown_ctx *k, const struct kramdown_seg *g)
{
	const char	*s = seg_text(k, g);
	size_t		 n = g->len, start = k->out.len, i;

	kramdown_trim(&s, &n);
	put_indent(k, g);
	start = k->out.len;
	escape_start(&k->out, s, n);
	kramdown_inline(k, s, n, linemap_line(k->map, g->line), &k->out);
	for (i = start; i < k->out.len; i++)
		if (k->out.data[i] == '\n')
			k->out.data[i] = ' ';
	end_line(k, g->line, 1, 0);
}

/*
 * kramdown's LIST_ITEM_IAL: an attribute list first in an item's (a
 * definition's, a term's) text goes, with the blanks after it.  The
 * length of what goes after the *pre blanks before it, 0 if none.
 */
static size_t
item_ial(const char *s, size_t n, size_t *pre)
{
	size_t	i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*pre = i;
	if (n - i < 4 || s[i] != '{' || s[i + 1] != ':' || s[i + 2] == ':' ||
	    s[i + 2] == '/')
		return 0;
	for (j = i + 2; j < n && (isalnum((unsigned char)s[j]) ||
	    s[j] == '_' || s[j] == '-'); j++)
		;
	if (j < n && s[j] == ':' && j > i + 2)
		return 0;		/* {:name: ...}: a definition */
	/* The list ends on its line: a line end is no part of it. */
	for (; j < n && s[j] != '}' && s[j] != '\n'; j++)
		if (s[j] == '\\' && j + 1 < n && s[j + 1] != '\n')
			j++;
	if (j >= n || s[j] == '\n')
		return 0;
	for (j++; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
		;
	return j - i;
}

/* A definition term: <dt>, its text (its attribute list out), </dt>. */
static void
emit_term(struct kramdown_ctx *k, const struct kramdown_seg *g)
{
	struct kramdown_seg	 t = *g;
	size_t			 pre, skip;

	skip = item_ial(seg_text(k, g), g->len, &pre);
	t.off += pre + skip;
	t.len -= pre + skip;
	emit_placeholder(k, g, "<dt>", 4);
	emit_span_line(k, &t);
	emit_placeholder(k, g, "</dt>", 5);
}

/* A math block: a code block with the language "math". */
static void
emit_math(struct kramdown_ctx *k, const struct kramdown_seg *g)
{
	const char	*s = seg_text(k, g), *p, *nl;
	size_t		 n = g->len, i, run = 0, r, fence;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	for (i = 0; i < n; i += r + 1)
		if ((r = strspn(s + i, "`")) > run)
			run = r;
	fence = run < 3 ? 3 : run + 1;
	put_indent(k, g);
	for (i = 0; i < fence; i++)
		buf_putc(&k->out, '`');
	buf_puts(&k->out, "math");
	end_line(k, g->line, 1, 0);
	for (p = s; p < s + n; p = nl + 1) {
		if ((nl = memchr(p, '\n', s + n - p)) == NULL)
			nl = s + n;
		put_indent(k, g);
		buf_append(&k->out, p, nl - p);
		end_line(k, g->line, 1, 0);
	}
	put_indent(k, g);
	for (i = 0; i < fence; i++)
		buf_putc(&k->out, '`');
	end_line(k, g->last, 1, 0);
}

/* Segments a..b-1 are one piece of text: lines that follow each other. */
static bool
text_continues(const struct kramdown_ctx *k, size_t a)
{
	const struct kramdown_seg *g = &k->segs[a], *h = &k->segs[a + 1];

	return h->kind == KD_TEXT && !h->unit_start && !h->synth && !g->refdef &&
	    g->off + g->len == k->phys[g->line].off + k->phys[g->line].len &&
	    h->off == k->phys[h->line].off && h->line == g->line + 1;
}

/*
 * kramdown numbers a list from 1 (or its start="N"), whatever the
 * source says: the first number is written so, in as many columns.
 */
static void
renumber(struct kramdown_ctx *k, const struct kramdown_seg *g,
    const char **s, size_t *n)
{
	const char	*p = *s, *end = *s + *n;
	size_t		 digits, w, pad;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (digits = 0; p + digits < end && isdigit((unsigned char)p[digits]);
	    digits++)
		;
	buf_append(&k->out, *s, p - *s);
	w = k->out.len;
	buf_printf(&k->out, "%u.", g->ol_start ? g->ol_start : 1);
	w = k->out.len - w;
	/* The content column stays where it was, within md4c's limit. */
	for (pad = digits + 1; pad > w && pad - w < 4; pad--)
		buf_putc(&k->out, ' ');
	p += digits + 1;
	*n = end - p;
	*s = p;
}

/* "1)" is no list marker for kramdown: md4c must not read one. */
static void
escape_paren(struct kramdown_ctx *k, const char **sp, size_t *np)
{
	const char	*s = *sp;
	size_t		 n = *np, i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (j = i; j < n && j - i < 9 && isdigit((unsigned char)s[j]); j++)
		;
	if (j > i && j < n && s[j] == ')' && (j + 1 == n || s[j + 1] == ' ' ||
	    s[j + 1] == '\t')) {
		buf_append(&k->out, s, j);
		buf_putc(&k->out, '\\');
		*sp = s + j;
		*np = n - j;
	}
}

/* A unit of text lines [a, b): rewritten as one piece. */
static void
emit_text(struct kramdown_ctx *k, size_t a, size_t b)
{
	const struct kramdown_seg *la = &k->segs[a], *lb = &k->segs[b - 1];
	const char		*s = k->src + la->off, *colon;
	size_t			 n = lb->off + lb->len - la->off, i, pre, skip;

	if (la->remainder)
		put_indent(k, la);
	if (la->ol)
		renumber(k, la, &s, &n);
	else if (!la->item)
		escape_paren(k, &s, &n);
	if (la->def && (colon = memchr(s, ':', n)) != NULL) {
		buf_append(&k->out, s, colon - s);
		buf_putc(&k->out, '-');
		n -= colon + 1 - s;
		s = colon + 1;
	} else if (la->item && !la->ol) {
		/* The bullet, as it is. */
		for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		buf_append(&k->out, s, i + 1);
		s += i + 1;
		n -= i + 1;
	}
	if ((la->item || la->def) && (skip = item_ial(s, n, &pre)) > 0) {
		buf_append(&k->out, s, pre);
		s += pre + skip;
		n -= pre + skip;
	}
	if (la->refdef)
		kramdown_refdef(s, n, &k->out);
	else
		kramdown_inline(k, s, n, linemap_line(k->map, la->line),
		    &k->out);
	/* The rewrites keep newlines: one output line per source line,
	 * but an empty last line (all of it taken out) is no line. */
	for (i = a; i + 1 < b; i++)
		end_line(k, k->segs[i].line, 0, 0);
	if (seg_nl(k, lb) || (k->out.len > 0 &&
	    k->out.data[k->out.len - 1] != '\n'))
		end_line(k, lb->line, seg_nl(k, lb), 0);
}

/*
 * Tables.
 */

struct kcell {
	size_t	off, len;	/* in src */
};

struct krow {
	size_t	line;
	size_t	first, ncells;	/* into the cell array */
};

struct ktable {
	struct kcell	*cells;
	size_t		 ncells, capcells;
	struct krow	*rows;
	size_t		 nrows, caprows;
	size_t		 ncols;
	size_t		 heads;		/* header rows */
	size_t		 sep;		/* segment of the header rule, or NONE */
	bool		 lead;		/* its first line starts with a pipe */
};

/* A kramdown table rule line: "|---+---|", "|:--|--:|", "|===|". */
bool
kramdown_table_rule(const char *s, size_t n)
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
 * TABLE_LINE, and a pipe outside code spans: a pipe first (after up
 * to three spaces), or after a character other than a backslash.
 */
bool
kramdown_table_line(struct kramdown_ctx *k, const char *s, size_t n)
{
	struct kramdown_spans	sp;
	size_t			i;

	for (i = 0; i < n && i < 3 && s[i] == ' '; i++)
		;
	if (i >= n || s[i] == ' ' || s[i] == '\t')
		return false;
	kramdown_spans_init(&sp, k, s, n);
	for (; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '`')
			i = kramdown_spans_skip(&sp, i) - 1;
		else if (s[i] == '|')
			return true;
	}
	return false;
}

/* Rows of lines from..to-1 in the table's body (not header rows). */
size_t
kramdown_table_body(struct kramdown_ctx *k, size_t from, size_t to)
{
	size_t	i, rows = 0, body = 0;
	bool	head = false;

	for (i = from; i < to; i++) {
		const char	*s = k->src + k->phys[i].off;
		size_t		 n = k->phys[i].len;

		if (kramdown_table_rule(s, n)) {
			if (rows > 0 && !head && memchr(s, '-', n) != NULL) {
				head = true;
				body = 0;
			}
			continue;
		}
		rows++;
		body++;
	}
	return body;
}

static void
add_cell(struct ktable *t, size_t off, size_t len)
{
	xgrowarray(&t->cells, &t->capcells, t->ncells + 1, sizeof(*t->cells));
	t->cells[t->ncells].off = off;
	t->cells[t->ncells].len = len;
	t->ncells++;
	t->rows[t->nrows - 1].ncells++;
}

static bool
cell_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * Split a content row on pipes that are neither escaped nor in code;
 * the first cell goes when the table starts with a pipe and it is
 * empty, the last when it is empty.
 */
static void
split_row(struct kramdown_ctx *k, struct ktable *t, size_t off, size_t n)
{
	const char		*s = k->src + off;
	struct kramdown_spans	 sp;
	struct krow		*r = &t->rows[t->nrows - 1];
	size_t			 i, start;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	kramdown_spans_init(&sp, k, s, n);
	for (start = i = 0; i < n; ) {
		if (s[i] == '\\' && i + 1 < n)
			i += 2;
		else if (s[i] == '`')
			i = kramdown_spans_skip(&sp, i);
		else if (s[i] == '|') {
			add_cell(t, off + start, i - start);
			start = ++i;
		} else
			i++;
	}
	add_cell(t, off + start, n - start);
	if (t->lead && cell_blank(k->src + t->cells[r->first].off,
	    t->cells[r->first].len)) {
		memmove(&t->cells[r->first], &t->cells[r->first + 1],
		    (r->ncells - 1) * sizeof(*t->cells));
		r->ncells--;
		t->ncells--;
	}
	if (r->ncells > 0 && cell_blank(k->src + t->cells[r->first +
	    r->ncells - 1].off, t->cells[r->first + r->ncells - 1].len)) {
		r->ncells--;
		t->ncells--;
	}
}

static void
parse_table(struct kramdown_ctx *k, size_t a, size_t b, struct ktable *t)
{
	const struct kramdown_seg	*l;
	size_t				 i, content = 0, pos;

	t->sep = KRAMDOWN_NONE;
	t->heads = 0;
	l = &k->segs[a];
	for (pos = 0; pos < l->len && k->src[l->off + pos] == ' '; pos++)
		;
	t->lead = pos < l->len && k->src[l->off + pos] == '|';
	for (i = a; i < b; i++) {
		l = &k->segs[i];
		if (kramdown_table_rule(k->src + l->off, l->len)) {
			if (content > 0 && t->sep == KRAMDOWN_NONE) {
				t->sep = i;
				t->heads = content;
			}
			continue;
		}
		xgrowarray(&t->rows, &t->caprows, t->nrows + 1,
		    sizeof(*t->rows));
		t->rows[t->nrows].line = l->line;
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
		t->sep = KRAMDOWN_NONE;
	}
	if (t->ncols == 0)
		t->ncols = 1;
}

/* The GFM alignment cell for one cell of the kramdown header rule. */
static const char *
align_cell(const char *c, size_t n)
{
	kramdown_trim(&c, &n);
	if (n == 0 || c[0] != ':')
		return n > 0 && c[n - 1] == ':' ? "--:" : "---";
	return n > 1 && c[n - 1] == ':' ? ":-:" : ":--";
}

/* The GFM alignment row, from the kramdown header rule if there is one. */
static void
emit_aligns(struct kramdown_ctx *k, const struct ktable *t, const char *indent,
    size_t nindent)
{
	const char	*s = "";
	size_t		 n = 0, i = 0, start, col = 0;

	if (t->sep != KRAMDOWN_NONE) {
		s = k->src + k->segs[t->sep].off;
		n = k->segs[t->sep].len;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '|')
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
	if (start < n && col < t->ncols && !cell_blank(s + start, n - start)) {
		buf_puts(&k->out, align_cell(s + start, n - start));
		buf_putc(&k->out, '|');
		col++;
	}
	for (; col < t->ncols; col++)
		buf_puts(&k->out, "---|");
	end_line(k, t->sep != KRAMDOWN_NONE ? k->segs[t->sep].line :
	    t->rows[0].line, 1, 0);
}

static void
emit_row(struct kramdown_ctx *k, const struct ktable *t, const struct krow *r,
    const char *indent, size_t nindent)
{
	const struct kcell	*c;
	size_t			 i;

	buf_append(&k->out, indent, nindent);
	buf_putc(&k->out, '|');
	for (i = 0; i < t->ncols; i++) {
		if (r != NULL && i < r->ncells) {
			c = &t->cells[r->first + i];
			kramdown_inline(k, k->src + c->off, c->len,
			    linemap_line(k->map, r->line), &k->out);
		} else
			buf_putc(&k->out, ' ');
		buf_putc(&k->out, '|');
	}
	end_line(k, r ? r->line : t->rows[0].line, 1, 0);
}

static void
emit_table(struct kramdown_ctx *k, size_t a, size_t b)
{
	struct ktable	 t;
	const char	*indent;
	size_t		 nindent, i;

	memset(&t, 0, sizeof(t));
	parse_table(k, a, b, &t);
	indent = k->src + k->segs[a].off;
	for (nindent = 0; nindent < k->segs[a].len && (indent[nindent] == ' ' ||
	    indent[nindent] == '\t'); nindent++)
		;
	if (t.nrows == 0 || t.ncols > TABLE_MAXCOLS) {
		if (t.nrows > 0)
			diag_add(k->diags, DIAG_WARNING, k->file,
			    linemap_line(k->map, k->segs[a].line), 0,
			    "table with more than %d columns left as text",
			    TABLE_MAXCOLS);
		for (i = a; i < b; i++)
			emit_line(k, k->segs[i].line, k->src + k->segs[i].off,
			    k->segs[i].len, seg_nl(k, &k->segs[i]));
		goto done;
	}
	if (k->out.len > 0 && !k->out_blank)
		emit_line(k, k->segs[a].line, "", 0, 1);
	emit_row(k, &t, t.heads ? &t.rows[0] : NULL, indent, nindent);
	emit_aligns(k, &t, indent, nindent);
	for (i = t.heads ? 1 : 0; i < t.nrows; i++)
		emit_row(k, &t, &t.rows[i], indent, nindent);
	xgrowarray(&k->heads, &k->capheads, k->ntables + 1, sizeof(*k->heads));
	k->heads[k->ntables++] = (unsigned)t.heads;
	if (b < k->nsegs && k->segs[b].kind != KD_BLANK &&
	    k->segs[b].kind != KD_DROP)
		emit_line(k, k->segs[b - 1].line, "", 0, 1);
done:
	free(t.cells);
	free(t.rows);
}

void
kramdown_emit(struct kramdown_ctx *k)
{
	const struct kramdown_seg	*l;
	size_t				 i, j;

	for (i = 0; i < k->nsegs; i = j) {
		l = &k->segs[i];
		j = i + 1;
		switch (l->kind) {
		case KD_TABLE:
			while (j < k->nsegs && k->segs[j].kind == KD_TABLE)
				j++;
			emit_table(k, i, j);
			break;
		case KD_TEXT:
			while (j < k->nsegs && text_continues(k, j - 1))
				j++;
			emit_text(k, i, j);
			break;
		case KD_HTML:
			emit_placeholder(k, l, seg_text(k, l), l->len);
			break;
		case KD_MATH:
			emit_math(k, l);
			break;
		case KD_TERM:
			emit_term(k, l);
			break;
		case KD_SPAN:
			emit_span_line(k, l);
			break;
		case KD_DROP:
			emit_line(k, l->line, "", 0, seg_nl(k, l));
			break;
		default:
			emit_line(k, l->line, k->src + l->off, l->len,
			    seg_nl(k, l));
			break;
		}
	}
}
