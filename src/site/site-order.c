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

/*
 * The post's URL as Jekyll gives it (its permalink, else the site's
 * style or pattern); its capsule path /posts/DATE-SLUG.gmi, or with the
 * jekyll style that URL (.html taken off: .gmi).
 */
static void
post_paths(struct build *b, size_t i)
{
	struct post		*p = &b->snap->posts[i];
	struct source		*src = &b->post_src[i];
	struct url_fields	 f;
	const struct value	*v;
	char			*style, *rel, *dir, *dot;

	v = snapshot_config_get(&b->snap->config, "permalink");
	style = frontmatter_string(v);
	memset(&f, 0, sizeof(f));
	f.collection = "posts";
	/* cleaned_relative_path: the source less its extension and _posts. */
	rel = xstrdup(p->source);
	if ((dot = strrchr(rel, '.')) != NULL && strchr(dot, '/') == NULL)
		*dot = '\0';
	if ((dir = strstr(rel, src->draft ? "_drafts" : "_posts")) != NULL)
		memmove(dir, dir + (src->draft ? 7 : 6),
		    strlen(dir + (src->draft ? 7 : 6)) + 1);
	f.path = rel;
	f.basename = p->name;
	v = frontmatter_get(&src->fm, "slug");
	f.slug = v != NULL && v->type == VALUE_STRING ? v->u.str.s : p->slug;
	f.categories = p->categories;
	f.ncategories = p->ncategories;
	f.time = src->time;
	if (src->fm.permalink != NULL)
		p->web = site_url_generate(src->fm.permalink, &f, src->file,
		    b->diags);
	if (p->web == NULL)
		p->web = site_url_generate(site_url_style(style), &f,
		    src->file, b->diags);
	if (p->web == NULL)
		p->web = site_url_generate(site_url_style("date"), &f,
		    src->file, b->diags);
	free(style);
	free(rel);
	p->webkey = site_map_web_key(p->web);
	src->web = p->web;
	if (b->opts->permalink != PERMALINK_JEKYLL)
		p->path = xasprintf("/posts/%s.gmi", p->name);
	else if (p->web[strlen(p->web) - 1] == '/')
		p->path = xstrdup(p->web);
	else
		p->path = site_url_to_path(p->web);
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
		post_paths(b, i);
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
