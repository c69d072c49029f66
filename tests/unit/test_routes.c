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
		CHECK(routes_take(&r, path, ROUTE_BODY, "text/gemini",
		    xstrdup(path),
		    strlen(path)));
	}
	/* A path already routed is refused, its owned body freed. */
	CHECK(!routes_take(&r, "/posts/77.gmi", ROUTE_BODY, "x", xstrdup("dup"),
	    3));
	CHECK(!routes_borrow(&r, "/posts/0.gmi", ROUTE_BODY, "x", "static", 6));
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
	CHECK(!routes_borrow(&r, "/posts/9.gmi", ROUTE_BODY, "x", "y", 1));
	CHECK(routes_borrow(&r, "/new.gmi", ROUTE_BODY, "x", "y", 1));
	CHECK(routes_find(&r, "/new.gmi", 8) != NULL);
	CHECK(routes_find(&r, "/posts/9.gmi", 12) != NULL);
	routes_seal(&r);
	CHECK(routes_find(&r, "/new.gmi", 8) != NULL);
	CHECK_INT(r.n, 5001);
	routes_free(&r);
}

/* take copies and frees, borrow points, alias answers as its target. */
static void
test_ownership(void)
{
	static const char	 shared[] = "shared bytes";
	struct routes		 r = { 0 };
	const struct route	*a, *b, *t;
	char			*mine = xstrdup("taken bytes");

	CHECK(routes_take(&r, "/t", ROUTE_BODY, "text/plain", mine, 11));
	CHECK(routes_borrow(&r, "/b", ROUTE_RECIPE, "1", shared,
	    sizeof(shared) - 1));
	CHECK(routes_alias(&r, "/a", "/b"));
	CHECK(!routes_alias(&r, "/c", "/missing"));
	CHECK(!routes_alias(&r, "/t", "/b"));	/* a clash */
	routes_seal(&r);
	t = routes_find(&r, "/t", 2);
	b = routes_find(&r, "/b", 2);
	a = routes_find(&r, "/a", 2);
	CHECK(t != NULL && b != NULL && a != NULL);
	CHECK(routes_find(&r, "/c", 2) == NULL);
	if (t != NULL && b != NULL && a != NULL) {
		CHECK(memcmp(t->body, "taken bytes", 11) == 0);
		CHECK_INT(t->kind, ROUTE_BODY);
		CHECK(b->body == shared);	/* borrowed, not copied */
		CHECK_INT(b->kind, ROUTE_RECIPE);
		CHECK(a->body == shared);
		CHECK_INT(a->len, sizeof(shared) - 1);
		CHECK_INT(a->kind, ROUTE_RECIPE);
		CHECK_STR(a->type, "1");
	}
	CHECK_INT(r.n, 3);
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
	RUN(test_ownership);
	return HARNESS_END();
}
