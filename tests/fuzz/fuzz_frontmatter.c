/*
 * Fuzz the front matter splitter and YAML reader, and the _config.yml
 * reader on the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/core.h"
#include "site/site-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frontmatter	 fm;
	struct site_config	 cfg;
	struct diags		 d = { 0 };
	const char		*text = (const char *)data;
	size_t			 off, i;
	unsigned		 line;

	if (frontmatter_parse(text, size, "fuzz.md", &fm, &off, &line,
	    &d) == 0) {
		if (off > size)
			__builtin_trap();
		/* Every key is there to be found again. */
		for (i = 0; fm.data != NULL && i < fm.data->u.hash.n; i++)
			if (frontmatter_get(&fm,
			    fm.data->u.hash.v[i].key->u.str.s) == NULL &&
			    strlen(fm.data->u.hash.v[i].key->u.str.s) ==
			    fm.data->u.hash.v[i].key->u.str.len)
				__builtin_trap();
	}
	frontmatter_free(&fm);
	frontmatter_config_parse(text, size, "_config.yml", &cfg, &d);
	if (snapshot_config_get(&cfg, "title") == NULL)
		__builtin_trap();
	snapshot_config_free(&cfg);
	diag_free(&d);
	return 0;
}
