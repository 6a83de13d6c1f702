#!/usr/bin/env bash
# The Flatten benchmark: kerascpp (bench/flatten_bench.cpp) and PyTorch (bench/flatten_torch.py)
# back to back, on the same shapes and thread count, then both side by side.
# Usage: bench/run_flatten.sh [build-folder]   (default: build-bench/ in the repository root)
# OMP_NUM_THREADS sets the thread count of both (default: every core).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
prepare_bench run_flatten "${1:-}"

export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
echo "threads: OMP_NUM_THREADS=$OMP_NUM_THREADS (oneDNN's OpenMP runtime and torch.set_num_threads)"
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
