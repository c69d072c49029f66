/*
 * Fuzz the Liquid interpreter: any text parses and renders within its
 * bounds, with variables of every type, includes that are the input
 * itself (so recursion is reachable), and a line map with one entry per
 * output line, each a line of the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/convert.h"
#include "core/core.h"
#include "model/model.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char	*input;
static size_t		 input_len;

static int
include_hook(void *ctx, const char *name, bool relative, const char *from,
    struct liquid_source *src)
{
	if (name[0] == 'x')
		return -1;
	src->text = input;
	src->len = input_len;
	src->path = name[0] == 'a' ? "a.html" : "b.html";
	return 0;
}

static char *
url_hook(void *ctx, const char *name)
{
	return name[0] >= '0' && name[0] <= '9' ? strdup("/posts/x.gmi") : NULL;
}

static const char vars_yaml[] =
    "s: \"hello world\"\nn: 5\nf: 1.5\nnothing: ~\nyes: true\n"
    "a: [1, 2, 3]\nh: {a: 1, b: [x, y]}\ndate: 2016-07-15 10:00:00 +02:00\n"
    "posts: [{title: A, rank: 2}, {title: B}]\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct value	*vars;
	struct liquid_config	 cfg = LIQUID_CONFIG_DEFAULT;
	struct liquid_hooks	 hooks = { NULL, include_hook, url_hook,
				    url_hook, NULL, NULL };
	struct liquid_engine	*eng;
	struct liquid_template	*t;
	struct liquid_lines	 lines = { NULL, 0, 0 };
	struct diags		 d = { 0 };
	struct buf		 out = BUF_INIT;
	size_t			 i, breaks = 0, nlines = 1;

	if (vars == NULL)
		vars = value_from_yaml(vars_yaml, sizeof(vars_yaml) - 1,
		    "vars", 1, NULL);
	input = (const char *)data;
	input_len = size;
	cfg.max_steps = 20000;
	cfg.max_output = 1 << 20;
	cfg.max_include_depth = 8;
	cfg.max_items = 10000;
	eng = liquid_engine_new(&hooks, &cfg);
	t = liquid_template_parse(eng, "fuzz.md", 1, input, size, &d);
	liquid_template_render(eng, t, vars, &out, &lines, &d);
	if (out.len > cfg.max_output)
		abort();
	for (i = 0; i < out.len; i++)
		breaks += out.data[i] == '\n';
	/* A line per line break, and one for a last line without one. */
	if (lines.n != breaks + (out.len > 0 && out.data[out.len - 1] != '\n'))
		abort();
	/* Each maps to a line of the text (includes: to their tag's). */
	for (i = 0; i < size; i++)
		nlines += data[i] == '\n';
	for (i = 0; i < lines.n; i++)
		if (lines.v[i] < 1 || lines.v[i] > nlines)
			abort();
	for (i = 0; i < d.n; i++)
		if (d.v[i].line == 0 && d.v[i].level == DIAG_ERROR &&
		    strstr(d.v[i].msg, "output larger") == NULL)
			abort();
	liquid_lines_free(&lines);
	buf_free(&out);
	liquid_template_free(t);
	liquid_engine_free(eng);
	diag_free(&d);
	return 0;
}
