/*
 * One connection, driven by readiness events on its worker's loop:
 * TLS handshake (Gemini only), the request line, the response, then
 * close_notify and a short lingering close.  Gemini speaks through a
 * non-blocking SSL object on the socket, Gopher through the socket
 * itself; everything else is shared.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "gemini.h"
#include "gopher.h"
#include "log.h"
#include "serverimpl.h"
#include "util.h"

/* The first write: header and body up to one TLS record. */
#define FIRST_WRITE	16384
#define LINGER_BYTES	(64 * 1024)

enum conn_state {
	CS_HANDSHAKE,
	CS_REQUEST,
	CS_WRITE,
	CS_SHUTDOWN,
	CS_LINGER,
};

/* The outcome of one read or write. */
enum io {
	IO_DONE,
	IO_WANT_READ,
	IO_WANT_WRITE,
	IO_EOF,
	IO_ERROR,
};

struct conn {
	struct conn		*prev, *next;
	struct worker		*w;
	enum proto		 proto;
	int			 fd;
	SSL			*ssl;		/* Gemini only */
	struct event		*io;
	struct event		*timer;
	enum conn_state		 state;
	struct snapshot		*snap;		/* held for the conn's life */
	struct sockaddr_storage	 peer;
	struct timespec		 start;

	char			 req[GEMINI_MAX_REQUEST + 3];
	size_t			 reqlen;

	/* The response: out (owned) and then rest (borrowed). */
	char			*out;
	size_t			 outlen;
	const char		*rest;
	size_t			 restlen;
	size_t			 sent;		/* of out + rest */
	union {
		struct gemini_response	 gemini;
		struct gopher_response	 gopher;
	}			 r;
	int			 status;
	const char		*path;		/* for the log */
};

static void	conn_io(evutil_socket_t, short, void *);
static void	conn_timeout(evutil_socket_t, short, void *);
static void	step(struct conn *);

static double
elapsed(const struct timespec *t0)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
set_timer(struct conn *c, int seconds)
{
	struct timeval	 tv = { seconds, 0 };

	evtimer_add(c->timer, &tv);
}

/* Wait until the socket is readable (what = EV_READ) or writable. */
static void
wait_for(struct conn *c, short what)
{
	event_del(c->io);
	event_assign(c->io, c->w->base, c->fd, what, conn_io, c);
	event_add(c->io, NULL);
}

/* Free what the TLS session and the response held. */
static void
conn_release(struct conn *c)
{
	SSL_free(c->ssl);
	c->ssl = NULL;
	if (c->proto == PROTO_GOPHER && c->state >= CS_WRITE)
		gopher_response_free(&c->r.gopher);
	free(c->out);
	c->out = NULL;
	snapshot_unref(c->snap);
	c->snap = NULL;
}

static void
conn_free(struct conn *c)
{
	struct worker	*w = c->w;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	w->nconns--;

	event_free(c->io);
	event_free(c->timer);
	conn_release(c);
	close(c->fd);
	free(c);
	worker_conn_closed(w);
}

/* One access log line, when a response was started and not yet logged. */
static void
log_request(struct conn *c)
{
	struct access_entry	 e;

	if (c->state < CS_WRITE || c->state == CS_LINGER)
		return;
	memset(&e, 0, sizeof(e));
	e.peer = (const struct sockaddr *)&c->peer;
	e.proto = c->proto == PROTO_GEMINI ? "gemini" : "gopher";
	if (c->proto == PROTO_GEMINI && c->r.gemini.host[0] != '\0')
		e.host = c->r.gemini.host;
	else if (c->ssl != NULL)
		e.host = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
	e.path = c->path;
	e.status = c->status;
	e.bytes = c->sent;
	e.seconds = elapsed(&c->start);
	log_access(&e);
}

/* Drop the connection: no close_notify, so the client sees a cut. */
static void
conn_abort(struct conn *c)
{
	log_request(c);
	if (c->ssl != NULL)
		SSL_set_quiet_shutdown(c->ssl, 1);
	ERR_clear_error();
	conn_free(c);
}

void
conn_abort_all(struct worker *w, bool idle_only)
{
	struct conn	*c, *next;

	for (c = w->conns; c != NULL; c = next) {
		next = c->next;
		if (!idle_only || c->state < CS_WRITE)
			conn_abort(c);
	}
}

/* Map an SSL call's result to an io outcome. */
static enum io
ssl_io(struct conn *c, int r)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_NONE:
		return IO_DONE;
	case SSL_ERROR_WANT_READ:
		return IO_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return IO_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return IO_EOF;
	default:
		ERR_clear_error();
		return IO_ERROR;
	}
}

static enum io
conn_read(struct conn *c, void *buf, size_t len, size_t *n)
{
	ssize_t	 r;

	if (c->ssl != NULL) {
		r = SSL_read(c->ssl, buf, (int)len);
		if (r > 0) {
			*n = r;
			return IO_DONE;
		}
		return ssl_io(c, r);
	}
	r = recv(c->fd, buf, len, 0);
	if (r > 0) {
		*n = r;
		return IO_DONE;
	}
	if (r == 0)
		return IO_EOF;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return IO_WANT_READ;
	return IO_ERROR;
}

static enum io
conn_write(struct conn *c, const void *buf, size_t len, size_t *n)
{
	ssize_t	 r;

	if (len > INT32_MAX)
		len = INT32_MAX;
	if (c->ssl != NULL) {
		r = SSL_write(c->ssl, buf, (int)len);
		if (r > 0) {
			*n = r;
			return IO_DONE;
		}
		return ssl_io(c, r);
	}
	r = send(c->fd, buf, len, MSG_NOSIGNAL);
	if (r >= 0) {
		*n = r;
		return IO_DONE;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return IO_WANT_WRITE;
	return IO_ERROR;
}

/*
 * Handle a wait outcome: arm the event and return true, or close the
 * connection on EOF or error and return true; false for IO_DONE.
 */
static bool
blocked(struct conn *c, enum io io)
{
	switch (io) {
	case IO_DONE:
		return false;
	case IO_WANT_READ:
		wait_for(c, EV_READ);
		return true;
	case IO_WANT_WRITE:
		wait_for(c, EV_WRITE);
		return true;
	default:
		conn_abort(c);
		return true;
	}
}

/*
 * Lay out the response: out holds the header and the start of the body
 * (so that a small response is one TLS record and one segment), rest
 * points into the snapshot for the remainder.
 */
static void
set_response(struct conn *c, const char *hdr, size_t hlen,
    const char *body, size_t blen)
{
	size_t	 first;

	first = blen;
	if (hlen + first > FIRST_WRITE)
		first = hlen < FIRST_WRITE ? FIRST_WRITE - hlen : 0;
	c->outlen = hlen + first;
	c->out = xmalloc(c->outlen + 1);
	memcpy(c->out, hdr, hlen);
	if (first > 0)
		memcpy(c->out + hlen, body, first);
	c->rest = body + first;
	c->restlen = blen - first;
}

static void
respond_gemini(struct conn *c, long end)
{
	struct gemini_response	*r = &c->r.gemini;
	const char		*sni;
	static const char	 too_long[] = "59 Request too long\r\n";

	if (end < 0) {
		memset(r, 0, sizeof(*r));
		r->status = 59;
		memcpy(r->header, too_long, sizeof(too_long));
		r->header_len = sizeof(too_long) - 1;
	} else {
		sni = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
		gemini_respond(c->snap, c->w->srv->cfg, sni, c->req,
		    (size_t)end - 2, r);
	}
	c->status = r->status;
	c->path = r->path;
	set_response(c, r->header, r->header_len, r->body, r->body_len);
}

static void
respond_gopher(struct conn *c, long end)
{
	struct gopher_response	*r = &c->r.gopher;
	size_t			 len = end;

	/* The line end is CRLF or a bare LF. */
	if (len > 0 && c->req[len - 1] == '\n')
		len--;
	if (len > 0 && c->req[len - 1] == '\r')
		len--;
	gopher_respond(c->snap, c->w->srv->cfg, c->req, len, r);
	c->status = r->status;
	c->path = r->selector;
	set_response(c, "", 0, r->body, r->len);
}

/* Start writing: from now on the timer is the write deadline. */
static void
begin_response(struct conn *c, long end)
{
	if (c->proto == PROTO_GEMINI)
		respond_gemini(c, end);
	else
		respond_gopher(c, end);
	c->state = CS_WRITE;
	set_timer(c, c->w->srv->cfg->write_timeout);
}

static long
request_end(struct conn *c)
{
	long	 end;

	if (c->proto == PROTO_GEMINI)
		end = gemini_request_end(c->req, c->reqlen);
	else
		end = gopher_request_end(c->req, c->reqlen);
	if (end == 0 && c->reqlen == sizeof(c->req))
		end = -1;
	return end;
}

static void
do_handshake(struct conn *c)
{
	if (blocked(c, ssl_io(c, SSL_do_handshake(c->ssl))))
		return;
	c->state = CS_REQUEST;
	step(c);
}

static void
do_request(struct conn *c)
{
	size_t	 n = 0;
	long	 end;

	for (;;) {
		if (blocked(c, conn_read(c, c->req + c->reqlen,
		    sizeof(c->req) - c->reqlen, &n)))
			return;
		c->reqlen += n;
		if ((end = request_end(c)) != 0)
			break;
	}
	/* A Gopher selector that can never be valid: just close. */
	if (end < 0 && c->proto == PROTO_GOPHER) {
		conn_abort(c);
		return;
	}
	begin_response(c, end);
	step(c);
}

static void
do_write(struct conn *c)
{
	const char	*p;
	size_t		 len, n = 0, total = c->outlen + c->restlen;
	bool		 progress = false;
	enum io		 io;

	while (c->sent < total) {
		if (c->sent < c->outlen) {
			p = c->out + c->sent;
			len = c->outlen - c->sent;
		} else {
			p = c->rest + (c->sent - c->outlen);
			len = total - c->sent;
		}
		io = conn_write(c, p, len, &n);
		/* Progress moves the deadline; an error frees c (blocked). */
		if (progress && c->state == CS_WRITE &&
		    (io == IO_WANT_READ || io == IO_WANT_WRITE))
			set_timer(c, c->w->srv->cfg->write_timeout);
		if (blocked(c, io))
			return;
		c->sent += n;
		progress = true;
	}
	c->state = CS_SHUTDOWN;
	step(c);
}

/* Send close_notify (Gemini), then stop writing and start lingering. */
static void
do_shutdown(struct conn *c)
{
	int	 r;

	if (c->ssl != NULL) {
		r = SSL_shutdown(c->ssl);
		if (r < 0 && blocked(c, ssl_io(c, r)))
			return;
	}
	log_request(c);
	shutdown(c->fd, SHUT_WR);
	/* Lingering needs the socket only. */
	conn_release(c);
	c->state = CS_LINGER;
	c->sent = 0;
	set_timer(c, LINGER_SECONDS);
	wait_for(c, EV_READ);
}

/*
 * Closing a socket with unread input makes the kernel send a reset,
 * which can destroy the end of the response before the client reads
 * it.  So read and discard until the client closes, briefly.
 */
static void
do_linger(struct conn *c)
{
	char	 buf[4096];
	ssize_t	 r;

	while ((r = recv(c->fd, buf, sizeof(buf), 0)) > 0) {
		c->sent += r;
		if (c->sent > LINGER_BYTES)
			break;
	}
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR)) {
		wait_for(c, EV_READ);
		return;
	}
	conn_free(c);
}

static void
step(struct conn *c)
{
	switch (c->state) {
	case CS_HANDSHAKE:
		do_handshake(c);
		break;
	case CS_REQUEST:
		do_request(c);
		break;
	case CS_WRITE:
		do_write(c);
		break;
	case CS_SHUTDOWN:
		do_shutdown(c);
		break;
	case CS_LINGER:
		do_linger(c);
		break;
	}
}

static void
conn_io(evutil_socket_t fd, short what, void *arg)
{
	step(arg);
}

/* The request deadline, the write deadline, or the end of lingering. */
static void
conn_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	if (c->state == CS_LINGER)
		conn_free(c);
	else
		conn_abort(c);
}

void
conn_start(struct worker *w, const struct listener *l, int fd,
    const struct sockaddr_storage *peer)
{
	struct conn	*c;
	int		 one = 1;

	/* Small writes (a header, close_notify) must not wait for acks. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c = xcalloc(1, sizeof(*c));
	c->w = w;
	c->fd = fd;
	c->proto = l->proto;
	c->peer = *peer;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	c->snap = snapshot_ref(w->snap);
	c->io = event_new(w->base, fd, EV_READ, conn_io, c);
	c->timer = evtimer_new(w->base, conn_timeout, c);
	if (c->io == NULL || c->timer == NULL)
		abort();
	c->state = CS_REQUEST;
	if (l->proto == PROTO_GEMINI) {
		if ((c->ssl = SSL_new(w->ctx)) == NULL ||
		    !SSL_set_fd(c->ssl, fd))
			abort();
		SSL_set_accept_state(c->ssl);
		c->state = CS_HANDSHAKE;
	}
	c->next = w->conns;
	if (w->conns != NULL)
		w->conns->prev = c;
	w->conns = c;
	w->nconns++;
	set_timer(c, w->srv->cfg->request_timeout);
	wait_for(c, EV_READ);
}
