# SPDX-License-Identifier: Apache-2.0
# Sourced by the bench/ scripts: `prepare_bench NAME [build-folder]` installs the benchmark
# packages (PyTorch, tcmalloc), configures a lean Release build in build-bench/ (or the folder
# given) if it is new, builds keras_bench, prints the machine and warns when it is busy. It sets
# $root and $build.
prepare_bench() {  # prepare_bench NAME [build-folder]
  local name=$1
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  build=${2:-$root/build-bench}
  bash "$root/scripts/install-deps.sh" --bench
  # An existing build folder keeps its own settings; a new one is a lean Release build.
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKERAS_BUILD_BENCHMARKS=ON \
      -DKERAS_BUILD_TESTS=OFF -DKERAS_BUILD_EXAMPLES=OFF -DKERAS_INSTALL=OFF
  fi
  if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt"; then
    echo "$name: warning: $build is not a Release build; its figures mean little" >&2
  fi
  cmake --build "$build" --target keras_bench
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
    "$(free -g | awk '/^Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  if awk -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cores="$(nproc)" \
    'BEGIN {exit !(load > cores / 2)}'; then
    echo "$name: warning: the machine is busy; start this in its own top-priority scheduling" \
      "group (docs/benchmarks.md) or the figures understate both libraries" >&2
  fi
}
