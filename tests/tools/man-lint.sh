#!/bin/sh
# The manual pages (man/): mandoc -Tlint clean at every level, rendered
# under their own names, referring to each other.  One result per check,
# "N passed, M failed" at the end; exits 77 (skipped) when mandoc is
# missing.  tests/unit/test_docs.c holds the settings and flags they
# name against the code.
set -u
cd "$(dirname "$0")/../.." || exit 2
if ! command -v mandoc >/dev/null; then
	echo "skip: mandoc is not installed (contrib/deps.sh --test)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capsuled-man.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
check() {
	d=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok   $d"
	else
		failed=$((failed + 1))
		echo "FAIL $d"
	fi
}

for f in man/capsuled.8 man/capsuled.yml.5; do
	mandoc -Tlint -Wall "$f" >"$tmp/lint" 2>&1
	# Two messages depend on what this machine has installed, not on
	# the page: a reference to a page not installed here (the other
	# capsuled page before make install, syslog(3) without
	# manpages-dev), and the system's stale mandoc.db.
	grep -v -e 'referenced manual not found' -e 'outdated mandoc.db' \
	    "$tmp/lint" >"$tmp/rest"
	check "$f: mandoc -Tlint -Wall says nothing else" [ ! -s "$tmp/rest" ]
	sed 's/^/    /' "$tmp/rest"
	check "$f: no error or warning at all" mandoc -Tlint -Wwarning "$f"
	page=${f#man/}
	name=${page%.*}
	check "$f: renders as $name(${page##*.})" sh -c \
	    'mandoc -Tutf8 "$1" 2>/dev/null | grep -qi "^$2($3)"' - "$f" \
	    "$name" "${page##*.}"
done
grep -h '^\.Xr capsuled' man/capsuled.8 man/capsuled.yml.5 |
    awk '{ print $2 "." $3 }' | sort -u >"$tmp/refs"
check "the pages refer to each other" [ "$(wc -l <"$tmp/refs")" -eq 2 ]
while read -r ref; do
	check "the page of $ref is there" [ -f "man/$ref" ]
done <"$tmp/refs"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
