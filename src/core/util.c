#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core-int.h"

static void
oom(void)
{
	fputs("capsuled: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n ? n : 1, sz ? sz : 1)) == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > (size_t)-1 / sz)
		oom();
	return xrealloc(p, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b, NULL);
}

void
grow_array(void *vp, size_t *cap, size_t need, size_t sz)
{
	void	**v = vp;
	size_t	  ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	*v = xreallocarray(*v, ncap, sz);
	*cap = ncap;
}

void
buf_grow(struct buf *b, size_t more)
{
	size_t	ncap;

	ncap = b->cap ? b->cap : 64;
	while (ncap < b->len + more + 1)
		ncap *= 2;
	b->data = xrealloc(b->data, ncap);
	b->cap = ncap;
}

void
buf_spaces(struct buf *b, size_t n)
{
	buf_reserve(b, n);
	memset(b->data + b->len, ' ', n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	size_t	 room = b->cap - b->len;
	int	 n;

	/* Format into the spare room; a second pass only when too small. */
	va_copy(ap2, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		if (b->data != NULL)
			b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void
buf_put_escaped(struct buf *b, const char *s)
{
	static const char *const refs[] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&#39;",
	};
	unsigned char	c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c < nitems(refs) && refs[c] != NULL)
			buf_puts(b, refs[c]);
		else if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			buf_putc(b, (char)c);
	}
}

char *
buf_detach(struct buf *b, size_t *lenp)
{
	char	*p;

	if (b->data == NULL)
		buf_reserve(b, 0);
	/* Kept bytes (snapshot bodies) should not keep the doubling slack. */
	if (b->cap - b->len > b->len / 8 + 64) {
		b->data = xrealloc(b->data, b->len + 1);
		b->cap = b->len + 1;
	}
	b->data[b->len] = '\0';
	p = b->data;
	if (lenp)
		*lenp = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Read from fd until dst[0..cap) is full or the end; -1 on error. */
static ssize_t
read_full(int fd, char *dst, size_t cap)
{
	size_t	got = 0;
	ssize_t	n;

	while (got < cap) {
		if ((n = read(fd, dst + got, cap - got)) == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int
read_into(const char *path, struct buf *b, size_t max, size_t *sizep)
{
	struct stat	 st;
	size_t		 want, start = b->len;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (sizep != NULL)
		*sizep = 0;
	/* The file's size and one byte: EOF is seen without growing. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if (sizep != NULL)
			*sizep = (size_t)st.st_size;
		buf_reserve(b, (size_t)st.st_size < max ?
		    (size_t)st.st_size + 1 : max);
	}
	do {
		if (b->cap - b->len < 2)
			buf_reserve(b, 65536);
		want = b->cap - b->len - 1;
		if (want > max - (b->len - start))
			want = max - (b->len - start);
		if ((n = read_full(fd, b->data + b->len, want)) == -1) {
			saved = errno;
			close(fd);
			buf_truncate(b, start);
			errno = saved;
			return -1;
		}
		b->len += (size_t)n;
	} while ((size_t)n == want && b->len - start < max);
	close(fd);
	buf_append(b, "", 0);
	return 0;
}

int
read_file_to(const char *path, char *dst, size_t cap, size_t *lenp)
{
	ssize_t	n;
	int	fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read_full(fd, dst, cap);
	saved = errno;
	close(fd);
	if (n == -1) {
		errno = saved;
		return -1;
	}
	*lenp = (size_t)n;
	return 0;
}

char *
read_file(const char *path, size_t *lenp)
{
	struct buf	b = BUF_INIT;
	int		saved;

	if (read_into(path, &b, SIZE_MAX, NULL) == -1) {
		saved = errno;
		buf_free(&b);
		errno = saved;
		return NULL;
	}
	return buf_detach(&b, lenp);
}
