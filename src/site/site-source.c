/*
 * A Markdown source between its scan and its rendering: read as UTF-8,
 * its front matter parsed at the scan, its text read again to render.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

void
site_source_free(struct source *s)
{
	free(s->file);
	free(s->redirect);
	frontmatter_free(&s->fm);
	memset(s, 0, sizeof(*s));
}

/* Bytes read first at the scan: the front matter of nearly any source. */
#define HEAD_READ	4096

static bool
too_large(const char *file, size_t size, struct diags *diags)
{
	if (size <= SITE_MAX_SOURCE)
		return false;
	diag_add(diags, DIAG_ERROR, file, 0, 0,
	    "file too large (%zu bytes, limit %u): skipped", size,
	    SITE_MAX_SOURCE);
	return true;
}

/* The number of lines s[0..len) starts: the line after it. */
static unsigned
next_line(const char *s, size_t len)
{
	unsigned	 n = 1;
	const char	*p, *end = s + len;

	for (p = s; (p = memchr(p, '\n', end - p)) != NULL; p++)
		n++;
	return n;
}

/* The start of s's bytes (its file's, or the kept ones) in b->raw. */
static int
source_head(struct build *b, struct source *s, size_t *size)
{
	buf_truncate(&b->raw, 0);
	if (s->kept != NULL) {
		buf_append(&b->raw, s->kept, s->kept_len);
		*size = s->kept_len;
		return 0;
	}
	if (file_read(AT_FDCWD, s->file, &b->raw, HEAD_READ, size) == -1) {
		diag_errno(b->diags, DIAG_ERROR, s->file, NULL);
		return -1;
	}
	return 0;
}

/*
 * -1 when the source cannot be used (reported), -2 for its front
 * matter (reported).
 *
 * The scan needs the front matter only: read the start of the source,
 * the whole file when its front matter goes on beyond, and sanitize
 * that much.  The rest is read when the source is rendered, so that
 * the blog's Markdown is not all in memory beside the rendered
 * documents (a server's build keeps the bytes it rendered for the next
 * one, site-cache.c), and no byte is sanitized twice.  Both go through the
 * build's two buffers: reading a source allocates nothing.
 */
static int
source_load(struct build *b, const char *file, const char *kept,
    size_t kept_len, struct source *s, bool *has_fm)
{
	size_t	size, end;

	memset(s, 0, sizeof(*s));
	s->file = xstrdup(file);
	s->kept = kept;
	s->kept_len = kept_len;
	if (source_head(b, s, &size) == -1 || too_large(s->file, size,
	    b->diags))
		goto fail;
	end = b->raw.len;
	if (end < size &&
	    (end = frontmatter_length(b->raw.data, end, false)) > b->raw.len) {
		buf_truncate(&b->raw, 0);
		if (file_read(AT_FDCWD, s->file, &b->raw, SITE_MAX_SOURCE,
		    NULL) == -1) {
			diag_errno(b->diags, DIAG_ERROR, s->file,
			    NULL);
			goto fail;
		}
		end = b->raw.len;
	}
	s->len = size;
	s->raw_head = end;
	s->rest_line = next_line(b->raw.data, end);
	buf_truncate(&b->text, 0);
	utf8_sanitize(&b->text, b->raw.data, end, s->file, b->diags);
	if (frontmatter_parse(b->text.data, b->text.len, s->file, &s->fm,
	    &s->body_off, &s->body_line, b->diags) == -1) {
		site_source_free(s);
		return -2;
	}
	*has_fm = s->body_off > 0;
	if (!*has_fm)
		s->body_line = 1;
	return 0;
fail:
	site_source_free(s);
	return -1;
}

/* s from the bytes the last build rendered of file, if it did. */
static int
source_last(struct build *b, const char *file, struct source *s,
    bool *has_fm)
{
	const char	*kept;
	size_t		 len;

	if ((kept = site_cache_source(b->last, file, &len)) == NULL)
		return -1;
	diag_add(b->diags, DIAG_NOTE, file, 0, 0,
	    "its last good version is served");
	return source_load(b, file, kept, len, s, has_fm) < 0 ? -1 : 0;
}

int
site_source_load(struct build *b, const char *rel, struct source *s,
    bool *has_fm)
{
	char	*file;
	int	 rc;

	file = site_path_join(b->opts->root, rel);
	if ((rc = source_load(b, file, NULL, 0, s, has_fm)) < 0 &&
	    source_last(b, file, s, has_fm) == 0)
		rc = 0;
	else if (rc == -2)
		diag_add(b->diags, DIAG_NOTE, file, 0, 0,
		    "skipped for its front matter");
	free(file);
	return rc < 0 ? -1 : 0;
}

const char *
site_source_read(struct build *b, struct source *s, size_t *lenp)
{
	struct diags	 rest = { 0 };

	buf_truncate(&b->raw, 0);
	if (s->kept != NULL)
		buf_append(&b->raw, s->kept, s->kept_len);
	else if (file_read(AT_FDCWD, s->file, &b->raw, SITE_MAX_SOURCE + 1,
	    NULL) == -1) {
		diag_errno(b->diags, DIAG_ERROR, s->file, NULL);
		return NULL;
	}
	if (too_large(s->file, b->raw.len, b->diags))
		return NULL;
	/* The scan reported what it read: only the rest is new. */
	buf_truncate(&b->text, 0);
	utf8_sanitize(&b->text, b->raw.data, b->raw.len, s->file, &rest);
	diag_move(b->diags, &rest, s->rest_line);
	*lenp = s->len = b->text.len;
	if (b->raw.len >= s->raw_head &&
	    frontmatter_length(b->text.data, b->text.len, true) ==
	    s->body_off) {
		if (b->opts->keep)
			site_cache_keep_source(&b->cache, s->file, b->raw.data,
			    b->raw.len);
		return b->text.data;
	}
	diag_add(b->diags, DIAG_ERROR, s->file, 0, 0,
	    "changed while the capsule was loading: rendered empty");
	return NULL;
}

bool
site_source_lang_ok(const char *s)
{
	static const char	 tag[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
	size_t			 n = strlen(s);

	return n > 0 && n <= 35 && strspn(s, tag) == n;
}

void
site_source_warn_lang(struct diags *diags, const char *file, const char *lang)
{
	char	*quoted;

	quoted = diag_excerpt(lang, strlen(lang), 40);
	diag_add(diags, DIAG_WARNING, file, 0, 0,
	    "lang \"%s\" is not a language tag: ignored", quoted);
	free(quoted);
}
