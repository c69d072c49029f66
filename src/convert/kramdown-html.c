/*
 * HTML as kramdown's parser reads it (parser/html.rb): its start tag,
 * end tag and comment expressions, the span elements that do not start
 * an HTML block, and the content model of each element.  The kramdown
 * pass uses them to find where an HTML block ends, which is not where
 * CommonMark (md4c) would end it.
 */
#include <ctype.h>
#include <string.h>

#include "convert-int.h"

/* Bytes of a REXML name (UNAME_STR); any non-ASCII byte counts. */
static bool
name_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static bool
name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/* Ruby's \s. */
static bool
rb_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* \p{Word}: letters, digits, underscore; any non-ASCII byte counts. */
static bool
rb_word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* An NCName, optionally prefix:name: its length, 0 if none. */
static size_t
uname(const char *s, size_t n)
{
	size_t	i = 0;

	if (i >= n || !name_start((unsigned char)s[i]))
		return 0;
	while (++i < n && name_char((unsigned char)s[i]))
		;
	if (i + 1 < n && s[i] == ':' && name_start((unsigned char)s[i + 1]))
		while (++i < n && name_char((unsigned char)s[i]))
			;
	return i;
}

static void
copy_name(char *dst, const char *s, size_t len)
{
	size_t	i;

	if (len >= KRAMDOWN_NAME_MAX) {
		/* Cut at a character's start: names go into text. */
		len = KRAMDOWN_NAME_MAX - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	dst[len] = '\0';
}

/*
 * HTML_TAG_RE: "<" name, attributes each after whitespace (a name,
 * optionally "=" and a word or a quoted value, which may span lines),
 * whitespace, an optional "/", ">".  Returns the tag's length, 0 when
 * s does not start with one.
 */
size_t
kramdown_start_tag(const char *s, size_t n, struct kramdown_tag *t)
{
	size_t		 i, j, k, len;
	const char	*q;

	memset(t, 0, sizeof(*t));
	if (n > KRAMDOWN_TAG_MAX)
		n = KRAMDOWN_TAG_MAX;
	if (n < 2 || s[0] != '<' || (len = uname(s + 1, n - 1)) == 0)
		return 0;
	copy_name(t->name, s + 1, len);
	for (i = 1 + len;;) {
		for (j = i; j < n && rb_space(s[j]); j++)
			;
		if (j >= n)
			return 0;
		if (s[j] == '>')
			return j + 1;
		if (s[j] == '/' && j + 1 < n && s[j + 1] == '>') {
			t->closed = true;
			return j + 2;
		}
		if (j == i || (len = uname(s + j, n - j)) == 0)
			return 0;
		k = j + len;
		i = k;
		while (k < n && rb_space(s[k]))
			k++;
		if (k < n && s[k] == '=') {
			for (k++; k < n && rb_space(s[k]); k++)
				;
			if (k < n && (s[k] == '"' || s[k] == '\'')) {
				if ((q = memchr(s + k + 1, s[k], n - k - 1)) ==
				    NULL)
					return 0;
				if (len == 8 && strncasecmp(s + j, "markdown",
				    8) == 0)
					t->markdown = kramdown_markdown_attr(
					    s + k + 1, q - s - k - 1);
				i = q - s + 1;
			} else if (k < n && rb_word((unsigned char)s[k])) {
				for (i = k; i < n && rb_word((unsigned char)s[i]);
				    i++)
					;
				if (len == 8 && strncasecmp(s + j, "markdown",
				    8) == 0)
					t->markdown = kramdown_markdown_attr(
					    s + k, i - k);
			} else
				return 0;
		}
	}
}

/* HTML_TAG_CLOSE_RE: "</" name, whitespace, ">"; its length or 0. */
size_t
kramdown_end_tag(const char *s, size_t n, char name[KRAMDOWN_NAME_MAX])
{
	size_t	len, i;

	if (n > KRAMDOWN_TAG_MAX)
		n = KRAMDOWN_TAG_MAX;
	if (n < 3 || s[0] != '<' || s[1] != '/' ||
	    (len = uname(s + 2, n - 2)) == 0)
		return 0;
	for (i = 2 + len; i < n && rb_space(s[i]); i++)
		;
	if (i >= n || s[i] != '>')
		return 0;
	copy_name(name, s + 2, len);
	return i + 1;
}

/* "<!--" to the first "-->": its length, 0 if it is not closed. */
size_t
kramdown_comment(const char *s, size_t n)
{
	const char	*p;

	if (n < 4 || memcmp(s, "<!--", 4) != 0)
		return 0;
	for (p = s + 4; (p = memchr(p, '-', s + n - p)) != NULL; p++)
		if (s + n - p >= 3 && p[1] == '-' && p[2] == '>')
			return p + 3 - s;
	return 0;
}

/* The value of a markdown attribute (HTML_MARKDOWN_ATTR_MAP). */
enum kramdown_markdown
kramdown_markdown_attr(const char *v, size_t n)
{
	if (n == 1 && *v == '0')
		return KD_MD_RAW;
	if (n == 1 && *v == '1')
		return KD_MD_DEFAULT;
	if (n == 4 && memcmp(v, "span", 4) == 0)
		return KD_MD_SPAN;
	if (n == 5 && memcmp(v, "block", 5) == 0)
		return KD_MD_BLOCK;
	return KD_MD_NONE;
}

static bool
in_list(const char *name, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* HTML_SPAN_ELEMENTS: a line starting with one of these is text. */
bool
kramdown_span_element(const char *name)
{
	static const char *const span[] = { "a", "abbr", "acronym", "b",
	    "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
	    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q",
	    "rb", "rbc", "rp", "rt", "rtc", "ruby", "samp", "select", "small",
	    "span", "strong", "sub", "sup", "tt", "u", "var" };

	return in_list(name, span, nitems(span));
}

/* HTML_ELEMENTS_WITHOUT_BODY: no end tag is looked for. */
bool
kramdown_void_element(const char *name)
{
	static const char *const voids[] = { "area", "base", "br", "col",
	    "command", "embed", "hr", "img", "input", "keygen", "link",
	    "meta", "param", "source", "track", "wbr" };

	return in_list(name, voids, nitems(voids));
}

/* HTML_CONTENT_MODEL: how the content of name is parsed by default. */
enum kramdown_model
kramdown_content_model(const char *name)
{
	static const char *const block[] = { "address", "applet", "article",
	    "aside", "blockquote", "body", "dd", "details", "div", "dl",
	    "fieldset", "figure", "figcaption", "footer", "form", "header",
	    "hgroup", "iframe", "li", "main", "map", "menu", "nav",
	    "noscript", "object", "section", "summary", "td" };
	static const char *const span[] = { "a", "abbr", "acronym", "b",
	    "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
	    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label",
	    "legend", "optgroup", "p", "q", "rb", "rbc", "rp", "rt", "rtc",
	    "ruby", "select", "small", "span", "strong", "sub", "sup", "th",
	    "tt" };

	if (in_list(name, block, nitems(block)))
		return KM_BLOCK;
	if (in_list(name, span, nitems(span)))
		return KM_SPAN;
	return KM_RAW;
}

/* The line without leading and trailing blanks. */
void
kramdown_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* The first needle in [s, s + n), or s + n. */
const char *
kramdown_find(const char *s, size_t n, const char *needle)
{
	size_t		 l = strlen(needle);
	const char	*p, *end = s + n;

	for (p = s; (size_t)(end - p) >= l &&
	    (p = memchr(p, needle[0], end - p - l + 1)) != NULL; p++)
		if (memcmp(p, needle, l) == 0)
			return p;
	return end;
}

/*
 * The end of a script or style element whose content starts at from:
 * after its end tag (handle_raw_html_tag), or the end of the text.
 */
size_t
kramdown_raw_text_end(const struct kramdown_ctx *k, size_t from,
    const char *name)
{
	const char	*s = k->src, *p;
	char		 end[KRAMDOWN_NAME_MAX];
	size_t		 q;

	for (p = s + from; (p = kramdown_find(p, s + k->len - p, "</")) !=
	    s + k->len; p += 2)
		if ((q = kramdown_end_tag(p, s + k->len - p, end)) != 0 &&
		    strcmp(end, name) == 0)
			return p + q - s;
	return k->len;
}

/*
 * HTML opened in a list item whose content is at column base: the
 * item ends (and the HTML with it) at a line after a blank line that
 * is indented less.  Looks at the line starts in [from, *to); when
 * one ends the item, *to is the end of the line before it.
 */
bool
kramdown_item_ends(const struct kramdown_ctx *k, unsigned base, size_t from,
    size_t *to)
{
	const char	*s = k->src, *nl, *l;
	bool		 blank = false;
	unsigned	 col;

	for (nl = memchr(s + from, '\n', *to - from); nl != NULL;
	    nl = memchr(l, '\n', s + *to - l)) {
		l = nl + 1;
		for (col = 0; l < s + k->len && (*l == ' ' || *l == '\t'); l++)
			col = *l == '\t' ? (col + 4) & ~3u : col + 1;
		if (l >= s + k->len || *l == '\n') {
			blank = true;
			continue;
		}
		if (blank && col < base) {
			while (l > s && l[-1] != '\n')
				l--;
			*to = l - s - 1;
			return true;
		}
		blank = false;
		if (l >= s + *to)
			break;
	}
	return false;
}
