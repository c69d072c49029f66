/*
 * gemload: a load generator for Gemini (TLS) and Gopher (TCP) servers on
 * this machine.
 *
 * Each of --concurrency connection slots runs requests back to back:
 * connect, TLS handshake (full, or resumed from the session the slot's
 * previous handshake left), send the request line, read the response
 * until the server closes; a Gemini response must end with close_notify,
 * a Gopher reply must be whole (see gopher_whole).
 * The slots of a thread share one epoll loop on non-blocking sockets.
 * Prints requests/s, latency percentiles, errors and status counts, and
 * one "RESULT key=value ..." line for scripts.
 *
 * With --proxy v1 or v2 each connection begins with a PROXY protocol
 * header, as haproxy's send-proxy or send-proxy-v2 writes it, naming a
 * client of 192.0.2.0/24 (one per slot).
 *
 * Only loopback targets are accepted (127.0.0.0/8, ::1, "localhost"),
 * and no name is ever resolved: "localhost" means 127.0.0.1.  The run
 * is bounded in time (at most MAX_SECONDS) and stops by itself.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/core.h"

#define MAX_SECONDS	120
#define MAX_CONNS	1024
#define MAX_THREADS	2
#define READ_CHUNK	16384
#define NSEC		1000000000ULL

enum proto { PROTO_GEMINI, PROTO_GOPHER };

enum state { ST_CONNECT, ST_HANDSHAKE, ST_WRITE, ST_READ };

/* Ways a request fails; printed in this order. */
enum failure {
	F_CONNECT,
	F_HANDSHAKE,
	F_IO,
	F_NO_CLOSE_NOTIFY,
	F_BAD_RESPONSE,
	F_TRUNCATED,
	F_TIMEOUT,
	NFAILURES
};

static const char *failure_names[NFAILURES] = {
	"connect", "handshake", "io", "no_close_notify", "bad_response",
	"truncated", "timeout",
};

struct options {
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	const char		*target;	/* as given, for messages */
	int			 port;
	enum proto		 proto;
	const char		*path;
	const char		*hostname;	/* URL host and SNI */
	bool			 sni;		/* hostname is not an IP */
	long			 conns;
	long			 threads;
	long			 seconds;
	long			 requests;	/* 0: run for seconds */
	long			 timeout;	/* s per request */
	bool			 resume;
	bool			 tls12;
	long			 sources;	/* -s: 127.0.1.1 to .N, 0: any */
	int			 proxy;		/* --proxy: 1 or 2, 0: none */
	char			*request;	/* the line sent, with CRLF */
	size_t			 request_len;
	SSL_CTX			*ctx;
};

struct worker;

struct slot {
	struct worker	*w;
	int		 fd;		/* -1: idle */
	enum state	 st;
	SSL		*ssl;
	SSL_SESSION	*session;	/* to resume from, --resume only */
	uint64_t	 t0;		/* ns, start of this request */
	size_t		 sent;
	char		 head[4];	/* first bytes of the response */
	char		 tail[5];	/* its last bytes, right-aligned */
	size_t		 got;
	uint32_t	 events;	/* epoll interest now */
};

struct worker {
	pthread_t	 thread;
	int		 ep;
	struct slot	*slots;
	size_t		 nslots;
	size_t		 active;
	uint32_t	*lat;		/* µs per successful request */
	size_t		 nlat, latcap;
	uint64_t	 status[100];	/* Gemini status counts */
	uint64_t	 gopher_ok, gopher_err;
	uint64_t	 failures[NFAILURES];
	uint64_t	 handshakes, resumed;
	uint64_t	 bytes;
	uint64_t	 last_done;	/* ns of the last completion */
};

static struct options	 opt;
static uint64_t		 t_start, t_stop;	/* ns */
static atomic_long	 to_start;	/* requests left to start (-n) */
static atomic_int	 interrupted;
/* The first Gopher reply: its length << 1 | 1 when it ends with ".". */
static atomic_size_t	 first_reply;
static int		 slot_index;	/* SSL ex_data index for the slot */

static void	 usage(void) __attribute__((noreturn));
static void	 die(const char *, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));

static void
usage(void)
{
	fprintf(stderr,
"usage: gemload [-r] [--tls1.2] [-a addr] [-p port] [-u path] [-H name]\n"
"               [-s sources] [--proxy v1|v2]\n"
"               [-P gemini|gopher] [-c conns] [-t threads] [-d seconds]\n"
"               [-n requests] [-T timeout]\n"
"  -a, --addr ADDR       target: 127.0.0.0/8, ::1 or localhost"
" (127.0.0.1)\n"
"  -p, --port N          port (1965; 70 for gopher)\n"
"  -u, --path PATH       URL path, or gopher selector (\"/\"; gopher \"\")\n"
"  -H, --hostname NAME   host in the URL and SNI (localhost)\n"
"  -P, --proto P         gemini or gopher (gemini)\n"
"  -c, --concurrency N   connections at once (16, at most %d)\n"
"  -t, --threads N       event loops (1, at most %d)\n"
"  -d, --duration S      seconds to run (10, at most %d)\n"
"  -n, --requests N      stop after N requests instead\n"
"  -T, --timeout S       seconds allowed per request (10)\n"
"  -r, --resume          resume TLS sessions (tickets) after the first\n"
"  -s, --sources N       connect from 127.0.1.1 to 127.0.1.N in turn\n"
"                        (IPv4 targets; at most 254)\n"
"      --tls1.2          TLS 1.2 only (default: 1.3 preferred)\n"
"      --proxy v1|v2     a PROXY header first, naming 192.0.2.x\n",
	    MAX_CONNS, MAX_THREADS, MAX_SECONDS);
	exit(2);
}

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("gemload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

/* User and system time of this process. */
static double
cpu_seconds(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static long
number(const char *s, const char *what, long lo, long hi)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		die("%s must be a number from %ld to %ld: %s", what, lo, hi,
		    s);
	return v;
}

/*
 * Accept only a loopback literal or the word localhost, which is mapped
 * here without asking any resolver: nothing leaves the machine, not
 * even a DNS query.
 */
static void
set_target(const char *host)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&opt.addr;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&opt.addr;
	char			 lit[INET6_ADDRSTRLEN + 2];
	size_t			 len = strlen(host);

	opt.target = host;
	memset(&opt.addr, 0, sizeof(opt.addr));
	if (strcasecmp(host, "localhost") == 0)
		host = "127.0.0.1";
	if (len > 2 && len < sizeof(lit) && host[0] == '[' &&
	    host[len - 1] == ']') {
		memcpy(lit, host + 1, len - 2);
		lit[len - 2] = '\0';
		host = lit;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			goto refuse;
		sin->sin_family = AF_INET;
		opt.addrlen = sizeof(*sin);
		return;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			goto refuse;
		sin6->sin6_family = AF_INET6;
		opt.addrlen = sizeof(*sin6);
		return;
	}
refuse:
	die("refusing target %s: only loopback is allowed "
	    "(127.0.0.0/8, ::1 or localhost)", opt.target);
}

static void
set_port(void)
{
	if (opt.addr.ss_family == AF_INET)
		((struct sockaddr_in *)&opt.addr)->sin_port = htons(opt.port);
	else
		((struct sockaddr_in6 *)&opt.addr)->sin6_port =
		    htons(opt.port);
}

/* The request line: a full URL for Gemini, the selector for Gopher. */
static void
build_request(void)
{
	struct in6_addr	 a6;
	const char	*path = opt.path;
	const char	*lb = "", *rb = "";

	if (opt.proto == PROTO_GOPHER) {
		opt.request = xasprintf("%s\r\n", path ? path : "");
	} else {
		if (path == NULL || *path == '\0')
			path = "/";
		if (inet_pton(AF_INET6, opt.hostname, &a6) == 1) {
			lb = "[";
			rb = "]";
		}
		opt.request = xasprintf("gemini://%s%s%s:%d%s%s\r\n", lb,
		    opt.hostname, rb, opt.port, path[0] == '/' ? "" : "/",
		    path);
	}
	opt.request_len = strlen(opt.request);
	if (opt.request_len > 1026)
		die("request longer than 1024 bytes");
}

/* The client keeps the newest session per slot (TLS 1.3 tickets arrive
 * after the handshake, with the response). */
static int
new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct slot	*s = SSL_get_ex_data(ssl, slot_index);

	if (!opt.resume || s == NULL)
		return 0;
	SSL_SESSION_free(s->session);
	s->session = sess;
	return 1;
}

static void
init_tls(void)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	opt.ctx = SSL_CTX_new(TLS_client_method());
	if (opt.ctx == NULL)
		die("SSL_CTX_new failed");
	SSL_CTX_set_min_proto_version(opt.ctx, TLS1_2_VERSION);
	if (opt.tls12)
		SSL_CTX_set_max_proto_version(opt.ctx, TLS1_2_VERSION);
	/* Self-signed capsules: trust on first use, nothing to verify. */
	SSL_CTX_set_verify(opt.ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(opt.ctx,
	    SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(opt.ctx, new_session);
	slot_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	/* RFC 6066: no IP literals in SNI. */
	opt.sni = inet_pton(AF_INET, opt.hostname, &a4) != 1 &&
	    inet_pton(AF_INET6, opt.hostname, &a6) != 1;
}

static void
watch(struct slot *s, uint32_t events)
{
	struct epoll_event	 ev;

	if (s->events == events)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = s;
	if (epoll_ctl(s->w->ep, s->events == 0 ? EPOLL_CTL_ADD :
	    EPOLL_CTL_MOD, s->fd, &ev) == -1)
		die("epoll_ctl: %s", strerror(errno));
	s->events = events;
}

static void
release(struct slot *s)
{
	if (s->ssl != NULL) {
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	if (s->fd != -1) {
		close(s->fd);
		s->fd = -1;
		s->w->active--;
	}
	s->events = 0;
}

static void
fail(struct slot *s, enum failure f)
{
	/* A request cut off by the end of a timed run is not a failure. */
	if (opt.requests != 0 || now_ns() < t_stop)
		s->w->failures[f]++;
	ERR_clear_error();
	/* A session that failed is not worth resuming. */
	if (f == F_HANDSHAKE && s->session != NULL) {
		SSL_SESSION_free(s->session);
		s->session = NULL;
	}
	release(s);
}

static void
record_status(struct slot *s)
{
	struct worker	*w = s->w;
	const char	*h = s->head;

	if (opt.proto == PROTO_GOPHER) {
		/* An item of type 3 first: the server's error menu. */
		if (h[0] == '3')
			w->gopher_err++;
		else
			w->gopher_ok++;
		return;
	}
	w->status[(h[0] - '0') * 10 + (h[1] - '0')]++;
}

static bool
valid_head(const struct slot *s)
{
	const char	*h = s->head;

	if (opt.proto == PROTO_GOPHER)
		return s->got > 0;
	return s->got >= 3 && h[0] >= '1' && h[0] <= '6' && h[1] >= '0' &&
	    h[1] <= '9' && (h[2] == ' ' || h[2] == '\r');
}

/*
 * Every request asks for the same item, so the first reply tells what
 * it is.  A menu or a text ends with its "." line (a line "." is never
 * part of one: dot-stuffing doubles it), and then every reply must; any
 * other item must be as long as the first reply.
 */
static bool
gopher_whole(const struct slot *s)
{
	size_t	 first = 0, dotted;

	dotted = (s->got == 3 && memcmp(s->tail + 2, ".\r\n", 3) == 0) ||
	    (s->got >= 5 && memcmp(s->tail, "\r\n.\r\n", 5) == 0);
	if (atomic_compare_exchange_strong(&first_reply, &first,
	    s->got << 1 | dotted))
		return true;
	if (first & 1)
		return dotted;
	return s->got == first >> 1;
}

static void
done(struct slot *s)
{
	struct worker	*w = s->w;
	uint64_t	 t = now_ns();

	if (opt.requests == 0 && t >= t_stop) {
		release(s);
		return;
	}
	if (!valid_head(s)) {
		fail(s, F_BAD_RESPONSE);
		return;
	}
	if (opt.proto == PROTO_GOPHER && !gopher_whole(s)) {
		fail(s, F_TRUNCATED);
		return;
	}
	record_status(s);
	/* Answer the server's close_notify: a session whose connection
	 * was not shut down cleanly is not offered again. */
	if (s->ssl != NULL)
		SSL_shutdown(s->ssl);
	xgrowarray(&w->lat, &w->latcap, w->nlat + 1, sizeof(*w->lat));
	w->lat[w->nlat++] = (uint32_t)((t - s->t0) / 1000);
	w->last_done = t;
	release(s);
}

static bool
may_start(void)
{
	if (atomic_load(&interrupted))
		return false;
	if (opt.requests == 0)
		return now_ns() < t_stop;
	return atomic_fetch_sub(&to_start, 1) > 0;
}

/*
 * Connect from 127.0.1.1 to 127.0.1.N in turn (-s N): a crowd of
 * clients, as a server that counts connections per address sees it.
 */
static void
bind_source(int fd)
{
	static atomic_long	 next;
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000100 +
	    1 + (uint32_t)(atomic_fetch_add(&next, 1) % opt.sources));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("bind 127.0.1.x: %s", strerror(errno));
}

static void
start(struct slot *s)
{
	int	 r, one = 1;

	s->t0 = now_ns();
	s->sent = s->got = 0;
	s->events = 0;
	memset(s->head, 0, sizeof(s->head));
	memset(s->tail, 0, sizeof(s->tail));
	s->fd = socket(opt.addr.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd == -1)
		die("socket: %s", strerror(errno));
	s->w->active++;
	/* The request follows the client's Finished in its own write:
	 * Nagle would hold it for the server's delayed ACK. */
	if (setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == -1)
		die("TCP_NODELAY: %s", strerror(errno));
	if (opt.sources > 0)
		bind_source(s->fd);
	r = connect(s->fd, (struct sockaddr *)&opt.addr, opt.addrlen);
	s->st = ST_CONNECT;
	if (r == -1 && errno != EINPROGRESS) {
		fail(s, F_CONNECT);
		return;
	}
	watch(s, EPOLLOUT);
}

/* Map an SSL_ERROR_WANT_* to the epoll interest; false on a real error. */
static bool
want(struct slot *s, int r)
{
	switch (SSL_get_error(s->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		watch(s, EPOLLIN);
		return true;
	case SSL_ERROR_WANT_WRITE:
		watch(s, EPOLLOUT);
		return true;
	default:
		return false;
	}
}

/*
 * The PROXY header of --proxy, naming client 192.0.2.N, N from the
 * slot, and the target as the destination; in buf, its length returned.
 */
static size_t
proxy_header(const struct slot *s, unsigned char *buf, size_t size)
{
	static const unsigned char sig[12] = "\r\n\r\n\0\r\nQUIT\n";
	const struct sockaddr_in *dst = (const struct sockaddr_in *)&opt.addr;
	size_t		 n = (size_t)(s - s->w->slots);
	uint32_t	 src = htonl(0xc0000200 + 1 + (uint32_t)(n % 254));
	uint16_t	 sport = htons(40000 + (uint16_t)(n % 20000));
	int		 len;

	if (opt.proxy == 1) {
		len = snprintf((char *)buf, size, "PROXY TCP4 192.0.2.%zu "
		    "127.0.0.1 %u %d\r\n", 1 + n % 254, ntohs(sport),
		    opt.port);
		return len > 0 && (size_t)len < size ? (size_t)len : 0;
	}
	memcpy(buf, sig, sizeof(sig));
	buf[12] = 0x21;		/* version 2, PROXY */
	buf[13] = 0x11;		/* TCP over IPv4 */
	buf[14] = 0;
	buf[15] = 12;
	memcpy(buf + 16, &src, 4);
	memcpy(buf + 20, &dst->sin_addr, 4);
	memcpy(buf + 24, &sport, 2);
	memcpy(buf + 26, &dst->sin_port, 2);
	return 28;
}

static void
on_connected(struct slot *s)
{
	int		 err = 0;
	socklen_t	 len = sizeof(err);
	unsigned char	 hdr[128];
	size_t		 n;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
	    err != 0) {
		fail(s, F_CONNECT);
		return;
	}
	/* A new socket's buffer takes the few bytes at once. */
	if (opt.proxy != 0 && ((n = proxy_header(s, hdr, sizeof(hdr))) == 0 ||
	    send(s->fd, hdr, n, MSG_NOSIGNAL) != (ssize_t)n)) {
		fail(s, F_IO);
		return;
	}
	if (opt.proto == PROTO_GOPHER) {
		s->st = ST_WRITE;
		return;
	}
	if ((s->ssl = SSL_new(opt.ctx)) == NULL)
		die("SSL_new failed");
	SSL_set_ex_data(s->ssl, slot_index, s);
	SSL_set_fd(s->ssl, s->fd);
	if (opt.sni)
		SSL_set_tlsext_host_name(s->ssl, opt.hostname);
	if (opt.resume && s->session != NULL)
		SSL_set_session(s->ssl, s->session);
	SSL_set_connect_state(s->ssl);
	s->st = ST_HANDSHAKE;
}

static bool
handshake(struct slot *s)
{
	int	 r;

	r = SSL_do_handshake(s->ssl);
	if (r == 1) {
		s->w->handshakes++;
		if (SSL_session_reused(s->ssl))
			s->w->resumed++;
		s->st = ST_WRITE;
		return true;
	}
	if (!want(s, r))
		fail(s, F_HANDSHAKE);
	return false;
}

static bool
send_request(struct slot *s)
{
	const char	*p = opt.request + s->sent;
	size_t		 left = opt.request_len - s->sent;
	ssize_t		 n;
	int		 r;

	if (s->ssl != NULL) {
		r = SSL_write(s->ssl, p, (int)left);
		if (r <= 0) {
			if (!want(s, r))
				fail(s, F_IO);
			return false;
		}
		n = r;
	} else {
		n = send(s->fd, p, left, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				watch(s, EPOLLOUT);
			else
				fail(s, F_IO);
			return false;
		}
	}
	s->sent += (size_t)n;
	if (s->sent < opt.request_len) {
		watch(s, EPOLLOUT);
		return false;
	}
	s->st = ST_READ;
	watch(s, EPOLLIN);
	return true;
}

static void
got_bytes(struct slot *s, const char *buf, size_t n)
{
	size_t	 k = sizeof(s->head) - s->got, t = sizeof(s->tail);

	if (s->got < sizeof(s->head)) {
		if (k > n)
			k = n;
		memcpy(s->head + s->got, buf, k);
	}
	k = n < t ? n : t;
	memmove(s->tail, s->tail + k, t - k);
	memcpy(s->tail + t - k, buf + n - k, k);
	s->got += n;
	s->w->bytes += n;
}

/* The end of a Gemini response must be the server's close_notify. */
static void
tls_read_end(struct slot *s, int r)
{
	int	 e = SSL_get_error(s->ssl, r);

	if (e == SSL_ERROR_ZERO_RETURN)
		done(s);
	else if (e == SSL_ERROR_SYSCALL || (e == SSL_ERROR_SSL &&
	    ERR_GET_REASON(ERR_peek_error()) ==
	    SSL_R_UNEXPECTED_EOF_WHILE_READING))
		fail(s, F_NO_CLOSE_NOTIFY);
	else if (!want(s, r))
		fail(s, F_IO);
}

/* Read what is there (a bounded number of chunks, to be fair to the
 * other slots); finish the request at the end of the response. */
static void
read_response(struct slot *s)
{
	static _Thread_local char	 buf[READ_CHUNK];
	ssize_t				 n;
	int				 i, r;

	for (i = 0; i < 16; i++) {
		if (s->ssl != NULL) {
			r = SSL_read(s->ssl, buf, sizeof(buf));
			if (r <= 0) {
				tls_read_end(s, r);
				return;
			}
			n = r;
		} else {
			n = recv(s->fd, buf, sizeof(buf), 0);
			if (n == 0) {
				done(s);
				return;
			}
			if (n == -1) {
				if (errno != EAGAIN && errno != EINTR)
					fail(s, F_IO);
				return;
			}
		}
		got_bytes(s, buf, (size_t)n);
	}
}

/* Drive one slot as far as it goes without blocking. */
static void
step(struct slot *s)
{
	if (s->st == ST_CONNECT) {
		on_connected(s);
		if (s->fd == -1)
			return;
	}
	if (s->st == ST_HANDSHAKE && !handshake(s))
		return;
	if (s->st == ST_WRITE && !send_request(s))
		return;
	if (s->st == ST_READ)
		read_response(s);
}

static void
expire(struct worker *w, uint64_t t)
{
	uint64_t	 limit = (uint64_t)opt.timeout * NSEC;
	size_t		 i;

	for (i = 0; i < w->nslots; i++)
		if (w->slots[i].fd != -1 && t > w->slots[i].t0 + limit)
			fail(&w->slots[i], F_TIMEOUT);
}

static bool
keep_going(struct worker *w, uint64_t t)
{
	if (atomic_load(&interrupted) || t >= t_stop)
		return false;
	return opt.requests == 0 || w->active > 0 ||
	    atomic_load(&to_start) > 0;
}

static void *
run_worker(void *arg)
{
	struct worker		*w = arg;
	struct epoll_event	 evs[128];
	uint64_t		 t, last_expire = 0;
	size_t			 i;
	int			 n;

	while (keep_going(w, t = now_ns())) {
		for (i = 0; i < w->nslots; i++)
			if (w->slots[i].fd == -1 && may_start())
				start(&w->slots[i]);
		if (t - last_expire > NSEC / 10) {
			expire(w, t);
			last_expire = t;
		}
		n = epoll_wait(w->ep, evs, (int)nitems(evs), 50);
		if (n == -1 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		for (i = 0; n > 0 && i < (size_t)n; i++)
			step(evs[i].data.ptr);
	}
	for (i = 0; i < w->nslots; i++)
		release(&w->slots[i]);
	return NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double
percentile_ms(const uint32_t *v, size_t n, double p)
{
	size_t	 i;

	if (n == 0)
		return 0.0;
	i = (size_t)(p * (double)n + 0.999999);
	if (i > 0)
		i--;
	if (i >= n)
		i = n - 1;
	return v[i] / 1000.0;
}

/* Add up the workers into the first one. */
static void
merge(struct worker *ws, int nw)
{
	struct worker	*a = &ws[0], *b;
	int		 i, k;

	for (i = 1; i < nw; i++) {
		b = &ws[i];
		xgrowarray(&a->lat, &a->latcap, a->nlat + b->nlat,
		    sizeof(*a->lat));
		if (b->nlat > 0)
			memcpy(a->lat + a->nlat, b->lat,
			    b->nlat * sizeof(*b->lat));
		a->nlat += b->nlat;
		for (k = 0; k < 100; k++)
			a->status[k] += b->status[k];
		for (k = 0; k < NFAILURES; k++)
			a->failures[k] += b->failures[k];
		a->gopher_ok += b->gopher_ok;
		a->gopher_err += b->gopher_err;
		a->handshakes += b->handshakes;
		a->resumed += b->resumed;
		a->bytes += b->bytes;
		if (b->last_done > a->last_done)
			a->last_done = b->last_done;
	}
	qsort(a->lat, a->nlat, sizeof(*a->lat), cmp_u32);
}

static void
report(const struct worker *w, double secs, double cpu)
{
	uint64_t	 nerr = 0;
	double		 rps = secs > 0 ? w->nlat / secs : 0;
	int		 k;

	for (k = 0; k < NFAILURES; k++)
		nerr += w->failures[k];
	printf("gemload: %s%.*s on %s port %d, %ld connections, %ld thread%s, "
	    "%s%s\n", opt.proto == PROTO_GEMINI ? "" : "gopher selector ",
	    (int)opt.request_len - 2, opt.request, opt.target, opt.port,
	    opt.conns, opt.threads, opt.threads > 1 ? "s" : "",
	    opt.proto == PROTO_GOPHER ? "plain TCP" :
	    opt.tls12 ? "TLS 1.2" : "TLS 1.3",
	    opt.proto == PROTO_GOPHER ? "" :
	    opt.resume ? ", resumed sessions" : ", full handshakes");
	printf("requests   %zu ok, %llu errors in %.2f s\n", w->nlat,
	    (unsigned long long)nerr, secs);
	printf("rate       %.1f requests/s, %.2f MB/s, load generator CPU "
	    "%.1f us/request\n", rps, secs > 0 ? w->bytes / secs / 1e6 : 0,
	    w->nlat > 0 ? cpu * 1e6 / w->nlat : 0);
	printf("latency    p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, "
	    "max %.2f ms\n", percentile_ms(w->lat, w->nlat, 0.50),
	    percentile_ms(w->lat, w->nlat, 0.90),
	    percentile_ms(w->lat, w->nlat, 0.99),
	    percentile_ms(w->lat, w->nlat, 1.0));
	if (opt.proto == PROTO_GEMINI) {
		printf("handshakes %llu, %llu resumed\nstatus    ",
		    (unsigned long long)w->handshakes,
		    (unsigned long long)w->resumed);
		for (k = 10; k < 100; k++)
			if (w->status[k] != 0)
				printf(" %d: %llu", k,
				    (unsigned long long)w->status[k]);
		printf("\n");
	} else
		printf("status     ok: %llu, err: %llu\n",
		    (unsigned long long)w->gopher_ok,
		    (unsigned long long)w->gopher_err);
	printf("errors    ");
	for (k = 0; k < NFAILURES; k++)
		printf(" %s: %llu", failure_names[k],
		    (unsigned long long)w->failures[k]);
	printf("\nRESULT proto=%s conns=%ld ok=%zu errors=%llu seconds=%.2f "
	    "rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
	    "handshakes=%llu resumed=%llu bytes=%llu client_cpu_us=%.1f\n",
	    opt.proto == PROTO_GEMINI ? "gemini" : "gopher", opt.conns,
	    w->nlat, (unsigned long long)nerr, secs, rps,
	    percentile_ms(w->lat, w->nlat, 0.50),
	    percentile_ms(w->lat, w->nlat, 0.90),
	    percentile_ms(w->lat, w->nlat, 0.99),
	    percentile_ms(w->lat, w->nlat, 1.0),
	    (unsigned long long)w->handshakes,
	    (unsigned long long)w->resumed,
	    (unsigned long long)w->bytes,
	    w->nlat > 0 ? cpu * 1e6 / w->nlat : 0);
}

static void
on_signal(int sig)
{
	atomic_store(&interrupted, 1);
}

/* The options that take a bounded number. */
static bool
numeric_option(int ch, const char *arg)
{
	static const struct {
		int		 ch;
		const char	*name;
		long		*dst;
		long		 lo, hi;
	} nums[] = {
		{ 'c', "concurrency", &opt.conns, 1, MAX_CONNS },
		{ 't', "threads", &opt.threads, 1, MAX_THREADS },
		{ 'd', "duration", &opt.seconds, 1, MAX_SECONDS },
		{ 'n', "requests", &opt.requests, 1, LONG_MAX / 2 },
		{ 'T', "timeout", &opt.timeout, 1, MAX_SECONDS },
	};
	size_t	 i;

	for (i = 0; i < nitems(nums); i++)
		if (nums[i].ch == ch) {
			*nums[i].dst = number(arg, nums[i].name, nums[i].lo,
			    nums[i].hi);
			return true;
		}
	return false;
}

static void
parse_args(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "addr",	 required_argument, NULL, 'a' },
		{ "port",	 required_argument, NULL, 'p' },
		{ "path",	 required_argument, NULL, 'u' },
		{ "hostname",	 required_argument, NULL, 'H' },
		{ "proto",	 required_argument, NULL, 'P' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "threads",	 required_argument, NULL, 't' },
		{ "duration",	 required_argument, NULL, 'd' },
		{ "requests",	 required_argument, NULL, 'n' },
		{ "timeout",	 required_argument, NULL, 'T' },
		{ "resume",	 no_argument,	    NULL, 'r' },
		{ "sources",	 required_argument, NULL, 's' },
		{ "tls1.2",	 no_argument,	    NULL, '2' },
		{ "proxy",	 required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*addr = "127.0.0.1";
	int		 ch;

	opt.port = -1;
	opt.hostname = "localhost";
	opt.conns = 16;
	opt.threads = 1;
	opt.seconds = 10;
	opt.timeout = 10;
	while ((ch = getopt_long(argc, argv, "a:p:u:H:P:c:t:d:n:T:rs:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'p': opt.port = number(optarg, "port", 1, 65535); break;
		case 'u': opt.path = optarg; break;
		case 'H': opt.hostname = optarg; break;
		case 'P':
			if (strcmp(optarg, "gemini") == 0)
				opt.proto = PROTO_GEMINI;
			else if (strcmp(optarg, "gopher") == 0)
				opt.proto = PROTO_GOPHER;
			else
				die("protocol must be gemini or gopher");
			break;
		case 'r': opt.resume = true; break;
		case '2': opt.tls12 = true; break;
		case 'x':
			if (strcmp(optarg, "v1") == 0)
				opt.proxy = 1;
			else if (strcmp(optarg, "v2") == 0)
				opt.proxy = 2;
			else
				die("--proxy must be v1 or v2");
			break;
		case 's': opt.sources = number(optarg, "sources", 1, 254); break;
		default:
			if (!numeric_option(ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	set_target(addr);
	if (opt.sources > 0 && opt.addr.ss_family != AF_INET)
		die("-s needs an IPv4 target");
	if (opt.proxy != 0 && opt.addr.ss_family != AF_INET)
		die("--proxy needs an IPv4 target");
	if (opt.port == -1)
		opt.port = opt.proto == PROTO_GOPHER ? 70 : 1965;
	set_port();
	if (strlen(opt.hostname) == 0 || strlen(opt.hostname) > 255 ||
	    strpbrk(opt.hostname, "/\r\n\t ") != NULL)
		die("bad host name: %s", opt.hostname);
	/* -n: the time limit is a safety net, the default the maximum. */
	if (opt.requests != 0 && opt.seconds == 10)
		opt.seconds = MAX_SECONDS;
	if (opt.threads > opt.conns)
		opt.threads = opt.conns;
}

/* Room for every connection: raise the descriptor limit to its maximum. */
static void
raise_fd_limit(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
main(int argc, char *argv[])
{
	struct worker	*ws;
	uint64_t	 end;
	double		 secs, cpu;
	size_t		 i, per;
	int		 k;

	parse_args(argc, argv);
	raise_fd_limit();
	build_request();
	if (opt.proto == PROTO_GEMINI)
		init_tls();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	atomic_store(&to_start, opt.requests);

	ws = xcalloc((size_t)opt.threads, sizeof(*ws));
	cpu = cpu_seconds();
	t_start = now_ns();
	t_stop = t_start + (uint64_t)opt.seconds * NSEC;
	for (k = 0; k < opt.threads; k++) {
		per = (size_t)(opt.conns / opt.threads +
		    (k < opt.conns % opt.threads));
		ws[k].nslots = per;
		ws[k].slots = xcalloc(per, sizeof(*ws[k].slots));
		for (i = 0; i < per; i++) {
			ws[k].slots[i].fd = -1;
			ws[k].slots[i].w = &ws[k];
		}
		if ((ws[k].ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
			die("epoll_create1: %s", strerror(errno));
		if (pthread_create(&ws[k].thread, NULL, run_worker,
		    &ws[k]) != 0)
			die("pthread_create failed");
	}
	for (k = 0; k < opt.threads; k++)
		pthread_join(ws[k].thread, NULL);
	merge(ws, opt.threads);
	if (opt.requests != 0)
		end = ws[0].last_done;
	else
		end = now_ns() < t_stop ? now_ns() : t_stop;
	secs = end > t_start ? (end - t_start) / 1e9 : 0;
	report(&ws[0], secs, cpu_seconds() - cpu);
	for (k = 0; k < NFAILURES; k++)
		if (ws[0].failures[k] != 0)
			return 1;
	return 0;
}
