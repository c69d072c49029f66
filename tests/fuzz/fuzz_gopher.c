/*
 * Gopher request bytes: gopher_request_end, then gopher_respond on the
 * line (selectors, Gopher+ suffixes, URL: redirects, HTTP requests).
 * The same bytes as text and link of a document must give a menu that
 * parses, and a menu and a text without control characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

#include "../unit/gopher_check.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct snapshot	snap;
static struct gopher_host	cfg;

static void
setup(void)
{
	static const char	menu[] = "iHello\tfake\t(NULL)\t0\r\n.\r\n";

	cfg.name = "localhost";
	cfg.port = 7070;
	routes_borrow(&snap.gopher, "", ROUTE_BODY, "1", menu,
	    sizeof(menu) - 1);
	routes_borrow(&snap.gopher, "/posts/a.txt", ROUTE_BODY, "0", ".\r\n",
	    3);
	routes_seal(&snap.gopher);
}

static void
render(const char *s)
{
	static const struct gopher_render r = { "localhost", 70, NULL, NULL };
	struct doc	 d = { 0 };
	struct buf	 b = BUF_INIT;

	doc_add(&d, LINE_TEXT, true, s);
	doc_add(&d, LINE_QUOTE, true, s);
	if (*s != '\0')
		doc_add_link(&d, false, s, s);
	doc_add_pre(&d, NULL, s);
	gopher_text_menu(&d, &r, &b);
	gopher_menu_end(&b);
	if (menu_error(b.data, b.len) != NULL ||
	    control_error(b.data, b.len) != NULL)
		abort();
	buf_truncate(&b, 0);
	gopher_text_write(&d, &r, &b);
	if (control_error(b.data, b.len) != NULL)
		abort();
	buf_free(&b);
	doc_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gopher_response	 res;
	const char		*buf = (const char *)data;
	long			 end;
	char			*s;

	if (snap.gopher.n == 0)
		setup();
	end = gopher_request_end(buf, size);
	if (end > 0) {
		gopher_respond(&snap, &cfg, buf, end, &res);
		gopher_response_free(&res);
	}
	gopher_respond(&snap, &cfg, buf, size, &res);
	if (res.body == NULL || res.len == 0)
		abort();
	gopher_response_free(&res);
	s = xstrndup(buf, size);
	render(s);
	free(s);
	return 0;
}
