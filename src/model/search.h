/*
 * The search index of a snapshot: SQLite's FTS5 over an in-memory
 * database of the posts (title, tags and categories, text), built with
 * the snapshot, bounded in memory, then only queried, by any number of
 * threads (one at a time: a query takes well under a millisecond, and
 * is cut off at SEARCH_MAX_MS).
 *
 * What a reader types is turned into an FTS5 query (search_fts_query),
 * never pasted into SQL: every word is a quoted string, so that FTS5's
 * own syntax (columns, NEAR, parentheses, ^, +) is read as text, except
 *   "a phrase"	the words in that order,
 *   word*	any word starting with it ("a phrase"* too),
 *   OR, NOT	between two terms, in capitals (AND too, the default),
 * and a word of punctuation alone, which matches nothing, is left out.
 * Case and accents are folded (unicode61, remove_diacritics 2); titles
 * weigh most, then tags, then the text (BM25), among the 100 newest
 * matches when more match: a query's ranking costs in proportion to the
 * matches it ranks.  The index holds no text (contentless): the caller
 * makes the excerpts of the hits it shows from the posts' documents
 * (search_excerpt).
 */
#ifndef CAPSULED_SEARCH_H
#define CAPSULED_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "doc.h"

#define SEARCH_MAX_HITS		20	/* posts on a page of results */
#define SEARCH_MAX_MS		100	/* a query's CPU time before it is cut */
#define SEARCH_MAX_TERMS	32	/* words and phrases of a query */

struct search;

/* A new empty index that may take at most max_bytes of memory. */
struct search	*search_new(size_t max_bytes);
/*
 * Index post id (its index in the snapshot): title, its tags and
 * categories, and the text of doc's lines from line from on, in the
 * order of the ids.  False when the index is full (the memory bound
 * reached) or failed: neither this post nor any later one is
 * searchable, nor the last ones added before it (search_count says how
 * many are, the first ones).
 */
bool		 search_add(struct search *, size_t id, const char *title,
		    char *const *tags, size_t ntags, char *const *cats,
		    size_t ncats, const struct doc *doc, size_t from);
/* Done adding: committed, then read-only. */
void		 search_seal(struct search *);
/* Bytes the index takes, and the posts in it (ids 0 to count - 1). */
size_t		 search_memory(const struct search *);
size_t		 search_count(const struct search *);
void		 search_free(struct search *);

enum search_status {
	SEARCH_OK,		/* hits (maybe none) */
	SEARCH_NOTHING,		/* no word to search for in the text */
	SEARCH_SLOW,		/* cut at SEARCH_MAX_MS */
	SEARCH_FAILED,		/* FTS5 refused the query */
};

struct search_hit {
	size_t	 id;
	char	*excerpt;	/* NULL, for the caller to set */
};

/*
 * The posts matching the reader's text q[0..len) (UTF-8, no NUL), best
 * first, at most max; *more tells whether more matched.  Free hits with
 * search_hits_free.
 */
enum search_status search_query(struct search *, const char *q, size_t len,
		    size_t max, struct search_hit **hits, size_t *nhits,
		    bool *more);
void		 search_hits_free(struct search_hit *, size_t n);
/*
 * An excerpt of a post for the reader's text q[0..qlen): a few words of
 * gemtext text[0..len) around the first word that starts with a word of
 * q (ASCII case folded), on one line, headings, links and preformatted
 * text left out; else the start of fallback (the post's excerpt, may be
 * NULL); else "".
 */
char		*search_excerpt(const char *q, size_t qlen, const char *text,
		    size_t len, const char *fallback);

/*
 * The FTS5 query of the reader's text q[0..len), as the rules above
 * say, into out; the number of terms it has (0: nothing to search).
 */
size_t		 search_fts_query(const char *q, size_t len, struct buf *out);

#endif
