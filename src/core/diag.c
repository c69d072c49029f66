#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core-int.h"

void
diag_add(struct diags *d, enum diag_level level, const char *file,
    unsigned line, unsigned column, const char *fmt, ...)
{
	struct diag	*e;
	struct buf	 msg = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);

	xgrowarray(&d->v, &d->cap, d->n + 1, sizeof(*d->v));
	e = &d->v[d->n++];
	e->level = level;
	e->file = xstrdup(file ? file : "-");
	e->line = line;
	e->column = column;
	e->msg = buf_detach(&msg, NULL);
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
}

static const char *const level_names[] = {
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
	[DIAG_NOTE] = "note",
};

/* A whole file, or a line without a column, points at its start. */
static void
diag_format(const struct diag *e, struct buf *out)
{
	buf_printf(out, "%s:%u:%u: %s: %s", e->file, e->line ? e->line : 1,
	    e->column ? e->column : 1, level_names[e->level], e->msg);
}

void
diag_print(const struct diags *d, FILE *fp)
{
	struct buf	 line = BUF_INIT;
	size_t		 i;

	for (i = 0; i < d->n; i++) {
		buf_truncate(&line, 0);
		diag_format(&d->v[i], &line);
		fprintf(fp, "%.*s\n", (int)line.len, line.data);
	}
	buf_free(&line);
}

void
diag_log(const struct diags *d)
{
	struct buf	 line = BUF_INIT;
	size_t		 i;

	for (i = 0; i < d->n; i++) {
		buf_truncate(&line, 0);
		diag_format(&d->v[i], &line);
		if (d->v[i].level == DIAG_NOTE)
			log_info("%.*s", (int)line.len, line.data);
		else
			log_warnx("%.*s", (int)line.len, line.data);
	}
	buf_free(&line);
}

void
diag_move(struct diags *dst, struct diags *src, unsigned from)
{
	size_t	i;

	for (i = 0; i < src->n; i++) {
		if (src->v[i].line < from) {
			free(src->v[i].file);
			free(src->v[i].msg);
			continue;
		}
		xgrowarray(&dst->v, &dst->cap, dst->n + 1, sizeof(*dst->v));
		dst->v[dst->n++] = src->v[i];
		if (src->v[i].level == DIAG_ERROR)
			dst->errors++;
		else if (src->v[i].level == DIAG_WARNING)
			dst->warnings++;
	}
	free(src->v);
	memset(src, 0, sizeof(*src));
}

void
diag_free(struct diags *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = d->warnings = d->errors = 0;
}

const struct diag *
diag_find(const struct diags *d, const char *what)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, what) != NULL)
			return &d->v[i];
	return NULL;
}

char *
diag_excerpt(const char *s, size_t n, size_t max)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, cut;
	unsigned char	 c;

	cut = n;
	if (n > max) {
		/* Back off to the first byte of a UTF-8 sequence. */
		cut = max;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	for (i = 0; i < cut; i++) {
		c = (unsigned char)s[i];
		if (c == '\n' || c == '\t' || c == '\r')
			c = ' ';
		buf_putc(&b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (cut < n)
		buf_puts(&b, "...");
	return buf_detach(&b, NULL);
}

void
diag_errno(struct diags *d, enum diag_level level, const char *file,
    const char *what)
{
	const char	*err = strerror(errno);

	if (what != NULL)
		diag_add(d, level, file, 0, 0, "%s: %s", what, err);
	else
		diag_add(d, level, file, 0, 0, "%s", err);
}
