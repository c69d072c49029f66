/*
 * PROXY protocol headers: proxy_parse on the bytes and on each of
 * their cuts must agree (a whole header is whole in any longer input,
 * every shorter cut of it asks for more), name a client of a family
 * that a connection has, or say why not; the same bytes as a
 * proxy_from network must parse or be refused, and match alike.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_header	 h, h2;
	struct proxy_cidr	 c;
	const char		*why;
	long			 n, m;
	size_t			 cut;
	char			*s;

	n = proxy_parse(data, size, &h, &why);
	if (n < -1 || n > (long)size || n > PROXY_MAX)
		abort();
	if (n == -1 && why == NULL)
		abort();
	if (n > 0) {
		if (!h.local && h.client.ss_family != AF_INET &&
		    h.client.ss_family != AF_INET6)
			abort();
		if (h.version != 1 && h.version != 2)
			abort();
		/* The header alone is the same header. */
		m = proxy_parse(data, (size_t)n, &h2, &why);
		if (m != n || h2.local != h.local ||
		    memcmp(&h2.client, &h.client, sizeof(h.client)) != 0)
			abort();
		/* A cut of it is not refused: more is asked for. */
		cut = (size_t)n / 2;
		if (proxy_parse(data, cut, &h2, &why) != 0)
			abort();
		/* IPv4 meets 0.0.0.0/0, in its IPv4-mapped form too. */
		if (!h.local && proxy_cidr_parse("0.0.0.0/0", &c) &&
		    proxy_cidr_match(&c, 1, (struct sockaddr *)&h.client) !=
		    (h.client.ss_family == AF_INET ||
		    IN6_IS_ADDR_V4MAPPED(
		    &((struct sockaddr_in6 *)&h.client)->sin6_addr)))
			abort();
	}
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (proxy_cidr_parse(s, &c)) {
		if ((c.af != AF_INET || c.bits > 32) &&
		    (c.af != AF_INET6 || c.bits > 128))
			abort();
		if (n > 0 && !h.local)
			(void)proxy_cidr_match(&c, 1,
			    (struct sockaddr *)&h.client);
	}
	free(s);
	return 0;
}
