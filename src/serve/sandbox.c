/*
 * Detaching from the terminal and dropping root's privileges.
 */
#define _GNU_SOURCE	/* accept4, pipe2, setresuid */

#include <sys/prctl.h>
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

#include "serve-int.h"

/* Who serves when root starts capsuled without a user setting. */
#define DEFAULT_USER	"nobody"

/* The daemon's ends: the pipe its first parent waits on, the pidfile. */
static int	ready_fd = -1;
static int	pid_fd = -1;
static bool	in_chroot;	/* paths outside the root are out of reach */

const char *
sandbox_user(const struct config *cfg)
{
	return cfg->user != NULL ? cfg->user : DEFAULT_USER;
}

/*
 * The first process waits until the daemon is ready or gone, so that
 * its exit status tells the shell or the init script how the start
 * went: the daemon's own errors go to its log.
 */
static void
wait_ready(int fd)
{
	ssize_t	n;
	char	c;

	do
		n = read(fd, &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	fputs("capsuled: the daemon stopped while starting; its log says "
	    "why\n", stderr);
	_exit(1);
}

/* Fork; the parent exits at once.  Returns -1 in the parent on error. */
static int
fork_away(void)
{
	switch (fork()) {
	case -1:
		log_warn("fork");
		return -1;
	case 0:
		return 0;
	default:
		_exit(0);
	}
}

/*
 * Write the pid, before privileges drop: the file is root's when root
 * starts capsuled, so that the user it serves as cannot point it at
 * another process for root to signal.  It stays open: at exit it is
 * emptied through this descriptor when it cannot be removed (a folder
 * of root's after the switch of user, a chroot, the sandbox).
 */
static int
write_pidfile(const struct config *cfg)
{
	pid_fd = open(cfg->pidfile, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (pid_fd == -1) {
		log_warn("pidfile %s", cfg->pidfile);
		return -1;
	}
	dprintf(pid_fd, "%ld\n", (long)getpid());
	return 0;
}

int
sandbox_daemonize(const struct config *cfg)
{
	int	 fd, p[2];

	if (pipe2(p, O_CLOEXEC) == -1) {
		log_warn("pipe");
		return -1;
	}
	switch (fork()) {
	case -1:
		log_warn("fork");
		return -1;
	case 0:
		close(p[0]);
		ready_fd = p[1];
		break;
	default:
		close(p[1]);
		wait_ready(p[0]);
	}
	if (setsid() == -1) {
		log_warn("setsid");
		return -1;
	}
	/* The session leader exits: the daemon can never get a terminal. */
	if (fork_away() == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) == -1) {
		log_warn("/dev/null");
		return -1;
	}
	if (cfg->log_dest == LOGDEST_STDERR)
		log_detach();
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	if (cfg->pidfile != NULL && write_pidfile(cfg) == -1)
		return -1;
	return 0;
}

void
sandbox_ready(void)
{
	if (ready_fd == -1)
		return;
	(void)write(ready_fd, "R", 1);
	close(ready_fd);
	ready_fd = -1;
}

void
sandbox_remove_pidfile(const struct config *cfg)
{
	if (pid_fd == -1)
		return;
	if (in_chroot || (unlink(cfg->pidfile) == -1 && errno != ENOENT))
		(void)ftruncate(pid_fd, 0);	/* names no process */
	close(pid_fd);
	pid_fd = -1;
}

/*
 * Without root: settings that need it are only warned about; the
 * capabilities that bound a low port (systemd's AmbientCapabilities)
 * go, now that the sockets are bound.
 */
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
	return sandbox_drop_caps();
}

/* Empty the bounding set: no capability can come back, by any exec. */
static int
drop_bounding_set(void)
{
	int	 cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1) {
			log_warn("dropping capability %d", cap);
			return -1;
		}
	return 0;
}

/* The ids of user, who must not be root: 0, or -1 (logged). */
static int
lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;

	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("user %s: no such user; refusing to serve as root",
		    user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		log_warnx("user %s is root: refusing to serve as root", user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Root becomes user for good: no capability, no way back. */
static int
become(const char *user, uid_t uid, gid_t gid)
{
	/* The switch of user then clears the other sets. */
	if (drop_bounding_set() == -1)
		return -1;
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		log_warn("switching to user %s", user);
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0 || getuid() == 0 ||
	    geteuid() == 0) {
		log_warnx("root privileges could be regained: stopping");
		return -1;
	}
	return 0;
}

static bool
is_root(void)
{
	return geteuid() == 0 || getuid() == 0;
}

int
sandbox_drop(const struct config *cfg, bool *chrooted)
{
	const char	*user;
	uid_t		 uid;
	gid_t		 gid;

	*chrooted = false;
	if (!is_root())
		return unprivileged(cfg);
	user = sandbox_user(cfg);
	if (cfg->user == NULL)
		log_warnx("started as root without a user setting: "
		    "switching to %s", user);
	if (lookup(user, &uid, &gid) == -1)
		return -1;
	if (cfg->chroot) {
		tzset();	/* localtime needs /etc/localtime */
		if (chroot(cfg->root) == -1 || chdir("/") == -1) {
			log_warn("chroot %s", cfg->root);
			return -1;
		}
		*chrooted = in_chroot = true;
	}
	if (become(user, uid, gid) == -1)
		return -1;
	log_info("running as user %s%s%s", user,
	    *chrooted ? ", chrooted to " : "",
	    *chrooted ? cfg->root : "");
	return 0;
}

int
sandbox_drop_to(const char *user)
{
	uid_t	 uid;
	gid_t	 gid;

	if (!is_root())
		return sandbox_drop_caps();
	if (lookup(user, &uid, &gid) == -1)
		return -1;
	return become(user, uid, gid);
}
