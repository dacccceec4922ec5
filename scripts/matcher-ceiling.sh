#!/usr/bin/env bash
# The matcher's ceiling on a data set: the motif matcher alone over the notes of the MIDI
# truth (Benchmarks/MatcherCeiling), scored by the benchmark's evaluate.py on the scenes
# that have a pitch truth (solo, transposed, tempo, timbre, ornamented). What is missed
# here is the matcher's doing; the rest of the gap to run.sh is the ears' (pitch, notes).
#   scripts/matcher-ceiling.sh [DATASET_DIR] [--large]
set -euo pipefail
cd "$(dirname "$0")/.."
DATASET="${1:-../shared/bench/dev}"
LIBRARY="$DATASET/library.toml"
[ "${2:-}" = "--large" ] && LIBRARY="$DATASET/library_large.toml"
swift build -c release --product MatcherCeiling >&2
EVENTS="$(mktemp)"
trap 'rm -f "$EVENTS"' EXIT
.build/release/MatcherCeiling "$DATASET" "$LIBRARY" > "$EVENTS"
# The benchmark's scorer: beside the data set, or in ../shared/bench (generated sets).
EVALUATE="$DATASET/../evaluate.py"
[ -f "$EVALUATE" ] || EVALUATE=../shared/bench/evaluate.py
python3 "$EVALUATE" "$DATASET" "$EVENTS" --json "$EVENTS.json" > /dev/null
python3 - "$EVENTS.json" <<'PY'
import json, sys
conditions = json.load(open(sys.argv[1]))["conditions"]
print("condition      TP   FP   FN     F1")
total = {"tp": 0, "fp": 0, "fn": 0}
for name in ("solo", "transposed", "tempo", "timbre", "ornamented"):
    c = conditions[name]
    for key in total: total[key] += c[key]
    print(f"{name:12} {c['tp']:4} {c['fp']:4} {c['fn']:4}  {c['f1'] or 0:.3f}")
tp, fp, fn = total["tp"], total["fp"], total["fn"]
print(f"{'all five':12} {tp:4} {fp:4} {fn:4}  {2 * tp / (2 * tp + fp + fn):.3f}")
PY
rm -f "$EVENTS.json"
