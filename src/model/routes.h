/*
 * A route table: request path (Gemini) or selector (Gopher) to the ready
 * bytes of the response body and its type.  Built once, then sealed
 * (sorted) and only read, by any number of threads.
 */
#ifndef CAPSULED_ROUTES_H
#define CAPSULED_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

/* What a route's body is. */
enum route_kind {
	ROUTE_BODY,	/* the bytes of the response */
	ROUTE_RECIPE,	/* a Gopher menu recipe, made into the menu when
			   asked for (gopher_recipe_expand) */
	ROUTE_REDIRECT,	/* Gemini: answered 31 to the URL in body */
};

struct route {
	const char	*path;
	const char	*type;		/* Gemini: MIME type with parameters;
					   Gopher: the item type */
	enum route_kind	 kind;
	const char	*body;
	size_t		 len;
};

struct routes {
	struct route	*v;
	size_t		 n, cap;
	bool		 sealed;
	struct arena	 arena;		/* paths, types, bodies taken */
	/* While building: open addressing, index + 1 of each path's route. */
	size_t		*slots;
	size_t		 nslots;
};

/*
 * Add a route.  Each returns false, adding nothing, when the path is
 * already routed: a clash, which the caller reports.
 *
 * routes_take: the table takes body (malloc'd): it keeps a copy in its
 * arena and frees the original at once (also on a clash), so that what
 * is built next reuses that memory.
 * routes_borrow: body must outlive the table (a static file shared by
 * both protocols is read into one table's arena and borrowed by the
 * other).
 * routes_alias: path answers as the route at target does (the same
 * type, kind and body); false too when target is not routed.
 */
bool			 routes_take(struct routes *, const char *path,
			    enum route_kind, const char *type, char *body,
			    size_t len);
bool			 routes_borrow(struct routes *, const char *path,
			    enum route_kind, const char *type,
			    const char *body, size_t len);
bool			 routes_alias(struct routes *, const char *path,
			    const char *target);
/* Sort for lookup; after this the table is read-only. */
void			 routes_seal(struct routes *);
const struct route	*routes_find(const struct routes *, const char *path,
			    size_t len);
void			 routes_free(struct routes *);

#endif
