/*
 * The keeper: the one process that reads the certificate pairs, so
 * that the serving process, once chrooted and sandboxed, holds no
 * descriptor of a folder outside its root.
 *
 * Privilege separation as in OpenBSD's daemons: before the chroot and
 * the switch of user, the server forks and executes itself again
 * (a fresh image: none of the snapshot's memory stays shared), as
 * "capsuled --keeper USER LOG CERT KEY [CERT KEY ...]", with one end of
 * a socket pair as descriptor 3 and nothing else but stdin, stdout and
 * stderr (the server's log file, when it writes one).  The keeper
 * switches to the same user, sandboxes itself (landlock: reading
 * beneath the folders of the pairs; seccomp: reading files and its
 * socket), says it is ready, then answers each request, the number of
 * one of its pairs, with both files' status and bytes, read again
 * each time; a number it was not given gets an error and no byte.  It
 * exits when the server's end closes: it dies with the server.
 */
#define _GNU_SOURCE	/* close_range */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve-int.h"

/* The keeper's end of the socket pair. */
#define KEEPER_FD	3
/* How long the server waits for the keeper to start or to answer. */
#define KEEPER_WAIT_MS	10000

/* Read or write all of len bytes: 0, or -1 (errno set, EPIPE at EOF). */
static int
xfer(int fd, void *buf, size_t len, bool out, int wait_ms)
{
	struct pollfd	 pfd = { fd, out ? POLLOUT : POLLIN, 0 };
	char		*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if (wait_ms >= 0 && poll(&pfd, 1, wait_ms) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = out ? send(fd, p, len, MSG_NOSIGNAL) : read(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EPIPE;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The keeper's answer to a request for pair (of npairs in paths). */
static int
answer(int fd, uint32_t pair, char *const *paths, size_t npairs)
{
	struct tls_pair		 p;
	struct keeper_file	 kf[2];
	int			 i, rc = 0;

	memset(&p, 0, sizeof(p));
	memset(kf, 0, sizeof(kf));
	if (pair < npairs)
		tls_pair_read(&p, paths[2 * pair], paths[2 * pair + 1]);
	else
		p.file[0].err = p.file[1].err = EINVAL;
	for (i = 0; i < 2; i++) {
		kf[i].err = p.file[i].err;
		kf[i].st = p.file[i].st;
		if (p.file[i].err == 0)
			kf[i].len = (uint32_t)p.file[i].pem.len;
	}
	rc = xfer(fd, kf, sizeof(kf), true, -1);
	for (i = 0; i < 2 && rc == 0; i++)
		if (kf[i].len > 0)
			rc = xfer(fd, p.file[i].pem.data, kf[i].len, true, -1);
	tls_pair_clear(&p);
	return rc;
}

int
keeper_main(int argc, char *argv[])
{
	struct sandbox_paths	 paths;
	struct stat		 st;
	uint32_t		 pair;

	if (argc < 6 || argc % 2 != 0 || fstat(KEEPER_FD, &st) == -1 ||
	    !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "capsuled: %s is for capsuled's own use\n",
		    KEEPER_ARG);
		_exit(2);
	}
	log_init(strcmp(argv[3], "syslog") == 0 ? LOGDEST_SYSLOG :
	    LOGDEST_STDERR, NULL, false);
	/* Not even its own user may trace it or read its memory. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&paths, 0, sizeof(paths));
	paths.files = (const char *const *)argv + 4;
	paths.nfiles = (size_t)argc - 4;
	if (sandbox_drop_to(argv[2]) == -1 ||
	    sandbox_restrict(&paths) == -1 ||
	    sandbox_filter(SANDBOX_KEEPER) == -1) {
		log_warnx("the keeper of the certificate could not sandbox "
		    "itself");
		_exit(1);
	}
	if (xfer(KEEPER_FD, "R", 1, true, -1) == -1)
		_exit(1);
	/* Until the server is gone. */
	while (xfer(KEEPER_FD, &pair, sizeof(pair), false, -1) == 0)
		if (answer(KEEPER_FD, pair, argv + 4, paths.nfiles / 2) == -1)
			break;
	/* Nothing to flush, nothing to free: no exit handlers. */
	_exit(0);
}

/* In the child: descriptor 3 the keeper's end, then the keeper. */
static void __attribute__((noreturn))
exec_keeper(int end, char **argv)
{
	extern char	**environ;
	int		 logfd = log_out_fd();

	/* Its messages go where the server's go. */
	if (logfd != -1 && logfd != STDERR_FILENO &&
	    dup2(logfd, STDERR_FILENO) == -1)
		_exit(127);
	/* dup2 of a descriptor to itself would keep its close-on-exec. */
	if (end == KEEPER_FD ? fcntl(end, F_SETFD, 0) == -1 :
	    dup2(end, KEEPER_FD) == -1)
		_exit(127);
	close_range(KEEPER_FD + 1, ~0U, 0);
	execve("/proc/self/exe", argv, environ);
	_exit(127);
}

int
keeper_start(struct keeper *k, const char *user, const char *const *paths,
    size_t npairs)
{
	char	**argv;
	char	 c;
	int	 sv[2];
	size_t	 i;

	memset(k, 0, sizeof(*k));
	k->fd = -1;
	k->paths = paths;
	k->npairs = npairs;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("socketpair");
		return -1;
	}
	argv = xcalloc(2 * npairs + 5, sizeof(*argv));
	argv[0] = "capsuled";
	argv[1] = KEEPER_ARG;
	argv[2] = (char *)user;
	argv[3] = log_out_fd() == -1 ? "syslog" : "stderr";
	for (i = 0; i < 2 * npairs; i++)
		argv[4 + i] = (char *)paths[i];
	switch (k->pid = fork()) {
	case -1:
		log_warn("fork");
		free(argv);
		close(sv[0]);
		close(sv[1]);
		return -1;
	case 0:
		close(sv[0]);
		exec_keeper(sv[1], argv);
	}
	free(argv);
	close(sv[1]);
	k->fd = sv[0];
	if (xfer(k->fd, &c, 1, false, KEEPER_WAIT_MS) == -1 || c != 'R') {
		log_warnx("the keeper of the certificate did not start");
		keeper_stop(k);
		return -1;
	}
	return 0;
}

int
keeper_pair(struct keeper *k, size_t pair, struct tls_pair *p)
{
	struct keeper_file	 kf[2];
	uint32_t		 n = (uint32_t)pair;
	int			 i;

	memset(p, 0, sizeof(*p));
	p->file[0].path = k->paths[2 * pair];
	p->file[1].path = k->paths[2 * pair + 1];
	errno = EPIPE;	/* when it is gone already */
	if (k->fd == -1 ||
	    xfer(k->fd, &n, sizeof(n), true, KEEPER_WAIT_MS) == -1 ||
	    xfer(k->fd, kf, sizeof(kf), false, KEEPER_WAIT_MS) == -1)
		goto gone;
	for (i = 0; i < 2; i++) {
		errno = EPROTO;
		if (kf[i].len > TLS_PEM_MAX)
			goto gone;
		p->file[i].err = kf[i].err;
		p->file[i].st = kf[i].st;
		buf_reserve(&p->file[i].pem, kf[i].len);
		if (xfer(k->fd, p->file[i].pem.data, kf[i].len, false,
		    KEEPER_WAIT_MS) == -1)
			goto gone;
		p->file[i].pem.len = kf[i].len;
		p->file[i].pem.data[kf[i].len] = '\0';
	}
	return 0;
gone:
	log_warn("the keeper of the certificate does not answer");
	tls_pair_clear(p);
	keeper_stop(k);
	return -1;
}

void
keeper_stop(struct keeper *k)
{
	/* The keeper reads the end of its socket and exits. */
	if (k->fd != -1)
		close(k->fd);
	k->fd = -1;
}
