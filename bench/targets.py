#!/usr/bin/env python3
"""Helpers of `bench/run.sh --targets` (issue 16's targets).

  targets.py sizes BUILD.json OUT      the published size, the largest HTML page and the largest
                                       file of a build (its --timings JSON line, its output)
  targets.py table TARGETS.tsv SMALL BIG
                                       each target with its figure, its limit and whether it is met
"""
import json
import os
import sys


def sizes(json_path, out):
    j = json.loads(open(json_path).read())
    html = max(
        (os.path.getsize(os.path.join(d, f)), os.path.relpath(os.path.join(d, f), out))
        for d, _, fs in os.walk(out)
        for f in fs
        if f.endswith(".html")
    )
    print("published size, %d articles (bytes)\t%d" % (j["articles"], j["published_bytes"]))
    print("published files\t%d" % j["published_files"])
    print("largest HTML page (bytes)\t%d %s" % html)
    print("largest file (bytes)\t%d %s" % (j["largest_file"][1], j["largest_file"][0]))


def table(tsv, small, big):
    rows = dict(l.rstrip("\n").split("\t", 1) for l in open(tsv) if "\t" in l)
    f = lambda k: float(rows[k].split()[0])
    cat = f("cat of the %s seeds (s)" % small)
    hs, hb = f("Hugo, %s articles (s)" % small), f("Hugo, %s articles (s)" % big)
    n = lambda x: format(int(x), ",")
    checks = [
        ("nothing changed, %s articles" % n(small),
         f("kwiki, %s articles, nothing changed (s)" % small), "s", 3 * cat, "3x cat, %.2f s" % cat),
        ("one article added to %s" % n(small),
         f("kwiki, %s articles, one article added (s)" % small), "s", 6 * cat, "6x cat"),
        ("one article added to %s" % n(big),
         f("kwiki, %s articles, one article added (s)" % big), "s", 0.1 * hb, "0.1x Hugo %s, %.2f s" % (n(big), hb)),
        ("empty output, warm cache, %s articles" % n(small),
         f("kwiki, %s articles, empty output, warm cache (s)" % small), "s", 0.3 * hs, "0.3x Hugo %s, %.2f s" % (n(small), hs)),
        ("empty output, no cache, %s articles" % n(small),
         f("kwiki, %s articles, empty output, no cache (s)" % small), "s", 0.5 * hs, "0.5x Hugo"),
        ("published size, %s articles" % n(big),
         f("published size, %s articles (bytes)" % big) / 1e9, "GB", 1.0, "GitHub Pages"),
        ("largest HTML page, %s articles" % n(big), f("largest HTML page (bytes)") / 1e6, "MB", 1.0, ""),
        ("largest file, %s articles" % n(big), f("largest file (bytes)") / 1e6, "MB", 10.0, ""),
        ("peak memory, %s articles" % n(big),
         f("kwiki, %s articles, peak memory (MiB)" % big) / 1024, "GiB", 2.0, ""),
    ]
    print("| target | measured | limit | met |")
    print("|---|---:|---:|:---:|")
    for name, v, unit, limit, says in checks:
        says = " (%s)" % says if says else ""
        met = "yes" if v <= limit else "**no**"
        print("| %s | %.2f %s | %.2f %s%s | %s |" % (name, v, unit, limit, unit, says, met))
    print()
    print("largest HTML page: %s; largest file: %s" % (
        rows["largest HTML page (bytes)"].split()[1], rows["largest file (bytes)"].split()[1]))


if __name__ == "__main__":
    {"sizes": sizes, "table": table}[sys.argv[1]](*sys.argv[2:])
