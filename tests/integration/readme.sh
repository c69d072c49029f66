#!/bin/sh
# What the README and the manual show is what a real run gives: the
# build's packages are contrib/deps.sh's, the quick start's commands work,
# the summary line and the --list lines shown are the shipped capsule's
# (but for the time).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

readme=$TOP/README.md
bin=$TOP/capsuled
[ -x "$bin" ] || { echo "no $bin: make first"; exit 1; }

# The Quick start's package line.
pkgs=$(sed -n '/^## Quick start/,/^## /p' "$readme" |
    grep -E '^    build-essential ' | tr ' ' '\n' | grep . | sort)
check "the quick start lists the build's packages (contrib/deps.sh)" \
    [ -n "$pkgs" -a "$pkgs" = "$(sh "$TOP/contrib/deps.sh" --print | sort)" ]
check "the quick start names make deps" grep -q '`make deps` installs' \
    "$readme"

# Its commands without make run, the export into the test's folder.
out=$(cd "$TOP" && ./capsuled --root capsule --export "$T_TMP/export" 2>&1)
check "the quick start's export ($out)" [ -f "$T_TMP/export/index.gmi" ]
check "the quick start's check" sh -c \
    'cd "$1" && ./capsuled --root capsule --check >/dev/null 2>&1' - "$TOP"

# The summary line shown after the command, and a real one; mask puts
# "T ms" for the time.
shown=$(sed -n '/^    \$ \.\/capsuled --root capsule --check --quiet$/{n;p;}' \
    "$readme" | sed 's/^    //')
got=$(cd "$TOP" && ./capsuled --root capsule --check --quiet 2>&1)
mask() { echo "$1" | sed -E 's/[0-9]+(\.[0-9])? ms(;|$)/T ms\2/'; }
check "the README's summary line is a real run's ($got)" \
    [ -n "$shown" -a "$(mask "$shown")" = "$(mask "$got")" ]
manline=$(sed -n '/one summary line/,/^\.Ed/p' "$TOP/man/capsuled.8" |
    grep '^capsuled: ')
check "capsuled(8)'s summary line too" \
    [ -n "$manline" -a "$(mask "$manline")" = "$(mask "$got")" ]

# The --list lines shown, each one a line of a real --list.
(cd "$TOP" && ./capsuled --root capsule --list 2>/dev/null) >"$T_TMP/list"
sed -n '/^`--list` prints/,/^Kinds are/p' "$readme" |
    grep -E '^    [^ ].*	' | sed 's/^    //' >"$T_TMP/shown"
check "the README shows --list lines" [ -s "$T_TMP/shown" ]
while IFS= read -r line; do
	check "--list gives '$line'" grep -qxF -e "$line" "$T_TMP/list"
done <"$T_TMP/shown"
finish
