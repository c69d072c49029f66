/*
 * Liquid expressions, outputs and conditions, parsed as the liquid gem
 * parses them in its "warn" mode: the strict parser first; when it
 * rejects the markup, a warning and the lax parser, whose regular
 * expressions are followed here by hand (QuotedFragment and friends).
 * Both end in Expression.parse, which turns a markup string into a
 * literal, a range or a variable lookup.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

/* Ruby's String#strip: whitespace and NUL. */
static void
strip(const char **s, size_t *n)
{
	while (*n > 0 && (lq_isspace(**s) || **s == '\0'))
		(*s)++, (*n)--;
	while (*n > 0 && (lq_isspace((*s)[*n - 1]) || (*s)[*n - 1] == '\0'))
		(*n)--;
}

/*
 * QuotedFragment at exactly s[i]: "[^"]*" | '[^']*' |
 * (?:[^\s,|'"]|"[^"]*"|'[^']*')+.  Its end, or i when it does not match.
 */
static size_t
qf_at(const char *s, size_t n, size_t i)
{
	const char	*q;
	size_t		 j = i;

	if (i < n && (s[i] == '"' || s[i] == '\'')) {
		q = memchr(s + i + 1, s[i], n - i - 1);
		return q == NULL ? i : (size_t)(q - s) + 1;
	}
	while (j < n) {
		if (s[j] == '"' || s[j] == '\'') {
			q = memchr(s + j + 1, s[j], n - j - 1);
			if (q == NULL)
				break;
			j = (size_t)(q - s) + 1;
		} else if (!lq_isspace(s[j]) && s[j] != ',' && s[j] != '|')
			j++;
		else
			break;
	}
	return j;
}

/* The first QuotedFragment at or after from: its start in *start. */
static bool
qf_find(const char *s, size_t n, size_t from, size_t *start, size_t *end)
{
	size_t	i, e;

	for (i = from; i < n; i++)
		if ((e = qf_at(s, n, i)) > i) {
			*start = i;
			*end = e;
			return true;
		}
	return false;
}

static struct lq_expr *
expr_new(enum lq_expr_kind kind)
{
	struct lq_expr	*e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	return e;
}

static struct lq_expr *
expr_lit(struct value *v)
{
	struct lq_expr	*e = expr_new(LQ_EXPR_LIT);

	e->lit = v;
	return e;
}

void
liquid_expr_free(struct lq_expr *e)
{
	size_t	i;

	if (e == NULL)
		return;
	value_unref(e->lit);
	value_unref(e->name);
	liquid_expr_free(e->name_expr);
	for (i = 0; i < e->nlookups; i++) {
		liquid_expr_free(e->lookups[i].key_expr);
		value_unref(e->lookups[i].key);
	}
	free(e->lookups);
	liquid_expr_free(e->lo);
	liquid_expr_free(e->hi);
	free(e);
}

static bool
all_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* Ruby's String#to_i on an integer literal: saturates past int64. */
static int64_t
parse_int(const char *s, size_t n)
{
	bool	neg = n > 0 && s[0] == '-';
	int64_t	v = 0;
	size_t	i;

	for (i = neg; i < n && isdigit((unsigned char)s[i]); i++) {
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return neg ? INT64_MIN : INT64_MAX;
		v = v * 10 + (s[i] - '0');
	}
	return neg ? -v : v;
}

/* Ruby's String#to_f for -?\d[\d.]+: the longest valid prefix. */
static double
parse_float(const char *s, size_t n)
{
	char	buf[64];
	size_t	i = 0, j = 0;
	bool	dot = false;

	if (n > 0 && s[0] == '-')
		buf[j++] = s[i++];
	for (; i < n && j < sizeof(buf) - 1; i++) {
		if (s[i] == '.') {
			if (dot || i + 1 >= n ||
			    !isdigit((unsigned char)s[i + 1]))
				break;
			dot = true;
		}
		buf[j++] = s[i];
	}
	buf[j] = '\0';
	return strtod(buf, NULL);
}

static bool
word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

static struct lq_expr *expr_parse_depth(const char *, size_t, bool, int);

/* VariableParser: \[[^\]]+\] | [\w-]+\?? at or after *i; false at end. */
static bool
next_segment(const char *s, size_t n, size_t *i, size_t *start, size_t *end)
{
	const char	*q;
	size_t		 j;

	for (; *i < n; (*i)++) {
		if (s[*i] == '[' && *i + 1 < n && s[*i + 1] != ']' &&
		    (q = memchr(s + *i + 1, ']', n - *i - 1)) != NULL) {
			*start = *i;
			*end = *i = (size_t)(q - s) + 1;
			return true;
		}
		if (lq_isword(s[*i]) || s[*i] == '-') {
			for (j = *i; j < n && (lq_isword(s[j]) ||
			    s[j] == '-'); j++)
				continue;
			if (j < n && s[j] == '?')
				j++;
			*start = *i;
			*end = *i = j;
			return true;
		}
	}
	return false;
}

static struct lq_expr *
lookup_parse(const char *s, size_t n, int depth)
{
	struct lq_expr	*e = expr_new(LQ_EXPR_VAR);
	struct lq_lookup	*l;
	size_t		 i = 0, a, b, cap = 0;
	bool		 first = true;

	while (next_segment(s, n, &i, &a, &b)) {
		bool bracket = s[a] == '[';

		if (first) {
			first = false;
			if (bracket)
				e->name_expr = expr_parse_depth(s + a + 1,
				    b - a - 2, false, depth + 1);
			else
				e->name = value_str(s + a, b - a);
			continue;
		}
		xgrowarray(&e->lookups, &cap, e->nlookups + 1,
		    sizeof(*e->lookups));
		l = &e->lookups[e->nlookups++];
		memset(l, 0, sizeof(*l));
		if (bracket)
			l->key_expr = expr_parse_depth(s + a + 1, b - a - 2,
			    false, depth + 1);
		else {
			l->key = value_str(s + a, b - a);
			l->command = word_is(s + a, b - a, "size") ||
			    word_is(s + a, b - a, "first") ||
			    word_is(s + a, b - a, "last");
		}
	}
	if (first)
		e->name = NULL;		/* nothing to look up: nil */
	return e;
}

/* (a..b): both ends, as the regex \A\(\s*(?>(\S+)\s*\.\.)\s*(\S+)\s*\)\z. */
static bool
range_parts(const char *s, size_t n, size_t *a0, size_t *a1, size_t *b0,
    size_t *b1)
{
	size_t	i = 1, run, k, j;

	if (n < 2 || s[0] != '(' || s[n - 1] != ')')
		return false;
	while (i < n && lq_isspace(s[i]))
		i++;
	for (run = i; run < n && !lq_isspace(s[run]); run++)
		continue;
	/* The longest \S+ followed by \s*.. */
	for (k = run; k > i; k--) {
		j = k;
		while (j < n && lq_isspace(s[j]))
			j++;
		if (j + 1 < n && s[j] == '.' && s[j + 1] == '.')
			break;
	}
	if (k == i)
		return false;
	*a0 = i;
	*a1 = k;
	j = k;
	while (j < n && lq_isspace(s[j]))
		j++;
	j += 2;
	while (j < n && lq_isspace(s[j]))
		j++;
	*b0 = j;
	k = n - 1;
	while (k > j && lq_isspace(s[k - 1]))
		k--;
	if (k == j)
		return false;
	for (i = j; i < k; i++)
		if (lq_isspace(s[i]))
			return false;
	*b1 = k;
	return true;
}

static bool
to_i_ok(const struct value *v)
{
	return v->type == VALUE_INT || v->type == VALUE_FLOAT ||
	    v->type == VALUE_STRING || v->type == VALUE_NIL;
}

/* Ruby's to_i of a literal range end. */
static int64_t
lit_to_i(const struct value *v)
{
	return v->type == VALUE_INT ? v->u.i : v->type == VALUE_FLOAT ?
	    (int64_t)v->u.f : liquid_to_i(v);
}

static struct lq_expr *
expr_parse_depth(const char *s, size_t n, bool cond, int depth)
{
	struct lq_expr	*lo, *hi, *e;
	size_t		 a0, a1, b0, b1;

	strip(&s, &n);
	if (depth > LIQUID_MAX_EXPR_DEPTH)
		return expr_lit(&value_nil);
	if (cond && word_is(s, n, "empty"))
		return expr_new(LQ_EXPR_EMPTY);
	if (cond && word_is(s, n, "blank"))
		return expr_new(LQ_EXPR_BLANK);
	if (n >= 1 && ((s[0] == '"' && s[n - 1] == '"') ||
	    (s[0] == '\'' && s[n - 1] == '\'')))
		return expr_lit(value_str(s + 1, n >= 2 ? n - 2 : 0));
	if (all_digits(s + (n > 0 && s[0] == '-'), n - (n > 0 && s[0] == '-')))
		return expr_lit(value_int(parse_int(s, n)));
	if (range_parts(s, n, &a0, &a1, &b0, &b1)) {
		lo = expr_parse_depth(s + a0, a1 - a0, false, depth + 1);
		hi = expr_parse_depth(s + b0, b1 - b0, false, depth + 1);
		/* Literal ends Ruby's to_i takes; others fail as Ruby does. */
		if (lo->kind == LQ_EXPR_LIT && hi->kind == LQ_EXPR_LIT &&
		    to_i_ok(lo->lit) && to_i_ok(hi->lit)) {
			e = expr_lit(value_range(lit_to_i(lo->lit),
			    lit_to_i(hi->lit)));
			liquid_expr_free(lo);
			liquid_expr_free(hi);
			return e;
		}
		e = expr_new(LQ_EXPR_RANGE);
		e->lo = lo;
		e->hi = hi;
		return e;
	}
	if (n >= 2 && (isdigit((unsigned char)s[0]) || (s[0] == '-' &&
	    isdigit((unsigned char)s[1])))) {
		size_t i = s[0] == '-' ? 2 : 1;

		while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'))
			i++;
		if (i == n && i >= (size_t)(s[0] == '-' ? 3 : 2))
			return expr_lit(value_float(parse_float(s, n)));
	}
	if (n == 0 || word_is(s, n, "nil") || word_is(s, n, "null"))
		return expr_lit(&value_nil);
	if (word_is(s, n, "true"))
		return expr_lit(&value_true);
	if (word_is(s, n, "false"))
		return expr_lit(&value_false);
	if (word_is(s, n, "blank") || word_is(s, n, "empty"))
		return expr_lit(value_str("", 0));
	return lookup_parse(s, n, depth);
}

struct lq_expr *
liquid_expr_parse(const char *s, size_t n, bool cond)
{
	return expr_parse_depth(s, n, cond, 0);
}

/* The strict lexer (Liquid::Lexer). */
enum tok {
	TK_END, TK_COMPARISON, TK_STRING, TK_NUMBER, TK_ID, TK_DOTDOT,
	TK_PIPE, TK_DOT, TK_COLON, TK_COMMA, TK_OPEN_SQUARE, TK_CLOSE_SQUARE,
	TK_OPEN_ROUND, TK_CLOSE_ROUND, TK_QUESTION, TK_DASH, TK_BAD,
};

struct ltok {
	enum tok	 t;
	const char	*s;
	size_t		 n;
};

struct lexer {
	struct ltok	*v;
	size_t		 n, cap, p;
	struct buf	 err;
	int		 depth;
};

static void
lex_push(struct lexer *lx, enum tok t, const char *s, size_t n)
{
	xgrowarray(&lx->v, &lx->cap, lx->n + 1, sizeof(*lx->v));
	lx->v[lx->n].t = t;
	lx->v[lx->n].s = s;
	lx->v[lx->n].n = n;
	lx->n++;
}

static bool
lex(struct lexer *lx, const char *s, size_t n)
{
	static const char	specials[] = "|.:,[]()?-";
	static const enum tok	kinds[] = { TK_PIPE, TK_DOT, TK_COLON,
		TK_COMMA, TK_OPEN_SQUARE, TK_CLOSE_SQUARE, TK_OPEN_ROUND,
		TK_CLOSE_ROUND, TK_QUESTION, TK_DASH };
	const char		*q, *sp;
	size_t			 i = 0, j;

	memset(lx, 0, sizeof(*lx));
	while (i < n) {
		while (i < n && lq_isspace(s[i]))
			i++;
		if (i >= n)
			break;
		j = i;
		if ((s[i] == '=' || s[i] == '!') && i + 1 < n &&
		    s[i + 1] == '=')
			j = i + 2;
		else if (s[i] == '<' && i + 1 < n && s[i + 1] == '>')
			j = i + 2;
		else if (s[i] == '<' || s[i] == '>')
			j = i + 1 + (i + 1 < n && s[i + 1] == '=');
		else if (n - i > 8 && memcmp(s + i, "contains", 8) == 0 &&
		    lq_isspace(s[i + 8]))
			j = i + 8;
		if (j > i) {
			lex_push(lx, TK_COMPARISON, s + i, j - i);
			i = j;
			continue;
		}
		if ((s[i] == '\'' || s[i] == '"') &&
		    (q = memchr(s + i + 1, s[i], n - i - 1)) != NULL) {
			j = (size_t)(q - s) + 1;
			lex_push(lx, TK_STRING, s + i, j - i);
			i = j;
			continue;
		}
		j = i + (s[i] == '-');
		if (j < n && isdigit((unsigned char)s[j])) {
			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j + 1 < n && s[j] == '.' &&
			    isdigit((unsigned char)s[j + 1]))
				for (j++; j < n &&
				    isdigit((unsigned char)s[j]);)
					j++;
			lex_push(lx, TK_NUMBER, s + i, j - i);
			i = j;
			continue;
		}
		if (isalpha((unsigned char)s[i]) || s[i] == '_') {
			for (j = i + 1; j < n && (lq_isword(s[j]) ||
			    s[j] == '-');)
				j++;
			if (j < n && s[j] == '?')
				j++;
			lex_push(lx, TK_ID, s + i, j - i);
			i = j;
			continue;
		}
		if (s[i] == '.' && i + 1 < n && s[i + 1] == '.') {
			lex_push(lx, TK_DOTDOT, s + i, 2);
			i += 2;
			continue;
		}
		if (s[i] != '\0' && (sp = strchr(specials, s[i])) != NULL) {
			lex_push(lx, kinds[sp - specials], s + i, 1);
			i++;
			continue;
		}
		buf_printf(&lx->err, "Unexpected character %c", s[i]);
		return false;
	}
	lex_push(lx, TK_END, s + n, 0);
	return true;
}

static void
lex_free(struct lexer *lx)
{
	free(lx->v);
	buf_free(&lx->err);
}

static bool
look(const struct lexer *lx, enum tok t, size_t ahead)
{
	return lx->p + ahead < lx->n && lx->v[lx->p + ahead].t == t;
}

static bool
fail(struct lexer *lx, const char *what)
{
	if (lx->err.len == 0)
		buf_printf(&lx->err, "%s", what);
	return false;
}

static bool
consume(struct lexer *lx, enum tok t, struct buf *out)
{
	static const char *const names[] = { "end_of_string", "comparison",
		"string", "number", "id", "dotdot", "pipe", "dot", "colon",
		"comma", "open_square", "close_square", "open_round",
		"close_round", "question", "dash", "?" };

	if (lx->v[lx->p].t != t) {
		if (lx->err.len == 0)
			buf_printf(&lx->err, "Expected %s but found %s",
			    names[t], names[lx->v[lx->p].t]);
		return false;
	}
	if (out != NULL)
		buf_append(out, lx->v[lx->p].s, lx->v[lx->p].n);
	lx->p++;
	return true;
}

static bool
id_is(struct lexer *lx, const char *w)
{
	if (look(lx, TK_ID, 0) && word_is(lx->v[lx->p].s, lx->v[lx->p].n, w)) {
		lx->p++;
		return true;
	}
	return false;
}

static bool strict_expression(struct lexer *, struct buf *);

static bool
variable_lookups(struct lexer *lx, struct buf *out)
{
	for (;;) {
		if (look(lx, TK_OPEN_SQUARE, 0)) {
			if (!consume(lx, TK_OPEN_SQUARE, out) ||
			    !strict_expression(lx, out) ||
			    !consume(lx, TK_CLOSE_SQUARE, out))
				return false;
		} else if (look(lx, TK_DOT, 0)) {
			if (!consume(lx, TK_DOT, out) || !consume(lx, TK_ID,
			    out))
				return false;
		} else
			return true;
	}
}

/* Parser#expression: the markup of one expression into out. */
static bool
strict_expression(struct lexer *lx, struct buf *out)
{
	bool	ok;

	if (++lx->depth > LIQUID_MAX_EXPR_DEPTH)
		return fail(lx, "expression nested too deep");
	switch (lx->v[lx->p].t) {
	case TK_ID:
		ok = consume(lx, TK_ID, out) && variable_lookups(lx, out);
		break;
	case TK_OPEN_SQUARE:
		ok = consume(lx, TK_OPEN_SQUARE, out) &&
		    strict_expression(lx, out) &&
		    consume(lx, TK_CLOSE_SQUARE, out) &&
		    variable_lookups(lx, out);
		break;
	case TK_STRING:
	case TK_NUMBER:
		ok = consume(lx, lx->v[lx->p].t, out);
		break;
	case TK_OPEN_ROUND:
		ok = consume(lx, TK_OPEN_ROUND, out) &&
		    strict_expression(lx, out) &&
		    consume(lx, TK_DOTDOT, out) &&
		    strict_expression(lx, out) &&
		    consume(lx, TK_CLOSE_ROUND, out);
		break;
	default:
		ok = fail(lx, "is not a valid expression");
		break;
	}
	lx->depth--;
	return ok;
}

static struct lq_expr *
strict_expr(struct lexer *lx, bool cond)
{
	struct buf	 b = BUF_INIT;
	struct lq_expr	*e = NULL;

	if (strict_expression(lx, &b))
		e = liquid_expr_parse(b.data, b.len, cond);
	buf_free(&b);
	return e;
}

void
liquid_variable_free(struct lq_var *v)
{
	size_t	i, j;

	liquid_expr_free(v->expr);
	for (i = 0; i < v->nfilters; i++) {
		struct lq_call *f = &v->filters[i];

		free(f->name);
		for (j = 0; j < f->nargs; j++)
			liquid_expr_free(f->args[j]);
		free(f->args);
		for (j = 0; j < f->nkw; j++) {
			free(f->kwnames[j]);
			liquid_expr_free(f->kwargs[j]);
		}
		free(f->kwnames);
		free(f->kwargs);
	}
	free(v->filters);
	memset(v, 0, sizeof(*v));
}

static struct lq_call *
add_filter(struct lq_var *v, const char *name, size_t n)
{
	struct lq_call	*f;

	v->filters = xreallocarray(v->filters, v->nfilters + 1,
	    sizeof(*v->filters));
	f = &v->filters[v->nfilters++];
	memset(f, 0, sizeof(*f));
	f->name = xstrndup(name, n);
	f->def = liquid_filter_find(name, n);
	return f;
}

/* One filter argument: key: value (JustTagAttributes) or a value. */
static void
add_arg(struct lq_call *f, const char *s, size_t n)
{
	size_t	i = 0, k, vs, ve;

	strip(&s, &n);
	if (n > 0 && lq_isword(s[0])) {
		for (i = 1; i < n && (lq_isword(s[i]) || s[i] == '-'); i++)
			continue;
		k = i;
		while (i < n && lq_isspace(s[i]))
			i++;
		if (i < n && s[i] == ':') {
			i++;
			while (i < n && lq_isspace(s[i]))
				i++;
			vs = i;
			ve = qf_at(s, n, vs);
			if (ve > vs && ve == n) {
				f->kwnames = xreallocarray(f->kwnames,
				    f->nkw + 1, sizeof(*f->kwnames));
				f->kwargs = xreallocarray(f->kwargs,
				    f->nkw + 1, sizeof(*f->kwargs));
				f->kwnames[f->nkw] = xstrndup(s, k);
				f->kwargs[f->nkw++] = liquid_expr_parse(s + vs,
				    ve - vs, false);
				return;
			}
		}
	}
	f->args = xreallocarray(f->args, f->nargs + 1, sizeof(*f->args));
	f->args[f->nargs++] = liquid_expr_parse(s, n, false);
}

static bool
strict_variable(const char *s, size_t n, struct lq_var *v, struct buf *err)
{
	struct lexer		 lx;
	struct lq_call	*f;
	struct buf		 arg = BUF_INIT;
	bool			 ok = false;

	memset(v, 0, sizeof(*v));
	if (!lex(&lx, s, n))
		goto done;
	if (look(&lx, TK_END, 0)) {
		ok = true;
		goto done;
	}
	if ((v->expr = strict_expr(&lx, false)) == NULL)
		goto done;
	while (look(&lx, TK_PIPE, 0)) {
		lx.p++;
		if (!look(&lx, TK_ID, 0)) {
			consume(&lx, TK_ID, NULL);
			goto done;
		}
		f = add_filter(v, lx.v[lx.p].s, lx.v[lx.p].n);
		lx.p++;
		if (!look(&lx, TK_COLON, 0))
			continue;
		lx.p++;
		do {
			buf_truncate(&arg, 0);
			if (look(&lx, TK_ID, 0) && look(&lx, TK_COLON, 1)) {
				buf_append(&arg, lx.v[lx.p].s, lx.v[lx.p].n);
				buf_puts(&arg, ": ");
				lx.p += 2;
			}
			if (!strict_expression(&lx, &arg))
				goto done;
			add_arg(f, arg.data, arg.len);
		} while (look(&lx, TK_COMMA, 0) && (lx.p++, true));
	}
	ok = consume(&lx, TK_END, NULL);
done:
	if (!ok) {
		buf_puts(err, lx.err.len ? lx.err.data : "syntax error");
		liquid_variable_free(v);
	}
	buf_free(&arg);
	lex_free(&lx);
	return ok;
}

/*
 * The lax parse: (QuotedFragment)(.*), then after the first "|" each
 * run of (\s+|QuotedFragment|,)+ is a filter named by its first \w+,
 * with arguments (?::|,)\s*((?:\w+\s*:\s*)?QuotedFragment).
 */
static void
lax_variable(const char *s, size_t n, struct lq_var *v)
{
	struct lq_call	*f;
	const char		*bar;
	size_t			 a, b, i, j, k, w, e, fs;

	memset(v, 0, sizeof(*v));
	if (!qf_find(s, n, 0, &a, &b))
		return;
	v->expr = liquid_expr_parse(s + a, b - a, false);
	if ((bar = memchr(s + b, '|', n - b)) == NULL)
		return;
	i = (size_t)(bar - s) + 1;
	while (i < n && lq_isspace(s[i]))
		i++;
	while (i < n) {
		/* One FilterParser match starting at the first place it can. */
		for (fs = i; fs < n; fs++)
			if (lq_isspace(s[fs]) || s[fs] == ',' || qf_at(s, n,
			    fs) > fs)
				break;
		if (fs >= n)
			break;
		for (j = fs; j < n;) {
			if (lq_isspace(s[j]) || s[j] == ',')
				j++;
			else if ((e = qf_at(s, n, j)) > j)
				j = e;
			else
				break;
		}
		for (w = fs; w < j && !lq_isword(s[w]); w++)
			continue;
		if (w < j) {
			for (k = w; k < j && lq_isword(s[k]); k++)
				continue;
			f = add_filter(v, s + w, k - w);
			/* Arguments after the name. */
			for (a = k; a < j; a++) {
				if (s[a] != ':' && s[a] != ',')
					continue;
				b = a + 1;
				while (b < j && lq_isspace(s[b]))
					b++;
				/* (?:\w+\s*:\s*)? then QuotedFragment */
				e = b;
				if (e < j && lq_isword(s[e])) {
					size_t x = e;

					while (x < j && lq_isword(s[x]))
						x++;
					while (x < j && lq_isspace(s[x]))
						x++;
					if (x < j && s[x] == ':') {
						x++;
						while (x < j &&
						    lq_isspace(s[x]))
							x++;
						if (qf_at(s, j, x) > x)
							e = x;
					}
				}
				if ((k = qf_at(s, j, e)) > e) {
					add_arg(f, s + b, k - b);
					a = k - 1;
				}
			}
		}
		i = j > fs ? j : fs + 1;
		while (i < n && !(lq_isspace(s[i]) || s[i] == ',' ||
		    qf_at(s, n, i) > i))
			i++;
	}
}

bool
liquid_variable_parse(const char *s, size_t n, struct lq_var *v,
    char **err)
{
	struct buf	e = BUF_INIT;

	if (strict_variable(s, n, v, &e)) {
		buf_free(&e);
		*err = NULL;
		return true;
	}
	*err = buf_detach(&e, NULL);
	lax_variable(s, n, v);
	return false;
}

void
liquid_cond_free(struct lq_cond *c)
{
	struct lq_cond	*next;

	for (; c != NULL; c = next) {
		next = c->child;
		liquid_expr_free(c->left);
		liquid_expr_free(c->right);
		free(c);
	}
}

static enum lq_op
op_of(const char *s, size_t n)
{
	if (word_is(s, n, "=="))
		return LQ_OP_EQ;
	if (word_is(s, n, "!=") || word_is(s, n, "<>"))
		return LQ_OP_NE;
	if (word_is(s, n, "<"))
		return LQ_OP_LT;
	if (word_is(s, n, ">"))
		return LQ_OP_GT;
	if (word_is(s, n, "<="))
		return LQ_OP_LE;
	if (word_is(s, n, ">="))
		return LQ_OP_GE;
	if (word_is(s, n, "contains"))
		return LQ_OP_CONTAINS;
	return LQ_OP_NONE;
}

static struct lq_cond *
strict_cond(const char *s, size_t n, struct buf *err)
{
	struct lexer	 lx;
	struct lq_cond	*first = NULL, **link = &first, *c;
	int		 rel = 0;

	if (!lex(&lx, s, n))
		goto fail;
	for (;;) {
		c = xcalloc(1, sizeof(*c));
		*link = c;
		link = &c->child;
		if ((c->left = strict_expr(&lx, true)) == NULL)
			goto fail;
		if (look(&lx, TK_COMPARISON, 0)) {
			c->op = op_of(lx.v[lx.p].s, lx.v[lx.p].n);
			lx.p++;
			if ((c->right = strict_expr(&lx, true)) == NULL)
				goto fail;
		}
		(void)rel;
		if (id_is(&lx, "and"))
			c->rel = 'a';
		else if (id_is(&lx, "or"))
			c->rel = 'o';
		else
			break;
	}
	if (!consume(&lx, TK_END, NULL))
		goto fail;
	lex_free(&lx);
	return first;
fail:
	buf_puts(err, lx.err.len ? lx.err.data : "syntax error");
	lex_free(&lx);
	liquid_cond_free(first);
	return NULL;
}

/* Syntax: (QF)\s*([=!<>a-z_]+)?\s*(QF)? somewhere in s[0..n). */
static struct lq_cond *
lax_comparison(const char *s, size_t n)
{
	struct lq_cond	*c;
	size_t		 a, b, i, o;

	if (!qf_find(s, n, 0, &a, &b))
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->left = liquid_expr_parse(s + a, b - a, true);
	i = b;
	while (i < n && lq_isspace(s[i]))
		i++;
	for (o = i; o < n && (strchr("=!<>_", s[o]) != NULL ||
	    (s[o] >= 'a' && s[o] <= 'z')); o++)
		continue;
	if (o > i) {
		c->op = op_of(s + i, o - i);
		if (c->op == LQ_OP_NONE)
			c->op = LQ_OP_UNKNOWN; /* an error when evaluated */
		while (o < n && lq_isspace(s[o]))
			o++;
		if (qf_at(s, n, o) > o)
			c->right = liquid_expr_parse(s + o, qf_at(s, n, o) - o,
			    true);
	}
	return c;
}

/* A word "and" or "or" at s[i] (\b on both sides). */
static size_t
bool_op_at(const char *s, size_t n, size_t i, int *rel)
{
	if ((i > 0 && lq_isword(s[i - 1])))
		return 0;
	if (n - i >= 3 && memcmp(s + i, "and", 3) == 0 &&
	    (i + 3 == n || !lq_isword(s[i + 3]))) {
		*rel = 'a';
		return 3;
	}
	if (n - i >= 2 && memcmp(s + i, "or", 2) == 0 &&
	    (i + 2 == n || !lq_isword(s[i + 2]))) {
		*rel = 'o';
		return 2;
	}
	return 0;
}

/* The lax if: operands split at the words and/or outside quotes. */
static struct lq_cond *
lax_cond(const char *s, size_t n)
{
	struct lq_cond	*first = NULL, **link = &first, *c;
	size_t		 i = 0, start = 0, k, e;
	int		 rel;

	while (i <= n) {
		rel = 0;
		if (i < n && (s[i] == '"' || s[i] == '\'') &&
		    (e = qf_at(s, n, i)) > i) {
			i = e;
			continue;
		}
		if (i == n || (k = bool_op_at(s, n, i, &rel)) > 0) {
			if ((c = lax_comparison(s + start,
			    i - start)) == NULL) {
				liquid_cond_free(first);
				return NULL;
			}
			c->rel = rel;
			*link = c;
			link = &c->child;
			if (i == n)
				break;
			i += k;
			start = i;
			continue;
		}
		i++;
	}
	return first;
}

struct lq_cond *
liquid_cond_parse(const char *s, size_t n)
{
	struct buf	 err = BUF_INIT;
	struct lq_cond	*c = strict_cond(s, n, &err);

	buf_free(&err);
	return c;
}

/* The if markup: strict, else a warning (in *err) and lax. */
struct lq_cond *
liquid_cond_parse_markup(const char *s, size_t n, char **err)
{
	struct buf	 e = BUF_INIT;
	struct lq_cond	*c;

	*err = NULL;
	if ((c = strict_cond(s, n, &e)) != NULL) {
		buf_free(&e);
		return c;
	}
	*err = buf_detach(&e, NULL);
	return lax_cond(s, n);
}

/* Helpers for the tag parsers. */
size_t
liquid_qf_at(const char *s, size_t n, size_t i)
{
	return qf_at(s, n, i);
}

bool
liquid_qf_find(const char *s, size_t n, size_t from, size_t *a, size_t *b)
{
	return qf_find(s, n, from, a, b);
}

/* The for markup, strict: var in expr [reversed] (limit|offset: expr)*. */
bool
liquid_for_strict(const char *s, size_t n, struct lq_node *nd, struct buf *err)
{
	struct lexer	 lx;
	struct buf	 coll = BUF_INIT, attr = BUF_INIT;
	bool		 ok = false;
	const char	*key;

	if (!lex(&lx, s, n))
		goto done;
	if (!look(&lx, TK_ID, 0)) {
		consume(&lx, TK_ID, NULL);
		goto done;
	}
	nd->u.loop.var = xstrndup(lx.v[lx.p].s, lx.v[lx.p].n);
	lx.p++;
	if (!id_is(&lx, "in")) {
		fail(&lx, "For loops require an 'in' clause");
		goto done;
	}
	if (!strict_expression(&lx, &coll))
		goto done;
	nd->u.loop.coll = liquid_expr_parse(coll.data, coll.len, false);
	nd->u.loop.name = xasprintf("%s-%s", nd->u.loop.var, coll.data);
	nd->u.loop.reversed = id_is(&lx, "reversed");
	while (look(&lx, TK_ID, 0) && look(&lx, TK_COLON, 1)) {
		if (id_is(&lx, "limit"))
			key = "limit";
		else if (id_is(&lx, "offset"))
			key = "offset";
		else {
			fail(&lx, "Invalid attribute in for loop. Valid "
			    "attributes are limit and offset");
			goto done;
		}
		lx.p++;
		buf_truncate(&attr, 0);
		if (!strict_expression(&lx, &attr))
			goto done;
		if (key[0] == 'l') {
			liquid_expr_free(nd->u.loop.limit);
			nd->u.loop.limit = liquid_expr_parse(attr.data,
			    attr.len, false);
		} else if (strcmp(attr.data, "continue") == 0) {
			nd->u.loop.offset_continue = true;
		} else {
			liquid_expr_free(nd->u.loop.offset);
			nd->u.loop.offset = liquid_expr_parse(attr.data,
			    attr.len, false);
			nd->u.loop.offset_continue = false;
		}
	}
	ok = consume(&lx, TK_END, NULL);
done:
	if (!ok)
		buf_puts(err, lx.err.len ? lx.err.data : "syntax error");
	buf_free(&coll);
	buf_free(&attr);
	lex_free(&lx);
	return ok;
}
