/*
 * HTML character references: &name; (a table of the common names),
 * &#N; and &#xH;.
 */
#ifndef CAPSULED_ENTITY_H
#define CAPSULED_ENTITY_H

#include <stddef.h>

#include "core/core.h"

/*
 * Decode the reference at s (which starts with '&'): store its UTF-8
 * bytes in out (4 bytes at most), their count in *outlen, and return
 * how many bytes of s it took.  Returns 0 when s does not start with a
 * reference this table knows.
 */
size_t	entity_decode(const char *s, size_t len, char out[4], size_t *outlen);

/* Append s to b with every known reference decoded; a bare & stays. */
void	entity_decode_into(struct buf *b, const char *s, size_t len);

#endif
