/*
 * md4c callbacks to the document model.  One small function per block
 * and span kind, as md4c's own HTML renderer; the text units they fill
 * are render.c's, the HTML the kramdown pass took out is read by
 * html-doc.c where its placeholder is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define BLOCKS_WARN	32	/* deeper block nesting is reported */

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* Advance the known position to p when it is further in the source. */
static void
track(struct render *r, const char *p)
{
	const char	*q, *end;

	if (!render_in_src(r, p) || (size_t)(p - r->src) <= r->pos)
		return;
	q = r->src + r->pos;
	end = p;
	while ((q = memchr(q, '\n', end - q)) != NULL) {
		r->line++;
		q++;
	}
	r->pos = p - r->src;
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

static struct frame *
top_frame(struct render *r)
{
	return r->nframes > 0 ? &r->frames[r->nframes - 1] : NULL;
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
	if (render_in_src(r, p)) {
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
	if (!render_in_src(r, s)) {
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
	render_append_text(&r->block, s, n);
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
		while (ls < end && render_is_space(b->data[ls]))
			ls++;
		if (ls < end || end == 0)
			break;
		while (end > 0 && b->data[end - 1] != '\n')
			end--;
	}
	buf_truncate(b, end);
	return end > 0;
}

/* A placeholder of the kramdown pass: its info string. */
static bool
is_placeholder(const MD_BLOCK_CODE_DETAIL *d)
{
	size_t	n = strlen(KRAMDOWN_HTML_INFO);

	return d->fence_char == '`' && d->info.size > n &&
	    memcmp(d->info.text, KRAMDOWN_HTML_INFO, n) == 0 &&
	    d->info.text[n] == ' ';
}

static void
code_begin(struct render *r, const MD_BLOCK_CODE_DETAIL *d)
{
	buf_truncate(&r->block, 0);
	buf_puts(&r->block, "");
	r->indent = 0;
	free(r->code_alt);
	r->code_alt = d->fence_char ? attr_dup(&d->lang) : NULL;
	if (is_placeholder(d)) {
		free(r->code_alt);
		r->code_alt = attr_dup(&d->info);
		top_frame(r)->placeholder = true;
	}
}

static void
code_end(struct render *r)
{
	if (top_frame(r)->placeholder)
		html_doc_placeholder(r, r->code_alt);
	else if (code_trim(&r->block))
		render_emit_pre(r, r->code_alt, r->block.data);
	free(r->code_alt);
	r->code_alt = NULL;
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

/* A task list item's box starts its text. */
static void
item_begin(struct render *r, const MD_BLOCK_LI_DETAIL *d)
{
	struct frame	*list = top_frame(r), *f;
	char		 marker[sizeof(f->marker)] = "";

	if (list != NULL && list->type == MD_BLOCK_OL)
		snprintf(marker, sizeof(marker), "%u.", list->next++);
	f = push_frame(r, MD_BLOCK_LI);	/* may move the frames */
	f->item = ITEM_PENDING;
	memcpy(f->marker, marker, sizeof(marker));
	if (d->is_task)
		f->box = d->task_mark == ' ' ? "\xe2\x98\x90" :
		    "\xe2\x98\x91";
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
			render_row_begin(r);
		else if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
			render_cell_begin(r,
			    ((MD_BLOCK_TD_DETAIL *)detail)->align);
		push_frame(r, type);
		return 0;
	}
	render_unit_end(r);
	if (type == MD_BLOCK_P)
		render_active_unit(r);
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
		item_begin(r, detail);
		return 0;
	case MD_BLOCK_H:
		render_unit_begin(r, U_HEADING);
		r->u.level = ((MD_BLOCK_H_DETAIL *)detail)->level;
		break;
	case MD_BLOCK_CODE:
		render_flush_prefix(r);
		f = push_frame(r, type);
		code_begin(r, detail);
		return 0;
	case MD_BLOCK_TABLE:
		render_flush_prefix(r);
		render_table_begin(r, r->tableno < r->nheads ?
		    r->heads[r->tableno] : 1);
		r->tableno++;
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
		render_cell_end(r);
	else if (type == MD_BLOCK_CODE)
		code_end(r);
	else if (!in_table(type))
		render_unit_end(r);
	if (r->nframes > 0)
		r->nframes--;
	if (type == MD_BLOCK_QUOTE && r->quotes > 0)
		r->quotes--;
	else if ((type == MD_BLOCK_UL || type == MD_BLOCK_OL) && r->lists > 0)
		r->lists--;
	if (type == MD_BLOCK_QUOTE || type == MD_BLOCK_UL ||
	    type == MD_BLOCK_OL || type == MD_BLOCK_HR)
		render_block_done(r);
	return 0;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render	*r = ud;
	struct unit	*u;
	char		*href;

	html_doc_flush(r);
	u = render_active_unit(r);
	if (type == MD_SPAN_A || type == MD_SPAN_IMG) {
		href = attr_dup(type == MD_SPAN_A ?
		    &((MD_SPAN_A_DETAIL *)detail)->href :
		    &((MD_SPAN_IMG_DETAIL *)detail)->src);
		render_span_push(u, type == MD_SPAN_A ? SPAN_LINK : SPAN_IMG,
		    href);
		free(href);
	} else if (type == MD_SPAN_CODE)
		r->code_span = true;	/* its backtick waits for its text */
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render	*r = ud;
	struct unit	*u;
	size_t		 i;

	html_doc_flush(r);
	u = render_active_unit(r);
	if (type == MD_SPAN_A || type == MD_SPAN_IMG) {
		/* md4c can leave a span it never entered (§3 item 6). */
		if (u->lost > 0)
			u->lost--;
		else if ((i = render_span_find(u, type == MD_SPAN_A ?
		    SPAN_LINK : SPAN_IMG)) > 0)
			render_span_close(r, i - 1);
	} else if (type == MD_SPAN_CODE) {
		if (!r->math_span)
			render_unit_raw(u, "``", r->code_span ? 2 : 1);
		r->code_span = r->math_span = false;
	}
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
	if (!render_in_src(r, s) || s == r->src || s[-1] != '<' ||
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
		render_unit_text(r, u, ulen, 0);
	else
		render_unit_text(r, s, n, 0);
}

/* Code span text; the kramdown pass's inline math has no backticks. */
static void
code_span_text(struct render *r, const char *s, size_t n)
{
	if (r->code_span) {
		r->code_span = false;
		if (n > 0 && *s == KRAMDOWN_MATH_MARK) {
			r->math_span = true;
			s++;
			n--;
		} else
			render_unit_raw(&r->u, "`", 1);
	}
	render_unit_raw(&r->u, s, n);
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct render	*r = ud;
	struct frame	*f = top_frame(r);
	struct unit	*u;

	track(r, s);
	if (r->deep == DEEP_PENDING && r->env->diags != NULL) {
		diag_add(r->env->diags, DIAG_WARNING,
		    r->env->file, render_cur_line(r), 1,
		    "blocks nested more than %d deep: rendered flat",
		    BLOCKS_WARN);
		r->deep = DEEP_REPORTED;
	}
	if (f != NULL && f->type == MD_BLOCK_CODE) {
		if (!f->placeholder)
			code_text(r, type, s, n);
		return 0;
	}
	if (type == MD_TEXT_HTML) {
		render_append_text(&r->html, s, n);
		return 0;
	}
	html_doc_flush(r);
	if (r->hd.iskip > 0)
		return 0;	/* inside an icon or a drawing */
	u = render_active_unit(r);
	switch (type) {
	case MD_TEXT_NULLCHAR:
		render_unit_raw(u, REPLACEMENT, strlen(REPLACEMENT));
		break;
	case MD_TEXT_BR:
		render_unit_break(u);
		break;
	case MD_TEXT_SOFTBR:
		u->space = true;
		break;
	case MD_TEXT_ENTITY:
		entity_text(r, s, n);
		break;
	case MD_TEXT_CODE:
		code_span_text(r, s, n);
		break;
	case MD_TEXT_LATEXMATH:
		render_unit_raw(u, s, n);
		break;
	default:
		if (autolink_text(r, s, n))
			render_unit_raw(u, s, n);
		else	/* kramdown keeps an image's alt text as written */
			render_unit_text(r, s, n,
			    render_span_find(u, SPAN_IMG) == 0 ?
			    TEXT_TYPO | html_doc_emoji(r) : 0);
		break;
	}
	return 0;
}

/* Parse one Markdown text and append its lines to doc. */
static void
render_md(const char *md, size_t len, const struct kramdown_out *ko,
    const struct convert_env *env, const struct linemap *map,
    const char *prefix, struct doc *doc)
{
	/*
	 * Tables, strikethrough and task lists on, as kramdown's GFM
	 * parser; HTML blocks off (the kramdown pass took them out);
	 * autolink extensions, math, wiki links and underline off (§3).
	 */
	static const MD_PARSER parser = {
		.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
		    MD_FLAG_TASKLISTS | MD_FLAG_NOHTMLBLOCKS,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	struct render	 r;
	size_t		 i;

	memset(&r, 0, sizeof(r));
	r.env = env;
	r.doc = doc;
	r.src = md;
	r.srclen = len;
	r.map = *map;
	r.brk = true;
	r.prefix = prefix;
	r.u.owner = r.u.li = RENDER_NONE;
	if (ko != NULL) {
		r.heads = ko->table_heads;
		r.nheads = ko->ntables;
		r.hblocks = ko->html;
		r.nhblocks = ko->nhtml;
	}
	for (i = 0; i < 4; i++)
		r.quotes_utf8[i] = env->kramdown.quotes[i][0] != '\0' ?
		    env->kramdown.quotes[i] : NULL;

	/* md4c sizes are 32 bits; sources are far smaller (site.c). */
	md_parse(md, len > UINT32_MAX ? UINT32_MAX : (MD_SIZE)len, &parser,
	    &r);
	render_unit_end(&r);
	html_doc_finish(&r);
	render_flush_prefix(&r);

	render_unit_clear(&r.u);
	buf_free(&r.u.text);
	free(r.u.links);
	buf_free(&r.html);
	buf_free(&r.block);
	free(r.code_alt);
	render_table_free(&r.tab);
	html_doc_free(&r);
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
				    env->first_line };

	render_md(ko->markdown ? ko->markdown : "", ko->len, ko, env, &map,
	    NULL, doc);
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
		render_md(md, strlen(md), NULL, env, &map, num, doc);
		free(num);
		free(md);
	}
}
