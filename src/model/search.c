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
	sqlite3_stmt	*query;		/* once sealed */
	pthread_mutex_t	 lock;		/* of query and deadline */
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
	"CREATE VIRTUAL TABLE posts USING fts5(title, tags, text, "
	    "tokenize = 'unicode61 remove_diacritics 2')",
	/* Titles weigh most, then tags, then the text. */
	"INSERT INTO posts(posts, rank) VALUES('rank', "
	    "'bm25(10.0, 5.0, 1.0)')",
	"BEGIN",
};

/*
 * ORDER BY rank with a LIMIT: FTS5 sorts the matches itself, then makes
 * the excerpts (24 tokens) of those LIMIT alone.
 */
static const char	 query_sql[] =
	"SELECT rowid, snippet(posts, 2, '', '', '\xe2\x80\xa6', "
	    "24) FROM posts WHERE posts MATCH ?1 ORDER BY rank LIMIT ?2";

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
	if (sqlite3_prepare_v3(s->db, query_sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->query, NULL) != SQLITE_OK)
		s->query = NULL;
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

/* Whether unicode61 finds a word in s: a letter or digit, or non-ASCII. */
static bool
has_word(const char *s, size_t len)
{
	size_t	i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 || (c >= '0' && c <= '9') ||
		    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return true;
	}
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

/* The excerpt on one line: blanks and control characters as spaces. */
static char *
one_line(const unsigned char *t)
{
	struct buf	 b = BUF_INIT;
	bool		 space = false;

	for (; t != NULL && *t != '\0'; t++) {
		if (is_blank(*t)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, (char)*t);
	}
	return buf_detach(&b, NULL);
}

enum search_status
search_query(struct search *s, const char *q, size_t len, size_t max,
    struct search_hit **hitsp, size_t *nhits, bool *more)
{
	struct buf		 fts = BUF_INIT;
	struct search_hit	*hits = NULL;
	enum search_status	 st = SEARCH_OK;
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
	sqlite3_bind_text(s->query, 1, fts.data, (int)fts.len, SQLITE_STATIC);
	sqlite3_bind_int64(s->query, 2, (sqlite3_int64)max + 1);
	while ((rc = sqlite3_step(s->query)) == SQLITE_ROW) {
		if (n == max) {
			*more = true;
			break;
		}
		hits[n].id = (size_t)sqlite3_column_int64(s->query, 0);
		hits[n].excerpt = one_line(sqlite3_column_text(s->query, 1));
		n++;
	}
	if (rc == SQLITE_INTERRUPT)
		st = SEARCH_SLOW;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = SEARCH_FAILED;
	sqlite3_reset(s->query);
	sqlite3_clear_bindings(s->query);
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

void
search_hits_free(struct search_hit *hits, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(hits[i].excerpt);
	free(hits);
}
