/*
 * UTF-8: validation with repair, decoding, and terminal display width.
 */
#ifndef CAPSULED_UTF8_H
#define CAPSULED_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "buf.h"

/*
 * Append to out the text with CRLF (and lone CR) turned into LF, and
 * every invalid UTF-8 sequence, control character other than TAB and
 * LF (C0, DEL, C1) and U+FFFE/U+FFFF replaced by U+FFFD; each
 * replacement is reported as a warning at its line and column.  A
 * leading BOM is dropped.
 */
void	 utf8_sanitize(struct buf *out, const char *s, size_t len,
	    const char *file, struct diags *);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates). */
bool	 utf8_valid(const char *s, size_t len);

/*
 * Decode the code point at s (at most len bytes); store it in *cp and
 * return the sequence length, or return 0 for an invalid sequence.
 */
size_t	 utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode cp into out (4 bytes at most); return the length. */
size_t	 utf8_encode(uint32_t cp, char *out);

/* Columns a code point takes on a terminal: 0, 1 or 2. */
int	 utf8_cp_width(uint32_t cp);

/* Display width of a UTF-8 string (invalid bytes count 1). */
size_t	 utf8_width(const char *s, size_t len);

/*
 * The length of the run at s (at most len bytes) of printable ASCII (no
 * control byte, not even TAB or LF): eight bytes at a time, as this is
 * nearly all of any text.
 */
size_t	 utf8_ascii_run(const char *s, size_t len);

/* What stands for a character that cannot be shown: U+FFFD. */
#define UTF8_REPLACEMENT	"\xef\xbf\xbd"

/*
 * The first control character in [s, end): a C0 control (TAB, CR and LF
 * included), DEL, or a C1 control (U+0080 to U+009F, two bytes), which
 * a terminal would act on rather than show.  Its length goes to *lenp;
 * end (and length 0) when there is none.
 */
const char	*utf8_next_control(const char *s, const char *end,
		    size_t *lenp);

#endif
