#include <stdlib.h>
#include <string.h>

#include "core-int.h"

size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c, min;
	size_t			 n, i;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; c &= 0x07; min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char	*o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = 0xc0 | (cp >> 6);
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	} else if (cp < 0x10000) {
		o[0] = 0xe0 | (cp >> 12);
		o[1] = 0x80 | ((cp >> 6) & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | (cp >> 18);
	o[1] = 0x80 | ((cp >> 12) & 0x3f);
	o[2] = 0x80 | ((cp >> 6) & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

bool
utf8_valid(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		i, n;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
	}
	return true;
}

/*
 * The 1-based column of the byte at off in a line: characters before it,
 * an invalid byte counting as one.  Only for warnings: they are rare.
 */
static unsigned
column(const char *line, size_t off)
{
	uint32_t	cp;
	size_t		i, n;
	unsigned	col = 1;

	for (i = 0; i < off; i += n, col++)
		if ((n = utf8_decode(line + i, off - i, &cp)) == 0)
			n = 1;
	return col;
}

size_t
utf8_ascii_run(const char *s, size_t len)
{
	const uint64_t	ones = 0x0101010101010101ULL;
	const uint64_t	high = 0x8080808080808080ULL;
	uint64_t	w, del;
	size_t		i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		del = w ^ (ones * 0x7f);
		/* A high bit, a byte below 0x20, a DEL byte. */
		if ((w & high) != 0 || ((w - ones * 0x20) & ~w & high) != 0 ||
		    ((del - ones) & ~del & high) != 0)
			break;
	}
	while (i < len && (unsigned char)s[i] >= 0x20 &&
	    (unsigned char)s[i] < 0x7f)
		i++;
	return i;
}

/*
 * Count the line ends (LF, CRLF, lone CR) of s[*from..to): only for
 * warnings, so the copy loop does not track lines.
 */
static void
count_lines(const char *s, size_t len, size_t *from, size_t to,
    unsigned *line, size_t *line_start)
{
	size_t	i;

	for (i = *from; i < to; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len ||
		    s[i + 1] != '\n'))) {
			(*line)++;
			*line_start = i + 1;
		}
	*from = to;
}

/*
 * Control characters other than TAB and line ends (C0, DEL, C1) would
 * reach terminals as escape sequences, and U+FFFE and U+FFFF cannot be
 * in XML: all are replaced like invalid bytes.
 */
static bool
unwanted(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') ||
	    (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
}

void
utf8_sanitize(struct buf *out, const char *s, size_t len, const char *file,
    struct diags *diags)
{
	uint32_t	 cp;
	size_t		 i, n, start = 0, counted, line_start;
	unsigned	 line = 1, reported = 0, more_line = 0;

	if (len >= 3 && (unsigned char)s[0] == 0xef &&
	    (unsigned char)s[1] == 0xbb && (unsigned char)s[2] == 0xbf)
		start = 3;
	buf_reserve(out, len);
	counted = line_start = start;
	for (i = start; i < len; i += n) {
		if ((n = utf8_ascii_run(s + i, len - i)) > 0) {
			buf_append(out, s + i, n);
			continue;
		}
		if (s[i] == '\r') {
			buf_putc(out, '\n');
			n = (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) != 0 &&
		    !unwanted(cp)) {
			buf_append(out, s + i, n);
			continue;
		}
		/* One replacement per invalid byte, as decoders do. */
		buf_append(out, "\xef\xbf\xbd", 3);
		/* Ten warnings, then one from where the rest start. */
		if (++reported <= 11)
			count_lines(s, len, &counted, i, &line, &line_start);
		if (reported == 11)
			more_line = line;
		else if (reported <= 10) {
			if (n == 0)
				diag_add(diags, DIAG_WARNING, file, line,
				    column(s + line_start, i - line_start),
				    "invalid UTF-8 byte 0x%02x replaced by "
				    "U+FFFD", (unsigned char)s[i]);
			else
				diag_add(diags, DIAG_WARNING, file, line,
				    column(s + line_start, i - line_start),
				    "control character U+%04X replaced by "
				    "U+FFFD", (unsigned)cp);
		}
		if (n == 0)
			n = 1;
	}
	if (reported > 10)
		diag_add(diags, DIAG_WARNING, file, more_line, 1,
		    "%u more invalid UTF-8 bytes or control characters "
		    "replaced", reported - 10);
	buf_append(out, "", 0);		/* NUL-terminated, even if empty */
}

struct range {
	uint32_t	lo, hi;
};

/* Combining and zero-width characters (the common blocks). */
static const struct range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0670, 0x0670 },
	{ 0x06d6, 0x06dc }, { 0x0900, 0x0903 }, { 0x093a, 0x094f },
	{ 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
	{ 0x202a, 0x202e }, { 0x2060, 0x2064 }, { 0x20d0, 0x20ff },
	{ 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
	{ 0xe0100, 0xe01ef },
};

/* East Asian Wide and Fullwidth, and emoji presentation. */
static const struct range double_width[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 }, { 0x2e80, 0x303e },
	{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
	{ 0xa000, 0xa4cf }, { 0xa960, 0xa97f }, { 0xac00, 0xd7a3 },
	{ 0xf900, 0xfaff }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 },
	{ 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a },
	{ 0x1f200, 0x1f251 }, { 0x1f300, 0x1f64f }, { 0x1f680, 0x1f6ff },
	{ 0x1f7e0, 0x1f7eb }, { 0x1f90c, 0x1f9ff }, { 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

static bool
in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t	lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int
utf8_cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in_ranges(cp, zero_width, nitems(zero_width)))
		return 0;
	if (in_ranges(cp, double_width, nitems(double_width)))
		return 2;
	return 1;
}

size_t
utf8_width(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		i, n, w = 0;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			w++;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			n = 1;
			w++;
			continue;
		}
		w += utf8_cp_width(cp);
	}
	return w;
}

/* A byte of v is zero: the high bit of some byte of the result is set. */
#define ONES		0x0101010101010101ULL
#define HAS_ZERO(v)	(((v) - ONES) & ~(v) & (ONES * 0x80))
#define HAS_BYTE(v, b)	HAS_ZERO((v) ^ (ONES * (b)))
/* A byte of v is below b (b at most 0x80). */
#define HAS_BELOW(v, b)	(((v) - ONES * (b)) & ~(v) & (ONES * 0x80))

const char *
utf8_next_control(const char *s, const char *end, size_t *lenp)
{
	uint64_t	v;
	unsigned char	c;

	/* Eight bytes at a time while none is or starts a control. */
	for (; end - s >= 8; s += 8) {
		memcpy(&v, s, sizeof(v));
		if (HAS_BELOW(v, 0x20) | HAS_BYTE(v, 0x7f) | HAS_BYTE(v, 0xc2))
			break;
	}
	for (; s < end; s++) {
		c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f) {
			*lenp = 1;
			return s;
		}
		if (c == 0xc2 && s + 1 < end &&
		    (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] < 0xa0) {
			*lenp = 2;
			return s;
		}
	}
	*lenp = 0;
	return end;
}
