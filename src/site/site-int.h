/*
 * Inside the site layer: what its files share (site.c: the build and
 * the per-post rendering; site-scan.c: walking the capsule root;
 * site-map.c: the Liquid and link callbacks; site-export.c and
 * site-list.c: --export and --list; pages.c,
 * gophersite.c: the generated documents and the Gopher routes;
 * frontmatter.c: YAML front matter and _config.yml).
 */
#ifndef CAPSULED_SITE_INT_H
#define CAPSULED_SITE_INT_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "convert/convert.h"
#include "core/core.h"
#include "model/model.h"
#include "proto/proto.h"
#include "site.h"
#include "frontmatter.h"
#include "gophersite.h"
#include "pages.h"

/* Markdown sources above this size are reported and skipped. */
#define SITE_MAX_SOURCE		(8u << 20)
/* Static files above this size are reported and not served. */
#define SITE_MAX_STATIC		(128u << 20)
/* Folders deeper than this below the root are not scanned. */
#define SITE_MAX_DEPTH		32

/* A Markdown source (post or page) between its scan and its rendering. */
struct source {
	char			*file;		/* root/rel, for diagnostics */
	size_t			 len;		/* file size, then text's */
	size_t			 raw_head;	/* bytes the scan read */
	unsigned		 rest_line;	/* first line it did not */
	struct frontmatter	 fm;
	size_t			 body_off;
	unsigned		 body_line;
	struct value_time	 time;		/* a post's date */
	const char		*web;		/* its web URL (the post's, page's) */
	bool			 draft;		/* from a _drafts folder */
	/* The last build's bytes, read instead of a file that fails. */
	const char		*kept;
	size_t			 kept_len;
	char			*redirect;	/* redirect_to's URL, or NULL */
	size_t			 body_skip;	/* strip_title: bytes after body_off */
};

/* A collection of _config.yml (posts aside). */
struct collection {
	char	*label;
	char	*dir;		/* "_label", below collections_dir */
	char	*permalink;	/* the template of its documents */
	bool	 output;	/* output: true: its documents are served */
	const struct value *meta; /* its hash in _config.yml, or NULL */
};

/* Jekyll's exclude: and include: patterns, each "/" + the pattern. */
struct entry_rules {
	char	**exclude;
	size_t	  nexclude;
	char	**include;
	size_t	  ninclude;
};

/* The plugins of site-plugins.c that change what the capsule serves. */
enum {
	PLUGIN_REDIRECT_FROM		= 1 << 0,
	PLUGIN_RELATIVE_LINKS		= 1 << 1,
	PLUGIN_TITLES_FROM_HEADINGS	= 1 << 2,
	PLUGIN_OPTIONAL_FRONT_MATTER	= 1 << 3,
	PLUGIN_JEMOJI			= 1 << 4,
};

/* A redirect_from: path of a document (jekyll-redirect-from). */
struct redirect {
	char		*file;		/* the document's source */
	char		*key;		/* the web path's lookup key */
	char		*path;		/* its capsule path */
	char		*target;	/* the document's capsule URL */
	char		*label;		/* the document's title, or NULL */
};

struct dir_id {
	dev_t	dev;
	ino_t	ino;
};

struct build {
	const struct site_options *opts;
	struct snapshot		*snap;
	struct diags		*diags;
	char			*realroot;	/* realpath of the root */
	/* Parallel to snap->posts and snap->pages. */
	struct source		*post_src;
	struct source		*page_src;
	size_t			 posts_cap, pages_cap, statics_cap;
	char			**page_keys;	/* 2 per page: web paths */
	struct dir_id		*dirs;		/* folders scanned (loops) */
	size_t			 ndirs, dirs_cap;
	const char		*file;		/* being converted (warnings) */
	const char		*web;		/* its web URL (relative links) */
	struct site_liquid	*liquid;	/* site-liquid.c */
	struct buf		 raw, text;	/* a source, read and sanitized */
	struct entry_rules	 entries;	/* while scanning */
	struct collection	*colls;		/* until Liquid ends */
	size_t			 ncolls;
	/*
	 * The documents of collections with output: false, which Jekyll
	 * reads and gives Liquid (site.LABEL) but never writes: in no
	 * route, list or link, freed with the build.
	 */
	struct page		*unwritten;
	struct source		*unwritten_src;
	size_t			 nunwritten, unwritten_cap;
	char			**unwritten_files;	/* their files, "/" rel */
	size_t			 nunwritten_files, unwritten_files_cap;
	const struct collection	*coll;		/* the one being scanned */
	bool			 future;	/* future: true */
	bool			 unpublished;	/* unpublished: true */
	struct value_time	 time;		/* Jekyll's site.time */
	struct value		*data;		/* site.data: _data */
	struct kramdown_opts	 kramdown;	/* from site.kramdown */
	struct site_cache	*last;		/* opts->last's results */
	struct site_cache	*cache;		/* this build's, for the next */
	size_t			 reused;
	unsigned		 plugins;	/* PLUGIN_* */
	struct redirect		*redirects;
	size_t			 nredirects;
};

/*
 * site-cache.c: the Markdown stages' results of the last build.  The
 * key of a post's: SHA-256 of what those stages read (the Liquid
 * output t, file, first line, kramdown options, excerpt).
 */
#define SITE_CACHE_KEY		32
struct site_cache;
struct cache_entry;
/* A conversion's links, recorded (map_url with a cache_job as ctx). */
struct cache_job {
	struct build	*b;
	struct buf	 calls, answers;
};
void		 site_cache_key(const struct convert_env *,
		    const struct convert_text *, const struct source *,
		    unsigned char key[SITE_CACHE_KEY]);
struct cache_entry *site_cache_find(struct site_cache *,
		    const unsigned char *key);
char		*site_cache_map_url(void *cache_job, const char *target,
		    unsigned line);
/* Do the entry's links map as they did, with b's pages? */
bool		 site_cache_valid(const struct cache_entry *,
		    const struct build *b);
/* The entry's body appended to doc, its summary, its diagnostics. */
void		 site_cache_use(const struct cache_entry *, struct doc *,
		    char **excerpt, struct diags *);
/* Keep a post's results (diags from `from` on; cj's links taken). */
void		 site_cache_put(struct site_cache **, const unsigned char *key,
		    const struct doc *body, const char *excerpt,
		    const struct diags *, size_t from, struct cache_job *cj);
/* A copy of the last build's entry in this build's cache. */
void		 site_cache_keep(struct site_cache **,
		    const struct cache_entry *);
/*
 * The bytes of each source a build rendered, by file: what the next
 * build serves of a source that fails to load (its last good version).
 */
void		 site_cache_keep_source(struct site_cache **, const char *file,
		    const char *data, size_t len);
const char	*site_cache_source(const struct site_cache *, const char *file,
		    size_t *lenp);
void		 site_cache_seal(struct site_cache *);
void		 site_cache_free(void *);

/* site-order.c: posts newest first, with their paths, indexed. */
void		 site_order_posts(struct build *);
/* site-taxonomy.c: the categories (or tags) of the posts, sorted. */
struct taxon	*site_taxonomy(const struct snapshot *, bool tags, size_t *np,
		    struct diags *);
/*
 * site-render.c: the posts (on opts->build_threads threads, published
 * in order), page i into the routes; the static files.
 */
void		 site_render_posts(struct build *);
void		 site_render_page(struct build *, size_t i);
void		 site_render_statics(struct build *);

/*
 * site-entry.c: the rules from _config.yml's hash; why Jekyll never
 * reads the entry rel (relative to the root; dir: a folder), or NULL.
 */
void		 site_entry_rules(struct entry_rules *, const struct value *);
void		 site_entry_rules_free(struct entry_rules *);
const char	*site_entry_skip(const struct entry_rules *, const char *rel,
		    bool dir);

/*
 * site-collection.c: the collections of _config.yml; the one whose
 * folder is rel, or NULL; Jekyll's defaults for a source of a type
 * ("posts", "pages", a label) merged into its front matter.
 */
void		 site_collections(struct build *);
const struct collection *site_collection(const struct build *,
		    const char *rel);
void		 site_collections_free(struct build *);
void		 site_defaults_apply(struct build *, const char *rel,
		    const char *type, struct source *);

/*
 * site-plugins.c: the plugins the site lists (b->plugins), unknown
 * ones reported; jekyll-redirect-from's redirects, collected once the
 * documents have their paths, routed between the posts and the pages.
 */
void		 site_plugins_read(struct build *);
/* The line of _config.yml where word first is, or 0. */
unsigned	 site_config_line(const struct build *, const char *word);
void		 site_redirects_collect(struct build *);
void		 site_redirects_publish(struct build *);
/* A document's own redirect_to (src->redirect) at its path. */
void		 site_redirect_publish(struct build *, const struct source *,
		    const char *path);
/* What a redirect says to a reader (Gopher): moved, and the link. */
void		 site_redirect_doc(const char *target, const char *label,
		    struct doc *);
/*
 * jekyll-titles-from-headings on a page (document: a collection's)
 * just loaded, its head in b->text: true when its front matter's
 * title (and page.title) is now the heading's.
 */
bool		 site_title_from_heading(struct build *, struct source *,
		    bool document);
/* jekyll-optional-front-matter: is Markdown file name without one a page? */
bool		 site_optional_page(const struct build *, const char *name);
/* And is its file copied as well (no remove_originals)? */
bool		 site_optional_keeps_source(const struct build *);
/* The target of the redirect whose web key is key, or NULL. */
const char	*site_redirect_find(const struct build *, const char *key);
void		 site_redirects_free(struct build *);

/* site-data.c: _data (data_dir) as Jekyll reads it, a hash. */
struct value	*site_data_read(struct build *);

/* site-scan.c: fill posts, pages and statics (sorted) from the root. */
void		 site_scan(struct build *);
/* The certificate, its key or their folder (by any name or link)? */
bool		 site_scan_secret(const struct build *, const struct stat *);

/*
 * site-source.c.  Read a Markdown source's front matter (the text
 * itself is not kept).  Returns -1 (reported) when the file cannot be
 * used at all.  On a reload, a source that fails is read from the
 * bytes the last build rendered of it: its last good version.
 */
int		 site_source_load(struct build *, const char *rel,
		    struct source *, bool *has_fm);
/*
 * The whole sanitized text, to render it: valid until the next source
 * is read.  NULL (reported) when it cannot be read or it changed.
 */
const char	*site_source_read(struct build *, struct source *,
		    size_t *lenp);
void		 site_source_free(struct source *);
/* A language tag fit for a MIME parameter (letters, digits, '-'). */
bool		 site_source_lang_ok(const char *);
void		 site_source_warn_lang(struct diags *, const char *file,
		    const char *lang);

/* site-url.c: what Jekyll's URL placeholders are filled from. */
struct url_fields {
	const char	 *collection;	/* "posts", a label */
	const char	 *path;		/* cleaned_relative_path */
	const char	 *basename;	/* the file name without extension */
	const char	 *slug;		/* front matter's (or the name's), or NULL */
	char *const	 *categories;
	size_t		  ncategories;
	struct value_time time;
};
/* A permalink style's pattern (date, pretty, ...), or style itself. */
const char	*site_url_style(const char *style);
/* A collection's template under the site's style (add_permalink_suffix). */
char		*site_url_collection_template(const char *style);
/*
 * The URL of a template filled from f, sanitized as Jekyll does; NULL
 * (an error about file) for a placeholder Jekyll does not have.
 */
char		*site_url_generate(const char *tmpl, const struct url_fields *,
		    const char *file, struct diags *);
/* A web URL's capsule path: /a/b/ and /a/b.html -> /a/b.gmi, / -> /index.gmi. */
char		*site_url_to_path(const char *url);

/* site-path.c: a name without control characters (paths, URLs, files). */
bool		 site_path_plain(const char *);
/* A relative path with no empty, "." or ".." piece. */
bool		 site_path_clean(const char *);
/* Join two path pieces with a '/'. */
char		*site_path_join(const char *, const char *);

/*
 * site-liquid.c: the site's Liquid engine and objects, for one build:
 * begun once the posts are ordered and the taxonomies built, ended
 * once every post and page is rendered.
 */
void		 site_liquid_begin(struct build *);
void		 site_liquid_end(struct build *);
struct liquid_engine *site_liquid_engine(struct build *);
/*
 * The variables post (or page) i renders with (site, page, jekyll), its
 * body (page.content while it renders) being body[0..len).
 */
struct value	*site_liquid_vars(struct build *, bool post, size_t i,
		    const char *body, size_t len);

/* site-map.c: the callbacks of the converter. */
const char	*site_map_post_path(void *, const char *name);
const char	*site_map_link_path(void *, const char *path);
char		*site_map_url(void *, const char *target, unsigned line);
/* A web path without .html, /index and trailing slashes: a lookup key. */
char		*site_map_web_key(const char *path);
/* The web paths of the pages, for site_map_url (after the scan). */
void		 site_map_page_keys(struct build *);

#endif
