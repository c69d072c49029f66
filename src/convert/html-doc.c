/*
 * HTML read into text units (CONVERSION.md 5.10): the HTML blocks the
 * kramdown pass took out, fed here in document order where their
 * placeholders are, and the inline HTML of paragraphs.
 *
 * One stack of open elements lasts the whole document, so that an
 * element whose content is Markdown (markdown="1") holds what md4c
 * makes of that content: a <blockquote> quotes it, an <li> is an item,
 * an <h2> a heading.  Block elements end the text unit; paragraphs,
 * headings, list items, definition terms, quotes, figures with their
 * captions, preformatted text, tables, frames and media become the
 * lines of the document model; scripts, styles, drawings, icons and
 * hidden elements show nothing.  Elements are nested at most
 * RENDER_HTML_MAX deep; deeper ones are counted and read as their text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

enum role {
	R_INLINE,	/* its text flows on (unknown elements too) */
	R_BLOCK,	/* ends the text unit */
	R_PARA,
	R_HEADING,
	R_QUOTE,
	R_LIST,
	R_OLIST,
	R_ITEM,
	R_DL,
	R_DT,
	R_DD,
	R_FIGURE,
	R_FIGCAPTION,
	R_PRE,
	R_TABLE,
	R_CAPTION,
	R_THEAD,
	R_TSECTION,
	R_TR,
	R_CELL,
	R_MEDIA,	/* iframe, video, audio, object: a link line */
	R_SKIP,		/* its content is not shown */
	R_A,
	R_SUB,
	R_SUP,
	R_Q,
	R_CODE,
	R_CELLBLOCK,	/* a block in a table cell: a space */
};

struct role_name {
	const char	*name;
	enum role	 role;
};

static const struct role_name roles[] = {
	{ "a", R_A }, { "address", R_BLOCK }, { "article", R_BLOCK },
	{ "aside", R_BLOCK }, { "audio", R_MEDIA }, { "blockquote", R_QUOTE },
	{ "body", R_BLOCK }, { "canvas", R_SKIP },
	{ "caption", R_CAPTION }, { "center", R_BLOCK }, { "code", R_CODE },
	{ "datalist", R_SKIP }, { "dd", R_DD }, { "details", R_BLOCK },
	{ "dialog", R_SKIP }, { "dir", R_LIST }, { "div", R_BLOCK },
	{ "dl", R_DL }, { "dt", R_DT }, { "fieldset", R_BLOCK },
	{ "figcaption", R_FIGCAPTION }, { "figure", R_FIGURE },
	{ "footer", R_BLOCK }, { "form", R_BLOCK }, { "h1", R_HEADING },
	{ "h2", R_HEADING }, { "h3", R_HEADING }, { "h4", R_HEADING },
	{ "h5", R_HEADING }, { "h6", R_HEADING }, { "head", R_SKIP },
	{ "header", R_BLOCK }, { "hgroup", R_BLOCK }, { "html", R_BLOCK },
	{ "iframe", R_MEDIA }, { "legend", R_BLOCK }, { "li", R_ITEM },
	{ "main", R_BLOCK }, { "map", R_BLOCK }, { "math", R_SKIP },
	{ "menu", R_LIST }, { "nav", R_BLOCK }, { "noscript", R_BLOCK },
	{ "object", R_MEDIA }, { "ol", R_OLIST }, { "p", R_PARA },
	{ "picture", R_INLINE }, { "pre", R_PRE }, { "q", R_Q },
	{ "section", R_BLOCK }, { "sub", R_SUB },
	{ "summary", R_BLOCK }, { "sup", R_SUP }, { "svg", R_SKIP },
	{ "table", R_TABLE }, { "tbody", R_TSECTION }, { "td", R_CELL },
	{ "template", R_SKIP }, { "tfoot", R_TSECTION },
	{ "th", R_CELL }, { "thead", R_THEAD }, { "title", R_SKIP },
	{ "tr", R_TR }, { "ul", R_LIST }, { "video", R_MEDIA },
};

/* Sites whose pages are profiles: an image in a link there is its icon. */
static const char *const profile_hosts[] = {
	"behance.net", "bitbucket.org", "bsky.app", "codeberg.org",
	"dev.to", "discord.com", "discord.gg", "dribbble.com",
	"facebook.com", "flickr.com", "github.com", "gitlab.com",
	"instagram.com", "keybase.io", "linkedin.com", "mastodon.social",
	"matrix.to", "medium.com", "pinterest.com", "reddit.com",
	"sr.ht", "stackoverflow.com", "t.me", "telegram.me", "tiktok.com",
	"twitch.tv", "twitter.com", "x.com", "youtube.com",
};

static bool
tag_is(const struct html_token *t, const char *name)
{
	return strcmp(t->name, name) == 0;
}

static bool
has_word(const char *s, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p;

	for (p = s; p != NULL && (p = strstr(p, word)) != NULL; p += n)
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

/* An icon font's element: <i class="fa fa-x">, <span class="icon">. */
static bool
icon_class(const char *cls)
{
	static const char *const icons[] = { "fa", "fas", "far", "fab",
	    "fal", "fad", "icon", "glyphicon", "bi", "octicon",
	    "material-icons", "material-symbols-outlined", "iconify" };
	size_t	i;

	if (cls == NULL)
		return false;
	for (i = 0; i < nitems(icons); i++)
		if (has_word(cls, icons[i]))
			return true;
	return strncmp(cls, "fa-", 3) == 0 || strstr(cls, " fa-") != NULL ||
	    strncmp(cls, "icon-", 5) == 0 || strstr(cls, " icon-") != NULL;
}

static enum role
role_of(const struct html_token *t)
{
	size_t	i;

	if (html_attr(t, "hidden") != NULL)
		return R_SKIP;
	if ((tag_is(t, "i") || tag_is(t, "span")) &&
	    icon_class(html_attr(t, "class")))
		return R_SKIP;
	for (i = 0; i < nitems(roles); i++)
		if (strcmp(t->name, roles[i].name) == 0)
			return roles[i].role;
	return R_INLINE;
}

static bool
blockish(enum role role)
{
	return role != R_INLINE && role != R_SKIP && role != R_A &&
	    role != R_SUB && role != R_SUP && role != R_Q && role != R_CODE;
}

static bool
in_cell(const struct render *r)
{
	return r->hd.table > 0 && r->tab.in_cell;
}

/*
 * A block starts or ends: the text unit ends.  In a table, the cell
 * goes on after a space (only <br> breaks a cell's line).
 */
static void
block_break(struct render *r)
{
	if (r->hd.table > 0) {
		if (in_cell(r))
			r->u.space = true;
		return;
	}
	render_unit_end(r);
}

/* The language of code: "language-x" or "lang-x" in a class. */
static void
code_lang(const struct html_token *t, char **alt)
{
	const char	*c = html_attr(t, "class"), *p;
	size_t		 n;

	if (*alt != NULL)
		return;
	if ((p = html_attr(t, "data-lang")) != NULL && *p != '\0') {
		*alt = xstrdup(p);
		return;
	}
	for (p = c; p != NULL && *p != '\0'; p += n) {
		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n > 9 && strncmp(p, "language-", 9) == 0) {
			*alt = xstrndup(p + 9, n - 9);
			return;
		}
		if (n > 5 && strncmp(p, "lang-", 5) == 0) {
			*alt = xstrndup(p + 5, n - 5);
			return;
		}
	}
}

/* Images. */

static bool
profile_link(const char *href)
{
	const char	*h, *end;
	size_t		 i, n, hl;

	if (href == NULL || (h = strstr(href, "://")) == NULL)
		return false;
	h += 3;
	end = h + strcspn(h, "/:?#");
	hl = end - h;
	for (i = 0; i < nitems(profile_hosts); i++) {
		n = strlen(profile_hosts[i]);
		if (hl >= n && strncasecmp(end - n, profile_hosts[i], n) == 0 &&
		    (hl == n || end[-(long)n - 1] == '.'))
			return true;
	}
	return false;
}

/* The href of the link an image is in, NULL when it is in none. */
const char *
html_doc_enclosing_link(const struct unit *u)
{
	size_t	i;

	for (i = u->nspans; i > 0; i--)
		if (u->spans[i - 1].kind == SPAN_LINK ||
		    u->spans[i - 1].kind == SPAN_HTML_A)
			return u->spans[i - 1].href;
	return NULL;
}

/*
 * An image in a link to another page that only decorates it: its alt
 * text empty, named an icon, or the link to a profile.  Its alt text
 * is then the link's text, and the link's line stands for it.
 */
bool
html_doc_decorative(const char *src, const char *alt, const char *href)
{
	if (href == NULL || strcmp(href, src) == 0)
		return false;
	return (alt != NULL && *alt == '\0') || strstr(src, "icon") != NULL ||
	    profile_link(href);
}

/* The same for an <img>, which may also say so by its attributes. */
static bool
decorative(const struct html_token *t, const char *src, const char *href)
{
	const char	*v;

	if (href == NULL || strcmp(href, src) == 0)
		return false;
	if (((v = html_attr(t, "role")) != NULL && (strcmp(v, "presentation") ==
	    0 || strcmp(v, "none") == 0)) || ((v = html_attr(t, "aria-hidden"))
	    != NULL && strcmp(v, "true") == 0))
		return true;
	if (((v = html_attr(t, "width")) != NULL && atoi(v) > 0 &&
	    atoi(v) <= 48) || ((v = html_attr(t, "height")) != NULL &&
	    atoi(v) > 0 && atoi(v) <= 48))
		return true;
	return icon_class(html_attr(t, "class")) ||
	    html_doc_decorative(src, html_attr(t, "alt"), href);
}

static void
html_img(struct render *r, const struct html_token *t)
{
	const char	*src = html_attr(t, "src"), *alt = html_attr(t, "alt");
	char		*label;
	size_t		 start;

	if (src == NULL)
		return;
	render_active_unit(r);
	if (alt == NULL || (label = render_collapse_dup(alt, strlen(alt))) ==
	    NULL)
		label = render_image_label(src);
	if (decorative(t, src, html_doc_enclosing_link(&r->u))) {
		if (alt != NULL && *alt != '\0') {
			start = r->u.text.len;
			render_unit_text(r, label, strlen(label), 0);
			render_tell_decor(&r->u, start);
		}
	} else {
		start = r->u.text.len;
		if (alt != NULL && *alt != '\0')
			render_unit_text(r, label, strlen(label), 0);
		render_image(r, src, label, start);
	}
	free(label);
}

/* Figures. */

static void
figure_img(struct render *r, const struct html_token *t)
{
	struct figure	*fig = &r->hd.fig;
	const char	*src = html_attr(t, "src"), *alt = html_attr(t, "alt");
	struct mlink	*m;
	struct span	*a;
	size_t		 i;

	if (src == NULL)
		return;
	xgrowarray(&fig->imgs, &fig->cap, fig->nimgs + 1, sizeof(*fig->imgs));
	m = &fig->imgs[fig->nimgs++];
	m->url = xstrdup(src);
	m->line = r->html_line;
	m->label = alt ? render_collapse_dup(alt, strlen(alt)) : NULL;
	if ((i = render_span_find(&r->u, SPAN_HTML_A)) > 0 &&
	    (a = &r->u.spans[i - 1])->img_src == NULL)
		a->img_src = xstrdup(src);
	if (m->label != NULL)
		render_tell_link(&r->u, m->label);
}

/* </a> in a figure around its own image adds nothing. */
static bool
figure_own_link(struct render *r)
{
	struct span	*a;
	size_t		 i;

	if ((i = render_span_find(&r->u, SPAN_HTML_A)) == 0)
		return false;
	a = &r->u.spans[i - 1];
	if (a->img_src == NULL || strcmp(a->img_src, a->href) != 0)
		return false;
	render_spans_drop(&r->u, i - 1);
	return true;
}

static void
figure_free(struct figure *fig)
{
	render_mlinks_free(fig->imgs, fig->nimgs);
	render_mlinks_free(fig->links, fig->nlinks);
	free(fig->imgs);
	free(fig->links);
	free(fig->caption);
	free(fig->href);
	memset(fig, 0, sizeof(*fig));
}

/* The caption's text and links are kept for the end of the figure. */
static void
figure_caption(struct render *r)
{
	struct figure	*fig = &r->hd.fig;
	struct unit	*u = &r->u;

	if (!u->active)
		return;
	html_doc_flush(r);
	render_spans_drop(u, 0);
	free(fig->caption);
	fig->caption = render_collapse_dup(u->text.data, u->text.len);
	render_mlinks_free(fig->links, fig->nlinks);
	free(fig->links);
	fig->links = u->links;
	fig->nlinks = u->nlinks;
	u->links = NULL;
	u->nlinks = u->linkcap = 0;
	render_unit_clear(u);
	u->active = false;
}

/* Each image a link line (alt, else the caption), then the caption. */
static void
figure_emit(struct render *r)
{
	struct figure	*fig = &r->hd.fig;
	char		*label, *url;
	size_t		 i;
	unsigned	 line;

	if (!fig->open)
		return;
	render_block_done(r);
	for (i = 0; i < fig->nimgs; i++) {
		if (fig->imgs[i].label != NULL)
			label = xstrdup(fig->imgs[i].label);
		else if (fig->caption != NULL)
			label = xstrdup(fig->caption);
		else
			label = render_image_label(fig->imgs[i].url);
		/* Mapped where the figure ends; warnings name the image. */
		line = r->html_line;
		r->html_line = fig->imgs[i].line;
		url = render_map_target(r, fig->imgs[i].url);
		r->html_line = line;
		if (url != NULL) {
			doc_add_link(r->doc, r->brk, url, label);
			r->brk = false;
		}
		free(url);
		free(label);
	}
	if (fig->caption != NULL)
		render_emit_line(r, r->quotes ? LINE_QUOTE : LINE_TEXT,
		    fig->caption, NULL);
	/* A link around the figure to another target: its line, labelled
	 * as the first image's. */
	for (i = 0; fig->href != NULL && i < fig->nimgs; i++)
		if (strcmp(fig->imgs[i].url, fig->href) == 0)
			break;
	if (fig->href != NULL && i == fig->nimgs &&
	    (url = render_map_target(r, fig->href)) != NULL) {
		label = fig->caption ? fig->caption : fig->nimgs > 0 ?
		    fig->imgs[0].label : NULL;
		doc_add_link(r->doc, r->brk, url, label);
		r->brk = false;
		free(url);
	}
	for (i = 0; i < fig->nlinks; i++) {
		doc_add_link(r->doc, r->brk, fig->links[i].url,
		    fig->links[i].label);
		r->brk = false;
	}
	render_unit_end(r);
	figure_free(fig);
	render_block_done(r);
}

/* Preformatted text. */

static void
pre_emit(struct render *r)
{
	struct hdoc	*hd = &r->hd;
	struct buf	*b = &hd->pretext;
	const char	*s = b->data ? b->data : "";
	size_t		 n = b->len, ls;
	char		*body;

	/* A line end right after <pre> is not content (HTML). */
	if (n > 0 && *s == '\n') {
		s++;
		n--;
	}
	for (;;) {	/* trailing blank lines */
		while (n > 0 && s[n - 1] == '\n')
			n--;
		for (ls = n; ls > 0 && s[ls - 1] != '\n'; ls--)
			;
		if (strspn(s + ls, " \t") < n - ls || n == 0)
			break;
		n = ls;
	}
	if (n > 0) {
		body = xstrndup(s, n);
		render_flush_prefix(r);
		render_emit_pre(r, hd->prealt, body);
		free(body);
	}
	buf_truncate(b, 0);
	free(hd->prealt);
	hd->prealt = NULL;
}

static struct helem *
nearest(struct render *r, enum role role, size_t *at)
{
	size_t	i;

	for (i = r->hd.n; i > 0; i--)
		if (r->hd.el[i - 1].role == role) {
			if (at != NULL)
				*at = i - 1;
			return &r->hd.el[i - 1];
		}
	return NULL;
}

/* Frames and media. */

/* "Video: file" for a video or audio without a title; frames none. */
static char *
media_label(const struct html_token *t, const char *kind, const char *src)
{
	const char	*v, *end, *base;
	char		*s, *label;

	if (((v = html_attr(t, "title")) != NULL ||
	    (v = html_attr(t, "aria-label")) != NULL) &&
	    (label = render_collapse_dup(v, strlen(v))) != NULL)
		return label;
	if (strcmp(kind, "video") != 0 && strcmp(kind, "audio") != 0)
		return NULL;
	end = src + strcspn(src, "?#");
	for (base = end; base > src && base[-1] != '/'; base--)
		;
	s = xasprintf("%s: %.*s", kind[0] == 'v' ? "Video" : "Audio",
	    (int)(end - base), base);
	label = render_collapse_dup(s, strlen(s));
	free(s);
	return label;
}

static void
media_link(struct render *r, const struct html_token *t, const char *src)
{
	struct helem	*m = nearest(r, R_MEDIA, NULL);
	char		*label;

	label = media_label(t, m != NULL ? m->name : t->name, src);
	render_active_unit(r);
	render_add_link(r, src, label);
	free(label);
}

/* Inline elements, in HTML blocks and in paragraphs. */

static void
inline_start(struct render *r, const struct html_token *t, enum role role)
{
	struct unit	*u;
	const char	*href;

	if (role != R_A && role != R_SUB && role != R_SUP && role != R_Q &&
	    role != R_CODE)
		return;
	u = render_active_unit(r);
	switch (role) {
	case R_A:
		if ((href = html_attr(t, "href")) != NULL)
			render_span_push(u, SPAN_HTML_A, href);
		break;
	case R_SUB:
		render_span_push(u, SPAN_SUB, NULL);
		break;
	case R_SUP:
		render_span_push(u, SPAN_SUP, NULL);
		break;
	case R_Q:
		render_unit_raw(u, "\xe2\x80\x9c", 3);
		break;
	default:
		render_unit_raw(u, "`", 1);
		break;
	}
}

static void
span_end(struct render *r, enum span_kind kind)
{
	size_t	i;

	if ((i = render_span_find(&r->u, kind)) > 0)
		render_span_close(r, i - 1);
}

static void
inline_end(struct render *r, enum role role)
{
	if (!r->u.active)
		return;
	switch (role) {
	case R_A:
		if (!(r->hd.fig.open && figure_own_link(r)))
			span_end(r, SPAN_HTML_A);
		break;
	case R_SUB:
		span_end(r, SPAN_SUB);
		break;
	case R_SUP:
		span_end(r, SPAN_SUP);
		break;
	case R_Q:
		render_unit_raw(&r->u, "\xe2\x80\x9d", 3);
		break;
	case R_CODE:
		render_unit_raw(&r->u, "`", 1);
		break;
	default:
		break;
	}
}

/* Tables. */

static void
table_start(struct render *r)
{
	struct hdoc	*hd = &r->hd;

	render_unit_end(r);
	render_flush_prefix(r);
	render_table_begin(r, 0);
	r->tab.html = true;
	hd->thead = 0;
	hd->in_thead = false;
	hd->row_heads = true;
	free(hd->caption);
	hd->caption = NULL;
}

/* A row ends: it is a header row in <thead>, or when it and all rows
 * before it have only <th> cells. */
static void
row_end(struct render *r)
{
	struct hdoc	*hd = &r->hd;
	struct row	*row;

	render_cell_end(r);
	if (r->tab.nrows == 0)
		return;
	row = &r->tab.rows[r->tab.nrows - 1];
	if (row->n == 0)
		return;
	if (hd->in_thead || (hd->row_th && hd->row_heads &&
	    hd->thead + 1 == r->tab.nrows))
		hd->thead++;
	else
		hd->row_heads = false;
}

static void
table_end(struct render *r)
{
	struct hdoc	*hd = &r->hd;
	char		*cap = hd->caption;

	row_end(r);
	r->tab.heads = (unsigned)hd->thead;
	hd->caption = NULL;
	if (cap != NULL) {
		/* The caption comes first, on a line of its own. */
		render_emit_line(r, r->quotes ? LINE_QUOTE : LINE_TEXT, cap,
		    NULL);
		free(cap);
	}
	render_unit_end(r);
}

static MD_ALIGN
cell_align(const struct html_token *t)
{
	const char	*a = html_attr(t, "align"), *st = html_attr(t, "style");

	if (a == NULL && st != NULL && (a = strstr(st, "text-align")) != NULL)
		a += strcspn(a, ":") + 1 + strspn(a + strcspn(a, ":") + 1,
		    " ");
	if (a == NULL)
		return MD_ALIGN_DEFAULT;
	if (strncasecmp(a, "right", 5) == 0)
		return MD_ALIGN_RIGHT;
	if (strncasecmp(a, "center", 6) == 0)
		return MD_ALIGN_CENTER;
	if (strncasecmp(a, "left", 4) == 0)
		return MD_ALIGN_LEFT;
	return MD_ALIGN_DEFAULT;
}

/* The stack of open elements. */

/* The list an item is in: ul, ol, dl, menu; NULL when none. */
static struct helem *
item_list(struct render *r)
{
	size_t	i;

	for (i = r->hd.n; i > 0; i--)
		if (r->hd.el[i - 1].role == R_LIST ||
		    r->hd.el[i - 1].role == R_OLIST ||
		    r->hd.el[i - 1].role == R_DL)
			return &r->hd.el[i - 1];
	return NULL;
}

static void	elem_end(struct render *, size_t);

/* Close the elements from index i up, innermost first. */
static void
close_from(struct render *r, size_t i)
{
	while (r->hd.n > i)
		elem_end(r, --r->hd.n);
}

/*
 * What a start tag closes on its way (HTML's optional end tags): a <p>
 * before a block, an item before the next one in its list, a row or a
 * cell before the next.
 */
static void
implied_ends(struct render *r, enum role role)
{
	struct hdoc	*hd = &r->hd;
	size_t		 i, stop;

	if (hd->n == 0)
		return;
	if (blockish(role) && role != R_CELL && role != R_TR &&
	    hd->el[hd->n - 1].role == R_PARA) {
		close_from(r, hd->n - 1);
		return;
	}
	for (i = hd->n, stop = 0; i > 0; i--) {
		enum role	er = hd->el[i - 1].role;

		if ((role == R_ITEM && (er == R_LIST || er == R_OLIST)) ||
		    ((role == R_DT || role == R_DD) && er == R_DL) ||
		    ((role == R_TR || role == R_TSECTION || role == R_THEAD) &&
		    er == R_TABLE) || (role == R_CELL && er == R_TR))
			break;
		if ((role == R_ITEM && er == R_ITEM) ||
		    ((role == R_DT || role == R_DD) &&
		    (er == R_DT || er == R_DD)) ||
		    ((role == R_TR || role == R_TSECTION || role == R_THEAD) &&
		    (er == R_TR || er == R_TSECTION || er == R_THEAD)) ||
		    (role == R_CELL && er == R_CELL)) {
			stop = i;
			break;
		}
	}
	if (stop > 0)
		close_from(r, stop - 1);
}

/* What an element does when it opens. */
static void
elem_start(struct render *r, const struct html_token *t, struct helem *e)
{
	struct hdoc	*hd = &r->hd;
	struct helem	*list;
	const char	*v;
	char		*alt = NULL, *href = NULL;
	size_t		 i;
	int		 n;

	if (hd->table > 0 && e->role != R_TR && e->role != R_CELL &&
	    e->role != R_THEAD && e->role != R_TSECTION &&
	    e->role != R_CAPTION && e->role != R_TABLE && blockish(e->role)) {
		block_break(r);
		e->role = R_CELLBLOCK;
		return;
	}
	/* A link around a figure ("<a><figure>"): its line after the
	 * figure's. */
	if (e->role == R_FIGURE && !hd->fig.open && r->u.active &&
	    (i = render_span_find(&r->u, SPAN_HTML_A)) > 0)
		href = xstrdup(r->u.spans[i - 1].href);
	if (blockish(e->role) && e->role != R_CELL && e->role != R_TR &&
	    e->role != R_THEAD && e->role != R_TSECTION &&
	    e->role != R_CAPTION && e->role != R_FIGCAPTION)
		block_break(r);
	switch (e->role) {
	case R_QUOTE:
		r->quotes++;
		e->counted = true;
		break;
	case R_OLIST:
		e->next = (v = html_attr(t, "start")) != NULL &&
		    (n = atoi(v)) >= 0 ? (unsigned)n : 1;
		/* FALLTHROUGH */
	case R_LIST:
	case R_DL:
		r->lists++;
		e->counted = true;
		break;
	case R_ITEM:
	case R_DD:
		e->depth = r->lists > 0 ? (int)r->lists - 1 : 0;
		if (e->role == R_ITEM && (list = item_list(r)) != NULL &&
		    list->role == R_OLIST) {
			if ((v = html_attr(t, "value")) != NULL &&
			    (n = atoi(v)) >= 0)
				list->next = (unsigned)n;
			snprintf(e->marker, sizeof(e->marker), "%u.",
			    list->next++);
		}
		break;
	case R_FIGURE:
		if (!hd->fig.open) {
			figure_free(&hd->fig);
			hd->fig.open = true;
			hd->fig.href = href;
			href = NULL;
		}
		break;
	case R_FIGCAPTION:
		render_unit_end(r);
		break;
	case R_PRE:
		hd->pre++;
		buf_truncate(&hd->pretext, 0);
		free(hd->prealt);
		hd->prealt = NULL;
		code_lang(t, &hd->prealt);
		for (i = hd->n; hd->prealt == NULL && i > 0; i--)
			if (*hd->el[i - 1].lang != '\0')
				hd->prealt = xstrdup(hd->el[i - 1].lang);
		break;
	case R_BLOCK:
		/* Rouge's <div class="language-x highlighter-rouge">. */
		code_lang(t, &alt);
		if (alt != NULL)
			snprintf(e->lang, sizeof(e->lang), "%s", alt);
		free(alt);
		break;
	case R_TABLE:
		if (hd->table++ == 0)
			table_start(r);
		break;
	case R_CAPTION:
		hd->caption_start = r->u.text.len;
		break;
	case R_THEAD:
		hd->in_thead = true;
		break;
	case R_TR:
		row_end(r);
		render_row_begin(r);
		hd->row_th = true;
		break;
	case R_CELL:
		render_cell_end(r);
		if (r->tab.nrows == 0)
			render_row_begin(r);
		if (!tag_is(t, "th"))
			hd->row_th = false;
		render_cell_begin(r, cell_align(t));
		break;
	case R_MEDIA:
		render_active_unit(r);
		v = html_attr(t, tag_is(t, "object") ? "data" : "src");
		if (v != NULL)
			media_link(r, t, v);
		break;
	case R_SKIP:
		hd->skip++;
		break;
	default:
		inline_start(r, t, e->role);
		break;
	}
	free(href);
}

/* What an element does when it ends (it is off the stack). */
static void
elem_end(struct render *r, size_t i)
{
	struct hdoc	*hd = &r->hd;
	struct helem	*e = &hd->el[i];
	char		*cap;

	switch (e->role) {
	case R_PARA:
	case R_BLOCK:
	case R_HEADING:
	case R_DT:
	case R_ITEM:
	case R_DD:
	case R_MEDIA:
	case R_CELLBLOCK:
		block_break(r);
		break;
	case R_QUOTE:
		block_break(r);
		if (e->counted && r->quotes > 0)
			r->quotes--;
		render_block_done(r);
		break;
	case R_LIST:
	case R_OLIST:
	case R_DL:
		block_break(r);
		if (e->counted && r->lists > 0)
			r->lists--;
		render_block_done(r);
		break;
	case R_FIGCAPTION:
		if (hd->fig.open)
			figure_caption(r);
		else
			block_break(r);
		break;
	case R_FIGURE:
		if (nearest(r, R_FIGURE, NULL) == NULL)
			figure_emit(r);
		break;
	case R_PRE:
		if (hd->pre > 0 && --hd->pre == 0)
			pre_emit(r);
		break;
	case R_TABLE:
		if (hd->table > 0 && --hd->table == 0)
			table_end(r);
		break;
	case R_CAPTION:
		if (r->u.active && r->u.text.len >= hd->caption_start) {
			cap = render_collapse_dup(r->u.text.data +
			    hd->caption_start, r->u.text.len -
			    hd->caption_start);
			buf_truncate(&r->u.text, hd->caption_start);
			if (cap != NULL) {
				free(hd->caption);
				hd->caption = cap;
			}
		}
		break;
	case R_THEAD:
		row_end(r);
		hd->in_thead = false;
		break;
	case R_TSECTION:
	case R_TR:
		row_end(r);
		break;
	case R_CELL:
		render_cell_end(r);
		break;
	case R_SKIP:
		if (hd->skip > 0)
			hd->skip--;
		break;
	default:
		inline_end(r, e->role);
		break;
	}
}

/* The md4c blocks open around what is read now. */
static size_t
md_depth(const struct render *r)
{
	return r->nframes - (r->hd.feeding && r->nframes > 0 ? 1 : 0);
}

static struct helem *
push(struct render *r, const struct html_token *t, enum role role)
{
	struct hdoc	*hd = &r->hd;
	struct helem	*e;

	if (hd->n == RENDER_HTML_MAX)
		return NULL;
	e = &hd->el[hd->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->name, t->name, sizeof(e->name));
	e->role = (unsigned char)role;
	e->frames = md_depth(r);
	return e;
}

/* jemoji leaves the text of code alone (pre is kept apart). */
unsigned
html_doc_emoji(const struct render *r)
{
	const struct hdoc	*hd = &r->hd;
	size_t			 i;

	if (hd->icode > 0)
		return 0;
	for (i = 0; i < hd->n; i++)
		if (hd->el[i].role == R_CODE || strcmp(hd->el[i].name,
		    "tt") == 0)
			return 0;
	return TEXT_EMOJI;
}

static void
html_text(struct render *r, const char *s, size_t n)
{
	struct hdoc	*hd = &r->hd;
	struct buf	 b = BUF_INIT;
	size_t		 i;

	if (hd->skip > 0)
		return;
	entity_decode_into(&b, s, n);
	if (hd->pre > 0)
		render_append_text(&hd->pretext, b.data, b.len);
	else {
		for (i = 0; i < b.len && render_is_space(b.data[i]); i++)
			;
		if (i < b.len || r->u.active) {
			render_active_unit(r);
			render_unit_text(r, b.data, b.len, html_doc_emoji(r));
		}
	}
	buf_free(&b);
}

/* A void element, or one written <x/>. */
static void
void_elem(struct render *r, const struct html_token *t)
{
	if (tag_is(t, "br")) {
		if (r->u.active)
			render_unit_break(&r->u);
	} else if (tag_is(t, "img")) {
		if (r->hd.fig.open && r->hd.table == 0)
			figure_img(r, t);
		else
			html_img(r, t);
	} else if (tag_is(t, "hr"))
		block_break(r);
	else if ((tag_is(t, "source") && nearest(r, R_MEDIA, NULL) != NULL) ||
	    tag_is(t, "embed")) {
		if (html_attr(t, "src") != NULL)
			media_link(r, t, html_attr(t, "src"));
	}
}

static void
html_token(struct render *r, const struct html_token *t)
{
	struct hdoc	*hd = &r->hd;
	struct helem	*e;
	enum role	 role;
	size_t		 i;

	switch (t->kind) {
	case HTML_TEXT:
		html_text(r, t->text, t->len);
		return;
	case HTML_SKIP:
		return;
	case HTML_START:
		role = role_of(t);
		if (hd->skip > 0 || hd->pre > 0) {
			if (hd->pre > 0 && hd->skip == 0) {
				if (tag_is(t, "br"))
					buf_putc(&hd->pretext, '\n');
				else if (role == R_CODE)
					code_lang(t, &hd->prealt);
			}
			if (html_is_void(t))
				return;
			if (hd->lost > 0 || (e = push(r, t, role == R_SKIP ?
			    R_SKIP : R_INLINE)) == NULL)
				hd->lost++;
			else if (role == R_SKIP)
				hd->skip++;
			return;
		}
		if (html_is_void(t)) {
			void_elem(r, t);
			if (!t->self_closing || role == R_INLINE)
				return;
		}
		if (hd->lost > 0 || hd->n == RENDER_HTML_MAX) {
			/* Too deep: counted, its text read in place. */
			hd->lost += !t->self_closing;
			return;
		}
		implied_ends(r, role);
		if ((e = push(r, t, role)) == NULL)
			return;
		elem_start(r, t, e);
		if (t->self_closing)
			close_from(r, hd->n - 1);
		return;
	case HTML_END:
		if (hd->lost > 0) {
			hd->lost--;
			return;
		}
		for (i = hd->n; i > 0; i--)
			if (strcmp(hd->el[i - 1].name, t->name) == 0)
				break;
		if (i > 0)
			close_from(r, i - 1);
		return;
	}
}

/*
 * Read a piece of HTML into the document; line is where it starts in
 * the file, the line of its warnings and links (0: md4c's position).
 */
void
html_doc_feed(struct render *r, const char *s, size_t n, unsigned line)
{
	struct html_reader	 rd;
	struct html_token	 t;
	const char		*seen = s, *nl;

	html_reader_init(&rd, s, n);
	for (;;) {
		if (line != 0) {
			/* The line of the token to come. */
			while ((nl = memchr(seen, '\n', rd.p - seen)) != NULL) {
				line++;
				seen = nl + 1;
			}
			seen = rd.p;
			r->html_line = line;
		}
		if (!html_next(&rd, &t))
			break;
		html_token(r, &t);
		html_token_free(&t);
	}
	r->html_line = 0;
}

/* The pieces of HTML up to number n are read. */
static void
feed_upto(struct render *r, size_t n)
{
	struct hdoc	*hd = &r->hd;

	hd->feeding = true;
	for (; hd->next_html < n && hd->next_html < r->nhblocks;
	    hd->next_html++)
		html_doc_feed(r, r->hblocks[hd->next_html].text,
		    r->hblocks[hd->next_html].len,
		    r->hblocks[hd->next_html].line);
	hd->feeding = false;
}

/* A placeholder of the kramdown pass: "capsuled-html N". */
void
html_doc_placeholder(struct render *r, const char *info)
{
	const char	*p = info + strlen(KRAMDOWN_HTML_INFO);
	char		*end;
	unsigned long	 n;

	n = strtoul(p, &end, 10);
	if (end == p || n < r->hd.next_html || n >= r->nhblocks)
		return;
	feed_upto(r, n + 1);
}

void
html_doc_finish(struct render *r)
{
	struct hdoc	*hd = &r->hd;

	feed_upto(r, r->nhblocks);
	hd->lost = 0;
	close_from(r, 0);
	hd->skip = hd->iskip = hd->icode = 0;
	if (hd->pre > 0) {
		hd->pre = 0;
		pre_emit(r);
	}
	figure_emit(r);
	render_unit_end(r);
}

/*
 * The kind of text unit the next text starts, from the HTML elements
 * around it that md4c did not open blocks in since: a heading, a term,
 * a list item (once), else a paragraph.
 */
enum unit_kind
html_doc_unit_kind(struct render *r, int *level, size_t *owner)
{
	struct hdoc	*hd = &r->hd;
	struct helem	*e;
	size_t		 i, depth = md_depth(r);

	*level = 0;
	*owner = RENDER_NONE;
	for (i = hd->n; i > 0 && hd->el[i - 1].frames == depth; i--) {
		e = &hd->el[i - 1];
		switch (e->role) {
		case R_HEADING:
			*level = e->name[1] - '0';
			*owner = i - 1;
			return U_HEADING;
		case R_DT:
			*owner = i - 1;
			return U_TERM;
		case R_ITEM:
		case R_DD:
			if (e->used)
				return U_PARA;
			*owner = i - 1;
			return U_ITEM;
		case R_PARA:
		case R_BLOCK:
		case R_INLINE:
		case R_A:
		case R_SUB:
		case R_SUP:
		case R_Q:
		case R_CODE:
		case R_FIGCAPTION:
			continue;
		default:
			return U_PARA;
		}
	}
	return U_PARA;
}

void
html_doc_unit_done(struct render *r, size_t owner)
{
	if (owner < r->hd.n)
		r->hd.el[owner].used = true;
}

/* Inline HTML in a paragraph (md4c's), its pieces joined. */

/* kramdown shows a block element's tag in a paragraph as text. */
static bool
block_element(const char *name)
{
	static const char *const blocks[] = { "address", "article", "aside",
	    "applet", "body", "blockquote", "caption", "col", "colgroup", "dd",
	    "div", "dl", "dt", "fieldset", "figcaption", "footer", "form",
	    "header", "hgroup", "hr", "html", "head", "iframe", "legend",
	    "menu", "li", "main", "map", "nav", "ol", "optgroup", "p", "pre",
	    "section", "summary", "table", "tbody", "td", "th", "thead",
	    "tfoot", "tr", "ul" };
	size_t	i;

	for (i = 0; i < nitems(blocks); i++)
		if (strcmp(name, blocks[i]) == 0)
			return true;
	return false;
}

static int
heading_level(const struct html_token *t)
{
	if (t->name[0] == 'h' && t->name[1] >= '1' && t->name[1] <= '6' &&
	    t->name[2] == '\0')
		return t->name[1] - '0';
	return 0;
}

static void
inline_token(struct render *r, const struct html_token *t, const char *raw,
    size_t rawlen)
{
	struct hdoc	*hd = &r->hd;
	struct unit	*u = render_active_unit(r);
	enum role	 role;

	if (t->kind == HTML_TEXT) {
		if (hd->iskip == 0)
			render_unit_text(r, t->text, t->len,
			    TEXT_TYPO | html_doc_emoji(r));
		return;
	}
	if (t->kind == HTML_SKIP)
		return;
	if ((role = role_of(t)) == R_CODE || tag_is(t, "tt")) {
		/* Open code in the paragraph, for jemoji. */
		if (t->kind == HTML_END && hd->icode > 0)
			hd->icode--;
		else if (t->kind == HTML_START && !t->self_closing &&
		    hd->iskip == 0)
			hd->icode++;
	}
	if (t->kind == HTML_END) {
		if (hd->iskip > 0) {
			if (strcmp(t->name, hd->iskip_name) == 0 &&
			    --hd->iskip == 0)
				hd->iskip_name[0] = '\0';
		} else if (heading_level(t) > 0 && u->kind == U_HEADING)
			render_unit_end(r);
		else if (block_element(t->name))
			render_unit_text(r, raw, rawlen, 0);
		else
			inline_end(r, role);
		return;
	}
	if (hd->iskip > 0) {
		if (strcmp(t->name, hd->iskip_name) == 0 && !html_is_void(t))
			hd->iskip++;
		return;
	}
	if (tag_is(t, "br"))
		render_unit_break(u);
	else if (tag_is(t, "img"))
		html_img(r, t);
	else if (heading_level(t) > 0 && u->kind == U_PARA &&
	    render_unit_blank(u)) {
		/* "<h2>text</h2>" in a quote: a heading. */
		u->kind = U_HEADING;
		u->level = heading_level(t);
	} else if (block_element(t->name))
		render_unit_text(r, raw, rawlen, 0);
	else if (role == R_SKIP && !html_is_void(t)) {
		hd->iskip = 1;
		memcpy(hd->iskip_name, t->name, sizeof(hd->iskip_name));
	} else if (!t->self_closing)
		inline_start(r, t, role);
}

/* The inline HTML pieces md4c gave since the last text. */
void
html_doc_flush(struct render *r)
{
	struct html_reader	 rd;
	struct html_token	 t;
	struct buf		 b;
	const char		*start;

	if (r->html.len == 0)
		return;
	b = r->html;
	memset(&r->html, 0, sizeof(r->html));
	html_reader_init(&rd, b.data, b.len);
	for (start = rd.p; html_next(&rd, &t); start = rd.p) {
		inline_token(r, &t, start, rd.p - start);
		html_token_free(&t);
	}
	buf_free(&b);
}

void
html_doc_free(struct render *r)
{
	struct hdoc	*hd = &r->hd;

	buf_free(&hd->pretext);
	free(hd->prealt);
	free(hd->caption);
	figure_free(&hd->fig);
	memset(hd, 0, sizeof(*hd));
}
