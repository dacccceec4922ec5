#!/usr/bin/env bash
# Runs the dev benchmark on a release build and fails if accuracy drops below the floors
# (a little under what the project has reached; speed is reported, never asserted).
#   scripts/bench-check.sh [DATASET_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DATASET="${1:-../shared/bench/dev}"
if [ ! -f "$DATASET/scenes.csv" ]; then
  echo "bench-check: no benchmark data set at $DATASET; skipped" >&2
  exit 0
fi
swift build -c release
SUMMARY="$(mktemp -d)/summary.json"
"$DATASET/../run.sh" --json "$SUMMARY" "$DATASET"
python3 - "$SUMMARY" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
overall, pitch = summary["overall"], summary["pitch"]
mono = [summary["conditions"][c]["f1"] or 0 for c in ("solo", "transposed", "tempo", "timbre")]
floors = [
    ("overall F1", overall["f1"] or 0, 0.62),
    ("overall precision", overall["precision"] or 0, 0.78),
    ("monophonic F1 (mean of solo, transposed, tempo, timbre)", sum(mono) / 4, 0.70),
    ("pitch raw accuracy (solo)", pitch["solo"]["raw_pitch_accuracy"], 0.94),
    ("pitch voicing recall (solo)", pitch["solo"]["voicing_recall"], 0.97),
]
failed = [f"{name} {value:.3f} < floor {floor:.2f}" for name, value, floor in floors if value < floor]
for name, value, floor in floors:
    print(f"bench-check: {name}: {value:.3f} (floor {floor:.2f})")
if failed:
    print("bench-check: FAILED: " + "; ".join(failed), file=sys.stderr)
    sys.exit(1)
print("bench-check: accuracy floors hold")
PY
