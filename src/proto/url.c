#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

/* Which bytes a component may hold unencoded (RFC 3986 section 3). */
enum charset {
	CS_USERINFO,
	CS_HOST,
	CS_PATH,
	CS_QUERY,		/* also the fragment */
};

static bool
unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static bool
sub_delim(unsigned char c)
{
	switch (c) {
	case '!': case '$': case '&': case '\'': case '(': case ')':
	case '*': case '+': case ',': case ';': case '=':
		return true;
	}
	return false;
}

/*
 * Bytes of 0x80 and above are parts of UTF-8 sequences (the whole URL
 * was validated first): IRIs allow them unencoded everywhere but in
 * the scheme.
 */
static bool
allowed(enum charset cs, unsigned char c)
{
	if (unreserved(c) || sub_delim(c) || c >= 0x80)
		return true;
	switch (cs) {
	case CS_USERINFO:
		return c == ':';
	case CS_HOST:
		return false;
	case CS_PATH:
		return c == ':' || c == '@' || c == '/';
	case CS_QUERY:
		return c == ':' || c == '@' || c == '/' || c == '?';
	}
	return false;
}

int
url_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Check that [p, end) holds only characters of cs and well-formed
 * percent-encodings.
 */
static bool
valid_component(const char *p, const char *end, enum charset cs)
{
	for (; p < end; p++) {
		if (*p == '%') {
			if (end - p < 3 || url_hex_value(p[1]) < 0 ||
			    url_hex_value(p[2]) < 0)
				return false;
			p += 2;
		} else if (!allowed(cs, *p))
			return false;
	}
	return true;
}

/* First byte of [p, end) that is in stops, or end. */
static const char *
find_any(const char *p, const char *end, const char *stops)
{
	for (; p < end; p++)
		if (strchr(stops, *p) != NULL)
			return p;
	return end;
}

/*
 * Percent-decode [p, end) (already validated) into out, which has room
 * for end - p + 1 bytes.  The result must be UTF-8 without NUL or
 * control characters.  Returns its length or -1.
 */
static long
decode(const char *p, const char *end, char *out)
{
	size_t	n, i;

	n = url_decode(p, end - p, out, false);
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			return -1;
	return utf8_valid(out, n) ? (long)n : -1;
}

static void
lowercase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

/* ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
static const char *
parse_scheme(const char *p, const char *end, struct url *u)
{
	const char	*s = p;

	if (p == end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return NULL;
	while (p < end && (unreserved(*p) || *p == '+') && *p != '_' &&
	    *p != '~')
		p++;
	if (p == end || *p != ':')
		return NULL;
	memcpy(u->scheme, s, p - s);
	u->scheme[p - s] = '\0';
	lowercase(u->scheme);
	return p + 1;
}

/* An empty port is allowed and means the default. */
static bool
parse_port(const char *p, const char *end, struct url *u)
{
	long	port = 0;

	u->port = -1;
	if (p == end)
		return true;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		port = port * 10 + (*p - '0');
		if (port > 65535)
			return false;
	}
	u->port = port;
	return true;
}

/* "[" IPv6address "]"; IPvFuture and zone identifiers are refused. */
static const char *
parse_ip_literal(const char *p, const char *end, struct url *u)
{
	const char	*close;
	struct in6_addr	 a6;

	close = memchr(p, ']', end - p);
	if (close == NULL || close - p - 1 > INET6_ADDRSTRLEN)
		return NULL;
	memcpy(u->host, p + 1, close - p - 1);
	u->host[close - p - 1] = '\0';
	if (inet_pton(AF_INET6, u->host, &a6) != 1)
		return NULL;
	lowercase(u->host);
	u->host_kind = URL_HOST_IPV6;
	return close + 1;
}

static const char *
parse_reg_name(const char *p, const char *end, struct url *u)
{
	const char	*stop = find_any(p, end, ":");
	struct in_addr	 a4;

	if (!valid_component(p, stop, CS_HOST) || decode(p, stop, u->host) < 0)
		return NULL;
	lowercase(u->host);
	u->host_kind = inet_pton(AF_INET, u->host, &a4) == 1 ?
	    URL_HOST_IPV4 : URL_HOST_NAME;
	return stop;
}

/* [ userinfo "@" ] host [ ":" port ], all of [p, end). */
static const char *
parse_authority(const char *p, const char *end, struct url *u)
{
	const char	*at;

	for (at = end; at > p && at[-1] != '@'; at--)
		continue;
	if (at > p) {
		if (!valid_component(p, at - 1, CS_USERINFO))
			return "bad userinfo";
		u->has_userinfo = true;
		p = at;
	}
	if (p < end && *p == '[')
		p = parse_ip_literal(p, end, u);
	else
		p = parse_reg_name(p, end, u);
	if (p == NULL)
		return "bad host";
	if (p < end && (*p != ':' || !parse_port(p + 1, end, u)))
		return "bad port";
	return NULL;
}

/*
 * Resolve "." and ".." segments and drop empty ones in the decoded path
 * in[0..len) (RFC 3986 section 5.2.4).  Every '/' separates segments,
 * decoded ones too, so "%2e%2e%2f" is a ".." like any other.  out has
 * room for len + 2 bytes.  Returns false when a ".." would climb above
 * the root: such a request names nothing of ours, whatever follows.
 */
static bool
normalise(const char *in, size_t len, char *out)
{
	size_t	i = 0, o = 1, seg, n;
	bool	dir = true;

	out[0] = '/';
	while (i < len) {
		while (i < len && in[i] == '/')
			i++;
		if (i == len)
			break;
		for (seg = i; i < len && in[i] != '/'; i++)
			continue;
		n = i - seg;
		dir = true;
		if (n == 1 && in[seg] == '.')
			continue;
		if (n == 2 && in[seg] == '.' && in[seg + 1] == '.') {
			if (o == 1)
				return false;
			for (o--; out[o - 1] != '/'; o--)
				continue;
			continue;
		}
		memcpy(out + o, in + seg, n);
		o += n;
		out[o++] = '/';
		dir = i < len;
	}
	if (!dir && o > 1)
		o--;
	out[o] = '\0';
	return true;
}

bool
url_climbs_above_root(const char *s, size_t len)
{
	char	*decoded, *out;
	size_t	 n;
	bool	 ok;

	decoded = xmalloc(len + 1);
	out = xmalloc(len + 2);
	n = url_decode(s, len, decoded, false);
	ok = normalise(decoded, n, out);
	free(out);
	free(decoded);
	return !ok;
}

static const char *
parse_path(const char *p, const char *end, struct url *u)
{
	char	decoded[URL_MAX + 1];
	long	n;

	if (!valid_component(p, end, CS_PATH))
		return "bad character in path";
	if ((n = decode(p, end, decoded)) < 0)
		return "bad encoding in path";
	if (!normalise(decoded, n, u->path))
		return "dot segments above the root";
	return NULL;
}

static const char *
parse(const char *s, size_t len, struct url *u)
{
	const char	*end = s + len, *p, *stop, *err;
	size_t		 i;

	if (len > URL_MAX)
		return "URL too long";
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "control character";
	if (!utf8_valid(s, len))
		return "invalid UTF-8";
	if ((p = parse_scheme(s, end, u)) == NULL)
		return "not an absolute URL";
	if (end - p < 2 || p[0] != '/' || p[1] != '/')
		return "no authority";
	p += 2;
	stop = find_any(p, end, "/?#");
	if ((err = parse_authority(p, stop, u)) != NULL)
		return err;
	p = stop;
	stop = find_any(p, end, "?#");
	if ((err = parse_path(p, stop, u)) != NULL)
		return err;
	p = stop;
	if (p < end && *p == '?') {
		stop = find_any(++p, end, "#");
		if (!valid_component(p, stop, CS_QUERY))
			return "bad character in query";
		memcpy(u->query, p, stop - p);
		u->query[stop - p] = '\0';
		u->has_query = true;
		p = stop;
	}
	if (p < end) {
		if (!valid_component(p + 1, end, CS_QUERY))
			return "bad character in fragment";
		u->has_fragment = true;
	}
	return NULL;
}

int
url_parse(const char *s, size_t len, struct url *u, const char **errstr)
{
	const char	*err;

	u->scheme[0] = u->host[0] = u->path[0] = u->query[0] = '\0';
	u->has_userinfo = u->has_query = u->has_fragment = false;
	u->host_kind = URL_HOST_NAME;
	u->port = -1;
	if ((err = parse(s, len, u)) != NULL) {
		*errstr = err;
		return -1;
	}
	return 0;
}

bool
url_host_equal(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static inline bool
keeps(enum url_set set, unsigned char c)
{
	switch (set) {
	case URL_PATH:
		return c < 0x80 && allowed(CS_PATH, c);
	case URL_IRI_PATH:
		return allowed(CS_PATH, c);
	case URL_SELECTOR:
		return c > ' ' && c < 0x7f && c != '%' && c != '?' &&
		    c != '#' && c != '"' && c != '<' && c != '>';
	case URL_VISIBLE:
		return c > ' ' && c != 0x7f;
	case URL_URI:
		return unreserved(c) || sub_delim(c) ||
		    (c != '\0' && strchr(":/?#[]@", c) != NULL);
	case URL_FORM:
		return unreserved(c);
	}
	return false;
}

long
url_encode_to(const char *s, size_t len, enum url_set set, char *out,
    size_t outsz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s, *end = p + len;
	size_t			 n = 0;

	for (; p < end; p++) {
		if (keeps(set, *p) || (set == URL_FORM && *p == ' ')) {
			if (n + 1 >= outsz)
				return -1;
			out[n++] = set == URL_FORM && *p == ' ' ? '+' : *p;
		} else {
			if (n + 3 >= outsz)
				return -1;
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 0xf];
		}
	}
	if (n >= outsz)
		return -1;
	out[n] = '\0';
	return n;
}

void
url_encode(struct buf *b, const char *s, size_t len, enum url_set set)
{
	long	n;

	buf_reserve(b, 3 * len);
	n = url_encode_to(s, len, set, b->data + b->len, b->cap - b->len);
	b->len += (size_t)n;	/* 3 * len + 1 bytes always fit */
}

char *
url_encode_str(const char *s, enum url_set set)
{
	const unsigned char	*p;
	size_t			 len = strlen(s), n = len + 1;
	char			*out;

	/* The exact size: paths are kept for the snapshot's life. */
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (!keeps(set, *p))
			n += 2;
	out = xmalloc(n);
	url_encode_to(s, len, set, out, n);
	return out;
}

size_t
url_decode(const char *s, size_t len, char *out, bool keep_nul)
{
	size_t	i, n = 0;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = url_hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = url_hex_value((unsigned char)s[i + 2])) >= 0 &&
		    (hi || lo || !keep_nul)) {
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[n++] = s[i];
	}
	out[n] = '\0';
	return n;
}

