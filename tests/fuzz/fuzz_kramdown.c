/*
 * Fuzz the kramdown pass and check what the renderer relies on: the
 * line map matches the text, footnotes are numbered 1..n in order.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "convert/convert-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct linemap	 map = { NULL, 0, 1 };
	struct kramdown_out		 o;
	struct diags			 d = { 0 };
	size_t				 i, lines = 0, inlines = 0;

	for (i = 0; i < size; i++)
		inlines += data[i] == '\n';
	kramdown_pass((const char *)data, size, "fuzz.md", &map, NULL, &d, &o);
	if (o.markdown == NULL || o.refdefs == NULL || o.markdown[o.len] != '\0')
		__builtin_trap();
	for (i = 0; i < o.len; i++)
		lines += o.markdown[i] == '\n';
	if (o.len > 0 && o.markdown[o.len - 1] != '\n')
		lines++;
	if (lines != o.nlines)
		__builtin_trap();
	for (i = 0; i < o.nlines; i++)
		if (o.lines[i] < 1 || o.lines[i] > inlines + 1)
			__builtin_trap();
	for (i = 0; i < o.nnotes; i++)
		if (o.notes[i].number != (int)i + 1 || o.notes[i].text == NULL)
			__builtin_trap();
	kramdown_out_free(&o);
	diag_free(&d);
	return 0;
}
