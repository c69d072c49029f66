#!/bin/sh
# jekyll-redirect-from on the real daemon: each redirect_from path of a
# document answers 31 to its capsule path, a document with redirect_to
# answers 31 to its target (a page of the site mapped, a web URL as it
# is), with the test client; on Gopher (curl) each redirect is a text
# naming the target and a menu whose item leads to it.  A site that
# does not list the plugin has none of them.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || { echo "skip: no curl"; exit 77; }

site="$T_TMP/capsule"
make_capsule "$site"
cat >>"$site/_config.yml" <<'EOF'
plugins:
  - jekyll-redirect-from
EOF
cat >"$site/about.md" <<'EOF'
---
title: About
permalink: /about/
redirect_from:
  - /about-us/
  - /team.html
  - history
---
About this capsule.
EOF
cat >"$site/moved.md" <<'EOF'
---
title: Moved
redirect_to: /about/
---
Never shown.
EOF
cat >"$site/away.md" <<'EOF'
---
redirect_to: https://example.net/elsewhere/
---
Never shown.
EOF
cat >"$site/_posts/2024-03-04-storm.md" <<'EOF'
---
title: Storm
redirect_from: /2024/storm/
---
Waves.
EOF

start_capsuled --root "$site" || exit 1
B="gemini://localhost:$GEMINI_PORT"
for p in /about-us.gmi /team.gmi /history.gmi /moved.gmi; do
	got=$(status_line "$B$p\r\n")
	check "$p answers 31 to the page ($got)" [ "$got" = "31 /about.gmi" ]
done
got=$(status_line "$B/2024/storm.gmi\r\n")
check "a post's redirect_from ($got)" \
    [ "$got" = "31 /posts/2024-03-04-storm.gmi" ]
got=$(status_line "$B/away.gmi\r\n")
check "redirect_to a web URL, as it is ($got)" \
    [ "$got" = "31 https://example.net/elsewhere/" ]
got=$(status_line "$B/about.gmi\r\n")
check "the document itself is served ($got)" \
    [ "$got" = "20 text/gemini; lang=en" ]
got=$(status_line "$B/nowhere.gmi\r\n")
check "any other path: 51 ($got)" [ "${got%% *}" = 51 ]

G="gopher://127.0.0.1:$GOPHER_PORT"
curl -s --max-time 10 "$G/1/team/" >"$T_TMP/menu"
check "Gopher: the redirect's menu links the page" \
    grep -q "^0About	/about.txt	" "$T_TMP/menu"
curl -s --max-time 10 "$G/0/team.txt" >"$T_TMP/text"
check "Gopher: the redirect's text says where" \
    grep -q "moved" "$T_TMP/text"
curl -s --max-time 10 "$G/1/away/" >"$T_TMP/away"
check "Gopher: redirect_to a web URL, an h item" \
    grep -q "^h.*	URL:https://example.net/elsewhere/	" "$T_TMP/away"
stop_capsuled
check "stopped cleanly" [ "$CAPSULED_STATUS" -eq 0 ]

# Not listed: no redirect, the document as any other.
grep -v -e '^plugins:' -e 'jekyll-redirect-from' "$site/_config.yml" \
    >"$T_TMP/config" && cp "$T_TMP/config" "$site/_config.yml"
start_capsuled --root "$site" || exit 1
B="gemini://localhost:$GEMINI_PORT"
got=$(status_line "$B/team.gmi\r\n")
check "without the plugin: no redirect ($got)" [ "${got%% *}" = 51 ]
got=$(status_line "$B/moved.gmi\r\n")
check "without the plugin: the document ($got)" [ "${got%% *}" = 20 ]
stop_capsuled
finish
