#!/usr/bin/env python3
"""How fast `kwiki serve` shows an edit: start it on a site, edit one article, and time from
the save to the moment the server answers with the changed article page; then edit a template
and time until every page was rendered again (the 404 page shows the change). Each edit is
undone afterwards. Prints `serve article-edit MS` and `serve template-edit MS` lines.

    bench/serve_bench.py KWIKI_BINARY SITE_ROOT [--port N] [--runs N]
"""
import argparse, glob, os, re, subprocess, sys, time, urllib.request, urllib.error

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""

def wait_for(url, marker, limit=120.0):
    """Seconds until GET url contains marker (polling every 5 ms)."""
    t = time.monotonic()
    while time.monotonic() - t < limit:
        if marker in get(url)[1]:
            return time.monotonic() - t
        time.sleep(0.005)
    raise SystemExit(f"serve_bench: {url} never showed {marker!r} within {limit} s")

def rebuilds(log_path):
    return open(log_path).read().count("rebuilt in ")

def settle(log_path, count, limit=120.0):
    """Wait until the server logged `count` finished rebuilds (lists and disk included)."""
    t = time.monotonic()
    while rebuilds(log_path) < count and time.monotonic() - t < limit:
        time.sleep(0.05)
    time.sleep(0.3)

def edit(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kwiki")
    ap.add_argument("root")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    log_path = os.path.join(a.root, "..", "serve-bench.log")
    log = open(log_path, "w")
    t = time.monotonic()
    srv = subprocess.Popen([a.kwiki, "--root", a.root, "serve", "--port", str(a.port)],
                           stdout=log, stderr=subprocess.STDOUT)
    base = None
    while base is None:  # the server prints its address once it listens
        m = re.search(r"on (http://[0-9.:]+/)", open(log_path).read())
        if m:
            base = m.group(1)
        elif srv.poll() is not None:
            raise SystemExit("serve_bench: kwiki serve exited:\n" + open(log_path).read())
        else:
            time.sleep(0.05)
    article = sorted(glob.glob(os.path.join(a.root, "seeds", "*.txt")))[0]
    stem = os.path.splitext(os.path.basename(article))[0]
    tpl_dir = os.path.join(a.root, "templates")
    os.makedirs(tpl_dir, exist_ok=True)
    tpl = os.path.join(tpl_dir, "404.html")
    had_tpl = os.path.exists(tpl)
    original = open(article, encoding="utf-8").read()
    original_tpl = open(tpl, encoding="utf-8").read() if had_tpl else None
    try:
        while get(base)[0] != 200:
            if srv.poll() is not None:
                raise SystemExit("serve_bench: kwiki serve exited")
            time.sleep(0.1)
        print(f"serve first-build {round((time.monotonic() - t) * 1000)}", flush=True)
        settle(log_path, 1)
        page = f"{base}article/{stem}/"
        for run in range(a.runs):
            marker = f"Benchmark edit number {run} of the serve loop."
            rebuilt = rebuilds(log_path)
            edit(article, f"\n{marker}\n")
            ms = wait_for(page, marker) * 1000
            print(f"serve article-edit {round(ms)}", flush=True)
            with open(article, "w", encoding="utf-8") as f:
                f.write(original)
            settle(log_path, rebuilt + 2)  # the edit's rebuild and the undo's
        for run in range(a.runs):
            marker = f"benchmark-template-edit-{run}"
            if not had_tpl:
                # the built-in 404 page, overridden with a copy that shows the marker
                with open(tpl, "w", encoding="utf-8") as f:
                    f.write('{% extends "base.html" %}{% block main %}<h1>Page not found</h1>'
                            f'<p>{marker}</p>{{% endblock main %}}\n')
            else:
                with open(tpl, "w", encoding="utf-8") as f:
                    f.write(original_tpl.replace("Page not found", f"Page not found {marker}"))
            rebuilt = rebuilds(log_path)
            ms = wait_for(base + "no-such-page/", marker) * 1000
            print(f"serve template-edit {round(ms)}", flush=True)
            settle(log_path, rebuilt + 1)
    finally:
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        if had_tpl:
            with open(tpl, "w", encoding="utf-8") as f:
                f.write(original_tpl)
        else:
            os.remove(tpl)
        srv.terminate()
        srv.wait()
    log.close()
    for line in open(log_path):
        if line.startswith(("rebuilt", "changed pages")):
            print("  log: " + line.strip()[:300])

main()
