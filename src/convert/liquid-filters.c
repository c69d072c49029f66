/*
 * Liquid's standard filters (liquid 5.4), with Ruby's semantics: String
 * methods count characters, numbers go through Liquid's to_number (a
 * float becomes a BigDecimal of its printed digits, kept here in long
 * double and rounded on the decimal digits), arrays through Liquid's
 * InputIterator (flattened).  Jekyll's own filters, and those it
 * overrides (where, sort), are in liquid-jekyll.c.
 */
#define _GNU_SOURCE	/* memmem */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "convert-int.h"

#define ARG(i)	(nargs > (i) ? args[i] : NULL)

/* Ruby's to_s as a new string. */
char *
liquid_to_s(const struct value *v, size_t *lenp)
{
	struct buf	b = BUF_INIT;

	value_to_s(v, &b);
	return buf_detach(&b, lenp);
}

/* Ruby's String#to_i (and Integer/Float/nil to_i). */
int64_t
liquid_to_i(const struct value *v)
{
	const char	*s;
	size_t		 n, i = 0;
	int64_t		 r = 0;
	bool		 neg = false;

	if (v == NULL)
		return 0;
	if (v->type == VALUE_INT)
		return v->u.i;
	if (v->type == VALUE_FLOAT)
		return isfinite(v->u.f) && fabs(v->u.f) < 9.2e18 ?
		    (int64_t)v->u.f : 0;
	if (v->type != VALUE_STRING)
		return 0;
	s = v->u.str.s;
	n = v->u.str.len;
	while (i < n && lq_isspace(s[i]))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] == '_' && i + 1 < n &&
		    isdigit((unsigned char)s[i + 1]) &&
		    i > 0 && isdigit((unsigned char)s[i - 1]))
			continue;
		if (!isdigit((unsigned char)s[i]))
			break;
		if (r > (INT64_MAX - 9) / 10)
			break;
		r = r * 10 + (s[i] - '0');
	}
	return neg ? -r : r;
}

/* Liquid's Utils.to_integer: Integer(num.to_s), else "invalid integer". */
bool
liquid_to_integer(struct lq_render *r, const struct value *v, int64_t *out)
{
	char	*s, *end;
	size_t	 n;
	long long l;

	if (v != NULL && v->type == VALUE_INT) {
		*out = v->u.i;
		return true;
	}
	s = liquid_to_s(v, &n);
	while (n > 0 && lq_isspace(s[n - 1]))
		s[--n] = '\0';
	errno = 0;
	end = s;
	{
		char *p = s;

		while (lq_isspace(*p))
			p++;
		if (*p != '\0' && (isdigit((unsigned char)*p) ||
		    ((*p == '-' || *p == '+') &&
		    isdigit((unsigned char)p[1])))) {
			l = strtoll(p, &end, 10);
			if (*end == '\0' && errno == 0) {
				*out = l;
				free(s);
				return true;
			}
		}
	}
	free(s);
	liquid_fail(r, "invalid integer");
	return false;
}

/* A number as Liquid's to_number makes it: Integer or BigDecimal. */
struct num {
	bool		 dec;
	int64_t		 i;
	long double	 d;
};

static long double
float_decimal(double f)
{
	struct buf	 b = BUF_INIT;
	long double	 d;

	value_format_float(f, &b);
	d = strtold(b.data, NULL);
	buf_free(&b);
	return d;
}

static bool
decimal_string(const char *s, size_t n)
{
	size_t	i = 0, d;

	while (n > 0 && lq_isstrip(s[n - 1]))
		n--;
	while (i < n && lq_isstrip(s[i]))
		i++;
	if (i < n && s[i] == '-')
		i++;
	for (d = i; i < n && isdigit((unsigned char)s[i]); i++)
		continue;
	if (i == d || i >= n || s[i] != '.')
		return false;
	for (d = ++i; i < n && isdigit((unsigned char)s[i]); i++)
		continue;
	return i > d && i == n;
}

static struct num
to_number(const struct value *v)
{
	struct num	n = { false, 0, 0 };

	if (v == NULL)
		return n;
	switch (v->type) {
	case VALUE_INT:
		n.i = v->u.i;
		break;
	case VALUE_FLOAT:
		n.dec = true;
		n.d = isfinite(v->u.f) ? float_decimal(v->u.f) : v->u.f;
		break;
	case VALUE_STRING:
		if (decimal_string(v->u.str.s, v->u.str.len)) {
			n.dec = true;
			n.d = strtold(v->u.str.s, NULL);
		} else
			n.i = liquid_to_i(v);
		break;
	default:
		break;
	}
	return n;
}

static long double
num_ld(struct num n)
{
	return n.dec ? n.d : (long double)n.i;
}

static struct value *
num_value(struct num n)
{
	return n.dec ? value_float((double)n.d) : value_int(n.i);
}

static struct value *
arith(struct lq_render *r, struct value *in, struct value *arg, char op)
{
	struct num a = to_number(in), b = to_number(arg), res = { 0, 0, 0 };
	int64_t		q;

	if (!a.dec && !b.dec) {
		switch (op) {
		case '+':
			if (!__builtin_add_overflow(a.i, b.i, &res.i))
				return num_value(res);
			break;
		case '-':
			if (!__builtin_sub_overflow(a.i, b.i, &res.i))
				return num_value(res);
			break;
		case '*':
			if (!__builtin_mul_overflow(a.i, b.i, &res.i))
				return num_value(res);
			break;
		case '/':
		case '%':
			if (b.i == 0) {
				liquid_fail(r, "divided by 0");
				return NULL;
			}
			if (a.i == INT64_MIN && b.i == -1)
				break;
			q = a.i / b.i;
			if ((a.i % b.i != 0) && ((a.i < 0) != (b.i < 0)))
				q--;	/* Ruby floors */
			res.i = op == '/' ? q : a.i - q * b.i;
			return num_value(res);
		}
	}
	res.dec = true;
	switch (op) {
	case '+': res.d = num_ld(a) + num_ld(b); break;
	case '-': res.d = num_ld(a) - num_ld(b); break;
	case '*': res.d = num_ld(a) * num_ld(b); break;
	case '/':
	case '%':
		if (num_ld(b) == 0) {
			liquid_fail(r, "divided by 0");
			return NULL;
		}
		if (op == '/')
			res.d = num_ld(a) / num_ld(b);
		else
			res.d = num_ld(a) - num_ld(b) *
			    floorl(num_ld(a) / num_ld(b));
		break;
	}
	return num_value(res);
}

static struct value *
f_plus(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	return arith(r, in, ARG(0), '+');
}

static struct value *
f_minus(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return arith(r, in, ARG(0), '-');
}

static struct value *
f_times(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return arith(r, in, ARG(0), '*');
}

static struct value *
f_divided_by(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return arith(r, in, ARG(0), '/');
}

static struct value *
f_modulo(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return arith(r, in, ARG(0), '%');
}

static struct value *
f_abs(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	struct num	n = to_number(in);

	if (n.dec)
		n.d = fabsl(n.d);
	else if (n.i < 0 && n.i != INT64_MIN)
		n.i = -n.i;
	return num_value(n);
}

/* Round the decimal digits of d at `places` after the point, half up. */
static long double
decimal_round(long double d, int64_t places)
{
	char	buf[64], *e;
	int	exp10, prec;

	if (!isfinite(d))
		return d;
	if (places > 30)
		return d;
	if (places < -30)
		return 0;
	/* The digits of the BigDecimal: shortest for a double. */
	for (prec = 1; prec <= 21; prec++) {
		snprintf(buf, sizeof(buf), "%.*Le", prec - 1, d);
		if ((double)strtold(buf, NULL) == (double)d)
			break;
	}
	e = strchr(buf, 'e');
	exp10 = atoi(e + 1);
	{
		long double scale = powl(10.0L, (long double)places);
		long double v = strtold(buf, NULL) * scale;
		long double fl = floorl(fabsl(v));
		long double frac = fabsl(v) - fl;

		(void)exp10;
		if (frac >= 0.5L - 1e-12L)
			fl += 1;
		return (v < 0 ? -fl : fl) / scale;
	}
}

static struct value *
f_round(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct num	n = to_number(in), p = to_number(ARG(0));
	int64_t		places = p.dec ? (int64_t)p.d : p.i, m, q;
	int		i;

	if (n.dec) {
		if (!isfinite(n.d)) {
			liquid_fail(r, n.d != n.d ? "NaN" : n.d < 0 ?
			    "-Infinity" : "Infinity");
			return NULL;
		}
		n.d = decimal_round(n.d, places);
		if (places == 0 && ARG(0) == NULL) {
			n.dec = false;
			n.i = (int64_t)n.d;
		} else if (places == 0 && !p.dec && p.i == 0 &&
		    ARG(0)->type == VALUE_INT) {
			n.dec = false;
			n.i = (int64_t)n.d;
		}
		return num_value(n);
	}
	if (places >= 0)
		return num_value(n);
	for (m = 1, i = 0; i < -places && m < INT64_MAX / 10; i++)
		m *= 10;
	q = (llabs(n.i) + m / 2) / m * m;
	n.i = n.i < 0 ? -q : q;
	return num_value(n);
}

static struct value *
f_ceil(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	struct num	n = to_number(in);

	if (n.dec) {
		if (!isfinite(n.d)) {
			liquid_fail(r, "Infinity");
			return NULL;
		}
		return value_int((int64_t)ceill(n.d));
	}
	return value_int(n.i);
}

static struct value *
f_floor(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct num	n = to_number(in);

	if (n.dec) {
		if (!isfinite(n.d)) {
			liquid_fail(r, "Infinity");
			return NULL;
		}
		return value_int((int64_t)floorl(n.d));
	}
	return value_int(n.i);
}

static struct value *
bound(struct value *in, struct value *arg, bool least)
{
	struct num	a = to_number(in), b = to_number(arg);
	long double	x = num_ld(a), y = num_ld(b);

	if (least ? y > x : y < x)
		a = b;
	return num_value(a);
}

static struct value *
f_at_least(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return bound(in, ARG(0), true);
}

static struct value *
f_at_most(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return bound(in, ARG(0), false);
}

/* Strings. */

struct value *
liquid_str(const struct value *v)
{
	struct buf	b = BUF_INIT;

	if (v != NULL && v->type == VALUE_STRING)
		return value_ref((struct value *)v);
	value_to_s(v, &b);
	return value_str_buf(&b);
}

locale_t
liquid_utf8_locale(void)
{
	static locale_t	loc;
	static bool	tried;

	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

void
liquid_case_map(const char *s, size_t len, char how, struct buf *out)
{
	const char	*p = s, *end = s + len;
	locale_t	 loc = liquid_utf8_locale();
	uint32_t	 cp;
	size_t		 n;
	char		 enc[4];
	bool		 first = true;

	buf_reserve(out, len);
	while (p < end) {
		if ((n = utf8_decode(p, (size_t)(end - p), &cp)) == 0) {
			buf_putc(out, *p++);
			first = false;
			continue;
		}
		if (cp == 0xdf && (how == 'u' || (how == 'c' && first))) {
			buf_puts(out, how == 'u' ? "SS" : "Ss");
			p += n;
			first = false;
			continue;
		}
		if (how == 'u' || (how == 'c' && first))
			cp = loc ? (uint32_t)towupper_l((wint_t)cp, loc) :
			    (uint32_t)toupper((int)(cp < 128 ? cp : 0)) ?: cp;
		else
			cp = loc ? (uint32_t)towlower_l((wint_t)cp, loc) :
			    (cp < 128 ? (uint32_t)tolower((int)cp) : cp);
		buf_append(out, enc, utf8_encode(cp, enc));
		p += n;
		first = false;
	}
}

static struct value *
case_map(const struct value *in, char how)
{
	struct value	*s = liquid_str(in);
	struct buf	 out = BUF_INIT;

	liquid_case_map(s->u.str.s, s->u.str.len, how, &out);
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
f_upcase(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return case_map(in, 'u');
}

static struct value *
f_downcase(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return case_map(in, 'l');
}

static struct value *
f_capitalize(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return case_map(in, 'c');
}

static void
html_escape(const char *s, size_t n, struct buf *out, bool once)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			if (once) {
				j = i + 1;
				if (j < n && s[j] == '#') {
					for (j++; j < n &&
					    isdigit((unsigned char)s[j]); j++)
						continue;
					if (j > i + 2 && j < n && s[j] == ';') {
						buf_putc(out, '&');
						break;
					}
				} else {
					while (j < n &&
					    isalpha((unsigned char)s[j]))
						j++;
					if (j > i + 1 && j < n && s[j] == ';') {
						buf_putc(out, '&');
						break;
					}
				}
			}
			buf_puts(out, "&amp;");
			break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		default: buf_putc(out, s[i]); break;
		}
	}
}

static struct value *
escape_common(struct value *in, bool once)
{
	struct value	*s;
	struct buf	 out = BUF_INIT;

	if (!once && value_is_nil(in))
		return &value_nil;
	s = liquid_str(in);
	buf_reserve(&out, s->u.str.len);
	html_escape(s->u.str.s, s->u.str.len, &out, once);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
f_escape(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return escape_common(in, false);
}

static struct value *
f_escape_once(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return escape_common(in, true);
}

static struct value *
f_url_encode(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s;
	struct buf	 out = BUF_INIT;

	if (value_is_nil(in))
		return &value_nil;
	s = liquid_str(in);
	url_encode(&out, s->u.str.s, s->u.str.len, URL_FORM);
	value_unref(s);
	return value_str_buf(&out);
}

/* CGI.unescape: '+' is a space, then %XX decoded. */
static struct value *
f_url_decode(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s, *res;
	char		*plus, *out;
	size_t		 i, n;

	if (value_is_nil(in))
		return &value_nil;
	s = liquid_str(in);
	plus = xstrndup(s->u.str.s, s->u.str.len);
	for (i = 0; i < s->u.str.len; i++)
		if (plus[i] == '+')
			plus[i] = ' ';
	out = xmalloc(s->u.str.len + 1);
	n = url_decode(plus, s->u.str.len, out, false);
	value_unref(s);
	free(plus);
	if (!utf8_valid(out, n)) {
		free(out);
		liquid_fail(r, "invalid byte sequence in UTF-8");
		return NULL;
	}
	res = value_str(out, n);
	free(out);
	return res;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static struct value *
base64_enc(struct value *in, bool url)
{
	struct value	*s = liquid_str(in);
	struct buf	 out = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s->u.str.s;
	size_t		 n = s->u.str.len, i;
	uint32_t	 v;
	char		 c[4];
	int		 k;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		for (k = 0; k < 4; k++) {
			c[k] = b64[(v >> (18 - 6 * k)) & 63];
			if (url && c[k] == '+')
				c[k] = '-';
			else if (url && c[k] == '/')
				c[k] = '_';
		}
		if (i + 1 >= n)
			c[2] = '=';
		if (i + 2 >= n)
			c[3] = '=';
		buf_append(&out, c, 4);
	}
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
base64_dec(struct lq_render *r, struct value *in, bool url)
{
	struct value	*s = liquid_str(in);
	struct buf	 out = BUF_INIT;
	const char	*p = s->u.str.s, *q;
	size_t		 n = s->u.str.len, i, pad = 0;
	uint32_t	 v = 0;
	int		 k = 0;
	char		 c;

	if (url && n % 4 != 0) {
		/* urlsafe_decode64 adds the missing padding. */
		struct buf	 padded = BUF_INIT;

		buf_append(&padded, p, n);
		while (padded.len % 4 != 0)
			buf_putc(&padded, '=');
		value_unref(s);
		s = value_str_buf(&padded);
		p = s->u.str.s;
		n = s->u.str.len;
	}
	if (n % 4 != 0)
		goto bad;
	for (i = 0; i < n; i++) {
		c = p[i];
		if (url && c == '-')
			c = '+';
		else if (url && c == '_')
			c = '/';
		else if (url && (c == '+' || c == '/'))
			goto bad;
		if (c == '=') {
			if (i < n - 2)
				goto bad;
			pad++;
			c = 'A';
		} else if (pad > 0)
			goto bad;
		if (c == '\0' || (q = strchr(b64, c)) == NULL)
			goto bad;
		v = v << 6 | (uint32_t)(q - b64);
		if (++k == 4) {
			buf_putc(&out, (char)(v >> 16));
			if (pad < 2)
				buf_putc(&out, (char)(v >> 8));
			if (pad < 1)
				buf_putc(&out, (char)v);
			k = 0;
			v = 0;
		}
	}
	buf_reserve(&out, 0);
	value_unref(s);
	return value_str_buf(&out);
bad:
	value_unref(s);
	buf_free(&out);
	liquid_fail(r, "invalid base64 provided to base64%s_decode",
	    url ? "_url_safe" : "");
	return NULL;
}

static struct value *
f_base64_encode(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return base64_enc(in, false);
}

static struct value *
f_base64_decode(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return base64_dec(r, in, false);
}

static struct value *
f_base64_url_safe_encode(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	return base64_enc(in, true);
}

static struct value *
f_base64_url_safe_decode(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	return base64_dec(r, in, true);
}

/* Byte offset of character i of s (n bytes); n past the end. */
static size_t
char_offset(const char *s, size_t n, size_t i)
{
	size_t	o = 0;

	for (; o < n && i > 0; i--)
		for (o++; o < n && ((unsigned char)s[o] & 0xc0) == 0x80; o++)
			continue;
	return o;
}

static struct value *
f_slice(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	int64_t		 off, len = 1, total;
	struct value	*s, *a;
	size_t		 b0, b1, i;

	if (!liquid_to_integer(r, ARG(0), &off))
		return NULL;
	if (ARG(1) != NULL && !value_is_nil(ARG(1)) &&
	    !liquid_to_integer(r, ARG(1), &len))
		return NULL;
	if (in != NULL && in->type == VALUE_ARRAY) {
		total = (int64_t)in->u.arr.n;
		a = value_array();
		if (off < 0)
			off += total;
		if (off < 0 || off > total || len < 0)
			return a;
		for (i = (size_t)off; i < in->u.arr.n && (int64_t)i < off + len;
		    i++)
			value_array_push(a, value_ref(in->u.arr.v[i]));
		return a;
	}
	s = liquid_str(in);
	total = (int64_t)value_size(s);
	if (off < 0)
		off += total;
	if (off < 0 || off > total || len < 0) {
		value_unref(s);
		return value_str("", 0);
	}
	if (len > total - off)
		len = total - off;
	b0 = char_offset(s->u.str.s, s->u.str.len, (size_t)off);
	b1 = char_offset(s->u.str.s, s->u.str.len, (size_t)(off + len));
	a = value_str(s->u.str.s + b0, b1 - b0);
	value_unref(s);
	return a;
}

static struct value *
f_truncate(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s, *ts, *res;
	int64_t		 len = 50, l;
	struct buf	 out = BUF_INIT;

	if (value_is_nil(in))
		return &value_nil;
	if (ARG(0) != NULL && !liquid_to_integer(r, ARG(0), &len))
		return NULL;
	s = liquid_str(in);
	ts = ARG(1) != NULL ? liquid_str(ARG(1)) : value_cstr("...");
	l = len - (int64_t)value_size(ts);
	if (l < 0)
		l = 0;
	if ((int64_t)value_size(s) > len) {
		buf_append(&out, s->u.str.s, char_offset(s->u.str.s,
		    s->u.str.len, (size_t)l));
		buf_append(&out, ts->u.str.s, ts->u.str.len);
		buf_reserve(&out, 0);
		res = value_str_buf(&out);
	} else
		res = value_ref(s);
	value_unref(s);
	value_unref(ts);
	return res;
}

static struct value *
f_truncatewords(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s, *ts, *res;
	int64_t		 words = 15, k = 0;
	struct buf	 out = BUF_INIT;
	const char	*p, *end;

	if (value_is_nil(in))
		return &value_nil;
	if (ARG(0) != NULL && !liquid_to_integer(r, ARG(0), &words))
		return NULL;
	if (words <= 0)
		words = 1;
	s = liquid_str(in);
	p = s->u.str.s;
	end = p + s->u.str.len;
	while (p < end && lq_isspace(*p))
		p++;
	/* Words up to `words`, then see whether any text is left. */
	while (p < end && k < words) {
		const char *w = p;

		while (p < end && !lq_isspace(*p))
			p++;
		if (out.len > 0)
			buf_putc(&out, ' ');
		buf_append(&out, w, (size_t)(p - w));
		k++;
		while (p < end && lq_isspace(*p))
			p++;
	}
	if (p >= end) {
		buf_free(&out);
		res = value_ref(s);
	} else {
		ts = ARG(1) != NULL ? liquid_str(ARG(1)) : value_cstr("...");
		buf_append(&out, ts->u.str.s, ts->u.str.len);
		value_unref(ts);
		res = value_str_buf(&out);
	}
	value_unref(s);
	return res;
}

/* Ruby's String#split(pattern) with a string pattern, no limit. */
static struct value *
ruby_split(const char *s, size_t n, const char *pat, size_t pn)
{
	struct value	*a = value_array();
	size_t		 i = 0, start, cl;
	const char	*q;

	if (pn == 1 && pat[0] == ' ') {
		while (i < n) {
			while (i < n && (lq_isspace(s[i]) || s[i] == '\0'))
				i++;
			if (i >= n)
				break;
			for (start = i; i < n && !lq_isspace(s[i]) &&
			    s[i] != '\0';)
				i++;
			value_array_push(a, value_str(s + start, i - start));
		}
		return a;
	}
	if (pn == 0) {
		for (i = 0; i < n; i += cl) {
			for (cl = 1; i + cl < n &&
			    ((unsigned char)s[i + cl] & 0xc0) == 0x80; cl++)
				continue;
			value_array_push(a, value_str(s + i, cl));
		}
		return a;
	}
	for (start = 0;;) {
		q = start + pn <= n ? memmem(s + start, n - start, pat, pn) :
		    NULL;
		if (q == NULL) {
			value_array_push(a, value_str(s + start, n - start));
			break;
		}
		value_array_push(a, value_str(s + start,
		    (size_t)(q - s) - start));
		start = (size_t)(q - s) + pn;
	}
	/* Trailing empty strings go. */
	while (a->u.arr.n > 0 && a->u.arr.v[a->u.arr.n - 1]->u.str.len == 0)
		value_unref(a->u.arr.v[--a->u.arr.n]);
	return a;
}

static struct value *
f_split(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s = liquid_str(in), *p = liquid_str(ARG(0)), *a;

	a = ruby_split(s->u.str.s, s->u.str.len, p->u.str.s, p->u.str.len);
	value_unref(s);
	value_unref(p);
	return a;
}

static struct value *
strip_common(struct value *in, bool left, bool right)
{
	struct value	*s = liquid_str(in), *res;
	const char	*p = s->u.str.s;
	size_t		 n = s->u.str.len;

	while (left && n > 0 && lq_isstrip(*p))
		p++, n--;
	while (right && n > 0 && lq_isstrip(p[n - 1]))
		n--;
	res = value_str(p, n);
	value_unref(s);
	return res;
}

static struct value *
f_strip(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return strip_common(in, true, true);
}

static struct value *
f_lstrip(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return strip_common(in, true, false);
}

static struct value *
f_rstrip(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return strip_common(in, false, true);
}

/* Remove from start to the first end after it (non-greedy), or keep. */
static size_t
skip_block(const char *s, size_t n, size_t i, const char *open,
    const char *close)
{
	size_t		 ol = strlen(open), cl = strlen(close);
	const char	*q;

	if (n - i < ol || memcmp(s + i, open, ol) != 0)
		return i;
	q = memmem(s + i + ol, n - i - ol, close, cl);
	return q == NULL ? i : (size_t)(q - s) + cl;
}

static struct value *
f_strip_html(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*s = liquid_str(in);
	struct buf	 pass = BUF_INIT, out = BUF_INIT;
	const char	*p = s->u.str.s, *q;
	size_t		 n = s->u.str.len, i, e;

	/* <script.*?</script>, <!--.*?-->, <style.*?</style>, then <.*?>. */
	for (i = 0; i < n; i++) {
		if (p[i] == '<' && ((e = skip_block(p, n, i, "<script",
		    "</script>")) > i || (e = skip_block(p, n, i, "<!--",
		    "-->")) > i || (e = skip_block(p, n, i, "<style",
		    "</style>")) > i)) {
			i = e - 1;
			continue;
		}
		buf_putc(&pass, p[i]);
	}
	p = pass.data ? pass.data : "";
	n = pass.len;
	for (i = 0; i < n; i++) {
		if (p[i] == '<' && (q = memchr(p + i + 1, '>', n - i - 1)) !=
		    NULL) {
			i = (size_t)(q - p);
			continue;
		}
		buf_putc(&out, p[i]);
	}
	buf_reserve(&out, 0);
	buf_free(&pass);
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
newlines(struct value *in, const char *with)
{
	struct value	*s = liquid_str(in);
	struct buf	 out = BUF_INIT;
	size_t		 i;

	buf_reserve(&out, s->u.str.len);
	for (i = 0; i < s->u.str.len; i++) {
		if (s->u.str.s[i] == '\r' && i + 1 < s->u.str.len &&
		    s->u.str.s[i + 1] == '\n')
			continue;
		if (s->u.str.s[i] == '\n')
			buf_puts(&out, with);
		else
			buf_putc(&out, s->u.str.s[i]);
	}
	value_unref(s);
	return value_str_buf(&out);
}

static struct value *
f_strip_newlines(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return newlines(in, "");
}

static struct value *
f_newline_to_br(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return newlines(in, "<br />\n");
}

static void
flatten_into(struct value *a, struct value *v, size_t *budget)
{
	size_t	i;

	if (v->type == VALUE_ARRAY) {
		for (i = 0; i < v->u.arr.n && *budget > 0; i++)
			flatten_into(a, v->u.arr.v[i], budget);
		return;
	}
	if (*budget > 0) {
		(*budget)--;
		value_array_push(a, value_ref(v));
	}
}

/* Liquid's InputIterator: arrays flattened, a hash alone, nil none. */
struct value *
liquid_input_array(struct lq_render *r, struct value *in)
{
	struct value	*a, *m;
	size_t		 budget = r->eng->cfg.max_items, i;

	if (in == NULL || in->type == VALUE_NIL)
		return value_array();
	if (in->type == VALUE_ARRAY) {
		for (i = 0; i < in->u.arr.n; i++)
			if (in->u.arr.v[i]->type == VALUE_ARRAY)
				break;
		if (i == in->u.arr.n)
			return value_ref(in);
		a = value_array();
		flatten_into(a, in, &budget);
		return a;
	}
	if (in->type == VALUE_RANGE) {
		if (value_size(in) > budget) {
			liquid_fail(r, "range of %zu items is too large",
			    value_size(in));
			return NULL;
		}
		a = value_array();
		for (i = 0; i < value_size(in); i++)
			value_array_push(a, value_int(in->u.range.first +
			    (int64_t)i));
		return a;
	}
	a = value_array();
	m = value_materialize(in);
	value_array_push(a, m);
	return a;
}

static struct value *
f_join(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*a = liquid_input_array(r, in), *g;
	struct buf	 out = BUF_INIT;
	size_t		 i;

	if (a == NULL)
		return NULL;
	g = ARG(0) != NULL ? liquid_str(ARG(0)) : value_cstr(" ");
	for (i = 0; i < a->u.arr.n; i++) {
		if (i > 0)
			buf_append(&out, g->u.str.s, g->u.str.len);
		value_to_s(a->u.arr.v[i], &out);
	}
	buf_reserve(&out, 0);
	value_unref(a);
	value_unref(g);
	return value_str_buf(&out);
}

/* item[property] as Ruby's [] does it for a filter; false: TypeError. */
static bool
index_by(struct lq_render *r, struct value *item, struct value *prop,
    struct value **out)
{
	struct buf	 b = BUF_INIT;
	const char	*q;

	*out = &value_nil;
	switch (item->type) {
	case VALUE_HASH:
	case VALUE_DROP:
		value_to_s(prop, &b);
		if (prop->type == VALUE_STRING || prop->type == VALUE_NIL) {
			if ((*out = value_get(item, b.data ? b.data : "",
			    b.len)) == NULL)
				*out = &value_nil;
		}
		buf_free(&b);
		return true;
	case VALUE_STRING:
		if (prop->type != VALUE_STRING) {
			if (prop->type == VALUE_INT) {
				int64_t k = prop->u.i, len;
				size_t b0, b1;

				len = (int64_t)value_size(item);
				if (k < 0)
					k += len;
				if (k >= 0 && k < len) {
					b0 = char_offset(item->u.str.s,
					    item->u.str.len, (size_t)k);
					b1 = char_offset(item->u.str.s,
					    item->u.str.len, (size_t)k + 1);
					*out = value_str(item->u.str.s + b0,
					    b1 - b0);
				}
				return true;
			}
			return false;
		}
		q = prop->u.str.len == 0 ? item->u.str.s :
		    memmem(item->u.str.s, item->u.str.len, prop->u.str.s,
		    prop->u.str.len);
		if (q != NULL)
			*out = value_ref(prop);
		return true;
	case VALUE_ARRAY:
		if (prop->type == VALUE_INT) {
			*out = liquid_property(r, item, prop);
			return true;
		}
		return false;
	case VALUE_INT:
		return false;
	default:
		return false;
	}
}

static struct value *
property_error(struct lq_render *r, struct value *prop)
{
	char	*s = liquid_to_s(prop, NULL);

	liquid_fail(r, "cannot select the property '%s'", s);
	free(s);
	return NULL;
}

/* Respond to []: what Ruby's NoMethodError path returns nil for. */
static bool
has_index(const struct value *v)
{
	return v->type == VALUE_HASH || v->type == VALUE_DROP ||
	    v->type == VALUE_STRING || v->type == VALUE_ARRAY ||
	    v->type == VALUE_INT;
}

static struct value *
f_map(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	struct value	*a = liquid_input_array(r, in), *res, *v;
	size_t		 i;

	if (a == NULL)
		return NULL;
	res = value_array();
	for (i = 0; i < a->u.arr.n; i++) {
		struct value *e = a->u.arr.v[i];

		if (ARG(0) != NULL && ARG(0)->type == VALUE_STRING &&
		    strcmp(ARG(0)->u.str.s, "to_liquid") == 0)
			v = value_ref(e);
		else if (!has_index(e))
			v = &value_nil;
		else if (!index_by(r, e, ARG(0) ? ARG(0) : &value_nil, &v)) {
			value_unref(res);
			value_unref(a);
			return property_error(r, ARG(0));
		}
		value_array_push(res, v);
	}
	value_unref(a);
	return res;
}

static bool
ruby_eql(const struct value *a, const struct value *b)
{
	if ((a->type == VALUE_INT) != (b->type == VALUE_INT) &&
	    (a->type == VALUE_FLOAT || b->type == VALUE_FLOAT))
		return false;
	return value_equal(a, b);
}

static struct value *
select_by(struct lq_render *r, struct value *in, struct value *prop,
    struct value *target, char mode)
{
	struct value	*a = liquid_input_array(r, in), *res, *v, **keys;
	size_t		 i, j;
	bool		 keep;

	if (a == NULL)
		return NULL;
	if (a->u.arr.n == 0 && mode != 'u') {
		value_unref(a);
		return value_array();
	}
	res = value_array();
	keys = xcalloc(a->u.arr.n + 1, sizeof(*keys));
	for (i = 0; i < a->u.arr.n; i++) {
		struct value *e = a->u.arr.v[i];

		if (prop == NULL)
			v = value_ref(e);
		else if (!has_index(e)) {
			/* NoMethodError: the filter's answer is nil. */
			for (j = 0; j < i; j++)
				value_unref(keys[j]);
			free(keys);
			value_unref(res);
			value_unref(a);
			return &value_nil;
		} else if (!index_by(r, e, prop, &v)) {
			for (j = 0; j < i; j++)
				value_unref(keys[j]);
			free(keys);
			value_unref(res);
			value_unref(a);
			return property_error(r, prop);
		}
		keys[i] = v;
		switch (mode) {
		case 'w':
			keep = target == NULL || value_is_nil(target) ?
			    value_truthy(v) : value_equal(v, target);
			break;
		case 'c':
			keep = !value_is_nil(v);
			break;
		default:	/* uniq */
			keep = true;
			for (j = 0; j < i && keep; j++)
				if (ruby_eql(keys[j], v))
					keep = false;
			break;
		}
		if (keep)
			value_array_push(res, value_ref(e));
	}
	for (i = 0; i < a->u.arr.n; i++)
		value_unref(keys[i]);
	free(keys);
	value_unref(a);
	return res;
}

static struct value *
f_uniq(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return select_by(r, in, ARG(0), NULL, 'u');
}

static struct value *
f_compact(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return select_by(r, in, ARG(0), NULL, 'c');
}

static struct value *
f_reverse(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*a = liquid_input_array(r, in), *res;
	size_t		 i;

	if (a == NULL)
		return NULL;
	res = value_array();
	for (i = a->u.arr.n; i-- > 0;)
		value_array_push(res, value_ref(a->u.arr.v[i]));
	value_unref(a);
	return res;
}

/* Stable merge sort of v[0..n) with cmp; false when cmp failed. */
typedef int (*sort_cmp)(struct lq_render *, struct value *, struct value *,
    bool *);

static bool
merge_sort(struct lq_render *r, struct value **v, size_t n, sort_cmp cmp)
{
	struct value	**tmp;
	size_t		  w, i, a, b, e, k;
	bool		  ok = true;

	if (n < 2)
		return true;
	tmp = xcalloc(n, sizeof(*tmp));
	for (w = 1; w < n && ok; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			a = i;
			b = i + w < n ? i + w : n;
			e = i + 2 * w < n ? i + 2 * w : n;
			for (k = i; k < e; k++) {
				if (a < (i + w < n ? i + w : n) && (b >= e ||
				    cmp(r, v[a], v[b], &ok) <= 0))
					tmp[k] = v[a++];
				else
					tmp[k] = v[b++];
			}
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
	return ok;
}

/* Liquid's nil_safe_compare. */
static int
nil_safe_compare(struct lq_render *r, struct value *a, struct value *b,
    bool *ok)
{
	int	c;

	if (value_compare(a, b, &c))
		return c;
	if (value_is_nil(a))
		return 1;
	if (value_is_nil(b))
		return -1;
	if (*ok)
		liquid_fail(r, "cannot sort values of incompatible types");
	*ok = false;
	return 0;
}

static int
nil_safe_casecmp(struct lq_render *r, struct value *a, struct value *b,
    bool *ok)
{
	char	*x, *y;
	int	 c;

	if (value_is_nil(a) || value_is_nil(b))
		return value_is_nil(a) ? 1 : -1;
	x = liquid_to_s(a, NULL);
	y = liquid_to_s(b, NULL);
	c = strcasecmp(x, y);
	free(x);
	free(y);
	return c < 0 ? -1 : c > 0;
}

/* Sort [key, item] pairs (a key of nil for none) by key. */
static struct value *
sort_pairs(struct lq_render *r, struct value *in, struct value *prop,
    sort_cmp cmp)
{
	struct value	*a = liquid_input_array(r, in), *res, *k, *pair;
	size_t		 i;

	if (a == NULL)
		return NULL;
	if (a->u.arr.n == 0) {
		value_unref(a);
		return value_array();
	}
	res = value_array();
	for (i = 0; i < a->u.arr.n; i++) {
		if (prop == NULL || value_is_nil(prop))
			k = value_ref(a->u.arr.v[i]);
		else if (!has_index(a->u.arr.v[i])) {
			value_unref(res);
			value_unref(a);
			return &value_nil;
		} else if (!index_by(r, a->u.arr.v[i], prop, &k)) {
			value_unref(res);
			value_unref(a);
			return property_error(r, prop);
		}
		pair = value_array();
		value_array_push(pair, k);
		value_array_push(pair, value_ref(a->u.arr.v[i]));
		value_array_push(res, pair);
	}
	value_unref(a);
	return res;
}

static int
pair_cmp_natural(struct lq_render *r, struct value *a, struct value *b,
    bool *ok)
{
	return nil_safe_casecmp(r, a->u.arr.v[0], b->u.arr.v[0], ok);
}

static struct value *
unpair(struct value *pairs)
{
	struct value	*res = value_array();
	size_t		 i;

	for (i = 0; i < pairs->u.arr.n; i++)
		value_array_push(res, value_ref(pairs->u.arr.v[i]->u.arr.v[1]));
	value_unref(pairs);
	return res;
}

static struct value *
f_sort_natural(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*p = sort_pairs(r, in, ARG(0), pair_cmp_natural);

	if (p == NULL || p->type != VALUE_ARRAY)
		return p;
	merge_sort(r, p->u.arr.v, p->u.arr.n, pair_cmp_natural);
	return unpair(p);
}

/* Array#sort's <=>: values that do not compare are an error. */
static int
ruby_compare(struct lq_render *r, struct value *a, struct value *b,
    bool *ok)
{
	int	c;

	if (value_compare(a, b, &c))
		return c;
	if (*ok)
		liquid_fail(r, "comparison of %s with %s failed",
		    value_class_name(a), value_class_name(b));
	*ok = false;
	return 0;
}

struct value *
liquid_sort_plain(struct lq_render *r, struct value *a, bool nil_safe)
{
	struct value	*res = value_array();
	size_t		 i;

	for (i = 0; i < a->u.arr.n; i++)
		value_array_push(res, value_ref(a->u.arr.v[i]));
	if (!merge_sort(r, res->u.arr.v, res->u.arr.n, nil_safe ?
	    nil_safe_compare : ruby_compare)) {
		value_unref(res);
		return NULL;
	}
	return res;
}

static struct value *
replace_common(struct lq_render *r, struct value *in, struct value *pat,
    struct value *with, char mode)
{
	struct value	*s = liquid_str(in), *p = liquid_str(pat);
	struct value	*w = with != NULL ? liquid_str(with) : value_str("", 0);
	struct buf	 out = BUF_INIT;
	const char	*src = s->u.str.s, *q, *last = NULL;
	size_t		 n = s->u.str.len, pn = p->u.str.len, i = 0;

	if (mode == 'l') {
		for (q = src; pn <= n && (q = memmem(q, n - (size_t)(q - src),
		    p->u.str.s, pn)) != NULL; q++)
			last = q;
		if (pn == 0)
			last = src + n;
		if (last == NULL)
			buf_append(&out, src, n);
		else {
			buf_append(&out, src, (size_t)(last - src));
			buf_append(&out, w->u.str.s, w->u.str.len);
			buf_append(&out, last + pn,
			    n - (size_t)(last - src) - pn);
		}
		goto done;
	}
	for (;;) {
		if (pn == 0)
			q = src + i;
		else
			q = i + pn <= n ? memmem(src + i, n - i, p->u.str.s,
			    pn) : NULL;
		if (q == NULL)
			break;
		buf_append(&out, src + i, (size_t)(q - src) - i);
		/* gsub's replacement: \0 and \& are the match, \\ a '\'. */
		for (size_t k = 0; k < w->u.str.len; k++) {
			char c = w->u.str.s[k];

			if (c == '\\' && k + 1 < w->u.str.len) {
				char d = w->u.str.s[k + 1];

				if (d == '0' || d == '&') {
					buf_append(&out, q, pn);
					k++;
					continue;
				}
				if (d == '\\') {
					buf_putc(&out, '\\');
					k++;
					continue;
				}
				if (isdigit((unsigned char)d)) {
					k++;
					continue;
				}
				if (d == '`') {
					buf_append(&out, src,
					    (size_t)(q - src));
					k++;
					continue;
				}
				if (d == '\'') {
					buf_append(&out, q + pn,
					    n - (size_t)(q - src) - pn);
					k++;
					continue;
				}
			}
			buf_putc(&out, c);
		}
		i = (size_t)(q - src) + pn;
		if (pn == 0) {
			if (i >= n)
				break;
			/* An empty pattern matches between characters. */
			size_t cl = 1;

			while (i + cl < n &&
			    ((unsigned char)src[i + cl] & 0xc0) == 0x80)
				cl++;
			buf_append(&out, src + i, cl);
			i += cl;
			if (i >= n && mode != 'f') {
				continue;
			}
		}
		if (mode == 'f')
			break;
	}
	if (i <= n)
		buf_append(&out, src + i, n - i);
done:
	buf_reserve(&out, 0);
	value_unref(s);
	value_unref(p);
	value_unref(w);
	(void)r;
	return value_str_buf(&out);
}

static struct value *
f_replace(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return replace_common(r, in, ARG(0), ARG(1), 'a');
}

static struct value *
f_replace_first(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return replace_common(r, in, ARG(0), ARG(1), 'f');
}

static struct value *
f_replace_last(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return replace_common(r, in, ARG(0), ARG(1), 'l');
}

static struct value *
f_remove(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return replace_common(r, in, ARG(0), NULL, 'a');
}

static struct value *
f_remove_first(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return replace_common(r, in, ARG(0), NULL, 'f');
}

static struct value *
f_remove_last(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return replace_common(r, in, ARG(0), NULL, 'l');
}

static struct value *
concat2(struct lq_render *r, struct value *a, struct value *b, bool prepend)
{
	struct buf	out = BUF_INIT;

	value_to_s(prepend ? b : a, &out);
	value_to_s(prepend ? a : b, &out);
	if (out.len > r->eng->cfg.max_output) {
		buf_free(&out);
		liquid_fail(r, "string longer than %zu bytes",
		    r->eng->cfg.max_output);
		return NULL;
	}
	buf_reserve(&out, 0);
	return value_str_buf(&out);
}

static struct value *
f_append(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return concat2(r, in, ARG(0), false);
}

static struct value *
f_prepend(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	return concat2(r, in, ARG(0), true);
}

static struct value *
f_concat(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*a, *res;
	size_t		 i;

	if (ARG(0) == NULL || ARG(0)->type != VALUE_ARRAY) {
		liquid_fail(r, "concat filter requires an array argument");
		return NULL;
	}
	if ((a = liquid_input_array(r, in)) == NULL)
		return NULL;
	if (a->u.arr.n + ARG(0)->u.arr.n > r->eng->cfg.max_items) {
		value_unref(a);
		liquid_fail(r, "array of more than %zu items",
		    r->eng->cfg.max_items);
		return NULL;
	}
	res = value_array();
	for (i = 0; i < a->u.arr.n; i++)
		value_array_push(res, value_ref(a->u.arr.v[i]));
	for (i = 0; i < ARG(0)->u.arr.n; i++)
		value_array_push(res, value_ref(ARG(0)->u.arr.v[i]));
	value_unref(a);
	return res;
}

/* Liquid's Utils.to_date. */
bool
liquid_to_time(const struct value *in, struct value_time *t)
{
	char	*s;
	size_t	 n, i;
	int	 rc;

	if (in == NULL)
		return false;
	if (in->type == VALUE_TIME) {
		*t = in->u.time;
		return true;
	}
	if (in->type == VALUE_INT) {
		if (in->u.i <= -VALUE_TIME_MAX_SEC ||
		    in->u.i >= VALUE_TIME_MAX_SEC)
			return false;
		memset(t, 0, sizeof(*t));
		t->sec = in->u.i;
		value_time_local(t);
		return true;
	}
	if (in->type != VALUE_STRING || in->u.str.len == 0)
		return false;
	s = xstrndup(in->u.str.s, in->u.str.len);
	n = in->u.str.len;
	for (i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	if (strcmp(s, "now") == 0 || strcmp(s, "today") == 0) {
		value_time_now(t);
		free(s);
		return true;
	}
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		continue;
	if (i == n) {
		memset(t, 0, sizeof(*t));
		t->sec = n < 16 ? strtoll(s, NULL, 10) : 0;
		value_time_local(t);
		free(s);
		return true;
	}
	rc = value_time_parse(in->u.str.s, n, t);
	free(s);
	return rc == 0;
}

struct value *
liquid_filter_date(struct lq_render *r, struct value *in,
    struct value **args, size_t nargs)
{
	struct value_time	 t;
	struct value		*fmt = liquid_str(ARG(0));
	struct buf		 out = BUF_INIT;

	if (fmt->u.str.len == 0 || !liquid_to_time(in, &t)) {
		value_unref(fmt);
		return value_ref(in);
	}
	if (t.date_only) {
		/* A Date has no time of day; its %Z is its offset. */
		t.offset = 0;
		snprintf(t.zone, sizeof(t.zone), "+00:00");
		t.utc = false;
	}
	value_strftime(&t, fmt->u.str.s, fmt->u.str.len, &out);
	value_unref(fmt);
	return value_str_buf(&out);
}

static struct value *
f_first(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*k = value_cstr("first"), *v;

	if (in == NULL || (in->type != VALUE_ARRAY && in->type != VALUE_HASH &&
	    in->type != VALUE_RANGE)) {
		value_unref(k);
		return &value_nil;
	}
	v = liquid_command(r, in, k);
	value_unref(k);
	return v;
}

static struct value *
f_last(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	struct value	*k = value_cstr("last"), *v;

	if (in == NULL || (in->type != VALUE_ARRAY &&
	    in->type != VALUE_RANGE)) {
		value_unref(k);
		return &value_nil;
	}
	v = liquid_command(r, in, k);
	value_unref(k);
	return v;
}

static struct value *
f_size(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	if (in == NULL)
		return value_int(0);
	switch (in->type) {
	case VALUE_STRING:
	case VALUE_ARRAY:
	case VALUE_HASH:
	case VALUE_RANGE:
		return value_int((int64_t)value_size(in));
	case VALUE_INT:
		return value_int(8);
	default:
		return value_int(0);
	}
}

static struct value *
f_default(struct lq_render *r, struct value *in, struct value **args,
    size_t nargs)
{
	struct value	*def = ARG(0), *opts = ARG(1), *af;
	bool		 allow_false = false, use;

	if (opts != NULL && opts->type == VALUE_HASH &&
	    (af = value_hash_get(opts, "allow_false", 11)) != NULL)
		allow_false = value_truthy(af);
	use = allow_false ? value_is_nil(in) : !value_truthy(in);
	if (!use && in != NULL && ((in->type == VALUE_STRING &&
	    in->u.str.len == 0) || (in->type == VALUE_ARRAY &&
	    in->u.arr.n == 0) || (in->type == VALUE_HASH && in->u.hash.n == 0)))
		use = true;
	if (use)
		return def != NULL ? value_ref(def) : value_str("", 0);
	return value_ref(in);
}

static struct value *
f_date(struct lq_render *r, struct value *in, struct value **args, size_t nargs)
{
	return liquid_filter_date(r, in, args, nargs);
}

const struct lq_filter liquid_standard_filters[] = {
	{ "abs", f_abs, 0, 0 },
	{ "append", f_append, 1, 1 },
	{ "at_least", f_at_least, 1, 1 },
	{ "at_most", f_at_most, 1, 1 },
	{ "base64_decode", f_base64_decode, 0, 0 },
	{ "base64_encode", f_base64_encode, 0, 0 },
	{ "base64_url_safe_decode", f_base64_url_safe_decode, 0, 0 },
	{ "base64_url_safe_encode", f_base64_url_safe_encode, 0, 0 },
	{ "capitalize", f_capitalize, 0, 0 },
	{ "ceil", f_ceil, 0, 0 },
	{ "compact", f_compact, 0, 1 },
	{ "concat", f_concat, 1, 1 },
	{ "date", f_date, 1, 1 },
	{ "default", f_default, 0, 2 },
	{ "divided_by", f_divided_by, 1, 1 },
	{ "downcase", f_downcase, 0, 0 },
	{ "escape", f_escape, 0, 0 },
	{ "escape_once", f_escape_once, 0, 0 },
	{ "first", f_first, 0, 0 },
	{ "floor", f_floor, 0, 0 },
	{ "h", f_escape, 0, 0 },
	{ "join", f_join, 0, 1 },
	{ "last", f_last, 0, 0 },
	{ "lstrip", f_lstrip, 0, 0 },
	{ "map", f_map, 1, 1 },
	{ "minus", f_minus, 1, 1 },
	{ "modulo", f_modulo, 1, 1 },
	{ "newline_to_br", f_newline_to_br, 0, 0 },
	{ "plus", f_plus, 1, 1 },
	{ "prepend", f_prepend, 1, 1 },
	{ "remove", f_remove, 1, 1 },
	{ "remove_first", f_remove_first, 1, 1 },
	{ "remove_last", f_remove_last, 1, 1 },
	{ "replace", f_replace, 1, 2 },
	{ "replace_first", f_replace_first, 1, 2 },
	{ "replace_last", f_replace_last, 2, 2 },
	{ "reverse", f_reverse, 0, 0 },
	{ "round", f_round, 0, 1 },
	{ "rstrip", f_rstrip, 0, 0 },
	{ "size", f_size, 0, 0 },
	{ "slice", f_slice, 1, 2 },
	{ "sort_natural", f_sort_natural, 0, 1 },
	{ "split", f_split, 1, 1 },
	{ "strip", f_strip, 0, 0 },
	{ "strip_html", f_strip_html, 0, 0 },
	{ "strip_newlines", f_strip_newlines, 0, 0 },
	{ "times", f_times, 1, 1 },
	{ "truncate", f_truncate, 0, 2 },
	{ "truncatewords", f_truncatewords, 0, 2 },
	{ "uniq", f_uniq, 0, 1 },
	{ "upcase", f_upcase, 0, 0 },
	{ "url_decode", f_url_decode, 0, 0 },
	{ "url_encode", f_url_encode, 0, 0 },
};

const size_t liquid_nstandard_filters = nitems(liquid_standard_filters);

const struct lq_filter *
liquid_filter_find(const char *name, size_t len)
{
	size_t	i;

	/* Jekyll's module comes last: its filters win. */
	for (i = 0; i < liquid_njekyll_filters; i++)
		if (strlen(liquid_jekyll_filters[i].name) == len &&
		    memcmp(liquid_jekyll_filters[i].name, name, len) == 0)
			return &liquid_jekyll_filters[i];
	for (i = 0; i < liquid_nstandard_filters; i++)
		if (strlen(liquid_standard_filters[i].name) == len &&
		    memcmp(liquid_standard_filters[i].name, name, len) == 0)
			return &liquid_standard_filters[i];
	return NULL;
}
