/*
 * Liquid as Jekyll 4.3 runs it (the liquid gem 5.4 in its default
 * "warn" error mode, lax variables and filters), with Jekyll's tags and
 * filters.  A file is parsed once into a template; a template is
 * rendered any number of times with a hash of variables (site, page,
 * layout, content, paginator...).
 *
 * Errors that make Jekyll fail a build (an unknown tag, a block never
 * closed, a filter given bad arguments) are reported at file:line:column
 * and the rest of the file is rendered: an unknown or broken tag
 * renders nothing, a block never closed renders as if its opening tag
 * were not there, a broken {{ or {% is kept as text.  What Liquid only
 * warns about (markup its strict parser rejects) is a warning, and so
 * is a post_url or link to nothing, which loses the link alone.
 */
#ifndef CAPSULED_LIQUID_INTERP_H
#define CAPSULED_LIQUID_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "model/model.h"

/* An include's text: it must live as long as the engine. */
struct liquid_source {
	const char	*text;
	size_t		 len;
	const char	*path;		/* named in diagnostics */
};

/*
 * What the site provides.  Any hook may be NULL: includes are then not
 * found, links not resolved, markdownify returns its input.
 */
struct liquid_hooks {
	void	*ctx;
	/*
	 * {% include NAME %} (relative false: from _includes/) or
	 * {% include_relative NAME %} (from the folder of the file `from`).
	 * 0 with *src filled, or -1 when there is no such file.
	 */
	int	 (*include)(void *ctx, const char *name, bool relative,
		    const char *from, struct liquid_source *src);
	/* {% post_url NAME %}, {% link PATH %}: a URL (malloc'd) or NULL. */
	char	*(*post_url)(void *ctx, const char *name);
	char	*(*link)(void *ctx, const char *path);
	/* markdownify, smartify: append the HTML of s to out. */
	void	 (*markdownify)(void *ctx, const char *s, size_t len,
		    struct buf *out);
	void	 (*smartify)(void *ctx, const char *s, size_t len,
		    struct buf *out);
};

struct liquid_config {
	const char	*url;		/* site.url, for absolute_url */
	const char	*baseurl;	/* site.baseurl, for relative_url */
	size_t		 max_output;	/* bytes one render writes */
	uint64_t	 max_steps;	/* tags, outputs and loop turns */
	unsigned	 max_include_depth;
	size_t		 max_items;	/* elements of one array or range */
};

/* The defaults: 64 MiB, 10 million steps, 64 includes, 1 million items. */
#define LIQUID_CONFIG_DEFAULT \
	{ NULL, NULL, 64u << 20, 10000000, 64, 1000000 }

/*
 * Where each output line comes from: v[i] is the line in the file of
 * the first byte of output line i (0-based); what an output or a tag
 * generates maps to its tag's line, what an include renders to the
 * line of the (outermost) include tag.
 */
struct liquid_lines {
	unsigned	*v;
	size_t		 n, cap;
};

/*
 * What a post_url or link to nothing renders as, before its name; the
 * Markdown stage keeps the link's text and drops the link.
 */
#define LIQUID_DEAD_LINK	"capsuled-missing:"

struct liquid_engine;
struct liquid_template;

/* One per site build: its hooks, and the includes parsed so far. */
struct liquid_engine	*liquid_engine_new(const struct liquid_hooks *,
			    const struct liquid_config *);
void			 liquid_engine_free(struct liquid_engine *);

/*
 * Parse text (the part of file that starts at first_line).  Never NULL:
 * syntax errors are reported to diags and leave their node out.
 */
struct liquid_template	*liquid_template_parse(struct liquid_engine *,
			    const char *file, unsigned first_line,
			    const char *text, size_t len, struct diags *);
/*
 * Render with vars (a hash, borrowed) appended to out.  lines may be
 * NULL.  Returns 0, or -1 when anything was reported as an error.
 */
int			 liquid_template_render(struct liquid_engine *,
			    const struct liquid_template *, struct value *vars,
			    struct buf *out, struct liquid_lines *lines,
			    struct diags *);
void			 liquid_template_free(struct liquid_template *);
void			 liquid_lines_free(struct liquid_lines *);

/*
 * Jekyll's Utils.slugify of s[0..len), appended to out: mode "raw",
 * "default" (NULL), "pretty", "ascii" or "latin" (another mode only
 * downcases); cased keeps the case, as URLs' :title does.
 */
void	liquid_slugify(const char *s, size_t len, const char *mode,
	    bool cased, struct buf *out);
/* Ruby's upcase ('u'), downcase ('l') or capitalize ('c'), appended. */
void	liquid_case_map(const char *s, size_t len, char how, struct buf *out);

#endif
