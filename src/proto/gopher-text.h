/*
 * The Gopher text writer (CONVERSION.md section 6): the document model as
 * a type 0 text (wrapped at 70 columns, numbered link references) and as
 * a type 1 menu (the same text as info lines, every link a real item).
 *
 * CRLF line ends; a text has its lines starting with "." doubled and
 * ends with the "." line; a menu is left open for the caller to add
 * items and end it with gopher_menu_end().
 */
#ifndef CAPSULED_GOPHER_TEXT_H
#define CAPSULED_GOPHER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "model/model.h"
#include "gopher-recipe.h"

#define GOPHER_WIDTH	70	/* columns of text and of menu displays */

/*
 * Where the items point.  host is the public Gopher host name (never an
 * IPv6 literal), port the public Gopher port.  resolve maps a capsule
 * target (a root-relative path, fragment removed, percent-decoded) to
 * its item type and a new selector string; it returns false when the
 * path is not part of the capsule.  NULL resolve: types by file name,
 * selector = path.
 */
struct gopher_render {
	const char	*host;
	int		 port;
	bool		(*resolve)(void *ctx, const char *path, char *type,
			    char **selector);
	void		*ctx;
};

/*
 * The document as a complete type 0 text, and with recipe, the lines of
 * its menu (text as info lines, every link a real item) into recipe.
 */
void	gopher_text_doc(const struct doc *, const struct gopher_render *,
	    struct buf *text, struct gopher_recipe *recipe);
/* The document as a complete type 0 text / as the lines of a menu. */
void	gopher_text_write(const struct doc *, const struct gopher_render *,
	    struct buf *);
void	gopher_text_menu(const struct doc *, const struct gopher_render *,
	    struct buf *);

/*
 * Raw text (a static .txt or .gmi file) as a type 0 text: CRLF line
 * ends, dot-stuffing and the final "." line; nothing wrapped.
 */
void	gopher_text_plain(const char *text, size_t len, struct buf *);

/* text as info lines of a menu, wrapped at GOPHER_WIDTH columns. */
void	gopher_text_info(struct buf *, const char *text);

#endif
