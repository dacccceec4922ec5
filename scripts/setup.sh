#!/usr/bin/env bash
# Installs the Debian packages motifd needs (idempotent, non-interactive) and builds it.
#   scripts/setup.sh            install packages, release build
#   scripts/setup.sh --no-build install packages only
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: pkg-config and the C libraries' headers (libasound2-data carries alsa.conf, which
# the capture tests' ALSA configuration builds on).
PACKAGES=(pkg-config libportaudio2 portaudio19-dev libasound2-dev libasound2-data libsndfile1-dev libsoxr-dev libkissfft-dev)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: a Swift 6 toolchain is needed (swift.org/install)" >&2; exit 1; }

if [ "${1:-}" != "--no-build" ]; then
  swift build -c release
  echo "setup: built .build/release/motifd and .build/release/motifctl" >&2
fi
