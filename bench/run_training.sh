#!/usr/bin/env bash
# mnist_convnet training throughput: kerascpp's fit() (bench/training_bench.cpp) and PyTorch
# (bench/training_torch.py) on the same model, batch 128, Adam, synthetic data, interleaved
# ROUNDS times (default 3) at 1 and 2 threads so that machine noise hits both; then a table of
# the medians. Usage: bench/run_training.sh [build-folder]   (default: build-bench/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-bench}
rounds=${ROUNDS:-3}

bash "$root/scripts/install-deps.sh" --bench
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKERAS_BUILD_BENCHMARKS=ON \
    -DKERAS_BUILD_TESTS=OFF -DKERAS_BUILD_EXAMPLES=OFF -DKERAS_INSTALL=OFF
fi
cmake --build "$build" --target keras_bench

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average:" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
declare -A ours theirs
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    export OMP_NUM_THREADS=$threads
    rate=$("$build/bin/keras_bench" --benchmark_filter='^BM_fit_epoch' --benchmark_min_time=2 \
      --benchmark_format=json 2>/dev/null | /usr/bin/python3 -c \
      'import json,sys; print(round(json.load(sys.stdin)["benchmarks"][0]["items_per_second"]))')
    ours[$threads]+="$rate "
    torch_rate=$(LD_PRELOAD=$tcmalloc /usr/bin/python3 "$root/bench/training_torch.py" \
      --threads "$threads" | sed -n 's/.*median_samples_per_s=//p')
    theirs[$threads]+="$torch_rate "
    echo "round $round, $threads thread(s): kerascpp $rate samples/s, PyTorch $torch_rate samples/s"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "| threads | kerascpp fit() samples/s | PyTorch samples/s | kerascpp / PyTorch |"
echo "| ---: | ---: | ---: | ---: |"
for threads in 1 2; do
  k=$(echo "${ours[$threads]}" | median)
  t=$(echo "${theirs[$threads]}" | median)
  echo "| $threads | $k | $t | $(awk -v k="$k" -v t="$t" 'BEGIN {printf "%.2f", k / t}') |"
done
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
