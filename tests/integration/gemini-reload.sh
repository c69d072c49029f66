#!/bin/sh
# SIGHUP: new content is picked up while a load runs, with no failed
# request; broken content leaves the rest serving; content that cannot
# load at all leaves the old snapshot serving; a removed post is gone
# (52); a SIGHUP or SIGUSR1 while starting is held until the server
# serves.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

G="$TOOLS/gemload"
[ -x "$G" ] || { echo "no $G"; exit 77; }
make_capsule "$T_TMP/capsule"
start_capsuled --root "$T_TMP/capsule" || exit 1
base="gemini://localhost:$GEMINI_PORT"
post="$T_TMP/capsule/_posts/2024-01-02-hello.md"

body() { gem "$base$1\r\n" 2>/dev/null; }

check "before: the original text" \
    sh -c 'echo "$1" | grep -q "Hello from the first post"' - \
    "$(body /posts/2024-01-02-hello.gmi)"

# A load on the post and the home page during the reload.
"$G" -a 127.0.0.1 -p "$GEMINI_PORT" -u /posts/2024-01-02-hello.gmi -c 4 -d 4 \
    >"$T_TMP/load1" 2>&1 &
load1=$!
"$G" -a 127.0.0.1 -p "$GEMINI_PORT" -u / -c 2 -d 4 -r \
    >"$T_TMP/load2" 2>&1 &
load2=$!
sleep 1
sed -i 's/Hello from the first post./Edited while serving./' "$post"
kill -HUP "$CAPSULED_PID"
sleep 1
check "after SIGHUP: the edited text" \
    sh -c 'echo "$1" | grep -q "Edited while serving"' - \
    "$(body /posts/2024-01-02-hello.gmi)"
kill -HUP "$CAPSULED_PID"
wait "$load1"
rc1=$?
wait "$load2"
rc2=$?
for f in load1 load2; do
	if grep -q 'RESULT.* errors=0 ' "$T_TMP/$f" &&
	    ! grep -q 'RESULT.* ok=0 ' "$T_TMP/$f"; then
		ok "no failed request in $f across two reloads: $(grep RESULT "$T_TMP/$f")"
	else
		fail "requests failed in $f"
		sed 's/^/    /' "$T_TMP/$f"
	fi
done
check "load generators exited cleanly" [ "$rc1" -eq 0 -a "$rc2" -eq 0 ]

# Broken front matter in one post: the rest keeps serving.
printf -- '---\ntitle: [unclosed\n---\nbroken\n' \
    >"$T_TMP/capsule/_posts/2024-03-04-broken.md"
printf -- '---\ntitle: "Third"\n---\nA third post.\n' \
    >"$T_TMP/capsule/_posts/2024-03-05-third.md"
kill -HUP "$CAPSULED_PID"
sleep 1
check "broken post: the other posts still served" \
    sh -c 'echo "$1" | grep -q "Edited while serving"' - \
    "$(body /posts/2024-01-02-hello.gmi)"
check "broken post: a new good post is served" \
    sh -c 'echo "$1" | grep -q "A third post"' - "$(body /posts/2024-03-05-third.gmi)"
got=$(status_line "$base/\r\n")
check "broken post: home page served ($got)" [ "${got%% *}" = 20 ]
check "broken post: the error is logged with its file" \
    grep -q "2024-03-04-broken.md" "$CAPSULED_LOG"

# Content that cannot load at all: the old snapshot keeps serving.
mv "$T_TMP/capsule" "$T_TMP/capsule.away"
kill -HUP "$CAPSULED_PID"
sleep 1
check "root gone: still serving the previous content" \
    sh -c 'echo "$1" | grep -q "A third post"' - "$(body /posts/2024-03-05-third.gmi)"
check "root gone: reload failure logged" grep -q "reload failed" \
    "$CAPSULED_LOG"
mv "$T_TMP/capsule.away" "$T_TMP/capsule"

# A post removed before a reload answers 52, after later reloads too;
# put back, it is served again.
third="$T_TMP/capsule/_posts/2024-03-05-third.md"
mv "$third" "$T_TMP/third.md"
kill -HUP "$CAPSULED_PID"
sleep 1
kill -HUP "$CAPSULED_PID"
sleep 1
got=$(status_line "$base/posts/2024-03-05-third.gmi\r\n")
check "removed post, two reloads later: 52 ($got)" [ "${got%% *}" = 52 ]
got=$(status_line "$base/posts/2024-03-06-never.gmi\r\n")
check "a post never published: 51 ($got)" [ "${got%% *}" = 51 ]
mv "$T_TMP/third.md" "$third"
kill -HUP "$CAPSULED_PID"
sleep 1
got=$(status_line "$base/posts/2024-03-05-third.gmi\r\n")
check "the post put back: 20 ($got)" [ "${got%% *}" = 20 ]

check "SIGTERM: clean exit" stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]

# A SIGHUP while capsuled starts (here, building 2,000 posts) is held,
# then acted on once it serves: neither lost nor fatal.
many="$T_TMP/many"
make_capsule "$many"
i=0
while [ $i -lt 2000 ]; do
	printf -- '---\ntitle: "Post %d"\n---\nText %d.\n' $i $i \
	    >"$many/_posts/2023-01-01-p$i.md"
	i=$((i + 1))
done
"$CAPSULED" --root "$many" --port "$(free_port)" --gopher-port 0 \
    --certs "$T_TMP/certs" >"$T_TMP/early.log" 2>&1 &
early=$!
T_PIDS="$T_PIDS $early"
# SIGHUP is bit 0 of the blocked mask, SIGUSR1 bit 9: both held.
held=no
i=0
while [ $i -lt 300 ]; do
	mask=$(awk '/^SigBlk/ { print $2 }' "/proc/$early/status" 2>/dev/null)
	if [ -n "$mask" ] && [ $((0x$mask & 0x201)) -eq $((0x201)) ]; then
		held=yes
		break
	fi
	sleep 0.01
	i=$((i + 1))
done
check "a SIGHUP and a SIGUSR1 are held while starting" [ "$held" = yes ]
kill -HUP "$early" 2>/dev/null
kill -USR1 "$early" 2>/dev/null
# Two builds of 2,002 posts, which the sanitized build on a busy
# machine takes far longer than 10 s over.
check "served after the SIGHUP" wait_text "$T_TMP/early.log" "serving " 1 120
check "then reloaded" wait_text "$T_TMP/early.log" "reloaded: 2002 posts" 1 120
check "the SIGUSR1 acted on too" wait_text "$T_TMP/early.log" \
    "SIGUSR1: no log file to reopen"
check "still running" kill -0 "$early"
CAPSULED_PID=$early
check "SIGTERM: clean exit" stop_capsuled
check "exit status 0" [ "$CAPSULED_STATUS" -eq 0 ]
finish
