/*
 * Allocation that never returns NULL: out of memory is fatal.
 */
#ifndef CAPSULED_XMALLOC_H
#define CAPSULED_XMALLOC_H

#include <stddef.h>

/* Allocation that never returns NULL: out of memory is fatal. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/* Grow *v (an array of *cap elements of size sz) to hold at least need. */
void	 xgrowarray(void *vp, size_t *cap, size_t need, size_t sz);

/* Free n strings and the array holding them. */
void	 xfreev(char **, size_t n);

#endif
