#include <stdlib.h>
#include <string.h>

#include "model-int.h"

static size_t
hash(const char *p, size_t len)
{
	size_t	h = 14695981039346656037ULL & (size_t)-1;

	while (len-- > 0)
		h = (h ^ (unsigned char)*p++) * (1099511628211ULL & (size_t)-1);
	return h;
}

/* The slot of path: its route's, or the empty one where it would go. */
static size_t *
slot(const struct routes *r, const char *path, size_t len)
{
	size_t		 i, mask = r->nslots - 1;
	const char	*q;

	for (i = hash(path, len) & mask; r->slots[i] != 0; i = (i + 1) & mask) {
		q = r->v[r->slots[i] - 1].path;
		if (strncmp(q, path, len) == 0 && q[len] == '\0')
			return &r->slots[i];
	}
	return &r->slots[i];
}

/* Keep the table under half full; rebuild it after a seal. */
static void
index_grow(struct routes *r)
{
	size_t	i;

	if (r->slots != NULL && 2 * (r->n + 1) <= r->nslots)
		return;
	free(r->slots);
	r->nslots = 64;
	while (r->nslots < 2 * (r->n + 1))
		r->nslots *= 2;
	r->slots = xcalloc(r->nslots, sizeof(*r->slots));
	for (i = 0; i < r->n; i++)
		*slot(r, r->v[i].path, strlen(r->v[i].path)) = i + 1;
}

/* Before sealing, lookups go through the hash index. */
static const struct route *
find_unsealed(const struct routes *r, const char *path, size_t len)
{
	size_t	*s;

	if (r->slots == NULL)
		return NULL;
	s = slot(r, path, len);
	return *s ? &r->v[*s - 1] : NULL;
}

/* The new route at path, or NULL when path is already routed. */
static struct route *
add(struct routes *r, const char *path, enum route_kind kind,
    const char *type)
{
	struct route	*e;
	size_t		 plen = strlen(path);

	r->sealed = false;
	index_grow(r);
	if (*slot(r, path, plen) != 0)
		return NULL;
	xgrowarray(&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	e = &r->v[r->n++];
	e->path = arena_memdup(&r->arena, path, plen);
	e->type = arena_strdup(&r->arena, type);
	e->kind = kind;
	*slot(r, path, plen) = r->n;
	return e;
}

bool
routes_take(struct routes *r, const char *path, enum route_kind kind,
    const char *type, char *body, size_t len)
{
	struct route	*e;

	if ((e = add(r, path, kind, type)) != NULL) {
		e->body = arena_memdup(&r->arena, body, len);
		e->len = len;
	}
	free(body);
	return e != NULL;
}

bool
routes_borrow(struct routes *r, const char *path, enum route_kind kind,
    const char *type, const char *body, size_t len)
{
	struct route	*e;

	if ((e = add(r, path, kind, type)) == NULL)
		return false;
	e->body = body;
	e->len = len;
	return true;
}

bool
routes_alias(struct routes *r, const char *path, const char *target)
{
	const struct route	*t;

	/* t's fields are read before the routes move to make room. */
	if ((t = routes_find(r, target, strlen(target))) == NULL)
		return false;
	return routes_borrow(r, path, t->kind, t->type, t->body, t->len);
}

/* Compare a counted key with a NUL-terminated path, bytewise. */
static int
keycmp(const char *key, size_t len, const char *path)
{
	size_t	plen = strlen(path);
	int	c;

	c = memcmp(key, path, len < plen ? len : plen);
	if (c != 0)
		return c;
	return len < plen ? -1 : len > plen ? 1 : 0;
}

static int
route_cmp(const void *a, const void *b)
{
	const struct route *ra = a, *rb = b;

	return strcmp(ra->path, rb->path);
}

void
routes_seal(struct routes *r)
{
	if (r->n > 0)
		qsort(r->v, r->n, sizeof(*r->v), route_cmp);
	r->sealed = true;
	free(r->slots);		/* indexes changed; sealed lookups bisect */
	r->slots = NULL;
	r->nslots = 0;
}

/* Index of the first route not less than key. */
static size_t
lower_bound(const struct routes *r, const char *key, size_t len)
{
	size_t	lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keycmp(key, len, r->v[mid].path) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct route *
routes_find(const struct routes *r, const char *path, size_t len)
{
	size_t	i;

	if (!r->sealed)
		return find_unsealed(r, path, len);
	i = lower_bound(r, path, len);
	if (i < r->n && keycmp(path, len, r->v[i].path) == 0)
		return &r->v[i];
	return NULL;
}

void
routes_free(struct routes *r)
{
	arena_free(&r->arena);
	free(r->v);
	free(r->slots);
	r->v = NULL;
	r->slots = NULL;
	r->n = r->cap = r->nslots = 0;
}
