/*
 * The kramdown pass, inline: footnote references, link destinations
 * md4c would misread, inline math, span attribute lists and
 * extensions, outside code spans and backslash escapes; and the
 * footnotes handed to the renderer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define DEST_MAXPARENS	32	/* CommonMark's nesting limit in a destination */
#define BRACKETS_WARN	32	/* deeper bracket nesting is reported */
#define STOP_MAX	65536	/* how far an extension's stop tag may be */

static int
is_label_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/*
 * A footnote label at s ("[^label]"): its length (label only), or 0.
 * kramdown: a word character, then word characters and hyphens.
 */
size_t
kramdown_footnote_label(const char *s, size_t n)
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

static size_t
tick_run(const char *s, size_t n, size_t i)
{
	size_t	j = i;

	while (j < n && s[j] == '`')
		j++;
	return j - i;
}

void
kramdown_spans_init(struct kramdown_spans *sp, struct kramdown_ctx *k,
    const char *s, size_t n)
{
	size_t		 i, r, maxrun = 0;
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
		k->ticks[i] = KRAMDOWN_NONE;
}

/*
 * At the backtick run at i: the end of the code span it opens, or of
 * the run alone when nothing closes it.  Linear over the text: ticks[]
 * holds the last run of each length seen, so once a scan has reached
 * the end, a missing closer is known at once.
 */
size_t
kramdown_spans_skip(struct kramdown_spans *sp, size_t i)
{
	size_t	*last = sp->k->ticks;
	size_t	 len = tick_run(sp->s, sp->n, i), p, r;

	if (sp->scanned_all && (last[len] == KRAMDOWN_NONE || last[len] <= i))
		return i + len;
	for (p = i + len; p < sp->n; p += r ? r : 1) {
		if ((r = sp->s[p] == '`' ? tick_run(sp->s, sp->n, p) : 0) == 0)
			continue;
		if (last[r] == KRAMDOWN_NONE || last[r] < p)
			last[r] = p;
		if (r == len)
			return p + r;
	}
	sp->scanned_all = 1;
	return i + len;
}

/* A reference to definition d: its number, given at first reference. */
static void
footnote_ref(struct kramdown_ctx *k, size_t d, struct buf *out)
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
		return KRAMDOWN_NONE;
	close = s[p] == '(' ? ')' : s[p];
	for (p++; p < n; p++) {
		if (s[p] == '\\' && p + 1 < n)
			p++;
		else if (s[p] == close)
			return p + 1;
		else if (close == ')' && s[p] == '(')
			return KRAMDOWN_NONE;
	}
	return KRAMDOWN_NONE;
}

/*
 * At "](" (i is the ']'): the destination as kramdown reads it
 * (LINK_PAREN_STOP_RE): to the ')' that balances the '(', or to blanks
 * before a title's quote; blanks around it are not part of it.  When
 * md4c would read it otherwise (a blank in it, or a '_' or '*', which
 * can end an emphasis around the link), *startp and *endp are set to it
 * and the position where the text goes on (the ')' or the blanks before
 * the title) is returned; else NONE.
 */
static size_t
risky_dest(const char *s, size_t n, size_t i, size_t *startp, size_t *endp)
{
	size_t	p, depth = 1, start, end;
	int	risky = 0;

	for (p = i + 2; p < n; p++) {
		if (s[p] == '(' && ++depth > DEST_MAXPARENS)
			return KRAMDOWN_NONE;
		else if (s[p] == ')' && --depth == 0)
			break;
		else if ((s[p] == ' ' || s[p] == '\t' || s[p] == '\n') &&
		    p + 1 < n && (s[p + 1] == '"' || s[p + 1] == '\''))
			break;
		else if (s[p] == '<' || s[p] == '>' || s[p] == '\n' ||
		    (unsigned char)s[p] < 0x20)
			return KRAMDOWN_NONE;	/* md4c's <...> cannot */
	}
	if (p >= n)
		return KRAMDOWN_NONE;
	for (start = i + 2; start < p && (s[start] == ' ' || s[start] == '\t');
	    start++)
		;
	for (end = p; end > start && (s[end - 1] == ' ' || s[end - 1] == '\t');
	    end--)
		;
	for (i = start; i < end; i++)
		if (s[i] == '_' || s[i] == '*' || s[i] == ' ' || s[i] == '\t')
			risky = 1;
	if (!risky || end == start)
		return KRAMDOWN_NONE;
	if (s[p] != ')') {
		/* A title must follow: "text" or 'text', then ')'. */
		i = p;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if ((i = skip_title(s, n, i)) == KRAMDOWN_NONE)
			return KRAMDOWN_NONE;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i >= n || s[i] != ')')
			return KRAMDOWN_NONE;
	}
	*startp = start;
	*endp = end;
	return p;
}

/*
 * A link reference definition, its URL in <...> when it has blanks
 * (LINK_DEFINITION_START takes them; md4c would not).
 */
void
kramdown_refdef(const char *s, size_t n, struct buf *out)
{
	const char	*colon = memchr(s, ':', n), *u, *e, *t;

	if (colon == NULL || colon + 1 >= s + n)
		goto asis;
	for (u = colon + 1; u < s + n && (*u == ' ' || *u == '\t'); u++)
		;
	if (u >= s + n || *u == '<')
		goto asis;
	/* A title: blanks, then a quote; the URL is what comes before. */
	for (t = u; t < s + n; t++)
		if ((*t == ' ' || *t == '\t') && t + 1 < s + n &&
		    (t[1] == '"' || t[1] == '\''))
			break;
	for (e = t; e > u && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	if (memchr(u, ' ', e - u) == NULL && memchr(u, '\t', e - u) == NULL)
		goto asis;
	if (memchr(u, '>', e - u) != NULL)
		goto asis;
	buf_append(out, s, u - s);
	buf_putc(out, '<');
	buf_append(out, u, e - u);
	buf_putc(out, '>');
	buf_append(out, e, s + n - e);
	return;
asis:
	buf_append(out, s, n);
}

/* A reference without definition stays literal, escaped for md4c. */
static void
footnote_undefined(struct kramdown_ctx *k, const char *label, size_t l,
    unsigned line, struct buf *out)
{
	diag_add(k->diags, DIAG_WARNING, k->file, line, 0,
	    "footnote '%.*s' is referenced but not defined", (int)l, label);
	buf_puts(out, "\\[^");
	buf_append(out, label, l);
	buf_puts(out, "\\]");
}

/*
 * "$$...$$" at i (INLINE_MATH_START): its end, and the TeX written as
 * a code span that starts with KRAMDOWN_MATH_MARK (the renderer shows
 * it as it is, without backticks).  NONE when it is not closed.
 */
static size_t
inline_math(const char *s, size_t n, size_t i, struct buf *out)
{
	const char	*e;
	size_t		 start = i + 2, end, k, run = 0, r;

	e = kramdown_find(s + start, n - start, "$$");
	if (e == s + n)
		return KRAMDOWN_NONE;
	end = e - s;
	/* Blanks trimmed, line ends kept: one line out per line in. */
	while (start < end && (s[start] == ' ' || s[start] == '\t'))
		start++;
	for (k = end; k > start && (s[k - 1] == ' ' || s[k - 1] == '\t');
	    k--)
		;
	for (r = start; r < k; r += tick_run(s, k, r) + 1)
		if (s[r] == '`' && tick_run(s, k, r) > run)
			run = tick_run(s, k, r);
	for (r = 0; r <= run; r++)
		buf_putc(out, '`');
	buf_putc(out, KRAMDOWN_MATH_MARK);
	buf_append(out, s + start, k - start);
	if (k > start && s[k - 1] == '`')
		buf_putc(out, ' ');
	for (r = 0; r <= run; r++)
		buf_putc(out, '`');
	return end + 2;
}

/*
 * "{:...}" at i: a span attribute list, which kramdown applies to the
 * span element right before it (and takes out of the text), or an
 * extension "{::comment}...{:/comment}" (taken out with its content)
 * or "{::nomarkdown}...{:/nomarkdown}" (its content kept as it is).
 * Returns the end of what goes, or NONE when s[i] is text.
 */
static size_t
span_ial(const char *s, size_t n, size_t i, const struct buf *out)
{
	const char	*e, *stop;
	char		 prev = out->len ? out->data[out->len - 1] : '\0';
	size_t		 j, len;

	if (i + 2 >= n || s[i + 1] != ':')
		return KRAMDOWN_NONE;
	if (s[i + 2] == ':') {
		for (j = i + 3; j < n && (isalnum((unsigned char)s[j]) ||
		    s[j] == '_'); j++)
			;
		len = j - i - 3;
		if (len == 0 || (e = memchr(s + j, '}', n - j)) == NULL)
			return KRAMDOWN_NONE;
		if (e[-1] == '/')
			return e + 1 - s;	/* {::options .../} */
		if (!((len == 7 && memcmp(s + i + 3, "comment", 7) == 0) ||
		    (len == 10 && memcmp(s + i + 3, "nomarkdown", 10) == 0)))
			return KRAMDOWN_NONE;
		/* Looked for within a bounded distance: linear time. */
		if (n - (e - s) > STOP_MAX)
			n = (e - s) + STOP_MAX;
		for (stop = e; (stop = kramdown_find(stop, s + n - stop,
		    "{:/")) != s + n; stop++)
			if ((stop[3] == '}' || (s + n - stop > (long)len + 3 &&
			    memcmp(stop + 3, s + i + 3, len) == 0 &&
			    stop[3 + len] == '}')))
				break;
		if (stop == s + n)
			return KRAMDOWN_NONE;
		if (len == 10)
			return e + 1 - s;	/* the content stays */
		return (stop[3] == '}' ? stop + 4 : stop + 4 + len) - s;
	}
	/* An IAL right after a span element's end. */
	if (prev == '\0' || strchr("*_`])>", prev) == NULL)
		return KRAMDOWN_NONE;
	for (j = i + 2; j < n && s[j] != '}' && s[j] != '\n'; j++)
		if (s[j] == '\\' && j + 1 < n)
			j++;
	if (j >= n || s[j] != '}' || j == i + 2)
		return KRAMDOWN_NONE;
	return j + 1;
}

/* A "{:/nomarkdown}" or "{:/}" stop tag: taken out. */
static size_t
span_stop(const char *s, size_t n, size_t i)
{
	if (n - i >= 4 && memcmp(s + i, "{:/}", 4) == 0)
		return i + 4;
	if (n - i >= 14 && memcmp(s + i, "{:/nomarkdown}", 14) == 0)
		return i + 14;
	return KRAMDOWN_NONE;
}

/* The bytes kramdown_inline looks at; runs of others are copied. */
static const unsigned char rewrite_byte[256] = {
	['\\'] = 1, ['`'] = 1, ['['] = 1, [']'] = 1, ['$'] = 1, ['{'] = 1,
	['<'] = 1,
};

/*
 * Rewrite a piece of inline text that starts on file line `line` (for
 * warnings).  Newlines are copied as they are.
 */
void
kramdown_inline(struct kramdown_ctx *k, const char *s, size_t n,
    unsigned line, struct buf *out)
{
	struct kramdown_spans	 sp;
	size_t			 i, l, d, start, end, run, depth = 0;
	size_t			 deepest = 0, counted = 0;

	kramdown_spans_init(&sp, k, s, n);
	for (i = 0; i < n; ) {
		for (run = i; run < n && !rewrite_byte[(unsigned char)s[run]];
		    run++)
			;
		if (run > i) {
			buf_append(out, s + i, run - i);
			i = run;
		} else if (s[i] == '\\' && i + 2 < n && s[i + 1] == '<' &&
		    s[i + 2] == '<') {
			/* kramdown's "\<<" is "<<", no guillemet. */
			buf_puts(out, "\\<\\<");
			i += 3;
		} else if (s[i] == '\\' && i + 1 < n &&
		    ispunct((unsigned char)s[i + 1])) {
			buf_append(out, s + i, 2);
			i += 2;
		} else if (s[i] == '<' && i + 1 < n && s[i + 1] == '<') {
			/*
			 * kramdown's "<<" comes before a tag ("<<b>>" is
			 * "«b»"); md4c would read "<b>" as HTML.
			 */
			if (i + 2 < n && s[i + 2] == ' ') {
				buf_puts(out, "&laquo;&nbsp;");
				i += 3;
			} else {
				buf_puts(out, "&laquo;");
				i += 2;
			}
		} else if (s[i] == '`') {
			end = kramdown_spans_skip(&sp, i);
			buf_append(out, s + i, end - i);
			i = end;
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '$' &&
		    (end = inline_math(s, n, i, out)) != KRAMDOWN_NONE) {
			i = end;
		} else if (s[i] == '{' && ((end = span_ial(s, n, i, out)) !=
		    KRAMDOWN_NONE || (end = span_stop(s, n, i)) !=
		    KRAMDOWN_NONE)) {
			/* What goes keeps its line ends. */
			for (; i < end; i++)
				if (s[i] == '\n')
					buf_putc(out, '\n');
		} else if ((l = kramdown_footnote_label(s + i, n - i)) != 0) {
			if ((d = kramdown_def_find(k, s + i + 2, l)) !=
			    KRAMDOWN_NONE)
				footnote_ref(k, d, out);
			else {
				for (; counted < i; counted++)
					line += s[counted] == '\n';
				footnote_undefined(k, s + i + 2, l, line, out);
			}
			i += l + 3;
		} else if (s[i] == ']' && depth > 0 && i + 1 < n &&
		    s[i + 1] == '(' && (run = risky_dest(s, n, i, &start,
		    &end)) != KRAMDOWN_NONE) {
			depth--;
			buf_puts(out, "](<");
			buf_append(out, s + start, end - start);
			buf_putc(out, '>');
			i = run;
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

/* Footnotes: rewrite their text (which may number more), then hand out. */
void
kramdown_finish_notes(struct kramdown_ctx *k, struct kramdown_out *o)
{
	struct kramdown_fndef	*d;
	struct buf		 t;
	size_t			 i;

	for (i = 0; i < k->norder; i++) {
		d = &k->defs[k->order[i]];
		memset(&t, 0, sizeof(t));
		buf_reserve(&t, 0);
		kramdown_inline(k, d->text.data ? d->text.data : "",
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
