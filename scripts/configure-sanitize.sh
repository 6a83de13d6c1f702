#!/usr/bin/env bash
# Configures build-sanitize/: clang 14, AddressSanitizer + UndefinedBehaviorSanitizer on the
# library, the tests, the command line and the libFuzzer targets (one build serves
# scripts/sanitize.sh and scripts/fuzz.sh). -O1 -g1 keeps it quick to build and readable in
# reports. Needs `scripts/install-deps.sh --ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-sanitize
mkdir -p "$build"
compilers=()  # only on first configure: changing them later would wipe the cache
[[ -f $build/CMakeCache.txt ]] || compilers=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${compilers[@]}" \
  -DCMAKE_C_FLAGS_RELEASE="-O1 -g1" -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" \
  -DKERAS_SANITIZE=ON -DKERAS_BUILD_FUZZERS=ON -DKERAS_WERROR=ON \
  -DKERAS_BUILD_BENCHMARKS=OFF -DKERAS_BUILD_EXAMPLES=OFF -DKERAS_INSTALL=OFF \
  > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
