/*
 * URL bytes: url_parse must not crash, and a parsed path is always
 * normalised (rooted, no empty, "." or ".." segment, no control byte);
 * encoding it and parsing again gives the same path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_path(const char *p)
{
	const char	*seg, *end;
	size_t		 n;

	if (p[0] != '/')
		abort();
	for (seg = p + 1; *seg != '\0'; seg = end + 1) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		n = end - seg;
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			abort();
		if (*end == '\0')
			break;
	}
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct url	 u, again;
	static char		 enc[URL_MAX * 3 + 16];
	const char		*err;
	long			 n;

	if (url_parse((const char *)data, size, &u, &err) == -1) {
		if (err == NULL || *err == '\0')
			abort();
		return 0;
	}
	check_path(u.path);
	if (u.port < -1 || u.port > 65535)
		abort();
	memcpy(enc, "s://h", 5);
	if ((n = url_encode_to(u.path, strlen(u.path), URL_IRI_PATH, enc + 5,
	    sizeof(enc) - 5)) < 0)
		abort();
	if (n + 5 <= URL_MAX) {
		if (url_parse(enc, n + 5, &again, &err) == -1 ||
		    strcmp(again.path, u.path) != 0)
			abort();
	}
	return 0;
}
