/*
 * Absolute URLs and IRIs (RFC 3986, RFC 3987) as Gemini requests carry
 * them: scheme, authority, path, query, fragment.  The path is
 * percent-decoded once and normalised; a path whose dot segments climb
 * above the root is malformed.
 */
#ifndef CAPSULED_URL_H
#define CAPSULED_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

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
 * a decoded NUL or control character in the path, ".." segments that
 * climb above the root (in any spelling: "/../", "/%2e%2e/",
 * "/a%2f..%2f.."), a bad port or IP literal, or more than URL_MAX bytes.
 */
int	url_parse(const char *s, size_t len, struct url *, const char **errstr);

/*
 * Host names are equal ignoring ASCII case and one trailing dot on
 * either side ("Example.ORG." is "example.org").
 */
bool	url_host_equal(const char *, const char *);

/*
 * The bytes percent-encoding leaves as they are, by use.  Every other
 * byte becomes %XX (upper-case hexadecimal).
 */
enum url_set {
	/* RFC 3986 path characters: unreserved, sub-delims, ':', '@', '/'. */
	URL_PATH,
	/* The same and every byte of 0x80 and above (RFC 3987 IRIs). */
	URL_IRI_PATH,
	/* A gopher:// selector (RFC 4266): visible ASCII but %?#"<>. */
	URL_SELECTOR,
	/* A link as written: all but controls, space and DEL. */
	URL_VISIBLE,
	/* Any URI character, reserved ones included (Addressable's). */
	URL_URI,
	/* A form value (Ruby's CGI.escape): unreserved; space is '+'. */
	URL_FORM,
};

/*
 * Percent-encode s[0..len) with set into out (NUL-terminated).
 * Returns the length written, or -1 when it does not fit in outsz.
 */
long	url_encode_to(const char *s, size_t len, enum url_set, char *out,
	    size_t outsz);
/* The same, appended to a buffer / as a new string. */
void	url_encode(struct buf *, const char *s, size_t len, enum url_set);
char	*url_encode_str(const char *s, enum url_set);
/*
 * Percent-decode s[0..len) into out (room for len + 1 bytes; NUL-
 * terminated): each %XX of two hexadecimal digits becomes its byte,
 * except %00 with keep_nul; anything else is copied.  Returns the
 * length written.
 */
size_t	url_decode(const char *s, size_t len, char *out, bool keep_nul);

/*
 * Whether s[0..len), percent-decoded, has ".." segments that climb
 * above the root, as url_parse reads a path ('/' separates segments,
 * decoded ones too): the same rule for Gopher selectors.
 */
bool	url_climbs_above_root(const char *s, size_t len);

/* The value of the hexadecimal digit c, or -1 when it is not one. */
int	url_hex_value(int c);

#endif
