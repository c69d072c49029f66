/*
 * YAML front matter and _config.yml, read into values as Jekyll's
 * Psych reads them (value_from_yaml: bounded nesting, aliases shared,
 * never expanded), the YAML text itself bounded in size.  A valid YAML
 * value is never an error: the keys the site layer reads are taken in
 * every shape Jekyll accepts, and every key stays in the hash.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

#define EXCERPT_MAX	60

/* Replace every run of whitespace by one space; trim both ends. */
static void
collapse_space(char *s)
{
	char	*w = s, *start = s;
	bool	 space = false;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = w != start;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *s;
	}
	*w = '\0';
}

static int
digits(const char **sp, int n, int *v)
{
	const char	*s = *sp;
	int		 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	return 0;
}

bool
frontmatter_ymd_date(const char *s)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			 y, m, d;
	bool			 leap;

	if (digits(&s, 4, &y) == -1 || *s++ != '-' ||
	    digits(&s, 2, &m) == -1 || *s++ != '-' ||
	    digits(&s, 2, &d) == -1)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] &&
	    (m != 2 || d != 29 || leap);
}

static void
report_unterminated(const char *file, struct diags *diags)
{
	diag_add(diags, DIAG_ERROR, file, 1, 1,
	    "front matter is not terminated (missing closing ---)");
}

/* True when the line p[0..n) is mark ("---" or "...") and blanks. */
static bool
is_fence(const char *p, size_t n, const char *mark)
{
	size_t	i;

	if (n < 3 || memcmp(p, mark, 3) != 0)
		return false;
	for (i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/* The length of the line at p, without its newline. */
static size_t
line_len(const char *p, size_t left)
{
	const char	*nl = memchr(p, '\n', left);

	return nl ? (size_t)(nl - p) : left;
}

/*
 * Find the closing line of a front matter block whose YAML starts at
 * off (line 2).  Returns its offset, with its line in *line, or len.
 */
static size_t
find_close(const char *text, size_t len, size_t off, unsigned *line)
{
	size_t	n;

	for (*line = 2; off < len; (*line)++) {
		n = line_len(text + off, len - off);
		if (is_fence(text + off, n, "---") ||
		    is_fence(text + off, n, "..."))
			return off;
		off += n + 1;
	}
	return len;
}

size_t
frontmatter_length(const char *text, size_t len, bool whole)
{
	size_t		n, close;
	unsigned	line;

	n = line_len(text, len);
	if (len == 0 || !is_fence(text, n, "---"))
		return 0;
	if (n == len || (close = find_close(text, len, n + 1, &line)) == len)
		return len + 1;
	close += line_len(text + close, len - close);
	if (close < len)
		return close + 1;
	return whole ? len : len + 1;
}


/* The YAML of a front matter block or _config.yml: at most 1 MiB. */
#define YAML_MAX	(1u << 20)

char *
frontmatter_string(const struct value *v)
{
	if (v == NULL || v->type == VALUE_NIL || v->type == VALUE_ARRAY ||
	    v->type == VALUE_HASH || v->type == VALUE_DROP)
		return NULL;
	return value_to_cstr(v);
}

static void
author_names(const struct value *v, struct buf *out, int depth)
{
	const struct value	*name;
	char			*s;
	size_t			 i;

	if (v == NULL || depth > 4)
		return;
	if (v->type == VALUE_ARRAY) {
		for (i = 0; i < v->u.arr.n; i++)
			author_names(v->u.arr.v[i], out, depth + 1);
		return;
	}
	if (v->type == VALUE_HASH) {
		if ((name = value_hash_get(v, "name", 4)) == NULL)
			name = value_hash_get(v, "display_name", 12);
		author_names(name, out, depth + 1);
		return;
	}
	if ((s = frontmatter_string(v)) == NULL)
		return;
	collapse_space(s);
	if (*s != '\0')
		buf_printf(out, "%s%s", out->len ? ", " : "", s);
	free(s);
}

char *
frontmatter_author(const struct value *v)
{
	struct buf	out = BUF_INIT;

	author_names(v, &out, 0);
	if (out.len == 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

void
frontmatter_name_add(char ***listp, size_t *np, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < *np; i++)
		if (strlen((*listp)[i]) == n && memcmp((*listp)[i], s, n) == 0)
			return;		/* Jekyll's uniq */
	*listp = xreallocarray(*listp, *np + 2, sizeof(**listp));
	(*listp)[(*np)++] = xstrndup(s, n);
	(*listp)[*np] = NULL;
}

void
frontmatter_names(const struct value *v, bool split, char ***listp,
    size_t *np)
{
	const char	*s;
	char		*str;
	size_t		 i, n;

	if (v == NULL)
		return;
	if (v->type == VALUE_ARRAY) {
		for (i = 0; i < v->u.arr.n; i++)
			frontmatter_names(v->u.arr.v[i], false, listp, np);
		return;
	}
	if ((str = frontmatter_string(v)) == NULL)
		return;
	if (!split) {
		if (*str != '\0')
			frontmatter_name_add(listp, np, str, strlen(str));
		free(str);
		return;
	}
	for (s = str;;) {
		s += strspn(s, " \t\r\n");
		if ((n = strcspn(s, " \t\r\n")) == 0)
			break;
		frontmatter_name_add(listp, np, s, n);
		s += n;
	}
	free(str);
}

/* Jekyll's pluralized_array_from_hash: the singular key, else the plural. */
static void
pluralized(const struct value *h, const char *one, const char *many,
    char ***listp, size_t *np)
{
	const struct value	*v;

	if ((v = value_hash_get(h, one, strlen(one))) != NULL &&
	    !value_is_nil(v))
		frontmatter_names(v, false, listp, np);
	else
		frontmatter_names(value_hash_get(h, many, strlen(many)), true,
		    listp, np);
}

bool
frontmatter_time(const struct value *v, struct value_time *t)
{
	char	*s;
	int	 rc;

	if (v == NULL)
		return false;
	if (v->type == VALUE_TIME) {
		*t = v->u.time;
		if (!t->date_only)
			value_time_local(t);
		return true;
	}
	if ((s = frontmatter_string(v)) == NULL)
		return false;
	rc = value_time_parse(s, strlen(s), t);
	free(s);
	return rc == 0;
}

void
frontmatter_ymd(const struct value_time *t, char out[11])
{
	struct buf	b = BUF_INIT;

	value_strftime(t, "%Y-%m-%d", 8, &b);
	snprintf(out, 11, "%s", b.len == 10 ? b.data : "0000-00-00");
	buf_free(&b);
}

/* The line of a top-level key in the YAML text (for diagnostics). */
static unsigned
key_line(const char *text, size_t len, unsigned first, const char *key)
{
	const char	*p = text, *end = text + len;
	size_t		 k = strlen(key);
	unsigned	 line = first;

	while (p < end) {
		if ((size_t)(end - p) > k && memcmp(p, key, k) == 0 &&
		    p[k] == ':')
			return line;
		if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p++;
		line++;
	}
	return first;
}

static void	take_keys(struct frontmatter *, const char *yaml, size_t len,
		    const char *file, struct diags *);

/* Free what take_keys derived from the hash. */
static void
clear_keys(struct frontmatter *fm)
{
	free(fm->title);
	free(fm->date);
	free(fm->author);
	free(fm->excerpt);
	free(fm->lang);
	free(fm->permalink);
	free(fm->layout);
	xfreev(fm->categories, fm->ncategories);
	xfreev(fm->tags, fm->ntags);
	fm->title = fm->date = fm->author = fm->excerpt = fm->lang = NULL;
	fm->permalink = fm->layout = NULL;
	fm->categories = fm->tags = NULL;
	fm->ncategories = fm->ntags = 0;
	fm->unpublished = false;
	fm->modified = false;
}

void
frontmatter_merge(struct frontmatter *fm, const struct value *defaults,
    const char *file, struct diags *diags)
{
	const struct value_hash_entry	*e;
	unsigned			 line = fm->excerpt_line;
	size_t				 i;
	bool				 added = false;

	if (defaults == NULL || defaults->type != VALUE_HASH ||
	    defaults->u.hash.n == 0)
		return;
	if (fm->data == NULL)
		fm->data = value_hash();
	for (i = 0; i < defaults->u.hash.n; i++) {
		e = &defaults->u.hash.v[i];
		if (value_hash_get(fm->data, e->key->u.str.s,
		    e->key->u.str.len) != NULL)
			continue;
		value_hash_set(fm->data, e->key->u.str.s, e->key->u.str.len,
		    value_ref(e->val));
		added = true;
	}
	if (!added)
		return;
	clear_keys(fm);
	take_keys(fm, NULL, 0, file, diags);
	if (line != 0)
		fm->excerpt_line = line;
}

/*
 * A time key of the front matter into t: false when unset (nil too),
 * or not a date Jekyll reads (warned about, at its line).
 */
static bool
take_time(const struct value *h, const char *key, struct value_time *t,
    const char *yaml, size_t len, const char *file, struct diags *diags)
{
	const struct value	*d = value_hash_get(h, key, strlen(key));
	char			*raw, *ex;

	if (d == NULL || value_is_nil(d))
		return false;
	if (frontmatter_time(d, t))
		return true;
	raw = value_to_cstr(d);
	collapse_space(raw);
	ex = diag_excerpt(raw, strlen(raw), EXCERPT_MAX);
	diag_add(diags, DIAG_WARNING, file, key_line(yaml, len, 2, key), 0,
	    "%s '%s' is not a date Jekyll reads: ignored", key, ex);
	free(ex);
	free(raw);
	return false;
}

/* The keys the site layer reads, from the hash. */
static void
take_keys(struct frontmatter *fm, const char *yaml, size_t len,
    const char *file, struct diags *diags)
{
	const struct value	*h = fm->data, *d;

	fm->title = frontmatter_string(value_hash_get(h, "title", 5));
	fm->author = frontmatter_author(value_hash_get(h, "author", 6));
	fm->lang = frontmatter_string(value_hash_get(h, "lang", 4));
	fm->permalink = frontmatter_string(value_hash_get(h, "permalink", 9));
	fm->layout = frontmatter_string(value_hash_get(h, "layout", 6));
	d = value_hash_get(h, "excerpt", 7);
	if (d != NULL && d->type == VALUE_STRING) {
		fm->excerpt = xstrdup(d->u.str.s);
		fm->excerpt_line = key_line(yaml, len, 2, "excerpt");
	}
	frontmatter_names(value_hash_get(h, "categories", 10), true,
	    &fm->categories, &fm->ncategories);
	if ((d = value_hash_get(h, "category", 8)) != NULL)
		frontmatter_names(d, false, &fm->categories,
		    &fm->ncategories);
	pluralized(h, "tag", "tags", &fm->tags, &fm->ntags);
	if (fm->title != NULL)
		collapse_space(fm->title);
	if ((d = value_hash_get(h, "published", 9)) != NULL &&
	    d->type == VALUE_BOOL && !d->u.b)
		fm->unpublished = true;
	fm->modified = take_time(h, "last_modified_at", &fm->modified_at,
	    yaml, len, file, diags);
	if (take_time(h, "date", &fm->time, yaml, len, file, diags)) {
		fm->date = xmalloc(11);
		frontmatter_ymd(&fm->time, fm->date);
	}
}

/* YAML text to a hash (nil: an empty one); NULL (reported) otherwise. */
static struct value *
read_hash(const char *text, size_t len, const char *file, unsigned line,
    struct diags *diags)
{
	struct value	*v;

	if (len > YAML_MAX) {
		diag_add(diags, DIAG_ERROR, file, line, 1,
		    "YAML larger than %u bytes", YAML_MAX);
		return NULL;
	}
	if ((v = value_from_yaml(text, len, file, line, diags)) == NULL)
		return NULL;
	if (v->type == VALUE_NIL)
		return value_hash();
	if (v->type == VALUE_HASH)
		return v;
	value_unref(v);
	diag_add(diags, DIAG_ERROR, file, line, 1,
	    "YAML is not a mapping of keys to values");
	return NULL;
}

int
frontmatter_parse(const char *text, size_t len, const char *file,
    struct frontmatter *fm, size_t *body_off, unsigned *body_line,
    struct diags *diags)
{
	size_t		 n, start, close;
	unsigned	 line;

	memset(fm, 0, sizeof(*fm));
	*body_off = 0;
	*body_line = 1;
	if (len == 0)
		return 0;
	n = line_len(text, len);
	if (!is_fence(text, n, "---"))
		return 0;
	if (n == len) {
		report_unterminated(file, diags);
		return -1;
	}
	start = n + 1;
	if ((close = find_close(text, len, start, &line)) == len) {
		report_unterminated(file, diags);
		return -1;
	}
	if ((fm->data = read_hash(text + start, close - start, file, 2,
	    diags)) == NULL)
		return -1;
	take_keys(fm, text + start, close - start, file, diags);
	close += line_len(text + close, len - close);
	*body_off = close < len ? close + 1 : len;
	*body_line = line + 1;
	return 0;
}

const struct value *
frontmatter_get(const struct frontmatter *fm, const char *key)
{
	return value_hash_get(fm->data, key, strlen(key));
}

void
frontmatter_free(struct frontmatter *fm)
{
	clear_keys(fm);
	value_unref(fm->data);
	memset(fm, 0, sizeof(*fm));
}

int
frontmatter_config_parse(const char *text, size_t len, const char *file,
    struct site_config *cfg, struct diags *diags)
{
	const struct value	*h;
	int			 rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	if ((cfg->data = read_hash(text, len, file, 1, diags)) == NULL) {
		cfg->data = value_hash();
		rc = -1;
	}
	h = cfg->data;
	cfg->title = frontmatter_string(value_hash_get(h, "title", 5));
	cfg->description = frontmatter_string(value_hash_get(h,
	    "description", 11));
	cfg->author = frontmatter_author(value_hash_get(h, "author", 6));
	cfg->lang = frontmatter_string(value_hash_get(h, "lang", 4));
	cfg->url = frontmatter_string(value_hash_get(h, "url", 3));
	cfg->baseurl = frontmatter_string(value_hash_get(h, "baseurl", 7));
	/* The defaults, also after an error: the struct stays usable. */
	if (cfg->title == NULL) {
		cfg->title = xstrdup("");
		value_hash_set(cfg->data, "title", 5, value_cstr(""));
	}
	collapse_space(cfg->title);
	if (cfg->lang == NULL) {
		cfg->lang = xstrdup("en");
		value_hash_set(cfg->data, "lang", 4, value_cstr("en"));
	}
	return rc;
}

int
frontmatter_config_load(const char *path, struct site_config *cfg,
    struct diags *diags)
{
	char	*text;
	size_t	 len;
	int	 rc, saved;

	if ((text = file_read_all(path, &len)) == NULL) {
		saved = errno;
		frontmatter_config_parse("", 0, path, cfg, diags);
		if (saved == ENOENT)
			return 0;
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read: %s",
		    strerror(saved));
		return -1;
	}
	rc = frontmatter_config_parse(text, len, path, cfg, diags);
	free(text);
	return rc;
}
