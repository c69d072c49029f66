/*
 * Gopher menu recipes: the menu of a post or a page kept as references
 * to the lines of its type 0 text that it shares, and made when asked
 * for (gopher_recipe_expand), so that a snapshot holds each text once.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

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
recipe_close(struct gopher_recipe *r)
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
	return gopher_menu_expand_tabs(d, s, len);
}

/* A line of the text, from a to b, is also a line of the menu. */
void
gopher_recipe_share(struct gopher_recipe *r, const char *text, size_t a,
    size_t b)
{
	if (r->lit != NO_LIT || a != r->run_end) {
		recipe_close(r);
		r->run = a;
	}
	r->run_end = b;
	r->len += 1 + shared_line(NULL, text + a, b - a - 2) +
	    sizeof(GOPHER_INFO_END) - 1;
}

void
gopher_recipe_init(struct gopher_recipe *r)
{
	static const struct recipe_head	 head;

	memset(r, 0, sizeof(*r));
	r->lit = NO_LIT;
	buf_reserve(&r->ops, 1024);
	buf_append(&r->ops, &head, sizeof(head));
}

struct buf *
gopher_recipe_lines(struct gopher_recipe *r)
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
gopher_recipe_finish(struct gopher_recipe *r, const char *text)
{
	struct recipe_head	 head;

	recipe_close(r);
	head.text = text;
	head.len = r->len;
	memcpy(r->ops.data, &head, sizeof(head));
}

char *
gopher_recipe_expand(const char *recipe, size_t len, size_t *lenp)
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
			memcpy(d, GOPHER_INFO_END, sizeof(GOPHER_INFO_END) - 1);
			d += sizeof(GOPHER_INFO_END) - 1;
		}
	}
	*d = '\0';
	*lenp = d - menu;
	return menu;
}
