/*
 * The conversion pipeline of a Markdown body (CONVERSION.md 5.1):
 * Liquid (the interpreter, with the site's objects), then the kramdown
 * pass, then md4c into the document model; an HTML body's: Liquid,
 * then the HTML reader.
 */
#include <stdlib.h>
#include <string.h>

#include "convert-int.h"

/* One of smart_quotes: an entity name or a code point, as UTF-8. */
static bool
quote_entity(const char *name, size_t n, char out[8])
{
	char	ref[40], u[4];
	size_t	ulen;

	while (n > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		n--;
	}
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (n == 0 || n > 32)
		return false;
	snprintf(ref, sizeof(ref), "&%s%.*s;", name[0] >= '0' &&
	    name[0] <= '9' ? "#" : "", (int)n, name);
	if (entity_decode(ref, strlen(ref), u, &ulen) != strlen(ref))
		return false;
	memcpy(out, u, ulen);
	out[ulen] = '\0';
	return true;
}

void
convert_kramdown_opts(struct kramdown_opts *o, const struct value *kd,
    const char *file, struct diags *diags)
{
	const struct value	*v, *item;
	char			 q[4][8], num[24];
	const char		*s, *comma;
	size_t			 i;
	bool			 ok = true;

	memset(o, 0, sizeof(*o));
	if (kd == NULL || kd->type != VALUE_HASH)
		return;
	v = value_hash_get(kd, "parse_block_html", 16);
	o->parse_block_html = v != NULL && (v->type == VALUE_BOOL ? v->u.b :
	    v->type == VALUE_STRING && strcmp(v->u.str.s, "true") == 0);
	if ((v = value_hash_get(kd, "smart_quotes", 12)) == NULL)
		return;
	for (i = 0, s = v->type == VALUE_STRING ? v->u.str.s : NULL;
	    i < 4 && ok; i++) {
		if (s != NULL) {
			comma = s + strcspn(s, ",");
			ok = quote_entity(s, comma - s, q[i]);
			s = *comma ? comma + 1 : NULL;
		} else if (v->type == VALUE_ARRAY && i < v->u.arr.n &&
		    ((item = v->u.arr.v[i])->type == VALUE_STRING ||
		    item->type == VALUE_INT)) {
			if (item->type == VALUE_INT)
				snprintf(num, sizeof(num), "%lld",
				    (long long)item->u.i);
			ok = quote_entity(item->type == VALUE_INT ? num :
			    item->u.str.s, item->type == VALUE_INT ?
			    strlen(num) : item->u.str.len, q[i]);
		} else
			ok = false;
	}
	if (!ok) {
		diag_add(diags, DIAG_WARNING, file, 0, 0, "kramdown's "
		    "smart_quotes wants four entity names or code points: "
		    "the default quotes are used");
		return;
	}
	memcpy(o->quotes, q, sizeof(q));
}

/*
 * Each stage maps its output lines to its input's: Liquid to the file's
 * (its tags may span lines, an include's lines are its tag's), the
 * kramdown pass through Liquid's map (its tables change the line
 * count), so that md4c's warnings, given the kramdown map, name the
 * line of the file.
 */
void
convert_liquid(const char *body, size_t len, const struct convert_env *env,
    struct convert_text *t)
{
	struct liquid_template	*tmpl;

	memset(t, 0, sizeof(*t));
	if (env->liquid == NULL) {
		buf_append(&t->text, body, len);
		return;
	}
	tmpl = liquid_template_parse(env->liquid, env->file, env->first_line,
	    body, len, env->diags);
	liquid_template_render(env->liquid, tmpl, env->vars, &t->text,
	    &t->lines, env->diags);
	liquid_template_free(tmpl);
	t->mapped = true;
}

void
convert_markdown(struct convert_text *t, const struct convert_env *env,
    struct doc *doc)
{
	struct kramdown_out	 ko;
	struct linemap		 map = { NULL, 0, env->first_line };

	if (t->mapped) {
		map.lines = t->lines.v;
		map.n = t->lines.n;
	}
	kramdown_pass(t->text.data ? t->text.data : "", t->text.len,
	    env->file, &map, &env->kramdown, env->diags, &ko);
	markdown_render(&ko, env, doc);
	kramdown_out_free(&ko);
	liquid_lines_free(&t->lines);
	buf_free(&t->text);
}

void
convert_body(const char *body, size_t len, const struct convert_env *env,
    struct doc *doc)
{
	struct convert_text	t;

	convert_liquid(body, len, env, &t);
	convert_markdown(&t, env, doc);
}

/* The whole Liquid output is one piece of HTML for the reader. */
void
convert_html(const char *body, size_t len, const struct convert_env *env,
    struct doc *doc)
{
	struct convert_text	t;
	struct kramdown_html	html;
	struct kramdown_out	ko;

	convert_liquid(body, len, env, &t);
	memset(&ko, 0, sizeof(ko));
	html.text = t.text.data ? t.text.data : "";
	html.len = t.text.len;
	html.line = env->first_line;
	ko.html = &html;
	ko.nhtml = 1;
	markdown_render(&ko, env, doc);
	liquid_lines_free(&t.lines);
	buf_free(&t.text);
}
