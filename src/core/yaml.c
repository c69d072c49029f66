/*
 * libyaml's errors, reported at their file, line and column with
 * libyaml's words (model/value-yaml.c reads YAML into values).
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core-int.h"

void
yaml_report(const struct yaml_parser_s *p, const char *text,
    const char *file, unsigned line0, struct diags *diags)
{
	yaml_mark_t	 m = p->problem_mark;
	size_t		 i;

	if (p->error == YAML_MEMORY_ERROR) {
		diag_add(diags, DIAG_ERROR, file, line0, 0,
		    "invalid YAML: out of memory");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* The reader gives a byte offset, not a mark. */
		memset(&m, 0, sizeof(m));
		for (i = 0; i < p->problem_offset; i++) {
			if (text[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)text[i] & 0xc0) != 0x80)
				m.column++;
		}
	}
	if (p->context != NULL)
		diag_add(diags, DIAG_ERROR, file, line0 + (unsigned)m.line,
		    (unsigned)m.column + 1, "invalid YAML: %s (%s on line %u)",
		    p->problem ? p->problem : "error", p->context,
		    line0 + (unsigned)p->context_mark.line);
	else
		diag_add(diags, DIAG_ERROR, file, line0 + (unsigned)m.line,
		    (unsigned)m.column + 1, "invalid YAML: %s",
		    p->problem ? p->problem : "error");
}
