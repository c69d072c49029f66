#!/bin/sh
# The Liquid conformance tables (tests/liquid/*.txt) rendered by
# Ruby's liquid gem with Jekyll 4.3's tags and filters and by capsuled's
# interpreter: the outputs must be identical, case by case.
set -u
top="${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}"
tool="${TOOLS:-$top/build/tools}/liquid-render"

if ! command -v ruby >/dev/null 2>&1 ||
    ! ruby -rjekyll -rliquid -e '' 2>/dev/null; then
	echo "ruby with the jekyll and liquid gems not found: skipped"
	exit 77
fi
if [ ! -x "$tool" ]; then
	echo "$tool not built"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "liquid gem $(ruby -rliquid -e 'print Liquid::VERSION')," \
    "jekyll $(ruby -rjekyll -e 'print Jekyll::VERSION')"
# Our table, then the templates of Shopify's liquid tests.
exec timeout 300 ruby "$top/tests/liquid/conformance.rb" \
    "$top/tests/liquid/vars.yml" "$tool" "$top/tests/liquid/cases.txt" \
    "$top/tests/liquid/shopify.txt"
