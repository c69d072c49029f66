/*
 * The daemon: listeners, workers with one event loop each, TLS for
 * Gemini and plain TCP for Gopher, limits, signals and reload.
 */
#ifndef CAPSULED_SERVER_H
#define CAPSULED_SERVER_H

#include "config.h"
#include "site/site.h"

/*
 * Build a fresh snapshot from the settings (start-up and SIGHUP), last
 * the one served until then (NULL at start-up), whose unchanged posts
 * it may reuse.  Returns NULL when the content cannot be loaded at all;
 * problems are logged.
 */
typedef struct snapshot *(*snapshot_loader)(const struct config *,
    struct snapshot *last);

/*
 * Hold SIGHUP and SIGUSR1 from now until the server serves, which then
 * reloads or reopens its log: called before the first snapshot is
 * built, so that a reload or a log rotation asked for while capsuled
 * starts is neither lost nor fatal (their default action ends the
 * process).
 */
void	server_hold_reloads(void);

/*
 * Bind, load or create the certificates, drop privileges, start the
 * workers and serve snaps, one for each site (config_sites), until
 * SIGTERM or SIGINT.  Takes their references.  Returns the process exit
 * status.
 */
int	server_run(const struct config *, struct snapshot **snaps,
	    snapshot_loader reload);

#endif
