/*
 * The document model: what every Markdown file becomes, and what both
 * writers (gemtext for Gemini, wrapped text and menus for Gopher) read.
 *
 * A document is a flat list of lines of the kinds text/gemini knows.
 * Lines are grouped into blocks: a line with `starts_block` set is
 * separated from the previous one by exactly one blank line (the list
 * items of one list and the link lines after a text unit are not).
 */
#ifndef CAPSULED_DOC_H
#define CAPSULED_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

enum line_kind {
	LINE_TEXT,	/* a paragraph or other text unit, one line */
	LINE_LINK,	/* => url [label] */
	LINE_HEADING,	/* level 1 to 6; gemtext shows 4 to 6 as 3 */
	LINE_ITEM,	/* list item; marker "3." for ordered, NULL bullet;
			 * nested ones have a depth */
	LINE_QUOTE,	/* > text */
	LINE_PRE,	/* preformatted block: text holds all its lines */
};

struct line {
	enum line_kind	 kind;
	bool		 starts_block;
	int		 level;		/* LINE_HEADING: 1..6 */
	char		*text;		/* text, label (may be NULL), pre body */
	char		*url;		/* LINE_LINK */
	char		*alt;		/* LINE_PRE alt text (may be NULL) */
	char		*marker;	/* LINE_ITEM: "N." or NULL */
	int		 depth;		/* LINE_ITEM: lists it is nested in */
};

struct doc {
	struct line	*lines;
	size_t		 n, cap;
	size_t		 nnotes;	/* footnotes, numbered [1]..[nnotes] */
};

/*
 * Append a line; the strings are copied.  Empty or NULL optional
 * fields are stored as NULL.
 */
struct line	*doc_add(struct doc *, enum line_kind, bool starts_block,
		    const char *text);
struct line	*doc_add_link(struct doc *, bool starts_block, const char *url,
		    const char *label);
struct line	*doc_add_heading(struct doc *, int level, const char *text);
struct line	*doc_add_pre(struct doc *, const char *alt, const char *body);
/* Move every line of src to the end of dst; src is left empty. */
void		 doc_append(struct doc *dst, struct doc *src);
/* A copy of src's lines appended to dst (src unchanged). */
void		 doc_append_copy(struct doc *dst, const struct doc *src);
void		 doc_free(struct doc *);

/*
 * The mark of an item nested depth (1..) lists deep: "◦", then "▪",
 * as a browser's bullets; "" at the top.
 */
const char	*doc_item_mark(int depth);

/* Write the document as text/gemini (CONVERSION.md section 5.2). */
void		 doc_write_gemtext(const struct doc *, struct buf *);

#endif
