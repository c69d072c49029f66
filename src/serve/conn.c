/*
 * One connection, driven by readiness events on its worker's loop:
 * TLS handshake (Gemini only), the request line, the response, then
 * close_notify and a short lingering close.
 *
 * Gemini's TLS runs over a BIO of our own rather than on the socket:
 * it reads the socket only after a readiness event (never just to learn
 * that nothing is there), and it keeps what TLS writes until the
 * connection sends it, so that each flight is one write: the server's
 * handshake flight, then the session ticket (with the response when the
 * request came with the client's Finished), the response and
 * close_notify together.  Gopher speaks through the socket
 * itself.  Each connection has one persistent event, changed only when
 * a slow reader makes it wait to write.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "serve-int.h"

/* Plaintext per TLS record. */
#define RECORD		16384
/* TLS output encrypted ahead of a slow reader, at most. */
#define OUT_HIGH	(64 * 1024)
#define LINGER_BYTES	(64 * 1024)

enum conn_state {
	CS_PROXY,	/* a proxy_from source: its PROXY header first */
	CS_HANDSHAKE,
	CS_REQUEST,
	CS_WRITE,
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

/* What a step leaves the connection to do next. */
enum next {
	N_STEP,		/* the state changed: go on at once */
	N_READ,		/* wait until the socket is readable */
	N_WRITE,	/* wait until the socket is writable */
	N_GONE,		/* the connection was freed */
};

struct conn {
	struct conn		*prev, *next;
	struct worker		*w;
	enum proto		 proto;
	int			 fd;
	bool			 readable;	/* bytes may wait on fd */
	SSL			*ssl;		/* Gemini only */
	struct buf		 out;		/* TLS output not yet sent */
	size_t			 outoff;	/* of it, sent already */
	bool			 notified;	/* close_notify is in out */
	struct event		*io;
	short			 watching;	/* EV_READ or EV_WRITE */
	struct event		*timer;
	enum conn_state		 state;
	size_t			 site;		/* of the server's sites */
	struct snapshot		*snap;		/* held until lingering */
	/*
	 * The client, as every limit and the log see it: set in one
	 * place, conn_set_client, which counts it per address.
	 */
	struct sockaddr_storage	 client;
	struct peer		*limit;		/* its entry in the limits */
	struct timespec		 start;
	bool			 heard;		/* a byte came from the client */

	/* The request line; before it, a PROXY header. */
	char			 req[GEMINI_MAX_REQUEST + 3];
	size_t			 reqlen;

	/* The response: a header, then a body borrowed from snap or r. */
	const char		*hdr;
	size_t			 hlen;
	const char		*body;
	size_t			 blen;
	size_t			 sent;		/* of both: to TLS or socket */
	union {
		struct gemini_response	 gemini;
		struct gopher_response	 gopher;
	}			 r;
	int			 status;
	const char		*path;		/* for the log */
};

_Static_assert(GEMINI_MAX_REQUEST + 3 >= PROXY_MAX,
    "a PROXY header fits in the request buffer");

static void	conn_io(evutil_socket_t, short, void *);
static void	conn_timeout(evutil_socket_t, short, void *);
static bool	conn_set_client(struct conn *,
		    const struct sockaddr_storage *);

static BIO_METHOD	*bio_method;
static pthread_once_t	 bio_once = PTHREAD_ONCE_INIT;

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

/* Wait for the socket to be readable (EV_READ) or writable. */
static void
watch(struct conn *c, short what)
{
	if (c->watching == what)
		return;
	event_del(c->io);
	event_assign(c->io, c->w->base, c->fd, what | EV_PERSIST, conn_io, c);
	event_add(c->io, NULL);
	c->watching = what;
}

/* Read the socket once it said it is readable; a short read drains it. */
static enum io
sock_read(struct conn *c, void *buf, size_t len, size_t *n)
{
	ssize_t	 r;

	if (!c->readable)
		return IO_WANT_READ;
	r = recv(c->fd, buf, len, 0);
	if (r < 0 || (size_t)r < len)
		c->readable = false;
	if (r > 0) {
		c->heard = true;
		*n = r;
		return IO_DONE;
	}
	if (r == 0)
		return IO_EOF;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return IO_WANT_READ;
	return IO_ERROR;
}

static int
bio_read(BIO *b, char *buf, int len)
{
	size_t	 n = 0;

	BIO_clear_retry_flags(b);
	switch (sock_read(BIO_get_data(b), buf, len, &n)) {
	case IO_DONE:
		return (int)n;
	case IO_WANT_READ:
		BIO_set_retry_read(b);
		return -1;
	case IO_EOF:
		return 0;
	default:
		return -1;
	}
}

/* Keep what TLS writes; the connection sends it (see flush). */
static int
bio_write(BIO *b, const char *buf, int len)
{
	struct conn	*c = BIO_get_data(b);

	buf_append(&c->out, buf, len);
	return len;
}

static long
bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct conn	*c = BIO_get_data(b);

	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_WPENDING:
		return (long)(c->out.len - c->outoff);
	default:
		return 0;
	}
}

static void
bio_setup(void)
{
	int	 type;

	if ((type = BIO_get_new_index()) == -1 ||
	    (bio_method = BIO_meth_new(type | BIO_TYPE_SOURCE_SINK,
	    "capsuled connection")) == NULL ||
	    !BIO_meth_set_read(bio_method, bio_read) ||
	    !BIO_meth_set_write(bio_method, bio_write) ||
	    !BIO_meth_set_ctrl(bio_method, bio_ctrl))
		abort();
}

/* Free what the TLS session and the response held. */
static void
conn_release(struct conn *c)
{
	SSL_free(c->ssl);
	c->ssl = NULL;
	buf_free(&c->out);
	c->outoff = 0;
	if (c->proto == PROTO_GOPHER && c->state >= CS_WRITE)
		gopher_response_free(&c->r.gopher);
	else if (c->proto == PROTO_GEMINI && c->state >= CS_WRITE)
		gemini_response_free(&c->r.gemini);
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
	if (c->limit != NULL)
		limits_leave(w->srv->limits, c->limit, c->proto);
	close(c->fd);
	server_conn_closed(w, c->proto);
	free(c);
}

/* One access log line, when a response was started and not yet logged. */
static void
log_request(struct conn *c)
{
	struct access_entry	 e;

	if (c->state != CS_WRITE)
		return;
	memset(&e, 0, sizeof(e));
	e.peer = (const struct sockaddr *)&c->client;
	e.proto = c->proto == PROTO_GEMINI ? "gemini" : "gopher";
	if (c->proto == PROTO_GEMINI && c->r.gemini.host[0] != '\0')
		e.host = c->r.gemini.host;
	else if (c->ssl != NULL)
		e.host = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
	e.site = c->w->srv->sites[c->site].name;
	e.path = c->path;
	e.status = c->status;
	e.bytes = c->sent;
	e.seconds = elapsed(&c->start);
	/* Written once this round of events is done. */
	if (log_access(&e))
		event_active(c->w->log_ev, EV_TIMEOUT, 0);
}

/* Drop the connection: no close_notify, so the client sees a cut. */
static enum next
conn_abort(struct conn *c)
{
	log_request(c);
	ERR_clear_error();
	conn_free(c);
	return N_GONE;
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
	case SSL_ERROR_ZERO_RETURN:
		return IO_EOF;
	default:
		ERR_clear_error();
		return IO_ERROR;
	}
}

/*
 * Send p[*off..len) as far as the socket takes it.  last: these are
 * the response's last bytes, so the FIN that follows at once may ride
 * in their segment.
 */
static enum io
send_from(struct conn *c, const char *p, size_t len, size_t *off,
    bool last, bool *progress)
{
	ssize_t	 n;

	while (*off < len) {
		n = send(c->fd, p + *off, len - *off,
		    MSG_NOSIGNAL | (last ? MSG_MORE : 0));
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return IO_WANT_WRITE;
			return IO_ERROR;
		}
		*off += n;
		*progress = true;
	}
	return IO_DONE;
}

/* Send the TLS output that waits, as far as the socket takes it. */
static enum io
flush(struct conn *c, bool *progress)
{
	enum io	 io;

	io = send_from(c, c->out.data, c->out.len, &c->outoff, c->notified,
	    progress);
	if (io == IO_DONE) {
		buf_truncate(&c->out, 0);
		c->outoff = 0;
	}
	return io;
}

/* Send the TLS output, then wait for the client (next is N_READ). */
static enum next
flush_then(struct conn *c, enum next next)
{
	bool	 progress = false;

	switch (flush(c, &progress)) {
	case IO_DONE:
		return next;
	case IO_WANT_WRITE:
		return N_WRITE;
	default:
		return conn_abort(c);
	}
}

static enum io
conn_read(struct conn *c, void *buf, size_t len, size_t *n)
{
	int	 r;

	if (c->ssl == NULL)
		return sock_read(c, buf, len, n);
	r = SSL_read(c->ssl, buf, (int)len);
	if (r > 0) {
		*n = r;
		return IO_DONE;
	}
	return ssl_io(c, r);
}

/* The response is what c->r holds now. */
static void
use_answer(struct conn *c)
{
	if (c->proto == PROTO_GEMINI) {
		c->status = c->r.gemini.status;
		c->hdr = c->r.gemini.header;
		c->hlen = c->r.gemini.header_len;
		c->body = c->r.gemini.body;
		c->blen = c->r.gemini.body_len;
	} else {
		c->status = c->r.gopher.status;
		c->hdr = "";
		c->hlen = 0;
		c->body = c->r.gopher.body;
		c->blen = c->r.gopher.len;
	}
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
		gemini_respond(c->snap, &c->w->srv->sites[c->site].gemini_host,
		    sni, c->req,
		    (size_t)end - 2, r);
	}
	c->path = r->path;
	use_answer(c);
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
	gopher_respond(c->snap, &c->w->srv->sites[c->site].gopher_host,
	    c->req, len, r);
	c->path = r->selector;
	use_answer(c);
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

/*
 * The PROXY header of a proxy_from source, before anything else: read
 * exactly its bytes (what follows is the client's, TLS or a selector),
 * then the client it names is the connection's.  The bytes are peeked
 * at, then taken: those of a header cut short are all header, those
 * after a whole one are left in the socket.
 */
static enum next
do_proxy(struct conn *c)
{
	struct server		*srv = c->w->srv;
	struct proxy_header	 h;
	const char		*why;
	ssize_t			 n;
	long			 len;

	if (!c->readable)
		return N_READ;
	n = recv(c->fd, c->req + c->reqlen, PROXY_MAX - c->reqlen, MSG_PEEK);
	if (n <= 0) {
		c->readable = false;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return N_READ;
		server_note(srv, NOTE_PROXY_SHORT);
		return conn_abort(c);
	}
	c->heard = true;
	if ((len = proxy_parse(c->req, c->reqlen + n, &h, &why)) == -1) {
		server_note_proxy(srv, why);
		return conn_abort(c);
	}
	/* Take the header's bytes (all of them, when it is not whole). */
	if (len > 0)
		n = len - (long)c->reqlen;
	if (recv(c->fd, c->req + c->reqlen, (size_t)n, 0) != n)
		return conn_abort(c);
	if (len == 0) {
		/* A short peek took what there was. */
		if ((size_t)n < PROXY_MAX - c->reqlen)
			c->readable = false;
		c->reqlen += n;
		return N_STEP;
	}
	c->reqlen = 0;
	if (!conn_set_client(c, h.local ? &c->client : &h.client)) {
		server_note(srv, NOTE_PER_IP);
		return conn_abort(c);
	}
	c->state = c->ssl != NULL ? CS_HANDSHAKE : CS_REQUEST;
	return N_STEP;
}

static enum next
do_handshake(struct conn *c)
{
	bool	 sent = false;
	int	 r;

	if ((r = SSL_do_handshake(c->ssl)) == 1) {
		c->state = CS_REQUEST;
		return N_STEP;
	}
	if (ssl_io(c, r) == IO_WANT_READ)
		return flush_then(c, N_READ);
	/* Let the client see the alert that says why, if it can. */
	flush(c, &sent);
	return conn_abort(c);
}

/* Over the rate limit: "44 N", or a type 3 item, instead. */
static void
slow_down(struct conn *c, int seconds)
{
	server_note(c->w->srv, NOTE_RATE);
	if (c->proto == PROTO_GEMINI)
		gemini_slow_down(&c->r.gemini, seconds);
	else
		gopher_slow_down(&c->r.gopher, seconds);
	use_answer(c);
}

/*
 * The health check's answer: "ok" while serving, "41" or a type 3 item
 * while draining, so that the balancer takes this server out.  Never
 * rate-limited: it comes from the balancer's own address.
 */
static void
health(struct conn *c)
{
	if (!atomic_load(&c->w->srv->draining))
		return;
	if (c->proto == PROTO_GEMINI)
		gemini_draining(&c->r.gemini);
	else
		gopher_draining(&c->r.gopher);
	use_answer(c);
}

/* Start the response: from now on the timer is the write deadline. */
static enum next
do_request(struct conn *c)
{
	size_t	 n = 0;
	long	 end;
	int	 wait;

	for (;;) {
		switch (conn_read(c, c->req + c->reqlen,
		    sizeof(c->req) - c->reqlen, &n)) {
		case IO_DONE:
			break;
		case IO_WANT_READ:
			/*
			 * The request is not there yet: send what TLS
			 * wrote (TLS 1.3's session ticket) now, not with
			 * the response.  Its segment carries the ack of
			 * the client's Finished, which a client that
			 * leaves Nagle on waits for before it sends the
			 * request (else a delayed ack: 40 ms).
			 */
			return flush_then(c, N_READ);
		default:
			return conn_abort(c);
		}
		c->reqlen += n;
		if ((end = request_end(c)) != 0)
			break;
	}
	/* A Gopher selector that can never be valid: just close. */
	if (end < 0 && c->proto == PROTO_GOPHER)
		return conn_abort(c);
	if (c->proto == PROTO_GEMINI)
		respond_gemini(c, end);
	else
		respond_gopher(c, end);
	if (c->proto == PROTO_GEMINI ? c->r.gemini.health :
	    c->r.gopher.health)
		health(c);
	else if ((wait = limits_request(c->w->srv->limits, c->limit)) > 0)
		slow_down(c, wait);
	c->state = CS_WRITE;
	set_timer(c, c->w->srv->cfg->write_timeout);
	return N_STEP;
}

/*
 * The next plaintext for TLS: the header with the start of the body,
 * so that a small response is one record, then a record at a time.
 */
static size_t
next_piece(struct conn *c, const char **p)
{
	static _Thread_local char	 first[RECORD];
	size_t				 n, off;

	if (c->sent == 0) {
		n = c->blen < RECORD - c->hlen ? c->blen : RECORD - c->hlen;
		memcpy(first, c->hdr, c->hlen);
		if (n > 0)
			memcpy(first + c->hlen, c->body, n);
		*p = first;
		return c->hlen + n;
	}
	off = c->sent - c->hlen;
	n = c->blen - off < RECORD ? c->blen - off : RECORD;
	*p = c->body + off;
	return n;
}

/* Encrypt what the output may hold; close_notify after the last byte. */
static bool
encrypt_more(struct conn *c)
{
	const char	*p;
	size_t		 len;

	while (c->sent < c->hlen + c->blen &&
	    c->out.len - c->outoff < OUT_HIGH) {
		len = next_piece(c, &p);
		if (SSL_write(c->ssl, p, (int)len) != (int)len)
			return false;
		c->sent += len;
	}
	if (c->sent == c->hlen + c->blen && !c->notified) {
		if (SSL_shutdown(c->ssl) < 0)
			return false;
		c->notified = true;
	}
	return true;
}

/* Stop writing, and read what the client still sends, briefly. */
static enum next
start_linger(struct conn *c)
{
	log_request(c);
	shutdown(c->fd, SHUT_WR);
	conn_release(c);
	c->state = CS_LINGER;
	c->sent = 0;
	set_timer(c, LINGER_SECONDS);
	return N_READ;
}

static enum next
do_write(struct conn *c)
{
	bool	 progress = false;
	enum io	 io;

	for (;;) {
		if (c->ssl != NULL) {
			if (!encrypt_more(c))
				return conn_abort(c);
			io = flush(c, &progress);
		} else	/* Gopher: straight from the snapshot. */
			io = send_from(c, c->body, c->blen, &c->sent, true,
			    &progress);
		if (io == IO_WANT_WRITE) {
			if (progress)
				set_timer(c, c->w->srv->cfg->write_timeout);
			return N_WRITE;
		}
		if (io != IO_DONE)
			return conn_abort(c);
		if (c->sent == c->hlen + c->blen &&
		    (c->ssl == NULL || c->notified))
			return start_linger(c);
	}
}

/*
 * Closing a socket with unread input makes the kernel send a reset,
 * which can destroy the end of the response before the client reads
 * it.  So read and discard until the client closes, briefly.
 */
static enum next
do_linger(struct conn *c)
{
	static _Thread_local char	 buf[4096];
	ssize_t				 r;

	while ((r = recv(c->fd, buf, sizeof(buf), 0)) > 0) {
		c->sent += r;
		if (c->sent > LINGER_BYTES)
			break;
	}
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return N_READ;
	conn_free(c);
	return N_GONE;
}

/* Go as far as the connection can, then wait for its socket. */
static void
run(struct conn *c)
{
	static enum next	(*const steps[])(struct conn *) = {
		[CS_PROXY] = do_proxy,
		[CS_HANDSHAKE] = do_handshake,
		[CS_REQUEST] = do_request,
		[CS_WRITE] = do_write,
		[CS_LINGER] = do_linger,
	};
	enum next		 next;

	do
		next = steps[c->state](c);
	while (next == N_STEP);
	if (next != N_GONE)
		watch(c, next == N_WRITE ? EV_WRITE : EV_READ);
}

static void
conn_io(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	if (what & EV_READ)
		c->readable = true;
	run(c);
}

/* The request deadline, the write deadline, or the end of lingering. */
static void
conn_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	if (c->state == CS_LINGER) {
		conn_free(c);
		return;
	}
	server_note(c->w->srv, c->state == CS_WRITE ? NOTE_WRITE_TIMEOUT :
	    c->state == CS_PROXY ? NOTE_PROXY_LATE : NOTE_REQUEST_TIMEOUT);
	conn_abort(c);
}

/*
 * The one place that says who the client is: the limits count it, the
 * log names it (anonymized or not), the rate limit counts its requests.
 * Called as the connection is accepted, or, for a proxy_from source,
 * once its PROXY header names the client.  False when the address has
 * its max_connections_per_ip of this protocol already.
 */
static bool
conn_set_client(struct conn *c, const struct sockaddr_storage *addr)
{
	unsigned char	 key[16];
	struct limits	*l = c->w->srv->limits;
	struct peer	*p;

	limits_key((const struct sockaddr *)addr, key);
	if ((p = limits_enter(l, key, c->proto)) == NULL)
		return false;
	if (c->limit != NULL)
		limits_leave(l, c->limit, c->proto);
	c->limit = p;
	c->client = *addr;
	return true;
}

int
conn_pick_site(SSL *ssl, int *alert, void *arg)
{
	struct server	*srv = arg;
	struct conn	*c = SSL_get_app_data(ssl);
	const char	*name;
	size_t		 i, j;

	if ((name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) ==
	    NULL)
		return SSL_TLSEXT_ERR_OK;
	for (i = 0; i < srv->nsites; i++)
		for (j = 0; j < srv->sites[i].cfg->nhostnames; j++)
			if (url_host_equal(srv->sites[i].cfg->hostnames[j],
			    name))
				goto found;
	/* The first site's certificate; its answer will be 53. */
	return SSL_TLSEXT_ERR_OK;
found:
	if (i != c->site) {
		c->site = i;
		SSL_set_SSL_CTX(ssl, c->w->ctx[i]);
		snapshot_unref(c->snap);
		c->snap = snapshot_ref(c->w->snap[i]);
	}
	return SSL_TLSEXT_ERR_OK;
}

bool
conn_evict_idle(struct worker *w, enum proto proto,
    bool (*may)(struct server *))
{
	struct conn	*c, *oldest = NULL;
	struct timespec	 now;
	long		 idle_ms;
	char		 b;

	/*
	 * Idle: no byte for half the request timeout since it was
	 * accepted.  One that has started its handshake or request is
	 * left to request_timeout, and a loaded client may take a while
	 * to send its first flight too.
	 */
	idle_ms = w->srv->cfg->request_timeout * 500L;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (c = w->conns; c != NULL; c = c->next) {
		if (c->proto != proto || c->state >= CS_WRITE || c->heard ||
		    (now.tv_sec - c->start.tv_sec) * 1000 +
		    (now.tv_nsec - c->start.tv_nsec) / 1000000 < idle_ms)
			continue;
		/* Bytes waiting unread: busy, not idle. */
		if (recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) != -1 ||
		    (errno != EAGAIN && errno != EWOULDBLOCK))
			continue;
		/* The list is newest first: the last one found is oldest. */
		oldest = c;
	}
	if (oldest == NULL || !may(w->srv))
		return false;
	conn_abort(oldest);
	return true;
}

void
conn_start(struct worker *w, const struct listener *l, int fd,
    const struct sockaddr_storage *peer)
{
	struct conn	*c;
	BIO		*bio;
	bool		 proxied;

	pthread_once(&bio_once, bio_setup);
	c = xcalloc(1, sizeof(*c));
	c->w = w;
	c->fd = fd;
	c->proto = l->proto;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	/* A balancer's own address is no client: the header names one. */
	proxied = proxy_cidr_match(w->srv->cfg->proxy_nets,
	    w->srv->cfg->nproxy_from, (const struct sockaddr *)peer);
	if (proxied)
		c->client = *peer;
	else if (!conn_set_client(c, peer)) {
		/* Not counted in w's list: closed as it came. */
		server_note(w->srv, NOTE_PER_IP);
		close(fd);
		server_conn_closed(w, c->proto);
		free(c);
		return;
	}
	c->site = l->site;
	c->snap = snapshot_ref(w->snap[c->site]);
	c->io = event_new(w->base, fd, EV_READ | EV_PERSIST, conn_io, c);
	c->watching = EV_READ;
	c->timer = evtimer_new(w->base, conn_timeout, c);
	if (c->io == NULL || c->timer == NULL)
		abort();
	c->state = CS_REQUEST;
	if (l->proto == PROTO_GEMINI) {
		if ((c->ssl = SSL_new(w->ctx[c->site])) == NULL ||
		    (bio = BIO_new(bio_method)) == NULL)
			abort();
		SSL_set_app_data(c->ssl, c);
		BIO_set_data(bio, c);
		BIO_set_init(bio, 1);
		SSL_set_bio(c->ssl, bio, bio);
		SSL_set_accept_state(c->ssl);
		c->state = CS_HANDSHAKE;
	}
	if (proxied)
		c->state = CS_PROXY;
	c->next = w->conns;
	if (w->conns != NULL)
		w->conns->prev = c;
	w->conns = c;
	w->nconns++;
	set_timer(c, w->srv->cfg->request_timeout);
	event_add(c->io, NULL);
}
