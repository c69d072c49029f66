#!/bin/sh
# Prove that two builds render the same capsules: build revision BASE
# (and NEW, default the working tree) in a temporary worktree, export
# every site of ../shared/corpus/ and capsule/ with each binary, and
# compare the exported trees byte for byte.  The diagnostics (stderr,
# the build time left out) are compared too: a difference there is
# reported, and fails only with -d.
#
#   tests/tools/export-compare.sh [-d] BASE [NEW]
#   tests/tools/export-compare.sh main           # main against this tree
#   CORPORA="DIR..." tests/tools/export-compare.sh HEAD~3 HEAD
#
# Prints one line per site and "N identical, M different"; exits 1 when
# an export differs (or a build fails), 0 otherwise.
set -u
strict_diags=0
if [ "${1:-}" = "-d" ]; then
	strict_diags=1
	shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 [-d] BASE [NEW]" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/export-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

for side in base new; do
	if [ "$side" = base ]; then rev=$1; else rev=${2:-}; fi
	if ! sh "$top/tests/tools/build-rev.sh" "$rev" "$tmp/$side"; then
		echo "build of ${rev:-the working tree} failed:" >&2
		tail -n 20 "$tmp/$side.build" >&2
		exit 1
	fi
done
echo "base: $1 ($("$tmp/base" --version)); new: ${2:-working tree}"

if [ -z "${CORPORA:-}" ]; then
	CORPORA="$top/capsule"
	for d in "$top"/../shared/corpus/*/; do
		[ -f "$d/_config.yml" ] && CORPORA="$CORPORA ${d%/}"
	done
fi

same=0 differ=0
for site in $CORPORA; do
	name=$(basename "$site")
	for side in base new; do
		out="$tmp/out-$side-$name"
		# From an empty folder, so that no ./certs is found.
		mkdir -p "$tmp/cwd"
		(cd "$tmp/cwd" && "$tmp/$side" --root "$site" --export "$out") \
		    2>"$out.diag" >/dev/null
		echo "exit $?" >>"$out.diag"
		sed -i -E 's/, [0-9.]+ (ms|s)$//' "$out.diag"
	done
	files=$(find "$tmp/out-new-$name" -type f 2>/dev/null | wc -l)
	if [ ! -e "$tmp/out-base-$name" ] && [ ! -e "$tmp/out-new-$name" ] &&
	    cmp -s "$tmp/out-base-$name.diag" "$tmp/out-new-$name.diag"; then
		# Refused by both, for the same reasons (an invalid config).
		same=$((same + 1))
		echo "identical  $name (not exported by either: $(tail -n 2 \
		    "$tmp/out-new-$name.diag" | head -n 1))"
	elif diff -r "$tmp/out-base-$name" "$tmp/out-new-$name" \
	    >"$tmp/diff-$name" 2>&1; then
		same=$((same + 1))
		echo "identical  $name ($files files)"
	else
		differ=$((differ + 1))
		echo "DIFFERENT  $name:"
		head -n 40 "$tmp/diff-$name" | sed 's/^/    /'
	fi
	if ! cmp -s "$tmp/out-base-$name.diag" "$tmp/out-new-$name.diag"; then
		echo "  diagnostics differ for $name:"
		diff "$tmp/out-base-$name.diag" "$tmp/out-new-$name.diag" |
		    head -n 40 | sed 's/^/    /'
		[ "$strict_diags" -eq 1 ] && differ=$((differ + 1))
	fi
done
echo "$same identical, $differ different"
[ "$differ" -eq 0 ]
