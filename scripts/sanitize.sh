#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang 14, in
# build-sanitize/): any report, leak included, fails it. The format check runs in the main
# build only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --ci
scripts/configure-sanitize.sh
cmake --build build-sanitize
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=1  # see fuzz.sh
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp  # leaks inside libhdf5 only
ctest --test-dir build-sanitize --output-on-failure --no-tests=error -E '^format_check$' \
  -j "$(nproc)"
