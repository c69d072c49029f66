/*
 * YAML read with libyaml's event API, for the settings file, front
 * matter and _config.yml alike.
 *
 * Only the top level is kept: each key with its scalar value or the
 * scalars of its sequence.  Deeper structure is skipped event by event
 * with an explicit nesting bound, so no input can drive recursion, and
 * the YAML text itself is bounded in size.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core-int.h"

#define YAML_MAX_DEPTH	64
#define YAML_MAX_BYTES	(1024 * 1024)
#define YAML_MAX_KEYS	1024	/* keys are looked up linearly */

struct reader {
	yaml_parser_t	 parser;
	bool		 last_wins;	/* a key given twice: keep the last */
	const char	*text;
	const char	*file;
	unsigned	 line0;		/* file line of the YAML's first line */
	unsigned	 depth;		/* open mappings and sequences */
	struct diags	*diags;
};

static unsigned
mark_line(const struct reader *r, const yaml_mark_t *m)
{
	return r->line0 + (unsigned)m->line;
}

void
yaml_report(const struct yaml_parser_s *p, const char *text,
    const char *file, unsigned line0, struct diags *diags)
{
	yaml_mark_t	 m = p->problem_mark;
	size_t		 i;

	if (p->error == YAML_MEMORY_ERROR) {
		diag_add(diags, DIAG_ERROR, file, line0, 0,
		    "invalid YAML: out of memory");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* The reader gives a byte offset, not a mark. */
		memset(&m, 0, sizeof(m));
		for (i = 0; i < p->problem_offset; i++) {
			if (text[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)text[i] & 0xc0) != 0x80)
				m.column++;
		}
	}
	if (p->context != NULL)
		diag_add(diags, DIAG_ERROR, file, line0 + (unsigned)m.line,
		    (unsigned)m.column + 1, "invalid YAML: %s (%s on line %u)",
		    p->problem ? p->problem : "error", p->context,
		    line0 + (unsigned)p->context_mark.line);
	else
		diag_add(diags, DIAG_ERROR, file, line0 + (unsigned)m.line,
		    (unsigned)m.column + 1, "invalid YAML: %s",
		    p->problem ? p->problem : "error");
}

static void
report_yaml_error(struct reader *r)
{
	yaml_report(&r->parser, r->text, r->file, r->line0, r->diags);
}

/*
 * The next event, keeping count of the nesting.  A parse error, nesting
 * beyond YAML_MAX_DEPTH or an early end is reported and gives -1 (the
 * event is then empty and need not be deleted).
 */
static int
next_event(struct reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev)) {
		report_yaml_error(r);
		return -1;
	}
	switch (ev->type) {
	case YAML_NO_EVENT:
		diag_add(r->diags, DIAG_ERROR, r->file, r->line0, 0,
		    "invalid YAML: unexpected end");
		return -1;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++r->depth > YAML_MAX_DEPTH) {
			diag_add(r->diags, DIAG_ERROR, r->file,
			    mark_line(r, &ev->start_mark),
			    (unsigned)ev->start_mark.column + 1,
			    "YAML nested deeper than %d levels",
			    YAML_MAX_DEPTH);
			yaml_event_delete(ev);
			return -1;
		}
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		r->depth--;
		break;
	default:
		break;
	}
	return 0;
}

/* Skip the rest of the mapping or sequence just opened. */
static int
skip_nested(struct reader *r)
{
	yaml_event_t	ev;
	unsigned	target = r->depth - 1;

	while (r->depth > target) {
		if (next_event(r, &ev) == -1)
			return -1;
		yaml_event_delete(&ev);
	}
	return 0;
}

static bool
is_null(const yaml_event_t *ev)
{
	const char	*v = (const char *)ev->data.scalar.value;
	const char	*tag = (const char *)ev->data.scalar.tag;

	if (tag != NULL)
		return strcmp(tag, YAML_NULL_TAG) == 0;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return *v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static void
add_value(struct reader *r, struct yaml_entry *e, size_t *cap,
    const yaml_event_t *ev)
{
	size_t	lcap = *cap;

	xgrowarray(&e->values, cap, e->nvalues + 1, sizeof(*e->values));
	if (e->is_sequence) {
		xgrowarray(&e->lines, &lcap, e->nvalues + 1,
		    sizeof(*e->lines));
		e->lines[e->nvalues] = mark_line(r, &ev->start_mark);
	}
	e->values[e->nvalues++] = xstrndup((const char *)ev->data.scalar.value,
	    ev->data.scalar.length);
}

/* The scalar items of a sequence; nested collections are skipped. */
static int
read_sequence(struct reader *r, struct yaml_entry *e)
{
	yaml_event_t	ev;
	size_t		cap = 0;

	for (;;) {
		if (next_event(r, &ev) == -1)
			return -1;
		switch (ev.type) {
		case YAML_SEQUENCE_END_EVENT:
			yaml_event_delete(&ev);
			return 0;
		case YAML_SCALAR_EVENT:
			if (!is_null(&ev))
				add_value(r, e, &cap, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			yaml_event_delete(&ev);
			if (skip_nested(r) == -1)
				return -1;
			continue;
		default:	/* an alias */
			break;
		}
		yaml_event_delete(&ev);
	}
}

/* Read the value of a top-level key into e. */
static int
read_value(struct reader *r, struct yaml_entry *e)
{
	yaml_event_t	ev;
	size_t		cap = 0;

	if (next_event(r, &ev) == -1)
		return -1;
	switch (ev.type) {
	case YAML_SCALAR_EVENT:
		if (!is_null(&ev))
			add_value(r, e, &cap, &ev);
		yaml_event_delete(&ev);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		yaml_event_delete(&ev);
		e->is_sequence = true;
		return read_sequence(r, e);
	case YAML_MAPPING_START_EVENT:
		yaml_event_delete(&ev);
		e->is_mapping = true;
		return skip_nested(r);
	default:	/* an alias: not expanded */
		yaml_event_delete(&ev);
		e->is_mapping = true;
		return 0;
	}
}

struct yaml_entry *
yaml_entries_find(struct yaml_entry *v, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return &v[i];
	return NULL;
}

/*
 * Handle a key that is not a plain string (an alias, or a collection
 * used as a key): warn and skip the key and its value.
 */
static int
skip_odd_key(struct reader *r, yaml_event_t *ev)
{
	struct yaml_entry	scratch;
	int			rc = 0;

	memset(&scratch, 0, sizeof(scratch));
	diag_add(r->diags, DIAG_WARNING, r->file, mark_line(r, &ev->start_mark),
	    (unsigned)ev->start_mark.column + 1,
	    "YAML key that is not a string ignored");
	if (ev->type == YAML_MAPPING_START_EVENT ||
	    ev->type == YAML_SEQUENCE_START_EVENT)
		rc = skip_nested(r);
	yaml_event_delete(ev);
	if (rc == 0)
		rc = read_value(r, &scratch);
	yaml_entry_clear(&scratch);
	return rc;
}

/* The pairs of the top-level mapping, up to its end. */
static int
read_mapping(struct reader *r, struct yaml_entry **vp, size_t *np)
{
	struct yaml_entry	 e, *old;
	yaml_event_t		 ev;
	size_t			 cap = 0;

	for (;;) {
		if (next_event(r, &ev) == -1)
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			if (skip_odd_key(r, &ev) == -1)
				return -1;
			continue;
		}
		if (*np == YAML_MAX_KEYS) {
			diag_add(r->diags, DIAG_ERROR, r->file,
			    mark_line(r, &ev.start_mark),
			    (unsigned)ev.start_mark.column + 1,
			    "more than %d keys", YAML_MAX_KEYS);
			yaml_event_delete(&ev);
			return -1;
		}
		memset(&e, 0, sizeof(e));
		e.key = xstrndup((const char *)ev.data.scalar.value,
		    ev.data.scalar.length);
		e.line = mark_line(r, &ev.start_mark);
		yaml_event_delete(&ev);
		if (read_value(r, &e) == -1) {
			yaml_entry_clear(&e);
			return -1;
		}
		if (r->last_wins &&
		    (old = yaml_entries_find(*vp, *np, e.key)) != NULL) {
			/* As in Jekyll, the last one wins. */
			diag_add(r->diags, DIAG_WARNING, r->file, e.line, 0,
			    "duplicate key '%s': line %u replaces line %u",
			    e.key, e.line, old->line);
			yaml_entry_clear(old);
			*old = e;
			continue;
		}
		xgrowarray(vp, &cap, *np + 1, sizeof(**vp));
		(*vp)[(*np)++] = e;
	}
}

/* The first document, which must be a mapping (or empty). */
static int
read_document(struct reader *r, struct yaml_entry **vp, size_t *np)
{
	yaml_event_t		ev;
	yaml_event_type_t	type;
	int			rc = 0;


	do {
		if (next_event(r, &ev) == -1)
			return -1;
		type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			return 0;
	} while (type != YAML_DOCUMENT_START_EVENT);

	if (next_event(r, &ev) == -1)
		return -1;
	if (ev.type == YAML_MAPPING_START_EVENT)
		rc = read_mapping(r, vp, np);
	else if (ev.type != YAML_SCALAR_EVENT || !is_null(&ev)) {
		diag_add(r->diags, DIAG_ERROR, r->file,
		    mark_line(r, &ev.start_mark),
		    (unsigned)ev.start_mark.column + 1,
		    "YAML top level is not a mapping of keys to values");
		rc = -1;
	}
	yaml_event_delete(&ev);
	return rc;
}

int
yaml_read(const char *text, size_t len, const char *file, unsigned line0,
    bool last_wins, struct yaml_entry **vp, size_t *np, struct diags *diags)
{
	struct reader	r;
	int		rc;

	*vp = NULL;
	*np = 0;
	if (text == NULL)
		text = "";
	if (len > YAML_MAX_BYTES) {
		diag_add(diags, DIAG_ERROR, file, line0, 0,
		    "YAML larger than %d bytes", YAML_MAX_BYTES);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.text = text;
	r.file = file;
	r.line0 = line0;
	r.last_wins = last_wins;
	r.diags = diags;
	if (!yaml_parser_initialize(&r.parser)) {
		diag_add(diags, DIAG_ERROR, file, line0, 0,
		    "cannot initialise the YAML parser");
		return -1;
	}
	yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text,
	    len);
	rc = read_document(&r, vp, np);
	yaml_parser_delete(&r.parser);
	if (rc == -1) {
		yaml_entries_free(*vp, *np);
		*vp = NULL;
		*np = 0;
	}
	return rc;
}

void
yaml_entry_clear(struct yaml_entry *e)
{
	size_t	i;

	for (i = 0; i < e->nvalues; i++)
		free(e->values[i]);
	free(e->values);
	free(e->lines);
	free(e->key);
	memset(e, 0, sizeof(*e));
}

void
yaml_entries_free(struct yaml_entry *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		yaml_entry_clear(&v[i]);
	free(v);
}

const char *
yaml_entries_get(const struct yaml_entry *v, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return v[i].nvalues > 0 ? v[i].values[0] : NULL;
	return NULL;
}
