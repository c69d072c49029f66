/*
 * Detaching from the terminal and dropping root's privileges.
 */
#define _GNU_SOURCE	/* accept4, pipe2, setresuid */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

/* Who serves when root starts capsuled without a user setting. */
#define DEFAULT_USER	"nobody"

/* Fork; the parent exits at once.  Returns -1 in the parent on error. */
static int
fork_away(void)
{
	switch (fork()) {
	case -1:
		log_warnx("fork: %s", strerror(errno));
		return -1;
	case 0:
		return 0;
	default:
		_exit(0);
	}
}

static int
write_pidfile(const char *path)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1) {
		log_warnx("pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	dprintf(fd, "%ld\n", (long)getpid());
	close(fd);
	return 0;
}

int
sandbox_daemonize(const struct config *cfg)
{
	int	 fd;

	if (fork_away() == -1)
		return -1;
	if (setsid() == -1) {
		log_warnx("setsid: %s", strerror(errno));
		return -1;
	}
	/* The session leader exits: the daemon can never get a terminal. */
	if (fork_away() == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) == -1) {
		log_warnx("/dev/null: %s", strerror(errno));
		return -1;
	}
	if (cfg->log_dest == LOGDEST_STDERR)
		log_detach();
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	if (cfg->pidfile != NULL && write_pidfile(cfg->pidfile) == -1)
		return -1;
	return 0;
}

void
sandbox_remove_pidfile(const struct config *cfg)
{
	/* Once privileges are dropped this may fail; that is harmless. */
	if (cfg->pidfile != NULL)
		unlink(cfg->pidfile);
}

/* Without root: settings that need it are only warned about. */
static int
unprivileged(const struct config *cfg)
{
	struct passwd	*pw;

	if (cfg->user != NULL && ((pw = getpwnam(cfg->user)) == NULL ||
	    pw->pw_uid != geteuid()))
		log_warnx("not started as root: staying user %ld, not %s",
		    (long)geteuid(), cfg->user);
	if (cfg->chroot)
		log_warnx("not started as root: no chroot");
	return 0;
}

int
sandbox_drop(const struct config *cfg, bool *chrooted)
{
	struct passwd	*pw;
	const char	*user;
	uid_t		 uid;
	gid_t		 gid;

	*chrooted = false;
	if (geteuid() != 0 && getuid() != 0)
		return unprivileged(cfg);
	if ((user = cfg->user) == NULL) {
		user = DEFAULT_USER;
		log_warnx("started as root without a user setting: "
		    "switching to %s", user);
	}
	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("user %s: no such user; refusing to serve as root",
		    user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		log_warnx("user %s is root: refusing to serve as root", user);
		return -1;
	}
	if (cfg->chroot) {
		tzset();	/* localtime needs /etc/localtime */
		if (chroot(cfg->root) == -1 || chdir("/") == -1) {
			log_warnx("chroot %s: %s", cfg->root,
			    strerror(errno));
			return -1;
		}
		*chrooted = true;
	}
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		log_warnx("switching to user %s: %s", user,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0 || getuid() == 0 ||
	    geteuid() == 0) {
		log_warnx("root privileges could be regained: stopping");
		return -1;
	}
	log_info("running as user %s%s%s", user,
	    *chrooted ? ", chrooted to " : "",
	    *chrooted ? cfg->root : "");
	return 0;
}
