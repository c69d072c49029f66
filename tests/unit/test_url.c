#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "proto/proto.h"

static struct url	u;
static const char	*err;

static int
parse(const char *s)
{
	err = NULL;
	return url_parse(s, strlen(s), &u, &err);
}

/* The normalised path of a URL that parses, or "(error)". */
static const char *
path_of(const char *s)
{
	return parse(s) == 0 ? u.path : "(error)";
}

static void
test_parts(void)
{
	CHECK_INT(parse("GEMINI://Example.ORG:1965/a/b.gmi?q=1&r#frag"), 0);
	CHECK_STR(u.scheme, "gemini");
	CHECK_STR(u.host, "example.org");
	CHECK_INT(u.host_kind, URL_HOST_NAME);
	CHECK_INT(u.port, 1965);
	CHECK_STR(u.path, "/a/b.gmi");
	CHECK(u.has_query);
	CHECK_STR(u.query, "q=1&r");
	CHECK(u.has_fragment);
	CHECK(!u.has_userinfo);
}

static void
test_no_path(void)
{
	CHECK_INT(parse("gemini://host"), 0);
	CHECK_STR(u.path, "/");
	CHECK_INT(u.port, -1);
	CHECK(!u.has_query);
	CHECK_INT(parse("gemini://host?x"), 0);
	CHECK_STR(u.path, "/");
	CHECK_STR(u.query, "x");
	CHECK_INT(parse("gemini://host:/"), 0);	/* empty port: default */
	CHECK_INT(u.port, -1);
}

static void
test_userinfo(void)
{
	CHECK_INT(parse("gemini://user:pw@host/"), 0);
	CHECK(u.has_userinfo);
	CHECK_STR(u.host, "host");
	CHECK_INT(parse("gemini://a@b@host/"), -1);	/* '@' in userinfo */
}

static void
test_ip_literals(void)
{
	CHECK_INT(parse("gemini://127.0.0.1/x"), 0);
	CHECK_INT(u.host_kind, URL_HOST_IPV4);
	CHECK_INT(parse("gemini://[::1]:1965/x"), 0);
	CHECK_INT(u.host_kind, URL_HOST_IPV6);
	CHECK_STR(u.host, "::1");
	CHECK_INT(u.port, 1965);
	CHECK_INT(parse("gemini://[2001:DB8::1]/"), 0);
	CHECK_STR(u.host, "2001:db8::1");
	CHECK_INT(parse("gemini://[::1/"), -1);
	CHECK_INT(parse("gemini://[nothost]/"), -1);
	CHECK_INT(parse("gemini://[v1.x]/"), -1);
	CHECK_INT(parse("gemini://[fe80::1%25eth0]/"), -1);
	CHECK_INT(parse("gemini://[::1]x/"), -1);
	/* Not four decimal parts: a name, not an address. */
	CHECK_INT(parse("gemini://1.2.3/"), 0);
	CHECK_INT(u.host_kind, URL_HOST_NAME);
}

static void
test_ports(void)
{
	CHECK_INT(parse("gemini://h:65535/"), 0);
	CHECK_INT(u.port, 65535);
	CHECK_INT(parse("gemini://h:65536/"), -1);
	CHECK_INT(parse("gemini://h:99999999999999999999/"), -1);
	CHECK_INT(parse("gemini://h:19a/"), -1);
	CHECK_INT(parse("gemini://h:-1/"), -1);
}

static void
test_scheme(void)
{
	CHECK_INT(parse(""), -1);
	CHECK_INT(parse("/relative/path"), -1);
	CHECK_INT(parse("example.org/"), -1);
	CHECK_INT(parse("gemini:/one-slash"), -1);
	CHECK_INT(parse("localhost:1965/"), -1);	/* no "//" */
	CHECK_INT(parse("1gemini://h/"), -1);
	CHECK_INT(parse("ht_tp://h/"), -1);
	CHECK_INT(parse("https://h/"), 0);
	CHECK_STR(u.scheme, "https");
	CHECK_INT(parse("git+ssh://h/"), 0);
}

static void
test_bad_bytes(void)
{
	char	nul[] = "gemini://h/a\0b";

	CHECK_INT(url_parse(nul, sizeof(nul) - 1, &u, &err), -1);
	CHECK_INT(parse("gemini://h/a\tb"), -1);
	CHECK_INT(parse("gemini://h/a\x7f"), -1);
	CHECK_INT(parse("gemini://h/a b"), -1);
	CHECK_INT(parse("gemini://h/\xc3\x28"), -1);	/* invalid UTF-8 */
	CHECK_INT(parse("gemini://h/\xc0\xaf"), -1);	/* overlong '/' */
	CHECK_INT(parse("gemini://h/a<b>"), -1);
	CHECK_INT(parse("gemini://h/a?b c"), -1);
	CHECK_INT(parse("gemini://h/a#b#c"), -1);
	CHECK_INT(parse("gemini://h/%"), -1);
	CHECK_INT(parse("gemini://h/%4"), -1);
	CHECK_INT(parse("gemini://h/%zz"), -1);
	CHECK_INT(parse("gemini://h/a?%zz"), -1);
	CHECK_INT(parse("gemini://h/%00"), -1);		/* decoded NUL */
	CHECK_INT(parse("gemini://h/%0d%0a"), -1);	/* decoded CRLF */
	CHECK_INT(parse("gemini://h/%ff"), -1);		/* decoded bad UTF-8 */
	CHECK_INT(parse("gemini://h%00/"), -1);
	CHECK_INT(parse("gemini://h/caf\xc3\xa9"), 0);	/* an IRI */
	CHECK_STR(u.path, "/caf\xc3\xa9");
}

static void
test_decode_once(void)
{
	CHECK_STR(path_of("gemini://h/a%20b"), "/a b");
	CHECK_STR(path_of("gemini://h/%41%62"), "/Ab");
	CHECK_STR(path_of("gemini://h/%2541"), "/%41");
	CHECK_STR(path_of("gemini://h/%252e%252e/x"), "/%2e%2e/x");
	CHECK_INT(parse("gemini://h/p?a%20b"), 0);
	CHECK_STR(u.query, "a%20b");	/* the query stays encoded */
	CHECK_INT(parse("gemini://%41.org/"), 0);
	CHECK_STR(u.host, "a.org");
}

static void
test_dot_segments(void)
{
	CHECK_STR(path_of("gemini://h/a/./b"), "/a/b");
	CHECK_STR(path_of("gemini://h/a/../b"), "/b");
	CHECK_STR(path_of("gemini://h/a/b/.."), "/a/");
	CHECK_STR(path_of("gemini://h/a/b/."), "/a/b/");
	CHECK_STR(path_of("gemini://h/a//b///c"), "/a/b/c");
	CHECK_STR(path_of("gemini://h/a/"), "/a/");
	CHECK_STR(path_of("gemini://h/a/b/../../c"), "/c");
	CHECK_STR(path_of("gemini://h/..a/b.."), "/..a/b..");
	CHECK_STR(path_of("gemini://h/.../x"), "/.../x");
}

/* Encoded dots and slashes are resolved like plain ones. */
static void
test_encoded_escapes(void)
{
	CHECK_STR(path_of("gemini://h/a/%2e%2e/etc/passwd"), "/etc/passwd");
	CHECK_STR(path_of("gemini://h/a/b%2F%2E%2E%2F%2E%2E%2Fetc"), "/etc");
	CHECK_STR(path_of("gemini://h/a%2fb%2f..%2f..%2fsecret"), "/secret");
	CHECK_STR(path_of("gemini://h/a/.%2e/b"), "/b");
	CHECK_STR(path_of("gemini://h/a%2fb"), "/a/b");
	CHECK_STR(path_of("gemini://h/%2f%2f"), "/");
	CHECK_INT(parse("gemini://h/%c0%ae%c0%ae/x"), -1); /* overlong dots */
}

/* Dot segments that climb above the root, in any spelling: malformed. */
static void
test_never_above_root(void)
{
	static const char *const evil[] = {
		"gemini://h/..", "gemini://h/../", "gemini://h/%2e%2e",
		"gemini://h/%2e%2e%2f", "gemini://h/a/../..%2f..",
		"gemini://h/./../.%2e/%2e./x/../..", "gemini://h/../../",
		"gemini://h/../../../etc/passwd", "gemini://h/%2E%2E/x",
		"gemini://h/a/../../b", "gemini://h/a%2f..%2f..%2fsecret",
		"gemini://h/.%2e", "gemini://h//../x",
	};
	size_t	i;

	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		CHECK_INT(parse(evil[i]), -1);
		CHECK_STR(err, "dot segments above the root");
		CHECK(url_climbs_above_root(evil[i] + 10,
		    strlen(evil[i] + 10)));
	}
	/* The same rule read from a Gopher selector. */
	CHECK(url_climbs_above_root("..", 2));
	CHECK(url_climbs_above_root("../x", 4));
	CHECK(url_climbs_above_root("/posts/..%2f..", 14));
	CHECK(!url_climbs_above_root("/posts/../about", 15));
	CHECK(!url_climbs_above_root("", 0));
	CHECK(!url_climbs_above_root("/..a/b..", 8));
	CHECK(!url_climbs_above_root("/%252e%252e/", 12));
}

static void
test_length_limit(void)
{
	char	s[URL_MAX + 2];
	size_t	pre = strlen("gemini://h/");

	memcpy(s, "gemini://h/", pre);
	memset(s + pre, 'a', sizeof(s) - pre);
	CHECK_INT(url_parse(s, URL_MAX, &u, &err), 0);
	CHECK_INT(strlen(u.path), URL_MAX - pre + 1);
	CHECK_INT(url_parse(s, URL_MAX + 1, &u, &err), -1);
}

static void
test_host_equal(void)
{
	CHECK(url_host_equal("example.org", "EXAMPLE.org"));
	CHECK(url_host_equal("example.org.", "example.org"));
	CHECK(url_host_equal("example.org", "Example.Org."));
	CHECK(!url_host_equal("example.org..", "example.org"));
	CHECK(!url_host_equal("example.org", "example.or"));
	CHECK(!url_host_equal("example.org", "www.example.org"));
}

/* url_encode_to with the IRI path set, as a request is redirected. */
static void
test_encode_path(void)
{
	char	out[64];

	CHECK_INT(url_encode_to("/a b/%/?#", 9, URL_IRI_PATH, out,
	    sizeof(out)), 17);
	CHECK_STR(out, "/a%20b/%25/%3F%23");
	CHECK_INT(url_encode_to("/caf\xc3\xa9:@!", 9, URL_IRI_PATH, out,
	    sizeof(out)), 9);
	CHECK_STR(out, "/caf\xc3\xa9:@!");
	CHECK_INT(url_encode_to("/abc", 4, URL_IRI_PATH, out, 4), -1);
	CHECK_INT(url_encode_to("/abc", 4, URL_IRI_PATH, out, 5), 4);
	CHECK_INT(url_encode_to("/ ", 2, URL_IRI_PATH, out, 4), -1);
}

/* Each named set keeps what it says, and encodes the rest. */
static void
test_encode_sets(void)
{
	static const char	 s[] = "/a b%?#\"<>~:@!\x7f\t\xc3\xa9";
	char			*e;

	e = url_encode_str(s, URL_PATH);
	CHECK_STR(e, "/a%20b%25%3F%23%22%3C%3E~:@!%7F%09%C3%A9");
	free(e);
	e = url_encode_str(s, URL_IRI_PATH);
	CHECK_STR(e, "/a%20b%25%3F%23%22%3C%3E~:@!%7F%09\xc3\xa9");
	free(e);
	e = url_encode_str(s, URL_SELECTOR);
	CHECK_STR(e, "/a%20b%25%3F%23%22%3C%3E~:@!%7F%09%C3%A9");
	free(e);
	e = url_encode_str(s, URL_VISIBLE);
	CHECK_STR(e, "/a%20b%?#\"<>~:@!%7F%09\xc3\xa9");
	free(e);
	/* A selector keeps what a path encodes: [ ] { } | ^ ` \ */
	e = url_encode_str("[]{}|^`\\", URL_SELECTOR);
	CHECK_STR(e, "[]{}|^`\\");
	free(e);
	e = url_encode_str("[]{}|^`\\", URL_PATH);
	CHECK_STR(e, "%5B%5D%7B%7D%7C%5E%60%5C");
	free(e);
	e = url_encode_str("", URL_PATH);
	CHECK_STR(e, "");
	free(e);
}

/* url_decode: valid escapes decoded, anything else kept; %00 on demand. */
static void
test_decode(void)
{
	char	out[32];

	CHECK_INT(url_decode("a%20b%2Fc", 9, out, false), 5);
	CHECK_STR(out, "a b/c");
	CHECK_INT(url_decode("%zz%4%", 6, out, false), 6);
	CHECK_STR(out, "%zz%4%");
	CHECK_INT(url_decode("%c3%A9", 6, out, false), 2);
	CHECK_STR(out, "\xc3\xa9");
	CHECK_INT(url_decode("x%00y", 5, out, true), 5);
	CHECK_STR(out, "x%00y");
	CHECK_INT(url_decode("x%00y", 5, out, false), 3);
	CHECK(memcmp(out, "x\0y", 4) == 0);
	/* An escape cut by len is not one. */
	CHECK_INT(url_decode("%41", 2, out, false), 2);
	CHECK_STR(out, "%4");
}

int
main(void)
{
	RUN(test_parts);
	RUN(test_no_path);
	RUN(test_userinfo);
	RUN(test_ip_literals);
	RUN(test_ports);
	RUN(test_scheme);
	RUN(test_bad_bytes);
	RUN(test_decode_once);
	RUN(test_dot_segments);
	RUN(test_encoded_escapes);
	RUN(test_never_above_root);
	RUN(test_length_limit);
	RUN(test_host_equal);
	RUN(test_encode_path);
	RUN(test_encode_sets);
	RUN(test_decode);
	return HARNESS_END();
}
