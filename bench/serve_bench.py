#!/usr/bin/env python3
"""How fast `kwiki serve` shows an edit. Starts it on a site, then times from the save of a file
to the moment the server serves what changed:

- a text edit (a sentence without names appended to an article) and a name edit (a sentence
  naming a new singer, song and drama appended): the time until the server serves every page
  the edit changed (exact), then everything (the lists);
- a template edit: the time until every page was rendered again (the 404 page shows it).

Times come from the server's reload endpoint (`/__kwiki/reload?since=N` answers when the build
generation moves): a thread long-polls it and notes when each generation appears; the server's
log says which generation brought what. Each edit is undone afterwards. Prints lines such as
`serve text-edit changed MS`, `serve name-edit changed MS` and `serve template-edit MS`.

    bench/serve_bench.py KWIKI_BINARY SITE_ROOT [--port N] [--runs N]
"""
import argparse, glob, os, re, statistics, subprocess, threading, time, urllib.request, urllib.error

def get(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""

class Generations(threading.Thread):
    """Notes the time each build generation was first seen, by long-polling the server."""
    def __init__(self, base):
        super().__init__(daemon=True)
        self.base, self.seen, self.lock = base, {}, threading.Lock()
        self.current = int(get(base + "__kwiki/reload?since=0")[1] or 0)
    def run(self):
        while True:
            status, body = get(f"{self.base}__kwiki/reload?since={self.current}", timeout=40)
            now = time.monotonic()
            if status != 200 or not body.strip().isdigit():
                time.sleep(0.01)
                continue
            g = int(body)
            with self.lock:
                for k in range(self.current + 1, g + 1):
                    # a generation skipped between two polls is dated when its successor was
                    # seen: later than it was, never earlier
                    self.seen.setdefault(k, now)
                self.current = max(self.current, g)
    def at(self, generation, limit=120.0):
        t = time.monotonic()
        while time.monotonic() - t < limit:
            with self.lock:
                if generation in self.seen:
                    return self.seen[generation]
            time.sleep(0.002)
        raise SystemExit(f"serve_bench: generation {generation} never came")

def log_text(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return f.read()

def rebuilds(log_path):
    return log_text(log_path).count("rebuilt in ")

def settle(log_path, count, limit=120.0):
    """Wait until the server logged `count` finished rebuilds (lists and disk included)."""
    t = time.monotonic()
    while rebuilds(log_path) < count and time.monotonic() - t < limit:
        time.sleep(0.02)
    time.sleep(0.3)

# what each log line of a rebuild says was published, in order (each moves the generation)
PUBLISHED = [("changed pages served", "changed"),
             ("pages served", "all"),
             ("rebuilt in ", "done"),
             ("error: ", "done")]

def publications(log_lines):
    out = []
    for line in log_lines:
        for prefix, what in PUBLISHED:
            if line.startswith(prefix):
                out.append(what)
                break
    return out

def save(path, text):
    """Save like most editors: write a new file beside the site and rename it into place, so
    the server never sees the article truncated (an open for writing and the write itself
    are two changes when the machine puts them far enough apart: two rebuilds)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    tmp = os.path.join(root, "..", ".serve-bench-save.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:  # another file system: in place
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

def timed_edit(gens, log_path, path, new_text):
    """Save new_text to path; return {what: ms from the save} for what the rebuild published,
    or {} when the save made more than one rebuild (its generations cannot be told apart)."""
    before_log = log_text(log_path).splitlines()
    rebuilt = rebuilds(log_path)
    with gens.lock:
        g0 = gens.current
    saved = time.monotonic()
    save(path, new_text)
    settle(log_path, rebuilt + 1)
    if rebuilds(log_path) != rebuilt + 1:
        print("  (a save made more than one rebuild: run left out)", flush=True)
        settle(log_path, rebuilds(log_path))
        return {}
    lines = log_text(log_path).splitlines()[len(before_log):]
    out = {}
    for k, what in enumerate(publications(lines)):
        if what == "done":
            out.setdefault("all", round((gens.at(g0 + k + 1) - saved) * 1000))
            break
        out[what] = round((gens.at(g0 + k + 1) - saved) * 1000)
    out["log"] = next((l for l in lines if l.startswith("rebuilt in ")), "")
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kwiki")
    ap.add_argument("root")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    # made before the server starts: a folder made after it is a template change, whose
    # rebuild would overlap the first timed edit
    tpl_dir = os.path.join(a.root, "templates")
    os.makedirs(tpl_dir, exist_ok=True)
    log_path = os.path.join(a.root, "..", "serve-bench.log")
    log = open(log_path, "w")
    t = time.monotonic()
    srv = subprocess.Popen([a.kwiki, "--root", a.root, "serve", "--port", str(a.port)],
                           stdout=log, stderr=subprocess.STDOUT)
    base = None
    while base is None:  # the server prints its address once it listens
        m = re.search(r"on (http://[0-9.:]+/)", log_text(log_path))
        if m:
            base = m.group(1)
        elif srv.poll() is not None:
            raise SystemExit("serve_bench: kwiki serve exited:\n" + log_text(log_path))
        else:
            time.sleep(0.05)
    article = sorted(glob.glob(os.path.join(a.root, "seeds", "*.txt")))[0]
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
        gens = Generations(base)
        gens.start()
        edits = {
            "text-edit": lambda run: f"\nBenchmark edit number {run} of the serve loop.\n",
            "name-edit": lambda run: (f"\nSinger Bench Yoon{run} sang \"Starlight Road {run}\", "
                                      f"the soundtrack for the drama \"Moon Harbor {run}\".\n"),
        }
        for name, sentence in edits.items():
            results = []
            for run in range(a.runs):
                r = timed_edit(gens, log_path, article, original + sentence(run))
                results.append(r)
                timed_edit(gens, log_path, article, original)  # undo
            for what in ["changed", "all"]:
                ms = [r[what] for r in results if what in r]
                if ms:
                    print(f"serve {name} {what} {round(statistics.median(ms))}"
                          f"  (runs: {', '.join(map(str, ms))})", flush=True)
            logs = [r["log"] for r in results if "log" in r]
            print(f"  log: {logs[-1][:400] if logs else ''}", flush=True)
        for run in range(a.runs):
            marker = f"benchmark-template-edit-{run}"
            rebuilt = rebuilds(log_path)
            saved = time.monotonic()
            if not had_tpl:
                # the built-in 404 page, overridden with a copy that shows the marker
                with open(tpl, "w", encoding="utf-8") as f:
                    f.write('{% extends "base.html" %}{% block main %}<h1>Page not found</h1>'
                            f'<p>{marker}</p>{{% endblock main %}}\n')
            else:
                with open(tpl, "w", encoding="utf-8") as f:
                    f.write(original_tpl.replace("Page not found", f"Page not found {marker}"))
            while marker not in get(base + "no-such-page/")[1]:
                if time.monotonic() - saved > 120:
                    raise SystemExit("serve_bench: the template edit never showed")
                time.sleep(0.005)
            print(f"serve template-edit {round((time.monotonic() - saved) * 1000)}", flush=True)
            settle(log_path, rebuilt + 1)
    finally:
        save(article, original)
        if had_tpl:
            with open(tpl, "w", encoding="utf-8") as f:
                f.write(original_tpl)
        else:
            os.remove(tpl)
        srv.terminate()
        srv.wait()
    log.close()

main()
