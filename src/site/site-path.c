/*
 * Paths relative to the root: joined, and checked to be clean.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

/* No control character: names become paths, URLs and file names. */
bool
site_path_plain(const char *name)
{
	for (; *name != '\0'; name++)
		if ((unsigned char)*name < 0x20 || *name == 0x7f)
			return false;
	return true;
}

char *
site_path_join(const char *a, const char *b)
{
	if (*a == '\0')
		return xstrdup(b);
	if (*b == '\0')
		return xstrdup(a);
	return xasprintf("%s/%s", a, b);
}

bool
site_path_clean(const char *p)
{
	const char	*seg, *end;
	size_t		 n;

	if (!site_path_plain(p))
		return false;

	for (seg = p; *seg != '\0'; seg = *end ? end + 1 : end) {
		end = strchr(seg, '/');
		if (end == NULL)
			end = seg + strlen(seg);
		n = (size_t)(end - seg);
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
	}
	return true;
}
