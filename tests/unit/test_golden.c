/*
 * Golden conversions: every tests/golden/NAME.gmi is what convert_body
 * must make of tests/golden/NAME.md (or, when there is no such file, of
 * the body of the capsule's post capsule/_posts/NAME.md), in a fixed
 * environment.  Each golden pair was written from CONVERSION.md.  When
 * a rule changes on purpose, GOLDEN_WRITE=1 writes what the converter
 * makes into the .gmi files, to be read over in the diff.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/convert.h"
#include "gemtext_check.h"
#include "harness.h"

static const char *const slugs[] = {
	"2019-02-20-planning-the-beds",
	"2019-03-09-moisture-probes-and-their-many-quirks",
};

/* The site's variables (_config.yml) that posts use. */
static const char site_yaml[] = "site: {title: Lantern Relay, "
    "author: Mira Okafor, description: \"Notes from a small garden "
    "\xe2\x80\x94 pumps, probes and patience.\"}";

static char *
post_url(void *ctx, const char *slug)
{
	size_t	i;

	(void)ctx;
	for (i = 0; i < nitems(slugs); i++)
		if (strcmp(slug, slugs[i]) == 0)
			return xasprintf("/posts/%s.gmi", slug);
	return NULL;
}

/* Absolute URLs kept, capsule paths of posts and images kept. */
static char *
map_url(void *ctx, const char *target, unsigned line)
{
	(void)ctx;
	(void)line;
	if (strncmp(target, "/img/", 5) == 0 ||
	    strncmp(target, "/posts/", 7) == 0 ||
	    strncmp(target, "mailto:", 7) == 0 ||
	    (target[0] != '/' && strstr(target, "://") != NULL))
		return xstrdup(target);
	return NULL;
}

static char *
convert(const char *body, size_t len, unsigned first_line)
{
	struct liquid_hooks	 hooks = { NULL, NULL, post_url, NULL, NULL,
				    NULL };
	struct convert_env	 env;
	struct diags		 diags;
	struct doc		 doc = { 0 };
	struct buf		 out = BUF_INIT;

	memset(&env, 0, sizeof(env));
	memset(&diags, 0, sizeof(diags));
	env.file = "golden.md";
	env.first_line = first_line;
	env.diags = &diags;
	env.liquid = liquid_engine_new(&hooks, NULL);
	env.vars = value_from_yaml(site_yaml, strlen(site_yaml), "site",
	    1, &diags);
	env.map_url = map_url;
	convert_body(body, len, &env, &doc);
	doc_write_gemtext(&doc, &out);
	doc_free(&doc);
	diag_free(&diags);
	value_unref(env.vars);
	liquid_engine_free(env.liquid);
	buf_puts(&out, "");
	return buf_detach(&out, NULL);
}

/* The body of a post: what follows its front matter. */
static const char *
post_body(const char *s, size_t *len, unsigned *first_line)
{
	const char	*end, *p;

	*first_line = 1;
	if (strncmp(s, "---\n", 4) != 0 ||
	    (end = strstr(s + 3, "\n---\n")) == NULL)
		return s;
	end += 5;
	for (p = s; p < end; p++)
		if (*p == '\n')
			++*first_line;
	*len -= end - s;
	return end;
}

/* Report the first line where got and want differ. */
static void
show_diff(const char *name, const char *got, const char *want)
{
	unsigned	line = 1;
	size_t		i, start = 0;

	for (i = 0; got[i] != '\0' && got[i] == want[i]; i++)
		if (got[i] == '\n') {
			line++;
			start = i + 1;
		}
	fprintf(stderr, "%s.gmi: differs at line %u\n  got:  [%.*s]\n"
	    "  want: [%.*s]\n", name, line, (int)strcspn(got + start, "\n"),
	    got + start, (int)strcspn(want + start, "\n"), want + start);
}

static void
golden_write(const char *top, const char *name, const char *got)
{
	char	*path = xasprintf("%s/tests/golden/%s.gmi", top, name);
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(got, 1, strlen(got), f) != strlen(got) || fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write\n", path);
		harness_test_failed = 1;
	}
	free(path);
}

static void
golden(const char *top, const char *name)
{
	char		*path, *md, *want, *got;
	const char	*body;
	const char	*err;
	size_t		 len, wlen;
	unsigned	 first_line = 1;

	path = xasprintf("%s/tests/golden/%s.gmi", top, name);
	want = file_read_all(path, &wlen);
	free(path);
	path = xasprintf("%s/tests/golden/%s.md", top, name);
	if ((md = file_read_all(path, &len)) != NULL)
		body = md;
	else {
		free(path);
		path = xasprintf("%s/capsule/_posts/%s.md", top, name);
		if ((md = file_read_all(path, &len)) == NULL) {
			fprintf(stderr, "%s: no input\n", name);
			harness_test_failed = 1;
			free(path);
			free(want);
			return;
		}
		body = post_body(md, &len, &first_line);
	}
	free(path);
	got = convert(body, len, first_line);
	if (getenv("GOLDEN_WRITE") != NULL)
		golden_write(top, name, got);
	else if (want == NULL || strcmp(got, want) != 0) {
		show_diff(name, got, want ? want : "");
		harness_test_failed = 1;
	}
	if ((err = gemtext_error(got, strlen(got))) != NULL) {
		fprintf(stderr, "%s: %s\n", name, err);
		harness_test_failed = 1;
	}
	free(got);
	free(want);
	free(md);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
main(void)
{
	struct dirent	**ents;
	const char	 *top = getenv("TOP");
	char		 *dir, *name;
	int		  n, i;
	size_t		  len;

	if (top == NULL)
		top = ".";
	dir = xasprintf("%s/tests/golden", top);
	if ((n = scandir(dir, &ents, NULL, by_name)) < 0) {
		fprintf(stderr, "%s: cannot read\n", dir);
		free(dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		len = strlen(ents[i]->d_name);
		if (len > 4 && strcmp(ents[i]->d_name + len - 4, ".gmi") == 0) {
			name = xstrndup(ents[i]->d_name, len - 4);
			harness_test_failed = 0;
			golden(top, name);
			if (harness_test_failed)
				harness_failed++;
			else
				harness_passed++;
			printf("%s %s\n", harness_test_failed ? "FAIL" : "ok  ",
			    name);
			free(name);
		}
		free(ents[i]);
	}
	free(ents);
	free(dir);
	return HARNESS_END();
}
