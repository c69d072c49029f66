/*
 * handshake: what OpenSSL itself costs the server for one Gemini
 * connection on this machine, the floor under capsuled's CPU time per
 * request.
 *
 * A server and a client SSL object talk over a BIO pair in this process.
 * The server's context is capsuled's own (tls_ctx_new of src/serve/tls.c,
 * with a certificate tls_ensure_cert generates in a temporary
 * directory), so the floor follows every change of the TLS settings.
 * Only the server's calls are timed, in thread CPU
 * time: the handshake itself, and the whole connection (SSL_new, the
 * handshake, reading the request line, writing a short response,
 * close_notify, SSL_free).  No sockets, so no kernel time: the floor.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "serve/serve-int.h"
#include "core/core.h"

#define WARMUP		20
#define MAX_ROUNDS	64	/* handshake flights, far more than needed */

static const char request[] = "gemini://localhost/\r\n";
static const char response[] = "20 text/gemini; lang=en\r\n"
    "# A capsule\n\nA line of text, then a link.\n"
    "=> /posts/ All posts\n";

struct cost {
	uint64_t	 handshake;	/* ns in the server's handshake calls */
	uint64_t	 total;		/* ns in all server calls */
};

static uint64_t	 timer_overhead;	/* ns per start/stop pair */

static void	 die(const char *) __attribute__((noreturn));

static void
die(const char *what)
{
	fprintf(stderr, "handshake: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static uint64_t
cpu_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Time spent in one server call, without the timer's own cost. */
static uint64_t
since(uint64_t t0)
{
	uint64_t	 d = cpu_ns() - t0;

	return d > timer_overhead ? d - timer_overhead : 0;
}

static void
calibrate(void)
{
	uint64_t	 t0, t = 0;
	int		 i;

	for (i = 0; i < 10000; i++) {
		t0 = cpu_ns();
		t += cpu_ns() - t0;
	}
	timer_overhead = t / 10000;
}

/*
 * capsuled's server context, with a certificate generated the way
 * capsuled generates one, in a directory removed again at once.
 */
static SSL_CTX *
server_ctx(void)
{
	struct config	 cfg;
	struct tls_pair	 p;
	char		 dir[] = "/tmp/handshake.XXXXXX";
	char		*names[] = { "localhost" };
	SSL_CTX		*ctx;

	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	memset(&cfg, 0, sizeof(cfg));
	cfg.hostnames = names;
	cfg.nhostnames = 1;
	cfg.certs_dir = dir;
	cfg.cert_file = xasprintf("%s/cert.pem", dir);
	cfg.key_file = xasprintf("%s/key.pem", dir);
	if (tls_ensure_cert(&cfg) == -1)
		die("capsuled's certificate");
	tls_pair_read(&p, cfg.cert_file, cfg.key_file);
	if ((ctx = tls_ctx_new(&p)) == NULL)
		die("capsuled's TLS context");
	tls_pair_clear(&p);
	unlink(cfg.cert_file);
	unlink(cfg.key_file);
	rmdir(dir);
	free(cfg.cert_file);
	free(cfg.key_file);
	return ctx;
}

static SSL_CTX *
client_ctx(int max_version)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		die("SSL_CTX_new");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!SSL_CTX_set_max_proto_version(ctx, max_version))
		die("client settings");
	return ctx;
}

/* A step of the handshake on one side: false on a real error. */
static bool
progress(SSL *ssl, int r)
{
	int	 e;

	if (r == 1)
		return true;
	e = SSL_get_error(ssl, r);
	return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

static void
handshake(SSL *srv, SSL *cli, struct cost *c)
{
	uint64_t	 t0, d;
	int		 i, rs = 0, rc = 0;

	for (i = 0; i < MAX_ROUNDS && (rs != 1 || rc != 1); i++) {
		if (rc != 1 && !progress(cli, rc = SSL_do_handshake(cli)))
			die("client handshake failed");
		if (rs != 1) {
			t0 = cpu_ns();
			rs = SSL_do_handshake(srv);
			d = since(t0);
			c->handshake += d;
			c->total += d;
			if (!progress(srv, rs))
				die("server handshake failed");
		}
	}
	if (rs != 1 || rc != 1)
		die("handshake did not finish");
}

/* Request, response and close_notify: the rest of a connection. */
static void
exchange(SSL *srv, SSL *cli, struct cost *c)
{
	char		 buf[512];
	uint64_t	 t0;
	int		 r;

	if (SSL_write(cli, request, sizeof(request) - 1) <= 0)
		die("client write failed");
	t0 = cpu_ns();
	r = SSL_read(srv, buf, sizeof(buf));
	if (r > 0)
		r = SSL_write(srv, response, sizeof(response) - 1);
	if (r > 0)
		r = SSL_shutdown(srv) >= 0;
	c->total += since(t0);
	if (r <= 0)
		die("server exchange failed");
	while ((r = SSL_read(cli, buf, sizeof(buf))) > 0)
		continue;
	if (SSL_get_error(cli, r) != SSL_ERROR_ZERO_RETURN)
		die("no close_notify from the server");
	/* Without its own close_notify the client's session is marked
	 * not resumable. */
	SSL_shutdown(cli);
}

/*
 * One connection.  *sess is the session to resume (or NULL) and gets
 * the one the server's ticket left.
 */
static void
connection(SSL_CTX *sctx, SSL_CTX *cctx, SSL_SESSION **sess, struct cost *c)
{
	SSL		*srv, *cli;
	BIO		*sb, *cb;
	uint64_t	 t0;

	t0 = cpu_ns();
	srv = SSL_new(sctx);
	c->total += since(t0);
	if (srv == NULL || (cli = SSL_new(cctx)) == NULL ||
	    !BIO_new_bio_pair(&sb, 0, &cb, 0))
		die("SSL_new");
	SSL_set_bio(srv, sb, sb);
	SSL_set_bio(cli, cb, cb);
	SSL_set_accept_state(srv);
	SSL_set_connect_state(cli);
	SSL_set_tlsext_host_name(cli, "localhost");
	if (*sess != NULL && !SSL_set_session(cli, *sess))
		die("SSL_set_session");
	handshake(srv, cli, c);
	if (*sess != NULL && !SSL_session_reused(srv))
		die("the session was not resumed");
	exchange(srv, cli, c);
	SSL_SESSION_free(*sess);
	*sess = SSL_get1_session(cli);
	t0 = cpu_ns();
	SSL_free(srv);
	c->total += since(t0);
	SSL_free(cli);
}

static void
measure(const char *label, SSL_CTX *sctx, int version, bool resume, int n,
    struct cost *out)
{
	SSL_CTX		*cctx = client_ctx(version);
	SSL_SESSION	*sess = NULL;
	struct cost	 c = { 0, 0 }, ignored = { 0, 0 };
	int		 i;

	/* The first connection (full) gives the session to resume. */
	for (i = 0; i < WARMUP; i++) {
		connection(sctx, cctx, &sess, &ignored);
		if (!resume) {
			SSL_SESSION_free(sess);
			sess = NULL;
		}
	}
	for (i = 0; i < n; i++) {
		connection(sctx, cctx, &sess, &c);
		if (!resume) {
			SSL_SESSION_free(sess);
			sess = NULL;
		}
	}
	SSL_SESSION_free(sess);
	SSL_CTX_free(cctx);
	out->handshake = c.handshake / (uint64_t)n;
	out->total = c.total / (uint64_t)n;
	printf("%-16s %10.1f %12.1f\n", label, out->handshake / 1e3,
	    out->total / 1e3);
}

int
main(int argc, char *argv[])
{
	SSL_CTX		*sctx;
	struct cost	 f13, r13, f12, r12;
	char		*end;
	long		 n = 1000;

	if (argc > 2 || (argc == 2 && ((n = strtol(argv[1], &end, 10)) < 1 ||
	    n > 100000 || *end != '\0'))) {
		fprintf(stderr, "usage: handshake [connections (1000)]\n");
		return 2;
	}
	calibrate();
	sctx = server_ctx();
	printf("handshake: %s, capsuled's TLS context (ECDSA P-256), %ld "
	    "connections each\n"
	    "server-side CPU time per connection, in microseconds "
	    "(timer cost %llu ns removed)\n"
	    "%-16s %10s %12s\n", OpenSSL_version(OPENSSL_VERSION), n,
	    (unsigned long long)timer_overhead, "", "handshake",
	    "connection");
	measure("TLS 1.3 full", sctx, TLS1_3_VERSION, false, (int)n, &f13);
	measure("TLS 1.3 resumed", sctx, TLS1_3_VERSION, true, (int)n, &r13);
	measure("TLS 1.2 full", sctx, TLS1_2_VERSION, false, (int)n, &f12);
	measure("TLS 1.2 resumed", sctx, TLS1_2_VERSION, true, (int)n, &r12);
	printf("(connection: SSL_new, handshake, read the request, write "
	    "%zu bytes, close_notify, SSL_free)\n", sizeof(response) - 1);
	printf("FLOOR tls13_full_us=%.1f tls13_resumed_us=%.1f "
	    "tls12_full_us=%.1f tls12_resumed_us=%.1f\n", f13.total / 1e3,
	    r13.total / 1e3, f12.total / 1e3, r12.total / 1e3);
	SSL_CTX_free(sctx);
	return 0;
}
