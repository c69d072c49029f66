#!/bin/sh
# Run the test suite, or part of it, and add up the results.
#
# Every suite prints "N passed, M failed" (", K skipped" optional) as its
# last summary line; a suite that exits non-zero without one counts as one
# failure.  Integration scripts exit 77 to be skipped as a whole.  A kind
# asked for that runs no test at all (nothing built, a filter matching
# nothing, every test skipped) is a failure.
#
#   tests/run.sh                          everything
#   tests/run.sh unit integration         kinds: unit, integration,
#                                         jekyll, fuzz, lint
#   tests/run.sh unit/test_url            one suite (a shell pattern:
#   tests/run.sh 'integration/gopher-*'   unit/test_g*, fuzz/fuzz_url)
#   tests/run.sh unit/test_url:encode     the tests of a unit suite whose
#                                         names contain "encode"
#   FUZZ_SECONDS=20                       length of each fuzz run

set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
export CAPSULED="${CAPSULED:-$top/build/asan/capsuled}"
export TOOLS="$top/build/tools"
export TOP="$top"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
if [ $# -eq 0 ]; then
	set -- unit integration jekyll fuzz
	# The lint, where shellcheck or mandoc is installed.
	{ command -v shellcheck || command -v mandoc; } >/dev/null &&
	    set -- lint "$@"
fi

passed=0 failed=0 skipped=0
failures=""
logdir="$top/build/test-logs"
mkdir -p "$logdir"

# run_suite NAME COMMAND...: run, echo the output, add up its summary;
# ran gets how many of its tests ran (passed or failed).
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
	summary=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$summary" ]; then
		ran=$((ran + 1))
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
	ran=$((ran + p + f))
	if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
		[ "$f" -eq 0 ] && failed=$((failed + 1))
		failures="$failures $name"
	fi
}

# wanted NAME: does the suite NAME (kind/suite) match the pattern?
wanted() {
	# shellcheck disable=SC2254 # the pattern is meant to match
	case $1 in
	$pattern) return 0 ;;
	esac
	return 1
}

for arg in "$@"; do
	kind=${arg%%/*}
	pattern="$kind/*"
	filter=""
	case $arg in
	*/*)
		pattern=${arg%%:*}
		case $arg in *:*) filter=${arg#*:} ;; esac
		;;
	esac
	if [ -n "$filter" ] && [ "$kind" != unit ]; then
		echo "a test filter (:$filter) is for unit suites only" >&2
		exit 2
	fi
	ran=0
	case $kind in
	unit)
		# The harness runs only the tests whose names hold it.
		export HARNESS_FILTER="$filter"
		for t in build/asan/tests/test_*; do
			[ -x "$t" ] && wanted "unit/${t##*/}" || continue
			run_suite "unit/${t##*/}" "$t"
		done
		unset HARNESS_FILTER
		;;
	integration)
		for t in tests/integration/*.sh; do
			# lib.sh is sourced by the suites, not one of them.
			[ -f "$t" ] && [ "${t##*/}" != lib.sh ] || continue
			n=$(basename "$t" .sh)
			wanted "integration/$n" || continue
			run_suite "integration/$n" timeout 600 sh "$t"
		done
		;;
	lint)
		# The scripts through shellcheck; the include rules of the
		# layers; each header on its own; the manual pages through mandoc
		wanted lint/shellcheck && run_suite lint/shellcheck \
		    sh tests/tools/shellcheck.sh
		wanted lint/includes && run_suite lint/includes \
		    sh tests/tools/check-includes.sh
		wanted lint/headers && run_suite lint/headers \
		    sh tests/tools/check-headers.sh
		wanted lint/man && run_suite lint/man sh tests/tools/man-lint.sh
		;;
	jekyll)
		# capsuled against the real Jekyll (tests/jekyll/README.md)
		wanted jekyll/counting && run_suite "jekyll/counting" \
		    timeout 60 python3 tests/jekyll/test_jdiff.py
		wanted jekyll/diff && run_suite "jekyll/diff" timeout 1800 \
		    sh tests/jekyll/run.sh
		;;
	fuzz)
		for t in build/fuzz/fuzz_*; do
			[ -x "$t" ] && wanted "fuzz/${t##*/}" || continue
			n=$(basename "$t")
			corpus="$logdir/corpus-$n"
			mkdir -p "$corpus"
			seeds="tests/fuzz/seeds/${n#fuzz_}"
			[ -d "$seeds" ] || seeds=""
			# A finding exits 1: libFuzzer's own 77 reads as a skip.
			# shellcheck disable=SC2086 # no seeds: no argument
			run_suite "fuzz/$n" timeout $((FUZZ_SECONDS + 60)) \
			    "$t" -max_total_time="$FUZZ_SECONDS" -error_exitcode=1 \
			    -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			    "$corpus" $seeds
		done
		;;
	*)
		echo "unknown test kind: $kind" >&2
		exit 2
		;;
	esac
	if [ "$ran" -eq 0 ]; then
		echo "== $arg: no test ran (nothing built, or nothing matched)"
		failed=$((failed + 1))
		failures="$failures $arg"
	fi
done

[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
echo "check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
