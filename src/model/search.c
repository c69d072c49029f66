/*
 * The search index: one in-memory SQLite database per snapshot with an
 * FTS5 table of the posts (rowid: the post's index).  Built on the
 * thread that builds the snapshot, then queried under a mutex by the
 * workers through one prepared statement.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model-int.h"

#define PAGE_SIZE	4096
/* Virtual machine steps between two looks at the clock. */
#define PROGRESS_STEPS	1000
/*
 * Text between two commits.  A transaction that outgrows the bound is
 * lost whole (FTS5 writes its terms at the commit): a batch is what a
 * full index may leave out beyond the bound.
 */
#define BATCH_MAX	(4u << 20)

struct search {
	sqlite3		*db;
	sqlite3_stmt	*insert;	/* while building */
	sqlite3_stmt	*bound, *query;	/* once sealed */
	pthread_mutex_t	 lock;		/* of those and deadline */
	struct timespec	 deadline;
	size_t		 count;		/* posts added and committed */
	size_t		 pending;	/* posts added since */
	size_t		 batch, batch_max; /* bytes of text since */
	size_t		 memory;
	bool		 full;
};

static const char	*schema[] = {
	"PRAGMA page_size = 4096",
	"PRAGMA temp_store = MEMORY",
	/*
	 * Contentless: the index alone, the text staying in the snapshot's
	 * documents, from which the excerpts are made (search_excerpt).
	 */
	"CREATE VIRTUAL TABLE posts USING fts5(title, tags, text, "
	    "content = '', tokenize = 'unicode61 remove_diacritics 2')",
	/* Titles weigh most, then tags, then the text. */
	"INSERT INTO posts(posts, rank) VALUES('rank', "
	    "'bm25(10.0, 5.0, 1.0)')",
	"BEGIN",
};

/*
 * Ranking costs per match (BM25 reads each one's positions): the
 * matches are ranked among the RANK_MAX newest alone (the posts are in
 * the index newest first), found in rowid order, where FTS5 stops at
 * the LIMIT.  Below that many matches the ranking is BM25's over all.
 */
#define RANK_MAX	100
static const char	 bound_sql[] =
	"SELECT rowid FROM posts WHERE posts MATCH ?1 ORDER BY rowid "
	    "LIMIT 1 OFFSET ?2";
static const char	 query_sql[] =
	"SELECT rowid FROM posts WHERE posts MATCH ?1 AND rowid <= ?3 "
	    "ORDER BY rank LIMIT ?2";

static bool
exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

struct search *
search_new(size_t max_bytes)
{
	struct search	*s;
	char		 pages[64];
	size_t		 i;

	s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->batch_max = max_bytes / 16 < BATCH_MAX ? max_bytes / 16 : BATCH_MAX;
	if (sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	snprintf(pages, sizeof(pages), "PRAGMA max_page_count = %zu",
	    max_bytes / PAGE_SIZE > 0 ? max_bytes / PAGE_SIZE : 1);
	if (!exec(s->db, pages))
		goto fail;
	for (i = 0; i < nitems(schema); i++)
		if (!exec(s->db, schema[i]))
			goto fail;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO posts(rowid, title, tags, "
	    "text) VALUES (?1, ?2, ?3, ?4)", -1, &s->insert, NULL) !=
	    SQLITE_OK)
		goto fail;
	return s;
fail:
	search_free(s);
	return NULL;
}

static void
join_names(struct buf *b, char *const *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (b->len > 0)
			buf_putc(b, ' ');
		buf_puts(b, v[i]);
	}
}

/* The words of doc's lines, one line of text a line. */
static void
doc_text(const struct doc *doc, size_t from, struct buf *b)
{
	const struct line	*l;
	size_t			 i;

	for (i = from; i < doc->n; i++) {
		l = &doc->lines[i];
		if (l->text == NULL)
			continue;
		buf_puts(b, l->text);
		buf_putc(b, '\n');
	}
}

static void
bind_buf(sqlite3_stmt *st, int col, const struct buf *b)
{
	sqlite3_bind_text(st, col, b->len ? b->data : "", (int)b->len,
	    SQLITE_STATIC);
}

/* What was added so far, kept; then a new transaction. */
static bool
commit(struct search *s)
{
	if (!exec(s->db, "COMMIT"))
		return false;
	s->count += s->pending;
	s->pending = 0;
	s->batch = 0;
	return exec(s->db, "BEGIN");
}

bool
search_add(struct search *s, size_t id, const char *title,
    char *const *tags, size_t ntags, char *const *cats, size_t ncats,
    const struct doc *doc, size_t from)
{
	struct buf	 names = BUF_INIT, text = BUF_INIT;
	int		 rc;

	if (s->full || s->insert == NULL)
		return false;
	join_names(&names, tags, ntags);
	join_names(&names, cats, ncats);
	doc_text(doc, from, &text);
	sqlite3_bind_int64(s->insert, 1, (sqlite3_int64)id);
	sqlite3_bind_text(s->insert, 2, title ? title : "", -1,
	    SQLITE_STATIC);
	bind_buf(s->insert, 3, &names);
	bind_buf(s->insert, 4, &text);
	rc = sqlite3_step(s->insert);
	sqlite3_reset(s->insert);
	sqlite3_clear_bindings(s->insert);
	s->batch += names.len + text.len;
	buf_free(&names);
	buf_free(&text);
	if (rc == SQLITE_DONE) {
		s->pending++;
		if (s->batch < s->batch_max || commit(s))
			return true;
	}
	/* The posts since the last commit are gone with it. */
	exec(s->db, "ROLLBACK");
	s->pending = 0;
	s->full = true;
	return false;
}

static int
timespec_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

/* Nonzero interrupts the query: it ran past its deadline. */
static int
on_progress(void *arg)
{
	struct search	*s = arg;
	struct timespec	 now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	return timespec_cmp(&now, &s->deadline) > 0;
}

void
search_seal(struct search *s)
{
	int	cur, hi;
	size_t	total = 0;
	int	ops[] = { SQLITE_DBSTATUS_CACHE_USED,
	    SQLITE_DBSTATUS_SCHEMA_USED, SQLITE_DBSTATUS_STMT_USED };
	size_t	i;

	sqlite3_finalize(s->insert);
	s->insert = NULL;
	if (!s->full && !commit(s)) {
		exec(s->db, "ROLLBACK");
		s->pending = 0;
		s->full = true;
	}
	/*
	 * No 'optimize': merging the segments into one costs a third of
	 * the index's build and leaves the queries as fast.
	 */
	exec(s->db, "COMMIT");
	if (sqlite3_prepare_v3(s->db, bound_sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->bound, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(s->db, query_sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->query, NULL) != SQLITE_OK) {
		sqlite3_finalize(s->bound);
		s->bound = s->query = NULL;
	}
	sqlite3_progress_handler(s->db, PROGRESS_STEPS, on_progress, s);
	for (i = 0; i < nitems(ops); i++)
		if (sqlite3_db_status(s->db, ops[i], &cur, &hi, 0) ==
		    SQLITE_OK && cur > 0)
			total += (size_t)cur;
	s->memory = total;
}

size_t
search_memory(const struct search *s)
{
	return s->memory;
}

size_t
search_count(const struct search *s)
{
	return s->count;
}

void
search_free(struct search *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->bound);
	sqlite3_finalize(s->query);
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static bool
is_blank(unsigned char c)
{
	return c <= ' ' || c == 0x7f;
}

/* A byte of a word, as unicode61 sees it: a letter, a digit, non-ASCII. */
static bool
word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') ||
	    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Whether unicode61 finds a word in s. */
static bool
has_word(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (word_byte((unsigned char)s[i]))
			return true;
	return false;
}

static const char *
operator(const char *s, size_t len)
{
	static const char	*ops[] = { "AND", "OR", "NOT" };
	size_t			 i;

	for (i = 0; i < nitems(ops); i++)
		if (strlen(ops[i]) == len && memcmp(s, ops[i], len) == 0)
			return ops[i];
	return NULL;
}

size_t
search_fts_query(const char *q, size_t len, struct buf *out)
{
	const char	*p = q, *end = q + len, *s, *op = NULL, *o;
	size_t		 n = 0, tlen, i;
	bool		 prefix;

	while (p < end && n < SEARCH_MAX_TERMS) {
		if (is_blank((unsigned char)*p)) {
			p++;
			continue;
		}
		prefix = false;
		if (*p == '"') {
			for (s = ++p; p < end && *p != '"'; p++)
				;
			tlen = (size_t)(p - s);
			if (p < end)
				p++;
			for (; p < end && *p == '*'; p++)
				prefix = true;
		} else {
			for (s = p; p < end && !is_blank((unsigned char)*p) &&
			    *p != '"'; p++)
				;
			tlen = (size_t)(p - s);
			if ((o = operator(s, tlen)) != NULL) {
				if (n > 0)
					op = o;
				continue;
			}
			for (; tlen > 0 && s[tlen - 1] == '*'; tlen--)
				prefix = true;
		}
		if (!has_word(s, tlen))
			continue;
		if (n++ > 0)
			buf_printf(out, " %s ", op ? op : "AND");
		op = NULL;
		/* Neither a word nor a phrase holds a '"': nothing to double. */
		buf_putc(out, '"');
		for (i = 0; i < tlen; i++)
			buf_putc(out, is_blank((unsigned char)s[i]) ? ' ' : s[i]);
		buf_putc(out, '"');
		if (prefix)
			buf_puts(out, " *");
	}
	return n;
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/*
 * The rowid of the RANK_MAX-th newest match into *bound (INT64_MAX when
 * fewer match); the step's result code.
 */
static int
rank_bound(struct search *s, const struct buf *fts, sqlite3_int64 *bound)
{
	int	rc;

	*bound = INT64_MAX;
	sqlite3_bind_text(s->bound, 1, fts->data, (int)fts->len,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s->bound, 2, RANK_MAX - 1);
	if ((rc = sqlite3_step(s->bound)) == SQLITE_ROW)
		*bound = sqlite3_column_int64(s->bound, 0);
	sqlite3_reset(s->bound);
	sqlite3_clear_bindings(s->bound);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

enum search_status
search_query(struct search *s, const char *q, size_t len, size_t max,
    struct search_hit **hitsp, size_t *nhits, bool *more)
{
	struct buf		 fts = BUF_INIT;
	struct search_hit	*hits = NULL;
	enum search_status	 st = SEARCH_OK;
	sqlite3_int64		 bound;
	size_t			 n = 0;
	int			 rc;

	*hitsp = NULL;
	*nhits = 0;
	*more = false;
	if (search_fts_query(q, len, &fts) == 0) {
		buf_free(&fts);
		return SEARCH_NOTHING;
	}
	if (s->query == NULL) {
		buf_free(&fts);
		return SEARCH_FAILED;
	}
	hits = xcalloc(max > 0 ? max : 1, sizeof(*hits));
	pthread_mutex_lock(&s->lock);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &s->deadline);
	s->deadline.tv_nsec += SEARCH_MAX_MS * 1000000L;
	if (s->deadline.tv_nsec >= 1000000000L) {
		s->deadline.tv_sec++;
		s->deadline.tv_nsec -= 1000000000L;
	}
	if ((rc = rank_bound(s, &fts, &bound)) == SQLITE_DONE) {
		sqlite3_bind_text(s->query, 1, fts.data, (int)fts.len,
		    SQLITE_STATIC);
		sqlite3_bind_int64(s->query, 2, (sqlite3_int64)max + 1);
		sqlite3_bind_int64(s->query, 3, bound);
		while ((rc = sqlite3_step(s->query)) == SQLITE_ROW) {
			if (n == max) {
				*more = true;
				break;
			}
			hits[n++].id =
			    (size_t)sqlite3_column_int64(s->query, 0);
		}
		sqlite3_reset(s->query);
		sqlite3_clear_bindings(s->query);
	}
	if (rc == SQLITE_INTERRUPT)
		st = SEARCH_SLOW;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = SEARCH_FAILED;
	pthread_mutex_unlock(&s->lock);
	buf_free(&fts);
	if (st != SEARCH_OK) {
		search_hits_free(hits, n);
		return st;
	}
	*hitsp = hits;
	*nhits = n;
	return SEARCH_OK;
}

/* The reader's words, lowercased (ASCII), and their first bytes. */
struct terms {
	struct buf	 b;		/* the words, NUL-separated */
	size_t		 n;
	bool		 first[256];	/* either case */
};

static size_t
query_words(const char *q, size_t len, struct terms *t)
{
	const char	*p = q, *end = q + len, *w;
	unsigned char	 c;

	while (p < end && t->n < SEARCH_MAX_TERMS) {
		if (!word_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		for (w = p; p < end && word_byte((unsigned char)*p); p++)
			;
		if (operator(w, (size_t)(p - w)) != NULL)
			continue;
		c = lower((unsigned char)*w);
		t->first[c] = true;
		if (c >= 'a' && c <= 'z')
			t->first[c - 'a' + 'A'] = true;
		for (; w < p; w++)
			buf_putc(&t->b, (char)lower((unsigned char)*w));
		buf_putc(&t->b, '\0');
		t->n++;
	}
	return t->n;
}

/* Whether one of the words starts at p (before end). */
static bool
term_at(const char *p, const char *end, const struct terms *t)
{
	const char	*w = t->b.data, *last = w + t->b.len;
	size_t		 wlen, i;

	for (; w < last; w += wlen + 1) {
		wlen = strlen(w);
		if (wlen > (size_t)(end - p))
			continue;
		for (i = 0; i < wlen && lower((unsigned char)p[i]) ==
		    (unsigned char)w[i]; i++)
			;
		if (i == wlen)
			return true;
	}
	return false;
}

/* The first word of l[..end) that starts with one of the words. */
static const char *
find_term(const char *l, const char *end, const struct terms *t)
{
	const char	*p;

	for (p = l; p < end; p++)
		if (t->first[(unsigned char)*p] && (p == l ||
		    !word_byte((unsigned char)p[-1])) && term_at(p, end, t))
			return p;
	return NULL;
}

/* The start of the n-th word before p (at a word's start) in l[..p). */
static const char *
words_back(const char *l, const char *p, size_t n, size_t *taken)
{
	const char	*q;

	for (*taken = 0; *taken < n; (*taken)++) {
		for (q = p; q > l && !word_byte((unsigned char)q[-1]); q--)
			;
		if (q == l)
			break;
		while (q > l && word_byte((unsigned char)q[-1]))
			q--;
		p = q;
	}
	return p;
}

/* The end of the n-th word from p on, before end. */
static const char *
words_forward(const char *p, const char *end, size_t n)
{
	const char	*to = p;

	while (n-- > 0) {
		while (p < end && !word_byte((unsigned char)*p))
			p++;
		if (p == end)
			break;
		while (p < end && word_byte((unsigned char)*p))
			p++;
		to = p;
	}
	return to;
}

/*
 * EXCERPT_WORDS words of l[..end) from EXCERPT_BEFORE words before the
 * word at m, on one line, "…" where words are left out.
 */
#define EXCERPT_WORDS	24
#define EXCERPT_BEFORE	6
static void
excerpt_at(const char *l, const char *end, const char *m, struct buf *out)
{
	const char	*from, *to, *p;
	size_t		 taken;
	bool		 more;

	from = words_back(l, m, EXCERPT_BEFORE, &taken);
	to = words_forward(m, end, EXCERPT_WORDS - taken);
	more = has_word(to, (size_t)(end - to));
	if (!more)
		to = end;	/* with the line's last punctuation */
	if (has_word(l, (size_t)(from - l)))
		buf_puts(out, "\xe2\x80\xa6");
	for (p = from; p < to; p++) {
		if (!is_blank((unsigned char)*p))
			buf_putc(out, *p);
		else if (out->len > 0 && out->data[out->len - 1] != ' ')
			buf_putc(out, ' ');
	}
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
	if (more)
		buf_puts(out, "\xe2\x80\xa6");
}

char *
search_excerpt(const char *q, size_t qlen, const char *text, size_t len,
    const char *fallback)
{
	struct terms	 t = { .b = BUF_INIT };
	struct buf	 out = BUF_INIT;
	const char	*p = text, *end = text + len, *nl, *m = NULL;
	bool		 pre = false;

	if (query_words(q, qlen, &t) > 0) {
		/* The post's lines of text: no heading, link or code. */
		for (; p < end && m == NULL; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			if (nl - p >= 3 && memcmp(p, "```", 3) == 0)
				pre = !pre;
			else if (!pre && *p != '#' && !(nl - p >= 2 &&
			    memcmp(p, "=>", 2) == 0) &&
			    (m = find_term(p, nl, &t)) != NULL)
				excerpt_at(p, nl, m, &out);
			if (nl == end)
				break;
		}
	}
	if (m == NULL && fallback != NULL) {
		end = fallback + strlen(fallback);
		for (p = fallback; p < end && !word_byte((unsigned char)*p);
		    p++)
			;
		if (p < end)
			excerpt_at(fallback, end, p, &out);
	}
	buf_free(&t.b);
	buf_putc(&out, '\0');
	return buf_detach(&out, NULL);
}

void
search_hits_free(struct search_hit *hits, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(hits[i].excerpt);
	free(hits);
}
