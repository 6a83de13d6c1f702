#!/usr/bin/env bash
# Installs the built kerascpp into a scratch prefix, then configures, builds and runs the
# consumer project against it with find_package(kerascpp).
# Usage: find_package_test.sh BUILD_DIR CONSUMER_SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build_dir=$1 consumer=$2 scratch=$3
rm -rf "$scratch"
cmake --install "$build_dir" --prefix "$scratch/prefix" > /dev/null
cmake -S "$consumer" -B "$scratch/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" > /dev/null
cmake --build "$scratch/consumer" > /dev/null
"$scratch/consumer/consumer"
echo "find_package(kerascpp) consumer built and ran"
