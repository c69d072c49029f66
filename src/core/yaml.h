/*
 * YAML read with libyaml: the top-level keys of a document, each with
 * its scalar or the scalars of its sequence, for the settings file,
 * front matter and _config.yml.
 */
#ifndef CAPSULED_YAML_H
#define CAPSULED_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/*
 * A top-level key whose value is a scalar or a sequence of scalars.  A
 * null value (`excerpt:`) has no values.  Deeper structure is skipped:
 * a mapping or an alias (never expanded) is kept with no values, and a
 * sequence keeps only its scalar items (none for a list of maps).
 */
struct yaml_entry {
	char		 *key;
	char		**values;	/* one for a scalar, n for a sequence */
	size_t		  nvalues;
	bool		  is_sequence;
	bool		  is_mapping;	/* a mapping or an alias */
	unsigned	  line;		/* of the key, 1-based, in the file */
	unsigned	 *lines;	/* of each item of a sequence */
};

/*
 * Parse YAML text whose first line is line0 of file into *vp (*np
 * entries).  A key given twice: with last_wins, reported (a warning)
 * and the last one kept, as Jekyll does; otherwise both are kept, in
 * order, for the caller to judge.  Every problem goes to diags with its
 * line and column; -1 (nothing kept) when the text is not YAML, not a
 * mapping, too large or too deep.
 */
int	yaml_read(const char *text, size_t len, const char *file,
	    unsigned line0, bool last_wins, struct yaml_entry **vp, size_t *np,
	    struct diags *);
/* The entry of key among n, or NULL. */
struct yaml_entry *yaml_entries_find(struct yaml_entry *, size_t n,
	    const char *key);
/* The first value of key among n, or NULL. */
const char *yaml_entries_get(const struct yaml_entry *, size_t n,
	    const char *key);
/*
 * Report libyaml's error of a parser over text (line0 of file) at its
 * line and column, with libyaml's words.
 */
struct yaml_parser_s;
void	yaml_report(const struct yaml_parser_s *, const char *text,
	    const char *file, unsigned line0, struct diags *);
void	yaml_entries_free(struct yaml_entry *, size_t n);
/* Free what an entry holds; it is left empty. */
void	yaml_entry_clear(struct yaml_entry *);

#endif
