/* The route table: duplicates, lookups before and after sealing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/model.h"
#include "core/core.h"

static void
test_many(void)
{
	struct routes	 r = { 0 };
	char		 path[32];
	const struct route *e;
	int		 i;

	for (i = 0; i < 5000; i++) {
		snprintf(path, sizeof(path), "/posts/%d.gmi", i);
		CHECK(routes_add(&r, path, "text/gemini", xstrdup(path),
		    strlen(path), true));
	}
	/* A path already routed is refused, its owned body freed. */
	CHECK(!routes_add(&r, "/posts/77.gmi", "x", xstrdup("dup"), 3, true));
	CHECK(!routes_add(&r, "/posts/0.gmi", "x", "static", 6, false));
	CHECK_INT(r.n, 5000);
	e = routes_find(&r, "/posts/4999.gmi", 15);
	CHECK(e != NULL && strcmp(e->body, "/posts/4999.gmi") == 0);
	/* A counted key: the prefix of a longer string. */
	e = routes_find(&r, "/posts/12.gmi-and-more", 13);
	CHECK(e != NULL && strcmp(e->path, "/posts/12.gmi") == 0);
	CHECK(routes_find(&r, "/posts/5000.gmi", 15) == NULL);
	routes_seal(&r);
	e = routes_find(&r, "/posts/123.gmi", 14);
	CHECK(e != NULL && strcmp(e->body, "/posts/123.gmi") == 0);
	CHECK(routes_find(&r, "/posts/", 7) == NULL);
	/* Adding after a seal still sees every earlier path. */
	CHECK(!routes_add(&r, "/posts/9.gmi", "x", "y", 1, false));
	CHECK(routes_add(&r, "/new.gmi", "x", "y", 1, false));
	CHECK(routes_find(&r, "/new.gmi", 8) != NULL);
	CHECK(routes_find(&r, "/posts/9.gmi", 12) != NULL);
	routes_seal(&r);
	CHECK(routes_find(&r, "/new.gmi", 8) != NULL);
	CHECK_INT(r.n, 5001);
	routes_free(&r);
}

static void
test_empty(void)
{
	struct routes	r = { 0 };

	CHECK(routes_find(&r, "/", 1) == NULL);
	routes_seal(&r);
	CHECK(routes_find(&r, "/", 1) == NULL);
	routes_free(&r);
}

int
main(void)
{
	RUN(test_many);
	RUN(test_empty);
	return HARNESS_END();
}
