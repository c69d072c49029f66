#include <stdlib.h>
#include <string.h>

#include "model-int.h"

static char *
dup_or_null(const char *s)
{
	return (s == NULL || *s == '\0') ? NULL : xstrdup(s);
}

struct line *
doc_add(struct doc *d, enum line_kind kind, bool starts_block,
    const char *text)
{
	struct line	*l;

	xgrowarray(&d->lines, &d->cap, d->n + 1, sizeof(*d->lines));
	l = &d->lines[d->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->starts_block = starts_block;
	l->text = dup_or_null(text);
	return l;
}

struct line *
doc_add_link(struct doc *d, bool starts_block, const char *url,
    const char *label)
{
	struct line	*l;

	l = doc_add(d, LINE_LINK, starts_block, label);
	l->url = xstrdup(url);
	return l;
}

struct line *
doc_add_heading(struct doc *d, int level, const char *text)
{
	struct line	*l;

	l = doc_add(d, LINE_HEADING, true, text);
	l->level = level < 1 ? 1 : level > 6 ? 6 : level;
	return l;
}

struct line *
doc_add_pre(struct doc *d, const char *alt, const char *body)
{
	struct line	*l;

	l = doc_add(d, LINE_PRE, true, body);
	l->alt = dup_or_null(alt);
	return l;
}

void
doc_append(struct doc *dst, struct doc *src)
{
	if (src->n > 0) {
		xgrowarray(&dst->lines, &dst->cap, dst->n + src->n,
		    sizeof(*dst->lines));
		memcpy(dst->lines + dst->n, src->lines,
		    src->n * sizeof(*src->lines));
	}
	dst->n += src->n;
	free(src->lines);
	src->lines = NULL;
	src->n = src->cap = 0;
}

/* An exact copy ("" stays ""). */
static char *
copy_str(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
doc_append_copy(struct doc *dst, const struct doc *src)
{
	struct line	*l;
	size_t		 i;

	xgrowarray(&dst->lines, &dst->cap, dst->n + src->n,
	    sizeof(*dst->lines));
	for (i = 0; i < src->n; i++) {
		l = &dst->lines[dst->n++];
		*l = src->lines[i];
		l->text = copy_str(l->text);
		l->url = copy_str(l->url);
		l->alt = copy_str(l->alt);
		l->marker = copy_str(l->marker);
	}
}

void
doc_free(struct doc *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		free(d->lines[i].text);
		free(d->lines[i].url);
		free(d->lines[i].alt);
		free(d->lines[i].marker);
	}
	free(d->lines);
	d->lines = NULL;
	d->n = d->cap = 0;
}

/* Preformatted body: a line that would read as a toggle gets a space. */
static void
write_pre_body(const char *body, struct buf *out)
{
	const char	*p = body, *nl;
	size_t		 len;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= 3 && strncmp(p, "```", 3) == 0)
			buf_putc(out, ' ');
		buf_append(out, p, len);
		buf_putc(out, '\n');
		p = nl ? nl + 1 : NULL;
	}
}

const char *
doc_item_mark(int depth)
{
	return depth <= 0 ? "" : depth == 1 ? "\xe2\x97\xa6" :
	    "\xe2\x96\xaa";
}

/*
 * An item: "* text", or "N. text" as a text line; nested, a list line
 * with its mark and number: "* ◦ text", "* ◦ 2. text".
 */
static void
write_item(const struct line *l, struct buf *out)
{
	if (l->depth <= 0) {
		buf_puts(out, l->marker ? l->marker : "*");
		buf_putc(out, ' ');
		return;
	}
	buf_printf(out, "* %s ", doc_item_mark(l->depth));
	if (l->marker)
		buf_printf(out, "%s ", l->marker);
}

void
doc_write_gemtext(const struct doc *d, struct buf *out)
{
	const struct line	*l;
	size_t			 i;

	for (i = 0; i < d->n; i++) {
		l = &d->lines[i];
		if (i > 0 && l->starts_block)
			buf_putc(out, '\n');
		switch (l->kind) {
		case LINE_TEXT:
			break;
		case LINE_LINK:
			buf_puts(out, "=> ");
			buf_puts(out, l->url);
			if (l->text)
				buf_putc(out, ' ');
			break;
		case LINE_HEADING:
			/* Gemtext has three levels: deeper ones are ###. */
			buf_append(out, "###", l->level > 3 ? 3 :
			    (size_t)l->level);
			buf_putc(out, ' ');
			break;
		case LINE_ITEM:
			write_item(l, out);
			break;
		case LINE_QUOTE:
			buf_puts(out, "> ");
			break;
		case LINE_PRE:
			buf_puts(out, "```");
			buf_puts(out, l->alt ? l->alt : "");
			buf_putc(out, '\n');
			write_pre_body(l->text, out);
			buf_puts(out, "```\n");
			continue;
		}
		/* The prefix is out: the text and the line end. */
		buf_puts(out, l->text ? l->text : "");
		buf_putc(out, '\n');
	}
}
