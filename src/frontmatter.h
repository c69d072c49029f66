/*
 * YAML front matter of posts and pages, and the site's _config.yml,
 * both read with libyaml.
 */
#ifndef CAPSULED_FRONTMATTER_H
#define CAPSULED_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* A top-level key whose value is a scalar or a sequence of scalars. */
struct yaml_entry {
	char		 *key;
	char		**values;	/* one for a scalar, n for a sequence */
	size_t		  nvalues;
	bool		  is_sequence;
	unsigned	  line;		/* 1-based, in the file */
};

struct frontmatter {
	char		 *title;
	char		 *date;		/* "YYYY-MM-DD", validated, or NULL */
	char		 *author;
	char		 *excerpt;
	char		 *lang;
	char		 *permalink;
	char		 *layout;
	char		**categories;
	size_t		  ncategories;
	char		**tags;
	size_t		  ntags;
	struct yaml_entry *entries;	/* every key, known ones included */
	size_t		  nentries;
};

/*
 * Split text at its front matter and parse it.  When the text does not
 * start with a "---" line there is no front matter: *body_off is 0 and
 * the result is 0.  On success *body_off is the offset of the body and
 * *body_line its 1-based line number in the file.  Returns -1 (and
 * reports an error with file:line:column) when the YAML is invalid, the
 * block is not terminated, or a known key has the wrong shape; unusable
 * values of optional keys (an unparsable date) are reported and left
 * NULL.
 */
int	frontmatter_parse(const char *text, size_t len, const char *file,
	    struct frontmatter *, size_t *body_off, unsigned *body_line,
	    struct diags *);
/* Look up any key, known or not: its first value or NULL. */
const char *frontmatter_get(const struct frontmatter *, const char *key);
void	frontmatter_free(struct frontmatter *);

/* The site's _config.yml. */
struct site_config {
	char		 *title;
	char		 *description;
	char		 *author;
	char		 *lang;		/* default "en" */
	char		 *url;		/* the web site's URL, may be NULL */
	char		 *baseurl;	/* may be NULL */
	struct yaml_entry *entries;	/* every top-level key */
	size_t		  nentries;
};

/*
 * Read _config.yml.  A missing file gives the defaults and returns 0;
 * invalid YAML is an error reported with file:line:column (-1).
 */
int	site_config_load(const char *path, struct site_config *,
	    struct diags *);
/* A string value of _config.yml for {{ site.KEY }}; NULL when unset. */
const char *site_config_get(const struct site_config *, const char *key);
void	site_config_free(struct site_config *);

#endif
