#!/bin/sh
# The build on several threads (build_threads) gives the snapshot of one
# thread: the exports of 1 and 4 threads alike byte for byte, and their
# diagnostics in the same order, for the shipped capsule, the made-up
# Jekyll sites, synthetic blogs with and without Liquid (with broken
# posts among them, whose warnings must stay in place) and the corpora
# when present.
. "$(dirname "$0")/lib.sh"

bin=$TOP/capsuled
[ -x "$bin" ] || { echo "no $bin: make first"; exit 1; }

# same NAME ROOT: export ROOT with 1 and with 4 threads, compare.
same() {
	for t in 1 4; do
		rm -rf "$T_TMP/out-$t"
		"$bin" --root "$2" --build-threads "$t" --export "$T_TMP/out-$t" \
		    2>"$T_TMP/err-$t"
		sed -E 's/[0-9.]+ ms/T ms/' "$T_TMP/err-$t" >"$T_TMP/diag-$t"
	done
	check "$1: the same export on 1 and 4 threads" \
	    diff -r "$T_TMP/out-1" "$T_TMP/out-4"
	check "$1: the same diagnostics, in the same order ($(wc -l <"$T_TMP/diag-1") lines)" \
	    cmp -s "$T_TMP/diag-1" "$T_TMP/diag-4"
}

same "shipped capsule" "$TOP/capsule"
for s in "$TOP"/tests/jekyll/sites/*/; do
	[ -f "$s/_config.yml" ] && same "site $(basename "$s")" "$s"
done
for v in "" --liquid; do
	blog="$T_TMP/blog$v"
	python3 "$TOP/tests/bench/gen-blog" $v 150 "$blog" || fail "gen-blog"
	# Broken posts in the middle: warnings of every stage.
	printf -- '---\ntitle: Bad\n---\n[x](/nowhere/) \377 {%% bogus %%}\n' \
	    >"$blog/_posts/2010-02-01-bad.md"
	printf -- '---\ntitle: Unclosed\n---\n```\nno end\n<div markdown="1">\n' \
	    >"$blog/_posts/2010-03-01-unclosed.md"
	same "synthetic blog$v" "$blog"
	grep -q "warning" "$T_TMP/diag-1"
	check "synthetic blog$v: it has warnings to order" [ $? -eq 0 ]
done
for c in whirl-offload minima hyde jekyll-docs; do
	d="$TOP/../shared/corpus/$c"
	if [ -d "$d" ]; then
		# site.time pinned (time: in _config.yml, as Jekyll reads
		# it): a page may pick its words by the time of the build.
		rm -rf "$T_TMP/corpus"
		cp -r "$d" "$T_TMP/corpus"
		printf '\ntime: 2020-01-02 03:04:05 +0000\n' \
		    >>"$T_TMP/corpus/_config.yml"
		same "corpus $c" "$T_TMP/corpus"
	else
		skip "corpus $c: not found at $d"
	fi
done
finish
