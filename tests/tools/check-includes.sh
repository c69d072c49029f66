#!/bin/sh
# The include rules of the layers (doc/ARCHITECTURE.md), checked over
# src/: a file includes headers of its own folder, or the public header
# ("LAYER/LAYER.h") of a layer below its own; a source file includes its
# own layer only through LAYER-int.h.  Prints each break; exits 1 if any.
#
#   tests/tools/check-includes.sh [LAYERS...]   (bottom first)
set -u
cd "$(dirname "$0")/../.." || exit 2
layers=${*:-core model proto convert site serve}
bad=0

# rank LAYER: its place from the bottom (1...), 0 when not a layer.
rank() {
	n=0
	for l in $layers; do
		n=$((n + 1))
		[ "$l" = "$1" ] && { echo "$n"; return; }
	done
	echo 0
}

for f in src/*/*.[ch] src/*.c; do
	dir=${f#src/}
	case $dir in
	*/*) own=${dir%%/*} ;;
	*) own="" ;;	# main.c: above every layer
	esac
	if [ -n "$own" ]; then mine=$(rank "$own"); else mine=99; fi
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		no=${line%%:*}
		h=$(printf '%s\n' "$line" | sed 's/^[0-9]*:#include "\(.*\)".*/\1/')
		case $h in
		*/*)
			l=${h%%/*}
			r=$(rank "$l")
			if [ "$h" != "$l/$l.h" ]; then
				echo "$f:$no: $h: only $l/$l.h may be included from outside src/$l/"
			elif [ "$r" -eq 0 ] || [ "$r" -ge "$mine" ]; then
				echo "$f:$no: $h: src/${own:-main.c} may use only the layers below it"
			fi
			;;
		*)
			if [ -z "$own" ] || [ ! -f "src/$own/$h" ]; then
				echo "$f:$no: $h: not a header of src/${own:-}"
			elif [ "${f##*.}" = c ] && [ "$h" != "$own-int.h" ]; then
				echo "$f:$no: $h: a source file includes its layer as $own-int.h"
			fi
			;;
		esac
	done
done >"${TMPDIR:-/tmp}/check-includes.$$"
if [ -s "${TMPDIR:-/tmp}/check-includes.$$" ]; then
	cat "${TMPDIR:-/tmp}/check-includes.$$"
	bad=1
fi
rm -f "${TMPDIR:-/tmp}/check-includes.$$"
exit $bad
