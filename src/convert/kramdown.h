/*
 * The kramdown pass (CONVERSION.md 5.5): the kramdown layer md4c does
 * not know, rewritten into CommonMark/GFM before md4c sees the text.
 * ToC markers and IAL lines are removed, footnotes extracted, kramdown
 * tables normalised to GFM, risky link destinations wrapped in <...>.
 *
 * Code (fenced, indented, also inside list items), HTML blocks and code
 * spans are never rewritten.  Removed lines (ToC item and its {:toc},
 * IAL/ALD lines, footnote definitions) are replaced by empty lines, so
 * that the text keeps its line count and paragraphs stay apart; only
 * tables change the number of lines (rules dropped, an alignment row
 * and empty lines around added; see `lines`).
 */
#ifndef CAPSULED_KRAMDOWN_H
#define CAPSULED_KRAMDOWN_H

#include <stddef.h>

#include "core/core.h"

struct footnote {
	char		*label;		/* as written, without [^ ] */
	char		*text;		/* Markdown, continuation de-indented;
					 * its line i is file line line + i */
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
	/*
	 * Per GFM table in document order: how many rows were header rows
	 * in the kramdown source.  GFM has one header row: with N > 1, the
	 * first N - 1 body rows are header rows too.  With 0 (a kramdown
	 * table without a rule after its first rows, or whose only rule
	 * closes it), the GFM header row is an empty row made up by the
	 * pass, which the renderer must not print.  Every
	 * row has the same number of cells; the alignment row comes from
	 * the kramdown header rule (":-" left, "-:" right, ":-:" centre).
	 */
	unsigned	*table_heads;
	size_t		 ntables;
	/* The link reference definitions of the text, one per line, to be
	 * appended to each footnote's text when it is parsed. */
	char		*refdefs;
	/*
	 * Extension: lines[i] is the line in the file of line i of
	 * markdown (nlines of them), for diagnostics about the text.
	 */
	unsigned	*lines;
	size_t		 nlines;
};

/*
 * Never fails.  Warnings go to diags with file and line (map gives the
 * line in the file of each line of src; lines of out->markdown are
 * mapped through it): a footnote defined but never
 * referenced (dropped), referenced but not defined (left literal as
 * "\[^x\]"), defined twice (the first wins), a table of more than 128
 * columns (md4c's limit; left as text).
 */
void	kramdown_pass(const char *src, size_t len, const char *file,
	    const struct linemap *, struct diags *, struct kramdown_out *);
void	kramdown_out_free(struct kramdown_out *);

#endif
