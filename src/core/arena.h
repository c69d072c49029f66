/*
 * An arena: many allocations freed at once, for what a snapshot keeps
 * (its documents and files).  Chunks are mapped on their own and asked
 * to be backed by huge pages: a capsule's documents then cost a few
 * page faults instead of one per 4 KB, which is most of a build's
 * system time on virtual machines.
 */
#ifndef CAPSULED_ARENA_H
#define CAPSULED_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*chunks;	/* newest first */
};

#define ARENA_INIT	{ NULL }

/* n bytes, aligned for any object; never NULL (out of memory is fatal). */
void	*arena_alloc(struct arena *, size_t n);
/* A copy of p[0..n) and a NUL. */
char	*arena_memdup(struct arena *, const void *p, size_t n);
char	*arena_strdup(struct arena *, const char *);
void	 arena_free(struct arena *);

#endif
