/*
 * The daemon's frame: start-up order (bind, certificate, detach, drop
 * privileges, workers), the main thread's signal loop, reload, and the
 * workers, each a thread with its own event loop.
 *
 * The main thread owns the current snapshot and TLS context.  A swap
 * bumps a generation number and wakes every worker through its pipe;
 * each worker then takes a reference to the new pair for the
 * connections it accepts from then on, while its older connections
 * keep the references they hold.  No lock is taken per connection.
 */
#define _GNU_SOURCE	/* accept4, pipe2, setresuid */

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve-int.h"

/* Descriptors kept free for listeners, logs and reloads. */
#define FD_RESERVE	64

/* Take the sites' current snapshots and contexts when they changed. */
static void
worker_refresh(struct worker *w)
{
	struct server	*srv = w->srv;
	struct snapshot	**oldsnap;
	SSL_CTX		**oldctx;
	size_t		  i;

	/* Let go of the old ones outside the lock. */
	oldsnap = xcalloc(srv->nsites, sizeof(*oldsnap));
	oldctx = xcalloc(srv->nsites, sizeof(*oldctx));
	pthread_mutex_lock(&srv->lock);
	if (w->gen != srv->gen) {
		for (i = 0; i < srv->nsites; i++) {
			oldsnap[i] = w->snap[i];
			oldctx[i] = w->ctx[i];
			w->snap[i] = snapshot_ref(srv->sites[i].snap);
			SSL_CTX_up_ref(srv->sites[i].ctx);
			w->ctx[i] = srv->sites[i].ctx;
		}
		w->gen = srv->gen;
	}
	pthread_mutex_unlock(&srv->lock);
	for (i = 0; i < srv->nsites; i++) {
		if (oldsnap[i] != NULL)
			snapshot_unref(oldsnap[i]);
		SSL_CTX_free(oldctx[i]);
	}
	free(oldsnap);
	free(oldctx);
}

static void
worker_stop(struct worker *w)
{
	struct timeval	 tv;

	w->stopping = true;
	listener_accepting(w, false);
	evtimer_del(w->resume_ev);
	/* Nothing is in flight before a request has come. */
	conn_abort_all(w, true);
	if (w->nconns == 0) {
		event_base_loopbreak(w->base);
		return;
	}
	/* In-flight responses get one write timeout more, then are cut. */
	tv.tv_sec = w->srv->cfg->write_timeout + LINGER_SECONDS;
	tv.tv_usec = 0;
	evtimer_add(w->drain_ev, &tv);
}

static void
worker_drained(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	conn_abort_all(w, false);
}

void
server_conn_closed(struct worker *w, enum proto proto)
{
	atomic_fetch_sub(&w->srv->nconns[proto], 1);
	if (w->stopping && w->nconns == 0)
		event_base_loopbreak(w->base);
}

static void
worker_wake(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	char		 buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
	worker_refresh(w);
	if (atomic_load(&w->srv->stopping) && !w->stopping)
		worker_stop(w);
}

/* Tell every worker to look at the server's state again. */
static void
wake_workers(struct server *srv)
{
	int	 i;

	for (i = 0; i < srv->nworkers; i++)
		if (write(srv->workers[i].wake[1], "", 1) == -1 &&
		    errno != EAGAIN)
			log_warn("waking worker %d", i);
}

/* Access log lines of a round of events, in one write. */
static void
worker_log(evutil_socket_t fd, short what, void *arg)
{
	log_flush();
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	log_batch(true);
	event_base_dispatch(w->base);
	log_batch(false);
	return NULL;
}

static int
worker_init(struct server *srv, struct worker *w, int id)
{
	size_t	 i;

	w->srv = srv;
	w->id = id;
	if (pipe2(w->wake, O_NONBLOCK | O_CLOEXEC) == -1) {
		log_warn("pipe");
		return -1;
	}
	if ((w->base = event_base_new()) == NULL)
		return -1;
	w->accept_ev = xcalloc(srv->nls, sizeof(*w->accept_ev));
	for (i = 0; i < srv->nls; i++)
		if ((w->accept_ev[i] = event_new(w->base, srv->ls[i].fd,
		    EV_READ | EV_PERSIST, listener_accept, w)) == NULL)
			return -1;
	w->resume_ev = evtimer_new(w->base, listener_resume, w);
	w->drain_ev = evtimer_new(w->base, worker_drained, w);
	w->log_ev = event_new(w->base, -1, 0, worker_log, w);
	w->wake_ev = event_new(w->base, w->wake[0], EV_READ | EV_PERSIST,
	    worker_wake, w);
	if (w->resume_ev == NULL || w->drain_ev == NULL ||
	    w->log_ev == NULL || w->wake_ev == NULL ||
	    event_add(w->wake_ev, NULL) == -1)
		return -1;
	w->snap = xcalloc(srv->nsites, sizeof(*w->snap));
	w->ctx = xcalloc(srv->nsites, sizeof(*w->ctx));
	w->gen = srv->gen - 1;
	worker_refresh(w);
	listener_accepting(w, true);
	return 0;
}

static void
worker_free(struct worker *w)
{
	size_t	 i;

	conn_abort_all(w, false);
	for (i = 0; w->accept_ev != NULL && i < w->srv->nls; i++)
		if (w->accept_ev[i] != NULL)
			event_free(w->accept_ev[i]);
	free(w->accept_ev);
	if (w->resume_ev != NULL)
		event_free(w->resume_ev);
	if (w->drain_ev != NULL)
		event_free(w->drain_ev);
	if (w->log_ev != NULL)
		event_free(w->log_ev);
	if (w->wake_ev != NULL)
		event_free(w->wake_ev);
	if (w->base != NULL)
		event_base_free(w->base);
	for (i = 0; w->snap != NULL && i < w->srv->nsites; i++) {
		if (w->snap[i] != NULL)
			snapshot_unref(w->snap[i]);
		SSL_CTX_free(w->ctx[i]);
	}
	free(w->snap);
	free(w->ctx);
	close(w->wake[0]);
	close(w->wake[1]);
}

/*
 * Install a new snapshot and/or context of a site (NULL: keep the
 * current one).
 */
static void
swap_in(struct server *srv, struct vhost *vh, struct snapshot *snap,
    SSL_CTX *ctx)
{
	struct snapshot	*oldsnap = NULL;
	SSL_CTX		*oldctx = NULL;

	pthread_mutex_lock(&srv->lock);
	if (snap != NULL) {
		oldsnap = vh->snap;
		vh->snap = snap;
	}
	if (ctx != NULL) {
		oldctx = vh->ctx;
		vh->ctx = ctx;
	}
	srv->gen++;
	pthread_mutex_unlock(&srv->lock);
	if (oldsnap != NULL)
		snapshot_unref(oldsnap);
	SSL_CTX_free(oldctx);
	wake_workers(srv);
}

/*
 * The certificate and key as the keeper found them now (a renewed pair
 * is new files), for the next snapshot to leave out.
 */
static void
note_secrets(struct vhost *vh, const struct tls_pair *p)
{
	struct file_id	*id;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (p->file[i].err != 0)
			continue;
		id = &vh->load_cfg.secrets[CONFIG_SECRET_CERT_NOW + i];
		id->dev = p->file[i].st.st_dev;
		id->ino = p->file[i].st.st_ino;
	}
}

/*
 * A site's certificate pair as read now: a new context when it
 * changed, else NULL; the pair's files noted as secrets either way.
 * With several sites, the context picks the site by the name the
 * client asks for.
 */
static SSL_CTX *
load_pair(struct server *srv, struct vhost *vh, const struct tls_pair *p)
{
	SSL_CTX	*ctx = NULL;

	note_secrets(vh, p);
	if (tls_pair_changed(p, vh->seen) && (ctx = tls_ctx_new(p)) == NULL)
		log_warnx("%s%scertificate reload failed: keeping the "
		    "previous one", vh->name != NULL ? vh->name : "",
		    vh->name != NULL ? ": " : "");
	if (ctx != NULL && srv->nsites > 1) {
		SSL_CTX_set_tlsext_servername_callback(ctx, conn_pick_site);
		SSL_CTX_set_tlsext_servername_arg(ctx, srv);
	}
	return ctx;
}

/* SIGHUP, for one site: each of its content and pair kept when failing. */
static void
reload_site(struct server *srv, size_t i)
{
	struct vhost	*vh = &srv->sites[i];
	struct snapshot	*snap;
	struct tls_pair	 pair;
	SSL_CTX		*ctx = NULL;
	const char	*name = vh->name != NULL ? vh->name : "";
	const char	*sep = vh->name != NULL ? ": " : "";
	bool		 have_pair;

	/* First the pair, which the new snapshot must leave out. */
	if ((have_pair = keeper_pair(&srv->keeper, i, &pair) == 0))
		ctx = load_pair(srv, vh, &pair);
	else
		log_warnx("%s%scertificate reload failed: keeping the "
		    "previous one", name, sep);
	if ((snap = srv->reload(&vh->load_cfg, vh->snap)) == NULL)
		log_warnx("%s%sreload failed: still serving the previous "
		    "content", name, sep);
	else
		snapshot_inherit_gone(snap, vh->snap);
	if (have_pair)
		tls_pair_clear(&pair);
	if (snap != NULL || ctx != NULL)
		swap_in(srv, vh, snap, ctx);
	if (snap != NULL)
		log_info("%s%sreloaded: %zu post%s, %zu page%s, %zu post%s "
		    "reused", name, sep, snap->nposts,
		    snap->nposts == 1 ? "" : "s", snap->npages,
		    snap->npages == 1 ? "" : "s", snap->reused,
		    snap->reused == 1 ? "" : "s");
}

/* SIGHUP: every site, one broken leaving the others be. */
static void
reload(struct server *srv)
{
	size_t	i;

	log_info("reloading");
	for (i = 0; i < srv->nsites; i++)
		reload_site(srv, i);
}

/* SIGUSR1: a new log file after rotation; said in both files. */
static void
reopen_log(void)
{
	const char	*path = log_file_path();

	if (path == NULL) {
		log_info("SIGUSR1: no log file to reopen");
		return;
	}
	log_info("SIGUSR1: reopening the log file %s", path);
	if (log_reopen() == -1)
		log_warn("SIGUSR1: cannot reopen the log file %s, still "
		    "writing to the previous one", path);
	else
		log_info("log file %s reopened", path);
}

/* Stop accepting: each worker finishes its responses, then ends. */
static void
stop_serving(struct server *srv)
{
	atomic_store(&srv->stopping, true);
	wake_workers(srv);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 drain = { srv->cfg->drain_seconds, 0 };

	if (sig == SIGHUP) {
		reload(srv);
		return;
	}
	if (sig == SIGUSR1) {
		reopen_log();
		return;
	}
	/* A second signal (a supervisor's and a terminal's): one stop. */
	if (atomic_exchange(&srv->draining, true))
		return;
	if (srv->cfg->drain_seconds > 0) {
		log_info("%s: draining for %d s (health checks answer that "
		    "this server is going), then finishing in-flight "
		    "responses", sig == SIGTERM ? "SIGTERM" : "SIGINT",
		    srv->cfg->drain_seconds);
		evtimer_add(srv->drain_ev, &drain);
		return;
	}
	log_info("%s: finishing in-flight responses",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	stop_serving(srv);
}

/* The end of drain_seconds: the listeners close. */
static void
on_drained(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;

	log_info("drained: finishing in-flight responses");
	stop_serving(srv);
}

/*
 * Raise the descriptor limit as far as allowed and keep the connection
 * limits (one budget per protocol) below it, so that accept never
 * fails for want of descriptors in normal operation.
 */
static int
connection_limit(const struct config *cfg, size_t nls)
{
	struct rlimit	 rl;
	long		 room;
	int		 nprotos = cfg->gopher_port > 0 ? 2 : 1;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return cfg->max_connections;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	room = ((long)rl.rlim_cur - (long)nls - FD_RESERVE) / nprotos;
	if (rl.rlim_cur != RLIM_INFINITY && room < cfg->max_connections) {
		if (room < 1)
			room = 1;
		log_warnx("max_connections lowered from %d to %ld: the "
		    "descriptor limit is %lu", cfg->max_connections, room,
		    (unsigned long)rl.rlim_cur);
		return (int)room;
	}
	return cfg->max_connections;
}

/* Log the events of kind k counted since the last line, if any. */
static void
note_flush(struct server *srv, enum note k)
{
	const struct config	*cfg = srv->cfg;
	unsigned		 n;

	if ((n = atomic_exchange(&srv->notes[k], 0)) == 0)
		return;
	switch (k) {
	case NOTE_FULL:
		log_warnx("at the limit of %d connections (max_connections): "
		    "accepting paused %u time%s, newcomers queued", srv->max_conns,
		    n, n == 1 ? "" : "s");
		break;
	case NOTE_EVICTED:
		log_info("%u idle connection%s closed to make room: at the "
		    "limit of %d (max_connections)", n, n == 1 ? "" : "s",
		    srv->max_conns);
		break;
	case NOTE_PER_IP:
		log_warnx("%u connection%s refused: the address had %d open "
		    "(max_connections_per_ip)", n, n == 1 ? "" : "s",
		    cfg->max_connections_per_ip);
		break;
	case NOTE_RATE:
		log_info("%u request%s slowed down: over %d a minute from "
		    "the address (rate_limit)", n, n == 1 ? "" : "s",
		    cfg->rate_limit);
		break;
	case NOTE_REQUEST_TIMEOUT:
		log_info("%u connection%s closed: no request within %d s "
		    "(request_timeout)", n, n == 1 ? "" : "s",
		    cfg->request_timeout);
		break;
	case NOTE_WRITE_TIMEOUT:
		log_info("%u response%s cut: nothing read for %d s "
		    "(write_timeout)", n, n == 1 ? "" : "s",
		    cfg->write_timeout);
		break;
	case NOTE_PROXY_BAD:
		log_warnx("%u connection%s from proxy_from closed: not a "
		    "valid PROXY header (%s)", n, n == 1 ? "" : "s",
		    atomic_load(&srv->proxy_why));
		break;
	case NOTE_PROXY_SHORT:
		log_warnx("%u connection%s from proxy_from closed: the PROXY "
		    "header was cut short", n, n == 1 ? "" : "s");
		break;
	case NOTE_PROXY_LATE:
		log_warnx("%u connection%s from proxy_from closed: no whole "
		    "PROXY header within %d s (request_timeout)", n,
		    n == 1 ? "" : "s", cfg->request_timeout);
		break;
	case NNOTES:
		break;
	}
}

/* Take the right to log kind k now: none was logged for a while. */
static bool
note_due(struct server *srv, enum note k, time_t now)
{
	long long	 last = atomic_load(&srv->noted[k]);

	return now - last >= NOTE_SECONDS &&
	    atomic_compare_exchange_strong(&srv->noted[k], &last, now);
}

void
server_note(struct server *srv, enum note k)
{
	atomic_fetch_add(&srv->notes[k], 1);
	if (note_due(srv, k, time(NULL)))
		note_flush(srv, k);
}

void
server_note_proxy(struct server *srv, const char *why)
{
	atomic_store(&srv->proxy_why, why);
	server_note(srv, NOTE_PROXY_BAD);
}

/* The main thread, every NOTE_SECONDS: what came after the last lines. */
static void
on_notes(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	time_t		 now = time(NULL);
	int		 k;

	for (k = 0; k < NNOTES; k++)
		if (atomic_load(&srv->notes[k]) > 0 && note_due(srv, k, now))
			note_flush(srv, k);
}

/*
 * When the session ticket keys change next: ticket_rotation seconds from
 * now, or, with ticket_key_file, at the end of the period of the keys
 * held, where every replica changes them too (at once when that is
 * past: a boundary crossed since they were derived).  Armed from the
 * keys' own period, a timer that fires a little early only comes again.
 */
static void
arm_rotation(struct server *srv)
{
	struct timeval	 tv = { srv->cfg->ticket_rotation, 0 };
	struct timespec	 now;
	long long	 left;

	if (srv->cfg->ticket_key_file != NULL) {
		clock_gettime(CLOCK_REALTIME, &now);
		left = tls_ticket_keys_end() - ((long long)now.tv_sec *
		    1000000 + now.tv_nsec / 1000);
		if (left < 0)
			left = 0;
		tv.tv_sec = left / 1000000;
		tv.tv_usec = left % 1000000;
	}
	evtimer_add(srv->rotate_ev, &tv);
}

static void
on_rotate(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	long long	 end = tls_ticket_keys_end();

	if (tls_rotate_ticket_keys() == -1)
		log_warnx("session ticket key rotation failed: keeping the "
		    "current key");
	else if (end == 0 || tls_ticket_keys_end() != end)
		log_info("session ticket key rotated");
	arm_rotation(srv);
}

/* Block or unblock (how) the n signals of sigs in the calling thread. */
static void
mask_signals(int how, const int *sigs, size_t n)
{
	sigset_t	 set;
	size_t		 i;

	sigemptyset(&set);
	for (i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	pthread_sigmask(how, &set, NULL);
}

/* --watch: a site's root, and what reloads it. */
struct site_watch {
	struct server	*srv;
	size_t		 site;
	struct watch	*w;
};

/* Its tree changed, and has been quiet since. */
static void
on_change(void *arg)
{
	struct site_watch	*sw = arg;

	log_info("watch: %s changed", sw->srv->sites[sw->site].load_cfg.root);
	reload_site(sw->srv, sw->site);
}

/* The signal loop of the main thread, until SIGTERM or SIGINT. */
static int
main_loop(struct server *srv)
{
	struct event_base	*base;
	struct event		*ev[7];
	struct timeval		 notes = { NOTE_SECONDS, 0 };
	struct site_watch	*watch;
	static const int	 sigs[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
	static const int	 held[] = { SIGHUP, SIGUSR1 };
	size_t			 i;
	int			 rc = 0, n;

	if ((base = event_base_new()) == NULL)
		return 1;
	for (i = 0; i < nitems(sigs); i++) {
		ev[i] = evsignal_new(base, sigs[i], on_signal, srv);
		if (ev[i] == NULL || event_add(ev[i], NULL) == -1)
			rc = 1;
	}
	if ((ev[i] = srv->rotate_ev = evtimer_new(base, on_rotate, srv)) ==
	    NULL)
		rc = 1;
	else
		arm_rotation(srv);
	ev[++i] = event_new(base, -1, EV_PERSIST, on_notes, srv);
	if (ev[i] == NULL || event_add(ev[i], &notes) == -1)
		rc = 1;
	if ((ev[++i] = srv->drain_ev = evtimer_new(base, on_drained, srv)) ==
	    NULL)
		rc = 1;
	watch = xcalloc(srv->nsites, sizeof(*watch));
	for (i = 0; rc == 0 && srv->cfg->watch && i < srv->nsites; i++) {
		watch[i].srv = srv;
		watch[i].site = i;
		watch[i].w = watch_start(base, srv->sites[i].load_cfg.root,
		    on_change, &watch[i]);
	}
	/* Start-up is done: from now on, only what serving calls. */
	if (rc == 0 && (n = sandbox_filter(SANDBOX_SERVER)) == -1)
		rc = 1;
	else if (rc == 0)
		log_info("seccomp: %d system calls allowed", n);
	/*
	 * A SIGHUP or SIGUSR1 held since start-up (server_hold_reloads)
	 * comes now.
	 */
	mask_signals(SIG_UNBLOCK, held, nitems(held));
	while (rc == 0 && !atomic_load(&srv->stopping))
		if (event_base_loop(base, EVLOOP_ONCE) == -1)
			rc = 1;
	/*
	 * The stop is under way: a later signal must neither interrupt it
	 * nor, once libevent gives back the default handlers, kill the
	 * process while the workers finish their responses.
	 */
	mask_signals(SIG_BLOCK, sigs, nitems(sigs));
	for (i = 0; i < srv->nsites; i++)
		watch_stop(watch[i].w);
	free(watch);
	for (i = 0; i < nitems(ev); i++)
		if (ev[i] != NULL)
			event_free(ev[i]);
	event_base_free(base);
	return rc;
}

void
server_hold_reloads(void)
{
	static const int	 held[] = { SIGHUP, SIGUSR1 };

	mask_signals(SIG_BLOCK, held, nitems(held));
}

/* Start the workers with every signal blocked: the main thread's. */
static int
start_workers(struct server *srv)
{
	sigset_t	 all, old;
	int		 i, n, rc = 0;

	n = srv->cfg->workers > 0 ? srv->cfg->workers : 1;
	srv->workers = xcalloc(n, sizeof(*srv->workers));
	for (i = 0; i < n; i++) {
		srv->workers[i].wake[0] = srv->workers[i].wake[1] = -1;
		srv->nworkers++;
		if (worker_init(srv, &srv->workers[i], i) == -1) {
			log_warnx("cannot set up worker %d", i);
			return -1;
		}
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < srv->nworkers && rc == 0; i++) {
		rc = pthread_create(&srv->workers[i].thread, NULL,
		    worker_main, &srv->workers[i]);
		if (rc != 0)
			log_warnx("pthread_create: %s", strerror(rc));
		else
			srv->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

static void
stop_workers(struct server *srv)
{
	int	 i;

	stop_serving(srv);
	for (i = 0; i < srv->nthreads; i++)
		pthread_join(srv->workers[i].thread, NULL);
}

/*
 * Bind, certificate, detach, the keeper, privileges, sandbox:
 * everything before serving.
 */
static int
prepare(struct server *srv, const struct config *cfg)
{
	struct sandbox_paths	 paths;
	struct tls_pair		 pair;
	struct vhost		*vh;
	const char		**roots;
	bool			 chrooted = false;
	size_t			 i;
	int			 abi;

	if (listener_open_all(cfg, &srv->ls, &srv->nls) == -1)
		return -1;
	srv->max_conns = connection_limit(cfg, srv->nls);
	srv->limits = limits_new(cfg->max_connections_per_ip, cfg->rate_limit,
	    srv->max_conns);
	if (tls_tickets_setup(cfg) == -1)
		return -1;
	srv->pairs = xcalloc(2 * srv->nsites, sizeof(*srv->pairs));
	for (i = 0; i < srv->nsites; i++) {
		vh = &srv->sites[i];
		if (tls_ensure_cert(vh->cfg) == -1)
			return -1;
		/*
		 * Generated: the pair is there now, and its paths until a
		 * chroot.  Read here, before --daemon detaches, a pair that
		 * does not load is said on the terminal; reloads ask the
		 * keeper.
		 */
		vh->load_cfg = *vh->cfg;
		config_note_secrets(&vh->load_cfg, false);
		srv->pairs[2 * i] = vh->cfg->cert_file;
		srv->pairs[2 * i + 1] = vh->cfg->key_file;
		tls_pair_read(&pair, vh->cfg->cert_file, vh->cfg->key_file);
		vh->ctx = load_pair(srv, vh, &pair);
		tls_pair_clear(&pair);
		if (vh->ctx == NULL)
			return -1;
	}
	if (cfg->daemonize && sandbox_daemonize(cfg) == -1)
		return -1;
	if (keeper_start(&srv->keeper, sandbox_user(cfg), srv->pairs,
	    srv->nsites) == -1)
		return -1;
	/* Sites have a root each, and no chroot (config_validate). */
	if (sandbox_drop(cfg, &chrooted) == -1)
		return -1;
	if (chrooted)
		srv->sites[0].load_cfg.root = "/";
	roots = xcalloc(srv->nsites, sizeof(*roots));
	for (i = 0; i < srv->nsites; i++)
		roots[i] = srv->sites[i].load_cfg.root;
	memset(&paths, 0, sizeof(paths));
	paths.roots = roots;
	paths.nroots = srv->nsites;
	/* Out of reach by path in a chroot. */
	paths.logfile = cfg->log_dest == LOGDEST_FILE && !chrooted ?
	    cfg->log_file : NULL;
	abi = sandbox_restrict(&paths);
	free(roots);
	if (abi == -1)
		return -1;
	if (abi > 0)
		log_info("landlock ABI %d: reading %s%s only", abi,
		    srv->sites[0].load_cfg.root, srv->nsites > 1 ?
		    " and the other sites' roots" : "");
	return 0;
}

int
server_run(const struct config *cfg, struct snapshot **snaps,
    snapshot_loader loader)
{
	struct server		 srv;
	const struct config	*sites;
	size_t			 j;
	int			 rc = 1, i;

	memset(&srv, 0, sizeof(srv));
	srv.keeper.fd = -1;
	srv.cfg = cfg;
	srv.nsites = config_sites(cfg, &sites);
	srv.sites = xcalloc(srv.nsites, sizeof(*srv.sites));
	for (j = 0; j < srv.nsites; j++) {
		srv.sites[j].cfg = &sites[j];
		config_gemini_host(&sites[j], &srv.sites[j].gemini_host);
		config_gopher_host(&sites[j], &srv.sites[j].gopher_host);
		srv.sites[j].name = cfg->nsites > 0 ? sites[j].hostnames[0] :
		    NULL;
		srv.sites[j].snap = snaps[j];
	}
	srv.reload = loader;
	srv.gen = 1;
	for (i = 0; i < NPROTOS; i++)
		atomic_init(&srv.nconns[i], 0);
	atomic_init(&srv.evicted_at, 0);
	atomic_init(&srv.stopping, false);
	atomic_init(&srv.draining, false);
	atomic_init(&srv.proxy_why, "");
	for (i = 0; i < NNOTES; i++) {
		atomic_init(&srv.notes[i], 0);
		atomic_init(&srv.noted[i], 0);
	}
	pthread_mutex_init(&srv.lock, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (prepare(&srv, cfg) == 0 && start_workers(&srv) == 0) {
		log_info("serving %s%s with %d workers, at most %d "
		    "connections of each protocol, %d from one address",
		    sites[0].root, srv.nsites > 1 ? " and the other sites" : "",
		    srv.nworkers, srv.max_conns, cfg->max_connections_per_ip);
		sandbox_ready();
		rc = main_loop(&srv);
	}
	stop_workers(&srv);
	for (i = 0; i < NNOTES; i++)
		note_flush(&srv, i);
	for (i = 0; srv.workers != NULL && i < srv.nworkers; i++)
		worker_free(&srv.workers[i]);
	free(srv.workers);
	listener_close_all(srv.ls, srv.nls);
	limits_free(srv.limits);
	for (j = 0; j < srv.nsites; j++) {
		snapshot_unref(srv.sites[j].snap);
		SSL_CTX_free(srv.sites[j].ctx);
	}
	free(srv.sites);
	free(srv.pairs);
	keeper_stop(&srv.keeper);
	pthread_mutex_destroy(&srv.lock);
	sandbox_remove_pidfile(cfg);
	if (rc == 0)
		log_info("stopped");
	return rc;
}
