/*
 * The site snapshot: everything the capsule serves, built once from the
 * capsule root (at start-up and on reload), then immutable and shared
 * by every worker.
 */
#ifndef CAPSULED_SITE_H
#define CAPSULED_SITE_H

#include <sys/types.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "frontmatter.h"
#include "routes.h"

enum permalink_style {
	PERMALINK_POSTS,	/* /posts/DATE-SLUG.gmi (default) */
	PERMALINK_JEKYLL,	/* /YYYY/MM/DD/SLUG/ */
};

/* A file or folder by identity: links and other spellings lead to it. */
struct file_id {
	dev_t	dev;
	ino_t	ino;
};

/* What the snapshot needs to know about the server it is built for. */
struct site_options {
	const char		*root;		/* capsule directory */
	const char		*hostname;	/* first configured name */
	int			 gemini_port;
	const char		*gopher_host;	/* public Gopher host name */
	int			 gopher_port;	/* 0: no Gopher routes */
	enum permalink_style	 permalink;
	/*
	 * Never part of the snapshot, whatever the layout: the
	 * certificate, its key and their folder (ino 0: unused).
	 */
	const struct file_id	*secrets;
	size_t			 nsecrets;
};

struct post {
	char		 *source;	/* file, relative to the root */
	char		 *name;		/* file name without .md: DATE-SLUG */
	char		 *slug;		/* file name without date and .md */
	char		 *date;		/* YYYY-MM-DD, front matter first */
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
};

struct page {
	char		*source;
	char		*title;
	char		*lang;		/* the page's or the site's */
	char		*permalink;	/* web permalink (front matter), or NULL */
	char		*path;		/* e.g. /about.gmi */
	char		*url;		/* path percent-encoded, for links */
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
	size_t			 source_bytes;	/* Markdown read */
	double			 build_seconds;
};

/*
 * Build a snapshot from opts->root.  Every problem goes to diags (broken
 * posts are reported and skipped).  Returns NULL only when nothing can
 * be served at all (the root is missing, or _config.yml is invalid).
 * The snapshot starts with one reference.
 */
struct snapshot	*snapshot_build(const struct site_options *, struct diags *);
struct snapshot	*snapshot_ref(struct snapshot *);
void		 snapshot_unref(struct snapshot *);

/*
 * Build by_name and by_path from the posts and their paths (done by
 * snapshot_build; a snapshot made by hand calls it before lookups).
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

/*
 * One line: posts, pages, static files, warnings, errors and the time
 * the build took ("capsuled: 16 posts, 1 page, ...").
 */
void		 snapshot_summary(const struct snapshot *, const struct diags *,
		    FILE *);

/* Write every Gemini route under dir as files (--export). */
int		 snapshot_export(const struct snapshot *, const char *dir,
		    struct diags *);

#endif
