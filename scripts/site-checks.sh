#!/usr/bin/env bash
# Build the seeds site, serve it under /kwiki/ (as GitHub Pages serves a project site) and
# check it with real tools: the Nu HTML checker (vnu) on every page, linkinator over the
# served site, axe-core on the key pages and an end-to-end run in Chromium with screenshots.
# Needs scripts/install-test-tools.sh first. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
port=${KWIKI_CHECK_PORT:-8765}
base="http://127.0.0.1:$port/kwiki"
work=$(mktemp -d)
site="$work/site"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== site-checks: build the seeds site for $base/"
cargo build --quiet
./target/debug/kwiki build --output "$site" --base-url "$base"

echo "== site-checks: Nu HTML checker"
mapfile -t pages < <(find "$site" -name '*.html' | sort)
vnu_jar="$repo/tests/e2e/node_modules/vnu-jar/build/dist/vnu.jar"
if java -jar "$vnu_jar" --errors-only --format gnu "${pages[@]}" >"$work/vnu.txt" 2>&1; then
  echo "vnu: ${#pages[@]} HTML files, 0 errors"
else
  cat "$work/vnu.txt"
  echo "vnu: ${#pages[@]} HTML files, $(grep -c ':' "$work/vnu.txt") errors"
  exit 1
fi

echo "== site-checks: serve under /kwiki/ on 127.0.0.1:$port"
python3 tests/e2e/serve.py "$site" "$port" /kwiki/ &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "$base/" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "$base/" || { echo "site-checks: the server did not start"; exit 1; }

echo "== site-checks: linkinator (every link of the served site, internal only)"
( cd tests/e2e && npx --no-install linkinator "$base/" --recurse --concurrency 8 --retry-errors --retry-errors-count 3 --skip "^(?!http://127\\.0\\.0\\.1:$port/)" --format csv >"$work/links.csv" 2>"$work/links.err" ) || true
links=$(($(wc -l <"$work/links.csv") - 1))
broken=$(awk -F, 'NR > 1 && $3 == "BROKEN"' "$work/links.csv" | wc -l)
echo "linkinator: $links links checked, $broken broken"
if [ "$links" -le 0 ] || [ "$broken" -ne 0 ]; then
  awk -F, 'NR > 1 && $3 == "BROKEN"' "$work/links.csv" | head -20
  cat "$work/links.err" | head -20
  exit 1
fi

echo "== site-checks: axe-core and the end-to-end path in Chromium"
mkdir -p target/e2e
( cd tests/e2e && node checks.js "$base/" "$repo/target/e2e" )
echo "site-checks: all passed"
