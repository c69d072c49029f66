/*
 * The snapshot: everything the capsule serves, built once from the
 * capsule root (at start-up and on reload, by the site layer), then
 * immutable and shared by every worker.
 */
#ifndef CAPSULED_SNAPSHOT_H
#define CAPSULED_SNAPSHOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "routes.h"
#include "value.h"
#include "search.h"

/*
 * The site's _config.yml.  Without a title key the title is "" (what
 * the author wrote, nothing invented: a caller wanting a fallback such
 * as the host name tests for the empty string).
 */
struct site_config {
	char		 *title;	/* default "" */
	char		 *description;
	char		 *author;
	char		 *lang;		/* default "en" */
	char		 *url;		/* the web site's URL, may be NULL */
	char		 *baseurl;	/* may be NULL */
	struct value	 *data;		/* the whole file: a hash */
};

/*
 * A top-level value of _config.yml for {{ site.KEY }} (borrowed), or
 * NULL; title and lang are the fields, with their defaults.
 */
const struct value *snapshot_config_get(const struct site_config *,
		    const char *key);
void	snapshot_config_free(struct site_config *);

struct post {
	char		 *source;	/* file, relative to the root */
	char		 *name;		/* file name without .md: DATE-SLUG */
	char		 *slug;		/* file name without date and .md */
	char		 *date;		/* YYYY-MM-DD, front matter first */
	/* RFC 3339 in UTC: last_modified_at, else the date's midnight. */
	char		 *updated;
	char		 *title;
	char		 *author;
	char		 *excerpt;	/* plain text, may be NULL */
	char		 *lang;		/* the post's or the site's */
	char		**categories;
	size_t		  ncategories;
	char		**tags;
	size_t		  ntags;
	char		 *path;		/* Gemini path, e.g. /posts/DATE-SLUG.gmi */
	char		 *url;		/* path percent-encoded, for links */
	char		 *web;		/* the URL Jekyll gives it, decoded */
	char		 *webkey;	/* web without .html, index, last '/' */
};

/*
 * What a page's source is, and so what it becomes: Markdown and HTML
 * (Liquid, then the converter or the HTML reader) a gemtext document;
 * any other file with front matter (feed.xml, search.json) its Liquid
 * output, served as Jekyll writes it, with its extension's MIME type.
 */
enum page_kind {
	PAGE_MARKDOWN,
	PAGE_HTML,
	PAGE_FILE,
};

struct page {
	enum page_kind	 kind;
	char		*source;
	char		*title;
	char		*lang;		/* the page's or the site's */
	char		*permalink;	/* web permalink (front matter), or NULL */
	char		*path;		/* e.g. /about.gmi */
	char		*url;		/* path percent-encoded, for links */
	char		*collection;	/* a collection's label, or NULL */
	char		*web;		/* a document's Jekyll URL, or NULL */
};

/* A category or a tag, and the posts (indexes into posts) it holds. */
struct taxon {
	char		*name;
	char		*path;		/* e.g. /categories/BPF.gmi */
	char		*url;		/* path percent-encoded, for links */
	size_t		*posts;
	size_t		 nposts;
};

struct static_file {
	char		*path;		/* request path, e.g. /img/a.png */
	char		*url;		/* path percent-encoded, for links */
	const char	*body;		/* owned by the Gemini route */
	size_t		 len;
};

struct snapshot {
	atomic_uint		 refs;
	struct site_config	 config;
	struct post		*posts;		/* newest first */
	size_t			 nposts;
	size_t			*by_name;	/* post indexes, by name */
	size_t			*by_path;	/* post indexes, by path */
	size_t			*by_web;	/* post indexes, by webkey */
	struct page		*pages;
	size_t			 npages;
	struct taxon		*categories;	/* sorted by name */
	size_t			 ncategories;
	struct taxon		*tags;		/* sorted by name */
	size_t			 ntags;
	struct static_file	*statics;
	size_t			 nstatics;
	struct routes		 gemini;	/* path -> body, MIME type */
	struct routes		 gopher;	/* selector -> body */
	/*
	 * Paths that earlier snapshots served and this one does not (a
	 * post removed before a reload): Gemini answers them 52.  Bodies
	 * empty; filled by snapshot_inherit_gone.
	 */
	struct routes		 gone;
	struct search		*search;	/* the posts; NULL: none */
	size_t			 source_bytes;	/* Markdown read */
	double			 build_seconds;
	/*
	 * The site layer's results of this build, for the next one (a
	 * reload) to reuse; freed with the snapshot by cache_free.
	 */
	void			*cache;
	void			(*cache_free)(void *);
	size_t			 reused;	/* posts taken from the last */
};

struct snapshot	*snapshot_ref(struct snapshot *);
void		 snapshot_unref(struct snapshot *);

/*
 * Build by_name, by_path and by_web from the posts (done by
 * site_build; a snapshot made by hand calls it before lookups).
 */
void		 snapshot_index(struct snapshot *);
/*
 * On a reload: the paths that old served, or remembered as gone, and
 * snap does not serve become snap's gone paths.
 */
void		 snapshot_inherit_gone(struct snapshot *snap,
		    const struct snapshot *old);
/* The index of the post served at path (as routed, not encoded), or -1. */
long		 snapshot_find_post(const struct snapshot *, const char *path);
/* The index of the post whose webkey is key, or -1. */
long		 snapshot_find_web(const struct snapshot *, const char *key);
/* The index of the post named name[0..len) (DATE-SLUG), or -1. */
long		 snapshot_find_name(const struct snapshot *, const char *name,
		    size_t len);
/*
 * Pointers to the posts, to sort them with a comparator that needs no
 * context (a pointer's index is its distance to snap->posts).
 */
const struct post **snapshot_post_ptrs(const struct snapshot *);
void		 snapshot_post_free(struct post *);
void		 snapshot_page_free(struct page *);

#endif
