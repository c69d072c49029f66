/*
 * GitHub's emoji names (gemoji's, as jemoji writes them), for sites
 * that list jemoji.
 */
#ifndef CAPSULED_EMOJI_H
#define CAPSULED_EMOJI_H

#include <stddef.h>

/* The UTF-8 character of the emoji name (without colons), or NULL. */
const char	*emoji_find(const char *name, size_t len);

#endif
