/*
 * Diagnostics: every warning and error found while loading a capsule,
 * each with the file, line and column it is about.
 */
#ifndef CAPSULED_DIAG_H
#define CAPSULED_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_level {
	DIAG_WARNING,
	DIAG_ERROR,
	DIAG_NOTE,	/* information (a file not served): counted nowhere */
};

struct diag {
	enum diag_level	 level;
	char		*file;
	unsigned	 line;		/* 1-based; 0 when unknown */
	unsigned	 column;	/* 1-based; 0 when unknown */
	char		*msg;
};

struct diags {
	struct diag	*v;
	size_t		 n, cap;
	size_t		 warnings;
	size_t		 errors;
};

/*
 * Where the lines of a text are in its file, across the stages that
 * rewrite it: line i (0-based) of the text is line lines[i] of the file;
 * past the last entry (or with none) the lines follow on, from first
 * when there are no entries.
 */
struct linemap {
	const unsigned	*lines;
	size_t		 n;
	unsigned	 first;
};

static inline unsigned
linemap_line(const struct linemap *m, size_t i)
{
	if (m->n == 0)
		return m->first + (unsigned)i;
	if (i < m->n)
		return m->lines[i];
	return m->lines[m->n - 1] + (unsigned)(i - m->n + 1);
}

void	diag_add(struct diags *, enum diag_level, const char *file,
	    unsigned line, unsigned column, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/*
 * A problem of a file as a whole, from errno: "what: " (unless what is
 * NULL) and the text of errno.
 */
void	diag_errno(struct diags *, enum diag_level, const char *file,
	    const char *what);
/*
 * Print as "file:line:column: warning: message", one per line; an
 * unknown line or column is printed as 1.
 */
void	diag_print(const struct diags *, FILE *);
/* The same lines to the log (log.h): notes as information. */
void	diag_log(const struct diags *);
/*
 * Move the diagnostics of src at line `from` or after to the end of
 * dst, and drop the others (already reported); src is left empty.
 */
void	diag_move(struct diags *dst, struct diags *src, unsigned from);
void	diag_free(struct diags *);
/* The first diagnostic whose message contains what, or NULL. */
const struct diag *diag_find(const struct diags *, const char *what);

/*
 * A copy of s[0..n) fit to quote in a message: at most max bytes (cut
 * at a character boundary, "..." appended), line breaks and tabs as
 * spaces, other control characters as '?'.  The caller frees it.
 */
char	*diag_excerpt(const char *s, size_t n, size_t max);

#endif
