/*
 * syscall-filter FILE COMMAND [ARG...]: run COMMAND with only the system
 * calls named in FILE (one a line) allowed and the others failing with
 * EPERM, as systemd's SystemCallFilter= with SystemCallErrorNumber=EPERM
 * runs a service.  tests/integration/vps.sh gives it the set of the
 * installed unit, expanded by systemd-analyze syscall-filter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

int
main(int argc, char *argv[])
{
	scmp_filter_ctx	 ctx;
	FILE		*fp;
	char		 line[256];
	int		 nr, n = 0, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: syscall-filter FILE COMMAND [ARG...]\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		fprintf(stderr, "seccomp_init failed\n");
		return 2;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		/* A name this architecture does not have is no call here. */
		if (line[0] == '\0' || (nr = seccomp_syscall_resolve_name(line))
		    == __NR_SCMP_ERROR)
			continue;
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) != 0) {
			fprintf(stderr, "%s: %s\n", line, strerror(-rc));
			return 2;
		}
		n++;
	}
	fclose(fp);
	if (n == 0) {
		fprintf(stderr, "%s: no system call of this machine\n",
		    argv[1]);
		return 2;
	}
	if ((rc = seccomp_load(ctx)) != 0) {
		fprintf(stderr, "seccomp_load: %s\n", strerror(-rc));
		return 2;
	}
	seccomp_release(ctx);
	execv(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
