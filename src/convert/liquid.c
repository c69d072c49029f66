/*
 * The Liquid subset of Jekyll blog posts (CONVERSION.md 5.4), resolved
 * in one left-to-right pass over the text, without regular expressions.
 *
 * Choices, where Jekyll would fail the build or where nothing can be
 * evaluated:
 * - Tags may span lines.  "{%-", "-%}", "{{-" and "-}}" strip the blanks
 *   (line breaks included) before or after the tag, as in Liquid.
 * - Liquid applies everywhere, code blocks included (that is what
 *   {% raw %} is for), and inside {% highlight %} blocks, whose body
 *   Jekyll renders too.
 * - A "{%" or "{{" that is not closed in the rest of the text, or only
 *   more than LIQUID_MAX_TAG bytes later, is kept as text with a
 *   warning: a stray brace must not swallow the rest of a post.  Same
 *   for a comment, raw or highlight block without its end tag: the
 *   opening tag stays as text and the scan goes on after it.
 * - Comments do not nest: the first endcomment closes the block.
 * - Unknown tags ({% if %}, {% for %}, {% include %}) are dropped alone,
 *   the text between them is kept; unknown outputs ({{ page.title }},
 *   filters) are dropped.  Each drop is a warning naming file and line;
 *   at most LIQUID_MAX_WARNINGS per text, then one summary.
 * - {{ site.url }} and {{ site.baseurl }} are dropped: paths become
 *   capsule-relative.  After {% post_url %} and {% link %} a "/" and a
 *   "#fragment" are dropped, and so is the "/" in
 *   "{{ site.url }}/{% post_url ... %}".
 * - Expansions stop (with a warning) once the output has grown
 *   LIQUID_MAX_GROWTH bytes beyond the input.
 *
 * Linear time: each search for a closing delimiter or an end tag keeps
 * its last answer, and the positions it is asked about only grow, so
 * no part of the text is searched twice.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

#define LIQUID_MAX_TAG		1024
#define LIQUID_MAX_WARNINGS	50
#define LIQUID_MAX_GROWTH	(16 * 1024 * 1024)
#define EXCERPT_MAX		60

/* A tag or an output, as found in the text. */
struct tag {
	size_t		 start, end;	/* with its delimiters */
	const char	*word;		/* the first word inside */
	size_t		 wordlen;
	const char	*rest;		/* the rest, trimmed */
	size_t		 restlen;
	bool		 lstrip, rstrip;	/* whitespace-control dashes */
};

/* The next "%}" or "}}" at or after the last position asked about. */
struct memo {
	size_t		 pos;		/* len when there is none */
	bool		 valid;
};

/* The same for an end tag such as {% endraw %}. */
struct end_memo {
	struct tag	 tag;		/* tag.start is len when none */
	bool		 valid;
};

enum { END_COMMENT, END_RAW, END_HIGHLIGHT, END_COUNT };

struct lq {
	const char		*s;
	size_t			 len;
	const struct liquid_env	*env;
	struct buf		 out;
	size_t			 text_start;	/* out offset after the last tag */
	size_t			 budget;	/* out size expansions stay under */
	size_t			 url_end;	/* after a dropped site.url, or 0 */
	size_t			 nwarnings;
	/* The line and column of input offset at. */
	size_t			 at;
	unsigned		 line, col;
	struct memo		 close_tag, close_out;
	bool			 tag_unclosed, out_unclosed;
	struct end_memo		 ends[END_COUNT];
	/* Output line i comes from text line lines[i], when asked. */
	bool			 map;
	unsigned		*lines;
	size_t			 nlines, linecap;
	/* The open {% highlight %} block. */
	bool			 in_hl;
	size_t			 hl_fence;	/* its number of backticks */
	size_t			 hl_body;	/* out offset of its body */
	unsigned		 hl_line;
};

struct tag_handler {
	const char	*name;
	const char	*end_name;	/* a block: its end tag */
	int		 end;		/* and its index in lq->ends */
	size_t		(*fn)(struct lq *, struct tag *, const struct tag *);
};

static size_t	tag_comment(struct lq *, struct tag *, const struct tag *);
static size_t	tag_raw(struct lq *, struct tag *, const struct tag *);
static size_t	tag_highlight(struct lq *, struct tag *, const struct tag *);
static size_t	tag_endhighlight(struct lq *, struct tag *,
		    const struct tag *);
static size_t	tag_post_url(struct lq *, struct tag *, const struct tag *);
static size_t	tag_link(struct lq *, struct tag *, const struct tag *);

static const struct tag_handler handlers[] = {
	{ "comment",	"endcomment",	END_COMMENT,	tag_comment },
	{ "raw",	"endraw",	END_RAW,	tag_raw },
	{ "highlight",	"endhighlight",	END_HIGHLIGHT,	tag_highlight },
	{ "endhighlight", NULL,		-1,		tag_endhighlight },
	{ "post_url",	NULL,		-1,		tag_post_url },
	{ "link",	NULL,		-1,		tag_link },
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
skip_blanks(const struct lq *lq, size_t i)
{
	while (i < lq->len && is_blank(lq->s[i]))
		i++;
	return i;
}

/* Move the line/column cursor to pos (warnings come in text order). */
static void
locate(struct lq *lq, size_t pos)
{
	const char	*p, *nl, *end = lq->s + pos;

	if (pos < lq->at) {
		lq->at = 0;
		lq->line = lq->env->first_line ? lq->env->first_line : 1;
		lq->col = 1;
	}
	/* Whole lines at memchr's pace: only the last one's columns count. */
	for (p = lq->s + lq->at; (nl = memchr(p, '\n', end - p)) != NULL;
	    p = nl + 1) {
		lq->line++;
		lq->col = 1;
	}
	for (; p < end; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			lq->col++;
	lq->at = pos;
}

static void warn(struct lq *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn(struct lq *lq, size_t pos, const char *fmt, ...)
{
	struct buf	msg = BUF_INIT;
	va_list		ap;

	if (lq->env->diags == NULL || lq->nwarnings > LIQUID_MAX_WARNINGS)
		return;
	locate(lq, pos);
	if (lq->nwarnings++ == LIQUID_MAX_WARNINGS) {
		diag_add(lq->env->diags, DIAG_WARNING, lq->env->file,
		    lq->line, lq->col,
		    "more than %d Liquid warnings; the rest not shown",
		    LIQUID_MAX_WARNINGS);
		return;
	}
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(lq->env->diags, DIAG_WARNING, lq->env->file, lq->line,
	    lq->col, "%s", msg.data ? msg.data : "");
	buf_free(&msg);
}

/* A warning quoting p[0..n) through the one %s of fmt. */
static void
warn_quote(struct lq *lq, size_t pos, const char *fmt, const char *p,
    size_t n)
{
	char	*ex;

	if (lq->env->diags == NULL)
		return;
	ex = diag_excerpt(p, n, EXCERPT_MAX);
	warn(lq, pos, fmt, ex);
	free(ex);
}

/* An output line starts, from text line line. */
static void
map_push(struct lq *lq, unsigned line)
{
	if (lq->nlines == lq->linecap)
		xgrowarray(&lq->lines, &lq->linecap, lq->nlines + 1,
		    sizeof(*lq->lines));
	lq->lines[lq->nlines++] = line;
}

/* An output line starts here: it comes from the line of text offset pos. */
static void
map_line(struct lq *lq, size_t pos)
{
	if (!lq->map)
		return;
	locate(lq, pos);
	map_push(lq, lq->line);
}

/* Append the text [from, to) as it is. */
static void
put_text(struct lq *lq, size_t from, size_t to)
{
	const char	*p, *nl, *end = lq->s + to;

	buf_append(&lq->out, lq->s + from, to - from);
	if (!lq->map)
		return;
	/* Each line of the text is the next line of the output. */
	locate(lq, from);
	for (p = lq->s + from; (nl = memchr(p, '\n', end - p)) != NULL;
	    p = nl + 1) {
		lq->line++;
		lq->col = 1;
		lq->at = (size_t)(nl + 1 - lq->s);
		map_push(lq, lq->line);
	}
}

/* Append generated bytes, standing for the text at offset pos. */
static void
put_str(struct lq *lq, const char *p, size_t n, size_t pos)
{
	const char	*nl;

	buf_append(&lq->out, p, n);
	for (; lq->map && (nl = memchr(p, '\n', n)) != NULL; p = nl + 1) {
		n -= (size_t)(nl + 1 - p);
		map_line(lq, pos);
	}
}

static void
put_char(struct lq *lq, char c, size_t pos)
{
	put_str(lq, &c, 1, pos);
}

/* Cut the output back to n bytes. */
static void
out_truncate(struct lq *lq, size_t n)
{
	size_t	i;

	for (i = n; lq->map && i < lq->out.len; i++)
		if (lq->out.data[i] == '\n')
			lq->nlines--;
	buf_truncate(&lq->out, n);
}

/* Append the value of an expansion, within the output budget. */
static void
expand(struct lq *lq, size_t pos, const char *v)
{
	size_t	n = strlen(v);

	if (lq->out.len + n > lq->budget) {
		warn(lq, pos, "Liquid output too large; expansion dropped");
		return;
	}
	put_str(lq, v, n, pos);
}

/* The first byte first followed by one of seconds, from from on; or len. */
static size_t
find_pair(const struct lq *lq, size_t from, char first, const char *seconds)
{
	const char	*p;

	while (from + 1 < lq->len &&
	    (p = memchr(lq->s + from, first, lq->len - from - 1)) != NULL) {
		from = (size_t)(p - lq->s);
		if (memchr(seconds, p[1], strlen(seconds)) != NULL)
			return from;
		from++;
	}
	return lq->len;
}

/* The next "%}" or "}}" (pat), remembered: from only grows. */
static size_t
find2(struct lq *lq, struct memo *m, size_t from, const char *pat)
{
	if (!m->valid || m->pos < from) {
		m->pos = find_pair(lq, from, pat[0], pat + 1);
		m->valid = true;
	}
	return m->pos;
}

/* Is there "{%-? name -?%}" at o?  Fill t if so. */
static bool
match_end_tag(const struct lq *lq, size_t o, const char *name,
    struct tag *t)
{
	size_t	i = o + 2, n = strlen(name);

	memset(t, 0, sizeof(*t));
	t->start = o;
	if (i < lq->len && lq->s[i] == '-') {
		t->lstrip = true;
		i++;
	}
	i = skip_blanks(lq, i);
	if (lq->len - i < n || memcmp(lq->s + i, name, n) != 0)
		return false;
	i = skip_blanks(lq, i + n);
	if (i < lq->len && lq->s[i] == '-') {
		t->rstrip = true;
		i++;
	}
	if (lq->len - i < 2 || lq->s[i] != '%' || lq->s[i + 1] != '}')
		return false;
	t->end = i + 2;
	return true;
}

/* The first end tag name at or after from; false when there is none. */
static bool
find_end_tag(struct lq *lq, struct end_memo *m, size_t from,
    const char *name, struct tag *t)
{
	size_t	o;

	if (!m->valid || m->tag.start < from) {
		m->valid = true;
		for (o = from; (o = find_pair(lq, o, '{', "%")) < lq->len; o += 2)
			if (match_end_tag(lq, o, name, &m->tag))
				break;
		if (o == lq->len)
			m->tag.start = lq->len;
	}
	*t = m->tag;
	return t->start < lq->len;
}

/* Split the inside of the tag [o, end) into its dashes and words. */
static void
parse_inside(const struct lq *lq, size_t o, size_t end, struct tag *t)
{
	const char	*p = lq->s + o + 2, *q = lq->s + end - 2;

	memset(t, 0, sizeof(*t));
	t->start = o;
	t->end = end;
	if (p < q && *p == '-') {
		t->lstrip = true;
		p++;
	}
	if (p < q && q[-1] == '-') {
		t->rstrip = true;
		q--;
	}
	while (p < q && is_blank(*p))
		p++;
	while (q > p && is_blank(q[-1]))
		q--;
	t->word = p;
	while (p < q && !is_blank(*p))
		p++;
	t->wordlen = (size_t)(p - t->word);
	while (p < q && is_blank(*p))
		p++;
	t->rest = p;
	t->restlen = (size_t)(q - p);
}

/* Drop the blanks at the end of the output, back to the last tag. */
static void
strip_output(struct lq *lq)
{
	size_t	n = lq->out.len;

	while (n > lq->text_start && is_blank(lq->out.data[n - 1]))
		n--;
	out_truncate(lq, n);
}

/* A closing delimiter c for the opening at o, or a warning. */
static bool
closed(struct lq *lq, size_t o, size_t c, bool *unclosed)
{
	if (c == lq->len) {
		/* None now means none for every later opening too. */
		if (!*unclosed)
			warn(lq, o, "'%.2s' is not closed; kept as text",
			    lq->s + o);
		*unclosed = true;
		return false;
	}
	if (c - o > LIQUID_MAX_TAG) {
		warn(lq, o, "'%.2s' not closed within %d bytes; kept as text",
		    lq->s + o, LIQUID_MAX_TAG);
		return false;
	}
	return true;
}

static bool
word_is(const struct tag *t, const char *w)
{
	return t->wordlen == strlen(w) && memcmp(t->word, w, t->wordlen) == 0;
}

static size_t
tag_comment(struct lq *lq, struct tag *t, const struct tag *end)
{
	t->rstrip = end->rstrip;
	return end->end;
}

static size_t
tag_raw(struct lq *lq, struct tag *t, const struct tag *end)
{
	size_t	from = t->end, to = end->start;

	if (t->rstrip)
		from = skip_blanks(lq, from);
	while (end->lstrip && to > from && is_blank(lq->s[to - 1]))
		to--;
	put_text(lq, from, to);
	t->rstrip = end->rstrip;
	return end->end;
}

/* A fence longer than any run of backticks in the block's text. */
static size_t
fence_len(const struct lq *lq, size_t from, size_t to)
{
	size_t	run = 0, longest = 2;

	for (; from < to; from++) {
		run = lq->s[from] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest + 1;
}

static void
put_fence(struct lq *lq, size_t n, size_t pos)
{
	while (n-- > 0)
		put_char(lq, '`', pos);
}

static size_t
tag_highlight(struct lq *lq, struct tag *t, const struct tag *end)
{
	size_t	i, pos;

	if (lq->in_hl) {
		warn(lq, t->start, "highlight inside a highlight block dropped");
		return t->end;
	}
	locate(lq, t->start);
	lq->hl_line = lq->line;
	/* Like Jekyll, drop the line breaks that open the body. */
	for (pos = t->end; pos < lq->len && (lq->s[pos] == '\n' ||
	    lq->s[pos] == '\r'); pos++)
		continue;
	if (lq->out.len > 0 && lq->out.data[lq->out.len - 1] != '\n')
		put_char(lq, '\n', t->start);
	lq->hl_fence = fence_len(lq, t->end, end->start);
	put_fence(lq, lq->hl_fence, t->start);
	/* The language, minus what an info string cannot hold. */
	for (i = 0; i < t->restlen && !is_blank(t->rest[i]); i++)
		if (t->rest[i] != '`' && (unsigned char)t->rest[i] > ' ')
			put_char(lq, t->rest[i], t->start);
	put_char(lq, '\n', pos);
	lq->in_hl = true;
	lq->hl_body = lq->out.len;
	t->rstrip = false;
	return pos;
}

/* Close the open highlight block at pos: its trailing line breaks go. */
static void
close_highlight(struct lq *lq, size_t pos)
{
	size_t	n = lq->out.len;

	while (n > lq->hl_body && (lq->out.data[n - 1] == '\n' ||
	    lq->out.data[n - 1] == '\r'))
		n--;
	out_truncate(lq, n);
	if (n > lq->hl_body)
		put_char(lq, '\n', pos);
	put_fence(lq, lq->hl_fence, pos);
	lq->in_hl = false;
}

static size_t
tag_endhighlight(struct lq *lq, struct tag *t, const struct tag *end)
{
	if (!lq->in_hl) {
		warn(lq, t->start, "endhighlight without highlight dropped");
		return t->end;
	}
	close_highlight(lq, t->start);
	if (t->end < lq->len && lq->s[t->end] != '\n')
		put_char(lq, '\n', t->end);
	return t->end;
}

static bool
ends_url(char c)
{
	return is_blank(c) || strchr(")]<>\"'", c) != NULL;
}

/* After a link target: a "/" ending the URL and a "#fragment" go. */
static size_t
skip_link_suffix(const struct lq *lq, size_t pos)
{
	if (pos < lq->len && lq->s[pos] == '/' && (pos + 1 == lq->len ||
	    lq->s[pos + 1] == '#' || ends_url(lq->s[pos + 1])))
		pos++;
	if (pos < lq->len && lq->s[pos] == '#')
		while (++pos < lq->len && !ends_url(lq->s[pos]))
			continue;
	return pos;
}

/*
 * {% post_url SLUG %} and {% link PATH %}: the capsule path from
 * lookup, or the dead-link marker and a warning (fmt quotes the name).
 */
static size_t
link_tag(struct lq *lq, struct tag *t,
    const char *(*lookup)(void *, const char *), const char *fmt)
{
	const char	*path;
	char		*name;
	size_t		 n;

	for (n = 0; n < t->restlen && !is_blank(t->rest[n]); n++)
		continue;
	if (n == 0) {
		warn_quote(lq, t->start, "Liquid tag '%s' without a target "
		    "dropped", t->word, t->wordlen);
		return t->end;
	}
	/* "{{ site.url }}/{% post_url %}": that "/" joined two URLs. */
	if (lq->url_end > 0 && lq->url_end + 1 == t->start &&
	    lq->s[lq->url_end] == '/' && lq->out.len > 0 &&
	    lq->out.data[lq->out.len - 1] == '/')
		out_truncate(lq, lq->out.len - 1);
	name = xstrndup(t->rest, n);
	if ((path = lookup ? lookup(lq->env->ctx, name) : NULL) != NULL)
		expand(lq, t->start, path);
	else {
		warn_quote(lq, t->start, fmt, name, n);
		expand(lq, t->start, LIQUID_DEAD_LINK);
		expand(lq, t->start, name);
	}
	free(name);
	return skip_link_suffix(lq, t->end);
}

static size_t
tag_post_url(struct lq *lq, struct tag *t, const struct tag *end)
{
	return link_tag(lq, t, lq->env->post_path, "post_url: no post '%s'");
}

static size_t
tag_link(struct lq *lq, struct tag *t, const struct tag *end)
{
	return link_tag(lq, t, lq->env->link_path, "link: no file '%s'");
}

/* {% ... %} at o: returns where the scan goes on. */
static size_t
do_tag(struct lq *lq, size_t o)
{
	const struct tag_handler	*h = NULL;
	struct tag			 t, end;
	size_t				 c, i, next;

	c = find2(lq, &lq->close_tag, o + 2, "%}");
	if (!closed(lq, o, c, &lq->tag_unclosed)) {
		put_text(lq, o, o + 2);
		return o + 2;
	}
	parse_inside(lq, o, c + 2, &t);
	memset(&end, 0, sizeof(end));
	for (i = 0; i < nitems(handlers) && h == NULL; i++)
		if (word_is(&t, handlers[i].name))
			h = &handlers[i];
	if (h != NULL && h->end_name != NULL && !find_end_tag(lq,
	    &lq->ends[h->end], t.end, h->end_name, &end)) {
		warn(lq, o, "'%s' block without '%s'; kept as text",
		    h->name, h->end_name);
		put_text(lq, o, t.end);
		return t.end;
	}
	if (t.lstrip)
		strip_output(lq);
	if (h != NULL)
		next = h->fn(lq, &t, &end);
	else {
		if (t.wordlen == 0)
			warn(lq, o, "empty Liquid tag dropped");
		else
			warn_quote(lq, o, "unknown Liquid tag '%s' dropped",
			    t.word, t.wordlen);
		next = t.end;
	}
	lq->text_start = lq->out.len;
	return t.rstrip ? skip_blanks(lq, next) : next;
}

/* {{ site.KEY }}: KEY, or NULL when the output is anything else. */
static char *
site_key(const struct tag *t)
{
	size_t	i;

	if (t->restlen != 0 || t->wordlen <= 5 ||
	    memcmp(t->word, "site.", 5) != 0)
		return NULL;
	for (i = 5; i < t->wordlen; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", t->word[i]) == NULL)
			return NULL;
	return xstrndup(t->word + 5, t->wordlen - 5);
}

/* {{ ... }} at o: returns where the scan goes on. */
static size_t
do_output(struct lq *lq, size_t o)
{
	struct tag	 t;
	const char	*v;
	char		*key;
	size_t		 c, next;
	bool		 url = false;

	c = find2(lq, &lq->close_out, o + 2, "}}");
	if (!closed(lq, o, c, &lq->out_unclosed)) {
		put_text(lq, o, o + 2);
		return o + 2;
	}
	parse_inside(lq, o, c + 2, &t);
	if (t.lstrip)
		strip_output(lq);
	if ((key = site_key(&t)) == NULL)
		warn_quote(lq, o, "Liquid output '{{ %s }}' dropped", t.word,
		    (size_t)(t.rest + t.restlen - t.word));
	else if (strcmp(key, "url") == 0 || strcmp(key, "baseurl") == 0)
		url = true;
	else if (lq->env->site_var != NULL &&
	    (v = lq->env->site_var(lq->env->ctx, key)) != NULL)
		expand(lq, o, v);
	else
		warn_quote(lq, o, "site variable '%s' is not set; dropped",
		    key, strlen(key));
	free(key);
	lq->text_start = lq->out.len;
	next = t.rstrip ? skip_blanks(lq, t.end) : t.end;
	if (url)
		lq->url_end = next;
	return next;
}

char *
liquid_render(const char *src, size_t len, const struct liquid_env *env,
    size_t *outlen)
{
	return liquid_render_lines(src, len, env, outlen, NULL, NULL);
}

char *
liquid_render_lines(const char *src, size_t len,
    const struct liquid_env *env, size_t *outlen, unsigned **linesp,
    size_t *nlinesp)
{
	struct lq	 lq;
	size_t		 pos = 0, o;

	memset(&lq, 0, sizeof(lq));
	lq.s = src ? src : "";
	lq.len = src ? len : 0;
	lq.env = env;
	lq.budget = len + LIQUID_MAX_GROWTH;
	lq.line = env->first_line ? env->first_line : 1;
	lq.col = 1;
	lq.map = linesp != NULL;
	if (lq.map) {
		/* Room for the lines of most texts, in one allocation. */
		lq.linecap = lq.len / 32 + 16;
		lq.lines = xreallocarray(NULL, lq.linecap, sizeof(*lq.lines));
	}
	map_line(&lq, 0);
	buf_reserve(&lq.out, len);
	while ((o = find_pair(&lq, pos, '{', "{%")) < lq.len) {
		put_text(&lq, pos, o);
		pos = lq.s[o + 1] == '%' ? do_tag(&lq, o) : do_output(&lq, o);
	}
	put_text(&lq, pos, lq.len);
	if (lq.in_hl) {
		/* Its end tag was hidden, in a comment or a raw block. */
		warn(&lq, lq.len, "highlight block of line %u not closed",
		    lq.hl_line);
		close_highlight(&lq, lq.len);
		put_char(&lq, '\n', lq.len);
	}
	if (linesp != NULL) {
		*linesp = lq.lines;
		*nlinesp = lq.nlines;
	}
	return buf_detach(&lq.out, outlen);
}
