/*
 * The Gopher protocol (RFC 1436): one selector in, one response out.
 * Pure, like gemini.h.  The menus and texts themselves are rendered at
 * snapshot time (gopher-text.h) and looked up here.
 */
#ifndef CAPSULED_GOPHER_H
#define CAPSULED_GOPHER_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

#define GOPHER_MAX_SELECTOR	1024

struct gopher_response {
	const char	*body;		/* borrowed from the snapshot, or ... */
	size_t		 len;
	char		*owned;		/* ... an error menu built here */
	char		 selector[GOPHER_MAX_SELECTOR + 1]; /* for the log */
	int		 status;	/* for the log: 0 ok, 3 error */
	bool		 health;	/* the answer to health_selector */
};

/*
 * Scan buf for a complete selector line (ended by CRLF or LF).  Returns
 * its length including the line end, 0 when more bytes are needed, -1
 * when it can never be valid.
 */
long	gopher_request_end(const char *buf, size_t len);

/* The host and port of our items (from the settings). */
struct gopher_host {
	const char	*name;		/* the gopher_host setting, or NULL */
	const char	*hostname;	/* the first host name, or NULL */
	int		 port;		/* the public Gopher port */
	const char	*health_selector; /* a balancer's check, or NULL */
};

/*
 * The host name of every item and gopher:// URL we serve: gopher_host,
 * else hostname, else "localhost", skipping IPv6 literals (a menu's host
 * field cannot hold one, and clients do not bracket it).
 */
const char	*gopher_public_host(const char *gopher_host,
		    const char *hostname);

/*
 * Answer one request line (without its line end).  The selector
 * health_selector, when set, is a text saying "ok", with res->health
 * set, whatever the snapshot holds.
 */
void	gopher_respond(const struct snapshot *, const struct gopher_host *,
	    const char *line, size_t len, struct gopher_response *);
void	gopher_response_free(struct gopher_response *);

/*
 * Replace the answer to health_selector with a type 3 item: the server
 * is draining, and a balancer is to take it out.
 */
void	gopher_draining(struct gopher_response *);

/*
 * Replace the answer with a type 3 item saying how many seconds to wait
 * (the client's address went over the rate limit); the selector stays,
 * for the log.
 */
void	gopher_slow_down(struct gopher_response *, int seconds);

#endif
