/*
 * The Gemini protocol: one request line in, one response out.  Pure:
 * no sockets, so it is unit-tested and fuzzed directly.
 */
#ifndef CAPSULED_GEMINI_H
#define CAPSULED_GEMINI_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/* Whom a request must address to be answered (from the settings). */
struct gemini_host {
	char	**hostnames;	/* the names we answer for */
	size_t	  nhostnames;
	char	**listen;	/* the addresses we listen on */
	size_t	  nlisten;
	int	  public_port;	/* the port of our URLs */
	bool	  check_port;	/* refuse a URL that names another port */
	const char *health_path; /* a balancer's check, or NULL */
};

#define GEMINI_MAX_REQUEST	1024	/* URL bytes, CRLF not counted */

struct gemini_response {
	int		 status;	/* 20, 31, 51, 53, 59 ... */
	char		 header[1029 + 3]; /* "NN meta\r\n" */
	size_t		 header_len;
	const char	*body;		/* NULL unless status is 20 */
	size_t		 body_len;
	char		*owned;		/* a body made for the request (a
					   search), else NULL */
	char		 path[GEMINI_MAX_REQUEST + 2]; /* decoded, for the log */
	char		 host[GEMINI_MAX_REQUEST + 1]; /* as requested, or "" */
	bool		 health;	/* the answer to health_path */
};

/*
 * Scan buf for a complete request line.  Returns the length of the line
 * including its CRLF when one is there, 0 when more bytes are needed, or
 * -1 when the request can never be valid (over the limit without CRLF).
 * A bare LF does not end a request.
 */
long	gemini_request_end(const char *buf, size_t len);

/*
 * Answer one request (the line without CRLF).  sni is the TLS server
 * name the client sent, or NULL.  The host is ours when it is one of
 * cfg->hostnames, or an IP literal that is a loopback address, one of
 * cfg->listen, or any IP literal when we listen on a wildcard address
 * (0.0.0.0 or ::).  A directory path ending in '/' serves its route,
 * else its "index.gmi"; without the '/' it redirects (31) there when
 * one of the two exists (else 51: a redirect must lead somewhere).
 * The path health_path, when set, is "20 text/plain" and "ok", with
 * r->health set, whatever the snapshot holds.  SEARCH_PATH, when the
 * snapshot has a search index, asks for a search (10) without a query
 * and answers a page of results with one (search-page.h); its query is
 * percent-decoded, and must be UTF-8 without control characters (59).
 * Free r with gemini_response_free.
 */
void	gemini_respond(const struct snapshot *, const struct gemini_host *,
	    const char *sni, const char *line, size_t len,
	    struct gemini_response *);

/* Free what r owns (its body, when made for the request). */
void	gemini_response_free(struct gemini_response *r);

/*
 * Turn r (the answer to health_path) into "41" with a reason: the
 * server is draining, and a balancer is to take it out.
 */
void	gemini_draining(struct gemini_response *r);

/*
 * Turn r into "44 SECONDS" (slow down: the client's address sent more
 * requests than the rate limit allows), keeping its path and host for
 * the log.
 */
void	gemini_slow_down(struct gemini_response *r, int seconds);

#endif
