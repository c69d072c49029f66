#!/usr/bin/env python3
"""The Jekyll differential test: capsuled against the real Jekyll.

For each site folder: Jekyll builds a copy with layouts that print only
the title and {{ content }}, and lists its documents through a Liquid
page (prepare.rb); capsuled exports the site as it is and lists its
documents (--list).  Every document Jekyll writes (posts, HTML pages,
collection documents) is looked for in the capsule and compared: words
in order, links, images, code blocks, table cells, title.  The figures
are held against per-site floors (floors) and the targets of the
project's issues; allow lists misses that have a reason.  README.md
says what each figure counts.  Standard library only.

  jdiff.py [options] SITE_DIR...
"""
import argparse
import difflib
import hashlib
import inspect
import json
import math
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from readers import (contains, emoji_names, emojifier, read_gemtext,  # noqa: E402
                     read_html, tokens)

HERE = os.path.dirname(os.path.abspath(__file__))
LIST_PAGE = "jdiff-documents.txt"
# The URL a post_url to a post the site lacks gets, when Jekyll had to be
# made lenient about it (see build_reference): links there are not counted.
MISSING_POST = "/jdiff-missing-post/"
# site.time of both builds where the site's _config.yml gives no time:
# (a page may pick its words by it), fixed, so that a cached build of
# Jekyll and today's capsuled agree on it and on what is in the future.
SITE_TIME = "2030-01-01 00:00:00 +0000"

# name, kind: "count" found of a total (the floor is a number found),
# "max" a number of problems (the floor is the most allowed), "pct" a
# percentage (the floor is the least allowed)
FIGURES = [("documents", "count"), ("errors", "max"), ("liquid", "max"),
           ("leaks", "max"), ("recall", "pct"), ("precision", "pct"),
           ("links", "count"), ("images", "count"), ("code", "count"),
           ("cells", "count"), ("titles", "count"), ("redirects", "count")]
KIND = dict(FIGURES)
TARGETS = {"documents": "all", "errors": "0", "liquid": "0", "leaks": "0",
           "recall": "99.50", "precision": "98.00", "links": "all",
           "images": "all", "code": "all", "cells": "all", "titles": "all",
           "redirects": "all"}
LIQUID_WARNING = re.compile(r": warning: .*(unknown Liquid|dropped)")


def say(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------------------
# The reference build, cached by content


def tree_hash(root, h):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in (".git", ".jekyll-cache"))
        for f in sorted(files):
            p = os.path.join(d, f)
            h.update(os.path.relpath(p, root).encode() + b"\0")
            if os.path.islink(p):
                h.update(b"->" + os.readlink(p).encode())
            elif os.path.isfile(p):
                with open(p, "rb") as fp:
                    h.update(fp.read())
            h.update(b"\0")


def jekyll_identity():
    """What names the Jekyll in use: its packages' versions when dpkg
    knows them, else what `jekyll --version` says."""
    exe = shutil.which("jekyll") or ""
    ident = [os.path.realpath(exe) if exe else "-"]
    if shutil.which("dpkg-query"):
        r = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package} ${Version}\\n", "jekyll",
             "ruby-jekyll-*", "ruby-kramdown*", "ruby-liquid", "ruby-rouge",
             "ruby"], capture_output=True, text=True)
        ident.append(r.stdout)
    if len(ident) < 2 or "jekyll " not in ident[1]:
        r = subprocess.run(["jekyll", "--version"], capture_output=True,
                           text=True)
        ident.append(r.stdout)
    return "\n".join(ident)


def jekyll_env():
    env = dict(os.environ)
    # UTF-8 whatever the caller's locale; UTC where the site names no
    # timezone; no Bundler (the site's Gemfile names gems not here)
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC",
               JEKYLL_NO_BUNDLER_REQUIRE="1")
    env.pop("JEKYLL_ENV", None)
    return env


POST_URL_PLUGIN = """\
# Added by the differential test: the site names posts it does not hold
# and Jekyll stops on that; such links get a URL the test leaves out.
module Jekyll
  module Tags
    class PostUrl
      alias_method :jdiff_render, :render
      def render(context)
        jdiff_render(context)
      rescue Jekyll::Errors::PostURLError
        Jekyll.logger.warn "post_url:", "no post #{@orig_post}"
        "%s#{@orig_post}/"
      end
    end
  end
end
""" % MISSING_POST


def build_reference(site, d):
    """Copy site to d/ref, prepare it, build it into d/html.  When Jekyll
    stops, one change at a time, each noted in d/overlay.log: a lenient
    post_url (the site links posts it does not hold), then without the
    site's own _plugins.  Returns None or why it failed."""
    ref, out = os.path.join(d, "ref"), os.path.join(d, "html")
    shutil.copytree(site, ref, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "_site",
                                                  ".jekyll-cache"))
    overlay = os.path.join(d, "overlay.log")
    r = subprocess.run(["ruby", os.path.join(HERE, "prepare.rb"), ref,
                        overlay, SITE_TIME], capture_output=True, text=True,
                       env=jekyll_env(), timeout=600)
    if r.returncode != 0:
        return "prepare.rb failed: " + (r.stderr.strip() or "?")[-300:]
    configs = [os.path.join(ref, c) for c in ("_config.yml", "_config.yaml")
               if os.path.isfile(os.path.join(ref, c))]
    configs.append(os.path.join(ref, "_jdiff.yml"))
    plugins = os.path.join(ref, "_plugins")
    fixes = ["post_url", "plugins"]
    for attempt in range(len(fixes) + 1):
        shutil.rmtree(out, ignore_errors=True)
        with open(os.path.join(d, "jekyll.log"), "w") as log:
            r = subprocess.run(["jekyll", "build", "--source", ref,
                                "--destination", out,
                                "--config", ",".join(configs)],
                               stdout=log, stderr=subprocess.STDOUT,
                               env=jekyll_env(), timeout=900)
        if r.returncode == 0 and os.path.isfile(os.path.join(out, LIST_PAGE)):
            return None
        text = open(os.path.join(d, "jekyll.log"), errors="replace").read()
        why = next((l.strip() for l in text.split("\n") if re.search(
            r"error|exception|could not|must", l, re.I)), "no list written")
        why = re.sub(r"\x1b\[[0-9;]*m", "", why.replace(ref + os.sep, ""))
        with open(overlay, "a") as ov:
            ov.write("jekyll stopped: %s\n" % why)
            while fixes:
                fix = fixes.pop(0)
                if fix == "post_url" and "Could not find post" in text:
                    os.makedirs(plugins, exist_ok=True)
                    with open(os.path.join(plugins, "jdiff_post_url.rb"),
                              "w") as fp:
                        fp.write(POST_URL_PLUGIN)
                    ov.write("post_url made lenient: links to posts the "
                             "site lacks are left out\n")
                    break
                if fix == "plugins" and os.path.isdir(plugins) and any(
                        f != "jdiff_post_url.rb" for f in os.listdir(plugins)):
                    for f in os.listdir(plugins):
                        if f != "jdiff_post_url.rb":
                            p = os.path.join(plugins, f)
                            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
                    ov.write("the site's _plugins removed\n")
                    break
            else:
                return "jekyll failed: " + why
    return "jekyll failed"


def reference(site, cache, ident):
    """The cached build of site, rebuilt when the site, the test's build
    recipe or Jekyll changed.  Returns (dir, error, seconds or None)."""
    name = os.path.basename(os.path.normpath(site))
    d = os.path.join(cache, name)
    h = hashlib.sha256()
    h.update(os.path.realpath(site).encode() + b"\0" + ident.encode())
    h.update(open(os.path.join(HERE, "prepare.rb"), "rb").read())
    h.update(inspect.getsource(build_reference).encode() +
             POST_URL_PLUGIN.encode() + SITE_TIME.encode())
    tree_hash(site, h)
    key = h.hexdigest()
    kf = os.path.join(d, "key")
    if os.path.isfile(kf) and open(kf).read().strip() == key:
        err = open(os.path.join(d, "error")).read() if \
            os.path.isfile(os.path.join(d, "error")) else None
        return d, err, None
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    t = time.monotonic()
    try:
        err = build_reference(site, d)
    except subprocess.TimeoutExpired:
        err = "jekyll took too long"
    if err:
        open(os.path.join(d, "error"), "w").write(err)
    # the copy is not needed once built
    shutil.rmtree(os.path.join(d, "ref"), ignore_errors=True)
    open(kf, "w").write(key + "\n")
    return d, err, time.monotonic() - t


# ---------------------------------------------------------------------------
# Both sides' lists of documents


def url_key(path):
    """One key for the forms a web server answers for one page: /a/,
    /a/index.html, /a.html, /a."""
    p = urllib.parse.unquote(path.split("#")[0].split("?")[0])
    if p.endswith("/index.html"):
        p = p[:-len("index.html")]
    elif p.endswith(".html"):
        p = p[:-len(".html")]
    return p.rstrip("/") or "/"


def dest_file(out, url):
    p = os.path.join(out, urllib.parse.unquote(url).lstrip("/"))
    for c in (os.path.join(p, "index.html") if url.endswith("/") else p,
              p + ".html"):
        if os.path.isfile(c):
            return c
    return None


class JekyllSite:
    """Jekyll's own account of the site (the list page it wrote)."""

    def __init__(self, out, site_dir):
        self.url, self.base = "", ""
        self.documents = []     # dict(source, url, kind, file)
        self.outputs = set()    # every source Jekyll wrote something for
        self.by_url = {}        # url_key -> ("doc"|"static"|"redirect"|"page", value)
        self.redirects = {}     # url_key of a redirect -> its URL
        pages, html = [], set()
        for line in open(os.path.join(out, LIST_PAGE), encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if f[0] == "site" and len(f) >= 3:
                self.url = f[1].rstrip("/")
                self.base = f[2].rstrip("/")
            elif f[0] == "document" and len(f) >= 6:
                _, src, url, title, label, output = f[:6]
                hf = dest_file(out, url) if output == "true" else None
                if hf is None:
                    continue        # not written: unpublished, future...
                self.outputs.add(src)
                self.documents.append(dict(
                    source=src, url=url, file=hf, title=title,
                    kind="post" if label == "posts" else "document:" + label))
                self.by_url.setdefault(url_key(url), ("doc", src))
            elif f[0] == "page" and len(f) >= 5:
                pages.append(f[1:5])
            elif f[0] == "html" and len(f) >= 3:
                html.add((f[1], f[2]))
            elif f[0] == "static" and len(f) >= 2:
                src = f[1].lstrip("/")
                self.outputs.add(src)
                if len(f) < 5 or not f[4]:
                    self.by_url.setdefault(url_key("/" + src), ("static", src))
        seen = set()
        for src, url, title, redirect in pages:
            if src == LIST_PAGE:
                continue
            if redirect:
                self.by_url.setdefault(url_key(url), ("redirect", redirect))
                self.redirects[url_key(url)] = url
                if os.path.isfile(os.path.join(site_dir, src)):
                    self.outputs.add(src)
                continue
            self.outputs.add(src)
            hf = dest_file(out, url)
            if (src, url) in html and src not in seen and hf:
                seen.add(src)
                self.documents.append(dict(source=src, url=url, kind="page",
                                           file=hf, title=title))
                self.by_url.setdefault(url_key(url), ("doc", src))
            else:
                self.by_url.setdefault(url_key(url), ("page", src))
        self.host = urllib.parse.urlsplit(self.url).netloc.lower()


def problem(mode, rc, text):
    """Why a run of capsuled is not to be compared, or None.  Exit 1
    with a summary line is a site nothing could be built from (a bad
    _config.yml), which the figures show."""
    if re.search(r"ERROR: AddressSanitizer|runtime error:|LeakSanitizer", text):
        why = "a sanitizer report"
    elif rc not in (0, 1):
        why = "exit status %d" % rc
    elif not re.search(r"^capsuled: .*\d+ errors?", text, re.M):
        why = "no summary line"
    else:
        return None
    return "capsuled %s: %s: %s" % (mode, why, text.strip()[-300:])


def pinned(site, d):
    """The folder capsuled reads: site, or where its _config.yml gives
    no time:, a copy in d (files linked, not copied) whose _config.yml
    pins site.time to SITE_TIME, as prepare.rb does for Jekyll."""
    conf = os.path.join(site, "_config.yml")
    text = open(conf, encoding="utf-8", errors="replace").read() \
        if os.path.isfile(conf) else ""
    if re.search(r"^time\s*:", text, re.M):
        return site

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(site, d, symlinks=True, copy_function=link,
                    ignore=shutil.ignore_patterns(".git"))
    conf = os.path.join(d, "_config.yml")
    if os.path.exists(conf):
        os.remove(conf)         # a link to the site's own
    with open(conf, "w", encoding="utf-8") as fp:
        fp.write(text + ("" if text.endswith("\n") or not text else "\n") +
                 "time: %s\n" % SITE_TIME)
    return d


class Capsule:
    """capsuled's account of the same sources: --list and --export."""

    def __init__(self, binary, site, out, logs):
        env = dict(os.environ, TZ="UTC")
        shutil.rmtree(out, ignore_errors=True)
        r = subprocess.run([binary, "--root", site, "--list", "--quiet"],
                           capture_output=True, text=True, env=env,
                           timeout=600)
        self.failed = problem("--list", r.returncode, r.stderr)
        self.by_source, self.generated = {}, set()
        self.redirects = {}     # url_key of each path answering 31 -> its key
        for line in r.stdout.split("\n"):
            f = line.split("\t")
            if len(f) != 3:
                continue
            if f[1] == "redirect":
                p = f[2][:-len(".gmi")] if f[2].endswith(".gmi") else f[2]
                self.redirects[url_key(p[:-len("index")] if p.endswith(
                    "/index") else p)] = local_key(f[2])
                if f[0] == "-":
                    continue
            if f[1] == "generated":
                self.generated.add(local_key(f[2]))
            elif f[1] == "static" and f[0] in self.by_source:
                continue    # a page's source copied too (optional front matter)
            else:
                self.by_source[f[0]] = (f[1], f[2])
        log = os.path.join(logs, "capsuled.log")
        with open(log, "w") as fp:
            r = subprocess.run([binary, "--root", site, "--export", out],
                               stdout=fp, stderr=subprocess.STDOUT, env=env,
                               timeout=600)
        text = open(log, errors="replace").read()
        m = re.findall(r"^capsuled: .*$", text, re.M)
        self.summary = m[-1] if m else ""
        e = re.search(r"(\d+) errors?", self.summary)
        self.failed = self.failed or problem("--export", r.returncode, text)
        self.errors = int(e.group(1)) if e else 0
        self.error_lines = [l for l in text.split("\n") if ": error: " in l]
        self.liquid = [l for l in text.split("\n") if LIQUID_WARNING.search(l)]
        self.out = out

    def document(self, source):
        k = self.by_source.get(source)
        if k is None or k[0] in ("static", "generated", "redirect"):
            return None
        return k[1]

    def read(self, path):
        f = os.path.join(self.out, path.lstrip("/"))
        if path.endswith("/"):
            f = os.path.join(f, "index.gmi")
        try:
            return open(f, encoding="utf-8", errors="replace").read()
        except OSError:
            return None


# ---------------------------------------------------------------------------
# Links: where a link of the web page should land in the capsule


def local_key(path):
    p = urllib.parse.unquote(path.split("#")[0].split("?")[0])
    if p.endswith("/index.gmi"):
        p = p[:-len("index.gmi")]
    return "local:" + (p.rstrip("/") or "/")


def external_key(url):
    u = urllib.parse.urlsplit(urllib.parse.unquote(url.strip()))
    path = u.path.rstrip("/")
    return "web:%s://%s%s%s%s" % (u.scheme.lower(), u.netloc.lower(), path,
                                  "?" + u.query if u.query else "",
                                  "#" + u.fragment if u.fragment else "")


def gemtext_targets(links, docpath):
    """The key of each of a document's => targets, in order."""
    keys = []
    for target, _ in links:
        u = urllib.parse.urlsplit(target)
        if not u.scheme:
            keys.append(local_key(urllib.parse.urljoin(docpath, target)))
        elif u.scheme == "gemini" and (u.hostname or "") == "localhost":
            keys.append(local_key(u.path or "/"))
        else:
            keys.append(external_key(target))
    return keys


class Linker:
    def __init__(self, jekyll, capsule):
        self.j, self.c = jekyll, capsule

    def site_path(self, href, doc_url):
        """The path inside the site a link of the page at doc_url names
        (baseurl taken off), or None for a link off the site."""
        h = href.strip()
        if h.startswith("//"):
            h = "https:" + h
        u = urllib.parse.urlsplit(h)
        if u.scheme:
            if u.scheme not in ("http", "https") or not self.j.host or \
                    u.netloc.lower() != self.j.host:
                return None
            path = u.path or "/"
        else:
            path = urllib.parse.urlsplit(
                urllib.parse.urljoin(self.j.base + doc_url, h)).path
        path = re.sub(r"/{2,}", "/", path)
        # baseurl taken off, twice where it was doubled:
        # "{{ site.baseurl }}{% post_url x %}", written for Jekyll 3
        # whose post_url did not add it
        b = self.j.base
        for _ in range(2):
            if b and (path == b or path.startswith(b + "/")):
                path = path[len(b):] or "/"
        return path

    def expect(self, href, doc_url, depth=0):
        """(what, accepted keys): what the link points to, and the =>
        targets that render it."""
        path = self.site_path(href, doc_url)
        if path is None:
            return "web", {external_key(href)}
        if path.startswith(MISSING_POST):
            return "missing-post", set()
        here = local_key(path)
        web = {external_key(self.j.url + self.j.base + path)} if self.j.url else set()
        # the capsule's own page at that path (its home page for "/")
        gen = {here} if here in self.c.generated else set()
        what, v = self.j.by_url.get(url_key(path), ("dead", None))
        if what in ("doc", "static"):
            served = self.c.by_source.get(v)
            if served is None:
                return what + " not served", gen
            return what, {local_key(served[1])} | gen
        if what == "redirect" and depth == 0:
            w, keys = self.expect(v, doc_url, 1)
            own = self.c.redirects.get(url_key(path))
            return "redirect to " + w, keys | {here} | ({own} if own else set())
        # another output (a feed), or nothing: the web page, or the
        # same path
        return what, web | {here}


# ---------------------------------------------------------------------------
# One document


def norm_block(s):
    lines = [l.rstrip() for l in s.replace("\r", "").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def unmath(t):
    return re.sub(r"\\[()\[\]]|\$\$", "", t)


def compare_document(h, g, docpath, doc_url, title, linker):
    a = tokens(h["text"])
    b = tokens(g["text"])
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(m.size for m in sm.get_matching_blocks())
    head = tokens(g["head"])
    credited, missing, extra = 0, [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("delete", "replace"):
            run = a[i1:i2]
            # a heading of the body that repeats the title, which the
            # title block shows (left out of the gemtext's words)
            if (len(run) >= 2 or run == tokens(g["title"])) and \
                    " %s " % " ".join(run) in " %s " % " ".join(head):
                credited += len(run)
            else:
                missing.append(" ".join(run))
        if op in ("insert", "replace"):
            extra.append(" ".join(b[j1:j2]))
    r = dict(hw=len(a), gw=len(b), matched=matched, credited=credited,
             missing=missing, extra=extra)
    keys = gemtext_targets(g["links"], docpath)
    labels = [tokens(label) for _, label in g["links"]]
    # each link of the page wants a => line of its own (two forms of a
    # link to one page are two lines), except a link repeated with the
    # same href, which gemtext may give once.  Lines labelled with the
    # link's text are given first, so that a miss is put on the link
    # that has no line.
    free = list(keys)
    wants, left_out = [], 0
    for href, text in h["links"]:
        what, want = linker.expect(href, doc_url)
        if what == "missing-post":
            left_out += 1
            continue
        wants.append([href, what, want, tokens(text), None])
    for by_label in (True, False):
        for w in wants:
            if w[4] is not None:
                continue
            for i, k in enumerate(free):
                if k in w[2] and (not by_label or labels[i] == w[3]):
                    free[i] = None
                    w[4] = i
                    break
    # a link on the site repeated with another #fragment lands on the
    # same capsule path, which gemtext gives once per unit too
    def same(w):
        return w[0] if w[1].startswith("web") else w[0].split("#")[0]
    found = {same(w) for w in wants if w[4] is not None}
    links = [(w[0], w[1], w[4] is not None or same(w) in found)
             for w in wants]
    keys = set(keys)
    r["links"] = links
    r["links_left_out"] = left_out
    images = []
    for src in h["images"]:
        what, want = linker.expect(src, doc_url)
        images.append((src, what, bool(want & keys)))
    r["images"] = images
    blocks = ["\n%s\n" % norm_block(p) for p in g["pres"]]
    code = []
    for p in h["pres"]:
        n = norm_block(p)
        if n:
            code.append((n, any("\n%s\n" % n in blk for blk in blocks)))
    r["code"] = code
    # backticks on both sides: capsuled's code spans, and a raw cell's
    # own (HTML shows them as they are)
    flat = [unmath(" ".join(p.split())).replace("`", "") for p in g["pres"]]
    r["cells"] = [(" / ".join(c), any(all(unmath(l).replace("`", "").strip()
                                          in f for l in c) for f in flat))
                  for c in h["cells"]]
    r["title"] = None
    if title.strip():
        # shown when the capsule's title holds it (a title block
        # "About Whirl Offload" for a page titled "About" whose body
        # starts with that heading)
        r["title"] = (title, g["title"],
                      contains(tokens(g["title"]), tokens(title)))
    return r


# ---------------------------------------------------------------------------
# One site


def load_allow(path):
    allow = {}
    if not os.path.isfile(path):
        return allow
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        f = [x.strip() for x in line.split(" | ")]
        if len(f) != 5 or not f[4]:
            raise SystemExit("%s:%d: want 'site | figure | document | item "
                             "| reason'" % (path, n))
        allow[tuple(f[:4])] = f[4]
    return allow


def first_line(s):
    return next((l.strip() for l in s.split("\n") if l.strip()), "")


def run_site(site, name, args, ident, allow, used):
    """Figures and details of one site, or None with a reason."""
    logs = os.path.join(args.logs, name)
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    d, err, secs = reference(site, args.cache, ident)
    for f in ("overlay.log", "jekyll.log"):
        if os.path.isfile(os.path.join(d, f)):
            shutil.copy(os.path.join(d, f), logs)
    overlay = "; ".join(l.strip() for l in open(os.path.join(d, "overlay.log"))
                        ) if os.path.isfile(os.path.join(d, "overlay.log")) else ""
    say("== %s: jekyll %s%s" % (name, "cached" if secs is None else
                                 "built in %.1f s" % secs,
                                 "; " + overlay if overlay else ""))
    if err:
        return None, err
    out = os.path.join(d, "html")
    # A site that lists jemoji, which Debian lacks: its pass done on
    # Jekyll's text, as the plugin would.
    emojify = None
    if "dropped: jemoji" in overlay:
        names = emoji_names()
        if names is None:
            return None, ("jemoji's names missing: install "
                          "golang-github-yuin-goldmark-emoji-dev")
        emojify = emojifier(names)
    j = JekyllSite(out, site)
    c = Capsule(args.capsuled, pinned(site, os.path.join(args.cache,
                                                         name + ".src")),
                os.path.join(args.cache, name + ".gmi"), logs)
    say("== %s: %s" % (name, c.summary or "capsuled: no summary line"))
    if c.failed:
        return None, c.failed
    linker = Linker(j, c)

    def allowed(figure, doc, item):
        k = (name, figure, doc, item)
        if k in allow:
            used.add(k)
            return allow[k]
        return None

    det = []        # the details file, line by line
    F = {k: [0, 0] for k in ("documents", "links", "images", "code", "cells",
                             "titles", "redirects")}
    # jekyll-redirect-from's pages: the capsule answers 31 at each path
    for key, url in sorted(j.redirects.items()):
        F["redirects"][1] += 1
        if key in c.redirects:
            F["redirects"][0] += 1
        else:
            det.append("REDIRECT MISSING %s: no redirect at its path" % url)
    words = dict(hw=0, gw=0, matched=0, credited=0, lost_docs=0)
    left_out = 0
    for doc in sorted(j.documents, key=lambda x: x["source"]):
        src = doc["source"]
        html_text = open(doc["file"], encoding="utf-8", errors="replace").read()
        h = read_html(html_text, emojify)
        path = c.document(src)
        g = c.read(path) if path else None
        F["documents"][1] += 1
        if g is None:
            why = allowed("documents", src, "-")
            hw = len(tokens(h["text"]))
            if why:
                F["documents"][0] += 1
                det.append("DOCUMENT %s (%s) not served, allowed: %s" % (
                    src, doc["url"], why))
            else:
                words["hw"] += hw
                words["lost_docs"] += hw
                det.append("DOCUMENT MISSING %s (%s, %d words)%s" % (
                    src, doc["url"], hw,
                    ": listed at %s but not exported" % path if path else ""))
            continue
        F["documents"][0] += 1
        r = compare_document(h, read_gemtext(g), path, doc["url"],
                             doc["title"], linker)
        for k in ("hw", "gw", "matched", "credited"):
            words[k] += r[k]
        left_out += r["links_left_out"]
        rec = (r["matched"] + r["credited"]) / r["hw"] if r["hw"] else 1
        pre = r["matched"] / r["gw"] if r["gw"] else 1
        lines = []
        for m in sorted(r["missing"], key=lambda s: -len(s))[:args.show]:
            lines.append("  lost words: %s" % short(m, 300))
        for m in sorted(r["extra"], key=lambda s: -len(s))[:args.show]:
            if len(m.split()) >= 3:
                lines.append("  added words: %s" % short(m, 200))

        def tally(figure, items, fmt):
            for item, what, ok in items:
                F[figure][1] += 1
                if ok:
                    F[figure][0] += 1
                    continue
                why = allowed(figure, src, first_line(item))
                if why:
                    F[figure][0] += 1
                    lines.append("  %s missed, allowed: %s (%s)" % (
                        figure, fmt(item, what), why))
                else:
                    lines.append("  %s missing: %s" % (figure, fmt(item, what)))
        tally("links", r["links"], lambda i, w: "%s (%s)" % (i, w))
        tally("images", r["images"], lambda i, w: "%s (%s)" % (i, w))
        tally("code", [(p, "", ok) for p, ok in r["code"]],
              lambda i, w: repr(short(i, 160)))
        tally("cells", [(p, "", ok) for p, ok in r["cells"]],
              lambda i, w: repr(short(i, 120)))
        if r["title"]:
            F["titles"][1] += 1
            if r["title"][2]:
                F["titles"][0] += 1
            else:
                lines.append("  title: Jekyll %r, capsule %r" % r["title"][:2])
        det.append("%s %s -> %s: words %d recall %.2f%% precision %.2f%%" % (
            "OK" if not lines else "DOCUMENT", src, path, r["hw"], 100 * rec,
            100 * pre))
        det.extend(lines)
    # what capsuled serves from sources Jekyll does not publish
    leaks = sorted(s for s, (kind, _) in c.by_source.items()
                   if s not in j.outputs)
    for s in leaks:
        det.append("LEAK %s: served as %s at %s; Jekyll writes nothing for it"
                   % (s, c.by_source[s][0], c.by_source[s][1]))
    for l in c.error_lines:
        det.append("ERROR " + l)
    for l in c.liquid:
        det.append("LIQUID " + l)
    if left_out:
        det.append("NOTE %d links to posts the site lacks (post_url) left out"
                   % left_out)
    fig = {k: tuple(v) for k, v in F.items()}
    fig["errors"] = c.errors
    fig["liquid"] = len(c.liquid)
    fig["leaks"] = len(leaks)
    fig["recall"] = pct(words["matched"] + words["credited"], words["hw"])
    fig["precision"] = pct(words["matched"], words["gw"])
    fig["words"] = words
    with open(os.path.join(logs, "details.txt"), "w", encoding="utf-8") as fp:
        fp.write("# %s: %s\n# Jekyll: %d documents; capsuled: %s\n" % (
            name, site, len(j.documents), c.summary))
        fp.write("# words: Jekyll %d (%d in documents not served), capsuled "
                 "%d, matched %d (+%d in title blocks)\n" % (
                     words["hw"], words["lost_docs"], words["gw"],
                     words["matched"], words["credited"]))
        fp.write("\n".join(det) + "\n")
    json.dump(dict(site=name, figures=fig), open(
        os.path.join(logs, "figures.json"), "w"), indent=1)
    return fig, None


def pct(n, d):
    """percent, rounded down to two decimals; None when there is nothing
    to count (no words on that side)"""
    return math.floor(10000.0 * n / d) / 100 if d else None


def short(s, n):
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 1] + "…"


# ---------------------------------------------------------------------------
# Floors: the ratchet


def load_floors(path):
    rows = []       # (site, figure, floor, target) or a comment line
    if os.path.isfile(path):
        for line in open(path, encoding="utf-8"):
            f = line.split()
            if len(f) == 4 and not line.startswith("#") and f[1] in KIND:
                rows.append(tuple(f))
            else:
                rows.append(line.rstrip("\n"))
    return rows


def value_of(fig, figure):
    v = fig[figure]
    return v[0] if KIND[figure] == "count" else v


def meets(figure, value, floor):
    if floor == "-" or value is None:
        return floor == "-"
    if KIND[figure] == "max":
        return value <= float(floor)
    return value >= float(floor)


def meets_target(figure, fig):
    t = TARGETS[figure]
    v = fig[figure]
    if t == "all":
        return v[0] == v[1]
    return v is not None and meets(figure, v, t)


def fmt_value(figure, fig):
    v = fig[figure]
    if KIND[figure] == "count":
        return "%d/%d" % v
    if KIND[figure] == "pct":
        return "-" if v is None else "%.2f" % v
    return str(v)


def target_text(figure, fig):
    """the target as the floors file writes it: for a count, how many
    there are"""
    return str(fig[figure][1]) if KIND[figure] == "count" else TARGETS[figure]


def write_floors(path, rows, results):
    """--raise: floors up to today's figures (never down), sites and
    figures without a floor added, the targets of counts brought to
    today's totals."""
    have = {(r[0], r[1]) for r in rows if isinstance(r, tuple)}
    out = []
    for r in rows:
        if isinstance(r, tuple) and r[0] in results and results[r[0]]:
            fig = results[r[0]]
            v = value_of(fig, r[1])
            t = target_text(r[1], fig)
            if v is None or not meets(r[1], v, r[2]) and r[2] != "-" or \
                    same(v, r[2]):
                out.append((r[0], r[1], r[2], t))
            else:
                out.append((r[0], r[1], floor_text(r[1], v), t))
        else:
            out.append(r)
    for s, fig in results.items():
        if not fig:
            continue
        for figure, _ in FIGURES:
            if (s, figure) not in have:
                out.append((s, figure, floor_text(figure, value_of(fig, figure)),
                            target_text(figure, fig)))
    with open(path, "w", encoding="utf-8") as fp:
        for r in out:
            if isinstance(r, tuple):
                fp.write("%-16s %-10s %-8s %s\n" % r)
            else:
                fp.write(r + "\n")


def floor_text(figure, v):
    if v is None:
        return "-"
    return "%.2f" % v if KIND[figure] == "pct" else str(int(v))


def same(value, floor):
    if value is None or floor == "-":
        return value is None and floor == "-"
    return value == float(floor)


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sites", nargs="*", help="Jekyll site folders")
    ap.add_argument("--capsuled", required=True)
    ap.add_argument("--cache", required=True, help="Jekyll builds, by site")
    ap.add_argument("--logs", required=True, help="details, by site")
    ap.add_argument("--floors", default=os.path.join(HERE, "floors"))
    ap.add_argument("--allow", default=os.path.join(HERE, "allow"))
    ap.add_argument("--corpus", help="without SITE_DIR: the folder of "
                    "corpora compared beside the made-up sites")
    ap.add_argument("--show", type=int, default=5,
                    help="lost and added runs of words listed per document")
    ap.add_argument("--raise", dest="raise_floors", action="store_true",
                    help="raise the floors to today's figures, add missing")
    args = ap.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    os.makedirs(args.logs, exist_ok=True)
    if not shutil.which("jekyll") or not shutil.which("ruby"):
        say("jekyll is not installed (contrib/deps.sh --test): skipped")
        return 77
    ident = jekyll_identity()
    allow = load_allow(args.allow)
    used = set()
    rows = load_floors(args.floors)
    floors = {(r[0], r[1]): r for r in rows if isinstance(r, tuple)}
    results, problems = {}, {}
    passed = failed = skipped = 0
    notes = []
    if not args.sites:
        # the made-up sites, the corpora there are; a site with floors
        # and no folder is skipped (CI has no corpora)
        found = [os.path.join(HERE, "sites", n) for n in
                 sorted(os.listdir(os.path.join(HERE, "sites")))]
        if args.corpus and os.path.isdir(args.corpus):
            found += [os.path.join(args.corpus, n) for n in
                      sorted(os.listdir(args.corpus)) if os.path.isfile(
                          os.path.join(args.corpus, n, "_config.yml"))]
        args.sites = found
        names = {os.path.basename(p) for p in found}
        for n in sorted({s for s, _ in floors} - names):
            say("== %s: skipped: no such site in %s (corpora are not part "
                "of the project)" % (n, args.corpus or "tests/jekyll/sites"))
            skipped += 1
    for site in args.sites:
        name = os.path.basename(os.path.normpath(site))
        t = time.monotonic()
        fig, why = run_site(site, name, args, ident, allow, used)
        say("== %s: compared in %.1f s; details in %s" % (
            name, time.monotonic() - t, os.path.join(args.logs, name,
                                                   "details.txt")))
        results[name] = fig
        if fig is None:
            problems[name] = why
            say("FAIL %s: %s" % (name, why))
            failed += 1
            continue
        for figure, _ in FIGURES:
            f = floors.get((name, figure))
            if f is None:
                continue
            v = value_of(fig, figure)
            if meets(figure, v, f[2]) or (f[2] == "-" and v is not None):
                passed += 1
                if not same(v, f[2]):
                    notes.append("RAISE %s %s: %s, floor %s (tests/jekyll/"
                                 "run.sh --raise)" % (name, figure,
                                                      fmt_value(figure, fig), f[2]))
            else:
                failed += 1
                notes.append("FAIL %s %s: %s is below its floor %s" % (
                    name, figure, fmt_value(figure, fig), f[2]))
        if not any(s == name for s, _ in floors):
            notes.append("NOTE %s has no floors (tests/jekyll/run.sh --raise "
                         "adds them)" % name)
    for k in sorted(set(allow) - used):
        if k[0] in results and results[k[0]]:
            notes.append("STALE allow entry, nothing missed: %s" % " | ".join(k))
    for n in notes:
        say(n)
    table(results, floors)
    if args.raise_floors:
        write_floors(args.floors, rows, results)
        say("floors written to %s" % args.floors)
    say("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


def total(figs):
    """the figures of several sites together"""
    t = {}
    for f, kind in FIGURES:
        if kind == "count":
            t[f] = (sum(x[f][0] for x in figs), sum(x[f][1] for x in figs))
        elif kind == "max":
            t[f] = sum(x[f] for x in figs)
    w = {k: sum(x["words"][k] for x in figs) for k in figs[0]["words"]}
    t["recall"] = pct(w["matched"] + w["credited"], w["hw"])
    t["precision"] = pct(w["matched"], w["gw"])
    t["words"] = w
    return t


def table(results, floors):
    cols = [("documents", "docs"), ("errors", "err"), ("liquid", "liq"),
            ("leaks", "leak"), ("recall", "recall"), ("precision", "precis"),
            ("links", "links"), ("images", "images"), ("code", "code"),
            ("cells", "cells"), ("titles", "titles"), ("redirects", "redir")]
    width = {"documents": 9, "errors": 4, "liquid": 4, "leaks": 4,
             "recall": 6, "precision": 6, "links": 9, "images": 7,
             "code": 7, "cells": 7, "titles": 7, "redirects": 6}
    floors = {k: r[2] for k, r in floors.items()}
    say("")
    say("%-14s " % "site" + " ".join("%*s" % (width[f], h) for f, h in cols))
    say("%-14s " % "  target" + " ".join("%*s" % (width[f], TARGETS[f])
                                         for f, _ in cols))
    rows = list(results.items())
    done = [f for f in results.values() if f]
    if len(done) > 1:
        rows.append(("all", total(done)))
    for s, fig in rows:
        if fig is None:
            say("%-14s %s" % (s[:14], "(not compared)"))
            continue
        cells = []
        for f, _ in cols:
            v = fmt_value(f, fig)
            fl = floors.get((s, f))
            mark = " "
            if fl is not None:
                val = value_of(fig, f)
                mark = "!" if not meets(f, val, fl) and fl != "-" else \
                    ("+" if not same(val, fl) else " ")
            if meets_target(f, fig):
                mark = "=" if mark == " " else mark
            cells.append("%*s" % (width[f], v + mark))
        say("%-14s " % s[:14] + " ".join(cells))
        if s == "all" and fig is rows[-1][1]:
            break
        say("%-14s " % "  floor" + " ".join(
            "%*s" % (width[f], floors.get((s, f), "-") + " ") for f, _ in cols))
    say("(= target met, + above its floor: raise it, ! below its floor;"
        " counts are found/total)")


if __name__ == "__main__":
    sys.exit(main())
