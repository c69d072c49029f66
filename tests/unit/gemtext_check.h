/*
 * The framing rules of CONVERSION.md 5.2, checked on gemtext output:
 * valid UTF-8, no CR, balanced ``` toggles, and outside preformatted
 * blocks no line that starts or ends with a space or tab, and no two
 * blank lines in a row.  Shared by the Markdown tests and fuzz target.
 */
#ifndef CAPSULED_GEMTEXT_CHECK_H
#define CAPSULED_GEMTEXT_CHECK_H

#include <stdbool.h>
#include <string.h>

#include "core/core.h"

/* Returns NULL when the text follows the rules, else a static message. */
static const char *
gemtext_error(const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *nl;
	bool		 pre = false, blank = false;

	if (!utf8_valid(s, len))
		return "invalid UTF-8";
	if (memchr(s, '\r', len) != NULL)
		return "CR in the output";
	if (len > 0 && s[len - 1] != '\n')
		return "no final newline";
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (nl - p >= 3 && memcmp(p, "```", 3) == 0) {
			pre = !pre;
			blank = false;
			continue;
		}
		if (pre)
			continue;
		if (nl == p) {
			if (blank || p == s)
				return "blank line at the start or doubled";
			blank = true;
			continue;
		}
		blank = false;
		if (*p == ' ' || *p == '\t' || nl[-1] == ' ' || nl[-1] == '\t')
			return "line starts or ends with whitespace";
	}
	if (pre)
		return "unbalanced ``` toggles";
	return NULL;
}

#endif
