#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the seed example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/configure.sh
cmake --build build --target seed_flatten
build/bin/seed_flatten
