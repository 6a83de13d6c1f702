#!/usr/bin/env bash
# The mnist_convnet layers benchmark: kerascpp (bench/layers_bench.cpp) and PyTorch
# (bench/layers_torch.py) back to back on the same shapes, at 1 and then 2 threads, then one
# side-by-side table of both thread counts.
# Usage: bench/run_layers.sh [build-folder]   (default: build-bench/ in the repository root)
# LAYERS_THREADS sets the thread counts to run (default: "1 2"); each sets OMP_NUM_THREADS for
# oneDNN's OpenMP runtime and torch.set_num_threads for PyTorch.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
prepare_bench run_layers "${1:-}"

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
