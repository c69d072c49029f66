#!/bin/sh
# The pipeline benchmark (bench-pipeline.sh) of two revisions, taking
# turns: BASE, NEW, BASE, NEW ... ROUNDS times (default 3), then per
# line the median of the rounds' build times for each, and NEW / BASE.
# NEW defaults to the working tree.  Prints figures; never fails on one.
# With INSTRUCTIONS=1, the instructions each --check executes instead
# (valgrind's cachegrind, once per site): a count that other load on the
# machine does not change; NEW_ARGS, options given to NEW's --check
# alone (one BASE may not know, e.g. --search-memory 0 to leave out the
# search index, which BASE lacks).
#
#   tests/bench/compare-pipeline.sh BASE [NEW]
#   ROUNDS=5 BENCH_RUNS=5 SIZES="1000 10000" tests/bench/compare-pipeline.sh main
#   INSTRUCTIONS=1 SIZES=1000 tests/bench/compare-pipeline.sh main
#   INSTRUCTIONS=1 NEW_ARGS="--search-memory 0" \
#       tests/bench/compare-pipeline.sh 9ba0f9e^
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 BASE [NEW]" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare-pipeline.XXXXXX")
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
if [ "${INSTRUCTIONS:-0}" = 1 ]; then
	command -v valgrind >/dev/null || { echo "no valgrind"; exit 1; }
	echo "base: $1; new: ${2:-working tree} ${NEW_ARGS:-};" \
	    "instructions of --check"
	sites="$top/../shared/corpus/whirl-offload"
	for n in ${SIZES:-1000}; do
		blog="$top/build/bench/blog-$n"
		[ -f "$blog/.done" ] || { python3 "$top/tests/bench/gen-blog" \
		    "$n" "$blog" && : >"$blog/.done"; }
		sites="$sites $blog"
	done
	for site in $sites; do
		[ -d "$site" ] || continue
		for side in base new; do
			args=
			[ "$side" = new ] && args=${NEW_ARGS:-}
			# shellcheck disable=SC2086 # args: no word, or options
			valgrind --tool=cachegrind --cache-sim=no \
			    --cachegrind-out-file=/dev/null "$tmp/$side" \
			    --root "$site" --check $args >/dev/null \
			    2>"$tmp/cg.$side"
			grep 'I *refs' "$tmp/cg.$side" | sed 's/.*refs: *//; s/,//g' \
			    >"$tmp/ir.$side"
		done
		awk -v name="$(basename "$site")" -v b="$(cat "$tmp/ir.base")" \
		    -v n="$(cat "$tmp/ir.new")" 'BEGIN { printf \
		    "%-20s base %14.0f  new %14.0f  new/base %.4f\n", name, b, n,
		    n / b }'
	done
	exit 0
fi
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for side in base new; do
		CAPSULED=$tmp/$side sh "$top/tests/bench/bench-pipeline.sh" \
		    >"$tmp/$side.$r" 2>&1
	done
	r=$((r + 1))
done
echo "base: $1; new: ${2:-working tree}; $ROUNDS rounds, taking turns"
python3 - "$tmp" "$ROUNDS" <<'PY'
import re, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
line = re.compile(r"^(.*?)\s+(\d+) posts .* build\s+([\d.]+) ms .*"
                  r"process\s+([\d.]+) ms, CPU\s+([\d.]+) ms")
def figures(side):
    rows = {}
    order = []
    for r in range(1, rounds + 1):
        last = ""
        for l in open("%s/%s.%d" % (tmp, side, r)):
            m = line.match(l)
            if not m:
                continue
            name = m.group(1).strip()
            if name == "gemini only":
                name = last + ", gemini only"
            else:
                last = name
            if name not in rows:
                rows[name] = []
                order.append(name)
            rows[name].append((float(m.group(3)), float(m.group(5))))
    return order, rows
order, base = figures("base")
_, new = figures("new")
print("%-36s %12s %12s %7s   %12s %12s %7s" % ("", "build base", "build new",
      "ratio", "CPU base", "CPU new", "ratio"))
for name in order:
    if name not in new:
        continue
    bb = statistics.median(b for b, _ in base[name])
    nb = statistics.median(b for b, _ in new[name])
    bc = statistics.median(c for _, c in base[name])
    nc = statistics.median(c for _, c in new[name])
    print("%-36s %9.1f ms %9.1f ms %7.3f   %9.1f ms %9.1f ms %7.3f" % (
          name, bb, nb, nb / bb if bb else 0, bc, nc, nc / bc if bc else 0))
    print("%-36s base %s; new %s" % ("  each round's build (ms):",
          " ".join("%.0f" % b for b, _ in base[name]),
          " ".join("%.0f" % b for b, _ in new[name])))
PY
