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
WORK="$(mktemp -d)"
status=0
"$DATASET/../run.sh" --json "$WORK/small.json" "$DATASET" 2> "$WORK/small.log" || status=$?
cat "$WORK/small.log" >&2
[ "$status" -eq 0 ] || exit "$status"
"$DATASET/../run.sh" --large --json "$WORK/large.json" "$DATASET"
# Note onsets of the one-voice scenes against their MIDI-derived truth (run.sh names the
# events file it keeps).
EVENTS="$(sed -n 's/.*events in \(.*events\.jsonl\).*/\1/p' "$WORK/small.log" | head -n 1)"
[ -s "$EVENTS" ] || { echo "bench-check: run.sh did not name an events file" >&2; exit 1; }
python3 scripts/onset-score.py "$DATASET" "$EVENTS" --conditions solo,transposed,tempo,timbre | tee "$WORK/onsets.txt"
python3 - "$WORK/small.json" "$WORK/large.json" "$WORK/onsets.txt" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
large = json.load(open(sys.argv[2]))
onset_f1 = next(float(line.split()[-1]) for line in open(sys.argv[3]) if line.startswith("overall"))
overall, pitch = summary["overall"], summary["pitch"]
mono = [summary["conditions"][c]["f1"] or 0 for c in ("solo", "transposed", "tempo", "timbre")]
# (name, value, floor, higher is better)
floors = [
    ("overall F1", overall["f1"] or 0, 0.98, True),
    ("overall precision", overall["precision"] or 0, 0.98, True),
    ("monophonic F1 (mean of solo, transposed, tempo, timbre)", sum(mono) / 4, 0.98, True),
    ("accompanied F1", summary["conditions"]["accompanied"]["f1"] or 0, 0.90, True),
    ("ornamented F1", summary["conditions"]["ornamented"]["f1"] or 0, 0.93, True),
    ("false alarms per hour (negative scenes)", overall["false_alarms_per_hour"] or 0, 5.0, False),
    ("large library overall F1", large["overall"]["f1"] or 0, 0.94, True),
    # Latency is stream time, not speed: a marginal match waits for its last note to sound on.
    ("latency p90, s", overall["latency_p90"] or 0, 0.40, False),
    ("large library latency p90, s", large["overall"]["latency_p90"] or 0, 0.40, False),
    ("pitch raw accuracy (solo)", pitch["solo"]["raw_pitch_accuracy"], 0.96, True),
    ("pitch voicing recall (solo)", pitch["solo"]["voicing_recall"], 0.97, True),
    ("pitch raw accuracy (timbre)", pitch["timbre"]["raw_pitch_accuracy"], 0.92, True),
    ("pitch voicing false alarm (solo)", pitch["solo"]["voicing_false_alarm"], 0.25, False),
    ("note onsets within 50 ms, F1 (solo, transposed, tempo, timbre)", onset_f1, 0.94, True),
]
failed = [f"{name} {value:.3f} vs limit {floor:g}" for name, value, floor, higher in floors
          if (value < floor if higher else value > floor)]
for name, value, floor, higher in floors:
    print(f"bench-check: {name}: {value:.3f} ({'floor' if higher else 'ceiling'} {floor:g})")
if failed:
    print("bench-check: FAILED: " + "; ".join(failed), file=sys.stderr)
    sys.exit(1)
print("bench-check: accuracy floors hold")
PY
