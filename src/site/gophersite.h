/*
 * The Gopher routes of a snapshot: site_build (site.c) calls these
 * while it builds, and they fill snap->gopher.  Every function does
 * nothing when opts->gopher_port is 0.
 *
 * Selectors: "" and "/" (main menu), /posts/SLUG.txt (type 0) and
 * /posts/SLUG/ (type 1, links as items), pages as /NAME.txt and /NAME/,
 * /archive/ and /archive/YYYY/, /categories/ and /categories/NAME/,
 * /tags/ and /tags/NAME/, static files at their own path, and the
 * "URL:" selectors answered by gopher_respond().
 */
#ifndef CAPSULED_GOPHERSITE_H
#define CAPSULED_GOPHERSITE_H

#include <stddef.h>

#include "model/model.h"
#include "site.h"

/*
 * Render post i (or page i) from its document while the document is
 * alive.  snap->posts (all of them) and snap->pages must already be
 * known, so that links between them resolve.
 */
void	gophersite_post(struct snapshot *, const struct site_options *,
	    struct diags *, size_t i, const struct doc *);
void	gophersite_page(struct snapshot *, const struct site_options *,
	    struct diags *, size_t i, const struct doc *);

/* A document at Gemini path path (a redirect's): /NAME.txt and /NAME/. */
void	gophersite_path(struct snapshot *, const struct site_options *,
	    struct diags *, const char *path, const struct doc *);

/* A rendered file (a page of kind PAGE_FILE) at its path; body kept. */
void	gophersite_file(struct snapshot *, const struct site_options *,
	    struct diags *, const char *path, const char *body, size_t len);

/*
 * Once posts, pages, taxonomies and static files are all in: the
 * static files and the generated menus, then seal snap->gopher.  A
 * selector routed twice is reported to diags (as is one in the above).
 */
void	gophersite_finish(struct snapshot *, const struct site_options *,
	    struct diags *);

#endif
