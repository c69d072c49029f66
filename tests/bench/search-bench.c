/*
 * Search on a blog: the snapshot built with and without its index (the
 * index's share of start-up), the index's memory, then the CPU time of
 * answering Gemini's /search?QUERY in this process (the query and its
 * page; the TLS handshake, the same for every request, is left out),
 * beside that of the home page, a route lookup.  Prints figures.
 *
 *   search-bench ROOT [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/proto.h"
#include "site/site.h"

static double
now(clockid_t clock)
{
	struct timespec	ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct snapshot *
build(const char *root, size_t search_bytes, double *cpu)
{
	struct site_options	 o = { .root = root, .hostname = "localhost",
	    .gemini_port = 1965, .search_bytes = search_bytes };
	struct diags		 d = { 0 };
	struct snapshot		*s;
	double			 t0 = now(CLOCK_PROCESS_CPUTIME_ID);

	s = site_build(&o, &d);
	*cpu = now(CLOCK_PROCESS_CPUTIME_ID) - t0;
	diag_free(&d);
	if (s == NULL) {
		fprintf(stderr, "search-bench: %s: no snapshot\n", root);
		exit(1);
	}
	return s;
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and 99th percentile CPU time of answering line, in µs. */
static void
measure(const struct snapshot *s, const char *label, const char *line,
    int rounds)
{
	static char		*names[] = { "localhost" };
	struct gemini_host	 gh = { .hostnames = names, .nhostnames = 1,
	    .public_port = 1965 };
	struct gemini_response	 r;
	double			*t, t0;
	size_t			 bytes = 0;
	int			 i, status = 0;

	t = calloc((size_t)rounds, sizeof(*t));
	for (i = 0; i < rounds; i++) {
		t0 = now(CLOCK_THREAD_CPUTIME_ID);
		gemini_respond(s, &gh, NULL, line, strlen(line), &r);
		t[i] = now(CLOCK_THREAD_CPUTIME_ID) - t0;
		status = r.status;
		bytes = r.body_len;
		gemini_response_free(&r);
	}
	qsort(t, (size_t)rounds, sizeof(*t), cmp);
	printf("  %-28s status %d %7zu bytes  CPU median %8.1f us  p99 %8.1f "
	    "us\n", label, status, bytes, t[rounds / 2] * 1e6,
	    t[rounds * 99 / 100] * 1e6);
	free(t);
}

int
main(int argc, char **argv)
{
	static const char *const queries[][2] = {
		{ "a title's number", "gemini://localhost/search?742" },
		{ "a word of every post", "gemini://localhost/search?bytecode" },
		{ "the", "gemini://localhost/search?the" },
		{ "two words", "gemini://localhost/search?offload%20verifier" },
		{ "a phrase", "gemini://localhost/search?%22packet%20processing%22" },
		{ "a prefix", "gemini://localhost/search?throu*" },
		{ "OR", "gemini://localhost/search?qdisc%20OR%20classifier" },
		{ "no match", "gemini://localhost/search?xyzzy" },
	};
	struct snapshot	*s;
	double		 with, without;
	int		 rounds = argc > 2 ? atoi(argv[2]) : 200;
	size_t		 i;

	if (argc < 2 || rounds < 1) {
		fprintf(stderr, "usage: search-bench ROOT [ROUNDS]\n");
		return 2;
	}
	s = build(argv[1], 0, &without);
	snapshot_unref(s);
	s = build(argv[1], (size_t)256 << 20, &with);
	printf("%zu posts: build CPU %.0f ms without the index, %.0f ms with "
	    "it (+%.0f%%); index %.1f MiB (%zu posts)\n", s->nposts,
	    without * 1e3, with * 1e3, (with - without) / without * 100,
	    (double)search_memory(s->search) / (1 << 20),
	    search_count(s->search));
	measure(s, "home page (a lookup)", "gemini://localhost/", rounds);
	for (i = 0; i < nitems(queries); i++)
		measure(s, queries[i][0], queries[i][1], rounds);
	snapshot_unref(s);
	return 0;
}
