#!/usr/bin/env bash
# The mnist_convnet layers benchmark: kerascpp (bench/layers_bench.cpp) and PyTorch
# (bench/layers_torch.py) back to back on the same shapes, at 1 and then 2 threads, then one
# side-by-side table of both thread counts.
# Usage: bench/run_layers.sh [build-folder]   (default: build-bench/ in the repository root)
# LAYERS_THREADS sets the thread counts to run (default: "1 2"); each sets OMP_NUM_THREADS for
# oneDNN's OpenMP runtime and torch.set_num_threads for PyTorch.
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
  echo "run_layers: warning: $build is not a Release build; its figures mean little" >&2
fi
cmake --build "$build" --target keras_bench

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cores="$(nproc)" 'BEGIN {exit !(load > cores / 2)}'; then
  echo "run_layers: warning: the machine is busy; start this in its own top-priority scheduling" \
    "group (docs/benchmarks.md) or the figures understate both libraries" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for threads in ${LAYERS_THREADS:-1 2}; do
  export OMP_NUM_THREADS=$threads
  echo
  echo "== threads: OMP_NUM_THREADS=$threads (oneDNN's OpenMP runtime and torch.set_num_threads)"
  "$build/bin/keras_bench" --benchmark_filter='^BM_(forward|backward)/' \
    --benchmark_min_time=0.2 --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$tmp/kerascpp_$threads.json" --benchmark_out_format=json
  echo
  /usr/bin/python3 "$root/bench/layers_torch.py" --threads "$threads" \
    --kerascpp-json "$tmp/kerascpp_$threads.json" --table-out "$tmp/rows.md"
done

echo
echo "mnist_convnet layers, batch 128: median wall-clock time per call, same run"
echo
echo "| threads | layer | direction | kerascpp median us | PyTorch median us | PyTorch / kerascpp | >= 1 (aim) |"
echo "| ---: | --- | --- | ---: | ---: | ---: | --- |"
cat "$tmp/rows.md"
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
