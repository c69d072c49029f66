/*
 * Jekyll's collections (collections: in _config.yml, a map of labels
 * or a list of them, in collections_dir) and its front matter defaults
 * (defaults: scope path and type, then values).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "site-int.h"

static void
add_collection(struct build *b, const char *label, const struct value *meta)
{
	const struct value	*v, *dir;
	struct collection	*c;
	char			*style, *perm;
	size_t			 n;

	if (strcmp(label, "posts") == 0 || *label == '\0' ||
	    !site_path_plain(label) || strchr(label, '/') != NULL)
		return;
	b->colls = xreallocarray(b->colls, b->ncolls + 1, sizeof(*b->colls));
	c = &b->colls[b->ncolls++];
	memset(c, 0, sizeof(*c));
	c->label = xstrdup(label);
	dir = snapshot_config_get(&b->snap->config, "collections_dir");
	n = dir != NULL && dir->type == VALUE_STRING ? dir->u.str.len : 0;
	while (n > 0 && dir->u.str.s[n - 1] == '/')
		n--;
	if (n > 0)
		c->dir = xasprintf("%.*s/_%s", (int)n, dir->u.str.s, label);
	else
		c->dir = xasprintf("_%s", label);
	c->meta = meta != NULL && meta->type == VALUE_HASH ? meta : NULL;
	v = value_hash_get(meta, "output", 6);
	c->output = v != NULL && value_truthy(v);
	perm = frontmatter_string(value_hash_get(meta, "permalink", 9));
	if (perm != NULL) {
		c->permalink = xstrdup(site_url_style(perm));
		free(perm);
	} else {
		style = frontmatter_string(snapshot_config_get(
		    &b->snap->config, "permalink"));
		c->permalink = site_url_collection_template(style);
		free(style);
	}
}

void
site_collections(struct build *b)
{
	const struct value	*cs, *item;
	size_t			 i;

	cs = snapshot_config_get(&b->snap->config, "collections");
	if (cs != NULL && cs->type == VALUE_HASH) {
		for (i = 0; i < cs->u.hash.n; i++)
			add_collection(b, cs->u.hash.v[i].key->u.str.s,
			    cs->u.hash.v[i].val);
	} else if (cs != NULL && cs->type == VALUE_ARRAY) {
		for (i = 0; i < cs->u.arr.n; i++) {
			item = cs->u.arr.v[i];
			if (item->type == VALUE_STRING)
				add_collection(b, item->u.str.s, NULL);
		}
	}
}

const struct collection *
site_collection(const struct build *b, const char *rel)
{
	size_t	i;

	for (i = 0; i < b->ncolls; i++)
		if (strcmp(b->colls[i].dir, rel) == 0)
			return &b->colls[i];
	return NULL;
}

void
site_collections_free(struct build *b)
{
	size_t	i;

	for (i = 0; i < b->ncolls; i++) {
		free(b->colls[i].label);
		free(b->colls[i].dir);
		free(b->colls[i].permalink);
	}
	free(b->colls);
	b->colls = NULL;
	b->ncolls = 0;
}

/* Jekyll's applies?: the scope's path (a prefix, or a glob) and type. */
static bool
applies(const struct value *scope, const char *rel, const char *type,
    size_t *weight)
{
	const struct value	*path, *t;
	const char		*p;

	*weight = 0;
	if (scope == NULL || scope->type != VALUE_HASH)
		return true;
	path = value_hash_get(scope, "path", 4);
	if (path != NULL && path->type == VALUE_STRING &&
	    path->u.str.len > 0) {
		p = path->u.str.s;
		while (*p == '/')
			p++;
		if (strchr(p, '*') != NULL ? fnmatch(p, rel, 0) != 0 :
		    strncmp(rel, p, strlen(p)) != 0)
			return false;
		*weight = 2 * strlen(p);
	}
	t = value_hash_get(scope, "type", 4);
	if (t != NULL && t->type == VALUE_STRING) {
		if (strcmp(t->u.str.s, type) != 0)
			return false;
		(*weight)++;
	}
	return true;
}

void
site_defaults_apply(struct build *b, const char *rel, const char *type,
    struct source *src)
{
	const struct value	*sets, *set, *values;
	struct value		*merged;
	size_t			 i, k, n, w, *weights, *order, tmp;

	sets = snapshot_config_get(&b->snap->config, "defaults");
	if (sets == NULL || sets->type != VALUE_ARRAY || sets->u.arr.n == 0)
		return;
	n = sets->u.arr.n;
	weights = xcalloc(n, sizeof(*weights));
	order = xcalloc(n, sizeof(*order));
	for (i = k = 0; i < n; i++) {
		set = sets->u.arr.v[i];
		values = value_hash_get(set, "values", 6);
		if (values == NULL || values->type != VALUE_HASH ||
		    !applies(value_hash_get(set, "scope", 5), rel, type, &w))
			continue;
		weights[k] = w;
		order[k++] = i;
	}
	/* The most precise scope wins: merged last (insertion, stable). */
	for (i = 1; i < k; i++)
		for (n = i; n > 0 && weights[n - 1] > weights[n]; n--) {
			tmp = weights[n]; weights[n] = weights[n - 1];
			weights[n - 1] = tmp;
			tmp = order[n]; order[n] = order[n - 1];
			order[n - 1] = tmp;
		}
	merged = value_hash();
	for (i = k; i-- > 0;) {
		values = value_hash_get(sets->u.arr.v[order[i]], "values", 6);
		for (n = 0; n < values->u.hash.n; n++)
			if (value_hash_get(merged,
			    values->u.hash.v[n].key->u.str.s,
			    values->u.hash.v[n].key->u.str.len) == NULL)
				value_hash_set(merged,
				    values->u.hash.v[n].key->u.str.s,
				    values->u.hash.v[n].key->u.str.len,
				    value_ref(values->u.hash.v[n].val));
	}
	frontmatter_merge(&src->fm, merged, src->file, b->diags);
	value_unref(merged);
	free(weights);
	free(order);
}
