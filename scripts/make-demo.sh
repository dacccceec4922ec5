#!/usr/bin/env bash
# Re-creates Config/demo.flac: four library themes, none in its notated key or tempo,
# between wandering filler notes. Needs a built motifd (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
MOTIFD="${MOTIFD:-.build/release/motifd}"
"$MOTIFD" render --library Config/motifs.toml --output Config/demo.flac --rate 22050 --timbre clarinet --seed 7 \
  grieg.mountain-king:+3:150 beethoven.fate:-2:170 wagner.siegfried-horn:-5:96 beethoven.ode-to-joy:+2:132
