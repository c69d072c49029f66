/*
 * libyaml's errors reported (model/value-yaml.c reads YAML into values:
 * the settings file, front matter, _config.yml and _data alike).
 */
#ifndef CAPSULED_YAML_H
#define CAPSULED_YAML_H

#include "diag.h"

/*
 * Report libyaml's error of a parser over text (line0 of file) at its
 * line and column, with libyaml's words.
 */
struct yaml_parser_s;
void	yaml_report(const struct yaml_parser_s *, const char *text,
	    const char *file, unsigned line0, struct diags *);

#endif
