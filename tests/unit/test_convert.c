/*
 * The whole conversion pipeline (convert_body): Liquid, the kramdown
 * pass and md4c, their line maps composed, so that what md4c reports
 * names the line of the file.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "convert/convert.h"
#include "core/core.h"

#define MAX_LINKS	8

static unsigned		link_line[MAX_LINKS];
static char		link_target[MAX_LINKS][64];
static size_t		nlinks;

/* Record each link target and the line it is said to be on. */
static char *
map_url(void *ctx, const char *target, unsigned line)
{
	(void)ctx;
	if (nlinks < MAX_LINKS) {
		link_line[nlinks] = line;
		strncpy(link_target[nlinks], target,
		    sizeof(link_target[0]) - 1);
		nlinks++;
	}
	return xstrdup(target);
}

/* _includes/card.md: three lines, one link. */
static int
include(void *ctx, const char *name, bool relative, const char *from,
    struct liquid_source *src)
{
	static const char	card[] = "A card\nof three lines\n"
	    "[{{ include.label }}](/card/)\n";

	(void)ctx;
	(void)from;
	if (relative || strcmp(name, "card.md") != 0)
		return -1;
	src->text = card;
	src->len = sizeof(card) - 1;
	src->path = "_includes/card.md";
	return 0;
}

static struct diags	cdiags;

/* Convert body, whose first line is line first of its file. */
static void
convert(const char *body, unsigned first)
{
	struct liquid_hooks	hooks = { NULL, include, NULL, NULL, NULL,
				    NULL };
	struct convert_env	env;
	struct doc		doc = { 0 };

	memset(&env, 0, sizeof(env));
	diag_free(&cdiags);
	env.file = "post.md";
	env.first_line = first;
	env.diags = &cdiags;
	env.liquid = liquid_engine_new(&hooks, NULL);
	env.vars = value_hash();
	env.map_url = map_url;
	nlinks = 0;
	memset(link_target, 0, sizeof(link_target));
	convert_body(body, strlen(body), &env, &doc);
	doc_free(&doc);
	value_unref(env.vars);
	liquid_engine_free(env.liquid);
}

/*
 * A link on line 12 after a 7-line kramdown table (its row separator
 * and footer rule are dropped, an alignment row added).
 */
static void
test_after_table(void)
{
	convert("| a | b |\n"		/* 4 */
	    "|---|---|\n"		/* 5 */
	    "| 1 | 2 |\n"		/* 6 */
	    "|---|---|\n"		/* 7 */
	    "| 3 | 4 |\n"		/* 8 */
	    "|===|===|\n"		/* 9 */
	    "| 5 | 6 |\n"		/* 10 */
	    "\n"			/* 11 */
	    "See [x](/nowhere/) here.\n", 4);	/* 12 */
	CHECK_INT(nlinks, 1);
	CHECK_STR(link_target[0], "/nowhere/");
	CHECK_INT(link_line[0], 12);
}

/* A link after a {% raw %} whose tags span lines, then a comment. */
static void
test_after_raw(void)
{
	convert("{% raw\n"		/* 4 */
	    "%}\n"			/* 5 */
	    "line {{ a }}\n"		/* 6 */
	    "{% endraw\n"		/* 7 */
	    "%}\n"			/* 8 */
	    "{% comment %}\n"		/* 9 */
	    "one\n"			/* 10 */
	    "two\n"			/* 11 */
	    "{% endcomment %}\n"	/* 12 */
	    "See [y](/elsewhere/) here.\n", 4);	/* 13 */
	CHECK_INT(nlinks, 1);
	CHECK_STR(link_target[0], "/elsewhere/");
	CHECK_INT(link_line[0], 13);
}

/* Both at once: the kramdown map goes through Liquid's. */
static void
test_raw_then_table(void)
{
	convert("{% comment %}\n"	/* 1 */
	    "gone\n"			/* 2 */
	    "{% endcomment %}\n"	/* 3 */
	    "| a | b |\n"		/* 4 */
	    "|---|---|\n"		/* 5 */
	    "| 1 | 2 |\n"		/* 6 */
	    "|---|---|\n"		/* 7 */
	    "| 3 | 4 |\n"		/* 8 */
	    "\n"			/* 9 */
	    "[first](/a/) and\n"	/* 10 */
	    "[second](/b/)\n", 1);	/* 11 */
	CHECK_INT(nlinks, 2);
	CHECK_INT(link_line[0], 10);
	CHECK_INT(link_line[1], 11);
}

/*
 * What an include renders maps to its tag's line (the link inside it
 * too); the lines after it, and a Liquid error, to their own; a loop
 * that writes lines shifts nothing after it.
 */
static void
test_include_and_loop(void)
{
	const struct diag	*dg;

	convert("Intro.\n"			/* 3 */
	    "\n"				/* 4 */
	    "{% include card.md\n"		/* 5 */
	    "   label=\"Card\" %}\n"		/* 6 */
	    "\n"				/* 7 */
	    "{% for i in (1..3) %}\n"		/* 8 */
	    "line {{ i }}\n"			/* 9 */
	    "{% endfor %}\n"			/* 10 */
	    "\n"				/* 11 */
	    "{{ 1 | plus }} [after](/after/)\n", 3);	/* 12 */
	CHECK_INT(nlinks, 2);
	CHECK_STR(link_target[0], "/card/");
	CHECK_INT(link_line[0], 5);
	CHECK_STR(link_target[1], "/after/");
	CHECK_INT(link_line[1], 12);
	dg = diag_find(&cdiags, "wrong number of arguments");
	CHECK(dg != NULL && dg->line == 12 && dg->column == 1 &&
	    strcmp(dg->file, "post.md") == 0);
}

/* Links in HTML blocks: the line of their tag, in the file. */
static void
test_html_lines(void)
{
	convert("Para.\n"				/* 5 */
	    "\n"					/* 6 */
	    "<div>\n"				/* 7 */
	    "text <a href=\"/a/\">a</a>\n"		/* 8 */
	    "<img src=\"/b.png\">\n"			/* 9 */
	    "</div>\n"				/* 10 */
	    "\n"					/* 11 */
	    "<figure>\n"				/* 12 */
	    "  <img src=\"/c.png\" alt=\"c\">\n"	/* 13 */
	    "  <figcaption>C</figcaption>\n"		/* 14 */
	    "</figure>\n"				/* 15 */
	    "<video src=\"/d.mp4\"></video>\n"	/* 16 */
	    "\n"					/* 17 */
	    "[e](/e/)\n", 5);				/* 18 */
	CHECK_INT(nlinks, 5);
	CHECK_STR(link_target[0], "/a/");
	CHECK_INT(link_line[0], 8);
	CHECK_STR(link_target[1], "/b.png");
	CHECK_INT(link_line[1], 9);
	CHECK_STR(link_target[2], "/c.png");
	CHECK_INT(link_line[2], 13);
	CHECK_STR(link_target[3], "/d.mp4");
	CHECK_INT(link_line[3], 16);
	CHECK_STR(link_target[4], "/e/");
	CHECK_INT(link_line[4], 18);
}

/* Nothing rewritten: lines follow on from the first. */
static void
test_plain(void)
{
	convert("Para.\n\n[z](/z/)\n", 20);
	CHECK_INT(nlinks, 1);
	CHECK_INT(link_line[0], 22);
}

/* kramdown's options from _config.yml, as values. */
static void
test_kramdown_opts(void)
{
	static const char	*yaml =
	    "kramdown:\n  parse_block_html: true\n"
	    "  smart_quotes: sbquo,lsquo, bdquo ,ldquo\n"
	    "other:\n  kramdown: {}\n"
	    "list:\n  smart_quotes: [apos, 8217, quot, \"quot\"]\n"
	    "bad:\n  smart_quotes: lsquo,rsquo\n";
	struct kramdown_opts	 o;
	struct diags		 diags = { 0 };
	struct value		*v;

	v = value_from_yaml(yaml, strlen(yaml), "_config.yml", 1, &diags);
	CHECK(v != NULL);
	if (v == NULL)
		return;
	convert_kramdown_opts(&o, value_hash_get(v, "kramdown", 8),
	    "_config.yml", &diags);
	CHECK(o.parse_block_html);
	CHECK_STR(o.quotes[0], "\xe2\x80\x9a");	/* sbquo */
	CHECK_STR(o.quotes[2], "\xe2\x80\x9e");	/* bdquo */
	CHECK_STR(o.quotes[3], "\xe2\x80\x9c");
	convert_kramdown_opts(&o, value_hash_get(v, "list", 4), "_config.yml",
	    &diags);
	CHECK(!o.parse_block_html);
	CHECK_STR(o.quotes[0], "'");
	CHECK_STR(o.quotes[1], "\xe2\x80\x99");
	CHECK_STR(o.quotes[3], "\"");
	CHECK_INT(diags.n, 0);
	/* Two names are not four: Jekyll's quotes, and a warning. */
	convert_kramdown_opts(&o, value_hash_get(v, "bad", 3), "_config.yml",
	    &diags);
	CHECK_STR(o.quotes[0], "");
	CHECK_INT(diags.n, 1);
	convert_kramdown_opts(&o, NULL, "_config.yml", &diags);
	CHECK(!o.parse_block_html && o.quotes[0][0] == '\0');
	value_unref(v);
	diag_free(&diags);
}

/* body's gemtext, with jemoji or without. */
static char *
gemtext(const char *body, bool jemoji)
{
	struct convert_env	env;
	struct diags		diags = { 0 };
	struct doc		doc = { 0 };
	struct buf		out = BUF_INIT;

	memset(&env, 0, sizeof(env));
	env.file = "post.md";
	env.first_line = 1;
	env.diags = &diags;
	env.jemoji = jemoji;
	convert_body(body, strlen(body), &env, &doc);
	doc_write_gemtext(&doc, &out);
	doc_free(&doc);
	diag_free(&diags);
	buf_puts(&out, "");
	return out.data;
}

/*
 * jemoji: GitHub's names in the text become their characters; code
 * spans, code blocks, <code>, link targets, an image's alt text and
 * names GitHub lacks keep their colons, as does a site without it.
 */
static void
test_jemoji(void)
{
	static const char	body[] =
	    "Ship :rocket: it :+1::tada: now :smile:\n"
	    "\n"
	    "Not `:smile:` nor :no_such_emoji: nor :Smile: but :-1:\n"
	    "\n"
	    "```\n:heart:\n```\n"
	    "\n"
	    "[see :heart:](https://example.org/:tada:/) ![:rocket:](r.png)\n"
	    "\n"
	    "<code>:smile:</code> and <b>:smile:</b> and :sweat_smile:\n"
	    "\n"
	    "# Title :tada:\n"
	    "\n"
	    "Time 10:30:45 and a:zz:c and ::smile:: and :smile:x:\n";
	char	*on, *off;

	on = gemtext(body, true);
	CHECK(strstr(on, "Ship \xf0\x9f\x9a\x80 it "
	    "\xf0\x9f\x91\x8d\xf0\x9f\x8e\x89 now \xf0\x9f\x98\x84\n")
	    != NULL);
	CHECK(strstr(on, "Not `:smile:` nor :no_such_emoji: nor :Smile: "
	    "but \xf0\x9f\x91\x8e\n") != NULL);
	CHECK(strstr(on, "```\n:heart:\n```\n") != NULL);
	CHECK(strstr(on, "see \xe2\x9d\xa4\xef\xb8\x8f") != NULL);
	CHECK(strstr(on, "=> https://example.org/:tada:/") != NULL);
	CHECK(strstr(on, ":rocket:") != NULL);	/* the image's label */
	CHECK(strstr(on, "`:smile:` and \xf0\x9f\x98\x84 and "
	    "\xf0\x9f\x98\x85\n") != NULL);
	CHECK(strstr(on, "# Title \xf0\x9f\x8e\x89\n") != NULL);
	CHECK(strstr(on, "Time 10:30:45 and a:zz:c and :\xf0\x9f\x98\x84: "
	    "and \xf0\x9f\x98\x84x:\n") != NULL);
	off = gemtext(body, false);
	CHECK(strstr(off, "Ship :rocket: it :+1::tada: now :smile:\n")
	    != NULL);
	CHECK(strstr(off, "\xf0\x9f") == NULL);
	free(on);
	free(off);
}

int
main(void)
{
	RUN(test_after_table);
	RUN(test_after_raw);
	RUN(test_raw_then_table);
	RUN(test_include_and_loop);
	RUN(test_plain);
	RUN(test_html_lines);
	RUN(test_kramdown_opts);
	RUN(test_jemoji);
	diag_free(&cdiags);
	return HARNESS_END();
}
