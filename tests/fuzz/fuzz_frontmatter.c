/*
 * Fuzz the front matter splitter and YAML reader, and the _config.yml
 * reader on the same bytes.
 */
#include <stddef.h>
#include <stdint.h>

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
		for (i = 0; i < fm.nentries; i++)
			(void)frontmatter_get(&fm, fm.entries[i].key);
	}
	frontmatter_free(&fm);
	frontmatter_config_parse(text, size, "_config.yml", &cfg, &d);
	for (i = 0; i < cfg.nentries; i++)
		(void)snapshot_config_get(&cfg, cfg.entries[i].key);
	snapshot_config_free(&cfg);
	diag_free(&d);
	return 0;
}
