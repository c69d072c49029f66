/*
 * A small HTML reader for the HTML found in Markdown: start and end
 * tags with attributes (quoted values may span lines), text, comments.
 * Not a tree builder: the caller gets a flat token stream.
 */
#ifndef CAPSULED_HTML_H
#define CAPSULED_HTML_H

#include <stdbool.h>
#include <stddef.h>

enum html_kind {
	HTML_TEXT,	/* raw text, entities not decoded */
	HTML_START,	/* <name attr=...> or <name/> */
	HTML_END,	/* </name> */
	HTML_SKIP,	/* comment, doctype, processing instruction, or a
			 * whole <script>/<style> element */
};

#define HTML_NAME_MAX	16	/* longer tag names are cut */
#define HTML_ATTR_MAX	16	/* attributes kept per tag */

struct html_attr {
	char		 name[HTML_NAME_MAX];
	char		*value;		/* entities decoded */
};

struct html_token {
	enum html_kind	 kind;
	char		 name[HTML_NAME_MAX];	/* lower case */
	bool		 self_closing;
	struct html_attr attrs[HTML_ATTR_MAX];
	size_t		 nattrs;
	const char	*text;		/* HTML_TEXT: into the input */
	size_t		 len;
};

struct html_reader {
	const char	*p, *end;
	const char	*gt;		/* next '>' at or after p, or end */
};

void	html_reader_init(struct html_reader *, const char *, size_t);
/*
 * Read the next token into tok (free it with html_token_free).
 * Returns false at the end of the input.
 */
bool	html_next(struct html_reader *, struct html_token *);
void	html_token_free(struct html_token *);
/* The value of an attribute (name in lower case), NULL if absent. */
const char *html_attr(const struct html_token *, const char *name);
/* True for void elements and <x/>: no end tag is to be expected. */
bool	html_is_void(const struct html_token *);

#endif
