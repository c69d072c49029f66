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

struct route {
	const char	*path;
	const char	*type;		/* MIME type with parameters (Gemini meta) */
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
 * Add a route.  When owns_body is true the table takes body: it keeps
 * a copy in its arena and frees the malloc'd original at once, so that
 * what is built next reuses that memory.  Otherwise body must outlive
 * the table (a static file shared by both protocols is read into one
 * table's arena and borrowed by the other).  Returns false (and adds
 * nothing) when the path is already routed.
 */
bool			 routes_add(struct routes *, const char *path,
			    const char *type, const char *body, size_t len,
			    bool owns_body);
/* Sort for lookup; after this the table is read-only. */
void			 routes_seal(struct routes *);
const struct route	*routes_find(const struct routes *, const char *path,
			    size_t len);
void			 routes_free(struct routes *);

#endif
