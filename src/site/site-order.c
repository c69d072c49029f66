/*
 * The posts in order: newest first, each given its path, two sources
 * with one path reported, and the indexes by name and by path built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

#define POST(p)	(*(const struct post *const *)(p))

/* Newest first: date, then name, both descending. */
static int
newest_first(const void *a, const void *b)
{
	int	c;

	if ((c = strcmp(POST(b)->date, POST(a)->date)) != 0)
		return c;
	return strcmp(POST(b)->name, POST(a)->name);
}

/* By path, then source: the first of a clash is the one served. */
static int
path_source_order(const void *a, const void *b)
{
	int	c;

	if ((c = strcmp(POST(a)->path, POST(b)->path)) != 0)
		return c;
	return strcmp(POST(a)->source, POST(b)->source);
}

/* /posts/DATE-SLUG.gmi, or /YYYY/MM/DD/SLUG/ (the front matter date). */
static void
post_paths(struct post *p, enum permalink_style style)
{
	if (style == PERMALINK_JEKYLL)
		p->path = xasprintf("/%.4s/%.2s/%.2s/%s/", p->date,
		    p->date + 5, p->date + 8, *p->slug ? p->slug : p->name);
	else
		p->path = xasprintf("/posts/%s.gmi", p->name);
	p->url = url_encode_str(p->path, URL_PATH);
}

/*
 * Give every post its path (posts already newest first).  Two posts
 * with one path (one file name in two folders, or one date and slug
 * under Jekyll permalinks): the source that sorts first is served, the
 * other is reported and left out.
 */
static void
assign_paths(struct build *b)
{
	struct snapshot		 *snap = b->snap;
	const struct post	**v, *first = NULL;
	bool			 *drop;
	size_t			  i, k, n = snap->nposts;

	for (i = 0; i < n; i++)
		post_paths(&snap->posts[i], b->opts->permalink);
	v = snapshot_post_ptrs(snap);
	drop = xcalloc(n + 1, sizeof(*drop));
	if (n > 0)
		qsort(v, n, sizeof(*v), path_source_order);
	for (i = 0; i < n; i++) {
		if (first == NULL || strcmp(v[i]->path, first->path) != 0) {
			first = v[i];
			continue;
		}
		k = (size_t)(v[i] - snap->posts);
		drop[k] = true;
		diag_add(b->diags, DIAG_ERROR, b->post_src[k].file, 1, 1,
		    "%s is already the path of %s: skipped", v[i]->path,
		    first->source);
	}
	for (i = k = 0; i < n; i++) {
		if (drop[i]) {
			snapshot_post_free(&snap->posts[i]);
			site_source_free(&b->post_src[i]);
			continue;
		}
		snap->posts[k] = snap->posts[i];
		b->post_src[k++] = b->post_src[i];
	}
	snap->nposts = k;
	free(drop);
	free(v);
}

/* Order posts newest first (their sources with them), index them. */
void
site_order_posts(struct build *b)
{
	struct snapshot		 *snap = b->snap;
	const struct post	**v;
	struct post		 *posts;
	struct source		 *srcs;
	size_t			  i, k, n = snap->nposts;

	v = snapshot_post_ptrs(snap);
	if (n > 0)
		qsort(v, n, sizeof(*v), newest_first);
	posts = xcalloc(n + 1, sizeof(*posts));
	srcs = xcalloc(n + 1, sizeof(*srcs));
	for (i = 0; i < n; i++) {
		k = (size_t)(v[i] - snap->posts);
		posts[i] = snap->posts[k];
		srcs[i] = b->post_src[k];
	}
	free(v);
	free(snap->posts);
	free(b->post_src);
	snap->posts = posts;
	b->post_src = srcs;
	assign_paths(b);
	snapshot_index(snap);
}
