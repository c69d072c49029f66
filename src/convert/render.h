/*
 * The renderer's text units, shared by the md4c callbacks (markdown.c)
 * and the HTML reader (html-doc.c), and written by render.c.
 *
 * Inline content is collected into a "text unit" (a paragraph, a
 * heading, a list item's text, a definition term, a table): its text,
 * with '\n' marking hard breaks, and its link lines.  When the unit
 * ends, its lines are appended to the document, then its link lines.
 */
#ifndef CAPSULED_RENDER_H
#define CAPSULED_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include <md4c.h>

#include "core/core.h"
#include "model/model.h"
#include "html.h"
#include "kramdown.h"

/* Open spans tracked per unit; deeper ones are counted, not kept. */
#define RENDER_SPAN_MAX		64
/* HTML elements tracked by the HTML reader; deeper ones are counted. */
#define RENDER_HTML_MAX		256
#define RENDER_NONE		((size_t)-1)

struct mlink {
	char		*url;
	char		*label;		/* NULL: no label */
	unsigned	 line;		/* a figure's image: its line, or 0 */
};

enum span_kind {
	SPAN_LINK,	/* Markdown link */
	SPAN_IMG,	/* Markdown image: its text is the label */
	SPAN_HTML_A,	/* <a href> */
	SPAN_SUB,
	SPAN_SUP,
};

struct span {
	enum span_kind	 kind;
	size_t		 start;		/* offset of its text in the unit */
	bool		 space;		/* a space was due at the start */
	bool		 autolink;
	bool		 seen_text;
	char		*href;		/* target, for links and images */
	char		*img_label;	/* label of an image inside a link */
	char		*img_src;	/* its target, in a figure */
	size_t		 deco_start, deco_end; /* a decorative image's alt
					 * text in a link (end 0: none) */
	size_t		 nlinks;	/* the unit's links when it opened */
};

enum unit_kind {
	U_PARA,
	U_ITEM,
	U_HEADING,
	U_TERM,		/* a definition term */
	U_TABLE,
};

struct unit {
	enum unit_kind	 kind;
	bool		 active;
	struct buf	 text;		/* '\n' marks a hard break */
	bool		 space;		/* a space is due before more text */
	bool		 typo_after;	/* typography consumed the last char */
	size_t		 emoji_end;	/* text's end after jemoji's scan */
	size_t		 emoji_from;	/* where a name open there starts */
	struct mlink	*links;
	size_t		 nlinks, linkcap;
	size_t		*index;		/* hash of links by URL: i + 1, or 0 */
	size_t		 indexcap;	/* a power of two, or 0 */
	size_t		 nanchors;	/* links with a line, from text */
	size_t		 a_start, a_end;	/* text of the last of them */
	size_t		 first_start;	/* text of the first of them */
	size_t		 li;		/* U_ITEM of md4c: its frame */
	size_t		 owner;		/* HTML element whose text it is */
	char		 marker[16];	/* U_ITEM: "N." or "" */
	int		 depth;		/* U_ITEM: lists it is nested in */
	int		 level;		/* U_HEADING */
	struct span	 spans[RENDER_SPAN_MAX];
	size_t		 nspans;
	size_t		 lost;		/* Markdown spans beyond SPAN_MAX */
};

enum item_state {
	ITEM_PENDING,	/* the item's text is still to come */
	ITEM_OPEN,	/* the current unit is the item's text */
	ITEM_DONE,
};

struct frame {			/* an md4c block */
	MD_BLOCKTYPE	 type;
	unsigned	 next;		/* OL: number of the next item */
	enum item_state	 item;		/* LI */
	char		 marker[16];	/* LI: "N." or "" */
	bool		 placeholder;	/* CODE: an HTML placeholder */
	const char	*box;		/* LI: a task's box */
};

struct row {
	char		**cells;	/* lines joined by '\n' */
	size_t		 n, cap;
};

struct table {
	struct row	*rows;
	size_t		 nrows, rowcap;
	MD_ALIGN	*align;
	size_t		 nalign;
	unsigned	 heads;		/* header rows */
	size_t		 cell_start;	/* of the open cell in the unit */
	MD_ALIGN	 cell_align;
	bool		 in_cell;
	bool		 html;		/* from HTML: no made-up header */
};

/* An HTML element open, as the HTML reader sees it. */
struct helem {
	char		 name[HTML_NAME_MAX];
	unsigned char	 role;		/* html-doc.c's roles */
	bool		 used;		/* its text unit was written */
	bool		 counted;	/* it counts in quotes or lists */
	unsigned	 next;		/* a list: the next number */
	char		 marker[16];	/* an item: "N." or "" */
	int		 depth;		/* an item: lists around it */
	size_t		 frames;	/* md4c blocks open around it */
	char		 lang[16];	/* of the code it holds */
};

/* A figure being read: its images, then its caption. */
struct figure {
	bool		 open;
	struct mlink	*imgs;		/* url: raw src; label: alt */
	size_t		 nimgs, cap;
	char		*caption;
	struct mlink	*links;		/* of the caption */
	size_t		 nlinks;
	char		*href;		/* of a link around the figure */
};

struct hdoc {
	struct helem	 el[RENDER_HTML_MAX];
	size_t		 n;
	size_t		 lost;		/* elements beyond the stack */
	size_t		 skip;		/* elements open whose content is
					 * not shown */
	size_t		 pre;		/* <pre> open: its text is kept */
	struct buf	 pretext;
	char		*prealt;
	size_t		 table;		/* <table> open */
	size_t		 thead;		/* header rows so far */
	bool		 in_thead;
	bool		 row_th;	/* the row has only <th> so far */
	bool		 row_heads;	/* all rows so far are header rows */
	char		*caption;	/* of the table */
	size_t		 caption_start;	/* its text in the unit */
	struct figure	 fig;
	size_t		 next_html;	/* the placeholder expected next */
	bool		 feeding;	/* reading a placeholder's HTML */
	size_t		 iskip;		/* inline: skipped elements open */
	size_t		 icode;		/* inline: <code> and <tt> open */
	char		 iskip_name[HTML_NAME_MAX];
};

struct render {
	const struct convert_env *env;
	struct doc	*doc;
	const char	*src;		/* what md4c parses */
	size_t		 srclen;
	struct linemap	 map;		/* the lines of src in the file */
	size_t		 pos;		/* a source offset reached ... */
	unsigned	 line;		/* ... and its line, from 0 */
	unsigned	 html_line;	/* in the file, while HTML is read */
	enum {
		DEEP_NO,
		DEEP_PENDING,	/* report at the next text, for its line */
		DEEP_REPORTED,
	}		 deep;		/* nesting beyond BLOCKS_WARN */
	bool		 brk;		/* the next line starts a block */
	bool		 term;		/* the last line written is a term */
	const char	*prefix;	/* footnote number, before the text */
	struct frame	*frames;
	size_t		 nframes, framecap;
	size_t		 quotes, lists;	/* open containers */
	struct unit	 u;
	struct buf	 html;		/* inline HTML chunks to join */
	struct buf	 block;		/* code block text */
	size_t		 indent;	/* code: indentation md4c made up */
	char		*code_alt;
	struct table	 tab;
	const unsigned	*heads;		/* header rows per table */
	size_t		 nheads, tableno;
	const struct kramdown_html *hblocks;	/* HTML the pass took out */
	size_t		 nhblocks;
	struct hdoc	 hd;
	const char	*quotes_utf8[4];	/* lsquo rsquo ldquo rdquo */
	bool		 code_span;	/* its opening backtick is due */
	bool		 math_span;	/* a code span that is inline math */
};

/* render.c: text. */
bool	 render_is_space(char);
size_t	 render_blank_at(const char *, size_t);
char	*render_collapse_dup(const char *, size_t);
void	 render_append_text(struct buf *, const char *, size_t);

/* render.c: units. */
bool	 render_in_src(const struct render *, const char *);
unsigned render_cur_line(const struct render *);
#define TEXT_TYPO	0x1	/* kramdown's typography, smart quotes */
#define TEXT_EMOJI	0x2	/* jemoji's names (text, not code) */
void	 render_unit_text(struct render *, const char *, size_t,
	    unsigned how);
void	 render_unit_raw(struct unit *, const char *, size_t);
void	 render_unit_break(struct unit *);
void	 render_unit_begin(struct render *, enum unit_kind);
struct unit *render_active_unit(struct render *);
void	 render_unit_end(struct render *);
void	 render_unit_clear(struct unit *);
bool	 render_unit_blank(const struct unit *);
void	 render_block_done(struct render *);
void	 render_flush_prefix(struct render *);
void	 render_mlinks_free(struct mlink *, size_t);

/* render.c: links and spans. */
char	*render_map_target(struct render *, const char *);
bool	 render_add_link(struct render *, const char *target,
	    const char *label);
char	*render_image_label(const char *src);
void	 render_image(struct render *, const char *src, const char *label,
	    size_t start);
struct span *render_span_push(struct unit *, enum span_kind, const char *);
size_t	 render_span_find(const struct unit *, enum span_kind);
void	 render_span_close(struct render *, size_t);
void	 render_spans_drop(struct unit *, size_t);
void	 render_tell_link(struct unit *, const char *label);
void	 render_tell_decor(struct unit *, size_t start);

/* render.c: lines. */
void	 render_emit_line(struct render *, enum line_kind, const char *,
	    const char *marker);
void	 render_emit_links(struct render *);
void	 render_emit_pre(struct render *, const char *alt, const char *);

/* render.c: tables. */
void	 render_table_begin(struct render *, unsigned heads);
void	 render_row_begin(struct render *);
void	 render_cell_begin(struct render *, MD_ALIGN);
void	 render_cell_end(struct render *);
void	 render_table_emit(struct render *);
void	 render_table_free(struct table *);

/* html-doc.c: HTML read into text units. */
void	 html_doc_flush(struct render *);
void	 html_doc_feed(struct render *, const char *, size_t, unsigned);
void	 html_doc_placeholder(struct render *, const char *info);
void	 html_doc_finish(struct render *);
enum unit_kind html_doc_unit_kind(struct render *, int *level,
	    size_t *owner);
void	 html_doc_unit_done(struct render *, size_t owner);
unsigned html_doc_emoji(const struct render *);
void	 html_doc_free(struct render *);
bool	 html_doc_decorative(const char *src, const char *alt,
	    const char *href);
const char *html_doc_enclosing_link(const struct unit *);

#endif
