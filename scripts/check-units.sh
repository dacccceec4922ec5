#!/usr/bin/env bash
# Verifies the systemd units with systemd-analyze. It exits 0 on some parse errors, so any
# output at all counts as failure. The units name /usr/local/bin/motifd, which need not be
# installed here: a copy of them pointing at the built binary is verified instead.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v systemd-analyze >/dev/null || { echo "check-units: systemd-analyze not found" >&2; exit 1; }
BINARY="$(pwd)/.build/release/motifd"
[ -x "$BINARY" ] || swift build -c release
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for unit in systemd/*; do
  sed "s|/usr/local/bin/motifd|$BINARY|g" "$unit" > "$WORK/$(basename "$unit")"
done
# A template is verified through an instance.
mv "$WORK/motifd@.service" "$WORK/motifd@check.service"
OUTPUT="$(systemd-analyze verify "$WORK"/*.service "$WORK"/*.socket 2>&1 || true)"
if [ -n "$OUTPUT" ]; then
  echo "check-units: systemd-analyze verify reported:" >&2
  echo "$OUTPUT" >&2
  exit 1
fi
echo "check-units: $(ls systemd | tr '\n' ' ')verified"
