/*
 * Fuzz the Liquid pass: every byte string renders, within bounds, with
 * lookups that succeed for some names and fail for others.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "liquid.h"

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
	char			*out;
	size_t			 len;

	out = liquid_render((const char *)data, size, &env, &len);
	if (strlen(out) > len)
		abort();
	free(out);
	diag_free(&d);
	return 0;
}
