/*
 * The serving process's sandbox, applied to this process as the server
 * applies it (sandbox_restrict, then sandbox_filter), then tried: what
 * serving needs still works, what an attacker would want does not (the
 * certificate included: the keeper reads it).
 *
 *   sandbox-try ROOT CERTDIR
 *
 * ROOT holds a file "page.gmi", CERTDIR a file "cert.pem".  Prints one
 * "ok"/"FAIL" line a try and "N passed, M failed"; exits 1 on a
 * failure.
 */
#define _GNU_SOURCE	/* syscall */

#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve/serve-int.h"

static int	passed, failed;

static void
report(int good, const char *what, int err)
{
	if (good)
		passed++;
	else
		failed++;
	printf("%s %s (%s)\n", good ? "ok  " : "FAIL", what,
	    err != 0 ? strerror(err) : "done");
}

/* Try open(path) for reading: it should work or not. */
static void
try_open(const char *path, int should)
{
	char	 what[4200];
	int	 fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	err = fd == -1 ? errno : 0;
	snprintf(what, sizeof(what), "open(\"%s\") %s", path,
	    should ? "works" : "fails");
	report((fd != -1) == should, what, err);
	if (fd != -1)
		close(fd);
}

int
main(int argc, char *argv[])
{
	struct sandbox_paths	 p;
	char			 path[4096], *const args[] = { "true", NULL };
	int			 r, err;

	if (argc != 3) {
		fprintf(stderr, "usage: sandbox-try ROOT CERTDIR\n");
		return 2;
	}
	memset(&p, 0, sizeof(p));
	p.roots = (const char *const *)&argv[1];
	p.nroots = 1;
	if (sandbox_restrict(&p) == -1 || sandbox_filter(SANDBOX_SERVER) ==
	    -1) {
		fprintf(stderr, "sandbox-try: the sandbox could not be set "
		    "up\n");
		return 2;
	}

	snprintf(path, sizeof(path), "%s/page.gmi", argv[1]);
	try_open(path, 1);
	/* The keeper reads the certificate, not the serving process. */
	snprintf(path, sizeof(path), "%s/cert.pem", argv[2]);
	try_open(path, 0);
	try_open("/etc/passwd", 0);
	try_open("/proc/self/environ", 0);

	r = execve("/bin/true", args, NULL);
	err = errno;
	report(r == -1, "execve(\"/bin/true\") fails", err);
	r = socket(AF_INET, SOCK_STREAM, 0);
	err = errno;
	report(r == -1, "socket(AF_INET) fails", err);
	r = socket(AF_UNIX, SOCK_STREAM, 0);
	err = errno;
	report(r == -1, "socket(AF_UNIX) fails", err);
	r = (int)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	err = errno;
	report(r == -1, "ptrace(PTRACE_TRACEME) fails", err);
	r = (int)syscall(SYS_fork);
	err = errno;
	if (r == 0)
		_exit(0);
	report(r == -1, "fork fails", err);
	r = setuid(0);
	err = errno;
	report(r == -1, "setuid(0) fails", err);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
