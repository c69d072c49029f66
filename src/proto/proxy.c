/*
 * The PROXY protocol header, versions 1 (a text line) and 2 (binary),
 * as haproxy's send-proxy and send-proxy-v2 write it; and the networks
 * of proxy_from.
 *
 * The parser is told the bytes received so far, each time more come:
 * it answers as soon as they cannot start a header, so that a client
 * that is no balancer is turned away at its first bytes.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto-int.h"

static const unsigned char	v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
static const char		v1_sig[] = "PROXY ";
/* The first 12 bytes of an IPv4-mapped IPv6 address. */
static const unsigned char	v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

#define V2_HEAD		16	/* signature, command, family, length */
#define V2_LOCAL	0x20
#define V2_PROXY	0x21
#define V2_TCP4		0x11
#define V2_TCP6		0x21

static long
bad(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* A port of v1: decimal, 0 to 65535, no sign, no leading zero. */
static bool
v1_port(const char *s, size_t len, in_port_t *port)
{
	unsigned long	 n = 0;
	size_t		 i;

	if (len == 0 || len > 5 || (s[0] == '0' && len > 1))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (unsigned long)(s[i] - '0');
	}
	if (n > 65535)
		return false;
	*port = htons((in_port_t)n);
	return true;
}

/* An address of v1 of family af (len bytes at s) into ss. */
static bool
v1_addr(int af, const char *s, size_t len, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;
	char			 text[INET6_ADDRSTRLEN];

	if (len == 0 || len >= sizeof(text))
		return false;
	memcpy(text, s, len);
	text[len] = '\0';
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = af;
	return inet_pton(af, text, af == AF_INET ?
	    (void *)&s4->sin_addr : (void *)&s6->sin6_addr) == 1;
}

static void
set_port(struct sockaddr_storage *ss, in_port_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = port;
	else
		((struct sockaddr_in6 *)ss)->sin6_port = port;
}

/*
 * "PROXY TCP4|TCP6 SRC DST SPORT DPORT" or "PROXY UNKNOWN ...", the
 * line of len bytes without its CRLF (which follows it in memory).
 */
static long
v1_line(const char *line, size_t len, struct proxy_header *h,
    const char **why)
{
	const char	*f[6], *p, *end = line + len;
	size_t		 flen[6], n = 0;
	in_port_t	 sport, dport;
	int		 af;

	for (p = line; n < 6 && p <= end; n++) {
		f[n] = p;
		while (p < end && *p != ' ')
			p++;
		flen[n] = (size_t)(p - f[n]);
		p++;
		/* UNKNOWN: whatever follows is ignored. */
		if (n == 1 && flen[1] == 7 && memcmp(f[1], "UNKNOWN", 7) == 0) {
			h->local = true;
			return 0;
		}
	}
	if (n < 2 || flen[1] != 4 || memcmp(f[1], "TCP", 3) != 0 ||
	    (f[1][3] != '4' && f[1][3] != '6'))
		return bad(why, "v1: the protocol is not TCP4, TCP6 or UNKNOWN");
	af = f[1][3] == '4' ? AF_INET : AF_INET6;
	if (n < 6 || p <= end)
		return bad(why, "v1: not four fields after the protocol");
	if (!v1_addr(af, f[2], flen[2], &h->client) ||
	    !v1_addr(af, f[3], flen[3], &h->server))
		return bad(why, "v1: an address is not of the protocol's "
		    "family");
	if (!v1_port(f[4], flen[4], &sport) || !v1_port(f[5], flen[5], &dport))
		return bad(why, "v1: a port is not a number from 0 to 65535");
	set_port(&h->client, sport);
	set_port(&h->server, dport);
	return 0;
}

static long
parse_v1(const char *buf, size_t len, struct proxy_header *h,
    const char **why)
{
	const char	*cr;
	size_t		 i, scan = len < PROXY_V1_MAX ? len : PROXY_V1_MAX;

	/* The line holds printable ASCII up to its CR. */
	for (i = sizeof(v1_sig) - 1; i < scan && buf[i] != '\r'; i++)
		if (buf[i] < ' ' || buf[i] > '~')
			return bad(why, "v1: a control byte in the line");
	if (i == scan)
		return len >= PROXY_V1_MAX ?
		    bad(why, "v1: no CRLF in the first 107 bytes") : 0;
	cr = buf + i;
	if (i + 1 == len)
		return 0;
	if (cr[1] != '\n')
		return bad(why, "v1: CR without LF");
	h->version = 1;
	if (v1_line(buf, i, h, why) == -1)
		return -1;
	return (long)i + 2;
}

static void
v2_addr(struct sockaddr_storage *ss, int af, const unsigned char *a,
    const unsigned char *port)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	ss->ss_family = af;
	if (af == AF_INET) {
		memcpy(&s4->sin_addr, a, 4);
		memcpy(&s4->sin_port, port, 2);
	} else {
		memcpy(&s6->sin6_addr, a, 16);
		memcpy(&s6->sin6_port, port, 2);
	}
}

static long
parse_v2(const unsigned char *b, size_t len, struct proxy_header *h,
    const char **why)
{
	size_t	 body;

	if (len > 12 && (b[12] >> 4) != 2)
		return bad(why, "v2: the version is not 2");
	if (len > 12 && b[12] != V2_LOCAL && b[12] != V2_PROXY)
		return bad(why, "v2: the command is not LOCAL or PROXY");
	if (len > 13 && b[12] == V2_PROXY && b[13] != V2_TCP4 &&
	    b[13] != V2_TCP6)
		return bad(why, "v2: PROXY names no TCP over IPv4 or IPv6 "
		    "client");
	if (len < V2_HEAD)
		return 0;
	body = (size_t)b[14] << 8 | b[15];
	if (V2_HEAD + body > PROXY_MAX)
		return bad(why, "v2: longer than 1024 bytes");
	if (b[12] == V2_PROXY &&
	    body < (b[13] == V2_TCP4 ? 12 : 36))
		return bad(why, "v2: the address block is too short for its "
		    "family");
	if (len < V2_HEAD + body)
		return 0;
	h->version = 2;
	if (b[12] == V2_LOCAL)
		h->local = true;
	else if (b[13] == V2_TCP4) {
		v2_addr(&h->client, AF_INET, b + 16, b + 24);
		v2_addr(&h->server, AF_INET, b + 20, b + 26);
	} else {
		v2_addr(&h->client, AF_INET6, b + 16, b + 48);
		v2_addr(&h->server, AF_INET6, b + 32, b + 50);
	}
	return (long)(V2_HEAD + body);
}

long
proxy_parse(const void *buf, size_t len, struct proxy_header *h,
    const char **why)
{
	const unsigned char	*b = buf;
	size_t			 n;

	memset(h, 0, sizeof(*h));
	*why = NULL;
	if (len == 0)
		return 0;
	if (b[0] == v1_sig[0]) {
		n = len < sizeof(v1_sig) - 1 ? len : sizeof(v1_sig) - 1;
		if (memcmp(b, v1_sig, n) != 0)
			return bad(why, "not a PROXY header");
		return n < sizeof(v1_sig) - 1 ? 0 :
		    parse_v1(buf, len, h, why);
	}
	n = len < sizeof(v2_sig) ? len : sizeof(v2_sig);
	if (memcmp(b, v2_sig, n) != 0)
		return bad(why, "not a PROXY header");
	return parse_v2(b, len, h, why);
}

bool
proxy_cidr_parse(const char *s, struct proxy_cidr *c)
{
	const char	*slash = strchr(s, '/');
	char		 text[INET6_ADDRSTRLEN], *end;
	size_t		 len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	long		 bits;
	int		 max, i;

	memset(c, 0, sizeof(*c));
	if (len == 0 || len >= sizeof(text))
		return false;
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, c->addr) == 1)
		c->af = AF_INET;
	else if (inet_pton(AF_INET6, text, c->addr) == 1)
		c->af = AF_INET6;
	else
		return false;
	max = c->af == AF_INET ? 32 : 128;
	bits = max;
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9')
			return false;
		bits = strtol(slash + 1, &end, 10);
		if (*end != '\0' || bits > max || end - slash > 4)
			return false;
	}
	/* ::ffff:a.b.c.d/N is the IPv4 network a connection shows. */
	if (c->af == AF_INET6 && bits >= 96 &&
	    memcmp(c->addr, v4_mapped, sizeof(v4_mapped)) == 0) {
		memmove(c->addr, c->addr + 12, 4);
		memset(c->addr + 4, 0, 12);
		c->af = AF_INET;
		bits -= 96;
		max = 32;
	}
	c->bits = (int)bits;
	for (i = 0; i < max / 8; i++)
		if (i * 8 >= bits)
			c->addr[i] = 0;
		else if (i * 8 + 8 > bits)
			c->addr[i] &= (unsigned char)(0xff << (8 - (bits - i * 8)));
	return true;
}

/* Whether the first bits of a and b are alike. */
static bool
prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
	int	 whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return rest == 0 ||
	    ((a[whole] ^ b[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

bool
proxy_cidr_match(const struct proxy_cidr *c, size_t n,
    const struct sockaddr *addr)
{
	const unsigned char	*a;
	int			 af = addr->sa_family;
	size_t			 i;

	if (af == AF_INET)
		a = (const unsigned char *)
		    &((const struct sockaddr_in *)addr)->sin_addr;
	else if (af == AF_INET6) {
		a = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
		if (memcmp(a, v4_mapped, sizeof(v4_mapped)) == 0) {
			a += sizeof(v4_mapped);
			af = AF_INET;
		}
	} else
		return false;
	for (i = 0; i < n; i++)
		if (c[i].af == af && prefix_equal(c[i].addr, a, c[i].bits))
			return true;
	return false;
}
