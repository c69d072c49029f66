/*
 * RFC 1436 checks shared by the Gopher tests: a menu is lines of four
 * TAB-separated fields (type character and display, selector, host,
 * port) ended by CRLF, then a "." line and nothing after it.  In a
 * text, each reference number "[N] " that starts a line names one
 * footnote or one link.  Neither holds a control character that a
 * terminal would act on.
 */
#ifndef CAPSULED_GOPHER_CHECK_H
#define CAPSULED_GOPHER_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Returns NULL when the menu parses, else a static message. */
static const char *
menu_error(const char *m, size_t len)
{
	const char	*p = m, *end = m + len, *eol, *f;
	int		 tabs;
	char		*num;
	long		 port;

	while (p < end) {
		eol = memchr(p, '\r', end - p);
		if (eol == NULL || eol + 1 >= end || eol[1] != '\n')
			return "line without CRLF";
		if (memchr(p, '\n', eol - p) != NULL)
			return "bare LF inside a line";
		if (eol - p == 1 && p[0] == '.')
			return eol + 2 == end ? NULL : "bytes after the . line";
		if (eol == p || p[0] == '\t')
			return "no item type";
		if (p[0] <= ' ' || p[0] > '~')
			return "item type not a visible character";
		for (tabs = 0, f = p; f < eol; f++)
			if (*f == '\t')
				tabs++;
		if (tabs != 3)
			return "not four fields";
		f = eol;
		while (f[-1] != '\t')
			f--;
		port = strtol(f, &num, 10);
		if (num != eol || port < 0 || port > 65535)
			return "bad port";
		p = eol + 2;
	}
	return "no final . line";
}

/*
 * Returns NULL when the only control characters of a menu or text are
 * its CRLF line ends and TABs (field separators, preformatted text).
 */
static inline const char *
control_error(const char *t, size_t len)
{
	const char	*end = t + len, *c;
	size_t		 n;

	for (; (c = utf8_next_control(t, end, &n)) != end; t = c + n)
		if (*c == '\r' ? c + 1 == end || c[1] != '\n' :
		    *c != '\n' && *c != '\t')
			return "a control character";
	return NULL;
}

/* Returns NULL when no "[N] " starts two lines of the text t. */
static inline const char *
refs_error(const char *t, size_t len)
{
	const char	*p = t, *end = t + len, *eol;
	unsigned char	 seen[256] = { 0 };
	char		*num;
	long		 n;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			eol = end;
		if (*p != '[' || p + 1 >= eol)
			continue;
		n = strtol(p + 1, &num, 10);
		if (num == p + 1 || num + 1 >= eol || num[0] != ']' ||
		    num[1] != ' ')
			continue;
		if (n < 0 || n >= (long)sizeof(seen))
			return "reference number out of the checked range";
		if (seen[n]++)
			return "a reference number starts two lines";
	}
	return NULL;
}

#endif
