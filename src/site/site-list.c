/*
 * --list: every Gemini document of the snapshot with where it comes
 * from, one "SOURCE<TAB>KIND<TAB>PATH" line each: posts, pages and
 * static files by their source (relative to the root), then the
 * documents the capsule makes itself (index, archive, categories,
 * tags, feed) with "-" for a source.  A path answering a redirect
 * (jekyll-redirect-from) is of kind redirect: a redirect_from path
 * with "-", a document with redirect_to with its source.  Tools that
 * set the capsule against the web site read it to find a source's
 * capsule path.
 */
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A document answered by a redirect (redirect_to) is one. */
static const char *
kind(const struct snapshot *snap, const char *path, const char *doc)
{
	const struct route	*r;

	r = routes_find(&snap->gemini, path, strlen(path));
	return r != NULL && r->kind == ROUTE_REDIRECT ? "redirect" : doc;
}

int
site_list(const struct snapshot *snap, FILE *fp)
{
	const char	**from;
	size_t		  i, j, n = 0;

	from = xcalloc(snap->nposts + snap->npages + snap->nstatics + 1,
	    sizeof(*from));
	for (i = 0; i < snap->nposts; i++) {
		fprintf(fp, "%s\t%s\t%s\n", snap->posts[i].source,
		    kind(snap, snap->posts[i].path, "post"),
		    snap->posts[i].path);
		from[n++] = snap->posts[i].path;
	}
	for (i = 0; i < snap->npages; i++) {
		fprintf(fp, "%s\t%s\t%s\n", snap->pages[i].source,
		    kind(snap, snap->pages[i].path, "page"),
		    snap->pages[i].path);
		from[n++] = snap->pages[i].path;
	}
	/* A static file is served at its path below the root. */
	for (i = 0; i < snap->nstatics; i++) {
		fprintf(fp, "%s\tstatic\t%s\n", snap->statics[i].path + 1,
		    snap->statics[i].path);
		from[n++] = snap->statics[i].path;
	}
	/* The rest of the (sorted) routes: one merge with the sorted list. */
	qsort(from, n, sizeof(*from), path_cmp);
	for (i = j = 0; i < snap->gemini.n; i++) {
		while (j < n && strcmp(from[j], snap->gemini.v[i].path) < 0)
			j++;
		if (j == n || strcmp(from[j], snap->gemini.v[i].path) != 0)
			fprintf(fp, "-\t%s\t%s\n",
			    snap->gemini.v[i].kind == ROUTE_REDIRECT ?
			    "redirect" : "generated", snap->gemini.v[i].path);
	}
	free(from);
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}
