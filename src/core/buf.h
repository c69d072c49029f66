/*
 * A growable byte buffer.
 */
#ifndef CAPSULED_BUF_H
#define CAPSULED_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* A growable byte string, always NUL-terminated once anything is added. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT	{ NULL, 0, 0 }

/* Room for more bytes and the NUL: the slow path of buf_reserve. */
void	 buf_grow(struct buf *, size_t more);

static inline void
buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more + 1 > b->cap)
		buf_grow(b, more);
}

/* Inline, as the writers append word by word. */
static inline void
buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void	 buf_puts(struct buf *, const char *);
/* One byte: inline, as writers call it per character. */
static inline void
buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* n spaces: padding, without a format to parse. */
void	 buf_spaces(struct buf *, size_t n);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
void	 buf_truncate(struct buf *, size_t len);
/*
 * Append s escaped for XML or HTML text and attribute values: & < > " '
 * as references; control characters XML 1.0 forbids are dropped.
 */
void	 buf_put_escaped(struct buf *, const char *s);
/* Hand the bytes to the caller (NUL-terminated, never NULL); buf is reset. */
char	*buf_detach(struct buf *, size_t *lenp);
void	 buf_free(struct buf *);

#endif
