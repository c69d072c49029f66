/*
 * The PROXY protocol header (src/proto/proxy.c): versions 1 and 2 as
 * haproxy writes them, every cut of a valid header asking for more,
 * the refusals, the client's bytes after the header left alone; the
 * networks of proxy_from.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "proto/proto.h"
#include "harness.h"

/* The client address of h as text, with its port: "1.2.3.4 5". */
static const char *
client(const struct proxy_header *h)
{
	static char	 out[INET6_ADDRSTRLEN + 8];
	const struct sockaddr_in	*s4 = (const void *)&h->client;
	const struct sockaddr_in6	*s6 = (const void *)&h->client;
	char		 a[INET6_ADDRSTRLEN];

	if (h->client.ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(out, sizeof(out), "%s %u", a, ntohs(s4->sin_port));
	} else if (h->client.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(out, sizeof(out), "%s %u", a, ntohs(s6->sin6_port));
	} else
		snprintf(out, sizeof(out), "none");
	return out;
}

/* Every proper cut of a whole header of len bytes asks for more. */
static bool
cuts_want_more(const void *buf, size_t len)
{
	struct proxy_header	 h;
	const char		*why;
	size_t			 i;

	for (i = 0; i < len; i++)
		if (proxy_parse(buf, i, &h, &why) != 0) {
			fprintf(stderr, "  cut at %zu: %s\n", i,
			    why != NULL ? why : "taken as whole");
			return false;
		}
	return true;
}

/* proxy_parse on a string; why in *why. */
static long
parse(const char *s, struct proxy_header *h, const char **why)
{
	return proxy_parse(s, strlen(s), h, why);
}

static void
test_v1(void)
{
	static const char	 tcp4[] =
	    "PROXY TCP4 192.0.2.7 198.51.100.1 56324 1965\r\n";
	static const char	 tcp6[] =
	    "PROXY TCP6 2001:db8::7 2001:db8::1 65535 70\r\n";
	struct proxy_header	 h;
	const char		*why;
	char			 buf[256];

	CHECK_INT(parse(tcp4, &h, &why), sizeof(tcp4) - 1);
	CHECK_INT(h.version, 1);
	CHECK(!h.local);
	CHECK_STR(client(&h), "192.0.2.7 56324");
	CHECK_INT(ntohs(((struct sockaddr_in *)&h.server)->sin_port), 1965);
	CHECK(cuts_want_more(tcp4, sizeof(tcp4) - 1));
	CHECK_INT(parse(tcp6, &h, &why), sizeof(tcp6) - 1);
	CHECK_STR(client(&h), "2001:db8::7 65535");
	CHECK(cuts_want_more(tcp6, sizeof(tcp6) - 1));

	/* The client's bytes after it are left alone. */
	snprintf(buf, sizeof(buf), "%s\x16\x03\x01", tcp4);
	CHECK_INT(parse(buf, &h, &why), sizeof(tcp4) - 1);
	snprintf(buf, sizeof(buf), "%s/about\r\n", tcp4);
	CHECK_INT(parse(buf, &h, &why), sizeof(tcp4) - 1);

	/* UNKNOWN: the connection's own address stands. */
	CHECK_INT(parse("PROXY UNKNOWN\r\n", &h, &why), 15);
	CHECK(h.local);
	CHECK_INT(h.client.ss_family, AF_UNSPEC);
	CHECK_INT(parse("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\nx", &h, &why),
	    35);
	CHECK(h.local);
	/* The longest line: 107 bytes with its CRLF. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "PROXY UNKNOWN ", 14);
	memset(buf + 14, 'x', PROXY_V1_MAX - 16);
	memcpy(buf + PROXY_V1_MAX - 2, "\r\n", 2);
	CHECK_INT(parse(buf, &h, &why), PROXY_V1_MAX);
	buf[PROXY_V1_MAX - 2] = buf[PROXY_V1_MAX - 1] = 'x';
	CHECK_INT(parse(buf, &h, &why), -1);
	CHECK_STR(why, "v1: no CRLF in the first 107 bytes");
}

static void
test_v1_refused(void)
{
	static const char *const bad[] = {
		"PROXY TCP4 192.0.2.7 198.51.100.1 56324 1965 9\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n",
		"PROXY TCP4  192.0.2.7 198.51.100.1 56324 1965\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 56324 1965 \r\n",
		"PROXY TCP4 2001:db8::7 198.51.100.1 56324 1965\r\n",
		"PROXY TCP6 192.0.2.7 2001:db8::1 56324 1965\r\n",
		"PROXY TCP4 192.0.2.256 198.51.100.1 56324 1965\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 65536 1965\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 056324 1965\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 +5632 1965\r\n",
		"PROXY UDP4 192.0.2.7 198.51.100.1 56324 1965\r\n",
		"PROXY TCP5 192.0.2.7 198.51.100.1 56324 1965\r\n",
		"PROXY \r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 56324 1965\rX",
		"PROXY TCP4 192.0.2.7\t198.51.100.1 56324 1965\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 56324 1965\n",
		"proxy TCP4 192.0.2.7 198.51.100.1 56324 1965\r\n",
		"PROXX",
		"gemini://localhost/\r\n",
		"/about\r\n",
		"\r\n\r\n\r\n",
		"\x16\x03\x01\x02\x00",
	};
	struct proxy_header	 h;
	const char		*why;
	size_t			 i;

	for (i = 0; i < nitems(bad); i++) {
		why = NULL;
		if (parse(bad[i], &h, &why) != -1 || why == NULL) {
			fprintf(stderr, "  taken: [%s]\n", bad[i]);
			CHECK(0);
		}
	}
	/* Refused at the first byte that cannot belong. */
	CHECK_INT(parse("G", &h, &why), -1);
	CHECK_STR(why, "not a PROXY header");
	CHECK_INT(parse("\x16", &h, &why), -1);
	CHECK_INT(parse("PROXY TCP4 1.2.3.4\x01", &h, &why), -1);
	CHECK_STR(why, "v1: a control byte in the line");
}

/* A version 2 header: command, family, address block of n bytes. */
static size_t
v2(unsigned char *b, int cmd, int fam, const unsigned char *addr, size_t n)
{
	static const unsigned char	 sig[12] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a
	};

	memcpy(b, sig, 12);
	b[12] = (unsigned char)cmd;
	b[13] = (unsigned char)fam;
	b[14] = (unsigned char)(n >> 8);
	b[15] = (unsigned char)n;
	if (n > 0)
		memcpy(b + 16, addr, n);
	return 16 + n;
}

static void
test_v2(void)
{
	/* 192.0.2.7:56324 to 198.51.100.1:1965, then a TLV (NOOP). */
	static const unsigned char	 a4[] = {
		192, 0, 2, 7, 198, 51, 100, 1, 0xdc, 0x04, 0x07, 0xad,
		0x04, 0x00, 0x02, 'x', 'y',
	};
	unsigned char			 a6[36], b[2048];
	struct proxy_header		 h;
	const char			*why;
	size_t				 n;

	n = v2(b, 0x21, 0x11, a4, sizeof(a4));
	CHECK_INT(proxy_parse(b, n, &h, &why), n);
	CHECK_INT(h.version, 2);
	CHECK(!h.local);
	CHECK_STR(client(&h), "192.0.2.7 56324");
	CHECK_INT(ntohs(((struct sockaddr_in *)&h.server)->sin_port), 1965);
	CHECK(cuts_want_more(b, n));
	/* What follows is the client's. */
	memcpy(b + n, "\x16\x03\x01", 3);
	CHECK_INT(proxy_parse(b, n + 3, &h, &why), n);

	memset(a6, 0, sizeof(a6));
	inet_pton(AF_INET6, "2001:db8::7", a6);
	inet_pton(AF_INET6, "2001:db8::1", a6 + 16);
	a6[32] = 0x12;
	a6[33] = 0x34;
	a6[35] = 70;
	n = v2(b, 0x21, 0x21, a6, sizeof(a6));
	CHECK_INT(proxy_parse(b, n, &h, &why), 52);
	CHECK_STR(client(&h), "2001:db8::7 4660");
	CHECK(cuts_want_more(b, n));

	/* LOCAL: a health check; the family and block are ignored. */
	n = v2(b, 0x20, 0x00, NULL, 0);
	CHECK_INT(proxy_parse(b, n, &h, &why), 16);
	CHECK(h.local);
	n = v2(b, 0x20, 0x11, a4, 12);
	CHECK_INT(proxy_parse(b, n, &h, &why), 28);
	CHECK(h.local);
	CHECK_INT(h.client.ss_family, AF_UNSPEC);
	n = v2(b, 0x20, 0x31, a4, 5);
	CHECK_INT(proxy_parse(b, n, &h, &why), 21);
	CHECK(h.local);
}

static void
test_v2_refused(void)
{
	static const unsigned char	 a4[12] = { 192, 0, 2, 7 };
	static const unsigned char	 zero[PROXY_MAX];
	unsigned char			 b[2048];
	struct proxy_header		 h;
	const char			*why;
	size_t				 n;

	memset(b, 0, sizeof(b));
	n = v2(b, 0x11, 0x11, a4, 12);
	CHECK_INT(proxy_parse(b, 13, &h, &why), -1);
	CHECK_STR(why, "v2: the version is not 2");
	n = v2(b, 0x22, 0x11, a4, 12);
	CHECK_INT(proxy_parse(b, 13, &h, &why), -1);
	CHECK_STR(why, "v2: the command is not LOCAL or PROXY");
	/* UDP, UNIX and UNSPEC name no TCP client. */
	v2(b, 0x21, 0x12, a4, 12);
	CHECK_INT(proxy_parse(b, 14, &h, &why), -1);
	v2(b, 0x21, 0x31, a4, 12);
	CHECK_INT(proxy_parse(b, 14, &h, &why), -1);
	v2(b, 0x21, 0x00, a4, 12);
	CHECK_INT(proxy_parse(b, 14, &h, &why), -1);
	CHECK_STR(why, "v2: PROXY names no TCP over IPv4 or IPv6 client");
	/* A block too short for its addresses, at the length already. */
	v2(b, 0x21, 0x11, a4, 11);
	CHECK_INT(proxy_parse(b, 16, &h, &why), -1);
	CHECK_STR(why, "v2: the address block is too short for its family");
	v2(b, 0x21, 0x21, zero, 35);
	CHECK_INT(proxy_parse(b, 16, &h, &why), -1);
	/* Longer than taken. */
	v2(b, 0x21, 0x11, zero, PROXY_MAX - 16 + 1);
	CHECK_INT(proxy_parse(b, 16, &h, &why), -1);
	CHECK_STR(why, "v2: longer than 1024 bytes");
	n = v2(b, 0x21, 0x11, zero, PROXY_MAX - 16);
	CHECK_INT(proxy_parse(b, n, &h, &why), PROXY_MAX);
	/* A wrong signature byte. */
	v2(b, 0x21, 0x11, a4, 12);
	b[7] = 'q';
	CHECK_INT(proxy_parse(b, 8, &h, &why), -1);
	CHECK_STR(why, "not a PROXY header");
}

static bool
in(const char *net, const char *addr)
{
	struct proxy_cidr	 c;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

	if (!proxy_cidr_parse(net, &c))
		return false;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1)
		ss.ss_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1)
		ss.ss_family = AF_INET6;
	return proxy_cidr_match(&c, 1, (struct sockaddr *)&ss);
}

static void
test_cidr(void)
{
	static const char *const bad[] = {
		"", "x", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1",
		"10.0.0.0/+8", "/8", "10.0.0.0/8/8", "10.0.0.0/8x",
		"10.0.0.0/0008", "10.0.0", "localhost",
	};
	struct proxy_cidr	 c[2];
	struct sockaddr_in	 s4;
	size_t			 i;

	for (i = 0; i < nitems(bad); i++)
		if (proxy_cidr_parse(bad[i], c)) {
			fprintf(stderr, "  taken: [%s]\n", bad[i]);
			CHECK(0);
		}
	CHECK(in("127.0.0.1", "127.0.0.1"));
	CHECK(!in("127.0.0.1", "127.0.0.2"));
	CHECK(in("10.0.0.0/8", "10.200.3.4"));
	CHECK(!in("10.0.0.0/8", "11.0.0.1"));
	CHECK(in("192.0.2.128/25", "192.0.2.200"));
	CHECK(!in("192.0.2.128/25", "192.0.2.127"));
	CHECK(in("0.0.0.0/0", "203.0.113.9"));
	CHECK(!in("0.0.0.0/0", "::1"));
	CHECK(in("::1", "::1"));
	CHECK(in("2001:db8::/32", "2001:db8:ffff::1"));
	CHECK(!in("2001:db8::/32", "2001:db9::1"));
	CHECK(!in("::/0", "127.0.0.1"));
	/* The mapped forms meet the IPv4 ones. */
	CHECK(in("10.0.0.0/8", "::ffff:10.1.1.1"));
	CHECK(in("::ffff:10.0.0.0/104", "10.1.1.1"));
	CHECK(!in("::ffff:10.0.0.0/104", "11.1.1.1"));
	/* Host bits past the prefix are cleared. */
	CHECK(proxy_cidr_parse("10.1.2.3/8", &c[0]));
	CHECK_INT(c[0].addr[1], 0);
	CHECK_INT(c[0].bits, 8);
	CHECK(proxy_cidr_parse("192.0.2.255/26", &c[0]));
	CHECK_INT(c[0].addr[3], 192);
	/* Any of several. */
	CHECK(proxy_cidr_parse("192.0.2.1", &c[0]));
	CHECK(proxy_cidr_parse("198.51.100.0/24", &c[1]));
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	inet_pton(AF_INET, "198.51.100.77", &s4.sin_addr);
	CHECK(proxy_cidr_match(c, 2, (struct sockaddr *)&s4));
	CHECK(!proxy_cidr_match(c, 1, (struct sockaddr *)&s4));
}

int
main(void)
{
	RUN(test_v1);
	RUN(test_v1_refused);
	RUN(test_v2);
	RUN(test_v2_refused);
	RUN(test_cidr);
	return HARNESS_END();
}
