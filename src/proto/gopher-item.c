/*
 * What a link target becomes in a menu: a capsule path, a gopher://
 * URL (RFC 4266) or any other URL (a "URL:" item), and the item types
 * of files.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

char *
gopher_post_selector(const struct post *p, bool menu)
{
	return xasprintf("/posts/%s%s", p->name, menu ? "/" : ".txt");
}

/* The item type of a file, from its MIME type (mime.c). */
char
gopher_item_type(const char *path)
{
	const char	*type;
	size_t		 len = strlen(path);

	if (len == 0 || path[len - 1] == '/')
		return '1';
	type = mime_type(path);
	if (strcmp(type, "image/gif") == 0)
		return 'g';
	if (strncmp(type, "image/", 6) == 0)
		return 'I';
	if (strncmp(type, "text/", 5) == 0)
		return '0';
	return '9';
}

/*
 * Percent-decode a link path or a gopher URL's selector; it ends at a
 * TAB (a search string follows) or a NUL.
 */
static char *
decode_selector(const char *s)
{
	size_t	 len = strlen(s);
	char	*out = xmalloc(len + 1);

	url_decode(s, len, out, false);
	out[strcspn(out, "\t")] = '\0';	/* a decoded NUL ends it too */
	return out;
}

/* gopher://host[:port][/Tselector] (RFC 4266); false if malformed. */
static bool
parse_gopher_url(const char *url, struct gopher_item *it)
{
	const char	*h = url + strlen("gopher://"), *end, *path, *p;
	const char	*sel_end;
	char		*port_end;
	long		 port = 70;
	size_t		 n;

	end = h + strcspn(h, ":/?#");
	if (end == h)
		return false;
	path = end;
	if (*path == ':') {
		if (!isdigit((unsigned char)path[1]))
			return false;
		port = strtol(path + 1, &port_end, 10);
		if (port_end == path + 1 || port < 1 || port > 65535)
			return false;
		path = port_end;
	}
	if (*path != '\0' && *path != '/')
		return false;
	/*
	 * A host field holds a name or an IPv4 address: a bracketed IPv6
	 * literal (or anything stranger) makes a URL: item.
	 */
	for (p = h; p < end; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' &&
		    *p != '_')
			return false;
	it->host = xstrndup(h, end - h);
	it->port = (int)port;
	if (path[0] == '\0' || path[1] == '\0') {
		it->type = '1';
		it->selector = xstrdup("");
	} else {
		it->type = path[1];
		it->selector = decode_selector(path + 2);
	}
	/*
	 * The type is one visible character, or the line breaks; a
	 * selector with control characters cannot be sent as it is.
	 */
	sel_end = it->selector + strlen(it->selector);
	if (it->type <= ' ' || it->type > '~' ||
	    utf8_next_control(it->selector, sel_end, &n) != sel_end) {
		gopher_item_free(it);
		return false;
	}
	return true;
}

void
gopher_item_for(const struct gopher_render *r, const char *url,
    struct gopher_item *it)
{
	char	*path, *tmp;

	memset(it, 0, sizeof(*it));
	if (url[0] == '/' && url[1] != '/') {
		path = xstrndup(url, strcspn(url, "#"));
		tmp = decode_selector(path);
		free(path);
		path = tmp;
		it->capsule = true;
		it->host = xstrdup(r->host);
		it->port = r->port;
		if (r->resolve == NULL ||
		    !r->resolve(r->ctx, path, &it->type, &it->selector)) {
			it->type = gopher_item_type(path);
			it->selector = xstrdup(path);
		}
		free(path);
		return;
	}
	if (strncasecmp(url, "gopher://", 9) == 0 &&
	    parse_gopher_url(url, it))
		return;
	it->type = 'h';
	it->selector = xmalloc(4 + strlen(url) + 1);
	memcpy(it->selector, "URL:", 4);
	strcpy(it->selector + 4, url);
	it->host = xstrdup(r->host);
	it->port = r->port;
}

void
gopher_item_free(struct gopher_item *it)
{
	free(it->selector);
	free(it->host);
	memset(it, 0, sizeof(*it));
}

/* gopher://host[:port]/Tselector, the selector percent-encoded. */
void
gopher_item_url(const struct gopher_item *it, struct buf *out)
{
	buf_puts(out, "gopher://");
	buf_puts(out, it->host);
	if (it->port != 70) {
		buf_putc(out, ':');
		gopher_menu_port(out, it->port);
	}
	buf_putc(out, '/');
	buf_putc(out, it->type);
	url_encode(out, it->selector, strlen(it->selector), URL_SELECTOR);
}
