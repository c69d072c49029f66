/*
 * Gemini request bytes against a small snapshot: gemini_request_end,
 * then gemini_respond on the line.  Every answer must be a well-formed
 * status line of a code we send, with a body only for 20, and no
 * answer may serve a path that climbs out of the root.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct snapshot	snap;
static struct gemini_host	cfg;
static char		*names[] = { "localhost", "example.org" };
static char		*addrs[] = { "127.0.0.1", "::1" };

static void
setup(void)
{
	static const char	home[] = "# Home\n";

	cfg.hostnames = names;
	cfg.nhostnames = 2;
	cfg.listen = addrs;
	cfg.nlisten = 2;
	cfg.public_port = 1965;
	cfg.check_port = true;
	routes_borrow(&snap.gemini, "/index.gmi", ROUTE_BODY,
	    "text/gemini; lang=en", home,
	    sizeof(home) - 1);
	routes_borrow(&snap.gemini, "/posts/a.gmi", ROUTE_BODY, "text/gemini",
	    home, 1);
	routes_borrow(&snap.gemini, "/img/x.png", ROUTE_BODY, "image/png", "x",
	    1);
	routes_seal(&snap.gemini);
}

static void
check(const struct gemini_response *r)
{
	static const int	codes[] = { 20, 31, 40, 51, 53, 59 };
	size_t			i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (r->status == codes[i])
			break;
	if (i == sizeof(codes) / sizeof(codes[0]))
		abort();
	if (r->header_len < 5 || r->header_len > 1029 ||
	    r->header_len != strlen(r->header) ||
	    memcmp(r->header + r->header_len - 2, "\r\n", 2) != 0 ||
	    memchr(r->header, '\n', r->header_len - 1) != NULL ||
	    memchr(r->header, '\r', r->header_len - 2) != NULL)
		abort();
	if ((r->body != NULL) != (r->status == 20))
		abort();
	if (r->path[0] != '\0' && (r->path[0] != '/' ||
	    strstr(r->path, "/../") != NULL || strstr(r->path, "/./") != NULL))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int			ready;
	static struct gemini_response	r;
	const char			*buf = (const char *)data;
	const char			*sni = NULL;
	long				end;

	if (!ready) {
		setup();
		ready = 1;
	}
	end = gemini_request_end(buf, size);
	if (end < -1 || end > GEMINI_MAX_REQUEST + 2 || end > (long)size)
		abort();
	if (end > 0 && (buf[end - 2] != '\r' || buf[end - 1] != '\n'))
		abort();
	/* The first byte picks the server name the client sent. */
	if (size > 0 && data[0] % 3 == 1)
		sni = "example.org";
	else if (size > 0 && data[0] % 3 == 2)
		sni = "evil.org";
	gemini_respond(&snap, &cfg, sni, buf, end > 0 ? end - 2 :
	    (size > 2048 ? 2048 : size), &r);
	check(&r);
	return 0;
}
