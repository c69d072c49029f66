/*
 * The lines Gopher answers are made of: menu items and info lines
 * (RFC 1436), lines of a type 0 text, and the end line; control
 * characters made harmless on the way.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto-int.h"

/*
 * Tabs to spaces, for preformatted lines shown in a menu: written at d
 * (unless NULL); returns the length.
 */
size_t
gopher_menu_expand_tabs(char *d, const char *s, size_t len)
{
	size_t	i, n = 0, col = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t') {
			do {
				if (d != NULL)
					d[n] = ' ';
				n++;
			} while (++col % GOPHER_TABSTOP != 0);
			continue;
		}
		if (d != NULL)
			d[n] = s[i];
		n++;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			col++;
	}
	return n;
}

/*
 * Append s[0..len) without its control characters, which a terminal
 * client would act on (an escape sequence) rather than show.  In a menu
 * field TAB, CR and LF become spaces, as they would break the line; in
 * a line of text TAB is kept (preformatted text).  Every other control
 * character (ESC, BEL, DEL, C1...) becomes U+FFFD, of the same display
 * width.  None is dropped, lest the bytes around it form a C1 control.
 */
void
gopher_menu_clean(struct buf *out, const char *s, size_t len, bool field)
{
	const char	*end = s + len, *c;
	size_t		 n;

	for (; s < end; s = c + n) {
		c = utf8_next_control(s, end, &n);
		buf_append(out, s, c - s);
		if (c == end)
			break;
		if (field && (*c == '\t' || *c == '\r' || *c == '\n'))
			buf_putc(out, ' ');
		else if (!field && *c == '\t')
			buf_putc(out, '\t');
		else
			buf_puts(out, UTF8_REPLACEMENT);
	}
}

static void
put_field(struct buf *out, const char *s, size_t len)
{
	gopher_menu_clean(out, s, len, true);
}

void
gopher_menu_info_line(struct buf *out, const char *s, size_t len)
{
	buf_putc(out, 'i');
	put_field(out, s, len);
	buf_puts(out, "\tfake\t(NULL)\t0\r\n");
}

/* A line of a type 0 text: its own CR end dropped, dot-stuffed, CRLF. */
void
gopher_menu_text_line(struct buf *out, const char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > 0 && s[0] == '.')
		buf_putc(out, '.');
	gopher_menu_clean(out, s, len, false);
	buf_puts(out, "\r\n");
}

/* n in decimal, written so as to end at end: returns where it starts. */
char *
gopher_menu_decimal(char *end, size_t n)
{
	do
		*--end = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return end;
}

void
gopher_menu_port(struct buf *out, int port)
{
	char	 d[24], *p;

	p = gopher_menu_decimal(d + sizeof(d), port < 0 ? 0 : (size_t)port);
	buf_append(out, p, d + sizeof(d) - p);
}

/*
 * Where to cut a display string wider than GOPHER_WIDTH columns so that
 * it fits with "…" after it: at its last space (TAB, shown as one) that
 * leaves room, never inside a word but for a first word wider than the
 * line.  len when it fits.
 */
static size_t
cut_display(const char *s, size_t len)
{
	uint32_t	 cp;
	size_t		 i = 0, n, w = 0, cw, cut = 0;

	if (utf8_width(s, len) <= GOPHER_WIDTH)
		return len;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		cw = n == 0 ? 1 : (size_t)utf8_cp_width(cp);
		if (n == 0)
			n = 1;
		if (s[i] == ' ' || s[i] == '\t')
			cut = i;
		if (w + cw > GOPHER_WIDTH - 1)
			break;
		w += cw;
		i += n;
	}
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == '\t'))
		cut--;
	return cut > 0 ? cut : i;
}

void
gopher_menu_item(struct buf *out, char type, const char *display,
    const char *selector, const char *host, int port)
{
	size_t	len = strlen(display), cut;

	cut = cut_display(display, len);
	buf_putc(out, type);
	put_field(out, display, cut);
	if (cut < len)
		buf_puts(out, "…");
	buf_putc(out, '\t');
	put_field(out, selector, strlen(selector));
	buf_putc(out, '\t');
	put_field(out, host, strlen(host));
	buf_putc(out, '\t');
	gopher_menu_port(out, port);
	buf_append(out, "\r\n", 2);
}

void
gopher_menu_end(struct buf *out)
{
	buf_puts(out, ".\r\n");
}
