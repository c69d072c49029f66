#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core-int.h"

/* One huge page on x86-64 and arm64: the smallest chunk. */
#define CHUNK_SIZE	(2u << 20)
#define ALIGN		16

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;	/* mapped, header included */
	size_t			 used;
};

static struct arena_chunk *
chunk_new(size_t need)
{
	struct arena_chunk	*c;
	size_t			 size = CHUNK_SIZE;
	void			*p;

	need += sizeof(*c);
	if (need > size)
		size = (need + CHUNK_SIZE - 1) / CHUNK_SIZE * CHUNK_SIZE;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	if (p == MAP_FAILED) {
		fputs("capsuled: out of memory\n", stderr);
		abort();
	}
#ifdef MADV_HUGEPAGE
	(void)madvise(p, size, MADV_HUGEPAGE);	/* a hint: may be off */
#endif
	c = p;
	c->size = size;
	c->used = (sizeof(*c) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c = a->chunks;
	void			*p;

	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (c == NULL || c->size - c->used < n) {
		c = chunk_new(n + ALIGN);
		/* A big piece alone keeps the current chunk's room. */
		if (a->chunks != NULL && n > CHUNK_SIZE / 2) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	p = (char *)c + c->used;
	c->used += n;
	return p;
}

char *
arena_memdup(struct arena *a, const void *p, size_t n)
{
	char	*s = arena_alloc(a, n + 1);

	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_memdup(a, s, strlen(s));
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		munmap(c, c->size);
	}
	a->chunks = NULL;
}
