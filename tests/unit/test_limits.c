/*
 * The per-address limits (src/serve/limits.c): keys (an IPv4 address
 * alone, its mapped form alike, an IPv6 address by its /64), the
 * connection cap per protocol, and the request rate.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "serve/serve-int.h"
#include "harness.h"

static void
key_of(const char *addr, unsigned char key[16])
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1)
		s4->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1)
		s6->sin6_family = AF_INET6;
	limits_key((struct sockaddr *)&ss, key);
}

static bool
same_key(const char *a, const char *b)
{
	unsigned char	ka[16], kb[16];

	key_of(a, ka);
	key_of(b, kb);
	return memcmp(ka, kb, 16) == 0;
}

static void
test_keys(void)
{
	CHECK(same_key("192.0.2.1", "::ffff:192.0.2.1"));
	CHECK(!same_key("192.0.2.1", "192.0.2.2"));
	CHECK(same_key("2001:db8:1:2::1", "2001:db8:1:2:ffff:1:2:3"));
	CHECK(!same_key("2001:db8:1:2::1", "2001:db8:1:3::1"));
	CHECK(!same_key("::1", "127.0.0.1"));
}

static void
test_cap(void)
{
	struct limits	*l = limits_new(3, 0, 16);
	struct peer	*p[4], *other;
	unsigned char	 a[16], b[16];
	int		 i;

	key_of("2001:db8::1", a);
	key_of("2001:db8::2", b);	/* the same /64 */
	for (i = 0; i < 3; i++)
		CHECK((p[i] = limits_enter(l, i % 2 ? b : a, PROTO_GEMINI)) !=
		    NULL);
	CHECK(limits_enter(l, a, PROTO_GEMINI) == NULL);
	CHECK(limits_enter(l, b, PROTO_GEMINI) == NULL);
	/* Gopher has a budget of its own. */
	CHECK((p[3] = limits_enter(l, a, PROTO_GOPHER)) != NULL);
	key_of("2001:db8:0:1::1", b);
	CHECK((other = limits_enter(l, b, PROTO_GEMINI)) != NULL);
	limits_leave(l, p[0], PROTO_GEMINI);
	CHECK((p[0] = limits_enter(l, a, PROTO_GEMINI)) != NULL);
	for (i = 0; i < 3; i++)
		limits_leave(l, p[i], PROTO_GEMINI);
	limits_leave(l, p[3], PROTO_GOPHER);
	limits_leave(l, other, PROTO_GEMINI);
	limits_free(l);

	l = limits_new(0, 0, 16);	/* no cap */
	for (i = 0; i < 100; i++)
		CHECK(limits_enter(l, a, PROTO_GEMINI) != NULL);
	limits_free(l);
}

static void
test_rate(void)
{
	struct limits	*l = limits_new(0, 6, 16);	/* one per 10 s */
	struct peer	*p, *q;
	unsigned char	 a[16], b[16];
	int		 i, wait;

	key_of("192.0.2.1", a);
	key_of("192.0.2.2", b);
	p = limits_enter(l, a, PROTO_GEMINI);
	/* A burst of the whole minute's worth, then a wait of ~10 s. */
	for (i = 0; i < 6; i++)
		CHECK_INT(limits_request(l, p), 0);
	wait = limits_request(l, p);
	CHECK(wait >= 9 && wait <= 10);
	/* Refused requests do not push the wait further. */
	CHECK(limits_request(l, p) <= wait);
	/* Another address is not slowed down. */
	q = limits_enter(l, b, PROTO_GOPHER);
	CHECK_INT(limits_request(l, q), 0);
	/* The rate is remembered once the connection is gone. */
	limits_leave(l, p, PROTO_GEMINI);
	p = limits_enter(l, a, PROTO_GOPHER);
	CHECK(limits_request(l, p) >= 9);
	limits_leave(l, p, PROTO_GOPHER);
	limits_leave(l, q, PROTO_GOPHER);
	limits_free(l);

	l = limits_new(0, 0, 16);	/* no limit */
	p = limits_enter(l, a, PROTO_GEMINI);
	for (i = 0; i < 1000; i++)
		CHECK_INT(limits_request(l, p), 0);
	limits_leave(l, p, PROTO_GEMINI);
	limits_free(l);
}

int
main(void)
{
	RUN(test_keys);
	RUN(test_cap);
	RUN(test_rate);
	return HARNESS_END();
}
