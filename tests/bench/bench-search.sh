#!/bin/sh
# Search: the index's build time and memory, and the CPU time of a
# query and its page, on synthetic blogs (tests/bench/gen-blog) of
# 1,000 and 10,000 posts.  Prints figures; never fails on a number.
#
#   SEARCH_SIZES="10000" SEARCH_ROUNDS=500 sh tests/bench/bench-search.sh
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOOLS:=$TOP/build/tools}"
SIZES="${SEARCH_SIZES:-1000 10000}"
ROUNDS="${SEARCH_ROUNDS:-200}"
work="$TOP/build/bench"
mkdir -p "$work"
if [ ! -x "$TOOLS/search-bench" ]; then
	echo "no $TOOLS/search-bench: make build/tools/search-bench"
	exit 1
fi
for n in $SIZES; do
	blog="$work/blog-$n"
	if [ ! -f "$blog/.done" ]; then
		rm -rf "$blog"
		python3 "$TOP/tests/bench/gen-blog" "$n" "$blog" &&
		    : >"$blog/.done"
	fi
	"$TOOLS/search-bench" "$blog" "$ROUNDS"
done
