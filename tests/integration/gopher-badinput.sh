#!/bin/sh
# The bad-input list over a raw socket: long, NUL, no line end, "..",
# percent tricks, Gopher+ suffixes, HTTP, garbage, URL: pages.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=gopher-common
. "$(dirname "$0")/gopher-common"

timeout 120 python3 "$GCLIENT" bad "$GOPHER_PORT" "$GTIMEOUT" \
    >"$T_TMP/bad" 2>&1
report "$T_TMP/bad"
check "daemon alive, no sanitizer report" daemon_healthy
finish
