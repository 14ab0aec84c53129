#!/usr/bin/env bash
# kwiki's article extraction on the public article-extraction benchmark
# (../shared/bench/article-extraction: 181 news pages, their true article bodies, the scorer and
# the published outputs of other extractors). Runs kwiki's HTML reader (the code `kwiki add` and
# saved .html seeds use) over every page on one core, writes its output where the scorer reads
# it, and prints the benchmark's table with kwiki beside the references:
#   kwiki          what an article keeps (the page's body, then kwiki's own cleaning of a
#                  page: white space, metadata lines, the foreign-script spam filter)
#   kwiki-raw      the page's body before that cleaning
# Nothing is written into ../shared: the scorer, truth and references are copied to
# target/article-extraction/, with output/kwiki.json beside them.
#
#   bench/article-extraction.sh          (N_BOOTSTRAP=1000 by default, as the scorer has it)
#   WORST=20 bench/article-extraction.sh (then kwiki's 20 worst pages, with their precision
#                                         and recall beside rs_trafilatura's; study one with
#                                         cargo run --release --example article_explain -- PAGE)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench/article-extraction}
W=$ROOT/target/article-extraction
if [ ! -f "$BENCH/evaluate.py" ]; then
  echo "article-extraction.sh: no benchmark at $BENCH (it lives in ../shared beside the project)" >&2
  exit 2
fi
rm -rf "$W/output"
mkdir -p "$W/output"
cp "$BENCH/evaluate.py" "$BENCH/ground-truth.json" "$W/"
cp "$BENCH"/reference/*.json "$W/output/"
cargo build --release --quiet --example article_bench --manifest-path "$ROOT/Cargo.toml"
ONE_CORE=()
if command -v taskset >/dev/null; then ONE_CORE=(taskset -c 0); fi
"${ONE_CORE[@]}" "$ROOT/target/release/examples/article_bench" "$BENCH/html" "$W/output"
cd "$W"
python3 evaluate.py --n-bootstrap "${N_BOOTSTRAP:-1000}"
if [ -n "${WORST:-}" ]; then
  WORST=$WORST python3 - <<'PY'
import json, os
from pathlib import Path
from evaluate import load_json, load_prediction, string_shingle_matching, precision_score, recall_score
truth = load_json(Path("ground-truth.json"))
def scores(name):
    pred, _ = load_prediction(Path("output") / f"{name}.json")
    out = {}
    for key, t in truth.items():
        tp, fp, fn = string_shingle_matching(t.get("articleBody", ""), pred[key].get("articleBody", ""))
        out[key] = (precision_score(tp, fp, fn) if tp + fp > 0 else 1.0, recall_score(tp, fp, fn))
    return out
kwiki, other = scores("kwiki"), scores("rs_trafilatura")
worst = sorted(truth, key=lambda k: sum(kwiki[k]))[: int(os.environ["WORST"])]
print(f"{'page':<16} kwiki P    R      rs_trafilatura P    R")
for k in worst:
    print(f"{k[:16]} {kwiki[k][0]:8.3f} {kwiki[k][1]:6.3f} {other[k][0]:18.3f} {other[k][1]:6.3f}")
PY
fi
