#!/usr/bin/env bash
# Shared by main.sh and test.sh: dependencies, then a configured build folder `build/`.
# Extra arguments go to cmake (for example -DKERAS_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mkdir -p build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" > build/configure.log 2>&1 || {
  cat build/configure.log
  exit 1
}
