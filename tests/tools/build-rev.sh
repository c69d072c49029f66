#!/bin/sh
# Build ./capsuled of a revision in a temporary worktree and copy it to
# OUT; with no REV (or ""), of the working tree as it is.  The worktree
# is removed afterwards; the build's output is in OUT.build.
#
#   tests/tools/build-rev.sh REV OUT
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 REV OUT" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
rev=$1
out=$2
if [ -z "$rev" ]; then
	make -C "$top" -j2 capsuled >"$out.build" 2>&1 &&
	    cp "$top/capsuled" "$out"
	exit
fi
src=$(mktemp -d "${TMPDIR:-/tmp}/build-rev.XXXXXX")
rmdir "$src"
trap 'git -C "$top" worktree remove --force "$src" 2>/dev/null; rm -rf "$src"' EXIT
trap 'exit 130' INT TERM
git -C "$top" worktree add --detach "$src" "$rev" >"$out.build" 2>&1 &&
    make -C "$src" -j2 capsuled >>"$out.build" 2>&1 &&
    cp "$src/capsuled" "$out"
