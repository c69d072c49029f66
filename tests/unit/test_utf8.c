/*
 * utf8_sanitize: line ends, BOM, invalid bytes and where they are;
 * control characters found.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/core.h"

static char *
clean(const char *in, size_t len, struct diags *d)
{
	struct buf	out = BUF_INIT;

	utf8_sanitize(&out, in, len, "f.md", d);
	CHECK(out.data != NULL && strlen(out.data) == out.len);
	return buf_detach(&out, NULL);
}

static void
test_line_ends(void)
{
	struct diags	 d = { 0 };
	char		*s;

	s = clean("\xef\xbb\xbf" "a\r\nb\rc\nd", 11, &d);
	CHECK_STR(s, "a\nb\nc\nd");
	CHECK_INT(d.n, 0);
	free(s);
	diag_free(&d);
}

static void
test_invalid(void)
{
	struct diags	 d = { 0 };
	char		*s;

	/* Line 3, after "é x" (3 characters): column 4. */
	s = clean("one\r\ntwo\n\xc3\xa9 x\xff\xfey\n", 17, &d);
	CHECK_STR(s, "one\ntwo\n\xc3\xa9 x\xef\xbf\xbd\xef\xbf\xbdy\n");
	CHECK_INT(d.warnings, 2);
	if (d.n == 2) {
		CHECK_INT(d.v[0].line, 3);
		CHECK_INT(d.v[0].column, 4);
		CHECK_INT(d.v[1].column, 5);
		CHECK_STR(d.v[0].file, "f.md");
	}
	free(s);
	diag_free(&d);
}

/* Lone CRs end lines too; a long ASCII run before the byte. */
static void
test_invalid_after_cr(void)
{
	struct diags	 d = { 0 };
	char		*s;

	s = clean("a\rb\r\nlong enough ascii run\x80", 27, &d);
	CHECK_STR(s, "a\nb\nlong enough ascii run\xef\xbf\xbd");
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_INT(d.v[0].line, 3);
		CHECK_INT(d.v[0].column, 22);
	}
	free(s);
	diag_free(&d);
}

static void
test_many_invalid(void)
{
	struct diags	 d = { 0 };
	char		 in[100], *s;

	memset(in, 0xff, sizeof(in));
	s = clean(in, sizeof(in), &d);
	CHECK_INT(strlen(s), 300);
	/* Ten warnings, then one that counts the rest. */
	CHECK_INT(d.n, 11);
	free(s);
	diag_free(&d);
}

/*
 * Terminal controls (ESC, BEL, DEL, C1 CSI) and the XML non-characters
 * become U+FFFD with a warning each; TAB and LF stay.  The controls sit
 * inside and after long runs of printable ASCII (the eight-byte path).
 */
static void
test_controls(void)
{
	struct diags	 d = { 0 };
	char		*s;
	const char	 in[] = "a\tb printable text \x1b[31mred\x07\n"
			    "x\x7f \xc2\x9b \xef\xbf\xbe \xef\xbf\xbf ok\n";

	s = clean(in, sizeof(in) - 1, &d);
	CHECK_STR(s, "a\tb printable text \xef\xbf\xbd[31mred\xef\xbf\xbd\n"
	    "x\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd ok\n");
	CHECK_INT(d.warnings, 6);
	if (d.n == 6) {
		CHECK_INT(d.v[0].line, 1);
		CHECK_INT(d.v[0].column, 20);
		CHECK(strstr(d.v[0].msg, "U+001B") != NULL);
		CHECK(strstr(d.v[1].msg, "U+0007") != NULL);
		CHECK_INT(d.v[2].line, 2);
		CHECK_INT(d.v[2].column, 2);
		CHECK(strstr(d.v[3].msg, "U+009B") != NULL);
		CHECK(strstr(d.v[4].msg, "U+FFFE") != NULL);
	}
	free(s);
	diag_free(&d);
}

static void
test_next_control(void)
{
	/* ESC, TAB, DEL, U+009B (CSI, C1); U+00A0 and é are text. */
	const char	 s[] = "a\x1b[1m\tb\x7f\xc2\x9b\xc2\xa0\xc3\xa9";
	const size_t	 at[] = { 1, 5, 7, 8 }, len[] = { 1, 1, 1, 2 };
	const char	*end = s + sizeof(s) - 1, *p = s;
	size_t		 i, n = 0;

	for (i = 0; i < nitems(at); i++) {
		p = utf8_next_control(p + n, end, &n);
		CHECK_INT(p - s, at[i]);
		CHECK_INT(n, len[i]);
	}
	p = utf8_next_control(p + n, end, &n);
	CHECK(p == end);
	CHECK_INT(n, 0);
	/* A lone 0xc2 at the end is not a control. */
	p = utf8_next_control(s + 8, s + 9, &n);
	CHECK(p == s + 9);
}

/* Long runs are skipped eight bytes at a time: a control at any place. */
static void
test_next_control_runs(void)
{
	char		 s[64];
	const char	*p;
	size_t		 i, n;

	for (i = 0; i + 1 < sizeof(s); i++) {
		memset(s, 'a', sizeof(s));
		/* é (0xc3 0xa9) everywhere in the second half. */
		for (n = 32; n + 1 < sizeof(s); n += 2)
			memcpy(s + n, "\xc3\xa9", 2);
		s[i] = i % 3 == 0 ? '\x1b' : i % 3 == 1 ? '\x7f' : '\n';
		p = utf8_next_control(s, s + sizeof(s), &n);
		CHECK_INT(p - s, i);
		CHECK_INT(n, 1);
	}
	memset(s, 'a', sizeof(s));
	memcpy(s + 45, "\xc2\x85", 2);
	p = utf8_next_control(s, s + sizeof(s), &n);
	CHECK_INT(p - s, 45);
	CHECK_INT(n, 2);
	memcpy(s + 45, "\xc2\xa0", 2);
	p = utf8_next_control(s, s + sizeof(s), &n);
	CHECK(p == s + sizeof(s));
}

int
main(void)
{
	RUN(test_line_ends);
	RUN(test_invalid);
	RUN(test_invalid_after_cr);
	RUN(test_many_invalid);
	RUN(test_controls);
	RUN(test_next_control);
	RUN(test_next_control_runs);
	return HARNESS_END();
}
