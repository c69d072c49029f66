/*
 * Markdown bytes through the whole conversion: utf8_sanitize, then
 * convert_body (Liquid, kramdown pass, md4c renderer), then the gemtext
 * writer.  The output must follow CONVERSION.md 5.2: valid UTF-8, no
 * CR, balanced ``` toggles, no line outside a preformatted block that
 * starts or ends with whitespace, no doubled blank line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/gemtext_check.h"
#include "convert/convert.h"
#include "core/core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Posts whose slug starts with a digit exist (short ones: no cut). */
static char *
post_url(void *ctx, const char *slug)
{
	(void)ctx;
	if (slug[0] < '0' || slug[0] > '9' || strlen(slug) > 200)
		return NULL;
	return xasprintf("/posts/%s.gmi", slug);
}

static const char site_yaml[] = "site: {title: Whirl Offload, "
    "baseurl: /blog, tags: {eBPF: [{title: A post}]}}";

/* Every target but a fragment gets a line, as written. */
static char *
map_url(void *ctx, const char *target, unsigned line)
{
	(void)ctx;
	(void)line;
	return target[0] == '#' ? NULL : xstrdup(target);
}

static const char straight[4][8] = { "'", "'", "\"", "\"" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct convert_env	 env;
	struct diags		 diags;
	struct doc		 doc = { 0 };
	struct buf		 out = BUF_INIT, text = BUF_INIT;

	memset(&env, 0, sizeof(env));
	memset(&diags, 0, sizeof(diags));
	static const struct liquid_hooks hooks = { NULL, NULL, post_url,
				    NULL, NULL, NULL };
	static struct liquid_engine	*eng;
	static struct value		*vars;

	if (eng == NULL) {
		eng = liquid_engine_new(&hooks, NULL);
		vars = value_from_yaml(site_yaml, strlen(site_yaml), "site",
		    1, &diags);
	}
	env.file = "fuzz.md";
	env.first_line = 1;
	env.diags = &diags;
	env.liquid = eng;
	env.vars = vars;
	env.map_url = map_url;
	/* The first byte picks kramdown's options: both HTML modes,
	 * curled or straight quotes. */
	env.kramdown.parse_block_html = size > 0 && (data[0] & 1);
	if (size > 0 && (data[0] & 2))
		memcpy(env.kramdown.quotes, straight, sizeof(straight));
	utf8_sanitize(&text, (const char *)data, size, "fuzz.md", &diags);
	convert_body(text.data, text.len, &env, &doc);
	doc_write_gemtext(&doc, &out);
	if (gemtext_error(out.data ? out.data : "", out.len) != NULL)
		abort();
	buf_free(&out);
	doc_free(&doc);
	diag_free(&diags);
	buf_free(&text);
	return 0;
}
