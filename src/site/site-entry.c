/*
 * What Jekyll never reads (its EntryFilter): names starting with '.',
 * '_', '#' or '~', or ending with '~' or '.'; the site's exclude: list
 * with Jekyll's default excludes; include: taking names back.
 *
 * A pattern matches an entry as Jekyll's glob_include? has it, both
 * read from the root: fnmatch(3) without flags ('*' crosses '/'), or
 * the entry starting with the pattern (a plain prefix: "node" excludes
 * "nodes.md"), or the pattern naming the folder with its '/'.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

static const char *const default_excludes[] = {
	".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile",
	"Gemfile.lock", "node_modules", "vendor/bundle/", "vendor/cache/",
	"vendor/gems/", "vendor/ruby/",
};

/* "/" + the pattern without its leading slashes. */
static char *
rooted(const char *s)
{
	while (*s == '/')
		s++;
	return xasprintf("/%s", s);
}

static void
add(struct entry_rules *r, bool inc, const char *pattern)
{
	char	***v = inc ? &r->include : &r->exclude;
	size_t	  *n = inc ? &r->ninclude : &r->nexclude;
	size_t	   i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i] + 1, pattern + (pattern[0] == '/')) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = rooted(pattern);
}

/* A list of _config.yml, its strings (other items have no meaning). */
static void
add_list(struct entry_rules *r, bool inc, const struct value *list)
{
	const struct value	*item;
	size_t			 i;

	if (list == NULL || list->type != VALUE_ARRAY)
		return;
	for (i = 0; i < list->u.arr.n; i++) {
		item = list->u.arr.v[i];
		if (item->type == VALUE_STRING && item->u.str.len > 0)
			add(r, inc, item->u.str.s);
	}
}

void
site_entry_rules(struct entry_rules *r, const struct value *config)
{
	const struct value	*inc;
	size_t			 i;

	memset(r, 0, sizeof(*r));
	add_list(r, false, value_hash_get(config, "exclude", 7));
	for (i = 0; i < nitems(default_excludes); i++)
		add(r, false, default_excludes[i]);
	/* Jekyll's default include, unless the site gives its own. */
	if ((inc = value_hash_get(config, "include", 7)) == NULL)
		add(r, true, ".htaccess");
	else
		add_list(r, true, inc);
}

void
site_entry_rules_free(struct entry_rules *r)
{
	xfreev(r->exclude, r->nexclude);
	xfreev(r->include, r->ninclude);
	memset(r, 0, sizeof(*r));
}

static bool
glob(char *const *v, size_t n, const char *entry, bool dir,
    char *const *unless, size_t nunless)
{
	size_t	i, j, len = strlen(entry), plen;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nunless; j++)
			if (strcmp(v[i], unless[j]) == 0)
				break;
		if (j < nunless)
			continue;	/* exclude - include, as Jekyll's */
		plen = strlen(v[i]);
		if (fnmatch(v[i], entry, 0) == 0 ||
		    strncmp(entry, v[i], plen) == 0 ||
		    (dir && plen == len + 1 && v[i][len] == '/' &&
		    strncmp(v[i], entry, len) == 0))
			return true;
	}
	return false;
}

const char *
site_entry_skip(const struct entry_rules *r, const char *rel, bool dir)
{
	const char	*name = strrchr(rel, '/');
	char		*e;
	size_t		 n;
	bool		 included, excluded;

	name = name ? name + 1 : rel;
	n = strlen(name);
	if (n == 0 || name[n - 1] == '.')
		return "a name ending with '.'";
	e = rooted(name);
	included = glob(r->include, r->ninclude, e, dir, NULL, 0);
	free(e);
	e = rooted(rel);
	if (!included)
		included = glob(r->include, r->ninclude, e, dir, NULL, 0);
	excluded = glob(r->exclude, r->nexclude, e, dir, r->include,
	    r->ninclude);
	free(e);
	if (excluded && !included)
		return "excluded (exclude: and Jekyll's default excludes)";
	if (included)
		return NULL;
	if (strchr("._#~", name[0]) != NULL)
		return "a name starting with '.', '_', '#' or '~'";
	if (name[n - 1] == '~')
		return "an editor backup (a name ending with '~')";
	return NULL;
}
