/*
 * The snapshot's life (references, the lookups every worker makes) and
 * the values of _config.yml it keeps.
 */
#include <stdlib.h>
#include <string.h>

#include "model-int.h"

#define POST(p)	(*(const struct post *const *)(p))

/*
 * The sorts below permute pointers to the posts: the comparators need
 * no context, and a pointer's index is its distance to the array.
 */
const struct post **
snapshot_post_ptrs(const struct snapshot *snap)
{
	const struct post	**v;
	size_t			  i;

	v = xcalloc(snap->nposts, sizeof(*v));
	for (i = 0; i < snap->nposts; i++)
		v[i] = &snap->posts[i];
	return v;
}

static int
name_order(const void *a, const void *b)
{
	return strcmp(POST(a)->name, POST(b)->name);
}

static int
path_order(const void *a, const void *b)
{
	return strcmp(POST(a)->path, POST(b)->path);
}

/* Posts without a web key sort first, and are never found by one. */
static int
web_order(const void *a, const void *b)
{
	const char	*x = POST(a)->webkey, *y = POST(b)->webkey;

	return strcmp(x ? x : "", y ? y : "");
}

/* Post indexes in the order of cmp. */
static size_t *
post_index(const struct snapshot *snap, int (*cmp)(const void *,
    const void *))
{
	const struct post	**v;
	size_t			 *idx, i;

	v = snapshot_post_ptrs(snap);
	if (snap->nposts > 0)
		qsort(v, snap->nposts, sizeof(*v), cmp);
	idx = xcalloc(snap->nposts + 1, sizeof(*idx));
	for (i = 0; i < snap->nposts; i++)
		idx[i] = (size_t)(v[i] - snap->posts);
	free(v);
	return idx;
}

void
snapshot_post_free(struct post *p)
{
	free(p->source);
	free(p->name);
	free(p->slug);
	free(p->date);
	free(p->updated);
	free(p->title);
	free(p->author);
	free(p->excerpt);
	free(p->lang);
	xfreev(p->categories, p->ncategories);
	xfreev(p->tags, p->ntags);
	free(p->path);
	free(p->url);
	free(p->web);
	free(p->webkey);
}

void
snapshot_page_free(struct page *pg)
{
	free(pg->source);
	free(pg->title);
	free(pg->lang);
	free(pg->permalink);
	free(pg->path);
	free(pg->url);
	free(pg->collection);
	free(pg->web);
}

void
snapshot_index(struct snapshot *snap)
{
	free(snap->by_name);
	free(snap->by_path);
	free(snap->by_web);
	snap->by_name = post_index(snap, name_order);
	snap->by_path = post_index(snap, path_order);
	snap->by_web = post_index(snap, web_order);
}

struct snapshot *
snapshot_ref(struct snapshot *snap)
{
	atomic_fetch_add(&snap->refs, 1);
	return snap;
}

static void
free_taxa(struct taxon *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].path);
		free(t[i].url);
		free(t[i].posts);
	}
	free(t);
}

void
snapshot_unref(struct snapshot *snap)
{
	size_t	i;

	if (snap == NULL || atomic_fetch_sub(&snap->refs, 1) != 1)
		return;
	snapshot_config_free(&snap->config);
	for (i = 0; i < snap->nposts; i++)
		snapshot_post_free(&snap->posts[i]);
	free(snap->posts);
	free(snap->by_name);
	free(snap->by_path);
	free(snap->by_web);
	for (i = 0; i < snap->npages; i++)
		snapshot_page_free(&snap->pages[i]);
	free(snap->pages);
	free_taxa(snap->categories, snap->ncategories);
	free_taxa(snap->tags, snap->ntags);
	for (i = 0; i < snap->nstatics; i++) {
		free(snap->statics[i].path);
		free(snap->statics[i].url);
	}
	free(snap->statics);
	routes_free(&snap->gemini);
	routes_free(&snap->gopher);
	routes_free(&snap->gone);
	search_free(snap->search);
	if (snap->cache != NULL)
		snap->cache_free(snap->cache);
	free(snap);
}

void
snapshot_inherit_gone(struct snapshot *snap, const struct snapshot *old)
{
	const struct routes	*from[] = { &old->gemini, &old->gone };
	const struct route	*e;
	size_t			 t, i;

	for (t = 0; t < sizeof(from) / sizeof(from[0]); t++)
		for (i = 0; i < from[t]->n; i++) {
			e = &from[t]->v[i];
			/*
			 * old's two tables hold no path in common: no
			 * clash to report.
			 */
			if (routes_find(&snap->gemini, e->path,
			    strlen(e->path)) == NULL)
				(void)routes_borrow(&snap->gone, e->path,
				    ROUTE_BODY, "", "", 0);
		}
	routes_seal(&snap->gone);
}
long
snapshot_find_name(const struct snapshot *snap, const char *name, size_t len)
{
	const struct post	*posts = snap->posts;
	size_t			 lo = 0, hi = snap->nposts, mid;
	int			 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(posts[snap->by_name[mid]].name, name, len);
		if (c == 0 && posts[snap->by_name[mid]].name[len] != '\0')
			c = 1;
		if (c == 0)
			return (long)snap->by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long
snapshot_find_post(const struct snapshot *snap, const char *path)
{
	size_t	lo = 0, hi = snap->nposts, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(snap->posts[snap->by_path[mid]].path, path);
		if (c == 0)
			return (long)snap->by_path[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long
snapshot_find_web(const struct snapshot *snap, const char *key)
{
	size_t		 lo = 0, hi = snap->nposts, mid;
	const char	*k;
	int		 c;

	while (snap->by_web != NULL && lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = snap->posts[snap->by_web[mid]].webkey;
		c = strcmp(k ? k : "", key);
		if (c == 0 && k != NULL)
			return (long)snap->by_web[mid];
		if (c <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct value *
snapshot_config_get(const struct site_config *cfg, const char *key)
{
	return value_hash_get(cfg->data, key, strlen(key));
}

void
snapshot_config_free(struct site_config *cfg)
{
	free(cfg->title);
	free(cfg->description);
	free(cfg->author);
	free(cfg->lang);
	free(cfg->url);
	free(cfg->baseurl);
	value_unref(cfg->data);
	memset(cfg, 0, sizeof(*cfg));
}
