/* The Gopher writers: wrapped text, link references, menus. */
#include <stdlib.h>
#include <string.h>

#include "convert/convert.h"
#include "proto/proto.h"
#include "model/model.h"
#include "core/core.h"

#include "harness.h"
#include "gopher_check.h"

/* Posts are /posts/SLUG.gmi on Gemini, /posts/SLUG.txt on Gopher. */
static bool
test_resolve(void *ctx, const char *path, char *type, char **selector)
{
	size_t	len = strlen(path);

	(void)ctx;
	if (strncmp(path, "/posts/", 7) != 0 || len < 11 ||
	    strcmp(path + len - 4, ".gmi") != 0)
		return false;
	*type = '0';
	*selector = xasprintf("%.*s.txt", (int)(len - 4), path);
	return true;
}

static const struct gopher_render render = {
	"gopher.example.org", 7070, test_resolve, NULL
};

static char *
text_of(const struct doc *d)
{
	struct buf	b = BUF_INIT;

	gopher_text_write(d, &render, &b);
	return buf_detach(&b, NULL);
}

static char *
menu_of(const struct doc *d)
{
	struct buf	b = BUF_INIT;

	gopher_text_menu(d, &render, &b);
	gopher_menu_end(&b);
	return buf_detach(&b, NULL);
}

/* Every line of a text: CRLF-ended, at most max columns. */
static size_t
widest_line(const char *t)
{
	const char	*p = t, *eol;
	size_t		 w, max = 0;

	while ((eol = strstr(p, "\r\n")) != NULL) {
		w = utf8_width(p, eol - p);
		if (w > max)
			max = w;
		p = eol + 2;
	}
	return max;
}

static const char *para =
    "For a few weeks now I have been rebuilding the watering rig of our "
    "garden club, a group that grows vegetables on shared land and tries "
    "to waste as little rain water as it possibly can, whatever the season.";

static void
test_wrap_paragraph(void)
{
	struct doc	 d = { 0 };
	char		*t;

	doc_add(&d, LINE_TEXT, true, para);
	t = text_of(&d);
	CHECK_STR(t,
	    "For a few weeks now I have been rebuilding the watering rig of "
	    "our\r\n"
	    "garden club, a group that grows vegetables on shared land and "
	    "tries to\r\n"
	    "waste as little rain water as it possibly can, whatever the "
	    "season.\r\n"
	    ".\r\n");
	CHECK(widest_line(t) <= 70);
	free(t);
	doc_free(&d);
}

/* bt-thread's "thread :-)" with a no-break space stays together. */
static void
test_wrap_nbsp(void)
{
	struct doc	 d = { 0 };
	char		*t;

	/* 64 columns of words, then "thread\u00a0:-)" (10 columns). */
	doc_add(&d, LINE_TEXT, true, "aaaaaaaaa bbbbbbbbb ccccccccc "
	    "ddddddddd eeeeeeeee fffffffff ggg thread\xc2\xa0:-) end");
	t = text_of(&d);
	CHECK_STR(t, "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee "
	    "fffffffff ggg\r\nthread\xc2\xa0:-) end\r\n.\r\n");
	free(t);
	doc_free(&d);
}

static void
test_wrap_long_word(void)
{
	struct doc	 d = { 0 };
	char		*t;
	const char	*url = "https://example.org/a/very/long/path/that/goes/"
	    "on/and/on/beyond/seventy/columns.html";

	doc_add(&d, LINE_TEXT, true, "");
	free(d.lines[0].text);
	d.lines[0].text = xasprintf("see %s here", url);
	t = text_of(&d);
	CHECK(strstr(t, "see\r\n") == t);
	CHECK(strstr(t, "\r\nhere\r\n.\r\n") != NULL);
	CHECK(strstr(t, url) != NULL);
	CHECK(strstr(t, "\r\nhttps://") != NULL);
	free(t);
	doc_free(&d);
}

/*
 * Plain ASCII lines: gaps kept inside a line and dropped at its end, a
 * line of exactly 70 columns, text that ends in spaces.
 */
static void
test_wrap_ascii(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "
		  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy z",
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "
		  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\nz\r\n" },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  "
		  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy z",
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  "
		  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\nz\r\n" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "   bbbbbbbbbbbbbbbbbbbb  ",
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "\r\nbbbbbbbbbbbbbbbbbbbb\r\n" },
		{ "a  b\tc dddddddddddddddddddddddddddddddddddddddddddddddddddd"
		  "dddddddd e f",
		  "a  b c dddddddddddddddddddddddddddddddddddddddddddddddddddd"
		  "dddddddd e\r\nf\r\n" },
	};
	struct doc	 d = { 0 };
	char		*t, *want;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		doc_add(&d, LINE_TEXT, false, cases[i].in);
		t = text_of(&d);
		want = xasprintf("%s.\r\n", cases[i].want);
		CHECK_STR(t, want);
		free(want);
		free(t);
		doc_free(&d);
	}
}

/* Wide characters count two columns: six words of 5 fit, not seven. */
static void
test_wrap_cjk(void)
{
	struct doc	 d = { 0 };
	struct buf	 b = BUF_INIT;
	char		*t, *want;
	int		 i;

	for (i = 0; i < 7; i++)
		buf_puts(&b, i ? " 漢字漢字漢" : "漢字漢字漢");
	doc_add(&d, LINE_TEXT, true, b.data);
	t = text_of(&d);
	want = xasprintf("%.*s\r\n漢字漢字漢\r\n.\r\n",
	    6 * 15 + 5, b.data);
	CHECK_STR(t, want);
	CHECK_INT(widest_line(t), 65);
	free(want);
	free(t);
	buf_free(&b);
	doc_free(&d);
}

static void
test_headings(void)
{
	struct doc	 d = { 0 };
	char		*t;

	doc_add_heading(&d, 1, "Welcome to Lantern Relay!");
	doc_add_heading(&d, 2, "Café");
	doc_add_heading(&d, 3, "Third");
	doc_add_heading(&d, 1, "Un titre assez long pour qu'il faille le "
	    "couper en deux lignes de texte");
	t = text_of(&d);
	CHECK_STR(t,
	    "Welcome to Lantern Relay!\r\n"
	    "=========================\r\n"
	    "\r\n"
	    "Café\r\n"
	    "----\r\n"
	    "\r\n"
	    "### Third\r\n"
	    "\r\n"
	    "Un titre assez long pour qu'il faille le couper en deux lignes de\r\n"
	    "texte\r\n"
	    "=================================================================\r\n"
	    ".\r\n");
	free(t);
	doc_free(&d);
}

/*
 * An interview: a #### question reads apart from its answer and from a
 * ### section, in the text and in the menu; a long one hangs under its
 * marks; ##### and ###### have theirs.
 */
static void
test_deep_headings(void)
{
	struct doc	 d = { 0 };
	struct buf	 b = BUF_INIT;
	struct line	*l;
	char		*t, *m;

	doc_add_heading(&d, 3, "The interview");
	doc_add_heading(&d, 4, "Why did you start the project?");
	l = doc_add(&d, LINE_TEXT, true, "Why did you start the project? "
	    "Because nobody else would.");
	doc_add_heading(&d, 4, "And what would you tell someone who wants to "
	    "start one of their own today?");
	doc_add_heading(&d, 5, "Five");
	doc_add_heading(&d, 6, "Six");
	CHECK(l != NULL);
	t = text_of(&d);
	CHECK_STR(t,
	    "### The interview\r\n"
	    "\r\n"
	    "#### Why did you start the project?\r\n"
	    "\r\n"
	    "Why did you start the project? Because nobody else would.\r\n"
	    "\r\n"
	    "#### And what would you tell someone who wants to start one of their\r\n"
	    "     own today?\r\n"
	    "\r\n"
	    "##### Five\r\n"
	    "\r\n"
	    "###### Six\r\n"
	    ".\r\n");
	m = menu_of(&d);
	CHECK(strstr(m, "i#### Why did you start the project?\tfake\t(NULL)\t0"
	    "\r\n") != NULL);
	CHECK(strstr(m, "iWhy did you start the project? Because nobody else "
	    "would.\tfake") != NULL);
	free(m);
	free(t);
	doc_free(&d);
	/* Gemtext keeps three levels. */
	doc_add_heading(&d, 4, "Question");
	doc_add_heading(&d, 9, "Deeper than Markdown");
	doc_write_gemtext(&d, &b);
	t = buf_detach(&b, NULL);
	CHECK_STR(t, "### Question\n\n### Deeper than Markdown\n");
	free(t);
	doc_free(&d);
}

static void
test_items_quotes(void)
{
	struct doc	 d = { 0 };
	struct line	*l;
	char		*t;

	doc_add(&d, LINE_ITEM, true, para);
	l = doc_add(&d, LINE_ITEM, false, para);
	l->marker = xstrdup("10.");
	doc_add(&d, LINE_QUOTE, true, para);
	t = text_of(&d);
	CHECK_STR(t,
	    "* For a few weeks now I have been rebuilding the watering rig of "
	    "our\r\n"
	    "  garden club, a group that grows vegetables on shared land and "
	    "tries\r\n"
	    "  to waste as little rain water as it possibly can, whatever the\r\n"
	    "  season.\r\n"
	    "10. For a few weeks now I have been rebuilding the watering rig of "
	    "our\r\n"
	    "    garden club, a group that grows vegetables on shared land and\r\n"
	    "    tries to waste as little rain water as it possibly can, "
	    "whatever\r\n"
	    "    the season.\r\n"
	    "\r\n"
	    "> For a few weeks now I have been rebuilding the watering rig of "
	    "our\r\n"
	    "> garden club, a group that grows vegetables on shared land and "
	    "tries\r\n"
	    "> to waste as little rain water as it possibly can, whatever the\r\n"
	    "> season.\r\n"
	    ".\r\n");
	free(t);
	doc_free(&d);
}

/* Nested items are indented two columns a level, their lines too. */
static void
test_nested_items(void)
{
	struct doc	 d = { 0 };
	struct line	*l;
	char		*t;

	doc_add(&d, LINE_ITEM, true, "Saw");
	l = doc_add(&d, LINE_ITEM, false, "on the waste side, slowly and "
	    "steadily, with the teeth of the saw kept in the cut");
	l->marker = xstrdup("1.");
	l->depth = 1;
	l = doc_add(&d, LINE_ITEM, false, "deeper");
	l->depth = 2;
	t = text_of(&d);
	CHECK_STR(t,
	    "* Saw\r\n"
	    "  1. on the waste side, slowly and steadily, with the teeth of "
	    "the saw\r\n"
	    "     kept in the cut\r\n"
	    "    * deeper\r\n"
	    ".\r\n");
	free(t);
	doc_free(&d);
}

static void
test_preformatted_and_dots(void)
{
	struct doc	 d = { 0 };
	char		*t;

	doc_add(&d, LINE_TEXT, true, ".hidden files start with a dot");
	doc_add_pre(&d, "c", "int\n\tmain(void)  /* a line of code that is "
	    "much longer than seventy columns, kept */\n.\n");
	t = text_of(&d);
	CHECK_STR(t,
	    "..hidden files start with a dot\r\n"
	    "\r\n"
	    "int\r\n"
	    "\tmain(void)  /* a line of code that is much longer than seventy "
	    "columns, kept */\r\n"
	    "..\r\n"
	    ".\r\n");
	CHECK(strstr(t, "c\r\n") == NULL);
	free(t);
	doc_free(&d);
}

/* The welcome example of CONVERSION.md 6, from its document. */
static void
test_link_references(void)
{
	struct doc	 d = { 0 };
	char		*t;

	doc_add(&d, LINE_TEXT, true, "Some text.");
	doc_add_link(&d, false, "http://6wind.com", "6WIND");
	doc_add_link(&d, false, "/posts/2016-07-08-introduction-to-sdn.gmi",
	    "Introduction to SDN");
	doc_add_link(&d, false, "/img/net/oldnetwork.svg",
	    "Traditional network");
	doc_add_link(&d, false, "gemini://other.example/", NULL);
	doc_add_link(&d, true, "https://example.org/x", "A label long enough "
	    "that it has to be wrapped over two lines of the text document");
	t = text_of(&d);
	CHECK_STR(t,
	    "Some text.\r\n"
	    "[1] 6WIND\r\n"
	    "    http://6wind.com\r\n"
	    "[2] Introduction to SDN\r\n"
	    "    gopher://gopher.example.org:7070/0/posts/"
	    "2016-07-08-introduction-to-sdn.txt\r\n"
	    "[3] Traditional network\r\n"
	    "    gopher://gopher.example.org:7070/I/img/net/oldnetwork.svg\r\n"
	    "[4] gemini://other.example/\r\n"
	    "    gemini://other.example/\r\n"
	    "\r\n"
	    "[5] A label long enough that it has to be wrapped over two lines of\r\n"
	    "    the text document\r\n"
	    "    https://example.org/x\r\n"
	    ".\r\n");
	free(t);
	doc_free(&d);
}

/* Footnote i is [i]: the link references come after them. */
static void
test_numbered_after_footnotes(void)
{
	const char	*md = "A note[^a] and [a link](https://example.org/).\n"
	    "\n"
	    "Another[^b].\n"
	    "\n"
	    "[^a]: First note, with [its link](https://example.com/).\n"
	    "[^b]: Second note.\n";
	struct convert_env	 env;
	struct diags		 diags = { 0 };
	struct doc		 d = { 0 };
	char			*t;

	memset(&env, 0, sizeof(env));
	env.file = "notes.md";
	env.first_line = 1;
	env.diags = &diags;
	convert_body(md, strlen(md), &env, &d);
	CHECK_INT(d.nnotes, 2);
	t = text_of(&d);
	CHECK_STR(t,
	    "A note[1] and a link.\r\n"
	    "[3] a link\r\n"
	    "    https://example.org/\r\n"
	    "\r\n"
	    "Another[2].\r\n"
	    "\r\n"
	    "Footnotes\r\n"
	    "---------\r\n"
	    "\r\n"
	    "[1] First note, with its link.\r\n"
	    "[4] its link\r\n"
	    "    https://example.com/\r\n"
	    "\r\n"
	    "[2] Second note.\r\n"
	    ".\r\n");
	CHECK(refs_error(t, strlen(t)) == NULL);
	free(t);
	/* The checker finds the collision this numbering avoids. */
	d.nnotes = 0;
	t = text_of(&d);
	CHECK(refs_error(t, strlen(t)) != NULL);
	free(t);
	doc_free(&d);
	diag_free(&diags);
}

/* ESC, BEL, DEL and C1 controls of the content never reach a terminal. */
static void
test_control_characters(void)
{
	struct doc	 d = { 0 };
	struct line	*l;
	char		*t, *m;

	doc_add_heading(&d, 1, "Title\x1b[31m red");
	doc_add(&d, LINE_TEXT, true, "Bell\a, del\x7f, csi \xc2\x9b" "2J.");
	doc_add_link(&d, false, "https://example.org/\x1b", "Label\x1b]0;x\a");
	doc_add_link(&d, false, "gopher://example.net/0/a%1Bb", "Hole");
	l = doc_add(&d, LINE_ITEM, true, "x\x1by");
	l->marker = xstrdup("1.");
	doc_add(&d, LINE_QUOTE, true, "q\x0c");
	doc_add_pre(&d, NULL, "a\tb\x1b" "c\r\n");
	t = text_of(&d);
	CHECK_STR(t,
	    "Title\xef\xbf\xbd[31m red\r\n"
	    "==============\r\n"
	    "\r\n"
	    "Bell\xef\xbf\xbd, del\xef\xbf\xbd, csi \xef\xbf\xbd" "2J.\r\n"
	    "[1] Label\xef\xbf\xbd]0;x\xef\xbf\xbd\r\n"
	    "    https://example.org/\xef\xbf\xbd\r\n"
	    "[2] Hole\r\n"
	    "    gopher://example.net/0/a%1Bb\r\n"
	    "\r\n"
	    "1. x\xef\xbf\xbdy\r\n"
	    "\r\n"
	    "> q\xef\xbf\xbd\r\n"
	    "\r\n"
	    "a\tb\xef\xbf\xbd" "c\r\n"
	    ".\r\n");
	CHECK(control_error(t, strlen(t)) == NULL);
	m = menu_of(&d);
	CHECK(menu_error(m, strlen(m)) == NULL);
	CHECK(control_error(m, strlen(m)) == NULL);
	/* A gopher selector with a control character: a URL: item. */
	CHECK(strstr(m, "hHole\tURL:gopher://example.net/0/a%1Bb\t") != NULL);
	CHECK(strstr(m, "ia       b\xef\xbf\xbd" "c \t") != NULL);
	CHECK(strstr(m, "\x1b") == NULL && strstr(m, "\x7f") == NULL);
	/* The checker finds what a terminal would act on. */
	CHECK(control_error("a\x1b", 2) != NULL);
	CHECK(control_error("a\r", 2) != NULL);
	CHECK(control_error("\xc2\x85", 2) != NULL);
	CHECK(control_error("a\tb\r\n", 5) == NULL);
	free(m);
	free(t);
	doc_free(&d);
}

static void
test_doc_menu(void)
{
	struct doc	 d = { 0 };
	char		*m;

	doc_add_heading(&d, 1, "Title");
	doc_add(&d, LINE_TEXT, true, para);
	doc_add_link(&d, false, "/posts/2016-07-07-welcome.gmi#frag",
	    "Welcome");
	doc_add_link(&d, false, "/img/a.png", "An image");
	doc_add_link(&d, false, "/img/b.GIF", NULL);
	doc_add_link(&d, false, "/img/a%20b.jpg", "Encoded");
	doc_add_link(&d, false, "https://example.org/?a=b&c=d", "Web");
	doc_add_link(&d, false, "gemini://example.org/", "Gem");
	doc_add_link(&d, false, "gopher://example.net:7071/1/a%20b", "Hole");
	doc_add_link(&d, false, "gopher://[::1]:7071/1/x", "V6");
	doc_add_link(&d, false, "gopher://u@example.net/", "User");
	doc_add_link(&d, false, "gopher://example.net:+70/", "Sign");
	doc_add_pre(&d, NULL, "a\tb\tc\n");
	m = menu_of(&d);
	CHECK(menu_error(m, strlen(m)) == NULL);
	CHECK_STR(m,
	    "iTitle\tfake\t(NULL)\t0\r\n"
	    "i=====\tfake\t(NULL)\t0\r\n"
	    "i\tfake\t(NULL)\t0\r\n"
	    "iFor a few weeks now I have been rebuilding the watering rig of "
	    "our\tfake\t(NULL)\t0\r\n"
	    "igarden club, a group that grows vegetables on shared land and "
	    "tries to\tfake\t(NULL)\t0\r\n"
	    "iwaste as little rain water as it possibly can, whatever the "
	    "season.\tfake\t(NULL)\t0\r\n"
	    "0Welcome\t/posts/2016-07-07-welcome.txt\tgopher.example.org\t7070\r\n"
	    "IAn image\t/img/a.png\tgopher.example.org\t7070\r\n"
	    "g/img/b.GIF\t/img/b.GIF\tgopher.example.org\t7070\r\n"
	    "IEncoded\t/img/a b.jpg\tgopher.example.org\t7070\r\n"
	    "hWeb\tURL:https://example.org/?a=b&c=d\tgopher.example.org\t7070\r\n"
	    "hGem\tURL:gemini://example.org/\tgopher.example.org\t7070\r\n"
	    "1Hole\t/a b\texample.net\t7071\r\n"
	    "hV6\tURL:gopher://[::1]:7071/1/x\tgopher.example.org\t7070\r\n"
	    "hUser\tURL:gopher://u@example.net/\tgopher.example.org\t7070\r\n"
	    "hSign\tURL:gopher://example.net:+70/\tgopher.example.org\t7070\r\n"
	    "i\tfake\t(NULL)\t0\r\n"
	    "ia       b       c\tfake\t(NULL)\t0\r\n"
	    ".\r\n");
	free(m);
	doc_free(&d);
}

/*
 * A menu is kept as a recipe over its text: the lines they share cost
 * nothing; dot-stuffing is undone, TABs and CRs make lines of the
 * menu's own.
 */
static void
test_menu_recipe(void)
{
	struct doc		 d = { 0 };
	struct gopher_recipe	 r;
	struct buf		 text = BUF_INIT;
	char			*recipe, *menu, *nl;
	size_t			 i, rlen, mlen;

	doc_add(&d, LINE_TEXT, true, ".dot");
	doc_add_link(&d, false, "/img/a.png", "A picture");
	doc_add_pre(&d, NULL, "x\ty\n.z\r\nplain\n");
	gopher_recipe_init(&r);
	gopher_text_info(gopher_recipe_lines(&r), "Top");
	gopher_text_doc(&d, &render, &text, &r);
	gopher_menu_end(gopher_recipe_lines(&r));
	CHECK_STR(text.data,
	    "..dot\r\n"
	    "[1] A picture\r\n"
	    "    gopher://gopher.example.org:7070/I/img/a.png\r\n"
	    "\r\n"
	    "x\ty\r\n"
	    "..z\r\n"
	    "plain\r\n"
	    ".\r\n");
	gopher_recipe_finish(&r, text.data);
	recipe = buf_detach(&r.ops, &rlen);
	menu = gopher_recipe_expand(recipe, rlen, &mlen);
	CHECK_INT(mlen, strlen(menu));
	CHECK_STR(menu,
	    "iTop\tfake\t(NULL)\t0\r\n"
	    "i.dot\tfake\t(NULL)\t0\r\n"
	    "IA picture\t/img/a.png\tgopher.example.org\t7070\r\n"
	    "i\tfake\t(NULL)\t0\r\n"
	    "ix       y\tfake\t(NULL)\t0\r\n"
	    "i.z \tfake\t(NULL)\t0\r\n"
	    "iplain\tfake\t(NULL)\t0\r\n"
	    ".\r\n");
	free(menu);
	free(recipe);
	buf_free(&text);
	doc_free(&d);

	/* A long text: its menu costs a few bytes per run of lines. */
	for (i = 0; i < 200; i++)
		doc_add(&d, LINE_TEXT, true, para);
	gopher_recipe_init(&r);
	gopher_text_doc(&d, &render, &text, &r);
	gopher_recipe_finish(&r, text.data);
	recipe = buf_detach(&r.ops, &rlen);
	menu = gopher_recipe_expand(recipe, rlen, &mlen);
	CHECK(rlen < 64);
	/* 200 paragraphs of 3 lines and 199 blank lines, as info lines. */
	CHECK_INT(mlen, text.len - 3 + (200 * 3 + 199) * 15);
	/* Line by line: "i", the text's line, the info line's end. */
	nl = strstr(text.data, "\r\n");
	CHECK(menu[0] == 'i' && nl != NULL &&
	    strncmp(menu + 1, text.data, nl - text.data) == 0 &&
	    strncmp(menu + 1 + (nl - text.data), "\tfake\t(NULL)\t0\r\n",
	    16) == 0);
	free(menu);
	free(recipe);
	buf_free(&text);
	doc_free(&d);
}

/* The display string of an item of label, as a menu line shows it. */
static char *
item_label(const char *label)
{
	struct buf	 b = BUF_INIT;
	char		*m, *tab;

	gopher_menu_item(&b, '0', label, "/", "host", 70);
	m = buf_detach(&b, NULL);
	if ((tab = strchr(m, '\t')) != NULL)
		*tab = '\0';
	memmove(m, m + 1, strlen(m));
	return m;
}

static void
test_menu_fields(void)
{
	struct buf	 b = BUF_INIT;
	char		*m, *want;
	const char	*label = "A title of more than seventy columns, which "
	    "has to be cut short in a menu: é";

	gopher_menu_item(&b, '0', label, "/sel\twith tab", "host", 70);
	gopher_menu_item(&b, '1', "tab\there\r\nand line", "/", "host", 70);
	gopher_text_info(&b, "");
	gopher_menu_end(&b);
	m = buf_detach(&b, NULL);
	CHECK(menu_error(m, strlen(m)) == NULL);
	/* Cut at the last space that leaves room, never inside "menu". */
	want = xasprintf("0%.68s…\t/sel with tab\thost\t70\r\n"
	    "1tab here  and line\t/\thost\t70\r\n"
	    "i\tfake\t(NULL)\t0\r\n.\r\n", label);
	CHECK_STR(m, want);
	free(want);
	free(m);
	CHECK_STR_FREE(item_label("Exactly seventy columns of text, the width "
	    "of a menu line: no cut."), "Exactly seventy columns of text, the "
	    "width of a menu line: no cut.");
	/* A word that ends at the limit, spaces before the cut, wide text. */
	CHECK_STR_FREE(item_label("A title of sixty-nine columns, then a word "
	    "that ends right at col 69 and more"), "A title of sixty-nine "
	    "columns, then a word that ends right at col 69…");
	CHECK_STR_FREE(item_label("Spaces before the cut are dropped: "
	    "here come some words      overflowing"), "Spaces before the "
	    "cut are dropped: here come some words…");
	CHECK_STR_FREE(item_label("日本語の題名 日本語の題名 日本語の題名 日本語の題名 "
	    "日本語の題名 日本語の題名"), "日本語の題名 日本語の題名 日本語の題名 "
	    "日本語の題名 日本語の題名…");
	/* A first word wider than the line has to be cut inside. */
	CHECK_STR_FREE(item_label("https://example.org/a/very/long/address/"
	    "that/never/ends/in/one/line/of/a/menu"), "https://example.org/"
	    "a/very/long/address/that/never/ends/in/one/line/o…");
	/* The checker itself rejects broken menus. */
	CHECK(menu_error("iabc\tfake\t(NULL)\t0\r\n", 21) != NULL);
	CHECK(menu_error("iabc\tfake\t(NULL)\r\n.\r\n", 20) != NULL);
	CHECK(menu_error("0a\tb\tc\t70\n.\r\n", 13) != NULL);
}

static void
test_item_types(void)
{
	static const char	*files[] = {
		"a.png", "a.JPG", "a.jpeg", "a.svg", "a.webp", "a.gif",
		"a.avif", "a.ico", "a.bmp", "a.tiff", "a.txt", "a.gmi",
		"a.css", "a.html", "a.c", "a.sh", "a.md", "a.pdf", "a.xml",
		"a.json", "a.tar.gz", "a.mp3", "noext", "a.",
	};
	const char	*mt;
	size_t		 i;
	char		 want;

	CHECK_INT(gopher_item_type("/img/a.png"), 'I');
	CHECK_INT(gopher_item_type("/img/a.JPG"), 'I');
	CHECK_INT(gopher_item_type("/img/a.svg"), 'I');
	CHECK_INT(gopher_item_type("/img/a.webp"), 'I');
	CHECK_INT(gopher_item_type("/img/a.ico"), 'I');
	CHECK_INT(gopher_item_type("/img/a.gif"), 'g');
	CHECK_INT(gopher_item_type("/img/a.GIF"), 'g');
	CHECK_INT(gopher_item_type("/robots.txt"), '0');
	CHECK_INT(gopher_item_type("/notes.gmi"), '0');
	CHECK_INT(gopher_item_type("/style.css"), '0');
	CHECK_INT(gopher_item_type("/notes.md"), '9');
	CHECK_INT(gopher_item_type("/data.xml"), '9');
	CHECK_INT(gopher_item_type("/file.tar.gz"), '9');
	CHECK_INT(gopher_item_type("/a.dir/noext"), '9');
	CHECK_INT(gopher_item_type("/a.txt/noext"), '9');
	CHECK_INT(gopher_item_type("/archive/"), '1');
	/* The same classes as the MIME types Gemini sends. */
	for (i = 0; i < nitems(files); i++) {
		mt = mime_type(files[i]);
		want = strcmp(mt, "image/gif") == 0 ? 'g' :
		    strncmp(mt, "image/", 6) == 0 ? 'I' :
		    strncmp(mt, "text/", 5) == 0 ? '0' : '9';
		if (gopher_item_type(files[i]) != want)
			fprintf(stderr, "%s (%s)\n", files[i], mt);
		CHECK_INT(gopher_item_type(files[i]), want);
	}
}

static void
test_plain(void)
{
	struct buf	 b = BUF_INIT;
	const char	 in[] = "line one\r\n.dot\nlast";

	gopher_text_plain(in, sizeof(in) - 1, &b);
	CHECK_STR(b.data, "line one\r\n..dot\r\nlast\r\n.\r\n");
	buf_free(&b);
	gopher_text_plain("", 0, &b);
	CHECK_STR(b.data, ".\r\n");
	buf_free(&b);
}

int
main(void)
{
	RUN(test_wrap_paragraph);
	RUN(test_wrap_nbsp);
	RUN(test_wrap_long_word);
	RUN(test_wrap_ascii);
	RUN(test_wrap_cjk);
	RUN(test_headings);
	RUN(test_deep_headings);
	RUN(test_items_quotes);
	RUN(test_nested_items);
	RUN(test_preformatted_and_dots);
	RUN(test_link_references);
	RUN(test_numbered_after_footnotes);
	RUN(test_control_characters);
	RUN(test_doc_menu);
	RUN(test_menu_recipe);
	RUN(test_menu_fields);
	RUN(test_item_types);
	RUN(test_plain);
	return HARNESS_END();
}
