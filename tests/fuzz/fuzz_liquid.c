/*
 * Fuzz the Liquid pass: every byte string renders, within bounds, with
 * lookups that succeed for some names and fail for others, and the line
 * map stays consistent with the output.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "convert/convert.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Names starting with a digit exist; the others do not. */
static const char *
lookup(void *ctx, const char *name)
{
	return name[0] >= '0' && name[0] <= '9' ? "/posts/x.gmi" : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags		 d = { 0 };
	struct liquid_env	 env = {
		"fuzz.md", 1, &d, lookup, lookup, lookup, NULL
	};
	unsigned		*lines;
	char			*out;
	size_t			 len, nlines, i, breaks = 0;

	out = liquid_render_lines((const char *)data, size, &env, &len,
	    &lines, &nlines);
	if (strlen(out) > len)
		abort();
	/* One map entry per output line, in order, within the text. */
	for (i = 0; i < len; i++)
		breaks += out[i] == '\n';
	if (nlines != breaks + 1 || lines[0] != 1)
		abort();
	for (i = 1; i < nlines; i++)
		if (lines[i] < lines[i - 1] || lines[i] > 1 + size)
			abort();
	free(lines);
	free(out);
	diag_free(&d);
	return 0;
}
