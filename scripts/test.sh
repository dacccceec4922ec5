#!/usr/bin/env bash
# Sets up and runs every test: the lock-free ring buffer stress test under ThreadSanitizer,
# then all unit, audio and end-to-end tests (XCTest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build
# ThreadSanitizer in its own build folder; debug build, whose element-wise ring copies it
# sees. Any report fails the run.
TSAN_OPTIONS="halt_on_error=1 exitcode=66" RING_STRESS_SAMPLES=1000000 \
  swift test --disable-swift-testing --sanitize=thread --scratch-path .build-tsan --filter SPSCRingBufferTests
# XCTest only: --disable-swift-testing makes the closing line report the real count.
swift test --disable-swift-testing
