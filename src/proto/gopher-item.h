/*
 * Menu items: what a link target becomes in a menu, and the item type
 * of a file.
 */
#ifndef CAPSULED_GOPHER_ITEM_H
#define CAPSULED_GOPHER_ITEM_H

#include <stdbool.h>

#include "gopher-text.h"

/* What a link target becomes in a menu. */
struct gopher_item {
	char		 type;
	char		*selector;
	char		*host;
	int		 port;
	bool		 capsule;	/* served by us, from the snapshot */
};

/* Classify any link target (capsule path, gopher://, other URL). */
void	gopher_item_for(const struct gopher_render *, const char *url,
	    struct gopher_item *);
void	gopher_item_free(struct gopher_item *);

/*
 * Item type of a file by its MIME type (mime.h): g for image/gif, I for
 * other images, 0 for any text/ type (text/gemini too), 9 for the rest;
 * 1 for a path ending in "/".
 */
char	gopher_item_type(const char *path);

/* The selector of post p's text, /posts/NAME.txt, or of its menu. */
char	*gopher_post_selector(const struct post *p, bool menu);

#endif
