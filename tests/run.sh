#!/bin/sh
# Run the whole test suite and add up the results.
#
# Every suite prints "N passed, M failed" (", K skipped" optional) as its
# last summary line; a suite that exits non-zero without one counts as one
# failure.  Integration scripts exit 77 to be skipped as a whole.
#
#   tests/run.sh                 everything
#   tests/run.sh unit|integration|jekyll|fuzz   one kind
#   FUZZ_SECONDS=20              length of each fuzz run

set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
export CAPSULED="${CAPSULED:-$top/build/asan/capsuled}"
export TOOLS="$top/build/tools"
export TOP="$top"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
kinds="${*:-unit integration jekyll fuzz}"

passed=0 failed=0 skipped=0
failures=""
logdir="$top/build/test-logs"
mkdir -p "$logdir"

# run_suite NAME COMMAND...: run, echo the output, add up its summary.
run_suite() {
	name=$1
	shift
	log="$logdir/$(echo "$name" | tr '/ ' '__').log"
	printf '== %s\n' "$name"
	"$@" >"$log" 2>&1
	rc=$?
	sed 's/^/   /' "$log" | tail -n 40
	if [ "$rc" -eq 77 ]; then
		skipped=$((skipped + 1))
		return
	fi
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$summary" ]; then
		if [ "$rc" -eq 0 ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			failures="$failures $name"
		fi
		return
	fi
	p=$(echo "$summary" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$summary" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$summary" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + ${s:-0}))
	if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
		[ "$f" -eq 0 ] && failed=$((failed + 1))
		failures="$failures $name"
	fi
}

for kind in $kinds; do
	case $kind in
	unit)
		for t in build/asan/tests/test_*; do
			[ -x "$t" ] || continue
			run_suite "unit/$(basename "$t")" "$t"
		done
		;;
	integration)
		for t in tests/integration/*.sh; do
			# lib.sh is sourced by the suites, not one of them.
			[ -f "$t" ] && [ "${t##*/}" != lib.sh ] || continue
			run_suite "integration/$(basename "$t" .sh)" \
			    timeout 600 sh "$t"
		done
		;;
	jekyll)
		# capsuled against the real Jekyll (tests/jekyll/README.md)
		run_suite "jekyll/counting" timeout 60 \
		    python3 tests/jekyll/test_jdiff.py
		run_suite "jekyll/diff" timeout 1800 sh tests/jekyll/run.sh
		;;
	fuzz)
		for t in build/fuzz/fuzz_*; do
			[ -x "$t" ] || continue
			n=$(basename "$t")
			corpus="$logdir/corpus-$n"
			mkdir -p "$corpus"
			seeds="tests/fuzz/seeds/${n#fuzz_}"
			[ -d "$seeds" ] || seeds=""
			run_suite "fuzz/$n" timeout $((FUZZ_SECONDS + 60)) \
			    "$t" -max_total_time="$FUZZ_SECONDS" \
			    -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			    "$corpus" $seeds
		done
		;;
	*)
		echo "unknown test kind: $kind" >&2
		exit 2
		;;
	esac
done

[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
echo "check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
