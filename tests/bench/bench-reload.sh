#!/bin/sh
# Reload: a synthetic blog of 10,000 posts (tests/bench/gen-blog) served
# by the daemon, one post edited, then the time from the SIGHUP until a
# Gemini client gets the new text of that post, and the daemon's CPU
# time over the reload; beside it the cold build of the same tree
# (--check, wall time), measured in the same run, and the ratio.
# Medians of BENCH_RUNS reloads (5).  Prints figures; never fails on one.
#
#   RELOAD_SIZE=10000 BENCH_RUNS=5 sh tests/bench/bench-reload.sh
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOOLS:=$TOP/build/tools}"
: "${CAPSULED:=$TOP/capsuled}"
. "$TOP/tests/bench/lib.sh"
N="${RELOAD_SIZE:-10000}"
ROUNDS="${BENCH_RUNS:-5}"

if [ ! -x "$CAPSULED" ] || ! "$CAPSULED" --help >/dev/null 2>&1; then
	echo "skip: no runnable $CAPSULED"
	exit 0
fi
blog="$TOP/build/bench/blog-$N"
if [ ! -f "$blog/.done" ]; then
	rm -rf "$blog"
	mkdir -p "$TOP/build/bench"
	python3 "$TOP/tests/bench/gen-blog" "$N" "$blog" && : >"$blog/.done"
fi
# A copy of its own: the edits never touch the blog the others read.
root="$T_TMP/blog"
cp -R "$blog" "$root" || exit 1
if ! start_capsuled --root "$root" --listen 127.0.0.1 \
    --hostname localhost; then
	echo "capsuled did not start"
	exit 1
fi
python3 - "$CAPSULED" "$root" "$GEMINI_PORT" "$CAPSULED_PID" \
    "$CAPSULED_LOG" "$ROUNDS" <<'PY'
import os, re, signal, socket, ssl, statistics, subprocess, sys, time

prog, root, port, pid, log, rounds = sys.argv[1:7]
port, pid, rounds = int(port), int(pid), int(rounds)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
tck = os.sysconf("SC_CLK_TCK")

def fetch(path):
    with socket.create_connection(("127.0.0.1", port), 5) as raw:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(("gemini://localhost%s\r\n" % path).encode())
            out = b""
            while True:
                b = s.recv(65536)
                if not b:
                    return out
                out += b

def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tck

def reloads():
    return open(log, errors="replace").read().count("reloaded: ")

posts = sorted(os.listdir(os.path.join(root, "_posts")))
name = posts[len(posts) // 2]
path = "/posts/%s.gmi" % name[:-len(".md")]
if not fetch(path).startswith(b"20 "):
    sys.exit("%s: not served" % path)
src = os.path.join(root, "_posts", name)
orig = open(src).read()
walls, builds = [], []
for _ in range(rounds):
    t0 = time.monotonic()
    r = subprocess.run([prog, "--root", root, "--check"],
                       capture_output=True, text=True)
    walls.append(time.monotonic() - t0)
    m = re.search(r"(\d+) posts?.*, ([\d.]+) ms", r.stderr)
    builds.append(float(m.group(2)) / 1000 if m else 0)
served, cpus, reused = [], [], ""
for r in range(rounds):
    word = "Reloadmarker%d" % r
    with open(src, "w") as f:
        f.write(orig + "\n%s ends the post.\n" % word)
    before, c0 = reloads(), cpu()
    t0 = time.monotonic()
    os.kill(pid, signal.SIGHUP)
    while word.encode() not in fetch(path):
        if time.monotonic() - t0 > 120:
            sys.exit("the edit was not served within 120 s")
        time.sleep(0.002)
    served.append(time.monotonic() - t0)
    # The reload is over once logged: its CPU time, then the next.
    while reloads() == before and time.monotonic() - t0 < 120:
        time.sleep(0.005)
    cpus.append(cpu() - c0)
    m = re.findall(r"reloaded: .*", open(log, errors="replace").read())
    reused = m[-1] if m else ""
with open(src, "w") as f:
    f.write(orig)
cold, served_m = statistics.median(walls), statistics.median(served)
print("%d posts, %s edited, %d rounds" % (len(posts), name, rounds))
print("  cold --check      wall %8.1f ms (build %.1f ms)" % (
      cold * 1000, statistics.median(builds) * 1000))
print("  SIGHUP to served  wall %8.1f ms (min %.1f, max %.1f)  daemon CPU"
      " %.0f ms  %.3fx the cold build" % (
      served_m * 1000, min(served) * 1000, max(served) * 1000,
      statistics.median(cpus) * 1000, served_m / cold))
print("  last reload: %s" % reused.split(": ", 1)[-1])
PY
status=$?
stop_capsuled
exit $status
