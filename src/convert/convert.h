/*
 * Markdown body (after front matter) to document model: Liquid, the
 * kramdown pass, then md4c (CONVERSION.md 5.1).  Uses core, model and
 * proto.
 *
 * The public header of src/convert/: the only one other layers include.
 */
#ifndef CAPSULED_CONVERT_H
#define CAPSULED_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "model/model.h"
#include "liquid-interp.h"

/*
 * The options of kramdown that change what a reader sees, as Jekyll's
 * _config.yml gives them (kramdown: ...).  All zero: Jekyll's defaults.
 */
struct kramdown_opts {
	bool		 parse_block_html;
	/* The four characters of smart_quotes, in kramdown's order (lsquo,
	 * rsquo, ldquo, rdquo), UTF-8; "" for those. */
	char		 quotes[4][8];
};

struct convert_env {
	const char	*file;		/* named in diagnostics */
	unsigned	 first_line;	/* line of the body's first byte */
	struct diags	*diags;
	/*
	 * The Liquid stage: the body is a template that liquid renders
	 * with vars (a hash: site, page...) before the Markdown stages.
	 * NULL: the body holds no Liquid (markdownify's input, rendered).
	 */
	struct liquid_engine *liquid;
	struct value	*vars;
	void		*ctx;		/* map_url's */
	/*
	 * Map a link or image target found in the text (CONVERSION.md
	 * 5.6) to the URL of its link line.  Returns a new string, or NULL
	 * when the link has no line (a fragment-only link).  line is where
	 * the link is, for warnings.  NULL callback: targets kept as is.
	 */
	char		*(*map_url)(void *ctx, const char *target,
			    unsigned line);
	struct kramdown_opts kramdown;
	/* jemoji: a known :name: in the text is its emoji character. */
	bool		 jemoji;
};

/*
 * kramdown's options from _config.yml's kramdown: hash (NULL: none):
 * parse_block_html, smart_quotes (four entity names or code points, as
 * a string with commas or a list).  Values kramdown would refuse leave
 * the default, with a warning naming file.
 */
void	convert_kramdown_opts(struct kramdown_opts *, const struct value *,
	    const char *file, struct diags *);

/*
 * Convert a Markdown body and append its lines to doc.  Never fails:
 * problems are reported to env->diags and the best rendering is
 * produced.
 */
void	convert_body(const char *body, size_t len, const struct convert_env *,
	    struct doc *);

/*
 * Convert an HTML body (a page Jekyll outputs as HTML: its Liquid
 * rendered, no Markdown) and append its lines to doc, as convert_body.
 */
void	convert_html(const char *body, size_t len, const struct convert_env *,
	    struct doc *);

/*
 * convert_body in two steps, for a build on several threads: the
 * Liquid stage, which reads the shared values and so runs on one
 * thread, into t (a copy of the body without env->liquid); then the
 * Markdown stages, on any thread (with diagnostics of their own), which
 * free t.
 */
struct convert_text {
	struct buf		 text;
	struct liquid_lines	 lines;	/* of text, when mapped */
	bool			 mapped;
};
void	convert_liquid(const char *body, size_t len, const struct convert_env *,
	    struct convert_text *);
void	convert_markdown(struct convert_text *, const struct convert_env *,
	    struct doc *);

#endif
