/*
 * The conversion pipeline of a Markdown body (CONVERSION.md 5.1):
 * Liquid, then the kramdown pass, then md4c into the document model.
 */
#include <stdlib.h>

#include "convert-int.h"

void
convert_body(const char *body, size_t len, const struct convert_env *env,
    struct doc *doc)
{
	struct kramdown_out	 ko;
	char			*text;
	size_t			 tlen;

	text = liquid_render(body, len, &env->liquid, &tlen);
	kramdown_pass(text, tlen, env->liquid.file, env->liquid.first_line,
	    env->liquid.diags, &ko);
	markdown_render(&ko, env, doc);
	kramdown_out_free(&ko);
	free(text);
}
