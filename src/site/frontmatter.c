/*
 * YAML front matter and _config.yml, read with libyaml's event API.
 *
 * Only the top level is kept: each key with its scalar value or the
 * scalars of its sequence.  Deeper structure is skipped event by event
 * with an explicit nesting bound, so no input can drive recursion, and
 * the YAML text itself is bounded in size.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

#define EXCERPT_MAX	60

/* A known key kept as a string field, at offset off of its struct. */
struct scalar_key {
	const char	*key;
	size_t		 off;
};

static const struct scalar_key fm_scalars[] = {
	{ "title",	offsetof(struct frontmatter, title) },
	{ "date",	offsetof(struct frontmatter, date) },
	{ "author",	offsetof(struct frontmatter, author) },
	{ "excerpt",	offsetof(struct frontmatter, excerpt) },
	{ "lang",	offsetof(struct frontmatter, lang) },
	{ "permalink",	offsetof(struct frontmatter, permalink) },
	{ "layout",	offsetof(struct frontmatter, layout) },
};

static const struct scalar_key cfg_scalars[] = {
	{ "title",	offsetof(struct site_config, title) },
	{ "description", offsetof(struct site_config, description) },
	{ "author",	offsetof(struct site_config, author) },
	{ "lang",	offsetof(struct site_config, lang) },
	{ "url",	offsetof(struct site_config, url) },
	{ "baseurl",	offsetof(struct site_config, baseurl) },
};

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

/*
 * Copy the known single-valued keys into the string fields of base;
 * a list or a map there is an error.
 */
static int
take_scalars(const struct scalar_key *keys, size_t nkeys, void *base,
    struct yaml_entry *v, size_t n, const char *file, struct diags *diags)
{
	struct yaml_entry	*e;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < nkeys; i++) {
		if ((e = yaml_entries_find(v, n, keys[i].key)) == NULL)
			continue;
		if (e->is_sequence || e->is_mapping) {
			diag_add(diags, DIAG_ERROR, file, e->line, 0,
			    "'%s' must be a single value, not a list or a map",
			    e->key);
			rc = -1;
		} else if (e->nvalues == 1)
			*(char **)((char *)base + keys[i].off) =
			    xstrdup(e->values[0]);
	}
	return rc;
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

/* "HH:MM[:SS[.frac]]" then an optional zone "Z", "+HH", "+HH:MM", "+HHMM". */
static bool
valid_time(const char *s)
{
	int	v;

	if (digits(&s, 2, &v) == -1 || v > 23 || *s++ != ':' ||
	    digits(&s, 2, &v) == -1 || v > 59)
		return false;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, &v) == -1 || v > 60)
			return false;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++)
				continue;
	}
	s += strspn(s, " \t");
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		s++;
		if (digits(&s, 2, &v) == -1 || v > 14)
			return false;
		if (*s == ':')
			s++;
		if (*s >= '0' && *s <= '9' &&
		    (digits(&s, 2, &v) == -1 || v > 59))
			return false;
	}
	return s[strspn(s, " \t")] == '\0';
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

/*
 * A YAML date or timestamp as Jekyll takes it: "YYYY-MM-DD", optionally
 * followed by a time.  Only the date is kept, in out.
 */
static bool
parse_date(const char *s, char out[11])
{
	const char	*p = s + 10;

	if (!frontmatter_ymd_date(s))
		return false;
	if (*p == 'T' || *p == 't')
		p++;
	else
		p += strspn(p, " \t");
	if (*p != '\0' && !valid_time(p))
		return false;
	memcpy(out, s, 10);
	out[10] = '\0';
	return true;
}

static void
check_date(struct frontmatter *fm, struct yaml_entry *v, size_t n,
    const char *file, struct diags *diags)
{
	struct yaml_entry	*e;
	char			 date[11], *ex;

	if (fm->date == NULL)
		return;
	if (parse_date(fm->date, date)) {
		memcpy(fm->date, date, sizeof(date));
		return;
	}
	e = yaml_entries_find(v, n, "date");
	ex = diag_excerpt(fm->date, strlen(fm->date), EXCERPT_MAX);
	diag_add(diags, DIAG_WARNING, file, e->line, 0,
	    "date '%s' is not YYYY-MM-DD", ex);
	free(ex);
	free(fm->date);
	fm->date = NULL;
}

/* Split s at whitespace, appending the words to *listp. */
static void
split_words(const char *s, char ***listp, size_t *np, size_t *cap)
{
	size_t	n;

	for (;;) {
		s += strspn(s, " \t\r\n");
		if ((n = strcspn(s, " \t\r\n")) == 0)
			return;
		xgrowarray(listp, cap, *np + 1, sizeof(**listp));
		(*listp)[(*np)++] = xstrndup(s, n);
		s += n;
	}
}

/*
 * categories and tags, Jekyll's way: the singular key as one item if
 * present, else the plural key, a sequence or a scalar split at
 * whitespace.
 */
static int
take_list(const char *singular, const char *plural, char ***listp,
    size_t *np, struct yaml_entry *v, size_t n, const char *file,
    struct diags *diags)
{
	struct yaml_entry	*e;
	size_t			 i, cap = 0;

	if ((e = yaml_entries_find(v, n, singular)) != NULL &&
	    e->nvalues == 1 &&
	    !e->is_sequence) {
		xgrowarray(listp, &cap, 1, sizeof(**listp));
		(*listp)[(*np)++] = xstrdup(e->values[0]);
		return 0;
	}
	if ((e = yaml_entries_find(v, n, plural)) == NULL)
		return 0;
	if (e->is_mapping) {
		diag_add(diags, DIAG_ERROR, file, e->line, 0,
		    "'%s' must be a word list or a sequence, not a map",
		    e->key);
		return -1;
	}
	if (!e->is_sequence) {
		for (i = 0; i < e->nvalues; i++)
			split_words(e->values[i], listp, np, &cap);
		return 0;
	}
	for (i = 0; i < e->nvalues; i++) {
		xgrowarray(listp, &cap, *np + 1, sizeof(**listp));
		(*listp)[(*np)++] = xstrdup(e->values[i]);
	}
	return 0;
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

int
frontmatter_parse(const char *text, size_t len, const char *file,
    struct frontmatter *fm, size_t *body_off, unsigned *body_line,
    struct diags *diags)
{
	struct yaml_entry	*v;
	size_t			 n, start, close;
	unsigned		 line;
	int			 rc;

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
	if (yaml_read(text + start, close - start, file, 2, true, &v, &n,
	    diags) == -1)
		return -1;
	fm->entries = v;
	fm->nentries = n;
	rc = take_scalars(fm_scalars, nitems(fm_scalars), fm, v, n, file,
	    diags);
	if (take_list("category", "categories", &fm->categories,
	    &fm->ncategories, v, n, file, diags) == -1 ||
	    take_list("tag", "tags", &fm->tags, &fm->ntags, v, n, file,
	    diags) == -1)
		rc = -1;
	if (rc == -1) {
		frontmatter_free(fm);
		return -1;
	}
	if (fm->title != NULL)
		collapse_space(fm->title);
	if (fm->author != NULL)
		collapse_space(fm->author);
	check_date(fm, v, n, file, diags);
	close += line_len(text + close, len - close);
	*body_off = close < len ? close + 1 : len;
	*body_line = line + 1;
	return 0;
}

const char *
frontmatter_get(const struct frontmatter *fm, const char *key)
{
	return yaml_entries_get(fm->entries, fm->nentries, key);
}

void
frontmatter_free(struct frontmatter *fm)
{
	size_t	i;

	for (i = 0; i < nitems(fm_scalars); i++)
		free(*(char **)((char *)fm + fm_scalars[i].off));
	xfreev(fm->categories, fm->ncategories);
	xfreev(fm->tags, fm->ntags);
	yaml_entries_free(fm->entries, fm->nentries);
	memset(fm, 0, sizeof(*fm));
}

int
frontmatter_config_parse(const char *text, size_t len, const char *file,
    struct site_config *cfg, struct diags *diags)
{
	struct yaml_entry	*v;
	size_t			 n;
	int			 rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((rc = yaml_read(text, len, file, 1, true, &v, &n, diags)) == 0) {
		cfg->entries = v;
		cfg->nentries = n;
		if ((rc = take_scalars(cfg_scalars, nitems(cfg_scalars), cfg,
		    v, n, file, diags)) == -1)
			snapshot_config_free(cfg);
	}
	/* The defaults, also after an error: the struct stays usable. */
	if (cfg->title == NULL)
		cfg->title = xstrdup("");
	collapse_space(cfg->title);
	if (cfg->lang == NULL)
		cfg->lang = xstrdup("en");
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

