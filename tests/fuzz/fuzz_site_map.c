/*
 * Link targets through the URL mapping of the snapshot builder
 * (site_map_url, post_url and link lookups) against a small hand-made site.
 * A mapped target is NULL only for a lone fragment; a capsule path has
 * no byte a URL cannot hold, and no "." or ".." piece.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/site-int.h"
#include "core/core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct snapshot	snap;
static struct build	b;
static struct diags	diags;

static void
post(struct post *p, const char *name, const char *date, const char *slug)
{
	p->name = xstrdup(name);
	p->date = xstrdup(date);
	p->slug = xstrdup(slug);
	p->path = xasprintf("/posts/%s.gmi", slug);
	p->url = url_encode_str(p->path, URL_PATH);
}

static void
setup(void)
{
	static struct page		pages[1];
	static struct taxon		cats[1];
	static struct static_file	statics[2];

	snap.config.url = "https://example.org";
	snap.config.baseurl = "/blog";
	snap.config.title = "Site";
	snap.nposts = 3;
	snap.posts = xcalloc(3, sizeof(*snap.posts));
	post(&snap.posts[0], "2023-11-04-bpffs", "2023-11-04", "bpffs");
	post(&snap.posts[1], "2017-02-21-os", "2017-02-11", "os");
	post(&snap.posts[2], "2016-07-07-welcome", "2016-07-07", "wel come");
	snapshot_index(&snap);
	pages[0].source = "about.md";
	pages[0].permalink = "/about/";
	pages[0].path = "/about.gmi";
	pages[0].url = "/about.gmi";
	snap.pages = pages;
	snap.npages = 1;
	cats[0].name = "BPF";
	cats[0].path = "/categories/BPF.gmi";
	cats[0].url = "/categories/BPF.gmi";
	snap.categories = cats;
	snap.ncategories = 1;
	statics[0].path = "/img/a b.png";
	statics[0].url = "/img/a%20b.png";
	statics[1].path = "/img/x.svg";
	statics[1].url = "/img/x.svg";
	snap.statics = statics;
	snap.nstatics = 2;
	b.snap = &snap;
	b.diags = &diags;
	b.file = "fuzz.md";
	site_map_page_keys(&b);
}

static void
check_path(const char *url)
{
	static const char	ok[] = "-._~!$&'()*+,;=:@/%";
	const char		*p;

	if (url[0] != '/' || strstr(url, "/../") != NULL ||
	    strstr(url, "/./") != NULL)
		abort();
	for (p = url; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(ok, *p) != NULL))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*q;
	char		*target, *url;

	if (b.snap == NULL)
		setup();
	target = xstrndup((const char *)data, len);
	url = site_map_url(&b, target, 1);
	if (url == NULL && target[0] != '#')
		abort();
	/* Capsule paths that came from the site itself, not the target. */
	if (url != NULL && url[0] == '/' && target[0] == '/' &&
	    target[1] != '/' && strncmp(url, "https:", 6) != 0 &&
	    strcmp(url, target) != 0)
		check_path(url);
	free(url);
	if ((q = site_map_post_path(&b, target)) != NULL)
		check_path(q);
	if ((q = site_map_link_path(&b, target)) != NULL)
		check_path(q);
	free(target);
	diag_free(&diags);
	return 0;
}
