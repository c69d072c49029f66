#include <stdlib.h>
#include <string.h>

#include "routes.h"
#include "util.h"

/* Before sealing, lookups scan linearly: only the builder does them. */
static const struct route *
find_unsealed(const struct routes *r, const char *path, size_t len)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strlen(r->v[i].path) == len &&
		    memcmp(r->v[i].path, path, len) == 0)
			return &r->v[i];
	return NULL;
}

bool
routes_add(struct routes *r, const char *path, const char *type,
    const char *body, size_t len, bool owns_body)
{
	struct route	*e;

	if (routes_find(r, path, strlen(path)) != NULL) {
		if (owns_body)
			free((char *)body);
		return false;
	}
	grow_array(&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	e = &r->v[r->n++];
	e->path = xstrdup(path);
	e->type = xstrdup(type);
	e->body = body;
	e->len = len;
	e->owns_body = owns_body;
	r->sealed = false;
	return true;
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

bool
routes_is_dir(const struct routes *r, const char *path, size_t len)
{
	char	*dir;
	size_t	 i;
	bool	 found = false;

	if (len > 0 && path[len - 1] == '/')
		return false;
	dir = xmalloc(len + 2);
	memcpy(dir, path, len);
	dir[len] = '/';
	dir[len + 1] = '\0';
	if (r->sealed) {
		i = lower_bound(r, dir, len + 1);
		found = i < r->n && strncmp(r->v[i].path, dir, len + 1) == 0;
	} else {
		for (i = 0; i < r->n && !found; i++)
			found = strncmp(r->v[i].path, dir, len + 1) == 0;
	}
	free(dir);
	return found;
}

void
routes_free(struct routes *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].type);
		if (r->v[i].owns_body)
			free((char *)r->v[i].body);
	}
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}
