/*
 * Leaving the terminal (--daemon) and root's privileges: what the
 * daemon does once its sockets are bound and its key is loaded.
 */
#ifndef CAPSULED_SANDBOX_H
#define CAPSULED_SANDBOX_H

#include <stdbool.h>

#include "config.h"

/*
 * Detach: fork twice, start a new session, point stdin, stdout and
 * stderr at /dev/null, and write cfg->pidfile (when set).  Messages
 * then go to syslog unless a log file is set.  Returns 0 in the
 * daemon, -1 on failure.  The first process waits: it exits 0 when the
 * daemon calls sandbox_ready, 1 when the daemon exits before.
 */
int	sandbox_daemonize(const struct config *);
/* Serving: the waiting first process may exit 0. */
void	sandbox_ready(void);
/* Remove the pidfile, or empty it when it cannot be removed. */
void	sandbox_remove_pidfile(const struct config *);

/*
 * When running as root: optionally chroot to cfg->root, then switch to
 * sandbox_user(cfg) (with a warning when cfg->user is not set; capsuled
 * never serves as root), and check that root cannot be regained.
 * *chrooted tells whether the capsule root is now "/".  Without root,
 * nothing changes.  Returns 0 or -1 (the reason logged).
 */
int	sandbox_drop(const struct config *, bool *chrooted);
/* Who serves when root starts capsuled: cfg->user, else "nobody". */
const char *sandbox_user(const struct config *);
/*
 * The same switch for the keeper process, without a chroot; without
 * root, every capability dropped (sandbox_drop_caps).  0 or -1.
 */
int	sandbox_drop_to(const char *user);

/*
 * Started without root but with CAP_NET_BIND_SERVICE (systemd's
 * AmbientCapabilities) to bind low ports: once bound, drop every
 * capability (effective, permitted, inheritable, ambient).  As root,
 * sandbox_drop empties the bounding set before the switch of user,
 * which clears the rest.  Returns 0 or -1 (logged).
 */
int	sandbox_drop_caps(void);

/* What the sandbox lets a process reach of the file system. */
struct sandbox_paths {
	const char *const	*roots;		/* read beneath them */
	size_t			 nroots;
	const char *const	*files;		/* read beneath their folders,
						   as named and as real */
	size_t			 nfiles;
	const char		*logfile;	/* write it (and a new one
						   beside) */
};

/*
 * Linux: no new privileges, then landlock: reading beneath the roots and
 * the folders of the files, writing the log file, nothing else of the
 * file system.  For the calling thread and the threads it starts after.
 * Returns landlock's ABI, 0 when the kernel has no landlock (logged:
 * the process runs on without it), or -1 (logged).
 */
int	sandbox_restrict(const struct sandbox_paths *);

/* Whose seccomp allow-list. */
enum sandbox_role {
	SANDBOX_SERVER,		/* serving, reloading, stopping */
	SANDBOX_KEEPER,		/* reading the pairs, answering */
};

/*
 * Linux: the seccomp allow-list of role, for every thread of the
 * process; any other system call fails with EPERM.  Returns the number
 * of calls allowed, or -1 (logged).
 */
int	sandbox_filter(enum sandbox_role);

#endif
