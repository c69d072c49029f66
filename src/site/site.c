/*
 * The snapshot build: scan the root (site-scan.c), order the posts,
 * build the taxonomies, render every post and page to gemtext, add the
 * generated documents (pages.c) and the static files, seal the routes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "site-int.h"

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
load_config(struct build *b)
{
	char	*file;
	int	 rc;

	file = site_path_join(b->opts->root, "_config.yml");
	rc = frontmatter_config_load(file, &b->snap->config, b->diags);
	free(file);
	return rc;
}

/*
 * timezone: of _config.yml, as Jekyll sets TZ from it: the local zone
 * of this thread's times while it builds (the dates of the front
 * matter and the file names, permalinks, Liquid's dates, site.time).
 */
static void
use_zone(struct build *b)
{
	const struct value	*v;
	const struct value_zone	*z = NULL;
	char			*file;

	v = snapshot_config_get(&b->snap->config, "timezone");
	if (!value_is_nil(v) && (v->type != VALUE_STRING ||
	    (z = value_zone_get(v->u.str.s)) == NULL)) {
		file = site_path_join(b->opts->root, "_config.yml");
		diag_add(b->diags, DIAG_WARNING, file,
		    site_config_line(b, "timezone"), 0, "timezone: not a "
		    "zone of the tz database (America/New_York, Etc/UTC): "
		    "dates are in the server's zone");
		free(file);
	}
	value_zone_use(z);
}

struct snapshot *
site_build(const struct site_options *opts, struct diags *diags)
{
	struct build	 b;
	struct snapshot	*snap;
	char		*file;
	double		 start = now();
	size_t		 i;

	memset(&b, 0, sizeof(b));
	snap = xcalloc(1, sizeof(*snap));
	atomic_init(&snap->refs, 1);
	b.opts = opts;
	b.snap = snap;
	b.diags = diags;
	b.last = opts->last != NULL ? opts->last->cache : NULL;
	if ((b.realroot = realpath(opts->root, NULL)) == NULL) {
		diag_errno(diags, DIAG_ERROR, opts->root, "capsule root");
		snapshot_unref(snap);
		return NULL;
	}
	if (load_config(&b) == -1) {
		free(b.realroot);
		snapshot_unref(snap);
		return NULL;
	}
	if (snap->config.lang != NULL &&
	    !site_source_lang_ok(snap->config.lang)) {
		file = site_path_join(opts->root, "_config.yml");
		site_source_warn_lang(diags, file, snap->config.lang);
		free(file);
		free(snap->config.lang);
		snap->config.lang = NULL;
	}
	use_zone(&b);
	site_plugins_read(&b);
	site_scan(&b);
	b.data = site_data_read(&b);
	site_order_posts(&b);
	site_map_page_keys(&b);
	snap->categories = site_taxonomy(snap, false, &snap->ncategories,
	    diags);
	snap->tags = site_taxonomy(snap, true, &snap->ntags, diags);
	site_redirects_collect(&b);
	site_liquid_begin(&b);

	if (opts->search_bytes > 0 && (snap->search =
	    search_new(opts->search_bytes)) == NULL)
		diag_add(diags, DIAG_WARNING, opts->root, 0, 0,
		    "search index: cannot be made; no search");
	site_render_posts(&b);
	if (snap->search != NULL) {
		search_seal(snap->search);
		if (search_count(snap->search) < snap->nposts)
			diag_add(diags, DIAG_WARNING, opts->root, 0, 0,
			    "search index full (search_memory): the %zu "
			    "oldest posts are not searchable",
			    snap->nposts - search_count(snap->search));
	}
	/* Written after the posts and before the pages, as Jekyll does. */
	site_redirects_publish(&b);
	for (i = 0; i < snap->npages; i++)
		site_render_page(&b, i);
	site_liquid_end(&b);
	value_zone_use(NULL);
	site_collections_free(&b);
	for (i = 0; i < b.nunwritten; i++) {
		snapshot_page_free(&b.unwritten[i]);
		site_source_free(&b.unwritten_src[i]);
	}
	free(b.unwritten);
	free(b.unwritten_src);
	xfreev(b.unwritten_files, b.nunwritten_files);
	site_render_statics(&b);
	pages_publish(snap, opts, diags);
	routes_seal(&snap->gemini);
	gophersite_finish(snap, opts, diags);
	site_cache_seal(b.cache);
	snap->cache = b.cache;
	snap->cache_free = site_cache_free;
	snap->reused = b.reused;

	free(b.post_src);
	free(b.page_src);
	xfreev(b.page_keys, 2 * snap->npages);
	free(b.dirs);
	site_redirects_free(&b);
	value_unref(b.data);
	free(b.realroot);
	buf_free(&b.raw);
	buf_free(&b.text);
	snap->build_seconds = now() - start;
	return snap;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void
site_summary(const struct snapshot *snap, const struct diags *diags,
    char *buf, size_t size)
{
	snprintf(buf, size, "%zu post%s, %zu page%s, %zu static file%s, "
	    "%zu warning%s, %zu error%s, %.1f ms",
	    snap ? snap->nposts : 0, plural(snap ? snap->nposts : 0),
	    snap ? snap->npages : 0, plural(snap ? snap->npages : 0),
	    snap ? snap->nstatics : 0, plural(snap ? snap->nstatics : 0),
	    diags->warnings, plural(diags->warnings),
	    diags->errors, plural(diags->errors),
	    snap ? snap->build_seconds * 1000 : 0.0);
	if (snap != NULL && snap->search != NULL && strlen(buf) < size)
		snprintf(buf + strlen(buf), size - strlen(buf),
		    "; search index %.1f MiB",
		    (double)search_memory(snap->search) / (1 << 20));
}

