/*
 * gemini-client: a small Gemini client for tests.  It talks to
 * 127.0.0.1 (or ::1 with -6) only, sends the request exactly as given
 * (after C escapes: \r \n \t \0 \\ \xHH; nothing is appended), prints
 * the response verbatim on stdout, and one summary line per connection
 * on stderr:
 *
 *   status=20 bytes=1234 close_notify=yes resumed=no version=TLSv1.3 ms=3.1
 *
 * status is the first two bytes of the response ("none" when nothing
 * came); " error=connect", "error=handshake" or "error=write" ends the
 * line of a connection that failed before its response.  Options:
 *
 *   -p PORT     the server's port (required)
 *   -6          connect to ::1 instead of 127.0.0.1
 *   -s NAME     send NAME as SNI (default: none)
 *   -r N        connect N times in a row, each resuming the session of
 *               the previous one
 *   -V 1.2|1.3  only this TLS version
 *   -w SEC      give up waiting after SEC seconds (default 10)
 *   -T          timing: add connect=, handshake=, first= (ms) to the line
 *   -P SEC      a slow reader: with a small receive buffer, stop reading
 *               for SEC seconds after the first bytes of the response
 *   -q          do not print the response
 *
 * Exit status: 0 when every connection ended with a close_notify, 1 when
 * one ended without it, 2 on a connection or TLS failure, 3 on a timeout,
 * 64 on a usage error.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

struct opts {
	int		 port;
	bool		 v6;
	const char	*sni;
	int		 repeat;
	int		 version;	/* 0: any */
	int		 wait;
	int		 pause;
	bool		 timing;
	bool		 quiet;
	char		*req;
	size_t		 reqlen;
};

struct result {
	char		 status[3];
	size_t		 bytes;
	bool		 close_notify;
	bool		 timeout;
	const char	*error;		/* the step that failed, or NULL */
	double		 t_connect, t_handshake, t_first, t_total;
};

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Decode C escapes of s in place; returns the length. */
static size_t
unescape(char *s)
{
	char	*r = s, *w = s;

	while (*r != '\0') {
		if (*r != '\\' || r[1] == '\0') {
			*w++ = *r++;
			continue;
		}
		r++;
		switch (*r) {
		case 'r': *w++ = '\r'; r++; break;
		case 'n': *w++ = '\n'; r++; break;
		case 't': *w++ = '\t'; r++; break;
		case '0': *w++ = '\0'; r++; break;
		case 'x':
			if (isxdigit((unsigned char)r[1]) &&
			    isxdigit((unsigned char)r[2])) {
				char hex[3] = { r[1], r[2], '\0' };

				*w++ = (char)strtol(hex, NULL, 16);
				r += 3;
				break;
			}
			/* FALLTHROUGH */
		default:
			*w++ = *r++;
			break;
		}
	}
	return w - s;
}

static int
connect_loopback(const struct opts *o)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct timeval		 tv = { o->wait, 0 };
	socklen_t		 len;
	int			 fd, one = 1, small = 4096;

	memset(&ss, 0, sizeof(ss));
	if (o->v6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(o->port);
		sin6->sin6_addr = in6addr_loopback;
		len = sizeof(*sin6);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(o->port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*sin);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1)
		return -1;
	/* A slow reader's window: the server's writes soon stall. */
	if (o->pause > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, len) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read the response to its end; fills r. */
static void
read_response(SSL *ssl, const struct opts *o, struct result *r,
    double t0)
{
	char	 buf[16384];
	int	 n, e;

	for (;;) {
		n = SSL_read(ssl, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (r->bytes == 0) {
			r->t_first = now_ms() - t0;
			if (o->pause > 0)
				sleep(o->pause);
		}
		if (r->bytes < 2)
			memcpy(r->status + r->bytes, buf,
			    (size_t)n < 2 - r->bytes ? (size_t)n :
			    2 - r->bytes);
		r->bytes += n;
		if (!o->quiet)
			fwrite(buf, 1, n, stdout);
	}
	e = SSL_get_error(ssl, n);
	r->close_notify = e == SSL_ERROR_ZERO_RETURN;
	if (e == SSL_ERROR_SYSCALL && (errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		r->timeout = true;
	fflush(stdout);
}

/* One line, written at once: many clients may share one file. */
static void
summary(SSL *ssl, const struct opts *o, const struct result *r)
{
	char	 line[512];
	int	 n;

	n = snprintf(line, sizeof(line), "status=%s bytes=%zu close_notify=%s "
	    "resumed=%s version=%s ms=%.1f%s%s%s",
	    r->bytes >= 2 ? r->status : "none", r->bytes,
	    r->close_notify ? "yes" : "no",
	    ssl != NULL && SSL_session_reused(ssl) ? "yes" : "no",
	    ssl != NULL ? SSL_get_version(ssl) : "none", r->t_total,
	    r->timeout ? " timeout" : "", r->error != NULL ? " error=" : "",
	    r->error != NULL ? r->error : "");
	if (o->timing && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n,
		    " connect=%.2f handshake=%.2f first=%.2f",
		    r->t_connect, r->t_handshake, r->t_first);
	if (n > 0 && (size_t)n < sizeof(line) - 1) {
		line[n++] = '\n';
		if (write(STDERR_FILENO, line, n) == -1)
			exit(2);
	}
}

/* A connection that failed before its response: say where, and why. */
static int
failed(const struct opts *o, SSL *ssl, int fd, struct result *r,
    const char *step, double t0)
{
	r->error = step;
	r->t_total = now_ms() - t0;
	if (errno != 0 && ERR_peek_error() == 0)
		fprintf(stderr, "%s: %s\n", step, strerror(errno));
	ERR_print_errors_fp(stderr);
	summary(ssl, o, r);
	SSL_free(ssl);
	if (fd != -1)
		close(fd);
	return 2;
}

/* One connection; *sess is used for resumption and replaced. */
static int
one(SSL_CTX *ctx, const struct opts *o, SSL_SESSION **sess)
{
	struct result	 r;
	SSL		*ssl;
	double		 t0 = now_ms();
	int		 fd, rc;

	memset(&r, 0, sizeof(r));
	errno = 0;
	if ((fd = connect_loopback(o)) == -1)
		return failed(o, NULL, -1, &r, "connect", t0);
	r.t_connect = now_ms() - t0;
	if ((ssl = SSL_new(ctx)) == NULL || !SSL_set_fd(ssl, fd) ||
	    (o->sni != NULL && !SSL_set_tlsext_host_name(ssl, o->sni)) ||
	    (*sess != NULL && !SSL_set_session(ssl, *sess)))
		return failed(o, ssl, fd, &r, "setup", t0);
	errno = 0;
	if (SSL_connect(ssl) != 1)
		return failed(o, ssl, fd, &r, "handshake", t0);
	r.t_handshake = now_ms() - t0;
	errno = 0;
	if (o->reqlen > 0 && SSL_write(ssl, o->req, (int)o->reqlen) <= 0)
		return failed(o, ssl, fd, &r, "write", t0);
	read_response(ssl, o, &r, t0);
	r.t_total = now_ms() - t0;
	summary(ssl, o, &r);
	rc = r.timeout ? 3 : r.close_notify ? 0 : 1;
	if (r.close_notify)
		SSL_shutdown(ssl);
	SSL_SESSION_free(*sess);
	*sess = SSL_get1_session(ssl);
	SSL_free(ssl);
	close(fd);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gemini-client -p port [-6Tq] [-s sni] "
	    "[-P sec] [-r n] [-V 1.2|1.3] [-w sec] request\n");
	exit(64);
}

static void
parse(struct opts *o, int argc, char *argv[])
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->repeat = 1;
	o->wait = 10;
	while ((ch = getopt(argc, argv, "6P:p:qr:s:TV:w:")) != -1) {
		switch (ch) {
		case '6': o->v6 = true; break;
		case 'P': o->pause = atoi(optarg); break;
		case 'p': o->port = atoi(optarg); break;
		case 'q': o->quiet = true; break;
		case 'r': o->repeat = atoi(optarg); break;
		case 's': o->sni = optarg; break;
		case 'T': o->timing = true; break;
		case 'V':
			if (strcmp(optarg, "1.2") == 0)
				o->version = TLS1_2_VERSION;
			else if (strcmp(optarg, "1.3") == 0)
				o->version = TLS1_3_VERSION;
			else
				usage();
			break;
		case 'w': o->wait = atoi(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 1 || o->port <= 0 || o->port > 65535 ||
	    o->repeat < 1 || o->wait < 1)
		usage();
	o->req = argv[optind];
	o->reqlen = unescape(o->req);
}

int
main(int argc, char *argv[])
{
	struct opts	 o;
	SSL_CTX		*ctx;
	SSL_SESSION	*sess = NULL;
	int		 i, rc, worst = 0;

	parse(&o, argc, argv);
	/* A server that closes early is an error to report, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return 2;
	/* Self-signed capsule certificates: trust on first use. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
	if (o.version != 0) {
		SSL_CTX_set_min_proto_version(ctx, o.version);
		SSL_CTX_set_max_proto_version(ctx, o.version);
	}
	for (i = 0; i < o.repeat; i++) {
		rc = one(ctx, &o, &sess);
		if (rc > worst)
			worst = rc;
		if (rc == 2)
			break;
	}
	SSL_SESSION_free(sess);
	SSL_CTX_free(ctx);
	return worst;
}
