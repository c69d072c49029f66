/*
 * The Liquid interpreter's insides: the syntax tree the parser builds
 * once per file, the render state, and the filter table.
 */
#ifndef CAPSULED_LIQUID_INT_H
#define CAPSULED_LIQUID_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <locale.h>
#include <stdint.h>

#include "liquid-interp.h"

/* Ruby's \s and \w (regular expressions without /u). */
static inline bool
lq_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static inline bool
lq_isword(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* What Ruby's strip removes: whitespace and NUL. */
static inline bool
lq_isstrip(char c)
{
	return lq_isspace(c) || c == '\0';
}

#define LIQUID_MAX_NESTING	100	/* blocks, as Liquid's MAX_DEPTH */
#define LIQUID_MAX_EXPR_DEPTH	32	/* a[b[c[...]]] */

/* An expression as Liquid's Expression.parse makes it. */
enum lq_expr_kind {
	LQ_EXPR_LIT,	/* a value */
	LQ_EXPR_VAR,	/* name.key[expr]... */
	LQ_EXPR_RANGE,	/* (a..b) with a variable end */
	LQ_EXPR_EMPTY,	/* the `empty` of conditions */
	LQ_EXPR_BLANK,	/* the `blank` of conditions */
};

struct lq_lookup {
	struct lq_expr	*key_expr;	/* [expr], or NULL */
	struct value	*key;		/* .name: a string */
	bool		 command;	/* size, first, last */
};

struct lq_expr {
	enum lq_expr_kind	 kind;
	struct value	*lit;		/* LQ_EXPR_LIT */
	struct lq_expr *name_expr; /* LQ_EXPR_VAR named by [expr] */
	struct value	*name;		/* LQ_EXPR_VAR: a string */
	struct lq_lookup	*lookups;
	size_t		 nlookups;
	struct lq_expr	*lo, *hi;	/* LQ_EXPR_RANGE */
};

struct lq_render;

/*
 * A filter: in is the input, args the arguments (keyword arguments as
 * one last hash, as Ruby passes them).  Returns a new reference, or
 * NULL after liquid_fail().
 */
typedef struct value *(*lq_filter_fn)(struct lq_render *, struct value *in,
    struct value **args, size_t nargs);

struct lq_filter {
	const char		*name;
	lq_filter_fn	 fn;
	int			 min, max;	/* arguments after the input */
};

struct lq_call {
	char			*name;
	const struct lq_filter	*def; /* NULL: unknown, input passes */
	struct lq_expr		**args;
	size_t			 nargs;
	char			**kwnames;
	struct lq_expr		**kwargs;
	size_t			 nkw;
};

/* {{ ... }}: an expression and its filters. */
struct lq_var {
	struct lq_expr		*expr;	/* NULL: renders nothing */
	struct lq_call	*filters;
	size_t			 nfilters;
};

enum lq_op {
	LQ_OP_NONE, LQ_OP_EQ, LQ_OP_NE, LQ_OP_LT, LQ_OP_GT, LQ_OP_LE, LQ_OP_GE,
	    LQ_OP_CONTAINS,
	LQ_OP_UNKNOWN,
};

/* a op b, then `and`/`or` the next one (right to left, as Liquid). */
struct lq_cond {
	struct lq_expr	*left, *right;
	enum lq_op	 op;
	int		 rel;		/* 0, 'a' (and), 'o' (or) */
	struct lq_cond	*child;
	bool		 is_else;
};

struct lq_node;

struct lq_body {
	struct lq_node	**v;
	size_t		  n, cap;
	bool		  blank;	/* only blanks and blank tags */
};

enum lq_node_kind {
	LQ_NODE_TEXT,
	LQ_NODE_VAR,
	LQ_NODE_ASSIGN,
	LQ_NODE_CAPTURE,
	LQ_NODE_IF,		/* if, unless, case: branches */
	LQ_NODE_CASE,
	LQ_NODE_FOR,
	LQ_NODE_TABLEROW,
	LQ_NODE_BREAK,
	LQ_NODE_CONTINUE,
	LQ_NODE_CYCLE,
	LQ_NODE_INCREMENT,
	LQ_NODE_DECREMENT,
	LQ_NODE_RAW,
	LQ_NODE_COMMENT,
	LQ_NODE_IFCHANGED,
	LQ_NODE_INCLUDE,
	LQ_NODE_HIGHLIGHT,
	LQ_NODE_LINK,
	LQ_NODE_POST_URL,
	LQ_NODE_PLUGIN,		/* a tag of a GitHub Pages plugin */
};

struct lq_branch {
	struct lq_cond	*cond;		/* NULL for else */
	struct lq_body	 body;
	bool		 shared;	/* renders the body of the one before */
};

struct lq_param {
	char		*key;
	struct value	*str;		/* a quoted value */
	struct lq_expr	*expr;		/* or a variable */
};

struct lq_node {
	enum lq_node_kind	 kind;
	unsigned	 line, col;
	bool		 blank;
	union {
		struct {
			char	*s;
			size_t	 len;
		} text;			/* TEXT, RAW */
		struct lq_var	 var;	/* VAR */
		struct {
			char		*to;
			struct lq_var	 from;
		} assign;
		struct {
			char		*to;
			struct lq_body	 body;
		} capture;
		struct {
			struct lq_branch	*v;
			size_t		 n;
			bool		 unless;
			struct lq_expr	*left;	/* case */
		} branches;		/* IF, CASE */
		struct {
			char		*var;
			char		*name; /* var-collection, for offsets */
			struct lq_expr	*coll;
			struct lq_expr	*limit, *offset;
			bool		 offset_continue, reversed;
			struct lq_expr	*cols;	/* tablerow */
			struct lq_body	 body, else_body;
			bool		 has_else;
		} loop;
		struct {
			struct lq_expr *name; /* NULL: key is the values */
			char		*key;
			struct lq_expr	**v;
			size_t		 n;
		} cycle;
		char		*counter;	/* INCREMENT, DECREMENT */
		struct lq_body	 body;		/* COMMENT, IFCHANGED */
		struct {
			char			*file;	/* as written */
			struct liquid_template	*file_tmpl; /* {{ }} in it */
			struct lq_param	*params;
			size_t			 nparams;
			bool			 has_params;
			bool			 relative;
		} include;
		struct {
			char		*lang;
			bool  nl_after; /* a line break must follow */
			struct lq_body	 body;
		} highlight;
		struct {
			char			*arg;	/* PLUGIN: the tag */
			struct liquid_template	*tmpl;	/* {{ }} in it */
		} link;			/* LINK, POST_URL, PLUGIN */
	} u;
};

struct liquid_template {
	char		*file;
	char		*src;		/* text nodes point into it */
	char		**more;		/* and into these ({% liquid %}) */
	size_t		  nmore;
	struct lq_body	 body;
};

struct lq_cached {
	char			*path;
	struct liquid_template	*tmpl;
};

struct liquid_engine {
	struct liquid_hooks	 hooks;
	struct liquid_config	 cfg;
	char			*url, *baseurl;
	struct lq_cached	*includes;	/* parsed once */
	size_t			 nincludes, capincludes;
};

struct lq_render {
	struct liquid_engine	*eng;
	struct diags		*diags;
	const char		*file;		/* of the node being rendered */
	struct value		*globals;	/* what the caller gave */
	struct value		*counters;	/* increment, decrement */
	struct value		**scopes;	/* [0] outermost: assign */
	size_t			 nscopes, capscopes;
	struct value		*cycles;	/* cycle groups */
	struct value		*offsets;	/* for's offset: continue */
	struct value		*ifchanged;
	struct value		*forloop_value;	/* the innermost forloop */
	const char		*page_file;	/* include_relative's base */
	struct buf		*topout;	/* the caller's buffer */
	const struct lq_node	*outer_include;	/* the page's include tag */
	unsigned		 ndiags;
	bool			 line_start; /* the next byte starts a line */
	int			 sort_nils;	/* sort: -1 nils first, 1 last */
	char			*interrupts;	/* 'b' or 'c', pushed by */
	size_t			 ninterrupts;	/* break and continue */
	size_t			 capinterrupts;
	unsigned		 depth;		/* includes */
	uint64_t		 steps;
	size_t			 written;
	bool			 over_steps, over_output;
	/* Where a failing filter is. */
	unsigned		 line, col;
	struct buf		 err;		/* the message of liquid_fail */
	bool			 failed;
	struct liquid_lines	*lines;
	bool			 top;	/* rendering into the caller's out */
};

/* liquid-parse.c */
struct lq_expr	*liquid_expr_parse(const char *s, size_t len, bool cond);
void		 liquid_expr_free(struct lq_expr *);
void		 liquid_body_free(struct lq_body *);
/* Parse a where_exp style condition; NULL when it is not one. */
struct lq_cond	*liquid_cond_parse(const char *s, size_t len);
void		 liquid_cond_free(struct lq_cond *);
/* The markup of if, elsif, unless: strict, else *err and lax. */
struct lq_cond	*liquid_cond_parse_markup(const char *s, size_t len,
		    char **err);
/* Liquid's QuotedFragment at s[i] (its end; i when none), or the first. */
size_t		 liquid_qf_at(const char *s, size_t len, size_t i);
bool		 liquid_qf_find(const char *s, size_t len, size_t from,
		    size_t *start, size_t *end);
/* The strict for markup into nd's loop; false with err set. */
bool		 liquid_for_strict(const char *s, size_t len,
    struct lq_node *nd,
		    struct buf *err);
/* Parse a {{ }} markup (group_by_exp). */
bool		 liquid_variable_parse(const char *s, size_t len,
		    struct lq_var *, char **err);
void		 liquid_variable_free(struct lq_var *);

/* liquid-render.c */
struct value	*liquid_eval(struct lq_render *, const struct lq_expr *);
bool		 liquid_cond_eval(struct lq_render *, const struct lq_cond *);
struct value	*liquid_variable_eval(struct lq_render *,
    const struct lq_var *);
/* Push a scope, set var to val in it (taking the reference), pop it. */
void		 liquid_scope_push(struct lq_render *);
void		 liquid_scope_pop(struct lq_render *);
void		 liquid_scope_set(struct lq_render *, const char *name,
		    struct value *);
void		 liquid_fail(struct lq_render *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* The array a filter works on (Liquid's InputIterator); NULL when too big. */
struct value	*liquid_input_array(struct lq_render *, struct value *);
/* A lookup of key in v as a template would do it: v.key. */
struct value	*liquid_property(struct lq_render *, struct value *v,
		    struct value *key);

/* v.size, v.first, v.last. */
struct value	*liquid_command(struct lq_render *, struct value *v,
		    struct value *key);
/* Sort without a property (Liquid's nil last, else Ruby's <=>). */
struct value	*liquid_sort_plain(struct lq_render *, struct value *array,
		    bool nil_safe);

/*
 * liquid-plugins.c: what the tags of GitHub Pages' plugins write for
 * markup (rendered), appended to out: gist, avatar, seo, feed_meta.
 */
void		 liquid_plugin_render(struct lq_render *, const char *tag,
		    const char *markup, struct buf *out);

/* liquid-filters.c, liquid-jekyll.c */
const struct lq_filter	*liquid_filter_find(const char *name, size_t len);
extern const struct lq_filter	liquid_standard_filters[];
extern const size_t		liquid_nstandard_filters;
extern const struct lq_filter	liquid_jekyll_filters[];
extern const size_t		liquid_njekyll_filters;

/* Helpers the filters share (liquid-filters.c). */
struct value	*liquid_str(const struct value *);	/* v.to_s */
locale_t	 liquid_utf8_locale(void);	/* for towupper_l, or 0 */
int64_t		 liquid_to_i(const struct value *);
bool		 liquid_to_integer(struct lq_render *, const struct value *,
		    int64_t *);
char		*liquid_to_s(const struct value *, size_t *lenp);
struct value	*liquid_filter_date(struct lq_render *, struct value *in,
		    struct value **args, size_t nargs);
bool		 liquid_to_time(const struct value *, struct value_time *);

#endif
