#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

/*
 * A tag longer than this is read as text: it bounds the work a
 * hostile run of '<' can cause.
 */
#define HTML_TAG_MAX	4096

void
html_reader_init(struct html_reader *r, const char *s, size_t len)
{
	r->p = s;
	r->end = s + len;
	r->gt = s;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == ':' || c == '_';
}

/* Copy a name, lower-cased and cut to fit. */
static void
copy_name(char *dst, const char *s, size_t len)
{
	size_t	i;

	if (len >= HTML_NAME_MAX)
		len = HTML_NAME_MAX - 1;
	for (i = 0; i < len; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	dst[len] = '\0';
}

/* Case-insensitive search for needle in [p, end). */
static const char *
find_ci(const char *p, const char *end, const char *needle)
{
	size_t	n = strlen(needle);

	for (; (size_t)(end - p) >= n; p++)
		if (strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static void
add_attr(struct html_token *t, const char *name, size_t nlen,
    const char *val, size_t vlen)
{
	struct html_attr	*a;
	struct buf		 b = BUF_INIT;

	if (t->nattrs >= HTML_ATTR_MAX)
		return;
	a = &t->attrs[t->nattrs++];
	copy_name(a->name, name, nlen);
	entity_decode_into(&b, val, vlen);
	a->value = buf_detach(&b, NULL);
}

/*
 * Attributes of a start tag, from p to its '>'.  Returns the position
 * after the '>', or NULL when the tag is not closed within end.
 */
static const char *
read_attrs(const char *p, const char *end, struct html_token *t)
{
	const char	*name, *val, *q;
	size_t		 nlen;

	for (;;) {
		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		if (*p == '/' && p + 1 < end && p[1] == '>') {
			t->self_closing = true;
			return p + 2;
		}
		name = p;
		while (p < end && !is_space(*p) && *p != '>' && *p != '=' &&
		    !(*p == '/' && p + 1 < end && p[1] == '>'))
			p++;
		if (p == name)		/* a stray '=' is a name */
			p++;
		nlen = p - name;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != '=') {
			add_attr(t, name, nlen, "", 0);
			continue;
		}
		p++;
		while (p < end && is_space(*p))
			p++;
		if (p < end && (*p == '"' || *p == '\'')) {
			if ((q = memchr(p + 1, *p, end - p - 1)) == NULL)
				return NULL;
			val = p + 1;
			p = q + 1;
			add_attr(t, name, nlen, val, q - val);
			continue;
		}
		val = p;
		while (p < end && !is_space(*p) && *p != '>')
			p++;
		add_attr(t, name, nlen, val, p - val);
	}
}

/* A tag at r->p ('<' then a letter or '/'); false if it is not one. */
static bool
read_tag(struct html_reader *r, struct html_token *t)
{
	const char	*p = r->p + 1, *end = r->end, *name, *q;

	if (end - r->p > HTML_TAG_MAX)
		end = r->p + HTML_TAG_MAX;
	/* Every tag ends with a '>': fail fast when none is in reach. */
	if (r->gt < r->end && r->gt <= r->p)
		r->gt = (q = memchr(r->p, '>', r->end - r->p)) ? q : r->end;
	if (r->gt >= end)
		return false;
	if (p < end && *p == '/') {
		t->kind = HTML_END;
		p++;
	} else
		t->kind = HTML_START;
	if (p >= end || !isalpha((unsigned char)*p))
		return false;
	name = p;
	while (p < end && is_name_char(*p))
		p++;
	copy_name(t->name, name, p - name);
	if (t->kind == HTML_END) {
		if ((q = memchr(p, '>', end - p)) == NULL)
			return false;
		r->p = q + 1;
		return true;
	}
	if ((p = read_attrs(p, end, t)) == NULL) {
		html_token_free(t);
		return false;
	}
	r->p = p;
	if (!t->self_closing && (strcmp(t->name, "script") == 0 ||
	    strcmp(t->name, "style") == 0)) {
		/* Raw text element: skip it whole, up to its end tag. */
		html_token_free(t);
		t->kind = HTML_SKIP;
		q = find_ci(r->p, r->end, t->name[1] == 'c' ? "</script" :
		    "</style");
		q = q ? memchr(q, '>', r->end - q) : NULL;
		r->p = q ? q + 1 : r->end;
	}
	return true;
}

/* <!-- -->, <!...>, <?...?>: false if not closed. */
static bool
read_skip(struct html_reader *r, struct html_token *t)
{
	const char	*q;
	size_t		 left = r->end - r->p;

	t->kind = HTML_SKIP;
	if (left >= 4 && memcmp(r->p, "<!--", 4) == 0) {
		q = find_ci(r->p + 4, r->end, "-->");
		r->p = q ? q + 3 : r->end;
		return true;
	}
	if ((q = memchr(r->p, '>', left)) == NULL)
		return false;
	r->p = q + 1;
	return true;
}

bool
html_next(struct html_reader *r, struct html_token *t)
{
	const char	*lt;
	bool		 ok;

	memset(t, 0, sizeof(*t));
	if (r->p >= r->end)
		return false;
	if (*r->p == '<') {
		if (r->p + 1 < r->end && (r->p[1] == '!' || r->p[1] == '?'))
			ok = read_skip(r, t);
		else
			ok = read_tag(r, t);
		if (ok)
			return true;
		/* Not markup: the '<' is text. */
		memset(t, 0, sizeof(*t));
		t->kind = HTML_TEXT;
		t->text = r->p++;
		t->len = 1;
		return true;
	}
	lt = memchr(r->p, '<', r->end - r->p);
	t->kind = HTML_TEXT;
	t->text = r->p;
	t->len = (lt ? lt : r->end) - r->p;
	r->p += t->len;
	return true;
}

void
html_token_free(struct html_token *t)
{
	size_t	i;

	for (i = 0; i < t->nattrs; i++)
		free(t->attrs[i].value);
	t->nattrs = 0;
}

const char *
html_attr(const struct html_token *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->nattrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return t->attrs[i].value;
	return NULL;
}

bool
html_is_void(const struct html_token *t)
{
	static const char *const voids[] = { "area", "base", "br", "col",
	    "embed", "hr", "img", "input", "link", "meta", "source", "track",
	    "wbr" };
	size_t	i;

	if (t->self_closing)
		return true;
	for (i = 0; i < nitems(voids); i++)
		if (strcmp(t->name, voids[i]) == 0)
			return true;
	return false;
}
