/*
 * handshake: what OpenSSL itself costs the server for one Gemini
 * connection on this machine, the floor under capsuled's CPU time per
 * request.
 *
 * A server and a client SSL object talk over a BIO pair in this process,
 * with an ECDSA P-256 certificate made in memory and the server settings
 * of src/tls.c (TLS 1.2 floor, X25519 first, stateless tickets only, one
 * TLS 1.3 ticket).  Only the server's calls are timed, in thread CPU
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

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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

static void
make_cert(EVP_PKEY **keyp, X509 **certp)
{
	EVP_PKEY	*key;
	X509		*x;
	X509_NAME	*name;
	X509V3_CTX	 v3;
	X509_EXTENSION	*ext;

	if ((key = EVP_EC_gen("P-256")) == NULL || (x = X509_new()) == NULL)
		die("key generation failed");
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"localhost", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name,
	    "DNS:localhost,IP:127.0.0.1,IP:::1");
	if (ext == NULL || !X509_add_ext(x, ext, -1))
		die("subjectAltName failed");
	X509_EXTENSION_free(ext);
	if (!X509_sign(x, key, EVP_sha256()))
		die("signing the certificate failed");
	*keyp = key;
	*certp = x;
}

/* The settings of src/tls.c that change what a handshake costs. */
static SSL_CTX *
server_ctx(EVP_PKEY *key, X509 *cert)
{
	static const unsigned char sid_ctx[] = "capsuled";
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		die("SSL_CTX_new");
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 1);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx,
	    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
	    "ECDHE-ECDSA-AES256-GCM-SHA384") ||
	    !SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") ||
	    !SSL_CTX_set_session_id_context(ctx, sid_ctx,
	    sizeof(sid_ctx) - 1) ||
	    !SSL_CTX_use_certificate(ctx, cert) ||
	    !SSL_CTX_use_PrivateKey(ctx, key))
		die("server settings");
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
	EVP_PKEY	*key;
	X509		*cert;
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
	make_cert(&key, &cert);
	sctx = server_ctx(key, cert);
	printf("handshake: %s, ECDSA P-256 certificate, X25519, %ld "
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
	X509_free(cert);
	EVP_PKEY_free(key);
	return 0;
}
