#!/bin/sh
# Content pipeline: snapshot build time (median of runs), MB/s of
# Markdown, peak RSS, for the Whirl Offload corpus and synthetic blogs of
# 1,000 and 10,000 posts (tests/bench/gen-blog), then the same with
# Liquid in every post (gen-blog --liquid: includes, loops, filters),
# then with the posts in nested _posts folders and a collection
# (gen-blog --nested).  Prints figures; never fails on a number.
#
#   BENCH_RUNS=5 SIZES="1000 10000" LIQUID_SIZES="1000 10000" \
#       NESTED_SIZES="1000 10000" sh tests/bench/bench-pipeline.sh
#
# 100,000 posts (1.2 GB of Markdown, generated once into build/bench,
# minutes to write) only when asked:
#
#   BENCH_RUNS=1 SIZES=100000 LIQUID_SIZES= NESTED_SIZES= \
#       sh tests/bench/bench-pipeline.sh
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CAPSULED:=$TOP/capsuled}"
RUNS="${BENCH_RUNS:-5}"
SIZES="${SIZES:-1000 10000}"
LIQUID_SIZES="${LIQUID_SIZES-$SIZES}"
NESTED_SIZES="${NESTED_SIZES-$SIZES}"
CORPUS="${CORPUS:-$TOP/../shared/corpus/whirl-offload}"
work="$TOP/build/bench"
mkdir -p "$work"

if [ ! -x "$CAPSULED" ]; then
	echo "no $CAPSULED: run make first"
	exit 1
fi

# measure NAME ROOT [FLAGS]: run --check RUNS times, print one line of
# figures.  The snapshot holds the Gopher routes too unless FLAGS is -g 0.
measure() {
	python3 - "$CAPSULED" "$2" "$1" "$RUNS" "${3:-}" <<'PY'
import os, re, statistics, sys, time

prog, root, name, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
flags = sys.argv[5].split()
md = 0
for top, dirs, files in os.walk(root):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for f in files:
        if f.endswith((".md", ".markdown")):
            md += os.path.getsize(os.path.join(top, f))
times, walls, cpus, rss = [], [], [], 0
for _ in range(runs):
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        err = os.open(os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                   "bench-pipeline.%d" % os.getpid()),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(err, 2)
        os.execv(prog, [prog, "--root", root, "--check"] + flags)
    t0 = time.monotonic()
    _, status, ru = os.wait4(pid, 0)
    walls.append(time.monotonic() - t0)
    cpus.append(ru.ru_utime + ru.ru_stime)
    rss = max(rss, ru.ru_maxrss)
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "bench-pipeline.%d" % pid)
    summary = open(path).read()
    os.unlink(path)
    m = re.search(r"^capsuled: (\d+) posts?.*, ([\d.]+) ms(;|$)", summary, re.M)
    if not m:
        sys.exit("%s: no summary line:\n%s" % (name, summary))
    posts = int(m.group(1))
    times.append(float(m.group(2)) / 1000)
t = statistics.median(times)
print("%-15s %5d posts %6.1f MB  build %7.1f ms (median of %d, min %.1f)"
      "  %6.1f MB/s  process %7.1f ms, CPU %7.1f ms  peak RSS %6.1f MB"
      " (%.2fx source)" % (
      name, posts, md / 1e6, t * 1000, runs, min(times) * 1000,
      md / 1e6 / t if t > 0 else 0, statistics.median(walls) * 1000,
      statistics.median(cpus) * 1000, rss / 1024,
      rss * 1024 / md if md else 0))
PY
}

echo "build: site_build, from the summary line; CPU: user + system of"
echo "the whole process; each size with Gemini and Gopher routes, then with"
echo "Gemini routes only (-g 0)"
if [ -d "$CORPUS" ]; then
	measure whirl-offload "$CORPUS"
	measure "  gemini only" "$CORPUS" "-g 0"
else
	echo "whirl-offload: corpus not found at $CORPUS, skipped"
fi
# blog NAME [--liquid|--nested] N: the synthetic blog, generated once.
blog() {
	blog="$work/$1"
	shift
	if [ ! -f "$blog/.done" ]; then
		rm -rf "$blog"
		python3 "$TOP/tests/bench/gen-blog" "$@" "$blog" &&
		    : >"$blog/.done"
	fi
}
for n in $SIZES; do
	blog "blog-$n" "$n"
	measure "synthetic-$n" "$blog"
	measure "  gemini only" "$blog" "-g 0"
done
for n in $LIQUID_SIZES; do
	blog "blog-liquid-$n" --liquid "$n"
	measure "liquid-$n" "$blog"
	measure "  gemini only" "$blog" "-g 0"
done
for n in $NESTED_SIZES; do
	blog "blog-nested-$n" --nested "$n"
	measure "nested-$n" "$blog"
	measure "  gemini only" "$blog" "-g 0"
done
