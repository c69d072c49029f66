/*
 * Liquid templates into syntax trees: the tokenizer (Liquid's
 * TemplateParser split), block bodies with whitespace control and
 * Liquid's blank-body rule, and the markup of every tag.
 *
 * Where Liquid raises a SyntaxError (and Jekyll fails the build), the
 * error is reported at file:line:column and parsing goes on: an unknown
 * tag is left out, a tag with bad markup is left out with its body, a
 * block never closed gives its body to the enclosing one, an
 * unterminated {{ or {% stays as text.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define PARSE_MAX_DIAGS	50
#define EXCERPT_MAX	60

enum tok_kind { TOK_EOF, TOK_TEXT, TOK_TAG, TOK_VAR };

struct tok {
	enum tok_kind	 kind;
	const char	*s;
	size_t		 len;
	unsigned	 line, col;
	bool		 ok;		/* well formed */
	const char	*name;		/* tags */
	size_t		 nlen;
	const char	*markup;	/* tags and outputs */
	size_t		 mlen;
};

struct parser {
	struct liquid_engine	*eng;
	struct liquid_template	*tmpl;
	const char		*file;
	const char		*s;
	size_t			 n, pos;
	size_t			 lc_at;		/* line and column of lc_at */
	unsigned		 line, col;
	struct diags		*diags;
	unsigned		 ndiags;
	bool			 trim;		/* a -%} or -}} before */
	bool			 in_liquid;	/* liquid is no tag in it */
	int			 depth;
	/*
	 * What the tokenizer and raw found at the last position they were
	 * asked about (positions only grow), so that no part of the text
	 * is searched twice: the next "%}" and "}" (n: none), and where a
	 * raw found no endraw up to the end (n: not yet).
	 */
	size_t			 tag_close, var_close, no_endraw;
	bool			 tag_known, var_known;
};

static void	parse_body(struct parser *, struct lq_body *, struct tok *);

/* Whole lines are skipped with memchr; columns count characters. */
static void
locate(struct parser *p, size_t off, unsigned *line, unsigned *col)
{
	const char	*nl;

	while (p->lc_at < off && (nl = memchr(p->s + p->lc_at, '\n',
	    off - p->lc_at)) != NULL) {
		p->line++;
		p->col = 1;
		p->lc_at = (size_t)(nl - p->s) + 1;
	}
	for (; p->lc_at < off; p->lc_at++)
		if (((unsigned char)p->s[p->lc_at] & 0xc0) != 0x80)
			p->col++;
	*line = p->line;
	*col = p->col;
}

static void report(struct parser *, enum diag_level, const struct tok *,
    const char *, ...) __attribute__((format(printf, 4, 5)));

static void
report(struct parser *p, enum diag_level level, const struct tok *t,
    const char *fmt, ...)
{
	struct buf	msg = BUF_INIT;
	va_list		ap;

	if (p->diags == NULL || p->ndiags > PARSE_MAX_DIAGS)
		return;
	if (p->ndiags++ == PARSE_MAX_DIAGS) {
		diag_add(p->diags, DIAG_WARNING, p->file, t->line, t->col,
		    "more than %d Liquid syntax problems; the rest not shown",
		    PARSE_MAX_DIAGS);
		return;
	}
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(p->diags, level, p->file, t->line, t->col, "Liquid: %s",
	    msg.data);
	buf_free(&msg);
}

/* The token as it was written, fit for a message. */
static char *
excerpt(const struct tok *t)
{
	return diag_excerpt(t->s, t->len, EXCERPT_MAX);
}

/* Liquid's tokenizer: {%.*?%} | {{.*?}}? | {% | {{ | text. */
static void
next_token(struct parser *p, struct tok *t)
{
	const char	*s = p->s, *q;
	size_t		 n = p->n, i = p->pos, o, end, a, b;

	memset(t, 0, sizeof(*t));
	if (i >= n) {
		t->kind = TOK_EOF;
		locate(p, n, &t->line, &t->col);
		return;
	}
	for (o = n, q = s + i; (q = memchr(q, '{', (size_t)(s + n - q))) !=
	    NULL && q + 1 < s + n; q++)
		if (q[1] == '%' || q[1] == '{') {
			o = (size_t)(q - s);
			break;
		}
	locate(p, i, &t->line, &t->col);
	t->s = s + i;
	if (o > i) {
		t->kind = TOK_TEXT;
		t->len = o - i;
		p->pos = o;
		return;
	}
	if (s[o + 1] == '%') {
		t->kind = TOK_TAG;
		end = o + 2;
		if (!p->tag_known || (p->tag_close < n && p->tag_close < o + 2)) {
			p->tag_known = true;
			p->tag_close = n;
			for (q = s + o + 2; (q = memchr(q, '%',
			    (size_t)(s + n - q))) && q + 1 < s + n; q++)
				if (q[1] == '}') {
					p->tag_close = (size_t)(q - s);
					break;
				}
		}
		if (p->tag_close < n)
			end = p->tag_close + 2;
		t->len = end - o;
		p->pos = end;
		if (t->len < 4)
			return;
		/* {%-?\s*(#|\w+)\s*(.*?)-?%} */
		a = o + 2 + (s[o + 2] == '-');
		while (a < end - 2 && lq_isspace(s[a]))
			a++;
		b = a;
		if (b < end - 2 && s[b] == '#')
			b++;
		else
			while (b < end - 2 && lq_isword(s[b]))
				b++;
		if (b == a)
			return;
		t->name = s + a;
		t->nlen = b - a;
		while (b < end - 2 && lq_isspace(s[b]))
			b++;
		t->markup = s + b;
		t->mlen = end - 2 - b;
		if (t->mlen > 0 && t->markup[t->mlen - 1] == '-')
			t->mlen--;
		t->ok = true;
		return;
	}
	t->kind = TOK_VAR;
	end = o + 2;
	if (!p->var_known || (p->var_close < n && p->var_close < o + 2)) {
		p->var_known = true;
		q = memchr(s + o + 2, '}', n - o - 2);
		p->var_close = q != NULL ? (size_t)(q - s) : n;
	}
	if (p->var_close < n) {
		end = p->var_close + 1;
		if (end < n && s[end] == '}')
			end++;
	}
	t->len = end - o;
	p->pos = end;
	if (t->len >= 4 && s[end - 1] == '}' && s[end - 2] == '}') {
		a = o + 2 + (s[o + 2] == '-' && end - o > 4);
		b = end - 2;
		if (b > a && s[b - 1] == '-')
			b--;
		t->markup = s + a;
		t->mlen = b - a;
		t->ok = true;
	}
}

static struct lq_node *
node_new(enum lq_node_kind kind, const struct tok *t)
{
	struct lq_node	*nd = xcalloc(1, sizeof(*nd));

	nd->kind = kind;
	nd->line = t->line;
	nd->col = t->col;
	return nd;
}

static void
body_add(struct lq_body *b, struct lq_node *nd)
{
	xgrowarray(&b->v, &b->cap, b->n + 1, sizeof(*b->v));
	b->v[b->n++] = nd;
}

static void	node_free(struct lq_node *);

void
liquid_body_free(struct lq_body *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		node_free(b->v[i]);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* Move the nodes of from to the end of to (a block never closed). */
static void
body_splice(struct lq_body *to, struct lq_body *from)
{
	size_t	i;

	for (i = 0; i < from->n; i++) {
		body_add(to, from->v[i]);
		to->blank = to->blank && from->v[i]->blank;
	}
	free(from->v);
	memset(from, 0, sizeof(*from));
}

/* Liquid's remove_blank_strings, for a block that is blank. */
static void
body_drop_text(struct lq_body *b)
{
	size_t	i, j = 0;

	for (i = 0; i < b->n; i++) {
		if (b->v[i]->kind == LQ_NODE_TEXT)
			node_free(b->v[i]);
		else
			b->v[j++] = b->v[i];
	}
	b->n = j;
}

static void
node_free(struct lq_node *nd)
{
	size_t	i;

	if (nd == NULL)
		return;
	switch (nd->kind) {
	case LQ_NODE_VAR:
		liquid_variable_free(&nd->u.var);
		break;
	case LQ_NODE_ASSIGN:
		free(nd->u.assign.to);
		liquid_variable_free(&nd->u.assign.from);
		break;
	case LQ_NODE_CAPTURE:
		free(nd->u.capture.to);
		liquid_body_free(&nd->u.capture.body);
		break;
	case LQ_NODE_IF:
	case LQ_NODE_CASE:
		for (i = 0; i < nd->u.branches.n; i++) {
			liquid_cond_free(nd->u.branches.v[i].cond);
			liquid_body_free(&nd->u.branches.v[i].body);
		}
		free(nd->u.branches.v);
		liquid_expr_free(nd->u.branches.left);
		break;
	case LQ_NODE_FOR:
	case LQ_NODE_TABLEROW:
		free(nd->u.loop.var);
		free(nd->u.loop.name);
		liquid_expr_free(nd->u.loop.coll);
		liquid_expr_free(nd->u.loop.limit);
		liquid_expr_free(nd->u.loop.offset);
		liquid_expr_free(nd->u.loop.cols);
		liquid_body_free(&nd->u.loop.body);
		liquid_body_free(&nd->u.loop.else_body);
		break;
	case LQ_NODE_CYCLE:
		liquid_expr_free(nd->u.cycle.name);
		free(nd->u.cycle.key);
		for (i = 0; i < nd->u.cycle.n; i++)
			liquid_expr_free(nd->u.cycle.v[i]);
		free(nd->u.cycle.v);
		break;
	case LQ_NODE_INCREMENT:
	case LQ_NODE_DECREMENT:
		free(nd->u.counter);
		break;
	case LQ_NODE_RAW:
		free(nd->u.text.s);
		break;
	case LQ_NODE_COMMENT:
	case LQ_NODE_IFCHANGED:
		liquid_body_free(&nd->u.body);
		break;
	case LQ_NODE_INCLUDE:
		free(nd->u.include.file);
		liquid_template_free(nd->u.include.file_tmpl);
		for (i = 0; i < nd->u.include.nparams; i++) {
			free(nd->u.include.params[i].key);
			value_unref(nd->u.include.params[i].str);
			liquid_expr_free(nd->u.include.params[i].expr);
		}
		free(nd->u.include.params);
		break;
	case LQ_NODE_HIGHLIGHT:
		free(nd->u.highlight.lang);
		liquid_body_free(&nd->u.highlight.body);
		break;
	case LQ_NODE_LINK:
	case LQ_NODE_POST_URL:
	case LQ_NODE_PLUGIN:
		free(nd->u.link.arg);
		liquid_template_free(nd->u.link.tmpl);
		break;
	default:
		break;
	}
	free(nd);
}

/* Liquid's whitespace_handler: {%- strips the text before, -%} after. */
static void
whitespace(struct parser *p, struct lq_body *b, const struct tok *t)
{
	struct lq_node	*last;

	if (t->len > 2 && t->s[2] == '-' && b->n > 0 &&
	    (last = b->v[b->n - 1])->kind == LQ_NODE_TEXT)
		while (last->u.text.len > 0 &&
		    lq_isstrip(last->u.text.s[last->u.text.len - 1]))
			last->u.text.len--;
	p->trim = t->len >= 3 && t->s[t->len - 3] == '-';
}

static bool
is_blank_text(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!lq_isspace(s[i]))
			return false;
	return true;
}

static void
add_text(struct lq_body *b, const struct tok *t, const char *s, size_t n)
{
	struct lq_node	*nd = node_new(LQ_NODE_TEXT, t);

	nd->u.text.s = (char *)s;
	nd->u.text.len = n;
	nd->blank = is_blank_text(s, n);
	body_add(b, nd);
	b->blank = b->blank && nd->blank;
}

static bool
markup_is(const struct tok *t, const char *w)
{
	return t->nlen == strlen(w) && memcmp(t->name, w, t->nlen) == 0;
}

/* The markup without surrounding blanks. */
static void
markup_strip(const struct tok *t, const char **s, size_t *n)
{
	*s = t->markup ? t->markup : "";
	*n = t->mlen;
	while (*n > 0 && lq_isstrip(**s))
		(*s)++, (*n)--;
	while (*n > 0 && lq_isstrip((*s)[*n - 1]))
		(*n)--;
}

static void
parse_variable(struct parser *p, const struct tok *t, const char *s,
    size_t n, struct lq_var *v)
{
	char	*err, *ex;

	if (!liquid_variable_parse(s, n, v, &err)) {
		ex = excerpt(t);
		report(p, DIAG_WARNING, t, "%s in \"%s\"", err, ex);
		free(ex);
	}
	free(err);
}

enum block_end { BLOCK_EOF, BLOCK_END, BLOCK_SEP };

/*
 * Parse the body of block name up to its end tag or one of seps (into
 * *sep); other tags this body does not know are reported (ignored in
 * comments) and skipped.
 */
static enum block_end
parse_block(struct parser *p, struct lq_body *b, const char *name,
    const char *const *seps, struct tok *sep)
{
	struct tok	 t;
	size_t		 i;
	bool		 comment = strcmp(name, "comment") == 0;
	char		 endname[32];

	snprintf(endname, sizeof(endname), "end%s", name);
	p->depth++;
	for (;;) {
		parse_body(p, b, &t);
		if (t.kind == TOK_EOF) {
			p->depth--;
			return BLOCK_EOF;
		}
		if (markup_is(&t, endname)) {
			p->depth--;
			return BLOCK_END;
		}
		for (i = 0; seps != NULL && seps[i] != NULL; i++)
			if (markup_is(&t, seps[i])) {
				*sep = t;
				p->depth--;
				return BLOCK_SEP;
			}
		if (comment)
			continue;
		if (markup_is(&t, "else"))
			report(p, DIAG_ERROR, &t, "%s tag does not expect "
			    "'else' tag", name);
		else if (t.nlen > 3 && memcmp(t.name, "end", 3) == 0)
			report(p, DIAG_ERROR, &t, "'%.*s' is not a valid "
			    "delimiter for %s tags. use %s", (int)t.nlen,
			    t.name, name, endname);
		else
			report(p, DIAG_ERROR, &t, "Unknown tag '%.*s'",
			    (int)t.nlen, t.name);
	}
}

static void
never_closed(struct parser *p, const struct tok *open, const char *name)
{
	report(p, DIAG_ERROR, open, "'%s' tag was never closed", name);
}

/* Too deep to open another block: said once per tag, its body is flat. */
static bool
too_deep(struct parser *p, const struct tok *t)
{
	if (p->depth < LIQUID_MAX_NESTING)
		return false;
	report(p, DIAG_ERROR, t, "Nesting too deep");
	return true;
}

/* VariableSignature+ (\(?[\w\-.\[\]]\)?) from s[i]: its end. */
static size_t
signature_at(const char *s, size_t n, size_t i)
{
	while (i < n && (lq_isword(s[i]) || strchr("-.[]()", s[i]) != NULL))
		i++;
	return i;
}

static void
tag_assign(struct parser *p, struct lq_body *b, struct tok *t)
{
	const char	*s = t->markup ? t->markup : "";
	size_t		 n = t->mlen, i, e, k;
	struct lq_node	*nd;

	for (i = 0; i < n; i++) {
		if ((e = signature_at(s, n, i)) == i)
			continue;
		for (k = e; k < n && lq_isspace(s[k]); k++)
			continue;
		if (k < n && s[k] == '=')
			break;
	}
	if (i >= n) {
		report(p, DIAG_ERROR, t, "Syntax Error in 'assign' - Valid "
		    "syntax: assign [var] = [source]");
		return;
	}
	nd = node_new(LQ_NODE_ASSIGN, t);
	nd->blank = true;
	nd->u.assign.to = xstrndup(s + i, e - i);
	for (k++; k < n && lq_isspace(s[k]); k++)
		continue;
	parse_variable(p, t, s + k, n - k, &nd->u.assign.from);
	body_add(b, nd);
}

static void
tag_capture(struct parser *p, struct lq_body *b, struct tok *t)
{
	const char	*s = t->markup ? t->markup : "";
	size_t		 n = t->mlen, i, e = 0;
	struct lq_node	*nd;
	struct lq_body	 body = { NULL, 0, 0, true };
	struct tok	 sep;
	bool		 ok;

	for (i = 0; i < n; i++)
		if ((e = signature_at(s, n, i)) > i)
			break;
	if (!(ok = i < n))
		report(p, DIAG_ERROR, t, "Syntax Error in 'capture' - Valid "
		    "syntax: capture [var]");
	if (too_deep(p, t))
		return;
	if (parse_block(p, &body, "capture", NULL, &sep) == BLOCK_EOF) {
		never_closed(p, t, "capture");
		body_splice(b, &body);
		return;
	}
	if (!ok) {
		liquid_body_free(&body);
		return;
	}
	nd = node_new(LQ_NODE_CAPTURE, t);
	nd->blank = true;
	nd->u.capture.to = xstrndup(s + i, e - i);
	nd->u.capture.body = body;
	body_add(b, nd);
}

static struct lq_branch *
add_branch(struct lq_node *nd)
{
	struct lq_branch	*br;

	nd->u.branches.v = xreallocarray(nd->u.branches.v,
	    nd->u.branches.n + 1, sizeof(*nd->u.branches.v));
	br = &nd->u.branches.v[nd->u.branches.n++];
	memset(br, 0, sizeof(*br));
	br->body.blank = true;
	return br;
}

static struct lq_cond *
if_cond(struct parser *p, const struct tok *t, bool *ok)
{
	struct lq_cond	*c;
	char		*err, *ex;

	c = liquid_cond_parse_markup(t->markup ? t->markup : "", t->mlen,
	    &err);
	if (err != NULL) {
		ex = excerpt(t);
		if (c != NULL)
			report(p, DIAG_WARNING, t, "%s in \"%s\"", err, ex);
		else {
			report(p, DIAG_ERROR, t, "Syntax Error in tag 'if' - "
			    "Valid syntax: if [expression] (\"%s\")", ex);
			*ok = false;
		}
		free(ex);
		free(err);
	}
	return c;
}

/* Close a block of branches: blank bodies lose their text. */
static void
finish_branches(struct lq_body *b, struct lq_node *nd, bool ok)
{
	size_t	i;
	bool	blank = true;

	for (i = 0; i < nd->u.branches.n; i++)
		blank = blank && nd->u.branches.v[i].body.blank;
	if (blank)
		for (i = 0; i < nd->u.branches.n; i++)
			body_drop_text(&nd->u.branches.v[i].body);
	nd->blank = blank;
	if (!ok) {
		node_free(nd);
		return;
	}
	body_add(b, nd);
	b->blank = b->blank && blank;
}

static void
splice_branches(struct lq_body *b, struct lq_node *nd)
{
	size_t	i;

	for (i = 0; i < nd->u.branches.n; i++)
		body_splice(b, &nd->u.branches.v[i].body);
	node_free(nd);
}

static void
tag_if(struct parser *p, struct lq_body *b, struct tok *t)
{
	static const char *const seps[] = { "elsif", "else", NULL };
	struct lq_node	*nd;
	struct lq_branch	*br;
	struct tok	 sep, open = *t;
	bool		 ok = true, unless = markup_is(t, "unless");
	const char	*name = unless ? "unless" : "if";

	if (too_deep(p, t))
		return;
	nd = node_new(LQ_NODE_IF, t);
	nd->u.branches.unless = unless;
	br = add_branch(nd);
	br->cond = if_cond(p, t, &ok);
	for (;;) {
		switch (parse_block(p, &br->body, name, seps, &sep)) {
		case BLOCK_EOF:
			never_closed(p, &open, name);
			splice_branches(b, nd);
			return;
		case BLOCK_END:
			finish_branches(b, nd, ok);
			return;
		case BLOCK_SEP:
			br = add_branch(nd);
			if (markup_is(&sep, "else"))
				br->cond = NULL;
			else
				br->cond = if_cond(p, &sep, &ok);
			break;
		}
	}
}

/* WhenSyntax: (QF)(?:(?:\s+or\s+|\s*,\s*)(QF.*))? repeated. */
static bool
when_conds(struct lq_node *nd, size_t *owner, const struct tok *t)
{
	const char	*s = t->markup ? t->markup : "";
	size_t		 n = t->mlen, a, e, i;
	struct lq_branch	*br;
	bool		 first = true;

	if (!liquid_qf_find(s, n, 0, &a, &e))
		return false;
	for (;;) {
		br = add_branch(nd);
		br->cond = xcalloc(1, sizeof(*br->cond));
		br->cond->op = LQ_OP_EQ;
		br->cond->right = liquid_expr_parse(s + a, e - a, true);
		/* Every condition of a when shares one body: the first's. */
		if (first)
			*owner = nd->u.branches.n - 1;
		else
			br->shared = true;
		first = false;
		i = e;
		while (i < n && lq_isspace(s[i]))
			i++;
		if (i < n && s[i] == ',') {
			for (i++; i < n && lq_isspace(s[i]); i++)
				continue;
		} else if (i > e && n - i > 3 && memcmp(s + i, "or", 2) == 0 &&
		    lq_isspace(s[i + 2])) {
			for (i += 2; i < n && lq_isspace(s[i]); i++)
				continue;
		} else
			return true;
		if ((e = liquid_qf_at(s, n, i)) == i)
			return true;
		a = i;
	}
}

static void
tag_case(struct parser *p, struct lq_body *b, struct tok *t)
{
	static const char *const seps[] = { "when", "else", NULL };
	const char	*s = t->markup ? t->markup : "";
	struct lq_node	*nd;
	struct lq_branch	*br = NULL;
	struct lq_body	 pre = { NULL, 0, 0, true }, *cur = &pre;
	struct tok	 sep, open = *t;
	size_t		 a, e, i, owner = 0;
	bool		 ok = true, blank;

	if (too_deep(p, t))
		return;
	nd = node_new(LQ_NODE_CASE, t);
	if (liquid_qf_find(s, t->mlen, 0, &a, &e))
		nd->u.branches.left = liquid_expr_parse(s + a, e - a, false);
	else {
		report(p, DIAG_ERROR, t, "Syntax Error in 'case' - Valid "
		    "syntax: case [condition]");
		ok = false;
	}
	for (;;) {
		switch (parse_block(p, cur, "case", seps, &sep)) {
		case BLOCK_EOF:
			never_closed(p, &open, "case");
			body_splice(b, &pre);
			splice_branches(b, nd);
			return;
		case BLOCK_END:
			blank = pre.blank;
			for (i = 0; i < nd->u.branches.n; i++)
				blank = blank && nd->u.branches.v[i].body.blank;
			if (blank)
				for (i = 0; i < nd->u.branches.n; i++)
					body_drop_text(
					    &nd->u.branches.v[i].body);
			liquid_body_free(&pre);
			nd->blank = blank;
			if (!ok) {
				node_free(nd);
				return;
			}
			body_add(b, nd);
			b->blank = b->blank && blank;
			return;
		case BLOCK_SEP:
			if (markup_is(&sep, "else")) {
				const char *m;
				size_t ml;

				markup_strip(&sep, &m, &ml);
				if (ml > 0) {
					report(p, DIAG_ERROR, &sep, "Syntax "
					    "Error in tag 'case' - Valid else "
					    "condition: {%% else %%} (no "
					    "parameters)");
					ok = false;
				}
				br = add_branch(nd);
				br->cond = NULL;
				owner = nd->u.branches.n - 1;
			} else if (!when_conds(nd, &owner, &sep)) {
				report(p, DIAG_ERROR, &sep, "Syntax Error in "
				    "tag 'case' - Valid when condition: {%% "
				    "when [condition] [or condition2...] %%}");
				ok = false;
				br = add_branch(nd);
				br->cond = NULL;
				owner = nd->u.branches.n - 1;
			}
			cur = &nd->u.branches.v[owner].body;
			break;
		}
	}
}

/* The lax for: \A([\w-]+)\s+in\s+(QF+)\s*(reversed)? and attributes. */
static bool
for_lax(const char *s, size_t n, struct lq_node *nd)
{
	size_t	i = 0, v, c0, c1, e, k, a, b;

	while (i < n && (lq_isword(s[i]) || s[i] == '-'))
		i++;
	if (i == 0 || i >= n || !lq_isspace(s[i]))
		return false;
	v = i;
	while (i < n && lq_isspace(s[i]))
		i++;
	if (n - i < 3 || memcmp(s + i, "in", 2) != 0 || !lq_isspace(s[i + 2]))
		return false;
	for (i += 2; i < n && lq_isspace(s[i]); i++)
		continue;
	c0 = i;
	while ((e = liquid_qf_at(s, n, i)) > i)
		i = e;
	if (i == c0)
		return false;
	c1 = i;
	free(nd->u.loop.var);
	free(nd->u.loop.name);
	liquid_expr_free(nd->u.loop.coll);
	nd->u.loop.var = xstrndup(s, v);
	nd->u.loop.name = xasprintf("%s-%.*s", nd->u.loop.var, (int)(c1 - c0),
	    s + c0);
	nd->u.loop.coll = liquid_expr_parse(s + c0, c1 - c0, false);
	while (i < n && lq_isspace(s[i]))
		i++;
	nd->u.loop.reversed = n - i >= 8 && memcmp(s + i, "reversed", 8) == 0;
	liquid_expr_free(nd->u.loop.limit);
	liquid_expr_free(nd->u.loop.offset);
	nd->u.loop.limit = nd->u.loop.offset = NULL;
	nd->u.loop.offset_continue = false;
	/* TagAttributes: (\w[\w-]*)\s*:\s*(QF), anywhere. */
	for (k = 0; k < n; k++) {
		if (!lq_isword(s[k]) || (k > 0 && (lq_isword(s[k - 1]) ||
		    s[k - 1] == '-')))
			continue;
		for (a = k; a < n && (lq_isword(s[a]) || s[a] == '-'); a++)
			continue;
		b = a;
		while (b < n && lq_isspace(s[b]))
			b++;
		if (b >= n || s[b] != ':')
			continue;
		for (b++; b < n && lq_isspace(s[b]); b++)
			continue;
		if ((e = liquid_qf_at(s, n, b)) == b)
			continue;
		if (a - k == 5 && memcmp(s + k, "limit", 5) == 0) {
			liquid_expr_free(nd->u.loop.limit);
			nd->u.loop.limit = liquid_expr_parse(s + b, e - b,
			    false);
		} else if (a - k == 4 && memcmp(s + k, "cols", 4) == 0) {
			liquid_expr_free(nd->u.loop.cols);
			nd->u.loop.cols = liquid_expr_parse(s + b, e - b,
			    false);
		} else if (a - k == 6 && memcmp(s + k, "offset", 6) == 0) {
			liquid_expr_free(nd->u.loop.offset);
			nd->u.loop.offset = NULL;
			nd->u.loop.offset_continue = e - b == 8 &&
			    memcmp(s + b, "continue", 8) == 0;
			if (!nd->u.loop.offset_continue)
				nd->u.loop.offset = liquid_expr_parse(s + b,
				    e - b, false);
		}
		k = e - 1;
	}
	return true;
}

static void
tag_for(struct parser *p, struct lq_body *b, struct tok *t)
{
	static const char *const seps[] = { "else", NULL };
	struct lq_node	*nd;
	struct tok	 sep, open = *t;
	struct buf	 err = BUF_INIT;
	char		*ex;
	bool		 ok = true, blank;
	const char	*name = markup_is(t, "tablerow") ? "tablerow" : "for";

	if (too_deep(p, t))
		return;
	nd = node_new(name[0] == 't' ? LQ_NODE_TABLEROW : LQ_NODE_FOR, t);
	nd->u.loop.body.blank = nd->u.loop.else_body.blank = true;
	if (name[0] == 't') {
		if (!for_lax(t->markup ? t->markup : "", t->mlen, nd)) {
			report(p, DIAG_ERROR, t, "Syntax Error in 'table_row "
			    "loop' - Valid syntax: table_row [item] in "
			    "[collection] cols=3");
			ok = false;
		}
	} else if (!liquid_for_strict(t->markup ? t->markup : "", t->mlen, nd,
	    &err)) {
		ex = excerpt(t);
		if (for_lax(t->markup ? t->markup : "", t->mlen, nd))
			report(p, DIAG_WARNING, t, "%s in \"%s\"", err.data,
			    ex);
		else {
			report(p, DIAG_ERROR, t, "Syntax Error in 'for loop' - "
			    "Valid syntax: for [item] in [collection]");
			ok = false;
		}
		free(ex);
	}
	buf_free(&err);
	switch (parse_block(p, &nd->u.loop.body, name, name[0] == 'f' ? seps :
	    NULL, &sep)) {
	case BLOCK_EOF:
		never_closed(p, &open, name);
		body_splice(b, &nd->u.loop.body);
		node_free(nd);
		return;
	case BLOCK_SEP:
		nd->u.loop.has_else = true;
		if (parse_block(p, &nd->u.loop.else_body, name, NULL,
		    &sep) == BLOCK_EOF) {
			never_closed(p, &open, name);
			body_splice(b, &nd->u.loop.body);
			body_splice(b, &nd->u.loop.else_body);
			node_free(nd);
			return;
		}
		break;
	case BLOCK_END:
		break;
	}
	blank = nd->u.loop.body.blank && nd->u.loop.else_body.blank;
	if (blank) {
		body_drop_text(&nd->u.loop.body);
		body_drop_text(&nd->u.loop.else_body);
	}
	nd->blank = blank && name[0] == 'f';
	if (!ok) {
		node_free(nd);
		return;
	}
	body_add(b, nd);
	b->blank = b->blank && nd->blank;
}

static void
tag_simple(struct parser *p, struct lq_body *b, struct tok *t)
{
	enum lq_node_kind	 kind;
	struct lq_node	*nd;
	const char	*s;
	size_t		 n;

	if (markup_is(t, "break"))
		kind = LQ_NODE_BREAK;
	else if (markup_is(t, "continue"))
		kind = LQ_NODE_CONTINUE;
	else if (markup_is(t, "increment"))
		kind = LQ_NODE_INCREMENT;
	else
		kind = LQ_NODE_DECREMENT;
	nd = node_new(kind, t);
	if (kind == LQ_NODE_INCREMENT || kind == LQ_NODE_DECREMENT) {
		markup_strip(t, &s, &n);
		nd->u.counter = xstrndup(s, n);
	}
	body_add(b, nd);
	b->blank = false;
}

static void
tag_cycle(struct parser *p, struct lq_body *b, struct tok *t)
{
	const char	*s = t->markup ? t->markup : "", *list;
	size_t		 n = t->mlen, e, i, k, a, ln;
	struct lq_node	*nd;
	struct buf	 key = BUF_INIT;
	bool		 all_lit = true;

	if ((e = liquid_qf_at(s, n, 0)) == 0) {
		report(p, DIAG_ERROR, t, "Syntax Error in 'cycle' - Valid "
		    "syntax: cycle [name :] var [, var2, var3 ...]");
		return;
	}
	nd = node_new(LQ_NODE_CYCLE, t);
	for (i = e; i < n && lq_isspace(s[i]); i++)
		continue;
	/* (QF)\s*: backtracks into the fragment: "g: 1" names group g. */
	if (i >= n || s[i] != ':')
		for (k = e; k-- > 1;)
			if (s[k] == ':' && liquid_qf_at(s, k, 0) == k) {
				e = i = k;
				break;
			}
	if (i < n && s[i] == ':') {
		nd->u.cycle.name = liquid_expr_parse(s, e, false);
		list = s + i + 1;
		ln = n - i - 1;
	} else {
		list = s;
		ln = n;
	}
	/* split(','), then the first QuotedFragment of each part. */
	for (i = 0; i <= ln; i = k + 1) {
		for (k = i; k < ln && list[k] != ','; k++)
			continue;
		if (liquid_qf_find(list + i, k - i, 0, &a, &e)) {
			nd->u.cycle.v = xreallocarray(nd->u.cycle.v,
			    nd->u.cycle.n + 1, sizeof(*nd->u.cycle.v));
			nd->u.cycle.v[nd->u.cycle.n] = liquid_expr_parse(
			    list + i + a, e - a, false);
			if (nd->u.cycle.v[nd->u.cycle.n]->kind != LQ_EXPR_LIT)
				all_lit = false;
			else {
				buf_puts(&key, key.len ? ", " : "[");
				value_inspect(nd->u.cycle.v[nd->u.cycle.n]->lit,
				    &key);
			}
			nd->u.cycle.n++;
		}
		if (k >= ln)
			break;
	}
	buf_putc(&key, ']');
	/* Ruby names a group by its values' inspect: variables never match. */
	if (all_lit)
		nd->u.cycle.key = buf_detach(&key, NULL);
	else
		nd->u.cycle.key = xasprintf("#<%p>", (void *)nd);
	buf_free(&key);
	body_add(b, nd);
	b->blank = false;
}

/* Liquid's Raw: tokens as they are up to one ending in {% endraw ... %}. */
static void
tag_raw(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct tok	 r;
	struct buf	 text = BUF_INIT;
	struct lq_node	*nd;
	const char	*m;
	size_t		 ml, i, j, save = p->pos, save_lc = p->lc_at;
	unsigned	 line = p->line, col = p->col;
	bool		 trim = p->trim;

	markup_strip(t, &m, &ml);
	if (ml > 0)
		report(p, DIAG_ERROR, t, "Syntax Error in 'raw' - Valid "
		    "syntax: raw");
	for (;;) {
		/* Tokens from here are those an earlier raw went through. */
		if (p->pos >= p->no_endraw)
			r.kind = TOK_EOF;
		else
			next_token(p, &r);
		if (r.kind == TOK_EOF) {
			if (save < p->no_endraw)
				p->no_endraw = save;
			never_closed(p, t, "raw");
			buf_free(&text);
			/* Back before what the memos saw: search again. */
			p->tag_known = p->var_known = false;
			p->pos = save;
			p->lc_at = save_lc;
			p->line = line;
			p->col = col;
			p->trim = trim;
			return;
		}
		if (r.len >= 4 && r.s[r.len - 1] == '}' &&
		    r.s[r.len - 2] == '%') {
			for (i = r.len - 2; i-- > 0;) {
				if (r.s[i] != '{' || r.s[i + 1] != '%')
					continue;
				for (j = i + 2; j < r.len &&
				    lq_isspace(r.s[j]); j++)
					continue;
				if (r.len - j >= 6 && memcmp(r.s + j, "endraw",
				    6) == 0 && !lq_isword(r.s[j + 6]))
					break;
			}
			if (i != (size_t)-1 && i < r.len) {
				buf_append(&text, r.s, i);
				break;
			}
		}
		buf_append(&text, r.s, r.len);
	}
	if (ml > 0) {
		buf_free(&text);
		return;
	}
	nd = node_new(LQ_NODE_RAW, t);
	nd->u.text.len = text.len;
	nd->u.text.s = buf_detach(&text, NULL);
	nd->blank = nd->u.text.len == 0;
	body_add(b, nd);
	b->blank = b->blank && nd->blank;
}

static void
tag_comment(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct lq_node	*nd;
	struct lq_body	 body = { NULL, 0, 0, true };
	struct tok	 sep;
	bool		 ifchanged = markup_is(t, "ifchanged");

	if (too_deep(p, t))
		return;
	if (parse_block(p, &body, ifchanged ? "ifchanged" : "comment", NULL,
	    &sep) == BLOCK_EOF) {
		never_closed(p, t, ifchanged ? "ifchanged" : "comment");
		body_splice(b, &body);
		return;
	}
	if (!ifchanged) {
		liquid_body_free(&body);
		return;
	}
	nd = node_new(LQ_NODE_IFCHANGED, t);
	nd->blank = body.blank;
	nd->u.body = body;
	body_add(b, nd);
	b->blank = b->blank && nd->blank;
}

static void
tag_inline_comment(struct parser *p, struct lq_body *b, struct tok *t)
{
	const char	*s = t->markup ? t->markup : "";
	size_t		 i, j;

	for (i = 0; i < t->mlen; i++) {
		if (s[i] != '\n')
			continue;
		for (j = i + 1; j < t->mlen && lq_isspace(s[j]); j++)
			continue;
		if (j < t->mlen && s[j] != '#') {
			report(p, DIAG_ERROR, t, "Syntax error in tag '#' - "
			    "Each line of comments must be prefixed by the "
			    "'#' character");
			return;
		}
	}
}

static void
tag_echo(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct lq_node	*nd = node_new(LQ_NODE_VAR, t);

	parse_variable(p, t, t->markup ? t->markup : "", t->mlen, &nd->u.var);
	body_add(b, nd);
	b->blank = false;
}

static struct liquid_template *
sub_template(struct parser *p, const struct tok *t, const char *s, size_t n)
{
	return liquid_template_parse(p->eng, p->file, t->line, s, n, p->diags);
}

/* Jekyll's include VALID_SYNTAX: key=("..."|'...'|[\w.-]+), blanks between. */
static bool
include_params(struct parser *p, struct lq_node *nd, const char *s, size_t n)
{
	struct lq_param	*ip;
	struct buf		 v = BUF_INIT;
	size_t			 i = 0, k, e;
	char			 q;

	for (;;) {
		while (i < n && lq_isspace(s[i]))
			i++;
		if (i >= n) {
			buf_free(&v);
			return true;
		}
		for (k = i; k < n && (lq_isword(s[k]) || s[k] == '-'); k++)
			continue;
		if (k == i)
			goto fail;
		e = k;
		while (e < n && lq_isspace(s[e]))
			e++;
		if (e >= n || s[e] != '=')
			goto fail;
		for (e++; e < n && lq_isspace(s[e]); e++)
			continue;
		nd->u.include.params = xreallocarray(nd->u.include.params,
		    nd->u.include.nparams + 1, sizeof(*nd->u.include.params));
		ip = &nd->u.include.params[nd->u.include.nparams++];
		memset(ip, 0, sizeof(*ip));
		ip->key = xstrndup(s + i, k - i);
		if (e < n && (s[e] == '"' || s[e] == '\'')) {
			q = s[e];
			buf_truncate(&v, 0);
			for (e++; e < n && s[e] != q; e++) {
				if (s[e] == '\\' && e + 1 < n) {
					if (s[e + 1] != q)
						buf_putc(&v, '\\');
					e++;
				}
				buf_putc(&v, s[e]);
			}
			if (e >= n)
				goto fail;
			ip->str = value_str(v.data ? v.data : "", v.len);
			e++;
		} else {
			for (k = e; e < n && (lq_isword(s[e]) || s[e] == '.' ||
			    s[e] == '-'); e++)
				continue;
			if (e == k)
				goto fail;
			ip->expr = liquid_expr_parse(s + k, e - k, false);
		}
		if (e < n && !lq_isspace(s[e]))
			goto fail;
		i = e;
	}
fail:
	buf_free(&v);
	return false;
}

static void
tag_include(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct lq_node	*nd;
	const char	*s, *file, *params, *o, *c;
	size_t		 n, flen, plen, i;

	markup_strip(t, &s, &n);
	nd = node_new(LQ_NODE_INCLUDE, t);
	nd->u.include.relative = markup_is(t, "include_relative");
	/* VARIABLE_SYNTAX: text up to the last }} (and what sticks to it). */
	o = n >= 2 ? memchr(s, '{', n) : NULL;
	if (o != NULL && o + 1 < s + n && o[1] == '{') {
		for (c = s + n - 2; c > o && !(c[0] == '}' && c[1] == '}'); c--)
			continue;
		if (c > o + 1) {
			c += 2;
			while (c < s + n && !lq_isspace(*c) && *c != '{' &&
			    *c != '}')
				c++;
			file = s;
			flen = (size_t)(c - s);
			params = c;
			plen = n - flen;
			nd->u.include.file_tmpl = sub_template(p, t, file,
			    flen);
			goto have_file;
		}
	}
	for (i = 0; i < n && !lq_isspace(s[i]); i++)
		continue;
	file = s;
	flen = i;
	params = s + i;
	plen = n - i;
have_file:
	nd->u.include.file = xstrndup(file, flen);
	while (plen > 0 && lq_isspace(*params))
		params++, plen--;
	nd->u.include.has_params = plen > 0;
	if (!include_params(p, nd, params, plen)) {
		report(p, DIAG_ERROR, t, "Invalid syntax for include tag: "
		    "'%.*s' (valid: {%% %.*s file.ext param='value' "
		    "param2='value' %%})", (int)plen, params, (int)t->nlen,
		    t->name);
		node_free(nd);
		return;
	}
	body_add(b, nd);
	b->blank = false;
}

static void
tag_highlight(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct lq_node	*nd;
	struct tok	 sep;
	const char	*s;
	size_t		 n, i, k;
	bool		 ok = true;

	if (too_deep(p, t))
		return;
	markup_strip(t, &s, &n);
	nd = node_new(LQ_NODE_HIGHLIGHT, t);
	nd->u.highlight.body.blank = true;
	for (i = 0; i < n && (isalnum((unsigned char)s[i]) ||
	    strchr(".+#_-", s[i]) != NULL); i++)
		continue;
	if (i == 0 || (i < n && !lq_isspace(s[i])))
		ok = false;
	else {
		nd->u.highlight.lang = xstrndup(s, i);
		for (k = 0; nd->u.highlight.lang[k]; k++)
			nd->u.highlight.lang[k] = (char)tolower(
			    (unsigned char)nd->u.highlight.lang[k]);
		/*
		 * Options (linenos, mark_lines="..."): what they change
		 * is the web page's gutter, not the code a reader copies.
		 */
	}
	if (!ok)
		report(p, DIAG_ERROR, t, "Syntax Error in tag 'highlight' "
		    "while parsing the following markup: %.*s (valid syntax: "
		    "highlight <lang> [linenos])", (int)n, s);
	if (parse_block(p, &nd->u.highlight.body, "highlight", NULL,
	    &sep) == BLOCK_EOF) {
		never_closed(p, t, "highlight");
		body_splice(b, &nd->u.highlight.body);
		node_free(nd);
		return;
	}
	if (!ok) {
		node_free(nd);
		return;
	}
	nd->blank = nd->u.highlight.body.blank;
	body_add(b, nd);
	b->blank = b->blank && nd->blank;
}

/* post_url's name must hold a date and a title: (.+/)*\d+-\d+-\d+-.* */
static bool
post_name_ok(const char *s, size_t n)
{
	size_t	i, j, part;

	if (n > 0 && s[0] == '/')
		s++, n--;
	for (i = 0; i < n; i++) {
		if (i > 0 && s[i - 1] != '/')
			continue;
		j = i;
		for (part = 0; part < 3; part++) {
			size_t d = j;

			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j == d || j >= n || s[j] != '-')
				break;
			j++;
		}
		if (part == 3)
			return true;
	}
	return false;
}

static void
tag_link(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct lq_node	*nd;
	const char	*s;
	size_t		 n;
	bool		 post = markup_is(t, "post_url");

	markup_strip(t, &s, &n);
	if (post && !post_name_ok(s, n)) {
		report(p, DIAG_ERROR, t,
		    "Could not parse name of post \"%.*s\" "
		    "in tag 'post_url'", (int)n, s);
		return;
	}
	nd = node_new(post ? LQ_NODE_POST_URL : LQ_NODE_LINK, t);
	nd->u.link.arg = xstrndup(s, n);
	if (!post)
		nd->u.link.tmpl = sub_template(p, t, s, n);
	body_add(b, nd);
	b->blank = false;
}

/* A plugin's tag: its name, and its markup as a template. */
static void
tag_plugin(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct lq_node	*nd;
	const char	*s;
	size_t		 n;

	markup_strip(t, &s, &n);
	nd = node_new(LQ_NODE_PLUGIN, t);
	nd->u.link.arg = xstrndup(t->name, t->nlen);
	nd->u.link.tmpl = sub_template(p, t, s, n);
	body_add(b, nd);
	b->blank = false;
}

/* {% liquid %}: a tag a line, parsed as if each were {% line %}. */
static void
tag_liquid(struct parser *p, struct lq_body *b, struct tok *t)
{
	struct parser	 sub;
	struct buf	 src = BUF_INIT;
	struct tok	 end;
	const char	*s = t->markup ? t->markup : "", *e = s + t->mlen, *nl;
	const char	*a, *z;

	for (; s < e; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL)
			nl = e;
		for (a = s; a < nl && lq_isspace(*a); a++)
			continue;
		for (z = nl; z > a && lq_isspace(z[-1]); z--)
			continue;
		if (z > a) {
			buf_puts(&src, "{%");
			buf_append(&src, a, (size_t)(z - a));
			buf_puts(&src, " %}");
		}
		if (nl == e)
			break;
	}
	if (src.len == 0)
		return;
	sub = *p;
	sub.s = src.data;
	sub.n = src.len;
	sub.pos = sub.lc_at = 0;
	sub.tag_known = sub.var_known = false;
	sub.no_endraw = SIZE_MAX;
	sub.line = t->line;
	sub.col = t->col;
	sub.trim = false;
	sub.in_liquid = true;
	parse_body(&sub, b, &end);
	if (end.kind != TOK_EOF)
		report(p, DIAG_ERROR, t, "Unknown tag '%.*s' in 'liquid'",
		    (int)end.nlen, end.name);
	p->ndiags = sub.ndiags;
	p->tmpl->more = xreallocarray(p->tmpl->more, p->tmpl->nmore + 1,
	    sizeof(*p->tmpl->more));
	p->tmpl->more[p->tmpl->nmore++] = buf_detach(&src, NULL);
}

static void
tag_render(struct parser *p, struct lq_body *b, struct tok *t)
{
	report(p, DIAG_ERROR, t, "'%.*s': this liquid context does not allow "
	    "includes (Jekyll has no render file system)", (int)t->nlen,
	    t->name);
}

static const struct {
	const char	*name;
	void	(*parse)(struct parser *, struct lq_body *, struct tok *);
} tags[] = {
	{ "assign", tag_assign },
	{ "capture", tag_capture },
	{ "if", tag_if },
	{ "unless", tag_if },
	{ "case", tag_case },
	{ "for", tag_for },
	{ "tablerow", tag_for },
	{ "break", tag_simple },
	{ "continue", tag_simple },
	{ "increment", tag_simple },
	{ "decrement", tag_simple },
	{ "cycle", tag_cycle },
	{ "raw", tag_raw },
	{ "comment", tag_comment },
	{ "ifchanged", tag_comment },
	{ "#", tag_inline_comment },
	{ "echo", tag_echo },
	{ "include", tag_include },
	{ "include_relative", tag_include },
	{ "highlight", tag_highlight },
	{ "link", tag_link },
	{ "post_url", tag_link },
	{ "render", tag_render },
	{ "liquid", tag_liquid },
	/* GitHub Pages' plugins (jekyll-include-cache, -gist, -avatar...) */
	{ "include_cached", tag_include },
	{ "gist", tag_plugin },
	{ "avatar", tag_plugin },
	{ "seo", tag_plugin },
	{ "feed_meta", tag_plugin },
};

/* A {{ or {% without its end: said, and kept as text. */
static void
unterminated(struct parser *p, struct lq_body *b, const struct tok *t)
{
	char	*ex = excerpt(t);

	report(p, DIAG_ERROR, t, "%s '%s' was not properly terminated with "
	    "regexp: %s", t->kind == TOK_VAR ? "Variable" : "Tag", ex,
	    t->kind == TOK_VAR ? "/\\}\\}/" : "/\\%\\}/");
	free(ex);
	add_text(b, t, t->s, t->len);
}

static void
parse_body(struct parser *p, struct lq_body *b, struct tok *end)
{
	struct tok	 t;
	struct lq_node	*nd;
	size_t		 i, n;
	const char	*s;

	for (;;) {
		next_token(p, &t);
		switch (t.kind) {
		case TOK_EOF:
			*end = t;
			return;
		case TOK_TEXT:
			s = t.s;
			n = t.len;
			if (p->trim)
				while (n > 0 && lq_isstrip(*s))
					s++, n--;
			p->trim = false;
			add_text(b, &t, s, n);
			continue;
		case TOK_VAR:
			whitespace(p, b, &t);
			if (!t.ok) {
				unterminated(p, b, &t);
				continue;
			}
			nd = node_new(LQ_NODE_VAR, &t);
			parse_variable(p, &t, t.markup, t.mlen, &nd->u.var);
			body_add(b, nd);
			b->blank = false;
			continue;
		case TOK_TAG:
			whitespace(p, b, &t);
			if (!t.ok) {
				unterminated(p, b, &t);
				continue;
			}
			for (i = 0; i < nitems(tags); i++)
				if (markup_is(&t, tags[i].name))
					break;
			/* Liquid 5.4 knows no liquid tag inside another. */
			if (i == nitems(tags) || (p->in_liquid &&
			    tags[i].parse == tag_liquid)) {
				*end = t;
				return;
			}
			tags[i].parse(p, b, &t);
			continue;
		}
	}
}

struct liquid_template *
liquid_template_parse(struct liquid_engine *eng, const char *file,
    unsigned first_line, const char *text, size_t len, struct diags *diags)
{
	struct liquid_template	*tmpl = xcalloc(1, sizeof(*tmpl));
	struct parser		 p;
	struct tok		 t;

	tmpl->file = xstrdup(file ? file : "-");
	tmpl->src = xstrndup(text ? text : "", text ? len : 0);
	tmpl->body.blank = true;
	memset(&p, 0, sizeof(p));
	p.eng = eng;
	p.tmpl = tmpl;
	p.file = tmpl->file;
	p.s = tmpl->src;
	p.n = text ? len : 0;
	p.line = first_line ? first_line : 1;
	p.col = 1;
	p.diags = diags;
	p.no_endraw = SIZE_MAX;
	for (;;) {
		parse_body(&p, &tmpl->body, &t);
		if (t.kind == TOK_EOF)
			break;
		if (markup_is(&t, "else") || markup_is(&t, "end"))
			report(&p, DIAG_ERROR, &t,
			    "Unexpected outer '%.*s' tag",
			    (int)t.nlen, t.name);
		else
			report(&p, DIAG_ERROR, &t, "Unknown tag '%.*s'",
			    (int)t.nlen, t.name);
	}
	return tmpl;
}

void
liquid_template_free(struct liquid_template *tmpl)
{
	if (tmpl == NULL)
		return;
	liquid_body_free(&tmpl->body);
	while (tmpl->nmore > 0)
		free(tmpl->more[--tmpl->nmore]);
	free(tmpl->more);
	free(tmpl->file);
	free(tmpl->src);
	free(tmpl);
}
