/*
 * Fuzz the value readers: any bytes as YAML and as CSV build a value
 * (or an error with its place) that prints as inspect and JSON, and
 * that Time.parse forms and strftime take any text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "model/model.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
print(struct value *v, struct diags *d)
{
	struct buf	b = BUF_INIT;

	if (v == NULL) {
		if (d->errors == 0)
			abort();
		return;
	}
	value_inspect(v, &b);
	value_to_json(v, &b);
	value_to_s(v, &b);
	buf_free(&b);
	value_unref(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data;
	struct diags		 d = { 0 };
	struct value_time	 t;
	struct buf		 b = BUF_INIT;

	print(value_from_yaml(s, size, "fuzz.yml", 1, &d), &d);
	diag_free(&d);
	memset(&d, 0, sizeof(d));
	print(value_from_csv(s, size, ',', "fuzz.csv", &d), &d);
	diag_free(&d);
	if (value_time_parse(s, size, &t) == 0)
		value_strftime(&t, "%c %z %Z %G-%V %j %s %N", 23, &b);
	memset(&t, 0, sizeof(t));
	t.sec = 1468571445;
	value_strftime(&t, s, size, &b);
	buf_free(&b);
	return 0;
}
