/*
 * Per-address limits, shared by every worker: how many connections an
 * address has open, per protocol (max_connections_per_ip), and how
 * fast it sends requests (rate_limit, requests per minute).
 *
 * An IPv4 address counts alone; an IPv6 address counts with its /64,
 * which is what one subscriber is usually given.  The table is a hash
 * of chained entries under one mutex, taken on accept, on close and
 * per request when a rate is set: never for long.
 *
 * The rate is a generic cell rate algorithm: each request moves the
 * address's "theoretical arrival time" on by one interval (a minute
 * over the rate), and a request that would put it more than a minute
 * minus one interval ahead of now is refused, with the seconds until
 * it would not be.  So an address may send up to rate_limit requests
 * at once, then one per interval.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve-int.h"

/* Entries kept for their rate alone (no connection open), at most. */
#define RATE_ONLY_MAX	16384
#define MINUTE_MS	60000

struct peer {
	struct peer	*next;
	unsigned char	 key[16];
	unsigned	 conns[2];	/* by enum proto */
	int64_t		 tat;		/* ms, monotonic; 0: none */
};

struct limits {
	pthread_mutex_t	 lock;
	struct peer	**buckets;
	size_t		 nbuckets;	/* a power of two */
	size_t		 rate_only;	/* entries with no connection */
	int		 per_ip;	/* 0: no cap */
	int		 rate;		/* per minute; 0: none */
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct limits *
limits_new(int per_ip, int rate, int max_conns)
{
	struct limits	*l = xcalloc(1, sizeof(*l));

	pthread_mutex_init(&l->lock, NULL);
	for (l->nbuckets = 256; l->nbuckets < (size_t)max_conns * 2;
	    l->nbuckets *= 2)
		continue;
	l->buckets = xcalloc(l->nbuckets, sizeof(*l->buckets));
	l->per_ip = per_ip;
	l->rate = rate;
	return l;
}

void
limits_free(struct limits *l)
{
	struct peer	*p, *next;
	size_t		 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nbuckets; i++)
		for (p = l->buckets[i]; p != NULL; p = next) {
			next = p->next;
			free(p);
		}
	free(l->buckets);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

void
limits_key(const struct sockaddr *sa, unsigned char key[16])
{
	const struct sockaddr_in6	*s6;
	const struct sockaddr_in	*s4;

	memset(key, 0, 16);
	if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			memcpy(key, s6->sin6_addr.s6_addr, 16);
		else
			memcpy(key, s6->sin6_addr.s6_addr, 8);	/* /64 */
	} else if (sa->sa_family == AF_INET) {
		/* As an IPv4-mapped address: one key for both forms. */
		s4 = (const struct sockaddr_in *)(const void *)sa;
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &s4->sin_addr, 4);
	}
}

static size_t
bucket_of(const struct limits *l, const unsigned char key[16])
{
	uint64_t	 h = 1469598103934665603ULL;	/* FNV-1a */
	int		 i;

	for (i = 0; i < 16; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32)) & (l->nbuckets - 1);
}

/*
 * The entry of key, made when there is none.  Entries of the bucket
 * kept only for a rate that has run out are freed on the way.
 */
static struct peer *
find(struct limits *l, const unsigned char key[16], int64_t now)
{
	struct peer	**pp, *p;

	pp = &l->buckets[bucket_of(l, key)];
	while ((p = *pp) != NULL) {
		if (memcmp(p->key, key, 16) == 0)
			return p;
		if (p->conns[0] == 0 && p->conns[1] == 0 && p->tat <= now) {
			*pp = p->next;
			free(p);
			l->rate_only--;
			continue;
		}
		pp = &p->next;
	}
	p = xcalloc(1, sizeof(*p));
	memcpy(p->key, key, 16);
	p->next = l->buckets[bucket_of(l, key)];
	l->buckets[bucket_of(l, key)] = p;
	return p;
}

/* Free p once nothing is left to remember about it. */
static void
forget(struct limits *l, struct peer *p, int64_t now)
{
	struct peer	**pp;

	if (p->conns[0] > 0 || p->conns[1] > 0)
		return;
	if (p->tat > now && l->rate_only < RATE_ONLY_MAX) {
		l->rate_only++;
		return;
	}
	for (pp = &l->buckets[bucket_of(l, p->key)]; *pp != p;
	    pp = &(*pp)->next)
		continue;
	*pp = p->next;
	free(p);
}

struct peer *
limits_enter(struct limits *l, const unsigned char key[16], int proto)
{
	struct peer	*p;

	pthread_mutex_lock(&l->lock);
	p = find(l, key, now_ms());
	if (l->per_ip > 0 && p->conns[proto] >= (unsigned)l->per_ip)
		p = NULL;
	else {
		if (p->conns[0] == 0 && p->conns[1] == 0 && p->tat > 0)
			l->rate_only--;		/* it was kept for its rate */
		p->conns[proto]++;
	}
	pthread_mutex_unlock(&l->lock);
	return p;
}

void
limits_leave(struct limits *l, struct peer *p, int proto)
{
	pthread_mutex_lock(&l->lock);
	p->conns[proto]--;
	forget(l, p, now_ms());
	pthread_mutex_unlock(&l->lock);
}

int
limits_request(struct limits *l, struct peer *p)
{
	int64_t	 now, tat, interval, tolerance, wait;

	if (l->rate <= 0)
		return 0;
	interval = MINUTE_MS / l->rate;
	tolerance = MINUTE_MS - interval;
	pthread_mutex_lock(&l->lock);
	now = now_ms();
	tat = p->tat > now ? p->tat : now;
	wait = tat - tolerance - now;
	if (wait <= 0)
		p->tat = tat + interval;
	pthread_mutex_unlock(&l->lock);
	/* Whole seconds, rounded up: "44 1" never means "now". */
	return wait <= 0 ? 0 : (int)((wait + 999) / 1000);
}
