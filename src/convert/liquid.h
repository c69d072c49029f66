/*
 * The subset of Jekyll's Liquid that blog posts use (CONVERSION.md 5.4):
 * comment, raw, highlight, post_url, link, {{ site.* }}.
 */
#ifndef CAPSULED_LIQUID_H
#define CAPSULED_LIQUID_H

#include <stddef.h>

#include "core/core.h"

struct liquid_env {
	const char	*file;
	unsigned	 first_line;	/* line of the text's first byte */
	struct diags	*diags;
	/* {{ site.KEY }}: the value, or NULL when the key is unknown. */
	const char	*(*site_var)(void *ctx, const char *key);
	/* {% post_url SLUG %}: the post's capsule path, NULL if none. */
	const char	*(*post_path)(void *ctx, const char *slug);
	/* {% link PATH %}: the capsule path of a source file, or NULL. */
	const char	*(*link_path)(void *ctx, const char *path);
	void		*ctx;
};

/*
 * Resolve the Liquid in src.  Returns a new string (its length in
 * *outlen).  Unknown tags and variables are dropped with a warning
 * naming file and line; a post_url to a missing post is reported and
 * produces a marker that later drops the link but keeps its text.
 */
char	*liquid_render(const char *src, size_t len, const struct liquid_env *,
	    size_t *outlen);

/*
 * The same, and where each output line comes from: (*linesp)[i] is the
 * line of the text (counted from env->first_line) where output line i
 * (0-based) starts; *nlinesp is the number of output lines.  Tags that
 * span line breaks make the output shorter than the text: this maps
 * the lines of later stages back to the file.  The caller frees
 * *linesp.
 */
char	*liquid_render_lines(const char *src, size_t len,
	    const struct liquid_env *, size_t *outlen, unsigned **linesp,
	    size_t *nlinesp);

/*
 * What liquid_render writes in place of a link destination that cannot
 * be resolved; the Markdown stage keeps the link text and drops the link.
 */
#define LIQUID_DEAD_LINK	"capsuled-missing:"

#endif
