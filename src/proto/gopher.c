#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

#define NOT_FOUND	"3Not found\t\terror.host\t1\r\n.\r\n"
#define ABOVE_ROOT	"3Bad selector: it climbs above the root\t\terror.host" \
			"\t1\r\n.\r\n"
#define DRAINING	"3Draining: this server is shutting down\t\terror.host" \
			"\t1\r\n.\r\n"
/* The answer to health_selector: a text. */
#define HEALTH_OK	"ok\r\n.\r\n"

const char *
gopher_public_host(const char *gopher_host, const char *hostname)
{
	if (gopher_host != NULL && strchr(gopher_host, ':') == NULL)
		return gopher_host;
	if (hostname != NULL && strchr(hostname, ':') == NULL)
		return hostname;
	return "localhost";
}

long
gopher_request_end(const char *buf, size_t len)
{
	const char	*nl;
	size_t		 scan;

	/* The selector, an optional CR and the LF. */
	scan = len < GOPHER_MAX_SELECTOR + 2 ? len : GOPHER_MAX_SELECTOR + 2;
	nl = memchr(buf, '\n', scan);
	if (nl != NULL)
		return (long)(nl - buf) + 1;
	return len >= GOPHER_MAX_SELECTOR + 2 ? -1 : 0;
}

static void
answer(struct gopher_response *res, char *owned, size_t len, int status)
{
	res->owned = owned;
	res->body = owned;
	res->len = len;
	res->status = status;
}

/* A fixed error item (NOT_FOUND, ABOVE_ROOT, DRAINING). */
static void
error_item(struct gopher_response *res, const char *item)
{
	answer(res, xstrdup(item), strlen(item), 3);
}

static void
not_found(struct gopher_response *res)
{
	error_item(res, NOT_FOUND);
}

/*
 * Only URLs with a scheme, and none that would run code in the
 * browser: the page is ours even when the link is not.
 */
static bool
redirect_allowed(const char *url)
{
	static const char	*denied[] = { "javascript", "vbscript",
	    "data" };
	size_t			 i, n;

	if (!isalpha((unsigned char)url[0]))
		return false;
	for (n = 1; isalnum((unsigned char)url[n]) || url[n] == '+' ||
	    url[n] == '-' || url[n] == '.'; n++)
		;
	if (url[n] != ':')
		return false;
	for (i = 0; i < nitems(denied); i++)
		if (strlen(denied[i]) == n && strncasecmp(url, denied[i],
		    n) == 0)
			return false;
	return true;
}

/* "URL:..." selectors: a page that sends a web browser on its way. */
static void
url_redirect(const char *url, struct gopher_response *res)
{
	struct buf	 b = BUF_INIT;
	size_t		 len;
	char		*body;

	if (!redirect_allowed(url)) {
		not_found(res);
		return;
	}
	buf_puts(&b, "<!DOCTYPE html>\n<html>\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"refresh\" content=\"2; url=");
	buf_put_escaped(&b, url);
	buf_puts(&b, "\">\n<title>Link to the web</title>\n</head>\n<body>\n"
	    "<p>This link leads out of Gopherspace, to <a href=\"");
	buf_put_escaped(&b, url);
	buf_puts(&b, "\">");
	buf_put_escaped(&b, url);
	buf_puts(&b, "</a>.</p>\n</body>\n</html>\n");
	body = buf_detach(&b, &len);
	answer(res, body, len, 0);
}

/*
 * An HTTP request on the Gopher port: answer in HTTP, so that a web
 * browser shows why nothing is there.
 */
static bool
is_http(const char *line, size_t len)
{
	static const char	*methods[] = { "GET ", "HEAD ", "POST " };
	size_t			 i, m;

	for (i = 0; i < nitems(methods); i++) {
		m = strlen(methods[i]);
		if (len > m + 9 && strncmp(line, methods[i], m) == 0)
			return memcmp(line + len - 9, " HTTP/1.", 8) == 0;
	}
	return false;
}

static void
http_answer(const struct gopher_host *gh, struct gopher_response *res)
{
	struct buf	 b = BUF_INIT;
	size_t		 len;
	char		*body;

	buf_printf(&b, "HTTP/1.0 400 Bad Request\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Connection: close\r\n\r\n"
	    "<!DOCTYPE html>\n<html>\n<head><title>Gopher server</title>"
	    "</head>\n<body>\n<p>This is a Gopher server: open <a href=\"");
	buf_put_escaped(&b, "gopher://");
	buf_put_escaped(&b, gopher_public_host(gh->name, gh->hostname));
	if (gh->port != 70)
		buf_printf(&b, ":%d", gh->port);
	buf_puts(&b, "/\">it</a> with a Gopher client.</p>\n</body>\n"
	    "</html>\n");
	body = buf_detach(&b, &len);
	answer(res, body, len, 3);
}

/*
 * SEARCH_PATH: with a search string (after a TAB), the menu of its
 * results; without one, a menu of the item that asks for it.
 */
static void
search(const struct snapshot *snap, const struct gopher_host *gh,
    const char *line, size_t len, struct gopher_response *res)
{
	static const char	 bad_text[] = "3The search is not UTF-8 text"
	    "\t\terror.host\t1\r\n.\r\n";
	static const char	 slow[] = "3The search took too long: try "
	    "other words\t\terror.host\t1\r\n.\r\n";
	static const char	 failed[] = "3The search cannot be read"
	    "\t\terror.host\t1\r\n.\r\n";
	struct buf		 b = BUF_INIT;
	const char		*q, *end;
	size_t			 n = 0;
	char			*body;

	/* After the search string, a Gopher+ client may add a TAB and more. */
	if ((q = memchr(line, '\t', len)) != NULL) {
		q++;
		end = memchr(q, '\t', (size_t)(line + len - q));
		n = (size_t)((end ? end : line + len) - q);
	}
	if (!utf8_valid(q, n)) {
		error_item(res, bad_text);
		return;
	}
	switch (n == 0 ? SEARCH_NOTHING : search_page_menu(snap, gh, q, n,
	    &b)) {
	case SEARCH_OK:
		break;
	case SEARCH_NOTHING:
		gopher_text_info(&b, "Search the posts: words, \"a phrase\", "
		    "prefix*, OR, NOT");
		search_page_prompt(gh, &b);
		gopher_menu_end(&b);
		break;
	case SEARCH_SLOW:
		error_item(res, slow);
		return;
	case SEARCH_FAILED:
		error_item(res, failed);
		return;
	}
	body = buf_detach(&b, &n);
	answer(res, body, n, 0);
}

void
gopher_respond(const struct snapshot *snap, const struct gopher_host *gh,
    const char *line, size_t len, struct gopher_response *res)
{
	const struct route	*r;
	const char		*tab;
	char			*url;

	memset(res, 0, sizeof(*res));
	/* Tolerate a caller that left the line end in. */
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > GOPHER_MAX_SELECTOR || memchr(line, '\0', len) != NULL) {
		memcpy(res->selector, line, len > GOPHER_MAX_SELECTOR ?
		    GOPHER_MAX_SELECTOR : len);
		not_found(res);
		return;
	}
	memcpy(res->selector, line, len);
	if (gh->health_selector != NULL &&
	    strlen(gh->health_selector) == len &&
	    memcmp(line, gh->health_selector, len) == 0) {
		res->body = HEALTH_OK;
		res->len = sizeof(HEALTH_OK) - 1;
		res->health = true;
		return;
	}
	if (is_http(line, len)) {
		http_answer(gh, res);
		return;
	}
	/*
	 * A TAB ends the selector: what follows is a search string or a
	 * Gopher+ suffix ("\t+", "\t$", "\t!").  We speak plain Gopher:
	 * the item is served as to a Gopher0 client.
	 */
	tab = memchr(line, '\t', len);
	if (snap->search != NULL && (size_t)((tab ? tab : line + len) - line) ==
	    strlen(SEARCH_PATH) && memcmp(line, SEARCH_PATH,
	    strlen(SEARCH_PATH)) == 0) {
		search(snap, gh, line, len, res);
		return;
	}
	if (tab != NULL)
		len = tab - line;
	if (len >= 4 && strncmp(line, "URL:", 4) == 0) {
		url = xstrndup(line + 4, len - 4);
		url_redirect(url, res);
		free(url);
		return;
	}
	/* Gemini's rule for paths: dot segments stay below the root. */
	if (url_climbs_above_root(line, len)) {
		error_item(res, ABOVE_ROOT);
		return;
	}
	if ((r = routes_find(&snap->gopher, line, len)) == NULL) {
		not_found(res);
		return;
	}
	if (r->kind == ROUTE_RECIPE) {
		res->owned = gopher_recipe_expand(r->body, r->len, &res->len);
		res->body = res->owned;
		return;
	}
	res->body = r->body;
	res->len = r->len;
}

void
gopher_response_free(struct gopher_response *res)
{
	free(res->owned);
	res->owned = NULL;
	res->body = NULL;
	res->len = 0;
}

void
gopher_draining(struct gopher_response *res)
{
	gopher_response_free(res);
	error_item(res, DRAINING);
}

void
gopher_slow_down(struct gopher_response *res, int seconds)
{
	struct buf	 b = BUF_INIT;
	size_t		 len;
	char		*body;

	gopher_response_free(res);
	buf_printf(&b, "3Too many requests: wait %d second%s\t\terror.host"
	    "\t1\r\n.\r\n", seconds, seconds == 1 ? "" : "s");
	body = buf_detach(&b, &len);
	answer(res, body, len, 3);
}
