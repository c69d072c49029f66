/*
 * YAML front matter of posts and pages, and the site's _config.yml,
 * both read with libyaml.
 */
#ifndef CAPSULED_FRONTMATTER_H
#define CAPSULED_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "model/model.h"

/*
 * The known keys.  title and author have their whitespace collapsed
 * (they are one-line display strings); categories and tags are lists
 * whether written as a sequence or as a scalar split at whitespace
 * (the singular `category` / `tag` win, as in Jekyll).
 */
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
 * the result is 0.  On success (0 too) *body_off is the offset of the
 * body, > 0 when there was a front matter block, and *body_line its
 * 1-based line number in the file.  The block ends at a "---" or "..."
 * line and holds at most 1 MiB of YAML nested at most 64 deep.  Returns -1 (and
 * reports an error with file:line:column) when the YAML is invalid, the
 * block is not terminated, or a known key has the wrong shape; unusable
 * values of optional keys (an unparsable date) are reported and left
 * NULL.  The struct is always initialised: frontmatter_free is safe
 * after an error.
 */
int	frontmatter_parse(const char *text, size_t len, const char *file,
	    struct frontmatter *, size_t *body_off, unsigned *body_line,
	    struct diags *);
/* s starts with a real calendar date, YYYY-MM-DD. */
bool	frontmatter_ymd_date(const char *s);
/*
 * The length of the front matter block at the start of text, closing
 * line and its newline included: 0 when text has none, len + 1 when it
 * does not end within text (a closing line that ends the text ends the
 * block only when the text is the whole file).
 */
size_t	frontmatter_length(const char *text, size_t len, bool whole);
/* Look up any key, known or not: its first value or NULL. */
const char *frontmatter_get(const struct frontmatter *, const char *key);
void	frontmatter_free(struct frontmatter *);

/*
 * Read _config.yml.  A missing file gives the defaults and returns 0;
 * invalid YAML is an error reported with file:line:column (-1).
 */
int	frontmatter_config_load(const char *path, struct site_config *,
	    struct diags *);
/* The same from text in memory; file names it in diagnostics. */
int	frontmatter_config_parse(const char *text, size_t len, const char *file,
	    struct site_config *, struct diags *);

#endif
