/*
 * The search index (model/search.c): the reader's text made into an
 * FTS5 query, matching with case and accents folded, phrases, prefixes,
 * OR and NOT, ranking, the memory bound, bad input, threads; and the
 * answers over Gemini and Gopher on the shipped capsule.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"
#include "site/site.h"
#include "harness.h"

static char *
fts(const char *q)
{
	struct buf	b = BUF_INIT;

	search_fts_query(q, strlen(q), &b);
	return buf_detach(&b, NULL);
}

static void
test_fts_query(void)
{
	static const char *const cases[][2] = {
		{ "offload", "\"offload\"" },
		{ "  two   words ", "\"two\" AND \"words\"" },
		{ "\"a phrase\" x", "\"a phrase\" AND \"x\"" },
		{ "pref* \"phr ase\"*", "\"pref\" * AND \"phr ase\" *" },
		{ "a OR b NOT c", "\"a\" OR \"b\" NOT \"c\"" },
		{ "a AND b", "\"a\" AND \"b\"" },
		/* Operators without two terms, lower case: words or nothing. */
		{ "OR a", "\"a\"" },
		{ "a NOT", "\"a\"" },
		{ "NOT", "" },
		{ "a or b", "\"a\" AND \"or\" AND \"b\"" },
		{ "a OR OR NOT b", "\"a\" NOT \"b\"" },
		/* FTS5's own syntax is text. */
		{ "title:x", "\"title:x\"" },
		{ "NEAR(a b)", "\"NEAR(a\" AND \"b)\"" },
		{ "^a +b -c (d)", "\"^a\" AND \"+b\" AND \"-c\" AND \"(d)\"" },
		{ "say\"hi\"there", "\"say\" AND \"hi\" AND \"there\"" },
		{ "\"unclosed phrase", "\"unclosed phrase\"" },
		/* Nothing a word could match. */
		{ "", "" },
		{ "* ** \"\" \"...\" --", "" },
		{ "a \"\" b", "\"a\" AND \"b\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "tab\there", "\"tab\" AND \"here\"" },
		{ "\"x\ty\"", "\"x y\"" },
	};
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		CHECK_STR_FREE(fts(cases[i][0]), cases[i][1]);
}

static void
test_fts_query_bounded(void)
{
	struct buf	 q = BUF_INIT, out = BUF_INIT;
	size_t		 i;

	for (i = 0; i < 100; i++)
		buf_printf(&q, "w%zu ", i);
	CHECK_INT(search_fts_query(q.data, q.len, &out), SEARCH_MAX_TERMS);
	buf_free(&q);
	buf_free(&out);
}

/* Post id: title, tags and one paragraph of text. */
static void
add(struct search *s, size_t id, const char *title, const char *tag,
    const char *text)
{
	struct doc	 d = { 0 };
	char		*tags[1] = { (char *)tag };

	doc_add_heading(&d, 1, "header line, not indexed");
	doc_add(&d, LINE_TEXT, true, text);
	CHECK(search_add(s, id, title, tags, tag ? 1 : 0, NULL, 0, &d, 1));
	doc_free(&d);
}

static struct search *
small_index(void)
{
	struct search	*s = search_new(16 << 20);

	CHECK(s != NULL);
	add(s, 0, "Kernel bypass", "networking",
	    "Packets skip the kernel with DPDK; hardware offload helps.");
	add(s, 1, "Offload is coming", "bpf",
	    "Smart NICs offload components from the host.");
	add(s, 2, "Caf\xc3\xa9 notes", NULL,
	    "A na\xc3\xafve review of the CAF\xc3\x89 around the corner.");
	add(s, 3, "Unrelated", "offload",
	    "Nothing of the sort, but a tag says otherwise.");
	search_seal(s);
	CHECK_INT(search_count(s), 4);
	CHECK(search_memory(s) > 0);
	return s;
}

/* The ids the query finds, best first, as "1,3,0"; "!" and a status. */
static char *
ids(struct search *s, const char *q)
{
	struct search_hit	*hits;
	struct buf		 b = BUF_INIT;
	enum search_status	 st;
	size_t			 n, i;
	bool			 more;

	st = search_query(s, q, strlen(q), 10, &hits, &n, &more);
	if (st != SEARCH_OK)
		buf_printf(&b, "!%d", st);
	for (i = 0; st == SEARCH_OK && i < n; i++)
		buf_printf(&b, "%s%zu", i ? "," : "", hits[i].id);
	if (st == SEARCH_OK)
		search_hits_free(hits, n);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static void
test_matching(void)
{
	struct search	*s = small_index();

	/* The title weighs most, then the tag, then the text. */
	CHECK_STR_FREE(ids(s, "offload"), "1,3,0");
	CHECK_STR_FREE(ids(s, "OFFLOAD"), "1,3,0");
	/* Accents folded both ways. */
	CHECK_STR_FREE(ids(s, "cafe"), "2");
	CHECK_STR_FREE(ids(s, "CAF\xc3\x89"), "2");
	CHECK_STR_FREE(ids(s, "naive"), "2");
	CHECK_STR_FREE(ids(s, "\"hardware offload\""), "0");
	CHECK_STR_FREE(ids(s, "\"offload hardware\""), "");
	CHECK_STR_FREE(ids(s, "offl*"), "1,3,0");
	CHECK_STR_FREE(ids(s, "off"), "");
	CHECK_STR_FREE(ids(s, "dpdk OR smart"), "1,0");
	CHECK_STR_FREE(ids(s, "offload NOT kernel"), "1,3");
	CHECK_STR_FREE(ids(s, "offload kernel"), "0");
	CHECK_STR_FREE(ids(s, "networking"), "0");
	CHECK_STR_FREE(ids(s, "xyzzy"), "");
	/* The header lines before `from` are not indexed. */
	CHECK_STR_FREE(ids(s, "header"), "");
	search_free(s);
}

static void
test_bad_input(void)
{
	static const char *const odd[] = {
		"\"", "\"\"\"", "*", "a*b*c", "NEAR(", "NEAR(a, 2)", ")",
		"title:", "posts:offload", "{title} : x", "a:b:c", "^", "-x",
		"+", "AND OR NOT", "\x01\x02 offload \x7f", "' OR 1=1; --",
		"'); DROP TABLE posts; --", "\xc3", "%22",
	};
	struct search	*s = small_index();
	char		*got, *big;
	size_t		 i;

	for (i = 0; i < nitems(odd); i++) {
		got = ids(s, odd[i]);
		CHECK(got[0] != '!' || strcmp(got, "!1") == 0);
		free(got);
	}
	CHECK_STR_FREE(ids(s, "\x01\x02 offload \x7f"), "1,3,0");
	CHECK_STR_FREE(ids(s, ""), "!1");
	CHECK_STR_FREE(ids(s, "   "), "!1");
	/* The SQL was not touched: the table is still there. */
	CHECK_STR_FREE(ids(s, "offload"), "1,3,0");
	big = xmalloc(1025);
	memset(big, 'a', 1024);
	big[1024] = '\0';
	CHECK_STR_FREE(ids(s, big), "");
	for (i = 0; i < 1024; i += 2)
		big[i + 1] = ' ';
	CHECK_STR_FREE(ids(s, big), "2,3");
	free(big);
	search_free(s);
}

static void
test_limit(void)
{
	struct search		*s = search_new(16 << 20);
	struct search_hit	*hits;
	size_t			 n, i;
	bool			 more;

	for (i = 0; i < 30; i++)
		add(s, i, "Same", NULL, "every post says the same");
	search_seal(s);
	CHECK(search_query(s, "same", 4, 10, &hits, &n, &more) == SEARCH_OK);
	CHECK_INT(n, 10);
	CHECK(more);
	search_hits_free(hits, n);
	CHECK(search_query(s, "same", 4, 30, &hits, &n, &more) == SEARCH_OK);
	CHECK_INT(n, 30);
	CHECK(!more);
	search_hits_free(hits, n);
	search_free(s);
}

/*
 * More matches than are ranked: the best of the 100 newest (the lowest
 * ids); the ones whose titles hold the word, which rank first when all
 * are ranked, are older.  Fewer matches: all ranked.
 */
static void
test_rank_bound(void)
{
	struct search		*s = search_new(16 << 20);
	struct search_hit	*hits;
	size_t			 n, i;
	bool			 more;

	for (i = 0; i < 150; i++)
		add(s, i, i >= 140 ? "Common title" : "Other", NULL,
		    "a common word in every post");
	search_seal(s);
	CHECK(search_query(s, "common", 6, 5, &hits, &n, &more) == SEARCH_OK);
	CHECK_INT(n, 5);
	CHECK(more);
	for (i = 0; i < n; i++)
		CHECK(hits[i].id < 100);
	search_hits_free(hits, n);
	CHECK_STR_FREE(ids(s, "title"), "140,141,142,143,144,145,146,147,"
	    "148,149");
	search_free(s);
}

static void
test_excerpt(void)
{
	static const char	text[] =
	    "# Packet title\n\n2024-01-02 \xc2\xb7 Author\n"
	    "=> /posts/x.gmi Packet link\n```\npacket code\n```\n"
	    "One two three four five six seven eight nine PACKETS ten "
	    "eleven twelve thirteen fourteen fifteen sixteen seventeen "
	    "eighteen nineteen twenty twenty-one twenty-two twenty-three "
	    "twenty-four twenty-five.\n";
	static const char	line[] = "Short line:\tthe word\n";

	CHECK_STR_FREE(search_excerpt("packet", 6, text, strlen(text), NULL),
	    "\xe2\x80\xa6" "four five six seven eight nine PACKETS ten eleven "
	    "twelve thirteen fourteen fifteen sixteen seventeen eighteen "
	    "nineteen twenty twenty-one twenty-two twenty-three\xe2\x80\xa6");
	CHECK_STR_FREE(search_excerpt("\"the word\" OR x*", 17, line,
	    strlen(line), NULL), "Short line: the word");
	CHECK_STR_FREE(search_excerpt("AUTHOR", 6, text, strlen(text), NULL),
	    "2024-01-02 \xc2\xb7 Author");
	CHECK_STR_FREE(search_excerpt("absent", 6, line, strlen(line),
	    "The post's own excerpt."), "The post's own excerpt.");
	CHECK_STR_FREE(search_excerpt("absent", 6, line, strlen(line), NULL),
	    "");
}

/* The memory bound: an index that would outgrow it stops taking posts. */
static void
test_memory_bound(void)
{
	struct search	*s = search_new(256 << 10);
	struct doc	 d = { 0 };
	struct buf	 text = BUF_INIT, want = BUF_INIT;
	size_t		 i, added = 0;

	for (i = 0; i < 4000; i++)
		buf_printf(&text, "word%zu ", i * 7919 % 100003);
	doc_add(&d, LINE_TEXT, true, text.data);
	for (i = 0; i < 200; i++)
		if (search_add(s, i, "t", NULL, 0, NULL, 0, &d, 0))
			added++;
		else
			break;
	CHECK(added > 0 && added < 200);
	CHECK(!search_add(s, 500, "t", NULL, 0, NULL, 0, &d, 0));
	search_seal(s);
	CHECK_INT(search_count(s), added);
	CHECK(search_memory(s) <= (256u << 10) + (128u << 10));
	/* Every post added holds every word: all found, to ids' 10. */
	for (i = 0; i < added && i < 10; i++)
		buf_printf(&want, "%s%zu", i ? "," : "", i);
	buf_putc(&want, '\0');
	CHECK_STR_FREE(ids(s, "word0"), want.data);
	CHECK_STR_FREE(ids(s, "word7919"), want.data);
	buf_free(&want);
	doc_free(&d);
	buf_free(&text);
	search_free(s);
}

static void *
query_loop(void *arg)
{
	struct search	*s = arg;
	char		*got;
	size_t		 i;
	long		 bad = 0;

	for (i = 0; i < 300; i++) {
		got = ids(s, i % 2 ? "offload" : "cafe OR dpdk");
		if (strcmp(got, i % 2 ? "1,3,0" : "2,0") != 0)
			bad++;
		free(got);
	}
	return (void *)bad;
}

/* Workers query one index at once. */
static void
test_threads(void)
{
	struct search	*s = small_index();
	pthread_t	 t[4];
	void		*bad;
	size_t		 i;

	for (i = 0; i < nitems(t); i++)
		pthread_create(&t[i], NULL, query_loop, s);
	for (i = 0; i < nitems(t); i++) {
		pthread_join(t[i], &bad);
		CHECK(bad == NULL);
	}
	search_free(s);
}

/* The shipped capsule, as start-up builds it. */
static struct snapshot *
shipped(size_t search_bytes)
{
	const char		*top = getenv("TOP");
	char			*root = xasprintf("%s/capsule",
				    top ? top : ".");
	struct site_options	 o = { .root = root,
	    .hostname = "localhost", .gemini_port = 1965,
	    .gopher_host = "localhost", .gopher_port = 70,
	    .search_bytes = search_bytes };
	struct diags		 d = { 0 };
	struct snapshot		*s;

	s = site_build(&o, &d);
	diag_free(&d);
	free(root);
	return s;
}

static struct gemini_response	gr;

static const char *
gem(const struct snapshot *s, const char *line)
{
	static char		*names[] = { "localhost" };
	struct gemini_host	 cfg = { .hostnames = names, .nhostnames = 1,
	    .public_port = 1965, .check_port = true };

	gemini_response_free(&gr);
	gemini_respond(s, &cfg, NULL, line, strlen(line), &gr);
	return gr.header;
}

static void
test_gemini(void)
{
	struct snapshot	*s = shipped(16 << 20);
	const struct route *home;
	char		 line[1100];
	size_t		 n;

	CHECK(s != NULL && s->search != NULL && s->nposts > 0);
	CHECK_STR(gem(s, "gemini://localhost/search"),
	    "10 Search the blog: words, \"a phrase\", prefix*, OR, NOT\r\n");
	CHECK_STR(gem(s, "gemini://localhost/search?"),
	    "10 Search the blog: words, \"a phrase\", prefix*, OR, NOT\r\n");
	CHECK_STR(gem(s, "gemini://localhost/search?%22%22"),
	    "10 Search the blog: words, \"a phrase\", prefix*, OR, NOT\r\n");
	CHECK_STR(gem(s, "gemini://localhost/search?netronome"),
	    "20 text/gemini; lang=en\r\n");
	CHECK(gr.body != NULL && strstr(gr.body, "1 post matches \xe2\x80\x9c"
	    "netronome\xe2\x80\x9d, best first:\n\n=> /posts/"
	    "2017-12-04-offload-coming.gmi 2017-12-04 \xc2\xb7 Offload is "
	    "coming\n> ") != NULL);
	CHECK(gr.body != NULL && strstr(gr.body, "Netronome") != NULL);
	/* Percent-encoded, accents folded, a phrase and a prefix. */
	CHECK_STR(gem(s, "gemini://localhost/search?%4E%45%54ron%C3%B3me"),
	    "20 text/gemini; lang=en\r\n");
	CHECK(gr.body != NULL && strstr(gr.body, "1 post matches") != NULL);
	gem(s, "gemini://localhost/search?%22programmable%20NICs%22%20smar*");
	CHECK(gr.body != NULL && strstr(gr.body, "1 post matches") != NULL);
	gem(s, "gemini://localhost/search?xyzzy");
	CHECK(gr.status == 20 && strstr(gr.body, "No post matches "
	    "\xe2\x80\x9cxyzzy\xe2\x80\x9d.\n") != NULL);
	gem(s, "gemini://localhost/search?NEAR(%22a%22%20*%20title:x)%5E");
	CHECK_INT(gr.status, 20);
	CHECK_STR(gem(s, "gemini://localhost/search?a%01b"),
	    "59 Bad request: control character in the query\r\n");
	CHECK_STR(gem(s, "gemini://localhost/search?a%00b"),
	    "59 Bad request: control character in the query\r\n");
	CHECK_STR(gem(s, "gemini://localhost/search?%FF"),
	    "59 Bad request: the query is not UTF-8\r\n");
	CHECK_INT(gr.body_len, 0);
	/* The longest request there is, a query to its end. */
	n = (size_t)snprintf(line, sizeof(line), "gemini://localhost/search?");
	while (n < GEMINI_MAX_REQUEST)
		line[n] = n % 9 ? 'e' : '+', n++;
	line[n] = '\0';
	gem(s, line);
	CHECK_INT(gr.status, 20);
	gemini_response_free(&gr);
	home = routes_find(&s->gemini, "/", 1);
	CHECK(home != NULL && strstr(home->body, "\n=> /search Search\n"));
	snapshot_unref(s);

	/* search_memory 0: no index, no /search, no link. */
	s = shipped(0);
	CHECK(s != NULL && s->search == NULL);
	CHECK_STR(gem(s, "gemini://localhost/search?offload"),
	    "51 Not found\r\n");
	home = routes_find(&s->gemini, "/", 1);
	CHECK(home != NULL && strstr(home->body, "/search") == NULL);
	snapshot_unref(s);
}

static char *
gopher(const struct snapshot *s, const char *sel)
{
	struct gopher_host	 gh = { .name = "localhost", .port = 70 };
	struct gopher_response	 res;
	char			*got;

	gopher_respond(s, &gh, sel, strlen(sel), &res);
	got = xstrndup(res.body, res.len);
	gopher_response_free(&res);
	return got;
}

static void
test_gopher(void)
{
	struct snapshot	*s = shipped(16 << 20);
	char		*m;

	m = gopher(s, "");
	CHECK(strstr(m, "\r\n7Search the blog\t/search\tlocalhost\t70\r\n"));
	free(m);
	m = gopher(s, "/search\tNetronome");
	CHECK(strncmp(m, "i1 post matches \xe2\x80\x9cNetronome\xe2\x80\x9d, "
	    "best first:\t", 40) == 0);
	CHECK(strstr(m, "\r\n02017-12-04 - Offload is coming\t"
	    "/posts/2017-12-04-offload-coming.txt\tlocalhost\t70\r\n"));
	CHECK(strstr(m, "\r\n7Search the blog\t/search\tlocalhost\t70\r\n"
	    ".\r\n"));
	free(m);
	/* A Gopher+ client's suffix after the search string. */
	m = gopher(s, "/search\tnetronome\t+");
	CHECK(strstr(m, "1 post matches") != NULL);
	free(m);
	m = gopher(s, "/search\txyzzy");
	CHECK(strncmp(m, "iNo post matches", 16) == 0);
	free(m);
	/* No search string: the item that asks for one. */
	m = gopher(s, "/search");
	CHECK(strstr(m, "7Search the blog\t/search\t") != NULL);
	free(m);
	m = gopher(s, "/search\t\xff");
	CHECK(strncmp(m, "3The search is not UTF-8 text\t", 30) == 0);
	free(m);
	m = gopher(s, "/search\t\x01\"NEAR(*:^");
	CHECK(m[0] == 'i');
	free(m);
	snapshot_unref(s);
}

int
main(void)
{
	RUN(test_fts_query);
	RUN(test_fts_query_bounded);
	RUN(test_matching);
	RUN(test_bad_input);
	RUN(test_limit);
	RUN(test_rank_bound);
	RUN(test_excerpt);
	RUN(test_memory_bound);
	RUN(test_threads);
	RUN(test_gemini);
	RUN(test_gopher);
	return HARNESS_END();
}
