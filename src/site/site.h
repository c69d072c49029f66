/*
 * Reading a Jekyll tree (scan, front matter, _config.yml) into a
 * snapshot (posts, pages, taxonomies, generated pages, Gopher
 * selectors), at start-up and on reload; the export.  Uses core, model,
 * convert and proto.
 *
 * The public header of src/site/: the only one other layers include.
 */
#ifndef CAPSULED_SITE_H
#define CAPSULED_SITE_H

#include <sys/types.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/core.h"
#include "model/model.h"

enum permalink_style {
	PERMALINK_POSTS,	/* /posts/DATE-SLUG.gmi (default) */
	PERMALINK_JEKYLL,	/* the URL Jekyll gives it */
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
	bool			 drafts;	/* _drafts folders too */
	size_t			 search_bytes;	/* index bound; 0: no search */
	int			 build_threads;	/* converting posts; 0: one */
	/*
	 * keep: the snapshot keeps its posts' converted documents for the
	 * next build (a reload), which reuses those of last that did not
	 * change (last: NULL, or a snapshot built with keep).
	 */
	bool			 keep;
	struct snapshot		*last;
	/*
	 * Never part of the snapshot, whatever the layout: the
	 * certificate, its key and their folder (ino 0: unused).
	 */
	const struct file_id	*secrets;
	size_t			 nsecrets;
};


/*
 * Build a snapshot from opts->root.  Every problem goes to diags (broken
 * posts are reported and skipped).  Returns NULL only when nothing can
 * be served at all (the root is missing, or _config.yml is invalid).
 * The snapshot starts with one reference.
 */
struct snapshot	*site_build(const struct site_options *, struct diags *);

/*
 * One line: posts, pages, static files, warnings, errors and the time
 * the build took ("16 posts, 1 page, ..., 9.1 ms"), then the memory of
 * the search index ("; search index 1.2 MiB"), in buf; SITE_SUMMARY_MAX
 * bytes hold it.
 */
#define SITE_SUMMARY_MAX	160
void		 site_summary(const struct snapshot *, const struct diags *,
		    char *buf, size_t size);

/*
 * Print every Gemini document, "SOURCE<TAB>KIND<TAB>PATH" a line (--list;
 * KIND post, page, static, generated or redirect).  -1 when fp fails.
 */
int		 site_list(const struct snapshot *, FILE *);

/* Write every Gemini route under dir as files (--export). */
int		 site_export(const struct snapshot *, const char *dir,
		    struct diags *);

#endif
