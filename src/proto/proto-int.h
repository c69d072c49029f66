/*
 * Shared by the files of src/proto/ beyond proto.h: the line primitives
 * of the Gopher writers.
 */
#ifndef CAPSULED_PROTO_INT_H
#define CAPSULED_PROTO_INT_H

#include "proto.h"

#define GOPHER_TABSTOP	8
#define GOPHER_INFO_END	"\tfake\t(NULL)\t0\r\n"	/* of every info line */

/*
 * gopher-menu.c.  clean appends s[0..len) with its control characters
 * made harmless (field: TAB, CR and LF too); info_line and text_line
 * append a whole line of each kind; decimal writes n to end at end and
 * returns where it starts; expand_tabs writes s with its TABs expanded
 * at d (unless NULL) and returns the length.
 */
void	gopher_menu_clean(struct buf *, const char *s, size_t len,
	    bool field);
void	gopher_menu_info_line(struct buf *, const char *s, size_t len);
void	gopher_menu_text_line(struct buf *, const char *s, size_t len);
char	*gopher_menu_decimal(char *end, size_t n);
void	gopher_menu_port(struct buf *, int port);
size_t	gopher_menu_expand_tabs(char *d, const char *s, size_t len);
/* gopher-recipe.c: the text's line from a to b is a line of the menu. */
void	gopher_recipe_share(struct gopher_recipe *, const char *text,
	    size_t a, size_t b);
/* gopher-item.c: gopher://host[:port]/Tselector, percent-encoded. */
void	gopher_item_url(const struct gopher_item *, struct buf *);

#endif
