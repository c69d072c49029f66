/*
 * Values: construction, reference counts, comparison and printing as
 * Ruby prints them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model-int.h"

struct value	value_nil = { VALUE_NIL, 0, { .b = false } };
struct value	value_true = { VALUE_BOOL, 0, { .b = true } };
struct value	value_false = { VALUE_BOOL, 0, { .b = false } };

/* Hashes up to this size are searched in order, larger ones indexed. */
#define HASH_LINEAR	8

static struct value *
value_new(enum value_type type)
{
	struct value	*v = xcalloc(1, sizeof(*v));

	v->type = type;
	v->refs = 1;
	return v;
}

struct value *
value_ref(struct value *v)
{
	if (v != NULL && v->refs > 0)
		v->refs++;
	return v;
}

void
value_unref(struct value *v)
{
	size_t	i;

	if (v == NULL || v->refs == 0 || --v->refs > 0)
		return;
	switch (v->type) {
	case VALUE_STRING:
		free(v->u.str.s);
		break;
	case VALUE_ARRAY:
		for (i = 0; i < v->u.arr.n; i++)
			value_unref(v->u.arr.v[i]);
		free(v->u.arr.v);
		break;
	case VALUE_HASH:
		for (i = 0; i < v->u.hash.n; i++) {
			value_unref(v->u.hash.v[i].key);
			value_unref(v->u.hash.v[i].val);
		}
		free(v->u.hash.v);
		free(v->u.hash.index);
		break;
	case VALUE_DROP:
		if (v->u.drop.ops->free != NULL)
			v->u.drop.ops->free(v->u.drop.self);
		break;
	default:
		break;
	}
	free(v);
}

struct value *
value_bool(bool b)
{
	return b ? &value_true : &value_false;
}

struct value *
value_int(int64_t i)
{
	struct value	*v = value_new(VALUE_INT);

	v->u.i = i;
	return v;
}

struct value *
value_float(double f)
{
	struct value	*v = value_new(VALUE_FLOAT);

	v->u.f = f;
	return v;
}

struct value *
value_str(const char *s, size_t len)
{
	struct value	*v = value_new(VALUE_STRING);

	v->u.str.s = xstrndup(s ? s : "", s ? len : 0);
	v->u.str.len = s ? len : 0;
	return v;
}

struct value *
value_cstr(const char *s)
{
	return value_str(s, s ? strlen(s) : 0);
}

struct value *
value_str_buf(struct buf *b)
{
	struct value	*v = value_new(VALUE_STRING);

	v->u.str.s = buf_detach(b, &v->u.str.len);
	return v;
}

struct value *
value_time(const struct value_time *t)
{
	struct value	*v = value_new(VALUE_TIME);

	v->u.time = *t;
	return v;
}

struct value *
value_range(int64_t first, int64_t last)
{
	struct value	*v = value_new(VALUE_RANGE);

	v->u.range.first = first;
	v->u.range.last = last;
	return v;
}

struct value *
value_drop(const struct value_drop_ops *ops, void *self)
{
	struct value	*v = value_new(VALUE_DROP);

	v->u.drop.ops = ops;
	v->u.drop.self = self;
	return v;
}

struct value *
value_array(void)
{
	return value_new(VALUE_ARRAY);
}

void
value_array_push(struct value *a, struct value *item)
{
	xgrowarray(&a->u.arr.v, &a->u.arr.cap, a->u.arr.n + 1,
	    sizeof(*a->u.arr.v));
	a->u.arr.v[a->u.arr.n++] = item ? item : &value_nil;
}

struct value *
value_hash(void)
{
	return value_new(VALUE_HASH);
}

/* FNV-1a. */
static uint32_t
hash_key(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool
key_is(const struct value *k, const char *s, size_t len)
{
	return k->u.str.len == len && memcmp(k->u.str.s, s, len) == 0;
}

/* Slot of key in the index: its entry (index value - 1) or an empty slot. */
static size_t
index_slot(const struct value *h, const char *s, size_t len)
{
	size_t		 mask = h->u.hash.icap - 1, i;
	uint32_t	 e;

	for (i = hash_key(s, len) & mask;; i = (i + 1) & mask) {
		e = h->u.hash.index[i];
		if (e == 0 || key_is(h->u.hash.v[e - 1].key, s, len))
			return i;
	}
}

static void
index_rebuild(struct value *h)
{
	size_t	i, cap = 16;
	const struct value *k;

	while (cap < h->u.hash.n * 2)
		cap *= 2;
	free(h->u.hash.index);
	h->u.hash.index = xcalloc(cap, sizeof(*h->u.hash.index));
	h->u.hash.icap = cap;
	for (i = 0; i < h->u.hash.n; i++) {
		k = h->u.hash.v[i].key;
		h->u.hash.index[index_slot(h, k->u.str.s, k->u.str.len)] =
		    (uint32_t)(i + 1);
	}
}

static ssize_t
hash_find(const struct value *h, const char *s, size_t len)
{
	size_t	i;
	uint32_t e;

	if (h->u.hash.index == NULL) {
		for (i = 0; i < h->u.hash.n; i++)
			if (key_is(h->u.hash.v[i].key, s, len))
				return (ssize_t)i;
		return -1;
	}
	e = h->u.hash.index[index_slot(h, s, len)];
	return e == 0 ? -1 : (ssize_t)(e - 1);
}

void
value_hash_set(struct value *h, const char *key, size_t len,
    struct value *val)
{
	struct value_hash_entry	*e;
	ssize_t			 i;

	if (val == NULL)
		val = &value_nil;
	if ((i = hash_find(h, key, len)) >= 0) {
		value_unref(h->u.hash.v[i].val);
		h->u.hash.v[i].val = val;
		return;
	}
	xgrowarray(&h->u.hash.v, &h->u.hash.cap, h->u.hash.n + 1,
	    sizeof(*h->u.hash.v));
	e = &h->u.hash.v[h->u.hash.n++];
	e->key = value_str(key, len);
	e->val = val;
	if (h->u.hash.n > HASH_LINEAR) {
		if (h->u.hash.n * 2 > h->u.hash.icap)
			index_rebuild(h);
		else
			h->u.hash.index[index_slot(h, key, len)] =
			    (uint32_t)h->u.hash.n;
	}
}

struct value *
value_hash_get(const struct value *h, const char *key, size_t len)
{
	ssize_t	i;

	if (h == NULL || h->type != VALUE_HASH)
		return NULL;
	i = hash_find(h, key, len);
	return i < 0 ? NULL : h->u.hash.v[i].val;
}

const char *
value_class_name(const struct value *v)
{
	static const char *const names[] = {
		[VALUE_NIL] = "NilClass", [VALUE_INT] = "Integer",
		[VALUE_FLOAT] = "Float", [VALUE_STRING] = "String",
		[VALUE_ARRAY] = "Array", [VALUE_HASH] = "Hash",
		[VALUE_RANGE] = "Range",
	};

	if (v == NULL)
		return "NilClass";
	switch (v->type) {
	case VALUE_BOOL:
		return v->u.b ? "TrueClass" : "FalseClass";
	case VALUE_TIME:
		return v->u.time.date_only ? "Date" : "Time";
	case VALUE_DROP:
		return v->u.drop.ops->name;
	default:
		return names[v->type];
	}
}

bool
value_truthy(const struct value *v)
{
	return !(v == NULL || v->type == VALUE_NIL ||
	    (v->type == VALUE_BOOL && !v->u.b));
}

static bool
is_number(const struct value *v)
{
	return v->type == VALUE_INT || v->type == VALUE_FLOAT;
}

static double
num_f(const struct value *v)
{
	return v->type == VALUE_INT ? (double)v->u.i : v->u.f;
}

bool
value_equal(const struct value *a, const struct value *b)
{
	const struct value	*bv;
	size_t			 i;

	if (a == NULL)
		a = &value_nil;
	if (b == NULL)
		b = &value_nil;
	if (a == b)
		return true;
	if (is_number(a) && is_number(b)) {
		if (a->type == VALUE_INT && b->type == VALUE_INT)
			return a->u.i == b->u.i;
		return num_f(a) == num_f(b);
	}
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VALUE_NIL:
		return true;
	case VALUE_BOOL:
		return a->u.b == b->u.b;
	case VALUE_STRING:
		return a->u.str.len == b->u.str.len &&
		    memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
	case VALUE_ARRAY:
		if (a->u.arr.n != b->u.arr.n)
			return false;
		for (i = 0; i < a->u.arr.n; i++)
			if (!value_equal(a->u.arr.v[i], b->u.arr.v[i]))
				return false;
		return true;
	case VALUE_HASH:
		if (a->u.hash.n != b->u.hash.n)
			return false;
		for (i = 0; i < a->u.hash.n; i++) {
			bv = value_hash_get(b, a->u.hash.v[i].key->u.str.s,
			    a->u.hash.v[i].key->u.str.len);
			if (bv == NULL || !value_equal(a->u.hash.v[i].val, bv))
				return false;
		}
		return true;
	case VALUE_TIME:
		return a->u.time.date_only == b->u.time.date_only &&
		    a->u.time.sec == b->u.time.sec &&
		    a->u.time.nsec == b->u.time.nsec;
	case VALUE_RANGE:
		return a->u.range.first == b->u.range.first &&
		    a->u.range.last == b->u.range.last;
	case VALUE_DROP:
		return a->u.drop.self == b->u.drop.self;
	default:
		return false;
	}
}

static int
sign(double d)
{
	return d < 0 ? -1 : d > 0;
}

bool
value_compare(const struct value *a, const struct value *b, int *cmp)
{
	size_t	i, n;
	int	c;

	if (a == NULL)
		a = &value_nil;
	if (b == NULL)
		b = &value_nil;
	if (a == b) {
		*cmp = 0;
		return true;
	}
	if (is_number(a) && is_number(b)) {
		if (a->type == VALUE_INT && b->type == VALUE_INT)
			*cmp = a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
		else if (isnan(num_f(a)) || isnan(num_f(b)))
			return false;
		else
			*cmp = sign(num_f(a) - num_f(b));
		return true;
	}
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VALUE_NIL:
		*cmp = 0;
		return true;
	case VALUE_BOOL:
		*cmp = 0;
		return a->u.b == b->u.b;
	case VALUE_STRING:
		n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
		c = memcmp(a->u.str.s, b->u.str.s, n);
		if (c == 0)
			c = a->u.str.len < b->u.str.len ? -1 :
			    a->u.str.len > b->u.str.len;
		*cmp = c < 0 ? -1 : c > 0;
		return true;
	case VALUE_TIME:
		if (a->u.time.date_only != b->u.time.date_only)
			return false;
		*cmp = a->u.time.sec != b->u.time.sec ?
		    (a->u.time.sec < b->u.time.sec ? -1 : 1) :
		    sign((double)a->u.time.nsec - b->u.time.nsec);
		return true;
	case VALUE_ARRAY:
		n = a->u.arr.n < b->u.arr.n ? a->u.arr.n : b->u.arr.n;
		for (i = 0; i < n; i++) {
			if (!value_compare(a->u.arr.v[i], b->u.arr.v[i], &c))
				return false;
			if (c != 0) {
				*cmp = c;
				return true;
			}
		}
		*cmp = a->u.arr.n < b->u.arr.n ? -1 : a->u.arr.n > b->u.arr.n;
		return true;
	default:
		return false;
	}
}

/*
 * The shortest digits that read back as d: *exp10 is where the decimal
 * point goes (d = 0.DIGITS * 10^exp10).
 */
static void
shortest_digits(double d, char digits[32], int *exp10)
{
	char	tmp[40], *p, *e;
	int	prec, n;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	e = strchr(tmp, 'e');
	*exp10 = atoi(e + 1) + 1;
	n = 0;
	for (p = tmp; p < e; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
}

void
value_format_float(double d, struct buf *out)
{
	char	digits[32];
	int	exp10, n, i;

	if (isnan(d)) {
		buf_puts(out, "NaN");
		return;
	}
	if (isinf(d)) {
		buf_puts(out, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (signbit(d))
		buf_putc(out, '-');
	d = fabs(d);
	if (d == 0) {
		buf_puts(out, "0.0");
		return;
	}
	shortest_digits(d, digits, &exp10);
	n = (int)strlen(digits);
	if (exp10 > -4 && exp10 <= 15) {
		if (exp10 <= 0) {
			buf_puts(out, "0.");
			for (i = exp10; i < 0; i++)
				buf_putc(out, '0');
			buf_puts(out, digits);
		} else if (n <= exp10) {
			buf_puts(out, digits);
			for (i = n; i < exp10; i++)
				buf_putc(out, '0');
			buf_puts(out, ".0");
		} else {
			buf_append(out, digits, (size_t)exp10);
			buf_putc(out, '.');
			buf_puts(out, digits + exp10);
		}
		return;
	}
	buf_putc(out, digits[0]);
	buf_putc(out, '.');
	buf_puts(out, n > 1 ? digits + 1 : "0");
	buf_printf(out, "e%c%02d", exp10 - 1 < 0 ? '-' : '+',
	    abs(exp10 - 1));
}

static void
put_int(int64_t i, struct buf *out)
{
	buf_printf(out, "%lld", (long long)i);
}

/* Time#to_s: "2016-07-15 10:00:00 +0200", or "... UTC". */
static void
time_to_s(const struct value_time *t, struct buf *out)
{
	static const char	datefmt[] = "%Y-%m-%d";
	static const char	utcfmt[] = "%Y-%m-%d %H:%M:%S UTC";
	static const char	fmt[] = "%Y-%m-%d %H:%M:%S %z";

	if (t->date_only)
		value_strftime(t, datefmt, sizeof(datefmt) - 1, out);
	else if (t->utc)
		value_strftime(t, utcfmt, sizeof(utcfmt) - 1, out);
	else
		value_strftime(t, fmt, sizeof(fmt) - 1, out);
}

void
value_to_s(const struct value *v, struct buf *out)
{
	size_t	i;

	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_NIL:
		break;
	case VALUE_BOOL:
		buf_puts(out, v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		put_int(v->u.i, out);
		break;
	case VALUE_FLOAT:
		value_format_float(v->u.f, out);
		break;
	case VALUE_STRING:
		buf_append(out, v->u.str.s, v->u.str.len);
		break;
	case VALUE_ARRAY:
		for (i = 0; i < v->u.arr.n; i++)
			value_to_s(v->u.arr.v[i], out);
		break;
	case VALUE_HASH:
		value_inspect(v, out);
		break;
	case VALUE_TIME:
		time_to_s(&v->u.time, out);
		break;
	case VALUE_RANGE:
		buf_printf(out, "%lld..%lld", (long long)v->u.range.first,
		    (long long)v->u.range.last);
		break;
	case VALUE_DROP:
		buf_printf(out, "#<%s>", v->u.drop.ops->name);
		break;
	}
}

char *
value_to_cstr(const struct value *v)
{
	struct buf	b = BUF_INIT;

	value_to_s(v, &b);
	return buf_detach(&b, NULL);
}

/* The escapes Ruby's inspect and to_json share. */
static const char *
common_escape(unsigned char c)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\t': return "\\t";
	case '\r': return "\\r";
	case '\f': return "\\f";
	case '\b': return "\\b";
	default: return NULL;
	}
}

static void
inspect_string(const char *s, size_t len, struct buf *out)
{
	const char	*end = s + len;
	uint32_t	 cp;
	size_t		 n;

	buf_putc(out, '"');
	while (s < end) {
		unsigned char	 c = (unsigned char)*s;
		const char	*esc = common_escape(c);

		if (esc != NULL) {
			buf_puts(out, esc);
			s++;
			continue;
		}
		switch (c) {
		case '\v': buf_puts(out, "\\v"); s++; continue;
		case '\a': buf_puts(out, "\\a"); s++; continue;
		case 033: buf_puts(out, "\\e"); s++; continue;
		case '#':
			if (s + 1 < end && (s[1] == '{' || s[1] == '$' ||
			    s[1] == '@'))
				buf_putc(out, '\\');
			buf_putc(out, '#');
			s++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\x%02X", c);
			s++;
		} else if (c < 0x80) {
			buf_putc(out, (char)c);
			s++;
		} else if ((n = utf8_decode(s, (size_t)(end - s), &cp)) == 0) {
			buf_printf(out, "\\x%02X", c);
			s++;
		} else {
			if (cp < 0xa0)
				buf_printf(out, "\\u%04X", cp);
			else
				buf_append(out, s, n);
			s += n;
		}
	}
	buf_putc(out, '"');
}

/* An array or hash, its elements written by put: inspect or JSON. */
static void
put_container(const struct value *v, struct buf *out,
    void (*put)(const struct value *, struct buf *), const char *sep,
    const char *kv)
{
	size_t	i;

	buf_putc(out, v->type == VALUE_ARRAY ? '[' : '{');
	for (i = 0; i < (v->type == VALUE_ARRAY ? v->u.arr.n :
	    v->u.hash.n); i++) {
		if (i > 0)
			buf_puts(out, sep);
		if (v->type == VALUE_ARRAY)
			put(v->u.arr.v[i], out);
		else {
			put(v->u.hash.v[i].key, out);
			buf_puts(out, kv);
			put(v->u.hash.v[i].val, out);
		}
	}
	buf_putc(out, v->type == VALUE_ARRAY ? ']' : '}');
}

/* Days since 1970-01-01 of a time's local date. */
static int64_t
local_days(const struct value_time *t)
{
	int64_t	s = t->sec + t->offset;

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

void
value_inspect(const struct value *v, struct buf *out)
{
	struct value	*h;

	if (v == NULL)
		v = &value_nil;
	switch (v->type) {
	case VALUE_NIL:
		buf_puts(out, "nil");
		break;
	case VALUE_STRING:
		inspect_string(v->u.str.s, v->u.str.len, out);
		break;
	case VALUE_ARRAY:
	case VALUE_HASH:
		put_container(v, out, value_inspect, ", ", "=>");
		break;
	case VALUE_TIME:
		if (v->u.time.date_only) {
			buf_puts(out, "#<Date: ");
			time_to_s(&v->u.time, out);
			buf_printf(out, " ((%lldj,0s,0n),+0s,2299161j)>",
			    (long long)(local_days(&v->u.time) + 2440588));
		} else
			time_to_s(&v->u.time, out);
		break;
	case VALUE_DROP:
		if (v->u.drop.ops->to_hash != NULL) {
			h = v->u.drop.ops->to_hash(v->u.drop.self);
			value_inspect(h, out);
			value_unref(h);
		} else
			value_to_s(v, out);
		break;
	default:
		value_to_s(v, out);
		break;
	}
}

static void
json_string(const char *s, size_t len, struct buf *out)
{
	size_t	i;

	buf_putc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)s[i];
		const char	*esc = common_escape(c);

		if (esc != NULL)
			buf_puts(out, esc);
		else if (c < 0x20)
			buf_printf(out, "\\u%04x", c);
		else
			buf_putc(out, (char)c);
	}
	buf_putc(out, '"');
}

void
value_to_json(const struct value *v, struct buf *out)
{
	struct value	*h;
	struct buf	 tmp = BUF_INIT;

	if (v == NULL)
		v = &value_nil;
	switch (v->type) {
	case VALUE_NIL:
		buf_puts(out, "null");
		break;
	case VALUE_BOOL:
	case VALUE_INT:
	case VALUE_FLOAT:
		value_to_s(v, out);
		break;
	case VALUE_ARRAY:
	case VALUE_HASH:
		put_container(v, out, value_to_json, ",", ":");
		break;
	case VALUE_DROP:
		if (v->u.drop.ops->to_hash != NULL) {
			h = v->u.drop.ops->to_hash(v->u.drop.self);
			value_to_json(h, out);
			value_unref(h);
			break;
		}
		/* FALLTHROUGH */
	default:
		value_to_s(v, &tmp);
		json_string(tmp.data ? tmp.data : "", tmp.len, out);
		buf_free(&tmp);
		break;
	}
}

struct value *
value_get(const struct value *v, const char *key, size_t len)
{
	if (v == NULL)
		return NULL;
	if (v->type == VALUE_HASH)
		return value_ref(value_hash_get(v, key, len));
	if (v->type == VALUE_DROP)
		return v->u.drop.ops->get(v->u.drop.self, key, len);
	return NULL;
}

struct value *
value_materialize(struct value *v)
{
	if (v != NULL && v->type == VALUE_DROP &&
	    v->u.drop.ops->to_hash != NULL)
		return v->u.drop.ops->to_hash(v->u.drop.self);
	return value_ref(v);
}

size_t
value_size(const struct value *v)
{
	const char	*s, *end;
	size_t		 n = 0;

	if (v == NULL)
		return 0;
	switch (v->type) {
	case VALUE_STRING:
		for (s = v->u.str.s, end = s + v->u.str.len; s < end; s++)
			if (((unsigned char)*s & 0xc0) != 0x80)
				n++;
		return n;
	case VALUE_ARRAY:
		return v->u.arr.n;
	case VALUE_HASH:
		return v->u.hash.n;
	case VALUE_RANGE:
		return v->u.range.last < v->u.range.first ? 0 :
		    (size_t)(v->u.range.last - v->u.range.first) + 1;
	default:
		return 0;
	}
}
