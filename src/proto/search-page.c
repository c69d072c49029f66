/*
 * The answers to a search of the snapshot's index: a gemtext page
 * (Gemini's /search?QUERY) and a menu (Gopher's type 7 item), the
 * matching posts best first, each with its date, title and excerpt.
 */
#include <stdlib.h>
#include <string.h>

#include "proto-int.h"

/* The posts matching q (UTF-8 text): their hits, or why there are none. */
static enum search_status
hits_of(const struct snapshot *snap, const char *q, size_t len,
    struct search_hit **hits, size_t *n, bool *more)
{
	const struct post	*p;
	const struct route	*r;
	enum search_status	 st;
	size_t			 i, kept = 0;

	st = search_query(snap->search, q, len, SEARCH_MAX_HITS, hits, n,
	    more);
	/* An id is always a post of this snapshot; a check costs nothing. */
	for (i = 0; st == SEARCH_OK && i < *n; i++) {
		if ((*hits)[i].id >= snap->nposts)
			continue;
		p = &snap->posts[(*hits)[i].id];
		r = routes_find(&snap->gemini, p->path, strlen(p->path));
		(*hits)[i].excerpt = search_excerpt(q, len, r ? r->body : "",
		    r ? r->len : 0, p->excerpt);
		(*hits)[kept++] = (*hits)[i];
	}
	if (st == SEARCH_OK)
		*n = kept;
	return st;
}

/* "3 posts match", "No post matches", "The 50 best of the posts that match". */
static void
count_line(struct buf *b, size_t n, bool more)
{
	if (more)
		buf_printf(b, "The %zu best of the posts that match", n);
	else if (n == 0)
		buf_puts(b, "No post matches");
	else
		buf_printf(b, "%zu post%s match%s", n, n == 1 ? "" : "s",
		    n == 1 ? "es" : "");
}

/* The reader's text on one line: control characters as spaces. */
static void
put_query(struct buf *b, const char *q, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		buf_putc(b, (unsigned char)q[i] < ' ' || q[i] == 0x7f ? ' ' :
		    q[i]);
}

enum search_status
search_page_gemtext(const struct snapshot *snap, const char *q, size_t len,
    struct buf *out)
{
	struct search_hit	*hits;
	const struct post	*p;
	enum search_status	 st;
	size_t			 n, i;
	bool			 more;

	if ((st = hits_of(snap, q, len, &hits, &n, &more)) != SEARCH_OK)
		return st;
	buf_puts(out, "# Search\n\n");
	count_line(out, n, more);
	buf_puts(out, " \xe2\x80\x9c");
	put_query(out, q, len);
	buf_puts(out, n > 0 ? "\xe2\x80\x9d, best first:\n" :
	    "\xe2\x80\x9d.\n");
	for (i = 0; i < n; i++) {
		p = &snap->posts[hits[i].id];
		buf_printf(out, "\n=> %s %s \xc2\xb7 ", p->url,
		    p->date ? p->date : "undated");
		put_query(out, p->title ? p->title : p->name,
		    strlen(p->title ? p->title : p->name));
		buf_putc(out, '\n');
		if (hits[i].excerpt[0] != '\0')
			buf_printf(out, "> %s\n", hits[i].excerpt);
	}
	buf_puts(out, "\n=> /search Search again\n=> / Home\n");
	search_hits_free(hits, n);
	return SEARCH_OK;
}

enum search_status
search_page_menu(const struct snapshot *snap, const struct gopher_host *gh,
    const char *q, size_t len, struct buf *out)
{
	struct search_hit	*hits;
	const struct post	*p;
	const char		*host;
	enum search_status	 st;
	struct buf		 line = BUF_INIT;
	size_t			 n, i;
	char			*sel;
	bool			 more;

	if ((st = hits_of(snap, q, len, &hits, &n, &more)) != SEARCH_OK)
		return st;
	host = gopher_public_host(gh->name, gh->hostname);
	count_line(&line, n, more);
	buf_puts(&line, " \xe2\x80\x9c");
	put_query(&line, q, len);
	buf_puts(&line, n > 0 ? "\xe2\x80\x9d, best first:" :
	    "\xe2\x80\x9d.");
	gopher_text_info(out, line.data);
	for (i = 0; i < n; i++) {
		p = &snap->posts[hits[i].id];
		gopher_text_info(out, "");
		buf_truncate(&line, 0);
		buf_printf(&line, "%s - %s", p->date ? p->date : "undated",
		    p->title ? p->title : p->name);
		sel = gopher_post_selector(p, false);
		gopher_menu_item(out, '0', line.data, sel, host, gh->port);
		free(sel);
		if (hits[i].excerpt[0] != '\0')
			gopher_text_info(out, hits[i].excerpt);
	}
	gopher_text_info(out, "");
	search_page_prompt(gh, out);
	gopher_menu_end(out);
	buf_free(&line);
	search_hits_free(hits, n);
	return SEARCH_OK;
}

void
search_page_prompt(const struct gopher_host *gh, struct buf *out)
{
	gopher_menu_item(out, '7', "Search the blog", "/search",
	    gopher_public_host(gh->name, gh->hostname), gh->port);
}
