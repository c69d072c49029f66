/*
 * Absolute URLs and IRIs (RFC 3986, RFC 3987) as Gemini requests carry
 * them: scheme, authority, path, query, fragment.  The path is
 * percent-decoded once and normalised so that it never leaves the root.
 */
#ifndef CAPSULED_URL_H
#define CAPSULED_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_MAX		1024	/* longest URL accepted, in bytes */

enum url_host_kind {
	URL_HOST_NAME,		/* reg-name, may be empty */
	URL_HOST_IPV4,
	URL_HOST_IPV6,		/* stored without its brackets */
};

struct url {
	char			 scheme[URL_MAX + 1];	/* lower case */
	bool			 has_userinfo;
	char			 host[URL_MAX + 1];	/* decoded, lower case */
	enum url_host_kind	 host_kind;
	int			 port;		/* -1 when absent or empty */
	/*
	 * Decoded, then normalised: starts with '/', no empty, "." or ".."
	 * segment; ends with '/' when the request did (or ended with a
	 * dot segment).
	 */
	char			 path[URL_MAX + 2];
	bool			 has_query;
	char			 query[URL_MAX + 1];	/* still encoded */
	bool			 has_fragment;
};

/*
 * Parse s[0..len), an absolute URL with an authority ("scheme://...").
 * Returns 0, or -1 with *errstr set to a short reason when the URL is
 * malformed: control characters, invalid UTF-8, bad percent-encoding,
 * a decoded NUL or control character in the path, a bad port or IP
 * literal, or more than URL_MAX bytes.
 */
int	url_parse(const char *s, size_t len, struct url *, const char **errstr);

/*
 * Host names are equal ignoring ASCII case and one trailing dot on
 * either side ("Example.ORG." is "example.org").
 */
bool	url_host_equal(const char *, const char *);

/*
 * Percent-encode a decoded path for use in a URL (bytes outside the
 * RFC 3986 path characters; UTF-8 is kept as is, as in an IRI).
 * Returns the length written (out is NUL-terminated), or -1 when it
 * does not fit in outsz.
 */
long	url_encode_path(const char *path, char *out, size_t outsz);

/* The value of the hexadecimal digit c, or -1 when it is not one. */
int	url_hex_value(int c);

#endif
