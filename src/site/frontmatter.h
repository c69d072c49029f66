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
 * A source's front matter: every key in data (a hash, as Psych reads
 * it), and the keys the site layer reads, taken from it in every shape
 * Jekyll accepts.  title and author are display strings, whitespace
 * collapsed (author: a string, a map's name, the names of a list);
 * categories are the plural key (a list, or a string split at
 * whitespace) then the singular one; tags the singular key, else the
 * plural (Jekyll's pluralized_array_from_hash); names unique.
 */
struct frontmatter {
	struct value	 *data;		/* the hash; NULL without a block */
	char		 *title;
	char		 *date;		/* "YYYY-MM-DD" of time, or NULL */
	struct value_time time;		/* when date: in the local zone */
	struct value_time modified_at;	/* last_modified_at, when modified */
	bool		  modified;
	char		 *author;
	char		 *excerpt;
	unsigned	  excerpt_line;
	char		 *lang;
	char		 *permalink;
	char		 *layout;
	char		**categories;
	size_t		  ncategories;
	char		**tags;
	size_t		  ntags;
	bool		  unpublished;	/* published: false */
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
/* Any key, known or not: a borrowed value or NULL. */
const struct value *frontmatter_get(const struct frontmatter *,
	    const char *key);
void	frontmatter_free(struct frontmatter *);

/*
 * Jekyll's front matter defaults: the keys of defaults (a hash) that
 * the front matter lacks are added, and the known keys taken again.
 */
void	frontmatter_merge(struct frontmatter *, const struct value *defaults,
	    const char *file, struct diags *);
/* A scalar as Ruby's to_s prints it; NULL for nil, a list or a map. */
char	*frontmatter_string(const struct value *);
/* An author's display name (string, map with name, list): or NULL. */
char	*frontmatter_author(const struct value *);
/*
 * Append the names of v, unique, to *listp (NULL-terminated): a list's
 * items (nested lists flattened), a scalar (split at whitespace when
 * split).
 */
void	frontmatter_names(const struct value *, bool split, char ***listp,
	    size_t *np);
/* Append s[0..n) to *listp unless there already. */
void	frontmatter_name_add(char ***listp, size_t *np, const char *s,
	    size_t n);
/* A date as Jekyll reads one (a YAML time, or Time.parse of text). */
bool	frontmatter_time(const struct value *, struct value_time *);
/* t's YYYY-MM-DD in its own offset. */
void	frontmatter_ymd(const struct value_time *, char out[11]);

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
