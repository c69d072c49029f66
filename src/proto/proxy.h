/*
 * The PROXY protocol (haproxy's doc/proxy-protocol.txt), versions 1 and
 * 2: the header a TCP balancer sends before the client's first byte,
 * naming the client.  Pure, like gemini.h: bytes in, an address out.
 * Which sources may send one (proxy_from) is a list of CIDR blocks,
 * matched here too.
 */
#ifndef CAPSULED_PROXY_H
#define CAPSULED_PROXY_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>

/* A version 1 line, "PROXY ..." and its CRLF, is 107 bytes at most. */
#define PROXY_V1_MAX	107
/*
 * The longest header taken: version 2's 16 bytes and an address block
 * with room for TLVs (haproxy sends 12 bytes for IPv4 and 36 for IPv6
 * unless told to add TLVs).  Longer is refused.
 */
#define PROXY_MAX	1024

struct proxy_header {
	int			 version;	/* 1 or 2 */
	/*
	 * No client named: a version 2 LOCAL (a balancer's own health
	 * check) or a version 1 UNKNOWN.  The connection's own address
	 * stands.
	 */
	bool			 local;
	struct sockaddr_storage	 client;	/* AF_INET or AF_INET6 */
	struct sockaddr_storage	 server;	/* the address it reached */
};

/*
 * Read the header at the start of buf (len bytes).  Returns its length
 * once it is whole (h filled), 0 when the bytes so far start a valid
 * header but more are needed, or -1 when they cannot (*why says why,
 * a static string).  Bytes after the header are not looked at: they
 * are the client's.  A version 2 PROXY command must name an IPv4 or
 * IPv6 stream client; TLVs are skipped.
 */
long	proxy_parse(const void *buf, size_t len, struct proxy_header *h,
	    const char **why);

/* A network: an address and a prefix length (IPv4-mapped as IPv4). */
struct proxy_cidr {
	int		 af;		/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];	/* in network order, host bits 0 */
	int		 bits;
};

/*
 * "ADDR" (one address) or "ADDR/BITS" of either family into c, the
 * bits past BITS cleared.  Returns false when s is neither.
 */
bool	proxy_cidr_parse(const char *s, struct proxy_cidr *c);
/* Whether addr (AF_INET or AF_INET6) lies in one of the n networks. */
bool	proxy_cidr_match(const struct proxy_cidr *, size_t n,
	    const struct sockaddr *addr);

#endif
