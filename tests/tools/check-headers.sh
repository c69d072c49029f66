#!/bin/sh
# Every header of src/ compiles on its own (it includes what it uses):
# prints each one that does not; exits 1 if any.
set -u
cd "$(dirname "$0")/../.." || exit 2
CC=${CC:-cc}
bad=0
for h in src/*/*.h; do
	if ! printf '#include "%s"\n' "${h#src/}" | $CC -std=c11 -Wall \
	    -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -Isrc -fsyntax-only -x c - 2>"${TMPDIR:-/tmp}/check-headers.$$"
	then
		echo "$h does not compile alone:"
		sed 's/^/    /' "${TMPDIR:-/tmp}/check-headers.$$" | head -n 5
		bad=1
	fi
done
rm -f "${TMPDIR:-/tmp}/check-headers.$$"
exit $bad
