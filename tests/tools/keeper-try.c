/*
 * The keeper of the certificate, started as the server starts it
 * (keeper_start: this program executes itself again as the keeper),
 * then asked as the server asks and as a serving process taken over
 * would: what it holds, what it answers, what it refuses.
 *
 *   keeper-try CERTDIR USER
 *
 * CERTDIR holds cert.pem and key.pem, readable by USER, whom the keeper
 * becomes when this runs as root.  Prints one "ok"/"FAIL" line a try and
 * "N passed, M failed"; exits 1 on a failure.
 */
#define _GNU_SOURCE	/* syscall */

#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/landlock.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve/serve-int.h"

static int	passed, failed;

static void
report(int good, const char *what)
{
	if (good)
		passed++;
	else
		failed++;
	printf("%s %s\n", good ? "ok  " : "FAIL", what);
}

/* A field of /proc/PID/status, or "" */
static const char *
status(pid_t pid, const char *field)
{
	static char	 value[128];
	char		 path[64], line[256];
	size_t		 n = strlen(field);
	FILE		*f;

	value[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return value;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			sscanf(line + n + 1, "%127s", value);
			break;
		}
	fclose(f);
	return value;
}

/* Whether the keeper holds descriptors 0 to 3 and no other. */
static int
holds_its_socket_only(pid_t pid)
{
	char		 path[64];
	struct dirent	*e;
	DIR		*d;
	int		 n = 0, other = 0;

	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (atoi(e->d_name) > 3)
			other++;
		n++;
	}
	closedir(d);
	return other == 0 && n == 4;
}

/* The keeper's answer to a request for pair number n, sent raw. */
static int
ask_raw(struct keeper *k, uint32_t n, struct keeper_file kf[2])
{
	return write(k->fd, &n, sizeof(n)) == sizeof(n) &&
	    read(k->fd, kf, 2 * sizeof(*kf)) == (ssize_t)(2 * sizeof(*kf));
}

/* Whether pid exits within about three seconds (and is reaped). */
static int
exits(pid_t pid)
{
	struct timespec	 tenth = { 0, 100000000 };
	int		 i, st;

	for (i = 0; i < 30; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return 1;
		nanosleep(&tenth, NULL);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct keeper		 k;
	struct tls_pair		 p;
	struct keeper_file	 kf[2];
	struct passwd		*pw;
	const char		*paths[2];
	char			 what[256], *cert, *key, *saved, *want[2];
	size_t			 len[2];
	uint32_t		 bad[] = { 1, 2, 0x7fffffff, 0xffffffff };
	size_t			 i;
	int			 good, landlock;

	if (argc > 1 && strcmp(argv[1], KEEPER_ARG) == 0)
		keeper_main(argc, argv);
	if (argc != 3) {
		fprintf(stderr, "usage: keeper-try CERTDIR USER\n");
		return 2;
	}
	cert = xasprintf("%s/cert.pem", argv[1]);
	key = xasprintf("%s/key.pem", argv[1]);
	saved = xasprintf("%s/cert.pem.saved", argv[1]);
	paths[0] = cert;
	paths[1] = key;
	want[0] = file_read_all(cert, &len[0]);
	want[1] = file_read_all(key, &len[1]);
	if (want[0] == NULL || want[1] == NULL ||
	    keeper_start(&k, argv[2], paths, 1) == -1) {
		fprintf(stderr, "keeper-try: no pair to keep, or no keeper\n");
		return 2;
	}

	report(strcmp(status(k.pid, "NoNewPrivs"), "1") == 0,
	    "the keeper: NoNewPrivs 1");
	report(strcmp(status(k.pid, "Seccomp"), "2") == 0,
	    "the keeper: Seccomp 2 (filter)");
	report(strcmp(status(k.pid, "CapEff"), "0000000000000000") == 0,
	    "the keeper: no capability");
	if (geteuid() == 0 && (pw = getpwnam(argv[2])) != NULL) {
		snprintf(what, sizeof(what), "%ld", (long)pw->pw_uid);
		report(strcmp(status(k.pid, "Uid"), what) == 0,
		    "the keeper runs as the user, not root");
		report(holds_its_socket_only(k.pid), "the keeper holds "
		    "stdin, stdout, stderr and its socket, nothing else");
	}

	good = keeper_pair(&k, 0, &p) == 0;
	for (i = 0; i < 2 && good; i++)
		good = p.file[i].err == 0 && p.file[i].pem.len == len[i] &&
		    memcmp(p.file[i].pem.data, want[i], len[i]) == 0;
	tls_pair_clear(&p);
	report(good, "pair 0: the certificate's and key's bytes");

	for (i = 0; i < nitems(bad); i++) {
		good = ask_raw(&k, bad[i], kf) && kf[0].err == EINVAL &&
		    kf[1].err == EINVAL && kf[0].len == 0 && kf[1].len == 0;
		snprintf(what, sizeof(what), "pair %lu, not one it keeps: "
		    "EINVAL and no byte", (unsigned long)bad[i]);
		report(good, what);
	}

	/* A link planted in the folder does not lead out of it. */
	landlock = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION) >= 1;
	if (landlock && rename(cert, saved) == 0) {
		if (symlink("/etc/passwd", cert) == 0) {
			good = keeper_pair(&k, 0, &p) == 0 &&
			    p.file[0].err == EACCES && p.file[0].pem.len == 0;
			tls_pair_clear(&p);
			report(good, "cert.pem a link to /etc/passwd: EACCES "
			    "(landlock), no byte");
			unlink(cert);
		}
		rename(saved, cert);
	}
	good = keeper_pair(&k, 0, &p) == 0 && p.file[0].err == 0 &&
	    p.file[1].err == 0;
	tls_pair_clear(&p);
	report(good, "still answering after the refusals");

	/* Half a request, then the end: the keeper leaves. */
	good = write(k.fd, "\1", 1) == 1;
	keeper_stop(&k);
	report(good && exits(k.pid), "the keeper exits when the server's "
	    "end closes");

	printf("%d passed, %d failed\n", passed, failed);
	free(want[0]);
	free(want[1]);
	free(cert);
	free(key);
	free(saved);
	return failed != 0;
}
