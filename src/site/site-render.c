/*
 * Rendering: each post and page converted to the document model, given
 * its title block, and written into the Gemini and Gopher routes; the
 * static files published beside them.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site-int.h"

/* Posts converted at once by the threads of a build, between two turns. */
#define BATCH_PER_THREAD	16

/*
 * A post between its Liquid stage (in order, on the build's thread, as
 * Liquid's values are shared) and its publication (in order), through
 * the Markdown stages on any thread.
 */
struct post_job {
	struct build		 b;	/* the build's, with the job's diags */
	struct diags		 diags;
	struct convert_env	 env;
	struct convert_text	 text;
	bool			 has_text;
	struct doc		 doc;
	size_t			 body;	/* doc's first line of the body */
	char			*excerpt;
	/* The cache (site-cache.c): the key, the last build's entry. */
	bool			 keyed;
	unsigned char		 key[SITE_CACHE_KEY];
	struct cache_entry	*hit;
	size_t			 from;	/* the Markdown stages' first diag */
	struct doc		 bodydoc;
	struct cache_job	 cj;
};

/* The conversion of src from line on, with vars a Liquid template. */
static void
render_env(struct build *b, struct source *src, unsigned line,
    struct value *vars, struct convert_env *env)
{
	memset(env, 0, sizeof(*env));
	env->file = src->file;
	env->first_line = line;
	env->diags = b->diags;
	if (vars != NULL)
		env->liquid = site_liquid_engine(b);
	env->vars = vars;
	env->map_url = site_map_url;
	env->ctx = b;
	env->kramdown = b->kramdown;
	env->jemoji = (b->plugins & PLUGIN_JEMOJI) != 0;
	b->file = src->file;
	b->web = src->web;
}

/* The newlines of s[0..n). */
static unsigned
lines(const char *s, size_t n)
{
	unsigned	k = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/*
 * The body of page i, a Liquid template, rendered: a Markdown or HTML
 * page's to the end of doc, a file's into t.  False when it cannot be
 * read.
 */
static bool
render_body(struct build *b, size_t i, struct doc *doc,
    struct convert_text *t)
{
	struct source		*src = &b->page_src[i];
	struct convert_env	 env;
	struct value		*vars;
	const char		*text, *body;
	size_t			 len;

	if ((text = site_source_read(b, src, &len)) == NULL)
		return false;
	/* Less a title taken out (strip_title), its lines counted. */
	body = text + src->body_off + src->body_skip;
	len -= src->body_off + src->body_skip;
	vars = site_liquid_vars(b, false, i, body, len);
	render_env(b, src, src->body_line + lines(text + src->body_off,
	    src->body_skip), vars, &env);
	switch (b->snap->pages[i].kind) {
	case PAGE_MARKDOWN:
		convert_body(body, len, &env, doc);
		break;
	case PAGE_HTML:
		convert_html(body, len, &env, doc);
		break;
	case PAGE_FILE:
		convert_liquid(body, len, &env, t);
		break;
	}
	value_unref(vars);
	return true;
}

/*
 * The post's summary for the feed: its excerpt, which is Markdown like
 * the body (Jekyll renders no Liquid in it), as plain text, else the
 * body's first paragraph.
 */
static char *
summary(const struct convert_env *env, struct source *src,
    const struct doc *doc)
{
	struct convert_env	 ex_env = *env;
	struct doc		 ex = { 0 };
	char			*text = NULL;
	size_t			 k;

	if (src->fm.excerpt != NULL) {
		ex_env.first_line = src->fm.excerpt_line;
		convert_body(src->fm.excerpt, strlen(src->fm.excerpt),
		    &ex_env, &ex);
		doc = &ex;
	}
	for (k = 0; text == NULL && k < doc->n; k++)
		if (doc->lines[k].kind == LINE_TEXT && doc->lines[k].text)
			text = xstrdup(doc->lines[k].text);
	doc_free(&ex);
	return text;
}

/*
 * Route a rendered document; a path taken twice is reported (false),
 * once: the caller does not route its Gopher twin.
 */
static bool
publish(struct build *b, const char *file, const char *path,
    const char *lang, const struct doc *doc)
{
	struct buf	 out = BUF_INIT;
	char		*type, *body;
	size_t		 len;
	bool		 ok;

	doc_write_gemtext(doc, &out);
	body = buf_detach(&out, &len);
	type = lang ? xasprintf("text/gemini; lang=%s", lang) :
	    xstrdup("text/gemini");
	ok = routes_take(&b->snap->gemini, path, ROUTE_BODY, type, body, len);
	if (!ok)
		diag_add(b->diags, DIAG_WARNING, file, 0, 0,
		    "%s is already served: not served again", path);
	free(type);
	return ok;
}

static void
join_names(struct buf *out, const char *what, char **v, size_t n)
{
	size_t	i;

	if (n == 0)
		return;
	buf_printf(out, "%s%s: ", out->len ? " · " : "", what);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%s", i ? ", " : "", v[i]);
}

/* Does text hold words, whole, ASCII letters in any case? */
static bool
holds_words(const char *text, const char *words)
{
	size_t		 n = strlen(words);
	const char	*p;

	if (n == 0)
		return true;
	for (p = text; *p != '\0'; p++)
		if (strncasecmp(p, words, n) == 0 && (p == text ||
		    !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

/* Title block (CONVERSION.md 5.3): title, date · author, taxonomy. */
static void
post_header(const struct post *p, struct doc *doc)
{
	struct buf	line = BUF_INIT;

	doc_add_heading(doc, 1, p->title);
	buf_puts(&line, p->date);
	if (p->author)
		buf_printf(&line, " · %s", p->author);
	doc_add(doc, LINE_TEXT, true, line.data);
	buf_truncate(&line, 0);
	join_names(&line, "Categories", p->categories, p->ncategories);
	join_names(&line, "Tags", p->tags, p->ntags);
	if (line.len > 0)
		doc_add(doc, LINE_TEXT, false, line.data);
	buf_free(&line);
}

/* Post i's title block, then its body through the Liquid stage. */
static void
post_liquid(struct build *b, size_t i, struct post_job *job)
{
	struct source	*src = &b->post_src[i];
	struct diags	*diags = b->diags;
	struct value	*vars;
	const char	*text;
	size_t		 len;

	/* What this stage says comes before what the next ones say. */
	b->diags = &job->diags;
	post_header(&b->snap->posts[i], &job->doc);
	job->body = job->doc.n;
	render_env(b, src, src->body_line, NULL, &job->env);
	/* redirect_to: the content is replaced before it is rendered. */
	if (src->redirect == NULL &&
	    (text = site_source_read(b, src, &len)) != NULL) {
		vars = site_liquid_vars(b, true, i, text + src->body_off,
		    len - src->body_off);
		render_env(b, src, src->body_line, vars, &job->env);
		convert_liquid(text + src->body_off, len - src->body_off,
		    &job->env, &job->text);
		value_unref(vars);
		job->has_text = true;
	}
	b->diags = diags;
	/* The next stages' build: the job's diagnostics, no Liquid. */
	job->b = *b;
	job->b.diags = &job->diags;
	job->env.diags = &job->diags;
	job->env.ctx = &job->b;
	job->env.liquid = NULL;
	job->env.vars = NULL;
	job->from = job->diags.n;
	if (job->has_text && (b->last != NULL || b->opts->keep)) {
		site_cache_key(&job->env, &job->text, src, job->key);
		job->keyed = true;
		job->hit = site_cache_find(b->last, job->key);
	}
	if (job->keyed && b->opts->keep) {
		/* Its links recorded, for the next build to check. */
		job->cj.b = &job->b;
		job->env.map_url = site_cache_map_url;
		job->env.ctx = &job->cj;
	}
}

/* The Markdown stages, and the summary: on any thread. */
static void
post_markdown(struct post_job *job, struct source *src)
{
	if (job->hit != NULL && site_cache_valid(job->hit, &job->b)) {
		buf_free(&job->text.text);
		liquid_lines_free(&job->text.lines);
		site_cache_use(job->hit, &job->bodydoc, &job->excerpt,
		    &job->diags);
		return;
	}
	job->hit = NULL;
	if (job->has_text)
		convert_markdown(&job->text, &job->env, &job->bodydoc);
	job->excerpt = summary(&job->env, src, &job->bodydoc);
}

/*
 * Post i, rendered: its diagnostics after those of the posts before
 * it, then its routes and its place in the index.  Every renderer of a
 * post (Gemini, Gopher, search) reads the same document here, before it
 * is freed with the source.
 */
static void
post_publish(struct build *b, size_t i, struct post_job *job)
{
	struct post	*p = &b->snap->posts[i];
	struct source	*src = &b->post_src[i];

	if (job->hit != NULL) {
		b->reused++;
		if (b->opts->keep)
			site_cache_keep(&b->cache, job->hit);
	} else if (job->keyed && b->opts->keep)
		site_cache_put(&b->cache, job->key, &job->bodydoc, job->excerpt,
		    &job->diags, job->from, &job->cj);
	job->doc.nnotes = job->bodydoc.nnotes;
	doc_append(&job->doc, &job->bodydoc);
	buf_free(&job->cj.calls);
	buf_free(&job->cj.answers);
	diag_move(b->diags, &job->diags, 0);
	p->excerpt = job->excerpt;
	if (src->redirect != NULL) {
		doc_free(&job->doc);
		site_redirect_publish(b, src, p->path);
		site_redirect_doc(src->redirect, NULL, &job->doc);
	} else {
		if (b->snap->search != NULL)
			search_add(b->snap->search, i, p->title, p->tags,
			    p->ntags, p->categories, p->ncategories, &job->doc,
			    job->body);
		publish(b, src->file, p->path, p->lang, &job->doc);
	}
	gophersite_post(b->snap, b->opts, b->diags, i, &job->doc);
	doc_free(&job->doc);
	b->snap->source_bytes += src->len;
	site_source_free(src);
}

/* The jobs of a turn, taken one at a time by every thread. */
struct post_batch {
	struct build		*b;
	struct post_job		*jobs;
	size_t			 first, n;
	atomic_size_t		 next;
};

static void *
batch_run(void *arg)
{
	struct post_batch	*pb = arg;
	size_t			 k;

	while ((k = atomic_fetch_add(&pb->next, 1)) < pb->n)
		post_markdown(&pb->jobs[k], &pb->b->post_src[pb->first + k]);
	return NULL;
}

void
site_render_posts(struct build *b)
{
	struct post_batch	 pb;
	pthread_t		*threads;
	size_t			 nthreads, started, per, k;

	nthreads = b->opts->build_threads > 1 ?
	    (size_t)b->opts->build_threads : 1;
	per = nthreads * BATCH_PER_THREAD;
	threads = xcalloc(nthreads, sizeof(*threads));
	pb.b = b;
	pb.jobs = xcalloc(per, sizeof(*pb.jobs));
	for (pb.first = 0; pb.first < b->snap->nposts; pb.first += pb.n) {
		pb.n = b->snap->nposts - pb.first < per ?
		    b->snap->nposts - pb.first : per;
		memset(pb.jobs, 0, pb.n * sizeof(*pb.jobs));
		for (k = 0; k < pb.n; k++)
			post_liquid(b, pb.first + k, &pb.jobs[k]);
		atomic_init(&pb.next, 0);
		/* A thread that cannot be had leaves its share to the rest. */
		for (started = 0; started + 1 < nthreads && started + 1 < pb.n;
		    started++)
			if (pthread_create(&threads[started], NULL, batch_run,
			    &pb) != 0)
				break;
		batch_run(&pb);
		for (k = 0; k < started; k++)
			pthread_join(threads[k], NULL);
		for (k = 0; k < pb.n; k++)
			post_publish(b, pb.first + k, &pb.jobs[k]);
	}
	free(pb.jobs);
	free(threads);
}

/*
 * A rendered file, served as a static file is (its body in the Gemini
 * table's arena, borrowed by the Gopher one).
 */
static void
publish_file(struct build *b, size_t i, struct convert_text *t)
{
	struct snapshot	*snap = b->snap;
	const struct page *pg = &snap->pages[i];
	char		*body;

	body = arena_alloc(&snap->gemini.arena, t->text.len + 1);
	if (t->text.len > 0)
		memcpy(body, t->text.data, t->text.len);
	body[t->text.len] = '\0';
	if (routes_borrow(&snap->gemini, pg->path, ROUTE_BODY,
	    mime_type(pg->path), body, t->text.len))
		gophersite_file(snap, b->opts, b->diags, pg->path, body,
		    t->text.len);
	else
		diag_add(b->diags, DIAG_WARNING, b->page_src[i].file, 0, 0,
		    "%s is already served: not served again", pg->path);
	liquid_lines_free(&t->lines);
	buf_free(&t->text);
}

void
site_render_page(struct build *b, size_t i)
{
	struct page		*pg = &b->snap->pages[i];
	struct source		*src = &b->page_src[i];
	struct doc		 doc = { 0 }, body = { 0 };
	struct convert_text	 t;

	if (src->redirect != NULL) {
		site_redirect_publish(b, src, pg->path);
		site_redirect_doc(src->redirect, NULL, &doc);
		gophersite_page(b->snap, b->opts, b->diags, i, &doc);
		doc_free(&doc);
		site_source_free(src);
		return;
	}
	memset(&t, 0, sizeof(t));
	if (pg->kind == PAGE_FILE) {
		if (render_body(b, i, NULL, &t))
			publish_file(b, i, &t);
		goto done;
	}
	/*
	 * A page that opens with its own title needs no second one; one
	 * that opens with another heading keeps the title of its front
	 * matter ("TO WRITE" under "Markdown 101").
	 */
	render_body(b, i, &body, NULL);
	if (body.n == 0 || body.lines[0].kind != LINE_HEADING ||
	    body.lines[0].level != 1 || (src->fm.title != NULL &&
	    !holds_words(body.lines[0].text, pg->title)))
		doc_add_heading(&doc, 1, pg->title);
	doc_append(&doc, &body);
	if (publish(b, src->file, pg->path, pg->lang, &doc))
		gophersite_page(b->snap, b->opts, b->diags, i, &doc);
	doc_free(&doc);
done:
	b->snap->source_bytes += src->len;
	site_source_free(src);
}

void
site_render_statics(struct build *b)
{
	struct snapshot		*snap = b->snap;
	struct static_file	*sf;
	size_t			 i, n = 0;

	for (i = 0; i < snap->nstatics; i++) {
		sf = &snap->statics[i];
		if (routes_borrow(&snap->gemini, sf->path, ROUTE_BODY,
		    mime_type(sf->path), sf->body, sf->len)) {
			snap->statics[n++] = *sf;
			continue;
		}
		diag_add(b->diags, DIAG_WARNING, sf->path + 1, 0, 0,
		    "%s is already served: file not served", sf->path);
		free(sf->path);
		free(sf->url);
	}
	snap->nstatics = n;
}
