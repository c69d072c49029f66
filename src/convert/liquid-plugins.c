/*
 * The tags of GitHub Pages' plugins, writing what the plugins write:
 * jekyll-gist's gist (its script, and for a reader without JavaScript
 * a link to the gist where the plugin would fetch the code), jekyll-
 * avatar's avatar (the image), and the tags whose output belongs to
 * the page's head, jekyll-seo-tag's seo and jekyll-feed's feed_meta,
 * which show nothing in the content.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

/*
 * The value of a variable the markup names (context[key]: "page.gist"),
 * else the word as it is.
 */
static char *
word_value(struct lq_render *r, const char *s, size_t n)
{
	struct lq_expr	*e;
	struct value	*v;
	char		*str = NULL;

	if ((e = liquid_expr_parse(s, n, false)) != NULL) {
		v = liquid_eval(r, e);
		if (!value_is_nil(v))
			str = value_to_cstr(v);
		value_unref(v);
		liquid_expr_free(e);
	}
	return str ? str : xstrndup(s, n);
}

/* {% gist ID [FILE] %}: jekyll-gist's determine_arguments. */
static void
gist(struct lq_render *r, const char *m, struct buf *out)
{
	const char	*sp = m + strcspn(m, " \t\n\r\f\v");
	const char	*file = *sp ? sp + 1 : sp;
	char		*id, *name;

	if (*m == '\0' || file[strcspn(file, " \t\n\r\f\v")] != '\0') {
		liquid_fail(r, "Syntax error in tag 'gist' while parsing the "
		    "following markup: %s (valid syntax: {%% gist user/1234567 "
		    "foo.js %%})", m);
		return;
	}
	id = word_value(r, m, (size_t)(sp - m));
	name = *file ? word_value(r, file, strlen(file)) : xstrdup("");
	buf_puts(out, "<noscript><p><a href=\"https://gist.github.com/");
	buf_put_escaped(out, id);
	buf_puts(out, "\">https://gist.github.com/");
	buf_put_escaped(out, id);
	buf_puts(out, "</a></p></noscript><script src=\"https://gist.github.com/");
	buf_put_escaped(out, id);
	buf_puts(out, ".js");
	if (*name) {
		buf_puts(out, "?file=");
		buf_put_escaped(out, name);
	}
	buf_puts(out, "\"> </script>");
	free(name);
	free(id);
}

/* Zlib.crc32, which picks the avatar server. */
static uint32_t
crc32(const char *s, size_t n)
{
	uint32_t	c = 0xffffffffu;
	size_t		i;
	int		k;

	for (i = 0; i < n; i++) {
		c ^= (unsigned char)s[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

/*
 * The avatar's URL at a scale, on the server that crc32 of its path at
 * scale 1 picks (one server for every scale).
 */
static void
avatar_url(const char *user, long size, long scale, struct buf *out)
{
	char	*path, *one;

	one = xasprintf("%s?v=3&s=%ld", user, size);
	path = xasprintf("%s?v=3&s=%ld", user, size * scale);
	buf_printf(out, "https://avatars%u.githubusercontent.com/%s",
	    (unsigned)(crc32(one, strlen(one)) % 4), path);
	free(path);
	free(one);
}

/* The value of key=VALUE in the markup (\bkey=(pattern)\b), or NULL. */
static char *
avatar_option(const char *m, const char *key, const char *set)
{
	size_t		 k = strlen(key), n;
	const char	*p;

	for (p = m; (p = strstr(p, key)) != NULL; p++) {
		if ((p > m && lq_isword(p[-1])) || p[k] != '=')
			continue;
		if ((n = strspn(p + k + 1, set)) > 0)
			return xstrndup(p + k + 1, n);
	}
	return NULL;
}

/*
 * {% avatar USER [size=N] %}, {% avatar user=VAR %}: what jekyll-avatar
 * writes, as it writes it (nothing escaped).
 */
static void
avatar(struct lq_render *r, const char *m, struct buf *out)
{
	char			*size_s, *var, *user;
	long			 size, scale;

	size_s = avatar_option(m, "size", "0123456789");
	size = size_s ? strtol(size_s, NULL, 10) : 40;
	if (size < 0 || size > 100000)
		size = 40;
	if ((var = avatar_option(m, "user", "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")) != NULL) {
		user = word_value(r, var, strlen(var));
	} else {
		user = xstrndup(m, strcspn(m, " "));
		if (user[0] == '@')
			memmove(user, user + 1, strlen(user));
	}
	buf_printf(out, "<img class=\"%s\" alt=\"%s", size < 48 ?
	    "avatar avatar-small" : "avatar", user);
	buf_printf(out, "\" width=\"%ld\" height=\"%ld\" "
	    "data-proofer-ignore=\"true\" src=\"", size, size);
	/* lazy=true: the URLs in data- attributes, for a script. */
	if (strstr(m, "lazy=true") != NULL)
		buf_puts(out, "\" data-src=\"");
	avatar_url(user, size, 1, out);
	buf_puts(out, strstr(m, "lazy=true") != NULL ? "\" data-srcset=\"" :
	    "\" srcset=\"");
	for (scale = 1; scale <= 4; scale++) {
		avatar_url(user, size, scale, out);
		buf_printf(out, " %ldx%s", scale, scale < 4 ? ", " : "");
	}
	buf_puts(out, "\" />");
	free(user);
	free(var);
	free(size_s);
}

void
liquid_plugin_render(struct lq_render *r, const char *tag, const char *markup,
    struct buf *out)
{
	if (strcmp(tag, "gist") == 0)
		gist(r, markup, out);
	else if (strcmp(tag, "avatar") == 0)
		avatar(r, markup, out);
	/* seo and feed_meta: the head's title, meta and link elements. */
}
