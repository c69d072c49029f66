/*
 * md4c callbacks to the document model (CONVERSION.md 5.6 to 5.12):
 * text units with their link lines, lists with their nesting, quotes,
 * code and tables as preformatted blocks, the HTML the kramdown pass
 * took out and inline HTML, footnotes after the body.
 */
#ifndef CAPSULED_MARKDOWN_H
#define CAPSULED_MARKDOWN_H

#include "convert.h"
#include "model/model.h"
#include "kramdown.h"

/*
 * Render the output of the kramdown pass (its Markdown, then its
 * footnotes under a "Footnotes" heading) and append the lines to doc.
 * The first line appended starts a block.
 */
void	markdown_render(const struct kramdown_out *, const struct convert_env *,
	    struct doc *);

#endif
