/*
 * Values from CSV and TSV, as Jekyll reads the CSV and TSV files of
 * _data (Ruby's CSV with headers): an array with a hash per row, keyed by
 * the first row.  Every field is a string; an empty unquoted field and a
 * missing one are nil, a quoted empty field is "".  A line without
 * fields is a row of nils.
 */
#include <stdlib.h>
#include <string.h>

#include "model-int.h"

struct csv {
	const char	*s;
	size_t		 n, i;
	char		 sep;
	unsigned	 line, col0;	/* col0: offset of the line's start */
	bool		 bad;
	unsigned	 bad_line, bad_col;
};

static void
csv_bad(struct csv *c, unsigned line, size_t at)
{
	c->bad = true;
	c->bad_line = line;
	c->bad_col = (unsigned)(at - c->col0) + 1;
}

/* One field at c->i into *out (NULL for nil); false at the end of a row. */
static bool
csv_field(struct csv *c, struct value **out, bool *end_row)
{
	struct buf	b = BUF_INIT;
	char		ch;

	*out = NULL;
	if (c->i < c->n && c->s[c->i] == '"') {
		unsigned	line = c->line;
		size_t		col0 = c->col0, at = c->i;

		for (c->i++;; c->i++) {
			if (c->i >= c->n) {
				c->col0 = col0;
				csv_bad(c, line, at);
				buf_free(&b);
				return false;
			}
			ch = c->s[c->i];
			if (ch == '"') {
				if (c->i + 1 < c->n && c->s[c->i + 1] == '"') {
					buf_putc(&b, '"');
					c->i++;
					continue;
				}
				c->i++;
				break;
			}
			if (ch == '\n') {
				c->line++;
				c->col0 = c->i + 1;
			}
			buf_putc(&b, ch);
		}
		buf_reserve(&b, 0);
		*out = value_str_buf(&b);
	} else {
		size_t start = c->i;

		while (c->i < c->n && c->s[c->i] != c->sep &&
		    c->s[c->i] != '\n' && c->s[c->i] != '\r') {
			if (c->s[c->i] == '"') {
				csv_bad(c, c->line, c->i);
				return false;
			}
			c->i++;
		}
		if (c->i > start)
			*out = value_str(c->s + start, c->i - start);
	}
	if (c->i < c->n && c->s[c->i] == c->sep) {
		c->i++;
		*end_row = false;
		return true;
	}
	if (c->i < c->n && c->s[c->i] == '\r')
		c->i++;
	if (c->i < c->n && c->s[c->i] == '\n') {
		c->i++;
		c->line++;
		c->col0 = c->i;
	} else if (c->i < c->n) {
		csv_bad(c, c->line, c->i);	/* text after a closing quote */
		value_unref(*out);
		*out = NULL;
		return false;
	}
	*end_row = true;
	return true;
}

/* A row as an array of fields (NULL entries are nil); NULL at the end. */
static struct value *
csv_row(struct csv *c)
{
	struct value	*row, *f;
	bool		 end = false;

	if (c->i >= c->n)
		return NULL;
	row = value_array();
	while (!end) {
		if (!csv_field(c, &f, &end)) {
			value_unref(row);
			return NULL;
		}
		value_array_push(row, f);
	}
	/* An empty line is a row without fields. */
	if (row->u.arr.n == 1 && value_is_nil(row->u.arr.v[0]))
		value_unref(row->u.arr.v[--row->u.arr.n]);
	return row;
}

struct value *
value_from_csv(const char *text, size_t len, char sep, const char *file,
    struct diags *diags)
{
	struct csv	 c = { text, len, 0, sep, 1, 0, false, 0, 0 };
	struct value	*head, *row, *res, *h;
	struct buf	 key = BUF_INIT;
	size_t		 i, n;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		c.i = 3;
	res = value_array();
	if ((head = csv_row(&c)) == NULL)
		goto done;
	while ((row = csv_row(&c)) != NULL) {
		h = value_hash();
		n = head->u.arr.n > row->u.arr.n ? head->u.arr.n : row->u.arr.n;
		for (i = 0; i < n; i++) {
			buf_truncate(&key, 0);
			if (i < head->u.arr.n)
				value_to_s(head->u.arr.v[i], &key);
			value_hash_set(h, key.data ? key.data : "", key.len,
			    value_ref(i < row->u.arr.n ? row->u.arr.v[i] :
			    &value_nil));
		}
		value_array_push(res, h);
		value_unref(row);
	}
	value_unref(head);
done:
	buf_free(&key);
	if (c.bad) {
		if (diags != NULL)
			diag_add(diags, DIAG_ERROR, file, c.bad_line,
			    c.bad_col, "CSV: an unclosed or misplaced quote");
		value_unref(res);
		return NULL;
	}
	return res;
}
