/*
 * --export: every Gemini route written under a folder, byte for byte
 * what the server sends.  Paths are checked piece by piece and opened
 * relative to the folder without following links, so nothing is
 * written outside it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site-int.h"

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create rel (a clean relative path) under the folder dirfd. */
static int
write_file(int dirfd, const char *rel, const char *body, size_t len)
{
	char	*path, *seg, *slash;
	int	 fd, next, rc = -1, saved;

	path = xstrdup(rel);
	fd = dup(dirfd);
	for (seg = path; fd != -1 && (slash = strchr(seg, '/')) != NULL;
	    seg = slash + 1) {
		*slash = '\0';
		if (mkdirat(fd, seg, 0755) == -1 && errno != EEXIST)
			next = -1;
		else
			next = openat(fd, seg, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		saved = errno;
		close(fd);
		fd = next;
		errno = saved;
	}
	if (fd != -1) {
		next = openat(fd, seg, O_WRONLY | O_CREAT | O_TRUNC |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
		saved = errno;
		close(fd);
		fd = next;
		errno = saved;
	}
	if (fd != -1) {
		rc = write_all(fd, body, len);
		saved = errno;
		if (close(fd) == -1 && rc == 0)
			rc = -1;
		else
			errno = saved;
	}
	free(path);
	return rc;
}

int
site_export(const struct snapshot *snap, const char *dir,
    struct diags *diags)
{
	const struct route	*r;
	char			*rel;
	size_t			 i, n;
	int			 dirfd, rc = 0;

	if ((mkdir(dir, 0755) == -1 && errno != EEXIST) ||
	    (dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		diag_errno(diags, DIAG_ERROR, dir, NULL);
		return -1;
	}
	for (i = 0; i < snap->gemini.n; i++) {
		r = &snap->gemini.v[i];
		if (r->kind == ROUTE_REDIRECT)	/* a 31, not a file */
			continue;
		n = strlen(r->path);
		rel = xasprintf("%s%s", r->path + (r->path[0] == '/'),
		    n == 0 || r->path[n - 1] == '/' ? "index.gmi" : "");
		if (!site_path_clean(rel)) {
			diag_add(diags, DIAG_ERROR, dir, 0, 0,
			    "%s: refusing to write outside the folder",
			    r->path);
			rc = -1;
		} else if (write_file(dirfd, rel, r->body, r->len) == -1) {
			diag_errno(diags, DIAG_ERROR, dir, rel);
			rc = -1;
		}
		free(rel);
	}
	close(dirfd);
	return rc;
}
