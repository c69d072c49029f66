/*
 * The kramdown pass (CONVERSION.md 5.5): the kramdown layer md4c does
 * not know, rewritten into CommonMark/GFM before md4c sees the text.
 * ToC markers and IAL lines are removed, footnotes extracted, kramdown
 * tables normalised to GFM, risky link destinations wrapped in <...>.
 */
#ifndef CAPSULED_KRAMDOWN_H
#define CAPSULED_KRAMDOWN_H

#include <stddef.h>

#include "diag.h"

struct footnote {
	char		*label;		/* as written, without [^ ] */
	char		*text;		/* Markdown, continuation de-indented */
	unsigned	 line;		/* of the definition, in the file */
	int		 number;	/* 1.. by first reference */
};

struct kramdown_out {
	char		*markdown;	/* text for md4c */
	size_t		 len;
	/* Referenced footnotes, in number order; references in the text
	 * were replaced by "\[N\]". */
	struct footnote	*notes;
	size_t		 nnotes;
	/* Per GFM table in document order: how many rows were header
	 * rows in the kramdown source (the first is GFM's header). */
	unsigned	*table_heads;
	size_t		 ntables;
	/* The link reference definitions of the text, one per line, to be
	 * appended to each footnote's text when it is parsed. */
	char		*refdefs;
};

void	kramdown_pass(const char *src, size_t len, const char *file,
	    unsigned first_line, struct diags *, struct kramdown_out *);
void	kramdown_out_free(struct kramdown_out *);

#endif
