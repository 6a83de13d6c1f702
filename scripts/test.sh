#!/usr/bin/env bash
# Every test: installs what is missing, builds everything with warnings as errors, runs CTest
# (unit, golden, example, packaging and format tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/configure.sh -DKERAS_WERROR=ON
cmake --build build
ctest --test-dir build --output-on-failure
