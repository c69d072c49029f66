/*
 * Inside the serve layer: what server.c (workers, signals, reload),
 * listener.c (sockets, accept) and conn.c (one connection) share, and
 * the TLS (tls.h) and privilege (sandbox.h) parts they use.
 */
#ifndef CAPSULED_SERVE_INT_H
#define CAPSULED_SERVE_INT_H

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "core/core.h"
#include "model/model.h"
#include "proto/proto.h"
#include "site/site.h"
#include "serve.h"
#include "sandbox.h"
#include "tls.h"

#define LISTEN_BACKLOG	1024
/* After close_notify, how long unread client bytes are drained. */
#define LINGER_SECONDS	2

/*
 * Events logged at most once per NOTE_SECONDS each: the first at once,
 * the ones after it counted and logged together later.
 */
#define NOTE_SECONDS	10
enum note {
	NOTE_FULL,		/* at max_connections: accepting paused */
	NOTE_EVICTED,		/* closed at max_connections, idle */
	NOTE_PER_IP,		/* over max_connections_per_ip */
	NOTE_RATE,		/* over rate_limit */
	NOTE_REQUEST_TIMEOUT,	/* no request within request_timeout */
	NOTE_WRITE_TIMEOUT,	/* no write progress within write_timeout */
	NOTE_PROXY_BAD,		/* proxy_from: not a PROXY header */
	NOTE_PROXY_SHORT,	/* proxy_from: closed within the header */
	NOTE_PROXY_LATE,	/* proxy_from: no header in request_timeout */
	NNOTES
};

/* What a connection speaks. */
enum proto {
	PROTO_GEMINI,		/* Gemini over TLS */
	PROTO_GOPHER,		/* Gopher over plain TCP */
	NPROTOS
};

struct listener {
	int		 fd;
	enum proto	 proto;
	size_t		 site;		/* Gopher: whose port; Gemini: 0, the
					   name the client asks for decides */
	char		 name[320];	/* "gemini 127.0.0.1:1965" */
};

/*
 * keeper.c: the process that alone reads the certificate pairs (see
 * there); pairs are numbered in the order of paths (certificate, key,
 * of each).
 */
struct keeper {
	pid_t			 pid;
	int			 fd;		/* -1: gone */
	const char *const	*paths;
	size_t			 npairs;
};
struct worker;

/*
 * One site (a virtual host: one of the file's sites, or the settings
 * themselves), and what it serves now.
 */
struct vhost {
	const struct config	*cfg;
	struct gemini_host	 gemini_host;	/* from cfg */
	struct gopher_host	 gopher_host;
	struct config		 load_cfg;	/* cfg as the loader sees it
						   after a chroot */
	const char		*name;		/* in the access log; NULL
						   without sites */
	struct stat		 seen[2];	/* its pair, as last loaded */
	/* Under the server's lock, handed to the workers. */
	struct snapshot		*snap;
	SSL_CTX			*ctx;
};

struct server {
	const struct config	*cfg;
	struct vhost		*sites;
	size_t			 nsites;
	snapshot_loader		 reload;
	struct listener		*ls;
	size_t			 nls;
	struct worker		*workers;
	int			 nworkers;	/* set up */
	int			 nthreads;	/* running */
	int			 max_conns;	/* of each protocol */
	atomic_int		 nconns[NPROTOS]; /* open, all workers */
	atomic_llong		 evicted_at;	/* ms, monotonic: the last
						   idle connection closed */
	struct limits		*limits;	/* per address */
	_Atomic(const char *)	 proxy_why;	/* the last bad header's fault */
	atomic_bool		 stopping;
	atomic_bool		 draining;	/* SIGTERM, for drain_seconds */
	struct event		*drain_ev;	/* its end */
	atomic_uint		 notes[NNOTES];	/* not logged yet */
	atomic_llong		 noted[NNOTES];	/* time of the last line */
	const char		**pairs;	/* certificate, key of each site */
	struct keeper		 keeper;	/* reads them at reload */
	struct event		*rotate_ev;	/* the ticket keys' next change */

	pthread_mutex_t		 lock;		/* of the sites' snap and ctx */
	unsigned		 gen;		/* bumped at each swap */
};

struct conn;

struct worker {
	struct server		*srv;
	int			 id;
	pthread_t		 thread;
	struct event_base	*base;
	struct event		**accept_ev;	/* one per listener */
	struct event		*resume_ev;	/* accept again after a pause */
	struct event		*wake_ev;	/* the main thread calls */
	struct event		*drain_ev;	/* shutdown bound */
	struct event		*log_ev;	/* writes the batched log */
	int			 wake[2];	/* pipe */
	bool			 stopping;

	/*
	 * This worker's references, one of each site: taken by each new
	 * connection.
	 */
	struct snapshot		**snap;
	SSL_CTX			**ctx;
	unsigned		 gen;

	struct conn		*conns;		/* open, doubly linked */
	size_t			 nconns;
};

/*
 * limits.c: per-address connection counts and request rates, shared by
 * the workers.  A key is an IPv4 address or an IPv6 /64.
 */
struct limits;
struct peer;
struct limits	*limits_new(int per_ip, int rate, int max_conns);
void		 limits_free(struct limits *);
void		 limits_key(const struct sockaddr *, unsigned char key[16]);
/*
 * Count a connection of proto from key: its entry, or NULL when the
 * address has per_ip connections of proto open already.
 */
struct peer	*limits_enter(struct limits *, const unsigned char key[16],
		    int proto);
void		 limits_leave(struct limits *, struct peer *, int proto);
/*
 * Count a request of the address: 0 when the rate allows it, else the
 * whole seconds to wait (at least 1).
 */
int		 limits_request(struct limits *, struct peer *);

/* listener.c: Gemini on cfg's port, Gopher on each site's. */
int	listener_open_all(const struct config *, struct listener **,
	    size_t *);
void	listener_close_all(struct listener *, size_t);
/*
 * For --check: the listen addresses, each bound on a port the system
 * picks and closed at once, refused as listener_open_all refuses them
 * (none of this machine's); the ports of a running server are left
 * alone.
 */
int	listener_check(const struct config *);
void	listener_accept(evutil_socket_t, short, void *);
void	listener_resume(evutil_socket_t, short, void *);
void	listener_accepting(struct worker *, bool on);

/* conn.c */
void	conn_start(struct worker *, const struct listener *, int fd,
	    const struct sockaddr_storage *);
/*
 * At max_connections of proto: close w's oldest connection of proto
 * that has not sent a byte in half the request timeout since it was
 * accepted (an idle socket, so not one that finished its request
 * line), once may(w->srv) lets it (asked only when there is one, so
 * that a worker with none does not use up the others' turn).  Returns
 * whether one was closed.
 */
bool	conn_evict_idle(struct worker *, enum proto,
	    bool (*may)(struct server *));
/*
 * Close the worker's connections at once (no close_notify): all, or
 * only those still waiting for their request.
 */
void	conn_abort_all(struct worker *, bool idle_only);

/*
 * keeper.c.  A request is the number of a pair (uint32_t); the answer,
 * a keeper_file for each of its files, then the bytes of both.
 */
struct keeper_file {
	int32_t		 err;		/* tls_file.err */
	uint32_t	 len;		/* of the bytes that follow */
	struct stat	 st;
};
/*
 * Start the keeper of the npairs pairs of paths, to run as user when
 * started as root; wait until it is sandboxed.  0, or -1 (logged).
 */
int	keeper_start(struct keeper *, const char *user,
	    const char *const *paths, size_t npairs);
/*
 * Pair number pair as the keeper reads it now, in p (its paths are
 * paths'); each file's failure is in its err.  0, or -1 (logged) when
 * the keeper does not answer, which stops it.
 */
int	keeper_pair(struct keeper *, size_t pair, struct tls_pair *);
/* Close the server's end: the keeper exits. */
void	keeper_stop(struct keeper *);

/*
 * conn.c: the server name callback of every context with several
 * sites: the site whose names hold the client's, else the first.
 */
int	conn_pick_site(SSL *, int *alert, void *arg);

/*
 * watch.c: call changed(arg) on base's loop once the tree under root
 * changed and WATCH_QUIET_MS passed without another change.  NULL
 * (logged) when inotify cannot be had.
 */
struct watch	*watch_start(struct event_base *base, const char *root,
		    void (*changed)(void *), void *arg);
void		 watch_stop(struct watch *);

/* server.c: a connection of w, speaking proto, went away. */
void	server_conn_closed(struct worker *, enum proto);
/* server.c: count an event, and log it unless one was just logged. */
void	server_note(struct server *, enum note);
/* server.c: NOTE_PROXY_BAD, why being the parser's reason. */
void	server_note_proxy(struct server *, const char *why);

#endif
