/*
 * The answers to a search (search.h): Gemini's /search?QUERY page and
 * the menu of Gopher's type 7 item /search, the matching posts best
 * first, each with its date, title and an excerpt around the match.
 */
#ifndef CAPSULED_SEARCH_PAGE_H
#define CAPSULED_SEARCH_PAGE_H

#include <stddef.h>

#include "core/core.h"
#include "model/model.h"
#include "gopher.h"

/* Gemini's path and Gopher's selector of the search. */
#define SEARCH_PATH	"/search"

/*
 * The results of the reader's text q[0..len) (UTF-8) in snap->search,
 * which is not NULL, as a gemtext page / a whole menu, into out; on
 * anything but SEARCH_OK out is left as it was.
 */
enum search_status search_page_gemtext(const struct snapshot *,
		    const char *q, size_t len, struct buf *out);
enum search_status search_page_menu(const struct snapshot *,
		    const struct gopher_host *, const char *q, size_t len,
		    struct buf *out);
/* The type 7 item that asks for a search. */
void		 search_page_prompt(const struct gopher_host *, struct buf *);

#endif
