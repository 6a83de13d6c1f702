#!/usr/bin/env bash
# Every test: installs what is missing, builds everything with warnings as errors and runs
# CTest (unit, golden with every case required, example, packaging and format tests); then
# the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer, and the file
# loaders' fuzzers for 60 seconds each (scripts/sanitize.sh, scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --ci
scripts/configure.sh -DKERAS_WERROR=ON
cmake --build build
KERAS_GOLDEN_STRICT=1 ctest --test-dir build --output-on-failure
scripts/sanitize.sh
scripts/fuzz.sh 60
