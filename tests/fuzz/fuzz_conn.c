/*
 * A whole connection, driven by the input: the server's own connection
 * code (conn_start and the worker's event loop of src/serve/conn.c,
 * with capsuled's TLS context) on one end of a socket pair, this
 * program the client on the other, speaking TLS through memory BIOs.
 *
 * The first byte says how: bits 0-1 the mode (0 Gopher; 1 Gemini over
 * TLS 1.3; 2 over TLS 1.2; 3 raw bytes to the TLS server, the
 * handshake's own parser fuzzed), bit 2 a server name (bit 3: the other
 * of two), bit 4 a half close after the last chunk, bit 5 the client
 * a proxy_from balancer (its first chunk is sent raw, first).  Then
 * chunks: a length byte (bit 7: raw bytes, not through TLS; bits 0-6
 * the length) and its bytes, each sent, then the loop run.
 *
 * Checked: what the client decrypts starts with a Gemini header; a
 * Gopher line gets an answer; the server closes after answering; every
 * connection is freed and counted out at the end.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "serve/serve-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

enum mode { M_GOPHER, M_TLS13, M_TLS12, M_RAW };

#define F_SNI		0x04
#define F_SNI_OTHER	0x08
#define F_HALF_CLOSE	0x10
#define F_PROXIED	0x20
#define CHUNK_RAW	0x80
/* Rounds of the loop after which nothing moves any more. */
#define ROUNDS		64
/* What the client keeps of the answer. */
#define ANSWER_MAX	(256 * 1024)

static struct config	 cfg;
static struct server	 srv;
static struct vhost	 site;
static struct worker	 w;
static struct listener	 ls[NPROTOS];
static struct snapshot	 snap;
static struct snapshot	*wsnap = &snap;	/* the worker's, of its one site */
static SSL_CTX		*wctx;
static struct proxy_cidr balancers;
static SSL_CTX		*client_ctx[2];	/* TLS 1.3, TLS 1.2 */
static char		*names[] = { "localhost", "example.org" };
static char		*addrs[] = { "127.0.0.1", "::1" };

/* One connection of the run: the client's end, TLS, what came back. */
struct client {
	int		 fd;
	SSL		*ssl;
	BIO		*in, *out;	/* from and to the server */
	struct buf	 answer;	/* plaintext (Gopher: all) */
	bool		 eof;		/* the server closed */
	bool		 moved;		/* a byte went either way */
};

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_conn: %s\n", what);
	abort();
}

static void
flush_log(evutil_socket_t fd, short what, void *arg)
{
	log_flush();
}

/* capsuled's TLS context, with a pair generated as it generates one. */
static SSL_CTX *
server_ctx(void)
{
	struct config	 c;
	struct tls_pair	 p;
	char		 dir[] = "/tmp/fuzz_conn.XXXXXX";
	SSL_CTX		*ctx;

	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	memset(&c, 0, sizeof(c));
	c.hostnames = names;
	c.nhostnames = 1;
	c.certs_dir = dir;
	c.cert_file = xasprintf("%s/cert.pem", dir);
	c.key_file = xasprintf("%s/key.pem", dir);
	if (tls_ensure_cert(&c) == -1)
		die("no certificate");
	tls_pair_read(&p, c.cert_file, c.key_file);
	ctx = tls_ctx_new(&p);
	tls_pair_clear(&p);
	unlink(c.cert_file);
	unlink(c.key_file);
	rmdir(dir);
	free(c.cert_file);
	free(c.key_file);
	if (ctx == NULL)
		die("no TLS context");
	return ctx;
}

static SSL_CTX *
new_client_ctx(int version)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    !SSL_CTX_set_min_proto_version(ctx, version) ||
	    !SSL_CTX_set_max_proto_version(ctx, version))
		die("client context");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	return ctx;
}

static void
setup(void)
{
	static const char	home[] = "# Home\n=> /posts/a.gmi A post\n";
	static const char	menu[] = "iHello\tfake\t(NULL)\t0\r\n.\r\n";
	static char		 big[100000];

	log_init(LOGDEST_NONE, NULL, false);
	memset(big, 'x', sizeof(big));
	atomic_init(&snap.refs, 1);
	routes_borrow(&snap.gemini, "/index.gmi", ROUTE_BODY,
	    "text/gemini; lang=en", home, sizeof(home) - 1);
	routes_borrow(&snap.gemini, "/posts/a.gmi", ROUTE_BODY,
	    "text/gemini", home, 7);
	routes_borrow(&snap.gemini, "/big.txt", ROUTE_BODY, "text/plain",
	    big, sizeof(big));
	routes_seal(&snap.gemini);
	routes_borrow(&snap.gopher, "", ROUTE_BODY, "1", menu,
	    sizeof(menu) - 1);
	routes_borrow(&snap.gopher, "/posts/a.txt", ROUTE_BODY, "0", ".\r\n",
	    3);
	routes_borrow(&snap.gopher, "/big.txt", ROUTE_BODY, "0", big,
	    sizeof(big));
	routes_seal(&snap.gopher);

	cfg.request_timeout = 10;
	cfg.write_timeout = 30;
	cfg.max_connections_per_ip = 32;
	if (!proxy_cidr_parse("10.0.0.0/8", &balancers))
		die("proxy_from");
	cfg.proxy_nets = &balancers;
	cfg.nproxy_from = 1;
	srv.cfg = &cfg;
	site.cfg = &cfg;
	site.gemini_host.hostnames = names;
	site.gemini_host.nhostnames = 2;
	site.gemini_host.listen = addrs;
	site.gemini_host.nlisten = 2;
	site.gemini_host.public_port = 1965;
	site.gemini_host.check_port = true;
	site.gopher_host.hostname = "localhost";
	site.gopher_host.port = 70;
	srv.sites = &site;
	srv.nsites = 1;
	srv.max_conns = 1024;
	srv.limits = limits_new(cfg.max_connections_per_ip, 0, srv.max_conns);
	ls[PROTO_GEMINI].proto = PROTO_GEMINI;
	ls[PROTO_GOPHER].proto = PROTO_GOPHER;

	w.srv = &srv;
	if ((w.base = event_base_new()) == NULL ||
	    (w.log_ev = event_new(w.base, -1, 0, flush_log, NULL)) == NULL)
		die("event base");
	w.snap = &wsnap;
	wctx = server_ctx();
	w.ctx = &wctx;
	client_ctx[0] = new_client_ctx(TLS1_3_VERSION);
	client_ctx[1] = new_client_ctx(TLS1_2_VERSION);
}

/* Send bytes to the server, as far as the socket takes them. */
static void
send_raw(struct client *c, const void *p, size_t len)
{
	ssize_t	 n;

	while (len > 0 && (n = send(c->fd, p, len, MSG_NOSIGNAL)) > 0) {
		p = (const char *)p + n;
		len -= (size_t)n;
		c->moved = true;
	}
}

/* Move what TLS wrote to the socket, what the socket has to TLS. */
static void
client_io(struct client *c)
{
	char	 buf[16384];
	ssize_t	 n;
	int	 r;

	if (c->ssl != NULL)
		while ((r = BIO_read(c->out, buf, sizeof(buf))) > 0)
			send_raw(c, buf, (size_t)r);
	while (!c->eof && (n = recv(c->fd, buf, sizeof(buf), 0)) != -1) {
		if (n == 0) {
			c->eof = true;
			break;
		}
		c->moved = true;
		if (c->ssl != NULL)
			BIO_write(c->in, buf, (int)n);
		else if (c->answer.len < ANSWER_MAX)
			buf_append(&c->answer, buf, (size_t)n);
	}
	if (c->ssl == NULL)
		return;
	if (!SSL_is_init_finished(c->ssl))
		SSL_do_handshake(c->ssl);
	else
		while ((r = SSL_read(c->ssl, buf, sizeof(buf))) > 0)
			if (c->answer.len < ANSWER_MAX)
				buf_append(&c->answer, buf, (size_t)r);
	while ((r = BIO_read(c->out, buf, sizeof(buf))) > 0)
		send_raw(c, buf, (size_t)r);
	ERR_clear_error();
}

/* Run the server's loop and the client until neither moves a byte. */
static void
pump(struct client *c)
{
	int	 i;

	for (i = 0; i < ROUNDS; i++) {
		c->moved = false;
		event_base_loop(w.base, EVLOOP_NONBLOCK);
		client_io(c);
		if (!c->moved && i > 1)
			break;
	}
}

/* Whether the answer begins as a Gemini response does. */
static bool
gemini_header(const struct buf *b)
{
	const char	*end;

	if (b->len == 0)
		return true;	/* nothing decrypted: nothing to check */
	if ((end = memchr(b->data, '\n', b->len)) == NULL)
		return false;
	return b->len >= 4 && b->data[0] >= '1' && b->data[0] <= '6' &&
	    b->data[1] >= '0' && b->data[1] <= '9' &&
	    (b->data[2] == ' ' || b->data[2] == '\r') &&
	    end > b->data && end[-1] == '\r' && end - b->data <= 1029 + 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client		 c;
	struct sockaddr_storage	 peer;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&peer;
	struct buf		 sent = BUF_INIT;
	enum mode		 mode;
	enum proto		 proto;
	size_t			 off, len;
	int			 sv[2], flags, i;
	bool			 raw, first = true;

	if (w.base == NULL)
		setup();
	if (size == 0)
		return 0;
	flags = data[0];
	mode = (enum mode)(flags & 3);
	proto = mode == M_GOPHER ? PROTO_GOPHER : PROTO_GEMINI;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    sv) == -1)
		die("socketpair");
	memset(&c, 0, sizeof(c));
	c.fd = sv[1];
	memset(&peer, 0, sizeof(peer));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	inet_pton(AF_INET, flags & F_PROXIED ? "10.1.2.3" : "127.0.0.1",
	    &sin->sin_addr);

	/* As listener_accept does: the slot, then the connection. */
	atomic_fetch_add(&srv.nconns[proto], 1);
	conn_start(&w, &ls[proto], sv[0], &peer);

	if (mode == M_TLS13 || mode == M_TLS12) {
		c.ssl = SSL_new(client_ctx[mode == M_TLS12]);
		c.in = BIO_new(BIO_s_mem());
		c.out = BIO_new(BIO_s_mem());
		if (c.ssl == NULL || c.in == NULL || c.out == NULL)
			die("client");
		SSL_set_bio(c.ssl, c.in, c.out);
		SSL_set_connect_state(c.ssl);
		if (flags & F_SNI)
			SSL_set_tlsext_host_name(c.ssl,
			    names[(flags & F_SNI_OTHER) != 0]);
	}
	for (off = 1; off < size; off += len) {
		raw = (data[off] & CHUNK_RAW) != 0;
		len = data[off] & ~CHUNK_RAW;
		off++;
		if (len > size - off)
			len = size - off;
		/* A balancer's header comes before the handshake. */
		if (c.ssl == NULL || raw || (first && (flags & F_PROXIED)))
			send_raw(&c, data + off, len);
		else {
			if (!SSL_is_init_finished(c.ssl))
				pump(&c);
			if (SSL_is_init_finished(c.ssl) && len > 0)
				SSL_write(c.ssl, data + off, (int)len);
		}
		/* What a Gopher server reads: every byte. */
		if (c.ssl == NULL)
			buf_append(&sent, data + off, len);
		first = false;
		pump(&c);
	}
	if (flags & F_HALF_CLOSE) {
		shutdown(c.fd, SHUT_WR);
		pump(&c);
	}
	if (c.ssl != NULL && !gemini_header(&c.answer))
		abort();
	/* A whole Gopher line from a client of its own gets an answer. */
	if (mode == M_GOPHER && !(flags & F_PROXIED) && sent.len > 0 &&
	    gopher_request_end(sent.data, sent.len) > 0 && c.answer.len == 0)
		abort();

	/* The client goes (a lingering close sees it); the rest is cut. */
	SSL_free(c.ssl);
	close(c.fd);
	for (i = 0; i < ROUNDS && w.nconns > 0; i++)
		event_base_loop(w.base, EVLOOP_NONBLOCK);
	conn_abort_all(&w, false);
	if (w.nconns != 0 || w.conns != NULL ||
	    atomic_load(&srv.nconns[proto]) != 0)
		abort();
	buf_free(&c.answer);
	buf_free(&sent);
	ERR_clear_error();
	return 0;
}
