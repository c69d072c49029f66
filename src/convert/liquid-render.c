/*
 * Rendering a Liquid syntax tree: variable lookup through the scopes
 * (Liquid's Context), conditions, loops, includes, and the bounds that
 * keep a hostile template cheap: steps, output bytes, include depth.
 * Errors are reported at file:line:column of their tag and the node
 * renders nothing; the rest of the template renders.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define RENDER_MAX_DIAGS	50

static void	render_body(struct lq_render *, const struct lq_body *,
		    struct buf *);

struct liquid_engine *
liquid_engine_new(const struct liquid_hooks *hooks,
    const struct liquid_config *cfg)
{
	static const struct liquid_config defaults = LIQUID_CONFIG_DEFAULT;
	struct liquid_engine	*eng = xcalloc(1, sizeof(*eng));

	if (hooks != NULL)
		eng->hooks = *hooks;
	eng->cfg = cfg != NULL ? *cfg : defaults;
	eng->url = xstrdup(eng->cfg.url ? eng->cfg.url : "");
	eng->baseurl = xstrdup(eng->cfg.baseurl ? eng->cfg.baseurl : "");
	eng->cfg.url = eng->url;
	eng->cfg.baseurl = eng->baseurl;
	return eng;
}

void
liquid_engine_free(struct liquid_engine *eng)
{
	size_t	i;

	if (eng == NULL)
		return;
	for (i = 0; i < eng->nincludes; i++) {
		free(eng->includes[i].path);
		liquid_template_free(eng->includes[i].tmpl);
	}
	free(eng->includes);
	free(eng->url);
	free(eng->baseurl);
	free(eng);
}

void
liquid_lines_free(struct liquid_lines *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void
vreport(struct lq_render *r, enum diag_level level, const struct lq_node *nd,
    const char *fmt, va_list ap)
{
	struct buf	msg = BUF_INIT;

	if (r->diags == NULL)
		return;
	if (r->ndiags++ >= RENDER_MAX_DIAGS)
		return;
	buf_vprintf(&msg, fmt, ap);
	diag_add(r->diags, level, r->file, nd ? nd->line : 0,
	    nd ? nd->col : 0, "Liquid %s: %s", level == DIAG_ERROR ? "error" :
	    "warning", msg.data);
	buf_free(&msg);
}

static void report(struct lq_render *, const struct lq_node *, const char *,
    ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct lq_render *, const struct lq_node *, const char *,
    ...)
    __attribute__((format(printf, 3, 4)));

/* What makes Jekyll fail the build: an error. */
static void
report(struct lq_render *r, const struct lq_node *nd, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vreport(r, DIAG_ERROR, nd, fmt, ap);
	va_end(ap);
}

/* The same where only a link is lost (its text is kept): a warning. */
static void
warn(struct lq_render *r, const struct lq_node *nd, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vreport(r, DIAG_WARNING, nd, fmt, ap);
	va_end(ap);
}

void
liquid_fail(struct lq_render *r, const char *fmt, ...)
{
	va_list	ap;

	if (r->failed)
		return;
	r->failed = true;
	buf_truncate(&r->err, 0);
	va_start(ap, fmt);
	buf_vprintf(&r->err, fmt, ap);
	va_end(ap);
}

/* An error from liquid_fail, reported at nd; true if there was one. */
static bool
check_fail(struct lq_render *r, const struct lq_node *nd)
{
	if (!r->failed)
		return false;
	report(r, nd, "%s", r->err.data ? r->err.data : "error");
	r->failed = false;
	return true;
}

/* Note the source line of each output line as its first byte comes. */
static void
record_lines(struct lq_render *r, const char *s, size_t n, unsigned line,
    bool text)
{
	struct liquid_lines	*l = r->lines;
	const char		*end = s + n, *nl;

	while (s < end) {
		if (r->line_start) {
			xgrowarray(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
			l->v[l->n++] = line;
			r->line_start = false;
		}
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			break;
		r->line_start = true;
		if (text)
			line++;
		s = nl + 1;
	}
}

/* Append to out within the output budget; line is where it comes from. */
static void
emit(struct lq_render *r, struct buf *out, const char *s, size_t n,
    unsigned line, bool text)
{
	if (n == 0)
		return;
	if (r->written + n > r->eng->cfg.max_output) {
		if (!r->over_output)
			report(r, NULL, "output larger than %zu bytes; the "
			    "rest dropped", r->eng->cfg.max_output);
		r->over_output = true;
		return;
	}
	r->written += n;
	if (r->lines != NULL && r->top && out == r->topout)
		record_lines(r, s, n, r->depth > 0 ?
		    r->outer_include->line : line,
		    text && r->depth == 0);
	buf_append(out, s, n);
}

static void
emit_value(struct lq_render *r, struct buf *out, const struct value *v,
    unsigned line)
{
	struct buf	tmp = BUF_INIT;

	if (v == NULL || v->type == VALUE_NIL)
		return;
	if (v->type == VALUE_STRING) {
		emit(r, out, v->u.str.s, v->u.str.len, line, false);
		return;
	}
	value_to_s(v, &tmp);
	emit(r, out, tmp.data ? tmp.data : "", tmp.len, line, false);
	buf_free(&tmp);
}

/* One more step; false once the budget is spent (said once). */
static bool
step(struct lq_render *r, const struct lq_node *nd)
{
	if (r->over_steps)
		return false;
	if (++r->steps > r->eng->cfg.max_steps) {
		report(r, nd, "more than %llu steps (a loop too long?); "
		    "loops and includes stop here",
		    (unsigned long long)r->eng->cfg.max_steps);
		r->over_steps = true;
		return false;
	}
	return true;
}

void
liquid_scope_push(struct lq_render *r)
{
	xgrowarray(&r->scopes, &r->capscopes, r->nscopes + 1,
	    sizeof(*r->scopes));
	r->scopes[r->nscopes++] = value_hash();
}

void
liquid_scope_pop(struct lq_render *r)
{
	if (r->nscopes > 1)
		value_unref(r->scopes[--r->nscopes]);
}

void
liquid_scope_set(struct lq_render *r, const char *name, struct value *v)
{
	value_hash_set(r->scopes[r->nscopes - 1], name, strlen(name), v);
}

static struct value *
find_variable(struct lq_render *r, const struct value *key)
{
	struct value	*v;
	size_t		 i;

	if (key == NULL || key->type != VALUE_STRING)
		return &value_nil;
	for (i = r->nscopes; i-- > 0;)
		if ((v = value_hash_get(r->scopes[i], key->u.str.s,
		    key->u.str.len)) != NULL)
			return value_ref(v);
	if ((v = value_hash_get(r->counters, key->u.str.s,
	    key->u.str.len)) != NULL)
		return value_ref(v);
	if ((v = value_get(r->globals, key->u.str.s, key->u.str.len)) != NULL)
		return v;
	return &value_nil;
}

static bool
key_is(const struct value *k, const char *w)
{
	return k->type == VALUE_STRING && k->u.str.len == strlen(w) &&
	    memcmp(k->u.str.s, w, k->u.str.len) == 0;
}

/* obj[key], or obj.size/first/last when command (VariableLookup). */
static struct value *
lookup_step(struct lq_render *r, struct value *obj, struct value *key,
    bool command)
{
	struct value	*v, *pair;
	struct buf	 kb = BUF_INIT;
	int64_t		 i;

	switch (obj->type) {
	case VALUE_HASH:
		if (key->type == VALUE_STRING && (v = value_hash_get(obj,
		    key->u.str.s, key->u.str.len)) != NULL)
			return value_ref(v);
		if (!command)
			break;
		if (key_is(key, "size"))
			return value_int((int64_t)obj->u.hash.n);
		if (key_is(key, "first") && obj->u.hash.n > 0) {
			pair = value_array();
			value_array_push(pair, value_ref(obj->u.hash.v[0].key));
			value_array_push(pair, value_ref(obj->u.hash.v[0].val));
			return pair;
		}
		break;
	case VALUE_ARRAY:
		if (key->type == VALUE_INT) {
			i = key->u.i < 0 ? key->u.i + (int64_t)obj->u.arr.n :
			    key->u.i;
			if (i >= 0 && (size_t)i < obj->u.arr.n)
				return value_ref(obj->u.arr.v[i]);
			break;
		}
		if (!command || obj->u.arr.n == 0)
			return command && key_is(key, "size") ?
			    value_int(0) : &value_nil;
		if (key_is(key, "size"))
			return value_int((int64_t)obj->u.arr.n);
		if (key_is(key, "first"))
			return value_ref(obj->u.arr.v[0]);
		if (key_is(key, "last"))
			return value_ref(obj->u.arr.v[obj->u.arr.n - 1]);
		break;
	case VALUE_STRING:
		if (command && key_is(key, "size"))
			return value_int((int64_t)value_size(obj));
		break;
	case VALUE_RANGE:
		if (!command)
			break;
		if (key_is(key, "size"))
			return value_int((int64_t)value_size(obj));
		if (key_is(key, "first"))
			return value_int(obj->u.range.first);
		if (key_is(key, "last"))
			return value_int(obj->u.range.last);
		break;
	case VALUE_INT:
		if (command && key_is(key, "size"))
			return value_int(8);
		break;
	case VALUE_DROP:
		value_to_s(key, &kb);
		v = obj->u.drop.ops->get(obj->u.drop.self,
		    kb.data ? kb.data : "", kb.len);
		buf_free(&kb);
		return v != NULL ? v : &value_nil;
	default:
		break;
	}
	(void)r;
	return &value_nil;
}

struct value *
liquid_property(struct lq_render *r, struct value *v, struct value *key)
{
	return lookup_step(r, v, key, false);
}

struct value *
liquid_command(struct lq_render *r, struct value *v, struct value *key)
{
	return lookup_step(r, v, key, true);
}

/* RangeLookup's to_integer of an end. */
static bool
range_end(struct lq_render *r, struct value *v, int64_t *out)
{
	if (v->type == VALUE_INT) {
		*out = v->u.i;
		return true;
	}
	if (v->type == VALUE_NIL || v->type == VALUE_STRING) {
		*out = liquid_to_i(v);
		return true;
	}
	return liquid_to_integer(r, v, out);
}

struct value *
liquid_eval(struct lq_render *r, const struct lq_expr *e)
{
	struct value	*obj, *key, *next, *lo, *hi;
	int64_t		 a = 0, b = 0;
	size_t		 i;
	bool		 ok;

	if (e == NULL)
		return &value_nil;
	switch (e->kind) {
	case LQ_EXPR_LIT:
		return value_ref(e->lit);
	case LQ_EXPR_EMPTY:
	case LQ_EXPR_BLANK:
		return value_str("", 0);
	case LQ_EXPR_RANGE:
		lo = liquid_eval(r, e->lo);
		hi = liquid_eval(r, e->hi);
		ok = range_end(r, lo, &a) && range_end(r, hi, &b);
		value_unref(lo);
		value_unref(hi);
		return ok ? value_range(a, b) : &value_nil;
	case LQ_EXPR_VAR:
		break;
	}
	if (e->name_expr != NULL) {
		key = liquid_eval(r, e->name_expr);
		obj = find_variable(r, key);
		value_unref(key);
	} else
		obj = find_variable(r, e->name);
	for (i = 0; i < e->nlookups && obj->type != VALUE_NIL; i++) {
		key = e->lookups[i].key_expr != NULL ?
		    liquid_eval(r, e->lookups[i].key_expr) :
		    value_ref(e->lookups[i].key);
		next = lookup_step(r, obj, key,
		    e->lookups[i].key_expr == NULL &&
		    e->lookups[i].command);
		value_unref(key);
		value_unref(obj);
		obj = next;
	}
	return obj;
}

/* Condition's equal_variables, with empty (and blank) as methods. */
static struct value *
equal_variables(const struct lq_expr *le, struct value *l,
    const struct lq_expr *re, struct value *r)
{
	const struct value	*other;
	enum lq_expr_kind		 lit;

	if ((le != NULL && (le->kind == LQ_EXPR_EMPTY || le->kind ==
	    LQ_EXPR_BLANK)) || (re != NULL && (re->kind == LQ_EXPR_EMPTY ||
	    re->kind == LQ_EXPR_BLANK))) {
		if (le != NULL && (le->kind == LQ_EXPR_EMPTY ||
		    le->kind == LQ_EXPR_BLANK)) {
			lit = le->kind;
			other = r;
		} else {
			lit = re->kind;
			other = l;
		}
		/* Plain Ruby has no blank?: that comparison is nil. */
		if (lit == LQ_EXPR_BLANK)
			return &value_nil;
		switch (other->type) {
		case VALUE_STRING:
			return value_bool(other->u.str.len == 0);
		case VALUE_ARRAY:
			return value_bool(other->u.arr.n == 0);
		case VALUE_HASH:
			return value_bool(other->u.hash.n == 0);
		default:
			return &value_nil;
		}
	}
	return value_bool(value_equal(l, r));
}

static bool
comparable(const struct value *v)
{
	return v->type == VALUE_INT || v->type == VALUE_FLOAT ||
	    v->type == VALUE_STRING || v->type == VALUE_TIME;
}

static struct value *
contains(struct value *l, struct value *r)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	bool		 found = false;

	if (!value_truthy(l) || !value_truthy(r))
		return &value_false;
	switch (l->type) {
	case VALUE_STRING:
		value_to_s(r, &b);
		if (b.len == 0)
			found = true;
		else
			for (i = 0; i + b.len <= l->u.str.len && !found; i++)
				found = memcmp(l->u.str.s + i, b.data,
				    b.len) == 0;
		buf_free(&b);
		return value_bool(found);
	case VALUE_ARRAY:
		for (i = 0; i < l->u.arr.n && !found; i++)
			found = value_equal(l->u.arr.v[i], r);
		return value_bool(found);
	case VALUE_HASH:
		return value_bool(r->type == VALUE_STRING &&
		    value_hash_get(l, r->u.str.s, r->u.str.len) != NULL);
	case VALUE_RANGE:
		if (r->type == VALUE_INT)
			return value_bool(r->u.i >= l->u.range.first &&
			    r->u.i <= l->u.range.last);
		if (r->type == VALUE_FLOAT)
			return value_bool(r->u.f >= l->u.range.first &&
			    r->u.f <= l->u.range.last);
		return &value_false;
	default:
		return &value_false;
	}
}

static struct value *
interpret(struct lq_render *r, const struct lq_cond *c)
{
	struct value	*l, *rv, *res;
	int		 cmp;

	if (c->is_else)
		return &value_true;
	if (c->op == LQ_OP_NONE)
		return liquid_eval(r, c->left);
	l = liquid_eval(r, c->left);
	rv = liquid_eval(r, c->right);
	switch (c->op) {
	case LQ_OP_EQ:
		res = equal_variables(c->left, l, c->right, rv);
		break;
	case LQ_OP_NE:
		res = equal_variables(c->left, l, c->right, rv);
		res = value_bool(!value_truthy(res));
		break;
	case LQ_OP_CONTAINS:
		res = contains(l, rv);
		break;
	case LQ_OP_LT:
	case LQ_OP_GT:
	case LQ_OP_LE:
	case LQ_OP_GE:
		res = &value_nil;
		if (!comparable(l) || !comparable(rv) ||
		    (c->left && c->left->kind >= LQ_EXPR_EMPTY) ||
		    (c->right && c->right->kind >= LQ_EXPR_EMPTY))
			break;
		if (!value_compare(l, rv, &cmp)) {
			struct buf b = BUF_INIT;

			if (l->type == VALUE_STRING || l->type == VALUE_TIME)
				value_inspect(rv, &b);
			else
				buf_puts(&b, value_class_name(rv));
			liquid_fail(r, "comparison of %s with %s failed",
			    value_class_name(l), b.data);
			buf_free(&b);
			break;
		}
		res = value_bool(c->op == LQ_OP_LT ? cmp < 0 :
		    c->op == LQ_OP_GT ?
		    cmp > 0 : c->op == LQ_OP_LE ? cmp <= 0 : cmp >= 0);
		break;
	default:
		liquid_fail(r, "Unknown operator");
		res = &value_nil;
		break;
	}
	value_unref(l);
	value_unref(rv);
	return res;
}

bool
liquid_cond_eval(struct lq_render *r, const struct lq_cond *c)
{
	struct value	*res = &value_nil;
	bool		 t = false;

	for (; c != NULL; c = c->child) {
		value_unref(res);
		res = interpret(r, c);
		t = value_truthy(res);
		if (c->rel == 'o' ? t : c->rel == 'a' ? !t : true)
			break;
	}
	value_unref(res);
	return t;
}

struct value *
liquid_variable_eval(struct lq_render *r, const struct lq_var *var)
{
	const struct lq_call	*f;
	struct value			*obj, *next, **args, *kw;
	size_t				 i, j, n;

	obj = liquid_eval(r, var->expr);
	for (i = 0; i < var->nfilters && !r->failed; i++) {
		f = &var->filters[i];
		n = f->nargs + (f->nkw > 0);
		args = xcalloc(n + 1, sizeof(*args));
		for (j = 0; j < f->nargs; j++)
			args[j] = liquid_eval(r, f->args[j]);
		if (f->nkw > 0) {
			kw = value_hash();
			for (j = 0; j < f->nkw; j++)
				value_hash_set(kw, f->kwnames[j],
				    strlen(f->kwnames[j]),
				    liquid_eval(r, f->kwargs[j]));
			args[f->nargs] = kw;
		}
		if (f->def == NULL)
			next = value_ref(obj);	/* strict_filters is off */
		else if ((int)n < f->def->min || (int)n > f->def->max) {
			if (f->def->min == f->def->max)
				liquid_fail(r, "wrong number of arguments "
				    "(given %zu, expected %d)", n + 1,
				    f->def->min + 1);
			else
				liquid_fail(r, "wrong number of arguments "
				    "(given %zu, expected %d..%d)", n + 1,
				    f->def->min + 1, f->def->max + 1);
			next = NULL;
		} else
			next = f->def->fn(r, obj, args, n);
		for (j = 0; j < n; j++)
			value_unref(args[j]);
		free(args);
		value_unref(obj);
		obj = next != NULL ? next : &value_nil;
	}
	if (r->failed) {
		value_unref(obj);
		return NULL;
	}
	return obj;
}

/* The forloop drop. */
struct forloop_drop {
	int64_t		 index, length;
	char		*name;
	struct value	*parent;
	bool		 tablerow;
	int64_t		 col, cols, row;
};

static struct value *
forloop_get(void *self, const char *key, size_t len)
{
	struct forloop_drop	*f = self;

#define IS(w)	(len == sizeof(w) - 1 && memcmp(key, w, len) == 0)
	if (IS("index"))
		return value_int(f->index + 1);
	if (IS("index0"))
		return value_int(f->index);
	if (IS("rindex"))
		return value_int(f->length - f->index);
	if (IS("rindex0"))
		return value_int(f->length - f->index - 1);
	if (IS("first"))
		return value_bool(f->index == 0);
	if (IS("last"))
		return value_bool(f->index == f->length - 1);
	if (IS("length"))
		return value_int(f->length);
	if (IS("parentloop"))
		return value_ref(f->parent ? f->parent : &value_nil);
	if (IS("name") && !f->tablerow)
		return value_cstr(f->name);
	if (f->tablerow) {
		if (IS("col"))
			return value_int(f->col);
		if (IS("col0"))
			return value_int(f->col - 1);
		if (IS("row"))
			return value_int(f->row);
		if (IS("col_first"))
			return value_bool(f->col == 1);
		if (IS("col_last"))
			return value_bool(f->col == f->cols);
	}
#undef IS
	return NULL;
}

static void
forloop_free(void *self)
{
	struct forloop_drop	*f = self;

	value_unref(f->parent);
	free(f->name);
	free(f);
}

static const struct value_drop_ops forloop_ops = {
	"Liquid::ForloopDrop", forloop_get, NULL, forloop_free,
};

static const struct value_drop_ops tablerowloop_ops = {
	"Liquid::TablerowloopDrop", forloop_get, NULL, forloop_free,
};

/* The element i of a collection being looped over (a new reference). */
static struct value *
coll_item(struct value *coll, size_t i)
{
	struct value	*pair;

	switch (coll->type) {
	case VALUE_ARRAY:
		return value_ref(coll->u.arr.v[i]);
	case VALUE_RANGE:
		return value_int(coll->u.range.first + (int64_t)i);
	case VALUE_HASH:
		pair = value_array();
		value_array_push(pair, value_ref(coll->u.hash.v[i].key));
		value_array_push(pair, value_ref(coll->u.hash.v[i].val));
		return pair;
	default:
		return value_ref(coll);		/* a string: itself, once */
	}
}

static size_t
coll_len(const struct value *coll)
{
	switch (coll->type) {
	case VALUE_ARRAY:
	case VALUE_HASH:
	case VALUE_RANGE:
		return value_size(coll);
	case VALUE_STRING:
		return coll->u.str.len > 0;
	default:
		return 0;
	}
}

static bool
loop_int(struct lq_render *r, const struct lq_node *nd, const struct lq_expr *e,
    int64_t *out, bool *set)
{
	struct value	*v = liquid_eval(r, e);
	bool		 ok = true;

	*set = v->type != VALUE_NIL;
	if (*set)
		ok = liquid_to_integer(r, v, out);
	value_unref(v);
	if (!ok)
		check_fail(r, nd);
	return ok;
}

static void
render_for(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	struct value		*coll, *mat, *fv, *item;
	struct forloop_drop	*fl;
	int64_t			 from = 0, limit = 0, len, first, last, i, k;
	bool			 has_limit = false, set;
	struct value		*off;

	if (nd->u.loop.offset_continue) {
		off = value_hash_get(r->offsets, nd->u.loop.name,
		    strlen(nd->u.loop.name));
		from = off != NULL ? off->u.i : 0;
	} else if (!loop_int(r, nd, nd->u.loop.offset, &from, &set))
		return;
	coll = liquid_eval(r, nd->u.loop.coll);
	mat = value_materialize(coll);
	value_unref(coll);
	coll = mat;
	if (!loop_int(r, nd, nd->u.loop.limit, &limit, &has_limit)) {
		value_unref(coll);
		return;
	}
	/* slice_collection: [from, from + limit) of the collection. */
	len = (int64_t)coll_len(coll);
	first = coll->type == VALUE_STRING ? 0 : from < 0 ? 0 : from;
	last = len;
	if (has_limit && coll->type != VALUE_STRING)
		last = limit + from < len ? limit + from : len;
	if (last < first)
		last = first;
	if (first > len)
		first = last = len;
	value_hash_set(r->offsets, nd->u.loop.name, strlen(nd->u.loop.name),
	    value_int(from + (last - first)));
	if (last == first) {
		value_unref(coll);
		if (nd->u.loop.has_else)
			render_body(r, &nd->u.loop.else_body, out);
		return;
	}
	liquid_scope_push(r);
	fl = xcalloc(1, sizeof(*fl));
	fl->length = last - first;
	fl->name = xstrdup(nd->u.loop.name);
	fl->parent = value_ref(r->forloop_value);
	fv = value_drop(&forloop_ops, fl);
	liquid_scope_set(r, "forloop", value_ref(fv));
	value_unref(r->forloop_value);
	r->forloop_value = value_ref(fv);
	for (i = 0; i < last - first; i++) {
		if (!step(r, nd) || r->over_output)
			break;
		k = nd->u.loop.reversed ? last - 1 - i : first + i;
		item = coll_item(coll, (size_t)k);
		liquid_scope_set(r, nd->u.loop.var, item);
		fl->index = i;
		render_body(r, &nd->u.loop.body, out);
		if (r->ninterrupts > 0) {
			int in = r->interrupts[--r->ninterrupts];

			if (in == 'b')
				break;
		}
	}
	fl->index = i < fl->length ? i : fl->length;
	value_unref(r->forloop_value);
	r->forloop_value = value_ref(fl->parent);
	value_unref(fv);
	liquid_scope_pop(r);
	value_unref(coll);
}

/* TableRow reads its attributes with to_i, which some values lack. */
static bool
tablerow_int(struct lq_render *r, const struct lq_node *nd,
    const struct lq_expr *e, int64_t *out)
{
	struct value	*v = liquid_eval(r, e);
	bool		 ok;

	ok = !(v->type == VALUE_BOOL || v->type == VALUE_ARRAY ||
	    v->type == VALUE_HASH || v->type == VALUE_DROP);

	if (ok)
		*out = liquid_to_i(v);
	else
		report(r, nd, "invalid integer");
	value_unref(v);
	return ok;
}

static void
render_tablerow(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	struct value		*coll, *mat, *fv;
	struct forloop_drop	*fl;
	struct buf		 tag = BUF_INIT;
	int64_t			 from = 0, limit = 0, len, last, i, cols;
	bool			 has_limit;

	coll = liquid_eval(r, nd->u.loop.coll);
	if (coll->type == VALUE_NIL) {
		value_unref(coll);
		return;
	}
	mat = value_materialize(coll);
	value_unref(coll);
	coll = mat;
	has_limit = nd->u.loop.limit != NULL;
	if (!tablerow_int(r, nd, nd->u.loop.offset, &from) ||
	    !tablerow_int(r, nd, nd->u.loop.limit, &limit) ||
	    !tablerow_int(r, nd, nd->u.loop.cols, &cols)) {
		value_unref(coll);
		return;
	}
	len = (int64_t)coll_len(coll);
	if (from < 0 || coll->type == VALUE_STRING)
		from = 0;
	last = has_limit && from + limit < len ? from + limit : len;
	if (last < from)
		last = from;
	emit(r, out, "<tr class=\"row1\">\n", 18, nd->line, false);
	liquid_scope_push(r);
	fl = xcalloc(1, sizeof(*fl));
	fl->length = last > from ? last - from : 0;
	fl->tablerow = true;
	fl->cols = cols;
	fl->col = fl->row = 1;
	fv = value_drop(&tablerowloop_ops, fl);
	liquid_scope_set(r, "tablerowloop", value_ref(fv));
	for (i = 0; from + i < last; i++) {
		if (!step(r, nd) || r->over_output)
			break;
		fl->index = i;
		liquid_scope_set(r, nd->u.loop.var, coll_item(coll,
		    (size_t)(from + i)));
		buf_truncate(&tag, 0);
		buf_printf(&tag, "<td class=\"col%lld\">", (long long)fl->col);
		emit(r, out, tag.data, tag.len, nd->line, false);
		render_body(r, &nd->u.loop.body, out);
		emit(r, out, "</td>", 5, nd->line, false);
		if (fl->col == cols && i != fl->length - 1) {
			buf_truncate(&tag, 0);
			buf_printf(&tag, "</tr>\n<tr class=\"row%lld\">",
			    (long long)fl->row + 1);
			emit(r, out, tag.data, tag.len, nd->line, false);
		}
		if (fl->col == cols) {
			fl->col = 1;
			fl->row++;
		} else
			fl->col++;
	}
	emit(r, out, "</tr>\n", 6, nd->line, false);
	buf_free(&tag);
	value_unref(fv);
	liquid_scope_pop(r);
	value_unref(coll);
}

static void
render_branches(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	const struct lq_branch	*br;
	size_t			 i, k;
	bool			 t, else_ok = true;
	struct value		*left, *right, *res;

	if (nd->kind == LQ_NODE_IF) {
		for (i = 0; i < nd->u.branches.n; i++) {
			br = &nd->u.branches.v[i];
			t = br->cond == NULL || liquid_cond_eval(r, br->cond);
			if (check_fail(r, nd))
				return;
			if (i == 0 && nd->u.branches.unless)
				t = !t;
			if (t) {
				render_body(r, &br->body, out);
				return;
			}
		}
		return;
	}
	for (i = 0; i < nd->u.branches.n; i++) {
		br = &nd->u.branches.v[i];
		if (br->cond == NULL) {
			if (else_ok)
				render_body(r, &br->body, out);
			continue;
		}
		left = liquid_eval(r, nd->u.branches.left);
		right = liquid_eval(r, br->cond->right);
		res = equal_variables(NULL, left, br->cond->right, right);
		t = value_truthy(res);
		value_unref(res);
		value_unref(left);
		value_unref(right);
		if (!t)
			continue;
		else_ok = false;
		for (k = i; nd->u.branches.v[k].shared && k > 0; k--)
			continue;
		render_body(r, &nd->u.branches.v[k].body, out);
	}
}

static void
render_cycle(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	struct value	*name, *cur, *v;
	struct buf	 key = BUF_INIT;
	int64_t		 it = 0;

	if (nd->u.cycle.name != NULL) {
		name = liquid_eval(r, nd->u.cycle.name);
		value_inspect(name, &key);
		value_unref(name);
	} else
		buf_puts(&key, nd->u.cycle.key);
	if ((cur = value_hash_get(r->cycles, key.data, key.len)) != NULL)
		it = cur->u.i;
	if (nd->u.cycle.n > 0 && it < (int64_t)nd->u.cycle.n) {
		v = liquid_eval(r, nd->u.cycle.v[it]);
		emit_value(r, out, v, nd->line);
		value_unref(v);
	}
	it++;
	if (it >= (int64_t)nd->u.cycle.n)
		it = 0;
	value_hash_set(r->cycles, key.data, key.len, value_int(it));
	buf_free(&key);
}

static void
render_counter(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	const char	*name = nd->u.counter;
	struct value	*cur, *glob;
	int64_t		 v = 0;
	char		 tmp[32];

	/* Liquid keeps them in the variables it was given, read first. */
	cur = value_hash_get(r->counters, name, strlen(name));
	if (cur == NULL && (glob = value_get(r->globals, name,
	    strlen(name))) != NULL) {
		if (glob->type == VALUE_INT)
			v = glob->u.i;
		value_unref(glob);
	}
	if (cur != NULL && cur->type == VALUE_INT)
		v = cur->u.i;
	if (nd->kind == LQ_NODE_DECREMENT)
		v--;
	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	emit(r, out, tmp, strlen(tmp), nd->line, false);
	if (nd->kind == LQ_NODE_INCREMENT)
		v++;
	value_hash_set(r->counters, name, strlen(name), value_int(v));
}

/* Jekyll's validate_file_name: [\w/.\-()+~#@]+ without ".." or "//". */
static bool
include_name_ok(const char *s)
{
	size_t	i;

	if (*s == '\0')
		return false;
	for (i = 0; s[i]; i++) {
		if (!(isalnum((unsigned char)s[i]) ||
		    strchr("_/.-()+~#@", s[i]) != NULL))
			return false;
		if ((s[i] == '.' || s[i] == '/') && (s[i + 1] == '.' ||
		    s[i + 1] == '/'))
			return false;
	}
	return true;
}

static struct liquid_template *
include_template(struct lq_render *r, const struct lq_node *nd,
    const char *name)
{
	struct liquid_engine	*eng = r->eng;
	struct liquid_source	 src;
	size_t			 i;

	if (eng->hooks.include == NULL || eng->hooks.include(eng->hooks.ctx,
	    name, nd->u.include.relative, r->page_file, &src) != 0) {
		report(r, nd, "Could not locate the included file '%s' in %s",
		    name, nd->u.include.relative ? "the page's folder" :
		    "_includes");
		return NULL;
	}
	for (i = 0; i < eng->nincludes; i++)
		if (strcmp(eng->includes[i].path, src.path) == 0)
			return eng->includes[i].tmpl;
	xgrowarray(&eng->includes, &eng->capincludes, eng->nincludes + 1,
	    sizeof(*eng->includes));
	eng->includes[eng->nincludes].path = xstrdup(src.path);
	eng->includes[eng->nincludes].tmpl = liquid_template_parse(eng,
	    src.path, 1, src.text, src.len, r->diags);
	return eng->includes[eng->nincludes++].tmpl;
}

static void
render_include(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	struct liquid_template	*tmpl;
	const struct lq_node	*at;
	struct buf		 name = BUF_INIT;
	struct value		*params, *v;
	const char		*file;
	size_t			 i;

	if (r->over_steps || r->over_output)
		return;
	if (nd->u.include.file_tmpl != NULL) {
		r->top = false;
		render_body(r, &nd->u.include.file_tmpl->body, &name);
		r->top = true;
		file = name.data ? name.data : "";
	} else
		file = nd->u.include.file;
	if (!include_name_ok(file)) {
		report(r, nd, "Invalid syntax for include tag. File contains "
		    "invalid characters or sequences: %s", file);
		goto done;
	}
	if (r->depth >= r->eng->cfg.max_include_depth) {
		/* Said where the page includes it: that is what to fix. */
		at = r->depth > 0 ? r->outer_include : nd;
		if (r->diags != NULL && r->ndiags++ < RENDER_MAX_DIAGS)
			diag_add(r->diags, DIAG_ERROR, r->page_file, at->line,
			    at->col,
			    "Liquid error: includes nested deeper than %u (an "
			    "include cycle?): '%s' not included at %s:%u:%u",
			    r->eng->cfg.max_include_depth, file, r->file,
			    nd->line, nd->col);
		goto done;
	}
	if ((tmpl = include_template(r, nd, file)) == NULL)
		goto done;
	liquid_scope_push(r);
	if (nd->u.include.has_params) {
		params = value_hash();
		for (i = 0; i < nd->u.include.nparams; i++) {
			v = nd->u.include.params[i].str != NULL ?
			    value_ref(nd->u.include.params[i].str) :
			    liquid_eval(r, nd->u.include.params[i].expr);
			value_hash_set(params, nd->u.include.params[i].key,
			    strlen(nd->u.include.params[i].key), v);
		}
		liquid_scope_set(r, "include", params);
	}
	{
		const char	*file_was = r->file;
		const struct lq_node *outer_was = r->outer_include;

		if (r->depth++ == 0)
			r->outer_include = nd;
		r->file = tmpl->file;
		render_body(r, &tmpl->body, out);
		r->file = file_was;
		r->depth--;
		r->outer_include = outer_was;
	}
	liquid_scope_pop(r);
done:
	buf_free(&name);
}

/* A fence longer than any run of backticks in s. */
static size_t
fence_len(const char *s, size_t n)
{
	size_t	run = 0, longest = 2, i;

	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest + 1;
}

/*
 * {% highlight %}: a fenced code block with the language as its info
 * string, which the Markdown stage makes a preformatted block with the
 * language as alt text.
 */
static void
render_highlight(struct lq_render *r, const struct lq_node *nd, struct buf *out,
    bool nl_after)
{
	struct buf	 code = BUF_INIT, blk = BUF_INIT;
	const char	*s;
	size_t		 n, fence, i;

	r->top = false;
	render_body(r, &nd->u.highlight.body, &code);
	r->top = true;
	s = code.data ? code.data : "";
	n = code.len;
	while (n > 0 && (*s == '\n' || *s == '\r'))
		s++, n--;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		buf_putc(&blk, '\n');
	fence = fence_len(s, n);
	for (i = 0; i < fence; i++)
		buf_putc(&blk, '`');
	for (i = 0; nd->u.highlight.lang[i]; i++)
		if (nd->u.highlight.lang[i] != '`')
			buf_putc(&blk, nd->u.highlight.lang[i]);
	buf_putc(&blk, '\n');
	if (n > 0) {
		buf_append(&blk, s, n);
		buf_putc(&blk, '\n');
	}
	for (i = 0; i < fence; i++)
		buf_putc(&blk, '`');
	if (nl_after)
		buf_putc(&blk, '\n');
	emit(r, out, blk.data, blk.len, nd->line, false);
	buf_free(&blk);
	buf_free(&code);
}

static void
render_link(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	struct liquid_engine	*eng = r->eng;
	struct buf		 path = BUF_INIT;
	char			*url = NULL;
	const char		*arg;

	if (nd->kind == LQ_NODE_LINK) {
		r->top = false;
		render_body(r, &nd->u.link.tmpl->body, &path);
		r->top = true;
		arg = path.data ? path.data : "";
		if (eng->hooks.link != NULL)
			url = eng->hooks.link(eng->hooks.ctx, arg);
	} else {
		arg = nd->u.link.arg;
		if (eng->hooks.post_url != NULL)
			url = eng->hooks.post_url(eng->hooks.ctx, arg);
	}
	if (url != NULL)
		emit(r, out, url, strlen(url), nd->line, false);
	else {
		if (nd->kind == LQ_NODE_LINK)
			warn(r, nd, "Could not find document '%s' in tag "
			    "'link'", arg);
		else
			warn(r, nd, "Could not find post \"%s\" in tag "
			    "'post_url'", arg);
		/* The Markdown stage keeps the link's text, drops the link. */
		emit(r, out, LIQUID_DEAD_LINK, strlen(LIQUID_DEAD_LINK),
		    nd->line, false);
		emit(r, out, arg, strlen(arg), nd->line, false);
	}
	free(url);
	buf_free(&path);
}

static void
render_plugin(struct lq_render *r, const struct lq_node *nd, struct buf *out)
{
	struct buf	 markup = BUF_INIT, html = BUF_INIT;
	const char	*m;
	size_t		 n;

	r->top = false;
	render_body(r, &nd->u.link.tmpl->body, &markup);
	r->top = true;
	m = markup.data ? markup.data : "";
	for (n = markup.len; n > 0 && lq_isstrip(m[n - 1]); n--)
		continue;
	while (n > 0 && lq_isstrip(*m))
		m++, n--;
	buf_truncate(&markup, (size_t)(m - (markup.data ? markup.data : "")) +
	    n);
	liquid_plugin_render(r, nd->u.link.arg, m, &html);
	if (!check_fail(r, nd))
		emit(r, out, html.data, html.len, nd->line, false);
	buf_free(&html);
	buf_free(&markup);
}

static void
render_node(struct lq_render *r, const struct lq_body *b, size_t idx,
    struct buf *out)
{
	const struct lq_node	*nd = b->v[idx];
	struct value		*v;
	struct buf		 tmp = BUF_INIT;
	bool			 top = r->top;

	switch (nd->kind) {
	case LQ_NODE_TEXT:
	case LQ_NODE_RAW:
		/* Text counts too (includes of long texts), but renders. */
		(void)step(r, nd);
		emit(r, out, nd->u.text.s, nd->u.text.len, nd->line,
		    nd->kind == LQ_NODE_TEXT);
		return;
	case LQ_NODE_COMMENT:
		return;
	default:
		break;
	}
	if (!step(r, nd) && nd->kind != LQ_NODE_VAR)
		return;
	switch (nd->kind) {
	case LQ_NODE_VAR:
		if ((v = liquid_variable_eval(r, &nd->u.var)) == NULL) {
			check_fail(r, nd);
			return;
		}
		emit_value(r, out, v, nd->line);
		value_unref(v);
		break;
	case LQ_NODE_ASSIGN:
		if ((v = liquid_variable_eval(r, &nd->u.assign.from)) == NULL) {
			check_fail(r, nd);
			return;
		}
		value_hash_set(r->scopes[0], nd->u.assign.to,
		    strlen(nd->u.assign.to), v);
		break;
	case LQ_NODE_CAPTURE:
		r->top = false;
		render_body(r, &nd->u.capture.body, &tmp);
		r->top = top;
		value_hash_set(r->scopes[0], nd->u.capture.to,
		    strlen(nd->u.capture.to), value_str_buf(&tmp));
		break;
	case LQ_NODE_IF:
	case LQ_NODE_CASE:
		render_branches(r, nd, out);
		break;
	case LQ_NODE_FOR:
		render_for(r, nd, out);
		break;
	case LQ_NODE_TABLEROW:
		render_tablerow(r, nd, out);
		break;
	case LQ_NODE_BREAK:
	case LQ_NODE_CONTINUE:
		xgrowarray(&r->interrupts, &r->capinterrupts,
		    r->ninterrupts + 1, sizeof(*r->interrupts));
		r->interrupts[r->ninterrupts++] = nd->kind == LQ_NODE_BREAK ?
		    'b' : 'c';
		break;
	case LQ_NODE_CYCLE:
		render_cycle(r, nd, out);
		break;
	case LQ_NODE_INCREMENT:
	case LQ_NODE_DECREMENT:
		render_counter(r, nd, out);
		break;
	case LQ_NODE_IFCHANGED:
		r->top = false;
		render_body(r, &nd->u.body, &tmp);
		r->top = top;
		v = value_str_buf(&tmp);
		if (r->ifchanged == NULL || !value_equal(v, r->ifchanged)) {
			emit_value(r, out, v, nd->line);
			value_unref(r->ifchanged);
			r->ifchanged = v;
		} else
			value_unref(v);
		break;
	case LQ_NODE_INCLUDE:
		render_include(r, nd, out);
		break;
	case LQ_NODE_HIGHLIGHT:
		render_highlight(r, nd, out, !(idx + 1 < b->n &&
		    b->v[idx + 1]->kind == LQ_NODE_TEXT &&
		    b->v[idx + 1]->u.text.len > 0 &&
		    b->v[idx + 1]->u.text.s[0] == '\n'));
		break;
	case LQ_NODE_LINK:
	case LQ_NODE_POST_URL:
		render_link(r, nd, out);
		break;
	case LQ_NODE_PLUGIN:
		render_plugin(r, nd, out);
		break;
	default:
		break;
	}
	buf_free(&tmp);
}

static void
render_body(struct lq_render *r, const struct lq_body *b, struct buf *out)
{
	size_t	i;

	/* As Liquid, an interrupt is looked at after tags and outputs. */
	for (i = 0; i < b->n; i++) {
		render_node(r, b, i, out);
		if (r->ninterrupts > 0 && b->v[i]->kind != LQ_NODE_TEXT)
			break;
	}
}

int
liquid_template_render(struct liquid_engine *eng,
    const struct liquid_template *tmpl, struct value *vars, struct buf *out,
    struct liquid_lines *lines, struct diags *diags)
{
	struct lq_render	r;
	size_t		errors = diags ? diags->errors : 0;

	memset(&r, 0, sizeof(r));
	r.eng = eng;
	r.diags = diags;
	r.file = r.page_file = tmpl->file;
	r.globals = vars;
	r.counters = value_hash();
	r.cycles = value_hash();
	r.offsets = value_hash();
	r.lines = lines;
	r.top = true;
	r.topout = out;
	liquid_scope_push(&r);
	r.line_start = out->len == 0 || out->data[out->len - 1] == '\n';
	buf_reserve(out, 0);
	render_body(&r, &tmpl->body, out);
	while (r.nscopes > 0)
		value_unref(r.scopes[--r.nscopes]);
	free(r.scopes);
	value_unref(r.counters);
	value_unref(r.cycles);
	value_unref(r.offsets);
	value_unref(r.ifchanged);
	value_unref(r.forloop_value);
	free(r.interrupts);
	buf_free(&r.err);
	return diags != NULL && diags->errors > errors ? -1 : 0;
}
