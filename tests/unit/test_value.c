/*
 * The value model: Ruby's printing of numbers and containers, YAML
 * scalars resolved as Psych does, YAML documents with aliases and
 * depth bounds, comparisons, strftime and Time.parse forms.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "harness.h"
#include "model/model.h"

static char *
fmt_float(double d)
{
	struct buf	b = BUF_INIT;

	value_format_float(d, &b);
	return buf_detach(&b, NULL);
}

static void
test_float_format(void)
{
	CHECK_STR_FREE(fmt_float(1.0), "1.0");
	CHECK_STR_FREE(fmt_float(0.1), "0.1");
	CHECK_STR_FREE(fmt_float(100.0), "100.0");
	CHECK_STR_FREE(fmt_float(1e15), "1.0e+15");
	CHECK_STR_FREE(fmt_float(123456789012345.0), "123456789012345.0");
	CHECK_STR_FREE(fmt_float(1e16), "1.0e+16");
	CHECK_STR_FREE(fmt_float(0.0001), "0.0001");
	CHECK_STR_FREE(fmt_float(0.00001), "1.0e-05");
	CHECK_STR_FREE(fmt_float(2.5e-5), "2.5e-05");
	CHECK_STR_FREE(fmt_float(-0.0), "-0.0");
	CHECK_STR_FREE(fmt_float(1.0 / 3), "0.3333333333333333");
	CHECK_STR_FREE(fmt_float(1e100), "1.0e+100");
	CHECK_STR_FREE(fmt_float(INFINITY), "Infinity");
	CHECK_STR_FREE(fmt_float(NAN), "NaN");
}

static char *
scalar_inspect(const char *s)
{
	struct value	*v = value_from_yaml_scalar(s, strlen(s));
	struct buf	 b = BUF_INIT;

	value_inspect(v, &b);
	value_unref(v);
	return buf_detach(&b, NULL);
}

static void
test_yaml_scalars(void)
{
	CHECK_STR_FREE(scalar_inspect(""), "nil");
	CHECK_STR_FREE(scalar_inspect("~"), "nil");
	CHECK_STR_FREE(scalar_inspect("yes"), "true");
	CHECK_STR_FREE(scalar_inspect("Off"), "false");
	CHECK_STR_FREE(scalar_inspect("0x1f"), "31");
	CHECK_STR_FREE(scalar_inspect("010"), "8");
	CHECK_STR_FREE(scalar_inspect("0b11"), "3");
	CHECK_STR_FREE(scalar_inspect("1_000"), "1000");
	CHECK_STR_FREE(scalar_inspect("+5"), "5");
	CHECK_STR_FREE(scalar_inspect("1:30"), "5400");
	CHECK_STR_FREE(scalar_inspect("1e3"), "\"1e3\"");
	CHECK_STR_FREE(scalar_inspect(".5"), "0.5");
	CHECK_STR_FREE(scalar_inspect("1.0"), "1.0");
	CHECK_STR_FREE(scalar_inspect("-.inf"), "-Infinity");
	CHECK_STR_FREE(scalar_inspect("2016-07-15 10:00:00 +02:00"),
	    "2016-07-15 10:00:00 +0200");
	CHECK_STR_FREE(scalar_inspect("2016-07-15 10:00:00"),
	    "2016-07-15 10:00:00 +0000");
	CHECK_STR_FREE(scalar_inspect("2016-07-15T10:00:00Z"),
	    "2016-07-15 10:00:00 UTC");
	CHECK_STR_FREE(scalar_inspect("2016-07-15"),
	    "#<Date: 2016-07-15 ((2457585j,0s,0n),+0s,2299161j)>");
	CHECK_STR_FREE(scalar_inspect("2016-13-45"), "\"2016-13-45\"");
	CHECK_STR_FREE(scalar_inspect("hello #{x}"), "\"hello \\#{x}\"");
}

/* Where the top-level keys are: in order, repeated ones too. */
static void
test_yaml_keys(void)
{
	static const char	doc[] = "# settings\nport: 1\nlisten:\n"
	    "  - a\n  - b\n? [x]\n: 2\nport: 3\n";
	struct value_yaml_key	*k;
	struct diags		 d = { 0 };
	struct value		*v;
	size_t			 n;

	v = value_from_yaml_keys(doc, strlen(doc), "s.yml", 1, &k, &n, &d);
	CHECK(v != NULL && d.n == 0);
	CHECK_INT(n, 4);
	if (v != NULL && n == 4) {
		CHECK_STR(k[0].key, "port");
		CHECK_INT(k[0].line, 2);
		CHECK_INT(k[0].nitems, 0);
		CHECK_STR(k[1].key, "listen");
		CHECK_INT(k[1].nitems, 2);
		CHECK(k[1].nitems == 2 && k[1].items[0] == 4 &&
		    k[1].items[1] == 5);
		CHECK(k[2].key == NULL && k[2].line == 6);
		CHECK_STR(k[3].key, "port");
		CHECK_INT(k[3].line, 8);
		/* The hash keeps the last. */
		CHECK(value_hash_get(v, "port", 4) != NULL &&
		    value_hash_get(v, "port", 4)->u.i == 3);
	}
	value_yaml_keys_free(k, n);
	value_unref(v);
	/* Not a mapping: an error where the document starts. */
	v = value_from_yaml_keys("\n- a\n", 5, "s.yml", 1, &k, &n, &d);
	CHECK(v == NULL && k == NULL && n == 0);
	CHECK(d.n == 1 && d.v[0].line == 2 && d.v[0].column == 1 &&
	    strstr(d.v[0].msg, "not a mapping") != NULL);
	diag_free(&d);
	/* Empty, or null: no keys. */
	v = value_from_yaml_keys("~\n", 2, "s.yml", 1, &k, &n, &d);
	CHECK(v != NULL && n == 0 && d.n == 0);
	value_yaml_keys_free(k, n);
	value_unref(v);
	v = value_from_yaml_keys("", 0, "s.yml", 1, &k, &n, &d);
	CHECK(v != NULL && n == 0 && d.n == 0);
	value_yaml_keys_free(k, n);
	value_unref(v);
}

static void
test_yaml_document(void)
{
	static const char	doc[] = "a: [1, 'two', {b: ~}]\n"
	    "c: &x {d: 1}\ne: *x\n\"q\": \"x\\ty\"\n";
	struct diags		 d = { 0 };
	struct value		*v = value_from_yaml(doc, strlen(doc), "d.yml",
				    1, &d);
	struct buf		 b = BUF_INIT;

	CHECK(v != NULL && v->type == VALUE_HASH);
	value_inspect(v, &b);
	CHECK_STR(b.data, "{\"a\"=>[1, \"two\", {\"b\"=>nil}], "
	    "\"c\"=>{\"d\"=>1}, \"e\"=>{\"d\"=>1}, \"q\"=>\"x\\ty\"}");
	buf_truncate(&b, 0);
	value_to_json(v, &b);
	CHECK_STR(b.data, "{\"a\":[1,\"two\",{\"b\":null}],\"c\":{\"d\":1},"
	    "\"e\":{\"d\":1},\"q\":\"x\\ty\"}");
	/* The alias is the same value, shared. */
	CHECK(value_hash_get(v, "c", 1) == value_hash_get(v, "e", 1));
	buf_free(&b);
	value_unref(v);
	CHECK_INT(d.n, 0);
	diag_free(&d);
}

static void
test_yaml_bad(void)
{
	struct diags	 d = { 0 };
	struct buf	 deep = BUF_INIT, bomb = BUF_INIT;
	struct value	*v;
	int		 i;

	v = value_from_yaml("a: [1,\nb: 2\n", 12, "bad.yml", 10, &d);
	CHECK(v == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(d.n == 1 && d.v[0].line >= 10 && d.v[0].column >= 1);
	diag_free(&d);
	memset(&d, 0, sizeof(d));
	for (i = 0; i < 100; i++)
		buf_putc(&deep, '[');
	for (i = 0; i < 100; i++)
		buf_putc(&deep, ']');
	v = value_from_yaml(deep.data, deep.len, "deep.yml", 1, &d);
	CHECK(v == NULL);
	CHECK(diag_find(&d, "deeper than 64") != NULL);
	diag_free(&d);
	memset(&d, 0, sizeof(d));
	/* Nine levels of ten aliases each: shared, not a billion copies. */
	buf_puts(&bomb, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 9; i++)
		buf_printf(&bomb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, "
		    "*%c, *%c, *%c]\n", 'a' + i, 'a' + i, 'a' + i - 1,
		    'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
		    'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
		    'a' + i - 1);
	v = value_from_yaml(bomb.data, bomb.len, "bomb.yml", 1, &d);
	CHECK(v != NULL && v->u.hash.n == 9);
	value_unref(v);
	CHECK_INT(d.n, 0);
	diag_free(&d);
	/* A sequence that holds itself. */
	memset(&d, 0, sizeof(d));
	v = value_from_yaml("&s [1, *s]", 10, "self.yml", 1, &d);
	CHECK(v != NULL && v->type == VALUE_ARRAY && v->u.arr.n == 2 &&
	    v->u.arr.v[1]->type == VALUE_NIL);
	value_unref(v);
	diag_free(&d);
	buf_free(&deep);
	buf_free(&bomb);
}

static char *
csv_inspect(const char *text, char sep)
{
	struct diags	 d = { 0 };
	struct value	*v = value_from_csv(text, strlen(text), sep, "t.csv",
			    &d);
	struct buf	 b = BUF_INIT;

	if (v == NULL)
		buf_printf(&b, "error %u:%u", d.v[0].line, d.v[0].column);
	else
		value_inspect(v, &b);
	value_unref(v);
	diag_free(&d);
	return buf_detach(&b, NULL);
}

/* The answers are Ruby's CSV.read(headers: true).map(&:to_hash). */
static void
test_csv(void)
{
	CHECK_STR_FREE(csv_inspect("name,age,note\r\nann,3,\"a, b\"\n"
	    "bob,,\"\"\n\"c\"\"d\",5\n", ','),
	    "[{\"name\"=>\"ann\", \"age\"=>\"3\", \"note\"=>\"a, b\"}, "
	    "{\"name\"=>\"bob\", \"age\"=>nil, \"note\"=>\"\"}, "
	    "{\"name\"=>\"c\\\"d\", \"age\"=>\"5\", \"note\"=>nil}]");
	CHECK_STR_FREE(csv_inspect("a,b\n\n4\n\"multi\nline\",x", ','),
	    "[{\"a\"=>nil, \"b\"=>nil}, {\"a\"=>\"4\", \"b\"=>nil}, "
	    "{\"a\"=>\"multi\\nline\", \"b\"=>\"x\"}]");
	CHECK_STR_FREE(csv_inspect("a\tb\n1\t2\n", '\t'),
	    "[{\"a\"=>\"1\", \"b\"=>\"2\"}]");
	CHECK_STR_FREE(csv_inspect("", ','), "[]");
	CHECK_STR_FREE(csv_inspect("a,b\n1,\"2\n3,4\n", ','), "error 2:3");
	CHECK_STR_FREE(csv_inspect("a,b\n1,x\"y\n", ','), "error 2:4");
}

static void
test_compare(void)
{
	struct value	*i1 = value_int(1), *f1 = value_float(1.0);
	struct value	*s1 = value_cstr("1"), *sa = value_cstr("a");
	struct value	*sb = value_cstr("b");
	int		 c = 99;

	CHECK(value_equal(i1, f1));
	CHECK(!value_equal(i1, s1));
	CHECK(value_compare(sa, sb, &c) && c < 0);
	CHECK(!value_compare(i1, sa, &c));
	CHECK(value_compare(&value_nil, &value_nil, &c) && c == 0);
	CHECK(!value_truthy(&value_nil) && !value_truthy(&value_false));
	CHECK(value_truthy(s1));
	value_unref(i1);
	value_unref(f1);
	value_unref(s1);
	value_unref(sa);
	value_unref(sb);
}

static void
test_big_hash(void)
{
	struct value	*h = value_hash();
	char		 k[16];
	int		 i, ok = 1;

	for (i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		value_hash_set(h, k, strlen(k), value_int(i));
	}
	value_hash_set(h, "k7", 2, value_int(-7));
	for (i = 0; i < 1000; i++) {
		struct value *v;

		snprintf(k, sizeof(k), "k%d", i);
		v = value_hash_get(h, k, strlen(k));
		ok = ok && v != NULL && v->u.i == (i == 7 ? -7 : i);
	}
	CHECK(ok);
	CHECK_INT(h->u.hash.n, 1000);
	CHECK(value_hash_get(h, "nope", 4) == NULL);
	value_unref(h);
}

static char *
ftime(const char *when, const char *fmt)
{
	struct value_time	t;
	struct buf		b = BUF_INIT;

	if (value_time_parse(when, strlen(when), &t) != 0)
		return xstrdup("(none)");
	value_strftime(&t, fmt, strlen(fmt), &b);
	return buf_detach(&b, NULL);
}

static void
test_time(void)
{
	setenv("TZ", "UTC", 1);
	CHECK_STR_FREE(ftime("2016-07-15 10:30:45 +0200",
	    "%Y-%m-%d %H:%M:%S %z %:z %A %a %B %b %j %e %-d %I%p %P"),
	    "2016-07-15 10:30:45 +0200 +02:00 Friday Fri July Jul 197 15 15 "
	    "10AM am");
	CHECK_STR_FREE(ftime("Sat, 15 Jul 2016 10:00:00 +0200", "%F %T %z"),
	    "2016-07-15 10:00:00 +0200");
	CHECK_STR_FREE(ftime("July 4, 2015", "%F"), "2015-07-04");
	CHECK_STR_FREE(ftime("15th July 2016 10:30", "%F %R"),
	    "2016-07-15 10:30");
	CHECK_STR_FREE(ftime("10/11/2012", "%F"), "2012-11-10");
	CHECK_STR_FREE(ftime("2016-07-15T10:00:00Z", "%H %Z"), "10 UTC");
	CHECK_STR_FREE(ftime("2016-07-15 10:00 PM", "%H:%M"), "22:00");
	CHECK_STR_FREE(ftime("2021-01-03", "%G-W%V-%u %U %W"),
	    "2020-W53-7 01 00");
	/* Ruby's Time.parse: minutes of a zone are two digits, or none. */
	CHECK_STR_FREE(ftime("2016-07-15 10:30:45 +02:30", "%T %z"),
	    "10:30:45 +0230");
	CHECK_STR_FREE(ftime("2016-07-15 10:30:45 +0:999999999999999999999",
	    "%T %z"), "10:30:45 +0000");
	CHECK_STR_FREE(ftime("garbage", "%F"), "(none)");
	CHECK_STR_FREE(ftime("2016-02-30", "%F"), "(none)");
	CHECK_STR_FREE(ftime("2016-07-15", "%Q|%5d|%-5d|%^a"),
	    "%Q|00015|15|FRI");
}

/*
 * timezone: a zone of the tz database read from its file, for this
 * thread's local times alone; names that could leave the database
 * refused.
 */
static void
test_zone(void)
{
	const struct value_zone	*ny;
	struct value_time	 t;
	struct tm		 tm;
	time_t			 s;

	if (access("/usr/share/zoneinfo/America/New_York", R_OK) == -1)
		SKIP("no tz database (contrib/deps.sh --test: tzdata)");
	ny = value_zone_get("America/New_York");
	CHECK(ny != NULL);
	CHECK(value_zone_get("America/New_York") == ny);
	CHECK(value_zone_get("../../etc/passwd") == NULL);
	CHECK(value_zone_get("/etc/localtime") == NULL);
	CHECK(value_zone_get("No/Such_Zone") == NULL);
	value_zone_use(ny);
	memset(&t, 0, sizeof(t));
	t.sec = 1593561600;		/* 2020-07-01T00:00:00Z */
	value_time_local(&t);
	CHECK_INT(t.offset, -4 * 3600);
	CHECK_STR(t.zone, "EDT");
	t.sec = 1577836800;		/* 2020-01-01T00:00:00Z */
	value_time_local(&t);
	CHECK_INT(t.offset, -5 * 3600);
	CHECK_STR(t.zone, "EST");
	/* A wall time without a zone is in this one. */
	CHECK_INT(value_time_parse("2020-07-01 12:00", 16, &t), 0);
	CHECK(t.sec == 1593619200);	/* 16:00Z */
	/* Without one, the process's zone again. */
	value_zone_use(NULL);
	t.sec = 1593561600;
	value_time_local(&t);
	s = (time_t)t.sec;
	localtime_r(&s, &tm);
	CHECK_INT(t.offset, tm.tm_gmtoff);
}

int
main(void)
{
	RUN(test_float_format);
	RUN(test_yaml_scalars);
	RUN(test_yaml_document);
	RUN(test_yaml_keys);
	RUN(test_yaml_bad);
	RUN(test_csv);
	RUN(test_compare);
	RUN(test_big_hash);
	RUN(test_time);
	RUN(test_zone);
	return HARNESS_END();
}
