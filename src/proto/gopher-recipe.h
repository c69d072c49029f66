/*
 * Menu recipes: a menu kept as references to the lines of a text.
 */
#ifndef CAPSULED_GOPHER_RECIPE_H
#define CAPSULED_GOPHER_RECIPE_H

#include <stddef.h>

#include "core/core.h"

/*
 * A menu kept as a recipe over a text: the lines the two share are read
 * from the text when the menu is asked for, so that the menu costs
 * little more than its items.
 */
struct gopher_recipe {
	struct buf	 ops;		/* the recipe so far */
	size_t		 len;		/* of the menu it makes */
	size_t		 run, run_end;	/* text lines shared, not in ops yet */
	size_t		 lit;		/* open record of menu lines */
};

void		 gopher_recipe_init(struct gopher_recipe *);
/* Where to write menu lines of the recipe's own (gopher_menu_item...). */
struct buf	*gopher_recipe_lines(struct gopher_recipe *);
/*
 * Complete the recipe for a menu over the text at text (its final
 * place, which must outlive the recipe): ops holds its bytes.
 */
void		 gopher_recipe_finish(struct gopher_recipe *, const char *text);
/* The menu a recipe makes (a new string of *lenp bytes). */
char		*gopher_recipe_expand(const char *recipe, size_t len,
		    size_t *lenp);

#endif
