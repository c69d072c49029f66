#!/bin/sh
# One session with sacc in tmux: the main menu, the newest post as text
# (in less), back, the archive, a year, and a post's own menu.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for c in sacc tmux less curl; do
	command -v $c >/dev/null || { echo "skip: no $c"; exit 77; }
done
# shellcheck source=gopher-common
. "$(dirname "$0")/gopher-common"

home=$T_TMP/home
mkdir -p "$home"
sock=$home/tmux.sock
tm() { tmux -S "$sock" "$@"; }
HOME=$home TERM=tmux-256color tmux -S "$sock" -f /dev/null new-session \
    -d -x 100 -y 40 "env PAGER=less LESS= sacc $GURL/1/" || {
	fail "tmux starts"
	finish
}
T_PIDS="$T_PIDS $(tm display-message -p '#{pid}')"
tm set-option -g remain-on-exit on >/dev/null

screen() { tm capture-pane -p; }
# wait_screen TEXT: up to 10 s for TEXT on the screen.
wait_screen() {
	i=0
	while [ "$i" -lt 100 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "screen while waiting for '$1':"
	screen
	return 1
}
# No row sacc could not parse, no server error item.
clean_screen() { ! screen | grep -q '^ ? +\|^Err|'; }
keys() { tm send-keys "$@"; sleep 0.3; }

ptitle=$(curl -s --max-time 10 "$GURL/1/" |
    awk -F '\t' '/^0/ { sub(/^0[0-9-]* - /, "", $1); print $1; exit }' |
    cut -c 1-30)

check "sacc: main menu" wait_screen "Archive by year"
check "sacc: main menu rows all parse" clean_screen
keys J l
check "sacc: newest post opens in the pager" wait_screen "$ptitle"
check "sacc: the post text has numbered references" wait_screen "[1] "
keys q
check "sacc: back to the main menu" wait_screen "Tags"
keys / Archive Enter
keys l
check "sacc: archive menu" wait_screen "Dir+ 2"
keys J l
check "sacc: a year's posts" wait_screen "Posts of"
keys J J l
check "sacc: a post's menu" wait_screen "This page as plain text"
check "sacc: post menu rows all parse" clean_screen
keys q
sleep 0.5
tm list-panes -F '#{pane_dead}' | grep -q 1 && ok "sacc: quits" ||
    fail "sacc: quits"
tm kill-server 2>/dev/null
check "daemon alive, no sanitizer report" daemon_healthy
finish
