#!/bin/sh
# A reload gives the bytes of a cold build: a synthetic blog with
# Liquid in every post (tests/bench/gen-blog --liquid: includes, loops
# over site.posts and _data, post_url links) served by the daemon, then
# rounds of random edits (a post's text, title, date or tags, a post
# added or removed, an include, a _data file, _config.yml), each
# followed by SIGHUP; after each reload every document of a cold
# --export of the same tree is fetched over Gemini and must be byte for
# byte the exported file, and, unless an include, _data or _config.yml
# changed, the reload must have reused some posts' Markdown stages (the
# incremental path ran).  The edits come from a
# seed (RELOAD_SEED, printed) so that a failure can be replayed.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SEED=${RELOAD_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
ROUNDS=3
root="$T_TMP/blog"
python3 "$TOP/tests/bench/gen-blog" --liquid 40 "$root" || exit 1
start_capsuled --root "$root" --hostname localhost || exit 1
echo "seed $SEED"

# edit ROUND: the round's random edits, one line each on stdout.
edit() {
	python3 - "$root" "$SEED" "$1" <<'PY'
import os, random, sys
root, seed, rnd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed * 100 + rnd)
posts = os.path.join(root, "_posts")
def names():
    return sorted(f for f in os.listdir(posts) if f.endswith(".md"))
def read(p):
    return open(p, encoding="utf-8").read()
def write(p, s):
    with open(p, "w", encoding="utf-8") as f:
        f.write(s)
def fm_set(text, key, value):
    head, sep, body = text.partition("\n---\n")
    lines = [l for l in head.split("\n") if not l.startswith(key + ":")]
    return "\n".join(lines + ["%s: %s" % (key, value)]) + sep + body
kinds = ["text", "text", "title", "tags", "date", "add", "remove",
         "include", "data", "config"]
for k in range(r.randint(1, 4)):
    kind = r.choice(kinds)
    name = r.choice(names())
    p = os.path.join(posts, name)
    word = "edit%d%d%d" % (seed, rnd, k)
    if kind == "text":
        write(p, read(p) + "\nA paragraph with %s in it.\n" % word)
    elif kind == "title":
        write(p, fm_set(read(p), "title", '"Retitled %s"' % word))
    elif kind == "tags":
        write(p, fm_set(read(p), "tags", "[%s, eBPF]" % word))
    elif kind == "date":
        write(p, fm_set(read(p), "date", "2008-0%d-1%d" % (
            r.randint(1, 9), r.randint(0, 9))))
    elif kind == "add":
        new = "2009-12-%02d-added-%s.md" % (r.randint(1, 28), word)
        write(os.path.join(posts, new), "---\ntitle: Added %s\n---\n\n"
              "New text, see [a post]({%% post_url %s %%}).\n"
              % (word, name[:-3]))
        name = new
    elif kind == "remove":
        # One no post links to with post_url (the build reports those).
        texts = [read(os.path.join(posts, n)) for n in names()]
        free = [n for n in names() if not any(n[:-3] in t for t in texts)]
        if free:
            name = r.choice(free)
            os.unlink(os.path.join(posts, name))
        else:
            kind = "(none to remove)"
    elif kind == "include":
        inc = os.path.join(root, "_includes", "sig.html")
        write(inc, read(inc) + "<em>%s</em>\n" % word)
        name = "_includes/sig.html"
    elif kind == "data":
        d = os.path.join(root, "_data", "maps.yml")
        write(d, "- name: %s\n  key: 1\n  value: 2\n" % word + read(d))
        name = "_data/maps.yml"
    elif kind == "config":
        c = os.path.join(root, "_config.yml")
        write(c, read(c).replace("description: ",
                                 "description: %s " % word, 1))
        name = "_config.yml"
    print("  %s %s" % (kind, name))
PY
}

# compare DIR: every exported file fetched over Gemini, the same bytes;
# prints the count compared and the differing paths.
compare() {
	python3 - "$1" "$GEMINI_PORT" <<'PY'
import os, socket, ssl, sys
out, port = sys.argv[1], int(sys.argv[2])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
def fetch(path):
    with socket.create_connection(("127.0.0.1", port), 10) as raw:
        raw.settimeout(10)
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(("gemini://localhost%s\r\n" % path).encode())
            got = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
    head, _, body = got.partition(b"\r\n")
    return head, body
n, bad = 0, []
for top, dirs, files in os.walk(out):
    for f in sorted(files):
        rel = os.path.relpath(os.path.join(top, f), out)
        path = "/" + rel.replace(os.sep, "/")
        head, body = fetch(path)
        n += 1
        if not head.startswith(b"20 ") or body != open(
                os.path.join(top, f), "rb").read():
            bad.append("%s (%s)" % (path, head.decode(errors="replace")))
print(n)
for b in bad[:20]:
    print(b)
sys.exit(1 if bad or n == 0 else 0)
PY
}

r=1
while [ $r -le $ROUNDS ]; do
	echo "round $r:"
	edit $r >"$T_TMP/edits"
	cat "$T_TMP/edits"
	before=$(grep -c "reloaded: " "$CAPSULED_LOG")
	kill -HUP "$CAPSULED_PID"
	if ! wait_log "reloaded: " $((before + 1)) 120; then
		fail "round $r: no reload logged"
		break
	fi
	reused=$(grep "reloaded: " "$CAPSULED_LOG" | tail -n 1 |
	    sed -n 's/.*page[s]*, \([0-9]*\) posts* reused.*/\1/p')
	# An include, _data or _config.yml edited: every post may read it.
	if grep -qE '^  (include|data|config) ' "$T_TMP/edits"; then
		echo "round $r: ${reused:-no} posts reused after a site-wide edit"
	else
		check "round $r: the reload reused posts (${reused:-none})" \
		    [ "${reused:-0}" -gt 0 ]
	fi
	rm -rf "$T_TMP/cold"
	"$CAPSULED" --root "$root" --hostname localhost --port "$GEMINI_PORT" \
	    --gopher-port "$GOPHER_PORT" --export "$T_TMP/cold" --quiet \
	    2>"$T_TMP/cold.err"
	check "round $r: cold export exits 0" [ $? -eq 0 ]
	if got=$(compare "$T_TMP/cold"); then
		ok "round $r: $(echo "$got" | head -n 1) documents served as a" \
		    "cold export of the same tree has them"
	else
		fail "round $r: documents differ from the cold export (seed" \
		    "$SEED):"
		echo "$got" | sed 's/^/    /'
	fi
	r=$((r + 1))
done
stop_capsuled
check "stops cleanly" [ "$CAPSULED_STATUS" -eq 0 ]
finish
