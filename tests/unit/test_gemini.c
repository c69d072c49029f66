#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"
#include "harness.h"

static struct snapshot		snap;
static struct gemini_host	cfg;
static struct gemini_response	r;
static char			*names[] = { "example.org", "Capsule.Test" };
static char			*addrs[] = { "127.0.0.1", "::1", "192.0.2.7" };

static const char	home[] = "# Home\n";
static const char	post[] = "# A post\n";

static void
setup(void)
{
	static const char *const paths[] = {
		"/index.gmi", "/posts/a.gmi", "/posts/index.gmi",
		"/tags/c/x.gmi", "/tags/d/", "/caf\xc3\xa9.gmi", "/a b.gmi",
	};
	size_t	i;

	memset(&snap, 0, sizeof(snap));
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		routes_borrow(&snap.gemini, paths[i], ROUTE_BODY,
		    "text/gemini; lang=en",
		    i == 0 ? home : post, i == 0 ? strlen(home) : strlen(post));
	routes_borrow(&snap.gemini, "/img/p.png", ROUTE_BODY, "image/png",
	    "PNG", 3);
	routes_seal(&snap.gemini);

	memset(&cfg, 0, sizeof(cfg));
	cfg.hostnames = names;
	cfg.nhostnames = 2;
	cfg.listen = addrs;
	cfg.nlisten = 3;
	cfg.public_port = 1965;
	cfg.check_port = true;
}

/* Answer a request line (no CRLF) with SNI sni; return the status. */
static int
ask_sni(const char *sni, const char *line)
{
	memset(&r, 0xa5, sizeof(r));
	gemini_respond(&snap, &cfg, sni, line, strlen(line), &r);
	return r.status;
}

static int
ask(const char *line)
{
	return ask_sni(NULL, line);
}

static void
test_request_end(void)
{
	char	big[GEMINI_MAX_REQUEST + 8];

	CHECK_INT(gemini_request_end("", 0), 0);
	CHECK_INT(gemini_request_end("gemini://h/", 11), 0);
	CHECK_INT(gemini_request_end("gemini://h/\r", 12), 0);
	CHECK_INT(gemini_request_end("gemini://h/\r\n", 13), 13);
	CHECK_INT(gemini_request_end("gemini://h/\r\nmore", 17), 13);
	CHECK_INT(gemini_request_end("\r\n", 2), 2);
	CHECK_INT(gemini_request_end("a\rb\r\n", 5), 5);
	/* A bare LF does not end the request. */
	CHECK_INT(gemini_request_end("gemini://h/\n", 12), 0);
	CHECK_INT(gemini_request_end("gemini://h/\nx", 13), 0);

	memset(big, 'a', sizeof(big));
	big[GEMINI_MAX_REQUEST] = '\r';
	big[GEMINI_MAX_REQUEST + 1] = '\n';
	CHECK_INT(gemini_request_end(big, GEMINI_MAX_REQUEST), 0);
	CHECK_INT(gemini_request_end(big, GEMINI_MAX_REQUEST + 1), 0);
	CHECK_INT(gemini_request_end(big, GEMINI_MAX_REQUEST + 2),
	    GEMINI_MAX_REQUEST + 2);
	/* 1025 bytes before the CRLF: never valid. */
	big[GEMINI_MAX_REQUEST] = 'a';
	big[GEMINI_MAX_REQUEST + 1] = '\r';
	big[GEMINI_MAX_REQUEST + 2] = '\n';
	CHECK_INT(gemini_request_end(big, GEMINI_MAX_REQUEST + 1), -1);
	CHECK_INT(gemini_request_end(big, GEMINI_MAX_REQUEST + 3), -1);
	/* The LF must not be read past len. */
	big[GEMINI_MAX_REQUEST] = '\r';
	CHECK_INT(gemini_request_end(big, GEMINI_MAX_REQUEST + 1), 0);
}

static void
test_serve_home(void)
{
	CHECK_INT(ask("gemini://example.org/"), 20);
	CHECK_STR(r.header, "20 text/gemini; lang=en\r\n");
	CHECK_INT(r.header_len, strlen("20 text/gemini; lang=en\r\n"));
	CHECK(r.body == home);
	CHECK_INT(r.body_len, strlen(home));
	CHECK_STR(r.path, "/");
	CHECK_STR(r.host, "example.org");
	/* No path at all: the home page too, no redirect. */
	CHECK_INT(ask("gemini://example.org"), 20);
	CHECK(r.body == home);
	CHECK_INT(ask("gemini://example.org/index.gmi"), 20);
	CHECK(r.body == home);
}

static void
test_serve_static(void)
{
	CHECK_INT(ask("gemini://example.org/img/p.png"), 20);
	CHECK_STR(r.header, "20 image/png\r\n");
	CHECK_INT(r.body_len, 3);
	CHECK_INT(ask("gemini://example.org/caf%C3%A9.gmi"), 20);
	CHECK(r.body == post);
	CHECK_INT(ask("gemini://example.org/caf\xc3\xa9.gmi"), 20);
	CHECK_INT(ask("gemini://example.org/a%20b.gmi"), 20);
	CHECK_STR(r.path, "/a b.gmi");
}

static void
test_not_found(void)
{
	CHECK_INT(ask("gemini://example.org/nope.gmi"), 51);
	CHECK_STR(r.header, "51 Not found\r\n");
	CHECK(r.body == NULL);
	CHECK_INT(r.body_len, 0);
	CHECK_STR(r.path, "/nope.gmi");
	/* A directory with no index. */
	CHECK_INT(ask("gemini://example.org/tags/c/"), 51);
}

static void
test_bad_requests(void)
{
	char	nul[] = "gemini://example.org/\0x";

	CHECK_INT(ask(""), 59);
	CHECK_STR(r.path, "");
	CHECK_INT(ask("/posts/a.gmi"), 59);
	CHECK_INT(ask("example.org/"), 59);
	CHECK_INT(ask("//example.org/"), 59);
	CHECK_INT(ask("gemini://example.org/\xff"), 59);
	CHECK_INT(ask("gemini://example.org/\t"), 59);
	CHECK_INT(ask("gemini://example.org/\n"), 59);
	memset(&r, 0, sizeof(r));
	gemini_respond(&snap, &cfg, NULL, nul, sizeof(nul) - 1, &r);
	CHECK_INT(r.status, 59);
	CHECK_INT(ask("gemini://user@example.org/"), 59);
	CHECK_INT(ask("gemini://example.org/#top"), 59);
	CHECK_INT(ask("gemini:///index.gmi"), 59);
	CHECK(strncmp(r.header, "59 ", 3) == 0);
	CHECK(r.body == NULL);
}

static void
test_length(void)
{
	char	url[GEMINI_MAX_REQUEST + 2];
	size_t	pre = strlen("gemini://example.org/");

	memcpy(url, "gemini://example.org/", pre);
	memset(url + pre, 'x', sizeof(url) - pre);
	url[GEMINI_MAX_REQUEST] = '\0';
	CHECK_INT(ask(url), 51);	/* 1024 bytes: accepted */
	url[GEMINI_MAX_REQUEST] = 'x';
	url[GEMINI_MAX_REQUEST + 1] = '\0';
	CHECK_INT(ask(url), 59);	/* 1025: refused */
}

struct want {
	const char	*line;
	int		 status;
};

/* Ask each request of a table and compare the statuses. */
static void
check_table(const struct want *w, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (ask(w[i].line) == w[i].status)
			continue;
		fprintf(stderr, "%s: status %d, want %d\n", w[i].line,
		    r.status, w[i].status);
		harness_test_failed = 1;
	}
}

#define CHECK_TABLE(t)	check_table((t), sizeof(t) / sizeof((t)[0]))

static void
test_other_schemes(void)
{
	static const struct want t[] = {
		{ "https://example.org/", 53 },
		{ "http://example.org/", 53 },
		{ "gopher://example.org/", 53 },
		{ "file:///etc/passwd", 53 },
		{ "GEMINI://example.org/", 20 },
	};

	CHECK_TABLE(t);
}

static void
test_hosts(void)
{
	static const struct want t[] = {
		{ "gemini://other.org/", 53 },
		{ "gemini://www.example.org/", 53 },
		{ "gemini://EXAMPLE.ORG/", 20 },
		{ "gemini://example.org./", 20 },
		{ "gemini://capsule.test/", 20 },
		{ "gemini://example.org../", 53 },
		{ "gemini://exa%6Dple.org/", 20 },
	};

	CHECK_TABLE(t);
}

static void
test_ip_hosts(void)
{
	static const struct want t[] = {
		{ "gemini://127.0.0.1/", 20 },
		{ "gemini://127.1.2.3/", 20 },		/* loopback */
		{ "gemini://[::1]/", 20 },
		{ "gemini://[::1]:1965/posts/a.gmi", 20 },
		{ "gemini://192.0.2.7/", 20 },		/* listen address */
		{ "gemini://192.0.2.8/", 53 },
		{ "gemini://[2001:db8::1]/", 53 },
	};

	CHECK_TABLE(t);
	addrs[2] = "::";				/* wildcard */
	CHECK_INT(ask("gemini://192.0.2.8/"), 20);
	CHECK_INT(ask("gemini://[2001:db8::1]/"), 20);
	addrs[2] = "192.0.2.7";
}

static void
test_ports(void)
{
	CHECK_INT(ask("gemini://example.org:1965/"), 20);
	CHECK_INT(ask("gemini://example.org:1966/"), 53);
	CHECK_INT(ask("gemini://example.org:/"), 20);
	cfg.public_port = 443;	/* behind a load balancer */
	CHECK_INT(ask("gemini://example.org:443/"), 20);
	CHECK_INT(ask("gemini://example.org:1965/"), 53);
	cfg.check_port = false;
	CHECK_INT(ask("gemini://example.org:1966/"), 20);
	cfg.check_port = true;
	cfg.public_port = 1965;
}

static void
test_sni(void)
{
	CHECK_INT(ask_sni("example.org", "gemini://example.org/"), 20);
	CHECK_INT(ask_sni("capsule.test", "gemini://example.org/"), 20);
	CHECK_INT(ask_sni("EXAMPLE.org.", "gemini://example.org/"), 20);
	CHECK_INT(ask_sni("evil.org", "gemini://example.org/"), 53);
	CHECK_INT(ask_sni(NULL, "gemini://127.0.0.1/"), 20);
}

static void
test_directory_redirect(void)
{
	CHECK_INT(ask("gemini://example.org/posts"), 31);
	CHECK_STR(r.header, "31 gemini://example.org/posts/\r\n");
	CHECK(r.body == NULL);
	CHECK_INT(ask("gemini://example.org/posts?page=2&x=%20"), 31);
	CHECK_STR(r.header, "31 gemini://example.org/posts/?page=2&x=%20\r\n");
	CHECK_INT(ask("gemini://[::1]:1965/tags/d"), 31);
	CHECK_STR(r.header, "31 gemini://[::1]:1965/tags/d/\r\n");
	CHECK_INT(ask("gemini://example.org/posts/../posts"), 31);
	CHECK_STR(r.header, "31 gemini://example.org/posts/\r\n");
	/* With the slash: the directory's index. */
	CHECK_INT(ask("gemini://example.org/posts/"), 20);
	CHECK(r.body == post);
	CHECK_INT(ask("gemini://example.org/posts/a.gmi"), 20);
	CHECK_INT(ask("gemini://example.org/tags/d/"), 20);
	/* Routes below it but neither an index nor its own route: there
	 * is nothing to redirect to. */
	CHECK_INT(ask("gemini://example.org/tags/c"), 51);
	CHECK_INT(ask("gemini://example.org/tags/c/"), 51);
	CHECK_INT(ask("gemini://example.org/img"), 51);
	CHECK_INT(ask("gemini://example.org/tags"), 51);
}

/*
 * Climbing above the root is a bad request (59) in every spelling;
 * dot segments that stay inside lead where they say.
 */
static void
test_no_escape(void)
{
	CHECK_INT(ask("gemini://example.org/../../etc/passwd"), 59);
	CHECK_INT(ask("gemini://example.org/%2e%2e/%2e%2e/etc/passwd"), 59);
	CHECK_INT(ask("gemini://example.org/posts%2f..%2f..%2fetc"), 59);
	CHECK_INT(ask("gemini://example.org/../../"), 59);
	CHECK_INT(ask("gemini://example.org/%2e%2e/"), 59);
	CHECK_INT(ask("gemini://example.org/../"), 59);
	CHECK_STR(r.header, "59 Bad request: dot segments above the root\r\n");
	CHECK_INT(ask("gemini://example.org/posts/%2e%2e/index.gmi"), 20);
	CHECK(r.body == home);
	CHECK_INT(ask("gemini://example.org/posts/../"), 20);
	CHECK(r.body == home);
	CHECK_INT(ask("gemini://example.org/img%2fp.png"), 20);
	CHECK_STR(r.header, "20 image/png\r\n");
}

static void
test_long_type(void)
{
	struct snapshot	 s;
	char		*type;

	memset(&s, 0, sizeof(s));
	type = malloc(2000);
	memset(type, 'x', 1999);
	type[1999] = '\0';
	routes_borrow(&s.gemini, "/x", ROUTE_BODY, type, "b", 1);
	routes_seal(&s.gemini);
	gemini_respond(&s, &cfg, NULL, "gemini://example.org/x", 22, &r);
	CHECK_INT(r.status, 40);
	CHECK(r.header_len <= 1029);
	routes_free(&s.gemini);
	free(type);
}

/*
 * Paths that earlier snapshots served and this one does not answer 52,
 * remembered across reloads; a path never served stays 51.
 */
static void
test_gone(void)
{
	struct snapshot	 older, old;

	memset(&older, 0, sizeof(older));
	routes_borrow(&older.gemini, "/posts/old.gmi", ROUTE_BODY,
	    "text/gemini", "x", 1);
	routes_seal(&older.gemini);
	memset(&old, 0, sizeof(old));
	routes_borrow(&old.gemini, "/posts/a.gmi", ROUTE_BODY, "text/gemini",
	    "x", 1);
	routes_borrow(&old.gemini, "/posts/b.gmi", ROUTE_BODY, "text/gemini",
	    "x", 1);
	routes_borrow(&old.gemini, "/2017/12/04/x/index.gmi", ROUTE_BODY,
	    "text/gemini", "x",
	    1);
	routes_seal(&old.gemini);
	snapshot_inherit_gone(&old, &older);
	snapshot_inherit_gone(&snap, &old);

	CHECK_INT(ask("gemini://example.org/posts/b.gmi"), 52);
	CHECK_STR(r.header, "52 Gone: removed from this capsule\r\n");
	CHECK(r.body == NULL);
	CHECK_INT(ask("gemini://example.org/posts/old.gmi"), 52);
	CHECK_INT(ask("gemini://example.org/2017/12/04/x/"), 52);
	CHECK_INT(ask("gemini://example.org/2017/12/04/x"), 52);
	/* Still served, or never served. */
	CHECK_INT(ask("gemini://example.org/posts/a.gmi"), 20);
	CHECK_INT(ask("gemini://example.org/posts/never.gmi"), 51);
	CHECK_INT(snap.gone.n, 3);

	routes_free(&snap.gone);
	memset(&snap.gone, 0, sizeof(snap.gone));
	routes_free(&old.gone);
	routes_free(&old.gemini);
	routes_free(&older.gemini);
}

/* A redirect route answers 31 with its URL, and no body. */
static void
test_redirect(void)
{
	struct snapshot	 s;

	memset(&s, 0, sizeof(s));
	routes_borrow(&s.gemini, "/old.gmi", ROUTE_REDIRECT, "",
	    "/new.gmi", 8);
	routes_borrow(&s.gemini, "/away.gmi", ROUTE_REDIRECT, "",
	    "https://example.net/x/", 22);
	routes_seal(&s.gemini);
	gemini_respond(&s, &cfg, NULL, "gemini://example.org/old.gmi", 28, &r);
	CHECK_INT(r.status, 31);
	CHECK_STR(r.header, "31 /new.gmi\r\n");
	CHECK(r.body == NULL);
	gemini_respond(&s, &cfg, NULL, "gemini://example.org/away.gmi", 29,
	    &r);
	CHECK_STR(r.header, "31 https://example.net/x/\r\n");
	gemini_respond(&s, &cfg, NULL, "gemini://example.org/new.gmi", 28, &r);
	CHECK_INT(r.status, 51);
	routes_free(&s.gemini);
}

/*
 * The health path: "20 text/plain" and "ok" for the balancer, once the
 * host checks pass, whatever the snapshot holds; 41 while draining.
 */
static void
test_health(void)
{
	CHECK_INT(ask("gemini://example.org/health"), 51);
	CHECK(!r.health);
	cfg.health_path = "/health";
	CHECK_INT(ask("gemini://example.org/health"), 20);
	CHECK_STR(r.header, "20 text/plain\r\n");
	CHECK(r.health);
	CHECK(r.body_len == 3 && memcmp(r.body, "ok\n", 3) == 0);
	CHECK_STR(r.path, "/health");
	/* Only that path, and only for a request we would serve. */
	CHECK_INT(ask("gemini://example.org/health/"), 51);
	CHECK(!r.health);
	CHECK_INT(ask("gemini://example.org/"), 20);
	CHECK(!r.health);
	CHECK_INT(ask("gemini://elsewhere.test/health"), 53);
	CHECK(!r.health);
	CHECK_INT(ask("gemini://127.0.0.1/health"), 20);
	CHECK(r.health);
	gemini_draining(&r);
	CHECK_INT(r.status, 41);
	CHECK_STR(r.header, "41 Draining: this server is shutting down\r\n");
	CHECK(r.body == NULL && r.body_len == 0);
	CHECK_STR(r.path, "/health");
	cfg.health_path = NULL;
}

int
main(void)
{
	setup();
	RUN(test_request_end);
	RUN(test_redirect);
	RUN(test_serve_home);
	RUN(test_serve_static);
	RUN(test_not_found);
	RUN(test_bad_requests);
	RUN(test_length);
	RUN(test_other_schemes);
	RUN(test_hosts);
	RUN(test_ip_hosts);
	RUN(test_ports);
	RUN(test_sni);
	RUN(test_directory_redirect);
	RUN(test_no_escape);
	RUN(test_long_type);
	RUN(test_gone);
	RUN(test_health);
	routes_free(&snap.gemini);
	return HARNESS_END();
}
