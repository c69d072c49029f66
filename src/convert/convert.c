/*
 * The conversion pipeline of a Markdown body (CONVERSION.md 5.1):
 * Liquid, then the kramdown pass, then md4c into the document model.
 */
#include <stdlib.h>

#include "convert-int.h"

/*
 * Each stage maps its output lines to its input's: Liquid to the body's
 * (its tags may span lines), the kramdown pass through Liquid's map (its
 * tables change the line count), so that md4c's warnings, given the
 * kramdown map, name the line of the file.
 */
void
convert_body(const char *body, size_t len, const struct convert_env *env,
    struct doc *doc)
{
	struct kramdown_out	 ko;
	struct linemap		 map;
	unsigned		*lines;
	size_t			 nlines;
	char			*text;
	size_t			 tlen;

	text = liquid_render_lines(body, len, &env->liquid, &tlen, &lines,
	    &nlines);
	map.lines = lines;
	map.n = nlines;
	map.first = env->liquid.first_line;
	kramdown_pass(text, tlen, env->liquid.file, &map, &env->kramdown,
	    env->liquid.diags, &ko);
	markdown_render(&ko, env, doc);
	kramdown_out_free(&ko);
	free(lines);
	free(text);
}
