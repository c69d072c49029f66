/*
 * The emoji names: a table generated at build time from GitHub's list
 * (contrib/emoji-names.sh), sorted by name for a binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

struct emoji {
	const char	*name;
	const char	*utf8;
};

static const struct emoji emojis[] = {
/* build/gen/, written by the Makefile */
#include <emoji-names.h>
};

struct key {
	const char	*s;
	size_t		 len;
};

static int
cmp(const void *k, const void *e)
{
	const struct key	*key = k;
	const char		*name = ((const struct emoji *)e)->name;
	size_t			 n = strlen(name);
	int			 c;

	c = memcmp(key->s, name, key->len < n ? key->len : n);
	if (c != 0)
		return c;
	return key->len < n ? -1 : key->len > n;
}

const char *
emoji_find(const char *name, size_t len)
{
	struct key		 key = { name, len };
	const struct emoji	*e;

	e = bsearch(&key, emojis, nitems(emojis), sizeof(emojis[0]), cmp);
	return e ? e->utf8 : NULL;
}
