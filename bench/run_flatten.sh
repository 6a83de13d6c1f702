#!/usr/bin/env bash
# The Flatten benchmark: kerascpp (bench/flatten_bench.cpp) and PyTorch (bench/flatten_torch.py)
# back to back, on the same shapes and thread count, then both side by side.
# Usage: bench/run_flatten.sh [build-folder]   (default: build-bench/ in the repository root)
# OMP_NUM_THREADS sets the thread count of both (default: every core).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-bench}

bash "$root/scripts/install-deps.sh" --bench
# An existing build folder keeps its own settings; a new one is a lean Release build.
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKERAS_BUILD_BENCHMARKS=ON \
    -DKERAS_BUILD_TESTS=OFF -DKERAS_BUILD_EXAMPLES=OFF -DKERAS_INSTALL=OFF
fi
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt"; then
  echo "run_flatten: warning: $build is not a Release build; its figures mean little" >&2
fi
cmake --build "$build" --target keras_bench

export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "threads: OMP_NUM_THREADS=$OMP_NUM_THREADS (oneDNN's OpenMP runtime and torch.set_num_threads)"
if awk -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cores="$(nproc)" 'BEGIN {exit !(load > cores / 2)}'; then
  echo "run_flatten: warning: the machine is busy; multi-threaded copies stall when their" \
    "threads are preempted, so these figures understate both libraries" >&2
fi
echo

json=$(mktemp --suffix=.json)
trap 'rm -f "$json"' EXIT
"$build/bin/keras_bench" --benchmark_filter='^BM_flatten_' --benchmark_min_time=0.2 \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$json" --benchmark_out_format=json
echo
/usr/bin/python3 "$root/bench/flatten_torch.py" --threads "$OMP_NUM_THREADS" --kerascpp-json "$json"
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
