#!/bin/sh
# The Jekyll differential test: capsuled against the real Jekyll, site by
# site, figures held against their floors (README.md beside this file).
#
#   tests/jekyll/run.sh                 the made-up sites of tests/jekyll/sites
#                                       and the corpora of ../shared/corpus
#   tests/jekyll/run.sh SITE_DIR...     any Jekyll site folders
#   tests/jekyll/run.sh --raise [...]   also raise the floors to today's
#                                       figures (never lowers one)
# env: CAPSULED     the binary (build/asan/capsuled, else ./capsuled)
#      JDIFF_CACHE  Jekyll's builds, by site (build/jekyll-diff)
#      JDIFF_LOGS   details, by site (build/test-logs/jekyll)
#      JDIFF_CORPUS the corpora (../shared/corpus)
#      JDIFF_SHOW   lost and added runs of words listed per document (5)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
capsuled=${CAPSULED:-$top/build/asan/capsuled}
[ -x "$capsuled" ] || capsuled=$top/capsuled
raise=""
if [ "${1:-}" = "--raise" ]; then
	raise=--raise
	shift
fi
exec python3 "$here/jdiff.py" $raise --capsuled "$capsuled" \
    --cache "${JDIFF_CACHE:-$top/build/jekyll-diff}" \
    --logs "${JDIFF_LOGS:-$top/build/test-logs/jekyll}" \
    --corpus "${JDIFF_CORPUS:-$top/../shared/corpus}" \
    --show "${JDIFF_SHOW:-5}" "$@"
