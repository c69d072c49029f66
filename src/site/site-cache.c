/*
 * The results of a build's Markdown stages, kept for the next build (a
 * reload): a post whose Liquid output, file, options and excerpt are
 * those of the last build, and whose links map as they did then, takes
 * its document, summary and diagnostics from there instead of being
 * converted again.  Liquid always runs (it reads every post), and what
 * is built from the documents is built again, so a reload gives the
 * bytes of a cold build.
 *
 * Beside them, the bytes of every source the build rendered: a source
 * that fails to load on the next build (broken front matter, unreadable)
 * is built from those instead, its last good version.
 */
#include <openssl/evp.h>

#include <stdlib.h>
#include <string.h>

#include "site-int.h"

struct cache_entry {
	unsigned char	 key[SITE_CACHE_KEY];
	struct doc	 body;
	char		*excerpt;
	struct diags	 diags;		/* of the Markdown stages */
	struct buf	 calls;		/* each link mapped: target, line */
	struct buf	 answers;	/* and what it gave */
};

struct kept_source {
	char	*file;
	char	*data;
	size_t	 len;
};

struct site_cache {
	struct cache_entry	**v;
	size_t			  n, cap;
	struct kept_source	 *src;		/* sorted by file once sealed */
	size_t			  nsrc, src_cap;
};

static void
key_add(EVP_MD_CTX *md, const void *p, size_t n)
{
	/* The length first: no two sequences of pieces hash alike. */
	EVP_DigestUpdate(md, &n, sizeof(n));
	EVP_DigestUpdate(md, p, n);
}

static void
key_str(EVP_MD_CTX *md, const char *s)
{
	unsigned char	none = 0;

	if (s == NULL)
		EVP_DigestUpdate(md, &none, 1);
	else
		key_add(md, s, strlen(s) + 1);
}

void
site_cache_key(const struct convert_env *env, const struct convert_text *t,
    const struct source *src, unsigned char key[SITE_CACHE_KEY])
{
	EVP_MD_CTX	*md;
	unsigned char	 flags[3];
	unsigned	 len;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		fatalx("SHA-256 unavailable");
	key_str(md, env->file);
	key_add(md, &env->first_line, sizeof(env->first_line));
	flags[0] = env->kramdown.parse_block_html;
	flags[1] = t->mapped;
	flags[2] = env->jemoji;
	key_add(md, flags, sizeof(flags));
	key_add(md, env->kramdown.quotes, sizeof(env->kramdown.quotes));
	key_add(md, t->text.data, t->text.len);
	key_add(md, t->lines.v, t->lines.n * sizeof(*t->lines.v));
	key_str(md, src->fm.excerpt);
	key_add(md, &src->fm.excerpt_line, sizeof(src->fm.excerpt_line));
	EVP_DigestFinal_ex(md, key, &len);
	EVP_MD_CTX_free(md);
}

/* The diagnostics of src from `from` on, added to dst. */
static void
diags_copy(struct diags *dst, const struct diags *src, size_t from)
{
	size_t	i;

	for (i = from; i < src->n; i++)
		diag_add(dst, src->v[i].level, src->v[i].file, src->v[i].line,
		    src->v[i].column, "%s", src->v[i].msg);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct cache_entry *const *x = a, *const *y = b;

	return memcmp((*x)->key, (*y)->key, SITE_CACHE_KEY);
}

static int
key_cmp(const void *key, const void *e)
{
	const struct cache_entry *const *y = e;

	return memcmp(key, (*y)->key, SITE_CACHE_KEY);
}

struct cache_entry *
site_cache_find(struct site_cache *c, const unsigned char *key)
{
	struct cache_entry	**e;

	if (c == NULL || c->n == 0)
		return NULL;
	e = bsearch(key, c->v, c->n, sizeof(*c->v), key_cmp);
	return e != NULL ? *e : NULL;
}

/* What one mapping gave: the URL, then the diagnostics it made. */
static void
answer(struct buf *out, const char *url, const struct diags *d, size_t from)
{
	size_t	i;

	if (url == NULL)
		buf_putc(out, '\001');
	else
		buf_puts(out, url);
	buf_putc(out, '\0');
	for (i = from; i < d->n; i++)
		buf_printf(out, "%d:%u:%u:%s", (int)d->v[i].level,
		    d->v[i].line, d->v[i].column, d->v[i].msg);
	buf_putc(out, '\0');
}

char *
site_cache_map_url(void *ctx, const char *target, unsigned line)
{
	struct cache_job	*cj = ctx;
	size_t			 from = cj->b->diags->n;
	char			*url;

	url = site_map_url(cj->b, target, line);
	buf_puts(&cj->calls, target);
	buf_putc(&cj->calls, '\0');
	buf_append(&cj->calls, &line, sizeof(line));
	answer(&cj->answers, url, cj->b->diags, from);
	return url;
}

bool
site_cache_valid(const struct cache_entry *e, const struct build *b)
{
	struct build	 tb = *b;
	struct diags	 d = { 0 };
	struct buf	 out = BUF_INIT;
	const char	*p = e->calls.data, *end = p + e->calls.len;
	unsigned	 line;
	size_t		 from;
	char		*url;
	bool		 same;

	/* The links of the text again, against this build's pages. */
	tb.diags = &d;
	while (p < end) {
		memcpy(&line, p + strlen(p) + 1, sizeof(line));
		from = d.n;
		url = site_map_url(&tb, p, line);
		answer(&out, url, &d, from);
		free(url);
		p += strlen(p) + 1 + sizeof(line);
	}
	same = out.len == e->answers.len &&
	    (out.len == 0 || memcmp(out.data, e->answers.data, out.len) == 0);
	buf_free(&out);
	diag_free(&d);
	return same;
}

void
site_cache_use(const struct cache_entry *e, struct doc *doc, char **excerpt,
    struct diags *diags)
{
	doc_append_copy(doc, &e->body);
	doc->nnotes = e->body.nnotes;
	*excerpt = e->excerpt != NULL ? xstrdup(e->excerpt) : NULL;
	diags_copy(diags, &e->diags, 0);
}

static struct site_cache *
cache_get(struct site_cache **cp)
{
	if (*cp == NULL)
		*cp = xcalloc(1, sizeof(**cp));
	return *cp;
}

static void
cache_add(struct site_cache **cp, struct cache_entry *e)
{
	struct site_cache	*c = cache_get(cp);

	xgrowarray(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = e;
}

void
site_cache_keep_source(struct site_cache **cp, const char *file,
    const char *data, size_t len)
{
	struct site_cache	*c = cache_get(cp);
	struct kept_source	*k;

	xgrowarray(&c->src, &c->src_cap, c->nsrc + 1, sizeof(*c->src));
	k = &c->src[c->nsrc++];
	k->file = xstrdup(file);
	k->data = xmalloc(len + 1);
	memcpy(k->data, data, len);
	k->data[len] = '\0';
	k->len = len;
}

static int
source_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kept_source *)a)->file,
	    ((const struct kept_source *)b)->file);
}

static int
file_cmp(const void *file, const void *k)
{
	return strcmp(file, ((const struct kept_source *)k)->file);
}

const char *
site_cache_source(const struct site_cache *c, const char *file, size_t *lenp)
{
	const struct kept_source	*k;

	if (c == NULL || c->nsrc == 0)
		return NULL;
	if ((k = bsearch(file, c->src, c->nsrc, sizeof(*c->src),
	    file_cmp)) == NULL)
		return NULL;
	*lenp = k->len;
	return k->data;
}

void
site_cache_keep(struct site_cache **cp, const struct cache_entry *from)
{
	struct cache_entry	*e;

	e = xcalloc(1, sizeof(*e));
	memcpy(e->key, from->key, SITE_CACHE_KEY);
	doc_append_copy(&e->body, &from->body);
	e->body.nnotes = from->body.nnotes;
	e->excerpt = from->excerpt != NULL ? xstrdup(from->excerpt) : NULL;
	diags_copy(&e->diags, &from->diags, 0);
	buf_append(&e->calls, from->calls.data, from->calls.len);
	buf_append(&e->answers, from->answers.data, from->answers.len);
	cache_add(cp, e);
}

void
site_cache_put(struct site_cache **cp, const unsigned char *key,
    const struct doc *body, const char *excerpt, const struct diags *diags,
    size_t from, struct cache_job *cj)
{
	struct cache_entry	*e;

	e = xcalloc(1, sizeof(*e));
	memcpy(e->key, key, SITE_CACHE_KEY);
	doc_append_copy(&e->body, body);
	e->body.nnotes = body->nnotes;
	e->excerpt = excerpt != NULL ? xstrdup(excerpt) : NULL;
	diags_copy(&e->diags, diags, from);
	e->calls = cj->calls;
	e->answers = cj->answers;
	cj->calls = (struct buf)BUF_INIT;
	cj->answers = (struct buf)BUF_INIT;
	cache_add(cp, e);
}

void
site_cache_seal(struct site_cache *c)
{
	if (c == NULL)
		return;
	qsort(c->v, c->n, sizeof(*c->v), entry_cmp);
	qsort(c->src, c->nsrc, sizeof(*c->src), source_cmp);
}

void
site_cache_free(void *p)
{
	struct site_cache	*c = p;
	size_t			 i;

	for (i = 0; i < c->n; i++) {
		doc_free(&c->v[i]->body);
		free(c->v[i]->excerpt);
		diag_free(&c->v[i]->diags);
		buf_free(&c->v[i]->calls);
		buf_free(&c->v[i]->answers);
		free(c->v[i]);
	}
	for (i = 0; i < c->nsrc; i++) {
		free(c->src[i].file);
		free(c->src[i].data);
	}
	free(c->v);
	free(c->src);
	free(c);
}
