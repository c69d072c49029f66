#!/bin/sh
# Every shell script of the project through shellcheck (.shellcheckrc
# says which warnings are deliberate): one result per script, "N passed,
# M failed" at the end; exits 77 (skipped) when shellcheck is missing.
set -u
cd "$(dirname "$0")/../.." || exit 2
if ! command -v shellcheck >/dev/null; then
	echo "skip: shellcheck is not installed (contrib/deps.sh --test)"
	exit 77
fi

# The scripts: *.sh, files starting with a sh shebang (or OpenRC's,
# whose scripts are sh), and the helpers the tests source.
scripts() {
	git ls-files 2>/dev/null || find . -type f ! -path './build/*' \
	    ! -path './.git/*' | sed 's|^\./||'
}

passed=0 failed=0
for f in $(scripts); do
	[ -f "$f" ] || continue
	case $f in
	*.sh|tests/integration/gopher-common) ;;
	*) head -n 1 "$f" | grep -Eq '^#! */(bin/sh|sbin/openrc-run)' ||
		continue ;;
	esac
	if shellcheck "$f"; then
		passed=$((passed + 1))
		echo "ok   $f"
	else
		failed=$((failed + 1))
		echo "FAIL $f"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
