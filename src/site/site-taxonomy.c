/*
 * Categories and tags: each name with its posts, newest first, and the
 * path of its page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

struct assoc {
	const char	*name;
	size_t		 post;
};

static int
assoc_cmp(const void *a, const void *b)
{
	const struct assoc	*x = a, *y = b;
	int			 c;

	if ((c = strcasecmp(x->name, y->name)) != 0 ||
	    (c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->post < y->post ? -1 : x->post > y->post;
}

/* The taxon path: '/' in a name would make folders, controls are out. */
static void
taxon_paths(struct taxon *t, const char *dir)
{
	char	*name, *p;

	name = xstrdup(t->name);
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '-';
	t->path = xasprintf("/%s/%s.gmi", dir, name);
	t->url = url_encode_str(t->path, URL_PATH);
	free(name);
}

/*
 * Two names made one path ("a/b" and "a-b"): each clash reported, the
 * later name given the path with "-2" (or the next number free), so
 * that both have their page, as Jekyll publishes both.
 */
static void
unclash(const struct snapshot *snap, struct taxon *t, size_t n,
    const char *dir, struct diags *diags)
{
	size_t	 i, j, k;
	char	*base, *path;

	for (i = 1; i < n; i++) {
		for (j = 0; j < i && strcmp(t[j].path, t[i].path) != 0; j++)
			continue;
		if (j == i)
			continue;
		base = xstrndup(t[i].path, strlen(t[i].path) - 4);
		for (k = 2;; k++) {
			path = xasprintf("%s-%zu.gmi", base, k);
			for (j = 0; j < n && (j == i ||
			    strcmp(t[j].path, path) != 0); j++)
				continue;
			if (j == n)
				break;
			free(path);
		}
		diag_add(diags, DIAG_WARNING, snap->posts[t[i].posts[0]].source,
		    0, 0, "%s '%s' would be at %s, as another one is: served "
		    "at %s", dir, t[i].name, t[i].path, path);
		free(base);
		free(t[i].path);
		free(t[i].url);
		t[i].path = path;
		t[i].url = url_encode_str(path, URL_PATH);
	}
}

/* Group the (name, post) pairs of every post into sorted taxa. */
struct taxon *
site_taxonomy(const struct snapshot *snap, bool tags, size_t *np,
    struct diags *diags)
{
	struct assoc	*v = NULL;
	struct taxon	*t = NULL;
	size_t		 n = 0, cap = 0, ntaxa = 0, tcap = 0, i, j, k;
	char		**names;

	for (i = 0; i < snap->nposts; i++) {
		names = tags ? snap->posts[i].tags : snap->posts[i].categories;
		k = tags ? snap->posts[i].ntags : snap->posts[i].ncategories;
		xgrowarray(&v, &cap, n + k, sizeof(*v));
		for (j = 0; j < k; j++) {
			v[n].name = names[j];
			v[n++].post = i;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), assoc_cmp);
	for (i = 0; i < n; i++) {
		if (ntaxa == 0 || strcmp(t[ntaxa - 1].name, v[i].name) != 0) {
			xgrowarray(&t, &tcap, ntaxa + 1, sizeof(*t));
			memset(&t[ntaxa], 0, sizeof(*t));
			t[ntaxa].name = xstrdup(v[i].name);
			taxon_paths(&t[ntaxa++], tags ? "tags" : "categories");
		}
		k = t[ntaxa - 1].nposts;
		if (k > 0 && t[ntaxa - 1].posts[k - 1] == v[i].post)
			continue;	/* the same name twice in a post */
		t[ntaxa - 1].posts = xreallocarray(t[ntaxa - 1].posts, k + 1,
		    sizeof(size_t));
		t[ntaxa - 1].posts[k] = v[i].post;
		t[ntaxa - 1].nposts++;
	}
	free(v);
	unclash(snap, t, ntaxa, tags ? "tag" : "category", diags);
	*np = ntaxa;
	return t;
}
