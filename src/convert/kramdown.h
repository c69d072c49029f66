/*
 * The kramdown pass (CONVERSION.md 5.5): the kramdown layer md4c does
 * not know, rewritten into CommonMark/GFM before md4c sees the text.
 * ToC markers and IAL lines are removed, footnotes extracted, kramdown
 * tables normalised to GFM, risky link destinations wrapped in <...>.
 *
 * Code (fenced, indented, also inside list items) and code spans are
 * never rewritten.  HTML blocks end where kramdown ends them (at the
 * matching end tag, not at a blank line): each is taken out of the
 * text (`html`) and a placeholder left for the renderer, a fenced code
 * block with the info string KRAMDOWN_HTML_INFO and its number.  The
 * content of an element with markdown="1" (or block, span) stays in
 * the text, between the placeholders of its start and end tags.
 * Removed lines (ToC, IAL/ALD lines, footnote and abbreviation
 * definitions, comments) are replaced by empty lines, so that the text
 * keeps its line count and paragraphs stay apart; tables, math blocks
 * and placeholders change the number of lines (see `lines`).
 */
#ifndef CAPSULED_KRAMDOWN_H
#define CAPSULED_KRAMDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

struct kramdown_opts;		/* convert.h */

struct footnote {
	char		*label;		/* as written, without [^ ] */
	char		*text;		/* Markdown, continuation de-indented;
					 * its line i is file line line + i */
	unsigned	 line;		/* of the definition, in the file */
	int		 number;	/* 1.. by first reference */
};

/* The info string of a placeholder, then " N". */
#define KRAMDOWN_HTML_INFO	"capsuled-html"

/* A piece of HTML the renderer reads whole, in document order. */
struct kramdown_html {
	char		*text;
	size_t		 len;
	unsigned	 line;		/* where it starts, in the file */
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
	struct kramdown_html *html;	/* placeholder N is html[N] */
	size_t		 nhtml;
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
	    const struct linemap *, const struct kramdown_opts *,
	    struct diags *, struct kramdown_out *);
void	kramdown_out_free(struct kramdown_out *);

/*
 * kramdown-html.c: HTML as kramdown's parser reads it, for the pass.
 */
#define KRAMDOWN_NAME_MAX	16	/* longer names are cut */
#define KRAMDOWN_TAG_MAX	16384	/* longer tags are text */

enum kramdown_markdown {	/* the markdown attribute */
	KD_MD_NONE,		/* absent, or another value */
	KD_MD_RAW,		/* "0" */
	KD_MD_DEFAULT,		/* "1": the element's content model */
	KD_MD_SPAN,
	KD_MD_BLOCK,
};

enum kramdown_model {		/* how an element's content is parsed */
	KM_RAW,
	KM_BLOCK,
	KM_SPAN,
};

struct kramdown_tag {
	char			 name[KRAMDOWN_NAME_MAX];	/* lower case */
	bool			 closed;	/* <x/> */
	enum kramdown_markdown	 markdown;
};

/*
 * The pass's own state, shared by kramdown.c (the block scanner),
 * kramdown-emit.c (the text for md4c, tables), kramdown-span.c (inline
 * rewrites) and kramdown-html.c.
 */
#define KRAMDOWN_NONE	SIZE_MAX

enum kramdown_kind {
	KD_TEXT,	/* inline rewrites apply */
	KD_BLANK,
	KD_CODE,	/* fenced or indented code, fence lines: verbatim */
	KD_DROP,	/* ToC, IAL, definitions, comments: an empty line */
	KD_TABLE,	/* kramdown table row or rule */
	KD_HTML,	/* HTML for the renderer: a placeholder */
	KD_MATH,	/* a math block: its TeX */
	KD_TERM,	/* a definition term */
	KD_SPAN,	/* span-level content of an HTML element */
};

struct kramdown_phys {		/* a line of the text */
	size_t		 off, len;	/* without the newline */
	bool		 nl;
};

struct kramdown_seg {		/* what the scanner cut the text into */
	size_t		 off, len;	/* in the text, or in synth */
	size_t		 line, last;	/* physical lines it spans */
	enum kramdown_kind kind;
	bool		 unit_start;	/* a block starts here */
	bool		 remainder;	/* starts after HTML on its line */
	bool		 def;		/* a definition: ':' read as '-' */
	bool		 refdef;	/* a link reference definition */
	bool		 item;		/* a list item's first line */
	bool		 synth;		/* text in synth, not the source */
	bool		 ol;		/* an ordered item: numbered by md4c
					 * from 1, or from ol_start */
	unsigned	 ol_start;	/* {: start="N"} after its list */
	unsigned	 indent;	/* columns of its list item, for what
					 * the pass writes in its place */
};

struct kramdown_fndef {
	char		*label;
	struct buf	 text;
	unsigned	 line;
	int		 number;	/* 0 until referenced */
	int		 dup;		/* a second definition, ignored */
};

struct kramdown_ctx {
	const char	*src;
	size_t		 len;
	const char	*file;
	const struct linemap *map;	/* the lines of src in the file */
	struct diags	*diags;

	struct kramdown_phys *phys;
	size_t		 nphys, capphys;
	struct kramdown_seg *segs;
	size_t		 nsegs, capsegs;
	struct buf	 synth;		/* text of synthetic segments */
	unsigned	 base;		/* content column of the list item
					 * the scanner is in */

	struct kramdown_fndef *defs;
	size_t		 ndefs, capdefs;
	size_t		*htab;		/* def index + 1, 0 when empty */
	size_t		 hcap;
	size_t		*order;		/* defs by footnote number */
	size_t		 norder, caporder;

	struct buf	 out;
	int		 out_blank;	/* last emitted line is empty */
	unsigned	*outlines;
	size_t		 noutlines, capoutlines;
	unsigned	*heads;
	size_t		 ntables, capheads;
	struct kramdown_html *html;
	size_t		 nhtml, caphtml;
	struct buf	 refdefs;

	size_t		*ticks;		/* inline: last backtick run by length */
	size_t		 capticks;
};

struct scan;
struct cursor;

/* kramdown.c */
size_t	kramdown_def_find(const struct kramdown_ctx *, const char *, size_t);
void	kramdown_html_open(struct kramdown_ctx *, struct scan *,
	    struct cursor *, const struct kramdown_tag *, size_t, bool top);
/* kramdown-emit.c */
void	kramdown_emit(struct kramdown_ctx *);
void	kramdown_synthetic(struct kramdown_ctx *, size_t line,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool	kramdown_table_line(struct kramdown_ctx *, const char *, size_t);
bool	kramdown_table_rule(const char *, size_t);
size_t	kramdown_table_body(struct kramdown_ctx *, size_t from, size_t to);
/* kramdown-span.c */
void	kramdown_inline(struct kramdown_ctx *, const char *, size_t,
	    unsigned line, struct buf *);
size_t	kramdown_footnote_label(const char *, size_t);
void	kramdown_refdef(const char *, size_t, struct buf *);
void	kramdown_finish_notes(struct kramdown_ctx *, struct kramdown_out *);
/* The code spans of one piece of inline text, found in linear time. */
struct kramdown_spans {
	struct kramdown_ctx *k;
	const char	*s;
	size_t		 n;
	int		 scanned_all;
};
void	kramdown_spans_init(struct kramdown_spans *, struct kramdown_ctx *,
	    const char *, size_t);
size_t	kramdown_spans_skip(struct kramdown_spans *, size_t i);
/* Inline math is written as a code span that starts with this byte. */
#define KRAMDOWN_MATH_MARK	'\x1f'

/* kramdown-html.c */
void	kramdown_trim(const char **, size_t *);
const char *kramdown_find(const char *, size_t, const char *needle);
size_t	kramdown_raw_text_end(const struct kramdown_ctx *, size_t from,
	    const char *name);
bool	kramdown_item_ends(const struct kramdown_ctx *, unsigned base,
	    size_t from, size_t *to);
size_t	kramdown_start_tag(const char *, size_t, struct kramdown_tag *);
size_t	kramdown_end_tag(const char *, size_t, char name[KRAMDOWN_NAME_MAX]);
size_t	kramdown_comment(const char *, size_t);
enum kramdown_markdown kramdown_markdown_attr(const char *, size_t);
bool	kramdown_span_element(const char *name);
bool	kramdown_void_element(const char *name);
enum kramdown_model kramdown_content_model(const char *name);

#endif
