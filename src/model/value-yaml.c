/*
 * Values from YAML (libyaml's document API), with plain scalars
 * resolved as Ruby's Psych resolves them in Jekyll (safe_load with Date
 * and Time permitted): YAML 1.1 booleans, octal and binary integers,
 * sexagesimal numbers, floats that have a dot, dates and timestamps.
 * A node reached twice through an alias is built once and shared, so
 * an alias bomb costs what its nodes cost.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "model-int.h"

#define YAML_MAX_DEPTH	64

static bool
all_match(const char *s, size_t n, const char *set)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return false;
	return n > 0;
}

static bool
word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* Digits with '_' and ',' (which Psych drops) in base: its value. */
static bool
int_digits(const char *s, size_t n, int base, int64_t *v)
{
	size_t	i, nd = 0;
	int	d;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '_' || s[i] == ',')
			continue;
		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return false;
		if (d >= base || *v > (INT64_MAX - d) / base)
			return false;
		*v = *v * base + d;
		nd++;
	}
	return nd > 0;
}

static struct value *
resolve_int(const char *s, size_t n)
{
	int64_t	v, part;
	bool	neg = false;
	size_t	i, start;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++, n--;
	}
	if (n == 0)
		return NULL;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'b')) {
		if (!int_digits(s + 2, n - 2, s[1] == 'x' ? 16 : 2, &v))
			return NULL;
	} else if (n > 1 && s[0] == '0') {
		if (!all_match(s, n, "01234567_,") ||
		    !int_digits(s, n, 8, &v))
			return NULL;
	} else if (memchr(s, ':', n) != NULL) {
		/* Psych's base 60: part e counts 60^|e - 2| (1:30 is 5400). */
		static const int64_t scale[] = { 3600, 60, 1 };
		int	 e = 0;

		v = 0;
		for (start = i = 0; i <= n; i++) {
			if (i < n && s[i] != ':')
				continue;
			if (e > 2 || !int_digits(s + start, i - start, 10,
			    &part) || (start > 0 && (i - start > 2 ||
			    part > 59)) || part > INT64_MAX / 3600 - v)
				return NULL;
			v += part * scale[e++];
			start = i + 1;
		}
	} else {
		if (!isdigit((unsigned char)s[0]) || (s[n - 1] == '_') ||
		    !int_digits(s, n, 10, &v))
			return NULL;
		for (i = 1; i < n; i++)
			if ((s[i] == '_' || s[i] == ',') &&
			    (s[i - 1] == '_' || s[i - 1] == ','))
				return NULL;
	}
	return value_int(neg ? -v : v);
}

static struct value *
resolve_float(const char *s, size_t n)
{
	char	buf[64];
	size_t	i, j = 0;
	bool	dot = false, digit = false;
	const char *p = s;

	if (word_is(s, n, ".inf") || word_is(s, n, ".Inf") ||
	    word_is(s, n, ".INF") || word_is(s, n, "+.inf"))
		return value_float(INFINITY);
	if (word_is(s, n, "-.inf") || word_is(s, n, "-.Inf") ||
	    word_is(s, n, "-.INF"))
		return value_float(-INFINITY);
	if (word_is(s, n, ".nan") || word_is(s, n, ".NaN") ||
	    word_is(s, n, ".NAN"))
		return value_float(NAN);
	if (n == 0 || n >= sizeof(buf))
		return NULL;
	i = 0;
	if (p[0] == '-' || p[0] == '+')
		buf[j++] = p[i++];
	for (; i < n; i++) {
		if (isdigit((unsigned char)p[i])) {
			digit = true;
			buf[j++] = p[i];
		} else if ((p[i] == '_' || p[i] == ',') && !dot && digit)
			continue;
		else if (p[i] == '.' && !dot) {
			dot = true;
			buf[j++] = '.';
		} else if ((p[i] == 'e' || p[i] == 'E') && dot && i + 2 < n &&
		    (p[i + 1] == '-' || p[i + 1] == '+')) {
			buf[j++] = 'e';
			buf[j++] = p[++i];
			if (!all_match(p + i + 1, n - i - 1, "0123456789"))
				return NULL;
		} else
			return NULL;
	}
	if (!dot || (!digit && j <= 2))
		return NULL;
	buf[j] = '\0';
	return value_float(strtod(buf, NULL));
}

static bool
num_at(const char *s, size_t n, size_t *i, int min, int max, int *v)
{
	int	k = 0;

	*v = 0;
	while (*i < n && isdigit((unsigned char)s[*i]) && k < max) {
		*v = *v * 10 + (s[(*i)++] - '0');
		k++;
	}
	return k >= min;
}

/* YYYY-MM-DD, and YYYY-MM-DD[Tt ]HH:MM:SS[.frac][ ][Z|±HH[:MM]]. */
static struct value *
resolve_time(const char *s, size_t n)
{
	struct value_time	t;
	struct buf		b = BUF_INIT;
	size_t			i = 0;
	int			y, mo, d, h, mi, sec, v;

	if (!num_at(s, n, &i, 4, 4, &y) || i >= n || s[i++] != '-' ||
	    !num_at(s, n, &i, 1, 2, &mo) || i >= n || s[i++] != '-' ||
	    !num_at(s, n, &i, 1, 2, &d))
		return NULL;
	if (i == n) {
		if (mo > 12 || mo < 1 || d < 1 || d > 31)
			return NULL;
		buf_printf(&b, "%04d-%02d-%02d", y, mo, d);
		if (value_time_parse(b.data, b.len, &t) != 0) {
			buf_free(&b);
			return NULL;
		}
		buf_free(&b);
		/* A Date is midnight of its day, whatever the zone. */
		t.sec += t.offset;
		t.offset = 0;
		t.zone[0] = '\0';
		t.date_only = true;
		return value_time(&t);
	}
	if (s[i] == 'T' || s[i] == 't')
		i++;
	else
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	if (!num_at(s, n, &i, 1, 2, &h) || i >= n || s[i++] != ':' ||
	    !num_at(s, n, &i, 2, 2, &mi) || i >= n || s[i++] != ':' ||
	    !num_at(s, n, &i, 2, 2, &sec))
		return NULL;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n) {
		if (s[i] == 'Z' && i + 1 == n)
			;
		else if (s[i] == '+' || s[i] == '-') {
			size_t j = i + 1;

			if (!num_at(s, n, &j, 1, 2, &v))
				return NULL;
			if (j < n && s[j] == ':')
				j++;
			if (j < n && !num_at(s, n, &j, 2, 2, &v))
				return NULL;
			if (j != n)
				return NULL;
		} else
			return NULL;
	}
	if (value_time_parse(s, n, &t) != 0)
		return NULL;
	if (i == n && t.zone[0] != 'U') {
		/* No zone: Psych reads the time as UTC, printed +0000. */
		t.sec += t.offset;
		t.offset = 0;
		t.zone[0] = '\0';
		t.utc = false;
	}
	return value_time(&t);
}

struct value *
value_from_yaml_scalar(const char *s, size_t n)
{
	struct value	*v;

	if (n == 0 || word_is(s, n, "~") || word_is(s, n, "null") ||
	    word_is(s, n, "Null") || word_is(s, n, "NULL"))
		return &value_nil;
	if ((n == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (n == 3 && strncasecmp(s, "yes", 3) == 0) ||
	    (n == 2 && strncasecmp(s, "on", 2) == 0))
		return &value_true;
	if ((n == 5 && strncasecmp(s, "false", 5) == 0) ||
	    (n == 2 && strncasecmp(s, "no", 2) == 0) ||
	    (n == 3 && strncasecmp(s, "off", 3) == 0))
		return &value_false;
	if (n >= 8 && isdigit((unsigned char)s[0]) &&
	    (v = resolve_time(s, n)) != NULL)
		return v;
	if ((v = resolve_int(s, n)) != NULL)
		return v;
	if ((v = resolve_float(s, n)) != NULL)
		return v;
	return value_str(s, n);
}

struct builder {
	yaml_document_t	 *doc;
	struct value	**built; /* by node index, shared through aliases */
	bool		 *busy;		/* being built: an alias to it is nil */
	size_t		  nnodes;
	bool		  too_deep;
	yaml_mark_t	  deep;		/* where it went too deep */
};

static struct value *
build(struct builder *b, int id, int depth)
{
	yaml_node_t		*node = yaml_document_get_node(b->doc, id);
	yaml_node_item_t	*it;
	yaml_node_pair_t	*pair;
	struct value		*v, *key;
	struct buf		 kb = BUF_INIT;

	if (node == NULL)
		return &value_nil;
	if (b->built[id - 1] != NULL)
		return value_ref(b->built[id - 1]);
	if (b->busy[id - 1])
		return &value_nil;
	if (depth > YAML_MAX_DEPTH) {
		if (!b->too_deep)
			b->deep = node->start_mark;
		b->too_deep = true;
		return &value_nil;
	}
	switch (node->type) {
	case YAML_SCALAR_NODE:
		if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			v = value_from_yaml_scalar(
			    (const char *)node->data.scalar.value,
			    node->data.scalar.length);
		else
			v = value_str((const char *)node->data.scalar.value,
			    node->data.scalar.length);
		break;
	case YAML_SEQUENCE_NODE:
		v = value_array();
		b->busy[id - 1] = true;
		for (it = node->data.sequence.items.start;
		    it < node->data.sequence.items.top; it++)
			value_array_push(v, build(b, *it, depth + 1));
		break;
	case YAML_MAPPING_NODE:
		v = value_hash();
		b->busy[id - 1] = true;
		for (pair = node->data.mapping.pairs.start;
		    pair < node->data.mapping.pairs.top; pair++) {
			key = build(b, pair->key, depth + 1);
			value_to_s(key, &kb);
			value_unref(key);
			value_hash_set(v, kb.data ? kb.data : "", kb.len,
			    build(b, pair->value, depth + 1));
			buf_truncate(&kb, 0);
		}
		buf_free(&kb);
		break;
	default:
		v = &value_nil;
		break;
	}
	b->built[id - 1] = v;
	return value_ref(v);
}

/*
 * The nesting, event by event, stopping at the bound: libyaml's
 * scanner is quadratic in the open flow levels, so the loader must not
 * see a deep document.  false (reported) when too deep.
 */
static bool
depth_ok(const char *text, size_t len, const char *file,
    unsigned first_line, struct diags *diags)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	int		 depth = 0;
	bool		 ok = true, done = false;

	if (!yaml_parser_initialize(&parser))
		return false;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	while (!done && yaml_parser_parse(&parser, &ev)) {
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YAML_MAX_DEPTH) {
				if (diags != NULL)
					diag_add(diags, DIAG_ERROR, file,
					    first_line +
					    (unsigned)ev.start_mark.line,
					    (unsigned)ev.start_mark.column + 1,
					    "YAML nested deeper than %d",
					    YAML_MAX_DEPTH);
				ok = false;
				done = true;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ok;	/* a syntax error: the loader reports it */
}

/* Where the root mapping's keys and their sequences' items are. */
static int
root_keys(yaml_document_t *doc, const char *file, unsigned first_line,
    struct value_yaml_key **keys, size_t *nkeys, struct diags *diags)
{
	yaml_node_t		*root = yaml_document_get_root_node(doc);
	yaml_node_t		*k, *v;
	yaml_node_pair_t	*pair;
	yaml_node_item_t	*it;
	struct value_yaml_key	*e;
	struct value		*s;
	size_t			 n;
	bool			 nil;

	if (root != NULL && root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		s = value_from_yaml_scalar((const char *)root->data.scalar.value,
		    root->data.scalar.length);
		nil = s->type == VALUE_NIL;
		value_unref(s);
		if (nil)
			return 0;
	}
	if (root == NULL)
		return 0;
	if (root->type != YAML_MAPPING_NODE) {
		if (diags != NULL)
			diag_add(diags, DIAG_ERROR, file,
			    first_line + (unsigned)root->start_mark.line,
			    (unsigned)root->start_mark.column + 1,
			    "YAML top level is not a mapping of keys to "
			    "values");
		return -1;
	}
	n = (size_t)(root->data.mapping.pairs.top -
	    root->data.mapping.pairs.start);
	*keys = xcalloc(n + 1, sizeof(**keys));
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		e = &(*keys)[(*nkeys)++];
		k = yaml_document_get_node(doc, pair->key);
		v = yaml_document_get_node(doc, pair->value);
		e->line = first_line + (unsigned)k->start_mark.line;
		if (k->type == YAML_SCALAR_NODE)
			e->key = xstrndup((const char *)k->data.scalar.value,
			    k->data.scalar.length);
		if (v == NULL || v->type != YAML_SEQUENCE_NODE)
			continue;
		e->items = xcalloc((size_t)(v->data.sequence.items.top -
		    v->data.sequence.items.start) + 1, sizeof(*e->items));
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++)
			e->items[e->nitems++] = first_line + (unsigned)
			    yaml_document_get_node(doc, *it)->start_mark.line;
	}
	return 0;
}

void
value_yaml_keys_free(struct value_yaml_key *keys, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(keys[i].key);
		free(keys[i].items);
	}
	free(keys);
}

/*
 * Whether text may open more than YAML_MAX_DEPTH collections: each
 * opening takes a byte of its own ('-' of a block sequence, ':' or '?'
 * of a block mapping's key, '[' or '{'), so a text with fewer such
 * bytes (a post's front matter) needs no look at its events.
 */
static bool
may_nest_deep(const char *text, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		switch (text[i]) {
		case '-': case ':': case '?': case '[': case '{':
			if (++n > YAML_MAX_DEPTH)
				return true;
			break;
		default:
			break;
		}
	return false;
}

struct value *
value_from_yaml_keys(const char *text, size_t len, const char *file,
    unsigned first_line, struct value_yaml_key **keys, size_t *nkeys,
    struct diags *diags)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	struct builder	 b;
	struct value	*v = NULL;
	size_t		 i;

	if (keys != NULL) {
		*keys = NULL;
		*nkeys = 0;
	}
	if ((may_nest_deep(text, len) &&
	    !depth_ok(text, len, file, first_line, diags)) ||
	    !yaml_parser_initialize(&parser))
		return NULL;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, &doc)) {
		if (diags != NULL)
			yaml_report(&parser, text, file, first_line, diags);
		yaml_parser_delete(&parser);
		return NULL;
	}
	if (keys != NULL && root_keys(&doc, file, first_line, keys, nkeys,
	    diags) == -1) {
		yaml_document_delete(&doc);
		yaml_parser_delete(&parser);
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.doc = &doc;
	b.nnodes = (size_t)(doc.nodes.top - doc.nodes.start);
	b.built = xcalloc(b.nnodes + 1, sizeof(*b.built));
	b.busy = xcalloc(b.nnodes + 1, sizeof(*b.busy));
	if (b.nnodes > 0)
		v = build(&b, 1, 0);
	else
		v = &value_nil;
	for (i = 0; i < b.nnodes; i++)
		value_unref(b.built[i]);
	free(b.built);
	free(b.busy);
	if (b.too_deep) {
		if (diags != NULL)
			diag_add(diags, DIAG_ERROR, file,
			    first_line + (unsigned)b.deep.line,
			    (unsigned)b.deep.column + 1,
			    "YAML nested deeper than %d", YAML_MAX_DEPTH);
		value_unref(v);
		v = NULL;
	}
	if (v == NULL && keys != NULL) {
		value_yaml_keys_free(*keys, *nkeys);
		*keys = NULL;
		*nkeys = 0;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return v;
}

struct value *
value_from_yaml(const char *text, size_t len, const char *file,
    unsigned first_line, struct diags *diags)
{
	return value_from_yaml_keys(text, len, file, first_line, NULL, NULL,
	    diags);
}
