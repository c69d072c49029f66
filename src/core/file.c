/*
 * Reading files: one loop (read_full) under every way of reading one.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core-int.h"

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
file_open(int dirfd, const char *path)
{
	return openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

int
file_read(int dirfd, const char *path, struct buf *b, size_t max,
    size_t *sizep)
{
	int	fd, rc, saved;

	if ((fd = file_open(dirfd, path)) == -1)
		return -1;
	rc = file_read_fd(fd, b, max, sizep);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
file_read_fd(int fd, struct buf *b, size_t max, size_t *sizep)
{
	struct stat	 st;
	size_t		 want, start = b->len;
	ssize_t		 n;
	int		 saved;

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
			buf_truncate(b, start);
			errno = saved;
			return -1;
		}
		b->len += (size_t)n;
	} while ((size_t)n == want && b->len - start < max);
	buf_append(b, "", 0);
	return 0;
}

int
file_read_to(int dirfd, const char *path, char *dst, size_t cap,
    size_t *lenp)
{
	ssize_t	n;
	int	fd, saved;

	if ((fd = file_open(dirfd, path)) == -1)
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
file_read_all(const char *path, size_t *lenp)
{
	struct buf	b = BUF_INIT;
	int		saved;

	if (file_read(AT_FDCWD, path, &b, SIZE_MAX, NULL) == -1) {
		saved = errno;
		buf_free(&b);
		errno = saved;
		return NULL;
	}
	return buf_detach(&b, lenp);
}

char *
file_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, slash - path);
}
