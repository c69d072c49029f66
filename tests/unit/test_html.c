/*
 * The small HTML reader and the character references it decodes.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/convert-int.h"
#include "harness.h"

/* Tokens of s, one per line: "<name a=v ...>", "</name>", "T:text", "S". */
static char *
tokens(const char *s)
{
	struct html_reader	 r;
	struct html_token	 t;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	buf_puts(&b, "");
	html_reader_init(&r, s, strlen(s));
	while (html_next(&r, &t)) {
		switch (t.kind) {
		case HTML_TEXT:
			buf_printf(&b, "T:%.*s\n", (int)t.len, t.text);
			break;
		case HTML_START:
			buf_printf(&b, "<%s", t.name);
			for (i = 0; i < t.nattrs; i++)
				buf_printf(&b, " %s=%s", t.attrs[i].name,
				    t.attrs[i].value);
			buf_puts(&b, html_is_void(&t) ? "/>\n" : ">\n");
			break;
		case HTML_END:
			buf_printf(&b, "</%s>\n", t.name);
			break;
		case HTML_SKIP:
			buf_puts(&b, "S\n");
			break;
		}
		html_token_free(&t);
	}
	return buf_detach(&b, NULL);
}

#define CHECK_TOKENS(s, want)	CHECK_STR_FREE(tokens(s), want)

static void
test_tags(void)
{
	/* buzzing: an alt over lines; names lower-cased; void elements. */
	CHECK_TOKENS("<IMG src=\"/a.png\"\n    alt=\"Captain\n  Tux &amp; eBee\"\n  />",
	    "<img src=/a.png alt=Captain\n  Tux & eBee/>\n");
	CHECK_TOKENS("<a href='x' title=t data-x>in</a >",
	    "<a href=x title=t data-x=>\nT:in\n</a>\n");
	CHECK_TOKENS("<br><br/><br /><br >", "<br/>\n<br/>\n<br/>\n<br/>\n");
	CHECK_TOKENS("<span =x>", "<span == x=>\n");
	CHECK_TOKENS("a < b <3 <a", "T:a \nT:<\nT: b \nT:<\nT:3 \nT:<\nT:a\n");
	CHECK_TOKENS("<a title=\"open>", "T:<\nT:a title=\"open>\n");
}

static void
test_skipped(void)
{
	CHECK_TOKENS("a<!-- <b>\n -->c<!DOCTYPE html><?x?>d",
	    "T:a\nS\nT:c\nS\nS\nT:d\n");
	/* Raw text elements go whole, whatever they contain. */
	CHECK_TOKENS("<script>if (a < b) x = \"</b>\";</SCRIPT >e<style>p{}",
	    "S\nT:e\nS\n");
	CHECK_TOKENS("<!-- never closed <b>", "S\n");
}

/* s with its references decoded. */
static char *
decoded(const char *s)
{
	struct buf	b = BUF_INIT;

	buf_puts(&b, "");
	entity_decode_into(&b, s, strlen(s));
	return buf_detach(&b, NULL);
}

#define CHECK_DECODED(s, want)	CHECK_STR_FREE(decoded(s), want)

static void
test_entities(void)
{
	CHECK_DECODED("&nbsp;&amp;&lt;&eacute;&Omega;&hellip;&#65;&#x42;&#X43;",
	    "\xc2\xa0&<\xc3\xa9\xce\xa9\xe2\x80\xa6" "ABC");
	/* NUL, surrogates and beyond U+10FFFF become U+FFFD. */
	CHECK_DECODED("&#0;&#xD800;&#x110000;",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Not references: kept as written. */
	CHECK_DECODED("R&D &amp &bogus; &#; &#x; &#123456789; &; &verylongname;",
	    "R&D &amp &bogus; &#; &#x; &#123456789; &; &verylongname;");
}

int
main(void)
{
	RUN(test_tags);
	RUN(test_skipped);
	RUN(test_entities);
	return HARNESS_END();
}
