#!/bin/sh
# Benchmarks: each tests/bench/bench-*.sh prints its own figures.  Not a
# test: nothing here passes or fails on a number.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
export TOP
export TOOLS="$TOP/build/tools"
export CAPSULED="$TOP/capsuled"
status=0
for b in tests/bench/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "=== $(basename "$b" .sh)"
	sh "$b" || status=1
	echo
done
exit $status
