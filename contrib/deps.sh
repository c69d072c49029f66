#!/bin/sh
# Install the Debian/Ubuntu packages capsuled needs, when missing.
#   contrib/deps.sh          build and run
#   contrib/deps.sh --test   also what `make check` and `make bench` use
#   contrib/deps.sh --print [--test]   only print them, one a line
set -eu

print=no
if [ "${1:-}" = "--print" ]; then
	print=yes
	shift
fi

# golang-github-yuin-goldmark-emoji-dev: GitHub's emoji names, read at
# build time for jemoji (contrib/emoji-names.sh)
pkgs="build-essential pkg-config libssl-dev libyaml-dev libmd4c-dev \
libevent-dev libseccomp-dev libsqlite3-dev openssl \
golang-github-yuin-goldmark-emoji-dev"
if [ "${1:-}" = "--test" ]; then
	pkgs="$pkgs clang libclang-rt-14-dev python3 curl lynx sacc gopher \
tmux amfora socat iproute2 molly-brown gophernicus shellcheck logrotate mandoc haproxy"
	# tests/integration/vps.sh: the README's VPS commands (systemd-analyze,
	# systemd-sysusers and systemd-tmpfiles; man for the unit's
	# Documentation=; git for the blog)
	pkgs="$pkgs systemd man-db git"
	# tests/jekyll: Jekyll and the plugins the test sites and the
	# corpora list (Debian has no jemoji)
	pkgs="$pkgs ruby ruby-liquid jekyll ruby-jekyll-feed ruby-jekyll-seo-tag \
ruby-jekyll-redirect-from ruby-jekyll-sitemap ruby-jekyll-gist \
ruby-jekyll-avatar ruby-jekyll-mentions ruby-jekyll-relative-links \
ruby-jekyll-optional-front-matter ruby-jekyll-titles-from-headings"
	# timezone: the tz database (the unit tests read two zones)
	pkgs="$pkgs tzdata"
fi

if [ "$print" = yes ]; then
	# shellcheck disable=SC2086 # one package a word
	printf '%s\n' $pkgs
	exit 0
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
