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
 * cfg->user ("nobody" when not set, with a warning; capsuled never
 * serves as root), and check that root cannot be regained.  *chrooted tells
 * whether the capsule root is now "/".  Without root, nothing changes.
 * Returns 0 or -1 (the reason logged).
 */
int	sandbox_drop(const struct config *, bool *chrooted);

/*
 * Started without root but with CAP_NET_BIND_SERVICE (systemd's
 * AmbientCapabilities) to bind low ports: once bound, drop every
 * capability (effective, permitted, inheritable, ambient).  As root,
 * sandbox_drop empties the bounding set before the switch of user,
 * which clears the rest.  Returns 0 or -1 (logged).
 */
int	sandbox_drop_caps(void);

/* What the sandbox lets the serving process reach. */
struct sandbox_paths {
	const char	*root;		/* read beneath it */
	int		 certdir[2];	/* read beneath these (descriptors) */
	const char	*certfile[2];	/* and beneath their real folders */
	const char	*logfile;	/* write it (and a new one beside) */
};

/*
 * Linux: no new privileges, then landlock: reading beneath the root and
 * the certificate's and key's folders, writing the log file, nothing
 * else of the file system (when the kernel has landlock: its ABI is
 * probed, and its absence logged).  For the calling thread and the
 * threads it starts after.  Returns 0 or -1 (logged).
 */
int	sandbox_restrict(const struct sandbox_paths *);

/*
 * Linux: the seccomp allow-list of what serving, reloading (reading the
 * tree and the certificate again) and stopping call, for every thread
 * of the process; any other system call fails with EPERM.  Returns 0
 * or -1 (logged).
 */
int	sandbox_filter(void);

#endif
