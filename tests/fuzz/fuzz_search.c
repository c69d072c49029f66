/*
 * A reader's search text: the FTS5 query it becomes must always be one
 * FTS5 reads (a syntax error from the reader's text would be a bug of
 * search_fts_query), and the answers over Gemini and Gopher must be
 * whole: a page or a status, a menu ending in ".".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct snapshot	 snap;
static struct post	 posts[3];

static void
add(size_t id, const char *title, const char *text)
{
	struct doc	 d = { 0 };

	posts[id].name = (char *)"2024-01-01-p";
	posts[id].title = (char *)title;
	posts[id].date = (char *)"2024-01-01";
	posts[id].path = (char *)"/posts/p.gmi";
	posts[id].url = (char *)"/posts/p.gmi";
	doc_add(&d, LINE_TEXT, true, text);
	if (!search_add(snap.search, id, title, NULL, 0, NULL, 0, &d, 0))
		abort();
	doc_free(&d);
}

static void
setup(void)
{
	snap.search = search_new(4 << 20);
	if (snap.search == NULL)
		abort();
	add(0, "Offload is coming", "Smart NICs offload work from the host.");
	add(1, "Caf\xc3\xa9", "A na\xc3\xafve \"quoted\" text (with) * and : ^");
	add(2, "NEAR OR NOT", "AND the rest, title: tags: text:");
	search_seal(snap.search);
	snap.posts = posts;
	snap.nposts = 3;
	routes_seal(&snap.gemini);
	routes_seal(&snap.gopher);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		*names[] = { "localhost" };
	struct gemini_host	 gh = { .hostnames = names, .nhostnames = 1,
	    .public_port = 1965 };
	struct gopher_host	 ph = { .name = "localhost", .port = 70 };
	struct gemini_response	 r;
	struct gopher_response	 g;
	struct search_hit	*hits;
	struct buf		 line = BUF_INIT;
	const char		*q = (const char *)data;
	size_t			 n;
	bool			 more;
	enum search_status	 st;

	if (snap.search == NULL)
		setup();
	if (size > 4096)
		return 0;
	if (utf8_valid(q, size) && memchr(q, '\0', size) == NULL) {
		st = search_query(snap.search, q, size, 2, &hits, &n, &more);
		if (st == SEARCH_FAILED || (st == SEARCH_OK && n > 2))
			abort();
		if (st == SEARCH_OK)
			search_hits_free(hits, n);
	}
	/* The same text as a Gemini query (percent-encoded) ... */
	buf_puts(&line, "gemini://localhost/search?");
	url_encode(&line, q, size, URL_FORM);
	if (line.len <= GEMINI_MAX_REQUEST) {
		gemini_respond(&snap, &gh, NULL, line.data, line.len, &r);
		if (r.status != 10 && r.status != 20 && r.status != 40 &&
		    r.status != 59)
			abort();
		if ((r.status == 20) != (r.body != NULL))
			abort();
		gemini_response_free(&r);
	}
	/* ... and as a Gopher search string. */
	buf_truncate(&line, 0);
	buf_puts(&line, "/search\t");
	buf_append(&line, q, size);
	gopher_respond(&snap, &ph, line.data, line.len, &g);
	if (g.len < 3 || memcmp(g.body + g.len - 3, ".\r\n", 3) != 0)
		abort();
	gopher_response_free(&g);
	buf_free(&line);
	return 0;
}
