/*
 * Listening sockets: bound once by the main thread (before privileges
 * are dropped), then shared by every worker, each accepting on its own
 * event loop.
 */
#define _GNU_SOURCE	/* accept4, pipe2, setresuid */

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve-int.h"

/* Connections taken per readiness event, so that workers share. */
#define ACCEPT_BATCH	32
/* After running out of descriptors, wait this long before accepting. */
#define RESUME_MSEC	100
/* At max_connections, look again this often for room. */
#define FULL_MSEC	20

/* A listening socket on ai, or -1 with errno set. */
static int
bind_one(const struct addrinfo *ai)
{
	int	 fd, one = 1, saved;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	/*
	 * TCP_NODELAY is inherited by accepted sockets: the last segment
	 * of a response must not wait for the client's ack.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == -1 ||
	    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* A problem with setting key, named with where its value comes from. */
static void
listen_error(const struct config *cfg, const char *key, const char *what,
    const char *why)
{
	char	 where[CONFIG_WHERE_MAX];

	log_warnx("%s: %s%s%s", config_where(cfg, key, where, sizeof(where)),
	    what, why != NULL ? ": " : "", why != NULL ? why : "");
}

/*
 * Bind addr:port.  An address the machine does not have (no IPv6, say)
 * is skipped; any other failure is an error, which names the setting
 * at fault: the port when it is taken or not allowed, else the
 * address.  Returns the number of sockets added, or -1.
 */
static int
bind_addr(const struct config *cfg, const char *addr, enum proto proto,
    size_t site, struct listener **ls, size_t *n, size_t *cap)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[256], serv[16], name[sizeof((*ls)->name)];
	const char	*portkey = proto == PROTO_GEMINI ? "port" :
			    "gopher_port";
	size_t		 alen = strlen(addr);
	int		 fd, e, added = 0, port;

	port = proto == PROTO_GEMINI ? cfg->port : cfg->gopher_port;
	/* Accept "[::1]" as well as "::1". */
	if (alen >= 2 && addr[0] == '[' && addr[alen - 1] == ']') {
		addr++;
		alen -= 2;
	}
	if (alen >= sizeof(host)) {
		listen_error(cfg, "listen", addr, "too long");
		return -1;
	}
	memcpy(host, addr, alen);
	host[alen] = '\0';
	snprintf(serv, sizeof(serv), "%d", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((e = getaddrinfo(host, serv, &hints, &res)) != 0) {
		listen_error(cfg, "listen", host, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		snprintf(name, sizeof(name), "%s %s%s%s:%d",
		    proto == PROTO_GEMINI ? "gemini" : "gopher",
		    ai->ai_family == AF_INET6 ? "[" : "", host,
		    ai->ai_family == AF_INET6 ? "]" : "", port);
		if ((fd = bind_one(ai)) == -1) {
			if (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT)
				continue;
			listen_error(cfg, errno == EADDRINUSE ||
			    errno == EACCES ? portkey : "listen", name,
			    strerror(errno));
			added = -1;
			break;
		}
		xgrowarray(ls, cap, *n + 1, sizeof(**ls));
		(*ls)[*n].fd = fd;
		(*ls)[*n].proto = proto;
		(*ls)[*n].site = site;
		memcpy((*ls)[*n].name, name, sizeof(name));
		(*n)++;
		added++;
	}
	freeaddrinfo(res);
	return added;
}

/* Every listener of cfg; say: log each one. */
static int
open_all(const struct config *cfg, struct listener **lsp, size_t *np,
    bool say)
{
	const struct config	*sites;
	struct listener		*ls = NULL;
	size_t			 n = 0, cap = 0, i, j, nsites, before;
	int			 r = 0;

	for (i = 0; i < cfg->nlisten && r != -1; i++)
		r = bind_addr(cfg, cfg->listen[i], PROTO_GEMINI, 0, &ls, &n,
		    &cap);
	if (r != -1 && n == 0) {
		listen_error(cfg, "listen", "no address of this machine",
		    NULL);
		r = -1;
	}
	/* Each site's Gopher port (the listen addresses are everyone's). */
	nsites = config_sites(cfg, &sites);
	for (j = 0; j < nsites && r != -1; j++) {
		before = n;
		for (i = 0; i < cfg->nlisten && r != -1 &&
		    sites[j].gopher_port > 0; i++)
			r = bind_addr(&sites[j], cfg->listen[i], PROTO_GOPHER,
			    j, &ls, &n, &cap);
		if (r != -1 && sites[j].gopher_port > 0 && n == before) {
			listen_error(cfg, "listen", "no address of this "
			    "machine", NULL);
			r = -1;
		}
	}
	if (r == -1) {
		listener_close_all(ls, n);
		return -1;
	}
	for (i = 0; i < n && say; i++)
		log_info("listening: %s", ls[i].name);
	*lsp = ls;
	*np = n;
	return 0;
}

int
listener_open_all(const struct config *cfg, struct listener **lsp,
    size_t *np)
{
	return open_all(cfg, lsp, np, true);
}

int
listener_check(const struct config *cfg)
{
	struct config	 c = *cfg;
	struct listener	*ls;
	size_t		 n;

	c.port = 0;
	c.gopher_port = 0;
	if (open_all(&c, &ls, &n, false) == -1)
		return -1;
	listener_close_all(ls, n);
	return 0;
}

void
listener_close_all(struct listener *ls, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		close(ls[i].fd);
	free(ls);
}

void
listener_accepting(struct worker *w, bool on)
{
	size_t	 i;

	for (i = 0; i < w->srv->nls; i++) {
		if (on)
			event_add(w->accept_ev[i], NULL);
		else
			event_del(w->accept_ev[i]);
	}
}

/*
 * Stop accepting connections of proto (all, for NPROTOS) for msec: the
 * kernel's backlog holds the newcomers meanwhile.
 */
static void
pause_accepting(struct worker *w, enum proto proto, int msec)
{
	struct timeval	 tv = { 0, msec * 1000 };
	size_t		 i;

	for (i = 0; i < w->srv->nls; i++)
		if (proto == NPROTOS || w->srv->ls[i].proto == proto)
			event_del(w->accept_ev[i]);
	evtimer_add(w->resume_ev, &tv);
}

void
listener_resume(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	if (!w->stopping)
		listener_accepting(w, true);
}

/* Which listener of w->srv has this descriptor. */
static const struct listener *
find_listener(const struct server *srv, int fd)
{
	size_t	 i;

	for (i = 0; i < srv->nls; i++)
		if (srv->ls[i].fd == fd)
			return &srv->ls[i];
	return NULL;
}

/*
 * One idle connection closed per FULL_MSEC, by the first worker that
 * sees the newcomer and has one: every worker wakes for it, and one
 * room is enough.
 */
static bool
may_evict(struct server *srv)
{
	struct timespec	 ts;
	long long	 now, last;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	last = atomic_load(&srv->evicted_at);
	return now - last >= FULL_MSEC &&
	    atomic_compare_exchange_strong(&srv->evicted_at, &last, now);
}

void
listener_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct worker		*w = arg;
	struct server		*srv = w->srv;
	const struct listener	*l = find_listener(srv, lfd);
	atomic_int		*n = &srv->nconns[l->proto];
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	int			 fd, i;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		/*
		 * A slot first: at the limit nothing is accepted (to be
		 * closed at once), newcomers wait in the backlog while an
		 * idle connection makes room or accepting pauses.
		 */
		if (atomic_fetch_add(n, 1) >= srv->max_conns) {
			atomic_fetch_sub(n, 1);
			if (conn_evict_idle(w, l->proto, may_evict))
				server_note(srv, NOTE_EVICTED);
			else {
				server_note(srv, NOTE_FULL);
				pause_accepting(w, l->proto, FULL_MSEC);
			}
			return;
		}
		sslen = sizeof(ss);
		fd = accept4(lfd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			atomic_fetch_sub(n, 1);
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_warn("accept");
				pause_accepting(w, NPROTOS, RESUME_MSEC);
			}
			return;
		}
		conn_start(w, l, fd, &ss);
	}
}
