#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto-int.h"

#define META_MAX	1024

static const char	 health_ok[] = "ok\n";

/* An IP address of either family, in network order. */
struct ipaddr {
	int		af;
	unsigned char	a[16];
};

long
gemini_request_end(const char *buf, size_t len)
{
	const char	*cr;
	size_t		 scan;

	/* The CR of a valid request is at index GEMINI_MAX_REQUEST at most. */
	scan = len < GEMINI_MAX_REQUEST + 1 ? len : GEMINI_MAX_REQUEST + 1;
	for (cr = buf; (cr = memchr(cr, '\r', scan - (cr - buf))) != NULL;
	    cr++) {
		if ((size_t)(cr - buf) + 1 == len)
			return 0;	/* the LF may follow */
		if (cr[1] == '\n')
			return cr - buf + 2;
	}
	return len > GEMINI_MAX_REQUEST ? -1 : 0;
}

/* meta is at most META_MAX bytes without CR or LF. */
static void
respond(struct gemini_response *r, int status, const char *meta)
{
	r->status = status;
	r->header_len = snprintf(r->header, sizeof(r->header), "%d %s\r\n",
	    status, meta);
}

static bool
ip_parse(const char *s, struct ipaddr *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, ip->a) == 1)
		ip->af = AF_INET;
	else if (inet_pton(AF_INET6, s, ip->a) == 1)
		ip->af = AF_INET6;
	else
		return false;
	return true;
}

static bool
ip_is_loopback(const struct ipaddr *ip)
{
	if (ip->af == AF_INET)
		return ip->a[0] == 127;
	return memcmp(ip->a, &in6addr_loopback, 16) == 0;
}

/*
 * An IP literal is ours when it is a loopback address or one we listen
 * on; a wildcard listener takes every address, and we cannot tell ours
 * from the rest without the socket, so any literal is accepted then.
 */
static bool
ip_is_ours(const struct gemini_host *cfg, const char *host)
{
	static const unsigned char	 any[16];
	struct ipaddr			 ip, l;
	size_t				 i;

	if (!ip_parse(host, &ip))
		return false;
	if (ip_is_loopback(&ip))
		return true;
	for (i = 0; i < cfg->nlisten; i++) {
		if (!ip_parse(cfg->listen[i], &l))
			continue;
		if (memcmp(l.a, any, sizeof(any)) == 0)
			return true;
		if (l.af == ip.af && memcmp(l.a, ip.a, sizeof(ip.a)) == 0)
			return true;
	}
	return false;
}

static bool
host_is_ours(const struct gemini_host *cfg, const char *host)
{
	size_t	i;

	for (i = 0; i < cfg->nhostnames; i++)
		if (url_host_equal(cfg->hostnames[i], host))
			return true;
	return ip_is_ours(cfg, host);
}

static void
serve_route(struct gemini_response *r, const struct route *e)
{
	if (strlen(e->type) > META_MAX) {
		respond(r, 40, "Temporary failure");
		return;
	}
	if (e->kind == ROUTE_REDIRECT) {
		/* The site layer's target: a capsule path or a URL. */
		if (e->len > META_MAX)
			respond(r, 40, "Temporary failure");
		else
			respond(r, 31, e->body);
		return;
	}
	respond(r, 20, e->type);
	r->body = e->body;
	r->body_len = e->len;
}

/* 31 to the same URL with a '/' after the path, query kept. */
static void
redirect_to_dir(struct gemini_response *r, const struct url *u)
{
	char	path[URL_MAX * 3 + 1], target[META_MAX + 2], port[8] = "";
	bool	v6 = u->host_kind == URL_HOST_IPV6;
	int	n;

	if (u->port != -1)
		snprintf(port, sizeof(port), ":%d", u->port);
	if (url_encode_to(u->path, strlen(u->path), URL_IRI_PATH, path,
	    sizeof(path)) < 0)
		n = -1;
	else
		n = snprintf(target, sizeof(target), "gemini://%s%s%s%s%s/%s%s",
		    v6 ? "[" : "", u->host, v6 ? "]" : "", port, path,
		    u->has_query ? "?" : "", u->query);
	if (n < 0 || n > META_MAX)
		respond(r, 59, "URL too long");
	else
		respond(r, 31, target);
}

/*
 * The route of a directory path (len bytes ending in '/'): its own, or
 * its index.gmi.
 */
static const struct route *
find_dir(const struct routes *rt, const char *dir, size_t len)
{
	static const char	 index[] = "index.gmi";
	const struct route	*e;
	char			 path[URL_MAX + 2 + sizeof(index)];

	if ((e = routes_find(rt, dir, len)) != NULL ||
	    len + sizeof(index) > sizeof(path))
		return e;
	memcpy(path, dir, len);
	memcpy(path + len, index, sizeof(index));
	return routes_find(rt, path, len + sizeof(index) - 1);
}

/* Whether path (without its final '/') names a directory we serve. */
static bool
is_dir(const struct routes *rt, const char *path, size_t len)
{
	char	 dir[URL_MAX + 3];

	if (len + 1 >= sizeof(dir))
		return false;
	memcpy(dir, path, len);
	dir[len] = '/';
	return find_dir(rt, dir, len + 1) != NULL;
}

/*
 * The route of path in rt, or NULL; then *is_folder tells whether path
 * names, without its final '/', a folder of rt.
 */
static const struct route *
lookup(const struct routes *rt, const char *path, size_t len,
    bool *is_folder)
{
	const struct route	*e;

	*is_folder = false;
	if (path[len - 1] == '/')
		return find_dir(rt, path, len);
	if ((e = routes_find(rt, path, len)) == NULL)
		*is_folder = is_dir(rt, path, len);
	return e;
}

/* SEARCH_PATH: 10 without a query, else the page of its results. */
static void
search(const struct snapshot *snap, const struct url *u,
    struct gemini_response *r)
{
	static const char	 prompt[] = "Search the blog: words, "
	    "\"a phrase\", prefix*, OR, NOT";
	struct buf		 page = BUF_INIT;
	char			 q[URL_MAX + 1], type[64];
	size_t			 len, clen;

	len = url_decode(u->query, strlen(u->query), q, false);
	if (len == 0) {
		respond(r, 10, prompt);
		return;
	}
	if (!utf8_valid(q, len)) {
		respond(r, 59, "Bad request: the query is not UTF-8");
		return;
	}
	if (utf8_next_control(q, q + len, &clen) != q + len) {
		respond(r, 59, "Bad request: control character in the query");
		return;
	}
	switch (search_page_gemtext(snap, q, len, &page)) {
	case SEARCH_OK:
		snprintf(type, sizeof(type), "text/gemini%s%s",
		    snap->config.lang ? "; lang=" : "",
		    snap->config.lang ? snap->config.lang : "");
		respond(r, 20, type);
		r->owned = buf_detach(&page, &r->body_len);
		r->body = r->owned;
		break;
	case SEARCH_NOTHING:
		respond(r, 10, prompt);
		break;
	case SEARCH_SLOW:
		respond(r, 40, "The search took too long: try other words");
		break;
	case SEARCH_FAILED:
		respond(r, 59, "Bad request: the search cannot be read");
		break;
	}
}

static void
serve(const struct snapshot *snap, const struct url *u,
    struct gemini_response *r)
{
	const struct route	*e;
	size_t			 len = strlen(u->path);
	bool			 folder;

	if (snap->search != NULL && strcmp(u->path, SEARCH_PATH) == 0)
		search(snap, u, r);
	else if ((e = lookup(&snap->gemini, u->path, len, &folder)) != NULL)
		serve_route(r, e);
	else if (folder)
		redirect_to_dir(r, u);
	else if (lookup(&snap->gone, u->path, len, &folder) != NULL ||
	    folder)
		respond(r, 52, "Gone: removed from this capsule");
	else
		respond(r, 51, "Not found");
}

/* The checks of the request that come before the path: 59 and 53. */
static bool
acceptable(const struct gemini_host *cfg, const char *sni, const struct url *u,
    struct gemini_response *r)
{
	if (u->has_userinfo)
		respond(r, 59, "Bad request: userinfo is not allowed");
	else if (u->has_fragment)
		respond(r, 59, "Bad request: fragment is not allowed");
	else if (strcmp(u->scheme, "gemini") != 0)
		respond(r, 53, "Proxy request refused");
	else if (u->host[0] == '\0')
		respond(r, 59, "Bad request: no host");
	else if (!host_is_ours(cfg, u->host))
		respond(r, 53, "Proxy request refused");
	else if (cfg->check_port && u->port != -1 &&
	    u->port != cfg->public_port)
		respond(r, 53, "Proxy request refused: wrong port");
	else if (sni != NULL && !host_is_ours(cfg, sni))
		respond(r, 53, "Proxy request refused: wrong server name");
	else
		return true;
	return false;
}

void
gemini_respond(const struct snapshot *snap, const struct gemini_host *cfg,
    const char *sni, const char *line, size_t len,
    struct gemini_response *r)
{
	struct url	 u;
	const char	*err;
	char		 meta[64];

	r->body = NULL;
	r->body_len = 0;
	r->owned = NULL;
	r->health = false;
	r->path[0] = r->host[0] = '\0';
	if (len == 0) {
		respond(r, 59, "Bad request: empty");
		return;
	}
	if (url_parse(line, len, &u, &err) == -1) {
		snprintf(meta, sizeof(meta), "Bad request: %s", err);
		respond(r, 59, meta);
		return;
	}
	memcpy(r->path, u.path, strlen(u.path) + 1);
	memcpy(r->host, u.host, strlen(u.host) + 1);
	if (!acceptable(cfg, sni, &u, r))
		return;
	if (cfg->health_path != NULL && strcmp(u.path, cfg->health_path) == 0) {
		respond(r, 20, "text/plain");
		r->body = health_ok;
		r->body_len = sizeof(health_ok) - 1;
		r->health = true;
	} else
		serve(snap, &u, r);
}

void
gemini_response_free(struct gemini_response *r)
{
	free(r->owned);
	r->owned = NULL;
	r->body = NULL;
	r->body_len = 0;
}

void
gemini_draining(struct gemini_response *r)
{
	respond(r, 41, "Draining: this server is shutting down");
	gemini_response_free(r);
}

void
gemini_slow_down(struct gemini_response *r, int seconds)
{
	char	meta[16];

	snprintf(meta, sizeof(meta), "%d", seconds);
	respond(r, 44, meta);
	gemini_response_free(r);
}
