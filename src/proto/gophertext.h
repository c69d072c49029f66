/*
 * The Gopher writers (CONVERSION.md section 6): the document model as a
 * type 0 text (wrapped at 70 columns, numbered link references) and as
 * a type 1 menu (the same text as info lines, every link a real item),
 * plus the menu primitives the generated menus are made of.
 *
 * CRLF line ends; a text has its lines starting with "." doubled and
 * ends with the "." line; a menu is left open for the caller to add
 * items and end it with gmenu_end().
 */
#ifndef CAPSULED_GOPHERTEXT_H
#define CAPSULED_GOPHERTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"
#include "core/core.h"

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
char	gopher_type_for_path(const char *path);

/*
 * A menu kept as a recipe over a text: the lines the two share are read
 * from the text when the menu is asked for, so that the menu costs
 * little more than its items.
 */
struct gmenu_recipe {
	struct buf	 ops;		/* the recipe so far (gophertext.c) */
	size_t		 len;		/* of the menu it makes */
	size_t		 run, run_end;	/* text lines shared, not in ops yet */
	size_t		 lit;		/* open record of menu lines */
};

/* The route type of a recipe: a menu, made when asked for. */
#define GMENU_RECIPE	"1 recipe"

void		 grecipe_init(struct gmenu_recipe *);
/* Where to write menu lines of the recipe's own (gmenu_item...). */
struct buf	*grecipe_lines(struct gmenu_recipe *);
/*
 * Complete the recipe for a menu over the text at text (its final
 * place, which must outlive the recipe): ops holds its bytes.
 */
void		 grecipe_finish(struct gmenu_recipe *, const char *text);
/* The menu a recipe makes (a new string of *lenp bytes). */
char		*gmenu_expand(const char *recipe, size_t len, size_t *lenp);

/*
 * The document as a complete type 0 text, and with recipe, the lines of
 * its menu (text as info lines, every link a real item) into recipe.
 */
void	gophertext_doc(const struct doc *, const struct gopher_render *,
	    struct buf *text, struct gmenu_recipe *recipe);
/* The document as a complete type 0 text / as the lines of a menu. */
void	gophertext_text(const struct doc *, const struct gopher_render *,
	    struct buf *);
void	gophertext_menu(const struct doc *, const struct gopher_render *,
	    struct buf *);

/*
 * Raw text (a static .txt or .gmi file) as a type 0 text: CRLF line
 * ends, dot-stuffing and the final "." line; nothing wrapped.
 */
void	gophertext_plain(const char *text, size_t len, struct buf *);

/* Menu lines.  Display strings are sanitised (no TAB, CR or LF). */
void	gmenu_info(struct buf *, const char *text);	/* wrapped */
void	gmenu_item(struct buf *, char type, const char *display,
	    const char *selector, const char *host, int port);
void	gmenu_end(struct buf *);

#endif
