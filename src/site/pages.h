/*
 * The generated documents (CONVERSION.md 5.13): home page (a gemlog
 * clients can subscribe to), archive, category and tag pages, Atom feed
 * and robots.txt.  Built from the snapshot's post list and taxonomies;
 * the documents are in the document model so that the Gopher writer
 * can render them too.
 */
#ifndef CAPSULED_PAGES_H
#define CAPSULED_PAGES_H

#include <stdbool.h>

#include "model/model.h"
#include "site.h"

/* Atom entries: the newest posts only. */
#define PAGES_FEED_ENTRIES	100

/* "=> URL YYYY-MM-DD - Title": the gemlog line of a post. */
void	pages_post_link(struct doc *, const struct post *, bool starts_block);

void	pages_home(const struct snapshot *, struct doc *);
void	pages_archive(const struct snapshot *, struct doc *);
/* /categories.gmi (tags false) or /tags.gmi (tags true). */
void	pages_taxonomy(const struct snapshot *, bool tags, struct doc *);
/* The page of one category or tag. */
void	pages_taxon(const struct snapshot *, const struct taxon *, bool tag,
	    struct doc *);
/*
 * The authority of the Atom feed's tag: ids: the host of the site's url
 * (_config.yml), else the first host name (localhost for an IPv6 one).
 */
char	*pages_tag_authority(const struct snapshot *,
	    const struct site_options *);
/* The feed's base URL: gemini://HOST[:PORT]/ */
char	*pages_base_url(const struct site_options *);
void	pages_atom(const struct snapshot *, const struct site_options *,
	    struct buf *);
void	pages_robots(struct buf *);

/* Add every generated document to snap->gemini. */
void	pages_publish(struct snapshot *, const struct site_options *,
	    struct diags *);
/* A path of a generated document, which no page may take. */
bool	pages_is_generated(const char *path);

#endif
