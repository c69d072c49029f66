/*
 * Reading files, whole or in part, into a buffer or a given place.
 */
#ifndef CAPSULED_FILE_H
#define CAPSULED_FILE_H

#include <stddef.h>

#include "buf.h"

/* Open path (relative to dirfd, or AT_FDCWD) to read; -1 with errno. */
int	 file_open(int dirfd, const char *path);
/*
 * Append at most max bytes of the file to b; its size in *sizep (0 if
 * unknown; sizep may be NULL).  -1 with errno set on failure (b as it
 * was).  file_read opens path relative to dirfd (AT_FDCWD: the working
 * folder) and closes it again.
 */
int	 file_read(int dirfd, const char *path, struct buf *b, size_t max,
	    size_t *sizep);
int	 file_read_fd(int fd, struct buf *b, size_t max, size_t *sizep);
/* A whole file as a new string; NULL with errno set on failure. */
char	*file_read_all(const char *path, size_t *lenp);
/*
 * Read at most cap bytes of the file into dst (where it is to stay);
 * *lenp gets how many.  -1 with errno set on failure.
 */
int	 file_read_to(int dirfd, const char *path, char *dst, size_t cap,
	    size_t *lenp);
/*
 * The folder of path as a new string: what comes before its last '/'
 * ("/" for "/x"), or "." when it has none.
 */
char	*file_dirname(const char *path);

#endif
