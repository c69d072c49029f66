/*
 * Jekyll 4.3's filters (Jekyll::Filters), which come after Liquid's in
 * the filter lookup and so replace where and sort.  markdownify and
 * smartify go through the site's hooks; sample is deterministic (the
 * first elements), as a build must be reproducible.
 */
#define _GNU_SOURCE	/* memmem */
#include <ctype.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "convert-int.h"

#define ARG(i)	(nargs > (i) ? args[i] : NULL)

static struct value *
hook_convert(struct lq_render *r, struct value *in, bool smart)
{
	struct liquid_hooks	*h = &r->eng->hooks;
	struct value		*s = liquid_str(in);
	struct buf		 out = BUF_INIT;
	void			(*fn)(void *, const char *, size_t,
				    struct buf *) = smart ? h->smartify :
				    h->markdownify;

	if (fn == NULL)
		return s;
	fn(h->ctx, s->u.str.s, s->u.str.len, &out);
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
j_markdownify(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return hook_convert(r, in, false);
}

static struct value *
j_smartify(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return hook_convert(r, in, true);
}

/* I18n.transliterate for the Latin letters people write. */
static const char *
latin_ascii(uint32_t cp)
{
	static const struct { uint32_t cp; const char *s; } t[] = {
		{ 0xc0, "A" }, { 0xc1, "A" }, { 0xc2, "A" }, { 0xc3, "A" },
		{ 0xc4, "A" }, { 0xc5, "A" }, { 0xc6, "AE" }, { 0xc7, "C" },
		{ 0xc8, "E" }, { 0xc9, "E" }, { 0xca, "E" }, { 0xcb, "E" },
		{ 0xcc, "I" }, { 0xcd, "I" }, { 0xce, "I" }, { 0xcf, "I" },
		{ 0xd0, "D" }, { 0xd1, "N" }, { 0xd2, "O" }, { 0xd3, "O" },
		{ 0xd4, "O" }, { 0xd5, "O" }, { 0xd6, "O" }, { 0xd7, "x" },
		{ 0xd8, "O" }, { 0xd9, "U" }, { 0xda, "U" }, { 0xdb, "U" },
		{ 0xdc, "U" }, { 0xdd, "Y" }, { 0xde, "Th" }, { 0xdf, "ss" },
		{ 0xe0, "a" }, { 0xe1, "a" }, { 0xe2, "a" }, { 0xe3, "a" },
		{ 0xe4, "a" }, { 0xe5, "a" }, { 0xe6, "ae" }, { 0xe7, "c" },
		{ 0xe8, "e" }, { 0xe9, "e" }, { 0xea, "e" }, { 0xeb, "e" },
		{ 0xec, "i" }, { 0xed, "i" }, { 0xee, "i" }, { 0xef, "i" },
		{ 0xf0, "d" }, { 0xf1, "n" }, { 0xf2, "o" }, { 0xf3, "o" },
		{ 0xf4, "o" }, { 0xf5, "o" }, { 0xf6, "o" }, { 0xf8, "o" },
		{ 0xf9, "u" }, { 0xfa, "u" }, { 0xfb, "u" }, { 0xfc, "u" },
		{ 0xfd, "y" }, { 0xfe, "th" }, { 0xff, "y" }, { 0x152, "OE" },
		{ 0x153, "oe" }, { 0x160, "S" }, { 0x161, "s" }, { 0x17d, "Z" },
		{ 0x17e, "z" }, { 0x141, "L" }, { 0x142, "l" },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].cp == cp)
			return t[i].s;
	return "?";
}

static bool
slug_keep(uint32_t cp, const char *mode)
{
	locale_t	loc = liquid_utf8_locale();

	if (strcmp(mode, "raw") == 0)
		return !(cp < 128 && lq_isspace((char)cp));
	if (strcmp(mode, "ascii") == 0 || strcmp(mode, "latin") == 0)
		return cp < 128 && isalnum((int)cp);
	if (cp < 128 && isalnum((int)cp))
		return true;
	if (strcmp(mode, "pretty") == 0 && cp < 128 &&
	    strchr("._~!$&'()+,;=@", (int)cp) != NULL)
		return true;
	return cp >= 128 && loc != (locale_t)0 && iswalnum_l((wint_t)cp, loc);
}

void
liquid_slugify(const char *s, size_t len, const char *mode, bool cased,
    struct buf *out)
{
	static const char *const modes[] = { "raw", "default", "pretty",
		"ascii", "latin" };
	struct buf	 src = BUF_INIT, slug = BUF_INIT;
	const char	*p = s, *end = s + len, *tr;
	locale_t	 loc = liquid_utf8_locale();
	uint32_t	 cp;
	size_t		 n, i;
	bool		 dash = false, known = false;
	char		 enc[4];

	if (mode == NULL)
		mode = "default";
	for (i = 0; i < nitems(modes); i++)
		known = known || strcmp(mode, modes[i]) == 0;
	if (strcmp(mode, "latin") == 0) {
		while (p < end) {
			if ((n = utf8_decode(p, (size_t)(end - p), &cp)) == 0)
				n = 1, cp = '?';
			if (cp < 128)
				buf_putc(&src, (char)cp);
			else if ((tr = latin_ascii(cp)) != NULL)
				buf_puts(&src, tr);
			p += n;
		}
		buf_reserve(&src, 0);
		p = src.data;
		end = p + src.len;
	}
	for (; p < end; p += n) {
		if ((n = utf8_decode(p, (size_t)(end - p), &cp)) == 0)
			n = 1, cp = (unsigned char)*p;
		if (known && !slug_keep(cp, mode)) {
			if (!dash)
				buf_putc(&slug, '-');
			dash = true;
			continue;
		}
		dash = false;
		if (!cased)
			cp = cp < 128 ? (uint32_t)tolower((int)cp) : loc ?
			    (uint32_t)towlower_l((wint_t)cp, loc) : cp;
		buf_append(&slug, enc, utf8_encode(cp, enc));
	}
	buf_reserve(&slug, 0);
	p = slug.data;
	n = slug.len;
	if (known) {
		if (n > 0 && p[0] == '-')
			p++, n--;
		if (n > 0 && p[n - 1] == '-')
			n--;
	}
	buf_append(out, p, n);
	buf_free(&slug);
	buf_free(&src);
}

static struct value *
j_slugify(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s, *m = ARG(0);
	struct buf	 out = BUF_INIT;
	const char	*mode = "default";

	if (value_is_nil(in))
		return &value_nil;
	if (m != NULL && !value_is_nil(m))
		mode = m->type == VALUE_STRING ? m->u.str.s : "";
	s = liquid_str(in);
	liquid_slugify(s->u.str.s, s->u.str.len, mode, false, &out);
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static void
xml_escape_into(const char *s, size_t n, struct buf *out)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&apos;"); break;
		default: buf_putc(out, s[i]); break;
		}
	}
}

static struct value *
j_xml_escape(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s = liquid_str(in);
	struct buf	 out = BUF_INIT;

	xml_escape_into(s->u.str.s, s->u.str.len, &out);
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
j_cgi_escape(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct buf	 out = BUF_INIT;

	if (in == NULL || in->type != VALUE_STRING) {
		liquid_fail(r, "no implicit conversion into String");
		return NULL;
	}
	url_encode(&out, in->u.str.s, in->u.str.len, URL_FORM);
	return value_str_buf(&out);
}

/* Addressable's normalize_component: decoded, then what a URI cannot hold. */
static void
uri_escape_into(const char *s, size_t n, struct buf *out)
{
	char	*dec = xmalloc(n + 1);
	size_t	 dn;

	dn = url_decode(s, n, dec, false);
	url_encode(out, dec, dn, URL_URI);
	free(dec);
}

static struct value *
j_uri_escape(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s;
	struct buf	 out = BUF_INIT;

	if (value_is_nil(in))
		return &value_nil;
	s = liquid_str(in);
	uri_escape_into(s->u.str.s, s->u.str.len, &out);
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
j_normalize_whitespace(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	struct value	*s = liquid_str(in);
	struct buf	 out = BUF_INIT;
	size_t		 i;
	bool		 ws = false;

	for (i = 0; i < s->u.str.len; i++) {
		if (lq_isspace(s->u.str.s[i])) {
			ws = true;
			continue;
		}
		if (ws && out.len > 0)
			buf_putc(&out, ' ');
		ws = false;
		buf_putc(&out, s->u.str.s[i]);
	}
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static bool
is_cjk(uint32_t cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 &&
	    cp <= 0x4dbf) || (cp >= 0x3040 && cp <= 0x30ff) ||
	    (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff) ||
	    (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0xf900 &&
	    cp <= 0xfaff) || (cp >= 0x3130 && cp <= 0x318f);
}

static struct value *
j_number_of_words(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	struct value	*s, *m = ARG(0);
	const char	*p, *end;
	int64_t		 words = 0, cjk = 0, other = 0;
	uint32_t	 cp;
	size_t		 n;
	bool		 in_word = false, in_other = false;
	int		 mode = 0;

	if (in == NULL || in->type != VALUE_STRING) {
		liquid_fail(r, "undefined method for %s",
		    value_is_nil(in) ? "nil" : "a non-string");
		return NULL;
	}
	if (m != NULL && m->type == VALUE_STRING)
		mode = strcmp(m->u.str.s, "cjk") == 0 ? 'c' :
		    strcmp(m->u.str.s, "auto") == 0 ? 'a' : 0;
	s = liquid_str(in);
	p = s->u.str.s;
	end = p + s->u.str.len;
	for (; p < end; p += n) {
		if ((n = utf8_decode(p, (size_t)(end - p), &cp)) == 0)
			n = 1, cp = 0xfffd;
		bool ws = cp < 128 && (lq_isspace((char)cp) || cp == 0);

		if (!ws && !in_word)
			words++;
		in_word = !ws;
		if (is_cjk(cp)) {
			cjk++;
			in_other = false;
		} else if (ws)
			in_other = false;
		else {
			if (!in_other)
				other++;
			in_other = true;
		}
	}
	value_unref(s);
	if (mode == 'c' || (mode == 'a' && cjk > 0))
		return value_int(cjk + other);
	return value_int(words);
}

static struct value *
j_array_to_sentence_string(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	struct value	*c = ARG(0) != NULL ? liquid_str(ARG(0)) :
			    value_cstr("and");
	struct buf	 out = BUF_INIT;
	size_t		 i, n;

	if (in == NULL || in->type != VALUE_ARRAY) {
		value_unref(c);
		liquid_fail(r, "array_to_sentence_string needs an array");
		return NULL;
	}
	n = in->u.arr.n;
	for (i = 0; i < n; i++) {
		if (i > 0 && n > 2)
			buf_puts(&out, ", ");
		else if (i > 0)
			buf_putc(&out, ' ');
		if (i == n - 1 && n > 1) {
			buf_append(&out, c->u.str.s, c->u.str.len);
			buf_putc(&out, ' ');
		}
		value_to_s(in->u.arr.v[i], &out);
	}
	buf_reserve(&out, 0);
	value_unref(c);
	return value_str_buf(&out);
}

static struct value *
j_jsonify(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct buf	out = BUF_INIT;

	value_to_json(in, &out);
	return value_str_buf(&out);
}

/* Jekyll's parse_sort_input: "12" is 12, " 1.5 " is 1.5. */
static struct value *
sort_input(struct value *v)
{
	struct value	*res;
	char		*s, *p;
	size_t		 n;
	bool		 dot = false, digits = false, ok = true;

	if (v->type != VALUE_STRING)
		return v;
	s = liquid_to_s(v, &n);
	for (p = s; lq_isspace(*p); p++)
		continue;
	if (*p == '-')
		p++;
	for (; *p && !lq_isspace(*p); p++) {
		if (isdigit((unsigned char)*p))
			digits = true;
		else if (*p == '.' && !dot)
			dot = true;
		else
			ok = false;
	}
	while (lq_isspace(*p))
		p++;
	ok = ok && *p == '\0' && (digits || (dot && false));
	if (ok && !dot)
		res = value_int(liquid_to_i(v));
	else if (ok)
		res = value_float(strtod(s, NULL));
	else
		res = v;
	if (res != v)
		value_unref(v);
	free(s);
	return res;
}

/*
 * Jekyll's item_property: item.to_liquid[property], a dotted property
 * dug key by key (a value without [] ends it as false).  NULL after
 * liquid_fail where Ruby's [] raises: an array or an integer indexed
 * by a string, or a value without [] asked directly.
 */
static struct value *
item_property(struct lq_render *r, struct value *item, struct value *prop)
{
	struct value	*cur = value_ref(item), *next, *key;
	char		*p, *s, *dot;
	bool		 dotted;

	s = liquid_to_s(prop, NULL);
	dotted = strchr(s, '.') != NULL;
	for (p = s;; p = dot + 1) {
		dot = strchr(p, '.');
		if (dot != NULL)
			*dot = '\0';
		key = value_cstr(p);
		switch (cur->type) {
		case VALUE_HASH:
		case VALUE_DROP:
			next = liquid_property(r, cur, key);
			break;
		case VALUE_STRING:
			next = memmem(cur->u.str.s, cur->u.str.len,
			    key->u.str.s, key->u.str.len) != NULL ?
			    value_ref(key) : &value_nil;
			break;
		case VALUE_ARRAY:
		case VALUE_INT:
			liquid_fail(r, "no implicit conversion of String into "
			    "Integer");
			next = NULL;
			break;
		default:
			if (dotted)
				next = &value_false;
			else {
				liquid_fail(r, "undefined method `[]'");
				next = NULL;
			}
			break;
		}
		value_unref(key);
		value_unref(cur);
		if ((cur = next) == NULL)
			break;
		if (dot == NULL || !value_truthy(cur))
			break;
	}
	free(s);
	return cur == NULL ? NULL : sort_input(cur);
}

/* compare_property_vs_target. */
static bool
property_matches(struct value *prop, struct value *target)
{
	char	*t, *ps;
	size_t	 i;
	bool	 m = false;

	if (value_is_nil(target))
		return value_is_nil(prop);
	t = liquid_to_s(target, NULL);
	if (prop->type == VALUE_STRING)
		m = strcmp(prop->u.str.s, t) == 0;
	else if (prop->type == VALUE_ARRAY) {
		for (i = 0; i < prop->u.arr.n && !m; i++) {
			ps = liquid_to_s(prop->u.arr.v[i], NULL);
			m = strcmp(ps, t) == 0;
			free(ps);
		}
	} else if (!value_is_nil(prop)) {
		ps = liquid_to_s(prop, NULL);
		m = strcmp(ps, t) == 0;
		free(ps);
	}
	free(t);
	return m;
}

/* The array a Jekyll filter selects from: a hash's values. */
static struct value *
selectable(struct value *in)
{
	struct value	*m, *a;
	size_t		 i;

	if (in == NULL)
		return NULL;
	m = value_materialize(in);
	if (m->type == VALUE_ARRAY)
		return m;
	if (m->type == VALUE_HASH) {
		a = value_array();
		for (i = 0; i < m->u.hash.n; i++)
			value_array_push(a, value_ref(m->u.hash.v[i].val));
		value_unref(m);
		return a;
	}
	value_unref(m);
	return NULL;
}

static struct value *
where_find(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs, bool find)
{
	struct value	*a, *res = NULL, *p;
	size_t		 i;

	if (value_is_nil(ARG(0)) || ARG(0)->type == VALUE_BOOL ||
	    (ARG(1) != NULL && (ARG(1)->type == VALUE_ARRAY ||
	    ARG(1)->type == VALUE_HASH)))
		return value_ref(in);
	if ((a = selectable(in)) == NULL)
		return value_ref(in);
	if (!find)
		res = value_array();
	for (i = 0; i < a->u.arr.n; i++) {
		if ((p = item_property(r, a->u.arr.v[i], ARG(0))) == NULL) {
			value_unref(res);
			value_unref(a);
			return NULL;
		}
		if (property_matches(p, ARG(1) ? ARG(1) : &value_nil)) {
			if (find) {
				value_unref(p);
				res = value_ref(a->u.arr.v[i]);
				break;
			}
			value_array_push(res, value_ref(a->u.arr.v[i]));
		}
		value_unref(p);
	}
	value_unref(a);
	return res != NULL ? res : &value_nil;
}

static struct value *
j_where(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return where_find(r, in, args, nargs, false);
}

static struct value *
j_find(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return where_find(r, in, args, nargs, true);
}

static struct value *
exp_select(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs, bool find)
{
	struct value	*a, *res = NULL, *var, *ex;
	struct lq_cond	*c;
	size_t		 i;
	bool		 t;

	if ((a = selectable(in)) == NULL)
		return value_ref(in);
	var = liquid_str(ARG(0));
	ex = liquid_str(ARG(1));
	if ((c = liquid_cond_parse(ex->u.str.s, ex->u.str.len)) == NULL) {
		liquid_fail(r, "Liquid syntax error in expression \"%s\"",
		    ex->u.str.s);
		value_unref(a);
		value_unref(var);
		value_unref(ex);
		return NULL;
	}
	if (!find)
		res = value_array();
	liquid_scope_push(r);
	for (i = 0; i < a->u.arr.n && !r->failed; i++) {
		liquid_scope_set(r, var->u.str.s, value_ref(a->u.arr.v[i]));
		t = liquid_cond_eval(r, c);
		if (!t)
			continue;
		if (find) {
			res = value_ref(a->u.arr.v[i]);
			break;
		}
		value_array_push(res, value_ref(a->u.arr.v[i]));
	}
	liquid_scope_pop(r);
	liquid_cond_free(c);
	value_unref(a);
	value_unref(var);
	value_unref(ex);
	if (r->failed) {
		value_unref(res);
		return NULL;
	}
	return res != NULL ? res : &value_nil;
}

static struct value *
j_where_exp(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return exp_select(r, in, args, nargs, false);
}

static struct value *
j_find_exp(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return exp_select(r, in, args, nargs, true);
}

/* A hash as Ruby's Enumerable sees it: [key, value] pairs. */
static struct value *
hash_pairs(const struct value *h)
{
	struct value	*a = value_array(), *pair;
	size_t		 i;

	for (i = 0; i < h->u.hash.n; i++) {
		pair = value_array();
		value_array_push(pair, value_ref(h->u.hash.v[i].key));
		value_array_push(pair, value_ref(h->u.hash.v[i].val));
		value_array_push(a, pair);
	}
	return a;
}

/* Ruby's to_s of a group's key: an array or a hash as its inspect. */
static struct value *
group_name(struct value *v)
{
	struct buf	b = BUF_INIT;

	if (v->type != VALUE_ARRAY && v->type != VALUE_HASH)
		return liquid_str(v);
	value_inspect(v, &b);
	return value_str_buf(&b);
}

/* [{"name", "items", "size"}...] in the order names first appear. */
static struct value *
grouped(struct value *names, struct value *groups)
{
	struct value	*res = value_array(), *g;
	size_t		 i;

	for (i = 0; i < names->u.arr.n; i++) {
		g = value_hash();
		value_hash_set(g, "name", 4, value_ref(names->u.arr.v[i]));
		value_hash_set(g, "items", 5, value_ref(groups->u.arr.v[i]));
		value_hash_set(g, "size", 4,
		    value_int((int64_t)groups->u.arr.v[i]->u.arr.n));
		value_array_push(res, g);
	}
	value_unref(names);
	value_unref(groups);
	return res;
}

static void
group_add(struct value *names, struct value *groups, struct value *key,
    struct value *item)
{
	size_t	i;

	for (i = 0; i < names->u.arr.n; i++)
		if (value_equal(names->u.arr.v[i], key))
			break;
	if (i == names->u.arr.n) {
		value_array_push(names, value_ref(key));
		value_array_push(groups, value_array());
	}
	value_array_push(groups->u.arr.v[i], value_ref(item));
}

static struct value *
j_group_by(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*a, *names, *groups, *p, *k;
	size_t		 i;

	if (in == NULL || (in->type != VALUE_ARRAY && in->type != VALUE_HASH))
		return value_ref(in);
	a = in->type == VALUE_ARRAY ? value_ref(in) : hash_pairs(in);
	names = value_array();
	groups = value_array();
	for (i = 0; i < a->u.arr.n; i++) {
		if ((p = item_property(r, a->u.arr.v[i], ARG(0))) == NULL) {
			value_unref(names);
			value_unref(groups);
			value_unref(a);
			return NULL;
		}
		k = group_name(p);
		group_add(names, groups, k, a->u.arr.v[i]);
		value_unref(k);
		value_unref(p);
	}
	value_unref(a);
	return grouped(names, groups);
}

static struct value *
j_group_by_exp(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*names, *groups, *var, *ex, *k;
	struct lq_var	 v;
	char		*err;
	size_t		 i;

	if (in == NULL || in->type != VALUE_ARRAY)
		return value_ref(in);
	var = liquid_str(ARG(0));
	ex = liquid_str(ARG(1));
	liquid_variable_parse(ex->u.str.s, ex->u.str.len, &v, &err);
	free(err);
	names = value_array();
	groups = value_array();
	liquid_scope_push(r);
	for (i = 0; i < in->u.arr.n && !r->failed; i++) {
		liquid_scope_set(r, var->u.str.s, value_ref(in->u.arr.v[i]));
		if ((k = liquid_variable_eval(r, &v)) == NULL)
			break;
		group_add(names, groups, k, in->u.arr.v[i]);
		value_unref(k);
	}
	liquid_scope_pop(r);
	liquid_variable_free(&v);
	value_unref(var);
	value_unref(ex);
	if (r->failed) {
		value_unref(names);
		value_unref(groups);
		return NULL;
	}
	return grouped(names, groups);
}

static struct value *
j_to_integer(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	if (in != NULL && in->type == VALUE_BOOL)
		return value_int(in->u.b ? 1 : 0);
	if (in != NULL && (in->type == VALUE_ARRAY || in->type == VALUE_HASH)) {
		liquid_fail(r, "undefined method `to_i'");
		return NULL;
	}
	return value_int(liquid_to_i(in));
}

static int
prop_cmp(struct lq_render *r, struct value *a, struct value *b)
{
	struct value	*pa = a->u.arr.v[0], *pb = b->u.arr.v[0];
	char		*x, *y;
	int		 c;

	if (!value_is_nil(pa) && value_is_nil(pb))
		return -r->sort_nils;
	if (value_is_nil(pa) && !value_is_nil(pb))
		return r->sort_nils;
	if (value_compare(pa, pb, &c))
		return c;
	x = liquid_to_s(pa, NULL);
	y = liquid_to_s(pb, NULL);
	c = strcmp(x, y);
	free(x);
	free(y);
	return c < 0 ? -1 : c > 0;
}

static void
stable_sort(struct lq_render *r, struct value **v, size_t n)
{
	struct value	*t;
	size_t		 i, j;

	/* Insertion runs merged: n is small in templates, keep it simple. */
	if (n > 64) {
		size_t	 h = n / 2;
		struct value **tmp = xcalloc(n, sizeof(*tmp));
		size_t	 a = 0, b = h, k = 0;

		stable_sort(r, v, h);
		stable_sort(r, v + h, n - h);
		while (a < h || b < n)
			tmp[k++] = (a < h && (b >= n ||
			    prop_cmp(r, v[a], v[b]) <= 0)) ? v[a++] : v[b++];
		memcpy(v, tmp, n * sizeof(*v));
		free(tmp);
		return;
	}
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && prop_cmp(r, v[j - 1], t) > 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

static struct value *
j_sort(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*a, *pairs, *res, *k;
	char		*nils;
	size_t		 i;

	if (value_is_nil(in)) {
		liquid_fail(r, "Cannot sort a null object.");
		return NULL;
	}
	if (in->type != VALUE_ARRAY && in->type != VALUE_HASH) {
		liquid_fail(r, "undefined method `sort'");
		return NULL;
	}
	a = in->type == VALUE_HASH ? hash_pairs(in) : value_ref(in);
	if (value_is_nil(ARG(0))) {
		res = liquid_sort_plain(r, a, false);
		value_unref(a);
		return res;
	}
	nils = ARG(1) != NULL ? liquid_to_s(ARG(1), NULL) : xstrdup("first");
	if (strcmp(nils, "first") == 0)
		r->sort_nils = -1;
	else if (strcmp(nils, "last") == 0)
		r->sort_nils = 1;
	else {
		liquid_fail(r, "Invalid nils order: '%s' is not a valid nils "
		    "order. It must be 'first' or 'last'.", nils);
		free(nils);
		value_unref(a);
		return NULL;
	}
	free(nils);
	pairs = value_array();
	for (i = 0; i < a->u.arr.n; i++) {
		struct value *pair = value_array();

		value_array_push(pairs, pair);
		if ((k = item_property(r, a->u.arr.v[i], ARG(0))) == NULL) {
			value_unref(pairs);
			value_unref(a);
			return NULL;
		}
		value_array_push(pair, k);
		value_array_push(pair, value_ref(a->u.arr.v[i]));
	}
	stable_sort(r, pairs->u.arr.v, pairs->u.arr.n);
	res = value_array();
	for (i = 0; i < pairs->u.arr.n; i++)
		value_array_push(res, value_ref(pairs->u.arr.v[i]->u.arr.v[1]));
	value_unref(pairs);
	value_unref(a);
	return res;
}

static struct value *
array_edit(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs, char op)
{
	struct value	*res;
	int64_t		 num = 1, i, n;

	if (in == NULL || in->type != VALUE_ARRAY)
		return value_ref(in);
	if ((op == 'p' || op == 's') && ARG(0) != NULL &&
	    !liquid_to_integer(r, ARG(0), &num))
		return NULL;
	if (num < 0) {
		liquid_fail(r, "negative array size");
		return NULL;
	}
	n = (int64_t)in->u.arr.n;
	res = value_array();
	if (op == 'u')
		value_array_push(res, value_ref(ARG(0) ? ARG(0) : &value_nil));
	for (i = 0; i < n; i++) {
		if (op == 'p' && i >= n - num)
			break;
		if (op == 's' && i < num)
			continue;
		value_array_push(res, value_ref(in->u.arr.v[i]));
	}
	if (op == 'P')
		value_array_push(res, value_ref(ARG(0) ? ARG(0) : &value_nil));
	return res;
}

static struct value *
j_pop(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	return array_edit(r, in, args, nargs, 'p');
}

static struct value *
j_push(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	return array_edit(r, in, args, nargs, 'P');
}

static struct value *
j_shift(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return array_edit(r, in, args, nargs, 's');
}

static struct value *
j_unshift(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return array_edit(r, in, args, nargs, 'u');
}

static struct value *
j_sample(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*res;
	int64_t		 num = 1, i;

	if (in == NULL || in->type != VALUE_ARRAY)
		return value_ref(in);
	if (ARG(0) != NULL && !liquid_to_integer(r, ARG(0), &num)) {
		r->failed = false;
		num = 1;
	}
	if (num == 1)
		return value_ref(in->u.arr.n > 0 ? in->u.arr.v[0] : &value_nil);
	res = value_array();
	for (i = 0; i < num && (size_t)i < in->u.arr.n; i++)
		value_array_push(res, value_ref(in->u.arr.v[i]));
	return res;
}

static struct value *
j_inspect(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct buf	i = BUF_INIT, out = BUF_INIT;

	value_inspect(in, &i);
	xml_escape_into(i.data ? i.data : "", i.len, &out);
	buf_reserve(&out, 0);
	buf_free(&i);
	return value_str_buf(&out);
}

/* Jekyll's time(): to_date, then in the local zone. */
static bool
jekyll_time(struct lq_render *r, struct value *in, struct value_time *t)
{
	char	*s;

	if (!liquid_to_time(in, t)) {
		s = NULL;
		{
			struct buf b = BUF_INIT;

			value_inspect(in, &b);
			s = buf_detach(&b, NULL);
		}
		liquid_fail(r, "Invalid Date: '%s' is not a valid datetime.",
		    s);
		free(s);
		return false;
	}
	if (t->date_only) {
		/* Date#to_time: midnight in the local zone. */
		t->date_only = false;
		t->sec -= 0;
		value_time_local(t);
		t->sec -= t->offset;
		value_time_local(t);
	}
	value_time_local(t);
	return true;
}

static bool
empty_date(struct value *in)
{
	return value_is_nil(in) || (in->type == VALUE_STRING &&
	    in->u.str.len == 0);
}

static struct value *
date_format(struct lq_render *r, struct value *in, const char *fmt)
{
	struct value_time	 t;
	struct buf		 out = BUF_INIT;

	if (empty_date(in))
		return value_ref(in);
	if (!jekyll_time(r, in, &t))
		return NULL;
	value_strftime(&t, fmt, strlen(fmt), &out);
	return value_str_buf(&out);
}

static struct value *
j_date_to_xmlschema(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	return date_format(r, in, "%Y-%m-%dT%H:%M:%S%:z");
}

static struct value *
j_date_to_rfc822(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return date_format(r, in, "%a, %d %b %Y %H:%M:%S %z");
}

static struct value *
stringify_date(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs, const char *month)
{
	struct value_time	 t;
	struct buf		 fmt = BUF_INIT, out = BUF_INIT;
	struct buf		 day = BUF_INIT;
	int			 d;
	const char		*suffix;
	bool			 ordinal, us;

	if (empty_date(in))
		return value_ref(in);
	if (!jekyll_time(r, in, &t))
		return NULL;
	ordinal = ARG(0) != NULL && ARG(0)->type == VALUE_STRING &&
	    strcmp(ARG(0)->u.str.s, "ordinal") == 0;
	us = ARG(1) != NULL && ARG(1)->type == VALUE_STRING &&
	    strcmp(ARG(1)->u.str.s, "US") == 0;
	if (ordinal) {
		value_strftime(&t, "%-d", 3, &day);
		d = atoi(day.data);
		suffix = (d >= 11 && d <= 13) ? "th" : d % 10 == 1 ? "st" :
		    d % 10 == 2 ? "nd" : d % 10 == 3 ? "rd" : "th";
		if (us)
			buf_printf(&fmt, "%s %d%s, %%Y", month, d, suffix);
		else
			buf_printf(&fmt, "%d%s %s %%Y", d, suffix, month);
	} else
		buf_printf(&fmt, "%%d %s %%Y", month);
	value_strftime(&t, fmt.data, fmt.len, &out);
	buf_free(&fmt);
	buf_free(&day);
	return value_str_buf(&out);
}

static struct value *
j_date_to_string(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return stringify_date(r, in, args, nargs, "%b");
}

static struct value *
j_date_to_long_string(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	return stringify_date(r, in, args, nargs, "%B");
}

/* A URL with a scheme: Addressable's absolute?. */
static bool
has_scheme(const char *s)
{
	size_t	i;

	if (!isalpha((unsigned char)s[0]))
		return false;
	for (i = 1; isalnum((unsigned char)s[i]) || s[i] == '+' ||
	    s[i] == '-' || s[i] == '.'; i++)
		continue;
	return s[i] == ':';
}

static void
leading_slash(struct buf *out, const char *s)
{
	if (*s != '\0' && *s != '/')
		buf_putc(out, '/');
	buf_puts(out, s);
}

static struct value *
relative(struct lq_render *r, struct value *in, bool absolute)
{
	struct value	*s, *u;
	struct buf	 joined = BUF_INIT, out = BUF_INIT;
	const char	*base = r->eng->cfg.baseurl;
	size_t		 bl = strlen(base);

	if (value_is_nil(in))
		return &value_nil;
	if (in->type == VALUE_DROP && (u = value_get(in, "url", 3)) != NULL)
		s = u;
	else
		s = liquid_str(in);
	if (has_scheme(s->u.str.s)) {
		value_unref(s);
		return liquid_str(in);
	}
	if (absolute && r->eng->cfg.url[0] != '\0')
		buf_puts(&joined, r->eng->cfg.url);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	if (bl > 0) {
		if (base[0] != '/')
			buf_putc(&joined, '/');
		buf_append(&joined, base, bl);
	}
	leading_slash(&joined, s->u.str.s);
	uri_escape_into(joined.data ? joined.data : "", joined.len, &out);
	buf_reserve(&out, 0);
	buf_free(&joined);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
j_relative_url(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return relative(r, in, false);
}

static struct value *
j_absolute_url(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return relative(r, in, true);
}

static struct value *
j_strip_index(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s;
	size_t		 n;

	if (empty_date(in))
		return &value_nil;
	s = liquid_str(in);
	n = s->u.str.len;
	if (n >= 11 && memcmp(s->u.str.s + n - 11, "/index.html", 11) == 0) {
		struct value *res = value_str(s->u.str.s, n - 10);

		value_unref(s);
		return res;
	}
	if (n >= 10 && memcmp(s->u.str.s + n - 10, "/index.htm", 10) == 0) {
		struct value *res = value_str(s->u.str.s, n - 9);

		value_unref(s);
		return res;
	}
	return s;
}

const struct lq_filter liquid_jekyll_filters[] = {
	{ "absolute_url", j_absolute_url, 0, 0 },
	{ "array_to_sentence_string", j_array_to_sentence_string, 0, 1 },
	{ "cgi_escape", j_cgi_escape, 0, 0 },
	{ "date_to_long_string", j_date_to_long_string, 0, 2 },
	{ "date_to_rfc822", j_date_to_rfc822, 0, 0 },
	{ "date_to_string", j_date_to_string, 0, 2 },
	{ "date_to_xmlschema", j_date_to_xmlschema, 0, 0 },
	{ "find", j_find, 2, 2 },
	{ "find_exp", j_find_exp, 2, 2 },
	{ "group_by", j_group_by, 1, 1 },
	{ "group_by_exp", j_group_by_exp, 2, 2 },
	{ "inspect", j_inspect, 0, 0 },
	{ "jsonify", j_jsonify, 0, 0 },
	{ "markdownify", j_markdownify, 0, 0 },
	{ "normalize_whitespace", j_normalize_whitespace, 0, 0 },
	{ "number_of_words", j_number_of_words, 0, 1 },
	{ "pop", j_pop, 0, 1 },
	{ "push", j_push, 1, 1 },
	{ "relative_url", j_relative_url, 0, 0 },
	{ "sample", j_sample, 0, 1 },
	{ "shift", j_shift, 0, 1 },
	{ "slugify", j_slugify, 0, 1 },
	{ "smartify", j_smartify, 0, 0 },
	{ "sort", j_sort, 0, 2 },
	{ "strip_index", j_strip_index, 0, 0 },
	{ "to_integer", j_to_integer, 0, 0 },
	{ "unshift", j_unshift, 1, 1 },
	{ "uri_escape", j_uri_escape, 0, 0 },
	{ "where", j_where, 2, 2 },
	{ "where_exp", j_where_exp, 2, 2 },
	{ "xml_escape", j_xml_escape, 0, 0 },
};

const size_t liquid_njekyll_filters = nitems(liquid_jekyll_filters);
