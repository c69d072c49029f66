/*
 * Render Liquid templates through capsuled's interpreter, for tests.
 *
 *   liquid-render [-r ROOT] [-v VARS.yml] FILE
 *	render FILE with the variables of VARS.yml (a YAML or JSON hash);
 *	includes come from ROOT/_includes and include_relative from
 *	ROOT; diagnostics go to stderr.
 *   liquid-render -c CASES [-r ROOT] [-v VARS.yml]
 *	render every case of a conformance table (tests/liquid/cases.txt):
 *	for each, "### NAME", "errors N", the output's length on a line,
 *	then the output and a line break.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "model/model.h"
#include "convert/convert.h"

static const char	*root = ".";
static struct buf	 include_text[64];
static char		*include_path[64];
static size_t		 nincludes;

static int
include_hook(void *ctx, const char *name, bool relative, const char *from,
    struct liquid_source *src)
{
	char	*path;
	size_t	 i;

	path = relative ? xasprintf("%s/%s", root, name) :
	    xasprintf("%s/_includes/%s", root, name);
	for (i = 0; i < nincludes; i++)
		if (strcmp(include_path[i], path) == 0)
			goto found;
	if (nincludes == nitems(include_text) ||
	    file_read(AT_FDCWD, path, &include_text[nincludes], 1 << 20,
	    NULL) != 0) {
		free(path);
		return -1;
	}
	include_path[nincludes] = path;
	path = NULL;
	i = nincludes++;
found:
	free(path);
	src->text = include_text[i].data ? include_text[i].data : "";
	src->len = include_text[i].len;
	src->path = include_path[i];
	return 0;
}

static char *
post_url_hook(void *ctx, const char *name)
{
	return strcmp(name, "2016-07-15-hello") == 0 ?
	    xstrdup("/posts/2016-07-15-hello.gmi") : NULL;
}

static char *
link_hook(void *ctx, const char *path)
{
	return strcmp(path, "about.md") == 0 ? xstrdup("/about.gmi") : NULL;
}

static struct value *
load_vars(const char *text, size_t len, const char *file)
{
	struct diags	 d = { 0 };
	struct value	*v = value_from_yaml(text, len, file, 1, &d);

	diag_print(&d, stderr);
	diag_free(&d);
	if (v == NULL || v->type != VALUE_HASH) {
		value_unref(v);
		v = value_hash();
	}
	return v;
}

/* vars merged over base: a new hash. */
static struct value *
merge(struct value *base, struct value *over)
{
	struct value	*h = value_hash();
	size_t		 i;

	for (i = 0; i < base->u.hash.n; i++)
		value_hash_set(h, base->u.hash.v[i].key->u.str.s,
		    base->u.hash.v[i].key->u.str.len,
		    value_ref(base->u.hash.v[i].val));
	for (i = 0; over && i < over->u.hash.n; i++)
		value_hash_set(h, over->u.hash.v[i].key->u.str.s,
		    over->u.hash.v[i].key->u.str.len,
		    value_ref(over->u.hash.v[i].val));
	return h;
}

static void
render_one(struct liquid_engine *eng, const char *name, const char *text,
    size_t len, struct value *vars, bool batch)
{
	struct liquid_template	*t;
	struct diags		 d = { 0 };
	struct buf		 out = BUF_INIT;

	t = liquid_template_parse(eng, name, 1, text, len, &d);
	liquid_template_render(eng, t, vars, &out, NULL, &d);
	if (batch) {
		printf("### %s\nerrors %zu\n%zu\n", name, d.errors, out.len);
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
		putchar('\n');
	} else
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
	diag_print(&d, stderr);
	diag_free(&d);
	buf_free(&out);
	liquid_template_free(t);
}

static char *
next_line(char **p)
{
	char	*s = *p, *nl;

	if (*s == '\0')
		return NULL;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else
		*p = s + strlen(s);
	return s;
}

/* The cases: "### NAME [!error]", an optional "vars: YAML", <<< ... >>>. */
static void
run_cases(struct liquid_engine *eng, char *text, struct value *base)
{
	struct buf	 tmpl = BUF_INIT;
	struct value	*over, *vars;
	char		*p = text, *line, *name = NULL, *vtext = NULL;
	bool		 in = false;

	while ((line = next_line(&p)) != NULL) {
		if (in) {
			if (strcmp(line, ">>>") == 0) {
				over = vtext ? load_vars(vtext, strlen(vtext),
				    name) : NULL;
				vars = merge(base, over);
				render_one(eng, name, tmpl.data ? tmpl.data :
				    "", tmpl.len, vars, true);
				value_unref(vars);
				value_unref(over);
				in = false;
				vtext = NULL;
				continue;
			}
			if (tmpl.len > 0 || tmpl.data != NULL)
				buf_putc(&tmpl, '\n');
			buf_puts(&tmpl, line);
			if (tmpl.data == NULL)
				buf_reserve(&tmpl, 0);
			continue;
		}
		if (strncmp(line, "### ", 4) == 0) {
			name = line + 4;
			if (strstr(name, " !error") != NULL)
				*strstr(name, " !error") = '\0';
		} else if (strncmp(line, "vars: ", 6) == 0)
			vtext = line + 6;
		else if (strcmp(line, "<<<") == 0) {
			in = true;
			buf_free(&tmpl);
		} else if (strncmp(line, "@@@ ", 4) == 0)
			while ((line = next_line(&p)) != NULL &&
			    strcmp(line, "@@@") != 0)
				continue;
	}
	buf_free(&tmpl);
}

int
main(int argc, char *argv[])
{
	struct liquid_config	 cfg = LIQUID_CONFIG_DEFAULT;
	struct liquid_hooks	 hooks = { NULL, include_hook, post_url_hook,
				    link_hook, NULL, NULL };
	struct liquid_engine	*eng;
	struct value		*vars;
	const char		*vfile = NULL, *cases = NULL;
	char			*text, *vtext;
	size_t			 len, vlen, i;
	int			 ch;

	while ((ch = getopt(argc, argv, "c:r:v:")) != -1) {
		switch (ch) {
		case 'c': cases = optarg; break;
		case 'r': root = optarg; break;
		case 'v': vfile = optarg; break;
		default:
			fprintf(stderr, "usage: liquid-render [-c CASES] "
			    "[-r ROOT] [-v VARS] [FILE]\n");
			return 2;
		}
	}
	if (cases == NULL && optind != argc - 1)
		return 2;
	if (vfile != NULL) {
		if ((vtext = file_read_all(vfile, &vlen)) == NULL) {
			perror(vfile);
			return 1;
		}
		vars = load_vars(vtext, vlen, vfile);
		free(vtext);
	} else
		vars = value_hash();
	cfg.url = "https://example.com";
	cfg.baseurl = "/blog";
	eng = liquid_engine_new(&hooks, &cfg);
	if ((text = file_read_all(cases ? cases : argv[optind], &len)) == NULL) {
		perror(cases ? cases : argv[optind]);
		return 1;
	}
	if (cases != NULL)
		run_cases(eng, text, vars);
	else
		render_one(eng, argv[optind], text, len, vars, false);
	free(text);
	value_unref(vars);
	liquid_engine_free(eng);
	for (i = 0; i < nincludes; i++) {
		buf_free(&include_text[i]);
		free(include_path[i]);
	}
	return 0;
}
