/*
 * Values: what front matter, _config.yml and _data files hold and what
 * Liquid templates compute with.  nil, booleans, integers, floats,
 * strings, arrays, ordered hashes, times with their UTC offset,
 * integer ranges, and drops: objects whose keys are computed when
 * asked (site.posts, a post's content).
 *
 * Values are reference counted and immutable once built (an array or
 * hash is filled before it is shared).  The counts are not atomic: a
 * value is used by one thread at a time.  nil, true and false are
 * static and never freed.
 */
#ifndef CAPSULED_VALUE_H
#define CAPSULED_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

enum value_type {
	VALUE_NIL,
	VALUE_BOOL,
	VALUE_INT,
	VALUE_FLOAT,
	VALUE_STRING,
	VALUE_ARRAY,
	VALUE_HASH,
	VALUE_TIME,
	VALUE_RANGE,
	VALUE_DROP,
};

struct value;

/*
 * A drop computes its keys when asked.  get returns a new reference or
 * NULL for a key it does not have; to_hash (may be NULL) gives all its
 * keys at once, for iteration, jsonify and inspect.
 */
struct value_drop_ops {
	const char	*name;		/* as Ruby would print the class */
	struct value	*(*get)(void *self, const char *key, size_t len);
	struct value	*(*to_hash)(void *self);
	void		 (*free)(void *self);
};

struct value_hash_entry {
	struct value	*key;		/* a string */
	struct value	*val;
};

struct value_time {
	int64_t		 sec;		/* since the epoch, UTC */
	int32_t		 nsec;
	int32_t		 offset;	/* seconds east of UTC */
	bool		 date_only;	/* a Ruby Date: printed YYYY-MM-DD */
	bool		 utc;		/* Ruby's UTC mode: printed "UTC" */
	char		 zone[8]; /* %Z: "UTC", "CEST", "" for a fixed offset */
};

struct value {
	enum value_type	 type;
	unsigned	 refs;		/* 0: static */
	union {
		bool		 b;
		int64_t		 i;
		double		 f;
		struct {
			char	*s;	/* NUL-terminated */
			size_t	 len;
		} str;
		struct {
			struct value	**v;
			size_t		  n, cap;
		} arr;
		struct {
			struct value_hash_entry	*v;
			size_t			 n, cap;
			uint32_t *index; /* open addressing, or NULL */
			size_t			 icap;
		} hash;
		struct value_time	 time;
		struct {
			int64_t		 first, last;
		} range;
		struct {
			const struct value_drop_ops	*ops;
			void				*self;
		} drop;
	} u;
};

extern struct value	value_nil, value_true, value_false;

struct value	*value_ref(struct value *);
void		 value_unref(struct value *);

struct value	*value_bool(bool);
struct value	*value_int(int64_t);
struct value	*value_float(double);
struct value	*value_str(const char *s, size_t len);
struct value	*value_cstr(const char *s);
/* Takes a buffer's bytes; the buffer is reset. */
struct value	*value_str_buf(struct buf *);
struct value	*value_time(const struct value_time *);
struct value	*value_range(int64_t first, int64_t last);
struct value	*value_drop(const struct value_drop_ops *, void *self);

struct value	*value_array(void);
/* Append, taking the reference given. */
void		 value_array_push(struct value *arr, struct value *item);
struct value	*value_hash(void);
/* Set key (replacing an earlier value), taking the reference to val. */
void		 value_hash_set(struct value *h, const char *key, size_t len,
		    struct value *val);
/* A borrowed reference, or NULL. */
struct value	*value_hash_get(const struct value *h, const char *key,
		    size_t len);

static inline bool
value_is_nil(const struct value *v)
{
	return v == NULL || v->type == VALUE_NIL;
}

/* The name of the Ruby class of a value: "Integer", "NilClass"... */
const char	*value_class_name(const struct value *);
/* Liquid's truth: everything but nil and false. */
bool		 value_truthy(const struct value *);
/* Ruby's ==: 1 == 1.0, arrays and hashes element by element. */
bool		 value_equal(const struct value *, const struct value *);
/*
 * Ruby's <=> for numbers, strings, times and arrays of those: -1, 0 or
 * 1 in *cmp, false when the two cannot be compared.
 */
bool		 value_compare(const struct value *, const struct value *,
		    int *cmp);

/* Append what Ruby's to_s gives: a float as Ruby prints it, an array joined. */
void		 value_to_s(const struct value *, struct buf *);
/* A new string of what value_to_s appends. */
char		*value_to_cstr(const struct value *);
/* Ruby's inspect (strings quoted, hashes as {"k"=>v}). */
void		 value_inspect(const struct value *, struct buf *);
/* JSON as Ruby's to_json writes it. */
void		 value_to_json(const struct value *, struct buf *);
/* A float as Ruby's Float#to_s prints it: 1.0, 0.1, 1.0e+16, Infinity. */
void		 value_format_float(double, struct buf *);

/* Drop key lookup, or hash lookup: a new reference or NULL. */
struct value	*value_get(const struct value *, const char *key, size_t len);
/* A drop's keys as a hash (new reference); other values ref'd as they are. */
struct value	*value_materialize(struct value *);
/* Elements of an array, hash or range; characters of a string. */
size_t		 value_size(const struct value *);

/*
 * Build from a YAML document (libyaml), resolving plain scalars as
 * Ruby's Psych does with dates and times allowed (YAML 1.1 booleans,
 * octal, sexagesimal, timestamps).  NULL, with an error at
 * file:line:column, when the YAML is not valid or nests deeper than 64.
 * first_line is the line of text's first byte in the file.
 */
struct value	*value_from_yaml(const char *text, size_t len,
		    const char *file, unsigned first_line, struct diags *);
/*
 * Where the keys of a document's top-level mapping are, in order,
 * repeated ones too (the hash keeps the last): each key's text (NULL
 * for one that is not a scalar), its line, and the line of each item
 * of its value when that is a sequence.
 */
struct value_yaml_key {
	char		*key;
	unsigned	 line;
	unsigned	*items;
	size_t		 nitems;
};
/*
 * value_from_yaml, and where its top-level keys are; NULL (an error at
 * file:line:column) also when the document is not a mapping (an empty
 * one, or null, has no keys).
 */
struct value	*value_from_yaml_keys(const char *text, size_t len,
		    const char *file, unsigned first_line,
		    struct value_yaml_key **keys, size_t *nkeys,
		    struct diags *);
void		 value_yaml_keys_free(struct value_yaml_key *, size_t);
/*
 * A _data CSV (sep ',') or TSV file (sep '\t') as Jekyll reads it: an
 * array of hashes keyed by the first row, fields as strings, empty ones
 * nil.  NULL, with an error at file:line:column, on a broken quote.
 * (Jekyll reads JSON data as YAML: value_from_yaml.)
 */
struct value	*value_from_csv(const char *text, size_t len, char sep,
		    const char *file, struct diags *);
/* One plain YAML scalar resolved as Psych would. */
struct value	*value_from_yaml_scalar(const char *s, size_t len);

/* Seconds a time may be from the epoch either way (30 million years). */
#define VALUE_TIME_MAX_SEC	((int64_t)1000000000000000)

/*
 * Times.  value_time_now fills the current time in the local zone;
 * value_time_local sets the offset and zone of t->sec in the local
 * time zone (the thread's value_zone_use, else TZ).
 */
void		 value_time_now(struct value_time *);
void		 value_time_local(struct value_time *);
/*
 * value-zone.c: a zone of the tz database by name (America/New_York),
 * read once and kept for the process; NULL when the name is not one
 * or its file cannot be read.  value_zone_use makes it the local zone
 * of the calling thread's times (NULL: the process's TZ again);
 * value_zone_local is value_time_local's, false without one.
 */
struct value_zone;
const struct value_zone *value_zone_get(const char *name);
void		 value_zone_use(const struct value_zone *);
bool		 value_zone_local(struct value_time *);
/*
 * Parse a date and time the way Ruby's Time.parse does for the forms
 * people write (ISO 8601, RFC 2822, "July 15, 2016", "15 Jul 2016
 * 10:00"), in the local zone when no zone is given.  -1 when nothing
 * looks like a date.
 */
int		 value_time_parse(const char *s, size_t len,
    struct value_time *);
/* Ruby's Time#strftime. */
void		 value_strftime(const struct value_time *, const char *fmt,
		    size_t fmtlen, struct buf *);

#endif
